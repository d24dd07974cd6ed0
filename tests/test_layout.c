/*
 * test_layout.c - formats/sv_layout: every path shape of DESIGN.md §1,
 * and the shapes that only look like them.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sv_layout.h"
#include "sv_time.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define T0 (1764392000LL * SV_NS_PER_SEC)
#define CID "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a090"

struct layout_case {
	const char *path;
	enum sv_artifact kind;
	int has_snapshot;
	int64_t snapshot_ns;
	uint32_t pid;
	const char *leaf; /* NULL: the whole path */
};

static const struct layout_case cases[] = {
	{"manifest.json", SV_ART_MANIFEST, 0, 0, 0, NULL},
	{"SHA256SUMS", SV_ART_SHA256SUMS, 0, 0, 0, NULL},
	/* host files at a snapshot */
	{"proc/1764392000/stat", SV_ART_PROC_HOST, 1, T0, 0, "stat"},
	{"proc/1764392000/uptime", SV_ART_PROC_HOST, 1, T0, 0, "uptime"},
	{"proc/1764392000.250/uptime", SV_ART_PROC_HOST, 1, T0 + 250000000,
	 0, "uptime"},
	/* per-process files */
	{"proc/1764392000/1234/stat", SV_ART_PROC_PID, 1, T0, 1234, "stat"},
	{"proc/1764392000/1234/status", SV_ART_PROC_PID, 1, T0, 1234,
	 "status"},
	{"proc/1764392000/1234/cmdline", SV_ART_PROC_PID, 1, T0, 1234,
	 "cmdline"},
	{"proc/1764392000/1234/environ", SV_ART_PROC_PID, 1, T0, 1234,
	 "environ"},
	{"proc/1764392000/1234/cgroup", SV_ART_PROC_PID, 1, T0, 1234,
	 "cgroup"},
	{"proc/1764392000/1234/io", SV_ART_PROC_PID, 1, T0, 1234, "io"},
	{"proc/1764392000/1234/comm", SV_ART_PROC_PID, 1, T0, 1234, "comm"},
	{"proc/1764392000/1234/exe.link", SV_ART_PROC_PID, 1, T0, 1234,
	 "exe.link"},
	{"proc/1764392000/1234/cwd.link", SV_ART_PROC_PID, 1, T0, 1234,
	 "cwd.link"},
	{"proc/1764392000/1234/root.link", SV_ART_PROC_PID, 1, T0, 1234,
	 "root.link"},
	{"proc/1764392000/1234/fd.links", SV_ART_PROC_PID, 1, T0, 1234,
	 "fd.links"},
	{"proc/1764392000/1234/ns.links", SV_ART_PROC_PID, 1, T0, 1234,
	 "ns.links"},
	{"proc/1764392000.5/1/status", SV_ART_PROC_PID, 1, T0 + 500000000, 1,
	 "status"},
	{"proc/1764392000/4294967295/stat", SV_ART_PROC_PID, 1, T0,
	 4294967295u, "stat"},
	/* per-namespace socket tables */
	{"proc/1764392000/1234/net/tcp", SV_ART_PROC_NET, 1, T0, 1234,
	 "net/tcp"},
	{"proc/1764392000/1234/net/tcp6", SV_ART_PROC_NET, 1, T0, 1234,
	 "net/tcp6"},
	{"proc/1764392000/1234/net/udp", SV_ART_PROC_NET, 1, T0, 1234,
	 "net/udp"},
	{"proc/1764392000/1234/net/udp6", SV_ART_PROC_NET, 1, T0, 1234,
	 "net/udp6"},
	{"proc/1764392000/1234/net/unix", SV_ART_PROC_NET, 1, T0, 1234,
	 "net/unix"},
	/* cgroup files, v1 controller folders and v2 unified paths */
	{"cgroup/1764392000/memory/libpod_parent/libpod-" CID "/memory.stat",
	 SV_ART_CGROUP, 1, T0, 0,
	 "memory/libpod_parent/libpod-" CID "/memory.stat"},
	{"cgroup/1764392000.125/system.slice/docker-" CID ".scope/cpu.stat",
	 SV_ART_CGROUP, 1, T0 + 125000000, 0,
	 "system.slice/docker-" CID ".scope/cpu.stat"},
	{"cgroup/1764392000/memory.pressure", SV_ART_CGROUP, 1, T0, 0,
	 "memory.pressure"},
	/* packet captures */
	{"pcap/x.pcap", SV_ART_PCAP, 0, 0, 0, "x.pcap"},
	{"pcap/y.pcapng", SV_ART_PCAP, 0, 0, 0, "y.pcapng"},
	{"pcap/eth0-2026-11-29.pcap", SV_ART_PCAP, 0, 0, 0,
	 "eth0-2026-11-29.pcap"},
	/* lifecycle logs */
	{"events/docker.jsonl", SV_ART_DOCKER_EVENTS, 0, 0, 0, NULL},
	{"events/podman.jsonl", SV_ART_PODMAN_EVENTS, 0, 0, 0, NULL},
	{"events/containerd.log", SV_ART_CONTAINERD_LOG, 0, 0, 0, NULL},
	{"events/crio.log", SV_ART_CRIO_LOG, 0, 0, 0, NULL},
	{"events/k8s-audit.jsonl", SV_ART_K8S_AUDIT, 0, 0, 0, NULL},
	{"events/k8s-events.json", SV_ART_K8S_EVENTS, 0, 0, 0, NULL},
	{"events/journal.jsonl", SV_ART_JOURNAL, 0, 0, 0, NULL},
	{"events/dmesg.txt", SV_ART_DMESG, 0, 0, 0, NULL},
	/* inspect documents */
	{"inspect/" CID ".json", SV_ART_INSPECT, 0, 0, 0, CID ".json"},
	/* shapes outside the contract */
	{"proc/notatime/1/stat", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc/1764392000", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc/1764392000/", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc/1764392000/other", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc/1764392000/0/status", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc/1764392000/4294967296/status", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc/1764392000/12a/status", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc/1764392000/-1/status", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc/1764392000/self/status", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc/-1764392000/stat", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc/1764392000./stat", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc/1764392000x/stat", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc/stat", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc/", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"proc", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"procfs/1764392000/stat", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"cgroup/1764392000", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"cgroup/1764392000/", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"cgroup/memory/memory.stat", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"pcap/sub/x.pcap", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"pcap/x.pcap.gz", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"pcap/x.txt", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"pcap/.pcap", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"pcap/", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"x.pcap", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"events/other.log", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"events/docker.jsonl.1", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"events/sub/docker.jsonl", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"docker.jsonl", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"inspect/x.txt", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"inspect/a/b.json", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"inspect/.json", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"Manifest.json", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"manifest.json.bak", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"sub/manifest.json", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"sha256sums", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"notes/readme.txt", SV_ART_UNKNOWN, 0, 0, 0, NULL},
	{"", SV_ART_UNKNOWN, 0, 0, 0, NULL},
};

START_TEST(classify_table)
{
	const struct layout_case *t = &cases[_i];
	struct sv_layout lay;

	memset(&lay, 0x5a, sizeof(lay));
	sv_layout_classify(t->path, &lay);
	ck_assert_msg(lay.kind == t->kind, "'%s': kind %s, want %s", t->path,
		      sv_artifact_name(lay.kind), sv_artifact_name(t->kind));
	ck_assert_msg(lay.has_snapshot == t->has_snapshot,
		      "'%s': has_snapshot %d", t->path, lay.has_snapshot);
	ck_assert_msg(lay.snapshot_ns == t->snapshot_ns,
		      "'%s': snapshot_ns %lld, want %lld", t->path,
		      (long long)lay.snapshot_ns, (long long)t->snapshot_ns);
	ck_assert_msg(lay.pid == t->pid, "'%s': pid %u", t->path, lay.pid);
	ck_assert_ptr_nonnull(lay.leaf);
	ck_assert_msg(strcmp(lay.leaf, t->leaf ? t->leaf : t->path) == 0,
		      "'%s': leaf '%s'", t->path, lay.leaf);
	/* the leaf points into path */
	ck_assert(lay.leaf >= t->path &&
		  lay.leaf <= t->path + strlen(t->path));
}
END_TEST

START_TEST(names)
{
	int k, j;

	ck_assert_str_eq(sv_artifact_name(SV_ART_PROC_PID), "proc-pid");
	ck_assert_str_eq(sv_artifact_name(SV_ART_UNKNOWN), "unknown");
	ck_assert_str_eq(sv_artifact_name(SV_ART_MANIFEST), "manifest");
	ck_assert_str_eq(sv_artifact_name(SV_ART_SHA256SUMS), "sha256sums");
	ck_assert_str_eq(sv_artifact_name(SV_ART_COUNT), "unknown");
	ck_assert_str_eq(sv_artifact_name((enum sv_artifact)-1), "unknown");
	ck_assert_str_eq(sv_artifact_title((enum sv_artifact)999), "unknown");
	for (k = 0; k < SV_ART_COUNT; k++) {
		const char *n = sv_artifact_name((enum sv_artifact)k);

		ck_assert_ptr_nonnull(n);
		ck_assert_ptr_nonnull(sv_artifact_title((enum sv_artifact)k));
		ck_assert_uint_gt(strlen(n), 0);
		/* names are distinct, lowercase, no spaces */
		for (j = 0; n[j]; j++)
			ck_assert(n[j] == '-' || (n[j] >= 'a' && n[j] <= 'z') ||
				  (n[j] >= '0' && n[j] <= '9'));
		for (j = 0; j < k; j++)
			ck_assert_str_ne(n, sv_artifact_name(
						    (enum sv_artifact)j));
	}
}
END_TEST

static Suite *layout_suite(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("classify");

	tcase_add_loop_test(tc, classify_table, 0, N(cases));
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(layout_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
