/*
 * report_xml.c - report.xml, streamed with xmlTextWriter; its shape is
 * reports/report.xsd (namespace urn:salvage:report:1).
 *
 *   <report>
 *     <analysis/> <bundle/> <manifest/> <custody><issue/>*</custody>
 *     <inventory><artifact/>* <snapshots/> <unknown-files><file/>*</…>
 *     <problems><problem/>*</problems>
 *   </report>
 */
#include <string.h>

#include "sv_outfile.h"
#include "sv_report.h"
#include "sv_report_parts.h"
#include "sv_time.h"
#include "sv_xw.h"

#ifndef SV_VERSION
#define SV_VERSION "0"
#endif

const char *sv_report_read_verdict(const struct sv_analysis *a)
{
	if (!a->opened)
		return "unreadable";
	return sv_analysis_input_ok(a) ? "clean-read" : "problems";
}

static void write_analysis(struct sv_xw *x, const struct sv_analysis *a)
{
	sv_xw_start(x, "analysis");
	sv_xw_attr(x, "tool", "salvage");
	sv_xw_attr(x, "tool-version", SV_VERSION);
	sv_xw_attr_time(x, "started", a->started_ns);
	sv_xw_attr_u64(x, "elapsed-ms", (uint64_t)(a->elapsed_s * 1000));
	sv_xw_attr_u64(x, "read-ms", (uint64_t)(a->read_s * 1000));
	sv_xw_attr_u64(x, "build-ms", (uint64_t)(a->build_s * 1000));
	sv_xw_attr_u64(x, "timeline-ms", (uint64_t)(a->timeline_s * 1000));
	sv_xw_attr(x, "read-verdict", sv_report_read_verdict(a));
	sv_xw_end(x);
}

static void write_bundle(struct sv_xw *x, const struct sv_analysis *a)
{
	const struct sv_bundle_stats *st = &a->stats;

	sv_xw_start(x, "bundle");
	sv_xw_attr(x, "path", a->bundle_path);
	sv_xw_attr(x, "name", a->bundle_name);
	sv_xw_attr(x, "container", sv_container_name(st->container));
	sv_xw_attr_bool(x, "opened", a->opened);
	sv_xw_attr_bool(x, "complete", a->complete);
	sv_xw_attr_u64(x, "stored-bytes", st->stored_bytes);
	sv_xw_attr_u64(x, "decompressed-bytes", st->decompressed_bytes);
	sv_xw_attr_u64(x, "members", st->entries);
	sv_xw_attr_u64(x, "files", st->files);
	if (st->has_digest)
		sv_xw_attr_hex(x, "sha256", st->digest, sizeof(st->digest));
	if (a->root_folder)
		sv_xw_attr(x, "root-folder", a->root_folder);
	sv_xw_end(x);
}

static void write_manifest(struct sv_xw *x, const struct sv_analysis *a)
{
	const struct sv_manifest *m = &a->manifest;

	sv_xw_start(x, "manifest");
	sv_xw_attr(x, "status", sv_manifest_status_name(a->manifest_status));
	if (a->manifest_status == SV_MANIFEST_OK) {
		sv_xw_attr_i64(x, "version", m->version);
		sv_xw_attr(x, "host", m->host);
		sv_xw_attr_time(x, "started", m->started_ns);
		sv_xw_attr_time(x, "ended", m->ended_ns);
		sv_xw_attr(x, "collector", m->collector);
		if (m->has_boot_time)
			sv_xw_attr_time(x, "boot-time", m->boot_time_ns);
		if (m->has_clk_tck)
			sv_xw_attr_i64(x, "clk-tck", m->clk_tck);
		if (m->notes)
			sv_xw_leaf(x, "notes", m->notes);
	}
	sv_xw_end(x);
}

static void write_custody(struct sv_xw *x, const struct sv_custody_result *c)
{
	const struct sv_custody_issue *is;

	sv_xw_start(x, "custody");
	sv_xw_attr(x, "status", sv_custody_status_name(c->status));
	sv_xw_attr_u64(x, "listed", c->listed);
	sv_xw_attr_u64(x, "verified", c->verified);
	sv_xw_attr_u64(x, "mismatched", c->counts[SV_CUSTODY_MISMATCH]);
	sv_xw_attr_u64(x, "not-covered", c->counts[SV_CUSTODY_NOT_COVERED]);
	sv_xw_attr_u64(x, "missing", c->counts[SV_CUSTODY_MISSING]);
	sv_xw_attr_u64(x, "unhashed", c->counts[SV_CUSTODY_UNHASHED]);
	sv_xw_attr_u64(x, "duplicates", c->counts[SV_CUSTODY_DUPLICATE]);
	for (is = c->issues; is; is = is->next) {
		static const uint8_t zero[SV_SHA256_LEN];

		sv_xw_start(x, "issue");
		sv_xw_attr(x, "kind", sv_custody_issue_name(is->kind));
		sv_xw_attr(x, "path", is->path);
		if (memcmp(is->expected, zero, sizeof(zero)))
			sv_xw_attr_hex(x, "expected", is->expected,
				       SV_SHA256_LEN);
		if (memcmp(is->actual, zero, sizeof(zero)))
			sv_xw_attr_hex(x, "actual", is->actual, SV_SHA256_LEN);
		sv_xw_end(x);
	}
	sv_xw_end(x);
}

static void write_artifacts(struct sv_xw *x, const struct sv_analysis *a)
{
	int k;

	for (k = 0; k < SV_ART_COUNT; k++) {
		const struct sv_kind_stats *ks = &a->kinds[k];

		if (!ks->files)
			continue;
		sv_xw_start(x, "artifact");
		sv_xw_attr(x, "kind", sv_artifact_name((enum sv_artifact)k));
		sv_xw_attr(x, "title", sv_artifact_title((enum sv_artifact)k));
		sv_xw_attr_u64(x, "files", ks->files);
		sv_xw_attr_u64(x, "bytes", ks->bytes);
		sv_xw_attr_u64(x, "parsed", ks->parsed);
		sv_xw_attr_u64(x, "failed", ks->failed);
		sv_xw_attr_u64(x, "records", ks->records);
		sv_xw_attr_u64(x, "unread", ks->unread);
		if (ks->readers[0])
			sv_xw_attr(x, "readers", ks->readers);
		sv_xw_end(x);
	}
}

static void write_inventory(struct sv_xw *x, const struct sv_analysis *a)
{
	const struct sv_unknown_entry *u;

	sv_xw_start(x, "inventory");
	write_artifacts(x, a);
	sv_xw_start(x, "snapshots");
	sv_xw_attr_u64(x, "count", a->n_snapshots);
	if (a->n_snapshots) {
		int64_t first = a->snapshots[0];
		int64_t last = a->snapshots[a->n_snapshots - 1];

		sv_xw_attr_time(x, "first", first);
		sv_xw_attr_time(x, "last", last);
		sv_xw_attr_u64(x, "span-ms", (uint64_t)((last - first) / 1000000));
	}
	sv_xw_end(x);
	sv_xw_start(x, "unknown-files");
	sv_xw_attr_u64(x, "total", a->unknown_total);
	for (u = a->unknown; u; u = u->next) {
		sv_xw_start(x, "file");
		sv_xw_attr(x, "path", u->path);
		sv_xw_attr_u64(x, "bytes", u->size);
		sv_xw_attr_bool(x, "text", u->is_text);
		sv_xw_end(x);
	}
	sv_xw_end(x);
	sv_xw_end(x);
}

static void write_problems(struct sv_xw *x, const struct sv_analysis *a)
{
	const struct sv_problem *p;

	sv_xw_start(x, "problems");
	sv_xw_attr_u64(x, "errors", a->errors);
	sv_xw_attr_u64(x, "warnings", a->warnings);
	for (p = a->problems; p; p = p->next) {
		sv_xw_start(x, "problem");
		sv_xw_attr(x, "severity",
			   p->e.code == SV_WARN ? "warning" : "error");
		sv_xw_attr(x, "code", sv_status_name(p->e.code));
		if (p->e.artifact[0])
			sv_xw_attr(x, "artifact", p->e.artifact);
		if (p->e.line)
			sv_xw_attr_u64(x, "line", p->e.line);
		if (p->e.offset)
			sv_xw_attr_u64(x, "offset", p->e.offset);
		sv_xw_text(x, p->e.msg);
		sv_xw_end(x);
	}
	sv_xw_end(x);
}

static void write_doc(struct sv_xw *x, const struct sv_analysis *a)
{
	if (xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0)
		x->failed = 1;
	sv_xw_start(x, "report");
	sv_xw_attr(x, "xmlns", SV_REPORT_NS);
	sv_xw_attr(x, "version", "1");
	write_analysis(x, a);
	write_bundle(x, a);
	write_manifest(x, a);
	write_custody(x, &a->custody);
	write_inventory(x, a);
	sv_report_findings_xml(x, a);
	sv_report_entities_xml(x, a);
	sv_report_net_xml(x, a);
	write_problems(x, a);
	sv_xw_end(x);
}

enum sv_status sv_report_write_xml(const struct sv_analysis *a,
				   const char *dir, struct sv_error *err)
{
	struct sv_outfile out;
	struct sv_xw x;

	SV_FORWARD(sv_outfile_open(&out, dir, "report.xml", err));
	if (sv_xw_open(&x, out.fp, 0)) {
		sv_outfile_abort(&out);
		return sv_error_set(err, SV_ERR_NOMEM, out.final,
				    "cannot start the XML writer");
	}
	write_doc(&x, a);
	if (sv_xw_close(&x)) {
		sv_outfile_abort(&out);
		return sv_error_set(err, SV_ERR_IO, out.final,
				    "writing the XML report failed");
	}
	return sv_outfile_commit(&out, err);
}
