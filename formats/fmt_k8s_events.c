/*
 * fmt_k8s_events.c - events/k8s-events.json, Kubernetes core/v1 Events:
 * `kubectl get events -A -o json` (one document) or a watch stream
 * (`kubectl get events -A -o json --watch`, the API's watch frames, one
 * per line).
 *
 *   {"kind":"List"|"EventList","items":[
 *     {"type":"Warning","reason":"OOMKilling","message":"…",
 *      "involvedObject":{"kind":"Pod","namespace":"default","name":"web",
 *                        "uid":"…"},
 *      "count":3,"firstTimestamp":"…","lastTimestamp":"…",
 *      "eventTime":null|"…µs…","metadata":{"creationTimestamp":"…"}}]}
 *   {"type":"ADDED"|"MODIFIED"|"DELETED","object":{<Event>}}
 *
 * A bare Event or a JSON array of Events is read too; events.k8s.io/v1
 * names (regarding, note, series.count) are used when the core/v1 ones
 * are absent. The time is lastTimestamp, else eventTime, else
 * firstTimestamp, else metadata.creationTimestamp; count is 1 when
 * absent (a singleton event). One SV_REC_K8S_EVENT per event.
 */
#include <stdio.h>
#include <string.h>

#include "sv_format.h"
#include "sv_jsonl.h"
#include "sv_time.h"

#define WORD_MAX 128
#define NAME_MAX_LEN 512
#define UID_MAX 128
#define MESSAGE_MAX 8192
#define ITEMS_MAX 1000000u

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	return sv_json_probe(lay, SV_ART_K8S_EVENTS, head, n, "{[");
}

static const char *either(struct sv_jfields *f, json_t *ev, const char *a,
			  const char *b, size_t max)
{
	const char *s = sv_jfields_str(f, ev, a, max);

	return s[0] ? s : sv_jfields_str(f, ev, b, max);
}

/* Fill the event; -1 when count is not a non-negative integer. */
static int fill(struct sv_jfields *f, json_t *ev, struct sv_k8s_event *k)
{
	json_t *count = json_object_get(ev, "count");

	if (!count || json_is_null(count))
		count = sv_json_path(ev, "series.count");
	k->type = sv_jfields_str(f, ev, "type", WORD_MAX);
	k->reason = sv_jfields_str(f, ev, "reason", WORD_MAX);
	k->message = either(f, ev, "message", "note", MESSAGE_MAX);
	k->kind = either(f, ev, "involvedObject.kind", "regarding.kind",
			 WORD_MAX);
	k->k8s_namespace = either(f, ev, "involvedObject.namespace",
				  "regarding.namespace", NAME_MAX_LEN);
	k->name = either(f, ev, "involvedObject.name", "regarding.name",
			 NAME_MAX_LEN);
	k->uid = either(f, ev, "involvedObject.uid", "regarding.uid",
			UID_MAX);
	k->count = 1;
	if (!count || json_is_null(count))
		return 0;
	if (!json_is_integer(count) || json_integer_value(count) < 0)
		return -1;
	k->count = json_integer_value(count);
	return 0;
}

/* lastTimestamp, eventTime, firstTimestamp, creationTimestamp. */
static int event_time(json_t *ev, int64_t *ns)
{
	static const char *const keys[] = {"lastTimestamp", "eventTime",
					   "firstTimestamp",
					   "metadata.creationTimestamp"};
	size_t i;
	int rc, bad = 0;

	for (i = 0; i < 4; i++) {
		rc = sv_json_time(sv_json_path(ev, keys[i]), ns);
		if (rc == 0)
			return bad ? -2 : 0;
		if (rc < 0)
			bad = 1;
	}
	return bad ? -1 : 1;
}

static const char *time_problem(int trc)
{
	if (trc == -2)
		return "a timestamp is not RFC 3339 (a later one was used)";
	if (trc == -1)
		return "no timestamp is RFC 3339";
	return "no timestamp";
}

/* One Event object; where is "" or "item N: ". */
static enum sv_status one_event(struct sv_json_events *c, json_t *ev, uint64_t line,
				const char *where, struct sv_error *err)
{
	const char *kind = sv_json_str(ev, "kind");
	struct sv_record rec;
	struct sv_jfields f;
	enum sv_status rc;
	int trc, bad_count;

	if (!json_is_object(ev) || (kind && strcmp(kind, "Event") != 0) ||
	    (!json_object_get(ev, "reason") &&
	     !json_object_get(ev, "involvedObject") &&
	     !json_object_get(ev, "regarding"))) {
		sv_emit_problem(c->out, c->path, line,
				"%snot an Event (no 'reason' or "
				"'involvedObject', or another 'kind')",
				where);
		return SV_WARN;
	}
	sv_arena_reset(c->rec_arena);
	sv_jfields_init(&f, c->rec_arena);
	memset(&rec, 0, sizeof(rec));
	rec.type = SV_REC_K8S_EVENT;
	rec.artifact = c->path;
	rec.line = line;
	bad_count = fill(&f, ev, &rec.u.k8s_event);
	trc = event_time(ev, &rec.ts_ns);
	if (trc == 1 || trc == -1)
		rec.ts_ns = SV_TIME_NONE;
	rc = c->out->record(c->out->ctx, &rec, err);
	if (rc != SV_OK)
		return rc;
	c->emitted++;
	if (trc)
		sv_emit_problem(c->out, c->path, line, "%s%s", where,
				time_problem(trc));
	if (bad_count)
		sv_emit_problem(c->out, c->path, line,
				"%s'count' is not a non-negative integer",
				where);
	rc = sv_jfields_finish(&f, c->out, c->path, line, err);
	return rc == SV_OK && (trc || bad_count) ? SV_WARN : rc;
}

/* A watch frame {"type":"ADDED","object":{…}}; ERROR frames carry a
 * Status, not an Event. */
static enum sv_status watch_frame(struct sv_json_events *c, json_t *frame,
				  uint64_t line, const char *where,
				  struct sv_error *err)
{
	const char *type = sv_json_str(frame, "type");
	const char *msg;

	if (type && strcmp(type, "ERROR") == 0) {
		msg = sv_json_str(json_object_get(frame, "object"), "message");
		sv_emit_problem(c->out, c->path, line,
				"%swatch ERROR frame: %.200s", where,
				msg ? msg : "(no message)");
		return SV_WARN;
	}
	return one_event(c, json_object_get(frame, "object"), line, where,
			 err);
}

static enum sv_status one_value(struct sv_json_events *c, json_t *v, uint64_t line,
				const char *where, struct sv_error *err)
{
	if (json_is_object(v) && json_is_object(json_object_get(v, "object")))
		return watch_frame(c, v, line, where, err);
	return one_event(c, v, line, where, err);
}

static enum sv_status one_item(void *vctx, json_t *v, uint64_t line,
			       const char *where, struct sv_error *err)
{
	return one_value(vctx, v, line, where, err);
}

static enum sv_status on_root(void *vctx, json_t *root, uint64_t line,
			      struct sv_error *err)
{
	struct sv_json_events *c = vctx;

	return sv_json_each_item(root, ITEMS_MAX, one_item, c, c->out,
				 c->path, line, err);
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	struct sv_json_events c;

	return sv_json_read_events(src, scratch, out, 1, on_root, &c,
				   "Kubernetes event"
				   " (not `kubectl get events -o json` output?)", err);
}

const struct sv_format_ops sv_fmt_k8s_events = {
	.name = "k8s-events",
	.kind = SV_ART_K8S_EVENTS,
	.probe = probe,
	.parse = parse,
};
