/*
 * fmt_proc_net.c - the socket tables of one network namespace, as read
 * through /proc/<pid>/net/ (proc(5); net/ipv4/tcp_ipv4.c get_tcp4_sock,
 * net/ipv6/tcp_ipv6.c get_tcp6_sock, net/ipv4/udp.c, net/unix/af_unix.c).
 *
 * net/tcp, net/udp (IPv4) and net/tcp6, net/udp6 -> SV_REC_SOCKET per row
 *
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm->when ...
 *    0: 0A4D590A:B99A 014D590A:115C 01 00000000:00000000 00:00000000
 *       00000000     0        0 85366 1 00000000dabd5473 20 4 30 12 -1
 *   [0] sl  [1] local  [2] remote  [3] st  [4] tx:rx  [5] tr:when
 *   [6] retrnsmt  [7] uid  [8] timeout  [9] inode  [10...] ignored
 *
 * An address is the kernel's __be32 words printed as host integers with
 * %08X: on the little-endian hosts we read (x86-64, arm64) each word's
 * bytes come out reversed. IPv4 "0A4D590A" is 10.89.77.10; IPv6 is four
 * such words: "0000000000000000FFFF00000A4D590A" is ::ffff:10.89.77.10,
 * "00000000000000000000000001000000" is ::1. The port is plain hex
 * ("B99A" = 47514). Addresses are stored in network byte order (v4 in
 * the first 4 bytes). Bundles from big-endian hosts (s390x) are not
 * supported: their words would need no swap.
 *
 * net/unix -> SV_REC_UNIX_SOCKET per row
 *
 *   Num       RefCount Protocol Flags    Type St Inode Path
 *   0000000007923a92: 00000002 00000000 00010000 0005 01 83288 /run/x.sock
 *   "%pK: %08X %08X %08X %04X %02X %5lu" then " <path>" when bound; the
 *   path is the rest of the line ("@" starts abstract names, whose NULs
 *   the kernel prints as '@'), at most 512 bytes (a cut is reported).
 *
 * The first line must be the header; a file without one is reported and
 * its first line read as a row. Other net/ files are not read here.
 */
#include <string.h>

#include "sv_format.h"
#include "sv_proc.h"

#define LINE_HEAD 1024
#define UNIX_PATH_CAP 512
#define INET_TOKENS 10

enum table { T_NONE, T_TCP, T_TCP6, T_UDP, T_UDP6, T_UNIX };

static const struct {
	const char *leaf;
	enum table t;
} tables[] = {
	{"net/tcp", T_TCP},   {"net/tcp6", T_TCP6}, {"net/udp", T_UDP},
	{"net/udp6", T_UDP6}, {"net/unix", T_UNIX},
};

struct net_ctx {
	const char *path;
	const struct sv_emit *out;
	char *path_buf;     /* unix: the path of the current row */
	enum table t;
	struct sv_record rec;
};

static enum table table_of(const struct sv_layout *lay)
{
	size_t i;

	if (lay->kind != SV_ART_PROC_NET)
		return T_NONE;
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (!strcmp(lay->leaf, tables[i].leaf))
			return tables[i].t;
	return T_NONE;
}

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	(void)head;
	(void)n;
	return table_of(lay) != T_NONE ? 100 : 0;
}

/* "<hex words>:<port>" with 1 (v4) or 4 (v6) words; 0 or -1. */
static int inet_addr(struct sv_span t, int words, uint8_t out[16],
		     uint16_t *port)
{
	size_t hexlen = (size_t)words * 8;
	struct sv_span part;
	uint64_t v;
	int w;

	if (t.n != hexlen + 5 || t.p[hexlen] != ':')
		return -1;
	for (w = 0; w < words; w++) {
		part.p = t.p + 8 * w;
		part.n = 8;
		if (sv_proc_span_hex(part, &v))
			return -1;
		out[4 * w] = (uint8_t)v;
		out[4 * w + 1] = (uint8_t)(v >> 8);
		out[4 * w + 2] = (uint8_t)(v >> 16);
		out[4 * w + 3] = (uint8_t)(v >> 24);
	}
	part.p = t.p + hexlen + 1;
	part.n = 4;
	if (sv_proc_span_hex(part, &v))
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* "<hex>:<hex>" (tx_queue:rx_queue). */
static int hex_pair(struct sv_span t, uint64_t *a, uint64_t *b)
{
	const char *colon = memchr(t.p, ':', t.n);
	struct sv_span x, y;

	if (!colon)
		return -1;
	x.p = t.p;
	x.n = (size_t)(colon - t.p);
	y.p = colon + 1;
	y.n = t.n - x.n - 1;
	return sv_proc_span_hex(x, a) || sv_proc_span_hex(y, b) ? -1 : 0;
}

/* "<digits>:" (the sl column). */
static int slot(struct sv_span t)
{
	uint64_t v;

	if (t.n < 2 || t.p[t.n - 1] != ':')
		return -1;
	t.n--;
	return sv_proc_span_u64(t, UINT64_MAX, &v);
}

static int inet_row(struct net_ctx *c, const struct sv_span *tok)
{
	struct sv_socket *so = &c->rec.u.socket;
	int words = c->t == T_TCP6 || c->t == T_UDP6 ? 4 : 1;
	uint64_t st, uid;

	memset(so, 0, sizeof(*so));
	so->proto = c->t == T_TCP || c->t == T_TCP6 ? SV_SOCK_TCP
						     : SV_SOCK_UDP;
	so->family = words == 4 ? 6 : 4;
	if (slot(tok[0]) ||
	    inet_addr(tok[1], words, so->local, &so->local_port) ||
	    inet_addr(tok[2], words, so->remote, &so->remote_port) ||
	    sv_proc_span_hex(tok[3], &st) || st > 0xff ||
	    hex_pair(tok[4], &so->tx_queue, &so->rx_queue) ||
	    sv_proc_span_u64(tok[7], UINT32_MAX, &uid) ||
	    sv_proc_span_u64(tok[9], UINT64_MAX, &so->inode))
		return -1;
	so->state = (uint8_t)st;
	so->uid = (uint32_t)uid;
	return 0;
}

static enum sv_status inet_line(struct net_ctx *c, struct sv_span line,
				uint64_t lineno, struct sv_error *err)
{
	struct sv_span tok[INET_TOKENS];
	const char *s = line.p, *end = line.p + line.n;
	int n;

	for (n = 0; n < INET_TOKENS && !sv_str_token(&s, end, &tok[n]); n++)
		;
	if (n < INET_TOKENS || inet_row(c, tok))
		return sv_proc_warn(c->out, c->path, lineno,
				    "not a socket table row");
	c->rec.line = lineno;
	return c->out->record(c->out->ctx, &c->rec, err);
}

/* A hex column of at most 8 digits into *out. */
static int hex32(const char **s, const char *end, uint32_t *out)
{
	struct sv_span t;
	uint64_t v;

	if (sv_str_token(s, end, &t) || t.n > 8 || sv_proc_span_hex(t, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int unix_row(struct net_ctx *c, const char **s, const char *end)
{
	struct sv_unix_socket *u = &c->rec.u.unix_socket;
	struct sv_span t;
	uint32_t refcount, protocol;
	uint64_t num;

	memset(u, 0, sizeof(*u));
	if (sv_str_token(s, end, &t) || t.n < 2 || t.p[t.n - 1] != ':')
		return -1;
	t.n--;
	if (sv_proc_span_hex(t, &num) || hex32(s, end, &refcount) ||
	    hex32(s, end, &protocol) || hex32(s, end, &u->flags) ||
	    hex32(s, end, &u->type) || hex32(s, end, &u->state) ||
	    sv_str_token(s, end, &t) ||
	    sv_proc_span_u64(t, UINT64_MAX, &u->inode))
		return -1;
	return 0;
}

static enum sv_status unix_line(struct net_ctx *c, struct sv_span line,
				uint64_t lineno, struct sv_error *err)
{
	struct sv_unix_socket *u = &c->rec.u.unix_socket;
	const char *s = line.p, *end = line.p + line.n;
	enum sv_status rc = SV_OK, rrc;
	int cut = 0;

	if (unix_row(c, &s, end))
		return sv_proc_warn(c->out, c->path, lineno,
				    "not a unix socket table row");
	if (s < end && *s == ' ')
		s++;
	cut = end - s > UNIX_PATH_CAP;
	u->path = sv_proc_copy(c->path_buf, s,
			       cut ? UNIX_PATH_CAP : (size_t)(end - s));
	if (cut)
		rc = sv_proc_warn(c->out, c->path, lineno,
				  "socket path cut at %d bytes",
				  UNIX_PATH_CAP);
	c->rec.line = lineno;
	rrc = c->out->record(c->out->ctx, &c->rec, err);
	return rrc != SV_OK ? rrc : rc;
}

/* The header's first word: "sl" (inet) or "Num" (unix). */
static int is_header(const struct net_ctx *c, struct sv_span line)
{
	const char *s = line.p;
	struct sv_span t;

	if (sv_str_token(&s, line.p + line.n, &t))
		return 0;
	return sv_span_eq(t, c->t == T_UNIX ? "Num" : "sl");
}

static enum sv_status net_line(void *ctx, struct sv_span line, int cut,
			       uint64_t lineno, struct sv_error *err)
{
	struct net_ctx *c = ctx;
	enum sv_status rc = SV_OK, rrc;

	if (lineno == 1) {
		if (is_header(c, line))
			return SV_OK;
		rc = sv_proc_warn(c->out, c->path, 1, "no header line");
	}
	if (cut)
		return sv_proc_warn(c->out, c->path, lineno,
				    "line longer than %d bytes skipped",
				    LINE_HEAD);
	if (c->t == T_UNIX)
		rrc = unix_line(c, line, lineno, err);
	else
		rrc = inet_line(c, line, lineno, err);
	return rrc != SV_OK ? rrc : rc;
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	struct net_ctx c;
	struct sv_layout lay;
	uint64_t nlines = 0;
	enum sv_status rc;

	sv_layout_classify(src->path, &lay);
	c.t = table_of(&lay);
	if (c.t == T_NONE)
		return sv_error_set(err, SV_ERR_USAGE, src->path,
				    "not a proc/<T>/<pid>/net/{tcp,tcp6,udp,"
				    "udp6,unix} table");
	c.path = src->path;
	c.out = out;
	c.path_buf = NULL;
	if (c.t == T_UNIX &&
	    !(c.path_buf = sv_arena_alloc(scratch, UNIX_PATH_CAP + 1)))
		return sv_proc_nomem(src->path, err);
	sv_proc_record_init(&c.rec,
			    c.t == T_UNIX ? SV_REC_UNIX_SOCKET : SV_REC_SOCKET,
			    src->path, &lay);
	rc = sv_proc_each_line(src, scratch, LINE_HEAD, net_line, &c, &nlines,
			       err);
	if (rc == SV_OK && nlines == 0)
		return sv_error_set(err, SV_ERR_TRUNCATED, src->path,
				    "empty file: no header line");
	return rc;
}

const struct sv_format_ops sv_fmt_proc_net = {
	.name = "proc-net",
	.kind = SV_ART_PROC_NET,
	.probe = probe,
	.parse = parse,
};
