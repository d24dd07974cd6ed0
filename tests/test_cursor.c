/*
 * test_cursor.c - formats/sv_cursor: bounds-checked binary reads, the
 * text number parsers, sizes and hex.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sv_cursor.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* An exact-size heap copy, so ASan catches any read past the end. */
static uint8_t *exact(const void *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(c);
	memcpy(c, p, n);
	return c;
}

START_TEST(get_values)
{
	static const uint8_t bytes[] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc,
					0xde, 0xf0, 0x01, 0x02, 0x03, 0x04,
					0xff};
	uint8_t *buf = exact(bytes, sizeof(bytes));
	struct sv_cursor c = sv_cursor_make(buf, sizeof(bytes));
	const uint8_t *p;

	ck_assert_uint_eq(sv_cursor_left(&c), 13);
	ck_assert_uint_eq(sv_get_be16(&c), 0x1234);
	ck_assert_uint_eq(sv_get_u8(&c), 0x56);
	ck_assert_uint_eq(sv_get_u8(&c), 0x78);
	ck_assert_uint_eq(sv_get_be32(&c), 0x9abcdef0u);
	ck_assert_uint_eq(sv_get_le32(&c), 0x04030201u);
	p = sv_get_bytes(&c, 1);
	ck_assert_ptr_eq(p, buf + 12);
	ck_assert_uint_eq(sv_cursor_left(&c), 0);
	ck_assert_int_eq(c.err, 0);
	/* zero bytes at the end is not an overrun */
	ck_assert_ptr_nonnull(sv_get_bytes(&c, 0));
	ck_assert_int_eq(c.err, 0);
	free(buf);
}
END_TEST

enum get_op { OP_U8, OP_BE16, OP_BE32, OP_LE32, OP_BYTES3, OP_BYTESMAX };

struct overrun_case {
	size_t avail;
	enum get_op op;
};

/* Every read one byte short of what it needs. */
static const struct overrun_case overrun_cases[] = {
	{0, OP_U8},   {1, OP_BE16}, {0, OP_BE16}, {3, OP_BE32},
	{0, OP_BE32}, {3, OP_LE32}, {2, OP_LE32}, {2, OP_BYTES3},
	{0, OP_BYTES3}, {7, OP_BYTESMAX},
};

START_TEST(get_overrun)
{
	const struct overrun_case *t = &overrun_cases[_i];
	static const uint8_t src[8] = {0xff, 0xff, 0xff, 0xff,
				       0xff, 0xff, 0xff, 0xff};
	uint8_t *buf = exact(src, t->avail);
	struct sv_cursor c = sv_cursor_make(buf, t->avail);
	uint64_t v = 1;

	switch (t->op) {
	case OP_U8: v = sv_get_u8(&c); break;
	case OP_BE16: v = sv_get_be16(&c); break;
	case OP_BE32: v = sv_get_be32(&c); break;
	case OP_LE32: v = sv_get_le32(&c); break;
	case OP_BYTES3: v = sv_get_bytes(&c, 3) != NULL; break;
	case OP_BYTESMAX: v = sv_get_bytes(&c, SIZE_MAX) != NULL; break;
	}
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(c.err, 1);
	/* nothing was consumed */
	ck_assert_uint_eq(sv_cursor_left(&c), t->avail);
	free(buf);
}
END_TEST

/* err is sticky: after one overrun, even reads that fit yield 0. */
START_TEST(err_is_sticky)
{
	static const uint8_t bytes[] = {1, 2, 3};
	uint8_t *buf = exact(bytes, sizeof(bytes));
	struct sv_cursor c = sv_cursor_make(buf, sizeof(bytes));

	ck_assert_uint_eq(sv_get_be32(&c), 0);
	ck_assert_int_eq(c.err, 1);
	ck_assert_uint_eq(sv_get_u8(&c), 0);
	ck_assert_uint_eq(sv_get_be16(&c), 0);
	ck_assert_ptr_null(sv_get_bytes(&c, 1));
	ck_assert_ptr_null(sv_get_bytes(&c, 0));
	ck_assert_int_eq(c.err, 1);
	free(buf);
}
END_TEST

START_TEST(cursor_sub)
{
	static const uint8_t bytes[] = {0, 3, 'a', 'b', 'c', 0, 9, 'x'};
	uint8_t *buf = exact(bytes, sizeof(bytes));
	struct sv_cursor c = sv_cursor_make(buf, sizeof(bytes));
	struct sv_cursor sub;
	uint16_t len;

	len = sv_get_be16(&c);
	sub = sv_cursor_sub(&c, len);
	ck_assert_int_eq(sub.err, 0);
	ck_assert_uint_eq(sv_cursor_left(&sub), 3);
	ck_assert_uint_eq(sv_get_u8(&sub), 'a');
	ck_assert_uint_eq(sv_get_be16(&sub), ('b' << 8) | 'c');
	/* reading past the sub-record fails in the sub only */
	ck_assert_uint_eq(sv_get_u8(&sub), 0);
	ck_assert_int_eq(sub.err, 1);
	ck_assert_int_eq(c.err, 0);
	ck_assert_uint_eq(sv_cursor_left(&c), 3);
	/* a length field larger than what is left: an empty, failed sub */
	len = sv_get_be16(&c);
	ck_assert_uint_eq(len, 9);
	sub = sv_cursor_sub(&c, len);
	ck_assert_int_eq(sub.err, 1);
	ck_assert_uint_eq(sv_cursor_left(&sub), 0);
	ck_assert_uint_eq(sv_get_u8(&sub), 0);
	ck_assert_int_eq(c.err, 1);
	/* a sub of a failed cursor fails */
	sub = sv_cursor_sub(&c, 0);
	ck_assert_int_eq(sub.err, 1);
	free(buf);
}
END_TEST

struct u64_case {
	const char *in;
	uint64_t max;
	int rc;
	uint64_t value;
	size_t used; /* digits consumed */
};

static const struct u64_case u64_cases[] = {
	{"0", UINT64_MAX, 0, 0, 1},
	{"123", UINT64_MAX, 0, 123, 3},
	{"123abc", UINT64_MAX, 0, 123, 3},
	{"007", UINT64_MAX, 0, 7, 3},
	{"42 rest", UINT64_MAX, 0, 42, 2},
	{"18446744073709551615", UINT64_MAX, 0, UINT64_MAX, 20},
	{"18446744073709551616", UINT64_MAX, -1, 0, 0},
	{"99999999999999999999", UINT64_MAX, -1, 0, 0},
	{"184467440737095516150", UINT64_MAX, -1, 0, 0},
	{"4294967295", UINT32_MAX, 0, UINT32_MAX, 10},
	{"4294967296", UINT32_MAX, -1, 0, 0},
	{"255", 255, 0, 255, 3},
	{"256", 255, -1, 0, 0},
	{"260", 255, -1, 0, 0},
	{"1000", 255, -1, 0, 0},
	{"5", 5, 0, 5, 1},
	{"0", 0, 0, 0, 1},
	/* a single digit above max */
	{"6", 5, -1, 0, 0},
	{"9", 5, -1, 0, 0},
	{"1", 0, -1, 0, 0},
	{"09", 5, -1, 0, 0},
	{"", UINT64_MAX, -1, 0, 0},
	{"abc", UINT64_MAX, -1, 0, 0},
	{"-1", UINT64_MAX, -1, 0, 0},
	{"+1", UINT64_MAX, -1, 0, 0},
	{" 1", UINT64_MAX, -1, 0, 0},
};

START_TEST(str_u64_table)
{
	const struct u64_case *t = &u64_cases[_i];
	size_t n = strlen(t->in);
	char *buf = (char *)exact(t->in, n);
	const char *p = buf;
	uint64_t v = 777;
	int rc = sv_str_u64(&p, buf + n, t->max, &v);

	ck_assert_msg(rc == t->rc, "'%s' max %llu: rc %d, want %d", t->in,
		      (unsigned long long)t->max, rc, t->rc);
	if (rc == 0) {
		ck_assert_msg(v == t->value, "'%s': %llu", t->in,
			      (unsigned long long)v);
		ck_assert_uint_eq((size_t)(p - buf), t->used);
	} else {
		ck_assert_ptr_eq(p, buf); /* untouched on failure */
		ck_assert_uint_eq(v, 777);
	}
	free(buf);
}
END_TEST

/* end bounds the digits, whatever follows in memory */
START_TEST(str_u64_respects_end)
{
	static const char s[] = "12345";
	const char *p = s;
	uint64_t v;

	ck_assert_int_eq(sv_str_u64(&p, s + 2, UINT64_MAX, &v), 0);
	ck_assert_uint_eq(v, 12);
	ck_assert_ptr_eq(p, s + 2);
	p = s;
	ck_assert_int_eq(sv_str_u64(&p, s, UINT64_MAX, &v), -1);
}
END_TEST

struct i64_case {
	const char *in;
	int rc;
	int64_t value;
};

static const struct i64_case i64_cases[] = {
	{"0", 0, 0},
	{"-0", 0, 0},
	{"42", 0, 42},
	{"-42", 0, -42},
	{"9223372036854775807", 0, INT64_MAX},
	{"-9223372036854775808", 0, INT64_MIN},
	{"9223372036854775808", -1, 0},
	{"-9223372036854775809", -1, 0},
	{"-", -1, 0},
	{"--1", -1, 0},
	{"", -1, 0},
	{"x", -1, 0},
};

START_TEST(str_i64_table)
{
	const struct i64_case *t = &i64_cases[_i];
	const char *p = t->in;
	int64_t v = 777;
	int rc = sv_str_i64(&p, t->in + strlen(t->in), &v);

	ck_assert_msg(rc == t->rc, "'%s': rc %d", t->in, rc);
	if (rc == 0) {
		ck_assert_msg(v == t->value, "'%s': %lld", t->in,
			      (long long)v);
		ck_assert_ptr_eq(p, t->in + strlen(t->in));
	} else {
		ck_assert_ptr_eq(p, t->in);
	}
}
END_TEST

START_TEST(tokens)
{
	static const char s[] = "  a\tbb   c \t";
	const char *p = s, *end = s + strlen(s);
	struct sv_span tok;

	ck_assert_int_eq(sv_str_token(&p, end, &tok), 0);
	ck_assert(sv_span_eq(tok, "a"));
	ck_assert_int_eq(sv_str_token(&p, end, &tok), 0);
	ck_assert(sv_span_eq(tok, "bb"));
	ck_assert(!sv_span_eq(tok, "b"));
	ck_assert(!sv_span_eq(tok, "bbb"));
	ck_assert_int_eq(sv_str_token(&p, end, &tok), 0);
	ck_assert(sv_span_eq(tok, "c"));
	ck_assert_int_eq(sv_str_token(&p, end, &tok), -1);
	ck_assert_ptr_eq(p, end);
	p = s;
	sv_str_skip_blank(&p, end);
	ck_assert_ptr_eq(p, s + 2);
}
END_TEST

struct size_case {
	const char *in;
	int rc;
	uint64_t value;
};

static const struct size_case size_cases[] = {
	{"64M", 0, 64ULL << 20},
	{"1G", 0, 1ULL << 30},
	{"10", 0, 10},
	{"0", 0, 0},
	{"0T", 0, 0},
	{"1K", 0, 1024},
	{"1k", 0, 1024},
	{"2m", 0, 2ULL << 20},
	{"16G", 0, 16ULL << 30},
	{"256g", 0, 256ULL << 30},
	{"3T", 0, 3ULL << 40},
	{"1KiB", 0, 1024},
	{"1MB", 0, 1ULL << 20},
	{"1Mi", 0, 1ULL << 20},
	{"16777215T", 0, 16777215ULL << 40},
	{"18446744073709551615", 0, UINT64_MAX},
	{"x", -1, 0},
	{"5Q", -1, 0},
	{"", -1, 0},
	{"M", -1, 0},
	{"-1", -1, 0},
	{"1.5G", -1, 0},
	{" 1M", -1, 0},
	{"1M ", -1, 0},
	{"1MiBx", -1, 0},
	{"1MM", -1, 0},
	{"1BM", -1, 0},
	{"99999999999T", -1, 0},
	{"16777216T", -1, 0},
	{"17179869184G", -1, 0},
	{"18446744073709551616", -1, 0},
};

START_TEST(parse_size_table)
{
	const struct size_case *t = &size_cases[_i];
	uint64_t v = 777;
	int rc = sv_parse_size(t->in, &v);

	ck_assert_msg(rc == t->rc, "'%s': rc %d, want %d", t->in, rc, t->rc);
	if (rc == 0)
		ck_assert_msg(v == t->value, "'%s': %llu", t->in,
			      (unsigned long long)v);
	else
		ck_assert_uint_eq(v, 777);
}
END_TEST

START_TEST(hex)
{
	static const uint8_t bytes[] = {0x00, 0xff, 0x10, 0xab, 0x7f};
	uint8_t out[5], big[32];
	char text[11], all[65];
	size_t i;

	ck_assert_int_eq(sv_hex_decode("00ff10Ab7F", 10, out, 5), 0);
	ck_assert_mem_eq(out, bytes, 5);
	sv_hex_encode(bytes, 5, text);
	ck_assert_str_eq(text, "00ff10ab7f");
	/* wrong length, odd length, non-hex, embedded NUL */
	ck_assert_int_eq(sv_hex_decode("00ff10ab", 8, out, 5), -1);
	ck_assert_int_eq(sv_hex_decode("00ff10ab7f0", 11, out, 5), -1);
	ck_assert_int_eq(sv_hex_decode("00ff10ab7", 9, out, 5), -1);
	ck_assert_int_eq(sv_hex_decode("zz", 2, out, 1), -1);
	ck_assert_int_eq(sv_hex_decode("0g", 2, out, 1), -1);
	ck_assert_int_eq(sv_hex_decode(" 0", 2, out, 1), -1);
	ck_assert_int_eq(sv_hex_decode("0\0", 2, out, 1), -1);
	ck_assert_int_eq(sv_hex_decode("", 0, out, 0), 0);
	/* round trip over every byte value */
	for (i = 0; i < 256; i += 32) {
		size_t k;

		for (k = 0; k < 32; k++)
			big[k] = (uint8_t)(i + k);
		sv_hex_encode(big, 32, all);
		ck_assert_uint_eq(strlen(all), 64);
		ck_assert_int_eq(sv_hex_decode(all, 64, out, 0) == -1, 1);
		{
			uint8_t back[32];

			ck_assert_int_eq(sv_hex_decode(all, 64, back, 32), 0);
			ck_assert_mem_eq(back, big, 32);
		}
	}
	ck_assert_int_eq(sv_hexval('0'), 0);
	ck_assert_int_eq(sv_hexval('f'), 15);
	ck_assert_int_eq(sv_hexval('F'), 15);
	ck_assert_int_eq(sv_hexval('g'), -1);
	ck_assert_int_eq(sv_hexval(0x100 + '1'), -1);
	ck_assert_int_eq(sv_hexval(-1), -1);
}
END_TEST

static Suite *cursor_suite(void)
{
	Suite *s = suite_create("cursor");
	TCase *tc = tcase_create("binary");

	tcase_add_test(tc, get_values);
	tcase_add_loop_test(tc, get_overrun, 0, N(overrun_cases));
	tcase_add_test(tc, err_is_sticky);
	tcase_add_test(tc, cursor_sub);
	suite_add_tcase(s, tc);
	tc = tcase_create("text");
	tcase_add_loop_test(tc, str_u64_table, 0, N(u64_cases));
	tcase_add_test(tc, str_u64_respects_end);
	tcase_add_loop_test(tc, str_i64_table, 0, N(i64_cases));
	tcase_add_test(tc, tokens);
	tcase_add_loop_test(tc, parse_size_table, 0, N(size_cases));
	tcase_add_test(tc, hex);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cursor_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
