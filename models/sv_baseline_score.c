/*
 * sv_baseline_score.c - score one bundle's features against a fitted
 * baseline (sv_baseline_score() in sv_baseline.h).
 *
 * Input: a fitted baseline (only read) and a feature set whose window
 * matches. Output: findings, allocated with their strings in the arena
 * given, prepended to out->list and ordered with sv_findings_order();
 * their evidence pointers borrow the analysis the features came from.
 *
 * Per container, three independent looks, each giving at most one
 * finding per rule:
 *   - categorical: every value the workload never saw whose surprisal
 *     reaches -log2(far) bits, grouped by rule;
 *   - Gaussian: window vectors and the lifetime vector, the worst
 *     alarm per rule (rule from the feature with the largest share);
 *   - rates: the most improbable count of any window and family.
 */
#include "sv_baseline.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sv_time.h"

#define WHY_MAX 900
#define TITLE_MAX 300
#define WHY_VALUES 4       /* values named in a categorical why */
#define RATE_K_MIN 5       /* fewer events never make a rate alarm */
#define RATE_FAR_DIV 10.0  /* rate alarms at far / 10 */
#define GAUSS_RATIO 4.0    /* top feature >= 4 x expected + floor */

/* Rules, in the order of the tables below. */
enum {
	R_SHELL = 0, R_PROGRAM, R_PAIR, R_USER, R_CAPS, R_LISTEN, R_DEST,
	R_DNS, R_SNI,
	R_EXFIL, R_TUNNEL, R_RESOURCE, R_TRAFFIC,
	R_RATE,
	R_COUNT
};
#define R_CAT_END R_EXFIL
#define R_GAUSS_END R_RATE

struct bl_rule {
	const char *id, *technique, *technique_name;
	enum sv_severity sev;
	/* title: "<noun> <prep> <label><tail>"; why: "<label> <did> ..." */
	const char *noun, *prep, *tail, *did, *never;
};

static const struct bl_rule rules[R_COUNT] = {
	{"shell-in-workload", "T1059", "Command and Scripting Interpreter",
	 SV_SEV_HIGH, "Shell", "in", " that its workload never ran",
	 "ran the shell or interpreter", "ran"},
	{"novel-program", "T1059", "Command and Scripting Interpreter",
	 SV_SEV_MEDIUM, "Program", "in", " that its workload never ran",
	 "ran the program", "ran"},
	{"novel-process-pair", "T1059", "Command and Scripting Interpreter",
	 SV_SEV_MEDIUM, "Process pair", "in",
	 " that its workload never had", "had the parent>child pair", "had"},
	{"novel-user", "T1078", "Valid Accounts", SV_SEV_MEDIUM, "User",
	 "in", " that its workload never ran as", "ran as the user",
	 "ran as"},
	{"novel-capabilities", "T1548", "Abuse Elevation Control Mechanism",
	 SV_SEV_MEDIUM, "Capability set", "in",
	 " that its workload never had", "had the capability set", "had"},
	{"novel-listen-port", "T1571", "Non-Standard Port", SV_SEV_MEDIUM,
	 "Listening port", "in", " that its workload never opened",
	 "accepted connections on", "opened"},
	{"novel-destination", "T1071", "Application Layer Protocol",
	 SV_SEV_MEDIUM, "Destination", "from",
	 " that its workload never contacted", "connected to", "contacted"},
	{"novel-dns-name", "T1071.004", "Application Layer Protocol: DNS",
	 SV_SEV_MEDIUM, "DNS name", "queried by",
	 " that its workload never asked for", "queried", "asked for"},
	{"novel-tls-name", "T1071.001",
	 "Application Layer Protocol: Web Protocols", SV_SEV_MEDIUM,
	 "TLS server name", "from", " that its workload never used",
	 "asked TLS for", "used"},
	{"exfiltration", "T1048", "Exfiltration Over Alternative Protocol",
	 SV_SEV_HIGH, "Outbound traffic", "from", " far above its baseline",
	 NULL, NULL},
	{"dns-tunnelling", "T1071.004", "Application Layer Protocol: DNS",
	 SV_SEV_HIGH, "DNS", "from", " far above its baseline", NULL, NULL},
	{"resource-anomaly", "T1496", "Resource Hijacking", SV_SEV_MEDIUM,
	 "Resource use", "of", " far above its baseline", NULL, NULL},
	{"traffic-anomaly", "T1071", "Application Layer Protocol",
	 SV_SEV_MEDIUM, "Inbound traffic", "to", " far above its baseline",
	 NULL, NULL},
	{"rate-anomaly", NULL, NULL, SV_SEV_LOW, "Event rate", "in",
	 " improbable for its baseline", NULL, NULL},
};

/* The rate rule's technique follows the family that alarmed. */
static const char *const rate_tech[SV_FR_COUNT][2] = {
	{"T1059", "Command and Scripting Interpreter"},
	{"T1071", "Application Layer Protocol"},
	{"T1071.004", "Application Layer Protocol: DNS"},
	{"T1609", "Container Administration Command"},
};

enum unit { U_CORES, U_BYTES, U_BYTES_S, U_COUNT, U_LABEL, U_BITS };

/* Numeric features: words, unit, the guard against small wobbles
 * (alarm only when observed >= ratio * expected + floor), and the rule
 * a feature's alarm belongs to. Two features are bounded, so 4x would
 * put the guard past what a tunnel can send: a DNS label has at most 63
 * bytes (4 x 8 + 20 = 52 would let 48-byte labels through: 2x), and
 * entropy about 6 bits per character (additive instead). */
struct fn_spec {
	const char *words, *verb;
	enum unit unit;
	double ratio, floor;
	int rule;
};

static const struct fn_spec fn_spec[SV_FN_COUNT] = {
	[SV_FN_CPU] = {"CPU", "was", U_CORES, GAUSS_RATIO, 0.2, R_RESOURCE},
	[SV_FN_MEMORY] = {"memory", "was", U_BYTES, GAUSS_RATIO,
			  64.0 * 1048576.0, R_RESOURCE},
	[SV_FN_IO] = {"block I/O", "was", U_BYTES_S, GAUSS_RATIO, 65536.0,
		      R_RESOURCE},
	[SV_FN_PIDS] = {"processes", "were", U_COUNT, GAUSS_RATIO, 5.0,
			R_RESOURCE},
	[SV_FN_CONN_OUT] = {"connections out", "were", U_COUNT, GAUSS_RATIO,
			    5.0, R_EXFIL},
	[SV_FN_CONN_IN] = {"connections in", "were", U_COUNT, GAUSS_RATIO,
			   5.0, R_TRAFFIC},
	[SV_FN_BYTES_OUT] = {"bytes out", "were", U_BYTES, GAUSS_RATIO,
			     65536.0, R_EXFIL},
	[SV_FN_BYTES_IN] = {"bytes in", "were", U_BYTES, GAUSS_RATIO,
			    65536.0, R_TRAFFIC},
	[SV_FN_DNS_QUERIES] = {"DNS queries", "were", U_COUNT, GAUSS_RATIO,
			       5.0, R_TUNNEL},
	[SV_FN_DNS_LABEL] = {"the longest DNS label", "was", U_LABEL, 2.0,
			     20.0, R_TUNNEL},
	[SV_FN_DNS_ENTROPY] = {"DNS label entropy", "was", U_BITS, 1.0, 1.5,
			       R_TUNNEL},
	[SV_FN_EXECS] = {"processes started", "were", U_COUNT, GAUSS_RATIO,
			 5.0, R_RESOURCE},
};

static const char *const shells[] = {
	"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "csh", "tcsh",
	"fish", "busybox-sh", "node", "nodejs",
};

/* Interpreters whose name may carry a version: python3.11, lua5.4. */
static const char *const interpreters[] = {
	"python", "perl", "ruby", "php", "lua", "tclsh",
};

struct sctx {
	const struct sv_baseline *b;
	const struct sv_bl_workload *w;
	const struct sv_feat_container *c;
	struct sv_arena *arena;
	struct sv_findings *out;
	struct sv_finding *head;
	uint64_t made;
};

static int is_shell(const char *name)
{
	const char *slash = strrchr(name, '/');
	size_t i, n;

	if (slash)
		name = slash + 1;
	for (i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
		if (!strcmp(name, shells[i]))
			return 1;
	for (i = 0; i < sizeof(interpreters) / sizeof(interpreters[0]); i++) {
		n = strlen(interpreters[i]);
		if (strncmp(name, interpreters[i], n))
			continue;
		for (name += n; *name; name++)
			if (!((*name >= '0' && *name <= '9') || *name == '.'))
				break;
		return !*name;
	}
	return 0;
}

static const char *keep(struct sctx *s, const char *str)
{
	char *d = str ? sv_arena_strdup(s->arena, str) : NULL;

	if (str && !d)
		s->out->nomem = 1;
	return d;
}

/*
 * A new finding of rule r for the current container, linked into the
 * context's list; title gets detail after a colon when there is one.
 */
static struct sv_finding *finding(struct sctx *s, int r, int64_t ts,
				  double score, double pvalue,
				  const char *detail)
{
	const struct bl_rule *rd = &rules[r];
	char title[TITLE_MAX];
	struct sv_finding *f;

	snprintf(title, sizeof(title), "%s %s %.80s%s%s%.100s", rd->noun,
		 rd->prep, s->c->label ? s->c->label : s->c->container_id,
		 rd->tail, detail ? ": " : "", detail ? detail : "");
	f = sv_arena_calloc(s->arena, 1, sizeof(*f));
	if (!f || !(f->title = keep(s, title)) ||
	    !(f->container_id = keep(s, s->c->container_id)) ||
	    !(f->workload = keep(s, s->w->key))) {
		s->out->nomem = 1;
		return NULL;
	}
	f->rule = rd->id;
	f->technique = rd->technique;
	f->technique_name = rd->technique_name;
	f->severity = rd->sev;
	f->pid = -1;
	f->ts_ns = ts;
	f->score = score;
	f->pvalue = pvalue;
	f->next = s->head;
	s->head = f;
	s->made++;
	return f;
}

static void feature(struct sctx *s, struct sv_finding *f, const char *name,
		    const char *value, double obs, double expd, double share)
{
	struct sv_finding_feature *ft;

	if (f->n_feat >= SV_FINDING_FEATURES)
		return;
	ft = &f->feat[f->n_feat++];
	ft->name = name;
	ft->value = keep(s, value);
	ft->observed = obs;
	ft->expected = expd;
	ft->share = share;
}

static void evidence(struct sctx *s, struct sv_finding *f,
		     const struct sv_flow *fl, const struct sv_proc *p,
		     const char *note)
{
	struct sv_evidence *v;

	if (f->n_ev >= SV_FINDING_EVIDENCE)
		return;
	v = &f->ev[f->n_ev++];
	v->flow = fl;
	v->proc = p;
	v->artifact = p ? p->artifact : NULL;
	v->note = keep(s, note);
}

/* ---- categorical novelty ---- */

struct cat_acc {
	const struct sv_feat_value *v[SV_FINDING_FEATURES];
	double bits[SV_FINDING_FEATURES];
	int nv;
	uint64_t total;          /* novel values, listed or not */
	double max_bits;
	int64_t first_ns;
	int never;               /* shells: fired because the workload
				    never ran any, below the bits needed */
};

/* 1 when the workload's training saw a shell or interpreter program. */
static int workload_ran_shell(const struct sv_bl_workload *w)
{
	const struct sv_mdl_cat *m = w->cat[SV_FC_PROGRAM];
	const char *value;
	uint64_t count;
	size_t i;

	if (!m || sv_mdl_cat_other(m))
		return 1; /* values over the cap are unknown: assume so */
	for (i = 0; i < sv_mdl_cat_size(m); i++)
		if (sv_mdl_cat_entry(m, i, &value, &count) == SV_OK &&
		    is_shell(value))
			return 1;
	return 0;
}

static int cat_rule(const struct sv_feat_value *v)
{
	static const int by_family[SV_FC_COUNT] = {
		[SV_FC_PROGRAM] = R_PROGRAM, [SV_FC_EXECUTABLE] = R_PROGRAM,
		[SV_FC_PAIR] = R_PAIR, [SV_FC_USER] = R_USER,
		[SV_FC_CAPS] = R_CAPS, [SV_FC_LISTEN] = R_LISTEN,
		[SV_FC_DEST] = R_DEST, [SV_FC_DNS] = R_DNS,
		[SV_FC_SNI] = R_SNI,
	};

	if ((v->family == SV_FC_PROGRAM || v->family == SV_FC_EXECUTABLE) &&
	    is_shell(v->value))
		return R_SHELL;
	return by_family[v->family];
}

static void cat_collect(struct sctx *s, struct cat_acc *acc)
{
	double need = -log2(s->b->far), bits;
	const struct sv_feat_value *v;
	const struct sv_mdl_cat *m;
	struct cat_acc *a;
	int r, shell_never = -1;

	for (v = s->c->values; v; v = v->next) {
		if ((unsigned)v->family >= SV_FC_COUNT || !v->value)
			continue;
		m = s->w->cat[v->family];
		if (!m || sv_mdl_cat_seen(m, v->value))
			continue;
		bits = sv_mdl_cat_surprisal(m, v->value);
		r = cat_rule(v);
		/* The rule: a shell in a workload that never ran one
		 * fires whatever the surprisal (few training processes make
		 * any novelty improbable only weakly). */
		if (r == R_SHELL && shell_never < 0)
			shell_never = s->w->containers &&
				      !workload_ran_shell(s->w);
		if (!(bits >= need) && !(r == R_SHELL && shell_never == 1))
			continue;
		a = &acc[r];
		if (!(bits >= need))
			a->never = 1;
		if (a->nv < SV_FINDING_FEATURES) {
			a->v[a->nv] = v;
			a->bits[a->nv++] = bits;
		}
		if (!a->total++ || bits > a->max_bits)
			a->max_bits = bits;
		if (v->first_ns != SV_TIME_NONE &&
		    (a->first_ns == SV_TIME_NONE || v->first_ns < a->first_ns))
			a->first_ns = v->first_ns;
	}
}

static void cat_evidence(struct sctx *s, struct sv_finding *f,
			 const struct sv_feat_value *v)
{
	const struct sv_app_event *e = v->app;
	const struct sv_flow *fl = v->flow;
	char note[300];

	if (e && e->kind == SV_APPK_DNS)
		snprintf(note, sizeof(note), "DNS query %.200s",
			 e->u.dns.qname);
	else if (e && e->kind == SV_APPK_TLS && e->u.tls.sni)
		snprintf(note, sizeof(note), "TLS server name %.200s",
			 e->u.tls.sni);
	else if (v->proc)
		snprintf(note, sizeof(note), "%s %.200s first seen in pid %"
			 PRIu32, sv_fc_name(v->family), v->value,
			 v->proc->pid);
	else
		snprintf(note, sizeof(note), "%s %.200s first seen",
			 sv_fc_name(v->family), v->value);
	if (!fl && e)
		fl = e->flow;
	if (f->pid < 0 && v->proc)
		f->pid = v->proc->pid;
	evidence(s, f, fl, v->proc, note);
}

/* "a, b, c and 4 more" */
static void cat_list(const struct cat_acc *a, char *buf, size_t n)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < a->nv && i < WHY_VALUES && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%.60s",
					i ? ", " : "", a->v[i]->value);
	if (len < n && a->total > (uint64_t)i)
		snprintf(buf + len, n - len, " and %" PRIu64 " more",
			 a->total - (uint64_t)i);
}

static void cat_emit(struct sctx *s, int r, const struct cat_acc *a)
{
	const struct sv_mdl_cat *m = s->w->cat[a->v[0]->family];
	char list[400], why[WHY_MAX], pct[32];
	struct sv_finding *f;
	int i;

	f = finding(s, r, a->first_ns, a->max_bits, exp2(-a->max_bits),
		    a->v[0]->value);
	if (!f)
		return;
	cat_list(a, list, sizeof(list));
	snprintf(pct, sizeof(pct), "%g%%", s->b->far * 100.0);
	if (a->never)
		snprintf(why, sizeof(why), "%.80s %s %s; its workload %.80s "
			 "never ran any shell or interpreter in %" PRIu64
			 " training container%s (%" PRIu64 " observations "
			 "of %zu distinct programs). The rule fires on that "
			 "alone; the value's surprisal is %.1f bits (p = "
			 "%.2g), under the %.1f bits of the %s false-alarm "
			 "rate, because the training saw few processes",
			 s->c->label ? s->c->label : s->c->container_id,
			 rules[r].did, list, s->w->key, s->w->containers,
			 s->w->containers == 1 ? "" : "s",
			 sv_mdl_cat_total(m), sv_mdl_cat_size(m),
			 a->max_bits, exp2(-a->max_bits), -log2(s->b->far),
			 pct);
	else
	snprintf(why, sizeof(why), "%.80s %s %s, which its workload %.80s "
		 "never %s in %" PRIu64 " training container%s (%" PRIu64
		 " observations of %zu distinct %s values); so rare a value "
		 "has p = %.2g (%.1f bits of surprisal), past the %.1f bits "
		 "of the %s false-alarm rate",
		 s->c->label ? s->c->label : s->c->container_id,
		 rules[r].did, list, s->w->key, rules[r].never,
		 s->w->containers, s->w->containers == 1 ? "" : "s",
		 sv_mdl_cat_total(m), sv_mdl_cat_size(m),
		 sv_fc_name(a->v[0]->family), exp2(-a->max_bits),
		 a->max_bits, -log2(s->b->far), pct);
	f->why = keep(s, why);
	for (i = 0; i < a->nv; i++) {
		feature(s, f, sv_fc_name(a->v[i]->family), a->v[i]->value,
			NAN, NAN, a->bits[i]);
		cat_evidence(s, f, a->v[i]);
	}
}

static void score_cat(struct sctx *s)
{
	struct cat_acc acc[R_CAT_END];
	int r;

	memset(acc, 0, sizeof(acc));
	for (r = 0; r < R_CAT_END; r++)
		acc[r].first_ns = SV_TIME_NONE;
	cat_collect(s, acc);
	for (r = 0; r < R_CAT_END; r++)
		if (acc[r].total)
			cat_emit(s, r, &acc[r]);
}

/* ---- numbers for people ---- */

static void fmt_value(enum unit u, double v, char *buf, size_t n)
{
	static const char *const si[] = {"B", "kB", "MB", "GB", "TB", "PB"};
	int i = 0;

	switch (u) {
	case U_CORES:
		snprintf(buf, n, "%.2f cores", v);
		return;
	case U_COUNT:
		snprintf(buf, n, "%.0f", v);
		return;
	case U_LABEL:
		snprintf(buf, n, "%.0f bytes", v);
		return;
	case U_BITS:
		snprintf(buf, n, "%.2f bits per character", v);
		return;
	case U_BYTES:
	case U_BYTES_S:
		break;
	}
	while (fabs(v) >= 1000.0 && i < 5) {
		v /= 1000.0;
		i++;
	}
	snprintf(buf, n, i ? "%.1f %s%s" : "%.0f %s%s", v, si[i],
		 u == U_BYTES_S ? "/s" : "");
}

/* "the window from 13:02:10 UTC", or "the container's lifetime" */
static void fmt_when(int64_t ts, int life, char *buf, size_t n)
{
	time_t t;
	struct tm tm;

	if (life || ts == SV_TIME_NONE) {
		snprintf(buf, n, "over the container's lifetime");
		return;
	}
	t = (time_t)(ts / SV_NS_PER_SEC - (ts % SV_NS_PER_SEC < 0));
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, n, "in a window");
		return;
	}
	snprintf(buf, n, "in the window from %02d:%02d:%02d UTC", tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
}

/* ---- Gaussian: windows and lifetime ---- */

struct g_cand {
	int set, life;
	int64_t ts;
	const double *x;
	struct sv_mdl_gauss_score sc;
	const struct sv_mdl_gauss_model *m;
	double thr;
};

static int top_feature(const struct sv_mdl_gauss_score *sc)
{
	int i, top = 0;

	for (i = 1; i < SV_FN_COUNT; i++)
		if (sc->share[i] > sc->share[top])
			top = i;
	return top;
}

static double expected(const struct sv_mdl_gauss_model *m, int i)
{
	return expm1(m->mean[i]);
}

/* Score x; keep it in cand[] when it alarms and beats the one there. */
static void gauss_one(struct sctx *s, const struct sv_mdl_gauss_model *m,
		      double thr, const double *x, int64_t ts, int life,
		      struct g_cand *cand)
{
	struct sv_mdl_gauss_score sc;
	const struct fn_spec *sp;
	struct g_cand *c;
	int top;

	if (sv_mdl_gauss_score(m, x, &sc) != SV_OK)
		return;
	if (!(sc.d2 > thr && sc.pvalue < s->b->far))
		return;
	top = top_feature(&sc);
	sp = &fn_spec[top];
	if (!(x[top] >= sp->ratio * expected(m, top) + sp->floor))
		return;
	c = &cand[sp->rule - R_EXFIL];
	if (c->set && !(sc.pvalue < c->sc.pvalue ||
			(sc.pvalue == c->sc.pvalue && sc.d2 > c->sc.d2)))
		return;
	c->set = 1;
	c->life = life;
	c->ts = ts;
	c->x = x;
	c->sc = sc;
	c->m = m;
	c->thr = thr;
}

/* Feature indices by share, largest first. */
static void by_share(const struct sv_mdl_gauss_score *sc, int *idx)
{
	int i, j, t;

	for (i = 0; i < SV_FN_COUNT; i++)
		idx[i] = i;
	for (i = 1; i < SV_FN_COUNT; i++)
		for (j = i; j > 0 && sc->share[idx[j]] > sc->share[idx[j - 1]];
		     j--) {
			t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
}

/* Bytes the opener of f sent (the container, for a destination). */
static uint64_t sent_by_opener(const struct sv_flow *f)
{
	return sv_flow_opener_is_b(f) ? f->bytes_ba : f->bytes_ab;
}

/*
 * The destinations' first flows that carried the most bytes out, most
 * first: where the volume went. A destination's later flows are not in
 * the features; its first one names the address and port.
 */
static void flow_evidence(struct sctx *s, struct sv_finding *f)
{
	const struct sv_feat_value *v, *best;
	const struct sv_flow *done[SV_FINDING_EVIDENCE];
	char note[300];
	int n = 0, i, seen;

	while (f->n_ev < SV_FINDING_EVIDENCE && n < SV_FINDING_EVIDENCE) {
		best = NULL;
		for (v = s->c->values; v; v = v->next) {
			if (v->family != SV_FC_DEST || !v->flow)
				continue;
			for (i = 0, seen = 0; i < n; i++)
				seen |= done[i] == v->flow;
			if (!seen && (!best || sent_by_opener(v->flow) >
					       sent_by_opener(best->flow)))
				best = v;
		}
		if (!best || !sent_by_opener(best->flow))
			return;
		done[n++] = best->flow;
		snprintf(note, sizeof(note), "to %.200s: %" PRIu64 " bytes "
			 "out on its first flow", best->value,
			 sent_by_opener(best->flow));
		evidence(s, f, best->flow, NULL, note);
	}
}

/* The queried names with the longest first label, longest first (at
 * most 4: enough to show the pattern). */
static void dns_evidence(struct sctx *s, struct sv_finding *f)
{
	const struct sv_feat_value *v, *best, *done[4];
	char note[300];
	size_t len, got;
	int n = 0, i, seen;

	while (f->n_ev < SV_FINDING_EVIDENCE && n < 4) {
		best = NULL;
		got = 0;
		for (v = s->c->values; v; v = v->next) {
			if (v->family != SV_FC_DNS || !v->value)
				continue;
			for (i = 0, seen = 0; i < n; i++)
				seen |= done[i] == v;
			len = strcspn(v->value, ".");
			if (!seen && len > got) {
				got = len;
				best = v;
			}
		}
		if (!best)
			return;
		done[n++] = best;
		snprintf(note, sizeof(note), "DNS query %.200s (first label "
			 "%zu bytes)", best->value, got);
		evidence(s, f, best->app ? best->app->flow : best->flow, NULL,
			 note);
	}
}

static void gauss_emit(struct sctx *s, int r, const struct g_cand *c)
{
	char why[WHY_MAX], when[64], obs[64], ex[64], note[120];
	int idx[SV_FN_COUNT], top, i;
	const struct fn_spec *sp;
	struct sv_finding *f;

	by_share(&c->sc, idx);
	top = idx[0];
	sp = &fn_spec[top];
	fmt_when(c->ts, c->life, when, sizeof(when));
	fmt_value(sp->unit, c->x[top], obs, sizeof(obs));
	fmt_value(sp->unit, expected(c->m, top), ex, sizeof(ex));
	snprintf(note, sizeof(note), "%s %s", sp->words, obs);
	f = finding(s, r, c->ts, c->sc.d2, c->sc.pvalue, note);
	if (!f)
		return;
	snprintf(why, sizeof(why), "%s %s %s %s; the workload's baseline "
		 "expects %s (D2 %.1f, p = %.2g, over the %g%% false-alarm "
		 "threshold %.1f; %s is %.0f%% of the distance)", sp->words,
		 when, sp->verb, obs, ex, c->sc.d2, c->sc.pvalue,
		 s->b->far * 100.0, c->thr, sv_fn_name(top),
		 100.0 * c->sc.share[top]);
	f->why = keep(s, why);
	for (i = 0; i < SV_FN_COUNT; i++)
		if (i == 0 || c->sc.share[idx[i]] > 0.0)
			feature(s, f, sv_fn_name(idx[i]), NULL, c->x[idx[i]],
				expected(c->m, idx[i]), c->sc.share[idx[i]]);
	snprintf(note, sizeof(note), "%s", c->life ? "the container's "
		 "lifetime vector" : "the window's vector");
	evidence(s, f, NULL, NULL, note);
	if (r == R_EXFIL || r == R_TRAFFIC)
		flow_evidence(s, f);
	else if (r == R_TUNNEL)
		dns_evidence(s, f);
}

static uint64_t score_gauss(struct sctx *s)
{
	struct g_cand cand[R_GAUSS_END - R_EXFIL];
	const struct sv_feat_window *win;
	const struct sv_bl_workload *w = s->w;
	uint64_t n = 0;
	int r;

	memset(cand, 0, sizeof(cand));
	if (w->win_ok)
		for (win = s->c->windows; win; win = win->next, n++)
			gauss_one(s, &w->win_m, w->win_threshold, win->x,
				  win->start_ns, 0, cand);
	if (w->life_ok)
		gauss_one(s, &w->life_m, w->life_threshold, s->c->life,
			  s->c->first_ns, 1, cand);
	for (r = R_EXFIL; r < R_GAUSS_END; r++)
		if (cand[r - R_EXFIL].set)
			gauss_emit(s, r, &cand[r - R_EXFIL]);
	return n;
}

/* ---- rates ---- */

static void rate_emit(struct sctx *s, const struct sv_feat_window *win,
		      int fr, double p)
{
	const struct sv_mdl_rate_model *m = &s->w->rate_m[fr];
	char why[WHY_MAX], when[64], detail[64];
	struct sv_finding *f;
	int r;

	fmt_when(win->start_ns, 0, when, sizeof(when));
	snprintf(detail, sizeof(detail), "%s %" PRIu64 " in one window",
		 sv_fr_name(fr), win->k[fr]);
	f = finding(s, R_RATE, win->start_ns, -log10(fmax(p, 1e-300)), p,
		    detail);
	if (!f)
		return;
	f->technique = rate_tech[fr][0];
	f->technique_name = rate_tech[fr][1];
	snprintf(why, sizeof(why), "%s events %s were %" PRIu64 "; the "
		 "workload's baseline expects %.2f per window (%s, p = %.2g,"
		 " under the alarm level %g)", sv_fr_name(fr), when,
		 win->k[fr], m->mean, m->kind == SV_MDL_RATE_NEGBIN ?
		 "negative binomial" : "Poisson", p,
		 s->b->far / RATE_FAR_DIV);
	f->why = keep(s, why);
	feature(s, f, sv_fr_name(fr), NULL, (double)win->k[fr], m->mean, NAN);
	for (r = 0; r < SV_FR_COUNT; r++)
		if (r != fr && win->k[r] >= RATE_K_MIN &&
		    sv_mdl_rate_pvalue(&s->w->rate_m[r], win->k[r]) <
			    s->b->far / RATE_FAR_DIV)
			feature(s, f, sv_fr_name(r), NULL, (double)win->k[r],
				s->w->rate_m[r].mean, NAN);
	evidence(s, f, NULL, NULL, "the window's event counts");
}

static void score_rates(struct sctx *s)
{
	const struct sv_feat_window *win, *best = NULL;
	double p, best_p = 1.0;
	int r, best_r = 0;

	if (!s->w->rate_ok)
		return;
	for (win = s->c->windows; win; win = win->next)
		for (r = 0; r < SV_FR_COUNT; r++) {
			if (win->k[r] < RATE_K_MIN)
				continue;
			p = sv_mdl_rate_pvalue(&s->w->rate_m[r], win->k[r]);
			if (!(p < s->b->far / RATE_FAR_DIV) ||
			    (best && !(p < best_p)))
				continue;
			best = win;
			best_p = p;
			best_r = r;
		}
	if (best)
		rate_emit(s, best, best_r, best_p);
}

/* ---- driver ---- */

static const struct sv_bl_workload *lookup(const struct sv_baseline *b,
					   const char *key)
{
	size_t lo = 0, hi = b->n_wl, mid;
	int c;

	while (key && lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(b->wl[mid]->key, key);
		if (!c)
			return b->wl[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

enum sv_status sv_baseline_score(const struct sv_baseline *b,
				 const struct sv_feat_set *fs,
				 struct sv_arena *arena,
				 struct sv_findings *out,
				 struct sv_bl_score_stats *st,
				 struct sv_error *err)
{
	struct sv_bl_score_stats local;
	const struct sv_feat_container *c;
	struct sv_finding *tail;
	struct sctx s;

	if (!b || !fs || !arena || !out)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "nothing to "
				    "score");
	if (!b->fitted)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "the baseline "
				    "is not fitted");
	if (fs->window_ns != b->window_ns)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "window "
				    "mismatch: features in %" PRId64 " ns "
				    "windows, the baseline's are %" PRId64
				    " ns", fs->window_ns, b->window_ns);
	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	memset(&s, 0, sizeof(s));
	s.b = b;
	s.arena = arena;
	s.out = out;
	for (c = fs->containers; c; c = c->next) {
		if (!c->values && !c->windows)
			continue;
		s.c = c;
		s.w = lookup(b, c->workload);
		if (!s.w) {
			st->unknown_workload++;
			continue;
		}
		st->containers++;
		score_cat(&s);
		st->windows += score_gauss(&s);
		score_rates(&s);
	}
	st->findings = s.made;
	if (s.head) {
		for (tail = s.head; tail->next; tail = tail->next)
			;
		tail->next = out->list;
		out->list = s.head;
	}
	sv_findings_order(out);
	return SV_OK;
}
