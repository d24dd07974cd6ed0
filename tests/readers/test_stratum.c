/*
 * test_stratum.c - formats/net/sv_stratum: the incident sample's real
 * miner traffic, every other stream of the test captures (no false
 * positives), then hand-written lines. Built into test_http (its
 * main() and stream assembler, see test_http.c).
 *
 * Real traffic: capture/web-incident-bridge.pcap, the fake "xmrig" of
 * samples/make-samples.sh talking to a listener on 10.89.77.1:3333. The
 * expected bytes of each direction are what
 *   tshark -r capture/web-incident-bridge.pcap -Y 'tcp.port==3333 &&
 *     tcp.len>0' -T fields -e ip.src -e tcp.payload
 * shows (hex, each segment twice: veth and bridge), decoded here as
 * text; they are the lines the script echoes (client) and cats from
 * its pool-replies file (server).
 *
 * Hand-written lines (marked WIKI or XMRIG) follow the examples of
 * https://en.bitcoin.it/wiki/Stratum_mining_protocol and xmrig's
 * protocol document (xmrig-proxy doc/STRATUM.md), shortened.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_stratum.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* From test_http.c (same declarations there). */
struct tcp_stream {
	int index;
	uint16_t cport, sport;
	uint8_t *data[2];
	uint8_t *have[2];
	size_t len[2];
	int holes[2];
};

struct tcp_streams {
	struct tcp_stream *s;
	int n;
};

void streams_load(const char *name, struct tcp_streams *out);
void streams_free(struct tcp_streams *st);
size_t stream_run(const struct tcp_stream *s, int dir, size_t off);
Suite *stratum_suite(void);

/* An exact-size heap copy, so ASan sees any read past n. */
static enum sv_app_status parse_exact(const void *d, size_t n,
				      struct sv_stratum *out, size_t *need)
{
	uint8_t *c = malloc(n ? n : 1);
	enum sv_app_status st;

	ck_assert_ptr_nonnull(c);
	if (n)
		memcpy(c, d, n);
	st = sv_stratum_parse(c, n, out, need);
	free(c);
	return st;
}

/* ------------------------------------------------ the incident flow */

static const char miner_sent[] =
	"{\"id\":1,\"method\":\"mining.subscribe\","
	"\"params\":[\"xmrig/6.21.0\"]}\n"
	"{\"id\":2,\"method\":\"mining.authorize\","
	"\"params\":[\"wallet.worker\",\"x\"]}\n";

static const char pool_sent[] =
	"{\"id\":1,\"result\":[[[\"mining.notify\","
	"\"ae6812eb4cd7735a302a8a9dd95cf71f\"]],\"08000002\",4],"
	"\"error\":null}\n"
	"{\"id\":2,\"result\":true,\"error\":null}\n";

START_TEST(incident_miner)
{
	struct tcp_streams st;
	const struct tcp_stream *s = NULL;
	struct sv_stratum o;
	size_t need, first_lf;
	int i;

	streams_load("capture/web-incident-bridge.pcap", &st);
	for (i = 0; i < st.n; i++)
		if (st.s[i].sport == 3333)
			s = &st.s[i];
	ck_assert_ptr_nonnull(s);
	ck_assert(!s->holes[0] && !s->holes[1]);
	ck_assert_uint_eq(s->len[0], sizeof(miner_sent) - 1);
	ck_assert(!memcmp(s->data[0], miner_sent, s->len[0]));
	ck_assert_uint_eq(s->len[1], sizeof(pool_sent) - 1);
	ck_assert(!memcmp(s->data[1], pool_sent, s->len[1]));

	ck_assert_int_eq(parse_exact(s->data[0], s->len[0], &o, NULL),
			 SV_APP_OK);
	ck_assert_str_eq(o.method, "mining.subscribe");
	ck_assert_str_eq(o.agent, "xmrig/6.21.0");
	ck_assert_str_eq(o.user, "wallet.worker");
	ck_assert(o.is_request && o.kind == SV_STRATUM_REQUEST);
	ck_assert_int_eq(o.id, 1);
	ck_assert_int_eq(o.lines, 2);

	ck_assert_int_eq(parse_exact(s->data[1], s->len[1], &o, NULL),
			 SV_APP_OK);
	ck_assert_str_eq(o.method, "mining.subscribe");
	ck_assert(!o.is_request && o.kind == SV_STRATUM_RESULT);
	ck_assert_int_eq(o.id, 1);
	ck_assert_int_eq(o.lines, 2);
	ck_assert_str_eq(o.user, "");
	ck_assert_str_eq(o.agent, "");

	/* Before the first LF: NEED_MORE; the first line alone: OK. */
	first_lf = (size_t)((const uint8_t *)memchr(s->data[0], '\n',
						     s->len[0]) - s->data[0]);
	for (i = 0; i <= (int)first_lf; i++) {
		need = 0;
		ck_assert_int_eq(parse_exact(s->data[0], (size_t)i, &o, &need),
				 SV_APP_NEED_MORE);
		ck_assert_uint_eq(need, (size_t)i + 1);
	}
	ck_assert_int_eq(parse_exact(s->data[0], first_lf + 1, &o, NULL),
			 SV_APP_OK);
	ck_assert_str_eq(o.agent, "xmrig/6.21.0");
	ck_assert_str_eq(o.user, "");
	streams_free(&st);
}
END_TEST

/* No other direction of any test capture is taken for Stratum. */
static const char *const other_captures[] = {
	"capture/web-incident-bridge.pcap",
	"pcap/zeek_http_bro.org.pcap",
	"pcap/zeek_http_docker-http-upgrade.pcap",
	"pcap/tcpdump_ipv4_tcp_http_xml.pcap",
};

START_TEST(no_false_positives)
{
	struct tcp_streams st;
	struct sv_stratum o;
	int i, d, looked = 0;

	streams_load(other_captures[_i], &st);
	for (i = 0; i < st.n; i++) {
		if (st.s[i].sport == 3333)
			continue;
		for (d = 0; d < 2; d++) {
			size_t run = stream_run(&st.s[i], d, 0);

			if (!run)
				continue;
			looked++;
			ck_assert_msg(parse_exact(st.s[i].data[d], run, &o,
						  NULL) == SV_APP_NOT,
				      "%s stream %d dir %d",
				      other_captures[_i], i, d);
		}
	}
	ck_assert_int_gt(looked, 0);
	streams_free(&st);
}
END_TEST

/* ------------------------------------------------- hand-written */

struct line_case {
	const char *in;
	enum sv_app_status st;
	const char *method, *user, *agent;
	int kind, lines;
	int64_t id;
};

#define OK SV_APP_OK
#define NOT SV_APP_NOT
#define MORE SV_APP_NEED_MORE
#define REQ SV_STRATUM_REQUEST
#define NTF SV_STRATUM_NOTIFY
#define RES SV_STRATUM_RESULT

static const struct line_case lines[] = {
	/* WIKI: subscribe without an agent, its reply, authorize */
	{"{\"id\": 1, \"method\": \"mining.subscribe\", \"params\": []}\n",
	 OK, "mining.subscribe", "", "", REQ, 1, 1},
	{"{\"id\": 1, \"result\": [ [ [\"mining.set_difficulty\", "
	 "\"b4b6693b72a50c7116db18d6497cac52\"], [\"mining.notify\", "
	 "\"ae6812eb4cd7735a302a8a9dd95cf71f\"]], \"08000002\", 4], "
	 "\"error\": null}\n", OK, "mining.subscribe", "", "", RES, 1, 1},
	{"{\"params\": [\"slush.miner1\", \"password\"], \"id\": 2, "
	 "\"method\": \"mining.authorize\"}\n",
	 OK, "mining.authorize", "slush.miner1", "", REQ, 1, 2},
	/* WIKI: server notifications have "id": null */
	{"{\"params\": [\"bf\", \"4d16b6f85af6e2198f44ae2a6de67f78487ae561"
	 "1b77c6c0440b921e00000000\", \"01000000\", \"072f2f\", [], "
	 "\"00000002\", \"1c2ac4af\", \"504e86b9\", false], \"id\": null, "
	 "\"method\": \"mining.notify\"}\n",
	 OK, "mining.notify", "", "", NTF, 1, -1},
	{"{\"id\": null, \"method\": \"mining.set_difficulty\", "
	 "\"params\": [2]}\n", OK, "mining.set_difficulty", "", "", NTF, 1,
	 -1},
	{"{\"params\": [\"slush.miner1\", \"bf\", \"00000001\", "
	 "\"504e86ed\", \"b2957c02\"], \"id\": 4, "
	 "\"method\": \"mining.submit\"}\n",
	 OK, "mining.submit", "slush.miner1", "", REQ, 1, 4},
	/* WIKI: a reply, then the pool's set_difficulty (CRLF lines) */
	{"{\"error\": null, \"id\": 2, \"result\": true}\r\n"
	 "{\"id\": null, \"method\": \"mining.set_difficulty\", "
	 "\"params\": [2]}\r\n", OK, "mining.set_difficulty", "", "", NTF,
	 2, -1},
	/* XMRIG: login, its reply, job, submit, keepalived */
	{"{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":"
	 "{\"login\":\"48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqg"
	 "zYnDK9URnRoJMk1j8nLwEVsaSWJ4fhdUyZijBGUicoD\",\"pass\":\"x\","
	 "\"agent\":\"XMRig/2.6.0-beta2 (Linux x86_64) libuv/1.8.0 "
	 "gcc/5.4.0\"}}\n", OK, "login",
	 "48edfHu7V9Z84YzzMa6fUueoELZ9ZRXq9VetWzYGzKt52XU5xvqgzYnDK9URnRoJ"
	 "Mk1j8nLwEVsaSWJ4fhdUyZijBGUicoD",
	 "XMRig/2.6.0-beta2 (Linux x86_64) libuv/1.8.0 gcc/5.4.0", REQ, 1, 1},
	{"{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":"
	 "\"1be0b7b6\",\"job\":{\"blob\":\"0707\",\"job_id\":\"q7PLUPL25\","
	 "\"target\":\"b88d0600\",\"id\":\"1be0b7b6\"},\"status\":\"OK\"}}\n",
	 OK, "login", "", "", RES, 1, 1},
	{"{\"jsonrpc\":\"2.0\",\"method\":\"job\",\"params\":{\"blob\":"
	 "\"0707d5ef\",\"job_id\":\"4BiGm3\",\"target\":\"b88d0600\","
	 "\"id\":\"1be0b7b6\"}}\n", OK, "job", "", "", NTF, 1, -1},
	{"{\"id\":2,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":"
	 "{\"id\":\"1be0b7b6\",\"job_id\":\"4BiGm3\",\"nonce\":\"d0030040\","
	 "\"result\":\"e1364b87\"}}\n", OK, "submit", "", "", REQ, 1, 2},
	{"{\"id\":2,\"method\":\"keepalived\",\"params\":{\"id\":\"1be0\"}}\n",
	 OK, "keepalived", "", "", REQ, 1, 2},
	/* hand-written: other JSON-RPC, other JSON, not JSON */
	{"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\","
	 "\"params\":[]}\n", NOT, "", "", "", 0, 1, -1},
	{"{\"id\":1,\"method\":\"login\",\"params\":[\"bob\",\"pw\"]}\n",
	 NOT, "", "", "", 0, 1, -1},
	{"{\"id\":1,\"method\":\"submit\",\"params\":{\"form\":1}}\n",
	 NOT, "", "", "", 0, 1, -1},
	{"{\"level\":\"info\",\"msg\":\"mining.subscribe\"}\n",
	 NOT, "", "", "", 0, 1, -1},
	{"{\"id\":1,\"method\":7}\n", NOT, "", "", "", 0, 1, -1},
	{"{\"id\":1,\"method\":\"mining.subscribe\",\"method\":\"x\"}\n",
	 NOT, "", "", "", 0, 1, -1},                 /* duplicate key */
	{"{\"id\":1,\"method\":\"mining.subscribe\"\n", NOT, "", "", "", 0, 1,
	 -1},
	{"[1,2]\n", NOT, "", "", "", 0, 0, -1},
	{" {\"id\":1,\"method\":\"mining.subscribe\"}\n", NOT, "", "", "", 0,
	 0, -1},
	{"GET / HTTP/1.1\r\n", NOT, "", "", "", 0, 0, -1},
	/* hand-written: replies first, then a mining line or nothing */
	{"{\"id\":1,\"result\":true,\"error\":null}\n{\"id\":2,\"res",
	 MORE, "", "", "", 0, 1, -1},
	{"{\"id\":1,\"result\":true,\"error\":null}\n\n"
	 "{\"id\":7,\"method\":\"client.get_version\",\"params\":[]}\n"
	 "{\"id\":null,\"method\":\"mining.notify\",\"params\":[]}\n",
	 OK, "mining.notify", "", "", NTF, 3, -1},
	{"{\"id\":1,\"meth", MORE, "", "", "", 0, 0, -1},
	/* hand-written: later lines add fields, garbage after is ignored */
	{"{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"a\\u0001"
	 "\\u00e9\\\\\"]}\n{\"id\":2,\"method\":\"mining.authorize\","
	 "\"params\":[\"w\",\"x\"]}\nnot json\n{\"id\":3,\"method\":"
	 "\"mining.authorize\",\"params\":[\"late\"]}\n",
	 OK, "mining.subscribe", "w", "a\\x01\\xc3\\xa9\\x5c", REQ, 3, 1},
};

START_TEST(line_cases)
{
	const struct line_case *k = &lines[_i];
	size_t n = strlen(k->in), need = 0;
	struct sv_stratum o;
	enum sv_app_status st = parse_exact(k->in, n, &o, &need);

	ck_assert_msg(st == k->st, "case %d: status %d", _i, st);
	ck_assert_int_eq(o.lines, k->lines);
	if (st == SV_APP_NEED_MORE)
		ck_assert_uint_eq(need, n + 1);
	if (st != SV_APP_OK)
		return;
	ck_assert_str_eq(o.method, k->method);
	ck_assert_str_eq(o.user, k->user);
	ck_assert_str_eq(o.agent, k->agent);
	ck_assert_int_eq(o.kind, k->kind);
	ck_assert_int_eq(o.is_request, k->kind == REQ);
	ck_assert_int_eq(o.id, k->id);
}
END_TEST

/* Limits: the line length, the line count, field sizes. */
START_TEST(limits)
{
	static const char reply[] = "{\"id\":1,\"result\":true}\n";
	size_t big = SV_STRATUM_MAX_LINE + 64, n, i, need;
	char *buf = malloc(big + 512);
	struct sv_stratum o;

	ck_assert_ptr_nonnull(buf);
	/* a line over 4 KiB, complete or not: NOT */
	buf[0] = '{';
	memset(buf + 1, ' ', big - 1);
	ck_assert_int_eq(parse_exact(buf, big, &o, NULL), SV_APP_NOT);
	ck_assert_int_eq(parse_exact(buf, SV_STRATUM_MAX_LINE + 1, &o, NULL),
			 SV_APP_NOT);
	need = 0;
	ck_assert_int_eq(parse_exact(buf, SV_STRATUM_MAX_LINE, &o, &need),
			 SV_APP_NEED_MORE);
	ck_assert_uint_eq(need, SV_STRATUM_MAX_LINE + 1);
	ck_assert_uint_le(need, SV_APP_MAX_NEED);

	/* eight replies and no mining line: NOT, the ninth is not read */
	for (n = 0, i = 0; i < 9; i++, n += sizeof(reply) - 1)
		memcpy(buf + n, reply, sizeof(reply) - 1);
	ck_assert_int_eq(parse_exact(buf, n, &o, NULL), SV_APP_NOT);
	ck_assert_int_eq(o.lines, SV_STRATUM_MAX_LINES);

	/* a 300-byte user is cut to 255 bytes and terminated */
	n = (size_t)snprintf(buf, big, "{\"id\":2,\"method\":"
			     "\"mining.authorize\",\"params\":[\"");
	memset(buf + n, 'u', 300);
	n += 300;
	memcpy(buf + n, "\"]}\n", 4);
	ck_assert_int_eq(parse_exact(buf, n + 4, &o, NULL), SV_APP_OK);
	ck_assert_uint_eq(strlen(o.user), sizeof(o.user) - 1);
	free(buf);
}
END_TEST

Suite *stratum_suite(void)
{
	Suite *s = suite_create("stratum");
	TCase *tc = tcase_create("stratum");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, incident_miner);
	tcase_add_loop_test(tc, no_false_positives, 0, N(other_captures));
	tcase_add_loop_test(tc, line_cases, 0, N(lines));
	tcase_add_test(tc, limits);
	suite_add_tcase(s, tc);
	return s;
}
