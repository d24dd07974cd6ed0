/*
 * sv_rules_more.c - the built-in rules over programs, flows and
 * application events (ids, thresholds and techniques in sv_rules.h):
 *
 *   crypto-mining      Stratum calls, mining pool ports, pool names in
 *                      DNS, CPU pinned at the container's limit
 *   package-manager    apt, dpkg, apk, yum, pip, npm, ... in a container
 *   dns-tunnel-labels  many long, random-looking query labels under one
 *                      parent domain
 *   large-upload       at least 8 MiB one way to one remote address
 *
 * Input: the run's sv_rules_input (borrowed). Each rule collects what it
 * matched into a malloc'd sv_rule_vec, sorts it by container (and domain
 * or address), O(n log n), makes one finding per run of equal keys, and
 * frees the table before it returns. Output: findings at the head of the
 * context's list (sv_rules_int.h), strings in its arena.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_attrib.h"
#include "sv_rules_int.h"
#include "sv_time.h"

#define MIB (1024.0 * 1024.0)

/* ---- names ---- */

int sv_rule_dns_labels(const char *name, struct sv_rule_label *lab)
{
	size_t i = 0, start = 0, bytes = 0;
	int n = 0;

	if (!name || !name[0] || !strcmp(name, "."))
		return 0;
	for (;;) {
		char ch = name[i];

		if (ch == '\0' || ch == '.') {
			if (n < SV_RULE_LABELS)
				lab[n] = (struct sv_rule_label){start,
								i - start,
								bytes};
			n++;
			if (!ch)
				return n;
			start = ++i;
			bytes = 0;
			continue;
		}
		if (ch == '\\' && isdigit((unsigned char)name[i + 1]) &&
		    isdigit((unsigned char)name[i + 2]) &&
		    isdigit((unsigned char)name[i + 3]))
			i += 4;       /* \DDD: one byte */
		else if (ch == '\\' && name[i + 1])
			i += 2;       /* \X */
		else
			i++;
		bytes++;
	}
}

/* needle (lowercase) in the n bytes at s, ignoring case. */
static int ci_has(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle), i, k;

	for (i = 0; m && i + m <= n; i++) {
		for (k = 0; k < m; k++)
			if (tolower((unsigned char)s[i + k]) != needle[k])
				break;
		if (k == m)
			return 1;
	}
	return 0;
}

int sv_rule_pool_name(const char *name)
{
	static const char *const markers[] = {
		"xmr", "monero", "nanopool", "minexmr", "supportxmr",
		"nicehash", "2miners", "f2pool", "ethermine"
	};
	struct sv_rule_label lab[SV_RULE_LABELS];
	int n = sv_rule_dns_labels(name, lab), i, from;
	size_t k, off;

	if (n < 1 || n > SV_RULE_LABELS)
		return 0;
	/* The host and domain part only: random labels further left (a
	 * CDN hash, a tunnel) would hit "xmr" by chance. */
	from = n > 3 ? n - 3 : 0;
	for (i = from; i < n - 1; i++) /* "pool." starts a label */
		if (lab[i].len == 4 &&
		    ci_has(name + lab[i].off, lab[i].len, "pool"))
			return 1;
	off = lab[from].off;
	for (k = 0; k < sizeof(markers) / sizeof(markers[0]); k++)
		if (ci_has(name + off, strlen(name + off), markers[k]))
			return 1;
	return 0;
}

/* ---- crypto-mining ---- */

static const struct sv_rule_def r_mining = {"crypto-mining", "T1496",
	"Resource Hijacking", SV_SEV_HIGH};

#define MINE_CPU_RUN 3  /* consecutive samples at the CPU limit */

enum { MINE_STRATUM = 0, MINE_PORT, MINE_NAME, MINE_CPU, MINE_NSIG };

struct mine_obs {
	const char *cid;
	int sig;                       /* MINE_* */
	uint64_t seq;
	int64_t ts, pid;
	const struct sv_flow *flow;
	const struct sv_app_event *app; /* Stratum call or DNS query */
	const char *name;              /* MINE_NAME: the pool's name */
	const struct sv_res_group *g;  /* MINE_CPU */
	uint64_t run;                  /* MINE_CPU: samples in a row */
	double cores, limit;           /* MINE_CPU: at the peak */
};

static int pool_port(unsigned port)
{
	static const uint16_t ports[] = {3333, 5555, 7777, 14444, 45560,
					 45700};
	size_t i;

	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (port == ports[i])
			return 1;
	return 0;
}

static struct mine_obs *mine_push(struct sv_rule_ctx *c,
				  struct sv_rule_vec *v, const char *cid,
				  int sig, int64_t ts, int64_t pid)
{
	struct mine_obs *o = sv_rule_vec_push(c, v);

	if (o) {
		o->cid = cid;
		o->sig = sig;
		o->seq = v->n;
		o->ts = ts;
		o->pid = pid;
	}
	return o;
}

/* Stratum calls (the caller, end a, is the miner: the pool's replies
 * count against it too) and DNS queries for pool names. */
static void mine_app(struct sv_rule_ctx *c, struct sv_rule_vec *v)
{
	const struct sv_app_event *e;
	const struct sv_owner *w;
	struct mine_obs *o;

	for (e = c->in->app; e; e = e->next) {
		if (e->kind == SV_APPK_STRATUM) {
			w = e->flow->owner_a;
			o = mine_push(c, v, w ? w->container_id : NULL,
				      MINE_STRATUM, e->ts_ns, w ? w->pid : -1);
		} else if (e->kind == SV_APPK_DNS && !e->u.dns.response &&
			   sv_rule_pool_name(e->u.dns.qname)) {
			w = e->from_a ? e->flow->owner_a : e->flow->owner_b;
			if (!w || !w->container_id)
				continue;
			o = mine_push(c, v, w->container_id, MINE_NAME,
				      e->ts_ns, w->pid);
			if (o)
				o->name = e->u.dns.qname;
		} else {
			continue;
		}
		if (o) {
			o->flow = e->flow;
			o->app = e;
		}
	}
}

/*
 * End `end` of f is in a container and called a pool port outside it.
 * The name a DNS answer gave the peer's address is not used: one
 * address (the host's, a proxy's, a NAT's) serves many names, and would
 * make every flow to it look like a pool's; the container's own queries
 * are the name signal.
 */
static int pool_call(const struct sv_flow *f, int end)
{
	const struct sv_owner *me = end ? f->owner_b : f->owner_a;
	const struct sv_owner *peer = end ? f->owner_a : f->owner_b;
	unsigned mine = end ? f->b_port : f->a_port;
	unsigned theirs = end ? f->a_port : f->b_port;

	if (f->proto != 6 || !me || !me->container_id || (end && f->syn_seen))
		return 0; /* with the SYN seen, a called */
	if (peer && peer->container_id &&
	    !strcmp(peer->container_id, me->container_id))
		return 0;
	return pool_port(theirs) && !pool_port(mine);
}

static void mine_flows(struct sv_rule_ctx *c, struct sv_rule_vec *v)
{
	const struct sv_flow *f;
	const struct sv_owner *w;
	struct mine_obs *o;
	int end;

	for (f = c->in->flows; f; f = f->next)
		for (end = 0; end < 2; end++) {
			if (!pool_call(f, end))
				continue;
			w = end ? f->owner_b : f->owner_a;
			o = mine_push(c, v, w->container_id, MINE_PORT,
				      f->first_ns, w->pid);
			if (o)
				o->flow = f;
		}
}

/* The longest run of samples using at least SV_RES_AT_LIMIT of a finite
 * CPU limit; o gets its start and its busiest sample. */
static uint64_t cpu_pinned(const struct sv_res_group *g, struct mine_obs *o)
{
	const double *u = g->v[SV_RES_CPU_CORES], *l = g->v[SV_RES_CPU_LIMIT];
	uint64_t i, run = 0, best = 0, start = 0;
	double top = -1.0;

	for (i = 0; u && l && i < g->n; i++) {
		if (!isfinite(u[i]) || !isfinite(l[i]) || !(l[i] > 0) ||
		    u[i] < SV_RES_AT_LIMIT * l[i]) {
			run = 0;
			continue;
		}
		if (!run++)
			start = i;
		if (run > best) {
			best = run;
			o->ts = g->ts_ns[start];
		}
		if (run >= MINE_CPU_RUN && u[i] / l[i] > top) {
			top = u[i] / l[i];
			o->cores = u[i];
			o->limit = l[i];
		}
	}
	return best;
}

static void mine_cpu(struct sv_rule_ctx *c, struct sv_rule_vec *v)
{
	const struct sv_res_group *g;
	struct mine_obs t, *o;

	for (g = c->in->resources ? c->in->resources->groups : NULL; g;
	     g = g->next) {
		memset(&t, 0, sizeof(t));
		if (!g->primary || !g->container_id ||
		    (t.run = cpu_pinned(g, &t)) < MINE_CPU_RUN)
			continue;
		o = mine_push(c, v, g->container_id, MINE_CPU, t.ts, -1);
		if (o) {
			o->g = g;
			o->run = t.run;
			o->cores = t.cores;
			o->limit = t.limit;
		}
	}
}

static int cmp_mine(const void *x, const void *y)
{
	const struct mine_obs *a = x, *b = y;
	int d = sv_rule_cid_cmp(a->cid, b->cid);

	if (d)
		return d;
	if (a->sig != b->sig)
		return a->sig - b->sig;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* The end of o's flow away from its container: 1 (b) or 0 (a). */
static int far_end(const struct mine_obs *o)
{
	const struct sv_owner *a = o->flow->owner_a;

	return a && a->container_id && !strcmp(a->container_id, o->cid);
}

static void mine_note(const struct mine_obs *o, char *note, size_t n)
{
	const struct sv_app_event *e = o->app;
	char to[160], when[SV_TIME_TEXT_MAX];

	switch (o->sig) {
	case MINE_STRATUM:
		snprintf(note, n, "%s %s%s%.200s%s (flow %" PRIu64 ")",
			 e->from_a ? "sent" : "received", e->u.stratum.method,
			 e->u.stratum.user[0] ? " user " : "",
			 e->u.stratum.user,
			 e->u.stratum.agent[0] ? " agent present" : "",
			 o->flow->id);
		break;
	case MINE_PORT:
		sv_rule_endpoint(o->flow, far_end(o), to, sizeof(to));
		snprintf(note, n, "connection to %s, a mining pool port "
			 "(flow %" PRIu64 ")", to, o->flow->id);
		break;
	case MINE_NAME:
		snprintf(note, n, "DNS query for %.300s, a mining pool's name "
			 "(flow %" PRIu64 ")", o->name, o->flow->id);
		break;
	default:
		sv_time_format(o->ts, when);
		snprintf(note, n, "CPU at %.2f of %.2f cores for %" PRIu64
			 " samples in a row from %s (cgroup %.200s)", o->cores,
			 o->limit, o->run, when, o->g->cgroup);
	}
}

static void mine_why(struct sv_rule_ctx *c, const struct mine_obs *o,
		     const size_t cnt[], const size_t first[], int high,
		     char *why, size_t n)
{
	char to[160];
	const struct mine_obs *x;

	snprintf(why, n, "%s", sv_rule_label(c, o->cid));
	if (cnt[MINE_STRATUM]) {
		x = o + first[MINE_STRATUM];
		sv_rule_endpoint(x->flow, 1, to, sizeof(to));
		sv_rule_append(why, n, " spoke the Stratum mining protocol "
			       "(JSON-RPC %s) with %s, %zu call(s);",
			       x->app->u.stratum.method, to,
			       cnt[MINE_STRATUM]);
	}
	if (cnt[MINE_PORT]) {
		x = o + first[MINE_PORT];
		sv_rule_endpoint(x->flow, far_end(x), to, sizeof(to));
		sv_rule_append(why, n, " connected %zu time(s) to mining pool "
			       "ports, first %s;", cnt[MINE_PORT], to);
	}
	if (cnt[MINE_NAME])
		sv_rule_append(why, n, " looked up %.120s, a mining pool's "
			       "name (%zu quer%s);",
			       o[first[MINE_NAME]].name, cnt[MINE_NAME],
			       cnt[MINE_NAME] == 1 ? "y" : "ies");
	if (cnt[MINE_CPU]) {
		x = o + first[MINE_CPU];
		sv_rule_append(why, n, " used %.2f of its %.2f-core CPU "
			       "limit for %" PRIu64 " snapshots in a row;",
			       x->cores, x->limit, x->run);
	}
	sv_rule_append(why, n, high ? " legitimate workloads do not mine" :
		       " one weak signal alone (a busy workload, a port "
		       "another service uses) is a lead, not proof");
}

/* One finding for one container's observations o[0..n). */
static void mine_group(struct sv_rule_ctx *c, const struct mine_obs *o,
		       size_t n)
{
	static const char *const sig_name[MINE_NSIG] = {
		"Stratum", "pool port", "pool name", "CPU at its limit"
	};
	size_t cnt[MINE_NSIG] = {0}, first[MINE_NSIG] = {0}, i, k, quota;
	int kinds = 0, s, left, high;
	char why[SV_RULE_WHY_MAX], title[200], note[600];
	struct sv_finding *f;

	for (i = n; i-- > 0;) {
		cnt[o[i].sig]++;
		first[o[i].sig] = i;
	}
	for (s = 0; s < MINE_NSIG; s++)
		kinds += cnt[s] > 0;
	high = cnt[MINE_STRATUM] || kinds >= 2;
	snprintf(title, sizeof(title), "Crypto-mining from %s:",
		 sv_rule_label(c, o->cid));
	for (s = 0, k = 0; s < MINE_NSIG; s++)
		if (cnt[s])
			sv_rule_append(title, sizeof(title), "%s %s",
				       k++ ? "," : "", sig_name[s]);
	f = sv_rule_finding(c, &r_mining, title, o->cid, o->pid, o->ts);
	if (!f)
		return;
	f->severity = high ? SV_SEV_HIGH : SV_SEV_MEDIUM;
	mine_why(c, o, cnt, first, high, why, sizeof(why));
	f->why = sv_rule_keep(c, why);
	/* every signal seen gets its share of the evidence */
	for (s = 0, left = kinds; s < MINE_NSIG; s++) {
		if (!cnt[s])
			continue;
		quota = (size_t)(SV_FINDING_EVIDENCE - f->n_ev) /
			(size_t)left--;
		for (i = first[s]; i < first[s] + cnt[s] && i < first[s] +
		     quota; i++) {
			mine_note(o + i, note, sizeof(note));
			sv_rule_evidence(c, f, NULL, o[i].flow, NULL, NULL,
					 note);
		}
	}
}

void sv_rule_mining(struct sv_rule_ctx *c)
{
	struct sv_rule_vec v = {NULL, 0, 0, sizeof(struct mine_obs)};
	const struct mine_obs *o;
	size_t i, j, k;

	c->per_rule = 0;
	mine_app(c, &v);
	mine_flows(c, &v);
	mine_cpu(c, &v);
	if (v.n)
		qsort(v.v, v.n, v.size, cmp_mine);
	o = (const struct mine_obs *)v.v;
	for (i = 0; i < v.n; i = j) {
		for (j = i + 1; j < v.n && !sv_rule_cid_cmp(o[i].cid,
							    o[j].cid); j++)
			;
		/* A fork bomb pins the CPU too: it, not a miner, explains
		 * the CPU signal (last in the run: sorted by signal). */
		for (k = j; k > i && o[k - 1].sig == MINE_CPU &&
		     sv_rule_fork_bomb_in(c, o[i].cid); k--)
			;
		if (k > i)
			mine_group(c, o + i, k - i);
	}
	sv_rule_vec_free(&v);
}

/* ---- package-manager ---- */

static const struct sv_rule_def r_pkg = {"package-manager", "T1105",
	"Ingress Tool Transfer", SV_SEV_MEDIUM};

#define PKG_TOOLS_LISTED 4

/* The package manager whose name is the last path component of the n
 * bytes at s, or NULL. pip2, pip3.11, ... are pip. */
static const char *pkg_name(const char *s, size_t n)
{
	static const char *const tools[] = {
		"apt", "apt-get", "aptitude", "dpkg", "apk", "yum", "dnf",
		"microdnf", "rpm", "zypper", "pip", "pip3", "npm", "gem"
	};
	size_t i, b = 0;

	for (i = 0; i < n; i++)
		if (s[i] == '/')
			b = i + 1;
	s += b;
	n -= b;
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (strlen(tools[i]) == n && !memcmp(s, tools[i], n))
			return tools[i];
	if (n < 4 || memcmp(s, "pip", 3))
		return NULL;
	for (i = 3; i < n; i++)
		if (!isdigit((unsigned char)s[i]) && s[i] != '.')
			return NULL;
	return "pip";
}

/* Word w (0, 1, ...) of a command line and its length, or NULL. */
static const char *word(const char *s, int w, size_t *len)
{
	const char *sp;

	for (; s && *s; w--) {
		sp = strchr(s, ' ');
		*len = sp ? (size_t)(sp - s) : strlen(s);
		if (!w)
			return s;
		s = sp ? sp + 1 : NULL;
	}
	return NULL;
}

/* An interpreter that runs a package manager as its script or module
 * (python3 /usr/bin/pip, python -m pip, node .../npm, env apt-get). */
static int interpreter(const char *s, size_t n)
{
	static const char *const names[] = {"python", "node", "nodejs",
					    "ruby", "env"};
	size_t i, b = 0, m;

	for (i = 0; i < n; i++)
		if (s[i] == '/')
			b = i + 1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		m = strlen(names[i]);
		if (n - b >= m && !memcmp(s + b, names[i], m))
			return 1;
	}
	return 0;
}

static const char *pkg_tool(const struct sv_proc *p)
{
	const char *t = NULL, *w;
	size_t n = 0, n1 = 0;

	if (p->comm)
		t = pkg_name(p->comm, strlen(p->comm));
	if (!t && p->exe)
		t = pkg_name(p->exe, strlen(p->exe));
	if (t || !(w = word(p->cmdline, 0, &n)))
		return t;
	if ((t = pkg_name(w, n)) || !interpreter(w, n) ||
	    !(w = word(p->cmdline, 1, &n1)))
		return t;
	if (n1 == 2 && !memcmp(w, "-m", 2) &&
	    !(w = word(p->cmdline, 2, &n1)))
		return NULL;
	return pkg_name(w, n1);
}

struct pkg_obs {
	const char *cid;
	const char *tool;
	const struct sv_proc *p;
	uint64_t seq;
};

static int cmp_pkg(const void *x, const void *y)
{
	const struct pkg_obs *a = x, *b = y;
	int d = sv_rule_cid_cmp(a->cid, b->cid);

	return d ? d : (a->seq > b->seq) - (a->seq < b->seq);
}

static void pkg_group(struct sv_rule_ctx *c, const struct pkg_obs *o,
		      size_t n)
{
	const char *tools[PKG_TOOLS_LISTED];
	const struct sv_proc *p = o->p;
	char why[SV_RULE_WHY_MAX], title[200], list[120] = "";
	struct sv_finding *f;
	size_t i, k, nt = 0;

	for (i = 0; i < n; i++) {
		for (k = 0; k < nt && tools[k] != o[i].tool; k++)
			;
		if (k == nt && nt < PKG_TOOLS_LISTED) {
			tools[nt++] = o[i].tool;
			sv_rule_append(list, sizeof(list), "%s%s",
				       k ? ", " : "", o[i].tool);
		}
	}
	snprintf(title, sizeof(title), "Package manager run in %s: %s",
		 sv_rule_label(c, o->cid), list);
	f = sv_rule_finding(c, &r_pkg, title, o->cid, p->pid,
			    p->start_ns != SV_TIME_NONE ? p->start_ns
							: p->first_seen);
	if (!f)
		return;
	snprintf(why, sizeof(why), "%zu package-manager process(es) (%s) "
		 "ran in %s, the first pid %" PRIu32 ": %.160s. A container "
		 "runs the software its image was built with; installing "
		 "packages in a running one is how an intruder brings in "
		 "tools (or how a workload drifts from its image)", n, list,
		 sv_rule_label(c, o->cid), p->pid,
		 p->cmdline ? p->cmdline : p->comm ? p->comm : "?");
	f->why = sv_rule_keep(c, why);
	for (i = 0; i < n && f->n_ev < SV_FINDING_EVIDENCE; i++)
		sv_rule_evidence(c, f, NULL, NULL, o[i].p, o[i].p->artifact,
				 o[i].p->cmdline ? o[i].p->cmdline
						 : o[i].p->comm);
}

void sv_rule_package_manager(struct sv_rule_ctx *c)
{
	struct sv_rule_vec v = {NULL, 0, 0, sizeof(struct pkg_obs)};
	const struct sv_proc *p;
	const struct pkg_obs *o;
	struct pkg_obs *w;
	const char *t;
	size_t i, j;

	c->per_rule = 0;
	for (p = c->in->procs ? c->in->procs->list : NULL; p; p = p->next) {
		if (!p->container_id || p->kthread || !(t = pkg_tool(p)) ||
		    !(w = sv_rule_vec_push(c, &v)))
			continue;
		*w = (struct pkg_obs){p->container_id, t, p, v.n};
	}
	if (v.n)
		qsort(v.v, v.n, v.size, cmp_pkg);
	o = (const struct pkg_obs *)v.v;
	for (i = 0; i < v.n; i = j) {
		for (j = i + 1; j < v.n && !sv_rule_cid_cmp(o[i].cid,
							    o[j].cid); j++)
			;
		pkg_group(c, o + i, j - i);
	}
	sv_rule_vec_free(&v);
}

/* ---- dns-tunnel-labels ---- */

static const struct sv_rule_def r_tunnel = {"dns-tunnel-labels",
	"T1071.004", "Application Layer Protocol: DNS", SV_SEV_HIGH};

#define TUN_QUERIES 20     /* distinct names under one domain */
#define TUN_LABEL 30       /* bytes of the longest subdomain label */
#define TUN_ENTROPY 3.5    /* bits per character of the subdomain */
#define TUN_SHOWN 3        /* queries kept as evidence */

struct tun_obs {
	const char *cid;
	const char *dom;          /* the last two labels, in qname */
	size_t dlen;
	const struct sv_app_event *e;
	size_t longest;
	uint64_t seq;
};

/* The query's parent domain and longest subdomain label in o, when it
 * has one that long. */
static int tun_match(const struct sv_app_event *e, struct tun_obs *o)
{
	struct sv_rule_label lab[SV_RULE_LABELS];
	const char *q = e->u.dns.qname;
	int n = sv_rule_dns_labels(q, lab), i;

	if (n < 3 || n > SV_RULE_LABELS || !(e->u.dns.entropy >= TUN_ENTROPY))
		return 0;
	o->longest = 0;
	for (i = 0; i < n - 2; i++)
		if (lab[i].bytes > o->longest)
			o->longest = lab[i].bytes;
	o->dom = q + lab[n - 2].off;
	o->dlen = lab[n - 1].off + lab[n - 1].len - lab[n - 2].off;
	return o->longest >= TUN_LABEL;
}

static int ci_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i;
	int d;

	for (i = 0; i < na && i < nb; i++) {
		d = tolower((unsigned char)a[i]) - tolower((unsigned char)b[i]);
		if (d)
			return d;
	}
	return (na > nb) - (na < nb);
}

/* By container, domain, then query name (to count distinct names). */
static int cmp_tun(const void *x, const void *y)
{
	const struct tun_obs *a = x, *b = y;
	const char *qa = a->e->u.dns.qname, *qb = b->e->u.dns.qname;
	int d = sv_rule_cid_cmp(a->cid, b->cid);

	if (!d)
		d = ci_cmp(a->dom, a->dlen, b->dom, b->dlen);
	if (!d)
		d = ci_cmp(qa, strlen(qa), qb, strlen(qb));
	return d ? d : (a->seq > b->seq) - (a->seq < b->seq);
}

static int same_name(const struct tun_obs *a, const struct tun_obs *b)
{
	const char *qa = a->e->u.dns.qname, *qb = b->e->u.dns.qname;

	return !ci_cmp(qa, strlen(qa), qb, strlen(qb));
}

/* The TUN_SHOWN earliest queries of o[0..n) into show (by seq). */
static size_t tun_earliest(const struct tun_obs *o, size_t n,
			   const struct tun_obs **show)
{
	size_t i, k, m = 0;

	for (i = 0; i < n; i++) {
		for (k = m; k > 0 && show[k - 1]->seq > o[i].seq; k--)
			if (k < TUN_SHOWN)
				show[k] = show[k - 1];
		if (k < TUN_SHOWN) {
			show[k] = o + i;
			if (m < TUN_SHOWN)
				m++;
		}
	}
	return m;
}

static void tun_group(struct sv_rule_ctx *c, const struct tun_obs *o,
		      size_t n)
{
	const struct tun_obs *show[TUN_SHOWN];
	const struct sv_owner *w;
	char why[SV_RULE_WHY_MAX], title[300], note[400];
	size_t i, names = 1, longest = 0, m;
	double top = 0.0;
	struct sv_finding *f;

	for (i = 0; i < n; i++) {
		names += i && !same_name(o + i - 1, o + i);
		if (o[i].longest > longest)
			longest = o[i].longest;
		if (o[i].e->u.dns.entropy > top)
			top = o[i].e->u.dns.entropy;
	}
	if (names < TUN_QUERIES)
		return;
	m = tun_earliest(o, n, show);
	w = show[0]->e->from_a ? show[0]->e->flow->owner_a
			       : show[0]->e->flow->owner_b;
	snprintf(title, sizeof(title), "DNS tunnelling from %s through %.*s",
		 sv_rule_label(c, o->cid), (int)(o->dlen < 200 ? o->dlen : 200),
		 o->dom);
	f = sv_rule_finding(c, &r_tunnel, title, o->cid, w ? w->pid : -1,
			    show[0]->e->ts_ns);
	if (!f)
		return;
	snprintf(why, sizeof(why), "%s sent %zu queries for %zu distinct "
		 "names under %.*s whose subdomains carry long, random-"
		 "looking labels (up to %zu bytes, entropy up to %.2f "
		 "bits/char; the rule wants %d names with a label of %d "
		 "bytes and %.1f bits): data encoded in query names, a DNS "
		 "tunnel; ordinary lookups repeat a few short names",
		 sv_rule_label(c, o->cid), n, names,
		 (int)(o->dlen < 200 ? o->dlen : 200), o->dom, longest, top,
		 TUN_QUERIES, TUN_LABEL, TUN_ENTROPY);
	f->why = sv_rule_keep(c, why);
	for (i = 0; i < m; i++) {
		const struct sv_dns_event *d = &show[i]->e->u.dns;

		snprintf(note, sizeof(note), "query %.300s (type %u, longest "
			 "label %zu bytes, entropy %.2f)", d->qname,
			 d->qtype, show[i]->longest, d->entropy);
		sv_rule_evidence(c, f, NULL, show[i]->e->flow, NULL, NULL,
				 note);
	}
}

void sv_rule_dns_tunnel(struct sv_rule_ctx *c)
{
	struct sv_rule_vec v = {NULL, 0, 0, sizeof(struct tun_obs)};
	const struct sv_app_event *e;
	const struct sv_owner *w;
	const struct tun_obs *o;
	struct tun_obs t, *p;
	size_t i, j;

	c->per_rule = 0;
	for (e = c->in->app; e; e = e->next) {
		if (e->kind != SV_APPK_DNS || e->u.dns.response)
			continue;
		w = e->from_a ? e->flow->owner_a : e->flow->owner_b;
		if (!w || !w->container_id || !tun_match(e, &t) ||
		    !(p = sv_rule_vec_push(c, &v)))
			continue;
		*p = (struct tun_obs){w->container_id, t.dom, t.dlen, e,
				      t.longest, v.n};
	}
	if (v.n)
		qsort(v.v, v.n, v.size, cmp_tun);
	o = (const struct tun_obs *)v.v;
	for (i = 0; i < v.n; i = j) {
		for (j = i + 1; j < v.n && !sv_rule_cid_cmp(o[i].cid, o[j].cid)
		     && !ci_cmp(o[i].dom, o[i].dlen, o[j].dom, o[j].dlen); j++)
			;
		tun_group(c, o + i, j - i);
	}
	sv_rule_vec_free(&v);
}

/* ---- large-upload ---- */

static const struct sv_rule_def r_upload = {"large-upload", "T1048",
	"Exfiltration Over Alternative Protocol", SV_SEV_HIGH};

#define UP_BYTES (8ULL << 20)  /* sent to one address */
#define UP_RATIO 10            /* out at least this many times in */
#define UP_SHOWN 3             /* flows kept as evidence */

/* One flow end in a container and what it exchanged with the other. */
struct up_obs {
	const char *cid;
	int family;
	const uint8_t *remote;   /* 4 or 16 bytes */
	uint64_t out, in;
	const struct sv_flow *f;
	int end;                 /* the container's: 0 a, 1 b */
	uint64_t seq;
};

/* The end that opened f: a with the SYN seen (and for UDP, whose first
 * datagram made a); mid-stream, the end with the higher (ephemeral)
 * port. */
static int caller(const struct sv_flow *f)
{
	if (f->proto != 6 || f->syn_seen)
		return 0;
	return f->b_port > f->a_port;
}

/* End `end` of f is a container's that opened f to a remote address:
 * o gets what it sent and received. A server's replies are what it is
 * for; data pushed out over connections it opened is exfiltration. */
static int up_end(const struct sv_flow *f, int end, struct up_obs *o)
{
	const struct sv_owner *me = end ? f->owner_b : f->owner_a;
	const struct sv_owner *peer = end ? f->owner_a : f->owner_b;
	const uint8_t *mine = end ? f->b_addr : f->a_addr;
	size_t alen = f->family == 6 ? 16 : 4;

	if (!me || !me->container_id || caller(f) != end ||
	    (f->family != 4 && f->family != 6))
		return 0;
	o->remote = end ? f->a_addr : f->b_addr;
	if (sv_flow_addr_loopback(f->family, o->remote) ||
	    !memcmp(mine, o->remote, alen))
		return 0;
	if (peer && peer->container_id &&
	    !strcmp(peer->container_id, me->container_id))
		return 0;
	o->cid = me->container_id;
	o->family = f->family;
	o->out = end ? f->bytes_ba : f->bytes_ab;
	o->in = end ? f->bytes_ab : f->bytes_ba;
	o->f = f;
	o->end = end;
	return 1;
}

static int cmp_up(const void *x, const void *y)
{
	const struct up_obs *a = x, *b = y;
	int d = sv_rule_cid_cmp(a->cid, b->cid);

	if (!d && a->family != b->family)
		d = a->family - b->family;
	if (!d)
		d = memcmp(a->remote, b->remote, a->family == 6 ? 16 : 4);
	if (!d && a->out != b->out)
		d = a->out > b->out ? -1 : 1; /* biggest first */
	return d ? d : (a->seq > b->seq) - (a->seq < b->seq);
}

static int up_same(const struct up_obs *a, const struct up_obs *b)
{
	return !sv_rule_cid_cmp(a->cid, b->cid) && a->family == b->family &&
	       !memcmp(a->remote, b->remote, a->family == 6 ? 16 : 4);
}

static void up_group(struct sv_rule_ctx *c, const struct up_obs *o,
		     size_t n)
{
	uint64_t out = 0, in = 0;
	char why[SV_RULE_WHY_MAX], title[300], to[64], note[300];
	struct sv_finding *f;
	const struct sv_owner *w;
	const char *name;
	size_t i;

	for (i = 0; i < n; i++) {  /* saturating: counters are input */
		out = out + o[i].out < out ? UINT64_MAX : out + o[i].out;
		in = in + o[i].in < in ? UINT64_MAX : in + o[i].in;
	}
	if (out < UP_BYTES || in > out / UP_RATIO)
		return;
	if (!inet_ntop(o->family == 6 ? AF_INET6 : AF_INET, o->remote, to,
		       sizeof(to)))
		snprintf(to, sizeof(to), "?");
	w = o->end ? o->f->owner_b : o->f->owner_a;
	name = o->end ? o->f->name_a : o->f->name_b;
	snprintf(title, sizeof(title), "Large upload from %s to %s%s%.100s%s "
		 "(%.1f MiB)", sv_rule_label(c, o->cid), to, name ? " (" : "",
		 name ? name : "", name ? ")" : "", out / MIB);
	f = sv_rule_finding(c, &r_upload, title, o->cid, w->pid,
			    o->f->first_ns);
	if (!f)
		return;
	snprintf(why, sizeof(why), "%s sent %.1f MiB (%" PRIu64 " bytes) to "
		 "%s over %zu flow(s) it opened and received %" PRIu64
		 " bytes back: a one-way transfer of at least 8 MiB and 10 "
		 "times what came back, out of a container, is how data is "
		 "exfiltrated. Smaller volumes are judged against the "
		 "workload's baseline (salvage train)",
		 sv_rule_label(c, o->cid), out / MIB, out, to, n, in);
	f->why = sv_rule_keep(c, why);
	for (i = 0; i < n && i < UP_SHOWN; i++) {
		snprintf(note, sizeof(note), "%" PRIu64 " bytes out, %" PRIu64
			 " in, port %u", o[i].out, o[i].in,
			 o[i].end ? o[i].f->a_port : o[i].f->b_port);
		sv_rule_evidence(c, f, NULL, o[i].f, NULL, NULL, note);
	}
}

void sv_rule_large_upload(struct sv_rule_ctx *c)
{
	struct sv_rule_vec v = {NULL, 0, 0, sizeof(struct up_obs)};
	const struct sv_flow *fl;
	const struct up_obs *o;
	struct up_obs t, *p;
	size_t i, j;
	int end;

	c->per_rule = 0;
	for (fl = c->in->flows; fl; fl = fl->next)
		for (end = 0; end < 2; end++) {
			if (!up_end(fl, end, &t) ||
			    !(p = sv_rule_vec_push(c, &v)))
				continue;
			*p = t;
			p->seq = v.n;
		}
	if (v.n)
		qsort(v.v, v.n, v.size, cmp_up);
	o = (const struct up_obs *)v.v;
	for (i = 0; i < v.n; i = j) {
		for (j = i + 1; j < v.n && up_same(o + i, o + j); j++)
			;
		up_group(c, o + i, j - i);
	}
	sv_rule_vec_free(&v);
}
