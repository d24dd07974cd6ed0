/*
 * test_resources_real.c - analyzer/sv_resources on real cgroup files,
 * through sv_pipeline_run: cgroup v2 files of the corpus in a generated
 * bundle, and samples/web-incident.tar.zst, whose hog's memory, the
 * miner's CPU in web and the pids are checked against numbers computed
 * by hand from the bundle's files (commands above each case).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_pipeline.h"
#include "sv_resources.h"
#include "sv_testbundle.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MS 1000000LL
#define EPS 1e-9

#define ID_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define PB "system.slice/docker-" ID_B ".scope"

/* Series m of g equals want (NAN: a gap). */
static void series(const struct sv_res_group *g, enum sv_res_metric m,
		   const double *want, int n)
{
	int i;

	ck_assert_msg(g->v[m], "%s: no series", sv_res_metric_name(m));
	ck_assert_int_eq((int)g->n, n);
	for (i = 0; i < n; i++) {
		if (isnan(want[i]))
			ck_assert_msg(isnan(g->v[m][i]), "%s[%d] not a gap",
				      sv_res_metric_name(m), i);
		else
			ck_assert_double_eq_tol(g->v[m][i], want[i], EPS);
	}
}

/* ---------------------------------------------------- real v2 files */

#define DOCKER1 \
	"043b521509b63b46e785a897f9264cecb3531ebc83d5072fcaeeeae6336bce57"
#define DOCKER2 \
	"1a38a7677732c264a914122d82b7b03e083fdadf8d0586b9df57db33a8f62e0c"
#define CORPUS SV_READER_DATA "/cgroup/corpus/"

static const char *const telegraf_files[] = {
	"cpu.max", "cpu.pressure", "cpu.stat", "io.stat", "memory.current",
	"memory.events", "memory.max", "memory.peak", "memory.stat",
	"pids.current", "pids.events", "pids.max",
};

/* Copy a corpus file into the bundle at both snapshots. */
static void corpus_file(struct tb *b, const char *from, const char *to)
{
	static const char *const snaps[] = {"1795939201.000",
					    "1795939203.000"};
	char path[512];
	size_t n, i;
	char *data = tb_read_file(from, &n);

	ck_assert_msg(data != NULL, "cannot read %s", from);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "cgroup/%s/%s", snaps[i], to);
		tb_add(b, path, data, n);
	}
	free(data);
}

/*
 * cgroup v2 files as the kernel wrote them (data/SOURCES.md: telegraf's
 * v2 testdata, one cgroup of a 96-CPU host, placed here as a docker
 * scope; fluent-bit's two docker-on-v2 scopes), read by fmt_cgroup
 * through the pipeline at two snapshots 2 s apart with the same bytes.
 * Gauges are the files' numbers (cd data/cgroup/corpus/telegraf/v2;
 * cat memory.current memory.max memory.peak pids.current pids.max
 * cpu.max; grep -E '^(anon|file) ' memory.stat); every interval is 0:
 * the counters did not move; no event.
 */
START_TEST(corpus_v2)
{
	static const double zero[] = {NAN, 0};
	struct tb *b = tb_new();
	struct sv_pipeline_options o;
	struct sv_analysis *a;
	struct sv_error err;
	const struct sv_res_group *g;
	char *tmp = tb_tmpdir(), *dir, from[512], to[512];
	int i;

	tb_add_manifest(b);
	for (i = 0; i < N(telegraf_files); i++) {
		snprintf(from, sizeof(from), CORPUS "telegraf/v2/%s",
			 telegraf_files[i]);
		snprintf(to, sizeof(to), PB "/%s", telegraf_files[i]);
		corpus_file(b, from, to);
	}
	for (i = 0; i < 2; i++) {
		const char *id = i ? DOCKER2 : DOCKER1;
		const char *const f[] = {"cpu.stat", "memory.current",
					 "memory.max"};
		int k;

		for (k = 0; k < 3; k++) {
			snprintf(from, sizeof(from),
				 CORPUS "fluentbit-docker/cgroupv2/"
					"system.slice/docker-%s.scope/%s",
				 id, f[k]);
			snprintf(to, sizeof(to),
				 "system.slice/docker-%s.scope/%s", id, f[k]);
			corpus_file(b, from, to);
		}
	}
	dir = tb_join(tmp, "corpus-v2");
	ck_assert_int_eq(tb_write_dir(b, dir), 0);
	sv_pipeline_options_default(&o);
	a = sv_pipeline_run(dir, &o, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->resources.n_groups, 3);
	ck_assert_uint_eq(a->resources.n_events, 0);
	g = sv_resources_find(&a->resources, ID_B);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->n, 2);
	ck_assert_int_eq(g->v2, 1);
	ck_assert_double_eq(g->v[SV_RES_MEM_USAGE][1], 13071106048.0);
	ck_assert_double_eq(g->v[SV_RES_MEM_LIMIT][1], 103079215104.0);
	ck_assert_double_eq(g->v[SV_RES_MEM_PEAK][1], 87302021120.0);
	ck_assert_double_eq(g->v[SV_RES_MEM_RSS][0], 2471755776.0);
	ck_assert_double_eq(g->v[SV_RES_MEM_CACHE][0], 8532865024.0);
	ck_assert_double_eq(g->v[SV_RES_PIDS][0], 592.0);
	ck_assert_double_eq(g->v[SV_RES_PIDS_MAX][0], 629145.0);
	ck_assert_double_eq(g->v[SV_RES_CPU_LIMIT][0], 48.0);
	ck_assert_double_eq_tol(g->sum.mem_peak_ratio,
				87302021120.0 / 103079215104.0, EPS);
	series(g, SV_RES_CPU_CORES, zero, 2);
	series(g, SV_RES_CPU_THROTTLED, zero, 2);
	series(g, SV_RES_CPU_THR_SHARE, zero, 2);
	series(g, SV_RES_IO_READ, zero, 2);
	series(g, SV_RES_IO_WRITE, zero, 2);
	series(g, SV_RES_MEM_FAILURES, zero, 2);
	series(g, SV_RES_MEM_OOM_KILLS, zero, 2);
	series(g, SV_RES_PIDS_FAILURES, zero, 2);
	g = sv_resources_find(&a->resources, DOCKER1);
	ck_assert_ptr_nonnull(g);
	ck_assert_double_eq(g->v[SV_RES_MEM_USAGE][0], 1208320.0);
	ck_assert(isinf(g->v[SV_RES_MEM_LIMIT][0]));
	ck_assert(isnan(g->sum.mem_peak_ratio));
	series(g, SV_RES_CPU_CORES, zero, 2);
	g = sv_resources_find(&a->resources, DOCKER2);
	ck_assert_ptr_nonnull(g);
	ck_assert_double_eq(g->v[SV_RES_MEM_LIMIT][1], 314572800.0);
	ck_assert_double_eq_tol(g->sum.mem_peak_ratio, 823296.0 / 314572800,
				EPS);
	sv_analysis_free(a);
	tb_free(b);
	tb_rmrf(tmp);
	free(dir);
	free(tmp);
}
END_TEST

/* ---------------------------------------------------- the real sample */

#define WEB "49812af6ca9239fba7dee6b2a9f9df99d506e99af784dfa520af9d268c2799bf"
#define HOG "26d00411f9a1115c23bf0b9d477171f21739e24ec6cb6525470eb123549ef253"
#define CLIENT \
	"26fb368108fc34ebf70607f561b97aa4ec24c810ce3364a5742e7a37afcef370"
#define T0 1795942000LL   /* snapshot times below are T0 + ms / 1000 */

static int64_t snap(int64_t ms_after_t0)
{
	return (T0 * 1000 + ms_after_t0) * MS;
}

/*
 * samples/web-incident.tar.zst (samples/README.md: web, client, hog; ids
 * there). Proof by hand, from a copy unpacked with
 *   tar -xf samples/web-incident.tar.zst && cd web-incident/cgroup
 *
 * hog's memory (9 snapshots, 1795942204.922 .. 1795942212.968):
 *   for T in 1795*; do f=$T/memory/libpod_parent/libpod-26d0*; [ -d $f ] &&
 *     echo $T $(cat $f/memory.usage_in_bytes $f/memory.max_usage_in_bytes
 *     $f/memory.limit_in_bytes $f/memory.failcnt) $(grep oom_kill
 *     $f/memory.oom_control); done
 * usage 3633152 6053888 7000064 9162752 13725696 12259328 16883712
 * 15192064 17350656; the high-water mark 28844032 at 1795942211.968, then
 * 33124352 (98.7% of the 33554432 limit) at 1795942212.968; failcnt 0 and
 * oom_kill 0 in every snapshot, and no hog folder from 1795942213.968 on.
 * The OOM kill itself is in events/dmesg.txt at [7761.658928] s after
 * boot, boot_time 1795934452 (manifest.json): 1795942213.66 (btime is
 * whole seconds), after the last snapshot that shows hog. So no cgroup
 * file shows oom_kill 0 -> 1 and the module must not invent one: no
 * resource.oom, but memory at its limit in (211.968, 212.968] and
 * gone_ns 213.968.
 *
 * web's CPU (cpuacct.usage, ns):
 *   for T in 1795*; do echo $T $(cat
 *     $T/cpuacct/libpod_parent/libpod-4981*[0-9a-f]/cpuacct.usage); done
 * 202.809 -> 1514129585, 203.835 -> 2403935776: 0.8673 cores, the peak;
 * xmrig (started by the reverse shell 7.5 s after the start,
 * 1795942201.2, burning CPU for 9 s) puts every interval ending at 201.860
 * .. 209.977 at 0.32 .. 0.87 cores, the others under 0.08.
 *   for T in 1795*; do cat
 *     $T/pids/libpod_parent/libpod-4981*[0-9a-f]/pids.current; done
 * 1 1 2 2 3 2 2 7 ... (7 from 201.860: sh, nc, xmrig, its burner) and
 * pids.max 2048 everywhere; pids.events "max 0", cpu.stat nr_throttled 0,
 * cpu.cfs_quota_us -1: no event of any kind in the bundle.
 */
START_TEST(incident_sample)
{
	static const uint64_t hog_use[] = {3633152, 6053888, 7000064,
					   9162752, 13725696, 12259328,
					   16883712, 15192064, 17350656};
	struct sv_pipeline_options o;
	struct sv_error err;
	struct sv_analysis *a;
	const struct sv_resources_result *res;
	const struct sv_res_group *g;
	double want;
	uint64_t i;

	sv_pipeline_options_default(&o);
	a = sv_pipeline_run(SV_SOURCE_DIR "/samples/web-incident.tar.zst", &o,
			    &err);
	ck_assert_ptr_nonnull(a);
	res = &a->resources;
	ck_assert_uint_eq(res->stats.nomem, 0);
	ck_assert_uint_eq(res->stats.groups, 3);
	ck_assert_uint_eq(res->stats.containers, 3);
	ck_assert_uint_eq(res->stats.snapshots, 22);
	ck_assert_uint_eq(res->stats.samples_dropped, 0);
	ck_assert_uint_eq(res->stats.groups_dropped, 0);
	ck_assert_uint_eq(res->n_events, 0);

	/* hog */
	g = sv_resources_find(res, HOG);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->n, 9);
	ck_assert_int_eq(g->ts_ns[0], snap(204922));
	ck_assert_int_eq(g->ts_ns[8], snap(212968));
	for (i = 0; i < 9; i++)
		ck_assert_double_eq(g->v[SV_RES_MEM_USAGE][i],
				    (double)hog_use[i]);
	ck_assert_double_eq(g->v[SV_RES_MEM_PEAK][8], 33124352.0);
	ck_assert_double_eq(g->sum.mem_limit, 33554432.0);
	ck_assert_double_eq_tol(g->sum.mem_peak_ratio, 33124352.0 / 33554432,
				EPS);
	ck_assert_double_eq_tol(g->sum.mem_at_limit_s, 1.0, EPS);
	ck_assert_int_eq(g->sum.gone_ns, snap(213968));
	ck_assert_uint_eq(g->sum.oom_kills, 0);
	ck_assert_uint_eq(g->sum.mem_failures, 0);
	ck_assert_double_eq(g->sum.m[SV_RES_PIDS_MAX].peak, 2048.0);

	/* web: the miner's CPU */
	g = sv_resources_find(res, WEB);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->n, 22);
	ck_assert_int_eq(g->v1, 1);
	ck_assert_int_eq(g->v2, 1);   /* unified/cpu.stat, not used */
	ck_assert_str_eq(g->src[SV_RES_CPU_CORES], "cpuacct.usage");
	want = (2403935776.0 - 1514129585.0) / 1.026e9;
	ck_assert_double_eq_tol(g->sum.m[SV_RES_CPU_CORES].peak, want, EPS);
	ck_assert_int_eq(g->sum.m[SV_RES_CPU_CORES].peak_ns, snap(203835));
	for (i = 1; i < g->n; i++) {
		double c = g->v[SV_RES_CPU_CORES][i];
		int miner = g->ts_ns[i] >= snap(201860) &&
			    g->ts_ns[i] <= snap(209977);

		ck_assert_msg(miner ? c > 0.3 : c < 0.08,
			      "web cores %g at %lld", c,
			      (long long)g->ts_ns[i]);
	}
	ck_assert_double_eq(g->sum.m[SV_RES_PIDS].peak, 7.0);
	ck_assert_int_eq(g->sum.m[SV_RES_PIDS].peak_ns, snap(201860));
	ck_assert_double_eq(g->v[SV_RES_PIDS][0], 1.0);
	ck_assert_double_eq(g->v[SV_RES_PIDS][21], 1.0);
	/* blkio "Total 0" only: no I/O, as zeros */
	ck_assert_double_eq(g->sum.m[SV_RES_IO_READ].peak, 0.0);
	ck_assert_uint_eq(g->sum.m[SV_RES_IO_READ].n, 21);
	ck_assert(isnan(g->sum.cpu_limit));

	/* client: from the second snapshot to the end */
	g = sv_resources_find(res, CLIENT);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->n, 21);
	ck_assert_int_eq(g->sum.first_ns, snap(195808));
	ck_assert_int_eq(g->sum.gone_ns, INT64_MIN);
	/* report order: by first snapshot */
	ck_assert_str_eq(res->groups->container_id, WEB);
	ck_assert_str_eq(res->groups->next->container_id, CLIENT);
	ck_assert_str_eq(res->groups->next->next->container_id, HOG);
	sv_analysis_free(a);
}
END_TEST

static Suite *resources_real_suite(void)
{
	Suite *s = suite_create("resources_real");
	TCase *tc = tcase_create("real");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, corpus_v2);
	tcase_add_test(tc, incident_sample);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(resources_real_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
