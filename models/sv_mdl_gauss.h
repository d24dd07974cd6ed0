/*
 * sv_mdl_gauss.h - multivariate Gaussian on log1p-scaled features
 * (resource and traffic levels): train, merge, fit, score.
 *
 * Pure math over caller-given numbers: no I/O, no analyzer types, no
 * allocation (every struct is fixed-size and owned by the caller).
 *
 * Training keeps sufficient statistics about the running mean, so that
 * merging is exact and stable (Chan, Golub, LeVeque 1979, "Updating
 * formulae and a pairwise algorithm for computing sample variances"):
 *   n, mean (d), M2 = sum (y - mean)(y - mean)^T (d x d),
 *   T3 = sum |y - mean|^2 (y - mean) (d), Q4 = sum |y - mean|^4,
 * with y = log1p(x). T3 and Q4 are what Ledoit-Wolf's shrinkage intensity
 * needs (see sv_mdl_gauss.c). One observation is a merge with a set of
 * one, so sv_mdl_gauss_add() and sv_mdl_gauss_merge() share one formula;
 * merging is commutative and associative up to rounding (~1e-12).
 *
 * Inputs: every feature must be finite and > -1 (levels, counts, rates
 * are >= 0); anything else is SV_ERR_USAGE and changes nothing.
 */
#ifndef SV_MDL_GAUSS_H
#define SV_MDL_GAUSS_H

#include <stddef.h>
#include <stdint.h>

#include "sv_error.h"

#define SV_MDL_GAUSS_DMAX 32
/* Added to the diagonal of the fitted covariance (log1p units squared) so
 * that a model trained on identical points stays invertible. */
#define SV_MDL_GAUSS_VAR_FLOOR 1e-6

struct sv_mdl_gauss_stats {
	size_t d;
	uint64_t n;
	double mean[SV_MDL_GAUSS_DMAX];
	double m2[SV_MDL_GAUSS_DMAX * SV_MDL_GAUSS_DMAX]; /* row-major d x d */
	double t3[SV_MDL_GAUSS_DMAX];
	double q4;
};

struct sv_mdl_gauss_model {
	size_t d;
	uint64_t n;
	double mean[SV_MDL_GAUSS_DMAX];                   /* log1p space */
	double cov[SV_MDL_GAUSS_DMAX * SV_MDL_GAUSS_DMAX]; /* shrunk */
	double chol[SV_MDL_GAUSS_DMAX * SV_MDL_GAUSS_DMAX]; /* of cov */
	double shrinkage; /* Ledoit-Wolf delta in [0, 1] */
};

struct sv_mdl_gauss_score {
	double d2;     /* Mahalanobis distance squared */
	double pvalue; /* P(chi2_d >= d2) */
	/* share[i] = z_i (Sigma^-1 z)_i / d2 with z = log1p(x) - mean: the
	 * shares add up to 1; one can be negative when a correlated feature
	 * explains part of another's deviation. All 0 when d2 is 0. */
	double share[SV_MDL_GAUSS_DMAX];
};

/* Empty statistics for d features, 1 <= d <= SV_MDL_GAUSS_DMAX. */
enum sv_status sv_mdl_gauss_init(struct sv_mdl_gauss_stats *s,
				 size_t d) SV_MUST_CHECK;

/* One observation x[0..d-1] (raw, log1p is applied here). */
enum sv_status sv_mdl_gauss_add(struct sv_mdl_gauss_stats *s,
				const double *x) SV_MUST_CHECK;

/*
 * into += from; SV_ERR_USAGE when d differs or n would overflow,
 * SV_ERR_CORRUPT when either holds impossible values (NaN, inf, negative
 * variance: e.g. a damaged model file). On error into is unchanged.
 */
enum sv_status sv_mdl_gauss_merge(struct sv_mdl_gauss_stats *into,
				  const struct sv_mdl_gauss_stats *from)
	SV_MUST_CHECK;

/*
 * Fit mean and Ledoit-Wolf shrunk covariance, and its Cholesky factor.
 * Needs n >= 2 (SV_ERR_USAGE otherwise); SV_ERR_CORRUPT for impossible
 * statistics (as in merge) or when GSL refuses the factorisation (not
 * expected: the shrunk matrix is positive definite). *out is written
 * only on SV_OK.
 */
enum sv_status sv_mdl_gauss_fit(const struct sv_mdl_gauss_stats *s,
				struct sv_mdl_gauss_model *out) SV_MUST_CHECK;

/*
 * Score one observation x[0..d-1] (raw); *out written only on SV_OK.
 * SV_ERR_USAGE for a bad feature, SV_ERR_CORRUPT when the model's numbers
 * give no finite distance (a damaged model).
 */
enum sv_status sv_mdl_gauss_score(const struct sv_mdl_gauss_model *m,
				  const double *x,
				  struct sv_mdl_gauss_score *out) SV_MUST_CHECK;

#endif
