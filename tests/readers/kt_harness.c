/*
 * kt_harness.c - see kt_harness.h.
 */
#include "kt_harness.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sv_bundle.h"
#include "sv_testbundle.h"

struct kt_run *kt_new(void)
{
	struct kt_run *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	r->keep = sv_arena_new(0);
	r->scratch = sv_arena_new(64u << 20);
	ck_assert_ptr_nonnull(r->keep);
	ck_assert_ptr_nonnull(r->scratch);
	return r;
}

void kt_free(struct kt_run *r)
{
	if (!r)
		return;
	sv_arena_free(r->keep);
	sv_arena_free(r->scratch);
	free(r->rec);
	free(r->prob);
	free(r);
}

void kt_reset(struct kt_run *r)
{
	r->nrec = 0;
	r->nprob = 0;
	r->rc = SV_OK;
	sv_error_clear(&r->err);
	sv_arena_reset(r->keep);
	sv_arena_reset(r->scratch);
}

static const char *keep_str(struct kt_run *r, const char *s)
{
	char *c;

	ck_assert_ptr_nonnull(s);
	c = sv_arena_strdup(r->keep, s);
	ck_assert_ptr_nonnull(c);
	return c;
}

static void keep_strings(struct kt_run *r, struct sv_record *c)
{
	c->artifact = keep_str(r, c->artifact);
	if (c->type == SV_REC_CGROUP_VALUE) {
		struct sv_cgroup_value *v = &c->u.cgroup;

		v->cgroup = keep_str(r, v->cgroup);
		v->controller = keep_str(r, v->controller);
		v->file = keep_str(r, v->file);
		v->subject = keep_str(r, v->subject);
		v->key = keep_str(r, v->key);
	} else if (c->type == SV_REC_KERNEL) {
		struct sv_kernel *k = &c->u.kernel;

		k->comm = keep_str(r, k->comm);
		k->memcg = keep_str(r, k->memcg);
		k->device = keep_str(r, k->device);
		k->message = keep_str(r, k->message);
		k->port = keep_str(r, k->port);
	}
}

static enum sv_status on_record(void *ctx, const struct sv_record *rec,
				struct sv_error *err)
{
	struct kt_run *r = ctx;

	ck_assert_str_eq(rec->artifact, r->path);
	if (r->stop_after && r->nrec >= r->stop_after)
		return sv_error_set(err, r->stop_with, r->path, "stop");
	if (r->nrec == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->rec = realloc(r->rec, r->cap * sizeof(*r->rec));
		ck_assert_ptr_nonnull(r->rec);
	}
	r->rec[r->nrec] = *rec;
	keep_strings(r, &r->rec[r->nrec]);
	r->nrec++;
	return SV_OK;
}

static void on_problem(void *ctx, const struct sv_error *e)
{
	struct kt_run *r = ctx;
	struct kt_problem *p;

	/* sv_error keeps the first SV_ERROR_ARTIFACT_MAX - 1 bytes */
	ck_assert(strncmp(e->artifact, r->path, SV_ERROR_ARTIFACT_MAX - 1) ==
		  0);
	ck_assert(strchr(e->msg, '\n') == NULL);
	if (r->nprob == r->pcap) {
		r->pcap = r->pcap ? r->pcap * 2 : 16;
		r->prob = realloc(r->prob, r->pcap * sizeof(*r->prob));
		ck_assert_ptr_nonnull(r->prob);
	}
	p = &r->prob[r->nprob++];
	p->line = e->line;
	memcpy(p->msg, e->msg, sizeof(p->msg));
}

static void run(struct kt_run *r, const struct sv_format_ops *ops,
		struct sv_source *src)
{
	struct sv_emit emit = {r, on_record, on_problem};

	r->path = src->path;
	r->rc = ops->parse(src, r->scratch, &emit, &r->err);
	if (sv_is_error(r->rc))
		ck_assert(strncmp(r->err.artifact, r->path,
				  SV_ERROR_ARTIFACT_MAX - 1) == 0);
}

enum sv_status kt_parse(struct kt_run *r, const struct sv_format_ops *ops,
			const char *path, const void *buf, size_t n)
{
	struct sv_source src;
	void *copy = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(copy);
	if (n)
		memcpy(copy, buf, n);
	kt_reset(r);
	sv_source_init_memory(&src, path, copy, n);
	run(r, ops, &src);
	free(copy);
	return r->rc;
}

enum sv_status kt_parse_str(struct kt_run *r, const struct sv_format_ops *ops,
			    const char *path, const char *s)
{
	return kt_parse(r, ops, path, s, strlen(s));
}

char *kt_read(const char *abs, size_t *n)
{
	char *buf = tb_read_file(abs, n);

	if (!buf)
		ck_abort_msg("cannot read test data %s", abs);
	return buf;
}

enum sv_status kt_parse_file(struct kt_run *r,
			     const struct sv_format_ops *ops,
			     const char *path, const char *abs)
{
	size_t n;
	char *buf = kt_read(abs, &n);

	kt_parse(r, ops, path, buf, n);
	free(buf);
	return r->rc;
}

static struct sv_bundle *open_at(const void *mem, size_t len,
				 const char *path, struct sv_arena *arena)
{
	struct sv_bundle_options opt;
	struct sv_bundle *b = NULL;
	struct sv_entry e;
	struct sv_error err;

	sv_bundle_options_default(&opt);
	ck_assert_int_eq(sv_bundle_open_memory(mem, len, "kt.tar.gz", &opt,
					       arena, &b, &err),
			 SV_OK);
	for (;;) {
		ck_assert_int_eq(sv_bundle_next(b, &e, &err), SV_OK);
		if (e.type == SV_ENTRY_FILE && !strcmp(e.path, path))
			return b;
	}
}

enum sv_status kt_parse_bundle(struct kt_run *r,
			       const struct sv_format_ops *ops,
			       const char *path, const void *buf, size_t n)
{
	struct tb *t = tb_new();
	struct sv_arena *arena = sv_arena_new(0);
	struct sv_bundle *b;
	struct sv_source src;
	void *mem;
	size_t len;

	ck_assert_ptr_nonnull(arena);
	tb_add(t, path, buf, n);
	ck_assert_int_eq(tb_write_memory(t, TB_TAR_GZ, &mem, &len), 0);
	tb_free(t);
	b = open_at(mem, len, path, arena);
	kt_reset(r);
	sv_source_init_bundle(&src, b, path);
	run(r, ops, &src);
	sv_bundle_close(b);
	sv_arena_free(arena);
	free(mem);
	return r->rc;
}

size_t kt_problems(const struct kt_run *r, uint64_t line, const char *substr)
{
	size_t i, count = 0;

	for (i = 0; i < r->nprob; i++)
		if ((line == UINT64_MAX || r->prob[i].line == line) &&
		    strstr(r->prob[i].msg, substr))
			count++;
	return count;
}
