/*
 * report_entities_html.c - the containers of report.html (identity,
 * risky settings, lifecycle, the process tree) and the timeline table.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sv_attrib.h"
#include "sv_html.h"
#include "sv_report_parts.h"
#include "sv_time.h"

#define TREE_SHOWN 300      /* processes per container tree */
#define TREE_DEPTH 24
#define EVENTS_SHOWN 500
#define FLOWS_PER_CONTAINER 50

static void when_text(int64_t ns, char *buf)
{
	if (ns == SV_TIME_NONE)
		snprintf(buf, SV_TIME_TEXT_MAX, "—");
	else
		sv_time_format(ns, buf);
}

/* ---- the containers table ---- */

static void risk_cell(struct sv_xw *x, const struct sv_cont *c)
{
	char buf[96];
	size_t i;

	sv_xw_start(x, "td");
	if (c->privileged > 0)
		tag(x, "t-error", "privileged");
	if (c->host_ns) {
		snprintf(buf, sizeof(buf), "host namespaces%s%s%s%s",
			 c->host_ns & SV_HOSTNS_PID ? " pid" : "",
			 c->host_ns & SV_HOSTNS_NET ? " net" : "",
			 c->host_ns & SV_HOSTNS_IPC ? " ipc" : "",
			 c->host_ns & SV_HOSTNS_UTS ? " uts" : "");
		tag(x, "t-error", buf);
	}
	for (i = 0; i < c->n_mounts; i++) {
		snprintf(buf, sizeof(buf), "%.40s: %.40s", c->mounts[i].why,
			 c->mounts[i].source);
		tag(x, "t-error", buf);
	}
	for (i = 0; i < c->n_cap_add; i++)
		tag(x, "t-warning", c->cap_add[i]);
	if (c->oom_kills) {
		snprintf(buf, sizeof(buf), "%u OOM kill%s", c->oom_kills,
			 c->oom_kills == 1 ? "" : "s");
		tag(x, "t-warning", buf);
	}
	if (c->execs) {
		snprintf(buf, sizeof(buf), "%u exec%s", c->execs,
			 c->execs == 1 ? "" : "s");
		tag(x, "t-warning", buf);
	}
	sv_xw_end(x);
}

static void life_cell(struct sv_xw *x, const struct sv_cont *c)
{
	char a[SV_TIME_TEXT_MAX], b[SV_TIME_TEXT_MAX], line[200];

	when_text(c->started_ns, a);
	when_text(c->died_ns, b);
	if (c->has_exit_code)
		snprintf(line, sizeof(line), "%s → %s (exit %" PRId64 ")", a, b,
			 c->exit_code);
	else
		snprintf(line, sizeof(line), "%s → %s", a, b);
	td_text(x, line, "mono");
}

static void container_row(struct sv_xw *x, const struct sv_cont *c)
{
	char id[40];

	sv_xw_start(x, "tr");
	sv_xw_start(x, "td");
	el(x, "b", NULL, sv_container_label(c));
	if (c->short_id) {
		snprintf(id, sizeof(id), "%s", c->short_id);
		sv_xw_start(x, "br");
		sv_xw_end(x);
		el(x, "span", "mono muted", id);
	}
	sv_xw_end(x);
	td_text(x, c->image ? c->image : "", "mono");
	life_cell(x, c);
	td_u64(x, c->procs);
	risk_cell(x, c);
	td_text(x, c->missing && *c->missing ? c->missing : "", "muted");
	sv_xw_end(x);
}

/* ---- process trees ---- */

struct tree {
	struct sv_xw *x;
	const char *cid;
	int shown;
};

static void proc_line(struct sv_xw *x, const struct sv_proc *p)
{
	char start[SV_TIME_TEXT_MAX], line[600];

	when_text(p->start_ns, start);
	snprintf(line, sizeof(line), "%s [%" PRIu32 "] %.400s",
		 p->comm ? p->comm : "?", p->pid, p->cmdline ? p->cmdline : "");
	el(x, "code", NULL, line);
	el(x, "span", "muted", start);
	if (p->is_init)
		tag(x, "t-ok", "init");
	if (p->entered)
		tag(x, "t-warning", "entered from outside");
	if (p->exited)
		tag(x, "t-app", "exited");
	if (p->n_changes)
		tag(x, "t-warning", "changed");
}

static int in_tree(const struct sv_proc *p, const char *cid)
{
	return p->container_id && !strcmp(p->container_id, cid);
}

static void subtree(struct tree *t, const struct sv_proc *p, int depth)
{
	const struct sv_proc *ch;
	int any = 0;

	if (t->shown >= TREE_SHOWN)
		return;
	t->shown++;
	sv_xw_start(t->x, "li");
	proc_line(t->x, p);
	for (ch = p->first_child; ch; ch = ch->next_sibling) {
		if (!in_tree(ch, t->cid))
			continue;
		if (!any && depth < TREE_DEPTH) {
			sv_xw_start(t->x, "ul");
			any = 1;
		}
		if (depth < TREE_DEPTH)
			subtree(t, ch, depth + 1);
	}
	if (any)
		sv_xw_end(t->x);
	sv_xw_end(t->x);
}

/* Roots: the container's processes whose parent is outside it. */
static void process_tree(struct sv_xw *x, const struct sv_analysis *a,
			 const struct sv_cont *c)
{
	struct tree t = {x, c->id, 0};
	const struct sv_proc *p;
	char line[120];

	if (!c->id || !a->procs)
		return;
	sv_xw_start(x, "ul");
	sv_xw_attr(x, "class", "tree");
	for (p = a->procs->list; p; p = p->next)
		if (in_tree(p, c->id) &&
		    (!p->parent || !in_tree(p->parent, c->id)))
			subtree(&t, p, 0);
	sv_xw_end(x);
	if (t.shown >= TREE_SHOWN) {
		snprintf(line, sizeof(line), "The first %d processes; "
			 "report.xml lists them all.", TREE_SHOWN);
		el(x, "p", "muted", line);
	}
}

/* ---- a container's connections ---- */

static int owned_by(const struct sv_owner *o, const char *cid)
{
	return o && o->container_id && !strcmp(o->container_id, cid);
}

/* "10.89.77.1:4444 (pool.test)" for the end that is not the container */
static void peer_text(const struct sv_flow *f, int peer_b, char *buf,
		      size_t n)
{
	char a[64];
	const char *name = peer_b ? f->name_b : f->name_a;

	sv_addr_text(f->family, peer_b ? f->b_addr : f->a_addr, a, sizeof(a));
	snprintf(buf, n, "%s %s:%u%s%.100s%s", peer_b ? "→" : "←", a,
		 peer_b ? f->b_port : f->a_port, name ? " (" : "",
		 name ? name : "", name ? ")" : "");
}

static void connection_row(struct sv_xw *x, const struct sv_flow *f,
			   int ours_a)
{
	const struct sv_owner *o = ours_a ? f->owner_a : f->owner_b;
	char buf[200], when[SV_TIME_TEXT_MAX];
	int k;

	sv_xw_start(x, "tr");
	sv_time_format(f->first_ns, when);
	td_text(x, when, "mono nowrap");
	if (o->pid >= 0)
		snprintf(buf, sizeof(buf), "%.60s [%" PRId64 "]",
			 o->comm ? o->comm : "?", o->pid);
	else
		buf[0] = '\0';
	td_text(x, buf, "mono");
	peer_text(f, ours_a, buf, sizeof(buf));
	td_text(x, buf, "mono");
	sv_xw_start(x, "td");
	for (k = 0; f->app && k < SV_APPK_COUNT; k++)
		if (f->app->kinds & (1u << k))
			tag(x, "t-app", sv_app_kind_name((enum sv_app_kind)k));
	sv_xw_end(x);
	snprintf(buf, sizeof(buf), "%" PRIu64 " / %" PRIu64,
		 ours_a ? f->bytes_ab : f->bytes_ba,
		 ours_a ? f->bytes_ba : f->bytes_ab);
	td_text(x, buf, "n");
	sv_xw_end(x);
}

/* The flows one of whose ends this container held, with the process. */
static void connections(struct sv_xw *x, const struct sv_analysis *a,
			const struct sv_cont *c)
{
	static const char *const cols[] = {"First seen", "Process",
		"Peer (→ it called, ← called it)", "Protocol",
		"Bytes (sent / received)", NULL};
	const struct sv_flow *f;
	int shown = 0, total = 0;
	char line[120];

	for (f = a->flows; f && c->id; f = f->next) {
		int ours_a = owned_by(f->owner_a, c->id);

		if (!ours_a && !owned_by(f->owner_b, c->id))
			continue;
		if (!total++) {
			el(x, "h4", NULL, "Connections");
			sv_xw_start(x, "table");
			header_row(x, cols);
		}
		if (shown++ < FLOWS_PER_CONTAINER)
			connection_row(x, f, ours_a);
	}
	if (!total)
		return;
	sv_xw_end(x);
	if (total > FLOWS_PER_CONTAINER) {
		snprintf(line, sizeof(line), "The first %d of %d flows.",
			 FLOWS_PER_CONTAINER, total);
		el(x, "p", "muted", line);
	}
}

/* ---- the containers ---- */

static void containers(struct sv_xw *x, const struct sv_analysis *a)
{
	static const char *const cols[] = {"Container", "Image",
		"Started → died", "Processes", "Risk and events",
		"Not in the bundle", NULL};
	const struct sv_cont *c;

	sv_xw_start(x, "section");
	sv_xw_attr(x, "id", "containers");
	el(x, "h2", NULL, "Containers");
	if (!a->containers || !a->containers->n) {
		el(x, "p", "muted", "No container was found in this bundle.");
		sv_xw_end(x);
		return;
	}
	sv_xw_start(x, "table");
	header_row(x, cols);
	for (c = a->containers->list; c; c = c->next)
		container_row(x, c);
	sv_xw_end(x);
	for (c = a->containers->list; c; c = c->next) {
		sv_xw_start(x, "h3");
		sv_xw_text(x, "Container ");
		sv_xw_text(x, sv_container_label(c));
		sv_xw_end(x);
		if (c->procs) {
			el(x, "h4", NULL, "Processes");
			process_tree(x, a, c);
		}
		connections(x, a, c);
	}
	sv_xw_end(x);
}

/* ---- timeline ---- */

static void event_row(struct sv_xw *x, const struct sv_analysis *a,
		      const struct sv_event *e)
{
	char when[SV_TIME_TEXT_MAX], who[160], text[1024];

	sv_xw_start(x, "tr");
	when_text(e->ts_ns, when);
	td_text(x, when, "mono nowrap");
	td_text(x, e->kind, "mono");
	if (e->container_id && e->pid >= 0)
		snprintf(who, sizeof(who), "%.100s · pid %" PRId64,
			 sv_analysis_container_label(a, e->container_id),
			 e->pid);
	else if (e->container_id)
		snprintf(who, sizeof(who), "%.100s",
			 sv_analysis_container_label(a, e->container_id));
	else if (e->pid >= 0)
		snprintf(who, sizeof(who), "host · pid %" PRId64, e->pid);
	else
		snprintf(who, sizeof(who), "unattributed");
	td_text(x, who, e->container_id || e->pid >= 0 ? NULL : "muted");
	td_text(x, sv_report_phase_name(e->phase), NULL);
	td_text(x, sv_event_text(e, text, sizeof(text)), "mono");
	sv_xw_end(x);
}

static void skew_note(struct sv_xw *x, const struct sv_timeline *t)
{
	char line[200];
	int s;

	for (s = 0; s < SV_SRC_COUNT; s++) {
		const struct sv_skew *k = &t->skew[s];

		if (!k->pairs)
			continue;
		snprintf(line, sizeof(line), "Clock of %s against /proc: "
			 "%+.3f s over %" PRIu64 " pairs, %s.",
			 sv_event_source_name((enum sv_event_source)s),
			 (double)k->offset_ns / 1e9, k->pairs,
			 k->applied ? "corrected" : "left as it is");
		el(x, "p", "muted", line);
	}
}

static void timeline(struct sv_xw *x, const struct sv_analysis *a)
{
	static const char *const cols[] = {"Time", "What", "Who", "Phase",
					   "Details", NULL};
	const struct sv_timeline *t = &a->timeline;
	char line[240];
	uint64_t i;

	sv_xw_start(x, "section");
	sv_xw_attr(x, "id", "timeline");
	el(x, "h2", NULL, "Timeline");
	snprintf(line, sizeof(line), "%" PRIu64 " events, %" PRIu64
		 " attributed to a container or process, %" PRIu64
		 " not. `salvage timeline` exports them all (JSON lines or "
		 "CSV, for Timesketch).", t->n, t->attributed,
		 t->unattributed);
	el(x, "p", NULL, line);
	skew_note(x, t);
	sv_xw_start(x, "table");
	header_row(x, cols);
	for (i = 0; i < t->n && i < EVENTS_SHOWN; i++)
		event_row(x, a, t->ev[i]);
	sv_xw_end(x);
	if (t->n > EVENTS_SHOWN) {
		snprintf(line, sizeof(line), "The first %d of %" PRIu64
			 " events; report.xml lists more.", EVENTS_SHOWN,
			 t->n);
		el(x, "p", "muted", line);
	}
	sv_xw_end(x);
}

void sv_report_entities_html(struct sv_xw *x, const struct sv_analysis *a)
{
	containers(x, a);
	timeline(x, a);
}
