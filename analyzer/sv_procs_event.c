/*
 * sv_procs_event.c - the process events of the timeline (kinds, windows
 * and evidence in sv_procs.h) and lookups in a built result.
 *
 * Messages name a process "comm (pid N)", its container by the first 12
 * characters of its id ("on the host" without one). Every string they
 * quote is already clean (sv_procs.c); the whole line is cleaned again
 * after formatting.
 */
#include "sv_procs_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_time.h"

void pr_short_id(const char *id, char out[13])
{
	size_t n = id ? strnlen(id, 12) : 0;

	memcpy(out, id ? id : "", n);
	out[n] = '\0';
}

/* "in 49812af6ca92" or "on the host". */
static void where(const struct sv_proc *q, char out[20])
{
	char id[13];

	if (!q->container_id) {
		memcpy(out, "on the host", 12);
		return;
	}
	pr_short_id(q->container_id, id);
	memcpy(out, "in ", 3);
	memcpy(out + 3, id, strlen(id) + 1);
}

static const char *name_of(const struct sv_proc *q)
{
	return q->comm ? q->comm : "?";
}

static struct sv_event *new_event(struct pr_build *b,
				  const struct sv_proc *q, const char *kind,
				  int64_t t0, int64_t t1)
{
	struct sv_event *e, **ev;
	size_t cap;

	if (b->n_ev == b->cap_ev) {
		cap = b->cap_ev ? b->cap_ev * 2 : 256;
		ev = realloc(b->ev, cap * sizeof(*ev));
		if (!ev)
			return NULL;
		b->ev = ev;
		b->cap_ev = cap;
	}
	e = sv_arena_alloc(b->p->arena, sizeof(*e));
	if (!e)
		return NULL;
	e->ts_ns = t0;
	e->ts_hi_ns = t1;
	e->kind = kind;
	e->source = SV_SRC_PROC;
	e->container_id = q->container_id;
	e->pid = q->pid;
	e->pid_start = q->pid_start;
	b->ev[b->n_ev++] = e;
	return e;
}

/* "by httpd (pid 11264)", "by pid 8621 (not in the bundle)" or "". */
static void by_parent(const struct sv_proc *q, char *out, size_t n)
{
	if (q->parent)
		snprintf(out, n, " by %s (pid %" PRIu32 ")",
			 name_of(q->parent), q->parent->pid);
	else if (q->ppid)
		snprintf(out, n, " by pid %" PRIu32 " (not in the bundle)",
			 q->ppid);
	else
		out[0] = '\0';
}

/* process.start, and process.enter for a process entered from outside. */
static int start_events(struct pr_build *b, const struct sv_proc *q)
{
	const struct pr_pb *pb = &b->pb[q - b->procs];
	const char *comm = pr_str(b->p, pb->first_comm);
	const char *cmd = pr_str(b->p, pb->first_cmd);
	int64_t t = q->start_ns != SV_TIME_NONE ? q->start_ns : q->first_seen;
	char w[20], by[600];
	struct sv_event *e;

	where(q, w);
	by_parent(q, by, sizeof(by));
	comm = comm ? comm : name_of(q);
	if (!cmd)
		cmd = q->kthread ? "[kernel thread]" : comm;
	e = new_event(b, q, SV_EV_PROCESS_START, t, t);
	if (!e)
		return -1;
	e->artifact = q->artifact ? pr_printf(b->p->arena, "%s/stat",
					      q->artifact) : NULL;
	e->message = pr_printf(b->p->arena, "%s (pid %" PRIu32 ") started %s"
			       "%s%s: %s", comm, q->pid, w, by,
			       q->start_ns == SV_TIME_NONE
			       ? " (start time unknown: first seen)" : "",
			       cmd);
	if (!e->message || !q->entered)
		return e->message ? 0 : -1;
	e = new_event(b, q, SV_EV_PROCESS_ENTER, t, t);
	if (!e)
		return -1;
	e->artifact = b->ev[b->n_ev - 2]->artifact;
	e->message = pr_printf(b->p->arena, "%s (pid %" PRIu32 ") entered "
			       "%s from outside%s: %s", comm, q->pid, w + 3,
			       by, cmd);
	return e->message ? 0 : -1;
}

static int change_events(struct pr_build *b, const struct sv_proc *q)
{
	const struct sv_proc_change *c;
	struct sv_event *e;
	const char *what;
	char w[20];

	where(q, w);
	for (c = q->changes; c; c = c->next) {
		e = new_event(b, q, c->kind, c->t_before, c->t_after);
		if (!e)
			return -1;
		e->artifact = c->artifact;
		what = !strcmp(c->kind, SV_EV_PROCESS_EXEC) ? "exec"
		       : !strcmp(c->kind, SV_EV_PROCESS_SETUID) ? "setuid"
		       : "capabilities changed";
		e->message = pr_printf(b->p->arena, "%s (pid %" PRIu32 ") %s "
				       "%s: %s -> %s", name_of(q), q->pid, w,
				       what, c->before ? c->before : "?",
				       c->after ? c->after : "?");
		if (!e->message)
			return -1;
	}
	return 0;
}

static int exit_event(struct pr_build *b, const struct sv_proc *q)
{
	const struct pr_fold *f = pr_fold_at(b->p, b->pb[q - b->procs]
						       .last_fold);
	struct sv_event *e;
	char w[20], t0[SV_TIME_TEXT_MAX], t1[SV_TIME_TEXT_MAX];

	if (!q->exited)
		return 0;
	where(q, w);
	sv_time_format(q->exit_lo, t0);
	sv_time_format(q->exit_hi, t1);
	e = new_event(b, q, SV_EV_PROCESS_EXIT, q->exit_lo, q->exit_hi);
	if (!e)
		return -1;
	e->artifact = pr_fold_path(b->p, f, "stat");
	e->message = pr_printf(b->p->arena, "%s (pid %" PRIu32 ") %s exited "
			       "between snapshots %s and %s", name_of(q),
			       q->pid, w, t0, t1);
	return e->message ? 0 : -1;
}

/* Kinds in the order a process lives them (ties at one time). */
static int kind_rank(const char *k)
{
	static const char *const order[] = {
		SV_EV_PROCESS_START, SV_EV_PROCESS_ENTER, SV_EV_PROCESS_EXEC,
		SV_EV_PROCESS_SETUID, SV_EV_PROCESS_CAPS, SV_EV_PROCESS_EXIT,
	};
	int i;

	for (i = 0; i < (int)(sizeof(order) / sizeof(order[0])); i++)
		if (!strcmp(k, order[i]))
			return i;
	return i;
}

static int cmp_event(const void *x, const void *y)
{
	const struct sv_event *a = *(struct sv_event *const *)x;
	const struct sv_event *c = *(struct sv_event *const *)y;
	int k;

	if (a->ts_ns != c->ts_ns)
		return a->ts_ns < c->ts_ns ? -1 : 1;
	if (a->ts_hi_ns != c->ts_hi_ns)
		return a->ts_hi_ns < c->ts_hi_ns ? -1 : 1;
	if (a->pid != c->pid)
		return a->pid < c->pid ? -1 : 1;
	if (a->pid_start != c->pid_start)
		return a->pid_start < c->pid_start ? -1 : 1;
	k = kind_rank(a->kind) - kind_rank(c->kind);
	if (k)
		return k;
	return a->message && c->message ? strcmp(a->message, c->message) : 0;
}

int pr_events(struct pr_build *b)
{
	const struct sv_proc *q;
	size_t i;

	for (q = b->res->list; q; q = q->next)
		if (start_events(b, q) || change_events(b, q) ||
		    exit_event(b, q))
			return -1;
	if (b->n_ev)   /* b->ev is NULL then: qsort wants an array */
		qsort(b->ev, b->n_ev, sizeof(*b->ev), cmp_event);
	for (i = 0; i < b->n_ev; i++)
		b->ev[i]->next = i + 1 < b->n_ev ? b->ev[i + 1] : NULL;
	b->res->events = b->n_ev ? b->ev[0] : NULL;
	b->p->st.events = b->n_ev;
	return 0;
}

/* ---- lookups ---- */

/* Index of the first process with (pid, start) > (pid, start), by_id. */
static uint64_t upper(const struct sv_procs_result *r, uint32_t pid,
		      uint64_t start)
{
	uint64_t lo = 0, hi = r->n, mid;
	const struct sv_proc *q;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		q = r->by_id[mid];
		if (q->pid < pid || (q->pid == pid && q->pid_start <= start))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct sv_proc *sv_procs_find(const struct sv_procs_result *r,
				    uint32_t pid, uint64_t pid_start)
{
	uint64_t i;

	if (!r || !r->n)
		return NULL;
	i = upper(r, pid, pid_start);
	if (!i || r->by_id[i - 1]->pid != pid ||
	    r->by_id[i - 1]->pid_start != pid_start)
		return NULL;
	return r->by_id[i - 1];
}

/* Start ticks grow with start_ns (one boot time), so the latest start at
 * or before ts is found by a binary search on start_ns within the pid. */
const struct sv_proc *sv_procs_find_at(const struct sv_procs_result *r,
				       uint32_t pid, int64_t ts_ns)
{
	uint64_t lo, hi, mid;
	const struct sv_proc *q;

	if (!r || !r->n || r->boot_time_ns == SV_TIME_NONE)
		return NULL;
	lo = pid ? upper(r, pid - 1, UINT64_MAX) : 0;
	hi = upper(r, pid, UINT64_MAX);
	while (lo < hi) {   /* first with start_ns > ts */
		mid = lo + (hi - lo) / 2;
		if (r->by_id[mid]->start_ns <= ts_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || r->by_id[lo - 1]->pid != pid)
		return NULL;
	q = r->by_id[lo - 1];
	if (q->start_ns == SV_TIME_NONE || q->start_ns > ts_ns ||
	    (q->exited && q->exit_hi < ts_ns))
		return NULL;
	return q;
}
