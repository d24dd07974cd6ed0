/*
 * fuzz_http.c - libFuzzer target for the HTTP/1.x parsers
 * (formats/net/sv_http.c).
 *
 * Input: the first bytes of a stream, given to both sv_http_request and
 * sv_http_response. Besides the sanitizers, aborts when a result breaks
 * the documented contract: an unknown status, NEED_MORE asking for no
 * more or for more than the header limit, header_bytes past n, an error
 * text without MALFORMED (or the reverse), a string that is not
 * terminated or not escaped, and an OK result that the header bytes
 * alone (an exact-size copy) do not reproduce, or that one byte less
 * does not leave incomplete.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sv_http.h"

#define MAX_INPUT 65536u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Terminated inside its array; printable ASCII; '\\' only as \xHH. */
static void check_text(const char *s, size_t cap)
{
	size_t i, n;

	if (!memchr(s, 0, cap))
		abort();
	n = strlen(s);
	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			abort();
		if (s[i] != '\\')
			continue;
		if (i + 3 >= n || s[i + 1] != 'x' ||
		    !is_hex(s[i + 2]) || !is_hex(s[i + 3]))
			abort();
		i += 3;
	}
}

static void check_common(enum sv_app_status st, size_t n, size_t need,
			 size_t hb, const char *error, int64_t clen)
{
	if (st > SV_APP_MALFORMED)
		abort();
	if ((st == SV_APP_MALFORMED) != (error != NULL))
		abort();
	if (st == SV_APP_NEED_MORE &&
	    (need <= n || need > SV_HTTP_MAX_HEADER || need > SV_APP_MAX_NEED))
		abort();
	if (st == SV_APP_OK && (hb == 0 || hb > n || hb > SV_HTTP_MAX_HEADER))
		abort();
	if (clen < -1)
		abort();
}

static void same_request(const struct sv_http_request *a,
			 const struct sv_http_request *b)
{
	if (strcmp(a->method, b->method) || strcmp(a->target, b->target) ||
	    strcmp(a->host, b->host) || strcmp(a->user_agent, b->user_agent) ||
	    strcmp(a->upgrade_to, b->upgrade_to) ||
	    a->header_bytes != b->header_bytes ||
	    a->content_length != b->content_length ||
	    a->chunked != b->chunked || a->upgrade != b->upgrade ||
	    a->version_minor != b->version_minor ||
	    a->target_cut != b->target_cut || a->headers != b->headers ||
	    a->bare_lf != b->bare_lf)
		abort();
}

/* Re-parse the first h bytes (exact copy) and h - 1 of them. */
static void request_prefix(const uint8_t *data,
			   const struct sv_http_request *full)
{
	size_t h = full->header_bytes, need = 0;
	uint8_t *c = malloc(h);
	struct sv_http_request q;

	if (!c)
		return;
	memcpy(c, data, h);
	if (sv_http_request(c, h, &q, NULL) != SV_APP_OK)
		abort();
	same_request(full, &q);
	if (sv_http_request(c, h - 1, &q, &need) != SV_APP_NEED_MORE ||
	    need > h)
		abort();
	free(c);
}

static void fuzz_request(const uint8_t *data, size_t size)
{
	struct sv_http_request q;
	size_t need = 0;
	enum sv_app_status st = sv_http_request(data, size, &q, &need);

	check_common(st, size, need, q.header_bytes, q.error,
		     q.content_length);
	check_text(q.method, sizeof(q.method));
	check_text(q.target, sizeof(q.target));
	check_text(q.host, sizeof(q.host));
	check_text(q.user_agent, sizeof(q.user_agent));
	check_text(q.upgrade_to, sizeof(q.upgrade_to));
	if (st != SV_APP_OK)
		return;
	if (!q.method[0] || !q.target[0] || q.version_minor < 0 ||
	    q.version_minor > 9)
		abort();
	request_prefix(data, &q);
}

static void fuzz_response(const uint8_t *data, size_t size)
{
	struct sv_http_response r, r2;
	size_t need = 0;
	enum sv_app_status st = sv_http_response(data, size, &r, &need);
	uint8_t *c;

	check_common(st, size, need, r.header_bytes, r.error,
		     r.content_length);
	check_text(r.reason, sizeof(r.reason));
	check_text(r.server, sizeof(r.server));
	check_text(r.upgrade_to, sizeof(r.upgrade_to));
	if (st != SV_APP_OK)
		return;
	if (r.status < 100 || r.status > 599 || r.version_minor < 0 ||
	    r.version_minor > 9)
		abort();
	c = malloc(r.header_bytes);
	if (!c)
		return;
	memcpy(c, data, r.header_bytes);
	if (sv_http_response(c, r.header_bytes, &r2, NULL) != SV_APP_OK ||
	    r2.status != r.status || strcmp(r2.reason, r.reason) ||
	    strcmp(r2.server, r.server) ||
	    r2.content_length != r.content_length ||
	    r2.chunked != r.chunked || r2.header_bytes != r.header_bytes)
		abort();
	if (sv_http_response(c, r.header_bytes - 1, &r2, &need) !=
	    SV_APP_NEED_MORE)
		abort();
	free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	fuzz_request(data, size);
	fuzz_response(data, size);
	return 0;
}
