/*
 * sv_resources_int.h - the insides of sv_resources, shared by its two
 * files: sv_resources.c keeps the raw values the records carry,
 * sv_resources_build.c turns them into series, summaries and events. Not
 * for other modules (their interface is sv_resources.h).
 *
 * While the bundle streams, each value of interest becomes a raw sample
 * (snapshot time, value, line) appended to the raw series of its group
 * (cgroup folder, hashed) and source (one (file, key) of one cgroup
 * version, see sv_res_srcs). Values of one file that are summed (devices
 * of blkio / io.stat, user + system of cpuacct.stat) add up into the
 * sample of their snapshot while the lines of that file keep coming.
 * Snapshot times and the artifact prefix of each ("<root>/cgroup/<T>/")
 * are kept once, so an event can name its file without a string per
 * sample.
 */
#ifndef SV_RESOURCES_INT_H
#define SV_RESOURCES_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sv_resources.h"

#define SV_RES_PATH_MAX 4096

/* Raw sources, in the order of preference within each metric. */
enum sv_res_raw {
	R_V1_CPU_NS = 0, R_V2_CPU_US, R_V1_CPU_TICKS,
	R_V1_THR_NS, R_V2_THR_US,
	R_V1_NR_THR, R_V2_NR_THR, R_V1_NR_PER, R_V2_NR_PER,
	R_V1_QUOTA, R_V1_PERIOD, R_V2_QUOTA, R_V2_PERIOD,
	R_V1_MEM, R_V2_MEM,
	R_V1_TOTAL_RSS, R_V1_RSS, R_V2_ANON,
	R_V1_TOTAL_CACHE, R_V1_CACHE, R_V2_FILE,
	R_V1_MEM_LIM, R_V2_MEM_LIM, R_V1_MEM_PEAK, R_V2_MEM_PEAK,
	R_V1_FAILCNT, R_V2_MEM_MAXEV, R_V1_OOM, R_V2_OOM,
	R_V1_TIO_R, R_V1_TIO_W, R_V1_IO_R, R_V1_IO_W, R_V2_IO_R, R_V2_IO_W,
	R_PIDS, R_PIDS_MAX, R_PIDS_EV,
	R_COUNT
};
#define R_NONE R_COUNT

struct sv_res_src {
	const char *file;
	const char *key;      /* "" for single-value files */
	unsigned char ver;    /* 1: a v1 controller folder, 2: v2, 0: any */
	unsigned char summed; /* add up the lines of one file */
	unsigned char counter; /* only goes up (else a gauge) */
	double scale;         /* to the metric's unit (ns -> s ...) */
};

extern const struct sv_res_src sv_res_srcs[R_COUNT];

struct sv_res_sample {
	int64_t ts;
	uint64_t v;           /* UINT64_MAX: "max" */
	uint32_t line;
	uint32_t seq;         /* arrival order: the later copy wins */
};

struct sv_res_series {
	struct sv_res_sample *s;
	uint32_t n, cap;
	char *tail;           /* malloc: the artifact after "cgroup/<T>/" */
	int tail_whole;       /* tail is a whole artifact (odd path) */
};

struct sv_res_grp {
	char *path;           /* malloc, as the records give it */
	uint64_t hash;
	uint32_t next;        /* index + 1 in the chain, 0 ends it */
	int v1, v2;
	struct sv_res_series raw[R_COUNT];
};

struct sv_res_snap {
	int64_t ts;
	char *prefix;         /* malloc; NULL when the path was odd */
};

struct sv_resources {
	struct sv_arena *arena;
	struct sv_resources_limits lim;
	struct sv_resources_stats st;
	uint64_t seed;
	struct sv_res_grp **grps;
	size_t ngrp, capgrp;
	uint32_t *ghead;      /* buckets: index + 1 */
	size_t gnb;
	uint32_t last_grp;    /* index + 1 of the last group used */
	struct sv_res_snap *snaps;
	size_t nsnap, capsnap;
	uint32_t *shead;      /* open addressing: index + 1 */
	size_t snb;
	uint32_t last_snap;
	uint64_t samples;
};

/* The snapshot kept for ts, or NULL. */
const struct sv_res_snap *sv_res_snap_find(const struct sv_resources *r,
					   int64_t ts);

/*
 * An arena copy of n bytes of s for people: control bytes (tab and
 * newline too) become '?', then sv_text_clean (UTF-8, length). NULL when
 * out of memory.
 */
char *sv_res_clean(struct sv_arena *arena, const char *s, size_t n);

/*
 * The path facts of every group into arr[0 .. r->ngrp) (index order of
 * r->grps): cgroup (cleaned), container_id / monitor_of, pod_uid,
 * runtime, v1 / v2, primary, has_children. 0, or -1 out of memory.
 */
int sv_res_mark_groups(struct sv_resources *r, struct sv_res_group *arr);

#endif
