/*
 * sv_tls.c - TLS ClientHello parser and JA3 fingerprint.
 *
 * Input: the first bytes of the client-to-server stream. Output: struct
 * sv_tls_hello (sv_tls.h), plain values only. Every read goes through
 * sv_cursor; nothing is allocated apart from OpenSSL's digest context.
 *
 * The stream is a sequence of TLS records (RFC 8446 5.1):
 *
 *    0        1        2        3        4        5
 *   +--------+--------+--------+--------+--------+----------------
 *   | type 22| version (3,x)   | length (<= 2^14)| fragment ...
 *   +--------+--------+--------+--------+--------+----------------
 *
 * whose fragments, joined, carry the handshake message (RFC 8446 4):
 *
 *   +--------+--------+--------+--------+------------------------
 *   | type 1 | body length (24 bits)    | ClientHello body ...
 *   +--------+--------+--------+--------+------------------------
 *
 *   body: legacy_version(2) random(32) session_id<0..32>
 *         cipher_suites<2..2^16-2> compression_methods<1..2^8-1>
 *         [extensions<8..2^16-1>: type(2) length(2) data]
 *
 * A first pass walks the records without copying and decides whether the
 * hello is complete. When it sits in one record (nearly always) it is
 * parsed in place; otherwise the fragments are joined into a stack buffer
 * of SV_APP_MAX_NEED bytes by the same walk and parsed from there.
 */
#include "sv_tls.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "sv_cursor.h"
#include "sv_text.h"

#define TLS_CT_HANDSHAKE 22
#define TLS_HT_CLIENT_HELLO 1
#define TLS_REC_HDR 5
#define TLS_HS_HDR 4
#define TLS_MAX_MINOR 4      /* TLS 1.3 is 3,4 */
#define TLS_RANDOM 32
#define TLS_MAX_SESSION_ID 32

/* Extension types (IANA "TLS ExtensionType Values") */
#define EXT_SERVER_NAME 0
#define EXT_GROUPS 10
#define EXT_EC_POINT_FORMATS 11
#define EXT_ALPN 16
#define EXT_SUPPORTED_VERSIONS 43
#define EXT_ECH 0xfe0d

#define SNI_HOST_NAME 0

int sv_tls_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* Append n bytes of s to dst, escaped (sv_text_escape). */
static int esc_append(char *dst, size_t cap, size_t *len,
		      const uint8_t *s, size_t n, const char *extra)
{
	return sv_text_escape(dst, cap, len, s, n, extra);
}

/* ------------------------------------------------ record walk */

struct tls_scan {
	size_t want;        /* handshake bytes wanted: 4, then 4 + body */
	size_t have;        /* handshake bytes seen so far */
	uint8_t hdr[TLS_HS_HDR];
	int nrec;           /* records that gave bytes to the hello */
	int too_big;        /* the hello would pass SV_APP_MAX_NEED */
	uint8_t *buf;       /* NULL, or where the hello is joined */
};

/* Give the hello the bytes of one record fragment (all of frag). */
static void scan_take(struct tls_scan *s, const uint8_t *frag, size_t n)
{
	struct sv_cursor c = sv_cursor_make(frag, n);
	const uint8_t *b;
	size_t take;

	while (sv_cursor_left(&c) && s->have < s->want && !s->too_big) {
		if (s->have < TLS_HS_HDR) {
			s->hdr[s->have] = sv_get_u8(&c);
			if (s->buf)
				s->buf[s->have] = s->hdr[s->have];
			if (++s->have < TLS_HS_HDR)
				continue;
			s->want = TLS_HS_HDR + ((size_t)s->hdr[1] << 16 |
						(size_t)s->hdr[2] << 8 |
						s->hdr[3]);
			/* at least one record header comes before it */
			if (TLS_REC_HDR + s->want > SV_APP_MAX_NEED)
				s->too_big = 1;
			continue;
		}
		take = sv_cursor_left(&c);
		if (take > s->want - s->have)
			take = s->want - s->have;
		b = sv_get_bytes(&c, take);
		if (s->buf && b)
			memcpy(s->buf + s->have, b, take);
		s->have += take;
	}
}

/* NEED_MORE with a lower bound, or MALFORMED past the cap. */
static enum sv_app_status need_more(size_t total, size_t *need)
{
	if (total > SV_APP_MAX_NEED)
		return SV_APP_MALFORMED;
	*need = total;
	return SV_APP_NEED_MORE;
}

/*
 * Judge the first k bytes (up to 3 are looked at) of a record header:
 * NOT (first record) or MALFORMED (later) when they cannot start a
 * handshake record, else NEED_MORE (meaning "fine so far").
 */
static enum sv_app_status judge_header(const uint8_t *h, size_t k,
				       int first)
{
	struct sv_cursor c = sv_cursor_make(h, k);
	enum sv_app_status bad = first ? SV_APP_NOT : SV_APP_MALFORMED;

	if (k >= 1 && sv_get_u8(&c) != TLS_CT_HANDSHAKE)
		return bad;
	if (k >= 2 && sv_get_u8(&c) != 3)
		return bad;
	if (first && k >= 3 && sv_get_u8(&c) > TLS_MAX_MINOR)
		return SV_APP_NOT;
	return SV_APP_NEED_MORE;
}

/* Bytes the stream still lacks once a record is cut at the input end. */
static size_t missing_after_cut(const struct tls_scan *s, size_t in_rec)
{
	size_t miss = s->want - s->have;

	return miss > in_rec ? miss + TLS_REC_HDR : miss;
}

/*
 * Walk the records of p[0..n) and feed their fragments to s until the
 * hello is complete (OK), the input ends (NEED_MORE, *need set), or the
 * bytes cannot be a ClientHello (NOT) or a sane one (MALFORMED).
 */
static enum sv_app_status scan_records(const uint8_t *p, size_t n,
				       struct tls_scan *s,
				       struct sv_tls_hello *out, size_t *need)
{
	size_t pos = 0;

	s->want = TLS_HS_HDR;
	for (;;) {
		size_t left = n - pos, len, avail;
		int first = s->nrec == 0;
		struct sv_cursor c = sv_cursor_make(p + pos, left);
		enum sv_app_status st = judge_header(p + pos, left, first);

		if (st != SV_APP_NEED_MORE)
			return st;
		if (left < TLS_REC_HDR)
			return need_more(pos + TLS_REC_HDR + s->want - s->have,
					 need);
		sv_get_u8(&c);
		if (first)
			out->record_version = sv_get_be16(&c);
		else
			sv_get_be16(&c);
		len = sv_get_be16(&c);
		if (len == 0 || len > SV_TLS_MAX_FRAGMENT)
			return SV_APP_MALFORMED;
		avail = sv_cursor_left(&c) < len ? sv_cursor_left(&c) : len;
		scan_take(s, sv_get_bytes(&c, avail), avail);
		s->nrec += avail > 0;
		/* the first record holds the type byte: it is never empty */
		if (s->have && s->hdr[0] != TLS_HT_CLIENT_HELLO)
			return SV_APP_NOT;
		if (s->too_big)
			return SV_APP_MALFORMED;
		if (s->have >= TLS_HS_HDR && s->have == s->want)
			return SV_APP_OK;
		if (avail < len)
			return need_more(n + missing_after_cut(s, len - avail),
					 need);
		pos += TLS_REC_HDR + len;
	}
}

/* ------------------------------------------------ extensions */

/* server_name (RFC 6066 3): the first host_name, escaped. */
static int ext_sni(struct sv_cursor d, struct sv_tls_hello *out)
{
	size_t list = sv_get_be16(&d), len = 0;
	struct sv_cursor l = sv_cursor_sub(&d, list);

	if (d.err || sv_cursor_left(&d) || list == 0)
		return -1;
	while (sv_cursor_left(&l)) {
		uint8_t type = sv_get_u8(&l);
		size_t nl = sv_get_be16(&l);
		const uint8_t *name = sv_get_bytes(&l, nl);

		if (l.err || nl == 0)
			return -1;
		if (type == SNI_HOST_NAME && !out->sni[0])
			esc_append(out->sni, sizeof(out->sni), &len, name, nl,
				   "");
	}
	return 0;
}

/* ALPN (RFC 7301 3.1): names joined with ',' (a ',' inside escaped). */
static int ext_alpn(struct sv_cursor d, struct sv_tls_hello *out)
{
	size_t list = sv_get_be16(&d), len = 0;
	struct sv_cursor l = sv_cursor_sub(&d, list);
	int first = 1;

	if (d.err || sv_cursor_left(&d) || list < 2)
		return -1;
	while (sv_cursor_left(&l)) {
		size_t pl = sv_get_u8(&l);
		const uint8_t *name = sv_get_bytes(&l, pl);

		if (l.err || pl == 0)
			return -1;
		if (out->alpn_cut)
			continue;
		if ((!first && esc_append(out->alpn, sizeof(out->alpn), &len,
					  (const uint8_t *)",", 1, "")) ||
		    esc_append(out->alpn, sizeof(out->alpn), &len, name, pl,
			       ","))
			out->alpn_cut = 1;
		first = 0;
	}
	return 0;
}

/* supported_versions, ClientHello form (RFC 8446 4.2.1). */
static int ext_versions(struct sv_cursor d, struct sv_tls_hello *out)
{
	size_t len = sv_get_u8(&d);
	struct sv_cursor l = sv_cursor_sub(&d, len);
	uint16_t best = 0;

	if (d.err || sv_cursor_left(&d) || len < 2 || len % 2)
		return -1;
	while (sv_cursor_left(&l)) {
		uint16_t v = sv_get_be16(&l);

		if (!sv_tls_is_grease(v) && v > best)
			best = v;
	}
	if (best)
		out->version = best;
	return 0;
}

/* A vector of 16-bit values filling d (supported_groups). */
static int ext_u16_vector(struct sv_cursor d)
{
	size_t len = sv_get_be16(&d);

	sv_get_bytes(&d, len);
	return d.err || sv_cursor_left(&d) || len < 2 || len % 2 ? -1 : 0;
}

/* A vector of 8-bit values filling d (ec_point_formats). */
static int ext_u8_vector(struct sv_cursor d)
{
	size_t len = sv_get_u8(&d);

	sv_get_bytes(&d, len);
	return d.err || sv_cursor_left(&d) || len < 1 ? -1 : 0;
}

/* Read one extension; -1 when its data is malformed. */
static int read_ext(uint16_t type, struct sv_cursor d, int seen,
		    struct sv_tls_hello *out)
{
	switch (type) {
	case EXT_SERVER_NAME:
		return seen ? 0 : ext_sni(d, out);
	case EXT_ALPN:
		return seen ? 0 : ext_alpn(d, out);
	case EXT_SUPPORTED_VERSIONS:
		return seen ? 0 : ext_versions(d, out);
	case EXT_GROUPS:
		return ext_u16_vector(d);
	case EXT_EC_POINT_FORMATS:
		return ext_u8_vector(d);
	case EXT_ECH:
		out->ech = 1;
		return 0;
	default:
		return 0;
	}
}

/* Bits for the extensions read_ext uses the first occurrence of. */
static unsigned ext_bit(uint16_t type)
{
	switch (type) {
	case EXT_SERVER_NAME:
		return 1;
	case EXT_ALPN:
		return 2;
	case EXT_SUPPORTED_VERSIONS:
		return 4;
	default:
		return 0;
	}
}

/* Walk the extensions block; MALFORMED if any is, after reading all. */
static enum sv_app_status walk_exts(struct sv_cursor e,
				    struct sv_tls_hello *out)
{
	enum sv_app_status st = SV_APP_OK;
	unsigned seen = 0;

	while (sv_cursor_left(&e)) {
		uint16_t type = sv_get_be16(&e);
		size_t len = sv_get_be16(&e);
		struct sv_cursor d = sv_cursor_sub(&e, len);

		if (e.err)
			return SV_APP_MALFORMED;
		out->n_extensions++;
		if (read_ext(type, d, (seen & ext_bit(type)) != 0, out))
			st = SV_APP_MALFORMED;
		seen |= ext_bit(type);
	}
	return st;
}

/* The data of the first extension of this type, or an erring cursor. */
static struct sv_cursor find_ext(struct sv_cursor e, uint16_t want)
{
	struct sv_cursor none = {NULL, NULL, 1};

	while (sv_cursor_left(&e) && !e.err) {
		uint16_t type = sv_get_be16(&e);
		size_t len = sv_get_be16(&e);
		struct sv_cursor d = sv_cursor_sub(&e, len);

		if (!e.err && type == want)
			return d;
	}
	return none;
}

/* ------------------------------------------------ JA3 */

/* The JA3 text, bounded, and its MD5 over the whole of it. */
struct ja3_w {
	char *buf;
	size_t cap, len;
	int cut;
	EVP_MD_CTX *md;
};

static void ja3_put(struct ja3_w *w, const char *s, size_t n)
{
	if (w->md && EVP_DigestUpdate(w->md, s, n) != 1) {
		EVP_MD_CTX_free(w->md);
		w->md = NULL;
	}
	if (w->cut || w->len + n >= w->cap) {
		w->cut = 1;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

/* Append v with a '-' before all but the first value of a field. */
static void ja3_num(struct ja3_w *w, unsigned v, int *first)
{
	char tmp[16];
	int k = snprintf(tmp, sizeof(tmp), "%s%u", *first ? "" : "-", v);

	*first = 0;
	if (k > 0 && (size_t)k < sizeof(tmp))
		ja3_put(w, tmp, (size_t)k);
}

/* Append the non-GREASE 16-bit values of c, then a ',' if sep. */
static void ja3_u16_list(struct ja3_w *w, struct sv_cursor c, int sep)
{
	int first = 1;

	while (!c.err && sv_cursor_left(&c) >= 2) {
		uint16_t v = sv_get_be16(&c);

		if (!sv_tls_is_grease(v))
			ja3_num(w, v, &first);
	}
	if (sep)
		ja3_put(w, ",", 1);
}

/* JA3 field 3: extension types in wire order. */
static void ja3_ext_types(struct ja3_w *w, struct sv_cursor e)
{
	int first = 1;

	while (sv_cursor_left(&e) && !e.err) {
		uint16_t type = sv_get_be16(&e);

		sv_get_bytes(&e, sv_get_be16(&e));
		if (!e.err && !sv_tls_is_grease(type))
			ja3_num(w, type, &first);
	}
	ja3_put(w, ",", 1);
}

/* JA3 field 5: the ec_point_formats bytes. */
static void ja3_ecpf(struct ja3_w *w, struct sv_cursor e)
{
	struct sv_cursor d = find_ext(e, EXT_EC_POINT_FORMATS);
	struct sv_cursor l;
	int first = 1;

	if (d.err)
		return;
	l = sv_cursor_sub(&d, sv_get_u8(&d));
	while (sv_cursor_left(&l))
		ja3_num(w, sv_get_u8(&l), &first);
}

/* Fill out->ja3, ja3_cut, ja3_md5 from a well-formed hello. */
static void ja3_build(struct sv_tls_hello *out, struct sv_cursor ciphers,
		      struct sv_cursor exts)
{
	struct ja3_w w = {out->ja3, sizeof(out->ja3), 0, 0, NULL};
	struct sv_cursor g;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int first = 1;

	w.md = EVP_MD_CTX_new();
	if (w.md && EVP_DigestInit_ex(w.md, EVP_md5(), NULL) != 1) {
		EVP_MD_CTX_free(w.md);
		w.md = NULL;
	}
	ja3_num(&w, out->legacy_version, &first);
	ja3_put(&w, ",", 1);
	ja3_u16_list(&w, ciphers, 1);
	ja3_ext_types(&w, exts);
	g = find_ext(exts, EXT_GROUPS);
	if (!g.err)
		sv_get_be16(&g);        /* the vector length, checked */
	ja3_u16_list(&w, g, 1);
	ja3_ecpf(&w, exts);
	out->ja3_cut = w.cut;
	if (w.md && EVP_DigestFinal_ex(w.md, md, &mdlen) == 1 && mdlen == 16)
		sv_hex_encode(md, 16, out->ja3_md5);
	EVP_MD_CTX_free(w.md);
}

/* ------------------------------------------------ ClientHello body */

/* Parse the body (without the 4-byte handshake header). */
static enum sv_app_status parse_hello(const uint8_t *b, size_t n,
				      struct sv_tls_hello *out)
{
	struct sv_cursor c = sv_cursor_make(b, n), ciphers, exts;
	size_t sid, cs_len, comp;
	enum sv_app_status st;

	out->legacy_version = sv_get_be16(&c);
	out->version = out->legacy_version;
	sv_get_bytes(&c, TLS_RANDOM);
	sid = sv_get_u8(&c);
	sv_get_bytes(&c, sid);
	cs_len = sv_get_be16(&c);
	ciphers = sv_cursor_sub(&c, cs_len);
	if (c.err || sid > TLS_MAX_SESSION_ID || cs_len < 2 || cs_len % 2)
		return SV_APP_MALFORMED;
	out->n_ciphers = (int)(cs_len / 2);
	comp = sv_get_u8(&c);
	sv_get_bytes(&c, comp);
	if (c.err || comp == 0)
		return SV_APP_MALFORMED;
	exts = sv_cursor_make(c.p, 0);
	if (sv_cursor_left(&c)) {
		size_t ext_len = sv_get_be16(&c);

		exts = sv_cursor_sub(&c, ext_len);
		if (c.err || sv_cursor_left(&c))
			return SV_APP_MALFORMED;
	}
	st = walk_exts(exts, out);
	if (st == SV_APP_OK)
		ja3_build(out, ciphers, exts);
	return st;
}

/* The hello spans records: join the fragments, then parse. */
static enum sv_app_status parse_joined(const uint8_t *p, size_t n,
				       struct sv_tls_hello *out)
{
	uint8_t buf[SV_APP_MAX_NEED];
	struct tls_scan s;
	size_t unused;

	memset(&s, 0, sizeof(s));
	s.buf = buf;
	if (scan_records(p, n, &s, out, &unused) != SV_APP_OK)
		return SV_APP_MALFORMED;   /* the first walk said OK */
	return parse_hello(buf + TLS_HS_HDR, s.want - TLS_HS_HDR, out);
}

enum sv_app_status sv_tls_client_hello(const uint8_t *p, size_t n,
				       struct sv_tls_hello *out,
				       size_t *need)
{
	static const uint8_t none[1];
	struct tls_scan s;
	size_t dummy;
	enum sv_app_status st;

	memset(out, 0, sizeof(*out));
	if (!need)
		need = &dummy;
	*need = 0;
	if (!p) {
		p = none;
		n = 0;
	}
	memset(&s, 0, sizeof(s));
	st = scan_records(p, n, &s, out, need);
	if (st != SV_APP_OK)
		return st;
	out->n_records = s.nrec;
	if (s.nrec == 1)
		return parse_hello(p + TLS_REC_HDR + TLS_HS_HDR,
				   s.want - TLS_HS_HDR, out);
	return parse_joined(p, n, out);
}
