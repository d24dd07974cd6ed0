/*
 * sv_cgroup_id.c - container identity from cgroup path shapes
 * (sv_cgroup_id.h lists them).
 *
 * The path is cut at '/' into folders and read once, left to right. A
 * folder is one of: a Kubernetes root ("kubepods", "kubepods.slice",
 * "kubelet-kubepods.slice"), which starts a new pod context; a QoS folder
 * ("besteffort", "kubepods-burstable.slice"); a pod folder ("pod<uid>",
 * "kubepods-besteffort-pod<uid_>.slice"); or a container folder
 * ("<engine>-<id>[.scope]", or a bare <id> below a parent that names its
 * engine). Each container folder replaces the previous one, taking the pod
 * context of the moment. A raw systemd cgroupsPath folder
 * "<slice>:<engine>:<id>" counts as a pod folder plus "<engine>-<id>".
 */
#include "sv_cgroup_id.h"

#include <string.h>

#define SCOPE ".scope"
#define SLICE ".slice"

struct seg {
	const char *p;
	size_t n;
};

struct scan {
	int in_kubepods;
	int in_libpod;      /* below podman's libpod_parent */
	int shared_conmon;  /* libpod_parent/conmon seen */
	char pod_uid[SV_POD_UID_MAX + 1];
	const char *qos;    /* static string or NULL */
	int found;
	struct sv_container_ref ref;
};

/* Engines that prefix the id ("docker-<id>"); longest prefixes first. */
static const struct {
	const char *prefix;
	enum sv_runtime rt;
	int conmon;
} prefixed[] = {
	{"libpod-conmon-", SV_RT_PODMAN, 1},
	{"libpod-payload-", SV_RT_PODMAN, 0},
	{"libpod-", SV_RT_PODMAN, 0},
	{"docker-", SV_RT_DOCKER, 0},
	{"cri-containerd-", SV_RT_CONTAINERD, 0},
	{"crio-conmon-", SV_RT_CRIO, 1},
	{"crio-", SV_RT_CRIO, 0},
	{"nerdctl-", SV_RT_CONTAINERD, 0},
};

/* Parents under which a bare <id> is a container of a known engine. */
static const struct {
	const char *parent;
	enum sv_runtime rt;
} bare_parents[] = {
	{"docker", SV_RT_DOCKER},       /* docker, cgroupfs driver */
	{"moby", SV_RT_DOCKER},         /* docker's containerd namespace */
	{"k8s.io", SV_RT_CONTAINERD},   /* containerd namespace/id */
	{"default", SV_RT_CONTAINERD},  /* ctr's default namespace */
};

static int seg_eq(struct seg s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static int seg_starts(struct seg s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

static int seg_ends(struct seg s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p + s.n - n, lit, n) == 0;
}

/* Offset of the last occurrence of lit in s, or -1. */
static long seg_rfind(struct seg s, const char *lit)
{
	size_t n = strlen(lit), i;

	if (n == 0 || s.n < n)
		return -1;
	for (i = s.n - n + 1; i-- > 0;)
		if (memcmp(s.p + i, lit, n) == 0)
			return (long)i;
	return -1;
}

static int is_lower_hex(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') ||
		      (p[i] >= 'a' && p[i] <= 'f')))
			return 0;
	return 1;
}

static int is_id(const char *p, size_t n)
{
	return n == SV_CONTAINER_ID_LEN && is_lower_hex(p, n);
}

/*
 * A pod UID as the kubelet writes it: a UUID (8-4-4-4-12), with '_' for
 * '-' under the systemd driver, or 32 hex digits (static pods). Writes the
 * dashed form into out; 0, or -1 when it is not one.
 */
static int pod_uid(const char *p, size_t n, char out[SV_POD_UID_MAX + 1])
{
	size_t i;

	if (n == 32 && is_lower_hex(p, n)) {
		memcpy(out, p, n);
		out[n] = '\0';
		return 0;
	}
	if (n != 36)
		return -1;
	for (i = 0; i < n; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash && (p[i] == '-' || p[i] == '_'))
			out[i] = '-';
		else if (!dash && is_lower_hex(p + i, 1))
			out[i] = p[i];
		else
			return -1;
	}
	out[n] = '\0';
	return 0;
}

static void new_pod_context(struct scan *sc)
{
	sc->in_kubepods = 1;
	sc->pod_uid[0] = '\0';
	sc->qos = NULL;
}

/* "kubepods-besteffort-pod<uid_>.slice" (any prefix before kubepods). */
static int systemd_pod(struct scan *sc, struct seg s)
{
	long at = seg_rfind(s, "-pod");
	char uid[SV_POD_UID_MAX + 1];
	size_t start;

	if (at < 0 || !seg_ends(s, SLICE) || seg_rfind(s, "kubepods") < 0)
		return 0;
	start = (size_t)at + 4;
	if (start > s.n - strlen(SLICE) ||
	    pod_uid(s.p + start, s.n - strlen(SLICE) - start, uid))
		return 0;
	if (!sc->in_kubepods)
		new_pod_context(sc);
	memcpy(sc->pod_uid, uid, sizeof(uid));
	if (seg_rfind(s, "-besteffort-pod") >= 0)
		sc->qos = "besteffort";
	else if (seg_rfind(s, "-burstable-pod") >= 0)
		sc->qos = "burstable";
	return 1;
}

/* Kubernetes folders; 1 when s was one. */
static int kube_folder(struct scan *sc, struct seg s)
{
	char uid[SV_POD_UID_MAX + 1];

	if (seg_eq(s, "kubepods") || seg_ends(s, "kubepods" SLICE)) {
		new_pod_context(sc);
		return 1;
	}
	if (systemd_pod(sc, s))
		return 1;
	if (seg_ends(s, "kubepods-besteffort" SLICE) ||
	    (sc->in_kubepods && seg_eq(s, "besteffort"))) {
		sc->qos = "besteffort";
		return 1;
	}
	if (seg_ends(s, "kubepods-burstable" SLICE) ||
	    (sc->in_kubepods && seg_eq(s, "burstable"))) {
		sc->qos = "burstable";
		return 1;
	}
	if (sc->in_kubepods && seg_starts(s, "pod") &&
	    pod_uid(s.p + 3, s.n - 3, uid) == 0) {
		memcpy(sc->pod_uid, uid, sizeof(uid));
		return 1;
	}
	return 0;
}

/* No QoS folder above a pod means a Guaranteed pod. */
static void set_qos(struct sv_container_ref *r, const char *qos)
{
	const char *q = qos ? qos : "guaranteed";

	memcpy(r->qos, q, strlen(q) + 1);
}

static void take(struct scan *sc, enum sv_runtime rt, const char *id,
		 int conmon)
{
	struct sv_container_ref *r = &sc->ref;

	memset(r, 0, sizeof(*r));
	r->runtime = rt;
	memcpy(r->id, id, SV_CONTAINER_ID_LEN);
	r->is_conmon = conmon;
	if (sc->in_kubepods && sc->pod_uid[0]) {
		memcpy(r->pod_uid, sc->pod_uid, sizeof(r->pod_uid));
		set_qos(r, sc->qos);
	}
	sc->found = 1;
}

/* "<engine>-<id>" with an optional ".scope"; 1 when taken. */
static int prefixed_id(struct scan *sc, struct seg s)
{
	size_t i, n;

	if (seg_ends(s, SCOPE))
		s.n -= strlen(SCOPE);
	for (i = 0; i < sizeof(prefixed) / sizeof(prefixed[0]); i++) {
		n = strlen(prefixed[i].prefix);
		if (seg_starts(s, prefixed[i].prefix) &&
		    is_id(s.p + n, s.n - n)) {
			take(sc, prefixed[i].rt, s.p + n, prefixed[i].conmon);
			return 1;
		}
	}
	return 0;
}

/* A bare <id> below a parent that says whose it is; 1 when taken. */
static int bare_id(struct scan *sc, struct seg s, struct seg parent,
		   int first)
{
	size_t i;

	if (!is_id(s.p, s.n))
		return 0;
	if (first) {
		take(sc, SV_RT_UNKNOWN, s.p, 0);
		return 1;
	}
	if (sc->in_kubepods && sc->pod_uid[0] && seg_starts(parent, "pod")) {
		take(sc, SV_RT_K8S, s.p, 0);
		return 1;
	}
	for (i = 0; i < sizeof(bare_parents) / sizeof(bare_parents[0]); i++) {
		if (seg_eq(parent, bare_parents[i].parent)) {
			take(sc, bare_parents[i].rt, s.p, 0);
			return 1;
		}
	}
	return 0; /* e.g. a podman pod folder below libpod_parent */
}

/* "<slice>:<engine>:<id>", a systemd cgroupsPath left as a folder name. */
static void colon_path(struct scan *sc, struct seg s, const char *c1)
{
	const char *c2 = memchr(c1 + 1, ':', (size_t)(s.p + s.n - c1 - 1));
	struct seg slice = {s.p, (size_t)(c1 - s.p)};
	char buf[32 + SV_CONTAINER_ID_LEN];
	struct seg unit;
	size_t en, idn;

	if (!c2 || memchr(c2 + 1, ':', (size_t)(s.p + s.n - c2 - 1)))
		return;
	en = (size_t)(c2 - c1 - 1);
	idn = (size_t)(s.p + s.n - c2 - 1);
	if (en == 0 || en >= 32 || idn != SV_CONTAINER_ID_LEN)
		return;
	systemd_pod(sc, slice);
	memcpy(buf, c1 + 1, en);
	buf[en] = '-';
	memcpy(buf + en + 1, c2 + 1, idn);
	unit.p = buf;
	unit.n = en + 1 + idn;
	prefixed_id(sc, unit);
}

static void folder(struct scan *sc, struct seg s, struct seg parent,
		   int first)
{
	const char *colon = memchr(s.p, ':', s.n);

	if (colon) {
		colon_path(sc, s, colon);
		return;
	}
	if (kube_folder(sc, s) || prefixed_id(sc, s) ||
	    bare_id(sc, s, parent, first))
		return;
	if (seg_eq(s, "libpod_parent"))
		sc->in_libpod = 1;
	else if (sc->in_libpod && seg_eq(s, "conmon"))
		sc->shared_conmon = 1;
}

static void no_container(const struct scan *sc, struct sv_container_ref *out)
{
	memset(out, 0, sizeof(*out));
	out->runtime = SV_RT_UNKNOWN;
	if (sc->shared_conmon) {
		out->runtime = SV_RT_PODMAN;
		out->is_conmon = 1;
	} else if (sc->in_kubepods && sc->pod_uid[0]) {
		out->runtime = SV_RT_K8S;
		memcpy(out->pod_uid, sc->pod_uid, sizeof(out->pod_uid));
		set_qos(out, sc->qos);
	}
}

int sv_cgroup_container(const char *cgroup_path, struct sv_container_ref *out)
{
	struct scan sc;
	struct seg s, parent = {"", 0};
	const char *p = cgroup_path;
	int first = 1;

	memset(&sc, 0, sizeof(sc));
	while (p && *p) {
		const char *slash = strchr(p, '/');

		s.p = p;
		s.n = slash ? (size_t)(slash - p) : strlen(p);
		p = slash ? slash + 1 : NULL;
		if (s.n == 0 || seg_eq(s, ".") || seg_eq(s, ".."))
			continue;
		folder(&sc, s, parent, first);
		parent = s;
		first = 0;
	}
	if (sc.found) {
		*out = sc.ref;
		return 1;
	}
	no_container(&sc, out);
	return 0;
}
