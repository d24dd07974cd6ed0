/*
 * test_detect.c - the detections of issue 6 on real captures: the
 * bundles of samples/detect/, recorded by samples/make-detections.sh from
 * real podman containers on this machine (samples/README.md, "Detection
 * captures"). Four workloads run in every bundle: web (10.89.78.10), api
 * (.11), client (.12) and worker (.13); the host side, 10.89.78.1, runs
 * dnsmasq and the attacker's listeners.
 *
 *   attack_fires  each attack bundle sets off its built-in rule in the
 *                 attacked container, with the attacker's process, flow
 *                 or the kernel's and cgroup's events as evidence, and no
 *                 built-in rule its scenario does not explain;
 *   clean_quiet   no built-in rule fires on any clean bundle;
 *   baseline      a baseline trained on clean-1..5 flags the shell that
 *                 api's debug CGI ran (shell-in-workload) and raises
 *                 none of the attack findings on the held-out clean-6.
 *
 * A rule still to land is named in pending[]: its checks print "rule X
 * not implemented yet" and skip (the lead empties the list).
 *
 * What each bundle shows was checked by hand, from the bundle's own files
 * (quoted: the output on the committed bundles). First, for a bundle B:
 *   cd /tmp && tar --zstd -xf $REPO/samples/detect/B.tar.zst
 *   cid() { jq -r ".[] | select(.Name == \"$2\") | .Id" \
 *           $1/inspect/[0-9a-f]*.json; }
 *   seen() { grep -l "libpod-$(cid $1 $2)" \
 *            $1/proc/[0-9]*[0-9]/[0-9]*[0-9]/cgroup |
 *            sed 's,cgroup$,comm,' | xargs grep -lx $3 | wc -l; }
 * (seen B NAME COMM: process folders of COMM in container NAME)
 *
 * package-manager: seen package-manager web dpkg                    -> 5
 *   its cmdline: dpkg -i /tmp/netdiag.deb
 * fork-bomb: worker's pids.events, snapshot by snapshot:
 *   for d in fork-bomb/cgroup/[0-9]*[0-9]/pids/libpod_parent/libpod-$(
 *     cid fork-bomb worker); do awk '$1 == "max" { print $2 }'
 *     $d/pids.events; done | uniq | paste -sd' '
 *                                   -> 0 79 164 212 277 357 420 434
 * oom-storm: grep -c "oom_memcg=/libpod_parent/libpod-$(cid oom-storm
 *   worker)" oom-storm/events/dmesg.txt                              -> 6
 *   (and 6 "Memory cgroup out of memory: Killed process ... (awk)")
 * dns-tunnel: the tunnel's distinct names, by first label's length:
 *   tshark -r dns-tunnel/pcap/dns-tunnel.pcap -T fields -e dns.qry.name
 *     -Y 'dns.flags.response == 0 && ip.src == 10.89.78.12 &&
 *         dns.qry.name contains "t.exfil.test"' | sort -u |
 *     awk -F. '{ print length($1) }' | uniq -c              -> 60 48
 *   (TUNNEL_LABEL; client's other names are api/web.internal.test)
 * exfiltration: IP bytes web sent to the listener, per interface (the
 *   capture sees each packet on the veth and on the bridge):
 *   tshark -r exfiltration/pcap/exfiltration.pcap -T fields
 *     -e sll.ifindex -e ip.len -Y 'ip.src == 10.89.78.10 &&
 *     ip.dst == 10.89.78.1 && tcp.dstport == 9000' | awk '{ n[$1] +=
 *     $2 } END { for (i in n) print i, n[i] }'
 *                            -> 236 10447616, 237 10447616 (EXFIL_BYTES)
 * miner: the Stratum login, worker to the pool's own address:
 *   tshark -r miner/pcap/miner.pcap -T fields -e ip.src -e ip.dst
 *     -e tcp.payload -Y 'tcp.dstport == 3333 && tcp.len > 0' | head -1
 *     -> 10.89.78.13 10.89.78.2 {"id":1,"jsonrpc":"2.0","method":"login",
 *        ... (hex; xxd -r -p shows it)
 *   seen miner worker xmrig                                          -> 27
 *   (/tmp/xmrig, exe /bin/busybox: a shell script)
 * shell-in-api: seen shell-in-api api sh                             -> 9
 *   and for every clean-N: seen clean-N api sh                       -> 0
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_pipeline.h"
#include "sv_rules.h"
#ifdef SV_DETECT_HAVE_BASELINE
#include "sv_baseline.h"
#include "sv_cursor.h"
#include "sv_featurize.h"
#endif

/* Values from the bundles, by the commands in the header comment. */
#define EXFIL_BYTES 10447616  /* IP bytes web sent to 10.89.78.1:9000 */
#define TUNNEL_LABEL 48       /* the tunnel's longest label, bytes */

/* Rules not implemented yet: their checks skip. */
static const char *const pending[] = {NULL};

static int is_pending(const char *rule)
{
	size_t i;

	for (i = 0; pending[i]; i++)
		if (!strcmp(pending[i], rule)) {
			printf("rule %s not implemented yet: its check "
			       "skips\n", rule);
			return 1;
		}
	return 0;
}

/*
 * False alarms of the analyzer, reported to the owners of the code that
 * raises them: printed and tolerated in that bundle only (the lead
 * empties the list as they are fixed).
 */
static const struct {
	const char *bundle, *rule, *why;
} known_false[] = {
	{NULL, NULL, NULL},
};

static int is_known_false(const char *bundle, const char *rule)
{
	size_t i;

	for (i = 0; known_false[i].bundle; i++)
		if (!strcmp(known_false[i].bundle, bundle) &&
		    !strcmp(known_false[i].rule, rule)) {
			printf("KNOWN FALSE ALARM in %s: %s: %s\n", bundle,
			       rule, known_false[i].why);
			return 1;
		}
	return 0;
}

/* What a finding must carry as evidence: a process, a flow, an event,
 * or (a baseline finding) a model feature. */
enum want_kind { W_PROC, W_FLOW, W_EVENT, W_FEAT, W_SETTING };

struct want {
	const char *rule;
	const char *container;     /* its label (the container's name) */
	enum sv_severity sev;      /* at least */
	enum want_kind kind;
	const char *what;          /* W_PROC: comm; W_EVENT: event kind;
				      W_SETTING: the evidence's note;
				      W_FEAT: feature name */
	uint8_t proto;             /* W_FLOW: 6 or 17 */
	uint8_t peer;              /* W_FLOW: far end 10.89.78.<peer> */
	uint16_t port;             /* W_FLOW: far end's port */
	uint64_t value;            /* W_FLOW: IP bytes the container sent
				      on it (see flow_matches); W_FEAT:
				      observed, at least; 0: no check */
	int n;                     /* evidence items that match, at least */
};

#define WANTS 2
#define ALSO 2

struct scenario {
	const char *bundle;
	struct want want[WANTS];   /* rule NULL: no more */
	const char *also[ALSO];    /* other rules the scenario explains */
};

/* See the commands in the header comment for where each value comes
 * from. */
static const struct scenario attacks[] = {
	{"package-manager",
	 {{"package-manager", "web", SV_SEV_MEDIUM, W_PROC, "dpkg", 0, 0, 0,
	   0, 1}},
	 {NULL}},
	{"fork-bomb",
	 {{"fork-bomb", "worker", SV_SEV_HIGH, W_EVENT,
	   SV_EV_RESOURCE_PIDS_MAX, 0, 0, 0, 0, 1}},
	 {NULL}},
	{"oom-storm",
	 {{"oom-storm", "worker", SV_SEV_MEDIUM, W_EVENT, SV_EV_CONTAINER_OOM,
	   0, 0, 0, 0, 4}},
	 {NULL}},
	{"dns-tunnel",
	 {{"dns-tunnel-labels", "client", SV_SEV_HIGH, W_FLOW, NULL, 17, 1,
	   53, 0, 1}},
	 {NULL}},
	{"exfiltration",
	 {{"large-upload", "web", SV_SEV_HIGH, W_FLOW, NULL, 6, 1, 9000,
	   EXFIL_BYTES, 1}},
	 {NULL}},
	{"miner",
	 {{"crypto-mining", "worker", SV_SEV_HIGH, W_FLOW, NULL, 6, 2, 3333,
	   0, 1},
	  {"exec-from-writable-path", "worker", SV_SEV_MEDIUM, W_PROC,
	   "xmrig", 0, 0, 0, 0, 1}},
	 {NULL}},
	/* debug was started --privileged --pid host -v /:/host:ro:
	 *   tar -xOf privileged.tar.zst --wildcards 'privileged/inspect/?*' |
	 *     jq -r '.[0] | select(.Name == "debug") | [.HostConfig.Privileged,
	 *     .HostConfig.PidMode, (.Mounts[].Source)] | @tsv'
	 *                                             -> true host /
	 */
	{"privileged",
	 {{"privileged-container", "debug", SV_SEV_HIGH, W_SETTING,
	   "host root", 0, 0, 0, 0, 1}},
	 {NULL}},
	{.bundle = "shell-in-api"}, /* the baseline finds it: see below */
};

static const char *const cleans[] = {"clean-1", "clean-2", "clean-3",
				     "clean-4", "clean-5", "clean-6"};

#define N(a) (sizeof(a) / sizeof((a)[0]))


static struct sv_analysis *load(const char *name, const void *model)
{
	struct sv_pipeline_options o;
	struct sv_error err;
	char path[512];
	struct sv_analysis *a;

	snprintf(path, sizeof(path), "%s/%s.tar.zst", SV_DETECT_DIR, name);
	sv_pipeline_options_default(&o);
#ifdef SV_DETECT_HAVE_BASELINE
	o.model = model;
	o.model_path = model ? "clean-1..5" : NULL;
#else
	(void)model;
#endif
	a = sv_pipeline_run(path, &o, &err);
	ck_assert_msg(a != NULL, "%s: %s", name, err.msg);
	/* every bundle reads cleanly: custody, manifest, no error */
	ck_assert_msg(sv_analysis_input_ok(a), "%s: not trusted", name);
	ck_assert_msg(a->errors == 0, "%s: %llu errors", name,
		      (unsigned long long)a->errors);
	return a;
}

/* Print what fired, for the README's detection table. */
static void show(const char *name, const struct sv_analysis *a)
{
	const struct sv_finding *f;

	printf("%s: %llu finding(s)\n", name,
	       (unsigned long long)a->findings.n);
	for (f = a->findings.list; f; f = f->next)
		printf("  %-8s %-24s %-8s %s\n",
		       sv_severity_name(f->severity), f->rule,
		       f->container_id ? sv_analysis_container_label(
						 a, f->container_id) : "-",
		       f->title);
}

static int rule_expected(const struct scenario *s, const char *rule)
{
	int i;

	for (i = 0; i < WANTS && s->want[i].rule; i++)
		if (!strcmp(s->want[i].rule, rule))
			return 1;
	for (i = 0; i < ALSO && s->also[i]; i++)
		if (!strcmp(s->also[i], rule))
			return 1;
	return 0;
}

static int same_cid(const char *x, const char *y)
{
	return x && y && !strcmp(x, y);
}

/*
 * The far end of a flow the container opened: 10.89.78.<peer>:port, and
 * the bytes it sent. Those should equal tshark's count on one interface,
 * but analyzer/sv_flows.c compares a packet only with the previous one of
 * its direction to drop the second copy (-i any sees veth and bridge),
 * and in a 10 MB burst the copies interleave: exfiltration's flow counts
 * 10526856 bytes for 10447616 (70 of 8434 packets twice; reported). Up
 * to 2% over is accepted until that is fixed; then make it exact.
 */
static int flow_matches(const struct sv_flow *fl, const struct want *w,
			const char *cid)
{
	static const uint8_t net[3] = {10, 89, 78};

	return fl->proto == w->proto && fl->family == 4 &&
	       fl->owner_a && same_cid(fl->owner_a->container_id, cid) &&
	       !memcmp(fl->b_addr, net, 3) && fl->b_addr[3] == w->peer &&
	       fl->b_port == w->port &&
	       (!w->value || (fl->bytes_ab >= w->value &&
			      fl->bytes_ab - w->value <= w->value / 50));
}

static int ev_matches(const struct sv_evidence *e, const struct want *w,
		      const char *cid)
{
	switch (w->kind) {
	case W_PROC:
		return e->proc && e->proc->comm &&
		       !strcmp(e->proc->comm, w->what) &&
		       same_cid(e->proc->container_id, cid);
	case W_FLOW:
		return e->flow && flow_matches(e->flow, w, cid);
	case W_EVENT:
		return e->event && !strcmp(e->event->kind, w->what) &&
		       same_cid(e->event->container_id, cid);
	case W_SETTING:
		return !e->proc && !e->flow && !e->event && e->note &&
		       !strcmp(e->note, w->what);
	case W_FEAT:
		break;
	}
	return 0;
}

/* The one finding of w->rule, in w->container, with its evidence. */
static void check_want(const struct sv_analysis *a, const char *bundle,
		       const struct want *w)
{
	const struct sv_finding *f, *hit = NULL;
	int n = 0, i, good = 0;

	for (f = a->findings.list; f; f = f->next)
		if (!strcmp(f->rule, w->rule)) {
			hit = f;
			n++;
		}
	ck_assert_msg(n == 1, "%s: %d %s findings, want 1", bundle, n,
		      w->rule);
	ck_assert_msg(hit->container_id && !strcmp(sv_analysis_container_label(
				a, hit->container_id), w->container),
		      "%s: %s fired in %s, want %s", bundle, w->rule,
		      hit->container_id ? sv_analysis_container_label(
				a, hit->container_id) : "no container",
		      w->container);
	ck_assert_msg(hit->severity >= w->sev, "%s: %s is %s", bundle,
		      w->rule, sv_severity_name(hit->severity));
	ck_assert(hit->why && hit->why[0] && hit->technique);
	if (w->kind == W_FEAT)
		for (i = 0; i < hit->n_feat; i++)
			good += !strcmp(hit->feat[i].name, w->what) &&
				hit->feat[i].observed >= (double)w->value;
	else
		for (i = 0; i < hit->n_ev; i++)
			good += ev_matches(&hit->ev[i], w, hit->container_id);
	ck_assert_msg(good >= w->n, "%s: %s has %d matching evidence "
		      "item(s) of %d, want %d", bundle, w->rule, good,
		      hit->n_ev, w->n);
}

START_TEST(attack_fires)
{
	const struct scenario *s = &attacks[_i];
	struct sv_analysis *a = load(s->bundle, NULL);
	const struct sv_finding *f;
	int i;

	show(s->bundle, a);
	for (i = 0; i < WANTS && s->want[i].rule; i++)
		if (!is_pending(s->want[i].rule))
			check_want(a, s->bundle, &s->want[i]);
	/* nothing the scenario does not explain */
	for (f = a->findings.list; f; f = f->next)
		ck_assert_msg(rule_expected(s, f->rule) ||
			      is_known_false(s->bundle, f->rule),
			      "%s: unexpected %s: %s", s->bundle, f->rule,
			      f->title);
	sv_analysis_free(a);
}
END_TEST

START_TEST(clean_quiet)
{
	struct sv_analysis *a = load(cleans[_i], NULL);

	show(cleans[_i], a);
	ck_assert_msg(a->findings.n == 0, "%s: %s fired", cleans[_i],
		      a->findings.list ? a->findings.list->rule : "?");
	/* the four workloads were all seen */
	ck_assert_uint_eq(a->containers->n, 4);
	sv_analysis_free(a);
}
END_TEST

#ifdef SV_DETECT_HAVE_BASELINE
/*
 * The default false-alarm rate. Five training runs are few: api runs one
 * process per run (httpd; its per-request children live too briefly for
 * the snapshots), so a program it never ran has p = 0.5 / (5 + 0.5 * 2)
 * = 0.083, 3.6 bits of surprisal, short of the 6.6 bits of 1%: the
 * shell alarms because api never ran any shell (shell-in-workload needs
 * only that), and clean-6 must still raise nothing at all.
 */
#define BL_FAR SV_BL_FAR_DEFAULT

/* What the baseline must find; values as in the header comment. */
static const struct {
	const char *bundle;
	struct want w;
} bl_wants[] = {
	{"shell-in-api", {"shell-in-workload", "api", SV_SEV_HIGH, W_PROC,
			  "sh", 0, 0, 0, 0, 1}},
	{"exfiltration", {"exfiltration", "web", SV_SEV_HIGH, W_FEAT,
			  "bytes-out", 0, 0, 0, EXFIL_BYTES, 1}},
	{"dns-tunnel", {"dns-tunnelling", "client", SV_SEV_HIGH, W_FEAT,
			"dns-label", 0, 0, 0, TUNNEL_LABEL, 1}},
	/* the evidence: where the bytes went, which names were asked */
	{"exfiltration", {"exfiltration", "web", SV_SEV_HIGH, W_FLOW, NULL,
			  6, 1, 9000, EXFIL_BYTES, 1}},
	{"dns-tunnel", {"dns-tunnelling", "client", SV_SEV_HIGH, W_FLOW,
			NULL, 17, 1, 53, 0, 4}},
};

/* A baseline of clean-1..5, one workload per image. */
static struct sv_baseline *train_clean(void)
{
	struct sv_featurize_options fo = {0, NULL};
	struct sv_baseline *b;
	struct sv_feat_set fs;
	struct sv_error err;
	char sha[65];
	size_t i;

	sv_error_clear(&err);
	ck_assert_int_eq(sv_baseline_new(SV_FEAT_WINDOW_NS, BL_FAR, &b, &err),
			 SV_OK);
	for (i = 0; i < 5; i++) {
		struct sv_analysis *a = load(cleans[i], NULL);

		ck_assert(a->stats.has_digest);
		ck_assert_msg(sv_featurize(a, &fo, a->arena, &fs, &err) ==
			      SV_OK, "featurize %s: %s", cleans[i], err.msg);
		sv_hex_encode(a->stats.digest, sizeof(a->stats.digest), sha);
		ck_assert_msg(sv_baseline_train(b, &fs, sha, cleans[i], &err)
			      == SV_OK, "train %s: %s", cleans[i], err.msg);
		sv_analysis_free(a);
	}
	ck_assert_msg(sv_baseline_fit(b, &err) == SV_OK, "fit: %s", err.msg);
	/* the workload key is the image: four of them, five runs each */
	ck_assert_uint_eq(b->n_wl, 4);
	ck_assert_str_eq(b->wl[0]->key, "localhost/salvage-api:1");
	ck_assert_str_eq(b->wl[1]->key, "localhost/salvage-client:1");
	ck_assert_str_eq(b->wl[2]->key, "localhost/salvage-web:1");
	ck_assert_str_eq(b->wl[3]->key, "localhost/salvage-worker:1");
	for (i = 0; i < b->n_wl; i++)
		ck_assert_uint_eq(b->wl[i]->containers, 5);
	return b;
}

START_TEST(baseline)
{
	struct sv_baseline *b = train_clean();
	struct sv_analysis *a;
	size_t i;

	for (i = 0; i < N(bl_wants); i++) {
		a = load(bl_wants[i].bundle, b);
		show(bl_wants[i].bundle, a);
		ck_assert(a->baseline.used);
		check_want(a, bl_wants[i].bundle, &bl_wants[i].w);
		sv_analysis_free(a);
	}
	/* the held-out clean run: every container scored, nothing found */
	a = load("clean-6", b);
	show("clean-6 (baseline)", a);
	ck_assert(a->baseline.used);
	ck_assert_uint_eq(a->baseline.st.containers, 4);
	ck_assert_uint_eq(a->baseline.st.unknown_workload, 0);
	ck_assert_msg(a->findings.n == 0, "clean-6: %s: %s",
		      a->findings.list->rule, a->findings.list->title);
	sv_analysis_free(a);
	sv_baseline_free(b);
}
END_TEST
#endif

int main(void)
{
	Suite *s = suite_create("detect");
	TCase *tc = tcase_create("detect");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, attack_fires, 0, (int)N(attacks));
	tcase_add_loop_test(tc, clean_quiet, 0, (int)N(cleans));
#ifdef SV_DETECT_HAVE_BASELINE
	tcase_add_test(tc, baseline);
#else
	printf("rule shell-in-workload not implemented yet: "
	       "models/sv_baseline.c or analyzer/sv_featurize.c missing\n");
#endif
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
