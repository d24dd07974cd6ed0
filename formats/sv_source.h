/*
 * sv_source.h - the byte stream one reader parses: a bundle member or a
 * buffer in memory (tests, fuzzing), with a bounded line splitter.
 *
 * A source never owns the bytes it hands out: a block or a line is valid
 * until the next call on the same source.
 */
#ifndef SV_SOURCE_H
#define SV_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "sv_arena.h"
#include "sv_bundle.h"
#include "sv_cursor.h"
#include "sv_error.h"

struct sv_source {
	const char *path;   /* bundle-relative, for messages */
	uint64_t offset;    /* bytes handed out so far */
	struct sv_bundle *bundle; /* NULL: memory backend */
	const uint8_t *mem;
	size_t mem_len;
	const uint8_t *blk; /* loaded, not yet consumed */
	size_t blk_len;
	int eof;
	int cut;            /* member cut at a limit: see warning */
	struct sv_error warning;
};

void sv_source_init_bundle(struct sv_source *s, struct sv_bundle *b,
			   const char *path);
void sv_source_init_memory(struct sv_source *s, const char *path,
			   const void *buf, size_t n);

/* Look at the next block without consuming it. SV_OK, SV_EOF or error. */
enum sv_status sv_source_peek(struct sv_source *s, const uint8_t **p,
			      size_t *n, struct sv_error *err) SV_MUST_CHECK;
/* Take the next block. SV_OK, SV_EOF or a fatal error. */
enum sv_status sv_source_block(struct sv_source *s, const uint8_t **p,
			       size_t *n, struct sv_error *err) SV_MUST_CHECK;

/*
 * Read the whole rest into a NUL-terminated buffer from arena, at most max
 * bytes: SV_ERR_LIMIT (naming the file) when larger.
 */
enum sv_status sv_source_slurp(struct sv_source *s, struct sv_arena *arena,
			       size_t max, char **out, size_t *n,
			       struct sv_error *err) SV_MUST_CHECK;

/* Lines of at most max_len bytes ('\n' stripped, a final '\r' too). */
struct sv_lines {
	struct sv_source *src;
	char *buf;          /* max_len bytes, caller-provided */
	size_t max_len;
	uint64_t lineno;    /* of the line last returned */
	const uint8_t *blk;
	size_t blk_len, blk_pos;
	int done;
};

void sv_lines_init(struct sv_lines *l, struct sv_source *src, char *buf,
		   size_t max_len);

/*
 * Next line. SV_OK with *line; SV_EOF; SV_WARN when the line was longer
 * than max_len (it is skipped; err names the line; call again); or a fatal
 * source error.
 */
enum sv_status sv_lines_next(struct sv_lines *l, struct sv_span *line,
			     struct sv_error *err) SV_MUST_CHECK;

#endif
