/*
 * test_attrib.c - analyzer/sv_attrib: flow ends to containers and
 * processes.
 *
 * Unit cases feed synthetic records (struct sv_record built here, as the
 * proc, inspect and net readers emit them) and hand-built flows, then
 * check every owner field and the stats. The end-to-end case runs the
 * real incident sample through sv_pipeline_run and checks each of its 47
 * flows against what the bundle proves by hand (commands in the comment
 * above incident_sample).
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_arena.h"
#include "sv_attrib.h"
#include "sv_pipeline.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define SEC 1000000000LL
#define TCP 6
#define UDP 17
#define EST 1
#define TIME_WAIT 6
#define UNCONN 7
#define LISTEN 10

#define ID_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ID_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define ID_P "1111111111111111111111111111111111111111111111111111111111111111"
#define ID_Q "2222222222222222222222222222222222222222222222222222222222222222"
#define CG(id) "12:pids:/libpod_parent/libpod-" id

/* ---------------------------------------------------- the fixture */

static struct sv_arena *g_arena;
static struct sv_attrib *g_at;
static char g_path[256];

static void setup(void)
{
	g_arena = sv_arena_new(64ULL << 20);
	ck_assert_ptr_nonnull(g_arena);
	g_at = sv_attrib_new(g_arena);
	ck_assert_ptr_nonnull(g_at);
}

static void teardown(void)
{
	sv_attrib_free(g_at);
	sv_arena_free(g_arena);
	g_at = NULL;
	g_arena = NULL;
}

static void feed(struct sv_record *r)
{
	struct sv_error err;

	sv_error_clear(&err);
	ck_assert_int_eq(sv_attrib_record(g_at, r, &err), SV_OK);
}

/* A record of proc/<t>/<pid>/<leaf>, as the proc readers fill one. */
static void proc_rec(struct sv_record *r, enum sv_record_type type, int t,
		     uint32_t pid, const char *leaf)
{
	memset(r, 0, sizeof(*r));
	snprintf(g_path, sizeof(g_path), "proc/%d.000/%u/%s", t, pid, leaf);
	r->type = type;
	r->artifact = g_path;
	r->ts_ns = t * SEC;
	r->pid = pid;
}

static void p_stat(int t, uint32_t pid, uint64_t start, const char *comm)
{
	struct sv_record r;

	proc_rec(&r, SV_REC_PROC_STAT, t, pid, "stat");
	r.u.proc_stat.pid = pid;
	r.u.proc_stat.comm = comm;
	r.u.proc_stat.starttime = start;
	feed(&r);
}

static void p_comm(int t, uint32_t pid, const char *comm)
{
	struct sv_record r;

	proc_rec(&r, SV_REC_PROC_COMM, t, pid, "comm");
	r.u.comm = comm;
	feed(&r);
}

static void p_exe(int t, uint32_t pid, const char *exe)
{
	struct sv_record r;

	proc_rec(&r, SV_REC_PROC_LINK, t, pid, "exe.link");
	r.u.proc_link.kind = SV_LINK_EXE;
	r.u.proc_link.target = exe;
	feed(&r);
}

/* line: "hier:controllers:path" */
static void p_cgroup(int t, uint32_t pid, const char *line)
{
	struct sv_record r;
	const char *c2 = strchr(strchr(line, ':') + 1, ':');

	proc_rec(&r, SV_REC_PROC_CGROUP, t, pid, "cgroup");
	r.u.proc_cgroup.controllers = "";
	r.u.proc_cgroup.path = c2 + 1;
	feed(&r);
}

static void p_ns(int t, uint32_t pid, const char *name, uint64_t inode)
{
	struct sv_record r;

	proc_rec(&r, SV_REC_PROC_NS, t, pid, "ns.links");
	r.u.proc_ns.name = name;
	r.u.proc_ns.inode = inode;
	feed(&r);
}

static void p_fd(int t, uint32_t pid, uint32_t fd, uint64_t inode)
{
	struct sv_record r;

	proc_rec(&r, SV_REC_PROC_FD, t, pid, "fd.links");
	r.u.proc_fd.fd = fd;
	r.u.proc_fd.kind = SV_FD_SOCKET;
	r.u.proc_fd.inode = inode;
	r.u.proc_fd.target = "socket:[?]";
	feed(&r);
}

/* Text address into 16 bytes; family from the text ("::ffff:..." is 6). */
static int addr(const char *s, uint8_t out[16])
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, s, out) == 1)
		return 4;
	ck_assert_int_eq(inet_pton(AF_INET6, s, out), 1);
	return 6;
}

/* One net/{tcp,udp}[6] row read through folder (t, pid). */
static void p_sock(int t, uint32_t pid, int proto, const char *la,
		   uint16_t lp, const char *ra, uint16_t rp, uint8_t state,
		   uint64_t inode)
{
	struct sv_record r;
	struct sv_socket *s = &r.u.socket;
	int fam;

	proc_rec(&r, SV_REC_SOCKET, t, pid, proto == TCP ? "net/tcp"
							  : "net/udp");
	fam = addr(la, s->local);
	ck_assert_int_eq(addr(ra, s->remote), fam);
	s->family = fam;
	s->proto = proto == TCP ? SV_SOCK_TCP : SV_SOCK_UDP;
	s->local_port = lp;
	s->remote_port = rp;
	s->state = state;
	s->inode = inode;
	feed(&r);
}

/* A whole process folder: stat, comm, exe, cgroup, netns. */
static void p_proc(int t, uint32_t pid, uint64_t start, const char *comm,
		   const char *cgroup, uint64_t netns)
{
	char exe[64];

	snprintf(exe, sizeof(exe), "/usr/bin/%s", comm);
	p_stat(t, pid, start, comm);
	p_comm(t, pid, comm);
	p_exe(t, pid, exe);
	p_cgroup(t, pid, cgroup);
	p_ns(t, pid, "net", netns);
}

static void inspect(const char *id, const char *name, const char *pod,
		    const char *ip)
{
	struct sv_record r;
	const char *ips[1] = {ip};
	char path[128];

	memset(&r, 0, sizeof(r));
	snprintf(path, sizeof(path), "inspect/%.12s.json", id);
	r.type = SV_REC_INSPECT;
	r.artifact = path;
	r.u.inspect.id = id;
	r.u.inspect.name = name;
	r.u.inspect.image = "localhost/demo:1";
	r.u.inspect.pod = pod;
	r.u.inspect.started_ns = 1 * SEC;
	r.u.inspect.finished_ns = INT64_MIN;
	r.u.inspect.ip_addresses = ips;
	r.u.inspect.n_ip_addresses = ip ? 1 : 0;
	feed(&r);
}

/* A flow a -> b over [t0, t1] seconds; syn: the handshake was seen. */
static struct sv_flow *flow(int proto, const char *a, uint16_t ap,
			    const char *b, uint16_t bp, int t0, int t1,
			    int syn)
{
	struct sv_flow *f = sv_arena_alloc(g_arena, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	f->proto = (uint8_t)proto;
	f->family = (uint8_t)addr(a, f->a_addr);
	ck_assert_int_eq(addr(b, f->b_addr), f->family);
	f->a_port = ap;
	f->b_port = bp;
	f->first_ns = t0 * SEC;
	f->last_ns = t1 * SEC;
	f->syn_seen = f->synack_seen = syn ? 1 : 0;
	return f;
}

static struct sv_attrib_stats run(struct sv_flow **fl, int n)
{
	struct sv_attrib_stats st;
	int i;

	for (i = 0; i + 1 < n; i++)
		fl[i]->next = fl[i + 1];
	fl[n - 1]->next = NULL;
	memset(&st, 0xff, sizeof(st));
	sv_attrib_flows(g_at, fl[0], &st);
	ck_assert_uint_eq(st.ends, 2 * (uint64_t)n);
	ck_assert_uint_le(st.ends_container + st.ends_host + st.ends_unknown,
			  st.ends);
	ck_assert_uint_le(st.ends_process, st.ends - st.ends_unknown);
	ck_assert_uint_eq(st.ends_nomem, 0);
	return st;
}

static void has(const struct sv_owner *o, const char *needle)
{
	ck_assert_ptr_nonnull(o);
	ck_assert_msg(strstr(o->how, needle) != NULL, "how \"%s\" lacks "
		      "\"%s\"", o->how, needle);
}

static void no_process(const struct sv_owner *o)
{
	ck_assert_int_eq(o->pid, -1);
	ck_assert_uint_eq(o->pid_start, 0);
	ck_assert_ptr_null(o->comm);
}

static void process(const struct sv_owner *o, int64_t pid, uint64_t start,
		    const char *comm, uint64_t inode)
{
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(o->pid, pid);
	ck_assert_uint_eq(o->pid_start, start);
	ck_assert_str_eq(o->comm, comm);
	ck_assert_uint_eq(o->inode, inode);
}

/* ------------------------------------------------------ unit cases */

/* Only inspect: its address names the container; the peer is unknown. */
START_TEST(inspect_ip)
{
	struct sv_flow *f[1];
	struct sv_attrib_stats st;
	const struct sv_owner *o;

	inspect(ID_A, "/web", "", "10.0.0.2");
	f[0] = flow(TCP, "10.0.0.2", 5000, "10.0.0.9", 80, 100, 101, 1);
	st = run(f, 1);
	o = f[0]->owner_a;
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->container_id, ID_A);
	ck_assert_str_eq(o->container_name, "web"); /* docker's '/' cut */
	ck_assert_str_eq(o->image, "localhost/demo:1");
	ck_assert_int_eq(o->is_host, 0);
	ck_assert_uint_eq(o->netns, 0);
	no_process(o);
	has(o, "inspect ip 10.0.0.2 (inspect/aaaaaaaaaaaa.json)");
	ck_assert_ptr_null(f[0]->owner_b);
	ck_assert_uint_eq(st.ends_container, 1);
	ck_assert_uint_eq(st.ends_by_inspect, 1);
	ck_assert_uint_eq(st.ends_unknown, 1);
	ck_assert_uint_eq(st.ends_process, 0);
}
END_TEST

/* net/tcp row -> socket inode -> fd.links -> the process and its cgroup */
START_TEST(socket_to_process)
{
	struct sv_flow *f[1];
	struct sv_attrib_stats st;
	const struct sv_owner *o;

	p_proc(100, 42, 5000, "curl", CG(ID_A), 4026532001u);
	p_fd(100, 42, 3, 777);
	p_sock(100, 42, TCP, "10.0.0.2", 5000, "10.0.0.9", 80, EST, 777);
	f[0] = flow(TCP, "10.0.0.2", 5000, "10.0.0.9", 80, 100, 101, 1);
	st = run(f, 1);
	o = f[0]->owner_a;
	process(o, 42, 5000, "curl", 777);
	ck_assert_str_eq(o->exe, "/usr/bin/curl");
	ck_assert_str_eq(o->container_id, ID_A);
	ck_assert_ptr_null(o->container_name); /* no inspect, no event */
	ck_assert_uint_eq(o->netns, 4026532001u);
	has(o, "net/tcp row 10.0.0.2:5000 -> 10.0.0.9:80 in netns "
	    "4026532001 (proc/100.000/42)");
	has(o, "socket:[777] in fd.links of pid 42 (proc/100.000/42)");
	has(o, "its cgroup: container " ID_A);
	ck_assert_ptr_null(f[0]->owner_b);
	ck_assert_uint_eq(st.ends_process, 1);
	ck_assert_uint_eq(st.ends_exact, 1);
	ck_assert_uint_eq(st.sockets, 1);
	ck_assert_uint_eq(st.fds, 1);
	ck_assert_uint_eq(st.folders, 1);
}
END_TEST

/*
 * UDP without connect(): the server's row is *:53 (remote 0.0.0.0:0), the
 * client's is bound to its own address. The server address is known only
 * from inspect, which gives the container, whose processes give the netns
 * the wildcard row must be in.
 */
START_TEST(udp_unconnected)
{
	struct sv_flow *f[1];
	struct sv_attrib_stats st;

	p_proc(100, 50, 600, "dnsd", CG(ID_B), 4026532002u);
	p_fd(100, 50, 4, 900);
	p_sock(100, 50, UDP, "0.0.0.0", 53, "0.0.0.0", 0, UNCONN, 900);
	inspect(ID_B, "dns", "", "10.0.0.3");
	/* the same port bound in another netns must not be taken */
	p_proc(100, 51, 601, "other", CG(ID_A), 4026532009u);
	p_fd(100, 51, 4, 901);
	p_sock(100, 51, UDP, "0.0.0.0", 53, "0.0.0.0", 0, UNCONN, 901);
	p_proc(100, 52, 700, "dig", CG(ID_A), 4026532001u);
	p_fd(100, 52, 5, 902);
	p_sock(100, 52, UDP, "10.0.0.2", 40000, "0.0.0.0", 0, UNCONN, 902);
	f[0] = flow(UDP, "10.0.0.2", 40000, "10.0.0.3", 53, 100, 100, 0);
	st = run(f, 1);
	process(f[0]->owner_b, 50, 600, "dnsd", 900);
	ck_assert_str_eq(f[0]->owner_b->container_id, ID_B);
	ck_assert_str_eq(f[0]->owner_b->container_name, "dns");
	ck_assert_uint_eq(f[0]->owner_b->netns, 4026532002u);
	has(f[0]->owner_b, "inspect ip 10.0.0.3 (inspect/bbbbbbbbbbbb.json) "
	    "-> container dns in netns 4026532002");
	has(f[0]->owner_b, "unconnected net/udp row *:53 in netns "
	    "4026532002");
	process(f[0]->owner_a, 52, 700, "dig", 902);
	has(f[0]->owner_a, "unconnected net/udp row 10.0.0.2:40000");
	ck_assert_uint_eq(st.ends_unbound, 2);
}
END_TEST

/*
 * A forking server: the LISTEN socket is in the parent, each accepted
 * socket in a child. A flow whose accepted row a snapshot caught goes to
 * the child; one whose accepted socket no snapshot saw goes to the LISTEN
 * row's process, and says so. The rows are tcp6 with IPv4-mapped
 * addresses (a dual-stack listener on [::]:80), as busybox httpd's are.
 */
START_TEST(listen_vs_accepted)
{
	struct sv_flow *f[3];
	struct sv_attrib_stats st;
	const struct sv_owner *o;

	p_proc(100, 60, 100, "httpd", CG(ID_A), 4026532003u);
	p_fd(100, 60, 3, 1000);
	p_sock(100, 60, TCP, "::", 80, "::", 0, LISTEN, 1000);
	p_proc(100, 61, 150, "httpd", CG(ID_A), 4026532003u);
	p_fd(100, 61, 0, 1001);
	p_fd(100, 61, 3, 1000);  /* the child inherited the listener */
	p_sock(100, 60, TCP, "::ffff:10.0.0.4", 80, "::ffff:10.0.0.2", 5001,
	       EST, 1001);
	f[0] = flow(TCP, "10.0.0.2", 5001, "10.0.0.4", 80, 100, 101, 1);
	f[1] = flow(TCP, "10.0.0.2", 5002, "10.0.0.4", 80, 102, 102, 1);
	/* 10.0.0.4 starts this one: its end never stands in a LISTEN row */
	f[2] = flow(TCP, "10.0.0.4", 80, "10.0.0.2", 5003, 103, 103, 1);
	st = run(f, 3);
	o = f[0]->owner_b;
	process(o, 61, 150, "httpd", 1001);
	ck_assert_ptr_null(strstr(o->how, "LISTEN"));
	has(o, "net/tcp6 row 10.0.0.4:80 -> 10.0.0.2:5001");
	o = f[1]->owner_b;
	process(o, 60, 100, "httpd", 1000);   /* the first started holder */
	has(o, "no connected row with an inode, so the LISTEN net/tcp6 row "
	    "*:80 in netns 4026532003");
	has(o, "first started of 2 holders");
	has(o, "address 10.0.0.4 is local in netns 4026532003");
	ck_assert_str_eq(o->container_id, ID_A);
	o = f[2]->owner_a;
	ck_assert_ptr_nonnull(o);
	no_process(o);
	ck_assert_uint_eq(o->inode, 0);
	ck_assert_str_eq(o->container_id, ID_A);
	ck_assert_uint_eq(st.ends_listen, 1);
	ck_assert_uint_eq(st.ends_exact, 1);
	ck_assert_uint_eq(st.ends_by_netns, 1);
}
END_TEST

/*
 * pid 70 at T=100 (started at tick 1000) and pid 70 at T=200 (a new
 * process, tick 9000) hold different sockets. Each flow gets its own
 * process; the new one's exe, read only at T=250, is filled in from that
 * snapshot of the same (pid, start), never from the old process.
 */
START_TEST(pid_reuse)
{
	struct sv_flow *f[2];

	p_proc(100, 70, 1000, "old", CG(ID_A), 4026532001u);
	p_fd(100, 70, 3, 2000);
	p_sock(100, 70, TCP, "10.0.0.2", 6000, "10.0.0.9", 80, EST, 2000);
	p_stat(200, 70, 9000, "new");
	p_ns(200, 70, "net", 4026532001u);
	p_cgroup(200, 70, CG(ID_A));
	p_fd(200, 70, 3, 2001);
	p_sock(200, 70, TCP, "10.0.0.2", 6001, "10.0.0.9", 80, EST, 2001);
	p_stat(250, 70, 9000, "new");
	p_exe(250, 70, "/bin/new");
	f[0] = flow(TCP, "10.0.0.2", 6000, "10.0.0.9", 80, 99, 101, 1);
	f[1] = flow(TCP, "10.0.0.2", 6001, "10.0.0.9", 80, 199, 201, 1);
	run(f, 2);
	process(f[0]->owner_a, 70, 1000, "old", 2000);
	ck_assert_str_eq(f[0]->owner_a->exe, "/usr/bin/old");
	process(f[1]->owner_a, 70, 9000, "new", 2001);
	ck_assert_str_eq(f[1]->owner_a->exe, "/bin/new");
	has(f[1]->owner_a, "fd.links of pid 70 (proc/200.000/70)");
}
END_TEST

/*
 * Two containers of one pod share a netns. An end known only by address
 * is named after the container started first (the infra container), with
 * the pod; an end whose socket a process of the second holds is that
 * container's.
 */
START_TEST(pod_shared_netns)
{
	struct sv_flow *f[2];
	const struct sv_owner *o;

	inspect(ID_P, "pod-infra", "mypod", "10.0.0.5");
	inspect(ID_Q, "pod-app", "mypod", NULL);
	p_proc(100, 91, 500, "app", CG(ID_Q), 4026532005u);
	p_proc(100, 90, 100, "pause", CG(ID_P), 4026532005u);
	p_fd(100, 91, 7, 3100);
	p_sock(100, 91, TCP, "10.0.0.5", 7000, "10.0.0.9", 443, EST, 3100);
	f[0] = flow(TCP, "10.0.0.2", 5000, "10.0.0.5", 8080, 100, 100, 1);
	f[1] = flow(TCP, "10.0.0.5", 7000, "10.0.0.9", 443, 100, 100, 1);
	run(f, 2);
	o = f[0]->owner_b;
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->container_id, ID_P);
	ck_assert_str_eq(o->container_name, "pod-infra");
	ck_assert_str_eq(o->pod, "mypod");
	ck_assert_uint_eq(o->netns, 4026532005u);
	no_process(o);
	has(o, "netns 4026532005 is shared by 2 containers of pod mypod: "
	    "named pod-infra, started first");
	o = f[1]->owner_a;
	process(o, 91, 500, "app", 3100);
	ck_assert_str_eq(o->container_id, ID_Q);
	ck_assert_str_eq(o->container_name, "pod-app");
}
END_TEST

/*
 * Host processes: pid 1 in netns 4026531993 makes it the host's. sshd's
 * socket gives the process; another end on the host's address, without a
 * socket row, is still the host; a container's conmon (outside the
 * container) in the same netns does not change that.
 */
START_TEST(host_process)
{
	struct sv_flow *f[2];
	struct sv_attrib_stats st;
	const struct sv_owner *o;

	p_proc(100, 1, 1, "systemd", "0::/init.scope", 4026531993u);
	p_proc(100, 300, 40, "sshd", "0::/system.slice/ssh.service",
	       4026531993u);
	p_proc(100, 301, 50, "conmon", "0::/libpod_parent/conmon",
	       4026531993u);
	p_fd(100, 300, 4, 3000);
	p_sock(100, 300, TCP, "192.168.1.10", 22, "192.168.1.50", 6000, EST,
	       3000);
	f[0] = flow(TCP, "192.168.1.50", 6000, "192.168.1.10", 22, 100, 101,
		    1);
	f[1] = flow(TCP, "192.168.1.10", 40000, "1.2.3.4", 443, 100, 100, 1);
	st = run(f, 2);
	o = f[0]->owner_b;
	process(o, 300, 40, "sshd", 3000);
	ck_assert_int_eq(o->is_host, 1);
	ck_assert_ptr_null(o->container_id);
	ck_assert_uint_eq(o->netns, 4026531993u);
	has(o, "its cgroup is outside containers; netns 4026531993 is the "
	    "host's (pid 1 is in it)");
	ck_assert_ptr_null(f[0]->owner_a);
	o = f[1]->owner_a;
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(o->is_host, 1);
	no_process(o);
	has(o, "address 192.168.1.10 is local in netns 4026531993");
	ck_assert_ptr_null(f[1]->owner_b);
	ck_assert_uint_eq(st.ends_host, 2);
	ck_assert_uint_eq(st.ends_container, 0);
}
END_TEST

/* Sockets past the cap are counted, not kept; a row seen again in a later
 * snapshot is one row, not a new one; folders have their own cap. */
START_TEST(caps)
{
	struct sv_attrib_limits lim = {.max_sockets = 3, .max_folders = 4};
	struct sv_flow *f[2];
	struct sv_attrib_stats st;
	int i;

	sv_attrib_free(g_at);
	g_at = sv_attrib_new_limits(g_arena, &lim);
	ck_assert_ptr_nonnull(g_at);
	p_ns(100, 42, "net", 4026532001u);
	p_cgroup(100, 42, CG(ID_A));
	for (i = 0; i < 5; i++) {
		p_fd(100, 42, 3 + (uint32_t)i, 700 + (uint64_t)i);
		p_sock(100, 42, TCP, "10.0.0.2", (uint16_t)(5000 + i),
		       "10.0.0.9", 80, EST, 700 + (uint64_t)i);
	}
	p_sock(101, 43, TCP, "10.0.0.2", 5000, "10.0.0.9", 80, EST, 700);
	for (i = 0; i < 6; i++)
		p_stat(200 + i, 7, 1, "x");
	f[0] = flow(TCP, "10.0.0.2", 5000, "10.0.0.9", 80, 100, 100, 1);
	f[1] = flow(TCP, "10.0.0.2", 5004, "10.0.0.9", 80, 100, 100, 1);
	st = run(f, 2);
	ck_assert_uint_eq(st.sockets, 3);
	ck_assert_uint_eq(st.sockets_dropped, 2);
	ck_assert_uint_eq(st.folders, 4);
	ck_assert_uint_eq(st.folders_dropped, 4); /* T=202..205, 2 records */
	ck_assert_uint_eq(st.fds, 5);
	ck_assert_int_eq(f[0]->owner_a->pid, 42);
	ck_assert_uint_eq(f[0]->owner_a->inode, 700);
	/* the dropped row: no socket, but the address is the netns's */
	no_process(f[1]->owner_a);
	ck_assert_str_eq(f[1]->owner_a->container_id, ID_A);
}
END_TEST

/* One tuple seen with many inodes, one inode held by many pids: the
 * first SV_ATTRIB_ROWS_PER_TUPLE / SV_ATTRIB_HOLDERS_PER_INODE are kept,
 * the rest counted; the kept first holder still names the process. */
START_TEST(per_key_caps)
{
	struct sv_flow *f[1];
	struct sv_attrib_stats st;
	uint32_t i;

	p_proc(100, 42, 5000, "master", CG(ID_A), 4026532001u);
	for (i = 0; i < SV_ATTRIB_ROWS_PER_TUPLE + 2; i++)
		p_sock(100, 42, TCP, "10.0.0.2", 5000, "10.0.0.9", 80, EST,
		       1000 + i);
	for (i = 0; i < SV_ATTRIB_HOLDERS_PER_INODE + 3; i++)
		p_fd(100, 42 + i, 3, 1000);
	f[0] = flow(TCP, "10.0.0.2", 5000, "10.0.0.9", 80, 100, 100, 1);
	st = run(f, 1);
	ck_assert_uint_eq(st.sockets, SV_ATTRIB_ROWS_PER_TUPLE);
	ck_assert_uint_eq(st.sockets_dropped, 2);
	ck_assert_uint_eq(st.fds, SV_ATTRIB_HOLDERS_PER_INODE);
	ck_assert_uint_eq(st.fds_dropped, 3);
	process(f[0]->owner_a, 42, 5000, "master", 1000);
	has(f[0]->owner_a, "first started of 64 holders");
}
END_TEST

/*
 * Records in any order: the flows exist first, then the seven records of
 * one case arrive in each of their 5040 orders (socket row before the
 * folder's ns.links, fd.links before stat, inspect last or first...).
 * Every order must give the same owner.
 */
static void order_feed(int which)
{
	switch (which) {
	case 0: p_stat(100, 42, 5000, "curl"); break;
	case 1: p_cgroup(100, 42, CG(ID_A)); break;
	case 2: p_ns(100, 42, "net", 4026532001u); break;
	case 3: p_fd(100, 42, 3, 777); break;
	case 4: p_sock(100, 43, TCP, "10.0.0.2", 5000, "10.0.0.9", 80, EST,
		       777); break;
	case 5: p_ns(100, 43, "net", 4026532001u); break;
	default: inspect(ID_A, "web", "", "10.0.0.2"); break;
	}
}

/* The k-th of the 7! orders of 0..6 (Lehmer code). */
static void nth_order(int k, int perm[7])
{
	int left[7], i, j, fact;

	for (i = 0; i < 7; i++)
		left[i] = i;
	for (i = 0; i < 7; i++) {
		for (fact = 1, j = 1; j < 7 - i; j++)
			fact *= j;
		perm[i] = left[k / fact];
		memmove(left + k / fact, left + k / fact + 1,
			(size_t)(7 - i - k / fact - 1) * sizeof(int));
		k %= fact;
	}
}

START_TEST(any_order)
{
	int perm[7], i, k;
	struct sv_flow *f[1];
	const struct sv_owner *o;

	for (k = 0; k < 5040; k++) {
		if (k) {
			teardown();
			setup();
		}
		f[0] = flow(TCP, "10.0.0.2", 5000, "10.0.0.9", 80, 100, 101,
			    1);
		nth_order(k, perm);
		for (i = 0; i < 7; i++)
			order_feed(perm[i]);
		run(f, 1);
		o = f[0]->owner_a;
		process(o, 42, 5000, "curl", 777);
		ck_assert_str_eq(o->container_id, ID_A);
		ck_assert_str_eq(o->container_name, "web");
		ck_assert_uint_eq(o->netns, 4026532001u);
		has(o, "net/tcp row 10.0.0.2:5000 -> 10.0.0.9:80 in netns "
		    "4026532001 (proc/100.000/43) -> socket:[777] in "
		    "fd.links of pid 42 (proc/100.000/42); its cgroup: "
		    "container web");
	}
}
END_TEST

/* Two containers talking: each end has its own owner. The same owner is
 * shared by flows that get equal results. */
START_TEST(two_containers)
{
	struct sv_flow *f[2];
	struct sv_attrib_stats st;

	inspect(ID_A, "a", "", "10.0.0.2");
	inspect(ID_B, "b", "", "10.0.0.3");
	f[0] = flow(TCP, "10.0.0.2", 5000, "10.0.0.3", 80, 100, 101, 1);
	f[1] = flow(TCP, "10.0.0.2", 5001, "10.0.0.3", 80, 100, 101, 1);
	st = run(f, 2);
	ck_assert_str_eq(f[0]->owner_a->container_id, ID_A);
	ck_assert_str_eq(f[0]->owner_b->container_id, ID_B);
	ck_assert_ptr_eq(f[0]->owner_a, f[1]->owner_a);
	ck_assert_ptr_eq(f[0]->owner_b, f[1]->owner_b);
	ck_assert_uint_eq(st.owners, 2);
}
END_TEST

/* Out of memory is SV_ERR_NOMEM from a record and NULL owners (counted)
 * in the join, never a crash. */
START_TEST(nomem)
{
	struct sv_error err;
	struct sv_record r;
	struct sv_flow *f[1];
	struct sv_attrib_stats st;

	inspect(ID_A, "a", "", "10.0.0.2");
	f[0] = flow(TCP, "10.0.0.2", 5000, "10.0.0.3", 80, 100, 101, 1);
	f[0]->next = NULL;
	sv_arena_fail_after(g_arena, 1);
	proc_rec(&r, SV_REC_PROC_COMM, 100, 5, "comm");
	r.u.comm = "never-seen-before";
	ck_assert_int_eq(sv_attrib_record(g_at, &r, &err), SV_ERR_NOMEM);
	ck_assert_int_eq(err.code, SV_ERR_NOMEM);
	sv_attrib_flows(g_at, f[0], &st);
	ck_assert_ptr_null(f[0]->owner_a);
	ck_assert_uint_eq(st.ends_nomem, 1);
	ck_assert_uint_eq(st.ends_container, 0);
}
END_TEST

/* ------------------------------------------------------ end to end */

#define WEB_ID                                                             \
	"49812af6ca9239fba7dee6b2a9f9df99d506e99af784dfa520af9d268c2799bf"
#define CLIENT_ID                                                          \
	"26fb368108fc34ebf70607f561b97aa4ec24c810ce3364a5742e7a37afcef370"
#define NS_HOST 4026531833u
#define NS_WEB 4026532176u
#define NS_CLIENT 4026532252u

/* The owner each address of the sample must get. */
static void check_end(const struct sv_owner *o, const uint8_t *a)
{
	char ip[INET_ADDRSTRLEN];

	ck_assert_ptr_nonnull(inet_ntop(AF_INET, a, ip, sizeof(ip)));
	ck_assert_msg(o != NULL, "%s: no owner", ip);
	if (!strcmp(ip, "10.89.77.1")) {
		ck_assert_int_eq(o->is_host, 1);
		ck_assert_ptr_null(o->container_id);
		ck_assert_uint_eq(o->netns, NS_HOST);
	} else if (!strcmp(ip, "10.89.77.10")) {
		ck_assert_str_eq(o->container_id, WEB_ID);
		ck_assert_str_eq(o->container_name, "web");
		ck_assert_str_eq(o->image, "localhost/salvage-demo:1");
		ck_assert_uint_eq(o->netns, NS_WEB);
	} else {
		ck_assert_str_eq(ip, "10.89.77.11");
		ck_assert_str_eq(o->container_id, CLIENT_ID);
		ck_assert_str_eq(o->container_name, "client");
		ck_assert_uint_eq(o->netns, NS_CLIENT);
	}
	ck_assert_int_eq(o->is_host, o->container_id == NULL);
}

/*
 * samples/web-incident.tar.zst (samples/README.md) through the pipeline.
 * What the bundle proves, with S=samples/web-incident.tar.zst, commands
 * run in the folder `tar --zstd -xf $S` makes (web-incident/):
 *
 * Containers and addresses:
 *   tar --zstd -xOf $S --wildcards '*inspect*json' |
 *     jq -r '.[] | "\(.Id) \(.Name)
 *     \([.NetworkSettings.Networks[].IPAddress])"'
 *   -> 4981...99bf web 10.89.77.10; 26fb...f370 client 10.89.77.11;
 *      26d0...f253 hog "" (OOM-killed before inspect).
 * Their netns, from every folder whose cgroup names them:
 *   grep -rl --include=cgroup libpod-<id> proc |
 *     sed 's,/cgroup$,/ns.links,' | xargs grep -h '^net ' | uniq -c
 *   -> web 79 x net:[4026532176], client 67 x net:[4026532252], hog 11 x
 *      net:[4026532327]; every folder outside containers (grep -rL
 *      'libpod-[0-9a-f]\{64\}' instead): 312 x net:[4026531833], so that
 *      netns is the host's (pid 1 is not in the bundle).
 * Which netns each address is local in (local column of net/tcp[6]):
 *   grep -rlE --include='tcp*' '^ *[0-9]+: (0{16}FFFF0000)?014D590A:' proc
 *     | sed -E 's,/net/tcp6?$,/ns.links,' | xargs grep -h '^net ' |
 *     sort | uniq -c
 *   -> 014D590A (10.89.77.1) only in 4026531833 (the host's: the bridge
 *      address the attacker's listeners bind), 0A4D590A (.10) only in
 *      4026532176, 0B4D590A (.11) only in 4026532252.
 * tshark -r pcap/web-incident.pcap -q -z conv,tcp lists 47 flows, all
 * between these three addresses: each end's owner follows its address.
 *
 * Processes (starttime: sed 's/.*) //' <folder>/stat | awk '{print $20}'):
 *   grep -rh --include=tcp ' 0A4D590A:A0E0 014D590A:115C 01' proc
 *   -> inode 112415 (the reverse shell 10.89.77.10:41184 -> :4444);
 *   grep -rl --include=fd.links 'socket:\[112415\]' proc -> pids 11832
 *   (sh, start 774663, 15 snapshots), 12147 and 12150 (xmrig, 774910 and
 *   774912), 12156 (nc, 774914): forks of the shell inherit it; the first
 *   started is the shell, which nc -e /bin/sh became.
 *   Host end: ' 014D590A:115C 0A4D590A:A0E0 01' -> inode 110932, held by
 *   11425 `busybox nc -l -p 4444 10.89.77.1` (start 774330).
 *   Pool flow 10.89.77.10:48320 (BCC0) -> :3333 (0D05): inode 113204 in
 *   12156 (nc 10.89.77.1 3333, start 774914); host end inode 110926 in
 *   11412 (busybox nc -l -p 3333, start 774321).
 *   The miner download 10.89.77.10:56392 -> 10.89.77.1:8000: no
 *   connected row with an inode; LISTEN row '014D590A:1F40 00000000:0000
 *   0A' inode 110914 in 11390 (busybox httpd -f -p 10.89.77.1:8000,
 *   start 774308).
 */
START_TEST(incident_sample)
{
	struct sv_pipeline_options o;
	struct sv_error err;
	struct sv_analysis *a;
	const struct sv_flow *f;
	const struct sv_attrib_stats *st;
	int seen = 0, n = 0;

	sv_pipeline_options_default(&o);
	a = sv_pipeline_run(SV_SOURCE_DIR "/samples/web-incident.tar.zst", &o,
			    &err);
	ck_assert_ptr_nonnull(a);
	for (f = a->flows; f; f = f->next, n++) {
		ck_assert_int_eq(f->family, 4);
		check_end(f->owner_a, f->a_addr);
		check_end(f->owner_b, f->b_addr);
		if (f->a_port == 41184 && f->b_port == 4444) {
			process(f->owner_a, 11832, 774663, "sh", 112415);
			ck_assert_str_eq(f->owner_a->exe, "/bin/busybox");
			has(f->owner_a, "first started of 4 holders");
			process(f->owner_b, 11425, 774330, "busybox", 110932);
			seen |= 1;
		}
		if (f->a_port == 48320 && f->b_port == 3333) {
			process(f->owner_a, 12156, 774914, "nc", 113204);
			process(f->owner_b, 11412, 774321, "busybox", 110926);
			seen |= 2;
		}
		if (f->b_port == 8000) {
			process(f->owner_b, 11390, 774308, "busybox", 110914);
			has(f->owner_b, "LISTEN net/tcp row 10.89.77.1:8000");
			seen |= 4;
		}
	}
	ck_assert_int_eq(n, 47);
	ck_assert_int_eq(seen, 7);
	st = &a->attrib;
	ck_assert_uint_eq(st->ends, 94);
	ck_assert_uint_eq(st->ends_unknown, 0);
	ck_assert_uint_eq(st->ends_host, 4);
	ck_assert_uint_eq(st->ends_container, 90);
	ck_assert_uint_eq(st->ends_nomem, 0);
	ck_assert_uint_eq(st->sockets_dropped + st->folders_dropped +
			  st->fds_dropped + st->strings_dropped, 0);
	sv_analysis_free(a);
}
END_TEST

static Suite *attrib_suite(void)
{
	Suite *s = suite_create("attrib");
	TCase *tc = tcase_create("unit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, inspect_ip);
	tcase_add_test(tc, socket_to_process);
	tcase_add_test(tc, udp_unconnected);
	tcase_add_test(tc, listen_vs_accepted);
	tcase_add_test(tc, pid_reuse);
	tcase_add_test(tc, pod_shared_netns);
	tcase_add_test(tc, host_process);
	tcase_add_test(tc, caps);
	tcase_add_test(tc, per_key_caps);
	tcase_add_test(tc, two_containers);
	tcase_add_test(tc, nomem);
	suite_add_tcase(s, tc);

	tcase_add_test(tc, any_order);

	tc = tcase_create("sample");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, incident_sample);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(attrib_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
