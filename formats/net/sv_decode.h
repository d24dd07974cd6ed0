/*
 * sv_decode.h - decode one captured frame: link layer, IP, transport.
 *
 * A pure function over bytes (no I/O, no libpcap): the caller reads the
 * capture and hands each frame here with the capture's link type.
 * Every read goes through sv_cursor, so nothing outside
 * [frame, frame + caplen) is ever touched (tcpdump's GET_* discipline).
 *
 * Link types are the LINKTYPE_* numbers of pcap files and pcapng IDBs
 * (https://www.tcpdump.org/linktypes.html). libpcap's pcap_datalink()
 * returns DLT_* values, which equal the LINKTYPE for everything here
 * except raw IP: DLT_RAW is 12 (14 on OpenBSD) for LINKTYPE_RAW 101,
 * so 12 and 14 are accepted as raw IP too.
 */
#ifndef SV_DECODE_H
#define SV_DECODE_H

#include <stddef.h>
#include <stdint.h>

enum sv_linktype {
	SV_LINK_NULL = 0,      /* BSD loopback, AF in host byte order */
	SV_LINK_ETHERNET = 1,
	SV_LINK_DLT_RAW = 12,  /* DLT_RAW as pcap_datalink() reports it */
	SV_LINK_DLT_RAW_OBSD = 14,
	SV_LINK_RAW = 101,     /* raw IPv4 or IPv6, version from nibble */
	SV_LINK_LOOP = 108,    /* OpenBSD loopback, AF in network order */
	SV_LINK_SLL = 113,     /* Linux cooked v1 */
	SV_LINK_IPV4 = 228,
	SV_LINK_IPV6 = 229,
	SV_LINK_NFLOG = 239,   /* Linux netfilter log (tcpdump -i nflog:N) */
	SV_LINK_SLL2 = 276     /* Linux cooked v2 (tcpdump -i any) */
};

/* sv_packet.l3 */
enum sv_l3 {
	SV_L3_NONE = 0,   /* no network layer reached (truncated, 802.3) */
	SV_L3_IPV4 = 4,
	SV_L3_IPV6 = 6,
	SV_L3_ARP = 8,
	SV_L3_OTHER = 9   /* an EtherType we do not decode (see ethertype) */
};

/* sv_packet.fragment */
enum sv_frag {
	SV_FRAG_NONE = 0,
	SV_FRAG_FIRST = 1,  /* offset 0, more to come: L4 header present */
	SV_FRAG_LATER = 2   /* offset > 0: no L4 header, payload is data */
};

/* sv_packet.sll_pkttype when the link type carries none */
#define SV_PKTTYPE_NONE (-1)

/* TCP flag bits in sv_packet.tcp_flags (RFC 9293 3.1, RFC 3168 23.2) */
#define SV_TCP_FIN 0x01
#define SV_TCP_SYN 0x02
#define SV_TCP_RST 0x04
#define SV_TCP_PSH 0x08
#define SV_TCP_ACK 0x10
#define SV_TCP_URG 0x20
#define SV_TCP_ECE 0x40
#define SV_TCP_CWR 0x80

/* Most IPv6 extension headers followed before giving up (malformed). */
#define SV_IP6_MAX_EXT 8
/* Most VLAN tags recorded; a deeper stack is marked malformed. */
#define SV_MAX_VLAN 2

struct sv_packet {
	int l3;                /* enum sv_l3 */
	uint16_t ethertype;    /* of the network layer, 0 for NULL/raw */
	uint16_t vlan[SV_MAX_VLAN]; /* VLAN IDs (12 bits), outermost first */
	int nvlan;
	int sll_pkttype;       /* SLL/SLL2: 0 to us, 4 outgoing; else -1 */
	int ifindex;           /* SLL2 interface index, else 0 */

	uint8_t src[16], dst[16];  /* IPv4 in the first 4 bytes */
	uint8_t ttl;               /* IPv4 TTL, IPv6 hop limit */
	uint32_t ip_len;       /* total length the IP header claims */
	int next_hdrs;         /* IPv6 extension headers followed */

	int fragment;          /* enum sv_frag */
	uint32_t frag_id;      /* IPv4 ID or IPv6 fragment identification */
	uint32_t frag_off;     /* in bytes */

	uint8_t proto;         /* transport IPPROTO_*, after v6 ext headers */
	int l4;                /* 1 when the transport header was decoded */
	uint16_t sport, dport;
	uint8_t tcp_flags;     /* SV_TCP_* */
	uint32_t seq, ack;
	uint16_t tcp_win;
	uint8_t icmp_type, icmp_code;

	/*
	 * Transport payload actually captured, borrowed from the frame: after
	 * the TCP header, the UDP header, the 4-byte ICMP header; for other
	 * protocols and later fragments, the whole IP payload. Bounded by the
	 * IP (and UDP) length, so Ethernet padding is not payload.
	 * payload is NULL when decoding stopped before it; otherwise it
	 * points where the payload starts (payload - frame is the header
	 * length), even when payload_len is 0.
	 */
	const uint8_t *payload;
	size_t payload_len;
	uint32_t payload_claimed; /* the length the headers claim */

	int truncated;   /* the capture (snaplen) cut a header */
	int malformed;   /* a header is impossible (bad version, IHL < 5...) */
};

/*
 * Decode one frame of link type linktype (enum sv_linktype). Fills every
 * field of *out (zero, or -1 for sll_pkttype, when absent); pointers in
 * *out borrow from frame. frame may be NULL when caplen is 0.
 * Returns 0, or -1 for an unsupported link type (*out then all zero
 * apart from sll_pkttype). Truncated or malformed frames return 0 with
 * the flag set and whatever was decoded before the fault.
 */
int sv_decode(int linktype, const uint8_t *frame, size_t caplen,
	      struct sv_packet *out);

#endif
