/*
 * sv_layout.h - where an artifact sits in the bundle tree (DESIGN.md §1).
 *
 * Path rules only: what a file is by its place, and the snapshot time and
 * pid its folders encode. Content checks belong to the readers' probes.
 */
#ifndef SV_LAYOUT_H
#define SV_LAYOUT_H

#include <stdint.h>

enum sv_artifact {
	SV_ART_UNKNOWN = 0,
	SV_ART_MANIFEST,
	SV_ART_SHA256SUMS,
	SV_ART_PROC_HOST,   /* proc/<T>/{stat,uptime} */
	SV_ART_PROC_PID,    /* proc/<T>/<pid>/{stat,status,...} */
	SV_ART_PROC_NET,    /* proc/<T>/<pid>/net/{tcp,...} */
	SV_ART_CGROUP,      /* cgroup/<T>/<path> */
	SV_ART_PCAP,        /* pcap/<name>.pcap|.pcapng */
	SV_ART_DOCKER_EVENTS,
	SV_ART_PODMAN_EVENTS,
	SV_ART_CONTAINERD_LOG,
	SV_ART_CRIO_LOG,
	SV_ART_K8S_AUDIT,
	SV_ART_K8S_EVENTS,
	SV_ART_JOURNAL,
	SV_ART_DMESG,
	SV_ART_INSPECT,     /* inspect/<id>.json */
	SV_ART_COUNT
};

/* Stable lowercase name used in reports and JSON ("proc-pid"). */
const char *sv_artifact_name(enum sv_artifact a);
/* One line for people ("per-process /proc snapshot files"). */
const char *sv_artifact_title(enum sv_artifact a);

struct sv_layout {
	enum sv_artifact kind;
	int64_t snapshot_ns; /* proc/ and cgroup/: the <T> folder; else 0 */
	int has_snapshot;
	uint32_t pid;        /* proc/<T>/<pid>/...: else 0 */
	const char *leaf;    /* points into path: the name after the fixed
				folders (e.g. "status", "net/tcp") */
};

/* Classify a normalised bundle path. Never fails: unknown is a kind. */
void sv_layout_classify(const char *path, struct sv_layout *out);

#endif
