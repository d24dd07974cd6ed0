/*
 * test_lifecycle_runtime.c - containerd and CRI-O text logs
 * (formats/fmt_runtime_log.c): the logfmt tokenizer, the message table
 * of each daemon, journald prefixes, the JSON log format, and malformed
 * lines.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifecycle_test.h"
#include "sv_time.h"

extern const struct sv_format_ops sv_fmt_containerd_log;
extern const struct sv_format_ops sv_fmt_crio_log;

#define CTRD "events/containerd.log"
#define CRIO "events/crio.log"

#define SB "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
#define C1 "c0ffee0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
#define EX "7f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e"
#define IMG "sha256:3b25b682ea82b2db3cc4fd48db818be788ee3f902ac7378090cf2624" \
	    "ec2442df"
#define POD "web-6b7f9c8d5-k2x4p"
#define CS "5de6117a01ae632c7cf2aac97aaed8cf146b937ff9f4c6f3633b765f3c603ce4"
#define C2 "609109c5e81921b88d9904a03b449e736ce61b87c52b2366cfbf1533d73cdce6"
#define C3 "f5cc75064881398730e622c96e94dfbd1d611e5ad33d5d05322b65963b1f6346"

struct want {
	uint64_t line;
	const char *action, *type, *id, *name, *pod, *ns, *image, *detail;
	int has_exit;
	int64_t exit_code;
};

/* Every record of data/lifecycle/containerd.log, in order. */
static const struct want ctrd[] = {
	{2, "sandbox-start-request", "pod", "", POD, POD, "shop", "", "", 0, 0},
	{3, "sandbox-start", "pod", SB, POD, POD, "shop", "", "", 0, 0},
	{4, "pull-request", "image", "", "", "", "",
	 "docker.io/library/nginx:1.25", "", 0, 0},
	{5, "pull", "image", IMG, "", "", "", "docker.io/library/nginx:1.25",
	 "", 0, 0},
	{6, "create-request", "container", "", "web", "", "", "",
	 "sandbox=" SB, 0, 0},
	{7, "create", "container", C1, "web", "", "", "", "sandbox=" SB, 0, 0},
	{8, "start-request", "container", C1, "", "", "", "", "", 0, 0},
	{9, "start", "container", C1, "", "", "", "", "", 0, 0},
	{10, "exec-request", "container", C1, "", "", "", "",
	 "sh -c id; cat /etc/shadow", 0, 0},
	{11, "exec", "container", C1, "", "", "", "", "", 0, 0},
	{12, "exec-exit", "container", C1, "", "", "", "", "exec=" EX, 1, 0},
	{13, "exec-sync-request", "container", C1, "", "", "", "",
	 "/bin/sh -c curl -fs localhost/healthz", 0, 0},
	{14, "oom", "container", C1, "", "", "", "", "", 0, 0},
	{15, "exit", "container", C1, "", "", "", "", "", 1, 137},
	{16, "shim-disconnected", "container", C1, "", "", "", "", "", 0, 0},
	{17, "log", "", "", "", "", "", "",
	 "cleaning up after shim disconnected", 0, 0},
	{18, "stop-request", "container", C1, "", "", "", "", "", 0, 0},
	{19, "kill", "container", C1, "", "", "", "", "signal=terminated", 0,
	 0},
	{20, "stop-failed", "container", C1, "", "", "", "",
	 "rpc error: code = NotFound desc = an error occurred when try to "
	 "find container \"c0ffee01\": not found",
	 0, 0},
	{21, "exit", "container", SB, "", "", "", "", "", 1, 0},
	{22, "remove", "container", C1, "", "", "", "", "", 0, 0},
	{23, "sandbox-stop", "pod", SB, "", "", "", "", "", 0, 0},
	{24, "sandbox-remove", "pod", SB, "", "", "", "", "", 0, 0},
	{25, "log", "", "", "", "", "", "",
	 "Finish piping stderr of container \"5f375258492e89b8bb4138cc826ab9b"
	 "53a6ff7cd7f0d31b615c68f9d05fc3027\"",
	 0, 0},
	{26, "start", "container",
	 "d00dfeed0123456789abcdef0123456789abcdef0123456789abcdef01234567", "",
	 "", "", "", "", 0, 0},
};

static const struct want crio[] = {
	{1, "sandbox-start-request", "pod", "", "POD", POD, "shop", "", "", 0,
	 0},
	{2, "sandbox-start", "pod", CS, "POD", POD, "shop", "", "", 0, 0},
	{3, "pull-request", "image", "", "", "", "",
	 "docker.io/library/nginx:1.25", "", 0, 0},
	{4, "pull", "image", "", "", "", "",
	 "docker.io/library/nginx@sha256:3b25b682ea82b2db3cc4fd48db818be788ee3"
	 "f902ac7378090cf2624ec2442df",
	 "", 0, 0},
	{5, "create-request", "container", "", "web", POD, "shop", "", "", 0,
	 0},
	{6, "create", "container", C2, "web", POD, "shop", "", "", 0, 0},
	{7, "start-request", "container", C2, "", "", "", "", "", 0, 0},
	{8, "start", "container", C2, "web", POD, "shop", "", "", 0, 0},
	{9, "start", "container", C3, "busybox", "testcontainer", "default", "",
	 "", 0, 0},
	{10, "stop-request", "container", C2, "", "", "", "", "", 0, 0},
	{11, "exit", "container", C2, "", "", "", "", "", 0, 0},
	{12, "stop", "container", C2, "web", POD, "shop", "", "", 0, 0},
	{13, "remove-request", "container", C2, "", "", "", "", "", 0, 0},
	{14, "remove", "container", C2, "web", POD, "shop", "", "", 0, 0},
	{15, "sandbox-stop-request", "pod", CS, "", "", "", "", "", 0, 0},
	{16, "sandbox-stop", "pod", CS, "", "", "", "", "", 0, 0},
	{17, "sandbox-stop", "pod", CS, "", "", "", "", "", 0, 0},
	{18, "sandbox-remove-request", "pod", CS, "", "", "", "", "", 0, 0},
	{19, "sandbox-remove", "pod", CS, "", "", "", "", "", 0, 0},
	{20, "log", "", "", "", "", "", "",
	 "Checking image status: docker.io/library/nginx:1.25", 0, 0},
};

static void check_want(const struct lt_run *r, const struct want *w,
		       size_t i, enum sv_runtime rt)
{
	const struct sv_runtime_event *e;

	ck_assert_uint_gt(r->nrec, i);
	e = &r->rec[i].u.runtime;
	ck_assert_int_eq(r->rec[i].type, SV_REC_RUNTIME_EVENT);
	ck_assert_int_eq(e->runtime, rt);
	ck_assert_uint_eq(r->rec[i].line, w->line);
	ck_assert_str_eq(e->action, w->action);
	ck_assert_str_eq(e->type, w->type);
	ck_assert_str_eq(e->id, w->id);
	ck_assert_str_eq(e->name, w->name);
	ck_assert_str_eq(e->pod, w->pod);
	ck_assert_str_eq(e->k8s_namespace, w->ns);
	ck_assert_str_eq(e->image, w->image);
	ck_assert_str_eq(e->detail, w->detail);
	ck_assert_int_eq(e->has_exit_code, w->has_exit);
	if (w->has_exit)
		ck_assert_int_eq(e->exit_code, w->exit_code);
	ck_assert(r->rec[i].ts_ns != SV_TIME_NONE);
}

START_TEST(containerd_record)
{
	struct lt_run *r = lt_new();

	lt_parse_file(r, &sv_fmt_containerd_log, CTRD, "containerd.log");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nprob, 0);
	ck_assert_uint_eq(r->nrec, sizeof(ctrd) / sizeof(ctrd[0]));
	check_want(r, &ctrd[_i], (size_t)_i, SV_RT_CONTAINERD);
	lt_free(r);
}
END_TEST

START_TEST(crio_record)
{
	struct lt_run *r = lt_new();

	lt_parse_file(r, &sv_fmt_crio_log, CRIO, "crio.log");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nprob, 0);
	ck_assert_uint_eq(r->nrec, sizeof(crio) / sizeof(crio[0]));
	check_want(r, &crio[_i], (size_t)_i, SV_RT_CRIO);
	lt_free(r);
}
END_TEST

START_TEST(times)
{
	struct lt_run *r = lt_new();

	lt_parse_file(r, &sv_fmt_containerd_log, CTRD, "containerd.log");
	ck_assert_int_eq(r->rec[0].ts_ns, 1764392000101010101LL);
	/* +09:00 offset */
	ck_assert_int_eq(r->rec[23].ts_ns, 1574053330500000000LL);
	/* the JSON log format line */
	ck_assert_int_eq(r->rec[24].ts_ns, 1764392220123456789LL);
	lt_reset(r);
	lt_parse_file(r, &sv_fmt_crio_log, CRIO, "crio.log");
	/* CRI-O's space separator */
	ck_assert_int_eq(r->rec[0].ts_ns, 1764392000100000001LL);
	/* -08:00 offset */
	ck_assert_int_eq(r->rec[8].ts_ns, 1574059265250000000LL);
	lt_free(r);
}
END_TEST

/* Malformed lines: the bad line is reported, the good one still read. */
struct bad_case {
	const char *name;
	const struct sv_format_ops *ops;
	const char *input;
	enum sv_status rc;
	size_t nrec;
	uint64_t line;
	const char *problem;
};

#define T "time=\"2025-11-29T04:53:20Z\" "
#define GOODC T "level=info msg=\"StartContainer for \\\"" C1 "\\\" " \
		"returns successfully\"\n"

static const struct bad_case bad[] = {
	{"empty", &sv_fmt_containerd_log, "", SV_OK, 0, 0, NULL},
	{"journal markers only", &sv_fmt_containerd_log,
	 "-- No entries --\n\n", SV_OK, 0, 0, NULL},
	{"not logfmt", &sv_fmt_containerd_log,
	 "panic: runtime error\n" GOODC, SV_WARN, 1, 1, "neither logfmt"},
	{"only prose", &sv_fmt_crio_log, "hello\nworld\n", SV_ERR_CORRUPT, 0,
	 2, "neither logfmt"},
	{"no time", &sv_fmt_containerd_log,
	 "level=info msg=\"StartContainer for \\\"x\\\"\"\n", SV_WARN, 1, 1,
	 "no time="},
	{"bad time", &sv_fmt_containerd_log,
	 "time=\"yesterday\" level=info msg=\"hi\"\n", SV_WARN, 1, 1,
	 "not an RFC 3339"},
	{"unterminated quote", &sv_fmt_containerd_log,
	 T "level=info msg=\"StartContainer for \\\"x\n" GOODC, SV_WARN, 2, 1,
	 "no closing quote"},
	{"exit status huge", &sv_fmt_containerd_log,
	 T "msg=\"TaskExit event &TaskExit{ContainerID:abc,ID:abc,Pid:1,"
	   "ExitStatus:99999999999999999999,}\"\n",
	 SV_WARN, 1, 1, "exit status"},
	{"exit status text", &sv_fmt_containerd_log,
	 T "msg=\"received exit event container_id:\\\"abc\\\" id:\\\"abc\\\" "
	   "exit_status:lots\"\n",
	 SV_WARN, 1, 1, "exit status"},
	{"task exit without fields", &sv_fmt_containerd_log,
	 T "msg=\"TaskExit event &TaskExit{}\"\n", SV_WARN, 1, 1,
	 "no id in a 'exit'"},
	{"start without id", &sv_fmt_containerd_log,
	 T "msg=\"StartContainer for \\\"\\\" returns successfully\"\n",
	 SV_WARN, 1, 1, "no id in a 'start' message"},
	{"binary garbage", &sv_fmt_containerd_log,
	 "\x01\x02\xff\xfe\x80\n" GOODC, SV_WARN, 1, 1, "neither logfmt"},
	{"broken json", &sv_fmt_containerd_log,
	 "{\"level\":\"info\",\"msg\":\n" GOODC, SV_WARN, 1, 1,
	 "neither logfmt"},
	{"crio start without id", &sv_fmt_crio_log,
	 T "msg=\"Started container\"\n", SV_WARN, 1, 1, "no id in a 'start'"},
	{"crio bad description", &sv_fmt_crio_log,
	 T "msg=\"Created container " C2 ": only-one-part\"\n", SV_OK, 1, 0,
	 NULL},
	{"value without key", &sv_fmt_crio_log,
	 T "=oops msg=\"Removed pod sandbox: " CS "\" ===\n", SV_OK, 1, 0,
	 NULL},
};

START_TEST(malformed)
{
	const struct bad_case *c = &bad[_i];
	struct lt_run *r = lt_new();

	lt_parse(r, c->ops, c->ops == &sv_fmt_crio_log ? CRIO : CTRD,
		 c->input, strlen(c->input));
	ck_assert_msg(r->rc == c->rc, "%s: rc %d, want %d", c->name, r->rc,
		      c->rc);
	ck_assert_msg(r->nrec == c->nrec, "%s: %zu records, want %zu",
		      c->name, r->nrec, c->nrec);
	if (c->problem)
		ck_assert_msg(lt_problem(r, c->line, c->problem) >= 0,
			      "%s: no problem '%s' at %llu (first: %s)",
			      c->name, c->problem,
			      (unsigned long long)c->line,
			      r->nprob ? r->prob[0].msg : "none");
	else
		ck_assert_msg(r->nprob == 0, "%s: %s", c->name,
			      r->prob[0].msg);
	lt_free(r);
}
END_TEST

START_TEST(bad_values_kept_apart)
{
	struct lt_run *r = lt_new();

	lt_parse(r, &sv_fmt_crio_log, CRIO,
		 T "msg=\"Created container " C2 ": only-one-part\"\n",
		 strlen(T "msg=\"Created container " C2 ": only-one-part\"\n"));
	ck_assert_str_eq(r->rec[0].u.runtime.id, C2);
	ck_assert_str_eq(r->rec[0].u.runtime.name, "");
	ck_assert_str_eq(r->rec[0].u.runtime.detail, "only-one-part");
	lt_free(r);
}
END_TEST

START_TEST(line_over_limit)
{
	size_t big = (64u << 10) + 10, g = strlen(GOODC);
	char *in = malloc(big + 2 * g + 1);
	struct lt_run *r = lt_new();

	ck_assert_ptr_nonnull(in);
	memcpy(in, GOODC, g);
	memset(in + g, 'x', big);
	in[g + big] = '\n';
	memcpy(in + g + big + 1, GOODC, g);
	lt_parse(r, &sv_fmt_containerd_log, CTRD, in, big + 2 * g + 1);
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(r->nrec, 2);
	ck_assert_uint_eq(r->rec[1].line, 3);
	ck_assert_int_ge(lt_problem(r, 2, "longer than"), 0);
	free(in);
	lt_free(r);
}
END_TEST

START_TEST(too_many_pairs)
{
	char in[4096];
	size_t o = 0;
	int i;
	struct lt_run *r = lt_new();

	o += (size_t)snprintf(in, sizeof(in), "%s", GOODC);
	in[--o] = '\0'; /* drop the newline: pairs follow */
	for (i = 0; i < 60; i++)
		o += (size_t)snprintf(in + o, sizeof(in) - o, " k%d=v", i);
	in[o++] = '\n';
	lt_parse(r, &sv_fmt_containerd_log, CTRD, in, o);
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_str_eq(r->rec[0].u.runtime.action, "start");
	ck_assert_int_ge(lt_problem(r, 1, "more than 48"), 0);
	lt_free(r);
}
END_TEST

START_TEST(long_message_cut)
{
	size_t n = 10000, p = strlen(T "msg=\"");
	char *in = malloc(p + n + 3);
	struct lt_run *r = lt_new();

	ck_assert_ptr_nonnull(in);
	memcpy(in, T "msg=\"", p);
	memset(in + p, 'm', n);
	memcpy(in + p + n, "\"\n", 2);
	lt_parse(r, &sv_fmt_crio_log, CRIO, in, p + n + 2);
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_uint_eq(strlen(r->rec[0].u.runtime.detail), 4096);
	ck_assert_int_ge(lt_problem(r, 1, "cut at 4096"), 0);
	free(in);
	lt_free(r);
}
END_TEST

START_TEST(escapes)
{
	static const char in[] =
		T "level=error msg=\"a\\tb\\nc \\\\ \\u00e9 \\\"q\\\"\"\n";
	struct lt_run *r = lt_new();

	lt_parse(r, &sv_fmt_containerd_log, CTRD, in, sizeof(in) - 1);
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_str_eq(r->rec[0].u.runtime.detail,
			 "a\tb\nc \\ \\u00e9 \"q\"");
	lt_free(r);
}
END_TEST

START_TEST(record_error_stops)
{
	struct lt_run *r = lt_new();

	r->stop_after = 3;
	r->stop_with = SV_ERR_NOMEM;
	lt_parse_file(r, &sv_fmt_crio_log, CRIO, "crio.log");
	ck_assert_int_eq(r->rc, SV_ERR_NOMEM);
	ck_assert_uint_eq(r->nrec, 3);
	lt_free(r);
}
END_TEST

START_TEST(probe)
{
	ck_assert_int_eq(lt_probe(&sv_fmt_containerd_log, CTRD, "time="), 100);
	ck_assert_int_eq(lt_probe(&sv_fmt_containerd_log, CRIO, "time="), 0);
	ck_assert_int_eq(lt_probe(&sv_fmt_crio_log, CRIO, "{\"level\""), 100);
	ck_assert_int_eq(lt_probe(&sv_fmt_crio_log, "events/podman.jsonl",
				  "time="),
			 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lifecycle_runtime");
	TCase *tc = tcase_create("runtime_log");

	tcase_add_loop_test(tc, containerd_record, 0,
			    sizeof(ctrd) / sizeof(ctrd[0]));
	tcase_add_loop_test(tc, crio_record, 0,
			    sizeof(crio) / sizeof(crio[0]));
	tcase_add_test(tc, times);
	tcase_add_loop_test(tc, malformed, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, bad_values_kept_apart);
	tcase_add_test(tc, line_over_limit);
	tcase_add_test(tc, too_many_pairs);
	tcase_add_test(tc, long_message_cut);
	tcase_add_test(tc, escapes);
	tcase_add_test(tc, record_error_stops);
	tcase_add_test(tc, probe);
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
