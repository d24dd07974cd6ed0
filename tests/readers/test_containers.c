/*
 * test_containers.c - analyzer/sv_containers: the containers of a bundle
 * joined from every source, and their events.
 *
 * Unit cases feed synthetic records (struct sv_record built here, as the
 * proc, cgroup, lifecycle, inspect and dmesg readers emit them) and check
 * every join rule of sv_containers.h: full and short ids, names without
 * ids, pods, one-source containers, conflicting values, missing sources,
 * hostile strings, caps, mounts, limits and running out of memory. The
 * real samples end to end: test_containers_samples.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_arena.h"
#include "sv_containers.h"
#include "sv_time.h"

#define SEC 1000000000LL
#define T0 (1795942000LL * SEC)
#define ID_A "aaaaaaaaaaaa1111111111111111111111111111111111111111111111111111"
#define ID_A2 "aaaaaaaaaaaa2222222222222222222222222222222222222222222222222222"
#define ID_B "bbbbbbbbbbbb3333333333333333333333333333333333333333333333333333"
#define ID_C "cccccccccccc4444444444444444444444444444444444444444444444444444"
#define SRC(s) (1u << (s))
#define POD "0b2b1a49-5f43-4e8e-9f2c-1a2b3c4d5e6f"

/* ---------------------------------------------------- the fixture */

static struct sv_arena *g_arena;
static struct sv_containers *g_c;
static const struct sv_container_set *g_s;

static void setup(void)
{
	g_arena = sv_arena_new(64ULL << 20);
	ck_assert_ptr_nonnull(g_arena);
	g_c = sv_containers_new(g_arena);
	ck_assert_ptr_nonnull(g_c);
	g_s = NULL;
}

static void teardown(void)
{
	sv_containers_free(g_c);
	sv_arena_free(g_arena);
	g_c = NULL;
	g_arena = NULL;
}

static void feed(const struct sv_record *r)
{
	struct sv_error err;

	sv_error_clear(&err);
	ck_assert_int_eq(sv_containers_record(g_c, r, &err), SV_OK);
}

static const struct sv_container_set *build(void)
{
	struct sv_error err;

	sv_error_clear(&err);
	ck_assert_int_eq(sv_containers_build(g_c, &g_s, &err), SV_OK);
	ck_assert_ptr_nonnull(g_s);
	return g_s;
}

static void rec_init(struct sv_record *r, enum sv_record_type type,
		     const char *artifact, int64_t ts, uint64_t line)
{
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->artifact = artifact;
	r->ts_ns = ts;
	r->line = line;
}

/* proc/<T>/<pid>/cgroup line with path. */
static void p_cgroup(int64_t t, uint32_t pid, const char *path)
{
	struct sv_record r;

	rec_init(&r, SV_REC_PROC_CGROUP, "proc/T/pid/cgroup", t, 1);
	r.pid = pid;
	r.u.proc_cgroup.hierarchy = 9;
	r.u.proc_cgroup.controllers = "memory";
	r.u.proc_cgroup.path = path;
	feed(&r);
}

static void p_stat(int64_t t, uint32_t pid, uint64_t start)
{
	struct sv_record r;

	rec_init(&r, SV_REC_PROC_STAT, "proc/T/pid/stat", t, 1);
	r.pid = pid;
	r.u.proc_stat.pid = pid;
	r.u.proc_stat.comm = "sh";
	r.u.proc_stat.starttime = start;
	feed(&r);
}

static void cg_value(int64_t t, const char *cgroup)
{
	struct sv_record r;

	rec_init(&r, SV_REC_CGROUP_VALUE, "cgroup/T/memory/x/memory.stat", t,
		 1);
	r.u.cgroup.cgroup = cgroup;
	r.u.cgroup.controller = "memory";
	r.u.cgroup.file = "memory.stat";
	r.u.cgroup.subject = "";
	r.u.cgroup.key = "rss";
	r.u.cgroup.value = 4096;
	feed(&r);
}

struct rt {
	enum sv_runtime runtime;
	const char *type, *action, *id, *name, *image, *pod, *ns, *detail;
	int has_exit;
	int64_t exit_code;
};

static void runtime_ev(int64_t t, uint64_t line, const struct rt *e)
{
	struct sv_record r;

	rec_init(&r, SV_REC_RUNTIME_EVENT, "events/docker.jsonl", t, line);
	r.u.runtime.runtime = e->runtime;
	r.u.runtime.type = e->type ? e->type : "container";
	r.u.runtime.action = e->action;
	r.u.runtime.id = e->id ? e->id : "";
	r.u.runtime.name = e->name ? e->name : "";
	r.u.runtime.image = e->image ? e->image : "";
	r.u.runtime.pod = e->pod ? e->pod : "";
	r.u.runtime.k8s_namespace = e->ns ? e->ns : "";
	r.u.runtime.detail = e->detail ? e->detail : "";
	r.u.runtime.has_exit_code = e->has_exit;
	r.u.runtime.exit_code = e->exit_code;
	feed(&r);
}

static void simple_ev(enum sv_runtime rt, int64_t t, const char *action,
		      const char *id, const char *name)
{
	struct rt e = {.runtime = rt, .action = action, .id = id,
		       .name = name};

	runtime_ev(t, 1, &e);
}

/* An inspect record with the usual "nothing special" values. */
static void inspect_init(struct sv_record *r, const char *id,
			 const char *name)
{
	rec_init(r, SV_REC_INSPECT, "inspect/x.json", T0, 0);
	r->u.inspect.id = id;
	r->u.inspect.name = name;
	r->u.inspect.image = "docker.io/library/nginx:1.25";
	r->u.inspect.image_id = "sha256:1234";
	r->u.inspect.created_ns = T0;
	r->u.inspect.started_ns = T0 + SEC;
	r->u.inspect.finished_ns = SV_TIME_NONE;
	r->u.inspect.exit_code = 0;
	r->u.inspect.pid = 4242;
	r->u.inspect.running = 1;
	r->u.inspect.user = "";
	r->u.inspect.pid_mode = "private";
	r->u.inspect.network_mode = "bridge";
	r->u.inspect.ipc_mode = "private";
	r->u.inspect.uts_mode = "";
	r->u.inspect.cgroup_parent = "";
	r->u.inspect.pod = "";
	r->u.inspect.k8s_namespace = "";
}

static void dmesg_oom(int64_t boot_ns, int64_t pid, const char *memcg,
		      uint64_t line)
{
	struct sv_record r;

	rec_init(&r, SV_REC_KERNEL, "events/dmesg.txt", SV_TIME_NONE, line);
	r.u.kernel.kind = SV_KERN_OOM_KILL;
	r.u.kernel.boot_ns = boot_ns;
	r.u.kernel.pid = pid;
	r.u.kernel.comm = "python3";
	r.u.kernel.memcg = memcg;
	r.u.kernel.message = "Memory cgroup out of memory: Killed process";
	r.u.kernel.device = "";
	r.u.kernel.port = "";
	feed(&r);
}

static void host_btime(int64_t btime_s)
{
	struct sv_record r;

	rec_init(&r, SV_REC_HOST_STAT, "proc/T/stat", T0, 0);
	r.u.host_stat.btime_s = btime_s;
	feed(&r);
}

static const struct sv_cont *find(const char *id)
{
	const struct sv_cont *c = sv_containers_find(g_s, id);

	ck_assert_msg(c != NULL, "no container %s", id);
	return c;
}

/* Events of kind for container id (NULL: none), counted. */
static int count_events(const char *kind, const char *id)
{
	const struct sv_event *e;
	int n = 0;

	for (e = g_s->events; e; e = e->next)
		if (strcmp(e->kind, kind) == 0 &&
		    ((!id && !e->container_id) ||
		     (id && e->container_id &&
		      strcmp(e->container_id, id) == 0)))
			n++;
	return n;
}

static const struct sv_event *first_event(const char *kind)
{
	const struct sv_event *e;

	for (e = g_s->events; e; e = e->next)
		if (strcmp(e->kind, kind) == 0)
			return e;
	return NULL;
}

static int has_text(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

/* ---------------------------------------------------- one source */

/* A container only /proc saw: it appears, with what /proc can say and
 * what is missing. Distinct pids over snapshots, conmon not counted. */
START_TEST(proc_only)
{
	const struct sv_cont *c;

	p_cgroup(T0, 100, "/docker/" ID_A);
	p_cgroup(T0, 100, "/docker/" ID_A); /* a second controller line */
	p_cgroup(T0, 101, "/docker/" ID_A "/init.scope");
	p_cgroup(T0 + SEC, 100, "/docker/" ID_A);
	p_cgroup(T0 + 2 * SEC, 102, "/docker/" ID_A);
	p_cgroup(T0, 1, "/init.scope"); /* the host: no container */
	build();
	ck_assert_uint_eq(g_s->n, 1);
	c = g_s->list;
	ck_assert_str_eq(c->id, ID_A);
	ck_assert_int_eq(c->id_full, 1);
	ck_assert_str_eq(c->short_id, "aaaaaaaaaaaa");
	ck_assert_int_eq(c->runtime, SV_RT_DOCKER);
	ck_assert_uint_eq(c->sources, SRC(SV_SRC_PROC));
	ck_assert_uint_eq(c->procs, 3);
	ck_assert_int_eq(c->proc_first_ns, T0);
	ck_assert_int_eq(c->proc_last_ns, T0 + 2 * SEC);
	ck_assert_uint_eq(c->n_cgroups, 2);
	ck_assert_str_eq(c->cgroups[0], "/docker/" ID_A);
	ck_assert_ptr_null(c->name);
	ck_assert_int_eq(c->privileged, -1);
	ck_assert_int_eq(c->created_ns, SV_TIME_NONE);
	ck_assert_str_eq(c->missing,
			 "no name, no image, no inspect file, no runtime "
			 "events, no cgroup files");
	ck_assert_uint_eq(g_s->n_events, 0);
}
END_TEST

/* cgroup files alone (no leading '/' below the controller), and a
 * conmon scope that names the container without being its workload. */
START_TEST(cgroup_only)
{
	const struct sv_cont *c;

	cg_value(T0, "libpod_parent/libpod-" ID_B);
	cg_value(T0, "libpod_parent/libpod-" ID_B);
	cg_value(T0 + SEC, "libpod_parent/libpod-" ID_B);
	cg_value(T0, "libpod_parent/conmon");
	p_cgroup(T0, 300, "/machine.slice/libpod-conmon-" ID_B ".scope");
	build();
	ck_assert_uint_eq(g_s->n, 1);
	c = find(ID_B);
	ck_assert_int_eq(c->runtime, SV_RT_PODMAN);
	ck_assert_uint_eq(c->sources, SRC(SV_SRC_CGROUP) | SRC(SV_SRC_PROC));
	ck_assert_uint_eq(c->procs, 0);
	ck_assert_uint_eq(c->n_cgroups, 1);
	ck_assert_str_eq(c->cgroups[0], "/libpod_parent/libpod-" ID_B);
	ck_assert_int_eq(c->cgroup_first_ns, T0);
	ck_assert_int_eq(c->cgroup_last_ns, T0 + SEC);
	ck_assert(has_text(c->missing, "no /proc processes"));
}
END_TEST

/* ---------------------------------------------------- ids */

/* A 12-hex id (docker journald, short podman output) joins the one full
 * id it prefixes; upper-case hex is the same id. */
START_TEST(short_id_joins)
{
	const struct sv_cont *c;
	struct sv_record r;

	p_cgroup(T0, 10, "/docker/" ID_B);
	simple_ev(SV_RT_DOCKER, T0 - SEC, "start", "BBBBBBBBBBBB", "api");
	rec_init(&r, SV_REC_JOURNAL, "events/journal.jsonl", T0, 3);
	r.u.journal.unit = "docker.service";
	r.u.journal.identifier = "";
	r.u.journal.message = "hello";
	r.u.journal.container_id = "bbbbbbbbbbbb";
	r.u.journal.container_name = "api";
	feed(&r);
	build();
	ck_assert_uint_eq(g_s->n, 1);
	c = find(ID_B);
	ck_assert_str_eq(c->name, "api");
	ck_assert_uint_eq(c->sources, SRC(SV_SRC_PROC) | SRC(SV_SRC_RUNTIME) |
					      SRC(SV_SRC_JOURNAL));
	ck_assert_int_eq(c->started_ns, T0 - SEC);
	ck_assert_uint_eq(g_s->st.short_joined, 1); /* one lower-case id */
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_START, ID_B), 1);
}
END_TEST

/* A short id that prefixes two full ids joins neither: noted. */
START_TEST(short_id_ambiguous)
{
	const struct sv_cont *c;

	p_cgroup(T0, 10, "/docker/" ID_A);
	p_cgroup(T0, 11, "/docker/" ID_A2);
	simple_ev(SV_RT_DOCKER, T0, "start", "aaaaaaaaaaaa", "x");
	build();
	ck_assert_uint_eq(g_s->n, 3);
	ck_assert_uint_eq(g_s->st.short_ambiguous, 1);
	c = sv_containers_find(g_s, "aaaaaaaaaaaa"); /* exact short id */
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->id_full, 0);
	ck_assert(has_text(c->notes, "matches 2 containers"));
	ck_assert(has_text(c->missing, "no full id"));
	ck_assert_ptr_null(find(ID_A)->name);
}
END_TEST

/* Ids that are not hex (containerd allows any) stay as given, cleaned. */
START_TEST(odd_ids)
{
	const struct sv_cont *c;

	simple_ev(SV_RT_CONTAINERD, T0, "start", "../../etc\n\x1b[31m", "");
	simple_ev(SV_RT_CONTAINERD, T0, "start", "my-app", "");
	build();
	ck_assert_uint_eq(g_s->n, 2);
	for (c = g_s->list; c; c = c->next) {
		ck_assert_ptr_null(strchr(c->id, '\n'));
		ck_assert_ptr_null(strchr(c->id, '\x1b'));
		ck_assert_int_eq(c->id_full, 0);
	}
	ck_assert_ptr_nonnull(sv_containers_find(g_s, "my-app"));
}
END_TEST

/* ---------------------------------------------------- names */

/* A name without an id joins the container of that name. */
START_TEST(name_joins)
{
	struct sv_record r;
	const struct sv_cont *c;

	inspect_init(&r, ID_A, "web");
	feed(&r);
	simple_ev(SV_RT_PODMAN, T0 + 5 * SEC, "stop", "", "web");
	build();
	ck_assert_uint_eq(g_s->n, 1);
	c = find(ID_A);
	ck_assert_uint_eq(g_s->st.names_joined, 1);
	ck_assert(c->sources & SRC(SV_SRC_RUNTIME));
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_STOP, ID_A), 1);
}
END_TEST

/* Two containers named web (the first removed, then a new one): a
 * name-only record joins the one alive at its time; with no time it
 * stays apart, noted. */
START_TEST(name_by_time)
{
	const struct sv_cont *c;
	struct sv_record r;

	simple_ev(SV_RT_DOCKER, T0, "start", ID_A, "web");
	simple_ev(SV_RT_DOCKER, T0 + 10 * SEC, "die", ID_A, "web");
	simple_ev(SV_RT_DOCKER, T0 + 20 * SEC, "start", ID_B, "web");
	simple_ev(SV_RT_DOCKER, T0 + 30 * SEC, "die", ID_B, "web");
	rec_init(&r, SV_REC_JOURNAL, "events/journal.jsonl", T0 + 25 * SEC,
		 1);
	r.u.journal.container_id = "";
	r.u.journal.container_name = "web";
	feed(&r);
	r.ts_ns = T0 + 5 * SEC;
	r.u.journal.container_name = "web";
	feed(&r); /* same entity: first time T0+5 -> the first web */
	build();
	ck_assert_uint_eq(g_s->n, 2);
	ck_assert(find(ID_A)->sources & SRC(SV_SRC_JOURNAL));
	ck_assert(!(find(ID_B)->sources & SRC(SV_SRC_JOURNAL)));
	teardown();
	setup();
	simple_ev(SV_RT_DOCKER, T0, "start", ID_A, "web");
	simple_ev(SV_RT_DOCKER, T0 + 20 * SEC, "start", ID_B, "web");
	rec_init(&r, SV_REC_JOURNAL, "events/journal.jsonl", SV_TIME_NONE, 1);
	r.u.journal.container_id = "";
	r.u.journal.container_name = "web";
	feed(&r);
	build();
	ck_assert_uint_eq(g_s->n, 3);
	ck_assert_uint_eq(g_s->st.names_ambiguous, 1);
	c = sv_containers_find_name(g_s, "web");
	ck_assert_ptr_nonnull(c);
	for (c = g_s->list; c; c = c->next)
		if (!c->id)
			break;
	ck_assert_ptr_nonnull(c);
	ck_assert(has_text(c->notes, "belongs to 2 containers"));
	ck_assert(has_text(c->missing, "no id"));
}
END_TEST

/* ---------------------------------------------------- values */

/* Inspect's name and image win over the runtime's; both are noted. The
 * digest is cut off the image. */
START_TEST(conflicts_noted)
{
	const struct sv_cont *c;
	struct sv_record r;
	struct rt e = {.runtime = SV_RT_DOCKER, .action = "create",
		       .id = ID_A, .name = "old-name", .image = "busybox"};

	runtime_ev(T0 - SEC, 1, &e);
	e.action = "die";
	e.has_exit = 1;
	e.exit_code = 1;
	runtime_ev(T0 + 9 * SEC, 2, &e);
	inspect_init(&r, ID_A, "new-name");
	r.u.inspect.image = "nginx@sha256:abcdef";
	r.u.inspect.running = 0;
	r.u.inspect.finished_ns = T0 + 9 * SEC;
	r.u.inspect.exit_code = 2;
	feed(&r);
	build();
	c = find(ID_A);
	ck_assert_str_eq(c->name, "new-name");
	ck_assert_uint_eq(c->n_names, 2);
	ck_assert_str_eq(c->image, "nginx");
	ck_assert_int_eq(c->exit_code, 1); /* the runtime's died event */
	ck_assert_int_eq(c->created_ns, T0 - SEC); /* runtime over inspect */
	ck_assert(has_text(c->notes, "named new-name in inspect, old-name"));
	ck_assert(has_text(c->notes, "image nginx@sha256:abcdef in inspect"));
	ck_assert(has_text(c->notes, "exit code 1 in runtime events, 2 in "
				     "inspect"));
}
END_TEST

/* podman leaves exit code 0 out of died events; docker never does. */
START_TEST(exit_codes)
{
	simple_ev(SV_RT_PODMAN, T0, "died", ID_A, "p");
	simple_ev(SV_RT_DOCKER, T0, "die", ID_B, "d");
	build();
	ck_assert_int_eq(find(ID_A)->has_exit_code, 1);
	ck_assert_int_eq(find(ID_A)->exit_code, 0);
	ck_assert(has_text(find(ID_A)->notes, "podman leaves 0 out"));
	ck_assert_int_eq(find(ID_B)->has_exit_code, 0);
	ck_assert(has_text(find(ID_B)->missing, "no exit code"));
	ck_assert(has_text(first_event(SV_EV_CONTAINER_DIE)->message,
			   "exit code"));
}
END_TEST

/* Restarts: starts after the first, or restart events, whichever is
 * more; pause and the times of first start / last death. */
START_TEST(restarts)
{
	const struct sv_cont *c;
	struct rt die = {.runtime = SV_RT_DOCKER, .action = "die", .id = ID_A,
			 .has_exit = 1, .exit_code = 137};

	simple_ev(SV_RT_DOCKER, T0, "create", ID_A, "w");
	simple_ev(SV_RT_DOCKER, T0 + 1 * SEC, "start", ID_A, "w");
	runtime_ev(T0 + 2 * SEC, 3, &die);
	simple_ev(SV_RT_DOCKER, T0 + 3 * SEC, "start", ID_A, "w");
	simple_ev(SV_RT_DOCKER, T0 + 4 * SEC, "pause", ID_A, "w");
	simple_ev(SV_RT_DOCKER, T0 + 5 * SEC, "unpause", ID_A, "w");
	die.exit_code = 1;
	runtime_ev(T0 + 6 * SEC, 7, &die);
	simple_ev(SV_RT_DOCKER, T0 + 7 * SEC, "start", ID_A, "w");
	simple_ev(SV_RT_DOCKER, T0 + 7 * SEC, "restart", ID_A, "w");
	simple_ev(SV_RT_DOCKER, T0 + 8 * SEC, "destroy", ID_A, "w");
	build();
	c = find(ID_A);
	ck_assert_uint_eq(c->starts, 3);
	ck_assert_uint_eq(c->restarts, 2);
	ck_assert_int_eq(c->started_ns, T0 + SEC);
	ck_assert_int_eq(c->died_ns, T0 + 6 * SEC);
	ck_assert_int_eq(c->exit_code, 1);
	ck_assert_int_eq(c->paused_ns, T0 + 4 * SEC);
	ck_assert_int_eq(c->removed_ns, T0 + 8 * SEC);
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_RESTART, ID_A), 1);
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_UNPAUSE, ID_A), 1);
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_REMOVE, ID_A), 1);
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_DIE, ID_A), 2);
}
END_TEST

/* Privileges, caps, host namespaces and the sensitive mounts list. */
START_TEST(privileges)
{
	static const char *const caps[] = {"NET_ADMIN", "SYS_ADMIN"};
	static const struct sv_mount mounts[] = {
		{"/var/run/docker.sock", "/var/run/docker.sock", "bind", 1},
		{"/", "/host", "bind", 0},
		{"/proc/sys/", "/p", "bind", 1},
		{"/etc//", "/e", "bind", 0},
		{"/etc/shadow", "/s", "bind", 0},
		{"/var/lib/docker/volumes/x/_data", "/data", "volume", 1},
		{"/srv/www", "/www", "bind", 0},
		{"/var/lib/kubelet/pods/u/volumes/v", "/v", "bind", 0},
		{"/run/user/1000/podman/podman.sock", "/sock", "bind", 1},
		{"/procfs", "/x", "bind", 0},
		{"relative", "/y", "bind", 0},
	};
	const struct sv_cont *c;
	struct sv_record r;

	inspect_init(&r, ID_A, "priv");
	r.u.inspect.privileged = 1;
	r.u.inspect.cap_add = caps;
	r.u.inspect.n_cap_add = 2;
	r.u.inspect.pid_mode = "host";
	r.u.inspect.network_mode = "host";
	r.u.inspect.mounts = mounts;
	r.u.inspect.n_mounts = sizeof(mounts) / sizeof(mounts[0]);
	feed(&r);
	build();
	c = find(ID_A);
	ck_assert_int_eq(c->privileged, 1);
	ck_assert_uint_eq(c->n_cap_add, 2);
	ck_assert_str_eq(c->cap_add[1], "SYS_ADMIN");
	ck_assert_uint_eq(c->host_ns, SV_HOSTNS_PID | SV_HOSTNS_NET);
	ck_assert_uint_eq(c->n_mounts_all, 11);
	ck_assert_uint_eq(c->n_mounts, 6);
	ck_assert_str_eq(c->mounts[0].why, "runtime socket");
	ck_assert_int_eq(c->mounts[0].rw, 1);
	ck_assert_str_eq(c->mounts[1].why, "host root");
	ck_assert_str_eq(c->mounts[1].destination, "/host");
	ck_assert_str_eq(c->mounts[2].why, "host /proc");
	ck_assert_str_eq(c->mounts[3].why, "host /etc");
	ck_assert_str_eq(c->mounts[4].why, "host secrets");
	ck_assert_str_eq(c->mounts[5].source,
			 "/run/user/1000/podman/podman.sock");
	ck_assert_int_eq(c->init_pid, 4242);
	ck_assert_int_eq(c->running, 1);
	ck_assert_str_eq(c->image_id, "sha256:1234");
	/* inspect alone: its create and start become events */
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_CREATE, ID_A), 1);
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_START, ID_A), 1);
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_DIE, ID_A), 0);
}
END_TEST

/* Hostile strings: control bytes and invalid UTF-8 are escaped, long
 * names are cut; events carry no raw control byte. */
START_TEST(hostile_strings)
{
	char longname[3000];
	const struct sv_cont *c;
	const struct sv_event *e;
	struct rt ev = {.runtime = SV_RT_DOCKER, .action = "exec_start",
			.id = ID_A, .name = "we\nb\xff",
			.detail = "sh -c 'echo \x1b]0;pwned\x07'"};

	runtime_ev(T0, 1, &ev);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	simple_ev(SV_RT_DOCKER, T0, "rename", ID_B, longname);
	build();
	c = find(ID_A);
	ck_assert_ptr_null(strchr(c->name, '\n'));
	ck_assert_ptr_null(strchr(c->name, '\xff'));
	ck_assert_uint_eq(c->execs, 1);
	for (e = g_s->events; e; e = e->next) {
		const char *p;

		for (p = e->message; *p; p++)
			ck_assert_int_ge((unsigned char)*p, 0x20);
	}
	c = find(ID_B);
	ck_assert_uint_lt(strlen(c->name), 700);
	ck_assert(has_text(c->name, "cut"));
}
END_TEST

/* ---------------------------------------------------- kernel OOM */

/* The memcg names the container; the boot time comes from proc stat's
 * btime when the manifest has none. */
START_TEST(oom_memcg)
{
	const struct sv_cont *c;
	const struct sv_event *e;

	host_btime(1795940000);
	p_cgroup(T0, 4242, "/kubepods/burstable/pod" POD "/" ID_C);
	dmesg_oom(123 * SEC + 500, 4242, "/kubepods/burstable/pod" POD "/" ID_C,
		  7);
	build();
	c = find(ID_C);
	ck_assert_uint_eq(c->oom_kills, 1);
	ck_assert_int_eq(c->oom_ns[0], 1795940123LL * SEC + 500);
	ck_assert(c->sources & SRC(SV_SRC_KERNEL));
	ck_assert_int_eq(c->runtime, SV_RT_K8S);
	e = first_event(SV_EV_CONTAINER_OOM);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->container_id, ID_C);
	ck_assert_int_eq(e->pid, 4242);
	ck_assert_uint_eq(e->line, 7);
	ck_assert_str_eq(e->artifact, "events/dmesg.txt");
	ck_assert_int_eq(e->source, SV_SRC_KERNEL);
	ck_assert(has_text(e->message, "OOM killer killed pid 4242 (python3)"
				       " in memory cgroup /kubepods"));
	ck_assert(g_s->st.has_boot_time);
}
END_TEST

/* No memcg (old kernel, global OOM): the victim's cgroup in the snapshot
 * before the kill; its starttime from the same folder. Without a boot
 * time the kill has no time and says so. */
START_TEST(oom_by_pid)
{
	struct sv_record m;
	const struct sv_event *e;

	rec_init(&m, SV_REC_MANIFEST, "manifest.json", SV_TIME_NONE, 0);
	m.u.manifest.has_boot_time = 1;
	m.u.manifest.boot_time_ns = T0 - 100 * SEC;
	m.u.manifest.started_ns = T0;
	m.u.manifest.ended_ns = T0 + 10 * SEC;
	feed(&m);
	p_stat(T0 + 2 * SEC, 777, 5555);       /* stat before cgroup */
	p_cgroup(T0 + 2 * SEC, 777, "/docker/" ID_A);
	p_cgroup(T0 + 5 * SEC, 777, "/docker/" ID_B); /* pid reused later */
	dmesg_oom(103 * SEC, 777, "", 2);       /* T0 + 3 s */
	dmesg_oom(200 * SEC, 778, "", 3);       /* nobody's */
	build();
	ck_assert_uint_eq(find(ID_A)->oom_kills, 1);
	ck_assert_uint_eq(find(ID_B)->oom_kills, 0);
	e = first_event(SV_EV_CONTAINER_OOM);
	ck_assert_str_eq(e->container_id, ID_A);
	ck_assert_uint_eq(e->pid_start, 5555);
	ck_assert_int_eq(e->ts_ns, T0 + 3 * SEC);
	ck_assert_int_eq(count_events(SV_EV_KERNEL_OOM, NULL), 1);
	ck_assert_uint_eq(g_s->st.oom_unattributed, 1);
	teardown();
	setup();
	dmesg_oom(5 * SEC, 9, "/docker/" ID_A, 1);
	build();
	e = first_event(SV_EV_CONTAINER_OOM);
	ck_assert_int_eq(e->ts_ns, SV_TIME_NONE);
	ck_assert(has_text(e->message, "no boot time"));
	ck_assert(!g_s->st.has_boot_time);
	ck_assert(has_text(find(ID_A)->notes, "OOM kill times unknown"));
}
END_TEST

/* ---------------------------------------------------- Kubernetes */

static void k8s_pod_container(const char *id, const char *name)
{
	struct sv_record r;

	inspect_init(&r, id, name);
	r.u.inspect.pod = "shop";
	r.u.inspect.k8s_namespace = "prod";
	feed(&r);
}

static void audit(int64_t t, const char *auditid, const char *sub,
		  const char *pod, const char *uri, int64_t code)
{
	struct sv_record r;

	rec_init(&r, SV_REC_K8S_AUDIT, "events/k8s-audit.jsonl", t, 4);
	r.u.audit.audit_id = auditid;
	r.u.audit.stage = "ResponseStarted";
	r.u.audit.verb = "create";
	r.u.audit.user = "mallory";
	r.u.audit.resource = "pods";
	r.u.audit.subresource = sub;
	r.u.audit.k8s_namespace = "prod";
	r.u.audit.name = pod;
	r.u.audit.request_uri = uri;
	r.u.audit.source_ip = "10.0.0.1";
	r.u.audit.user_agent = "kubectl";
	r.u.audit.response_code = code;
	feed(&r);
}

/* exec into a pod of two containers: the container= parameter picks
 * docker's k8s_<name>_<pod>_... container; later stages of the same
 * request are not events again; a refused one is not an exec. */
START_TEST(audit_exec)
{
	const struct sv_cont *c;
	const struct sv_event *e;

	k8s_pod_container(ID_A, "k8s_app_shop_prod_0123_0");
	k8s_pod_container(ID_B, "k8s_sidecar_shop_prod_0123_0");
	audit(T0, "a-1", "exec", "shop",
	      "/api/v1/namespaces/prod/pods/shop/exec?command=sh&command=-c"
	      "&command=cat%20%2Fetc%2Fshadow&container=app&stdin=true",
	      101);
	audit(T0 + SEC, "a-1", "exec", "shop", "/x?container=app", 101);
	audit(T0 + 2 * SEC, "a-2", "exec", "shop", "/x?container=app", 403);
	audit(T0 + 3 * SEC, "a-3", "portforward", "shop", "/x?ports=80", 101);
	build();
	c = find(ID_A);
	ck_assert_uint_eq(c->execs, 1);
	ck_assert_str_eq(c->pod, "shop");
	ck_assert_str_eq(c->k8s_namespace, "prod");
	ck_assert_int_eq(c->runtime, SV_RT_K8S);
	ck_assert(c->sources & SRC(SV_SRC_K8S_AUDIT));
	ck_assert_uint_eq(find(ID_B)->execs, 0);
	ck_assert_uint_eq(g_s->st.audit_duplicates, 1);
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_EXEC, ID_A), 2);
	e = first_event(SV_EV_CONTAINER_EXEC);
	ck_assert_str_eq(e->message,
			 "Kubernetes exec into pod prod/shop (container app)"
			 " by mallory: sh -c cat /etc/shadow");
	ck_assert_int_eq(e->source, SV_SRC_K8S_AUDIT);
	for (e = e->next; e && strcmp(e->kind, SV_EV_CONTAINER_EXEC); )
		e = e->next;
	ck_assert_ptr_nonnull(e);
	ck_assert(has_text(e->message, "refused: HTTP 403"));
	/* port-forward names no container: the pod has two, so it stays
	 * with an id-less container standing for the pod */
	ck_assert_int_eq(count_events(SV_EV_K8S, NULL), 1);
	ck_assert_uint_eq(g_s->n, 3);
}
END_TEST

/* A pod nobody else knows: one id-less container stands for it. */
START_TEST(audit_unknown_pod)
{
	const struct sv_cont *c;

	audit(T0, "z", "attach", "ghost", "/x", 101);
	audit(T0, "y", "get", "ghost", "/x", 200); /* not an access */
	build();
	ck_assert_uint_eq(g_s->n, 1);
	c = g_s->list;
	ck_assert_ptr_null(c->id);
	ck_assert_str_eq(c->pod, "ghost");
	ck_assert_str_eq(sv_container_label(c), "ghost");
	ck_assert_uint_eq(c->execs, 1);
	ck_assert(has_text(c->missing, "no id"));
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_EXEC, NULL), 1);
}
END_TEST

static void k8s_ev(int64_t t, const char *kind, const char *reason,
		   const char *name, const char *msg, int64_t count)
{
	struct sv_record r;

	rec_init(&r, SV_REC_K8S_EVENT, "events/k8s-events.json", t, 0);
	r.u.k8s_event.type = "Normal";
	r.u.k8s_event.reason = reason;
	r.u.k8s_event.message = msg;
	r.u.k8s_event.kind = kind;
	r.u.k8s_event.k8s_namespace = "prod";
	r.u.k8s_event.name = name;
	r.u.k8s_event.uid = "";
	r.u.k8s_event.count = count;
	feed(&r);
}

START_TEST(k8s_events)
{
	const struct sv_cont *c;

	k8s_pod_container(ID_A, "k8s_app_shop_prod_0123_0");
	k8s_ev(T0, "Pod", "Pulled", "solo",
	       "Successfully pulled image \"redis:7@sha256:00\" in 1s", 1);
	k8s_ev(T0 + SEC, "Pod", "Started", "solo", "Started container redis",
	       1);
	k8s_ev(T0 + 2 * SEC, "Pod", "BackOff", "shop",
	       "Back-off restarting failed container app in pod shop", 5);
	k8s_ev(T0 + 3 * SEC, "Pod", "Scheduled", "shop", "Assigned", 1);
	k8s_ev(T0 + 4 * SEC, "Node", "OOMKilling", "node1",
	       "Memory cgroup out of memory: Killed process 99 (java)", 1);
	build();
	ck_assert_uint_eq(g_s->n, 2);
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_RESTART, ID_A), 1);
	ck_assert(has_text(first_event(SV_EV_CONTAINER_RESTART)->message,
			   "(5 times)"));
	ck_assert_int_eq(count_events(SV_EV_KERNEL_OOM, NULL), 1);
	c = sv_containers_find_name(g_s, "x");
	ck_assert_ptr_null(c);
	for (c = g_s->list; c && c->id; c = c->next)
		;
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->pod, "solo");
	ck_assert_str_eq(c->image, "redis:7");
	ck_assert_int_eq(c->started_ns, T0 + SEC);
	ck_assert(c->sources & SRC(SV_SRC_K8S_EVENT));
}
END_TEST

/* ---------------------------------------------------- the set */

START_TEST(find_and_order)
{
	struct sv_record r;

	simple_ev(SV_RT_DOCKER, T0 + 9 * SEC, "create", ID_B, "b");
	simple_ev(SV_RT_DOCKER, T0 + 1 * SEC, "create", ID_A2, "a2");
	simple_ev(SV_RT_DOCKER, T0 + 2 * SEC, "create", ID_A, "a");
	inspect_init(&r, ID_C, "c");
	r.u.inspect.created_ns = SV_TIME_NONE;
	r.u.inspect.started_ns = SV_TIME_NONE;
	r.ts_ns = SV_TIME_NONE;
	feed(&r);
	build();
	/* creation order, unknown last */
	ck_assert_str_eq(g_s->list->name, "a2");
	ck_assert_str_eq(g_s->list->next->name, "a");
	ck_assert_str_eq(g_s->list->next->next->name, "b");
	ck_assert_str_eq(g_s->list->next->next->next->name, "c");
	ck_assert_ptr_eq(sv_containers_find(g_s, "bbbb"), find(ID_B));
	ck_assert_ptr_null(sv_containers_find(g_s, "bbb"));
	ck_assert_ptr_null(sv_containers_find(g_s, "aaaaaaaaaaaa"));
	ck_assert_ptr_eq(sv_containers_find(g_s, "aaaaaaaaaaaa2"),
			 find(ID_A2));
	ck_assert_ptr_null(sv_containers_find(g_s, "dddd"));
	ck_assert_ptr_null(sv_containers_find(g_s, NULL));
	ck_assert_ptr_null(sv_containers_find(NULL, ID_A));
	ck_assert_ptr_eq(sv_containers_find_name(g_s, "b"), find(ID_B));
	ck_assert_str_eq(sv_container_label(NULL), "unknown container");
	/* events in time order */
	ck_assert_int_eq(g_s->events->ts_ns, T0 + SEC);
	ck_assert_int_eq(g_s->events->next->ts_ns, T0 + 2 * SEC);
}
END_TEST

/* Records in reverse order give the same containers. */
START_TEST(any_order)
{
	struct sv_record r;
	const struct sv_cont *c;

	inspect_init(&r, ID_A, "web");
	feed(&r);
	p_cgroup(T0 + 2 * SEC, 5, "/libpod_parent/libpod-" ID_A);
	cg_value(T0 + 2 * SEC, "libpod_parent/libpod-" ID_A);
	simple_ev(SV_RT_PODMAN, T0 + SEC, "start", ID_A, "web");
	simple_ev(SV_RT_PODMAN, T0, "create", ID_A, "web");
	build();
	ck_assert_uint_eq(g_s->n, 1);
	c = find(ID_A);
	ck_assert_int_eq(c->created_ns, T0);
	ck_assert_int_eq(c->started_ns, T0 + SEC);
	ck_assert_str_eq(c->missing, "");
	ck_assert_str_eq(g_s->events->kind, SV_EV_CONTAINER_CREATE);
	/* a second build is the same set; later records are ignored */
	simple_ev(SV_RT_PODMAN, T0, "create", ID_B, "x");
	ck_assert_ptr_eq(build(), g_s);
	ck_assert_uint_eq(g_s->n, 1);
}
END_TEST

START_TEST(limits)
{
	struct sv_containers_limits lim = {.max_containers = 2,
					   .max_kept = 3};

	sv_containers_free(g_c);
	g_c = sv_containers_new_limits(g_arena, &lim);
	ck_assert_ptr_nonnull(g_c);
	simple_ev(SV_RT_DOCKER, T0, "create", ID_A, "a");
	simple_ev(SV_RT_DOCKER, T0, "start", ID_A, "a");
	simple_ev(SV_RT_DOCKER, T0, "create", ID_B, "b");
	simple_ev(SV_RT_DOCKER, T0, "create", ID_C, "c");
	simple_ev(SV_RT_DOCKER, T0, "die", ID_B, "b");
	build();
	ck_assert_uint_eq(g_s->n, 2);
	ck_assert_uint_eq(g_s->st.containers_dropped, 1);
	ck_assert_uint_eq(g_s->st.kept_dropped, 1);
	ck_assert_uint_eq(g_s->n_events, 3);
}
END_TEST

/* Every allocation failing in turn: NOMEM or a result, never a crash. */
START_TEST(out_of_memory)
{
	int n, ok = 0;

	for (n = 1; n < 400 && !ok; n++) {
		struct sv_arena *a = sv_arena_new(0);
		struct sv_containers *c = sv_containers_new(a);
		const struct sv_container_set *s = NULL;
		struct sv_record r;
		struct sv_error err;
		enum sv_status rc = SV_OK;

		ck_assert_ptr_nonnull(c);
		sv_arena_fail_after(a, (uint64_t)n);
		inspect_init(&r, ID_A, "web");
		rc = sv_containers_record(c, &r, &err);
		r.type = SV_REC_RUNTIME_EVENT;
		r.u.runtime.runtime = SV_RT_PODMAN;
		r.u.runtime.type = "container";
		r.u.runtime.action = "died";
		r.u.runtime.id = ID_A;
		r.u.runtime.name = "web";
		r.u.runtime.image = r.u.runtime.pod = "";
		r.u.runtime.k8s_namespace = r.u.runtime.detail = "";
		if (rc == SV_OK)
			rc = sv_containers_record(c, &r, &err);
		if (rc == SV_OK)
			rc = sv_containers_build(c, &s, &err);
		ck_assert(rc == SV_OK || rc == SV_ERR_NOMEM);
		if (rc == SV_OK) {
			ck_assert_ptr_nonnull(s);
			ok = s->n == 1 && s->list->name;
		}
		sv_containers_free(c);
		sv_arena_free(a);
	}
	ck_assert(ok);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("containers");
	TCase *u = tcase_create("unit");

	tcase_add_checked_fixture(u, setup, teardown);
	tcase_add_test(u, proc_only);
	tcase_add_test(u, cgroup_only);
	tcase_add_test(u, short_id_joins);
	tcase_add_test(u, short_id_ambiguous);
	tcase_add_test(u, odd_ids);
	tcase_add_test(u, name_joins);
	tcase_add_test(u, name_by_time);
	tcase_add_test(u, conflicts_noted);
	tcase_add_test(u, exit_codes);
	tcase_add_test(u, restarts);
	tcase_add_test(u, privileges);
	tcase_add_test(u, hostile_strings);
	tcase_add_test(u, oom_memcg);
	tcase_add_test(u, oom_by_pid);
	tcase_add_test(u, audit_exec);
	tcase_add_test(u, audit_unknown_pod);
	tcase_add_test(u, k8s_events);
	tcase_add_test(u, find_and_order);
	tcase_add_test(u, any_order);
	tcase_add_test(u, limits);
	tcase_add_test(u, out_of_memory);
	suite_add_tcase(s, u);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
