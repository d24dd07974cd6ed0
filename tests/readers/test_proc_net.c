/*
 * test_proc_net.c - sv_fmt_proc_net: proc/<T>/<pid>/net/{tcp,tcp6,udp,
 * udp6,unix}. Real tables from this machine (listeners and established
 * connections on 127.0.0.1, ::1, a link-local fe80:: address, fd00::2
 * and a dual-stack socket seen as ::ffff:127.0.0.1), from a podman
 * container of the web-incident sample (a reverse shell) and from the
 * prometheus/procfs fixtures; then malformed rows.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_test.h"

extern const struct sv_format_ops sv_fmt_proc_net;

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define NET PT_T "/42/net/"

/* ---- probe ---- */

struct probe_case {
	const char *path;
	int score;
};

static const struct probe_case probe_cases[] = {
	{NET "tcp", 100},  {NET "tcp6", 100}, {NET "udp", 100},
	{NET "udp6", 100}, {NET "unix", 100}, {NET "dev", 0},
	{NET "snmp", 0},   {NET "raw", 0},    {NET "udplite", 0},
	{NET "tcp/x", 0},  {PT_T "/42/tcp", 0}, {PT_T "/net/tcp", 0},
	{"cgroup/1764392000/42/net/tcp", 0},
};

START_TEST(probe_paths)
{
	const struct probe_case *t = &probe_cases[_i];

	ck_assert_int_eq(pt_probe(&sv_fmt_proc_net, t->path), t->score);
}
END_TEST

/* ---- inet rows from real tables ---- */

struct row_case {
	const char *rel;
	const char *leaf;     /* tcp, tcp6, udp, udp6 */
	size_t nrec;          /* rows in the file */
	size_t row;           /* the row checked */
	const char *local;
	uint16_t lport;
	const char *remote;
	uint16_t rport;
	uint8_t state;
	uint64_t tx, rx;
	uint32_t uid;
	uint64_t inode;
};

static const struct row_case row_cases[] = {
	/* this machine */
	{"vm-python/net/tcp", "tcp", 5, 0, "0.0.0.0", 2024, "0.0.0.0", 0,
	 0x0a, 0, 0, 0, 1123},
	{"vm-python/net/tcp", "tcp", 5, 1, "127.0.0.1", 8765, "0.0.0.0", 0,
	 0x0a, 0, 0, 0, 150988},
	{"vm-python/net/tcp", "tcp", 5, 2, "127.0.0.1", 46794, "127.0.0.1",
	 8765, 0x01, 0, 0, 0, 150998},
	{"vm-python/net/tcp6", "tcp6", 10, 0, "::1", 8766, "::", 0, 0x0a, 0,
	 0, 0, 150989},
	{"vm-python/net/tcp6", "tcp6", 10, 1, "fe80::fc:ff:fe00:1", 8767,
	 "::", 0, 0x0a, 0, 0, 0, 150991},
	{"vm-python/net/tcp6", "tcp6", 10, 3, "fe80::fc:ff:fe00:1", 46746,
	 "fe80::fc:ff:fe00:1", 8767, 0x01, 0, 0, 0, 151002},
	{"vm-python/net/tcp6", "tcp6", 10, 4, "fd00::2", 8768, "fd00::2",
	 39866, 0x01, 0, 0, 0, 151007},
	{"vm-python/net/tcp6", "tcp6", 10, 6, "::ffff:127.0.0.1", 8768,
	 "::ffff:127.0.0.1", 49648, 0x01, 0, 0, 0, 151005},
	{"vm-python/net/udp", "udp", 1, 0, "127.0.0.1", 8769, "0.0.0.0", 0,
	 0x07, 0, 0, 0, 150993},
	{"vm-python/net/udp6", "udp6", 1, 0, "::1", 8770, "::", 0, 0x07, 0, 0,
	 0, 150994},
	/* the web-incident container: wget to 3333 (FIN_WAIT1, one byte
	 * queued), the reverse shell to 4444, a TIME_WAIT without inode */
	{"web-incident/30651/net/tcp", "tcp", 3, 0, "10.89.77.10", 34738,
	 "10.89.77.1", 3333, 0x04, 1, 0, 0, 86444},
	{"web-incident/30651/net/tcp", "tcp", 3, 1, "10.89.77.10", 47514,
	 "10.89.77.1", 4444, 0x01, 0, 0, 0, 85366},
	{"web-incident/30651/net/tcp", "tcp", 3, 2, "10.89.77.10", 51744,
	 "10.89.77.1", 8000, 0x06, 0, 0, 0, 0},
	/* its client container: 13 TIME_WAIT rows from wget to port 80 */
	{"web-incident/30415/net/tcp", "tcp", 13, 0, "10.89.77.11", 37662,
	 "10.89.77.10", 80, 0x06, 0, 0, 0, 0},
	{"web-incident/30651/net/tcp6", "tcp6", 24, 0, "::", 80, "::", 0,
	 0x0a, 0, 0, 0, 84119},
	{"web-incident/30651/net/tcp6", "tcp6", 24, 12, "::ffff:10.89.77.10",
	 80, "::ffff:10.89.77.11", 40010, 0x06, 0, 0, 0, 0},
	/* prometheus/procfs */
	{"procfs/net/tcp", "tcp", 3, 0, "10.0.0.5", 22, "0.0.0.0", 0, 0x0a, 0,
	 1, 0, 2740},
	{"procfs/net/tcp", "tcp", 3, 2, "0.0.0.0", 22, "0.0.0.0", 0, 0x0a, 1,
	 1, 0, 2740},
	{"procfs/net/tcp6", "tcp6", 2, 1, "fe80::56e1:adff:fe7c:6609", 51073,
	 "::", 0, 0x07, 0, 0, 1000, 11337031},
	{"procfs/net/udp6", "udp6", 2, 0, "::", 5355, "::", 0, 0x07, 0, 0,
	 981, 21040},
};

START_TEST(inet_rows)
{
	const struct row_case *t = &row_cases[_i];
	struct pt_run *r = pt_new();
	const struct sv_socket *so = &r->rec[t->row].u.socket;
	int v6 = strchr(t->leaf, '6') != NULL;
	char path[64], text[64];

	snprintf(path, sizeof(path), NET "%s", t->leaf);
	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_net, path, t->rel),
			 SV_OK);
	ck_assert_uint_eq(r->nrec, t->nrec);
	ck_assert_int_eq(r->rec[t->row].type, SV_REC_SOCKET);
	ck_assert_int_eq(r->rec[t->row].ts_ns, PT_T_NS);
	ck_assert_uint_eq(r->rec[t->row].pid, 42);
	ck_assert_uint_eq(r->rec[t->row].line, t->row + 2);
	ck_assert_int_eq(so->proto, t->leaf[0] == 't' ? SV_SOCK_TCP
						      : SV_SOCK_UDP);
	ck_assert_int_eq(so->family, v6 ? 6 : 4);
	pt_addr(so->local, so->family, text, sizeof(text));
	ck_assert_str_eq(text, t->local);
	pt_addr(so->remote, so->family, text, sizeof(text));
	ck_assert_str_eq(text, t->remote);
	ck_assert_uint_eq(so->local_port, t->lport);
	ck_assert_uint_eq(so->remote_port, t->rport);
	ck_assert_uint_eq(so->state, t->state);
	ck_assert_uint_eq(so->tx_queue, t->tx);
	ck_assert_uint_eq(so->rx_queue, t->rx);
	ck_assert_uint_eq(so->uid, t->uid);
	ck_assert_uint_eq(so->inode, t->inode);
	if (!v6) /* the rest of the 16 bytes stays zero */
		ck_assert_uint_eq(so->local[4] | so->local[15], 0);
	pt_free(r);
}
END_TEST

/* The byte order, word by word, against known encodings. */
struct addr_case {
	const char *leaf;
	const char *hex;
	const char *text;
};

static const struct addr_case addr_cases[] = {
	{"tcp", "0100007F:0016", "127.0.0.1"},
	{"tcp", "0A4D590A:0050", "10.89.77.10"},
	{"tcp", "FFFFFFFF:FFFF", "255.255.255.255"},
	{"tcp", "00000000:0000", "0.0.0.0"},
	{"tcp6", "00000000000000000000000001000000:0016", "::1"},
	{"tcp6", "0000000000000000FFFF00000100007F:0016", "::ffff:127.0.0.1"},
	{"tcp6", "000080FE00000000FF00FC00010000FE:0016", "fe80::fc:ff:fe00:1"},
	{"tcp6", "B80D0120000000000000000001000000:0016", "2001:db8::1"},
	{"tcp6", "000002FF000000000000000001000000:0016", "ff02::1"},
	{"udp6", "0000000000000000ffff0000a8c00a01:0035",
	 "::ffff:1.10.192.168"},
};

START_TEST(inet_addresses)
{
	const struct addr_case *t = &addr_cases[_i];
	struct pt_run *r = pt_new();
	int v6 = strchr(t->leaf, '6') != NULL;
	char text[512], path[64], got[64];

	snprintf(path, sizeof(path), NET "%s", t->leaf);
	snprintf(text, sizeof(text),
		 "  sl  local_address rem_address   st tx_queue rx_queue tr "
		 "tm->when retrnsmt   uid  timeout inode\n"
		 "   0: %s %s 0A 00000000:00000000 00:00000000 00000000     "
		 "0        0 77 1 0000000000000000 100 0 0 10 0\n",
		 t->hex, t->hex);
	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_net, path, text), SV_OK);
	ck_assert_uint_eq(r->nrec, 1);
	pt_addr(r->rec[0].u.socket.local, v6 ? 6 : 4, got, sizeof(got));
	ck_assert_str_eq(got, t->text);
	pt_addr(r->rec[0].u.socket.remote, v6 ? 6 : 4, got, sizeof(got));
	ck_assert_str_eq(got, t->text);
	pt_free(r);
}
END_TEST

/* Tables with only their header (udp of a container: 3 leading blanks). */
START_TEST(header_only)
{
	static const char *const rels[] = {
		"web-incident/30651/net/udp", "web-incident/30651/net/udp6",
		"web-incident/30651/net/unix",
	};
	static const char *const leaves[] = {"udp", "udp6", "unix"};
	struct pt_run *r = pt_new();
	char path[64];
	int i;

	for (i = 0; i < N(rels); i++) {
		snprintf(path, sizeof(path), NET "%s", leaves[i]);
		ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_net, path,
					       rels[i]),
				 SV_OK);
		ck_assert_uint_eq(r->nrec, 0);
	}
	pt_free(r);
}
END_TEST

/* ---- unix ---- */

START_TEST(unix_real)
{
	struct pt_run *r = pt_new();
	const struct sv_unix_socket *u;
	size_t i;
	int named = 0, abstract = 0;

	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_net, NET "unix",
				       "vm-python/net/unix"),
			 SV_OK);
	ck_assert_uint_eq(r->nrec, 6);
	for (i = 0; i < r->nrec; i++) {
		u = &r->rec[i].u.unix_socket;
		ck_assert_int_eq(r->rec[i].type, SV_REC_UNIX_SOCKET);
		if (u->inode == 150995) {
			named = 1;
			ck_assert_str_eq(u->path,
					 "/tmp/p1x/cap/with space.sock");
			ck_assert_uint_eq(u->type, 1);
			ck_assert_uint_eq(u->state, 1);
			ck_assert_uint_eq(u->flags, 0x10000);
		}
		if (u->inode == 150996) {
			abstract = 1;
			ck_assert_str_eq(u->path, "@salvage-abstract");
			ck_assert_uint_eq(u->type, 2);
		}
	}
	ck_assert(named && abstract);
	u = &r->rec[1].u.unix_socket; /* "   509" right-aligned, unnamed */
	ck_assert_uint_eq(u->inode, 509);
	ck_assert_str_eq(u->path, "");
	ck_assert_uint_eq(u->state, 3);
	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_net, NET "unix",
				       "web-incident/30358/net/unix"),
			 SV_OK);
	ck_assert_uint_gt(r->nrec, 5);
	ck_assert_uint_eq(r->rec[4].u.unix_socket.inode, 83288);
	ck_assert_str_eq(r->rec[4].u.unix_socket.path,
			 "/proc/self/fd/13/attach");
	ck_assert_uint_eq(r->rec[4].u.unix_socket.type, 5);
	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_net, NET "unix",
				       "procfs/net/unix"),
			 SV_OK);
	ck_assert_uint_eq(r->nrec, 5);
	ck_assert_str_eq(r->rec[0].u.unix_socket.path,
			 "/var/run/postgresql/.s.PGSQL.5432");
	ck_assert_uint_eq(r->rec[0].u.unix_socket.inode, 3442596);
	ck_assert_str_eq(r->rec[4].u.unix_socket.path, "");
	pt_free(r);
}
END_TEST

/* ---- malformed ---- */

#define TCP_HDR "  sl  local_address rem_address   st tx_queue rx_queue tr " \
		"tm->when retrnsmt   uid  timeout inode\n"
#define ROW(a, st, txrx, uid, inode)                                         \
	"   0: " a " 00000000:0000 " st " " txrx " 00:00000000 00000000 " uid \
	"        0 " inode " 1 0000000000000000 100 0 0 10 0\n"
#define GOOD ROW("0100007F:0016", "0A", "00000000:00000000", "0", "77")
#define UNIX_HDR "Num       RefCount Protocol Flags    Type St Inode Path\n"

struct bad_case {
	const char *name;
	const char *leaf;
	const char *text;
	enum sv_status rc;
	size_t nrec;
	int line;          /* of the problem, -1 none */
	const char *what;
};

static const struct bad_case bad_cases[] = {
	{"empty", "tcp", "", SV_ERR_TRUNCATED, 0, -1, NULL},
	{"header only, no newline", "tcp", "  sl  local_address", SV_OK, 0,
	 -1, NULL},
	{"good", "tcp", TCP_HDR GOOD, SV_OK, 1, -1, NULL},
	{"no header", "tcp", GOOD GOOD, SV_WARN, 2, 1, "no header"},
	{"truncated row (procfs udp_broken)", "udp",
	 "  sl  local_address rem_address   st\n"
	 "   1: 00000000:0016 00000000:0000 0A\n",
	 SV_WARN, 0, 2, "not a socket table row"},
	{"row cut after the inode", "tcp",
	 TCP_HDR "   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 "
		 "00:00000000 00000000     0        0 77",
	 SV_OK, 1, -1, NULL},
	{"row cut inside the inode column", "tcp",
	 TCP_HDR "   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 "
		 "00:00000000 00000000     0        0",
	 SV_WARN, 0, 2, "not a socket"},
	{"bad hex", "tcp", TCP_HDR ROW("0100007G:0016", "0A", "0:0", "0", "7"),
	 SV_WARN, 0, 2, "not a socket"},
	{"v4 address in tcp6", "tcp6", TCP_HDR GOOD, SV_WARN, 0, 2,
	 "not a socket"},
	{"v6 address in tcp", "tcp",
	 TCP_HDR ROW("00000000000000000000000001000000:0016", "0A", "0:0",
		     "0", "7"),
	 SV_WARN, 0, 2, "not a socket"},
	{"5-digit port", "tcp", TCP_HDR ROW("0100007F:00160", "0A", "0:0",
					     "0", "7"),
	 SV_WARN, 0, 2, "not a socket"},
	{"state past a byte", "tcp", TCP_HDR ROW("0100007F:0016", "100",
						  "0:0", "0", "7"),
	 SV_WARN, 0, 2, "not a socket"},
	{"queues without colon", "tcp", TCP_HDR ROW("0100007F:0016", "0A",
						     "00000000", "0", "7"),
	 SV_WARN, 0, 2, "not a socket"},
	{"uid not a number", "tcp", TCP_HDR ROW("0100007F:0016", "0A", "0:0",
						 "root", "7"),
	 SV_WARN, 0, 2, "not a socket"},
	{"uid past u32", "tcp", TCP_HDR ROW("0100007F:0016", "0A", "0:0",
					     "4294967296", "7"),
	 SV_WARN, 0, 2, "not a socket"},
	{"inode past u64", "tcp", TCP_HDR ROW("0100007F:0016", "0A", "0:0",
					       "0", "18446744073709551616"),
	 SV_WARN, 0, 2, "not a socket"},
	{"sl without colon", "tcp",
	 TCP_HDR "   0 0100007F:0016 00000000:0000 0A 0:0 0:0 0 0 0 7\n",
	 SV_WARN, 0, 2, "not a socket"},
	{"bad then good", "tcp", TCP_HDR "garbage\n" GOOD, SV_WARN, 1, 2,
	 "not a socket"},
	{"binary", "tcp", TCP_HDR "\x01\xff\x00\x7f\n" GOOD, SV_WARN, 1, 2,
	 "not a socket"},
	{"queues of 16 digits", "tcp",
	 TCP_HDR ROW("0100007F:0016", "0A",
		     "FFFFFFFFFFFFFFFF:0000000000000001", "0", "7"),
	 SV_OK, 1, -1, NULL},
	{"unix good", "unix",
	 UNIX_HDR "0000000000000000: 00000002 00000000 00010000 0001 01 "
		  "3442596 /run/a b\n",
	 SV_OK, 1, -1, NULL},
	{"unix unnamed", "unix",
	 UNIX_HDR "0000000000000000: 00000002 00000000 00000000 0001 03   "
		  "509\n",
	 SV_OK, 1, -1, NULL},
	{"unix no header", "unix",
	 "0000000000000000: 00000002 00000000 00000000 0001 03 509\n", SV_WARN,
	 1, 1, "no header"},
	{"unix num without colon", "unix",
	 UNIX_HDR "0000000000000000 00000002 00000000 00000000 0001 03 5\n",
	 SV_WARN, 0, 2, "unix socket"},
	{"unix 9-digit flags", "unix",
	 UNIX_HDR "0: 00000002 00000000 000010000 0001 03 5\n", SV_WARN, 0, 2,
	 "unix socket"},
	{"unix inode not a number", "unix",
	 UNIX_HDR "0: 00000002 00000000 00000000 0001 03 x5 /a\n", SV_WARN, 0,
	 2, "unix socket"},
	{"unix cut before the inode", "unix",
	 UNIX_HDR "0: 00000002 00000000 00000000 0001 03\n", SV_WARN, 0, 2,
	 "unix socket"},
	{"unix tcp row", "unix", UNIX_HDR GOOD, SV_WARN, 0, 2, "unix socket"},
};

START_TEST(malformed)
{
	const struct bad_case *t = &bad_cases[_i];
	struct pt_run *r = pt_new();
	char path[64];
	size_t len = strlen(t->text);

	if (!strcmp(t->name, "binary"))
		len = strlen(TCP_HDR) + 5 + strlen(GOOD);
	snprintf(path, sizeof(path), NET "%s", t->leaf);
	pt_parse(r, &sv_fmt_proc_net, path, t->text, len);
	ck_assert_msg(r->rc == t->rc, "%s: rc %d", t->name, r->rc);
	ck_assert_msg(r->nrec == t->nrec, "%s: %zu records", t->name,
		      r->nrec);
	if (t->line >= 0)
		ck_assert_msg(pt_problem(r, (uint64_t)t->line, t->what) >= 0,
			      "%s: no problem '%s' at %d (first '%s')",
			      t->name, t->what, t->line,
			      r->nprob ? r->prob[0].msg : "");
	pt_free(r);
}
END_TEST

START_TEST(long_lines)
{
	struct pt_run *r = pt_new();
	size_t cap = 4000;
	char *text = malloc(cap), pad[700];

	ck_assert_ptr_nonnull(text);
	memset(pad, 'p', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	/* a 600-byte unix path: kept, cut at 512 and reported */
	snprintf(text, cap, UNIX_HDR "0: 00000002 00000000 00000000 0001 01 7 "
		 "/%.*s\n", 599, pad);
	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_net, NET "unix", text),
			 SV_WARN);
	ck_assert_int_ge(pt_problem(r, 2, "cut at 512"), 0);
	ck_assert_uint_eq(strlen(r->rec[0].u.unix_socket.path), 512);
	ck_assert_uint_eq(r->rec[0].u.unix_socket.inode, 7);
	/* a row longer than 1 KiB is skipped, the next one read */
	snprintf(text, cap, TCP_HDR "   0: 0100007F:0016 00000000:0000 0A "
		 "0:0 0:0 0 0 0 7 %s%s\n" GOOD, pad, pad);
	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_net, NET "tcp", text),
			 SV_WARN);
	ck_assert_int_ge(pt_problem(r, 2, "longer than 1024"), 0);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_uint_eq(r->rec[0].line, 3);
	/* a table that is not ours is the caller's mistake */
	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_net, NET "dev", text),
			 SV_ERR_USAGE);
	free(text);
	pt_free(r);
}
END_TEST

/* A big table through bundle blocks: every row intact. */
static void row_hook(void *ctx, const struct sv_record *rec)
{
	uint64_t *next = ctx;

	ck_assert_uint_eq(rec->u.socket.inode, 1000000 + *next);
	ck_assert_uint_eq(rec->u.socket.local_port, (uint16_t)*next);
	ck_assert_uint_eq(rec->line, *next + 2);
	(*next)++;
}

START_TEST(big_table_blocks)
{
	struct pt_run *r = pt_new();
	size_t cap = 30000 * 200, len, blocks = 0, i;
	char *text = malloc(cap);
	uint64_t next = 0;

	ck_assert_ptr_nonnull(text);
	len = (size_t)snprintf(text, cap, "%s", TCP_HDR);
	for (i = 0; i < 30000; i++)
		len += (size_t)snprintf(
			text + len, cap - len,
			"%5zu: 0100007F:%04zX 0100007F:0016 01 "
			"00000000:00000000 00:00000000 00000000     0        "
			"0 %zu 1 0000000000000000 20 4 30 10 -1          \n",
			i, i & 0xffff, 1000000 + i);
	r->hook = row_hook;
	r->hook_ctx = &next;
	ck_assert_int_eq(pt_parse_bundle(r, &sv_fmt_proc_net, NET "tcp", text,
					 len, &blocks),
			 SV_OK);
	ck_assert_uint_ge(blocks, 10);
	ck_assert_uint_eq(next, 30000);
	free(text);
	pt_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("proc_net");
	TCase *tc = tcase_create("net");

	tcase_add_loop_test(tc, probe_paths, 0, N(probe_cases));
	tcase_add_loop_test(tc, inet_rows, 0, N(row_cases));
	tcase_add_loop_test(tc, inet_addresses, 0, N(addr_cases));
	tcase_add_test(tc, header_only);
	tcase_add_test(tc, unix_real);
	tcase_add_loop_test(tc, malformed, 0, N(bad_cases));
	tcase_add_test(tc, long_lines);
	tcase_add_test(tc, big_table_blocks);
	tcase_set_timeout(tc, 60);
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
