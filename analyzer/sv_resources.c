/*
 * sv_resources.c - keep the cgroup values the resource series need, as
 * the bundle streams (sv_resources_int.h describes the tables; the build
 * is in sv_resources_build.c).
 *
 * Input: SV_REC_CGROUP_VALUE records, borrowed. Everything kept is
 * malloc'd here and freed by sv_resources_free(); nothing goes to the
 * arena before the build.
 */
#include "sv_resources_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "sv_cgroup_id.h"
#include "sv_layout.h"
#include "sv_text.h"
#include "sv_time.h"

#define DEF_GROUPS 10000
#define DEF_PER_SERIES 100000
#define DEF_SAMPLES (8ULL << 20)
#define DEF_SNAPSHOTS 1000000
#define DEF_EVENTS 100000

#define NS 1e-9
#define US 1e-6

/* Indexed by enum sv_res_raw. USER_HZ is 100 on every Linux. */
const struct sv_res_src sv_res_srcs[R_COUNT] = {
	[R_V1_CPU_NS] = {"cpuacct.usage", "", 1, 0, 1, NS},
	[R_V2_CPU_US] = {"cpu.stat", "usage_usec", 2, 0, 1, US},
	[R_V1_CPU_TICKS] = {"cpuacct.stat", "*", 1, 1, 1, 0.01},
	[R_V1_THR_NS] = {"cpu.stat", "throttled_time", 1, 0, 1, NS},
	[R_V2_THR_US] = {"cpu.stat", "throttled_usec", 2, 0, 1, US},
	[R_V1_NR_THR] = {"cpu.stat", "nr_throttled", 1, 0, 1, 1},
	[R_V2_NR_THR] = {"cpu.stat", "nr_throttled", 2, 0, 1, 1},
	[R_V1_NR_PER] = {"cpu.stat", "nr_periods", 1, 0, 1, 1},
	[R_V2_NR_PER] = {"cpu.stat", "nr_periods", 2, 0, 1, 1},
	[R_V1_QUOTA] = {"cpu.cfs_quota_us", "", 1, 0, 0, 1},
	[R_V1_PERIOD] = {"cpu.cfs_period_us", "", 1, 0, 0, 1},
	[R_V2_QUOTA] = {"cpu.max", "quota", 2, 0, 0, 1},
	[R_V2_PERIOD] = {"cpu.max", "period", 2, 0, 0, 1},
	[R_V1_MEM] = {"memory.usage_in_bytes", "", 1, 0, 0, 1},
	[R_V2_MEM] = {"memory.current", "", 2, 0, 0, 1},
	[R_V1_TOTAL_RSS] = {"memory.stat", "total_rss", 1, 0, 0, 1},
	[R_V1_RSS] = {"memory.stat", "rss", 1, 0, 0, 1},
	[R_V2_ANON] = {"memory.stat", "anon", 2, 0, 0, 1},
	[R_V1_TOTAL_CACHE] = {"memory.stat", "total_cache", 1, 0, 0, 1},
	[R_V1_CACHE] = {"memory.stat", "cache", 1, 0, 0, 1},
	[R_V2_FILE] = {"memory.stat", "file", 2, 0, 0, 1},
	[R_V1_MEM_LIM] = {"memory.limit_in_bytes", "", 1, 0, 0, 1},
	[R_V2_MEM_LIM] = {"memory.max", "", 2, 0, 0, 1},
	[R_V1_MEM_PEAK] = {"memory.max_usage_in_bytes", "", 1, 0, 0, 1},
	[R_V2_MEM_PEAK] = {"memory.peak", "", 2, 0, 0, 1},
	[R_V1_FAILCNT] = {"memory.failcnt", "", 1, 0, 1, 1},
	[R_V2_MEM_MAXEV] = {"memory.events", "max", 2, 0, 1, 1},
	[R_V1_OOM] = {"memory.oom_control", "oom_kill", 1, 0, 1, 1},
	[R_V2_OOM] = {"memory.events", "oom_kill", 2, 0, 1, 1},
	[R_V1_TIO_R] = {"blkio.throttle.io_service_bytes", "Read", 1, 1, 1, 1},
	[R_V1_TIO_W] = {"blkio.throttle.io_service_bytes", "Write", 1, 1, 1,
			1},
	[R_V1_IO_R] = {"blkio.io_service_bytes", "Read", 1, 1, 1, 1},
	[R_V1_IO_W] = {"blkio.io_service_bytes", "Write", 1, 1, 1, 1},
	[R_V2_IO_R] = {"io.stat", "rbytes", 2, 1, 1, 1},
	[R_V2_IO_W] = {"io.stat", "wbytes", 2, 1, 1, 1},
	[R_PIDS] = {"pids.current", "", 0, 0, 0, 1},
	[R_PIDS_MAX] = {"pids.max", "", 0, 0, 0, 1},
	[R_PIDS_EV] = {"pids.events", "max", 0, 0, 1, 1},
};

static const struct {
	const char *name, *unit;
	int interval;
} metrics[SV_RES_NMETRICS] = {
	[SV_RES_CPU_CORES] = {"cpu.cores", "cores", 1},
	[SV_RES_CPU_LIMIT] = {"cpu.limit", "cores", 0},
	[SV_RES_CPU_THROTTLED] = {"cpu.throttled", "s/s", 1},
	[SV_RES_CPU_THR_PERIODS] = {"cpu.throttled-periods", "count", 1},
	[SV_RES_CPU_THR_SHARE] = {"cpu.throttled-share", "share", 1},
	[SV_RES_MEM_USAGE] = {"memory.usage", "bytes", 0},
	[SV_RES_MEM_RSS] = {"memory.rss", "bytes", 0},
	[SV_RES_MEM_CACHE] = {"memory.cache", "bytes", 0},
	[SV_RES_MEM_LIMIT] = {"memory.limit", "bytes", 0},
	[SV_RES_MEM_PEAK] = {"memory.peak", "bytes", 0},
	[SV_RES_MEM_FAILURES] = {"memory.failures", "count", 1},
	[SV_RES_MEM_OOM_KILLS] = {"memory.oom-kills", "count", 1},
	[SV_RES_IO_READ] = {"io.read", "bytes/s", 1},
	[SV_RES_IO_WRITE] = {"io.write", "bytes/s", 1},
	[SV_RES_PIDS] = {"pids.current", "tasks", 0},
	[SV_RES_PIDS_MAX] = {"pids.max", "tasks", 0},
	[SV_RES_PIDS_FAILURES] = {"pids.failures", "count", 1},
};

const char *sv_res_metric_name(enum sv_res_metric m)
{
	return (unsigned)m < SV_RES_NMETRICS ? metrics[m].name : "?";
}

const char *sv_res_metric_unit(enum sv_res_metric m)
{
	return (unsigned)m < SV_RES_NMETRICS ? metrics[m].unit : "?";
}

int sv_res_metric_is_interval(enum sv_res_metric m)
{
	return (unsigned)m < SV_RES_NMETRICS ? metrics[m].interval : 0;
}

/* ---- life cycle ---- */

static uint64_t or_default(uint64_t v, uint64_t def)
{
	return v ? v : def;
}

struct sv_resources *
sv_resources_new_limits(struct sv_arena *arena,
			const struct sv_resources_limits *lim)
{
	struct sv_resources *r = calloc(1, sizeof(*r));
	struct sv_resources_limits l = {0};

	if (!r)
		return NULL;
	if (lim)
		l = *lim;
	r->arena = arena;
	r->lim.max_groups = or_default(l.max_groups, DEF_GROUPS);
	r->lim.max_per_series = or_default(l.max_per_series, DEF_PER_SERIES);
	r->lim.max_samples = or_default(l.max_samples, DEF_SAMPLES);
	r->lim.max_snapshots = or_default(l.max_snapshots, DEF_SNAPSHOTS);
	r->lim.max_events = or_default(l.max_events, DEF_EVENTS);
	/* The tables index with uint32_t. */
	if (r->lim.max_groups > 0x7fffffff)
		r->lim.max_groups = 0x7fffffff;
	if (r->lim.max_per_series > 0x40000000)
		r->lim.max_per_series = 0x40000000;
	if (r->lim.max_snapshots > 0x7fffffff)
		r->lim.max_snapshots = 0x7fffffff;
	if (getrandom(&r->seed, sizeof(r->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(r->seed))
		r->seed = (uint64_t)sv_time_now() ^ (uint64_t)(uintptr_t)r;
	return r;
}

struct sv_resources *sv_resources_new(struct sv_arena *arena)
{
	return sv_resources_new_limits(arena, NULL);
}

void sv_resources_free(struct sv_resources *r)
{
	size_t i;
	int k;

	if (!r)
		return;
	for (i = 0; i < r->ngrp; i++) {
		for (k = 0; k < R_COUNT; k++) {
			free(r->grps[i]->raw[k].s);
			free(r->grps[i]->raw[k].tail);
		}
		free(r->grps[i]->path);
		free(r->grps[i]);
	}
	for (i = 0; i < r->nsnap; i++)
		free(r->snaps[i].prefix);
	free(r->grps);
	free(r->ghead);
	free(r->snaps);
	free(r->shead);
	free(r);
}

/* ---- hashing ---- */

static uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

static uint64_t hash_bytes(uint64_t h, const char *p, size_t n)
{
	uint64_t w;

	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		h = mix64(h ^ w);
	}
	w = 0;
	memcpy(&w, p, n);
	return mix64(h ^ w ^ ((uint64_t)n << 56));
}

/* Grow an array of elem-byte items to hold one more; 0 or -1 (nomem). */
static int grow(void **v, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / elem)
		return -1;
	p = realloc(*v, ncap * elem);
	if (!p)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

/* ---- snapshots: T -> "<root>/cgroup/<T>/" ---- */

static size_t snap_slot(const struct sv_resources *r, int64_t ts)
{
	return (size_t)mix64(r->seed ^ (uint64_t)ts) & (r->snb - 1);
}

const struct sv_res_snap *sv_res_snap_find(const struct sv_resources *r,
					   int64_t ts)
{
	size_t s;

	if (!r->snb)
		return NULL;
	for (s = snap_slot(r, ts); r->shead[s]; s = (s + 1) & (r->snb - 1))
		if (r->snaps[r->shead[s] - 1].ts == ts)
			return &r->snaps[r->shead[s] - 1];
	return NULL;
}

/* Keep the table at most half full; 0 or -1 (nomem). */
static int snap_rehash(struct sv_resources *r)
{
	size_t nb = r->snb ? r->snb * 2 : 64, i, s;
	uint32_t *h;

	if (r->snb && r->nsnap + 1 <= r->snb / 2)
		return 0;
	h = calloc(nb, sizeof(*h));
	if (!h)
		return -1;
	free(r->shead);
	r->shead = h;
	r->snb = nb;
	for (i = 0; i < r->nsnap; i++) {
		for (s = snap_slot(r, r->snaps[i].ts); h[s];
		     s = (s + 1) & (nb - 1))
			;
		h[s] = (uint32_t)i + 1;
	}
	return 0;
}

/* The artifact's "<root>/cgroup/<T>/" when its folder is rec's T. */
static size_t prefix_len(const struct sv_record *rec)
{
	struct sv_layout lay;

	if (!rec->artifact)
		return 0;
	sv_layout_classify(rec->artifact, &lay);
	if (lay.kind != SV_ART_CGROUP || !lay.has_snapshot ||
	    lay.snapshot_ns != rec->ts_ns || !lay.leaf ||
	    lay.leaf <= rec->artifact)
		return 0;
	return (size_t)(lay.leaf - rec->artifact);
}

/* The snapshot's artifact prefix from rec, when its path has one; 0 or
 * -1 (nomem). */
static int set_prefix(struct sv_res_snap *s, const struct sv_record *rec)
{
	size_t n = prefix_len(rec);

	if (!n)
		return 0;
	s->prefix = malloc(n + 1);
	if (!s->prefix)
		return -1;
	memcpy(s->prefix, rec->artifact, n);
	s->prefix[n] = '\0';
	return 0;
}

/* Note rec's snapshot; 0, 1 over the cap (counted), -1 out of memory. */
static int note_snap(struct sv_resources *r, const struct sv_record *rec)
{
	struct sv_res_snap *s;
	size_t slot;

	s = r->last_snap ? &r->snaps[r->last_snap - 1] : NULL;
	if (!s || s->ts != rec->ts_ns)
		s = (struct sv_res_snap *)sv_res_snap_find(r, rec->ts_ns);
	if (s) {
		r->last_snap = (uint32_t)(s - r->snaps) + 1;
		return s->prefix ? 0 : set_prefix(s, rec);
	}
	if (r->nsnap >= r->lim.max_snapshots) {
		r->st.snapshots_dropped++;
		return 1;
	}
	if (snap_rehash(r) ||
	    grow((void **)&r->snaps, &r->capsnap, r->nsnap, sizeof(*s)))
		return -1;
	s = &r->snaps[r->nsnap];
	s->ts = rec->ts_ns;
	s->prefix = NULL;
	if (set_prefix(s, rec))
		return -1;
	for (slot = snap_slot(r, s->ts); r->shead[slot];
	     slot = (slot + 1) & (r->snb - 1))
		;
	r->shead[slot] = (uint32_t)++r->nsnap;
	r->last_snap = (uint32_t)r->nsnap;
	return 0;
}

/* ---- groups: one per cgroup folder ---- */

static int grp_rehash(struct sv_resources *r)
{
	size_t nb = r->gnb ? r->gnb * 2 : 64, i;
	uint32_t *h;

	if (r->gnb && r->ngrp < r->gnb)
		return 0;
	h = calloc(nb, sizeof(*h));
	if (!h)
		return -1;
	free(r->ghead);
	r->ghead = h;
	r->gnb = nb;
	for (i = 0; i < r->ngrp; i++) {
		size_t b = (size_t)r->grps[i]->hash & (nb - 1);

		r->grps[i]->next = h[b];
		h[b] = (uint32_t)i + 1;
	}
	return 0;
}

static struct sv_res_grp *grp_new(struct sv_resources *r, const char *path,
				  size_t n, uint64_t h)
{
	struct sv_res_grp *g;
	size_t b;

	if (grp_rehash(r) ||
	    grow((void **)&r->grps, &r->capgrp, r->ngrp, sizeof(g)))
		return NULL;
	g = calloc(1, sizeof(*g));
	if (!g || !(g->path = malloc(n + 1))) {
		free(g);
		return NULL;
	}
	memcpy(g->path, path, n);
	g->path[n] = '\0';
	g->hash = h;
	b = (size_t)h & (r->gnb - 1);
	g->next = r->ghead[b];
	r->grps[r->ngrp++] = g;
	r->ghead[b] = (uint32_t)r->ngrp;
	r->last_grp = (uint32_t)r->ngrp;
	return g;
}

/* The group of path: *out, 0; 1 over the cap (counted); -1 nomem. */
static int grp_get(struct sv_resources *r, const char *path,
		   struct sv_res_grp **out)
{
	size_t n = strnlen(path, SV_RES_PATH_MAX);
	uint64_t h;
	uint32_t i;

	if (r->last_grp && !strcmp(r->grps[r->last_grp - 1]->path, path)) {
		*out = r->grps[r->last_grp - 1];
		return 0;
	}
	h = hash_bytes(r->seed, path, n);
	for (i = r->gnb ? r->ghead[h & (r->gnb - 1)] : 0; i;
	     i = r->grps[i - 1]->next) {
		if (r->grps[i - 1]->hash == h &&
		    !strncmp(r->grps[i - 1]->path, path, n) &&
		    r->grps[i - 1]->path[n] == '\0') {
			r->last_grp = i;
			*out = r->grps[i - 1];
			return 0;
		}
	}
	if (r->ngrp >= r->lim.max_groups) {
		r->st.groups_dropped++;
		return 1;
	}
	*out = grp_new(r, path, n, h);
	return *out ? 0 : -1;
}

/* ---- values ---- */

/* The raw source of a cgroup value, or R_NONE. */
static enum sv_res_raw find_src(const struct sv_cgroup_value *cv)
{
	int ver = cv->controller && cv->controller[0] ? 1 : 2;
	int k;

	if (!cv->file || !cv->key || cv->is_float)
		return R_NONE;
	for (k = 0; k < R_COUNT; k++) {
		const struct sv_res_src *s = &sv_res_srcs[k];

		if ((s->ver && s->ver != ver) || strcmp(s->file, cv->file))
			continue;
		if (!strcmp(s->key, cv->key) ||
		    (s->key[0] == '*' && (!strcmp(cv->key, "user") ||
					  !strcmp(cv->key, "system"))))
			return (enum sv_res_raw)k;
	}
	return R_NONE;
}

/*
 * A blkio file's grand total line ("Total 0", subject ""): a file with
 * no device line still says "no I/O", so it gives a 0 to both sums
 * rather than a gap. Returns the Read source (Write is the next) or
 * R_NONE.
 */
static enum sv_res_raw blkio_total(const struct sv_cgroup_value *cv)
{
	if (!cv->file || !cv->key || !cv->subject || cv->subject[0] ||
	    strcmp(cv->key, "Total") || !cv->controller || !cv->controller[0])
		return R_NONE;
	if (!strcmp(cv->file, sv_res_srcs[R_V1_TIO_R].file))
		return R_V1_TIO_R;
	if (!strcmp(cv->file, sv_res_srcs[R_V1_IO_R].file))
		return R_V1_IO_R;
	return R_NONE;
}

/*
 * The tail of the series' artifacts, from the first value whose path has
 * the snapshot folder; until one comes, a whole artifact stands in
 * (tail_whole: events then name that file). 0 or -1.
 */
static int keep_tail(struct sv_res_series *se, const struct sv_record *rec)
{
	size_t p, n;
	char *t;

	if (!rec->artifact || (se->tail && !se->tail_whole))
		return 0;
	p = prefix_len(rec);
	if (se->tail && !p)
		return 0;
	n = strnlen(rec->artifact + p, SV_RES_PATH_MAX);
	t = malloc(n + 1);
	if (!t)
		return -1;
	memcpy(t, rec->artifact + p, n);
	t[n] = '\0';
	free(se->tail);
	se->tail = t;
	se->tail_whole = !p;
	return 0;
}

/* Append (or add to the snapshot's sample); 0, 1 capped, -1 nomem. */
static int add_sample(struct sv_resources *r, struct sv_res_series *se,
		      const struct sv_record *rec, int summed)
{
	uint64_t v = rec->u.cgroup.value;
	uint32_t line = rec->line > UINT32_MAX ? UINT32_MAX
					       : (uint32_t)rec->line;
	struct sv_res_sample *last = se->n ? &se->s[se->n - 1] : NULL;
	size_t cap = se->cap;

	if (summed && last && last->ts == rec->ts_ns && last->line < line) {
		/* The next line of the same file: another device. */
		last->v = v > UINT64_MAX - 1 - last->v ? UINT64_MAX - 1
						       : last->v + v;
		last->line = line;
		return 0;
	}
	if (se->n >= r->lim.max_per_series ||
	    r->samples >= r->lim.max_samples) {
		r->st.samples_dropped++;
		return 1;
	}
	if (grow((void **)&se->s, &cap, se->n, sizeof(*se->s)))
		return -1;
	se->cap = (uint32_t)cap;
	se->s[se->n].ts = rec->ts_ns;
	se->s[se->n].v = v;
	se->s[se->n].line = line;
	se->s[se->n].seq = se->n;
	se->n++;
	r->samples++;
	r->st.samples++;
	return 0;
}

/* One value into the series k of its group: 0, 1 capped, -1 nomem. */
static int add_value(struct sv_resources *r, const struct sv_record *rec,
		     enum sv_res_raw k)
{
	const struct sv_cgroup_value *cv = &rec->u.cgroup;
	struct sv_res_grp *g;
	int rc;

	if (note_snap(r, rec) < 0)
		return -1;
	rc = grp_get(r, cv->cgroup, &g);
	if (rc)
		return rc;
	if (keep_tail(&g->raw[k], rec))
		return -1;
	rc = add_sample(r, &g->raw[k], rec, sv_res_srcs[k].summed);
	if (rc == 0) {
		if (sv_res_srcs[k].ver == 1 ||
		    (!sv_res_srcs[k].ver && cv->controller &&
		     cv->controller[0]))
			g->v1 = 1;
		else
			g->v2 = 1;
	}
	return rc;
}

enum sv_status sv_resources_record(struct sv_resources *r,
				   const struct sv_record *rec,
				   struct sv_error *err)
{
	const struct sv_cgroup_value *cv = &rec->u.cgroup;
	struct sv_record zero;
	enum sv_res_raw k;
	int rc;

	if (rec->type != SV_REC_CGROUP_VALUE)
		return SV_OK;
	r->st.records++;
	k = find_src(cv);
	if (k == R_NONE && rec->ts_ns != SV_TIME_NONE && cv->cgroup &&
	    (k = blkio_total(cv)) != R_NONE) {
		/* 0 into the Read (k) and Write (k + 1) sums. */
		zero = *rec;
		zero.u.cgroup.value = 0;
		rc = add_value(r, &zero, k);
		if (rc >= 0)
			rc = add_value(r, &zero, (enum sv_res_raw)(k + 1));
	} else if (k == R_NONE || rec->ts_ns == SV_TIME_NONE || !cv->cgroup ||
		   (cv->is_max && sv_res_srcs[k].counter)) {
		r->st.ignored++;
		return SV_OK;
	} else {
		rc = add_value(r, rec, k);
	}
	if (rc < 0)
		return sv_error_set(err, SV_ERR_NOMEM, rec->artifact,
				    "out of memory");
	r->st.used += rc == 0;
	return SV_OK;
}

/* ---- path facts of the groups (for the build) ---- */

char *sv_res_clean(struct sv_arena *arena, const char *s, size_t n)
{
	char *tmp = malloc(n + 1), *out;
	size_t i;

	if (!tmp)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		tmp[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	tmp[n] = '\0';
	out = sv_text_clean(arena, tmp, n, SV_RES_PATH_MAX);
	free(tmp);
	return out;
}

struct meta {
	const struct sv_res_grp *g;
	struct sv_res_group *o;
	size_t len;
};

static int cmp_by_id(const void *x, const void *y)
{
	const struct meta *a = x, *b = y;
	int c = strcmp(a->o->container_id, b->o->container_id);

	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return strcmp(a->g->path, b->g->path);
}

static int cmp_by_path(const void *x, const void *y)
{
	const struct meta *a = x, *b = y;

	return strcmp(a->g->path, b->g->path);
}

/* s against "<p>/" (p of n bytes), as strcmp orders them. */
static int cmp_slash(const char *s, const char *p, size_t n)
{
	int c = strncmp(s, p, n);

	if (c)
		return c;
	return (int)(unsigned char)s[n] - '/';
}

/* has_children for every group: is "<path>/..." in the sorted list? */
static void mark_children(struct meta *m, size_t n)
{
	size_t i, lo, hi;

	qsort(m, n, sizeof(*m), cmp_by_path);
	for (i = 0; i < n; i++) {
		if (!m[i].len) {
			m[i].o->has_children = n > 1;
			continue;
		}
		lo = i + 1;
		hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (cmp_slash(m[mid].g->path, m[i].g->path,
				      m[i].len) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		m[i].o->has_children =
			lo < n && !cmp_slash(m[lo].g->path, m[i].g->path,
					     m[i].len);
	}
}

static void mark_primary(struct meta *m, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (m[i].o->container_id)
			m[c++] = m[i];
	qsort(m, c, sizeof(*m), cmp_by_id);
	for (i = 0; i < c; i++)
		m[i].o->primary = !i || strcmp(m[i - 1].o->container_id,
					       m[i].o->container_id);
}

/* Who the group is, from its path alone; 0 or -1 (nomem). */
static int identify(struct sv_arena *arena, const struct sv_res_grp *g,
		    struct sv_res_group *o)
{
	struct sv_container_ref ref;
	const char *id = NULL;

	o->cgroup = sv_res_clean(arena, g->path, strlen(g->path));
	o->runtime = SV_RT_UNKNOWN;
	o->v1 = g->v1;
	o->v2 = g->v2;
	if (sv_cgroup_container(g->path, &ref)) {
		o->runtime = ref.runtime;
		id = sv_arena_strdup(arena, ref.id);
		if (!id)
			return -1;
		if (ref.is_conmon)
			o->monitor_of = id;
		else
			o->container_id = id;
	}
	if (ref.pod_uid[0] &&
	    !(o->pod_uid = sv_arena_strdup(arena, ref.pod_uid)))
		return -1;
	return o->cgroup ? 0 : -1;
}

int sv_res_mark_groups(struct sv_resources *r, struct sv_res_group *arr)
{
	struct meta *m = calloc(r->ngrp, sizeof(*m));
	size_t i;

	if (!m)
		return -1;
	for (i = 0; i < r->ngrp; i++) {
		m[i].g = r->grps[i];
		m[i].o = &arr[i];
		m[i].len = strlen(r->grps[i]->path);
		if (identify(r->arena, r->grps[i], &arr[i])) {
			free(m);
			return -1;
		}
	}
	mark_children(m, r->ngrp);
	mark_primary(m, r->ngrp);
	free(m);
	return 0;
}

const struct sv_res_group *
sv_resources_find(const struct sv_resources_result *res,
		  const char *container_id)
{
	const struct sv_res_group *g;

	if (!res || !container_id)
		return NULL;
	for (g = res->groups; g; g = g->next)
		if (g->primary && g->container_id &&
		    !strcmp(g->container_id, container_id))
			return g;
	return NULL;
}
