/*
 * sv_stratum.c - Stratum (mining pool JSON-RPC over TCP lines).
 *
 *   {"id": 1, "method": "mining.subscribe", "params": ["agent/1.0"]}\n
 *   {"id": 1, "result": [[["mining.notify", "ae68..."]], "08000002", 4],
 *    "error": null}\n
 *   {"id": 1, "jsonrpc": "2.0", "method": "login",
 *    "params": {"login": "wallet", "pass": "x", "agent": "XMRig/6"}}\n
 *
 * Lines are cut with an sv_cursor over the caller's bytes and each one is
 * parsed by jansson (json_loadb, JSON_REJECT_DUPLICATES: a second
 * "method" key is a parser-confusion trick, not Stratum). Each line is
 * classified, its fields copied out escaped, and its JSON freed before
 * the next line is read.
 *
 * The generic xmrig method names ("login", "submit", "job") are also
 * plain English words other JSON-RPC services use, so they count only
 * with the params object xmrig's protocol gives them.
 */
#include "sv_stratum.h"

#include <jansson.h>
#include <string.h>

#include "sv_cursor.h"
#include "sv_text.h"

/* What one line says. */
enum verdict {
	V_REPLY,    /* a JSON-RPC reply or a neutral method: look further */
	V_MINING,   /* a mining method or a Stratum-only result */
	V_OTHER,    /* JSON-RPC with a method of some other protocol */
	V_NOT       /* not JSON, not an object, not JSON-RPC */
};

/* Copy n bytes of s into dst (cap bytes), escaped (sv_text_escape). */
static void esc_copy(char *dst, size_t cap, const char *s, size_t n)
{
	size_t len = 0;

	(void)sv_text_escape(dst, cap, &len, s, n, NULL);
}

/* Copy a JSON string into an empty dst; anything else is ignored. */
static void take_string(char *dst, size_t cap, const json_t *v)
{
	if (dst[0] || !json_is_string(v))
		return;
	esc_copy(dst, cap, json_string_value(v), json_string_length(v));
}

static int has_key(const json_t *o, const char *key)
{
	return json_object_get(o, key) != NULL;
}

/* xmrig's methods, recognised by the params object they carry
 * (xmrig-proxy doc/STRATUM.md). */
static int xmrig_method(const char *m, const json_t *params)
{
	if (!json_is_object(params))
		return 0;
	if (!strcmp(m, "login"))
		return json_is_string(json_object_get(params, "login"));
	if (!strcmp(m, "submit"))
		return has_key(params, "job_id") && has_key(params, "nonce");
	if (!strcmp(m, "job"))
		return has_key(params, "job_id") && has_key(params, "blob");
	if (!strcmp(m, "keepalived") || !strcmp(m, "getjob"))
		return has_key(params, "id");
	return 0;
}

/* Bitcoin Stratum's client.* calls from the pool (reconnect,
 * show_message, get_version) name no other protocol but prove none. */
static int neutral_method(const char *m)
{
	return !strncmp(m, "client.", 7);
}

/*
 * A reply only Stratum gives: mining.subscribe's result
 * [[["mining.notify", id], ...], extranonce1, size], or the result
 * of xmrig's login, {"id", "job": {"blob", "job_id", ...}}.
 * Returns the method answered, or NULL.
 */
static const char *stratum_result(const json_t *o)
{
	const json_t *r = json_object_get(o, "result");
	const json_t *subs, *job;
	size_t i;

	job = json_object_get(r, "job");
	if (json_is_object(job) && has_key(job, "blob") &&
	    has_key(job, "job_id"))
		return "login";
	subs = json_array_get(r, 0);
	for (i = 0; i < json_array_size(subs) && i < 16; i++) {
		const json_t *pair = json_array_get(subs, i);
		const char *name = json_string_value(json_array_get(pair, 0));

		if (name && !strncmp(name, "mining.", 7))
			return "mining.subscribe";
	}
	return NULL;
}

/* Fill user and agent from a mining line (only fields still empty). */
static void take_fields(struct sv_stratum *out, const char *m,
			const json_t *params)
{
	const json_t *p0 = json_array_get(params, 0);

	if (!strcmp(m, "mining.subscribe")) {
		take_string(out->agent, sizeof(out->agent), p0);
	} else if (!strcmp(m, "mining.authorize") ||
		   !strcmp(m, "mining.submit")) {
		take_string(out->user, sizeof(out->user), p0);
	} else if (!strcmp(m, "login")) {
		take_string(out->user, sizeof(out->user),
			    json_object_get(params, "login"));
		take_string(out->agent, sizeof(out->agent),
			    json_object_get(params, "agent"));
	}
}

/* The first mining line names the stream. */
static void take_first(struct sv_stratum *out, const json_t *o,
		       const char *m, int result)
{
	const json_t *id = json_object_get(o, "id");

	if (out->method[0])
		return;
	esc_copy(out->method, sizeof(out->method), m, strlen(m));
	out->is_request = !result && id && !json_is_null(id);
	out->kind = result ? SV_STRATUM_RESULT : out->is_request ?
		    SV_STRATUM_REQUEST : SV_STRATUM_NOTIFY;
	out->id = json_is_integer(id) ? json_integer_value(id) : -1;
}

/* Classify one parsed object, taking what it holds into *out. */
static enum verdict classify(struct sv_stratum *out, const json_t *o)
{
	const json_t *mv = json_object_get(o, "method");
	const json_t *params = json_object_get(o, "params");
	const char *m, *answered;

	if (!mv) {
		answered = stratum_result(o);
		if (answered) {
			take_first(out, o, answered, 1);
			return V_MINING;
		}
		return has_key(o, "id") && (has_key(o, "result") ||
					    has_key(o, "error")) ?
		       V_REPLY : V_NOT;
	}
	m = json_string_value(mv);
	if (!m)
		return V_NOT;
	if (!strncmp(m, "mining.", 7) || xmrig_method(m, params)) {
		take_first(out, o, m, 0);
		take_fields(out, m, params);
		return V_MINING;
	}
	return neutral_method(m) ? V_REPLY : V_OTHER;
}

static enum verdict parse_line(struct sv_stratum *out, const uint8_t *p,
			       size_t n)
{
	json_error_t err;
	json_t *o = json_loadb((const char *)p, n, JSON_REJECT_DUPLICATES,
			       &err);
	enum verdict v = V_NOT;

	if (json_is_object(o))
		v = classify(out, o);
	json_decref(o);
	return v;
}

/*
 * Cut the next line from c: 1 with *l, *len (CR dropped), 0 when the
 * line is incomplete, -1 when it is over SV_STRATUM_MAX_LINE.
 */
static int next_line(struct sv_cursor *c, const uint8_t **l, size_t *len)
{
	size_t left = sv_cursor_left(c);
	size_t look = left < SV_STRATUM_MAX_LINE + 1 ?
		      left : SV_STRATUM_MAX_LINE + 1;
	const uint8_t *lf = look ? memchr(c->p, '\n', look) : NULL;

	if (!lf)
		return left > SV_STRATUM_MAX_LINE ? -1 : 0;
	*len = (size_t)(lf - c->p);
	*l = sv_get_bytes(c, *len + 1);
	if (*len && (*l)[*len - 1] == '\r')
		(*len)--;
	return 1;
}

enum sv_app_status sv_stratum_parse(const uint8_t *p, size_t n,
				    struct sv_stratum *out, size_t *need)
{
	struct sv_cursor c = sv_cursor_make(p, n);
	int i, mining = 0;

	memset(out, 0, sizeof(*out));
	out->id = -1;
	if (n && p[0] != '{')
		return SV_APP_NOT;
	for (i = 0; i < SV_STRATUM_MAX_LINES; i++) {
		const uint8_t *l = NULL;
		size_t len = 0;
		int r = next_line(&c, &l, &len);
		enum verdict v;

		if (r < 0)
			return mining ? SV_APP_OK : SV_APP_NOT;
		if (r == 0) {
			if (mining)
				return SV_APP_OK;
			if (need)
				*need = n + 1;
			return SV_APP_NEED_MORE;
		}
		if (!len)
			continue;
		out->lines++;
		v = parse_line(out, l, len);
		if (v == V_MINING)
			mining = 1;
		else if (v != V_REPLY)
			return mining ? SV_APP_OK : SV_APP_NOT;
	}
	return mining ? SV_APP_OK : SV_APP_NOT;
}
