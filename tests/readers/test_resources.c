/*
 * test_resources.c - analyzer/sv_resources: per-cgroup resource series,
 * summaries and resource.* events.
 *
 * Unit cases feed synthetic SV_REC_CGROUP_VALUE records (as fmt_cgroup
 * emits them: cgroup path, controller folder or "" for v2, file, subject,
 * key, value, is_max, line) and check every series value against the
 * arithmetic on the fed numbers: rates, resets, gaps, v1 and v2, "max",
 * out-of-order snapshots, duplicates, the hierarchy rules, the caps and
 * the events (window, artifact, line, message). Real files and the
 * sample bundle are in test_resources_real.c.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_arena.h"
#include "sv_resources.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MS 1000000LL
#define SEC 1000000000LL
#define EPS 1e-9

#define ID_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ID_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define PA "libpod_parent/libpod-" ID_A
#define PB "system.slice/docker-" ID_B ".scope"
#define MAXV UINT64_MAX

/* ---------------------------------------------------- the fixture */

static struct sv_arena *g_arena;
static struct sv_resources *g_r;
static struct sv_resources_result g_res;

static void setup_lim(const struct sv_resources_limits *lim)
{
	g_arena = sv_arena_new(256ULL << 20);
	ck_assert_ptr_nonnull(g_arena);
	g_r = sv_resources_new_limits(g_arena, lim);
	ck_assert_ptr_nonnull(g_r);
	memset(&g_res, 0, sizeof(g_res));
}

static void setup(void)
{
	setup_lim(NULL);
}

static void teardown(void)
{
	sv_resources_free(g_r);
	sv_arena_free(g_arena);
	g_r = NULL;
	g_arena = NULL;
}

/*
 * One value of cgroup/<t>/<ctl>/<path>/<file> (ctl "" is v2), t in ms.
 * is_max: the file said "max" (value UINT64_MAX, as fmt_cgroup gives it).
 */
static void val(int64_t t, const char *ctl, const char *path,
		const char *file, const char *subject, const char *key,
		uint64_t v, uint64_t line)
{
	struct sv_record r;
	struct sv_error err;
	char art[512];

	snprintf(art, sizeof(art), "cgroup/%lld.%03lld/%s%s%s%s%s",
		 (long long)(t / 1000), (long long)(t % 1000), ctl,
		 ctl[0] ? "/" : "", path, path[0] ? "/" : "", file);
	memset(&r, 0, sizeof(r));
	r.type = SV_REC_CGROUP_VALUE;
	r.artifact = art;
	r.ts_ns = t * MS;
	r.line = line;
	r.u.cgroup.cgroup = path;
	r.u.cgroup.controller = ctl;
	r.u.cgroup.file = file;
	r.u.cgroup.subject = subject;
	r.u.cgroup.key = key;
	r.u.cgroup.value = v;
	r.u.cgroup.fvalue = (double)v;
	r.u.cgroup.is_max = v == MAXV;
	sv_error_clear(&err);
	ck_assert_int_eq(sv_resources_record(g_r, &r, &err), SV_OK);
}

/* A single-value v1 file / v2 file. */
static void v1(int64_t t, const char *ctl, const char *path,
	       const char *file, uint64_t v)
{
	val(t, ctl, path, file, "", "", v, 1);
}

static void v2(int64_t t, const char *path, const char *file, uint64_t v)
{
	val(t, "", path, file, "", "", v, 1);
}

static void build(void)
{
	sv_resources_build(g_r, &g_res);
	ck_assert_uint_eq(g_res.stats.nomem, 0);
}

static const struct sv_res_group *group(const char *path)
{
	const struct sv_res_group *g;

	for (g = g_res.groups; g; g = g->next)
		if (!strcmp(g->cgroup, path))
			return g;
	ck_abort_msg("no group %s", path);
	return NULL;
}

/* Series m of g equals want (NAN: a gap, INFINITY: no limit). */
static void series(const struct sv_res_group *g, enum sv_res_metric m,
		   const double *want, int n)
{
	int i;

	ck_assert_msg(g->v[m], "%s: no series", sv_res_metric_name(m));
	ck_assert_int_eq((int)g->n, n);
	for (i = 0; i < n; i++) {
		double x = g->v[m][i];

		if (isnan(want[i]))
			ck_assert_msg(isnan(x), "%s[%d] = %g, want a gap",
				      sv_res_metric_name(m), i, x);
		else if (isinf(want[i]))
			ck_assert_msg(isinf(x) && x > 0, "%s[%d] = %g, no inf",
				      sv_res_metric_name(m), i, x);
		else
			ck_assert_msg(fabs(x - want[i]) <= EPS * fabs(want[i]) +
					      EPS,
				      "%s[%d] = %.12g, want %.12g",
				      sv_res_metric_name(m), i, x, want[i]);
	}
}

static const struct sv_event *event_n(int k)
{
	const struct sv_event *e = g_res.events;

	while (e && k--)
		e = e->next;
	ck_assert_ptr_nonnull(e);
	return e;
}

static void has(const char *s, const char *part)
{
	ck_assert_msg(s && strstr(s, part), "\"%s\" lacks \"%s\"",
		      s ? s : "(null)", part);
}

/* ---------------------------------------------------- unit cases */

/* v1 cpuacct.usage (ns) over uneven intervals; gauges as they are. */
START_TEST(v1_rates_and_gauges)
{
	/* 0 -> 0.5 s of CPU in 1 s, then 1 s of CPU in 0.5 s */
	const double cores[] = {NAN, 0.5, 2.0};
	const double usage[] = {1000, 2000, 1500};
	const double rss[] = {700, 800, 900};
	const double lim[] = {INFINITY, INFINITY, 4096};
	const double pids[] = {1, 3, 2};
	const struct sv_res_group *g;

	v1(100000, "cpuacct", PA, "cpuacct.usage", 0);
	v1(101000, "cpuacct", PA, "cpuacct.usage", 500000000);
	v1(101500, "cpuacct", PA, "cpuacct.usage", 1500000000);
	v1(100000, "memory", PA, "memory.usage_in_bytes", 1000);
	v1(101000, "memory", PA, "memory.usage_in_bytes", 2000);
	v1(101500, "memory", PA, "memory.usage_in_bytes", 1500);
	v1(100000, "memory", PA, "memory.limit_in_bytes", MAXV);
	v1(101000, "memory", PA, "memory.limit_in_bytes", MAXV);
	v1(101500, "memory", PA, "memory.limit_in_bytes", 4096);
	/* rss 600 must lose to total_rss (the hierarchy's) */
	val(100000, "memory", PA, "memory.stat", "", "rss", 600, 2);
	val(100000, "memory", PA, "memory.stat", "", "total_rss", 700, 30);
	val(101000, "memory", PA, "memory.stat", "", "total_rss", 800, 30);
	val(101500, "memory", PA, "memory.stat", "", "total_rss", 900, 30);
	v1(100000, "pids", PA, "pids.current", 1);
	v1(101000, "pids", PA, "pids.current", 3);
	v1(101500, "pids", PA, "pids.current", 2);
	build();
	ck_assert_uint_eq(g_res.n_groups, 1);
	g = g_res.groups;
	ck_assert_str_eq(g->cgroup, PA);
	ck_assert_str_eq(g->container_id, ID_A);
	ck_assert_int_eq(g->runtime, SV_RT_PODMAN);
	ck_assert_int_eq(g->primary, 1);
	ck_assert_int_eq(g->v1, 1);
	ck_assert_int_eq(g->v2, 0);
	ck_assert_int_eq(g->ts_ns[0], 100 * SEC);
	ck_assert_int_eq(g->ts_ns[2], 101500 * MS);
	series(g, SV_RES_CPU_CORES, cores, 3);
	series(g, SV_RES_MEM_USAGE, usage, 3);
	series(g, SV_RES_MEM_RSS, rss, 3);
	series(g, SV_RES_MEM_LIMIT, lim, 3);
	series(g, SV_RES_PIDS, pids, 3);
	ck_assert_str_eq(g->src[SV_RES_CPU_CORES], "cpuacct.usage");
	ck_assert_str_eq(g->src[SV_RES_MEM_RSS], "memory.stat");
	ck_assert_ptr_null(g->v[SV_RES_IO_READ]);
	ck_assert_ptr_null(g->v[SV_RES_CPU_THROTTLED]);
	/* summary: mean of the finite samples, peak and when */
	ck_assert_double_eq_tol(g->sum.m[SV_RES_CPU_CORES].peak, 2.0, EPS);
	ck_assert_double_eq_tol(g->sum.m[SV_RES_CPU_CORES].mean, 1.25, EPS);
	ck_assert_uint_eq(g->sum.m[SV_RES_CPU_CORES].n, 2);
	ck_assert_int_eq(g->sum.m[SV_RES_CPU_CORES].peak_ns, 101500 * MS);
	ck_assert_double_eq_tol(g->sum.m[SV_RES_MEM_USAGE].mean, 1500, EPS);
	ck_assert_double_eq_tol(g->sum.mem_limit, 4096, EPS);
	ck_assert_double_eq_tol(g->sum.mem_peak_ratio, 2000.0 / 4096, EPS);
	ck_assert(isnan(g->sum.cpu_limit));
	ck_assert(isnan(g->sum.cpu_at_limit_s));
	ck_assert_int_eq(g->sum.first_ns, 100 * SEC);
	ck_assert_int_eq(g->sum.last_ns, 101500 * MS);
	ck_assert_int_eq(g->sum.gone_ns, INT64_MIN);
	ck_assert_ptr_eq(sv_resources_find(&g_res, ID_A), g);
	ck_assert_ptr_null(sv_resources_find(&g_res, ID_B));
	ck_assert_ptr_null(g_res.events);
	ck_assert_uint_eq(g_res.stats.containers, 1);
	ck_assert_uint_eq(g_res.stats.snapshots, 3);
}
END_TEST

/*
 * A counter that goes down is a reset: no rate for that interval, the
 * next one measures from the new value. A missing file is a gap, and the
 * next present sample measures from the last present one.
 */
START_TEST(reset_and_gap)
{
	const double cores[] = {NAN, 1.0, NAN, 0.5, NAN, 0.25};
	const double usage[] = {10, 20, 30, NAN, 50, 60};
	const double oom[] = {NAN, 0, 1, 0, NAN, 1};
	const struct sv_res_group *g;
	const struct sv_event *e;
	int t;

	/* cpu: 5 s, 6 s, (reset) 1 s, 1.5 s, missing, 2 s */
	const uint64_t cpu[] = {5, 6, 1, 0, 0, 0};

	for (t = 0; t < 3; t++)
		v1(10000 + 1000 * t, "cpuacct", PA, "cpuacct.usage",
		   cpu[t] * SEC);
	v1(13000, "cpuacct", PA, "cpuacct.usage", 1500000000);
	v1(15000, "cpuacct", PA, "cpuacct.usage", 2000000000);
	for (t = 0; t < 6; t++)
		if (t != 3)
			v1(10000 + 1000 * t, "memory", PA,
			   "memory.usage_in_bytes", 10 * (uint64_t)(t + 1));
	/* oom_kill 3, 3, (recreated) 1, 1, missing, 2 */
	val(10000, "memory", PA, "memory.oom_control", "", "oom_kill", 3, 3);
	val(11000, "memory", PA, "memory.oom_control", "", "oom_kill", 3, 3);
	val(12000, "memory", PA, "memory.oom_control", "", "oom_kill", 1, 3);
	val(13000, "memory", PA, "memory.oom_control", "", "oom_kill", 1, 3);
	val(15000, "memory", PA, "memory.oom_control", "", "oom_kill", 2, 3);
	build();
	g = group(PA);
	series(g, SV_RES_CPU_CORES, cores, 6);
	series(g, SV_RES_MEM_USAGE, usage, 6);
	series(g, SV_RES_MEM_OOM_KILLS, oom, 6);
	ck_assert_uint_eq(g->sum.oom_kills, 2);
	ck_assert_uint_eq(g->sum.resets, 2);   /* cpu and oom_kill */
	ck_assert_uint_eq(g_res.stats.resets, 2);
	ck_assert_uint_eq(g_res.n_events, 2);
	e = event_n(0);
	ck_assert_str_eq(e->kind, SV_EV_RESOURCE_OOM);
	ck_assert_int_eq(e->ts_ns, 11 * SEC);
	ck_assert_int_eq(e->ts_hi_ns, 12 * SEC);
	has(e->message, "memory.oom_control oom_kill 3 -> 1 (counter reset");
	has(e->message, "between 1970-01-01T00:00:11.000Z and 00:00:12.000Z");
	e = event_n(1);
	ck_assert_int_eq(e->ts_ns, 13 * SEC);   /* the gap at 14 s */
	ck_assert_int_eq(e->ts_hi_ns, 15 * SEC);
	has(e->message, "memory.oom_control oom_kill 1 -> 2 between");
	ck_assert_str_eq(e->artifact,
			 "cgroup/15.000/memory/" PA "/memory.oom_control");
	ck_assert_uint_eq(e->line, 3);
	ck_assert_str_eq(e->container_id, ID_A);
	ck_assert_int_eq(e->pid, -1);
	ck_assert_int_eq(e->source, SV_SRC_CGROUP);
}
END_TEST

/* cgroup v2: every file the module reads, "max" values, devices summed. */
START_TEST(v2_files)
{
	const double cores[] = {NAN, 1.5};
	const double thr[] = {NAN, 0.2};
	const double thrp[] = {NAN, 20};
	const double share[] = {NAN, 0.2};
	const double qlim[] = {0.5, 0.5};
	const double cur[] = {4096, 8192};
	const double anon[] = {1000, 3000};
	const double file[] = {500, 400};
	const double mmax[] = {INFINITY, 1 << 20};
	const double fails[] = {NAN, 2};
	const double rd[] = {NAN, 1500};
	const double wr[] = {NAN, 30};
	const double pmax[] = {INFINITY, 100};
	const struct sv_res_group *g;
	int t;

	for (t = 0; t < 2; t++) {
		int64_t ms = 20000 + 2000 * t;

		val(ms, "", PB, "cpu.stat", "", "usage_usec",
		    1000000 + 3000000 * (uint64_t)t, 1);
		val(ms, "", PB, "cpu.stat", "", "nr_periods",
		    100 + 100 * (uint64_t)t, 4);
		val(ms, "", PB, "cpu.stat", "", "nr_throttled",
		    10 + 20 * (uint64_t)t, 5);
		val(ms, "", PB, "cpu.stat", "", "throttled_usec",
		    400000 * (uint64_t)t, 6);
		val(ms, "", PB, "cpu.max", "", "quota", 50000, 1);
		val(ms, "", PB, "cpu.max", "", "period", 100000, 1);
		v2(ms, PB, "memory.current", 4096 << t);
		val(ms, "", PB, "memory.stat", "", "anon", t ? 3000 : 1000, 1);
		val(ms, "", PB, "memory.stat", "", "file", t ? 400 : 500, 2);
		v2(ms, PB, "memory.max", t ? 1 << 20 : MAXV);
		val(ms, "", PB, "memory.events", "", "max", 5 + 2 * (uint64_t)t,
		    3);
		val(ms, "", PB, "io.stat", "8:0", "rbytes", 1000 * (uint64_t)t,
		    1);
		val(ms, "", PB, "io.stat", "8:0", "wbytes", 60 * (uint64_t)t,
		    1);
		val(ms, "", PB, "io.stat", "8:16", "rbytes",
		    7 + 2000 * (uint64_t)t, 2);
		val(ms, "", PB, "io.stat", "8:16", "wbytes", 0, 2);
		v2(ms, PB, "pids.current", 3);
		v2(ms, PB, "pids.max", t ? 100 : MAXV);
	}
	build();
	g = group(PB);
	ck_assert_str_eq(g->container_id, ID_B);
	ck_assert_int_eq(g->runtime, SV_RT_DOCKER);
	ck_assert_int_eq(g->v2, 1);
	ck_assert_int_eq(g->v1, 0);
	series(g, SV_RES_CPU_CORES, cores, 2);
	series(g, SV_RES_CPU_THROTTLED, thr, 2);
	series(g, SV_RES_CPU_THR_PERIODS, thrp, 2);
	series(g, SV_RES_CPU_THR_SHARE, share, 2);
	series(g, SV_RES_CPU_LIMIT, qlim, 2);
	series(g, SV_RES_MEM_USAGE, cur, 2);
	series(g, SV_RES_MEM_RSS, anon, 2);
	series(g, SV_RES_MEM_CACHE, file, 2);
	series(g, SV_RES_MEM_LIMIT, mmax, 2);
	series(g, SV_RES_MEM_FAILURES, fails, 2);
	series(g, SV_RES_IO_READ, rd, 2);
	series(g, SV_RES_IO_WRITE, wr, 2);
	series(g, SV_RES_PIDS_MAX, pmax, 2);
	ck_assert_str_eq(g->src[SV_RES_IO_READ], "io.stat");
	/* 1.5 cores used against 0.5 allowed: the whole interval */
	ck_assert_double_eq_tol(g->sum.cpu_limit, 0.5, EPS);
	ck_assert_double_eq_tol(g->sum.cpu_at_limit_s, 2.0, EPS);
	ck_assert_uint_eq(g->sum.thr_periods, 20);
	/* failures in (20 s, 22 s]: at the memory limit for 2 s */
	ck_assert_double_eq_tol(g->sum.mem_at_limit_s, 2.0, EPS);
	ck_assert_uint_eq(g->sum.mem_failures, 2);
	/* 20 of 100 periods is under SV_RES_THROTTLE_SHARE: no throttle */
	ck_assert_uint_eq(g_res.n_events, 1);
	ck_assert_str_eq(event_n(0)->kind, SV_EV_RESOURCE_MEM_FAIL);
	ck_assert_str_eq(event_n(0)->message,
			 "memory.events max 5 -> 7 between "
			 "1970-01-01T00:00:20.000Z and 00:00:22.000Z "
			 "(memory limit 1048576)");
	ck_assert_str_eq(event_n(0)->artifact,
			 "cgroup/22.000/" PB "/memory.events");
}
END_TEST

/* "max" in a counter is not a number: ignored, never a huge delta. */
START_TEST(max_in_counter)
{
	const double cores[] = {NAN, NAN, 1.0};
	const struct sv_res_group *g;

	v1(1000, "cpuacct", PA, "cpuacct.usage", 0);
	v1(2000, "cpuacct", PA, "cpuacct.usage", MAXV);
	v1(3000, "cpuacct", PA, "cpuacct.usage", 2 * SEC);
	v1(2000, "pids", PA, "pids.current", 1);
	/* cpu.cfs_quota_us -1 is "max": no CPU limit */
	v1(1000, "cpu", PA, "cpu.cfs_quota_us", MAXV);
	v1(1000, "cpu", PA, "cpu.cfs_period_us", 100000);
	build();
	g = group(PA);
	series(g, SV_RES_CPU_CORES, cores, 3);
	ck_assert(isinf(g->v[SV_RES_CPU_LIMIT][0]));
	ck_assert(isnan(g->v[SV_RES_CPU_LIMIT][1]));
	ck_assert(isnan(g->sum.cpu_limit));
	ck_assert_uint_eq(g_res.stats.ignored, 1);
	ck_assert_uint_eq(g_res.stats.resets, 0);
}
END_TEST

struct ooo_case {
	int order[4];
};

static const struct ooo_case ooo_cases[] = {
	{{0, 1, 2, 3}}, {{3, 2, 1, 0}}, {{2, 0, 3, 1}}, {{1, 3, 0, 2}},
};

/* Snapshots in any order give the same series and events. */
START_TEST(out_of_order)
{
	const double cores[] = {NAN, 0.25, 0.5, 1.0};
	const double fails[] = {NAN, 0, 4, 6};
	const uint64_t cpu[] = {0, 250, 750, 1750};   /* ms of CPU */
	const uint64_t fc[] = {1, 1, 5, 11};
	const struct sv_res_group *g;
	int i;

	for (i = 0; i < 4; i++) {
		int t = ooo_cases[_i].order[i];

		v1(50000 + 1000 * t, "cpuacct", PA, "cpuacct.usage",
		   cpu[t] * MS);
		v1(50000 + 1000 * t, "memory", PA, "memory.failcnt", fc[t]);
	}
	build();
	g = group(PA);
	series(g, SV_RES_CPU_CORES, cores, 4);
	series(g, SV_RES_MEM_FAILURES, fails, 4);
	/* two rising intervals in a row: one event over both */
	ck_assert_uint_eq(g_res.n_events, 1);
	ck_assert_str_eq(event_n(0)->kind, SV_EV_RESOURCE_MEM_FAIL);
	ck_assert_int_eq(event_n(0)->ts_ns, 51 * SEC);
	ck_assert_int_eq(event_n(0)->ts_hi_ns, 53 * SEC);
	has(event_n(0)->message, "memory.failcnt 1 -> 11 between");
	ck_assert_str_eq(event_n(0)->artifact,
			 "cgroup/53.000/memory/" PA "/memory.failcnt");
}
END_TEST

/* A file read twice for one snapshot: the later copy wins. */
START_TEST(duplicate_copy)
{
	const double usage[] = {300, 100};
	const double rd[] = {NAN, 10};

	v1(1000, "memory", PA, "memory.usage_in_bytes", 200);
	v1(1000, "memory", PA, "memory.usage_in_bytes", 300);
	v1(2000, "memory", PA, "memory.usage_in_bytes", 100);
	/* blkio: two devices summed; a second copy restarts at line 1 */
	val(1000, "blkio", PA, "blkio.throttle.io_service_bytes", "8:0",
	    "Read", 5, 1);
	val(1000, "blkio", PA, "blkio.throttle.io_service_bytes", "8:16",
	    "Read", 5, 6);
	val(2000, "blkio", PA, "blkio.throttle.io_service_bytes", "8:0",
	    "Read", 7, 1);
	val(2000, "blkio", PA, "blkio.throttle.io_service_bytes", "8:16",
	    "Read", 13, 6);
	val(2000, "blkio", PA, "blkio.throttle.io_service_bytes", "8:0",
	    "Read", 7, 1);
	val(2000, "blkio", PA, "blkio.throttle.io_service_bytes", "8:16",
	    "Read", 13, 6);
	build();
	series(group(PA), SV_RES_MEM_USAGE, usage, 2);
	series(group(PA), SV_RES_IO_READ, rd, 2);
}
END_TEST

/* A blkio file with only "Total 0" says no I/O: zeros, not gaps. */
START_TEST(blkio_total_only)
{
	const double zero[] = {NAN, 0, 0};
	int t;

	for (t = 0; t < 3; t++)
		val(1000 * (t + 1), "blkio", PA,
		    "blkio.throttle.io_service_bytes", "", "Total", 0, 1);
	/* a per-device Total line is not the file's grand total */
	val(1000, "blkio", PB, "blkio.throttle.io_service_bytes", "8:0",
	    "Total", 9, 5);
	build();
	series(group(PA), SV_RES_IO_READ, zero, 3);
	series(group(PA), SV_RES_IO_WRITE, zero, 3);
	ck_assert_uint_eq(g_res.n_groups, 1);
}
END_TEST

/* Hybrid host: v1 controllers win over unified/ for the same metric. */
START_TEST(hybrid_prefers_v1)
{
	const double cores[] = {NAN, 1.0};
	const struct sv_res_group *g;

	v1(1000, "cpuacct", PA, "cpuacct.usage", 0);
	v1(2000, "cpuacct", PA, "cpuacct.usage", SEC);
	val(1000, "", PA, "cpu.stat", "", "usage_usec", 0, 1);
	val(2000, "", PA, "cpu.stat", "", "usage_usec", 9000000, 1);
	/* cpuacct.stat (USER_HZ) is the last resort */
	val(1000, "cpuacct", PB, "cpuacct.stat", "", "user", 100, 1);
	val(1000, "cpuacct", PB, "cpuacct.stat", "", "system", 50, 2);
	val(3000, "cpuacct", PB, "cpuacct.stat", "", "user", 300, 1);
	val(3000, "cpuacct", PB, "cpuacct.stat", "", "system", 150, 2);
	build();
	g = group(PA);
	ck_assert_int_eq(g->v1, 1);
	ck_assert_int_eq(g->v2, 1);
	series(g, SV_RES_CPU_CORES, cores, 2);
	ck_assert_str_eq(g->src[SV_RES_CPU_CORES], "cpuacct.usage");
	g = group(PB);
	ck_assert_str_eq(g->src[SV_RES_CPU_CORES], "cpuacct.stat");
	ck_assert(isnan(g->v[SV_RES_CPU_CORES][0]));
	/* 150 -> 450 ticks of 10 ms: 3 s of CPU in 2 s */
	ck_assert_double_eq_tol(g->v[SV_RES_CPU_CORES][1], 1.5, EPS);
}
END_TEST

/*
 * Hierarchy: a container's shallowest folder is its primary group and
 * the only one giving its events; a parent (libpod_parent) holds its
 * children's counts (v2) and gives none; a conmon scope is the monitor,
 * not the container; a leaf outside any container gives its own.
 */
START_TEST(hierarchy)
{
	const char *sub = PA "/container";
	const char *conmon = "machine.slice/libpod-conmon-" ID_A ".scope";
	const char *svc = "system.slice/cron.service";
	const char *const paths[] = {PA, sub, "libpod_parent", conmon, svc};
	const struct sv_res_group *g;
	int i, t;

	for (i = 0; i < N(paths); i++)
		for (t = 0; t < 2; t++)
			val(1000 * (t + 1), "", paths[i], "pids.events", "",
			    "max", (uint64_t)t, 1);
	build();
	ck_assert_uint_eq(g_res.n_groups, 5);
	/* the container first, then the others by path */
	g = g_res.groups;
	ck_assert_str_eq(g->cgroup, PA);
	ck_assert_int_eq(g->primary, 1);
	ck_assert_int_eq(g->has_children, 1);
	g = group(sub);
	ck_assert_str_eq(g->container_id, ID_A);
	ck_assert_int_eq(g->primary, 0);
	ck_assert_int_eq(g->has_children, 0);
	g = group("libpod_parent");
	ck_assert_ptr_null(g->container_id);
	ck_assert_int_eq(g->has_children, 1);
	g = group(conmon);
	ck_assert_ptr_null(g->container_id);
	ck_assert_str_eq(g->monitor_of, ID_A);
	ck_assert_int_eq(g->primary, 0);
	ck_assert_uint_eq(g_res.stats.containers, 1);
	ck_assert_uint_eq(g_res.stats.groups, 5);
	/* events: the container (primary), the conmon and cron leaves;
	 * by time, kind, container (none first), artifact */
	ck_assert_uint_eq(g_res.n_events, 3);
	ck_assert_ptr_null(event_n(0)->container_id);
	ck_assert_str_eq(event_n(0)->artifact,
			 "cgroup/2.000/" "machine.slice/libpod-conmon-" ID_A
			 ".scope/pids.events");
	ck_assert_ptr_null(event_n(1)->container_id);
	ck_assert_str_eq(event_n(1)->artifact,
			 "cgroup/2.000/system.slice/cron.service/pids.events");
	ck_assert_str_eq(event_n(2)->container_id, ID_A);
	ck_assert_str_eq(event_n(2)->artifact,
			 "cgroup/2.000/" PA "/pids.events");
	for (i = 0; i < 3; i++) {
		ck_assert_str_eq(event_n(i)->kind, SV_EV_RESOURCE_PIDS_MAX);
		has(event_n(i)->message, "pids.events max 0 -> 1 between");
	}
}
END_TEST

/* Throttling: share of periods when known, else throttled s per s. */
START_TEST(throttle)
{
	/* v1 with periods: 50 of 100, 60 of 100, 0 of 100, 30 of 100 */
	const uint64_t per[] = {0, 100, 200, 300, 400};
	const uint64_t thr[] = {0, 50, 110, 110, 140};
	const struct sv_event *e;
	int t;

	for (t = 0; t < 5; t++) {
		int64_t ms = 1000 * (t + 1);

		val(ms, "cpu", PA, "cpu.stat", "", "nr_periods", per[t], 1);
		val(ms, "cpu", PA, "cpu.stat", "", "nr_throttled", thr[t], 2);
		val(ms, "cpu", PA, "cpu.stat", "", "throttled_time",
		    thr[t] * 10 * MS, 3);
		v1(ms, "cpu", PA, "cpu.cfs_quota_us", 20000);
		v1(ms, "cpu", PA, "cpu.cfs_period_us", 100000);
	}
	/* v2 without nr_periods: 0.3 s/s, then 0.1 s/s */
	val(1000, "", PB, "cpu.stat", "", "throttled_usec", 0, 5);
	val(2000, "", PB, "cpu.stat", "", "throttled_usec", 300000, 5);
	val(3000, "", PB, "cpu.stat", "", "throttled_usec", 400000, 5);
	build();
	ck_assert_uint_eq(g_res.n_events, 3);
	e = event_n(0);
	ck_assert_str_eq(e->kind, SV_EV_RESOURCE_THROTTLE);
	ck_assert_int_eq(e->ts_ns, 1 * SEC);
	ck_assert_int_eq(e->ts_hi_ns, 2 * SEC);
	ck_assert_str_eq(e->container_id, ID_B);
	has(e->message, "cpu.stat throttled_usec: 0.300 s throttled in "
			"1.000 s");
	e = event_n(1);
	ck_assert_int_eq(e->ts_ns, 1 * SEC);
	ck_assert_int_eq(e->ts_hi_ns, 3 * SEC);
	ck_assert_str_eq(e->container_id, ID_A);
	ck_assert_str_eq(e->message,
			 "cpu.stat nr_throttled +110 of 200 CFS periods (55%), "
			 "1.100 s throttled, between 1970-01-01T00:00:01.000Z "
			 "and 00:00:03.000Z (cpu limit 0.20 cores)");
	ck_assert_str_eq(e->artifact, "cgroup/3.000/cpu/" PA "/cpu.stat");
	ck_assert_uint_eq(e->line, 2);
	e = event_n(2);
	ck_assert_int_eq(e->ts_ns, 4 * SEC);
	ck_assert_int_eq(e->ts_hi_ns, 5 * SEC);
	has(e->message, "+30 of 100 CFS periods (30%)");
	ck_assert_uint_eq(group(PA)->sum.thr_periods, 140);
}
END_TEST

/* Memory at the limit: usage near it, or the high-water mark risen to
 * it between two snapshots; and the folder gone at a later snapshot. */
START_TEST(memory_limit_summary)
{
	const uint64_t use[] = {10, 50, 95, 40};
	const uint64_t peak[] = {10, 60, 95, 99};
	int t;

	for (t = 0; t < 4; t++) {
		v1(1000 * (t + 1), "memory", PA, "memory.usage_in_bytes",
		   use[t]);
		v1(1000 * (t + 1), "memory", PA, "memory.max_usage_in_bytes",
		   peak[t]);
		v1(1000 * (t + 1), "memory", PA, "memory.limit_in_bytes", 100);
	}
	/* another group seen at 5 s and 7 s: PA was gone at 5 s */
	v1(5000, "memory", PB, "memory.usage_in_bytes", 1);
	v1(7000, "memory", PB, "memory.usage_in_bytes", 1);
	build();
	/* (2, 3]: usage 95; (3, 4]: peak 95 -> 99 */
	ck_assert_double_eq_tol(group(PA)->sum.mem_at_limit_s, 2.0, EPS);
	ck_assert_double_eq_tol(group(PA)->sum.mem_peak_ratio, 0.99, EPS);
	ck_assert_int_eq(group(PA)->sum.gone_ns, 5 * SEC);
	ck_assert_int_eq(group(PB)->sum.gone_ns, INT64_MIN);
	ck_assert(isnan(group(PB)->sum.mem_at_limit_s));
	ck_assert_ptr_null(g_res.events);
}
END_TEST

/* Records of no use, or without a snapshot time, are only counted. */
START_TEST(ignored_records)
{
	struct sv_record r;
	struct sv_error err;

	memset(&r, 0, sizeof(r));
	r.type = SV_REC_PROC_STAT;
	sv_error_clear(&err);
	ck_assert_int_eq(sv_resources_record(g_r, &r, &err), SV_OK);
	r.type = SV_REC_CGROUP_VALUE;
	r.ts_ns = INT64_MIN;
	r.u.cgroup.cgroup = PA;
	r.u.cgroup.controller = "memory";
	r.u.cgroup.file = "memory.usage_in_bytes";
	r.u.cgroup.subject = r.u.cgroup.key = "";
	ck_assert_int_eq(sv_resources_record(g_r, &r, &err), SV_OK);
	v1(1000, "memory", PA, "memory.swappiness", 60);
	val(1000, "", PA, "cpu.pressure", "some", "avg10", 1, 1);
	build();
	ck_assert_uint_eq(g_res.stats.records, 3);
	ck_assert_uint_eq(g_res.stats.ignored, 3);
	ck_assert_uint_eq(g_res.stats.used, 0);
	ck_assert_uint_eq(g_res.n_groups, 0);
	ck_assert_ptr_null(g_res.groups);
}
END_TEST

/* A hostile folder name: shown with control bytes as '?', tab too. */
START_TEST(hostile_path)
{
	const char *path = "evil\t\x1b[2J\nsvc";

	val(1000, "pids", path, "pids.events", "", "max", 0, 1);
	val(2000, "pids", path, "pids.events", "", "max", 1, 1);
	build();
	ck_assert_str_eq(g_res.groups->cgroup, "evil??[2J?svc");
	ck_assert_uint_eq(g_res.n_events, 1);
	ck_assert_str_eq(event_n(0)->artifact,
			 "cgroup/2.000/pids/evil??[2J?svc/pids.events");
}
END_TEST

/* Caps: groups, samples per series, samples in all, events. */
START_TEST(caps)
{
	struct sv_resources_limits lim = {0};
	int t;

	teardown();
	lim.max_groups = 1;
	lim.max_per_series = 3;
	lim.max_events = 1;
	setup_lim(&lim);
	for (t = 0; t < 5; t++) {
		v1(1000 * (t + 1), "memory", PA, "memory.failcnt",
		   (uint64_t)(t % 2) * 5 + (uint64_t)t * 10);
		v1(1000 * (t + 1), "memory", PB, "memory.failcnt", 1);
	}
	build();
	ck_assert_uint_eq(g_res.n_groups, 1);
	ck_assert_uint_eq(g_res.stats.groups_dropped, 5);
	ck_assert_uint_eq(g_res.stats.samples, 3);
	ck_assert_uint_eq(g_res.stats.samples_dropped, 2);
	ck_assert_uint_eq(group(PA)->n, 3);
	/* 0, 15, 20: one run -> one event; the cap is not reached */
	ck_assert_uint_eq(g_res.n_events, 1);
	ck_assert_uint_eq(g_res.stats.events_dropped, 0);
}
END_TEST

START_TEST(event_cap)
{
	struct sv_resources_limits lim = {0};
	int t;

	teardown();
	lim.max_events = 2;
	setup_lim(&lim);
	/* oom_kill rises in each of 4 intervals: one event each, 2 kept */
	for (t = 0; t < 5; t++)
		val(1000 * (t + 1), "memory", PA, "memory.oom_control", "",
		    "oom_kill", (uint64_t)t, 3);
	build();
	ck_assert_uint_eq(g_res.n_events, 2);
	ck_assert_uint_eq(g_res.stats.events_dropped, 2);
	ck_assert_uint_eq(group(PA)->sum.oom_kills, 4);
}
END_TEST

/* The arena runs out while building: a partial result, flagged. */
START_TEST(build_nomem)
{
	uint64_t n;
	int t;

	for (t = 0; t < 4; t++) {
		v1(1000 * (t + 1), "memory", PA, "memory.failcnt",
		   (uint64_t)t);
		v1(1000 * (t + 1), "cpuacct", PB, "cpuacct.usage",
		   (uint64_t)t * SEC);
	}
	for (n = 1; n < 40; n++) {
		sv_arena_fail_after(g_arena, n);
		sv_resources_build(g_r, &g_res);
		sv_arena_fail_after(g_arena, 0);
		if (!g_res.stats.nomem)
			break;
		ck_assert_uint_le(g_res.n_events, 3);
	}
	ck_assert_uint_gt(n, 1);
	ck_assert_uint_lt(n, 40);
	ck_assert_uint_eq(g_res.n_groups, 2);
	ck_assert_uint_eq(g_res.n_events, 1);
}
END_TEST

/* Metric names and units are stable (reports use them). */
START_TEST(names)
{
	int m;

	for (m = 0; m < SV_RES_NMETRICS; m++) {
		ck_assert_str_ne(sv_res_metric_name(m), "?");
		ck_assert_str_ne(sv_res_metric_unit(m), "?");
	}
	ck_assert_str_eq(sv_res_metric_name(SV_RES_CPU_CORES), "cpu.cores");
	ck_assert_str_eq(sv_res_metric_unit(SV_RES_IO_READ), "bytes/s");
	ck_assert_int_eq(sv_res_metric_is_interval(SV_RES_MEM_USAGE), 0);
	ck_assert_int_eq(sv_res_metric_is_interval(SV_RES_MEM_OOM_KILLS), 1);
	ck_assert_str_eq(sv_res_metric_name(SV_RES_NMETRICS), "?");
}
END_TEST

static Suite *resources_suite(void)
{
	Suite *s = suite_create("resources");
	TCase *tc = tcase_create("unit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, v1_rates_and_gauges);
	tcase_add_test(tc, reset_and_gap);
	tcase_add_test(tc, v2_files);
	tcase_add_test(tc, max_in_counter);
	tcase_add_loop_test(tc, out_of_order, 0, N(ooo_cases));
	tcase_add_test(tc, duplicate_copy);
	tcase_add_test(tc, blkio_total_only);
	tcase_add_test(tc, hybrid_prefers_v1);
	tcase_add_test(tc, hierarchy);
	tcase_add_test(tc, throttle);
	tcase_add_test(tc, memory_limit_summary);
	tcase_add_test(tc, ignored_records);
	tcase_add_test(tc, hostile_path);
	tcase_add_test(tc, caps);
	tcase_add_test(tc, event_cap);
	tcase_add_test(tc, build_nomem);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(resources_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
