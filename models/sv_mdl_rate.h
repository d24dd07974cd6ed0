/*
 * sv_mdl_rate.h - event counts per window (connections, execs, DNS
 * queries per minute): Poisson, or negative binomial when over-dispersed.
 *
 * Pure math, no I/O, no allocation: the caller owns every struct.
 * Sufficient statistics are integers (n windows, sum of counts, sum of
 * squared counts), so merging is exact, associative and commutative.
 * A count per window is capped at SV_MDL_RATE_COUNT_MAX and the sums at
 * 2^64 - 1: past either, SV_ERR_LIMIT and nothing changes.
 *
 * Fit by the method of moments: mean = sum / n, sample variance
 * v = (sumsq - sum * mean) / (n - 1). Negative binomial when n >= 2 and
 * v > mean * (1 + eps), with p = mean / v and r = mean^2 / (v - mean)
 * (GSL's parameterisation: mean r (1 - p) / p, variance r (1 - p) / p^2);
 * Poisson with lambda = mean otherwise. When every count was 0, lambda is
 * the Jeffreys posterior mean 0.5 / n instead of 0, so that a first event
 * gets a small p-value rather than exactly 0.
 */
#ifndef SV_MDL_RATE_H
#define SV_MDL_RATE_H

#include <stdint.h>

#include "sv_error.h"

#define SV_MDL_RATE_COUNT_MAX 0xffffffffu
/* Default over-dispersion margin for sv_mdl_rate_fit(). */
#define SV_MDL_RATE_EPS 0.1

struct sv_mdl_rate_stats {
	uint64_t n;
	uint64_t sum;
	uint64_t sumsq;
};

enum sv_mdl_rate_kind {
	SV_MDL_RATE_POISSON = 0,
	SV_MDL_RATE_NEGBIN = 1
};

struct sv_mdl_rate_model {
	enum sv_mdl_rate_kind kind;
	uint64_t n;
	double mean, var; /* var is 0 when n == 1 */
	double lambda;    /* Poisson */
	double p, r;      /* negative binomial */
};

void sv_mdl_rate_init(struct sv_mdl_rate_stats *s);

/* One window with count events. */
enum sv_status sv_mdl_rate_add(struct sv_mdl_rate_stats *s,
			       uint64_t count) SV_MUST_CHECK;

/* into += from. */
enum sv_status sv_mdl_rate_merge(struct sv_mdl_rate_stats *into,
				 const struct sv_mdl_rate_stats *from)
	SV_MUST_CHECK;

/*
 * Fit; eps >= 0 and finite (SV_MDL_RATE_EPS is a sane default). Needs
 * n >= 1 (SV_ERR_USAGE otherwise). *out is written only on SV_OK.
 */
enum sv_status sv_mdl_rate_fit(const struct sv_mdl_rate_stats *s, double eps,
			       struct sv_mdl_rate_model *out) SV_MUST_CHECK;

/*
 * Upper-tail p-value P(X >= k) under the model (1 for k == 0); k above
 * UINT32_MAX is taken as UINT32_MAX. NAN when m is NULL or its
 * parameters are impossible (p outside (0, 1], r or lambda not > 0 and
 * finite: a damaged model).
 */
double sv_mdl_rate_pvalue(const struct sv_mdl_rate_model *m, uint64_t k);

#endif
