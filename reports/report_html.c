/*
 * report_html.c - report.html: one self-contained page (inline CSS, no
 * script, nothing fetched) that a responder reads top down:
 *
 *   verdict banner · summary cards · findings · containers (process
 *   trees, connections) · timeline · provenance · custody · inventory ·
 *   network · unknown files · problems
 *
 * Written with xmlTextWriter in HTML mode, so every string is escaped by
 * libxml2 and every element gets an explicit end tag.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sv_cursor.h"
#include "sv_html.h"
#include "sv_outfile.h"
#include "sv_report.h"
#include "sv_report_parts.h"
#include "sv_time.h"
#include "sv_xw.h"

#ifndef SV_VERSION
#define SV_VERSION "0"
#endif

static const char css[] =
	":root{--ink:#1d2433;--mute:#5b6478;--line:#dde2ea;--bg:#f6f7f9;"
	"--ok:#1f7a4d;--warn:#a15c00;--bad:#b3261e}"
	"*{box-sizing:border-box}"
	"body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',"
	"Roboto,sans-serif;color:var(--ink);background:var(--bg)}"
	"main{max-width:1200px;margin:0 auto;padding:24px 28px 48px}"
	"h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 10px;"
	"border-bottom:1px solid var(--line);padding-bottom:4px}"
	".sub{color:var(--mute);margin:0 0 16px}"
	".banner{border-radius:8px;padding:14px 18px;margin:12px 0 18px;"
	"color:#fff;font-weight:600}"
	".banner p{margin:4px 0 0;font-weight:400}"
	".clean-read{background:var(--ok)}.problems{background:var(--warn)}"
	".unreadable{background:var(--bad)}"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,"
	"minmax(200px,1fr));gap:12px}"
	".card{background:#fff;border:1px solid var(--line);border-radius:8px;"
	"padding:10px 14px}.card b{display:block;font-size:20px}"
	".card span{color:var(--mute);font-size:13px}"
	"table{width:100%;border-collapse:collapse;background:#fff;"
	"border:1px solid var(--line);table-layout:auto}"
	"th,td{text-align:left;padding:6px 10px;border-bottom:1px solid "
	"var(--line);vertical-align:top}"
	"th{background:#eef1f5;font-weight:600;font-size:13px}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums;"
	"white-space:nowrap}"
	"code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;"
	"font-size:13px;overflow-wrap:anywhere}"
	".tag{display:inline-block;border-radius:4px;padding:0 6px;"
	"font-size:12px;font-weight:600;color:#fff}"
	".t-error{background:var(--bad)}.t-warning{background:var(--warn)}"
	".t-ok{background:var(--ok)}.muted{color:var(--mute)}"
	".t-app{background:#3d5a80;margin:0 4px 2px 0}"
	".who{font-size:12px;color:#2f4b6e}"
	"td.nowrap{white-space:nowrap;overflow-wrap:normal}"
	"h3{font-size:16px;margin:26px 0 6px}"
	".finding{background:#fff;border:1px solid var(--line);"
	"border-radius:8px;padding:6px 14px;margin:0 0 10px}"
	".finding p{margin:6px 0}.finding ul{margin:4px 0 8px;"
	"padding-left:20px}"
	"h4{font-size:13px;margin:12px 0 4px;color:var(--mute)}"
	"ul.tree,ul.tree ul{list-style:none;margin:0;padding-left:18px;"
	"border-left:1px solid var(--line)}"
	"ul.tree{background:#fff;border:1px solid var(--line);"
	"padding:8px 12px}ul.tree li{margin:2px 0}"
	"ul.tree code{margin-right:8px}ul.tree .tag{margin-left:6px}"
	"footer{margin-top:40px;color:var(--mute);font-size:12px}"
	"@media print{body{background:#fff}main{max-width:none;padding:0}"
	".banner{color:#000;border:2px solid #000}"
	"table,.card{break-inside:avoid}}";

/* ---- sections ---- */

static const char *verdict_text(const char *v)
{
	if (!strcmp(v, "clean-read"))
		return "Bundle read completely; chain of custody as shown below.";
	if (!strcmp(v, "problems"))
		return "Bundle read with problems: see Problems and Custody "
		       "before trusting what follows.";
	return "Bundle could not be read.";
}

static void banner(struct sv_xw *x, const struct sv_analysis *a)
{
	const char *v = sv_report_read_verdict(a);
	const struct sv_findings *fs = &a->findings;
	char line[240], counts[120];

	sv_xw_start(x, "div");
	/* Findings at high or above turn the banner red whatever the read. */
	snprintf(line, sizeof(line), "banner %s",
		 fs->by_severity[SV_SEV_CRITICAL] || fs->by_severity[SV_SEV_HIGH]
			 ? "unreadable"
			 : fs->n ? "problems" : v);
	sv_xw_attr(x, "class", line);
	sv_xw_attr(x, "id", "verdict");
	sv_report_findings_line(a, counts, sizeof(counts));
	if (fs->n) {
		snprintf(line, sizeof(line), "%" PRIu64 " finding%s: %s. "
			 "The worst: %s", fs->n, fs->n == 1 ? "" : "s",
			 counts, fs->list ? fs->list->title : "");
		sv_xw_text(x, line);
	} else {
		sv_xw_text(x, a->baseline.used
			   ? "No rule fired and nothing was anomalous."
			   : "No built-in rule fired.");
	}
	snprintf(line, sizeof(line), "%s %" PRIu64 " errors, %" PRIu64
		 " warnings reading the bundle. %s", verdict_text(v),
		 a->errors, a->warnings, a->baseline.used
		 ? "Built-in rules and the workloads' baselines ran."
		 : "Built-in rules only: no baseline was given "
		   "(analyze --model).");
	el(x, "p", NULL, line);
	sv_xw_end(x);
}

static void summary(struct sv_xw *x, const struct sv_analysis *a)
{
	char buf[64];
	uint64_t span = 0;

	sv_xw_start(x, "section");
	sv_xw_attr(x, "id", "summary");
	el(x, "h2", NULL, "Summary");
	sv_xw_start(x, "div");
	sv_xw_attr(x, "class", "cards");
	card(x, a->manifest_status == SV_MANIFEST_OK ? a->manifest.host : "?",
	     "host");
	if (a->manifest_status == SV_MANIFEST_OK &&
	    a->manifest.ended_ns >= a->manifest.started_ns)
		span = (uint64_t)(a->manifest.ended_ns - a->manifest.started_ns);
	snprintf(buf, sizeof(buf), "%.1f s", (double)span / 1e9);
	card(x, buf, "capture window (manifest)");
	snprintf(buf, sizeof(buf), "%" PRIu64, a->n_snapshots);
	card(x, buf, "/proc and cgroup snapshots");
	snprintf(buf, sizeof(buf), "%" PRIu64, a->stats.files);
	card(x, buf, "files in the bundle");
	human_bytes(a->stats.data_bytes, buf, sizeof(buf));
	card(x, buf, "content read");
	card(x, sv_custody_status_name(a->custody.status), "chain of custody");
	snprintf(buf, sizeof(buf), "%" PRIu64, a->net.flows);
	card(x, buf, "network flows");
	sv_xw_end(x);
	sv_xw_end(x);
}

static void provenance(struct sv_xw *x, const struct sv_analysis *a)
{
	char buf[160];

	sv_xw_start(x, "section");
	sv_xw_attr(x, "id", "provenance");
	el(x, "h2", NULL, "Provenance");
	sv_xw_start(x, "table");
	kv_row(x, "Bundle", a->bundle_path, "mono");
	kv_row(x, "Container", sv_container_name(a->stats.container), NULL);
	human_bytes(a->stats.stored_bytes, buf, sizeof(buf));
	kv_row(x, "Stored size", buf, NULL);
	if (a->stats.has_digest) {
		sv_hex_encode(a->stats.digest, SV_SHA256_LEN, buf);
		kv_row(x, "SHA-256 of the bundle file", buf, "mono");
	}
	kv_row(x, "Manifest", sv_manifest_status_name(a->manifest_status),
	       NULL);
	if (a->manifest_status == SV_MANIFEST_OK) {
		sv_time_format(a->manifest.started_ns, buf);
		kv_row(x, "Capture started", buf, "mono");
		sv_time_format(a->manifest.ended_ns, buf);
		kv_row(x, "Capture ended", buf, "mono");
		kv_row(x, "Collector", a->manifest.collector, NULL);
		if (a->manifest.notes)
			kv_row(x, "Notes", a->manifest.notes, NULL);
	}
	sv_xw_end(x);
	sv_xw_end(x);
}

static void custody(struct sv_xw *x, const struct sv_custody_result *c)
{
	static const char *const cols[] = {"Kind", "File", "Expected",
					   "Actual", NULL};
	const struct sv_custody_issue *is;
	char line[256], hex[65];

	sv_xw_start(x, "section");
	sv_xw_attr(x, "id", "custody");
	el(x, "h2", NULL, "Chain of custody");
	snprintf(line, sizeof(line),
		 "SHA256SUMS lists %" PRIu64 " files; %" PRIu64 " verified, "
		 "%" PRIu64 " mismatched, %" PRIu64 " not listed, %" PRIu64
		 " missing, %" PRIu64 " unverifiable.", c->listed, c->verified,
		 c->counts[SV_CUSTODY_MISMATCH],
		 c->counts[SV_CUSTODY_NOT_COVERED],
		 c->counts[SV_CUSTODY_MISSING], c->counts[SV_CUSTODY_UNHASHED]);
	sv_xw_start(x, "p");
	tag(x, c->status == SV_CUSTODY_VERIFIED ? "t-ok" : "t-warning",
	    sv_custody_status_name(c->status));
	sv_xw_text(x, c->status == SV_CUSTODY_ABSENT
			      ? " The bundle has no SHA256SUMS: its contents "
				"cannot be checked against the collector's."
			      : " ");
	if (c->status != SV_CUSTODY_ABSENT)
		sv_xw_text(x, line);
	sv_xw_end(x);
	if (!c->issues) {
		sv_xw_end(x);
		return;
	}
	sv_xw_start(x, "table");
	header_row(x, cols);
	for (is = c->issues; is; is = is->next) {
		sv_xw_start(x, "tr");
		td_text(x, sv_custody_issue_name(is->kind), NULL);
		td_text(x, is->path, "mono");
		sv_hex_encode(is->expected, SV_SHA256_LEN, hex);
		td_text(x, is->kind == SV_CUSTODY_NOT_COVERED ? "-" : hex,
			"mono");
		sv_hex_encode(is->actual, SV_SHA256_LEN, hex);
		td_text(x, is->kind == SV_CUSTODY_MISMATCH ? hex : "-", "mono");
		sv_xw_end(x);
	}
	sv_xw_end(x);
	sv_xw_end(x);
}

/* "proc-stat,proc-io" shown as "proc-stat, proc-io" so it wraps at
 * names, not inside them. */
static void readers_cell(struct sv_xw *x, const char *readers)
{
	char buf[2 * SV_READERS_TEXT];
	size_t o = 0;

	if (!readers[0]) {
		td_text(x, "not read by this version", "muted");
		return;
	}
	for (; *readers && o + 3 < sizeof(buf); readers++) {
		buf[o++] = *readers;
		if (*readers == ',')
			buf[o++] = ' ';
	}
	buf[o] = '\0';
	td_text(x, buf, "mono");
}

static void inventory(struct sv_xw *x, const struct sv_analysis *a)
{
	static const char *const cols[] = {"Artifact", "What it is", "Files",
					   "Size", "Records", "Read by", NULL};
	char buf[64];
	int k;

	sv_xw_start(x, "section");
	sv_xw_attr(x, "id", "inventory");
	el(x, "h2", NULL, "What the bundle holds");
	sv_xw_start(x, "table");
	header_row(x, cols);
	for (k = 0; k < SV_ART_COUNT; k++) {
		const struct sv_kind_stats *ks = &a->kinds[k];

		if (!ks->files)
			continue;
		sv_xw_start(x, "tr");
		td_text(x, sv_artifact_name((enum sv_artifact)k), "mono");
		td_text(x, sv_artifact_title((enum sv_artifact)k), NULL);
		td_u64(x, ks->files);
		human_bytes(ks->bytes, buf, sizeof(buf));
		td_text(x, buf, "n");
		td_u64(x, ks->records);
		readers_cell(x, ks->readers);
		sv_xw_end(x);
	}
	sv_xw_end(x);
	if (a->n_snapshots) {
		char first[SV_TIME_TEXT_MAX], last[SV_TIME_TEXT_MAX];
		char line[200];

		sv_time_format(a->snapshots[0], first);
		sv_time_format(a->snapshots[a->n_snapshots - 1], last);
		snprintf(line, sizeof(line),
			 "%" PRIu64 " snapshots from %s to %s.",
			 a->n_snapshots, first, last);
		el(x, "p", NULL, line);
	}
	sv_xw_end(x);
}

static void unknown_files(struct sv_xw *x, const struct sv_analysis *a)
{
	static const char *const cols[] = {"File", "Size", "Looks like",
					   NULL};
	const struct sv_unknown_entry *u;
	char buf[64];

	if (!a->unknown_total)
		return;
	sv_xw_start(x, "section");
	sv_xw_attr(x, "id", "unknown");
	el(x, "h2", NULL, "Files outside the bundle contract (not parsed)");
	sv_xw_start(x, "table");
	header_row(x, cols);
	for (u = a->unknown; u; u = u->next) {
		sv_xw_start(x, "tr");
		td_text(x, u->path, "mono");
		human_bytes(u->size, buf, sizeof(buf));
		td_text(x, buf, "n");
		td_text(x, u->is_text ? "text" : "binary", NULL);
		sv_xw_end(x);
	}
	sv_xw_end(x);
	if (a->unknown_total > SV_UNKNOWN_LISTED) {
		snprintf(buf, sizeof(buf), "... and %" PRIu64 " more.",
			 a->unknown_total - SV_UNKNOWN_LISTED);
		el(x, "p", "muted", buf);
	}
	sv_xw_end(x);
}

static void problems(struct sv_xw *x, const struct sv_analysis *a)
{
	static const char *const cols[] = {"Severity", "Where", "Problem",
					   NULL};
	const struct sv_problem *p;
	char where[SV_ERROR_ARTIFACT_MAX + 48];

	sv_xw_start(x, "section");
	sv_xw_attr(x, "id", "problems");
	el(x, "h2", NULL, "Problems reading the bundle");
	if (!a->problems) {
		el(x, "p", "muted", "None.");
		sv_xw_end(x);
		return;
	}
	sv_xw_start(x, "table");
	header_row(x, cols);
	for (p = a->problems; p; p = p->next) {
		int warn = p->e.code == SV_WARN;

		sv_xw_start(x, "tr");
		sv_xw_start(x, "td");
		tag(x, warn ? "t-warning" : "t-error",
		    warn ? "warning" : "error");
		sv_xw_end(x);
		if (p->e.line)
			snprintf(where, sizeof(where), "%s, line %" PRIu64,
				 p->e.artifact, p->e.line);
		else if (p->e.offset)
			snprintf(where, sizeof(where), "%s, byte %" PRIu64,
				 p->e.artifact, p->e.offset);
		else
			snprintf(where, sizeof(where), "%s", p->e.artifact);
		td_text(x, where, "mono");
		td_text(x, p->e.msg, NULL);
		sv_xw_end(x);
	}
	sv_xw_end(x);
	sv_xw_end(x);
}

static void head(struct sv_xw *x, const struct sv_analysis *a)
{
	char title[300];

	sv_xw_start(x, "head");
	sv_xw_start(x, "meta");
	sv_xw_attr(x, "charset", "utf-8");
	sv_xw_end(x);
	sv_xw_start(x, "meta");
	sv_xw_attr(x, "name", "viewport");
	sv_xw_attr(x, "content", "width=device-width, initial-scale=1");
	sv_xw_end(x);
	/* No script, no remote anything: the page must open offline. */
	sv_xw_start(x, "meta");
	sv_xw_attr(x, "http-equiv", "Content-Security-Policy");
	sv_xw_attr(x, "content", "default-src 'none'; style-src "
				 "'unsafe-inline'; img-src data:");
	sv_xw_end(x);
	snprintf(title, sizeof(title), "salvage: %s", a->bundle_name);
	el(x, "title", NULL, title);
	sv_xw_start(x, "style");
	sv_xw_raw(x, css);
	sv_xw_end(x);
	sv_xw_end(x);
}

static void body(struct sv_xw *x, const struct sv_analysis *a)
{
	char line[400], when[SV_TIME_TEXT_MAX];

	sv_xw_start(x, "body");
	sv_xw_start(x, "main");
	snprintf(line, sizeof(line), "Incident report: %s", a->bundle_name);
	el(x, "h1", NULL, line);
	sv_time_format(a->started_ns, when);
	snprintf(line, sizeof(line), "Analysed %s by salvage %s", when,
		 SV_VERSION);
	el(x, "p", "sub", line);
	banner(x, a);
	summary(x, a);
	sv_report_findings_html(x, a);
	sv_report_entities_html(x, a);
	provenance(x, a);
	custody(x, &a->custody);
	inventory(x, a);
	sv_report_net_html(x, a);
	unknown_files(x, a);
	problems(x, a);
	el(x, "footer", NULL, "Generated by salvage. Every string from the "
			      "bundle is shown as text, escaped; none is "
			      "trusted markup.");
	sv_xw_end(x);
	sv_xw_end(x);
}

enum sv_status sv_report_write_html(const struct sv_analysis *a,
				    const char *dir, struct sv_error *err)
{
	struct sv_outfile out;
	struct sv_xw x;

	SV_FORWARD(sv_outfile_open(&out, dir, "report.html", err));
	if (sv_xw_open(&x, out.fp, 1)) {
		sv_outfile_abort(&out);
		return sv_error_set(err, SV_ERR_NOMEM, out.final,
				    "cannot start the HTML writer");
	}
	sv_xw_raw(&x, "<!DOCTYPE html>\n");
	sv_xw_start(&x, "html");
	sv_xw_attr(&x, "lang", "en");
	head(&x, a);
	body(&x, a);
	sv_xw_end(&x);
	sv_xw_raw(&x, "\n");
	if (sv_xw_close(&x)) {
		sv_outfile_abort(&out);
		return sv_error_set(err, SV_ERR_IO, out.final,
				    "writing the HTML report failed");
	}
	return sv_outfile_commit(&out, err);
}
