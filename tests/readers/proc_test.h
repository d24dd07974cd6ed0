/*
 * proc_test.h - harness shared by the /proc reader suites
 * (test_proc_*.c): run one reader's parse on bytes or on a file of
 * tests/readers/data/proc/, and keep deep copies of what it emitted.
 *
 *   struct pt_run *r = pt_new();
 *   pt_parse_file(r, &sv_fmt_proc_stat, "proc/1764392000.250/42/stat",
 *                 "vm-python/stat");
 *   ck_assert_int_eq(r->rc, SV_OK);
 *   ck_assert_str_eq(r->rec[0].u.proc_stat.comm, "python3");
 *   pt_free(r);
 *
 * Every check that holds for any reader run is made on the way: each
 * record's artifact is the path given, each problem names that path,
 * and the bytes parsed are an exact-size heap copy (ASan sees overruns).
 */
#ifndef PROC_TEST_H
#define PROC_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "sv_format.h"

#define PT_MAX_RECS 512
#define PT_MAX_PROBLEMS 64

/* The snapshot most tests use: proc/1764392000.250/... */
#define PT_T "proc/1764392000.250"
#define PT_T_NS 1764392000250000000LL

struct pt_problem {
	uint64_t line;
	char msg[SV_ERROR_MSG_MAX];
};

struct pt_run {
	struct sv_record rec[PT_MAX_RECS]; /* strings copied into keep */
	size_t nrec;        /* received; only the first PT_MAX_RECS kept */
	struct pt_problem prob[PT_MAX_PROBLEMS];
	size_t nprob;
	enum sv_status rc;  /* what parse returned */
	struct sv_error err;
	enum sv_status stop_with; /* returned by the record callback after
				     stop_after records (tests the stop) */
	size_t stop_after;
	/* called with every record, kept or not (NULL: none) */
	void (*hook)(void *hook_ctx, const struct sv_record *rec);
	void *hook_ctx;
	const char *path;
	struct sv_arena *keep;
	struct sv_arena *scratch;
};

struct pt_run *pt_new(void);
void pt_free(struct pt_run *r);
/* Forget the results (keeps the stop and hook settings). */
void pt_reset(struct pt_run *r);

/* Parse n bytes (copied to an exact-size buffer) as bundle member path. */
enum sv_status pt_parse(struct pt_run *r, const struct sv_format_ops *ops,
			const char *path, const void *buf, size_t n);
/* The same for a NUL-terminated string. */
enum sv_status pt_parse_str(struct pt_run *r,
			    const struct sv_format_ops *ops, const char *path,
			    const char *s);
/* The same for tests/readers/data/proc/<rel>. */
enum sv_status pt_parse_file(struct pt_run *r,
			     const struct sv_format_ops *ops,
			     const char *path, const char *rel);

/*
 * Parse through a real bundle: the bytes become member path of a
 * .tar.gz written in memory and read back with sv_bundle, so the reader
 * sees them in the blocks libarchive hands out. *blocks (if given)
 * receives how many blocks the member came in.
 */
enum sv_status pt_parse_bundle(struct pt_run *r,
			       const struct sv_format_ops *ops,
			       const char *path, const void *buf, size_t n,
			       size_t *blocks);

/* malloc()ed contents of tests/readers/data/proc/<rel> (fails the test
 * when missing). */
char *pt_load(const char *rel, size_t *n);

/* Index of the first problem at line (any line when line is UINT64_MAX)
 * whose message contains substr, or -1. */
int pt_problem(const struct pt_run *r, uint64_t line, const char *substr);

/* A probe score through sv_layout_classify(path). */
int pt_probe(const struct sv_format_ops *ops, const char *path);

/* Dotted text of a 4- or 16-byte address ("127.0.0.1", "fe80::1"). */
void pt_addr(const uint8_t *a, int family, char *out, size_t n);

#endif
