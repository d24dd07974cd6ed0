/*
 * fuzz_containers.c - libFuzzer target for the container join
 * (analyzer/sv_containers*.c).
 *
 * The input is a program: a flags byte, then operations, each an opcode
 * byte and its operands, that build the records the proc, cgroup,
 * lifecycle, inspect and dmesg readers emit. Values come from small
 * tables so that ids, names, pods, snapshots and pids collide; a string
 * operand past its table is read raw from the input (up to 1 KiB, any
 * bytes but NUL). Flags: bit 0 small caps, bit 1 the arena fails after a
 * number of allocations (next byte).
 *
 * Oracles (abort()) besides the sanitizers:
 *   - sv_containers_record / _build return SV_OK, or SV_ERR_NOMEM (with
 *     err set) only when the arena was made to fail;
 *   - the set: n containers in the list, at most one per entity cap;
 *     ids unique, non-empty, found again by sv_containers_find; id_full
 *     exactly for 64 lowercase hex; short_id its first 12 characters;
 *     by_id sorted; names distinct and at most SV_CONT_NAMES_MAX; every
 *     shown string (names, image, missing, notes, cgroups, caps,
 *     mounts) without control bytes; sources only known bits; OOM times
 *     no more than the kills; restarts at least the extra starts;
 *   - events: n_events in the list, ordered by time with unknown times
 *     last, a known kind, a one-line message, a container id that finds
 *     its container;
 *   - a second build returns the same set.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_arena.h"
#include "sv_containers.h"
#include "sv_cursor.h"
#include "sv_time.h"

#define MAX_INPUT 65536u
#define MAX_OPS 4096
#define RAW_MAX 1024
#define SEC 1000000000LL
#define T0 (1795942000LL * SEC)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IA "aaaaaaaaaaaa1111111111111111111111111111111111111111111111111111"
#define IA2 "aaaaaaaaaaaa2222222222222222222222222222222222222222222222222222"
#define IB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static const char *const ids[] = {
	IA, IA2, IB, "aaaaaaaaaaaa", "AAAAAAAAAAAA1111", "bbbb", "my-app", "",
};

static const char *const cgroups[] = {
	"/libpod_parent/libpod-" IA, "libpod_parent/libpod-" IA2,
	"/docker/" IB, "/machine.slice/libpod-conmon-" IA ".scope",
	"/libpod_parent/conmon", "/", "/system.slice/ssh.service", "",
	"/kubepods/burstable/pod0b2b1a49-5f43-4e8e-9f2c-1a2b3c4d5e6f/" IB,
};

static const char *const names[] = {
	"web", "client", "k8s_app_shop_prod_0_0", "shop", "prod", "", "app",
	"hog",
};

static const char *const actions[] = {
	"create", "init", "start", "exec", "exec_died", "pause", "unpause",
	"stop", "died", "die", "kill", "oom", "restart", "cleanup", "remove",
	"exec_start", "start-request", "log", "health_status", "",
};

static const char *const types[] = {"container", "", "pod", "image"};

static const char *const subs[] = {"exec", "attach", "portforward", "log",
				   ""};

static const char *const reasons[] = {
	"Started", "Created", "Killing", "BackOff", "Pulled", "OOMKilling",
	"Scheduled",
};

static const char *const msgs[] = {
	"Started container app", "Back-off restarting failed container web",
	"Successfully pulled image \"nginx@sha256:00\"", "container ",
	"\"", "",
};

static const char *const uris[] = {
	("/api/v1/namespaces/prod/pods/shop/exec?command=sh&command=-c"
	 "&container=app"),
	"/x?container=web&command=%2", "/x?", "/x?command=%41%4", "",
};

static const char *const mounts[] = {
	"/", "/proc", "/var/run/docker.sock", "/etc//", "/srv", "relative",
	"//", "/var/lib/docker/volumes/x", "",
};

#define NT(t) (sizeof(t) / sizeof((t)[0]))

struct fz {
	struct sv_cursor c;
	struct sv_containers *ct;
	struct sv_arena *arena;
	int may_fail;
	char raw[8][RAW_MAX + 1];
	int nraw;
	const char *caps[4];
	struct sv_mount mnt[4];
};

static uint8_t u8(struct fz *z)
{
	return sv_get_u8(&z->c);
}

/* A table string, or (index past the table) a raw one from the input. */
static const char *str(struct fz *z, const char *const *t, size_t n)
{
	uint8_t i = u8(z);
	char *out;
	size_t len, k;

	if (i < n)
		return t[i];
	out = z->raw[z->nraw++ & 7];
	len = ((size_t)u8(z) << 2) % (RAW_MAX + 1);
	for (k = 0; k < len && !z->c.err; k++) {
		out[k] = (char)u8(z);
		if (!out[k])
			out[k] = 'x';
	}
	out[k] = '\0';
	return out;
}

static int64_t when(struct fz *z)
{
	uint8_t v = u8(z);

	return v == 255 ? SV_TIME_NONE : T0 + (int64_t)(v % 32) * SEC;
}

static void feed(struct fz *z, struct sv_record *r)
{
	struct sv_error err;
	enum sv_status rc;

	memset(&err, 0, sizeof(err));
	rc = sv_containers_record(z->ct, r, &err);
	if (rc == SV_OK)
		return;
	if (rc != SV_ERR_NOMEM || err.code != SV_ERR_NOMEM || !z->may_fail)
		abort();
}

static void rec(struct fz *z, struct sv_record *r, enum sv_record_type t)
{
	memset(r, 0, sizeof(*r));
	r->type = t;
	r->artifact = "events/x";
	r->ts_ns = when(z);
	r->line = u8(z);
	r->pid = 1 + u8(z) % 8;
}

static void op_proc(struct fz *z, int kind)
{
	struct sv_record r;

	rec(z, &r, kind ? SV_REC_PROC_STAT : SV_REC_PROC_CGROUP);
	if (kind) {
		r.u.proc_stat.pid = r.pid;
		r.u.proc_stat.comm = "sh";
		r.u.proc_stat.starttime = u8(z);
	} else {
		r.u.proc_cgroup.controllers = "";
		r.u.proc_cgroup.path = str(z, cgroups, NT(cgroups));
	}
	feed(z, &r);
}

static void op_cgroup(struct fz *z)
{
	struct sv_record r;

	rec(z, &r, SV_REC_CGROUP_VALUE);
	r.u.cgroup.cgroup = str(z, cgroups, NT(cgroups));
	r.u.cgroup.controller = "memory";
	r.u.cgroup.file = "memory.stat";
	r.u.cgroup.subject = r.u.cgroup.key = "";
	feed(z, &r);
}

static void op_runtime(struct fz *z)
{
	struct sv_runtime_event *e;
	struct sv_record r;

	rec(z, &r, SV_REC_RUNTIME_EVENT);
	e = &r.u.runtime;
	e->runtime = (enum sv_runtime)(u8(z) % 7);
	e->type = str(z, types, NT(types));
	e->action = str(z, actions, NT(actions));
	e->id = str(z, ids, NT(ids));
	e->name = str(z, names, NT(names));
	e->image = str(z, names, NT(names));
	e->pod = str(z, names, NT(names));
	e->k8s_namespace = str(z, names, NT(names));
	e->detail = str(z, names, NT(names));
	e->has_exit_code = u8(z) & 1;
	e->exit_code = (int64_t)u8(z) - 1;
	feed(z, &r);
}

static void op_inspect(struct fz *z)
{
	struct sv_inspect *in;
	struct sv_record r;
	size_t i;

	rec(z, &r, SV_REC_INSPECT);
	in = &r.u.inspect;
	in->id = str(z, ids, NT(ids));
	in->name = str(z, names, NT(names));
	in->image = str(z, names, NT(names));
	in->image_id = str(z, ids, NT(ids));
	in->created_ns = when(z);
	in->started_ns = when(z);
	in->finished_ns = when(z);
	in->exit_code = (int64_t)u8(z) - 1;
	in->pid = (int64_t)u8(z) % 10 - 1;
	in->oom_killed = u8(z) & 1;
	in->privileged = u8(z) & 1;
	in->running = u8(z) & 1;
	in->user = "";
	in->pid_mode = u8(z) & 1 ? "host" : "private";
	in->network_mode = in->ipc_mode = in->uts_mode = "host";
	in->cgroup_parent = "";
	in->n_cap_add = u8(z) % 5;
	for (i = 0; i < in->n_cap_add; i++)
		z->caps[i] = str(z, names, NT(names));
	in->cap_add = z->caps;
	in->n_mounts = u8(z) % 5;
	for (i = 0; i < in->n_mounts; i++) {
		z->mnt[i].source = str(z, mounts, NT(mounts));
		z->mnt[i].destination = str(z, mounts, NT(mounts));
		z->mnt[i].type = "bind";
		z->mnt[i].rw = u8(z) & 1;
	}
	in->mounts = z->mnt;
	in->pod = str(z, names, NT(names));
	in->k8s_namespace = str(z, names, NT(names));
	feed(z, &r);
}

static void op_audit(struct fz *z)
{
	struct sv_k8s_audit *a;
	struct sv_record r;

	rec(z, &r, SV_REC_K8S_AUDIT);
	a = &r.u.audit;
	a->audit_id = str(z, names, NT(names));
	a->stage = a->verb = "create";
	a->user = str(z, names, NT(names));
	a->resource = u8(z) & 1 ? "pods" : "nodes";
	a->subresource = str(z, subs, NT(subs));
	a->k8s_namespace = str(z, names, NT(names));
	a->name = str(z, names, NT(names));
	a->request_uri = str(z, uris, NT(uris));
	a->source_ip = a->user_agent = "";
	a->response_code = (int64_t)u8(z) * 4 - 1;
	feed(z, &r);
}

static void op_k8s(struct fz *z)
{
	struct sv_k8s_event *k;
	struct sv_record r;

	rec(z, &r, SV_REC_K8S_EVENT);
	k = &r.u.k8s_event;
	k->type = "Normal";
	k->reason = str(z, reasons, NT(reasons));
	k->message = str(z, msgs, NT(msgs));
	k->kind = u8(z) & 1 ? "Pod" : "Node";
	k->k8s_namespace = str(z, names, NT(names));
	k->name = str(z, names, NT(names));
	k->uid = "";
	k->count = u8(z);
	feed(z, &r);
}

static void op_journal(struct fz *z)
{
	struct sv_record r;

	rec(z, &r, SV_REC_JOURNAL);
	r.u.journal.unit = r.u.journal.identifier = r.u.journal.message = "";
	r.u.journal.container_id = str(z, ids, NT(ids));
	r.u.journal.container_name = str(z, names, NT(names));
	feed(z, &r);
}

static void op_kernel(struct fz *z)
{
	struct sv_kernel *k;
	struct sv_record r;
	uint8_t v;

	rec(z, &r, SV_REC_KERNEL);
	r.ts_ns = SV_TIME_NONE;
	k = &r.u.kernel;
	v = u8(z);
	k->kind = v & 1 ? SV_KERN_OOM_KILL : SV_KERN_OTHER;
	k->oom_detail = (v >> 1) & 1;
	k->boot_ns = v == 255 ? SV_TIME_NONE : (int64_t)u8(z) * SEC;
	k->pid = (int64_t)u8(z) % 10 - 1;
	k->comm = str(z, names, NT(names));
	k->memcg = str(z, cgroups, NT(cgroups));
	k->message = k->device = k->port = "";
	feed(z, &r);
}

static void op_boot(struct fz *z)
{
	struct sv_record r;
	uint8_t v = u8(z);

	if (v & 1) {
		rec(z, &r, SV_REC_MANIFEST);
		r.u.manifest.has_boot_time = 1;
		r.u.manifest.boot_time_ns =
			v == 255 ? INT64_MAX : T0 - (int64_t)v * SEC;
		r.u.manifest.started_ns = T0;
		r.u.manifest.ended_ns = T0 + 30 * SEC;
	} else {
		rec(z, &r, SV_REC_HOST_STAT);
		r.u.host_stat.btime_s = v == 254 ? INT64_MAX : 1795941900 - v;
	}
	feed(z, &r);
}

static void run_ops(struct fz *z)
{
	int n;

	for (n = 0; n < MAX_OPS && !z->c.err; n++) {
		switch (u8(z) % 10) {
		case 0: op_proc(z, 0); break;
		case 1: op_proc(z, 1); break;
		case 2: op_cgroup(z); break;
		case 3: op_runtime(z); break;
		case 4: op_inspect(z); break;
		case 5: op_audit(z); break;
		case 6: op_k8s(z); break;
		case 7: op_journal(z); break;
		case 8: op_kernel(z); break;
		default: op_boot(z); break;
		}
	}
}

/* ---- oracles ---- */

static void line_ok(const char *s)
{
	if (!s)
		return;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

static int is_full(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

static void check_strings(const struct sv_cont *c)
{
	size_t i, j;

	line_ok(c->name);
	line_ok(c->image);
	line_ok(c->pod);
	line_ok(c->k8s_namespace);
	if (!c->missing || !c->notes)
		abort();
	line_ok(c->missing);
	line_ok(c->notes);
	if (c->n_names > SV_CONT_NAMES_MAX || c->n_cgroups >
	    SV_CONT_CGROUPS_MAX || c->n_cap_add > SV_CONT_CAPS_MAX ||
	    c->n_mounts > SV_CONT_MOUNTS_MAX || c->n_mounts > c->n_mounts_all)
		abort();
	for (i = 0; i < c->n_names; i++) {
		line_ok(c->names[i]);
		for (j = 0; j < i; j++)
			if (!strcmp(c->names[i], c->names[j]))
				abort();
	}
	for (i = 0; i < c->n_cgroups; i++)
		if (c->cgroups[i][0] != '/')
			abort();
	for (i = 0; i < c->n_cap_add; i++)
		line_ok(c->cap_add[i]);
	for (i = 0; i < c->n_mounts; i++)
		if (!c->mounts[i].why || !c->mounts[i].source)
			abort();
}

static void check_cont(const struct sv_container_set *s,
		       const struct sv_cont *c)
{
	check_strings(c);
	if (c->id) {
		if (!c->id[0] || sv_containers_find(s, c->id) != c)
			abort();
		if (c->id_full != is_full(c->id))
			abort();
		if (!c->short_id || strncmp(c->short_id, c->id, 12) != 0 ||
		    strlen(c->short_id) > 12)
			abort();
		line_ok(c->id);
	} else if (c->id_full || c->short_id) {
		abort();
	}
	if (c->sources >> SV_SRC_COUNT)
		abort();
	if (c->n_oom_ns > SV_CONT_OOM_TIMES || c->n_oom_ns > c->oom_kills)
		abort();
	if (c->starts > 1 && c->restarts < c->starts - 1)
		abort();
	if (c->privileged < -1 || c->privileged > 1)
		abort();
}

static int known_kind(const char *k)
{
	return !strncmp(k, "container.", 10) || !strcmp(k, SV_EV_KERNEL_OOM) ||
	       !strcmp(k, SV_EV_K8S) || !strcmp(k, SV_EV_K8S_EVENT);
}

static void check_events(const struct sv_container_set *s)
{
	const struct sv_event *e;
	int64_t last = INT64_MIN;
	int none = 0;
	size_t n = 0;

	for (e = s->events; e; e = e->next, n++) {
		if (e->ts_ns == SV_TIME_NONE) {
			none = 1;
		} else {
			if (none || e->ts_ns < last)
				abort();
			last = e->ts_ns;
		}
		if (!e->kind || !known_kind(e->kind) || !e->message)
			abort();
		line_ok(e->message);
		if (e->container_id && !sv_containers_find(s, e->container_id))
			abort();
	}
	if (n != s->n_events)
		abort();
}

static void check_set(struct fz *z, const struct sv_container_set *s,
		      uint64_t max_cont)
{
	const struct sv_container_set *again = NULL;
	const struct sv_cont *c;
	struct sv_error err;
	size_t n = 0, i;

	for (c = s->list; c; c = c->next, n++)
		check_cont(s, c);
	if (n != s->n || n > max_cont)
		abort();
	for (i = 1; i < s->n_by_id; i++)
		if (strcmp(s->by_id[i - 1]->id, s->by_id[i]->id) >= 0)
			abort();
	check_events(s);
	if (sv_containers_build(z->ct, &again, &err) != SV_OK || again != s)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz z;
	struct sv_containers_limits lim;
	const struct sv_container_set *s = NULL;
	struct sv_error err;
	enum sv_status rc;
	uint8_t flags;

	if (size < 1 || size > MAX_INPUT)
		return 0;
	memset(&z, 0, sizeof(z));
	memset(&lim, 0, sizeof(lim));
	z.c = sv_cursor_make(data, size);
	flags = u8(&z);
	if (flags & 1) {
		lim.max_containers = 2 + flags % 4;
		lim.max_kept = 2 + (flags >> 2) % 8;
		lim.max_folders = 2 + (flags >> 4) % 4;
		lim.max_string_bytes = 64 + (uint64_t)(flags >> 5) * 64;
	}
	z.arena = sv_arena_new(16u << 20);
	if (!z.arena)
		return 0;
	z.ct = sv_containers_new_limits(z.arena, &lim);
	if (!z.ct) {
		sv_arena_free(z.arena);
		return 0;
	}
	if (flags & 2) {
		z.may_fail = 1;
		sv_arena_fail_after(z.arena, 1 + (uint64_t)u8(&z));
	}
	run_ops(&z);
	memset(&err, 0, sizeof(err));
	rc = sv_containers_build(z.ct, &s, &err);
	if (rc == SV_OK && s)
		check_set(&z, s, lim.max_containers ? lim.max_containers
						    : 100000);
	else if (rc != SV_ERR_NOMEM || !z.may_fail || s)
		abort();
	sv_containers_free(z.ct);
	sv_arena_free(z.arena);
	return 0;
}
