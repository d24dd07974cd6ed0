/*
 * fmt_pcap.c - packet captures (pcap and pcapng) through libpcap,
 * straight from the bundle stream.
 *
 *   bundle member --sv_source--> fopencookie() FILE* --> libpcap
 *        --> one SV_REC_PACKET per frame, then one SV_REC_CAPTURE
 *
 * No temporary file: libpcap reads the member through a cookie FILE
 * whose read function pulls blocks from the source. libpcap parses the
 * file formats (we never hand-write pcap parsing); frames are handed on
 * undecoded (formats/net decodes them). Timestamps are asked for in
 * nanoseconds, so microsecond files come scaled by libpcap.
 *
 * A file that ends inside a record (a capture cut short) is reported
 * with the frame number and what libpcap said; every frame before it is
 * kept. A file libpcap cannot open at all is unreadable as a whole.
 */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdio_ext.h> /* __fsetlocking */
#include <string.h>

#include "sv_format.h"
#include "sv_time.h"

struct cookie {
	struct sv_source *src;
	const uint8_t *blk;
	size_t len, off;
	struct sv_error err;    /* a source failure, for parse to return */
	enum sv_status rc;
};

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	static const uint8_t magics[][4] = {
		{0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4}, /* us */
		{0x4d, 0x3c, 0xb2, 0xa1}, {0xa1, 0xb2, 0x3c, 0x4d}, /* ns */
		{0x0a, 0x0d, 0x0d, 0x0a},                           /* pcapng */
	};
	size_t i;

	if (lay->kind != SV_ART_PCAP)
		return 0;
	for (i = 0; n >= 4 && i < sizeof(magics) / sizeof(magics[0]); i++)
		if (memcmp(head, magics[i], 4) == 0)
			return 100;
	return 50; /* named like a capture: libpcap will say what it is */
}

static ssize_t cookie_read(void *vc, char *buf, size_t size)
{
	struct cookie *c = vc;
	size_t take;

	if (c->off == c->len) {
		c->rc = sv_source_block(c->src, &c->blk, &c->len, &c->err);
		c->off = 0;
		if (c->rc == SV_EOF) {
			c->len = 0;
			return 0;
		}
		if (c->rc != SV_OK) {
			c->len = 0;
			errno = EIO;
			return -1;
		}
	}
	take = c->len - c->off < size ? c->len - c->off : size;
	memcpy(buf, c->blk + c->off, take);
	c->off += take;
	return (ssize_t)take;
}

static int64_t frame_ns(const struct pcap_pkthdr *h)
{
	int64_t s = (int64_t)h->ts.tv_sec;

	/* tv_usec holds nanoseconds (PCAP_TSTAMP_PRECISION_NANO) */
	if (s < 0 || s > INT64_MAX / SV_NS_PER_SEC - 1)
		return SV_TIME_NONE;
	return s * SV_NS_PER_SEC + (int64_t)h->ts.tv_usec;
}

static void summary_init(struct sv_record *sum, pcap_t *p, int pcapng)
{
	struct sv_capture *cap = &sum->u.capture;

	cap->linktype = pcap_datalink(p);
	cap->linktype_name = pcap_datalink_val_to_name(cap->linktype);
	if (!cap->linktype_name)
		cap->linktype_name = "unknown";
	cap->snaplen = (uint32_t)pcap_snapshot(p);
	cap->nanosecond = 1;
	cap->pcapng = pcapng;
	cap->first_ns = cap->last_ns = SV_TIME_NONE;
}

static enum sv_status frame(const struct sv_emit *out, struct sv_record *rec,
			    struct sv_capture *cap,
			    const struct pcap_pkthdr *h, const uint8_t *data,
			    struct sv_error *err)
{
	rec->ts_ns = frame_ns(h);
	rec->u.packet.caplen = h->caplen;
	rec->u.packet.len = h->len;
	rec->u.packet.data = data;
	rec->u.packet.index = ++cap->packets;
	cap->bytes_captured += h->caplen;
	cap->bytes_wire += h->len;
	if (h->caplen < h->len)
		cap->cut_by_snaplen++;
	if (rec->ts_ns != SV_TIME_NONE) {
		if (cap->first_ns == SV_TIME_NONE)
			cap->first_ns = rec->ts_ns;
		cap->last_ns = rec->ts_ns;
	}
	return out->record(out->ctx, rec, err);
}

/* Every frame, then the summary. */
static enum sv_status read_frames(pcap_t *p, struct cookie *c,
				  struct sv_record *sum,
				  const struct sv_emit *out, struct sv_error *err)
{
	struct sv_capture *cap = &sum->u.capture;
	struct sv_record rec;
	struct pcap_pkthdr *h;
	const u_char *data;
	enum sv_status rc = SV_OK;
	int r;

	memset(&rec, 0, sizeof(rec));
	rec.type = SV_REC_PACKET;
	rec.artifact = c->src->path;
	rec.u.packet.linktype = cap->linktype;
	while ((r = pcap_next_ex(p, &h, &data)) == 1) {
		rc = frame(out, &rec, cap, h, data, err);
		if (rc != SV_OK)
			return rc;
	}
	if (sv_is_error(c->rc)) { /* the bundle stream broke under us */
		*err = c->err;
		return c->rc;
	}
	if (r != PCAP_ERROR_BREAK) {
		cap->truncated = 1;
		sv_emit_problem(out, c->src->path, 0,
				"capture ends inside frame %llu: %s",
				(unsigned long long)cap->packets + 1,
				pcap_geterr(p));
		rc = SV_WARN;
	}
	return rc;
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	cookie_io_functions_t io = {cookie_read, NULL, NULL, NULL};
	struct cookie c = {src, NULL, 0, 0, {0}, SV_OK};
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct sv_record sum;
	const uint8_t *head;
	size_t n = 0;
	enum sv_status rc, summary_rc;
	int pcapng;
	FILE *fp;
	pcap_t *p;

	(void)scratch;
	rc = sv_source_peek(src, &head, &n, err);
	if (sv_is_error(rc))
		return rc;
	pcapng = n >= 4 && memcmp(head, "\x0a\x0d\x0d\x0a", 4) == 0;
	fp = fopencookie(&c, "r", io);
	if (!fp)
		return sv_error_set(err, SV_ERR_NOMEM, src->path,
				    "cannot open a stream for libpcap");
	/* libpcap makes two fread calls per frame: only this thread uses
	 * fp, so stdio's lock is pure cost; a larger buffer means fewer
	 * trips through cookie_read. */
	__fsetlocking(fp, FSETLOCKING_BYCALLER);
	setvbuf(fp, NULL, _IOFBF, 1u << 16);
	p = pcap_fopen_offline_with_tstamp_precision(
		fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p) {
		fclose(fp);
		if (sv_is_error(c.rc)) {
			*err = c.err;
			return c.rc;
		}
		return sv_error_set(err, SV_ERR_CORRUPT, src->path,
				    "not a capture libpcap reads: %s",
				    errbuf[0] ? errbuf : "empty file");
	}
	memset(&sum, 0, sizeof(sum));
	sum.type = SV_REC_CAPTURE;
	sum.artifact = src->path;
	summary_init(&sum, p, pcapng);
	rc = read_frames(p, &c, &sum, out, err);
	pcap_close(p); /* closes fp */
	if (sv_is_error(rc))
		return rc;
	sum.ts_ns = sum.u.capture.first_ns;
	summary_rc = out->record(out->ctx, &sum, err);
	return summary_rc != SV_OK ? summary_rc : rc;
}

const struct sv_format_ops sv_fmt_pcap = {
	.name = "pcap",
	.kind = SV_ART_PCAP,
	.probe = probe,
	.parse = parse,
};
