/*
 * sv_pipeline.c - stream one bundle through the readers.
 *
 *   sv_bundle_next ─► layout ─► registry probe ─► reader parse ─► emit
 *        │                                                         │
 *        └─ custody (member seen, digest) ◄── SHA256SUMS records ◄─┘
 */
#include "sv_pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_decode.h"
#include "sv_featurize.h"
#include "sv_netapp.h"
#include "sv_registry.h"
#include "sv_source.h"
#include "sv_time.h"
#include "sv_userrules.h"

#define PROGRESS_EVERY_BYTES (32ULL << 20)

struct run {
	struct sv_analysis *a;
	struct sv_bundle *b;
	struct sv_custody *custody;
	struct sv_arena *scratch;
	struct sv_problem *problems_tail;
	struct sv_unknown_entry *unknown_tail;
	uint64_t problems_listed;
	int had_sums;
	uint64_t snap_cap;
	int progress;
	uint64_t next_progress;
	uint64_t members;
	enum sv_artifact cur_kind; /* of the member being parsed */
	struct sv_flows *flows;
	struct sv_netapp *netapp;
	struct sv_attrib *attrib;
	struct sv_resources *resources;
	struct sv_procs *procs;
	struct sv_containers *containers;
};

void sv_pipeline_options_default(struct sv_pipeline_options *o)
{
	memset(o, 0, sizeof(*o));
	sv_bundle_options_default(&o->bundle);
	o->arena_cap = 8ULL << 30;
	o->timeline_net_max = SV_TIMELINE_NET_MAX;
}

/* ---- problems ---- */

static void add_problem(struct run *r, const struct sv_error *e)
{
	struct sv_problem *p;

	if (e->code == SV_WARN)
		r->a->warnings++;
	else
		r->a->errors++;
	if (r->problems_listed >= SV_PROBLEMS_LISTED)
		return;
	p = sv_arena_alloc(r->a->arena, sizeof(*p));
	if (!p)
		return; /* arena exhausted: counted, not listed */
	p->e = *e;
	if (r->problems_tail)
		r->problems_tail->next = p;
	else
		r->a->problems = p;
	r->problems_tail = p;
	r->problems_listed++;
}

static void on_problem(void *ctx, const struct sv_error *e)
{
	add_problem(ctx, e);
}

/* ---- records ---- */

static enum sv_status keep_manifest(struct run *r, const struct sv_record *rec,
				    struct sv_error *err)
{
	struct sv_analysis *a = r->a;
	const struct sv_manifest *m = &rec->u.manifest;

	if (a->manifest_status == SV_MANIFEST_OK) {
		sv_error_set(err, SV_ERR_CORRUPT, rec->artifact,
			     "a second manifest; the first is kept");
		add_problem(r, err);
		return SV_OK;
	}
	a->manifest = *m;
	a->manifest.host = sv_arena_strdup(a->arena, m->host);
	a->manifest.collector = sv_arena_strdup(a->arena, m->collector);
	a->manifest.notes = m->notes ? sv_arena_strdup(a->arena, m->notes)
				     : NULL;
	if (!a->manifest.host || !a->manifest.collector ||
	    (m->notes && !a->manifest.notes))
		return sv_error_set(err, SV_ERR_NOMEM, rec->artifact,
				    "out of memory");
	a->manifest_status = SV_MANIFEST_OK;
	return SV_OK;
}

static enum sv_status keep_unknown(struct run *r, const struct sv_record *rec,
				   struct sv_error *err)
{
	struct sv_unknown_entry *u;

	if (r->a->unknown_total++ >= SV_UNKNOWN_LISTED)
		return SV_OK;
	u = sv_arena_alloc(r->a->arena, sizeof(*u));
	if (!u || !(u->path = sv_arena_strdup(r->a->arena, rec->artifact)))
		return sv_error_set(err, SV_ERR_NOMEM, rec->artifact,
				    "out of memory");
	u->size = rec->u.unknown.size;
	u->is_text = rec->u.unknown.is_text;
	if (r->unknown_tail)
		r->unknown_tail->next = u;
	else
		r->a->unknown = u;
	r->unknown_tail = u;
	return SV_OK;
}

/* Decode a captured frame and account it to its flow. */
static enum sv_status add_frame(struct run *r, const struct sv_record *rec)
{
	const struct sv_packet_rec *f = &rec->u.packet;
	struct sv_packet p;
	struct sv_flow *fl;
	int dir;

	if (sv_decode(f->linktype, f->data, f->caplen, &p) != 0) {
		r->a->frames_undecoded++;
		return SV_OK;
	}
	fl = sv_flows_add(r->flows, &p, rec->ts_ns, f->len, &dir);
	if (fl)
		sv_netapp_packet(r->netapp, fl, dir, &p, rec->ts_ns);
	return SV_OK;
}

static enum sv_status on_record(void *ctx, const struct sv_record *rec,
				struct sv_error *err)
{
	struct run *r = ctx;
	enum sv_status rc;

	r->a->kinds[r->cur_kind].records++;
	rc = sv_attrib_record(r->attrib, rec, err);
	if (rc != SV_OK)
		return rc;
	rc = sv_resources_record(r->resources, rec, err);
	if (rc != SV_OK)
		return rc;
	rc = sv_procs_record(r->procs, rec, err);
	if (rc != SV_OK)
		return rc;
	rc = sv_containers_record(r->containers, rec, err);
	if (rc != SV_OK)
		return rc;
	switch (rec->type) {
	case SV_REC_MANIFEST:
		return keep_manifest(r, rec, err);
	case SV_REC_CHECKSUM:
		rc = sv_custody_expect(r->custody, rec->u.checksum.path,
				       rec->u.checksum.digest, err);
		if (rc == SV_WARN) {
			err->line = rec->u.checksum.line;
			add_problem(r, err);
			rc = SV_OK;
		}
		return rc;
	case SV_REC_UNKNOWN_FILE:
		return keep_unknown(r, rec, err);
	case SV_REC_PACKET:
		return add_frame(r, rec);
	case SV_REC_CAPTURE:
		r->a->captures++;
		return SV_OK;
	default:
		/* Kept by the evidence store once it exists (timelines). */
		return SV_OK;
	}
}

/* ---- snapshots ---- */

static int note_snapshot(struct run *r, int64_t t)
{
	struct sv_analysis *a = r->a;

	if (a->n_snapshots && a->snapshots[a->n_snapshots - 1] == t)
		return 0;
	if (a->n_snapshots == r->snap_cap) {
		uint64_t ncap = r->snap_cap ? r->snap_cap * 2 : 256;
		int64_t *n = sv_arena_calloc(a->arena, ncap, sizeof(*n));

		if (!n)
			return -1;
		if (a->n_snapshots)
			memcpy(n, a->snapshots, a->n_snapshots * sizeof(*n));
		a->snapshots = n;
		r->snap_cap = ncap;
	}
	a->snapshots[a->n_snapshots++] = t;
	return 0;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

static void finish_snapshots(struct sv_analysis *a)
{
	uint64_t i, o = 0;

	if (!a->n_snapshots)
		return;
	qsort(a->snapshots, a->n_snapshots, sizeof(int64_t), cmp_i64);
	for (i = 0; i < a->n_snapshots; i++)
		if (o == 0 || a->snapshots[o - 1] != a->snapshots[i])
			a->snapshots[o++] = a->snapshots[i];
	a->n_snapshots = o;
}

/* ---- members ---- */

static void progress(struct run *r, int done)
{
	struct sv_bundle_stats st;

	if (!r->progress)
		return;
	sv_bundle_stats(r->b, &st);
	if (!done && st.data_bytes < r->next_progress &&
	    (r->members & 0xffff) != 0)
		return;
	r->next_progress = st.data_bytes + PROGRESS_EVERY_BYTES;
	fprintf(stderr, "\rsalvage: %s: %llu members, %llu MB read%s",
		r->a->bundle_name, (unsigned long long)r->members,
		(unsigned long long)(st.data_bytes >> 20), done ? "\n" : "");
}

static enum sv_status drain(struct sv_source *src, struct sv_error *err)
{
	const uint8_t *p;
	size_t n;
	enum sv_status rc;

	while ((rc = sv_source_block(src, &p, &n, err)) == SV_OK)
		;
	return rc == SV_EOF ? SV_OK : rc;
}

static void note_manifest_failure(struct run *r, enum sv_status rc)
{
	r->a->manifest_status = rc == SV_ERR_UNSUPPORTED
					? SV_MANIFEST_UNSUPPORTED
					: SV_MANIFEST_INVALID;
}

/* Add name to the kind's comma-separated reader list, once. */
static void note_reader(struct sv_kind_stats *ks, const char *name)
{
	size_t used = strlen(ks->readers), n = strlen(name);
	const char *p = ks->readers;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == ks->readers || p[-1] == ',') &&
		    (p[n] == ',' || p[n] == '\0'))
			return;
		p += n;
	}
	if (used + n + 2 > sizeof(ks->readers))
		return;
	if (used)
		ks->readers[used++] = ',';
	memcpy(ks->readers + used, name, n + 1);
}

/* Parse one member with its reader. Fatal only if the bundle broke. */
static enum sv_status parse_member(struct run *r, const struct sv_entry *e,
				   const struct sv_layout *lay,
				   struct sv_error *err)
{
	struct sv_emit emit = {r, on_record, on_problem};
	struct sv_kind_stats *ks = &r->a->kinds[lay->kind];
	const struct sv_format_ops *ops;
	struct sv_source src;
	const uint8_t *head = NULL;
	size_t n = 0;
	enum sv_status rc;

	sv_source_init_bundle(&src, r->b, e->path);
	rc = sv_source_peek(&src, &head, &n, err);
	if (sv_is_error(rc))
		return rc;
	ops = sv_registry_choose(lay, head, n);
	if (!ops)
		ks->unread++;
	if (ops) {
		note_reader(ks, ops->name);
		if (lay->kind == SV_ART_SHA256SUMS)
			r->had_sums = 1;
		sv_arena_reset(r->scratch);
		rc = ops->parse(&src, r->scratch, &emit, err);
		if (sv_is_error(rc)) {
			if (sv_bundle_failed(r->b))
				return rc;
			ks->failed++;
			if (lay->kind == SV_ART_MANIFEST)
				note_manifest_failure(r, rc);
			add_problem(r, err);
		} else {
			ks->parsed++;
		}
	}
	rc = drain(&src, err);
	if (src.cut)
		add_problem(r, &src.warning);
	return rc;
}

static enum sv_status one_member(struct run *r, const struct sv_entry *e,
				 struct sv_error *err)
{
	struct sv_layout lay;
	enum sv_status rc;

	if (e->type == SV_ENTRY_DIR)
		return SV_OK;
	r->members++;
	sv_layout_classify(e->path, &lay);
	r->cur_kind = lay.kind;
	r->a->kinds[lay.kind].files++;
	if (lay.has_snapshot && note_snapshot(r, lay.snapshot_ns))
		return sv_error_set(err, SV_ERR_NOMEM, e->path,
				    "out of memory");
	rc = sv_custody_member(r->custody, e->file, err);
	if (rc == SV_WARN)
		add_problem(r, err);
	else if (rc != SV_OK)
		return rc;
	rc = parse_member(r, e, &lay, err);
	r->a->kinds[lay.kind].bytes += e->file->size;
	progress(r, 0);
	return rc;
}

/* ---- the run ---- */

static const char *bundle_name(struct sv_arena *arena, const char *path)
{
	static const char *const exts[] = {".tar.zst", ".tar.gz", ".tar.xz",
					   ".tzst", ".tgz", ".txz", ".tar"};
	const char *base;
	size_t n, i;

	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	base = path;
	for (i = 0; i < n; i++)
		if (path[i] == '/' && i + 1 < n)
			base = path + i + 1;
	n -= (size_t)(base - path);
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t m = strlen(exts[i]);

		if (n > m && memcmp(base + n - m, exts[i], m) == 0) {
			n -= m;
			break;
		}
	}
	return sv_arena_strndup(arena, base, n);
}

static void stop_fatal(struct run *r, const struct sv_error *err)
{
	r->a->fatal = *err;
	add_problem(r, err);
}

static void stream_members(struct run *r)
{
	struct sv_entry e;
	struct sv_error err;
	enum sv_status rc;

	for (;;) {
		sv_error_clear(&err);
		rc = sv_bundle_next(r->b, &e, &err);
		if (rc == SV_EOF)
			break;
		if (rc == SV_WARN) {
			/* A refused member, an error of its class (the
			 * bundle was not read whole: exit 3); go on. */
			add_problem(r, &err);
			continue;
		}
		if (rc == SV_OK)
			rc = one_member(r, &e, &err);
		if (sv_is_error(rc)) {
			stop_fatal(r, &err);
			return;
		}
		if (r->a->manifest_status == SV_MANIFEST_UNSUPPORTED) {
			sv_error_set(&err, SV_ERR_UNSUPPORTED, "manifest.json",
				     "bundle version not supported; reading "
				     "stopped");
			r->a->fatal = err;
			return;
		}
	}
	r->a->complete = 1;
}

static void report_custody_failure(struct run *r)
{
	const struct sv_custody_result *c = &r->a->custody;
	struct sv_error err;

	sv_error_set(&err, SV_ERR_CORRUPT, "SHA256SUMS",
		     "chain of custody failed: %llu mismatched, %llu not "
		     "listed, %llu missing, %llu unverifiable, %llu duplicated"
		     "%s%.200s",
		     (unsigned long long)c->counts[SV_CUSTODY_MISMATCH],
		     (unsigned long long)c->counts[SV_CUSTODY_NOT_COVERED],
		     (unsigned long long)c->counts[SV_CUSTODY_MISSING],
		     (unsigned long long)c->counts[SV_CUSTODY_UNHASHED],
		     (unsigned long long)c->counts[SV_CUSTODY_DUPLICATE],
		     c->issues ? "; first: " : "",
		     c->issues ? c->issues->path : "");
	add_problem(r, &err);
}

static void conclude(struct run *r)
{
	struct sv_analysis *a = r->a;
	struct sv_error err;

	sv_error_clear(&err);
	if (sv_bundle_finish(r->b, &err) != SV_OK && a->complete) {
		a->complete = 0;
		stop_fatal(r, &err);
	}
	sv_bundle_stats(r->b, &a->stats);
	if (sv_bundle_root_folder(r->b))
		a->root_folder = sv_arena_strdup(a->arena,
						 sv_bundle_root_folder(r->b));
	if (sv_custody_verify(r->custody, r->had_sums,
			      a->complete, &a->custody, &err) != SV_OK)
		add_problem(r, &err);
	if (a->custody.status == SV_CUSTODY_FAILED)
		report_custody_failure(r);
	if (a->complete && a->manifest_status == SV_MANIFEST_MISSING) {
		sv_error_set(&err, SV_ERR_CORRUPT, "manifest.json",
			     "required manifest.json is missing");
		add_problem(r, &err);
	}
	finish_snapshots(a);
}

static struct sv_analysis *analysis_new(const char *path,
					const struct sv_pipeline_options *o,
					struct sv_error *err)
{
	struct sv_arena *arena = sv_arena_new(o->arena_cap);
	struct sv_analysis *a = arena ? sv_arena_alloc(arena, sizeof(*a))
				      : NULL;

	if (a) {
		a->arena = arena;
		a->bundle_path = sv_arena_strdup(arena, path);
		a->bundle_name = bundle_name(arena, path);
		a->started_ns = sv_time_now();
	}
	if (!a || !a->bundle_path || !a->bundle_name) {
		sv_arena_free(arena);
		sv_error_set(err, SV_ERR_NOMEM, path, "out of memory");
		return NULL;
	}
	return a;
}

/* ---- after the stream ---- */

static double seconds_since(int64_t t0)
{
	return (double)(sv_time_now() - t0) / 1e9;
}

/* Join what the modules kept into the analysis, and free their tables. */
static void build_entities(struct run *r)
{
	struct sv_error oerr;

	r->a->net = *sv_flows_stats(r->flows);
	r->a->flows = sv_flows_list(r->flows);
	sv_attrib_flows(r->attrib, sv_flows_list(r->flows), &r->a->attrib);
	sv_attrib_free(r->attrib);
	sv_resources_build(r->resources, &r->a->resources);
	sv_resources_free(r->resources);
	sv_error_clear(&oerr);
	if (sv_procs_build(r->procs, &r->a->procs, &oerr) != SV_OK)
		add_problem(r, &oerr);
	sv_procs_free(r->procs);
	sv_error_clear(&oerr);
	if (sv_containers_build(r->containers, &r->a->containers, &oerr) !=
	    SV_OK)
		add_problem(r, &oerr);
	sv_containers_free(r->containers);
	sv_netapp_finish(r->netapp, sv_flows_list(r->flows));
	r->a->app = *sv_netapp_stats(r->netapp);
	r->a->app_events = sv_netapp_events(r->netapp);
	sv_netapp_free(r->netapp);
	sv_flows_free(r->flows);
	sv_custody_free(r->custody);
	sv_arena_free(r->scratch);
}

/* ---- the timeline ---- */

/* Each container's life, for the phases of its events. */
static struct sv_timeline_life *container_lives(const struct sv_analysis *a,
						size_t *n)
{
	const struct sv_container_set *cs = a->containers;
	const struct sv_cont *c;
	struct sv_timeline_life *l;
	size_t k = 0;

	*n = 0;
	if (!cs || !cs->n)
		return NULL;
	l = malloc(cs->n * sizeof(*l));
	if (!l)
		return NULL;
	for (c = cs->list; c && k < cs->n; c = c->next) {
		l[k].container_id = c->id;
		l[k].started_ns = c->started_ns;
		l[k].ended_ns = c->died_ns;
		k++;
	}
	*n = k;
	return l;
}

/*
 * Clock pairs: a container's start in its runtime's events (or inspect,
 * the same clock) against the start time /proc gives its init process.
 * runc starts the init a few milliseconds before the runtime logs
 * "start", far below the half second a skew must pass to be corrected.
 */
static struct sv_timeline_pair *clock_pairs(const struct sv_analysis *a,
					    size_t *n)
{
	const struct sv_proc *p;
	const struct sv_cont *c;
	struct sv_timeline_pair *pairs;
	size_t k = 0, cap;

	*n = 0;
	if (!a->procs || !a->containers || !a->containers->n)
		return NULL;
	cap = a->containers->n;
	pairs = malloc(cap * sizeof(*pairs));
	if (!pairs)
		return NULL;
	for (p = a->procs->list; p && k < cap; p = p->next) {
		if (!p->is_init || !p->container_id ||
		    p->start_ns == SV_TIME_NONE)
			continue;
		c = sv_containers_find(a->containers, p->container_id);
		if (!c || c->started_ns == SV_TIME_NONE)
			continue;
		pairs[k].source = SV_SRC_RUNTIME;
		pairs[k].source_ns = c->started_ns;
		pairs[k].reference_ns = p->start_ns;
		k++;
	}
	*n = k;
	return pairs;
}

/* Every module's events on one ordered timeline (sv_timeline.h). */
static void build_timeline(struct sv_analysis *a, uint64_t net_max)
{
	struct sv_event *lists[8];
	struct sv_timeline_life *lives;
	struct sv_timeline_pair *pairs;
	struct sv_error err;
	size_t n = 0, nlives, npairs;
	int nomem = 0;
	enum sv_status rc;

	if (a->containers)
		lists[n++] = a->containers->events;
	if (a->procs)
		lists[n++] = a->procs->events;
	lists[n++] = a->resources.events;
	lists[n++] = sv_timeline_net_events(a->arena, a->flows, a->app_events,
					    net_max, &a->net_events_dropped,
					    &nomem);
	lives = container_lives(a, &nlives);
	pairs = clock_pairs(a, &npairs);
	sv_error_clear(&err);
	rc = sv_timeline_build(a->arena, lists, n, pairs, npairs, lives,
			       nlives, 0, &a->timeline, &err);
	free(lives);
	free(pairs);
	if (nomem || rc != SV_OK) {
		sv_error_set(&err, SV_ERR_NOMEM, "", "out of memory building "
			     "the timeline; it is incomplete");
		a->errors++;
		a->fatal = err;
	}
}

/* ---- detection ---- */

static void rules_input(const struct sv_analysis *a,
			struct sv_rules_input *in)
{
	memset(in, 0, sizeof(*in));
	in->containers = a->containers;
	in->procs = a->procs;
	in->flows = a->flows;
	in->app = a->app_events;
	in->events = a->timeline.ev;
	in->n_events = a->timeline.n;
	in->resources = &a->resources;
}

/* Features of every container, scored against the workload baselines
 * of o->model; their findings join the rules'. */
static void score_baseline(struct run *r,
			   const struct sv_pipeline_options *o)
{
	struct sv_analysis *a = r->a;
	struct sv_featurize_options fo;
	struct sv_feat_set fs;
	struct sv_error err;
	int64_t t = sv_time_now();
	const struct sv_baseline *b = o->model;

	a->baseline.used = 1;
	a->baseline.model = sv_arena_strdup(a->arena, o->model_path
					    ? o->model_path : "(model)");
	if (o->model_checksum)
		snprintf(a->baseline.checksum, sizeof(a->baseline.checksum),
			 "%s", o->model_checksum);
	else if (sv_baseline_digest(b, a->baseline.checksum) != SV_OK)
		a->baseline.checksum[0] = '\0';
	a->baseline.workloads = b->n_wl;
	a->baseline.bundles = b->n_bundles;
	a->baseline.window_s = (double)b->window_ns / 1e9;
	a->baseline.far = b->far;
	memset(&fo, 0, sizeof(fo));
	fo.window_ns = b->window_ns;
	fo.workloads = o->workloads;
	sv_error_clear(&err);
	if (sv_featurize(a, &fo, a->arena, &fs, &err) != SV_OK ||
	    sv_baseline_score(b, &fs, a->arena, &a->findings,
			      &a->baseline.st, &err) != SV_OK)
		add_problem(r, &err);
	a->baseline.score_s = seconds_since(t);
}

static void run_rules(struct run *r, const struct sv_pipeline_options *o)
{
	struct sv_analysis *a = r->a;
	struct sv_rules_input in;
	struct sv_error err;

	rules_input(a, &in);
	sv_rules_run(a->arena, &in, &a->findings);
	if (o->model)
		score_baseline(r, o);
	if (o->rules) {
		a->rules_file = o->rules->name;
		a->user_rules = o->rules->n_rules;
	}
	/* Last: [tune] and [allow] apply to every finding. */
	sv_userrules_apply_stats(a->arena, o->rules, &in, &a->findings,
				 &a->userrules);
	if (a->findings.nomem) {
		sv_error_set(&err, SV_ERR_NOMEM, "", "out of memory while "
			     "recording findings; some are missing");
		a->errors++;
		a->fatal = err;
	}
}

struct sv_analysis *sv_pipeline_run(const char *path,
				    const struct sv_pipeline_options *o,
				    struct sv_error *err)
{
	struct run r;
	struct sv_error oerr;
	int64_t t;

	memset(&r, 0, sizeof(r));
	r.a = analysis_new(path, o, err);
	if (!r.a)
		return NULL;
	r.progress = o->progress;
	r.custody = sv_custody_new(r.a->arena);
	r.scratch = sv_arena_new(256ULL << 20);
	r.flows = sv_flows_new(r.a->arena, NULL);
	r.netapp = sv_netapp_new(r.a->arena, NULL);
	r.attrib = sv_attrib_new(r.a->arena);
	r.resources = sv_resources_new(r.a->arena);
	r.procs = sv_procs_new(r.a->arena);
	r.containers = sv_containers_new(r.a->arena);
	if (!r.custody || !r.scratch || !r.flows || !r.netapp || !r.attrib ||
	    !r.resources ||
	    !r.procs || !r.containers) {
		sv_containers_free(r.containers);
		sv_procs_free(r.procs);
		sv_attrib_free(r.attrib);
		sv_resources_free(r.resources);
		sv_netapp_free(r.netapp);
		sv_flows_free(r.flows);
		sv_custody_free(r.custody);
		sv_arena_free(r.scratch);
		sv_analysis_free(r.a);
		sv_error_set(err, SV_ERR_NOMEM, path, "out of memory");
		return NULL;
	}
	sv_error_clear(&oerr);
	if (sv_bundle_open(path, &o->bundle, r.a->arena, &r.b, &oerr) !=
	    SV_OK) {
		stop_fatal(&r, &oerr);
	} else {
		r.a->opened = 1;
		stream_members(&r);
		conclude(&r);
		progress(&r, 1);
		/* The archive was not readable at all: nothing was opened. */
		if (r.a->stats.entries == 0 && r.a->fatal.code != SV_OK)
			r.a->opened = 0;
	}
	sv_bundle_close(r.b);
	r.a->read_s = seconds_since(r.a->started_ns);
	t = sv_time_now();
	build_entities(&r);
	r.a->build_s = seconds_since(t);
	t = sv_time_now();
	build_timeline(r.a, o->timeline_net_max);
	r.a->timeline_s = seconds_since(t);
	run_rules(&r, o);
	r.a->elapsed_s = (double)(sv_time_now() - r.a->started_ns) / 1e9;
	return r.a;
}
