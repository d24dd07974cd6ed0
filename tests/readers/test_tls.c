/*
 * test_tls.c - formats/net/sv_tls (ClientHello, JA3) on real captures
 * and on hostile variants; also holds main() and the TCP stream helper
 * shared with test_ssh.c (one binary: `test_tls_ssh tls|ssh`).
 *
 * Captures (data/SOURCES.md): zeek_tls_* (genuine: Chrome 125 with a
 * Kyber key share, OpenJDK 25 over SLL2, two Chrome ECH connections),
 * local_tls-loopback.pcap (made here: openssl s_client, curl, a
 * ClientHello in two records, one sent in four TCP segments) and the
 * first frame of zeek's QUIC capture. Each client stream is rebuilt
 * from its segments in sequence order by tcp_stream() below, then handed
 * to the parser whole, prefix by prefix and segment by segment.
 *
 * Expected values: tshark 4.0.17 on this machine,
 *   tshark -r F -Y tls.handshake.type==1 -T fields -E separator='|' \
 *     -e tcp.stream -e tls.record.version -e tls.handshake.version \
 *     -e tls.handshake.extensions.supported_version \
 *     -e tls.handshake.cipher_suites_length \
 *     -e tls.handshake.extension.type \
 *     -e tls.handshake.extensions_server_name \
 *     -e tls.handshake.extensions_alpn_str \
 *     -e tls.handshake.ja3 -e tls.handshake.ja3_full
 * version = the highest non-GREASE supported_version (else
 * handshake.version); n_ciphers = cipher_suites_length / 2; n_ext =
 * the number of extension.type values; ech = 65037 among them;
 * n_records = the number of record.version values.
 */
#include <arpa/inet.h>
#include <check.h>
#include <openssl/evp.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "sv_decode.h"
#include "sv_tls.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ------------------------------------------------ shared helpers */

#define TS_MAX_SEG 256
#define TS_MAX_LEN 65536

/* One direction of one TCP connection, rebuilt in sequence order. */
struct tstream {
	uint8_t *data;               /* exact-size heap copy */
	size_t len;                  /* contiguous bytes from the start */
	size_t seg_end[TS_MAX_SEG];  /* end offset of each segment */
	int nseg;
};

/* Shared with test_ssh.c (declared there too). */
void tcp_stream(const char *file, int conn, int dir, struct tstream *ts);
void tstream_free(struct tstream *ts);
Suite *ssh_suite(void);

struct seg {
	uint32_t off;
	size_t len;
	uint8_t *data;
};

static int seg_cmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* Connection identity from its SYN. */
struct conn_id {
	uint8_t cli[16], srv[16];
	uint16_t cport, sport;
	uint32_t isn[2];      /* client, server */
	int found;
};

/* Which direction of id the packet belongs to: 0, 1, or -1. */
static int conn_dir(const struct conn_id *id, const struct sv_packet *pk)
{
	if (!memcmp(pk->src, id->cli, 16) && !memcmp(pk->dst, id->srv, 16) &&
	    pk->sport == id->cport && pk->dport == id->sport)
		return 0;
	if (!memcmp(pk->src, id->srv, 16) && !memcmp(pk->dst, id->cli, 16) &&
	    pk->sport == id->sport && pk->dport == id->cport)
		return 1;
	return -1;
}

/* Follow SYNs to connection number conn (0-based, capture order). */
static void track_syn(struct conn_id *id, const struct sv_packet *pk,
		      int *nsyn, int conn)
{
	int syn = pk->tcp_flags & SV_TCP_SYN, ack = pk->tcp_flags & SV_TCP_ACK;

	if (syn && !ack && !id->found && (*nsyn)++ == conn) {
		memcpy(id->cli, pk->src, 16);
		memcpy(id->srv, pk->dst, 16);
		id->cport = pk->sport;
		id->sport = pk->dport;
		id->isn[0] = pk->seq;
		id->found = 1;
	} else if (syn && ack && id->found && conn_dir(id, pk) == 1) {
		id->isn[1] = pk->seq;
	}
}

/* Join segments sorted by offset while they touch; keep each end. */
static void join_segs(struct seg *segs, int n, struct tstream *ts)
{
	uint8_t *buf = malloc(TS_MAX_LEN);
	size_t end = 0;
	int i;

	ck_assert_ptr_nonnull(buf);
	qsort(segs, (size_t)n, sizeof(*segs), seg_cmp);
	for (i = 0; i < n && segs[i].off <= end; i++) {
		size_t skip = end - segs[i].off;

		if (segs[i].len > skip) {
			ck_assert_uint_le(segs[i].off + segs[i].len,
					  TS_MAX_LEN);
			memcpy(buf + end, segs[i].data + skip,
			       segs[i].len - skip);
			end = segs[i].off + segs[i].len;
			ts->seg_end[ts->nseg++] = end;
		}
	}
	for (i = 0; i < n; i++)
		free(segs[i].data);
	ts->len = end;
	ts->data = malloc(end ? end : 1);
	ck_assert_ptr_nonnull(ts->data);
	memcpy(ts->data, buf, end);
	free(buf);
}

/*
 * Rebuild direction dir (0 client to server, 1 back) of the conn-th
 * connection whose SYN the capture holds, from the payload of each
 * segment placed at seq - ISN - 1 and joined in sequence order.
 */
void tcp_stream(const char *file, int conn, int dir, struct tstream *ts)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct conn_id id;
	struct seg segs[TS_MAX_SEG];
	int nsyn = 0, n = 0, lt;
	pcap_t *p;

	memset(ts, 0, sizeof(*ts));
	memset(&id, 0, sizeof(id));
	snprintf(path, sizeof(path), "%s/%s", SV_NET_DATA, file);
	p = pcap_open_offline(path, err);
	ck_assert_msg(p != NULL, "%s: %s", path, err);
	lt = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct sv_packet pk;

		sv_decode(lt, data, h->caplen, &pk);
		if (!pk.l4 || pk.proto != 6)
			continue;
		track_syn(&id, &pk, &nsyn, conn);
		if (!id.found || !pk.payload_len || conn_dir(&id, &pk) != dir)
			continue;
		ck_assert_int_lt(n, TS_MAX_SEG);
		segs[n].off = pk.seq - id.isn[dir] - 1;
		segs[n].len = pk.payload_len;
		segs[n].data = malloc(pk.payload_len);
		ck_assert_ptr_nonnull(segs[n].data);
		memcpy(segs[n++].data, pk.payload, pk.payload_len);
	}
	pcap_close(p);
	ck_assert_msg(id.found, "%s: no connection %d", file, conn);
	join_segs(segs, n, ts);
}

void tstream_free(struct tstream *ts)
{
	free(ts->data);
	ts->data = NULL;
}

/* An exact-size heap copy, so ASan catches any read past the end. */
static uint8_t *exact(const void *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(c);
	if (n)
		memcpy(c, p, n);
	return c;
}

static enum sv_app_status hello_exact(const uint8_t *p, size_t n,
				      struct sv_tls_hello *out, size_t *need)
{
	uint8_t *c = exact(p, n);
	enum sv_app_status st = sv_tls_client_hello(c, n, out, need);

	free(c);
	return st;
}

/* ------------------------------------------------ real ClientHellos */

#define CHROME "pcap/zeek_tls_chrome-1250-tls-x25519-kyber.pcap"
#define JDK "pcap/zeek_tls_openjdk-25.0.2-zeek.org.pcap"
#define ECH "pcap/zeek_tls_tls13-ech.pcap"
#define LOOP "pcap/local_tls-loopback.pcap"

/* The ALPN of the two-record hello (tshark's alpn_str). */
#define X50 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define SPLIT_ALPN "h2,http/1.1," X50 X50 X50 X50 ",yyyy"
/* The four-segment hello's ALPN, as far as alpn[128] holds it. */
#define Z40 "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
#define SEG_ALPN "h2,http/1.1,proto-00-" Z40 ",proto-01-" Z40 \
	",proto-02-" Z40

/* tshark ja3_full strings, split where they are long */
#define CH_CIPHERS "4865-4866-4867-49195-49199-49196-49200-52393-52392-" \
	"49171-49172-156-157-47-53"
#define OSSL_CIPHERS "49196-49200-159-52393-52392-52394-49195-49199-" \
	"158-49188-49192-107-49187-49191-103-49162-49172-57-49161-" \
	"49171-51-157-156-61-60-53-47-255"
#define OSSL_GROUPS "29-23-30-25-24-256-257-258-259-260"

struct hello_case {
	const char *file;
	int conn;               /* by SYN order; tcp.stream in comment */
	const char *sni, *alpn; /* alpn: a prefix when alpn_cut */
	int alpn_cut;
	const char *ja3, *md5;
	unsigned rec_ver, legacy, version;
	int n_ciphers, n_ext, ech, n_records;
};

static const struct hello_case hellos[] = {
	/* stream 0: GREASE cipher/exts/group/version, Kyber group 25497 */
	{CHROME, 0, "lh3.google.com", "h2,http/1.1", 0,
	 "771," CH_CIPHERS ",35-13-11-10-27-17513-51-16-43-23-65281-5-45-"
	 "65037-18-0,25497-29-23-24,0",
	 "9d33d8206d4fec4c8b1423c728f4cd3c",
	 0x0301, 0x0303, 0x0304, 16, 18, 1, 1},
	/* stream 0, Linux cooked v2 */
	{JDK, 0, "zeek.org", "h2,http/1.1", 0,
	 "771,4866-4865-4867-49196-49195-52393-49200-52392-49199-159-"
	 "52394-163-158-162-49188-49192-49187-49191-107-106-103-64-49162-"
	 "49172-49161-49171-57-56-51-50-255,0-5-10-11-16-17-23-35-13-43-"
	 "45-50-51,29-23-24-25-30-256-257-258-259-260,0",
	 "bddb16608b241c89053080cf80771423",
	 0x0303, 0x0303, 0x0304, 31, 13, 0, 1},
	/* streams 1 and 2 (stream 0 has no SYN, no hello) */
	{ECH, 0, "cloudflare-ech.com", "h2,http/1.1", 0,
	 "771," CH_CIPHERS ",65281-16-13-51-45-17513-35-43-10-65037-23-5-"
	 "18-11-0-27-21,29-23-24,0",
	 "2fcbf8655473005933c5869b2b5d8044",
	 0x0301, 0x0303, 0x0304, 16, 19, 1, 1},
	{ECH, 1, "cloudflare-ech.com", "h2,http/1.1", 0,
	 "771," CH_CIPHERS ",10-35-17513-11-65037-65281-18-5-13-27-45-23-"
	 "0-16-43-51-21,29-23-24,0",
	 "fa58f5ffd45a2d590a1677134966dc64",
	 0x0301, 0x0303, 0x0304, 16, 19, 1, 1},
	/* stream 0: openssl s_client -servername some.test -alpn ... */
	{LOOP, 0, "some.test", "h2,http/1.1", 0,
	 "771,4866-4867-4865-" OSSL_CIPHERS ",0-11-10-35-16-22-23-13-43-45-"
	 "51," OSSL_GROUPS ",0-1-2",
	 "5a1edc7f170af1014fc65c994878e63c",
	 0x0301, 0x0303, 0x0304, 31, 11, 0, 1},
	/* stream 1: s_client -tls1_2: no supported_versions, no ALPN */
	{LOOP, 1, "tls12.test", "", 0,
	 "771," OSSL_CIPHERS ",0-11-10-35-22-23-13,29-23-30-25-24,0-1-2",
	 "871a754af286dfb70c1b53c6887c62e0",
	 0x0301, 0x0303, 0x0303, 28, 7, 0, 1},
	/* stream 2: curl --http1.1 */
	{LOOP, 2, "some.test", "http/1.1", 0,
	 "771,4866-4867-4865-" OSSL_CIPHERS ",0-11-10-16-22-23-49-13-43-45-"
	 "51-21," OSSL_GROUPS ",0-1-2",
	 "0149f47eabf9a20d0893e2a44e5a6323",
	 0x0301, 0x0303, 0x0304, 31, 12, 0, 1},
	/* stream 3: s_client -max_send_frag 512, long ALPN: two records */
	{LOOP, 3, "split.test", SPLIT_ALPN, 1,
	 "771,4866-4867-4865-" OSSL_CIPHERS ",0-11-10-35-16-22-23-13-43-45-"
	 "51," OSSL_GROUPS ",0-1-2",
	 "5a1edc7f170af1014fc65c994878e63c",
	 0x0301, 0x0303, 0x0304, 31, 11, 0, 2},
	/* stream 4: python ssl, hello written in 300-byte TCP segments */
	{LOOP, 4, "segments.test", SEG_ALPN, 1,
	 "771,4866-4867-4865-49196-49200-49195-49199-52393-52392-49188-"
	 "49192-49187-49191-159-158-107-103-255,0-11-10-35-16-22-23-13-43-"
	 "45-51," OSSL_GROUPS ",0-1-2",
	 "26f189b187cf57352e89d1bd8c60a4f8",
	 0x0301, 0x0303, 0x0304, 18, 11, 0, 1},
};

static void check_hello(const struct hello_case *k,
			const struct sv_tls_hello *h)
{
	ck_assert_str_eq(h->sni, k->sni);
	if (k->alpn_cut) {
		ck_assert_uint_eq(strlen(h->alpn), sizeof(h->alpn) - 1);
		ck_assert(!strncmp(h->alpn, k->alpn, sizeof(h->alpn) - 1));
	} else {
		ck_assert_str_eq(h->alpn, k->alpn);
	}
	ck_assert_int_eq(h->alpn_cut, k->alpn_cut);
	ck_assert_str_eq(h->ja3, k->ja3);
	ck_assert_int_eq(h->ja3_cut, 0);
	ck_assert_str_eq(h->ja3_md5, k->md5);
	ck_assert_uint_eq(h->record_version, k->rec_ver);
	ck_assert_uint_eq(h->legacy_version, k->legacy);
	ck_assert_uint_eq(h->version, k->version);
	ck_assert_int_eq(h->n_ciphers, k->n_ciphers);
	ck_assert_int_eq(h->n_extensions, k->n_ext);
	ck_assert_int_eq(h->ech, k->ech);
	ck_assert_int_eq(h->n_records, k->n_records);
}

/* The whole client stream: OK with tshark's values. */
START_TEST(real_hello)
{
	const struct hello_case *k = &hellos[_i];
	struct tstream ts;
	struct sv_tls_hello h;
	size_t need = 7;

	tcp_stream(k->file, k->conn, 0, &ts);
	ck_assert_int_eq(hello_exact(ts.data, ts.len, &h, &need), SV_APP_OK);
	ck_assert_uint_eq(need, 0);
	check_hello(k, &h);
	tstream_free(&ts);
}
END_TEST

/*
 * Smallest stream prefix the parser accepts: every shorter prefix must
 * say NEED_MORE with need > its length and never past that point.
 */
START_TEST(real_prefixes)
{
	const struct hello_case *k = &hellos[_i];
	struct tstream ts;
	struct sv_tls_hello h;
	size_t m, need, end = 0, hops = 0;

	tcp_stream(k->file, k->conn, 0, &ts);
	while (hello_exact(ts.data, end, &h, &need) == SV_APP_NEED_MORE) {
		ck_assert_uint_gt(need, end);
		end = need;
		ck_assert_uint_le(end, ts.len);
		hops++;
	}
	ck_assert_uint_le(hops, 2 + 2 * (size_t)k->n_records);
	check_hello(k, &h);
	for (m = 0; m < end; m++) {
		ck_assert_int_eq(hello_exact(ts.data, m, &h, &need),
				 SV_APP_NEED_MORE);
		ck_assert_uint_gt(need, m);
		ck_assert_uint_le(need, end);
		ck_assert_str_eq(h.ja3, "");
	}
	tstream_free(&ts);
}
END_TEST

/* Fed as the dispatcher would: whole TCP segments until need is met. */
START_TEST(real_segments)
{
	const struct hello_case *k = &hellos[_i];
	struct tstream ts;
	struct sv_tls_hello h;
	size_t need = 1;
	int i, st = SV_APP_NEED_MORE, calls = 0;

	tcp_stream(k->file, k->conn, 0, &ts);
	for (i = 0; i < ts.nseg && st == SV_APP_NEED_MORE; i++) {
		if (ts.seg_end[i] < need)
			continue;
		st = hello_exact(ts.data, ts.seg_end[i], &h, &need);
		calls++;
	}
	ck_assert_int_eq(st, SV_APP_OK);
	check_hello(k, &h);
	if (k->conn == 4 && !strcmp(k->file, LOOP)) {
		ck_assert_int_ge(ts.nseg, 4);   /* 3 x 300 + 7 bytes */
		ck_assert_int_eq(calls, 2);     /* header, then the rest */
	}
	tstream_free(&ts);
}
END_TEST

/* QUIC: the ClientHello is inside an encrypted Initial: not ours. */
START_TEST(quic_initial)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hd;
	const u_char *data;
	struct sv_packet pk;
	struct sv_tls_hello h;
	size_t need;
	pcap_t *p;

	snprintf(path, sizeof(path), "%s/%s", SV_NET_DATA,
		 "pcap/DERIVED_zeek_quic_merlinc2_first.pcapng");
	p = pcap_open_offline(path, err);
	ck_assert_msg(p != NULL, "%s: %s", path, err);
	ck_assert_int_eq(pcap_next_ex(p, &hd, &data), 1);
	sv_decode(pcap_datalink(p), data, hd->caplen, &pk);
	ck_assert_int_eq(pk.proto, 17);
	ck_assert_uint_eq(pk.dport, 443);
	ck_assert_uint_eq(pk.payload_len, 1280);   /* udp.length 1288 */
	ck_assert_int_eq(hello_exact(pk.payload, pk.payload_len, &h, &need),
			 SV_APP_NOT);
	pcap_close(p);
}
END_TEST

/* ------------------------------------------------ built hellos */

/* A byte builder for synthetic streams (bounded; asserts on overflow). */
struct bld {
	uint8_t b[1 << 17];
	size_t n;
};

static void put8(struct bld *w, unsigned v)
{
	ck_assert_uint_lt(w->n, sizeof(w->b));
	w->b[w->n++] = (uint8_t)v;
}

static void put16(struct bld *w, unsigned v)
{
	put8(w, v >> 8);
	put8(w, v & 0xff);
}

static void putn(struct bld *w, const void *p, size_t n)
{
	ck_assert_uint_le(w->n + n, sizeof(w->b));
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

/* Patch a 16-bit length at off: the bytes written since off + 2. */
static void fix16(struct bld *w, size_t off)
{
	size_t len = w->n - off - 2;

	w->b[off] = (uint8_t)(len >> 8);
	w->b[off + 1] = (uint8_t)len;
}

/* Open a 16-bit-length block; returns where its length goes. */
static size_t open16(struct bld *w)
{
	size_t off = w->n;

	put16(w, 0);
	return off;
}

static void ext_begin(struct bld *w, unsigned type, size_t *off)
{
	put16(w, type);
	*off = open16(w);
}

/* ClientHello body start: version, random, session id, ciphers, null
 * compression. */
static void body_head(struct bld *w, const uint16_t *cs, int ncs)
{
	static const uint8_t random[32] = {1, 2, 3};
	size_t off;
	int i;

	put16(w, 0x0303);
	putn(w, random, sizeof(random));
	put8(w, 32);
	putn(w, random, 32);
	off = open16(w);
	for (i = 0; i < ncs; i++)
		put16(w, cs[i]);
	fix16(w, off);
	put8(w, 1);
	put8(w, 0);
}

/*
 * Wrap a body into a handshake message and records of at most frag
 * bytes each (record version 3,1).
 */
static void wrap(const struct bld *body, size_t frag, struct bld *out)
{
	struct bld *hs = malloc(sizeof(*hs));
	size_t pos = 0;

	ck_assert_ptr_nonnull(hs);
	hs->n = 0;
	put8(hs, 1);
	put8(hs, (unsigned)(body->n >> 16));
	put16(hs, (unsigned)(body->n & 0xffff));
	putn(hs, body->b, body->n);
	out->n = 0;
	while (pos < hs->n) {
		size_t k = hs->n - pos < frag ? hs->n - pos : frag;

		put8(out, 22);
		put16(out, 0x0301);
		put16(out, (unsigned)k);
		putn(out, hs->b + pos, k);
		pos += k;
	}
	free(hs);
}

static void md5_hex(const char *s, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	int i;

	ck_assert_int_eq(EVP_Digest(s, strlen(s), md, &n, EVP_md5(), NULL), 1);
	ck_assert_uint_eq(n, 16);
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/*
 * A hello with GREASE everywhere and hostile names: SNI "a\0b\c.ex",
 * ALPN "h2" and "a,b", versions {GREASE, 3,3, 3,4}, groups {GREASE, 29,
 * 23}, ecpf {0}, ECH; a second SNI extension that must be ignored.
 */
static void grease_body(struct bld *w)
{
	static const uint16_t cs[] = {0x0a0a, 0x1301, 0xfafa, 0x1302};
	size_t e, off, l;

	w->n = 0;
	body_head(w, cs, 4);
	e = open16(w);
	ext_begin(w, 0x2a2a, &off);
	fix16(w, off);
	ext_begin(w, 0, &off);
	l = open16(w);
	put8(w, 0);
	put16(w, 9);
	putn(w, "a\0b\\c.ex", 8);
	put8(w, 0x80);
	fix16(w, l);
	fix16(w, off);
	ext_begin(w, 16, &off);
	l = open16(w);
	putn(w, "\2h2\3a,b", 7);
	fix16(w, l);
	fix16(w, off);
	ext_begin(w, 43, &off);
	putn(w, "\6\x3a\x3a\3\3\3\4", 7);
	fix16(w, off);
	ext_begin(w, 10, &off);
	putn(w, "\0\6\x0a\x0a\0\x1d\0\x17", 8);
	fix16(w, off);
	ext_begin(w, 11, &off);
	putn(w, "\1\0", 2);
	fix16(w, off);
	ext_begin(w, 0xfe0d, &off);
	putn(w, "ech", 3);
	fix16(w, off);
	ext_begin(w, 0, &off);
	putn(w, "\0\4\0\0\1z", 6);
	fix16(w, off);
	fix16(w, e);
}

#define GREASE_JA3 "771,4865-4866,0-16-43-10-11-65037-0,29-23,0"

static void check_grease(const struct sv_tls_hello *h)
{
	char md5[33];

	ck_assert_str_eq(h->sni, "a\\x00b\\x5cc.ex\\x80");
	ck_assert_str_eq(h->alpn, "h2,a\\x2cb");
	ck_assert_uint_eq(h->version, 0x0304);
	ck_assert_uint_eq(h->legacy_version, 0x0303);
	ck_assert_int_eq(h->n_ciphers, 4);
	ck_assert_int_eq(h->n_extensions, 8);
	ck_assert_int_eq(h->ech, 1);
	ck_assert_str_eq(h->ja3, GREASE_JA3);
	md5_hex(GREASE_JA3, md5);
	ck_assert_str_eq(h->ja3_md5, md5);
}

/* The same hello in records of 1, 2, 3, 7, 100 and 16384 bytes. */
static const size_t frags[] = {16384, 1, 2, 3, 7, 100};

START_TEST(grease_records)
{
	static struct bld body, rec;
	struct sv_tls_hello h;
	size_t need, m, hs_len;

	grease_body(&body);
	hs_len = body.n + 4;
	wrap(&body, frags[_i], &rec);
	ck_assert_int_eq(hello_exact(rec.b, rec.n, &h, &need), SV_APP_OK);
	check_grease(&h);
	ck_assert_int_eq(h.n_records, (int)((hs_len + frags[_i] - 1) /
					    frags[_i]));
	ck_assert_uint_eq(h.record_version, 0x0301);
	for (m = 0; m < rec.n; m++) {
		ck_assert_int_eq(hello_exact(rec.b, m, &h, &need),
				 SV_APP_NEED_MORE);
		ck_assert_uint_gt(need, m);
		ck_assert_uint_le(need, rec.n);
	}
}
END_TEST

/* 3000 ciphers: the JA3 text is cut, its MD5 is still of the whole. */
START_TEST(ja3_cut)
{
	static struct bld body, rec;
	static uint16_t cs[3000];
	static char full[20000];
	struct sv_tls_hello h;
	size_t len, need;
	char md5[33];
	int i;

	/* 0x0100..0x0cb7: 0x0a0a is the one GREASE value, left out */
	len = (size_t)snprintf(full, sizeof(full), "771,");
	for (i = 0; i < N(cs); i++) {
		cs[i] = (uint16_t)(0x0100 + i);
		if (cs[i] != 0x0a0a)
			len += (size_t)snprintf(full + len, sizeof(full) - len,
						"%s%d", i ? "-" : "", cs[i]);
	}
	snprintf(full + len, sizeof(full) - len, ",,,");
	body.n = 0;
	body_head(&body, cs, N(cs));
	wrap(&body, 16384, &rec);
	ck_assert_int_eq(hello_exact(rec.b, rec.n, &h, &need), SV_APP_OK);
	ck_assert_int_eq(h.n_ciphers, 3000);
	ck_assert_int_eq(h.n_extensions, 0);
	ck_assert_int_eq(h.ja3_cut, 1);
	len = strlen(h.ja3);
	ck_assert_uint_gt(len, sizeof(h.ja3) - 8);
	ck_assert(!strncmp(h.ja3, full, len));
	ck_assert(full[len] == '-');      /* cut between two values */
	md5_hex(full, md5);
	ck_assert_str_eq(h.ja3_md5, md5);
}
END_TEST

/* ------------------------------------------------ hostile streams */

struct raw_case {
	const char *name;
	const char *bytes;
	size_t n;
	int status;
	size_t need;            /* checked for NEED_MORE */
};

#define RAW(s) s, sizeof(s) - 1

static const struct raw_case raws[] = {
	{"empty", RAW(""), SV_APP_NEED_MORE, 9},
	{"one byte", RAW("\x16"), SV_APP_NEED_MORE, 9},
	{"header", RAW("\x16\x03\x01\x00\x30"), SV_APP_NEED_MORE, 9},
	{"hs type", RAW("\x16\x03\x01\x00\x30\x01"), SV_APP_NEED_MORE, 9},
	{"hs len", RAW("\x16\x03\x01\x00\x30\x01\0\0\x2c"), SV_APP_NEED_MORE,
	 53},
	{"app data", RAW("\x17\x03\x03\x00\x10"), SV_APP_NOT, 0},
	{"http", RAW("GET / HTTP/1.1\r\n"), SV_APP_NOT, 0},
	{"ssh", RAW("SSH-2.0-x\r\n"), SV_APP_NOT, 0},
	{"sslv2", RAW("\x80\x2e\x01\x00\x02"), SV_APP_NOT, 0},
	{"major 2", RAW("\x16\x02"), SV_APP_NOT, 0},
	{"minor 5", RAW("\x16\x03\x05"), SV_APP_NOT, 0},
	{"server hello", RAW("\x16\x03\x03\x00\x30\x02\0\0\x2c"), SV_APP_NOT,
	 0},
	{"empty record", RAW("\x16\x03\x01\x00\x00"), SV_APP_MALFORMED, 0},
	{"huge record", RAW("\x16\x03\x01\x40\x01\x01"), SV_APP_MALFORMED, 0},
	{"huge hello", RAW("\x16\x03\x01\x00\x30\x01\xff\xff\xff"),
	 SV_APP_MALFORMED, 0},
	/* 16 KiB records: need >= 9 + (L - 0) + 5 more header bytes */
	{"hello at cap", RAW("\x16\x03\x01\x40\x00\x01\x00\xff\xf2"),
	 SV_APP_NEED_MORE, 65536},
	{"hello past cap", RAW("\x16\x03\x01\x40\x00\x01\x00\xff\xf3"),
	 SV_APP_MALFORMED, 0},
	{"empty hello", RAW("\x16\x03\x01\x00\x04\x01\0\0\0"),
	 SV_APP_MALFORMED, 0},
	/* the hello continues in a record of another type (alert) */
	{"alert after", RAW("\x16\x03\x01\x00\x04\x01\0\0\x30\x15\x03\x01"),
	 SV_APP_MALFORMED, 0},
	{"record ver 2nd", RAW("\x16\x03\x01\x00\x04\x01\0\0\x30\x16\x04"),
	 SV_APP_MALFORMED, 0},
	{"split header", RAW("\x16\x03\x01\x00\x02\x01\0\x16\x03\x01\x00\x02"
			     "\0\x30"), SV_APP_NEED_MORE, 14 + 5 + 0x30},
};

START_TEST(raw_streams)
{
	const struct raw_case *k = &raws[_i];
	struct sv_tls_hello h;
	size_t need = 12345;
	int st = hello_exact((const uint8_t *)k->bytes, k->n, &h, &need);

	ck_assert_msg(st == k->status, "%s: status %d", k->name, st);
	ck_assert_msg(need == (st == SV_APP_NEED_MORE ? k->need : 0),
		      "%s: need %zu", k->name, need);
	ck_assert_str_eq(h.ja3, "");
	ck_assert_str_eq(h.ja3_md5, "");
}
END_TEST

/* Broken bodies: each defect at one place of an otherwise good hello. */
enum defect {
	D_NONE, D_NO_EXTS, D_SID33, D_CS_ODD, D_COMP0, D_EXT_OVERRUN,
	D_TRAILING, D_EXT_INNER, D_BAD_SNI, D_VERSIONS_ODD
};

/* Extensions: SNI (broken for D_BAD_SNI), ALPN "h2", versions. */
static void defect_exts(struct bld *w, enum defect d)
{
	size_t e = open16(w), off;

	ext_begin(w, 0, &off);
	putn(w, d == D_BAD_SNI ? "\0\7\0\0\2ab" : "\0\5\0\0\2ab", 7);
	fix16(w, off);
	ext_begin(w, 16, &off);
	putn(w, "\0\3\2h2", 5);
	fix16(w, off);
	ext_begin(w, 43, &off);
	putn(w, d == D_VERSIONS_ODD ? "\3\3\4\3" : "\2\3\4",
	     d == D_VERSIONS_ODD ? 4 : 3);
	fix16(w, off);
	if (d == D_EXT_INNER)
		putn(w, "\0\x15\0\x09\0", 5);   /* padding claims 9 */
	fix16(w, e);
	if (d == D_EXT_OVERRUN)
		w->b[e + 1] += 1;
	if (d == D_TRAILING)
		put8(w, 0);
}

static void defect_body(struct bld *w, enum defect d)
{
	static const uint8_t random[32];

	w->n = 0;
	put16(w, 0x0303);
	putn(w, random, 32);
	put8(w, d == D_SID33 ? 33 : 0);
	if (d == D_SID33)
		putn(w, random, 32);
	put16(w, d == D_CS_ODD ? 3 : 4);
	put16(w, 0x1301);
	put16(w, 0xc02f);
	put8(w, d == D_COMP0 ? 0 : 1);
	put8(w, 0);
	if (d != D_NO_EXTS)
		defect_exts(w, d);
}

struct defect_case {
	enum defect d;
	int status;
	int n_ciphers, n_ext;
	const char *sni, *alpn;
	unsigned version;
};

static const struct defect_case defects[] = {
	{D_NONE, SV_APP_OK, 2, 3, "ab", "h2", 0x0304},
	{D_NO_EXTS, SV_APP_OK, 2, 0, "", "", 0x0303},
	{D_SID33, SV_APP_MALFORMED, 0, 0, "", "", 0x0303},
	{D_CS_ODD, SV_APP_MALFORMED, 0, 0, "", "", 0x0303},
	{D_COMP0, SV_APP_MALFORMED, 2, 0, "", "", 0x0303},
	{D_EXT_OVERRUN, SV_APP_MALFORMED, 2, 0, "", "", 0x0303},
	{D_TRAILING, SV_APP_MALFORMED, 2, 0, "", "", 0x0303},
	{D_EXT_INNER, SV_APP_MALFORMED, 2, 3, "ab", "h2", 0x0304},
	{D_BAD_SNI, SV_APP_MALFORMED, 2, 3, "", "h2", 0x0304},
	{D_VERSIONS_ODD, SV_APP_MALFORMED, 2, 3, "ab", "h2", 0x0303},
};

START_TEST(defect_bodies)
{
	const struct defect_case *k = &defects[_i];
	static struct bld body, rec;
	struct sv_tls_hello h;
	size_t need;

	defect_body(&body, k->d);
	wrap(&body, 16384, &rec);
	ck_assert_int_eq(hello_exact(rec.b, rec.n, &h, &need), k->status);
	ck_assert_uint_eq(h.legacy_version, 0x0303);
	ck_assert_uint_eq(h.version, k->version);
	ck_assert_int_eq(h.n_ciphers, k->n_ciphers);
	ck_assert_int_eq(h.n_extensions, k->n_ext);
	ck_assert_str_eq(h.sni, k->sni);
	ck_assert_str_eq(h.alpn, k->alpn);
	if (k->status == SV_APP_OK)
		ck_assert_str_eq(h.ja3, k->d == D_NO_EXTS ? "771,4865-49199,,,"
				 : "771,4865-49199,0-16-43,,");
	else
		ck_assert_str_eq(h.ja3, "");
}
END_TEST

/* What any result must satisfy (the fuzz target checks the same). */
static void check_contract(int st, size_t n, size_t need,
			   const struct sv_tls_hello *h)
{
	ck_assert(st >= SV_APP_OK && st <= SV_APP_MALFORMED);
	if (st == SV_APP_NEED_MORE) {
		ck_assert_uint_gt(need, n);
		ck_assert_uint_le(need, SV_APP_MAX_NEED);
	} else {
		ck_assert_uint_eq(need, 0);
	}
	ck_assert_ptr_nonnull(memchr(h->sni, 0, sizeof(h->sni)));
	ck_assert_ptr_nonnull(memchr(h->alpn, 0, sizeof(h->alpn)));
	ck_assert_ptr_nonnull(memchr(h->ja3, 0, sizeof(h->ja3)));
	ck_assert_uint_eq(strlen(h->ja3_md5), st == SV_APP_OK ? 32 : 0);
	if (st != SV_APP_OK)
		ck_assert_str_eq(h->ja3, "");
	else
		ck_assert_int_ge(h->n_records, 1);
}

/* Every byte of a real and a built hello, set to four values. */
START_TEST(mutations)
{
	static struct bld body, rec;
	struct tstream ts;
	struct sv_tls_hello h;
	const uint8_t *src;
	uint8_t *c;
	size_t n, i, need;
	int v;

	if (_i == 0) {
		tcp_stream(CHROME, 0, 0, &ts);
		src = ts.data;
		n = ts.len;
	} else {
		grease_body(&body);
		wrap(&body, 5, &rec);
		src = rec.b;
		n = rec.n;
		ts.data = NULL;
	}
	c = exact(src, n);
	for (i = 0; i < n; i++) {
		const uint8_t vals[4] = {0, 0xff, src[i] ^ 1, src[i] ^ 0x80};

		for (v = 0; v < 4; v++) {
			int st;

			c[i] = vals[v];
			st = sv_tls_client_hello(c, n, &h, &need);
			check_contract(st, n, need, &h);
		}
		c[i] = src[i];
	}
	free(c);
	free(ts.data);
}
END_TEST

START_TEST(null_input)
{
	struct sv_tls_hello h;
	size_t need;

	ck_assert_int_eq(sv_tls_client_hello(NULL, 0, &h, &need),
			 SV_APP_NEED_MORE);
	ck_assert_uint_eq(need, 9);
	ck_assert_int_eq(sv_tls_client_hello(NULL, 0, &h, NULL),
			 SV_APP_NEED_MORE);
	ck_assert(sv_tls_is_grease(0x0a0a) && sv_tls_is_grease(0xfafa));
	ck_assert(!sv_tls_is_grease(0x0a1a) && !sv_tls_is_grease(0x0b0b));
}
END_TEST

static Suite *tls_suite(void)
{
	Suite *s = suite_create("tls");
	TCase *tc = tcase_create("tls");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, real_hello, 0, N(hellos));
	tcase_add_loop_test(tc, real_prefixes, 0, N(hellos));
	tcase_add_loop_test(tc, real_segments, 0, N(hellos));
	tcase_add_test(tc, quic_initial);
	tcase_add_loop_test(tc, grease_records, 0, N(frags));
	tcase_add_test(tc, ja3_cut);
	tcase_add_loop_test(tc, raw_streams, 0, N(raws));
	tcase_add_loop_test(tc, defect_bodies, 0, N(defects));
	tcase_add_loop_test(tc, mutations, 0, 2);
	tcase_add_test(tc, null_input);
	suite_add_tcase(s, tc);
	return s;
}

/* test_tls_ssh [tls|ssh]: one suite, or both. */
int main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (argc > 1 && !strcmp(argv[1], "ssh")) {
		sr = srunner_create(ssh_suite());
	} else {
		sr = srunner_create(tls_suite());
		if (argc < 2 || strcmp(argv[1], "tls"))
			srunner_add_suite(sr, ssh_suite());
	}
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
