/*
 * sv_mdl_rate.c - Poisson / negative binomial counts (see sv_mdl_rate.h).
 */
#include "sv_mdl_rate.h"

#include <math.h>
#include <stddef.h>

#include <gsl/gsl_cdf.h>

void sv_mdl_rate_init(struct sv_mdl_rate_stats *s)
{
	if (s) {
		s->n = 0;
		s->sum = 0;
		s->sumsq = 0;
	}
}

enum sv_status sv_mdl_rate_merge(struct sv_mdl_rate_stats *into,
				 const struct sv_mdl_rate_stats *from)
{
	if (!into || !from)
		return SV_ERR_USAGE;
	if (into->n > UINT64_MAX - from->n ||
	    into->sum > UINT64_MAX - from->sum ||
	    into->sumsq > UINT64_MAX - from->sumsq)
		return SV_ERR_LIMIT;
	into->n += from->n;
	into->sum += from->sum;
	into->sumsq += from->sumsq;
	return SV_OK;
}

enum sv_status sv_mdl_rate_add(struct sv_mdl_rate_stats *s, uint64_t count)
{
	struct sv_mdl_rate_stats one;

	if (!s)
		return SV_ERR_USAGE;
	if (count > SV_MDL_RATE_COUNT_MAX)
		return SV_ERR_LIMIT;
	one.n = 1;
	one.sum = count;
	one.sumsq = count * count; /* < 2^64 by the cap */
	return sv_mdl_rate_merge(s, &one);
}

enum sv_status sv_mdl_rate_fit(const struct sv_mdl_rate_stats *s, double eps,
			       struct sv_mdl_rate_model *out)
{
	struct sv_mdl_rate_model m = { 0 };
	double n, sum;

	if (!s || !out || s->n == 0 || !isfinite(eps) || eps < 0.0)
		return SV_ERR_USAGE;
	n = (double)s->n;
	sum = (double)s->sum;
	m.n = s->n;
	m.mean = sum / n;
	if (s->n >= 2) {
		m.var = ((double)s->sumsq - sum * m.mean) / (n - 1.0);
		if (m.var < 0.0)
			m.var = 0.0; /* rounding on near-constant counts */
	}
	if (s->n >= 2 && m.var > m.mean * (1.0 + eps) && m.mean > 0.0) {
		m.kind = SV_MDL_RATE_NEGBIN;
		m.p = m.mean / m.var;
		m.r = m.mean * m.mean / (m.var - m.mean);
	} else {
		m.kind = SV_MDL_RATE_POISSON;
		m.lambda = s->sum ? m.mean : 0.5 / n;
	}
	*out = m;
	return SV_OK;
}

double sv_mdl_rate_pvalue(const struct sv_mdl_rate_model *m, uint64_t k)
{
	unsigned int km1;

	if (!m)
		return NAN;
	if (k == 0)
		return 1.0;
	if (k > SV_MDL_RATE_COUNT_MAX)
		k = SV_MDL_RATE_COUNT_MAX;
	/* P(X >= k) = P(X > k - 1) = Q(k - 1) for integer X. */
	km1 = (unsigned int)(k - 1);
	if (m->kind == SV_MDL_RATE_NEGBIN) {
		if (!(m->p > 0.0 && m->p <= 1.0 && m->r > 0.0 &&
		      isfinite(m->r)))
			return NAN;
		return gsl_cdf_negative_binomial_Q(km1, m->p, m->r);
	}
	if (!(m->lambda > 0.0 && isfinite(m->lambda)))
		return NAN;
	return gsl_cdf_poisson_Q(km1, m->lambda);
}
