/*
 * test_proc_files.c - the small per-process readers: sv_fmt_proc_argv
 * (cmdline, environ), sv_fmt_proc_io, sv_fmt_proc_comm,
 * sv_fmt_proc_cgroup, sv_fmt_proc_link, sv_fmt_proc_fd, sv_fmt_proc_ns;
 * then robustness runs over every /proc reader: each prefix of a real
 * file, random byte mutations, random garbage, and an allocation failure
 * at every step.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_test.h"

extern const struct sv_format_ops sv_fmt_proc_argv;
extern const struct sv_format_ops sv_fmt_proc_io;
extern const struct sv_format_ops sv_fmt_proc_comm;
extern const struct sv_format_ops sv_fmt_proc_cgroup;
extern const struct sv_format_ops sv_fmt_proc_link;
extern const struct sv_format_ops sv_fmt_proc_fd;
extern const struct sv_format_ops sv_fmt_proc_ns;
extern const struct sv_format_ops sv_fmt_proc_host;
extern const struct sv_format_ops sv_fmt_proc_stat;
extern const struct sv_format_ops sv_fmt_proc_status;
extern const struct sv_format_ops sv_fmt_proc_net;

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define P42 PT_T "/42/"
#define ID64 "8b282d3e2a15cd1c356ef54fa53312f31427bfb08acfd3eabcc613967cd7e7b1"

/* ---- probes ---- */

struct probe_case {
	const struct sv_format_ops *ops;
	const char *leaf;  /* under proc/<T>/42/ */
	int score;
};

static const struct probe_case probe_cases[] = {
	{&sv_fmt_proc_argv, "cmdline", 100},
	{&sv_fmt_proc_argv, "environ", 100},
	{&sv_fmt_proc_argv, "comm", 0},
	{&sv_fmt_proc_io, "io", 100},
	{&sv_fmt_proc_io, "stat", 0},
	{&sv_fmt_proc_comm, "comm", 100},
	{&sv_fmt_proc_cgroup, "cgroup", 100},
	{&sv_fmt_proc_cgroup, "cgroups", 0},
	{&sv_fmt_proc_link, "exe.link", 100},
	{&sv_fmt_proc_link, "cwd.link", 100},
	{&sv_fmt_proc_link, "root.link", 100},
	{&sv_fmt_proc_link, "fd.links", 0},
	{&sv_fmt_proc_link, "exe", 0},
	{&sv_fmt_proc_fd, "fd.links", 100},
	{&sv_fmt_proc_fd, "ns.links", 0},
	{&sv_fmt_proc_ns, "ns.links", 100},
	{&sv_fmt_proc_ns, "net/tcp", 0},
};

START_TEST(probe_paths)
{
	const struct probe_case *t = &probe_cases[_i];
	char path[128];

	snprintf(path, sizeof(path), P42 "%s", t->leaf);
	ck_assert_int_eq(pt_probe(t->ops, path), t->score);
	snprintf(path, sizeof(path), PT_T "/%s", t->leaf);
	ck_assert_int_eq(pt_probe(t->ops, path), 0);
}
END_TEST

/* ---- cmdline, environ ---- */

struct argv_case {
	const char *name;
	const char *rel;      /* a data file, or NULL: text/len */
	const char *text;
	size_t len;
	const char *leaf;
	enum sv_status rc;
	size_t argc;
	const char *first, *last;
	int unterminated, truncated;
};

static const struct argv_case argv_cases[] = {
	{"python cmdline", "vm-python/cmdline", NULL, 0, "cmdline", SV_OK, 2,
	 "python3", "srv.py", 0, 0},
	{"python environ", "vm-python/environ", NULL, 0, "environ", SV_OK, 3,
	 "PATH=/usr/bin:/bin", "LANG=C", 0, 0},
	{"kernel thread cmdline", "vm-kthreadd/cmdline", NULL, 0, "cmdline",
	 SV_OK, 0, NULL, NULL, 0, 0},
	{"kernel thread environ", "vm-kthreadd/environ", NULL, 0, "environ",
	 SV_OK, 0, NULL, NULL, 0, 0},
	{"nc in a container", "web-incident/30651/cmdline", NULL, 0,
	 "cmdline", SV_OK, 3, "nc", "3333", 0, 0},
	{"CGI environ in a container", "web-incident/30651/environ", NULL, 0,
	 "environ", SV_OK, 21, "GATEWAY_INTERFACE=CGI/1.1",
	 "SCRIPT_NAME=/cgi-bin/check", 0, 0},
	{"procfs vim", "procfs/26231/cmdline", NULL, 0, "cmdline", SV_OK, 3,
	 "vim", "+10", 0, 0},
	{"procfs docker environ", "procfs/26231/environ", NULL, 0, "environ",
	 SV_OK, 6, "PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:"
		   "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	 "HOME=/root", 0, 0},
	{"procfs empty", "procfs/26232/cmdline", NULL, 0, "cmdline", SV_OK, 0,
	 NULL, NULL, 0, 0},
	{"unterminated", NULL, "a\0b", 3, "cmdline", SV_OK, 2, "a", "b", 1,
	 0},
	{"setproctitle", NULL, "sshd: root@pts/0", 16, "cmdline", SV_OK, 1,
	 "sshd: root@pts/0", "sshd: root@pts/0", 1, 0},
	{"empty strings", NULL, "\0\0\0", 3, "cmdline", SV_OK, 3, "", "", 0,
	 0},
	{"binary", NULL, "\xff\x01\0\x80", 4, "environ", SV_OK, 2, "\xff\x01",
	 "\x80", 1, 0},
};

START_TEST(argv_values)
{
	const struct argv_case *t = &argv_cases[_i];
	struct pt_run *r = pt_new();
	const struct sv_proc_argv *a = &r->rec[0].u.proc_argv;
	char path[64];

	snprintf(path, sizeof(path), P42 "%s", t->leaf);
	if (t->rel)
		pt_parse_file(r, &sv_fmt_proc_argv, path, t->rel);
	else
		pt_parse(r, &sv_fmt_proc_argv, path, t->text, t->len);
	ck_assert_msg(r->rc == t->rc, "%s: rc %d", t->name, r->rc);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_int_eq(r->rec[0].type, SV_REC_PROC_ARGV);
	ck_assert_int_eq(r->rec[0].ts_ns, PT_T_NS);
	ck_assert_uint_eq(r->rec[0].pid, 42);
	ck_assert_int_eq(a->kind, strcmp(t->leaf, "environ")
					  ? SV_ARGV_CMDLINE
					  : SV_ARGV_ENVIRON);
	ck_assert_uint_eq(a->argc, t->argc);
	ck_assert_ptr_nonnull(a->argv);
	ck_assert_ptr_null(a->argv[a->argc]);
	if (t->argc) {
		ck_assert_str_eq(a->argv[0], t->first);
		ck_assert_str_eq(a->argv[a->argc - 1], t->last);
	}
	ck_assert_int_eq(a->unterminated, t->unterminated);
	ck_assert_int_eq(a->truncated, t->truncated);
	pt_free(r);
}
END_TEST

/* The caps: 4096 strings, 128 KiB; both cut and say so. */
START_TEST(argv_limits)
{
	struct pt_run *r = pt_new();
	const struct sv_proc_argv *a = &r->rec[0].u.proc_argv;
	size_t n = 300000, blocks = 0;
	char *buf = calloc(1, n);

	ck_assert_ptr_nonnull(buf);
	/* 5000 empty strings */
	ck_assert_int_eq(pt_parse(r, &sv_fmt_proc_argv, P42 "cmdline", buf,
				  5000),
			 SV_WARN);
	ck_assert_uint_eq(a->argc, 4096);
	ck_assert_int_eq(a->truncated, 1);
	ck_assert_int_ge(pt_problem(r, 0, "cut"), 0);
	/* exactly 4096 strings is not a cut */
	ck_assert_int_eq(pt_parse(r, &sv_fmt_proc_argv, P42 "cmdline", buf,
				  4096),
			 SV_OK);
	ck_assert_uint_eq(a->argc, 4096);
	/* one 300000-byte string: cut at 128 KiB, in memory and in blocks */
	memset(buf, 'a', n);
	ck_assert_int_eq(pt_parse(r, &sv_fmt_proc_argv, P42 "environ", buf,
				  n),
			 SV_WARN);
	ck_assert_uint_eq(a->argc, 1);
	ck_assert_uint_eq(strlen(a->argv[0]), 131072);
	ck_assert_int_eq(a->truncated, 1);
	ck_assert_int_eq(a->unterminated, 0);
	ck_assert_int_eq(pt_parse_bundle(r, &sv_fmt_proc_argv, P42 "environ",
					 buf, n, &blocks),
			 SV_WARN);
	ck_assert_uint_ge(blocks, 2);
	ck_assert_uint_eq(strlen(a->argv[0]), 131072);
	/* exactly 128 KiB ending in NUL is whole */
	buf[131071] = '\0';
	ck_assert_int_eq(pt_parse(r, &sv_fmt_proc_argv, P42 "environ", buf,
				  131072),
			 SV_OK);
	ck_assert_int_eq(a->truncated, 0);
	ck_assert_uint_eq(strlen(a->argv[0]), 131071);
	free(buf);
	pt_free(r);
}
END_TEST

/* ---- io ---- */

struct io_case {
	const char *name;
	const char *rel, *text;
	enum sv_status rc;
	int line;              /* of the problem, -1 none */
	int64_t rchar, wchar, cancelled;
};

static const struct io_case io_cases[] = {
	{"python", "vm-python/io", NULL, SV_OK, -1, 385332, 5, 0},
	{"kernel thread", "vm-kthreadd/io", NULL, SV_OK, -1, 0, 0, 0},
	{"nc", "web-incident/30651/io", NULL, SV_OK, -1, 1900, 268, 0},
	/* hand-edited fixture: cancelled_write_bytes: -1024 */
	{"procfs negative", "procfs/26231/io", NULL, SV_WARN, 7, 750339,
	 818609, -1},
	{"empty", NULL, "", SV_WARN, 0, 0, 0, 0},
	{"garbage", NULL, "\x01\x02\x03\n", SV_ERR_CORRUPT, 1, 0, 0, 0},
	{"only unknown", NULL, "foo: 1\n", SV_ERR_CORRUPT, -1, 0, 0, 0},
	{"only malformed", NULL, "rchar: x\n", SV_ERR_CORRUPT, 1, 0, 0, 0},
	{"missing keys", NULL, "wchar: 3\n", SV_OK, -1, -1, 3, -1},
	{"two values", NULL, "rchar: 1 2\nwchar: 3\n", SV_WARN, 1, -1, 3, -1},
	{"past int64", NULL, "rchar: 9223372036854775808\nwchar: 3\n",
	 SV_WARN, 1, -1, 3, -1},
	{"int64 max", NULL, "rchar: 9223372036854775807\n", SV_OK, -1,
	 INT64_MAX, -1, -1},
	{"twice", NULL, "rchar: 1\nrchar: 2\n", SV_WARN, 2, 1, -1, -1},
	{"no colon", NULL, "rchar 1\nwchar: 3\n", SV_WARN, 1, -1, 3, -1},
	{"unknown key ignored", NULL, "future_key: x y\nwchar: 3\n", SV_OK,
	 -1, -1, 3, -1},
	{"no value", NULL, "rchar:\nwchar: 3\n", SV_WARN, 1, -1, 3, -1},
	{"unterminated", NULL, "rchar: 12", SV_OK, -1, 12, -1, -1},
};

START_TEST(io_values)
{
	const struct io_case *t = &io_cases[_i];
	struct pt_run *r = pt_new();
	const struct sv_proc_io *io = &r->rec[0].u.proc_io;

	if (t->rel)
		pt_parse_file(r, &sv_fmt_proc_io, P42 "io", t->rel);
	else
		pt_parse_str(r, &sv_fmt_proc_io, P42 "io", t->text);
	ck_assert_msg(r->rc == t->rc, "%s: rc %d", t->name, r->rc);
	if (t->line >= 0)
		ck_assert_int_ge(pt_problem(r, (uint64_t)t->line, ""), 0);
	if (sv_is_error(t->rc) || (t->text && !t->text[0])) {
		ck_assert_uint_eq(r->nrec, 0);
		pt_free(r);
		return;
	}
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_int_eq(r->rec[0].type, SV_REC_PROC_IO);
	ck_assert_int_eq(io->rchar, t->rchar);
	ck_assert_int_eq(io->wchar, t->wchar);
	ck_assert_int_eq(io->cancelled_write_bytes, t->cancelled);
	pt_free(r);
}
END_TEST

/* ---- comm ---- */

struct comm_case {
	const char *name;
	const char *rel, *text;
	size_t len;
	enum sv_status rc;
	const char *comm;
};

static const struct comm_case comm_cases[] = {
	{"python", "vm-python/comm", NULL, 0, SV_OK, "python3"},
	{"kernel thread", "vm-kthreadd/comm", NULL, 0, SV_OK, "kthreadd"},
	{"long kernel thread name", "vm-kworker/comm", NULL, 0, SV_OK,
	 "kworker/0:0H-events_highpri"},
	{"newline in the name", "vm-oddcomm/comm", NULL, 0, SV_OK,
	 "x) Z 1 (y\nz"},
	{"nc", "web-incident/30651/comm", NULL, 0, SV_OK, "nc"},
	{"empty file", NULL, "", 0, SV_WARN, NULL},
	{"empty name", NULL, "\n", 1, SV_OK, ""},
	{"no newline", NULL, "abc", 3, SV_WARN, "abc"},
	{"NUL inside", NULL, "a\0b\n", 4, SV_OK, "a"},
	{"binary", NULL, "\xff\xfe\n", 3, SV_OK, "\xff\xfe"},
};

START_TEST(comm_values)
{
	const struct comm_case *t = &comm_cases[_i];
	struct pt_run *r = pt_new();

	if (t->rel)
		pt_parse_file(r, &sv_fmt_proc_comm, P42 "comm", t->rel);
	else
		pt_parse(r, &sv_fmt_proc_comm, P42 "comm", t->text, t->len);
	ck_assert_msg(r->rc == t->rc, "%s: rc %d", t->name, r->rc);
	if (!t->comm) {
		ck_assert_uint_eq(r->nrec, 0);
		pt_free(r);
		return;
	}
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_int_eq(r->rec[0].type, SV_REC_PROC_COMM);
	ck_assert_uint_eq(r->rec[0].line, 1);
	ck_assert_str_eq(r->rec[0].u.comm, t->comm);
	pt_free(r);
}
END_TEST

START_TEST(comm_limits)
{
	struct pt_run *r = pt_new();
	char buf[400];

	memset(buf, 'c', sizeof(buf));
	buf[256] = '\n';
	ck_assert_int_eq(pt_parse(r, &sv_fmt_proc_comm, P42 "comm", buf, 257),
			 SV_OK);
	ck_assert_uint_eq(strlen(r->rec[0].u.comm), 256);
	ck_assert_int_eq(pt_parse(r, &sv_fmt_proc_comm, P42 "comm", buf, 258),
			 SV_WARN);
	ck_assert_uint_eq(strlen(r->rec[0].u.comm), 256);
	ck_assert_int_eq(pt_parse(r, &sv_fmt_proc_comm, P42 "comm", buf,
				  sizeof(buf)),
			 SV_WARN);
	ck_assert_int_ge(pt_problem(r, 1, "cut at 256"), 0);
	ck_assert_uint_eq(strlen(r->rec[0].u.comm), 256);
	pt_free(r);
}
END_TEST

/* ---- cgroup ---- */

START_TEST(cgroup_real)
{
	struct pt_run *r = pt_new();
	const struct sv_proc_cgroup *c;

	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_cgroup, P42 "cgroup",
				       "web-incident/30651/cgroup"),
			 SV_OK);
	ck_assert_uint_eq(r->nrec, 10);
	c = &r->rec[0].u.proc_cgroup;
	ck_assert_int_eq(r->rec[0].type, SV_REC_PROC_CGROUP);
	ck_assert_uint_eq(r->rec[0].line, 1);
	ck_assert_uint_eq(r->rec[0].pid, 42);
	ck_assert_uint_eq(c->hierarchy, 9);
	ck_assert_str_eq(c->controllers, "name=systemd");
	ck_assert_str_eq(c->path, "/libpod_parent/libpod-" ID64);
	c = &r->rec[5].u.proc_cgroup;
	ck_assert_uint_eq(c->hierarchy, 4);
	ck_assert_str_eq(c->controllers, "memory");
	c = &r->rec[9].u.proc_cgroup;
	ck_assert_uint_eq(r->rec[9].line, 10);
	ck_assert_uint_eq(c->hierarchy, 0);
	ck_assert_str_eq(c->controllers, "");
	ck_assert_str_eq(c->path, "/libpod_parent/libpod-" ID64);
	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_cgroup, P42 "cgroup",
				       "vm-python/cgroup"),
			 SV_OK);
	ck_assert_uint_eq(r->nrec, 10);
	ck_assert_str_eq(r->rec[5].u.proc_cgroup.path,
			 "/process_api/1f8fca430027077a1161b3054d292211");
	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_cgroup, P42 "cgroup",
				       "vm-kthreadd/cgroup"),
			 SV_OK);
	ck_assert_uint_eq(r->nrec, 10);
	pt_free(r);
}
END_TEST

struct cgroup_case {
	const char *name;
	const char *text;
	enum sv_status rc;
	size_t nrec;
	uint32_t hier;        /* of the first record */
	const char *controllers, *path;
};

static const struct cgroup_case cgroup_cases[] = {
	{"v2 docker", "0::/system.slice/docker-" ID64 ".scope\n", SV_OK, 1, 0,
	 "", "/system.slice/docker-" ID64 ".scope"},
	{"v1 comma list", "4:cpu,cpuacct:/docker/" ID64 "\n", SV_OK, 1, 4,
	 "cpu,cpuacct", "/docker/" ID64},
	{"v1 named", "1:name=systemd:/user.slice\n", SV_OK, 1, 1,
	 "name=systemd", "/user.slice"},
	{"path with colons", "0::/a:b:c\n", SV_OK, 1, 0, "", "/a:b:c"},
	{"deleted", "0::/gone (deleted)\n", SV_OK, 1, 0, "",
	 "/gone (deleted)"},
	{"namespace relative", "0::/../../x\n", SV_OK, 1, 0, "", "/../../x"},
	{"kubepods", "0::/kubepods/besteffort/pod1/cri-containerd-" ID64
		     ".scope\n", SV_OK, 1, 0, "",
	 "/kubepods/besteffort/pod1/cri-containerd-" ID64 ".scope"},
	{"no final newline", "0::/x", SV_OK, 1, 0, "", "/x"},
	{"empty file", "", SV_WARN, 0, 0, NULL, NULL},
	{"bad then good", "x::/a\n0::/b\n", SV_WARN, 1, 0, "", "/b"},
	{"one colon", "0:/a\n", SV_WARN, 0, 0, NULL, NULL},
	{"relative path", "0::a\n", SV_WARN, 0, 0, NULL, NULL},
	{"empty path", "0::\n", SV_WARN, 0, 0, NULL, NULL},
	{"hierarchy past u32", "4294967296::/a\n", SV_WARN, 0, 0, NULL, NULL},
	{"negative hierarchy", "-1::/a\n", SV_WARN, 0, 0, NULL, NULL},
	{"empty line", "\n0::/b\n", SV_WARN, 1, 0, "", "/b"},
	{"binary", "\x01\x02:\xff:/\x80\n", SV_WARN, 0, 0, NULL, NULL},
};

START_TEST(cgroup_values)
{
	const struct cgroup_case *t = &cgroup_cases[_i];
	struct pt_run *r = pt_new();

	pt_parse_str(r, &sv_fmt_proc_cgroup, P42 "cgroup", t->text);
	ck_assert_msg(r->rc == t->rc, "%s: rc %d", t->name, r->rc);
	ck_assert_uint_eq(r->nrec, t->nrec);
	if (t->nrec) {
		ck_assert_uint_eq(r->rec[0].u.proc_cgroup.hierarchy, t->hier);
		ck_assert_str_eq(r->rec[0].u.proc_cgroup.controllers,
				 t->controllers);
		ck_assert_str_eq(r->rec[0].u.proc_cgroup.path, t->path);
	}
	pt_free(r);
}
END_TEST

START_TEST(cgroup_limits)
{
	struct pt_run *r = pt_new();
	size_t cap = 20000;
	char *text = malloc(cap), *big = malloc(10001);

	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(big);
	memset(big, 'p', 10000);
	big[10000] = '\0';
	big[4097] = '\0';
	snprintf(text, cap, "0::/%s\n1:cpu:/ok\n", big); /* path 4097 */
	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_cgroup, P42 "cgroup",
				      text),
			 SV_WARN);
	ck_assert_int_ge(pt_problem(r, 1, "too long"), 0);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_uint_eq(r->rec[0].line, 2);
	big[4097] = 'p';
	snprintf(text, cap, "0::/%s\n1:cpu:/ok\n", big); /* line > 8 KiB */
	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_cgroup, P42 "cgroup",
				      text),
			 SV_WARN);
	ck_assert_int_ge(pt_problem(r, 1, "longer than 8192"), 0);
	ck_assert_uint_eq(r->nrec, 1);
	free(big);
	free(text);
	pt_free(r);
}
END_TEST

/* ---- links ---- */

struct link_case {
	const char *name;
	const char *leaf;
	const char *rel, *text;
	enum sv_status rc;
	enum sv_link_kind kind;
	const char *target;
	int deleted;
};

static const struct link_case link_cases[] = {
	{"python exe", "exe.link", "vm-python/exe.link", NULL, SV_OK,
	 SV_LINK_EXE, "/usr/bin/python3.11", 0},
	{"python cwd", "cwd.link", "vm-python/cwd.link", NULL, SV_OK,
	 SV_LINK_CWD, "/tmp/p1x/cap", 0},
	{"python root", "root.link", "vm-python/root.link", NULL, SV_OK,
	 SV_LINK_ROOT, "/", 0},
	{"kernel thread exe", "exe.link", "vm-kthreadd/exe.link", NULL, SV_OK,
	 SV_LINK_EXE, "", 0},
	{"busybox in a container", "exe.link", "web-incident/30651/exe.link",
	 NULL, SV_OK, SV_LINK_EXE, "/bin/busybox", 0},
	{"container cwd", "cwd.link", "web-incident/30651/cwd.link", NULL,
	 SV_OK, SV_LINK_CWD, "/www/cgi-bin", 0},
	{"deleted", "exe.link", NULL, "/tmp/xmrig (deleted)\n", SV_OK,
	 SV_LINK_EXE, "/tmp/xmrig (deleted)", 1},
	{"memfd", "exe.link", NULL, "/memfd:x (deleted)\n", SV_OK,
	 SV_LINK_EXE, "/memfd:x (deleted)", 1},
	{"newline in the path", "cwd.link", NULL, "/a\nb\n", SV_OK,
	 SV_LINK_CWD, "/a\nb", 0},
	{"no newline", "root.link", NULL, "/x", SV_OK, SV_LINK_ROOT, "/x", 0},
	{"just the suffix", "exe.link", NULL, " (deleted)\n", SV_OK,
	 SV_LINK_EXE, " (deleted)", 1},
	{"suffix not at the end", "exe.link", NULL, "/a (deleted)/b\n", SV_OK,
	 SV_LINK_EXE, "/a (deleted)/b", 0},
};

START_TEST(link_values)
{
	const struct link_case *t = &link_cases[_i];
	struct pt_run *r = pt_new();
	char path[64];

	snprintf(path, sizeof(path), P42 "%s", t->leaf);
	if (t->rel)
		pt_parse_file(r, &sv_fmt_proc_link, path, t->rel);
	else
		pt_parse_str(r, &sv_fmt_proc_link, path, t->text);
	ck_assert_msg(r->rc == t->rc, "%s: rc %d", t->name, r->rc);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_int_eq(r->rec[0].type, SV_REC_PROC_LINK);
	ck_assert_uint_eq(r->rec[0].pid, 42);
	ck_assert_int_eq(r->rec[0].u.proc_link.kind, t->kind);
	ck_assert_str_eq(r->rec[0].u.proc_link.target, t->target);
	ck_assert_int_eq(r->rec[0].u.proc_link.deleted, t->deleted);
	pt_free(r);
}
END_TEST

START_TEST(link_limits)
{
	struct pt_run *r = pt_new();
	char *buf = malloc(6000);

	ck_assert_ptr_nonnull(buf);
	memset(buf, 'l', 6000);
	buf[0] = '/';
	buf[4224] = '\n';
	ck_assert_int_eq(pt_parse(r, &sv_fmt_proc_link, P42 "exe.link", buf,
				  4225),
			 SV_OK);
	ck_assert_uint_eq(strlen(r->rec[0].u.proc_link.target), 4224);
	ck_assert_int_eq(pt_parse(r, &sv_fmt_proc_link, P42 "exe.link", buf,
				  6000),
			 SV_WARN);
	ck_assert_int_ge(pt_problem(r, 1, "cut at 4224"), 0);
	ck_assert_uint_eq(strlen(r->rec[0].u.proc_link.target), 4224);
	/* a path the reader does not own is the caller's mistake */
	ck_assert_int_eq(pt_parse(r, &sv_fmt_proc_link, P42 "fd.links", buf,
				  10),
			 SV_ERR_USAGE);
	free(buf);
	pt_free(r);
}
END_TEST

/* ---- fd.links ---- */

START_TEST(fd_real)
{
	struct pt_run *r = pt_new();
	const struct sv_proc_fd *fd;

	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_fd, P42 "fd.links",
				       "vm-python/fd.links"),
			 SV_OK);
	ck_assert_uint_eq(r->nrec, 28);
	fd = &r->rec[0].u.proc_fd;
	ck_assert_int_eq(r->rec[0].type, SV_REC_PROC_FD);
	ck_assert_uint_eq(fd->fd, 0);
	ck_assert_int_eq(fd->kind, SV_FD_PATH);
	ck_assert_str_eq(fd->target, "/dev/null");
	fd = &r->rec[3].u.proc_fd;
	ck_assert_uint_eq(fd->fd, 3);
	ck_assert_int_eq(fd->kind, SV_FD_SOCKET);
	ck_assert_uint_eq(fd->inode, 150988);
	ck_assert_str_eq(fd->target, "socket:[150988]");
	fd = &r->rec[24].u.proc_fd;
	ck_assert_uint_eq(fd->fd, 24);
	ck_assert_int_eq(fd->kind, SV_FD_PIPE);
	ck_assert_uint_eq(fd->inode, 151010);
	fd = &r->rec[26].u.proc_fd;
	ck_assert_int_eq(fd->kind, SV_FD_ANON);
	ck_assert_str_eq(fd->target, "anon_inode:[eventfd]");
	ck_assert_uint_eq(fd->inode, 0);
	fd = &r->rec[27].u.proc_fd;
	ck_assert_uint_eq(fd->fd, 251);
	ck_assert_uint_eq(r->rec[27].line, 28);
	/* the reverse shell: stdout is socket 85366 (net/tcp row 1) */
	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_fd, P42 "fd.links",
				       "web-incident/30651/fd.links"),
			 SV_OK);
	ck_assert_uint_eq(r->nrec, 4);
	ck_assert_int_eq(r->rec[1].u.proc_fd.kind, SV_FD_SOCKET);
	ck_assert_uint_eq(r->rec[1].u.proc_fd.inode, 85366);
	/* a kernel thread has no files */
	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_fd, P42 "fd.links",
				       "vm-kthreadd/fd.links"),
			 SV_OK);
	ck_assert_uint_eq(r->nrec, 0);
	pt_free(r);
}
END_TEST

struct fd_case {
	const char *name;
	const char *text;
	enum sv_status rc;
	size_t nrec;
	uint32_t fd;
	enum sv_fd_kind kind;
	uint64_t inode;
	const char *target;
};

static const struct fd_case fd_cases[] = {
	{"path with spaces", "3 /tmp/a b (c)\n", SV_OK, 1, 3, SV_FD_PATH, 0,
	 "/tmp/a b (c)"},
	{"nsfs", "7 net:[4026531993]\n", SV_OK, 1, 7, SV_FD_OTHER, 0,
	 "net:[4026531993]"},
	{"anon bpf", "9 anon_inode:bpf-map\n", SV_OK, 1, 9, SV_FD_ANON, 0,
	 "anon_inode:bpf-map"},
	{"max fd", "2147483647 /x\n", SV_OK, 1, 2147483647u, SV_FD_PATH, 0,
	 "/x"},
	{"two spaces", "3  /x\n", SV_OK, 1, 3, SV_FD_OTHER, 0, " /x"},
	{"bad socket inode", "3 socket:[abc]\n", SV_WARN, 1, 3, SV_FD_OTHER,
	 0, "socket:[abc]"},
	{"socket inode overflow", "3 socket:[99999999999999999999]\n",
	 SV_WARN, 1, 3, SV_FD_OTHER, 0, "socket:[99999999999999999999]"},
	{"unclosed pipe", "3 pipe:[12\n", SV_WARN, 1, 3, SV_FD_OTHER, 0,
	 "pipe:[12"},
	{"fd past int", "2147483648 /x\n", SV_WARN, 0, 0, SV_FD_PATH, 0, NULL},
	{"negative fd", "-1 /x\n", SV_WARN, 0, 0, SV_FD_PATH, 0, NULL},
	{"fd only", "3\n", SV_WARN, 0, 0, SV_FD_PATH, 0, NULL},
	{"no target", "3 \n", SV_WARN, 1, 3, SV_FD_OTHER, 0, ""},
	{"tab", "3\t/x\n", SV_WARN, 0, 0, SV_FD_PATH, 0, NULL},
	{"no fd", "/x\n", SV_WARN, 0, 0, SV_FD_PATH, 0, NULL},
	{"bad then good", "x\n4 pipe:[5]\n", SV_WARN, 1, 4, SV_FD_PIPE, 5,
	 "pipe:[5]"},
	{"no final newline", "4 socket:[5]", SV_OK, 1, 4, SV_FD_SOCKET, 5,
	 "socket:[5]"},
	{"empty", "", SV_OK, 0, 0, SV_FD_PATH, 0, NULL},
};

START_TEST(fd_values)
{
	const struct fd_case *t = &fd_cases[_i];
	struct pt_run *r = pt_new();
	const struct sv_proc_fd *fd = &r->rec[0].u.proc_fd;

	pt_parse_str(r, &sv_fmt_proc_fd, P42 "fd.links", t->text);
	ck_assert_msg(r->rc == t->rc, "%s: rc %d", t->name, r->rc);
	ck_assert_uint_eq(r->nrec, t->nrec);
	if (t->nrec) {
		ck_assert_uint_eq(fd->fd, t->fd);
		ck_assert_int_eq(fd->kind, t->kind);
		ck_assert_uint_eq(fd->inode, t->inode);
		ck_assert_str_eq(fd->target, t->target);
	}
	pt_free(r);
}
END_TEST

/* fds whose link the collector could not read (pid 1 of this machine
 * refuses readlink even to root): kept, reported once per file. */
START_TEST(fd_unread)
{
	struct pt_run *r = pt_new();

	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_fd, P42 "fd.links",
				      "0 /dev/null\n1 \n2 \n3 \n4 pipe:[9]\n"),
			 SV_WARN);
	ck_assert_uint_eq(r->nrec, 5);
	ck_assert_uint_eq(r->nprob, 1);
	ck_assert_int_ge(pt_problem(r, 2, "3 line(s) without a target"), 0);
	ck_assert_int_eq(r->rec[2].u.proc_fd.kind, SV_FD_OTHER);
	ck_assert_str_eq(r->rec[2].u.proc_fd.target, "");
	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_ns, P42 "ns.links",
				      "net \nuts \nipc ipc:[5]\n"),
			 SV_WARN);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_uint_eq(r->nprob, 1);
	ck_assert_int_ge(pt_problem(r, 1, "2 line(s) without a target"), 0);
	ck_assert_str_eq(r->rec[0].u.proc_ns.name, "ipc");
	pt_free(r);
}
END_TEST

/* ---- ns.links ---- */

START_TEST(ns_real)
{
	struct pt_run *r = pt_new();

	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_ns, P42 "ns.links",
				       "web-incident/30651/ns.links"),
			 SV_OK);
	ck_assert_uint_eq(r->nrec, 10);
	ck_assert_int_eq(r->rec[0].type, SV_REC_PROC_NS);
	ck_assert_str_eq(r->rec[0].u.proc_ns.name, "net");
	ck_assert_uint_eq(r->rec[0].u.proc_ns.inode, 4026532176ULL);
	ck_assert_str_eq(r->rec[4].u.proc_ns.name, "pid_for_children");
	ck_assert_uint_eq(r->rec[4].u.proc_ns.inode, 4026532251ULL);
	ck_assert_str_eq(r->rec[9].u.proc_ns.name, "time_for_children");
	ck_assert_uint_eq(r->rec[9].line, 10);
	/* the host's net namespace, seen from a kernel thread */
	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_ns, P42 "ns.links",
				       "vm-kthreadd/ns.links"),
			 SV_OK);
	ck_assert_uint_eq(r->nrec, 10);
	ck_assert_uint_eq(r->rec[0].u.proc_ns.inode, 4026531833ULL);
	pt_free(r);
}
END_TEST

struct ns_case {
	const char *text;
	enum sv_status rc;
	size_t nrec;
};

static const struct ns_case ns_cases[] = {
	{"net net:[1]\n", SV_OK, 1},
	{"net net:[x]\n", SV_WARN, 0},
	{"net\n", SV_WARN, 0},
	{"NET net:[1]\n", SV_WARN, 0},
	{"net NET:[1]\n", SV_WARN, 0},
	{"net net:[1] extra\n", SV_WARN, 0},
	{"net  net:[1]\n", SV_WARN, 0},
	{"abcdefghijklmnopqrstuvwxyzabcdefg net:[1]\n", SV_WARN, 0},
	{"net :[1]\n", SV_WARN, 0},
	{"\n", SV_WARN, 0},
	{"", SV_OK, 0},
	{"\x01 \x02\n", SV_WARN, 0},
	{"x net:[1]\ny y:[2]\n", SV_OK, 2},
};

START_TEST(ns_values)
{
	const struct ns_case *t = &ns_cases[_i];
	struct pt_run *r = pt_new();

	pt_parse_str(r, &sv_fmt_proc_ns, P42 "ns.links", t->text);
	ck_assert_msg(r->rc == t->rc, "case %d: rc %d", _i, r->rc);
	ck_assert_uint_eq(r->nrec, t->nrec);
	pt_free(r);
}
END_TEST

/* ---- robustness over every reader ---- */

struct robust_case {
	const struct sv_format_ops *ops;
	const char *path;
	const char *rel;
};

static const struct robust_case robust_cases[] = {
	{&sv_fmt_proc_host, PT_T "/stat", "host/vm-stat"},
	{&sv_fmt_proc_host, PT_T "/uptime", "host/vm-uptime"},
	{&sv_fmt_proc_stat, P42 "stat", "vm-oddcomm/stat"},
	{&sv_fmt_proc_stat, P42 "stat", "procfs/26232/stat"},
	{&sv_fmt_proc_status, P42 "status", "web-incident/30651/status"},
	{&sv_fmt_proc_argv, P42 "cmdline", "web-incident/30651/cmdline"},
	{&sv_fmt_proc_argv, P42 "environ", "vm-python/environ"},
	{&sv_fmt_proc_io, P42 "io", "vm-python/io"},
	{&sv_fmt_proc_comm, P42 "comm", "vm-oddcomm/comm"},
	{&sv_fmt_proc_cgroup, P42 "cgroup", "web-incident/30651/cgroup"},
	{&sv_fmt_proc_link, P42 "exe.link", "vm-python/exe.link"},
	{&sv_fmt_proc_fd, P42 "fd.links", "vm-python/fd.links"},
	{&sv_fmt_proc_ns, P42 "ns.links", "vm-python/ns.links"},
	{&sv_fmt_proc_net, P42 "net/tcp", "web-incident/30651/net/tcp"},
	{&sv_fmt_proc_net, P42 "net/tcp6", "vm-python/net/tcp6"},
	{&sv_fmt_proc_net, P42 "net/udp", "procfs/net/udp"},
	{&sv_fmt_proc_net, P42 "net/unix", "web-incident/30358/net/unix"},
};

static void check_rc(enum sv_status rc, const char *what, size_t at)
{
	ck_assert_msg(rc == SV_OK || rc == SV_WARN || rc == SV_ERR_TRUNCATED ||
			      rc == SV_ERR_CORRUPT,
		      "%s %zu: rc %d", what, at, rc);
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* Every prefix: a file cut anywhere (a dying collector). */
START_TEST(robust_prefixes)
{
	const struct robust_case *t = &robust_cases[_i];
	struct pt_run *r = pt_new();
	size_t n, k;
	char *buf = pt_load(t->rel, &n);

	ck_assert_int_eq(pt_parse(r, t->ops, t->path, buf, n) == SV_OK ||
				 r->rc == SV_WARN,
			 1);
	for (k = 0; k <= n; k++)
		check_rc(pt_parse(r, t->ops, t->path, buf, k), "prefix", k);
	free(buf);
	pt_free(r);
}
END_TEST

/* Random bytes changed, inserted NULs and newlines; and pure garbage. */
START_TEST(robust_mutations)
{
	const struct robust_case *t = &robust_cases[_i];
	static const char specials[] = {'\0', '\n', ' ', ':', '(', ')', '[',
					']', '-', '\xff', '\t', '9'};
	struct pt_run *r = pt_new();
	uint32_t seed = 0x5eed0000u + (uint32_t)_i;
	size_t n, k, j;
	char *orig = pt_load(t->rel, &n);
	char *buf = malloc(4096);

	ck_assert_ptr_nonnull(buf);
	for (k = 0; k < 400 && n; k++) {
		char *m = malloc(n);

		ck_assert_ptr_nonnull(m);
		memcpy(m, orig, n);
		for (j = 0; j < 1 + k % 4; j++)
			m[lcg(&seed) % n] = k % 2 ? specials[lcg(&seed) % 12]
						  : (char)lcg(&seed);
		check_rc(pt_parse(r, t->ops, t->path, m, n), "mutation", k);
		free(m);
	}
	for (k = 0; k < 50; k++) {
		size_t len = lcg(&seed) % 4096;

		for (j = 0; j < len; j++)
			buf[j] = (char)lcg(&seed);
		check_rc(pt_parse(r, t->ops, t->path, buf, len), "garbage", k);
	}
	free(buf);
	free(orig);
	pt_free(r);
}
END_TEST

/* The scratch arena fails at each allocation in turn: the reader says
 * SV_ERR_NOMEM naming the file, or succeeds as without the failure. */
START_TEST(robust_nomem)
{
	const struct robust_case *t = &robust_cases[_i];
	struct pt_run *r = pt_new();
	size_t n, clean_nrec;
	enum sv_status clean;
	uint64_t k;
	char *buf = pt_load(t->rel, &n);

	clean = pt_parse(r, t->ops, t->path, buf, n);
	clean_nrec = r->nrec;
	for (k = 1; k < 100; k++) {
		pt_reset(r);
		sv_arena_fail_after(r->scratch, k);
		pt_parse(r, t->ops, t->path, buf, n);
		sv_arena_fail_after(r->scratch, 0);
		if (r->rc != SV_ERR_NOMEM) {
			ck_assert_int_eq(r->rc, clean);
			ck_assert_uint_eq(r->nrec, clean_nrec);
			break;
		}
		ck_assert_str_eq(r->err.artifact, t->path);
	}
	ck_assert_uint_lt(k, 100);
	free(buf);
	pt_free(r);
}
END_TEST

/* A record callback that says stop is obeyed and passed up. */
START_TEST(robust_stop)
{
	const struct robust_case *t = &robust_cases[_i];
	struct pt_run *r = pt_new();
	size_t n;
	char *buf = pt_load(t->rel, &n);

	pt_parse(r, t->ops, t->path, buf, n);
	if (r->nrec > 0) {
		r->stop_with = SV_ERR_LIMIT;
		r->stop_after = 1;
		ck_assert_int_eq(pt_parse(r, t->ops, t->path, buf, n),
				 SV_ERR_LIMIT);
		ck_assert_uint_eq(r->nrec, 1);
	}
	free(buf);
	pt_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("proc_files");
	TCase *tc = tcase_create("files");

	tcase_add_loop_test(tc, probe_paths, 0, N(probe_cases));
	tcase_add_loop_test(tc, argv_values, 0, N(argv_cases));
	tcase_add_test(tc, argv_limits);
	tcase_add_loop_test(tc, io_values, 0, N(io_cases));
	tcase_add_loop_test(tc, comm_values, 0, N(comm_cases));
	tcase_add_test(tc, comm_limits);
	tcase_add_test(tc, cgroup_real);
	tcase_add_loop_test(tc, cgroup_values, 0, N(cgroup_cases));
	tcase_add_test(tc, cgroup_limits);
	tcase_add_loop_test(tc, link_values, 0, N(link_cases));
	tcase_add_test(tc, link_limits);
	tcase_add_test(tc, fd_real);
	tcase_add_loop_test(tc, fd_values, 0, N(fd_cases));
	tcase_add_test(tc, fd_unread);
	tcase_add_test(tc, ns_real);
	tcase_add_loop_test(tc, ns_values, 0, N(ns_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("robust");
	tcase_add_loop_test(tc, robust_prefixes, 0, N(robust_cases));
	tcase_add_loop_test(tc, robust_mutations, 0, N(robust_cases));
	tcase_add_loop_test(tc, robust_nomem, 0, N(robust_cases));
	tcase_add_loop_test(tc, robust_stop, 0, N(robust_cases));
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
