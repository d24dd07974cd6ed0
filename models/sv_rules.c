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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_attrib.h"
#include "sv_time.h"

#define FINDINGS_PER_RULE 200
#define WHY_MAX 600

struct ctx {
	struct sv_arena *arena;
	struct sv_findings *out;
	struct sv_finding *head;
	uint64_t per_rule;
	const struct sv_rules_input *in;
};

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

/* ---- building findings ---- */

struct rule_def {
	const char *id, *technique, *technique_name;
	enum sv_severity severity;
};

static const struct rule_def r_exec = {"exec-into-container", "T1609",
	"Container Administration Command", SV_SEV_MEDIUM};
static const struct rule_def r_shell = {"reverse-shell", "T1059.004",
	"Command and Scripting Interpreter: Unix Shell", SV_SEV_CRITICAL};
static const struct rule_def r_mining = {"crypto-mining", "T1496",
	"Resource Hijacking", SV_SEV_HIGH};
static const struct rule_def r_writable = {"exec-from-writable-path",
	"T1105", "Ingress Tool Transfer", SV_SEV_HIGH};
static const struct rule_def r_priv = {"privileged-container", "T1611",
	"Escape to Host", SV_SEV_HIGH};
static const struct rule_def r_oom = {"oom-kill", "T1499",
	"Endpoint Denial of Service", SV_SEV_LOW};

static const char *keep(struct ctx *c, const char *s)
{
	char *d = s ? sv_arena_strdup(c->arena, s) : NULL;

	if (s && !d)
		c->out->nomem = 1;
	return d;
}

static struct sv_finding *finding(struct ctx *c, const struct rule_def *r,
				  const char *title, const char *cid,
				  int64_t pid, int64_t ts)
{
	struct sv_finding *f;

	if (c->per_rule >= FINDINGS_PER_RULE)
		return NULL;
	f = sv_arena_calloc(c->arena, 1, sizeof(*f));
	if (!f || !(f->title = keep(c, title))) {
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

/* The finding of rule r for container cid, if one was made already. */
static struct sv_finding *find_for(struct ctx *c, const struct rule_def *r,
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
static struct sv_finding *same_title(struct ctx *c, const struct rule_def *r,
				     const char *title)
{
	struct sv_finding *f;

	for (f = c->head; f; f = f->next)
		if (f->rule == r->id && !strcmp(f->title, title))
			return f;
	return NULL;
}

static void evidence(struct ctx *c, struct sv_finding *f,
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
	v->note = keep(c, note);
}

static const char *label(const struct ctx *c, const char *cid)
{
	const struct sv_cont *k = cid ? sv_containers_find(c->in->containers,
							   cid) : NULL;

	return k ? sv_container_label(k) : cid ? cid : "the host";
}

static void endpoint(const struct sv_flow *f, int b, char *buf, size_t n)
{
	char a[64];
	const char *name = b ? f->name_b : f->name_a;

	if (!inet_ntop(f->family == 6 ? AF_INET6 : AF_INET,
		       b ? f->b_addr : f->a_addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, n, "%s:%u%s%.100s%s", a, b ? f->b_port : f->a_port,
		 name ? " (" : "", name ? name : "", name ? ")" : "");
}

/* ---- exec-into-container ---- */

static void rule_exec(struct ctx *c)
{
	uint64_t i;
	char why[WHY_MAX], title[200];

	c->per_rule = 0;
	for (i = 0; i < c->in->n_events; i++) {
		const struct sv_event *e = c->in->events[i];
		struct sv_finding *f;
		char text[512];

		if (!e->container_id ||
		    (strcmp(e->kind, SV_EV_CONTAINER_EXEC) &&
		     strcmp(e->kind, SV_EV_PROCESS_ENTER)))
			continue;
		f = find_for(c, &r_exec, e->container_id);
		if (!f) {
			snprintf(title, sizeof(title), "Exec into %s",
				 label(c, e->container_id));
			f = finding(c, &r_exec, title, e->container_id,
				    e->pid, e->ts_ns);
			snprintf(why, sizeof(why), "a command was run in the "
				 "running container %s from outside it (a "
				 "runtime or Kubernetes exec, or a process "
				 "whose parent is outside the container); "
				 "a workload does not normally do this",
				 label(c, e->container_id));
			if (f)
				f->why = keep(c, why);
		}
		evidence(c, f, e, NULL, NULL, e->artifact,
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

static void rule_shell(struct ctx *c)
{
	const struct sv_flow *f;
	char why[WHY_MAX], title[200], to[160];

	c->per_rule = 0;
	for (f = c->in->flows; f; f = f->next) {
		const struct sv_owner *a = f->owner_a;
		const struct sv_proc *p;
		struct sv_finding *fd;

		if (!shell_out(f))
			continue;
		endpoint(f, 1, to, sizeof(to));
		snprintf(title, sizeof(title), "Reverse shell from %s to %s",
			 label(c, a->container_id), to);
		fd = finding(c, &r_shell, title, a->container_id, a->pid,
			     f->first_ns);
		if (!fd)
			continue;
		snprintf(why, sizeof(why), "the shell %s (pid %" PRId64 ") "
			 "in %s holds a TCP connection it opened to %s, "
			 "outside its container: %" PRIu64 " bytes out, %"
			 PRIu64 " back. How the socket was tied to the "
			 "process: %s", a->comm, a->pid,
			 label(c, a->container_id), to, f->bytes_ab,
			 f->bytes_ba, a->how ? a->how : "?");
		fd->why = keep(c, why);
		p = c->in->procs ? sv_procs_find(c->in->procs,
						 (uint32_t)a->pid,
						 a->pid_start) : NULL;
		evidence(c, fd, NULL, f, NULL, NULL, "the connection");
		if (p)
			evidence(c, fd, NULL, NULL, p, p->artifact,
				 p->cmdline ? p->cmdline : p->comm);
	}
}

/* ---- crypto-mining ---- */

static void rule_mining(struct ctx *c)
{
	const struct sv_app_event *e;
	char why[WHY_MAX], title[200], to[160], note[400];

	c->per_rule = 0;
	for (e = c->in->app; e; e = e->next) {
		const struct sv_flow *f = e->flow;
		/* The miner is the end that called the pool: the pool's
		 * replies count against it too. */
		const struct sv_owner *o = f->owner_a;
		const char *cid = o ? o->container_id : NULL;
		struct sv_finding *fd;

		if (e->kind != SV_APPK_STRATUM)
			continue;
		fd = cid ? find_for(c, &r_mining, cid) : NULL;
		if (!fd) {
			endpoint(f, 1, to, sizeof(to));
			snprintf(title, sizeof(title), "Crypto-mining: Stratum "
				 "from %s", label(c, cid));
			fd = finding(c, &r_mining, title, cid,
				     o ? o->pid : -1, e->ts_ns);
			snprintf(why, sizeof(why), "%s spoke the Stratum "
				 "mining protocol (JSON-RPC %s) with %s; "
				 "legitimate workloads do not mine",
				 label(c, cid), e->u.stratum.method, to);
			if (fd)
				fd->why = keep(c, why);
		}
		snprintf(note, sizeof(note), "%s %s%s%s%s (flow %" PRIu64 ")",
			 e->from_a ? "sent" : "received", e->u.stratum.method,
			 e->u.stratum.user[0] ? " user " : "",
			 e->u.stratum.user,
			 e->u.stratum.agent[0] ? " agent present" : "", f->id);
		evidence(c, fd, NULL, f, NULL, NULL, note);
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

static void rule_writable(struct ctx *c)
{
	const struct sv_proc *p;
	char why[WHY_MAX], title[300];
	size_t n;

	c->per_rule = 0;
	for (p = c->in->procs ? c->in->procs->list : NULL; p; p = p->next) {
		const char *t;
		struct sv_finding *fd;

		if (!p->container_id || !(t = writable_target(p, &n)))
			continue;
		snprintf(title, sizeof(title), "%.*s run from a writable "
			 "path in %s", (int)(n < 120 ? n : 120), t,
			 label(c, p->container_id));
		fd = same_title(c, &r_writable, title);
		if (fd) {
			/* another process running the same file */
			evidence(c, fd, NULL, NULL, p, p->artifact,
				 p->cmdline ? p->cmdline : p->comm);
			continue;
		}
		fd = finding(c, &r_writable, title, p->container_id, p->pid,
			     p->start_ns);
		if (!fd)
			continue;
		snprintf(why, sizeof(why), "pid %" PRIu32 " (%s) runs %.*s: "
			 "tools dropped in /tmp, /var/tmp or /dev/shm and run "
			 "from there are how fetched payloads execute; an "
			 "image's own programs live elsewhere", p->pid,
			 p->comm ? p->comm : "?", (int)(n < 200 ? n : 200), t);
		fd->why = keep(c, why);
		evidence(c, fd, NULL, NULL, p, p->artifact,
			 p->cmdline ? p->cmdline : p->comm);
	}
}

/* ---- privileged-container and oom-kill ---- */

static void rule_containers(struct ctx *c)
{
	const struct sv_cont *k;
	char why[WHY_MAX], title[200];
	size_t i;

	c->per_rule = 0;
	for (k = c->in->containers ? c->in->containers->list : NULL; k;
	     k = k->next) {
		struct sv_finding *fd;

		if (k->privileged <= 0 && !k->host_ns && !k->n_mounts)
			continue;
		snprintf(title, sizeof(title), "%s can reach the host",
			 sv_container_label(k));
		fd = finding(c, &r_priv, title, k->id, k->init_pid,
			     k->started_ns);
		if (!fd)
			continue;
		snprintf(why, sizeof(why), "%s%s%s: each of these lets a "
			 "process in the container act on the host",
			 k->privileged > 0 ? "privileged; " : "",
			 k->host_ns ? "shares host namespaces; " : "",
			 k->n_mounts ? "mounts host paths" : "");
		fd->why = keep(c, why);
		for (i = 0; i < k->n_mounts; i++)
			evidence(c, fd, NULL, NULL, NULL, NULL,
				 k->mounts[i].why);
	}
}

static void rule_oom(struct ctx *c)
{
	uint64_t i;
	char why[WHY_MAX], title[200], text[512];

	c->per_rule = 0;
	for (i = 0; i < c->in->n_events; i++) {
		const struct sv_event *e = c->in->events[i];
		struct sv_finding *f;

		if (!e->container_id || strcmp(e->kind, SV_EV_CONTAINER_OOM))
			continue;
		f = find_for(c, &r_oom, e->container_id);
		if (!f) {
			snprintf(title, sizeof(title), "OOM kill in %s",
				 label(c, e->container_id));
			f = finding(c, &r_oom, title, e->container_id, e->pid,
				    e->ts_ns);
			snprintf(why, sizeof(why), "the kernel's OOM killer "
				 "ended a process of %s at its memory limit: a "
				 "leak, an undersized limit, or memory abuse",
				 label(c, e->container_id));
			if (f)
				f->why = keep(c, why);
		}
		evidence(c, f, e, NULL, NULL, e->artifact,
			 sv_event_text(e, text, sizeof(text)));
	}
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
	struct ctx c;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.arena = arena;
	c.out = out;
	c.in = in;
	rule_exec(&c);
	rule_shell(&c);
	rule_mining(&c);
	rule_writable(&c);
	rule_containers(&c);
	rule_oom(&c);
	out->list = c.head;
	sv_findings_order(out);
}
