/*
 * test_containers_samples.c - analyzer/sv_containers end to end: both
 * real samples (samples/README.md, made by samples/make-samples.sh from
 * real podman containers) through sv_pipeline_run, checked against what
 * make-samples.sh ran and what the bundle files prove by hand (the
 * commands are in the comment above each case).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_containers.h"
#include "sv_pipeline.h"
#include "sv_time.h"

#define SEC 1000000000LL
#define SRC(s) (1u << (s))

static const struct sv_container_set *g_s;

static const struct sv_cont *find(const char *id)
{
	const struct sv_cont *c = sv_containers_find(g_s, id);

	ck_assert_msg(c != NULL, "no container %s", id);
	return c;
}

static int count_events(const char *kind, const char *id)
{
	const struct sv_event *e;
	int n = 0;

	for (e = g_s->events; e; e = e->next)
		if (strcmp(e->kind, kind) == 0 &&
		    ((!id && !e->container_id) ||
		     (id && e->container_id &&
		      strcmp(e->container_id, id) == 0)))
			n++;
	return n;
}

static const struct sv_event *first_event(const char *kind)
{
	const struct sv_event *e;

	for (e = g_s->events; e; e = e->next)
		if (strcmp(e->kind, kind) == 0)
			return e;
	return NULL;
}

static int has_text(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

/* samples/README.md, "Container ids change at every run" */
#define WEB_I "49812af6ca9239fba7dee6b2a9f9df99" \
	      "d506e99af784dfa520af9d268c2799bf"
#define CLIENT_I "26fb368108fc34ebf70607f561b97aa4" \
		 "ec24c810ce3364a5742e7a37afcef370"
#define HOG_I "26d00411f9a1115c23bf0b9d477171f2" \
	      "1739e24ec6cb6525470eb123549ef253"
#define WEB_C "23578e11f014df1903367081509ce7a7" \
	      "be2a27c0020b85a9873e40d5d74329ec"
#define CLIENT_C "e667324677adf4e9f94989899f740ca2" \
		 "72e158ce0ad360348a3310bd039384bc"
#define ALL_BUT_K (SRC(SV_SRC_PROC) | SRC(SV_SRC_CGROUP) | \
		   SRC(SV_SRC_RUNTIME) | SRC(SV_SRC_INSPECT))

static struct sv_analysis *run_sample(const char *name)
{
	struct sv_pipeline_options o;
	struct sv_analysis *a;
	struct sv_error err;
	char path[1024];

	snprintf(path, sizeof(path), "%s/samples/%s", SV_SOURCE_DIR, name);
	sv_pipeline_options_default(&o);
	sv_error_clear(&err);
	a = sv_pipeline_run(path, &o, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(a->containers);
	g_s = a->containers;
	return a;
}

static int64_t rfc(const char *s)
{
	int64_t ns = 0;

	ck_assert_int_eq(sv_time_parse_rfc3339(s, strlen(s), &ns), 0);
	return ns;
}

/* Within one second of the expected time. */
static void near(int64_t got, const char *want)
{
	int64_t w = rfc(want);

	ck_assert_int_ne(got, SV_TIME_NONE);
	ck_assert_msg(got - w < SEC && w - got < SEC, "%lld vs %s",
		      (long long)got, want);
}

static void plain(const struct sv_cont *c, const char *name)
{
	ck_assert_str_eq(c->name, name);
	ck_assert_int_eq(c->id_full, 1);
	ck_assert_str_eq(c->image, "localhost/salvage-demo:1");
	ck_assert_str_eq(c->image_id, "16db63578749773089665d0fa5fd6d4fe50d9089"
				      "85e4a992c9c87acca8d0785c");
	ck_assert_int_eq(c->runtime, SV_RT_PODMAN);
	ck_assert_int_eq(c->privileged, 0);
	ck_assert_uint_eq(c->n_cap_add, 0);
	ck_assert_uint_eq(c->host_ns, 0);
	ck_assert_uint_eq(c->n_mounts, 0);
	ck_assert_str_eq(c->missing, "");
	ck_assert_uint_eq(c->n_cgroups, 1);
	ck_assert(has_text(c->cgroups[0], "/libpod_parent/libpod-"));
	ck_assert_str_eq(c->cgroups[0] + 22, c->id);
}

/*
 * samples/web-incident.tar.zst (samples/README.md; make-samples.sh ran
 * web, client, hog). With S=samples/web-incident.tar.zst and
 * X='tar --zstd -xOf S --wildcards':
 *  - ids, names, times: $X '*events/podman.jsonl' (13 lines: create,
 *    init, start of web 08:49:54.22/.56/.61, client 08:49:56.07/.50/.55,
 *    exec / exec_died of web 08:49:57.256 / 08:49:59.309, hog create
 *    08:50:04.200, start 08:50:04.924, died 08:50:14.021 with
 *    "ContainerExitCode":137, cleanup);
 *  - images, image id, privileges, init pids: $X '*inspect/[0-9a-f]*.json' |
 *    python3 -c 'import json,sys; ...' gives ImageName
 *    localhost/salvage-demo:1, Image 16db6357..., Privileged false,
 *    CapAdd [], Mounts [], PidMode private, NetworkMode bridge, State.Pid
 *    11264 (web), 11549 (client), 0 (hog: exited, OOMKilled false);
 *  - web's init start: cut -d' ' -f22 of
 *    proc/1795942215.972/11264/stat (the last snapshot) = 774217;
 *  - the OOM kill: $X '*events/dmesg.txt' | grep -n 'Killed process'
 *    -> line 97 "[ 7761.658928] Memory cgroup out of memory: Killed
 *    process 12529 (sh)"; the memcg from line 96's task_memcg=
 *    /libpod_parent/libpod-26d00411...; manifest boot_time 1795934452
 *    -> 1795942213.658928 = 08:50:13.658928Z; starttime of 12529:
 *    cut -d' ' -f22 proc/1795942212.968/12529/stat = 775236;
 *  - processes: after tar -x, grep -l <short id> on the cgroup file of
 *    every proc/T/PID folder, cut -d/ -f3 | sort -u | wc -l: 10 (web),
 *    55 (client), 5 (hog).
 */
START_TEST(incident_sample)
{
	struct sv_analysis *a = run_sample("web-incident.tar.zst");
	const struct sv_cont *web, *client, *hog;
	const struct sv_event *e;

	ck_assert_uint_eq(g_s->n, 3);
	web = find(WEB_I);
	client = find(CLIENT_I);
	hog = find(HOG_I);
	ck_assert_ptr_eq(g_s->list, web);
	ck_assert_ptr_eq(web->next, client);
	ck_assert_ptr_eq(client->next, hog);
	plain(web, "web");
	plain(client, "client");
	plain(hog, "hog");
	ck_assert_uint_eq(web->sources, ALL_BUT_K);
	ck_assert_uint_eq(client->sources, ALL_BUT_K);
	ck_assert_uint_eq(hog->sources, ALL_BUT_K | SRC(SV_SRC_KERNEL));
	near(web->created_ns, "2026-11-29T08:49:54.22080733Z");
	near(web->started_ns, "2026-11-29T08:49:54.612111049Z");
	near(client->created_ns, "2026-11-29T08:49:56.072319329Z");
	near(client->started_ns, "2026-11-29T08:49:56.548056909Z");
	near(hog->created_ns, "2026-11-29T08:50:04.20012976Z");
	near(hog->started_ns, "2026-11-29T08:50:04.924895553Z");
	near(hog->died_ns, "2026-11-29T08:50:14.021220046Z");
	ck_assert_int_eq(web->died_ns, SV_TIME_NONE);
	ck_assert_int_eq(client->died_ns, SV_TIME_NONE);
	ck_assert(web->running && client->running && !hog->running);
	ck_assert_int_eq(hog->has_exit_code, 1);
	ck_assert_int_eq(hog->exit_code, 137);
	ck_assert_uint_eq(hog->oom_kills, 1);
	ck_assert_uint_eq(hog->n_oom_ns, 1);
	ck_assert_int_eq(hog->oom_ns[0], 1795942213658928000LL);
	ck_assert(has_text(hog->notes, "OOMKilled false"));
	ck_assert_uint_eq(web->oom_kills + client->oom_kills, 0);
	ck_assert_uint_eq(web->execs, 1);
	ck_assert_uint_eq(client->execs + hog->execs, 0);
	ck_assert_int_eq(web->init_pid, 11264);
	ck_assert_uint_eq(web->init_start, 774217);
	ck_assert_int_eq(client->init_pid, 11549);
	ck_assert_int_eq(hog->init_pid, -1);
	ck_assert_uint_eq(web->procs, 10);
	ck_assert_uint_eq(client->procs, 55);
	ck_assert_uint_eq(hog->procs, 5);
	ck_assert_uint_eq(web->restarts + client->restarts + hog->restarts, 0);

	e = first_event(SV_EV_CONTAINER_EXEC);
	ck_assert_str_eq(e->message, "podman exec into web");
	ck_assert_str_eq(e->container_id, WEB_I);
	ck_assert_str_eq(e->artifact, "events/podman.jsonl");
	ck_assert_uint_eq(e->line, 7);
	near(e->ts_ns, "2026-11-29T08:49:57.256176382Z");
	e = first_event(SV_EV_CONTAINER_OOM);
	ck_assert_str_eq(e->container_id, HOG_I);
	ck_assert_int_eq(e->pid, 12529);
	ck_assert_uint_eq(e->pid_start, 775236);
	ck_assert_uint_eq(e->line, 97);
	ck_assert_str_eq(e->message,
			 "OOM killer killed pid 12529 (sh) in memory cgroup "
			 "/libpod_parent/libpod-" HOG_I);
	ck_assert_ptr_eq(e->next, first_event(SV_EV_CONTAINER_DIE));
	ck_assert_str_eq(e->next->message, "hog died (podman), exit code 137");
	ck_assert_uint_eq(g_s->n_events, 14); /* 13 podman lines + OOM */
	ck_assert_int_eq(count_events(SV_EV_KERNEL_OOM, NULL), 0);
	sv_analysis_free(a);
}
END_TEST

/*
 * samples/web-clean.tar.zst: web and client only; client's loop ends
 * and podman writes "died" without ContainerExitCode (exit 0) at
 * 08:49:43.905 ($X '*events/podman.jsonl', line 7); no exec, no OOM
 * ($X '*events/dmesg.txt' | grep -c 'Killed process' = 0).
 */
START_TEST(clean_sample)
{
	struct sv_analysis *a = run_sample("web-clean.tar.zst");
	const struct sv_cont *web, *client;

	ck_assert_uint_eq(g_s->n, 2);
	web = find(WEB_C);
	client = find(CLIENT_C);
	plain(web, "web");
	plain(client, "client");
	near(web->started_ns, "2026-11-29T08:49:31.233Z");
	near(client->died_ns, "2026-11-29T08:49:43.905Z");
	ck_assert_int_eq(client->has_exit_code, 1);
	ck_assert_int_eq(client->exit_code, 0);
	ck_assert_uint_eq(web->execs + client->execs, 0);
	ck_assert_uint_eq(web->oom_kills + client->oom_kills, 0);
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_EXEC, WEB_C), 0);
	ck_assert_int_eq(count_events(SV_EV_CONTAINER_DIE, CLIENT_C), 1);
	ck_assert_uint_eq(g_s->n_events, 8);
	sv_analysis_free(a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("containers_samples");
	TCase *e = tcase_create("samples");

	tcase_set_timeout(e, 120);
	tcase_add_test(e, incident_sample);
	tcase_add_test(e, clean_sample);
	suite_add_tcase(s, e);
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
