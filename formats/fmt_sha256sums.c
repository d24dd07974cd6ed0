/*
 * fmt_sha256sums.c - SHA256SUMS as written by coreutils sha256sum.
 *
 *   <64 hex><space><space|*><path>            text or binary mode
 *   \<64 hex><space><space|*><escaped path>   path held '\\' or '\n'
 *
 * One SV_REC_CHECKSUM per line; the pipeline compares them with the
 * digests the bundle reader computed. Paths are normalised as member
 * paths are ("./" dropped, "a//b" folded).
 */
#include <string.h>

#include "sv_format.h"

#define LINE_MAX_LEN 8192

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	(void)head;
	(void)n;
	return lay->kind == SV_ART_SHA256SUMS ? 100 : 0;
}

/* Undo sha256sum's escaping into out (never longer than in). */
static size_t unescape(const char *in, size_t n, char *out, int escaped)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (escaped && in[i] == '\\' && i + 1 < n) {
			i++;
			out[o++] = in[i] == 'n' ? '\n' : in[i];
		} else {
			out[o++] = in[i];
		}
	}
	return o;
}

/* Drop "." and empty components in place; 0, or -1 on "..", absolute. */
static int normalise(char *p, size_t *n)
{
	size_t i = 0, o = 0;

	if (*n && p[0] == '/')
		return -1;
	while (i < *n) {
		size_t j = i;

		while (j < *n && p[j] != '/')
			j++;
		if (j - i == 2 && p[i] == '.' && p[i + 1] == '.')
			return -1;
		if (j > i && !(j - i == 1 && p[i] == '.')) {
			if (o)
				p[o++] = '/';
			memmove(p + o, p + i, j - i);
			o += j - i;
		}
		i = j + 1;
	}
	*n = o;
	return 0;
}

static enum sv_status parse_line(struct sv_span line, uint64_t lineno,
				 const char *path, char *pathbuf,
				 const struct sv_emit *out,
				 struct sv_error *err)
{
	struct sv_record rec;
	const char *p = line.p;
	size_t n = line.n, plen;
	int escaped = 0;

	if (n == 0)
		return SV_OK;
	if (p[0] == '\\') {
		escaped = 1;
		p++;
		n--;
	}
	memset(&rec, 0, sizeof(rec));
	if (n < 67 || (p[64] != ' ') || (p[65] != ' ' && p[65] != '*') ||
	    sv_hex_decode(p, 64, rec.u.checksum.digest, SV_SHA256_LEN)) {
		sv_emit_problem(out, path, lineno,
				"not a sha256sum line ('<64 hex>  <path>')");
		return SV_WARN;
	}
	plen = unescape(p + 66, n - 66, pathbuf, escaped);
	if (normalise(pathbuf, &plen) || plen == 0) {
		sv_emit_problem(out, path, lineno,
				"path is absolute, empty or has '..'");
		return SV_WARN;
	}
	pathbuf[plen] = '\0';
	rec.type = SV_REC_CHECKSUM;
	rec.artifact = path;
	rec.u.checksum.path = pathbuf;
	rec.u.checksum.line = lineno;
	return out->record(out->ctx, &rec, err);
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	char *linebuf = sv_arena_alloc(scratch, LINE_MAX_LEN);
	char *pathbuf = sv_arena_alloc(scratch, LINE_MAX_LEN + 1);
	struct sv_lines lines;
	struct sv_span line;
	enum sv_status rc, result = SV_OK;

	if (!linebuf || !pathbuf)
		return sv_error_set(err, SV_ERR_NOMEM, src->path,
				    "out of memory");
	sv_lines_init(&lines, src, linebuf, LINE_MAX_LEN);
	for (;;) {
		rc = sv_lines_next(&lines, &line, err);
		if (rc == SV_EOF)
			break;
		if (rc == SV_WARN) {
			if (out->problem)
				out->problem(out->ctx, err);
			result = SV_WARN;
			continue;
		}
		if (rc != SV_OK)
			return rc;
		rc = parse_line(line, lines.lineno, src->path, pathbuf, out,
				err);
		if (sv_is_error(rc))
			return rc;
		if (rc == SV_WARN)
			result = SV_WARN;
	}
	return result;
}

const struct sv_format_ops sv_fmt_sha256sums = {
	.name = "sha256sums",
	.kind = SV_ART_SHA256SUMS,
	.probe = probe,
	.parse = parse,
};
