/*
 * test_pipeline.c - analyzer/sv_pipeline end to end on generated bundles:
 * the manifest, chain of custody, inventory, snapshots, broken input and
 * running out of memory.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sv_layout.h"
#include "sv_pipeline.h"
#include "sv_testbundle.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define NS 1000000000LL
#define SNAP0 (1795939200LL * NS)
#define SNAP1 (1795939205LL * NS + 500000000)

static char *g_tmp;

static void tmp_setup(void)
{
	g_tmp = tb_tmpdir();
	ck_assert_ptr_nonnull(g_tmp);
}

static void tmp_teardown(void)
{
	tb_rmrf(g_tmp);
	free(g_tmp);
	g_tmp = NULL;
}

/* name inside a fresh folder, so the bundle's name is exactly name. */
static char *tmp_path(const char *name)
{
	static unsigned seq;
	char dir[512];

	snprintf(dir, sizeof(dir), "%s/%d-%u", g_tmp, (int)getpid(), seq++);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	return tb_join(dir, name);
}

/* Write b as name (.tar.zst, .tar, or a folder) and analyse it. */
static struct sv_analysis *analyse_opts(const struct tb *b, const char *name,
					const struct sv_pipeline_options *o)
{
	char *path = tmp_path(name);
	size_t n = strlen(name);
	struct sv_analysis *a;
	struct sv_error err;
	int rc;

	if (n > 8 && !strcmp(name + n - 8, ".tar.zst"))
		rc = tb_write(b, path, TB_TAR_ZST);
	else if (n > 4 && !strcmp(name + n - 4, ".tar"))
		rc = tb_write(b, path, TB_TAR);
	else
		rc = tb_write_dir(b, path);
	ck_assert_int_eq(rc, 0);
	sv_error_clear(&err);
	a = sv_pipeline_run(path, o, &err);
	ck_assert_msg(a != NULL, "pipeline returned NULL: %s", err.msg);
	ck_assert_str_eq(a->bundle_path, path);
	free(path);
	return a;
}

static struct sv_analysis *analyse(const struct tb *b, const char *name)
{
	struct sv_pipeline_options o;

	sv_pipeline_options_default(&o);
	return analyse_opts(b, name, &o);
}

/* All problems, one per line, for failure messages. */
static const char *problems_text(const struct sv_analysis *a)
{
	static char buf[8192];
	const struct sv_problem *p;
	size_t used = 0;

	buf[0] = '\0';
	for (p = a->problems; p && used < sizeof(buf) - 700; p = p->next) {
		char line[SV_ERROR_ARTIFACT_MAX + SV_ERROR_MSG_MAX + 32];

		sv_error_format(&p->e, line, sizeof(line));
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
					 "\n  [%s] %s",
					 sv_status_name(p->e.code), line);
	}
	return buf;
}

/* The first problem of that severity whose artifact and message contain
 * the given texts (NULL: any). */
static const struct sv_problem *problem(const struct sv_analysis *a,
					int warning, const char *artifact,
					const char *msg)
{
	const struct sv_problem *p;

	for (p = a->problems; p; p = p->next) {
		if ((p->e.code == SV_WARN) != warning)
			continue;
		if (artifact && !strstr(p->e.artifact, artifact))
			continue;
		if (msg && !strstr(p->e.msg, msg))
			continue;
		return p;
	}
	return NULL;
}

static const struct sv_custody_issue *issue(const struct sv_analysis *a,
					    enum sv_custody_issue_kind k,
					    const char *path)
{
	const struct sv_custody_issue *is;

	for (is = a->custody.issues; is; is = is->next)
		if (is->kind == k && !strcmp(is->path, path))
			return is;
	return NULL;
}

/* Files and bytes per artifact kind equal what the layout says of b. */
static void check_inventory(const struct sv_analysis *a, const struct tb *b)
{
	uint64_t files[SV_ART_COUNT] = {0}, bytes[SV_ART_COUNT] = {0};
	size_t i;
	int k;

	for (i = 0; i < b->n; i++) {
		struct sv_layout lay;

		if (b->m[i].kind != TB_FILE || b->m[i].raw)
			continue;
		sv_layout_classify(b->m[i].path, &lay);
		files[lay.kind]++;
		bytes[lay.kind] += b->m[i].len;
	}
	for (k = 0; k < SV_ART_COUNT; k++) {
		ck_assert_msg(a->kinds[k].files == files[k],
			      "%s: %llu files, want %llu",
			      sv_artifact_name((enum sv_artifact)k),
			      (unsigned long long)a->kinds[k].files,
			      (unsigned long long)files[k]);
		ck_assert_msg(a->kinds[k].bytes == bytes[k],
			      "%s: %llu bytes, want %llu",
			      sv_artifact_name((enum sv_artifact)k),
			      (unsigned long long)a->kinds[k].bytes,
			      (unsigned long long)bytes[k]);
		ck_assert_uint_le(a->kinds[k].parsed + a->kinds[k].failed,
				  a->kinds[k].files);
	}
}

static void assert_trusted(const struct sv_analysis *a)
{
	ck_assert_msg(a->errors == 0, "errors:%s", problems_text(a));
	ck_assert_msg(sv_analysis_input_ok(a), "not trusted:%s",
		      problems_text(a));
}

/* ---- a good bundle, in every container ---- */

static const char *const good_names[] = {"good.tar.zst", "good.tar",
					  "good"};

START_TEST(good_bundle)
{
	struct tb *b = tb_new();
	struct sv_analysis *a;

	tb_add_standard(b);
	a = analyse(b, good_names[_i]);
	ck_assert(a->opened);
	ck_assert(a->complete);
	ck_assert_int_eq(a->fatal.code, SV_OK);
	assert_trusted(a);
	ck_assert_str_eq(a->bundle_name, "good");
	ck_assert_int_eq(a->manifest_status, SV_MANIFEST_OK);
	ck_assert_int_eq(a->manifest.version, 1);
	ck_assert_str_eq(a->manifest.host, "testhost");
	ck_assert_str_eq(a->manifest.collector, "tests");
	ck_assert_ptr_null(a->manifest.notes);
	ck_assert(a->manifest.started_ns == 1795939200LL * NS);
	ck_assert(a->manifest.ended_ns == 1795939210LL * NS);
	ck_assert_int_eq(a->custody.status, SV_CUSTODY_ABSENT);
	check_inventory(a, b);
	ck_assert_str_eq(a->kinds[SV_ART_MANIFEST].readers, "manifest");
	ck_assert_uint_eq(a->kinds[SV_ART_MANIFEST].parsed, 1);
	ck_assert_uint_ge(a->kinds[SV_ART_MANIFEST].records, 1);
	ck_assert_uint_eq(a->n_snapshots, 2);
	ck_assert(a->snapshots[0] == SNAP0);
	ck_assert(a->snapshots[1] == SNAP1);
	ck_assert_uint_eq(a->unknown_total, 0);
	ck_assert_ptr_null(a->unknown);
	ck_assert_uint_eq(a->stats.files, b->n);
	ck_assert_int_eq(a->stats.container,
			 _i == 0 ? SV_CONTAINER_TAR_ZST
			 : _i == 1 ? SV_CONTAINER_TAR : SV_CONTAINER_DIR);
	ck_assert_int_eq(a->stats.has_digest, _i != 2);
	ck_assert_ptr_null(a->root_folder);
	ck_assert(a->elapsed_s >= 0);
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

/* ---- chain of custody ---- */

struct sums_case {
	enum tb_sums_style style;
	const char *prefix;
	const char *name;
};

static const struct sums_case sums_cases[] = {
	{TB_SUMS_TEXT, NULL, "b.tar.zst"},
	{TB_SUMS_BINARY, NULL, "b.tar.zst"},
	{TB_SUMS_DOTSLASH, NULL, "b.tar"},
	{TB_SUMS_TEXT, "myhost-2026-11-29", "b.tar.zst"},
	{TB_SUMS_DOTSLASH, "myhost-2026-11-29", "b"},
};

START_TEST(custody_verified)
{
	const struct sums_case *t = &sums_cases[_i];
	struct tb *b = tb_new();
	struct sv_analysis *a;

	tb_add_standard(b);
	tb_add_sums(b, t->style);
	b->prefix = t->prefix;
	a = analyse(b, t->name);
	assert_trusted(a);
	ck_assert_int_eq(a->custody.status, SV_CUSTODY_VERIFIED);
	ck_assert_uint_eq(a->custody.listed, b->n - 1);
	ck_assert_uint_eq(a->custody.verified, b->n - 1);
	ck_assert_uint_eq(a->custody.issues_total, 0);
	ck_assert_ptr_null(a->custody.issues);
	ck_assert_str_eq(a->kinds[SV_ART_SHA256SUMS].readers, "sha256sums");
	if (t->prefix)
		ck_assert_str_eq(a->root_folder, t->prefix);
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

START_TEST(custody_mismatch)
{
	static const char *const victim = "proc/1795939200/uptime";
	struct tb *b = tb_new();
	struct sv_analysis *a;
	const struct sv_custody_issue *is;
	const struct sv_problem *p;
	uint8_t old[32], new[32];

	tb_add_standard(b);
	tb_add_sums(b, TB_SUMS_TEXT);
	tb_sha256("1000.50 1900.25\n", 16, old);
	ck_assert_int_eq(tb_replace(b, victim, "9999.50 1900.25\n"), 0);
	tb_sha256("9999.50 1900.25\n", 16, new);
	a = analyse(b, "tampered.tar.zst");
	ck_assert(a->complete);
	ck_assert_int_eq(a->custody.status, SV_CUSTODY_FAILED);
	ck_assert_uint_eq(a->custody.counts[SV_CUSTODY_MISMATCH], 1);
	ck_assert_uint_eq(a->custody.verified, b->n - 2);
	is = issue(a, SV_CUSTODY_MISMATCH, victim);
	ck_assert_ptr_nonnull(is);
	ck_assert(memcmp(is->expected, old, 32) == 0);
	ck_assert(memcmp(is->actual, new, 32) == 0);
	p = problem(a, 0, "SHA256SUMS", "chain of custody failed");
	ck_assert_msg(p != NULL, "no custody error:%s", problems_text(a));
	ck_assert_ptr_nonnull(strstr(p->e.msg, victim));
	ck_assert(!sv_analysis_input_ok(a));
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

START_TEST(custody_not_covered)
{
	struct tb *b = tb_new();
	struct sv_analysis *a;

	tb_add_standard(b);
	tb_add_sums(b, TB_SUMS_TEXT);
	tb_add_str(b, "events/dmesg.txt", "[    0.000000] Linux version\n");
	a = analyse(b, "extra.tar.zst");
	ck_assert_int_eq(a->custody.status, SV_CUSTODY_FAILED);
	ck_assert_uint_eq(a->custody.counts[SV_CUSTODY_NOT_COVERED], 1);
	ck_assert_ptr_nonnull(issue(a, SV_CUSTODY_NOT_COVERED,
				    "events/dmesg.txt"));
	ck_assert_uint_eq(a->custody.verified, b->n - 2);
	ck_assert(!sv_analysis_input_ok(a));
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

START_TEST(custody_missing)
{
	struct tb *b = tb_new();
	struct sv_analysis *a;
	char *sums, *more, hex[65];
	uint8_t d[32];

	tb_add_standard(b);
	sums = tb_sums_text(b, TB_SUMS_TEXT);
	tb_sha256("gone\n", 5, d);
	tb_hex(d, 32, hex);
	more = malloc(strlen(sums) + 128);
	snprintf(more, strlen(sums) + 128, "%s%s  events/crio.log\n", sums,
		 hex);
	tb_add_str(b, "SHA256SUMS", more);
	a = analyse(b, "missing.tar.zst");
	ck_assert_int_eq(a->custody.status, SV_CUSTODY_FAILED);
	ck_assert_uint_eq(a->custody.counts[SV_CUSTODY_MISSING], 1);
	ck_assert_ptr_nonnull(issue(a, SV_CUSTODY_MISSING, "events/crio.log"));
	ck_assert(memcmp(issue(a, SV_CUSTODY_MISSING, "events/crio.log")
				 ->expected, d, 32) == 0);
	ck_assert_uint_eq(a->custody.listed, b->n);
	ck_assert(!sv_analysis_input_ok(a));
	free(sums);
	free(more);
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

struct bad_line_case {
	const char *line;     /* inserted as line 2 */
	const char *msg;      /* expected in the warning */
};

static const struct bad_line_case bad_lines[] = {
	{"this is not a sha256sum line", "not a sha256sum line"},
	{"0123456789abcdef  short-digest", "not a sha256sum line"},
	{"zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	 "  proc/x", "not a sha256sum line"},
	{"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	 "\tproc/x", "not a sha256sum line"},
	{"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	 "  ../etc/passwd", "'..'"},
	{"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	 "  /etc/passwd", "absolute"},
};

/* A malformed line is a warning with its line number; the rest of the
 * file is still checked and custody verifies. */
START_TEST(custody_malformed_line)
{
	const struct bad_line_case *t = &bad_lines[_i];
	struct tb *b = tb_new();
	struct sv_analysis *a;
	const struct sv_problem *p;
	char *sums, *nl, *text;
	size_t n;

	tb_add_standard(b);
	sums = tb_sums_text(b, TB_SUMS_TEXT);
	nl = strchr(sums, '\n');
	n = strlen(sums) + strlen(t->line) + 2;
	text = malloc(n);
	snprintf(text, n, "%.*s%s\n%s", (int)(nl - sums + 1), sums, t->line,
		 nl + 1);
	tb_add_str(b, "SHA256SUMS", text);
	a = analyse(b, "badline.tar.zst");
	p = problem(a, 1, "SHA256SUMS", t->msg);
	ck_assert_msg(p != NULL, "no warning:%s", problems_text(a));
	ck_assert_uint_eq(p->e.line, 2);
	ck_assert_int_eq(a->custody.status, SV_CUSTODY_VERIFIED);
	ck_assert_uint_eq(a->custody.verified, b->n - 1);
	assert_trusted(a);
	free(sums);
	free(text);
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

START_TEST(custody_listed_twice)
{
	struct tb *b = tb_new();
	struct sv_analysis *a;
	char *sums, *text;
	size_t n;

	tb_add_standard(b);
	sums = tb_sums_text(b, TB_SUMS_TEXT);
	n = 2 * strlen(sums) + 1;
	text = malloc(n);
	snprintf(text, n, "%s%.*s", sums, (int)(strchr(sums, '\n') - sums + 1),
		 sums);
	tb_add_str(b, "SHA256SUMS", text);
	a = analyse(b, "twice.tar.zst");
	ck_assert_msg(problem(a, 1, "SHA256SUMS", "listed twice") != NULL,
		      "%s", problems_text(a));
	ck_assert_int_eq(a->custody.status, SV_CUSTODY_VERIFIED);
	free(sums);
	free(text);
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

START_TEST(duplicate_member)
{
	int with_sums;

	for (with_sums = 0; with_sums < 2; with_sums++) {
		struct tb *b = tb_new();
		struct sv_analysis *a;

		tb_add_standard(b);
		if (with_sums)
			tb_add_sums(b, TB_SUMS_TEXT);
		tb_add_str(b, "events/docker.jsonl", "");
		a = analyse(b, "dup.tar");
		ck_assert_msg(problem(a, 1, "events/docker.jsonl",
				      "holds this path twice") != NULL,
			      "%s", problems_text(a));
		ck_assert_uint_eq(a->kinds[SV_ART_DOCKER_EVENTS].files, 2);
		if (with_sums) {
			ck_assert_int_eq(a->custody.status,
					 SV_CUSTODY_FAILED);
			ck_assert_uint_eq(
				a->custody.counts[SV_CUSTODY_DUPLICATE], 1);
			ck_assert_ptr_nonnull(issue(a, SV_CUSTODY_DUPLICATE,
						    "events/docker.jsonl"));
			ck_assert(!sv_analysis_input_ok(a));
		}
		sv_analysis_free(a);
		tb_free(b);
	}
}
END_TEST

/* ---- inventory ---- */

START_TEST(unknown_files_listed)
{
	static const unsigned char binary[] = {0x7f, 'E', 'L', 'F', 0, 1, 2};
	struct tb *b = tb_new();
	struct sv_analysis *a;
	const struct sv_unknown_entry *u;
	int seen = 0;

	tb_add_standard(b);
	tb_add_str(b, "notes/readme.txt", "taken by hand\n");
	tb_add_str(b, "events/other.log", "x\n");
	tb_add_str(b, "pcap/sub/x.pcap", "not here\n");
	tb_add(b, "bin/tool", binary, sizeof(binary));
	a = analyse(b, "unknown.tar.zst");
	assert_trusted(a);
	ck_assert_uint_eq(a->unknown_total, 4);
	ck_assert_uint_eq(a->kinds[SV_ART_UNKNOWN].files, 4);
	ck_assert_str_eq(a->kinds[SV_ART_UNKNOWN].readers, "unknown");
	for (u = a->unknown; u; u = u->next, seen++) {
		if (!strcmp(u->path, "notes/readme.txt")) {
			ck_assert_uint_eq(u->size, 14);
			ck_assert(u->is_text);
		} else if (!strcmp(u->path, "bin/tool")) {
			ck_assert_uint_eq(u->size, sizeof(binary));
			ck_assert(!u->is_text);
		}
	}
	ck_assert_int_eq(seen, 4);
	check_inventory(a, b);
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

/* Snapshots come distinct and sorted, whatever the archive order. */
START_TEST(snapshots_sorted)
{
	struct tb *b = tb_new();
	struct sv_analysis *a;
	uint64_t i;
	char path[128];
	int k;

	tb_add_manifest(b);
	/* 300 distinct times, descending, each twice, with a fraction */
	for (k = 299; k >= 0; k--) {
		snprintf(path, sizeof(path), "proc/%lld.%03d/uptime",
			 1795939200LL + k, k % 1000);
		tb_add_str(b, path, "1.00 2.00\n");
		snprintf(path, sizeof(path), "cgroup/%lld.%03d/cpu.stat",
			 1795939200LL + k, k % 1000);
		tb_add_str(b, path, "usage_usec 1\n");
	}
	a = analyse(b, "snaps.tar.zst");
	ck_assert_uint_eq(a->n_snapshots, 300);
	for (i = 0; i < 300; i++) {
		int64_t want = (1795939200LL + (int64_t)i) * NS +
			       (int64_t)i * 1000000;

		ck_assert(a->snapshots[i] == want);
	}
	ck_assert_uint_eq(a->kinds[SV_ART_PROC_HOST].files, 300);
	ck_assert_uint_eq(a->kinds[SV_ART_CGROUP].files, 300);
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

/* ---- the manifest ---- */

#define GOOD_REST                                                          \
	"\"host\":\"testhost\",\"started\":\"2026-11-29T08:00:00Z\","         \
	"\"ended\":\"2026-11-29T08:00:10Z\",\"collector\":\"tests\""
#define HEAD "{\"format\":\"salvage-bundle\",\"version\":1,"

struct manifest_case {
	const char *what;
	const char *text;  /* NULL: no manifest.json */
	enum sv_manifest_status status;
	uint64_t line;     /* of the error; 0: not checked */
	const char *msg;   /* in the error or warning */
};

static const struct manifest_case manifests[] = {
	{"ok", HEAD GOOD_REST "}", SV_MANIFEST_OK, 0, NULL},
	{"missing", NULL, SV_MANIFEST_MISSING, 0, "missing"},
	{"bad json", "{\n \"format\": \"salvage-bundle\",\n \"version\": 1,\n"
		     " oops\n}\n", SV_MANIFEST_INVALID, 4, "invalid JSON"},
	{"empty", "", SV_MANIFEST_INVALID, 0, "invalid JSON"},
	{"array", "[1, 2]", SV_MANIFEST_INVALID, 0, "not a JSON object"},
	{"format", "{\"format\":\"other-bundle\",\"version\":1," GOOD_REST "}",
	 SV_MANIFEST_INVALID, 0, "salvage-bundle"},
	{"no format", "{\"version\":1," GOOD_REST "}", SV_MANIFEST_INVALID, 0,
	 "format"},
	{"version 2", "{\"format\":\"salvage-bundle\",\"version\":2," GOOD_REST
		      "}", SV_MANIFEST_UNSUPPORTED, 0, "version 2"},
	{"version 0", "{\"format\":\"salvage-bundle\",\"version\":0," GOOD_REST
		      "}", SV_MANIFEST_UNSUPPORTED, 0, "version"},
	{"version string", "{\"format\":\"salvage-bundle\",\"version\":\"1\","
			   GOOD_REST "}", SV_MANIFEST_INVALID, 0, "version"},
	{"no version", "{\"format\":\"salvage-bundle\"," GOOD_REST "}",
	 SV_MANIFEST_INVALID, 0, "version"},
	{"no host", HEAD "\"started\":\"2026-11-29T08:00:00Z\",\"ended\":"
		    "\"2026-11-29T08:00:10Z\",\"collector\":\"tests\"}",
	 SV_MANIFEST_INVALID, 0, "'host'"},
	{"empty host", HEAD "\"host\":\"\",\"started\":"
		       "\"2026-11-29T08:00:00Z\",\"ended\":"
		       "\"2026-11-29T08:00:10Z\",\"collector\":\"t\"}",
	 SV_MANIFEST_INVALID, 0, "'host'"},
	{"no started", HEAD "\"host\":\"h\",\"ended\":\"2026-11-29T08:00:10Z\","
		       "\"collector\":\"tests\"}", SV_MANIFEST_INVALID, 0,
	 "'started'"},
	{"no ended", HEAD "\"host\":\"h\",\"started\":\"2026-11-29T08:00:10Z\","
		     "\"collector\":\"tests\"}", SV_MANIFEST_INVALID, 0,
	 "'ended'"},
	{"no collector", HEAD "\"host\":\"h\",\"started\":"
			 "\"2026-11-29T08:00:00Z\",\"ended\":"
			 "\"2026-11-29T08:00:10Z\"}",
	 SV_MANIFEST_INVALID, 0, "'collector'"},
	{"bad time", HEAD "\"host\":\"h\",\"started\":\"yesterday\",\"ended\":"
		     "\"2026-11-29T08:00:10Z\",\"collector\":\"tests\"}",
	 SV_MANIFEST_INVALID, 0, "RFC 3339"},
	{"bad date", HEAD "\"host\":\"h\",\"started\":\"2026-02-30T08:00:00Z\","
		     "\"ended\":\"2026-11-29T08:00:10Z\",\"collector\":\"t\"}",
	 SV_MANIFEST_INVALID, 0, "'started'"},
	{"duplicate key", HEAD GOOD_REST ",\"host\":\"other\"}",
	 SV_MANIFEST_INVALID, 0, "invalid JSON"},
	{"bad clk_tck", HEAD GOOD_REST ",\"clk_tck\":0}", SV_MANIFEST_INVALID,
	 0, "clk_tck"},
	{"bad boot_time", HEAD GOOD_REST ",\"boot_time\":\"soon\"}",
	 SV_MANIFEST_INVALID, 0, "boot_time"},
	{"notes number", HEAD GOOD_REST ",\"notes\":5}", SV_MANIFEST_INVALID,
	 0, "notes"},
	{"optional", HEAD GOOD_REST ",\"boot_time\":1795938200,\"clk_tck\":100,"
		     "\"notes\":\"n\",\"extra\":{\"a\":1}}", SV_MANIFEST_OK, 0,
	 NULL},
	{"collector object", HEAD "\"host\":\"h\",\"started\":"
			     "\"2026-11-29T08:00:00Z\",\"ended\":"
			     "\"2026-11-29T08:00:10Z\",\"collector\":"
			     "{\"version\":\"1.2\",\"name\":\"c\"}}",
	 SV_MANIFEST_OK, 0, NULL},
	{"ended early", HEAD "\"host\":\"h\",\"started\":"
			"\"2026-11-29T08:00:10Z\",\"ended\":"
			"\"2026-11-29T08:00:00Z\",\"collector\":\"t\"}",
	 SV_MANIFEST_OK, 0, "before"},
};

START_TEST(manifest_table)
{
	const struct manifest_case *t = &manifests[_i];
	struct tb *b = tb_new();
	struct sv_analysis *a;
	const struct sv_problem *p = NULL;

	if (t->text)
		tb_add_str(b, "manifest.json", t->text);
	tb_add_str(b, "proc/1795939200/uptime", "1000.50 1900.25\n");
	tb_add_str(b, "notes/readme.txt", "by hand\n");
	a = analyse(b, "m.tar.zst");
	ck_assert_msg(a->manifest_status == t->status, "%s: status %s:%s",
		      t->what, sv_manifest_status_name(a->manifest_status),
		      problems_text(a));
	ck_assert(a->opened);
	if (t->status == SV_MANIFEST_OK) {
		ck_assert_msg(a->errors == 0, "%s:%s", t->what,
			      problems_text(a));
		ck_assert(sv_analysis_input_ok(a));
		ck_assert(a->complete);
		if (t->msg)
			ck_assert_msg(problem(a, 1, "manifest.json", t->msg),
				      "%s: no warning:%s", t->what,
				      problems_text(a));
	} else {
		ck_assert(!sv_analysis_input_ok(a));
		ck_assert_uint_ge(a->errors, 1);
		p = problem(a, 0, "manifest.json", t->msg);
		ck_assert_msg(p != NULL, "%s: no error naming manifest.json "
			      "with '%s':%s", t->what, t->msg,
			      problems_text(a));
		if (t->line)
			ck_assert_uint_eq(p->e.line, t->line);
	}
	if (t->status == SV_MANIFEST_UNSUPPORTED) {
		/* fatal: reading stopped right after the manifest */
		ck_assert_int_eq(a->fatal.code, SV_ERR_UNSUPPORTED);
		ck_assert_str_eq(a->fatal.artifact, "manifest.json");
		ck_assert(!a->complete);
		ck_assert_uint_eq(a->kinds[SV_ART_UNKNOWN].files, 0);
	} else {
		ck_assert_int_eq(a->fatal.code, SV_OK);
		ck_assert(a->complete);
		ck_assert_uint_eq(a->kinds[SV_ART_UNKNOWN].files, 1);
		ck_assert_uint_eq(a->n_snapshots, 1);
	}
	if (!strcmp(t->what, "optional")) {
		ck_assert(a->manifest.has_boot_time);
		ck_assert(a->manifest.boot_time_ns == 1795938200LL * NS);
		ck_assert(a->manifest.has_clk_tck);
		ck_assert_int_eq(a->manifest.clk_tck, 100);
		ck_assert_str_eq(a->manifest.notes, "n");
	}
	if (!strcmp(t->what, "collector object"))
		ck_assert_str_eq(a->manifest.collector,
				 "{\"name\":\"c\",\"version\":\"1.2\"}");
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

START_TEST(second_manifest)
{
	struct tb *b = tb_new();
	struct sv_analysis *a;

	tb_add_standard(b);
	tb_add_str(b, "manifest.json", HEAD "\"host\":\"evil\",\"started\":"
		   "\"2026-11-29T08:00:00Z\",\"ended\":"
		   "\"2026-11-29T08:00:10Z\","
		   "\"collector\":\"x\"}");
	a = analyse(b, "two.tar.zst");
	ck_assert_str_eq(a->manifest.host, "testhost");
	ck_assert_msg(problem(a, 0, "manifest.json", "second manifest"),
		      "%s", problems_text(a));
	ck_assert(!sv_analysis_input_ok(a));
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

/* ---- broken input ---- */

/* A refused member is an error: the bundle was not read whole and is
 * not trusted (README "Exit codes"); the rest is still read. */
START_TEST(refused_member_reported)
{
	struct tb *b = tb_new();
	struct sv_pipeline_options o;
	struct sv_analysis *a;
	const struct sv_problem *p;

	tb_add_standard(b);
	tb_add_raw(b, "../escape", "x\n");
	tb_add_raw(b, "/etc/cron.d/x", "x\n");
	tb_add_symlink(b, "events/podman.jsonl", "/etc/shadow");
	a = analyse(b, "escape.tar.zst");
	ck_assert(a->complete);
	p = problem(a, 0, a->bundle_path, "'..' refused");
	ck_assert_msg(p != NULL, "%s", problems_text(a));
	ck_assert_int_eq(p->e.code, SV_ERR_CORRUPT);
	ck_assert_msg(problem(a, 0, NULL, "absolute path refused") != NULL,
		      "%s", problems_text(a));
	ck_assert_msg(problem(a, 0, NULL, "symbolic link refused") != NULL,
		      "%s", problems_text(a));
	ck_assert_uint_eq(a->kinds[SV_ART_PODMAN_EVENTS].files, 0);
	ck_assert(!sv_analysis_input_ok(a));
	check_inventory(a, b);
	sv_analysis_free(a);
	/* a member over --max-entry-size: refused, a limit error */
	tb_free(b);
	b = tb_new();
	tb_add_standard(b);
	sv_pipeline_options_default(&o);
	o.bundle.limits.max_entry_bytes = 300;
	a = analyse_opts(b, "big.tar.zst", &o);
	p = problem(a, 0, NULL, "--max-entry-size");
	ck_assert_msg(p != NULL, "%s", problems_text(a));
	ck_assert_int_eq(p->e.code, SV_ERR_LIMIT);
	ck_assert(!sv_analysis_input_ok(a));
	ck_assert_uint_eq(a->kinds[SV_ART_DOCKER_EVENTS].files, 0);
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

START_TEST(unreadable_bundles)
{
	struct sv_pipeline_options o;
	struct sv_analysis *a;
	struct sv_error err;
	char *missing = tmp_path("nope.tar.zst");
	char *junk = tmp_path("junk.tar.zst");

	sv_pipeline_options_default(&o);
	a = sv_pipeline_run(missing, &o, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert(!a->opened);
	ck_assert_int_eq(a->fatal.code, SV_ERR_IO);
	ck_assert_str_eq(a->fatal.artifact, missing);
	ck_assert_uint_eq(a->errors, 1);
	ck_assert(!sv_analysis_input_ok(a));
	ck_assert_str_eq(a->bundle_name, "nope");
	sv_analysis_free(a);

	ck_assert_int_eq(tb_write_file(junk, "no archive here\n", 16), 0);
	a = sv_pipeline_run(junk, &o, &err);
	ck_assert(!a->opened);
	ck_assert(sv_is_error(a->fatal.code));
	ck_assert_str_eq(a->fatal.artifact, junk);
	ck_assert(!sv_analysis_input_ok(a));
	sv_analysis_free(a);
	free(missing);
	free(junk);
}
END_TEST

/* Cut in the middle: with SHA256SUMS read before the cut (0) and with
 * SHA256SUMS after it (1), custody is incomplete, not absent. */
START_TEST(truncated_bundle)
{
	struct tb *b = tb_new();
	char *path = tmp_path("cut.tar.zst");
	struct sv_pipeline_options o;
	struct sv_analysis *a;
	struct sv_error err;
	size_t size;

	tb_add_standard(b);
	if (_i == 0)
		tb_add_sums(b, TB_SUMS_TEXT);
	tb_add_random(b, "pcap/big.pcap", 2u << 20, 5);
	if (_i == 1)
		tb_add_sums(b, TB_SUMS_TEXT);
	ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
	free(tb_read_file(path, &size));
	ck_assert_int_eq(tb_truncate_file(path, size / 2), 0);
	sv_pipeline_options_default(&o);
	a = sv_pipeline_run(path, &o, &err);
	ck_assert(a->opened);
	ck_assert(!a->complete);
	ck_assert_msg(a->fatal.code == SV_ERR_TRUNCATED ||
			      a->fatal.code == SV_ERR_CORRUPT,
		      "%s", problems_text(a));
	ck_assert_str_eq(a->fatal.artifact, path);
	ck_assert_int_eq(a->custody.status, SV_CUSTODY_INCOMPLETE);
	ck_assert_int_eq(a->stats.has_digest, 0);
	ck_assert(!sv_analysis_input_ok(a));
	/* what came before the cut was still read */
	ck_assert_int_eq(a->manifest_status, SV_MANIFEST_OK);
	sv_analysis_free(a);
	free(path);
	tb_free(b);
}
END_TEST

START_TEST(empty_bundle)
{
	struct tb *b = tb_new();
	struct sv_analysis *a = analyse(b, "empty.tar.zst");

	ck_assert(a->opened);
	ck_assert(a->complete);
	ck_assert_int_eq(a->manifest_status, SV_MANIFEST_MISSING);
	ck_assert_msg(problem(a, 0, "manifest.json", "missing") != NULL, "%s",
		      problems_text(a));
	ck_assert(!sv_analysis_input_ok(a));
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

/* One capped run: NULL with an error, or an analysis that, when any
 * allocation failed, is not trusted. Returns whether it was trusted. */
static int capped_run(const char *path, uint64_t cap)
{
	struct sv_pipeline_options o;
	struct sv_analysis *a;
	struct sv_error err;
	int ok, i;

	sv_pipeline_options_default(&o);
	o.arena_cap = cap;
	sv_error_clear(&err);
	a = sv_pipeline_run(path, &o, &err);
	if (!a) {
		ck_assert_int_eq(err.code, SV_ERR_NOMEM);
		return 0;
	}
	ok = sv_analysis_input_ok(a);
	if (sv_arena_failed(a->arena))
		ck_assert_msg(!ok, "cap %llu: an allocation failed, yet "
			      "trusted:%s", (unsigned long long)cap,
			      problems_text(a));
	if (!ok)
		ck_assert_msg(a->errors > 0, "cap %llu: untrusted, no error",
			      (unsigned long long)cap);
	for (i = 0; ok && i < SV_ART_COUNT; i++)
		ck_assert_uint_eq(a->kinds[i].failed, 0);
	sv_analysis_free(a);
	return ok;
}

/*
 * A per-bundle memory cap that is too small: a clean, reported failure
 * (or NULL with an error), never a crash and never a trusted result.
 * Caps sweep from 1 byte to what the uncapped run used.
 */
START_TEST(arena_cap)
{
	struct tb *b = tb_new();
	struct sv_pipeline_options o;
	struct sv_analysis *a;
	struct sv_error err;
	char *path = tmp_path("cap.tar.zst");
	uint64_t used, k;

	tb_add_standard(b);
	tb_add_sums(b, TB_SUMS_TEXT);
	ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
	sv_pipeline_options_default(&o);
	a = sv_pipeline_run(path, &o, &err);
	assert_trusted(a);
	used = sv_arena_used(a->arena);
	sv_analysis_free(a);
	for (k = 0; k < 96; k++)
		capped_run(path, 1 + used * k / 96);
	for (k = 1; k <= 64; k++)
		capped_run(path, used - k * 16);
	ck_assert_msg(capped_run(path, used), "the cap of what an uncapped "
		      "run used (%llu) is not enough",
		      (unsigned long long)used);
	free(path);
	tb_free(b);
}
END_TEST

/*
 * End to end on the real incident sample: every artifact kind is read,
 * and its capture (tcpdump -i any on the podman bridge) becomes the 47
 * TCP flows tshark -z conv,tcp lists, each frame seen on the veth and the
 * bridge counted once; the reverse shell to :4444 is one of them.
 */
START_TEST(incident_sample)
{
	struct sv_pipeline_options o;
	struct sv_error err;
	struct sv_analysis *a;
	const struct sv_flow *f;
	int shell = 0, k;

	sv_pipeline_options_default(&o);
	a = sv_pipeline_run(SV_SOURCE_DIR "/samples/web-incident.tar.zst", &o,
			    &err);
	ck_assert_ptr_nonnull(a);
	assert_trusted(a);
	for (k = 1; k < SV_ART_COUNT; k++) {
		if (k == SV_ART_UNKNOWN || !a->kinds[k].files)
			continue;
		ck_assert_msg(a->kinds[k].readers[0], "kind %d unread", k);
		ck_assert_uint_eq(a->kinds[k].failed, 0);
	}
	ck_assert_uint_eq(a->captures, 1);
	ck_assert_uint_eq(a->net.flows, 47);
	ck_assert_uint_eq(a->net.duplicates_dropped, 570);
	ck_assert_uint_eq(a->net.non_ip, 10);
	for (f = a->flows; f; f = f->next)
		if (f->b_port == 4444 && f->a_port == 41184)
			shell++;
	ck_assert_int_eq(shell, 1);
	sv_analysis_free(a);
}
END_TEST

static Suite *pipeline_suite(void)
{
	Suite *s = suite_create("pipeline");
	TCase *tc = tcase_create("good");

	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, good_bundle, 0, N(good_names));
	tcase_add_test(tc, unknown_files_listed);
	tcase_add_test(tc, snapshots_sorted);
	suite_add_tcase(s, tc);

	tc = tcase_create("custody");
	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, custody_verified, 0, N(sums_cases));
	tcase_add_test(tc, custody_mismatch);
	tcase_add_test(tc, custody_not_covered);
	tcase_add_test(tc, custody_missing);
	tcase_add_loop_test(tc, custody_malformed_line, 0, N(bad_lines));
	tcase_add_test(tc, custody_listed_twice);
	tcase_add_test(tc, duplicate_member);
	suite_add_tcase(s, tc);

	tc = tcase_create("manifest");
	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, manifest_table, 0, N(manifests));
	tcase_add_test(tc, second_manifest);
	suite_add_tcase(s, tc);

	tc = tcase_create("broken");
	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, refused_member_reported);
	tcase_add_test(tc, unreadable_bundles);
	tcase_add_loop_test(tc, truncated_bundle, 0, 2);
	tcase_add_test(tc, empty_bundle);
	tcase_add_test(tc, arena_cap);
	tcase_add_test(tc, incident_sample);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pipeline_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
