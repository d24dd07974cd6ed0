/*
 * test_flows.c - analyzer/sv_flows: real captures (data/SOURCES.md) read
 * with libpcap, decoded with sv_decode and checked against tshark 4.0.17,
 * then synthetic sv_packet cases.
 *
 * Expected values, run once on this machine for each file F:
 *   tshark -r F -q -z conv,tcp   (rows with "<->", and the sum of the
 *   tshark -r F -q -z conv,udp    Total Frames column)
 * tshark does not de-duplicate: on the SLL2 web-incident capture (tcpdump
 * -i any on a podman bridge) every TCP packet is there twice (veth and
 * bridge, ifindex 55 and 56), so our pkts + dup_dropped equals tshark's
 * frames and dup_dropped is half of them. tshark reassembles IPv6
 * fragments by default, so it counts a fragmented datagram once, as we do.
 */
#include <check.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "sv_arena.h"
#include "sv_decode.h"
#include "sv_flows.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define SEC 1000000000LL

/* sv_flows_add, when the test does not look at the flow it returns. */
static void flows_add(struct sv_flows *f, const struct sv_packet *p,
		      int64_t ts_ns, uint32_t wire_len)
{
	int dir = -1;
	struct sv_flow *fl = sv_flows_add(f, p, ts_ns, wire_len, &dir);

	ck_assert(fl ? (dir == 0 || dir == 1) : dir == -1);
}

/* --------------------------------------------------- real captures */

struct file_case {
	const char *file;
	int tcp_flows, udp_flows;     /* tshark conversation rows */
	uint64_t tcp_frames, udp_frames; /* tshark Total Frames, summed */
	int dedup;                    /* 1: tshark frames = pkts + dups */
};

static const struct file_case files[] = {
	{"capture/DERIVED_truncated_zeek_http_bro.org.pcap", 6, 0, 181, 0, 0},
	{"capture/tcpdump_802.1ad_QinQ.pcap", 0, 0, 0, 0, 0},
	{"capture/tcpdump_tcp-handshake-nano.pcap", 1, 0, 3, 0, 0},
	{"capture/web-incident-bridge.pcap", 47, 0, 1140, 0, 1},
	{"capture/zeek_linux_dlt_sll2.pcap", 0, 0, 0, 0, 0},
	{"capture/zeek_pcapng-multi-interface.pcapng", 0, 3, 0, 6, 0},
	{"pcap/tcpdump_ipv4_tcp_http_xml.pcap", 1, 0, 1, 0, 0},
	{"pcap/zeek_dns_tm1t.pcap", 0, 1, 0, 4, 0},
	{"pcap/zeek_ipv6-fragmented-dns.pcap", 0, 2, 0, 5, 0},
};

/* Reads every frame of name into a new table over arena. */
static struct sv_flows *load(const char *name, struct sv_arena *arena)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct sv_packet pk;
	struct sv_flows *f = sv_flows_new(arena, NULL);
	pcap_t *p;
	int lt;

	ck_assert_ptr_nonnull(f);
	snprintf(path, sizeof(path), "%s/%s", SV_NET_DATA, name);
	p = pcap_open_offline_with_tstamp_precision(path,
			PCAP_TSTAMP_PRECISION_NANO, err);
	ck_assert_msg(p != NULL, "%s: %s", path, err);
	lt = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &data) == 1) {
		int64_t ts = (int64_t)h->ts.tv_sec * SEC + h->ts.tv_usec;

		ck_assert_int_eq(sv_decode(lt, data, h->caplen, &pk), 0);
		flows_add(f, &pk, ts, h->len);
	}
	pcap_close(p);
	return f;
}

/* tshark's Total Frames for a web-incident conversation, by port. */
static uint64_t web_frames(const struct sv_flow *fl)
{
	if (fl->a_port == 41184 || fl->b_port == 41184)
		return 32;   /* the reverse shell to 10.89.77.1:4444 */
	if (fl->a_port == 39136 || fl->b_port == 39136)
		return 28;
	return 24;
}

START_TEST(file_vs_tshark)
{
	const struct file_case *k = &files[_i];
	struct sv_arena *a = sv_arena_new(0);
	struct sv_flows *f = load(k->file, a);
	const struct sv_flow *fl;
	int tcp = 0, udp = 0;
	uint64_t tf = 0, uf = 0, n = 0;

	for (fl = sv_flows_list(f); fl; fl = fl->next, n++) {
		uint64_t frames = fl->pkts_ab + fl->pkts_ba;

		if (k->dedup)
			frames += fl->dup_dropped;
		else
			ck_assert_uint_eq(fl->dup_dropped, 0);
		ck_assert(fl->first_ns <= fl->last_ns);
		ck_assert(!fl->ended_idle);
		if (fl->proto == 6) {
			tcp++;
			tf += frames;
		} else if (fl->proto == 17) {
			udp++;
			uf += frames;
		}
		if (k->dedup && fl->proto == 6) {
			ck_assert_uint_eq(frames, web_frames(fl));
			ck_assert_uint_eq(fl->dup_dropped * 2, frames);
		}
	}
	ck_assert_uint_eq(n, sv_flows_count(f));
	ck_assert_int_eq(tcp, k->tcp_flows);
	ck_assert_int_eq(udp, k->udp_flows);
	ck_assert_uint_eq(tf, k->tcp_frames);
	ck_assert_uint_eq(uf, k->udp_frames);
	sv_flows_free(f);
	sv_arena_free(a);
}
END_TEST

/* The web-incident handshakes: initiator, states, the frame split. */
START_TEST(web_incident_details)
{
	struct sv_arena *a = sv_arena_new(0);
	struct sv_flows *f = load("capture/web-incident-bridge.pcap", a);
	const struct sv_flows_stats *st = sv_flows_stats(f);
	const struct sv_flow *fl;
	int shell = 0;

	ck_assert_uint_eq(st->frames, 1150);
	ck_assert_uint_eq(st->non_ip, 10);      /* ARP */
	ck_assert_uint_eq(st->duplicates_dropped, 570);
	for (fl = sv_flows_list(f); fl; fl = fl->next) {
		ck_assert(fl->syn_seen && fl->synack_seen);
		ck_assert(fl->established && fl->fin_seen);
		if (fl->b_port == 4444) {
			static const uint8_t shell_a[4] = {10, 89, 77, 10};

			shell++;
			ck_assert_mem_eq(fl->a_addr, shell_a, 4);
			ck_assert_uint_eq(fl->a_port, 41184);
			/* tshark: 18 frames ->, 14 <-, each twice */
			ck_assert_uint_eq(fl->pkts_ab, 9);
			ck_assert_uint_eq(fl->pkts_ba, 7);
		}
	}
	ck_assert_int_eq(shell, 1);
	sv_flows_free(f);
	sv_arena_free(a);
}
END_TEST

/* IPv6 fragments: later fragments add bytes to the first one's flow. */
START_TEST(ipv6_fragments)
{
	struct sv_arena *a = sv_arena_new(0);
	struct sv_flows *f = load("pcap/zeek_ipv6-fragmented-dns.pcap", a);
	const struct sv_flows_stats *st = sv_flows_stats(f);
	const struct sv_flow *fl;
	uint64_t fb = 0;

	/* frame 4: offset 362 of id 1, whose first fragment is not in the
	 * capture; frames 7 and 8: offsets 179 and 358 of id 2 (frame 6) */
	ck_assert_uint_eq(st->fragments_later, 3);
	ck_assert_uint_eq(st->fragments_unmatched, 1);
	for (fl = sv_flows_list(f); fl; fl = fl->next)
		fb += fl->frag_bytes;
	/* whole IPv6 packets: frame length less the 14-byte Ethernet header */
	ck_assert_uint_eq(fb, (1494 - 14) + (436 - 14));
	sv_flows_free(f);
	sv_arena_free(a);
}
END_TEST

/* --------------------------------------------------- synthetic */

static struct sv_packet tcp4(uint8_t s, uint16_t sp, uint8_t d,
			     uint16_t dp, uint8_t flags)
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
	p.tcp_flags = flags;
	p.ip_len = 40;
	return p;
}

struct fixture {
	struct sv_arena *a;
	struct sv_flows *f;
};

static struct fixture fx_new(const struct sv_flows_limits *lim)
{
	struct fixture x;

	x.a = sv_arena_new(0);
	ck_assert_ptr_nonnull(x.a);
	x.f = sv_flows_new(x.a, lim);
	ck_assert_ptr_nonnull(x.f);
	return x;
}

static void fx_free(struct fixture *x)
{
	sv_flows_free(x->f);
	sv_arena_free(x->a);
}

START_TEST(both_directions_merge)
{
	struct fixture x = fx_new(NULL);
	struct sv_packet p = tcp4(1, 5000, 2, 80, SV_TCP_ACK);
	struct sv_packet q = tcp4(2, 80, 1, 5000, SV_TCP_ACK);
	const struct sv_flow *fl;

	q.ip_len = 100;
	flows_add(x.f, &p, 1 * SEC, 54);
	flows_add(x.f, &q, 2 * SEC, 114);
	flows_add(x.f, &p, 3 * SEC, 54);
	ck_assert_uint_eq(sv_flows_count(x.f), 1);
	fl = sv_flows_list(x.f);
	ck_assert_uint_eq(fl->a_addr[3], 1);
	ck_assert_uint_eq(fl->a_port, 5000);
	ck_assert_uint_eq(fl->pkts_ab, 2);
	ck_assert_uint_eq(fl->pkts_ba, 1);
	ck_assert_uint_eq(fl->bytes_ab, 80);
	ck_assert_uint_eq(fl->bytes_ba, 100);
	ck_assert_int_eq(fl->first_ns, 1 * SEC);
	ck_assert_int_eq(fl->last_ns, 3 * SEC);
	ck_assert_ptr_null(fl->next);
	fx_free(&x);
}
END_TEST

/* A client reusing its port after FIN: a second flow, not a merge. */
START_TEST(port_reuse_after_fin)
{
	struct fixture x = fx_new(NULL);
	struct sv_packet syn = tcp4(1, 5000, 2, 80, SV_TCP_SYN);
	struct sv_packet fin = tcp4(1, 5000, 2, 80, SV_TCP_FIN | SV_TCP_ACK);
	struct sv_packet rst = tcp4(2, 80, 1, 5000, SV_TCP_RST);
	const struct sv_flow *fl;

	flows_add(x.f, &syn, 1 * SEC, 60);
	flows_add(x.f, &syn, 2 * SEC, 60);  /* retransmitted: same flow */
	flows_add(x.f, &fin, 3 * SEC, 60);
	flows_add(x.f, &syn, 4 * SEC, 60);  /* reused: a new flow */
	flows_add(x.f, &rst, 5 * SEC, 60);
	flows_add(x.f, &syn, 6 * SEC, 60);  /* and again after the RST */
	ck_assert_uint_eq(sv_flows_count(x.f), 3);
	ck_assert_uint_eq(sv_flows_stats(x.f)->reopened, 2);
	fl = sv_flows_list(x.f);
	ck_assert_uint_eq(fl->pkts_ab, 3);
	ck_assert(fl->fin_seen && !fl->ended_idle);
	fl = fl->next;
	ck_assert_uint_eq(fl->pkts_ab, 1);
	ck_assert_uint_eq(fl->pkts_ba, 1);
	ck_assert(fl->rst_seen);
	ck_assert_int_eq(fl->next->first_ns, 6 * SEC);
	fx_free(&x);
}
END_TEST

/* Capture starts at the SYN+ACK, or sees the SYN after a server packet. */
START_TEST(initiator_from_syn)
{
	struct fixture x = fx_new(NULL);
	struct sv_packet sa = tcp4(2, 80, 1, 5000, SV_TCP_SYN | SV_TCP_ACK);
	struct sv_packet ack = tcp4(1, 5000, 2, 80, SV_TCP_ACK);
	struct sv_packet srv = tcp4(4, 443, 3, 6000, SV_TCP_ACK);
	struct sv_packet syn = tcp4(3, 6000, 4, 443, SV_TCP_SYN);
	const struct sv_flow *fl;

	struct sv_flow *got;
	struct sv_stream *marker = (struct sv_stream *)&x;
	int dir = -1;

	flows_add(x.f, &sa, 1, 60);
	got = sv_flows_add(x.f, &ack, 2, 60, &dir);
	ck_assert(got && dir == 0);   /* the SYN+ACK's receiver is a */
	got = sv_flows_add(x.f, &srv, 3, 60, &dir);
	ck_assert(got && dir == 0);   /* first seen: the server is a */
	got->stream[0] = marker;      /* state of the server's direction */
	got = sv_flows_add(x.f, &syn, 4, 60, &dir);
	/* The SYN swapped the ends; the server's state followed it. */
	ck_assert(got && dir == 0 && got->a_port == 6000);
	ck_assert_ptr_eq(got->stream[1], marker);
	ck_assert_ptr_null(got->stream[0]);
	got->stream[1] = NULL;
	ck_assert_uint_eq(sv_flows_count(x.f), 2);
	fl = sv_flows_list(x.f);
	ck_assert_uint_eq(fl->a_addr[3], 1);
	ck_assert_uint_eq(fl->b_port, 80);
	ck_assert_uint_eq(fl->pkts_ab, 1);
	ck_assert_uint_eq(fl->pkts_ba, 1);
	ck_assert(fl->synack_seen && fl->established && !fl->syn_seen);
	fl = fl->next;
	ck_assert_uint_eq(fl->a_addr[3], 3);
	ck_assert_uint_eq(fl->a_port, 6000);
	ck_assert_uint_eq(fl->pkts_ab, 1);
	ck_assert_uint_eq(fl->pkts_ba, 1);
	ck_assert(fl->syn_seen);
	fx_free(&x);
}
END_TEST

START_TEST(idle_eviction)
{
	struct sv_flows_limits lim = {0, 10 * SEC, 0};
	struct fixture x = fx_new(&lim);
	struct sv_packet p = tcp4(1, 5000, 2, 80, SV_TCP_ACK);
	struct sv_packet q = tcp4(2, 80, 1, 5000, SV_TCP_ACK);
	const struct sv_flow *fl;

	flows_add(x.f, &p, 1 * SEC, 54);
	flows_add(x.f, &p, 11 * SEC, 54);   /* exactly the timeout */
	flows_add(x.f, &q, 22 * SEC, 54);   /* 11 s idle: new flow */
	flows_add(x.f, &p, 23 * SEC, 54);
	ck_assert_uint_eq(sv_flows_count(x.f), 2);
	ck_assert_uint_eq(sv_flows_stats(x.f)->evicted_idle, 1);
	fl = sv_flows_list(x.f);
	ck_assert(fl->ended_idle);
	ck_assert_uint_eq(fl->pkts_ab, 2);
	ck_assert_int_eq(fl->last_ns, 11 * SEC);
	fl = fl->next;
	ck_assert(!fl->ended_idle);
	ck_assert_uint_eq(fl->a_addr[3], 2);     /* first sender */
	ck_assert_uint_eq(fl->pkts_ab, 1);
	ck_assert_uint_eq(fl->pkts_ba, 1);
	fx_free(&x);
}
END_TEST

/* Past max_flows: no new record; existing flows still counted; growth. */
START_TEST(max_flows_limit)
{
	struct sv_flows_limits lim = {3000, 0, 0};
	struct fixture x = fx_new(&lim);
	const struct sv_flow *fl;
	uint16_t i;

	for (i = 0; i < 5000; i++) {
		struct sv_packet p = tcp4(1, (uint16_t)(1000 + i), 2, 80,
					  SV_TCP_SYN);

		flows_add(x.f, &p, i, 60);
	}
	for (i = 0; i < 5000; i++) {
		struct sv_packet q = tcp4(2, 80, 1, (uint16_t)(1000 + i),
					  SV_TCP_SYN | SV_TCP_ACK);

		flows_add(x.f, &q, 6000 + i, 60);
	}
	ck_assert_uint_eq(sv_flows_count(x.f), 3000);
	ck_assert_uint_eq(sv_flows_stats(x.f)->dropped_over_limit, 4000);
	i = 0;
	for (fl = sv_flows_list(x.f); fl; fl = fl->next, i++) {
		ck_assert_uint_eq(fl->a_port, 1000 + i);
		ck_assert_uint_eq(fl->pkts_ab, 1);
		ck_assert_uint_eq(fl->pkts_ba, 1);
		ck_assert(fl->synack_seen);
	}
	ck_assert_uint_eq(i, 3000);
	fx_free(&x);
}
END_TEST

/* Fragments: first has ports; later ones match it or are unmatched. */
START_TEST(fragments_without_ports)
{
	struct fixture x = fx_new(NULL);
	struct sv_packet first = tcp4(1, 53, 2, 53, 0);
	struct sv_packet later, stray;
	const struct sv_flows_stats *st;
	const struct sv_flow *fl;

	first.proto = 17;
	first.fragment = SV_FRAG_FIRST;
	first.frag_id = 77;
	first.ip_len = 1500;
	later = first;
	later.fragment = SV_FRAG_LATER;
	later.l4 = 0;
	later.sport = later.dport = 0;
	later.frag_off = 1480;
	later.ip_len = 300;
	stray = later;
	stray.frag_id = 78;
	flows_add(x.f, &first, 1, 1514);
	flows_add(x.f, &later, 2, 314);
	flows_add(x.f, &stray, 3, 314);
	st = sv_flows_stats(x.f);
	ck_assert_uint_eq(sv_flows_count(x.f), 1);
	ck_assert_uint_eq(st->fragments_later, 2);
	ck_assert_uint_eq(st->fragments_unmatched, 1);
	fl = sv_flows_list(x.f);
	ck_assert_uint_eq(fl->pkts_ab, 1);
	ck_assert_uint_eq(fl->bytes_ab, 1800);
	ck_assert_uint_eq(fl->frag_bytes, 300);
	ck_assert_int_eq(fl->last_ns, 2);
	fx_free(&x);
}
END_TEST

struct dup_case {
	int if1, if2;
	int64_t dt;
	uint32_t id2;
	int dup;
};

static const struct dup_case dups[] = {
	{55, 56, 1000, 7, 1},        /* veth then bridge */
	{55, 56, 1000000, 7, 1},     /* exactly the window */
	{55, 56, 1000001, 7, 0},     /* too late */
	{55, 55, 1000, 7, 0},        /* same interface: retransmission */
	{0, 0, 1000, 7, 0},          /* not SLL2 */
	{55, 56, 1000, 8, 0},        /* another IP ID */
	{55, 56, -500, 7, 1},        /* slightly out of order */
};

START_TEST(dedup_rule)
{
	const struct dup_case *k = &dups[_i];
	struct fixture x = fx_new(NULL);
	struct sv_packet p = tcp4(1, 5000, 2, 80, SV_TCP_ACK | SV_TCP_PSH);
	const struct sv_flow *fl;
	static const uint8_t pay[] = "GET / HTTP/1.1\r\n";

	p.frag_id = 7;
	p.seq = 100;
	p.payload = pay;
	p.payload_len = sizeof(pay) - 1;
	p.ifindex = k->if1;
	flows_add(x.f, &p, 10 * SEC, 70);
	p.ifindex = k->if2;
	p.frag_id = k->id2;
	flows_add(x.f, &p, 10 * SEC + k->dt, 70);
	fl = sv_flows_list(x.f);
	ck_assert_uint_eq(fl->dup_dropped, (uint64_t)k->dup);
	ck_assert_uint_eq(fl->pkts_ab, 2 - (uint64_t)k->dup);
	ck_assert_uint_eq(sv_flows_stats(x.f)->duplicates_dropped,
			  (uint64_t)k->dup);
	fx_free(&x);
}
END_TEST

START_TEST(non_ip_and_no_ports)
{
	struct fixture x = fx_new(NULL);
	struct sv_packet arp, cut = tcp4(1, 0, 2, 0, 0), icmp;
	const struct sv_flows_stats *st;

	memset(&arp, 0, sizeof(arp));
	arp.l3 = SV_L3_ARP;
	cut.l4 = 0;
	cut.truncated = 1;
	icmp = tcp4(1, 0, 2, 0, 0);
	icmp.proto = 1;
	icmp.l4 = 1;
	flows_add(x.f, &arp, 1, 42);
	flows_add(x.f, &cut, 2, 30);
	flows_add(x.f, &icmp, 3, 84);
	st = sv_flows_stats(x.f);
	ck_assert_uint_eq(st->frames, 3);
	ck_assert_uint_eq(st->non_ip, 1);
	ck_assert_uint_eq(st->no_ports, 1);
	ck_assert_uint_eq(sv_flows_count(x.f), 1);
	ck_assert_uint_eq(sv_flows_list(x.f)->proto, 1);
	fx_free(&x);
}
END_TEST

/* Arena failures: packets are counted as dropped_nomem, nothing leaks. */
START_TEST(arena_failure)
{
	struct fixture x = fx_new(NULL);
	struct sv_packet p = tcp4(1, 1, 2, 80, SV_TCP_SYN);

	sv_arena_fail_after(x.a, 1);
	flows_add(x.f, &p, 1, 60);
	ck_assert_uint_eq(sv_flows_count(x.f), 0);
	ck_assert_uint_eq(sv_flows_stats(x.f)->dropped_nomem, 1);
	ck_assert_ptr_null(sv_flows_list(x.f));
	sv_flows_free(NULL);
	fx_free(&x);
}
END_TEST

static Suite *flows_suite(void)
{
	Suite *s = suite_create("flows");
	TCase *tc = tcase_create("flows");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, file_vs_tshark, 0, N(files));
	tcase_add_test(tc, web_incident_details);
	tcase_add_test(tc, ipv6_fragments);
	tcase_add_test(tc, both_directions_merge);
	tcase_add_test(tc, initiator_from_syn);
	tcase_add_test(tc, port_reuse_after_fin);
	tcase_add_test(tc, idle_eviction);
	tcase_add_test(tc, max_flows_limit);
	tcase_add_test(tc, fragments_without_ports);
	tcase_add_loop_test(tc, dedup_rule, 0, N(dups));
	tcase_add_test(tc, non_ip_and_no_ports);
	tcase_add_test(tc, arena_failure);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(flows_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
