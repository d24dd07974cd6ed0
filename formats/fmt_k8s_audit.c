/*
 * fmt_k8s_audit.c - events/k8s-audit.jsonl, the Kubernetes API server
 * audit log (log backend: one audit.k8s.io/v1 Event per line).
 *
 *   {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request",
 *    "auditID":"…","stage":"ResponseStarted","verb":"create",
 *    "requestURI":"/api/v1/namespaces/default/pods/web/exec?command=sh",
 *    "user":{"username":"admin","groups":[…]},"sourceIPs":["10.0.0.1"],
 *    "userAgent":"kubectl/v1.29.0 …",
 *    "objectRef":{"resource":"pods","subresource":"exec",
 *                 "namespace":"default","name":"web"},
 *    "responseStatus":{"code":101},
 *    "requestReceivedTimestamp":"2018-10-26T13:38:34.867116Z",
 *    "stageTimestamp":"2018-10-26T13:38:34.902914Z"}
 *
 * `kubectl exec` / `attach` / `port-forward` show as verb "create" on the
 * subresource exec / attach / portforward. The time is stageTimestamp,
 * else requestReceivedTimestamp, else (audit v1beta1) timestamp.
 *
 * Also read: a file that is one document (a pretty-printed Event, a JSON
 * array of Events, or {"kind":"EventList","items":[…]}), detected when the
 * first line is the incomplete start of a longer value. One
 * SV_REC_K8S_AUDIT per event.
 */
#include <stdio.h>
#include <string.h>

#include "sv_format.h"
#include "sv_jsonl.h"
#include "sv_time.h"

#define ID_MAX 256
#define WORD_MAX 128
#define USER_MAX 512
#define NAME_MAX_LEN 512
#define URI_MAX 8192
#define AGENT_MAX 1024
#define ITEMS_MAX 1000000u

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	return sv_json_probe(lay, SV_ART_K8S_AUDIT, head, n, "{[");
}

static void fill(struct sv_jfields *f, json_t *ev, struct sv_k8s_audit *a)
{
	json_t *ips = json_object_get(ev, "sourceIPs");
	json_t *code = sv_json_path(ev, "responseStatus.code");

	a->audit_id = sv_jfields_str(f, ev, "auditID", ID_MAX);
	a->stage = sv_jfields_str(f, ev, "stage", WORD_MAX);
	a->verb = sv_jfields_str(f, ev, "verb", WORD_MAX);
	a->user = sv_jfields_str(f, ev, "user.username", USER_MAX);
	a->resource = sv_jfields_str(f, ev, "objectRef.resource", WORD_MAX);
	a->subresource = sv_jfields_str(f, ev, "objectRef.subresource",
					WORD_MAX);
	a->k8s_namespace = sv_jfields_str(f, ev, "objectRef.namespace",
					  NAME_MAX_LEN);
	a->name = sv_jfields_str(f, ev, "objectRef.name", NAME_MAX_LEN);
	a->request_uri = sv_jfields_str(f, ev, "requestURI", URI_MAX);
	a->source_ip = sv_jfields_val(f, "sourceIPs",
				      json_array_get(ips, 0), WORD_MAX);
	a->user_agent = sv_jfields_str(f, ev, "userAgent", AGENT_MAX);
	a->response_code = json_is_integer(code) ? json_integer_value(code)
						 : -1;
}

/* stageTimestamp, else requestReceivedTimestamp, else timestamp. */
static int event_time(json_t *ev, int64_t *ns)
{
	static const char *const keys[] = {"stageTimestamp",
					   "requestReceivedTimestamp",
					   "timestamp"};
	int rc = 1;
	size_t i;

	for (i = 0; i < 3; i++) {
		rc = sv_json_time(json_object_get(ev, keys[i]), ns);
		if (rc == 0)
			return 0;
		if (rc < 0)
			return -1;
	}
	return rc;
}

/* One Event object; where is "" or "item N: " for documents. */
static enum sv_status one_event(struct sv_json_events *c, json_t *ev, uint64_t line,
				const char *where, struct sv_error *err)
{
	const char *kind = sv_json_str(ev, "kind");
	struct sv_record rec;
	struct sv_jfields f;
	enum sv_status rc;
	int trc;

	if (!json_is_object(ev) || (kind && strcmp(kind, "Event") != 0) ||
	    (json_object_get(ev, "kind") && !kind) ||
	    (!json_object_get(ev, "auditID") && !json_object_get(ev, "verb"))) {
		sv_emit_problem(c->out, c->path, line,
				"%snot an audit Event (no 'auditID' or "
				"'verb', or another 'kind')", where);
		return SV_WARN;
	}
	sv_arena_reset(c->rec_arena);
	sv_jfields_init(&f, c->rec_arena);
	memset(&rec, 0, sizeof(rec));
	rec.type = SV_REC_K8S_AUDIT;
	rec.artifact = c->path;
	rec.line = line;
	fill(&f, ev, &rec.u.audit);
	trc = event_time(ev, &rec.ts_ns);
	if (trc)
		rec.ts_ns = SV_TIME_NONE;
	rc = c->out->record(c->out->ctx, &rec, err);
	if (rc != SV_OK)
		return rc;
	c->emitted++;
	if (trc)
		sv_emit_problem(c->out, c->path, line,
				trc < 0 ? "%sa timestamp is not RFC 3339"
					: "%sno 'stageTimestamp' or "
					  "'requestReceivedTimestamp'",
				where);
	rc = sv_jfields_finish(&f, c->out, c->path, line, err);
	return rc == SV_OK && trc ? SV_WARN : rc;
}

/* A list of events: a JSON array or an EventList's items. */
static enum sv_status one_item(void *vctx, json_t *v, uint64_t line,
			       const char *where, struct sv_error *err)
{
	return one_event(vctx, v, line, where, err);
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
				   "audit event"
				   " (not an audit.k8s.io Event log?)", err);
}

const struct sv_format_ops sv_fmt_k8s_audit = {
	.name = "k8s-audit",
	.kind = SV_ART_K8S_AUDIT,
	.probe = probe,
	.parse = parse,
};
