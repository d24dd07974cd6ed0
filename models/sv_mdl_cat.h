/*
 * sv_mdl_cat.h - categorical novelty: how surprising is a string value
 * (an executable, a parent>child pair, a destination) for one key.
 *
 * Pure math over caller-given strings: no I/O, no analyzer types.
 * The model owns a sorted table of (value, count) with private copies of
 * the values; sv_mdl_cat_free() releases them. Strings returned by
 * sv_mdl_cat_entry() are borrowed and live until the next add, merge or
 * free on that model.
 *
 * Dirichlet-smoothed frequency with one extra "unseen" bucket:
 *   p(v)      = (count(v) + alpha) / (N + alpha * (K + 1))
 *   p(unseen) = (other    + alpha) / (N + alpha * (K + 1))
 * N = total count, K = distinct values kept, other = counts that did not
 * fit under the cap (below). The K + 1 probabilities sum to one.
 * Surprisal is -log2 p, in bits.
 *
 * Cap: at most max_values distinct values are kept. Past it, counts of a
 * new value go to the "other" bucket: they still raise N, and they make
 * unseen values less surprising (the workload is evidently diverse).
 * Training and merging are exact, associative and commutative while the
 * union of values stays within the cap; past it, which values get a slot
 * depends on the order of adds and merges.
 */
#ifndef SV_MDL_CAT_H
#define SV_MDL_CAT_H

#include <stddef.h>
#include <stdint.h>

#include "sv_error.h"

/* Longest value accepted, in bytes (without the NUL). */
#define SV_MDL_CAT_VALUE_MAX 4096
/* Largest max_values accepted by sv_mdl_cat_new(). */
#define SV_MDL_CAT_VALUES_MAX (1u << 20)

struct sv_mdl_cat;

/*
 * New empty model. alpha > 0 and finite; 1 <= max_values <=
 * SV_MDL_CAT_VALUES_MAX. *out is written only on SV_OK.
 * SV_ERR_USAGE on bad arguments, SV_ERR_NOMEM.
 */
enum sv_status sv_mdl_cat_new(double alpha, size_t max_values,
			      struct sv_mdl_cat **out) SV_MUST_CHECK;

/* Free the model and its copies of the values; NULL is accepted. */
void sv_mdl_cat_free(struct sv_mdl_cat *m);

/*
 * Add count observations of value (NUL-terminated, copied). count 0 is a
 * no-op. SV_ERR_USAGE for NULL, SV_ERR_LIMIT for a value longer than
 * SV_MDL_CAT_VALUE_MAX or a total that would overflow uint64_t,
 * SV_ERR_NOMEM. On error the model is unchanged.
 */
enum sv_status sv_mdl_cat_add(struct sv_mdl_cat *m, const char *value,
			      uint64_t count) SV_MUST_CHECK;

/*
 * into += from (counts added value by value). Both must have the same
 * alpha (SV_ERR_USAGE otherwise); into keeps its own cap. On error
 * (SV_ERR_NOMEM, SV_ERR_LIMIT on overflow) into is unchanged.
 */
enum sv_status sv_mdl_cat_merge(struct sv_mdl_cat *into,
				const struct sv_mdl_cat *from) SV_MUST_CHECK;

/* -log2 p(value) in bits; an unknown value gets the unseen bucket. */
double sv_mdl_cat_surprisal(const struct sv_mdl_cat *m, const char *value);

/* count(value): 0 when never seen (or counted in "other"). */
uint64_t sv_mdl_cat_seen(const struct sv_mdl_cat *m, const char *value);

uint64_t sv_mdl_cat_total(const struct sv_mdl_cat *m);   /* N */
uint64_t sv_mdl_cat_other(const struct sv_mdl_cat *m);   /* over cap */
size_t sv_mdl_cat_size(const struct sv_mdl_cat *m);      /* K */
double sv_mdl_cat_alpha(const struct sv_mdl_cat *m);

/*
 * The i-th value (0 <= i < K) in strcmp() order, for serialisation.
 * SV_ERR_USAGE when i is out of range; outputs written only on SV_OK.
 */
enum sv_status sv_mdl_cat_entry(const struct sv_mdl_cat *m, size_t i,
				const char **value, uint64_t *count);

#endif
