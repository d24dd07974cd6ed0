/*
 * sv_dns.c - DNS message parser, RFC 1035 section 4 (with RFC 2782 SRV,
 * RFC 3596 AAAA, RFC 4035 AD/CD bits, RFC 6891 label types).
 *
 * Modelled on tcpdump's print-domain.c, without its printing: names are
 * first read into their uncompressed wire form (flat, at most 255 bytes),
 * then turned into text; the features come from the wire form.
 *
 * Message layout (RFC 1035 4.1):
 *
 *  +---------------------+
 *  |        Header       |  12 bytes, below
 *  +---------------------+
 *  |       Question      |  qdcount x (QNAME, QTYPE, QCLASS)
 *  +---------------------+
 *  |        Answer       |  ancount RRs
 *  +---------------------+
 *  |      Authority      |  nscount RRs
 *  +---------------------+
 *  |      Additional     |  arcount RRs
 *  +---------------------+
 *
 * Header (RFC 1035 4.1.1; AD, CD: RFC 4035 3.2):
 *
 *    0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 *  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *  |                      ID                       |
 *  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *  |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 *  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *  |          QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT   |
 *  +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *
 * Resource record (RFC 1035 4.1.3):
 *
 *  | NAME | TYPE (2) | CLASS (2) | TTL (4) | RDLENGTH (2) | RDATA |
 *
 * A fault ends the parse: R_TRUNC when the bytes ran out (the message
 * was cut: status OK, truncated), R_BAD when bytes are present but
 * impossible (status MALFORMED). ctx.why names the fault.
 */
#include "sv_dns.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sv_cursor.h"

#define R_OK 0
#define R_TRUNC 1
#define R_BAD 2

#define MIN_QUESTION 5   /* root name, QTYPE, QCLASS */
#define MIN_RR 11        /* root name, TYPE, CLASS, TTL, RDLENGTH */
#define MAX_MSG 65535u   /* the TCP length prefix bounds any message */
#define CLASS_IN 1
#define MDNS_CLASS_MASK 0x7fffu  /* mDNS: bit 15 is cache-flush/QU */

struct dns_ctx {
	const uint8_t *msg;
	size_t n;
	struct sv_dns_msg *out;
	const char *why;
};

/* A name in uncompressed wire form: length-prefixed labels, then 0. */
struct dns_name {
	uint8_t b[SV_DNS_WIRE_MAX];
	size_t len;
};

static int dns_fail(struct dns_ctx *x, int r, const char *why)
{
	x->why = why;
	return r;
}

/* ---------------------------------------------------------- names */

/* A cursor over the message bytes [from, to), to <= n. */
static struct sv_cursor dns_span(const struct dns_ctx *x, size_t from,
				 size_t to)
{
	struct sv_cursor r = sv_cursor_make(x->msg, to);

	(void)sv_get_bytes(&r, from);
	return r;
}

/* The bytes ran out: the message was cut, unless a pointer led here. */
static int dns_name_end(struct dns_ctx *x, unsigned hops, const char *why)
{
	if (hops)
		return dns_fail(x, R_BAD, "pointed-to name overlaps");
	return dns_fail(x, R_TRUNC, why);
}

/*
 * Append one label of len bytes at p to *nm; R_BAD when the name would
 * pass 255 bytes with its final root byte.
 */
static int dns_add_label(struct dns_ctx *x, struct dns_name *nm,
			 const uint8_t *p, unsigned len)
{
	if (nm->len + 1 + len + 1 > SV_DNS_WIRE_MAX)
		return dns_fail(x, R_BAD, "name longer than 255 bytes");
	nm->b[nm->len] = (uint8_t)len;
	memcpy(nm->b + nm->len + 1, p, len);
	nm->len += 1 + len;
	return R_OK;
}

/*
 * Read the name at *c into *nm (RFC 1035 3.1, 4.1.4). *c advances past
 * the name's bytes in place: up to its root byte or its first pointer.
 *
 * A pointer must point before the start of the labels being read (the
 * name's start, then the previous pointer's target): pointing anywhere
 * later would read the same pointer again, a loop. So every hop goes
 * strictly backwards, and there are at most SV_DNS_MAX_HOPS of them.
 * The name pointed to was written earlier, so it must also end (root or
 * pointer) before the labels that pointed to it start: reading stops
 * there. Label types 0x40 (RFC 6891 extended) and 0x80 (reserved) are
 * refused. R_TRUNC only when the bytes of *c run out before a pointer.
 */
static int dns_read_name(struct dns_ctx *x, struct sv_cursor *c,
			 struct dns_name *nm)
{
	struct sv_cursor r = *c;
	size_t seg = (size_t)(c->p - x->msg);
	unsigned b, target, hops = 0;
	const uint8_t *p;

	nm->len = 0;
	for (;;) {
		b = sv_get_u8(&r);
		if (r.err)
			return dns_name_end(x, hops, "name cut");
		if (b == 0)
			break;
		if ((b & 0xc0) == 0x40 || (b & 0xc0) == 0x80)
			return dns_fail(x, R_BAD, "label type 0x40 or 0x80");
		if ((b & 0xc0) == 0xc0) {
			target = (b & 0x3fu) << 8 | sv_get_u8(&r);
			if (r.err)
				return dns_name_end(x, hops, "pointer cut");
			if (target >= seg)
				return dns_fail(x, R_BAD,
						"pointer not backwards");
			if (++hops > SV_DNS_MAX_HOPS)
				return dns_fail(x, R_BAD, "too many pointers");
			if (hops == 1)
				c->p = r.p;
			r = dns_span(x, target, seg);
			seg = target;
			continue;
		}
		p = sv_get_bytes(&r, b);
		if (!p)
			return dns_name_end(x, hops, "label cut");
		if (dns_add_label(x, nm, p, b) != R_OK)
			return R_BAD;
	}
	nm->b[nm->len++] = 0;
	if (hops == 0)
		c->p = r.p;
	return R_OK;
}

/* A bounded string builder: appends whole units or nothing. */
struct dns_text {
	char *s;
	size_t len;
	int cut;
};

static void dns_put(struct dns_text *t, const char *u, size_t n)
{
	if (t->cut || t->len + n >= SV_DNS_NAME_MAX) {
		t->cut = 1;
		return;
	}
	memcpy(t->s + t->len, u, n);
	t->len += n;
	t->s[t->len] = '\0';
}

/*
 * One byte in presentation form: "\c" for a byte in special, "\DDD" for
 * one outside [lo, 0x7e], else itself.
 */
static void dns_put_byte(struct dns_text *t, uint8_t ch, const char *special,
			 unsigned lo)
{
	char u[5];

	if (ch != 0 && strchr(special, ch)) {
		u[0] = '\\';
		u[1] = (char)ch;
		dns_put(t, u, 2);
	} else if (ch < lo || ch > 0x7e) {
		snprintf(u, sizeof(u), "\\%03u", ch);
		dns_put(t, u, 4);
	} else {
		u[0] = (char)ch;
		dns_put(t, u, 1);
	}
}

/* BIND's dns_name_totext without the final dot (see sv_dns.h). */
static void dns_name_text(const struct dns_name *nm, char *s, int *cuts)
{
	struct dns_text t = {s, 0, 0};
	size_t i = 0, k;

	s[0] = '\0';
	if (nm->len <= 1) {
		dns_put(&t, ".", 1);
		return;
	}
	while (i < nm->len && nm->b[i] != 0) {
		if (i > 0)
			dns_put(&t, ".", 1);
		for (k = 1; k <= nm->b[i]; k++)
			dns_put_byte(&t, nm->b[i + k], "\"().;\\@$", 0x21);
		i += 1u + nm->b[i];
	}
	*cuts += t.cut;
}

/* ------------------------------------------------------- features */

/* Shannon entropy, bits per byte, of the hist's total bytes. */
static double dns_entropy(const unsigned hist[256], unsigned total)
{
	double h = 0.0, p;
	int i;

	for (i = 0; i < 256; i++) {
		if (!hist[i])
			continue;
		p = (double)hist[i] / total;
		h -= p * log2(p);
	}
	return h;
}

/* labels, longest_label and entropy of the first question's name. */
static void dns_features(const struct dns_name *nm, struct sv_dns_msg *out)
{
	unsigned hist[256] = {0}, total = 0;
	size_t i, k;
	int lab = 0;
	uint8_t ch;

	for (i = 0; i < nm->len && nm->b[i]; i += 1u + nm->b[i]) {
		out->labels++;
		if (nm->b[i] > out->longest_label)
			out->longest_label = nm->b[i];
	}
	for (i = 0; lab < out->labels - 2; i += 1u + nm->b[i], lab++) {
		for (k = 1; k <= nm->b[i]; k++) {
			ch = nm->b[i + k];
			if (ch >= 'A' && ch <= 'Z')
				ch = (uint8_t)(ch - 'A' + 'a');
			hist[ch]++;
			total++;
		}
	}
	out->entropy = total ? dns_entropy(hist, total) : 0.0;
}

/* ------------------------------------------------------ sections */

static int dns_question(struct dns_ctx *x, struct sv_cursor *c, int first)
{
	struct sv_dns_msg *out = x->out;
	struct dns_name nm;
	uint16_t qtype, qclass;
	int r = dns_read_name(x, c, &nm);

	if (r != R_OK)
		return r;
	qtype = sv_get_be16(c);
	qclass = sv_get_be16(c);
	if (c->err)
		return dns_fail(x, R_TRUNC, "question cut");
	if (first) {
		out->has_question = 1;
		dns_name_text(&nm, out->qname, &out->names_cut);
		out->qtype = qtype;
		out->qclass = qclass;
		dns_features(&nm, out);
	}
	return R_OK;
}

/* A name inside RDATA: running out of RDLENGTH is a fault, not a cut. */
static int dns_rdata_name(struct dns_ctx *x, struct sv_cursor *rd,
			  char *dst)
{
	struct dns_name nm;
	int r = dns_read_name(x, rd, &nm);

	if (r == R_TRUNC)
		return dns_fail(x, R_BAD, "name runs past RDLENGTH");
	if (r == R_OK)
		dns_name_text(&nm, dst, &x->out->names_cut);
	return r;
}

/* TXT (RFC 1035 3.3.14): the first <character-string>, escaped. */
static int dns_rdata_txt(struct dns_ctx *x, struct sv_cursor *rd,
			 struct sv_dns_rr *rr)
{
	struct dns_text t = {rr->data, 0, 0};
	const uint8_t *p;
	unsigned len, i;

	if (sv_cursor_left(rd) == 0)
		return R_OK;
	len = sv_get_u8(rd);
	p = sv_get_bytes(rd, len);
	if (!p)
		return dns_fail(x, R_BAD, "TXT string runs past RDLENGTH");
	for (i = 0; i < len; i++)
		dns_put_byte(&t, p[i], "\";\\", 0x20);
	x->out->names_cut += t.cut;
	return R_OK;
}

/* An address of class IN: exactly len bytes (RFC 1035 3.4.1, 3596 2.2). */
static int dns_rdata_addr(struct dns_ctx *x, struct sv_cursor *rd,
			  struct sv_dns_rr *rr, size_t len)
{
	if ((rr->rclass & MDNS_CLASS_MASK) != CLASS_IN)
		return R_OK;
	if (sv_cursor_left(rd) != len)
		return dns_fail(x, R_BAD, "address of the wrong length");
	memcpy(rr->addr, sv_get_bytes(rd, len), len);
	rr->family = len == 4 ? 4 : 6;
	return R_OK;
}

/* Decode what sv_dns_rr keeps of the RDATA in *rd (RDLENGTH bytes). */
static int dns_rdata(struct dns_ctx *x, struct sv_cursor *rd,
		     struct sv_dns_rr *rr)
{
	switch (rr->type) {
	case SV_DNS_T_A:
		return dns_rdata_addr(x, rd, rr, 4);
	case SV_DNS_T_AAAA:
		return dns_rdata_addr(x, rd, rr, 16);
	case SV_DNS_T_CNAME:
	case SV_DNS_T_NS:
	case SV_DNS_T_PTR:
		return dns_rdata_name(x, rd, rr->data);
	case SV_DNS_T_MX:   /* RFC 1035 3.3.9: PREFERENCE, EXCHANGE */
		rr->pref = sv_get_be16(rd);
		break;
	case SV_DNS_T_SRV:  /* RFC 2782: priority, weight, port, target */
		rr->pref = sv_get_be16(rd);
		(void)sv_get_be16(rd);
		rr->port = sv_get_be16(rd);
		break;
	case SV_DNS_T_TXT:
		return dns_rdata_txt(x, rd, rr);
	default:
		return R_OK;
	}
	if (rd->err)
		return dns_fail(x, R_BAD, "RDATA shorter than its fields");
	return dns_rdata_name(x, rd, rr->data);
}

/* One RR into *rr (zeroed first). A cut RR is R_TRUNC, never kept. */
static int dns_rr(struct dns_ctx *x, struct sv_cursor *c,
		  struct sv_dns_rr *rr)
{
	struct dns_name nm;
	struct sv_cursor rd;
	unsigned rdlen;
	int r;

	memset(rr, 0, sizeof(*rr));
	r = dns_read_name(x, c, &nm);
	if (r != R_OK)
		return r;
	rr->type = sv_get_be16(c);
	rr->rclass = sv_get_be16(c);
	rr->ttl = sv_get_be32(c);
	rdlen = sv_get_be16(c);
	if (c->err || rdlen > sv_cursor_left(c))
		return dns_fail(x, R_TRUNC, "resource record cut");
	dns_name_text(&nm, rr->name, &x->out->names_cut);
	rd = sv_cursor_sub(c, rdlen);
	return dns_rdata(x, &rd, rr);
}

/*
 * The answer, authority and additional sections: count RRs each, or
 * until the message ends. Each RR takes at least 11 bytes of *c, so the
 * loops end with the message whatever the counts say.
 */
static int dns_sections(struct dns_ctx *x, struct sv_cursor *c)
{
	struct sv_dns_msg *out = x->out;
	unsigned counts[3], s, i;
	struct sv_dns_rr rr;
	int r;

	counts[0] = out->ancount;
	counts[1] = out->nscount;
	counts[2] = out->arcount;
	for (s = 0; s < 3; s++) {
		for (i = 0; i < counts[s]; i++) {
			r = dns_rr(x, c, &rr);
			if (r != R_OK)
				return r;
			if (s != 0)
				continue;
			out->answers_total++;
			if (out->n_answers < SV_DNS_MAX_ANSWERS)
				out->answers[out->n_answers++] = rr;
		}
	}
	return R_OK;
}

/* ------------------------------------------------------- header */

/* Fill the header fields; 0, or -1 when it cannot be DNS (sv_dns.h). */
static int dns_header(struct sv_cursor *c, struct sv_dns_msg *out)
{
	unsigned flags;
	unsigned long need;

	out->id = sv_get_be16(c);
	flags = sv_get_be16(c);
	out->qdcount = sv_get_be16(c);
	out->ancount = sv_get_be16(c);
	out->nscount = sv_get_be16(c);
	out->arcount = sv_get_be16(c);
	out->qr = (flags >> 15) & 1;
	out->opcode = (flags >> 11) & 0xf;
	out->aa = (flags >> 10) & 1;
	out->tc = (flags >> 9) & 1;
	out->rd = (flags >> 8) & 1;
	out->ra = (flags >> 7) & 1;
	out->z = (flags >> 6) & 1;
	out->ad = (flags >> 5) & 1;
	out->cd = (flags >> 4) & 1;
	out->rcode = flags & 0xf;
	/* 0 Query, 1 IQuery, 2 Status, 4 Notify, 5 Update, 6 DSO */
	if (out->opcode == 3 || out->opcode > 6)
		return -1;
	need = (unsigned long)out->qdcount * MIN_QUESTION +
	       ((unsigned long)out->ancount + out->nscount + out->arcount) *
	       MIN_RR;
	return need > MAX_MSG - SV_DNS_HDR_LEN ? -1 : 0;
}

enum sv_dns_status sv_dns_parse(const uint8_t *msg, size_t n,
				struct sv_dns_msg *out)
{
	static const uint8_t empty[1];
	struct dns_ctx x = {msg ? msg : empty, msg ? n : 0, out, NULL};
	struct sv_cursor c = sv_cursor_make(x.msg, x.n);
	unsigned i;
	int r = R_OK;

	memset(out, 0, sizeof(*out));
	if (x.n < SV_DNS_HDR_LEN) {
		out->truncated = 1;
		out->why = "shorter than a DNS header";
		return SV_DNS_MALFORMED;
	}
	if (dns_header(&c, out) != 0) {
		out->why = "impossible opcode or counts";
		return SV_DNS_NOT_DNS;
	}
	for (i = 0; i < out->qdcount && r == R_OK; i++)
		r = dns_question(&x, &c, i == 0);
	if (r == R_OK)
		r = dns_sections(&x, &c);
	out->why = x.why;
	if (r == R_BAD)
		return SV_DNS_MALFORMED;
	if (r == R_TRUNC)
		out->truncated = 1;
	else
		out->trailing = sv_cursor_left(&c);
	return SV_DNS_OK;
}

/* ------------------------------------------------------- names */

struct dns_tok {
	unsigned v;
	const char *s;
};

/* IANA "Resource Record (RR) TYPEs", the ones seen in practice. */
static const struct dns_tok dns_types[] = {
	{1, "A"}, {2, "NS"}, {5, "CNAME"}, {6, "SOA"}, {12, "PTR"},
	{13, "HINFO"}, {15, "MX"}, {16, "TXT"}, {17, "RP"}, {18, "AFSDB"},
	{24, "SIG"}, {25, "KEY"}, {28, "AAAA"}, {29, "LOC"}, {33, "SRV"},
	{35, "NAPTR"}, {36, "KX"}, {37, "CERT"}, {39, "DNAME"}, {41, "OPT"},
	{42, "APL"}, {43, "DS"}, {44, "SSHFP"}, {45, "IPSECKEY"},
	{46, "RRSIG"}, {47, "NSEC"}, {48, "DNSKEY"}, {49, "DHCID"},
	{50, "NSEC3"}, {51, "NSEC3PARAM"}, {52, "TLSA"}, {53, "SMIMEA"},
	{55, "HIP"}, {59, "CDS"}, {60, "CDNSKEY"}, {61, "OPENPGPKEY"},
	{62, "CSYNC"}, {63, "ZONEMD"}, {64, "SVCB"}, {65, "HTTPS"},
	{99, "SPF"}, {108, "EUI48"}, {109, "EUI64"}, {249, "TKEY"},
	{250, "TSIG"}, {251, "IXFR"}, {252, "AXFR"}, {255, "ANY"},
	{256, "URI"}, {257, "CAA"},
};

/* IANA "DNS RCODEs" (RFC 6895 2.3); 12..15 are unassigned. */
static const struct dns_tok dns_rcodes[] = {
	{0, "NOERROR"}, {1, "FORMERR"}, {2, "SERVFAIL"}, {3, "NXDOMAIN"},
	{4, "NOTIMP"}, {5, "REFUSED"}, {6, "YXDOMAIN"}, {7, "YXRRSET"},
	{8, "NXRRSET"}, {9, "NOTAUTH"}, {10, "NOTZONE"}, {11, "DSOTYPENI"},
	{16, "BADVERS"}, {17, "BADKEY"}, {18, "BADTIME"}, {19, "BADMODE"},
	{20, "BADNAME"}, {21, "BADALG"}, {22, "BADTRUNC"}, {23, "BADCOOKIE"},
};

static const char *dns_tok_find(const struct dns_tok *t, size_t n,
				unsigned v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].s;
	return NULL;
}

const char *sv_dns_type_name(uint16_t type)
{
	return dns_tok_find(dns_types, sizeof(dns_types) / sizeof(*dns_types),
			    type);
}

const char *sv_dns_rcode_name(int rcode)
{
	if (rcode < 0)
		return NULL;
	return dns_tok_find(dns_rcodes,
			    sizeof(dns_rcodes) / sizeof(*dns_rcodes),
			    (unsigned)rcode);
}

size_t sv_dns_tcp_len(const uint8_t *p, size_t n)
{
	static const uint8_t empty[1];
	struct sv_cursor c = p ? sv_cursor_make(p, n) :
				 sv_cursor_make(empty, 0);

	return sv_get_be16(&c);
}
