/*
 * test_dns.c - formats/net/sv_dns on hand-built messages: compression,
 * pointer loops (self, forward, mutual, into the name itself, too many
 * hops), label types, escapes, length limits, every RR type kept, more
 * answers than are kept, header bits, opcodes and impossible counts
 * (NOT_DNS), rcodes, cut messages, the TCP length prefix and the
 * tunnelling features. Real captures are in test_dns_pcap.c.
 *
 * Every input is an exact-size heap copy, so the ASan build proves that
 * nothing is read outside it. Expected values are worked out by hand from
 * RFC 1035 (and dig's presentation format for the escapes); the entropy
 * values are -sum p log2 p over the bytes left of the last two labels.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

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

/* ------------------------------------------------ message builder */

struct mb {
	uint8_t b[70000];
	size_t n;
};

static void put(struct mb *m, const void *p, size_t n)
{
	ck_assert(m->n + n <= sizeof(m->b));
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void u8(struct mb *m, unsigned v)
{
	uint8_t b = (uint8_t)v;

	put(m, &b, 1);
}

static void be16(struct mb *m, unsigned v)
{
	u8(m, v >> 8);
	u8(m, v);
}

static void be32(struct mb *m, uint32_t v)
{
	be16(m, v >> 16);
	be16(m, v & 0xffff);
}

static void hdr(struct mb *m, unsigned flags, unsigned qd, unsigned an,
		unsigned ns, unsigned ar)
{
	m->n = 0;
	be16(m, 0x1234);
	be16(m, flags);
	be16(m, qd);
	be16(m, an);
	be16(m, ns);
	be16(m, ar);
}

/* A dotted name, plain labels, root byte included (unless ptr >= 0). */
static void name_ptr(struct mb *m, const char *dotted, int ptr)
{
	const char *s = dotted, *dot;
	size_t len;

	while (*s) {
		dot = strchr(s, '.');
		len = dot ? (size_t)(dot - s) : strlen(s);
		u8(m, (unsigned)len);
		put(m, s, len);
		s += len + (dot ? 1 : 0);
	}
	if (ptr >= 0)
		be16(m, 0xc000u | (unsigned)ptr);
	else
		u8(m, 0);
}

static void name(struct mb *m, const char *dotted)
{
	name_ptr(m, dotted, -1);
}

static void question(struct mb *m, const char *dotted, unsigned type)
{
	name(m, dotted);
	be16(m, type);
	be16(m, 1);
}

static void rr_head(struct mb *m, unsigned type, unsigned cls, uint32_t ttl,
		    unsigned rdlen)
{
	be16(m, type);
	be16(m, cls);
	be32(m, ttl);
	be16(m, rdlen);
}

/* ------------------------------------------------ compression */

/*
 *  12: www.example.com           question
 *  33: ptr 12, A 192.0.2.1
 *  49: ptr 16, CNAME mail + ptr 16 -> mail.example.com (at 61)
 *  67: ptr 61, MX 5 ptr 61: two hops (61 -> 16)
 */
START_TEST(compression)
{
	struct mb m;
	struct sv_dns_msg d;

	hdr(&m, 0x8180, 1, 3, 0, 0);
	question(&m, "www.example.com", 1);
	ck_assert_uint_eq(m.n, 33);
	be16(&m, 0xc00c);
	rr_head(&m, 1, 1, 60, 4);
	be32(&m, 0xc0000201);
	be16(&m, 0xc010);
	rr_head(&m, 5, 1, 61, 7);
	ck_assert_uint_eq(m.n, 61);
	name_ptr(&m, "mail", 16);
	be16(&m, 0xc000 | 61);
	rr_head(&m, 15, 1, 62, 4);
	be16(&m, 5);
	be16(&m, 0xc000 | 61);
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	ck_assert(!d.truncated);
	ck_assert_uint_eq(d.trailing, 0);
	ck_assert_str_eq(d.qname, "www.example.com");
	ck_assert_int_eq(d.n_answers, 3);
	ck_assert_str_eq(d.answers[0].name, "www.example.com");
	ck_assert_int_eq(d.answers[0].family, 4);
	ck_assert_str_eq(d.answers[1].name, "example.com");
	ck_assert_str_eq(d.answers[1].data, "mail.example.com");
	ck_assert_str_eq(d.answers[2].name, "mail.example.com");
	ck_assert_str_eq(d.answers[2].data, "mail.example.com");
	ck_assert_int_eq(d.answers[2].pref, 5);
	ck_assert_uint_eq(d.answers[2].ttl, 62);
	ck_assert_ptr_null(d.why);
}
END_TEST

/* ------------------------------------------------ pointer loops */

#define BACK "pointer not backwards"
#define LTYPE "label type 0x40 or 0x80"

struct loop_case {
	const char *what;
	uint8_t bytes[24];  /* after the header (qdcount 1) */
	size_t n;
	int status;
	const char *why;    /* sv_dns_msg.why */
};

static const struct loop_case loops[] = {
	/* ptr at 12 -> 12 */
	{"self", {0xc0, 12, 0, 1, 0, 1}, 6, SV_DNS_MALFORMED, BACK},
	/* ptr at 12 -> 14, a valid name there */
	{"forward", {0xc0, 14, 1, 'a', 0, 0, 1, 0, 1}, 9, SV_DNS_MALFORMED,
	 BACK},
	/* 12 -> 14 -> 12: the first hop is already forward */
	{"mutual", {0xc0, 14, 0xc0, 12, 0, 1, 0, 1}, 8, SV_DNS_MALFORMED,
	 BACK},
	/* "a" then a pointer back to the start of its own name */
	{"into own name", {1, 'a', 0xc0, 12, 0, 1, 0, 1}, 8,
	 SV_DNS_MALFORMED, BACK},
	/* "a" then a pointer into the header: bytes 10,11 = 0 0 (root) */
	{"into the header", {1, 'a', 0xc0, 10, 0, 1, 0, 1}, 8, SV_DNS_OK,
	 NULL},
	/* label types 0x40 (extended) and 0x80 (reserved) */
	{"label 0x40", {0x41, 0, 0, 1, 0, 1}, 6, SV_DNS_MALFORMED, LTYPE},
	{"label 0x80", {0x81, 'a', 0, 0, 1, 0, 1}, 7, SV_DNS_MALFORMED,
	 LTYPE},
	/* cut: pointer's second byte missing, then a label's bytes */
	{"cut pointer", {0xc0}, 1, SV_DNS_OK, "pointer cut"},
	{"cut label", {5, 'a', 'b'}, 3, SV_DNS_OK, "label cut"},
};

START_TEST(pointer_loops)
{
	const struct loop_case *k = &loops[_i];
	struct sv_dns_msg d;
	struct mb m;

	hdr(&m, 0x0100, 1, 0, 0, 0);
	put(&m, k->bytes, k->n);
	ck_assert_msg(parse(m.b, m.n, &d) == (enum sv_dns_status)k->status,
		      "%s: %s", k->what, d.why ? d.why : "-");
	if (k->why)
		ck_assert_str_eq(d.why, k->why);
	else
		ck_assert_ptr_null(d.why);
	ck_assert_int_eq(d.truncated, k->status == SV_DNS_OK && k->why);
	ck_assert_int_eq(d.has_question, k->why == NULL);
	if (!k->why)
		ck_assert_str_eq(d.qname, "a");
}
END_TEST

/*
 * A pointer may only name what was written before: the name it leads to
 * must end before the name holding the pointer starts.
 *  12: \005 root, A IN      (the label holds the byte 5)
 *  19: ptr 13: a label of 5 bytes (14..18), then byte 19 is past the end
 */
START_TEST(pointer_overlap)
{
	static const uint8_t q[] = {1, 5, 0, 0, 1, 0, 1, 0xc0, 13, 0, 1, 0,
				    1};
	struct sv_dns_msg d;
	struct mb m;

	hdr(&m, 0x0100, 2, 0, 0, 0);
	put(&m, q, sizeof(q));
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_MALFORMED);
	ck_assert_str_eq(d.why, "pointed-to name overlaps");
	ck_assert_str_eq(d.qname, "\\005");
	/* pointing at byte 14 instead: a root label, so the name is "." */
	m.b[20] = 14;
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	ck_assert(!d.truncated);
}
END_TEST

/*
 * Question i > 0 is a pointer to question i - 1, so it takes i hops:
 * SV_DNS_MAX_HOPS questions after the first parse, one more does not.
 */
static size_t hop_chain(struct mb *m, unsigned extra)
{
	unsigned i, prev = 12;

	hdr(m, 0x0100, 1 + extra, 0, 0, 0);
	question(m, "a", 1);
	for (i = 0; i < extra; i++) {
		unsigned at = (unsigned)m->n;

		be16(m, 0xc000 | prev);
		be16(m, 1);
		be16(m, 1);
		prev = at;
	}
	return m->n;
}

START_TEST(hop_limit)
{
	static struct mb m;
	struct sv_dns_msg d;

	ck_assert_int_eq(parse(m.b, hop_chain(&m, SV_DNS_MAX_HOPS), &d),
			 SV_DNS_OK);
	ck_assert(!d.truncated);
	ck_assert_int_eq(parse(m.b, hop_chain(&m, SV_DNS_MAX_HOPS + 1), &d),
			 SV_DNS_MALFORMED);
	ck_assert_str_eq(d.why, "too many pointers");
	ck_assert_str_eq(d.qname, "a");
}
END_TEST

/* ------------------------------------------------ escapes */

START_TEST(label_escapes)
{
	static const uint8_t l1[] = {'a', '.', 'b'};
	static const uint8_t l2[] = {'c', '\\', ' ', 0, 0xff, 0x7f};
	static const uint8_t l3[] = {'"', '(', ')', ';', '@', '$', '_', '-'};
	struct sv_dns_msg d;
	struct mb m;

	hdr(&m, 0x0100, 1, 0, 0, 0);
	u8(&m, sizeof(l1));
	put(&m, l1, sizeof(l1));
	u8(&m, sizeof(l2));
	put(&m, l2, sizeof(l2));
	u8(&m, sizeof(l3));
	put(&m, l3, sizeof(l3));
	u8(&m, 0);
	be16(&m, 16);
	be16(&m, 1);
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	ck_assert_str_eq(d.qname, "a\\.b.c\\\\\\032\\000\\255\\127."
			 "\\\"\\(\\)\\;\\@\\$_-");
	ck_assert_int_eq(d.labels, 3);
	ck_assert_int_eq(d.longest_label, 8);
	ck_assert_int_eq(d.names_cut, 0);
}
END_TEST

START_TEST(root_name)
{
	struct sv_dns_msg d;
	struct mb m;

	hdr(&m, 0x0000, 1, 0, 0, 0);
	question(&m, "", 2);
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	ck_assert_str_eq(d.qname, ".");
	ck_assert_int_eq(d.labels, 0);
	ck_assert_int_eq(d.qtype, 2);
}
END_TEST

/* ------------------------------------------------ lengths */

/* labels of the given sizes filled with ch, then root, A, IN */
static void long_question(struct mb *m, const unsigned *sizes, int n,
			  uint8_t ch)
{
	uint8_t lab[63];
	int i;

	memset(lab, ch, sizeof(lab));
	hdr(m, 0x0100, 1, 0, 0, 0);
	for (i = 0; i < n; i++) {
		u8(m, sizes[i]);
		put(m, lab, sizes[i]);
	}
	u8(m, 0);
	be16(m, 1);
	be16(m, 1);
}

START_TEST(name_lengths)
{
	static const unsigned w255[] = {63, 63, 63, 61};
	static const unsigned w256[] = {63, 63, 63, 62};
	struct sv_dns_msg d;
	struct mb m;
	size_t len;

	/* 3 * 64 + 62 + 1 = 255 bytes on the wire: the longest name */
	long_question(&m, w255, 4, 'x');
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	ck_assert_uint_eq(strlen(d.qname), 63 * 3 + 61 + 3);
	ck_assert_int_eq(d.names_cut, 0);
	ck_assert_int_eq(d.longest_label, 63);
	ck_assert_int_eq(d.labels, 4);
	/* 256: one byte too many */
	long_question(&m, w256, 4, 'x');
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_MALFORMED);
	ck_assert_str_eq(d.why, "name longer than 255 bytes");
	/*
	 * 255 bytes of 0xff need 4 characters each: the text is cut before
	 * the first escape that does not fit (252 + "." = 253 characters).
	 */
	long_question(&m, w255, 4, 0xff);
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	len = strlen(d.qname);
	ck_assert_uint_eq(len, 253);
	ck_assert_int_eq(d.qname[252], '.');
	ck_assert(strncmp(d.qname + 248, "\\255", 4) == 0);
	ck_assert_int_eq(d.names_cut, 1);
	ck_assert_int_eq(d.labels, 4);
	/* 253 + 2 dots written "\." = 255 characters: the most that fit */
	long_question(&m, w255, 4, 'x');
	memset(m.b + m.n - 4 - 3, '.', 2);
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	ck_assert_uint_eq(strlen(d.qname), 255);
	ck_assert_int_eq(d.names_cut, 0);
	/* a third dot would make 256: that "\." is left out */
	m.b[m.n - 4 - 4] = '.';
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	ck_assert_uint_eq(strlen(d.qname), 254);
	ck_assert_str_eq(d.qname + 249, "x\\.\\.");
	ck_assert_int_eq(d.names_cut, 1);
}
END_TEST

/* ------------------------------------------------ RR types */

struct rr_case {
	const char *what;
	unsigned type, cls;
	uint8_t rdata[40];
	unsigned rdlen;
	int status;
	int family;
	const char *data;
	unsigned pref, port;
};

static const struct rr_case rrs[] = {
	{"A", 1, 1, {192, 0, 2, 1}, 4, SV_DNS_OK, 4, "", 0, 0},
	{"A mDNS cache-flush", 1, 0x8001, {10, 0, 0, 1}, 4, SV_DNS_OK, 4,
	 "", 0, 0},
	{"A class CH", 1, 3, {1, 2, 3, 4, 5}, 5, SV_DNS_OK, 0, "", 0, 0},
	{"A of 5 bytes", 1, 1, {1, 2, 3, 4, 5}, 5, SV_DNS_MALFORMED, 0, "",
	 0, 0},
	{"AAAA", 28, 1, {0x20, 1, 0x0d, 0xb8, [15] = 1}, 16, SV_DNS_OK, 6,
	 "", 0, 0},
	{"AAAA of 4 bytes", 28, 1, {1, 2, 3, 4}, 4, SV_DNS_MALFORMED, 0, "",
	 0, 0},
	{"CNAME", 5, 1, {1, 'b', 0xc0, 12}, 4, SV_DNS_OK, 0, "b.q.test", 0,
	 0},
	{"NS", 2, 1, {2, 'n', 's', 0}, 4, SV_DNS_OK, 0, "ns", 0, 0},
	{"PTR", 12, 1, {0xc0, 14}, 2, SV_DNS_OK, 0, "test", 0, 0},
	{"MX", 15, 1, {0, 10, 0xc0, 12}, 4, SV_DNS_OK, 0, "q.test", 10, 0},
	{"MX without exchange", 15, 1, {0}, 1, SV_DNS_MALFORMED, 0, "", 0,
	 0},
	{"SRV", 33, 1, {0, 1, 0, 5, 0x1f, 0x90, 1, 'h', 0}, 9, SV_DNS_OK, 0,
	 "h", 1, 8080},
	{"TXT", 16, 1, {3, 'a', ';', 0x01, 2, 'x', 'y'}, 7, SV_DNS_OK, 0,
	 "a\\;\\001", 0, 0},
	{"TXT empty", 16, 1, {0}, 0, SV_DNS_OK, 0, "", 0, 0},
	{"TXT past RDLENGTH", 16, 1, {9, 'a'}, 2, SV_DNS_MALFORMED, 0, "", 0,
	 0},
	{"CNAME past RDLENGTH", 5, 1, {3, 'a', 'b'}, 3, SV_DNS_MALFORMED, 0,
	 "", 0, 0},
	{"unknown type 65280", 65280, 1, {1, 2, 3}, 3, SV_DNS_OK, 0, "", 0,
	 0},
	{"SOA", 6, 1, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		       0, 0, 0, 0}, 22, SV_DNS_OK, 0, "", 0, 0},
};

START_TEST(rr_types)
{
	const struct rr_case *k = &rrs[_i];
	struct sv_dns_msg d;
	struct mb m;

	hdr(&m, 0x8180, 1, 1, 0, 0);
	question(&m, "q.test", 1);
	be16(&m, 0xc00c);
	rr_head(&m, k->type, k->cls, 3600, k->rdlen);
	put(&m, k->rdata, k->rdlen);
	ck_assert_msg(parse(m.b, m.n, &d) == (enum sv_dns_status)k->status,
		      "%s: %s", k->what, d.why ? d.why : "-");
	if (k->status != SV_DNS_OK) {
		ck_assert_int_eq(d.answers_total, 0);
		return;
	}
	ck_assert_int_eq(d.n_answers, 1);
	ck_assert_int_eq(d.answers_total, 1);
	ck_assert(!d.truncated);
	ck_assert_str_eq(d.answers[0].name, "q.test");
	ck_assert_uint_eq(d.answers[0].type, k->type);
	ck_assert_uint_eq(d.answers[0].rclass, k->cls);
	ck_assert_uint_eq(d.answers[0].ttl, 3600);
	ck_assert_int_eq(d.answers[0].family, k->family);
	if (k->family)
		ck_assert(memcmp(d.answers[0].addr, k->rdata,
				 k->family == 4 ? 4 : 16) == 0);
	ck_assert_str_eq(d.answers[0].data, k->data);
	ck_assert_uint_eq(d.answers[0].pref, k->pref);
	ck_assert_uint_eq(d.answers[0].port, k->port);
}
END_TEST

/* A TXT string of 255 control bytes: 63 "\001" fit, then it is cut. */
START_TEST(txt_cut)
{
	uint8_t txt[255];
	struct sv_dns_msg d;
	struct mb m;

	memset(txt, 1, sizeof(txt));
	hdr(&m, 0x8180, 1, 1, 0, 0);
	question(&m, "q.test", 16);
	be16(&m, 0xc00c);
	rr_head(&m, 16, 1, 0, 256);
	u8(&m, 255);
	put(&m, txt, sizeof(txt));
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	ck_assert_uint_eq(strlen(d.answers[0].data), 63 * 4);
	ck_assert_int_eq(d.names_cut, 1);
	ck_assert(!d.truncated);
}
END_TEST

/* More answers than are kept; sections after the answers are parsed. */
START_TEST(many_answers)
{
	struct sv_dns_msg d;
	struct mb m;
	size_t at;
	int i;

	hdr(&m, 0x8180, 1, 20, 1, 1);
	question(&m, "q.test", 1);
	for (i = 0; i < 20; i++) {
		be16(&m, 0xc00c);
		rr_head(&m, 1, 1, (uint32_t)i, 4);
		be32(&m, 0x0a000000u + (uint32_t)i);
	}
	be16(&m, 0xc00e);
	rr_head(&m, 2, 1, 0, 2);
	be16(&m, 0xc00c);
	u8(&m, 0);
	rr_head(&m, 41, 1232, 0, 0);
	put(&m, "xyz", 3);
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	ck_assert_int_eq(d.n_answers, SV_DNS_MAX_ANSWERS);
	ck_assert_int_eq(d.answers_total, 20);
	ck_assert_uint_eq(d.answers[15].ttl, 15);
	ck_assert_int_eq(d.answers[15].addr[3], 15);
	ck_assert_uint_eq(d.trailing, 3);
	ck_assert(!d.truncated);
	/* the authority RR's name points at itself: malformed, answers kept */
	at = m.n - 3 - 11 - 14;
	m.b[at] = (uint8_t)(0xc0 | at >> 8);
	m.b[at + 1] = (uint8_t)at;
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_MALFORMED);
	ck_assert_int_eq(d.answers_total, 20);
	ck_assert_ptr_nonnull(d.why);
}
END_TEST

/* ------------------------------------------------ header, rcodes */

START_TEST(header_bits)
{
	struct sv_dns_msg d;
	struct mb m;

	hdr(&m, 0xffff & ~(0xfu << 11), 0, 0, 0, 0); /* opcode 0 */
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	ck_assert(d.qr && d.aa && d.tc && d.rd && d.ra && d.z && d.ad &&
		  d.cd);
	ck_assert_int_eq(d.rcode, 15);
	ck_assert_int_eq(d.id, 0x1234);
	ck_assert(!d.has_question);
	ck_assert_str_eq(d.qname, "");
	hdr(&m, 0x0000, 0, 0, 0, 0);
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	ck_assert(!d.qr && !d.aa && !d.tc && !d.rd && !d.ra && !d.z &&
		  !d.ad && !d.cd);
}
END_TEST

START_TEST(opcodes)
{
	struct sv_dns_msg d;
	struct mb m;
	int want = (_i == 3 || _i > 6) ? SV_DNS_NOT_DNS : SV_DNS_OK;

	hdr(&m, (unsigned)_i << 11, 1, 0, 0, 0);
	question(&m, "x.test", 1);
	ck_assert_int_eq(parse(m.b, m.n, &d), want);
	ck_assert_int_eq(d.opcode, _i);
	ck_assert_int_eq(d.qdcount, 1);
	ck_assert_int_eq(d.has_question, want == SV_DNS_OK);
}
END_TEST

START_TEST(rcodes)
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
		"REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH",
		"NOTZONE", "DSOTYPENI", NULL, NULL, NULL, NULL, "BADVERS",
		"BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG",
		"BADTRUNC", "BADCOOKIE",
	};
	struct sv_dns_msg d;
	struct mb m;
	int i;

	for (i = 0; i < N(names); i++) {
		if (names[i])
			ck_assert_str_eq(sv_dns_rcode_name(i), names[i]);
		else
			ck_assert_ptr_null(sv_dns_rcode_name(i));
	}
	ck_assert_ptr_null(sv_dns_rcode_name(-1));
	ck_assert_ptr_null(sv_dns_rcode_name(24));
	for (i = 0; i < 16; i++) {
		hdr(&m, 0x8000u | (unsigned)i, 0, 0, 0, 0);
		ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
		ck_assert_int_eq(d.rcode, i);
	}
}
END_TEST

START_TEST(type_names)
{
	ck_assert_str_eq(sv_dns_type_name(1), "A");
	ck_assert_str_eq(sv_dns_type_name(28), "AAAA");
	ck_assert_str_eq(sv_dns_type_name(16), "TXT");
	ck_assert_str_eq(sv_dns_type_name(33), "SRV");
	ck_assert_str_eq(sv_dns_type_name(65), "HTTPS");
	ck_assert_str_eq(sv_dns_type_name(255), "ANY");
	ck_assert_ptr_null(sv_dns_type_name(0));
	ck_assert_ptr_null(sv_dns_type_name(65280));
}
END_TEST

/* ------------------------------------------------ counts */

struct count_case {
	unsigned qd, an, ns, ar;
	int status;
};

/* the most a 65535-byte message could hold: 5 per question, 11 per RR */
static const struct count_case count_cases[] = {
	{13104, 0, 0, 0, SV_DNS_OK},
	{13105, 0, 0, 0, SV_DNS_NOT_DNS},
	{0, 5956, 0, 0, SV_DNS_OK},
	{0, 0, 0, 5957, SV_DNS_NOT_DNS},
	{1, 2000, 2000, 1956, SV_DNS_OK},
	{1, 2000, 2000, 1957, SV_DNS_NOT_DNS},
	{65535, 65535, 65535, 65535, SV_DNS_NOT_DNS},
};

START_TEST(impossible_counts)
{
	const struct count_case *k = &count_cases[_i];
	struct sv_dns_msg d;
	struct mb m;

	hdr(&m, 0x8180, k->qd, k->an, k->ns, k->ar);
	ck_assert_int_eq(parse(m.b, m.n, &d), k->status);
	ck_assert_int_eq(d.truncated,
			 k->status == SV_DNS_OK && k->qd + k->an > 0);
	ck_assert_uint_eq(d.ancount, k->an);
}
END_TEST

/*
 * Counts are bounds, not loop counts: 13000 root questions announced,
 * 12000 present, then the message ends.
 */
START_TEST(counts_vs_end)
{
	static struct mb m;
	struct sv_dns_msg d;
	int i;

	hdr(&m, 0x0100, 13000, 0, 0, 0);
	for (i = 0; i < 12000; i++)
		question(&m, "", 1);
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	ck_assert(d.truncated);
	ck_assert_str_eq(d.qname, ".");
	ck_assert_str_eq(d.why, "name cut");
}
END_TEST

/* The empty input and short headers. */
START_TEST(short_input)
{
	struct sv_dns_msg d;
	struct mb m;
	size_t k;

	ck_assert_int_eq(sv_dns_parse(NULL, 0, &d), SV_DNS_MALFORMED);
	ck_assert(d.truncated);
	hdr(&m, 0x0100, 0, 0, 0, 0);
	for (k = 0; k < SV_DNS_HDR_LEN; k++) {
		ck_assert_int_eq(parse(m.b, k, &d), SV_DNS_MALFORMED);
		ck_assert(d.truncated);
		ck_assert_int_eq(d.id, 0);
	}
	ck_assert_int_eq(parse(m.b, k, &d), SV_DNS_OK);
	ck_assert(!d.truncated);
}
END_TEST

START_TEST(tcp_prefix)
{
	static const uint8_t p[] = {0x01, 0x02, 0xff};

	ck_assert_uint_eq(sv_dns_tcp_len(NULL, 0), 0);
	ck_assert_uint_eq(sv_dns_tcp_len(p, 0), 0);
	ck_assert_uint_eq(sv_dns_tcp_len(p, 1), 0);
	ck_assert_uint_eq(sv_dns_tcp_len(p, 2), 258);
	ck_assert_uint_eq(sv_dns_tcp_len(p, 3), 258);
}
END_TEST

/* ------------------------------------------------ features */

struct feat_case {
	const char *qname;
	int labels, longest;
	double entropy;   /* by hand: -sum p log2 p over the folded bytes */
};

static const struct feat_case feats[] = {
	{"example.com", 2, 7, 0.0},
	{"aaaa.example.com", 3, 7, 0.0},
	{"abcd.example.com", 3, 7, 2.0},                /* 4 x 1/4 */
	{"AbCd.x.example.com", 4, 7, 2.321928094887362}, /* log2(5) */
	{"AaBb.example.com", 3, 7, 1.0},   /* folded: a a b b */
	{"ab.ab.example.com", 4, 7, 1.0},
	{"com", 1, 3, 0.0},
};

START_TEST(features)
{
	const struct feat_case *k = &feats[_i];
	struct sv_dns_msg d;
	struct mb m;

	hdr(&m, 0x0100, 1, 0, 0, 0);
	question(&m, k->qname, 16);
	ck_assert_int_eq(parse(m.b, m.n, &d), SV_DNS_OK);
	ck_assert_str_eq(d.qname, k->qname);
	ck_assert_int_eq(d.labels, k->labels);
	ck_assert_int_eq(d.longest_label, k->longest);
	ck_assert_double_eq_tol(d.entropy, k->entropy, 1e-9);
}
END_TEST

static Suite *dns_suite(void)
{
	Suite *s = suite_create("dns");
	TCase *tc = tcase_create("dns");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, compression);
	tcase_add_loop_test(tc, pointer_loops, 0, N(loops));
	tcase_add_test(tc, pointer_overlap);
	tcase_add_test(tc, hop_limit);
	tcase_add_test(tc, label_escapes);
	tcase_add_test(tc, root_name);
	tcase_add_test(tc, name_lengths);
	tcase_add_loop_test(tc, rr_types, 0, N(rrs));
	tcase_add_test(tc, txt_cut);
	tcase_add_test(tc, many_answers);
	tcase_add_test(tc, header_bits);
	tcase_add_loop_test(tc, opcodes, 0, 16);
	tcase_add_test(tc, rcodes);
	tcase_add_test(tc, type_names);
	tcase_add_loop_test(tc, impossible_counts, 0, N(count_cases));
	tcase_add_test(tc, counts_vs_end);
	tcase_add_test(tc, short_input);
	tcase_add_test(tc, tcp_prefix);
	tcase_add_loop_test(tc, features, 0, N(feats));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dns_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
