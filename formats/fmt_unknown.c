/*
 * fmt_unknown.c - the fallback for files outside the bundle contract.
 *
 * Nothing is interpreted; the file is read to its end (so its hash is
 * complete) and listed in the report as unparsed, with its size and
 * whether it looks like text, never silently dropped (DESIGN.md §1).
 */
#include <string.h>

#include "sv_format.h"

#define SNIFF 512

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	(void)head;
	(void)n;
	return lay->kind == SV_ART_UNKNOWN ? 1 : 0;
}

static int looks_text(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' &&
		     p[i] != '\t') || p[i] == 0x7f)
			return 0;
	return 1;
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	struct sv_record rec;
	const uint8_t *p;
	size_t n;
	enum sv_status rc;
	int first = 1;

	(void)scratch;
	memset(&rec, 0, sizeof(rec));
	rec.type = SV_REC_UNKNOWN_FILE;
	rec.artifact = src->path;
	rec.u.unknown.is_text = 1;
	while ((rc = sv_source_block(src, &p, &n, err)) == SV_OK) {
		if (first)
			rec.u.unknown.is_text = looks_text(p, n < SNIFF ? n : SNIFF);
		first = 0;
		rec.u.unknown.size += n;
	}
	if (rc != SV_EOF)
		return rc;
	return out->record(out->ctx, &rec, err);
}

const struct sv_format_ops sv_fmt_unknown = {
	.name = "unknown",
	.kind = SV_ART_UNKNOWN,
	.probe = probe,
	.parse = parse,
};
