/*
 * sv_jsonl.h - JSON Lines and whole-file JSON for the log readers, with
 * jansson.
 *
 * A line may be huge, truncated or not JSON at all (a compromised host
 * wrote it): each line is bounded, parsed on its own, and a bad one is
 * reported with its line number and skipped; the rest of the file is
 * still read.
 */
#ifndef SV_JSONL_H
#define SV_JSONL_H

#include <jansson.h>

#include "sv_format.h"

#define SV_JSONL_LINE_MAX (1u << 20)  /* 1 MiB per event line */
#define SV_JSON_DOC_MAX (64u << 20)   /* whole-document files */

/*
 * Called for each parsed line. Return SV_OK to go on, SV_WARN after
 * reporting a problem with the object (counted), or a fatal status to
 * stop. root is borrowed (freed after the call).
 */
typedef enum sv_status (*sv_jsonl_fn)(void *ctx, json_t *root,
				      uint64_t line, struct sv_error *err);

/*
 * Parse src line by line. Blank lines are skipped. Returns SV_OK, SV_WARN
 * when any line was skipped (each reported through out->problem), or a
 * fatal error. bad_lines, if given, receives the count of skipped lines.
 */
enum sv_status sv_jsonl_each(struct sv_source *src, struct sv_arena *scratch,
			     const struct sv_emit *out, sv_jsonl_fn fn,
			     void *ctx, struct sv_error *err);

/* Parse a whole-file JSON document of at most max bytes. *root is owned
 * by the caller (json_decref). Errors name the line. */
enum sv_status sv_json_load(struct sv_source *src, struct sv_arena *scratch,
			    size_t max, json_t **root, struct sv_error *err);

/*
 * The probe of a JSON reader for kind: 0 for other kinds; 100 when the
 * first non-blank byte opens JSON (one of opens: "{" or "{["), or the head
 * is blank; 50 otherwise (the reader then reports what it found).
 */
int sv_json_probe(const struct sv_layout *lay, enum sv_artifact kind,
		  const uint8_t *head, size_t n, const char *opens);

/* One element of a list document; where is "item N: " or "". */
typedef enum sv_status (*sv_json_item_fn)(void *ctx, json_t *v,
					  uint64_t line, const char *where,
					  struct sv_error *err);

/*
 * fn on each element when root is an array or a List object with an
 * "items" array (kubectl's -o json), else on root itself; at most max
 * elements (the rest reported once at line). SV_WARN when any element
 * returned it or elements were dropped.
 */
enum sv_status sv_json_each_item(json_t *root, size_t max, sv_json_item_fn fn,
				 void *ctx, const struct sv_emit *out,
				 const char *path, uint64_t line,
				 struct sv_error *err);

/*
 * The state every event-log reader shares: its records' strings live in
 * rec_arena (reset per record, so a million-line log does not pile up)
 * and emitted counts the records that went out.
 */
struct sv_json_events {
	const char *path;
	struct sv_arena *rec_arena;
	const struct sv_emit *out;
	uint64_t emitted;
};

/*
 * Read an event log: JSON Lines (whole_docs 0: sv_jsonl_each) or JSON
 * Lines or one document (whole_docs 1: sv_json_each_auto), fn getting c
 * as its ctx. A file with lines but not one event is SV_ERR_CORRUPT with
 * "no <none_what> in the file" (what the file should have been).
 */
enum sv_status sv_json_read_events(struct sv_source *src,
				   struct sv_arena *scratch,
				   const struct sv_emit *out, int whole_docs,
				   sv_jsonl_fn fn, struct sv_json_events *c,
				   const char *none_what, struct sv_error *err);

/* Field helpers: NULL/"" when absent or of another type. */
const char *sv_json_str(json_t *obj, const char *key);
/* Dotted path lookup: "objectRef.resource". */
json_t *sv_json_path(json_t *obj, const char *dotted);
/* Copy a string field into the scratch arena, bounded (NULL -> ""). */
const char *sv_json_strdup(struct sv_arena *a, json_t *obj, const char *key,
			   size_t max);

/*
 * Each JSON value of a file that is either JSON Lines or one document
 * (a pretty-printed object or array): JSON Lines unless the first
 * non-blank line is the incomplete start of a longer value; then the
 * whole file (at most max bytes) is parsed once and fn gets the root with
 * line 0. A document that does not parse is reported and the file is
 * read as JSON Lines after all. Returns as sv_jsonl_each.
 */
enum sv_status sv_json_each_auto(struct sv_source *src,
				 struct sv_arena *scratch, size_t max,
				 const struct sv_emit *out, sv_jsonl_fn fn,
				 void *ctx, struct sv_error *err);

/*
 * Time at v: an RFC 3339 string. 0 and *ns; 1 when absent, null, "" or
 * Go's zero time ("0001-01-01T00:00:00Z": never set); -1 when malformed.
 */
int sv_json_time(json_t *v, int64_t *ns);

/*
 * Integer at v: a JSON integer or a string of decimal digits (docker's
 * "exitCode":"137", journald's "_PID":"812"). 0 and *out; 1 when absent
 * or null; -1 otherwise.
 */
int sv_json_i64(json_t *v, int64_t *out);

/*
 * Bounded string copies for one record. Every copy lands in the arena,
 * NUL-terminated, cut at max bytes on a UTF-8 boundary; the first cut
 * field is remembered so that sv_jfields_finish reports it once.
 */
struct sv_jfields {
	struct sv_arena *arena;
	const char *cut_field;  /* first field cut at its cap, or NULL */
	size_t cut_len, cut_max;
	int cuts;
	int nomem;              /* an allocation failed */
};

void sv_jfields_init(struct sv_jfields *f, struct sv_arena *arena);
/* Copy n bytes of s (field names the value in the report). Never NULL:
 * "" when out of memory (then nomem is set). */
const char *sv_jfields_copy(struct sv_jfields *f, const char *field,
			    const char *s, size_t n, size_t max);
/* The string v (a plain key lookup: label keys hold dots); "" when v is
 * absent or not a string. */
const char *sv_jfields_val(struct sv_jfields *f, const char *field,
			   json_t *v, size_t max);
/* The string at a dotted path of obj; "" when absent or not a string. */
const char *sv_jfields_str(struct sv_jfields *f, json_t *obj,
			   const char *dotted, size_t max);
/*
 * After the record was emitted: SV_ERR_NOMEM (err set) when a copy
 * failed; SV_WARN after reporting the cut fields at line; else SV_OK.
 */
enum sv_status sv_jfields_finish(struct sv_jfields *f,
				 const struct sv_emit *out, const char *path,
				 uint64_t line, struct sv_error *err);

/*
 * The end of an event reader's on_line: emit rec, count it, report each
 * non-NULL problem of the line (up to two), then what the fields lost
 * (sv_jfields_finish). Returns the record callback's error, else SV_WARN
 * when a problem was reported, else what sv_jfields_finish returned.
 */
enum sv_status sv_json_emit_event(struct sv_json_events *c,
				  struct sv_jfields *f,
				  const struct sv_record *rec, uint64_t line,
				  const char *problem1, const char *problem2,
				  struct sv_error *err);

#endif
