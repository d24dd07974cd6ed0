/*
 * sv_userrules.c - evaluate a rules file's specifications on one bundle,
 * then tune and allow-list every finding (sv_userrules.h).
 *
 * Each rule walks the one entity list its match type names, testing the
 * cheap numeric conditions before the globs; findings are grouped per
 * (rule, container) like the built-in rules' (models/sv_rules.c, whose
 * small helpers are copied here rather than shared: they are static).
 */
#include "sv_userrules.h"

#include <arpa/inet.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sv_attrib.h"
#include "sv_text.h"

#define WHY_MAX 1600
#define NOTE_MAX 512

_Static_assert(SV_SEV_INFO == 0 && SV_SEV_CRITICAL == 4,
	       "rule files number severities info=0 .. critical=4");

struct uctx {
	struct sv_arena *arena;
	const struct sv_rules_input *in;
	struct sv_findings *out;
	const struct sv_rulespec_set *set;
	const struct sv_rulespec *r;   /* the rule being evaluated */
	struct sv_finding *stop;       /* out->list before this rule */
	uint64_t per_rule;
	struct sv_userrules_stats *st;
};

/* One match: what the finding and its evidence say. */
struct hit {
	const char *cid;              /* container id, or NULL */
	int64_t pid, ts;
	const struct sv_event *event;
	const struct sv_flow *flow;
	const struct sv_proc *proc;
	const char *artifact;
	const char *note;
};

/* ---- conditions ---- */

/* No pattern: no condition. A value the bundle lacks never matches. */
static int globs_ok(const struct sv_rule_globs *g, const char *s)
{
	uint32_t i;

	if (!g->n)
		return 1;
	for (i = 0; s && i < g->n; i++)
		if (!fnmatch(g->v[i], s, 0))
			return 1;
	return 0;
}

static int nums_ok(const struct sv_rule_nums *n, int64_t v)
{
	uint32_t i;

	if (!n->n)
		return 1;
	for (i = 0; v >= 0 && i < n->n; i++)
		if ((int64_t)n->v[i] == v)
			return 1;
	return 0;
}

static int cmps_ok(const struct sv_rule_cmps *c, double v)
{
	uint32_t i;
	int ok = 1;

	for (i = 0; ok && i < c->n; i++) {
		double x = c->v[i].value;

		switch (c->v[i].op) {
		case SV_OP_LT: ok = v < x; break;
		case SV_OP_LE: ok = v <= x; break;
		case SV_OP_GT: ok = v > x; break;
		case SV_OP_GE: ok = v >= x; break;
		case SV_OP_EQ: ok = v == x; break;
		case SV_OP_NE: ok = v != x; break;
		}
	}
	return ok;
}

static int ports_ok(const struct sv_rule_ports *p, uint16_t port)
{
	uint32_t i;

	if (!p->n)
		return 1;
	for (i = 0; i < p->n; i++)
		if (port >= p->v[i].lo && port <= p->v[i].hi)
			return 1;
	return 0;
}

static int cidr_has(const struct sv_rule_cidr *n, int family,
		    const uint8_t *addr)
{
	int full = n->prefix / 8, rest = n->prefix % 8;

	if (n->family != family || memcmp(n->addr, addr, (size_t)full))
		return 0;
	return !rest || !((n->addr[full] ^ addr[full]) &
			  (uint8_t)(0xff << (8 - rest)));
}

static int cidrs_ok(const struct sv_rule_cidrs *c, int family,
		    const uint8_t *addr)
{
	uint32_t i;

	if (!c->n)
		return 1;
	for (i = 0; i < c->n; i++)
		if (cidr_has(&c->v[i], family, addr))
			return 1;
	return 0;
}

/* The container globs against every name and the ids; image globs
 * against the image. A NULL id matches neither. */
static int container_ok(const struct sv_container_set *cs,
			const struct sv_rule_globs *names,
			const struct sv_rule_globs *image, const char *cid)
{
	const struct sv_cont *k;
	size_t i;
	int ok;

	if (!names->n && !image->n)
		return 1;
	if (!cid)
		return 0;
	k = sv_containers_find(cs, cid);
	ok = globs_ok(names, cid);
	for (i = 0; !ok && k && i < k->n_names; i++)
		ok = globs_ok(names, k->names[i]);
	if (!ok && k && k->short_id)
		ok = globs_ok(names, k->short_id);
	return ok && globs_ok(image, k ? k->image : NULL);
}

/* Scope, container and image. host: known to be the host's. */
static int where_ok(const struct uctx *c, const char *cid, int host)
{
	const struct sv_rulespec *r = c->r;

	if ((r->scope == SV_RS_CONTAINERS && !cid) ||
	    (r->scope == SV_RS_HOST && (cid || !host)))
		return 0;
	return container_ok(c->in->containers, &r->container, &r->image,
			    cid);
}

/* ---- findings ---- */

/* An arena copy; cleaned, since cutting to fit (%.Ns) may have split
 * a character of the bundle's text. */
static const char *keep(struct uctx *c, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	char *d = s ? sv_text_clean(c->arena, s, n, n) : NULL;

	if (s && !d)
		c->out->nomem = 1;
	return d;
}

static const char *label(const struct uctx *c, const char *cid)
{
	const struct sv_cont *k = cid ? sv_containers_find(c->in->containers,
							   cid) : NULL;

	return k ? sv_container_label(k) : cid ? cid : "no container";
}

static int same_cid(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static struct sv_finding *new_finding(struct uctx *c, const struct hit *h)
{
	const struct sv_rulespec *r = c->r;
	struct sv_finding *f;
	char title[SV_RULESFILE_TITLE_MAX + 160], why[WHY_MAX];
	size_t n;

	f = sv_arena_calloc(c->arena, 1, sizeof(*f));
	if (!f) {
		c->out->nomem = 1;
		return NULL;
	}
	snprintf(title, sizeof(title), "%s (%.150s)", r->title,
		 label(c, h->cid));
	n = r->why ? strlen(r->why) : 0;
	snprintf(why, sizeof(why), "%s%sUser rule %s (%.200s, line %" PRIu64
		 ") matched %.300s", r->why ? r->why : "", !n ? "" :
		 r->why[n - 1] == '.' ? " " : ". ", r->id, c->set->name,
		 r->line, h->note);
	f->rule = keep(c, r->id);
	f->title = keep(c, title);
	f->why = keep(c, why);
	f->technique = keep(c, r->technique ? r->technique : "");
	f->technique_name = keep(c, r->technique_name ? r->technique_name
				 : "");
	f->severity = (enum sv_severity)r->severity;
	f->container_id = h->cid;
	f->pid = h->pid;
	f->ts_ns = h->ts;
	f->score = NAN;
	f->pvalue = NAN;
	f->next = c->out->list;
	c->out->list = f;
	c->st->fired++;
	return f;
}

/* Record a match: into this rule's finding for the container, made on
 * the first match. */
static void hit(struct uctx *c, const struct hit *h)
{
	struct sv_finding *f;
	struct sv_evidence *v;

	for (f = c->out->list; f != c->stop; f = f->next)
		if (same_cid(f->container_id, h->cid))
			break;
	if (f == c->stop) {
		if (c->per_rule >= SV_USERRULES_FINDINGS_MAX) {
			c->st->capped++;
			return;
		}
		f = new_finding(c, h);
		if (!f)
			return;
		c->per_rule++;
	}
	if (f->n_ev >= SV_FINDING_EVIDENCE)
		return;
	v = &f->ev[f->n_ev++];
	v->event = h->event;
	v->flow = h->flow;
	v->proc = h->proc;
	v->artifact = h->artifact;
	v->note = keep(c, h->note);
}

/* ---- process rules ---- */

static void eval_procs(struct uctx *c)
{
	const struct sv_rulespec *r = c->r;
	const struct sv_proc *p;
	struct hit h;

	for (p = c->in->procs ? c->in->procs->list : NULL; p; p = p->next) {
		if (!nums_ok(&r->user, p->euid) ||
		    !globs_ok(&r->program, p->comm) ||
		    !globs_ok(&r->executable, p->exe) ||
		    !globs_ok(&r->cmdline, p->cmdline) ||
		    !globs_ok(&r->parent, p->parent ? p->parent->comm : NULL) ||
		    !where_ok(c, p->container_id, !p->container_id))
			continue;
		memset(&h, 0, sizeof(h));
		h.cid = p->container_id;
		h.pid = p->pid;
		h.ts = p->start_ns;
		h.proc = p;
		h.artifact = p->artifact;
		h.note = p->cmdline && *p->cmdline ? p->cmdline
			 : p->comm ? p->comm : "?";
		hit(c, &h);
	}
}

/* ---- flow rules ---- */

static void endpoint(const struct sv_flow *f, int b, char *buf, size_t n)
{
	char a[64];

	if (!inet_ntop(f->family == 6 ? AF_INET6 : AF_INET,
		       b ? f->b_addr : f->a_addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, n, f->family == 6 ? "[%s]:%u" : "%s:%u", a,
		 b ? f->b_port : f->a_port);
}

static const char *proto_name(uint8_t p)
{
	return p == 6 ? "tcp" : p == 17 ? "udp" : p == 1 ? "icmp"
	       : p == 58 ? "icmpv6" : "ip";
}

/* The flow seen from its end `side` (0: a, 1: b) as the local one. */
static void flow_side(struct uctx *c, const struct sv_flow *f, int side)
{
	const struct sv_rulespec *r = c->r;
	const struct sv_owner *o = side ? f->owner_b : f->owner_a;
	const char *cid = o ? o->container_id : NULL;
	uint64_t out = side ? f->bytes_ba : f->bytes_ab;
	uint64_t in = side ? f->bytes_ab : f->bytes_ba;
	char local[80], remote[80], note[NOTE_MAX];
	struct hit h;

	if (!ports_ok(&r->port, side ? f->a_port : f->b_port) ||
	    !cidrs_ok(&r->address, f->family, side ? f->a_addr : f->b_addr) ||
	    !cmps_ok(&r->bytes_out, (double)out) ||
	    !cmps_ok(&r->bytes_in, (double)in) ||
	    !globs_ok(&r->program, o ? o->comm : NULL) ||
	    !where_ok(c, cid, o && o->is_host))
		return;
	endpoint(f, side, local, sizeof(local));
	endpoint(f, !side, remote, sizeof(remote));
	snprintf(note, sizeof(note), "%s %s %s %s (flow %" PRIu64 "%s%.60s), "
		 "%" PRIu64 " bytes out, %" PRIu64 " in", proto_name(f->proto),
		 local, side ? "<-" : "->", remote, f->id,
		 o && o->comm ? ", " : "", o && o->comm ? o->comm : "", out,
		 in);
	memset(&h, 0, sizeof(h));
	h.cid = cid;
	h.pid = o ? o->pid : -1;
	h.ts = f->first_ns;
	h.flow = f;
	h.note = note;
	hit(c, &h);
}

static void eval_flows(struct uctx *c)
{
	const struct sv_flow *f;

	for (f = c->in->flows; f; f = f->next) {
		if (!nums_ok(&c->r->protocol, f->proto))
			continue;
		if (c->r->direction != SV_RD_IN)
			flow_side(c, f, 0);
		if (c->r->direction != SV_RD_OUT)
			flow_side(c, f, 1);
	}
}

/* ---- dns rules ---- */

/* The query name as rules compare it: lower case, no trailing dot. */
static void fold_name(const char *q, char *buf, size_t n)
{
	size_t i;

	for (i = 0; q[i] && i + 1 < n; i++)
		buf[i] = q[i] >= 'A' && q[i] <= 'Z' ? (char)(q[i] - 'A' + 'a')
						    : q[i];
	if (i > 1 && buf[i - 1] == '.')
		i--;
	buf[i] = '\0';
}

static void dns_query(struct uctx *c, const struct sv_app_event *e)
{
	const struct sv_rulespec *r = c->r;
	const struct sv_dns_event *d = &e->u.dns;
	const struct sv_flow *f = e->flow;
	const struct sv_owner *o = e->from_a ? f->owner_a : f->owner_b;
	char name[1024], note[NOTE_MAX];
	struct hit h;

	fold_name(d->qname, name, sizeof(name));
	if (!nums_ok(&r->type, d->qtype) ||
	    !cmps_ok(&r->labels, d->labels) ||
	    !cmps_ok(&r->label_length, d->longest_label) ||
	    !cmps_ok(&r->entropy, d->entropy) ||
	    !globs_ok(&r->name, name) ||
	    !globs_ok(&r->program, o ? o->comm : NULL) ||
	    !where_ok(c, o ? o->container_id : NULL, o && o->is_host))
		return;
	snprintf(note, sizeof(note), "DNS query %.300s type %u (longest "
		 "label %d, entropy %.2f) in flow %" PRIu64 "%s%.60s", name,
		 d->qtype, d->longest_label, d->entropy, f->id,
		 o && o->comm ? " from " : "", o && o->comm ? o->comm : "");
	memset(&h, 0, sizeof(h));
	h.cid = o ? o->container_id : NULL;
	h.pid = o ? o->pid : -1;
	h.ts = e->ts_ns;
	h.flow = f;
	h.note = note;
	hit(c, &h);
}

static void eval_dns(struct uctx *c)
{
	const struct sv_app_event *e;

	for (e = c->in->app; e; e = e->next)
		if (e->kind == SV_APPK_DNS && !e->u.dns.response &&
		    e->u.dns.qname)
			dns_query(c, e);
}

/* ---- event rules ---- */

static void eval_events(struct uctx *c)
{
	const struct sv_rulespec *r = c->r;
	char buf[NOTE_MAX];
	const char *text;
	uint64_t i;
	struct hit h;

	for (i = 0; i < c->in->n_events; i++) {
		const struct sv_event *e = c->in->events[i];

		if (!globs_ok(&r->kind, e->kind) ||
		    !where_ok(c, e->container_id, !e->container_id))
			continue;
		/* its message, or its words written into buf */
		text = sv_event_text(e, buf, sizeof(buf));
		if (!globs_ok(&r->text, text))
			continue;
		memset(&h, 0, sizeof(h));
		h.cid = e->container_id;
		h.pid = e->pid;
		h.ts = e->ts_ns;
		h.event = e;
		h.artifact = e->artifact;
		h.note = text;
		hit(c, &h);
	}
}

/* ---- tune and allow ---- */

static const struct sv_ruletune *tune_for(const struct sv_rulespec_set *s,
					  const char *rule)
{
	const struct sv_ruletune *t;

	for (t = s->tunes; t; t = t->next)
		if (rule && !strcmp(t->rule, rule))
			return t;
	return NULL;
}

static int allowed(const struct uctx *c, const struct sv_finding *f)
{
	const struct sv_ruleallow *a;

	for (a = c->set->allows; a; a = a->next)
		if (globs_ok(&a->rule, f->rule) &&
		    container_ok(c->in->containers, &a->container, &a->image,
				 f->container_id))
			return 1;
	return 0;
}

static void tune_and_allow(struct uctx *c)
{
	struct sv_finding **pp = &c->out->list, *f;
	const struct sv_ruletune *t;

	while ((f = *pp) != NULL) {
		t = tune_for(c->set, f->rule);
		if (t && !t->enabled) {
			*pp = f->next;
			c->st->disabled++;
			continue;
		}
		if (t && t->severity >= 0 &&
		    t->severity != (int)f->severity) {
			f->severity = (enum sv_severity)t->severity;
			c->st->retuned++;
		}
		if (allowed(c, f)) {
			*pp = f->next;
			c->st->allowed++;
			continue;
		}
		pp = &f->next;
	}
}

/* ---- entry points ---- */

void sv_userrules_apply_stats(struct sv_arena *arena,
			      const struct sv_rulespec_set *rules,
			      const struct sv_rules_input *in,
			      struct sv_findings *out,
			      struct sv_userrules_stats *st)
{
	static void (*const eval[])(struct uctx *) = {
		[SV_RM_PROCESS] = eval_procs, [SV_RM_FLOW] = eval_flows,
		[SV_RM_DNS] = eval_dns, [SV_RM_EVENT] = eval_events,
	};
	struct uctx c;

	memset(st, 0, sizeof(*st));
	memset(&c, 0, sizeof(c));
	c.arena = arena;
	c.in = in;
	c.out = out;
	c.set = rules;
	c.st = st;
	for (c.r = rules ? rules->rules : NULL; c.r; c.r = c.r->next) {
		c.stop = out->list;
		c.per_rule = 0;
		if ((unsigned)c.r->match <= SV_RM_EVENT)
			eval[c.r->match](&c);
	}
	if (rules)
		tune_and_allow(&c);
	sv_findings_order(out);
}

void sv_userrules_apply(struct sv_arena *arena,
			const struct sv_rulespec_set *rules,
			const struct sv_rules_input *in,
			struct sv_findings *out)
{
	struct sv_userrules_stats st;

	sv_userrules_apply_stats(arena, rules, in, out, &st);
}
