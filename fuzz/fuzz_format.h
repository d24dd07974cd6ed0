/*
 * fuzz_format.h - shared harness for the reader fuzz targets.
 *
 * Each fuzz_<name>.c defines LLVMFuzzerTestOneInput(); this header gives
 * it the prototype (for -Wmissing-prototypes), an sv_emit that keeps
 * nothing but reads every string a record borrows (so ASan sees a
 * dangling or unterminated one during the emit call, where it must be
 * valid), and sv_fuzz_format() to run one reader over a memory source.
 *
 * Oracles beyond the sanitizers (abort() so libFuzzer records a crash):
 *   - a problem or error message holds no control byte (sv_error_set
 *     scrubs them: a hostile path must not forge log lines);
 *   - parse returns OK, WARN or an error, never EOF or an unknown code,
 *     and an error comes with err->code set to it and a message.
 * Only included by one translation unit per binary: the statics are
 * that target's.
 */
#ifndef SV_FUZZ_FORMAT_H
#define SV_FUZZ_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_arena.h"
#include "sv_format.h"
#include "sv_source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Scratch arena cap for one reader run (the pipeline uses 256 MiB). */
#define SV_FUZZ_SCRATCH_CAP (64ULL << 20)

static volatile size_t sv_fuzz_sink;

static inline void sv_fuzz_fail(const char *what,
				const struct sv_error *e)
{
	fprintf(stderr, "fuzz oracle: %s (code %d, artifact '%.*s', "
		"msg '%.*s')\n", what, (int)e->code,
		(int)sizeof(e->artifact), e->artifact,
		(int)sizeof(e->msg), e->msg);
	abort();
}

/* A bounded, NUL-terminated field free of control bytes. */
static inline int sv_fuzz_clean(const char *s, size_t cap)
{
	size_t i;

	for (i = 0; i < cap && s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return i < cap;
}

static inline void sv_fuzz_check_error(const struct sv_error *e)
{
	if (!sv_fuzz_clean(e->msg, sizeof(e->msg)) ||
	    !sv_fuzz_clean(e->artifact, sizeof(e->artifact)))
		sv_fuzz_fail("control byte or no NUL in an sv_error", e);
}

static inline size_t sv_fuzz_touch(const char *s)
{
	return s ? strlen(s) : 0;
}

static inline enum sv_status sv_fuzz_record(void *ctx,
					    const struct sv_record *rec,
					    struct sv_error *err)
{
	size_t n = sv_fuzz_touch(rec->artifact);

	(void)ctx;
	(void)err;
	switch (rec->type) {
	case SV_REC_MANIFEST:
		n += sv_fuzz_touch(rec->u.manifest.host);
		n += sv_fuzz_touch(rec->u.manifest.collector);
		n += sv_fuzz_touch(rec->u.manifest.notes);
		break;
	case SV_REC_CHECKSUM:
		n += sv_fuzz_touch(rec->u.checksum.path);
		n += rec->u.checksum.digest[SV_SHA256_LEN - 1];
		break;
	default:
		/* Newer record kinds: the sanitizers still watch the reader. */
		break;
	}
	sv_fuzz_sink += n;
	return SV_OK;
}

static inline void sv_fuzz_problem(void *ctx, const struct sv_error *e)
{
	(void)ctx;
	sv_fuzz_check_error(e);
}

static const struct sv_emit sv_fuzz_emit = {
	NULL, sv_fuzz_record, sv_fuzz_problem
};

/* The contract of sv_format_ops.parse, checked on its result. */
static inline void sv_fuzz_check_parse(enum sv_status rc,
				       const struct sv_error *e)
{
	if (rc == SV_OK || rc == SV_WARN)
		return;
	if (!sv_is_error(rc) || rc > SV_ERR_USAGE)
		sv_fuzz_fail("parse returned EOF or an unknown status", e);
	if (e->code != rc || e->msg[0] == '\0')
		sv_fuzz_fail("parse failed without filling err", e);
	sv_fuzz_check_error(e);
}

/* Run ops->parse over data as the member at path. */
static inline void sv_fuzz_format(const struct sv_format_ops *ops,
				  const char *path, const uint8_t *data,
				  size_t size)
{
	struct sv_arena *scratch = sv_arena_new(SV_FUZZ_SCRATCH_CAP);
	struct sv_source src;
	struct sv_error err;
	enum sv_status rc;

	if (!scratch)
		return;
	sv_error_clear(&err);
	sv_source_init_memory(&src, path, data, size);
	rc = ops->parse(&src, scratch, &sv_fuzz_emit, &err);
	sv_fuzz_check_parse(rc, &err);
	sv_arena_free(scratch);
}

#endif
