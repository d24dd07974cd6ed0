/*
 * sv_cgroup_id.h - which container a cgroup path belongs to.
 *
 * Container engines name the cgroup of a container after its id; the
 * shapes differ by engine and cgroup driver (DESIGN.md §1):
 *
 *   docker     /docker/<id>                          cgroupfs driver
 *              /system.slice/docker-<id>.scope       systemd driver
 *   podman     /libpod_parent/libpod-<id>            cgroupfs
 *              /libpod_parent/conmon                 its monitors (shared)
 *              /machine.slice/libpod-<id>.scope      systemd (rootful)
 *              /machine.slice/libpod-conmon-<id>.scope   its monitor
 *              .../user@1000.service/user.slice/libpod-<id>.scope (rootless)
 *              .../<unit>.service/libpod-payload-<id>  --cgroups=split
 *   containerd /k8s.io/<id>, /default/<id>           namespace/id
 *              .../cri-containerd-<id>.scope         systemd, CRI
 *              <slice>:cri-containerd:<id>           a raw cgroupsPath
 *   CRI-O      .../crio-<id>.scope, .../crio-conmon-<id>.scope
 *   kubelet    /kubepods/<qos>/pod<uid>/<id>         cgroupfs
 *              /kubepods/pod<uid>/<id>               guaranteed pods
 *              /kubepods.slice/kubepods-<qos>.slice/
 *                kubepods-<qos>-pod<uid with '_'>.slice/<runtime>-<id>.scope
 *
 * <id> is exactly 64 lowercase hex digits. A path may hold several (a
 * Kubernetes node in a docker container, docker-in-docker): the innermost,
 * i.e. the last one, is the container the process runs in; folders below
 * it ("/container", "/init.scope", "/kube-proxy") are still that
 * container. Pure string work on a borrowed path: no allocation, linear in
 * its length.
 */
#ifndef SV_CGROUP_ID_H
#define SV_CGROUP_ID_H

#include "sv_records.h"

#define SV_CONTAINER_ID_LEN 64
#define SV_POD_UID_MAX 36

struct sv_container_ref {
	enum sv_runtime runtime; /* SV_RT_K8S: a kubelet pod whose runtime
				    the path does not name (a bare id) */
	char id[SV_CONTAINER_ID_LEN + 1]; /* "" when none */
	char pod_uid[SV_POD_UID_MAX + 1]; /* Kubernetes pod UID with dashes
					     (32 hex for static pods), or "" */
	char qos[16];   /* "besteffort", "burstable", "guaranteed" or "" */
	int is_conmon;  /* the path is the container's monitor (conmon), not
			   the container itself */
};

/*
 * Recognise the container of cgroup_path (with or without a leading '/',
 * as in /proc/<pid>/cgroup or below a cgroup mount).
 *
 * Returns 1 when a container id was found: out->id, out->runtime, and for
 * Kubernetes out->pod_uid and out->qos; out->is_conmon says the path is the
 * id's conmon scope (a process there is the monitor, not the workload).
 * Returns 0 otherwise; out is then still written: id "" and runtime
 * SV_RT_UNKNOWN, except that a shared monitor folder without an id
 * (podman's "libpod_parent/conmon") gives runtime SV_RT_PODMAN with
 * is_conmon = 1, and a pod folder without a container
 * ("kubepods/burstable/pod<uid>") gives pod_uid and qos. out is always
 * fully written (never NULL); a NULL path is "no container". Never fails
 * on hostile input: ids of the wrong length or with non-hex digits, "..",
 * and paths of any length are simply not containers.
 */
int sv_cgroup_container(const char *cgroup_path, struct sv_container_ref *out);

#endif
