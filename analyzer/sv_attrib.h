/*
 * sv_attrib.h - who held each end of a flow: container and process.
 *
 * Input: every record of the bundle, in any order (sv_attrib_record), then
 * the flow list (sv_attrib_flows). Output: flow->owner_a / owner_b.
 * Nothing is joined while the bundle streams (a pcap may come before or
 * after /proc); what the join needs is copied, capped and de-duplicated:
 *
 *   proc/<T>/<pid>/ stat, comm, exe.link, cgroup, ns.links ("net"),
 *   fd.links (socket:[inode])  -> one entry per (T, pid) folder
 *   proc/<T>/<pid>/net/{tcp,tcp6,udp,udp6} rows -> socket rows, kept once
 *     per (proto, tuple, inode) across snapshots (inode 0 rows, TIME_WAIT,
 *     once per tuple) with the first and last snapshot that showed them;
 *     their netns is the one of the folder they were read from
 *   inspect/<id>.json          -> container name, image, pod, addresses,
 *                                 lifetime; runtime events fill the name
 *                                 and image of containers without one
 *
 * The join, per flow end (address A, port p; the other end B:q):
 *
 *  1. Socket. The row whose local is A:p and remote B:q (v4-mapped IPv6
 *     rows count as IPv4), seen closest in time to the flow. When none of
 *     those has an inode: TCP, server end (b, or either end when the
 *     capture missed the handshake) -> the LISTEN row on A:p or on the
 *     wildcard of p in A's netns (the accepted socket had its own inode
 *     and no snapshot showed it); UDP -> the unconnected row (remote
 *     0.0.0.0:0 or [::]:0) bound to A:p or to the wildcard of p.
 *  2. Process. The inode in some folder's fd.links. A process is (pid,
 *     starttime), so a reused pid in another snapshot is another process.
 *     Several holders (fds inherited across fork): the one seen closest in
 *     time to the flow, then the one started first (the creator, or its
 *     oldest heir). Missing comm/exe/cgroup of that snapshot are filled
 *     from other snapshots of the same (pid, starttime).
 *  3. Network namespace. The socket row's folder's; else the one address
 *     A is local to: local addresses of its socket rows (not unspecified,
 *     not loopback) plus the inspect addresses of the containers whose
 *     processes live in it; several candidates: the one seen closest in
 *     time, none if that is still a tie.
 *  4. Container. The process's (cgroup, sv_cgroup_container; podman's
 *     conmon counts as the host); else the netns's: the host's when it
 *     holds pid 1 (or, without pid 1 in the bundle, when processes outside
 *     containers outnumber the ones inside); else its container, and when
 *     a pod's containers share it, the one whose processes started first
 *     (the infra container); else the one container whose inspect lists A
 *     and whose lifetime meets the flow's.
 *
 * Each end is attributed on its own. `how` says which evidence was used.
 *
 * Bounds: every table is capped (struct sv_attrib_limits); what does not
 * fit is counted in the stats and left out, never an error. Lookups are
 * hash tables with a per-instance random seed (hostile input cannot aim
 * at one bucket); at most SV_ATTRIB_PER_KEY netns or containers are kept
 * per address and per netns, SV_ATTRIB_ROWS_PER_TUPLE socket rows per
 * tuple and SV_ATTRIB_HOLDERS_PER_INODE pids per socket inode (the first
 * seen; the rest counted as dropped), so no lookup walks a long chain.
 *
 * Ownership: struct sv_attrib owns its tables (malloc). Owners and every
 * string they point to live in the arena given to sv_attrib_new() and
 * outlive sv_attrib_free(); equal owners are shared between flows.
 */
#ifndef SV_ATTRIB_H
#define SV_ATTRIB_H

#include <stdint.h>

#include "sv_arena.h"
#include "sv_error.h"
#include "sv_flows.h"
#include "sv_records.h"

#define SV_ATTRIB_PER_KEY 8
#define SV_ATTRIB_ROWS_PER_TUPLE 128   /* sockets (inodes) per tuple */
#define SV_ATTRIB_HOLDERS_PER_INODE 64 /* pids per socket inode */

/* Who held one end of a flow. All strings in the arena; NULL unknown. */
struct sv_owner {
	const char *container_id;   /* full id; NULL: the host or unknown */
	const char *container_name; /* inspect or events; NULL unknown */
	const char *image;
	const char *pod;            /* Kubernetes pod (inspect labels) */
	int is_host;                /* the host's, not a container's: in
				       the host's netns and not held by a
				       containerised process */
	int64_t pid;                /* -1 unknown */
	uint64_t pid_start;         /* /proc/<pid>/stat starttime (ticks);
				       0 unknown. (pid, start) is one
				       process */
	const char *comm, *exe;
	uint64_t inode;             /* socket inode, 0 unknown */
	uint64_t netns;             /* network namespace inode, 0 unknown */
	const char *how;            /* the evidence chain: one line, at
				       most 1023 bytes, control bytes
				       shown as ? */
};

struct sv_attrib_stats {
	uint64_t ends;              /* flow ends looked at (2 per flow) */
	uint64_t ends_container;    /* ... given a container */
	uint64_t ends_host;         /* ... in the host's netns, no container */
	uint64_t ends_process;      /* ... given a process */
	uint64_t ends_unknown;      /* ... nothing known: owner NULL */
	uint64_t ends_exact;        /* socket row with this exact tuple */
	uint64_t ends_listen;       /* the LISTEN row stood in */
	uint64_t ends_unbound;      /* an unconnected UDP row */
	uint64_t ends_by_netns;     /* container from the netns, no process */
	uint64_t ends_by_inspect;   /* container from inspect addresses only */
	uint64_t ends_ambiguous;    /* several netns or containers fit */
	uint64_t ends_nomem;        /* an owner could not be allocated */
	uint64_t join_nomem;        /* 1: a join table ran out of memory,
				       ends were attributed from part of
				       the evidence */
	uint64_t sockets, sockets_dropped; /* socket rows kept / over cap */
	uint64_t folders, folders_dropped; /* (T, pid) entries */
	uint64_t fds, fds_dropped;  /* distinct (inode, pid) socket fds */
	uint64_t containers, containers_dropped;
	uint64_t strings_dropped;   /* names not kept (string budget) */
	uint64_t netns;             /* network namespaces seen */
	uint64_t owners;            /* distinct owners allocated */
};

/* Zero in any field means its default. */
struct sv_attrib_limits {
	uint64_t max_sockets;       /* 1M distinct socket rows */
	uint64_t max_folders;       /* 2M (T, pid) folders */
	uint64_t max_fds;           /* 2M distinct (inode, pid) */
	uint64_t max_containers;    /* 100k */
	uint64_t max_string_bytes;  /* 64 MiB of names, in the arena */
};

struct sv_attrib;

/* NULL: out of memory. arena (borrowed) receives owners and names. */
struct sv_attrib *sv_attrib_new(struct sv_arena *arena);
/* The same with caps; lim may be NULL (all defaults). */
struct sv_attrib *sv_attrib_new_limits(struct sv_arena *arena,
				       const struct sv_attrib_limits *lim);
/* Frees the tables; owners stay in the arena. NULL is a no-op. */
void sv_attrib_free(struct sv_attrib *at);

/*
 * Every record of the bundle (borrowed; what is kept is copied). Records
 * of no use here are ignored. SV_OK, or SV_ERR_NOMEM with err set (the
 * arena or malloc failed; caps are not errors).
 */
enum sv_status sv_attrib_record(struct sv_attrib *at,
				const struct sv_record *rec,
				struct sv_error *err);

/*
 * After the last record: sets owner_a / owner_b of every flow in list
 * (NULL where nothing is known) and fills *st (which may be NULL). May be
 * called again (with more records or another list); owners of earlier
 * calls stay valid.
 */
void sv_attrib_flows(struct sv_attrib *at, struct sv_flow *list,
		     struct sv_attrib_stats *st);

#endif
