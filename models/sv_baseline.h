/*
 * sv_baseline.h - what normal looks like, per workload: train from the
 * features of clean bundles, merge partial baselines, fit, and score a
 * new bundle's features into findings.
 *
 * Per workload (models/sv_features.h for the features):
 *   - one categorical model (sv_mdl_cat.h) per family: programs,
 *     executables, pairs, users, capabilities, listening ports,
 *     destinations, DNS names, TLS names;
 *   - a Gaussian (sv_mdl_gauss.h) over the window vectors and one over
 *     the lifetime vectors;
 *   - a rate model (sv_mdl_rate.h) per count family;
 *   - calibration samples: the window and lifetime vectors themselves,
 *     at most SV_BL_CALIB_MAX of each, the ones whose 64-bit hash of the
 *     vector's bytes is smallest (a bottom-k sample: the same set
 *     whatever the order of training and merging).
 * Training and merging touch only these statistics, so that merging is
 * associative and commutative, and a merged baseline equals one trained
 * at once (exact for counts, 1e-9 relative for the Gaussian).
 *
 * sv_baseline_fit() derives what scoring needs: the fitted Gaussians,
 * their D2 thresholds calibrated on the calibration samples to the
 * false-alarm rate far (sv_mdl_calibrate.h), and the rate models. A
 * categorical value alarms when it was never seen and its surprisal is
 * at least -log2(far) bits (p(unseen) < far).
 *
 * No I/O here: analyzer/sv_modelfile.c reads and writes model files,
 * through the public fields below and sv_baseline_digest().
 *
 * Ownership: sv_baseline_free() frees the baseline, its workloads, their
 * models, keys and samples, and the bundle list. Findings made by
 * sv_baseline_score() live in the arena given to it.
 */
#ifndef SV_BASELINE_H
#define SV_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "sv_arena.h"
#include "sv_error.h"
#include "sv_features.h"
#include "sv_mdl_cat.h"
#include "sv_mdl_gauss.h"
#include "sv_mdl_rate.h"
#include "sv_rules.h"

#define SV_BL_VERSION 1             /* of the statistics and the file */
#define SV_BL_FAR_DEFAULT 0.01
#define SV_BL_ALPHA 0.5             /* Dirichlet pseudo-count */
#define SV_BL_CAT_VALUES_MAX 4096   /* per family and workload */
#define SV_BL_CALIB_MAX 4096        /* vectors kept per workload, each */
#define SV_BL_WORKLOADS_MAX 10000
#define SV_BL_BUNDLES_MAX 1000000

/* A training bundle: the SHA-256 of its stored file, and its name. */
struct sv_bl_bundle {
	char sha256[65];            /* lower-case hex */
	char *name;                 /* basename, for people; owned */
};

struct sv_bl_workload {
	char *key;                  /* owned */
	uint64_t containers;        /* trained on */
	struct sv_mdl_cat *cat[SV_FC_COUNT];
	struct sv_mdl_gauss_stats win, life;
	struct sv_mdl_rate_stats rate[SV_FR_COUNT];
	/* Calibration samples, SV_FN_COUNT doubles each (raw feature
	 * values), ordered by (hash, bytes): n_calib_win vectors. */
	double *calib_win;
	size_t n_calib_win;
	double *calib_life;
	size_t n_calib_life;

	/* Set by sv_baseline_fit(); *_ok 0 when there was too little
	 * data (fewer than 2 vectors) for that model. */
	int win_ok, life_ok, rate_ok;
	struct sv_mdl_gauss_model win_m, life_m;
	double win_threshold, life_threshold; /* on D2 */
	struct sv_mdl_rate_model rate_m[SV_FR_COUNT];
};

struct sv_baseline {
	uint32_t version;           /* SV_BL_VERSION */
	int64_t window_ns;
	double far;                 /* false-alarm rate, 0 < far < 1 */
	double alpha;
	int partial;                /* trained with --partial: not fitted */
	int fitted;                 /* sv_baseline_fit() since the last
				       change */
	struct sv_bl_bundle *bundles; /* sorted by sha256, distinct */
	size_t n_bundles;
	struct sv_bl_workload **wl; /* sorted by key (strcmp), distinct */
	size_t n_wl;
};

/*
 * New empty baseline. window_ns in [SV_FEAT_WINDOW_MIN_NS,
 * SV_FEAT_WINDOW_MAX_NS], 0 < far < 1. SV_ERR_USAGE, SV_ERR_NOMEM.
 */
enum sv_status sv_baseline_new(int64_t window_ns, double far,
			       struct sv_baseline **out,
			       struct sv_error *err) SV_MUST_CHECK;
void sv_baseline_free(struct sv_baseline *b);

/*
 * The workload with this key, creating it (empty) when create is set.
 * NULL when absent (create 0), over SV_BL_WORKLOADS_MAX, or out of
 * memory. For the model file reader and for training.
 */
struct sv_bl_workload *sv_baseline_workload(struct sv_baseline *b,
					    const char *key, int create);

/* Record a training bundle (sha256: 64 hex digits). A bundle already
 * listed is SV_ERR_USAGE ("trained twice"); SV_ERR_LIMIT, SV_ERR_NOMEM. */
enum sv_status sv_baseline_add_bundle(struct sv_baseline *b,
				      const char *sha256, const char *name,
				      struct sv_error *err) SV_MUST_CHECK;

/* Add one calibration vector (SV_FN_COUNT raw values) to a workload's
 * window (life 0) or lifetime (life 1) sample, keeping the bottom-k. */
enum sv_status sv_baseline_add_calib(struct sv_bl_workload *w, int life,
				     const double *x) SV_MUST_CHECK;

/*
 * Train on one clean bundle's features: its hash is recorded (via
 * sv_baseline_add_bundle), every container goes into its workload.
 * fs->window_ns must equal b->window_ns. On error b may hold part of
 * the bundle: the caller stops and does not write the model.
 */
enum sv_status sv_baseline_train(struct sv_baseline *b,
				 const struct sv_feat_set *fs,
				 const char *sha256, const char *name,
				 struct sv_error *err) SV_MUST_CHECK;

/*
 * into += from. Window, far, alpha and version must match
 * (SV_ERR_USAGE naming the difference); a bundle in both is
 * SV_ERR_USAGE ("trained twice"). into->fitted becomes 0. On error into
 * may be partly merged: the caller stops.
 */
enum sv_status sv_baseline_merge(struct sv_baseline *into,
				 const struct sv_baseline *from,
				 struct sv_error *err) SV_MUST_CHECK;

/* Fit every workload (see above); sets fitted, clears partial. */
enum sv_status sv_baseline_fit(struct sv_baseline *b,
			       struct sv_error *err) SV_MUST_CHECK;

/*
 * SHA-256 (OpenSSL EVP) over a canonical text of the statistics: the
 * version, window, far, alpha, the bundles, and every workload's
 * counts, categorical entries, Gaussian statistics, rate statistics and
 * calibration samples, doubles as "%.17g" (which reads back exactly).
 * Fitted values are not covered: they are derived. hex gets 64 hex
 * digits and a NUL.
 */
enum sv_status sv_baseline_digest(const struct sv_baseline *b,
				  char hex[65]) SV_MUST_CHECK;

struct sv_bl_score_stats {
	uint64_t containers;        /* scored */
	uint64_t unknown_workload;  /* containers with no baseline */
	uint64_t windows;           /* window vectors scored */
	uint64_t findings;
};

/*
 * Score every container of fs against its workload (b must be fitted;
 * SV_ERR_USAGE otherwise) and prepend findings to out->list (then call
 * sv_findings_order). Finding rules (ids stable):
 *   shell-in-workload   a shell or interpreter program (or executable
 *                       of that name) the workload never ran (T1059,
 *                       high)
 *   novel-program       any other program or executable never seen
 *                       (T1059, medium)
 *   novel-destination   an outbound destination never seen (T1071,
 *                       medium); likewise, medium: novel-dns-name
 *                       (T1071.004), novel-tls-name (T1071.001),
 *                       novel-process-pair (T1059), novel-user (T1078),
 *                       novel-capabilities (T1548), novel-listen-port
 *                       (T1571)
 *   exfiltration        bytes or connections out far above the
 *                       baseline (T1048, high)
 *   dns-tunnelling      DNS label length, entropy or query volume far
 *                       above the baseline (T1071.004, high)
 *   resource-anomaly    CPU, memory, I/O, pids or execs far above
 *                       (T1496, medium)
 *   traffic-anomaly     connections or bytes in far above (T1071,
 *                       medium)
 *   rate-anomaly        execs, connections, DNS queries or lifecycle
 *                       events per window improbable (low; T1059,
 *                       T1071, T1071.004 or T1609 by the family)
 * Each carries score, pvalue, workload, the features behind it (with
 * their expected values and shares) and evidence (the process, flow or
 * application event where a value was first seen). At most one finding
 * per container and rule; out->nomem on out of memory.
 */
enum sv_status sv_baseline_score(const struct sv_baseline *b,
				 const struct sv_feat_set *fs,
				 struct sv_arena *arena,
				 struct sv_findings *out,
				 struct sv_bl_score_stats *st,
				 struct sv_error *err) SV_MUST_CHECK;

#endif
