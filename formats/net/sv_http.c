/*
 * sv_http.c - HTTP/1.x start line and header section (RFC 9112).
 *
 *   request-line = method SP request-target SP HTTP-version CRLF
 *   status-line  = HTTP-version SP status-code SP [ reason-phrase ] CRLF
 *   field-line   = field-name ":" OWS field-value OWS CRLF
 *   ...            one line per header, then an empty line (CRLF)
 *
 * The walk takes one line at a time from an sv_cursor narrowed to the
 * first SV_HTTP_MAX_HEADER bytes, so nothing past the header limit or
 * the caller's n is ever read. Each header name is looked up in a small
 * table (case-insensitive, RFC 9110 section 5.1) and the framing headers
 * are checked as they come; the request/response rules that need the
 * whole section (Host count, CL with TE) run at the blank line.
 */
#include "sv_http.h"

#include <string.h>

#include "sv_cursor.h"
#include "sv_text.h"

/* RFC 9110 section 9, RFC 4918 section 9, RFC 5789; trailing SP. */
static const char *const methods[] = {
	"GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "CONNECT ", "OPTIONS ",
	"TRACE ", "PATCH ", "PROPFIND ", "PROPPATCH ", "MKCOL ", "COPY ",
	"MOVE ", "LOCK ", "UNLOCK ",
};

#define NMETHODS (sizeof(methods) / sizeof(methods[0]))
#define MAX_EMPTY_LEAD 2   /* empty lines skipped before a request line */

/* One line without its terminator, borrowed from the input. */
struct line {
	const uint8_t *p;
	size_t n;
};

/* What the header walk collects; a NULL destination is not wanted. */
struct hdrs {
	char *host, *ua, *server, *upgrade_to;
	size_t host_cap, ua_cap, server_cap, upgrade_cap;
	int64_t clen;
	int clen_seen, te_seen, chunked, chunked_count, hosts;
	int upgrade, headers, bare_lf;
	const char *error;
};

/* Copy n bytes of s into dst (cap bytes), escaped (sv_text_escape).
 * Returns 1 when the input did not fit. */
static int esc_copy(char *dst, size_t cap, const uint8_t *s, size_t n)
{
	size_t len = 0;

	return sv_text_escape(dst, cap, &len, s, n, NULL) != 0;
}

/* RFC 9110 section 5.6.2 tchar. */
static int is_tchar(uint8_t b)
{
	if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') ||
	    (b >= 'A' && b <= 'Z'))
		return 1;
	return b && strchr("!#$%&'*+-.^_`|~", b) != NULL;
}

/* A byte a field value, reason phrase or target may not hold: CTLs
 * (NUL, bare CR included) and DEL. HTAB is the caller's choice. */
static int is_ctl(uint8_t b)
{
	return b < 0x20 || b == 0x7f;
}

static uint8_t lower(uint8_t b)
{
	return (b >= 'A' && b <= 'Z') ? (uint8_t)(b + 32) : b;
}

/* Case-insensitive match of s, n against a lowercase literal. */
static int span_ieq(const uint8_t *s, size_t n, const char *lit)
{
	size_t i;

	if (n != strlen(lit))
		return 0;
	for (i = 0; i < n; i++)
		if (lower(s[i]) != (uint8_t)lit[i])
			return 0;
	return 1;
}

static int is_ows(uint8_t b)
{
	return b == ' ' || b == '\t';
}

/* Trim optional white space (SP, HTAB) at both ends of l. */
static struct line trim_ows(struct line l)
{
	while (l.n && is_ows(l.p[0])) {
		l.p++;
		l.n--;
	}
	while (l.n && is_ows(l.p[l.n - 1]))
		l.n--;
	return l;
}

/*
 * Take the next line from c. Returns 1 with *l (CR LF or bare LF
 * stripped; a bare LF sets *bare_lf), or 0 when no LF is left in c
 * (c untouched).
 */
static int next_line(struct sv_cursor *c, struct line *l, int *bare_lf)
{
	size_t left = sv_cursor_left(c), len;
	const uint8_t *lf;

	lf = left ? memchr(c->p, '\n', left) : NULL;
	if (!lf)
		return 0;
	len = (size_t)(lf - c->p);
	l->p = sv_get_bytes(c, len + 1);
	l->n = len;
	if (len && l->p[len - 1] == '\r')
		l->n--;
	else
		*bare_lf = 1;
	return 1;
}

/* NEED_MORE, or MALFORMED when the limit, not n, cut the header. */
static enum sv_app_status incomplete(size_t n, size_t *need,
				     const char **error)
{
	if (n >= SV_HTTP_MAX_HEADER) {
		*error = "header section longer than 16 KiB";
		return SV_APP_MALFORMED;
	}
	if (need)
		*need = n + 1;
	return SV_APP_NEED_MORE;
}

/* ---- framing headers ---- */

/*
 * Content-Length = 1*DIGIT (RFC 9110 section 8.6). A second value that
 * disagrees is the CL.CL smuggling trick: a proxy that takes the first
 * and a server that takes the last see different bodies, so the next
 * "request" is attacker-chosen bytes (RFC 9112 section 6.3 item 5 calls
 * it an unrecoverable error). Repeating the same value is allowed.
 */
static void h_content_length(struct hdrs *h, struct line v)
{
	const char *s = (const char *)v.p, *end = s + v.n;
	uint64_t val;

	if (sv_str_u64(&s, end, INT64_MAX, &val) || s != end) {
		h->error = "invalid Content-Length";
		h->clen = -1;
		h->clen_seen = 1;
		return;
	}
	if (h->clen_seen && h->clen != (int64_t)val) {
		h->error = "two Content-Length values that disagree";
		return;
	}
	h->clen = (int64_t)val;
	h->clen_seen = 1;
}

/*
 * Transfer-Encoding = #transfer-coding (RFC 9112 section 6.1); several
 * headers make one list. Only the last coding decides the framing:
 * chunked last means chunked, anything else means "until close" in a
 * response and is refused in a request (checked at the end). chunked
 * twice is forbidden (section 7) and a classic obfuscation.
 */
static void h_transfer_encoding(struct hdrs *h, struct line v)
{
	size_t i = 0;

	h->te_seen = 1;
	while (i <= v.n) {
		size_t j = i, k = 0;
		struct line el;

		while (j < v.n && v.p[j] != ',')
			j++;
		el.p = v.p + i;
		el.n = j - i;
		while (k < el.n && el.p[k] != ';')
			k++;   /* parameters do not change the coding */
		el.n = k;
		el = trim_ows(el);
		i = j + 1;
		if (!el.n)
			continue;   /* empty list elements are legal */
		h->chunked = span_ieq(el.p, el.n, "chunked");
		h->chunked_count += h->chunked;
	}
	if (h->chunked_count > 1)
		h->error = "chunked transfer coding applied twice";
}

static void h_host(struct hdrs *h, struct line v)
{
	if (h->host && !h->hosts++)
		esc_copy(h->host, h->host_cap, v.p, v.n);
}

static void h_user_agent(struct hdrs *h, struct line v)
{
	if (h->ua && !h->ua[0])
		esc_copy(h->ua, h->ua_cap, v.p, v.n);
}

static void h_server(struct hdrs *h, struct line v)
{
	if (h->server && !h->server[0])
		esc_copy(h->server, h->server_cap, v.p, v.n);
}

static void h_upgrade(struct hdrs *h, struct line v)
{
	if (!h->upgrade++)
		esc_copy(h->upgrade_to, h->upgrade_cap, v.p, v.n);
}

static const struct {
	const char *name;   /* lowercase */
	void (*fn)(struct hdrs *, struct line);
} handlers[] = {
	{"content-length", h_content_length},
	{"transfer-encoding", h_transfer_encoding},
	{"host", h_host},
	{"user-agent", h_user_agent},
	{"server", h_server},
	{"upgrade", h_upgrade},
};

/*
 * One field line. Refused: a line starting with white space (obs-fold,
 * RFC 9112 section 5.2: joined by some parsers, not by others), a name
 * that is not a token or has white space before the colon (section 5.1),
 * and CTL bytes in the value (RFC 9110 section 5.5: NUL and CR are where
 * injection happens). Returns 0, or -1 with h->error set.
 */
static int field_line(struct hdrs *h, struct line l)
{
	size_t i = 0, k;
	struct line v;

	if (is_ows(l.p[0])) {
		h->error = "header folded over lines (obs-fold)";
		return -1;
	}
	while (i < l.n && is_tchar(l.p[i]))
		i++;
	if (i == 0 || i == l.n || l.p[i] != ':') {
		h->error = "bad header name or no colon";
		return -1;
	}
	v.p = l.p + i + 1;
	v.n = l.n - i - 1;
	v = trim_ows(v);
	for (k = 0; k < v.n; k++) {
		if (is_ctl(v.p[k]) && v.p[k] != '\t') {
			h->error = "NUL or control byte in a header";
			return -1;
		}
	}
	h->headers++;
	for (k = 0; k < sizeof(handlers) / sizeof(handlers[0]); k++)
		if (span_ieq(l.p, i, handlers[k].name))
			handlers[k].fn(h, v);
	return h->error ? -1 : 0;
}

/* Field lines up to the blank line; c is left after it. */
static enum sv_app_status walk_headers(struct sv_cursor *c, size_t n,
				       struct hdrs *h, size_t *need)
{
	struct line l;

	for (;;) {
		if (!next_line(c, &l, &h->bare_lf))
			return incomplete(n, need, &h->error);
		if (!l.n)
			return SV_APP_OK;
		if (field_line(h, l))
			return SV_APP_MALFORMED;
	}
}

/* ---- requests ---- */

/*
 * Skip up to MAX_EMPTY_LEAD empty lines, then match a method and its
 * SP. Returns OK with *m the method index, NEED_MORE while the bytes
 * are a prefix of one, NOT otherwise.
 */
static enum sv_app_status method_prefix(struct sv_cursor *c, size_t *m)
{
	size_t i, left;
	int k;

	for (k = 0; k < MAX_EMPTY_LEAD; k++) {
		left = sv_cursor_left(c);
		if (left >= 1 && c->p[0] == '\n')
			c->p++;
		else if (left >= 2 && c->p[0] == '\r' && c->p[1] == '\n')
			c->p += 2;
		else if (left == 1 && c->p[0] == '\r')
			return SV_APP_NEED_MORE;
	}
	left = sv_cursor_left(c);
	for (i = 0; i < NMETHODS; i++) {
		size_t len = strlen(methods[i]);
		size_t cmp = left < len ? left : len;

		if (memcmp(c->p, methods[i], cmp))
			continue;
		if (cmp < len)
			return SV_APP_NEED_MORE;
		*m = i;
		return SV_APP_OK;
	}
	return SV_APP_NOT;
}

/* "HTTP/1." DIGIT (RFC 9112 section 2.3); the minor digit or -1. */
static int http_version(const uint8_t *s, size_t n)
{
	if (n != 8 || memcmp(s, "HTTP/1.", 7) || s[7] < '0' || s[7] > '9')
		return -1;
	return s[7] - '0';
}

/* method SP request-target SP HTTP-version; the method is known. */
static int request_line(struct sv_http_request *out, struct line l,
			size_t mlen)
{
	size_t last = l.n, i;
	struct line t;

	while (last > mlen + 1 && l.p[last - 1] != ' ')
		last--;
	if (last <= mlen + 1) {
		out->error = "request line without an HTTP version";
		return -1;
	}
	t.p = l.p + mlen + 1;
	t.n = last - 1 - (mlen + 1);
	out->target_cut = esc_copy(out->target, sizeof(out->target),
				   t.p, t.n);
	out->version_minor = http_version(l.p + last, l.n - last);
	if (out->version_minor < 0) {
		out->error = "not HTTP/1.x";
		return -1;
	}
	for (i = 0; i < t.n; i++) {
		if (t.p[i] == ' ' || is_ctl(t.p[i])) {
			out->error = "space or control byte in request-target";
			return -1;
		}
	}
	if (!t.n) {
		out->error = "empty request-target";
		return -1;
	}
	return 0;
}

/* The rules that need the whole request header section. */
static const char *request_framing(const struct hdrs *h, int minor)
{
	if (h->te_seen && minor == 0)
		return "Transfer-Encoding in an HTTP/1.0 message";
	if (h->te_seen && !h->chunked)
		return "request Transfer-Encoding not ending in chunked";
	/* CL.TE / TE.CL smuggling: hops that prefer different headers
	 * split the stream differently (RFC 9112 section 6.1). */
	if (h->te_seen && h->clen_seen)
		return "both Content-Length and Transfer-Encoding";
	if (h->hosts > 1)
		return "more than one Host header";
	if (!h->hosts && minor >= 1)
		return "HTTP/1.1 request without Host";
	return NULL;
}

static void request_init(struct sv_http_request *out, struct hdrs *h)
{
	memset(out, 0, sizeof(*out));
	out->content_length = -1;
	memset(h, 0, sizeof(*h));
	h->clen = -1;
	h->host = out->host;
	h->host_cap = sizeof(out->host);
	h->ua = out->user_agent;
	h->ua_cap = sizeof(out->user_agent);
	h->upgrade_to = out->upgrade_to;
	h->upgrade_cap = sizeof(out->upgrade_to);
}

static void request_done(struct sv_http_request *out, const struct hdrs *h)
{
	out->content_length = h->clen;
	out->chunked = h->chunked;
	out->upgrade = h->upgrade > 0;
	out->headers = h->headers;
	out->bare_lf = h->bare_lf;
	if (!out->error)
		out->error = h->error;
}

enum sv_app_status sv_http_request(const uint8_t *p, size_t n,
				   struct sv_http_request *out, size_t *need)
{
	size_t lim = n < SV_HTTP_MAX_HEADER ? n : SV_HTTP_MAX_HEADER;
	struct sv_cursor c = sv_cursor_make(p, lim);
	enum sv_app_status st;
	struct hdrs h;
	struct line l;
	size_t m = 0;

	request_init(out, &h);
	st = method_prefix(&c, &m);
	if (st == SV_APP_NEED_MORE && need)
		*need = n + 1;
	if (st != SV_APP_OK)
		return st;
	memcpy(out->method, methods[m], strlen(methods[m]) - 1);
	if (!next_line(&c, &l, &h.bare_lf))
		return incomplete(n, need, &out->error);
	if (request_line(out, l, strlen(methods[m]) - 1))
		return SV_APP_MALFORMED;
	st = walk_headers(&c, n, &h, need);
	if (st == SV_APP_OK) {
		out->header_bytes = (size_t)(c.p - p);
		out->error = request_framing(&h, out->version_minor);
		if (out->error)
			st = SV_APP_MALFORMED;
	}
	request_done(out, &h);
	return st;
}

/* ---- responses ---- */

/* HTTP-version SP 3DIGIT [SP reason-phrase] (RFC 9112 section 4). */
static int status_line(struct sv_http_response *out, struct line l)
{
	size_t i;

	out->version_minor = l.n >= 8 ? http_version(l.p, 8) : -1;
	if (out->version_minor < 0) {
		out->error = "not HTTP/1.x";
		return -1;
	}
	if (l.n < 12 || l.p[8] != ' ' || (l.n > 12 && l.p[12] != ' ')) {
		out->error = "bad status line";
		return -1;
	}
	for (i = 9; i < 12; i++) {
		if (l.p[i] < '0' || l.p[i] > '9') {
			out->error = "status code is not three digits";
			return -1;
		}
		out->status = out->status * 10 + (l.p[i] - '0');
	}
	if (l.n > 13)
		esc_copy(out->reason, sizeof(out->reason), l.p + 13,
			 l.n - 13);
	for (i = 13; i < l.n; i++) {
		if (is_ctl(l.p[i]) && l.p[i] != '\t') {
			out->error = "control byte in reason phrase";
			return -1;
		}
	}
	if (out->status < 100 || out->status > 599) {
		out->error = "status code outside 100..599";
		return -1;
	}
	return 0;
}

/* "HTTP/" as far as n goes. */
static enum sv_app_status response_prefix(const uint8_t *p, size_t n)
{
	size_t cmp = n < 5 ? n : 5;

	if (cmp && memcmp(p, "HTTP/", cmp))
		return SV_APP_NOT;
	return cmp < 5 ? SV_APP_NEED_MORE : SV_APP_OK;
}

static void response_init(struct sv_http_response *out, struct hdrs *h)
{
	memset(out, 0, sizeof(*out));
	out->content_length = -1;
	memset(h, 0, sizeof(*h));
	h->clen = -1;
	h->server = out->server;
	h->server_cap = sizeof(out->server);
	h->upgrade_to = out->upgrade_to;
	h->upgrade_cap = sizeof(out->upgrade_to);
}

static const char *response_framing(const struct hdrs *h, int minor)
{
	if (h->te_seen && minor == 0)
		return "Transfer-Encoding in an HTTP/1.0 message";
	if (h->te_seen && h->clen_seen)
		return "both Content-Length and Transfer-Encoding";
	return NULL;
}

enum sv_app_status sv_http_response(const uint8_t *p, size_t n,
				    struct sv_http_response *out,
				    size_t *need)
{
	size_t lim = n < SV_HTTP_MAX_HEADER ? n : SV_HTTP_MAX_HEADER;
	struct sv_cursor c = sv_cursor_make(p, lim);
	enum sv_app_status st;
	struct hdrs h;
	struct line l;

	response_init(out, &h);
	st = response_prefix(p, n);
	if (st == SV_APP_NEED_MORE && need)
		*need = n + 1;
	if (st != SV_APP_OK)
		return st;
	if (!next_line(&c, &l, &h.bare_lf))
		return incomplete(n, need, &out->error);
	if (status_line(out, l))
		return SV_APP_MALFORMED;
	st = walk_headers(&c, n, &h, need);
	if (st == SV_APP_OK) {
		out->header_bytes = (size_t)(c.p - p);
		out->error = response_framing(&h, out->version_minor);
		if (out->error)
			st = SV_APP_MALFORMED;
	}
	out->content_length = h.clen;
	out->chunked = h.chunked;
	out->upgrade = h.upgrade > 0;
	out->headers = h.headers;
	out->bare_lf = h.bare_lf;
	if (!out->error)
		out->error = h.error;
	return st;
}
