/*
 * sv_flows.c - bidirectional flow table (see sv_flows.h for the rules).
 *
 * Layout:
 *   table  open addressing, linear probing, power-of-two slots of
 *          {hash, node}; grows at 1/2 load; no deletion (an idle flow's
 *          slot is taken over by its successor), so no tombstones.
 *   node   struct flow_node in the arena: the public sv_flow first, then
 *          the de-duplication state of each direction.
 *   frags  direct-mapped cache (src, dst, id) -> node for later fragments.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "sv_flows.h"

#define FLOWS_MIN_SLOTS 1024u
#define FRAG_SLOTS 1024u
#define DUP_HASH_BYTES 64u
#define PROTO_TCP 6
#define PROTO_UDP 17

/*
 * What identifies one IP packet for de-duplication: its interface, time,
 * and a 64-bit signature of IP ID, IP length, TCP seq, ack and flags,
 * payload length and a hash of the payload's first bytes (a collision
 * inside one flow, direction and millisecond is a 2^-64 event). Kept in
 * 24 bytes per direction because every flow carries two: a capture with
 * a million flows pays for this. ifindex 0 (no SLL2) never de-duplicates.
 */
struct pkt_ident {
	int64_t ts_ns;
	uint64_t sig;
	int32_t ifindex;
};

struct flow_node {
	struct sv_flow pub;     /* first: list pointers are to this */
	struct pkt_ident last[2];  /* [0] a->b, [1] b->a */
};

struct slot {
	uint64_t hash;
	struct flow_node *node;
};

struct frag_slot {
	uint8_t family;
	uint32_t id;
	uint8_t src[16], dst[16];
	struct flow_node *node;
};

struct sv_flows {
	struct sv_arena *arena;     /* borrowed */
	struct sv_flows_limits lim;
	struct slot *slots;         /* owned, sv_big_calloc */
	size_t nslots, used;
	struct frag_slot *frags;    /* owned, malloc */
	struct flow_node *head, *tail;
	struct sv_flows_stats st;
};

/* The packet's key, in its own orientation. */
struct pkt_key {
	uint8_t family, proto;
	const uint8_t *src, *dst;
	uint16_t sport, dport;
	size_t alen;
};

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

/* (addr, port) of one end, ordered: negative when x sorts before y. */
static int end_cmp(const uint8_t *xa, uint16_t xp, const uint8_t *ya,
		   uint16_t yp, size_t alen)
{
	int c = memcmp(xa, ya, alen);

	if (c)
		return c;
	return (int)xp - (int)yp;
}

/* Direction-independent hash: the lower end is hashed first. */
static uint64_t key_hash(const struct pkt_key *k)
{
	const uint8_t *lo = k->src, *hi = k->dst;
	uint16_t lp = k->sport, hp = k->dport;
	uint8_t ports[4], hdr[2] = {k->family, k->proto};
	uint64_t h = 14695981039346656037ull;

	if (end_cmp(k->src, k->sport, k->dst, k->dport, k->alen) > 0) {
		lo = k->dst;
		hi = k->src;
		lp = k->dport;
		hp = k->sport;
	}
	ports[0] = (uint8_t)(lp >> 8);
	ports[1] = (uint8_t)lp;
	ports[2] = (uint8_t)(hp >> 8);
	ports[3] = (uint8_t)hp;
	h = fnv(h, hdr, sizeof(hdr));
	h = fnv(h, lo, k->alen);
	h = fnv(h, hi, k->alen);
	return mix(fnv(h, ports, sizeof(ports)));
}

/* 0: the flow is a->b = src->dst, 1: b->a, -1: another flow. */
static int key_dir(const struct sv_flow *fl, const struct pkt_key *k)
{
	if (fl->family != k->family || fl->proto != k->proto)
		return -1;
	if (fl->a_port == k->sport && fl->b_port == k->dport &&
	    !memcmp(fl->a_addr, k->src, k->alen) &&
	    !memcmp(fl->b_addr, k->dst, k->alen))
		return 0;
	if (fl->a_port == k->dport && fl->b_port == k->sport &&
	    !memcmp(fl->a_addr, k->dst, k->alen) &&
	    !memcmp(fl->b_addr, k->src, k->alen))
		return 1;
	return -1;
}

struct sv_flows *sv_flows_new(struct sv_arena *arena,
			      const struct sv_flows_limits *lim)
{
	struct sv_flows *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->arena = arena;
	if (lim)
		f->lim = *lim;
	if (!f->lim.max_flows)
		f->lim.max_flows = SV_FLOWS_DEFAULT_MAX;
	if (f->lim.idle_timeout_ns <= 0)
		f->lim.idle_timeout_ns = SV_FLOWS_DEFAULT_IDLE_NS;
	if (f->lim.dup_window_ns <= 0)
		f->lim.dup_window_ns = SV_FLOWS_DEFAULT_DUP_NS;
	f->nslots = FLOWS_MIN_SLOTS;
	f->slots = sv_big_calloc(f->nslots * sizeof(*f->slots));
	f->frags = calloc(FRAG_SLOTS, sizeof(*f->frags));
	if (!f->slots || !f->frags) {
		sv_flows_free(f);
		return NULL;
	}
	return f;
}

void sv_flows_free(struct sv_flows *f)
{
	if (!f)
		return;
	if (f->slots)
		sv_big_free(f->slots, f->nslots * sizeof(*f->slots));
	free(f->frags);
	free(f);
}

/* Slot holding the key's flow, or the empty slot where it would go. */
static struct slot *find_slot(struct slot *slots, size_t nslots,
			      uint64_t h, const struct pkt_key *k)
{
	size_t i = (size_t)h & (nslots - 1);

	for (;;) {
		struct slot *s = &slots[i];

		if (!s->node)
			return s;
		if (s->hash == h && (!k || key_dir(&s->node->pub, k) >= 0))
			return s;
		i = (i + 1) & (nslots - 1);
	}
}

/* Doubles the table. Returns 0, or -1 when out of memory (unchanged). */
static int grow(struct sv_flows *f)
{
	size_t n = f->nslots * 2, i;
	struct slot *s;

	if (n > SIZE_MAX / sizeof(*s))
		return -1;
	s = sv_big_calloc(n * sizeof(*s));
	if (!s)
		return -1;
	for (i = 0; i < f->nslots; i++) {
		struct slot *o = &f->slots[i], *d;

		if (!o->node)
			continue;
		/* keys are unique in the table: the first free slot is it */
		d = &s[(size_t)o->hash & (n - 1)];
		while (d->node)
			d = (d + 1 == s + n) ? s : d + 1;
		*d = *o;
	}
	sv_big_free(f->slots, f->nslots * sizeof(*f->slots));
	f->slots = s;
	f->nslots = n;
	return 0;
}

/* x - y > gap, without overflow for any timestamps (gap >= 0). */
static int later_than(int64_t x, int64_t y, int64_t gap)
{
	return x > y && (uint64_t)x - (uint64_t)y > (uint64_t)gap;
}

/* A new flow record for k (a = src), or NULL (limit, out of memory). */
static struct flow_node *node_new(struct sv_flows *f,
				  const struct pkt_key *k, int64_t ts_ns)
{
	struct flow_node *n;

	if (f->st.flows >= f->lim.max_flows) {
		f->st.dropped_over_limit++;
		return NULL;
	}
	n = sv_arena_alloc(f->arena, sizeof(*n));
	if (!n) {
		f->st.dropped_nomem++;
		return NULL;
	}
	n->pub.family = k->family;
	n->pub.proto = k->proto;
	memcpy(n->pub.a_addr, k->src, k->alen);
	memcpy(n->pub.b_addr, k->dst, k->alen);
	n->pub.a_port = k->sport;
	n->pub.b_port = k->dport;
	n->pub.first_ns = ts_ns;
	n->pub.last_ns = ts_ns;
	if (f->tail)
		f->tail->pub.next = &n->pub;
	else
		f->head = n;
	f->tail = n;
	n->pub.id = ++f->st.flows;
	return n;
}

/*
 * The flow of k, created or renewed as needed; *dir gets 0 for a->b, 1
 * for b->a. NULL when the packet cannot be accounted (counted). syn: the
 * packet is a pure TCP SYN, which after a FIN or RST on the same tuple
 * opens a new connection (a client reusing its port).
 */
static struct flow_node *lookup(struct sv_flows *f, const struct pkt_key *k,
				int64_t ts_ns, int syn, int *dir)
{
	uint64_t h = key_hash(k);
	struct slot *s = find_slot(f->slots, f->nslots, h, k);
	struct flow_node *n;

	if (s->node) {
		int idle, reopen;

		n = s->node;
		idle = later_than(ts_ns, n->pub.last_ns,
				  f->lim.idle_timeout_ns);
		reopen = syn && (n->pub.fin_seen || n->pub.rst_seen);
		if (!idle && !reopen) {
			*dir = key_dir(&n->pub, k);
			return n;
		}
		if (idle)
			n->pub.ended_idle = 1;
		n = node_new(f, k, ts_ns);
		if (!n)
			return NULL;
		if (idle)
			f->st.evicted_idle++;
		else
			f->st.reopened++;
		s->node = n;
		*dir = 0;
		return n;
	}
	if ((f->used + 1) * 2 > f->nslots) {
		if (grow(f) < 0) {
			f->st.dropped_nomem++;
			return NULL;
		}
		s = find_slot(f->slots, f->nslots, h, NULL);
	}
	n = node_new(f, k, ts_ns);
	if (!n)
		return NULL;
	s->hash = h;
	s->node = n;
	f->used++;
	*dir = 0;
	return n;
}

static void swap_ends(struct sv_flow *fl)
{
	struct sv_stream *st;
	uint8_t t[16];
	uint16_t tp = fl->a_port;
	uint64_t tc = fl->pkts_ab;

	memcpy(t, fl->a_addr, 16);
	memcpy(fl->a_addr, fl->b_addr, 16);
	memcpy(fl->b_addr, t, 16);
	fl->a_port = fl->b_port;
	fl->b_port = tp;
	fl->pkts_ab = fl->pkts_ba;
	fl->pkts_ba = tc;
	tc = fl->bytes_ab;
	fl->bytes_ab = fl->bytes_ba;
	fl->bytes_ba = tc;
	st = fl->stream[0];
	fl->stream[0] = fl->stream[1];
	fl->stream[1] = st;
}

/* TCP flags of a packet going dir; may swap the ends (see the header). */
static void tcp_track(struct flow_node *n, uint8_t fl, int *dir,
		      int first)
{
	struct sv_flow *p = &n->pub;
	int syn = (fl & (SV_TCP_SYN | SV_TCP_ACK)) == SV_TCP_SYN;
	int synack = (fl & (SV_TCP_SYN | SV_TCP_ACK)) ==
		     (SV_TCP_SYN | SV_TCP_ACK);
	struct pkt_ident t;

	if ((first && synack) || (*dir == 1 && syn && !p->syn_seen)) {
		swap_ends(p);
		t = n->last[0];
		n->last[0] = n->last[1];
		n->last[1] = t;
		*dir = !*dir;
	}
	if (syn)
		p->syn_seen = 1;
	if (synack && *dir == 1)
		p->synack_seen = 1;
	if (fl & SV_TCP_FIN)
		p->fin_seen = 1;
	if (fl & SV_TCP_RST)
		p->rst_seen = 1;
	if (*dir == 0 && !syn && (fl & SV_TCP_ACK) && p->synack_seen)
		p->established = 1;
}

static void ident_of(const struct sv_packet *p, int64_t ts_ns,
		     struct pkt_ident *id)
{
	size_t n = p->payload_len < DUP_HASH_BYTES ? p->payload_len
						   : DUP_HASH_BYTES;
	uint32_t f[7];
	uint64_t h;

	id->ifindex = p->ifindex;
	id->ts_ns = ts_ns;
	if (!p->ifindex) {
		id->sig = 0; /* never compared: skip the hashing */
		return;
	}
	f[0] = p->frag_id;
	f[1] = p->ip_len;
	f[2] = p->seq;
	f[3] = p->ack;
	f[4] = p->tcp_flags;
	f[5] = (uint32_t)p->payload_len;
	f[6] = 0;
	h = fnv(14695981039346656037ull, (const uint8_t *)f, sizeof(f));
	if (p->payload)
		h = fnv(h, p->payload, n);
	id->sig = mix(h);
}

static int is_dup(const struct pkt_ident *last, const struct pkt_ident *id,
		  int64_t window)
{
	if (!id->ifindex || !last->ifindex || id->ifindex == last->ifindex)
		return 0;
	if (later_than(id->ts_ns, last->ts_ns, window) ||
	    later_than(last->ts_ns, id->ts_ns, window))
		return 0;
	return last->sig == id->sig;
}

static size_t frag_index(uint8_t family, const uint8_t *src,
			 const uint8_t *dst, uint32_t id)
{
	uint8_t b[5] = {family, (uint8_t)(id >> 24), (uint8_t)(id >> 16),
			(uint8_t)(id >> 8), (uint8_t)id};
	uint64_t h = fnv(14695981039346656037ull, b, sizeof(b));

	h = fnv(h, src, 16);
	h = fnv(h, dst, 16);
	return (size_t)mix(h) & (FRAG_SLOTS - 1);
}

static void frag_remember(struct sv_flows *f, const struct sv_packet *p,
			  struct flow_node *n)
{
	struct frag_slot *s = &f->frags[frag_index((uint8_t)p->l3, p->src,
						   p->dst, p->frag_id)];

	s->family = (uint8_t)p->l3;
	s->id = p->frag_id;
	memcpy(s->src, p->src, 16);
	memcpy(s->dst, p->dst, 16);
	s->node = n;
}

/* A later fragment: bytes to its first fragment's flow, if known. */
static void frag_later(struct sv_flows *f, const struct sv_packet *p,
		       int64_t ts_ns, uint64_t bytes)
{
	struct frag_slot *s = &f->frags[frag_index((uint8_t)p->l3, p->src,
						   p->dst, p->frag_id)];
	struct sv_flow *fl;

	f->st.fragments_later++;
	if (!s->node || s->family != p->l3 || s->id != p->frag_id ||
	    memcmp(s->src, p->src, 16) || memcmp(s->dst, p->dst, 16)) {
		f->st.fragments_unmatched++;
		return;
	}
	fl = &s->node->pub;
	if (!memcmp(fl->a_addr, p->src, 16))
		fl->bytes_ab += bytes;
	else
		fl->bytes_ba += bytes;
	fl->frag_bytes += bytes;
	if (ts_ns > fl->last_ns)
		fl->last_ns = ts_ns;
}

/* Fills k from p. Returns 0, or -1 when p has no usable key (counted). */
static int key_of(struct sv_flows *f, const struct sv_packet *p,
		  struct pkt_key *k)
{
	memset(k, 0, sizeof(*k));
	k->family = (uint8_t)p->l3;
	k->proto = p->proto;
	k->src = p->src;
	k->dst = p->dst;
	k->alen = p->l3 == SV_L3_IPV4 ? 4 : 16;
	if (p->proto == PROTO_TCP || p->proto == PROTO_UDP) {
		if (!p->l4) {
			f->st.no_ports++;
			return -1;
		}
		k->sport = p->sport;
		k->dport = p->dport;
	}
	return 0;
}

static void account(struct flow_node *n, const struct sv_packet *p,
		    int dir, int64_t ts_ns, uint64_t bytes)
{
	struct sv_flow *fl = &n->pub;

	if (dir == 0) {
		fl->pkts_ab++;
		fl->bytes_ab += bytes;
	} else {
		fl->pkts_ba++;
		fl->bytes_ba += bytes;
	}
	if (ts_ns > fl->last_ns)
		fl->last_ns = ts_ns;
	if (ts_ns < fl->first_ns)
		fl->first_ns = ts_ns;
	ident_of(p, ts_ns, &n->last[dir]);
}

struct sv_flow *sv_flows_add(struct sv_flows *f, const struct sv_packet *p,
			     int64_t ts_ns, uint32_t wire_len, int *dir_out)
{
	struct pkt_key k;
	struct pkt_ident id;
	struct flow_node *n;
	uint64_t bytes;
	int dir, first;

	f->st.frames++;
	if (p->l3 != SV_L3_IPV4 && p->l3 != SV_L3_IPV6) {
		f->st.non_ip++;
		return NULL;
	}
	bytes = p->ip_len ? p->ip_len : wire_len;
	if (p->fragment == SV_FRAG_LATER) {
		frag_later(f, p, ts_ns, bytes);
		return NULL;
	}
	if (key_of(f, p, &k) < 0)
		return NULL;
	n = lookup(f, &k, ts_ns,
		   k.proto == PROTO_TCP &&
			   (p->tcp_flags & (SV_TCP_SYN | SV_TCP_ACK)) ==
				   SV_TCP_SYN,
		   &dir);
	if (!n)
		return NULL;
	first = n->pub.pkts_ab + n->pub.pkts_ba == 0;
	ident_of(p, ts_ns, &id);
	if (is_dup(&n->last[dir], &id, f->lim.dup_window_ns)) {
		n->pub.dup_dropped++;
		f->st.duplicates_dropped++;
		return NULL;
	}
	if (k.proto == PROTO_TCP)
		tcp_track(n, p->tcp_flags, &dir, first);
	account(n, p, dir, ts_ns, bytes);
	if (p->fragment == SV_FRAG_FIRST)
		frag_remember(f, p, n);
	*dir_out = dir;
	return &n->pub;
}

struct sv_flow *sv_flows_list(const struct sv_flows *f)
{
	return f && f->head ? &f->head->pub : NULL;
}

uint64_t sv_flows_count(const struct sv_flows *f)
{
	return f ? f->st.flows : 0;
}

const struct sv_flows_stats *sv_flows_stats(const struct sv_flows *f)
{
	return &f->st;
}

const char *sv_flow_proto_name(uint8_t p)
{
	return p == IPPROTO_TCP ? "tcp" : p == IPPROTO_UDP ? "udp"
		: p == IPPROTO_SCTP ? "sctp" : p == IPPROTO_ICMP ? "icmp"
		: p == IPPROTO_ICMPV6 ? "icmpv6" : NULL;
}

int sv_flow_addr_loopback(int family, const uint8_t *addr)
{
	static const uint8_t v6lo[16] = {[15] = 1};
	static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};

	if (family != 6)
		return addr[0] == 127;
	return !memcmp(addr, v6lo, 16) ||
	       (!memcmp(addr, mapped, 12) && addr[12] == 127);
}

int sv_flow_opener_is_b(const struct sv_flow *f)
{
	enum { EPHEMERAL_PORT = 32768 }; /* ip_local_port_range's start */

	if (f->proto == IPPROTO_TCP && (f->syn_seen || f->synack_seen))
		return 0;
	if (f->proto != IPPROTO_TCP && f->proto != IPPROTO_UDP)
		return 0;
	return f->a_port < EPHEMERAL_PORT && f->b_port >= EPHEMERAL_PORT;
}
