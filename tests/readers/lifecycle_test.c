/*
 * lifecycle_test.c - see lifecycle_test.h.
 */
#include "lifecycle_test.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *keep_str(struct lt_run *r, const char *s)
{
	char *c;

	ck_assert_ptr_nonnull(s);
	c = sv_arena_strdup(r->keep, s);
	ck_assert_ptr_nonnull(c);
	return c;
}

static void keep_runtime(struct lt_run *r, struct sv_runtime_event *e)
{
	e->type = keep_str(r, e->type);
	e->action = keep_str(r, e->action);
	e->id = keep_str(r, e->id);
	e->name = keep_str(r, e->name);
	e->image = keep_str(r, e->image);
	e->pod = keep_str(r, e->pod);
	e->k8s_namespace = keep_str(r, e->k8s_namespace);
	e->detail = keep_str(r, e->detail);
}

static void keep_audit(struct lt_run *r, struct sv_k8s_audit *a)
{
	a->audit_id = keep_str(r, a->audit_id);
	a->stage = keep_str(r, a->stage);
	a->verb = keep_str(r, a->verb);
	a->user = keep_str(r, a->user);
	a->resource = keep_str(r, a->resource);
	a->subresource = keep_str(r, a->subresource);
	a->k8s_namespace = keep_str(r, a->k8s_namespace);
	a->name = keep_str(r, a->name);
	a->request_uri = keep_str(r, a->request_uri);
	a->source_ip = keep_str(r, a->source_ip);
	a->user_agent = keep_str(r, a->user_agent);
}

static void keep_event(struct lt_run *r, struct sv_k8s_event *k)
{
	k->type = keep_str(r, k->type);
	k->reason = keep_str(r, k->reason);
	k->message = keep_str(r, k->message);
	k->kind = keep_str(r, k->kind);
	k->k8s_namespace = keep_str(r, k->k8s_namespace);
	k->name = keep_str(r, k->name);
	k->uid = keep_str(r, k->uid);
}

static void keep_journal(struct lt_run *r, struct sv_journal *j)
{
	j->unit = keep_str(r, j->unit);
	j->identifier = keep_str(r, j->identifier);
	j->message = keep_str(r, j->message);
	j->container_id = keep_str(r, j->container_id);
	j->container_name = keep_str(r, j->container_name);
}

static void keep_inspect(struct lt_run *r, struct sv_inspect *in)
{
	const char **caps, **addrs;
	struct sv_mount *m;
	size_t i;

	in->id = keep_str(r, in->id);
	in->name = keep_str(r, in->name);
	in->image = keep_str(r, in->image);
	in->image_id = keep_str(r, in->image_id);
	in->user = keep_str(r, in->user);
	in->pid_mode = keep_str(r, in->pid_mode);
	in->network_mode = keep_str(r, in->network_mode);
	in->ipc_mode = keep_str(r, in->ipc_mode);
	in->uts_mode = keep_str(r, in->uts_mode);
	in->cgroup_parent = keep_str(r, in->cgroup_parent);
	in->pod = keep_str(r, in->pod);
	in->k8s_namespace = keep_str(r, in->k8s_namespace);
	caps = sv_arena_calloc(r->keep, in->n_cap_add + 1, sizeof(*caps));
	addrs = sv_arena_calloc(r->keep, in->n_ip_addresses + 1,
				sizeof(*addrs));
	m = sv_arena_calloc(r->keep, in->n_mounts + 1, sizeof(*m));
	ck_assert(caps && addrs && m);
	for (i = 0; i < in->n_cap_add; i++)
		caps[i] = keep_str(r, in->cap_add[i]);
	for (i = 0; i < in->n_ip_addresses; i++)
		addrs[i] = keep_str(r, in->ip_addresses[i]);
	for (i = 0; i < in->n_mounts; i++) {
		m[i].source = keep_str(r, in->mounts[i].source);
		m[i].destination = keep_str(r, in->mounts[i].destination);
		m[i].type = keep_str(r, in->mounts[i].type);
		m[i].rw = in->mounts[i].rw;
	}
	in->cap_add = caps;
	in->ip_addresses = addrs;
	in->mounts = m;
}

static enum sv_status on_record(void *ctx, const struct sv_record *rec,
				struct sv_error *err)
{
	struct lt_run *r = ctx;
	struct sv_record *k;

	ck_assert_str_eq(rec->artifact, r->path);
	if (r->stop_after && r->nrec >= r->stop_after)
		return sv_error_set(err, r->stop_with, r->path,
				    "stopped by the test");
	if (r->nrec++ >= LT_MAX_RECS)
		return SV_OK;
	k = &r->rec[r->nrec - 1];
	*k = *rec;
	k->artifact = r->path;
	switch (rec->type) {
	case SV_REC_RUNTIME_EVENT:
		keep_runtime(r, &k->u.runtime);
		break;
	case SV_REC_K8S_AUDIT:
		keep_audit(r, &k->u.audit);
		break;
	case SV_REC_K8S_EVENT:
		keep_event(r, &k->u.k8s_event);
		break;
	case SV_REC_JOURNAL:
		keep_journal(r, &k->u.journal);
		break;
	case SV_REC_INSPECT:
		keep_inspect(r, &k->u.inspect);
		break;
	default:
		ck_abort_msg("unexpected record type %d", (int)rec->type);
	}
	return SV_OK;
}

static void on_problem(void *ctx, const struct sv_error *e)
{
	struct lt_run *r = ctx;
	struct lt_problem *p;

	ck_assert_str_eq(e->artifact, r->path);
	ck_assert_ptr_null(strchr(e->msg, '\n'));
	if (r->nprob++ >= LT_MAX_PROBLEMS)
		return;
	p = &r->prob[r->nprob - 1];
	p->line = e->line;
	snprintf(p->msg, sizeof(p->msg), "%s", e->msg);
}

struct lt_run *lt_new(void)
{
	struct lt_run *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	r->keep = sv_arena_new(0);
	r->scratch = sv_arena_new(0);
	ck_assert(r->keep && r->scratch);
	return r;
}

void lt_reset(struct lt_run *r)
{
	r->nrec = r->nprob = 0;
	r->rc = SV_OK;
	sv_error_clear(&r->err);
	sv_arena_reset(r->keep);
	sv_arena_reset(r->scratch);
}

void lt_free(struct lt_run *r)
{
	if (!r)
		return;
	sv_arena_free(r->keep);
	sv_arena_free(r->scratch);
	free(r);
}

void lt_parse_source(struct lt_run *r, const struct sv_format_ops *ops,
		     struct sv_source *src)
{
	struct sv_emit emit = {r, on_record, on_problem};

	r->path = src->path;
	sv_error_clear(&r->err);
	r->rc = ops->parse(src, r->scratch, &emit, &r->err);
	if (sv_is_error(r->rc)) {
		ck_assert_str_eq(r->err.artifact, r->path);
		ck_assert_int_eq(r->err.code, r->rc);
	}
}

void lt_parse(struct lt_run *r, const struct sv_format_ops *ops,
	      const char *path, const void *buf, size_t n)
{
	struct sv_source src;
	void *copy = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(copy);
	if (n)
		memcpy(copy, buf, n);
	sv_source_init_memory(&src, path, copy, n);
	lt_parse_source(r, ops, &src);
	free(copy);
}

char *lt_read_data(const char *name, size_t *n)
{
	char path[1024];
	FILE *f;
	long len;
	char *buf;

	snprintf(path, sizeof(path), "%s/%s", SV_LIFECYCLE_DATA, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	ck_assert(len >= 0);
	rewind(f);
	buf = malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	buf[len] = '\0';
	*n = (size_t)len;
	return buf;
}

void lt_parse_file(struct lt_run *r, const struct sv_format_ops *ops,
		   const char *path, const char *data_name)
{
	size_t n;
	char *buf = lt_read_data(data_name, &n);

	lt_parse(r, ops, path, buf, n);
	free(buf);
}

int lt_problem(const struct lt_run *r, uint64_t line, const char *needle)
{
	size_t i, n = r->nprob < LT_MAX_PROBLEMS ? r->nprob : LT_MAX_PROBLEMS;

	for (i = 0; i < n; i++)
		if ((line == UINT64_MAX || r->prob[i].line == line) &&
		    strstr(r->prob[i].msg, needle))
			return (int)i;
	return -1;
}

int lt_probe(const struct sv_format_ops *ops, const char *path,
	     const char *head)
{
	struct sv_layout lay;

	sv_layout_classify(path, &lay);
	return ops->probe(&lay, (const uint8_t *)head, strlen(head));
}
