/*
 * test_modelfile.c - model files (analyzer/sv_modelfile*.c) and the
 * train and merge commands (analyzer/cli_train.c, cli_merge.c).
 *
 * Library: a baseline built here through the model API (synthetic,
 * seeded LCG data; values, keys and bundle names XML cannot carry as
 * they are; a categorical model past its cap) is written and read back:
 * same digest, same fitted values. Every refusal is shown on a copy of
 * a good file damaged by hand (one digit changed, version="2", another
 * root or namespace, a missing attribute, cut in half, a DOCTYPE with
 * entities, a negative variance, ...), with its status and the words
 * of its message.
 *
 * Commands, by running the built binary: train on the real sample
 * samples/web-clean.tar.zst (the model records the SHA-256 of the file,
 * computed here independently with OpenSSL); merge of two --partial
 * runs equals train on both at once (same digest, fitted values to
 * 1e-9); merge A,B and B,A give the same digest (A clean, B the incident
 * sample: different data, so that the Gaussian merge order would show);
 * the same bundle twice, a damaged bundle, a folder, a damaged model,
 * parts that do not fit together, an unwritable output.
 *
 * SV_MODELFILE_SEED_DIR, when set, receives the small synthetic models
 * (fuzz/seeds/modelfile/ was made that way).
 */
#include <check.h>
#include <fcntl.h>
#include <glob.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sv_modelfile.h"
#include "sv_testbundle.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define REL_TOL 1e-9
#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"


static char *g_tmp;

static void tmp_setup(void)
{
	g_tmp = tb_tmpdir();
	ck_assert_ptr_nonnull(g_tmp);
}

static void tmp_teardown(void)
{
	tb_rmrf(g_tmp);
	free(g_tmp);
	g_tmp = NULL;
}

static char *tmp_path(const char *name)
{
	return tb_join(g_tmp, name);
}

/* ---- a synthetic baseline ---- */

static uint64_t lcg = 20261129;

static double draw(double scale)
{
	lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
	return scale * (double)(lcg >> 11) / 9007199254740992.0;
}

static void vec(double *x, double scale)
{
	size_t i;

	for (i = 0; i < SV_FN_COUNT; i++)
		x[i] = i % 5 == 4 ? 0.0 : draw(scale * (double)(i + 1));
}

static void add_vectors(struct sv_bl_workload *w, int life, int n)
{
	double x[SV_FN_COUNT];
	int i;

	for (i = 0; i < n; i++) {
		vec(x, 100.0);
		ck_assert_int_eq(sv_mdl_gauss_add(life ? &w->life : &w->win, x),
				 SV_OK);
		ck_assert_int_eq(sv_baseline_add_calib(w, life, x), SV_OK);
	}
}

static void add_value(struct sv_bl_workload *w, enum sv_fc f, const char *v,
		      uint64_t n)
{
	ck_assert_int_eq(sv_mdl_cat_add(w->cat[f], v, n), SV_OK);
}

/* small: one workload, few vectors (a fuzz seed); else two workloads
 * with strings XML cannot carry and more data. */
static struct sv_baseline *synth(int small, int fit)
{
	struct sv_baseline *b;
	struct sv_bl_workload *w;
	struct sv_error err;
	uint64_t k;
	int r, i;

	lcg = 20261129;
	ck_assert_int_eq(sv_baseline_new(SV_FEAT_WINDOW_NS, 0.05, &b, &err),
			 SV_OK);
	ck_assert_int_eq(sv_baseline_add_bundle(b, SHA_A, "one.tar.zst", &err),
			 SV_OK);
	w = sv_baseline_workload(b, "web", 1);
	ck_assert_ptr_nonnull(w);
	w->containers = 2;
	add_value(w, SV_FC_PROGRAM, "httpd", 5);
	add_value(w, SV_FC_PROGRAM, "sh", 3);
	add_value(w, SV_FC_PAIR, "(outside)>httpd", 2);
	add_value(w, SV_FC_DEST, "tcp/10.89.77.1:80", 7);
	add_value(w, SV_FC_PROGRAM, "a\nb", 1); /* written as hex */
	add_vectors(w, 0, small ? 4 : 40);
	add_vectors(w, 1, small ? 2 : 3);
	for (r = 0; r < SV_FR_COUNT; r++)
		for (i = 0; i < (small ? 4 : 40); i++) {
			k = (uint64_t)draw(9.0 * r);
			ck_assert_int_eq(sv_mdl_rate_add(&w->rate[r], k),
					 SV_OK);
		}
	if (!small) {
		ck_assert_int_eq(sv_baseline_add_bundle(b, SHA_B,
							"tab\there\x01.tar",
							&err), SV_OK);
		w = sv_baseline_workload(b, "db\nkey\xff", 1);
		ck_assert_ptr_nonnull(w);
		w->containers = 1;
		add_value(w, SV_FC_PROGRAM, "<&>\"' h\xc3\xa9llo ", 2);
		add_value(w, SV_FC_DNS, "", 1);
		add_value(w, SV_FC_USER, "uid=0\r", 4);
		add_vectors(w, 0, 3);
	}
	if (fit)
		ck_assert_int_eq(sv_baseline_fit(b, &err), SV_OK);
	else
		b->partial = 1;
	return b;
}

static void digest(const struct sv_baseline *b, char hex[65])
{
	ck_assert_int_eq(sv_baseline_digest(b, hex), SV_OK);
}

/* Each a[i] within REL_TOL of b[i], relative to the larger |value|
 * (1 at least, so that zeros compare sensibly). */
static void ck_close(const double *a, const double *b, size_t n,
		     const char *what)
{
	size_t i;

	for (i = 0; i < n; i++)
		ck_assert_msg(fabs(a[i] - b[i]) <=
			      REL_TOL * fmax(1.0, fmax(fabs(a[i]), fabs(b[i]))),
			      "%s[%zu]: %.17g vs %.17g", what, i, a[i], b[i]);
}

/* Fitted values of two baselines with the same workloads agree. */
static void ck_same_fit(const struct sv_baseline *a,
			const struct sv_baseline *b)
{
	const struct sv_bl_workload *x, *y;
	size_t i, d = SV_FN_COUNT;
	int r;

	ck_assert(a->fitted && b->fitted);
	ck_assert_uint_eq(a->n_wl, b->n_wl);
	for (i = 0; i < a->n_wl; i++) {
		x = a->wl[i];
		y = b->wl[i];
		ck_assert_str_eq(x->key, y->key);
		ck_assert_int_eq(x->win_ok, y->win_ok);
		ck_assert_int_eq(x->life_ok, y->life_ok);
		ck_assert_int_eq(x->rate_ok, y->rate_ok);
		if (x->win_ok) {
			ck_close(&x->win_threshold, &y->win_threshold, 1,
				 "win threshold");
			ck_close(x->win_m.mean, y->win_m.mean, d, "win mean");
			ck_close(x->win_m.cov, y->win_m.cov, d * d, "win cov");
		}
		if (x->life_ok) {
			ck_close(&x->life_threshold, &y->life_threshold, 1,
				 "life threshold");
			ck_close(x->life_m.mean, y->life_m.mean, d,
				 "life mean");
		}
		for (r = 0; x->rate_ok && r < SV_FR_COUNT; r++) {
			ck_close(&x->rate_m[r].mean, &y->rate_m[r].mean, 1,
				 "rate mean");
			ck_close(&x->rate_m[r].var, &y->rate_m[r].var, 1,
				 "rate var");
		}
	}
}

static struct sv_baseline *read_ok(const char *path)
{
	struct sv_baseline *b = NULL;
	struct sv_error err;

	sv_error_clear(&err);
	ck_assert_msg(sv_modelfile_read(path, &b, &err) == SV_OK,
		      "%s: %s", path, err.msg);
	return b;
}

/* Write b, read it back: same digest; the copy is returned. */
static struct sv_baseline *round_trip(const struct sv_baseline *b,
				      const char *name)
{
	char *path = tmp_path(name), h1[65], h2[65];
	const char *dir = getenv("SV_MODELFILE_SEED_DIR");
	struct sv_baseline *c;
	struct sv_error err;
	size_t n;
	char *text;

	ck_assert_int_eq(sv_modelfile_write(b, path, &err), SV_OK);
	c = read_ok(path);
	digest(b, h1);
	digest(c, h2);
	ck_assert_str_eq(h1, h2);
	if (dir) {
		char *seed = tb_join(dir, name);

		text = tb_read_file(path, &n);
		ck_assert_int_eq(tb_write_file(seed, text, n), 0);
		free(text);
		free(seed);
	}
	free(path);
	return c;
}

/* ---- round trips ---- */

START_TEST(round_trip_fitted)
{
	struct sv_baseline *b = synth(0, 1), *c = round_trip(b, "full.model");

	ck_assert(!c->partial);
	ck_same_fit(b, c);
	/* fitted from the file, so exactly the same numbers */
	ck_assert(c->wl[1]->win_threshold == b->wl[1]->win_threshold);
	ck_assert_uint_eq(c->n_bundles, 2);
	ck_assert_str_eq(c->bundles[0].name, "tab\there\x01.tar");
	ck_assert_str_eq(c->wl[0]->key, "db\nkey\xff");
	ck_assert_uint_eq(sv_mdl_cat_seen(c->wl[1]->cat[SV_FC_PROGRAM],
					  "a\nb"), 1);
	ck_assert_uint_eq(sv_mdl_cat_seen(c->wl[0]->cat[SV_FC_PROGRAM],
					  "<&>\"' h\xc3\xa9llo "), 2);
	ck_assert_uint_eq(sv_mdl_cat_seen(c->wl[0]->cat[SV_FC_USER],
					  "uid=0\r"), 4);
	ck_assert_uint_eq(sv_mdl_cat_size(c->wl[0]->cat[SV_FC_DNS]), 1);
	ck_assert_uint_eq(c->wl[1]->containers, 2);
	sv_baseline_free(b);
	sv_baseline_free(c);
}
END_TEST

START_TEST(round_trip_partial)
{
	struct sv_baseline *b = synth(1, 0), *c = round_trip(b, "small.model");

	ck_assert(c->partial);
	ck_assert(!c->fitted);
	sv_baseline_free(c);
	sv_baseline_free(b);
	b = synth(1, 1);
	c = round_trip(b, "small-fitted.model");
	ck_assert(c->fitted);
	ck_same_fit(b, c);
	sv_baseline_free(c);
	sv_baseline_free(b);
}
END_TEST

/* Past the cap, counts go to "other"; the file must bring them back. */
START_TEST(round_trip_other)
{
	struct sv_baseline *b = synth(1, 0), *c;
	struct sv_bl_workload *w = b->wl[0];
	char v[32];
	unsigned i;

	for (i = 0; i < SV_BL_CAT_VALUES_MAX + 5; i++) {
		snprintf(v, sizeof(v), "/usr/bin/tool-%05u", i);
		add_value(w, SV_FC_EXECUTABLE, v, 1 + i % 3);
	}
	ck_assert_uint_gt(sv_mdl_cat_other(w->cat[SV_FC_EXECUTABLE]), 0);
	c = round_trip(b, "other.model");
	ck_assert_uint_eq(sv_mdl_cat_other(c->wl[0]->cat[SV_FC_EXECUTABLE]),
			  sv_mdl_cat_other(w->cat[SV_FC_EXECUTABLE]));
	ck_assert_uint_eq(sv_mdl_cat_size(c->wl[0]->cat[SV_FC_EXECUTABLE]),
			  SV_BL_CAT_VALUES_MAX);
	sv_baseline_free(c);
	sv_baseline_free(b);
}
END_TEST

/* ---- refusals ---- */

/* s with the first occurrence of from (after the first `after`, when
 * given) replaced by to; malloc'd. */
static char *edit(const char *s, const char *after, const char *from,
		  const char *to)
{
	const char *start = after ? strstr(s, after) : s, *at;
	size_t n = strlen(s), nf = strlen(from), nt = strlen(to);
	char *out;

	ck_assert_ptr_nonnull(start);
	at = strstr(start, from);
	ck_assert_msg(at != NULL, "'%s' not in the model", from);
	out = malloc(n - nf + nt + 1);
	ck_assert_ptr_nonnull(out);
	memcpy(out, s, (size_t)(at - s));
	memcpy(out + (at - s), to, nt);
	memcpy(out + (at - s) + nt, at + nf, n - (size_t)(at - s) - nf + 1);
	return out;
}

/* One digit of the first window mean changed. */
static char *one_digit(const char *s)
{
	char *out = strdup(s), *p = strstr(out, "<mean>");

	ck_assert_ptr_nonnull(p);
	p += strcspn(p, "0123456789");
	*p = (char)('0' + (*p - '0' + 1) % 10);
	return out;
}

/* The first number after <tag> replaced by to. */
static char *first_number(const char *s, const char *tag, const char *to)
{
	const char *p = strstr(s, tag);
	size_t n;
	char *num, *out, from[96], repl[96];

	ck_assert_ptr_nonnull(p);
	n = strcspn(p + strlen(tag), " <");
	num = strndup(p + strlen(tag), n);
	snprintf(from, sizeof(from), "%s%s", tag, num);
	snprintf(repl, sizeof(repl), "%s%s", tag, to);
	out = edit(s, NULL, from, repl);
	free(num);
	return out;
}

static char *whole_workload_twice(const char *s)
{
	const char *a = strstr(s, "<workload"), *e = strstr(s, "</workload>");
	size_t n = strlen(s), k;
	char *out;

	ck_assert(a && e);
	e += strlen("</workload>");
	k = (size_t)(e - a);
	out = malloc(n + k + 1);
	memcpy(out, s, (size_t)(e - s));
	memcpy(out + (e - s), a, k);
	memcpy(out + (e - s) + k, e, n - (size_t)(e - s) + 1);
	return out;
}

static char *with_doctype(const char *s, const char *dtd, const char *from,
			  const char *to)
{
	char *a = edit(s, NULL, "?>", dtd), *b;

	if (!from)
		return a;
	b = edit(a, NULL, from, to);
	free(a);
	return b;
}

#define LOL "<!DOCTYPE salvage-model [<!ENTITY a \"aaaaaaaaaa\">" \
	"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">" \
	"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">" \
	"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">" \
	"<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">" \
	"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">" \
	"<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">" \
	"<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">]>"

static char *damage(int i, const char *s)
{
	switch (i) {
	case 0:
		return one_digit(s);
	case 1:
		return edit(s, NULL, " version=\"1\"", " version=\"2\"");
	case 2: {
		char *a = edit(s, NULL, "<salvage-model", "<salvage-modl");
		char *b = edit(a, NULL, "</salvage-model", "</salvage-modl");

		free(a);
		return b;
	}
	case 3:
		return edit(s, NULL, "urn:salvage:model:1", "urn:example:x");
	case 4: /* a required attribute missing */
		return edit(s, "<rate ", "sumsq=", "sumsx=");
	case 5:
		return strndup(s, strlen(s) / 2);
	case 6:
		return strdup("hello, model\n");
	case 7:
		return with_doctype(s, "?><!DOCTYPE salvage-model ["
				    "<!ENTITY x \"sh\">]>", ">sh<", ">&x;<");
	case 8:
		return with_doctype(s, "?>" LOL, ">sh<", ">&h;<");
	case 9:
		return with_doctype(s, "?><!DOCTYPE salvage-model [<!ENTITY x "
				    "SYSTEM \"file:///etc/passwd\">]>",
				    ">sh<", ">&x;<");
	case 10: /* a variance (m2's first diagonal entry) below 0 */
		return first_number(s, "<m2>", "-1");
	case 11:
		return whole_workload_twice(s);
	case 12:
		return edit(s, "family=\"program\"", "total=\"", "total=\"1");
	case 13:
		return first_number(s, "<mean>", "NaN");
	case 14: /* a version too large for any integer type is newer too */
		return edit(s, NULL, " version=\"1\"",
			    " version=\"99999999999999999999999\"");
	}
	return NULL;
}

static const struct {
	enum sv_status code;
	const char *words;
} refusal[] = {
	{SV_ERR_CORRUPT, "corrupt: checksum sha256:"},
	{SV_ERR_UNSUPPORTED,
	 "made by a newer salvage: version 2, this one reads 1"},
	{SV_ERR_UNSUPPORTED, "foreign: root <salvage-modl>"},
	{SV_ERR_UNSUPPORTED, "in namespace 'urn:example:x'"},
	{SV_ERR_CORRUPT, "schema-invalid: "},
	{SV_ERR_TRUNCATED, "truncated: "},
	{SV_ERR_CORRUPT, "not XML: "},
	{SV_ERR_CORRUPT, "it has a DOCTYPE"},
	{SV_ERR_CORRUPT, "it has a DOCTYPE"},
	{SV_ERR_CORRUPT, "it has a DOCTYPE"},
	{SV_ERR_CORRUPT, "corrupt: impossible statistics (window)"},
	{SV_ERR_CORRUPT, "listed twice"},
	{SV_ERR_CORRUPT, "is not the sum of the counts"},
	{SV_ERR_CORRUPT, "is not 12 finite numbers"},
	{SV_ERR_UNSUPPORTED, "made by a newer salvage: version 9999"},
};

START_TEST(refused)
{
	static char sentinel;
	struct sv_baseline *b = synth(1, 1);
	struct sv_baseline *out = (struct sv_baseline *)(void *)&sentinel;
	char *good = tmp_path("good.model"), *bad = tmp_path("bad.model");
	struct sv_error err;
	char *text, *dmg;
	size_t n;

	ck_assert_int_eq(sv_modelfile_write(b, good, &err), SV_OK);
	sv_baseline_free(b);
	text = tb_read_file(good, &n);
	dmg = damage(_i, text);
	ck_assert_int_eq(tb_write_file(bad, dmg, strlen(dmg)), 0);
	sv_error_clear(&err);
	ck_assert_int_eq(sv_modelfile_read(bad, &out, &err), refusal[_i].code);
	ck_assert_msg(strstr(err.msg, refusal[_i].words) != NULL,
		      "case %d: '%s' has no '%s'", _i, err.msg,
		      refusal[_i].words);
	ck_assert_str_eq(err.artifact, bad);
	ck_assert_ptr_eq(out, (void *)&sentinel); /* untouched */
	ck_assert(!strstr(err.msg, "root:x:")); /* /etc/passwd not read */
	if (_i == 4 || _i == 10)
		ck_assert_uint_gt(err.line, 1); /* where it is */
	free(dmg);
	free(text);
	free(good);
	free(bad);
}
END_TEST

START_TEST(refused_size)
{
	char *big = tmp_path("big.model"), *none = tmp_path("none.model");
	struct sv_baseline *out = NULL;
	struct sv_error err;
	int fd = open(big, O_CREAT | O_WRONLY, 0644);

	/* sparse: refused by its size before a byte is read */
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)SV_MODELFILE_MAX + 1), 0);
	close(fd);
	ck_assert_int_eq(sv_modelfile_read(big, &out, &err), SV_ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(err.msg, "too large"));
	ck_assert_int_eq(sv_modelfile_read(none, &out, &err), SV_ERR_IO);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(sv_modelfile_read_mem("", 0, NULL, &out, &err),
			 SV_ERR_TRUNCATED);
	free(big);
	free(none);
}
END_TEST

/* ---- the commands ---- */

struct result {
	int code;
	char *out, *err;
};

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

static struct result run(const char *const *args)
{
	static unsigned seq;
	char name[64], *out, *err;
	struct result r;
	size_t n;

	snprintf(name, sizeof(name), "out-%u", seq);
	out = tmp_path(name);
	snprintf(name, sizeof(name), "err-%u", seq++);
	err = tmp_path(name);
	r.code = tb_spawn(SV_SALVAGE_BIN, args, out, err);
	ck_assert_msg(r.code >= 0 && r.code < 128, "salvage failed to run "
		      "or died: %d", r.code);
	r.out = tb_read_file(out, &n);
	r.err = tb_read_file(err, &n);
	ck_assert(r.out && r.err);
	free(out);
	free(err);
	return r;
}

/* salvage ARGS... must exit with code; its output is freed. */
static void run_expect(const char *const *args, int code)
{
	struct result r = run(args);

	ck_assert_msg(r.code == code, "%s %s: exit %d, not %d; stderr:\n%s",
		      args[0], args[1], r.code, code, r.err);
	result_free(&r);
}

static const char clean[] = SV_SAMPLES "/web-clean.tar.zst";
static const char incident[] = SV_SAMPLES "/web-incident.tar.zst";

/* A second clean bundle: samples/detect/ when a clean capture is there,
 * else web-clean repacked with another manifest note and SHA256SUMS
 * recomputed (a different file, so a different SHA-256). */
static char *second_clean(void)
{
	char *path = tmp_path("clean2.tar.zst"), cmd[2048];
	glob_t g;

	if (glob(SV_SAMPLES "/detect/*clean*.tar.*", 0, NULL, &g) == 0) {
		free(path);
		path = strdup(g.gl_pathv[0]);
		globfree(&g);
		return path;
	}
	snprintf(cmd, sizeof(cmd),
		 "set -e; d=%s/repack; mkdir -p $d; "
		 "tar --zstd -xf %s -C $d; cd $d/web-clean; "
		 "sed -i 's/\"notes\":\"/\"notes\":\"Second copy. /' "
		 "manifest.json; find . -type f ! -name SHA256SUMS | "
		 "sed 's|^[.]/||' | LC_ALL=C sort | xargs sha256sum "
		 "> SHA256SUMS; cd ..; tar --zstd -cf %s web-clean",
		 g_tmp, clean, path);
	ck_assert_int_eq(system(cmd), 0);
	return path;
}

START_TEST(cli_train_clean)
{
	char *model = tmp_path("clean.model"), hex[65];
	const char *args[] = {"train", clean, "-o", model, NULL};
	struct result r = run(args);
	uint8_t sha[TB_SHA256_LEN];
	struct sv_baseline *b;

	ck_assert_msg(r.code == 0, "stderr: %s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "(1 bundle, "));
	b = read_ok(model);
	ck_assert_int_eq(tb_sha256_file(clean, sha), 0);
	tb_hex(sha, sizeof(sha), hex);
	ck_assert_uint_eq(b->n_bundles, 1);
	ck_assert_str_eq(b->bundles[0].sha256, hex);
	ck_assert_str_eq(b->bundles[0].name, "web-clean.tar.zst");
	ck_assert(b->fitted && !b->partial);
	ck_assert_uint_ge(b->n_wl, 1);
	ck_assert_uint_gt(b->wl[0]->containers, 0);
	sv_baseline_free(b);
	result_free(&r);
	free(model);
}
END_TEST

/* train --partial A, train --partial B, merge; train A B: the same. */
static void merge_equals_train(const char *a, const char *bpath)
{
	char *pa = tmp_path("a.part"), *pb = tmp_path("b.part");
	char *ab = tmp_path("ab.model"), *ba = tmp_path("ba.model");
	char *all = tmp_path("all.model"), h[4][65];
	const char *t1[] = {"train", "-q", "--partial", a, "-o", pa, NULL};
	const char *t2[] = {"train", "-q", "--partial", bpath, "-o", pb, NULL};
	const char *m1[] = {"merge", "-q", pa, pb, "-o", ab, NULL};
	const char *m2[] = {"merge", "-q", pb, pa, "-o", ba, NULL};
	const char *t3[] = {"train", "-q", bpath, a, "-o", all, NULL};
	struct sv_baseline *x[4];
	int i;

	run_expect(t1, 0);
	run_expect(t2, 0);
	run_expect(m1, 0);
	run_expect(m2, 0);
	run_expect(t3, 0);
	x[0] = read_ok(ab);
	x[1] = read_ok(ba);
	x[2] = read_ok(all);
	x[3] = read_ok(pa);
	ck_assert(x[3]->partial);
	for (i = 0; i < 4; i++)
		digest(x[i], h[i]);
	ck_assert_str_eq(h[0], h[1]);
	ck_assert_str_eq(h[0], h[2]);
	ck_assert_str_ne(h[0], h[3]);
	ck_assert_uint_eq(x[0]->n_bundles, 2);
	ck_same_fit(x[0], x[2]);
	ck_same_fit(x[1], x[2]);
	for (i = 0; i < 4; i++)
		sv_baseline_free(x[i]);
	free(pa);
	free(pb);
	free(ab);
	free(ba);
	free(all);
}

START_TEST(cli_merge_two_clean)
{
	char *second = second_clean();

	merge_equals_train(clean, second);
	free(second);
}
END_TEST

/* Different data in A and B: a Gaussian merged in a different order
 * differs in the last bits, so only a fixed order gives one digest. */
START_TEST(cli_merge_order)
{
	merge_equals_train(clean, incident);
}
END_TEST

START_TEST(cli_train_twice)
{
	char *copy = tmp_path("copy.tar.zst"), *model = tmp_path("m.model");
	const char *args[] = {"train", clean, copy, "-o", model, NULL};
	struct result r;
	size_t n;
	char *data = tb_read_file(clean, &n);

	ck_assert_int_eq(tb_write_file(copy, data, n), 0);
	r = run(args);
	ck_assert_int_eq(r.code, 2);
	ck_assert_ptr_nonnull(strstr(r.err, clean));
	ck_assert_ptr_nonnull(strstr(r.err, copy));
	ck_assert_ptr_nonnull(strstr(r.err, "are the same bundle"));
	ck_assert(!tb_exists(model));
	result_free(&r);
	free(data);
	free(copy);
	free(model);
}
END_TEST

START_TEST(cli_train_bad)
{
	char *cut = tmp_path("cut.tar.zst"), *model = tmp_path("m.model");
	const char *a1[] = {"train", clean, cut, "-o", model, NULL};
	const char *a2[] = {"train", "--skip-bad", cut, clean, "-o", model,
			    NULL};
	struct sv_baseline *b;
	struct result r;
	size_t n;
	char *data = tb_read_file(clean, &n);

	ck_assert_int_eq(tb_write_file(cut, data, n / 2), 0);
	r = run(a1);
	ck_assert_int_eq(r.code, 3);
	ck_assert_ptr_nonnull(strstr(r.err, "no model is written"));
	ck_assert(!tb_exists(model));
	result_free(&r);
	r = run(a2);
	ck_assert_int_eq(r.code, 3);
	ck_assert_ptr_nonnull(strstr(r.err, "skipped"));
	b = read_ok(model);
	ck_assert_uint_eq(b->n_bundles, 1);
	ck_assert_str_eq(b->bundles[0].name, "web-clean.tar.zst");
	sv_baseline_free(b);
	result_free(&r);
	free(data);
	free(cut);
	free(model);
}
END_TEST

START_TEST(cli_usage)
{
	char *model = tmp_path("m.model");
	const char *folder[] = {"train", g_tmp, "-o", model, NULL};
	const char *no_out[] = {"train", clean, NULL};
	const char *bad_far[] = {"train", "--far", "1.5", clean, "-o", model,
				 NULL};
	const char *bad_win[] = {"train", "--window", "0", clean, "-o",
				 model, NULL};
	const char *bad_rule[] = {"train", "--workload", "nokey", clean,
				  "-o", model, NULL};
	const char *h1[] = {"train", "--help", NULL};
	const char *h2[] = {"merge", "--help", NULL};
	const char *m0[] = {"merge", "-o", model, NULL};
	struct result r = run(folder);

	ck_assert_int_eq(r.code, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "is a folder"));
	result_free(&r);
	run_expect(no_out, 2);
	run_expect(bad_far, 2);
	run_expect(bad_win, 2);
	run_expect(bad_rule, 2);
	run_expect(h1, 0);
	run_expect(h2, 0);
	run_expect(m0, 2);
	ck_assert(!tb_exists(model));
	free(model);
}
END_TEST

START_TEST(cli_merge_refused)
{
	char *pa = tmp_path("a.part"), *pw = tmp_path("w.part");
	char *dmg = tmp_path("damaged.part"), *out = tmp_path("o.model");
	const char *t1[] = {"train", "-q", "--partial", clean, "-o", pa, NULL};
	const char *t2[] = {"train", "-q", "--partial", "--window", "5",
			    incident, "-o", pw, NULL};
	const char *m1[] = {"merge", pa, dmg, "-o", out, NULL};
	const char *m2[] = {"merge", pa, pa, "-o", out, NULL};
	const char *m3[] = {"merge", pa, pw, "-o", out, NULL};
	const char *m4[] = {"merge", pa, "-o", "/nonexistent/dir/o.model",
			    NULL};
	struct result r;
	char *text, *bad;
	size_t n;

	run_expect(t1, 0);
	run_expect(t2, 0);
	text = tb_read_file(pa, &n);
	bad = one_digit(text);
	ck_assert_int_eq(tb_write_file(dmg, bad, strlen(bad)), 0);
	r = run(m1);
	ck_assert_int_eq(r.code, 3);
	ck_assert_ptr_nonnull(strstr(r.err, "does not match the content"));
	ck_assert_ptr_nonnull(strstr(r.err, dmg));
	result_free(&r);
	r = run(m2);
	ck_assert_int_eq(r.code, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "trained twice"));
	result_free(&r);
	r = run(m3);
	ck_assert_int_eq(r.code, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "window"));
	result_free(&r);
	run_expect(m4, 4);
	ck_assert(!tb_exists(out));
	free(text);
	free(bad);
	free(pa);
	free(pw);
	free(dmg);
	free(out);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("modelfile");
	TCase *tc = tcase_create("file");
	TCase *cli = tcase_create("cli");

	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, round_trip_fitted);
	tcase_add_test(tc, round_trip_partial);
	tcase_add_test(tc, round_trip_other);
	tcase_add_loop_test(tc, refused, 0, (int)N(refusal));
	tcase_add_test(tc, refused_size);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(cli, tmp_setup, tmp_teardown);
	tcase_set_timeout(cli, 300);
	tcase_add_test(cli, cli_train_clean);
	tcase_add_test(cli, cli_merge_two_clean);
	tcase_add_test(cli, cli_merge_order);
	tcase_add_test(cli, cli_train_twice);
	tcase_add_test(cli, cli_train_bad);
	tcase_add_test(cli, cli_usage);
	tcase_add_test(cli, cli_merge_refused);
	suite_add_tcase(s, cli);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	/* As salvage's main(): GSL's default handler abort()s. */
	gsl_set_error_handler_off();
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
