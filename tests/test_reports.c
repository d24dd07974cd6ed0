/*
 * test_reports.c - reports/: report.xml validates against report.xsd,
 * report.html parses, hostile bundle strings come out escaped and never
 * as markup, writes are atomic.
 */
#include <check.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sv_pipeline.h"
#include "sv_report.h"
#include "sv_testbundle.h"
#include "sv_text.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define XSD_PATH SV_SOURCE_DIR "/reports/report.xsd"

static char *g_tmp;
static xmlSchemaPtr g_schema;

static void tmp_setup(void)
{
	xmlSchemaParserCtxtPtr pc;

	g_tmp = tb_tmpdir();
	ck_assert_ptr_nonnull(g_tmp);
	xmlInitParser();
	pc = xmlSchemaNewParserCtxt(XSD_PATH);
	ck_assert_ptr_nonnull(pc);
	g_schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	ck_assert_msg(g_schema != NULL, "cannot load %s", XSD_PATH);
}

static void tmp_teardown(void)
{
	xmlSchemaFree(g_schema);
	g_schema = NULL;
	tb_rmrf(g_tmp);
	free(g_tmp);
	g_tmp = NULL;
	xmlCleanupParser();
}

static char *fresh_dir(void)
{
	static unsigned seq;
	char dir[512];

	snprintf(dir, sizeof(dir), "%s/%d-%u", g_tmp, (int)getpid(), seq++);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	return strdup(dir);
}

static struct sv_analysis *analyse_path(const char *path, uint32_t max_path)
{
	struct sv_pipeline_options o;
	struct sv_analysis *a;
	struct sv_error err;

	sv_pipeline_options_default(&o);
	if (max_path)
		o.bundle.limits.max_path_len = max_path;
	a = sv_pipeline_run(path, &o, &err);
	ck_assert_ptr_nonnull(a);
	return a;
}

static struct sv_analysis *analyse(const struct tb *b, const char *name,
				   enum tb_container c, uint32_t max_path)
{
	char *dir = fresh_dir(), *path = tb_join(dir, name);
	struct sv_analysis *a;

	ck_assert_int_eq(tb_write(b, path, c), 0);
	a = analyse_path(path, max_path);
	free(path);
	free(dir);
	return a;
}

/* ---- checks on written reports ---- */

static xmlDocPtr load_xml(const char *dir)
{
	char *path = tb_join(dir, "report.xml");
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);

	ck_assert_msg(doc != NULL, "%s is not well-formed XML", path);
	free(path);
	return doc;
}

static void validate(xmlDocPtr doc)
{
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(g_schema);
	int rc;

	ck_assert_ptr_nonnull(vc);
	rc = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	ck_assert_msg(rc == 0, "report.xml does not validate against "
		      "report.xsd (%d)", rc);
}

static xmlXPathObjectPtr xpath(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;

	ck_assert_ptr_nonnull(ctx);
	xmlXPathRegisterNs(ctx, BAD_CAST "r", BAD_CAST SV_REPORT_NS);
	o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	xmlXPathFreeContext(ctx);
	ck_assert_msg(o != NULL, "bad XPath %s", expr);
	return o;
}

static double xpath_num(xmlDocPtr doc, const char *expr)
{
	xmlXPathObjectPtr o = xpath(doc, expr);
	double v = xmlXPathCastToNumber(o);

	xmlXPathFreeObject(o);
	return v;
}

/* string(expr), malloc()ed */
static char *xpath_str(xmlDocPtr doc, const char *expr)
{
	xmlXPathObjectPtr o = xpath(doc, expr);
	xmlChar *s = xmlXPathCastToString(o);
	char *r = strdup((const char *)s);

	xmlFree(s);
	xmlXPathFreeObject(o);
	return r;
}

static void assert_xpath_str(xmlDocPtr doc, const char *expr,
			     const char *want)
{
	char *got = xpath_str(doc, expr);

	ck_assert_msg(strcmp(got, want) == 0, "%s = '%s', want '%s'", expr,
		      got, want);
	free(got);
}

/* Any element named name (case-insensitive) under node. */
static int has_element(xmlNodePtr node, const char *name)
{
	for (; node; node = node->next) {
		if (node->type == XML_ELEMENT_NODE) {
			xmlAttrPtr at;

			if (!strcasecmp((const char *)node->name, name))
				return 1;
			/* no event handler attributes either */
			for (at = node->properties; at; at = at->next)
				if (!strncasecmp((const char *)at->name, "on",
						 2))
					return 1;
		}
		if (has_element(node->children, name))
			return 1;
	}
	return 0;
}

/* Text of an element whose whole text equals s. */
static int has_text(xmlNodePtr node, const char *s)
{
	for (; node; node = node->next) {
		if (node->type == XML_ELEMENT_NODE) {
			xmlChar *t = xmlNodeGetContent(node);
			int eq = t && !strcmp((const char *)t, s);

			xmlFree(t);
			if (eq)
				return 1;
		}
		if (has_text(node->children, s))
			return 1;
	}
	return 0;
}

static htmlDocPtr load_html(const char *dir)
{
	char *path = tb_join(dir, "report.html");
	htmlDocPtr doc = htmlReadFile(path, "UTF-8",
				      HTML_PARSE_NONET | HTML_PARSE_NOERROR |
					      HTML_PARSE_NOWARNING);

	ck_assert_msg(doc != NULL, "%s does not parse as HTML", path);
	ck_assert_msg(!has_element(xmlDocGetRootElement(doc), "script"),
		      "report.html has a <script> or on* attribute");
	free(path);
	return doc;
}

/* strcasestr() is a GNU extension */
static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return 1;
	return 0;
}

/* Whole file valid UTF-8, no control byte but tab and newline. */
static char *read_clean(const char *dir, const char *name, size_t *n)
{
	char *path = tb_join(dir, name);
	char *s = tb_read_file(path, n);

	ck_assert_ptr_nonnull(s);
	ck_assert_msg(sv_text_is_clean(s, *n, *n), "%s has invalid UTF-8 or "
		      "control bytes", path);
	free(path);
	return s;
}

static void assert_no_temporaries(const char *dir)
{
	ck_assert_int_eq(tb_count_prefixed(dir, ".report"), 0);
	ck_assert_int_eq(tb_count_prefixed(dir, "."), 0);
}

/* Write both reports into a fresh folder; check them; return the folder. */
static char *write_and_check(const struct sv_analysis *a)
{
	char *dir = fresh_dir();
	struct sv_error err;
	xmlDocPtr x;
	htmlDocPtr h;
	size_t n;

	sv_error_clear(&err);
	ck_assert_msg(sv_report_write_xml(a, dir, &err) == SV_OK, "xml: %s",
		      err.msg);
	ck_assert_msg(sv_report_write_html(a, dir, &err) == SV_OK, "html: %s",
		      err.msg);
	assert_no_temporaries(dir);
	ck_assert_int_eq(tb_count_prefixed(dir, "report."), 2);
	x = load_xml(dir);
	validate(x);
	assert_xpath_str(x, "string(/r:report/r:analysis/@read-verdict)",
			 sv_report_read_verdict(a));
	xmlFreeDoc(x);
	h = load_html(dir);
	xmlFreeDoc(h);
	free(read_clean(dir, "report.xml", &n));
	free(read_clean(dir, "report.html", &n));
	return dir;
}

/* ---- analyses to report on ---- */

START_TEST(good_report)
{
	struct tb *b = tb_new();
	struct sv_analysis *a;
	xmlDocPtr x;
	char *dir;

	tb_add_standard(b);
	tb_add_sums(b, TB_SUMS_TEXT);
	tb_add_str(b, "notes/readme.txt", "by hand\n");
	a = analyse(b, "good.tar.zst", TB_TAR_ZST, 0);
	dir = write_and_check(a);
	x = load_xml(dir);
	assert_xpath_str(x, "string(/r:report/r:analysis/@read-verdict)",
			 "problems"); /* readme is not covered */
	assert_xpath_str(x, "string(/r:report/r:bundle/@container)",
			 "tar.zst");
	assert_xpath_str(x, "string(/r:report/r:bundle/@name)", "good");
	assert_xpath_str(x, "string(/r:report/r:manifest/@host)", "testhost");
	assert_xpath_str(x, "string(/r:report/r:manifest/@started)",
			 "2026-11-29T08:00:00.000Z");
	assert_xpath_str(x, "string(/r:report/r:custody/@status)", "failed");
	assert_xpath_str(x, "string(/r:report/r:custody/r:issue/@kind)",
			 "not-covered");
	assert_xpath_str(x, "string(/r:report/r:custody/r:issue/@path)",
			 "notes/readme.txt");
	ck_assert(xpath_num(x, "number(/r:report/r:custody/@verified)") ==
		  (double)b->n - 2);
	ck_assert(xpath_num(x, "count(//r:inventory/r:artifact)") >= 8);
	ck_assert(xpath_num(x, "number(//r:snapshots/@count)") == 2);
	assert_xpath_str(x, "string(//r:snapshots/@first)",
			 "2026-11-29T08:00:00.000Z");
	assert_xpath_str(x, "string(//r:snapshots/@last)",
			 "2026-11-29T08:00:05.500Z");
	ck_assert(xpath_num(x, "number(//r:unknown-files/@total)") == 1);
	{
		char hex[65];

		ck_assert(a->stats.has_digest);
		tb_hex(a->stats.digest, 32, hex);
		assert_xpath_str(x, "string(/r:report/r:bundle/@sha256)", hex);
	}
	xmlFreeDoc(x);
	free(dir);
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

START_TEST(clean_report_verdict)
{
	struct tb *b = tb_new();
	struct sv_analysis *a;
	char *dir;
	xmlDocPtr x;

	tb_add_standard(b);
	tb_add_sums(b, TB_SUMS_BINARY);
	a = analyse(b, "clean.tar.gz", TB_TAR_GZ, 0);
	ck_assert(sv_analysis_input_ok(a));
	dir = write_and_check(a);
	x = load_xml(dir);
	assert_xpath_str(x, "string(/r:report/r:analysis/@read-verdict)",
			 "clean-read");
	assert_xpath_str(x, "string(/r:report/r:custody/@status)", "verified");
	ck_assert(xpath_num(x, "count(//r:problem)") == 0);
	xmlFreeDoc(x);
	free(dir);
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

#define SCRIPT "<script>alert(1)</script>"
#define HOSTILE_BUNDLE "<img src=x onerror=alert(1)>"
#define LONG_COMPONENTS 15 /* x 200 characters = 3000 */

static const char hostile_manifest[] =
	"{\"format\":\"salvage-bundle\",\"version\":1,"
	"\"host\":\"<script>alert('host')</script>\","
	"\"started\":\"2026-11-29T08:00:00Z\","
	"\"ended\":\"2026-11-29T08:00:10Z\","
	"\"collector\":\"\\\"quoted\\\" & 'apos' ]]> <!-- -->\","
	"\"notes\":\"line1\\nline2 \\u0001 \\u001b[31m <b>bold</b> "
	"\\u0085 \\ud83d\\ude00 &amp;\"}";

/* A bundle whose every string is hostile, read into an analysis. */
static struct sv_analysis *hostile_analysis(char **long_name)
{
	struct tb *b = tb_new();
	struct sv_analysis *a;
	char *longp = malloc(16 + LONG_COMPONENTS * 201);
	size_t i, n;

	b->format = TB_FMT_GNUTAR; /* names byte for byte */
	tb_add_standard(b);
	ck_assert_int_eq(tb_replace(b, "manifest.json", hostile_manifest), 0);
	tb_add_str(b, "notes/" SCRIPT, "original\n");
	tb_add_str(b, "notes/q\"uo'te&amp;<b>x</b>", "x\n");
	tb_add_str(b, "notes/ctl\x01\x1b[31m\x7f\r", "x\n");
	tb_add_str(b, "notes/bad\xff\xfe\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80"
		      "utf8\xc3", "x\n");
	n = (size_t)snprintf(longp, 16, "notes");
	for (i = 0; i < LONG_COMPONENTS; i++) {
		longp[n++] = '/';
		memset(longp + n, 'A' + (int)i, 199);
		n += 199;
	}
	longp[n] = '\0';
	tb_add_str(b, longp, "long\n");
	tb_add_sums(b, TB_SUMS_TEXT);
	/* after the sums: not covered, and a mismatch with a script name */
	tb_add_raw(b, "notes/nl\nFORGED: all clear", "x\n");
	tb_add_raw(b, "../" SCRIPT "\xc0\xaf\xed\xa0\x80", "escape\n");
	ck_assert_int_eq(tb_replace(b, "notes/" SCRIPT, "tampered\n"), 0);
	a = analyse(b, HOSTILE_BUNDLE ".tar.zst", TB_TAR_ZST, 4000);
	*long_name = longp;
	tb_free(b);
	return a;
}

START_TEST(hostile_strings_escaped)
{
	char *long_name, *dir, *xml, *html, expr[8192];
	struct sv_analysis *a = hostile_analysis(&long_name);
	size_t n;
	xmlDocPtr x;
	htmlDocPtr h;

	ck_assert_int_eq(a->manifest_status, SV_MANIFEST_OK);
	ck_assert_uint_ge(a->unknown_total, 6);
	dir = write_and_check(a);

	/* XML: the names come back exactly as text, through escaping */
	x = load_xml(dir);
	ck_assert(xpath_num(x, "count(//r:unknown-files/r:file[@path="
			       "\"notes/" SCRIPT "\"])") == 1);
	ck_assert(xpath_num(x, "count(//r:custody/r:issue[@kind='mismatch' and "
			       "@path=\"notes/" SCRIPT "\"])") == 1);
	assert_xpath_str(x, "string(/r:report/r:manifest/@host)",
			 "<script>alert('host')</script>");
	snprintf(expr, sizeof(expr),
		 "count(//r:unknown-files/r:file[@path='%s'])", long_name);
	ck_assert_msg(xpath_num(x, expr) == 1, "3000-character name lost");
	ck_assert(xpath_num(x, "count(//r:problem[contains(., '" SCRIPT
			       "')])") >= 1);
	xmlFreeDoc(x);
	xml = read_clean(dir, "report.xml", &n);
	ck_assert_ptr_null(strstr(xml, "<script"));
	ck_assert_ptr_null(strstr(xml, "<b>"));
	ck_assert_ptr_nonnull(strstr(xml, "&lt;b&gt;bold"));
	ck_assert_ptr_nonnull(strstr(xml, "&lt;script&gt;alert(1)&lt;/script"));
	/* no line starts with the forged text */
	ck_assert_ptr_null(strstr(xml, "\nFORGED"));
	free(xml);

	/* HTML: no script element; the names are text, escaped in source */
	h = load_html(dir);
	ck_assert(has_text(xmlDocGetRootElement(h), "notes/" SCRIPT));
	ck_assert(has_text(xmlDocGetRootElement(h), long_name));
	xmlFreeDoc(h);
	html = read_clean(dir, "report.html", &n);
	ck_assert(!contains_ci(html, "<script"));
	ck_assert_ptr_null(strstr(html, "<b>bold"));
	ck_assert_ptr_null(strstr(html, "<b>x</b>"));
	ck_assert(!contains_ci(html, "javascript:"));
	ck_assert(!contains_ci(html, "<img"));
	ck_assert_ptr_nonnull(strstr(html,
				     "&lt;img src=x onerror=alert(1)&gt;"));
	ck_assert_ptr_nonnull(strstr(html,
				     "&lt;script&gt;alert(1)&lt;/script"));
	free(html);
	free(dir);
	free(long_name);
	sv_analysis_free(a);
}
END_TEST

/* Reports of bundles that went wrong still validate. */
enum broken { BR_JUNK, BR_MISSING, BR_TRUNCATED, BR_VERSION2, BR_EMPTY };

static const enum broken broken_cases[] = {BR_JUNK, BR_MISSING, BR_TRUNCATED,
					   BR_VERSION2, BR_EMPTY};

START_TEST(broken_reports_validate)
{
	char *dir = fresh_dir(), *path = tb_join(dir, "broken.tar.zst"), *out;
	struct tb *b = tb_new();
	struct sv_analysis *a;
	size_t size;

	tb_add_standard(b);
	tb_add_random(b, "pcap/big.pcap", 1 << 20, 9);
	switch (broken_cases[_i]) {
	case BR_JUNK:
		ck_assert_int_eq(tb_write_file(path, "junk\n", 5), 0);
		break;
	case BR_MISSING:
		free(path);
		path = tb_join(dir, "does-not-exist");
		break;
	case BR_TRUNCATED:
		ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
		free(tb_read_file(path, &size));
		ck_assert_int_eq(tb_truncate_file(path, size / 2), 0);
		break;
	case BR_VERSION2:
		tb_replace(b, "manifest.json",
			   "{\"format\":\"salvage-bundle\",\"version\":2}");
		ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
		break;
	case BR_EMPTY:
		tb_free(b);
		b = tb_new();
		ck_assert_int_eq(tb_write(b, path, TB_TAR), 0);
		break;
	}
	a = analyse_path(path, 0);
	ck_assert(!sv_analysis_input_ok(a));
	out = write_and_check(a);
	free(out);
	sv_analysis_free(a);
	free(path);
	free(dir);
	tb_free(b);
}
END_TEST

/* A folder that cannot be written: SV_ERR_IO, and nothing left behind. */
START_TEST(unwritable_folder)
{
	struct tb *b = tb_new();
	struct sv_analysis *a;
	struct sv_error err;
	char *dir = fresh_dir();
	char *missing = tb_join(dir, "no/such/folder");
	char *file = tb_join(dir, "a-file");

	tb_add_standard(b);
	a = analyse(b, "x.tar.zst", TB_TAR_ZST, 0);
	sv_error_clear(&err);
	ck_assert_int_eq(sv_report_write_xml(a, missing, &err), SV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.artifact, "no/such/folder"));
	ck_assert_int_eq(sv_report_write_html(a, missing, &err), SV_ERR_IO);
	ck_assert(!tb_exists(missing));
	/* a file where the folder should be */
	ck_assert_int_eq(tb_write_file(file, "x", 1), 0);
	ck_assert_int_eq(sv_report_write_xml(a, file, &err), SV_ERR_IO);
	ck_assert_int_eq(sv_report_write_html(a, file, &err), SV_ERR_IO);
	/* a read-only folder (root may write anyway: then it must succeed) */
	{
		char *ro = tb_join(dir, "ro");
		enum sv_status rc;

		ck_assert_int_eq(mkdir(ro, 0555), 0);
		rc = sv_report_write_xml(a, ro, &err);
		if (geteuid() != 0) {
			ck_assert_int_eq(rc, SV_ERR_IO);
			ck_assert_int_eq(tb_count_prefixed(ro, ""), 0);
		} else {
			ck_assert_int_eq(rc, SV_OK);
		}
		assert_no_temporaries(ro);
		chmod(ro, 0755);
		free(ro);
	}
	ck_assert_int_eq(tb_count_prefixed(dir, "."), 0);
	free(missing);
	free(file);
	free(dir);
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

/* Writing again replaces the report, atomically. */
START_TEST(rewrite_replaces)
{
	struct tb *b = tb_new();
	struct sv_analysis *a;
	struct sv_error err;
	char *dir, *p1, *p2;
	size_t n1, n2;

	tb_add_standard(b);
	a = analyse(b, "again.tar.zst", TB_TAR_ZST, 0);
	dir = write_and_check(a);
	p1 = read_clean(dir, "report.xml", &n1);
	ck_assert_int_eq(sv_report_write_xml(a, dir, &err), SV_OK);
	ck_assert_int_eq(sv_report_write_html(a, dir, &err), SV_OK);
	p2 = read_clean(dir, "report.xml", &n2);
	ck_assert_uint_eq(n1, n2);
	ck_assert(memcmp(p1, p2, n1) == 0);
	assert_no_temporaries(dir);
	ck_assert_int_eq(tb_count_prefixed(dir, ""), 2);
	free(p1);
	free(p2);
	free(dir);
	sv_analysis_free(a);
	tb_free(b);
}
END_TEST

static Suite *reports_suite(void)
{
	Suite *s = suite_create("reports");
	TCase *tc = tcase_create("reports");

	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, good_report);
	tcase_add_test(tc, clean_report_verdict);
	tcase_add_test(tc, hostile_strings_escaped);
	tcase_add_loop_test(tc, broken_reports_validate, 0, N(broken_cases));
	tcase_add_test(tc, unwritable_folder);
	tcase_add_test(tc, rewrite_replaces);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(reports_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
