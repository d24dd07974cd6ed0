/*
 * fuzz_attrib.c - libFuzzer target for flow attribution
 * (analyzer/sv_attrib.c, sv_attrib_join.c).
 *
 * The input is a program: a flags byte, then operations, each an opcode
 * byte and its operands, that build the records the proc, net, inspect
 * and event readers emit (stat, comm, exe, cgroup, ns, fd, socket rows,
 * inspect, runtime events) and flows. Values come from small tables so
 * that pids, snapshots, inodes, netns and addresses collide; a string
 * operand past its table is read raw from the input (up to 1 KiB, any
 * bytes but NUL). Flags: bit 0 small caps (2..5 entries per table),
 * bit 1 the arena fails after a number of allocations (next byte).
 *
 * Oracles (abort()) besides the sanitizers:
 *   - sv_attrib_record returns SV_OK, or SV_ERR_NOMEM with err set, and
 *     NOMEM only when the arena was made to fail;
 *   - stats: 2 ends per flow, the kinds add up, no table over its cap;
 *   - every owner's how is a bounded line without control bytes; an end
 *     in the host's netns has no container; a pid comes with a socket
 *     inode that some fed fd.links line of that pid holds and some fed
 *     socket row has; a netns and a pid start are ones the records
 *     gave; a container id is a non-empty name of at most 512 bytes;
 *   - a second sv_attrib_flows over the same list gives the same owners
 *     (shared owners: the same pointers), so the join is deterministic.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_arena.h"
#include "sv_attrib.h"
#include "sv_cursor.h"

#define MAX_INPUT 65536u
#define MAX_OPS 4096
#define MAX_FLOWS 256
#define MAX_SEEN MAX_OPS
#define RAW_MAX 1024
#define SEC 1000000000LL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define IA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define IB "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define IC "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

static const char *const ids[] = {IA, IB, IC, "abc", ""};

static const char *const cgroups[] = {
	"/libpod_parent/libpod-" IA, "/libpod_parent/libpod-" IB,
	"/docker/" IC, "/machine.slice/libpod-conmon-" IA ".scope",
	"/libpod_parent/conmon", "/", "/system.slice/ssh.service", "",
};

static const char *const names[] = {
	"web", "/client", "sh", "", "/usr/bin/busybox", "net", "pid",
	"container", "image",
};

static const char *const ips[] = {
	"10.0.0.1", "10.0.0.2", "10.0.0.3", "::1", "fe80::1", "bogus", "",
	"127.0.0.1", "::ffff:10.0.0.2", "224.0.0.251",
};

/* 16-byte addresses: v4 in the first 4 bytes (family 4 rows). */
static const uint8_t addrs[][16] = {
	{0}, {10, 0, 0, 1}, {10, 0, 0, 2}, {10, 0, 0, 3}, {127, 0, 0, 1},
	{224, 0, 0, 251}, {255, 255, 255, 255},
	{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 2},
	{0xfe, 0x80, [15] = 1}, {[15] = 1},
};

static const uint16_t ports[] = {0, 80, 53, 5000, 5001, 65535};

#define NT(t) (sizeof(t) / sizeof((t)[0]))

struct fz {
	struct sv_cursor c;
	struct sv_attrib *at;
	struct sv_arena *arena;
	int may_fail;
	char raw[4][RAW_MAX + 1];
	int nraw;
	char path[96];
	struct sv_flow *flows[MAX_FLOWS];
	int nflows;
	/* what the records gave, for the oracles */
	uint64_t fd_pid_inode[MAX_SEEN][2], sock_inode[MAX_SEEN];
	uint64_t netns[MAX_SEEN], starts[MAX_SEEN][2];
	int nfd, nsock, nns, nstart;
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
	out = z->raw[z->nraw++ & 3];
	len = ((size_t)u8(z) << 2) % (RAW_MAX + 1);
	for (k = 0; k < len && !z->c.err; k++) {
		out[k] = (char)u8(z);
		if (!out[k])
			out[k] = 'x';
	}
	out[k] = '\0';
	return out;
}

static void note(uint64_t *arr, int *n, uint64_t v)
{
	if (*n < MAX_SEEN)
		arr[(*n)++] = v;
}

static void feed(struct fz *z, struct sv_record *r)
{
	struct sv_error err;
	enum sv_status rc;

	memset(&err, 0, sizeof(err));
	rc = sv_attrib_record(z->at, r, &err);
	if (rc == SV_OK)
		return;
	if (rc != SV_ERR_NOMEM || err.code != SV_ERR_NOMEM || !z->may_fail)
		abort();
}

/* A proc/<T>/<pid>/<leaf> record: T and pid from the input. */
static void proc_rec(struct fz *z, struct sv_record *r,
		     enum sv_record_type type, const char *leaf)
{
	int t = 100 + u8(z) % 4;
	uint32_t pid = 1 + u8(z) % 8;

	memset(r, 0, sizeof(*r));
	snprintf(z->path, sizeof(z->path), "proc/%d.5/%u/%s", t, pid, leaf);
	r->type = type;
	r->artifact = z->path;
	r->ts_ns = t * SEC + SEC / 2;
	r->pid = pid;
}

static void op_stat(struct fz *z)
{
	struct sv_record r;

	proc_rec(z, &r, SV_REC_PROC_STAT, "stat");
	r.u.proc_stat.starttime = (uint64_t)(u8(z) % 4) * 100;
	r.u.proc_stat.comm = str(z, names, NT(names));
	if (z->nstart < MAX_SEEN) {
		z->starts[z->nstart][0] = r.pid;
		z->starts[z->nstart++][1] = r.u.proc_stat.starttime;
	}
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
	} else {
		proc_rec(z, &r, SV_REC_PROC_CGROUP, "cgroup");
		r.u.proc_cgroup.controllers = "";
		r.u.proc_cgroup.path = str(z, cgroups, NT(cgroups));
	}
	feed(z, &r);
}

static void op_ns(struct fz *z)
{
	struct sv_record r;

	proc_rec(z, &r, SV_REC_PROC_NS, "ns.links");
	r.u.proc_ns.name = str(z, names, NT(names));
	r.u.proc_ns.inode = u8(z) % 5;
	note(z->netns, &z->nns, r.u.proc_ns.inode);
	feed(z, &r);
}

static void op_fd(struct fz *z)
{
	struct sv_record r;
	uint8_t v;

	proc_rec(z, &r, SV_REC_PROC_FD, "fd.links");
	v = u8(z);
	r.u.proc_fd.kind = v & 0x80 ? SV_FD_PIPE : SV_FD_SOCKET;
	r.u.proc_fd.inode = v % 16;
	r.u.proc_fd.target = "socket:[1]";
	if (r.u.proc_fd.kind == SV_FD_SOCKET && z->nfd < MAX_SEEN) {
		z->fd_pid_inode[z->nfd][0] = r.pid;
		z->fd_pid_inode[z->nfd++][1] = r.u.proc_fd.inode;
	}
	feed(z, &r);
}

static void op_socket(struct fz *z)
{
	struct sv_record r;
	struct sv_socket *s = &r.u.socket;
	uint8_t v;

	proc_rec(z, &r, SV_REC_SOCKET, "net/tcp");
	v = u8(z);
	s->proto = v & 1 ? SV_SOCK_UDP : SV_SOCK_TCP;
	s->family = v & 2 ? 6 : 4;
	memcpy(s->local, addrs[u8(z) % NT(addrs)], 16);
	memcpy(s->remote, addrs[u8(z) % NT(addrs)], 16);
	s->local_port = ports[u8(z) % NT(ports)];
	s->remote_port = ports[u8(z) % NT(ports)];
	s->state = u8(z) % 12;
	s->inode = u8(z) % 16;
	note(z->sock_inode, &z->nsock, s->inode);
	feed(z, &r);
}

static void op_inspect(struct fz *z)
{
	struct sv_record r;
	const char *list[4];
	size_t n, i;

	memset(&r, 0, sizeof(r));
	r.type = SV_REC_INSPECT;
	r.artifact = "inspect/x.json";
	r.u.inspect.id = str(z, ids, NT(ids));
	r.u.inspect.name = str(z, names, NT(names));
	r.u.inspect.image = str(z, names, NT(names));
	r.u.inspect.pod = str(z, names, NT(names));
	r.u.inspect.started_ns = (int64_t)(u8(z) % 8) * 50 * SEC;
	r.u.inspect.finished_ns = (int64_t)(u8(z) % 8) * 50 * SEC;
	n = u8(z) % 5;
	for (i = 0; i < n; i++)
		list[i] = str(z, ips, NT(ips));
	r.u.inspect.ip_addresses = list;
	r.u.inspect.n_ip_addresses = n;
	feed(z, &r);
}

static void op_event(struct fz *z)
{
	struct sv_record r;

	memset(&r, 0, sizeof(r));
	r.type = SV_REC_RUNTIME_EVENT;
	r.artifact = "events/podman.jsonl";
	r.u.runtime.id = str(z, ids, NT(ids));
	r.u.runtime.type = str(z, names, NT(names));
	r.u.runtime.name = str(z, names, NT(names));
	r.u.runtime.image = str(z, names, NT(names));
	r.u.runtime.pod = "";
	feed(z, &r);
}

static void op_flow(struct fz *z)
{
	static const uint8_t protos[] = {6, 17, 1};
	struct sv_flow *f;
	uint8_t v;

	if (z->nflows >= MAX_FLOWS)
		return;
	f = sv_arena_alloc(z->arena, sizeof(*f));
	if (!f)
		return;
	v = u8(z);
	f->proto = protos[v % 3];
	f->family = v & 4 ? 6 : 4;
	memcpy(f->a_addr, addrs[u8(z) % NT(addrs)], 16);
	memcpy(f->b_addr, addrs[u8(z) % NT(addrs)], 16);
	f->a_port = ports[u8(z) % NT(ports)];
	f->b_port = ports[u8(z) % NT(ports)];
	f->first_ns = (99 + u8(z) % 6) * SEC;
	f->last_ns = f->first_ns + (int64_t)(u8(z) % 3) * SEC;
	f->syn_seen = v & 8 ? 1 : 0;
	z->flows[z->nflows++] = f;
}

static int seen(const uint64_t *arr, int n, uint64_t v)
{
	int i;

	for (i = 0; i < n; i++)
		if (arr[i] == v)
			return 1;
	return 0;
}

static int fd_seen(const struct fz *z, uint64_t pid, uint64_t inode)
{
	int i;

	for (i = 0; i < z->nfd; i++)
		if (z->fd_pid_inode[i][0] == pid &&
		    z->fd_pid_inode[i][1] == inode)
			return 1;
	return 0;
}

static int start_seen(const struct fz *z, uint64_t pid, uint64_t start)
{
	int i;

	for (i = 0; i < z->nstart; i++)
		if (z->starts[i][0] == pid && z->starts[i][1] == start)
			return 1;
	return start == 0;
}

static void check_owner(const struct fz *z, const struct sv_owner *o)
{
	size_t i;

	if (!o)
		return;
	if (!o->how)
		abort();
	for (i = 0; o->how[i]; i++)
		if ((unsigned char)o->how[i] < 0x20 || o->how[i] == 0x7f ||
		    i >= 1024)
			abort();
	if (o->is_host && o->container_id)
		abort();
	if (o->container_id && (!o->container_id[0] ||
				strlen(o->container_id) > 512))
		abort();
	if (o->pid >= 0 && (!o->inode || !fd_seen(z, (uint64_t)o->pid,
						   o->inode) ||
			    !start_seen(z, (uint64_t)o->pid, o->pid_start)))
		abort();
	if (o->pid < 0 && (o->pid != -1 || o->pid_start || o->comm ||
			   o->exe))
		abort();
	if (o->inode && !seen(z->sock_inode, z->nsock, o->inode))
		abort();
	if (o->netns && !seen(z->netns, z->nns, o->netns))
		abort();
}

static void check_stats(const struct fz *z, const struct sv_attrib_stats *st,
			const struct sv_attrib_limits *lim)
{
	if (st->ends != 2 * (uint64_t)z->nflows ||
	    st->ends_container + st->ends_host + st->ends_unknown > st->ends ||
	    st->ends_process > st->ends - st->ends_unknown ||
	    st->ends_exact + st->ends_listen + st->ends_unbound > st->ends)
		abort();
	if ((lim->max_sockets && st->sockets > lim->max_sockets) ||
	    (lim->max_folders && st->folders > lim->max_folders) ||
	    (lim->max_fds && st->fds > lim->max_fds) ||
	    (lim->max_containers && st->containers > lim->max_containers))
		abort();
	if (!z->may_fail && (st->ends_nomem || st->join_nomem))
		abort();
}

static void run_ops(struct fz *z)
{
	int n;

	for (n = 0; n < MAX_OPS && sv_cursor_left(&z->c) && !z->c.err; n++) {
		switch (u8(z) % 10) {
		case 0: op_stat(z); break;
		case 1: op_text(z, 0); break;
		case 2: op_text(z, 1); break;
		case 3: op_text(z, 2); break;
		case 4: op_ns(z); break;
		case 5: op_fd(z); break;
		case 6: op_socket(z); break;
		case 7: op_inspect(z); break;
		case 8: op_event(z); break;
		default: op_flow(z); break;
		}
	}
}

static void join_twice(struct fz *z, const struct sv_attrib_limits *lim)
{
	const struct sv_owner *first[MAX_FLOWS][2];
	struct sv_attrib_stats st;
	int i;

	for (i = 0; i < z->nflows; i++)
		z->flows[i]->next = i + 1 < z->nflows ? z->flows[i + 1] : NULL;
	sv_attrib_flows(z->at, z->nflows ? z->flows[0] : NULL, &st);
	check_stats(z, &st, lim);
	for (i = 0; i < z->nflows; i++) {
		check_owner(z, z->flows[i]->owner_a);
		check_owner(z, z->flows[i]->owner_b);
		first[i][0] = z->flows[i]->owner_a;
		first[i][1] = z->flows[i]->owner_b;
	}
	if (z->may_fail)
		return;
	sv_attrib_flows(z->at, z->nflows ? z->flows[0] : NULL, &st);
	for (i = 0; i < z->nflows; i++)
		if (first[i][0] != z->flows[i]->owner_a ||
		    first[i][1] != z->flows[i]->owner_b)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz z;
	struct sv_attrib_limits lim;
	uint8_t flags;

	if (size < 1 || size > MAX_INPUT)
		return 0;
	memset(&z, 0, sizeof(z));
	memset(&lim, 0, sizeof(lim));
	z.c = sv_cursor_make(data, size);
	flags = u8(&z);
	if (flags & 1) {
		lim.max_sockets = 2 + flags % 4;
		lim.max_folders = 2 + (flags >> 2) % 4;
		lim.max_fds = 2 + (flags >> 4) % 4;
		lim.max_containers = 2;
		lim.max_string_bytes = 64 + (uint64_t)(flags >> 5) * 64;
	}
	z.arena = sv_arena_new(16u << 20);
	if (!z.arena)
		return 0;
	z.at = sv_attrib_new_limits(z.arena, &lim);
	if (!z.at) {
		sv_arena_free(z.arena);
		return 0;
	}
	if (flags & 2) {
		z.may_fail = 1;
		sv_arena_fail_after(z.arena, 1 + (uint64_t)u8(&z));
	}
	run_ops(&z);
	join_twice(&z, &lim);
	sv_attrib_free(z.at);
	sv_arena_free(z.arena);
	return 0;
}
