/*
 * sv_mdl_calibrate.h - alarm thresholds for a stated false-alarm rate.
 *
 * Pure math over caller-given scores (higher = more anomalous: D2,
 * surprisal, -log10 p). The rule is "alarm when score > threshold".
 * The threshold is the empirical (1 - far) quantile of the training
 * scores, computed by gsl_stats_quantile_from_sorted_data (linear
 * interpolation between order statistics, Hyndman-Fan type 7), so about
 * far * n training scores lie above it. With few training scores the
 * held-out rate is noisy: n should be well above 1 / far.
 * The caller's arrays are never modified; a sorted copy is made and freed.
 */
#ifndef SV_MDL_CALIBRATE_H
#define SV_MDL_CALIBRATE_H

#include <stddef.h>

#include "sv_error.h"

/* Most scores one call accepts. */
#define SV_MDL_CALIB_MAX ((size_t)1 << 26)

/*
 * Threshold for false-alarm rate far (0 < far < 1) from scores[0..n-1].
 * SV_ERR_USAGE for n == 0, far out of range, or a NaN score (+-inf are
 * ordered values and allowed); SV_ERR_LIMIT above SV_MDL_CALIB_MAX;
 * SV_ERR_NOMEM. *threshold is written only on SV_OK.
 */
enum sv_status sv_mdl_calib_threshold(const double *scores, size_t n,
				      double far, double *threshold)
	SV_MUST_CHECK;

/*
 * The fraction of scores[0..n-1] that would alarm (> threshold).
 * SV_ERR_USAGE for n == 0, a NaN threshold or a NaN score.
 */
enum sv_status sv_mdl_calib_far(const double *scores, size_t n,
				double threshold, double *far) SV_MUST_CHECK;

#endif
