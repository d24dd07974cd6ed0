/*
 * sv_procs_int.h - the insides of sv_procs, shared by its files:
 * sv_procs.c keeps what the records say (one entry per proc/<T>/<pid>
 * folder), sv_procs_build.c turns the folders into processes, and
 * sv_procs_event.c writes the events and answers lookups. Not for other
 * modules (their interface is sv_procs.h).
 *
 * Tables are struct sv_tab: a growable malloc'd array of fixed-size
 * entries, each starting with a struct sv_tab_link, chained from
 * power-of-two buckets (seeded hashes: hostile input cannot aim at one bucket).
 *
 *   strs   interned strings (arena), already cleaned for people
 *   snaps  T -> "proc/<T>" prefix, rank among the sorted snapshots
 *   folds  (T, pid) -> what that folder's files said
 */
#ifndef SV_PROCS_INT_H
#define SV_PROCS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sv_procs.h"
#include "sv_tab.h"

#define PR_NAME_MAX 512       /* comm, exe, cwd are cut here */
#define PR_ARGV_JOIN 4096     /* cmdline bytes joined before cleaning */
#define PR_UID_NONE UINT32_MAX

struct pr_str {
	struct sv_tab_link l;
	const char *s;
};

struct pr_snap {
	struct sv_tab_link l;
	int64_t ts;
	uint32_t prefix;  /* string index + 1 of "proc/<T>", 0 unknown */
	uint32_t rank;    /* position among the sorted snapshots (build) */
};

enum {
	PF_STAT = 1,       /* stat read: pid_start and ppid known */
	PF_STATUS = 2,     /* status read: uids, NSpid */
	PF_CAPS = 4,       /* CapEff known */
	PF_COMM_FILE = 8,  /* comm from the comm file (wins over stat's) */
	PF_MONITOR = 16,   /* a cgroup line names a container monitor */
	PF_ARGV0 = 32,     /* cmdline read and empty (kernel thread, zombie) */
	PF_CGROUP = 64     /* a container id was taken from cgroup */
};

/* One proc/<T>/<pid>/ folder: a process as one snapshot saw it. */
struct pr_fold {
	struct sv_tab_link l;
	uint32_t pid, ppid, nspid, snap;  /* snap: index in snaps */
	int64_t ts;
	uint64_t start, cap_eff, netns;
	uint32_t uid, euid, gid;          /* PR_UID_NONE unknown */
	uint32_t comm, exe, cmd, cwd, cont; /* string index + 1, 0 unknown */
	uint8_t nslev, flags;
};

struct sv_procs {
	struct sv_arena *arena;
	struct sv_procs_limits lim;
	uint64_t seed, string_bytes;
	struct sv_tab strs, snaps, folds;
	uint32_t last_fold;      /* index + 1: the folder of the last record */
	int has_boot;            /* from the manifest */
	int64_t boot_ns;
	int64_t host_btime_s;    /* first host stat btime, -1 none */
	int64_t clk_tck;         /* manifest, 0 unknown */
	int built;
	struct sv_procs_stats st;
};

/* ---- tables (sv_procs.c) ---- */


static inline struct pr_fold *pr_fold_at(const struct sv_procs *p,
					 uint32_t i)
{
	return sv_tab_at(&p->folds, i);
}

static inline struct pr_snap *pr_snap_at(const struct sv_procs *p,
					 uint32_t i)
{
	return sv_tab_at(&p->snaps, i);
}

/* The interned string of index + 1 i1, NULL for 0. */
static inline const char *pr_str(const struct sv_procs *p, uint32_t i1)
{
	return i1 ? ((const struct pr_str *)sv_tab_at(&p->strs, i1 - 1))->s
		  : NULL;
}

/* The folder (ts, pid): index + 1, or 0. */
uint32_t pr_fold_find(const struct sv_procs *p, int64_t ts, uint32_t pid);

/* ---- the build (sv_procs_build.c, sv_procs_event.c) ---- */

struct pr_pb {          /* per process, during the build */
	uint32_t fbeg, fend;  /* its folders: order[fbeg..fend) by time */
	uint32_t first_comm, first_cmd; /* as first seen (start message) */
	uint32_t cont;        /* container id string index + 1, 0 none */
	uint32_t last_fold;   /* folder index of last_seen */
	uint32_t adopt_fold;  /* folder index that showed the new ppid */
};

struct pr_build {
	struct sv_procs *p;
	struct sv_procs_result *res;
	int64_t *snap_ts;     /* sorted distinct proc snapshot times */
	uint32_t n_snaps;
	uint32_t *order;      /* folders with a stat, by (pid, start, T) */
	uint32_t n_order;
	uint32_t *fproc;      /* folder index -> process index + 1 */
	struct pr_pb *pb;
	struct sv_proc *procs;  /* res->n of them, (pid, start) order */
	struct sv_proc **by_start;
	struct sv_event **ev;
	size_t n_ev, cap_ev;
};

/* printf into the arena, cleaned again (a cut may split UTF-8); NULL
 * when out of memory. */
const char *pr_printf(struct sv_arena *a, const char *fmt, ...)
	SV_PRINTF(2, 3);
/* "proc/<T>/<pid>/<leaf>" (leaf NULL: the folder) of folder f, in the
 * arena; NULL when the snapshot's prefix is unknown or out of memory. */
const char *pr_fold_path(const struct sv_procs *p, const struct pr_fold *f,
			 const char *leaf);

/* Events of every process and their sorted list (sv_procs_event.c). */
int pr_events(struct pr_build *b);
/* The short form of a container id (first 12 characters), or "". */
void pr_short_id(const char *id, char out[13]);

#endif
