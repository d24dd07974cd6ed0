/*
 * sv_netapp.h - the application layer of flows: DNS, TLS, HTTP/1.x, SSH
 * and Stratum, found in the packets a flow table accounted.
 *
 * Input: every packet sv_flows_add() accounted, with its flow and
 * direction. The parsers themselves are pure functions in formats/net/
 * (sv_dns, sv_tls, sv_http, sv_ssh, sv_stratum); this module decides
 * which bytes each one sees.
 *
 *  - UDP: a datagram to or from port 53, 5353 or 5355 is one DNS message.
 *  - TCP: each direction is a stream from the offset of its first
 *    payload segment. Messages are parsed where they start; a parser
 *    that needs more than one segment holds gets the following in-order
 *    segments copied into a buffer (at most SV_APP_MAX_NEED bytes, and
 *    limits.buffer_bytes over all streams). A retransmission is trimmed
 *    to its new bytes; a gap (a lost or reordered segment) ends parsing
 *    of that stream, counted in stats.gaps. The first bytes pick the
 *    parser: 0x16 TLS, "SSH-" SSH, '{' Stratum, "HTTP/" an HTTP
 *    response, a letter an HTTP request; port 53 DNS over TCP (RFC 7766,
 *    2-byte length before each message). HTTP and DNS go on message
 *    after message (bodies skipped by Content-Length) up to
 *    SV_APP_MSGS_PER_STREAM; the others stop at their first result.
 *
 * Memory stays small on captures with millions of flows: a stream state
 * is taken from a pool only while its parser is undecided (at most
 * limits.max_streams at once; more are counted in stats.streams_untracked
 * and not parsed) and given back when it is done. Events are kept up to
 * limits.max_events (more are counted in stats.events_dropped).
 *
 * Output (all in the arena given to sv_netapp_new, outliving
 * sv_netapp_free): flow->app for each flow with a result, a list of
 * events in capture order, and, after sv_netapp_finish(), flow->name_a /
 * name_b: the name a DNS answer in the capture gave to that address (the
 * first one; the question's name, which is what the client asked for).
 */
#ifndef SV_NETAPP_H
#define SV_NETAPP_H

#include <stdint.h>

#include "sv_arena.h"
#include "sv_decode.h"
#include "sv_flows.h"

enum sv_app_kind {
	SV_APPK_DNS = 0,
	SV_APPK_TLS,
	SV_APPK_HTTP,
	SV_APPK_SSH,
	SV_APPK_STRATUM,
	SV_APPK_COUNT
};

const char *sv_app_kind_name(enum sv_app_kind k); /* "dns", "tls", ... */

#define SV_APP_MSGS_PER_STREAM 64

struct sv_dns_answer {
	const char *name;
	uint16_t type;
	uint32_t ttl;
	int family;            /* 4 or 6 for A / AAAA, else 0 */
	uint8_t addr[16];
	const char *data;      /* target name or TXT, "" otherwise */
};

struct sv_dns_event {
	uint16_t id;
	int response, rcode, opcode;
	int tcp;
	int truncated;         /* the message ended early */
	const char *qname;     /* "" without a question */
	uint16_t qtype;
	int labels, longest_label;
	double entropy;        /* bits per character, see sv_dns.h */
	int answers_total;
	int n_answers;         /* kept, in answers */
	const struct sv_dns_answer *answers;
};

struct sv_http_event {
	const char *method, *target, *host, *user_agent;
	int version_minor;
	int64_t content_length;  /* request body; -1 unknown */
	int upgrade;
	int status;              /* of the response paired with it; 0 none */
	int64_t response_length; /* -1 unknown */
};

struct sv_tls_event {
	uint16_t version;
	const char *sni, *alpn, *ja3, *ja3_md5;
	int ech;
};

struct sv_ssh_event {
	const char *proto, *software, *comments;
};

struct sv_stratum_event {
	const char *method, *user, *agent;
};

struct sv_app_event {
	enum sv_app_kind kind;
	int64_t ts_ns;
	const struct sv_flow *flow;
	int from_a;              /* sent by the flow's a end */
	int malformed;           /* the parser found the protocol broken */
	union {
		struct sv_dns_event dns;
		struct sv_http_event http;
		struct sv_tls_event tls;
		struct sv_ssh_event ssh;
		struct sv_stratum_event stratum;
	} u;
	struct sv_app_event *next;      /* capture order */
	struct sv_app_event *flow_next; /* this flow's next event */
};

/* What one flow's application layer showed. */
struct sv_flow_app {
	uint32_t kinds;        /* bit 1u << SV_APPK_* for each kind seen */
	const struct sv_app_event *first[SV_APPK_COUNT]; /* kept, or NULL */
	const struct sv_app_event *events;  /* this flow's, via flow_next */
	uint32_t n_events;     /* seen on the flow, kept or not */
	struct sv_app_event *last_event;
	struct sv_app_event *http_wait; /* oldest request not answered */
};

struct sv_netapp_limits {
	uint64_t max_events;    /* default 200000 */
	uint64_t max_streams;   /* undecided TCP streams at once; 262144 */
	uint64_t buffer_bytes;  /* buffered over all streams; 64 MiB */
	uint64_t max_names;     /* address -> name entries; 1000000 */
};

struct sv_netapp_stats {
	uint64_t events[SV_APPK_COUNT];    /* seen, kept or not */
	uint64_t malformed[SV_APPK_COUNT];
	uint64_t dns_truncated;
	uint64_t events_dropped;     /* over max_events */
	uint64_t streams;            /* TCP directions with payload */
	uint64_t streams_untracked;  /* over max_streams */
	uint64_t streams_unknown;    /* no parser recognised the bytes */
	uint64_t gaps;               /* parsing ended at a missing segment */
	uint64_t buffer_refused;     /* buffering refused: over the cap */
	uint64_t buffer_peak;        /* bytes buffered at once, at most */
	uint64_t names;              /* addresses named from DNS */
	uint64_t names_dropped;
	uint64_t nomem;
};

struct sv_netapp;

/* lim may be NULL (defaults; 0 in a field is its default too). NULL
 * when out of memory. */
struct sv_netapp *sv_netapp_new(struct sv_arena *arena,
				const struct sv_netapp_limits *lim);

/* Frees pools, buffers and tables; events and flow->app stay. */
void sv_netapp_free(struct sv_netapp *na);

/* One packet accounted to fl going dir (0 a->b, 1 b->a) at ts_ns. */
void sv_netapp_packet(struct sv_netapp *na, struct sv_flow *fl, int dir,
		      const struct sv_packet *p, int64_t ts_ns);

/* After the last packet: names the flows' addresses from DNS answers
 * and lets go of every stream still open. */
void sv_netapp_finish(struct sv_netapp *na, struct sv_flow *list);

const struct sv_app_event *sv_netapp_events(const struct sv_netapp *na);
const struct sv_netapp_stats *sv_netapp_stats(const struct sv_netapp *na);

#endif
