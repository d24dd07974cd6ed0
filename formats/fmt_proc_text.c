/*
 * fmt_proc_text.c - the small text files of /proc/<pid>/ at snapshot T
 * (proc(5)): four readers in one file.
 *
 * sv_fmt_proc_argv: cmdline and environ, NUL-separated strings
 *   "nc\0" "10.89.77.1\0" "3333\0"        -> argv {"nc","10.89.77.1","3333"}
 *   ""                                    -> argc 0 (kernel thread, zombie)
 *   "sshd: root@pts/0"                    -> 1 string, unterminated (the
 *                                            process rewrote its args, or
 *                                            the read raced exec)
 *   One SV_REC_PROC_ARGV (line 0). At most 4096 strings and 128 KiB are
 *   kept; past that `truncated` is set and the cut is reported. Empty
 *   strings are kept. environ values may be secrets: they are kept, the
 *   reports decide what to show.
 *
 * sv_fmt_proc_io: "rchar: 35459839" ... cancelled_write_bytes -> one
 *   SV_REC_PROC_IO (line 0); absent or malformed values -1 (malformed
 *   reported), unknown keys ignored.
 *
 * sv_fmt_proc_comm: the command name and '\n' -> one SV_REC_PROC_COMM
 *   (u.comm, line 1). A name may itself hold '\n': everything before the
 *   final '\n' is the name, capped at 256 bytes.
 *
 * sv_fmt_proc_cgroup: one line per hierarchy -> SV_REC_PROC_CGROUP each
 *   "12:memory:/libpod_parent/libpod-<id>"   v1: hierarchy id, controllers
 *   "4:cpu,cpuacct:/docker/<id>"             (comma list), path
 *   "1:name=systemd:/user.slice/..."         named v1 hierarchy
 *   "0::/system.slice/docker-<id>.scope"     v2: id 0, controllers ""
 *   The path is all that follows the second ':' (it may hold ':' and a
 *   " (deleted)" suffix), kept as is, at most 4096 bytes; it must start
 *   with '/'.
 */
#include <stddef.h>
#include <string.h>

#include "sv_format.h"
#include "sv_proc.h"

#define ARGV_MAX_STRINGS 4096
#define ARGV_MAX_BYTES (128u << 10)
#define ARGV_FIRST_BUF 4096
#define IO_LINE_HEAD 256
#define COMM_MAX 256
#define CGROUP_LINE_HEAD 8192
#define CGROUP_PATH_MAX 4096
#define CONTROLLERS_MAX 256

static int leaf_is(const struct sv_layout *lay, const char *leaf)
{
	return lay->kind == SV_ART_PROC_PID && !strcmp(lay->leaf, leaf);
}

static enum sv_status emit(const struct sv_emit *out, struct sv_record *rec,
			   enum sv_status rc, struct sv_error *err)
{
	enum sv_status rrc = out->record(out->ctx, rec, err);

	return rrc != SV_OK ? rrc : rc;
}

/* ---- cmdline, environ ---- */

static int argv_probe(const struct sv_layout *lay, const uint8_t *head,
		      size_t n)
{
	(void)head;
	(void)n;
	return leaf_is(lay, "cmdline") || leaf_is(lay, "environ") ? 100 : 0;
}

/*
 * The first ARGV_MAX_BYTES of src in a scratch buffer with one spare
 * byte; *cut when there was more.
 */
static enum sv_status argv_read(struct sv_source *src,
				struct sv_arena *scratch, char **out,
				size_t *len, int *cut, struct sv_error *err)
{
	char *buf = NULL;
	size_t cap = 0, n = 0, m;
	const uint8_t *p;
	enum sv_status rc;

	*cut = 0;
	while ((rc = sv_source_block(src, &p, &m, err)) == SV_OK) {
		if (m > ARGV_MAX_BYTES - n) {
			m = ARGV_MAX_BYTES - n;
			*cut = 1;
		}
		if (n + m > cap) {
			size_t ncap = cap ? cap : ARGV_FIRST_BUF;
			char *nb;

			while (ncap < n + m)
				ncap *= 2;
			if (ncap > ARGV_MAX_BYTES)
				ncap = ARGV_MAX_BYTES;
			nb = sv_arena_alloc(scratch, ncap + 1);
			if (!nb)
				return sv_proc_nomem(src->path, err);
			if (n)
				memcpy(nb, buf, n);
			buf = nb;
			cap = ncap;
		}
		memcpy(buf + n, p, m);
		n += m;
		if (*cut)
			break;
	}
	if (sv_is_error(rc))
		return rc;
	*out = buf;
	*len = n;
	return SV_OK;
}

/* Point argv at the NUL-terminated strings of buf[0..n) (in place). */
static enum sv_status argv_split(char *buf, size_t n, struct sv_arena *scratch,
				 struct sv_proc_argv *a, const char *path,
				 struct sv_error *err)
{
	static const char *const none[1] = {NULL};
	const char **v;
	size_t count = 0, i, start = 0;

	a->argv = none;
	if (n == 0)
		return SV_OK;
	for (i = 0; i < n; i++)
		count += buf[i] == '\0';
	a->unterminated = buf[n - 1] != '\0';
	if (a->unterminated) {
		buf[n] = '\0'; /* the spare byte */
		count++;
	}
	if (count > ARGV_MAX_STRINGS) {
		count = ARGV_MAX_STRINGS;
		a->truncated = 1;
		a->unterminated = 0;
	}
	v = sv_arena_calloc(scratch, count + 1, sizeof(*v));
	if (!v)
		return sv_proc_nomem(path, err);
	for (i = 0; i < count; i++) {
		v[i] = buf + start;
		start += strlen(buf + start) + 1;
	}
	a->argv = v;
	a->argc = count;
	return SV_OK;
}

static enum sv_status argv_parse(struct sv_source *src,
				 struct sv_arena *scratch,
				 const struct sv_emit *out,
				 struct sv_error *err)
{
	struct sv_layout lay;
	struct sv_record rec;
	struct sv_proc_argv *a = &rec.u.proc_argv;
	char *buf = NULL;
	size_t n = 0;
	int cut;
	enum sv_status rc = SV_OK;

	sv_layout_classify(src->path, &lay);
	sv_proc_record_init(&rec, SV_REC_PROC_ARGV, src->path, &lay);
	a->kind = !strcmp(lay.leaf, "environ") ? SV_ARGV_ENVIRON
					       : SV_ARGV_CMDLINE;
	SV_FORWARD(argv_read(src, scratch, &buf, &n, &cut, err));
	SV_FORWARD(argv_split(buf, n, scratch, a, src->path, err));
	if (cut) {
		/* The last string is a piece, not a string the process had. */
		a->truncated = 1;
		a->unterminated = 0;
	}
	if (a->truncated)
		rc = sv_proc_warn(out, src->path, 0,
				  "cut to the first %zu strings within %u "
				  "bytes", a->argc, ARGV_MAX_BYTES);
	return emit(out, &rec, rc, err);
}

const struct sv_format_ops sv_fmt_proc_argv = {
	.name = "proc-argv",
	.kind = SV_ART_PROC_PID,
	.probe = argv_probe,
	.parse = argv_parse,
};

/* ---- io ---- */

static const struct {
	const char *key;
	size_t off;
} io_keys[] = {
	{"rchar", offsetof(struct sv_proc_io, rchar)},
	{"wchar", offsetof(struct sv_proc_io, wchar)},
	{"syscr", offsetof(struct sv_proc_io, syscr)},
	{"syscw", offsetof(struct sv_proc_io, syscw)},
	{"read_bytes", offsetof(struct sv_proc_io, read_bytes)},
	{"write_bytes", offsetof(struct sv_proc_io, write_bytes)},
	{"cancelled_write_bytes",
	 offsetof(struct sv_proc_io, cancelled_write_bytes)},
};

#define NIO (sizeof(io_keys) / sizeof(io_keys[0]))

struct io_ctx {
	const char *path;
	const struct sv_emit *out;
	struct sv_proc_io io;
	unsigned seen;
};

static int io_probe(const struct sv_layout *lay, const uint8_t *head,
		    size_t n)
{
	(void)head;
	(void)n;
	return leaf_is(lay, "io") ? 100 : 0;
}

static enum sv_status io_line(void *ctx, struct sv_span line, int cut,
			      uint64_t lineno, struct sv_error *err)
{
	struct io_ctx *c = ctx;
	const char *colon = memchr(line.p, ':', line.n);
	struct sv_span key, val, extra;
	const char *s;
	uint64_t v;
	size_t i;

	(void)err;
	if (!colon)
		return sv_proc_warn(c->out, c->path, lineno,
				    "not a 'key: value' line");
	key.p = line.p;
	key.n = (size_t)(colon - line.p);
	for (i = 0; i < NIO && !sv_span_eq(key, io_keys[i].key); i++)
		;
	if (i == NIO)
		return SV_OK;
	s = colon + 1;
	if (cut || sv_str_token(&s, line.p + line.n, &val) ||
	    sv_proc_span_u64(val, INT64_MAX, &v) ||
	    !sv_str_token(&s, line.p + line.n, &extra))
		return sv_proc_warn(c->out, c->path, lineno,
				    "%s: malformed value", io_keys[i].key);
	if (c->seen & (1u << i))
		return sv_proc_warn(c->out, c->path, lineno,
				    "second %s line ignored", io_keys[i].key);
	c->seen |= 1u << i;
	*(int64_t *)(void *)((char *)&c->io + io_keys[i].off) = (int64_t)v;
	return SV_OK;
}

static enum sv_status io_parse(struct sv_source *src,
			       struct sv_arena *scratch,
			       const struct sv_emit *out, struct sv_error *err)
{
	struct io_ctx c;
	struct sv_layout lay;
	struct sv_record rec;
	uint64_t nlines = 0;
	enum sv_status rc;
	size_t i;

	sv_layout_classify(src->path, &lay);
	memset(&c, 0, sizeof(c));
	c.path = src->path;
	c.out = out;
	for (i = 0; i < NIO; i++)
		*(int64_t *)(void *)((char *)&c.io + io_keys[i].off) = -1;
	rc = sv_proc_each_line(src, scratch, IO_LINE_HEAD, io_line, &c,
			       &nlines, err);
	if (sv_is_error(rc))
		return rc;
	if (nlines == 0)
		return sv_proc_warn(out, src->path, 0,
				    "empty file: the process likely exited while it was read");
	if (c.seen == 0)
		return sv_error_set(err, SV_ERR_CORRUPT, src->path,
				    "no valid key: not a /proc/<pid>/io");
	sv_proc_record_init(&rec, SV_REC_PROC_IO, src->path, &lay);
	rec.u.proc_io = c.io;
	return emit(out, &rec, rc, err);
}

const struct sv_format_ops sv_fmt_proc_io = {
	.name = "proc-io",
	.kind = SV_ART_PROC_PID,
	.probe = io_probe,
	.parse = io_parse,
};

/* ---- comm ---- */

static int comm_probe(const struct sv_layout *lay, const uint8_t *head,
		      size_t n)
{
	(void)head;
	(void)n;
	return leaf_is(lay, "comm") ? 100 : 0;
}

static enum sv_status comm_parse(struct sv_source *src,
				 struct sv_arena *scratch,
				 const struct sv_emit *out,
				 struct sv_error *err)
{
	struct sv_layout lay;
	struct sv_record rec;
	char *buf;
	size_t n;
	int more;
	enum sv_status rc = SV_OK;

	sv_layout_classify(src->path, &lay);
	SV_FORWARD(sv_proc_read_head(src, scratch, COMM_MAX + 1, &buf, &n,
				     &more, err));
	if (n == 0)
		return sv_proc_warn(out, src->path, 0,
				    "empty file: the process likely exited while it was read");
	if (!more && buf[n - 1] == '\n') {
		buf[--n] = '\0';
	} else if (more || n > COMM_MAX) {
		buf[COMM_MAX] = '\0';
		rc = sv_proc_warn(out, src->path, 1,
				  "command name cut at %d bytes", COMM_MAX);
	} else {
		rc = sv_proc_warn(out, src->path, 1,
				  "no final newline: the name may be cut");
	}
	sv_proc_record_init(&rec, SV_REC_PROC_COMM, src->path, &lay);
	rec.line = 1;
	rec.u.comm = buf;
	return emit(out, &rec, rc, err);
}

const struct sv_format_ops sv_fmt_proc_comm = {
	.name = "proc-comm",
	.kind = SV_ART_PROC_PID,
	.probe = comm_probe,
	.parse = comm_parse,
};

/* ---- cgroup ---- */

struct cgroup_ctx {
	const char *path;
	const struct sv_emit *out;
	char *controllers, *cgpath; /* reused from line to line */
	struct sv_record rec;
};

static int cgroup_probe(const struct sv_layout *lay, const uint8_t *head,
			size_t n)
{
	(void)head;
	(void)n;
	return leaf_is(lay, "cgroup") ? 100 : 0;
}

static enum sv_status cgroup_line(void *ctx, struct sv_span line, int cut,
				  uint64_t lineno, struct sv_error *err)
{
	struct cgroup_ctx *c = ctx;
	struct sv_proc_cgroup *cg = &c->rec.u.proc_cgroup;
	const char *s = line.p, *end = line.p + line.n, *c1, *c2;
	uint64_t hier;

	if (cut)
		return sv_proc_warn(c->out, c->path, lineno,
				    "line longer than %d bytes skipped",
				    CGROUP_LINE_HEAD);
	c1 = memchr(s, ':', line.n);
	c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
	if (!c2 || sv_str_u64(&s, c1, UINT32_MAX, &hier) || s != c1)
		return sv_proc_warn(c->out, c->path, lineno,
				    "not a 'hierarchy:controllers:path' line");
	if (c2 + 1 == end || c2[1] != '/')
		return sv_proc_warn(c->out, c->path, lineno,
				    "cgroup path does not start with '/'");
	if (c2 - c1 - 1 > CONTROLLERS_MAX ||
	    end - c2 - 1 > CGROUP_PATH_MAX)
		return sv_proc_warn(c->out, c->path, lineno,
				    "controllers or path too long: skipped");
	cg->hierarchy = (uint32_t)hier;
	cg->controllers = sv_proc_copy(c->controllers, c1 + 1,
				       (size_t)(c2 - c1 - 1));
	cg->path = sv_proc_copy(c->cgpath, c2 + 1, (size_t)(end - c2 - 1));
	c->rec.line = lineno;
	return c->out->record(c->out->ctx, &c->rec, err);
}

static enum sv_status cgroup_parse(struct sv_source *src,
				   struct sv_arena *scratch,
				   const struct sv_emit *out,
				   struct sv_error *err)
{
	struct cgroup_ctx c;
	struct sv_layout lay;
	uint64_t nlines = 0;
	enum sv_status rc;

	sv_layout_classify(src->path, &lay);
	c.path = src->path;
	c.out = out;
	c.controllers = sv_arena_alloc(scratch, CONTROLLERS_MAX + 1);
	c.cgpath = sv_arena_alloc(scratch, CGROUP_PATH_MAX + 1);
	if (!c.controllers || !c.cgpath)
		return sv_proc_nomem(src->path, err);
	sv_proc_record_init(&c.rec, SV_REC_PROC_CGROUP, src->path, &lay);
	rc = sv_proc_each_line(src, scratch, CGROUP_LINE_HEAD, cgroup_line,
			       &c, &nlines, err);
	if (rc == SV_OK && nlines == 0)
		return sv_proc_warn(out, src->path, 0,
				    "empty file: no cgroup line");
	return rc;
}

const struct sv_format_ops sv_fmt_proc_cgroup = {
	.name = "proc-cgroup",
	.kind = SV_ART_PROC_PID,
	.probe = cgroup_probe,
	.parse = cgroup_parse,
};
