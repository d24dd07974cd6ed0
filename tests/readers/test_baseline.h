/*
 * test_baseline.h - what the two halves of the baseline test share:
 * synthetic feature sets built by hand (struct sv_feat_set), a seeded
 * generator of "normal" windows, and short checked wrappers.
 *
 * test_baseline.c: these helpers, training, merging and the digest, and
 * main(); test_baseline_score.c: scoring, calibration, refusals and the
 * samples end to end. Everything lives in the arena ar (freed by
 * teardown); baselines are the caller's to free.
 */
#ifndef TEST_BASELINE_H
#define TEST_BASELINE_H

#include <check.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "sv_arena.h"
#include "sv_baseline.h"
#include "sv_features.h"
#include "sv_time.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define WIN SV_FEAT_WINDOW_NS
#define T0 (1764400000LL * SV_NS_PER_SEC) /* a multiple of WIN */

extern gsl_rng *rng;        /* mt19937, seeded by setup */
extern struct sv_arena *ar;

void setup(void);
void teardown(void);

/* Feature sets: containers, values and windows appended in order. */
void fs_init(struct sv_feat_set *fs);
struct sv_feat_container *add_cont(struct sv_feat_set *fs, const char *id,
				   const char *wl);
struct sv_feat_value *add_value(struct sv_feat_container *c, enum sv_fc fam,
				const char *v, uint64_t count);
struct sv_feat_window *add_window(struct sv_feat_container *c,
				  const double *x, const uint64_t *k);

/* log1p(x_i) ~ N(mu_i, sigma_i) with one common factor (correlation
 * 0.36 between any two features); counts Poisson(lambda). */
struct gen {
	double mu[SV_FN_COUNT], sigma[SV_FN_COUNT];
	double lambda[SV_FR_COUNT];
};

extern const double web_raw[SV_FN_COUNT]; /* a small, steady web server */
void gen_make(struct gen *g, const double *raw, double sigma);
void gen_draw(const struct gen *g, double *x, uint64_t *k);

/* 64 hex digits, distinct for each i. */
void sha_of(unsigned i, char out[65]);
struct sv_baseline *bl_new(void);   /* WIN, SV_BL_FAR_DEFAULT */
void train(struct sv_baseline *b, const struct sv_feat_set *fs,
	   unsigned id);                 /* as bundle sha_of(id) */
void fit(struct sv_baseline *b);
void digest(const struct sv_baseline *b, char hex[65]);

/* test_baseline_score.c's cases. */
void add_score_cases(Suite *s);

#endif
