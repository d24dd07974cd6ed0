/*
 * procs_check.c - the shared checks of the sv_procs suites (contract in
 * procs_check.h).
 */
#include "procs_check.h"

#include <check.h>
#include <inttypes.h>
#include <string.h>

#include "sv_time.h"

const struct sv_proc *must(const struct sv_procs_result *r,
				  uint32_t pid, uint64_t start)
{
	const struct sv_proc *q = sv_procs_find(r, pid, start);

	ck_assert_msg(q != NULL, "no process (%u, %" PRIu64 ")", pid, start);
	return q;
}

const struct sv_event *event_of(const struct sv_procs_result *r,
				       const char *kind, uint32_t pid, int n)
{
	const struct sv_event *e;

	for (e = r->events; e; e = e->next)
		if (!strcmp(e->kind, kind) && e->pid == pid && n-- == 0)
			return e;
	return NULL;
}

int count_events(const struct sv_procs_result *r, const char *kind)
{
	const struct sv_event *e;
	int n = 0;

	for (e = r->events; e; e = e->next)
		n += !strcmp(e->kind, kind);
	return n;
}

static void check_tree(const struct sv_procs_result *r)
{
	const struct sv_proc *q, *c, *a;
	uint64_t kids = 0, with_parent = 0, steps;

	for (q = r->list; q; q = q->next) {
		with_parent += q->parent != NULL;
		for (c = q->first_child; c; c = c->next_sibling) {
			ck_assert_ptr_eq(c->parent, q);
			if (c->next_sibling)
				ck_assert_uint_le(c->pid_start,
						  c->next_sibling->pid_start);
			kids++;
		}
		for (a = q, steps = 0; a; a = a->parent, steps++)
			ck_assert_uint_le(steps, r->n);
		if (q->entered) {
			ck_assert_ptr_nonnull(q->container_id);
			ck_assert_ptr_eq(q->entry, q);
			ck_assert(!q->is_init);
		}
		if (q->is_init)
			ck_assert_ptr_nonnull(q->container_id);
		if (q->entry)
			ck_assert_ptr_eq(q->entry->container_id,
					 q->container_id);
	}
	ck_assert_uint_eq(kids, with_parent);
}

static void check_proc(const struct sv_procs_result *r,
		       const struct sv_proc *q)
{
	if (q->parent)
		ck_assert_uint_le(q->parent->pid_start, q->pid_start);
	ck_assert_int_le(r->first_snapshot, q->first_seen);
	ck_assert_int_le(q->first_seen, q->last_seen);
	ck_assert_int_le(q->last_seen, r->last_snapshot);
	ck_assert_uint_ge(q->snapshots, 1);
	if (q->exited) {
		ck_assert_int_eq(q->exit_lo, q->last_seen);
		ck_assert_int_lt(q->exit_lo, q->exit_hi);
		ck_assert_int_le(q->exit_hi, r->last_snapshot);
	} else {
		ck_assert_int_eq(q->last_seen, r->last_snapshot);
		ck_assert_int_eq(q->exit_lo, SV_TIME_NONE);
	}
	if (q->start_ns != SV_TIME_NONE && q->parent &&
	    q->parent->start_ns != SV_TIME_NONE)
		ck_assert_int_le(q->parent->start_ns, q->start_ns);
}

static void check_events(const struct sv_procs_result *r)
{
	const struct sv_event *e;
	uint64_t n = 0;

	for (e = r->events; e; e = e->next, n++) {
		ck_assert_ptr_nonnull(e->kind);
		ck_assert_ptr_nonnull(e->message);
		ck_assert_ptr_null(strchr(e->message, '\n'));
		ck_assert_int_le(e->ts_ns, e->ts_hi_ns);
		ck_assert_int_eq(e->source, SV_SRC_PROC);
		ck_assert_ptr_nonnull(sv_procs_find(r, (uint32_t)e->pid,
						    e->pid_start));
		if (e->next)
			ck_assert_int_le(e->ts_ns, e->next->ts_ns);
	}
	ck_assert_uint_eq(n, r->st.events);
}

void check_props(const struct sv_procs_result *r)
{
	const struct sv_proc *q;
	uint64_t i, n = 0;

	for (i = 0; i + 1 < r->n; i++) {
		const struct sv_proc *a = r->by_id[i], *b = r->by_id[i + 1];

		ck_assert(a->pid < b->pid || (a->pid == b->pid &&
					      a->pid_start < b->pid_start));
	}
	for (q = r->list; q; q = q->next, n++) {
		check_proc(r, q);
		ck_assert_ptr_eq(sv_procs_find(r, q->pid, q->pid_start), q);
		if (q->next)
			ck_assert_uint_le(q->pid_start, q->next->pid_start);
	}
	ck_assert_uint_eq(n, r->n);
	check_tree(r);
	check_events(r);
}
