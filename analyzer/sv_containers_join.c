/*
 * sv_containers_join.c - from what the stream left (sv_containers.c) to
 * containers: the join rules of sv_containers.h, then per container the
 * fold (sv_containers_fold.c), then the ordered list, the lookup index
 * and the event list.
 *
 *   boot time      the manifest's boot_time, else the first proc/<T>/stat
 *                  btime; dmesg OOM kills get their wall-clock time
 *   victims        an OOM kill without a memcg: the victim pid's folder
 *                  in the latest snapshot at or before the kill (up to
 *                  VICTIM_BACK snapshots back) gives its container
 *   1. full ids    one container each
 *   2. other ids   hex shorter than 64: the only full id it prefixes,
 *                  else its own container (ambiguous: noted); not hex:
 *                  its own container
 *   3. names       an id-less name: the only container with it, else the
 *                  one whose evidence span holds the name's first time,
 *                  else the latest whose span starts before it, else its
 *                  own container (noted)
 *   4. pods        each audit / k8s event fact on its own: the pod's
 *                  container named by the fact (runtime name, or docker's
 *                  "k8s_<name>_<pod>_..."), else the pod's only
 *                  container, else one id-less container for the pod
 *
 * Build memory (malloc) is freed before returning; the set lives in the
 * arena.
 */
#include "sv_containers_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_proc.h"

#define VICTIM_BACK 4
#define INIT_PROBES 256

/* ---- helpers ---- */

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *q;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	if (ncap > SIZE_MAX / size)
		return -1;
	q = realloc(*p, ncap * size);
	if (!q)
		return -1;
	*p = q;
	*cap = ncap;
	return 0;
}

void sc_note(struct sc_run *r, struct sc_build *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!b->notes) {
		b->notes = malloc(SC_NOTES_MAX);
		if (!b->notes) {
			r->nomem = 1;
			return;
		}
		b->notes[0] = '\0';
	}
	if (b->notes_len && b->notes_len + 2 < SC_NOTES_MAX) {
		memcpy(b->notes + b->notes_len, "; ", 3);
		b->notes_len += 2;
	}
	if (b->notes_len + 1 >= SC_NOTES_MAX)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->notes + b->notes_len, SC_NOTES_MAX - b->notes_len,
		      fmt, ap);
	va_end(ap);
	if (n > 0)
		b->notes_len += (size_t)n;
	if (b->notes_len >= SC_NOTES_MAX)
		b->notes_len = SC_NOTES_MAX - 1;
}

struct sv_event *sc_event(struct sc_run *r, const struct sc_build *b,
			  const struct sc_fact *f, const char *kind,
			  int64_t ts, const char *fmt, ...)
{
	struct sv_event *e;
	char msg[SC_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e = sv_arena_alloc(r->c->arena, sizeof(*e));
	if (!e || !(e->message = sv_arena_strdup(r->c->arena, msg)) ||
	    grow((void **)&r->ev, &r->cap_ev, r->n_ev, sizeof(*r->ev))) {
		r->nomem = 1;
		return NULL;
	}
	e->ts_ns = e->ts_hi_ns = ts;
	e->kind = kind;
	e->source = f ? (enum sv_event_source)f->src : SV_SRC_INSPECT;
	e->artifact = f ? f->artifact : NULL;
	e->line = f ? f->line : 0;
	e->container_id = b ? b->c->id : NULL;
	e->pid = -1;
	r->ev[r->n_ev++] = e;
	return e;
}

/* Index of the last snapshot <= ts, or -1. */
static long snap_at_or_before(const struct sc_run *r, int64_t ts)
{
	size_t lo = 0, hi = r->n_snaps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->snaps[mid] <= ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

const struct sc_folder *sc_victim_folder(const struct sc_run *r,
					 int64_t ts, uint32_t pid)
{
	const struct sc_folder *fo, *any = NULL;
	long i, stop;

	if (ts == SC_NONE)
		return NULL;
	i = snap_at_or_before(r, ts);
	for (stop = i - VICTIM_BACK; i >= 0 && i > stop; i--) {
		fo = sc_folder_find(r->c, r->snaps[i], pid);
		if (fo && fo->ent)
			return fo;
		if (fo && !any)
			any = fo;
	}
	return any;
}

/* ---- preparation ---- */

static int load_snaps(struct sc_run *r)
{
	const struct sv_tab *t = &r->c->snaps;
	size_t i;

	if (!t->n)
		return 0;
	r->snaps = malloc(t->n * sizeof(*r->snaps));
	if (!r->snaps)
		return -1;
	for (i = 0; i < t->n; i++)
		r->snaps[i] = ((const struct sc_snap *)
				       sv_tab_at(t, (uint32_t)i))->ts;
	r->n_snaps = t->n;
	qsort(r->snaps, r->n_snaps, sizeof(*r->snaps), cmp_i64);
	return 0;
}

/* Wall-clock times of the OOM kills; the container of those without a
 * memcg from the victim's folder. */
static void place_ooms(struct sc_run *r)
{
	struct sv_containers *c = r->c;
	const struct sc_folder *fo;
	int64_t boot = c->boot_manifest_ns != SC_NONE ? c->boot_manifest_ns
						      : c->boot_stat_ns;
	size_t i;

	c->st.has_boot_time = boot != SC_NONE;
	c->st.boot_time_ns = boot;
	for (i = 0; i < c->n_facts; i++) {
		struct sc_fact *f = &c->facts[i];

		if (f->kind != F_OOM)
			continue;
		if (f->ts == SC_NONE)
			f->ts = sv_boot_to_wall_ns(f->boot_ns, boot);
		if (f->pid < 0 || f->pid > UINT32_MAX)
			continue;
		fo = sc_victim_folder(r, f->ts, (uint32_t)f->pid);
		if (!fo)
			continue;
		f->pid_start = fo->start;
		if (!f->ent && fo->ent) {
			f->ent = fo->ent;
			sc_ent(c, fo->ent - 1)->sources |= 1u << SV_SRC_KERNEL;
		}
	}
}

/* ---- containers ---- */

static struct sc_build *cont_new(struct sc_run *r)
{
	struct sv_cont *c;
	struct sc_build *b;

	if (grow((void **)&r->b, &r->capb, r->nb, sizeof(*r->b)))
		return NULL;
	c = sv_arena_alloc(r->c->arena, sizeof(*c));
	if (!c)
		return NULL;
	b = &r->b[r->nb++];
	memset(b, 0, sizeof(*b));
	b->c = c;
	b->first_ts = b->last_ts = SC_NONE;
	b->first_seq = UINT32_MAX;
	c->created_ns = c->started_ns = c->paused_ns = SC_NONE;
	c->died_ns = c->removed_ns = SC_NONE;
	c->proc_first_ns = c->proc_last_ns = SC_NONE;
	c->cgroup_first_ns = c->cgroup_last_ns = SC_NONE;
	c->privileged = -1;
	c->init_pid = -1;
	c->runtime = SV_RT_UNKNOWN;
	return b;
}

/* Put entity i into container k (index). */
static void cont_add(struct sc_run *r, uint32_t i, size_t k)
{
	struct sc_ent *e = sc_ent(r->c, i);
	struct sc_build *b = &r->b[k];

	e->cont = (uint32_t)k + 1;
	r->ent_next[i] = b->ent_head;
	b->ent_head = i + 1;
	if (i < b->first_seq)
		b->first_seq = i;
	if (e->first_ts != SC_NONE &&
	    (b->first_ts == SC_NONE || e->first_ts < b->first_ts))
		b->first_ts = e->first_ts;
	if (e->last_ts != SC_NONE &&
	    (b->last_ts == SC_NONE || e->last_ts > b->last_ts))
		b->last_ts = e->last_ts;
}

static int cont_own(struct sc_run *r, uint32_t i)
{
	if (!cont_new(r))
		return -1;
	cont_add(r, i, r->nb - 1);
	return 0;
}

struct sc_nk {
	const char *s;
	uint32_t k;   /* container index */
};

static int cmp_nk(const void *x, const void *y)
{
	const struct sc_nk *a = x, *b = y;
	int d = strcmp(a->s, b->s);

	return d ? d : (a->k > b->k) - (a->k < b->k);
}

static int nk_push(struct sc_run *r, const char *s, size_t k)
{
	if (grow((void **)&r->nk, &r->cap_nk, r->n_nk, sizeof(*r->nk)))
		return -1;
	r->nk[r->n_nk].s = s;
	r->nk[r->n_nk++].k = (uint32_t)k;
	return 0;
}

/* Rule 1; r->nk: the full ids and their containers, sorted by id. */
static int join_ids(struct sc_run *r)
{
	struct sv_containers *c = r->c;
	uint32_t i;

	r->n_nk = 0;
	for (i = 0; i < c->ents.n; i++) {
		if (sc_ent(c, i)->kind != ENT_ID ||
		    !sc_is_full_id(sc_ent(c, i)->key))
			continue;
		if (cont_own(r, i) || nk_push(r, sc_ent(c, i)->key, r->nb - 1))
			return -1;
	}
	if (r->n_nk)
		qsort(r->nk, r->n_nk, sizeof(*r->nk), cmp_nk);
	return 0;
}

/* Full ids in r->nk that start with key: first index and count. */
static size_t prefix_range(const struct sc_run *r, const char *key,
			   size_t *first)
{
	size_t lo = 0, hi = r->n_nk, n = strlen(key), k = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(r->nk[mid].s, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + k < r->n_nk && strncmp(r->nk[lo + k].s, key, n) == 0)
		k++;
	return k;
}

/* Rule 2. */
static int join_short(struct sc_run *r)
{
	struct sv_containers *c = r->c;
	size_t first, k;
	uint32_t i;

	for (i = 0; i < c->ents.n; i++) {
		struct sc_ent *e = sc_ent(c, i);

		if (e->kind != ENT_ID || e->cont)
			continue;
		k = sc_is_hex_id(e->key) ? prefix_range(r, e->key, &first) : 0;
		if (k == 1) {
			cont_add(r, i, r->nk[first].k);
			c->st.short_joined++;
			continue;
		}
		if (cont_own(r, i))
			return -1;
		if (k > 1) {
			c->st.short_ambiguous++;
			sc_note(r, &r->b[r->nb - 1],
				"short id %s matches %zu containers; kept "
				"apart",
				e->key, k);
		}
	}
	return 0;
}

/* ---- rules 3 and 4: indexes of names and pods ---- */

/* The pod and namespace container k belongs to (its entities'). */
static void cont_pod(const struct sc_run *r, size_t k, const char **pod,
		     const char **ns)
{
	uint32_t i1;

	*pod = *ns = NULL;
	for (i1 = r->b[k].ent_head; i1; i1 = r->ent_next[i1 - 1]) {
		const struct sc_ent *e = sc_ent(r->c, i1 - 1);

		if (!*pod && e->pod)
			*pod = e->pod;
		if (!*ns && e->pod_ns)
			*ns = e->pod_ns;
	}
}

/* r->nk: (name, container) of the first nk containers, or (pod, ...). */
static int index_build(struct sc_run *r, size_t nk, int pods)
{
	const char *pod, *ns;
	uint32_t i1;
	size_t k, j;

	r->n_nk = 0;
	for (k = 0; k < nk; k++) {
		if (pods) {
			cont_pod(r, k, &pod, &ns);
			if (pod && nk_push(r, pod, k))
				return -1;
			continue;
		}
		for (i1 = r->b[k].ent_head; i1; i1 = r->ent_next[i1 - 1]) {
			const struct sc_ent *e = sc_ent(r->c, i1 - 1);

			for (j = 0; j < e->n_names; j++)
				if (nk_push(r, e->names[j], k))
					return -1;
		}
	}
	if (r->n_nk)
		qsort(r->nk, r->n_nk, sizeof(*r->nk), cmp_nk);
	return 0;
}

/* The distinct containers indexed under s (at most max) into cand. */
static size_t index_find(const struct sc_run *r, const char *s, long *cand,
			 size_t max)
{
	size_t lo = 0, hi = r->n_nk, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(r->nk[mid].s, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < r->n_nk && strcmp(r->nk[lo].s, s) == 0; lo++)
		if (n < max && (!n || cand[n - 1] != (long)r->nk[lo].k))
			cand[n++] = (long)r->nk[lo].k;
	return n;
}

/* Rule 3's choice among several containers named alike; -1 none. */
static long pick_by_time(const struct sc_run *r, const long *cand,
			 size_t n, int64_t t)
{
	long best = -1, inside = -1;
	size_t j, n_inside = 0;

	if (t == SC_NONE)
		return -1;
	for (j = 0; j < n; j++) {
		const struct sc_build *b = &r->b[cand[j]];

		if (b->first_ts == SC_NONE || b->first_ts > t)
			continue;
		if (b->last_ts != SC_NONE && t <= b->last_ts) {
			inside = cand[j];
			n_inside++;
		}
		if (best < 0 || b->first_ts > r->b[best].first_ts)
			best = cand[j];
	}
	return n_inside == 1 ? inside : best;
}

#define CAND_MAX 64

static int join_names(struct sc_run *r)
{
	struct sv_containers *c = r->c;
	long cand[CAND_MAX], pick;
	size_t n;
	uint32_t i;

	if (index_build(r, r->nb, 0))
		return -1;
	for (i = 0; i < c->ents.n; i++) {
		struct sc_ent *e = sc_ent(c, i);

		if (e->kind != ENT_NAME)
			continue;
		n = index_find(r, e->key, cand, CAND_MAX);
		pick = n == 1 ? cand[0] : pick_by_time(r, cand, n, e->first_ts);
		if (pick >= 0) {
			cont_add(r, i, (size_t)pick);
			c->st.names_joined++;
			continue;
		}
		if (cont_own(r, i))
			return -1;
		if (n > 1) {
			c->st.names_ambiguous++;
			sc_note(r, &r->b[r->nb - 1],
				"name %s belongs to %zu containers; kept "
				"apart",
				e->key, n);
		}
	}
	return 0;
}

/* 1 when container k had name. */
static int cont_has_name(const struct sc_run *r, size_t k, const char *name)
{
	uint32_t i1;
	size_t j;

	for (i1 = r->b[k].ent_head; i1; i1 = r->ent_next[i1 - 1]) {
		const struct sc_ent *e = sc_ent(r->c, i1 - 1);

		for (j = 0; j < e->n_names; j++)
			if (strcmp(e->names[j], name) == 0)
				return 1;
	}
	return 0;
}

/* 1 when a name of container k is hint, or docker's k8s_<hint>_... */
static int cont_is_k8s_name(const struct sc_run *r, size_t k,
			    const char *hint)
{
	char buf[SC_NAME_MAX + 8];
	uint32_t i1;
	size_t j, n;

	if (cont_has_name(r, k, hint))
		return 1;
	n = (size_t)snprintf(buf, sizeof(buf), "k8s_%s_", hint);
	if (n >= sizeof(buf))
		return 0;
	for (i1 = r->b[k].ent_head; i1; i1 = r->ent_next[i1 - 1]) {
		const struct sc_ent *e = sc_ent(r->c, i1 - 1);

		for (j = 0; j < e->n_names; j++)
			if (strncmp(e->names[j], buf, n) == 0)
				return 1;
	}
	return 0;
}

/* The container of a pod fact (index), or -1; *n_pod: the pod's. */
static long pod_match(const struct sc_run *r, const struct sc_ent *pe,
		      const char *hint, size_t *n_pod)
{
	long cand[CAND_MAX], one = -1, named = -1;
	size_t n, j, n_named = 0;
	const char *pod, *ns;

	*n_pod = 0;
	n = index_find(r, pe->key, cand, CAND_MAX);
	for (j = 0; j < n; j++) {
		cont_pod(r, (size_t)cand[j], &pod, &ns);
		if (ns && pe->ns[0] && strcmp(ns, pe->ns) != 0)
			continue;
		(*n_pod)++;
		one = cand[j];
		if (hint && cont_is_k8s_name(r, (size_t)cand[j], hint)) {
			named = cand[j];
			n_named++;
		}
	}
	if (n_named == 1)
		return named;
	return *n_pod == 1 && !n_named ? one : -1;
}

static int join_pods(struct sc_run *r)
{
	struct sv_containers *c = r->c;
	size_t i, n_pod;
	struct sc_ent *e;
	long k;

	if (index_build(r, r->nb, 1))
		return -1;
	for (i = 0; i < c->n_facts; i++) {
		struct sc_fact *f = &c->facts[i];

		if (!f->ent || sc_ent(c, f->ent - 1)->kind != ENT_POD)
			continue;
		e = sc_ent(c, f->ent - 1);
		k = pod_match(r, e, f->name, &n_pod);
		if (k >= 0) {
			f->cont = (uint32_t)k + 1;
			c->st.pods_joined++;
			continue;
		}
		if (!e->cont) {
			if (cont_own(r, f->ent - 1))
				return -1;
			if (n_pod > 1)
				sc_note(r, &r->b[r->nb - 1],
					"pod %s has %zu containers and a "
					"Kubernetes record names none of them",
					e->key, n_pod);
			e = sc_ent(c, f->ent - 1);
		}
		f->cont = e->cont;
	}
	return 0;
}

/* Entities no rule reached: their own container; but a pod whose
 * records all went to its containers is none. */
static int join_rest(struct sc_run *r)
{
	const struct sc_ent *e;
	uint32_t i;

	for (i = 0; i < r->c->ents.n; i++) {
		e = sc_ent(r->c, i);
		if (!e->cont && e->kind != ENT_POD && cont_own(r, i))
			return -1;
	}
	return 0;
}

static int join_all(struct sc_run *r)
{
	int rc;

	r->ent_next = calloc(r->c->ents.n + 1, sizeof(*r->ent_next));
	rc = r->ent_next ? 0 : -1;
	if (!rc)
		rc = join_ids(r);
	if (!rc)
		rc = join_short(r);
	if (!rc)
		rc = join_names(r);
	if (!rc)
		rc = join_pods(r);
	if (!rc)
		rc = join_rest(r);
	return rc;
}

/* ---- facts by container ---- */

struct okey {
	uint32_t cont, seq, idx;
	int64_t ts;
};

static int cmp_okey(const void *x, const void *y)
{
	const struct okey *a = x, *b = y;

	if (a->cont != b->cont)
		return a->cont < b->cont ? -1 : 1;
	if (a->ts != b->ts) {
		if (a->ts == SC_NONE || b->ts == SC_NONE)
			return a->ts == SC_NONE ? 1 : -1;
		return a->ts < b->ts ? -1 : 1;
	}
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* r->order: fact indices by (container, time, stream order); each
 * container's range in it. Facts of no container come first. */
static int order_facts(struct sc_run *r)
{
	struct sv_containers *c = r->c;
	struct okey *k;
	size_t i;

	r->order = malloc((c->n_facts + 1) * sizeof(*r->order));
	k = malloc((c->n_facts + 1) * sizeof(*k));
	if (!r->order || !k) {
		free(k);
		return -1;
	}
	for (i = 0; i < c->n_facts; i++) {
		struct sc_fact *f = &c->facts[i];

		if (!f->cont && f->ent)
			f->cont = sc_ent(c, f->ent - 1)->cont;
		k[i].cont = f->cont;
		k[i].seq = f->seq;
		k[i].ts = f->ts;
		k[i].idx = (uint32_t)i;
	}
	qsort(k, c->n_facts, sizeof(*k), cmp_okey);
	for (i = 0; i < c->n_facts; i++) {
		struct sc_build *b;

		r->order[i] = k[i].idx;
		if (!k[i].cont)
			continue;
		b = &r->b[k[i].cont - 1];
		if (!b->n_facts++)
			b->first_fact = i;
	}
	free(k);
	return 0;
}

/* Events of the facts no container holds: OOM kills outside containers,
 * a node's OOMKilling. */
static void host_events(struct sc_run *r)
{
	size_t i;

	for (i = 0; i < r->c->n_facts; i++) {
		const struct sc_fact *f = &r->c->facts[r->order[i]];
		struct sv_event *e;

		if (f->cont)
			break;
		if (f->kind == F_K8S) {
			sc_event(r, NULL, f, SV_EV_KERNEL_OOM, f->ts,
				 "Kubernetes: %s",
				 f->detail ? f->detail : "OOM kill on a node");
			continue;
		}
		if (f->kind != F_OOM)
			continue;
		r->c->st.oom_unattributed++;
		e = sc_event(r, NULL, f, SV_EV_KERNEL_OOM, f->ts,
			     "OOM killer killed pid %lld (%s)%s%s%s",
			     (long long)f->pid, f->name ? f->name : "?",
			     f->detail ? " in memory cgroup " : "",
			     f->detail ? f->detail : "",
			     f->ts == SC_NONE ? " (time unknown: no boot time "
						"in the bundle)"
					      : "");
		if (e) {
			e->pid = f->pid;
			e->pid_start = f->pid_start;
		}
	}
}

/* ---- the set ---- */

static int64_t sort_time(const struct sc_build *b)
{
	if (b->c->created_ns != SC_NONE)
		return b->c->created_ns;
	if (b->c->started_ns != SC_NONE)
		return b->c->started_ns;
	return b->first_ts;
}

static int cmp_build(const void *x, const void *y)
{
	const struct sc_build *a = *(const struct sc_build *const *)x;
	const struct sc_build *b = *(const struct sc_build *const *)y;
	int64_t ta = sort_time(a), tb = sort_time(b);

	if (ta != tb) {
		if (ta == SC_NONE || tb == SC_NONE)
			return ta == SC_NONE ? 1 : -1;
		return ta < tb ? -1 : 1;
	}
	return (a->first_seq > b->first_seq) - (a->first_seq < b->first_seq);
}

static int cmp_by_id(const void *x, const void *y)
{
	const struct sv_cont *a = *(const struct sv_cont *const *)x;
	const struct sv_cont *b = *(const struct sv_cont *const *)y;

	return strcmp(a->id, b->id);
}

static int list_containers(struct sc_run *r, struct sv_container_set *s)
{
	struct sc_build **p = malloc((r->nb + 1) * sizeof(*p));
	struct sv_cont **tail = &s->list;
	size_t i;

	s->by_id = sv_arena_calloc(r->c->arena, r->nb + 1, sizeof(*s->by_id));
	if (!p || !s->by_id) {
		free(p);
		return -1;
	}
	for (i = 0; i < r->nb; i++)
		p[i] = &r->b[i];
	qsort(p, r->nb, sizeof(*p), cmp_build);
	for (i = 0; i < r->nb; i++) {
		*tail = p[i]->c;
		tail = &p[i]->c->next;
		if (p[i]->c->id)
			s->by_id[s->n_by_id++] = p[i]->c;
	}
	s->n = r->nb;
	free(p);
	qsort(s->by_id, s->n_by_id, sizeof(*s->by_id), cmp_by_id);
	return 0;
}

struct ekey {
	struct sv_event *e;
	size_t i;
};

static int cmp_ekey(const void *x, const void *y)
{
	const struct ekey *a = x, *b = y;
	int64_t ta = a->e->ts_ns, tb = b->e->ts_ns;

	if (ta != tb) {
		if (ta == SC_NONE || tb == SC_NONE)
			return ta == SC_NONE ? 1 : -1;
		return ta < tb ? -1 : 1;
	}
	return (a->i > b->i) - (a->i < b->i);
}

static int list_events(struct sc_run *r, struct sv_container_set *s)
{
	struct ekey *k = malloc((r->n_ev + 1) * sizeof(*k));
	struct sv_event **tail = &s->events;
	size_t i;

	if (!k)
		return -1;
	for (i = 0; i < r->n_ev; i++) {
		k[i].e = r->ev[i];
		k[i].i = i;
	}
	qsort(k, r->n_ev, sizeof(*k), cmp_ekey);
	for (i = 0; i < r->n_ev; i++) {
		*tail = k[i].e;
		tail = &k[i].e->next;
	}
	*tail = NULL;
	s->n_events = r->n_ev;
	free(k);
	return 0;
}

static void run_free(struct sc_run *r)
{
	size_t i;

	for (i = 0; i < r->nb; i++)
		free(r->b[i].notes);
	free(r->b);
	free(r->ent_next);
	free(r->nk);
	free(r->order);
	free(r->snaps);
	free(r->ev);
}

static int build(struct sc_run *r, struct sv_container_set *s)
{
	size_t i;

	if (load_snaps(r))
		return -1;
	place_ooms(r);
	if (join_all(r) || order_facts(r))
		return -1;
	for (i = 0; i < r->nb && !r->nomem; i++)
		sc_fold(r, &r->b[i]);
	host_events(r);
	if (r->nomem || list_containers(r, s) || list_events(r, s))
		return -1;
	return 0;
}

enum sv_status sv_containers_build(struct sv_containers *c,
				   const struct sv_container_set **out,
				   struct sv_error *err)
{
	struct sv_container_set *s;
	struct sc_run r;
	int rc;

	if (c->built) {
		*out = c->built;
		return SV_OK;
	}
	memset(&r, 0, sizeof(r));
	r.c = c;
	s = sv_arena_alloc(c->arena, sizeof(*s));
	rc = s ? build(&r, s) : -1;
	run_free(&r);
	if (rc)
		return sv_error_set(err, SV_ERR_NOMEM, NULL,
				    "out of memory (containers)");
	c->st.containers = s->n;
	c->st.events = s->n_events;
	s->st = c->st;
	c->built = s;
	*out = s;
	return SV_OK;
}

/* ---- lookups ---- */

const struct sv_cont *
sv_containers_find(const struct sv_container_set *s, const char *id)
{
	size_t lo = 0, hi, n;

	if (!s || !id || !*id)
		return NULL;
	hi = s->n_by_id;
	n = strlen(id);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(s->by_id[mid]->id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n_by_id && strcmp(s->by_id[lo]->id, id) == 0)
		return s->by_id[lo];
	if (n < 4 || lo >= s->n_by_id ||
	    strncmp(s->by_id[lo]->id, id, n) != 0)
		return NULL;
	if (lo + 1 < s->n_by_id && strncmp(s->by_id[lo + 1]->id, id, n) == 0)
		return NULL;
	return s->by_id[lo];
}

const struct sv_cont *
sv_containers_find_name(const struct sv_container_set *s, const char *name)
{
	const struct sv_cont *c;
	size_t i;

	if (!s || !name)
		return NULL;
	for (c = s->list; c; c = c->next)
		for (i = 0; i < c->n_names; i++)
			if (strcmp(c->names[i], name) == 0)
				return c;
	return NULL;
}

const char *sv_container_label(const struct sv_cont *c)
{
	if (c && c->name)
		return c->name;
	if (c && c->short_id)
		return c->short_id;
	if (c && c->pod)
		return c->pod;
	return "unknown container";
}
