/*
 * sv_outfile.h - write a file so that it appears complete or not at all.
 *
 * Output goes to a hidden temporary name in the target folder; commit
 * flushes, fsyncs and renames it over the final name; abort removes it.
 * A crash or a failed write never leaves a half-written report behind.
 */
#ifndef SV_OUTFILE_H
#define SV_OUTFILE_H

#include <limits.h>
#include <stdio.h>

#include "sv_error.h"

struct sv_outfile {
	FILE *fp;
	char tmp[PATH_MAX];
	char final[PATH_MAX];
};

/* Create dir/.name.XXXXXX for writing. fp is owned by the outfile. */
enum sv_status sv_outfile_open(struct sv_outfile *o, const char *dir,
			       const char *name, struct sv_error *err)
	SV_MUST_CHECK;
/* Flush, fsync, close and rename to dir/name. On failure, aborts. */
enum sv_status sv_outfile_commit(struct sv_outfile *o, struct sv_error *err)
	SV_MUST_CHECK;
/* Close and unlink the temporary file; safe to call twice. */
void sv_outfile_abort(struct sv_outfile *o);

/* mkdir -p; SV_OK if it exists already as a directory. */
enum sv_status sv_mkdir_p(const char *dir, struct sv_error *err)
	SV_MUST_CHECK;

#endif
