/*
 * fuzz_rulesfile.c - libFuzzer target for the rules file parser
 * (formats/sv_rulesfile.c) and, on what it accepts, the evaluator
 * (models/sv_userrules.c) over a small fixed set of entities.
 *
 * Input: the text of a rules file. Besides the sanitizers, aborts when a
 * result breaks the documented contract: a status other than OK, USAGE
 * or NOMEM; errors that are not listed (or listed past the cap, out of
 * line order, with control bytes or broken UTF-8, or without the file
 * name); an
 * accepted set with counts that do not match its lists, an id outside
 * [a-z0-9-]{1,64}, a duplicate id, a value past its cap or range (ports,
 * prefixes, host bits, severities, empty or blank globs, DNS names not
 * folded); findings of a user rule twice for one container, evidence
 * past SV_FINDING_EVIDENCE, or a list out of severity order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sv_attrib.h"
#include "sv_rulesfile.h"
#include "sv_text.h"
#include "sv_userrules.h"

#define MAX_INPUT (SV_RULESFILE_MAX_BYTES + 16)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sv_rulesfile_errors errs;

static int bad_text(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static void check_errors(enum sv_status rc, size_t size)
{
	uint32_t i;

	if (rc == SV_OK) {
		if (errs.total || errs.n)
			abort();
		return;
	}
	if (rc != SV_ERR_USAGE && rc != SV_ERR_NOMEM)
		abort();
	if (!errs.n || errs.n > SV_RULESFILE_ERRORS_MAX ||
	    errs.total < errs.n ||
	    (errs.total <= SV_RULESFILE_ERRORS_MAX && errs.n != errs.total))
		abort();
	for (i = 0; i < errs.n; i++) {
		if (bad_text(errs.e[i].msg) || !errs.e[i].msg[0] ||
		    !sv_text_is_clean(errs.e[i].msg, strlen(errs.e[i].msg),
				      SV_ERROR_MSG_MAX) ||
		    strcmp(errs.e[i].artifact, "fuzz.rules") ||
		    errs.e[i].line > size + 1)
			abort();
		if (i && errs.e[i - 1].line > errs.e[i].line)
			abort();
	}
}

static void check_id(const char *id)
{
	size_t n = strlen(id), i;

	if (!n || n > SV_RULESFILE_ID_MAX || id[0] == '-')
		abort();
	for (i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
			abort();
}

static void check_globs(const struct sv_rule_globs *g, int folded)
{
	uint32_t i;
	const char *s;

	if (g->n > SV_RULESFILE_VALUES_MAX || (g->n && !g->v))
		abort();
	for (i = 0; i < g->n; i++) {
		if (!g->v[i][0] || strpbrk(g->v[i], " \t") ||
		    bad_text(g->v[i]))
			abort();
		for (s = g->v[i]; folded && *s; s++)
			if (*s >= 'A' && *s <= 'Z')
				abort();
	}
}

static void check_cmps(const struct sv_rule_cmps *c)
{
	uint32_t i;

	if (c->n > SV_RULESFILE_VALUES_MAX)
		abort();
	for (i = 0; i < c->n; i++)
		if (c->v[i].op > SV_OP_NE || !(c->v[i].value >= 0) ||
		    c->v[i].value > 1.2e19)
			abort();
}

static void check_net(const struct sv_rulespec *r)
{
	uint32_t i;
	int b;

	if (r->port.n > SV_RULESFILE_VALUES_MAX ||
	    r->address.n > SV_RULESFILE_VALUES_MAX)
		abort();
	for (i = 0; i < r->port.n; i++)
		if (r->port.v[i].lo > r->port.v[i].hi)
			abort();
	for (i = 0; i < r->address.n; i++) {
		const struct sv_rule_cidr *c = &r->address.v[i];
		int max = c->family == 4 ? 32 : 128;

		if ((c->family != 4 && c->family != 6) || c->prefix > max)
			abort();
		for (b = c->prefix; b < max; b++)
			if (c->addr[b / 8] & (0x80 >> (b % 8)))
				abort();
	}
}

static void check_rule(const struct sv_rulespec *r)
{
	const struct sv_rulespec *o;

	check_id(r->id);
	for (o = r->next; o; o = o->next)
		if (!strcmp(o->id, r->id))
			abort();
	if (!r->title || strlen(r->title) > SV_RULESFILE_TITLE_MAX ||
	    r->severity < 0 || r->severity > 4 || r->match > SV_RM_EVENT ||
	    r->scope > SV_RS_ANY || r->direction > SV_RD_ANY ||
	    (r->why && strlen(r->why) > SV_RULESFILE_WHY_MAX))
		abort();
	check_globs(&r->container, 0);
	check_globs(&r->image, 0);
	check_globs(&r->program, 0);
	check_globs(&r->executable, 0);
	check_globs(&r->cmdline, 0);
	check_globs(&r->parent, 0);
	check_globs(&r->name, 1);
	check_globs(&r->kind, 0);
	check_globs(&r->text, 0);
	check_cmps(&r->bytes_out);
	check_cmps(&r->bytes_in);
	check_cmps(&r->labels);
	check_cmps(&r->label_length);
	check_cmps(&r->entropy);
	check_net(r);
}

static void check_set(const struct sv_rulespec_set *s)
{
	const struct sv_rulespec *r;
	const struct sv_ruletune *t, *u;
	const struct sv_ruleallow *a;
	uint32_t nr = 0, nt = 0, na = 0;

	for (r = s->rules; r; r = r->next, nr++)
		check_rule(r);
	for (t = s->tunes; t; t = t->next, nt++) {
		check_id(t->rule);
		for (u = t->next; u; u = u->next)
			if (!strcmp(u->rule, t->rule))
				abort();
		if (t->severity < -1 || t->severity > 4 || t->enabled < -1 ||
		    t->enabled > 1 || (t->severity < 0 && t->enabled < 0))
			abort();
	}
	for (a = s->allows; a; a = a->next, na++) {
		if (!a->rule.n)
			abort();
		check_globs(&a->rule, 0);
		check_globs(&a->container, 0);
		check_globs(&a->image, 0);
	}
	if (nr != s->n_rules || nt != s->n_tunes || na != s->n_allows ||
	    nr + nt + na > SV_RULESFILE_SECTIONS_MAX)
		abort();
}

/* ---- a few entities for the evaluator ---- */

static struct sv_proc procs[3];
static struct sv_owner owners[2];
static struct sv_flow flows[2];
static struct sv_app_event dns;
static struct sv_event events[2];
static struct sv_event *timeline[2] = {&events[0], &events[1]};
static struct sv_procs_result presult;

static void fixture(void)
{
	static const char *const comm[] = {"httpd", "sh", "xmrig"};
	int i;

	for (i = 0; i < 3; i++) {
		procs[i].pid = (uint32_t)(100 + i);
		procs[i].comm = comm[i];
		procs[i].exe = i ? "/tmp/x" : "/bin/busybox";
		procs[i].cmdline = i == 1 ? "sh -c id" : comm[i];
		procs[i].euid = i;
		procs[i].container_id = i < 2 ? "c1" : NULL;
		procs[i].parent = i ? &procs[0] : NULL;
		procs[i].next = i < 2 ? &procs[i + 1] : NULL;
	}
	presult.list = &procs[0];
	presult.n = 3;
	owners[0] = (struct sv_owner){"c1", "web", "img", NULL, 0, 101, 7,
				      "sh", "/bin/sh", 1, 1, "test"};
	owners[1] = (struct sv_owner){NULL, NULL, NULL, NULL, 1, 5, 9, "nc",
				      "/bin/nc", 2, 2, "test"};
	for (i = 0; i < 2; i++) {
		flows[i].id = (uint64_t)i + 1;
		flows[i].proto = i ? 17 : 6;
		flows[i].family = 4;
		memcpy(flows[i].a_addr, "\x0a\x59\x4d\x0a", 4);
		memcpy(flows[i].b_addr, "\x0a\x59\x4d\x01", 4);
		flows[i].a_port = 41184;
		flows[i].b_port = i ? 53 : 4444;
		flows[i].bytes_ab = 637;
		flows[i].bytes_ba = 463;
		flows[i].owner_a = &owners[0];
		flows[i].owner_b = &owners[1];
		flows[i].next = i ? NULL : &flows[1];
	}
	dns.kind = SV_APPK_DNS;
	dns.flow = &flows[1];
	dns.from_a = 1;
	dns.u.dns.qname = "AAAA.Example.TK.";
	dns.u.dns.qtype = 16;
	dns.u.dns.labels = 3;
	dns.u.dns.longest_label = 40;
	dns.u.dns.entropy = 3.9;
	for (i = 0; i < 2; i++) {
		events[i].kind = i ? "container.exec" : "kernel.segfault";
		events[i].message = i ? "exec into web" : "sh segfault";
		events[i].container_id = i ? "c1" : NULL;
		events[i].pid = -1;
	}
}

static void check_findings(const struct sv_rulespec_set *s,
			   const struct sv_findings *out)
{
	const struct sv_finding *f, *g;
	const struct sv_rulespec *r;
	uint64_t n = 0;

	for (f = out->list; f; f = f->next, n++) {
		if (f->n_ev < 0 || f->n_ev > SV_FINDING_EVIDENCE ||
		    (f->next && f->next->severity > f->severity) ||
		    (unsigned)f->severity >= SV_SEV_COUNT || !f->rule)
			abort();
		for (r = s->rules; r && strcmp(r->id, f->rule); r = r->next)
			;
		if (!r || !strcmp(f->rule, "reverse-shell"))
			continue;
		if (!f->n_ev || !f->why || !f->title || !f->technique)
			abort();
		for (g = f->next; g; g = g->next)
			if (!strcmp(g->rule, f->rule) &&
			    (g->container_id == f->container_id ||
			     (g->container_id && f->container_id &&
			      !strcmp(g->container_id, f->container_id))))
				abort();
	}
	if (n != out->n)
		abort();
}

static void evaluate(const struct sv_rulespec_set *s)
{
	static int ready;
	struct sv_arena *arena = sv_arena_new(64u << 20);
	struct sv_rules_input in;
	struct sv_findings out;
	struct sv_finding *base;

	if (!ready) {
		fixture();
		ready = 1;
	}
	if (!arena)
		return;
	memset(&in, 0, sizeof(in));
	in.procs = &presult;
	in.flows = &flows[0];
	in.app = &dns;
	in.events = timeline;
	in.n_events = 2;
	memset(&out, 0, sizeof(out));
	base = sv_arena_calloc(arena, 1, sizeof(*base));
	if (base) {
		base->rule = "reverse-shell";
		base->title = "a built-in finding";
		base->technique = "T1059.004";
		base->severity = SV_SEV_CRITICAL;
		base->container_id = "c1";
		out.list = base;
	}
	sv_userrules_apply(arena, s, &in, &out);
	if (!out.nomem)
		check_findings(s, &out);
	sv_arena_free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv_arena *arena;
	const struct sv_rulespec_set *set = NULL;
	enum sv_status rc;

	if (size > MAX_INPUT)
		return 0;
	arena = sv_arena_new(256u << 20);
	if (!arena)
		return 0;
	rc = sv_rulesfile_parse((const char *)data, size, "fuzz.rules", arena,
				&set, &errs);
	check_errors(rc, size);
	if (rc == SV_OK) {
		if (!set)
			abort();
		check_set(set);
		evaluate(set);
	} else if (set) {
		abort();
	}
	sv_arena_free(arena);
	return 0;
}
