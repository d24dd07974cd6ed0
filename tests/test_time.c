/*
 * test_time.c - core/sv_time: RFC 3339 and epoch parsing, formatting.
 *
 * Expected values were computed independently (Python's datetime), not
 * with the code under test.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sv_time.h"

#define NS SV_NS_PER_SEC
#define UNTOUCHED 0x5a5a5a5a5aLL

struct time_case {
	const char *in;
	int rc;        /* 0 or -1 */
	int64_t ns;    /* when rc == 0 */
};

static const struct time_case rfc3339_cases[] = {
	/* UTC, 'Z', 'z', 't' and ' ' separators */
	{"2026-11-29T08:27:28Z", 0, 1795940848LL * NS},
	{"2026-11-29T08:00:00Z", 0, 1795939200LL * NS},
	{"2026-11-29t08:00:00z", 0, 1795939200LL * NS},
	{"2026-11-29 08:00:00Z", 0, 1795939200LL * NS},
	{"1970-01-01T00:00:00Z", 0, 0},
	{"1969-12-31T23:59:59Z", 0, -1LL * NS},
	{"1969-12-31T23:59:59.5Z", 0, -NS / 2},
	{"2024-02-29T12:00:00Z", 0, 1709208000LL * NS},
	{"2000-03-01T00:00:00Z", 0, 951868800LL * NS},
	{"2000-02-29T00:00:00Z", 0, (951868800LL - 86400) * NS},
	{"1900-01-01T00:00:00Z", 0, -2208988800LL * NS},
	{"1678-01-01T00:00:00Z", 0, -9214560000LL * NS},
	{"2261-12-31T23:59:59Z", 0, 9214646399LL * NS},
	/* offsets: local time minus offset is UTC */
	{"2026-11-29T09:27:28+01:00", 0, 1795940848LL * NS},
	{"2026-11-29T02:57:28-05:30", 0, 1795940848LL * NS},
	{"2026-11-29T08:27:28+00:00", 0, 1795940848LL * NS},
	{"2026-11-29T08:27:28-00:00", 0, 1795940848LL * NS},
	{"2026-11-30T08:26:28+23:59", 0, 1795940848LL * NS},
	{"2026-11-29T00:30:00+01:00", 0, (1795939200LL - 30600) * NS},
	/* fractions of 1..9 digits, and more (cut at ns) */
	{"2026-11-29T08:27:28.1Z", 0, 1795940848LL * NS + 100000000},
	{"2026-11-29T08:27:28.12Z", 0, 1795940848LL * NS + 120000000},
	{"2026-11-29T08:27:28.123Z", 0, 1795940848LL * NS + 123000000},
	{"2026-11-29T08:27:28.123456Z", 0, 1795940848LL * NS + 123456000},
	{"2026-11-29T08:27:28.123456789Z", 0, 1795940848LL * NS + 123456789},
	{"2026-11-29T08:27:28.1234567891234Z", 0,
	 1795940848LL * NS + 123456789},
	{"2026-11-29T08:27:28.000000001+01:00", 0,
	 (1795940848LL - 3600) * NS + 1},
	{"2026-11-29T08:27:28.999999999Z", 0, 1795940848LL * NS + 999999999},
	/* leap second: 60 is read as 59 */
	{"2016-12-31T23:59:60Z", 0, 1483228799LL * NS},
	{"2016-12-31T23:59:60.5Z", 0, 1483228799LL * NS + 500000000},
	/* impossible dates and times */
	{"2026-02-30T00:00:00Z", -1, 0},
	{"2026-02-29T00:00:00Z", -1, 0},
	{"1900-02-29T00:00:00Z", -1, 0},
	{"2026-04-31T00:00:00Z", -1, 0},
	{"2026-13-01T00:00:00Z", -1, 0},
	{"2026-00-10T00:00:00Z", -1, 0},
	{"2026-11-00T00:00:00Z", -1, 0},
	{"2026-11-32T00:00:00Z", -1, 0},
	{"2026-11-29T24:00:00Z", -1, 0},
	{"2026-11-29T08:60:00Z", -1, 0},
	{"2026-11-29T08:00:61Z", -1, 0},
	{"2026-11-29T08:00:00+24:00", -1, 0},
	{"2026-11-29T08:00:00+01:60", -1, 0},
	/* outside the int64 nanosecond range */
	{"1677-12-31T23:59:59Z", -1, 0},
	{"2262-01-01T00:00:00Z", -1, 0},
	{"9999-12-31T23:59:59Z", -1, 0},
	{"0000-01-01T00:00:00Z", -1, 0},
	/* malformed */
	{"", -1, 0},
	{"garbage", -1, 0},
	{"hello world, this is not a time", -1, 0},
	{"2026-11-29", -1, 0},
	{"2026-11-29T08:00", -1, 0},
	{"2026-11-29T08:00:00", -1, 0},
	{"2026-11-29T08:00:00+01", -1, 0},
	{"2026-11-29T08:00:00+0100", -1, 0},
	{"2026-11-29T08:00:00+01:00:00", -1, 0},
	{"2026-11-29T08:00:00ZZ", -1, 0},
	{"2026-11-29T08:00:00Z ", -1, 0},
	{" 2026-11-29T08:00:00Z", -1, 0},
	{"2026-11-29T08:00:00.Z", -1, 0},
	{"2026-11-29T08:00:00,5Z", -1, 0},
	{"2026-11-29T08:00:00UTC", -1, 0},
	{"2026-11-29X08:00:00Z", -1, 0},
	{"2026/11/29T08:00:00Z", -1, 0},
	{"26-11-29T08:00:00Z", -1, 0},
	{"+2026-11-29T08:00:00Z", -1, 0},
	{"2026-1-29T08:00:00Z", -1, 0},
	{"2026-11-29T8:00:00Z", -1, 0},
	{"2026-11-29T08:00:0aZ", -1, 0},
	{"2026-11-29T08:00:00+1a:00", -1, 0},
	{"2026-11-29T08:00:00-05:3", -1, 0},
	{"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-11-29T08:00:00Z",
	 -1, 0},
};

START_TEST(rfc3339_table)
{
	const struct time_case *c = &rfc3339_cases[_i];
	int64_t ns = UNTOUCHED;
	int rc = sv_time_parse_rfc3339(c->in, strlen(c->in), &ns);

	ck_assert_msg(rc == c->rc, "'%s': rc %d, want %d", c->in, rc, c->rc);
	if (c->rc == 0)
		ck_assert_msg(ns == c->ns, "'%s': %lld, want %lld", c->in,
			      (long long)ns, (long long)c->ns);
	else
		ck_assert_msg(ns == UNTOUCHED, "'%s': *ns written on failure",
			      c->in);
}
END_TEST

/* Reads exactly n bytes: what follows is not looked at. */
START_TEST(rfc3339_reads_n_bytes)
{
	static const char s[] = "2026-11-29T08:00:00Z and more text";
	static const char cut[] = "2026-11-29T08:00:00+01:00";
	int64_t ns = 0;

	ck_assert_int_eq(sv_time_parse_rfc3339(s, 20, &ns), 0);
	ck_assert(ns == 1795939200LL * NS);
	ck_assert_int_eq(sv_time_parse_rfc3339(s, 21, &ns), -1);
	ck_assert_int_eq(sv_time_parse_rfc3339(s, 19, &ns), -1);
	/* the offset cut short by n */
	ck_assert_int_eq(sv_time_parse_rfc3339(cut, strlen(cut) - 1, &ns), -1);
	ck_assert_int_eq(sv_time_parse_rfc3339(cut, 20, &ns), -1);
	/* a fraction cut by n ends the fraction */
	ck_assert_int_eq(sv_time_parse_rfc3339("2026-11-29T08:00:00.5Z", 21,
					       &ns), -1);
}
END_TEST

/* Every prefix of a valid time is rejected, and nothing is over-read. */
START_TEST(rfc3339_truncated_prefixes)
{
	static const char s[] = "2026-11-29T08:27:28.123456+05:30";
	size_t n;

	for (n = 0; n < sizeof(s) - 1; n++) {
		char *copy = malloc(n ? n : 1);
		int64_t ns = UNTOUCHED;

		/* an exact-size buffer: ASan sees over-reads */
		memcpy(copy, s, n);
		ck_assert_msg(sv_time_parse_rfc3339(copy, n, &ns) == -1,
			      "prefix of %zu bytes accepted", n);
		ck_assert(ns == UNTOUCHED);
		free(copy);
	}
}
END_TEST

static const struct time_case epoch_cases[] = {
	{"1764392000", 0, 1764392000LL * NS},
	{"1764392000.250", 0, 1764392000LL * NS + 250000000},
	{"1764392000.25", 0, 1764392000LL * NS + 250000000},
	{"1764392000.000000001", 0, 1764392000LL * NS + 1},
	{"1764392000.999999999", 0, 1764392000LL * NS + 999999999},
	{"0", 0, 0},
	{"0.5", 0, NS / 2},
	{"9223372035.999999999", 0, 9223372035LL * NS + 999999999},
	{"99999999999", -1, 0}, /* past the int64 ns range */
	{"", -1, 0},
	{".", -1, 0},
	{".5", -1, 0},
	{"1764392000.", -1, 0},
	{"1764392000..5", -1, 0},
	{"1764392000.25x", -1, 0},
	{"1764392000x", -1, 0},
	{"-1", -1, 0},
	{"+1", -1, 0},
	{" 1764392000", -1, 0},
	{"1764392000 ", -1, 0},
	{"1e9", -1, 0},
	{"0x10", -1, 0},
	{"abc", -1, 0},
	{"999999999999", -1, 0},
	{"99999999999999999999999", -1, 0},
	{"2026-11-29T08:00:00Z", -1, 0},
};

START_TEST(epoch_table)
{
	const struct time_case *c = &epoch_cases[_i];
	int64_t ns = UNTOUCHED;
	int rc = sv_time_parse_epoch(c->in, strlen(c->in), &ns);

	ck_assert_msg(rc == c->rc, "'%s': rc %d, want %d", c->in, rc, c->rc);
	if (c->rc == 0)
		ck_assert_msg(ns == c->ns, "'%s': %lld, want %lld", c->in,
			      (long long)ns, (long long)c->ns);
	else
		ck_assert_msg(ns == UNTOUCHED, "'%s': *ns written on failure",
			      c->in);
}
END_TEST

START_TEST(epoch_reads_n_bytes)
{
	static const char s[] = "1764392000.250/1234/stat";
	int64_t ns = 0;

	ck_assert_int_eq(sv_time_parse_epoch(s, 14, &ns), 0);
	ck_assert(ns == 1764392000LL * NS + 250000000);
	ck_assert_int_eq(sv_time_parse_epoch(s, 10, &ns), 0);
	ck_assert(ns == 1764392000LL * NS);
	ck_assert_int_eq(sv_time_parse_epoch(s, 11, &ns), -1);
	ck_assert_int_eq(sv_time_parse_epoch(s, 15, &ns), -1);
	ck_assert_int_eq(sv_time_parse_epoch(s, 0, &ns), -1);
}
END_TEST

struct fmt_case {
	int64_t ns;
	const char *text;
};

static const struct fmt_case fmt_cases[] = {
	{0, "1970-01-01T00:00:00.000Z"},
	{1795940848LL * NS + 123456789, "2026-11-29T08:27:28.123Z"},
	{1795940848LL * NS + 999999999, "2026-11-29T08:27:28.999Z"},
	{1764392000LL * NS + 250000000, "2025-11-29T04:53:20.250Z"},
	{-NS / 2, "1969-12-31T23:59:59.500Z"},
	{-1, "1969-12-31T23:59:59.999Z"},
	{-2208988800LL * NS, "1900-01-01T00:00:00.000Z"},
	{SV_TIME_NONE, "-"},
};

START_TEST(format_table)
{
	const struct fmt_case *c = &fmt_cases[_i];
	char buf[SV_TIME_TEXT_MAX];

	sv_time_format(c->ns, buf);
	ck_assert_str_eq(buf, c->text);
}
END_TEST

/* format(parse(x)) == x at millisecond precision, and parse(format(t))
 * gives t back cut to milliseconds. */
START_TEST(format_round_trip)
{
	static const char *const texts[] = {
		"2026-11-29T08:27:28.123Z", "1970-01-01T00:00:00.000Z",
		"1969-12-31T23:59:59.001Z", "2024-02-29T23:59:59.999Z",
		"1678-01-01T00:00:00.000Z", "2261-12-31T23:59:59.999Z",
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char buf[SV_TIME_TEXT_MAX];
		int64_t ns, back;

		ck_assert_int_eq(sv_time_parse_rfc3339(texts[i],
						       strlen(texts[i]), &ns),
				 0);
		sv_time_format(ns, buf);
		ck_assert_str_eq(buf, texts[i]);
		ck_assert_int_eq(sv_time_parse_rfc3339(buf, strlen(buf),
						       &back), 0);
		ck_assert(back == ns);
	}
	/* an offset time formats as the same instant in UTC */
	{
		static const char off[] = "2026-11-29T02:57:28.5-05:30";
		char buf[SV_TIME_TEXT_MAX];
		int64_t ns;

		ck_assert_int_eq(sv_time_parse_rfc3339(off, sizeof(off) - 1,
						       &ns), 0);
		sv_time_format(ns, buf);
		ck_assert_str_eq(buf, "2026-11-29T08:27:28.500Z");
	}
}
END_TEST

START_TEST(now_is_sane)
{
	int64_t a = sv_time_now(), b = sv_time_now();

	/* after 2020-01-01 and monotone enough for two calls */
	ck_assert(a > 1577836800LL * NS);
	ck_assert(b >= a);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *time_suite(void)
{
	Suite *s = suite_create("time");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, rfc3339_table, 0, N(rfc3339_cases));
	tcase_add_test(tc, rfc3339_reads_n_bytes);
	tcase_add_test(tc, rfc3339_truncated_prefixes);
	tcase_add_loop_test(tc, epoch_table, 0, N(epoch_cases));
	tcase_add_test(tc, epoch_reads_n_bytes);
	suite_add_tcase(s, tc);
	tc = tcase_create("format");
	tcase_add_loop_test(tc, format_table, 0, N(fmt_cases));
	tcase_add_test(tc, format_round_trip);
	tcase_add_test(tc, now_is_sane);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(time_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
