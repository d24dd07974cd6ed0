/*
 * sv_modelfile_write.c - a baseline as a model file (models/model.xsd,
 * sv_modelfile.h), streamed through xmlTextWriter into core/sv_outfile
 * (complete or absent). The baseline is only read.
 *
 * Data strings (values, keys, bundle names) are written byte for byte
 * when XML can carry them, else as hex: they must read back exactly, or
 * the checksum would not match. Doubles are "%.17g" for the same
 * reason. sv_xw's cleaning is for report text, so data bypasses it.
 */
#include "sv_modelfile.h"

#include <libxml/xmlwriter.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_cursor.h"
#include "sv_outfile.h"
#include "sv_time.h"
#include "sv_xw.h"

#ifndef SV_VERSION
#define SV_VERSION "0"
#endif

#define X(s) ((const xmlChar *)(s))
#define DBL_TEXT 32       /* "%.17g" takes at most 24 bytes */
#define NAMES_TEXT 256    /* the feature names, space-separated */

/* "cpu memory ..." for the first d numeric features. */
static void feature_names(size_t d, char *buf, size_t n)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < d && i < SV_FN_COUNT && o < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? " " : "",
				      sv_fn_name((enum sv_fn)i));
}

/*
 * 1 when XML 1.0 carries s exactly as it is: valid shortest-form UTF-8,
 * no control character (a parser normalises CR and attribute
 * whitespace), no surrogate, U+FFFE or U+FFFF.
 */
static int xml_plain(const char *s)
{
	static const uint32_t least[4] = {0, 0x80, 0x800, 0x10000};
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;
	int n, i;

	while (*p) {
		if (*p < 0x80) {
			if (*p++ < 0x20)
				return 0;
			continue;
		}
		if ((*p & 0xe0) == 0xc0)
			n = 1, c = *p & 0x1fu;
		else if ((*p & 0xf0) == 0xe0)
			n = 2, c = *p & 0x0fu;
		else if ((*p & 0xf8) == 0xf0)
			n = 3, c = *p & 0x07u;
		else
			return 0;
		/* A NUL fails the continuation test: no read past it. */
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (p[i] & 0x3fu);
		}
		if (c < least[n] || (c >= 0xd800 && c <= 0xdfff) ||
		    c == 0xfffe || c == 0xffff || c > 0x10ffff)
			return 0;
		p += n + 1;
	}
	return 1;
}

/* ---- writing ---- */

static void put_attr(struct sv_xw *x, const char *name, const char *v)
{
	if (!x->failed && xmlTextWriterWriteAttribute(x->w, X(name), X(v)) < 0)
		x->failed = 1;
}

static void put_text(struct sv_xw *x, const char *v)
{
	if (!x->failed && xmlTextWriterWriteString(x->w, X(v)) < 0)
		x->failed = 1;
}

/* Lower-case hex of s's bytes (malloc), or NULL. */
static char *hex_of(const char *s)
{
	size_t n = strlen(s);
	char *h = malloc(2 * n + 1);

	if (h)
		sv_hex_encode((const uint8_t *)s, n, h);
	return h;
}

/* name="s", or name-hex="..." when XML cannot carry s as it is. The
 * data strings bypass sv_xw_attr, which would clean (change) them. */
static void put_str_attr(struct sv_xw *x, const char *name, const char *s)
{
	char alt[64];
	char *h;

	if (xml_plain(s)) {
		put_attr(x, name, s);
		return;
	}
	h = hex_of(s);
	if (!h) {
		x->failed = 1;
		return;
	}
	snprintf(alt, sizeof(alt), "%s-hex", name);
	put_attr(x, alt, h);
	free(h);
}

/* xs:double text: "%.17g" (exact), or INF, -INF, NaN. */
static void dbl_text(double v, char buf[DBL_TEXT])
{
	if (isnan(v))
		snprintf(buf, DBL_TEXT, "NaN");
	else if (isinf(v))
		snprintf(buf, DBL_TEXT, "%sINF", v < 0 ? "-" : "");
	else
		snprintf(buf, DBL_TEXT, "%.17g", v);
}

static void put_dbl_attr(struct sv_xw *x, const char *name, double v)
{
	char buf[DBL_TEXT];

	dbl_text(v, buf);
	put_attr(x, name, buf);
}

/* <name>v[0] v[1] ...</name> */
static void put_doubles(struct sv_xw *x, const char *name, const double *v,
			size_t n)
{
	size_t cap = n * DBL_TEXT + 1, o = 0, i;
	char *buf = malloc(cap);
	char one[DBL_TEXT];

	if (!buf) {
		x->failed = 1;
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		dbl_text(v[i], one);
		o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? " " : "",
				      one);
	}
	sv_xw_start(x, name);
	put_text(x, buf);
	sv_xw_end(x);
	free(buf);
}

static void write_cat(struct sv_xw *x, const struct sv_mdl_cat *m,
		      enum sv_fc f)
{
	const char *v;
	uint64_t count;
	size_t i, k = sv_mdl_cat_size(m);
	char *h;

	sv_xw_start(x, "categorical");
	put_attr(x, "family", sv_fc_name(f));
	sv_xw_attr_u64(x, "total", sv_mdl_cat_total(m));
	sv_xw_attr_u64(x, "other", sv_mdl_cat_other(m));
	for (i = 0; i < k; i++) {
		if (sv_mdl_cat_entry(m, i, &v, &count) != SV_OK) {
			x->failed = 1;
			break;
		}
		sv_xw_start(x, "value");
		sv_xw_attr_u64(x, "count", count);
		if (xml_plain(v)) {
			put_text(x, v);
		} else {
			h = hex_of(v);
			put_attr(x, "hex", "1");
			put_text(x, h ? h : "");
			x->failed |= !h;
			free(h);
		}
		sv_xw_end(x);
	}
	sv_xw_end(x);
}

/* The fitted model in raw units, for people reading the file. */
static void write_fitted(struct sv_xw *x, const struct sv_mdl_gauss_model *m,
			 double threshold)
{
	size_t i;

	sv_xw_start(x, "fitted");
	put_dbl_attr(x, "threshold", threshold);
	put_dbl_attr(x, "shrinkage", m->shrinkage);
	for (i = 0; i < m->d && i < SV_FN_COUNT; i++) {
		sv_xw_start(x, "feature");
		put_attr(x, "name", sv_fn_name((enum sv_fn)i));
		put_dbl_attr(x, "mean", expm1(m->mean[i]));
		sv_xw_end(x);
	}
	sv_xw_end(x);
}

static void write_gauss(struct sv_xw *x, const struct sv_baseline *b,
			const struct sv_bl_workload *w, int life)
{
	const struct sv_mdl_gauss_stats *s = life ? &w->life : &w->win;
	char names[NAMES_TEXT], q4[DBL_TEXT];

	if (s->d == 0)
		return;
	feature_names(s->d, names, sizeof(names));
	sv_xw_start(x, "gauss");
	put_attr(x, "kind", life ? "lifetime" : "window");
	sv_xw_attr_u64(x, "n", s->n);
	sv_xw_attr_u64(x, "d", s->d);
	put_attr(x, "features", names);
	put_doubles(x, "mean", s->mean, s->d);
	put_doubles(x, "m2", s->m2, s->d * s->d);
	put_doubles(x, "t3", s->t3, s->d);
	dbl_text(s->q4, q4);
	sv_xw_start(x, "q4");
	put_text(x, q4);
	sv_xw_end(x);
	if (b->fitted && (life ? w->life_ok : w->win_ok))
		write_fitted(x, life ? &w->life_m : &w->win_m,
			     life ? w->life_threshold : w->win_threshold);
	sv_xw_end(x);
}

static void write_calib(struct sv_xw *x, const struct sv_bl_workload *w,
			int life)
{
	const double *v = life ? w->calib_life : w->calib_win;
	size_t n = life ? w->n_calib_life : w->n_calib_win, i;
	char names[NAMES_TEXT];

	feature_names(SV_FN_COUNT, names, sizeof(names));
	sv_xw_start(x, "calibration");
	put_attr(x, "kind", life ? "lifetime" : "window");
	sv_xw_attr_u64(x, "n", n);
	put_attr(x, "features", names);
	for (i = 0; i < n; i++)
		put_doubles(x, "vector", v + i * SV_FN_COUNT, SV_FN_COUNT);
	sv_xw_end(x);
}

static void write_workload(struct sv_xw *x, const struct sv_baseline *b,
			   const struct sv_bl_workload *w)
{
	int i;

	sv_xw_start(x, "workload");
	put_str_attr(x, "key", w->key);
	sv_xw_attr_u64(x, "containers", w->containers);
	for (i = 0; i < SV_FC_COUNT; i++)
		if (w->cat[i])
			write_cat(x, w->cat[i], (enum sv_fc)i);
	write_gauss(x, b, w, 0);
	write_gauss(x, b, w, 1);
	for (i = 0; i < SV_FR_COUNT; i++) {
		sv_xw_start(x, "rate");
		put_attr(x, "family", sv_fr_name((enum sv_fr)i));
		sv_xw_attr_u64(x, "n", w->rate[i].n);
		sv_xw_attr_u64(x, "sum", w->rate[i].sum);
		sv_xw_attr_u64(x, "sumsq", w->rate[i].sumsq);
		sv_xw_end(x);
	}
	write_calib(x, w, 0);
	write_calib(x, w, 1);
	sv_xw_end(x);
}

static void write_doc(struct sv_xw *x, const struct sv_baseline *b,
		      const char *digest)
{
	char buf[SV_TIME_TEXT_MAX + 80];
	size_t i;

	if (xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0)
		x->failed = 1;
	sv_xw_start(x, "salvage-model");
	put_attr(x, "xmlns", SV_MODELFILE_NS);
	sv_xw_attr_u64(x, "version", SV_MODELFILE_VERSION);
	sv_xw_attr_i64(x, "window-ns", b->window_ns);
	put_dbl_attr(x, "far", b->far);
	put_dbl_attr(x, "alpha", b->alpha);
	put_attr(x, "partial", b->partial ? "1" : "0");
	snprintf(buf, sizeof(buf), "sha256:%s", digest);
	put_attr(x, "checksum", buf);
	sv_time_format(sv_time_now(), buf);
	put_attr(x, "created", buf);
	put_attr(x, "salvage-version", SV_VERSION);
	sv_xw_start(x, "training");
	for (i = 0; i < b->n_bundles; i++) {
		sv_xw_start(x, "bundle");
		put_attr(x, "sha256", b->bundles[i].sha256);
		put_str_attr(x, "name",
			     b->bundles[i].name ? b->bundles[i].name : "");
		sv_xw_end(x);
	}
	sv_xw_end(x);
	for (i = 0; i < b->n_wl; i++)
		write_workload(x, b, b->wl[i]);
	sv_xw_end(x);
}

static int all_finite(const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

/* 1 when every statistic can be written and read back (finite). */
static int baseline_finite(const struct sv_baseline *b)
{
	const struct sv_bl_workload *w;
	const struct sv_mdl_gauss_stats *s;
	size_t i;
	int k;

	if (!isfinite(b->far) || !isfinite(b->alpha))
		return 0;
	for (i = 0; i < b->n_wl; i++) {
		w = b->wl[i];
		for (k = 0; k < 2; k++) {
			s = k ? &w->life : &w->win;
			if (s->d > SV_MDL_GAUSS_DMAX ||
			    !all_finite(s->mean, s->d) ||
			    !all_finite(s->m2, s->d * s->d) ||
			    !all_finite(s->t3, s->d) || !isfinite(s->q4))
				return 0;
		}
		if (!all_finite(w->calib_win, w->n_calib_win * SV_FN_COUNT) ||
		    !all_finite(w->calib_life, w->n_calib_life * SV_FN_COUNT))
			return 0;
	}
	return 1;
}

/* dir and base name of path, for sv_outfile. */
static int split_path(const char *path, char *dir, size_t n,
		      const char **base)
{
	const char *slash = strrchr(path, '/');

	*base = slash ? slash + 1 : path;
	if (!**base)
		return -1;
	if (!slash)
		return snprintf(dir, n, ".") >= (int)n ? -1 : 0;
	if (slash == path)
		return snprintf(dir, n, "/") >= (int)n ? -1 : 0;
	return snprintf(dir, n, "%.*s", (int)(slash - path), path) >= (int)n
		       ? -1 : 0;
}

enum sv_status sv_modelfile_write(const struct sv_baseline *b,
				  const char *path, struct sv_error *err)
{
	struct sv_outfile out;
	struct sv_xw x;
	char dir[PATH_MAX], digest[65];
	const char *base;

	if (!b || !path)
		return sv_error_set(err, SV_ERR_USAGE, path, "no model");
	if (!baseline_finite(b))
		return sv_error_set(err, SV_ERR_CORRUPT, path,
				    "the baseline holds a statistic that is "
				    "not a finite number: not written");
	if (sv_baseline_digest(b, digest) != SV_OK)
		return sv_error_set(err, SV_ERR_NOMEM, path,
				    "cannot compute the model's checksum");
	if (split_path(path, dir, sizeof(dir), &base))
		return sv_error_set(err, SV_ERR_IO, path, "bad output path");
	SV_FORWARD(sv_outfile_open(&out, dir, base, err));
	if (sv_xw_open(&x, out.fp, 0)) {
		sv_outfile_abort(&out);
		return sv_error_set(err, SV_ERR_NOMEM, path,
				    "cannot start the XML writer");
	}
	write_doc(&x, b, digest);
	if (sv_xw_close(&x)) {
		sv_outfile_abort(&out);
		return sv_error_set(err, SV_ERR_IO, path,
				    "writing the model failed");
	}
	SV_FORWARD(sv_outfile_commit(&out, err));
	return SV_OK;
}
