/*
 * sv_containers_fold.c - one container's fields and events from its
 * entities and its kept records (sv_containers_int.h), in time order.
 *
 *   entities  id, names, cgroups, processes, pod, runtime, sources
 *   pass 1    the facts' values, each with a rank for its source
 *             (runtime events 3, inspect 2, Kubernetes 1): a field takes
 *             the highest rank, then the first (created, started) or
 *             last (paused, died, removed, exit code) in time
 *   pass 2    one event per fact; then from inspect the create, start
 *             and exit that no runtime event showed
 *   then      notes on conflicts, the missing sources
 */
#include "sv_containers_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { T_CREATED, T_STARTED, T_PAUSED, T_DIED, T_REMOVED, T_N };
enum { R_NONE, R_K8S, R_INSPECT, R_RUNTIME };

/* Runtime actions. */
enum {
	A_CREATE, A_START, A_EXEC, A_EXEC_END, A_PAUSE, A_UNPAUSE, A_STOP,
	A_DIE, A_KILL, A_OOM, A_RESTART, A_REMOVE, A_QUIET, A_OTHER
};

static const struct {
	const char *name;
	int act;
} actions[] = {
	{"create", A_CREATE},     {"start", A_START},
	{"exec", A_EXEC},         {"exec_start", A_EXEC},
	{"attach", A_EXEC},       {"exec-sync", A_EXEC},
	{"exec_died", A_EXEC_END}, {"exec_die", A_EXEC_END},
	{"exec-exit", A_EXEC_END}, {"pause", A_PAUSE},
	{"unpause", A_UNPAUSE},   {"stop", A_STOP},
	{"died", A_DIE},          {"die", A_DIE},
	{"exit", A_DIE},          {"kill", A_KILL},
	{"oom", A_OOM},           {"restart", A_RESTART},
	{"remove", A_REMOVE},     {"destroy", A_REMOVE},
	{"log", A_QUIET},         {"pull", A_QUIET},
};

static const char *const act_kind[] = {
	[A_CREATE] = SV_EV_CONTAINER_CREATE,
	[A_START] = SV_EV_CONTAINER_START,
	[A_EXEC] = SV_EV_CONTAINER_EXEC,
	[A_EXEC_END] = SV_EV_CONTAINER_OTHER,
	[A_PAUSE] = SV_EV_CONTAINER_PAUSE,
	[A_UNPAUSE] = SV_EV_CONTAINER_UNPAUSE,
	[A_STOP] = SV_EV_CONTAINER_STOP,
	[A_DIE] = SV_EV_CONTAINER_DIE,
	[A_KILL] = SV_EV_CONTAINER_OTHER,
	[A_OOM] = SV_EV_CONTAINER_OOM,
	[A_RESTART] = SV_EV_CONTAINER_RESTART,
	[A_REMOVE] = SV_EV_CONTAINER_REMOVE,
	[A_QUIET] = NULL,
	[A_OTHER] = SV_EV_CONTAINER_OTHER,
};

static int classify(const char *action)
{
	size_t i, n;

	if (!action)
		return A_OTHER;
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(action, actions[i].name) == 0)
			return actions[i].act;
	/* CRI calls logged on entry ("start-request") are not happenings */
	n = strlen(action);
	if (n > 8 && strcmp(action + n - 8, "-request") == 0)
		return A_QUIET;
	return A_OTHER;
}

/* What pass 1 gathers. */
struct acc {
	int64_t t[T_N];
	int rank[T_N];
	int64_t exit_code, exit_ts, insp_exit;
	int exit_rank, exit_implied;
	const char *name_in, *name_rt, *image_in, *image_rt, *image_k8s;
	uint32_t starts, restart_ev, execs_rt, execs_audit, rt_ooms, k_ooms;
	int has[A_OTHER + 1];
	const struct sc_inspect *in;
	const struct sc_fact *in_fact;
	unsigned n_inspect;
};

/* A message built piece by piece (cut at SC_MSG_MAX). */
struct sbuf {
	char b[SC_MSG_MAX];
	size_t n;
};

static void sb_add(struct sbuf *s, const char *fmt, ...) SV_PRINTF(2, 3);
static void sb_add(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->n + 1 >= sizeof(s->b))
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->b + s->n, sizeof(s->b) - s->n, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->n += (size_t)n;
	if (s->n >= sizeof(s->b))
		s->n = sizeof(s->b) - 1;
}

static const struct sc_fact *fact_at(const struct sc_run *r,
				     const struct sc_build *b, size_t j)
{
	return &r->c->facts[r->order[b->first_fact + j]];
}

/* ---- entities ---- */

static void add_name(struct sv_cont *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_names; i++)
		if (strcmp(c->names[i], name) == 0)
			return;
	if (c->n_names < SV_CONT_NAMES_MAX)
		c->names[c->n_names++] = name;
}

static void add_cgroup(struct sv_cont *c, const char *path)
{
	size_t i;

	for (i = 0; i < c->n_cgroups; i++)
		if (strcmp(c->cgroups[i], path) == 0)
			return;
	if (c->n_cgroups < SV_CONT_CGROUPS_MAX)
		c->cgroups[c->n_cgroups++] = path;
}

static void span(int64_t *lo, int64_t *hi, int64_t a, int64_t z)
{
	if (a != SC_NONE && (*lo == SC_NONE || a < *lo))
		*lo = a;
	if (z != SC_NONE && (*hi == SC_NONE || z > *hi))
		*hi = z;
}

/* The id: a full one if any entity has it, else the first id given. */
static void take_id(struct sv_cont *c, const struct sc_ent *e)
{
	if (e->kind != ENT_ID)
		return;
	if (c->id && (c->id_full || !sc_is_full_id(e->key)))
		return;
	c->id = e->key;
	c->id_full = sc_is_full_id(e->key);
}

static void take_entity(struct sv_cont *c, const struct sc_ent *e,
			enum sv_runtime *rt_ev, enum sv_runtime *rt_cg)
{
	size_t j;

	take_id(c, e);
	if (e->kind == ENT_POD && !c->pod) {
		c->pod = e->key;
		c->k8s_namespace = e->ns[0] ? e->ns : NULL;
	}
	for (j = 0; j < e->n_names; j++)
		add_name(c, e->names[j]);
	for (j = 0; j < e->n_cgroups; j++)
		add_cgroup(c, e->cgroups[j]);
	c->sources |= e->sources;
	c->procs += e->procs;
	span(&c->proc_first_ns, &c->proc_last_ns, e->proc_first,
	     e->proc_last);
	span(&c->cgroup_first_ns, &c->cgroup_last_ns, e->cg_first,
	     e->cg_last);
	if (e->pod && (!c->pod || e->kind != ENT_POD)) {
		c->pod = e->pod;
		c->k8s_namespace = e->pod_ns;
	}
	if (!c->pod_uid && e->pod_uid)
		c->pod_uid = e->pod_uid;
	if (*rt_ev == SV_RT_UNKNOWN)
		*rt_ev = (enum sv_runtime)e->rt_event;
	if (*rt_cg == SV_RT_UNKNOWN || *rt_cg == SV_RT_K8S)
		if (e->rt_cgroup != SV_RT_UNKNOWN)
			*rt_cg = (enum sv_runtime)e->rt_cgroup;
}

static void fold_entities(struct sc_run *r, struct sc_build *b)
{
	enum sv_runtime rt_ev = SV_RT_UNKNOWN, rt_cg = SV_RT_UNKNOWN;
	struct sv_cont *c = b->c;
	uint32_t i1;

	for (i1 = b->ent_head; i1; i1 = r->ent_next[i1 - 1])
		take_entity(c, sc_ent(r->c, i1 - 1), &rt_ev, &rt_cg);
	c->runtime = rt_ev != SV_RT_UNKNOWN ? rt_ev : rt_cg;
	if (c->runtime == SV_RT_UNKNOWN && c->pod)
		c->runtime = SV_RT_K8S;
	if (c->id && strlen(c->id) > 12)
		c->short_id = sv_arena_strndup(r->c->arena, c->id, 12);
	else
		c->short_id = c->id;
	if (c->id && !c->short_id)
		r->nomem = 1;
}

/* ---- pass 1 ---- */

static void set_time(struct acc *a, int t, int64_t v, int rank, int last)
{
	int later;

	if (v == SC_NONE || rank < a->rank[t])
		return;
	later = a->t[t] == SC_NONE || (last ? v >= a->t[t] : v < a->t[t]);
	if (rank > a->rank[t] || later) {
		a->t[t] = v;
		a->rank[t] = rank;
	}
}

static void first_str(const char **dst, const char *s)
{
	if (!*dst && s)
		*dst = s;
}

static void runtime_values(struct acc *a, const struct sc_fact *f)
{
	int act = classify(f->action);

	first_str(&a->name_rt, f->name);
	first_str(&a->image_rt, f->image);
	a->has[act] = 1;
	switch (act) {
	case A_CREATE:
		set_time(a, T_CREATED, f->ts, R_RUNTIME, 0);
		break;
	case A_START:
		set_time(a, T_STARTED, f->ts, R_RUNTIME, 0);
		a->starts++;
		break;
	case A_PAUSE:
		set_time(a, T_PAUSED, f->ts, R_RUNTIME, 1);
		break;
	case A_DIE:
		set_time(a, T_DIED, f->ts, R_RUNTIME, 1);
		if (f->has_exit || f->rt == SV_RT_PODMAN) {
			a->exit_code = f->has_exit ? f->exit_code : 0;
			a->exit_implied = !f->has_exit;
			a->exit_rank = R_RUNTIME;
			a->exit_ts = f->ts;
		}
		break;
	case A_REMOVE:
		set_time(a, T_REMOVED, f->ts, R_RUNTIME, 1);
		break;
	case A_RESTART:
		a->restart_ev++;
		break;
	case A_EXEC:
		a->execs_rt++;
		break;
	case A_OOM:
		a->rt_ooms++;
		break;
	default:
		break;
	}
}

static void inspect_values(struct acc *a, const struct sc_fact *f)
{
	const struct sc_inspect *in = f->in;

	if (!in)
		return;
	if (a->n_inspect++)
		return;
	a->in = in;
	a->in_fact = f;
	a->name_in = in->name;
	a->image_in = in->image;
	set_time(a, T_CREATED, in->created, R_INSPECT, 0);
	set_time(a, T_STARTED, in->started, R_INSPECT, 0);
	if (in->running || in->finished == SC_NONE)
		return;
	set_time(a, T_DIED, in->finished, R_INSPECT, 1);
	if (in->exit_code < 0)
		return;
	a->insp_exit = in->exit_code;
	if (a->exit_rank < R_INSPECT) {
		a->exit_code = in->exit_code;
		a->exit_rank = R_INSPECT;
	}
}

static int is_refused(const struct sc_fact *f)
{
	return f->exit_code >= 400;
}

/* f's action is s (an action may be NULL over the string budget). */
static int act_is(const struct sc_fact *f, const char *s)
{
	return f->action && strcmp(f->action, s) == 0;
}

static void k8s_values(struct acc *a, const struct sc_fact *f)
{
	if (f->kind == F_AUDIT) {
		if (!act_is(f, "portforward") && !is_refused(f))
			a->execs_audit++;
		return;
	}
	if (act_is(f, "Created"))
		set_time(a, T_CREATED, f->ts, R_K8S, 0);
	else if (act_is(f, "Started"))
		set_time(a, T_STARTED, f->ts, R_K8S, 0);
	first_str(&a->image_k8s, f->image);
}

static void pass1(struct sc_run *r, struct sc_build *b, struct acc *a)
{
	struct sv_cont *c = b->c;
	size_t j;

	for (j = 0; j < b->n_facts; j++) {
		const struct sc_fact *f = fact_at(r, b, j);

		c->sources |= 1u << f->src;
		if (f->kind == F_RUNTIME)
			runtime_values(a, f);
		else if (f->kind == F_INSPECT)
			inspect_values(a, f);
		else if (f->kind == F_AUDIT || f->kind == F_K8S)
			k8s_values(a, f);
		else if (f->kind == F_OOM)
			a->k_ooms++;
		if (f->kind == F_OOM && c->n_oom_ns < SV_CONT_OOM_TIMES)
			c->oom_ns[c->n_oom_ns++] = f->ts;
	}
	if (a->k_ooms || !a->rt_ooms)
		return;
	for (j = 0; j < b->n_facts; j++) {
		const struct sc_fact *f = fact_at(r, b, j);

		if (f->kind == F_RUNTIME && classify(f->action) == A_OOM &&
		    c->n_oom_ns < SV_CONT_OOM_TIMES)
			c->oom_ns[c->n_oom_ns++] = f->ts;
	}
}

/* ---- values ---- */

/* image without "@sha256:..." (a digest reference). */
static const char *no_digest(struct sc_run *r, const char *image)
{
	const char *at = image ? strchr(image, '@') : NULL;
	const char *s;

	if (!at)
		return image;
	s = sv_arena_strndup(r->c->arena, image, (size_t)(at - image));
	if (!s)
		r->nomem = 1;
	return s;
}

static void values_inspect(struct sv_cont *c, const struct acc *a)
{
	const struct sc_inspect *in = a->in;
	size_t i;

	if (!in)
		return;
	c->image_id = in->image_id;
	c->privileged = in->privileged ? 1 : 0;
	c->running = in->running;
	c->host_ns = in->host_ns;
	for (i = 0; i < in->n_caps; i++)
		if (in->caps[i])
			c->cap_add[c->n_cap_add++] = in->caps[i];
	memcpy(c->mounts, in->mounts, in->n_mounts * sizeof(in->mounts[0]));
	c->n_mounts = in->n_mounts;
	c->n_mounts_all = in->n_mounts_all;
	c->init_pid = in->pid > 0 ? in->pid : -1;
	if (!c->pod && in->pod) {
		c->pod = in->pod;
		c->k8s_namespace = in->ns;
	}
}

static void values(struct sc_run *r, struct sc_build *b, struct acc *a)
{
	struct sv_cont *c = b->c;
	const char *im;

	c->name = a->name_in ? a->name_in : a->name_rt;
	if (!c->name && c->n_names)
		c->name = c->names[0];
	im = a->image_in ? a->image_in
			 : (a->image_rt ? a->image_rt : a->image_k8s);
	c->image = no_digest(r, im);
	c->created_ns = a->t[T_CREATED];
	c->started_ns = a->t[T_STARTED];
	c->paused_ns = a->t[T_PAUSED];
	c->died_ns = a->t[T_DIED];
	c->removed_ns = a->t[T_REMOVED];
	c->has_exit_code = a->exit_rank != R_NONE;
	c->exit_code = a->exit_code;
	c->starts = a->starts;
	c->restarts = a->starts > 1 ? a->starts - 1 : 0;
	if (a->restart_ev > c->restarts)
		c->restarts = a->restart_ev;
	c->execs = a->execs_rt ? a->execs_rt : a->execs_audit;
	c->oom_kills = a->k_ooms ? a->k_ooms : a->rt_ooms;
	if (!c->oom_kills && a->in && a->in->oom_killed)
		c->oom_kills = 1;
	values_inspect(c, a);
}

/* ---- pass 2: events ---- */

static void exit_text(struct sbuf *m, const struct sc_fact *f)
{
	if (f->has_exit)
		sb_add(m, ", exit code %lld", (long long)f->exit_code);
	else if (f->rt == SV_RT_PODMAN)
		sb_add(m, ", exit code 0 (podman leaves 0 out)");
	else
		sb_add(m, ", exit code unknown");
}

static void runtime_event(struct sc_run *r, struct sc_build *b,
			  const struct sc_fact *f)
{
	const char *rt = sc_runtime_name((enum sv_runtime)f->rt);
	const char *l = sv_container_label(b->c);
	int act = classify(f->action);
	struct sbuf m = {.n = 0};

	if (!act_kind[act])
		return;
	if (act == A_EXEC)
		sb_add(&m, "%s %s into %s", rt, f->action, l);
	else if (act == A_EXEC_END)
		sb_add(&m, "%s exec session in %s ended", rt, l);
	else if (act == A_DIE)
		sb_add(&m, "%s died (%s)", l, rt);
	else if (act == A_OOM)
		sb_add(&m, "%s reports an OOM kill in %s", rt, l);
	else
		sb_add(&m, "%s %s %s", rt, f->action ? f->action : "event", l);
	if (act == A_DIE)
		exit_text(&m, f);
	else if (act == A_EXEC_END && f->has_exit)
		sb_add(&m, " (exit code %lld)", (long long)f->exit_code);
	if (act == A_CREATE && f->image)
		sb_add(&m, " (image %s)", f->image);
	if (f->detail)
		sb_add(&m, ": %s", f->detail);
	sc_event(r, b, f, act_kind[act], f->ts, "%s", m.b);
}

static void audit_event(struct sc_run *r, struct sc_build *b,
			const struct sc_fact *f)
{
	int pf = act_is(f, "portforward");
	const struct sv_cont *c = b->c;
	struct sbuf m = {.n = 0};

	sb_add(&m, "Kubernetes %s %s pod ",
	       pf ? "port-forward" : (f->action ? f->action : "access"),
	       pf ? "to" : "into");
	if (c->k8s_namespace)
		sb_add(&m, "%s/", c->k8s_namespace);
	sb_add(&m, "%s", c->pod ? c->pod : sv_container_label(c));
	if (f->name)
		sb_add(&m, " (container %s)", f->name);
	if (f->extra)
		sb_add(&m, " by %s", f->extra);
	if (f->detail)
		sb_add(&m, ": %s", f->detail);
	if (is_refused(f))
		sb_add(&m, " (refused: HTTP %lld)", (long long)f->exit_code);
	sc_event(r, b, f, pf ? SV_EV_K8S : SV_EV_CONTAINER_EXEC, f->ts, "%s",
		 m.b);
}

static const char *k8s_kind(const char *reason)
{
	static const struct {
		const char *reason, *kind;
	} map[] = {
		{"Created", SV_EV_CONTAINER_CREATE},
		{"Started", SV_EV_CONTAINER_START},
		{"Killing", SV_EV_CONTAINER_STOP},
		{"BackOff", SV_EV_CONTAINER_RESTART},
		{"OOMKilling", SV_EV_CONTAINER_OOM},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(reason, map[i].reason) == 0)
			return map[i].kind;
	return SV_EV_K8S_EVENT;
}

static void k8s_event(struct sc_run *r, struct sc_build *b,
		      const struct sc_fact *f)
{
	struct sbuf m = {.n = 0};

	sb_add(&m, "Kubernetes %s in pod %s: %s",
	       f->action ? f->action : "event",
	       b->c->pod ? b->c->pod : sv_container_label(b->c),
	       f->detail ? f->detail : "");
	if (f->exit_code > 1)
		sb_add(&m, " (%lld times)", (long long)f->exit_code);
	sc_event(r, b, f, f->action ? k8s_kind(f->action) : SV_EV_K8S_EVENT,
		 f->ts, "%s", m.b);
}

static void oom_event(struct sc_run *r, struct sc_build *b,
		      const struct sc_fact *f)
{
	struct sbuf m = {.n = 0};
	struct sv_event *e;

	sb_add(&m, "OOM killer killed pid %lld (%s) in ", (long long)f->pid,
	       f->name ? f->name : "?");
	if (f->detail)
		sb_add(&m, "memory cgroup %s", f->detail);
	else
		sb_add(&m, "%s (its cgroup in the snapshot before)",
		       sv_container_label(b->c));
	if (f->ts == SC_NONE)
		sb_add(&m, " (time unknown: no boot time in the bundle)");
	e = sc_event(r, b, f, SV_EV_CONTAINER_OOM, f->ts, "%s", m.b);
	if (e) {
		e->pid = f->pid;
		e->pid_start = f->pid_start;
	}
}

static void inspect_events(struct sc_run *r, struct sc_build *b,
			   const struct acc *a)
{
	const struct sc_inspect *in = a->in;
	const char *l = sv_container_label(b->c);

	if (!in)
		return;
	if (!a->has[A_CREATE] && in->created != SC_NONE)
		sc_event(r, b, a->in_fact, SV_EV_CONTAINER_CREATE, in->created,
			 "%s created (inspect)", l);
	if (!a->has[A_START] && in->started != SC_NONE)
		sc_event(r, b, a->in_fact, SV_EV_CONTAINER_START, in->started,
			 "%s started (inspect, its last start)", l);
	if (!a->has[A_DIE] && !in->running && in->finished != SC_NONE)
		sc_event(r, b, a->in_fact, SV_EV_CONTAINER_DIE, in->finished,
			 "%s exited with code %lld (inspect)", l,
			 (long long)in->exit_code);
}

static void pass2(struct sc_run *r, struct sc_build *b, const struct acc *a)
{
	size_t j;

	for (j = 0; j < b->n_facts && !r->nomem; j++) {
		const struct sc_fact *f = fact_at(r, b, j);

		if (f->kind == F_RUNTIME)
			runtime_event(r, b, f);
		else if (f->kind == F_AUDIT)
			audit_event(r, b, f);
		else if (f->kind == F_K8S)
			k8s_event(r, b, f);
		else if (f->kind == F_OOM)
			oom_event(r, b, f);
	}
	inspect_events(r, b, a);
}

/* ---- the rest ---- */

/* starttime of the init pid: its folder in this container, latest
 * snapshot first (inspect is taken at the end of a capture). */
static void init_start(struct sc_run *r, struct sc_build *b)
{
	struct sv_cont *c = b->c;
	uint32_t k1 = (uint32_t)(b - r->b) + 1;
	size_t i, probes = 0;

	if (c->init_pid < 0 || c->init_pid > UINT32_MAX)
		return;
	for (i = r->n_snaps; i > 0 && probes < 256; i--, probes++) {
		const struct sc_folder *fo =
			sc_folder_find(r->c, r->snaps[i - 1],
				       (uint32_t)c->init_pid);

		if (fo && fo->ent && sc_ent(r->c, fo->ent - 1)->cont == k1 &&
		    fo->start) {
			c->init_start = fo->start;
			return;
		}
	}
}

static int str_differs(const char *a, const char *b)
{
	return a && b && strcmp(a, b) != 0;
}

static void conflicts(struct sc_run *r, struct sc_build *b,
		      const struct acc *a)
{
	const struct sv_cont *c = b->c;

	if (str_differs(a->name_in, a->name_rt))
		sc_note(r, b, "named %s in inspect, %s in runtime events",
			a->name_in, a->name_rt);
	if (str_differs(no_digest(r, a->image_in), no_digest(r, a->image_rt)))
		sc_note(r, b, "image %s in inspect, %s in runtime events",
			a->image_in, a->image_rt);
	if (a->exit_rank == R_RUNTIME && a->in && a->in->exit_code >= 0 &&
	    !a->in->running && a->in->exit_code != a->exit_code &&
	    a->in->finished != SC_NONE)
		sc_note(r, b, "exit code %lld in runtime events, %lld in "
			"inspect", (long long)a->exit_code,
			(long long)a->in->exit_code);
	if (a->exit_implied)
		sc_note(r, b, "exit code 0 read from a podman died event "
			"without one (podman leaves 0 out)");
	if (a->in && !a->in->oom_killed && a->k_ooms)
		sc_note(r, b, "inspect says OOMKilled false; the kernel log "
			"shows %u OOM kill(s)", (unsigned)a->k_ooms);
	if (a->n_inspect > 1)
		sc_note(r, b, "%u inspect objects; the first is used",
			a->n_inspect);
	if (c->n_oom_ns && c->oom_ns[0] == SC_NONE)
		sc_note(r, b, "OOM kill times unknown: no boot time in the "
			"bundle");
}

/* The snapshot window of the bundle, or the manifest's. */
static void window(const struct sc_run *r, int64_t *lo, int64_t *hi)
{
	*lo = r->n_snaps ? r->snaps[0] : r->c->bundle_start;
	*hi = r->n_snaps ? r->snaps[r->n_snaps - 1] : r->c->bundle_end;
}

/* 1 when the container may have lived while snapshots were taken. */
static int lived_in_window(const struct sc_run *r, const struct sc_build *b)
{
	const struct sv_cont *c = b->c;
	int64_t lo, hi, born, gone;

	window(r, &lo, &hi);
	if (lo == SC_NONE || hi == SC_NONE)
		return 0;
	born = c->started_ns != SC_NONE ? c->started_ns : c->created_ns;
	gone = c->died_ns != SC_NONE ? c->died_ns : c->removed_ns;
	if (c->running)
		gone = SC_NONE;
	return (born == SC_NONE || born <= hi) &&
	       (gone == SC_NONE || gone >= lo);
}

static void missing(struct sc_run *r, struct sc_build *b)
{
	struct sv_cont *c = b->c;
	int lived = lived_in_window(r, b);
	struct sbuf m = {.n = 0};

#define MISS(cond, text) \
	do { \
		if (cond) \
			sb_add(&m, "%s%s", m.n ? ", " : "", text); \
	} while (0)
	MISS(!c->id, "no id");
	MISS(c->id && !c->id_full, "no full id");
	MISS(!c->name, "no name");
	MISS(!c->image, "no image");
	MISS(!(c->sources & (1u << SV_SRC_INSPECT)), "no inspect file");
	MISS(!(c->sources & (1u << SV_SRC_RUNTIME)), "no runtime events");
	MISS(lived && !c->procs, "no /proc processes");
	MISS(lived && !(c->sources & (1u << SV_SRC_CGROUP)),
	     "no cgroup files");
	MISS(c->died_ns != SC_NONE && !c->has_exit_code, "no exit code");
#undef MISS
	c->missing = sv_arena_strdup(r->c->arena, m.b);
	c->notes = sv_arena_strdup(r->c->arena, b->notes ? b->notes : "");
	if (!c->missing || !c->notes)
		r->nomem = 1;
}

void sc_fold(struct sc_run *r, struct sc_build *b)
{
	struct acc a;
	int t;

	memset(&a, 0, sizeof(a));
	for (t = 0; t < T_N; t++)
		a.t[t] = SC_NONE;
	a.exit_ts = SC_NONE;
	fold_entities(r, b);
	pass1(r, b, &a);
	values(r, b, &a);
	init_start(r, b);
	pass2(r, b, &a);
	conflicts(r, b, &a);
	missing(r, b);
}
