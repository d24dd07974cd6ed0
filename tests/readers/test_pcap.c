/*
 * test_pcap.c - the capture reader (formats/fmt_pcap.c) on real captures:
 * frame counts, link types, timestamps and sizes as capinfos and tshark
 * report them, truncated and corrupt files, and the same results when the
 * capture streams out of a real .tar.gz bundle in many blocks.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kt_harness.h"
#include "sv_time.h"

extern const struct sv_format_ops sv_fmt_pcap;

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DIR SV_KT_DATA "/capture/"
#define PATH "pcap/test.pcap"

struct case_ {
	const char *file;
	enum sv_status rc;
	uint64_t packets;   /* capinfos -c */
	int linktype;       /* LINKTYPE_* */
	int pcapng;
	int truncated;
	uint32_t snaplen;
};

static const struct case_ cases[] = {
	/* tcpdump: SLL, nanosecond magic */
	{"tcpdump_tcp-handshake-nano.pcap", SV_OK, 3, 113, 0, 0, 262144},
	/* tcpdump: 802.1ad + 802.1Q on Ethernet */
	{"tcpdump_802.1ad_QinQ.pcap", SV_OK, 2, 1, 0, 0, 10000},
	/* zeek: what tcpdump -i any writes (SLL2) */
	{"zeek_linux_dlt_sll2.pcap", SV_OK, 6, 276, 0, 0, 262144},
	/* zeek: pcapng, several interfaces */
	{"zeek_pcapng-multi-interface.pcapng", SV_OK, 6, 1, 1, 0, 262144},
	/* cut short inside frame 182 (capinfos: "after reading 181") */
	{"DERIVED_truncated_zeek_http_bro.org.pcap", SV_WARN, 181, 1, 0, 1,
	 65535},
	/* the web-incident sample's own capture: tcpdump -i any -s 512 */
	{"web-incident-bridge.pcap", SV_OK, 1150, 276, 0, 0, 512},
};

static const struct sv_record *summary(const struct kt_run *r)
{
	ck_assert_uint_ge(r->nrec, 1);
	ck_assert_int_eq(r->rec[r->nrec - 1].type, SV_REC_CAPTURE);
	return &r->rec[r->nrec - 1];
}

static void check_case(const struct kt_run *r, const struct case_ *c)
{
	const struct sv_capture *cap = &summary(r)->u.capture;
	size_t i;

	ck_assert_int_eq(r->rc, c->rc);
	ck_assert_uint_eq(cap->packets, c->packets);
	ck_assert_uint_eq(r->nrec, c->packets + 1);
	ck_assert_int_eq(cap->linktype, c->linktype);
	ck_assert_int_eq(cap->pcapng, c->pcapng);
	ck_assert_int_eq(cap->truncated, c->truncated);
	ck_assert_uint_eq(cap->snaplen, c->snaplen);
	ck_assert_uint_eq(kt_problems(r, 0, "ends inside frame"),
			  c->truncated ? 1 : 0);
	for (i = 0; i < c->packets; i++) {
		const struct sv_record *p = &r->rec[i];

		ck_assert_int_eq(p->type, SV_REC_PACKET);
		ck_assert_uint_eq(p->u.packet.index, i + 1);
		ck_assert_uint_le(p->u.packet.caplen, p->u.packet.len);
		ck_assert_uint_le(p->u.packet.caplen, c->snaplen);
		ck_assert_int_ne(p->ts_ns, SV_TIME_NONE);
		if (i)
			ck_assert_int_ge(p->ts_ns, r->rec[0].ts_ns);
	}
	ck_assert_int_eq(cap->first_ns, r->rec[0].ts_ns);
}

START_TEST(real_captures)
{
	const struct case_ *c = &cases[_i];
	struct kt_run *r = kt_new(), *b = kt_new();
	char path[512];
	size_t n;
	char *buf;

	snprintf(path, sizeof(path), DIR "%s", c->file);
	kt_parse_file(r, &sv_fmt_pcap, PATH, path);
	check_case(r, c);
	/* the same bytes streamed from a real .tar.gz member */
	buf = kt_read(path, &n);
	kt_parse_bundle(b, &sv_fmt_pcap, PATH, buf, n);
	check_case(b, c);
	ck_assert_int_eq(b->rec[c->packets - 1].ts_ns,
			 r->rec[c->packets - 1].ts_ns);
	free(buf);
	kt_free(r);
	kt_free(b);
}
END_TEST

/* Exact values from tshark -T fields -e frame.time_epoch -e frame.len
 * -e frame.cap_len: nanosecond timestamps survive. */
START_TEST(exact_frames)
{
	struct kt_run *r = kt_new();

	kt_parse_file(r, &sv_fmt_pcap, PATH,
		      DIR "tcpdump_tcp-handshake-nano.pcap");
	ck_assert_int_eq(r->rec[0].ts_ns, 1418145369924505488LL);
	ck_assert_int_eq(r->rec[1].ts_ns, 1418145370052027262LL);
	ck_assert_uint_eq(r->rec[2].u.packet.len, 68);
	ck_assert_uint_eq(r->rec[2].u.packet.caplen, 68);
	kt_free(r);
	r = kt_new();
	kt_parse_file(r, &sv_fmt_pcap, PATH, DIR "web-incident-bridge.pcap");
	ck_assert_int_eq(r->rec[0].ts_ns, 1795942196542234000LL);
	ck_assert_int_eq(r->rec[1149].ts_ns, 1795942216303144000LL);
	kt_free(r);
}
END_TEST

/* libpcap refuses it: the reader names the file and libpcap's reason. */
START_TEST(corrupt_and_empty)
{
	static const char garbage[] = "this is not a capture at all\n";
	struct kt_run *r = kt_new();

	kt_parse_file(r, &sv_fmt_pcap, PATH,
		      DIR "libpcap_shb-option-too-long.pcapng");
	ck_assert_int_eq(r->rc, SV_ERR_CORRUPT);
	ck_assert_str_eq(r->err.artifact, PATH);
	ck_assert_ptr_nonnull(strstr(r->err.msg, "libpcap"));
	kt_reset(r);
	kt_parse(r, &sv_fmt_pcap, PATH, garbage, sizeof(garbage) - 1);
	ck_assert_int_eq(r->rc, SV_ERR_CORRUPT);
	kt_reset(r);
	kt_parse(r, &sv_fmt_pcap, PATH, "", 0);
	ck_assert_int_eq(r->rc, SV_ERR_CORRUPT);
	ck_assert_uint_eq(r->nrec, 0);
	kt_free(r);
}
END_TEST

/* Every prefix of a real capture: never a crash; frames before the cut
 * are kept and the cut is reported. */
START_TEST(every_prefix)
{
	struct kt_run *r = kt_new();
	size_t n, cut;
	char *buf = kt_read(DIR "zeek_linux_dlt_sll2.pcap", &n);

	for (cut = 0; cut < n; cut++) {
		kt_reset(r);
		kt_parse(r, &sv_fmt_pcap, PATH, buf, cut);
		if (cut < 24) { /* not even the file header */
			ck_assert_int_eq(r->rc, SV_ERR_CORRUPT);
			continue;
		}
		ck_assert(r->rc == SV_OK || r->rc == SV_WARN);
		ck_assert_uint_le(summary(r)->u.capture.packets, 6);
	}
	free(buf);
	kt_free(r);
}
END_TEST

START_TEST(probe_by_magic)
{
	struct sv_layout lay;

	sv_layout_classify("pcap/x.pcap", &lay);
	ck_assert_int_eq(sv_fmt_pcap.probe(&lay,
		(const uint8_t *)"\xd4\xc3\xb2\xa1", 4), 100);
	ck_assert_int_eq(sv_fmt_pcap.probe(&lay,
		(const uint8_t *)"\x0a\x0d\x0d\x0a", 4), 100);
	ck_assert_int_eq(sv_fmt_pcap.probe(&lay, (const uint8_t *)"abcd", 4),
			 50);
	sv_layout_classify("events/dmesg.txt", &lay);
	ck_assert_int_eq(sv_fmt_pcap.probe(&lay,
		(const uint8_t *)"\xd4\xc3\xb2\xa1", 4), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pcap");
	TCase *tc = tcase_create("pcap");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, real_captures, 0, N(cases));
	tcase_add_test(tc, exact_frames);
	tcase_add_test(tc, corrupt_and_empty);
	tcase_add_test(tc, every_prefix);
	tcase_add_test(tc, probe_by_magic);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
