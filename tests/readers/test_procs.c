/*
 * test_procs.c - analyzer/sv_procs: every process across the /proc
 * snapshots of a bundle: the unit cases (the samples are
 * test_procs_samples.c).
 *
 * They run small scripts of synthetic records (struct sv_record as
 * the proc readers emit them: stat, status, cmdline, exe/cwd links,
 * cgroup and ns lines, host stat, manifest) through sv_procs_record and
 * sv_procs_build and check every field they are about. Every result,
 * including the samples', also goes through check_props: identities are
 * unique, parents started no later than their children, exit windows
 * are ordered and inside the snapshot range, the tree and the event list
 * are consistent. The end-to-end cases run samples/web-incident and
 * samples/web-clean through sv_pipeline_run (proving commands above
 * incident_sample).
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procs_check.h"
#include "sv_arena.h"
#include "sv_procs.h"
#include "sv_time.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define SEC 1000000000LL
#define MS 1000000LL

#define ID_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ID_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define CG_A "/libpod_parent/libpod-" ID_A
#define CG_B "/libpod_parent/libpod-" ID_B
#define CG_MON "/libpod_parent/conmon"

/* ------------------------------------------------------ the scripts */

enum opk { O_MAN, O_HOST, O_STAT, O_STATUS, O_CMD, O_EXE, O_CWD, O_CG,
	   O_NS, O_COMM };

struct op {
	enum opk k;
	int t;             /* snapshot: proc/<t>.000/ */
	uint32_t pid, ppid;
	uint64_t n;        /* start ticks, caps, netns, btime, boot */
	int64_t uid, euid;
	uint32_t nspid;    /* 0: one NSpid level */
	int flag;          /* status: caps known; manifest: clk_tck */
	const char *s;
};

#define MAN(boot_s, clk) {O_MAN, 0, 0, 0, (boot_s), 0, 0, 0, (clk), NULL}
#define HOST(t, btime) {O_HOST, (t), 0, 0, (btime), 0, 0, 0, 0, NULL}
#define STAT(t, pid, ppid, start, comm) \
	{O_STAT, (t), (pid), (ppid), (start), 0, 0, 0, 0, (comm)}
#define STATUS(t, pid, uid, euid, nspid, caps) \
	{O_STATUS, (t), (pid), 0, (caps), (uid), (euid), (nspid), 1, NULL}
#define CMD(t, pid, s) {O_CMD, (t), (pid), 0, 0, 0, 0, 0, 0, (s)}
#define EXE(t, pid, s) {O_EXE, (t), (pid), 0, 0, 0, 0, 0, 0, (s)}
#define CWD(t, pid, s) {O_CWD, (t), (pid), 0, 0, 0, 0, 0, 0, (s)}
#define CG(t, pid, s) {O_CG, (t), (pid), 0, 0, 0, 0, 0, 0, (s)}
#define NS(t, pid, ino) {O_NS, (t), (pid), 0, (ino), 0, 0, 0, 0, NULL}
#define COMM(t, pid, s) {O_COMM, (t), (pid), 0, 0, 0, 0, 0, 0, (s)}

static char g_path[128];
static char g_argbuf[8192];
static const char *g_argv[64];

static void rec_init(struct sv_record *r, enum sv_record_type type,
		     const struct op *o, const char *leaf)
{
	memset(r, 0, sizeof(*r));
	if (o->pid)
		snprintf(g_path, sizeof(g_path), "proc/%d.000/%u/%s", o->t,
			 o->pid, leaf);
	else
		snprintf(g_path, sizeof(g_path), "proc/%d.000/%s", o->t, leaf);
	r->type = type;
	r->artifact = g_path;
	r->ts_ns = o->t * SEC;
	r->pid = o->pid;
}

/* cmdline "a b c" as argv (split at spaces); "" is argc 0. */
static void split_argv(struct sv_proc_argv *a, const char *s)
{
	size_t n = 0;
	char *p;

	snprintf(g_argbuf, sizeof(g_argbuf), "%s", s);
	p = g_argbuf;
	while (*p && n < 64) {
		g_argv[n++] = p;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = '\0';
	}
	a->kind = SV_ARGV_CMDLINE;
	a->argv = g_argv;
	a->argc = n;
}

static void fill_manifest(struct sv_record *r, const struct op *o)
{
	memset(r, 0, sizeof(*r));
	r->type = SV_REC_MANIFEST;
	r->artifact = "manifest.json";
	r->ts_ns = SV_TIME_NONE;
	r->u.manifest.has_boot_time = 1;
	r->u.manifest.boot_time_ns = (int64_t)o->n * SEC;
	r->u.manifest.has_clk_tck = o->flag > 0;
	r->u.manifest.clk_tck = o->flag;
}

static void fill(struct sv_record *r, const struct op *o)
{
	switch (o->k) {
	case O_MAN:
		fill_manifest(r, o);
		break;
	case O_HOST:
		rec_init(r, SV_REC_HOST_STAT, o, "stat");
		r->u.host_stat.btime_s = (int64_t)o->n;
		break;
	case O_STAT:
		rec_init(r, SV_REC_PROC_STAT, o, "stat");
		r->u.proc_stat.pid = o->pid;
		r->u.proc_stat.ppid = o->ppid;
		r->u.proc_stat.starttime = o->n;
		r->u.proc_stat.comm = o->s;
		break;
	case O_STATUS:
		rec_init(r, SV_REC_PROC_STATUS, o, "status");
		r->u.proc_status.uid[0] = o->uid;
		r->u.proc_status.uid[1] = o->euid;
		r->u.proc_status.gid[0] = o->uid;
		r->u.proc_status.ns_pid[0] = o->pid;
		r->u.proc_status.ns_pid[1] = o->nspid;
		r->u.proc_status.ns_pid_levels = o->nspid ? 2 : 1;
		r->u.proc_status.has_caps = o->flag;
		r->u.proc_status.cap_eff = o->n;
		break;
	case O_CMD:
		rec_init(r, SV_REC_PROC_ARGV, o, "cmdline");
		split_argv(&r->u.proc_argv, o->s);
		break;
	case O_EXE: case O_CWD:
		rec_init(r, SV_REC_PROC_LINK, o, o->k == O_EXE ? "exe.link"
							       : "cwd.link");
		r->u.proc_link.kind = o->k == O_EXE ? SV_LINK_EXE : SV_LINK_CWD;
		r->u.proc_link.target = o->s;
		break;
	case O_CG:
		rec_init(r, SV_REC_PROC_CGROUP, o, "cgroup");
		r->u.proc_cgroup.hierarchy = 8;
		r->u.proc_cgroup.controllers = "pids";
		r->u.proc_cgroup.path = o->s;
		break;
	case O_NS:
		rec_init(r, SV_REC_PROC_NS, o, "ns.links");
		r->u.proc_ns.name = "net";
		r->u.proc_ns.inode = o->n;
		break;
	case O_COMM:
		rec_init(r, SV_REC_PROC_COMM, o, "comm");
		r->u.comm = o->s;
		break;
	}
}

/* ---------------------------------------------------- the fixture */

#define MAX_RUNS 8

static struct sv_arena *g_arenas[MAX_RUNS];
static int g_nruns;

static void teardown(void)
{
	int i;

	for (i = 0; i < g_nruns; i++)
		sv_arena_free(g_arenas[i]);
	g_nruns = 0;
}

/*
 * Feed ops (in the order perm gives, or as written when perm is NULL)
 * and build; the result lives until teardown.
 */
static const struct sv_procs_result *run_lim(const struct op *ops, int n,
					     const int *perm,
					     const struct sv_procs_limits *l)
{
	struct sv_arena *a = sv_arena_new(64ULL << 20);
	struct sv_procs *p;
	const struct sv_procs_result *r = NULL;
	struct sv_error err;
	struct sv_record rec;
	int i;

	ck_assert_ptr_nonnull(a);
	ck_assert_int_lt(g_nruns, MAX_RUNS);
	g_arenas[g_nruns++] = a;
	p = sv_procs_new_limits(a, l);
	ck_assert_ptr_nonnull(p);
	for (i = 0; i < n; i++) {
		fill(&rec, &ops[perm ? perm[i] : i]);
		sv_error_clear(&err);
		ck_assert_int_eq(sv_procs_record(p, &rec, &err), SV_OK);
	}
	sv_error_clear(&err);
	ck_assert_int_eq(sv_procs_build(p, &r, &err), SV_OK);
	ck_assert_int_ne(sv_procs_build(p, &r, &err), SV_OK);
	sv_procs_free(p);
	ck_assert_ptr_nonnull(r);
	check_props(r);
	return r;
}

static const struct sv_procs_result *run(const struct op *ops, int n)
{
	return run_lim(ops, n, NULL, NULL);
}

/* ------------------------------------------------------ unit cases */

/* boot at 1000 s, 100 ticks/s: ticks 90000 start at 1900 s. */
static const struct op reuse_ops[] = {
	MAN(1000, 100),
	HOST(2000, 1000), HOST(2001, 1000), HOST(2002, 1000),
	STAT(2000, 100, 1, 90000, "a"), STAT(2001, 100, 1, 90000, "a"),
	STAT(2002, 100, 1, 100150, "b"),
};

START_TEST(pid_reuse)
{
	const struct sv_procs_result *r = run(reuse_ops, N(reuse_ops));
	const struct sv_proc *a = must(r, 100, 90000);
	const struct sv_proc *b = must(r, 100, 100150);

	ck_assert_uint_eq(r->n, 2);
	ck_assert_uint_eq(r->st.pids_reused, 2);
	ck_assert_uint_eq(r->st.snapshots, 3);
	ck_assert_int_eq(a->start_ns, 1900 * SEC);
	ck_assert_int_eq(b->start_ns, 2001 * SEC + 500 * MS);
	ck_assert_int_eq(a->snapshots, 2);
	ck_assert(a->exited);
	ck_assert_int_eq(a->exit_lo, 2001 * SEC);
	ck_assert_int_eq(a->exit_hi, 2002 * SEC);
	ck_assert(!b->exited);
	ck_assert_int_eq(b->first_seen, 2002 * SEC);
	ck_assert_str_eq(a->comm, "a");
	ck_assert_str_eq(b->comm, "b");
	ck_assert_ptr_eq(r->list, a);
	ck_assert_ptr_eq(a->next, b);
	ck_assert_ptr_null(sv_procs_find(r, 100, 5));
	ck_assert_ptr_eq(sv_procs_find_at(r, 100, 1950 * SEC), a);
	ck_assert_ptr_eq(sv_procs_find_at(r, 100, 2001 * SEC + 200 * MS), a);
	ck_assert_ptr_eq(sv_procs_find_at(r, 100, 2001 * SEC + 700 * MS), b);
	ck_assert_ptr_null(sv_procs_find_at(r, 100, 1800 * SEC));
	ck_assert_ptr_null(sv_procs_find_at(r, 101, 1950 * SEC));
	ck_assert_int_eq(count_events(r, SV_EV_PROCESS_START), 2);
	ck_assert_int_eq(count_events(r, SV_EV_PROCESS_EXIT), 1);
	ck_assert_str_eq(event_of(r, SV_EV_PROCESS_EXIT, 100, 0)->artifact,
			 "proc/2001.000/100/stat");
	ck_assert_str_eq(event_of(r, SV_EV_PROCESS_START, 100, 1)->artifact,
			 "proc/2002.000/100/stat");
}
END_TEST

static const struct op exec_ops[] = {
	MAN(1000, 100),
	STAT(2000, 200, 1, 100, "sh"), EXE(2000, 200, "/bin/sh"),
	CMD(2000, 200, "sh -c x"),
	STAT(2001, 200, 1, 100, "sh"), CMD(2001, 200, "sh -c x"),
	STAT(2002, 200, 1, 100, "python3"), EXE(2002, 200, "/usr/bin/python3"),
	CMD(2002, 200, "python3 evil.py"),
	STAT(2003, 200, 1, 100, "python3"), CMD(2003, 200, "python3 y"),
	EXE(2003, 200, "/usr/bin/python3"),
};

START_TEST(exec_in_place)
{
	const struct sv_procs_result *r = run(exec_ops, N(exec_ops));
	const struct sv_proc *q = must(r, 200, 100);
	const struct sv_proc_change *c = q->changes;
	const struct sv_event *e;

	ck_assert_uint_eq(r->n, 1);
	ck_assert_uint_eq(q->n_changes, 2);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->kind, SV_EV_PROCESS_EXEC);
	/* exe known at 2000 and 2002, cmdline at 2001 and 2002: the exec
	 * came after the last sight of the old cmdline. */
	ck_assert_int_eq(c->t_before, 2001 * SEC);
	ck_assert_int_eq(c->t_after, 2002 * SEC);
	ck_assert_str_eq(c->before, "/bin/sh: sh -c x");
	ck_assert_str_eq(c->after, "/usr/bin/python3: python3 evil.py");
	ck_assert_str_eq(c->artifact, "proc/2002.000/200/exe.link");
	c = c->next;
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->t_before, 2002 * SEC);
	ck_assert_int_eq(c->t_after, 2003 * SEC);
	ck_assert_str_eq(c->artifact, "proc/2003.000/200/cmdline");
	ck_assert_ptr_null(c->next);
	ck_assert_str_eq(q->exe, "/usr/bin/python3");
	ck_assert_str_eq(q->cmdline, "python3 y");
	ck_assert_str_eq(q->comm, "python3");
	e = event_of(r, SV_EV_PROCESS_EXEC, 200, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->ts_ns, 2001 * SEC);
	ck_assert_int_eq(e->ts_hi_ns, 2002 * SEC);
	ck_assert_str_eq(e->message, "python3 (pid 200) on the host exec: "
			 "/bin/sh: sh -c x -> /usr/bin/python3: python3 "
			 "evil.py");
	/* the start message shows what started, not what it became */
	e = event_of(r, SV_EV_PROCESS_START, 200, 0);
	ck_assert_str_eq(e->message, "sh (pid 200) started on the host by "
			 "pid 1 (not in the bundle): sh -c x");
	ck_assert_int_eq(e->ts_ns, 1001 * SEC);
}
END_TEST

static const struct op setuid_ops[] = {
	MAN(1000, 100),
	STAT(2000, 300, 1, 100, "su"), STATUS(2000, 300, 1000, 1000, 0, 0),
	STAT(2001, 300, 1, 100, "su"),
	STAT(2002, 300, 1, 100, "su"), STATUS(2002, 300, 1000, 0, 0, 0),
	STAT(2003, 300, 1, 100, "su"),
	STATUS(2003, 300, 0, 0, 0, 0x3fffffffffULL),
};

START_TEST(setuid_and_caps)
{
	const struct sv_procs_result *r = run(setuid_ops, N(setuid_ops));
	const struct sv_proc *q = must(r, 300, 100);
	const struct sv_proc_change *c = q->changes;
	const struct sv_event *e;

	ck_assert_uint_eq(q->n_changes, 3);
	ck_assert_str_eq(c->kind, SV_EV_PROCESS_SETUID);
	ck_assert_int_eq(c->t_before, 2000 * SEC); /* 2001: no status */
	ck_assert_int_eq(c->t_after, 2002 * SEC);
	ck_assert_str_eq(c->before, "uid 1000 euid 1000");
	ck_assert_str_eq(c->after, "uid 1000 euid 0");
	ck_assert_str_eq(c->artifact, "proc/2002.000/300/status");
	c = c->next;
	ck_assert_str_eq(c->kind, SV_EV_PROCESS_SETUID);
	ck_assert_int_eq(c->t_before, 2002 * SEC);
	c = c->next;
	ck_assert_str_eq(c->kind, SV_EV_PROCESS_CAPS);
	ck_assert_str_eq(c->before, "CapEff 0000000000000000");
	ck_assert_str_eq(c->after, "CapEff 0000003fffffffff");
	ck_assert_int_eq(q->uid, 0);
	ck_assert_int_eq(q->euid, 0);
	ck_assert_int_eq(q->gid, 0);
	ck_assert(q->has_caps);
	ck_assert_uint_eq(q->cap_eff, 0x3fffffffffULL);
	ck_assert_int_eq(count_events(r, SV_EV_PROCESS_SETUID), 2);
	e = event_of(r, SV_EV_PROCESS_CAPS, 300, 0);
	ck_assert_int_eq(e->ts_ns, 2002 * SEC);
	ck_assert_int_eq(e->ts_hi_ns, 2003 * SEC);
	ck_assert_str_eq(e->message, "su (pid 300) on the host capabilities "
			 "changed: CapEff 0000000000000000 -> CapEff "
			 "0000003fffffffff");
}
END_TEST

static const struct op vanish_ops[] = {
	MAN(1000, 100),
	HOST(2000, 1000), HOST(2001, 1000), HOST(2002, 1000),
	STAT(2000, 400, 1, 100, "gone"), STAT(2001, 400, 1, 100, "gone"),
	STAT(2000, 401, 1, 100, "gap"), STAT(2002, 401, 1, 100, "gap"),
	STAT(2001, 402, 1, 100050, "late"),
};

START_TEST(vanishing)
{
	const struct sv_procs_result *r = run(vanish_ops, N(vanish_ops));
	const struct sv_proc *g = must(r, 400, 100), *h = must(r, 401, 100);
	const struct sv_proc *l = must(r, 402, 100050);
	const struct sv_event *e;

	ck_assert(g->exited);
	ck_assert_int_eq(g->exit_lo, 2001 * SEC);
	ck_assert_int_eq(g->exit_hi, 2002 * SEC);
	ck_assert(!h->exited);
	ck_assert_uint_eq(h->gaps, 1);
	ck_assert_uint_eq(h->snapshots, 2);
	ck_assert(l->exited);
	ck_assert_uint_eq(r->st.exited, 2);
	e = event_of(r, SV_EV_PROCESS_EXIT, 400, 0);
	ck_assert_int_eq(e->ts_ns, 2001 * SEC);
	ck_assert_int_eq(e->ts_hi_ns, 2002 * SEC);
	ck_assert_str_eq(e->artifact, "proc/2001.000/400/stat");
	ck_assert_ptr_null(event_of(r, SV_EV_PROCESS_EXIT, 401, 0));
	/* a start after the first snapshot, before the one that showed it */
	e = event_of(r, SV_EV_PROCESS_START, 402, 0);
	ck_assert_int_eq(e->ts_ns, 2000 * SEC + 500 * MS);
	ck_assert_str_eq(e->artifact, "proc/2001.000/402/stat");
	ck_assert_int_eq(r->first_snapshot, 2000 * SEC);
	ck_assert_int_eq(r->last_snapshot, 2002 * SEC);
}
END_TEST

/*
 * 40 is a subreaper, 50 its child, 51 the child of 50. When 50 exits, 51
 * is re-parented to 40. 60 was reused: the 60 of snapshot 2001 started
 * after 61, so 61's parent is the old 60 (gone between 2000 and 2001,
 * after 61 started).
 */
static const struct op reparent_ops[] = {
	MAN(1000, 100),
	STAT(2000, 40, 1, 500, "reaper"), STAT(2001, 40, 1, 500, "reaper"),
	STAT(2000, 50, 40, 1000, "mid"),
	STAT(2000, 51, 50, 1100, "leaf"), STAT(2001, 51, 40, 1100, "leaf"),
	STAT(2000, 60, 1, 100, "old"),
	STAT(2001, 60, 1, 1600, "new"), STAT(2001, 61, 60, 1500, "kid"),
};

START_TEST(reparenting)
{
	const struct sv_procs_result *r = run(reparent_ops, N(reparent_ops));
	const struct sv_proc *reaper = must(r, 40, 500), *mid = must(r, 50,
								      1000);
	const struct sv_proc *leaf = must(r, 51, 1100);
	const struct sv_proc *kid = must(r, 61, 1500);

	ck_assert_ptr_eq(mid->parent, reaper);
	ck_assert_ptr_eq(leaf->parent, mid);
	ck_assert_uint_eq(leaf->ppid, 50);
	ck_assert(leaf->reparented);
	ck_assert_uint_eq(leaf->adopted_ppid, 40);
	ck_assert_ptr_eq(leaf->adopter, reaper);
	ck_assert_int_eq(leaf->adopted_after, 2000 * SEC);
	ck_assert_int_eq(leaf->adopted_by, 2001 * SEC);
	ck_assert(!mid->reparented);
	ck_assert_uint_eq(r->st.reparented, 1);
	ck_assert_ptr_eq(kid->parent, must(r, 60, 100));
	ck_assert_ptr_eq(reaper->first_child, mid);
	ck_assert_ptr_null(mid->next_sibling);
	ck_assert_ptr_eq(mid->first_child, leaf);
}
END_TEST

/* The old 60 was seen gone (2000..2001) before 62 started (2001.5 s
 * after boot + 1000 s): not its parent; the new 60 started after it. */
static const struct op orphan_ops[] = {
	MAN(1000, 100),
	HOST(2000, 1000), HOST(2001, 1000), HOST(2002, 1000),
	STAT(2000, 60, 1, 100, "old"),
	STAT(2002, 60, 1, 100200, "new"), STAT(2002, 62, 60, 100150, "kid"),
};

START_TEST(parent_not_after_child)
{
	const struct sv_procs_result *r = run(orphan_ops, N(orphan_ops));
	const struct sv_proc *kid = must(r, 62, 100150);

	ck_assert_ptr_null(kid->parent);
	ck_assert_uint_eq(r->st.parent_unknown, 3);
	ck_assert_str_eq(event_of(r, SV_EV_PROCESS_START, 62, 0)->message,
			 "kid (pid 62) started on the host by pid 60 (not in "
			 "the bundle): kid");
}
END_TEST

/*
 * Container A: conmon 10 -> init 11 (NSpid 1) -> 12; an exec session:
 * conmon 20 -> 21 (NSpid 8) -> 22. Container B shares the host's pid
 * namespace (one NSpid level): the earliest root 31 is its init, the
 * later root 33 entered.
 */
static const struct op cont_ops[] = {
	MAN(1000, 100),
	STAT(2000, 10, 1, 1000, "conmon"), CG(2000, 10, CG_MON),
	STAT(2000, 11, 10, 1001, "httpd"), CG(2000, 11, CG_A),
	STATUS(2000, 11, 0, 0, 1, 0), NS(2000, 11, 4026532176ULL),
	STAT(2000, 12, 11, 1002, "cgi"), CG(2000, 12, CG_A),
	STATUS(2000, 12, 0, 0, 5, 0),
	STAT(2000, 20, 1, 2000, "conmon"), CG(2000, 20, CG_MON),
	STAT(2000, 21, 20, 2001, "sh"), CG(2000, 21, CG_A),
	STATUS(2000, 21, 0, 0, 8, 0), CMD(2000, 21, "sh -c id"),
	STAT(2000, 22, 21, 2002, "id"), CG(2000, 22, CG_A),
	STATUS(2000, 22, 0, 0, 9, 0),
	STAT(2000, 30, 1, 2900, "conmon"), CG(2000, 30, CG_MON),
	STAT(2000, 31, 30, 3000, "app"), CG(2000, 31, CG_B),
	STATUS(2000, 31, 0, 0, 0, 0),
	STAT(2000, 33, 30, 3300, "dbg"), CG(2000, 33, CG_B),
	STATUS(2000, 33, 0, 0, 0, 0),
};

START_TEST(container_init_and_entry)
{
	const struct sv_procs_result *r = run(cont_ops, N(cont_ops));
	const struct sv_proc *mon = must(r, 10, 1000), *init = must(r, 11,
								    1001);
	const struct sv_proc *cgi = must(r, 12, 1002), *ex = must(r, 21,
								  2001);
	const struct sv_proc *exk = must(r, 22, 2002);
	const struct sv_proc *b1 = must(r, 31, 3000), *b2 = must(r, 33, 3300);
	const struct sv_event *e;

	ck_assert(mon->monitor);
	ck_assert_ptr_null(mon->container_id);
	ck_assert_str_eq(init->container_id, ID_A);
	ck_assert(init->is_init && !init->entered);
	ck_assert_uint_eq(init->ns_pid, 1);
	ck_assert_int_eq(init->ns_levels, 2);
	ck_assert_uint_eq(init->netns, 4026532176ULL);
	ck_assert(!cgi->is_init && !cgi->entered);
	ck_assert_ptr_null(cgi->entry);
	ck_assert(ex->entered && !ex->is_init);
	ck_assert_ptr_eq(ex->entry, ex);
	ck_assert_ptr_eq(ex->parent, must(r, 20, 2000));
	ck_assert(!exk->entered);
	ck_assert_ptr_eq(exk->entry, ex);
	ck_assert(b1->is_init && !b1->entered);
	ck_assert(b2->entered);
	ck_assert_uint_eq(r->st.containers, 2);
	ck_assert_uint_eq(r->st.inits, 2);
	ck_assert_uint_eq(r->st.entered, 2);
	ck_assert_uint_eq(r->st.in_containers, 6);
	ck_assert_int_eq(count_events(r, SV_EV_PROCESS_ENTER), 2);
	e = event_of(r, SV_EV_PROCESS_ENTER, 21, 0);
	ck_assert_str_eq(e->message, "sh (pid 21) entered aaaaaaaaaaaa from "
			 "outside by conmon (pid 20): sh -c id");
	ck_assert_str_eq(e->container_id, ID_A);
	ck_assert_uint_eq(e->pid_start, 2001);
	ck_assert_int_eq(e->ts_ns, 1020 * SEC + 10 * MS);
	ck_assert_str_eq(event_of(r, SV_EV_PROCESS_START, 11, 0)->message,
			 "httpd (pid 11) started in aaaaaaaaaaaa by conmon "
			 "(pid 10): httpd");
	/* start comes before enter at the same time */
	ck_assert_str_eq(event_of(r, SV_EV_PROCESS_START, 21, 0)->next->kind,
			 SV_EV_PROCESS_ENTER);
}
END_TEST

static const struct op kthread_ops[] = {
	MAN(1000, 100),
	STAT(2000, 2, 0, 0, "kthreadd"), CMD(2000, 2, ""),
	STAT(2000, 3, 2, 0, "rcu_gp"), CMD(2000, 3, ""),
	STAT(2000, 4, 2, 1, "odd"), CMD(2000, 4, "odd --flag"),
	STAT(2000, 5, 2, 2, "unread"),
};

START_TEST(kernel_threads)
{
	const struct sv_procs_result *r = run(kthread_ops, N(kthread_ops));

	ck_assert(must(r, 2, 0)->kthread);
	ck_assert(must(r, 3, 0)->kthread);
	ck_assert(!must(r, 4, 1)->kthread);
	ck_assert(!must(r, 5, 2)->kthread);  /* cmdline never read */
	ck_assert_ptr_null(must(r, 3, 0)->cmdline);
	ck_assert_ptr_eq(must(r, 3, 0)->parent, must(r, 2, 0));
	ck_assert_uint_eq(r->st.kthreads, 2);
	ck_assert_uint_eq(r->st.parent_unknown, 0);
	ck_assert_str_eq(event_of(r, SV_EV_PROCESS_START, 3, 0)->message,
			 "rcu_gp (pid 3) started on the host by kthreadd "
			 "(pid 2): [kernel thread]");
}
END_TEST

/* Everything of several snapshots, for the any-order case. */
static const struct op mixed_ops[] = {
	MAN(1000, 100),
	HOST(2000, 1000), HOST(2001, 1000), HOST(2002, 1000),
	STAT(2000, 10, 1, 1000, "conmon"), CG(2000, 10, CG_MON),
	STAT(2001, 10, 1, 1000, "conmon"), CG(2001, 10, CG_MON),
	STAT(2002, 10, 1, 1000, "conmon"), CG(2002, 10, CG_MON),
	STAT(2000, 11, 10, 1001, "sh"), CG(2000, 11, CG_A),
	STATUS(2000, 11, 33, 33, 1, 0), CMD(2000, 11, "sh -c run"),
	EXE(2000, 11, "/bin/sh"), CWD(2000, 11, "/"),
	STAT(2001, 11, 10, 1001, "sh"), CG(2001, 11, CG_A),
	STATUS(2001, 11, 0, 0, 1, 0x20), CMD(2001, 11, "sh -c run"),
	STAT(2002, 11, 10, 1001, "app"), CG(2002, 11, CG_A),
	STATUS(2002, 11, 0, 0, 1, 0x20), CMD(2002, 11, "app --serve"),
	EXE(2002, 11, "/usr/bin/app"), COMM(2002, 11, "app"),
	STAT(2000, 12, 11, 1005, "w"), CG(2000, 12, CG_A),
	STAT(2001, 12, 11, 1500, "w2"), CG(2001, 12, CG_A),
	STAT(2001, 20, 1, 1400, "conmon"), CG(2001, 20, CG_MON),
	STAT(2001, 21, 20, 1450, "sh"), CG(2001, 21, CG_A),
	STATUS(2001, 21, 0, 0, 7, 0),
	STAT(2002, 13, 11, 1900, "child"), CG(2002, 13, CG_A),
	STAT(2000, 99, 1, 10, "host"), NS(2000, 99, 4026531993ULL),
};

static char *dump(const struct sv_procs_result *r)
{
	const struct sv_proc *q;
	const struct sv_proc_change *c;
	const struct sv_event *e;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	ck_assert_ptr_nonnull(f);
	for (q = r->list; q; q = q->next) {
		fprintf(f, "%u/%" PRIu64 " p=%u i=%d e=%d x=%d %" PRId64
			" %" PRId64 " %s %s %s %s %s\n", q->pid, q->pid_start,
			q->parent ? q->parent->pid : 0, q->is_init,
			q->entered, q->exited, q->first_seen, q->exit_hi,
			q->comm, q->exe, q->cmdline, q->cwd,
			q->container_id ? q->container_id : "-");
		for (c = q->changes; c; c = c->next)
			fprintf(f, " %s %s %s %s\n", c->kind, c->before,
				c->after, c->artifact);
	}
	for (e = r->events; e; e = e->next)
		fprintf(f, "%" PRId64 " %" PRId64 " %s %s %s\n", e->ts_ns,
			e->ts_hi_ns, e->kind, e->message, e->artifact);
	fclose(f);
	return buf;
}

START_TEST(any_order)
{
	int perm[N(mixed_ops)], i, n = N(mixed_ops);
	const struct sv_procs_result *a, *b, *c;
	char *da, *db, *dc;
	uint32_t x = 12345;

	a = run(mixed_ops, n);
	for (i = 0; i < n; i++)
		perm[i] = n - 1 - i;
	b = run_lim(mixed_ops, n, perm, NULL);
	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n - 1; i > 0; i--) {   /* a fixed shuffle */
		int j, t;

		x = x * 1103515245u + 12345u;
		j = (int)((x >> 8) % (uint32_t)(i + 1));
		t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	c = run_lim(mixed_ops, n, perm, NULL);
	da = dump(a);
	db = dump(b);
	dc = dump(c);
	ck_assert_str_eq(da, db);
	ck_assert_str_eq(da, dc);
	free(da);
	free(db);
	free(dc);
	/* and what it says */
	ck_assert_uint_eq(a->n, 8);
	ck_assert_uint_eq(must(a, 11, 1001)->n_changes, 3);
	ck_assert_int_eq(count_events(a, SV_EV_PROCESS_SETUID), 1);
	ck_assert_int_eq(count_events(a, SV_EV_PROCESS_CAPS), 1);
	ck_assert_int_eq(count_events(a, SV_EV_PROCESS_EXEC), 1);
	ck_assert(must(a, 21, 1450)->entered);
	ck_assert(must(a, 11, 1001)->is_init);
	ck_assert_str_eq(must(a, 11, 1001)->comm, "app");
	ck_assert(must(a, 12, 1005)->exited);
	ck_assert_ptr_eq(must(a, 12, 1500)->parent, must(a, 11, 1001));
	ck_assert_uint_eq(must(a, 99, 10)->netns, 4026531993ULL);
	ck_assert_ptr_null(must(a, 99, 10)->container_id);
}
END_TEST

START_TEST(limits)
{
	struct sv_procs_limits l = {.max_processes = 3, .max_changes = 1};
	const struct sv_procs_result *r = run_lim(exec_ops, N(exec_ops), NULL,
						  &l);
	const struct sv_procs_result *m;

	ck_assert_uint_eq(must(r, 200, 100)->n_changes, 2);
	ck_assert_ptr_null(must(r, 200, 100)->changes->next);
	ck_assert_uint_eq(r->st.changes, 2);
	ck_assert_uint_eq(r->st.changes_dropped, 1);
	ck_assert_int_eq(count_events(r, SV_EV_PROCESS_EXEC), 1);
	m = run_lim(mixed_ops, N(mixed_ops), NULL, &l);
	ck_assert_uint_eq(m->n, 3);
	ck_assert_uint_eq(m->st.processes_dropped, 5);
	l.max_processes = 0;
	l.max_folders = 4;
	m = run_lim(mixed_ops, N(mixed_ops), NULL, &l);
	ck_assert_uint_eq(m->st.folders, 4);
	ck_assert_uint_gt(m->st.folders_dropped, 0);
}
END_TEST

/* Equal start ticks let hostile stat files close a loop of parents. */
static const struct op cycle_ops[] = {
	STAT(2000, 5, 6, 100, "a"), STAT(2000, 6, 5, 100, "b"),
	STAT(2000, 7, 7, 100, "self"), STAT(2000, 8, 5, 100, "c"),
};

START_TEST(parent_cycle)
{
	const struct sv_procs_result *r = run(cycle_ops, N(cycle_ops));

	ck_assert_uint_eq(r->st.cycles_cut, 1);
	ck_assert(!must(r, 5, 100)->parent != !must(r, 6, 100)->parent);
	ck_assert_ptr_null(must(r, 7, 100)->parent);
	ck_assert_ptr_eq(must(r, 8, 100)->parent, must(r, 5, 100));
	/* no manifest, no host stat: start times unknown */
	ck_assert(!r->st.start_known);
	ck_assert_int_eq(must(r, 5, 100)->start_ns, SV_TIME_NONE);
	ck_assert_ptr_null(sv_procs_find_at(r, 5, 2000 * SEC));
	ck_assert_int_eq(event_of(r, SV_EV_PROCESS_START, 5, 0)->ts_ns,
			 2000 * SEC);
	ck_assert_ptr_nonnull(strstr(event_of(r, SV_EV_PROCESS_START, 5, 0)
				     ->message, "start time unknown"));
}
END_TEST

/* Boot time from the host's proc/<T>/stat when the manifest has none;
 * clk_tck defaults to 100. */
static const struct op btime_ops[] = {
	HOST(2000, 1500), STAT(2000, 9, 1, 250, "x"),
};

START_TEST(boot_from_host_stat)
{
	const struct sv_procs_result *r = run(btime_ops, N(btime_ops));

	ck_assert(r->st.start_known);
	ck_assert_int_eq(r->clk_tck, 100);
	ck_assert_int_eq(r->boot_time_ns, 1500 * SEC);
	ck_assert_int_eq(must(r, 9, 250)->start_ns, 1502 * SEC + 500 * MS);
}
END_TEST

static char g_long[3000];

START_TEST(hostile_strings)
{
	struct op ops[] = {
		MAN(1000, 250),
		STAT(2000, 9, 1, 250, "a\nb"), CMD(2000, 9, "x\ty\x01z\xff"),
		EXE(2000, 9, "/tmp/\x1b[31mred"),
		STAT(2000, 10, 1, 250, "long"), CMD(2000, 10, g_long),
	};
	const struct sv_procs_result *r;
	const struct sv_proc *q;

	memset(g_long, 'A', sizeof(g_long) - 1);
	r = run(ops, N(ops));
	q = must(r, 9, 250);
	ck_assert_int_eq(q->start_ns, 1001 * SEC);
	ck_assert_str_eq(q->comm, "a\\x0ab");
	ck_assert_str_eq(q->cmdline, "x\\x09y\\x01z\\xff");
	ck_assert_str_eq(q->exe, "/tmp/\\x1b[31mred");
	q = must(r, 10, 250);
	ck_assert_uint_eq(strlen(q->cmdline),
			  SV_PROCS_CMDLINE_MAX +
			  strlen(" [... cut, 2999 bytes]"));
	ck_assert_ptr_nonnull(strstr(q->cmdline, "[... cut, 2999 bytes]"));
}
END_TEST

/* Every allocation failing in turn: NOMEM reported, never a crash. */
START_TEST(out_of_memory)
{
	uint64_t k;
	int built = 0;

	for (k = 1; k < 400 && !built; k++) {
		struct sv_arena *a = sv_arena_new(0);
		struct sv_procs *p = sv_procs_new(a);
		const struct sv_procs_result *r = NULL;
		struct sv_error err;
		struct sv_record rec;
		enum sv_status rc = SV_OK;
		int i;

		ck_assert_ptr_nonnull(p);
		sv_arena_fail_after(a, k);
		for (i = 0; i < N(mixed_ops) && rc == SV_OK; i++) {
			fill(&rec, &mixed_ops[i]);
			sv_error_clear(&err);
			rc = sv_procs_record(p, &rec, &err);
		}
		if (rc == SV_OK)
			rc = sv_procs_build(p, &r, &err);
		ck_assert(rc == SV_OK || rc == SV_ERR_NOMEM);
		if (rc == SV_ERR_NOMEM)
			ck_assert_int_eq(err.code, SV_ERR_NOMEM);
		if (rc == SV_OK) {
			check_props(r);
			built = !sv_arena_failed(a);
		}
		sv_procs_free(p);
		sv_arena_free(a);
	}
	ck_assert(built);
}
END_TEST

static Suite *procs_suite(void)
{
	Suite *s = suite_create("procs");
	TCase *t = tcase_create("unit");

	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_add_test(t, pid_reuse);
	tcase_add_test(t, exec_in_place);
	tcase_add_test(t, setuid_and_caps);
	tcase_add_test(t, vanishing);
	tcase_add_test(t, reparenting);
	tcase_add_test(t, parent_not_after_child);
	tcase_add_test(t, container_init_and_entry);
	tcase_add_test(t, kernel_threads);
	tcase_add_test(t, any_order);
	tcase_add_test(t, limits);
	tcase_add_test(t, parent_cycle);
	tcase_add_test(t, boot_from_host_stat);
	tcase_add_test(t, hostile_strings);
	tcase_add_test(t, out_of_memory);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(procs_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
