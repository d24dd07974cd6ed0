/*
 * test_dns_pcap.c - formats/net/sv_dns on real captures (data/SOURCES.md)
 * read with libpcap and decoded with sv_decode: the UDP and TCP payloads
 * of ports 53, 5353 and 5355 are parsed and checked against tshark
 * 4.0.17, then every prefix of every message is parsed again. Every
 * input is an exact-size heap copy (ASan proves nothing is read outside).
 *
 * Real captures, run once on this machine for each file F:
 *   count:  tshark -r F -Y dns | wc -l
 *   values: tshark -r F -Y dns -T fields -e frame.number -e dns.id \
 *             -e dns.flags.response -e dns.count.queries \
 *             -e dns.count.answers -e dns.count.auth_rr \
 *             -e dns.count.add_rr -e dns.qry.name -e dns.qry.type \
 *             -e dns.a -e dns.aaaa -e dns.resp.ttl -e dns.flags.rcode \
 *             -e dns.resp.type -e dns.cname -e dns.ptr.domain_name \
 *             -e dns.mx.preference -e dns.mx.mail_exchange \
 *             -e dns.srv.priority -e dns.srv.port -e dns.srv.target \
 *             -e dns.txt
 * tshark lists the types, TTLs and addresses of all three RR sections in
 * order (OPT has no dns.resp.ttl); sv_dns keeps the answer section only,
 * so the rows below hold the first dns.count.answers of each list. The
 * other differences, each asserted where it shows:
 *  - authority/additional records (zeek_ipv6-fragmented-dns frame 2:
 *    dns.a 192.150.187.31 and TTLs 100,100 are not answers);
 *  - IPv6 fragments: tshark reassembles and shows the response of frames
 *    6-8 at frame 8; we parse frame 6, the first fragment, as a message
 *    cut short (truncated, no answer), and later fragments not at all.
 *    With -o ipv6.defragment:FALSE tshark too shows frame 6 with
 *    "[BoundError Unreassembled Packet: DNS]" after the question;
 *  - tcpdump_dns-badlabel: tshark shows one malformed message
 *    ("<Name too long>"); its opcode 15 and qdcount 64259 make it
 *    SV_DNS_NOT_DNS here, so our DNS count is 0;
 *  - escapes: tshark prints names and TXT unescaped ("we.ird
 *    name\.salvage.test", "k=rsa; p=..."); we print dig's form, which
 *    for the name is what was typed to dig (SOURCES.md).
 * The entropy of a name is checked against python3:
 *   python3 -c 'import math,collections as C;s=S.lower();n=len(s);
 *     print(-sum(v/n*math.log2(v/n) for v in C.Counter(s).values()))'
 * with S the labels left of the last two, concatenated.
 */
#include <arpa/inet.h>
#include <check.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "sv_decode.h"
#include "sv_dns.h"

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

static enum sv_dns_status parse(const void *p, size_t n,
				struct sv_dns_msg *m)
{
	uint8_t *c = exact(p, n);
	enum sv_dns_status st = sv_dns_parse(c, n, m);

	free(c);
	return st;
}

/* ------------------------------------------------ real captures */

#define MAX_MSGS 64

struct got {
	int frame;
	enum sv_dns_status st;
	struct sv_dns_msg m;
	uint8_t *raw;     /* the message bytes, for the prefix test */
	size_t n;
};

struct capture {
	struct got msgs[MAX_MSGS];
	int n;
	int not_dns;
};

static int dns_port(unsigned p)
{
	return p == 53 || p == 5353 || p == 5355;
}

static void keep(struct capture *c, int frame, const uint8_t *p, size_t n)
{
	struct got *g;

	ck_assert_int_lt(c->n, MAX_MSGS);
	g = &c->msgs[c->n];
	g->frame = frame;
	g->raw = exact(p, n);
	g->n = n;
	g->st = sv_dns_parse(g->raw, n, &g->m);
	if (g->st == SV_DNS_NOT_DNS) {
		c->not_dns++;
		free(g->raw);
		return;
	}
	c->n++;
}

/* TCP: whole length-prefixed messages in one segment (no reassembly). */
static void keep_tcp(struct capture *c, int frame, const uint8_t *p,
		     size_t n)
{
	size_t len;

	while (n >= 2 && (len = sv_dns_tcp_len(p, n)) + 2 <= n) {
		keep(c, frame, p + 2, len);
		p += 2 + len;
		n -= 2 + len;
	}
}

static void load(const char *file, struct capture *c)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct sv_packet pk;
	pcap_t *p;
	int frame = 0;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/%s", SV_NET_DATA, file);
	p = pcap_open_offline(path, err);
	ck_assert_msg(p != NULL, "%s: %s", path, err);
	while (pcap_next_ex(p, &h, &data) == 1) {
		uint8_t *f = exact(data, h->caplen);

		frame++;
		ck_assert_int_eq(sv_decode(pcap_datalink(p), f, h->caplen,
					   &pk), 0);
		if (pk.l4 && pk.payload && pk.fragment != SV_FRAG_LATER &&
		    (dns_port(pk.sport) || dns_port(pk.dport))) {
			if (pk.proto == 17)
				keep(c, frame, pk.payload, pk.payload_len);
			else if (pk.proto == 6)
				keep_tcp(c, frame, pk.payload,
					 pk.payload_len);
		}
		free(f);
	}
	pcap_close(p);
}

static void unload(struct capture *c)
{
	int i;

	for (i = 0; i < c->n; i++)
		free(c->msgs[i].raw);
}

/* "TYPE TTL VALUE" per kept answer, joined by "|". */
static void answers_text(const struct sv_dns_msg *m, char *s, size_t size)
{
	size_t len = 0;
	int i;

	s[0] = '\0';
	for (i = 0; i < m->n_answers; i++) {
		const struct sv_dns_rr *r = &m->answers[i];
		const char *t = sv_dns_type_name(r->type);
		char v[SV_DNS_NAME_MAX + 32];

		if (r->family)
			inet_ntop(r->family == 4 ? AF_INET : AF_INET6,
				  r->addr, v, sizeof(v));
		else if (r->type == SV_DNS_T_MX)
			snprintf(v, sizeof(v), "%u %s", r->pref, r->data);
		else if (r->type == SV_DNS_T_SRV)
			snprintf(v, sizeof(v), "%u %u %s", r->pref, r->port,
				 r->data);
		else
			snprintf(v, sizeof(v), "%s", r->data);
		len += (size_t)snprintf(s + len, size - len, "%s%s %u %s",
					i ? "|" : "", t ? t : "?", r->ttl, v);
		ck_assert_uint_lt(len, size);
	}
}

struct file_case {
	const char *file;
	int tshark;    /* tshark -r F -Y dns | wc -l */
	int not_dns;   /* of those, SV_DNS_NOT_DNS here (the rest are OK) */
};

#define TM1T "pcap/zeek_dns_tm1t.pcap"
#define TXTM "pcap/zeek_dns-txt-multiple.pcap"
#define FRAG6 "pcap/zeek_ipv6-fragmented-dns.pcap"
#define NFLOG "pcap/tcpdump_nflog.pcap"
#define BADL "pcap/tcpdump_dns-badlabel.pcap"
#define MULTI "capture/zeek_pcapng-multi-interface.pcapng"
#define LO "pcap/dnsmasq_dig_lo.pcap"

static const struct file_case files[] = {
	{TM1T, 4, 0},
	{TXTM, 2, 0},
	{FRAG6, 5, 0},  /* frames 1 2 3 5 8 for tshark, 1 2 3 5 6 here */
	{NFLOG, 4, 0},
	{BADL, 1, 1},   /* opcode 15, qdcount 64259: NOT_DNS */
	{MULTI, 6, 0},
	{LO, 30, 0},
};

struct msg_case {
	const char *file;
	int frame;
	unsigned id;
	int qr, rcode, qd, an, ns, ar;
	const char *qname;
	int qtype;
	int truncated;
	const char *answers;
};

#define SVT ".salvage.test"
#define TUN "mzxw6ytboi2dqnrzgaytqmzuga3tmnzygm2dsnjqgaydcmrtgq.t" SVT
#define WEIRD "we\\.ird\\032name\\\\" SVT
#define NLZ ".n1.netalyzr.icsi.berkeley.edu"
#define DKIM "k=rsa\\; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDPdPfyJM2R2G" \
	"qMyZM1flTzFeDIU+e7KmiKRw5yz3Xht+cgEIiHmm5lIGBuWCc5rtiy0CcxePpqccPKjn"
#define V6EX "2606:2800:220:6d:26bf:1447:1097:aa7"
#define G6 "AAAA 112 2607:f8b0:4023:2007::"
#define G4 "A 137 142.251.181.1"

static const struct msg_case msgs[] = {
	{TM1T, 1, 0xd32c, 0, 0, 1, 0, 0, 1, "zeek.org", 28, 0, ""},
	/* the SOA (TTL 736) is in the authority section */
	{TM1T, 2, 0xd32c, 1, 0, 1, 0, 1, 1, "zeek.org", 28, 0, ""},
	{TM1T, 3, 0x50b5, 0, 0, 1, 0, 0, 1, "zeek.org", 1, 0, ""},
	{TM1T, 4, 0x50b5, 1, 0, 1, 2, 0, 1, "zeek.org", 1, 0,
	 "A 60 192.0.78.150|A 60 192.0.78.212"},
	{TXTM, 1, 0x6daf, 0, 0, 1, 0, 0, 0, "flkr._domainkey.flickr.com", 16,
	 0, ""},
	{TXTM, 2, 0x6daf, 1, 0, 1, 3, 5, 5, "flkr._domainkey.flickr.com", 16,
	 0, "CNAME 900 fa14._domainkey.flickr.com|"
	 "CNAME 900 fa14._domainkey.yahoo.com|TXT 7200 " DKIM},
	{FRAG6, 1, 0x0f3f, 0, 0, 1, 0, 0, 1, "txtpadding_323" NLZ, 16, 0, ""},
	{FRAG6, 2, 0x0f3f, 1, 0, 1, 1, 1, 2, "txtpadding_323" NLZ, 16, 0,
	 "TXT 1 This TXT record should be ignored"},
	{FRAG6, 3, 0x9f91, 0, 0, 1, 0, 0, 1, "txtpadding_3230" NLZ, 16, 0,
	 ""},
	{FRAG6, 5, 0x9f91, 0, 0, 1, 0, 0, 1, "txtpadding_3230" NLZ, 16, 0,
	 ""},
	/* first fragment only: the 3.2 KB TXT answer is cut */
	{FRAG6, 6, 0x9f91, 1, 0, 1, 1, 1, 2, "txtpadding_3230" NLZ, 16, 1,
	 ""},
	{NFLOG, 1, 0x4371, 1, 0, 1, 1, 0, 0, "example.com", 1, 0,
	 "A 12182 93.184.216.119"},
	{NFLOG, 2, 0xceda, 1, 0, 1, 1, 0, 0, "example.com", 28, 0,
	 "AAAA 74527 " V6EX},
	{NFLOG, 3, 0x2057, 1, 0, 1, 1, 0, 0, "www.example.com", 1, 0,
	 "A 86400 93.184.216.119"},
	{NFLOG, 4, 0x084a, 1, 0, 1, 1, 0, 0, "www.example.com", 28, 0,
	 "AAAA 86400 " V6EX},
	{MULTI, 1, 0x4fe8, 0, 0, 1, 0, 0, 1, "www.apple.com", 1, 0, ""},
	{MULTI, 2, 0x4fe8, 1, 0, 1, 4, 0, 1, "www.apple.com", 1, 0,
	 "CNAME 271 www-apple-com.v.aaplimg.com|"
	 "CNAME 271 www.apple.com.edgekey.net|"
	 "CNAME 271 e6858.dsce9.akamaiedge.net|A 9 23.194.101.24"},
	{MULTI, 3, 0x0004, 0, 0, 1, 0, 0, 0, "google.com", 1, 0, ""},
	{MULTI, 4, 0x0004, 1, 0, 1, 6, 0, 0, "google.com", 1, 0,
	 G4 "38|" G4 "39|" G4 "13|" G4 "00|" G4 "01|" G4 "02"},
	{MULTI, 5, 0x0005, 0, 0, 1, 0, 0, 0, "google.com", 28, 0, ""},
	{MULTI, 6, 0x0005, 1, 0, 1, 4, 0, 0, "google.com", 28, 0,
	 G6 "66|" G6 "8b|" G6 "71|" G6 "8a"},
	{LO, 1, 0xefbc, 0, 0, 1, 0, 0, 1, "host" SVT, 1, 0, ""},
	{LO, 2, 0xefbc, 1, 0, 1, 1, 0, 1, "host" SVT, 1, 0,
	 "A 300 192.0.2.11"},
	{LO, 3, 0x4f6d, 0, 0, 1, 0, 0, 1, "host" SVT, 28, 0, ""},
	{LO, 4, 0x4f6d, 1, 0, 1, 1, 0, 1, "host" SVT, 28, 0,
	 "AAAA 300 2001:db8::11"},
	{LO, 5, 0x9179, 0, 0, 1, 0, 0, 1, "www" SVT, 1, 0, ""},
	{LO, 6, 0x9179, 1, 0, 1, 2, 0, 1, "www" SVT, 1, 0,
	 "CNAME 300 host" SVT "|A 300 192.0.2.11"},
	{LO, 7, 0xd57a, 0, 0, 1, 0, 0, 1, "salvage.test", 15, 0, ""},
	{LO, 8, 0xd57a, 1, 0, 1, 1, 0, 1, "salvage.test", 15, 0,
	 "MX 300 10 mail" SVT},
	{LO, 9, 0x491b, 0, 0, 1, 0, 0, 1, "_http._tcp" SVT, 33, 0, ""},
	/* the A and AAAA of host.salvage.test are additional records */
	{LO, 10, 0x491b, 1, 0, 1, 1, 0, 3, "_http._tcp" SVT, 33, 0,
	 "SRV 300 1 8080 host" SVT},
	{LO, 11, 0x94d1, 0, 0, 1, 0, 0, 1, "txt" SVT, 16, 0, ""},
	{LO, 12, 0x94d1, 1, 0, 1, 1, 0, 1, "txt" SVT, 16, 0,
	 "TXT 300 v=spf1 -all"},
	{LO, 13, 0xd1f5, 0, 0, 1, 0, 0, 1, "11.2.0.192.in-addr.arpa", 12, 0,
	 ""},
	{LO, 14, 0xd1f5, 1, 0, 1, 1, 0, 1, "11.2.0.192.in-addr.arpa", 12, 0,
	 "PTR 300 host" SVT},
	{LO, 15, 0xd7be, 0, 0, 1, 0, 0, 1, WEIRD, 1, 0, ""},
	{LO, 16, 0xd7be, 1, 3, 1, 0, 0, 1, WEIRD, 1, 0, ""},
	{LO, 17, 0xa11f, 0, 0, 1, 0, 0, 1, "nxhost" SVT, 1, 0, ""},
	{LO, 18, 0xa11f, 1, 3, 1, 0, 0, 1, "nxhost" SVT, 1, 0, ""},
	{LO, 19, 0x93e4, 0, 0, 1, 0, 0, 1, TUN, 16, 0, ""},
	{LO, 20, 0x93e4, 1, 3, 1, 0, 0, 1, TUN, 16, 0, ""},
	{LO, 21, 0x1beb, 0, 0, 1, 0, 0, 1, "example.com", 1, 0, ""},
	{LO, 22, 0x1beb, 1, 5, 1, 0, 0, 1, "example.com", 1, 0, ""},
	/* DNS over TCP, one length-prefixed message per segment */
	{LO, 26, 0x5d15, 0, 0, 1, 0, 0, 1, "host" SVT, 1, 0, ""},
	{LO, 28, 0x5d15, 1, 0, 1, 1, 0, 1, "host" SVT, 1, 0,
	 "A 300 192.0.2.11"},
	{LO, 36, 0x347b, 0, 0, 1, 0, 0, 1, "txt" SVT, 16, 0, ""},
	{LO, 38, 0x347b, 1, 0, 1, 1, 0, 1, "txt" SVT, 16, 0,
	 "TXT 300 v=spf1 -all"},
	{LO, 46, 0x260b, 0, 0, 1, 0, 0, 1, "www" SVT, 1, 0, ""},
	{LO, 48, 0x260b, 1, 0, 1, 2, 0, 1, "www" SVT, 1, 0,
	 "CNAME 300 host" SVT "|A 300 192.0.2.11"},
	{LO, 50, 0xa713, 0, 0, 1, 0, 0, 1, "salvage.test", 15, 0, ""},
	{LO, 51, 0xa713, 1, 0, 1, 1, 0, 1, "salvage.test", 15, 0,
	 "MX 300 10 mail" SVT},
};

static void check_msg(const struct msg_case *k, const struct got *g)
{
	const struct sv_dns_msg *m = &g->m;
	char ans[4096];

	ck_assert_msg(g->st == SV_DNS_OK, "%s #%d: status %d (%s)", k->file,
		      k->frame, g->st, m->why ? m->why : "-");
	ck_assert_uint_eq(m->id, k->id);
	ck_assert_int_eq(m->qr, k->qr);
	ck_assert_int_eq(m->opcode, 0);
	ck_assert_int_eq(m->rcode, k->rcode);
	ck_assert_int_eq(m->qdcount, k->qd);
	ck_assert_int_eq(m->ancount, k->an);
	ck_assert_int_eq(m->nscount, k->ns);
	ck_assert_int_eq(m->arcount, k->ar);
	ck_assert(m->has_question);
	ck_assert_str_eq(m->qname, k->qname);
	ck_assert_int_eq(m->qtype, k->qtype);
	ck_assert_int_eq(m->qclass, 1);
	ck_assert_int_eq(m->truncated, k->truncated);
	ck_assert_int_eq(m->answers_total, k->truncated ? 0 : k->an);
	answers_text(m, ans, sizeof(ans));
	ck_assert_str_eq(ans, k->answers);
	ck_assert_int_eq(m->names_cut, 0);
	if (!k->truncated)
		ck_assert_uint_eq(m->trailing, 0);
}

START_TEST(captures)
{
	const struct file_case *f = &files[_i];
	static struct capture c;
	int i, j, seen = 0;

	load(f->file, &c);
	ck_assert_msg(c.n + c.not_dns == f->tshark, "%s: %d + %d messages",
		      f->file, c.n, c.not_dns);
	ck_assert_int_eq(c.not_dns, f->not_dns);
	for (i = 0; i < N(msgs); i++) {
		if (strcmp(msgs[i].file, f->file) != 0)
			continue;
		for (j = 0; j < c.n && c.msgs[j].frame != msgs[i].frame; j++)
			;
		ck_assert_msg(j < c.n, "%s #%d missing", f->file,
			      msgs[i].frame);
		check_msg(&msgs[i], &c.msgs[j]);
		seen++;
	}
	ck_assert_int_eq(seen, c.n);
	unload(&c);
}
END_TEST

/* The tunnelling features of real names (python3 command above). */
START_TEST(capture_features)
{
	static struct capture c;
	const struct sv_dns_msg *m;

	load(LO, &c);
	m = &c.msgs[18].m;   /* frame 19: base32-looking query */
	ck_assert_int_eq(c.msgs[18].frame, 19);
	ck_assert_int_eq(m->labels, 4);
	ck_assert_int_eq(m->longest_label, 50);
	ck_assert_double_eq_tol(m->entropy, 4.160786441387166, 1e-9);
	unload(&c);
	load(FRAG6, &c);
	m = &c.msgs[0].m;    /* tshark: [Label Count: 6] */
	ck_assert_int_eq(m->labels, 6);
	ck_assert_int_eq(m->longest_label, 14);
	ck_assert_double_eq_tol(m->entropy, 4.0836169753972325, 1e-9);
	unload(&c);
}
END_TEST

/* ------------------------------------------------ every prefix */

static void same_rr(const struct sv_dns_rr *a, const struct sv_dns_rr *b)
{
	ck_assert_str_eq(a->name, b->name);
	ck_assert_str_eq(a->data, b->data);
	ck_assert(a->type == b->type && a->rclass == b->rclass &&
		  a->ttl == b->ttl && a->family == b->family &&
		  a->pref == b->pref && a->port == b->port);
	ck_assert(memcmp(a->addr, b->addr, sizeof(a->addr)) == 0);
}

/*
 * Every prefix of a message: below the header MALFORMED, from there on
 * the header's verdict, and for DNS an OK message cut short that keeps
 * a subset of what the whole one had.
 */
static void prefixes(const struct got *g)
{
	const struct sv_dns_msg *full = &g->m;
	struct sv_dns_msg d;
	size_t k;
	int i;

	for (k = 0; k < g->n; k++) {
		enum sv_dns_status st = parse(g->raw, k, &d);

		if (k < SV_DNS_HDR_LEN) {
			ck_assert_int_eq(st, SV_DNS_MALFORMED);
			continue;
		}
		ck_assert_msg(st == g->st, "frame %d cut %zu: %d (%s)",
			      g->frame, k, st, d.why ? d.why : "-");
		ck_assert(d.id == full->id && d.ancount == full->ancount);
		if (st != SV_DNS_OK)
			continue;
		ck_assert_msg(d.truncated, "frame %d cut %zu", g->frame, k);
		if (d.has_question) {
			ck_assert_str_eq(d.qname, full->qname);
			ck_assert_double_eq(d.entropy, full->entropy);
		}
		ck_assert_int_le(d.answers_total, full->answers_total);
		for (i = 0; i < d.n_answers; i++)
			same_rr(&d.answers[i], &full->answers[i]);
	}
}

START_TEST(every_prefix)
{
	static struct capture c;
	int i;

	load(files[_i].file, &c);
	for (i = 0; i < c.n; i++)
		prefixes(&c.msgs[i]);
	unload(&c);
}
END_TEST

/* The hostile capture, and variants that get past the header check. */
START_TEST(badlabel_variants)
{
	static struct capture c;
	static struct {
		uint8_t b[65536];
		size_t n;
	} m;
	struct pcap_pkthdr *h;
	const u_char *data;
	struct sv_packet pk;
	struct sv_dns_msg d;
	char path[512], err[PCAP_ERRBUF_SIZE];
	pcap_t *p;

	load(BADL, &c);
	ck_assert_int_eq(c.not_dns, 1);
	snprintf(path, sizeof(path), "%s/%s", SV_NET_DATA, BADL);
	p = pcap_open_offline(path, err);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(pcap_next_ex(p, &h, &data), 1);
	ck_assert_int_eq(sv_decode(pcap_datalink(p), data, h->caplen, &pk),
			 0);
	m.n = pk.payload_len;
	ck_assert_uint_le(m.n, sizeof(m.b));
	memcpy(m.b, pk.payload, m.n);
	pcap_close(p);
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_NOT_DNS);
	ck_assert_int_eq(d.opcode, 15);
	ck_assert_int_eq(d.qdcount, 64259);
	/* opcode 0: still NOT_DNS, 64259 questions cannot fit */
	m.b[2] &= 0x87;
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_NOT_DNS);
	/* 12000 questions fit: the first name is over 255 bytes, as
	 * tshark's "<Name too long>" says */
	m.b[4] = 12000 >> 8;
	m.b[5] = 12000 & 0xff;
	m.b[6] = m.b[7] = m.b[8] = m.b[9] = m.b[10] = m.b[11] = 0;
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_MALFORMED);
	ck_assert_str_eq(d.why, "name longer than 255 bytes");
	ck_assert(!d.has_question);
}
END_TEST

static Suite *dns_pcap_suite(void)
{
	Suite *s = suite_create("dns_pcap");
	TCase *tc = tcase_create("dns_pcap");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, captures, 0, N(files));
	tcase_add_test(tc, capture_features);
	tcase_add_loop_test(tc, every_prefix, 0, N(files));
	tcase_add_test(tc, badlabel_variants);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dns_pcap_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
