/*
 * test_features.c - analyzer/sv_featurize.c and models/sv_features.c:
 * names, clean bounded text, workload rules and keys (a table with
 * hostile names), windows and DNS features on a real capture with owners
 * set by hand, caps on a hostile clock, and end to end on the podman
 * samples (samples/README.md) through sv_pipeline_run.
 *
 * Expected values come from the files, with the commands written at
 * each test (tshark 4.0, tar, sh). Samples: S=samples/web-incident.tar.zst
 * (C=samples/web-clean.tar.zst), unpacked with tar --zstd -xf $S.
 */
#include <check.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sv_decode.h"
#include "sv_featurize.h"
#include "sv_netapp.h"
#include "sv_pipeline.h"
#include "sv_text.h"
#include "sv_time.h"

#define SEC 1000000000LL

/* ---- names ---- */

START_TEST(names)
{
	int i, j;

	ck_assert_str_eq(sv_fc_name(SV_FC_PROGRAM), "program");
	ck_assert_str_eq(sv_fc_name(SV_FC_PAIR), "process-pair");
	ck_assert_str_eq(sv_fc_name(SV_FC_SNI), "tls-sni");
	ck_assert_str_eq(sv_fc_name(SV_FC_COUNT), "?");
	ck_assert_str_eq(sv_fn_name(SV_FN_CPU), "cpu");
	ck_assert_str_eq(sv_fn_name(SV_FN_DNS_ENTROPY), "dns-entropy");
	ck_assert_str_eq(sv_fn_name(SV_FN_EXECS), "execs");
	ck_assert_str_eq(sv_fn_name((enum sv_fn)-1), "?");
	ck_assert_str_eq(sv_fr_name(SV_FR_LIFECYCLE), "lifecycle");
	ck_assert_str_eq(sv_fr_name(SV_FR_COUNT), "?");
	/* every name distinct within its list */
	for (i = 0; i < SV_FC_COUNT; i++)
		for (j = i + 1; j < SV_FC_COUNT; j++)
			ck_assert_str_ne(sv_fc_name(i), sv_fc_name(j));
	for (i = 0; i < SV_FN_COUNT; i++)
		for (j = i + 1; j < SV_FN_COUNT; j++)
			ck_assert_str_ne(sv_fn_name(i), sv_fn_name(j));
	for (i = 0; i < SV_FR_COUNT; i++)
		for (j = i + 1; j < SV_FR_COUNT; j++)
			ck_assert_str_ne(sv_fr_name(i), sv_fr_name(j));
}
END_TEST

/* ---- clean text ---- */

static const struct clean_case {
	const char *in;
	size_t cap;
	const char *out;
} clean_cases[] = {
	{"abc", 16, "abc"},
	{"a\tb\nc", 16, "a\\x09b\\x0ac"},
	{"abcdef", 4, "abc"},
	{"\xc3\xa9\xc3\xa9\xc3\xa9", 4, "\xc3\xa9"}, /* never half an é */
	{"caf\xff", 16, "caf\\xff"},
	{"\x1b[31m", 16, "\\x1b[31m"},
	{"", 1, ""},
};

START_TEST(clean_text)
{
	const struct clean_case *c = &clean_cases[_i];
	char dst[64];
	size_t len = 99;
	const char *t = sv_feat_clean(c->in, strlen(c->in), dst, c->cap, &len);

	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(len, strlen(t));
	ck_assert_str_eq(t, c->out);
	ck_assert_uint_lt(len, c->cap);
	ck_assert(sv_text_is_clean(t, len, len));
}
END_TEST

/* ---- workload rules ---- */

static const struct rule_case {
	const char *spec;
	int ok;
	const char *pattern, *key;
} rule_cases[] = {
	{"web*=frontend", 1, "web*", "frontend"},
	{"a=b=c", 1, "a", "b=c"},
	{"*/nginx:*=nginx", 1, "*/nginx:*", "nginx"},
	{"noequals", 0, NULL, NULL},
	{"=key", 0, NULL, NULL},
	{"pat=", 0, NULL, NULL},
	{"=", 0, NULL, NULL},
	{"p=a\x01z", 0, NULL, NULL},
	{"p=a\tz", 0, NULL, NULL},
	{"p=\xff", 0, NULL, NULL},
	{"", 0, NULL, NULL},
};

START_TEST(rule_parse)
{
	const struct rule_case *c = &rule_cases[_i];
	struct sv_workload_rule r;
	struct sv_error err;
	char spec[64];
	enum sv_status rc;

	snprintf(spec, sizeof(spec), "%s", c->spec);
	sv_error_clear(&err);
	rc = sv_workload_rule_parse(spec, &r, &err);
	if (!c->ok) {
		ck_assert_int_eq(rc, SV_ERR_USAGE);
		ck_assert(err.msg[0]);
		return;
	}
	ck_assert_int_eq(rc, SV_OK);
	ck_assert_str_eq(r.pattern, c->pattern);
	ck_assert_str_eq(r.key, c->key);
}
END_TEST

/* The key's length limit is SV_WORKLOAD_KEY_MAX bytes, the pattern's
 * too; NULL is refused. */
START_TEST(rule_limits)
{
	char spec[2 * SV_WORKLOAD_KEY_MAX + 8];
	struct sv_workload_rule r;
	struct sv_error err;

	ck_assert_int_eq(sv_workload_rule_parse(NULL, &r, &err),
			 SV_ERR_USAGE);
	memset(spec, 'k', sizeof(spec));
	memcpy(spec, "p=", 2);
	spec[2 + SV_WORKLOAD_KEY_MAX] = '\0';
	ck_assert_int_eq(sv_workload_rule_parse(spec, &r, &err), SV_OK);
	ck_assert_uint_eq(strlen(r.key), SV_WORKLOAD_KEY_MAX);
	memset(spec, 'k', sizeof(spec));
	memcpy(spec, "p=", 2);
	spec[3 + SV_WORKLOAD_KEY_MAX] = '\0';
	ck_assert_int_eq(sv_workload_rule_parse(spec, &r, &err),
			 SV_ERR_USAGE);
	memset(spec, 'p', sizeof(spec));
	spec[SV_WORKLOAD_KEY_MAX + 1] = '=';
	spec[SV_WORKLOAD_KEY_MAX + 3] = '\0';
	ck_assert_int_eq(sv_workload_rule_parse(spec, &r, &err),
			 SV_ERR_USAGE);
}
END_TEST

/* ---- workload keys ---- */

/*
 * One case: a container (name, image, pod, namespace, id), user rules
 * ("PATTERN=KEY" separated by ';'), and the key and source expected.
 * Pod suffixes use Kubernetes' alphabet bcdfghjklmnpqrstvwxz2456789
 * (k8s.io/apimachinery/pkg/util/rand): "nginx" and "proxy" have vowels,
 * so no controller made them.
 */
static const struct key_case {
	const char *name, *image, *pod, *ns, *id, *rules;
	const char *key, *from;
} key_cases[] = {
	/* Kubernetes owners */
	{"n", "img", "web-7d4b9c8f6-x2x9z", "default", NULL, NULL,
	 "k8s:default/web", "k8s-owner"},
	{"n", NULL, "api-server-5f8d7c9b64-q2w4z", "prod", NULL, NULL,
	 "k8s:prod/api-server", "k8s-owner"},
	{"n", NULL, "web-bcdfgh-x2x9z", "d", NULL, NULL, "k8s:d/web",
	 "k8s-owner"},
	{"n", NULL, "db-0", "data", NULL, NULL, "k8s:data/db", "k8s-owner"},
	{"n", NULL, "db-12", "data", NULL, NULL, "k8s:data/db", "k8s-owner"},
	{"n", NULL, "backup-28401-x7k2p", "ops", NULL, NULL,
	 "k8s:ops/backup-28401", "k8s-owner"},
	{"n", NULL, "fluentd-x7k2p", "kube-system", NULL, NULL,
	 "k8s:kube-system/fluentd", "k8s-owner"},
	{"n", NULL, "standalone", "d", NULL, NULL, "k8s:d/standalone",
	 "k8s-owner"},
	{"n", NULL, "my-nginx", "d", NULL, NULL, "k8s:d/my-nginx",
	 "k8s-owner"},
	{"n", NULL, "web-proxy", "d", NULL, NULL, "k8s:d/web-proxy",
	 "k8s-owner"},
	/* hash of 5 or 11 characters: only the pod suffix goes */
	{"n", NULL, "web-bcdfg-x2x9z", "d", NULL, NULL, "k8s:d/web-bcdfg",
	 "k8s-owner"},
	{"n", NULL, "web-bcdfghjklmn-x2x9z", "d", NULL, NULL,
	 "k8s:d/web-bcdfghjklmn", "k8s-owner"},
	{"n", NULL, "web-x2x9zz", "d", NULL, NULL, "k8s:d/web-x2x9zz",
	 "k8s-owner"},
	/* nothing would be left of the owner */
	{"n", NULL, "-x2x9z", "d", NULL, NULL, "k8s:d/-x2x9z", "k8s-owner"},
	{"n", NULL, "-7d4b9c8f6-x2x9z", "d", NULL, NULL,
	 "k8s:d/-7d4b9c8f6", "k8s-owner"},
	{"n", NULL, "db-", "d", NULL, NULL, "k8s:d/db-", "k8s-owner"},
	{"n", NULL, "db-12345678901", "d", NULL, NULL,
	 "k8s:d/db-12345678901", "k8s-owner"},
	/* a pod without a namespace is not an owner */
	{"n", "img", "web-0", NULL, NULL, NULL, "img", "image"},
	/* user rules first: names, then the image */
	{"web-1", "img", "web-0", "d", NULL, "web*=frontend", "frontend",
	 "user"},
	{"x", "docker.io/library/nginx:1.25", NULL, NULL, NULL,
	 "zzz=no;*/nginx:*=nginx", "nginx", "user"},
	{"x", "img", NULL, NULL, NULL, "web*=frontend", "img", "image"},
	/* the image without its digest */
	{"x", "img:1@sha256:0123", NULL, NULL, NULL, NULL, "img:1",
	 "image"},
	{"x", "@sha256:0123", NULL, NULL, NULL, NULL, "x", "name"},
	{"web", NULL, NULL, NULL, "abc123", NULL, "web", "name"},
	{NULL, NULL, NULL, NULL, "abc123", NULL, "abc123", "name"},
	{NULL, NULL, NULL, NULL, NULL, NULL, "unknown", "name"},
	/* hostile bytes come out escaped */
	{"n", NULL, "evil\x1b[31m-7d4b9c8f6-x2x9z", "d", NULL, NULL,
	 "k8s:d/evil\\x1b[31m", "k8s-owner"},
	{"caf\xff", NULL, NULL, NULL, NULL, NULL, "caf\\xff", "name"},
	{"a\nb", NULL, NULL, NULL, NULL, NULL, "a\\x0ab", "name"},
	{"n", NULL, "a\tb-0", "d", NULL, NULL, "k8s:d/a\\x09b",
	 "k8s-owner"},
};

static const struct sv_workload_rule *parse_rules(const char *s, char *buf,
						 size_t n,
						 struct sv_workload_rule *r,
						 int max)
{
	struct sv_error err;
	char *p, *semi;
	int i = 0;

	if (!s)
		return NULL;
	snprintf(buf, n, "%s", s);
	for (p = buf; p && i < max; p = semi, i++) {
		semi = strchr(p, ';');
		if (semi)
			*semi++ = '\0';
		ck_assert_int_eq(sv_workload_rule_parse(p, &r[i], &err),
				 SV_OK);
		if (i)
			r[i - 1].next = &r[i];
	}
	return r;
}

START_TEST(workload_keys)
{
	const struct key_case *c = &key_cases[_i];
	struct sv_arena *arena = sv_arena_new(0);
	struct sv_workload_rule rules[4];
	struct sv_cont k;
	const char *key, *from = NULL;
	char buf[256];

	memset(&k, 0, sizeof(k));
	k.name = c->name;
	k.names[0] = c->name;
	k.n_names = c->name ? 1 : 0;
	k.image = c->image;
	k.pod = c->pod;
	k.k8s_namespace = c->ns;
	k.id = c->id;
	key = sv_workload_key(arena, &k, parse_rules(c->rules, buf,
						      sizeof(buf), rules, 4),
			      &from);
	ck_assert_ptr_nonnull(key);
	ck_assert_str_eq(key, c->key);
	ck_assert_str_eq(from, c->from);
	sv_arena_free(arena);
}
END_TEST

/* Over-long names are cut to SV_WORKLOAD_KEY_MAX bytes, never in the
 * middle of a character. */
START_TEST(workload_long)
{
	struct sv_arena *arena = sv_arena_new(0);
	char pod[1100], name[700], want[300];
	const char *key, *from;
	struct sv_cont k;
	size_t i;

	memset(&k, 0, sizeof(k));
	memset(pod, 'a', 1000);
	memcpy(pod + 1000, "-x2x9z", 7);
	k.pod = pod;
	k.k8s_namespace = "ns";
	key = sv_workload_key(arena, &k, NULL, &from);
	/* "k8s:ns/" and 249 of the a's */
	snprintf(want, sizeof(want), "k8s:ns/%.*s", 249, pod);
	ck_assert_str_eq(key, want);
	ck_assert_uint_eq(strlen(key), SV_WORKLOAD_KEY_MAX);
	memset(&k, 0, sizeof(k));
	for (i = 0; i < 300; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2); /* é */
	name[600] = '\0';
	k.name = name;
	key = sv_workload_key(arena, &k, NULL, &from);
	ck_assert_uint_eq(strlen(key), SV_WORKLOAD_KEY_MAX);
	ck_assert(sv_text_is_clean(key, strlen(key), strlen(key)));
	ck_assert_int_eq(strncmp(key, name, SV_WORKLOAD_KEY_MAX), 0);
	sv_arena_free(arena);
}
END_TEST

/* ---- a hand-built analysis ---- */

struct fake {
	struct sv_analysis a;
	struct sv_container_set cs;
	struct sv_cont k[2];
	const struct sv_cont *by[2];
	struct sv_owner own[2];
	struct sv_procs_result pr;
	struct sv_proc p[4];
	struct sv_arena *arena;
	struct sv_flows *flows;
	struct sv_netapp *na;
};

/* Two containers, ids "c1" and "c2" (by_id is sorted), names given. */
static void fake_init(struct fake *f, const char *n1, const char *n2)
{
	int i;

	memset(f, 0, sizeof(*f));
	f->arena = sv_arena_new(0);
	ck_assert_ptr_nonnull(f->arena);
	f->a.arena = f->arena;
	for (i = 0; i < 2; i++) {
		f->k[i].id = i ? "c2" : "c1";
		f->k[i].name = i ? n2 : n1;
		f->k[i].names[0] = f->k[i].name;
		f->k[i].n_names = 1;
		f->k[i].created_ns = f->k[i].started_ns = SV_TIME_NONE;
		f->k[i].next = i ? NULL : &f->k[1];
		f->by[i] = &f->k[i];
		f->own[i].container_id = f->k[i].id;
		f->own[i].container_name = f->k[i].name;
		f->own[i].pid = -1;
	}
	f->cs.list = &f->k[0];
	f->cs.n = 2;
	f->cs.by_id = f->by;
	f->cs.n_by_id = 2;
	f->a.containers = &f->cs;
}

static void fake_free(struct fake *f)
{
	sv_netapp_free(f->na);
	sv_flows_free(f->flows);
	sv_arena_free(f->arena);
}

/* The packets of data/pcap/<name> through sv_flows and sv_netapp (as
 * the pipeline does); the end on port 53 is c2's, the other c1's. */
static void fake_pcap(struct fake *f, const char *name)
{
	char path[512], e[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct sv_packet pk;
	struct sv_flow *fl;
	pcap_t *p;
	int lt, dir;

	f->flows = sv_flows_new(f->arena, NULL);
	f->na = sv_netapp_new(f->arena, NULL);
	ck_assert(f->flows && f->na);
	snprintf(path, sizeof(path), "%s/pcap/%s", SV_READER_DATA, name);
	p = pcap_open_offline_with_tstamp_precision(path,
			PCAP_TSTAMP_PRECISION_NANO, e);
	ck_assert_msg(p != NULL, "%s: %s", path, e);
	lt = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &data) == 1) {
		int64_t ts = (int64_t)h->ts.tv_sec * SEC + h->ts.tv_usec;

		if (sv_decode(lt, data, h->caplen, &pk))
			continue;
		fl = sv_flows_add(f->flows, &pk, ts, h->len, &dir);
		if (fl)
			sv_netapp_packet(f->na, fl, dir, &pk, ts);
	}
	pcap_close(p);
	sv_netapp_finish(f->na, sv_flows_list(f->flows));
	for (fl = sv_flows_list(f->flows); fl; fl = fl->next) {
		fl->owner_a = &f->own[fl->a_port == 53];
		fl->owner_b = &f->own[fl->b_port == 53];
	}
	f->a.flows = sv_flows_list(f->flows);
	f->a.app_events = sv_netapp_events(f->na);
	f->a.captures = 1;
}

static const struct sv_feat_container *by_label(const struct sv_feat_set *s,
						const char *label)
{
	const struct sv_feat_container *c;

	for (c = s->containers; c; c = c->next)
		if (!strcmp(c->label, label))
			return c;
	ck_abort_msg("no container %s", label);
	return NULL;
}

static const struct sv_feat_value *
value_of(const struct sv_feat_container *c, enum sv_fc fam, const char *v)
{
	const struct sv_feat_value *x;

	for (x = c->values; x; x = x->next)
		if (x->family == fam && !strcmp(x->value, v))
			return x;
	return NULL;
}

static uint64_t n_family(const struct sv_feat_container *c, enum sv_fc fam)
{
	const struct sv_feat_value *x;
	uint64_t n = 0;

	for (x = c->values; x; x = x->next)
		n += x->family == fam;
	return n;
}

/*
 * What every set must be: containers ordered by label; per container,
 * windows aligned, one window_ns apart (dense), covering first_ns and
 * last_ns, counted right; values in family order, then first seen.
 */
static void check_shape(const struct sv_feat_set *s)
{
	const struct sv_feat_container *c;
	const struct sv_feat_window *w, *last;
	const struct sv_feat_value *v;
	uint64_t n, nv, bad;

	/* Check records every assertion: count, then assert once. */
	for (c = s->containers, n = 0; c; c = c->next, n++) {
		ck_assert(!c->next || strcmp(c->label, c->next->label) <= 0);
		ck_assert_ptr_nonnull(c->workload);
		nv = bad = 0;
		for (v = c->values; v; v = v->next, nv++)
			bad += v->next && v->family > v->next->family;
		for (v = c->values; v && v->next; v = v->next)
			bad += v->family == v->next->family &&
			       v->next->first_ns != SV_TIME_NONE &&
			       v->first_ns > v->next->first_ns;
		ck_assert_uint_eq(bad, 0);
		ck_assert_uint_eq(nv, c->n_values);
		last = NULL;
		nv = 0;
		for (w = c->windows; w; last = w, w = w->next, nv++)
			bad += w->start_ns % s->window_ns != 0 ||
			       (w->next && w->next->start_ns !=
				w->start_ns + s->window_ns);
		ck_assert_uint_eq(bad, 0);
		ck_assert_uint_eq(nv, c->n_windows);
		if (!c->windows)
			continue;
		ck_assert_int_le(c->windows->start_ns, c->first_ns);
		ck_assert_int_gt(c->windows->start_ns + s->window_ns,
				 c->first_ns);
		ck_assert_int_le(last->start_ns, c->last_ns);
		ck_assert_int_gt(last->start_ns + s->window_ns, c->last_ns);
	}
	ck_assert_uint_eq(n, s->n);
}

/*
 * dig against dnsmasq on 127.0.0.1 (data/SOURCES.md), the client c1
 * ("dig"), the server c2 ("dnsmasq"), in 1 s windows. Expected, with
 * F=tests/readers/data/pcap/dnsmasq_dig_lo.pcap:
 *
 * queries, longest label and highest entropy of the labels left of the
 * last two, per second (dig's input for the odd name, data/SOURCES.md,
 * gives its labels: "we.ird name\", "salvage", "test"):
 *   tshark -r F -Y dns.flags.response==0 -T fields -e frame.time_epoch
 *     -e dns.qry.name | python3 -c 'import sys,math,collections
 *   w=collections.defaultdict(lambda:[0,0,0.0])
 *   for l in sys.stdin:
 *     t,n=l.rstrip("\n").split("\t")
 *     L=["we.ird name\\","salvage","test"] if n.startswith("we.ird")
 *       else n.split(".")
 *     s="".join(L[:-2]).lower(); h=0.0
 *     for c,k in collections.Counter(s).items():
 *       p=k/len(s); h-=p*math.log2(p)
 *     k=int(float(t)); w[k][0]+=1
 *     w[k][1]=max(w[k][1],max(map(len,L))); w[k][2]=max(w[k][2],h)
 *   for k in sorted(w): print(k,*w[k])'
 *   -> 1795950892 2 7 2.0 / 1795950893 10 50 4.160786441387166 /
 *      1795950894 3 7 0.9182958340544896
 * bytes the client sent (received: udp.srcport==53 or tcp.srcport==53)
 * per second; every flow lies within one second:
 *   tshark -r F -Y 'not (udp.srcport==53 or tcp.srcport==53)' -T fields
 *     -e frame.time_epoch -e ip.len |
 *     awk '{s[int($1)]+=$2} END {for (k in s) print k, s[k]}' | sort
 *   -> 172 1211 865 (received: 192 1239 739)
 * connections per second: 11 UDP source ports, 3 TCP SYNs:
 *   tshark -r F -Y 'udp.dstport==53 || tcp.flags==0x002' -T fields
 *     -e frame.time_epoch -e udp.srcport -e tcp.srcport
 *   -> 2 in 892, 9 + 1 in 893, 2 in 894
 * names: tshark -r F -Y dns.flags.response==0 -T fields -e dns.qry.name
 *   | sort | uniq -c  (10 distinct, host.salvage.test 3 times)
 */
static const struct {
	int64_t start_s;
	double q, label, entropy, out, in, conns;
} dig_windows[] = {
	{1795950892, 2, 7, 2.0, 172, 192, 2},
	{1795950893, 10, 50, 4.160786441387166, 1211, 1239, 10},
	{1795950894, 3, 7, 0.9182958340544896, 865, 739, 2},
};

static void check_dig_windows(const struct sv_feat_container *c)
{
	const struct sv_feat_window *w = c->windows;
	size_t i;

	ck_assert_uint_eq(c->n_windows, 3);
	for (i = 0; i < 3; i++, w = w->next) {
		ck_assert_int_eq(w->start_ns, dig_windows[i].start_s * SEC);
		ck_assert_double_eq(w->x[SV_FN_DNS_QUERIES], dig_windows[i].q);
		ck_assert_uint_eq(w->k[SV_FR_DNS], (uint64_t)dig_windows[i].q);
		ck_assert_double_eq(w->x[SV_FN_DNS_LABEL],
				    dig_windows[i].label);
		ck_assert_double_eq_tol(w->x[SV_FN_DNS_ENTROPY],
					dig_windows[i].entropy, 1e-9);
		ck_assert_double_eq(w->x[SV_FN_BYTES_OUT], dig_windows[i].out);
		ck_assert_double_eq(w->x[SV_FN_BYTES_IN], dig_windows[i].in);
		ck_assert_double_eq(w->x[SV_FN_CONN_OUT],
				    dig_windows[i].conns);
		ck_assert_uint_eq(w->k[SV_FR_CONNS],
				  (uint64_t)dig_windows[i].conns);
		ck_assert_double_eq(w->x[SV_FN_CONN_IN], 0);
		ck_assert_double_eq(w->x[SV_FN_CPU], 0);
	}
	ck_assert_double_eq(c->life[SV_FN_DNS_QUERIES], 15);
	ck_assert_double_eq(c->life[SV_FN_DNS_LABEL], 50);
	ck_assert_double_eq_tol(c->life[SV_FN_DNS_ENTROPY], 4.160786441387166,
				1e-9);
	ck_assert_double_eq(c->life[SV_FN_CONN_OUT], 14);
	ck_assert_double_eq(c->life[SV_FN_BYTES_OUT], 172 + 1211 + 865);
}

START_TEST(dns_windows)
{
	struct sv_featurize_options o = {1 * SEC, NULL};
	const struct sv_feat_container *dig, *srv;
	const struct sv_feat_value *v;
	struct sv_feat_set s;
	struct sv_error err;
	struct fake f;

	fake_init(&f, "dig", "dnsmasq");
	fake_pcap(&f, "dnsmasq_dig_lo.pcap");
	ck_assert_int_eq(sv_featurize(&f.a, &o, f.arena, &s, &err), SV_OK);
	check_shape(&s);
	ck_assert_uint_eq(s.n, 2);
	dig = by_label(&s, "dig");
	srv = by_label(&s, "dnsmasq");
	ck_assert_ptr_eq(s.containers, dig);
	ck_assert_str_eq(dig->workload, "dig");
	ck_assert_str_eq(dig->workload_from, "name");
	check_dig_windows(dig);
	/* the first query, 1795950892.856677 */
	ck_assert_int_eq(dig->first_ns, 1795950892856677000LL);
	ck_assert(dig->have & (1u << SV_FN_DNS_ENTROPY));
	ck_assert(!(dig->have & (1u << SV_FN_CPU)));
	/* names, lower case, BIND's escapes for the odd one */
	ck_assert_uint_eq(n_family(dig, SV_FC_DNS), 10);
	v = value_of(dig, SV_FC_DNS, "host.salvage.test");
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->count, 3);
	ck_assert_int_eq(v->first_ns, 1795950892856677000LL);
	ck_assert_ptr_nonnull(v->app);
	ck_assert_ptr_eq(v->flow, v->app->flow);
	v = value_of(dig, SV_FC_DNS, "we\\.ird\\032name\\\\.salvage.test");
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->count, 1);
	/* 127.0.0.1 is the container's own: no destination */
	ck_assert_uint_eq(n_family(dig, SV_FC_DEST), 0);
	ck_assert_uint_eq(n_family(dig, SV_FC_LISTEN), 0);
	/* the server: listens, queries nothing */
	ck_assert_uint_eq(value_of(srv, SV_FC_LISTEN, "udp/53")->count, 11);
	ck_assert_uint_eq(value_of(srv, SV_FC_LISTEN, "tcp/53")->count, 3);
	ck_assert_double_eq(srv->life[SV_FN_CONN_IN], 14);
	ck_assert_double_eq(srv->life[SV_FN_DNS_QUERIES], 0);
	ck_assert_double_eq(srv->life[SV_FN_BYTES_OUT], 192 + 1239 + 739);
	/* in the default 10 s windows, one window holds everything */
	ck_assert_int_eq(sv_featurize(&f.a, NULL, f.arena, &s, &err), SV_OK);
	ck_assert_int_eq(s.window_ns, SV_FEAT_WINDOW_NS);
	check_shape(&s);
	dig = by_label(&s, "dig");
	ck_assert_uint_eq(dig->n_windows, 1);
	ck_assert_int_eq(dig->windows->start_ns, 1795950890 * SEC);
	ck_assert_double_eq(dig->windows->x[SV_FN_DNS_QUERIES], 15);
	ck_assert_double_eq(dig->windows->x[SV_FN_CONN_OUT], 14);
	fake_free(&f);
}
END_TEST

START_TEST(bad_window)
{
	struct sv_featurize_options o = {SV_FEAT_WINDOW_MIN_NS - 1, NULL};
	struct sv_feat_set s;
	struct sv_error err;
	struct fake f;

	fake_init(&f, "a", "b");
	ck_assert_int_eq(sv_featurize(&f.a, &o, f.arena, &s, &err),
			 SV_ERR_USAGE);
	ck_assert_uint_eq(s.n, 0);
	ck_assert_ptr_null(s.containers);
	o.window_ns = SV_FEAT_WINDOW_MAX_NS + 1;
	ck_assert_int_eq(sv_featurize(&f.a, &o, f.arena, &s, &err),
			 SV_ERR_USAGE);
	o.window_ns = -SEC;
	ck_assert_int_eq(sv_featurize(&f.a, &o, f.arena, &s, &err),
			 SV_ERR_USAGE);
	/* no activity: no container */
	o.window_ns = SV_FEAT_WINDOW_MAX_NS;
	ck_assert_int_eq(sv_featurize(&f.a, &o, f.arena, &s, &err), SV_OK);
	ck_assert_uint_eq(s.n, 0);
	fake_free(&f);
}
END_TEST

/*
 * A hostile clock: processes started in 1970, in 2026, before 1970 and
 * at the end of time. Only the latest SV_FEAT_WINDOWS_MAX windows are
 * laid out; the rest are counted; times out of range are not placed but
 * their values are counted.
 */
START_TEST(hostile_clock)
{
	static const int64_t starts[4] = {
		1 * SEC, 1795950892 * SEC, -5, INT64_MAX - 1
	};
	const struct sv_feat_container *c;
	const struct sv_feat_window *w;
	const struct sv_feat_value *v;
	struct sv_feat_set s;
	struct sv_error err;
	struct fake f;
	int i;

	fake_init(&f, "a", "b");
	for (i = 0; i < 4; i++) {
		f.p[i].pid = (uint32_t)(100 + i);
		f.p[i].start_ns = starts[i];
		f.p[i].first_seen = f.p[i].last_seen = starts[1];
		f.p[i].comm = "sh";
		f.p[i].euid = -1;
		f.p[i].container_id = "c1";
		f.p[i].next = i < 3 ? &f.p[i + 1] : NULL;
	}
	f.pr.list = &f.p[0];
	f.pr.n = 4;
	f.a.procs = &f.pr;
	ck_assert_int_eq(sv_featurize(&f.a, NULL, f.arena, &s, &err), SV_OK);
	check_shape(&s);
	ck_assert_uint_eq(s.n, 1);
	c = s.containers;
	ck_assert_uint_eq(c->n_windows, SV_FEAT_WINDOWS_MAX);
	ck_assert_uint_eq(c->windows_dropped + c->n_windows,
			  (uint64_t)(1795950890 - 0) / 10 + 1);
	for (i = 0, w = c->windows; w->next; w = w->next)
		i += w->x[SV_FN_EXECS] != 0;
	ck_assert_int_eq(i, 0);
	ck_assert_int_eq(w->start_ns, 1795950890 * SEC);
	ck_assert_double_eq(w->x[SV_FN_EXECS], 1);
	ck_assert_double_eq(c->life[SV_FN_EXECS], 2);
	v = value_of(c, SV_FC_PROGRAM, "sh");
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->count, 4);
	ck_assert_int_eq(v->first_ns, 1 * SEC);
	ck_assert_ptr_nonnull(value_of(c, SV_FC_PAIR, "(outside)>sh"));
	fake_free(&f);
}
END_TEST

/* ---- end to end on the samples ---- */

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

static double wsum(const struct sv_feat_container *c, enum sv_fn f)
{
	const struct sv_feat_window *w;
	double s = 0;

	for (w = c->windows; w; w = w->next)
		s += w->x[f];
	return s;
}

static uint64_t ksum(const struct sv_feat_container *c, enum sv_fr f)
{
	const struct sv_feat_window *w;
	uint64_t s = 0;

	for (w = c->windows; w; w = w->next)
		s += w->k[f];
	return s;
}

/*
 * Property: the connections a container opened (accepted), summed over
 * its windows, are the TCP and UDP flows whose a (b) end it held. Every
 * TCP flow of the samples has its SYN, so a is the opener (checked).
 */
static void check_conns(const struct sv_analysis *a,
			const struct sv_feat_set *s)
{
	const struct sv_feat_container *c;
	const struct sv_flow *f;
	uint64_t out, in;

	for (c = s->containers; c; c = c->next) {
		out = in = 0;
		for (f = a->flows; f; f = f->next) {
			if (f->proto != 6 && f->proto != 17)
				continue;
			ck_assert(f->proto != 6 || f->syn_seen);
			out += f->owner_a && f->owner_a->container_id &&
			       !strcmp(f->owner_a->container_id,
				       c->container_id);
			in += f->owner_b && f->owner_b->container_id &&
			      !strcmp(f->owner_b->container_id,
				      c->container_id);
		}
		ck_assert_uint_eq(c->windows_dropped, 0);
		ck_assert_double_eq(wsum(c, SV_FN_CONN_OUT), (double)out);
		ck_assert_uint_eq(ksum(c, SV_FR_CONNS), out);
		ck_assert_double_eq(c->life[SV_FN_CONN_OUT], (double)out);
		ck_assert_double_eq(wsum(c, SV_FN_CONN_IN), (double)in);
	}
}

/*
 * web-incident, S=samples/web-incident.tar.zst unpacked:
 *   programs of web (id 49812af6ca92...):
 *     for p in web-incident/proc/[0-9]*\/[0-9]*; do grep -q 49812af6ca92
 *       $p/cgroup && cat $p/comm; done | sort | uniq -c
 *     -> httpd, nc, sh, sleep, timeout, xmrig
 *   pairs: the same loop printing "$(cat $(dirname $p)/$ppid/comm)>comm"
 *     with ppid the 4th field of $p/stat -> httpd>sh (15 snapshots),
 *     conmon>httpd (conmon is outside the container), sh>xmrig, ...
 *   connections: tshark -r web-incident/pcap/web-incident.pcap
 *     -Y 'tcp.flags.syn==1 && tcp.flags.ack==0' -T fields -e ip.src
 *     -e ip.dst -e tcp.dstport | sort | uniq -c  (each SYN twice: -i any
 *     sees the bridge and the veth)
 *     -> 10.89.77.10 -> 10.89.77.1 3333, 4444, 8000 (web: xmrig's pool,
 *     the reverse shell, the miner's download); 10.89.77.11 -> .10 80
 *     43 times (client); 10.89.77.1 -> .10 80 once (the injection)
 *   hog's memory (libpod-26d00411...), usage and high-water mark:
 *     for d in web-incident/cgroup/[0-9]*; do f=$d/memory/libpod_parent/
 *       libpod-26d00411*; [ -d $f ] && echo $(cat $f/memory.usage_in_bytes)
 *       $(cat $f/memory.max_usage_in_bytes); done
 *     -> the mark rose to 33124352 in the last interval, the limit
 *     (memory.limit_in_bytes) is 33554432; usage peaked at 17350656
 *   lifecycle: events/podman.jsonl has one "exec" (web) and
 *     events/dmesg.txt one "oom-kill:constraint=CONSTRAINT_MEMCG" for
 *     hog; nobody restarted
 */
static void check_web(const struct sv_feat_container *web)
{
	const struct sv_feat_value *v;

	ck_assert_ptr_nonnull(value_of(web, SV_FC_PROGRAM, "httpd"));
	ck_assert_ptr_nonnull(value_of(web, SV_FC_PROGRAM, "sh"));
	ck_assert_ptr_nonnull(value_of(web, SV_FC_PROGRAM, "xmrig"));
	ck_assert_ptr_nonnull(value_of(web, SV_FC_PAIR, "httpd>sh"));
	ck_assert_ptr_nonnull(value_of(web, SV_FC_PAIR, "(outside)>httpd"));
	ck_assert_ptr_nonnull(value_of(web, SV_FC_PAIR, "sh>xmrig"));
	ck_assert_ptr_nonnull(value_of(web, SV_FC_USER, "uid=0"));
	v = value_of(web, SV_FC_DEST, "tcp/10.89.77.1:4444");
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->count, 1);
	ck_assert(v->flow && v->flow->b_port == 4444);
	ck_assert_int_eq(v->first_ns, v->flow->first_ns);
	v = value_of(web, SV_FC_DEST, "tcp/10.89.77.1:3333");
	ck_assert_ptr_nonnull(v);
	ck_assert(v->flow && v->flow->app &&
		  (v->flow->app->kinds & (1u << SV_APPK_STRATUM)));
	ck_assert_ptr_nonnull(value_of(web, SV_FC_DEST,
				       "tcp/10.89.77.1:8000"));
	ck_assert_uint_eq(n_family(web, SV_FC_DEST), 3);
	v = value_of(web, SV_FC_LISTEN, "tcp/80");
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->count, 44);
	ck_assert_uint_eq(n_family(web, SV_FC_LISTEN), 1);
	ck_assert_uint_eq(ksum(web, SV_FR_LIFECYCLE), 1);
	ck_assert_double_eq(web->life[SV_FN_CONN_OUT], 3);
	ck_assert_double_eq(web->life[SV_FN_CONN_IN], 44);
	ck_assert_double_eq(web->life[SV_FN_EXECS], wsum(web, SV_FN_EXECS));
	ck_assert_uint_eq(ksum(web, SV_FR_EXECS),
			  (uint64_t)wsum(web, SV_FN_EXECS));
	ck_assert(web->life[SV_FN_CPU] > 0);
	ck_assert(web->have & (1u << SV_FN_CPU));
	ck_assert(web->have & (1u << SV_FN_BYTES_OUT));
	ck_assert(web->have & (1u << SV_FN_EXECS));
}

START_TEST(incident)
{
	struct sv_analysis *a = sample("web-incident.tar.zst");
	const struct sv_feat_container *web, *client, *hog;
	const struct sv_feat_value *v;
	struct sv_feat_set s;
	struct sv_error err;

	ck_assert_int_eq(sv_featurize(a, NULL, a->arena, &s, &err), SV_OK);
	check_shape(&s);
	check_conns(a, &s);
	ck_assert_uint_eq(s.n, 3);
	web = by_label(&s, "web");
	client = by_label(&s, "client");
	hog = by_label(&s, "hog");
	check_web(web);
	ck_assert_str_eq(web->workload, "localhost/salvage-demo:1");
	ck_assert_str_eq(web->workload_from, "image");
	v = value_of(client, SV_FC_DEST, "tcp/10.89.77.10:80");
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->count, 43);
	ck_assert_uint_eq(n_family(client, SV_FC_DEST), 1);
	ck_assert_double_eq(hog->life[SV_FN_MEMORY], 33124352);
	ck_assert(hog->life[SV_FN_MEMORY] >= 0.9 * 33554432);
	ck_assert(hog->have & (1u << SV_FN_MEMORY));
	ck_assert_uint_eq(ksum(hog, SV_FR_LIFECYCLE), 1);
	ck_assert_uint_eq(ksum(client, SV_FR_LIFECYCLE), 0);
	sv_analysis_free(a);
}
END_TEST

/*
 * web-clean (C=samples/web-clean.tar.zst): web only serves. tshark -r
 * web-clean/pcap/web-clean.pcap -Y 'tcp.flags.syn==1 && tcp.flags.ack==0'
 * -T fields -e ip.src -e ip.dst -e tcp.dstport | sort -u -> only
 * 10.89.77.11 -> 10.89.77.10 80; web's programs: httpd alone (the loop
 * above with 23578e11f014).
 */
START_TEST(clean)
{
	struct sv_analysis *a = sample("web-clean.tar.zst");
	struct sv_featurize_options o = {2 * SEC, NULL};
	const struct sv_feat_container *web;
	const struct sv_feat_value *v;
	struct sv_workload_rule r = {"w*", "front", NULL};
	struct sv_feat_set s;
	struct sv_error err;

	o.workloads = &r;
	ck_assert_int_eq(sv_featurize(a, &o, a->arena, &s, &err), SV_OK);
	check_shape(&s);
	check_conns(a, &s);
	web = by_label(&s, "web");
	ck_assert_str_eq(web->workload, "front");
	ck_assert_str_eq(web->workload_from, "user");
	ck_assert_str_eq(by_label(&s, "client")->workload_from, "image");
	for (v = web->values; v; v = v->next)
		ck_assert(!strstr(v->value, "4444"));
	ck_assert_uint_eq(n_family(web, SV_FC_DEST), 0);
	ck_assert_uint_eq(n_family(web, SV_FC_PROGRAM), 1);
	ck_assert_ptr_nonnull(value_of(web, SV_FC_PROGRAM, "httpd"));
	ck_assert_ptr_nonnull(value_of(web, SV_FC_LISTEN, "tcp/80"));
	ck_assert_uint_eq(ksum(web, SV_FR_LIFECYCLE), 0);
	sv_analysis_free(a);
}
END_TEST

/*
 * samples/detect (samples/make-detections.sh, when present): in
 * dns-tunnel the client (10.89.78.12) also asks for <48 hex digits>.<n>
 * .t.exfil.test; in clean-1 only api.internal.test and web.internal.test.
 * With P=dns-tunnel/pcap/dns-tunnel.pcap (tar --zstd -xf the bundle):
 *   tshark -r P -Y 'dns.flags.response==0 && ip.src==10.89.78.12'
 *     -T fields -e dns.qry.name | python3 -c 'import sys,math,collections
 *   b=0; m=0
 *   for l in sys.stdin:
 *     L=l.strip().split("."); s="".join(L[:-2]).lower()
 *     m=max(m,max(map(len,L)))
 *     if s: b=max(b,-sum(k/len(s)*math.log2(k/len(s))
 *                          for k in collections.Counter(s).values()))
 *   print(m,b)'
 *   -> 48 4.0078... (random hex, the counter and "t": above 3.5 bits,
 *   at most log2 17)
 * and the same on clean-1 -> 8 1.584962500721156 (log2 3: "api", "web").
 */
START_TEST(detect_dns)
{
	struct sv_analysis *a = sample("detect/dns-tunnel.tar.zst");
	const struct sv_feat_container *c;
	const struct sv_feat_value *v;
	struct sv_feat_set s;
	struct sv_error err;
	uint64_t tunnel = 0;

	ck_assert_int_eq(sv_featurize(a, NULL, a->arena, &s, &err), SV_OK);
	check_shape(&s);
	c = by_label(&s, "client");
	ck_assert_double_eq(c->life[SV_FN_DNS_LABEL], 48);
	ck_assert(c->life[SV_FN_DNS_ENTROPY] > 3.5 &&
		  c->life[SV_FN_DNS_ENTROPY] <= log2(17));
	ck_assert_double_eq(wsum(c, SV_FN_DNS_QUERIES),
			    c->life[SV_FN_DNS_QUERIES]);
	for (v = c->values; v; v = v->next)
		tunnel += v->family == SV_FC_DNS &&
			  strstr(v->value, ".t.exfil.test") != NULL;
	ck_assert_uint_ge(tunnel, 40);
	ck_assert_double_eq(by_label(&s, "api")->life[SV_FN_DNS_QUERIES], 0);
	sv_analysis_free(a);
	a = sample("detect/clean-1.tar.zst");
	ck_assert_int_eq(sv_featurize(a, NULL, a->arena, &s, &err), SV_OK);
	c = by_label(&s, "client");
	ck_assert_double_eq(c->life[SV_FN_DNS_LABEL], 8);
	ck_assert_double_eq_tol(c->life[SV_FN_DNS_ENTROPY], log2(3), 1e-9);
	sv_analysis_free(a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("features");
	TCase *t = tcase_create("pieces");
	TCase *e = tcase_create("samples");

	tcase_add_test(t, names);
	tcase_add_loop_test(t, clean_text, 0,
			    sizeof(clean_cases) / sizeof(clean_cases[0]));
	tcase_add_loop_test(t, rule_parse, 0,
			    sizeof(rule_cases) / sizeof(rule_cases[0]));
	tcase_add_test(t, rule_limits);
	tcase_add_loop_test(t, workload_keys, 0,
			    sizeof(key_cases) / sizeof(key_cases[0]));
	tcase_add_test(t, workload_long);
	tcase_add_test(t, dns_windows);
	tcase_add_test(t, bad_window);
	tcase_add_test(t, hostile_clock);
	tcase_set_timeout(t, 60);
	tcase_set_timeout(e, 240);
	tcase_add_test(e, incident);
	tcase_add_test(e, clean);
	if (!access(SV_SAMPLES "/detect/dns-tunnel.tar.zst", R_OK) &&
	    !access(SV_SAMPLES "/detect/clean-1.tar.zst", R_OK))
		tcase_add_test(e, detect_dns);
	suite_add_tcase(s, t);
	suite_add_tcase(s, e);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
