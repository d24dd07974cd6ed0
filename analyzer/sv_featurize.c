/*
 * sv_featurize.c - one analysis in, the per-container features of
 * models/sv_features.h out, each container with its workload key
 * (sv_workload_key and the rules: models/sv_features.c).
 *
 * Input: the analysis's containers, processes, flows (with their
 * owners, sv_attrib.h), application events (sv_netapp.h), cgroup series
 * (sv_resources.h) and container events. Output: a struct sv_feat_set in
 * the arena given; its evidence pointers borrow the analysis.
 *
 * One pass over each entity list. Each observation is charged to a
 * container (binary search in the set's by_id, behind a one-entry cache:
 * flows share their owners) and to the (container, window) cell of its
 * time (a seeded hash table); categorical values are counted in a
 * second table, keyed by (container, family, value). After the passes each
 * container's windows are laid out densely, aligned to window_ns, from
 * its first to its last activity, and the cells poured into them.
 *
 * Who an observation belongs to:
 *   process      sv_proc.container_id (kernel threads skipped)
 *   flow         the owners of its ends: the opener a (the SYN's sender,
 *                else the first sender, see opener_is_b), the acceptor b
 *   DNS, TLS     the owner of the end that sent the message
 *   cgroup       the container's primary group
 *   lifecycle    the container events (exec, restart, start) and oom_ns
 *
 * Simplifications: a flow's bytes all go to the window of its first
 * packet; a rate sample (cpu, io) to the window of the snapshot that
 * ends its interval; times before 1970 or after TIME_MAX are not placed
 * (a hostile clock would otherwise ask for billions of windows).
 *
 * Bounds: SV_FEAT_VALUES_MAX distinct values per family and container,
 * SET_VALUES_MAX in the set (observations past them: values_dropped);
 * SV_FEAT_WINDOWS_MAX windows per container, SET_WINDOWS_MAX in the set,
 * the latest kept (the rest count in windows_dropped and still in
 * life[]); CELLS_MAX cells (observations without one: windows_dropped).
 *
 * Ownership: the set lives in the arena given; the tables are malloc'd
 * and freed before sv_featurize() returns.
 */
#include "sv_featurize.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "sv_attrib.h"
#include "sv_mdl_cat.h"
#include "sv_tab.h"
#include "sv_time.h"

#define CELLS_MAX (1u << 20)       /* 136 bytes each */
#define SET_WINDOWS_MAX (1ULL << 20) /* 144 bytes each */
#define SET_VALUES_MAX (2u << 20)
#define TIME_MAX (INT64_MAX / 2) /* year 2116 */
#define VALUE_BUF (SV_MDL_CAT_VALUE_MAX + 1)
#define NO_CI UINT32_MAX

/* ---- the tables ---- */

/* What one container gathers while the lists are walked. */
struct fcont {
	const struct sv_cont *k;
	int64_t first, last;         /* activity; SV_TIME_NONE none */
	uint32_t nfam[SV_FC_COUNT];  /* distinct values kept */
	uint64_t values_dropped, cells_dropped, n_values;
	unsigned have;               /* 1u << enum sv_fn with a source */
	uint32_t ex_rt, ex_all, restart_ev; /* container events */
	uint32_t starts_left;        /* later starts to count as restarts */
	int64_t first_start;
	int64_t win0;                /* first kept window */
	struct sv_feat_window *win;  /* n_win of them */
	uint64_t n_win;
	double cpu_sum, io_sum;
	uint64_t cpu_n, io_n;
	struct sv_feat_container *out;
	struct sv_feat_value *tail;
};

/* One (container, window): sums, maxima, and the samples behind the
 * cpu and io sums (averaged when poured into the window). */
struct cell {
	struct sv_tab_link link;
	uint32_t ci;
	uint32_t cpu_n, io_n, entered;
	int64_t start;
	double x[SV_FN_COUNT];
	uint64_t lifecycle;
};

struct fval {
	struct sv_tab_link link;
	uint32_t ci;
	uint32_t fam;               /* v's, without touching v */
	struct sv_feat_value *v;
};

struct fz {
	const struct sv_analysis *a;
	struct sv_arena *arena;
	int64_t w;
	uint64_t seed;
	struct fcont *c;
	size_t nc;
	struct sv_tab cells, vals;
	const char *last_id;         /* one-entry cache of find_ci */
	uint32_t last_ci;
	uint64_t windows_left;
	/* The period the bundle observed (manifest started..ended, else
	 * the snapshots), one window of margin; obs_hi 0: unknown. A
	 * container that started days before the capture gets windows
	 * only where the capture could see it. */
	int64_t obs_lo, obs_hi;
	int nomem;
	char buf[VALUE_BUF], tmp[VALUE_BUF];
};

static int time_ok(int64_t t)
{
	return t >= 0 && t <= TIME_MAX;
}

static void span(struct fcont *c, int64_t t)
{
	if (!time_ok(t))
		return;
	if (c->first == SV_TIME_NONE || t < c->first)
		c->first = t;
	if (c->last == SV_TIME_NONE || t > c->last)
		c->last = t;
}

/* The index of the container with this id in by_id, or NO_CI. */
static uint32_t find_ci(struct fz *z, const char *id)
{
	const struct sv_cont *const *by = z->a->containers->by_id;
	size_t lo = 0, hi = z->nc, mid;
	int r;

	if (!id || !z->nc)
		return NO_CI;
	if (id == z->last_id)
		return z->last_ci;
	z->last_id = id;
	z->last_ci = NO_CI;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strcmp(by[mid]->id, id);
		if (!r) {
			z->last_ci = (uint32_t)mid;
			break;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return z->last_ci;
}

/* The cell of container ci at time t (which also extends its span), or
 * NULL: t out of range, over the cap, out of memory. */
static struct cell *cell_at(struct fz *z, uint32_t ci, int64_t t)
{
	struct fcont *c = &z->c[ci];
	struct cell *e;
	int64_t s;
	uint64_t h;
	uint32_t i1, idx;
	int rc;

	if (!time_ok(t) || (z->obs_hi && (t < z->obs_lo || t > z->obs_hi)))
		return NULL;
	span(c, t);
	s = t - t % z->w;
	h = sv_hash2(z->seed, ci, (uint64_t)s);
	for (i1 = sv_tab_first(&z->cells, (uint32_t)h); i1;
	     i1 = sv_tab_next(&z->cells, i1)) {
		e = sv_tab_at(&z->cells, i1 - 1);
		if (e->ci == ci && e->start == s)
			return e;
	}
	rc = sv_tab_add(&z->cells, h, &idx);
	if (rc) {
		if (rc < 0)
			z->nomem = 1;
		c->cells_dropped++;
		return NULL;
	}
	e = sv_tab_at(&z->cells, idx);
	e->ci = ci;
	e->start = s;
	return e;
}

static struct sv_feat_value *new_value(struct fz *z, uint32_t ci,
				       enum sv_fc fam, const char *t,
				       size_t len, uint64_t h)
{
	struct fcont *c = &z->c[ci];
	struct sv_feat_value *v;
	struct fval *e;
	uint32_t idx;
	int rc;

	if (c->nfam[fam] >= SV_FEAT_VALUES_MAX ||
	    z->vals.n >= SET_VALUES_MAX) {
		c->values_dropped++;
		return NULL;
	}
	v = sv_arena_alloc(z->arena, sizeof(*v));
	if (v)
		v->value = sv_arena_strndup(z->arena, t, len);
	rc = v && v->value ? sv_tab_add(&z->vals, h, &idx) : -1;
	if (rc) {
		z->nomem |= rc < 0;
		c->values_dropped++;
		return NULL;
	}
	e = sv_tab_at(&z->vals, idx);
	e->ci = ci;
	e->fam = fam;
	e->v = v;
	v->family = fam;
	c->nfam[fam]++;
	c->n_values++;
	return v;
}

/*
 * One observation of value s (n bytes, cleaned and capped here) of
 * family fam in container ci at ts, seen in p, f or e. The earliest
 * occurrence keeps its evidence.
 */
static void observe(struct fz *z, uint32_t ci, enum sv_fc fam, const char *s,
		    size_t n, int64_t ts, const struct sv_proc *p,
		    const struct sv_flow *f, const struct sv_app_event *e)
{
	struct sv_feat_value *v = NULL;
	const char *t;
	size_t len;
	uint64_t h;
	uint32_t i1;

	t = sv_feat_clean(s, n, z->tmp, sizeof(z->tmp), &len);
	if (!t) {
		z->nomem = 1;
		return;
	}
	h = sv_hash2(sv_hash_bytes(z->seed, t, len), ci, fam);
	for (i1 = sv_tab_first(&z->vals, (uint32_t)h); i1 && !v;
	     i1 = sv_tab_next(&z->vals, i1)) {
		const struct fval *x = sv_tab_at(&z->vals, i1 - 1);

		if (x->link.hash == (uint32_t)h && x->ci == ci &&
		    x->fam == fam && !strncmp(x->v->value, t, len) &&
		    !x->v->value[len])
			v = x->v;
	}
	if (!v && !(v = new_value(z, ci, fam, t, len, h)))
		return;
	if (v->count++ && !(time_ok(ts) && (v->first_ns == SV_TIME_NONE ||
					    ts < v->first_ns)))
		return;
	v->first_ns = time_ok(ts) ? ts : SV_TIME_NONE;
	v->proc = p;
	v->flow = f;
	v->app = e;
}

/* snprintf into z->buf; the length written, or 0 on failure. */
static size_t SV_PRINTF(2, 3) put(struct fz *z, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(z->buf, sizeof(z->buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	return (size_t)n < sizeof(z->buf) ? (size_t)n : sizeof(z->buf) - 1;
}

/* ---- processes ---- */

static void proc_values(struct fz *z, uint32_t ci, const struct sv_proc *p,
			int64_t t)
{
	const struct sv_proc *par = p->parent;
	const char *pc = "(outside)";
	size_t n;

	if (p->comm)
		observe(z, ci, SV_FC_PROGRAM, p->comm, strlen(p->comm), t, p,
			NULL, NULL);
	if (p->exe)
		observe(z, ci, SV_FC_EXECUTABLE, p->exe, strlen(p->exe), t, p,
			NULL, NULL);
	if (p->comm) {
		if (par && par->container_id &&
		    !strcmp(par->container_id, p->container_id))
			pc = par->comm ? par->comm : "?";
		n = put(z, "%s>%s", pc, p->comm);
		observe(z, ci, SV_FC_PAIR, z->buf, n, t, p, NULL, NULL);
	}
	if (p->euid >= 0) {
		n = put(z, "uid=%" PRId64, p->euid);
		observe(z, ci, SV_FC_USER, z->buf, n, t, p, NULL, NULL);
	}
	if (p->has_caps) {
		n = put(z, "%016" PRIx64, p->cap_eff);
		observe(z, ci, SV_FC_CAPS, z->buf, n, t, p, NULL, NULL);
	}
}

static void pass_procs(struct fz *z)
{
	const struct sv_proc *p;
	struct cell *cl;
	uint32_t ci;
	int64_t t;

	for (p = z->a->procs ? z->a->procs->list : NULL; p; p = p->next) {
		ci = find_ci(z, p->container_id);
		if (ci == NO_CI || p->kthread)
			continue;
		/* process.start is placed at first_seen too when the
		 * start time is unknown (sv_procs.h) */
		t = p->start_ns != SV_TIME_NONE ? p->start_ns : p->first_seen;
		cl = cell_at(z, ci, t);
		if (cl) {
			cl->x[SV_FN_EXECS] += 1;
			cl->entered += p->entered ? 1 : 0;
		}
		span(&z->c[ci], p->last_seen);
		proc_values(z, ci, p, t);
	}
}

/* ---- flows ---- */

static int is_conn(const struct sv_flow *f)
{
	return f->proto == IPPROTO_TCP || f->proto == IPPROTO_UDP;
}

/* "tcp/10.89.77.1:4444", "tcp/[2001:db8::1]:443", "icmp/10.0.0.1",
 * "ip47/10.0.0.1": the end at addr, port (0: none) into z->buf. */
static size_t dest_text(struct fz *z, const struct sv_flow *f,
			const uint8_t *addr, uint16_t port)
{
	const char *pn = sv_flow_proto_name(f->proto);
	char a[INET6_ADDRSTRLEN], pr[16];
	int v6 = f->family == 6;

	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (pn)
		snprintf(pr, sizeof(pr), "%s", pn);
	else
		snprintf(pr, sizeof(pr), "ip%u", f->proto);
	if (!port && !is_conn(f))
		return put(z, "%s/%s", pr, a);
	return put(z, v6 ? "%s/[%s]:%u" : "%s/%s:%u", pr, a, port);
}

/*
 * One end of flow f, held by container ci: opened (the opener) or
 * accepted it; own: the other end is ci's too.
 */
static void flow_end(struct fz *z, uint32_t ci, const struct sv_flow *f,
		     int swap, int opened, int own)
{
	int is_a = opened ? !swap : swap;
	const uint8_t *peer = is_a ? f->b_addr : f->a_addr;
	uint16_t peer_port = is_a ? f->b_port : f->a_port;
	uint16_t my_port = is_a ? f->a_port : f->b_port;
	struct cell *cl = cell_at(z, ci, f->first_ns);
	size_t n;

	span(&z->c[ci], f->last_ns);
	if (cl) {
		cl->x[SV_FN_BYTES_OUT] += (double)(is_a ? f->bytes_ab
						       : f->bytes_ba);
		cl->x[SV_FN_BYTES_IN] += (double)(is_a ? f->bytes_ba
						      : f->bytes_ab);
		if (is_conn(f))
			cl->x[opened ? SV_FN_CONN_OUT : SV_FN_CONN_IN] += 1;
	}
	if (opened && !own && !sv_flow_addr_loopback(f->family, peer) &&
	    memcmp(f->a_addr, f->b_addr, 16)) {
		n = dest_text(z, f, peer, peer_port);
		observe(z, ci, SV_FC_DEST, z->buf, n, f->first_ns, NULL, f,
			NULL);
	}
	if (!opened && is_conn(f)) {
		n = put(z, "%s/%u", sv_flow_proto_name(f->proto), my_port);
		observe(z, ci, SV_FC_LISTEN, z->buf, n, f->first_ns, NULL, f,
			NULL);
	}
}

static void pass_flows(struct fz *z)
{
	const struct sv_flow *f;
	const struct sv_owner *op, *ac;
	uint32_t co, cb;
	int swap;

	for (f = z->a->flows; f; f = f->next) {
		swap = sv_flow_opener_is_b(f);
		op = swap ? f->owner_b : f->owner_a;
		ac = swap ? f->owner_a : f->owner_b;
		co = op ? find_ci(z, op->container_id) : NO_CI;
		cb = ac ? find_ci(z, ac->container_id) : NO_CI;
		if (co != NO_CI)
			flow_end(z, co, f, swap, 1, cb == co);
		if (cb != NO_CI)
			flow_end(z, cb, f, swap, 0, cb == co);
	}
}

/* ---- application events ---- */

/* A name, lower case, into z->buf (DNS and TLS names are not case
 * sensitive; DNS 0x20 randomises the case of queries). */
static size_t lower_name(struct fz *z, const char *s)
{
	size_t i, n = strlen(s);

	if (n >= sizeof(z->buf))
		n = sizeof(z->buf) - 1;
	for (i = 0; i < n; i++)
		z->buf[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32)
						       : s[i];
	z->buf[n] = '\0';
	return n;
}

static void dns_query(struct fz *z, uint32_t ci, const struct sv_app_event *e)
{
	const struct sv_dns_event *d = &e->u.dns;
	struct cell *cl = cell_at(z, ci, e->ts_ns);
	size_t n;

	if (cl) {
		cl->x[SV_FN_DNS_QUERIES] += 1;
		if (d->longest_label > cl->x[SV_FN_DNS_LABEL])
			cl->x[SV_FN_DNS_LABEL] = d->longest_label;
		if (isfinite(d->entropy) &&
		    d->entropy > cl->x[SV_FN_DNS_ENTROPY])
			cl->x[SV_FN_DNS_ENTROPY] = d->entropy;
	}
	if (!d->qname || !d->qname[0])
		return;
	n = lower_name(z, d->qname);
	if (n > 1 && z->buf[n - 1] == '.')
		z->buf[--n] = '\0';
	observe(z, ci, SV_FC_DNS, z->buf, n, e->ts_ns, NULL, e->flow, e);
}

static void pass_app(struct fz *z)
{
	const struct sv_app_event *e;
	const struct sv_owner *o;
	uint32_t ci;
	size_t n;

	for (e = z->a->app_events; e; e = e->next) {
		if (!e->flow)
			continue;
		o = e->from_a ? e->flow->owner_a : e->flow->owner_b;
		ci = o ? find_ci(z, o->container_id) : NO_CI;
		if (ci == NO_CI)
			continue;
		if (e->kind == SV_APPK_DNS && !e->u.dns.response) {
			dns_query(z, ci, e);
		} else if (e->kind == SV_APPK_TLS && e->u.tls.sni &&
			   e->u.tls.sni[0]) {
			n = lower_name(z, e->u.tls.sni);
			observe(z, ci, SV_FC_SNI, z->buf, n, e->ts_ns, NULL,
				e->flow, e);
		}
	}
}

/* ---- cgroup series ---- */

static double sample_of(const struct sv_res_group *g, enum sv_res_metric m,
			uint64_t i)
{
	return g->v[m] ? g->v[m][i] : NAN;
}

static unsigned res_have(const struct sv_res_group *g)
{
	unsigned h = 0;

	if (g->v[SV_RES_CPU_CORES])
		h |= 1u << SV_FN_CPU;
	if (g->v[SV_RES_MEM_USAGE])
		h |= 1u << SV_FN_MEMORY;
	if (g->v[SV_RES_IO_READ] || g->v[SV_RES_IO_WRITE])
		h |= 1u << SV_FN_IO;
	if (g->v[SV_RES_PIDS])
		h |= 1u << SV_FN_PIDS;
	return h;
}

/* The most memory used in the interval that ends at sample i: the
 * usage then, or the kernel's high-water mark when it rose in the
 * interval (a snapshot sees the usage of one instant; a container
 * killed at its limit peaked between two). */
static double mem_max(const struct sv_res_group *g, uint64_t i)
{
	double u = sample_of(g, SV_RES_MEM_USAGE, i), p, q;

	if (!i)
		return u;
	p = sample_of(g, SV_RES_MEM_PEAK, i);
	q = sample_of(g, SV_RES_MEM_PEAK, i - 1);
	return isfinite(p) && isfinite(q) && p > q && !(p <= u) ? p : u;
}

static void res_sample(struct fz *z, uint32_t ci, const struct sv_res_group *g,
		       uint64_t i)
{
	struct cell *cl = cell_at(z, ci, g->ts_ns[i]);
	double v, r, w;

	if (!cl)
		return;
	v = sample_of(g, SV_RES_CPU_CORES, i);
	if (isfinite(v)) {
		cl->x[SV_FN_CPU] += v;
		cl->cpu_n++;
	}
	v = mem_max(g, i);
	if (isfinite(v) && v > cl->x[SV_FN_MEMORY])
		cl->x[SV_FN_MEMORY] = v;
	r = sample_of(g, SV_RES_IO_READ, i);
	w = sample_of(g, SV_RES_IO_WRITE, i);
	if (isfinite(r) || isfinite(w)) {
		cl->x[SV_FN_IO] += (isfinite(r) ? r : 0) +
				   (isfinite(w) ? w : 0);
		cl->io_n++;
	}
	v = sample_of(g, SV_RES_PIDS, i);
	if (isfinite(v) && v > cl->x[SV_FN_PIDS])
		cl->x[SV_FN_PIDS] = v;
}

static void pass_resources(struct fz *z)
{
	const struct sv_res_group *g;
	uint32_t ci;
	uint64_t i;

	for (g = z->a->resources.groups; g; g = g->next) {
		if (!g->primary || !g->container_id || !g->ts_ns)
			continue;
		ci = find_ci(z, g->container_id);
		if (ci == NO_CI)
			continue;
		z->c[ci].have |= res_have(g);
		for (i = 0; i < g->n; i++)
			res_sample(z, ci, g, i);
	}
}

/* ---- lifecycle ---- */

/*
 * Execs into a container are its runtime's exec events, else every
 * exec event (Kubernetes audit), else (pour()) the processes that
 * entered it; restarts are its restart events, else its starts after
 * the first (as sv_cont.restarts counts them). First the tallies.
 */
static void tally_lifecycle(struct fz *z)
{
	const struct sv_event *e;
	struct fcont *c;
	uint32_t ci;

	for (e = z->a->containers->events; e; e = e->next) {
		ci = find_ci(z, e->container_id);
		if (ci == NO_CI)
			continue;
		c = &z->c[ci];
		if (!strcmp(e->kind, SV_EV_CONTAINER_EXEC)) {
			c->ex_all++;
			c->ex_rt += e->source == SV_SRC_RUNTIME;
		} else if (!strcmp(e->kind, SV_EV_CONTAINER_RESTART)) {
			c->restart_ev++;
		} else if (!strcmp(e->kind, SV_EV_CONTAINER_START) &&
			   time_ok(e->ts_ns) &&
			   (c->first_start == SV_TIME_NONE ||
			    e->ts_ns < c->first_start)) {
			c->first_start = e->ts_ns;
		}
	}
	for (ci = 0; ci < z->nc; ci++)
		z->c[ci].starts_left = z->c[ci].k->restarts;
}

static int counts_as_lifecycle(struct fcont *c, const struct sv_event *e)
{
	if (!strcmp(e->kind, SV_EV_CONTAINER_EXEC))
		return !c->ex_rt || e->source == SV_SRC_RUNTIME;
	if (!strcmp(e->kind, SV_EV_CONTAINER_RESTART))
		return 1;
	if (c->restart_ev || strcmp(e->kind, SV_EV_CONTAINER_START) ||
	    !c->starts_left)
		return 0;
	if (e->ts_ns == c->first_start) {
		c->first_start = SV_TIME_NONE; /* the first start: once */
		return 0;
	}
	c->starts_left--;
	return 1;
}

static void pass_lifecycle(struct fz *z)
{
	const struct sv_event *e;
	const struct sv_cont *k;
	struct cell *cl;
	uint32_t ci;
	size_t i;

	if (!z->a->containers)
		return;
	tally_lifecycle(z);
	for (e = z->a->containers->events; e; e = e->next) {
		ci = find_ci(z, e->container_id);
		if (ci == NO_CI || !counts_as_lifecycle(&z->c[ci], e))
			continue;
		cl = cell_at(z, ci, e->ts_ns);
		if (cl)
			cl->lifecycle++;
	}
	for (ci = 0; ci < z->nc; ci++) {
		k = z->c[ci].k;
		for (i = 0; i < k->n_oom_ns && i < SV_CONT_OOM_TIMES; i++) {
			cl = cell_at(z, ci, k->oom_ns[i]);
			if (cl)
				cl->lifecycle++;
		}
	}
}

/* ---- the set ---- */

/* Lay out container c's windows: aligned, dense, the latest kept. */
static void layout(struct fz *z, struct fcont *c)
{
	struct sv_feat_container *o = c->out;
	uint64_t n, keep, i;

	o->first_ns = c->first;
	o->last_ns = c->last;
	if (c->first == SV_TIME_NONE)
		return;
	c->win0 = c->first - c->first % z->w;
	n = (uint64_t)((c->last - c->last % z->w - c->win0) / z->w) + 1;
	keep = n < SV_FEAT_WINDOWS_MAX ? n : SV_FEAT_WINDOWS_MAX;
	if (keep > z->windows_left)
		keep = z->windows_left;
	o->windows_dropped = n - keep + c->cells_dropped;
	if (!keep)
		return;
	c->win0 += (int64_t)(n - keep) * z->w;
	c->win = sv_arena_calloc(z->arena, keep, sizeof(*c->win));
	if (!c->win) {
		z->nomem = 1;
		o->windows_dropped += keep;
		return;
	}
	z->windows_left -= keep;
	for (i = 0; i < keep; i++) {
		c->win[i].start_ns = c->win0 + (int64_t)i * z->w;
		c->win[i].next = i + 1 < keep ? &c->win[i + 1] : NULL;
	}
	c->n_win = keep;
	o->windows = c->win;
	o->n_windows = keep;
	if (o->first_ns < c->win0)
		o->first_ns = c->win0;
}

/* Levels are maxima, counts sums; cpu and io are rates (averaged). */
static int is_level(int f)
{
	return f == SV_FN_MEMORY || f == SV_FN_PIDS || f == SV_FN_DNS_LABEL ||
	       f == SV_FN_DNS_ENTROPY;
}

/* One cell into its container's life and window. */
static void pour(struct fz *z, const struct cell *cl)
{
	struct fcont *c = &z->c[cl->ci];
	double *life = c->out->life;
	struct sv_feat_window *w;
	uint64_t i;
	int f;

	for (f = 0; f < SV_FN_COUNT; f++) {
		if (is_level(f) && cl->x[f] > life[f])
			life[f] = cl->x[f];
		else if (!is_level(f) && f != SV_FN_CPU && f != SV_FN_IO)
			life[f] += cl->x[f];
	}
	c->cpu_sum += cl->x[SV_FN_CPU];
	c->cpu_n += cl->cpu_n;
	c->io_sum += cl->x[SV_FN_IO];
	c->io_n += cl->io_n;
	if (cl->start < c->win0 || !c->n_win)
		return;
	i = (uint64_t)(cl->start - c->win0) / (uint64_t)z->w;
	if (i >= c->n_win)
		return;
	w = &c->win[i];
	memcpy(w->x, cl->x, sizeof(w->x));
	w->x[SV_FN_CPU] = cl->cpu_n ? cl->x[SV_FN_CPU] / cl->cpu_n : 0;
	w->x[SV_FN_IO] = cl->io_n ? cl->x[SV_FN_IO] / cl->io_n : 0;
	w->k[SV_FR_EXECS] = (uint64_t)cl->x[SV_FN_EXECS];
	w->k[SV_FR_CONNS] = (uint64_t)cl->x[SV_FN_CONN_OUT];
	w->k[SV_FR_DNS] = (uint64_t)cl->x[SV_FN_DNS_QUERIES];
	w->k[SV_FR_LIFECYCLE] = cl->lifecycle + (c->ex_all ? 0 : cl->entered);
}

/* A value's place: container, family, first seen (unknown last), then
 * the order values were met; kept inline so that sorting reads no
 * value. */
struct vkey {
	uint64_t cf, t;
	uint32_t seq;
	struct sv_feat_value *v;
};

static int cmp_val(const void *x, const void *y)
{
	const struct vkey *a = x, *b = y;

	if (a->cf != b->cf)
		return a->cf < b->cf ? -1 : 1;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Every value into its container's list: family order, then first seen. */
static void link_values(struct fz *z)
{
	const struct fval *e;
	struct vkey *v;
	struct fcont *c;
	size_t i, n = z->vals.n;

	v = n ? malloc(n * sizeof(*v)) : NULL;
	if (!v) {
		z->nomem |= n > 0;
		return;
	}
	for (i = 0; i < n; i++) {
		e = sv_tab_at(&z->vals, (uint32_t)i);
		v[i].cf = (uint64_t)e->ci << 8 | e->fam;
		v[i].t = e->v->first_ns == SV_TIME_NONE ? UINT64_MAX
			 : (uint64_t)e->v->first_ns;
		v[i].seq = (uint32_t)i;
		v[i].v = e->v;
	}
	qsort(v, n, sizeof(*v), cmp_val);
	for (i = 0; i < n; i++) {
		c = &z->c[v[i].cf >> 8];
		if (!c->out)
			continue;
		if (c->tail)
			c->tail->next = v[i].v;
		else
			c->out->values = v[i].v;
		c->tail = v[i].v;
		c->out->n_values++;
	}
	free(v);
}

static int cmp_cont(const void *x, const void *y)
{
	const struct sv_feat_container *a =
		*(const struct sv_feat_container *const *)x;
	const struct sv_feat_container *b =
		*(const struct sv_feat_container *const *)y;
	int r = strcmp(a->label, b->label);

	return r ? r : strcmp(a->container_id, b->container_id);
}

/* The feature container of c (which had activity), without windows. */
static struct sv_feat_container *new_container(struct fz *z, struct fcont *c,
					       const struct sv_featurize_options
					       *o)
{
	struct sv_feat_container *fc = sv_arena_alloc(z->arena, sizeof(*fc));
	const struct sv_procs_result *pr = z->a->procs;

	if (!fc) {
		z->nomem = 1;
		return NULL;
	}
	fc->container_id = c->k->id;
	fc->label = c->k->name ? c->k->name : c->k->id;
	fc->workload = sv_workload_key(z->arena, c->k, o->workloads,
				       &fc->workload_from);
	if (!fc->workload) {
		z->nomem = 1;
		fc->workload = "unknown";
	}
	fc->have = c->have;
	if (z->a->captures) /* conn-out .. dns-entropy */
		fc->have |= ((1u << (SV_FN_DNS_ENTROPY + 1)) - 1) &
			    ~((1u << SV_FN_CONN_OUT) - 1);
	if (pr && pr->st.snapshots)
		fc->have |= 1u << SV_FN_EXECS;
	fc->values_dropped = c->values_dropped;
	c->out = fc;
	return fc;
}

/* The containers with activity, their windows, life and values, into
 * out ordered by label. */
static void assemble(struct fz *z, const struct sv_featurize_options *o,
		     struct sv_feat_set *out)
{
	struct sv_feat_container **v;
	const struct cell *cl;
	struct fcont *c;
	size_t i, n = 0;

	v = malloc((z->nc ? z->nc : 1) * sizeof(*v));
	if (!v) {
		z->nomem = 1;
		return;
	}
	for (i = 0; i < z->nc; i++) {
		c = &z->c[i];
		if (c->first == SV_TIME_NONE && !c->n_values)
			continue;
		if (!new_container(z, c, o))
			continue;
		layout(z, c);
		v[n++] = c->out;
	}
	for (i = 0; i < z->cells.n; i++) {
		cl = sv_tab_at(&z->cells, (uint32_t)i);
		if (z->c[cl->ci].out)
			pour(z, cl);
	}
	for (i = 0; i < z->nc; i++) {
		c = &z->c[i];
		if (!c->out)
			continue;
		c->out->life[SV_FN_CPU] = c->cpu_n ? c->cpu_sum / c->cpu_n : 0;
		c->out->life[SV_FN_IO] = c->io_n ? c->io_sum / c->io_n : 0;
	}
	link_values(z);
	qsort(v, n, sizeof(*v), cmp_cont);
	for (i = 0; i < n; i++)
		v[i]->next = i + 1 < n ? v[i + 1] : NULL;
	out->containers = n ? v[0] : NULL;
	out->n = n;
	free(v);
}

/* One entry per container with an id, in the order of by_id. */
static int index_containers(struct fz *z)
{
	const struct sv_container_set *cs = z->a->containers;
	size_t i;

	if (!cs || !cs->n_by_id || !cs->by_id)
		return 0;
	z->c = calloc(cs->n_by_id, sizeof(*z->c));
	if (!z->c)
		return -1;
	for (i = 0; i < cs->n_by_id && i < NO_CI; i++) {
		z->c[i].k = cs->by_id[i];
		z->c[i].first = z->c[i].last = SV_TIME_NONE;
		z->c[i].first_start = SV_TIME_NONE;
	}
	z->nc = i;
	return 0;
}

/* Windows only where the bundle could see (one window of margin). */
static void observed_period(struct fz *z)
{
	int64_t lo, hi;

	if (!sv_analysis_observed(z->a, &lo, &hi) || !time_ok(lo) ||
	    !time_ok(hi))
		return;
	z->obs_lo = lo > z->w ? lo - z->w : 0;
	z->obs_hi = hi > TIME_MAX - z->w ? TIME_MAX : hi + z->w;
}

static struct fz *fz_new(const struct sv_analysis *a, struct sv_arena *arena,
			 int64_t w)
{
	struct fz *z = calloc(1, sizeof(*z));

	if (!z)
		return NULL;
	z->a = a;
	z->arena = arena;
	z->w = w;
	z->windows_left = SET_WINDOWS_MAX;
	observed_period(z);
	/* A seed per run: hostile ids cannot aim at one bucket. */
	if (getrandom(&z->seed, sizeof(z->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(z->seed))
		z->seed = (uint64_t)sv_time_now() ^ (uint64_t)(uintptr_t)z;
	sv_tab_init(&z->cells, sizeof(struct cell), CELLS_MAX);
	sv_tab_init(&z->vals, sizeof(struct fval), SV_TAB_MAX);
	return z;
}

static void fz_free(struct fz *z)
{
	if (!z)
		return;
	sv_tab_free(&z->cells);
	sv_tab_free(&z->vals);
	free(z->c);
	free(z);
}

enum sv_status sv_featurize(const struct sv_analysis *a,
			    const struct sv_featurize_options *o,
			    struct sv_arena *arena, struct sv_feat_set *out,
			    struct sv_error *err)
{
	static const struct sv_featurize_options none;
	int64_t w;
	struct fz *z;

	if (!o)
		o = &none;
	w = o->window_ns ? o->window_ns : SV_FEAT_WINDOW_NS;
	memset(out, 0, sizeof(*out));
	out->window_ns = w;
	if (!a || !arena)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "featurize: no "
				    "analysis or arena");
	if (w < SV_FEAT_WINDOW_MIN_NS || w > SV_FEAT_WINDOW_MAX_NS)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "window of %"
				    PRId64 " ns: outside 1 s .. 1 day",
				    o->window_ns);
	z = fz_new(a, arena, w);
	if (!z || index_containers(z)) {
		fz_free(z);
		out->nomem = 1;
		return sv_error_set(err, SV_ERR_NOMEM, NULL, "featurize: "
				    "out of memory");
	}
	pass_procs(z);
	pass_flows(z);
	pass_app(z);
	pass_resources(z);
	pass_lifecycle(z);
	assemble(z, o, out);
	out->nomem = z->nomem;
	fz_free(z);
	if (out->nomem)
		return sv_error_set(err, SV_ERR_NOMEM, NULL, "featurize: out "
				    "of memory; the features are partial");
	return SV_OK;
}
