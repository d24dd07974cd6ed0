/*
 * sv_stratum.h - recognise Stratum, the pool protocol of coin miners,
 * from the first bytes of a TCP stream (either direction, any port).
 *
 * Stratum is line-delimited JSON-RPC: Bitcoin's "mining.*" methods
 * (https://en.bitcoin.it/wiki/Stratum_mining_protocol) and the
 * "login"/"submit"/"job" dialect of Monero pools and xmrig
 * (xmrig doc/STRATUM.md). Each complete line among the first bytes is
 * parsed with jansson; every jansson object is freed before returning,
 * nothing is kept between calls. Strings in the result are fixed arrays,
 * escaped (printable ASCII except '\\' kept, other bytes as "\xHH"),
 * always NUL-terminated, cut to fit.
 */
#ifndef SV_STRATUM_H
#define SV_STRATUM_H

#include <stddef.h>
#include <stdint.h>

#include "sv_appl.h"

#define SV_STRATUM_MAX_LINE 4096u   /* bytes of one line, without LF */
#define SV_STRATUM_MAX_LINES 8      /* lines looked at */

/* sv_stratum.kind */
enum sv_stratum_kind {
	SV_STRATUM_REQUEST = 1,   /* method and a non-null id */
	SV_STRATUM_NOTIFY,        /* method, id null or absent */
	SV_STRATUM_RESULT         /* a reply whose shape only Stratum has */
};

struct sv_stratum {
	/*
	 * The first mining line's method: "mining.subscribe",
	 * "mining.authorize", "mining.submit", "mining.notify", any other
	 * "mining.*", "login", "submit", "job", "keepalived". For a
	 * SV_STRATUM_RESULT, the request it answers: "mining.subscribe" (a
	 * result listing ["mining.notify", id] subscriptions) or "login" (a
	 * result carrying a job with blob and job_id).
	 */
	char method[64];
	char user[256];    /* authorize params[0], login params.login,
			      else submit params[0]: wallet/worker */
	char agent[128];   /* subscribe params[0], login params.agent */
	int is_request;    /* the first mining line has method and id */
	int kind;          /* enum sv_stratum_kind of that line */
	int lines;         /* complete lines looked at */
	int64_t id;        /* its integer id, -1 when not an integer */
};

/*
 * Look at the complete lines in the first n bytes (at most
 * SV_STRATUM_MAX_LINES, each at most SV_STRATUM_MAX_LINE bytes; a CR
 * before the LF is dropped, empty lines are skipped).
 *
 * Returns SV_APP_OK when a line is a mining method (or a Stratum-only
 * result): *out holds it, plus user and agent from any later line
 * among those looked at. SV_APP_NOT when the first byte is not '{', a
 * line is not a JSON object, is over the line limit, or is JSON-RPC
 * with a non-mining method before any mining line, or when the line cap
 * passed with no mining line. SV_APP_NEED_MORE, *need > n and at most
 * SV_APP_MAX_NEED, while the lines so far are JSON objects without a
 * method (replies) and the next line is incomplete. Never MALFORMED.
 * *out is always written (zeroed first); need may be NULL.
 */
enum sv_app_status sv_stratum_parse(const uint8_t *p, size_t n,
				    struct sv_stratum *out, size_t *need);

#endif
