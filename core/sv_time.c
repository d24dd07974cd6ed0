/*
 * sv_time.c - RFC 3339 and epoch-seconds parsing, UTC formatting.
 *
 * RFC 3339 section 5.6:
 *   date-time = full-date "T" full-time
 *   full-date = YYYY "-" MM "-" DD ; full-time = hh ":" mm ":" ss
 *               [ "." 1*DIGIT ] ( "Z" / ("+" / "-") hh ":" mm )
 * Days are counted with the civil-from-days algorithm, so no timegm()
 * and no dependence on the TZ environment.
 */
#include "sv_time.h"

#include <stdio.h>
#include <time.h>

static int digits(const char *s, size_t n, size_t at, size_t count,
		  int *out)
{
	int v = 0;
	size_t i;

	if (at + count > n)
		return -1;
	for (i = 0; i < count; i++) {
		char c = s[at + i];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dm[m - 1];
}

/* Fraction ".ddd" at s[*at]; returns ns and advances *at. */
static int parse_fraction(const char *s, size_t n, size_t *at, int64_t *ns)
{
	size_t i = *at;
	int64_t frac = 0;
	int count = 0;

	*ns = 0;
	if (i >= n || s[i] != '.')
		return 0;
	i++;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (count < 9) {
			frac = frac * 10 + (s[i] - '0');
			count++;
		}
		i++;
	}
	if (i == *at + 1)
		return -1; /* a dot with no digits */
	while (count++ < 9)
		frac *= 10;
	*ns = frac;
	*at = i;
	return 0;
}

static int parse_offset(const char *s, size_t n, size_t at, int64_t *sec)
{
	int oh, om, sign;

	if (at + 1 == n && (s[at] == 'Z' || s[at] == 'z')) {
		*sec = 0;
		return 0;
	}
	if (at + 6 != n || (s[at] != '+' && s[at] != '-') || s[at + 3] != ':')
		return -1;
	sign = s[at] == '-' ? -1 : 1;
	if (digits(s, n, at + 1, 2, &oh) || digits(s, n, at + 4, 2, &om) ||
	    oh > 23 || om > 59)
		return -1;
	*sec = sign * (oh * 3600 + om * 60);
	return 0;
}

int sv_time_parse_rfc3339(const char *s, size_t n, int64_t *ns)
{
	int y, mo, d, h, mi, se;
	int64_t frac, off, days, secs;
	size_t at = 19;

	if (n < 20 || digits(s, n, 0, 4, &y) || s[4] != '-' ||
	    digits(s, n, 5, 2, &mo) || s[7] != '-' ||
	    digits(s, n, 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s, n, 11, 2, &h) || s[13] != ':' ||
	    digits(s, n, 14, 2, &mi) || s[16] != ':' ||
	    digits(s, n, 17, 2, &se))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || se > 60)
		return -1;
	if (parse_fraction(s, n, &at, &frac) || parse_offset(s, n, at, &off))
		return -1;
	if (y < 1678 || y > 2261)
		return -1; /* outside the int64 ns range, with margin */
	days = days_from_civil(y, (unsigned)mo, (unsigned)d);
	secs = days * 86400 + h * 3600 + mi * 60 + (se == 60 ? 59 : se) - off;
	*ns = secs * SV_NS_PER_SEC + frac;
	return 0;
}

int sv_time_parse_epoch(const char *s, size_t n, int64_t *ns)
{
	int64_t secs = 0, frac = 0;
	size_t i = 0;

	if (n == 0 || s[0] < '0' || s[0] > '9')
		return -1;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (i >= 11)
			return -1; /* beyond year 5138: not a snapshot time */
		secs = secs * 10 + (s[i] - '0');
		i++;
	}
	if (parse_fraction(s, n, &i, &frac) || i != n)
		return -1;
	if (secs > INT64_MAX / SV_NS_PER_SEC - 1)
		return -1;
	*ns = secs * SV_NS_PER_SEC + frac;
	return 0;
}

void sv_time_format(int64_t ns, char buf[SV_TIME_TEXT_MAX])
{
	int64_t secs = ns / SV_NS_PER_SEC, rem = ns % SV_NS_PER_SEC;
	struct tm tm;
	time_t t;

	if (ns == SV_TIME_NONE) {
		snprintf(buf, SV_TIME_TEXT_MAX, "-");
		return;
	}
	if (rem < 0) {
		rem += SV_NS_PER_SEC;
		secs--;
	}
	t = (time_t)secs;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, SV_TIME_TEXT_MAX, "-");
		return;
	}
	snprintf(buf, SV_TIME_TEXT_MAX, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(rem / 1000000));
}

int64_t sv_time_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * SV_NS_PER_SEC + ts.tv_nsec;
}
