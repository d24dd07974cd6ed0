/*
 * test_timeline.c - analyzer/sv_timeline and reports/export_timeline:
 * ordering, skew, phases and caps on synthetic events, then the real
 * incident sample through the pipeline: the timeline is ordered, every
 * event is attributed or says it is not, and both exports read back as
 * Timesketch wants them (message, datetime, timestamp_desc).
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sv_export.h"
#include "sv_pipeline.h"
#include "sv_time.h"
#include "sv_timeline.h"

#define SEC 1000000000LL

static struct sv_event *ev(struct sv_arena *a, int64_t ts,
			   enum sv_event_source src, const char *id,
			   struct sv_event *next)
{
	struct sv_event *e = sv_arena_calloc(a, 1, sizeof(*e));

	ck_assert_ptr_nonnull(e);
	e->ts_ns = e->ts_hi_ns = ts;
	e->kind = SV_EV_PROCESS_START;
	e->message = "m";
	e->source = src;
	e->container_id = id;
	e->pid = -1;
	e->next = next;
	return e;
}

START_TEST(ordered_and_stable)
{
	struct sv_arena *a = sv_arena_new(0);
	struct sv_event *l1, *l2, *lists[3];
	struct sv_timeline t;
	struct sv_error err;
	uint64_t i;

	/* two lists, out of order, with ties across and within them */
	l1 = ev(a, 5 * SEC, SV_SRC_PROC, "c1",
		ev(a, 1 * SEC, SV_SRC_PROC, NULL,
		   ev(a, 5 * SEC, SV_SRC_PROC, "c2", NULL)));
	l2 = ev(a, 3 * SEC, SV_SRC_RUNTIME, "c1",
		ev(a, 5 * SEC, SV_SRC_RUNTIME, NULL, NULL));
	lists[0] = l1;
	lists[1] = NULL;
	lists[2] = l2;
	ck_assert_int_eq(sv_timeline_build(a, lists, 3, NULL, 0, NULL, 0, 0,
					   &t, &err), SV_OK);
	ck_assert_uint_eq(t.n, 5);
	for (i = 1; i < t.n; i++)
		ck_assert(t.ev[i - 1]->ts_ns <= t.ev[i]->ts_ns);
	/* ties: the lower source first, then the input order */
	ck_assert_str_eq(t.ev[2]->container_id, "c1");
	ck_assert_int_eq(t.ev[2]->source, SV_SRC_PROC);
	ck_assert_str_eq(t.ev[3]->container_id, "c2");
	ck_assert_int_eq(t.ev[4]->source, SV_SRC_RUNTIME);
	ck_assert_uint_eq(t.attributed, 3);
	ck_assert_uint_eq(t.unattributed, 2);
	ck_assert_int_eq(t.first_ns, 1 * SEC);
	ck_assert_int_eq(t.last_ns, 5 * SEC);
	sv_arena_free(a);
}
END_TEST

/* Runtime events 2 s ahead of /proc on three pairs: shifted back. */
START_TEST(skew_measured_and_applied)
{
	struct sv_arena *a = sv_arena_new(0);
	struct sv_event *lists[1];
	const struct sv_timeline_pair pairs[] = {
		{SV_SRC_RUNTIME, 12 * SEC, 10 * SEC},
		{SV_SRC_RUNTIME, 22 * SEC + 100, 20 * SEC},
		{SV_SRC_RUNTIME, 31 * SEC, 29 * SEC},
		{SV_SRC_KERNEL, 5 * SEC, 5 * SEC + 1000}, /* tiny: left */
		{SV_SRC_KERNEL, 6 * SEC, 6 * SEC + 1000},
		{SV_SRC_PCAP, 9 * SEC, 1 * SEC},          /* one pair: left */
	};
	struct sv_timeline t;
	struct sv_error err;

	lists[0] = ev(a, 12 * SEC, SV_SRC_RUNTIME, "c",
		      ev(a, 11 * SEC, SV_SRC_PROC, "c",
			 ev(a, 9 * SEC, SV_SRC_PCAP, NULL, NULL)));
	ck_assert_int_eq(sv_timeline_build(a, lists, 1, pairs, 6, NULL, 0, 0,
					   &t, &err), SV_OK);
	ck_assert(t.skew[SV_SRC_RUNTIME].applied);
	ck_assert_int_eq(t.skew[SV_SRC_RUNTIME].offset_ns, 2 * SEC);
	ck_assert_uint_eq(t.skew[SV_SRC_RUNTIME].pairs, 3);
	ck_assert(!t.skew[SV_SRC_KERNEL].applied);
	ck_assert(!t.skew[SV_SRC_PCAP].applied);
	/* the runtime event moved from 12 s to 10 s, before /proc's 11 s */
	ck_assert_int_eq(t.ev[1]->source, SV_SRC_RUNTIME);
	ck_assert_int_eq(t.ev[1]->ts_ns, 10 * SEC);
	ck_assert_int_eq(t.ev[1]->skew_ns, -2 * SEC);
	ck_assert_int_eq(t.ev[0]->source, SV_SRC_PCAP);
	sv_arena_free(a);
}
END_TEST

START_TEST(phases)
{
	struct sv_arena *a = sv_arena_new(0);
	struct sv_event *lists[1];
	const struct sv_timeline_life lives[] = {
		{"web", 10 * SEC, 20 * SEC},
		{"half", SV_TIME_NONE, 20 * SEC},
	};
	struct sv_timeline t;
	struct sv_error err;

	lists[0] = ev(a, 5 * SEC, SV_SRC_RUNTIME, "web",
		      ev(a, 15 * SEC, SV_SRC_PROC, "web",
			 ev(a, 25 * SEC, SV_SRC_RUNTIME, "web",
			    ev(a, 5 * SEC + 1, SV_SRC_PROC, "half",
			       ev(a, 6 * SEC, SV_SRC_PROC, "other", NULL)))));
	ck_assert_int_eq(sv_timeline_build(a, lists, 1, NULL, 0, lives, 2, 0,
					   &t, &err), SV_OK);
	ck_assert_int_eq(t.ev[0]->phase, SV_PHASE_PROVISION);
	ck_assert_int_eq(t.ev[1]->phase, SV_PHASE_RUN);       /* half */
	ck_assert_int_eq(t.ev[2]->phase, SV_PHASE_NONE);      /* other */
	ck_assert_int_eq(t.ev[3]->phase, SV_PHASE_RUN);
	ck_assert_int_eq(t.ev[4]->phase, SV_PHASE_TEARDOWN);
	sv_arena_free(a);
}
END_TEST

START_TEST(over_limit)
{
	struct sv_arena *a = sv_arena_new(0);
	struct sv_event *lists[1] = {NULL};
	struct sv_timeline t;
	struct sv_error err;
	int i;

	for (i = 0; i < 10; i++)
		lists[0] = ev(a, i * SEC, SV_SRC_PROC, NULL, lists[0]);
	ck_assert_int_eq(sv_timeline_build(a, lists, 1, NULL, 0, NULL, 0, 4,
					   &t, &err), SV_OK);
	ck_assert_uint_eq(t.n, 4);
	ck_assert_uint_eq(t.over_limit, 6);
	sv_arena_free(a);
}
END_TEST

/* ------------------------------------------------ the incident sample */

static struct sv_analysis *incident(void)
{
	struct sv_pipeline_options o;
	struct sv_error err;
	struct sv_analysis *an;

	sv_pipeline_options_default(&o);
	an = sv_pipeline_run(SV_SAMPLES "/web-incident.tar.zst", &o, &err);
	ck_assert_ptr_nonnull(an);
	ck_assert(sv_analysis_input_ok(an));
	return an;
}

START_TEST(incident_properties)
{
	struct sv_analysis *an = incident();
	const struct sv_timeline *t = &an->timeline;
	uint64_t i, attributed = 0, shell = 0;
	char buf[1024];

	ck_assert_uint_gt(t->n, 100);
	for (i = 0; i < t->n; i++) {
		const struct sv_event *e = t->ev[i];
		const char *text = sv_event_text(e, buf, sizeof(buf));

		if (i)
			ck_assert(t->ev[i - 1]->ts_ns <= e->ts_ns);
		ck_assert(e->ts_hi_ns == SV_TIME_NONE ||
			  e->ts_hi_ns >= e->ts_ns);
		ck_assert_ptr_nonnull(e->kind);
		ck_assert(text[0] != '\0');
		attributed += e->container_id || e->pid >= 0;
		if (!strcmp(e->kind, SV_EV_FLOW_OPEN) &&
		    strstr(text, ":41184 -> 10.89.77.1:4444")) {
			shell++;
			ck_assert_int_eq(e->pid, 11832); /* sh, test_attrib */
			ck_assert_ptr_nonnull(e->container_id);
		}
	}
	ck_assert_uint_eq(attributed, t->attributed);
	ck_assert_uint_eq(t->attributed + t->unattributed, t->n);
	ck_assert_uint_eq(shell, 1);
	sv_analysis_free(an);
}
END_TEST

/* Every JSON line has Timesketch's fields; CSV has its header. */
START_TEST(incident_exports)
{
	struct sv_analysis *an = incident();
	char dir[] = "/tmp/sv-timeline-XXXXXX", path[256], line[65536];
	struct sv_error err;
	uint64_t rows = 0;
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.jsonl", dir);
	ck_assert_int_eq(sv_export_timeline(an, SV_EXPORT_JSONL, path, &err),
			 SV_OK);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	while (fgets(line, sizeof(line), fp)) {
		json_error_t je;
		json_t *o = json_loads(line, 0, &je);

		ck_assert_msg(o != NULL, "line %llu: %s",
			      (unsigned long long)rows + 1, je.text);
		ck_assert(json_is_string(json_object_get(o, "message")));
		ck_assert(json_is_string(json_object_get(o, "datetime")));
		ck_assert(json_is_string(json_object_get(o,
							 "timestamp_desc")));
		ck_assert(json_is_integer(json_object_get(o, "timestamp")));
		ck_assert(json_is_boolean(json_object_get(o, "attributed")));
		json_decref(o);
		rows++;
	}
	fclose(fp);
	ck_assert_uint_eq(rows, an->timeline.n);
	unlink(path);
	snprintf(path, sizeof(path), "%s/t.csv", dir);
	ck_assert_int_eq(sv_export_timeline(an, SV_EXPORT_CSV, path, &err),
			 SV_OK);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), fp));
	ck_assert(!strncmp(line, "message,datetime,timestamp,timestamp_desc,",
			   42));
	fclose(fp);
	unlink(path);
	rmdir(dir);
	sv_analysis_free(an);
}
END_TEST

static Suite *timeline_suite(void)
{
	Suite *s = suite_create("timeline");
	TCase *syn = tcase_create("synthetic");
	TCase *real = tcase_create("sample");

	tcase_add_test(syn, ordered_and_stable);
	tcase_add_test(syn, skew_measured_and_applied);
	tcase_add_test(syn, phases);
	tcase_add_test(syn, over_limit);
	suite_add_tcase(s, syn);
	tcase_set_timeout(real, 120);
	tcase_add_test(real, incident_properties);
	tcase_add_test(real, incident_exports);
	suite_add_tcase(s, real);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(timeline_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
