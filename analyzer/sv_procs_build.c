/*
 * sv_procs_build.c - folders to processes (rules in sv_procs.h).
 *
 *   snapshots sorted  ->  folders with a stat sorted by (pid, start, T)
 *   -> one process per (pid, start) run, its folders walked in time order
 *      (latest values, changes, gaps, exit window)
 *   -> parents (same snapshot first), cycles cut, start order, children
 *   -> containers: roots, init, entered; entry by a walk of the tree
 *   -> events (sv_procs_event.c)
 *
 * Work arrays are malloc'd and freed here; everything kept is in the
 * arena. No recursion: the tree is walked through parent pointers.
 */
#include "sv_procs_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_proc.h"
#include "sv_text.h"
#include "sv_time.h"

/* ---- snapshots ---- */

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

/* Sorted snapshot times, and each snapshot entry's rank among them. */
static int sort_snaps(struct pr_build *b)
{
	struct sv_procs *p = b->p;
	uint32_t i, n = (uint32_t)p->snaps.n;
	int64_t *ts;

	b->snap_ts = ts = malloc((n ? n : 1) * sizeof(*ts));
	if (!ts)
		return -1;
	for (i = 0; i < n; i++)
		ts[i] = pr_snap_at(p, i)->ts;
	qsort(ts, n, sizeof(*ts), cmp_i64);
	b->n_snaps = n;
	for (i = 0; i < n; i++) {
		struct pr_snap *s = pr_snap_at(p, i);
		const int64_t *r = bsearch(&s->ts, ts, n, sizeof(*ts),
					   cmp_i64);

		s->rank = (uint32_t)(r - ts);
	}
	b->res->first_snapshot = n ? ts[0] : SV_TIME_NONE;
	b->res->last_snapshot = n ? ts[n - 1] : SV_TIME_NONE;
	p->st.snapshots = n;
	return 0;
}

/* ---- folders in (pid, start, T) order ---- */

struct fkey {
	uint64_t start;
	uint32_t pid, rank, idx;
};

static int cmp_fkey(const void *x, const void *y)
{
	const struct fkey *a = x, *b = y;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return 0;
}

static int order_folders(struct pr_build *b)
{
	struct sv_procs *p = b->p;
	size_t i, n = 0;
	struct fkey *k = malloc((p->folds.n ? p->folds.n : 1) * sizeof(*k));

	b->order = malloc((p->folds.n ? p->folds.n : 1) * sizeof(uint32_t));
	b->fproc = calloc(p->folds.n ? p->folds.n : 1, sizeof(uint32_t));
	if (!k || !b->order || !b->fproc) {
		free(k);
		return -1;
	}
	for (i = 0; i < p->folds.n; i++) {
		const struct pr_fold *f = pr_fold_at(p, (uint32_t)i);

		if (!(f->flags & PF_STAT)) {
			p->st.folders_no_stat++;
			continue;
		}
		k[n].start = f->start;
		k[n].pid = f->pid;
		k[n].rank = pr_snap_at(p, f->snap)->rank;
		k[n++].idx = (uint32_t)i;
	}
	qsort(k, n, sizeof(*k), cmp_fkey);
	for (i = 0; i < n; i++)
		b->order[i] = k[i].idx;
	b->n_order = (uint32_t)n;
	p->st.folders = p->folds.n;
	free(k);
	return 0;
}

/* ---- one process per (pid, start) ---- */

static int same_id(const struct sv_procs *p, uint32_t a, uint32_t c)
{
	const struct pr_fold *x = pr_fold_at(p, a), *y = pr_fold_at(p, c);

	return x->pid == y->pid && x->start == y->start;
}

static int64_t start_ns(const struct sv_procs_result *r, uint64_t ticks)
{
	int64_t s, rem;

	if (r->boot_time_ns == SV_TIME_NONE)
		return SV_TIME_NONE;
	s = sv_proc_start_ns(ticks, r->boot_time_ns / SV_NS_PER_SEC,
			     r->clk_tck);
	rem = r->boot_time_ns % SV_NS_PER_SEC;
	if (s == SV_TIME_NONE || s > INT64_MAX - rem)
		return SV_TIME_NONE;
	return s + rem;
}

static int make_procs(struct pr_build *b)
{
	struct sv_procs *p = b->p;
	uint64_t n = 0, i, cap = p->lim.max_processes;
	uint32_t beg;

	for (i = 0; i < b->n_order; i++)
		if (!i || !same_id(p, b->order[i - 1], b->order[i]))
			n++;
	if (n > cap) {
		p->st.processes_dropped = n - cap;
		n = cap;
	}
	b->procs = sv_arena_calloc(p->arena, n ? n : 1, sizeof(*b->procs));
	b->pb = calloc(n ? n : 1, sizeof(*b->pb));
	if (!b->procs || !b->pb)
		return -1;
	b->res->n = n;
	for (i = 0, beg = 0; i < n; i++) {
		const struct pr_fold *f = pr_fold_at(p, b->order[beg]);
		struct sv_proc *pr = &b->procs[i];

		b->pb[i].fbeg = beg;
		while (++beg < b->n_order &&
		       same_id(p, b->order[beg - 1], b->order[beg]))
			;
		b->pb[i].fend = beg;
		pr->pid = f->pid;
		pr->pid_start = f->start;
		pr->start_ns = start_ns(b->res, f->start);
		if (i && pr->pid == b->procs[i - 1].pid)
			p->st.pids_reused += 1 + (i < 2 ||
				b->procs[i - 2].pid != pr->pid);
	}
	p->st.processes = n;
	return 0;
}

/* ---- each process through its folders ---- */

struct seen {            /* the latest known values and when */
	uint32_t exe, cmd, uid, euid;
	int64_t t_exe, t_cmd, t_uid, t_caps;
	uint64_t caps;
	int has_caps;
};

const char *pr_printf(struct sv_arena *a, const char *fmt, ...)
{
	char buf[2 * SV_PROCS_CMDLINE_MAX + 256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if ((size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	/* A cut may split a UTF-8 sequence: clean again. */
	return sv_text_clean(a, buf, (size_t)n, sizeof(buf));
}

static const char *str_or(const struct sv_procs *p, uint32_t i,
			  const char *dflt)
{
	const char *s = pr_str(p, i);

	return s ? s : dflt;
}

const char *pr_fold_path(const struct sv_procs *p, const struct pr_fold *f,
			 const char *leaf)
{
	const char *pre = pr_str(p, pr_snap_at(p, f->snap)->prefix);

	if (!pre)
		return NULL;
	return pr_printf(p->arena, "%s/%" PRIu32 "%s%s", pre, f->pid,
			    leaf ? "/" : "", leaf ? leaf : "");
}

/* A change of pr (counted; kept under the cap): 0 kept, 1 over the cap,
 * -1 out of memory. The evidence is folder f's leaf. */
static int add_change(struct pr_build *b, struct sv_proc *pr,
		      struct sv_proc_change **tail, const char *kind,
		      int64_t t0, const struct pr_fold *f, const char *leaf)
{
	struct sv_procs *p = b->p;
	struct sv_proc_change *c;

	pr->n_changes++;
	p->st.changes++;
	if (pr->n_changes > p->lim.max_changes) {
		p->st.changes_dropped++;
		return 1;
	}
	c = sv_arena_alloc(p->arena, sizeof(*c));
	if (!c)
		return -1;
	c->kind = kind;
	c->t_before = t0;
	c->t_after = f->ts;
	c->artifact = pr_fold_path(p, f, leaf);
	if (*tail)
		(*tail)->next = c;
	else
		pr->changes = c;
	*tail = c;
	return 0;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* An exec: exe or cmdline known before and now, and different. */
static int check_exec(struct pr_build *b, struct sv_proc *pr,
		      struct sv_proc_change **tail, const struct seen *s,
		      const struct pr_fold *f)
{
	const struct sv_procs *p = b->p;
	int de = f->exe && s->exe && f->exe != s->exe;
	int dc = f->cmd && s->cmd && f->cmd != s->cmd;
	int64_t t0 = max64(de ? s->t_exe : INT64_MIN, dc ? s->t_cmd
							 : INT64_MIN);
	int rc;

	if (!de && !dc)
		return 0;
	rc = add_change(b, pr, tail, SV_EV_PROCESS_EXEC, t0, f,
			de ? "exe.link" : "cmdline");
	if (rc)
		return rc < 0 ? -1 : 0;
	(*tail)->before = pr_printf(p->arena, "%s: %s",
				       str_or(p, s->exe, "?"),
				       str_or(p, s->cmd, "?"));
	(*tail)->after = pr_printf(p->arena, "%s: %s",
				      str_or(p, f->exe ? f->exe : s->exe, "?"),
				      str_or(p, f->cmd ? f->cmd : s->cmd, "?"));
	return (*tail)->before && (*tail)->after ? 0 : -1;
}

static int check_ids(struct pr_build *b, struct sv_proc *pr,
		     struct sv_proc_change **tail, const struct seen *s,
		     const struct pr_fold *f)
{
	struct sv_arena *a = b->p->arena;
	int rc;

	if (f->uid != PR_UID_NONE && s->uid != PR_UID_NONE &&
	    (f->uid != s->uid || f->euid != s->euid)) {
		rc = add_change(b, pr, tail, SV_EV_PROCESS_SETUID, s->t_uid, f,
				"status");
		if (rc < 0)
			return -1;
		if (!rc && (!((*tail)->before = pr_printf(a,
				"uid %" PRIu32 " euid %" PRIu32, s->uid,
				s->euid)) ||
			    !((*tail)->after = pr_printf(a,
				"uid %" PRIu32 " euid %" PRIu32, f->uid,
				f->euid))))
			return -1;
	}
	if (!(f->flags & PF_CAPS) || !s->has_caps || f->cap_eff == s->caps)
		return 0;
	rc = add_change(b, pr, tail, SV_EV_PROCESS_CAPS, s->t_caps, f,
			"status");
	if (rc)
		return rc < 0 ? -1 : 0;
	(*tail)->before = pr_printf(a, "CapEff %016" PRIx64, s->caps);
	(*tail)->after = pr_printf(a, "CapEff %016" PRIx64, f->cap_eff);
	return (*tail)->before && (*tail)->after ? 0 : -1;
}

static void remember(struct seen *s, const struct pr_fold *f)
{
	if (f->exe) {
		s->exe = f->exe;
		s->t_exe = f->ts;
	}
	if (f->cmd) {
		s->cmd = f->cmd;
		s->t_cmd = f->ts;
	}
	if (f->uid != PR_UID_NONE) {
		s->uid = f->uid;
		s->euid = f->euid;
		s->t_uid = f->ts;
	}
	if (f->flags & PF_CAPS) {
		s->caps = f->cap_eff;
		s->has_caps = 1;
		s->t_caps = f->ts;
	}
}

static void take_latest(const struct sv_procs *p, struct sv_proc *pr,
			struct pr_pb *pb, const struct pr_fold *f)
{
	if (f->comm)
		pr->comm = pr_str(p, f->comm);
	if (f->exe)
		pr->exe = pr_str(p, f->exe);
	if (f->cmd)
		pr->cmdline = pr_str(p, f->cmd);
	if (f->cwd)
		pr->cwd = pr_str(p, f->cwd);
	if (f->uid != PR_UID_NONE) {
		pr->uid = f->uid;
		pr->euid = f->euid == PR_UID_NONE ? -1 : (int64_t)f->euid;
		pr->gid = f->gid == PR_UID_NONE ? -1 : (int64_t)f->gid;
	}
	if (f->flags & PF_CAPS) {
		pr->cap_eff = f->cap_eff;
		pr->has_caps = 1;
	}
	if (f->cont && !pb->cont)
		pb->cont = f->cont;
	if (f->flags & PF_MONITOR)
		pr->monitor = 1;
	if (f->netns)
		pr->netns = f->netns;
	if (f->nslev) {
		pr->ns_pid = f->nspid;
		pr->ns_levels = f->nslev;
	}
	if (!pb->first_comm)
		pb->first_comm = f->comm;
	if (!pb->first_cmd)
		pb->first_cmd = f->cmd;
}

/* Between two snapshots of pr: changes, gaps, a new ppid. */
static int compare(struct pr_build *b, struct sv_proc *pr, struct pr_pb *pb,
		   struct sv_proc_change **tail, const struct seen *s,
		   const struct pr_fold *prev, uint32_t fi)
{
	const struct pr_fold *f = pr_fold_at(b->p, fi);
	uint32_t r0 = pr_snap_at(b->p, prev->snap)->rank;
	uint32_t r1 = pr_snap_at(b->p, f->snap)->rank;

	pr->gaps += r1 - r0 - 1;
	if (!pr->reparented && f->ppid != pr->ppid) {
		pr->reparented = 1;
		pr->adopted_ppid = f->ppid;
		pr->adopted_after = prev->ts;
		pr->adopted_by = f->ts;
		pb->adopt_fold = fi;
	}
	if (check_exec(b, pr, tail, s, f) < 0 ||
	    check_ids(b, pr, tail, s, f) < 0)
		return -1;
	return 0;
}

static void mark_exit(struct pr_build *b, struct sv_proc *pr,
		      const struct pr_fold *last)
{
	uint32_t r = pr_snap_at(b->p, last->snap)->rank;

	pr->exit_lo = pr->exit_hi = SV_TIME_NONE;
	if (r + 1 >= b->n_snaps)
		return;
	pr->exited = 1;
	pr->exit_lo = last->ts;
	pr->exit_hi = b->snap_ts[r + 1];
	b->p->st.exited++;
}

static int walk_one(struct pr_build *b, uint32_t i)
{
	struct sv_procs *p = b->p;
	struct sv_proc *pr = &b->procs[i];
	struct pr_pb *pb = &b->pb[i];
	struct sv_proc_change *tail = NULL;
	struct seen s = {.uid = PR_UID_NONE, .euid = PR_UID_NONE};
	const struct pr_fold *f = NULL, *prev = NULL;
	uint32_t k, fi = 0;
	int argv0 = 0;

	pr->uid = pr->euid = pr->gid = -1;
	pr->ppid = pr_fold_at(p, b->order[pb->fbeg])->ppid;
	for (k = pb->fbeg; k < pb->fend; k++, prev = f) {
		fi = b->order[k];
		f = pr_fold_at(p, fi);
		b->fproc[fi] = i + 1;
		if (prev && compare(b, pr, pb, &tail, &s, prev, fi) < 0)
			return -1;
		remember(&s, f);
		take_latest(p, pr, pb, f);
		argv0 |= !!(f->flags & PF_ARGV0);
		pr->snapshots++;
	}
	pb->last_fold = fi;
	pr->first_seen = pr_fold_at(p, b->order[pb->fbeg])->ts;
	pr->last_seen = f->ts;
	mark_exit(b, pr, f);
	if (pr->monitor)
		pb->cont = 0;
	pr->container_id = pr_str(p, pb->cont);
	pr->kthread = (pr->pid == 2 || pr->ppid == 2) && argv0 &&
		      !pr->cmdline;
	p->st.kthreads += (uint64_t)pr->kthread;
	p->st.in_containers += pr->container_id != NULL;
	p->st.reparented += (uint64_t)pr->reparented;
	pr->artifact = pr_fold_path(p, pr_fold_at(p, b->order[pb->fbeg]),
				    NULL);
	return 0;
}

static int walk_procs(struct pr_build *b)
{
	uint64_t i;

	for (i = 0; i < b->res->n; i++)
		if (walk_one(b, (uint32_t)i) < 0)
			return -1;
	return 0;
}

/* ---- parents ---- */

/* The process of ppid in snapshot ts if it started no later than c. */
static struct sv_proc *same_snap(const struct pr_build *b, int64_t ts,
				 uint32_t ppid, const struct sv_proc *c)
{
	uint32_t j = pr_fold_find(b->p, ts, ppid);
	struct sv_proc *q;

	if (!j || !b->fproc[j - 1])
		return NULL;
	q = &b->procs[b->fproc[j - 1] - 1];
	return q != c && q->pid_start <= c->pid_start ? q : NULL;
}

/*
 * The latest-started process of pid that started no later than c and was
 * not seen gone before c started (binary search: procs are in (pid,
 * start) order).
 */
static struct sv_proc *latest_before(const struct pr_build *b, uint32_t pid,
				     const struct sv_proc *c)
{
	uint64_t lo = 0, hi = b->res->n, mid;
	struct sv_proc *q;

	while (lo < hi) {   /* first index with (pid, start) > key */
		mid = lo + (hi - lo) / 2;
		q = &b->procs[mid];
		if (q->pid < pid || (q->pid == pid &&
				     q->pid_start <= c->pid_start))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	q = &b->procs[lo - 1];
	if (q->pid != pid || q == c)
		return NULL;
	if (q->exited && c->start_ns != SV_TIME_NONE &&
	    q->exit_hi < c->start_ns)
		return NULL;
	return q;
}

static void link_one(struct pr_build *b, uint32_t i)
{
	struct sv_proc *pr = &b->procs[i], *par = NULL;
	const struct pr_pb *pb = &b->pb[i];
	const struct pr_fold *f;
	uint32_t k;

	for (k = pb->fbeg; k < pb->fend && pr->ppid && !par; k++) {
		f = pr_fold_at(b->p, b->order[k]);
		if (f->ppid == pr->ppid)
			par = same_snap(b, f->ts, f->ppid, pr);
	}
	if (!par && pr->ppid)
		par = latest_before(b, pr->ppid, pr);
	pr->parent = par;
	b->p->st.parent_unknown += !par && pr->ppid;
	if (!pr->reparented || !pr->adopted_ppid)
		return;
	f = pr_fold_at(b->p, pb->adopt_fold);
	pr->adopter = same_snap(b, f->ts, pr->adopted_ppid, pr);
	if (!pr->adopter)
		pr->adopter = latest_before(b, pr->adopted_ppid, pr);
}

/* Equal start ticks allow a cycle of parents: cut it where found. */
static int cut_cycles(struct pr_build *b)
{
	uint64_t i, n = b->res->n;
	uint8_t *st = calloc(n ? n : 1, 1);  /* 0 new, 1 on path, 2 done */
	struct sv_proc *q;

	if (!st)
		return -1;
	for (i = 0; i < n; i++) {
		for (q = &b->procs[i]; q && !st[q - b->procs];
		     q = q->parent) {
			st[q - b->procs] = 1;
			if (q->parent && st[q->parent - b->procs] == 1) {
				q->parent = NULL;
				b->p->st.cycles_cut++;
			}
		}
		for (q = &b->procs[i]; q && st[q - b->procs] == 1;
		     q = q->parent)
			st[q - b->procs] = 2;
	}
	free(st);
	return 0;
}

static int link_parents(struct pr_build *b)
{
	uint64_t i;

	for (i = 0; i < b->res->n; i++)
		link_one(b, (uint32_t)i);
	return cut_cycles(b);
}

/* ---- start order and the tree ---- */

static int cmp_start(const void *x, const void *y)
{
	const struct sv_proc *a = *(struct sv_proc *const *)x;
	const struct sv_proc *c = *(struct sv_proc *const *)y;

	if (a->pid_start != c->pid_start)
		return a->pid_start < c->pid_start ? -1 : 1;
	return (a->pid > c->pid) - (a->pid < c->pid);
}

static int start_order(struct pr_build *b)
{
	uint64_t i, n = b->res->n;
	struct sv_proc *q;

	b->by_start = malloc((n ? n : 1) * sizeof(*b->by_start));
	b->res->by_id = sv_arena_calloc(b->p->arena, n ? n : 1,
					sizeof(*b->res->by_id));
	if (!b->by_start || !b->res->by_id)
		return -1;
	for (i = 0; i < n; i++) {
		b->by_start[i] = &b->procs[i];
		b->res->by_id[i] = &b->procs[i];
	}
	qsort(b->by_start, n, sizeof(*b->by_start), cmp_start);
	for (i = n; i-- > 0;) {
		q = b->by_start[i];
		q->next = i + 1 < n ? b->by_start[i + 1] : NULL;
		if (q->parent) {
			q->next_sibling = q->parent->first_child;
			q->parent->first_child = q;
		}
	}
	b->res->list = n ? b->by_start[0] : NULL;
	return 0;
}

/* ---- containers: init and entry ---- */

#define C_SEEN 1
#define C_MULTI 2   /* a root in a pid namespace of its own */

static int is_root(const struct sv_proc *q)
{
	return q->container_id && (!q->parent ||
				   q->parent->container_id != q->container_id);
}

static int containers(struct pr_build *b)
{
	size_t ns = b->p->strs.n ? b->p->strs.n : 1;
	uint32_t *first = calloc(ns, sizeof(*first));
	uint8_t *cf = calloc(ns, 1);
	struct sv_procs_stats *st = &b->p->st;
	uint64_t i;

	if (!first || !cf) {
		free(first);
		free(cf);
		return -1;
	}
	for (i = 0; i < b->res->n; i++) {
		struct sv_proc *q = b->by_start[i];
		uint32_t c = b->pb[q - b->procs].cont - 1;

		if (!q->container_id)
			continue;
		st->containers += !(cf[c] & C_SEEN);
		cf[c] |= C_SEEN;
		if (!is_root(q))
			continue;
		if (q->ns_levels >= 2)
			cf[c] |= C_MULTI;
		if (!first[c])
			first[c] = (uint32_t)(q - b->procs) + 1;
		q->is_init = q->ns_levels >= 2 && q->ns_pid == 1;
	}
	for (i = 0; i < b->res->n; i++) {
		struct sv_proc *q = b->by_start[i];
		uint32_t c = b->pb[q - b->procs].cont - 1;

		if (!is_root(q) || q->is_init)
			continue;
		if (!(cf[c] & C_MULTI) &&
		    first[c] == (uint32_t)(q - b->procs) + 1)
			q->is_init = 1;
		else if (q->parent)
			q->entered = 1; /* its parent is outside */
		/* else: its parent exited unseen (a fork bomb's, a short
		 * shell's): where it ran is unknown, not "outside" */
	}
	for (i = 0; i < b->res->n; i++) {
		st->inits += (uint64_t)b->procs[i].is_init;
		st->entered += (uint64_t)b->procs[i].entered;
	}
	free(first);
	free(cf);
	return 0;
}

static void visit_entry(struct sv_proc *q)
{
	if (q->entered)
		q->entry = q;
	else if (q->parent && q->container_id &&
		 q->parent->container_id == q->container_id)
		q->entry = q->parent->entry;
}

/* Pre-order walk of every tree (parents before children), no stack. */
static void entries(struct pr_build *b)
{
	struct sv_proc *r, *q;

	for (r = b->res->list; r; r = r->next) {
		if (r->parent)
			continue;
		q = r;
		while (q) {
			visit_entry(q);
			if (q->first_child) {
				q = q->first_child;
				continue;
			}
			while (q != r && !q->next_sibling)
				q = q->parent;
			q = q == r ? NULL : q->next_sibling;
		}
	}
}

/* ---- the build ---- */

static int build(struct pr_build *b)
{
	const struct sv_procs *p = b->p;
	struct sv_procs_result *r = b->res;

	r->clk_tck = p->clk_tck > 0 ? p->clk_tck : 100;
	r->boot_time_ns = SV_TIME_NONE;
	if (p->has_boot)
		r->boot_time_ns = p->boot_ns;
	else if (p->host_btime_s >= 0 &&
		 p->host_btime_s <= INT64_MAX / SV_NS_PER_SEC)
		r->boot_time_ns = p->host_btime_s * SV_NS_PER_SEC;
	b->p->st.start_known = r->boot_time_ns != SV_TIME_NONE;
	if (sort_snaps(b) || order_folders(b) || make_procs(b) ||
	    walk_procs(b) || link_parents(b) || start_order(b) ||
	    containers(b))
		return -1;
	entries(b);
	return pr_events(b);
}

enum sv_status sv_procs_build(struct sv_procs *p,
			      const struct sv_procs_result **out,
			      struct sv_error *err)
{
	struct pr_build b;
	int rc;

	if (p->built)
		return sv_error_set(err, SV_ERR_UNSUPPORTED, NULL,
				    "processes already built");
	p->built = 1;
	memset(&b, 0, sizeof(b));
	b.p = p;
	b.res = sv_arena_alloc(p->arena, sizeof(*b.res));
	rc = b.res ? build(&b) : -1;
	free(b.snap_ts);
	free(b.order);
	free(b.fproc);
	free(b.pb);
	free(b.by_start);
	free(b.ev);
	if (rc)
		return sv_error_set(err, SV_ERR_NOMEM, NULL,
				    "out of memory (processes)");
	b.res->st = p->st;
	*out = b.res;
	return SV_OK;
}
