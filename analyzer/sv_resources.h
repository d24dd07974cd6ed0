/*
 * sv_resources.h - per-container resource series (CPU, memory, block I/O,
 * pids) rebuilt from the cgroup files of each snapshot, and the resource
 * events on the timeline (OOM kills, memory-limit hits, pids.max hits,
 * CPU throttling).
 *
 * Input: every record of the bundle, in any order (sv_resources_record);
 * only SV_REC_CGROUP_VALUE records with a snapshot time are used. Output
 * (sv_resources_build): one struct sv_res_group per cgroup folder (the
 * record's cgroup path, the same below every v1 controller and in v2),
 * each with its snapshot times and one series per metric.
 *
 * Which file feeds a metric (first present wins, per group; cgroup v1
 * first, so a hybrid host's v1 controllers win over unified/):
 *
 *   cpu.cores        cpuacct.usage (ns); v2 cpu.stat usage_usec;
 *                    cpuacct.stat user+system (USER_HZ = 100)
 *   cpu.limit        cpu.cfs_quota_us / cpu.cfs_period_us; v2 cpu.max
 *   cpu.throttled    cpu.stat throttled_time (ns, v1) / throttled_usec
 *   cpu.throttled-periods, cpu.throttled-share
 *                    cpu.stat nr_throttled (and nr_periods)
 *   memory.usage     memory.usage_in_bytes; v2 memory.current
 *   memory.rss       memory.stat total_rss, rss; v2 memory.stat anon
 *   memory.cache     memory.stat total_cache, cache; v2 memory.stat file
 *   memory.limit     memory.limit_in_bytes; v2 memory.max
 *   memory.peak      memory.max_usage_in_bytes; v2 memory.peak
 *   memory.failures  memory.failcnt; v2 memory.events max
 *   memory.oom-kills memory.oom_control oom_kill; v2 memory.events oom_kill
 *   io.read, io.write  blkio.throttle.io_service_bytes Read/Write, else
 *                    blkio.io_service_bytes; v2 io.stat rbytes/wbytes;
 *                    summed over devices (a blkio file of only "Total 0"
 *                    counts as 0, an empty io.stat gives nothing)
 *   pids.current, pids.max, pids.failures (pids.events max)
 *
 * Series. Sample i of a group is its i-th snapshot time (ascending,
 * distinct: out-of-order members are sorted; a file seen twice for one
 * snapshot keeps the later copy). A gauge (usage, limit, pids) is the
 * file's value at ts_ns[i]. A rate or count (cpu.*, io.*, *.failures,
 * oom-kills) covers the interval from the previous snapshot in which the
 * same file was present to ts_ns[i]; a missing file leaves NaN (a gap,
 * never 0) and the next present sample measures from the last present
 * one. A counter that went down is a reset (the container restarted or
 * its cgroup was recreated in between): the rate for that interval is
 * NaN, not computed from the difference, and counted in resets; an event
 * counter (oom_kill, failcnt, events max) that reset counts its new value
 * as the events of that interval (they all happened after the old cgroup
 * was last seen). "max" limits are +INFINITY (no limit), not gaps.
 *
 * Events (analyzer/sv_event.h, source SV_SRC_CGROUP, pid -1), each with
 * the cgroup file of the later snapshot as artifact and line, a window
 * [earlier snapshot, later snapshot] and a message with the numbers:
 *   resource.oom           the oom_kill counter rose (one per interval)
 *   resource.memory-limit  failcnt / memory.events max rose
 *   resource.pids-max      pids.events max rose
 *   resource.throttle      at least SV_RES_THROTTLE_SHARE of the CFS
 *                          periods of the interval were throttled (or,
 *                          without nr_periods, throttled time per second
 *                          of at least that share)
 * The last three merge consecutive intervals into one event. Events come
 * only from a container's primary group and from non-container groups
 * with no kept group below them: a parent's counters (v2) include its
 * children's, and would repeat their events.
 *
 * Bounds: groups, samples per series, samples in all and snapshots are
 * capped (struct sv_resources_limits); what does not fit is counted in
 * the stats and left out, never an error.
 *
 * Ownership: struct sv_resources owns its tables (malloc). The result,
 * groups, series, events and every string live in the arena given to
 * sv_resources_new() and outlive sv_resources_free().
 */
#ifndef SV_RESOURCES_H
#define SV_RESOURCES_H

#include <stdint.h>

#include "sv_arena.h"
#include "sv_error.h"
#include "sv_event.h"
#include "sv_records.h"

/* Throttled share of an interval that makes a resource.throttle event. */
#define SV_RES_THROTTLE_SHARE 0.25
/* Share of a limit that counts as "at the limit" in the summaries. */
#define SV_RES_AT_LIMIT 0.90

enum sv_res_metric {
	SV_RES_CPU_CORES = 0,     /* cores used: d(usage) / d(T) */
	SV_RES_CPU_LIMIT,         /* cores allowed: quota / period; +inf */
	SV_RES_CPU_THROTTLED,     /* throttled seconds per second */
	SV_RES_CPU_THR_PERIODS,   /* CFS periods throttled in the interval */
	SV_RES_CPU_THR_SHARE,     /* ... over periods elapsed, 0..1 */
	SV_RES_MEM_USAGE,         /* bytes */
	SV_RES_MEM_RSS,           /* bytes (anonymous memory in v2) */
	SV_RES_MEM_CACHE,         /* bytes (file pages in v2) */
	SV_RES_MEM_LIMIT,         /* bytes; +inf no limit */
	SV_RES_MEM_PEAK,          /* bytes, the kernel's high-water mark */
	SV_RES_MEM_FAILURES,      /* limit hits in the interval */
	SV_RES_MEM_OOM_KILLS,     /* OOM kills in the interval */
	SV_RES_IO_READ,           /* bytes per second */
	SV_RES_IO_WRITE,          /* bytes per second */
	SV_RES_PIDS,              /* tasks */
	SV_RES_PIDS_MAX,          /* +inf no limit */
	SV_RES_PIDS_FAILURES,     /* forks refused in the interval */
	SV_RES_NMETRICS
};

/* "cpu.cores", "memory.usage", ... (stable: reports use them). */
const char *sv_res_metric_name(enum sv_res_metric m);
/* "cores", "bytes", "bytes/s", "s/s", "count", "share", "tasks". */
const char *sv_res_metric_unit(enum sv_res_metric m);
/* 1 for metrics over an interval (rates, counts), 0 for gauges. */
int sv_res_metric_is_interval(enum sv_res_metric m);

/* One metric over a group's samples; finite values only. */
struct sv_res_stat {
	uint64_t n;          /* finite samples; 0: peak and mean are NaN */
	double peak, mean;
	int64_t peak_ns;     /* ts of the peak sample, SV_TIME_NONE */
};

struct sv_res_summary {
	struct sv_res_stat m[SV_RES_NMETRICS];
	int64_t first_ns, last_ns;  /* first and last snapshot of the group */
	int64_t gone_ns;   /* the first cgroup snapshot after last_ns (the
			      folder had vanished by then), SV_TIME_NONE */
	double cpu_limit;  /* last finite cpu.limit (cores), NaN none */
	double cpu_at_limit_s; /* seconds of intervals using at least
				  SV_RES_AT_LIMIT of it; NaN no limit */
	double mem_limit;  /* last finite memory.limit, NaN none */
	double mem_at_limit_s; /* seconds of intervals at the memory limit:
				  usage at the end, or the high-water mark
				  risen in it, at least SV_RES_AT_LIMIT of
				  the limit, or failures in it; NaN none */
	double mem_peak_ratio; /* max(usage, peak) / limit, NaN no limit */
	uint64_t oom_kills, mem_failures, pids_failures; /* sums */
	uint64_t thr_periods;  /* sum of cpu.throttled-periods */
	uint64_t resets;       /* counter resets seen in this group */
};

struct sv_res_group {
	const char *cgroup;       /* path below the controller, "" = root;
				     cleaned with sv_text_clean */
	const char *container_id; /* 64 hex, NULL: not a container */
	const char *monitor_of;   /* a conmon scope: the id it monitors,
				     else NULL (container_id is then NULL) */
	const char *pod_uid;      /* Kubernetes pod, NULL unknown */
	enum sv_runtime runtime;  /* SV_RT_UNKNOWN when no container */
	int primary;        /* the shallowest group of its container: the
			       container's totals; reports chart these */
	int has_children;   /* a kept group lies below it */
	int v1, v2;         /* values came from cgroup v1 / v2 files */
	uint64_t n;         /* samples */
	const int64_t *ts_ns;  /* n snapshot times, ascending */
	const double *v[SV_RES_NMETRICS]; /* n values; NaN gap; NULL when
					     no file fed the metric */
	const char *src[SV_RES_NMETRICS]; /* the file that fed it
					     ("cpuacct.usage"), NULL */
	struct sv_res_summary sum;
	const struct sv_res_group *next;
};

struct sv_resources_stats {
	uint64_t records;          /* cgroup values seen */
	uint64_t used;             /* ... that fed a series */
	uint64_t ignored;          /* ... of no metric here, or bad ("max"
				      in a counter, no snapshot time) */
	uint64_t groups;           /* cgroup folders kept */
	uint64_t groups_dropped;   /* values left out: their folder was
				      over the group cap */
	uint64_t containers;       /* primary container groups */
	uint64_t samples, samples_dropped; /* raw values kept / over caps */
	uint64_t snapshots, snapshots_dropped;
	uint64_t resets;           /* intervals of a metric whose counter
				      went down */
	uint64_t events, events_dropped;
	uint64_t nomem;            /* 1: the build ran out of memory, the
				      result is partial */
};

struct sv_resources_result {
	const struct sv_res_group *groups; /* primary container groups by
					      first_ns, then the others by
					      cgroup path */
	uint64_t n_groups;
	struct sv_event *events;  /* by ts_ns, then kind */
	uint64_t n_events;
	struct sv_resources_stats stats;
};

/* Zero in any field means its default. */
struct sv_resources_limits {
	uint64_t max_groups;       /* 10k cgroup folders */
	uint64_t max_per_series;   /* 100k samples per (group, file, key) */
	uint64_t max_samples;      /* 8M raw samples in all */
	uint64_t max_snapshots;    /* 1M distinct snapshot times */
	uint64_t max_events;       /* 100k */
};

struct sv_resources;

/* NULL: out of memory. arena (borrowed) receives the results. */
struct sv_resources *sv_resources_new(struct sv_arena *arena);
/* The same with caps; lim may be NULL (all defaults). */
struct sv_resources *
sv_resources_new_limits(struct sv_arena *arena,
			const struct sv_resources_limits *lim);
/* Frees the tables; results stay in the arena. NULL is a no-op. */
void sv_resources_free(struct sv_resources *r);

/*
 * Every record of the bundle (borrowed; what is kept is copied). Records
 * of no use here are ignored. SV_OK, or SV_ERR_NOMEM with err set (caps
 * are not errors).
 */
enum sv_status sv_resources_record(struct sv_resources *r,
				   const struct sv_record *rec,
				   struct sv_error *err);

/*
 * After the last record: builds the series, summaries and events into
 * *out (always fully written; on out of memory what could be built, with
 * stats.nomem set). May be called again after more records; results of
 * earlier calls stay valid.
 */
void sv_resources_build(struct sv_resources *r,
			struct sv_resources_result *out);

/* The primary group of a container (full id), or NULL. */
const struct sv_res_group *
sv_resources_find(const struct sv_resources_result *res,
		  const char *container_id);

#endif
