/*
 * sv_cursor.h - bounds-checked readers for untrusted bytes and text.
 *
 * Binary: tcpdump's GET_* discipline without longjmp. Every read checks
 * the remaining length; an overrun sets the sticky err flag and yields 0,
 * so a parser may read a whole header and test c.err once.
 *
 * Text: curl's strparse discipline. Numbers are parsed with an explicit
 * maximum; no sscanf/strtol/atoi on bundle bytes.
 */
#ifndef SV_CURSOR_H
#define SV_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sv_cursor {
	const uint8_t *p;
	const uint8_t *end;
	int err;
};

static inline struct sv_cursor sv_cursor_make(const void *buf, size_t n)
{
	struct sv_cursor c;

	c.p = buf;
	c.end = c.p + n;
	c.err = 0;
	return c;
}

static inline size_t sv_cursor_left(const struct sv_cursor *c)
{
	return (size_t)(c->end - c->p);
}

static inline int sv_cursor_need(struct sv_cursor *c, size_t n)
{
	if (c->err || sv_cursor_left(c) < n) {
		c->err = 1;
		return 0;
	}
	return 1;
}

static inline uint8_t sv_get_u8(struct sv_cursor *c)
{
	return sv_cursor_need(c, 1) ? *c->p++ : 0;
}

static inline uint16_t sv_get_be16(struct sv_cursor *c)
{
	uint16_t v;

	if (!sv_cursor_need(c, 2))
		return 0;
	v = (uint16_t)(c->p[0] << 8 | c->p[1]);
	c->p += 2;
	return v;
}

static inline uint32_t sv_get_be32(struct sv_cursor *c)
{
	uint32_t v;

	if (!sv_cursor_need(c, 4))
		return 0;
	v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	    (uint32_t)c->p[2] << 8 | c->p[3];
	c->p += 4;
	return v;
}

static inline uint32_t sv_get_le32(struct sv_cursor *c)
{
	uint32_t v;

	if (!sv_cursor_need(c, 4))
		return 0;
	v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 |
	    (uint32_t)c->p[1] << 8 | c->p[0];
	c->p += 4;
	return v;
}

/* Borrow n bytes (NULL on overrun). */
static inline const uint8_t *sv_get_bytes(struct sv_cursor *c, size_t n)
{
	const uint8_t *p;

	if (!sv_cursor_need(c, n))
		return NULL;
	p = c->p;
	c->p += n;
	return p;
}

/* Narrow to the next len bytes (a length-prefixed record); advances c. */
static inline struct sv_cursor sv_cursor_sub(struct sv_cursor *c, size_t len)
{
	struct sv_cursor sub = {NULL, NULL, 1};
	const uint8_t *p = sv_get_bytes(c, len);

	if (p)
		sub = sv_cursor_make(p, len);
	return sub;
}

/* ---- text ---- */

/* A borrowed slice of text; not NUL-terminated. */
struct sv_span {
	const char *p;
	size_t n;
};

/*
 * Parse a decimal unsigned number at *s (within end), at most max.
 * Advances *s past the digits. Returns 0, or -1 when there is no digit
 * or the value exceeds max (then *s is untouched).
 */
int sv_str_u64(const char **s, const char *end, uint64_t max, uint64_t *out);
/* The same for an optional leading '-'. */
int sv_str_i64(const char **s, const char *end, int64_t *out);

/* Skip spaces and tabs. */
void sv_str_skip_blank(const char **s, const char *end);

/* Next token separated by blanks; returns 0 and the span, -1 at end. */
int sv_str_token(const char **s, const char *end, struct sv_span *tok);

/* Exact match of a span against a NUL-terminated literal. */
static inline int sv_span_eq(struct sv_span a, const char *lit)
{
	size_t n = strlen(lit);

	return a.n == n && memcmp(a.p, lit, n) == 0;
}

/* Hex digit value, or -1. */
static inline int sv_hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Decode exactly 2*n hex digits into out; 0 or -1. */
int sv_hex_decode(const char *s, size_t slen, uint8_t *out, size_t n);
/* Encode n bytes as lowercase hex into out (2n+1 bytes). */
void sv_hex_encode(const uint8_t *in, size_t n, char *out);

/*
 * Parse a byte size with an optional K/M/G/T suffix (powers of 1024),
 * e.g. "64M". The whole string must be consumed. 0 or -1.
 */
int sv_parse_size(const char *s, uint64_t *out);

#endif
