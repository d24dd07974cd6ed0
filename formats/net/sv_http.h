/*
 * sv_http.h - HTTP/1.x request and response headers from the first bytes
 * of a TCP stream (RFC 9112 message syntax, RFC 9110 semantics).
 *
 * Pure functions over bytes: no I/O, no allocation, nothing kept between
 * calls. The caller hands the stream's first n bytes in order (one
 * direction of a connection); the parser reads the start line and the
 * header section only, never the body, and fills a caller-owned struct
 * whose strings are fixed arrays: escaped (printable ASCII kept except
 * '\\', every other byte as "\xHH"), always NUL-terminated, cut to fit.
 *
 * Strict on purpose, because a forensic reader must not be fooled by the
 * framing tricks of request smuggling (RFC 9112 section 11.2): a folded
 * header line, a NUL or other control byte, a bare CR, white space before
 * the colon, two Content-Length values that disagree, Content-Length
 * together with Transfer-Encoding, or a Transfer-Encoding whose last
 * coding is not chunked in a request make the message MALFORMED.
 * A bare LF ends a line (RFC 9112 section 2.2 lets a recipient accept it,
 * and hand-made clients send it); bare_lf records that it happened.
 */
#ifndef SV_HTTP_H
#define SV_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "sv_appl.h"

/* Most bytes of request/status line + header lines + the blank line. */
#define SV_HTTP_MAX_HEADER 16384u

struct sv_http_request {
	char method[16];
	char target[1024];      /* request-target as sent, escaped */
	int target_cut;         /* target did not fit, escaped */
	int version_minor;      /* HTTP/1.0 => 0, HTTP/1.1 => 1 */
	char host[256];         /* Host header, escaped */
	char user_agent[256];
	int64_t content_length; /* -1 absent or invalid */
	int chunked;            /* last transfer coding is chunked */
	size_t header_bytes;    /* request line + headers + blank line */
	int upgrade;            /* Upgrade header present */
	char upgrade_to[32];    /* its value: "websocket", docker's "tcp" */
	int headers;            /* header lines read */
	int bare_lf;            /* some line ended in LF without CR */
	const char *error;      /* MALFORMED: why (static text), else NULL */
};

struct sv_http_response {
	int version_minor, status;
	char reason[64];        /* reason phrase, escaped */
	int64_t content_length; /* -1 absent or invalid */
	int chunked;
	size_t header_bytes;    /* status line + headers + blank line */
	int upgrade;            /* Upgrade header present (with 101) */
	char upgrade_to[32];
	char server[128];       /* Server header, escaped */
	int headers;
	int bare_lf;
	const char *error;
};

/*
 * Parse the request at the start of p, n (the client-to-server stream).
 * Methods: RFC 9110's, WebDAV's (RFC 4918) and PATCH (RFC 5789); the
 * first bytes naming none of them => SV_APP_NOT. Up to two empty lines
 * before the request line are skipped (RFC 9112 section 2.2).
 *
 * Returns SV_APP_OK with *out filled and header_bytes <= n;
 * SV_APP_NEED_MORE with *need > n (a lower bound on the total, at most
 * SV_HTTP_MAX_HEADER) until the blank line ending the headers arrives;
 * SV_APP_MALFORMED with out->error and whatever was read before the
 * fault, including headers over SV_HTTP_MAX_HEADER bytes; SV_APP_NOT.
 * *out is always written (zeroed first); need may be NULL.
 */
enum sv_app_status sv_http_request(const uint8_t *p, size_t n,
				   struct sv_http_request *out, size_t *need);

/*
 * The same for a response (server-to-client stream): "HTTP/1.x" status
 * code 100..599, optional reason phrase. A response whose request was
 * HEAD, or whose status is 1xx, 204 or 304, has no body whatever
 * content_length says (RFC 9112 section 6.3): the caller knows the
 * request, the parser does not.
 */
enum sv_app_status sv_http_response(const uint8_t *p, size_t n,
				    struct sv_http_response *out,
				    size_t *need);

#endif
