/*
 * proc_test.c - the harness of proc_test.h.
 */
#include "proc_test.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_bundle.h"
#include "sv_testbundle.h"

#ifndef SV_PROC_DATA
#error "SV_PROC_DATA must name tests/readers/data/proc"
#endif

struct pt_run *pt_new(void)
{
	struct pt_run *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	r->keep = sv_arena_new(0);
	r->scratch = sv_arena_new(64ULL << 20);
	ck_assert_ptr_nonnull(r->keep);
	ck_assert_ptr_nonnull(r->scratch);
	return r;
}

void pt_free(struct pt_run *r)
{
	if (!r)
		return;
	sv_arena_free(r->keep);
	sv_arena_free(r->scratch);
	free(r);
}

void pt_reset(struct pt_run *r)
{
	r->nrec = 0;
	r->nprob = 0;
	r->rc = SV_OK;
	sv_error_clear(&r->err);
	sv_arena_reset(r->keep);
	sv_arena_reset(r->scratch);
}

static const char *keep_str(struct pt_run *r, const char *s)
{
	char *c;

	ck_assert_ptr_nonnull(s);
	c = sv_arena_strdup(r->keep, s);
	ck_assert_ptr_nonnull(c);
	return c;
}

static void keep_argv(struct pt_run *r, struct sv_proc_argv *a)
{
	const char **v;
	size_t i;

	ck_assert_ptr_nonnull(a->argv);
	v = sv_arena_calloc(r->keep, a->argc + 1, sizeof(*v));
	ck_assert_ptr_nonnull(v);
	for (i = 0; i < a->argc; i++)
		v[i] = keep_str(r, a->argv[i]);
	a->argv = v;
}

/* Replace the borrowed strings of a kept record with copies. */
static void deep_copy(struct pt_run *r, struct sv_record *c)
{
	switch (c->type) {
	case SV_REC_PROC_STAT:
		c->u.proc_stat.comm = keep_str(r, c->u.proc_stat.comm);
		break;
	case SV_REC_PROC_STATUS:
		c->u.proc_status.name = keep_str(r, c->u.proc_status.name);
		break;
	case SV_REC_PROC_ARGV:
		keep_argv(r, &c->u.proc_argv);
		break;
	case SV_REC_PROC_CGROUP:
		c->u.proc_cgroup.controllers =
			keep_str(r, c->u.proc_cgroup.controllers);
		c->u.proc_cgroup.path = keep_str(r, c->u.proc_cgroup.path);
		break;
	case SV_REC_PROC_COMM:
		c->u.comm = keep_str(r, c->u.comm);
		break;
	case SV_REC_PROC_LINK:
		c->u.proc_link.target = keep_str(r, c->u.proc_link.target);
		break;
	case SV_REC_PROC_FD:
		c->u.proc_fd.target = keep_str(r, c->u.proc_fd.target);
		break;
	case SV_REC_PROC_NS:
		c->u.proc_ns.name = keep_str(r, c->u.proc_ns.name);
		break;
	case SV_REC_UNIX_SOCKET:
		c->u.unix_socket.path = keep_str(r, c->u.unix_socket.path);
		break;
	default:
		break;
	}
}

static enum sv_status on_record(void *ctx, const struct sv_record *rec,
				struct sv_error *err)
{
	struct pt_run *r = ctx;

	ck_assert_ptr_nonnull(rec->artifact);
	ck_assert_str_eq(rec->artifact, r->path);
	if (r->nrec < PT_MAX_RECS) {
		r->rec[r->nrec] = *rec;
		r->rec[r->nrec].artifact = r->path;
		deep_copy(r, &r->rec[r->nrec]);
	}
	r->nrec++;
	if (r->hook)
		r->hook(r->hook_ctx, rec);
	if (r->stop_with != SV_OK && r->nrec >= r->stop_after)
		return sv_error_set(err, r->stop_with, rec->artifact,
				    "stopped by the test");
	return SV_OK;
}

static void on_problem(void *ctx, const struct sv_error *p)
{
	struct pt_run *r = ctx;

	ck_assert_str_eq(p->artifact, r->path);
	ck_assert_ptr_null(strchr(p->msg, '\n'));
	if (r->nprob < PT_MAX_PROBLEMS) {
		r->prob[r->nprob].line = p->line;
		snprintf(r->prob[r->nprob].msg, sizeof(r->prob[0].msg), "%s",
			 p->msg);
	}
	r->nprob++;
}

static enum sv_status run(struct pt_run *r, const struct sv_format_ops *ops,
			  struct sv_source *src)
{
	struct sv_emit emit = {r, on_record, on_problem};

	r->path = src->path;
	r->rc = ops->parse(src, r->scratch, &emit, &r->err);
	if (sv_is_error(r->rc))
		ck_assert_str_eq(r->err.artifact, r->path);
	/* SV_WARN if and only if a problem was reported */
	if (r->rc == SV_OK)
		ck_assert_uint_eq(r->nprob, 0);
	if (r->rc == SV_WARN)
		ck_assert_uint_gt(r->nprob, 0);
	return r->rc;
}

enum sv_status pt_parse(struct pt_run *r, const struct sv_format_ops *ops,
			const char *path, const void *buf, size_t n)
{
	struct sv_source src;
	char *copy = malloc(n ? n : 1);
	enum sv_status rc;

	ck_assert_ptr_nonnull(copy);
	if (n)
		memcpy(copy, buf, n);
	pt_reset(r);
	sv_source_init_memory(&src, path, copy, n);
	rc = run(r, ops, &src);
	free(copy);
	return rc;
}

enum sv_status pt_parse_str(struct pt_run *r,
			    const struct sv_format_ops *ops, const char *path,
			    const char *s)
{
	return pt_parse(r, ops, path, s, strlen(s));
}

char *pt_load(const char *rel, size_t *n)
{
	char *full = tb_join(SV_PROC_DATA, rel);
	char *buf;

	ck_assert_ptr_nonnull(full);
	buf = tb_read_file(full, n);
	ck_assert_msg(buf != NULL, "cannot read %s", full);
	free(full);
	return buf;
}

enum sv_status pt_parse_file(struct pt_run *r,
			     const struct sv_format_ops *ops,
			     const char *path, const char *rel)
{
	size_t n;
	char *buf = pt_load(rel, &n);
	enum sv_status rc = pt_parse(r, ops, path, buf, n);

	free(buf);
	return rc;
}

/* Open mem as a bundle and stop at member path. */
static struct sv_bundle *open_at(const void *mem, size_t len,
				 const char *path, struct sv_arena *arena)
{
	struct sv_bundle_options opt;
	struct sv_bundle *b = NULL;
	struct sv_entry e;
	struct sv_error err;

	sv_bundle_options_default(&opt);
	ck_assert_int_eq(sv_bundle_open_memory(mem, len, "pt.tar.gz", &opt,
					       arena, &b, &err),
			 SV_OK);
	for (;;) {
		ck_assert_int_eq(sv_bundle_next(b, &e, &err), SV_OK);
		if (e.type == SV_ENTRY_FILE && !strcmp(e.path, path))
			return b;
	}
}

enum sv_status pt_parse_bundle(struct pt_run *r,
			       const struct sv_format_ops *ops,
			       const char *path, const void *buf, size_t n,
			       size_t *blocks)
{
	struct tb *t = tb_new();
	struct sv_arena *arena = sv_arena_new(0);
	struct sv_bundle *b;
	struct sv_source src;
	struct sv_error err;
	const uint8_t *p;
	size_t m, count = 0;
	void *mem;
	size_t len;

	ck_assert_ptr_nonnull(arena);
	tb_add(t, path, buf, n);
	ck_assert_int_eq(tb_write_memory(t, TB_TAR_GZ, &mem, &len), 0);
	tb_free(t);
	b = open_at(mem, len, path, arena);
	while (sv_bundle_read_block(b, &p, &m, &err) == SV_OK)
		count++;
	sv_bundle_close(b);
	if (blocks)
		*blocks = count;
	b = open_at(mem, len, path, arena);
	pt_reset(r);
	sv_source_init_bundle(&src, b, path);
	run(r, ops, &src);
	sv_bundle_close(b);
	sv_arena_free(arena);
	free(mem);
	return r->rc;
}

int pt_problem(const struct pt_run *r, uint64_t line, const char *substr)
{
	size_t i;

	for (i = 0; i < r->nprob && i < PT_MAX_PROBLEMS; i++)
		if ((line == UINT64_MAX || r->prob[i].line == line) &&
		    strstr(r->prob[i].msg, substr))
			return (int)i;
	return -1;
}

int pt_probe(const struct sv_format_ops *ops, const char *path)
{
	struct sv_layout lay;

	sv_layout_classify(path, &lay);
	return ops->probe(&lay, (const uint8_t *)"", 0);
}

void pt_addr(const uint8_t *a, int family, char *out, size_t n)
{
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, out,
		       (socklen_t)n))
		snprintf(out, n, "?");
}
