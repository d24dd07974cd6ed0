/*
 * sv_procs.h - every process of one bundle across its /proc snapshots.
 *
 * Input: every record of the bundle, in any order (sv_procs_record); the
 * proc/<T>/<pid>/{stat,status,cmdline,comm,cgroup,exe.link,cwd.link,
 * ns.links} records are kept per (T, pid) folder, the manifest and the
 * host proc/<T>/stat give boot time and clock ticks. Output, after the
 * stream (sv_procs_build): one struct sv_proc per process and the
 * process events of the timeline (sv_event.h).
 *
 * Rules:
 *  - Identity is (pid, starttime ticks): a reused pid is another process.
 *    A folder without a readable stat has no identity and is counted
 *    (folders_no_stat), not used.
 *  - Start time (UTC ns) from the ticks, the manifest's boot_time (else
 *    the host stat's btime) and clk_tck (manifest, else 100).
 *  - Parent: the ppid of the first snapshot that showed the process,
 *    resolved to the process holding that pid in the same snapshot if it
 *    started no later than the child (the first snapshot with both
 *    wins); when no snapshot shows both, the latest-started process with
 *    that pid that started no later and was not seen gone before the
 *    child started. A later different ppid is a re-parenting (to a
 *    subreaper or init), kept in adopter / adopted_* (the first one).
 *    Links that would close a cycle (equal start ticks) are dropped.
 *  - Container: the first container id of its cgroup lines
 *    (sv_cgroup_container); NULL on the host. A container monitor
 *    (podman conmon) is a host process with monitor = 1.
 *  - Init and entry. A process of container C is a root of C when its
 *    parent is unknown or outside C (the host, conmon, runc,
 *    containerd-shim, another container). The init of C is the root whose
 *    innermost NSpid is 1; when no root of C has NSpid 1 and C's roots are
 *    not in a pid namespace of their own (one NSpid level), the
 *    earliest-started root (ties: lowest pid). Every other root entered C
 *    from outside (podman/docker exec): entered = 1. entry points to the
 *    nearest entered ancestor in C (itself included), NULL for the
 *    container's own tree.
 *  - Kernel threads (pid 2, or ppid 2, with an empty cmdline) are kept
 *    with kthread = 1.
 *  - Changes between two snapshots of one identity in which both values
 *    are known: exe or cmdline (exec), real or effective uid (setuid),
 *    effective capabilities (caps). Each is a struct sv_proc_change and an
 *    event whose window is the two snapshot times.
 *  - Exit: a process not in the last snapshot exited between the last
 *    snapshot that showed it and the next snapshot of the bundle (a
 *    snapshot is a proc/<T> folder holding any record). Gaps (absent from
 *    a snapshot, seen again later) are counted, not exits.
 *
 * Events (each with source SV_SRC_PROC, artifact proc/<T>/<pid>/<file>
 * as the records name it, container id, pid, pid_start), in the
 * result's list sorted by (ts_ns, ts_hi_ns, pid, pid_start, kind in the
 * order below):
 *   process.start  at start_ns (also for processes older than the first
 *                  snapshot; when start_ns is unknown, at first_seen)
 *   process.enter  at start_ns, in addition to process.start, for entered
 *   process.exec / .setuid / .caps   window (snapshot before, after)
 *   process.exit   window (last_seen, exit_hi)
 * Messages are one cleaned line, e.g. "sh (pid 11832) started in
 * 49812af6ca92 by httpd (pid 11264): /bin/sh" (short container ids; the
 * timeline adds names).
 *
 * Bounds: processes (1M), (T, pid) folders (16M: 100k processes in 100
 * snapshots fit; about 100 bytes each while streaming, 24 more during
 * the build), changes per process (16), interned string bytes (64 MiB),
 * cmdline 1024 bytes (cut and marked by sv_text_clean). Over a cap:
 * counted in the stats, never an error; a folder over the cap is lost,
 * so its process may look gone early. Lookups are seeded hash tables and
 * sorted arrays, never scans: O(folders log folders) in all.
 *
 * Ownership: struct sv_procs owns its tables (malloc). The result, every
 * sv_proc, change, event and string lives in the arena given to
 * sv_procs_new() and outlives sv_procs_free().
 */
#ifndef SV_PROCS_H
#define SV_PROCS_H

#include <stdint.h>

#include "sv_arena.h"
#include "sv_error.h"
#include "sv_event.h"
#include "sv_records.h"

#define SV_PROCS_CMDLINE_MAX 1024

struct sv_proc;

/* One change seen between two snapshots of the same process. */
struct sv_proc_change {
	const char *kind;      /* SV_EV_PROCESS_EXEC / _SETUID / _CAPS */
	int64_t t_before;      /* last snapshot with the old value */
	int64_t t_after;       /* first snapshot with the new value */
	const char *before;    /* exec: "exe: cmdline"; setuid: "uid 33
				  euid 33"; caps: "CapEff 00000000a80425fb" */
	const char *after;
	const char *artifact;  /* evidence: proc/<t_after>/<pid>/<file> */
	struct sv_proc_change *next;  /* time order */
};

struct sv_proc {
	uint32_t pid;
	uint64_t pid_start;     /* starttime, clock ticks after boot */
	int64_t start_ns;       /* UTC; SV_TIME_NONE when boot time unknown */
	uint32_t ns_pid;        /* innermost NSpid; 0 unknown */
	int ns_levels;          /* NSpid levels; 0 unknown */
	uint32_t ppid;          /* as first seen */
	struct sv_proc *parent; /* NULL: not in the bundle (or unresolved) */
	int reparented;         /* a later snapshot showed another ppid */
	uint32_t adopted_ppid;  /* that ppid (the subreaper, or 1) */
	struct sv_proc *adopter;       /* its process, NULL unknown */
	int64_t adopted_after, adopted_by; /* the two snapshot times */
	/* Latest known values (cleaned, arena); NULL unknown. cmdline:
	 * argv joined by spaces, its first SV_PROCS_CMDLINE_MAX bytes
	 * kept (escapes may make the string up to 4 times that). */
	const char *comm, *exe, *cmdline, *cwd;
	int64_t uid, euid, gid; /* -1 unknown */
	uint64_t cap_eff;
	int has_caps;
	const char *container_id;  /* full id; NULL: a host process */
	int monitor;            /* a container monitor (conmon) */
	uint64_t netns;         /* net namespace inode; 0 unknown */
	int kthread;
	int is_init;            /* its container's init */
	int entered;            /* entered its container from outside */
	const struct sv_proc *entry; /* nearest entered ancestor or self */
	int64_t first_seen, last_seen; /* snapshot times */
	uint32_t snapshots;     /* how many snapshots showed it */
	uint32_t gaps;          /* snapshots in between that did not */
	int exited;             /* gone before the bundle's last snapshot */
	int64_t exit_lo, exit_hi;  /* last_seen .. the next snapshot;
				      SV_TIME_NONE when not exited */
	const char *artifact;   /* proc/<T>/<pid> of first_seen */
	struct sv_proc_change *changes; /* time order, at most the cap */
	uint32_t n_changes;     /* all changes, kept or not */
	struct sv_proc *first_child, *next_sibling; /* start order */
	struct sv_proc *next;   /* the list: start order */
};

struct sv_procs_stats {
	uint64_t folders;           /* (T, pid) folders kept */
	uint64_t folders_dropped;   /* over the folder cap */
	uint64_t folders_no_stat;   /* no identity: not used */
	uint64_t snapshots;         /* proc/<T> snapshots */
	uint64_t processes;         /* identities kept */
	uint64_t processes_dropped; /* over the process cap */
	uint64_t pids_reused;       /* identities sharing a pid with another */
	uint64_t kthreads;
	uint64_t in_containers;     /* processes with a container id */
	uint64_t containers;        /* distinct container ids */
	uint64_t inits, entered;
	uint64_t parent_unknown;    /* ppid not resolved to a process */
	uint64_t reparented;
	uint64_t cycles_cut;        /* parent links dropped: a cycle */
	uint64_t exited;
	uint64_t changes, changes_dropped; /* over the per-process cap */
	uint64_t events;
	uint64_t strings_dropped;   /* over the string budget: NULL */
	int start_known;            /* boot time known: start_ns set */
};

/* Zero in any field means its default. */
struct sv_procs_limits {
	uint64_t max_processes;     /* 1M */
	uint64_t max_folders;       /* 16M */
	uint32_t max_changes;       /* 16 per process */
	uint64_t max_string_bytes;  /* 64 MiB */
};

struct sv_procs_result {
	struct sv_proc *list;       /* start order (start_ns, pid) */
	uint64_t n;
	const struct sv_proc **by_id; /* n, sorted by (pid, pid_start) */
	struct sv_event *events;    /* sorted as above, via next */
	int64_t first_snapshot, last_snapshot; /* SV_TIME_NONE: none */
	int64_t boot_time_ns;       /* used for start_ns; SV_TIME_NONE */
	int64_t clk_tck;
	struct sv_procs_stats st;
};

struct sv_procs;

/* NULL: out of memory. arena (borrowed) receives the results. */
struct sv_procs *sv_procs_new(struct sv_arena *arena);
/* The same with caps; lim may be NULL (all defaults). */
struct sv_procs *sv_procs_new_limits(struct sv_arena *arena,
				     const struct sv_procs_limits *lim);
/* Frees the tables; results stay in the arena. NULL is a no-op. */
void sv_procs_free(struct sv_procs *p);

/*
 * Every record of the bundle (borrowed; what is kept is copied). Records
 * of no use here are ignored. SV_OK, or SV_ERR_NOMEM with err set (caps
 * are not errors).
 */
enum sv_status sv_procs_record(struct sv_procs *p,
			       const struct sv_record *rec,
			       struct sv_error *err);

/*
 * After the last record: builds the processes and their events into the
 * arena. SV_OK and *out; or SV_ERR_NOMEM with err set and *out untouched.
 * Call once.
 */
enum sv_status sv_procs_build(struct sv_procs *p,
			      const struct sv_procs_result **out,
			      struct sv_error *err);

/* The process (pid, pid_start), or NULL. O(log n). r may be NULL. */
const struct sv_proc *sv_procs_find(const struct sv_procs_result *r,
				    uint32_t pid, uint64_t pid_start);

/*
 * The process that had pid at time ts_ns: the latest-started one with
 * start_ns <= ts_ns that was not seen gone before ts_ns (exit_hi <
 * ts_ns). NULL when none, or when start times are unknown. O(log n) plus
 * the pid's reuses.
 */
const struct sv_proc *sv_procs_find_at(const struct sv_procs_result *r,
				       uint32_t pid, int64_t ts_ns);

#endif
