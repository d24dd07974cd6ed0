/*
 * report_entities_xml.c - what report.xml says about what ran: the
 * containers, the processes and the timeline (report.xsd).
 *
 *   <containers><container …><name/>* <capability/>* <mount/>*
 *               <cgroup/>*</container>*</containers>
 *   <processes …><process …><change/>*</process>*</processes>
 *   <timeline …><skew/>* <event …>text</event>*</timeline>
 */
#include <stdio.h>
#include <string.h>

#include "sv_report_parts.h"
#include "sv_time.h"

#define PROCESSES_LISTED 20000
#define EVENTS_LISTED 50000

static void attr_str(struct sv_xw *x, const char *name, const char *v)
{
	if (v && *v)
		sv_xw_attr(x, name, v);
}

static void attr_when(struct sv_xw *x, const char *name, int64_t ns)
{
	if (ns != SV_TIME_NONE)
		sv_xw_attr_time(x, name, ns);
}

const char *sv_report_phase_name(enum sv_phase p)
{
	static const char *const n[] = {"", "provision", "run", "teardown"};

	return (unsigned)p < 4 ? n[p] : "";
}

/* ---- containers ---- */

static void host_namespaces(struct sv_xw *x, unsigned ns)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%s%s%s%s",
		 ns & SV_HOSTNS_PID ? " pid" : "",
		 ns & SV_HOSTNS_NET ? " net" : "",
		 ns & SV_HOSTNS_IPC ? " ipc" : "",
		 ns & SV_HOSTNS_UTS ? " uts" : "");
	if (buf[0])
		sv_xw_attr(x, "host-namespaces", buf + 1);
}

static void container_children(struct sv_xw *x, const struct sv_cont *c)
{
	size_t i;

	for (i = 0; i < c->n_names; i++)
		sv_xw_leaf(x, "name", c->names[i]);
	for (i = 0; i < c->n_cap_add; i++)
		sv_xw_leaf(x, "capability", c->cap_add[i]);
	for (i = 0; i < c->n_mounts; i++) {
		sv_xw_start(x, "mount");
		sv_xw_attr(x, "source", c->mounts[i].source);
		sv_xw_attr(x, "destination", c->mounts[i].destination);
		sv_xw_attr(x, "why", c->mounts[i].why);
		sv_xw_attr_bool(x, "rw", c->mounts[i].rw);
		sv_xw_end(x);
	}
	for (i = 0; i < c->n_cgroups; i++)
		sv_xw_leaf(x, "cgroup", c->cgroups[i]);
}

static void sources_attr(struct sv_xw *x, unsigned sources)
{
	char buf[160] = "";
	size_t used = 0;
	int s;

	for (s = 0; s < SV_SRC_COUNT; s++)
		if (sources & (1u << s))
			used += (size_t)snprintf(buf + used, sizeof(buf) - used,
				"%s%s", used ? " " : "",
				sv_event_source_name((enum sv_event_source)s));
	sv_xw_attr(x, "sources", buf);
}

static void write_container(struct sv_xw *x, const struct sv_cont *c)
{
	sv_xw_start(x, "container");
	attr_str(x, "id", c->id);
	attr_str(x, "name", c->name);
	attr_str(x, "image", c->image);
	attr_str(x, "image-id", c->image_id);
	attr_str(x, "pod", c->pod);
	attr_str(x, "namespace", c->k8s_namespace);
	attr_when(x, "created", c->created_ns);
	attr_when(x, "started", c->started_ns);
	attr_when(x, "paused", c->paused_ns);
	attr_when(x, "died", c->died_ns);
	attr_when(x, "removed", c->removed_ns);
	if (c->has_exit_code)
		sv_xw_attr_i64(x, "exit-code", c->exit_code);
	sv_xw_attr_u64(x, "restarts", c->restarts);
	sv_xw_attr_u64(x, "execs", c->execs);
	sv_xw_attr_u64(x, "oom-kills", c->oom_kills);
	if (c->privileged >= 0)
		sv_xw_attr_bool(x, "privileged", c->privileged);
	host_namespaces(x, c->host_ns);
	if (c->init_pid >= 0)
		sv_xw_attr_i64(x, "init-pid", c->init_pid);
	sv_xw_attr_u64(x, "processes", c->procs);
	sources_attr(x, c->sources);
	attr_str(x, "missing", c->missing);
	attr_str(x, "notes", c->notes);
	container_children(x, c);
	sv_xw_end(x);
}

static void write_containers(struct sv_xw *x, const struct sv_analysis *a)
{
	const struct sv_cont *c;

	sv_xw_start(x, "containers");
	sv_xw_attr_u64(x, "count", a->containers ? a->containers->n : 0);
	for (c = a->containers ? a->containers->list : NULL; c; c = c->next)
		write_container(x, c);
	sv_xw_end(x);
}

/* ---- processes ---- */

static void write_change(struct sv_xw *x, const struct sv_proc_change *ch)
{
	sv_xw_start(x, "change");
	sv_xw_attr(x, "kind", ch->kind);
	attr_when(x, "after", ch->t_before);
	attr_when(x, "before", ch->t_after);
	attr_str(x, "from", ch->before);
	attr_str(x, "to", ch->after);
	attr_str(x, "artifact", ch->artifact);
	sv_xw_end(x);
}

static void process_ids(struct sv_xw *x, const struct sv_proc *p)
{
	sv_xw_attr_u64(x, "pid", p->pid);
	sv_xw_attr_u64(x, "pid-start", p->pid_start);
	attr_when(x, "start", p->start_ns);
	if (p->parent) {
		sv_xw_attr_u64(x, "parent-pid", p->parent->pid);
		sv_xw_attr_u64(x, "parent-start", p->parent->pid_start);
	} else {
		sv_xw_attr_u64(x, "ppid", p->ppid);
	}
	if (p->ns_pid)
		sv_xw_attr_u64(x, "ns-pid", p->ns_pid);
	attr_str(x, "container", p->container_id);
}

static void write_process(struct sv_xw *x, const struct sv_proc *p)
{
	const struct sv_proc_change *ch;

	sv_xw_start(x, "process");
	process_ids(x, p);
	attr_str(x, "comm", p->comm);
	attr_str(x, "exe", p->exe);
	attr_str(x, "cmdline", p->cmdline);
	attr_str(x, "cwd", p->cwd);
	if (p->uid >= 0)
		sv_xw_attr_i64(x, "uid", p->uid);
	if (p->euid >= 0)
		sv_xw_attr_i64(x, "euid", p->euid);
	if (p->is_init)
		sv_xw_attr_bool(x, "init", 1);
	if (p->entered)
		sv_xw_attr_bool(x, "entered", 1);
	if (p->kthread)
		sv_xw_attr_bool(x, "kernel-thread", 1);
	attr_when(x, "first-seen", p->first_seen);
	attr_when(x, "last-seen", p->last_seen);
	if (p->exited) {
		attr_when(x, "exit-after", p->exit_lo);
		attr_when(x, "exit-before", p->exit_hi);
	}
	for (ch = p->changes; ch; ch = ch->next)
		write_change(x, ch);
	sv_xw_end(x);
}

static void write_processes(struct sv_xw *x, const struct sv_analysis *a)
{
	const struct sv_proc *p;
	uint64_t listed = 0, total = a->procs ? a->procs->n : 0;

	sv_xw_start(x, "processes");
	sv_xw_attr_u64(x, "count", total);
	sv_xw_attr_u64(x, "listed",
		       total < PROCESSES_LISTED ? total : PROCESSES_LISTED);
	for (p = a->procs ? a->procs->list : NULL;
	     p && listed < PROCESSES_LISTED; p = p->next, listed++)
		write_process(x, p);
	sv_xw_end(x);
}

/* ---- timeline ---- */

static void write_skew(struct sv_xw *x, const struct sv_timeline *t)
{
	int s;

	for (s = 0; s < SV_SRC_COUNT; s++) {
		const struct sv_skew *k = &t->skew[s];

		if (!k->pairs)
			continue;
		sv_xw_start(x, "skew");
		sv_xw_attr(x, "source",
			   sv_event_source_name((enum sv_event_source)s));
		sv_xw_attr_i64(x, "offset-ns", k->offset_ns);
		sv_xw_attr_u64(x, "pairs", k->pairs);
		sv_xw_attr_bool(x, "applied", k->applied);
		sv_xw_end(x);
	}
}

static void write_event(struct sv_xw *x, const struct sv_analysis *a,
			const struct sv_event *e)
{
	char text[1024];

	sv_xw_start(x, "event");
	sv_xw_attr_time(x, "time", e->ts_ns);
	if (e->ts_hi_ns != e->ts_ns && e->ts_hi_ns != SV_TIME_NONE)
		sv_xw_attr_time(x, "time-end", e->ts_hi_ns);
	sv_xw_attr(x, "kind", e->kind);
	sv_xw_attr(x, "source", sv_event_source_name(e->source));
	if (e->container_id) {
		sv_xw_attr(x, "container", e->container_id);
		sv_xw_attr(x, "container-name",
			   sv_analysis_container_label(a, e->container_id));
	}
	if (e->pid >= 0) {
		sv_xw_attr_i64(x, "pid", e->pid);
		sv_xw_attr_u64(x, "pid-start", e->pid_start);
	}
	if (!e->container_id && e->pid < 0)
		sv_xw_attr_bool(x, "unattributed", 1);
	attr_str(x, "phase", sv_report_phase_name(e->phase));
	if (e->skew_ns)
		sv_xw_attr_i64(x, "skew-ns", e->skew_ns);
	attr_str(x, "artifact", e->artifact);
	if (e->line)
		sv_xw_attr_u64(x, "line", e->line);
	sv_xw_text(x, sv_event_text(e, text, sizeof(text)));
	sv_xw_end(x);
}

static void write_timeline(struct sv_xw *x, const struct sv_analysis *a)
{
	const struct sv_timeline *t = &a->timeline;
	uint64_t i;

	sv_xw_start(x, "timeline");
	sv_xw_attr_u64(x, "events", t->n);
	sv_xw_attr_u64(x, "attributed", t->attributed);
	sv_xw_attr_u64(x, "unattributed", t->unattributed);
	sv_xw_attr_u64(x, "over-limit", t->over_limit + a->net_events_dropped);
	sv_xw_attr_u64(x, "listed", t->n < EVENTS_LISTED ? t->n
							 : EVENTS_LISTED);
	write_skew(x, t);
	for (i = 0; i < t->n && i < EVENTS_LISTED; i++)
		write_event(x, a, t->ev[i]);
	sv_xw_end(x);
}

void sv_report_entities_xml(struct sv_xw *x, const struct sv_analysis *a)
{
	write_containers(x, a);
	write_processes(x, a);
	write_timeline(x, a);
}
