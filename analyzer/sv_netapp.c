/*
 * sv_netapp.c - which bytes of a flow each application parser sees.
 *
 *   sv_netapp_packet ─┬─ UDP, DNS port ─────────────► sv_dns_parse ─► event
 *                     └─ TCP payload ─► stream ─► parse_one ─► event
 *                                      (offset, buffer, gap)
 */
#include "sv_netapp.h"

#include <stdlib.h>
#include <string.h>

#include "sv_appl.h"
#include "sv_dns.h"
#include "sv_http.h"
#include "sv_ssh.h"
#include "sv_stratum.h"
#include "sv_tls.h"

#define PROTO_TCP 6
#define PROTO_UDP 17

#define DEFAULT_MAX_EVENTS 200000u
#define DEFAULT_MAX_STREAMS 262144u
#define DEFAULT_BUFFER_BYTES (64u << 20)
#define DEFAULT_MAX_NAMES 1000000u
#define POOL_SLAB 4096u
#define STRATUM_LINE_MAX 4096u
/* Offsets stay far from uint32 wrap: a stream is parsed near its start. */
#define MAX_STREAM_OFFSET (1u << 30)

enum stream_proto {
	SP_UNKNOWN = 0, SP_TLS, SP_SSH, SP_STRATUM, SP_HTTP_REQ,
	SP_HTTP_RESP, SP_DNS
};

/* One direction of a TCP flow while its parser is undecided. */
struct sv_stream {
	uint32_t base;       /* sequence number of stream offset 0 */
	uint32_t msg_off;    /* where the next message starts */
	uint32_t buf_off;    /* stream offset of buf[0] */
	uint32_t len, cap;   /* bytes in buf, and its size */
	uint8_t *buf;        /* malloc'd while a message is cut */
	uint16_t msgs;       /* messages parsed */
	uint8_t proto;       /* enum stream_proto, once chosen */
	struct sv_stream *free_next;
};

/* A direction whose parsing is over: nothing more is looked at. */
static struct sv_stream stream_done;

struct pool_slab {
	struct pool_slab *next;
	struct sv_stream s[POOL_SLAB];
};

struct name_slot {
	uint8_t family;      /* 0: empty */
	uint8_t addr[16];
	const char *name;
};

struct sv_netapp {
	struct sv_arena *arena;
	struct sv_netapp_limits lim;
	struct sv_netapp_stats st;
	struct sv_app_event *head, *tail;
	uint64_t kept;
	/* stream pool */
	struct pool_slab *slabs;
	struct sv_stream *free_list;
	uint64_t live;
	uint64_t buffered;
	/* address -> name */
	struct name_slot *names;
	size_t nslots, nused;
};

/* A parser's verdict on bytes at a message start. */
struct parse_out {
	enum sv_app_status rc;
	size_t used;   /* OK: bytes of the message, body included */
	size_t need;   /* NEED_MORE: bytes wanted in total */
	int last;      /* OK: nothing worth parsing follows */
};

/* Everything parse_one needs to know about where the bytes came from. */
struct seg_ctx {
	struct sv_netapp *na;
	struct sv_flow *fl;
	int dir;
	int64_t ts_ns;
};

static uint8_t *buffer_take(struct sv_netapp *na, struct sv_stream *st);

const char *sv_app_kind_name(enum sv_app_kind k)
{
	static const char *const names[SV_APPK_COUNT] = {
		"dns", "tls", "http", "ssh", "stratum"
	};

	return (unsigned)k < SV_APPK_COUNT ? names[k] : "?";
}

/* ---- setup ---- */

struct sv_netapp *sv_netapp_new(struct sv_arena *arena,
				const struct sv_netapp_limits *lim)
{
	struct sv_netapp *na = calloc(1, sizeof(*na));

	if (!na)
		return NULL;
	na->arena = arena;
	if (lim)
		na->lim = *lim;
	if (!na->lim.max_events)
		na->lim.max_events = DEFAULT_MAX_EVENTS;
	if (!na->lim.max_streams)
		na->lim.max_streams = DEFAULT_MAX_STREAMS;
	if (!na->lim.buffer_bytes)
		na->lim.buffer_bytes = DEFAULT_BUFFER_BYTES;
	if (!na->lim.max_names)
		na->lim.max_names = DEFAULT_MAX_NAMES;
	return na;
}

static void stream_release(struct sv_netapp *na, struct sv_stream *s)
{
	if (!s || s == &stream_done)
		return;
	if (s->buf)
		free(buffer_take(na, s));
	s->free_next = na->free_list;
	na->free_list = s;
	na->live--;
}

void sv_netapp_free(struct sv_netapp *na)
{
	struct pool_slab *s, *next;
	size_t i;

	if (!na)
		return;
	for (s = na->slabs; s; s = next) {
		next = s->next;
		for (i = 0; i < POOL_SLAB; i++)
			free(s->s[i].buf);
		free(s);
	}
	free(na->names);
	free(na);
}

static struct sv_stream *stream_get(struct sv_netapp *na)
{
	struct sv_stream *s;
	size_t i;

	if (!na->free_list) {
		struct pool_slab *slab = calloc(1, sizeof(*slab));

		if (!slab) {
			na->st.nomem++;
			return NULL;
		}
		slab->next = na->slabs;
		na->slabs = slab;
		for (i = 0; i < POOL_SLAB; i++) {
			slab->s[i].free_next = na->free_list;
			na->free_list = &slab->s[i];
		}
	}
	s = na->free_list;
	na->free_list = s->free_next;
	memset(s, 0, sizeof(*s));
	na->live++;
	return s;
}

static void stream_finish(struct sv_netapp *na, struct sv_flow *fl, int dir)
{
	stream_release(na, fl->stream[dir]);
	fl->stream[dir] = &stream_done;
}

/* ---- events ---- */

static struct sv_flow_app *flow_app(struct sv_netapp *na, struct sv_flow *fl)
{
	if (!fl->app) {
		fl->app = sv_arena_calloc(na->arena, 1, sizeof(*fl->app));
		if (!fl->app)
			na->st.nomem++;
	}
	return fl->app;
}

/* A new event for fl, linked in both lists; NULL when over the cap. */
static struct sv_app_event *event_new(const struct seg_ctx *c,
				      enum sv_app_kind kind, int malformed)
{
	struct sv_netapp *na = c->na;
	struct sv_flow_app *app;
	struct sv_app_event *e;

	na->st.events[kind]++;
	if (malformed)
		na->st.malformed[kind]++;
	if (na->kept >= na->lim.max_events) {
		na->st.events_dropped++;
		if (c->fl->app)
			c->fl->app->n_events++;
		return NULL;
	}
	app = flow_app(na, c->fl);
	e = app ? sv_arena_calloc(na->arena, 1, sizeof(*e)) : NULL;
	if (!e) {
		na->st.nomem++;
		return NULL;
	}
	e->kind = kind;
	e->ts_ns = c->ts_ns;
	e->flow = c->fl;
	e->from_a = c->dir == 0;
	e->malformed = malformed;
	if (na->tail)
		na->tail->next = e;
	else
		na->head = e;
	na->tail = e;
	na->kept++;
	if (app->last_event)
		app->last_event->flow_next = e;
	else
		app->events = e;
	app->last_event = e;
	app->n_events++;
	app->kinds |= 1u << kind;
	if (!app->first[kind])
		app->first[kind] = e;
	return e;
}

/* An arena copy of a parser's (already escaped) string; "" on failure. */
static const char *keep_str(struct sv_netapp *na, const char *s)
{
	char *d;

	if (!s || !*s)
		return "";
	d = sv_arena_strdup(na->arena, s);
	if (!d) {
		na->st.nomem++;
		return "";
	}
	return d;
}

/* ---- names from DNS answers ---- */

static size_t addr_hash(int family, const uint8_t *addr)
{
	uint64_t h = 14695981039346656037ull ^ (uint64_t)family;
	int i, n = family == 4 ? 4 : 16;

	for (i = 0; i < n; i++)
		h = (h ^ addr[i]) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29));
}

static struct name_slot *name_find(struct name_slot *t, size_t nslots,
				   int family, const uint8_t *addr)
{
	size_t i = addr_hash(family, addr) & (nslots - 1);

	while (t[i].family && (t[i].family != family ||
			       memcmp(t[i].addr, addr, 16)))
		i = (i + 1) & (nslots - 1);
	return &t[i];
}

static int names_grow(struct sv_netapp *na)
{
	size_t n = na->nslots ? na->nslots * 2 : 1024, i;
	struct name_slot *t = calloc(n, sizeof(*t));

	if (!t)
		return -1;
	for (i = 0; i < na->nslots; i++)
		if (na->names[i].family)
			*name_find(t, n, na->names[i].family,
				   na->names[i].addr) = na->names[i];
	free(na->names);
	na->names = t;
	na->nslots = n;
	return 0;
}

static void name_learn(struct sv_netapp *na, int family, const uint8_t *addr,
		       const char *name)
{
	uint8_t key[16] = {0};
	struct name_slot *s;

	memcpy(key, addr, family == 4 ? 4 : 16);
	if (na->nused >= na->lim.max_names) {
		na->st.names_dropped++;
		return;
	}
	if ((na->nused + 1) * 2 > na->nslots && names_grow(na)) {
		na->st.nomem++;
		return;
	}
	s = name_find(na->names, na->nslots, family, key);
	if (s->family)
		return; /* the first name given to an address stays */
	s->family = (uint8_t)family;
	memcpy(s->addr, key, 16);
	s->name = name;
	na->nused++;
	na->st.names++;
}

static const char *name_of(const struct sv_netapp *na, int family,
			   const uint8_t *addr)
{
	const struct name_slot *s;

	if (!na->nslots)
		return NULL;
	s = name_find(na->names, na->nslots, family, addr);
	return s->family ? s->name : NULL;
}

/* ---- DNS ---- */

static void dns_keep_answers(struct sv_netapp *na, struct sv_dns_event *d,
			     const struct sv_dns_msg *m)
{
	struct sv_dns_answer *a;
	int i;

	if (m->n_answers <= 0)
		return;
	a = sv_arena_calloc(na->arena, (size_t)m->n_answers, sizeof(*a));
	if (!a) {
		na->st.nomem++;
		return;
	}
	for (i = 0; i < m->n_answers; i++) {
		const struct sv_dns_rr *rr = &m->answers[i];

		a[i].name = keep_str(na, rr->name);
		a[i].type = rr->type;
		a[i].ttl = rr->ttl;
		a[i].family = rr->family;
		memcpy(a[i].addr, rr->addr, 16);
		a[i].data = keep_str(na, rr->data);
		if (rr->family && m->rcode == 0 && d->qname[0])
			name_learn(na, rr->family, rr->addr, d->qname);
	}
	d->answers = a;
	d->n_answers = m->n_answers;
}

static void dns_event(const struct seg_ctx *c, const struct sv_dns_msg *m,
		      int malformed, int tcp)
{
	struct sv_app_event *e;
	struct sv_dns_event *d;

	if (m->truncated)
		c->na->st.dns_truncated++;
	e = event_new(c, SV_APPK_DNS, malformed);
	if (!e)
		return;
	d = &e->u.dns;
	d->id = m->id;
	d->response = m->qr;
	d->rcode = m->rcode;
	d->opcode = m->opcode;
	d->tcp = tcp;
	d->truncated = m->truncated;
	d->qname = m->has_question ? keep_str(c->na, m->qname) : "";
	d->qtype = m->qtype;
	d->labels = m->labels;
	d->longest_label = m->longest_label;
	d->entropy = m->entropy;
	d->answers_total = m->answers_total;
	if (m->qr)
		dns_keep_answers(c->na, d, m);
}

static int dns_port(uint16_t port)
{
	return port == 53 || port == 5353 || port == 5355;
}

static void udp_payload(const struct seg_ctx *c, const struct sv_packet *p)
{
	struct sv_dns_msg m;
	enum sv_dns_status rc;

	if (!p->payload_len || !(dns_port(p->sport) || dns_port(p->dport)))
		return;
	rc = sv_dns_parse(p->payload, p->payload_len, &m);
	if (rc == SV_DNS_NOT_DNS)
		return;
	dns_event(c, &m, rc == SV_DNS_MALFORMED, 0);
}

/* ---- TCP parsers ---- */

static struct parse_out parse_dns_tcp(const struct seg_ctx *c,
				      const uint8_t *d, size_t n)
{
	struct parse_out o = {SV_APP_NEED_MORE, 0, 2, 0};
	struct sv_dns_msg m;
	enum sv_dns_status rc;
	size_t len;

	if (n < 2)
		return o;
	len = sv_dns_tcp_len(d, n);
	o.need = 2 + len;
	if (n < o.need)
		return o;
	rc = sv_dns_parse(d + 2, len, &m);
	if (rc == SV_DNS_NOT_DNS) {
		o.rc = SV_APP_NOT;
		return o;
	}
	dns_event(c, &m, rc == SV_DNS_MALFORMED, 1);
	o.rc = rc == SV_DNS_MALFORMED ? SV_APP_MALFORMED : SV_APP_OK;
	o.used = 2 + len;
	return o;
}

static struct parse_out parse_tls(const struct seg_ctx *c, const uint8_t *d,
				  size_t n)
{
	struct parse_out o = {SV_APP_NOT, 0, 0, 1};
	struct sv_tls_hello h;
	struct sv_app_event *e;

	o.rc = sv_tls_client_hello(d, n, &h, &o.need);
	if (o.rc != SV_APP_OK && o.rc != SV_APP_MALFORMED)
		return o;
	e = event_new(c, SV_APPK_TLS, o.rc == SV_APP_MALFORMED);
	if (e) {
		e->u.tls.version = h.version;
		e->u.tls.sni = keep_str(c->na, h.sni);
		e->u.tls.alpn = keep_str(c->na, h.alpn);
		e->u.tls.ja3 = keep_str(c->na, h.ja3);
		e->u.tls.ja3_md5 = keep_str(c->na, h.ja3_md5);
		e->u.tls.ech = h.ech;
	}
	return o;
}

static struct parse_out parse_ssh(const struct seg_ctx *c, const uint8_t *d,
				  size_t n)
{
	struct parse_out o = {SV_APP_NOT, 0, 0, 1};
	struct sv_ssh_banner b;
	struct sv_app_event *e;

	o.rc = sv_ssh_banner(d, n, &b, &o.need);
	if (o.rc != SV_APP_OK && o.rc != SV_APP_MALFORMED)
		return o;
	e = event_new(c, SV_APPK_SSH, o.rc == SV_APP_MALFORMED);
	if (e) {
		e->u.ssh.proto = keep_str(c->na, b.proto);
		e->u.ssh.software = keep_str(c->na, b.software);
		e->u.ssh.comments = keep_str(c->na, b.comments);
	}
	return o;
}

/*
 * Stratum is one JSON object per line: each line goes to the parser on
 * its own, so a subscribe and the authorize after it are both kept. Once
 * a line was a mining call, lines that are not (results) are skipped.
 */
static struct parse_out parse_stratum(const struct seg_ctx *c,
				      const struct sv_stream *st,
				      const uint8_t *d, size_t n)
{
	struct parse_out o = {SV_APP_NOT, 0, 0, 0};
	size_t look = n < STRATUM_LINE_MAX ? n : STRATUM_LINE_MAX;
	const uint8_t *nl = memchr(d, '\n', look);
	struct sv_stratum s;
	struct sv_app_event *e;

	if (!nl) {
		if (n < STRATUM_LINE_MAX) {
			o.rc = SV_APP_NEED_MORE;
			o.need = n + 1;
		}
		return o;
	}
	o.used = (size_t)(nl - d) + 1;
	o.rc = sv_stratum_parse(d, o.used, &s, &o.need);
	if (o.rc != SV_APP_OK) {
		/* A result or notice line inside a Stratum session. */
		o.rc = st->msgs > 0 ? SV_APP_OK : SV_APP_NOT;
		return o;
	}
	e = event_new(c, SV_APPK_STRATUM, 0);
	if (e) {
		e->u.stratum.method = keep_str(c->na, s.method);
		e->u.stratum.user = keep_str(c->na, s.user);
		e->u.stratum.agent = keep_str(c->na, s.agent);
	}
	return o;
}

/* Bytes of an HTTP message: headers plus a body we can skip; or 0. */
static size_t http_extent(size_t header_bytes, int64_t length, int chunked,
			  int request)
{
	if (chunked)
		return 0;
	if (length < 0)
		return request ? header_bytes : 0;
	if ((uint64_t)length > MAX_STREAM_OFFSET)
		return 0;
	return header_bytes + (size_t)length;
}

static struct parse_out parse_http_req(const struct seg_ctx *c,
				       const uint8_t *d, size_t n)
{
	struct parse_out o = {SV_APP_NOT, 0, 0, 0};
	struct sv_http_request q;
	struct sv_app_event *e;
	struct sv_flow_app *app;

	o.rc = sv_http_request(d, n, &q, &o.need);
	if (o.rc != SV_APP_OK && o.rc != SV_APP_MALFORMED)
		return o;
	e = event_new(c, SV_APPK_HTTP, o.rc == SV_APP_MALFORMED);
	if (e) {
		e->u.http.method = keep_str(c->na, q.method);
		e->u.http.target = keep_str(c->na, q.target);
		e->u.http.host = keep_str(c->na, q.host);
		e->u.http.user_agent = keep_str(c->na, q.user_agent);
		e->u.http.version_minor = q.version_minor;
		e->u.http.content_length = q.content_length;
		e->u.http.upgrade = q.upgrade;
		e->u.http.response_length = -1;
		app = c->fl->app;
		if (!app->http_wait)
			app->http_wait = e;
	}
	o.used = http_extent(q.header_bytes, q.content_length, q.chunked, 1);
	o.last = o.rc != SV_APP_OK || o.used == 0 || q.upgrade;
	return o;
}

/* The request after e on its flow, or NULL. */
static struct sv_app_event *next_request(struct sv_app_event *e)
{
	for (e = e->flow_next; e; e = e->flow_next)
		if (e->kind == SV_APPK_HTTP)
			return e;
	return NULL;
}

static struct parse_out parse_http_resp(const struct seg_ctx *c,
					const uint8_t *d, size_t n)
{
	struct parse_out o = {SV_APP_NOT, 0, 0, 0};
	struct sv_http_response r;
	struct sv_app_event *q;

	o.rc = sv_http_response(d, n, &r, &o.need);
	if (o.rc != SV_APP_OK && o.rc != SV_APP_MALFORMED)
		return o;
	q = c->fl->app ? c->fl->app->http_wait : NULL;
	/* An interim 1xx (but 101) leaves the request waiting for its
	 * final response. */
	if (q && (r.status >= 200 || r.status == 101 || r.status < 100)) {
		q->u.http.status = r.status;
		q->u.http.response_length = r.content_length;
		c->fl->app->http_wait = next_request(q);
	}
	/* RFC 9112 6.3: no body after HEAD, 1xx, 204 and 304, whatever
	 * Content-Length says; another response follows a 1xx. */
	if ((q && !strcmp(q->u.http.method, "HEAD")) || r.status == 204 ||
	    r.status == 304 || (r.status >= 100 && r.status < 200))
		o.used = r.header_bytes;
	else
		o.used = http_extent(r.header_bytes, r.content_length,
				     r.chunked, 0);
	o.last = o.rc != SV_APP_OK || o.used == 0 || r.status == 101;
	return o;
}

/* Which parser the first bytes of a stream call for. */
static enum stream_proto choose(const struct sv_flow *fl, const uint8_t *d,
				size_t n)
{
	if (fl->proto == PROTO_TCP && (dns_port(fl->a_port) ||
				       dns_port(fl->b_port)))
		return SP_DNS;
	if (d[0] == 0x16)
		return SP_TLS;
	if (d[0] == 'S' && (n < 4 || memcmp(d, "SSH-", 4) == 0))
		return SP_SSH;
	if (d[0] == '{')
		return SP_STRATUM;
	if (d[0] == 'H' && (n < 5 || memcmp(d, "HTTP/", 5) == 0))
		return SP_HTTP_RESP;
	if (d[0] >= 'A' && d[0] <= 'Z')
		return SP_HTTP_REQ;
	return SP_UNKNOWN;
}

static struct parse_out parse_as(const struct seg_ctx *c,
				 const struct sv_stream *st,
				 enum stream_proto sp, const uint8_t *d,
				 size_t n)
{
	struct parse_out o = {SV_APP_NOT, 0, 0, 1};

	switch (sp) {
	case SP_DNS:
		return parse_dns_tcp(c, d, n);
	case SP_TLS:
		return parse_tls(c, d, n);
	case SP_SSH:
		return parse_ssh(c, d, n);
	case SP_STRATUM:
		return parse_stratum(c, st, d, n);
	case SP_HTTP_REQ:
		return parse_http_req(c, d, n);
	case SP_HTTP_RESP:
		return parse_http_resp(c, d, n);
	default:
		return o;
	}
}

/*
 * The first message picks the parser. An SSH server may send text lines
 * before its "SSH-" line (RFC 4253 4.2), so text that is not HTTP gets a
 * second chance as SSH.
 */
static struct parse_out parse_one(const struct seg_ctx *c,
				  struct sv_stream *st, const uint8_t *d,
				  size_t n)
{
	struct parse_out o;
	enum stream_proto first;

	if (st->proto != SP_UNKNOWN)
		return parse_as(c, st, (enum stream_proto)st->proto, d, n);
	first = choose(c->fl, d, n);
	o = parse_as(c, st, first, d, n);
	if (o.rc == SV_APP_NOT && first == SP_HTTP_REQ) {
		first = SP_SSH;
		o = parse_as(c, st, first, d, n);
	}
	if (o.rc == SV_APP_NOT || first == SP_UNKNOWN)
		c->na->st.streams_unknown++;
	else if (o.rc != SV_APP_NEED_MORE || first != SP_HTTP_REQ)
		st->proto = (uint8_t)first;
	return o;
}

/* ---- TCP streams ---- */

/* Room for len + n bytes in st->buf, within the caps. 0, or -1. */
static int buffer_reserve(struct sv_netapp *na, struct sv_stream *st,
			  size_t n)
{
	size_t want = (size_t)st->len + n, cap;
	uint8_t *b;

	if (want <= st->cap)
		return 0;
	cap = st->cap ? (size_t)st->cap * 2 : 4096;
	if (cap < want)
		cap = want;
	if (cap > SV_APP_MAX_NEED)
		cap = SV_APP_MAX_NEED;
	if (want > cap ||
	    na->buffered + (cap - st->cap) > na->lim.buffer_bytes) {
		na->st.buffer_refused++;
		return -1;
	}
	b = realloc(st->buf, cap);
	if (!b) {
		na->st.nomem++;
		return -1;
	}
	na->buffered += cap - st->cap;
	if (na->buffered > na->st.buffer_peak)
		na->st.buffer_peak = na->buffered;
	st->buf = b;
	st->cap = (uint32_t)cap;
	return 0;
}

static int buffer_add(struct sv_netapp *na, struct sv_stream *st,
		      const uint8_t *d, size_t n)
{
	if (buffer_reserve(na, st, n))
		return -1;
	memcpy(st->buf + st->len, d, n);
	st->len += (uint32_t)n;
	return 0;
}

/* Takes the buffer away from st (the caller frees it). */
static uint8_t *buffer_take(struct sv_netapp *na, struct sv_stream *st)
{
	uint8_t *b = st->buf;

	na->buffered -= st->cap;
	st->buf = NULL;
	st->len = st->cap = 0;
	return b;
}

/*
 * Parse messages in d[0..n), which starts at st->msg_off; a message cut
 * at the end is copied into st->buf to wait for more. Returns 0 to go on,
 * 1 when the stream is done.
 */
static int parse_run(const struct seg_ctx *c, struct sv_stream *st,
		     const uint8_t *d, size_t n)
{
	while (n > 0) {
		struct parse_out o = parse_one(c, st, d, n);

		if (o.rc == SV_APP_NEED_MORE) {
			if (o.need > SV_APP_MAX_NEED)
				return 1;
			st->buf_off = st->msg_off;
			return buffer_add(c->na, st, d, n) ? 1 : 0;
		}
		if (o.rc != SV_APP_OK || o.last ||
		    ++st->msgs >= SV_APP_MSGS_PER_STREAM ||
		    o.used > MAX_STREAM_OFFSET - st->msg_off)
			return 1;
		st->msg_off += (uint32_t)o.used;
		if (o.used >= n)
			return 0;
		d += o.used;
		n -= o.used;
	}
	return 0;
}

/*
 * A segment for a stream holding a cut message: append its new bytes and
 * try again; once the message parses, what follows it goes on as usual.
 */
static int feed_buffer(const struct seg_ctx *c, struct sv_stream *st,
		       uint32_t off, const uint8_t *d, size_t n)
{
	uint32_t have_end = st->buf_off + st->len;
	uint8_t *held;
	size_t skip, len;
	int done;

	if (off > have_end) {
		c->na->st.gaps++;
		return 1;
	}
	if (off + n <= have_end)
		return 0; /* a retransmission */
	skip = have_end - off;
	if (buffer_add(c->na, st, d + skip, n - skip))
		return 1;
	len = st->len;
	held = buffer_take(c->na, st);
	done = parse_run(c, st, held, len);
	free(held);
	return done;
}

/* One in-order or retransmitted segment at stream offset off. */
static int feed(const struct seg_ctx *c, struct sv_stream *st, uint32_t off,
		const uint8_t *d, size_t n)
{
	size_t start;

	/* Before the first segment seen (the capture began mid-stream, or
	 * a late retransmission), or absurdly far in: nothing to parse. */
	if (off > MAX_STREAM_OFFSET)
		return 0;
	if (st->buf)
		return feed_buffer(c, st, off, d, n);
	if (off + n <= st->msg_off)
		return 0; /* a body, or a retransmission */
	if (off > st->msg_off) {
		c->na->st.gaps++;
		return 1;
	}
	start = st->msg_off - off;
	return parse_run(c, st, d + start, n - start);
}

static struct sv_stream *stream_open(struct sv_netapp *na, struct sv_flow *fl,
				     int dir, uint32_t seq)
{
	struct sv_stream *st = NULL;

	na->st.streams++;
	if (na->live < na->lim.max_streams)
		st = stream_get(na);
	else
		na->st.streams_untracked++;
	if (!st) {
		fl->stream[dir] = &stream_done;
		return NULL;
	}
	st->base = seq;
	fl->stream[dir] = st;
	return st;
}

static void tcp_payload(const struct seg_ctx *c, const struct sv_packet *p)
{
	struct sv_stream *st = c->fl->stream[c->dir];
	uint32_t seq = p->seq + ((p->tcp_flags & SV_TCP_SYN) ? 1u : 0u);
	uint32_t off;

	if (st == &stream_done || !p->payload_len)
		return;
	if (!st && !(st = stream_open(c->na, c->fl, c->dir, seq)))
		return;
	off = seq - st->base;
	if (feed(c, st, off, p->payload, p->payload_len)) {
		stream_finish(c->na, c->fl, c->dir);
		return;
	}
	/* Bytes the snap length cut are a gap for what needed them. */
	if (p->payload_claimed > p->payload_len &&
	    (st->buf || st->msg_off < off + p->payload_claimed)) {
		c->na->st.gaps++;
		stream_finish(c->na, c->fl, c->dir);
	}
}

void sv_netapp_packet(struct sv_netapp *na, struct sv_flow *fl, int dir,
		      const struct sv_packet *p, int64_t ts_ns)
{
	struct seg_ctx c = {na, fl, dir, ts_ns};

	if (!p->payload || p->fragment == SV_FRAG_LATER)
		return;
	if (fl->proto == PROTO_UDP)
		udp_payload(&c, p);
	else if (fl->proto == PROTO_TCP)
		tcp_payload(&c, p);
}

void sv_netapp_finish(struct sv_netapp *na, struct sv_flow *list)
{
	struct sv_flow *fl;
	int d;

	for (fl = list; fl; fl = fl->next) {
		for (d = 0; d < 2; d++) {
			if (fl->stream[d] && fl->stream[d] != &stream_done)
				stream_release(na, fl->stream[d]);
			fl->stream[d] = NULL;
		}
		fl->name_a = name_of(na, fl->family, fl->a_addr);
		fl->name_b = name_of(na, fl->family, fl->b_addr);
	}
}

const struct sv_app_event *sv_netapp_events(const struct sv_netapp *na)
{
	return na->head;
}

const struct sv_netapp_stats *sv_netapp_stats(const struct sv_netapp *na)
{
	return &na->st;
}
