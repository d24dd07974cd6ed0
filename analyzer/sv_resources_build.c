/*
 * sv_resources_build.c - turn the raw cgroup values kept by
 * sv_resources.c into per-group series, summaries and resource events
 * (the rules are in sv_resources.h).
 *
 *   raw series (per group, per source)  -- sort, later copy wins -->
 *   the group's snapshot axis (union)   -- align each source on it -->
 *   metrics (first source present)      --> summary, events
 *
 * Input: the tables of struct sv_resources (read; each raw series is
 * sorted in place). Output: groups, series and events in the arena;
 * temporary arrays are malloc'd and freed here.
 */
#include "sv_resources_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_text.h"
#include "sv_time.h"

#define MSG_MAX 512

enum mkind {
	MK_GAUGE,   /* the value at the snapshot */
	MK_LIMIT,   /* a gauge whose "max" is +inf */
	MK_RATE,    /* d(value) * scale / d(T) in seconds */
	MK_COUNT,   /* d(value); after a reset the new value */
	MK_QUOTA,   /* raw[0] / raw[1] (or raw[2] / raw[3]) at the snapshot */
	MK_SHARE    /* d(raw[0]) / d(raw[1]) (or raw[2], raw[3]) */
};

static const struct mdef {
	enum mkind kind;
	unsigned char raw[4]; /* candidates in order; R_NONE ends */
} mdefs[SV_RES_NMETRICS] = {
	[SV_RES_CPU_CORES] = {MK_RATE, {R_V1_CPU_NS, R_V2_CPU_US,
					R_V1_CPU_TICKS, R_NONE}},
	[SV_RES_CPU_LIMIT] = {MK_QUOTA, {R_V1_QUOTA, R_V1_PERIOD, R_V2_QUOTA,
					 R_V2_PERIOD}},
	[SV_RES_CPU_THROTTLED] = {MK_RATE, {R_V1_THR_NS, R_V2_THR_US, R_NONE,
					    R_NONE}},
	[SV_RES_CPU_THR_PERIODS] = {MK_COUNT, {R_V1_NR_THR, R_V2_NR_THR,
					       R_NONE, R_NONE}},
	[SV_RES_CPU_THR_SHARE] = {MK_SHARE, {R_V1_NR_THR, R_V1_NR_PER,
					     R_V2_NR_THR, R_V2_NR_PER}},
	[SV_RES_MEM_USAGE] = {MK_GAUGE, {R_V1_MEM, R_V2_MEM, R_NONE, R_NONE}},
	[SV_RES_MEM_RSS] = {MK_GAUGE, {R_V1_TOTAL_RSS, R_V1_RSS, R_V2_ANON,
				       R_NONE}},
	[SV_RES_MEM_CACHE] = {MK_GAUGE, {R_V1_TOTAL_CACHE, R_V1_CACHE,
					 R_V2_FILE, R_NONE}},
	[SV_RES_MEM_LIMIT] = {MK_LIMIT, {R_V1_MEM_LIM, R_V2_MEM_LIM, R_NONE,
					 R_NONE}},
	[SV_RES_MEM_PEAK] = {MK_GAUGE, {R_V1_MEM_PEAK, R_V2_MEM_PEAK, R_NONE,
					R_NONE}},
	[SV_RES_MEM_FAILURES] = {MK_COUNT, {R_V1_FAILCNT, R_V2_MEM_MAXEV,
					    R_NONE, R_NONE}},
	[SV_RES_MEM_OOM_KILLS] = {MK_COUNT, {R_V1_OOM, R_V2_OOM, R_NONE,
					     R_NONE}},
	[SV_RES_IO_READ] = {MK_RATE, {R_V1_TIO_R, R_V1_IO_R, R_V2_IO_R,
				      R_NONE}},
	[SV_RES_IO_WRITE] = {MK_RATE, {R_V1_TIO_W, R_V1_IO_W, R_V2_IO_W,
				       R_NONE}},
	[SV_RES_PIDS] = {MK_GAUGE, {R_PIDS, R_NONE, R_NONE, R_NONE}},
	[SV_RES_PIDS_MAX] = {MK_LIMIT, {R_PIDS_MAX, R_NONE, R_NONE, R_NONE}},
	[SV_RES_PIDS_FAILURES] = {MK_COUNT, {R_PIDS_EV, R_NONE, R_NONE,
					     R_NONE}},
};

/* One raw series on the group's axis. */
struct al {
	uint64_t *v;
	uint32_t *line;
	uint32_t *prev;       /* index + 1 of the previous present sample */
	unsigned char *has;
};

/* Everything one build call works with. */
struct bld {
	struct sv_resources *r;
	struct sv_arena *arena;
	int64_t *snaps;       /* every snapshot time, sorted (gone_ns) */
	size_t nsnaps;
	struct sv_event **ev; /* malloc'd list of arena events */
	size_t nev, capev;
	uint64_t dropped;     /* events over the cap */
	uint64_t resets;
	int nomem;
};

/* One group being built. */
struct gb {
	struct bld *b;
	const struct sv_res_grp *g;
	struct sv_res_group *o;
	size_t n;
	int64_t *ts;
	struct al al[R_COUNT];
	enum sv_res_raw pick[SV_RES_NMETRICS];  /* raw[0] of the pick */
	enum sv_res_raw pick2[SV_RES_NMETRICS]; /* raw[1] for pairs */
	double *v[SV_RES_NMETRICS];
	uint64_t resets;
};

/* ---- sorting the raw series ---- */

static int cmp_sample(const void *x, const void *y)
{
	const struct sv_res_sample *a = x, *b = y;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Sort by time; of one time keep the later copy. Renumbers seq. */
static void settle(struct sv_res_series *se)
{
	uint32_t i, o = 0;

	if (!se->n)
		return;
	qsort(se->s, se->n, sizeof(*se->s), cmp_sample);
	for (i = 0; i < se->n; i++) {
		if (o && se->s[o - 1].ts == se->s[i].ts)
			o--;
		se->s[o] = se->s[i];
		se->s[o].seq = o;
		o++;
	}
	se->n = o;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

/* ---- the group's axis and aligned sources ---- */

/* The union of the sources' times into gb->ts (arena); 0 or -1. */
static int make_axis(struct gb *gb)
{
	size_t total = 0, n = 0, i, o = 0;
	int64_t *t;
	int k;

	for (k = 0; k < R_COUNT; k++)
		total += gb->g->raw[k].n;
	if (!total)
		return 0;
	t = malloc(total * sizeof(*t));
	if (!t)
		return -1;
	for (k = 0; k < R_COUNT; k++)
		for (i = 0; i < gb->g->raw[k].n; i++)
			t[n++] = gb->g->raw[k].s[i].ts;
	qsort(t, n, sizeof(*t), cmp_i64);
	for (i = 0; i < n; i++)
		if (!o || t[o - 1] != t[i])
			t[o++] = t[i];
	gb->ts = sv_arena_calloc(gb->b->arena, o, sizeof(*gb->ts));
	if (gb->ts)
		memcpy(gb->ts, t, o * sizeof(*t));
	free(t);
	gb->n = o;
	return gb->ts ? 0 : -1;
}

static void al_free(struct al *a)
{
	free(a->v);
	free(a->line);
	free(a->prev);
	free(a->has);
	memset(a, 0, sizeof(*a));
}

/* Put raw series k on the axis; 0 or -1. */
static int align(struct gb *gb, int k)
{
	const struct sv_res_series *se = &gb->g->raw[k];
	struct al *a = &gb->al[k];
	size_t i, j = 0;
	uint32_t last = 0;

	a->v = calloc(gb->n, sizeof(*a->v));
	a->line = calloc(gb->n, sizeof(*a->line));
	a->prev = calloc(gb->n, sizeof(*a->prev));
	a->has = calloc(gb->n, 1);
	if (!a->v || !a->line || !a->prev || !a->has)
		return -1;
	for (i = 0; i < gb->n; i++) {
		a->prev[i] = last;
		if (j < se->n && se->s[j].ts == gb->ts[i]) {
			a->v[i] = se->s[j].v;
			a->line[i] = se->s[j].line;
			a->has[i] = 1;
			last = (uint32_t)i + 1;
			j++;
		}
	}
	return 0;
}

/* ---- metrics ---- */

static double scaled(enum sv_res_raw k, uint64_t v)
{
	return (double)v * sv_res_srcs[k].scale;
}

/* d(value) at i of a counter: 0 and *d; 1 reset (*d = new value); -1
 * no interval (absent here or before). */
static int delta(const struct al *a, size_t i, uint64_t *d)
{
	uint32_t p;

	if (!a->v || !a->has[i] || !a->prev[i])
		return -1;
	p = a->prev[i] - 1;
	if (a->v[i] < a->v[p]) {
		*d = a->v[i];
		return 1;
	}
	*d = a->v[i] - a->v[p];
	return 0;
}

static double dt_s(const struct gb *gb, const struct al *a, size_t i)
{
	return (double)(gb->ts[i] - gb->ts[a->prev[i] - 1]) / 1e9;
}

static double one_value(struct gb *gb, enum sv_res_metric m, size_t i)
{
	enum sv_res_raw k = gb->pick[m], k2 = gb->pick2[m];
	const struct al *a = &gb->al[k], *b;
	uint64_t d, d2;
	int rc;

	switch (mdefs[m].kind) {
	case MK_GAUGE:
		return a->has[i] ? scaled(k, a->v[i]) : NAN;
	case MK_LIMIT:
		if (!a->has[i])
			return NAN;
		return a->v[i] == UINT64_MAX ? INFINITY : scaled(k, a->v[i]);
	case MK_QUOTA:
		b = &gb->al[k2];
		if (!a->has[i] || !b->v || !b->has[i] || !b->v[i] ||
		    b->v[i] == UINT64_MAX)
			return NAN;
		if (a->v[i] == UINT64_MAX)
			return INFINITY;
		return (double)a->v[i] / (double)b->v[i];
	case MK_RATE:
		rc = delta(a, i, &d);
		gb->resets += rc == 1;
		return rc ? NAN : scaled(k, d) / dt_s(gb, a, i);
	case MK_COUNT:
		rc = delta(a, i, &d);
		gb->resets += rc == 1;
		return rc < 0 ? NAN : (double)d;
	case MK_SHARE:
		b = &gb->al[k2];
		if (delta(a, i, &d) || delta(b, i, &d2) ||
		    a->prev[i] != b->prev[i])
			return NAN;
		if (!d2)
			return d ? NAN : 0.0;
		return (double)d / (double)d2;
	}
	return NAN;
}

/* Choose the metric's source: the first candidate with a value. */
static void pick_source(struct gb *gb, enum sv_res_metric m)
{
	const struct mdef *md = &mdefs[m];
	int pair = md->kind == MK_QUOTA || md->kind == MK_SHARE;
	int c, step = pair ? 2 : 1;

	gb->pick[m] = gb->pick2[m] = R_NONE;
	for (c = 0; c < 4 && md->raw[c] != R_NONE; c += step) {
		if (!gb->g->raw[md->raw[c]].n)
			continue;
		if (pair && !gb->g->raw[md->raw[c + 1]].n)
			continue;
		gb->pick[m] = md->raw[c];
		gb->pick2[m] = pair ? md->raw[c + 1] : R_NONE;
		return;
	}
}

static int fill_metrics(struct gb *gb)
{
	int m;
	size_t i;

	for (m = 0; m < SV_RES_NMETRICS; m++) {
		pick_source(gb, m);
		if (gb->pick[m] == R_NONE)
			continue;
		gb->v[m] = sv_arena_calloc(gb->b->arena, gb->n, sizeof(double));
		if (!gb->v[m])
			return -1;
		for (i = 0; i < gb->n; i++)
			gb->v[m][i] = one_value(gb, m, i);
		gb->o->v[m] = gb->v[m];
		gb->o->src[m] = sv_res_srcs[gb->pick[m]].file;
	}
	return 0;
}

/* ---- summary ---- */

static void stat_of(const struct gb *gb, enum sv_res_metric m,
		    struct sv_res_stat *st)
{
	double sum = 0;
	size_t i;

	st->n = 0;
	st->peak = st->mean = NAN;
	st->peak_ns = SV_TIME_NONE;
	if (!gb->v[m])
		return;
	for (i = 0; i < gb->n; i++) {
		double x = gb->v[m][i];

		if (!isfinite(x))
			continue;
		if (!st->n || x > st->peak) {
			st->peak = x;
			st->peak_ns = gb->ts[i];
		}
		sum += x;
		st->n++;
	}
	if (st->n)
		st->mean = sum / (double)st->n;
}

/* The sum of a count metric, saturated (hostile counters are huge). */
static uint64_t sum_of(const struct gb *gb, enum sv_res_metric m)
{
	double s = 0;
	size_t i;

	if (gb->v[m])
		for (i = 0; i < gb->n; i++)
			if (isfinite(gb->v[m][i]))
				s += gb->v[m][i];
	return s >= 18446744073709549568.0 ? UINT64_MAX : (uint64_t)s;
}

/* The last finite value of m at or before i (carried forward), NaN. */
static double last_finite(const struct gb *gb, enum sv_res_metric m,
			  size_t i)
{
	if (!gb->v[m])
		return NAN;
	for (;;) {
		if (isfinite(gb->v[m][i]))
			return gb->v[m][i];
		if (!i--)
			return NAN;
	}
}

static double cpu_at_limit(const struct gb *gb)
{
	const struct al *a;
	double s = 0, lim;
	size_t i;

	if (!isfinite(gb->o->sum.cpu_limit) || !gb->v[SV_RES_CPU_CORES])
		return NAN;
	a = &gb->al[gb->pick[SV_RES_CPU_CORES]];
	for (i = 0; i < gb->n; i++) {
		double c = gb->v[SV_RES_CPU_CORES][i];

		lim = last_finite(gb, SV_RES_CPU_LIMIT, i);
		if (isfinite(c) && isfinite(lim) && c >= SV_RES_AT_LIMIT * lim)
			s += dt_s(gb, a, i);
	}
	return s;
}

/* Interval (i-1, i] at the memory limit (sv_resources.h). */
static int mem_at(const struct gb *gb, size_t i, double lim)
{
	const double *u = gb->v[SV_RES_MEM_USAGE];
	const double *p = gb->v[SV_RES_MEM_PEAK];
	const double *f = gb->v[SV_RES_MEM_FAILURES];
	double before;

	if (u && isfinite(u[i]) && u[i] >= SV_RES_AT_LIMIT * lim)
		return 1;
	if (f && isfinite(f[i]) && f[i] > 0)
		return 1;
	if (!p || !isfinite(p[i]) || p[i] < SV_RES_AT_LIMIT * lim)
		return 0;
	before = last_finite(gb, SV_RES_MEM_PEAK, i - 1);
	return isfinite(before) && p[i] > before;
}

static double mem_at_limit(const struct gb *gb)
{
	double s = 0, lim;
	size_t i;

	if (!isfinite(gb->o->sum.mem_limit))
		return NAN;
	for (i = 1; i < gb->n; i++) {
		lim = last_finite(gb, SV_RES_MEM_LIMIT, i);
		if (isfinite(lim) && mem_at(gb, i, lim))
			s += (double)(gb->ts[i] - gb->ts[i - 1]) / 1e9;
	}
	return s;
}

static int64_t gone_after(const struct bld *b, int64_t last)
{
	size_t lo = 0, hi = b->nsnaps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->snaps[mid] <= last)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < b->nsnaps ? b->snaps[lo] : SV_TIME_NONE;
}

static void summarize(struct gb *gb)
{
	struct sv_res_summary *s = &gb->o->sum;
	double top;
	int m;

	for (m = 0; m < SV_RES_NMETRICS; m++)
		stat_of(gb, m, &s->m[m]);
	s->first_ns = gb->n ? gb->ts[0] : SV_TIME_NONE;
	s->last_ns = gb->n ? gb->ts[gb->n - 1] : SV_TIME_NONE;
	s->gone_ns = gb->n ? gone_after(gb->b, s->last_ns) : SV_TIME_NONE;
	s->cpu_limit = gb->n ? last_finite(gb, SV_RES_CPU_LIMIT, gb->n - 1)
			     : NAN;
	s->mem_limit = gb->n ? last_finite(gb, SV_RES_MEM_LIMIT, gb->n - 1)
			     : NAN;
	s->cpu_at_limit_s = cpu_at_limit(gb);
	s->mem_at_limit_s = mem_at_limit(gb);
	top = s->m[SV_RES_MEM_USAGE].peak;
	if (s->m[SV_RES_MEM_PEAK].n && !(top >= s->m[SV_RES_MEM_PEAK].peak))
		top = s->m[SV_RES_MEM_PEAK].peak;
	s->mem_peak_ratio = isfinite(s->mem_limit) && s->mem_limit > 0
				    ? top / s->mem_limit
				    : NAN;
	s->oom_kills = sum_of(gb, SV_RES_MEM_OOM_KILLS);
	s->mem_failures = sum_of(gb, SV_RES_MEM_FAILURES);
	s->pids_failures = sum_of(gb, SV_RES_PIDS_FAILURES);
	s->thr_periods = sum_of(gb, SV_RES_CPU_THR_PERIODS);
	s->resets = gb->resets;
}

/* ---- events ---- */

/* "memory.oom_control oom_kill", "memory.failcnt", "cpuacct.stat". */
static void src_label(enum sv_res_raw k, char *buf, size_t n)
{
	const struct sv_res_src *s = &sv_res_srcs[k];

	if (s->key[0] && s->key[0] != '*')
		snprintf(buf, n, "%s %s", s->file, s->key);
	else
		snprintf(buf, n, "%s", s->file);
}

/* "between <full time> and <time of day, or full on another day>". */
static void window_text(int64_t lo, int64_t hi, char *buf, size_t n)
{
	char a[SV_TIME_TEXT_MAX], b[SV_TIME_TEXT_MAX];
	const char *tb = b;

	sv_time_format(lo, a);
	sv_time_format(hi, b);
	if (!strncmp(a, b, 11) && b[10] == 'T')
		tb = b + 11;
	snprintf(buf, n, "between %s and %s", a, tb);
}

static const char *artifact_of(struct gb *gb, enum sv_res_raw k, size_t i)
{
	const struct sv_res_snap *s = sv_res_snap_find(gb->b->r, gb->ts[i]);
	const char *tail = gb->g->raw[k].tail ? gb->g->raw[k].tail : "";
	char buf[2 * SV_RES_PATH_MAX + 2];

	snprintf(buf, sizeof(buf), "%s%s",
		 s && s->prefix && !gb->g->raw[k].tail_whole ? s->prefix : "",
		 tail);
	return sv_res_clean(gb->b->arena, buf, strlen(buf));
}

/* A new event of the group for interval (ts[lo], ts[hi]], or NULL. */
static struct sv_event *add_event(struct gb *gb, const char *kind,
				  enum sv_res_raw k, size_t lo, size_t hi,
				  const char *msg)
{
	struct bld *b = gb->b;
	struct sv_event *e;

	if (b->nev >= b->r->lim.max_events) {
		b->dropped++;
		return NULL;
	}
	if (b->nev == b->capev) {
		size_t nc = b->capev ? b->capev * 2 : 64;
		void *p = realloc(b->ev, nc * sizeof(*b->ev));

		if (!p)
			goto nomem;
		b->ev = p;
		b->capev = nc;
	}
	e = sv_arena_alloc(b->arena, sizeof(*e));
	if (!e || !(e->message = sv_arena_strdup(b->arena, msg)) ||
	    !(e->artifact = artifact_of(gb, k, hi)))
		goto nomem;
	e->ts_ns = gb->ts[lo];
	e->ts_hi_ns = gb->ts[hi];
	e->kind = kind;
	e->source = SV_SRC_CGROUP;
	e->line = gb->al[k].line[hi];
	e->container_id = gb->o->container_id;
	e->pid = -1;
	b->ev[b->nev++] = e;
	return e;
nomem:
	b->nomem = 1;
	return NULL;
}

/* A counter's rise over present samples [first, last] of a run. */
static void counter_event(struct gb *gb, enum sv_res_metric m,
			  const char *kind, size_t first, size_t last,
			  int reset)
{
	enum sv_res_raw k = gb->pick[m];
	const struct al *a = &gb->al[k];
	size_t lo = a->prev[first] - 1;
	char label[96], win[160], extra[96] = "", msg[MSG_MAX];
	double lim = NAN;

	src_label(k, label, sizeof(label));
	window_text(gb->ts[lo], gb->ts[last], win, sizeof(win));
	if (m == SV_RES_MEM_FAILURES || m == SV_RES_MEM_OOM_KILLS)
		lim = last_finite(gb, SV_RES_MEM_LIMIT, last);
	else if (m == SV_RES_PIDS_FAILURES)
		lim = last_finite(gb, SV_RES_PIDS_MAX, last);
	if (isfinite(lim))
		snprintf(extra, sizeof(extra), " (%s %.0f)",
			 m == SV_RES_PIDS_FAILURES ? "pids.max"
						   : "memory limit",
			 lim);
	snprintf(msg, sizeof(msg), "%s %llu -> %llu%s %s%s", label,
		 (unsigned long long)a->v[lo], (unsigned long long)a->v[last],
		 reset ? " (counter reset: the cgroup was recreated)" : "",
		 win, extra);
	add_event(gb, kind, k, lo, last, msg);
}

/* Events of a counter: one per interval (oom) or per run of intervals;
 * a reset interval is an event of its own. */
static void counter_events(struct gb *gb, enum sv_res_metric m,
			   const char *kind, int merge)
{
	const struct al *a;
	size_t i, first = 0, end = 0;
	int in_run = 0, rc;
	uint64_t d = 0;

	if (!gb->v[m])
		return;
	a = &gb->al[gb->pick[m]];
	for (i = 0; i < gb->n; i++) {
		if (!a->has[i])
			continue;
		rc = delta(a, i, &d);
		if (rc == 0 && d && in_run && merge) {
			end = i;
			continue;
		}
		if (in_run)
			counter_event(gb, m, kind, first, end, 0);
		in_run = 0;
		if (rc == 1 && d) {
			counter_event(gb, m, kind, i, i, 1);
		} else if (rc == 0 && d) {
			first = end = i;
			in_run = 1;
		}
	}
	if (in_run)
		counter_event(gb, m, kind, first, end, 0);
}

/* Throttled enough in (prev, i]? -1 unknown, else 0 / 1. */
static int throttled(const struct gb *gb, size_t i)
{
	const double *sh = gb->v[SV_RES_CPU_THR_SHARE];
	const double *t = gb->v[SV_RES_CPU_THROTTLED];

	if (sh && isfinite(sh[i]))
		return sh[i] >= SV_RES_THROTTLE_SHARE;
	if (sh && gb->al[gb->pick[SV_RES_CPU_THR_SHARE]].has[i])
		return -1;   /* periods known, this interval not: a reset */
	if (t && isfinite(t[i]))
		return t[i] >= SV_RES_THROTTLE_SHARE;
	return -1;
}

/* Sums over the run [first, end] for the throttle message. */
static void thr_sums(const struct gb *gb, size_t first, size_t end,
		     uint64_t *thr, uint64_t *per, double *secs)
{
	const double *t = gb->v[SV_RES_CPU_THROTTLED];
	enum sv_res_raw k = gb->pick[SV_RES_CPU_THR_SHARE];
	size_t i;
	uint64_t d;

	*thr = *per = 0;
	*secs = 0;
	for (i = first; i <= end; i++) {
		if (k != R_NONE && !delta(&gb->al[k], i, &d))
			*thr += d;
		if (k != R_NONE &&
		    !delta(&gb->al[gb->pick2[SV_RES_CPU_THR_SHARE]], i, &d))
			*per += d;
		if (t && isfinite(t[i]) && gb->al[gb->pick[
		    SV_RES_CPU_THROTTLED]].prev[i])
			*secs += t[i] * dt_s(gb, &gb->al[gb->pick[
				SV_RES_CPU_THROTTLED]], i);
	}
}

static void throttle_event(struct gb *gb, size_t first, size_t end)
{
	enum sv_res_raw k = gb->pick[SV_RES_CPU_THR_SHARE];
	char win[160], lim[64] = "", msg[MSG_MAX];
	uint64_t thr, per;
	double secs, cl;
	size_t lo;

	if (k == R_NONE || !gb->al[k].has[end] || !gb->al[k].prev[first])
		k = gb->pick[SV_RES_CPU_THROTTLED];
	if (k == R_NONE || !gb->al[k].prev[first] || !gb->al[k].has[end])
		return;
	lo = gb->al[k].prev[first] - 1;
	thr_sums(gb, first, end, &thr, &per, &secs);
	window_text(gb->ts[lo], gb->ts[end], win, sizeof(win));
	cl = last_finite(gb, SV_RES_CPU_LIMIT, end);
	if (isfinite(cl))
		snprintf(lim, sizeof(lim), " (cpu limit %.2f cores)", cl);
	if (per)
		snprintf(msg, sizeof(msg),
			 "cpu.stat nr_throttled +%llu of %llu CFS periods "
			 "(%.0f%%), %.3f s throttled, %s%s",
			 (unsigned long long)thr, (unsigned long long)per,
			 100.0 * (double)thr / (double)per, secs, win, lim);
	else
		snprintf(msg, sizeof(msg), "cpu.stat %s: %.3f s throttled "
			 "in %.3f s, %s%s", sv_res_srcs[k].key, secs,
			 (double)(gb->ts[end] - gb->ts[lo]) / 1e9, win, lim);
	add_event(gb, SV_EV_RESOURCE_THROTTLE, k, lo, end, msg);
}

static void throttle_events(struct gb *gb)
{
	size_t i, first = 0, end = 0;
	int in_run = 0, q;

	for (i = 0; i < gb->n; i++) {
		q = throttled(gb, i);
		if (q < 0)
			continue;
		if (q && in_run) {
			end = i;
		} else if (q) {
			first = end = i;
			in_run = 1;
		} else if (in_run) {
			throttle_event(gb, first, end);
			in_run = 0;
		}
	}
	if (in_run)
		throttle_event(gb, first, end);
}

static void group_events(struct gb *gb)
{
	counter_events(gb, SV_RES_MEM_OOM_KILLS, SV_EV_RESOURCE_OOM, 0);
	counter_events(gb, SV_RES_MEM_FAILURES, SV_EV_RESOURCE_MEM_FAIL, 1);
	counter_events(gb, SV_RES_PIDS_FAILURES, SV_EV_RESOURCE_PIDS_MAX, 1);
	throttle_events(gb);
}

/* ---- groups ---- */

static void build_group(struct bld *b, struct sv_res_grp *g,
			struct sv_res_group *o)
{
	struct gb gb;
	int k, rc = 0;

	memset(&gb, 0, sizeof(gb));
	gb.b = b;
	gb.g = g;
	gb.o = o;
	for (k = 0; k < R_COUNT; k++)
		settle(&g->raw[k]);
	rc = make_axis(&gb);
	for (k = 0; !rc && k < R_COUNT; k++)
		if (g->raw[k].n)
			rc = align(&gb, k);
	if (!rc && gb.n)
		rc = fill_metrics(&gb);
	if (!rc) {
		o->n = gb.n;
		o->ts_ns = gb.ts;
		summarize(&gb);
		if (gb.n && ((o->container_id && o->primary) ||
			     (!o->container_id && !o->has_children)))
			group_events(&gb);
	}
	if (rc)
		b->nomem = 1;
	b->resets += gb.resets;
	for (k = 0; k < R_COUNT; k++)
		al_free(&gb.al[k]);
}

/* ---- the result ---- */

static int cmp_out(const void *x, const void *y)
{
	const struct sv_res_group *a = *(const struct sv_res_group *const *)x;
	const struct sv_res_group *b = *(const struct sv_res_group *const *)y;
	int pa = a->primary && a->container_id;
	int pb = b->primary && b->container_id;

	if (pa != pb)
		return pb - pa;
	if (pa && a->sum.first_ns != b->sum.first_ns)
		return a->sum.first_ns < b->sum.first_ns ? -1 : 1;
	return strcmp(a->cgroup, b->cgroup);
}

static int cmp_str0(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_event(const void *x, const void *y)
{
	const struct sv_event *a = *(const struct sv_event *const *)x;
	const struct sv_event *b = *(const struct sv_event *const *)y;
	int c;

	if (a->ts_ns != b->ts_ns)
		return a->ts_ns < b->ts_ns ? -1 : 1;
	if (a->ts_hi_ns != b->ts_hi_ns)
		return a->ts_hi_ns < b->ts_hi_ns ? -1 : 1;
	c = strcmp(a->kind, b->kind);
	if (!c)
		c = cmp_str0(a->container_id, b->container_id);
	return c ? c : cmp_str0(a->artifact, b->artifact);
}

/* Link the groups in report order; 0 or -1. */
static int link_groups(struct sv_res_group *arr, size_t n,
		       struct sv_resources_result *out)
{
	struct sv_res_group **p = calloc(n, sizeof(*p));
	size_t i;

	if (!p)
		return -1;
	for (i = 0; i < n; i++)
		p[i] = &arr[i];
	qsort(p, n, sizeof(*p), cmp_out);
	for (i = 0; i < n; i++) {
		p[i]->next = i + 1 < n ? p[i + 1] : NULL;
	}
	out->groups = p[0];
	out->n_groups = n;
	free(p);
	return 0;
}

static void link_events(struct bld *b, struct sv_resources_result *out)
{
	size_t i;

	if (!b->nev)
		return;
	qsort(b->ev, b->nev, sizeof(*b->ev), cmp_event);
	for (i = 0; i < b->nev; i++)
		b->ev[i]->next = i + 1 < b->nev ? b->ev[i + 1] : NULL;
	out->events = b->ev[0];
	out->n_events = b->nev;
}

/* Every snapshot time, sorted (for gone_ns); 0 or -1. */
static int all_snaps(struct bld *b)
{
	size_t i;

	if (!b->r->nsnap)
		return 0;
	b->snaps = malloc(b->r->nsnap * sizeof(*b->snaps));
	if (!b->snaps)
		return -1;
	for (i = 0; i < b->r->nsnap; i++)
		b->snaps[i] = b->r->snaps[i].ts;
	b->nsnaps = b->r->nsnap;
	qsort(b->snaps, b->nsnaps, sizeof(*b->snaps), cmp_i64);
	return 0;
}

void sv_resources_build(struct sv_resources *r,
			struct sv_resources_result *out)
{
	struct sv_res_group *arr = NULL;
	struct bld b;
	size_t i;

	memset(out, 0, sizeof(*out));
	memset(&b, 0, sizeof(b));
	b.r = r;
	b.arena = r->arena;
	if (r->ngrp)
		arr = sv_arena_calloc(r->arena, r->ngrp, sizeof(*arr));
	if ((r->ngrp && !arr) || all_snaps(&b) ||
	    (r->ngrp && sv_res_mark_groups(r, arr))) {
		b.nomem = 1;
	} else {
		for (i = 0; i < r->ngrp; i++)
			build_group(&b, r->grps[i], &arr[i]);
		if (r->ngrp && link_groups(arr, r->ngrp, out))
			b.nomem = 1;
		link_events(&b, out);
	}
	out->stats = r->st;
	out->stats.groups = r->ngrp;
	out->stats.containers = 0;
	for (i = 0; arr && i < r->ngrp; i++)
		out->stats.containers += arr[i].primary &&
					 arr[i].container_id;
	out->stats.snapshots = r->nsnap;
	out->stats.resets = b.resets;
	out->stats.events = b.nev;
	out->stats.events_dropped = b.dropped;
	out->stats.nomem = (uint64_t)b.nomem;
	free(b.ev);
	free(b.snaps);
}
