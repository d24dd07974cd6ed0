/*
 * test_ssh.c - formats/net/sv_ssh (identification line) on a real
 * loopback capture and on hand-written lines. Linked with test_tls.c,
 * which holds main() and tcp_stream() (the stream rebuilt from its
 * segments in sequence order).
 *
 * data/pcap/local_ssh-loopback.pcap (data/SOURCES.md): OpenSSH 9.2p1's
 * ssh client against a python listener sending a banner, in connection
 * 1 after two pre-banner lines. Expected values: tshark 4.0.17,
 *   tshark -r F -d tcp.port==44722,ssh -Y ssh -T fields \
 *     -e tcp.stream -e tcp.srcport -e ssh.protocol
 * which prints the three plain banners; tshark 4.0 takes connection 1's
 * server lines for an encrypted packet, so its banner and offsets come
 * from `tshark -r F -q -z follow,tcp,ascii,1` (34 + 21 bytes of
 * pre-banner lines, then a 45-byte line).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_ssh.h"
#include "sv_tls.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* from test_tls.c */
#define TS_MAX_SEG 256
struct tstream {
	uint8_t *data;
	size_t len;
	size_t seg_end[TS_MAX_SEG];
	int nseg;
};
void tcp_stream(const char *file, int conn, int dir, struct tstream *ts);
void tstream_free(struct tstream *ts);
Suite *ssh_suite(void);

static enum sv_app_status banner_exact(const void *p, size_t n,
				       struct sv_ssh_banner *out,
				       size_t *need)
{
	uint8_t *c = malloc(n ? n : 1);
	enum sv_app_status st;

	ck_assert_ptr_nonnull(c);
	if (n)
		memcpy(c, p, n);
	st = sv_ssh_banner(c, n, out, need);
	free(c);
	return st;
}

/* ------------------------------------------------ the capture */

#define SSHCAP "pcap/local_ssh-loopback.pcap"
#define CLIENT "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6"
#define SERVER "SSH-2.0-SalvageListener_0.1"

struct real_case {
	int conn, dir;          /* dir 0: client to server */
	const char *line;       /* ssh.protocol */
	const char *software, *comments;
	int pre_lines;
	size_t offset, length;
};

static const struct real_case reals[] = {
	{0, 0, CLIENT, "OpenSSH_9.2p1", "Debian-2+deb12u6", 0, 0, 40},
	{0, 1, SERVER, "SalvageListener_0.1", "", 0, 0, 29},
	{1, 0, CLIENT, "OpenSSH_9.2p1", "Debian-2+deb12u6", 0, 0, 40},
	{1, 1, SERVER " pre-banner test", "SalvageListener_0.1",
	 "pre-banner test", 2, 55, 45},
};

START_TEST(real_banner)
{
	const struct real_case *k = &reals[_i];
	struct tstream ts;
	struct sv_ssh_banner b;
	struct sv_tls_hello h;
	char line[600];
	size_t need = 3, m, end;

	tcp_stream(SSHCAP, k->conn, k->dir, &ts);
	ck_assert_int_eq(banner_exact(ts.data, ts.len, &b, &need), SV_APP_OK);
	ck_assert_uint_eq(need, 0);
	snprintf(line, sizeof(line), "SSH-%s-%s%s%s", b.proto, b.software,
		 b.comments[0] ? " " : "", b.comments);
	ck_assert_str_eq(line, k->line);
	ck_assert_str_eq(b.proto, "2.0");
	ck_assert_str_eq(b.software, k->software);
	ck_assert_str_eq(b.comments, k->comments);
	ck_assert_int_eq(b.pre_lines, k->pre_lines);
	ck_assert_uint_eq(b.offset, k->offset);
	ck_assert_uint_eq(b.length, k->length);
	ck_assert_int_eq(b.bare_lf, 0);
	/* every prefix before the line end asks for more, not past it */
	end = k->offset + k->length;
	for (m = 0; m < end; m++) {
		ck_assert_int_eq(banner_exact(ts.data, m, &b, &need),
				 SV_APP_NEED_MORE);
		ck_assert_uint_gt(need, m);
		ck_assert_uint_le(need, end);
	}
	ck_assert_int_eq(banner_exact(ts.data, end, &b, &need), SV_APP_OK);
	/* and the TLS parser turns the stream away */
	ck_assert_int_eq(sv_tls_client_hello(ts.data, ts.len, &h, &need),
			 SV_APP_NOT);
	tstream_free(&ts);
}
END_TEST

/* The TLS client streams are not SSH. */
START_TEST(tls_not_ssh)
{
	struct tstream ts;
	struct sv_ssh_banner b;
	size_t need;

	tcp_stream("pcap/local_tls-loopback.pcap", _i, 0, &ts);
	ck_assert_int_eq(banner_exact(ts.data, ts.len, &b, &need),
			 SV_APP_NOT);
	ck_assert_int_eq(banner_exact(ts.data, 1, &b, &need), SV_APP_NOT);
	tstream_free(&ts);
}
END_TEST

/* ------------------------------------------------ written lines */

struct line_case {
	const char *in;
	size_t n;
	int status;
	const char *proto, *software, *comments;
	size_t need;            /* checked for NEED_MORE */
	int bare_lf, pre_lines;
};

#define L(s) s, sizeof(s) - 1

static const struct line_case lines[] = {
	{L("SSH-2.0-OpenSSH_9.2p1\r\n"), SV_APP_OK, "2.0", "OpenSSH_9.2p1",
	 "", 0, 0, 0},
	/* RFC 4253 5.1: old servers say 1.99; a '-' inside software */
	{L("SSH-1.99-Cisco-1.25\r\n"), SV_APP_OK, "1.99", "Cisco-1.25", "", 0,
	 0, 0},
	{L("SSH-2.0-libssh-0.9.6\n"), SV_APP_OK, "2.0", "libssh-0.9.6", "", 0,
	 1, 0},
	{L("SSH-2.0-a b\\c\xff  d\r\n"), SV_APP_OK, "2.0", "a",
	 "b\\x5cc\\xff  d", 0, 0, 0},
	{L("SSH-2.0-x\ry\r\n"), SV_APP_MALFORMED, "2.0", "x\\x0dy", "", 0, 0,
	 0},
	{L("SSH-2.0-X\0Y\r\n"), SV_APP_MALFORMED, "2.0", "X\\x00Y", "", 0, 0,
	 0},
	{L("SSH-2.0\r\n"), SV_APP_MALFORMED, "2.0", "", "", 0, 0, 0},
	{L("SSH--x\r\n"), SV_APP_MALFORMED, "", "x", "", 0, 0, 0},
	{L("SSH-2.0-\r\n"), SV_APP_MALFORMED, "2.0", "", "", 0, 0, 0},
	{L("SSH-2.0- x\r\n"), SV_APP_MALFORMED, "2.0", "", "x", 0, 0, 0},
	{L("SSH-\r\n"), SV_APP_MALFORMED, "", "", "", 0, 0, 0},
	{L("SSH-12345678901234567890-x\r\n"), SV_APP_OK, "123456789012345",
	 "x", "", 0, 0, 0},
	{L("banner\r\n\r\nSSH-2.0-x\r\n"), SV_APP_OK, "2.0", "x", "", 0, 0, 2},
	{L("\tTAB line\nSSH-2.0-x\n"), SV_APP_OK, "2.0", "x", "", 0, 1, 1},
	{L(""), SV_APP_NEED_MORE, "", "", "", 4, 0, 0},
	{L("SS"), SV_APP_NEED_MORE, "", "", "", 4, 0, 0},
	{L("SSH-2.0-x"), SV_APP_NEED_MORE, "", "", "", 10, 0, 0},
	{L("SSH-2.0-x\r"), SV_APP_NEED_MORE, "", "", "", 11, 0, 0},
	{L("hello\r\nSS"), SV_APP_NEED_MORE, "", "", "", 11, 0, 1},
	{L("GET / HTTP/1.1\r\n"), SV_APP_NEED_MORE, "", "", "", 20, 0, 1},
	{L("\x16\x03\x01\x02\x00\x01"), SV_APP_NOT, "", "", "", 0, 0, 0},
	{L("ok\r\n\0"), SV_APP_NOT, "", "", "", 0, 0, 1},
	{L("\x1b[2Jclear\r\n"), SV_APP_NOT, "", "", "", 0, 0, 0},
};

START_TEST(written_lines)
{
	const struct line_case *k = &lines[_i];
	struct sv_ssh_banner b;
	size_t need = 99;
	int st = banner_exact(k->in, k->n, &b, &need);

	ck_assert_msg(st == k->status, "case %d: status %d", _i, st);
	ck_assert_uint_eq(need, st == SV_APP_NEED_MORE ? k->need : 0);
	ck_assert_str_eq(b.proto, k->proto);
	ck_assert_str_eq(b.software, k->software);
	ck_assert_str_eq(b.comments, k->comments);
	ck_assert_int_eq(b.bare_lf, k->bare_lf);
	ck_assert_int_eq(b.pre_lines, k->pre_lines);
}
END_TEST

/* Lengths around the 255-byte limit, and the pre-banner bounds. */
START_TEST(limits)
{
	static char buf[8192];
	struct sv_ssh_banner b;
	size_t need, n;
	int i;

	/* a 255-byte line with its CR LF is fine; 256 is not */
	memcpy(buf, "SSH-2.0-", 8);
	memset(buf + 8, 'a', 245);
	memcpy(buf + 253, "\r\n", 2);
	ck_assert_int_eq(banner_exact(buf, 255, &b, &need), SV_APP_OK);
	ck_assert_uint_eq(strlen(b.software), 245);
	memset(buf + 8, 'a', 246);
	memcpy(buf + 254, "\r\n", 2);
	ck_assert_int_eq(banner_exact(buf, 254, &b, &need),
			 SV_APP_NEED_MORE);
	ck_assert_int_eq(banner_exact(buf, 255, &b, &need),
			 SV_APP_MALFORMED);
	ck_assert_int_eq(banner_exact(buf, 256, &b, &need),
			 SV_APP_MALFORMED);
	/* what was read: 246 'a' and the CR the cut left */
	ck_assert_uint_eq(strlen(b.software), 250);
	ck_assert_str_eq(b.software + 246, "\\x0d");
	/* escapes fill software[256] and are never split */
	memset(buf + 8, 0x01, 200);
	memcpy(buf + 208, "\r\n", 2);
	ck_assert_int_eq(banner_exact(buf, 210, &b, &need), SV_APP_MALFORMED);
	ck_assert_uint_eq(strlen(b.software), 252);
	/* 16 pre-banner lines are accepted, 17 are not */
	for (n = 0, i = 0; i < 17; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "line %d\n", i);
	memcpy(buf + n, "SSH-2.0-x\n", 10);
	ck_assert_int_eq(banner_exact(buf, n + 10, &b, &need), SV_APP_NOT);
	ck_assert_int_eq(banner_exact(buf + 7, n + 3, &b, &need), SV_APP_OK);
	ck_assert_int_eq(b.pre_lines, 16);
	/* 4096 bytes of pre-banner text without a line end: not SSH */
	memset(buf, 'x', 4096);
	ck_assert_int_eq(banner_exact(buf, 4095, &b, &need),
			 SV_APP_NEED_MORE);
	ck_assert_int_eq(banner_exact(buf, 4096, &b, &need), SV_APP_NOT);
	/* a pre-banner line may end exactly at the bound */
	buf[4095] = '\n';
	memcpy(buf + 4096, "SSH-2.0-x\n", 10);
	ck_assert_int_eq(banner_exact(buf, 4106, &b, &need), SV_APP_OK);
	ck_assert_uint_eq(b.offset, 4096);
	ck_assert_int_eq(sv_ssh_banner(NULL, 0, &b, NULL), SV_APP_NEED_MORE);
}
END_TEST

/* Every byte of a real-looking exchange, set to four values. */
START_TEST(mutations)
{
	static const char src[] = "Welcome\r\nSSH-2.0-OpenSSH_9.2p1 Debian\r\n"
				  "\0\0\x05\xdc\x08\x14";
	const size_t n = sizeof(src) - 1;
	uint8_t c[sizeof(src)];
	struct sv_ssh_banner b;
	size_t i, need;
	int v, st;

	memcpy(c, src, n);
	for (i = 0; i < n; i++) {
		const uint8_t vals[4] = {0, '\n', ' ', '-'};

		for (v = 0; v < 4; v++) {
			c[i] = vals[v];
			st = banner_exact(c, n, &b, &need);
			ck_assert(st >= SV_APP_OK && st <= SV_APP_MALFORMED);
			ck_assert(st == SV_APP_NEED_MORE ? need > n
							 : need == 0);
			ck_assert(b.offset + b.length <= n);
		}
		c[i] = (uint8_t)src[i];
	}
}
END_TEST

Suite *ssh_suite(void)
{
	Suite *s = suite_create("ssh");
	TCase *tc = tcase_create("ssh");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, real_banner, 0, N(reals));
	tcase_add_loop_test(tc, tls_not_ssh, 0, 5);
	tcase_add_loop_test(tc, written_lines, 0, N(lines));
	tcase_add_test(tc, limits);
	tcase_add_test(tc, mutations);
	suite_add_tcase(s, tc);
	return s;
}
