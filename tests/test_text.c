/*
 * test_text.c - core/sv_text: untrusted strings made valid, visible UTF-8.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_text.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define BIG ((size_t)1 << 20)

struct text_case {
	const char *in;
	size_t n;      /* bytes of in (may hold NUL) */
	size_t max;
	const char *out;
	int clean;     /* sv_text_is_clean() */
};

#define T(s) s, sizeof(s) - 1

static const struct text_case cases[] = {
	{T(""), BIG, "", 1},
	{T("hello"), BIG, "hello", 1},
	{T("proc/1764392000/1/status"), BIG, "proc/1764392000/1/status", 1},
	/* tab and newline are text */
	{T("a\tb\nc"), BIG, "a\tb\nc", 1},
	/* C0 controls, DEL, CR, NUL */
	{T("a\x01" "b"), BIG, "a\\x01b", 0},
	{T("\x1b[31mred\x1b[0m"), BIG, "\\x1b[31mred\\x1b[0m", 0},
	{T("x\x7fy"), BIG, "x\\x7fy", 0},
	{T("cr\r"), BIG, "cr\\x0d", 0},
	{T("a\0b"), BIG, "a\\x00b", 0},
	{T("\x08\x0b\x0c\x1f"), BIG, "\\x08\\x0b\\x0c\\x1f", 0},
	/* valid multibyte kept */
	{T("h\xc3\xa9llo"), BIG, "h\xc3\xa9llo", 1},
	{T("\xe6\x97\xa5\xe6\x9c\xac"), BIG, "\xe6\x97\xa5\xe6\x9c\xac", 1},
	{T("\xf0\x9f\x98\x80"), BIG, "\xf0\x9f\x98\x80", 1},
	{T("\xc2\xa0"), BIG, "\xc2\xa0", 1},
	{T("\xef\xbf\xbd"), BIG, "\xef\xbf\xbd", 1},
	{T("\xf4\x8f\xbf\xbf"), BIG, "\xf4\x8f\xbf\xbf", 1},
	/* C1 controls (U+0080..U+009F) */
	{T("\xc2\x85"), BIG, "\\xc2\\x85", 0},
	{T("\xc2\x9b"), BIG, "\\xc2\\x9b", 0},
	/* invalid UTF-8 */
	{T("\xff"), BIG, "\\xff", 0},
	{T("a\xfe" "b"), BIG, "a\\xfeb", 0},
	{T("\x80"), BIG, "\\x80", 0},
	{T("\xbf\xbf"), BIG, "\\xbf\\xbf", 0},
	{T("\x88\x80"), BIG, "\\x88\\x80", 0},
	{T("a\x9f\xbfz"), BIG, "a\\x9f\\xbfz", 0},
	{T("\xc3"), BIG, "\\xc3", 0},
	{T("\xc3x"), BIG, "\\xc3x", 0},
	{T("\xe6\x97"), BIG, "\\xe6\\x97", 0},
	{T("\xf0\x9f\x98"), BIG, "\\xf0\\x9f\\x98", 0},
	{T("\xf8\x88\x80\x80\x80"), BIG, "\\xf8\\x88\\x80\\x80\\x80", 0},
	/* noncharacters */
	{T("\xef\xbf\xbe"), BIG, "\\xef\\xbf\\xbe", 0},
	{T("\xef\xbf\xbf"), BIG, "\\xef\\xbf\\xbf", 0},
	/* overlong encodings (of '/', of NUL) */
	{T("\xc0\xaf"), BIG, "\\xc0\\xaf", 0},
	{T("\xc1\xbf"), BIG, "\\xc1\\xbf", 0},
	{T("\xe0\x80\xaf"), BIG, "\\xe0\\x80\\xaf", 0},
	{T("\xf0\x80\x80\xaf"), BIG, "\\xf0\\x80\\x80\\xaf", 0},
	{T("\xc0\x80"), BIG, "\\xc0\\x80", 0},
	/* UTF-16 surrogates encoded as UTF-8 */
	{T("\xed\xa0\x80"), BIG, "\\xed\\xa0\\x80", 0},
	{T("\xed\xbf\xbf"), BIG, "\\xed\\xbf\\xbf", 0},
	/* beyond U+10FFFF */
	{T("\xf4\x90\x80\x80"), BIG, "\\xf4\\x90\\x80\\x80", 0},
	{T("\xf7\xbf\xbf\xbf"), BIG, "\\xf7\\xbf\\xbf\\xbf", 0},
	/* over max: cut with a marker naming the full size */
	{T("abcdef"), 3, "abc [... cut, 6 bytes]", 0},
	{T("abc"), 3, "abc", 1},
	{T("abc"), 0, " [... cut, 3 bytes]", 0},
	/* a character cut by max is not passed through half */
	{T("a\xc3\xa9"), 2, "a\\xc3 [... cut, 3 bytes]", 0},
	{T("\xe6\x97\xa5z"), 2, "\\xe6\\x97 [... cut, 4 bytes]", 0},
};

START_TEST(clean_table)
{
	const struct text_case *t = &cases[_i];
	char *in = malloc(t->n ? t->n : 1); /* exact size: ASan over-reads */
	char *out;

	memcpy(in, t->in, t->n);
	out = sv_text_clean(NULL, in, t->n, t->max);
	ck_assert_ptr_nonnull(out);
	ck_assert_msg(strcmp(out, t->out) == 0, "case %d: got '%s'", _i, out);
	ck_assert_msg(sv_text_is_clean(in, t->n, t->max) == t->clean,
		      "case %d: is_clean %d", _i, !t->clean);
	/* whatever comes out is clean itself (at a large max) */
	ck_assert_msg(sv_text_is_clean(out, strlen(out), BIG),
		      "case %d: output not clean", _i);
	free(out);
	free(in);
}
END_TEST

/* clean(clean(x)) == clean(x) for clean input: nothing double-escaped */
START_TEST(clean_is_identity_on_clean)
{
	static const char s[] = "plain \xc3\xa9 text\twith\nlines";
	char *out = sv_text_clean(NULL, s, strlen(s), BIG);

	ck_assert_str_eq(out, s);
	free(out);
}
END_TEST

/* The worst case: every byte escaped, plus the marker, fits. */
START_TEST(worst_case_expansion)
{
	size_t n = 10000, max = SV_TEXT_DEFAULT_MAX, i;
	char *in = malloc(n), *out;
	char marker[64];

	memset(in, 0xff, n);
	out = sv_text_clean(NULL, in, n, max);
	ck_assert_ptr_nonnull(out);
	snprintf(marker, sizeof(marker), " [... cut, %zu bytes]", n);
	ck_assert_uint_eq(strlen(out), 4 * max + strlen(marker));
	for (i = 0; i < max; i++)
		ck_assert(memcmp(out + 4 * i, "\\xff", 4) == 0);
	ck_assert_str_eq(out + 4 * max, marker);
	free(out);
	/* all control bytes, no cut */
	memset(in, 0x01, max);
	out = sv_text_clean(NULL, in, max, max);
	ck_assert_uint_eq(strlen(out), 4 * max);
	free(out);
	free(in);
}
END_TEST

START_TEST(arena_backed)
{
	struct sv_arena *a = sv_arena_new(0);
	struct sv_arena *tiny = sv_arena_new(32);
	char *out = sv_text_clean(a, "x\x01y", 3, 100);

	ck_assert_str_eq(out, "x\\x01y");
	ck_assert_uint_ge(sv_arena_used(a), 7);
	/* out of memory: NULL, not a crash */
	ck_assert_ptr_null(sv_text_clean(tiny, "0123456789", 10, 100));
	sv_arena_free(a);
	sv_arena_free(tiny);
}
END_TEST

/* Every single byte value, alone: valid ASCII kept, the rest escaped. */
/* sv_text_escape: what the protocol parsers copy wire strings with. */
START_TEST(escape_wire)
{
	char buf[16];
	size_t len = 0;

	ck_assert_int_eq(sv_text_escape(buf, sizeof(buf), &len, "a\\b\x01",
					4, NULL), 0);
	ck_assert_str_eq(buf, "a\\x5cb\\x01");
	ck_assert_uint_eq(len, strlen(buf));
	/* appends; the characters in extra are escaped too */
	ck_assert_int_eq(sv_text_escape(buf, sizeof(buf), &len, ",", 1, ","),
			 0);
	ck_assert_str_eq(buf, "a\\x5cb\\x01\\x2c");
	/* no room for a whole escape: cut before it, still terminated */
	len = 0;
	ck_assert_int_eq(sv_text_escape(buf, 6, &len, "abcd\xff", 5, NULL),
			 -1);
	ck_assert_str_eq(buf, "abcd");
	len = 0;
	ck_assert_int_eq(sv_text_escape(buf, 0, &len, "a", 1, NULL), -1);
	ck_assert_int_eq(sv_text_escape(buf, 0, &len, "", 0, NULL), 0);
}
END_TEST

START_TEST(every_byte)
{
	int b;

	for (b = 0; b < 256; b++) {
		char in[1] = {(char)b};
		char want[8];
		char *out = sv_text_clean(NULL, in, 1, 16);

		if ((b >= 0x20 && b < 0x7f) || b == '\t' || b == '\n')
			snprintf(want, sizeof(want), "%c", b);
		else
			snprintf(want, sizeof(want), "\\x%02x", b);
		ck_assert_msg(strcmp(out, want) == 0, "byte %#x: '%s'", b,
			      out);
		free(out);
	}
}
END_TEST

static Suite *text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("clean");

	tcase_add_loop_test(tc, clean_table, 0, N(cases));
	tcase_add_test(tc, clean_is_identity_on_clean);
	tcase_add_test(tc, worst_case_expansion);
	tcase_add_test(tc, arena_backed);
	tcase_add_test(tc, every_byte);
	tcase_add_test(tc, escape_wire);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(text_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
