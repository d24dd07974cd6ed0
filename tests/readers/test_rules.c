/*
 * test_rules.c - models/sv_rules: every built-in rule that the incident
 * sample's scenario (samples/make-samples.sh, real podman containers)
 * should set off does, with the right container, process and evidence;
 * none fires on the clean sample of the same workloads; and the shell
 * rule keeps quiet about a shell talking inside its own container.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_attrib.h"
#include "sv_pipeline.h"
#include "sv_rules.h"

static struct sv_analysis *sample(const char *name)
{
	struct sv_pipeline_options o;
	struct sv_error err;
	char path[512];
	struct sv_analysis *a;

	snprintf(path, sizeof(path), "%s/%s", SV_SAMPLES, name);
	sv_pipeline_options_default(&o);
	a = sv_pipeline_run(path, &o, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert(sv_analysis_input_ok(a));
	return a;
}

static const struct sv_finding *by_rule(const struct sv_analysis *a,
					const char *rule, int *count)
{
	const struct sv_finding *f, *first = NULL;

	*count = 0;
	for (f = a->findings.list; f; f = f->next)
		if (!strcmp(f->rule, rule)) {
			if (!first)
				first = f;
			(*count)++;
		}
	return first;
}

START_TEST(incident_fires)
{
	struct sv_analysis *a = sample("web-incident.tar.zst");
	const struct sv_finding *f;
	int n;

	/* the reverse shell: sh 11832 in web to the host's nc on 4444
	 * (test_attrib.c proves the owners from the bundle's files) */
	f = by_rule(a, "reverse-shell", &n);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(f->severity, SV_SEV_CRITICAL);
	ck_assert_int_eq(f->pid, 11832);
	ck_assert_str_eq(sv_analysis_container_label(a, f->container_id),
			 "web");
	ck_assert_ptr_nonnull(strstr(f->title, "10.89.77.1:4444"));
	ck_assert(f->n_ev >= 1 && f->ev[0].flow &&
		  f->ev[0].flow->b_port == 4444);
	/* Stratum from the fake miner, one finding for web */
	f = by_rule(a, "crypto-mining", &n);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(sv_analysis_container_label(a, f->container_id),
			 "web");
	ck_assert_int_ge(f->n_ev, 2);
	/* /tmp/xmrig, fetched from :8000 and run by sh (two processes) */
	f = by_rule(a, "exec-from-writable-path", &n);
	ck_assert_int_eq(n, 1);
	ck_assert_ptr_nonnull(strstr(f->title, "/tmp/xmrig"));
	ck_assert_int_ge(f->n_ev, 1);
	/* podman exec into web */
	f = by_rule(a, "exec-into-container", &n);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(sv_analysis_container_label(a, f->container_id),
			 "web");
	/* hog's memory cgroup OOM kill */
	f = by_rule(a, "oom-kill", &n);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(sv_analysis_container_label(a, f->container_id),
			 "hog");
	/* nothing privileged in either sample */
	by_rule(a, "privileged-container", &n);
	ck_assert_int_eq(n, 0);
	/* worst first, every finding explained */
	for (f = a->findings.list; f; f = f->next) {
		ck_assert(!f->next || f->next->severity <= f->severity);
		ck_assert(f->why && f->why[0]);
		ck_assert_ptr_nonnull(f->technique);
	}
	ck_assert_uint_eq(a->findings.by_severity[SV_SEV_CRITICAL], 1);
	sv_analysis_free(a);
}
END_TEST

START_TEST(clean_is_quiet)
{
	struct sv_analysis *a = sample("web-clean.tar.zst");

	ck_assert_uint_eq(a->findings.n, 0);
	sv_analysis_free(a);
}
END_TEST

/* A shell talking to a peer in its own container is not a reverse shell;
 * the same shell calling out of it is. */
START_TEST(shell_inside_container)
{
	struct sv_arena *arena = sv_arena_new(0);
	struct sv_owner sh = {"c1", "web", NULL, NULL, 0, 42, 7, "sh",
			      "/bin/sh", 1, 1, "test"};
	struct sv_owner peer = sh, host;
	struct sv_flow f;
	struct sv_rules_input in;
	struct sv_findings out;

	memset(&host, 0, sizeof(host));
	host.is_host = 1;
	host.pid = -1;
	peer.comm = "nc";
	memset(&f, 0, sizeof(f));
	f.id = 1;
	f.proto = 6;
	f.family = 4;
	f.syn_seen = 1;
	f.owner_a = &sh;
	f.owner_b = &peer;
	memset(&in, 0, sizeof(in));
	in.flows = &f;
	sv_rules_run(arena, &in, &out);
	ck_assert_uint_eq(out.n, 0);
	f.owner_b = &host;
	sv_rules_run(arena, &in, &out);
	ck_assert_uint_eq(out.n, 1);
	ck_assert_str_eq(out.list->rule, "reverse-shell");
	f.syn_seen = 0; /* who called whom unknown: no claim */
	sv_rules_run(arena, &in, &out);
	ck_assert_uint_eq(out.n, 0);
	sv_arena_free(arena);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("rules");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, incident_fires);
	tcase_add_test(tc, clean_is_quiet);
	tcase_add_test(tc, shell_inside_container);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
