/*
 * sv_rules.h - built-in detections: what is malicious whatever a
 * baseline says. Each rule looks at the rebuilt entities of one bundle
 * (containers, processes, flows, application events, the timeline) and
 * makes findings that carry their evidence and why they fired.
 *
 * The rules here (ids stable, for history and tuning):
 *   exec-into-container      a runtime or Kubernetes exec/attach, or a
 *                            process that entered a container from
 *                            outside (T1609, Container Administration
 *                            Command)
 *   reverse-shell            a shell (sh, bash, dash, ash, zsh, ksh) in a
 *                            container holding a connection it opened to
 *                            an address outside that container (T1059.004,
 *                            Unix Shell)
 *   crypto-mining            from a container: Stratum mining calls on
 *                            any port; connections to a mining pool port
 *                            (3333, 5555, 7777, 14444, 45560, 45700); DNS
 *                            queries it sent for names with a
 *                            pool marker in their last three labels
 *                            ("pool." label, xmr, monero, nanopool,
 *                            minexmr, supportxmr, nicehash, 2miners,
 *                            f2pool, ethermine); CPU at 90% or more of a
 *                            finite cpu.limit for 3 or more snapshots in
 *                            a row (not counted in a container with a
 *                            fork-bomb finding: the bomb explains it).
 *                            One finding per container: high with
 *                            Stratum or two kinds of signal, medium with
 *                            one weak signal (T1496, Resource Hijacking)
 *   exec-from-writable-path  a container process whose executable or
 *                            first argument lives in /tmp, /var/tmp or
 *                            /dev/shm (T1105, Ingress Tool Transfer)
 *   privileged-container     privileged, host namespaces, or a mount of
 *                            the runtime socket or the host's system trees
 *                            (T1611, Escape to Host)
 *   oom-kill                 the kernel's OOM killer in a container, when
 *                            it is not an oom-storm (T1499, Endpoint
 *                            Denial of Service; low)
 *   oom-storm                3 or more OOM kills in one container within
 *                            120 s, from the kill times (kernel log, else
 *                            runtime events) or the cgroup's oom_kill
 *                            counter over intervals spanning at most
 *                            120 s (T1499; medium)
 *   fork-bomb                a container's pids controller refused forks
 *                            (pids.events max rose: resource.pids-max
 *                            events, or the series' sum), or more than 200
 *                            of its processes started within 10 s (T1499;
 *                            high)
 *   package-manager          apt, apt-get, aptitude, dpkg, apk, yum, dnf,
 *                            microdnf, rpm, zypper, pip (pip3, pip3.11),
 *                            npm or gem ran in a container: by comm, exe,
 *                            argv[0], or the script or -m module of
 *                            python, node, ruby or env. T1105, Ingress
 *                            Tool Transfer: installing at run time brings
 *                            software from outside into a container whose
 *                            image should hold all it runs, which is what
 *                            T1105 describes (Falco files its rule under
 *                            persistence, but a package in a container's
 *                            writable layer dies with it); medium
 *   dns-tunnel-labels        20 or more distinct query names sent from one
 *                            container under one parent domain (its last
 *                            two labels) whose subdomain part has a label
 *                            of 30 bytes or more and a Shannon entropy
 *                            (sv_dns.h) of 3.5 bits/char or more. Distinct
 *                            names, so that retries and A+AAAA pairs of
 *                            one hashed name do not add up (T1071.004,
 *                            Application Layer Protocol: DNS; high)
 *   large-upload             a container sent 8 MiB or more (IP bytes) to
 *                            one remote address (not its own, not
 *                            loopback, not its own container) over flows
 *                            it opened that carried at least 10 times
 *                            less back (T1048, Exfiltration Over
 *                            Alternative Protocol; high). A server's
 *                            replies do not count; smaller volumes are
 *                            the baseline's to judge
 *
 * Ownership: findings and their strings live in the arena given to
 * sv_rules_run; the entities they point at are the analysis's.
 */
#ifndef SV_RULES_H
#define SV_RULES_H

#include <stdint.h>

#include "sv_arena.h"
#include "sv_containers.h"
#include "sv_event.h"
#include "sv_flows.h"
#include "sv_netapp.h"
#include "sv_procs.h"
#include "sv_resources.h"

enum sv_severity {
	SV_SEV_INFO = 0,
	SV_SEV_LOW,
	SV_SEV_MEDIUM,
	SV_SEV_HIGH,
	SV_SEV_CRITICAL,
	SV_SEV_COUNT
};

const char *sv_severity_name(enum sv_severity s); /* "info", ... */
/* Parse "low", "medium", ...; 0, or -1 when unknown. */
int sv_severity_parse(const char *s, enum sv_severity *out);

#define SV_FINDING_EVIDENCE 8

/* One piece of evidence: an event, a flow or a process, with a note. */
struct sv_evidence {
	const struct sv_event *event;     /* or NULL */
	const struct sv_flow *flow;       /* or NULL */
	const struct sv_proc *proc;       /* or NULL */
	const char *artifact;             /* bundle path, or NULL */
	const char *note;                 /* one line */
};

#define SV_FINDING_FEATURES 8

/* A model feature behind a finding: what was seen against what the
 * baseline expects. */
struct sv_finding_feature {
	const char *name;     /* e.g. "bytes-out", "program" */
	const char *value;    /* a categorical value, or NULL */
	double observed;      /* the number seen (NAN for categorical) */
	double expected;      /* the baseline's mean (raw units), or NAN */
	double share;         /* share of the distance, surprisal in bits
				 for a categorical value, or NAN */
};

struct sv_finding {
	const char *rule;          /* stable id, e.g. "reverse-shell" */
	const char *title;         /* one line for people */
	const char *technique;     /* MITRE ATT&CK id, e.g. "T1609" */
	const char *technique_name;
	enum sv_severity severity;
	const char *container_id;  /* or NULL */
	int64_t pid;               /* -1 none */
	int64_t ts_ns;             /* when it happened, SV_TIME_NONE */
	const char *why;           /* why the rule fired, in words */
	struct sv_evidence ev[SV_FINDING_EVIDENCE];
	int n_ev;
	/* Baseline findings only (NAN otherwise): the anomaly score (D2,
	 * surprisal in bits, or -log10 p) and its p-value, the workload
	 * whose model scored it, and the features behind it. */
	double score, pvalue;
	const char *workload;
	struct sv_finding_feature feat[SV_FINDING_FEATURES];
	int n_feat;
	struct sv_finding *next;   /* most severe first, then by time */
};

struct sv_rules_input {
	const struct sv_container_set *containers;  /* may be NULL */
	const struct sv_procs_result *procs;        /* may be NULL */
	const struct sv_flow *flows;
	const struct sv_app_event *app;
	struct sv_event *const *events;             /* the timeline */
	uint64_t n_events;
	/* cgroup series (CPU at its limit, OOM kill and pids counters);
	 * may be NULL */
	const struct sv_resources_result *resources;
};

struct sv_findings {
	struct sv_finding *list;
	uint64_t n;
	uint64_t by_severity[SV_SEV_COUNT];
	int nomem;                 /* some findings could not be kept */
};

/* Run every built-in rule. Never fails; out of memory sets nomem. */
void sv_rules_run(struct sv_arena *arena, const struct sv_rules_input *in,
		  struct sv_findings *out);

/*
 * Recount n and by_severity from out->list and order it most severe
 * first, then by time. Other producers of findings (the baseline, user
 * rules) prepend to out->list, then call this. Out of memory leaves the
 * list complete but unordered.
 */
void sv_findings_order(struct sv_findings *out);

#endif
