/*
 * test_lifecycle_events.c - docker and podman event readers
 * (formats/fmt_docker_events.c, formats/fmt_podman_events.c) on real
 * podman events from this machine, the podman docs, fixtures transcribed
 * from the docker docs, and every malformed shape we could think of.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifecycle_test.h"
#include "sv_time.h"

extern const struct sv_format_ops sv_fmt_docker_events;
extern const struct sv_format_ops sv_fmt_podman_events;

#define DOCKER "events/docker.jsonl"
#define PODMAN "events/podman.jsonl"
#define CID "7b2b5e0d8e5f1f7a3c9d4e6b8a0c2d4f6e8a0b2c4d6e8f0a1b3c5d7e9f1a3b5c"
#define T0 1764392000LL

static const struct sv_runtime_event *ev(const struct lt_run *r, size_t i)
{
	ck_assert_uint_gt(r->nrec, i);
	ck_assert_int_eq(r->rec[i].type, SV_REC_RUNTIME_EVENT);
	return &r->rec[i].u.runtime;
}

/* ---- docker ---- */

START_TEST(docker_container_lifecycle)
{
	struct lt_run *r = lt_new();
	const struct sv_runtime_event *e;

	lt_parse_file(r, &sv_fmt_docker_events, DOCKER,
		      "docker-container.jsonl");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 11);
	ck_assert_uint_eq(r->nprob, 0);
	e = ev(r, 0);
	ck_assert_int_eq(e->runtime, SV_RT_DOCKER);
	ck_assert_str_eq(e->type, "container");
	ck_assert_str_eq(e->action, "create");
	ck_assert_str_eq(e->id, CID);
	ck_assert_str_eq(e->name, "web");
	ck_assert_str_eq(e->image, "nginx:1.25");
	ck_assert_str_eq(e->pod, "web-7d9f8c6b5-x2x9q");
	ck_assert_str_eq(e->k8s_namespace, "shop");
	ck_assert_str_eq(e->detail, "");
	ck_assert_int_eq(e->has_exit_code, 0);
	ck_assert_int_eq(r->rec[0].ts_ns, T0 * SV_NS_PER_SEC + 123456789);
	ck_assert_uint_eq(r->rec[0].line, 1);
	ck_assert_str_eq(ev(r, 2)->action, "exec_create");
	ck_assert_str_eq(ev(r, 2)->detail, "sh -c id");
	ck_assert_str_eq(ev(r, 3)->action, "exec_start");
	ck_assert_str_eq(ev(r, 3)->detail, "sh -c id");
	ck_assert_str_eq(ev(r, 4)->action, "exec_die");
	ck_assert_int_eq(ev(r, 4)->has_exit_code, 1);
	ck_assert_int_eq(ev(r, 4)->exit_code, 0);
	ck_assert_str_eq(ev(r, 5)->action, "health_status");
	ck_assert_str_eq(ev(r, 5)->detail, "healthy");
	ck_assert_str_eq(ev(r, 6)->action, "kill");
	ck_assert_str_eq(ev(r, 6)->detail, "signal=9");
	ck_assert_str_eq(ev(r, 7)->action, "oom");
	ck_assert_str_eq(ev(r, 8)->action, "die");
	ck_assert_int_eq(ev(r, 8)->has_exit_code, 1);
	ck_assert_int_eq(ev(r, 8)->exit_code, 137);
	/* legacy shape: status, id, from and time only */
	e = ev(r, 10);
	ck_assert_str_eq(e->action, "stop");
	ck_assert_str_eq(e->type, "container");
	ck_assert_str_eq(e->id, CID);
	ck_assert_str_eq(e->image, "nginx:1.25");
	ck_assert_int_eq(r->rec[10].ts_ns, (T0 + 25) * SV_NS_PER_SEC);
	ck_assert_uint_eq(r->rec[10].line, 11);
	lt_free(r);
}
END_TEST

START_TEST(docker_docs_volume_network)
{
	struct lt_run *r = lt_new();

	lt_parse_file(r, &sv_fmt_docker_events, DOCKER,
		      "docker-docs-transcribed.jsonl");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 6);
	ck_assert_str_eq(ev(r, 0)->type, "volume");
	ck_assert_str_eq(ev(r, 0)->action, "create");
	ck_assert_str_eq(ev(r, 0)->id, "test-event-volume-local");
	ck_assert_int_eq(r->rec[0].ts_ns, 1450904728136212689LL);
	ck_assert_str_eq(ev(r, 1)->detail,
			 "container=562fe10671e9273da25eed36cdce26159085ac7e"
			 "e6707105fd534866340a5025");
	ck_assert_str_eq(ev(r, 5)->type, "network");
	ck_assert_str_eq(ev(r, 5)->action, "connect");
	ck_assert_str_eq(ev(r, 5)->name, "test-event-network-local");
	ck_assert_str_eq(ev(r, 5)->detail,
			 "container=b4be644031a3d90b400f88ab3d4bdf4dc23adb25"
			 "0e696b6328b85441abe2c54e");
	lt_free(r);
}
END_TEST

/* Malformed input: each case is parsed on its own. */
struct bad_case {
	const char *name;
	const char *input;
	enum sv_status rc;
	size_t nrec;
	uint64_t line;      /* of the expected problem */
	const char *problem; /* NULL: none expected */
};

#define GOOD "{\"Type\":\"container\",\"Action\":\"start\",\"id\":\"x\"," \
	     "\"timeNano\":1764392000000000001}"

static const struct bad_case docker_bad[] = {
	{"empty file", "", SV_OK, 0, 0, NULL},
	{"blank lines", "\n  \n\t\n", SV_OK, 0, 0, NULL},
	{"not json then good", "start web\n" GOOD "\n", SV_WARN, 1, 1,
	 "not JSON"},
	{"truncated last line", GOOD "\n{\"Type\":\"container\",\"Act",
	 SV_WARN, 1, 2, "not JSON"},
	{"missing action", "{\"Type\":\"container\",\"id\":\"x\"}\n" GOOD
			   "\n",
	 SV_WARN, 1, 1, "not a docker event"},
	{"array line", "[1,2,3]\n" GOOD "\n", SV_WARN, 1, 1,
	 "not a JSON object"},
	{"string timeNano", "{\"Action\":\"start\",\"timeNano\":\"abc\"}\n",
	 SV_WARN, 1, 1, "not an integer time"},
	{"no time", "{\"Action\":\"start\",\"id\":\"x\"}\n", SV_WARN, 1, 1,
	 "no 'timeNano' or 'time'"},
	{"time overflows ns", "{\"Action\":\"start\",\"time\":"
			      "9223372036854775807}\n",
	 SV_WARN, 1, 1, "not an integer time"},
	{"integer too big for JSON", "{\"Action\":\"start\",\"timeNano\":"
				     "99999999999999999999999}\n" GOOD "\n",
	 SV_WARN, 1, 1, "not JSON"},
	{"exit code text", "{\"Action\":\"die\",\"time\":1,\"Actor\":{"
			   "\"Attributes\":{\"exitCode\":\"boom\"}}}\n",
	 SV_WARN, 1, 1, "'exitCode'"},
	{"binary garbage", "\x01\x02\xff\xfe\x7f{{{\n" GOOD "\n", SV_WARN,
	 1, 1, "not JSON"},
	{"duplicate keys", "{\"Action\":\"start\",\"Action\":\"stop\"}\n" GOOD
			   "\n",
	 SV_WARN, 1, 1, "not JSON"},
	{"only garbage", "hello\nworld\n", SV_ERR_CORRUPT, 0, 2,
	 "not JSON"},
	{"crlf lines", GOOD "\r\n" GOOD "\r\n", SV_OK, 2, 0, NULL},
};

START_TEST(docker_malformed)
{
	const struct bad_case *c = &docker_bad[_i];
	struct lt_run *r = lt_new();

	lt_parse(r, &sv_fmt_docker_events, DOCKER, c->input,
		 strlen(c->input));
	ck_assert_msg(r->rc == c->rc, "%s: rc %d, want %d", c->name, r->rc,
		      c->rc);
	ck_assert_msg(r->nrec == c->nrec, "%s: %zu records, want %zu",
		      c->name, r->nrec, c->nrec);
	if (c->problem)
		ck_assert_msg(lt_problem(r, c->line, c->problem) >= 0,
			      "%s: no problem '%s' at line %llu (first: %s)",
			      c->name, c->problem,
			      (unsigned long long)c->line,
			      r->nprob ? r->prob[0].msg : "none");
	else
		ck_assert_msg(r->nprob == 0, "%s: problem %s", c->name,
			      r->prob[0].msg);
	lt_free(r);
}
END_TEST

START_TEST(docker_binary_with_nul)
{
	static const char in[] = "\x00\x00\x00\n" GOOD "\n\x80\x81\n";
	struct lt_run *r = lt_new();

	lt_parse(r, &sv_fmt_docker_events, DOCKER, in, sizeof(in) - 1);
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_int_ge(lt_problem(r, 1, "not JSON"), 0);
	ck_assert_int_ge(lt_problem(r, 3, "not JSON"), 0);
	lt_free(r);
}
END_TEST

START_TEST(docker_line_over_limit)
{
	size_t big = (1u << 20) + 100, n = big + 2 * sizeof(GOOD) + 4;
	char *in = malloc(n);
	struct lt_run *r = lt_new();
	size_t o = 0;

	ck_assert_ptr_nonnull(in);
	memcpy(in + o, GOOD "\n", sizeof(GOOD));
	o += sizeof(GOOD);
	in[o++] = '{';
	memset(in + o, 'a', big);
	o += big;
	in[o++] = '\n';
	memcpy(in + o, GOOD "\n", sizeof(GOOD));
	o += sizeof(GOOD);
	lt_parse(r, &sv_fmt_docker_events, DOCKER, in, o);
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(r->nrec, 2);
	ck_assert_uint_eq(r->rec[1].line, 3);
	ck_assert_int_ge(lt_problem(r, 2, "longer than"), 0);
	lt_free(r);
	free(in);
}
END_TEST

START_TEST(docker_long_fields_cut)
{
	char in[12000];
	char id[5001];
	struct lt_run *r = lt_new();

	memset(id, 'f', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	snprintf(in, sizeof(in),
		 "{\"Action\":\"exec_start: %s\",\"id\":\"%s\",\"time\":1}\n",
		 id, id);
	lt_parse(r, &sv_fmt_docker_events, DOCKER, in, strlen(in));
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_uint_eq(strlen(ev(r, 0)->id), 256);
	ck_assert_uint_eq(strlen(ev(r, 0)->detail), 4096);
	ck_assert_int_ge(lt_problem(r, 1, "cut at"), 0);
	lt_free(r);
}
END_TEST

START_TEST(docker_cut_keeps_utf8)
{
	char in[2048];
	char id[600];
	size_t i;
	struct lt_run *r = lt_new();

	/* 255 ASCII bytes then "é" (2 bytes) straddling the 256 cap */
	for (i = 0; i < 255; i++)
		id[i] = 'a';
	memcpy(id + 255, "\xc3\xa9\xc3\xa9", 4);
	id[259] = '\0';
	snprintf(in, sizeof(in), "{\"Action\":\"start\",\"id\":\"%s\","
				 "\"time\":1}\n", id);
	lt_parse(r, &sv_fmt_docker_events, DOCKER, in, strlen(in));
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_uint_eq(strlen(ev(r, 0)->id), 255);
	lt_free(r);
}
END_TEST

START_TEST(docker_record_error_stops)
{
	struct lt_run *r = lt_new();

	r->stop_after = 2;
	r->stop_with = SV_ERR_LIMIT;
	lt_parse_file(r, &sv_fmt_docker_events, DOCKER,
		      "docker-container.jsonl");
	ck_assert_int_eq(r->rc, SV_ERR_LIMIT);
	ck_assert_uint_eq(r->nrec, 2);
	lt_free(r);
}
END_TEST

START_TEST(docker_probe)
{
	ck_assert_int_eq(lt_probe(&sv_fmt_docker_events, DOCKER, "{\"s"), 100);
	ck_assert_int_eq(lt_probe(&sv_fmt_docker_events, DOCKER, ""), 100);
	ck_assert_int_eq(lt_probe(&sv_fmt_docker_events, DOCKER,
				  "2015-12-23T21:05:28Z volume create"),
			 50);
	ck_assert_int_eq(lt_probe(&sv_fmt_docker_events, PODMAN, "{"), 0);
	ck_assert_int_eq(lt_probe(&sv_fmt_docker_events, "events/x.jsonl",
				  "{"),
			 0);
}
END_TEST

/* ---- podman ---- */

START_TEST(podman_real_incident)
{
	struct lt_run *r = lt_new();
	const struct sv_runtime_event *e;

	lt_parse_file(r, &sv_fmt_podman_events, PODMAN,
		      "podman-incident.jsonl");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 13);
	e = ev(r, 0);
	ck_assert_int_eq(e->runtime, SV_RT_PODMAN);
	ck_assert_str_eq(e->type, "container");
	ck_assert_str_eq(e->action, "create");
	ck_assert_str_eq(e->id, "49812af6ca9239fba7dee6b2a9f9df99d506e99af784"
				"dfa520af9d268c2799bf");
	ck_assert_str_eq(e->name, "web");
	ck_assert_str_eq(e->image, "localhost/salvage-demo:1");
	ck_assert_str_eq(e->pod, "");
	ck_assert_int_eq(r->rec[0].ts_ns,
			 1795942194LL * SV_NS_PER_SEC + 220807330);
	ck_assert_str_eq(ev(r, 6)->action, "exec");
	ck_assert_str_eq(ev(r, 6)->detail, ""); /* podman logs no command */
	ck_assert_str_eq(ev(r, 7)->action, "exec_died");
	e = ev(r, 11);
	ck_assert_str_eq(e->name, "hog");
	ck_assert_str_eq(e->action, "died");
	ck_assert_int_eq(e->has_exit_code, 1);
	ck_assert_int_eq(e->exit_code, 137);
	ck_assert_int_eq(r->rec[11].ts_ns,
			 1795942214LL * SV_NS_PER_SEC + 21220046);
	ck_assert_uint_eq(r->rec[11].line, 12);
	lt_free(r);
}
END_TEST

START_TEST(podman_real_clean_exit_zero_omitted)
{
	struct lt_run *r = lt_new();

	lt_parse_file(r, &sv_fmt_podman_events, PODMAN, "podman-clean.jsonl");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 8);
	ck_assert_str_eq(ev(r, 6)->action, "died");
	ck_assert_str_eq(ev(r, 6)->name, "client");
	ck_assert_int_eq(ev(r, 6)->has_exit_code, 0);
	lt_free(r);
}
END_TEST

START_TEST(podman_docs_offset_time)
{
	struct lt_run *r = lt_new();

	lt_parse_file(r, &sv_fmt_podman_events, PODMAN, "podman-docs.jsonl");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 2);
	ck_assert_str_eq(ev(r, 0)->action, "cleanup");
	ck_assert_str_eq(ev(r, 0)->name, "agitated_diffie");
	/* 22:47:00.849932843-04:00 is 02:47:00.849932843Z the next day */
	ck_assert_int_eq(r->rec[0].ts_ns,
			 1556419620LL * SV_NS_PER_SEC + 849932843);
	ck_assert_str_eq(ev(r, 1)->action, "unmount");
	lt_free(r);
}
END_TEST

START_TEST(podman5_shape)
{
	struct lt_run *r = lt_new();
	const char *pod = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5"
			  "e4d3c2b1a0f9e8d";

	lt_parse_file(r, &sv_fmt_podman_events, PODMAN,
		      "podman5-handwritten.jsonl");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 6);
	ck_assert_str_eq(ev(r, 0)->type, "pod");
	ck_assert_str_eq(ev(r, 0)->id, pod);
	ck_assert_int_eq(r->rec[0].ts_ns, 1764392100101112131LL);
	ck_assert_str_eq(ev(r, 1)->pod, pod);
	ck_assert_str_eq(ev(r, 2)->type, "network");
	ck_assert_str_eq(ev(r, 2)->detail, "podnet");
	ck_assert_str_eq(ev(r, 3)->action, "health_status");
	ck_assert_str_eq(ev(r, 3)->detail, "unhealthy");
	ck_assert_int_eq(ev(r, 4)->has_exit_code, 1);
	ck_assert_int_eq(ev(r, 4)->exit_code, 1);
	ck_assert_int_eq(r->rec[5].ts_ns, 1764392150LL * SV_NS_PER_SEC);
	lt_free(r);
}
END_TEST

#define PGOOD "{\"ID\":\"a\",\"Status\":\"start\",\"Type\":\"container\"," \
	      "\"Time\":\"2025-11-29T04:53:20Z\"}"

static const struct bad_case podman_bad[] = {
	{"empty file", "", SV_OK, 0, 0, NULL},
	{"not json", "container start web\n" PGOOD "\n", SV_WARN, 1, 1,
	 "not JSON"},
	{"no status", "{\"ID\":\"a\",\"Time\":\"2025-11-29T04:53:20Z\"}\n"
		      PGOOD "\n",
	 SV_WARN, 1, 1, "not a podman event"},
	{"bad time text", "{\"Status\":\"start\",\"Time\":\"yesterday\"}\n",
	 SV_WARN, 1, 1, "malformed"},
	{"time out of range", "{\"Status\":\"start\",\"Time\":"
			      "\"9999-01-01T00:00:00Z\"}\n",
	 SV_WARN, 1, 1, "malformed"},
	{"go zero time", "{\"Status\":\"start\",\"Time\":"
			 "\"0001-01-01T00:00:00Z\"}\n",
	 SV_WARN, 1, 1, "no 'Time'"},
	{"exit code text", "{\"Status\":\"died\",\"time\":1,"
			   "\"ContainerExitCode\":\"137\"}\n",
	 SV_WARN, 1, 1, "ContainerExitCode"},
	{"truncated", PGOOD "\n{\"ID\":\"a\",\"Sta", SV_WARN, 1, 2,
	 "not JSON"},
	{"number line", "42\n" PGOOD "\n", SV_WARN, 1, 1, "not JSON"},
	{"array line", "[{}]\n" PGOOD "\n", SV_WARN, 1, 1,
	 "not a JSON object"},
	{"only garbage", "\xff\xfe\n", SV_ERR_CORRUPT, 0, 1, "not JSON"},
};

START_TEST(podman_malformed)
{
	const struct bad_case *c = &podman_bad[_i];
	struct lt_run *r = lt_new();

	lt_parse(r, &sv_fmt_podman_events, PODMAN, c->input,
		 strlen(c->input));
	ck_assert_msg(r->rc == c->rc, "%s: rc %d, want %d", c->name, r->rc,
		      c->rc);
	ck_assert_msg(r->nrec == c->nrec, "%s: %zu records, want %zu",
		      c->name, r->nrec, c->nrec);
	if (c->problem)
		ck_assert_msg(lt_problem(r, c->line, c->problem) >= 0,
			      "%s: no problem '%s' (first: %s)", c->name,
			      c->problem, r->nprob ? r->prob[0].msg : "none");
	else
		ck_assert_uint_eq(r->nprob, 0);
	if (c->nrec && c->rc == SV_WARN && strstr(c->name, "time"))
		ck_assert_int_eq(r->rec[0].ts_ns, SV_TIME_NONE);
	lt_free(r);
}
END_TEST

START_TEST(podman_probe)
{
	ck_assert_int_eq(lt_probe(&sv_fmt_podman_events, PODMAN, "{"), 100);
	ck_assert_int_eq(lt_probe(&sv_fmt_podman_events, PODMAN,
				  "2019-03-02 10:36:01 container create"),
			 50);
	ck_assert_int_eq(lt_probe(&sv_fmt_podman_events, DOCKER, "{"), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lifecycle_events");
	TCase *tc = tcase_create("docker");

	tcase_add_test(tc, docker_container_lifecycle);
	tcase_add_test(tc, docker_docs_volume_network);
	tcase_add_loop_test(tc, docker_malformed, 0,
			    sizeof(docker_bad) / sizeof(docker_bad[0]));
	tcase_add_test(tc, docker_binary_with_nul);
	tcase_add_test(tc, docker_line_over_limit);
	tcase_add_test(tc, docker_long_fields_cut);
	tcase_add_test(tc, docker_cut_keeps_utf8);
	tcase_add_test(tc, docker_record_error_stops);
	tcase_add_test(tc, docker_probe);
	suite_add_tcase(s, tc);
	tc = tcase_create("podman");
	tcase_add_test(tc, podman_real_incident);
	tcase_add_test(tc, podman_real_clean_exit_zero_omitted);
	tcase_add_test(tc, podman_docs_offset_time);
	tcase_add_test(tc, podman5_shape);
	tcase_add_loop_test(tc, podman_malformed, 0,
			    sizeof(podman_bad) / sizeof(podman_bad[0]));
	tcase_add_test(tc, podman_probe);
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
