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

/* Field helpers: NULL/"" when absent or of another type. */
const char *sv_json_str(json_t *obj, const char *key);
/* Dotted path lookup: "objectRef.resource". */
json_t *sv_json_path(json_t *obj, const char *dotted);
/* Copy a string field into the scratch arena, bounded (NULL -> ""). */
const char *sv_json_strdup(struct sv_arena *a, json_t *obj, const char *key,
			   size_t max);

#endif
