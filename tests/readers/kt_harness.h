/*
 * kt_harness.h - harness of the cgroup and kernel-log reader suites
 * (test_cgroup.c, test_dmesg.c): run one reader's parse on bytes, on a
 * file of tests/readers/data/, or through a real in-memory bundle, and
 * keep deep copies of the records and problems it emitted.
 *
 *   struct kt_run *r = kt_new();
 *   kt_parse_str(r, &sv_fmt_cgroup, "cgroup/1764392000.250/memory.max",
 *                "max\n");
 *   ck_assert_int_eq(r->rc, SV_OK);
 *   ck_assert(r->rec[0].u.cgroup.is_max);
 *   kt_free(r);
 *
 * Checked on every run: each record's artifact is the path given and each
 * problem names it; the bytes parsed are an exact-size heap copy, so ASan
 * sees any read past them.
 */
#ifndef KT_HARNESS_H
#define KT_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "sv_format.h"

#define KT_T "1764392000.250"
#define KT_T_NS 1764392000250000000LL

struct kt_problem {
	uint64_t line;
	char msg[SV_ERROR_MSG_MAX];
};

struct kt_run {
	struct sv_record *rec;   /* strings copied into keep */
	size_t nrec, cap;
	struct kt_problem *prob;
	size_t nprob, pcap;
	enum sv_status rc;       /* what parse returned */
	struct sv_error err;
	size_t stop_after;       /* record callback returns stop_with after
				    this many records (0: never) */
	enum sv_status stop_with;
	const char *path;
	struct sv_arena *keep;
	struct sv_arena *scratch;
};

struct kt_run *kt_new(void);
void kt_free(struct kt_run *r);
/* Forget the results; keeps the stop settings. */
void kt_reset(struct kt_run *r);

/* Parse n bytes as bundle member path (an exact-size heap copy). */
enum sv_status kt_parse(struct kt_run *r, const struct sv_format_ops *ops,
			const char *path, const void *buf, size_t n);
enum sv_status kt_parse_str(struct kt_run *r, const struct sv_format_ops *ops,
			    const char *path, const char *s);
/* Parse the file at abs (an absolute path) as member path. */
enum sv_status kt_parse_file(struct kt_run *r,
			     const struct sv_format_ops *ops,
			     const char *path, const char *abs);
/* Parse through a .tar.gz written in memory and read with sv_bundle. */
enum sv_status kt_parse_bundle(struct kt_run *r,
			       const struct sv_format_ops *ops,
			       const char *path, const void *buf, size_t n);

/* Number of problems at line (UINT64_MAX: any) whose text has substr. */
size_t kt_problems(const struct kt_run *r, uint64_t line, const char *substr);

/* malloc()ed contents of abs; aborts the test when unreadable. */
char *kt_read(const char *abs, size_t *n);

#endif
