/*
 * sv_flows.h - a bidirectional flow table fed one decoded frame at a time.
 *
 * Input: struct sv_packet from sv_decode() (formats/net/sv_decode.h), the
 * frame's timestamp and its wire length. Output: a list of struct sv_flow
 * in creation order.
 *
 * Key: (family, proto, address and port of each end); ports are 0 for
 * protocols without them (ICMP, ...). Both directions of a conversation
 * hit one flow: the key is compared against both orientations.
 *
 * Initiator ("a"): the sender of the first packet seen, except that a
 * SYN+ACK first makes its receiver "a", and a pure SYN seen later from
 * "b" (before any SYN from "a") swaps the ends (the capture started
 * mid-handshake or out of order).
 *
 * Idle: a packet for a flow whose last_ns is older than idle_timeout_ns
 * closes that flow (ended_idle = 1, it stays in the list) and starts a
 * new one (stats.evicted_idle).
 *
 * Port reuse: a pure SYN on a tuple whose flow saw a FIN or RST starts a
 * new flow (stats.reopened); the closed one stays in the list.
 *
 * Limit: at most max_flows flow records are ever created (closed ones
 * included), so memory is bounded; a packet that would create one more
 * is counted in stats.dropped_over_limit and not accounted.
 *
 * IP fragments: a first fragment carries ports and is accounted as a
 * packet; later fragments (no ports) are matched through a small cache
 * keyed by (addresses, fragment id) to the first fragment's flow and add
 * bytes only (frag_bytes), so pkts counts datagrams. A later fragment
 * whose first was not seen (or was pushed out of the cache) is counted in
 * stats.fragments_unmatched and nowhere else.
 *
 * De-duplication (tcpdump -i any records a bridged packet twice: on the
 * container's veth and on the bridge). A packet is a duplicate, counted
 * in dup_dropped and not in pkts/bytes, when the last packet accounted in
 * the same direction of the same flow
 *   - came from a different, non-zero ifindex (SLL2 only; other link
 *     types have ifindex 0 and are never de-duplicated),
 *   - is at most dup_window_ns (default 1 ms) apart in time, and
 *   - has the same IP identity: IPv4 ID (IPv6: fragment id or 0), IP
 *     total length, TCP seq, ack and flags, transport payload length,
 *     and a hash of the first 64 captured payload bytes.
 * A retransmission on the same interface is never a duplicate. Later
 * fragments are not de-duplicated.
 *
 * Ownership: struct sv_flows owns its hash table (sv_big_calloc) and its
 * fragment cache (malloc); flow records live in the arena given to
 * sv_flows_new() and outlive sv_flows_free() until the arena is freed.
 */
#ifndef SV_FLOWS_H
#define SV_FLOWS_H

#include <stdint.h>

#include "sv_arena.h"
#include "sv_decode.h"

#define SV_FLOWS_DEFAULT_MAX 1000000u
#define SV_FLOWS_DEFAULT_IDLE_NS (300LL * 1000000000LL)
#define SV_FLOWS_DEFAULT_DUP_NS 1000000LL

/* Zero in any field means its default. */
struct sv_flows_limits {
	uint64_t max_flows;
	int64_t idle_timeout_ns;
	int64_t dup_window_ns;
};

struct sv_flow {
	uint64_t id;            /* 1, 2, ... in creation order */
	uint8_t proto;          /* IPPROTO_* */
	uint8_t family;         /* 4 or 6 */
	uint8_t a_addr[16], b_addr[16];  /* IPv4 in the first 4 bytes */
	uint16_t a_port, b_port;         /* 0 when the protocol has none */
	int64_t first_ns, last_ns;
	uint64_t pkts_ab, pkts_ba;
	uint64_t bytes_ab, bytes_ba;     /* IP total length, both ways */
	uint64_t frag_bytes;             /* of later fragments, in bytes_* */
	uint64_t dup_dropped;
	/* TCP only */
	unsigned syn_seen : 1;     /* a pure SYN from a */
	unsigned synack_seen : 1;  /* SYN+ACK from b */
	unsigned fin_seen : 1;
	unsigned rst_seen : 1;
	unsigned established : 1;  /* an ACK from a after the SYN+ACK */
	unsigned ended_idle : 1;   /* closed by the idle timeout */
	struct sv_flow *next;      /* creation order */

	/*
	 * Filled by other modules, never read here. stream[d] is the
	 * application parser's state for the direction a->b (0) or b->a
	 * (1); the table swaps the two when it swaps the ends, so they
	 * always follow their sender. app is what the application layer
	 * found (analyzer/sv_netapp.h), owner_a / owner_b who held each
	 * end (analyzer/sv_attrib.h), name_a / name_b a DNS name seen
	 * for each address. All NULL until set; all in the arena.
	 */
	struct sv_stream *stream[2];
	struct sv_flow_app *app;
	const struct sv_owner *owner_a, *owner_b;
	const char *name_a, *name_b;
};

struct sv_flows_stats {
	uint64_t frames;             /* sv_flows_add() calls */
	uint64_t non_ip;             /* no IPv4/IPv6 layer */
	uint64_t no_ports;           /* TCP/UDP cut before the ports */
	uint64_t fragments_later;    /* later fragments seen */
	uint64_t fragments_unmatched;
	uint64_t duplicates_dropped;
	uint64_t evicted_idle;
	uint64_t reopened;           /* a SYN after FIN/RST: a new flow */
	uint64_t dropped_over_limit;
	uint64_t dropped_nomem;      /* arena or table allocation failed */
	uint64_t flows;              /* flow records created */
};

struct sv_flows;

/*
 * A new, empty table. arena holds the flow records (borrowed, must
 * outlive every use of the list); lim may be NULL (all defaults).
 * Returns NULL when out of memory.
 */
struct sv_flows *sv_flows_new(struct sv_arena *arena,
			      const struct sv_flows_limits *lim);

/* Frees the table; flow records stay in the arena. NULL is a no-op. */
void sv_flows_free(struct sv_flows *f);

/*
 * Account one decoded frame seen at ts_ns; wire_len is the frame's length
 * on the wire (used for bytes only when the IP header claims no length,
 * e.g. an IPv6 jumbogram). Cannot fail: every packet not accounted is
 * counted in one of the stats.
 * Returns the flow the packet was accounted to, with *dir = 0 when it
 * went a->b and 1 when b->a; NULL (and *dir untouched) when it was not
 * accounted as a packet (duplicate, later fragment, no key, limit).
 */
struct sv_flow *sv_flows_add(struct sv_flows *f, const struct sv_packet *p,
			     int64_t ts_ns, uint32_t wire_len, int *dir);

/* The first flow created (then ->next), or NULL. Owned by the arena. */
struct sv_flow *sv_flows_list(const struct sv_flows *f);
uint64_t sv_flows_count(const struct sv_flows *f);
const struct sv_flows_stats *sv_flows_stats(const struct sv_flows *f);

/* "tcp", "udp", "sctp", "icmp", "icmpv6"; NULL for other protocols. */
const char *sv_flow_proto_name(uint8_t proto);

/* 1 when addr (an end of a flow of this family) is 127/8, ::1 or
 * ::ffff:127/104. */
int sv_flow_addr_loopback(int family, const uint8_t *addr);

/*
 * 1 when b, not a, opened the flow. a is the SYN's sender, or the first
 * sender; without a handshake in the capture the first sender may be a
 * server answering a conversation that began before the capture: a TCP
 * or UDP end that sent from a port below Linux's ephemeral range (32768)
 * to a port in it is taken for the acceptor.
 */
int sv_flow_opener_is_b(const struct sv_flow *f);

#endif
