/*
 * test_cgroup_id.c - formats/sv_cgroup_id: the container behind every
 * cgroup path shape seen in the corpus (cgroup/ folders of fluent-bit
 * and telegraf), in the sample bundles (proc/<T>/<pid>/cgroup of real
 * podman containers), in public runtime test data (NeuVector's
 * share/system/cgroup_test.go: real /proc/<pid>/cgroup files of docker,
 * containerd, CRI-O and kubelet hosts) and in the runtimes' naming rules;
 * plus host paths and hostile ones.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sv_cgroup_id.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ids from data/cgroup (fluent-bit corpus, sample bundle) */
#define DOCKER_V1 \
	"3d02975d4378f74f9a5005206e14745c" "e76947d970fad44ac6a5c5b80a3ccdf0"
#define DOCKER_V2 \
	"043b521509b63b46e785a897f9264cec" "b3531ebc83d5072fcaeeeae6336bce57"
#define PODMAN_FB \
	"8a19d6058bfbe88cd0548eba9047d94c" "70161f5d74b545c7504b2f27491686d9"
#define PODMAN_S \
	"26d00411f9a1115c23bf0b9d477171f2" "1739e24ec6cb6525470eb123549ef253"
/* ids and pod UIDs from NeuVector's cgroup_test.go */
#define NV_DEBIAN \
	"4f797c539e6c745de61a93ca3ff89235" "8ecbcaccd8414d5db545c38428142970"
#define NV_CENTOS \
	"9ec39b91f3d70e1beff50a308f770670" "65ea6be0d91a3378375056cd4422cf3d"
#define NV_RANCH_OUT \
	"a9a5ad238e59234193ee7ec3fcff5e73" "5b3708ea1068826952255b69e3cfa413"
#define NV_RANCH_IN \
	"ec08435e04266c5ba381fccbb829f626" "d11d8ddf5f8f547263c7a2d79ab4787a"
#define NV_KP1 \
	"cb1eadb7abe3a6545e98564112070732" "77838e1bdc003337c2f8685faeedc32c"
#define NV_KP1_POD "74ba62da-1a3d-11e7-bb11-080027cb0e22"
#define NV_KP2 \
	"b5b6f2da8008be266864f896f9378976" "2b2ce50792114a5c5f2cc3315af0bc70"
#define NV_KP2_POD "045b1e35-7f13-11e7-ac42-0050568ffca0"
#define NV_PROXY \
	"c04e0a88a1de067f25bece337d4dbb89" "7396e0b623c2a65330850fc9823f1903"
#define NV_PROXY_POD "f8a694f2-7c08-11e9-98da-000c29077430"
#define NV_BR "f45298cd514d1930c4fe3afc4412e59547f7e3148fddd22ca33cefce046eb830"
#define NV_BR_POD "dd1bf9d1-241d-47f5-8e25-12de83135812"
#define NV_CRIO19 \
	"d6d725b909f37c3e232aadfbafa950a5" "8bfe7baa579ba8c47a12be88bb921607"
#define NV_CRIO19_POD "8ca306fa-3c03-47fa-97dd-19979c345572"
#define NV_CRIO17 \
	"7a1fd6fe8cdfbd44dc78c4cc85dad703" "1eaab4365801684cad0aabdeaf863f9e"
#define NV_CRIO17_POD "487a0dc6dccaeefbcfedba7a7ce1ca18"
#define NV_CTRD12 \
	"5dd96d5394ca930a854a390ea46f7515" "a8bc930123eb3251ba20f2708a38fc61"
#define NV_CTRD12_POD "a36d0c1d-0b26-4451-8d80-9c195e004afa"
#define NV_CTRD14 \
	"d3d8ccf5cca91931c6285c1d7472c413" "dd5a7700fddc0aa9f89a9ac7008b003e"
#define NV_CTRD14_POD "2105e389-7471-476e-a50f-6074cef29bbd"
#define POD_ID \
	"b1e9c6f1bd3ab8d5f0a0b7e64c6b2b2f" "1d9e2a5c3f4e5d6c7b8a9f0e1d2c3b4a"

#define U SV_RT_UNKNOWN
#define DK SV_RT_DOCKER
#define PM SV_RT_PODMAN
#define CD SV_RT_CONTAINERD
#define CR SV_RT_CRIO
#define K8 SV_RT_K8S

struct id_case {
	const char *path;
	int found;
	enum sv_runtime rt;
	const char *id;     /* "" when none */
	const char *pod;
	const char *qos;
	int conmon;
};

static const struct id_case cases[] = {
	/* docker, cgroupfs driver (fluent-bit cgroupv1, NeuVector Ubuntu) */
	{"/docker/" DOCKER_V1, 1, DK, DOCKER_V1, "", "", 0},
	{"docker/" DOCKER_V1, 1, DK, DOCKER_V1, "", "", 0},
	{"/docker//" DOCKER_V1 "/", 1, DK, DOCKER_V1, "", "", 0},
	/* docker, systemd driver (fluent-bit cgroupv2, NeuVector CentOS) */
	{"system.slice/docker-" DOCKER_V2 ".scope", 1, DK, DOCKER_V2, "", "",
	 0},
	{"/system.slice/docker-" NV_CENTOS ".scope", 1, DK, NV_CENTOS, "", "",
	 0},
	/* docker-in-docker (NeuVector RancherOS): the inner one */
	{"/docker/" NV_RANCH_OUT "/docker/" NV_RANCH_IN, 1, DK, NV_RANCH_IN, "",
	 "", 0},
	/* old docker with cgroup-parent "/" (NeuVector Debian) */
	{"/" NV_DEBIAN, 1, U, NV_DEBIAN, "", "", 0},
	/* podman, cgroupfs (sample bundles) and its shared conmon folder */
	{"/libpod_parent/libpod-" PODMAN_S, 1, PM, PODMAN_S, "", "", 0},
	{"libpod_parent/libpod-" PODMAN_S, 1, PM, PODMAN_S, "", "", 0},
	{"/libpod_parent/conmon", 0, PM, "", "", "", 1},
	/* podman pods with cgroupfs: the pod folder is a bare id */
	{"/libpod_parent/" POD_ID "/libpod-" PODMAN_S, 1, PM, PODMAN_S, "", "",
	 0},
	{"/libpod_parent/" POD_ID "/conmon", 0, PM, "", "", "", 1},
	{"/libpod_parent/" POD_ID, 0, U, "", "", "", 0},
	/* podman v2 layouts of the fluent-bit corpus */
	{"libpod-" PODMAN_FB, 1, PM, PODMAN_FB, "", "", 0},
	{"libpod-" PODMAN_FB "/containers", 1, PM, PODMAN_FB, "", "", 0},
	/* podman, systemd driver, rootful and rootless, pods, split */
	{"/machine.slice/libpod-" PODMAN_S ".scope", 1, PM, PODMAN_S, "", "",
	 0},
	{"/machine.slice/libpod-" PODMAN_S ".scope/container", 1, PM, PODMAN_S,
	 "", "", 0},
	{"/machine.slice/libpod-conmon-" PODMAN_S ".scope", 1, PM, PODMAN_S,
	 "", "", 1},
	{"/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-"
	 PODMAN_S ".scope", 1, PM, PODMAN_S, "", "", 0},
	{"/user.slice/user-1000.slice/user@1000.service/user.slice/"
	 "libpod-conmon-" PODMAN_S ".scope", 1, PM, PODMAN_S, "", "", 1},
	{"/machine.slice/machine-libpod_pod_" POD_ID ".slice/libpod-" PODMAN_S
	 ".scope", 1, PM, PODMAN_S, "", "", 0},
	{"/system.slice/web.service/libpod-payload-" PODMAN_S, 1, PM,
	 PODMAN_S, "", "", 0},
	/* containerd without kubelet: <namespace>/<id>; nerdctl */
	{"/k8s.io/" NV_BR, 1, CD, NV_BR, "", "", 0},
	{"/default/" NV_BR, 1, CD, NV_BR, "", "", 0},
	{"/system.slice/nerdctl-" NV_BR ".scope", 1, CD, NV_BR, "", "", 0},
	/* CRI-O outside a pod folder (conmon_cgroup = system.slice) */
	{"/system.slice/crio-" NV_CRIO19 ".scope", 1, CR, NV_CRIO19, "", "",
	 0},
	{"/system.slice/crio-conmon-" NV_CRIO19 ".scope", 1, CR, NV_CRIO19, "",
	 "", 1},
	/* kubelet, cgroupfs driver (NeuVector Kubepods, containerd 1.2) */
	{"/kubepods/besteffort/pod" NV_KP1_POD "/" NV_KP1, 1, K8, NV_KP1,
	 NV_KP1_POD, "besteffort", 0},
	{"/kubepods/besteffort/pod" NV_CTRD12_POD "/" NV_CTRD12, 1, K8,
	 NV_CTRD12, NV_CTRD12_POD, "besteffort", 0},
	{"/kubepods/burstable/pod" NV_KP1_POD "/" NV_KP1, 1, K8, NV_KP1,
	 NV_KP1_POD, "burstable", 0},
	{"/kubepods/pod" NV_KP1_POD "/" NV_KP1, 1, K8, NV_KP1, NV_KP1_POD,
	 "guaranteed", 0},
	{"/kubepods/besteffort/pod" NV_PROXY_POD "/" NV_PROXY "/kube-proxy", 1,
	 K8, NV_PROXY, NV_PROXY_POD, "besteffort", 0},
	{"/kubepods/burstable/pod" NV_KP1_POD "/crio-" NV_CRIO19, 1, CR,
	 NV_CRIO19, NV_KP1_POD, "burstable", 0},
	{"/kubepods/burstable/pod" NV_KP1_POD, 0, K8, "", NV_KP1_POD,
	 "burstable", 0},
	/* kubelet, systemd driver: '_' in pod UIDs */
	{"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	 "045b1e35_7f13_11e7_ac42_0050568ffca0.slice/docker-" NV_KP2 ".scope",
	 1, DK, NV_KP2, NV_KP2_POD, "besteffort", 0},
	{"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	 "dd1bf9d1_241d_47f5_8e25_12de83135812.slice/cri-containerd-" NV_BR
	 ".scope", 1, CD, NV_BR, NV_BR_POD, "besteffort", 0},
	{"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	 "8ca306fa_3c03_47fa_97dd_19979c345572.slice/crio-" NV_CRIO19 ".scope",
	 1, CR, NV_CRIO19, NV_CRIO19_POD, "besteffort", 0},
	{"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	 NV_CRIO17_POD ".slice/crio-" NV_CRIO17 ".scope", 1, CR, NV_CRIO17,
	 NV_CRIO17_POD, "burstable", 0},
	{"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	 NV_CRIO17_POD ".slice/crio-conmon-" NV_CRIO17 ".scope", 1, CR,
	 NV_CRIO17, NV_CRIO17_POD, "burstable", 1},
	{"/kubepods.slice/kubepods-pod2105e389_7471_476e_a50f_6074cef29bbd"
	 ".slice/cri-containerd-" NV_CTRD14 ".scope", 1, CD, NV_CTRD14,
	 NV_CTRD14_POD, "guaranteed", 0},
	/* a systemd cgroupsPath left as a folder name (containerd 1.4) */
	{"/system.slice/containerd.service/kubepods-besteffort-pod2105e389_"
	 "7471_476e_a50f_6074cef29bbd.slice:cri-containerd:" NV_CTRD14, 1, CD,
	 NV_CTRD14, NV_CTRD14_POD, "besteffort", 0},
	{"/kubepods-besteffort-pod2105e389_7471_476e_a50f_6074cef29bbd.slice"
	 ":cri-containerd:" NV_CTRD14, 1, CD, NV_CTRD14, NV_CTRD14_POD,
	 "besteffort", 0},
	/* kind: a Kubernetes node inside a docker container */
	{"/system.slice/docker-" DOCKER_V2 ".scope/kubelet.slice/"
	 "kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/"
	 "kubelet-kubepods-besteffort-pod045b1e35_7f13_11e7_ac42_0050568ffca0"
	 ".slice/cri-containerd-" NV_BR ".scope", 1, CD, NV_BR, NV_KP2_POD,
	 "besteffort", 0},
	{"/system.slice/docker-" DOCKER_V2 ".scope/system.slice/"
	 "containerd.service", 1, DK, DOCKER_V2, "", "", 0},
	/* seen from inside a cgroup namespace */
	{"/../docker-" DOCKER_V2 ".scope", 1, DK, DOCKER_V2, "", "", 0},
	{"/../../init.scope", 0, U, "", "", "", 0},
	/* the host: not containers */
	{"/", 0, U, "", "", "", 0},
	{"", 0, U, "", "", "", 0},
	{"/init.scope", 0, U, "", "", "", 0},
	{"/user.slice", 0, U, "", "", "", 0},
	{"/system.slice/sshd.service", 0, U, "", "", "", 0},
	{"/system.slice/docker.service", 0, U, "", "", "", 0},
	{"/user/1000.user/c2.session", 0, U, "", "", "", 0},
	{"/process_api/7ccf4c7fdafc42b5d3f5577f31d9f13b", 0, U, "", "", "", 0},
	{"/conmon", 0, U, "", "", "", 0},
	{"/kubepods", 0, U, "", "", "", 0},
	{"/kubepods.slice/kubepods-besteffort.slice", 0, U, "", "", "", 0},
	/* hostile: wrong length, not hex, not lowercase, traversal */
	{"/docker/" "3d02975d4378f74f9a5005206e14745"
	 "ce76947d970fad44ac6a5c5b80a3ccdf",
	 0, U, "", "", "", 0},
	{"/docker/" DOCKER_V1 "0", 0, U, "", "", "", 0},
	{"/docker/" "3D02975D4378F74F9A5005206E14745C"
	 "E76947D970FAD44AC6A5C5B80A3CCDF0",
	 0, U, "", "", "", 0},
	{"/docker/3g02975d4378f74f9a5005206e14745c"
	 "e76947d970fad44ac6a5c5b80a3ccdf0",
	 0, U, "", "", "", 0},
	{"/system.slice/docker-../x.scope", 0, U, "", "", "", 0},
	{"/system.slice/docker-../" DOCKER_V1 "x.scope", 0, U, "", "", "", 0},
	{"/system.slice/docker-" DOCKER_V2 ".scope.scope", 0, U, "", "", "", 0},
	{"/system.slice/docker-" DOCKER_V2 "x.scope", 0, U, "", "", "", 0},
	{"/system.slice/docker" DOCKER_V2 ".scope", 0, U, "", "", "", 0},
	{"/system.slice/" DOCKER_V2 ".scope", 0, U, "", "", "", 0},
	{"/system.slice/podman-" DOCKER_V2 ".scope", 0, U, "", "", "", 0},
	{"/unknown-parent/" DOCKER_V2, 0, U, "", "", "", 0},
	{"/kubepods/besteffort/podNOT-A-UUID/" NV_KP1, 0, U, "", "", "", 0},
	{"/kubepods/besteffort/pod74BA62DA-1A3D-11E7-BB11-080027CB0E22/" NV_KP1,
	 0, U, "", "", "", 0},
	{"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	 "x_y.slice/cri-containerd-" NV_BR ".scope", 1, CD, NV_BR, "", "", 0},
	{"a:b:c", 0, U, "", "", "", 0},
	{"x.slice:cri-containerd:" NV_BR ":extra", 0, U, "", "", "", 0},
	{"x.slice:cri-containerd:" NV_BR "0", 0, U, "", "", "", 0},
	{"x.slice:" "cri-containerd-cri-containerd-cri-containerd-cri:" NV_BR,
	 0, U, "", "", "", 0},
	{"::::", 0, U, "", "", "", 0},
	{"/\x01\xff/docker/\n", 0, U, "", "", "", 0},
};

START_TEST(test_shapes)
{
	const struct id_case *c = &cases[_i];
	struct sv_container_ref ref;
	int got;

	memset(&ref, 0xaa, sizeof(ref));
	got = sv_cgroup_container(c->path, &ref);
	ck_assert_msg(got == c->found, "%s: found %d", c->path, got);
	ck_assert_msg(ref.runtime == c->rt, "%s: runtime %d", c->path,
		      ref.runtime);
	ck_assert_str_eq(ref.id, c->id);
	ck_assert_str_eq(ref.pod_uid, c->pod);
	ck_assert_str_eq(ref.qos, c->qos);
	ck_assert_int_eq(ref.is_conmon, c->conmon);
}
END_TEST

/* Every cgroup line of the sample bundles' /proc/<pid>/cgroup files. */
START_TEST(test_proc_cgroup_lines)
{
	static const struct {
		const char *line_path; /* the path field of a cgroup line */
		int found;
		int conmon;
	} lines[] = {
		{"/", 0, 0},
		{"/libpod_parent/libpod-" PODMAN_S, 1, 0},
		{"/libpod_parent/conmon", 0, 1},
		{"/process_api/7ccf4c7fdafc42b5d3f5577f31d9f13b", 0, 0},
	};
	struct sv_container_ref ref;
	size_t i;

	for (i = 0; i < N(lines); i++) {
		ck_assert_int_eq(sv_cgroup_container(lines[i].line_path, &ref),
				 lines[i].found);
		ck_assert_int_eq(ref.is_conmon, lines[i].conmon);
	}
}
END_TEST

static char *repeat(const char *unit, size_t times, const char *tail)
{
	size_t u = strlen(unit), t = strlen(tail), i;
	char *s = malloc(u * times + t + 1);

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < times; i++)
		memcpy(s + i * u, unit, u);
	memcpy(s + u * times, tail, t + 1);
	return s;
}

START_TEST(test_long_paths)
{
	struct sv_container_ref ref;
	char *p;

	p = repeat("a/", 50000, "docker/" DOCKER_V1);
	ck_assert_int_eq(sv_cgroup_container(p, &ref), 1);
	ck_assert_str_eq(ref.id, DOCKER_V1);
	free(p);
	p = repeat("docker-", 30000, ".scope");
	ck_assert_int_eq(sv_cgroup_container(p, &ref), 0);
	free(p);
	p = repeat("kubepods-pod", 20000, ".slice/x");
	ck_assert_int_eq(sv_cgroup_container(p, &ref), 0);
	ck_assert_str_eq(ref.pod_uid, "");
	free(p);
	p = repeat(":", 100000, "");
	ck_assert_int_eq(sv_cgroup_container(p, &ref), 0);
	free(p);
	p = repeat("0", 100000, "");
	ck_assert_int_eq(sv_cgroup_container(p, &ref), 0);
	free(p);
}
END_TEST

START_TEST(test_null_path)
{
	struct sv_container_ref ref;

	memset(&ref, 0x55, sizeof(ref));
	ck_assert_int_eq(sv_cgroup_container(NULL, &ref), 0);
	ck_assert_int_eq(ref.runtime, SV_RT_UNKNOWN);
	ck_assert_str_eq(ref.id, "");
	ck_assert_int_eq(ref.is_conmon, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cgroup_id");
	TCase *tc = tcase_create("shapes");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_shapes, 0, (int)N(cases));
	tcase_add_test(tc, test_proc_cgroup_lines);
	tcase_add_test(tc, test_long_paths);
	tcase_add_test(tc, test_null_path);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
