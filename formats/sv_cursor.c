/*
 * sv_cursor.c - the out-of-line text helpers of sv_cursor.h.
 */
#include "sv_cursor.h"

int sv_str_u64(const char **s, const char *end, uint64_t max, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;

	if (p >= end || *p < '0' || *p > '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		uint64_t d = (uint64_t)(*p - '0');

		if (d > max || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	*s = p;
	return 0;
}

int sv_str_i64(const char **s, const char *end, int64_t *out)
{
	const char *p = *s;
	int neg = 0;
	uint64_t v;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	if (sv_str_u64(&p, end, neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX,
		       &v))
		return -1;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	*s = p;
	return 0;
}

void sv_str_skip_blank(const char **s, const char *end)
{
	while (*s < end && (**s == ' ' || **s == '\t'))
		(*s)++;
}

int sv_str_token(const char **s, const char *end, struct sv_span *tok)
{
	const char *p;

	sv_str_skip_blank(s, end);
	if (*s >= end)
		return -1;
	p = *s;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	tok->p = *s;
	tok->n = (size_t)(p - *s);
	*s = p;
	return 0;
}

int sv_hex_decode(const char *s, size_t slen, uint8_t *out, size_t n)
{
	size_t i;

	if (slen != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		int hi = sv_hexval((unsigned char)s[2 * i]);
		int lo = sv_hexval((unsigned char)s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

void sv_hex_encode(const uint8_t *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int sv_parse_size(const char *s, uint64_t *out)
{
	const char *end = s + strlen(s);
	uint64_t v, mult = 1;

	if (sv_str_u64(&s, end, UINT64_MAX, &v))
		return -1;
	if (s < end) {
		switch (*s) {
		case 'k': case 'K': mult = 1ULL << 10; break;
		case 'm': case 'M': mult = 1ULL << 20; break;
		case 'g': case 'G': mult = 1ULL << 30; break;
		case 't': case 'T': mult = 1ULL << 40; break;
		default: return -1;
		}
		s++;
		if (s < end && (*s == 'i' || *s == 'I'))
			s++;
		if (s < end && (*s == 'b' || *s == 'B'))
			s++;
	}
	if (s != end || (v && mult > UINT64_MAX / v))
		return -1;
	*out = v * mult;
	return 0;
}
