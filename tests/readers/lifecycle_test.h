/*
 * lifecycle_test.h - harness shared by the lifecycle log reader suites
 * (test_lifecycle_*.c): run one reader's parse on bytes or on a file of
 * tests/readers/data/lifecycle/, and keep deep copies of what it emitted.
 *
 *   struct lt_run *r = lt_new();
 *   lt_parse_file(r, &sv_fmt_podman_events, "events/podman.jsonl",
 *                 "podman-incident.jsonl");
 *   ck_assert_int_eq(r->rc, SV_OK);
 *   ck_assert_str_eq(r->rec[0].u.runtime.action, "create");
 *   lt_free(r);
 *
 * Checks that hold for every run are made on the way: each record's
 * artifact is the path given and its type is one of the lifecycle types,
 * each problem names that path, a failed parse names the path too, and
 * the bytes parsed are an exact-size heap copy (ASan sees overruns).
 */
#ifndef LIFECYCLE_TEST_H
#define LIFECYCLE_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "sv_format.h"

#define LT_MAX_RECS 256
#define LT_MAX_PROBLEMS 64

struct lt_problem {
	uint64_t line;
	char msg[SV_ERROR_MSG_MAX];
};

struct lt_run {
	struct sv_record rec[LT_MAX_RECS]; /* strings copied into keep */
	size_t nrec;       /* received; only the first LT_MAX_RECS kept */
	struct lt_problem prob[LT_MAX_PROBLEMS];
	size_t nprob;      /* received; only the first LT_MAX_PROBLEMS kept */
	enum sv_status rc; /* what parse returned */
	struct sv_error err;
	enum sv_status stop_with; /* returned by the record callback once
				     stop_after records were seen */
	size_t stop_after;
	const char *path;
	struct sv_arena *keep;
	struct sv_arena *scratch;
};

struct lt_run *lt_new(void);
void lt_free(struct lt_run *r);
void lt_reset(struct lt_run *r);

/* Parse n bytes (copied to an exact-size buffer) as bundle member path. */
void lt_parse(struct lt_run *r, const struct sv_format_ops *ops,
	      const char *path, const void *buf, size_t n);
/* The same with a file of the data folder. */
void lt_parse_file(struct lt_run *r, const struct sv_format_ops *ops,
		   const char *path, const char *data_name);
/* Parse a source the caller set up (a bundle member). */
void lt_parse_source(struct lt_run *r, const struct sv_format_ops *ops,
		     struct sv_source *src);

/* A file of the data folder, malloc()ed and NUL-terminated. */
char *lt_read_data(const char *name, size_t *n);

/* Index of the first problem whose text has needle (and whose line is
 * line, unless line is UINT64_MAX), or -1. */
int lt_problem(const struct lt_run *r, uint64_t line, const char *needle);

/* The score ops gives path with head. */
int lt_probe(const struct sv_format_ops *ops, const char *path,
	     const char *head);

#endif
