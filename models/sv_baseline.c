/*
 * sv_baseline.c - per-workload baselines: create, train, merge, fit and
 * digest (sv_baseline.h; scoring is in sv_baseline_score.c).
 *
 * Inputs: the feature sets of clean bundles (sv_features.h), or other
 * baselines to merge. Outputs: the statistics of struct sv_baseline, the
 * fitted models, and a SHA-256 over a canonical text of the statistics.
 *
 * Every list a merge combines is kept in a total order of its own:
 * bundles by sha256, workloads by key (strcmp), calibration vectors by
 * (64-bit hash of the vector's bytes, then the bytes). A merge is then a
 * sorted union, and neither the order of training nor the grouping of
 * merges shows in the result.
 *
 * Ownership: everything is malloc'd and released by sv_baseline_free().
 * Arrays grow one entry at a time with realloc, because the model file
 * reader may hand over arrays of exactly n entries through the public
 * fields, so no hidden capacity may be assumed.
 */
#include "sv_baseline.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <openssl/evp.h>

#include "sv_mdl_calibrate.h"
#include "sv_tab.h"

#define VEC_BYTES (SV_FN_COUNT * sizeof(double))
/* Seed of the calibration hash ("salvage1"): part of the model format,
 * since it decides which vectors a full sample keeps. */
#define CALIB_SEED 0x73616c7661676531ull
#define KEY_MAX 4096
#define NAME_MAX_BYTES 255

enum sv_status sv_baseline_new(int64_t window_ns, double far,
			       struct sv_baseline **out,
			       struct sv_error *err)
{
	struct sv_baseline *b;

	if (!out)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "no output");
	if (window_ns < SV_FEAT_WINDOW_MIN_NS ||
	    window_ns > SV_FEAT_WINDOW_MAX_NS)
		return sv_error_set(err, SV_ERR_USAGE, NULL,
				    "window of %" PRId64 " ns is outside "
				    "1 s .. 1 day", window_ns);
	if (!(far > 0.0 && far < 1.0))
		return sv_error_set(err, SV_ERR_USAGE, NULL,
				    "false-alarm rate %g is not in (0, 1)",
				    far);
	b = calloc(1, sizeof(*b));
	if (!b)
		return sv_error_set(err, SV_ERR_NOMEM, NULL, "out of memory");
	b->version = SV_BL_VERSION;
	b->window_ns = window_ns;
	b->far = far;
	b->alpha = SV_BL_ALPHA;
	*out = b;
	return SV_OK;
}

static void wl_free(struct sv_bl_workload *w)
{
	int f;

	if (!w)
		return;
	for (f = 0; f < SV_FC_COUNT; f++)
		sv_mdl_cat_free(w->cat[f]);
	free(w->calib_win);
	free(w->calib_life);
	free(w->key);
	free(w);
}

void sv_baseline_free(struct sv_baseline *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->n_wl; i++)
		wl_free(b->wl[i]);
	free(b->wl);
	for (i = 0; i < b->n_bundles; i++)
		free(b->bundles[i].name);
	free(b->bundles);
	free(b);
}

/* ---- workloads ---- */

static struct sv_bl_workload *wl_new(const struct sv_baseline *b,
				     const char *key)
{
	struct sv_bl_workload *w = calloc(1, sizeof(*w));
	int f;

	if (!w || !(w->key = strdup(key)))
		goto fail;
	for (f = 0; f < SV_FC_COUNT; f++)
		if (sv_mdl_cat_new(b->alpha, SV_BL_CAT_VALUES_MAX,
				   &w->cat[f]) != SV_OK)
			goto fail;
	if (sv_mdl_gauss_init(&w->win, SV_FN_COUNT) != SV_OK ||
	    sv_mdl_gauss_init(&w->life, SV_FN_COUNT) != SV_OK)
		goto fail;
	for (f = 0; f < SV_FR_COUNT; f++)
		sv_mdl_rate_init(&w->rate[f]);
	return w;
fail:
	wl_free(w);
	return NULL;
}

/* Index of key in b->wl, or where it would go (*found 0). */
static size_t wl_pos(const struct sv_baseline *b, const char *key,
		     int *found)
{
	size_t lo = 0, hi = b->n_wl, mid;
	int c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(b->wl[mid]->key, key);
		if (!c) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct sv_bl_workload *sv_baseline_workload(struct sv_baseline *b,
					    const char *key, int create)
{
	struct sv_bl_workload **v, *w;
	size_t pos;
	int found;

	if (!b || !key || strnlen(key, KEY_MAX + 1) > KEY_MAX)
		return NULL;
	pos = wl_pos(b, key, &found);
	if (found)
		return b->wl[pos];
	if (!create || b->n_wl >= SV_BL_WORKLOADS_MAX)
		return NULL;
	w = wl_new(b, key);
	if (!w)
		return NULL;
	v = realloc(b->wl, (b->n_wl + 1) * sizeof(*v));
	if (!v) {
		wl_free(w);
		return NULL;
	}
	memmove(&v[pos + 1], &v[pos], (b->n_wl - pos) * sizeof(*v));
	v[pos] = w;
	b->wl = v;
	b->n_wl++;
	b->fitted = 0;
	return w;
}

/* ---- bundles ---- */

/* 64 hex digits, either case, into lower case; -1 otherwise. */
static int sha_norm(const char *s, char out[65])
{
	int i;

	for (i = 0; i < 64; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		out[i] = c;
	}
	out[64] = '\0';
	return s[64] ? -1 : 0;
}

static size_t bundle_pos(const struct sv_baseline *b, const char *hex,
			 int *found)
{
	size_t lo = 0, hi = b->n_bundles, mid;
	int c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(b->bundles[mid].sha256, hex);
		if (!c) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The basename of name, at most NAME_MAX_BYTES; "" for NULL. */
static char *name_dup(const char *name)
{
	const char *slash;

	if (!name)
		name = "";
	slash = strrchr(name, '/');
	if (slash && slash[1])
		name = slash + 1;
	return strndup(name, NAME_MAX_BYTES);
}

enum sv_status sv_baseline_add_bundle(struct sv_baseline *b,
				      const char *sha256, const char *name,
				      struct sv_error *err)
{
	struct sv_bl_bundle *v;
	char hex[65], *nm;
	size_t pos;
	int found;

	if (!b || !sha256 || sha_norm(sha256, hex))
		return sv_error_set(err, SV_ERR_USAGE, name,
				    "the bundle's SHA-256 is not 64 hex "
				    "digits");
	pos = bundle_pos(b, hex, &found);
	if (found)
		return sv_error_set(err, SV_ERR_USAGE, name,
				    "trained twice: bundle %s is already in "
				    "the baseline (as %s)", hex,
				    b->bundles[pos].name);
	if (b->n_bundles >= SV_BL_BUNDLES_MAX)
		return sv_error_set(err, SV_ERR_LIMIT, name,
				    "more than %d training bundles",
				    SV_BL_BUNDLES_MAX);
	nm = name_dup(name);
	v = nm ? realloc(b->bundles, (b->n_bundles + 1) * sizeof(*v)) : NULL;
	if (!v) {
		free(nm);
		return sv_error_set(err, SV_ERR_NOMEM, name, "out of memory");
	}
	memmove(&v[pos + 1], &v[pos], (b->n_bundles - pos) * sizeof(*v));
	memcpy(v[pos].sha256, hex, sizeof(hex));
	v[pos].name = nm;
	b->bundles = v;
	b->n_bundles++;
	b->fitted = 0;
	return SV_OK;
}

/* ---- calibration samples (bottom-k by hash) ---- */

static uint64_t vec_hash(const double *x)
{
	return sv_hash_bytes(CALIB_SEED, x, VEC_BYTES);
}

static int vec_cmp(uint64_t ha, const double *a, uint64_t hb,
		   const double *b)
{
	if (ha != hb)
		return ha < hb ? -1 : 1;
	return memcmp(a, b, VEC_BYTES);
}

/* First index whose vector sorts after (h, x). */
static size_t calib_upper(const double *v, size_t n, uint64_t h,
			  const double *x)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (vec_cmp(vec_hash(v + mid * SV_FN_COUNT),
			    v + mid * SV_FN_COUNT, h, x) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

enum sv_status sv_baseline_add_calib(struct sv_bl_workload *w, int life,
				     const double *x)
{
	double y[SV_FN_COUNT], **pv, *v;
	size_t *pn, n, pos;
	uint64_t h;
	int i;

	if (!w || !x)
		return SV_ERR_USAGE;
	for (i = 0; i < SV_FN_COUNT; i++) {
		if (!isfinite(x[i]) || !(x[i] > -1.0))
			return SV_ERR_USAGE;
		y[i] = x[i] + 0.0; /* -0 and +0: one vector, one hash */
	}
	pv = life ? &w->calib_life : &w->calib_win;
	pn = life ? &w->n_calib_life : &w->n_calib_win;
	n = *pn;
	h = vec_hash(y);
	pos = calib_upper(*pv, n, h, y);
	if (pos >= SV_BL_CALIB_MAX)
		return SV_OK;
	v = *pv;
	if (n < SV_BL_CALIB_MAX) {
		v = realloc(v, (n + 1) * VEC_BYTES);
		if (!v)
			return SV_ERR_NOMEM;
		*pv = v;
		*pn = ++n;
	}
	memmove(v + (pos + 1) * SV_FN_COUNT, v + pos * SV_FN_COUNT,
		(n - 1 - pos) * VEC_BYTES);
	memcpy(v + pos * SV_FN_COUNT, y, VEC_BYTES);
	return SV_OK;
}

/* *pa = the bottom SV_BL_CALIB_MAX of *pa and b (both sorted). */
static enum sv_status calib_merge(double **pa, size_t *pna, const double *b,
				  size_t nb)
{
	const double *a = *pa;
	size_t na = *pna, n = na + nb, i = 0, j = 0, k;
	uint64_t ha = 0, hb = 0;
	double *out;

	if (!nb)
		return SV_OK;
	if (n > SV_BL_CALIB_MAX)
		n = SV_BL_CALIB_MAX;
	out = malloc(n * VEC_BYTES);
	if (!out)
		return SV_ERR_NOMEM;
	if (na)
		ha = vec_hash(a);
	hb = vec_hash(b);
	for (k = 0; k < n; k++) {
		if (j >= nb || (i < na && vec_cmp(ha, a + i * SV_FN_COUNT, hb,
						  b + j * SV_FN_COUNT) <= 0)) {
			memcpy(out + k * SV_FN_COUNT, a + i * SV_FN_COUNT,
			       VEC_BYTES);
			if (++i < na)
				ha = vec_hash(a + i * SV_FN_COUNT);
		} else {
			memcpy(out + k * SV_FN_COUNT, b + j * SV_FN_COUNT,
			       VEC_BYTES);
			if (++j < nb)
				hb = vec_hash(b + j * SV_FN_COUNT);
		}
	}
	free(*pa);
	*pa = out;
	*pna = n;
	return SV_OK;
}

/* ---- training ---- */

static enum sv_status train_vector(struct sv_bl_workload *w, int life,
				   const double *x, const char *cid,
				   struct sv_error *err)
{
	enum sv_status rc;

	rc = sv_mdl_gauss_add(life ? &w->life : &w->win, x);
	if (rc == SV_OK)
		rc = sv_baseline_add_calib(w, life, x);
	if (rc == SV_ERR_NOMEM)
		return sv_error_set(err, rc, NULL, "out of memory");
	if (rc != SV_OK)
		return sv_error_set(err, rc, NULL, "container %.80s: a %s "
				    "vector is not finite and >= 0", cid,
				    life ? "lifetime" : "window");
	return SV_OK;
}

static enum sv_status train_values(struct sv_bl_workload *w,
				   const struct sv_feat_container *c,
				   struct sv_error *err)
{
	const struct sv_feat_value *v;
	enum sv_status rc;

	for (v = c->values; v; v = v->next) {
		if ((unsigned)v->family >= SV_FC_COUNT || !v->value)
			return sv_error_set(err, SV_ERR_USAGE, NULL,
					    "container %.80s: a value of "
					    "no family", c->container_id);
		rc = sv_mdl_cat_add(w->cat[v->family], v->value, v->count);
		if (rc != SV_OK)
			return sv_error_set(err, rc, NULL, "container %.80s: "
					    "%s value not kept (%s)",
					    c->container_id,
					    sv_fc_name(v->family),
					    sv_status_name(rc));
	}
	return SV_OK;
}

static enum sv_status train_container(struct sv_baseline *b,
				      const struct sv_feat_container *c,
				      struct sv_error *err)
{
	const struct sv_feat_window *win;
	struct sv_bl_workload *w;
	int r;

	if (!c->values && !c->windows)
		return SV_OK; /* nothing seen of it: nothing to learn */
	w = sv_baseline_workload(b, c->workload, 1);
	if (!w)
		return sv_error_set(err, b->n_wl >= SV_BL_WORKLOADS_MAX ?
				    SV_ERR_LIMIT : SV_ERR_NOMEM, NULL,
				    "workload %.80s not kept", c->workload ?
				    c->workload : "(none)");
	if (w->containers == UINT64_MAX)
		return sv_error_set(err, SV_ERR_LIMIT, NULL, "too many "
				    "containers in workload %.80s", w->key);
	w->containers++;
	SV_FORWARD(train_values(w, c, err));
	for (win = c->windows; win; win = win->next) {
		SV_FORWARD(train_vector(w, 0, win->x, c->container_id, err));
		for (r = 0; r < SV_FR_COUNT; r++)
			if (sv_mdl_rate_add(&w->rate[r], win->k[r]) != SV_OK)
				return sv_error_set(err, SV_ERR_LIMIT, NULL,
						    "container %.80s: %s "
						    "count over the cap",
						    c->container_id,
						    sv_fr_name(r));
	}
	return train_vector(w, 1, c->life, c->container_id, err);
}

enum sv_status sv_baseline_train(struct sv_baseline *b,
				 const struct sv_feat_set *fs,
				 const char *sha256, const char *name,
				 struct sv_error *err)
{
	const struct sv_feat_container *c;

	if (!b || !fs)
		return sv_error_set(err, SV_ERR_USAGE, name, "nothing to "
				    "train");
	if (fs->window_ns != b->window_ns)
		return sv_error_set(err, SV_ERR_USAGE, name, "window "
				    "mismatch: features in %" PRId64 " ns "
				    "windows, the baseline's are %" PRId64
				    " ns", fs->window_ns, b->window_ns);
	if (fs->nomem)
		return sv_error_set(err, SV_ERR_NOMEM, name, "the features "
				    "are incomplete (out of memory)");
	SV_FORWARD(sv_baseline_add_bundle(b, sha256, name, err));
	for (c = fs->containers; c; c = c->next)
		SV_FORWARD(train_container(b, c, err));
	b->fitted = 0;
	return SV_OK;
}

/* ---- merging ---- */

static enum sv_status merge_check(const struct sv_baseline *a,
				  const struct sv_baseline *b,
				  struct sv_error *err)
{
	if (a->version != b->version)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "version %u "
				    "and %u differ", a->version, b->version);
	if (a->window_ns != b->window_ns)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "window %"
				    PRId64 " ns and %" PRId64 " ns differ",
				    a->window_ns, b->window_ns);
	if (a->far != b->far)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "false-alarm "
				    "rate %g and %g differ", a->far, b->far);
	if (a->alpha != b->alpha)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "alpha %g and "
				    "%g differ", a->alpha, b->alpha);
	return SV_OK;
}

/* SV_ERR_USAGE when a bundle is in both sorted lists. */
static enum sv_status bundles_disjoint(const struct sv_baseline *a,
				       const struct sv_baseline *b,
				       struct sv_error *err)
{
	size_t i = 0, j = 0;
	int c;

	while (i < a->n_bundles && j < b->n_bundles) {
		c = strcmp(a->bundles[i].sha256, b->bundles[j].sha256);
		if (!c)
			return sv_error_set(err, SV_ERR_USAGE, NULL,
					    "trained twice: bundle %s (%s) "
					    "is in both baselines",
					    a->bundles[i].sha256,
					    a->bundles[i].name);
		if (c < 0)
			i++;
		else
			j++;
	}
	return SV_OK;
}

static enum sv_status bundles_merge(struct sv_baseline *into,
				    const struct sv_baseline *from,
				    struct sv_error *err)
{
	size_t na = into->n_bundles, nb = from->n_bundles, i = 0, j, k;
	struct sv_bl_bundle *v;

	SV_FORWARD(bundles_disjoint(into, from, err));
	if (!nb)
		return SV_OK;
	if (nb > SV_BL_BUNDLES_MAX - na)
		return sv_error_set(err, SV_ERR_LIMIT, NULL, "more than %d "
				    "training bundles", SV_BL_BUNDLES_MAX);
	v = calloc(na + nb, sizeof(*v));
	if (!v)
		return sv_error_set(err, SV_ERR_NOMEM, NULL, "out of memory");
	for (j = 0; j < nb; j++)
		if (!(v[j].name = name_dup(from->bundles[j].name))) {
			while (j--)
				free(v[j].name);
			free(v);
			return sv_error_set(err, SV_ERR_NOMEM, NULL,
					    "out of memory");
		}
	/* from's copies sit at the front; merge from the back so that
	 * nothing is overwritten before it is read */
	k = na + nb;
	j = nb;
	i = na;
	while (j > 0) {
		if (i > 0 && strcmp(into->bundles[i - 1].sha256,
				    from->bundles[j - 1].sha256) > 0)
			v[--k] = into->bundles[--i];
		else {
			v[--k].name = v[--j].name;
			memcpy(v[k].sha256, from->bundles[j].sha256, 65);
		}
	}
	while (i > 0)
		v[--k] = into->bundles[--i];
	free(into->bundles);
	into->bundles = v;
	into->n_bundles = na + nb;
	return SV_OK;
}

static enum sv_status wl_merge_models(struct sv_bl_workload *w,
				      const struct sv_bl_workload *f)
{
	enum sv_status rc = SV_OK;
	int i;

	for (i = 0; i < SV_FC_COUNT && rc == SV_OK; i++)
		if (f->cat[i])
			rc = w->cat[i] ? sv_mdl_cat_merge(w->cat[i], f->cat[i])
				       : SV_ERR_CORRUPT;
	if (rc == SV_OK)
		rc = sv_mdl_gauss_merge(&w->win, &f->win);
	if (rc == SV_OK)
		rc = sv_mdl_gauss_merge(&w->life, &f->life);
	for (i = 0; i < SV_FR_COUNT && rc == SV_OK; i++)
		rc = sv_mdl_rate_merge(&w->rate[i], &f->rate[i]);
	if (rc == SV_OK)
		rc = calib_merge(&w->calib_win, &w->n_calib_win,
				 f->calib_win, f->n_calib_win);
	if (rc == SV_OK)
		rc = calib_merge(&w->calib_life, &w->n_calib_life,
				 f->calib_life, f->n_calib_life);
	return rc;
}

static enum sv_status wl_merge(struct sv_baseline *into,
			       const struct sv_bl_workload *f,
			       struct sv_error *err)
{
	struct sv_bl_workload *w = sv_baseline_workload(into, f->key, 1);
	enum sv_status rc;

	if (!w)
		return sv_error_set(err, into->n_wl >= SV_BL_WORKLOADS_MAX ?
				    SV_ERR_LIMIT : SV_ERR_NOMEM, NULL,
				    "workload %.80s not kept", f->key);
	if (f->containers > UINT64_MAX - w->containers)
		return sv_error_set(err, SV_ERR_LIMIT, NULL, "too many "
				    "containers in workload %.80s", f->key);
	w->containers += f->containers;
	rc = wl_merge_models(w, f);
	if (rc != SV_OK)
		return sv_error_set(err, rc, NULL, "workload %.80s: %s while "
				    "merging its models", f->key,
				    sv_status_name(rc));
	return SV_OK;
}

enum sv_status sv_baseline_merge(struct sv_baseline *into,
				 const struct sv_baseline *from,
				 struct sv_error *err)
{
	size_t i;

	if (!into || !from || into == from)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "nothing to "
				    "merge");
	SV_FORWARD(merge_check(into, from, err));
	SV_FORWARD(bundles_merge(into, from, err));
	for (i = 0; i < from->n_wl; i++)
		SV_FORWARD(wl_merge(into, from->wl[i], err));
	into->fitted = 0;
	return SV_OK;
}

/* ---- fitting ---- */

/* D2 threshold from the calibration vectors' scores under m. */
static enum sv_status calib_threshold(const struct sv_mdl_gauss_model *m,
				      const double *v, size_t n, double far,
				      double *thr)
{
	struct sv_mdl_gauss_score sc;
	enum sv_status rc;
	double *d2;
	size_t i;

	if (!n) { /* a model file without samples: the chi-square's own */
		*thr = gsl_cdf_chisq_Qinv(far, (double)m->d);
		return isfinite(*thr) ? SV_OK : SV_ERR_CORRUPT;
	}
	d2 = malloc(n * sizeof(*d2));
	if (!d2)
		return SV_ERR_NOMEM;
	for (i = 0, rc = SV_OK; i < n && rc == SV_OK; i++) {
		rc = sv_mdl_gauss_score(m, v + i * SV_FN_COUNT, &sc);
		d2[i] = sc.d2;
	}
	if (rc == SV_OK)
		rc = sv_mdl_calib_threshold(d2, n, far, thr);
	free(d2);
	return rc;
}

static enum sv_status fit_gauss(const struct sv_baseline *b,
				struct sv_bl_workload *w, int life,
				struct sv_error *err)
{
	const struct sv_mdl_gauss_stats *s = life ? &w->life : &w->win;
	struct sv_mdl_gauss_model *m = life ? &w->life_m : &w->win_m;
	double *thr = life ? &w->life_threshold : &w->win_threshold;
	int *ok = life ? &w->life_ok : &w->win_ok;
	enum sv_status rc;

	*ok = 0;
	*thr = INFINITY;
	if (s->n < 2)
		return SV_OK;
	/* scoring reads SV_FN_COUNT features and shares */
	rc = s->d == SV_FN_COUNT ? sv_mdl_gauss_fit(s, m) : SV_ERR_CORRUPT;
	if (rc == SV_OK)
		rc = calib_threshold(m, life ? w->calib_life : w->calib_win,
				     life ? w->n_calib_life : w->n_calib_win,
				     b->far, thr);
	if (rc != SV_OK)
		return sv_error_set(err, rc == SV_ERR_NOMEM ? rc :
				    SV_ERR_CORRUPT, NULL, "workload %.80s: "
				    "the %s model cannot be fitted (%s)",
				    w->key, life ? "lifetime" : "window",
				    sv_status_name(rc));
	*ok = 1;
	return SV_OK;
}

static enum sv_status fit_rates(struct sv_bl_workload *w,
				struct sv_error *err)
{
	int r;

	w->rate_ok = 0;
	for (r = 0; r < SV_FR_COUNT; r++) {
		if (w->rate[r].n < 1)
			return SV_OK;
		if (sv_mdl_rate_fit(&w->rate[r], SV_MDL_RATE_EPS,
				    &w->rate_m[r]) != SV_OK)
			return sv_error_set(err, SV_ERR_CORRUPT, NULL,
					    "workload %.80s: the %s rate "
					    "cannot be fitted", w->key,
					    sv_fr_name(r));
	}
	w->rate_ok = 1;
	return SV_OK;
}

enum sv_status sv_baseline_fit(struct sv_baseline *b, struct sv_error *err)
{
	size_t i;

	if (!b)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "no baseline");
	b->fitted = 0;
	for (i = 0; i < b->n_wl; i++) {
		SV_FORWARD(fit_gauss(b, b->wl[i], 0, err));
		SV_FORWARD(fit_gauss(b, b->wl[i], 1, err));
		SV_FORWARD(fit_rates(b->wl[i], err));
	}
	b->fitted = 1;
	b->partial = 0;
	return SV_OK;
}

/* ---- digest ---- */

/*
 * The canonical text, one item per line; every string as
 * "<length>:<bytes>" so that no two baselines write the same text:
 *   salvage-baseline <version> <#fc> <#fn> <#fr>
 *   window <ns> / far <g> / alpha <g> / bundles <n>
 *   bundle <sha256> <len>:<name>                      (sha256 order)
 *   workloads <n>
 *   workload <len>:<key> containers <n>               (key order)
 *   cat <family> size <K> total <N> other <n> alpha <g>
 *   value <len>:<value> <count>                       (strcmp order)
 *   gauss win|life d <d> n <n> / mean / m2 / t3 / q4 (lists of %.17g)
 *   rate <family> <n> <sum> <sumsq>
 *   calib win|life <n> / vec <12 numbers>             (sample order)
 *   end
 */
struct dg {
	EVP_MD_CTX *ctx;
	int bad;
};

static void dg_put(struct dg *d, const void *p, size_t n)
{
	if (!d->bad && n && EVP_DigestUpdate(d->ctx, p, n) != 1)
		d->bad = 1;
}

SV_PRINTF(2, 3)
static void dg_fmt(struct dg *d, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		d->bad = 1;
		return;
	}
	dg_put(d, buf, (size_t)n);
}

static void dg_str(struct dg *d, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	dg_fmt(d, "%zu:", n);
	dg_put(d, s, n);
}

static void dg_dbls(struct dg *d, const char *tag, const double *v,
		    size_t n)
{
	size_t i;

	dg_fmt(d, "%s", tag);
	for (i = 0; i < n; i++)
		dg_fmt(d, " %.17g", v[i]);
	dg_put(d, "\n", 1);
}

static void dg_cat(struct dg *d, int f, const struct sv_mdl_cat *m)
{
	const char *v;
	uint64_t n;
	size_t i, k;

	if (!m) {
		dg_fmt(d, "cat %d none\n", f);
		return;
	}
	k = sv_mdl_cat_size(m);
	dg_fmt(d, "cat %d size %zu total %" PRIu64 " other %" PRIu64
	       " alpha %.17g\n", f, k, sv_mdl_cat_total(m),
	       sv_mdl_cat_other(m), sv_mdl_cat_alpha(m));
	for (i = 0; i < k; i++) {
		if (sv_mdl_cat_entry(m, i, &v, &n) != SV_OK) {
			d->bad = 1;
			return;
		}
		dg_put(d, "value ", 6);
		dg_str(d, v);
		dg_fmt(d, " %" PRIu64 "\n", n);
	}
}

static void dg_gauss(struct dg *d, const char *kind,
		     const struct sv_mdl_gauss_stats *s)
{
	size_t dd = s->d <= SV_MDL_GAUSS_DMAX ? s->d : SV_MDL_GAUSS_DMAX;

	dg_fmt(d, "gauss %s d %zu n %" PRIu64 "\n", kind, s->d, s->n);
	dg_dbls(d, "mean", s->mean, dd);
	dg_dbls(d, "m2", s->m2, dd * dd);
	dg_dbls(d, "t3", s->t3, dd);
	dg_dbls(d, "q4", &s->q4, 1);
}

static void dg_calib(struct dg *d, const char *kind, const double *v,
		     size_t n)
{
	size_t i;

	dg_fmt(d, "calib %s %zu\n", kind, n);
	for (i = 0; i < n; i++)
		dg_dbls(d, "vec", v + i * SV_FN_COUNT, SV_FN_COUNT);
}

static void dg_workload(struct dg *d, const struct sv_bl_workload *w)
{
	int i;

	dg_put(d, "workload ", 9);
	dg_str(d, w->key);
	dg_fmt(d, " containers %" PRIu64 "\n", w->containers);
	for (i = 0; i < SV_FC_COUNT; i++)
		dg_cat(d, i, w->cat[i]);
	dg_gauss(d, "win", &w->win);
	dg_gauss(d, "life", &w->life);
	for (i = 0; i < SV_FR_COUNT; i++)
		dg_fmt(d, "rate %d %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", i,
		       w->rate[i].n, w->rate[i].sum, w->rate[i].sumsq);
	dg_calib(d, "win", w->calib_win, w->n_calib_win);
	dg_calib(d, "life", w->calib_life, w->n_calib_life);
}

static void dg_baseline(struct dg *d, const struct sv_baseline *b)
{
	size_t i;

	dg_fmt(d, "salvage-baseline %u %d %d %d\n", b->version, SV_FC_COUNT,
	       SV_FN_COUNT, SV_FR_COUNT);
	dg_fmt(d, "window %" PRId64 "\nfar %.17g\nalpha %.17g\n",
	       b->window_ns, b->far, b->alpha);
	dg_fmt(d, "bundles %zu\n", b->n_bundles);
	for (i = 0; i < b->n_bundles; i++) {
		dg_fmt(d, "bundle %.64s ", b->bundles[i].sha256);
		dg_str(d, b->bundles[i].name);
		dg_put(d, "\n", 1);
	}
	dg_fmt(d, "workloads %zu\n", b->n_wl);
	for (i = 0; i < b->n_wl && !d->bad; i++)
		dg_workload(d, b->wl[i]);
	dg_put(d, "end\n", 4);
}

enum sv_status sv_baseline_digest(const struct sv_baseline *b,
				  char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	struct dg d;

	if (!b || !hex)
		return SV_ERR_USAGE;
	d.bad = 0;
	d.ctx = EVP_MD_CTX_new();
	if (!d.ctx)
		return SV_ERR_NOMEM;
	if (EVP_DigestInit_ex(d.ctx, EVP_sha256(), NULL) != 1)
		d.bad = 1;
	dg_baseline(&d, b);
	if (!d.bad && (EVP_DigestFinal_ex(d.ctx, md, &n) != 1 || n != 32))
		d.bad = 1;
	EVP_MD_CTX_free(d.ctx);
	if (d.bad)
		return SV_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return SV_OK;
}
