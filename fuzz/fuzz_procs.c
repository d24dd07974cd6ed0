/*
 * fuzz_procs.c - libFuzzer target for the process builder
 * (analyzer/sv_procs.c, sv_procs_build.c, sv_procs_event.c).
 *
 * The input is a program: a flags byte, then operations, each an opcode
 * byte and its operands, that build the records the proc readers emit
 * (stat, status, cmdline, comm, exe/cwd links, cgroup and ns lines, host
 * stat, the manifest, and records the builder ignores). Snapshots, pids,
 * start ticks and ppids come from small ranges so that identities, pid
 * reuse, parents and cycles collide; a string operand past its table is
 * read raw from the input (up to 1 KiB, any bytes but NUL). Flags: bit 0
 * small caps, bit 1 the arena fails after a number of allocations (next
 * byte), bit 2 huge start ticks (overflowing start times).
 *
 * Oracles (abort()) besides the sanitizers:
 *   - sv_procs_record / sv_procs_build return SV_OK, or SV_ERR_NOMEM
 *     with err set only when the arena was made to fail;
 *   - identities unique and sorted (by_id), the list complete and in
 *     start order, at most max_processes; sv_procs_find finds each one;
 *   - a parent started no later than its child; parent chains end within
 *     n steps; children lists match parent links; entered / is_init /
 *     entry agree with the container ids;
 *   - first_seen <= last_seen inside the snapshot range; an exit window
 *     is (last_seen, a later snapshot); not exited means seen last;
 *   - changes at most max_changes kept per process, windows ordered;
 *   - events sorted, each with a one-line clean message and a known
 *     (pid, start); sv_procs_find_at answers with that pid, started by
 *     then;
 *   - every string shown is clean (sv_text_is_clean, no tab or newline)
 *     and bounded.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_arena.h"
#include "sv_cursor.h"
#include "sv_procs.h"
#include "sv_text.h"
#include "sv_time.h"

#define MAX_INPUT 65536u
#define MAX_OPS 4096
#define RAW_MAX 1024
#define SEC 1000000000LL
#define STR_MAX 8192   /* cleaned: 4 bytes per input byte, plus marker */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define IB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static const char *const cgroups[] = {
	"/libpod_parent/libpod-" IA, "/libpod_parent/libpod-" IB,
	"/machine.slice/libpod-conmon-" IA ".scope", "/libpod_parent/conmon",
	"/", "/docker/" IB, "",
};

static const char *const names[] = {
	"sh", "httpd", "", "/bin/busybox", "a b", "conmon", "x\ny", "/",
};

#define NT(t) (sizeof(t) / sizeof((t)[0]))

struct fz {
	struct sv_cursor c;
	struct sv_procs *p;
	struct sv_procs_limits lim;
	int may_fail, huge;
	char raw[8][RAW_MAX + 1];
	int nraw;
	const char *argv[4];
	char path[96];
};

static uint8_t u8(struct fz *z)
{
	return sv_get_u8(&z->c);
}

/* A table string, or (index past the table) a raw one from the input. */
static const char *str(struct fz *z, const char *const *t, size_t n)
{
	uint8_t i = u8(z);
	char *out;
	size_t len, k;

	if (i < n)
		return t[i];
	out = z->raw[z->nraw++ & 7];
	len = ((size_t)u8(z) << 2) % (RAW_MAX + 1);
	for (k = 0; k < len && !z->c.err; k++) {
		out[k] = (char)u8(z);
		if (!out[k])
			out[k] = 'x';
	}
	out[k] = '\0';
	return out;
}

static void feed(struct fz *z, const struct sv_record *r)
{
	struct sv_error err;
	enum sv_status rc;

	memset(&err, 0, sizeof(err));
	rc = sv_procs_record(z->p, r, &err);
	if (rc == SV_OK)
		return;
	if (rc != SV_ERR_NOMEM || err.code != SV_ERR_NOMEM || !z->may_fail)
		abort();
}

/* A proc/<T>/<pid>/<leaf> record: T and pid from the input; T index 5
 * is a record without a time, pid 0 a host file. */
static void proc_rec(struct fz *z, struct sv_record *r,
		     enum sv_record_type type, const char *leaf)
{
	int t = u8(z) % 6;
	uint32_t pid = u8(z) % 9;

	memset(r, 0, sizeof(*r));
	snprintf(z->path, sizeof(z->path), "proc/%d.5/%u/%s", 100 + t, pid,
		 leaf);
	r->type = type;
	r->artifact = z->path;
	r->ts_ns = t == 5 ? SV_TIME_NONE : (100 + t) * SEC + SEC / 2;
	r->pid = pid;
}

static uint64_t ticks(struct fz *z)
{
	uint8_t b = u8(z);

	if (z->huge && (b & 0x80))
		return UINT64_MAX - (b & 0x7f);
	return (uint64_t)(b % 5) * 100 + (b & 0x80 ? 1 : 0);
}

static void op_stat(struct fz *z)
{
	struct sv_record r;

	proc_rec(z, &r, SV_REC_PROC_STAT, "stat");
	r.u.proc_stat.ppid = u8(z) % 10;
	r.u.proc_stat.starttime = ticks(z);
	r.u.proc_stat.comm = str(z, names, NT(names));
	feed(z, &r);
}

static void op_status(struct fz *z)
{
	static const int64_t uids[] = {0, 33, 1000, -1, 4294967295LL,
				       4294967294LL};
	struct sv_record r;
	int i;

	proc_rec(z, &r, SV_REC_PROC_STATUS, "status");
	r.u.proc_status.uid[0] = uids[u8(z) % NT(uids)];
	r.u.proc_status.uid[1] = uids[u8(z) % NT(uids)];
	r.u.proc_status.gid[0] = uids[u8(z) % NT(uids)];
	r.u.proc_status.ns_pid_levels = u8(z) % (SV_NS_LEVELS + 2);
	for (i = 0; i < SV_NS_LEVELS; i++)
		r.u.proc_status.ns_pid[i] = u8(z) % 3;
	r.u.proc_status.has_caps = u8(z) & 1;
	r.u.proc_status.cap_eff = (uint64_t)u8(z) << (u8(z) % 57);
	feed(z, &r);
}

static void op_argv(struct fz *z)
{
	struct sv_record r;
	size_t i;

	proc_rec(z, &r, SV_REC_PROC_ARGV, "cmdline");
	r.u.proc_argv.kind = u8(z) % 4 ? SV_ARGV_CMDLINE : SV_ARGV_ENVIRON;
	r.u.proc_argv.argc = u8(z) % 5;
	for (i = 0; i < r.u.proc_argv.argc; i++)
		z->argv[i] = u8(z) == 0xff ? NULL : str(z, names, NT(names));
	r.u.proc_argv.argv = z->argv;
	feed(z, &r);
}

static void op_text(struct fz *z, int kind)
{
	struct sv_record r;

	if (kind == 0) {
		proc_rec(z, &r, SV_REC_PROC_COMM, "comm");
		r.u.comm = str(z, names, NT(names));
	} else if (kind == 1) {
		proc_rec(z, &r, SV_REC_PROC_LINK, "exe.link");
		r.u.proc_link.kind = (enum sv_link_kind)(u8(z) % 3);
		r.u.proc_link.target = str(z, names, NT(names));
	} else if (kind == 2) {
		proc_rec(z, &r, SV_REC_PROC_CGROUP, "cgroup");
		r.u.proc_cgroup.controllers = "";
		r.u.proc_cgroup.path = str(z, cgroups, NT(cgroups));
	} else {
		proc_rec(z, &r, SV_REC_PROC_NS, "ns.links");
		r.u.proc_ns.name = u8(z) & 1 ? "net" : "pid";
		r.u.proc_ns.inode = u8(z) % 4;
	}
	feed(z, &r);
}

static void op_host(struct fz *z, int manifest)
{
	struct sv_record r;

	if (!manifest) {
		proc_rec(z, &r, SV_REC_HOST_STAT, "stat");
		r.pid = 0;
		r.u.host_stat.btime_s = (int64_t)(u8(z) % 4) - 1;
		feed(z, &r);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.type = SV_REC_MANIFEST;
	r.artifact = "manifest.json";
	r.ts_ns = SV_TIME_NONE;
	r.u.manifest.has_boot_time = u8(z) & 1;
	r.u.manifest.boot_time_ns = z->huge ? INT64_MAX - u8(z)
				    : (int64_t)u8(z) * SEC;
	r.u.manifest.has_clk_tck = u8(z) & 1;
	r.u.manifest.clk_tck = (int64_t)u8(z) - 1;
	feed(z, &r);
}

/* Records the builder ignores, or reads only for their snapshot. */
static void op_other(struct fz *z)
{
	static const enum sv_record_type types[] = {
		SV_REC_PROC_IO, SV_REC_PROC_FD, SV_REC_SOCKET,
		SV_REC_UNIX_SOCKET, SV_REC_HOST_UPTIME, SV_REC_KERNEL,
		SV_REC_CGROUP_VALUE,
	};
	struct sv_record r;

	proc_rec(z, &r, types[u8(z) % NT(types)], "io");
	if (u8(z) & 1)
		r.artifact = u8(z) & 1 ? NULL : "cgroup/100.5/memory/x";
	feed(z, &r);
}

static void run_ops(struct fz *z)
{
	int n;

	for (n = 0; n < MAX_OPS && sv_cursor_left(&z->c) && !z->c.err; n++) {
		switch (u8(z) % 11) {
		case 0: op_stat(z); break;
		case 1: op_status(z); break;
		case 2: op_argv(z); break;
		case 3: op_text(z, 0); break;
		case 4: op_text(z, 1); break;
		case 5: op_text(z, 2); break;
		case 6: op_text(z, 3); break;
		case 7: op_host(z, 0); break;
		case 8: op_host(z, 1); break;
		case 9: op_other(z); break;
		default: op_stat(z); break;
		}
	}
}

/* ---- oracles ---- */

static void check_str(const char *s)
{
	size_t n;

	if (!s)
		return;
	n = strnlen(s, STR_MAX + 1);
	if (n > STR_MAX || !sv_text_is_clean(s, n, STR_MAX) ||
	    memchr(s, '\n', n) || memchr(s, '\t', n))
		abort();
}

static void check_changes(const struct sv_proc *q, const struct fz *z)
{
	const struct sv_proc_change *c;
	uint32_t kept = 0;

	for (c = q->changes; c; c = c->next, kept++) {
		if (c->t_before >= c->t_after)
			abort();
		check_str(c->before);
		check_str(c->after);
	}
	if (kept > z->lim.max_changes || kept > q->n_changes)
		abort();
}

static void check_proc(const struct sv_procs_result *r,
		       const struct sv_proc *q, const struct fz *z)
{
	const struct sv_proc *a;
	uint64_t steps = 0;

	if (q->parent && q->parent->pid_start > q->pid_start)
		abort();
	for (a = q; a; a = a->parent)
		if (++steps > r->n)
			abort();
	if (q->first_seen > q->last_seen || q->first_seen <
	    r->first_snapshot || q->last_seen > r->last_snapshot)
		abort();
	if (q->exited ? q->exit_lo != q->last_seen || q->exit_hi <=
	    q->exit_lo || q->exit_hi > r->last_snapshot
		      : q->last_seen != r->last_snapshot)
		abort();
	if (q->entered && (!q->container_id || q->entry != q || q->is_init))
		abort();
	if ((q->is_init && !q->container_id) ||
	    (q->entry && q->entry->container_id != q->container_id))
		abort();
	check_changes(q, z);
	check_str(q->comm);
	check_str(q->exe);
	check_str(q->cmdline);
	check_str(q->cwd);
	/* 1024 bytes kept, each escaped to at most 4, plus the cut marker */
	if (q->cmdline && strlen(q->cmdline) > 4 * SV_PROCS_CMDLINE_MAX + 64)
		abort();
	if (sv_procs_find(r, q->pid, q->pid_start) != q)
		abort();
}

static void check_tree(const struct sv_procs_result *r, const struct fz *z)
{
	const struct sv_proc *q, *c;
	uint64_t n = 0, kids = 0, parented = 0, i;

	for (i = 0; i + 1 < r->n; i++)
		if (r->by_id[i]->pid > r->by_id[i + 1]->pid ||
		    (r->by_id[i]->pid == r->by_id[i + 1]->pid &&
		     r->by_id[i]->pid_start >= r->by_id[i + 1]->pid_start))
			abort();
	for (q = r->list; q; q = q->next, n++) {
		check_proc(r, q, z);
		if (q->next && q->next->pid_start < q->pid_start)
			abort();
		parented += q->parent != NULL;
		for (c = q->first_child; c; c = c->next_sibling, kids++)
			if (c->parent != q || kids > r->n)
				abort();
	}
	if (n != r->n || kids != parented || n > z->lim.max_processes)
		abort();
}

static void check_events(const struct sv_procs_result *r)
{
	const struct sv_event *e;
	const struct sv_proc *q;
	uint64_t n = 0;

	for (e = r->events; e; e = e->next, n++) {
		if (!e->kind || !e->message || e->ts_ns > e->ts_hi_ns ||
		    (e->next && e->next->ts_ns < e->ts_ns))
			abort();
		check_str(e->message);
		check_str(e->artifact);
		q = sv_procs_find(r, (uint32_t)e->pid, e->pid_start);
		if (!q || e->container_id != q->container_id)
			abort();
		q = sv_procs_find_at(r, (uint32_t)e->pid, e->ts_hi_ns);
		if (q && (q->pid != e->pid || q->start_ns > e->ts_hi_ns))
			abort();
	}
	if (n != r->st.events)
		abort();
}

static void setup_limits(struct fz *z, uint8_t flags)
{
	memset(&z->lim, 0, sizeof(z->lim));
	if (flags & 1) {
		z->lim.max_processes = 1 + u8(z) % 8;
		z->lim.max_folders = 1 + u8(z) % 64;
		z->lim.max_changes = 1 + u8(z) % 3;
		z->lim.max_string_bytes = 1 + (uint64_t)u8(z) * 16;
	} else {
		z->lim.max_processes = 1000000;
		z->lim.max_changes = 16;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct sv_procs_result *r = NULL;
	struct sv_arena *arena;
	struct sv_error err;
	struct fz z;
	uint8_t flags;
	enum sv_status rc;

	if (size < 1 || size > MAX_INPUT)
		return 0;
	memset(&z, 0, sizeof(z));
	z.c = sv_cursor_make(data, size);
	flags = u8(&z);
	z.huge = !!(flags & 4);
	setup_limits(&z, flags);
	arena = sv_arena_new(0);
	z.p = arena ? sv_procs_new_limits(arena, &z.lim) : NULL;
	if (!z.p)
		abort();
	if (flags & 2) {
		z.may_fail = 1;
		sv_arena_fail_after(arena, 1 + u8(&z));
	}
	run_ops(&z);
	memset(&err, 0, sizeof(err));
	rc = sv_procs_build(z.p, &r, &err);
	if (rc != SV_OK && (rc != SV_ERR_NOMEM || !z.may_fail ||
			    err.code != SV_ERR_NOMEM))
		abort();
	if (rc == SV_OK) {
		check_tree(r, &z);
		check_events(r);
	}
	sv_procs_free(z.p);
	sv_arena_free(arena);
	return 0;
}
