/*
 * sv_decode.c - frame decoder: link layer -> IPv4/IPv6 -> TCP/UDP/ICMP.
 *
 * Modelled on tcpdump's print-*.c dissectors: one small static function
 * per protocol, each citing its specification and drawing its header,
 * every byte read through sv_cursor (sv_cursor.h), never a struct cast
 * over the frame. A read past the captured bytes sets the cursor's
 * sticky err; the dissector then marks the packet truncated and stops.
 * A header that cannot be valid whatever the snaplen marks it malformed.
 *
 * Each layer narrows the cursor to what the layer below claims (IP total
 * length, UDP length) when that fits in the capture, so link-layer
 * padding is never taken for payload.
 */
#include "sv_decode.h"

#include <string.h>

#include "sv_cursor.h"

/* EtherTypes (IEEE 802 numbers, IANA "ieee-802-numbers") */
#define ET_IPV4 0x0800
#define ET_ARP 0x0806
#define ET_RARP 0x8035
#define ET_VLAN 0x8100   /* 802.1Q C-tag */
#define ET_QINQ 0x88a8   /* 802.1ad S-tag */
#define ET_QINQ_OLD 0x9100 /* pre-standard S-tag, still seen */
#define ET_IPV6 0x86dd
#define ET_MAX_LEN 1500  /* <= this: an 802.3 length, not a type */

/* IP protocol numbers (IANA "protocol-numbers") */
#define IPP_HOPOPTS 0
#define IPP_ICMP 1
#define IPP_TCP 6
#define IPP_UDP 17
#define IPP_ROUTING 43
#define IPP_FRAGMENT 44
#define IPP_ESP 50
#define IPP_AH 51
#define IPP_ICMPV6 58
#define IPP_NONE 59
#define IPP_DSTOPTS 60

/* Address families in NULL/LOOP headers (tcpdump print-null.c) */
#define BSD_AF_INET 2
#define BSD_AF_INET6_BSD 24     /* NetBSD, OpenBSD, BSD/OS */
#define BSD_AF_INET6_FREEBSD 28 /* FreeBSD, DragonFly */
#define BSD_AF_INET6_DARWIN 30  /* macOS, iOS */

/* Mark a truncation when the cursor overran; returns 1 if it did. */
static int sv_trunc(const struct sv_cursor *c, struct sv_packet *out)
{
	if (c->err)
		out->truncated = 1;
	return c->err;
}

/* The rest of the cursor as payload; claimed is what the header said. */
static void sv_set_payload(struct sv_cursor *c, struct sv_packet *out,
			   size_t claimed)
{
	size_t n = sv_cursor_left(c);

	out->payload = c->p;
	out->payload_len = n;
	out->payload_claimed = (uint32_t)claimed;
	c->p = c->end;
}

/*
 * Narrow *c to len bytes when the capture holds at least that many (the
 * rest is link padding) and return 1: the header's claim then bounds
 * what follows. Otherwise keep what was captured (snaplen) and return 0.
 */
static int sv_clip(struct sv_cursor *c, size_t len)
{
	if (len > sv_cursor_left(c))
		return 0;
	c->end = c->p + len;
	return 1;
}

/*
 * After decoding inside a clipped cursor, an overrun ran past what the
 * enclosing header claims, not past the capture: malformed, not cut.
 */
static void sv_unclip(int clipped, struct sv_packet *out)
{
	if (clipped && out->truncated) {
		out->truncated = 0;
		out->malformed = 1;
	}
}

/* ---------------------------------------------------------------- L4 */

/*
 * TCP, RFC 9293 section 3.1 (flags CWR/ECE: RFC 3168 section 23.2).
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Source Port          |       Destination Port        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Sequence Number                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Acknowledgment Number                      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Data |       |C|E|U|A|P|R|S|F|                               |
 *  | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |           Checksum            |         Urgent Pointer        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Options (Data Offset > 5)                  |
 *
 * Data Offset counts 32-bit words; below 5 it cannot hold the header.
 */
static void sv_dec_tcp(struct sv_cursor *c, struct sv_packet *out,
		       size_t claimed)
{
	unsigned off;

	out->sport = sv_get_be16(c);
	out->dport = sv_get_be16(c);
	out->seq = sv_get_be32(c);
	out->ack = sv_get_be32(c);
	off = (unsigned)sv_get_u8(c) >> 4;
	out->tcp_flags = sv_get_u8(c);
	out->tcp_win = sv_get_be16(c);
	(void)sv_get_be32(c); /* checksum, urgent pointer */
	if (sv_trunc(c, out))
		return;
	if (off < 5 || claimed < off * 4u) {
		out->malformed = 1;
		return;
	}
	(void)sv_get_bytes(c, (off - 5) * 4u);
	if (sv_trunc(c, out))
		return;
	out->l4 = 1;
	sv_set_payload(c, out, claimed - off * 4u);
}

/*
 * UDP, RFC 768.
 *
 *   0      7 8     15 16    23 24    31
 *  +--------+--------+--------+--------+
 *  |     Source      |   Destination   |
 *  |      Port       |      Port       |
 *  +--------+--------+--------+--------+
 *  |     Length      |    Checksum     |
 *  +--------+--------+--------+--------+
 *
 * Length covers header and data: below 8 is impossible. Length 0 is
 * legal for IPv6 jumbograms (RFC 2675), then the IP length rules.
 */
static void sv_dec_udp(struct sv_cursor *c, struct sv_packet *out)
{
	unsigned len;

	out->sport = sv_get_be16(c);
	out->dport = sv_get_be16(c);
	len = sv_get_be16(c);
	(void)sv_get_be16(c);
	if (sv_trunc(c, out))
		return;
	out->l4 = 1;
	if (len != 0 && len < 8) {
		out->malformed = 1;
		sv_set_payload(c, out, 0);
		return;
	}
	if (len >= 8)
		sv_clip(c, len - 8u);
	sv_set_payload(c, out, len >= 8 ? len - 8u : 0);
}

/*
 * ICMP, RFC 792; ICMPv6, RFC 4443 section 2.1. Both start alike:
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Type      |     Code      |          Checksum             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                     Message Body                              |
 *
 * The payload is the message body (echo id/seq, quoted IP header...).
 */
static void sv_dec_icmp(struct sv_cursor *c, struct sv_packet *out,
			size_t claimed)
{
	out->icmp_type = sv_get_u8(c);
	out->icmp_code = sv_get_u8(c);
	(void)sv_get_be16(c);
	if (sv_trunc(c, out))
		return;
	out->l4 = 1;
	sv_set_payload(c, out, claimed >= 4 ? claimed - 4 : 0);
}

/*
 * The transport named by out->proto, over the IP payload in *c; claimed
 * is the payload length the IP header states (the captured length when
 * it states none).
 */
static void sv_dec_l4(struct sv_cursor *c, struct sv_packet *out,
		      size_t claimed)
{
	if (out->fragment == SV_FRAG_LATER) {
		sv_set_payload(c, out, claimed);
		return;
	}
	switch (out->proto) {
	case IPP_TCP:
		sv_dec_tcp(c, out, claimed);
		break;
	case IPP_UDP:
		sv_dec_udp(c, out);
		break;
	case IPP_ICMP:
	case IPP_ICMPV6:
		sv_dec_icmp(c, out, claimed);
		break;
	default:
		sv_set_payload(c, out, claimed);
		break;
	}
}

/* ---------------------------------------------------------------- L3 */

/*
 * IPv4, RFC 791 section 3.1.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version|  IHL  |Type of Service|          Total Length         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Identification        |Flags|      Fragment Offset    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Time to Live |    Protocol   |         Header Checksum       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       Source Address                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Destination Address                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Options (IHL > 5)                          |
 *
 * Flags: reserved, DF, MF. Fragment Offset in 8-byte units. IHL counts
 * 32-bit words: below 5 is impossible, as is Total Length < IHL * 4.
 * Total Length 0 is written by Linux for TSO/GRO super-packets; the
 * captured length then stands in for it.
 */
static void sv_dec_ipv4(struct sv_cursor *c, struct sv_packet *out)
{
	const uint8_t *a;
	unsigned vihl, ihl, frag;
	size_t claimed;
	int clipped;

	vihl = sv_get_u8(c);
	(void)sv_get_u8(c);
	out->ip_len = sv_get_be16(c);
	out->frag_id = sv_get_be16(c);
	frag = sv_get_be16(c);
	out->ttl = sv_get_u8(c);
	out->proto = sv_get_u8(c);
	(void)sv_get_be16(c);
	a = sv_get_bytes(c, 8);
	if (sv_trunc(c, out))
		return;
	memcpy(out->src, a, 4);
	memcpy(out->dst, a + 4, 4);
	ihl = vihl & 0x0f;
	if ((vihl >> 4) != 4 || ihl < 5 ||
	    (out->ip_len != 0 && out->ip_len < ihl * 4u)) {
		out->malformed = 1;
		return;
	}
	out->l3 = SV_L3_IPV4;
	(void)sv_get_bytes(c, (ihl - 5) * 4u);
	if (sv_trunc(c, out))
		return;
	out->frag_off = (frag & 0x1fffu) * 8u;
	if (out->frag_off)
		out->fragment = SV_FRAG_LATER;
	else if (frag & 0x2000u)
		out->fragment = SV_FRAG_FIRST;
	claimed = out->ip_len ? out->ip_len - ihl * 4u : sv_cursor_left(c);
	clipped = out->ip_len ? sv_clip(c, claimed) : 0;
	sv_dec_l4(c, out, claimed);
	sv_unclip(clipped, out);
}

/*
 * IPv6 extension headers, RFC 8200 section 4 (AH: RFC 4302 section 2).
 *
 * Hop-by-Hop (0), Routing (43), Destination Options (60):
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Next Header  |  Hdr Ext Len  |  (Hdr Ext Len + 1) * 8 bytes  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * Authentication Header (51): length in 4-byte units, minus 2.
 * Fragment (44), RFC 8200 section 4.5, always 8 bytes:
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         Identification                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * ESP (50) and No Next Header (59) end the chain: what follows is opaque.
 * Each header advances the cursor, so the chain cannot loop; it is still
 * capped at SV_IP6_MAX_EXT headers. Returns 0 when the transport may be
 * decoded, -1 when decoding stops here.
 */
static int sv_dec_ip6_ext(struct sv_cursor *c, struct sv_packet *out)
{
	unsigned nh, len, frag;

	for (;;) {
		nh = out->proto;
		if (nh != IPP_HOPOPTS && nh != IPP_ROUTING &&
		    nh != IPP_DSTOPTS && nh != IPP_AH && nh != IPP_FRAGMENT)
			return 0;
		if (out->next_hdrs >= SV_IP6_MAX_EXT) {
			out->malformed = 1;
			return -1;
		}
		out->next_hdrs++;
		out->proto = sv_get_u8(c);
		len = sv_get_u8(c);
		if (nh == IPP_FRAGMENT) {
			frag = sv_get_be16(c);
			out->frag_id = sv_get_be32(c);
			out->frag_off = frag & 0xfff8u;
			out->fragment = out->frag_off ? SV_FRAG_LATER :
				(frag & 1u) ? SV_FRAG_FIRST : SV_FRAG_NONE;
		} else {
			len = nh == IPP_AH ? (len + 2) * 4u : (len + 1) * 8u;
			(void)sv_get_bytes(c, len - 2);
		}
		if (sv_trunc(c, out))
			return -1;
	}
}

/*
 * IPv6, RFC 8200 section 3.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version| Traffic Class |           Flow Label                  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Payload Length        |  Next Header  |   Hop Limit   |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                Source Address (128 bits)                      |
 *  |                Destination Address (128 bits)                 |
 *
 * Payload Length excludes this 40-byte header; 0 means a jumbogram
 * (RFC 2675) or a TSO super-packet: the captured length stands in.
 */
static void sv_dec_ipv6(struct sv_cursor *c, struct sv_packet *out)
{
	const uint8_t *a, *start;
	uint32_t ver;
	size_t plen;
	int clipped;

	ver = sv_get_be32(c);
	plen = sv_get_be16(c);
	out->proto = sv_get_u8(c);
	out->ttl = sv_get_u8(c);
	a = sv_get_bytes(c, 32);
	if (sv_trunc(c, out))
		return;
	if ((ver >> 28) != 6) {
		out->malformed = 1;
		return;
	}
	memcpy(out->src, a, 16);
	memcpy(out->dst, a + 16, 16);
	out->l3 = SV_L3_IPV6;
	out->ip_len = plen ? (uint32_t)plen + 40u : 0;
	clipped = plen ? sv_clip(c, plen) : 0;
	if (!plen)
		plen = sv_cursor_left(c);
	start = c->p;
	if (sv_dec_ip6_ext(c, out) == 0) {
		/* c ends at or before start + plen: no underflow */
		plen -= (size_t)(c->p - start);
		if (out->proto == IPP_ESP || out->proto == IPP_NONE)
			sv_set_payload(c, out, plen);
		else
			sv_dec_l4(c, out, plen);
	}
	sv_unclip(clipped, out);
}

/*
 * ARP (RFC 826) and RARP (RFC 903, the same layout): only noted
 * (l3 = ARP), as tshark's "arp" filter counts both; their addresses are
 * not needed for flows.
 */
static void sv_dec_ethertype(unsigned type, struct sv_cursor *c,
			     struct sv_packet *out)
{
	out->ethertype = (uint16_t)type;
	switch (type) {
	case ET_IPV4:
		sv_dec_ipv4(c, out);
		break;
	case ET_IPV6:
		sv_dec_ipv6(c, out);
		break;
	case ET_ARP:
	case ET_RARP:
		out->l3 = SV_L3_ARP;
		break;
	default:
		out->l3 = SV_L3_OTHER;
		break;
	}
}

/* Raw IP: the version nibble picks the header (want 0: either). */
static void sv_dec_rawip(struct sv_cursor *c, struct sv_packet *out,
			 unsigned want)
{
	unsigned v;

	if (!sv_cursor_need(c, 1)) {
		out->truncated = 1;
		return;
	}
	v = c->p[0] >> 4;
	if ((v != 4 && v != 6) || (want && v != want)) {
		out->malformed = 1;
		return;
	}
	if (v == 4)
		sv_dec_ipv4(c, out);
	else
		sv_dec_ipv6(c, out);
}

/* ---------------------------------------------------------------- L2 */

/*
 * Ethernet II, IEEE 802.3 clause 3.2, with 802.1Q / 802.1ad tags
 * (IEEE 802.1Q-2018 clause 9):
 *
 *  +-------------------+-------------------+-----------+
 *  | destination (6)   | source (6)        | type (2)  |
 *  +-------------------+-------------------+-----------+
 *  each tag, when type is 0x8100, 0x88a8 (or 0x9100):
 *  +---------------------------------+-----------+
 *  | PCP(3) DEI(1) VLAN ID(12)       | type (2)  |
 *  +---------------------------------+-----------+
 *
 * A type <= 1500 is an 802.3 length (LLC follows): not decoded. More
 * than SV_MAX_VLAN tags is treated as malformed.
 */
static void sv_dec_ether(struct sv_cursor *c, struct sv_packet *out)
{
	unsigned type, tci;

	(void)sv_get_bytes(c, 12);
	type = sv_get_be16(c);
	while (!c->err && (type == ET_VLAN || type == ET_QINQ ||
			   type == ET_QINQ_OLD)) {
		if (out->nvlan >= SV_MAX_VLAN) {
			out->malformed = 1;
			return;
		}
		tci = sv_get_be16(c);
		type = sv_get_be16(c);
		if (!c->err)
			out->vlan[out->nvlan++] = (uint16_t)(tci & 0x0fff);
	}
	if (sv_trunc(c, out))
		return;
	if (type <= ET_MAX_LEN) {
		out->l3 = SV_L3_OTHER;
		return;
	}
	sv_dec_ethertype(type, c, out);
}

/*
 * Linux cooked capture v1, https://www.tcpdump.org/linktypes/
 * LINKTYPE_LINUX_SLL.html (16 bytes, network byte order):
 *
 *  +---------------+---------------+---------------+
 *  | packet type   | ARPHRD type   | addr length   |
 *  +---------------+---------------+---------------+
 *  | link-layer address (8 bytes, zero padded)     |
 *  +---------------+-------------------------------+
 *  | protocol type |
 *  +---------------+
 *
 * Protocol types below 1536 are Linux pseudo-protocols (802.2 LLC,
 * CAN...): not decoded.
 */
static void sv_dec_sll(struct sv_cursor *c, struct sv_packet *out)
{
	unsigned type;

	out->sll_pkttype = sv_get_be16(c);
	(void)sv_get_bytes(c, 12);
	type = sv_get_be16(c);
	if (sv_trunc(c, out)) {
		out->sll_pkttype = SV_PKTTYPE_NONE;
		return;
	}
	if (type <= ET_MAX_LEN) {
		out->l3 = SV_L3_OTHER;
		return;
	}
	sv_dec_ethertype(type, c, out);
}

/*
 * Linux cooked capture v2, https://www.tcpdump.org/linktypes/
 * LINKTYPE_LINUX_SLL2.html (20 bytes, network byte order):
 *
 *  +---------------+---------------+-------------------------------+
 *  | protocol type | reserved (MBZ)| interface index               |
 *  +---------------+-------+-------+-------------------------------+
 *  | ARPHRD type   |pkttype|addrlen| link-layer address (8 bytes)  |
 *  +---------------+-------+-------+-------------------------------+
 */
static void sv_dec_sll2(struct sv_cursor *c, struct sv_packet *out)
{
	unsigned type;
	int ifindex, pkttype;

	type = sv_get_be16(c);
	(void)sv_get_be16(c);
	ifindex = (int)sv_get_be32(c);
	(void)sv_get_be16(c);
	pkttype = sv_get_u8(c);
	(void)sv_get_bytes(c, 9);
	if (sv_trunc(c, out))
		return;
	out->ifindex = ifindex;
	out->sll_pkttype = pkttype;
	if (type <= ET_MAX_LEN) {
		out->l3 = SV_L3_OTHER;
		return;
	}
	sv_dec_ethertype(type, c, out);
}

/*
 * BSD loopback, https://www.tcpdump.org/linktypes.html (LINKTYPE_NULL,
 * LINKTYPE_LOOP): a 4-byte address family, in the capturing host's byte
 * order for NULL (so either order is accepted, as tcpdump print-null.c
 * does) and in network order for LOOP.
 *
 *  +-------------------------------+
 *  | address family (4 bytes)      |
 *  +-------------------------------+
 */
static void sv_dec_null(struct sv_cursor *c, struct sv_packet *out,
			int host_order)
{
	uint32_t af = sv_get_be32(c);

	if (sv_trunc(c, out))
		return;
	if (host_order && (af & 0xffff0000u))
		af = (af >> 24) | ((af >> 8) & 0xff00u);
	switch (af) {
	case BSD_AF_INET:
		sv_dec_rawip(c, out, 4);
		break;
	case BSD_AF_INET6_BSD:
	case BSD_AF_INET6_FREEBSD:
	case BSD_AF_INET6_DARWIN:
		sv_dec_rawip(c, out, 6);
		break;
	default:
		out->l3 = SV_L3_OTHER;
		break;
	}
}

/*
 * Linux netfilter NFLOG, https://www.tcpdump.org/linktypes/
 * LINKTYPE_NFLOG.html: a 4-byte header, then TLVs to the end of the
 * frame, each padded to a multiple of 4 bytes.
 *
 *  +---------------+---------------+-------------------------------+
 *  | family (AF_)  | version (0)   | resource ID (big-endian)      |
 *  +---------------+---------------+-------------------------------+
 *  | TLV length (header included)  | TLV type                      |
 *  +-------------------------------+-------------------------------+
 *  | value ...                                 | padding to 4      |
 *
 * TLV length and type are in the byte order of the host that wrote the
 * file (libpcap rewrites them to the reading host's). The types are
 * small (1..19, linux/netfilter/nfnetlink_log.h), so a zero first type
 * byte means big-endian: both orders are accepted, as for NULL above.
 * Type 9 (NFULA_PAYLOAD) holds the packet from its network header;
 * family 2 (AF_INET) or 10 (AF_INET6) says which. A TLV shorter than
 * its own header, or a version other than 0, is malformed.
 */
#define NFLOG_AF_INET 2
#define NFLOG_AF_INET6 10
#define NFULA_PAYLOAD 9

/* Decode the payload TLV's value, len bytes claimed at c. */
static void sv_dec_nflog_payload(struct sv_cursor *c, struct sv_packet *out,
				 unsigned family, size_t len)
{
	int clipped = sv_clip(c, len);

	if (family == NFLOG_AF_INET)
		sv_dec_rawip(c, out, 4);
	else if (family == NFLOG_AF_INET6)
		sv_dec_rawip(c, out, 6);
	else
		out->l3 = SV_L3_OTHER;
	sv_unclip(clipped, out);
}

static void sv_dec_nflog(struct sv_cursor *c, struct sv_packet *out)
{
	unsigned family, version, len, type;
	const uint8_t *t;

	family = sv_get_u8(c);
	version = sv_get_u8(c);
	(void)sv_get_be16(c);
	if (sv_trunc(c, out))
		return;
	if (version != 0) {
		out->malformed = 1;
		return;
	}
	while (sv_cursor_left(c) > 0) {
		t = sv_get_bytes(c, 4);
		if (sv_trunc(c, out))
			return;
		len = t[2] == 0 ? (unsigned)t[0] << 8 | t[1] :
				  (unsigned)t[1] << 8 | t[0];
		type = t[2] == 0 ? (unsigned)t[2] << 8 | t[3] :
				   (unsigned)t[3] << 8 | t[2];
		if (len < 4) {
			out->malformed = 1;
			return;
		}
		if (type == NFULA_PAYLOAD) {
			sv_dec_nflog_payload(c, out, family, len - 4u);
			return;
		}
		if (len - 4u > sv_cursor_left(c)) {
			out->truncated = 1;
			return;
		}
		/* the last TLV's padding may be missing */
		len = ((len + 3u) & ~3u) - 4u;
		(void)sv_get_bytes(c, len < sv_cursor_left(c) ? len :
				   sv_cursor_left(c));
	}
}

int sv_decode(int linktype, const uint8_t *frame, size_t caplen,
	      struct sv_packet *out)
{
	static const uint8_t empty[1];
	struct sv_cursor c;

	memset(out, 0, sizeof(*out));
	out->sll_pkttype = SV_PKTTYPE_NONE;
	if (frame == NULL) {
		frame = empty;
		caplen = 0;
	}
	c = sv_cursor_make(frame, caplen);
	switch (linktype) {
	case SV_LINK_ETHERNET:
		sv_dec_ether(&c, out);
		break;
	case SV_LINK_SLL:
		sv_dec_sll(&c, out);
		break;
	case SV_LINK_SLL2:
		sv_dec_sll2(&c, out);
		break;
	case SV_LINK_RAW:
	case SV_LINK_DLT_RAW:
	case SV_LINK_DLT_RAW_OBSD:
		sv_dec_rawip(&c, out, 0);
		break;
	case SV_LINK_IPV4:
		sv_dec_rawip(&c, out, 4);
		break;
	case SV_LINK_IPV6:
		sv_dec_rawip(&c, out, 6);
		break;
	case SV_LINK_NULL:
		sv_dec_null(&c, out, 1);
		break;
	case SV_LINK_LOOP:
		sv_dec_null(&c, out, 0);
		break;
	case SV_LINK_NFLOG:
		sv_dec_nflog(&c, out);
		break;
	default:
		return -1;
	}
	return 0;
}
