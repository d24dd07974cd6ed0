/*
 * sv_layout.c - bundle path classification.
 *
 *   proc/<T>/stat | uptime           host files at snapshot T
 *   proc/<T>/<pid>/<file>            per-process files
 *   proc/<T>/<pid>/net/<table>       per-namespace socket tables
 *   cgroup/<T>/<controller path>     cgroup files
 *   pcap/<name>.pcap[ng]  events/<fixed names>  inspect/<id>.json
 */
#include "sv_layout.h"

#include <string.h>

#include "sv_cursor.h"
#include "sv_time.h"

static const struct {
	const char *name;
	const char *title;
} artifacts[SV_ART_COUNT] = {
	[SV_ART_UNKNOWN] = {"unknown", "files outside the bundle contract"},
	[SV_ART_MANIFEST] = {"manifest", "bundle manifest"},
	[SV_ART_SHA256SUMS] = {"sha256sums", "chain-of-custody checksums"},
	[SV_ART_PROC_HOST] = {"proc-host", "host /proc/stat and /proc/uptime"},
	[SV_ART_PROC_PID] = {"proc-pid", "per-process /proc files"},
	[SV_ART_PROC_NET] = {"proc-net", "per-namespace socket tables"},
	[SV_ART_CGROUP] = {"cgroup", "cgroup statistics"},
	[SV_ART_PCAP] = {"pcap", "packet captures"},
	[SV_ART_DOCKER_EVENTS] = {"docker-events", "docker events"},
	[SV_ART_PODMAN_EVENTS] = {"podman-events", "podman events"},
	[SV_ART_CONTAINERD_LOG] = {"containerd-log", "containerd log"},
	[SV_ART_CRIO_LOG] = {"crio-log", "CRI-O log"},
	[SV_ART_K8S_AUDIT] = {"k8s-audit", "Kubernetes audit log"},
	[SV_ART_K8S_EVENTS] = {"k8s-events", "Kubernetes events"},
	[SV_ART_JOURNAL] = {"journal", "systemd journal"},
	[SV_ART_DMESG] = {"dmesg", "kernel ring buffer"},
	[SV_ART_INSPECT] = {"inspect", "container inspect documents"},
};

const char *sv_artifact_name(enum sv_artifact a)
{
	return (unsigned)a < SV_ART_COUNT ? artifacts[a].name : "unknown";
}

const char *sv_artifact_title(enum sv_artifact a)
{
	return (unsigned)a < SV_ART_COUNT ? artifacts[a].title : "unknown";
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && memcmp(s + n - m, suffix, m) == 0;
}

/* If path starts with "<dir>/", return what follows; else NULL. */
static const char *under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1])
		return path + n + 1;
	return NULL;
}

/* "<T>/rest": parse T; returns rest or NULL. */
static const char *snapshot(const char *p, struct sv_layout *out)
{
	const char *slash = strchr(p, '/');

	if (!slash || !slash[1] ||
	    sv_time_parse_epoch(p, (size_t)(slash - p), &out->snapshot_ns))
		return NULL;
	out->has_snapshot = 1;
	return slash + 1;
}

static void classify_proc(const char *rest, struct sv_layout *out)
{
	const char *end, *p = rest;
	uint64_t pid;

	if (!strchr(rest, '/')) {
		if (!strcmp(rest, "stat") || !strcmp(rest, "uptime")) {
			out->kind = SV_ART_PROC_HOST;
			out->leaf = rest;
		}
		return;
	}
	end = strchr(rest, '/');
	if (sv_str_u64(&p, end, UINT32_MAX, &pid) || p != end || pid == 0)
		return;
	out->pid = (uint32_t)pid;
	out->leaf = end + 1;
	out->kind = strncmp(end + 1, "net/", 4) == 0 ? SV_ART_PROC_NET
						     : SV_ART_PROC_PID;
}

static const struct {
	const char *path;
	enum sv_artifact kind;
} event_files[] = {
	{"events/docker.jsonl", SV_ART_DOCKER_EVENTS},
	{"events/podman.jsonl", SV_ART_PODMAN_EVENTS},
	{"events/containerd.log", SV_ART_CONTAINERD_LOG},
	{"events/crio.log", SV_ART_CRIO_LOG},
	{"events/k8s-audit.jsonl", SV_ART_K8S_AUDIT},
	{"events/k8s-events.json", SV_ART_K8S_EVENTS},
	{"events/journal.jsonl", SV_ART_JOURNAL},
	{"events/dmesg.txt", SV_ART_DMESG},
};

void sv_layout_classify(const char *path, struct sv_layout *out)
{
	const char *rest;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->kind = SV_ART_UNKNOWN;
	out->leaf = path;
	if (!strcmp(path, "manifest.json")) {
		out->kind = SV_ART_MANIFEST;
	} else if (!strcmp(path, "SHA256SUMS")) {
		out->kind = SV_ART_SHA256SUMS;
	} else if ((rest = under(path, "proc")) && (rest = snapshot(rest, out))) {
		classify_proc(rest, out);
	} else if ((rest = under(path, "cgroup")) &&
		   (rest = snapshot(rest, out))) {
		out->kind = SV_ART_CGROUP;
		out->leaf = rest;
	} else if ((rest = under(path, "pcap")) && !strchr(rest, '/') &&
		   (has_suffix(rest, ".pcap") || has_suffix(rest, ".pcapng"))) {
		out->kind = SV_ART_PCAP;
		out->leaf = rest;
	} else if ((rest = under(path, "inspect")) && !strchr(rest, '/') &&
		   has_suffix(rest, ".json")) {
		out->kind = SV_ART_INSPECT;
		out->leaf = rest;
	} else {
		for (i = 0; i < sizeof(event_files) / sizeof(event_files[0]); i++)
			if (!strcmp(path, event_files[i].path))
				out->kind = event_files[i].kind;
	}
	if (out->kind == SV_ART_UNKNOWN) {
		out->has_snapshot = 0;
		out->snapshot_ns = 0;
	}
}
