/*
 * sv_timeline.c - merge, de-skew, phase and order every module's events.
 *
 *   lists ─► count ─► skew (median per source) ─► phases ─► items ─► qsort
 */
#include "sv_timeline.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_attrib.h"
#include "sv_time.h"

#define SHORT_ID 12

/* What the sort looks at, packed so that 1M events sort in cache. */
struct tl_item {
	int64_t ts;
	uint64_t seq;      /* source in the top byte, then input order */
	struct sv_event *e;
};

static int cmp_item(const void *x, const void *y)
{
	const struct tl_item *a = x, *b = y;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

/* ---- skew ---- */

static int64_t median_offset(const struct sv_timeline_pair *pairs,
			     size_t npairs, enum sv_event_source src,
			     int64_t *buf, uint64_t *count)
{
	size_t i, n = 0;

	for (i = 0; i < npairs; i++)
		if (pairs[i].source == src)
			buf[n++] = pairs[i].source_ns - pairs[i].reference_ns;
	*count = n;
	if (!n)
		return 0;
	qsort(buf, n, sizeof(*buf), cmp_i64);
	return n % 2 ? buf[n / 2] : buf[n / 2 - 1] / 2 + buf[n / 2] / 2;
}

static int measure_skew(struct sv_timeline *t,
			const struct sv_timeline_pair *pairs, size_t npairs)
{
	int64_t *buf;
	int s;

	if (!npairs)
		return 0;
	buf = malloc(npairs * sizeof(*buf));
	if (!buf)
		return -1;
	for (s = 0; s < SV_SRC_COUNT; s++) {
		struct sv_skew *k = &t->skew[s];
		int64_t off = median_offset(pairs, npairs,
					    (enum sv_event_source)s, buf,
					    &k->pairs);

		k->offset_ns = off;
		k->applied = k->pairs >= SV_SKEW_MIN_PAIRS &&
			     (off > SV_SKEW_MIN_NS || off < -SV_SKEW_MIN_NS);
	}
	free(buf);
	return 0;
}

static void apply_skew(const struct sv_timeline *t, struct sv_event *e)
{
	const struct sv_skew *k = &t->skew[e->source];

	if (!k->applied || (unsigned)e->source >= SV_SRC_COUNT)
		return;
	e->skew_ns = -k->offset_ns;
	if (e->ts_ns != SV_TIME_NONE)
		e->ts_ns -= k->offset_ns;
	if (e->ts_hi_ns != SV_TIME_NONE)
		e->ts_hi_ns -= k->offset_ns;
}

/* ---- phases ---- */

static int cmp_life(const void *x, const void *y)
{
	const struct sv_timeline_life *a = x, *b = y;

	return strcmp(a->container_id, b->container_id);
}

static const struct sv_timeline_life *find_life(
	const struct sv_timeline_life *lives, size_t n, const char *id)
{
	struct sv_timeline_life key = {id, 0, 0};

	return n ? bsearch(&key, lives, n, sizeof(*lives), cmp_life) : NULL;
}

static enum sv_phase phase_of(const struct sv_timeline_life *l, int64_t ts)
{
	if (!l || ts == SV_TIME_NONE)
		return SV_PHASE_NONE;
	if (l->started_ns != SV_TIME_NONE && ts < l->started_ns)
		return SV_PHASE_PROVISION;
	if (l->ended_ns != SV_TIME_NONE && ts > l->ended_ns)
		return SV_PHASE_TEARDOWN;
	if (l->started_ns == SV_TIME_NONE && l->ended_ns == SV_TIME_NONE)
		return SV_PHASE_NONE;
	return SV_PHASE_RUN;
}

/* A sorted copy of lives without unnamed entries; NULL, 0 on failure. */
static struct sv_timeline_life *sorted_lives(
	const struct sv_timeline_life *lives, size_t n, size_t *out_n)
{
	struct sv_timeline_life *s;
	size_t i, m = 0;

	*out_n = 0;
	if (!lives || !n)
		return NULL;
	s = malloc(n * sizeof(*s));
	if (!s)
		return NULL;
	for (i = 0; i < n; i++)
		if (lives[i].container_id)
			s[m++] = lives[i];
	qsort(s, m, sizeof(*s), cmp_life);
	*out_n = m;
	return s;
}

/* ---- build ---- */

static uint64_t count_events(struct sv_event *const *lists, size_t nlists)
{
	const struct sv_event *e;
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < nlists; i++)
		for (e = lists[i]; e; e = e->next)
			n++;
	return n;
}

static void fill_items(struct sv_timeline *t, struct sv_event *const *lists,
		       size_t nlists, const struct sv_timeline_life *lives,
		       size_t nlives, struct tl_item *items, uint64_t max)
{
	struct sv_event *e;
	uint64_t seq = 0;
	size_t i;

	for (i = 0; i < nlists; i++) {
		for (e = lists[i]; e; e = e->next, seq++) {
			if (t->n >= max) {
				t->over_limit++;
				continue;
			}
			apply_skew(t, e);
			if (e->container_id)
				e->phase = phase_of(find_life(lives, nlives,
							      e->container_id),
						    e->ts_ns);
			if (e->container_id || e->pid >= 0)
				t->attributed++;
			else
				t->unattributed++;
			items[t->n].ts = e->ts_ns;
			items[t->n].seq = (uint64_t)e->source << 56 | seq;
			items[t->n].e = e;
			t->n++;
		}
	}
}

enum sv_status sv_timeline_build(struct sv_arena *arena,
				 struct sv_event *const *lists, size_t nlists,
				 const struct sv_timeline_pair *pairs,
				 size_t npairs,
				 const struct sv_timeline_life *lives,
				 size_t nlives, uint64_t max,
				 struct sv_timeline *out, struct sv_error *err)
{
	struct sv_timeline_life *sl;
	struct tl_item *items;
	uint64_t n, i;
	size_t nsl;

	memset(out, 0, sizeof(*out));
	out->first_ns = out->last_ns = SV_TIME_NONE;
	if (!max)
		max = SV_TIMELINE_DEFAULT_MAX;
	n = count_events(lists, nlists);
	if (n > max)
		n = max;
	if (measure_skew(out, pairs, npairs))
		return sv_error_set(err, SV_ERR_NOMEM, "", "out of memory");
	sl = sorted_lives(lives, nlives, &nsl);
	items = malloc((n ? n : 1) * sizeof(*items));
	out->ev = sv_arena_calloc(arena, n ? n : 1, sizeof(*out->ev));
	if (!items || !out->ev || (nlives && !sl)) {
		free(items);
		free(sl);
		return sv_error_set(err, SV_ERR_NOMEM, "", "out of memory");
	}
	fill_items(out, lists, nlists, sl, nsl, items, max);
	free(sl);
	qsort(items, out->n, sizeof(*items), cmp_item);
	for (i = 0; i < out->n; i++)
		out->ev[i] = items[i].e;
	free(items);
	if (out->n) {
		out->first_ns = out->ev[0]->ts_ns;
		out->last_ns = out->ev[out->n - 1]->ts_ns;
	}
	return SV_OK;
}

/* ---- network events ---- */

struct net_ctx {
	struct sv_arena *arena;
	uint64_t cap, made, dropped;
	struct sv_event *head, *tail;
	int nomem;
};

static void who(struct sv_event *e, const struct sv_owner *o)
{
	e->container_id = o ? o->container_id : NULL;
	e->pid = o && o->pid >= 0 ? o->pid : -1;
	e->pid_start = o ? o->pid_start : 0;
}

/* The words come later, from describe(), when the event is shown. */
static void net_event(struct net_ctx *c, int64_t ts, const char *kind,
		      const struct sv_owner *o, const void *subject,
		      void (*describe)(const struct sv_event *, char *,
				       size_t))
{
	struct sv_event *e;

	if (c->cap && c->made >= c->cap) {
		c->dropped++;
		return;
	}
	e = sv_arena_calloc(c->arena, 1, sizeof(*e));
	if (!e) {
		c->nomem = 1;
		return;
	}
	e->ts_ns = e->ts_hi_ns = ts;
	e->kind = kind;
	e->source = SV_SRC_PCAP;
	e->subject = subject;
	e->describe = describe;
	who(e, o);
	if (c->tail)
		c->tail->next = e;
	else
		c->head = e;
	c->tail = e;
	c->made++;
}

static void addr_text(int family, const uint8_t *addr, char *buf, size_t n)
{
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, buf,
		       (socklen_t)n))
		snprintf(buf, n, "?");
}

static void end_text(const struct sv_flow *f, int b, char *buf, size_t n)
{
	char a[64];
	const char *name = b ? f->name_b : f->name_a;

	addr_text(f->family, b ? f->b_addr : f->a_addr, a, sizeof(a));
	snprintf(buf, n,
		 f->family == 6 ? "[%s]:%u%s%.200s%s" : "%s:%u%s%.200s%s", a,
		 b ? f->b_port : f->a_port, name ? " (" : "",
		 name ? name : "", name ? ")" : "");
}

static const char *proto_text(int proto)
{
	return proto == 6 ? "TCP" : proto == 17 ? "UDP" : "IP";
}

static void describe_open(const struct sv_event *e, char *buf, size_t n)
{
	const struct sv_flow *f = e->subject;
	char a[300], b[300];

	end_text(f, 0, a, sizeof(a));
	end_text(f, 1, b, sizeof(b));
	snprintf(buf, n, "%s flow %" PRIu64 " %s -> %s opened",
		 proto_text(f->proto), f->id, a, b);
}

static void describe_close(const struct sv_event *e, char *buf, size_t n)
{
	const struct sv_flow *f = e->subject;
	char a[300], b[300];

	end_text(f, 0, a, sizeof(a));
	end_text(f, 1, b, sizeof(b));
	snprintf(buf, n, "%s flow %" PRIu64 " %s -> %s %s: %" PRIu64
		 " bytes out, %" PRIu64 " back", proto_text(f->proto), f->id,
		 a, b, f->rst_seen ? "reset" : f->fin_seen ? "closed" : "idle",
		 f->bytes_ab, f->bytes_ba);
}

static void flow_events(struct net_ctx *c, const struct sv_flow *f)
{
	net_event(c, f->first_ns, SV_EV_FLOW_OPEN, f->owner_a, f,
		  describe_open);
	if (f->fin_seen || f->rst_seen || f->ended_idle)
		net_event(c, f->last_ns, SV_EV_FLOW_CLOSE, f->owner_a, f,
			  describe_close);
}

static void dns_text(const struct sv_app_event *e, char *buf, size_t n)
{
	const struct sv_dns_event *d = &e->u.dns;
	char addr[64] = "";
	int i;

	for (i = 0; i < d->n_answers; i++)
		if (d->answers[i].family) {
			addr_text(d->answers[i].family, d->answers[i].addr,
				  addr, sizeof(addr));
			break;
		}
	snprintf(buf, n, "DNS %s %.300s (type %u)%s%s%s",
		 d->response ? "answer for" : "query", d->qname, d->qtype,
		 d->response ? ": " : "",
		 d->response ? (addr[0] ? addr : "no address") : "",
		 d->response && d->rcode ? " (error)" : "");
}

static void app_text(const struct sv_app_event *e, char *buf, size_t n)
{
	switch (e->kind) {
	case SV_APPK_DNS:
		dns_text(e, buf, n);
		break;
	case SV_APPK_HTTP:
		snprintf(buf, n, "HTTP %s http://%.200s%.400s -> %d",
			 e->u.http.method, e->u.http.host, e->u.http.target,
			 e->u.http.status);
		break;
	case SV_APPK_TLS:
		snprintf(buf, n, "TLS ClientHello SNI %.250s ALPN %.100s "
			 "JA3 %s", e->u.tls.sni[0] ? e->u.tls.sni : "(none)",
			 e->u.tls.alpn, e->u.tls.ja3_md5);
		break;
	case SV_APPK_SSH:
		snprintf(buf, n, "SSH banner SSH-%s-%.250s", e->u.ssh.proto,
			 e->u.ssh.software);
		break;
	default:
		snprintf(buf, n, "Stratum %s%s%.250s%s%.120s",
			 e->u.stratum.method,
			 e->u.stratum.user[0] ? " user " : "",
			 e->u.stratum.user,
			 e->u.stratum.agent[0] ? " agent " : "",
			 e->u.stratum.agent);
		break;
	}
}

static void describe_app(const struct sv_event *ev, char *buf, size_t n)
{
	const struct sv_app_event *e = ev->subject;
	size_t used;

	app_text(e, buf, n > 32 ? n - 32 : n);
	used = strlen(buf);
	snprintf(buf + used, n - used, " (flow %" PRIu64 ")", e->flow->id);
}

static const char *app_kind(enum sv_app_kind k)
{
	static const char *const kinds[SV_APPK_COUNT] = {
		SV_EV_DNS, SV_EV_TLS, SV_EV_HTTP, SV_EV_SSH, SV_EV_STRATUM
	};

	return (unsigned)k < SV_APPK_COUNT ? kinds[k] : SV_EV_DNS;
}

struct sv_event *sv_timeline_net_events(struct sv_arena *arena,
					const struct sv_flow *flows,
					const struct sv_app_event *app,
					uint64_t cap, uint64_t *dropped,
					int *nomem)
{
	struct net_ctx c;
	const struct sv_flow *f;
	const struct sv_app_event *e;

	memset(&c, 0, sizeof(c));
	c.arena = arena;
	c.cap = cap;
	/* What was said first: under the cap, words beat packet counts. */
	for (e = app; e && !c.nomem; e = e->next)
		net_event(&c, e->ts_ns, app_kind(e->kind),
			  e->from_a ? e->flow->owner_a : e->flow->owner_b, e,
			  describe_app);
	for (f = flows; f && !c.nomem; f = f->next)
		flow_events(&c, f);
	*dropped = c.dropped;
	*nomem = c.nomem;
	return c.head;
}

/* ---- Timesketch ---- */

const char *sv_timeline_desc(const char *kind)
{
	static const struct {
		const char *kind, *desc;
	} map[] = {
		{SV_EV_CONTAINER_CREATE, "Container Created"},
		{SV_EV_CONTAINER_START, "Container Started"},
		{SV_EV_CONTAINER_EXEC, "Container Exec"},
		{SV_EV_CONTAINER_DIE, "Container Died"},
		{SV_EV_CONTAINER_STOP, "Container Stopped"},
		{SV_EV_CONTAINER_REMOVE, "Container Removed"},
		{SV_EV_CONTAINER_OOM, "Container OOM Kill"},
		{SV_EV_PROCESS_START, "Process Start"},
		{SV_EV_PROCESS_EXEC, "Process Exec"},
		{SV_EV_PROCESS_SETUID, "Process UID Change"},
		{SV_EV_PROCESS_CAPS, "Process Capability Change"},
		{SV_EV_PROCESS_EXIT, "Process Exit (earliest)"},
		{SV_EV_PROCESS_ENTER, "Process Entered Container"},
		{SV_EV_FLOW_OPEN, "Connection Start"},
		{SV_EV_FLOW_CLOSE, "Connection End"},
		{SV_EV_DNS, "DNS Message"},
		{SV_EV_HTTP, "HTTP Request"},
		{SV_EV_TLS, "TLS Client Hello"},
		{SV_EV_SSH, "SSH Banner"},
		{SV_EV_STRATUM, "Stratum Call"},
		{SV_EV_KERNEL_OOM, "Kernel OOM Kill"},
		{SV_EV_K8S, "Kubernetes Audit"},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].kind, kind))
			return map[i].desc;
	return "Event Time";
}
