/*
 * sv_proc.c - shared helpers of the /proc snapshot readers (sv_proc.h).
 */
#include "sv_proc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sv_time.h"

#define NS_PER_SEC ((uint64_t)SV_NS_PER_SEC)

int64_t sv_proc_start_ns(uint64_t start_ticks, int64_t btime_s,
			 int64_t clk_tck)
{
	uint64_t hz, secs, frac_ns, base, t;

	/* A tick finer than a nanosecond is not a clock the kernel has. */
	if (btime_s < 0 || clk_tck < 1 || (uint64_t)clk_tck > NS_PER_SEC)
		return SV_TIME_NONE;
	if ((uint64_t)btime_s > (uint64_t)INT64_MAX / NS_PER_SEC)
		return SV_TIME_NONE;
	hz = (uint64_t)clk_tck;
	secs = start_ticks / hz;
	/* remainder < hz <= 1e9, so remainder * 1e9 < 1e18 fits */
	frac_ns = start_ticks % hz * NS_PER_SEC / hz;
	base = (uint64_t)btime_s * NS_PER_SEC;
	if (secs > ((uint64_t)INT64_MAX - base) / NS_PER_SEC)
		return SV_TIME_NONE;
	t = base + secs * NS_PER_SEC;
	if (frac_ns > (uint64_t)INT64_MAX - t)
		return SV_TIME_NONE;
	return (int64_t)(t + frac_ns);
}

void sv_proc_record_init(struct sv_record *rec, enum sv_record_type type,
			 const char *path, const struct sv_layout *lay)
{
	memset(rec, 0, sizeof(*rec));
	rec->type = type;
	rec->artifact = path;
	rec->ts_ns = lay->has_snapshot ? lay->snapshot_ns : SV_TIME_NONE;
	rec->pid = lay->pid;
}

enum sv_status sv_proc_nomem(const char *path, struct sv_error *err)
{
	return sv_error_set(err, SV_ERR_NOMEM, path, "out of memory");
}

/* ---- lines ---- */

void sv_proc_lines_init(struct sv_proc_lines *l, struct sv_source *src,
			char *buf, size_t max_len)
{
	memset(l, 0, sizeof(*l));
	l->src = src;
	l->buf = buf;
	l->max_len = max_len;
}

/* Make a block current; SV_OK, SV_EOF (then l->done) or an error. */
static enum sv_status load(struct sv_proc_lines *l, struct sv_error *err)
{
	enum sv_status rc;

	do {
		rc = sv_source_block(l->src, &l->blk, &l->blk_len, err);
		l->blk_pos = 0;
		if (rc != SV_OK) {
			l->blk_len = 0;
			if (rc == SV_EOF)
				l->done = 1;
			return rc;
		}
	} while (l->blk_len == 0);
	return SV_OK;
}

enum sv_status sv_proc_lines_next(struct sv_proc_lines *l,
				  struct sv_span *line, int *cut,
				  struct sv_error *err)
{
	size_t len = 0;
	int any = 0;
	enum sv_status rc;

	*cut = 0;
	for (;;) {
		const uint8_t *start, *nl;
		size_t avail, chunk, take;

		if (l->blk_pos == l->blk_len) {
			rc = l->done ? SV_EOF : load(l, err);
			if (rc == SV_EOF && any)
				break;
			if (rc != SV_OK)
				return rc;
		}
		start = l->blk + l->blk_pos;
		avail = l->blk_len - l->blk_pos;
		nl = memchr(start, '\n', avail);
		chunk = nl ? (size_t)(nl - start) : avail;
		l->blk_pos += chunk + (nl ? 1 : 0);
		if (nl && !any) {
			/* The whole line is in this block: no copy. */
			l->lineno++;
			l->unterminated = 0;
			*cut = chunk > l->max_len;
			line->p = (const char *)start;
			line->n = *cut ? l->max_len : chunk;
			return SV_OK;
		}
		any = 1;
		take = chunk < l->max_len - len ? chunk : l->max_len - len;
		memcpy(l->buf + len, start, take);
		len += take;
		if (take < chunk)
			*cut = 1;
		if (nl)
			break;
	}
	l->lineno++;
	l->unterminated = l->done;
	line->p = l->buf;
	line->n = len;
	return SV_OK;
}

enum sv_status sv_proc_read_head(struct sv_source *src,
				 struct sv_arena *scratch, size_t cap,
				 char **out, size_t *n, int *more,
				 struct sv_error *err)
{
	char *buf = sv_arena_alloc(scratch, cap + 1);
	const uint8_t *p;
	size_t len = 0, m;
	enum sv_status rc = SV_OK;

	if (!buf)
		return sv_proc_nomem(src->path, err);
	*more = 0;
	while (len < cap &&
	       (rc = sv_source_block(src, &p, &m, err)) == SV_OK) {
		size_t take = m < cap - len ? m : cap - len;

		memcpy(buf + len, p, take);
		len += take;
		if (take < m)
			*more = 1;
	}
	if (len < cap && rc != SV_EOF)
		return rc;
	if (len == cap && !*more) {
		rc = sv_source_peek(src, &p, &m, err);
		if (sv_is_error(rc))
			return rc;
		*more = rc == SV_OK && m > 0;
	}
	buf[len] = '\0';
	*out = buf;
	*n = len;
	return SV_OK;
}

enum sv_status sv_proc_each_line(struct sv_source *src,
				 struct sv_arena *scratch, size_t max_len,
				 sv_proc_line_fn fn, void *ctx,
				 uint64_t *nlines, struct sv_error *err)
{
	char *buf = sv_arena_alloc(scratch, max_len);
	struct sv_proc_lines lines;
	struct sv_span line;
	enum sv_status rc, result = SV_OK;
	int cut;

	if (!buf)
		return sv_proc_nomem(src->path, err);
	sv_proc_lines_init(&lines, src, buf, max_len);
	while ((rc = sv_proc_lines_next(&lines, &line, &cut, err)) == SV_OK) {
		rc = fn(ctx, line, cut, lines.lineno, err);
		if (rc == SV_WARN)
			result = SV_WARN;
		else if (rc != SV_OK)
			return rc; /* fatal, or a stop from out->record */
	}
	if (nlines)
		*nlines = lines.lineno;
	return rc == SV_EOF ? result : rc;
}

enum sv_status sv_proc_warn(const struct sv_emit *out, const char *path,
			    uint64_t line, const char *fmt, ...)
{
	char msg[SV_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sv_emit_problem(out, path, line, "%s", msg);
	return SV_WARN;
}

/* ---- tokens ---- */

int sv_proc_span_u64(struct sv_span s, uint64_t max, uint64_t *out)
{
	const char *p = s.p;
	uint64_t v;

	if (sv_str_u64(&p, s.p + s.n, max, &v) || p != s.p + s.n)
		return -1;
	*out = v;
	return 0;
}

int sv_proc_span_i64(struct sv_span s, int64_t *out)
{
	const char *p = s.p;
	int64_t v;

	if (sv_str_i64(&p, s.p + s.n, &v) || p != s.p + s.n)
		return -1;
	*out = v;
	return 0;
}

int sv_proc_span_hex(struct sv_span s, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (s.n == 0 || s.n > 16)
		return -1;
	for (i = 0; i < s.n; i++) {
		int d = sv_hexval((unsigned char)s.p[i]);

		if (d < 0)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return 0;
}

char *sv_proc_strdup(struct sv_arena *scratch, const char *p, size_t n,
		     size_t cap, int *cut)
{
	if (cut)
		*cut = n > cap;
	return sv_arena_strndup(scratch, p, n > cap ? cap : n);
}

char *sv_proc_copy(char *buf, const char *p, size_t n)
{
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

int sv_proc_bracket_inode(struct sv_span s, struct sv_span *name,
			  uint64_t *inode)
{
	const char *colon = memchr(s.p, ':', s.n);
	struct sv_span num;
	size_t k;

	if (!colon || colon == s.p)
		return -1;
	k = (size_t)(colon - s.p);
	/* name ":[" digits "]" */
	if (s.n < k + 4 || colon[1] != '[' || s.p[s.n - 1] != ']')
		return -1;
	num.p = colon + 2;
	num.n = s.n - k - 3;
	if (sv_proc_span_u64(num, UINT64_MAX, inode))
		return -1;
	name->p = s.p;
	name->n = k;
	return 0;
}

int64_t sv_boot_to_wall_ns(int64_t boot_ns, int64_t boot_time_ns)
{
	if (boot_ns == SV_TIME_NONE || boot_time_ns == SV_TIME_NONE ||
	    boot_ns < 0 || boot_time_ns < 0 ||
	    boot_ns > INT64_MAX - boot_time_ns)
		return SV_TIME_NONE;
	return boot_time_ns + boot_ns;
}
