/*
 * fmt_podman_events.c - events/podman.jsonl, written by
 * `podman events --format json` (libpod events.Event, one per line).
 *
 *   podman <= 4:
 *   {"ID":"<id>","Image":"localhost/x:1","Name":"web","Status":"died",
 *    "Time":"2019-04-27T22:47:00.849932843-04:00","Type":"container",
 *    "Attributes":{…},"ContainerExitCode":137,"PodID":"<pod id>"}
 *   podman >= 5: the same with "time" (unix seconds) and "timeNano"
 *   instead of "Time", and "health_status" on health events.
 *
 * Every field is omitted when empty; a ContainerExitCode of 0 is
 * omitted too, so has_exit_code stays 0 then (an exit with code 0 is
 * known only from other evidence). "exec" events carry no command. The
 * pod is the io.kubernetes.pod.name attribute, else podman's PodID.
 * One SV_REC_RUNTIME_EVENT (runtime PODMAN) per line.
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
	return sv_json_probe(lay, SV_ART_PODMAN_EVENTS, head, n, "{");
}

/* timeNano, else Time (RFC 3339), else time (s); 0, 1 absent, -1 bad. */
static int event_time(json_t *root, int64_t *ns)
{
	json_t *tn = json_object_get(root, "timeNano");
	json_t *t = json_object_get(root, "time");
	json_int_t v;
	int rc;

	if (json_is_integer(tn) && json_integer_value(tn) != INT64_MIN) {
		*ns = (int64_t)json_integer_value(tn);
		return 0;
	}
	if (tn && !json_is_null(tn))
		return -1;
	rc = sv_json_time(json_object_get(root, "Time"), ns);
	if (rc <= 0)
		return rc;
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

/* What an event says beyond its status: health, network, error text. */
static const char *detail(struct sv_jfields *f, json_t *root)
{
	static const char *const keys[] = {"health_status", "HealthStatus",
					   "network", "Network", "Error"};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *d = sv_jfields_str(f, root, keys[i], DETAIL_MAX);

		if (d[0])
			return d;
	}
	return "";
}

/* Fill the event; -1 when ContainerExitCode is not an integer. */
static int fill(struct sv_jfields *f, json_t *root,
		struct sv_runtime_event *ev)
{
	json_t *attrs = json_object_get(root, "Attributes");
	json_t *code = json_object_get(root, "ContainerExitCode");

	ev->runtime = SV_RT_PODMAN;
	ev->type = sv_jfields_str(f, root, "Type", TYPE_MAX);
	ev->action = sv_jfields_str(f, root, "Status", ACTION_MAX);
	ev->id = sv_jfields_str(f, root, "ID", ID_MAX);
	ev->name = sv_jfields_str(f, root, "Name", NAME_MAX_LEN);
	ev->image = sv_jfields_str(f, root, "Image", IMAGE_MAX);
	ev->pod = sv_jfields_val(f, "io.kubernetes.pod.name",
				 json_object_get(attrs,
						 "io.kubernetes.pod.name"),
				 NAME_MAX_LEN);
	if (!ev->pod[0])
		ev->pod = sv_jfields_str(f, root, "PodID", ID_MAX);
	ev->k8s_namespace = sv_jfields_val(
		f, "io.kubernetes.pod.namespace",
		json_object_get(attrs, "io.kubernetes.pod.namespace"),
		NAME_MAX_LEN);
	ev->detail = detail(f, root);
	if (!code || json_is_null(code))
		return 0;
	if (!json_is_integer(code))
		return -1;
	ev->has_exit_code = 1;
	ev->exit_code = (int64_t)json_integer_value(code);
	return 0;
}

static enum sv_status on_line(void *vctx, json_t *root, uint64_t line,
			      struct sv_error *err)
{
	struct sv_json_events *c = vctx;
	struct sv_record rec;
	struct sv_jfields f;
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
	bad_code = fill(&f, root, &rec.u.runtime);
	if (!rec.u.runtime.action[0]) {
		sv_emit_problem(c->out, c->path, line,
				"no 'Status': not a podman event");
		return SV_WARN;
	}
	trc = event_time(root, &rec.ts_ns);
	if (trc != 0)
		rec.ts_ns = SV_TIME_NONE;
	return sv_json_emit_event(c, &f, &rec, line,
				  trc < 0   ? "the event time is malformed"
				  : trc > 0 ? "no 'Time', 'timeNano' or 'time'"
					    : NULL,
				  bad_code ? "'ContainerExitCode' is not an "
					     "integer"
					   : NULL,
				  err);
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	struct sv_json_events c;

	return sv_json_read_events(src, scratch, out, 0, on_line, &c,
				   "podman event"
				   " (not `podman events --format json` output?)", err);
}

const struct sv_format_ops sv_fmt_podman_events = {
	.name = "podman-events",
	.kind = SV_ART_PODMAN_EVENTS,
	.probe = probe,
	.parse = parse,
};
