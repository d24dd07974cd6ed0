/*
 * sv_source.c - member streams and the bounded line splitter.
 */
#include "sv_source.h"

#include <string.h>

void sv_source_init_bundle(struct sv_source *s, struct sv_bundle *b,
			   const char *path)
{
	memset(s, 0, sizeof(*s));
	s->bundle = b;
	s->path = path;
}

void sv_source_init_memory(struct sv_source *s, const char *path,
			   const void *buf, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->path = path;
	s->mem = buf;
	s->mem_len = n;
}

static enum sv_status load(struct sv_source *s, struct sv_error *err)
{
	enum sv_status rc;

	if (s->blk || s->eof)
		return s->blk ? SV_OK : SV_EOF;
	if (!s->bundle) {
		if (s->mem_len == 0) {
			s->eof = 1;
			return SV_EOF;
		}
		s->blk = s->mem;
		s->blk_len = s->mem_len;
		s->mem_len = 0;
		return SV_OK;
	}
	rc = sv_bundle_read_block(s->bundle, &s->blk, &s->blk_len, err);
	if (rc == SV_WARN) {
		/* Cut at a limit: the reader sees an end, the pipeline the why. */
		s->warning = *err;
		s->cut = 1;
		rc = SV_EOF;
	}
	if (rc != SV_OK) {
		s->blk = NULL;
		s->eof = rc == SV_EOF;
	}
	return rc;
}

enum sv_status sv_source_peek(struct sv_source *s, const uint8_t **p,
			      size_t *n, struct sv_error *err)
{
	enum sv_status rc = load(s, err);

	if (rc == SV_OK) {
		*p = s->blk;
		*n = s->blk_len;
	}
	return rc;
}

enum sv_status sv_source_block(struct sv_source *s, const uint8_t **p,
			       size_t *n, struct sv_error *err)
{
	enum sv_status rc = sv_source_peek(s, p, n, err);

	if (rc == SV_OK) {
		s->offset += *n;
		s->blk = NULL;
	}
	return rc;
}

enum sv_status sv_source_slurp(struct sv_source *s, struct sv_arena *arena,
			       size_t max, char **out, size_t *n,
			       struct sv_error *err)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	const uint8_t *p;
	size_t m;
	enum sv_status rc;

	while ((rc = sv_source_block(s, &p, &m, err)) == SV_OK) {
		if (m > max - len)
			return sv_error_set(err, SV_ERR_LIMIT, s->path,
					    "larger than %zu bytes", max);
		if (len + m + 1 > cap) {
			size_t ncap = (len + m + 1) * 2;
			char *nb;

			if (ncap > max + 1)
				ncap = max + 1;
			nb = sv_arena_alloc(arena, ncap);
			if (!nb)
				return sv_error_set(err, SV_ERR_NOMEM, s->path,
						    "out of memory");
			if (len)
				memcpy(nb, buf, len);
			buf = nb;
			cap = ncap;
		}
		memcpy(buf + len, p, m);
		len += m;
	}
	if (rc != SV_EOF)
		return rc;
	if (!buf) {
		buf = sv_arena_alloc(arena, 1);
		if (!buf)
			return sv_error_set(err, SV_ERR_NOMEM, s->path,
					    "out of memory");
	}
	buf[len] = '\0';
	*out = buf;
	*n = len;
	return SV_OK;
}

void sv_lines_init(struct sv_lines *l, struct sv_source *src, char *buf,
		   size_t max_len)
{
	memset(l, 0, sizeof(*l));
	l->src = src;
	l->buf = buf;
	l->max_len = max_len;
}

static void strip_cr(struct sv_span *line)
{
	if (line->n && line->p[line->n - 1] == '\r')
		line->n--;
}

/* Append up to the next '\n' of the current block; 1 when a line ended. */
static int take(struct sv_lines *l, size_t *len, int *overflow)
{
	const uint8_t *start = l->blk + l->blk_pos;
	size_t avail = l->blk_len - l->blk_pos;
	const uint8_t *nl = memchr(start, '\n', avail);
	size_t chunk = nl ? (size_t)(nl - start) : avail;

	if (!*overflow && chunk <= l->max_len - *len) {
		memcpy(l->buf + *len, start, chunk);
		*len += chunk;
	} else {
		*overflow = 1;
	}
	l->blk_pos += chunk + (nl ? 1 : 0);
	return nl != NULL;
}

enum sv_status sv_lines_next(struct sv_lines *l, struct sv_span *line,
			     struct sv_error *err)
{
	size_t len = 0;
	int overflow = 0, ended = 0, any = 0;
	enum sv_status rc;

	if (l->done)
		return SV_EOF;
	while (!ended) {
		if (l->blk_pos == l->blk_len) {
			rc = sv_source_block(l->src, &l->blk, &l->blk_len, err);
			l->blk_pos = 0;
			if (rc == SV_EOF) {
				l->done = 1;
				l->blk_len = 0;
				if (!any)
					return SV_EOF;
				break;
			}
			if (rc != SV_OK)
				return rc;
		}
		any = 1;
		ended = take(l, &len, &overflow);
	}
	l->lineno++;
	if (overflow)
		return sv_error_at(err, SV_WARN, l->src->path, 0, l->lineno,
				   "line longer than %zu bytes skipped",
				   l->max_len);
	line->p = l->buf;
	line->n = len;
	strip_cr(line);
	return SV_OK;
}
