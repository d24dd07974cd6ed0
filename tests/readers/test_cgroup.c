/*
 * test_cgroup.c - formats/fmt_cgroup: real cgroup v1, v2 and hybrid files
 * (this machine's /sys/fs/cgroup, a sample bundle's podman container, the
 * telegraf and fluent-bit corpus; data/SOURCES.md), every file shape, the
 * path rules, and every kind of malformed input.
 */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "kt_harness.h"
#include "sv_time.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DATA SV_KT_DATA "/cgroup/"
#define CG "cgroup/" KT_T "/"

#define S_ID "26d00411f9a1115c23bf0b9d477171f21739e24ec6cb6525470eb123549ef253"
#define D1_ID "3d02975d4378f74f9a5005206e14745ce76947d970fad44ac6a5c5b80a3ccdf0"
#define D2_ID "043b521509b63b46e785a897f9264cecb3531ebc83d5072fcaeeeae6336bce57"
#define P_ID "8a19d6058bfbe88cd0548eba9047d94c70161f5d74b545c7504b2f27491686d9"
#define PODMAN "libpod_parent/libpod-" S_ID

extern const struct sv_format_ops sv_fmt_cgroup;

enum { F_MAX = 1, F_FLOAT = 2 };

struct want {
	const char *subject, *key; /* NULL ends the list */
	uint64_t value;
	int flags;
	double fvalue;             /* checked with F_FLOAT */
};

#define W(s, k, v) {s, k, v, 0, 0}
#define WMAX(s, k) {s, k, UINT64_MAX, F_MAX, 0}
#define WF(s, k, v, f) {s, k, v, F_FLOAT, f}

/* The record of subject/key (the first one), or NULL. */
static const struct sv_record *find(const struct kt_run *r, const char *subject,
				    const char *key)
{
	size_t i;

	for (i = 0; i < r->nrec; i++)
		if (!strcmp(r->rec[i].u.cgroup.subject, subject) &&
		    !strcmp(r->rec[i].u.cgroup.key, key))
			return &r->rec[i];
	return NULL;
}

static void check_wants(const struct kt_run *r, const char *what,
			const struct want *w, size_t n)
{
	size_t i;

	for (i = 0; i < n && w[i].subject; i++) {
		const struct sv_record *rec = find(r, w[i].subject, w[i].key);
		const struct sv_cgroup_value *v;

		ck_assert_msg(rec, "%s: no record '%s' '%s'", what,
			      w[i].subject, w[i].key);
		v = &rec->u.cgroup;
		ck_assert_msg(v->value == w[i].value, "%s: %s %s = %llu", what,
			      w[i].subject, w[i].key,
			      (unsigned long long)v->value);
		ck_assert_int_eq(v->is_max, !!(w[i].flags & F_MAX));
		ck_assert_int_eq(v->is_float, !!(w[i].flags & F_FLOAT));
		if (w[i].flags & F_FLOAT)
			ck_assert_double_eq_tol(v->fvalue, w[i].fvalue, 1e-9);
		else if (!(w[i].flags & F_MAX))
			ck_assert_double_eq(v->fvalue, (double)w[i].value);
	}
}

/* Every record of a run: the envelope and the names of its file. */
static void check_envelope(const struct kt_run *r, int64_t ts,
			   const char *cgroup, const char *controller,
			   const char *file)
{
	size_t i;

	for (i = 0; i < r->nrec; i++) {
		const struct sv_record *rec = &r->rec[i];

		ck_assert_int_eq(rec->type, SV_REC_CGROUP_VALUE);
		ck_assert_int_eq(rec->ts_ns, ts);
		ck_assert_uint_eq(rec->pid, 0);
		ck_assert_uint_ge(rec->line, 1);
		if (cgroup)
			ck_assert_str_eq(rec->u.cgroup.cgroup, cgroup);
		if (controller)
			ck_assert_str_eq(rec->u.cgroup.controller, controller);
		if (file)
			ck_assert_str_eq(rec->u.cgroup.file, file);
	}
}

/* ---- real files ---- */

struct file_case {
	const char *data;   /* below data/cgroup/ */
	const char *leaf;   /* below cgroup/<T>/ */
	enum sv_status rc;
	int nrec, nprob;
	const char *cgroup, *controller;
	struct want w[4];
};

static const struct file_case files[] = {
	/* this machine: cgroup v1 + unified (hybrid), root cgroups */
	{"host/memory/memory.stat", "memory/memory.stat", SV_OK, 42, 0, "",
	 "memory",
	 {W("", "cache", 9752576), W("", "rss", 7770112),
	  WMAX("", "hierarchical_memory_limit"),
	  WMAX("", "hierarchical_memsw_limit")}},
	{"host/memory/memory.oom_control", "memory/memory.oom_control", SV_OK,
	 3, 0, "", "memory",
	 {W("", "oom_kill_disable", 0), W("", "under_oom", 0),
	  W("", "oom_kill", 0)}},
	{"host/memory/memory.numa_stat", "memory/memory.numa_stat", SV_OK, 16,
	 0, "", "memory",
	 {W("total", "", 4278), W("total", "N0", 4278),
	  W("hierarchical_anon", "N0", 42657)}},
	{"host/memory/memory.limit_in_bytes", "memory/memory.limit_in_bytes",
	 SV_OK, 1, 0, "", "memory", {WMAX("", "")}},
	{"host/memory/memory.kmem.tcp.limit_in_bytes",
	 "memory/memory.kmem.tcp.limit_in_bytes", SV_OK, 1, 0, "", "memory",
	 {WMAX("", "")}},
	{"host/memory/memory.kmem.slabinfo", "memory/memory.kmem.slabinfo",
	 SV_OK, 0, 0, NULL, NULL, {{0}}},
	{"host/memory/libpod_parent/conmon/memory.usage_in_bytes",
	 "memory/libpod_parent/conmon/memory.usage_in_bytes", SV_OK, 1, 0,
	 "libpod_parent/conmon", "memory", {W("", "", 2830336)}},
	{"host/memory/libpod_parent/conmon/memory.soft_limit_in_bytes",
	 "memory/libpod_parent/conmon/memory.soft_limit_in_bytes", SV_OK, 1, 0,
	 "libpod_parent/conmon", "memory", {WMAX("", "")}},
	{"host/cpuacct/cpuacct.usage_all", "cpuacct/cpuacct.usage_all", SV_OK,
	 4, 0, "", "cpuacct",
	 {W("0", "user", 652784000000ULL), W("1", "system", 507124000000ULL)}},
	{"host/cpuacct/cpuacct.usage_percpu", "cpuacct/cpuacct.usage_percpu",
	 SV_OK, 2, 0, "", "cpuacct",
	 {W("0", "", 1125766770631ULL), W("1", "", 1234035634383ULL)}},
	{"host/cpuacct/cpuacct.stat", "cpuacct/cpuacct.stat", SV_OK, 2, 0, "",
	 "cpuacct", {W("", "user", 138290), W("", "system", 97717)}},
	{"host/cpuacct/cpuacct.usage", "cpuacct/cpuacct.usage", SV_OK, 1, 0,
	 "", "cpuacct", {W("", "", 2360298439504ULL)}},
	{"host/cpu/cpu.cfs_quota_us", "cpu/cpu.cfs_quota_us", SV_OK, 1, 0, "",
	 "cpu", {WMAX("", "")}},
	{"host/cpu/cpu.cfs_period_us", "cpu/cpu.cfs_period_us", SV_OK, 1, 0,
	 "", "cpu", {W("", "", 100000)}},
	{"host/cpu/cpu.rt_runtime_us", "cpu/cpu.rt_runtime_us", SV_OK, 1, 0,
	 "", "cpu", {W("", "", 950000)}},
	{"host/cpu/cpu.shares", "cpu/cpu.shares", SV_OK, 1, 0, "", "cpu",
	 {W("", "", 1024)}},
	{"host/cpu/cpu.stat", "cpu/cpu.stat", SV_OK, 5, 0, "", "cpu",
	 {W("", "nr_periods", 0), W("", "nr_throttled", 0),
	  W("", "throttled_time", 0)}},
	{"host/blkio/blkio.throttle.io_service_bytes",
	 "blkio/blkio.throttle.io_service_bytes", SV_OK, 1, 0, "", "blkio",
	 {W("", "Total", 0)}},
	{"host/blkio/blkio.throttle.io_serviced",
	 "blkio/blkio.throttle.io_serviced", SV_OK, 1, 0, "", "blkio",
	 {W("", "Total", 0)}},
	{"host/blkio/blkio.bfq.io_service_bytes",
	 "blkio/blkio.bfq.io_service_bytes", SV_OK, 1, 0, "", "blkio",
	 {W("", "Total", 0)}},
	{"host/unified/cpu.pressure", "unified/cpu.pressure", SV_OK, 8, 0, "",
	 "",
	 {WF("some", "avg10", 96, 96.29), WF("some", "avg300", 50, 50.85),
	  W("some", "total", 502369814), WF("full", "avg60", 0, 0.0)}},
	{"host/unified/io.pressure", "unified/io.pressure", SV_OK, 8, 0, "", "",
	 {WF("some", "avg300", 1, 1.11), W("full", "total", 16985350)}},
	{"host/unified/memory.pressure", "unified/memory.pressure", SV_OK, 8, 0,
	 "", "", {W("some", "total", 23929)}},
	{"host/unified/cpu.stat", "unified/cpu.stat", SV_OK, 4, 0, "", "",
	 {W("", "usage_usec", 2339152000ULL), W("", "nice_usec", 412000)}},
	{"host/unified/cgroup.stat", "unified/cgroup.stat", SV_OK, 6, 0, "", "",
	 {W("", "nr_descendants", 1), W("", "nr_subsys_perf_event", 2)}},
	{"host/unified/cgroup.controllers", "unified/cgroup.controllers", SV_OK,
	 0, 0, NULL, NULL, {{0}}},
	{"host/unified/cgroup.subtree_control",
	 "unified/cgroup.subtree_control",
	 SV_OK, 0, 0, NULL, NULL, {{0}}},
	{"host/unified/cgroup.max.depth", "unified/cgroup.max.depth", SV_OK, 1,
	 0, "", "", {WMAX("", "")}},
	{"host/pids/libpod_parent/pids.max", "pids/libpod_parent/pids.max",
	 SV_OK, 1, 0, "libpod_parent", "pids", {WMAX("", "")}},
	{"host/pids/libpod_parent/pids.current",
	 "pids/libpod_parent/pids.current", SV_OK, 1, 0, "libpod_parent",
	 "pids", {W("", "", 0)}},
	{"host/pids/libpod_parent/pids.events",
	 "pids/libpod_parent/pids.events",
	 SV_OK, 1, 0, "libpod_parent", "pids", {W("", "max", 0)}},
	/* the sample bundle: the podman container that was OOM-killed */
	{"podman-incident/memory/" PODMAN "/memory.limit_in_bytes",
	 "memory/" PODMAN "/memory.limit_in_bytes", SV_OK, 1, 0, PODMAN,
	 "memory", {W("", "", 33554432)}},
	{"podman-incident/memory/" PODMAN "/memory.max_usage_in_bytes",
	 "memory/" PODMAN "/memory.max_usage_in_bytes", SV_OK, 1, 0, PODMAN,
	 "memory", {W("", "", 33124352)}},
	{"podman-incident/memory/" PODMAN "/memory.usage_in_bytes",
	 "memory/" PODMAN "/memory.usage_in_bytes", SV_OK, 1, 0, PODMAN,
	 "memory", {W("", "", 17350656)}},
	{"podman-incident/memory/" PODMAN "/memory.stat",
	 "memory/" PODMAN "/memory.stat", SV_OK, 42, 0, PODMAN, "memory",
	 {W("", "hierarchical_memory_limit", 33554432),
	  W("", "hierarchical_memsw_limit", 33554432)}},
	{"podman-incident/memory/" PODMAN "/memory.oom_control",
	 "memory/" PODMAN "/memory.oom_control", SV_OK, 3, 0, PODMAN, "memory",
	 {W("", "oom_kill", 0), W("", "under_oom", 0)}},
	{"podman-incident/memory/" PODMAN "/memory.failcnt",
	 "memory/" PODMAN "/memory.failcnt", SV_OK, 1, 0, PODMAN, "memory",
	 {W("", "", 0)}},
	{"podman-incident/memory/" PODMAN "/cgroup.procs",
	 "memory/" PODMAN "/cgroup.procs", SV_OK, 2, 0, PODMAN, "memory",
	 {W("", "", 12529)}},
	{"podman-incident/cpu/" PODMAN "/cpu.cfs_quota_us",
	 "cpu/" PODMAN "/cpu.cfs_quota_us", SV_OK, 1, 0, PODMAN, "cpu",
	 {WMAX("", "")}},
	{"podman-incident/pids/" PODMAN "/pids.max",
	 "pids/" PODMAN "/pids.max", SV_OK, 1, 0, PODMAN, "pids",
	 {W("", "", 2048)}},
	{"podman-incident/unified/" PODMAN "/cgroup.events",
	 "unified/" PODMAN "/cgroup.events", SV_OK, 2, 0, PODMAN, "",
	 {W("", "populated", 1), W("", "frozen", 0)}},
	{"podman-incident/unified/" PODMAN "/cgroup.type",
	 "unified/" PODMAN "/cgroup.type", SV_OK, 0, 0, NULL, NULL, {{0}}},
	{"podman-incident/unified/" PODMAN "/cpu.stat.local",
	 "unified/" PODMAN "/cpu.stat.local", SV_OK, 0, 0, NULL, NULL, {{0}}},
	{"podman-incident/unified/" PODMAN "/cgroup.max.descendants",
	 "unified/" PODMAN "/cgroup.max.descendants", SV_OK, 1, 0, PODMAN, "",
	 {WMAX("", "")}},
	/* telegraf v1: hand-edited impossible values */
	{"corpus/telegraf/v1/memory/memory.stat", "memory/memory.stat",
	 SV_WARN, 4, 1, "", "memory",
	 {W("", "cache", 1739362304123123123ULL),
	  W("", "rss_huge", 778043392)}},
	{"corpus/telegraf/v1/memory/memory.max_usage_in_bytes",
	 "memory/memory.max_usage_in_bytes", SV_WARN, 1, 2, "", "memory",
	 {W("", "", 0)}},
	{"corpus/telegraf/v1/memory/memory.limit_in_bytes",
	 "memory/memory.limit_in_bytes", SV_OK, 1, 0, "", "memory",
	 {W("", "", 223372036854771712ULL)}},
	{"corpus/telegraf/v1/memory/memory.use_hierarchy",
	 "memory/memory.use_hierarchy", SV_WARN, 0, 1, NULL, NULL, {{0}}},
	{"corpus/telegraf/v1/memory/memory.empty", "memory/memory.empty", SV_OK,
	 0, 0, NULL, NULL, {{0}}},
	{"corpus/telegraf/v1/memory/memory.numa_stat",
	 "memory/memory.numa_stat",
	 SV_OK, 16, 0, "", "memory",
	 {W("hierarchical_unevictable", "", 21),
	  W("anon", "N0", 451792)}},
	{"corpus/telegraf/v1/cpuacct/cpuacct.usage_percpu",
	 "cpuacct/cpuacct.usage_percpu", SV_WARN, 2, 2, "", "cpuacct",
	 {W("1", "", 1376681271659ULL), W("2", "", 1450950799997ULL)}},
	{"corpus/telegraf/v1/cpuacct/cpu.cfs_quota_us",
	 "cpuacct/cpu.cfs_quota_us",
	 SV_OK, 1, 0, "", "cpuacct", {WMAX("", "")}},
	{"corpus/telegraf/v1/blkio/blkio.throttle.io_serviced",
	 "blkio/blkio.throttle.io_serviced", SV_OK, 131, 0, "", "blkio",
	 {W("8:0", "Read", 49134), W("8:0", "Total", 265837),
	  W("", "Total", 265885)}},
	{"corpus/telegraf/v1/blkio/blkio.io_serviced",
	 "blkio/blkio.io_serviced",
	 SV_OK, 1, 0, "", "blkio", {W("", "Total", 0)}},
	/* telegraf v2: one cgroup of a 96-CPU host */
	{"corpus/telegraf/v2/cpu.max", "cpu.max", SV_OK, 2, 0, "", "",
	 {W("", "quota", 4800000), W("", "period", 100000)}},
	{"corpus/telegraf/v2/cpu.stat", "cpu.stat", SV_OK, 9, 0, "", "",
	 {W("", "nr_throttled", 6004),
	  W("", "throttled_usec", 19175137007ULL),
	  W("", "core_sched.force_idle_usec", 0)}},
	{"corpus/telegraf/v2/cpu.weight", "cpu.weight", SV_OK, 1, 0, "", "",
	 {W("", "", 79)}},
	{"corpus/telegraf/v2/cpu.pressure", "cpu.pressure", SV_OK, 8, 0, "", "",
	 {WF("some", "avg60", 0, 0.08), W("full", "total", 277111656)}},
	{"corpus/telegraf/v2/io.stat", "io.stat", SV_OK, 6, 0, "", "",
	 {W("259:8", "rbytes", 74526720), W("259:8", "wios", 181928),
	  W("259:8", "dios", 0)}},
	{"corpus/telegraf/v2/memory.current", "memory.current", SV_OK, 1, 0, "",
	 "", {W("", "", 13071106048ULL)}},
	{"corpus/telegraf/v2/memory.max", "memory.max", SV_OK, 1, 0, "", "",
	 {W("", "", 103079215104ULL)}},
	{"corpus/telegraf/v2/memory.peak", "memory.peak", SV_OK, 1, 0, "", "",
	 {W("", "", 87302021120ULL)}},
	{"corpus/telegraf/v2/memory.events", "memory.events", SV_OK, 6, 0, "",
	 "",
	 {W("", "oom", 0), W("", "oom_kill", 0), W("", "max", 0),
	  W("", "high", 0)}},
	{"corpus/telegraf/v2/memory.swap.events", "memory.swap.events", SV_OK,
	 3, 0, "", "", {W("", "fail", 0)}},
	{"corpus/telegraf/v2/memory.swap.current", "memory.swap.current", SV_OK,
	 1, 0, "", "", {W("", "", 0)}},
	{"corpus/telegraf/v2/memory.stat", "memory.stat", SV_OK, 47, 0, "", "",
	 {W("", "anon", 2471755776ULL)}},
	{"corpus/telegraf/v2/memory.numa_stat", "memory.numa_stat", SV_OK, 54,
	 0,
	 "", "", {W("anon", "N0", 1330585600ULL),
		  W("anon", "N1", 1141161984ULL)}},
	{"corpus/telegraf/v2/pids.current", "pids.current", SV_OK, 1, 0, "", "",
	 {W("", "", 592)}},
	{"corpus/telegraf/v2/pids.max", "pids.max", SV_OK, 1, 0, "", "",
	 {W("", "", 629145)}},
	{"corpus/telegraf/v2/pids.peak", "pids.peak", SV_OK, 1, 0, "", "",
	 {W("", "", 2438)}},
	{"corpus/telegraf/v2/pids.events", "pids.events", SV_OK, 1, 0, "", "",
	 {W("", "max", 0)}},
	{"corpus/telegraf/v2/hugetlb.2MB.events", "hugetlb.2MB.events", SV_OK,
	 1, 0, "", "", {W("", "max", 0)}},
	{"corpus/telegraf/v2/cpuset.cpus.effective", "cpuset.cpus.effective",
	 SV_OK, 0, 0, NULL, NULL, {{0}}},
	/* fluent-bit: docker on v1 and v2, podman */
	{"corpus/fluentbit-docker/cgroupv1/cpu/docker/" D1_ID "/cpuacct.usage",
	 "cpu/docker/" D1_ID "/cpuacct.usage", SV_OK, 1, 0, "docker/" D1_ID,
	 "cpu", {W("", "", 34840870)}},
	{"corpus/fluentbit-docker/cgroupv1/memory/docker/" D1_ID
	 "/memory.limit_in_bytes", "memory/docker/" D1_ID
	 "/memory.limit_in_bytes", SV_OK, 1, 0, "docker/" D1_ID, "memory",
	 {WMAX("", "")}},
	{"corpus/fluentbit-docker/cgroupv2/system.slice/docker-" D2_ID
	 ".scope/memory.max", "system.slice/docker-" D2_ID ".scope/memory.max",
	 SV_OK, 1, 0, "system.slice/docker-" D2_ID ".scope", "",
	 {WMAX("", "")}},
	{"corpus/fluentbit-docker/cgroupv2/system.slice/docker-" D2_ID
	 ".scope/cpu.stat", "system.slice/docker-" D2_ID ".scope/cpu.stat",
	 SV_OK, 9, 0, "system.slice/docker-" D2_ID ".scope", "",
	 {W("", "usage_usec", 53929)}},
	{"corpus/fluentbit-docker/cgroupv2/var/lib/containers/" D2_ID
	 "/config.v2.json", "var/lib/containers/" D2_ID "/config.v2.json",
	 SV_WARN, 0, 1, NULL, NULL, {{0}}},
	{"corpus/fluentbit-podman/cgroupv2/libpod-" P_ID "/memory.current",
	 "libpod-" P_ID "/memory.current", SV_OK, 1, 0, "libpod-" P_ID, "",
	 {W("", "", 42)}},
	{"corpus/fluentbit-podman/cgroupv2/libpod-" P_ID "/containers/"
	 "cgroup.procs", "libpod-" P_ID "/containers/cgroup.procs", SV_OK, 1, 0,
	 "libpod-" P_ID "/containers", "", {W("", "", 42)}},
	{"corpus/fluentbit-podman/cgroupv2/config.json", "config.json", SV_WARN,
	 0, 1, NULL, NULL, {{0}}},
	{"corpus/fluentbit-podman/regular/memory/libpod-" P_ID
	 "/memory.usage_in_bytes", "memory/libpod-" P_ID
	 "/memory.usage_in_bytes", SV_OK, 1, 0, "libpod-" P_ID, "memory",
	 {W("", "", 42)}},
	{"corpus/fluentbit-podman/regular/systemd/libpod-" P_ID "/cgroup.procs",
	 "systemd/libpod-" P_ID "/cgroup.procs", SV_OK, 3, 0, "libpod-" P_ID,
	 "systemd", {W("", "", 42)}},
};

START_TEST(test_real_files)
{
	const struct file_case *c = &files[_i];
	struct kt_run *r = kt_new();
	char path[1024], abs[1024];

	snprintf(path, sizeof(path), CG "%s", c->leaf);
	snprintf(abs, sizeof(abs), DATA "%s", c->data);
	kt_parse_file(r, &sv_fmt_cgroup, path, abs);
	ck_assert_msg(r->rc == c->rc, "%s: rc %d (%s)", c->data, r->rc,
		      r->nprob ? r->prob[0].msg : "");
	ck_assert_msg(r->nrec == (size_t)c->nrec, "%s: %zu records", c->data,
		      r->nrec);
	ck_assert_msg(r->nprob == (size_t)c->nprob, "%s: %zu problems%s%s",
		      c->data, r->nprob, r->nprob ? ": " : "",
		      r->nprob ? r->prob[0].msg : "");
	check_envelope(r, KT_T_NS, c->cgroup, c->controller, NULL);
	check_wants(r, c->data, c->w, N(c->w));
	kt_free(r);
}
END_TEST

/* ---- every data file, from memory and through a bundle ---- */

static const char *const roots[] = {
	"host/", "podman-incident/", "corpus/telegraf/v1/",
	"corpus/telegraf/v2/", "corpus/fluentbit-docker/cgroupv1/",
	"corpus/fluentbit-docker/cgroupv2/",
	"corpus/fluentbit-podman/cgroupv2/",
	"corpus/fluentbit-podman/regular/",
};

static size_t swept;

static void sweep_one(const char *rel)
{
	struct kt_run *a = kt_new(), *b = kt_new();
	char path[1024], abs[2048];
	const char *leaf = NULL, *base = strrchr(rel, '/');
	size_t i, n;
	char *buf;

	for (i = 0; i < N(roots) && !leaf; i++)
		if (!strncmp(rel, roots[i], strlen(roots[i])))
			leaf = rel + strlen(roots[i]);
	ck_assert_msg(leaf, "%s: under no known root", rel);
	snprintf(path, sizeof(path), CG "%s", leaf);
	snprintf(abs, sizeof(abs), DATA "%s", rel);
	buf = kt_read(abs, &n);
	kt_parse(a, &sv_fmt_cgroup, path, buf, n);
	kt_parse_bundle(b, &sv_fmt_cgroup, path, buf, n);
	ck_assert_msg(a->rc == SV_OK || a->rc == SV_WARN, "%s: %d", rel, a->rc);
	ck_assert_int_eq(a->rc, b->rc);
	ck_assert_uint_eq(a->nrec, b->nrec);
	ck_assert_uint_eq(a->nprob, b->nprob);
	check_envelope(a, KT_T_NS, NULL, NULL, base ? base + 1 : rel);
	for (i = 0; i < a->nrec; i++) {
		ck_assert_uint_eq(a->rec[i].u.cgroup.value,
				  b->rec[i].u.cgroup.value);
		ck_assert_str_eq(a->rec[i].u.cgroup.key,
				 b->rec[i].u.cgroup.key);
		ck_assert_str_eq(a->rec[i].u.cgroup.subject,
				 b->rec[i].u.cgroup.subject);
	}
	free(buf);
	kt_free(a);
	kt_free(b);
	swept++;
}

static void sweep_dir(const char *rel)
{
	char abs[2048], sub[1024];
	struct dirent *de;
	struct stat st;
	DIR *d;

	snprintf(abs, sizeof(abs), DATA "%s", rel);
	d = opendir(abs);
	ck_assert_msg(d != NULL, "cannot open %s", abs);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
			 de->d_name);
		snprintf(abs, sizeof(abs), DATA "%s", sub);
		ck_assert_int_eq(stat(abs, &st), 0);
		if (S_ISDIR(st.st_mode))
			sweep_dir(sub);
		else
			sweep_one(sub);
	}
	closedir(d);
}

START_TEST(test_sweep)
{
	swept = 0;
	sweep_dir("");
	ck_assert_uint_ge(swept, 120);
}
END_TEST

/* ---- malformed and edge input ---- */

struct bad_case {
	const char *leaf;
	const char *s;
	size_t n;
	enum sv_status rc;
	int nrec, nprob;
	uint64_t line;      /* of the first problem */
	const char *text;   /* in the first problem */
	struct want w[3];
};

#define B(leaf, lit) leaf, lit, sizeof(lit) - 1
#define NOLINE UINT64_MAX

static const struct bad_case bad[] = {
	/* empty files: a problem only where a value must be */
	{B("memory.current", ""), SV_WARN, 0, 1, 0, "empty", {{0}}},
	{B("cpu.max", ""), SV_WARN, 0, 1, 0, "empty", {{0}}},
	{B("cgroup.procs", ""), SV_OK, 0, 0, NOLINE, NULL, {{0}}},
	{B("memory.stat", "\n\n\n"), SV_OK, 0, 0, NOLINE, NULL, {{0}}},
	{B("blkio.throttle.read_bps_device", ""), SV_OK, 0, 0, NOLINE, NULL,
	 {{0}}},
	/* numbers: garbage, overflow, limits, negative */
	{B("memory.current", "12abc\n"), SV_WARN, 0, 1, 1, "not '<value>'",
	 {{0}}},
	{B("memory.current", "18446744073709551616\n"), SV_WARN, 0, 1, 1,
	 "out of range", {{0}}},
	{B("memory.current", "99999999999999999999999999999999999999999\n"),
	 SV_WARN, 0, 1, 1, "out of range", {{0}}},
	{B("memory.current", "18446744073709551615\n"), SV_OK, 1, 0, NOLINE,
	 NULL, {W("", "", UINT64_MAX)}},
	{B("memory.current", "-0\n"), SV_OK, 1, 0, NOLINE, NULL,
	 {W("", "", 0)}},
	{B("memory.current", "42 43\n"), SV_WARN, 0, 1, 1, "not '<value>'",
	 {{0}}},
	{B("memory.current", "1\n2\n"), SV_WARN, 1, 1, 2, "second value",
	 {W("", "", 1)}},
	{B("memory.max", "max\n"), SV_OK, 1, 0, NOLINE, NULL, {WMAX("", "")}},
	{B("memory.max", "max"), SV_OK, 1, 0, NOLINE, NULL, {WMAX("", "")}},
	{B("cpu.cfs_quota_us", "-1\n"), SV_OK, 1, 0, NOLINE, NULL,
	 {WMAX("", "")}},
	{B("cpu.cfs_quota_us", "-2\n"), SV_WARN, 0, 1, 1, "out of range",
	 {{0}}},
	{B("memory.limit_in_bytes", "9223372036854771712\n"), SV_OK, 1, 0,
	 NOLINE, NULL, {WMAX("", "")}},
	{B("memory.limit_in_bytes", "9223372036854710272\n"), SV_OK, 1, 0,
	 NOLINE, NULL, {WMAX("", "")}},
	{B("memory.usage_in_bytes", "9223372036854771712\n"), SV_OK, 1, 0,
	 NOLINE, NULL, {W("", "", 9223372036854771712ULL)}},
	{B("memory.stat", "hierarchical_memory_limit 9223372036854771712\n"
			  "total_cache 9223372036854771712\n"),
	 SV_OK, 2, 0, NOLINE, NULL,
	 {WMAX("", "hierarchical_memory_limit"),
	  W("", "total_cache", 9223372036854771712ULL)}},
	/* flat files: truncated, extra and negative fields, binary */
	{B("memory.stat", "cache 1\nrss\nmapped_file 3 4\ndirty -307200\n"
			  "swap 5"),
	 SV_WARN, 2, 3, 2, "'<key> <value>'",
	 {W("", "cache", 1), W("", "swap", 5)}},
	{B("memory.stat", "cache 1\r\nrss 2\r\n"), SV_OK, 2, 0, NOLINE, NULL,
	 {W("", "rss", 2)}},
	{B("memory.stat", "   cache\t 7 \t\n"), SV_OK, 1, 0, NOLINE, NULL,
	 {W("", "cache", 7)}},
	{B("memory.stat", "\x00\x01\xff\xfe garbage\ncache 7\n"), SV_WARN, 1,
	 1, 1, "'<key> <value>'", {W("", "cache", 7)}},
	{B("memory.stat", "cache 1.5\n"), SV_OK, 1, 0, NOLINE, NULL,
	 {WF("", "cache", 1, 1.5)}},
	{B("memory.stat", "key=1 2\n"), SV_WARN, 0, 1, 1, "'<key> <value>'",
	 {{0}}},
	{B("memory.stat", "cache 1 # note\n"), SV_WARN, 0, 1, 1,
	 "'<key> <value>'", {{0}}},
	{B("pids.events", "max 5\n"), SV_OK, 1, 0, NOLINE, NULL,
	 {W("", "max", 5)}},
	{B("cgroup.procs", "1\n2\nx\n3\n"), SV_WARN, 3, 1, 3, "per line",
	 {W("", "", 1)}},
	/* nested: truncated, bad values, odd blanks, fractions */
	{B("io.stat", "8:0 rbytes=1 wbytes=\n"), SV_WARN, 0, 1, 1,
	 "<subject>", {{0}}},
	{B("io.stat", "8:0 rbytes=1 wbytes=2\n8:16\n"), SV_WARN, 2, 1, 2,
	 "<subject>", {W("8:0", "wbytes", 2)}},
	{B("io.stat", "8:0 rbytes=-5 wbytes=2\n"), SV_WARN, 1, 1, 1,
	 "out of range", {W("8:0", "wbytes", 2)}},
	{B("io.stat", "8:0  rbytes=1\twbytes=2  \n"), SV_OK, 2, 0, NOLINE,
	 NULL, {W("8:0", "rbytes", 1), W("8:0", "wbytes", 2)}},
	{B("io.max", "8:16 rbps=2097152 wbps=max riops=max wiops=120\n"),
	 SV_OK, 4, 0, NOLINE, NULL,
	 {W("8:16", "rbps", 2097152), WMAX("8:16", "wbps"),
	  W("8:16", "wiops", 120)}},
	{B("cpu.pressure", "some avg10=abc avg60=0.00 total=1\n"), SV_WARN, 0,
	 1, 1, "<subject>", {{0}}},
	{B("cpu.pressure", "some avg10=1.2.3\n"), SV_WARN, 0, 1, 1,
	 "<subject>", {{0}}},
	{B("cpu.pressure", "some =1\n"), SV_WARN, 0, 1, 1, "<subject>", {{0}}},
	{B("cpu.pressure", "some avg10=0.123456789012 total=5\n"), SV_OK, 2, 0,
	 NOLINE, NULL, {WF("some", "avg10", 0, 0.123456789)}},
	{B("memory.numa_stat", "total=5 N0=5\nanon N0=1 N1=2\n"), SV_OK, 4, 0,
	 NOLINE, NULL, {W("total", "", 5), W("anon", "N1", 2)}},
	{B("memory.numa_stat", "total=5 N0=x\n"), SV_WARN, 0, 1, 1,
	 "<subject>", {{0}}},
	/* blkio */
	{B("blkio.throttle.io_service_bytes", "8:0 Read 123\n8:0 Total 5\n"
					      "Total 9\n8:0 Read\n"),
	 SV_WARN, 3, 1, 4, "Total", {W("8:0", "Read", 123), W("", "Total", 9)}},
	{B("blkio.sectors", "8:0 1234\n"), SV_OK, 1, 0, NOLINE, NULL,
	 {W("8:0", "", 1234)}},
	{B("blkio.io_serviced", "8:0 Read -1\n"), SV_WARN, 0, 1, 1,
	 "out of range", {{0}}},
	/* cpu.max */
	{B("cpu.max", "max 100000\n"), SV_OK, 2, 0, NOLINE, NULL,
	 {WMAX("", "quota"), W("", "period", 100000)}},
	{B("cpu.max", "50000 100000\n"), SV_OK, 2, 0, NOLINE, NULL,
	 {W("", "quota", 50000), W("", "period", 100000)}},
	{B("cpu.max", "max\n"), SV_OK, 1, 0, NOLINE, NULL, {WMAX("", "quota")}},
	{B("cpu.max", "1 2 3\n"), SV_WARN, 0, 1, 1, "more than two", {{0}}},
	{B("cpu.max", "max period\n"), SV_WARN, 0, 1, 1, "<quota>", {{0}}},
	{B("cpu.max", "50000 100000\n50000 100000\n"), SV_WARN, 2, 1, 2,
	 "<quota>", {W("", "quota", 50000)}},
	/* tables and rows */
	{B("cpuacct.usage_all", "0 1 2\n"), SV_WARN, 0, 1, 1, "header", {{0}}},
	{B("cpuacct.usage_all", "cpu user system\n0 1 2\n1 3\n"), SV_WARN, 2,
	 1, 3, "header names", {W("0", "system", 2)}},
	{B("cpuacct.usage_all", "cpu user system\n0 1 2 3\n"), SV_WARN, 0, 1,
	 2, "header names", {{0}}},
	{B("cpuacct.usage_all", "cpu a b c d e f g h i j k l m n o p\n"),
	 SV_WARN, 0, 1, 1, "header", {{0}}},
	{B("cpuacct.usage_percpu", "5 \n"), SV_OK, 1, 0, NOLINE, NULL,
	 {W("0", "", 5)}},
	{B("cpuacct.usage_percpu", "1 2\n3 4\n"), SV_WARN, 2, 1, 2,
	 "second row", {W("1", "", 2)}},
	/* text files: recognised, no record */
	{B("cgroup.type", "domain threaded\n"), SV_OK, 0, 0, NOLINE, NULL,
	 {{0}}},
	{B("freezer.state", "FROZEN\n"), SV_OK, 0, 0, NOLINE, NULL, {{0}}},
	{B("devices.list", "a *:* rwm\n"), SV_OK, 0, 0, NOLINE, NULL, {{0}}},
	/* files this reader does not know: one problem per file */
	{B("foo.bar", "a 1\nb 2\n???\n!!! ?\n"), SV_WARN, 2, 1, 3,
	 "2 line(s)", {W("", "a", 1), W("", "b", 2)}},
	{B("garbage.bin", "\x7f\x45\x4c\x46\x02\x01\x01\x00\n\xff\xfe\xfd\n"
			  "\x00\x00\x00\x00\n"),
	 SV_WARN, 0, 1, 1, "3 line(s)", {{0}}},
	{B("single.value", "7\n"), SV_OK, 1, 0, NOLINE, NULL, {W("", "", 7)}},
	{B("x.events", "a 1\nb 2\n"), SV_OK, 2, 0, NOLINE, NULL,
	 {W("", "b", 2)}},
	{B("x.stat", "8:0 rbytes=1\nsome avg10=0.50\n"), SV_OK, 2, 0, NOLINE,
	 NULL, {WF("some", "avg10", 0, 0.5)}},
	{B("x.stat", "-5\n"), SV_WARN, 0, 1, 1, "out of range", {{0}}},
};

START_TEST(test_bad)
{
	const struct bad_case *c = &bad[_i];
	struct kt_run *r = kt_new();
	char path[512];

	snprintf(path, sizeof(path), CG "%s", c->leaf);
	kt_parse(r, &sv_fmt_cgroup, path, c->s, c->n);
	ck_assert_msg(r->rc == c->rc, "%s #%d: rc %d", c->leaf, _i, r->rc);
	ck_assert_msg(r->nrec == (size_t)c->nrec, "%s #%d: %zu records",
		      c->leaf, _i, r->nrec);
	ck_assert_msg(r->nprob == (size_t)c->nprob, "%s #%d: %zu problems%s%s",
		      c->leaf, _i, r->nprob, r->nprob ? ": " : "",
		      r->nprob ? r->prob[0].msg : "");
	if (c->nprob) {
		ck_assert_msg(r->prob[0].line == c->line,
			      "%s #%d: problem at line %llu", c->leaf, _i,
			      (unsigned long long)r->prob[0].line);
		ck_assert_msg(strstr(r->prob[0].msg, c->text), "%s #%d: '%s'",
			      c->leaf, _i, r->prob[0].msg);
	}
	check_envelope(r, KT_T_NS, "", "", c->leaf);
	check_wants(r, c->leaf, c->w, N(c->w));
	kt_free(r);
}
END_TEST

/* ---- where the file sits ---- */

struct name_case {
	const char *path;
	const char *controller, *cgroup, *file;
	int64_t ts;
};

#define T0 KT_T_NS
static const struct name_case names[] = {
	{CG "memory.current", "", "", "memory.current", T0},
	{CG "memory/memory.current", "memory", "", "memory.current", T0},
	{CG "memory/a/b/memory.current", "memory", "a/b", "memory.current", T0},
	{CG "cpu,cpuacct/docker/x/memory.current", "cpu,cpuacct", "docker/x",
	 "memory.current", T0},
	{CG "net_cls,net_prio/x/memory.current", "net_cls,net_prio", "x",
	 "memory.current", T0},
	{CG "name=systemd/x/memory.current", "name=systemd", "x",
	 "memory.current", T0},
	{CG "systemd/user.slice/memory.current", "systemd", "user.slice",
	 "memory.current", T0},
	{CG "unified/memory.current", "", "", "memory.current", T0},
	{CG "unified/libpod_parent/x/memory.current", "", "libpod_parent/x",
	 "memory.current", T0},
	{CG "system.slice/docker-x.scope/memory.current", "",
	 "system.slice/docker-x.scope", "memory.current", T0},
	{CG "memoryx/y/memory.current", "", "memoryx/y", "memory.current", T0},
	{CG "cpu,bogus/y/memory.current", "", "cpu,bogus/y", "memory.current",
	 T0},
	{CG "cpu,/y/memory.current", "", "cpu,/y", "memory.current", T0},
	{"cgroup/1764392000/pids/memory.current", "pids", "", "memory.current",
	 1764392000LL * SV_NS_PER_SEC},
	{"elsewhere/memory.current", "", "elsewhere", "memory.current",
	 SV_TIME_NONE},
	{"cgroup/notatime/memory.current", "", "cgroup/notatime",
	 "memory.current", SV_TIME_NONE},
};

START_TEST(test_names)
{
	const struct name_case *c = &names[_i];
	struct kt_run *r = kt_new();

	kt_parse_str(r, &sv_fmt_cgroup, c->path, "5\n");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 1);
	check_envelope(r, c->ts, c->cgroup, c->controller, c->file);
	kt_free(r);
}
END_TEST

START_TEST(test_probe)
{
	struct sv_layout lay;

	sv_layout_classify(CG "memory/memory.stat", &lay);
	ck_assert_int_eq(sv_fmt_cgroup.probe(&lay, (const uint8_t *)"x", 1),
			 100);
	ck_assert_int_eq(sv_fmt_cgroup.kind, SV_ART_CGROUP);
	ck_assert_str_eq(sv_fmt_cgroup.name, "cgroup");
	sv_layout_classify("proc/" KT_T "/1/cgroup", &lay);
	ck_assert_int_eq(sv_fmt_cgroup.probe(&lay, NULL, 0), 0);
	sv_layout_classify("events/dmesg.txt", &lay);
	ck_assert_int_eq(sv_fmt_cgroup.probe(&lay, NULL, 0), 0);
}
END_TEST

/* ---- limits ---- */

START_TEST(test_long_line)
{
	struct kt_run *r = kt_new();
	size_t n = 70000, len;
	char *s = malloc(n + 64);

	ck_assert_ptr_nonnull(s);
	memset(s, '1', n);
	len = n;
	len += (size_t)snprintf(s + n, 64, "\ncache 3\n");
	kt_parse(r, &sv_fmt_cgroup, CG "memory.stat", s, len);
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_uint_eq(kt_problems(r, 1, "longer than"), 1);
	free(s);
	/* a row of 10000 CPUs is not too long */
	s = malloc(10000 * 3 + 2);
	for (len = 0; len < 10000; len++)
		memcpy(s + 3 * len, "12 ", 3);
	s[30000] = '\n';
	kt_parse(r, &sv_fmt_cgroup, CG "cpuacct.usage_percpu", s, 30001);
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 10000);
	ck_assert_str_eq(r->rec[9999].u.cgroup.subject, "9999");
	free(s);
	kt_free(r);
}
END_TEST

START_TEST(test_long_names)
{
	struct kt_run *r = kt_new();
	char *path = malloc(6000), key[200], line[300];

	ck_assert_ptr_nonnull(path);
	memcpy(path, CG "memory/", strlen(CG "memory/"));
	memset(path + strlen(CG "memory/"), 'a', 5000);
	snprintf(path + strlen(CG "memory/") + 5000, 100, "/memory.current");
	kt_parse_str(r, &sv_fmt_cgroup, path, "5\n");
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_uint_eq(strlen(r->rec[0].u.cgroup.cgroup), 4096);
	ck_assert_uint_eq(kt_problems(r, 0, "cgroup folder longer"), 1);
	/* keys: 128 bytes are fine, 129 are not */
	memset(key, 'k', 129);
	key[128] = '\0';
	snprintf(line, sizeof(line), "%s 1\n", key);
	kt_parse_str(r, &sv_fmt_cgroup, CG "memory.stat", line);
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 1);
	key[128] = 'k';
	key[129] = '\0';
	snprintf(line, sizeof(line), "%s 1\n", key);
	kt_parse_str(r, &sv_fmt_cgroup, CG "memory.stat", line);
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(r->nrec, 0);
	free(path);
	kt_free(r);
}
END_TEST

START_TEST(test_too_big)
{
	struct kt_run *r = kt_new();
	size_t n = (4u << 20) + 10, i;
	char *s = malloc(n);

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		s[i] = i % 8 == 7 ? '\n' : '1';
	kt_parse(r, &sv_fmt_cgroup, CG "cgroup.procs", s, n);
	ck_assert_int_eq(r->rc, SV_ERR_LIMIT);
	ck_assert_uint_eq(r->nrec, 0);
	free(s);
	kt_free(r);
}
END_TEST

/* A record callback error stops the file and is passed up. */
START_TEST(test_stop)
{
	struct kt_run *r = kt_new();

	r->stop_after = 2;
	r->stop_with = SV_ERR_LIMIT;
	kt_parse_str(r, &sv_fmt_cgroup, CG "memory.stat",
		     "a 1\nb 2\nc 3\nd 4\n");
	ck_assert_int_eq(r->rc, SV_ERR_LIMIT);
	ck_assert_uint_eq(r->nrec, 2);
	kt_parse_str(r, &sv_fmt_cgroup, CG "io.stat",
		     "8:0 a=1 b=2 c=3\n8:1 a=1\n");
	ck_assert_int_eq(r->rc, SV_ERR_LIMIT);
	ck_assert_uint_eq(r->nrec, 2);
	kt_parse_str(r, &sv_fmt_cgroup, CG "cpuacct.usage_percpu", "1 2 3 4\n");
	ck_assert_int_eq(r->rc, SV_ERR_LIMIT);
	kt_parse_str(r, &sv_fmt_cgroup, CG "cpuacct.usage_all",
		     "cpu user system\n0 1 2\n1 3 4\n");
	ck_assert_int_eq(r->rc, SV_ERR_LIMIT);
	kt_parse_str(r, &sv_fmt_cgroup, CG "memory.numa_stat",
		     "total=1 N0=1 N1=0\n");
	ck_assert_int_eq(r->rc, SV_ERR_LIMIT);
	r->stop_after = 1;
	kt_parse_str(r, &sv_fmt_cgroup, CG "cpu.max", "max 100000\n");
	ck_assert_int_eq(r->rc, SV_ERR_LIMIT);
	kt_free(r);
}
END_TEST

/* Out of scratch memory: an error naming the file, never a crash. */
START_TEST(test_nomem)
{
	struct kt_run *r = kt_new();
	uint64_t k;

	for (k = 1; k <= 6; k++) {
		kt_reset(r);
		sv_arena_fail_after(r->scratch, k);
		kt_parse_str(r, &sv_fmt_cgroup, CG "memory/x/memory.stat",
			     "cache 1\n");
		sv_arena_fail_after(r->scratch, 0);
		ck_assert(r->rc == SV_OK || r->rc == SV_ERR_NOMEM);
		if (r->rc == SV_ERR_NOMEM)
			ck_assert_uint_eq(r->nrec, 0);
	}
	kt_free(r);
}
END_TEST

static enum sv_status count_record(void *ctx, const struct sv_record *rec,
				   struct sv_error *err)
{
	(void)rec;
	(void)err;
	++*(size_t *)ctx;
	return SV_OK;
}

/*
 * Per-file cost of a 42-line memory.stat, the way the pipeline calls it
 * (scratch reset per file, a bare record callback: Check's assertions
 * write to a pipe each and would dominate).
 */
START_TEST(test_speed)
{
	struct sv_arena *scratch = sv_arena_new(0);
	size_t n, i, reps = 20000, count = 0;
	char *buf = kt_read(DATA "host/memory/memory.stat", &n);
	struct sv_emit emit = {&count, count_record, NULL};
	struct sv_error err;
	struct timespec a, b;
	struct sv_source src;
	double us;

	ck_assert_ptr_nonnull(scratch);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < reps; i++) {
		sv_arena_reset(scratch);
		sv_source_init_memory(&src, CG "memory/" PODMAN "/memory.stat",
				      buf, n);
		if (sv_fmt_cgroup.parse(&src, scratch, &emit, &err) != SV_OK)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	us = ((double)(b.tv_sec - a.tv_sec) * 1e6 +
	      (double)(b.tv_nsec - a.tv_nsec) / 1e3) / (double)reps;
	printf("cgroup: memory.stat (42 lines) parsed in %.2f us\n", us);
	fflush(stdout);
	ck_assert_uint_eq(i, reps);
	ck_assert_uint_eq(count, 42 * reps);
	ck_assert(us < 200);
	free(buf);
	sv_arena_free(scratch);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cgroup");
	TCase *files_tc = tcase_create("files");
	TCase *bad_tc = tcase_create("malformed");
	TCase *misc = tcase_create("paths-and-limits");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(files_tc, test_real_files, 0, (int)N(files));
	tcase_add_test(files_tc, test_sweep);
	tcase_set_timeout(files_tc, 60);
	tcase_add_loop_test(bad_tc, test_bad, 0, (int)N(bad));
	tcase_add_loop_test(misc, test_names, 0, (int)N(names));
	tcase_add_test(misc, test_probe);
	tcase_add_test(misc, test_long_line);
	tcase_add_test(misc, test_long_names);
	tcase_add_test(misc, test_too_big);
	tcase_add_test(misc, test_stop);
	tcase_add_test(misc, test_nomem);
	tcase_add_test(misc, test_speed);
	tcase_set_timeout(misc, 60);
	suite_add_tcase(s, files_tc);
	suite_add_tcase(s, bad_tc);
	suite_add_tcase(s, misc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
