/*
 * fmt_docker_events.c - events/docker.jsonl, written by
 * `docker events --format '{{json .}}'` (one events.Message per line).
 *
 *   {"status":"start","id":"<id>","from":"nginx",        legacy (< API 1.22,
 *    "Type":"container","Action":"start",                 dropped in 25.0)
 *    "Actor":{"ID":"<id>","Attributes":{"image":"nginx","name":"web",
 *             "exitCode":"0","execID":"…","signal":"15",
 *             "io.kubernetes.pod.name":"…", …}},
 *    "scope":"local","time":1450905928,"timeNano":1450905928716218405}
 *
 * Action may carry a detail after ": " ("exec_start: sh -c id",
 * "health_status: healthy"): the action is the part before it and the
 * detail the rest. One SV_REC_RUNTIME_EVENT (runtime DOCKER) per line.
 * The time is timeNano, else time (seconds); attribute values are all
 * strings, so exitCode is parsed from decimal text.
 */
#include <string.h>

#include "sv_format.h"
#include "sv_jsonl.h"
#include "sv_time.h"

#define TYPE_MAX 64
#define ACTION_MAX 128
#define ID_MAX 256
#define NAME_MAX_LEN 512
#define IMAGE_MAX 1024
#define DETAIL_MAX 4096

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	return sv_json_probe(lay, SV_ART_DOCKER_EVENTS, head, n, "{");
}

/* Event time: timeNano, else time; 0, 1 when absent, -1 when bad. */
static int event_time(json_t *root, int64_t *ns)
{
	json_t *tn = json_object_get(root, "timeNano");
	json_t *t = json_object_get(root, "time");
	json_int_t v;

	if (json_is_integer(tn)) {
		v = json_integer_value(tn);
		if (v == INT64_MIN)
			return -1;
		*ns = (int64_t)v;
		return 0;
	}
	if (tn && !json_is_null(tn))
		return -1;
	if (!t || json_is_null(t))
		return 1;
	if (!json_is_integer(t))
		return -1;
	v = json_integer_value(t);
	if (v > INT64_MAX / SV_NS_PER_SEC || v < -(INT64_MAX / SV_NS_PER_SEC))
		return -1;
	*ns = (int64_t)v * SV_NS_PER_SEC;
	return 0;
}

/* "exec_start: sh -c id" -> action "exec_start", detail "sh -c id". */
static void split_action(struct sv_jfields *f, json_t *root,
			 struct sv_runtime_event *ev)
{
	json_t *a = json_object_get(root, "Action");
	const char *s, *colon;
	size_t n;

	if (!json_is_string(a))
		a = json_object_get(root, "status");
	if (!json_is_string(a)) {
		ev->action = "";
		return;
	}
	s = json_string_value(a);
	n = json_string_length(a);
	colon = memchr(s, ':', n);
	if (!colon) {
		ev->action = sv_jfields_copy(f, "Action", s, n, ACTION_MAX);
		return;
	}
	ev->action = sv_jfields_copy(f, "Action", s, (size_t)(colon - s),
				     ACTION_MAX);
	colon++;
	while (colon < s + n && *colon == ' ')
		colon++;
	ev->detail = sv_jfields_copy(f, "Action detail", colon,
				     (size_t)(s + n - colon), DETAIL_MAX);
}

/* Details that live in attributes: the signal of a kill, the container
 * a network or volume event concerns ("signal=15"). */
static void attr_detail(struct sv_jfields *f, json_t *attrs,
			struct sv_runtime_event *ev)
{
	static const char *const keys[] = {"signal", "container"};
	size_t i, k, vn;
	const char *v;
	char *d;

	if (ev->detail[0])
		return;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		v = sv_jfields_val(f, keys[i], json_object_get(attrs, keys[i]),
				   DETAIL_MAX);
		if (!v[0])
			continue;
		k = strlen(keys[i]);
		vn = strlen(v);
		d = sv_arena_alloc(f->arena, k + vn + 2);
		if (!d) {
			f->nomem = 1;
			return;
		}
		memcpy(d, keys[i], k);
		d[k] = '=';
		memcpy(d + k + 1, v, vn + 1);
		ev->detail = d;
		return;
	}
}

static int fill_ids(struct sv_jfields *f, json_t *root,
		    struct sv_runtime_event *ev, json_t **attrs_out)
{
	json_t *actor = json_object_get(root, "Actor");
	json_t *attrs = json_object_get(actor, "Attributes");
	json_t *type = json_object_get(root, "Type");
	int64_t code;
	int rc;

	if (!json_is_object(attrs))
		attrs = NULL;
	*attrs_out = attrs;
	if (json_is_string(type))
		ev->type = sv_jfields_val(f, "Type", type, TYPE_MAX);
	else
		ev->type = json_object_get(root, "status") ? "container" : "";
	ev->id = sv_jfields_str(f, root, "Actor.ID", ID_MAX);
	if (!ev->id[0])
		ev->id = sv_jfields_str(f, root, "id", ID_MAX);
	ev->name = sv_jfields_val(f, "name", json_object_get(attrs, "name"),
				  NAME_MAX_LEN);
	ev->image = sv_jfields_val(f, "image", json_object_get(attrs, "image"),
				   IMAGE_MAX);
	if (!ev->image[0])
		ev->image = sv_jfields_str(f, root, "from", IMAGE_MAX);
	ev->pod = sv_jfields_val(f, "io.kubernetes.pod.name",
				 json_object_get(attrs,
						 "io.kubernetes.pod.name"),
				 NAME_MAX_LEN);
	ev->k8s_namespace = sv_jfields_val(
		f, "io.kubernetes.pod.namespace",
		json_object_get(attrs, "io.kubernetes.pod.namespace"),
		NAME_MAX_LEN);
	rc = sv_json_i64(json_object_get(attrs, "exitCode"), &code);
	if (rc == 0) {
		ev->has_exit_code = 1;
		ev->exit_code = code;
	}
	return rc < 0 ? -1 : 0;
}

static enum sv_status on_line(void *vctx, json_t *root, uint64_t line,
			      struct sv_error *err)
{
	struct sv_json_events *c = vctx;
	struct sv_record rec;
	struct sv_runtime_event *ev = &rec.u.runtime;
	struct sv_jfields f;
	json_t *attrs;
	int trc, bad_code;

	if (!json_is_object(root)) {
		sv_emit_problem(c->out, c->path, line, "not a JSON object");
		return SV_WARN;
	}
	sv_arena_reset(c->rec_arena);
	sv_jfields_init(&f, c->rec_arena);
	memset(&rec, 0, sizeof(rec));
	rec.type = SV_REC_RUNTIME_EVENT;
	rec.artifact = c->path;
	rec.line = line;
	ev->runtime = SV_RT_DOCKER;
	ev->detail = "";
	split_action(&f, root, ev);
	if (!ev->action[0]) {
		sv_emit_problem(c->out, c->path, line,
				"no 'Action' or 'status': not a docker event");
		return SV_WARN;
	}
	bad_code = fill_ids(&f, root, ev, &attrs);
	attr_detail(&f, attrs, ev);
	trc = event_time(root, &rec.ts_ns);
	if (trc != 0)
		rec.ts_ns = SV_TIME_NONE;
	return sv_json_emit_event(c, &f, &rec, line,
				  trc < 0   ? "'timeNano'/'time' is not an "
					      "integer time"
				  : trc > 0 ? "no 'timeNano' or 'time'"
					    : NULL,
				  bad_code ? "'exitCode' is not a decimal "
					     "integer"
					   : NULL,
				  err);
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	struct sv_json_events c;

	return sv_json_read_events(src, scratch, out, 0, on_line, &c,
				   "docker event"
				   " (not `docker events --format '{{json .}}'` output?)", err);
}

const struct sv_format_ops sv_fmt_docker_events = {
	.name = "docker-events",
	.kind = SV_ART_DOCKER_EVENTS,
	.probe = probe,
	.parse = parse,
};
