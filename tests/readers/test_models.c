/*
 * test_models.c - Check suite for models/sv_mdl_{cat,gauss,rate,calibrate}.
 *
 * Every data set is synthetic, drawn from a gsl_rng_mt19937 with a fixed
 * seed and known parameters, so expected values are the parameters (with
 * tolerances stated at each check, a few standard errors wide) or closed
 * forms computed here independently of the code under test. No tshark:
 * these models read no capture.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sv_mdl_calibrate.h"
#include "sv_mdl_cat.h"
#include "sv_mdl_gauss.h"
#include "sv_mdl_rate.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define REL_TOL 1e-9

static gsl_rng *rng;

static void setup(void)
{
	gsl_set_error_handler_off();
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	ck_assert_ptr_nonnull(rng);
	gsl_rng_set(rng, 20261129);
}

static void teardown(void)
{
	gsl_rng_free(rng);
	rng = NULL;
}

/* |a_i - b_i| <= tol * max_j(|a_j|, |b_j|): relative to the array's scale,
 * so entries that are near zero by chance are compared sensibly. */
static void ck_rel(const double *a, const double *b, size_t n, double tol,
		   const char *what)
{
	double scale = 0.0;
	size_t i;

	for (i = 0; i < n; i++) {
		scale = fmax(scale, fabs(a[i]));
		scale = fmax(scale, fabs(b[i]));
	}
	for (i = 0; i < n; i++)
		ck_assert_msg(fabs(a[i] - b[i]) <= tol * scale,
			      "%s[%zu]: %.17g vs %.17g", what, i, a[i], b[i]);
}

/* Splits used for every merge test: parts and three merge shapes. */
static const size_t split_parts[] = { 2, 3, 7 };
enum { FOLD_FWD, FOLD_REV, FOLD_TREE, NFOLDS };

/* Order in which part indices are folded (FOLD_TREE pairs neighbours). */
static size_t fold_index(int fold, size_t k, size_t i)
{
	return fold == FOLD_REV ? k - 1 - i : i;
}

/* ----------------------------------------------------------- categorical */

static const char *cat_value(void)
{
	static char buf[16];
	double u = gsl_rng_uniform(rng);

	/* Skewed over 300 values: low indices frequent, high ones rare. */
	snprintf(buf, sizeof(buf), "exe%03u", (unsigned)(u * u * u * 300.0));
	return buf;
}

START_TEST(cat_surprisal_values)
{
	struct sv_mdl_cat *m = NULL;
	const char *v;
	uint64_t c;
	double psum = 0.0;
	size_t i;

	ck_assert_int_eq(sv_mdl_cat_new(1.0, 100, &m), SV_OK);
	ck_assert_int_eq(sv_mdl_cat_add(m, "/bin/bash", 90), SV_OK);
	ck_assert_int_eq(sv_mdl_cat_add(m, "/bin/sh", 7), SV_OK);
	ck_assert_int_eq(sv_mdl_cat_add(m, "/bin/sh", 3), SV_OK);
	ck_assert_int_eq(sv_mdl_cat_add(m, "/usr/bin/nc", 0), SV_OK);
	/* N = 100, K = 2: denominator 100 + 1 * 3 = 103. */
	ck_assert_double_eq_tol(sv_mdl_cat_surprisal(m, "/bin/bash"),
				-log2(91.0 / 103.0), 1e-12);
	ck_assert_double_eq_tol(sv_mdl_cat_surprisal(m, "/bin/sh"),
				-log2(11.0 / 103.0), 1e-12);
	ck_assert_double_eq_tol(sv_mdl_cat_surprisal(m, "/usr/bin/nc"),
				log2(103.0), 1e-12);
	ck_assert(sv_mdl_cat_surprisal(m, "/usr/bin/nc") >
		  sv_mdl_cat_surprisal(m, "/bin/sh") + 3.0);
	ck_assert_uint_eq(sv_mdl_cat_seen(m, "/bin/sh"), 10);
	ck_assert_uint_eq(sv_mdl_cat_seen(m, "/usr/bin/nc"), 0);
	ck_assert_uint_eq(sv_mdl_cat_total(m), 100);
	ck_assert_uint_eq(sv_mdl_cat_size(m), 2);
	/* The K seen values plus the unseen bucket are a distribution. */
	for (i = 0; i < sv_mdl_cat_size(m); i++) {
		ck_assert_int_eq(sv_mdl_cat_entry(m, i, &v, &c), SV_OK);
		psum += exp2(-sv_mdl_cat_surprisal(m, v));
	}
	psum += exp2(-sv_mdl_cat_surprisal(m, "never"));
	ck_assert_double_eq_tol(psum, 1.0, 1e-12);
	ck_assert_int_eq(sv_mdl_cat_entry(m, 0, &v, &c), SV_OK);
	ck_assert_str_eq(v, "/bin/bash");
	ck_assert_int_eq(sv_mdl_cat_entry(m, 2, &v, &c), SV_ERR_USAGE);
	sv_mdl_cat_free(m);
}
END_TEST

START_TEST(cat_cap_and_limits)
{
	struct sv_mdl_cat *m = NULL, *o = NULL;
	char big[SV_MDL_CAT_VALUE_MAX + 2];

	ck_assert_int_eq(sv_mdl_cat_new(0.0, 10, &m), SV_ERR_USAGE);
	ck_assert_int_eq(sv_mdl_cat_new(NAN, 10, &m), SV_ERR_USAGE);
	ck_assert_int_eq(sv_mdl_cat_new(1.0, 0, &m), SV_ERR_USAGE);
	ck_assert_int_eq(sv_mdl_cat_new(1.0, SV_MDL_CAT_VALUES_MAX + 1, &m),
			 SV_ERR_USAGE);
	ck_assert_ptr_null(m);
	ck_assert_int_eq(sv_mdl_cat_new(0.5, 3, &m), SV_OK);
	ck_assert_int_eq(sv_mdl_cat_add(m, "d", 1), SV_OK);
	ck_assert_int_eq(sv_mdl_cat_add(m, "a", 5), SV_OK);
	ck_assert_int_eq(sv_mdl_cat_add(m, "c", 1), SV_OK);
	ck_assert_int_eq(sv_mdl_cat_add(m, "b", 4), SV_OK); /* over cap */
	ck_assert_int_eq(sv_mdl_cat_add(m, "a", 1), SV_OK); /* kept value */
	ck_assert_uint_eq(sv_mdl_cat_size(m), 3);
	ck_assert_uint_eq(sv_mdl_cat_other(m), 4);
	ck_assert_uint_eq(sv_mdl_cat_total(m), 12);
	ck_assert_uint_eq(sv_mdl_cat_seen(m, "b"), 0);
	/* Unseen bucket holds "other": (4 + 0.5) / (12 + 0.5 * 4). */
	ck_assert_double_eq_tol(sv_mdl_cat_surprisal(m, "zzz"),
				-log2(4.5 / 14.0), 1e-12);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(sv_mdl_cat_add(m, big, 1), SV_ERR_LIMIT);
	big[SV_MDL_CAT_VALUE_MAX] = '\0';
	ck_assert_int_eq(sv_mdl_cat_add(m, big, 1), SV_OK); /* to other */
	ck_assert_int_eq(sv_mdl_cat_add(m, "a", UINT64_MAX), SV_ERR_LIMIT);
	ck_assert_uint_eq(sv_mdl_cat_total(m), 13);
	ck_assert_int_eq(sv_mdl_cat_add(m, NULL, 1), SV_ERR_USAGE);
	/* Merging past the cap also spills into "other". */
	ck_assert_int_eq(sv_mdl_cat_new(0.5, 100, &o), SV_OK);
	ck_assert_int_eq(sv_mdl_cat_add(o, "e", 2), SV_OK);
	ck_assert_int_eq(sv_mdl_cat_add(o, "a", 2), SV_OK);
	ck_assert_int_eq(sv_mdl_cat_merge(m, o), SV_OK);
	ck_assert_uint_eq(sv_mdl_cat_size(m), 3);
	ck_assert_uint_eq(sv_mdl_cat_seen(m, "a"), 8);
	ck_assert_uint_eq(sv_mdl_cat_other(m), 7);
	ck_assert_uint_eq(sv_mdl_cat_total(m), 17);
	ck_assert_int_eq(sv_mdl_cat_merge(m, m), SV_ERR_USAGE);
	sv_mdl_cat_free(o);
	ck_assert_int_eq(sv_mdl_cat_new(1.0, 100, &o), SV_OK);
	ck_assert_int_eq(sv_mdl_cat_merge(m, o), SV_ERR_USAGE); /* alpha */
	sv_mdl_cat_free(o);
	sv_mdl_cat_free(m);
	sv_mdl_cat_free(NULL);
}
END_TEST

/* Same values, counts and order (the serialised form), and same scores. */
static void ck_cat_equal(const struct sv_mdl_cat *a, const struct sv_mdl_cat *b)
{
	const char *va, *vb, *prev = NULL;
	uint64_t ca, cb;
	size_t i;

	ck_assert_uint_eq(sv_mdl_cat_size(a), sv_mdl_cat_size(b));
	ck_assert_uint_eq(sv_mdl_cat_total(a), sv_mdl_cat_total(b));
	ck_assert_uint_eq(sv_mdl_cat_other(a), sv_mdl_cat_other(b));
	for (i = 0; i < sv_mdl_cat_size(a); i++) {
		ck_assert_int_eq(sv_mdl_cat_entry(a, i, &va, &ca), SV_OK);
		ck_assert_int_eq(sv_mdl_cat_entry(b, i, &vb, &cb), SV_OK);
		ck_assert_str_eq(va, vb);
		ck_assert_uint_eq(ca, cb);
		ck_assert(sv_mdl_cat_surprisal(a, va) ==
			  sv_mdl_cat_surprisal(b, vb));
		if (prev)
			ck_assert(strcmp(prev, va) < 0); /* sorted */
		prev = va;
	}
}

static struct sv_mdl_cat *cat_fold(struct sv_mdl_cat **part, size_t k,
				   int fold)
{
	struct sv_mdl_cat *acc[8];
	size_t i, n = k;

	for (i = 0; i < k; i++) {
		ck_assert_int_eq(sv_mdl_cat_new(1.0, 1000, &acc[i]), SV_OK);
		ck_assert_int_eq(sv_mdl_cat_merge(acc[i],
			part[fold_index(fold, k, i)]), SV_OK);
	}
	if (fold != FOLD_TREE) {
		for (i = 1; i < k; i++) {
			ck_assert_int_eq(sv_mdl_cat_merge(acc[0], acc[i]),
					 SV_OK);
			sv_mdl_cat_free(acc[i]);
		}
		return acc[0];
	}
	while (n > 1) {
		size_t j = 0;

		for (i = 0; i < n; i += 2) {
			if (i + 1 < n) {
				ck_assert_int_eq(sv_mdl_cat_merge(acc[i + 1],
					acc[i]), SV_OK);
				sv_mdl_cat_free(acc[i]);
				acc[i] = acc[i + 1];
			}
			acc[j++] = acc[i];
		}
		n = j;
	}
	return acc[0];
}

START_TEST(cat_merge_exact)
{
	struct sv_mdl_cat *one = NULL, *part[8], *m = NULL;
	size_t s, i, p;
	int fold;

	ck_assert_int_eq(sv_mdl_cat_new(1.0, 1000, &one), SV_OK);
	for (s = 0; s < N(split_parts); s++) {
		size_t k = split_parts[s];

		for (p = 0; p < k; p++)
			ck_assert_int_eq(sv_mdl_cat_new(1.0, 1000, &part[p]),
					 SV_OK);
		for (i = 0; i < 3000; i++) {
			const char *v = cat_value();

			p = gsl_rng_uniform_int(rng, k);
			ck_assert_int_eq(sv_mdl_cat_add(part[p], v, 1), SV_OK);
			ck_assert_int_eq(sv_mdl_cat_add(one, v, 1), SV_OK);
		}
		/* one accumulates every split so far; so must the parts. */
		if (s > 0)
			ck_assert_int_eq(sv_mdl_cat_merge(part[0], m), SV_OK);
		if (s > 0)
			sv_mdl_cat_free(m);
		for (fold = 0; fold < NFOLDS; fold++) {
			struct sv_mdl_cat *f = cat_fold(part, k, fold);

			ck_cat_equal(one, f);
			sv_mdl_cat_free(f);
		}
		m = cat_fold(part, k, FOLD_FWD);
		for (p = 0; p < k; p++)
			sv_mdl_cat_free(part[p]);
	}
	ck_assert(sv_mdl_cat_size(one) > 100);
	sv_mdl_cat_free(m);
	sv_mdl_cat_free(one);
}
END_TEST

/* -------------------------------------------------------------- gaussian */

#define GD 3
/* Known log1p-space parameters of the synthetic workload. */
static const double g_mu[GD] = { 2.0, 5.0, 0.5 };
static const double g_cov[GD * GD] = {
	0.25, 0.10, 0.00,
	0.10, 0.50, -0.15,
	0.00, -0.15, 0.30,
};

/* x = expm1(mu + L e), e ~ N(0, I), L L^T = g_cov. */
static void gauss_draw(double *x)
{
	static double l[GD * GD];
	static int have_l;
	double e[GD];
	size_t i, j;

	if (!have_l) {
		gsl_matrix_view lv = gsl_matrix_view_array(l, GD, GD);

		memcpy(l, g_cov, sizeof(l));
		ck_assert_int_eq(gsl_linalg_cholesky_decomp1(&lv.matrix),
				 GSL_SUCCESS);
		have_l = 1;
	}
	for (i = 0; i < GD; i++)
		e[i] = gsl_ran_gaussian(rng, 1.0);
	for (i = 0; i < GD; i++) {
		double y = g_mu[i];

		for (j = 0; j <= i; j++) /* lower triangle holds L */
			y += l[i * GD + j] * e[j];
		x[i] = expm1(y);
	}
}

START_TEST(gauss_recovers_parameters)
{
	struct sv_mdl_gauss_stats s;
	struct sv_mdl_gauss_model m;
	double x[GD];
	size_t i;

	ck_assert_int_eq(sv_mdl_gauss_init(&s, GD), SV_OK);
	for (i = 0; i < 20000; i++) {
		gauss_draw(x);
		ck_assert_int_eq(sv_mdl_gauss_add(&s, x), SV_OK);
	}
	ck_assert_int_eq(sv_mdl_gauss_fit(&s, &m), SV_OK);
	ck_assert_uint_eq(m.n, 20000);
	/* Standard error of a mean: sqrt(0.5 / 20000) = 0.005; allow 0.025.
	 * Of a covariance entry: <= sqrt(2 * 0.5^2 / 20000) = 0.005; 0.025. */
	for (i = 0; i < GD; i++)
		ck_assert_double_eq_tol(m.mean[i], g_mu[i], 0.025);
	for (i = 0; i < GD * GD; i++)
		ck_assert_double_eq_tol(m.cov[i], g_cov[i], 0.025);
	/* n >> d: Ledoit-Wolf shrinks almost nothing. */
	ck_assert(m.shrinkage >= 0.0 && m.shrinkage < 0.01);
}
END_TEST

/* Ledoit-Wolf delta computed directly from the points (the paper's
 * Lemma 3.2 / Theorem 3.4 on centred data), against the streaming T3/Q4
 * form. n = 30 so that the shrinkage is well inside (0, 1). */
START_TEST(gauss_ledoit_wolf_direct)
{
	enum { LN = 30 };
	struct sv_mdl_gauss_stats s;
	struct sv_mdl_gauss_model m;
	double x[LN][GD], y[LN][GD], mean[GD] = { 0 }, sc[GD * GD] = { 0 };
	double mu = 0.0, d2 = 0.0, b2 = 0.0, delta;
	size_t k, i, j;

	ck_assert_int_eq(sv_mdl_gauss_init(&s, GD), SV_OK);
	for (k = 0; k < LN; k++) {
		gauss_draw(x[k]);
		ck_assert_int_eq(sv_mdl_gauss_add(&s, x[k]), SV_OK);
		for (i = 0; i < GD; i++) {
			y[k][i] = log1p(x[k][i]);
			mean[i] += y[k][i] / LN;
		}
	}
	for (k = 0; k < LN; k++)
		for (i = 0; i < GD; i++)
			y[k][i] -= mean[i];
	for (k = 0; k < LN; k++)
		for (i = 0; i < GD; i++)
			for (j = 0; j < GD; j++)
				sc[i * GD + j] += y[k][i] * y[k][j] / LN;
	for (i = 0; i < GD; i++)
		mu += sc[i * GD + i] / GD;
	for (i = 0; i < GD; i++)
		for (j = 0; j < GD; j++)
			d2 += pow(sc[i * GD + j] - (i == j ? mu : 0.0), 2);
	for (k = 0; k < LN; k++)
		for (i = 0; i < GD; i++)
			for (j = 0; j < GD; j++)
				b2 += pow(y[k][i] * y[k][j] - sc[i * GD + j],
					  2) / ((double)LN * LN);
	delta = fmin(b2, d2) / d2;
	ck_assert_int_eq(sv_mdl_gauss_fit(&s, &m), SV_OK);
	ck_assert(delta > 0.01 && delta < 1.0);
	ck_assert_double_eq_tol(m.shrinkage, delta, 1e-9 * delta);
	for (i = 0; i < GD; i++)
		for (j = 0; j < GD; j++)
			ck_assert_double_eq_tol(m.cov[i * GD + j],
				(1.0 - delta) * sc[i * GD + j] +
				(i == j ? delta * mu + SV_MDL_GAUSS_VAR_FLOOR :
				 0.0), 1e-9);
}
END_TEST

static void gauss_fold(struct sv_mdl_gauss_stats *part, size_t k, int fold,
		       struct sv_mdl_gauss_stats *out)
{
	struct sv_mdl_gauss_stats acc[8];
	size_t i, n = k;

	for (i = 0; i < k; i++)
		acc[i] = part[fold_index(fold, k, i)];
	if (fold != FOLD_TREE) {
		for (i = 1; i < k; i++)
			ck_assert_int_eq(sv_mdl_gauss_merge(&acc[0], &acc[i]),
					 SV_OK);
		*out = acc[0];
		return;
	}
	while (n > 1) {
		size_t j = 0;

		for (i = 0; i < n; i += 2) {
			if (i + 1 < n)
				/* from-then-into order: also commutes */
				ck_assert_int_eq(sv_mdl_gauss_merge(&acc[i + 1],
					&acc[i]), SV_OK);
			acc[j++] = acc[i + 1 < n ? i + 1 : i];
		}
		n = j;
	}
	*out = acc[0];
}

static void ck_gauss_equal(const struct sv_mdl_gauss_stats *a,
			   const struct sv_mdl_gauss_stats *b)
{
	struct sv_mdl_gauss_model ma, mb;

	ck_assert_uint_eq(a->n, b->n);
	ck_rel(a->mean, b->mean, GD, REL_TOL, "mean");
	ck_rel(a->m2, b->m2, GD * GD, REL_TOL, "m2");
	ck_rel(a->t3, b->t3, GD, REL_TOL, "t3");
	ck_rel(&a->q4, &b->q4, 1, REL_TOL, "q4");
	ck_assert_int_eq(sv_mdl_gauss_fit(a, &ma), SV_OK);
	ck_assert_int_eq(sv_mdl_gauss_fit(b, &mb), SV_OK);
	ck_rel(ma.cov, mb.cov, GD * GD, REL_TOL, "cov");
	ck_rel(&ma.shrinkage, &mb.shrinkage, 1, REL_TOL, "shrinkage");
}

START_TEST(gauss_merge_exact)
{
	struct sv_mdl_gauss_stats one, part[8], f;
	double x[GD];
	size_t s, i, p;
	int fold;

	for (s = 0; s < N(split_parts); s++) {
		size_t k = split_parts[s];

		ck_assert_int_eq(sv_mdl_gauss_init(&one, GD), SV_OK);
		for (p = 0; p < k; p++)
			ck_assert_int_eq(sv_mdl_gauss_init(&part[p], GD),
					 SV_OK);
		for (i = 0; i < 1000; i++) {
			gauss_draw(x);
			/* Uneven parts, one possibly tiny. */
			p = gsl_rng_uniform_int(rng, k * (k + 1) / 2);
			p = p < k ? p : p % k;
			ck_assert_int_eq(sv_mdl_gauss_add(&part[p], x), SV_OK);
			ck_assert_int_eq(sv_mdl_gauss_add(&one, x), SV_OK);
		}
		for (fold = 0; fold < NFOLDS; fold++) {
			gauss_fold(part, k, fold, &f);
			ck_gauss_equal(&one, &f);
		}
	}
}
END_TEST

START_TEST(gauss_scores)
{
	struct sv_mdl_gauss_stats s;
	struct sv_mdl_gauss_model m;
	struct sv_mdl_gauss_score r;
	double x[GD], sum, inv[GD * GD], z[GD], d2;
	size_t i, j, low = 0;
	gsl_matrix_view iv;

	ck_assert_int_eq(sv_mdl_gauss_init(&s, GD), SV_OK);
	for (i = 0; i < 5000; i++) {
		gauss_draw(x);
		ck_assert_int_eq(sv_mdl_gauss_add(&s, x), SV_OK);
	}
	ck_assert_int_eq(sv_mdl_gauss_fit(&s, &m), SV_OK);
	/* At the mean: D2 = 0, p = 1, no shares. */
	for (i = 0; i < GD; i++)
		x[i] = expm1(m.mean[i]);
	ck_assert_int_eq(sv_mdl_gauss_score(&m, x, &r), SV_OK);
	ck_assert_double_eq_tol(r.d2, 0.0, 1e-18);
	ck_assert_double_eq_tol(r.pvalue, 1.0, 1e-12);
	/* D2 against an explicit inverse (GSL's, via cholesky_invert). */
	memcpy(inv, m.chol, sizeof(inv));
	iv = gsl_matrix_view_array(inv, GD, GD);
	ck_assert_int_eq(gsl_linalg_cholesky_invert(&iv.matrix), GSL_SUCCESS);
	x[0] = 30.0;
	x[1] = 20.0;
	x[2] = 9.0;
	for (i = 0; i < GD; i++)
		z[i] = log1p(x[i]) - m.mean[i];
	for (d2 = 0.0, i = 0; i < GD; i++)
		for (j = 0; j < GD; j++)
			d2 += z[i] * inv[i * GD + j] * z[j];
	ck_assert_int_eq(sv_mdl_gauss_score(&m, x, &r), SV_OK);
	ck_assert_double_eq_tol(r.d2, d2, 1e-9 * d2);
	ck_assert(r.pvalue < 1e-3);
	for (sum = 0.0, i = 0; i < GD; i++)
		sum += r.share[i];
	ck_assert_double_eq_tol(sum, 1.0, 1e-12);
	/* Feature 2 alone pushed 5 sd out: it carries most of D2. */
	for (i = 0; i < GD; i++)
		x[i] = expm1(m.mean[i]);
	x[2] = expm1(m.mean[2] + 5.0 * sqrt(m.cov[2 * GD + 2]));
	ck_assert_int_eq(sv_mdl_gauss_score(&m, x, &r), SV_OK);
	ck_assert(r.share[2] > 0.9);
	/* p-values of fresh points are uniform: ~5% below 0.05 (sd 0.3%). */
	for (i = 0; i < 5000; i++) {
		gauss_draw(x);
		ck_assert_int_eq(sv_mdl_gauss_score(&m, x, &r), SV_OK);
		low += r.pvalue < 0.05;
	}
	ck_assert_double_eq_tol(low / 5000.0, 0.05, 0.012);
}
END_TEST

START_TEST(gauss_degenerate)
{
	struct sv_mdl_gauss_stats s, t;
	struct sv_mdl_gauss_model m;
	struct sv_mdl_gauss_score r;
	double x[GD] = { 1.0, 2.0, 3.0 };
	const double bad[] = { NAN, INFINITY, -INFINITY, -1.0, -2.0 };
	size_t i;

	ck_assert_int_eq(sv_mdl_gauss_init(&s, 0), SV_ERR_USAGE);
	ck_assert_int_eq(sv_mdl_gauss_init(&s, SV_MDL_GAUSS_DMAX + 1),
			 SV_ERR_USAGE);
	ck_assert_int_eq(sv_mdl_gauss_init(&s, GD), SV_OK);
	ck_assert_int_eq(sv_mdl_gauss_fit(&s, &m), SV_ERR_USAGE); /* n=0 */
	ck_assert_int_eq(sv_mdl_gauss_add(&s, x), SV_OK);
	ck_assert_int_eq(sv_mdl_gauss_fit(&s, &m), SV_ERR_USAGE); /* n=1 */
	/* Rejected input leaves the statistics untouched. */
	t = s;
	for (i = 0; i < N(bad); i++) {
		x[1] = bad[i];
		ck_assert_int_eq(sv_mdl_gauss_add(&s, x), SV_ERR_USAGE);
	}
	ck_assert_int_eq(memcmp(&s, &t, sizeof(s)), 0);
	/* Identical points: zero covariance, kept invertible by the floor. */
	x[1] = 2.0;
	ck_assert_int_eq(sv_mdl_gauss_add(&s, x), SV_OK);
	ck_assert_int_eq(sv_mdl_gauss_fit(&s, &m), SV_OK);
	ck_assert_int_eq(sv_mdl_gauss_score(&m, x, &r), SV_OK);
	ck_assert_double_eq_tol(r.d2, 0.0, 1e-9);
	x[1] = bad[0];
	ck_assert_int_eq(sv_mdl_gauss_score(&m, x, &r), SV_ERR_USAGE);
	/* A constant feature among varying ones: shrinkage keeps it
	 * invertible with a variance of the order of the others'. */
	ck_assert_int_eq(sv_mdl_gauss_init(&s, GD), SV_OK);
	for (i = 0; i < 200; i++) {
		gauss_draw(x);
		x[1] = 7.0;
		ck_assert_int_eq(sv_mdl_gauss_add(&s, x), SV_OK);
	}
	ck_assert_int_eq(sv_mdl_gauss_fit(&s, &m), SV_OK);
	ck_assert(m.shrinkage > 0.0);
	ck_assert(m.cov[1 * GD + 1] > 1e-4);
	x[1] = 8.0;
	ck_assert_int_eq(sv_mdl_gauss_score(&m, x, &r), SV_OK);
	ck_assert(isfinite(r.d2) && r.d2 > 0.0);
	ck_assert_int_eq(sv_mdl_gauss_init(&t, 2), SV_OK);
	ck_assert_int_eq(sv_mdl_gauss_merge(&s, &t), SV_ERR_USAGE);
	/* Impossible statistics (a damaged model) are refused. */
	t = s;
	t.q4 = NAN;
	ck_assert_int_eq(sv_mdl_gauss_fit(&t, &m), SV_ERR_CORRUPT);
	ck_assert_int_eq(sv_mdl_gauss_merge(&s, &t), SV_ERR_CORRUPT);
	t = s;
	t.m2[0] = -1.0;
	ck_assert_int_eq(sv_mdl_gauss_fit(&t, &m), SV_ERR_CORRUPT);
	t = s;
	ck_assert_int_eq(sv_mdl_gauss_merge(&t, &s), SV_OK);
	ck_assert_uint_eq(t.n, 400);
}
END_TEST

/* ------------------------------------------------------------------ rate */

static void rate_fill(struct sv_mdl_rate_stats *s, size_t n, int negbin)
{
	size_t i;

	sv_mdl_rate_init(s);
	for (i = 0; i < n; i++) {
		unsigned int k = negbin ?
			gsl_ran_negative_binomial(rng, 0.3, 2.0) :
			gsl_ran_poisson(rng, 4.5);

		ck_assert_int_eq(sv_mdl_rate_add(s, k), SV_OK);
	}
}

START_TEST(rate_recovers_parameters)
{
	struct sv_mdl_rate_stats s;
	struct sv_mdl_rate_model m;

	/* Poisson(4.5): lambda's standard error sqrt(4.5 / 20000) = 0.015;
	 * the sample variance's ~0.06, far below the 10% NB margin. */
	rate_fill(&s, 20000, 0);
	ck_assert_int_eq(sv_mdl_rate_fit(&s, SV_MDL_RATE_EPS, &m), SV_OK);
	ck_assert_int_eq(m.kind, SV_MDL_RATE_POISSON);
	ck_assert_double_eq_tol(m.lambda, 4.5, 0.06);
	/* NB(p = 0.3, r = 2): mean 4.67, variance 15.6 - over-dispersed.
	 * Moment estimates: p within 0.02, r within 10%. */
	rate_fill(&s, 20000, 1);
	ck_assert_int_eq(sv_mdl_rate_fit(&s, SV_MDL_RATE_EPS, &m), SV_OK);
	ck_assert_int_eq(m.kind, SV_MDL_RATE_NEGBIN);
	ck_assert_double_eq_tol(m.p, 0.3, 0.02);
	ck_assert_double_eq_tol(m.r, 2.0, 0.2);
	ck_assert_double_eq_tol(m.mean, 2.0 * 0.7 / 0.3, 0.1);
}
END_TEST

START_TEST(rate_pvalue_tail)
{
	static const uint64_t counts[] = { 1, 3, 2, 2 };
	struct sv_mdl_rate_stats s;
	struct sv_mdl_rate_model m;
	double cdf = 0.0;
	size_t i;
	unsigned int k;

	/* mean 2, variance 2/3: Poisson(2), P(X >= k) in closed form. */
	sv_mdl_rate_init(&s);
	for (i = 0; i < N(counts); i++)
		ck_assert_int_eq(sv_mdl_rate_add(&s, counts[i]), SV_OK);
	ck_assert_int_eq(sv_mdl_rate_fit(&s, SV_MDL_RATE_EPS, &m), SV_OK);
	ck_assert_int_eq(m.kind, SV_MDL_RATE_POISSON);
	ck_assert_double_eq_tol(m.lambda, 2.0, 1e-15);
	ck_assert_double_eq_tol(m.var, 2.0 / 3.0, 1e-15);
	ck_assert_double_eq(sv_mdl_rate_pvalue(&m, 0), 1.0);
	ck_assert_double_eq_tol(sv_mdl_rate_pvalue(&m, 1), 1.0 - exp(-2.0),
				1e-12);
	ck_assert_double_eq_tol(sv_mdl_rate_pvalue(&m, 3),
				1.0 - 5.0 * exp(-2.0), 1e-12);
	/* NB: P(X >= k) = 1 - sum_{j<k} pdf(j), pdf from GSL's randist. */
	rate_fill(&s, 2000, 1);
	ck_assert_int_eq(sv_mdl_rate_fit(&s, SV_MDL_RATE_EPS, &m), SV_OK);
	ck_assert_int_eq(m.kind, SV_MDL_RATE_NEGBIN);
	for (k = 0; k < 40; k++) {
		ck_assert_double_eq_tol(sv_mdl_rate_pvalue(&m, k), 1.0 - cdf,
					1e-9);
		cdf += gsl_ran_negative_binomial_pdf(k, m.p, m.r);
	}
}
END_TEST

START_TEST(rate_merge_exact)
{
	struct sv_mdl_rate_stats one, part[8], acc, f;
	size_t s, i, p, k;
	unsigned int c;
	int fold;

	for (s = 0; s < N(split_parts); s++) {
		k = split_parts[s];
		sv_mdl_rate_init(&one);
		for (p = 0; p < k; p++)
			sv_mdl_rate_init(&part[p]);
		for (i = 0; i < 3000; i++) {
			c = gsl_ran_negative_binomial(rng, 0.1, 1.5);
			p = gsl_rng_uniform_int(rng, k);
			ck_assert_int_eq(sv_mdl_rate_add(&part[p], c), SV_OK);
			ck_assert_int_eq(sv_mdl_rate_add(&one, c), SV_OK);
		}
		for (fold = 0; fold < FOLD_TREE; fold++) {
			sv_mdl_rate_init(&acc);
			for (i = 0; i < k; i++)
				ck_assert_int_eq(sv_mdl_rate_merge(&acc,
					&part[fold_index(fold, k, i)]), SV_OK);
			ck_assert_int_eq(memcmp(&acc, &one, sizeof(acc)), 0);
		}
		/* (p0 + p1) + (p2 + ... + pk-1), merged into the right side */
		f = part[k - 1];
		for (i = k - 1; i-- > 2;)
			ck_assert_int_eq(sv_mdl_rate_merge(&f, &part[i]),
					 SV_OK);
		acc = part[1];
		ck_assert_int_eq(sv_mdl_rate_merge(&acc, &part[0]), SV_OK);
		if (k > 2)
			ck_assert_int_eq(sv_mdl_rate_merge(&f, &acc), SV_OK);
		else
			f = acc;
		ck_assert_int_eq(memcmp(&f, &one, sizeof(f)), 0);
	}
}
END_TEST

START_TEST(rate_degenerate)
{
	struct sv_mdl_rate_stats s, t;
	struct sv_mdl_rate_model m;

	sv_mdl_rate_init(&s);
	ck_assert_int_eq(sv_mdl_rate_fit(&s, SV_MDL_RATE_EPS, &m),
			 SV_ERR_USAGE); /* n = 0 */
	ck_assert_int_eq(sv_mdl_rate_add(&s, 7), SV_OK);
	ck_assert_int_eq(sv_mdl_rate_fit(&s, -1.0, &m), SV_ERR_USAGE);
	ck_assert_int_eq(sv_mdl_rate_fit(&s, NAN, &m), SV_ERR_USAGE);
	ck_assert_int_eq(sv_mdl_rate_fit(&s, SV_MDL_RATE_EPS, &m), SV_OK);
	ck_assert_int_eq(m.kind, SV_MDL_RATE_POISSON); /* n = 1 */
	ck_assert_double_eq(m.lambda, 7.0);
	t = s;
	ck_assert_int_eq(sv_mdl_rate_add(&s, (uint64_t)UINT32_MAX + 1),
			 SV_ERR_LIMIT);
	ck_assert_int_eq(memcmp(&s, &t, sizeof(s)), 0);
	t.sum = UINT64_MAX;
	ck_assert_int_eq(sv_mdl_rate_merge(&s, &t), SV_ERR_LIMIT);
	/* All zeros: Jeffreys lambda 0.5 / n, so one event is rare not
	 * impossible: P(X >= 1) = 1 - exp(-0.05). */
	sv_mdl_rate_init(&s);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(sv_mdl_rate_add(&s, 0), SV_OK);
	ck_assert_int_eq(sv_mdl_rate_fit(&s, SV_MDL_RATE_EPS, &m), SV_OK);
	ck_assert_int_eq(m.kind, SV_MDL_RATE_POISSON);
	ck_assert_double_eq_tol(sv_mdl_rate_pvalue(&m, 1), 1.0 - exp(-0.05),
				1e-12);
	ck_assert(isnan(sv_mdl_rate_pvalue(NULL, 1)));
	m.lambda = NAN;
	ck_assert(isnan(sv_mdl_rate_pvalue(&m, 1)));
	m.kind = SV_MDL_RATE_NEGBIN;
	m.p = 0.0;
	m.r = 1.0;
	ck_assert(isnan(sv_mdl_rate_pvalue(&m, 1)));
}
END_TEST

/* ----------------------------------------------------------- calibration */

#define CAL_N 50000

START_TEST(calib_held_out)
{
	struct sv_mdl_gauss_stats s;
	struct sv_mdl_gauss_model m;
	struct sv_mdl_gauss_score r;
	double *train = malloc(CAL_N * sizeof(double));
	double *held = malloc(CAL_N * sizeof(double));
	double x[GD], thr, far;
	size_t i;

	ck_assert_ptr_nonnull(train);
	ck_assert_ptr_nonnull(held);
	ck_assert_int_eq(sv_mdl_gauss_init(&s, GD), SV_OK);
	for (i = 0; i < 2000; i++) {
		gauss_draw(x);
		ck_assert_int_eq(sv_mdl_gauss_add(&s, x), SV_OK);
	}
	ck_assert_int_eq(sv_mdl_gauss_fit(&s, &m), SV_OK);
	for (i = 0; i < 2 * CAL_N; i++) {
		gauss_draw(x);
		ck_assert_int_eq(sv_mdl_gauss_score(&m, x, &r), SV_OK);
		if (i < CAL_N)
			train[i] = r.d2;
		else
			held[i - CAL_N] = r.d2;
	}
	ck_assert_int_eq(sv_mdl_calib_threshold(train, CAL_N, 0.01, &thr),
			 SV_OK);
	/* On its own scores the quantile leaves 1% above it (+- 1/n). */
	ck_assert_int_eq(sv_mdl_calib_far(train, CAL_N, thr, &far), SV_OK);
	ck_assert_double_eq_tol(far, 0.01, 2.0 / CAL_N);
	/* Held out: binomial sd sqrt(0.01 * 0.99 / 50000) = 0.00045, plus
	 * the threshold's own error; allow 0.0025. */
	ck_assert_int_eq(sv_mdl_calib_far(held, CAL_N, thr, &far), SV_OK);
	ck_assert_double_eq_tol(far, 0.01, 0.0025);
	free(train);
	free(held);
}
END_TEST

START_TEST(calib_usage)
{
	double v[4] = { 3.0, 1.0, 2.0, 4.0 }, thr = -1.0, far = -1.0;

	ck_assert_int_eq(sv_mdl_calib_threshold(v, 0, 0.1, &thr),
			 SV_ERR_USAGE);
	ck_assert_int_eq(sv_mdl_calib_threshold(v, 4, 0.0, &thr),
			 SV_ERR_USAGE);
	ck_assert_int_eq(sv_mdl_calib_threshold(v, 4, 1.0, &thr),
			 SV_ERR_USAGE);
	ck_assert_int_eq(sv_mdl_calib_far(v, 4, NAN, &far), SV_ERR_USAGE);
	ck_assert_double_eq(thr, -1.0);
	/* Type 7 quantile 0.5 of {1,2,3,4} is 2.5; the input is not sorted
	 * in place. */
	ck_assert_int_eq(sv_mdl_calib_threshold(v, 4, 0.5, &thr), SV_OK);
	ck_assert_double_eq_tol(thr, 2.5, 1e-15);
	ck_assert_double_eq(v[0], 3.0);
	ck_assert_int_eq(sv_mdl_calib_far(v, 4, thr, &far), SV_OK);
	ck_assert_double_eq(far, 0.5);
	v[1] = NAN;
	ck_assert_int_eq(sv_mdl_calib_threshold(v, 4, 0.5, &thr),
			 SV_ERR_USAGE);
	ck_assert_int_eq(sv_mdl_calib_far(v, 4, 1.0, &far), SV_ERR_USAGE);
}
END_TEST

static Suite *models_suite(void)
{
	Suite *s = suite_create("models");
	TCase *tc = tcase_create("unit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, cat_surprisal_values);
	tcase_add_test(tc, cat_cap_and_limits);
	tcase_add_test(tc, cat_merge_exact);
	tcase_add_test(tc, gauss_recovers_parameters);
	tcase_add_test(tc, gauss_merge_exact);
	tcase_add_test(tc, gauss_ledoit_wolf_direct);
	tcase_add_test(tc, gauss_scores);
	tcase_add_test(tc, gauss_degenerate);
	tcase_add_test(tc, rate_recovers_parameters);
	tcase_add_test(tc, rate_pvalue_tail);
	tcase_add_test(tc, rate_merge_exact);
	tcase_add_test(tc, rate_degenerate);
	tcase_add_test(tc, calib_held_out);
	tcase_add_test(tc, calib_usage);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(models_suite());
	int failed;

	gsl_set_error_handler_off();
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
