/*
 * fuzz_modelfile.c - libFuzzer target for the model file reader
 * (analyzer/sv_modelfile.c, sv_modelfile_read_mem).
 *
 * Input: the bytes of a model file. Besides the sanitizers, aborts when
 * a result breaks the reader's contract (sv_modelfile.h):
 *   refused   a status that is not an error, an empty message, an error
 *             that does not name the input, or *out written;
 *   accepted  a baseline outside its own invariants (version, window,
 *             far, sorted distinct bundles and workloads, caps, d), not
 *             fitted though not partial, or one that does not survive
 *             a write and a read with the same digest.
 * The write goes to a file of this process in $TMPDIR (or /tmp),
 * removed after each input.
 *
 * Almost every mutation breaks the checksum, which is compared last;
 * so that the accepted path is explored too, an input refused only for
 * its checksum is read again with the checksum the reader computed
 * (taken from its message) put in place of the first one in the input.
 *
 * GSL's error handler is turned off, as salvage's main() does: its
 * default abort()s (fuzz/regressions/modelfile/not-positive-definite is
 * a model whose covariance GSL cannot factorise: "cannot fit").
 */
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sv_modelfile.h"

#define MODEL_MAX_INPUT (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int workload_ok(const struct sv_bl_workload *w)
{
	int f;

	for (f = 0; f < SV_FC_COUNT; f++)
		if (!w->cat[f] ||
		    sv_mdl_cat_size(w->cat[f]) > SV_BL_CAT_VALUES_MAX)
			return 0;
	return w->key && w->win.d == SV_FN_COUNT &&
	       w->life.d == SV_FN_COUNT &&
	       w->n_calib_win <= SV_BL_CALIB_MAX &&
	       w->n_calib_life <= SV_BL_CALIB_MAX;
}

static int baseline_ok(const struct sv_baseline *b)
{
	size_t i;

	if (b->version != SV_BL_VERSION ||
	    b->window_ns < SV_FEAT_WINDOW_MIN_NS ||
	    b->window_ns > SV_FEAT_WINDOW_MAX_NS || !(b->far > 0.0) ||
	    !(b->far < 1.0) || b->fitted == b->partial)
		return 0;
	for (i = 0; i < b->n_bundles; i++)
		if (strlen(b->bundles[i].sha256) != 64 ||
		    (i && strcmp(b->bundles[i - 1].sha256,
				 b->bundles[i].sha256) >= 0))
			return 0;
	for (i = 0; i < b->n_wl; i++)
		if (!workload_ok(b->wl[i]) ||
		    (i && strcmp(b->wl[i - 1]->key, b->wl[i]->key) >= 0))
			return 0;
	return 1;
}

/* Write b and read it back: the digest must not change. */
static void round_trip(const struct sv_baseline *b)
{
	const char *dir = getenv("TMPDIR");
	struct sv_baseline *c = NULL;
	struct sv_error err;
	char path[PATH_MAX], h1[65], h2[65];

	snprintf(path, sizeof(path), "%s/fuzz_modelfile.%ld.model",
		 dir && *dir ? dir : "/tmp", (long)getpid());
	if (sv_baseline_digest(b, h1) != SV_OK)
		abort();
	if (sv_modelfile_write(b, path, &err) != SV_OK)
		abort();
	if (sv_modelfile_read(path, &c, &err) != SV_OK)
		abort();
	unlink(path);
	if (sv_baseline_digest(c, h2) != SV_OK || strcmp(h1, h2))
		abort();
	sv_baseline_free(c);
}

/* 1 when a refusal broke the contract. */
static int bad_refusal(enum sv_status st, const struct sv_error *err,
		       const struct sv_baseline *b, const void *sentinel)
{
	return !sv_is_error(st) || err->code != st || !err->msg[0] ||
	       strcmp(err->artifact, "fuzz") ||
	       b != (const struct sv_baseline *)sentinel;
}

static void check_accepted(struct sv_baseline *b)
{
	if (!b || !baseline_ok(b))
		abort();
	round_trip(b);
	sv_baseline_free(b);
}

/* First n-byte match of key in data, or NULL (memmem is a GNU call). */
static const uint8_t *find(const uint8_t *data, size_t size, const char *key,
			   size_t n)
{
	size_t i;

	for (i = 0; n <= size && i <= size - n; i++)
		if (!memcmp(data + i, key, n))
			return data + i;
	return NULL;
}

/* The input again with the checksum the reader computed; NULL when the
 * refusal was not (only) the checksum. */
static char *with_computed_sum(const uint8_t *data, size_t size,
			       const struct sv_error *err)
{
	static const char key[] = "checksum=\"sha256:";
	static const char said[] = "does not match the content (sha256:";
	const char *got = strstr(err->msg, said);
	const uint8_t *at;
	char *copy;
	size_t off;

	if (!got || strlen(got) < sizeof(said) - 1 + 64)
		return NULL;
	at = find(data, size, key, sizeof(key) - 1);
	if (!at)
		return NULL;
	off = (size_t)(at - data) + sizeof(key) - 1;
	if (size - off < 64)
		return NULL;
	copy = malloc(size);
	if (!copy)
		return NULL;
	memcpy(copy, data, size);
	memcpy(copy + off, got + sizeof(said) - 1, 64);
	return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char sentinel;
	struct sv_baseline *b = (struct sv_baseline *)(void *)&sentinel;
	struct sv_error err;
	enum sv_status st;
	char *fixed;

	if (size > MODEL_MAX_INPUT)
		return 0;
	gsl_set_error_handler_off();
	sv_error_clear(&err);
	st = sv_modelfile_read_mem((const char *)data, size, "fuzz", &b, &err);
	if (st == SV_OK) {
		check_accepted(b);
		return 0;
	}
	if (bad_refusal(st, &err, b, &sentinel))
		abort();
	fixed = with_computed_sum(data, size, &err);
	if (!fixed)
		return 0;
	st = sv_modelfile_read_mem(fixed, size, "fuzz", &b, &err);
	if (st == SV_OK)
		check_accepted(b);
	else if (bad_refusal(st, &err, b, &sentinel))
		abort();
	free(fixed);
	return 0;
}
