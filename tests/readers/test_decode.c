/*
 * test_decode.c - formats/net/sv_decode: real captures read with libpcap
 * (data/pcap, and data/capture shared with test_pcap.c; origins in
 * data/SOURCES.md) checked against tshark 4.0.17,
 * every prefix of every real frame, and hand-made hostile frames.
 *
 * Expected values come from, run once on this machine:
 *   tshark -r F -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
 *     -T fields -e ip.src -e ip.dst -e tcp.srcport -e tcp.seq_raw ...
 * and the per-file counts from the same options with -Y 'tcp', 'udp',
 * 'icmp || icmpv6', 'arp', 'ipv6.fraghdr || ip.flags.mf == 1 ||
 * ip.frag_offset > 0', piped to wc -l.
 * NFLOG (tcpdump_nflog.pcap): the same commands; tshark decodes it as
 * "Linux Netfilter NFLOG" then IPv4/UDP/DNS.
 */
#include <arpa/inet.h>
#include <check.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "sv_decode.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* An exact-size heap copy, so ASan catches any read past the end. */
static uint8_t *exact(const void *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(c);
	if (n)
		memcpy(c, p, n);
	return c;
}

static pcap_t *open_cap(const char *name)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	pcap_t *p;

	snprintf(path, sizeof(path), "%s/%s", SV_NET_DATA, name);
	p = pcap_open_offline(path, err);
	ck_assert_msg(p != NULL, "%s: %s", path, err);
	return p;
}

/* ------------------------------------------------ per-file counts */

/* the captures (data/SOURCES.md) */
#define QINQ "capture/tcpdump_802.1ad_QinQ.pcap"
#define HTTPX "pcap/tcpdump_ipv4_tcp_http_xml.pcap"
#define NANO "capture/tcpdump_tcp-handshake-nano.pcap"
#define DNS4 "pcap/zeek_dns_tm1t.pcap"
#define FRAG6 "pcap/zeek_ipv6-fragmented-dns.pcap"
#define SLL2 "capture/zeek_linux_dlt_sll2.pcap"
#define WEB "capture/web-incident-bridge.pcap"
#define NFLOG "pcap/tcpdump_nflog.pcap"

struct count_case {
	const char *file;
	int linktype;
	int packets, tcp, udp, icmp, arp, frag;
};

static const struct count_case counts[] = {
	{QINQ, SV_LINK_ETHERNET, 2, 0, 0, 0, 2, 0},
	{HTTPX, SV_LINK_ETHERNET, 1, 1, 0, 0, 0, 0},
	{NANO, SV_LINK_SLL, 3, 3, 0, 0, 0, 0},
	{DNS4, SV_LINK_ETHERNET, 4, 0, 4, 0, 0, 0},
	{FRAG6, SV_LINK_ETHERNET, 8, 0, 5, 0, 0, 4},
	{SLL2, SV_LINK_SLL2, 6, 0, 0, 4, 2, 0},
	{WEB, SV_LINK_SLL2, 1150, 1140, 0, 0, 10, 0},
	{NFLOG, SV_LINK_NFLOG, 4, 0, 4, 0, 0, 0},
};

START_TEST(file_counts)
{
	const struct count_case *k = &counts[_i];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct sv_packet pk;
	int n = 0, tcp = 0, udp = 0, icmp = 0, arp = 0, frag = 0, rc;
	pcap_t *p = open_cap(k->file);

	ck_assert_int_eq(pcap_datalink(p), k->linktype);
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		uint8_t *f = exact(data, h->caplen);

		ck_assert_int_eq(sv_decode(k->linktype, f, h->caplen, &pk), 0);
		ck_assert_msg(!pk.truncated && !pk.malformed,
			      "%s #%d flagged", k->file, n + 1);
		n++;
		tcp += pk.l4 && pk.proto == 6;
		udp += pk.l4 && pk.proto == 17;
		icmp += pk.l4 && (pk.proto == 1 || pk.proto == 58);
		arp += pk.l3 == SV_L3_ARP;
		frag += pk.fragment != SV_FRAG_NONE;
		free(f);
	}
	ck_assert_int_eq(rc, PCAP_ERROR_BREAK);
	pcap_close(p);
	ck_assert_int_eq(n, k->packets);
	ck_assert_int_eq(tcp, k->tcp);
	ck_assert_int_eq(udp, k->udp);
	ck_assert_int_eq(icmp, k->icmp);
	ck_assert_int_eq(arp, k->arp);
	ck_assert_int_eq(frag, k->frag);
}
END_TEST

/* ------------------------------------------------ exact fields */

struct field_case {
	const char *file;
	int frame;              /* 1-based, as tshark numbers them */
	int l3;
	const char *src, *dst;  /* NULL: not checked */
	int proto, sport, dport;
	int flags;
	uint32_t seq, ack;
	int nvlan, vlan0, vlan1;
	int pkttype, ifindex;
	int fragment;
	uint32_t frag_off;
	long payload_len;       /* -1: not checked */
	int icmp_type;
};

#define V4 SV_L3_IPV4
#define V6 SV_L3_IPV6
#define NOPK SV_PKTTYPE_NONE

static const struct field_case fields[] = {
	/* QinQ: S-tag 200 (802.1ad) + C-tag 2001 carrying ARP */
	{QINQ, 1, SV_L3_ARP, NULL, NULL, 0, 0, 0, 0,
	 0, 0, 2, 200, 2001, NOPK, 0, 0, 0, -1, 0},
	/* 802.1Q VLAN 165, HTTP response, PSH|ACK, 605 bytes of TCP data */
	{HTTPX, 1, V4, "10.21.11.94",
	 "10.114.101.120", 6, 80, 5767, 0x18, 908588050u, 2693707125u,
	 1, 165, 0, NOPK, 0, 0, 0, 605, 0},
	/* SLL v1: SYN outgoing (4), SYN-ACK to us (0), ACK */
	{NANO, 1, V4, "131.155.215.69",
	 "137.116.81.94", 6, 46656, 80, 0x02, 797190859u, 0, 0, 0, 0, 4, 0,
	 0, 0, 0, 0},
	{NANO, 2, V4, "137.116.81.94",
	 "131.155.215.69", 6, 80, 46656, 0x12, 3078856592u, 797190860u, 0,
	 0, 0, 0, 0, 0, 0, 0, 0},
	{NANO, 3, V4, "131.155.215.69",
	 "137.116.81.94", 6, 46656, 80, 0x10, 797190860u, 3078856593u, 0,
	 0, 0, 4, 0, 0, 0, 0, 0},
	/* DNS over UDP from a docker container (udp.length 57 = 8 + 49) */
	{DNS4, 1, V4, "172.17.0.2", "1.1.1.1", 17, 36844,
	 53, 0, 0, 0, 0, 0, 0, NOPK, 0, 0, 0, 49, 0},
	{DNS4, 2, V4, "1.1.1.1", "172.17.0.2", 17, 53,
	 36844, 0, 0, 0, 0, 0, 0, NOPK, 0, 0, 0, 124, 0},
	/* IPv6 Fragment headers: later fragment, first (UDP), later */
	{FRAG6, 1, V6,
	 "2001:470:1f11:81f:d138:5f55:6d4:1fe2", "2607:f740:b::f93", 17,
	 51850, 53, 0, 0, 0, 0, 0, 0, NOPK, 0, 0, 0, -1, 0},
	{FRAG6, 4, V6, "2607:f740:b::f93",
	 "2001:470:1f11:81f:d138:5f55:6d4:1fe2", 17, 0, 0, 0, 0, 0, 0, 0,
	 0, NOPK, 0, SV_FRAG_LATER, 362 * 8, -1, 0},
	{FRAG6, 6, V6, "2607:f740:b::f93",
	 "2001:470:1f11:81f:d138:5f55:6d4:1fe2", 17, 53, 51851, 0, 0, 0, 0,
	 0, 0, NOPK, 0, SV_FRAG_FIRST, 0, -1, 0},
	{FRAG6, 7, V6, "2607:f740:b::f93",
	 "2001:470:1f11:81f:d138:5f55:6d4:1fe2", 17, 0, 0, 0, 0, 0, 0, 0,
	 0, NOPK, 0, SV_FRAG_LATER, 179 * 8, 1432, 0},
	/* SLL2: ICMP echo (type 8), ICMPv6 echo request 128 on ifindex 1 */
	{SLL2, 1, V4, "192.0.2.1", "192.0.2.1", 1, 0,
	 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, -1, 8},
	{SLL2, 3, V6, "fe80::8c36:6ff:fe44:acaf",
	 "fe80::8c36:6ff:fe44:acaf", 58, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
	 -1, 128},
	{SLL2, 5, SV_L3_ARP, NULL, NULL, 0, 0, 0, 0,
	 0, 0, 0, 0, 0, 4, 26, 0, 0, -1, 0},
	/* the sample: one SYN seen on the bridge (56) and the veth (55) */
	{WEB, 6, V4, "10.89.77.11", "10.89.77.10", 6,
	 47854, 80, 0x02, 497763615u, 0, 0, 0, 0, 3, 56, 0, 0, 0, 0},
	{WEB, 7, V4, "10.89.77.11", "10.89.77.10", 6,
	 47854, 80, 0x02, 497763615u, 0, 0, 0, 0, 4, 55, 0, 0, 0, 0},
	{WEB, 12, V4, "10.89.77.11", "10.89.77.10", 6,
	 47854, 80, 0x18, 497763616u, 2312185583u, 0, 0, 0, 3, 56, 0, 0,
	 84, 0},
	{WEB, 402, V4, "10.89.77.10", "10.89.77.11", 6, 80,
	 47974, 0x18, 584190175u, 1537610725u, 0, 0, 0, 4, 56, 0, 0, 220,
	 0},
	/* NFLOG: DNS responses (udp.length 53 and 69 = 8 + 45, 8 + 61) */
	{NFLOG, 1, V4, "74.82.42.42", "10.0.0.20", 17, 53, 42585, 0, 0, 0,
	 0, 0, 0, NOPK, 0, 0, 0, 45, 0},
	{NFLOG, 4, V4, "74.82.42.42", "10.0.0.20", 17, 53, 48736, 0, 0, 0,
	 0, 0, 0, NOPK, 0, 0, 0, 61, 0},
};

static void check_addr(int l3, const uint8_t *got, const char *want)
{
	uint8_t a[16];
	int af = l3 == SV_L3_IPV6 ? AF_INET6 : AF_INET;

	if (!want)
		return;
	ck_assert_int_eq(inet_pton(af, want, a), 1);
	ck_assert_msg(memcmp(got, a, af == AF_INET ? 4 : 16) == 0,
		      "address %s differs", want);
}

START_TEST(file_fields)
{
	const struct field_case *k = &fields[_i];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct sv_packet pk;
	int n = 0;
	pcap_t *p = open_cap(k->file);

	while (n < k->frame && pcap_next_ex(p, &h, &data) == 1)
		n++;
	ck_assert_int_eq(n, k->frame);
	ck_assert_int_eq(sv_decode(pcap_datalink(p), data, h->caplen, &pk),
			 0);
	ck_assert_int_eq(pk.l3, k->l3);
	check_addr(k->l3, pk.src, k->src);
	check_addr(k->l3, pk.dst, k->dst);
	ck_assert_int_eq(pk.proto, k->proto);
	ck_assert_int_eq(pk.sport, k->sport);
	ck_assert_int_eq(pk.dport, k->dport);
	ck_assert_int_eq(pk.tcp_flags, k->flags);
	ck_assert_uint_eq(pk.seq, k->seq);
	ck_assert_uint_eq(pk.ack, k->ack);
	ck_assert_int_eq(pk.nvlan, k->nvlan);
	ck_assert_int_eq(pk.vlan[0], k->vlan0);
	ck_assert_int_eq(pk.vlan[1], k->vlan1);
	ck_assert_int_eq(pk.sll_pkttype, k->pkttype);
	ck_assert_int_eq(pk.ifindex, k->ifindex);
	ck_assert_int_eq(pk.fragment, k->fragment);
	ck_assert_uint_eq(pk.frag_off, k->frag_off);
	if (k->payload_len >= 0)
		ck_assert_uint_eq(pk.payload_len, (size_t)k->payload_len);
	ck_assert_int_eq(pk.icmp_type, k->icmp_type);
	ck_assert(!pk.truncated && !pk.malformed);
	pcap_close(p);
}
END_TEST

/* ------------------------------------------------ every prefix */

/*
 * Cut every frame of a capture at each byte: no read outside the exact
 * copy (ASan), a cut before the payload start sets truncated, a cut
 * after it does not and shortens the payload.
 */
static void prefixes_of(const char *file)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	struct sv_packet full, pk;
	pcap_t *p = open_cap(file);
	int lt = pcap_datalink(p);

	while (pcap_next_ex(p, &h, &data) == 1) {
		size_t hdr = 0, end = 0, k;

		ck_assert_int_eq(sv_decode(lt, data, h->caplen, &full), 0);
		if (full.payload) {
			hdr = (size_t)(full.payload - data);
			end = hdr + full.payload_len;
		}
		for (k = 0; k < h->caplen; k++) {
			uint8_t *f = exact(data, k);

			ck_assert_int_eq(sv_decode(lt, f, k, &pk), 0);
			ck_assert(!pk.malformed);
			if (full.payload && k < hdr)
				ck_assert_msg(pk.truncated, "%s cut %zu",
					      file, k);
			if (full.payload && k >= hdr) {
				ck_assert(!pk.truncated);
				ck_assert_uint_eq(pk.payload_len,
						  (k < end ? k : end) - hdr);
			}
			free(f);
		}
	}
	pcap_close(p);
}

static const char *const prefix_files[] = {
	QINQ, HTTPX,
	NANO, DNS4,
	FRAG6, SLL2,
};

START_TEST(every_prefix)
{
	prefixes_of(prefix_files[_i]);
}
END_TEST

/*
 * NFLOG may hold no payload TLV at all, so a cut between two TLVs is a
 * frame without a network layer, not a truncated one; anywhere else the
 * rule of prefixes_of holds.
 */
START_TEST(nflog_prefixes)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	struct sv_packet full, pk;
	pcap_t *p = open_cap(NFLOG);
	size_t hdr, end, k;

	while (pcap_next_ex(p, &h, &data) == 1) {
		ck_assert_int_eq(sv_decode(SV_LINK_NFLOG, data, h->caplen,
					   &full), 0);
		ck_assert_ptr_nonnull(full.payload);
		hdr = (size_t)(full.payload - data);
		end = hdr + full.payload_len;
		for (k = 0; k < h->caplen; k++) {
			uint8_t *f = exact(data, k);

			ck_assert_int_eq(sv_decode(SV_LINK_NFLOG, f, k, &pk),
					 0);
			ck_assert(!pk.malformed);
			if (k < hdr)
				ck_assert_msg(pk.truncated ||
					      pk.l3 == SV_L3_NONE,
					      "cut %zu", k);
			else
				ck_assert_uint_eq(pk.payload_len,
						  (k < end ? k : end) - hdr);
			free(f);
		}
	}
	pcap_close(p);
}
END_TEST

/* ------------------------------------------------ hostile frames */

/* Ethernet + IPv4 (IHL 5, total 40) + TCP SYN, then 6 bytes padding. */
static const uint8_t eth_syn[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
	0x45, 0, 0, 40, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0,
	10, 0, 0, 1, 10, 0, 0, 2,
	0x30, 0x39, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff,
	0, 0, 0, 0,
	0xee, 0xee, 0xee, 0xee, 0xee, 0xee,
};
#define ETH 14
#define IP4 (ETH)
#define TCP4 (ETH + 20)

/* Raw IPv6 (payload 8) + UDP, for extension header tests. */
static const uint8_t raw6_udp[] = {
	0x60, 0, 0, 0, 0, 8, 17, 64,
	0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	0x04, 0xd2, 0, 53, 0, 8, 0, 0,
};

struct hostile_case {
	const char *name;
	int truncated, malformed, l3, l4;
	int nvlan;
};

/* Builders fill buf and return the length and link type. */
static size_t h_zero(uint8_t *b, int *lt)
{
	(void)b;
	*lt = SV_LINK_ETHERNET;
	return 0;
}

static size_t h_padding(uint8_t *b, int *lt)
{
	memcpy(b, eth_syn, sizeof(eth_syn));
	*lt = SV_LINK_ETHERNET;
	return sizeof(eth_syn);
}

static size_t h_ihl4(uint8_t *b, int *lt)
{
	size_t n = h_padding(b, lt);

	b[IP4] = 0x44;
	return n;
}

static size_t h_ver5(uint8_t *b, int *lt)
{
	size_t n = h_padding(b, lt);

	b[IP4] = 0x55;
	return n;
}

static size_t h_totlen_short(uint8_t *b, int *lt)
{
	size_t n = h_padding(b, lt);

	b[IP4 + 3] = 19;
	return n;
}

static size_t h_totlen_cuts_tcp(uint8_t *b, int *lt)
{
	size_t n = h_padding(b, lt);

	b[IP4 + 3] = 30; /* IP claims 10 bytes of TCP header */
	return n;
}

static size_t h_tcp_off4(uint8_t *b, int *lt)
{
	size_t n = h_padding(b, lt);

	b[TCP4 + 12] = 0x40;
	return n;
}

static size_t h_tcp_off15(uint8_t *b, int *lt)
{
	size_t n = h_padding(b, lt);

	b[TCP4 + 12] = 0xf0; /* 60 bytes of header in a 20-byte segment */
	return n;
}

static size_t h_ihl15_cut(uint8_t *b, int *lt)
{
	size_t n = h_padding(b, lt);

	b[IP4] = 0x4f;    /* 60-byte header, total length 40 */
	b[IP4 + 3] = 0;   /* (0: TSO, length taken from the capture) */
	return n - 6 - 10;
}

static size_t h_vlan3(uint8_t *b, int *lt)
{
	static const uint8_t tags[] = {0x88, 0xa8, 0, 10, 0x81, 0x00, 0, 20,
				       0x81, 0x00, 0, 30};

	memcpy(b, eth_syn, 12);
	memcpy(b + 12, tags, sizeof(tags));
	memcpy(b + 24, eth_syn + 12, sizeof(eth_syn) - 12);
	*lt = SV_LINK_ETHERNET;
	return sizeof(eth_syn) + 12;
}

static size_t h_vlan_cut(uint8_t *b, int *lt)
{
	(void)h_vlan3(b, lt);
	return 15; /* the 0x88a8 type and one byte of the first tag */
}

/* IPv6 with count Destination Options headers of 8 bytes each. */
static size_t ext_chain(uint8_t *b, int count, int hdrlen)
{
	size_t n = 40;
	int i;

	memcpy(b, raw6_udp, 40);
	b[6] = 60;
	for (i = 0; i < count; i++) {
		memset(b + n, 0, 8);
		b[n] = i == count - 1 ? 17 : 60;
		b[n + 1] = (uint8_t)hdrlen;
		n += 8;
	}
	memcpy(b + n, raw6_udp + 40, 8);
	n += 8;
	b[4] = (uint8_t)((n - 40) >> 8);
	b[5] = (uint8_t)(n - 40);
	return n;
}

static size_t h_ext_ok(uint8_t *b, int *lt)
{
	*lt = SV_LINK_RAW;
	return ext_chain(b, SV_IP6_MAX_EXT, 0);
}

static size_t h_ext_long(uint8_t *b, int *lt)
{
	*lt = SV_LINK_RAW;
	return ext_chain(b, SV_IP6_MAX_EXT + 1, 0);
}

static size_t h_ext_overlong(uint8_t *b, int *lt)
{
	*lt = SV_LINK_IPV6;
	return ext_chain(b, 1, 255); /* claims 2048 bytes inside plen 16 */
}

static size_t h_ext_cut(uint8_t *b, int *lt)
{
	size_t n = ext_chain(b, 1, 255);

	*lt = SV_LINK_IPV6;
	b[4] = 0x10; /* plen 4096: the capture, not the header, is short */
	return n;
}

static size_t h_udp_len3(uint8_t *b, int *lt)
{
	memcpy(b, raw6_udp, sizeof(raw6_udp));
	b[40 + 5] = 3;
	*lt = SV_LINK_RAW;
	return sizeof(raw6_udp);
}

static size_t h_v6_in_228(uint8_t *b, int *lt)
{
	memcpy(b, raw6_udp, sizeof(raw6_udp));
	*lt = SV_LINK_IPV4;
	return sizeof(raw6_udp);
}

static size_t h_null_le(uint8_t *b, int *lt)
{
	static const uint8_t af[] = {30, 0, 0, 0};

	memcpy(b, af, 4);
	memcpy(b + 4, raw6_udp, sizeof(raw6_udp));
	*lt = SV_LINK_NULL;
	return 4 + sizeof(raw6_udp);
}

static size_t h_loop_be(uint8_t *b, int *lt)
{
	static const uint8_t af[] = {0, 0, 0, 2};

	memcpy(b, af, 4);
	memcpy(b + 4, eth_syn + ETH, sizeof(eth_syn) - ETH);
	*lt = SV_LINK_LOOP;
	return 4 + sizeof(eth_syn) - ETH;
}

static size_t h_sll2_cut(uint8_t *b, int *lt)
{
	memset(b, 0, 19);
	*lt = SV_LINK_SLL2;
	return 19;
}

static size_t h_ether_8023(uint8_t *b, int *lt)
{
	size_t n = h_padding(b, lt);

	b[12] = 0x00;
	b[13] = 0x2e; /* an 802.3 length: LLC follows */
	return n;
}

/*
 * NFLOG (LINKTYPE_NFLOG): family, version 0, resource 20, an 8-byte
 * NFULA_PACKET_HDR TLV, then NFULA_PAYLOAD (9) holding the IPv4 SYN of
 * eth_syn; TLV length and type little-endian, or big-endian when be.
 */
static size_t nflog_frame(uint8_t *b, int *lt, int be, unsigned family)
{
	static const uint8_t pkthdr[] = {8, 0, 1, 0, 0x08, 0x00, 1, 0};
	size_t ip = sizeof(eth_syn) - ETH - 6, n = 0;
	unsigned tlv = 4 + (unsigned)ip;

	b[n++] = (uint8_t)family;
	b[n++] = 0;
	b[n++] = 0;
	b[n++] = 20;
	memcpy(b + n, pkthdr, sizeof(pkthdr));
	if (be) {
		b[n] = 0;
		b[n + 1] = 8;
		b[n + 2] = 0;
		b[n + 3] = 1;
	}
	n += sizeof(pkthdr);
	b[n++] = (uint8_t)(be ? tlv >> 8 : tlv);
	b[n++] = (uint8_t)(be ? tlv : tlv >> 8);
	b[n++] = be ? 0 : 9;
	b[n++] = be ? 9 : 0;
	memcpy(b + n, eth_syn + ETH, ip);
	*lt = SV_LINK_NFLOG;
	return n + ip;
}

static size_t h_nflog(uint8_t *b, int *lt)
{
	return nflog_frame(b, lt, 0, 2);
}

static size_t h_nflog_be(uint8_t *b, int *lt)
{
	return nflog_frame(b, lt, 1, 2);
}

static size_t h_nflog_version(uint8_t *b, int *lt)
{
	size_t n = nflog_frame(b, lt, 0, 2);

	b[1] = 1;
	return n;
}

static size_t h_nflog_tlv3(uint8_t *b, int *lt)
{
	size_t n = nflog_frame(b, lt, 0, 2);

	b[4] = 3; /* shorter than its own 4-byte header */
	return n;
}

static size_t h_nflog_af7(uint8_t *b, int *lt)
{
	return nflog_frame(b, lt, 0, 7);
}

static size_t h_nflog_v4_as_v6(uint8_t *b, int *lt)
{
	return nflog_frame(b, lt, 0, 10);
}

static size_t h_nflog_tlv_short(uint8_t *b, int *lt)
{
	size_t n = nflog_frame(b, lt, 0, 2);

	b[12] = 4 + 10; /* the TLV holds 10 bytes of a 20-byte header */
	return n;
}

static size_t h_nflog_cut(uint8_t *b, int *lt)
{
	(void)nflog_frame(b, lt, 0, 2);
	return 10; /* inside the NFULA_PACKET_HDR value */
}

static size_t h_nflog_ip_cut(uint8_t *b, int *lt)
{
	(void)nflog_frame(b, lt, 0, 2);
	return 16 + 12; /* snaplen inside the IPv4 header */
}

typedef size_t (*builder)(uint8_t *, int *);

static const struct {
	builder build;
	struct hostile_case want;
} hostile[] = {
	{h_zero, {"zero length", 1, 0, 0, 0, 0}},
	{h_padding, {"padding is not payload", 0, 0, 4, 1, 0}},
	{h_ihl4, {"IHL 4", 0, 1, 0, 0, 0}},
	{h_ver5, {"version 5 in an IPv4 EtherType", 0, 1, 0, 0, 0}},
	{h_totlen_short, {"total length < IHL*4", 0, 1, 0, 0, 0}},
	{h_totlen_cuts_tcp, {"total length cuts TCP", 0, 1, 4, 0, 0}},
	{h_tcp_off4, {"TCP data offset 4", 0, 1, 4, 0, 0}},
	{h_tcp_off15, {"TCP offset past IP length", 0, 1, 4, 0, 0}},
	{h_ihl15_cut, {"IHL 15 cut by snaplen", 1, 0, 4, 0, 0}},
	{h_vlan3, {"three VLAN tags", 0, 1, 0, 0, 2}},
	{h_vlan_cut, {"cut inside a VLAN tag", 1, 0, 0, 0, 0}},
	{h_ext_ok, {"8 extension headers", 0, 0, 6, 1, 0}},
	{h_ext_long, {"9 extension headers", 0, 1, 6, 0, 0}},
	{h_ext_overlong, {"ext header longer than plen", 0, 1, 6, 0, 0}},
	{h_ext_cut, {"ext header cut by snaplen", 1, 0, 6, 0, 0}},
	{h_udp_len3, {"UDP length 3", 0, 1, 6, 1, 0}},
	{h_v6_in_228, {"IPv6 in LINKTYPE_IPV4", 0, 1, 0, 0, 0}},
	{h_null_le, {"NULL, AF_INET6 little-endian", 0, 0, 6, 1, 0}},
	{h_loop_be, {"LOOP, AF_INET", 0, 0, 4, 1, 0}},
	{h_sll2_cut, {"SLL2 header of 19 bytes", 1, 0, 0, 0, 0}},
	{h_ether_8023, {"802.3 length field", 0, 0, SV_L3_OTHER, 0, 0}},
	{h_nflog, {"NFLOG, little-endian TLVs", 0, 0, 4, 1, 0}},
	{h_nflog_be, {"NFLOG, big-endian TLVs", 0, 0, 4, 1, 0}},
	{h_nflog_version, {"NFLOG version 1", 0, 1, 0, 0, 0}},
	{h_nflog_tlv3, {"NFLOG TLV length 3", 0, 1, 0, 0, 0}},
	{h_nflog_af7, {"NFLOG family 7", 0, 0, SV_L3_OTHER, 0, 0}},
	{h_nflog_v4_as_v6, {"NFLOG AF_INET6 with IPv4", 0, 1, 0, 0, 0}},
	{h_nflog_tlv_short, {"NFLOG payload TLV cuts IP", 0, 1, 0, 0, 0}},
	{h_nflog_cut, {"NFLOG cut inside a TLV", 1, 0, 0, 0, 0}},
	{h_nflog_ip_cut, {"NFLOG cut inside IPv4", 1, 0, 0, 0, 0}},
};

START_TEST(hostile_frames)
{
	const struct hostile_case *w = &hostile[_i].want;
	uint8_t buf[256], *f;
	struct sv_packet pk;
	int lt = -1;
	size_t n = hostile[_i].build(buf, &lt);

	f = exact(buf, n);
	ck_assert_int_eq(sv_decode(lt, n ? f : NULL, n, &pk), 0);
	ck_assert_msg(pk.truncated == w->truncated, "%s: truncated %d",
		      w->name, pk.truncated);
	ck_assert_msg(pk.malformed == w->malformed, "%s: malformed %d",
		      w->name, pk.malformed);
	ck_assert_msg(pk.l3 == w->l3, "%s: l3 %d", w->name, pk.l3);
	ck_assert_msg(pk.l4 == w->l4, "%s: l4 %d", w->name, pk.l4);
	ck_assert_int_eq(pk.nvlan, w->nvlan);
	if (pk.payload) {
		ck_assert(pk.payload >= f && pk.payload <= f + n);
		ck_assert(pk.payload_len <= (size_t)(f + n - pk.payload));
	}
	if (hostile[_i].build == h_nflog || hostile[_i].build == h_nflog_be) {
		ck_assert_uint_eq(pk.payload_len, 0);
		ck_assert_int_eq(pk.tcp_flags, SV_TCP_SYN);
		ck_assert_int_eq(pk.dport, 80);
	}
	if (hostile[_i].build == h_padding) {
		ck_assert_uint_eq(pk.payload_len, 0);
		ck_assert_int_eq(pk.tcp_flags, SV_TCP_SYN);
		ck_assert_int_eq(pk.sport, 12345);
	}
	free(f);
}
END_TEST

START_TEST(unsupported_linktype)
{
	struct sv_packet pk;

	ck_assert_int_eq(sv_decode(147, eth_syn, sizeof(eth_syn), &pk), -1);
	ck_assert_int_eq(pk.l3, 0);
	ck_assert_int_eq(sv_decode(SV_LINK_SLL, NULL, 0, &pk), 0);
	ck_assert(pk.truncated);
	ck_assert_int_eq(pk.sll_pkttype, SV_PKTTYPE_NONE);
}
END_TEST

static Suite *decode_suite(void)
{
	Suite *s = suite_create("decode");
	TCase *tc = tcase_create("decode");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, file_counts, 0, N(counts));
	tcase_add_loop_test(tc, file_fields, 0, N(fields));
	tcase_add_loop_test(tc, every_prefix, 0, N(prefix_files));
	tcase_add_test(tc, nflog_prefixes);
	tcase_add_loop_test(tc, hostile_frames, 0, N(hostile));
	tcase_add_test(tc, unsupported_linktype);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(decode_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
