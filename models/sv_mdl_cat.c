/*
 * sv_mdl_cat.c - categorical novelty (see sv_mdl_cat.h for the contract).
 *
 * The table is an array sorted by strcmp(): lookups are binary searches,
 * an insertion moves the tail (K is capped), a merge is one linear pass
 * over both tables, and iteration order is the serialisation order.
 */
#include "sv_mdl_cat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct sv_mdl_cat_ent {
	char *value;
	uint64_t count;
};

struct sv_mdl_cat {
	double alpha;
	size_t max_values;
	size_t len, cap;
	struct sv_mdl_cat_ent *ent;
	uint64_t total;
	uint64_t other;
};

enum sv_status sv_mdl_cat_new(double alpha, size_t max_values,
			      struct sv_mdl_cat **out)
{
	struct sv_mdl_cat *m;

	if (!out || !isfinite(alpha) || alpha <= 0.0 || max_values == 0 ||
	    max_values > SV_MDL_CAT_VALUES_MAX)
		return SV_ERR_USAGE;
	m = calloc(1, sizeof(*m));
	if (!m)
		return SV_ERR_NOMEM;
	m->alpha = alpha;
	m->max_values = max_values;
	*out = m;
	return SV_OK;
}

void sv_mdl_cat_free(struct sv_mdl_cat *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->len; i++)
		free(m->ent[i].value);
	free(m->ent);
	free(m);
}

/* Index of value, or of where it would be inserted; *found says which. */
static size_t cat_find(const struct sv_mdl_cat *m, const char *value,
		       int *found)
{
	size_t lo = 0, hi = m->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->ent[mid].value, value);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

static int cat_grow(struct sv_mdl_cat *m)
{
	size_t ncap;
	struct sv_mdl_cat_ent *n;

	if (m->len < m->cap)
		return 0;
	ncap = m->cap ? m->cap * 2 : 16;
	if (ncap > m->max_values)
		ncap = m->max_values;
	n = realloc(m->ent, ncap * sizeof(*n));
	if (!n)
		return -1;
	m->ent = n;
	m->cap = ncap;
	return 0;
}

static enum sv_status cat_insert(struct sv_mdl_cat *m, size_t at,
				 const char *value, size_t vlen,
				 uint64_t count)
{
	char *copy;

	if (cat_grow(m) != 0)
		return SV_ERR_NOMEM;
	copy = malloc(vlen + 1);
	if (!copy)
		return SV_ERR_NOMEM;
	memcpy(copy, value, vlen + 1);
	memmove(&m->ent[at + 1], &m->ent[at],
		(m->len - at) * sizeof(m->ent[0]));
	m->ent[at].value = copy;
	m->ent[at].count = count;
	m->len++;
	return SV_OK;
}

enum sv_status sv_mdl_cat_add(struct sv_mdl_cat *m, const char *value,
			      uint64_t count)
{
	size_t vlen, at;
	int found;
	enum sv_status st;

	if (!m || !value)
		return SV_ERR_USAGE;
	vlen = strnlen(value, SV_MDL_CAT_VALUE_MAX + 1);
	if (vlen > SV_MDL_CAT_VALUE_MAX)
		return SV_ERR_LIMIT;
	if (count == 0)
		return SV_OK;
	if (m->total > UINT64_MAX - count)
		return SV_ERR_LIMIT;
	at = cat_find(m, value, &found);
	if (found) {
		m->ent[at].count += count;
	} else if (m->len >= m->max_values) {
		m->other += count;
	} else {
		st = cat_insert(m, at, value, vlen, count);
		if (st != SV_OK)
			return st;
	}
	m->total += count;
	return SV_OK;
}

/* Drop the copies a failed merge made (those whose owner flag is set). */
static void cat_drop(struct sv_mdl_cat_ent *ent, const unsigned char *own,
		     size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (own[i])
			free(ent[i].value);
}

struct cat_merge {
	struct sv_mdl_cat_ent *ent;
	unsigned char *own;     /* 1 where ent[i].value is a new copy */
	size_t len;
	uint64_t other;
};

/* Take b's entry into the merged table, or into "other" past the cap. */
static int cat_take_new(struct cat_merge *r, const struct sv_mdl_cat_ent *b,
			size_t max_values)
{
	size_t vlen;

	if (r->len >= max_values) {
		r->other += b->count;
		return 0;
	}
	vlen = strlen(b->value);
	r->ent[r->len].value = malloc(vlen + 1);
	if (!r->ent[r->len].value)
		return -1;
	memcpy(r->ent[r->len].value, b->value, vlen + 1);
	r->ent[r->len].count = b->count;
	r->own[r->len++] = 1;
	return 0;
}

/* Linear merge of two sorted tables into r; no change to either input. */
static int cat_merge_tables(const struct sv_mdl_cat *a,
			    const struct sv_mdl_cat *b, struct cat_merge *r)
{
	size_t i = 0, j = 0;

	while (i < a->len || j < b->len) {
		int c;

		if (i == a->len)
			c = 1;
		else if (j == b->len)
			c = -1;
		else
			c = strcmp(a->ent[i].value, b->ent[j].value);
		if (c > 0) {
			if (cat_take_new(r, &b->ent[j++], a->max_values) != 0)
				return -1;
			continue;
		}
		r->ent[r->len] = a->ent[i++];
		r->own[r->len] = 0;
		if (c == 0)
			r->ent[r->len].count += b->ent[j++].count;
		r->len++;
	}
	return 0;
}

enum sv_status sv_mdl_cat_merge(struct sv_mdl_cat *into,
				const struct sv_mdl_cat *from)
{
	struct cat_merge r = { 0 };
	size_t n;

	if (!into || !from || into == from || into->alpha != from->alpha)
		return SV_ERR_USAGE;
	if (into->total > UINT64_MAX - from->total)
		return SV_ERR_LIMIT;
	if (from->len == 0) {
		into->other += from->other;
		into->total += from->total;
		return SV_OK;
	}
	n = into->len + from->len;
	r.ent = malloc(n * sizeof(*r.ent));
	r.own = malloc(n);
	if (!r.ent || !r.own || cat_merge_tables(into, from, &r) != 0) {
		if (r.ent && r.own)
			cat_drop(r.ent, r.own, r.len);
		free(r.ent);
		free(r.own);
		return SV_ERR_NOMEM;
	}
	free(r.own);
	free(into->ent);
	into->ent = r.ent;
	into->len = r.len;
	into->cap = n;
	into->other += from->other + r.other;
	into->total += from->total;
	return SV_OK;
}

uint64_t sv_mdl_cat_seen(const struct sv_mdl_cat *m, const char *value)
{
	size_t at;
	int found;

	if (!m || !value)
		return 0;
	at = cat_find(m, value, &found);
	return found ? m->ent[at].count : 0;
}

double sv_mdl_cat_surprisal(const struct sv_mdl_cat *m, const char *value)
{
	double c, denom;

	if (!m)
		return NAN;
	c = value ? (double)sv_mdl_cat_seen(m, value) : 0.0;
	if (c == 0.0)
		c = (double)m->other;
	denom = (double)m->total + m->alpha * ((double)m->len + 1.0);
	return -log2((c + m->alpha) / denom);
}

uint64_t sv_mdl_cat_total(const struct sv_mdl_cat *m)
{
	return m ? m->total : 0;
}

uint64_t sv_mdl_cat_other(const struct sv_mdl_cat *m)
{
	return m ? m->other : 0;
}

size_t sv_mdl_cat_size(const struct sv_mdl_cat *m)
{
	return m ? m->len : 0;
}

double sv_mdl_cat_alpha(const struct sv_mdl_cat *m)
{
	return m ? m->alpha : NAN;
}

enum sv_status sv_mdl_cat_entry(const struct sv_mdl_cat *m, size_t i,
				const char **value, uint64_t *count)
{
	if (!m || i >= m->len || !value || !count)
		return SV_ERR_USAGE;
	*value = m->ent[i].value;
	*count = m->ent[i].count;
	return SV_OK;
}
