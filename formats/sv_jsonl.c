/*
 * sv_jsonl.c - bounded JSON Lines iteration over a source.
 */
#include "sv_jsonl.h"

#include <string.h>

enum sv_status sv_jsonl_each(struct sv_source *src, struct sv_arena *scratch,
			     const struct sv_emit *out, sv_jsonl_fn fn,
			     void *ctx, struct sv_error *err)
{
	char *buf = sv_arena_alloc(scratch, SV_JSONL_LINE_MAX);
	struct sv_lines lines;
	struct sv_span line;
	enum sv_status rc, result = SV_OK;

	if (!buf)
		return sv_error_set(err, SV_ERR_NOMEM, src->path,
				    "out of memory");
	sv_lines_init(&lines, src, buf, SV_JSONL_LINE_MAX);
	for (;;) {
		json_error_t jerr;
		json_t *root;
		size_t i;

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
		for (i = 0; i < line.n && (line.p[i] == ' ' ||
					   line.p[i] == '\t'); i++)
			;
		if (i == line.n)
			continue;
		root = json_loadb(line.p, line.n, JSON_REJECT_DUPLICATES, &jerr);
		if (!root) {
			sv_emit_problem(out, src->path, lines.lineno,
					"not JSON (column %d): %s",
					jerr.column, jerr.text);
			result = SV_WARN;
			continue;
		}
		rc = fn(ctx, root, lines.lineno, err);
		json_decref(root);
		if (sv_is_error(rc))
			return rc;
		if (rc == SV_WARN)
			result = SV_WARN;
	}
	return result;
}

enum sv_status sv_json_load(struct sv_source *src, struct sv_arena *scratch,
			    size_t max, json_t **root, struct sv_error *err)
{
	json_error_t jerr;
	char *buf;
	size_t n;

	SV_FORWARD(sv_source_slurp(src, scratch, max, &buf, &n, err));
	*root = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!*root)
		return sv_error_at(err, SV_ERR_CORRUPT, src->path,
				   jerr.position > 0 ? (uint64_t)jerr.position
						     : 0,
				   jerr.line > 0 ? (uint64_t)jerr.line : 0,
				   "invalid JSON: %s", jerr.text);
	return SV_OK;
}

const char *sv_json_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

json_t *sv_json_path(json_t *obj, const char *dotted)
{
	char key[128];
	const char *p = dotted;

	while (obj && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		obj = json_is_object(obj) ? json_object_get(obj, key) : NULL;
		p += n + (dot ? 1 : 0);
	}
	return obj;
}

const char *sv_json_strdup(struct sv_arena *a, json_t *obj, const char *key,
			   size_t max)
{
	json_t *v = sv_json_path(obj, key);
	size_t n;

	if (!json_is_string(v))
		return "";
	n = json_string_length(v);
	return sv_arena_strndup(a, json_string_value(v), n > max ? max : n);
}
