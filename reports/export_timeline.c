/*
 * export_timeline.c - the timeline as JSON lines (jansson) or CSV, in
 * the shape Timesketch imports (see sv_export.h).
 */
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_export.h"
#include "sv_outfile.h"
#include "sv_text.h"
#include "sv_time.h"
#include "sv_timeline.h"

#define FIELD_MAX 8192

static const char *phase_name(enum sv_phase p)
{
	static const char *const n[] = {"", "provision", "run", "teardown"};

	return (unsigned)p < 4 ? n[p] : "";
}

/* What one row holds, as text, whatever the format. */
struct row {
	char datetime[SV_TIME_TEXT_MAX], time_end[SV_TIME_TEXT_MAX];
	int64_t timestamp_us;
	const struct sv_event *e;
	const char *container;   /* a label, or "" */
	const char *message;
	char text[1024];         /* message, when worded here */
	int attributed;
};

static void make_row(const struct sv_analysis *a, const struct sv_event *e,
		     struct row *r)
{
	r->e = e;
	r->message = sv_event_text(e, r->text, sizeof(r->text));
	sv_time_format(e->ts_ns, r->datetime);
	r->time_end[0] = '\0';
	if (e->ts_hi_ns != e->ts_ns && e->ts_hi_ns != SV_TIME_NONE)
		sv_time_format(e->ts_hi_ns, r->time_end);
	r->timestamp_us = e->ts_ns == SV_TIME_NONE ? 0 : e->ts_ns / 1000;
	r->container = e->container_id
			       ? sv_analysis_container_label(a, e->container_id)
			       : "";
	r->attributed = e->container_id || e->pid >= 0;
}

/* ---- JSON lines ---- */

/* A JSON string of untrusted text: cleaned when not valid UTF-8. */
static json_t *jstr(const char *s)
{
	json_t *j;
	char *clean;

	if (!s)
		s = "";
	j = json_string(s);
	if (j)
		return j;
	clean = sv_text_clean(NULL, s, strlen(s), FIELD_MAX);
	j = clean ? json_string(clean) : NULL;
	free(clean);
	return j ? j : json_string("");
}

static int put_json(FILE *fp, const struct row *r)
{
	const struct sv_event *e = r->e;
	json_t *o = json_object();
	int rc;

	if (!o)
		return -1;
	json_object_set_new(o, "message", jstr(r->message));
	json_object_set_new(o, "datetime", json_string(r->datetime));
	json_object_set_new(o, "timestamp", json_integer(r->timestamp_us));
	json_object_set_new(o, "timestamp_desc",
			    json_string(sv_timeline_desc(e->kind)));
	json_object_set_new(o, "kind", json_string(e->kind));
	json_object_set_new(o, "source",
			    json_string(sv_event_source_name(e->source)));
	json_object_set_new(o, "attributed", json_boolean(r->attributed));
	if (e->container_id) {
		json_object_set_new(o, "container_id", jstr(e->container_id));
		json_object_set_new(o, "container", jstr(r->container));
	}
	if (e->pid >= 0) {
		json_object_set_new(o, "pid", json_integer(e->pid));
		json_object_set_new(o, "pid_start",
				    json_integer((json_int_t)e->pid_start));
	}
	if (e->phase != SV_PHASE_NONE)
		json_object_set_new(o, "phase",
				    json_string(phase_name(e->phase)));
	if (r->time_end[0])
		json_object_set_new(o, "time_end", json_string(r->time_end));
	if (e->skew_ns)
		json_object_set_new(o, "skew_ns", json_integer(e->skew_ns));
	if (e->artifact)
		json_object_set_new(o, "artifact", jstr(e->artifact));
	if (e->line)
		json_object_set_new(o, "line",
				    json_integer((json_int_t)e->line));
	rc = json_dumpf(o, fp, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	if (rc || fputc('\n', fp) == EOF)
		return -1;
	return 0;
}

/* ---- CSV (RFC 4180) ---- */

static const char *const csv_cols[] = {
	"message", "datetime", "timestamp", "timestamp_desc", "kind",
	"source", "attributed", "container_id", "container", "pid",
	"pid_start", "phase", "time_end", "skew_ns", "artifact", "line",
};

#define NCOLS (sizeof(csv_cols) / sizeof(csv_cols[0]))

/* One field, quoted when it must be; control bytes shown, not written. */
static void csv_field(FILE *fp, const char *s, int last)
{
	char *clean = NULL;
	const char *p;

	if (!s)
		s = "";
	if (!sv_text_is_clean(s, strlen(s), FIELD_MAX)) {
		clean = sv_text_clean(NULL, s, strlen(s), FIELD_MAX);
		if (clean)
			s = clean;
	}
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', fp);
		for (p = s; *p; p++) {
			if (*p == '"')
				fputc('"', fp);
			fputc(*p, fp);
		}
		fputc('"', fp);
	} else {
		fputs(s, fp);
	}
	free(clean);
	fputs(last ? "\r\n" : ",", fp);
}

static void csv_num(char *buf, size_t n, int has, int64_t v)
{
	if (has)
		snprintf(buf, n, "%" PRId64, v);
	else
		buf[0] = '\0';
}

static int put_csv(FILE *fp, const struct row *r)
{
	const struct sv_event *e = r->e;
	char ts[24], pid[24], start[24], skew[24], line[24];
	const char *v[NCOLS];
	size_t i;

	csv_num(ts, sizeof(ts), 1, r->timestamp_us);
	csv_num(pid, sizeof(pid), e->pid >= 0, e->pid);
	csv_num(start, sizeof(start), e->pid >= 0, (int64_t)e->pid_start);
	csv_num(skew, sizeof(skew), e->skew_ns != 0, e->skew_ns);
	csv_num(line, sizeof(line), e->line != 0, (int64_t)e->line);
	v[0] = r->message;
	v[1] = r->datetime;
	v[2] = ts;
	v[3] = sv_timeline_desc(e->kind);
	v[4] = e->kind;
	v[5] = sv_event_source_name(e->source);
	v[6] = r->attributed ? "true" : "false";
	v[7] = e->container_id;
	v[8] = r->container;
	v[9] = pid;
	v[10] = start;
	v[11] = phase_name(e->phase);
	v[12] = r->time_end;
	v[13] = skew;
	v[14] = e->artifact;
	v[15] = line;
	for (i = 0; i < NCOLS; i++)
		csv_field(fp, v[i], i + 1 == NCOLS);
	return ferror(fp) ? -1 : 0;
}

static int write_all(const struct sv_analysis *a, enum sv_export_format fmt,
		     FILE *fp)
{
	const struct sv_timeline *t = &a->timeline;
	struct row r;
	uint64_t i;
	size_t c;

	if (fmt == SV_EXPORT_CSV)
		for (c = 0; c < NCOLS; c++)
			csv_field(fp, csv_cols[c], c + 1 == NCOLS);
	for (i = 0; i < t->n; i++) {
		make_row(a, t->ev[i], &r);
		if ((fmt == SV_EXPORT_CSV ? put_csv : put_json)(fp, &r))
			return -1;
	}
	return fflush(fp) == EOF || ferror(fp) ? -1 : 0;
}

/* dir and base name of path, for sv_outfile. */
static int split_path(const char *path, char *dir, size_t n,
		      const char **base)
{
	const char *slash = strrchr(path, '/');

	*base = slash ? slash + 1 : path;
	if (!**base)
		return -1;
	if (!slash)
		return snprintf(dir, n, ".") >= (int)n ? -1 : 0;
	if (slash == path)
		return snprintf(dir, n, "/") >= (int)n ? -1 : 0;
	return snprintf(dir, n, "%.*s", (int)(slash - path), path) >= (int)n
		       ? -1 : 0;
}

enum sv_status sv_export_timeline(const struct sv_analysis *a,
				  enum sv_export_format fmt,
				  const char *path, struct sv_error *err)
{
	struct sv_outfile out;
	char dir[PATH_MAX];
	const char *base;

	if (!path || !strcmp(path, "-")) {
		if (write_all(a, fmt, stdout))
			return sv_error_set(err, SV_ERR_IO, "stdout",
					    "could not write the timeline");
		return SV_OK;
	}
	if (split_path(path, dir, sizeof(dir), &base))
		return sv_error_set(err, SV_ERR_IO, path, "bad output path");
	SV_FORWARD(sv_outfile_open(&out, dir, base, err));
	if (write_all(a, fmt, out.fp)) {
		sv_outfile_abort(&out);
		return sv_error_set(err, SV_ERR_IO, path,
				    "could not write the timeline");
	}
	return sv_outfile_commit(&out, err);
}
