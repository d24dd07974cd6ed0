/*
 * fuzz_rules.c - libFuzzer target for the built-in rules (models/sv_rules.c,
 * sv_rules_more.c). The rules read no bytes, only entities: the input is
 * a program of opcodes that builds containers, processes, flows, DNS and
 * Stratum events, timeline events and cgroup series (through the cursor),
 * then sv_rules_run judges them. Besides the sanitizers, aborts when the
 * result breaks sv_rules.h's contract: counts and order, known ids, a why
 * and a title, evidence within the cap, container ids from the input, one
 * finding per container (and key) for the grouped rules, and each rule's
 * threshold met by what was given.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_attrib.h"
#include "sv_cursor.h"
#include "sv_rules.h"
#include "sv_rules_int.h"
#include "sv_time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ITEMS 3000
#define MAX_EV 256
#define T0 (1795942200LL * SV_NS_PER_SEC)

static const char C1[] = "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1"
			 "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1";
static const char C2[] = "c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2"
			 "c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2";
static const char *const cids[3] = {C1, C2, NULL};

struct w {
	struct sv_arena *arena;
	struct sv_rules_input in;
	struct sv_procs_result procs;
	struct sv_container_set set;
	struct sv_resources_result res;
	struct sv_event *ev[MAX_EV];
	struct sv_owner own[4];
	struct sv_proc *lp;
	struct sv_flow *lf;
	struct sv_app_event *la;
	struct sv_res_group *lg;
	/* what the thresholds need, per container 0, 1 */
	uint64_t dns[2], out[2], oom[2], refused[2], nprocs[2], stratum[2];
};

static char *text(struct w *w, struct sv_cursor *c)
{
	size_t n = sv_get_u8(c) % 80, i;
	const uint8_t *b = sv_get_bytes(c, n);
	char *s = sv_arena_alloc(w->arena, n + 1);

	if (!s)
		abort();
	for (i = 0; b && i < n; i++)
		s[i] = b[i] ? (char)b[i] : '.';
	s[b ? n : 0] = '\0';
	return s;
}

static int cidx(const char *cid)
{
	return cid == C1 ? 0 : cid == C2 ? 1 : -1;
}

static void *get(struct w *w, size_t n)
{
	void *p = sv_arena_calloc(w->arena, 1, n);

	if (!p)
		abort();
	return p;
}

static void op_proc(struct w *w, struct sv_cursor *c)
{
	struct sv_proc *p = get(w, sizeof(*p));
	const char *cid = cids[sv_get_u8(c) % 3];

	p->container_id = cid;
	p->pid = sv_get_be16(c);
	p->start_ns = sv_get_u8(c) == 255 ? SV_TIME_NONE
		      : T0 + (int64_t)sv_get_be16(c) * 1000000;
	p->comm = text(w, c);
	p->exe = sv_get_u8(c) & 1 ? text(w, c) : NULL;
	p->cmdline = sv_get_u8(c) & 1 ? text(w, c) : NULL;
	if (w->lp)
		w->lp->next = p;
	else
		w->procs.list = p;
	w->lp = p;
	if (cidx(cid) >= 0)
		w->nprocs[cidx(cid)]++;
}

static const struct sv_owner *owner(struct w *w, uint8_t k)
{
	return k % 5 < 4 ? &w->own[k % 5] : NULL;
}

static void op_flow(struct w *w, struct sv_cursor *c)
{
	struct sv_flow *f = get(w, sizeof(*f));
	const uint8_t *b;
	uint8_t flags = sv_get_u8(c);
	int k;

	f->family = flags & 1 ? 6 : 4;
	f->proto = flags & 2 ? 17 : 6;
	f->syn_seen = (flags >> 2) & 1;
	f->owner_a = owner(w, sv_get_u8(c));
	f->owner_b = owner(w, sv_get_u8(c));
	if ((b = sv_get_bytes(c, f->family == 6 ? 16 : 4)))
		memcpy(f->a_addr, b, f->family == 6 ? 16 : 4);
	if ((b = sv_get_bytes(c, f->family == 6 ? 16 : 4)))
		memcpy(f->b_addr, b, f->family == 6 ? 16 : 4);
	f->a_port = sv_get_be16(c);
	f->b_port = sv_get_be16(c);
	f->bytes_ab = (uint64_t)sv_get_be32(c) << (sv_get_u8(c) % 33);
	f->bytes_ba = (uint64_t)sv_get_be32(c) << (sv_get_u8(c) % 33);
	f->first_ns = T0 + (int64_t)sv_get_be16(c) * 1000000;
	if (flags & 8)
		f->name_b = text(w, c);
	if (w->lf) {
		f->id = w->lf->id + 1;
		w->lf->next = f;
	} else {
		f->id = 1;
		w->in.flows = f;
	}
	w->lf = f;
	for (k = 0; k < 2; k++) {
		const struct sv_owner *o = k ? f->owner_b : f->owner_a;
		int i = o ? cidx(o->container_id) : -1;

		if (i >= 0 && w->out[i] < UINT64_MAX / 4)
			w->out[i] += k ? f->bytes_ba : f->bytes_ab;
	}
}

static void op_app(struct w *w, struct sv_cursor *c, int dns)
{
	struct sv_app_event *e = get(w, sizeof(*e));
	const struct sv_owner *o;
	uint8_t flags = sv_get_u8(c);
	int i;

	if (!w->lf)
		return;
	e->flow = w->lf;
	e->from_a = flags & 1;
	e->ts_ns = T0 + (int64_t)sv_get_be16(c) * 1000000;
	if (dns) {
		e->kind = SV_APPK_DNS;
		e->u.dns.response = (flags >> 1) & 1;
		e->u.dns.qname = text(w, c);
		e->u.dns.entropy = sv_get_u8(c) / 40.0;
		o = e->from_a ? e->flow->owner_a : e->flow->owner_b;
		i = o ? cidx(o->container_id) : -1;
		if (i >= 0 && !e->u.dns.response)
			w->dns[i]++;
	} else {
		e->kind = SV_APPK_STRATUM;
		e->u.stratum.method = text(w, c);
		e->u.stratum.user = text(w, c);
		e->u.stratum.agent = "";
		o = e->flow->owner_a;
		i = o ? cidx(o->container_id) : -1;
		if (i >= 0)
			w->stratum[i]++;
	}
	if (w->la)
		w->la->next = e;
	else
		w->in.app = e;
	w->la = e;
}

static void op_event(struct w *w, struct sv_cursor *c)
{
	static const char *const kinds[] = {
		SV_EV_CONTAINER_OOM, SV_EV_RESOURCE_OOM,
		SV_EV_RESOURCE_PIDS_MAX, SV_EV_CONTAINER_EXEC,
		SV_EV_PROCESS_ENTER
	};
	struct sv_event *e = get(w, sizeof(*e));
	int i;

	if (w->in.n_events >= MAX_EV)
		return;
	e->kind = kinds[sv_get_u8(c) % 5];
	e->container_id = cids[sv_get_u8(c) % 3];
	e->ts_ns = T0 + (int64_t)sv_get_be16(c) * SV_NS_PER_SEC;
	e->ts_hi_ns = e->ts_ns + (int64_t)sv_get_u8(c) * SV_NS_PER_SEC;
	e->pid = -1;
	e->message = text(w, c);
	i = cidx(e->container_id);
	if (i >= 0 && !strcmp(e->kind, SV_EV_RESOURCE_PIDS_MAX))
		w->refused[i]++;
	w->ev[w->in.n_events++] = e;
}

static double value(uint8_t b)
{
	return b == 255 ? NAN : b == 254 ? INFINITY : b / 10.0;
}

static void op_group(struct w *w, struct sv_cursor *c)
{
	struct sv_res_group *g = get(w, sizeof(*g));
	uint64_t n = 1 + sv_get_u8(c) % 16, i;
	int64_t *ts = get(w, n * sizeof(*ts));
	int m, k;

	g->container_id = cids[sv_get_u8(c) % 3];
	g->primary = sv_get_u8(c) & 1;
	g->cgroup = "/x";
	g->n = n;
	for (i = 0; i < n; i++)
		ts[i] = T0 + (int64_t)i * sv_get_u8(c) * SV_NS_PER_SEC;
	for (i = 1; i < n; i++)  /* ascending, as sv_resources.h says */
		if (ts[i] < ts[i - 1])
			ts[i] = ts[i - 1];
	g->ts_ns = ts;
	for (m = 0; m < SV_RES_NMETRICS; m++) {
		double *v;

		if (!(sv_get_u8(c) & 1))
			continue;
		v = get(w, n * sizeof(*v));
		for (i = 0; i < n; i++)
			v[i] = value(sv_get_u8(c));
		g->v[m] = v;
	}
	g->sum.pids_failures = sv_get_u8(c) % 3;
	k = cidx(g->container_id);
	if (k >= 0 && g->primary) {
		w->refused[k] += g->sum.pids_failures;
		for (i = 0; g->v[SV_RES_MEM_OOM_KILLS] && i < n; i++)
			if (g->v[SV_RES_MEM_OOM_KILLS][i] > 0)
				w->oom[k] += 100; /* any positive count */
	}
	if (w->lg)
		w->lg->next = g;
	else
		w->res.groups = g;
	w->lg = g;
}

static void op_cont(struct w *w, struct sv_cursor *c)
{
	struct sv_cont *k = get(w, sizeof(*k));
	size_t i;

	k->id = cids[sv_get_u8(c) % 2];
	k->n_oom_ns = sv_get_u8(c) % (SV_CONT_OOM_TIMES + 1);
	for (i = 0; i < k->n_oom_ns; i++) {
		uint16_t t = sv_get_be16(c);

		k->oom_ns[i] = t == 0xffff ? SV_TIME_NONE
			       : T0 + (int64_t)t * SV_NS_PER_SEC;
	}
	w->oom[cidx(k->id)] += k->n_oom_ns;
	k->next = w->set.list;
	w->set.list = k;
}

static void build(struct w *w, const uint8_t *data, size_t size)
{
	struct sv_cursor c = sv_cursor_make(data, size);
	int i;

	for (i = 0; i < 4; i++) {
		w->own[i].container_id = cids[i % 3];
		w->own[i].pid = i;
		w->own[i].comm = i ? "sh" : "xmrig";
	}
	w->in.procs = &w->procs;
	w->in.containers = &w->set;
	w->in.resources = &w->res;
	w->in.events = w->ev;
	for (i = 0; i < MAX_ITEMS && sv_cursor_left(&c) && !c.err; i++) {
		switch (sv_get_u8(&c) % 7) {
		case 0: op_proc(w, &c); break;
		case 1: op_flow(w, &c); break;
		case 2: op_app(w, &c, 1); break;
		case 3: op_app(w, &c, 0); break;
		case 4: op_event(w, &c); break;
		case 5: op_group(w, &c); break;
		default: op_cont(w, &c);
		}
	}
}

/* Each finding meets its rule's thresholds with what was given. */
static void check_rule(const struct w *w, const struct sv_finding *f)
{
	int i = cidx(f->container_id);

	if (f->container_id && i < 0)
		abort(); /* not an id of the input */
	if (!strcmp(f->rule, "dns-tunnel-labels") && (i < 0 ||
						      w->dns[i] < 20))
		abort();
	if (!strcmp(f->rule, "large-upload") && (i < 0 ||
						 w->out[i] < (8u << 20)))
		abort();
	if (!strcmp(f->rule, "oom-storm") && (i < 0 || w->oom[i] < 3))
		abort();
	if (!strcmp(f->rule, "fork-bomb") && (i < 0 ||
	    (!w->refused[i] && w->nprocs[i] <= 200)))
		abort();
	if (!strcmp(f->rule, "package-manager") && (i < 0 || !w->nprocs[i]))
		abort();
	if (!strcmp(f->rule, "crypto-mining") && i >= 0 &&
	    w->stratum[i] && f->severity != SV_SEV_HIGH)
		abort();
}

static void check(const struct w *w, const struct sv_findings *out)
{
	static const char *const once[] = {"package-manager", "fork-bomb",
					   "oom-storm", "crypto-mining"};
	const struct sv_finding *f, *g;
	uint64_t n = 0, sev[SV_SEV_COUNT] = {0};
	size_t k;
	int e;

	for (f = out->list; f; f = f->next) {
		n++;
		if ((unsigned)f->severity >= SV_SEV_COUNT)
			abort();
		sev[f->severity]++;
		if (f->next && (f->next->severity > f->severity ||
				(f->next->severity == f->severity &&
				 f->next->ts_ns < f->ts_ns)))
			abort();
		if (!f->rule || !f->title || !f->title[0] || !f->why ||
		    !f->why[0] || strlen(f->why) >= SV_RULE_WHY_MAX ||
		    !f->technique || f->n_ev < 0 ||
		    f->n_ev > SV_FINDING_EVIDENCE)
			abort();
		for (e = 0; e < f->n_ev; e++)
			if (f->ev[e].note && !memchr(f->ev[e].note, '\0', 8192))
				abort();
		check_rule(w, f);
		for (k = 0; k < sizeof(once) / sizeof(once[0]); k++)
			for (g = f->next; !strcmp(f->rule, once[k]) && g;
			     g = g->next)
				if (g->rule == f->rule && f->container_id &&
				    g->container_id == f->container_id)
					abort();
	}
	if (n != out->n)
		abort();
	for (k = 0; k < SV_SEV_COUNT; k++)
		if (sev[k] != out->by_severity[k])
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv_findings out;
	struct w w;

	if (size > 65536)
		return 0;
	memset(&w, 0, sizeof(w));
	w.arena = sv_arena_new(256u << 20);
	if (!w.arena)
		return 0;
	build(&w, data, size);
	sv_rules_run(w.arena, &w.in, &out);
	if (!out.nomem)
		check(&w, &out);
	if (getenv("FUZZ_RULES_PRINT")) {
		const struct sv_finding *f;

		for (f = out.list; f; f = f->next)
			fprintf(stderr, "finding %p %s %s: %s [%s] nomem %d\n", (void *)f, f->rule,
				sv_severity_name(f->severity), f->title, f->why, out.nomem);
	}
	sv_arena_free(w.arena);
	return 0;
}
