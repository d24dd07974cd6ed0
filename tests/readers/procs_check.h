/*
 * procs_check.h - what test_procs.c and test_procs_samples.c share: the
 * properties every sv_procs result must have, and lookups that fail the
 * test when what they look for is missing.
 */
#ifndef PROCS_CHECK_H
#define PROCS_CHECK_H

#include <stdint.h>

#include "sv_procs.h"

/*
 * ck_assert that identities are unique (by_id strictly ordered), the list
 * is in start order and complete, every parent started no later than its
 * child (ticks and ns), parent chains end, exit windows are ordered and
 * inside the snapshot range, the children lists match the parent links,
 * entered/init/entry agree, and the events are sorted, one-line and
 * name a known process.
 */
void check_props(const struct sv_procs_result *r);

/* The process (pid, start); fails the test when absent. */
const struct sv_proc *must(const struct sv_procs_result *r, uint32_t pid,
			   uint64_t start);

/* The n-th event of kind for pid (from 0), or NULL. */
const struct sv_event *event_of(const struct sv_procs_result *r,
				const char *kind, uint32_t pid, int n);

int count_events(const struct sv_procs_result *r, const char *kind);

#endif
