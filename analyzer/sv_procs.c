/*
 * sv_procs.c - what the process builder keeps from the records (rules in
 * sv_procs.h, tables in sv_procs_int.h; the build is sv_procs_build.c).
 *
 * Each proc/<T>/<pid>/ record updates its folder entry, created on first
 * sight whatever file of the folder comes first; nothing is joined while
 * the bundle streams (snapshots and files arrive in any order). Strings
 * are cleaned for people (sv_text_clean, tabs and newlines escaped too:
 * messages are one line) and interned in the arena, so a command line
 * seen in 100 snapshots is stored once.
 */
#include "sv_procs_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "sv_cgroup_id.h"
#include "sv_text.h"
#include "sv_time.h"

#define DEF_PROCESSES 1000000u
#define DEF_FOLDERS 16000000u
#define DEF_CHANGES 16u
#define DEF_STRING_BYTES (64u << 20)

/* ---- life cycle ---- */

static uint64_t or_default(uint64_t v, uint64_t def)
{
	return v ? v : def;
}

struct sv_procs *sv_procs_new_limits(struct sv_arena *arena,
				     const struct sv_procs_limits *lim)
{
	struct sv_procs *p = calloc(1, sizeof(*p));
	struct sv_procs_limits l = {0};

	if (!p)
		return NULL;
	if (lim)
		l = *lim;
	p->arena = arena;
	p->lim.max_processes = or_default(l.max_processes, DEF_PROCESSES);
	p->lim.max_folders = or_default(l.max_folders, DEF_FOLDERS);
	p->lim.max_changes = (uint32_t)or_default(l.max_changes, DEF_CHANGES);
	p->lim.max_string_bytes = or_default(l.max_string_bytes,
					     DEF_STRING_BYTES);
	if (getrandom(&p->seed, sizeof(p->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(p->seed))
		p->seed = (uint64_t)sv_time_now() ^ (uint64_t)(uintptr_t)p;
	p->host_btime_s = -1;
	sv_tab_init(&p->strs, sizeof(struct pr_str), SV_TAB_MAX);
	sv_tab_init(&p->snaps, sizeof(struct pr_snap), p->lim.max_folders);
	sv_tab_init(&p->folds, sizeof(struct pr_fold), p->lim.max_folders);
	return p;
}

struct sv_procs *sv_procs_new(struct sv_arena *arena)
{
	return sv_procs_new_limits(arena, NULL);
}

void sv_procs_free(struct sv_procs *p)
{
	if (!p)
		return;
	sv_tab_free(&p->strs);
	sv_tab_free(&p->snaps);
	sv_tab_free(&p->folds);
	free(p);
}

/* ---- interned, cleaned strings ---- */

/*
 * sv_text_clean of s[0..n) with tabs and newlines escaped as well, in a
 * malloc'd string (the caller frees), or NULL when out of memory.
 */
static char *clean_line(const char *s, size_t n, size_t max)
{
	char *c = sv_text_clean(NULL, s, n, max), *o;
	size_t i, k = 0, extra = 0;

	if (!c)
		return NULL;
	for (i = 0; c[i]; i++)
		extra += c[i] == '\n' || c[i] == '\t';
	if (!extra)
		return c;
	o = malloc(i + extra * 3 + 1);
	if (o) {
		for (i = 0; c[i]; i++) {
			if (c[i] == '\n' || c[i] == '\t') {
				memcpy(o + k, c[i] == '\n' ? "\\x0a" : "\\x09",
				       4);
				k += 4;
			} else {
				o[k++] = c[i];
			}
		}
		o[k] = '\0';
	}
	free(c);
	return o;
}

/* Intern the n bytes of an already clean s: 0 and *out (index + 1, 0
 * when over the budget, counted); -1 out of memory. */
static int intern_clean(struct sv_procs *p, const char *s, size_t n,
			uint32_t *out)
{
	uint64_t h = sv_hash_bytes(p->seed, s, n);
	struct pr_str *e;
	uint32_t i;
	char *copy;
	int rc;

	*out = 0;
	for (i = sv_tab_first(&p->strs, (uint32_t)h); i;
	     i = sv_tab_next(&p->strs, i)) {
		e = sv_tab_at(&p->strs, i - 1);
		if (e->l.hash == (uint32_t)h && !strncmp(e->s, s, n) &&
		    e->s[n] == '\0') {
			*out = i;
			return 0;
		}
	}
	if (p->string_bytes + n + 1 > p->lim.max_string_bytes) {
		p->st.strings_dropped++;
		return 0;
	}
	copy = sv_arena_strndup(p->arena, s, n);
	rc = copy ? sv_tab_add(&p->strs, h, &i) : -1;
	if (rc) {
		p->st.strings_dropped += rc > 0;
		return rc < 0 ? -1 : 0;
	}
	p->string_bytes += n + 1;
	e = sv_tab_at(&p->strs, i);
	e->s = copy;
	*out = i + 1;
	return 0;
}

/* Clean n bytes of s (at most max kept) and intern them; as above. */
static int intern(struct sv_procs *p, const char *s, size_t n, size_t max,
		  uint32_t *out)
{
	char *c;
	int rc;

	*out = 0;
	if (!s || !n)
		return 0;
	if (!memchr(s, '\n', n) && !memchr(s, '\t', n) &&
	    !memchr(s, '\0', n) && sv_text_is_clean(s, n, max))
		return intern_clean(p, s, n, out);
	c = clean_line(s, n, max);
	if (!c)
		return -1;
	rc = intern_clean(p, c, strlen(c), out);
	free(c);
	return rc;
}

static int intern_z(struct sv_procs *p, const char *s, uint32_t *out)
{
	return intern(p, s, s ? strnlen(s, PR_ARGV_JOIN) : 0, PR_NAME_MAX,
		      out);
}

/* ---- snapshots and folders ---- */

/* "proc/<T>" of a proc/<T>/... artifact, interned (0 when not one). */
static int snap_prefix(struct sv_procs *p, const char *artifact,
		       uint32_t *out)
{
	const char *s;

	*out = 0;
	if (!artifact || strncmp(artifact, "proc/", 5))
		return 0;
	s = strchr(artifact + 5, '/');
	if (!s || s == artifact + 5 || (size_t)(s - artifact) > PR_NAME_MAX)
		return 0;
	return intern(p, artifact, (size_t)(s - artifact), PR_NAME_MAX, out);
}

/*
 * The snapshot of ts (created): 0 and *out; 1 when the table is full;
 * -1 out of memory.
 */
static int snap_get(struct sv_procs *p, const struct sv_record *rec,
		    uint32_t *out)
{
	uint64_t h = sv_hash2(p->seed, (uint64_t)rec->ts_ns, 7);
	struct pr_snap *s;
	uint32_t i;
	int rc;

	for (i = sv_tab_first(&p->snaps, (uint32_t)h); i;
	     i = sv_tab_next(&p->snaps, i))
		if (pr_snap_at(p, i - 1)->ts == rec->ts_ns) {
			*out = i - 1;
			return 0;
		}
	rc = sv_tab_add(&p->snaps, h, &i);
	if (rc)
		return rc;
	s = pr_snap_at(p, i);
	s->ts = rec->ts_ns;
	*out = i;
	return snap_prefix(p, rec->artifact, &s->prefix);
}

uint32_t pr_fold_find(const struct sv_procs *p, int64_t ts, uint32_t pid)
{
	uint64_t h = sv_hash2(p->seed, (uint64_t)ts, pid);
	const struct pr_fold *f;
	uint32_t i;

	for (i = sv_tab_first(&p->folds, (uint32_t)h); i;
	     i = sv_tab_next(&p->folds, i)) {
		f = pr_fold_at(p, i - 1);
		if (f->ts == ts && f->pid == pid)
			return i;
	}
	return 0;
}

/*
 * The folder of rec (created on first sight): 0 and *out; 1 when a table
 * is full (counted); -1 out of memory.
 */
static int fold_get(struct sv_procs *p, const struct sv_record *rec,
		    uint32_t snap, struct pr_fold **out)
{
	uint64_t h = sv_hash2(p->seed, (uint64_t)rec->ts_ns, rec->pid);
	struct pr_fold *f;
	uint32_t i = p->last_fold;
	int rc;

	if (i && pr_fold_at(p, i - 1)->ts == rec->ts_ns &&
	    pr_fold_at(p, i - 1)->pid == rec->pid) {
		*out = pr_fold_at(p, i - 1);
		return 0;
	}
	i = pr_fold_find(p, rec->ts_ns, rec->pid);
	if (!i) {
		rc = sv_tab_add(&p->folds, h, &i);
		if (rc) {
			p->st.folders_dropped += rc > 0;
			return rc;
		}
		f = pr_fold_at(p, i);
		f->ts = rec->ts_ns;
		f->pid = rec->pid;
		f->snap = snap;
		f->uid = f->euid = f->gid = PR_UID_NONE;
		i++;
	}
	p->last_fold = i;
	*out = pr_fold_at(p, i - 1);
	return 0;
}

/* ---- per file ---- */

static uint32_t uid_of(int64_t v)
{
	return v >= 0 && v < (int64_t)PR_UID_NONE ? (uint32_t)v : PR_UID_NONE;
}

static int on_status(struct pr_fold *f, const struct sv_proc_status *s)
{
	int lev = s->ns_pid_levels;

	f->flags |= PF_STATUS;
	f->uid = uid_of(s->uid[0]);
	f->euid = uid_of(s->uid[1]);
	f->gid = uid_of(s->gid[0]);
	if (lev > 0 && lev <= SV_NS_LEVELS) {
		f->nslev = (uint8_t)lev;
		f->nspid = s->ns_pid[lev - 1];
	}
	if (s->has_caps) {
		f->flags |= PF_CAPS;
		f->cap_eff = s->cap_eff;
	}
	return 0;
}

/* argv joined by spaces (at most PR_ARGV_JOIN bytes), then cleaned. */
static int on_argv(struct sv_procs *p, struct pr_fold *f,
		   const struct sv_proc_argv *a)
{
	char buf[PR_ARGV_JOIN];
	size_t i, n = 0, k;

	if (a->kind != SV_ARGV_CMDLINE)
		return 0;
	for (i = 0; i < a->argc && n < sizeof(buf); i++) {
		if (!a->argv[i])
			continue;
		if (n)
			buf[n++] = ' ';
		k = strnlen(a->argv[i], sizeof(buf) - n);
		memcpy(buf + n, a->argv[i], k);
		n += k;
	}
	if (!n) {
		f->flags |= PF_ARGV0;
		return 0;
	}
	return intern(p, buf, n, SV_PROCS_CMDLINE_MAX, &f->cmd);
}

static int on_cgroup(struct sv_procs *p, struct pr_fold *f,
		     const struct sv_proc_cgroup *cg)
{
	struct sv_container_ref ref;

	if (!sv_cgroup_container(cg->path, &ref)) {
		if (ref.is_conmon)
			f->flags |= PF_MONITOR;
		return 0;
	}
	if (ref.is_conmon) {
		f->flags |= PF_MONITOR;
		return 0;
	}
	if (f->flags & PF_CGROUP)
		return 0;
	f->flags |= PF_CGROUP;
	return intern_clean(p, ref.id, strlen(ref.id), &f->cont);
}

static int on_link(struct sv_procs *p, struct pr_fold *f,
		   const struct sv_proc_link *l)
{
	if (l->kind == SV_LINK_EXE)
		return intern_z(p, l->target, &f->exe);
	if (l->kind == SV_LINK_CWD)
		return intern_z(p, l->target, &f->cwd);
	return 0;
}

static int on_fold(struct sv_procs *p, struct pr_fold *f,
		   const struct sv_record *rec)
{
	switch (rec->type) {
	case SV_REC_PROC_STAT:
		f->flags |= PF_STAT;
		f->start = rec->u.proc_stat.starttime;
		f->ppid = rec->u.proc_stat.ppid;
		if (!(f->flags & PF_COMM_FILE))
			return intern_z(p, rec->u.proc_stat.comm, &f->comm);
		return 0;
	case SV_REC_PROC_COMM:
		f->flags |= PF_COMM_FILE;
		return intern_z(p, rec->u.comm, &f->comm);
	case SV_REC_PROC_STATUS:
		return on_status(f, &rec->u.proc_status);
	case SV_REC_PROC_ARGV:
		return on_argv(p, f, &rec->u.proc_argv);
	case SV_REC_PROC_CGROUP:
		return on_cgroup(p, f, &rec->u.proc_cgroup);
	case SV_REC_PROC_LINK:
		return on_link(p, f, &rec->u.proc_link);
	case SV_REC_PROC_NS:
		if (rec->u.proc_ns.name && !strcmp(rec->u.proc_ns.name, "net"))
			f->netns = rec->u.proc_ns.inode;
		return 0;
	default:
		return 0;
	}
}

/* A proc/<T>/... record: its snapshot, and its folder's file. */
static int on_proc(struct sv_procs *p, const struct sv_record *rec)
{
	struct pr_fold *f;
	uint32_t snap;
	int rc;

	if (rec->ts_ns == SV_TIME_NONE)
		return 0;
	rc = snap_get(p, rec, &snap);
	if (rc)
		return rc < 0 ? -1 : 0;
	if (rec->type == SV_REC_HOST_STAT) {
		if (p->host_btime_s < 0 && rec->u.host_stat.btime_s >= 0)
			p->host_btime_s = rec->u.host_stat.btime_s;
		return 0;
	}
	if (!rec->pid || rec->type == SV_REC_HOST_UPTIME ||
	    rec->type == SV_REC_PROC_IO || rec->type == SV_REC_PROC_FD ||
	    rec->type == SV_REC_SOCKET || rec->type == SV_REC_UNIX_SOCKET)
		return 0;
	rc = fold_get(p, rec, snap, &f);
	if (rc)
		return rc < 0 ? -1 : 0;
	return on_fold(p, f, rec);
}

static void on_manifest(struct sv_procs *p, const struct sv_manifest *m)
{
	if (m->has_boot_time && m->boot_time_ns >= 0) {
		p->has_boot = 1;
		p->boot_ns = m->boot_time_ns;
	}
	if (m->has_clk_tck && m->clk_tck > 0)
		p->clk_tck = m->clk_tck;
}

enum sv_status sv_procs_record(struct sv_procs *p,
			       const struct sv_record *rec,
			       struct sv_error *err)
{
	int rc;

	switch (rec->type) {
	case SV_REC_MANIFEST:
		on_manifest(p, &rec->u.manifest);
		return SV_OK;
	case SV_REC_HOST_STAT: case SV_REC_HOST_UPTIME:
	case SV_REC_PROC_STAT: case SV_REC_PROC_STATUS: case SV_REC_PROC_ARGV:
	case SV_REC_PROC_CGROUP: case SV_REC_PROC_IO: case SV_REC_PROC_COMM:
	case SV_REC_PROC_LINK: case SV_REC_PROC_FD: case SV_REC_PROC_NS:
	case SV_REC_SOCKET: case SV_REC_UNIX_SOCKET:
		rc = p->built ? 0 : on_proc(p, rec);
		break;
	default:
		return SV_OK;
	}
	if (rc < 0)
		return sv_error_set(err, SV_ERR_NOMEM, rec->artifact,
				    "out of memory (processes)");
	return SV_OK;
}
