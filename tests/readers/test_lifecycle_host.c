/*
 * test_lifecycle_host.c - journal and inspect readers
 * (formats/fmt_journal.c, formats/fmt_inspect.c) on journalctl output
 * made on this machine, real `podman inspect` output, a dockerd
 * config.v2.json; and every lifecycle reader run on members of a real
 * .tar.zst bundle, where sources arrive in blocks.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lifecycle_test.h"
#include "sv_bundle.h"
#include "sv_testbundle.h"
#include "sv_time.h"

extern const struct sv_format_ops sv_fmt_journal;
extern const struct sv_format_ops sv_fmt_inspect;
extern const struct sv_format_ops sv_fmt_docker_events;
extern const struct sv_format_ops sv_fmt_podman_events;
extern const struct sv_format_ops sv_fmt_containerd_log;
extern const struct sv_format_ops sv_fmt_crio_log;
extern const struct sv_format_ops sv_fmt_k8s_audit;
extern const struct sv_format_ops sv_fmt_k8s_events;

#define JOURNAL "events/journal.jsonl"
#define FULL "4b6b8a7d9c1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a"
#define HOG "26d00411f9a1115c23bf0b9d477171f21739e24ec6cb6525470eb123549ef253"
#define WEB "23578e11f014df1903367081509ce7a7be2a27c0020b85a9873e40d5d74329ec"
#define DCFG "3d02975d4378f74f9a5005206e14745ce76947d970fad44ac6a5c5b80a3ccdf0"

static const struct sv_journal *jr(const struct lt_run *r, size_t i)
{
	ck_assert_uint_gt(r->nrec, i);
	ck_assert_int_eq(r->rec[i].type, SV_REC_JOURNAL);
	return &r->rec[i].u.journal;
}

static const struct sv_inspect *in(const struct lt_run *r, size_t i)
{
	ck_assert_uint_gt(r->nrec, i);
	ck_assert_int_eq(r->rec[i].type, SV_REC_INSPECT);
	return &r->rec[i].u.inspect;
}

/* ---- journal ---- */

START_TEST(journal_real_output)
{
	struct lt_run *r = lt_new();
	const struct sv_journal *j;

	lt_parse_file(r, &sv_fmt_journal, JOURNAL, "journal.jsonl");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nprob, 0);
	ck_assert_uint_eq(r->nrec, 6);
	j = jr(r, 0);
	/* systemd about a unit: UNIT wins over _SYSTEMD_UNIT=init.scope */
	ck_assert_str_eq(j->unit, "docker.service");
	ck_assert_str_eq(j->identifier, "systemd");
	ck_assert_str_eq(j->message, "Starting docker.service - Docker "
				     "Application Container Engine...");
	ck_assert_int_eq(j->pid, 1);
	ck_assert_str_eq(j->container_id, "");
	ck_assert_int_eq(r->rec[0].ts_ns, 1764392000000100000LL);
	ck_assert_uint_eq(r->rec[0].line, 1);
	ck_assert_str_eq(jr(r, 1)->unit, "docker.service");
	ck_assert_str_eq(jr(r, 1)->identifier, "dockerd");
	ck_assert_int_eq(jr(r, 1)->pid, 812);
	j = jr(r, 2);
	ck_assert_str_eq(j->container_id, FULL);
	ck_assert_str_eq(j->container_name, "web");
	ck_assert_str_eq(j->identifier, "4b6b8a7d9c1e");
	/* journalctl's byte array for a message that is not text */
	ck_assert_str_eq(jr(r, 3)->message,
			 "binary \x01\x02\xff\xfe payload\nline2");
	ck_assert_str_eq(jr(r, 4)->unit, "docker-" FULL ".scope");
	j = jr(r, 5);
	ck_assert_str_eq(j->identifier, "kernel");
	ck_assert_str_eq(j->unit, "");
	ck_assert_int_eq(j->pid, -1);
	ck_assert_ptr_nonnull(strstr(j->message, "Killed process 4242"));
	lt_free(r);
}
END_TEST

struct bad_case {
	const char *name;
	const struct sv_format_ops *ops;
	const char *path;
	const char *input;
	enum sv_status rc;
	size_t nrec;
	uint64_t line;
	const char *problem;
};

#define TS "\"__REALTIME_TIMESTAMP\":\"1764392000000100\""
#define JGOOD "{" TS ",\"MESSAGE\":\"ok\"}"
#define IN "inspect/" WEB ".json"

static const struct bad_case bad[] = {
	{"journal empty", &sv_fmt_journal, JOURNAL, "", SV_OK, 0, 0, NULL},
	{"journal null message", &sv_fmt_journal, JOURNAL,
	 "{" TS ",\"MESSAGE\":null}\n", SV_WARN, 1, 1, "left out"},
	{"journal bad byte", &sv_fmt_journal, JOURNAL,
	 "{" TS ",\"MESSAGE\":[104,300]}\n", SV_WARN, 1, 1,
	 "neither text nor"},
	{"journal message object", &sv_fmt_journal, JOURNAL,
	 "{" TS ",\"MESSAGE\":{\"a\":1}}\n", SV_WARN, 1, 1, "neither text nor"},
	{"journal pid text", &sv_fmt_journal, JOURNAL,
	 "{" TS ",\"MESSAGE\":\"x\",\"_PID\":\"abc\"}\n", SV_WARN, 1, 1,
	 "'_PID'"},
	{"journal pid huge", &sv_fmt_journal, JOURNAL,
	 "{" TS ",\"MESSAGE\":\"x\",\"_PID\":\"99999999999999999999\"}\n",
	 SV_WARN, 1, 1, "'_PID'"},
	{"journal time not digits", &sv_fmt_journal, JOURNAL,
	 "{\"__REALTIME_TIMESTAMP\":\"17643920x\",\"MESSAGE\":\"x\"}\n",
	 SV_WARN, 1, 1, "decimal microseconds"},
	{"journal time number", &sv_fmt_journal, JOURNAL,
	 "{\"__REALTIME_TIMESTAMP\":1764392000000100,\"MESSAGE\":\"x\"}\n",
	 SV_WARN, 1, 1, "decimal microseconds"},
	{"journal time huge", &sv_fmt_journal, JOURNAL,
	 "{\"__REALTIME_TIMESTAMP\":\"99999999999999999999\","
	 "\"MESSAGE\":\"x\"}\n",
	 SV_WARN, 1, 1, "decimal microseconds"},
	{"journal not an entry", &sv_fmt_journal, JOURNAL,
	 "{\"foo\":1}\n" JGOOD "\n", SV_WARN, 1, 1, "not a journal entry"},
	{"journal truncated", &sv_fmt_journal, JOURNAL,
	 JGOOD "\n{\"__REALTIME_TIMESTAMP\":\"17", SV_WARN, 1, 2, "not JSON"},
	{"journal text export format", &sv_fmt_journal, JOURNAL,
	 "__REALTIME_TIMESTAMP=1764392000000100\nMESSAGE=hi\n\n",
	 SV_ERR_CORRUPT, 0, 1, "not JSON"},
	{"inspect empty file", &sv_fmt_inspect, IN, "", SV_ERR_CORRUPT, 0, 0,
	 NULL},
	{"inspect empty array", &sv_fmt_inspect, IN, "[]\n", SV_ERR_CORRUPT, 0,
	 0, NULL},
	{"inspect no id", &sv_fmt_inspect, IN, "{\"Name\":\"/x\"}",
	 SV_ERR_CORRUPT, 0, 0, "not a container"},
	{"inspect one bad element", &sv_fmt_inspect, IN,
	 "[{\"Id\":\"" WEB "\",\"HostConfig\":{}},5]", SV_WARN, 1, 0,
	 "container 1: not a container"},
	{"inspect truncated", &sv_fmt_inspect, IN,
	 "[\n {\n  \"Id\": \"abc\",\n  \"State\": {", SV_ERR_CORRUPT, 0, 0,
	 NULL},
	{"inspect bad time", &sv_fmt_inspect, IN,
	 "[{\"Id\":\"" WEB "\",\"HostConfig\":{},\"Created\":\"yesterday\"}]",
	 SV_WARN, 1, 0, "not an RFC 3339 time: Created"},
	{"inspect exit code text", &sv_fmt_inspect, IN,
	 "[{\"Id\":\"" WEB "\",\"HostConfig\":{},\"State\":{\"ExitCode\":"
	 "\"1\"}}]",
	 SV_WARN, 1, 0, "not an integer: State.ExitCode"},
	{"inspect name mismatch", &sv_fmt_inspect, "inspect/deadbeef.json",
	 "[{\"Id\":\"" WEB "\",\"HostConfig\":{}}]", SV_WARN, 1, 0,
	 "does not match"},
	{"inspect garbage", &sv_fmt_inspect, IN, "\x89PNG\r\n\x1a\n",
	 SV_ERR_CORRUPT, 0, 0, NULL},
};

START_TEST(malformed)
{
	const struct bad_case *c = &bad[_i];
	struct lt_run *r = lt_new();

	lt_parse(r, c->ops, c->path, c->input, strlen(c->input));
	ck_assert_msg(r->rc == c->rc, "%s: rc %d, want %d (%s)", c->name,
		      r->rc, c->rc, r->err.msg);
	ck_assert_msg(r->nrec == c->nrec, "%s: %zu records, want %zu",
		      c->name, r->nrec, c->nrec);
	if (c->problem)
		ck_assert_msg(lt_problem(r, c->line, c->problem) >= 0,
			      "%s: no problem '%s' at %llu (first: %s)",
			      c->name, c->problem,
			      (unsigned long long)c->line,
			      r->nprob ? r->prob[0].msg : "none");
	if (c->rc == SV_ERR_CORRUPT && !c->problem)
		ck_assert(r->err.msg[0] != '\0');
	lt_free(r);
}
END_TEST

START_TEST(journal_message_shapes)
{
	static const char input[] =
		"{" TS ",\"MESSAGE\":[97,0,98]}\n"
		"{" TS ",\"MESSAGE\":[\"first\",\"second\"]}\n"
		"{" TS ",\"MESSAGE\":[[104,105],\"x\"]}\n"
		"{" TS ",\"MESSAGE\":[]}\n"
		"{" TS ",\"SYSLOG_PID\":\"77\","
		"\"_SYSTEMD_USER_UNIT\":\"u.service\","
		"\"_CONTAINER_ID\":\"abc\"}\n";
	struct lt_run *r = lt_new();

	lt_parse(r, &sv_fmt_journal, JOURNAL, input, sizeof(input) - 1);
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nrec, 5);
	ck_assert_str_eq(jr(r, 0)->message, "a\\x00b");
	ck_assert_str_eq(jr(r, 1)->message, "first");
	ck_assert_str_eq(jr(r, 2)->message, "hi");
	ck_assert_str_eq(jr(r, 3)->message, "");
	ck_assert_str_eq(jr(r, 4)->message, "");
	ck_assert_int_eq(jr(r, 4)->pid, 77);
	ck_assert_str_eq(jr(r, 4)->unit, "u.service");
	ck_assert_str_eq(jr(r, 4)->container_id, "abc");
	lt_free(r);
}
END_TEST

START_TEST(journal_huge_byte_message_cut)
{
	size_t n = 20000, i, o;
	char *buf = malloc(n * 4 + 200);
	struct lt_run *r = lt_new();

	ck_assert_ptr_nonnull(buf);
	o = (size_t)snprintf(buf, 200, "{" TS ",\"MESSAGE\":[");
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, 8, i ? ",%d" : "%d",
				      65 + (int)(i % 26));
	o += (size_t)snprintf(buf + o, 8, "]}\n");
	lt_parse(r, &sv_fmt_journal, JOURNAL, buf, o);
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_uint_eq(strlen(jr(r, 0)->message), 16384);
	ck_assert_int_ge(lt_problem(r, 1, "'MESSAGE'"), 0);
	free(buf);
	lt_free(r);
}
END_TEST

/* ---- inspect ---- */

START_TEST(inspect_podman_dead)
{
	struct lt_run *r = lt_new();
	const struct sv_inspect *i;

	lt_parse_file(r, &sv_fmt_inspect, "inspect/" HOG ".json",
		      "inspect-podman-hog.json");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nprob, 0);
	ck_assert_uint_eq(r->nrec, 1);
	i = in(r, 0);
	ck_assert_str_eq(i->id, HOG);
	ck_assert_str_eq(i->name, "hog");
	ck_assert_str_eq(i->image, "localhost/salvage-demo:1");
	ck_assert_str_eq(i->image_id, "16db63578749773089665d0fa5fd6d4fe50d90"
				      "8985e4a992c9c87acca8d0785c");
	ck_assert_int_eq(i->created_ns, 1795942204137312285LL);
	ck_assert_int_eq(r->rec[0].ts_ns, i->created_ns);
	ck_assert_int_eq(i->started_ns, 1795942204917553422LL);
	ck_assert_int_eq(i->finished_ns, 1795942213874132139LL);
	ck_assert_int_eq(i->exit_code, 137);
	ck_assert_int_eq(i->pid, 0);
	ck_assert_int_eq(i->running, 0);
	ck_assert_int_eq(i->oom_killed, 0);
	ck_assert_int_eq(i->privileged, 0);
	ck_assert_uint_eq(i->n_cap_add, 0);
	ck_assert_uint_eq(i->n_mounts, 0);
	ck_assert_uint_eq(i->n_ip_addresses, 0);
	ck_assert_str_eq(i->network_mode, "bridge");
	ck_assert_str_eq(i->ipc_mode, "shareable");
	ck_assert_str_eq(i->pid_mode, "private");
	ck_assert_str_eq(i->pod, "");
	lt_free(r);
}
END_TEST

START_TEST(inspect_podman_running)
{
	struct lt_run *r = lt_new();
	const struct sv_inspect *i;

	lt_parse_file(r, &sv_fmt_inspect, "inspect/" WEB ".json",
		      "inspect-podman-web.json");
	ck_assert_int_eq(r->rc, SV_OK);
	i = in(r, 0);
	ck_assert_str_eq(i->name, "web");
	ck_assert_int_eq(i->running, 1);
	ck_assert_int_eq(i->pid, 9079);
	ck_assert_int_eq(i->finished_ns, SV_TIME_NONE); /* Go zero time */
	ck_assert_uint_eq(i->n_ip_addresses, 1);
	ck_assert_str_eq(i->ip_addresses[0], "10.89.77.10");
	lt_free(r);
}
END_TEST

START_TEST(inspect_docker_privileged)
{
	struct lt_run *r = lt_new();
	const struct sv_inspect *i;

	lt_parse_file(r, &sv_fmt_inspect, "inspect/3f6c2a9e8b7d.json",
		      "inspect-docker-handwritten.json");
	ck_assert_int_eq(r->rc, SV_OK);
	ck_assert_uint_eq(r->nprob, 0);
	i = in(r, 0);
	ck_assert_str_eq(i->name, "k8s_web_web-6b7f9c8d5-k2x4p_shop_1f2e3d4c-"
				  "5b6a-4798-8a9b-0c1d2e3f4a5b_0");
	ck_assert_str_eq(i->image, "nginx:1.25");
	ck_assert_str_eq(i->user, "0");
	ck_assert_int_eq(i->privileged, 1);
	ck_assert_int_eq(i->oom_killed, 1);
	ck_assert_int_eq(i->exit_code, 137);
	ck_assert_uint_eq(i->n_cap_add, 3);
	ck_assert_str_eq(i->cap_add[0], "SYS_ADMIN");
	ck_assert_str_eq(i->cap_add[2], "SYS_PTRACE");
	ck_assert_str_eq(i->pid_mode, "host");
	ck_assert_str_eq(i->network_mode, "container:a1b2c3d4e5f6");
	ck_assert_str_eq(i->cgroup_parent,
			 "/kubepods/burstable/pod1f2e3d4c-5b6a-4798-8a9b-"
			 "0c1d2e3f4a5b");
	ck_assert_uint_eq(i->n_mounts, 3);
	ck_assert_str_eq(i->mounts[0].source, "/");
	ck_assert_str_eq(i->mounts[0].destination, "/host");
	ck_assert_str_eq(i->mounts[0].type, "bind");
	ck_assert_int_eq(i->mounts[0].rw, 0);
	ck_assert_int_eq(i->mounts[1].rw, 1);
	ck_assert_uint_eq(i->n_ip_addresses, 3);
	ck_assert_str_eq(i->ip_addresses[0], "172.17.0.5");
	ck_assert_str_eq(i->ip_addresses[1], "fd00:dead:beef::5");
	ck_assert_str_eq(i->ip_addresses[2], "10.10.0.7");
	ck_assert_str_eq(i->pod, "web-6b7f9c8d5-k2x4p");
	ck_assert_str_eq(i->k8s_namespace, "shop");
	lt_free(r);
}
END_TEST

START_TEST(inspect_dockerd_config_v2)
{
	struct lt_run *r = lt_new();
	const struct sv_inspect *i;

	lt_parse_file(r, &sv_fmt_inspect, "inspect/" DCFG ".json",
		      "docker-config.v2.json");
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_int_ge(lt_problem(r, 0, "no HostConfig"), 0);
	ck_assert_uint_eq(r->nrec, 1);
	i = in(r, 0);
	ck_assert_str_eq(i->id, DCFG);
	ck_assert_str_eq(i->name, "gracious_perlman");
	ck_assert_str_eq(i->image, "flb-centos/6");
	ck_assert_int_eq(i->running, 1);
	ck_assert_int_eq(i->pid, 29069);
	ck_assert_uint_eq(i->n_mounts, 1);
	ck_assert_str_eq(i->mounts[0].destination, "/output");
	ck_assert_str_eq(i->mounts[0].type, "volume");
	ck_assert_uint_eq(i->n_ip_addresses, 1);
	ck_assert_str_eq(i->ip_addresses[0], "172.17.0.2");
	lt_free(r);
}
END_TEST

/* Lists longer than the caps: cut and reported. */
START_TEST(inspect_caps)
{
	size_t cap = 64 * 1024, o = 0;
	char *buf = malloc(cap);
	struct lt_run *r = lt_new();
	int k;

	ck_assert_ptr_nonnull(buf);
	o += (size_t)snprintf(buf, cap, "{\"Id\":\"" WEB "\",\"HostConfig\":"
					"{\"CapAdd\":[");
	for (k = 0; k < 100; k++)
		o += (size_t)snprintf(buf + o, cap - o, "%s\"CAP_%d\"",
				      k ? "," : "", k);
	o += (size_t)snprintf(buf + o, cap - o, "]},\"Mounts\":[");
	for (k = 0; k < 300; k++)
		o += (size_t)snprintf(buf + o, cap - o,
				      "%s{\"Source\":\"/s%d\",\"Destination\":"
				      "\"/d\",\"RW\":true}",
				      k ? "," : "", k);
	o += (size_t)snprintf(buf + o, cap - o,
			      "],\"NetworkSettings\":{\"Networks\":{");
	for (k = 0; k < 70; k++)
		o += (size_t)snprintf(buf + o, cap - o,
				      "%s\"n%d\":{\"IPAddress\":\"10.0.%d.1\"}",
				      k ? "," : "", k, k);
	o += (size_t)snprintf(buf + o, cap - o, "}}}");
	ck_assert_uint_lt(o, cap - 1);
	lt_parse(r, &sv_fmt_inspect, IN, buf, o);
	ck_assert_int_eq(r->rc, SV_WARN);
	ck_assert_uint_eq(in(r, 0)->n_cap_add, 64);
	ck_assert_uint_eq(in(r, 0)->n_mounts, 256);
	ck_assert_uint_eq(in(r, 0)->n_ip_addresses, 64);
	ck_assert_str_eq(in(r, 0)->mounts[255].source, "/s255");
	ck_assert_int_ge(lt_problem(r, 0, "capabilities"), 0);
	ck_assert_int_ge(lt_problem(r, 0, "256 mounts"), 0);
	ck_assert_int_ge(lt_problem(r, 0, "64 addresses"), 0);
	free(buf);
	lt_free(r);
}
END_TEST

START_TEST(inspect_too_large)
{
	size_t n = (4u << 20) + 10;
	char *buf = malloc(n);
	struct lt_run *r = lt_new();

	ck_assert_ptr_nonnull(buf);
	memset(buf, ' ', n);
	buf[0] = '[';
	buf[n - 1] = ']';
	lt_parse(r, &sv_fmt_inspect, IN, buf, n);
	ck_assert_int_eq(r->rc, SV_ERR_LIMIT);
	free(buf);
	lt_free(r);
}
END_TEST

START_TEST(probes)
{
	ck_assert_int_eq(lt_probe(&sv_fmt_inspect, IN, "[\n {"), 100);
	ck_assert_int_eq(lt_probe(&sv_fmt_inspect, IN, "Error: no such"), 50);
	ck_assert_int_eq(lt_probe(&sv_fmt_inspect, "inspect/a/b.json", "["),
			 0);
	ck_assert_int_eq(lt_probe(&sv_fmt_journal, JOURNAL, "{\"__"), 100);
	ck_assert_int_eq(lt_probe(&sv_fmt_journal, JOURNAL, "-- Boot"), 50);
	ck_assert_int_eq(lt_probe(&sv_fmt_journal, IN, "{"), 0);
}
END_TEST

/* ---- all of them on a real bundle ---- */

static const struct sv_format_ops *const all[] = {
	&sv_fmt_docker_events, &sv_fmt_podman_events, &sv_fmt_containerd_log,
	&sv_fmt_crio_log,      &sv_fmt_k8s_audit,     &sv_fmt_k8s_events,
	&sv_fmt_journal,       &sv_fmt_inspect,
};

static const struct member {
	const char *path, *data;
	size_t nrec;
} members[] = {
	{"events/docker.jsonl", "docker-container.jsonl", 11},
	{"events/podman.jsonl", "podman-incident.jsonl", 13},
	{"events/containerd.log", "containerd.log", 25},
	{"events/crio.log", "crio.log", 20},
	{"events/k8s-events.json",
	 "k8s-events-eventlist_v1_with_creationTimestamp.json", 1},
	{"events/journal.jsonl", "journal.jsonl", 6},
	{"inspect/" HOG ".json", "inspect-podman-hog.json", 1},
};

/* A pretty-printed EventList of many audit events: several blocks. */
static char *big_audit_list(size_t copies, size_t *n)
{
	size_t len, i, o = 0;
	char *one = lt_read_data("k8s-audit-pretty.json", &len);
	char *buf = malloc(copies * (len + 4) + 64);

	ck_assert_ptr_nonnull(buf);
	o += (size_t)snprintf(buf, 64, "{\n  \"kind\": \"EventList\",\n"
				       "  \"items\": [\n");
	for (i = 0; i < copies; i++) {
		memcpy(buf + o, one, len);
		o += len;
		if (i + 1 < copies)
			buf[o++] = ',';
		buf[o++] = '\n';
	}
	o += (size_t)snprintf(buf + o, 64, "  ]\n}\n");
	free(one);
	*n = o;
	return buf;
}

static const struct sv_format_ops *choose(const char *path,
					  struct sv_source *src)
{
	const struct sv_format_ops *best = NULL;
	struct sv_layout lay;
	struct sv_error err;
	const uint8_t *head = (const uint8_t *)"";
	size_t n = 0, i;
	int score = 0;

	sv_layout_classify(path, &lay);
	if (sv_source_peek(src, &head, &n, &err) != SV_OK)
		n = 0;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		int s = all[i]->probe(&lay, head, n);

		if (s > score) {
			score = s;
			best = all[i];
		}
	}
	return best;
}

START_TEST(bundle_members)
{
	struct tb *b = tb_new();
	struct sv_bundle_options opt;
	struct sv_arena *arena = sv_arena_new(0);
	struct sv_bundle *bundle;
	struct sv_entry entry;
	struct sv_error err;
	struct lt_run *r = lt_new();
	size_t i, n, seen = 0;
	void *tar;
	char *data;

	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		data = lt_read_data(members[i].data, &n);
		tb_add(b, members[i].path, data, n);
		free(data);
	}
	data = big_audit_list(400, &n);
	ck_assert_uint_gt(n, 256u << 10);
	tb_add(b, "events/k8s-audit.jsonl", data, n);
	free(data);
	ck_assert_int_eq(tb_write_memory(b, TB_TAR_ZST, &tar, &n), 0);
	sv_bundle_options_default(&opt);
	ck_assert_int_eq(sv_bundle_open_memory(tar, n, "t.tar.zst", &opt,
					       arena, &bundle, &err),
			 SV_OK);
	while (sv_bundle_next(bundle, &entry, &err) == SV_OK) {
		struct sv_source src;
		const struct sv_format_ops *ops;

		if (entry.type != SV_ENTRY_FILE)
			continue;
		sv_source_init_bundle(&src, bundle, entry.path);
		ops = choose(entry.path, &src);
		ck_assert_msg(ops != NULL, "no reader for %s", entry.path);
		lt_reset(r);
		lt_parse_source(r, ops, &src);
		ck_assert_msg(r->rc == SV_OK, "%s: rc %d (%s)", entry.path,
			      r->rc, r->err.msg);
		if (strcmp(entry.path, "events/k8s-audit.jsonl") == 0) {
			ck_assert_uint_eq(r->nrec, 400);
			ck_assert_str_eq(
				r->rec[LT_MAX_RECS - 1].u.audit.subresource,
				"exec");
		} else {
			for (i = 0; strcmp(members[i].path, entry.path); i++)
				;
			ck_assert_uint_eq(r->nrec, members[i].nrec);
		}
		seen++;
	}
	ck_assert_uint_eq(seen, sizeof(members) / sizeof(members[0]) + 1);
	sv_bundle_close(bundle);
	sv_arena_free(arena);
	free(tar);
	tb_free(b);
	lt_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lifecycle_host");
	TCase *tc = tcase_create("journal");

	tcase_add_test(tc, journal_real_output);
	tcase_add_test(tc, journal_message_shapes);
	tcase_add_test(tc, journal_huge_byte_message_cut);
	suite_add_tcase(s, tc);
	tc = tcase_create("inspect");
	tcase_add_test(tc, inspect_podman_dead);
	tcase_add_test(tc, inspect_podman_running);
	tcase_add_test(tc, inspect_docker_privileged);
	tcase_add_test(tc, inspect_dockerd_config_v2);
	tcase_add_test(tc, inspect_caps);
	tcase_add_test(tc, inspect_too_large);
	suite_add_tcase(s, tc);
	tc = tcase_create("both");
	tcase_add_loop_test(tc, malformed, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, probes);
	tcase_add_test(tc, bundle_members);
	tcase_set_timeout(tc, 60);
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
