/*
 * sv_rules.c - the built-in detections (see sv_rules.h for the list).
 *
 * Each rule walks the entities it needs once; findings are grouped (one
 * per container and rule, or per process or flow where that is the
 * unit), capped, then ordered most severe first.
 */
#include "sv_rules.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_attrib.h"
#include "sv_rules_int.h"
#include "sv_time.h"

const char *sv_severity_name(enum sv_severity s)
{
	static const char *const n[SV_SEV_COUNT] = {
		"info", "low", "medium", "high", "critical"
	};

	return (unsigned)s < SV_SEV_COUNT ? n[s] : "?";
}

int sv_severity_parse(const char *s, enum sv_severity *out)
{
	int i;

	for (i = 0; i < SV_SEV_COUNT; i++)
		if (!strcmp(s, sv_severity_name((enum sv_severity)i))) {
			*out = (enum sv_severity)i;
			return 0;
		}
	return -1;
}

/* ---- building findings (sv_rules_int.h) ---- */

static const struct sv_rule_def r_exec = {"exec-into-container", "T1609",
	"Container Administration Command", SV_SEV_MEDIUM};
static const struct sv_rule_def r_shell = {"reverse-shell", "T1059.004",
	"Command and Scripting Interpreter: Unix Shell", SV_SEV_CRITICAL};
static const struct sv_rule_def r_writable = {"exec-from-writable-path",
	"T1105", "Ingress Tool Transfer", SV_SEV_HIGH};
static const struct sv_rule_def r_priv = {"privileged-container", "T1611",
	"Escape to Host", SV_SEV_HIGH};
static const struct sv_rule_def r_oom = {"oom-kill", "T1499",
	"Endpoint Denial of Service", SV_SEV_LOW};

const char *sv_rule_keep(struct sv_rule_ctx *c, const char *s)
{
	char *d = s ? sv_arena_strdup(c->arena, s) : NULL;

	if (s && !d)
		c->out->nomem = 1;
	return d;
}

struct sv_finding *sv_rule_finding(struct sv_rule_ctx *c,
				   const struct sv_rule_def *r,
				   const char *title, const char *cid,
				   int64_t pid, int64_t ts)
{
	struct sv_finding *f;

	if (c->per_rule >= SV_RULE_FINDINGS_MAX)
		return NULL;
	f = sv_arena_calloc(c->arena, 1, sizeof(*f));
	if (!f || !(f->title = sv_rule_keep(c, title))) {
		c->out->nomem = 1;
		return NULL;
	}
	f->rule = r->id;
	f->technique = r->technique;
	f->technique_name = r->technique_name;
	f->severity = r->severity;
	f->container_id = cid;
	f->pid = pid;
	f->ts_ns = ts;
	f->score = NAN;
	f->pvalue = NAN;
	f->next = c->head;
	c->head = f;
	c->per_rule++;
	return f;
}

struct sv_finding *sv_rule_find_for(struct sv_rule_ctx *c,
				    const struct sv_rule_def *r,
				    const char *cid)
{
	struct sv_finding *f;

	for (f = c->head; f; f = f->next)
		if (f->rule == r->id && f->container_id && cid &&
		    !strcmp(f->container_id, cid))
			return f;
	return NULL;
}

/* The finding of rule r with this title, if one was made already. */
static struct sv_finding *same_title(struct sv_rule_ctx *c,
				     const struct sv_rule_def *r,
				     const char *title)
{
	struct sv_finding *f;

	for (f = c->head; f; f = f->next)
		if (f->rule == r->id && !strcmp(f->title, title))
			return f;
	return NULL;
}

void sv_rule_evidence(struct sv_rule_ctx *c, struct sv_finding *f,
		      const struct sv_event *e, const struct sv_flow *fl,
		      const struct sv_proc *p, const char *artifact,
		      const char *note)
{
	struct sv_evidence *v;

	if (!f || f->n_ev >= SV_FINDING_EVIDENCE)
		return;
	v = &f->ev[f->n_ev++];
	v->event = e;
	v->flow = fl;
	v->proc = p;
	v->artifact = artifact;
	v->note = sv_rule_keep(c, note);
}

const char *sv_rule_label(const struct sv_rule_ctx *c, const char *cid)
{
	const struct sv_cont *k = cid ? sv_containers_find(c->in->containers,
							   cid) : NULL;

	return k ? sv_container_label(k) : cid ? cid : "the host";
}

void sv_rule_endpoint(const struct sv_flow *f, int b, char *buf, size_t n)
{
	char a[64];
	const char *name = b ? f->name_b : f->name_a;

	if (!inet_ntop(f->family == 6 ? AF_INET6 : AF_INET,
		       b ? f->b_addr : f->a_addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, n, "%s:%u%s%.100s%s", a, b ? f->b_port : f->a_port,
		 name ? " (" : "", name ? name : "", name ? ")" : "");
}

int sv_rule_cid_cmp(const char *x, const char *y)
{
	if (!x || !y)
		return (x == NULL) - (y == NULL);
	return strcmp(x, y);
}

void sv_rule_append(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strnlen(buf, n);
	va_list ap;

	if (len + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

void *sv_rule_vec_push(struct sv_rule_ctx *c, struct sv_rule_vec *v)
{
	unsigned char *p;
	size_t cap;

	if (v->n >= SV_RULE_VEC_MAX)
		return NULL;
	if (v->n == v->cap) {
		cap = v->cap ? v->cap * 2 : 64;
		if (cap > SV_RULE_VEC_MAX)
			cap = SV_RULE_VEC_MAX;
		/* cap * size: at most 2M records of a few dozen bytes */
		p = realloc(v->v, cap * v->size);
		if (!p) {
			c->out->nomem = 1;
			return NULL;
		}
		v->v = p;
		v->cap = cap;
	}
	p = v->v + v->n++ * v->size;
	memset(p, 0, v->size);
	return p;
}

void sv_rule_vec_free(struct sv_rule_vec *v)
{
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

/* b - a > w for a <= b, without overflow on hostile times. */
static int span_over(int64_t a, int64_t b, int64_t w)
{
	return (uint64_t)b - (uint64_t)a > (uint64_t)w;
}

/* A count from a cgroup series (a double), clamped into a uint64_t. */
static uint64_t count_of(double v)
{
	if (!(v > 0))
		return 0;
	return v >= 1e12 ? (uint64_t)1e12 : (uint64_t)v;
}

/* ---- exec-into-container ---- */

static void rule_exec(struct sv_rule_ctx *c)
{
	uint64_t i;
	char why[SV_RULE_WHY_MAX], title[200];

	c->per_rule = 0;
	for (i = 0; i < c->in->n_events; i++) {
		const struct sv_event *e = c->in->events[i];
		struct sv_finding *f;
		char text[512];

		if (!e->container_id ||
		    (strcmp(e->kind, SV_EV_CONTAINER_EXEC) &&
		     strcmp(e->kind, SV_EV_PROCESS_ENTER)))
			continue;
		f = sv_rule_find_for(c, &r_exec, e->container_id);
		if (!f) {
			snprintf(title, sizeof(title), "Exec into %s",
				 sv_rule_label(c, e->container_id));
			f = sv_rule_finding(c, &r_exec, title, e->container_id,
					    e->pid, e->ts_ns);
			snprintf(why, sizeof(why), "a command was run in the "
				 "running container %s from outside it (a "
				 "runtime or Kubernetes exec, or a process "
				 "whose parent is outside the container); "
				 "a workload does not normally do this",
				 sv_rule_label(c, e->container_id));
			if (f)
				f->why = sv_rule_keep(c, why);
		}
		sv_rule_evidence(c, f, e, NULL, NULL, e->artifact,
				 sv_event_text(e, text, sizeof(text)));
	}
}

/* ---- reverse-shell ---- */

static int is_shell(const char *comm)
{
	static const char *const shells[] = {"sh", "bash", "dash", "ash",
					     "zsh", "ksh"};
	size_t i;

	for (i = 0; comm && i < sizeof(shells) / sizeof(shells[0]); i++)
		if (!strcmp(comm, shells[i]))
			return 1;
	return 0;
}

/* a's process is a shell in a container that opened the flow to an
 * address outside that container. */
static int shell_out(const struct sv_flow *f)
{
	const struct sv_owner *a = f->owner_a, *b = f->owner_b;

	if (f->proto != 6 || !a || !a->container_id || a->pid < 0 ||
	    !is_shell(a->comm))
		return 0;
	if (!f->syn_seen)
		return 0; /* without the SYN, who called whom is a guess */
	return !b || !b->container_id || strcmp(b->container_id,
						a->container_id);
}

static void rule_shell(struct sv_rule_ctx *c)
{
	const struct sv_flow *f;
	char why[SV_RULE_WHY_MAX], title[200], to[160];

	c->per_rule = 0;
	for (f = c->in->flows; f; f = f->next) {
		const struct sv_owner *a = f->owner_a;
		const struct sv_proc *p;
		struct sv_finding *fd;

		if (!shell_out(f))
			continue;
		sv_rule_endpoint(f, 1, to, sizeof(to));
		snprintf(title, sizeof(title), "Reverse shell from %s to %s",
			 sv_rule_label(c, a->container_id), to);
		fd = sv_rule_finding(c, &r_shell, title, a->container_id,
				     a->pid, f->first_ns);
		if (!fd)
			continue;
		snprintf(why, sizeof(why), "the shell %s (pid %" PRId64 ") "
			 "in %s holds a TCP connection it opened to %s, "
			 "outside its container: %" PRIu64 " bytes out, %"
			 PRIu64 " back. How the socket was tied to the "
			 "process: %s", a->comm, a->pid,
			 sv_rule_label(c, a->container_id), to, f->bytes_ab,
			 f->bytes_ba, a->how ? a->how : "?");
		fd->why = sv_rule_keep(c, why);
		p = c->in->procs ? sv_procs_find(c->in->procs,
						 (uint32_t)a->pid,
						 a->pid_start) : NULL;
		sv_rule_evidence(c, fd, NULL, f, NULL, NULL, "the connection");
		if (p)
			sv_rule_evidence(c, fd, NULL, NULL, p, p->artifact,
					 p->cmdline ? p->cmdline : p->comm);
	}
}

/* ---- exec-from-writable-path ---- */

static int writable(const char *path, size_t n)
{
	static const char *const dirs[] = {"/tmp/", "/var/tmp/", "/dev/shm/"};
	size_t i, m;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		m = strlen(dirs[i]);
		if (n > m && !strncmp(path, dirs[i], m))
			return 1;
	}
	return 0;
}

/* The executable, or one of the first two words of the command line
 * (an interpreter and its script), under a writable path. */
static const char *writable_target(const struct sv_proc *p, size_t *len)
{
	const char *s = p->cmdline, *sp;
	int word;

	if (p->exe && writable(p->exe, strlen(p->exe))) {
		*len = strlen(p->exe);
		return p->exe;
	}
	for (word = 0; s && *s && word < 2; word++) {
		sp = strchr(s, ' ');
		*len = sp ? (size_t)(sp - s) : strlen(s);
		if (writable(s, *len))
			return s;
		s = sp ? sp + 1 : NULL;
	}
	return NULL;
}

static void rule_writable(struct sv_rule_ctx *c)
{
	const struct sv_proc *p;
	char why[SV_RULE_WHY_MAX], title[300];
	size_t n;

	c->per_rule = 0;
	for (p = c->in->procs ? c->in->procs->list : NULL; p; p = p->next) {
		const char *t;
		struct sv_finding *fd;

		if (!p->container_id || !(t = writable_target(p, &n)))
			continue;
		snprintf(title, sizeof(title), "%.*s run from a writable "
			 "path in %s", (int)(n < 120 ? n : 120), t,
			 sv_rule_label(c, p->container_id));
		fd = same_title(c, &r_writable, title);
		if (fd) {
			/* another process running the same file */
			sv_rule_evidence(c, fd, NULL, NULL, p, p->artifact,
					 p->cmdline ? p->cmdline : p->comm);
			continue;
		}
		fd = sv_rule_finding(c, &r_writable, title, p->container_id,
				     p->pid, p->start_ns);
		if (!fd)
			continue;
		snprintf(why, sizeof(why), "pid %" PRIu32 " (%s) runs %.*s: "
			 "tools dropped in /tmp, /var/tmp or /dev/shm and run "
			 "from there are how fetched payloads execute; an "
			 "image's own programs live elsewhere", p->pid,
			 p->comm ? p->comm : "?", (int)(n < 200 ? n : 200), t);
		fd->why = sv_rule_keep(c, why);
		sv_rule_evidence(c, fd, NULL, NULL, p, p->artifact,
				 p->cmdline ? p->cmdline : p->comm);
	}
}

/* ---- privileged-container and oom-kill ---- */

/* The privileged flag and each host namespace, as evidence of their
 * own (the mounts follow, one each). */
static void settings_evidence(struct sv_rule_ctx *c, struct sv_finding *fd,
			      const struct sv_cont *k)
{
	static const struct {
		unsigned bit;
		const char *note;
	} ns[] = {
		{SV_HOSTNS_PID, "host pid namespace"},
		{SV_HOSTNS_NET, "host network namespace"},
		{SV_HOSTNS_IPC, "host ipc namespace"},
		{SV_HOSTNS_UTS, "host uts namespace"},
	};
	size_t i;

	if (k->privileged > 0)
		sv_rule_evidence(c, fd, NULL, NULL, NULL, NULL, "privileged");
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		if (k->host_ns & ns[i].bit)
			sv_rule_evidence(c, fd, NULL, NULL, NULL, NULL,
					 ns[i].note);
}

static void rule_containers(struct sv_rule_ctx *c)
{
	const struct sv_cont *k;
	char why[SV_RULE_WHY_MAX], title[200];
	size_t i;

	c->per_rule = 0;
	for (k = c->in->containers ? c->in->containers->list : NULL; k;
	     k = k->next) {
		struct sv_finding *fd;

		if (k->privileged <= 0 && !k->host_ns && !k->n_mounts)
			continue;
		snprintf(title, sizeof(title), "%s can reach the host",
			 sv_container_label(k));
		fd = sv_rule_finding(c, &r_priv, title, k->id, k->init_pid,
				     k->started_ns);
		if (!fd)
			continue;
		snprintf(why, sizeof(why), "%s%s%s: each of these lets a "
			 "process in the container act on the host",
			 k->privileged > 0 ? "privileged; " : "",
			 k->host_ns ? "shares host namespaces; " : "",
			 k->n_mounts ? "mounts host paths" : "");
		fd->why = sv_rule_keep(c, why);
		settings_evidence(c, fd, k);
		for (i = 0; i < k->n_mounts; i++)
			sv_rule_evidence(c, fd, NULL, NULL, NULL, NULL,
					 k->mounts[i].why);
	}
}

/* ---- oom-storm ---- */

#define STORM_KILLS 3
#define STORM_WINDOW_S 120
#define STORM_WINDOW_NS (STORM_WINDOW_S * SV_NS_PER_SEC)

static const struct sv_rule_def r_storm = {"oom-storm", "T1499",
	"Endpoint Denial of Service", SV_SEV_MEDIUM};

/* The most OOM kills one source shows in one window of a container. */
struct storm_obs {
	const char *cid;
	uint64_t kills;
	int64_t at;          /* the window's start */
	uint64_t seq;
	int from_series;     /* the cgroup counter, not the kill times */
};

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

/* Most of k's timed kills (kernel, else runtime) within the window. */
static uint64_t storm_times(const struct sv_cont *k, int64_t *at)
{
	int64_t t[SV_CONT_OOM_TIMES];
	size_t n = 0, i, j = 0;
	uint64_t best = 0;

	for (i = 0; i < k->n_oom_ns && i < SV_CONT_OOM_TIMES; i++)
		if (k->oom_ns[i] != SV_TIME_NONE)
			t[n++] = k->oom_ns[i];
	qsort(t, n, sizeof(t[0]), cmp_i64);
	for (i = 0; i < n; i++) {
		while (span_over(t[j], t[i], STORM_WINDOW_NS))
			j++;
		if (i - j + 1 > best) {
			best = i - j + 1;
			*at = t[j];
		}
	}
	return best;
}

/*
 * Most kills the oom_kill counter shows in consecutive intervals that
 * span the window at most. An interval runs from the previous sample
 * with a value; a longer one alone proves nothing about 120 s.
 */
static uint64_t storm_series(const struct sv_res_group *g, int64_t *at)
{
	const double *v = g->v[SV_RES_MEM_OOM_KILLS];
	uint64_t i, l = UINT64_MAX, prev = UINT64_MAX, best = 0, sum = 0;
	int64_t lstart = 0, start;

	for (i = 0; v && i < g->n; i++) {
		if (!isfinite(v[i]))
			continue;
		start = prev != UINT64_MAX ? g->ts_ns[prev] : g->ts_ns[i];
		if (l == UINT64_MAX) {
			l = i;
			lstart = start;
		}
		sum += count_of(v[i]);
		while (l < i && span_over(lstart, g->ts_ns[i],
					  STORM_WINDOW_NS)) {
			sum -= count_of(v[l]);
			lstart = g->ts_ns[l];
			for (l++; l < i && !isfinite(v[l]); l++)
				;
		}
		if (!span_over(lstart, g->ts_ns[i], STORM_WINDOW_NS) &&
		    sum > best) {
			best = sum;
			*at = lstart;
		}
		prev = i;
	}
	return best;
}

static void storm_push(struct sv_rule_ctx *c, struct sv_rule_vec *v,
		       const char *cid, uint64_t kills, int64_t at,
		       int series)
{
	struct storm_obs *o;

	if (kills < STORM_KILLS || !(o = sv_rule_vec_push(c, v)))
		return;
	o->cid = cid;
	o->kills = kills;
	o->at = at;
	o->seq = v->n;
	o->from_series = series;
}

static int cmp_storm(const void *x, const void *y)
{
	const struct storm_obs *a = x, *b = y;
	int d = sv_rule_cid_cmp(a->cid, b->cid);

	if (d)
		return d;
	if (a->kills != b->kills)
		return a->kills > b->kills ? -1 : 1; /* most first */
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static void storm_finding(struct sv_rule_ctx *c, const struct storm_obs *o)
{
	const struct sv_cont *k = sv_containers_find(c->in->containers,
						     o->cid);
	char why[SV_RULE_WHY_MAX], title[200];
	struct sv_finding *f;

	snprintf(title, sizeof(title), "OOM storm in %s",
		 sv_rule_label(c, o->cid));
	f = sv_rule_finding(c, &r_storm, title, o->cid, -1, o->at);
	if (!f)
		return;
	snprintf(why, sizeof(why), "the kernel's OOM killer ended %" PRIu64
		 " processes of %s within %d s (by %s", o->kills,
		 sv_rule_label(c, o->cid), STORM_WINDOW_S,
		 o->from_series ? "its cgroup's oom_kill counter"
				: "kill times from the kernel log or runtime");
	if (k && k->oom_kills)
		sv_rule_append(why, sizeof(why), "; %" PRIu32 " in all",
			       k->oom_kills);
	sv_rule_append(why, sizeof(why), "): a container driven into its "
		       "memory limit again and again is a memory-exhaustion "
		       "denial of service or a runaway workload, not a "
		       "one-off leak");
	f->why = sv_rule_keep(c, why);
}

/* The OOM events of the storms' containers, as their evidence. */
static void storm_evidence(struct sv_rule_ctx *c)
{
	uint64_t i;
	char text[512];

	for (i = 0; i < c->in->n_events; i++) {
		const struct sv_event *e = c->in->events[i];

		if (!e->container_id ||
		    (strcmp(e->kind, SV_EV_CONTAINER_OOM) &&
		     strcmp(e->kind, SV_EV_RESOURCE_OOM)))
			continue;
		sv_rule_evidence(c, sv_rule_find_for(c, &r_storm,
						     e->container_id),
				 e, NULL, NULL, e->artifact,
				 sv_event_text(e, text, sizeof(text)));
	}
}

static void rule_storm(struct sv_rule_ctx *c)
{
	struct sv_rule_vec v = {NULL, 0, 0, sizeof(struct storm_obs)};
	const struct sv_cont *k;
	const struct sv_res_group *g;
	const struct storm_obs *o;
	int64_t at = SV_TIME_NONE;
	uint64_t kills;
	size_t i;

	c->per_rule = 0;
	for (k = c->in->containers ? c->in->containers->list : NULL; k;
	     k = k->next) {
		if (!k->id)
			continue;
		kills = storm_times(k, &at);
		storm_push(c, &v, k->id, kills, at, 0);
	}
	for (g = c->in->resources ? c->in->resources->groups : NULL; g;
	     g = g->next) {
		if (!g->primary || !g->container_id)
			continue;
		kills = storm_series(g, &at);
		storm_push(c, &v, g->container_id, kills, at, 1);
	}
	if (v.n)
		qsort(v.v, v.n, v.size, cmp_storm);
	for (i = 0; i < v.n; i++) {
		o = (const struct storm_obs *)(v.v + i * v.size);
		if (!i || sv_rule_cid_cmp(o[-1].cid, o->cid))
			storm_finding(c, o);
	}
	sv_rule_vec_free(&v);
	if (c->per_rule)
		storm_evidence(c);
}

static void rule_oom(struct sv_rule_ctx *c)
{
	uint64_t i;
	char why[SV_RULE_WHY_MAX], title[200], text[512];

	c->per_rule = 0;
	for (i = 0; i < c->in->n_events; i++) {
		const struct sv_event *e = c->in->events[i];
		struct sv_finding *f;

		if (!e->container_id || strcmp(e->kind, SV_EV_CONTAINER_OOM))
			continue;
		if (sv_rule_find_for(c, &r_storm, e->container_id))
			continue; /* one storm, not one finding per kill */
		f = sv_rule_find_for(c, &r_oom, e->container_id);
		if (!f) {
			snprintf(title, sizeof(title), "OOM kill in %s",
				 sv_rule_label(c, e->container_id));
			f = sv_rule_finding(c, &r_oom, title, e->container_id,
					    e->pid, e->ts_ns);
			snprintf(why, sizeof(why), "the kernel's OOM killer "
				 "ended a process of %s at its memory limit: a "
				 "leak, an undersized limit, or memory abuse",
				 sv_rule_label(c, e->container_id));
			if (f)
				f->why = sv_rule_keep(c, why);
		}
		sv_rule_evidence(c, f, e, NULL, NULL, e->artifact,
				 sv_event_text(e, text, sizeof(text)));
	}
}

/* ---- fork-bomb ---- */

#define FORK_BURST 200      /* more starts than this in the window */
#define FORK_WINDOW_S 10
#define FORK_WINDOW_NS (FORK_WINDOW_S * SV_NS_PER_SEC)

static const struct sv_rule_def r_fork = {"fork-bomb", "T1499",
	"Endpoint Denial of Service", SV_SEV_HIGH};

enum { FK_REFUSED = 0, FK_SUMMARY, FK_START };

/* What one container showed of a fork bomb; sorted per container. */
struct fork_obs {
	const char *cid;
	int kind;                       /* FK_* */
	int64_t ts;
	uint64_t seq;
	const struct sv_event *ev;      /* FK_REFUSED: resource.pids-max */
	const struct sv_res_group *g;   /* FK_SUMMARY */
	const struct sv_proc *p;        /* FK_START */
};

static int cmp_fork(const void *x, const void *y)
{
	const struct fork_obs *a = x, *b = y;
	int d = sv_rule_cid_cmp(a->cid, b->cid);

	if (d)
		return d;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static void fork_collect(struct sv_rule_ctx *c, struct sv_rule_vec *v)
{
	const struct sv_res_group *g;
	const struct sv_proc *p;
	struct fork_obs *o;
	uint64_t i;

	for (i = 0; i < c->in->n_events; i++) {
		const struct sv_event *e = c->in->events[i];

		if (!e->container_id ||
		    strcmp(e->kind, SV_EV_RESOURCE_PIDS_MAX) ||
		    !(o = sv_rule_vec_push(c, v)))
			continue;
		*o = (struct fork_obs){e->container_id, FK_REFUSED, e->ts_ns,
				       v->n, e, NULL, NULL};
	}
	for (g = c->in->resources ? c->in->resources->groups : NULL; g;
	     g = g->next) {
		if (!g->primary || !g->container_id ||
		    !g->sum.pids_failures || !(o = sv_rule_vec_push(c, v)))
			continue;
		*o = (struct fork_obs){g->container_id, FK_SUMMARY,
				       g->sum.first_ns, v->n, NULL, g, NULL};
	}
	for (p = c->in->procs ? c->in->procs->list : NULL; p; p = p->next) {
		if (!p->container_id || p->kthread || p->monitor ||
		    p->start_ns == SV_TIME_NONE ||
		    !(o = sv_rule_vec_push(c, v)))
			continue;
		*o = (struct fork_obs){p->container_id, FK_START, p->start_ns,
				       v->n, NULL, NULL, p};
	}
}

/* One container's observations, o[0..n): counts, the densest window
 * of starts, and the starts while forks were first refused. */
struct fork_sum {
	uint64_t refused_ev, refused;
	const struct sv_res_group *g;
	size_t burst, at;          /* densest window: size, first index */
	size_t ref;                /* first FK_REFUSED, or n */
	size_t during, during_at;  /* starts in that event's window */
};

static void fork_measure(const struct fork_obs *o, size_t n,
			 struct fork_sum *s)
{
	const struct sv_event *e = NULL;
	size_t i, j = n;

	memset(s, 0, sizeof(*s));
	s->ref = n;
	for (i = 0; i < n; i++) {
		if (o[i].kind != FK_START) {
			if (o[i].kind == FK_SUMMARY)
				s->g = o[i].g;
			else if (!s->refused_ev++)
				e = o[s->ref = i].ev;
			continue;
		}
		if (j == n)
			j = i;
		while (span_over(o[j].ts, o[i].ts, FORK_WINDOW_NS))
			j++;
		if (i - j + 1 > s->burst) {
			s->burst = i - j + 1;
			s->at = j;
		}
		if (e && o[i].ts >= e->ts_ns && o[i].ts <= e->ts_hi_ns &&
		    !s->during++)
			s->during_at = i;
	}
	s->refused = s->g ? s->g->sum.pids_failures : s->refused_ev;
}

/* The last pids.max a group showed, or NaN. */
static double pids_limit(const struct sv_res_group *g)
{
	const double *v = g ? g->v[SV_RES_PIDS_MAX] : NULL;
	uint64_t i;

	for (i = v ? g->n : 0; i-- > 0;)
		if (isfinite(v[i]))
			return v[i];
	return NAN;
}

static void fork_why(struct sv_rule_ctx *c, const struct fork_obs *o,
		     const struct fork_sum *s, char *why, size_t n)
{
	const struct sv_proc *p;
	char when[SV_TIME_TEXT_MAX];
	double lim = pids_limit(s->g);

	why[0] = '\0';
	if (s->refused)
		sv_rule_append(why, n, "the pids controller of %s refused %"
			       PRIu64 " fork(s) at its limit%s%.0f (pids."
			       "events max); ", sv_rule_label(c, o->cid),
			       s->refused, isnan(lim) ? "" : " of ",
			       isnan(lim) ? 0.0 : lim);
	if (s->during) {
		p = o[s->during_at].p;
		sv_rule_append(why, n, "%zu of its processes started in the "
			       "snapshots' interval where that happened "
			       "(the first: %s, pid %" PRIu32 "); ",
			       s->during, p->comm ? p->comm : "?", p->pid);
	}
	if (s->burst > FORK_BURST) {
		p = o[s->at].p;
		sv_time_format(o[s->at].ts, when);
		sv_rule_append(why, n, "%zu processes started in %s within "
			       "%d s from %s (the first: %s, pid %" PRIu32
			       "); ", s->burst, sv_rule_label(c, o->cid),
			       FORK_WINDOW_S, when, p->comm ? p->comm : "?",
			       p->pid);
	}
	sv_rule_append(why, n, "a process that copies itself until no task "
		       "can start denies service to the container and, "
		       "without a pids limit, to the host");
}

static void fork_group(struct sv_rule_ctx *c, const struct fork_obs *o,
		       size_t n)
{
	struct fork_sum s;
	struct sv_finding *f;
	char why[SV_RULE_WHY_MAX], title[200], text[512];
	size_t i, from, k;

	fork_measure(o, n, &s);
	if (!s.refused && s.burst <= FORK_BURST)
		return;
	/* the processes to show: the burst, else those of the refusal */
	from = s.burst > FORK_BURST ? s.at : s.during_at;
	k = s.burst > FORK_BURST ? s.burst : s.during;
	snprintf(title, sizeof(title), "Fork bomb in %s",
		 sv_rule_label(c, o->cid));
	f = sv_rule_finding(c, &r_fork, title, o->cid,
			    k ? (int64_t)o[from].p->pid : -1,
			    s.ref < n ? o[s.ref].ts : k ? o[from].ts : o->ts);
	if (!f)
		return;
	fork_why(c, o, &s, why, sizeof(why));
	f->why = sv_rule_keep(c, why);
	for (i = s.ref; i < n && i < s.ref + 3; i++)
		if (o[i].kind == FK_REFUSED)
			sv_rule_evidence(c, f, o[i].ev, NULL, NULL,
					 o[i].ev->artifact,
					 sv_event_text(o[i].ev, text,
						       sizeof(text)));
	for (i = from; i < from + k && f->n_ev < SV_FINDING_EVIDENCE; i++)
		sv_rule_evidence(c, f, NULL, NULL, o[i].p, o[i].p->artifact,
				 o[i].p->cmdline ? o[i].p->cmdline
						 : o[i].p->comm);
}

int sv_rule_fork_bomb_in(struct sv_rule_ctx *c, const char *cid)
{
	return sv_rule_find_for(c, &r_fork, cid) != NULL;
}

static void rule_fork(struct sv_rule_ctx *c)
{
	struct sv_rule_vec v = {NULL, 0, 0, sizeof(struct fork_obs)};
	const struct fork_obs *o;
	size_t i, j;

	c->per_rule = 0;
	fork_collect(c, &v);
	if (v.n)
		qsort(v.v, v.n, v.size, cmp_fork);
	o = (const struct fork_obs *)v.v;
	for (i = 0; i < v.n; i = j) {
		for (j = i + 1; j < v.n && !sv_rule_cid_cmp(o[i].cid,
							    o[j].cid); j++)
			;
		if (o[i].cid)
			fork_group(c, o + i, j - i);
	}
	sv_rule_vec_free(&v);
}

/* ---- order ---- */

static int cmp_finding(const void *x, const void *y)
{
	const struct sv_finding *a = *(struct sv_finding *const *)x;
	const struct sv_finding *b = *(struct sv_finding *const *)y;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	return (a->ts_ns > b->ts_ns) - (a->ts_ns < b->ts_ns);
}

void sv_findings_order(struct sv_findings *out)
{
	struct sv_finding **v, *f;
	uint64_t n = 0, i;

	memset(out->by_severity, 0, sizeof(out->by_severity));
	for (f = out->list; f; f = f->next) {
		n++;
		out->by_severity[f->severity]++;
	}
	out->n = n;
	if (!n)
		return;
	v = malloc(n * sizeof(*v));
	if (!v)
		return; /* unordered, but complete */
	for (f = out->list, i = 0; f; f = f->next)
		v[i++] = f;
	qsort(v, n, sizeof(*v), cmp_finding);
	for (i = 0; i < n; i++)
		v[i]->next = i + 1 < n ? v[i + 1] : NULL;
	out->list = v[0];
	free(v);
}

void sv_rules_run(struct sv_arena *arena, const struct sv_rules_input *in,
		  struct sv_findings *out)
{
	struct sv_rule_ctx c;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.arena = arena;
	c.out = out;
	c.in = in;
	rule_exec(&c);
	rule_shell(&c);
	rule_fork(&c);     /* before mining: a bomb explains a busy CPU */
	sv_rule_mining(&c);
	rule_writable(&c);
	rule_containers(&c);
	rule_storm(&c);    /* before oom-kill: a storm replaces it */
	rule_oom(&c);
	sv_rule_package_manager(&c);
	sv_rule_dns_tunnel(&c);
	sv_rule_large_upload(&c);
	out->list = c.head;
	sv_findings_order(out);
}
