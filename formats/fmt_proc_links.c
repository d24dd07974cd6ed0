/*
 * fmt_proc_links.c - the symlinks of /proc/<pid>/ as the collector saved
 * them with readlink (DESIGN.md §1): three readers.
 *
 * sv_fmt_proc_link: {exe,cwd,root}.link, the target and '\n'
 *   "/usr/bin/bash"            -> target, kind from the file name
 *   "/tmp/xmrig (deleted)"     -> deleted = 1; target kept as read, with
 *                                 the suffix (the analyzer strips it)
 *   ""                         -> target "" (readlink failed: a kernel
 *                                 thread has no exe)
 *   Everything before the final '\n' is the target (a path may hold
 *   '\n'), at most 4224 bytes (PATH_MAX and the suffix); one
 *   SV_REC_PROC_LINK, line 1.
 *
 * sv_fmt_proc_fd: fd.links, one "<fd> <target>" per line -> SV_REC_PROC_FD
 *   "4 socket:[83174]"         SV_FD_SOCKET, inode 83174
 *   "1 pipe:[77540]"           SV_FD_PIPE, inode 77540
 *   "3 anon_inode:[eventfd]"   SV_FD_ANON ("anon_inode:" prefix)
 *   "5 /tmp/x.pcap"            SV_FD_PATH (starts with '/')
 *   "7 net:[4026531993]"       SV_FD_OTHER (anything else)
 *   The target is the rest of the line after one space. A "socket:[" or
 *   "pipe:[" target without a valid inode is reported and kept as OTHER.
 *   "<fd> " with no target (readlink refused or the fd closed meanwhile)
 *   is kept as OTHER with target "", and reported once per file. An
 *   empty file is a process without open files (kernel threads).
 *
 * sv_fmt_proc_ns: ns.links, one "<name> <type>:[<inode>]" per line ->
 *   SV_REC_PROC_NS ("net net:[4026531833]", "pid_for_children
 *   pid:[4026531836]": the name is the link's, not the type). "<name> "
 *   with no target (readlink failed) has no inode: it is skipped and
 *   reported once per file.
 */
#include <string.h>

#include "sv_format.h"
#include "sv_proc.h"

#define LINK_MAX_LEN 4224
#define FD_LINE_HEAD 8192
#define FD_TARGET_MAX 4224
#define FD_MAX 2147483647u /* an int */
#define NS_LINE_HEAD 256
#define NS_NAME_MAX 32
#define DELETED " (deleted)"

static const struct {
	const char *leaf;
	enum sv_link_kind kind;
} link_files[] = {
	{"exe.link", SV_LINK_EXE},
	{"cwd.link", SV_LINK_CWD},
	{"root.link", SV_LINK_ROOT},
};

#define NLINKS (sizeof(link_files) / sizeof(link_files[0]))

/* Index in link_files of a proc/<T>/<pid>/ leaf, or -1. */
static int link_index(const struct sv_layout *lay)
{
	size_t i;

	if (lay->kind != SV_ART_PROC_PID)
		return -1;
	for (i = 0; i < NLINKS; i++)
		if (!strcmp(lay->leaf, link_files[i].leaf))
			return (int)i;
	return -1;
}

static int link_probe(const struct sv_layout *lay, const uint8_t *head,
		      size_t n)
{
	(void)head;
	(void)n;
	return link_index(lay) >= 0 ? 100 : 0;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static enum sv_status link_parse(struct sv_source *src,
				 struct sv_arena *scratch,
				 const struct sv_emit *out,
				 struct sv_error *err)
{
	struct sv_layout lay;
	struct sv_record rec;
	char *buf;
	size_t n;
	int more, i;
	enum sv_status rc = SV_OK, rrc;

	sv_layout_classify(src->path, &lay);
	i = link_index(&lay);
	if (i < 0)
		return sv_error_set(err, SV_ERR_USAGE, src->path,
				    "not a proc/<T>/<pid>/{exe,cwd,root}.link");
	SV_FORWARD(sv_proc_read_head(src, scratch, LINK_MAX_LEN + 1, &buf, &n,
				     &more, err));
	if (!more && n && buf[n - 1] == '\n') {
		buf[--n] = '\0';
	} else if (more || n > LINK_MAX_LEN) {
		n = LINK_MAX_LEN;
		buf[n] = '\0';
		rc = sv_proc_warn(out, src->path, 1,
				  "link target cut at %d bytes",
				  LINK_MAX_LEN);
	}
	sv_proc_record_init(&rec, SV_REC_PROC_LINK, src->path, &lay);
	rec.line = 1;
	rec.u.proc_link.kind = link_files[i].kind;
	rec.u.proc_link.target = buf;
	rec.u.proc_link.deleted = ends_with(buf, n, DELETED);
	rrc = out->record(out->ctx, &rec, err);
	return rrc != SV_OK ? rrc : rc;
}

const struct sv_format_ops sv_fmt_proc_link = {
	.name = "proc-link",
	.kind = SV_ART_PROC_PID,
	.probe = link_probe,
	.parse = link_parse,
};

/* ---- fd.links ---- */

struct list_ctx {
	const char *path;
	const struct sv_emit *out;
	struct sv_record rec;
	char *buf;             /* the string of the current record */
	uint64_t unread;       /* "<fd> " / "<name> " lines: readlink failed */
	uint64_t first_unread; /* line of the first one */
};

/* Count a line whose target is empty; reported once per file. */
static void unread(struct list_ctx *c, uint64_t lineno)
{
	if (c->unread++ == 0)
		c->first_unread = lineno;
}

static int fd_probe(const struct sv_layout *lay, const uint8_t *head,
		    size_t n)
{
	(void)head;
	(void)n;
	return lay->kind == SV_ART_PROC_PID && !strcmp(lay->leaf, "fd.links")
		       ? 100
		       : 0;
}

static int starts_with(struct sv_span s, const char *prefix)
{
	size_t m = strlen(prefix);

	return s.n >= m && memcmp(s.p, prefix, m) == 0;
}

/* Kind and inode of a target; -1 when it claims an inode it lacks. */
static int classify_fd(struct sv_span t, struct sv_proc_fd *fd)
{
	struct sv_span name;

	fd->kind = SV_FD_OTHER;
	if (starts_with(t, "socket:[") || starts_with(t, "pipe:[")) {
		if (sv_proc_bracket_inode(t, &name, &fd->inode))
			return -1;
		fd->kind = t.p[0] == 's' ? SV_FD_SOCKET : SV_FD_PIPE;
	} else if (starts_with(t, "anon_inode:")) {
		fd->kind = SV_FD_ANON;
	} else if (t.n && t.p[0] == '/') {
		fd->kind = SV_FD_PATH;
	}
	return 0;
}

static enum sv_status fd_line(void *ctx, struct sv_span line, int cut,
			      uint64_t lineno, struct sv_error *err)
{
	struct list_ctx *c = ctx;
	struct sv_proc_fd *fd = &c->rec.u.proc_fd;
	const char *s = line.p, *end = line.p + line.n;
	struct sv_span t;
	uint64_t num;
	enum sv_status rc = SV_OK, rrc;

	if (cut)
		return sv_proc_warn(c->out, c->path, lineno,
				    "line longer than %d bytes skipped",
				    FD_LINE_HEAD);
	if (sv_str_u64(&s, end, FD_MAX, &num) || s == end || *s != ' ')
		return sv_proc_warn(c->out, c->path, lineno,
				    "not a '<fd> <target>' line");
	t.p = s + 1;
	t.n = (size_t)(end - t.p);
	if (t.n == 0)
		unread(c, lineno);
	if (t.n > FD_TARGET_MAX)
		return sv_proc_warn(c->out, c->path, lineno,
				    "target longer than %d bytes skipped",
				    FD_TARGET_MAX);
	memset(fd, 0, sizeof(*fd));
	fd->fd = (uint32_t)num;
	if (classify_fd(t, fd))
		rc = sv_proc_warn(c->out, c->path, lineno,
				  "target has no valid inode");
	fd->target = sv_proc_copy(c->buf, t.p, t.n);
	c->rec.line = lineno;
	rrc = c->out->record(c->out->ctx, &c->rec, err);
	return rrc != SV_OK ? rrc : rc;
}

static enum sv_status list_parse(struct sv_source *src,
				 struct sv_arena *scratch,
				 const struct sv_emit *out,
				 enum sv_record_type type, size_t head,
				 size_t str_max, sv_proc_line_fn fn,
				 struct sv_error *err)
{
	struct list_ctx c;
	struct sv_layout lay;
	enum sv_status rc;

	sv_layout_classify(src->path, &lay);
	memset(&c, 0, sizeof(c));
	c.path = src->path;
	c.out = out;
	c.buf = sv_arena_alloc(scratch, str_max + 1);
	if (!c.buf)
		return sv_proc_nomem(src->path, err);
	sv_proc_record_init(&c.rec, type, src->path, &lay);
	rc = sv_proc_each_line(src, scratch, head, fn, &c, NULL, err);
	if ((rc == SV_OK || rc == SV_WARN) && c.unread)
		rc = sv_proc_warn(out, src->path, c.first_unread,
				  "%llu line(s) without a target from here "
				  "on: the collector could not read the link",
				  (unsigned long long)c.unread);
	return rc;
}

static enum sv_status fd_parse(struct sv_source *src,
			       struct sv_arena *scratch,
			       const struct sv_emit *out, struct sv_error *err)
{
	return list_parse(src, scratch, out, SV_REC_PROC_FD, FD_LINE_HEAD,
			  FD_TARGET_MAX, fd_line, err);
}

const struct sv_format_ops sv_fmt_proc_fd = {
	.name = "proc-fd",
	.kind = SV_ART_PROC_PID,
	.probe = fd_probe,
	.parse = fd_parse,
};

/* ---- ns.links ---- */

static int ns_probe(const struct sv_layout *lay, const uint8_t *head,
		    size_t n)
{
	(void)head;
	(void)n;
	return lay->kind == SV_ART_PROC_PID && !strcmp(lay->leaf, "ns.links")
		       ? 100
		       : 0;
}

static int is_ns_name(struct sv_span s)
{
	size_t i;

	if (s.n == 0 || s.n > NS_NAME_MAX)
		return 0;
	for (i = 0; i < s.n; i++)
		if (!((s.p[i] >= 'a' && s.p[i] <= 'z') || s.p[i] == '_'))
			return 0;
	return 1;
}

static enum sv_status ns_line(void *ctx, struct sv_span line, int cut,
			      uint64_t lineno, struct sv_error *err)
{
	struct list_ctx *c = ctx;
	struct sv_proc_ns *ns = &c->rec.u.proc_ns;
	const char *sp = memchr(line.p, ' ', line.n);
	struct sv_span name, target, type;

	if (cut || !sp)
		return sv_proc_warn(c->out, c->path, lineno,
				    "not a '<name> <type>:[<inode>]' line");
	name.p = line.p;
	name.n = (size_t)(sp - line.p);
	target.p = sp + 1;
	target.n = line.n - name.n - 1;
	if (target.n == 0 && is_ns_name(name)) {
		unread(c, lineno); /* no inode: nothing to record */
		return SV_OK;
	}
	if (!is_ns_name(name) ||
	    sv_proc_bracket_inode(target, &type, &ns->inode) ||
	    !is_ns_name(type))
		return sv_proc_warn(c->out, c->path, lineno,
				    "not a '<name> <type>:[<inode>]' line");
	ns->name = sv_proc_copy(c->buf, name.p, name.n);
	c->rec.line = lineno;
	return c->out->record(c->out->ctx, &c->rec, err);
}

static enum sv_status ns_parse(struct sv_source *src,
			       struct sv_arena *scratch,
			       const struct sv_emit *out, struct sv_error *err)
{
	return list_parse(src, scratch, out, SV_REC_PROC_NS, NS_LINE_HEAD,
			  NS_NAME_MAX, ns_line, err);
}

const struct sv_format_ops sv_fmt_proc_ns = {
	.name = "proc-ns",
	.kind = SV_ART_PROC_PID,
	.probe = ns_probe,
	.parse = ns_parse,
};
