/*
 * fmt_manifest.c - manifest.json, the bundle's identity (DESIGN.md §1).
 *
 *   {"format":"salvage-bundle","version":1,"host":"…",
 *    "started":"RFC 3339","ended":"RFC 3339","collector":"…"|{…},
 *    "boot_time":<epoch s>, "clk_tck":<int>, "notes":"…"}   (last 3 optional)
 *
 * Parsed with jansson; unknown keys are ignored so version 1 can gain
 * optional fields. A newer version is refused, never guessed at.
 */
#include <jansson.h>
#include <string.h>

#include "sv_format.h"
#include "sv_time.h"

#define MANIFEST_MAX (1u << 20)
#define HOST_MAX 255
#define SUPPORTED_VERSION 1

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	(void)head;
	(void)n;
	return lay->kind == SV_ART_MANIFEST ? 100 : 0;
}

static enum sv_status bad(struct sv_error *err, const char *path,
			  const char *key, const char *what)
{
	return sv_error_set(err, SV_ERR_CORRUPT, path, "field '%s' %s", key,
			    what);
}

static enum sv_status get_time(json_t *root, const char *key,
			       const char *path, int64_t *ns,
			       struct sv_error *err)
{
	json_t *v = json_object_get(root, key);

	if (!v)
		return bad(err, path, key, "is missing");
	if (!json_is_string(v) ||
	    sv_time_parse_rfc3339(json_string_value(v), json_string_length(v),
				  ns))
		return bad(err, path, key, "is not an RFC 3339 time");
	return SV_OK;
}

static enum sv_status check_identity(json_t *root, const char *path,
				     struct sv_manifest *m,
				     struct sv_error *err)
{
	json_t *fmt = json_object_get(root, "format");
	json_t *ver = json_object_get(root, "version");

	if (!json_is_string(fmt) ||
	    strcmp(json_string_value(fmt), "salvage-bundle") != 0)
		return sv_error_set(err, SV_ERR_CORRUPT, path,
				    "'format' is not \"salvage-bundle\": "
				    "not a salvage bundle manifest");
	if (!json_is_integer(ver))
		return bad(err, path, "version", "is missing or not an integer");
	m->version = json_integer_value(ver);
	if (m->version > SUPPORTED_VERSION)
		return sv_error_set(err, SV_ERR_UNSUPPORTED, path,
				    "bundle format version %lld is newer than "
				    "this salvage reads (%d)",
				    (long long)m->version, SUPPORTED_VERSION);
	if (m->version != SUPPORTED_VERSION)
		return sv_error_set(err, SV_ERR_UNSUPPORTED, path,
				    "unknown bundle format version %lld",
				    (long long)m->version);
	return SV_OK;
}

static enum sv_status get_host_collector(json_t *root, const char *path,
					 struct sv_manifest *m,
					 char **collector_json,
					 struct sv_error *err)
{
	json_t *host = json_object_get(root, "host");
	json_t *col = json_object_get(root, "collector");

	if (!json_is_string(host) || json_string_length(host) == 0 ||
	    json_string_length(host) > HOST_MAX)
		return bad(err, path, "host", "is missing, empty or too long");
	m->host = json_string_value(host);
	if (json_is_string(col)) {
		m->collector = json_string_value(col);
	} else if (json_is_object(col)) {
		*collector_json = json_dumps(col, JSON_COMPACT | JSON_SORT_KEYS);
		if (!*collector_json)
			return sv_error_set(err, SV_ERR_NOMEM, path,
					    "out of memory");
		m->collector = *collector_json;
	} else {
		return bad(err, path, "collector", "is missing or not a string or object");
	}
	return SV_OK;
}

static enum sv_status get_optional(json_t *root, const char *path,
				   struct sv_manifest *m, struct sv_error *err)
{
	json_t *bt = json_object_get(root, "boot_time");
	json_t *tck = json_object_get(root, "clk_tck");
	json_t *notes = json_object_get(root, "notes");

	if (bt) {
		double v = json_number_value(bt);
		/* Its ns must fit int64: before 2262 (sv_time.h). */
		double max_s = (double)(INT64_MAX / SV_NS_PER_SEC);

		if (!json_is_number(bt) || !(v > 0 && v < max_s))
			return bad(err, path, "boot_time", "is not epoch seconds");
		m->has_boot_time = 1;
		m->boot_time_ns = (int64_t)(v * 1e9);
	}
	if (tck) {
		if (!json_is_integer(tck) || json_integer_value(tck) < 1 ||
		    json_integer_value(tck) > 1000000)
			return bad(err, path, "clk_tck", "is not a positive integer");
		m->has_clk_tck = 1;
		m->clk_tck = json_integer_value(tck);
	}
	if (notes && !json_is_string(notes))
		return bad(err, path, "notes", "is not a string");
	m->notes = notes ? json_string_value(notes) : NULL;
	return SV_OK;
}

static enum sv_status decode(json_t *root, const char *path,
			     const struct sv_emit *out, char **collector_json,
			     struct sv_error *err)
{
	struct sv_record rec;
	struct sv_manifest *m = &rec.u.manifest;

	memset(&rec, 0, sizeof(rec));
	rec.type = SV_REC_MANIFEST;
	rec.artifact = path;
	if (!json_is_object(root))
		return sv_error_set(err, SV_ERR_CORRUPT, path,
				    "not a JSON object");
	SV_FORWARD(check_identity(root, path, m, err));
	SV_FORWARD(get_host_collector(root, path, m, collector_json, err));
	SV_FORWARD(get_time(root, "started", path, &m->started_ns, err));
	SV_FORWARD(get_time(root, "ended", path, &m->ended_ns, err));
	SV_FORWARD(get_optional(root, path, m, err));
	if (m->ended_ns < m->started_ns)
		sv_emit_problem(out, path, 0, "'ended' is before 'started'");
	return out->record(out->ctx, &rec, err);
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	char *buf, *collector_json = NULL;
	size_t n;
	json_error_t jerr;
	json_t *root;
	enum sv_status rc;

	SV_FORWARD(sv_source_slurp(src, scratch, MANIFEST_MAX, &buf, &n, err));
	root = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return sv_error_at(err, SV_ERR_CORRUPT, src->path,
				   jerr.position > 0 ? (uint64_t)jerr.position
						     : 0,
				   jerr.line > 0 ? (uint64_t)jerr.line : 0,
				   "invalid JSON: %s", jerr.text);
	rc = decode(root, src->path, out, &collector_json, err);
	free(collector_json);
	json_decref(root);
	return rc;
}

const struct sv_format_ops sv_fmt_manifest = {
	.name = "manifest",
	.kind = SV_ART_MANIFEST,
	.probe = probe,
	.parse = parse,
};
