/*
 * sv_containers_int.h - the insides of sv_containers, shared by its
 * files: sv_containers.c keeps what the records say while the bundle
 * streams, sv_containers_join.c joins it into containers, and
 * sv_containers_fold.c turns each container's kept records into its
 * fields and events. Not for other modules (see sv_containers.h).
 *
 *   collected while streaming
 *   strs     interned, cleaned strings (arena)
 *   ents     what names a container: an id, a name without an id, or a
 *            Kubernetes pod; with what the stream said about it in bulk
 *            (names, cgroups, processes, sources)
 *   facts    the records kept one by one (runtime events, inspect,
 *            audit, k8s events, kernel OOM kills), in stream order
 *   folders  (T, pid) -> container entity, starttime (OOM victims and
 *            init pids are found through them)
 *   pids     distinct (entity, pid): processes per container
 *   snaps    distinct snapshot times
 *   audits   auditIDs seen (one event per request, not per stage)
 *
 * Tables are struct sv_tab: growable malloc'd arrays of fixed-size
 * entries, each starting with a struct sv_tab_link, chained from
 * power-of-two buckets under a seeded hash.
 */
#ifndef SV_CONTAINERS_INT_H
#define SV_CONTAINERS_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sv_containers.h"
#include "sv_time.h"
#include "sv_tab.h"

#define SC_ID_MAX 256       /* ids longer than this are cut */
#define SC_NAME_MAX 512     /* names, images, pods */
#define SC_PATH_MAX 1024    /* cgroup paths, mount paths */
#define SC_TEXT_MAX 1024    /* details, commands, messages */
#define SC_MSG_MAX 768      /* an event's message */
#define SC_NOTES_MAX 1024   /* a container's notes */
#define SC_NONE SV_TIME_NONE


/* ---- entries ---- */

struct sc_str {
	struct sv_tab_link l;
	const char *s;
};

enum sc_ent_kind { ENT_ID, ENT_NAME, ENT_POD };

/* Something that names a container, and what the stream said of it. */
struct sc_ent {
	struct sv_tab_link l;
	uint8_t kind;          /* enum sc_ent_kind */
	uint8_t n_names, n_cgroups, conmon;
	uint8_t rt_cgroup, rt_event; /* enum sv_runtime; UNKNOWN none */
	const char *key;       /* id, name, or pod name */
	const char *ns;        /* ENT_POD: its namespace, "" unknown */
	const char *names[SV_CONT_NAMES_MAX];
	const char *cgroups[SV_CONT_CGROUPS_MAX];
	const char *pod, *pod_ns, *pod_uid; /* from labels / cgroups */
	unsigned sources;
	uint64_t procs;
	int64_t first_ts, last_ts;   /* any record with a time */
	int64_t proc_first, proc_last, cg_first, cg_last;
	uint32_t cont;         /* build: container index + 1 */
};

/* A (T, pid) folder of the snapshots. */
struct sc_folder {
	struct sv_tab_link l;
	uint32_t pid;
	uint32_t ent;          /* container entity + 1, 0 none */
	int64_t ts;
	uint64_t start;        /* 0 unknown */
};

struct sc_pid {
	struct sv_tab_link l;
	uint32_t ent, pid;
};

struct sc_snap {
	struct sv_tab_link l;
	int64_t ts;
};

struct sc_audit {
	struct sv_tab_link l;
	uint64_t h;            /* 64-bit seeded hash of the auditID */
};

/* What inspect said, kept whole (one per inspect object). */
struct sc_inspect {
	const char *id, *name, *image, *image_id, *pod, *ns;
	int64_t created, started, finished, exit_code, pid;
	int oom_killed, privileged, running;
	unsigned host_ns;
	const char *caps[SV_CONT_CAPS_MAX];
	size_t n_caps;
	struct sv_container_mount mounts[SV_CONT_MOUNTS_MAX];
	size_t n_mounts, n_mounts_all;
};

enum sc_fact_kind { F_RUNTIME, F_INSPECT, F_AUDIT, F_K8S, F_OOM };

/*
 * One kept record. The string fields by kind:
 *            action       name            image     detail    extra
 * RUNTIME    action       name            image     detail    -
 * AUDIT      subresource  container=      -         command   user
 * K8S        reason       "container X"   pulled    message   -
 * OOM        -            comm            -         memcg     -
 */
struct sc_fact {
	uint32_t ent;          /* entity + 1; 0: none known yet */
	uint32_t cont;         /* build: container index + 1 */
	uint32_t seq;          /* stream order */
	uint8_t kind, src, rt, has_exit;
	int64_t ts;            /* OOM: set at build from boot_ns */
	int64_t boot_ns;       /* OOM: time since boot, or NONE */
	int64_t exit_code;     /* RUNTIME; K8S: count */
	int64_t pid;           /* OOM victim, -1 none */
	uint64_t pid_start;    /* build: from the folders, 0 unknown */
	uint64_t line;
	const char *artifact;
	const char *action, *name, *image, *detail, *extra;
	const struct sc_inspect *in;
};

struct sv_containers {
	struct sv_arena *arena;
	struct sv_containers_limits lim;
	uint64_t seed, string_bytes;
	struct sv_tab strs, ents, folders, pids, snaps, audits;
	struct sc_fact *facts;
	size_t n_facts, cap_facts;
	uint32_t seq;
	uint32_t last_folder;  /* index + 1: cache */
	uint32_t cg_ent;       /* cache of the last cgroup value path:
				  entity + 1, 0 none */
	char *cg_last;         /* that path (malloc), or NULL */
	size_t cg_cap;
	const char *last_artifact;
	int64_t boot_manifest_ns, boot_stat_ns; /* NONE unknown */
	int64_t bundle_start, bundle_end;       /* manifest; NONE */
	const struct sv_container_set *built;
	struct sv_containers_stats st;
};

static inline struct sc_ent *sc_ent(const struct sv_containers *c,
				    uint32_t i)
{
	return sv_tab_at(&c->ents, i);
}

/* ---- shared helpers (sv_containers.c) ---- */

/* A cleaned, interned copy of s (cut at max bytes), or NULL: over the
 * string budget (counted) or out of memory (*nomem set). "" for "". */
const char *sc_intern(struct sv_containers *c, const char *s, size_t max,
		      int *nomem);
/* The folder (ts, pid), or NULL. */
const struct sc_folder *sc_folder_find(const struct sv_containers *c,
				       int64_t ts, uint32_t pid);
/* "docker", "podman", ... for messages. */
const char *sc_runtime_name(enum sv_runtime rt);
/* 1 when s is a full container id: 64 lowercase hex digits. */
int sc_is_full_id(const char *s);
/* 1 when s is 1..64 lowercase hex digits. */
int sc_is_hex_id(const char *s);
/* The entity a lifecycle record names: by id, else by name, else by pod
 * (ns); 0 with *out = index + 1 (0: it names none, or over a cap), -1
 * out of memory. */
int sc_named_ent(struct sv_containers *c, const char *id, const char *name,
		 const char *pod, const char *ns, uint32_t *out);
/* A new zeroed fact about entity ent1 (index + 1, 0 none) with the
 * record's time, line and artifact; NULL over the cap (counted) or out
 * of memory (*nomem set). */
struct sc_fact *sc_fact_new(struct sv_containers *c,
			    const struct sv_record *rec, int kind, int src,
			    uint32_t ent1, int *nomem);
/* Entity ent1 (+1) was seen by src at ts, with a name / pod if not
 * NULL; -1 out of memory. */
int sc_ent_said(struct sv_containers *c, uint32_t ent1, int src,
		int64_t ts, const char *name, const char *pod,
		const char *ns);

/* ---- sv_containers_k8s.c: inspect and Kubernetes records ---- */

int sc_on_inspect(struct sv_containers *c, const struct sv_record *rec);
int sc_on_audit(struct sv_containers *c, const struct sv_record *rec);
int sc_on_k8s_event(struct sv_containers *c, const struct sv_record *rec);
/* Why a mount source is sensitive (sv_containers.h), or NULL. */
const char *sc_mount_why(const char *source);

/* ---- the build (sv_containers_join.c, sv_containers_fold.c) ---- */

/* Per container while building. */
struct sc_build {
	struct sv_cont *c;   /* in the arena */
	int64_t first_ts, last_ts;
	uint32_t first_seq;       /* its first entity (stream order) */
	uint32_t ent_head;        /* its entities: index + 1, chained
				     through sc_run.ent_next */
	size_t first_fact, n_facts; /* its range of sc_run.order */
	char *notes;              /* malloc, SC_NOTES_MAX, or NULL */
	size_t notes_len;
};

struct sc_nk;

struct sc_run {
	struct sv_containers *c;
	struct sc_build *b;
	size_t nb, capb;
	uint32_t *ent_next;       /* per entity: the next of its container */
	struct sc_nk *nk;         /* name or pod -> container index */
	size_t n_nk, cap_nk;
	uint32_t *order;          /* fact indices sorted by container */
	int64_t *snaps;           /* sorted snapshot times */
	size_t n_snaps;
	struct sv_event **ev;
	size_t n_ev, cap_ev;
	int nomem;
};

/* Append "; text" to the container's notes (capped). */
void sc_note(struct sc_run *r, struct sc_build *b, const char *fmt, ...)
	SV_PRINTF(3, 4);
/* A new event for b (NULL: none) in the arena, kept for the list; NULL
 * when out of memory (r->nomem set). */
struct sv_event *sc_event(struct sc_run *r, const struct sc_build *b,
			  const struct sc_fact *f, const char *kind,
			  int64_t ts, const char *fmt, ...) SV_PRINTF(6, 7);
/* The (T, pid) folder of pid in the latest snapshot at or before ts
 * (within a few snapshots), or NULL. */
const struct sc_folder *sc_victim_folder(const struct sc_run *r,
					 int64_t ts, uint32_t pid);
/* Fill b->c from its facts and entities, and make its events. */
void sc_fold(struct sc_run *r, struct sc_build *b);

#endif
