/*
 * test_dmesg.c - formats/fmt_dmesg: the real kernel logs of data/dmesg
 * (sample bundles of real podman containers; this machine's dmesg and
 * dmesg -r with a memcg OOM kill and two segfaults; data/SOURCES.md),
 * every line kind and prefix variant, the OOM pairing, and malformed
 * input.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_harness.h"
#include "sv_time.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DATA SV_KT_DATA "/dmesg/"
#define PATH "events/dmesg.txt"
#define S_ID "26d00411f9a1115c23bf0b9d477171f21739e24ec6cb6525470eb123549ef253"
#define NONE SV_TIME_NONE

extern const struct sv_format_ops sv_fmt_dmesg;

static void check_envelope(const struct kt_run *r)
{
	size_t i;

	for (i = 0; i < r->nrec; i++) {
		ck_assert_int_eq(r->rec[i].type, SV_REC_KERNEL);
		ck_assert_int_eq(r->rec[i].ts_ns, SV_TIME_NONE);
		ck_assert_uint_eq(r->rec[i].pid, 0);
		ck_assert_uint_ge(r->rec[i].line, 1);
	}
}

/* ---- real files: counts per kind ---- */

struct file_case {
	const char *file;
	int nrec, nprob;
	int kinds[6]; /* OTHER, OOM_KILL, OOM_INVOKED, SEGFAULT, VETH, BRIDGE */
};

static const struct file_case files[] = {
	{"podman-incident.txt", 101, 0, {76, 2, 1, 0, 8, 14}},
	{"podman-clean.txt", 16, 0, {0, 0, 0, 0, 6, 10}},
	{"host-oom-segv.txt", 84, 0, {79, 2, 1, 2, 0, 0}},
	{"host-raw-levels.txt", 15, 0, {4, 2, 0, 1, 4, 4}},
};

START_TEST(test_files)
{
	const struct file_case *c = &files[_i];
	struct kt_run *r = kt_new(), *b = kt_new();
	int kinds[6] = {0};
	char abs[1024];
	size_t i, n;
	char *buf;

	snprintf(abs, sizeof(abs), DATA "%s", c->file);
	buf = kt_read(abs, &n);
	kt_parse(r, &sv_fmt_dmesg, PATH, buf, n);
	ck_assert_int_eq(r->rc, c->nprob ? SV_WARN : SV_OK);
	ck_assert_uint_eq(r->nrec, (size_t)c->nrec);
	ck_assert_uint_eq(r->nprob, (size_t)c->nprob);
	check_envelope(r);
	for (i = 0; i < r->nrec; i++) {
		ck_assert_uint_eq(r->rec[i].line, i + 1);
		ck_assert_int_ne(r->rec[i].u.kernel.boot_ns, NONE);
		kinds[r->rec[i].u.kernel.kind]++;
	}
	for (i = 0; i < 6; i++)
		ck_assert_msg(kinds[i] == c->kinds[i], "%s: kind %zu: %d",
			      c->file, i, kinds[i]);
	/* the same through a real bundle, in libarchive's blocks */
	kt_parse_bundle(b, &sv_fmt_dmesg, PATH, buf, n);
	ck_assert_int_eq(b->rc, r->rc);
	ck_assert_uint_eq(b->nrec, r->nrec);
	for (i = 0; i < r->nrec; i++) {
		ck_assert_str_eq(b->rec[i].u.kernel.message,
				 r->rec[i].u.kernel.message);
		ck_assert_int_eq(b->rec[i].u.kernel.boot_ns,
				 r->rec[i].u.kernel.boot_ns);
	}
	free(buf);
	kt_free(r);
	kt_free(b);
}
END_TEST

/* ---- real files: chosen lines ---- */

struct line_case {
	const char *file;
	uint64_t line;
	enum sv_kernel_kind kind;
	int64_t boot_ns;
	int64_t pid;
	const char *comm, *memcg, *device, *port;
	int oom_detail;
	const char *message; /* its start */
};

#define MEMCG_S "/libpod_parent/libpod-" S_ID

static const struct line_case lines[] = {
	{"podman-incident.txt", 1, SV_KERN_BRIDGE, 7742065084000LL, -1, "", "",
	 "podman1", "veth0", 0, "podman1: port 1(veth0) entered blocking"},
	{"podman-incident.txt", 3, SV_KERN_VETH, 7742065096000LL, -1, "", "",
	 "veth0", "", 0, "veth0: entered allmulticast mode"},
	{"podman-incident.txt", 4, SV_KERN_VETH, 7742065155000LL, -1, "", "",
	 "veth0", "", 0, "veth0: entered promiscuous mode"},
	{"podman-incident.txt", 19, SV_KERN_OOM_INVOKED, 7761658631000LL, -1,
	 "sh", "", "", "", 0, "sh invoked oom-killer: gfp_mask=0xcc0"},
	{"podman-incident.txt", 20, SV_KERN_OTHER, 7761658648000LL, -1, "", "",
	 "", "", 0, "CPU: 1 UID: 0 PID: 12529 Comm: sh"},
	{"podman-incident.txt", 22, SV_KERN_OTHER, 7761658657000LL, -1, "", "",
	 "", "", 0, " <TASK>"},
	{"podman-incident.txt", 96, SV_KERN_OOM_KILL, 7761658914000LL, 12529,
	 "sh", MEMCG_S, "", "", 1, "oom-kill:constraint=CONSTRAINT_MEMCG"},
	{"podman-incident.txt", 97, SV_KERN_OOM_KILL, 7761658928000LL, 12529,
	 "sh", MEMCG_S, "", "", 0, "Memory cgroup out of memory: Killed"},
	{"podman-incident.txt", 98, SV_KERN_BRIDGE, 7761902253000LL, -1, "", "",
	 "podman1", "veth2", 0, "podman1: port 3(veth2) entered disabled"},
	{"podman-incident.txt", 100, SV_KERN_VETH, 7761902565000LL, -1, "", "",
	 "veth2", "", 0, "veth2 (unregistering): left promiscuous mode"},
	{"host-oom-segv.txt", 1, SV_KERN_SEGFAULT, 7312823763000LL, 16691,
	 "salvage", "", "", "", 0, "salvage[16691]: segfault at 0 ip"},
	{"host-oom-segv.txt", 3, SV_KERN_SEGFAULT, 8163937874000LL, 1812,
	 "busybox", "", "", "", 0, "busybox[1812]: segfault at 0 ip"},
	{"host-oom-segv.txt", 5, SV_KERN_OOM_INVOKED, 8168278748000LL, -1,
	 "python3", "", "", "", 0, "python3 invoked oom-killer"},
	{"host-oom-segv.txt", 83, SV_KERN_OOM_KILL, 8168279154000LL, 1890,
	 "python3", "/salvage-oomtest", "", "", 1, "oom-kill:constraint="},
	{"host-oom-segv.txt", 84, SV_KERN_OOM_KILL, 8168279170000LL, 1890,
	 "python3", "/salvage-oomtest", "", "", 0,
	 "Memory cgroup out of memory: Killed process 1890 (python3)"},
	{"host-raw-levels.txt", 1, SV_KERN_BRIDGE, 7769199224000LL, -1, "", "",
	 "podman1", "veth1", 0, "podman1: port 2(veth1) entered disabled"},
	{"host-raw-levels.txt", 9, SV_KERN_SEGFAULT, 8163937874000LL, 1812,
	 "busybox", "", "", "", 0, "busybox[1812]: segfault"},
	{"host-raw-levels.txt", 15, SV_KERN_OOM_KILL, 8168279170000LL, 1890,
	 "python3", "/salvage-oomtest", "", "", 0, "Memory cgroup out of"},
};

static void check_kernel(const struct sv_record *rec,
			 const struct line_case *c, const char *what)
{
	const struct sv_kernel *k = &rec->u.kernel;

	ck_assert_msg(k->kind == c->kind, "%s: kind %d", what, k->kind);
	ck_assert_int_eq(k->boot_ns, c->boot_ns);
	ck_assert_int_eq(k->pid, c->pid);
	ck_assert_str_eq(k->comm, c->comm);
	ck_assert_str_eq(k->memcg, c->memcg);
	ck_assert_str_eq(k->device, c->device);
	ck_assert_str_eq(k->port, c->port);
	ck_assert_int_eq(k->oom_detail, c->oom_detail);
	ck_assert_msg(!strncmp(k->message, c->message, strlen(c->message)),
		      "%s: message '%s'", what, k->message);
}

START_TEST(test_lines)
{
	const struct line_case *c = &lines[_i];
	struct kt_run *r = kt_new();
	char abs[1024], what[256];

	snprintf(abs, sizeof(abs), DATA "%s", c->file);
	kt_parse_file(r, &sv_fmt_dmesg, PATH, abs);
	ck_assert_uint_ge(r->nrec, c->line);
	ck_assert_uint_eq(r->rec[c->line - 1].line, c->line);
	snprintf(what, sizeof(what), "%s:%llu", c->file,
		 (unsigned long long)c->line);
	check_kernel(&r->rec[c->line - 1], c, what);
	kt_free(r);
}
END_TEST

/* ---- one line each: every variant, and malformed ones ---- */

struct one_case {
	const char *s;
	size_t n;
	struct line_case want;  /* file and line unused */
	int nrec;
	const char *problem;    /* substring of the one problem, or NULL */
};

#define L(lit) lit, sizeof(lit) - 1
#define K(kind, ns, pid, comm, memcg, dev, port, det, msg) \
	{NULL, 0, kind, ns, pid, comm, memcg, dev, port, det, msg}
#define OTHER(ns, msg) K(SV_KERN_OTHER, ns, -1, "", "", "", "", 0, msg)
#define DOCKER_ID \
	"3d02975d4378f74f9a5005206e14745c" "e76947d970fad44ac6a5c5b80a3ccdf0"
#define S1 1000000000LL

static const struct one_case one[] = {
	/* prefixes */
	{L("[  123.456789] hello\n"), OTHER(123456789000LL, "hello"), 1, NULL},
	{L("<6>[ 123.4] hi\n"), OTHER(123400000000LL, "hi"), 1, NULL},
	{L("<12>[1.000000001] x"), OTHER(1000000001LL, "x"), 1, NULL},
	{L("[    0.000000] Linux version 6.1\n"), OTHER(0, "Linux version"), 1,
	 NULL},
	{L("[12345678.123456][  T123] x\n"), OTHER(12345678123456000LL, "x"), 1,
	 NULL},
	{L("[ 5.5][C2] x\n"), OTHER(5500000000LL, "x"), 1, NULL},
	{L("[ 1.0] \r\n"), OTHER(S1, ""), 1, NULL},
	{L("[ 1.0]  two spaces\n"), OTHER(S1, " two spaces"), 1, NULL},
	{L("no timestamp here\n"), OTHER(NONE, "no timestamp here"), 1,
	 "no timestamp"},
	{L("<6>no stamp\n"), OTHER(NONE, "no stamp"), 1, "no timestamp"},
	{L("<x>[ 1.0] y\n"), OTHER(NONE, "<x>[ 1.0] y"), 1, "no timestamp"},
	{L("[Sat Nov 29 08:27:28 2026] veth0: entered promiscuous mode\n"),
	 K(SV_KERN_VETH, NONE, -1, "", "", "veth0", "", 0, "veth0: entered"), 1,
	 "not seconds"},
	{L("[ 12.] x\n"), OTHER(NONE, "x"), 1, "not seconds"},
	{L("[ 99999999999.0] x\n"), OTHER(NONE, "x"), 1, "not seconds"},
	{L("[9000000001.0] x\n"), OTHER(NONE, "x"), 1, "not seconds"},
	{L("[9000000000.999999999] x\n"),
	 OTHER(9000000000999999999LL, "x"), 1, NULL},
	{L("[ 1.1234567891] x\n"), OTHER(NONE, "x"), 1, "not seconds"},
	{L("[ -1.5] x\n"), OTHER(NONE, "x"), 1, "not seconds"},
	{L("[ 1.5 truncated\n"), OTHER(NONE, "[ 1.5 truncated"), 1,
	 "no timestamp"},
	{L("\n"), OTHER(0, ""), 0, NULL},
	{L("\x00\x01[\xff] \x00\n"), OTHER(NONE, "?\x01[\xff] ?"), 1,
	 "no timestamp"},
	/* OOM */
	{L("[ 1.0] Out of memory: Killed process 77 (java) total-vm:1kB, "
	   "anon-rss:0kB\n"),
	 K(SV_KERN_OOM_KILL, S1, 77, "java", "", "", "", 0, "Out of memory"),
	 1, NULL},
	{L("[ 1.0] Killed process 77 (my (odd) comm) total-vm:1kB\n"),
	 K(SV_KERN_OOM_KILL, S1, 77, "my (odd) comm", "", "", "", 0,
	   "Killed process"), 1, NULL},
	{L("[ 1.0] Out of memory (oom_kill_allocating_task): Killed process "
	   "8 (a)\n"),
	 K(SV_KERN_OOM_KILL, S1, 8, "a", "", "", "", 0, "Out of memory"), 1,
	 NULL},
	{L("[ 1.0] Memory cgroup out of memory: Kill process 77 (sh) score "
	   "1000 or sacrifice child\n"),
	 K(SV_KERN_OTHER, S1, 77, "sh", "", "", "", 0, "Memory cgroup"), 1,
	 NULL},
	{L("[ 1.0] Memory cgroup out of memory: Killed process abc (sh)\n"),
	 OTHER(S1, "Memory cgroup"), 1, NULL},
	{L("[ 1.0] Killed process 77\n"), OTHER(S1, "Killed process 77"), 1,
	 NULL},
	{L("[ 1.0] Killed process 77 (sh\n"), OTHER(S1, "Killed process 77"),
	 1, NULL},
	{L("[ 1.0] we Killed process 77 (sh)\n"), OTHER(S1, "we Killed"), 1,
	 NULL},
	{L("[ 1.0] x:-Killed process 77 (sh)\n"), OTHER(S1, "x:-Killed"), 1,
	 NULL},
	{L("[ 1.0] Out of memory: Killed process 99999999999 (sh)\n"),
	 OTHER(S1, "Out of memory"), 1, NULL},
	{L("[ 1.0] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),"
	   "cpuset=/,mems_allowed=0,global_oom,task_memcg=/docker/" DOCKER_ID
	   ",task=stress,pid=99,uid=0\n"),
	 K(SV_KERN_OOM_KILL, S1, 99, "stress", "/docker/" DOCKER_ID, "", "", 1,
	   "oom-kill:"), 1, NULL},
	{L("[ 1.0] oom-kill:constraint=CONSTRAINT_MEMCG,oom_memcg=/a\n"),
	 K(SV_KERN_OOM_KILL, S1, -1, "", "/a", "", "", 1, "oom-kill:"), 1,
	 NULL},
	{L("[ 1.0] oom-kill:pid=notanumber,task=x,,=,\n"),
	 K(SV_KERN_OOM_KILL, S1, -1, "x", "", "", "", 1, "oom-kill:"), 1,
	 NULL},
	{L("[ 1.0] a b invoked oom-killer: gfp_mask=0x0\n"),
	 K(SV_KERN_OOM_INVOKED, S1, -1, "a b", "", "", "", 0, "a b invoked"),
	 1, NULL},
	{L("[ 1.0]  invoked oom-killer: x\n"), OTHER(S1, " invoked"), 1, NULL},
	{L("[ 1.0] 0123456789012345678901234567890123456789012345678901234567"
	   "890123456789 invoked oom-killer: x\n"),
	 K(SV_KERN_OOM_INVOKED, S1, -1,
	   "0123456789012345678901234567890123456789012345678901234567890123",
	   "", "", "", 0, "0123"), 1, "process name longer"},
	/* crashes */
	{L("[ 1.0] sh[1234]: segfault at 0 ip 0 sp 0 error 4 in "
	   "busybox[400000+1000]\n"),
	 K(SV_KERN_SEGFAULT, S1, 1234, "sh", "", "", "", 0, "sh[1234]"), 1,
	 NULL},
	{L("[ 1.0] a[b][12]: segfault at 0\n"),
	 K(SV_KERN_SEGFAULT, S1, 12, "a[b]", "", "", "", 0, "a[b]"), 1, NULL},
	{L("[ 1.0] sh[abc]: segfault at 0\n"), OTHER(S1, "sh[abc]"), 1, NULL},
	{L("[ 1.0] [12]: segfault at 0\n"), OTHER(S1, "[12]"), 1, NULL},
	{L("[ 1.0] sh[99999999999]: segfault at 0\n"), OTHER(S1, "sh["), 1,
	 NULL},
	{L("[ 1.0] traps: app[42] general protection fault ip:1 sp:2 "
	   "error:0 in app[400000+1000]\n"),
	 K(SV_KERN_SEGFAULT, S1, 42, "app", "", "", "", 0, "traps: app"), 1,
	 NULL},
	{L("[ 1.0] traps: app[42] trap invalid opcode ip:1\n"),
	 OTHER(S1, "traps: app"), 1, NULL},
	/* bridges and veths */
	{L("[ 1.0] docker0: port 1(veth1a2b3c) entered forwarding state\n"),
	 K(SV_KERN_BRIDGE, S1, -1, "", "", "docker0", "veth1a2b3c", 0,
	   "docker0"), 1, NULL},
	{L("[ 1.0] br-0123456789ab: port 2(vethXYZ) entered disabled state\n"),
	 K(SV_KERN_BRIDGE, S1, -1, "", "", "br-0123456789ab", "vethXYZ", 0,
	   "br-"), 1, NULL},
	{L("[ 1.0] toolongbridgename0: port 1(veth0) entered blocking "
	   "state\n"), OTHER(S1, "toolong"), 1, NULL},
	{L("[ 1.0] podman1: port x(veth0) entered blocking state\n"),
	 OTHER(S1, "podman1"), 1, NULL},
	{L("[ 1.0] podman1: port 1(veth0 entered blocking state\n"),
	 OTHER(S1, "podman1"), 1, NULL},
	{L("[ 1.0] device veth0 entered promiscuous mode\n"),
	 K(SV_KERN_VETH, S1, -1, "", "", "veth0", "", 0, "device veth0"), 1,
	 NULL},
	{L("[ 1.0] device eth0 left promiscuous mode\n"),
	 K(SV_KERN_OTHER, S1, -1, "", "", "eth0", "", 0, "device eth0"), 1,
	 NULL},
	{L("[ 1.0] device \n"), OTHER(S1, "device"), 1, NULL},
	{L("[ 1.0] IPv6: ADDRCONF(NETDEV_CHANGE): veth0: link becomes "
	   "ready\n"),
	 K(SV_KERN_VETH, S1, -1, "", "", "veth0", "", 0, "IPv6"), 1, NULL},
	{L("[ 1.0] IPv6: ADDRCONF(NETDEV_UP): cni0: link is not ready\n"),
	 K(SV_KERN_BRIDGE, S1, -1, "", "", "cni0", "", 0, "IPv6"), 1, NULL},
	{L("[ 1.0] eth0: renamed from veth5f6a7b\n"),
	 K(SV_KERN_VETH, S1, -1, "", "", "eth0", "", 0, "eth0: renamed"), 1,
	 NULL},
	{L("[ 1.0] podman1: entered promiscuous mode\n"),
	 K(SV_KERN_BRIDGE, S1, -1, "", "", "podman1", "", 0, "podman1"), 1,
	 NULL},
	{L("[ 1.0] cali1234567890a: entered promiscuous mode\n"),
	 K(SV_KERN_VETH, S1, -1, "", "", "cali1234567890a", "", 0, "cali"), 1,
	 NULL},
	{L("[ 1.0] e1000: eth0 NIC Link is Up\n"), OTHER(S1, "e1000"), 1,
	 NULL},
	{L("[ 1.0] veth/evil: entered promiscuous mode\n"),
	 OTHER(S1, "veth/evil"), 1, NULL},
	{L("[ 1.0] : entered promiscuous mode\n"), OTHER(S1, ": entered"), 1,
	 NULL},
};

START_TEST(test_one)
{
	const struct one_case *c = &one[_i];
	struct kt_run *r = kt_new();
	char what[64];

	snprintf(what, sizeof(what), "case %d", _i);
	kt_parse(r, &sv_fmt_dmesg, PATH, c->s, c->n);
	ck_assert_msg(r->rc == (c->problem ? SV_WARN : SV_OK), "%s: rc %d",
		      what, r->rc);
	ck_assert_msg(r->nrec == (size_t)c->nrec, "%s: %zu records", what,
		      r->nrec);
	ck_assert_msg(r->nprob == (c->problem ? 1u : 0u), "%s: %zu problems",
		      what, r->nprob);
	if (c->problem) {
		ck_assert_uint_eq(r->prob[0].line, 1);
		ck_assert_msg(strstr(r->prob[0].msg, c->problem), "%s: '%s'",
			      what, r->prob[0].msg);
	}
	check_envelope(r);
	if (c->nrec)
		check_kernel(&r->rec[0], &c->want, what);
	kt_free(r);
}
END_TEST

/* ---- the OOM pairing ---- */

START_TEST(test_pairing)
{
	struct kt_run *r = kt_new();

	/* detail then kill of the same pid: the kill gets the memcg */
	kt_parse_str(r, &sv_fmt_dmesg, PATH,
		     "[ 1.0] oom-kill:constraint=CONSTRAINT_MEMCG,oom_memcg=/a,"
		     "task_memcg=/a/b,task=sh,pid=5,uid=0\n"
		     "[ 1.1] Memory cgroup out of memory: Killed process 5 "
		     "(sh) total-vm:1kB\n"
		     "[ 1.2] Memory cgroup out of memory: Killed process 5 "
		     "(sh) total-vm:1kB\n");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 3);
	ck_assert_str_eq(r->rec[0].u.kernel.memcg, "/a/b");
	ck_assert_int_eq(r->rec[0].u.kernel.oom_detail, 1);
	ck_assert_str_eq(r->rec[1].u.kernel.memcg, "/a/b");
	ck_assert_int_eq(r->rec[1].u.kernel.oom_detail, 0);
	/* used once: a second kill line of that pid has no detail */
	ck_assert_str_eq(r->rec[2].u.kernel.memcg, "");
	/* another pid: no memcg */
	kt_parse_str(r, &sv_fmt_dmesg, PATH,
		     "[ 1.0] oom-kill:task_memcg=/x,task=sh,pid=5\n"
		     "[ 1.1] Out of memory: Killed process 6 (sh)\n");
	ck_assert_uint_eq(r->nrec, 2);
	ck_assert_str_eq(r->rec[1].u.kernel.memcg, "");
	ck_assert_int_eq(r->rec[1].u.kernel.pid, 6);
	/* the kill alone (kernels before 4.19) */
	kt_parse_str(r, &sv_fmt_dmesg, PATH,
		     "[ 1.1] Killed process 6 (sh) total-vm:1kB\n");
	ck_assert_int_eq(r->rec[0].u.kernel.kind, SV_KERN_OOM_KILL);
	ck_assert_str_eq(r->rec[0].u.kernel.memcg, "");
	kt_free(r);
}
END_TEST

/* ---- limits ---- */

START_TEST(test_long)
{
	struct kt_run *r = kt_new();
	char *s = malloc(20000);
	size_t n;

	ck_assert_ptr_nonnull(s);
	/* a message over 2048 bytes is cut and reported */
	n = (size_t)snprintf(s, 20000, "[ 1.0] ");
	memset(s + n, 'm', 3000);
	n += 3000;
	s[n++] = '\n';
	kt_parse(r, &sv_fmt_dmesg, PATH, s, n);
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_uint_eq(strlen(r->rec[0].u.kernel.message), 2048);
	ck_assert_uint_eq(kt_problems(r, 1, "message longer"), 1);
	/* a line over 8192 bytes is skipped and reported; the next is read */
	n = (size_t)snprintf(s, 20000, "[ 1.0] ");
	memset(s + n, 'x', 10000);
	n += 10000;
	n += (size_t)snprintf(s + n, 20000 - n, "\n[ 2.0] next");
	kt_parse(r, &sv_fmt_dmesg, PATH, s, n);
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_uint_eq(r->rec[0].line, 2);
	ck_assert_str_eq(r->rec[0].u.kernel.message, "next");
	ck_assert_uint_eq(kt_problems(r, 1, "longer than"), 1);
	/* a memcg over 4096 bytes is cut and reported */
	n = (size_t)snprintf(s, 20000, "[ 1.0] oom-kill:task_memcg=/");
	memset(s + n, 'c', 5000);
	n += 5000;
	n += (size_t)snprintf(s + n, 20000 - n, ",task=sh,pid=5\n");
	kt_parse(r, &sv_fmt_dmesg, PATH, s, n);
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(strlen(r->rec[0].u.kernel.memcg), 4096);
	ck_assert_int_eq(r->rec[0].u.kernel.pid, 5);
	ck_assert_uint_eq(kt_problems(r, 1, "memory cgroup longer"), 1);
	free(s);
	kt_free(r);
}
END_TEST

START_TEST(test_empty_and_garbage)
{
	struct kt_run *r = kt_new();
	char junk[4096];
	size_t i;
	uint32_t x = 12345;

	kt_parse(r, &sv_fmt_dmesg, PATH, "", 0);
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 0);
	for (i = 0; i < sizeof(junk); i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (char)(x >> 16);
	}
	kt_parse(r, &sv_fmt_dmesg, PATH, junk, sizeof(junk));
	ck_assert(r->rc == SV_OK || r->rc == SV_WARN);
	for (i = 0; i < r->nrec; i++)
		ck_assert_uint_le(strlen(r->rec[i].u.kernel.message), 2048);
	kt_free(r);
}
END_TEST

START_TEST(test_stop)
{
	struct kt_run *r = kt_new();

	r->stop_after = 1;
	r->stop_with = SV_ERR_IO;
	kt_parse_str(r, &sv_fmt_dmesg, PATH, "[ 1.0] a\n[ 2.0] b\n[ 3.0] c\n");
	ck_assert_int_eq(r->rc, SV_ERR_IO);
	ck_assert_uint_eq(r->nrec, 1);
	kt_free(r);
}
END_TEST

START_TEST(test_nomem)
{
	struct kt_run *r = kt_new();
	uint64_t k;

	for (k = 1; k <= 8; k++) {
		kt_reset(r);
		sv_arena_fail_after(r->scratch, k);
		kt_parse_str(r, &sv_fmt_dmesg, PATH, "[ 1.0] a\n");
		sv_arena_fail_after(r->scratch, 0);
		ck_assert(r->rc == SV_OK || r->rc == SV_ERR_NOMEM);
		if (r->rc == SV_ERR_NOMEM)
			ck_assert_uint_eq(r->nrec, 0);
	}
	kt_free(r);
}
END_TEST

START_TEST(test_probe)
{
	struct sv_layout lay;

	sv_layout_classify(PATH, &lay);
	ck_assert_int_eq(sv_fmt_dmesg.probe(&lay, NULL, 0), 100);
	ck_assert_int_eq(sv_fmt_dmesg.kind, SV_ART_DMESG);
	ck_assert_str_eq(sv_fmt_dmesg.name, "dmesg");
	sv_layout_classify("events/journal.jsonl", &lay);
	ck_assert_int_eq(sv_fmt_dmesg.probe(&lay, NULL, 0), 0);
	sv_layout_classify("cgroup/" KT_T "/memory.stat", &lay);
	ck_assert_int_eq(sv_fmt_dmesg.probe(&lay, NULL, 0), 0);
}
END_TEST

/* A real two-line message from this machine's dmesg: the indented
 * second line takes the time of the first, with no warning. */
START_TEST(test_continuation)
{
	struct kt_run *r = kt_new();

	kt_parse_str(r, &sv_fmt_dmesg, PATH,
		     "[    0.349518] amd_pstate: The CPPC feature is supported "
		     "but currently disabled by the BIOS.\n"
		     "               Please enable it if your BIOS has the "
		     "CPPC option.\n"
		     "no stamp and no indent\n");
	ck_assert_uint_eq(r->nrec, 3);
	ck_assert_int_eq(r->rec[1].u.kernel.boot_ns, 349518000);
	ck_assert_uint_eq(kt_problems(r, 2, NULL), 0);
	ck_assert_uint_eq(kt_problems(r, 3, "no timestamp"), 1);
	kt_free(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dmesg");
	TCase *real = tcase_create("real");
	TCase *var = tcase_create("variants");
	TCase *misc = tcase_create("pairing-and-limits");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(real, test_files, 0, (int)N(files));
	tcase_add_loop_test(real, test_lines, 0, (int)N(lines));
	tcase_add_loop_test(var, test_one, 0, (int)N(one));
	tcase_add_test(misc, test_pairing);
	tcase_add_test(misc, test_long);
	tcase_add_test(misc, test_continuation);
	tcase_add_test(misc, test_empty_and_garbage);
	tcase_add_test(misc, test_stop);
	tcase_add_test(misc, test_nomem);
	tcase_add_test(misc, test_probe);
	suite_add_tcase(s, real);
	suite_add_tcase(s, var);
	suite_add_tcase(s, misc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
