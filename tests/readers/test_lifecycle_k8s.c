/*
 * test_lifecycle_k8s.c - Kubernetes audit log and events readers
 * (formats/fmt_k8s_audit.c, formats/fmt_k8s_events.c) on falco's real
 * minikube audit events and fluent-bit's real event lists and watch
 * frame, in every file shape, and on malformed input.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifecycle_test.h"
#include "sv_time.h"

extern const struct sv_format_ops sv_fmt_k8s_audit;
extern const struct sv_format_ops sv_fmt_k8s_events;

#define AUDIT "events/k8s-audit.jsonl"
#define EVENTS "events/k8s-events.json"
#define EXEC_ID "ca1ed9f4-7bf4-4c85-81a8-1b11253d1ba6"

static const struct sv_k8s_audit *au(const struct lt_run *r, size_t i)
{
	ck_assert_uint_gt(r->nrec, i);
	ck_assert_int_eq(r->rec[i].type, SV_REC_K8S_AUDIT);
	return &r->rec[i].u.audit;
}

static const struct sv_k8s_event *ke(const struct lt_run *r, size_t i)
{
	ck_assert_uint_gt(r->nrec, i);
	ck_assert_int_eq(r->rec[i].type, SV_REC_K8S_EVENT);
	return &r->rec[i].u.k8s_event;
}

/* The exec event of falco's exec_pod.json, whatever the file shape. */
static void check_exec(const struct lt_run *r, size_t i)
{
	const struct sv_k8s_audit *a = au(r, i);

	ck_assert_str_eq(a->audit_id, EXEC_ID);
	ck_assert_str_eq(a->stage, "ResponseStarted");
	ck_assert_str_eq(a->verb, "create");
	ck_assert_str_eq(a->user, "minikube-user");
	ck_assert_str_eq(a->resource, "pods");
	ck_assert_str_eq(a->subresource, "exec");
	ck_assert_str_eq(a->k8s_namespace, "default");
	ck_assert_str_eq(a->name, "nginx-deployment-7998647bdf-phvq7");
	ck_assert_str_eq(a->request_uri,
			 "/api/v1/namespaces/default/pods/nginx-deployment-"
			 "7998647bdf-phvq7/exec?command=bash&container=nginx1&"
			 "container=nginx1&stdin=true&stdout=true&tty=true");
	ck_assert_str_eq(a->source_ip, "192.168.99.1");
	ck_assert_str_eq(a->user_agent, "");
	ck_assert_int_eq(a->response_code, 101);
	/* stageTimestamp 2018-10-26T13:38:34.902914Z */
	ck_assert_int_eq(r->rec[i].ts_ns, 1540561114902914000LL);
}

START_TEST(audit_jsonl_real)
{
	struct lt_run *r = lt_new();
	const struct sv_k8s_audit *a;

	lt_parse_file(r, &sv_fmt_k8s_audit, AUDIT, "k8s-audit.jsonl");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nprob, 0);
	ck_assert_uint_eq(r->nrec, 11);
	check_exec(r, 0);
	ck_assert_uint_eq(r->rec[0].line, 1);
	ck_assert_str_eq(au(r, 1)->subresource, "attach");
	a = au(r, 2);
	ck_assert_str_eq(a->resource, "pods");
	ck_assert_str_eq(a->subresource, "");
	ck_assert_str_eq(a->user,
			 "system:serviceaccount:kube-system:replicaset-"
			 "controller");
	ck_assert_str_eq(a->source_ip, "::1");
	ck_assert_int_eq(a->response_code, 201);
	ck_assert_str_eq(au(r, 3)->resource, "configmaps");
	ck_assert_uint_eq(r->rec[8].line, 9);
	a = au(r, 9);
	ck_assert_str_eq(a->resource, "secrets");
	ck_assert_str_eq(a->k8s_namespace, "kube-system");
	ck_assert_str_eq(a->user, "admin");
	ck_assert_str_eq(a->user_agent,
			 "kubeadm/v1.16.2 (linux/amd64) kubernetes/c97fe50");
	ck_assert_str_eq(au(r, 10)->resource, "services");
	ck_assert_uint_eq(r->rec[10].line, 11);
	lt_free(r);
}
END_TEST

/* Other file shapes of the same events: one per loop iteration. */
static const struct shape {
	const char *file;
	size_t nrec;
} shapes[] = {
	{"k8s-audit-pretty.json", 1},
	{"k8s-audit-eventlist.json", 2},
	{"k8s-audit-array.json", 3},
};

START_TEST(audit_document_shapes)
{
	struct lt_run *r = lt_new();

	lt_parse_file(r, &sv_fmt_k8s_audit, AUDIT, shapes[_i].file);
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nprob, 0);
	ck_assert_uint_eq(r->nrec, shapes[_i].nrec);
	check_exec(r, 0);
	ck_assert_uint_eq(r->rec[0].line, 0);
	if (shapes[_i].nrec > 1)
		ck_assert_str_eq(au(r, 1)->subresource, "attach");
	lt_free(r);
}
END_TEST

START_TEST(audit_falco_malformed_kind)
{
	struct lt_run *r = lt_new();

	/* falco's fal_01_003.json: {"kind": 0}, no newline */
	lt_parse_file(r, &sv_fmt_k8s_audit, AUDIT, "k8s-audit-fal_01_003.json");
	ck_assert_int_eq(r->rc, SV_ERR_CORRUPT);
	ck_assert_uint_eq(r->nrec, 0);
	ck_assert_int_ge(lt_problem(r, 1, "not an audit Event"), 0);
	lt_free(r);
}
END_TEST

struct bad_case {
	const char *name;
	const struct sv_format_ops *ops;
	const char *input;
	enum sv_status rc;
	size_t nrec;
	uint64_t line;
	const char *problem;
};

#define AGOOD "{\"kind\":\"Event\",\"auditID\":\"a\",\"verb\":\"get\"," \
	      "\"stageTimestamp\":\"2018-10-26T13:38:34.902914Z\"}"
#define EGOOD "{\"kind\":\"Event\",\"reason\":\"Started\"," \
	      "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"web\"}," \
	      "\"lastTimestamp\":\"2024-07-31T18:47:15Z\"}"

static const struct bad_case bad[] = {
	{"audit empty", &sv_fmt_k8s_audit, "", SV_OK, 0, 0, NULL},
	{"audit blank", &sv_fmt_k8s_audit, "\n\n   \n", SV_OK, 0, 0, NULL},
	{"audit missing fields", &sv_fmt_k8s_audit,
	 "{\"kind\":\"Event\",\"auditID\":\"x\"}\n", SV_WARN, 1, 1,
	 "no 'stageTimestamp'"},
	{"audit bad time", &sv_fmt_k8s_audit,
	 "{\"verb\":\"get\",\"stageTimestamp\":\"26/10/2018\"}\n", SV_WARN, 1,
	 1, "not RFC 3339"},
	{"audit other kind", &sv_fmt_k8s_audit,
	 "{\"kind\":\"Pod\",\"verb\":\"get\"}\n" AGOOD "\n", SV_WARN, 1, 1,
	 "not an audit Event"},
	{"audit truncated line", &sv_fmt_k8s_audit,
	 AGOOD "\n{\"kind\":\"Event\",\"auditID\":\"b\",\"ve", SV_WARN, 1, 2,
	 "not JSON"},
	{"audit first line truncated", &sv_fmt_k8s_audit,
	 "{\"kind\":\"Event\",\"auditID\":\"b\",\"ve\n" AGOOD "\n", SV_WARN, 1,
	 1, "not one JSON document"},
	{"audit garbage", &sv_fmt_k8s_audit, "\x7f\x45\x4c\x46\x02\x01\n",
	 SV_ERR_CORRUPT, 0, 1, "not JSON"},
	{"audit broken document", &sv_fmt_k8s_audit,
	 "{\n  \"kind\": \"EventList\",\n  \"items\": [\n", SV_ERR_CORRUPT, 0,
	 4, "not one JSON document"},
	{"audit list with a bad item", &sv_fmt_k8s_audit,
	 "{\"kind\":\"EventList\",\"items\":[" AGOOD ",42," AGOOD "]}\n",
	 SV_WARN, 2, 1, "item 1: not an audit Event"},
	{"events empty", &sv_fmt_k8s_events, "", SV_OK, 0, 0, NULL},
	{"events empty list", &sv_fmt_k8s_events,
	 "{\"kind\":\"List\",\"items\":[]}", SV_OK, 0, 0, NULL},
	{"events watch error", &sv_fmt_k8s_events,
	 "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"message\":"
	 "\"too old resource version\"}}\n{\"type\":\"ADDED\",\"object\":"
	 EGOOD "}\n",
	 SV_WARN, 1, 1, "too old resource version"},
	{"events not an event", &sv_fmt_k8s_events,
	 "{\"kind\":\"List\",\"items\":[{\"kind\":\"Pod\"}," EGOOD "]}\n",
	 SV_WARN, 1, 1, "item 0: not an Event"},
	{"events negative count", &sv_fmt_k8s_events,
	 "[{\"reason\":\"x\",\"count\":-5,\"eventTime\":"
	 "\"2024-07-31T18:47:15.000001Z\"}]",
	 SV_WARN, 1, 1, "'count'"},
	{"events count text", &sv_fmt_k8s_events,
	 "{\"reason\":\"x\",\"count\":\"3\"}\n", SV_WARN, 1, 1, "'count'"},
	{"events no time", &sv_fmt_k8s_events,
	 "{\"reason\":\"x\",\"lastTimestamp\":null,\"eventTime\":null}\n",
	 SV_WARN, 1, 1, "no timestamp"},
	{"events bad then good time", &sv_fmt_k8s_events,
	 "{\"reason\":\"x\",\"lastTimestamp\":\"soon\",\"firstTimestamp\":"
	 "\"2024-07-31T18:47:15Z\"}\n",
	 SV_WARN, 1, 1, "a later one was used"},
	{"events garbage", &sv_fmt_k8s_events, "<html>\n", SV_ERR_CORRUPT, 0, 1,
	 "not JSON"},
};

START_TEST(malformed)
{
	const struct bad_case *c = &bad[_i];
	struct lt_run *r = lt_new();

	lt_parse(r, c->ops, c->ops == &sv_fmt_k8s_audit ? AUDIT : EVENTS,
		 c->input, strlen(c->input));
	ck_assert_msg(r->rc == c->rc, "%s: rc %d, want %d", c->name, r->rc,
		      c->rc);
	ck_assert_msg(r->nrec == c->nrec, "%s: %zu records, want %zu",
		      c->name, r->nrec, c->nrec);
	if (c->problem)
		ck_assert_msg(lt_problem(r, c->line, c->problem) >= 0,
			      "%s: no problem '%s' at %llu (first: %s @%llu)",
			      c->name, c->problem,
			      (unsigned long long)c->line,
			      r->nprob ? r->prob[0].msg : "none",
			      r->nprob ? (unsigned long long)r->prob[0].line
				       : 0ULL);
	else
		ck_assert_msg(r->nprob == 0, "%s: %s", c->name,
			      r->prob[0].msg);
	lt_free(r);
}
END_TEST

START_TEST(audit_odd_values)
{
	static const char in[] =
		"{\"verb\":\"get\",\"responseStatus\":{\"code\":\"200\"},"
		"\"sourceIPs\":\"10.0.0.1\",\"user\":\"bob\","
		"\"requestReceivedTimestamp\":\"2018-10-26T13:38:34Z\"}\n";
	struct lt_run *r = lt_new();

	lt_parse(r, &sv_fmt_k8s_audit, AUDIT, in, sizeof(in) - 1);
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_int_eq(au(r, 0)->response_code, -1);
	ck_assert_str_eq(au(r, 0)->source_ip, "");
	ck_assert_str_eq(au(r, 0)->user, "");
	ck_assert_int_eq(r->rec[0].ts_ns, 1540561114LL * SV_NS_PER_SEC);
	lt_free(r);
}
END_TEST

START_TEST(audit_long_uri_cut)
{
	size_t n = 20000;
	char *in = malloc(n + 200);
	struct lt_run *r = lt_new();
	int o;

	ck_assert_ptr_nonnull(in);
	o = snprintf(in, 100, "{\"verb\":\"create\",\"requestURI\":\"/x?");
	memset(in + o, 'c', n);
	o += (int)n;
	o += snprintf(in + o, 100, "\",\"stageTimestamp\":"
				   "\"2018-10-26T13:38:34Z\"}\n");
	lt_parse(r, &sv_fmt_k8s_audit, AUDIT, in, (size_t)o);
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(strlen(au(r, 0)->request_uri), 8192);
	ck_assert_int_ge(lt_problem(r, 1, "'requestURI'"), 0);
	free(in);
	lt_free(r);
}
END_TEST

/* ---- events ---- */

START_TEST(events_event_time)
{
	struct lt_run *r = lt_new();
	const struct sv_k8s_event *k;

	lt_parse_file(r, &sv_fmt_k8s_events, EVENTS,
		      "k8s-events-eventlist_v1_with_creationTimestamp.json");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nprob, 0);
	ck_assert_uint_eq(r->nrec, 1);
	k = ke(r, 0);
	ck_assert_str_eq(k->type, "Warning");
	ck_assert_str_eq(k->reason, "FailedScheduling");
	ck_assert_str_eq(k->kind, "Pod");
	ck_assert_str_eq(k->k8s_namespace, "default");
	ck_assert_str_eq(k->name, "fluent-bit-78945dccd8-2g7qg");
	ck_assert_str_eq(k->uid, "ed7de8ff-61fb-40bb-9ecb-55a801a4cd89");
	ck_assert_int_eq(k->count, 1);
	ck_assert_ptr_nonnull(strstr(k->message, "Insufficient cpu"));
	/* lastTimestamp null: eventTime 2023-12-24T13:37:16.335172Z */
	ck_assert_int_eq(r->rec[0].ts_ns, 1703425036335172000LL);
	lt_free(r);
}
END_TEST

START_TEST(events_last_timestamp)
{
	struct lt_run *r = lt_new();
	const struct sv_k8s_event *k;

	lt_parse_file(r, &sv_fmt_k8s_events, EVENTS,
		      "k8s-events-eventlist_v1_with_lastTimestamp.json");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 1);
	k = ke(r, 0);
	ck_assert_str_eq(k->type, "Normal");
	ck_assert_str_eq(k->reason, "LeaderElection");
	ck_assert_str_eq(k->kind, "Endpoints");
	ck_assert_str_eq(k->name, "");
	ck_assert_int_eq(k->count, 1);
	ck_assert_int_eq(r->rec[0].ts_ns, 1703410191LL * SV_NS_PER_SEC);
	lt_free(r);
}
END_TEST

START_TEST(events_watch_frame)
{
	struct lt_run *r = lt_new();
	const struct sv_k8s_event *k;

	lt_parse_file(r, &sv_fmt_k8s_events, EVENTS,
		      "k8s-events-watch_v1_with_lastTimestamp.json");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 1);
	k = ke(r, 0);
	ck_assert_str_eq(k->reason, "FailedMount");
	ck_assert_str_eq(k->name, "fluent-bit-78945dccd8-hvr55");
	ck_assert_int_eq(k->count, 16);
	ck_assert_str_eq(k->message,
			 "MountVolume.SetUp failed for volume \"config-volume\""
			 " : configmap \"fluent-bit-config\" not found");
	ck_assert_int_eq(r->rec[0].ts_ns, 1722451635LL * SV_NS_PER_SEC);
	ck_assert_uint_eq(r->rec[0].line, 1);
	lt_free(r);
}
END_TEST

START_TEST(events_v1_names)
{
	static const char in[] =
		"{\"kind\":\"Event\",\"apiVersion\":\"events.k8s.io/v1\","
		"\"reason\":\"OOMKilling\",\"type\":\"Warning\","
		"\"note\":\"Memory cgroup out of memory\","
		"\"regarding\":{\"kind\":\"Node\",\"name\":\"node1\"},"
		"\"series\":{\"count\":4},"
		"\"eventTime\":\"2024-07-31T18:47:15.500000Z\"}\n";
	struct lt_run *r = lt_new();

	lt_parse(r, &sv_fmt_k8s_events, EVENTS, in, sizeof(in) - 1);
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_str_eq(ke(r, 0)->message, "Memory cgroup out of memory");
	ck_assert_str_eq(ke(r, 0)->kind, "Node");
	ck_assert_str_eq(ke(r, 0)->name, "node1");
	ck_assert_int_eq(ke(r, 0)->count, 4);
	ck_assert_int_eq(r->rec[0].ts_ns, 1722451635500000000LL);
	lt_free(r);
}
END_TEST

START_TEST(probes)
{
	ck_assert_int_eq(lt_probe(&sv_fmt_k8s_audit, AUDIT, "{"), 100);
	ck_assert_int_eq(lt_probe(&sv_fmt_k8s_audit, AUDIT, "  ["), 100);
	ck_assert_int_eq(lt_probe(&sv_fmt_k8s_audit, AUDIT, "I1118 13:57"),
			 50);
	ck_assert_int_eq(lt_probe(&sv_fmt_k8s_audit, EVENTS, "{"), 0);
	ck_assert_int_eq(lt_probe(&sv_fmt_k8s_events, EVENTS, "\n{"), 100);
	ck_assert_int_eq(lt_probe(&sv_fmt_k8s_events, AUDIT, "{"), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lifecycle_k8s");
	TCase *tc = tcase_create("audit");

	tcase_add_test(tc, audit_jsonl_real);
	tcase_add_loop_test(tc, audit_document_shapes, 0,
			    sizeof(shapes) / sizeof(shapes[0]));
	tcase_add_test(tc, audit_falco_malformed_kind);
	tcase_add_test(tc, audit_odd_values);
	tcase_add_test(tc, audit_long_uri_cut);
	suite_add_tcase(s, tc);
	tc = tcase_create("events");
	tcase_add_test(tc, events_event_time);
	tcase_add_test(tc, events_last_timestamp);
	tcase_add_test(tc, events_watch_frame);
	tcase_add_test(tc, events_v1_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("both");
	tcase_add_loop_test(tc, malformed, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, probes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
