/*
 * sv_attrib_join.c - flow ends to containers and processes: the join
 * (rules in sv_attrib.h, tables in sv_attrib_int.h).
 *
 * Per call: build the derived tables (processes by (pid, start), network
 * namespaces, addresses), resolve each flow end (socket row -> holder ->
 * netns -> container), write the evidence line, keep one shared owner
 * per distinct result, free the derived tables.
 */
#include "sv_attrib_int.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define HOW_MAX 1024

/* ---- built tables: processes, netns, addresses ---- */

static uint32_t proc_find(const struct sv_attrib *at, uint32_t pid,
			  uint64_t start, uint64_t h)
{
	const struct proc *p;
	uint32_t i;

	for (i = sv_tab_first(&at->procs, (uint32_t)h); i;
	     i = sv_tab_next(&at->procs, i)) {
		p = sv_tab_at(&at->procs, i - 1);
		if (p->pid == pid && p->start == start)
			return i;
	}
	return 0;
}

static int build_procs(struct sv_attrib *at)
{
	uint32_t fi, i;
	struct folder *f;
	struct proc *p;
	uint64_t h;

	for (fi = 0; fi < at->folders.n; fi++) {
		f = F(at, fi);
		if (!f->start)
			continue;
		h = sv_hash2(at->seed, f->pid, f->start);
		i = proc_find(at, f->pid, f->start, h);
		if (!i) {
			if (sv_tab_add(&at->procs, h, &i))
				return -1;
			p = sv_tab_at(&at->procs, i++);
			p->pid = f->pid;
			p->start = f->start;
		}
		p = sv_tab_at(&at->procs, i - 1);
		if (!p->f_comm && f->comm)
			p->f_comm = fi + 1;
		if (!p->f_exe && f->exe)
			p->f_exe = fi + 1;
		if (!p->f_cg && f->has_cgroup)
			p->f_cg = fi + 1;
	}
	return 0;
}

/* The (pid, start) process of folder fi, or NULL. */
static const struct proc *proc_of(const struct sv_attrib *at, uint32_t fi)
{
	const struct folder *f = F(at, fi);
	uint32_t i;

	if (!f->start)
		return NULL;
	i = proc_find(at, f->pid, f->start,
		      sv_hash2(at->seed, f->pid, f->start));
	return i ? sv_tab_at(&at->procs, i - 1) : NULL;
}

/* Folder fi, or another snapshot of its process, that has field w. */
enum { W_COMM, W_EXE, W_CG };

static const struct folder *with(const struct sv_attrib *at, uint32_t fi,
				 int w)
{
	const struct folder *f = F(at, fi);
	const struct proc *p;
	uint32_t o;

	if ((w == W_COMM && f->comm) || (w == W_EXE && f->exe) ||
	    (w == W_CG && f->has_cgroup))
		return f;
	p = proc_of(at, fi);
	if (!p)
		return NULL;
	o = w == W_COMM ? p->f_comm : w == W_EXE ? p->f_exe : p->f_cg;
	return o ? F(at, o - 1) : NULL;
}

/* Container index + 1 of folder fi by its cgroup; 0 outside; -1 unknown */
static int64_t folder_cont(const struct sv_attrib *at, uint32_t fi)
{
	const struct folder *cg = with(at, fi, W_CG);

	if (!cg)
		return -1;
	return cg->conmon ? 0 : cg->cont;
}

static struct nsi *nsi_get(struct sv_attrib *at, uint64_t netns, int add)
{
	uint64_t h = sv_hash2(at->seed, netns, 2);
	struct nsi *n;
	uint32_t i;

	for (i = sv_tab_first(&at->nsis, (uint32_t)h); i;
	     i = sv_tab_next(&at->nsis, i)) {
		n = sv_tab_at(&at->nsis, i - 1);
		if (n->netns == netns)
			return n;
	}
	if (!add || sv_tab_add(&at->nsis, h, &i))
		return NULL;
	n = sv_tab_at(&at->nsis, i);
	n->netns = netns;
	return n;
}

static void nsi_add_cont(struct sv_attrib *at, struct nsi *n, uint32_t c1,
			 const struct folder *f)
{
	struct cont *c = C(at, c1 - 1);
	uint32_t k;

	n->cont_n++;
	if (!c->netns)
		c->netns = n->netns;
	if (f->start && (!c->first_start || f->start < c->first_start))
		c->first_start = f->start;
	for (k = 0; k < n->ncont; k++)
		if (n->cont[k] == c1)
			return;
	if (n->ncont < PER_KEY)
		n->cont[n->ncont++] = c1;
}

static int build_ns(struct sv_attrib *at)
{
	uint32_t fi;
	struct folder *f;
	struct nsi *n;
	int64_t c;

	at->pid1_seen = 0;
	for (fi = 0; fi < at->folders.n; fi++) {
		f = F(at, fi);
		if (!f->netns)
			continue;
		n = nsi_get(at, f->netns, 1);
		if (!n)
			return -1;
		if (f->pid == 1)
			n->pid1 = at->pid1_seen = 1;
		c = folder_cont(at, fi);
		if (c > 0)
			nsi_add_cont(at, n, (uint32_t)c, f);
		else if (c == 0)
			n->host_n++;
	}
	return 0;
}

static int nsi_is_host(const struct sv_attrib *at, const struct nsi *n)
{
	return n->pid1 || (!at->pid1_seen && n->host_n > n->cont_n);
}

/* The container of netns n: started first (a pod's infra); index + 1. */
static uint32_t nsi_first_cont(const struct sv_attrib *at,
			       const struct nsi *n)
{
	uint32_t k, best = 0;
	const struct cont *c, *b;

	for (k = 0; k < n->ncont; k++) {
		c = C(at, n->cont[k] - 1);
		b = best ? C(at, best - 1) : NULL;
		if (!b || (c->first_start &&
			   (!b->first_start ||
			    c->first_start < b->first_start)))
			best = n->cont[k];
	}
	return best;
}

/* 0.0.0.0/8, 127/8, multicast and broadcast, ::, ::1, ff00::/8: none. */
static int addr_usable(uint8_t fam, const uint8_t *a)
{
	static const uint8_t lo6[16] = {[15] = 1};

	if (fam == 4)
		return a[0] != 0 && a[0] != 127 && a[0] < 224;
	return !all_zero(a, 16) && memcmp(a, lo6, 16) && a[0] != 0xff;
}

static uint64_t addr_hash(const struct sv_attrib *at, uint8_t fam,
			  const uint8_t *a)
{
	uint8_t key[17];

	key[0] = fam;
	memcpy(key + 1, a, 16);
	return sv_hash_bytes(at->seed, key, sizeof(key));
}

static int addr_same(const struct addr *e, uint8_t fam, const uint8_t *a)
{
	return e->fam == fam && !memcmp(e->a, a, 16);
}

/* Note that address a is local to netns (A_NETNS, idx a row) or is an
 * inspect address of container idx (A_CONT), seen over [t0, t1]. */
static int addr_add(struct sv_attrib *at, const struct addr *in)
{
	uint64_t h = addr_hash(at, in->fam, in->a);
	struct addr *e;
	uint32_t i, same = 0;

	for (i = sv_tab_first(&at->addrs, (uint32_t)h); i;
	     i = sv_tab_next(&at->addrs, i)) {
		e = sv_tab_at(&at->addrs, i - 1);
		if (!addr_same(e, in->fam, in->a) || e->kind != in->kind)
			continue;
		if (in->kind == A_NETNS && e->netns == in->netns) {
			e->t0 = in->t0 < e->t0 ? in->t0 : e->t0;
			e->t1 = in->t1 > e->t1 ? in->t1 : e->t1;
			return 0;
		}
		same++;
	}
	if (same >= PER_KEY)
		return 0;
	if (sv_tab_add(&at->addrs, h, &i))
		return -1;
	e = sv_tab_at(&at->addrs, i);
	memcpy((char *)e + sizeof(e->l), (const char *)in + sizeof(in->l),
	       sizeof(*e) - sizeof(e->l));
	return 0;
}

static uint64_t row_netns(const struct sv_attrib *at, const struct row *r)
{
	uint64_t n = F(at, r->f_first)->netns;

	return n ? n : F(at, r->f_last)->netns;
}

static int build_addrs(struct sv_attrib *at)
{
	struct addr in;
	const struct row *r;
	const struct cont *c;
	uint32_t i, k;

	for (i = 0; i < at->rows.n; i++) {
		r = sv_tab_at(&at->rows, i);
		memset(&in, 0, sizeof(in));
		in.netns = row_netns(at, r);
		if (!in.netns || !addr_usable(r->k.fam, r->k.la))
			continue;
		in.kind = A_NETNS;
		in.fam = r->k.fam;
		memcpy(in.a, r->k.la, 16);
		in.idx = i;
		in.t0 = folder_ts(at, r->f_first);
		in.t1 = folder_ts(at, r->f_last);
		if (addr_add(at, &in))
			return -1;
	}
	for (i = 0; i < at->conts.n; i++) {
		c = C(at, i);
		for (k = 0; k < c->nip; k++) {
			memset(&in, 0, sizeof(in));
			in.kind = A_CONT;
			in.fam = c->ipfam[k];
			memcpy(in.a, c->ip[k], 16);
			in.idx = i;
			in.netns = c->netns;
			in.t0 = c->started;
			in.t1 = c->finished > c->started ? c->finished
							 : INT64_MAX;
			if (addr_usable(in.fam, in.a) && addr_add(at, &in))
				return -1;
		}
	}
	return 0;
}

void sv_attrib_join_free(struct sv_attrib *at)
{
	sv_tab_free(&at->procs);
	sv_tab_free(&at->nsis);
	sv_tab_free(&at->addrs);
}

static int build(struct sv_attrib *at)
{
	uint32_t i;

	sv_attrib_join_free(at);
	for (i = 0; i < at->conts.n; i++)
		C(at, i)->netns = C(at, i)->first_start = 0;
	if (build_procs(at) || build_ns(at) || build_addrs(at))
		return -1;
	return 0;
}

/* ---- one flow end ---- */

/* Distance between two time ranges: 0 when they meet. */
static uint64_t gap(int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
	if (a1 < b0)
		return (uint64_t)b0 - (uint64_t)a1;
	if (b1 < a0)
		return (uint64_t)a0 - (uint64_t)b1;
	return 0;
}

struct end {
	struct tuple k;   /* local: this end */
	int64_t t0, t1;   /* the flow's first and last packet */
	int server;       /* may be served by a LISTEN row */
};

enum { R_NONE, R_EXACT, R_LISTEN, R_UNBOUND };
enum { K_NONE, K_PROC, K_NETNS, K_INSPECT };

struct res {
	int rkind;            /* R_*: how the socket row was found */
	uint32_t xrow;        /* an exact row without inode, + 1, when a
				 LISTEN or unconnected row stood in */
	uint32_t row;         /* index + 1 */
	uint32_t holder;      /* folder index + 1 */
	uint32_t nholders;
	uint64_t netns;
	uint32_t ns_addr;     /* the addrs entry that gave netns, + 1 */
	int ckind;            /* K_*: how the container was found */
	uint32_t cont;        /* index + 1 */
	int is_host;
	int ambiguous;
	int outside;          /* the holder's cgroup is the host's */
	const struct nsi *ns;
};

static int row_mode_ok(const struct row *r, int mode)
{
	if (mode == R_LISTEN)
		return r->k.proto == SV_AT_TCP && r->state == SV_AT_TCP_LISTEN;
	if (mode == R_UNBOUND)
		return r->k.proto == SV_AT_UDP;
	return 1;
}

/* The row with tuple k seen closest to [t0, t1] (rows with an inode
 * first on a tie, then the first kept); in netns unless it is 0. */
static uint32_t best_row(const struct sv_attrib *at, const struct tuple *k,
			 const struct end *e, int mode, uint64_t netns)
{
	uint64_t h = tuple_hash(at, k), g, bg = UINT64_MAX;
	uint32_t i, best = 0;
	const struct row *r;
	int bi = 0;

	for (i = sv_tab_first(&at->rows, (uint32_t)h); i;
	     i = sv_tab_next(&at->rows, i)) {
		r = sv_tab_at(&at->rows, i - 1);
		if (memcmp(&r->k, k, sizeof(*k)) || !row_mode_ok(r, mode) ||
		    (netns && row_netns(at, r) != netns))
			continue;
		g = gap(folder_ts(at, r->f_first), folder_ts(at, r->f_last),
			e->t0, e->t1);
		if (!best || g < bg || (g == bg && (r->inode != 0) >= bi)) {
			best = i;
			bg = g;
			bi = r->inode != 0;
		}
	}
	return best;
}

/* The netns address a is local to, closest in time; 0 if none or a tie. */
static uint64_t addr_netns(const struct sv_attrib *at, const struct end *e,
			   struct res *res)
{
	uint64_t h = addr_hash(at, e->k.fam, e->k.la), g, bg = UINT64_MAX;
	uint64_t best = 0;
	const struct addr *a;
	uint32_t i;
	int tie = 0;

	for (i = sv_tab_first(&at->addrs, (uint32_t)h); i;
	     i = sv_tab_next(&at->addrs, i)) {
		a = sv_tab_at(&at->addrs, i - 1);
		if (!addr_same(a, e->k.fam, e->k.la) || !a->netns)
			continue;
		g = gap(a->t0, a->t1, e->t0, e->t1);
		if (g < bg || !best) {
			tie = 0;
			best = a->netns;
			bg = g;
			res->ns_addr = i;
		} else if (g == bg && a->netns != best) {
			tie = 1;
		}
	}
	if (tie) {
		res->ambiguous = 1;
		res->ns_addr = 0;
		return 0;
	}
	return best;
}

/* A LISTEN (TCP) or unconnected (UDP) row bound to the end's port. */
static uint32_t bound_row(const struct sv_attrib *at, const struct end *e,
			  int mode, uint64_t netns)
{
	struct tuple k = e->k;
	uint32_t r;

	k.rp = 0;
	memset(k.ra, 0, sizeof(k.ra));
	r = best_row(at, &k, e, mode, netns);
	if (r || !netns)
		return r;
	memset(k.la, 0, sizeof(k.la));
	r = best_row(at, &k, e, mode, netns);
	if (r || k.fam == 6)
		return r;
	k.fam = 6;   /* a dual-stack socket on [::] takes IPv4 too */
	return best_row(at, &k, e, mode, netns);
}

static void find_socket(const struct sv_attrib *at, const struct end *e,
			struct res *res)
{
	const struct row *r;
	uint32_t i;
	int mode;

	i = best_row(at, &e->k, e, R_EXACT, 0);
	if (i) {
		res->row = i;
		res->rkind = R_EXACT;
		res->netns = row_netns(at, sv_tab_at(&at->rows, i - 1));
		r = sv_tab_at(&at->rows, i - 1);
		if (r->inode)
			return;
	}
	if (!res->netns)
		res->netns = addr_netns(at, e, res);
	mode = e->k.proto == SV_AT_UDP ? R_UNBOUND
	       : e->k.proto == SV_AT_TCP && e->server ? R_LISTEN : R_NONE;
	if (mode == R_NONE)
		return;
	i = bound_row(at, e, mode, res->netns);
	if (!i)
		return;
	res->xrow = res->row;
	res->row = i;
	res->rkind = mode;
	if (!res->netns)
		res->netns = row_netns(at, sv_tab_at(&at->rows, i - 1));
}

/* The holder of inode seen closest to the flow, then started first. */
static void find_holder(const struct sv_attrib *at, uint64_t inode,
			const struct end *e, struct res *res)
{
	uint64_t h = sv_hash2(at->seed, inode, 1), g, bg = UINT64_MAX;
	uint64_t s, bs = 0;
	const struct fdent *fd;
	uint32_t i, f;

	for (i = sv_tab_first(&at->fds, (uint32_t)h); i;
	     i = sv_tab_next(&at->fds, i)) {
		fd = sv_tab_at(&at->fds, i - 1);
		if (fd->inode != inode)
			continue;
		res->nholders++;
		g = gap(folder_ts(at, fd->f_first), folder_ts(at, fd->f_last),
			e->t0, e->t1);
		f = gap(folder_ts(at, fd->f_first), folder_ts(at, fd->f_first),
			e->t0, e->t1) <=
		    gap(folder_ts(at, fd->f_last), folder_ts(at, fd->f_last),
			e->t0, e->t1) ? fd->f_first : fd->f_last;
		s = F(at, f)->start ? F(at, f)->start : UINT64_MAX;
		if (!res->holder || g < bg || (g == bg && s <= bs)) {
			res->holder = f + 1;
			bg = g;
			bs = s;
		}
	}
}

/* The one container whose inspect lists the address at the flow's time */
static uint32_t inspect_cont(const struct sv_attrib *at, const struct end *e,
			     int *ambiguous)
{
	uint64_t h = addr_hash(at, e->k.fam, e->k.la), g, bg = UINT64_MAX;
	const struct addr *a;
	uint32_t i, best = 0;
	int tie = 0;

	for (i = sv_tab_first(&at->addrs, (uint32_t)h); i;
	     i = sv_tab_next(&at->addrs, i)) {
		a = sv_tab_at(&at->addrs, i - 1);
		if (!addr_same(a, e->k.fam, e->k.la) || a->kind != A_CONT)
			continue;
		g = gap(a->t0, a->t1, e->t0, e->t1);
		if (!best || g < bg) {
			best = a->idx + 1;
			bg = g;
			tie = 0;
		} else if (g == bg && a->idx + 1 != best) {
			tie = 1;
		}
	}
	if (tie) {
		*ambiguous = 1;
		return 0;
	}
	return best;
}

static void find_container(struct sv_attrib *at, const struct end *e,
			   struct res *res)
{
	int64_t c = res->holder ? folder_cont(at, res->holder - 1) : -1;

	if (c > 0) {
		res->cont = (uint32_t)c;
		res->ckind = K_PROC;
		return;
	}
	res->outside = c == 0;
	res->ns = res->netns ? nsi_get(at, res->netns, 0) : NULL;
	if (res->ns && nsi_is_host(at, res->ns)) {
		res->is_host = 1;
		return;
	}
	if (res->ns && res->ns->ncont) {
		res->cont = nsi_first_cont(at, res->ns);
		res->ckind = K_NETNS;
		return;
	}
	res->cont = inspect_cont(at, e, &res->ambiguous);
	if (res->cont)
		res->ckind = K_INSPECT;
}

static void resolve(struct sv_attrib *at, const struct end *e,
		    struct res *res)
{
	const struct row *r;

	memset(res, 0, sizeof(*res));
	find_socket(at, e, res);
	r = res->row ? sv_tab_at(&at->rows, res->row - 1) : NULL;
	if (r && r->inode)
		find_holder(at, r->inode, e, res);
	if (!res->netns && res->holder)
		res->netns = F(at, res->holder - 1)->netns;
	find_container(at, e, res);
}

/* ---- the evidence text ---- */

struct hb {
	char s[HOW_MAX];
	size_t n;
};

static void hb_add(struct hb *b, const char *fmt, ...) SV_PRINTF(2, 3);

static void hb_add(struct hb *b, const char *fmt, ...)
{
	size_t room = sizeof(b->s) - b->n;
	va_list ap;
	int w;

	if (room < 2)
		return;
	va_start(ap, fmt);
	w = vsnprintf(b->s + b->n, room, fmt, ap);
	va_end(ap);
	if (w > 0)
		b->n += (size_t)w < room ? (size_t)w : room - 1;
}

/* "10.0.0.1:80", "[fe80::1]:53", "*:80" (unspecified address). */
static const char *ep(char *buf, size_t n, uint8_t fam, const uint8_t *a,
		      uint16_t port)
{
	char ip[INET6_ADDRSTRLEN];

	if (all_zero(a, fam == 4 ? 4 : 16))
		snprintf(buf, n, "*:%u", port);
	else if (!inet_ntop(fam == 4 ? AF_INET : AF_INET6, a, ip, sizeof(ip)))
		snprintf(buf, n, "?:%u", port);
	else
		snprintf(buf, n, fam == 4 ? "%s:%u" : "[%s]:%u", ip, port);
	return buf;
}

static const char *ip_text(char *buf, size_t n, uint8_t fam, const uint8_t *a)
{
	if (!inet_ntop(fam == 4 ? AF_INET : AF_INET6, a, buf, (socklen_t)n))
		snprintf(buf, n, "?");
	return buf;
}

/* "<root>/proc/<T>/<pid>" of folder fi. */
static void hb_folder(struct hb *b, const struct sv_attrib *at, uint32_t fi)
{
	const struct folder *f = F(at, fi);

	hb_add(b, "%s/%u", f->snap ? f->snap : "proc/?", f->pid);
}

static const char *cont_label(const struct cont *c)
{
	return c->name ? c->name : c->id;
}

static void how_row(struct hb *b, const struct sv_attrib *at,
		    const struct res *res, uint32_t row, int rkind)
{
	const struct row *r = sv_tab_at(&at->rows, row - 1);
	static const char *const lead[] = {
		"", "", "no connected row with an inode, so the LISTEN ",
		"unconnected "
	};
	char x[64], y[64];

	hb_add(b, "%snet/%s%s row %s", lead[rkind],
	       r->k.proto == SV_AT_TCP ? "tcp" : "udp", r->v6tab ? "6" : "",
	       ep(x, sizeof(x), r->k.fam, r->k.la, r->k.lp));
	if (rkind == R_EXACT)
		hb_add(b, " -> %s", ep(y, sizeof(y), r->k.fam, r->k.ra,
				       r->k.rp));
	hb_add(b, " in netns %llu (", (unsigned long long)row_netns(at, r));
	hb_folder(b, at, r->f_first);
	hb_add(b, ")");
	if (!r->inode)
		hb_add(b, ", no inode (a closed socket)");
	else if (!res->holder)
		hb_add(b, " -> socket:[%llu] in no fd.links",
		       (unsigned long long)r->inode);
}

static void how_holder(struct hb *b, const struct sv_attrib *at,
		       const struct res *res)
{
	const struct row *r = sv_tab_at(&at->rows, res->row - 1);

	hb_add(b, " -> socket:[%llu] in fd.links of pid %u (",
	       (unsigned long long)r->inode, F(at, res->holder - 1)->pid);
	hb_folder(b, at, res->holder - 1);
	hb_add(b, ")");
	if (res->nholders > 1)
		hb_add(b, ", first started of %u holders", res->nholders);
	if (res->ckind == K_PROC)
		hb_add(b, "; its cgroup: container %s",
		       cont_label(C(at, res->cont - 1)));
	else if (res->outside)
		hb_add(b, "; its cgroup is outside containers");
}

static void how_addr(struct hb *b, const struct sv_attrib *at,
		     const struct end *e, const struct res *res)
{
	const struct addr *a = sv_tab_at(&at->addrs, res->ns_addr - 1);
	const struct row *r;
	char ip[INET6_ADDRSTRLEN];

	ip_text(ip, sizeof(ip), e->k.fam, e->k.la);
	if (a->kind == A_CONT) {
		hb_add(b, "inspect ip %s (%s) -> container %s in netns %llu",
		       ip, C(at, a->idx)->src ? C(at, a->idx)->src : "events",
		       cont_label(C(at, a->idx)),
		       (unsigned long long)a->netns);
		return;
	}
	r = sv_tab_at(&at->rows, a->idx);
	hb_add(b, "address %s is local in netns %llu (net/%s%s of ", ip,
	       (unsigned long long)a->netns,
	       r->k.proto == SV_AT_TCP ? "tcp" : "udp", r->v6tab ? "6" : "");
	hb_folder(b, at, r->f_first);
	hb_add(b, ")");
}

static void how_netns(struct hb *b, const struct sv_attrib *at,
		      const struct res *res)
{
	const struct nsi *n = res->ns;
	const struct cont *c;

	if (res->is_host) {
		hb_add(b, "; netns %llu is the host's (%s)",
		       (unsigned long long)n->netns, n->pid1 ? "pid 1 is in it"
		       : "more processes outside containers than in");
		return;
	}
	if (res->ckind != K_NETNS)
		return;
	c = C(at, res->cont - 1);
	if (n->ncont == 1) {
		hb_add(b, "; netns %llu holds container %s's processes",
		       (unsigned long long)n->netns, cont_label(c));
		return;
	}
	hb_add(b, "; netns %llu is shared by %u containers%s%s: named %s, "
	       "started first", (unsigned long long)n->netns, n->ncont,
	       c->pod ? " of pod " : "", c->pod ? c->pod : "", cont_label(c));
}

/* Names come from the bundle: no control byte may break the line. */
static void scrub(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void compose_how(struct hb *b, const struct sv_attrib *at,
			const struct end *e, const struct res *res)
{
	char ip[INET6_ADDRSTRLEN];
	const struct cont *c;

	b->n = 0;
	b->s[0] = '\0';
	if (res->ns_addr)
		how_addr(b, at, e, res);
	if (res->xrow) {
		hb_add(b, "%s", b->n ? "; " : "");
		how_row(b, at, res, res->xrow, R_EXACT);
	}
	if (res->row) {
		hb_add(b, "%s", b->n ? "; " : "");
		how_row(b, at, res, res->row, res->rkind);
	}
	if (res->holder)
		how_holder(b, at, res);
	how_netns(b, at, res);
	if (res->ckind == K_INSPECT) {
		c = C(at, res->cont - 1);
		hb_add(b, "%sinspect ip %s (%s)", b->n ? "; " : "",
		       ip_text(ip, sizeof(ip), e->k.fam, e->k.la),
		       c->src ? c->src : "events");
	}
	if (res->ambiguous)
		hb_add(b, "%s%s", b->n ? "; " : "",
		       "several network namespaces or containers fit");
	scrub(b->s);
}

/* ---- owners ---- */

static uint64_t owner_hash(const struct sv_attrib *at, const struct sv_owner *o)
{
	uint64_t h = sv_hash_bytes(at->seed, o, sizeof(*o) - sizeof(o->how));

	return sv_hash_bytes(h, o->how, strlen(o->how));
}

static int owner_eq(const struct sv_owner *x, const struct sv_owner *y)
{
	return x->container_id == y->container_id &&
	       x->container_name == y->container_name &&
	       x->image == y->image && x->pod == y->pod &&
	       x->is_host == y->is_host && x->pid == y->pid &&
	       x->pid_start == y->pid_start && x->comm == y->comm &&
	       x->exe == y->exe && x->inode == y->inode &&
	       x->netns == y->netns && !strcmp(x->how, y->how);
}

/* The shared arena copy of o; NULL when out of memory. */
static const struct sv_owner *owner_keep(struct sv_attrib *at,
					 const struct sv_owner *o)
{
	uint64_t h = owner_hash(at, o);
	struct owner_ent *e;
	struct sv_owner *n;
	uint32_t i;

	for (i = sv_tab_first(&at->owners, (uint32_t)h); i;
	     i = sv_tab_next(&at->owners, i)) {
		e = sv_tab_at(&at->owners, i - 1);
		if (e->l.hash == (uint32_t)h && owner_eq(e->o, o))
			return e->o;
	}
	n = sv_arena_alloc(at->arena, sizeof(*n));
	if (!n)
		return NULL;
	*n = *o;
	n->how = sv_arena_strdup(at->arena, o->how);
	if (!n->how || sv_tab_add(&at->owners, h, &i))
		return NULL;
	e = sv_tab_at(&at->owners, i);
	e->o = n;
	at->st.owners++;
	return n;
}

static void fill_process(const struct sv_attrib *at, const struct res *res,
			 struct sv_owner *o)
{
	const struct folder *f = F(at, res->holder - 1), *w;

	o->pid = f->pid;
	o->pid_start = f->start;
	w = with(at, res->holder - 1, W_COMM);
	o->comm = w ? w->comm : NULL;
	w = with(at, res->holder - 1, W_EXE);
	o->exe = w ? w->exe : NULL;
	o->inode = ((const struct row *)sv_tab_at(&at->rows,
						  res->row - 1))->inode;
}

static void count(struct sv_attrib_stats *st, const struct res *res,
		  const struct sv_owner *o)
{
	st->ends++;
	st->ends_container += o && o->container_id;
	st->ends_host += o && o->is_host;
	st->ends_process += o && o->pid >= 0;
	st->ends_unknown += !o;
	st->ends_exact += res->rkind == R_EXACT;
	st->ends_listen += res->rkind == R_LISTEN;
	st->ends_unbound += res->rkind == R_UNBOUND;
	st->ends_by_netns += o && res->ckind == K_NETNS;
	st->ends_by_inspect += o && res->ckind == K_INSPECT;
	st->ends_ambiguous += res->ambiguous;
}

static const struct sv_owner *attribute(struct sv_attrib *at,
					const struct end *e)
{
	struct sv_owner o;
	struct res res;
	struct hb how;
	const struct sv_owner *kept = NULL;
	const struct cont *c;

	resolve(at, e, &res);
	memset(&o, 0, sizeof(o));
	o.pid = -1;
	if (res.row || res.netns || res.cont || res.is_host) {
		if (res.holder)
			fill_process(at, &res, &o);
		else if (res.row)
			o.inode = ((const struct row *)
				   sv_tab_at(&at->rows, res.row - 1))->inode;
		c = res.cont ? C(at, res.cont - 1) : NULL;
		o.container_id = c ? c->id : NULL;
		o.container_name = c ? c->name : NULL;
		o.image = c ? c->image : NULL;
		o.pod = c ? c->pod : NULL;
		o.is_host = res.is_host;
		o.netns = res.netns;
		compose_how(&how, at, e, &res);
		o.how = how.s;
		kept = owner_keep(at, &o);
		at->st.ends_nomem += !kept;
	}
	count(&at->st, &res, kept);
	return kept;
}

static void flow_end(const struct sv_flow *fl, int b, struct end *e)
{
	size_t alen = fl->family == 6 ? 16 : 4;

	memset(e, 0, sizeof(*e));
	e->k.proto = fl->proto;
	e->k.fam = fl->family == 6 ? 6 : 4;
	memcpy(e->k.la, b ? fl->b_addr : fl->a_addr, alen);
	memcpy(e->k.ra, b ? fl->a_addr : fl->b_addr, alen);
	e->k.lp = b ? fl->b_port : fl->a_port;
	e->k.rp = b ? fl->a_port : fl->b_port;
	e->t0 = fl->first_ns;
	e->t1 = fl->last_ns;
	/* The initiator is known from the handshake: only b serves. */
	e->server = b || !(fl->syn_seen || fl->synack_seen);
}

void sv_attrib_flows(struct sv_attrib *at, struct sv_flow *list,
		     struct sv_attrib_stats *st)
{
	struct sv_flow *fl;
	struct end e;
	int built = build(at) == 0;

	memset(&at->st.ends, 0, offsetof(struct sv_attrib_stats, sockets));
	for (fl = list; fl; fl = fl->next) {
		flow_end(fl, 0, &e);
		fl->owner_a = attribute(at, &e);
		flow_end(fl, 1, &e);
		fl->owner_b = attribute(at, &e);
	}
	at->st.join_nomem = !built;
	at->st.sockets = at->rows.n;
	at->st.folders = at->folders.n;
	at->st.fds = at->fds.n;
	at->st.containers = at->conts.n;
	at->st.netns = at->nsis.n;
	sv_attrib_join_free(at);
	if (st)
		*st = at->st;
}
