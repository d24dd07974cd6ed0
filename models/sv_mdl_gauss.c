/*
 * sv_mdl_gauss.c - multivariate Gaussian (see sv_mdl_gauss.h).
 *
 * Merging two sets a and b: both are re-centred on the combined mean m
 * and their moments added. For a set centred on its own mean (sum of
 * y = 0) and a shift delta (new centre = old centre + delta):
 *   M2' = M2 + n delta delta^T
 *   T3' = T3 - delta tr(M2) - 2 M2 delta - n |delta|^2 delta
 *   Q4' = Q4 + 4 delta^T M2 delta - 4 delta.T3 + 2 |delta|^2 tr(M2)
 *         + n |delta|^4
 * (expand |y - delta|^2 (y - delta) and |y - delta|^4; terms in sum y
 * vanish). For M2 this is Chan et al.'s pairwise update.
 */
#include "sv_mdl_gauss.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#define DM SV_MDL_GAUSS_DMAX

enum sv_status sv_mdl_gauss_init(struct sv_mdl_gauss_stats *s, size_t d)
{
	if (!s || d == 0 || d > DM)
		return SV_ERR_USAGE;
	memset(s, 0, sizeof(*s));
	s->d = d;
	return SV_OK;
}

static double dot(const double *a, const double *b, size_t d)
{
	double r = 0.0;
	size_t i;

	for (i = 0; i < d; i++)
		r += a[i] * b[i];
	return r;
}

/* Re-centre s (about its own mean) by delta, as in the file comment. */
static void gauss_shift(struct sv_mdl_gauss_stats *s, const double *delta)
{
	size_t d = s->d, i, j;
	double n = (double)s->n, md[DM], tr = 0.0, dd, dmd, dt;

	for (i = 0; i < d; i++) {
		md[i] = dot(&s->m2[i * d], delta, d);
		tr += s->m2[i * d + i];
	}
	dd = dot(delta, delta, d);
	dmd = dot(delta, md, d);
	dt = dot(delta, s->t3, d);
	s->q4 += 4.0 * dmd - 4.0 * dt + 2.0 * dd * tr + n * dd * dd;
	for (i = 0; i < d; i++)
		s->t3[i] -= delta[i] * tr + 2.0 * md[i] + n * dd * delta[i];
	for (i = 0; i < d; i++)
		for (j = 0; j < d; j++)
			s->m2[i * d + j] += n * delta[i] * delta[j];
}

/*
 * Statistics that no sequence of adds can produce (a caller may have
 * deserialised them from a damaged model): non-finite numbers, negative
 * variances or fourth moment. 0 when plausible.
 */
static int gauss_bad(const struct sv_mdl_gauss_stats *s)
{
	size_t d = s->d, i;

	if (d == 0 || d > DM || !isfinite(s->q4) || s->q4 < 0.0)
		return -1;
	for (i = 0; i < d; i++)
		if (!isfinite(s->mean[i]) || !isfinite(s->t3[i]) ||
		    !(s->m2[i * d + i] >= 0.0))
			return -1;
	for (i = 0; i < d * d; i++)
		if (!isfinite(s->m2[i]))
			return -1;
	return 0;
}

enum sv_status sv_mdl_gauss_merge(struct sv_mdl_gauss_stats *into,
				  const struct sv_mdl_gauss_stats *from)
{
	struct sv_mdl_gauss_stats b;
	double mean[DM], da[DM], db[DM], fb;
	size_t d, i;

	if (!into || !from || into->d != from->d || into->d == 0 ||
	    into->d > DM || into->n > UINT64_MAX - from->n)
		return SV_ERR_USAGE;
	if (gauss_bad(into) || gauss_bad(from))
		return SV_ERR_CORRUPT;
	if (from->n == 0)
		return SV_OK;
	if (into->n == 0) {
		*into = *from;
		return SV_OK;
	}
	d = into->d;
	fb = (double)from->n / (double)(into->n + from->n);
	for (i = 0; i < d; i++) {
		mean[i] = into->mean[i] + fb * (from->mean[i] - into->mean[i]);
		da[i] = mean[i] - into->mean[i];
		db[i] = mean[i] - from->mean[i];
	}
	b = *from;
	gauss_shift(into, da);
	gauss_shift(&b, db);
	for (i = 0; i < d * d; i++)
		into->m2[i] += b.m2[i];
	for (i = 0; i < d; i++) {
		into->t3[i] += b.t3[i];
		into->mean[i] = mean[i];
	}
	into->q4 += b.q4;
	into->n += b.n;
	return SV_OK;
}

/* y = log1p(x); -1 when a feature is not finite or not > -1. */
static int gauss_scale(const double *x, double *y, size_t d)
{
	size_t i;

	for (i = 0; i < d; i++) {
		if (!isfinite(x[i]) || x[i] <= -1.0)
			return -1;
		y[i] = log1p(x[i]);
	}
	return 0;
}

enum sv_status sv_mdl_gauss_add(struct sv_mdl_gauss_stats *s,
				const double *x)
{
	struct sv_mdl_gauss_stats one;

	if (!s || !x || s->d == 0 || s->d > DM)
		return SV_ERR_USAGE;
	memset(&one, 0, sizeof(one));
	one.d = s->d;
	one.n = 1;
	if (gauss_scale(x, one.mean, s->d) != 0)
		return SV_ERR_USAGE;
	return sv_mdl_gauss_merge(s, &one);
}

/*
 * Ledoit & Wolf (2004), "A well-conditioned estimator for large-
 * dimensional covariance matrices", J. Multivariate Anal. 88, Lemma 3.2
 * and Theorem 3.4, with S = M2 / n the (biased) sample covariance:
 *   mu   = tr(S) / d
 *   d2   = |S - mu I|_F^2
 *   b2   = min(d2, (1/n^2) sum_k |z_k z_k^T - S|_F^2)
 *        where sum_k |z_k z_k^T - S|_F^2 = Q4 - n |S|_F^2
 *   delta = b2 / d2,  Sigma = delta mu I + (1 - delta) S.
 * (The paper's norm is |A|^2 = tr(A A^T) / d; the 1/d cancels in delta.)
 * Writes the shrunk matrix into cov and returns delta.
 */
static double ledoit_wolf(const struct sv_mdl_gauss_stats *s, double *cov)
{
	size_t d = s->d, i, j;
	double n = (double)s->n, mu = 0.0, d2 = 0.0, s2 = 0.0, b2, delta;

	for (i = 0; i < d * d; i++) {
		cov[i] = s->m2[i] / n;
		s2 += cov[i] * cov[i];
	}
	for (i = 0; i < d; i++)
		mu += cov[i * d + i];
	mu /= (double)d;
	for (i = 0; i < d; i++)
		for (j = 0; j < d; j++) {
			double e = cov[i * d + j] - (i == j ? mu : 0.0);

			d2 += e * e;
		}
	b2 = (s->q4 - n * s2) / (n * n);
	if (b2 < 0.0)
		b2 = 0.0;
	if (b2 > d2)
		b2 = d2;
	delta = d2 > 0.0 ? b2 / d2 : 0.0;
	for (i = 0; i < d; i++)
		for (j = 0; j < d; j++) {
			double v = (1.0 - delta) * cov[i * d + j];

			if (i == j)
				v += delta * mu + SV_MDL_GAUSS_VAR_FLOOR;
			cov[i * d + j] = v;
		}
	return delta;
}

enum sv_status sv_mdl_gauss_fit(const struct sv_mdl_gauss_stats *s,
				struct sv_mdl_gauss_model *out)
{
	struct sv_mdl_gauss_model m;
	gsl_matrix_view L;
	size_t d;

	if (!s || !out || s->d == 0 || s->d > DM || s->n < 2)
		return SV_ERR_USAGE;
	if (gauss_bad(s))
		return SV_ERR_CORRUPT;
	d = s->d;
	memset(&m, 0, sizeof(m));
	m.d = d;
	m.n = s->n;
	memcpy(m.mean, s->mean, d * sizeof(double));
	m.shrinkage = ledoit_wolf(s, m.cov);
	memcpy(m.chol, m.cov, d * d * sizeof(double));
	L = gsl_matrix_view_array(m.chol, d, d);
	if (gsl_linalg_cholesky_decomp1(&L.matrix) != GSL_SUCCESS)
		return SV_ERR_CORRUPT;
	*out = m;
	return SV_OK;
}

/* w = Sigma^-1 z from the Cholesky factor; GSL's status. */
static int chol_solve(const double *chol, size_t d, const double *z,
		      double *w)
{
	gsl_matrix_const_view L = gsl_matrix_const_view_array(chol, d, d);
	gsl_vector_const_view zv = gsl_vector_const_view_array(z, d);
	gsl_vector_view wv = gsl_vector_view_array(w, d);

	return gsl_linalg_cholesky_solve(&L.matrix, &zv.vector, &wv.vector);
}

enum sv_status sv_mdl_gauss_score(const struct sv_mdl_gauss_model *m,
				  const double *x,
				  struct sv_mdl_gauss_score *out)
{
	struct sv_mdl_gauss_score r;
	double z[DM], w[DM];
	size_t d, i;

	if (!m || !x || !out || m->d == 0 || m->d > DM)
		return SV_ERR_USAGE;
	d = m->d;
	if (gauss_scale(x, z, d) != 0)
		return SV_ERR_USAGE;
	for (i = 0; i < d; i++)
		z[i] -= m->mean[i];
	if (chol_solve(m->chol, d, z, w) != GSL_SUCCESS)
		return SV_ERR_CORRUPT;
	memset(&r, 0, sizeof(r));
	r.d2 = dot(z, w, d);
	if (!isfinite(r.d2))
		return SV_ERR_CORRUPT;
	if (r.d2 < 0.0) /* rounding next to the mean: Sigma is PD */
		r.d2 = 0.0;
	r.pvalue = gsl_cdf_chisq_Q(r.d2, (double)d);
	for (i = 0; r.d2 > 0.0 && i < d; i++)
		r.share[i] = z[i] * w[i] / r.d2;
	*out = r;
	return SV_OK;
}
