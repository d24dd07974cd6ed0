/*
 * test_baseline.c - models/sv_baseline.c: training, merging, fitting
 * and the digest (scoring: test_baseline_score.c), and main().
 *
 * Synthetic feature sets are built here by hand (struct sv_feat_set) from
 * a gsl_rng_mt19937 with a fixed seed and known parameters, so expected
 * values are sums the test keeps while generating (counts, log1p means)
 * or texts written out here (the digest's canonical text).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <openssl/evp.h>

#include "sv_tab.h"
#include "test_baseline.h"

gsl_rng *rng;
struct sv_arena *ar;

void setup(void)
{
	gsl_set_error_handler_off();
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	ck_assert_ptr_nonnull(rng);
	gsl_rng_set(rng, 20261129);
	ar = sv_arena_new(0);
	ck_assert_ptr_nonnull(ar);
}

void teardown(void)
{
	gsl_rng_free(rng);
	sv_arena_free(ar);
	rng = NULL;
	ar = NULL;
}

/* ---- building feature sets by hand ---- */

void fs_init(struct sv_feat_set *fs)
{
	memset(fs, 0, sizeof(*fs));
	fs->window_ns = WIN;
}

struct sv_feat_container *add_cont(struct sv_feat_set *fs,
					  const char *id, const char *wl)
{
	struct sv_feat_container *c = sv_arena_calloc(ar, 1, sizeof(*c));
	struct sv_feat_container **pp = &fs->containers;

	ck_assert_ptr_nonnull(c);
	c->container_id = sv_arena_strdup(ar, id);
	c->label = c->container_id;
	c->workload = sv_arena_strdup(ar, wl);
	c->workload_from = "user";
	c->first_ns = T0;
	c->last_ns = T0;
	c->have = (1u << SV_FN_COUNT) - 1;
	while (*pp)
		pp = &(*pp)->next;
	*pp = c;
	fs->n++;
	return c;
}

struct sv_feat_value *add_value(struct sv_feat_container *c,
				       enum sv_fc fam, const char *v,
				       uint64_t count)
{
	struct sv_feat_value *x = sv_arena_calloc(ar, 1, sizeof(*x));
	struct sv_feat_value **pp = &c->values;

	ck_assert_ptr_nonnull(x);
	x->family = fam;
	x->value = sv_arena_strdup(ar, v);
	x->count = count;
	x->first_ns = T0 + (int64_t)c->n_values * SV_NS_PER_SEC;
	while (*pp)
		pp = &(*pp)->next;
	*pp = x;
	c->n_values++;
	return x;
}

/* Appends a window after the container's last one; life is kept as
 * maxima here (the tests only need some lifetime vector). */
struct sv_feat_window *add_window(struct sv_feat_container *c,
					 const double *x, const uint64_t *k)
{
	struct sv_feat_window *w = sv_arena_calloc(ar, 1, sizeof(*w));
	struct sv_feat_window **pp = &c->windows;
	int i;

	ck_assert_ptr_nonnull(w);
	w->start_ns = T0 + (int64_t)c->n_windows * WIN;
	memcpy(w->x, x, sizeof(w->x));
	for (i = 0; i < SV_FR_COUNT; i++)
		w->k[i] = k ? k[i] : 0;
	while (*pp)
		pp = &(*pp)->next;
	*pp = w;
	c->n_windows++;
	c->last_ns = w->start_ns + WIN;
	for (i = 0; i < SV_FN_COUNT; i++)
		c->life[i] = fmax(c->life[i], x[i]);
	return w;
}

/* ---- a workload's "normal": log1p(x) ~ N(mu, sigma) with one common
 * factor (correlation 0.36 between any two features) ---- */

/* A web server: small, steady numbers. */
const double web_raw[SV_FN_COUNT] = {
	[SV_FN_CPU] = 0.05, [SV_FN_MEMORY] = 20e6, [SV_FN_IO] = 1e3,
	[SV_FN_PIDS] = 3, [SV_FN_CONN_OUT] = 2, [SV_FN_CONN_IN] = 10,
	[SV_FN_BYTES_OUT] = 50e3, [SV_FN_BYTES_IN] = 5e3,
	[SV_FN_DNS_QUERIES] = 1, [SV_FN_DNS_LABEL] = 7,
	[SV_FN_DNS_ENTROPY] = 2, [SV_FN_EXECS] = 1,
};

void gen_make(struct gen *g, const double *raw, double sigma)
{
	int i;

	for (i = 0; i < SV_FN_COUNT; i++) {
		g->mu[i] = log1p(raw[i]);
		g->sigma[i] = sigma;
	}
	g->lambda[SV_FR_EXECS] = 1.0;
	g->lambda[SV_FR_CONNS] = 2.0;
	g->lambda[SV_FR_DNS] = 1.0;
	g->lambda[SV_FR_LIFECYCLE] = 0.0;
}

void gen_draw(const struct gen *g, double *x, uint64_t *k)
{
	double common = gsl_ran_gaussian(rng, 1.0), y;
	int i;

	for (i = 0; i < SV_FN_COUNT; i++) {
		y = g->mu[i] + g->sigma[i] *
			(0.8 * gsl_ran_gaussian(rng, 1.0) + 0.6 * common);
		x[i] = fmax(0.0, expm1(y));
	}
	for (i = 0; k && i < SV_FR_COUNT; i++)
		k[i] = g->lambda[i] > 0 ? gsl_ran_poisson(rng, g->lambda[i])
					: 0;
}

void sha_of(unsigned i, char out[65])
{
	snprintf(out, 65, "%016llx%016llx%016llx%016llx",
		 (unsigned long long)sv_mix64(i * 4 + 1),
		 (unsigned long long)sv_mix64(i * 4 + 2),
		 (unsigned long long)sv_mix64(i * 4 + 3),
		 (unsigned long long)sv_mix64(i * 4 + 4));
}

struct sv_baseline *bl_new(void)
{
	struct sv_baseline *b = NULL;
	struct sv_error err;

	ck_assert_int_eq(sv_baseline_new(WIN, SV_BL_FAR_DEFAULT, &b, &err),
			 SV_OK);
	return b;
}

void train(struct sv_baseline *b, const struct sv_feat_set *fs,
		  unsigned id)
{
	struct sv_error err;
	char sha[65], name[32];

	sha_of(id, sha);
	snprintf(name, sizeof(name), "bundle-%u.tar.zst", id);
	sv_error_clear(&err);
	ck_assert_msg(sv_baseline_train(b, fs, sha, name, &err) == SV_OK,
		      "train %u: %s", id, err.msg);
}

void fit(struct sv_baseline *b)
{
	struct sv_error err;

	sv_error_clear(&err);
	ck_assert_msg(sv_baseline_fit(b, &err) == SV_OK, "fit: %s", err.msg);
}

void digest(const struct sv_baseline *b, char hex[65])
{
	ck_assert_int_eq(sv_baseline_digest(b, hex), SV_OK);
	ck_assert_uint_eq(strlen(hex), 64);
}

/* ---- merging equals training at once ---- */

#define MB_BUNDLES 14
#define MB_WEB_WINDOWS 160  /* 14 x 2 x 160 = 4480 > SV_BL_CALIB_MAX */
#define MB_WL 3

static const char *const mb_wl[MB_WL] = {"batch", "db", "web"};

/* What the generator put in, per workload, to check training against. */
struct truth {
	uint64_t containers[MB_WL];
	uint64_t windows[MB_WL];
	uint64_t cat_total[MB_WL][SV_FC_COUNT];
	uint64_t rate_sum[MB_WL][SV_FR_COUNT];
	double ysum[MB_WL][SV_FN_COUNT];  /* sum of log1p(x) */
};

static void mb_values(struct sv_feat_container *c, int wl, struct truth *t)
{
	static const enum sv_fc fams[] = {SV_FC_PROGRAM, SV_FC_DEST,
					  SV_FC_DNS, SV_FC_USER,
					  SV_FC_PAIR};
	unsigned n = 1 + (unsigned)gsl_rng_uniform_int(rng, 6), i;
	char v[64];

	for (i = 0; i < n; i++) {
		enum sv_fc f = fams[gsl_rng_uniform_int(rng, N(fams))];
		uint64_t count = 1 + gsl_rng_uniform_int(rng, 30);

		snprintf(v, sizeof(v), "%s-%lu", sv_fc_name(f),
			 gsl_rng_uniform_int(rng, 12));
		add_value(c, f, v, count);
		t->cat_total[wl][f] += count;
	}
}

static void mb_windows(struct sv_feat_container *c, int wl, unsigned n,
		       const struct gen *g, struct truth *t)
{
	double x[SV_FN_COUNT];
	uint64_t k[SV_FR_COUNT];
	unsigned i;
	int j;

	for (i = 0; i < n; i++) {
		gen_draw(g, x, k);
		add_window(c, x, k);
		for (j = 0; j < SV_FN_COUNT; j++)
			t->ysum[wl][j] += log1p(x[j]);
		for (j = 0; j < SV_FR_COUNT; j++)
			t->rate_sum[wl][j] += k[j];
	}
	t->windows[wl] += n;
	t->containers[wl]++;
}

static void mb_bundle(struct sv_feat_set *fs, unsigned id, struct truth *t)
{
	unsigned i, nbatch = (unsigned)gsl_rng_uniform_int(rng, 3);
	struct sv_feat_container *c;
	struct gen g;
	char cid[64];

	fs_init(fs);
	gen_make(&g, web_raw, 0.4);
	for (i = 0; i < 2; i++) {
		snprintf(cid, sizeof(cid), "web-%u-%u", id, i);
		c = add_cont(fs, cid, "web");
		mb_values(c, 2, t);
		mb_windows(c, 2, MB_WEB_WINDOWS, &g, t);
	}
	gen_make(&g, web_raw, 0.8);
	snprintf(cid, sizeof(cid), "db-%u", id);
	c = add_cont(fs, cid, "db");
	mb_values(c, 1, t);
	mb_windows(c, 1, 40, &g, t);
	for (i = 0; i < nbatch; i++) {
		snprintf(cid, sizeof(cid), "batch-%u-%u", id, i);
		c = add_cont(fs, cid, "batch");
		mb_values(c, 0, t);
		mb_windows(c, 0, 1 + (unsigned)gsl_rng_uniform_int(rng, 10),
			   &g, t);
	}
}

/* The digest of the exact statistics only: the Gaussians' sums are
 * equal across merge orders only up to rounding. */
static void exact_digest(struct sv_baseline *b, char hex[65])
{
	struct sv_mdl_gauss_stats *save = calloc(2 * b->n_wl + 1,
						 sizeof(*save));
	size_t i;

	ck_assert_ptr_nonnull(save);
	for (i = 0; i < b->n_wl; i++) {
		save[2 * i] = b->wl[i]->win;
		save[2 * i + 1] = b->wl[i]->life;
		ck_assert_int_eq(sv_mdl_gauss_init(&b->wl[i]->win,
						   SV_FN_COUNT), SV_OK);
		ck_assert_int_eq(sv_mdl_gauss_init(&b->wl[i]->life,
						   SV_FN_COUNT), SV_OK);
	}
	digest(b, hex);
	for (i = 0; i < b->n_wl; i++) {
		b->wl[i]->win = save[2 * i];
		b->wl[i]->life = save[2 * i + 1];
	}
	free(save);
}

/* |a_i - b_i| <= tol * max_j(|a_j|, |b_j|) */
static void ck_rel(const double *a, const double *b, size_t n, double tol,
		   const char *what)
{
	double scale = 0.0;
	size_t i;

	for (i = 0; i < n; i++)
		scale = fmax(scale, fmax(fabs(a[i]), fabs(b[i])));
	for (i = 0; i < n; i++)
		ck_assert_msg(fabs(a[i] - b[i]) <= tol * scale,
			      "%s[%zu]: %.17g vs %.17g", what, i, a[i], b[i]);
}

static void same_gauss(const struct sv_mdl_gauss_stats *a,
		       const struct sv_mdl_gauss_stats *b)
{
	ck_assert_uint_eq(a->n, b->n);
	ck_assert_uint_eq(a->d, b->d);
	ck_rel(a->mean, b->mean, a->d, 1e-9, "mean");
	ck_rel(a->m2, b->m2, a->d * a->d, 1e-9, "m2");
}

static void same_model(const struct sv_mdl_gauss_model *a,
		       const struct sv_mdl_gauss_model *b, double ta,
		       double tb)
{
	ck_rel(a->mean, b->mean, a->d, 1e-9, "fitted mean");
	ck_rel(a->cov, b->cov, a->d * a->d, 1e-9, "fitted cov");
	ck_rel(&ta, &tb, 1, 1e-9, "threshold");
}

static void same_baseline(struct sv_baseline *a, struct sv_baseline *b)
{
	char ha[65], hb[65];
	size_t i;

	ck_assert_uint_eq(a->n_bundles, b->n_bundles);
	ck_assert_uint_eq(a->n_wl, b->n_wl);
	for (i = 0; i < a->n_wl; i++) {
		const struct sv_bl_workload *x = a->wl[i], *y = b->wl[i];

		ck_assert_str_eq(x->key, y->key);
		ck_assert_uint_eq(x->containers, y->containers);
		/* the bottom-k samples: same vectors, same order */
		ck_assert_uint_eq(x->n_calib_win, y->n_calib_win);
		ck_assert_uint_eq(x->n_calib_life, y->n_calib_life);
		ck_assert(!memcmp(x->calib_win, y->calib_win,
				  x->n_calib_win * SV_FN_COUNT *
				  sizeof(double)));
		ck_assert(!memcmp(x->calib_life, y->calib_life,
				  x->n_calib_life * SV_FN_COUNT *
				  sizeof(double)));
		ck_assert(!memcmp(x->rate, y->rate, sizeof(x->rate)));
		same_gauss(&x->win, &y->win);
		same_gauss(&x->life, &y->life);
	}
	exact_digest(a, ha);
	exact_digest(b, hb);
	ck_assert_str_eq(ha, hb);
	fit(a);
	fit(b);
	for (i = 0; i < a->n_wl; i++) {
		const struct sv_bl_workload *x = a->wl[i], *y = b->wl[i];

		ck_assert_int_eq(x->win_ok, y->win_ok);
		ck_assert_int_eq(x->life_ok, y->life_ok);
		if (x->win_ok)
			same_model(&x->win_m, &y->win_m, x->win_threshold,
				   y->win_threshold);
		if (x->life_ok)
			same_model(&x->life_m, &y->life_m, x->life_threshold,
				   y->life_threshold);
	}
}

/* Merge parts[0..n-1] into one: pairwise (a tree) or left to right in a
 * shuffled order. Frees every part but the result. */
static struct sv_baseline *merge_all(struct sv_baseline **parts, size_t n,
				     int tree)
{
	struct sv_error err;
	size_t i, m;

	if (!tree) {
		gsl_ran_shuffle(rng, parts, n, sizeof(*parts));
		for (i = 1; i < n; i++) {
			ck_assert_msg(sv_baseline_merge(parts[0], parts[i],
							&err) == SV_OK,
				      "merge: %s", err.msg);
			sv_baseline_free(parts[i]);
		}
		return parts[0];
	}
	for (; n > 1; n = m) {
		for (i = 0, m = 0; i + 1 < n; i += 2, m++) {
			ck_assert_int_eq(sv_baseline_merge(parts[i + 1],
							   parts[i], &err),
					 SV_OK);
			sv_baseline_free(parts[i]);
			parts[m] = parts[i + 1];
		}
		if (i < n)
			parts[m++] = parts[i];
	}
	return parts[0];
}

static struct sv_baseline *train_parts(const struct sv_feat_set *fs,
				       size_t nparts, int tree)
{
	struct sv_baseline *parts[MB_BUNDLES];
	unsigned perm[MB_BUNDLES], i;
	size_t p;

	for (i = 0; i < MB_BUNDLES; i++)
		perm[i] = i;
	gsl_ran_shuffle(rng, perm, MB_BUNDLES, sizeof(perm[0]));
	for (p = 0; p < nparts; p++) {
		parts[p] = bl_new();
		parts[p]->partial = 1;
		for (i = (unsigned)(p * MB_BUNDLES / nparts);
		     i < (p + 1) * MB_BUNDLES / nparts; i++)
			train(parts[p], &fs[perm[i]], perm[i]);
	}
	return merge_all(parts, nparts, tree);
}

/* Every kept calibration vector is one of the generated windows. */
static void ck_sample_subset(const struct sv_bl_workload *w,
			     const struct sv_feat_set *fs, size_t nfs)
{
	const struct sv_feat_container *c;
	const struct sv_feat_window *win;
	size_t i, j, found = 0;

	for (i = 0; i < w->n_calib_win; i++) {
		const double *v = w->calib_win + i * SV_FN_COUNT;
		int hit = 0;

		for (j = 0; j < nfs && !hit; j++)
			for (c = fs[j].containers; c && !hit; c = c->next)
				for (win = c->windows; win && !hit;
				     win = win->next)
					hit = !strcmp(c->workload, w->key) &&
					      !memcmp(win->x, v,
						      sizeof(win->x));
		found += hit;
	}
	ck_assert_uint_eq(found, w->n_calib_win);
}

static void ck_truth(const struct sv_baseline *b, const struct truth *t)
{
	double mean[SV_FN_COUNT];
	int i, j;

	ck_assert_uint_eq(b->n_bundles, MB_BUNDLES);
	for (i = 0; i < MB_WL; i++) {
		const struct sv_bl_workload *w = b->wl[i];

		ck_assert_str_eq(w->key, mb_wl[i]);
		ck_assert_uint_eq(w->containers, t->containers[i]);
		ck_assert_uint_eq(w->win.n, t->windows[i]);
		ck_assert_uint_eq(w->life.n, t->containers[i]);
		ck_assert_uint_eq(w->n_calib_win,
				  t->windows[i] < SV_BL_CALIB_MAX ?
				  t->windows[i] : SV_BL_CALIB_MAX);
		for (j = 0; j < SV_FC_COUNT; j++)
			ck_assert_uint_eq(sv_mdl_cat_total(w->cat[j]),
					  t->cat_total[i][j]);
		for (j = 0; j < SV_FR_COUNT; j++) {
			ck_assert_uint_eq(w->rate[j].sum, t->rate_sum[i][j]);
			ck_assert_uint_eq(w->rate[j].n, t->windows[i]);
		}
		for (j = 0; j < SV_FN_COUNT; j++)
			mean[j] = t->ysum[i][j] / (double)t->windows[i];
		ck_rel(w->win.mean, mean, SV_FN_COUNT, 1e-9, "log1p mean");
	}
}

START_TEST(merge_equals_one_shot)
{
	static const size_t nparts[] = {2, 3, 7};
	struct sv_feat_set fs[MB_BUNDLES];
	struct sv_baseline *one, *m;
	struct truth t;
	unsigned i;
	size_t p;
	int tree;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < MB_BUNDLES; i++)
		mb_bundle(&fs[i], i, &t);
	one = bl_new();
	for (i = 0; i < MB_BUNDLES; i++)
		train(one, &fs[i], i);
	ck_truth(one, &t);
	ck_assert_uint_eq(one->wl[2]->n_calib_win, SV_BL_CALIB_MAX);
	ck_sample_subset(one->wl[2], fs, MB_BUNDLES);
	for (p = 0; p < N(nparts); p++)
		for (tree = 0; tree < 2; tree++) {
			m = train_parts(fs, nparts[p], tree);
			ck_assert_int_eq(m->fitted, 0);
			same_baseline(one, m);
			ck_assert_int_eq(m->partial, 0); /* fit clears it */
			sv_baseline_free(m);
		}
	sv_baseline_free(one);
}
END_TEST

/* ---- the digest ---- */

/* Two bundles, two workloads, values, windows: every kind of number. */
static struct sv_baseline *small_baseline(int reverse)
{
	struct sv_baseline *b = bl_new();
	struct sv_feat_set fs[2];
	struct sv_feat_container *c;
	struct gen g;
	double x[SV_FN_COUNT];
	uint64_t k[SV_FR_COUNT];
	int i, j;

	gen_make(&g, web_raw, 0.5);
	for (i = 0; i < 2; i++) {
		fs_init(&fs[i]);
		c = add_cont(&fs[i], i ? "b" : "a", i ? "db" : "web");
		add_value(c, SV_FC_PROGRAM, i ? "postgres" : "httpd", 7);
		add_value(c, SV_FC_DEST, "tcp/10.0.0.1:443", 2);
		for (j = 0; j < 5; j++) {
			gen_draw(&g, x, k);
			add_window(c, x, k);
		}
		c = add_cont(&fs[i], i ? "d" : "c", "web");
		add_value(c, SV_FC_USER, "uid=33", 1);
		for (j = 0; j < 3; j++) {
			gen_draw(&g, x, k);
			add_window(c, x, k);
		}
	}
	train(b, &fs[reverse], (unsigned)reverse);
	train(b, &fs[!reverse], (unsigned)!reverse);
	return b;
}

struct mut {
	const char *what;
	double *d;
	uint64_t *u;
	char *c;
};

static size_t mutations(struct sv_baseline *b, struct mut *m)
{
	struct sv_bl_workload *w = b->wl[1], *v = b->wl[0];
	size_t n = 0;

#define MD(p) (m[n++] = (struct mut){#p, &(p), NULL, NULL})
#define MU(p) (m[n++] = (struct mut){#p, NULL, &(p), NULL})
#define MC(p) (m[n++] = (struct mut){#p, NULL, NULL, &(p)})
	MD(b->far);
	MD(b->alpha);
	MU(w->containers);
	MU(v->containers);
	MD(w->win.mean[3]);
	MD(w->win.m2[5 * SV_FN_COUNT + 6]);
	MD(w->win.t3[11]);
	MD(w->win.q4);
	MD(w->life.mean[0]);
	MD(w->life.m2[0]);
	MD(v->win.q4);
	MU(w->win.n);
	MU(w->rate[SV_FR_DNS].n);
	MU(w->rate[SV_FR_CONNS].sum);
	MU(w->rate[SV_FR_EXECS].sumsq);
	MD(w->calib_win[7]);
	MD(w->calib_win[(w->n_calib_win - 1) * SV_FN_COUNT]);
	MD(w->calib_life[0]);
	MC(b->bundles[0].sha256[10]);
	MC(b->bundles[1].name[3]);
	MC(w->key[0]);
#undef MD
#undef MU
#undef MC
	return n;
}

START_TEST(digest_stable_and_sensitive)
{
	struct sv_baseline *b = small_baseline(0), *b2;
	char d0[65], d1[65], *junk;
	struct mut m[32];
	size_t n, i;
	double dv;
	uint64_t uv;
	char cv;

	digest(b, d0);
	digest(b, d1);
	ck_assert_str_eq(d0, d1);
	/* the same statistics again, built in other memory */
	sv_baseline_free(b);
	gsl_rng_set(rng, 7);
	b = small_baseline(0);
	digest(b, d0);
	junk = malloc(12345);
	ck_assert_ptr_nonnull(junk);
	memset(junk, 0xa5, 12345);
	gsl_rng_set(rng, 7);
	b2 = small_baseline(0);
	free(junk);
	digest(b2, d1);
	ck_assert_str_eq(d0, d1);
	sv_baseline_free(b2);
	/* any number, any byte of a string */
	n = mutations(b, m);
	for (i = 0; i < n; i++) {
		if (m[i].d) {
			dv = *m[i].d;
			*m[i].d = nextafter(dv, INFINITY);
		} else if (m[i].u) {
			uv = (*m[i].u)++;
		} else {
			cv = *m[i].c;
			*m[i].c = cv == 'a' ? 'b' : 'a';
		}
		digest(b, d1);
		ck_assert_msg(strcmp(d0, d1), "%s does not change the digest",
			      m[i].what);
		if (m[i].d)
			*m[i].d = dv;
		else if (m[i].u)
			*m[i].u = uv;
		else
			*m[i].c = cv;
		digest(b, d1);
		ck_assert_str_eq(d0, d1);
	}
	b->window_ns += SV_NS_PER_SEC;
	digest(b, d1);
	ck_assert_str_ne(d0, d1);
	b->window_ns -= SV_NS_PER_SEC;
	b->version++;
	digest(b, d1);
	ck_assert_str_ne(d0, d1);
	b->version--;
	/* fitted values are derived: not covered */
	fit(b);
	digest(b, d1);
	ck_assert_str_eq(d0, d1);
	ck_assert_int_eq(sv_mdl_cat_add(b->wl[1]->cat[SV_FC_PROGRAM], "httpd",
					1), SV_OK);
	digest(b, d1);
	ck_assert_str_ne(d0, d1);
	sv_baseline_free(b);
}
END_TEST

/* The canonical text of sv_baseline.c's comment, written out here for a
 * baseline of one bundle and one workload with one value and one
 * vector: the digest is a fixed function of the statistics, the same
 * in every run and build. */
static void put(EVP_MD_CTX *ctx, const char *s)
{
	ck_assert_int_eq(EVP_DigestUpdate(ctx, s, strlen(s)), 1);
}

static void put_dbls(EVP_MD_CTX *ctx, const char *tag, const double *v,
		     size_t n)
{
	char buf[64];
	size_t i;

	put(ctx, tag);
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), " %.17g", v[i]);
		put(ctx, buf);
	}
	put(ctx, "\n");
}

static void put_gauss(EVP_MD_CTX *ctx, const char *kind,
		      const struct sv_mdl_gauss_stats *s)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "gauss %s d 12 n %llu\n", kind,
		 (unsigned long long)s->n);
	put(ctx, buf);
	put_dbls(ctx, "mean", s->mean, 12);
	put_dbls(ctx, "m2", s->m2, 144);
	put_dbls(ctx, "t3", s->t3, 12);
	put_dbls(ctx, "q4", &s->q4, 1);
}

static void text_digest(const struct sv_baseline *b, char hex[65])
{
	const struct sv_bl_workload *w = b->wl[0];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[32];
	unsigned int n = 0, i;
	char buf[256];
	int f;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(EVP_DigestInit_ex(ctx, EVP_sha256(), NULL), 1);
	put(ctx, "salvage-baseline 1 9 12 4\nwindow 10000000000\n"
		 "far 0.01\nalpha 0.5\nbundles 1\n");
	snprintf(buf, sizeof(buf), "bundle %s 8:ab c.tar\n",
		 b->bundles[0].sha256);
	put(ctx, buf);
	put(ctx, "workloads 1\nworkload 5:a\nb c containers 1\n");
	for (f = 0; f < SV_FC_COUNT; f++) {
		snprintf(buf, sizeof(buf), "cat %d size %d total %d other 0 "
			 "alpha 0.5\n", f, f == SV_FC_DNS, f == SV_FC_DNS ?
			 3 : 0);
		put(ctx, buf);
		if (f == SV_FC_DNS)
			put(ctx, "value 7:x.y\n 1a 3\n");
	}
	put_gauss(ctx, "win", &w->win);
	put_gauss(ctx, "life", &w->life);
	put(ctx, "rate 0 1 2 4\nrate 1 1 0 0\nrate 2 1 0 0\nrate 3 1 0 0\n");
	put(ctx, "calib win 1\n");
	put_dbls(ctx, "vec", w->calib_win, 12);
	put(ctx, "calib life 1\n");
	put_dbls(ctx, "vec", w->calib_life, 12);
	put(ctx, "end\n");
	ck_assert_int_eq(EVP_DigestFinal_ex(ctx, md, &n), 1);
	EVP_MD_CTX_free(ctx);
	ck_assert_uint_eq(n, 32);
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

START_TEST(digest_canonical_text)
{
	static const double x[SV_FN_COUNT] = {0.25, 1e8, 0, 3, 1, 2, 1e5,
					      0.5, 1, 7, 2.5, 1};
	uint64_t k[SV_FR_COUNT] = {2, 0, 0, 0};
	struct sv_baseline *b = bl_new();
	struct sv_feat_container *c;
	struct sv_feat_set fs;
	char got[65], want[65];

	fs_init(&fs);
	/* a key and a value with a newline: the length prefixes keep
	 * them from reading as other lines */
	c = add_cont(&fs, "c1", "a\nb c");
	add_value(c, SV_FC_DNS, "x.y\n 1a", 3);
	add_window(c, x, k);
	train(b, &fs, 3);
	ck_assert_str_eq(b->bundles[0].name, "bundle-3.tar.zst");
	free(b->bundles[0].name);
	b->bundles[0].name = strdup("ab c.tar");
	ck_assert_ptr_nonnull(b->bundles[0].name);
	digest(b, got);
	text_digest(b, want);
	ck_assert_str_eq(got, want);
	sv_baseline_free(b);
}
END_TEST

static Suite *baseline_suite(void)
{
	Suite *s = suite_create("baseline");
	TCase *tc = tcase_create("train");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, merge_equals_one_shot);
	tcase_add_test(tc, digest_stable_and_sensitive);
	tcase_add_test(tc, digest_canonical_text);
	suite_add_tcase(s, tc);
	add_score_cases(s);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(baseline_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
