/*
 * sv_mdl_calibrate.c - thresholds for a false-alarm rate (see the header).
 */
#include "sv_mdl_calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

static int any_nan(const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (isnan(v[i]))
			return 1;
	return 0;
}

enum sv_status sv_mdl_calib_threshold(const double *scores, size_t n,
				      double far, double *threshold)
{
	double *sorted, q;

	if (!scores || !threshold || n == 0 || !(far > 0.0 && far < 1.0))
		return SV_ERR_USAGE;
	if (n > SV_MDL_CALIB_MAX)
		return SV_ERR_LIMIT;
	if (any_nan(scores, n))
		return SV_ERR_USAGE;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return SV_ERR_NOMEM;
	memcpy(sorted, scores, n * sizeof(*sorted));
	gsl_sort(sorted, 1, n);
	q = gsl_stats_quantile_from_sorted_data(sorted, 1, n, 1.0 - far);
	free(sorted);
	*threshold = q;
	return SV_OK;
}

enum sv_status sv_mdl_calib_far(const double *scores, size_t n,
				double threshold, double *far)
{
	size_t i, above = 0;

	if (!scores || !far || n == 0 || isnan(threshold))
		return SV_ERR_USAGE;
	if (any_nan(scores, n))
		return SV_ERR_USAGE;
	for (i = 0; i < n; i++)
		if (scores[i] > threshold)
			above++;
	*far = (double)above / (double)n;
	return SV_OK;
}
