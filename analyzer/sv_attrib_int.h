/*
 * sv_attrib_int.h - the insides of sv_attrib, shared by its two files:
 * sv_attrib.c keeps what the records say, sv_attrib_join.c joins it to
 * the flows. Not for other modules (their interface is sv_attrib.h).
 *
 * Every table is a struct sv_tab: a growable malloc'd array of
 * fixed-size entries, each starting with a struct sv_tab_link, chained
 * from power-of-two buckets. A chain always lists entries newest first,
 * so ties between candidates are broken by entry index (arrival order),
 * never by hash order.
 *
 *   collected while streaming         built per sv_attrib_flows call
 *   strs     interned names (arena)   procs  (pid, start) -> folders
 *   snaps    T -> "<root>/proc/<T>"   nsis   netns -> host?, containers
 *   folders  (T, pid) -> process      addrs  address -> netns, containers
 *   rows     socket rows by tuple
 *   fds      (inode, pid) holders     owners (kept): shared sv_owner
 *   conts    containers by id
 */
#ifndef SV_ATTRIB_INT_H
#define SV_ATTRIB_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sv_attrib.h"
#include "sv_tab.h"

#define SV_AT_NAME_MAX 512   /* names longer than this are cut */
#define SV_AT_TCP_LISTEN 10  /* kernel TCP_LISTEN */
#define SV_AT_TCP 6
#define SV_AT_UDP 17
#define PER_KEY SV_ATTRIB_PER_KEY


static inline int all_zero(const uint8_t *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i])
			return 0;
	return 1;
}

/* ---- entries ---- */

struct tuple {
	uint8_t proto, fam;     /* IPPROTO_*, 4 or 6 */
	uint16_t lp, rp;
	uint8_t la[16], ra[16]; /* IPv4 in the first 4 bytes, rest 0 */
};

struct str {
	struct sv_tab_link l;
	const char *s;
};

struct snap {
	struct sv_tab_link l;
	int64_t ts;
	const char *prefix;   /* "<root>/proc/<T>" or NULL */
};

/* One proc/<T>/<pid>/ folder: a process as one snapshot saw it. */
struct folder {
	struct sv_tab_link l;
	uint32_t pid;
	uint32_t cont;        /* container index + 1, 0 none */
	int64_t ts;
	uint64_t start;       /* 0 unknown */
	uint64_t netns;       /* 0 unknown */
	const char *comm, *exe, *snap;
	uint8_t has_cgroup, conmon, comm_file;
};

/* One socket, however many snapshots showed it. */
struct row {
	struct sv_tab_link l;
	struct tuple k;
	uint8_t state, v6tab;     /* v6tab: read from tcp6/udp6 */
	uint32_t f_first, f_last; /* folders that showed it first / last */
	uint64_t inode;
};

struct fdent {
	struct sv_tab_link l;
	uint32_t pid;
	uint32_t f_first, f_last;
	uint64_t inode;
};

struct cont {
	struct sv_tab_link l;
	uint8_t nip;
	uint8_t ipfam[PER_KEY];
	uint8_t ip[PER_KEY][16];
	const char *id, *name, *image, *pod, *src;
	int64_t started, finished;
	uint64_t netns;       /* built: the netns of its processes */
	uint64_t first_start; /* built: its earliest process start */
};

struct proc {
	struct sv_tab_link l;
	uint32_t pid;
	uint32_t f_comm, f_exe, f_cg; /* folder index + 1 having each */
	uint64_t start;
};

struct nsi {
	struct sv_tab_link l;
	uint64_t netns;
	uint32_t host_n, cont_n, ncont, pid1;
	uint32_t cont[PER_KEY];
};

enum { A_NETNS, A_CONT };

struct addr {
	struct sv_tab_link l;
	uint8_t fam, kind, a[16];
	uint32_t idx;         /* A_NETNS: a row; A_CONT: a container */
	uint64_t netns;
	int64_t t0, t1;
};

struct owner_ent {
	struct sv_tab_link l;
	const struct sv_owner *o;
};

struct sv_attrib {
	struct sv_arena *arena;
	struct sv_attrib_limits lim;
	uint64_t seed, string_bytes;
	struct sv_tab strs, snaps, folders, rows, fds, conts, owners;
	struct sv_tab procs, nsis, addrs; /* built per join */
	uint32_t last_folder;                    /* index + 1: cache */
	int pid1_seen;
	struct sv_attrib_stats st;
};

static inline struct folder *F(const struct sv_attrib *at, uint32_t i)
{
	return sv_tab_at(&at->folders, i);
}

static inline struct cont *C(const struct sv_attrib *at, uint32_t i)
{
	return sv_tab_at(&at->conts, i);
}

static inline int64_t folder_ts(const struct sv_attrib *at, uint32_t f)
{
	return F(at, f)->ts;
}

static inline uint64_t tuple_hash(const struct sv_attrib *at,
				  const struct tuple *k)
{
	return sv_hash_bytes(at->seed, k, sizeof(*k));
}

/* Frees the tables built by a join (sv_attrib_join.c). */
void sv_attrib_join_free(struct sv_attrib *at);

#endif
