/*
 * cli_inspect.c - `salvage inspect BUNDLE...`: what a bundle holds, its
 * custody status and what could not be read; --json for scripts.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sv_cli.h"
#include "sv_cursor.h"
#include "sv_text.h"
#include "sv_time.h"

static const char help[] =
	"usage: salvage inspect [OPTION]... BUNDLE...\n"
	"Read each bundle (.tar.zst, .tar.gz, .tar.xz, .tar or a folder) and\n"
	"print what it holds: artifact kinds with counts and bytes, snapshot\n"
	"times, chain-of-custody status, unknown files and errors.\n\n"
	"  --json        one JSON document on stdout instead of text\n"
	"  -q, --quiet   no progress line\n"
	"  -h, --help    this help\n\n" SV_LIMIT_HELP
	"\nExit codes: 0 every bundle read and trusted, 2 usage error,\n"
	"3 a bundle could not be read or trusted.\n";

/* ---- JSON ---- */

/* jansson wants valid UTF-8; bundle strings are cleaned first. */
static json_t *jstr(const char *s)
{
	char *c = sv_text_clean(NULL, s, strlen(s), SV_TEXT_DEFAULT_MAX);
	json_t *j = c ? json_string(c) : NULL;

	free(c);
	return j ? j : json_null();
}

static json_t *jtime(int64_t ns)
{
	char buf[SV_TIME_TEXT_MAX];

	sv_time_format(ns, buf);
	return json_string(buf);
}

static json_t *jhex(const uint8_t *p, size_t n)
{
	char buf[129];

	sv_hex_encode(p, n, buf);
	return json_string(buf);
}

static json_t *json_manifest(const struct sv_analysis *a)
{
	const struct sv_manifest *m = &a->manifest;
	json_t *j = json_object();

	json_object_set_new(j, "status", json_string(sv_manifest_status_name(
						  a->manifest_status)));
	if (a->manifest_status != SV_MANIFEST_OK)
		return j;
	json_object_set_new(j, "version", json_integer(m->version));
	json_object_set_new(j, "host", jstr(m->host));
	json_object_set_new(j, "started", jtime(m->started_ns));
	json_object_set_new(j, "ended", jtime(m->ended_ns));
	json_object_set_new(j, "collector", jstr(m->collector));
	if (m->notes)
		json_object_set_new(j, "notes", jstr(m->notes));
	return j;
}

static json_t *json_custody(const struct sv_custody_result *c)
{
	json_t *j = json_object(), *issues = json_array();
	const struct sv_custody_issue *is;

	json_object_set_new(j, "status",
			    json_string(sv_custody_status_name(c->status)));
	json_object_set_new(j, "listed", json_integer((json_int_t)c->listed));
	json_object_set_new(j, "verified",
			    json_integer((json_int_t)c->verified));
	for (is = c->issues; is; is = is->next) {
		json_t *i = json_object();

		json_object_set_new(i, "kind", json_string(
				    sv_custody_issue_name(is->kind)));
		json_object_set_new(i, "path", jstr(is->path));
		if (is->kind == SV_CUSTODY_MISMATCH) {
			json_object_set_new(i, "expected",
					    jhex(is->expected, SV_SHA256_LEN));
			json_object_set_new(i, "actual",
					    jhex(is->actual, SV_SHA256_LEN));
		}
		json_array_append_new(issues, i);
	}
	json_object_set_new(j, "issues", issues);
	return j;
}

static json_t *json_artifacts(const struct sv_analysis *a)
{
	json_t *arr = json_array();
	int k;

	for (k = 0; k < SV_ART_COUNT; k++) {
		const struct sv_kind_stats *ks = &a->kinds[k];
		json_t *o;

		if (!ks->files)
			continue;
		o = json_object();
		json_object_set_new(o, "kind", json_string(sv_artifact_name(
						      (enum sv_artifact)k)));
		json_object_set_new(o, "files", json_integer((json_int_t)ks->files));
		json_object_set_new(o, "bytes", json_integer((json_int_t)ks->bytes));
		json_object_set_new(o, "readers", json_string(ks->readers));
		json_object_set_new(o, "unread", json_integer((json_int_t)ks->unread));
		json_object_set_new(o, "failed", json_integer((json_int_t)ks->failed));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *json_rest(const struct sv_analysis *a, json_t *j)
{
	json_t *unk = json_array(), *probs = json_array(), *snap = json_object();
	const struct sv_unknown_entry *u;
	const struct sv_problem *p;

	json_object_set_new(snap, "count", json_integer((json_int_t)a->n_snapshots));
	if (a->n_snapshots) {
		json_object_set_new(snap, "first", jtime(a->snapshots[0]));
		json_object_set_new(snap, "last",
				    jtime(a->snapshots[a->n_snapshots - 1]));
	}
	json_object_set_new(j, "snapshots", snap);
	for (u = a->unknown; u; u = u->next) {
		json_t *o = json_object();

		json_object_set_new(o, "path", jstr(u->path));
		json_object_set_new(o, "bytes", json_integer((json_int_t)u->size));
		json_array_append_new(unk, o);
	}
	json_object_set_new(j, "unknown_files", unk);
	json_object_set_new(j, "unknown_total",
			    json_integer((json_int_t)a->unknown_total));
	for (p = a->problems; p; p = p->next) {
		json_t *o = json_object();

		json_object_set_new(o, "severity", json_string(
				    p->e.code == SV_WARN ? "warning" : "error"));
		json_object_set_new(o, "code", json_string(sv_status_name(p->e.code)));
		json_object_set_new(o, "artifact", jstr(p->e.artifact));
		if (p->e.line)
			json_object_set_new(o, "line", json_integer((json_int_t)p->e.line));
		if (p->e.offset)
			json_object_set_new(o, "offset",
					    json_integer((json_int_t)p->e.offset));
		json_object_set_new(o, "message", jstr(p->e.msg));
		json_array_append_new(probs, o);
	}
	json_object_set_new(j, "problems", probs);
	json_object_set_new(j, "errors", json_integer((json_int_t)a->errors));
	json_object_set_new(j, "warnings", json_integer((json_int_t)a->warnings));
	return j;
}

/* What ran and what the rules found: counts, then each finding. */
static json_t *json_findings(const struct sv_analysis *a)
{
	const struct sv_finding *f;
	json_t *j = json_object(), *list = json_array();
	int s;

	for (s = 0; s < SV_SEV_COUNT; s++)
		json_object_set_new(j, sv_severity_name((enum sv_severity)s),
				    json_integer((json_int_t)
						 a->findings.by_severity[s]));
	for (f = a->findings.list; f; f = f->next) {
		json_t *o = json_object();

		json_object_set_new(o, "rule", json_string(f->rule));
		json_object_set_new(o, "severity",
				    json_string(sv_severity_name(f->severity)));
		json_object_set_new(o, "technique", json_string(f->technique));
		json_object_set_new(o, "title", jstr(f->title));
		json_object_set_new(o, "time", jtime(f->ts_ns));
		if (f->container_id)
			json_object_set_new(o, "container",
				jstr(sv_analysis_container_label(
					a, f->container_id)));
		json_array_append_new(list, o);
	}
	json_object_set_new(j, "list", list);
	return j;
}

static json_t *json_analysis(const struct sv_analysis *a)
{
	const struct sv_bundle_stats *st = &a->stats;
	json_t *j = json_object();

	json_object_set_new(j, "bundle", jstr(a->bundle_path));
	json_object_set_new(j, "opened", json_boolean(a->opened));
	json_object_set_new(j, "complete", json_boolean(a->complete));
	json_object_set_new(j, "trusted", json_boolean(sv_analysis_input_ok(a)));
	json_object_set_new(j, "container",
			    json_string(sv_container_name(st->container)));
	json_object_set_new(j, "stored_bytes", json_integer((json_int_t)st->stored_bytes));
	json_object_set_new(j, "decompressed_bytes",
			    json_integer((json_int_t)st->decompressed_bytes));
	json_object_set_new(j, "files", json_integer((json_int_t)st->files));
	if (st->has_digest)
		json_object_set_new(j, "sha256", jhex(st->digest, SV_SHA256_LEN));
	json_object_set_new(j, "manifest", json_manifest(a));
	json_object_set_new(j, "custody", json_custody(&a->custody));
	json_object_set_new(j, "artifacts", json_artifacts(a));
	json_object_set_new(j, "containers",
			    json_integer((json_int_t)(a->containers
						      ? a->containers->n : 0)));
	json_object_set_new(j, "processes",
			    json_integer((json_int_t)(a->procs ? a->procs->n
							      : 0)));
	json_object_set_new(j, "flows", json_integer((json_int_t)a->net.flows));
	json_object_set_new(j, "timeline_events",
			    json_integer((json_int_t)a->timeline.n));
	json_object_set_new(j, "findings", json_findings(a));
	return json_rest(a, j);
}

/* ---- text ---- */

static void human(uint64_t b, char *buf, size_t n)
{
	if (b >= (1ULL << 30))
		snprintf(buf, n, "%.1f GiB", (double)b / (1ULL << 30));
	else if (b >= (1ULL << 20))
		snprintf(buf, n, "%.1f MiB", (double)b / (1ULL << 20));
	else if (b >= 1024)
		snprintf(buf, n, "%.1f KiB", (double)b / 1024);
	else
		snprintf(buf, n, "%" PRIu64 " B", b);
}

static void print_head(const struct sv_analysis *a)
{
	const struct sv_bundle_stats *st = &a->stats;
	char s1[32], s2[32], hex[65];

	sv_cli_put(stdout, a->bundle_path);
	printf("\n");
	human(st->stored_bytes, s1, sizeof(s1));
	human(st->decompressed_bytes, s2, sizeof(s2));
	printf("  container  %s, %s stored, %s decompressed, %" PRIu64
	       " files%s\n", sv_container_name(st->container), s1, s2,
	       st->files, a->complete ? "" : " (read stopped early)");
	if (st->has_digest) {
		sv_hex_encode(st->digest, SV_SHA256_LEN, hex);
		printf("  sha256     %s\n", hex);
	}
}

static void print_manifest(const struct sv_analysis *a)
{
	char t1[SV_TIME_TEXT_MAX], t2[SV_TIME_TEXT_MAX];

	printf("  manifest   %s", sv_manifest_status_name(a->manifest_status));
	if (a->manifest_status == SV_MANIFEST_OK) {
		sv_time_format(a->manifest.started_ns, t1);
		sv_time_format(a->manifest.ended_ns, t2);
		printf(": host ");
		sv_cli_put(stdout, a->manifest.host);
		printf(", %s .. %s", t1, t2);
	}
	printf("\n");
	if (a->n_snapshots) {
		int64_t f = a->snapshots[0], l = a->snapshots[a->n_snapshots - 1];

		sv_time_format(f, t1);
		sv_time_format(l, t2);
		printf("  snapshots  %" PRIu64 ", %s .. %s (%.1f s)\n",
		       a->n_snapshots, t1, t2, (double)(l - f) / 1e9);
	} else {
		printf("  snapshots  none\n");
	}
}

static void print_custody(const struct sv_custody_result *c)
{
	const struct sv_custody_issue *is;
	int shown = 0;

	printf("  custody    %s", sv_custody_status_name(c->status));
	if (c->status == SV_CUSTODY_ABSENT)
		printf(" (no SHA256SUMS)\n");
	else
		printf(": %" PRIu64 " verified of %" PRIu64 " listed; %" PRIu64
		       " mismatched, %" PRIu64 " not listed, %" PRIu64
		       " missing\n", c->verified, c->listed,
		       c->counts[SV_CUSTODY_MISMATCH],
		       c->counts[SV_CUSTODY_NOT_COVERED],
		       c->counts[SV_CUSTODY_MISSING]);
	for (is = c->issues; is && shown < 20; is = is->next, shown++) {
		printf("    %-11s ", sv_custody_issue_name(is->kind));
		sv_cli_put(stdout, is->path);
		printf("\n");
	}
}

static void print_artifacts(const struct sv_analysis *a)
{
	const struct sv_unknown_entry *u;
	char sz[32];
	int k, shown = 0;

	printf("  artifacts\n");
	for (k = 0; k < SV_ART_COUNT; k++) {
		const struct sv_kind_stats *ks = &a->kinds[k];

		if (!ks->files)
			continue;
		human(ks->bytes, sz, sizeof(sz));
		printf("    %-15s %8" PRIu64 " files %10s %9" PRIu64
		       " records  %s\n", sv_artifact_name((enum sv_artifact)k),
		       ks->files, sz, ks->records,
		       ks->readers[0] ? ks->readers : "(no reader yet)");
	}
	if (a->unknown_total)
		printf("  unknown    %" PRIu64 " files outside the contract\n",
		       a->unknown_total);
	for (u = a->unknown; u && shown < 20; u = u->next, shown++) {
		printf("    ");
		sv_cli_put(stdout, u->path);
		printf("\n");
	}
}

static void print_problems(const struct sv_analysis *a)
{
	const struct sv_problem *p;
	char line[SV_ERROR_ARTIFACT_MAX + SV_ERROR_MSG_MAX + 64];
	int shown = 0;

	printf("  problems   %" PRIu64 " errors, %" PRIu64 " warnings\n",
	       a->errors, a->warnings);
	for (p = a->problems; p && shown < 50; p = p->next, shown++) {
		sv_error_format(&p->e, line, sizeof(line));
		printf("    %-7s ", p->e.code == SV_WARN ? "warning" : "error");
		sv_cli_put(stdout, line);
		printf("\n");
	}
}

static void print_findings(const struct sv_analysis *a)
{
	const struct sv_finding *f;
	int shown = 0;

	printf("  rebuilt    %" PRIu64 " containers, %" PRIu64 " processes, %"
	       PRIu64 " flows, %" PRIu64 " timeline events\n",
	       (uint64_t)(a->containers ? a->containers->n : 0),
	       (uint64_t)(a->procs ? a->procs->n : 0), a->net.flows,
	       a->timeline.n);
	printf("  findings   %" PRIu64 "\n", a->findings.n);
	for (f = a->findings.list; f && shown < 20; f = f->next, shown++) {
		printf("    %-8s ", sv_severity_name(f->severity));
		sv_cli_put(stdout, f->title);
		printf(" [%s]\n", f->rule);
	}
}

static void print_text(const struct sv_analysis *a)
{
	print_head(a);
	print_manifest(a);
	print_custody(&a->custody);
	print_artifacts(a);
	print_findings(a);
	print_problems(a);
}

/* ---- command ---- */

int sv_cmd_inspect(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		SV_LIMIT_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	struct sv_pipeline_options o;
	int json = 0, quiet = 0, c, i, rc = SV_EXIT_OK;
	json_t *doc = NULL, *arr = NULL;

	sv_pipeline_options_default(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		if (c == 'j') {
			json = 1;
		} else if (c == 'q') {
			quiet = 1;
		} else if (c == 'h') {
			fputs(help, stdout);
			return SV_EXIT_OK;
		} else if (c < 1000 || sv_cli_limit_option(c, optarg, &o)) {
			if (c >= 1000)
				fprintf(stderr, "salvage inspect: bad value "
						"for --%s\n",
					sv_cli_limit_name(c));
			fputs(help, stderr);
			return SV_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "salvage inspect: no bundle given\n");
		fputs(help, stderr);
		return SV_EXIT_USAGE;
	}
	o.progress = !quiet && isatty(2);
	if (json) {
		doc = json_object();
		arr = json_array();
		json_object_set_new(doc, "bundles", arr);
	}
	for (i = optind; i < argc; i++) {
		struct sv_error err;
		struct sv_analysis *a = sv_pipeline_run(argv[i], &o, &err);

		if (!a) {
			fprintf(stderr, "salvage: %s\n", err.msg);
			rc = sv_exit_worst(rc, SV_EXIT_OUTPUT);
			continue;
		}
		if (json)
			json_array_append_new(arr, json_analysis(a));
		else
			print_text(a);
		if (!sv_analysis_input_ok(a)) {
			sv_cli_print_errors(a, 20);
			rc = sv_exit_worst(rc, SV_EXIT_INPUT);
		}
		sv_analysis_free(a);
	}
	if (json) {
		if (json_dumpf(doc, stdout, JSON_INDENT(2)) != 0)
			rc = sv_exit_worst(rc, SV_EXIT_OUTPUT);
		printf("\n");
		json_decref(doc);
	}
	return rc;
}
