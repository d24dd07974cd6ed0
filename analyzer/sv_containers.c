/*
 * sv_containers.c - what the container join keeps from the records while
 * the bundle streams (rules in sv_containers.h, tables in
 * sv_containers_int.h; the join is sv_containers_join.c).
 *
 * Bulk evidence (/proc cgroup lines, cgroup values, journal lines) only
 * updates the entity it names; records that become events or carry many
 * fields (runtime events, inspect, audit, k8s events, OOM kills) are kept
 * as facts. Strings are cleaned and interned in the arena within the
 * string budget.
 */
#include "sv_containers_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "sv_cgroup_id.h"
#include "sv_text.h"

#define DEF_CONTAINERS 100000u
#define DEF_KEPT 1000000u
#define DEF_FOLDERS 2000000u
#define DEF_STRING_BYTES (64u << 20)
#define SNAPS_MAX 1000000u
#define AUDITS_MAX 1000000u

/* ---- life cycle ---- */

static uint64_t or_default(uint64_t v, uint64_t def)
{
	return v ? v : def;
}

struct sv_containers *
sv_containers_new_limits(struct sv_arena *arena,
			 const struct sv_containers_limits *lim)
{
	struct sv_containers *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->arena = arena;
	if (lim)
		c->lim = *lim;
	c->lim.max_containers = or_default(c->lim.max_containers,
					   DEF_CONTAINERS);
	c->lim.max_kept = or_default(c->lim.max_kept, DEF_KEPT);
	c->lim.max_folders = or_default(c->lim.max_folders, DEF_FOLDERS);
	c->lim.max_string_bytes = or_default(c->lim.max_string_bytes,
					     DEF_STRING_BYTES);
	if (getrandom(&c->seed, sizeof(c->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(c->seed))
		c->seed = (uint64_t)sv_time_now() ^ (uint64_t)(uintptr_t)c;
	sv_tab_init(&c->strs, sizeof(struct sc_str), SV_TAB_MAX);
	sv_tab_init(&c->ents, sizeof(struct sc_ent), c->lim.max_containers);
	sv_tab_init(&c->folders, sizeof(struct sc_folder),
		    c->lim.max_folders);
	sv_tab_init(&c->pids, sizeof(struct sc_pid), c->lim.max_folders);
	sv_tab_init(&c->snaps, sizeof(struct sc_snap), SNAPS_MAX);
	sv_tab_init(&c->audits, sizeof(struct sc_audit), AUDITS_MAX);
	c->boot_manifest_ns = SC_NONE;
	c->boot_stat_ns = SC_NONE;
	c->bundle_start = SC_NONE;
	c->bundle_end = SC_NONE;
	return c;
}

struct sv_containers *sv_containers_new(struct sv_arena *arena)
{
	return sv_containers_new_limits(arena, NULL);
}

void sv_containers_free(struct sv_containers *c)
{
	if (!c)
		return;
	sv_tab_free(&c->strs);
	sv_tab_free(&c->ents);
	sv_tab_free(&c->folders);
	sv_tab_free(&c->pids);
	sv_tab_free(&c->snaps);
	sv_tab_free(&c->audits);
	free(c->facts);
	free(c->cg_last);
	free(c);
}

/* ---- strings ---- */

static const char *intern_clean(struct sv_containers *c, const char *s,
				size_t n, int *nomem)
{
	uint64_t h = sv_hash_bytes(c->seed, s, n);
	struct sc_str *e;
	uint32_t i1, idx;
	char *copy;
	int rc;

	for (i1 = sv_tab_first(&c->strs, (uint32_t)h); i1;
	     i1 = sv_tab_next(&c->strs, i1)) {
		e = sv_tab_at(&c->strs, i1 - 1);
		if (e->l.hash == (uint32_t)h && strncmp(e->s, s, n) == 0 &&
		    e->s[n] == '\0')
			return e->s;
	}
	if (c->string_bytes + n + 1 > c->lim.max_string_bytes) {
		c->st.strings_dropped++;
		return NULL;
	}
	copy = sv_arena_strndup(c->arena, s, n);
	rc = copy ? sv_tab_add(&c->strs, h, &idx) : -1;
	if (rc) {
		*nomem = 1;
		return NULL;
	}
	e = sv_tab_at(&c->strs, idx);
	e->s = copy;
	c->string_bytes += n + 1;
	return copy;
}

/* s[0..n) with '\n' and '\t' written as sv_text escapes: every string
 * kept here is shown on one line. NULL when out of memory. */
static char *one_line(const char *s, size_t n)
{
	char *out = malloc(n * 4 + 1);
	size_t i, o = 0;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '\n' || s[i] == '\t') {
			memcpy(out + o, s[i] == '\n' ? "\\x0a" : "\\x09", 4);
			o += 4;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

const char *sc_intern(struct sv_containers *c, const char *s, size_t max,
		      int *nomem)
{
	size_t n = strlen(s);
	char *tmp, *flat = NULL;
	const char *out;

	if (n <= max && !memchr(s, '\n', n) && !memchr(s, '\t', n) &&
	    sv_text_is_clean(s, n, max))
		return intern_clean(c, s, n, nomem);
	if (memchr(s, '\n', n) || memchr(s, '\t', n)) {
		flat = one_line(s, n);
		if (!flat) {
			*nomem = 1;
			return NULL;
		}
		s = flat;
		n = strlen(flat);
	}
	tmp = sv_text_clean(NULL, s, n, max);
	free(flat);
	if (!tmp) {
		*nomem = 1;
		return NULL;
	}
	out = intern_clean(c, tmp, strlen(tmp), nomem);
	free(tmp);
	return out;
}

/* Interned id: hex digits lowercased (ids are hex in every runtime; a
 * hostile upper-case copy is the same container). */
static const char *intern_id(struct sv_containers *c, const char *s,
			     int *nomem)
{
	char buf[SC_ID_MAX + 1];
	size_t n = strnlen(s, SC_ID_MAX), i;
	int hex = n > 0;

	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (ch >= 'A' && ch <= 'F')
			ch = (char)(ch - 'A' + 'a');
		else if (!((ch >= '0' && ch <= '9') ||
			   (ch >= 'a' && ch <= 'f')))
			hex = 0;
		buf[i] = ch;
	}
	buf[n] = '\0';
	return sc_intern(c, hex ? buf : s, SC_ID_MAX, nomem);
}

int sc_is_hex_id(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (i >= SV_CONTAINER_ID_LEN ||
		    !((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i > 0;
}

int sc_is_full_id(const char *s)
{
	return sc_is_hex_id(s) && strlen(s) == SV_CONTAINER_ID_LEN;
}

const char *sc_runtime_name(enum sv_runtime rt)
{
	static const char *const names[] = {
		"docker", "podman", "containerd", "CRI-O", "Kubernetes",
		"systemd", "the runtime"};

	return (unsigned)rt < sizeof(names) / sizeof(names[0])
		       ? names[rt]
		       : "the runtime";
}

/* The record's artifact, interned (records of one member share it). */
static const char *artifact(struct sv_containers *c,
			    const struct sv_record *rec, int *nomem)
{
	if (!rec->artifact)
		return NULL;
	if (c->last_artifact && strcmp(c->last_artifact, rec->artifact) == 0)
		return c->last_artifact;
	c->last_artifact = sc_intern(c, rec->artifact, SC_PATH_MAX, nomem);
	return c->last_artifact;
}

/* ---- entities ---- */

/* The entity (kind, key, ns): 0 with *out; 1 at the cap or over the
 * string budget (counted); -1 out of memory. */
static int ent_get(struct sv_containers *c, int kind, const char *key,
		   const char *ns, uint32_t *out)
{
	uint64_t h = sv_hash2(sv_hash_bytes(c->seed, key, strlen(key)), kind,
			      sv_hash_bytes(c->seed, ns, strlen(ns)));
	struct sc_ent *e;
	uint32_t i1, idx;
	int rc;

	for (i1 = sv_tab_first(&c->ents, (uint32_t)h); i1;
	     i1 = sv_tab_next(&c->ents, i1)) {
		e = sc_ent(c, i1 - 1);
		if (e->kind == kind && strcmp(e->key, key) == 0 &&
		    strcmp(e->ns, ns) == 0) {
			*out = i1 - 1;
			return 0;
		}
	}
	rc = sv_tab_add(&c->ents, h, &idx);
	if (rc == 1)
		c->st.containers_dropped++;
	if (rc)
		return rc;
	e = sc_ent(c, idx);
	e->kind = (uint8_t)kind;
	e->key = key;
	e->ns = ns;
	e->rt_cgroup = e->rt_event = SV_RT_UNKNOWN;
	e->first_ts = e->last_ts = SC_NONE;
	e->proc_first = e->proc_last = SC_NONE;
	e->cg_first = e->cg_last = SC_NONE;
	*out = idx;
	return 0;
}

/* The entity of a raw id (interned here): as ent_get. */
static int ent_by_id(struct sv_containers *c, const char *id,
		     uint32_t *out)
{
	int nomem = 0;
	const char *k = intern_id(c, id, &nomem);

	if (!k)
		return nomem ? -1 : 1;
	return ent_get(c, ENT_ID, k, "", out);
}

static int ent_by_name(struct sv_containers *c, int kind, const char *name,
		       const char *ns, uint32_t *out)
{
	int nomem = 0;
	const char *k = sc_intern(c, name, SC_NAME_MAX, &nomem);
	const char *n = k ? sc_intern(c, ns, SC_NAME_MAX, &nomem) : NULL;

	if (!n)
		return nomem ? -1 : 1;
	return ent_get(c, kind, k, n, out);
}

static void span_update(int64_t *lo, int64_t *hi, int64_t ts)
{
	if (ts == SC_NONE)
		return;
	if (*lo == SC_NONE || ts < *lo)
		*lo = ts;
	if (*hi == SC_NONE || ts > *hi)
		*hi = ts;
}

static void ent_touch(struct sc_ent *e, int src, int64_t ts)
{
	e->sources |= 1u << src;
	span_update(&e->first_ts, &e->last_ts, ts);
}

/* Add an interned string to a small set (kept once, capped). */
static void set_add(const char **set, uint8_t *n, size_t max, const char *s)
{
	size_t i;

	if (!s || !*s)
		return;
	for (i = 0; i < *n; i++)
		if (set[i] == s)
			return;
	if (*n < max)
		set[(*n)++] = s;
}

static int ent_name(struct sv_containers *c, struct sc_ent *e,
		    const char *name)
{
	int nomem = 0;
	const char *s;
	size_t i;

	if (!name || !*name)
		return 0;
	for (i = 0; i < e->n_names; i++)
		if (strcmp(e->names[i], name) == 0)
			return 0;
	if (e->n_names >= SV_CONT_NAMES_MAX)
		return 0;
	s = sc_intern(c, name, SC_NAME_MAX, &nomem);
	set_add(e->names, &e->n_names, SV_CONT_NAMES_MAX, s);
	return nomem ? -1 : 0;
}

/* The pod and namespace a record gives (first ones win). */
static int ent_pod(struct sv_containers *c, struct sc_ent *e,
		   const char *pod, const char *ns)
{
	int nomem = 0;

	if (!e->pod && pod && *pod)
		e->pod = sc_intern(c, pod, SC_NAME_MAX, &nomem);
	if (!e->pod_ns && ns && *ns)
		e->pod_ns = sc_intern(c, ns, SC_NAME_MAX, &nomem);
	return nomem ? -1 : 0;
}

/* ---- facts ---- */

/* A new zeroed fact about entity ent (+1, 0 none), or NULL: *nomem set,
 * or over the cap (counted). */
struct sc_fact *sc_fact_new(struct sv_containers *c,
			    const struct sv_record *rec, int kind, int src,
			    uint32_t ent1, int *nomem)
{
	struct sc_fact *f;

	if (c->n_facts >= c->lim.max_kept) {
		c->st.kept_dropped++;
		return NULL;
	}
	if (c->n_facts == c->cap_facts) {
		size_t ncap = c->cap_facts ? c->cap_facts * 2 : 64;

		f = realloc(c->facts, ncap * sizeof(*f));
		if (!f) {
			*nomem = 1;
			return NULL;
		}
		c->facts = f;
		c->cap_facts = ncap;
	}
	f = &c->facts[c->n_facts++];
	memset(f, 0, sizeof(*f));
	f->ent = ent1;
	f->seq = c->seq++;
	f->kind = (uint8_t)kind;
	f->src = (uint8_t)src;
	f->ts = rec->ts_ns;
	f->boot_ns = SC_NONE;
	f->pid = -1;
	f->line = rec->line;
	f->rt = SV_RT_UNKNOWN;
	f->artifact = artifact(c, rec, nomem);
	return f;
}

/* Interned copy for a fact field; "" stays NULL. */
static const char *fs(struct sv_containers *c, const char *s, size_t max,
		      int *nomem)
{
	return s && *s ? sc_intern(c, s, max, nomem) : NULL;
}

/* ---- snapshots and folders ---- */

static int note_snap(struct sv_containers *c, int64_t ts)
{
	uint64_t h = sv_hash2(c->seed, (uint64_t)ts, 7);
	struct sc_snap *s;
	uint32_t i1, idx;
	int rc;

	for (i1 = sv_tab_first(&c->snaps, (uint32_t)h); i1;
	     i1 = sv_tab_next(&c->snaps, i1))
		if (((struct sc_snap *)sv_tab_at(&c->snaps, i1 - 1))->ts == ts)
			return 0;
	rc = sv_tab_add(&c->snaps, h, &idx);
	if (rc)
		return rc < 0 ? -1 : 0;
	s = sv_tab_at(&c->snaps, idx);
	s->ts = ts;
	return 0;
}

const struct sc_folder *sc_folder_find(const struct sv_containers *c,
				       int64_t ts, uint32_t pid)
{
	uint64_t h = sv_hash2(c->seed, (uint64_t)ts, pid);
	const struct sc_folder *f;
	uint32_t i1;

	for (i1 = sv_tab_first(&c->folders, (uint32_t)h); i1;
	     i1 = sv_tab_next(&c->folders, i1)) {
		f = sv_tab_at(&c->folders, i1 - 1);
		if (f->ts == ts && f->pid == pid)
			return f;
	}
	return NULL;
}

/* The folder of a proc record, created on first sight; NULL at the cap
 * or out of memory (*nomem). */
static struct sc_folder *folder_get(struct sv_containers *c,
				    const struct sv_record *rec, int *nomem)
{
	uint64_t h = sv_hash2(c->seed, (uint64_t)rec->ts_ns, rec->pid);
	struct sc_folder *f;
	uint32_t idx;
	int rc;

	if (c->last_folder) {
		f = sv_tab_at(&c->folders, c->last_folder - 1);
		if (f->ts == rec->ts_ns && f->pid == rec->pid)
			return f;
	}
	f = (struct sc_folder *)sc_folder_find(c, rec->ts_ns, rec->pid);
	if (!f) {
		if (note_snap(c, rec->ts_ns)) {
			*nomem = 1;
			return NULL;
		}
		rc = sv_tab_add(&c->folders, h, &idx);
		if (rc) {
			*nomem = rc < 0;
			return NULL;
		}
		f = sv_tab_at(&c->folders, idx);
		f->ts = rec->ts_ns;
		f->pid = rec->pid;
	}
	c->last_folder = (uint32_t)(f - (struct sc_folder *)c->folders.v) + 1;
	return f;
}

/* Count (ent, pid) once. */
static int note_pid(struct sv_containers *c, uint32_t ent, uint32_t pid)
{
	uint64_t h = sv_hash2(c->seed, ent, pid);
	struct sc_pid *p;
	uint32_t i1, idx;
	int rc;

	for (i1 = sv_tab_first(&c->pids, (uint32_t)h); i1;
	     i1 = sv_tab_next(&c->pids, i1)) {
		p = sv_tab_at(&c->pids, i1 - 1);
		if (p->ent == ent && p->pid == pid)
			return 0;
	}
	rc = sv_tab_add(&c->pids, h, &idx);
	if (rc)
		return rc < 0 ? -1 : 0;
	p = sv_tab_at(&c->pids, idx);
	p->ent = ent;
	p->pid = pid;
	sc_ent(c, ent)->procs++;
	return 0;
}

/* ---- bulk evidence ---- */

/* A cgroup path with a leading '/', interned, added to the entity. */
static int ent_cgroup(struct sv_containers *c, struct sc_ent *e,
		      const char *path)
{
	char buf[SC_PATH_MAX + 2];
	size_t n = strnlen(path, SC_PATH_MAX), i;
	int nomem = 0;
	const char *s;

	if (e->n_cgroups >= SV_CONT_CGROUPS_MAX)
		return 0;
	buf[0] = '/';
	memcpy(buf + (path[0] != '/'), path, n);
	buf[n + (path[0] != '/')] = '\0';
	for (i = 0; i < e->n_cgroups; i++)
		if (strcmp(e->cgroups[i], buf) == 0)
			return 0;
	s = sc_intern(c, buf, SC_PATH_MAX + 1, &nomem);
	set_add(e->cgroups, &e->n_cgroups, SV_CONT_CGROUPS_MAX, s);
	return nomem ? -1 : 0;
}

/* The entity of a cgroup path's container: 0 with *out (+1, 0: none);
 * -1 out of memory. */
static int cgroup_ent(struct sv_containers *c, const char *path,
		      struct sv_container_ref *ref, uint32_t *out)
{
	uint32_t idx;
	int rc;

	*out = 0;
	if (!sv_cgroup_container(path, ref))
		return 0;
	rc = ent_by_id(c, ref->id, &idx);
	if (rc)
		return rc < 0 ? -1 : 0;
	*out = idx + 1;
	return 0;
}

static int ent_cgroup_ref(struct sv_containers *c, struct sc_ent *e,
			  const struct sv_container_ref *ref)
{
	int nomem = 0;

	if (ref->runtime != SV_RT_UNKNOWN &&
	    (e->rt_cgroup == SV_RT_UNKNOWN || e->rt_cgroup == SV_RT_K8S))
		e->rt_cgroup = (uint8_t)ref->runtime;
	if (!e->pod_uid && ref->pod_uid[0])
		e->pod_uid = sc_intern(c, ref->pod_uid, SV_POD_UID_MAX,
				       &nomem);
	return nomem ? -1 : 0;
}

static int on_proc_cgroup(struct sv_containers *c,
			  const struct sv_record *rec)
{
	struct sv_container_ref ref;
	struct sc_folder *fo;
	struct sc_ent *e;
	uint32_t ent1;
	int nomem = 0;

	if (cgroup_ent(c, rec->u.proc_cgroup.path, &ref, &ent1))
		return -1;
	if (!ent1)
		return 0;
	c->st.records++;
	e = sc_ent(c, ent1 - 1);
	ent_touch(e, SV_SRC_PROC, rec->ts_ns);
	if (ent_cgroup_ref(c, e, &ref))
		return -1;
	if (ref.is_conmon) {
		e->conmon = 1;
		return 0;
	}
	if (ent_cgroup(c, e, rec->u.proc_cgroup.path))
		return -1;
	span_update(&e->proc_first, &e->proc_last, rec->ts_ns);
	fo = folder_get(c, rec, &nomem);
	if (fo && !fo->ent)
		fo->ent = ent1;
	if (nomem || note_pid(c, ent1 - 1, rec->pid))
		return -1;
	return 0;
}

static int on_proc_stat(struct sv_containers *c, const struct sv_record *rec)
{
	struct sc_folder *fo;
	int nomem = 0;

	fo = folder_get(c, rec, &nomem);
	if (fo)
		fo->start = rec->u.proc_stat.starttime;
	return nomem ? -1 : 0;
}

/* Remember the last cgroup value path and its entity: a snapshot gives
 * hundreds of values per cgroup folder. */
static int cache_cgroup(struct sv_containers *c, const char *path,
			uint32_t ent1)
{
	size_t n = strlen(path) + 1;

	if (n > c->cg_cap) {
		char *p = realloc(c->cg_last, n);

		if (!p)
			return -1;
		c->cg_last = p;
		c->cg_cap = n;
	}
	memcpy(c->cg_last, path, n);
	c->cg_ent = ent1;
	return 0;
}

static int on_cgroup_value(struct sv_containers *c,
			   const struct sv_record *rec)
{
	const char *path = rec->u.cgroup.cgroup;
	struct sv_container_ref ref;
	struct sc_ent *e;
	uint32_t ent1;

	if (!path)
		return 0;
	if (c->cg_last && strcmp(c->cg_last, path) == 0) {
		ent1 = c->cg_ent;
	} else {
		if (cgroup_ent(c, path, &ref, &ent1) ||
		    cache_cgroup(c, path, ent1))
			return -1;
		if (ent1 && ent_cgroup_ref(c, sc_ent(c, ent1 - 1), &ref))
			return -1;
		if (ent1 && !ref.is_conmon &&
		    ent_cgroup(c, sc_ent(c, ent1 - 1), path))
			return -1;
	}
	if (!ent1)
		return 0;
	c->st.records++;
	e = sc_ent(c, ent1 - 1);
	ent_touch(e, SV_SRC_CGROUP, rec->ts_ns);
	span_update(&e->cg_first, &e->cg_last, rec->ts_ns);
	return note_snap(c, rec->ts_ns);
}

/* The entity a lifecycle record names: by id, else by name, else by pod;
 * 0 with *out (+1, 0: names none), -1 out of memory. */
int sc_named_ent(struct sv_containers *c, const char *id, const char *name,
		 const char *pod, const char *ns, uint32_t *out)
{
	uint32_t idx;
	int rc;

	*out = 0;
	if (id && *id)
		rc = ent_by_id(c, id, &idx);
	else if (name && *name)
		rc = ent_by_name(c, ENT_NAME, name, "", &idx);
	else if (pod && *pod)
		rc = ent_by_name(c, ENT_POD, pod, ns ? ns : "", &idx);
	else
		return 0;
	if (rc)
		return rc < 0 ? -1 : 0;
	*out = idx + 1;
	return 0;
}

static int on_journal(struct sv_containers *c, const struct sv_record *rec)
{
	const struct sv_journal *j = &rec->u.journal;
	uint32_t ent1;
	struct sc_ent *e;

	if (sc_named_ent(c, j->container_id, j->container_name, NULL, NULL,
		      &ent1))
		return -1;
	if (!ent1)
		return 0;
	c->st.records++;
	e = sc_ent(c, ent1 - 1);
	ent_touch(e, SV_SRC_JOURNAL, rec->ts_ns);
	return ent_name(c, e, j->container_name);
}

/* ---- kept records ---- */

static int on_runtime(struct sv_containers *c, const struct sv_record *rec)
{
	const struct sv_runtime_event *ev = &rec->u.runtime;
	struct sc_fact *f;
	struct sc_ent *e;
	uint32_t ent1;
	int nomem = 0;

	if (ev->type && *ev->type && strcmp(ev->type, "container") != 0)
		return 0;
	if (sc_named_ent(c, ev->id, ev->name, ev->pod, ev->k8s_namespace,
		      &ent1))
		return -1;
	if (!ent1)
		return 0;
	c->st.records++;
	e = sc_ent(c, ent1 - 1);
	ent_touch(e, SV_SRC_RUNTIME, rec->ts_ns);
	if (ent_name(c, e, ev->name) ||
	    ent_pod(c, e, ev->pod, ev->k8s_namespace))
		return -1;
	if (ev->runtime != SV_RT_UNKNOWN && e->rt_event == SV_RT_UNKNOWN)
		e->rt_event = (uint8_t)ev->runtime;
	f = sc_fact_new(c, rec, F_RUNTIME, SV_SRC_RUNTIME, ent1, &nomem);
	if (!f)
		return nomem ? -1 : 0;
	f->rt = (uint8_t)ev->runtime;
	f->action = fs(c, ev->action, SC_NAME_MAX, &nomem);
	f->name = fs(c, ev->name, SC_NAME_MAX, &nomem);
	f->image = fs(c, ev->image, SC_NAME_MAX, &nomem);
	f->detail = fs(c, ev->detail, SC_TEXT_MAX, &nomem);
	f->has_exit = (uint8_t)(ev->has_exit_code != 0);
	f->exit_code = ev->exit_code;
	return nomem ? -1 : 0;
}

static int on_kernel(struct sv_containers *c, const struct sv_record *rec)
{
	const struct sv_kernel *k = &rec->u.kernel;
	struct sv_container_ref ref;
	struct sc_fact *f;
	uint32_t ent1 = 0;
	int nomem = 0;

	if (k->kind != SV_KERN_OOM_KILL || k->oom_detail)
		return 0;
	c->st.records++;
	c->st.oom_kills++;
	if (k->memcg && *k->memcg && cgroup_ent(c, k->memcg, &ref, &ent1))
		return -1;
	if (ent1)
		ent_touch(sc_ent(c, ent1 - 1), SV_SRC_KERNEL, SC_NONE);
	f = sc_fact_new(c, rec, F_OOM, SV_SRC_KERNEL, ent1, &nomem);
	if (!f)
		return nomem ? -1 : 0;
	f->ts = rec->ts_ns; /* NONE: set from boot_ns at build */
	f->boot_ns = k->boot_ns;
	f->pid = k->pid;
	f->name = fs(c, k->comm, SC_NAME_MAX, &nomem);
	f->detail = fs(c, k->memcg, SC_PATH_MAX, &nomem);
	return nomem ? -1 : 0;
}

static int on_manifest(struct sv_containers *c, const struct sv_record *rec)
{
	const struct sv_manifest *m = &rec->u.manifest;

	if (m->has_boot_time && c->boot_manifest_ns == SC_NONE)
		c->boot_manifest_ns = m->boot_time_ns;
	if (c->bundle_start == SC_NONE) {
		c->bundle_start = m->started_ns;
		c->bundle_end = m->ended_ns;
	}
	return 0;
}

static int on_host_stat(struct sv_containers *c, const struct sv_record *rec)
{
	int64_t b = rec->u.host_stat.btime_s;

	if (b >= 0 && b < INT64_MAX / SV_NS_PER_SEC &&
	    c->boot_stat_ns == SC_NONE)
		c->boot_stat_ns = b * SV_NS_PER_SEC;
	return 0;
}

static int dispatch(struct sv_containers *c, const struct sv_record *rec)
{
	switch (rec->type) {
	case SV_REC_PROC_CGROUP:
		return on_proc_cgroup(c, rec);
	case SV_REC_PROC_STAT:
		return on_proc_stat(c, rec);
	case SV_REC_CGROUP_VALUE:
		return on_cgroup_value(c, rec);
	case SV_REC_RUNTIME_EVENT:
		return on_runtime(c, rec);
	case SV_REC_INSPECT:
		return sc_on_inspect(c, rec);
	case SV_REC_K8S_AUDIT:
		return sc_on_audit(c, rec);
	case SV_REC_K8S_EVENT:
		return sc_on_k8s_event(c, rec);
	case SV_REC_JOURNAL:
		return on_journal(c, rec);
	case SV_REC_KERNEL:
		return on_kernel(c, rec);
	case SV_REC_MANIFEST:
		return on_manifest(c, rec);
	case SV_REC_HOST_STAT:
		return on_host_stat(c, rec);
	default:
		return 0;
	}
}

enum sv_status sv_containers_record(struct sv_containers *c,
				    const struct sv_record *rec,
				    struct sv_error *err)
{
	if (c->built)
		return SV_OK;
	if (dispatch(c, rec) < 0)
		return sv_error_set(err, SV_ERR_NOMEM, rec->artifact,
				    "out of memory (containers)");
	return SV_OK;
}

int sc_ent_said(struct sv_containers *c, uint32_t ent1, int src,
		int64_t ts, const char *name, const char *pod,
		const char *ns)
{
	struct sc_ent *e = sc_ent(c, ent1 - 1);

	ent_touch(e, src, ts);
	if (ent_name(c, e, name) || ent_pod(c, e, pod, ns))
		return -1;
	return 0;
}
