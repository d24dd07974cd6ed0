/*
 * sv_containers_k8s.c - the container records with structure: inspect
 * (privileges, namespaces, mounts), Kubernetes audit (exec / attach /
 * port-forward into a pod) and Kubernetes events of a pod. Each is kept
 * as one fact (sv_containers_int.h) on the entity it names.
 */
#include "sv_containers_int.h"

#include <stdlib.h>
#include <string.h>

#define HINT_MAX 253       /* a Kubernetes container name (DNS label) */

/* ---- mounts ---- */

enum { M_EXACT, M_TREE };

static const struct {
	const char *path;
	int mode;
	const char *why;
} sensitive[] = {
	{"/", M_EXACT, "host root"},
	{"/proc", M_TREE, "host /proc"},
	{"/sys", M_TREE, "host /sys"},
	{"/dev", M_TREE, "host /dev"},
	{"/boot", M_TREE, "host /boot"},
	{"/root", M_TREE, "host /root"},
	{"/etc/kubernetes", M_TREE, "Kubernetes credentials"},
	{"/var/run/docker", M_TREE, "runtime state"},
	{"/run/containerd", M_TREE, "runtime state"},
	{"/var/run/containerd", M_TREE, "runtime state"},
	{"/run/crio", M_TREE, "runtime state"},
	{"/var/run/crio", M_TREE, "runtime state"},
	{"/etc", M_EXACT, "host /etc"},
	{"/etc/shadow", M_EXACT, "host secrets"},
	{"/etc/gshadow", M_EXACT, "host secrets"},
	{"/etc/sudoers", M_EXACT, "host secrets"},
	{"/home", M_EXACT, "host /home"},
	{"/var", M_EXACT, "host /var"},
	{"/run", M_EXACT, "host /run"},
	{"/var/run", M_EXACT, "host /run"},
	{"/usr", M_EXACT, "host binaries"},
	{"/lib", M_EXACT, "host binaries"},
	{"/bin", M_EXACT, "host binaries"},
	{"/sbin", M_EXACT, "host binaries"},
	{"/var/log", M_EXACT, "host logs"},
	{"/var/lib", M_EXACT, "host state"},
	{"/var/lib/docker", M_EXACT, "runtime state"},
	{"/var/lib/containers", M_EXACT, "runtime state"},
	{"/var/lib/containerd", M_EXACT, "runtime state"},
	{"/var/lib/kubelet", M_EXACT, "kubelet state"},
};

static const char *const sockets[] = {
	"docker.sock", "podman.sock", "containerd.sock", "crio.sock",
	"cri-dockerd.sock", "dockershim.sock",
};

/* Copy path into buf (cap bytes) without "//" and a trailing '/'; 0, or
 * -1 when it does not fit or is not absolute. */
static int norm_path(const char *path, char *buf, size_t cap)
{
	size_t o = 0, i;

	if (path[0] != '/')
		return -1;
	for (i = 0; path[i]; i++) {
		if (path[i] == '/' && o && buf[o - 1] == '/')
			continue;
		if (o + 1 >= cap)
			return -1;
		buf[o++] = path[i];
	}
	if (o > 1 && buf[o - 1] == '/')
		o--;
	buf[o] = '\0';
	return 0;
}

const char *sc_mount_why(const char *source)
{
	char buf[SC_PATH_MAX + 1];
	const char *base;
	size_t i, n;

	if (!source || norm_path(source, buf, sizeof(buf)))
		return NULL;
	base = strrchr(buf, '/') + 1;
	for (i = 0; i < sizeof(sockets) / sizeof(sockets[0]); i++)
		if (strcmp(base, sockets[i]) == 0)
			return "runtime socket";
	for (i = 0; i < sizeof(sensitive) / sizeof(sensitive[0]); i++) {
		n = strlen(sensitive[i].path);
		if (strncmp(buf, sensitive[i].path, n) != 0)
			continue;
		if (buf[n] == '\0' ||
		    (sensitive[i].mode == M_TREE && buf[n] == '/'))
			return sensitive[i].why;
	}
	return NULL;
}

/* ---- inspect ---- */

static unsigned host_ns(const struct sv_inspect *in)
{
	unsigned m = 0;

	if (in->pid_mode && strcmp(in->pid_mode, "host") == 0)
		m |= SV_HOSTNS_PID;
	if (in->network_mode && strcmp(in->network_mode, "host") == 0)
		m |= SV_HOSTNS_NET;
	if (in->ipc_mode && strcmp(in->ipc_mode, "host") == 0)
		m |= SV_HOSTNS_IPC;
	if (in->uts_mode && strcmp(in->uts_mode, "host") == 0)
		m |= SV_HOSTNS_UTS;
	return m;
}

static void keep_mounts(struct sv_containers *c, struct sc_inspect *k,
			const struct sv_inspect *in, int *nomem)
{
	struct sv_container_mount *m;
	const char *why;
	size_t i;

	k->n_mounts_all = in->n_mounts;
	for (i = 0; i < in->n_mounts; i++) {
		why = sc_mount_why(in->mounts[i].source);
		if (!why)
			continue;
		if (k->n_mounts >= SV_CONT_MOUNTS_MAX)
			break;
		m = &k->mounts[k->n_mounts];
		m->source = sc_intern(c, in->mounts[i].source, SC_PATH_MAX,
				      nomem);
		if (!m->source)
			continue; /* over the string budget */
		k->n_mounts++;
		m->why = why;
		m->rw = in->mounts[i].rw;
		m->destination = in->mounts[i].destination
					 ? sc_intern(c,
						     in->mounts[i].destination,
						     SC_PATH_MAX, nomem)
					 : NULL;
	}
}

static const char *opt(struct sv_containers *c, const char *s, size_t max,
		       int *nomem)
{
	return s && *s ? sc_intern(c, s, max, nomem) : NULL;
}

static struct sc_inspect *keep_inspect(struct sv_containers *c,
				       const struct sv_inspect *in,
				       int *nomem)
{
	struct sc_inspect *k = sv_arena_alloc(c->arena, sizeof(*k));
	size_t i;

	if (!k) {
		*nomem = 1;
		return NULL;
	}
	k->id = opt(c, in->id, SC_ID_MAX, nomem);
	k->name = opt(c, in->name, SC_NAME_MAX, nomem);
	k->image = opt(c, in->image, SC_NAME_MAX, nomem);
	k->image_id = opt(c, in->image_id, SC_NAME_MAX, nomem);
	k->pod = opt(c, in->pod, SC_NAME_MAX, nomem);
	k->ns = opt(c, in->k8s_namespace, SC_NAME_MAX, nomem);
	k->created = in->created_ns;
	k->started = in->started_ns;
	k->finished = in->finished_ns;
	k->exit_code = in->exit_code;
	k->pid = in->pid;
	k->oom_killed = in->oom_killed;
	k->privileged = in->privileged;
	k->running = in->running;
	k->host_ns = host_ns(in);
	for (i = 0; i < in->n_cap_add && k->n_caps < SV_CONT_CAPS_MAX; i++)
		if (in->cap_add[i] && in->cap_add[i][0])
			k->caps[k->n_caps++] = sc_intern(c, in->cap_add[i],
							 SC_NAME_MAX, nomem);
	keep_mounts(c, k, in, nomem);
	return k;
}

int sc_on_inspect(struct sv_containers *c, const struct sv_record *rec)
{
	const struct sv_inspect *in = &rec->u.inspect;
	struct sc_fact *f;
	uint32_t ent1;
	int nomem = 0;

	if (sc_named_ent(c, in->id, in->name, NULL, NULL, &ent1))
		return -1;
	if (!ent1)
		return 0;
	c->st.records++;
	if (sc_ent_said(c, ent1, SV_SRC_INSPECT, rec->ts_ns, in->name,
			in->pod, in->k8s_namespace))
		return -1;
	f = sc_fact_new(c, rec, F_INSPECT, SV_SRC_INSPECT, ent1, &nomem);
	if (!f)
		return nomem ? -1 : 0;
	f->in = keep_inspect(c, in, &nomem);
	if (f->in && f->in->created != SC_NONE)
		f->ts = f->in->created;
	return nomem ? -1 : 0;
}

/* ---- audit ---- */

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Append the URL-decoded p[0..n) to buf (cap bytes, NUL kept). */
static void url_append(char *buf, size_t cap, const char *p, size_t n)
{
	size_t o = strlen(buf), i;

	for (i = 0; i < n && o + 1 < cap; i++) {
		char ch = p[i];

		if (ch == '+') {
			ch = ' ';
		} else if (ch == '%' && i + 2 < n && hexval(p[i + 1]) >= 0 &&
			   hexval(p[i + 2]) >= 0) {
			ch = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
			i += 2;
		}
		buf[o++] = ch;
	}
	buf[o] = '\0';
}

/* From "...?command=sh&command=-c&command=id&container=web": the command
 * words joined by spaces and the container name. */
static void audit_query(const char *uri, char *cmd, size_t cmd_cap,
			char *cont, size_t cont_cap)
{
	const char *p = uri ? strchr(uri, '?') : NULL;
	const char *end, *eq;

	cmd[0] = cont[0] = '\0';
	if (!p)
		return;
	for (p++; *p; p = *end ? end + 1 : end) {
		end = strchr(p, '&');
		if (!end)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (!eq)
			continue;
		if ((size_t)(eq - p) == 7 && memcmp(p, "command", 7) == 0) {
			if (cmd[0])
				url_append(cmd, cmd_cap, " ", 1);
			url_append(cmd, cmd_cap, eq + 1,
				   (size_t)(end - eq - 1));
		} else if ((size_t)(eq - p) == 9 &&
			   memcmp(p, "container", 9) == 0) {
			cont[0] = '\0';
			url_append(cont, cont_cap, eq + 1,
				   (size_t)(end - eq - 1));
		}
	}
}

static int is_access(const char *sub)
{
	return sub && (strcmp(sub, "exec") == 0 ||
		       strcmp(sub, "attach") == 0 ||
		       strcmp(sub, "portforward") == 0);
}

/* 1 when the auditID was seen before (a later stage of one request). */
static int audit_seen(struct sv_containers *c, const char *id, int *nomem)
{
	uint64_t h = sv_hash_bytes(c->seed ^ 0x5a5a, id, strlen(id));
	struct sc_audit *a;
	uint32_t i1, idx;
	int rc;

	for (i1 = sv_tab_first(&c->audits, (uint32_t)h); i1;
	     i1 = sv_tab_next(&c->audits, i1))
		if (((struct sc_audit *)sv_tab_at(&c->audits, i1 - 1))->h == h)
			return 1;
	rc = sv_tab_add(&c->audits, h, &idx);
	if (rc < 0)
		*nomem = 1;
	if (rc == 0) {
		a = sv_tab_at(&c->audits, idx);
		a->h = h;
	}
	return 0;
}

int sc_on_audit(struct sv_containers *c, const struct sv_record *rec)
{
	const struct sv_k8s_audit *a = &rec->u.audit;
	char cmd[SC_TEXT_MAX + 1], cont[HINT_MAX + 1];
	struct sc_fact *f;
	uint32_t ent1;
	int nomem = 0;

	if (!is_access(a->subresource) || !a->resource ||
	    strcmp(a->resource, "pods") != 0 || !a->name || !*a->name)
		return 0;
	if (a->audit_id && *a->audit_id && audit_seen(c, a->audit_id, &nomem)) {
		c->st.audit_duplicates++;
		return 0;
	}
	if (nomem || sc_named_ent(c, NULL, NULL, a->name, a->k8s_namespace,
				  &ent1))
		return -1;
	if (!ent1)
		return 0;
	c->st.records++;
	if (sc_ent_said(c, ent1, SV_SRC_K8S_AUDIT, rec->ts_ns, NULL, NULL,
			NULL))
		return -1;
	f = sc_fact_new(c, rec, F_AUDIT, SV_SRC_K8S_AUDIT, ent1, &nomem);
	if (!f)
		return nomem ? -1 : 0;
	audit_query(a->request_uri, cmd, sizeof(cmd), cont, sizeof(cont));
	f->action = sc_intern(c, a->subresource, SC_NAME_MAX, &nomem);
	f->name = cont[0] ? sc_intern(c, cont, HINT_MAX, &nomem) : NULL;
	f->detail = cmd[0] ? sc_intern(c, cmd, SC_TEXT_MAX, &nomem) : NULL;
	f->extra = a->user && *a->user
			   ? sc_intern(c, a->user, SC_NAME_MAX, &nomem)
			   : NULL;
	f->exit_code = a->response_code;
	return nomem ? -1 : 0;
}

/* ---- Kubernetes events ---- */

static const char *const reasons[] = {
	"Created", "Started", "Killing", "BackOff", "Pulled", "OOMKilling",
};

static int known_reason(const char *r)
{
	size_t i;

	for (i = 0; r && i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(r, reasons[i]) == 0)
			return 1;
	return 0;
}

/* The word after "container " in msg ("Started container web",
 * "Back-off restarting failed container web in pod ..."), unquoted. */
static void msg_container(const char *msg, char *out, size_t cap)
{
	const char *p = msg ? strstr(msg, "container ") : NULL;
	size_t n = 0;

	out[0] = '\0';
	if (!p)
		return;
	p += 10;
	if (*p == '"')
		p++;
	while (p[n] && p[n] != ' ' && p[n] != '"' && n + 1 < cap)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* The first "quoted" text of msg ("Successfully pulled image \"x\""). */
static void msg_quoted(const char *msg, char *out, size_t cap)
{
	const char *p = msg ? strchr(msg, '"') : NULL;
	const char *q = p ? strchr(p + 1, '"') : NULL;
	size_t n;

	out[0] = '\0';
	if (!q)
		return;
	n = (size_t)(q - p - 1);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p + 1, n);
	out[n] = '\0';
}

int sc_on_k8s_event(struct sv_containers *c, const struct sv_record *rec)
{
	const struct sv_k8s_event *k = &rec->u.k8s_event;
	char hint[HINT_MAX + 1], image[SC_NAME_MAX + 1];
	int pod = k->kind && strcmp(k->kind, "Pod") == 0;
	struct sc_fact *f;
	uint32_t ent1 = 0;
	int nomem = 0;

	if (!known_reason(k->reason) ||
	    (!pod && strcmp(k->reason, "OOMKilling") != 0))
		return 0;
	if (pod && sc_named_ent(c, NULL, NULL, k->name, k->k8s_namespace,
				&ent1))
		return -1;
	c->st.records++;
	if (ent1 && sc_ent_said(c, ent1, SV_SRC_K8S_EVENT, rec->ts_ns, NULL,
				NULL, NULL))
		return -1;
	f = sc_fact_new(c, rec, F_K8S, SV_SRC_K8S_EVENT, ent1, &nomem);
	if (!f)
		return nomem ? -1 : 0;
	msg_container(k->message, hint, sizeof(hint));
	msg_quoted(k->message, image, sizeof(image));
	f->action = sc_intern(c, k->reason, SC_NAME_MAX, &nomem);
	f->name = hint[0] ? sc_intern(c, hint, HINT_MAX, &nomem) : NULL;
	if (strcmp(k->reason, "Pulled") == 0 && image[0])
		f->image = sc_intern(c, image, SC_NAME_MAX, &nomem);
	f->detail = k->message && *k->message
			    ? sc_intern(c, k->message, SC_TEXT_MAX, &nomem)
			    : NULL;
	f->exit_code = k->count;
	return nomem ? -1 : 0;
}
