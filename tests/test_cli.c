/*
 * test_cli.c - the salvage command: exit codes, error lines, report
 * folders and inspect --json, by running the built binary.
 */
#include <check.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sv_testbundle.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))


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

static char *fresh_dir(void)
{
	static unsigned seq;
	char dir[512];

	snprintf(dir, sizeof(dir), "%s/%d-%u", g_tmp, (int)getpid(), seq++);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	return strdup(dir);
}

/* ---- running the binary ---- */

struct result {
	int code;     /* exit status */
	char *out, *err;
	size_t nout, nerr;
};

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

/* salvage argv... with stdout and stderr captured in files. */
static struct result run(const char *const *args)
{
	char *dir = fresh_dir();
	char *out = tb_join(dir, "stdout"), *err = tb_join(dir, "stderr");
	struct result r;

	r.code = tb_spawn(SV_SALVAGE_BIN, args, out, err);
	ck_assert_msg(r.code >= 0 && r.code < 128, "salvage failed to run "
		      "or died: %d", r.code);
	r.out = tb_read_file(out, &r.nout);
	r.err = tb_read_file(err, &r.nerr);
	ck_assert(r.out && r.err);
	free(out);
	free(err);
	free(dir);
	return r;
}

/* A line of text starting with prefix. */
static int has_line(const char *text, const char *prefix)
{
	const char *p = text;

	for (;;) {
		if (!strncmp(p, prefix, strlen(prefix)))
			return 1;
		p = strchr(p, '\n');
		if (!p)
			return 0;
		p++;
	}
}

/* Every stderr line is "salvage: <bundle>: ..." or "salvage: ..." and
 * the first names the bundle. */
static void assert_error_lines(const struct result *r, const char *bundle)
{
	char want[1024];
	const char *p;
	int lines = 0;

	snprintf(want, sizeof(want), "salvage: %s: ", bundle);
	ck_assert_msg(!strncmp(r->err, want, strlen(want)),
		      "stderr does not start with '%s':\n%s", want, r->err);
	for (p = r->err; *p; p = strchr(p, '\n') + 1) {
		ck_assert_msg(!strncmp(p, "salvage: ", 9), "stray line: %s", p);
		ck_assert_msg(strchr(p, '\n') != NULL, "unterminated line");
		lines++;
	}
	ck_assert_int_le(lines, 21);
}

/* ---- bundles ---- */

static char *write_good(const char *dir, const char *name, int as_dir)
{
	struct tb *b = tb_new();
	char *path = tb_join(dir, name);

	tb_add_standard(b);
	tb_add_sums(b, TB_SUMS_TEXT);
	ck_assert_int_eq(as_dir ? tb_write_dir(b, path)
				: tb_write(b, path, TB_TAR_ZST),
			 0);
	tb_free(b);
	return path;
}

static char *report_file(const char *dir, const char *sub, const char *name)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s%s%s/%s", dir, sub ? "/" : "",
		 sub ? sub : "", name);
	return strdup(buf);
}

static int has_reports(const char *dir, const char *sub)
{
	char *x = report_file(dir, sub, "report.xml");
	char *h = report_file(dir, sub, "report.html");
	int both = tb_exists(x) && tb_exists(h), any = tb_exists(x) ||
						       tb_exists(h);

	free(x);
	free(h);
	ck_assert_msg(both == any, "only one of report.xml, report.html");
	return both;
}

/* ---- usage ---- */

struct usage_case {
	const char *args[14]; /* "@GOOD": a good bundle; "@OUT": a folder */
	int code;
	const char *out;      /* in stdout, or NULL */
	const char *err;      /* in stderr, or NULL */
};

static const struct usage_case usage[] = {
	{{"--help"}, 0, "usage: salvage COMMAND", NULL},
	{{"-h"}, 0, "usage: salvage", NULL},
	{{"help"}, 0, "usage: salvage", NULL},
	{{"--version"}, 0, "salvage ", NULL},
	{{"inspect", "--help"}, 0, "usage: salvage inspect", NULL},
	{{"inspect", "-h"}, 0, "usage: salvage inspect", NULL},
	{{"analyze", "--help"}, 0, "usage: salvage analyze", NULL},
	{{"analyze", "-h", "-o", "@OUT"}, 0, "usage: salvage analyze", NULL},
	{{NULL}, 2, NULL, "usage: salvage"},
	{{"frobnicate"}, 2, NULL, "unknown command 'frobnicate'"},
	{{"fro\x1b[31mb"}, 2, NULL, "fro\\x1b[31mb"},
	{{"--frob"}, 2, NULL, "unknown command"},
	{{"inspect", "--bogus", "@GOOD"}, 2, NULL, "usage: salvage inspect"},
	{{"analyze", "--bogus", "-o", "@OUT", "@GOOD"}, 2, NULL, "usage"},
	{{"analyze", "-x", "-o", "@OUT", "@GOOD"}, 2, NULL, "usage"},
	{{"analyze", "@GOOD"}, 2, NULL, "-o DIR is required"},
	{{"analyze", "-o", "@OUT"}, 2, NULL, "no bundle given"},
	{{"analyze", "-o"}, 2, NULL, NULL},
	{{"inspect"}, 2, NULL, "no bundle given"},
	{{"inspect", "--json"}, 2, NULL, "no bundle given"},
	{{"analyze", "--max-entry-size", "12Q", "-o", "@OUT", "@GOOD"}, 2, NULL,
	 "bad value for --max-entry-size"},
	{{"analyze", "--max-total", "1X", "-o", "@OUT", "@GOOD"}, 2, NULL,
	 "bad value for --max-total"},
	{{"inspect", "--max-entries", "abc", "@GOOD"}, 2, NULL,
	 "bad value for --max-entries"},
	{{"inspect", "--max-entries", "-1", "@GOOD"}, 2, NULL, "--max-entries"},
	{{"inspect", "--max-ratio", "1.5", "@GOOD"}, 2, NULL, "--max-ratio"},
	{{"inspect", "--max-path", "0", "@GOOD"}, 2, NULL, "--max-path"},
	{{"inspect", "--max-path", "5000", "@GOOD"}, 2, NULL, "--max-path"},
	{{"inspect", "--max-entry-size", "", "@GOOD"}, 2, NULL,
	 "--max-entry-size"},
	{{"inspect", "--max-entry-size", "99999999999T", "@GOOD"}, 2, NULL,
	 "--max-entry-size"},
	/* good values are taken */
	{{"inspect", "--max-entry-size", "64M", "--max-entries", "100",
	  "--max-total", "1G", "--max-ratio", "0", "--max-path", "300",
	  "@GOOD"}, 0, "testhost", NULL},
	{{"inspect", "-q", "@GOOD"}, 0, "verified", NULL},
	/* --fail-on */
	{{"analyze", "--fail-on", "severe", "-o", "@OUT", "@GOOD"}, 2, NULL,
	 "--fail-on takes info, low, medium, high or critical"},
	{{"analyze", "--fail-on", "info", "-q", "-o", "@OUT", "@GOOD"}, 0, NULL,
	 NULL},
	/* timeline */
	{{"timeline"}, 2, NULL, "no bundle given"},
	{{"timeline", "--format", "xml", "@GOOD"}, 2, NULL,
	 "--format is jsonl or csv"},
	{{"timeline", "@GOOD", "@GOOD"}, 2, NULL, "one bundle at a time"},
	{{"timeline", "--max-net-events", "x", "@GOOD"}, 2, NULL,
	 "--max-net-events"},
	{{"timeline", "--help"}, 0, "Timesketch", NULL},
	{{"timeline", "-o", "@OUT", "@GOOD"}, 0, NULL, NULL},
	{{"timeline", "--format", "csv", "--max-net-events", "0", "@GOOD"}, 0,
	 "message,datetime,timestamp,timestamp_desc", NULL},
};

START_TEST(usage_table)
{
	const struct usage_case *t = &usage[_i];
	char *dir = fresh_dir(), *good = write_good(dir, "good.tar.zst", 0);
	char *out = tb_join(dir, "out");
	const char *args[16];
	struct result r;
	int i;

	for (i = 0; t->args[i]; i++)
		args[i] = !strcmp(t->args[i], "@GOOD") ? good
			: !strcmp(t->args[i], "@OUT")  ? out
						       : t->args[i];
	args[i] = NULL;
	r = run(args);
	ck_assert_msg(r.code == t->code, "case %d: exit %d, want %d\n%s", _i,
		      r.code, t->code, r.err);
	if (t->out)
		ck_assert_msg(strstr(r.out, t->out) != NULL,
			      "case %d: stdout lacks '%s':\n%s", _i, t->out,
			      r.out);
	if (t->err)
		ck_assert_msg(strstr(r.err, t->err) != NULL,
			      "case %d: stderr lacks '%s':\n%s", _i, t->err,
			      r.err);
	if (t->code == 2)
		ck_assert_msg(!tb_exists(out), "a usage error made %s", out);
	ck_assert_ptr_null(memchr(r.err, '\x1b', r.nerr));
	result_free(&r);
	free(out);
	free(good);
	free(dir);
}
END_TEST

/* ---- good bundles ---- */

START_TEST(analyze_good)
{
	static const int as_dir[] = {0, 1};
	size_t k;

	for (k = 0; k < 2; k++) {
		char *dir = fresh_dir();
		char *good = write_good(dir, as_dir[k] ? "good"
							: "good.tar.zst",
					as_dir[k]);
		char *out = tb_join(dir, "out/deeper");
		const char *args[] = {"analyze", good, "-o", out, NULL};
		const char *quiet[] = {"analyze", "-q", "-o", out, good, NULL};
		char want[1024];
		struct result r = run(args);

		ck_assert_msg(r.code == 0, "exit %d:\n%s", r.code, r.err);
		ck_assert_msg(r.nerr == 0, "stderr:\n%s", r.err);
		ck_assert(has_reports(out, NULL));
		ck_assert_int_eq(tb_count_prefixed(out, "."), 0);
		snprintf(want, sizeof(want), "report: %s/report.html", out);
		ck_assert_msg(strstr(r.out, want) != NULL, "%s", r.out);
		result_free(&r);
		r = run(quiet);
		ck_assert_int_eq(r.code, 0);
		ck_assert_uint_eq(r.nout, 0);
		result_free(&r);
		free(out);
		free(good);
		free(dir);
	}
}
END_TEST

START_TEST(inspect_good_text)
{
	char *dir = fresh_dir(), *good = write_good(dir, "good.tar.zst", 0);
	const char *args[] = {"inspect", good, NULL};
	struct result r = run(args);

	ck_assert_msg(r.code == 0, "exit %d:\n%s", r.code, r.err);
	ck_assert(has_line(r.out, good));
	ck_assert_ptr_nonnull(strstr(r.out, "tar.zst"));
	ck_assert_ptr_nonnull(strstr(r.out, "host testhost"));
	ck_assert_ptr_nonnull(strstr(r.out, "custody    verified"));
	ck_assert_ptr_nonnull(strstr(r.out, "snapshots  2"));
	ck_assert_ptr_nonnull(strstr(r.out, "0 errors, 0 warnings"));
	result_free(&r);
	free(good);
	free(dir);
}
END_TEST

/* ---- bad bundles ---- */

enum bad {
	BAD_TRUNCATED, BAD_NOT_ARCHIVE, BAD_NO_MANIFEST, BAD_MISMATCH,
	BAD_TRAVERSAL, BAD_NO_DIR, BAD_EMPTY_FILE, BAD_EMPTY_TAR,
	BAD_VERSION2, BAD_SYMLINK
};

struct bad_case {
	enum bad kind;
	const char *name;
	int report; /* a report is still written */
};

static const struct bad_case bad[] = {
	{BAD_TRUNCATED, "cut.tar.zst", 1},
	{BAD_NOT_ARCHIVE, "junk.tar.zst", 0},
	{BAD_NO_MANIFEST, "nomanifest.tar.zst", 1},
	{BAD_MISMATCH, "tampered.tar.zst", 1},
	{BAD_NO_DIR, "nodir/", 0},
	{BAD_EMPTY_FILE, "empty.tar.zst", 0},
	{BAD_EMPTY_TAR, "emptytar.tar", 1},
	{BAD_VERSION2, "v2.tar.zst", 0},
};

/* Hostile bundles the issue also wants refused with exit 3. */
static const struct bad_case hostile[] = {
	{BAD_TRAVERSAL, "traversal.tar.zst", 1},
	{BAD_SYMLINK, "symlink.tar.zst", 1},
};

static char *write_bad(const char *dir, const struct bad_case *t)
{
	struct tb *b = tb_new();
	char *path = tb_join(dir, t->name);
	size_t size;

	tb_add_standard(b);
	switch (t->kind) {
	case BAD_TRUNCATED:
		tb_add_random(b, "pcap/big.pcap", 1 << 20, 3);
		ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
		free(tb_read_file(path, &size));
		ck_assert_int_eq(tb_truncate_file(path, size / 2), 0);
		break;
	case BAD_NOT_ARCHIVE:
		ck_assert_int_eq(tb_write_file(path, "just text\n", 10), 0);
		break;
	case BAD_NO_MANIFEST:
		tb_free(b);
		b = tb_new();
		tb_add_str(b, "proc/1795939200/uptime", "1.00 2.00\n");
		tb_add_str(b, "inspect/a.json", "[]\n");
		ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
		break;
	case BAD_MISMATCH:
		tb_add_sums(b, TB_SUMS_TEXT);
		tb_replace(b, "proc/1795939200/uptime", "2.00 3.00\n");
		ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
		break;
	case BAD_TRAVERSAL:
		tb_add_sums(b, TB_SUMS_TEXT);
		tb_add_raw(b, "../../etc/cron.d/evil", "* * * * * root sh\n");
		ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
		break;
	case BAD_SYMLINK:
		tb_add_sums(b, TB_SUMS_TEXT);
		tb_add_symlink(b, "events/journal.jsonl", "/etc/shadow");
		ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
		break;
	case BAD_NO_DIR:
		break;
	case BAD_EMPTY_FILE:
		ck_assert_int_eq(tb_write_file(path, "", 0), 0);
		break;
	case BAD_EMPTY_TAR:
		tb_free(b);
		b = tb_new();
		ck_assert_int_eq(tb_write(b, path, TB_TAR), 0);
		break;
	case BAD_VERSION2:
		tb_replace(b, "manifest.json",
			   "{\"format\":\"salvage-bundle\",\"version\":2,"
			   "\"host\":\"h\"}");
		ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
		break;
	}
	tb_free(b);
	return path;
}

static void check_bad(const struct bad_case *t)
{
	char *dir = fresh_dir(), *path = write_bad(dir, t);
	char *out = tb_join(dir, "out");
	const char *args[] = {"analyze", "-o", out, path, NULL};
	const char *iargs[] = {"inspect", path, NULL};
	const char *jargs[] = {"inspect", "--json", path, NULL};
	struct result r = run(args);
	json_error_t jerr;
	json_t *doc;

	ck_assert_msg(r.code == 3, "%s: analyze exit %d, want 3:\n%s",
		      t->name, r.code, r.err);
	assert_error_lines(&r, path);
	ck_assert_msg(has_reports(out, NULL) == t->report,
		      "%s: report %s", t->name,
		      t->report ? "missing" : "written");
	if (tb_exists(out))
		ck_assert_int_eq(tb_count_prefixed(out, "."), 0);
	result_free(&r);
	r = run(iargs);
	ck_assert_msg(r.code == 3, "%s: inspect exit %d", t->name, r.code);
	assert_error_lines(&r, path);
	result_free(&r);
	r = run(jargs);
	ck_assert_int_eq(r.code, 3);
	doc = json_loads(r.out, 0, &jerr);
	ck_assert_msg(doc != NULL, "%s: --json output: %s", t->name, jerr.text);
	ck_assert(json_is_false(json_object_get(
		json_array_get(json_object_get(doc, "bundles"), 0),
		"trusted")));
	json_decref(doc);
	result_free(&r);
	free(out);
	free(path);
	free(dir);
}

START_TEST(bad_bundle)
{
	check_bad(&bad[_i]);
}
END_TEST

START_TEST(hostile_bundle)
{
	check_bad(&hostile[_i]);
}
END_TEST

/* One bad bundle among good ones: the good ones still get reports. */
START_TEST(several_bundles)
{
	char *dir = fresh_dir();
	char *g1 = write_good(dir, "alpha.tar.zst", 0);
	char *g2 = write_good(dir, "beta", 1);
	char *bad_path = write_bad(dir, &bad[1]); /* not an archive */
	char *cut = write_bad(dir, &bad[0]);      /* truncated */
	char *out = tb_join(dir, "out");
	const char *args[] = {"analyze", "-o", out, g1, bad_path, g2, cut,
			      NULL};
	struct result r = run(args);

	ck_assert_msg(r.code == 3, "exit %d:\n%s", r.code, r.err);
	ck_assert(has_reports(out, "alpha"));
	ck_assert(has_reports(out, "beta"));
	ck_assert(has_reports(out, "cut"));
	ck_assert(!has_reports(out, "junk"));
	ck_assert(!has_reports(out, NULL));
	ck_assert(has_line(r.err, "salvage: "));
	ck_assert_ptr_nonnull(strstr(r.err, bad_path));
	ck_assert_ptr_nonnull(strstr(r.err, cut));
	ck_assert_ptr_null(strstr(r.err, g1));
	result_free(&r);
	free(g1);
	free(g2);
	free(bad_path);
	free(cut);
	free(out);
	free(dir);
}
END_TEST

/* Two bundles with the same name get distinct folders. */
START_TEST(same_names)
{
	char *dir = fresh_dir();
	char *d1 = tb_join(dir, "a"), *d2 = tb_join(dir, "b");
	char *g1, *g2, *out = tb_join(dir, "out");
	const char *args[] = {"analyze", "-q", "-o", out, NULL, NULL, NULL};
	struct result r;

	ck_assert_int_eq(mkdir(d1, 0755), 0);
	ck_assert_int_eq(mkdir(d2, 0755), 0);
	g1 = write_good(d1, "host.tar.zst", 0);
	g2 = write_good(d2, "host.tar.zst", 0);
	args[4] = g1;
	args[5] = g2;
	r = run(args);
	ck_assert_msg(r.code == 0, "exit %d:\n%s", r.code, r.err);
	ck_assert(has_reports(out, "host"));
	ck_assert(has_reports(out, "host-2"));
	result_free(&r);
	free(g1);
	free(g2);
	free(d1);
	free(d2);
	free(out);
	free(dir);
}
END_TEST

/* ---- inspect --json ---- */

START_TEST(inspect_json)
{
	char *dir = fresh_dir(), *good = write_good(dir, "good.tar.zst", 0);
	char *junk = write_bad(dir, &bad[1]);
	const char *args[] = {"inspect", "--json", good, junk, NULL};
	struct result r = run(args);
	json_error_t jerr;
	json_t *doc, *bundles, *g, *j, *m, *c, *arts, *a, *snap;
	size_t i;
	int saw_manifest = 0;

	ck_assert_int_eq(r.code, 3);
	doc = json_loads(r.out, 0, &jerr);
	ck_assert_msg(doc != NULL, "not JSON (%s):\n%s", jerr.text, r.out);
	bundles = json_object_get(doc, "bundles");
	ck_assert(json_is_array(bundles));
	ck_assert_uint_eq(json_array_size(bundles), 2);
	g = json_array_get(bundles, 0);
	ck_assert_str_eq(json_string_value(json_object_get(g, "bundle")), good);
	ck_assert(json_is_true(json_object_get(g, "opened")));
	ck_assert(json_is_true(json_object_get(g, "complete")));
	ck_assert(json_is_true(json_object_get(g, "trusted")));
	ck_assert_str_eq(json_string_value(json_object_get(g, "container")),
			 "tar.zst");
	ck_assert_uint_eq(strlen(json_string_value(json_object_get(g,
							"sha256"))), 64);
	ck_assert_int_eq(json_integer_value(json_object_get(g, "files")), 12);
	m = json_object_get(g, "manifest");
	ck_assert_str_eq(json_string_value(json_object_get(m, "status")), "ok");
	ck_assert_str_eq(json_string_value(json_object_get(m, "host")),
			 "testhost");
	ck_assert_str_eq(json_string_value(json_object_get(m, "started")),
			 "2026-11-29T08:00:00.000Z");
	c = json_object_get(g, "custody");
	ck_assert_str_eq(json_string_value(json_object_get(c, "status")),
			 "verified");
	ck_assert_int_eq(json_integer_value(json_object_get(c, "listed")),
			 11);
	ck_assert_int_eq(json_integer_value(json_object_get(c, "verified")),
			 11);
	ck_assert_uint_eq(json_array_size(json_object_get(c, "issues")), 0);
	arts = json_object_get(g, "artifacts");
	json_array_foreach(arts, i, a) {
		const char *kind =
			json_string_value(json_object_get(a, "kind"));

		ck_assert_ptr_nonnull(kind);
		if (!strcmp(kind, "manifest")) {
			saw_manifest = 1;
			ck_assert_int_eq(json_integer_value(
				json_object_get(a, "files")), 1);
			ck_assert_str_eq(json_string_value(json_object_get(
						 a, "readers")), "manifest");
		}
	}
	ck_assert(saw_manifest);
	/* what was rebuilt and found: the test bundle is quiet */
	ck_assert(json_is_integer(json_object_get(g, "timeline_events")));
	ck_assert(json_is_integer(json_object_get(g, "containers")));
	ck_assert_int_eq(json_integer_value(json_object_get(
		json_object_get(g, "findings"), "critical")), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(
		json_object_get(g, "findings"), "list")), 0);
	snap = json_object_get(g, "snapshots");
	ck_assert_int_eq(json_integer_value(json_object_get(snap, "count")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(snap, "last")),
			 "2026-11-29T08:00:05.500Z");
	ck_assert_int_eq(json_integer_value(json_object_get(g, "errors")), 0);
	ck_assert(json_is_array(json_object_get(g, "problems")));
	ck_assert(json_is_array(json_object_get(g, "unknown_files")));
	j = json_array_get(bundles, 1);
	ck_assert(json_is_false(json_object_get(j, "opened")));
	ck_assert(json_is_false(json_object_get(j, "trusted")));
	ck_assert_int_ge(json_integer_value(json_object_get(j, "errors")), 1);
	{
		json_t *p0 = json_array_get(json_object_get(j, "problems"), 0);

		ck_assert_str_eq(json_string_value(json_object_get(p0,
							"severity")),
				 "error");
	}
	json_decref(doc);
	/* the error line still goes to stderr, not into the JSON */
	assert_error_lines(&r, junk);
	result_free(&r);
	free(good);
	free(junk);
	free(dir);
}
END_TEST

/* A member name cannot forge lines in inspect's text output. */
START_TEST(no_forged_lines)
{
	char *dir = fresh_dir(), *path = tb_join(dir, "forge.tar.zst");
	struct tb *b = tb_new();
	const char *args[] = {"inspect", path, NULL};
	struct result r;

	tb_add_standard(b);
	tb_add_str(b, "notes/x\nFORGED custody verified", "x\n");
	tb_add_str(b, "notes/y\tz\x1b[2J", "x\n");
	ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
	r = run(args);
	ck_assert_int_eq(r.code, 0);
	ck_assert_msg(!has_line(r.out, "FORGED"), "forged line:\n%s", r.out);
	ck_assert_ptr_null(memchr(r.out, '\x1b', r.nout));
	result_free(&r);
	tb_free(b);
	free(path);
	free(dir);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("usage");

	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, usage_table, 0, N(usage));
	suite_add_tcase(s, tc);

	tc = tcase_create("bundles");
	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, analyze_good);
	tcase_add_test(tc, inspect_good_text);
	tcase_add_loop_test(tc, bad_bundle, 0, N(bad));
	tcase_add_test(tc, several_bundles);
	tcase_add_test(tc, same_names);
	tcase_add_test(tc, inspect_json);
	tcase_add_test(tc, no_forged_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, hostile_bundle, 0, N(hostile));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cli_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
