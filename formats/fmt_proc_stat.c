/*
 * fmt_proc_stat.c - /proc/<pid>/stat at snapshot T (proc(5); the kernel's
 * do_task_stat() in fs/proc/array.c). One line of fields:
 *
 *    1 pid        2 (comm)     3 state      4 ppid       5 pgrp
 *    6 session    7 tty_nr     8 tpgid      9 flags     10 minflt
 *   11 cminflt   12 majflt    13 cmajflt   14 utime     15 stime
 *   16 cutime    17 cstime    18 priority  19 nice      20 num_threads
 *   21 itrealvalue           22 starttime  23 vsize     24 rss
 *   25 rsslim ... 39 processor ... 52 exit_code     (52 on 3.5+ kernels)
 *
 * comm is whatever the process named itself (prctl, /proc/<pid>/comm):
 * it may hold spaces, '(' , ')' and even '\n', so it runs from the first
 * '(' to the LAST ')' of the file, not of a line. Older kernels print
 * fewer fields: the count goes into `fields`, absent values stay 0
 * (processor -1); a file with fewer than 22 fields (no starttime) is
 * reported as cut. More than 52 fields (a newer kernel) are counted and
 * ignored. Every field must be an integer: a file with a non-numeric
 * field is refused whole (one wrong value would misplace every later
 * one), as is one over 4 KiB (the kernel writes about 300 bytes).
 *
 * Emits one SV_REC_PROC_STAT (line 1); comm is capped at 256 bytes.
 */
#include <stddef.h>
#include <string.h>

#include "sv_format.h"
#include "sv_proc.h"

#define STAT_MAX 4096
#define COMM_MAX 256
#define NFIELDS 52
#define FIELD_STARTTIME 22
#define FIELD_PROCESSOR 39
#define INT_TEXT_MAX 21 /* "-9223372036854775808", "18446744073709551615" */

enum ftype { F_NONE = 0, F_U32, F_U64, F_I64 };

static const struct field {
	enum ftype type;
	size_t off;
} by_field[NFIELDS + 1] = {
	[4] = {F_U32, offsetof(struct sv_proc_stat, ppid)},
	[5] = {F_U32, offsetof(struct sv_proc_stat, pgrp)},
	[6] = {F_U32, offsetof(struct sv_proc_stat, session)},
	[7] = {F_I64, offsetof(struct sv_proc_stat, tty_nr)},
	[10] = {F_U64, offsetof(struct sv_proc_stat, minflt)},
	[12] = {F_U64, offsetof(struct sv_proc_stat, majflt)},
	[14] = {F_U64, offsetof(struct sv_proc_stat, utime)},
	[15] = {F_U64, offsetof(struct sv_proc_stat, stime)},
	[16] = {F_I64, offsetof(struct sv_proc_stat, cutime)},
	[17] = {F_I64, offsetof(struct sv_proc_stat, cstime)},
	[18] = {F_I64, offsetof(struct sv_proc_stat, priority)},
	[19] = {F_I64, offsetof(struct sv_proc_stat, nice)},
	[20] = {F_I64, offsetof(struct sv_proc_stat, num_threads)},
	[22] = {F_U64, offsetof(struct sv_proc_stat, starttime)},
	[23] = {F_U64, offsetof(struct sv_proc_stat, vsize)},
	[24] = {F_I64, offsetof(struct sv_proc_stat, rss_pages)},
	[39] = {F_I64, offsetof(struct sv_proc_stat, processor)},
};

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	(void)head;
	(void)n;
	return lay->kind == SV_ART_PROC_PID && !strcmp(lay->leaf, "stat")
		       ? 100
		       : 0;
}

/* An integer as the kernel prints one: [-]digits, at most 21 bytes. */
static int is_integer(struct sv_span t)
{
	size_t i = t.n && t.p[0] == '-' ? 1 : 0;

	if (t.n == i || t.n > INT_TEXT_MAX)
		return 0;
	for (; i < t.n; i++)
		if (t.p[i] < '0' || t.p[i] > '9')
			return 0;
	return 1;
}

/* Store field number f (4..52) if the record keeps it; 0 or -1. */
static int store(struct sv_proc_stat *ps, int f, struct sv_span t)
{
	char *dst = (char *)ps;
	uint64_t u;
	int64_t i;

	if (f > NFIELDS || by_field[f].type == F_NONE)
		return 0;
	dst += by_field[f].off;
	switch (by_field[f].type) {
	case F_U32:
		if (sv_proc_span_u64(t, UINT32_MAX, &u))
			return -1;
		*(uint32_t *)(void *)dst = (uint32_t)u;
		return 0;
	case F_U64:
		if (sv_proc_span_u64(t, UINT64_MAX, &u))
			return -1;
		*(uint64_t *)(void *)dst = u;
		return 0;
	case F_I64:
		if (sv_proc_span_i64(t, &i))
			return -1;
		*(int64_t *)(void *)dst = i;
		return 0;
	case F_NONE:
		break;
	}
	return 0;
}

static enum sv_status bad(struct sv_error *err, const char *path,
			  const char *what)
{
	return sv_error_at(err, SV_ERR_CORRUPT, path, 0, 1,
			   "not a /proc/<pid>/stat line: %s", what);
}

/* Fields 3.. after the ')' of comm. */
static enum sv_status parse_fields(const char *s, const char *end,
			     struct sv_proc_stat *ps, const char *path,
			     struct sv_error *err)
{
	struct sv_span t;
	int f = 2;

	if (s == end || *s != ' ')
		return bad(err, path, "no fields after the command name");
	while (!sv_str_token(&s, end, &t)) {
		f++;
		if (f == 3) {
			if (t.n != 1 || !((t.p[0] >= 'A' && t.p[0] <= 'Z') ||
					  (t.p[0] >= 'a' && t.p[0] <= 'z')))
				return bad(err, path, "state is not a letter");
			ps->state = t.p[0];
		} else if (!is_integer(t) || store(ps, f, t)) {
			return sv_error_at(err, SV_ERR_CORRUPT, path, 0, 1,
					   "field %d is not a number in "
					   "range", f);
		}
	}
	if (f < 3)
		return bad(err, path, "no state field");
	ps->fields = f;
	return SV_OK;
}

/* "<pid> (<comm>) ...": pid, comm bounds; SV_OK or an error. */
static enum sv_status split_head(const char *buf, size_t n,
				 struct sv_proc_stat *ps, const char **open,
				 const char **close, const char *path,
				 struct sv_error *err)
{
	const char *s = buf, *o = memchr(buf, '(', n), *c = NULL, *p;
	uint64_t pid;

	for (p = buf + n; p > buf; p--)
		if (p[-1] == ')') {
			c = p - 1;
			break;
		}
	if (!o || !c || c < o)
		return bad(err, path, "no '(command)'");
	if (sv_str_u64(&s, o, UINT32_MAX, &pid) || s + 1 != o || *s != ' ')
		return bad(err, path, "no pid before the command name");
	ps->pid = (uint32_t)pid;
	*open = o;
	*close = c;
	return SV_OK;
}

static enum sv_status decode(const char *buf, size_t n,
			     struct sv_record *rec, struct sv_arena *scratch,
			     const struct sv_emit *out, const char *path,
			     struct sv_error *err)
{
	struct sv_proc_stat *ps = &rec->u.proc_stat;
	const char *open = NULL, *close = NULL;
	enum sv_status rc = SV_OK;
	int cut;

	SV_FORWARD(split_head(buf, n, ps, &open, &close, path, err));
	ps->processor = -1;
	SV_FORWARD(parse_fields(close + 1, buf + n, ps, path, err));
	ps->comm = sv_proc_strdup(scratch, open + 1, (size_t)(close - open - 1),
				  COMM_MAX, &cut);
	if (!ps->comm)
		return sv_proc_nomem(path, err);
	if (cut)
		rc = sv_proc_warn(out, path, 1, "command name cut at %d bytes",
				  COMM_MAX);
	if (ps->fields < FIELD_STARTTIME)
		rc = sv_proc_warn(out, path, 1,
				  "only %d fields (file cut?): starttime and "
				  "later fields unknown", ps->fields);
	return rc;
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	struct sv_layout lay;
	struct sv_record rec;
	char *buf;
	size_t n;
	int more;
	enum sv_status rc = SV_OK, rrc;

	sv_layout_classify(src->path, &lay);
	SV_FORWARD(sv_proc_read_head(src, scratch, STAT_MAX, &buf, &n, &more,
				     err));
	if (more)
		return sv_error_at(err, SV_ERR_CORRUPT, src->path, 0, 1,
				   "longer than %d bytes: not a "
				   "/proc/<pid>/stat", STAT_MAX);
	if (n == 0)
		return sv_proc_warn(out, src->path, 0,
				    "empty file: the process likely exited while it was read");
	if (buf[n - 1] == '\n')
		n--;
	else
		rc = sv_proc_warn(out, src->path, 1,
				  "no final newline: the last field may be "
				  "cut");
	sv_proc_record_init(&rec, SV_REC_PROC_STAT, src->path, &lay);
	rec.line = 1;
	rrc = decode(buf, n, &rec, scratch, out, src->path, err);
	if (sv_is_error(rrc))
		return rrc;
	if (rrc == SV_WARN)
		rc = SV_WARN;
	rrc = out->record(out->ctx, &rec, err);
	return rrc != SV_OK ? rrc : rc;
}

const struct sv_format_ops sv_fmt_proc_stat = {
	.name = "proc-stat",
	.kind = SV_ART_PROC_PID,
	.probe = probe,
	.parse = parse,
};
