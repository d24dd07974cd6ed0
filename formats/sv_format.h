/*
 * sv_format.h - the one interface every artifact reader implements, and
 * the typed records readers emit.
 *
 * A reader is a const struct sv_format_ops in its own fmt_<name>.c: a
 * cheap probe (path layout and first bytes, score 0..100, highest wins,
 * as libarchive's bidders) and a parse that streams a source and emits
 * records. Problems that do not stop the artifact (a malformed line) go to
 * emit->problem with file and line; parse returns SV_WARN if there were
 * any, or a fatal error for the artifact (it is then skipped and listed as
 * unreadable). Records and their strings are borrowed: valid only during
 * the emit call.
 */
#ifndef SV_FORMAT_H
#define SV_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "sv_error.h"
#include "sv_hasher.h"
#include "sv_layout.h"
#include "sv_records.h"
#include "sv_source.h"

struct sv_emit {
	void *ctx;
	/* A non-OK return stops the parse and is passed up. */
	enum sv_status (*record)(void *ctx, const struct sv_record *rec,
				 struct sv_error *err);
	void (*problem)(void *ctx, const struct sv_error *problem);
};

/* Report a non-fatal problem at a line (line 0: none) of artifact. */
void sv_emit_problem(const struct sv_emit *out, const char *artifact,
		     uint64_t line, const char *fmt, ...) SV_PRINTF(4, 5);

struct sv_format_ops {
	const char *name;        /* "manifest": stable, in reports */
	enum sv_artifact kind;   /* the layout kind it reads */
	int (*probe)(const struct sv_layout *lay, const uint8_t *head,
		     size_t n);
	enum sv_status (*parse)(struct sv_source *src, struct sv_arena *scratch,
				const struct sv_emit *out,
				struct sv_error *err);
};

#endif
