/*
 * sv_containers.h - the containers of one bundle, joined from every
 * source, and their lifecycle events.
 *
 * Input: every record of the bundle, in any order (sv_containers_record).
 * Output (sv_containers_build): a struct sv_container_set, one entry per
 * container, and the container events for the timeline (sv_event.h).
 *
 * What each source tells (DESIGN.md §1):
 *
 *   proc/<T>/<pid>/cgroup  (SV_REC_PROC_CGROUP)  id, runtime, pod uid,
 *                          cgroup paths, processes seen, first/last T
 *   cgroup/<T>/...         (SV_REC_CGROUP_VALUE) id, cgroup paths, T
 *   events/{podman,docker}.jsonl, containerd.log, crio.log
 *                          (SV_REC_RUNTIME_EVENT, type "container" or
 *                          "") id (full or 12-hex), name, image, pod,
 *                          lifecycle times, exit code, exec, OOM, restarts
 *   inspect/<id>.json      (SV_REC_INSPECT) full id, name, image and image
 *                          id, times, exit code, init pid, privileges,
 *                          host namespaces, mounts, pod
 *   events/k8s-audit.jsonl (SV_REC_K8S_AUDIT) exec / attach / portforward
 *                          into a pod
 *   events/k8s-events.json (SV_REC_K8S_EVENT) Started, Killing, BackOff,
 *                          Pulled, Created, OOMKilling of a pod
 *   events/journal.jsonl   (SV_REC_JOURNAL) container id and name
 *   events/dmesg.txt       (SV_REC_KERNEL) OOM kills: memcg path -> id,
 *                          else the victim pid's cgroup in the snapshot
 *                          before the kill
 *   manifest, proc/<T>/stat  boot time (dmesg times are since boot)
 *
 * The join happens in sv_containers_build, after the last record. The
 * rules, in order (the full text is in sv_containers_join.c):
 *  1. every full id (64 lowercase hex) is one container;
 *  2. a shorter all-hex id joins the one full id it prefixes; when
 *     several match it stays its own container, noted as ambiguous;
 *  3. other ids (containerd allows any string) are containers as given;
 *  4. a source with a name but no id (a runtime event, a journal line)
 *     joins the container of that name; several with the name: the one
 *     whose lifetime holds the record's time, else the latest created
 *     before it, else it stays its own (id-less) container, noted;
 *  5. a Kubernetes pod (audit, events) joins the containers of that
 *     namespace and pod (inspect labels or runtime events): with a
 *     container name in the record (audit "container=" query, "container
 *     X" in an event message), the one of that name (the runtime name, or
 *     docker's "k8s_X_<pod>_..."); else the pod's only container; else an
 *     id-less container stands for the pod.
 *
 * Values that disagree between sources: the first in this order wins and
 * the others are noted in `notes`: name and image from inspect, then
 * runtime events, then journal / Kubernetes; times from runtime events,
 * then inspect, then Kubernetes events. Exit code: the last died/exit
 * event's, else inspect's. podman omits a ContainerExitCode of 0, so a
 * podman died event without one means exit code 0. OOM kills: the
 * kernel's, else the runtime's "oom" events, else 1 when inspect says
 * OOMKilled (podman says OOMKilled false even when the kernel killed).
 *
 * Events (struct sv_event, kinds SV_EV_CONTAINER_*): one per runtime
 * event (create, start, exec, pause, unpause, stop, die, oom, restart,
 * remove; init, exec_died, kill, cleanup and unknown actions as
 * container.other), one per kernel OOM kill (container.oom; kernel.oom-
 * kill when no container is known), one per exec/attach/portforward audit
 * request (one per auditID), one per Kubernetes pod event of a known
 * reason, and from inspect the create / start / die that no runtime event
 * showed. A dmesg time without a boot time in the bundle stays
 * SV_TIME_NONE and the message says so.
 *
 * Bounds: containers, records kept, names / cgroups / caps / mounts per
 * container and string bytes are capped (struct sv_containers_limits);
 * what does not fit is counted in the stats, never an error. Lookups are
 * seeded hash tables.
 *
 * Ownership: struct sv_containers owns its tables (malloc). The set, the
 * containers, the events and every string they point to live in the
 * arena given to sv_containers_new() and outlive sv_containers_free().
 * Strings from the bundle are cleaned (sv_text_clean) and bounded.
 */
#ifndef SV_CONTAINERS_H
#define SV_CONTAINERS_H

#include <stddef.h>
#include <stdint.h>

#include "sv_arena.h"
#include "sv_error.h"
#include "sv_event.h"
#include "sv_records.h"

#define SV_CONT_NAMES_MAX 8    /* names kept per container */
#define SV_CONT_CGROUPS_MAX 8  /* distinct cgroup paths kept */
#define SV_CONT_CAPS_MAX 64    /* added capabilities kept */
#define SV_CONT_MOUNTS_MAX 32  /* sensitive mounts kept */
#define SV_CONT_OOM_TIMES 16   /* OOM kill times kept */

/* Host namespaces shared with the container (inspect modes "host"). */
#define SV_HOSTNS_PID 1u
#define SV_HOSTNS_NET 2u
#define SV_HOSTNS_IPC 4u
#define SV_HOSTNS_UTS 8u

/*
 * A mount of something a container should not see. The list:
 *   runtime sockets: a source whose last component is docker.sock,
 *     podman.sock, containerd.sock, crio.sock, cri-dockerd.sock or
 *     dockershim.sock (anywhere: /run, /var/run, /run/user/N/podman);
 *   the host's system trees, the folder itself or anything below it:
 *     /proc, /sys, /dev, /boot, /root, /etc/kubernetes, /var/run/docker,
 *     /run/containerd, /var/run/containerd, /run/crio, /var/run/crio;
 *   the host's folders themselves (not what is below: volumes live
 *     under /var/lib/docker, pod volumes under /var/lib/kubelet): /, /etc,
 *     /home, /var, /run, /var/run, /usr, /lib, /bin, /sbin, /var/log,
 *     /var/lib, /var/lib/docker, /var/lib/containers,
 *     /var/lib/containerd, /var/lib/kubelet;
 *   single files of /etc that hold secrets: /etc/shadow, /etc/gshadow,
 *     /etc/sudoers.
 * Trailing slashes and "//" are ignored when comparing.
 */
struct sv_container_mount {
	const char *source;
	const char *destination; /* NULL when inspect had none */
	const char *why;  /* static: "runtime socket", "host root", ... */
	int rw;
};

/* One container. (Not "struct sv_container": that tag is taken by the
 * archive kind of sv_bundle.h.) */
struct sv_cont {
	/* Identity. id: the full 64-hex id when any source had it, else
	 * the id as a source gave it (short or not hex), else NULL (known
	 * only by name or pod). short_id: the first 12 characters of id,
	 * or NULL. */
	const char *id;
	const char *short_id;
	int id_full;
	const char *name;              /* first name (see the order above),
					  or NULL */
	const char *names[SV_CONT_NAMES_MAX]; /* every name seen */
	size_t n_names;
	const char *image;             /* without "@sha256:..."; or NULL */
	const char *image_id;          /* inspect "Image", or NULL */
	const char *pod, *k8s_namespace; /* or NULL */
	const char *pod_uid;           /* from a kubepods cgroup, or NULL */
	enum sv_runtime runtime;

	/* Lifecycle, UTC ns, SV_TIME_NONE when unknown. created: the
	 * first; started: the first start; paused: the last pause;
	 * died: the last died/exit; removed: the last remove. */
	int64_t created_ns, started_ns, paused_ns, died_ns, removed_ns;
	int has_exit_code;
	int64_t exit_code;
	int running;                   /* inspect State.Running */
	uint32_t starts;               /* start events */
	uint32_t restarts;             /* restart events, or starts after
					  the first, whichever is more */
	uint32_t execs;                /* exec/attach events of the
					  runtime, else of the audit log
					  (refused requests not counted) */
	uint32_t oom_kills;
	int64_t oom_ns[SV_CONT_OOM_TIMES]; /* the first ones, time order;
					      SV_TIME_NONE: no boot time */
	size_t n_oom_ns;

	/* Privileges (inspect; unknown without it). */
	int privileged;                /* -1 unknown, 0, 1 */
	const char *cap_add[SV_CONT_CAPS_MAX];
	size_t n_cap_add;
	unsigned host_ns;              /* SV_HOSTNS_* */
	struct sv_container_mount mounts[SV_CONT_MOUNTS_MAX]; /* sensitive */
	size_t n_mounts;
	size_t n_mounts_all;           /* every mount inspect listed */

	/* Kernel view. */
	const char *cgroups[SV_CONT_CGROUPS_MAX]; /* with a leading '/' */
	size_t n_cgroups;
	int64_t init_pid;              /* inspect State.Pid (not 0), or -1 */
	uint64_t init_start;           /* its starttime ticks, 0 unknown */
	uint64_t procs;                /* distinct pids in its cgroup (not
					  its conmon), over all snapshots */
	int64_t proc_first_ns, proc_last_ns;     /* snapshots showing its
						    processes; NONE */
	int64_t cgroup_first_ns, cgroup_last_ns; /* cgroup/<T> showing it */

	/* Evidence. */
	unsigned sources;              /* 1u << enum sv_event_source */
	/* What a responder would expect and the bundle lacks, ", "
	 * separated, "" when nothing: "no id", "no full id", "no name",
	 * "no image", "no inspect file", "no runtime events", "no /proc
	 * processes" and "no cgroup files" (both only when it may have
	 * lived while the snapshots were taken), "no exit code" (it died
	 * and no source says how). */
	const char *missing;
	const char *notes;             /* conflicts and ambiguities, "" */
	struct sv_cont *next;          /* the set's list */
};

struct sv_containers_stats {
	uint64_t containers;           /* in the set */
	uint64_t containers_dropped;   /* ids over the cap */
	uint64_t records;              /* records that said something */
	uint64_t kept_dropped;         /* events, inspects, ... over cap */
	uint64_t strings_dropped;      /* names not kept (string budget) */
	uint64_t short_joined;         /* short ids joined to a full one */
	uint64_t short_ambiguous;      /* short ids matching several */
	uint64_t names_joined;         /* id-less records joined by name */
	uint64_t names_ambiguous;
	uint64_t pods_joined;          /* k8s records joined to a container */
	uint64_t oom_kills;            /* kernel OOM kills seen */
	uint64_t oom_unattributed;     /* ... in no known container */
	uint64_t audit_duplicates;     /* audit stages of a seen auditID */
	uint64_t events;               /* events made */
	int has_boot_time;             /* dmesg times could be converted */
	int64_t boot_time_ns;          /* used for that, or SV_TIME_NONE */
};

/* Zero in any field means its default. */
struct sv_containers_limits {
	uint64_t max_containers;       /* 100k distinct ids/names/pods */
	uint64_t max_kept;             /* 1M events/inspects/audits/kills */
	uint64_t max_folders;          /* 2M (T, pid) proc folders */
	uint64_t max_string_bytes;     /* 64 MiB of copied strings */
};

/*
 * The result. list: every container, ordered by creation time (created,
 * else started, else the first time any source saw it; unknown last),
 * then by first appearance in the stream. events: every event made,
 * ordered by ts_ns (SV_TIME_NONE last), chained through next.
 */
struct sv_container_set {
	struct sv_cont *list;
	size_t n;
	struct sv_event *events;
	size_t n_events;
	struct sv_containers_stats st;
	/* for sv_containers_find: containers with an id, sorted by id */
	const struct sv_cont **by_id;
	size_t n_by_id;
};

struct sv_containers;

/* NULL: out of memory. arena (borrowed) receives the results. */
struct sv_containers *sv_containers_new(struct sv_arena *arena);
/* The same with caps; lim may be NULL (all defaults). */
struct sv_containers *
sv_containers_new_limits(struct sv_arena *arena,
			 const struct sv_containers_limits *lim);
/* Frees the tables; the set stays in the arena. NULL is a no-op. */
void sv_containers_free(struct sv_containers *c);

/*
 * Every record of the bundle (borrowed; what is kept is copied). Records
 * of no use here are ignored. SV_OK, or SV_ERR_NOMEM with err set (the
 * arena or malloc failed; caps are not errors).
 */
enum sv_status sv_containers_record(struct sv_containers *c,
				    const struct sv_record *rec,
				    struct sv_error *err);

/*
 * After the last record: joins and writes *out (in the arena). SV_OK, or
 * SV_ERR_NOMEM with err set and *out untouched. A second call returns
 * the same set; records given after the first call are ignored.
 */
enum sv_status sv_containers_build(struct sv_containers *c,
				   const struct sv_container_set **out,
				   struct sv_error *err);

/*
 * The container whose id is id, or the only one whose full id starts
 * with id (at least 4 characters); NULL when none, when several match,
 * or when s or id is NULL.
 */
const struct sv_cont *
sv_containers_find(const struct sv_container_set *s, const char *id);

/* The first container in list order that had this name, or NULL. */
const struct sv_cont *
sv_containers_find_name(const struct sv_container_set *s, const char *name);

/* What to call it in one line: name, else short id, else pod, else
 * "unknown container". Never NULL. */
const char *sv_container_label(const struct sv_cont *c);

#endif
