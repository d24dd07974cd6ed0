/*
 * sv_dns.h - parse one DNS message (RFC 1035 section 4) into a flat
 * record: header, first question, the answer section, and the features
 * the models use to spot DNS tunnelling.
 *
 * A pure function over bytes: no I/O, no allocation, no global state.
 * Input: the transport payload of a UDP datagram on port 53, 5353 (mDNS,
 * RFC 6762) or 5355 (LLMNR, RFC 4795), or one DNS-over-TCP message
 * without its 2-byte length prefix (sv_dns_tcp_len finds it). Output:
 * struct sv_dns_msg, owned by the caller; every string in it is a copy,
 * NUL-terminated, so nothing borrows from the input.
 *
 * Every read goes through sv_cursor (sv_cursor.h). Header counts are
 * never trusted: each section stops at the end of the message. Names
 * follow compression pointers (RFC 1035 4.1.4) only strictly backwards,
 * before the start of the labels being read, so they cannot loop; the
 * name pointed to must end before those labels, and a name follows at
 * most SV_DNS_MAX_HOPS pointers.
 */
#ifndef SV_DNS_H
#define SV_DNS_H

#include <stddef.h>
#include <stdint.h>

#define SV_DNS_NAME_MAX 256     /* presentation form incl. NUL */
#define SV_DNS_MAX_ANSWERS 16   /* answers kept; answers_total counts all */
#define SV_DNS_WIRE_MAX 255     /* RFC 1035 3.1: a name on the wire */
/* Compression pointers followed in one name (127 labels fit in 255). */
#define SV_DNS_MAX_HOPS 128
#define SV_DNS_HDR_LEN 12

enum sv_dns_status { SV_DNS_OK = 0, SV_DNS_NOT_DNS, SV_DNS_MALFORMED };

/* A few RR types (IANA "Resource Record (RR) TYPEs") */
#define SV_DNS_T_A 1
#define SV_DNS_T_NS 2
#define SV_DNS_T_CNAME 5
#define SV_DNS_T_SOA 6
#define SV_DNS_T_PTR 12
#define SV_DNS_T_MX 15
#define SV_DNS_T_TXT 16
#define SV_DNS_T_AAAA 28
#define SV_DNS_T_SRV 33
#define SV_DNS_T_OPT 41

struct sv_dns_rr {
	char name[SV_DNS_NAME_MAX];
	uint16_t type, rclass;  /* rclass as on the wire (mDNS: bit 15 set
				   is the cache-flush flag) */
	uint32_t ttl;
	int family;             /* 4 or 6 for A / AAAA of class IN, else 0 */
	uint8_t addr[16];       /* A in the first 4 bytes */
	uint16_t pref;          /* MX preference, SRV priority, else 0 */
	uint16_t port;          /* SRV port, else 0 */
	char data[SV_DNS_NAME_MAX]; /* CNAME/NS/PTR/MX/SRV target name; TXT:
				      the first character-string, escaped;
				      else "" */
};

struct sv_dns_msg {
	uint16_t id;
	int qr, opcode, rcode, aa, tc, rd, ra;
	int z, ad, cd;          /* the reserved bit, RFC 4035 AD and CD */
	uint16_t qdcount, ancount, nscount, arcount;
	int has_question;
	char qname[SV_DNS_NAME_MAX];    /* first question */
	uint16_t qtype, qclass;
	struct sv_dns_rr answers[SV_DNS_MAX_ANSWERS];
	int n_answers;                  /* kept */
	int answers_total;              /* parsed in the answer section */
	/* features for the models (DNS tunnelling): of the first question */
	int labels;                     /* number of labels */
	int longest_label;              /* bytes */
	double entropy;                 /* Shannon bits per character of the
					   labels left of the last two */
	int truncated;   /* the message ended early: header (and maybe the
			    question) kept, later sections incomplete */
	int names_cut;   /* names or TXT strings whose presentation form did
			    not fit SV_DNS_NAME_MAX and was cut */
	size_t trailing; /* bytes after the last section (0 unless OK and
			    not truncated) */
	const char *why; /* static text saying why the status is not OK
			    (or what cut the message); NULL otherwise */
};

/*
 * Parse one DNS message of n bytes at msg (msg may be NULL when n is 0).
 * *out is zeroed, then filled as far as the message allows.
 *
 * Returns:
 *  SV_DNS_OK         the message is DNS. truncated = 1 when it ends
 *                    before the sections its header announces (a snaplen
 *                    cut, a first IP fragment): what came before the cut
 *                    is kept; a question or RR cut in the middle is not.
 *  SV_DNS_NOT_DNS    12 bytes or more, but the header cannot be DNS:
 *                    an unassigned opcode (3, or 7..15; IANA "DNS
 *                    OPCODEs") or counts no message could hold (each
 *                    question takes >= 5 bytes and each RR >= 11, and a
 *                    message is at most 65535 bytes: this judges the
 *                    header alone, so a snaplen cut does not change it).
 *                    The header fields are filled; nothing else.
 *  SV_DNS_MALFORMED  fewer than 12 bytes (truncated = 1, nothing filled),
 *                    or bytes no DNS message may hold: a label type 0x40
 *                    or 0x80, a compression pointer that does not point
 *                    strictly backwards, leads to a name that runs into
 *                    the one pointing to it, or exceeds SV_DNS_MAX_HOPS,
 *                    a name over 255 bytes on the wire, an RR whose data
 *                    contradicts its length (A not 4 bytes, a name or
 *                    TXT string running past RDLENGTH). What was parsed
 *                    before the fault is kept; why says which fault.
 *
 * Not a reason for NOT_DNS: the Z bit and any rcode (a client controls
 * them and resolvers ignore Z, so tunnels could hide behind them).
 *
 * Names are in dig's presentation form without the final dot ("." for
 * the root): inside a label the bytes " ( ) . ; \ @ $ are written as a
 * backslash and the byte, bytes <= 0x20 and >= 0x7f as \DDD (decimal).
 * TXT strings escape " ; \ the same way and bytes < 0x20 and >= 0x7f as
 * \DDD, without quotes. A string that would not fit SV_DNS_NAME_MAX is
 * cut before the escape that does not fit, and names_cut is counted.
 *
 * Features (labels, longest_label, entropy) come from the first
 * question's name as on the wire, never from the cut presentation form.
 * entropy is over the bytes of the labels left of the last two (the
 * "subdomain" of a registered domain: "x1y2.tunnel.example.com" gives
 * "x1y2" and "tunnel"), folded to lowercase because resolvers randomise
 * the case of queries (DNS 0x20); 0 when the name has 2 labels or fewer.
 */
enum sv_dns_status sv_dns_parse(const uint8_t *msg, size_t n,
				struct sv_dns_msg *out);

/* Mnemonic of an RR type ("A", "AAAA", "TXT", ...), or NULL. */
const char *sv_dns_type_name(uint16_t type);

/* Mnemonic of an RCODE ("NOERROR", "NXDOMAIN", ..., RFC 6895 2.3, with
 * the EDNS/TSIG ones up to 23), or NULL when unassigned. */
const char *sv_dns_rcode_name(int rcode);

/*
 * DNS over TCP (RFC 1035 4.2.2, RFC 7766 section 8): every message is
 * preceded by its length, 2 bytes big-endian. Returns that length when
 * the n bytes at p hold the prefix, else 0 (0 is no message either way).
 * The message is complete when 2 + the length <= n.
 */
size_t sv_dns_tcp_len(const uint8_t *p, size_t n);

#endif
