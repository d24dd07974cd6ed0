/*
 * fuzz_resources.c - libFuzzer target for the resource series
 * (analyzer/sv_resources.c, sv_resources_build.c).
 *
 * The input is a program: a flags byte, then one cgroup value per 6..20
 * bytes: group, source, snapshot, value, line and artifact shape. Groups,
 * sources and snapshots come from small tables so that they collide (a
 * nested container folder, a parent, a conmon scope, the root, every
 * (file, key) the module reads and some it must ignore); an index past
 * the group table reads a raw path from the input, one past the snapshot
 * table a raw 64-bit time. Flags: bit 0 small caps, bit 1 the arena fails
 * after a number of allocations (next byte).
 *
 * Oracles (abort()) besides the sanitizers:
 *   - sv_resources_record returns SV_OK (its tables are malloc'd: only
 *     a real out-of-memory could fail it);
 *   - the build reports nomem only when the arena was made to fail;
 *   - each group's times strictly ascend; gauges are >= 0 or NaN (+inf
 *     only for limits), interval values >= 0 and finite or NaN; one
 *     primary group per container id; monitor_of only without an id;
 *   - events: as many as n_events, at most the cap, in order, a window
 *     with ts_ns <= ts_hi_ns both some group's sample times, a known
 *     kind, a message and an artifact without control bytes, pid -1;
 *   - without arena failures a second build gives the same series and
 *     events (the build is deterministic and reentrant).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_arena.h"
#include "sv_cursor.h"
#include "sv_resources.h"

#define MAX_INPUT 65536u
#define MAX_OPS 4096
#define RAW_MAX 300
#define MS 1000000LL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define IB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static const char *const paths[] = {
	"libpod_parent/libpod-" IA, "libpod_parent/libpod-" IA "/container",
	"libpod_parent", "system.slice/docker-" IB ".scope",
	"machine.slice/libpod-conmon-" IA ".scope", "", "kubepods",
	"system.slice/cron.service",
};

/* controller folder ("" = v2), file, subject, key */
static const char *const srcs[][4] = {
	{"cpuacct", "cpuacct.usage", "", ""},
	{"", "cpu.stat", "", "usage_usec"},
	{"cpuacct", "cpuacct.stat", "", "user"},
	{"cpuacct", "cpuacct.stat", "", "system"},
	{"cpu", "cpu.stat", "", "throttled_time"},
	{"", "cpu.stat", "", "throttled_usec"},
	{"cpu", "cpu.stat", "", "nr_throttled"},
	{"", "cpu.stat", "", "nr_throttled"},
	{"cpu", "cpu.stat", "", "nr_periods"},
	{"", "cpu.stat", "", "nr_periods"},
	{"cpu", "cpu.cfs_quota_us", "", ""},
	{"cpu", "cpu.cfs_period_us", "", ""},
	{"", "cpu.max", "", "quota"},
	{"", "cpu.max", "", "period"},
	{"memory", "memory.usage_in_bytes", "", ""},
	{"", "memory.current", "", ""},
	{"memory", "memory.stat", "", "total_rss"},
	{"memory", "memory.stat", "", "rss"},
	{"", "memory.stat", "", "anon"},
	{"memory", "memory.stat", "", "cache"},
	{"", "memory.stat", "", "file"},
	{"memory", "memory.limit_in_bytes", "", ""},
	{"", "memory.max", "", ""},
	{"memory", "memory.max_usage_in_bytes", "", ""},
	{"", "memory.peak", "", ""},
	{"memory", "memory.failcnt", "", ""},
	{"", "memory.events", "", "max"},
	{"memory", "memory.oom_control", "", "oom_kill"},
	{"", "memory.events", "", "oom_kill"},
	{"blkio", "blkio.throttle.io_service_bytes", "8:0", "Read"},
	{"blkio", "blkio.throttle.io_service_bytes", "8:16", "Write"},
	{"blkio", "blkio.throttle.io_service_bytes", "", "Total"},
	{"blkio", "blkio.io_service_bytes", "8:0", "Read"},
	{"blkio", "blkio.io_service_bytes", "", "Total"},
	{"", "io.stat", "8:0", "rbytes"},
	{"", "io.stat", "8:16", "wbytes"},
	{"pids", "pids.current", "", ""},
	{"", "pids.max", "", ""},
	{"pids", "pids.events", "", "max"},
	{"memory", "memory.swappiness", "", ""},
	{"", "cpu.pressure", "some", "avg10"},
	{"blkio", "blkio.throttle.io_service_bytes", "8:0", "Total"},
};

#define NT(t) (sizeof(t) / sizeof((t)[0]))

struct fz {
	struct sv_cursor c;
	struct sv_resources *r;
	struct sv_arena *arena;
	int may_fail;
	uint64_t max_events;
	char raw[RAW_MAX + 1];
};

static uint8_t u8(struct fz *z)
{
	return sv_get_u8(&z->c);
}

static uint64_t u64(struct fz *z)
{
	uint64_t hi = sv_get_be32(&z->c);

	return hi << 32 | sv_get_be32(&z->c);
}

static const char *path_of(struct fz *z)
{
	uint8_t i = u8(z);
	size_t len, k;

	if (i < NT(paths))
		return paths[i];
	len = (size_t)u8(z) % (RAW_MAX + 1);
	for (k = 0; k < len && !z->c.err; k++) {
		z->raw[k] = (char)u8(z);
		if (!z->raw[k])
			z->raw[k] = '/';
	}
	z->raw[k] = '\0';
	return z->raw;
}

static int64_t time_of(struct fz *z)
{
	uint8_t i = u8(z);

	if (i < 200)
		return (1000 + (int64_t)(i % 40) * 1000 + (i / 40) * 7) * MS;
	if (i < 255)
		return INT64_MIN;   /* no snapshot time */
	return (int64_t)u64(z);
}

static uint64_t value_of(struct fz *z)
{
	uint8_t k = u8(z);

	switch (k & 3) {
	case 0:
		return k >> 2;
	case 1:
		return (uint64_t)u8(z) * 1000000ULL;
	case 2:
		return u64(z);
	default:
		return UINT64_MAX;
	}
}

static void one_value(struct fz *z)
{
	const char *path = path_of(z);
	const char *const *s = srcs[u8(z) % NT(srcs)];
	int64_t ts = time_of(z);
	uint8_t shape = u8(z);
	struct sv_record rec;
	struct sv_error err;
	char art[1024];

	memset(&rec, 0, sizeof(rec));
	rec.type = SV_REC_CGROUP_VALUE;
	rec.ts_ns = ts;
	rec.line = u8(z);
	rec.u.cgroup.cgroup = path;
	rec.u.cgroup.controller = s[0];
	rec.u.cgroup.file = s[1];
	rec.u.cgroup.subject = s[2];
	rec.u.cgroup.key = s[3];
	rec.u.cgroup.value = value_of(z);
	rec.u.cgroup.is_max = rec.u.cgroup.value == UINT64_MAX;
	/* the artifact: the right snapshot folder, another one, or none */
	snprintf(art, sizeof(art), "%scgroup/%lld.%03lld/%s%s%s/%s",
		 shape & 1 ? "root/" : "",
		 (long long)(ts / 1000000000 + (shape & 2)),
		 (long long)((ts / MS) % 1000 + 1000) % 1000, s[0],
		 s[0][0] ? "/" : "", path, s[1]);
	rec.artifact = shape & 4 ? NULL : art;
	sv_error_clear(&err);
	if (sv_resources_record(z->r, &rec, &err) != SV_OK)
		abort();
}

static int clean(const char *s)
{
	if (!s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int is_limit(int m)
{
	return m == SV_RES_CPU_LIMIT || m == SV_RES_MEM_LIMIT ||
	       m == SV_RES_PIDS_MAX;
}

static void check_value(int m, double x)
{
	if (isnan(x))
		return;
	if (x < 0)
		abort();
	if (isinf(x) && !is_limit(m))
		abort();
}

static void check_group(const struct sv_res_group *g)
{
	uint64_t i;
	int m;

	if (!g->cgroup || (g->monitor_of && g->container_id))
		abort();
	if (g->container_id && strlen(g->container_id) != 64)
		abort();
	for (i = 1; i < g->n; i++)
		if (g->ts_ns[i] <= g->ts_ns[i - 1])
			abort();
	for (m = 0; m < SV_RES_NMETRICS; m++) {
		if (!g->v[m])
			continue;
		if (!g->src[m])
			abort();
		for (i = 0; i < g->n; i++)
			check_value(m, g->v[m][i]);
		if (sv_res_metric_is_interval(m) && g->n && !isnan(g->v[m][0]))
			abort();   /* the first sample has no interval */
	}
	if (g->sum.mem_at_limit_s < 0 || g->sum.cpu_at_limit_s < 0)
		abort();
}

/* One primary per container id (groups are few: quadratic is fine). */
static void check_primary(const struct sv_resources_result *res)
{
	const struct sv_res_group *g, *h;
	int n;

	for (g = res->groups; g; g = g->next) {
		if (!g->container_id)
			continue;
		n = 0;
		for (h = res->groups; h; h = h->next)
			n += h->container_id && h->primary &&
			     !strcmp(h->container_id, g->container_id);
		if (n != 1)
			abort();
	}
}

static int known_time(const struct sv_resources_result *res, int64_t t)
{
	const struct sv_res_group *g;
	uint64_t i;

	for (g = res->groups; g; g = g->next)
		for (i = 0; i < g->n; i++)
			if (g->ts_ns[i] == t)
				return 1;
	return 0;
}

static int is_kind(const char *k)
{
	return !strcmp(k, SV_EV_RESOURCE_OOM) ||
	       !strcmp(k, SV_EV_RESOURCE_MEM_FAIL) ||
	       !strcmp(k, SV_EV_RESOURCE_PIDS_MAX) ||
	       !strcmp(k, SV_EV_RESOURCE_THROTTLE);
}

static void check_events(const struct fz *z,
			 const struct sv_resources_result *res)
{
	const struct sv_event *e, *prev = NULL;
	uint64_t n = 0;

	for (e = res->events; e; prev = e, e = e->next, n++) {
		if (e->ts_ns > e->ts_hi_ns || !is_kind(e->kind) ||
		    !clean(e->message) || !clean(e->artifact) ||
		    e->pid != -1 || e->source != SV_SRC_CGROUP)
			abort();
		if (prev && prev->ts_ns > e->ts_ns)
			abort();
		if (!known_time(res, e->ts_ns) ||
		    !known_time(res, e->ts_hi_ns))
			abort();
	}
	if (n != res->n_events || n > z->max_events)
		abort();
}

static void check(const struct fz *z, const struct sv_resources_result *res)
{
	const struct sv_res_group *g;
	uint64_t n = 0;

	if (res->stats.nomem && !z->may_fail)
		abort();
	if (res->stats.used + res->stats.ignored > res->stats.records)
		abort();
	for (g = res->groups; g; g = g->next, n++)
		check_group(g);
	if (!res->stats.nomem && n != res->n_groups)
		abort();
	check_primary(res);
	check_events(z, res);
}

/* Two builds of the same records agree (NaN compared as bits). */
static void same(const struct sv_resources_result *a,
		 const struct sv_resources_result *b)
{
	const struct sv_res_group *g, *h;
	const struct sv_event *e, *f;
	int m;

	if (a->n_groups != b->n_groups || a->n_events != b->n_events)
		abort();
	for (g = a->groups, h = b->groups; g && h; g = g->next, h = h->next) {
		if (g->n != h->n || strcmp(g->cgroup, h->cgroup) ||
		    (g->n && memcmp(g->ts_ns, h->ts_ns, g->n * 8)))
			abort();
		for (m = 0; m < SV_RES_NMETRICS; m++)
			if (!g->v[m] != !h->v[m] ||
			    (g->v[m] && g->n &&
			     memcmp(g->v[m], h->v[m], g->n * sizeof(double))))
				abort();
	}
	for (e = a->events, f = b->events; e && f; e = e->next, f = f->next)
		if (e->ts_ns != f->ts_ns || strcmp(e->message, f->message) ||
		    strcmp(e->artifact, f->artifact))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv_resources_limits lim = {0};
	struct sv_resources_result res, again;
	struct fz z;
	uint8_t flags;
	int ops = 0;

	if (size < 1 || size > MAX_INPUT)
		return 0;
	memset(&z, 0, sizeof(z));
	z.c = sv_cursor_make(data, size);
	flags = u8(&z);
	if (flags & 1) {
		lim.max_groups = 2 + (flags >> 4 & 3);
		lim.max_per_series = 3 + (flags >> 6);
		lim.max_samples = 20;
		lim.max_snapshots = 5;
		lim.max_events = 2;
	}
	z.max_events = lim.max_events ? lim.max_events : 100000;
	z.arena = sv_arena_new(64ULL << 20);
	z.r = sv_resources_new_limits(z.arena, &lim);
	if (!z.arena || !z.r)
		abort();
	if (flags & 2) {
		z.may_fail = 1;
		sv_arena_fail_after(z.arena, 1 + u8(&z));
	}
	while (!z.c.err && sv_cursor_left(&z.c) && ops++ < MAX_OPS)
		one_value(&z);
	sv_resources_build(z.r, &res);
	check(&z, &res);
	if (!z.may_fail) {
		sv_resources_build(z.r, &again);
		check(&z, &again);
		same(&res, &again);
	}
	sv_resources_free(z.r);
	sv_arena_free(z.arena);
	return 0;
}
