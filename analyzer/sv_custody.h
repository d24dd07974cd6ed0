/*
 * sv_custody.h - chain of custody: the SHA256SUMS lines against the
 * digests of the members actually read, and duplicate member names.
 *
 * Owns a hash table keyed by bundle path; the records and the issues it
 * reports are in the analysis arena.
 */
#ifndef SV_CUSTODY_H
#define SV_CUSTODY_H

#include <stdint.h>

#include "sv_arena.h"
#include "sv_bundle.h"
#include "sv_error.h"

enum sv_custody_status {
	SV_CUSTODY_ABSENT = 0,  /* no SHA256SUMS in the bundle */
	SV_CUSTODY_VERIFIED,    /* every member listed and matching */
	SV_CUSTODY_FAILED,      /* a mismatch, a missing or unlisted file */
	SV_CUSTODY_INCOMPLETE   /* the bundle could not be read to the end */
};
const char *sv_custody_status_name(enum sv_custody_status s);

enum sv_custody_issue_kind {
	SV_CUSTODY_MISMATCH,    /* digest differs from SHA256SUMS */
	SV_CUSTODY_NOT_COVERED, /* member not listed in SHA256SUMS */
	SV_CUSTODY_MISSING,     /* listed, but not in the bundle */
	SV_CUSTODY_UNHASHED,    /* member cut or unreadable: not verifiable */
	SV_CUSTODY_DUPLICATE    /* the same path twice in the archive */
};
const char *sv_custody_issue_name(enum sv_custody_issue_kind k);

struct sv_custody_issue {
	enum sv_custody_issue_kind kind;
	const char *path;
	uint64_t index; /* member number; UINT64_MAX for missing files */
	uint8_t expected[SV_SHA256_LEN];
	uint8_t actual[SV_SHA256_LEN];
	struct sv_custody_issue *next;
};

#define SV_CUSTODY_ISSUES_LISTED 1000

struct sv_custody_result {
	enum sv_custody_status status;
	uint64_t listed;    /* lines in SHA256SUMS */
	uint64_t verified;  /* members whose digest matched */
	uint64_t counts[SV_CUSTODY_DUPLICATE + 1];
	struct sv_custody_issue *issues; /* first SV_CUSTODY_ISSUES_LISTED */
	uint64_t issues_total;
};

struct sv_custody;

/* The table itself is malloc'd (it is rebuilt as it grows): release it
 * with sv_custody_free(); results stay valid (they are in the arena). */
struct sv_custody *sv_custody_new(struct sv_arena *arena);
void sv_custody_free(struct sv_custody *c);

/* A SHA256SUMS line. SV_WARN if the path was listed before. */
enum sv_status sv_custody_expect(struct sv_custody *c, const char *path,
				 const uint8_t digest[SV_SHA256_LEN],
				 struct sv_error *err) SV_MUST_CHECK;
/*
 * A member as it is read. SV_WARN when the path was seen before. f is
 * kept, not copied: it must live as long as the custody table (bundle
 * members do: they are in the same arena); its digest is read at verify.
 */
enum sv_status sv_custody_member(struct sv_custody *c,
				 const struct sv_bundle_file *f,
				 struct sv_error *err) SV_MUST_CHECK;

/*
 * After the bundle is finished (member digests final): compare. had_sums
 * says whether a SHA256SUMS member was read; complete whether the archive
 * was read to its end. Issues come in reading order.
 */
enum sv_status sv_custody_verify(struct sv_custody *c, int had_sums,
				 int complete, struct sv_custody_result *out,
				 struct sv_error *err) SV_MUST_CHECK;

#endif
