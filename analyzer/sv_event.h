/*
 * sv_event.h - one happening on a bundle's timeline, as every analyzer
 * module reports it (containers, processes, resources, flows, the
 * application layer, the kernel). sv_timeline.c merges, orders and
 * exports them; reports show them.
 *
 * An event says when (a time, or a window when only bounds are known:
 * a process that vanished between two snapshots), what (a kind from the
 * fixed list below, plus one human line), who (container and process,
 * or nobody: unattributed) and where the evidence is (artifact and
 * line). Events live in the analysis arena; strings are arena copies,
 * already cleaned of control bytes, or static.
 */
#ifndef SV_EVENT_H
#define SV_EVENT_H

#include <stddef.h>
#include <stdint.h>

/* Where an event's evidence came from. */
enum sv_event_source {
	SV_SRC_PROC = 0,   /* /proc snapshots */
	SV_SRC_CGROUP,     /* cgroup files */
	SV_SRC_RUNTIME,    /* docker/podman events, containerd/CRI-O logs */
	SV_SRC_K8S_AUDIT,
	SV_SRC_K8S_EVENT,
	SV_SRC_JOURNAL,
	SV_SRC_INSPECT,
	SV_SRC_KERNEL,     /* dmesg */
	SV_SRC_PCAP,       /* packet captures */
	SV_SRC_COUNT
};

const char *sv_event_source_name(enum sv_event_source s); /* "proc", ... */

struct sv_event;

/* The event's line for people: message, or describe() into buf (of n
 * bytes, at least 512). Never NULL. */
const char *sv_event_text(const struct sv_event *e, char *buf, size_t n);

/* Lifecycle phase of a container an event falls in (sv_timeline.c). */
enum sv_phase {
	SV_PHASE_NONE = 0,     /* unattributed, or phases unknown */
	SV_PHASE_PROVISION,    /* before the container started */
	SV_PHASE_RUN,
	SV_PHASE_TEARDOWN      /* after it died or was stopped */
};

struct sv_event {
	int64_t ts_ns;         /* UTC ns: when, or the earliest it can be */
	int64_t ts_hi_ns;      /* the latest it can be; == ts_ns when exact */
	const char *kind;      /* a static "noun.verb": see SV_EV_* */
	/*
	 * One line for people: message, or when message is NULL, what
	 * describe() writes about subject (events made by the hundred
	 * thousand, like a flow's, are worded only when shown). Read it
	 * through sv_event_text().
	 */
	const char *message;
	const void *subject;
	void (*describe)(const struct sv_event *e, char *buf, size_t n);
	enum sv_event_source source;
	const char *artifact;  /* bundle path of the evidence, or NULL */
	uint64_t line;         /* line in it, 0 when not line-based */
	/* who: NULL / -1 when not known */
	const char *container_id;  /* full id, as in sv_owner */
	int64_t pid;
	uint64_t pid_start;    /* starttime ticks: (pid, start) is one process */
	enum sv_phase phase;   /* set by the timeline */
	int64_t skew_ns;       /* correction the timeline applied, 0 none */
	struct sv_event *next; /* the producing module's list */
};

/* Kinds. Modules may add more; each is a static string. */
#define SV_EV_CONTAINER_CREATE "container.create"
#define SV_EV_CONTAINER_START "container.start"
#define SV_EV_CONTAINER_EXEC "container.exec"     /* exec/attach into it */
#define SV_EV_CONTAINER_PAUSE "container.pause"
#define SV_EV_CONTAINER_UNPAUSE "container.unpause"
#define SV_EV_CONTAINER_STOP "container.stop"
#define SV_EV_CONTAINER_DIE "container.die"
#define SV_EV_CONTAINER_OOM "container.oom"       /* OOM kill inside it */
#define SV_EV_CONTAINER_RESTART "container.restart"
#define SV_EV_CONTAINER_REMOVE "container.remove"
#define SV_EV_CONTAINER_OTHER "container.other"   /* runtime event kept as is */
#define SV_EV_PROCESS_START "process.start"       /* from its start time */
#define SV_EV_PROCESS_EXEC "process.exec"         /* exe or argv changed */
#define SV_EV_PROCESS_SETUID "process.setuid"     /* uid changed */
#define SV_EV_PROCESS_CAPS "process.caps"         /* capabilities changed */
#define SV_EV_PROCESS_EXIT "process.exit"         /* window: last seen..gone */
#define SV_EV_PROCESS_ENTER "process.enter"       /* entered from outside */
#define SV_EV_RESOURCE_OOM "resource.oom"         /* oom_kill counter rose */
#define SV_EV_RESOURCE_THROTTLE "resource.throttle"
#define SV_EV_RESOURCE_PIDS_MAX "resource.pids-max"
#define SV_EV_RESOURCE_MEM_FAIL "resource.memory-limit"
#define SV_EV_KERNEL_OOM "kernel.oom-kill"
#define SV_EV_KERNEL_SEGFAULT "kernel.segfault"
#define SV_EV_FLOW_OPEN "flow.open"
#define SV_EV_FLOW_CLOSE "flow.close"
#define SV_EV_DNS "net.dns"
#define SV_EV_HTTP "net.http"
#define SV_EV_TLS "net.tls"
#define SV_EV_SSH "net.ssh"
#define SV_EV_STRATUM "net.stratum"
#define SV_EV_K8S "k8s.audit"
#define SV_EV_K8S_EVENT "k8s.event"

#endif
