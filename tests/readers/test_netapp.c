/*
 * test_netapp.c - analyzer/sv_netapp: which bytes reach the application
 * parsers. Real captures (data/SOURCES.md) read with libpcap, decoded,
 * put through sv_flows and sv_netapp, and checked against tshark 4.0.17;
 * then synthetic segments for reordering, gaps, caps and names.
 *
 * Expected values, run once on this machine for each file F:
 *   tshark -r F -Y http.request -T fields -e http.request.method
 *          -e http.host -e http.request.uri
 *   tshark -r F -Y http -T fields -e http.request.method
 *          -e http.response.code
 *   tshark -r F -Y tls.handshake.type==1 -T fields
 *          -e tls.handshake.extensions_server_name
 *   tshark -r F -Y dns | wc -l
 *   tshark -r F -Y 'tcp.port==3333 && tcp.len>0' -T fields -e tcp.payload
 */
#include <check.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "sv_arena.h"
#include "sv_decode.h"
#include "sv_flows.h"
#include "sv_netapp.h"

#define SEC 1000000000LL

struct run {
	struct sv_arena *arena;
	struct sv_flows *flows;
	struct sv_netapp *na;
};

static void run_new(struct run *r, const struct sv_netapp_limits *lim)
{
	r->arena = sv_arena_new(0);
	ck_assert_ptr_nonnull(r->arena);
	r->flows = sv_flows_new(r->arena, NULL);
	r->na = sv_netapp_new(r->arena, lim);
	ck_assert(r->flows && r->na);
}

static void run_free(struct run *r)
{
	sv_netapp_free(r->na);
	sv_flows_free(r->flows);
	sv_arena_free(r->arena);
}

static void feed(struct run *r, const struct sv_packet *p, int64_t ts,
		 uint32_t len)
{
	int dir;
	struct sv_flow *fl = sv_flows_add(r->flows, p, ts, len, &dir);

	if (fl)
		sv_netapp_packet(r->na, fl, dir, p, ts);
}

static void load(struct run *r, const char *name)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct sv_packet pk;
	pcap_t *p;
	int lt;

	run_new(r, NULL);
	snprintf(path, sizeof(path), "%s/%s", SV_NET_DATA, name);
	p = pcap_open_offline_with_tstamp_precision(path,
			PCAP_TSTAMP_PRECISION_NANO, err);
	ck_assert_msg(p != NULL, "%s: %s", path, err);
	lt = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &data) == 1) {
		int64_t ts = (int64_t)h->ts.tv_sec * SEC + h->ts.tv_usec;

		if (sv_decode(lt, data, h->caplen, &pk) == 0)
			feed(r, &pk, ts, h->len);
	}
	pcap_close(p);
	sv_netapp_finish(r->na, sv_flows_list(r->flows));
}

static int count_kind(const struct run *r, enum sv_app_kind k)
{
	const struct sv_app_event *e;
	int n = 0;

	for (e = sv_netapp_events(r->na); e; e = e->next)
		n += e->kind == k;
	return n;
}

static const struct sv_app_event *nth(const struct run *r,
				      enum sv_app_kind k, int i)
{
	const struct sv_app_event *e;

	for (e = sv_netapp_events(r->na); e; e = e->next)
		if (e->kind == k && i-- == 0)
			return e;
	return NULL;
}

/* ---------------------------------------------------------- HTTP */

/* tshark's request targets for zeek_http_bro.org.pcap, in frame order. */
static const char *const bro_targets[] = {
	"/", "/css/pygments.css", "/css/960.css", "/css/bro-ids.css",
	"/css/print.css", "/js/jquery.cycle.all.min.js",
	"/js/jquery.fancybox-1.3.4.pack.js", "/js/jquery.tweet.js",
	"/js/jquery.zrssfeed.js", "/js/jquery.tableofcontents.js",
	"/js/superfish.js", "/js/hoverIntent.js", "/js/general.js",
	"/favicon.ico", "/js/jquery.collapse.js", "/images/bro-eyes.png",
	"/images/new.png", "/images/icons/feed-icon-14x14.png",
	"/images/logo-icsi.png", "/images/logo-lbl.png",
	"/images/logo-ncsa.png", "/images/logo-nsf.jpg", "/images/to-top.gif",
	"/images/menu/default-submenu-sprite.png", "/download/index.html",
	"/images/logo-bro.png", "/js/breadcrumbs.js",
	"/images/icons/download.png",
	"/downloads/release/binpac-0.41.tar.gz.asc", "/favicon.ico",
	"/download/CHANGES.binpac.txt",
};

START_TEST(http_browser_session)
{
	struct run r;
	int i, n = (int)(sizeof(bro_targets) / sizeof(bro_targets[0]));
	int answered = 0;

	load(&r, "pcap/zeek_http_bro.org.pcap");
	ck_assert_int_eq(count_kind(&r, SV_APPK_HTTP), n);
	for (i = 0; i < n; i++) {
		const struct sv_app_event *e = nth(&r, SV_APPK_HTTP, i);
		const char *host = i == 28 || i == 29 ? "www.bro.org"
						      : "bro.org";

		ck_assert_str_eq(e->u.http.method, "GET");
		ck_assert_str_eq(e->u.http.target, bro_targets[i]);
		ck_assert_str_eq(e->u.http.host, host);
		ck_assert(e->from_a);
		ck_assert_ptr_nonnull(strstr(e->u.http.user_agent, "Mozilla"));
		answered += e->u.http.status != 0;
	}
	/*
	 * Every request is answered. tshark -2 leaves frame 58's request
	 * (/js/jquery.cycle.all.min.js) without a response: a segment of
	 * that response's body was not captured (frame 179), so tshark
	 * cannot reassemble it. With -o tcp.desegment_tcp_streams:FALSE
	 * it shows the response head (frame 97, 200, Content-Length
	 * 31052), which is what we pair: the lost segment lies inside the
	 * body we skip by its length.
	 */
	ck_assert_int_eq(answered, 31);
	ck_assert_uint_eq(sv_netapp_stats(r.na)->malformed[SV_APPK_HTTP], 0);
	run_free(&r);
}
END_TEST

/* Docker API over TCP: attach upgrades the connection (HTTP 101). */
START_TEST(http_docker_upgrade)
{
	static const struct {
		const char *method, *prefix;
		int status;
	} want[] = {
		{"HEAD", "/_ping", 200},
		{"POST", "/v1.41/containers/create", 201},
		{"POST", "/v1.41/containers/cc4fc8e4", 101},
		{"POST", "/v1.41/containers/cc4fc8e4", 200}, /* wait */
		{"POST", "/v1.41/containers/cc4fc8e4", 204},
		{"POST", "/v1.41/containers/cc4fc8e4", 200},
	};
	struct run r;
	int i, resize = 0;

	load(&r, "pcap/zeek_http_docker-http-upgrade.pcap");
	ck_assert_int_eq(count_kind(&r, SV_APPK_HTTP), 6);
	for (i = 0; i < 6; i++) {
		const struct sv_app_event *e = nth(&r, SV_APPK_HTTP, i);

		ck_assert_str_eq(e->u.http.method, want[i].method);
		ck_assert(strncmp(e->u.http.target, want[i].prefix,
				  strlen(want[i].prefix)) == 0);
		resize += strstr(e->u.http.target, "/resize?") != NULL;
		ck_assert_int_eq(e->u.http.status, want[i].status);
		if (strstr(e->u.http.target, "/attach?")) {
			ck_assert_int_eq(e->u.http.status, 101);
			ck_assert(e->u.http.upgrade);
		}
	}
	ck_assert_int_eq(resize, 1);
	run_free(&r);
}
END_TEST

/* ----------------------------------------------------------- TLS */

struct tls_case {
	const char *file;
	int hellos;
	const char *sni;
	int ech;
};

static const struct tls_case tls_cases[] = {
	/* openssl s_client and a Python client on loopback (SOURCES.md):
	 * some.test, tls12.test, some.test, split.test (two TLS
	 * records), segments.test (four TCP segments: the buffer) */
	{"pcap/local_tls-loopback.pcap", 5, NULL, 0},
	/* a ClientHello over two TCP segments: the buffer at work */
	{"pcap/zeek_tls_chrome-1250-tls-x25519-kyber.pcap", 1,
	 "lh3.google.com", 1},  /* Chrome's GREASE ECH: extension 65037 */
	{"pcap/zeek_tls_tls13-ech.pcap", 2, "cloudflare-ech.com", 1},
	{"pcap/zeek_tls_openjdk-25.0.2-zeek.org.pcap", 1, "zeek.org", 0},
};

START_TEST(tls_hellos)
{
	const struct tls_case *k = &tls_cases[_i];
	struct run r;
	int i;

	load(&r, k->file);
	ck_assert_int_eq(count_kind(&r, SV_APPK_TLS), k->hellos);
	for (i = 0; i < k->hellos; i++) {
		const struct sv_app_event *e = nth(&r, SV_APPK_TLS, i);

		static const char *const local[] = {"some.test",
			"tls12.test", "some.test", "split.test",
			"segments.test"};

		ck_assert_str_eq(e->u.tls.sni, k->sni ? k->sni : local[i]);
		ck_assert_int_eq(e->u.tls.ech, k->ech);
		ck_assert_int_eq(strlen(e->u.tls.ja3_md5), 32);
		ck_assert(e->flow->app->kinds & (1u << SV_APPK_TLS));
	}
	ck_assert_uint_eq(sv_netapp_stats(r.na)->buffer_refused, 0);
	run_free(&r);
}
END_TEST

/* ----------------------------------------------------------- DNS */

struct dns_case {
	const char *file;
	int messages;   /* tshark -Y dns | wc -l */
};

static const struct dns_case dns_cases[] = {
	{"pcap/zeek_dns_tm1t.pcap", 4},
	{"pcap/zeek_dns-txt-multiple.pcap", 2},
	{"pcap/dnsmasq_dig_lo.pcap", 30},
	{"capture/zeek_pcapng-multi-interface.pcapng", 6},
};

START_TEST(dns_messages)
{
	const struct dns_case *k = &dns_cases[_i];
	struct run r;

	load(&r, k->file);
	ck_assert_int_eq(count_kind(&r, SV_APPK_DNS), k->messages);
	run_free(&r);
}
END_TEST

START_TEST(dns_answers_kept)
{
	struct run r;
	const struct sv_app_event *e;
	int responses = 0, addrs = 0, i;

	load(&r, "pcap/zeek_dns_tm1t.pcap");
	for (e = sv_netapp_events(r.na); e; e = e->next) {
		ck_assert_str_eq(e->u.dns.qname, "zeek.org");
		if (!e->u.dns.response)
			continue;
		responses++;
		for (i = 0; i < e->u.dns.n_answers; i++)
			addrs += e->u.dns.answers[i].family != 0;
	}
	ck_assert_int_eq(responses, 2);
	ck_assert_int_gt(addrs, 0);
	ck_assert_uint_eq(sv_netapp_stats(r.na)->names, (uint64_t)addrs);
	run_free(&r);
}
END_TEST

/* DNS over TCP (RFC 7766): 8 of the 30 messages, two queries sharing
 * one connection. tshark -r F -Y 'dns && tcp' | wc -l */
START_TEST(dns_over_tcp)
{
	struct run r;
	const struct sv_app_event *e;
	int tcp = 0;

	load(&r, "pcap/dnsmasq_dig_lo.pcap");
	for (e = sv_netapp_events(r.na); e; e = e->next)
		if (e->kind == SV_APPK_DNS && e->u.dns.tcp) {
			tcp++;
			ck_assert_uint_eq(e->flow->proto, 6);
		}
	ck_assert_int_eq(tcp, 8);
	ck_assert_uint_eq(sv_netapp_stats(r.na)->gaps, 0);
	run_free(&r);
}
END_TEST

/* Two ssh client connections to a listener that sends a banner after
 * two other lines (SOURCES.md); tshark does not dissect port 44722, so
 * the banners were read with tshark -z follow,tcp,ascii,N. */
START_TEST(ssh_banners)
{
	struct run r;
	const struct sv_app_event *e;
	int client = 0, server = 0;

	load(&r, "pcap/local_ssh-loopback.pcap");
	for (e = sv_netapp_events(r.na); e; e = e->next) {
		ck_assert_int_eq(e->kind, SV_APPK_SSH);
		ck_assert_str_eq(e->u.ssh.proto, "2.0");
		if (e->from_a) {
			client++;
			ck_assert(!strncmp(e->u.ssh.software, "OpenSSH_", 8));
		} else {
			server++;
		}
	}
	ck_assert_int_eq(client, 2);
	ck_assert_int_eq(server, 2);
	run_free(&r);
}
END_TEST

/* ------------------------------------------------- the incident sample */

/* The fake miner's Stratum (samples/make-samples.sh), the tool fetch. */
START_TEST(incident_stratum_and_fetch)
{
	struct run r;
	const struct sv_app_event *sub, *auth, *pool, *e;
	int fetch = 0;

	load(&r, "capture/web-incident-bridge.pcap");
	/* frames 327 (pool: the subscribe result, sent first), 341
	 * (subscribe), 411 (authorize); each also on the veth */
	ck_assert_int_eq(count_kind(&r, SV_APPK_STRATUM), 3);
	pool = nth(&r, SV_APPK_STRATUM, 0);
	sub = nth(&r, SV_APPK_STRATUM, 1);
	auth = nth(&r, SV_APPK_STRATUM, 2);
	ck_assert(!pool->from_a && pool->flow == sub->flow);
	ck_assert_str_eq(pool->u.stratum.method, "mining.subscribe");
	ck_assert_str_eq(sub->u.stratum.method, "mining.subscribe");
	ck_assert_str_eq(sub->u.stratum.agent, "xmrig/6.21.0");
	ck_assert_str_eq(auth->u.stratum.method, "mining.authorize");
	ck_assert_str_eq(auth->u.stratum.user, "wallet.worker");
	ck_assert_uint_eq(sub->flow->b_port, 3333);
	ck_assert(sub->from_a && auth->flow == sub->flow);
	for (e = sv_netapp_events(r.na); e; e = e->next)
		if (e->kind == SV_APPK_HTTP &&
		    !strcmp(e->u.http.target, "/xmrig")) {
			fetch++;
			ck_assert_int_eq(e->u.http.status, 200);
			ck_assert_uint_eq(e->flow->b_port, 8000);
		}
	ck_assert_int_eq(fetch, 1);
	/* The reverse shell speaks no protocol we parse. */
	for (e = sv_netapp_events(r.na); e; e = e->next)
		ck_assert_uint_ne(e->flow->b_port, 4444);
	run_free(&r);
}
END_TEST

/* ---------------------------------------------------------- synthetic */

static struct sv_packet seg(uint8_t s, uint16_t sp, uint8_t d, uint16_t dp,
			    uint32_t seq, const char *data)
{
	struct sv_packet p;

	memset(&p, 0, sizeof(p));
	p.l3 = SV_L3_IPV4;
	p.sll_pkttype = SV_PKTTYPE_NONE;
	p.src[0] = 10;
	p.src[3] = s;
	p.dst[0] = 10;
	p.dst[3] = d;
	p.proto = 6;
	p.l4 = 1;
	p.sport = sp;
	p.dport = dp;
	p.seq = seq;
	p.tcp_flags = SV_TCP_ACK | SV_TCP_PSH;
	p.payload = (const uint8_t *)data;
	p.payload_len = strlen(data);
	p.payload_claimed = (uint32_t)p.payload_len;
	p.ip_len = (uint32_t)(40 + p.payload_len);
	return p;
}

static const char *const get_parts[] = {
	"GET /a HTTP/1.1\r\n", "Host: x.test\r\n", "User-Agent: t\r\n\r\n"
};

/* A request over three segments, the middle one retransmitted. */
START_TEST(http_split_and_retransmitted)
{
	struct run r;
	struct sv_packet p;
	uint32_t seq = 1000;
	int i;

	run_new(&r, NULL);
	for (i = 0; i < 3; i++) {
		p = seg(1, 5000, 2, 80, seq, get_parts[i]);
		feed(&r, &p, (i + 1) * SEC, 100);
		if (i == 1)
			feed(&r, &p, (i + 1) * SEC + 5, 100);
		seq += (uint32_t)strlen(get_parts[i]);
	}
	sv_netapp_finish(r.na, sv_flows_list(r.flows));
	ck_assert_int_eq(count_kind(&r, SV_APPK_HTTP), 1);
	ck_assert_str_eq(nth(&r, SV_APPK_HTTP, 0)->u.http.host, "x.test");
	ck_assert_uint_eq(sv_netapp_stats(r.na)->gaps, 0);
	ck_assert_uint_eq(sv_netapp_stats(r.na)->buffer_peak, 4096);
	run_free(&r);
}
END_TEST

/* A missing segment ends parsing of that direction. */
START_TEST(gap_stops_stream)
{
	struct run r;
	struct sv_packet p;

	run_new(&r, NULL);
	p = seg(1, 5000, 2, 80, 1000, get_parts[0]);
	feed(&r, &p, 1 * SEC, 100);
	p = seg(1, 5000, 2, 80, 1000 + 17 + 14, get_parts[2]);
	feed(&r, &p, 2 * SEC, 100);
	sv_netapp_finish(r.na, sv_flows_list(r.flows));
	ck_assert_int_eq(count_kind(&r, SV_APPK_HTTP), 0);
	ck_assert_uint_eq(sv_netapp_stats(r.na)->gaps, 1);
	run_free(&r);
}
END_TEST

/* Two requests in one segment, then one after a body. */
START_TEST(http_keepalive)
{
	static const char two[] =
		"GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
		"POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n";
	struct run r;
	struct sv_packet p;
	uint32_t seq = 1;

	run_new(&r, NULL);
	p = seg(1, 5000, 2, 80, seq, two);
	feed(&r, &p, 1, 100);
	seq += (uint32_t)strlen(two);
	p = seg(1, 5000, 2, 80, seq, "body");
	feed(&r, &p, 2, 100);
	seq += 4;
	p = seg(1, 5000, 2, 80, seq, "GET /3 HTTP/1.0\r\n\r\n");
	feed(&r, &p, 3, 100);
	p = seg(2, 80, 1, 5000, 77,
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
		"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
	feed(&r, &p, 4, 100);
	sv_netapp_finish(r.na, sv_flows_list(r.flows));
	ck_assert_int_eq(count_kind(&r, SV_APPK_HTTP), 3);
	ck_assert_str_eq(nth(&r, SV_APPK_HTTP, 1)->u.http.method, "POST");
	ck_assert_int_eq(nth(&r, SV_APPK_HTTP, 1)->u.http.content_length, 4);
	ck_assert_str_eq(nth(&r, SV_APPK_HTTP, 2)->u.http.target, "/3");
	ck_assert_int_eq(nth(&r, SV_APPK_HTTP, 0)->u.http.status, 200);
	ck_assert_int_eq(nth(&r, SV_APPK_HTTP, 1)->u.http.status, 404);
	ck_assert_int_eq(nth(&r, SV_APPK_HTTP, 2)->u.http.status, 0);
	run_free(&r);
}
END_TEST

/* Over max_streams undecided streams: counted, not parsed. */
START_TEST(stream_cap)
{
	struct sv_netapp_limits lim = {0, 2, 0, 0};
	struct run r;
	struct sv_packet p;
	int i;

	run_new(&r, &lim);
	for (i = 0; i < 4; i++) {
		p = seg(1, (uint16_t)(5000 + i), 2, 80, 1, get_parts[0]);
		feed(&r, &p, i, 100);
	}
	ck_assert_uint_eq(sv_netapp_stats(r.na)->streams, 4);
	ck_assert_uint_eq(sv_netapp_stats(r.na)->streams_untracked, 2);
	sv_netapp_finish(r.na, sv_flows_list(r.flows));
	run_free(&r);
}
END_TEST

/* Over max_events: counted in stats, not kept. */
START_TEST(event_cap)
{
	struct sv_netapp_limits lim = {1, 0, 0, 0};
	struct run r;
	struct sv_packet p;
	int i;

	run_new(&r, &lim);
	for (i = 0; i < 3; i++) {
		p = seg(1, (uint16_t)(5000 + i), 2, 80, 1,
			"GET / HTTP/1.1\r\n\r\n");
		feed(&r, &p, i, 100);
	}
	sv_netapp_finish(r.na, sv_flows_list(r.flows));
	ck_assert_int_eq(count_kind(&r, SV_APPK_HTTP), 1);
	ck_assert_uint_eq(sv_netapp_stats(r.na)->events[SV_APPK_HTTP], 3);
	ck_assert_uint_eq(sv_netapp_stats(r.na)->events_dropped, 2);
	run_free(&r);
}
END_TEST

/* A DNS answer names the address a later flow goes to. */
START_TEST(names_from_answers)
{
	static const uint8_t resp[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
		4, 'p', 'o', 'o', 'l', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1,
		0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 9
	};
	struct run r;
	struct sv_packet d, t;
	const struct sv_flow *fl;
	int named = 0;

	run_new(&r, NULL);
	d = seg(53, 53, 1, 40000, 0, "");
	d.proto = 17;
	d.payload = resp;
	d.payload_len = sizeof(resp);
	d.payload_claimed = sizeof(resp);
	feed(&r, &d, 1, 100);
	t = seg(1, 40001, 9, 3333, 1, "{\"id\":1}\n");
	feed(&r, &t, 2, 100);
	sv_netapp_finish(r.na, sv_flows_list(r.flows));
	for (fl = sv_flows_list(r.flows); fl; fl = fl->next)
		if (fl->b_port == 3333) {
			ck_assert_str_eq(fl->name_b, "pool.test");
			ck_assert_ptr_null(fl->name_a);
			named++;
		}
	ck_assert_int_eq(named, 1);
	ck_assert_int_eq(nth(&r, SV_APPK_DNS, 0)->u.dns.n_answers, 1);
	run_free(&r);
}
END_TEST

static Suite *netapp_suite(void)
{
	Suite *s = suite_create("netapp");
	TCase *real = tcase_create("real");
	TCase *syn = tcase_create("synthetic");

	tcase_set_timeout(real, 60);
	tcase_add_test(real, http_browser_session);
	tcase_add_test(real, http_docker_upgrade);
	tcase_add_loop_test(real, tls_hellos, 0,
			    (int)(sizeof(tls_cases) / sizeof(tls_cases[0])));
	tcase_add_loop_test(real, dns_messages, 0,
			    (int)(sizeof(dns_cases) / sizeof(dns_cases[0])));
	tcase_add_test(real, dns_answers_kept);
	tcase_add_test(real, dns_over_tcp);
	tcase_add_test(real, ssh_banners);
	tcase_add_test(real, incident_stratum_and_fetch);
	suite_add_tcase(s, real);
	tcase_add_test(syn, http_split_and_retransmitted);
	tcase_add_test(syn, gap_stops_stream);
	tcase_add_test(syn, http_keepalive);
	tcase_add_test(syn, stream_cap);
	tcase_add_test(syn, event_cap);
	tcase_add_test(syn, names_from_answers);
	suite_add_tcase(s, syn);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(netapp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
