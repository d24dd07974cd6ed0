/*
 * sv_jsonl.c - bounded JSON Lines iteration over a source.
 */
#include "sv_jsonl.h"

#include <stdio.h>
#include <string.h>

#include "sv_time.h"

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

int sv_json_probe(const struct sv_layout *lay, enum sv_artifact kind,
		  const uint8_t *head, size_t n, const char *opens)
{
	size_t i = 0;

	if (lay->kind != kind)
		return 0;
	while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r'))
		i++;
	return i == n || (head[i] && strchr(opens, head[i])) ? 100 : 50;
}

enum sv_status sv_json_each_item(json_t *root, size_t max, sv_json_item_fn fn,
				 void *ctx, const struct sv_emit *out,
				 const char *path, uint64_t line,
				 struct sv_error *err)
{
	json_t *items = json_is_array(root) ? root
					    : json_object_get(root, "items");
	enum sv_status rc, result = SV_OK;
	size_t i, n;
	char where[48];

	if (!json_is_array(items))
		return fn(ctx, root, line, "", err);
	n = json_array_size(items);
	if (n > max) {
		sv_emit_problem(out, path, line,
				"%zu events: only the first %zu are read", n,
				max);
		n = max;
		result = SV_WARN;
	}
	for (i = 0; i < n; i++) {
		snprintf(where, sizeof(where), "item %zu: ", i);
		rc = fn(ctx, json_array_get(items, i), line, where, err);
		if (sv_is_error(rc))
			return rc;
		if (rc != SV_OK)
			result = SV_WARN;
	}
	return result;
}

#define EVENT_ARENA_CAP (4u << 20)

enum sv_status sv_json_read_events(struct sv_source *src,
				   struct sv_arena *scratch,
				   const struct sv_emit *out, int whole_docs,
				   sv_jsonl_fn fn, struct sv_json_events *c,
				   const char *none_what, struct sv_error *err)
{
	enum sv_status rc;

	c->path = src->path;
	c->out = out;
	c->emitted = 0;
	c->rec_arena = sv_arena_new(EVENT_ARENA_CAP);
	if (!c->rec_arena)
		return sv_error_set(err, SV_ERR_NOMEM, src->path,
				    "out of memory");
	if (whole_docs)
		rc = sv_json_each_auto(src, scratch, SV_JSON_DOC_MAX, out, fn,
				       c, err);
	else
		rc = sv_jsonl_each(src, scratch, out, fn, c, err);
	sv_arena_free(c->rec_arena);
	c->rec_arena = NULL;
	if (rc == SV_WARN && c->emitted == 0)
		return sv_error_set(err, SV_ERR_CORRUPT, src->path,
				    "no %s in the file", none_what);
	return rc;
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

/* ---- JSON Lines or one document ---- */

static int is_blank(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * 1 when the first non-blank line of the first block is the incomplete
 * start of a longer JSON value (a pretty-printed document), else 0.
 */
static int starts_document(const uint8_t *p, size_t n)
{
	const uint8_t *nl;
	json_error_t jerr;
	json_t *v;
	size_t i = 0;

	while (i < n && is_blank(p[i]))
		i++;
	if (i == n || (p[i] != '{' && p[i] != '['))
		return 0;
	nl = memchr(p + i, '\n', n - i);
	if (!nl)
		return 0; /* one long line (or a single-line file) */
	v = json_loadb((const char *)p + i, (size_t)(nl - (p + i)), 0, &jerr);
	if (v) {
		json_decref(v);
		return 0;
	}
	return json_error_code(&jerr) == json_error_premature_end_of_input;
}

enum sv_status sv_json_each_auto(struct sv_source *src,
				 struct sv_arena *scratch, size_t max,
				 const struct sv_emit *out, sv_jsonl_fn fn,
				 void *ctx, struct sv_error *err)
{
	struct sv_source mem;
	json_error_t jerr;
	const uint8_t *p;
	json_t *root;
	enum sv_status rc;
	char *buf;
	size_t n;

	rc = sv_source_peek(src, &p, &n, err);
	if (rc == SV_EOF)
		return SV_OK;
	if (rc != SV_OK)
		return rc;
	if (!starts_document(p, n))
		return sv_jsonl_each(src, scratch, out, fn, ctx, err);
	SV_FORWARD(sv_source_slurp(src, scratch, max, &buf, &n, err));
	root = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &jerr);
	if (root) {
		rc = fn(ctx, root, 0, err);
		json_decref(root);
		return rc;
	}
	sv_emit_problem(out, src->path, jerr.line > 0 ? (uint64_t)jerr.line : 0,
			"not one JSON document (%s); read as JSON Lines",
			jerr.text);
	sv_source_init_memory(&mem, src->path, buf, n);
	rc = sv_jsonl_each(&mem, scratch, out, fn, ctx, err);
	return rc == SV_OK ? SV_WARN : rc;
}

/* ---- typed values ---- */

int sv_json_time(json_t *v, int64_t *ns)
{
	static const char zero[] = "0001-01-01T00:00:00";
	const char *s;
	size_t n;

	if (!v || json_is_null(v))
		return 1;
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0 || (n >= sizeof(zero) - 1 &&
		       memcmp(s, zero, sizeof(zero) - 1) == 0))
		return 1;
	return sv_time_parse_rfc3339(s, n, ns) ? -1 : 0;
}

int sv_json_i64(json_t *v, int64_t *out)
{
	const char *s, *end;
	int64_t x;

	if (!v || json_is_null(v))
		return 1;
	if (json_is_integer(v)) {
		*out = (int64_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	end = s + json_string_length(v);
	if (sv_str_i64(&s, end, &x) || s != end)
		return -1;
	*out = x;
	return 0;
}

/* ---- bounded copies ---- */

void sv_jfields_init(struct sv_jfields *f, struct sv_arena *arena)
{
	memset(f, 0, sizeof(*f));
	f->arena = arena;
}

const char *sv_jfields_copy(struct sv_jfields *f, const char *field,
			    const char *s, size_t n, size_t max)
{
	size_t back = 0;
	char *p;

	if (n == 0)
		return "";
	if (n > max) {
		if (!f->cut_field) {
			f->cut_field = field;
			f->cut_len = n;
			f->cut_max = max;
		}
		f->cuts++;
		n = max;
		/* do not split a UTF-8 sequence */
		while (n > 0 && back++ < 3 &&
		       ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	p = sv_arena_strndup(f->arena, s, n);
	if (!p) {
		f->nomem = 1;
		return "";
	}
	return p;
}

const char *sv_jfields_val(struct sv_jfields *f, const char *field,
			   json_t *v, size_t max)
{
	if (!json_is_string(v))
		return "";
	return sv_jfields_copy(f, field, json_string_value(v),
			       json_string_length(v), max);
}

const char *sv_jfields_str(struct sv_jfields *f, json_t *obj,
			   const char *dotted, size_t max)
{
	return sv_jfields_val(f, dotted, sv_json_path(obj, dotted), max);
}

enum sv_status sv_jfields_finish(struct sv_jfields *f,
				 const struct sv_emit *out, const char *path,
				 uint64_t line, struct sv_error *err)
{
	if (f->nomem)
		return sv_error_at(err, SV_ERR_NOMEM, path, 0, line,
				   "out of memory");
	if (!f->cut_field)
		return SV_OK;
	sv_emit_problem(out, path, line,
			"'%s' (%zu bytes) cut at %zu bytes%s", f->cut_field,
			f->cut_len, f->cut_max,
			f->cuts > 1 ? ", and other long fields too" : "");
	return SV_WARN;
}

enum sv_status sv_json_emit_event(struct sv_json_events *c,
				  struct sv_jfields *f,
				  const struct sv_record *rec, uint64_t line,
				  const char *problem1, const char *problem2,
				  struct sv_error *err)
{
	enum sv_status rc = c->out->record(c->out->ctx, rec, err);

	if (rc != SV_OK)
		return rc;
	c->emitted++;
	if (problem1)
		sv_emit_problem(c->out, c->path, line, "%s", problem1);
	if (problem2)
		sv_emit_problem(c->out, c->path, line, "%s", problem2);
	rc = sv_jfields_finish(f, c->out, c->path, line, err);
	return rc == SV_OK && (problem1 || problem2) ? SV_WARN : rc;
}
