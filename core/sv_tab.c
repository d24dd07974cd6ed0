/*
 * sv_tab.c - the chained, capped entry table of sv_tab.h.
 */
#include "sv_tab.h"

#include <stdlib.h>
#include <string.h>

void sv_tab_init(struct sv_tab *t, size_t stride, uint64_t max)
{
	memset(t, 0, sizeof(*t));
	t->stride = stride;
	t->max = max < SV_TAB_MAX ? (size_t)max : SV_TAB_MAX;
}

void sv_tab_free(struct sv_tab *t)
{
	free(t->v);
	free(t->head);
	sv_tab_init(t, t->stride, t->max);
}

static void tab_link(struct sv_tab *t, uint32_t i)
{
	struct sv_tab_link *l = sv_tab_at(t, i);
	size_t b = l->hash & (t->nb - 1);

	l->next = t->head[b];
	t->head[b] = i + 1;
}

/* Room for one more entry: 0, 1 at the cap, -1 out of memory. */
static int tab_reserve(struct sv_tab *t)
{
	size_t ncap, nb, i;
	unsigned char *v;
	uint32_t *h;

	if (t->n < t->cap)
		return 0;
	if (t->n >= t->max)
		return 1;
	ncap = t->cap ? t->cap * 2 : 64;
	if (ncap > t->max)
		ncap = t->max;
	for (nb = 64; nb < ncap; nb *= 2)
		;
	v = realloc(t->v, ncap * t->stride);
	if (!v)
		return -1;
	t->v = v;
	t->cap = ncap;
	if (nb == t->nb)
		return 0;
	h = calloc(nb, sizeof(*h));
	if (!h)
		return -1;
	free(t->head);
	t->head = h;
	t->nb = nb;
	for (i = 0; i < t->n; i++)
		tab_link(t, (uint32_t)i);
	return 0;
}

int sv_tab_add(struct sv_tab *t, uint64_t hash, uint32_t *idx)
{
	int rc = tab_reserve(t);
	struct sv_tab_link *l;

	if (rc)
		return rc;
	*idx = (uint32_t)t->n++;
	l = sv_tab_at(t, *idx);
	memset(l, 0, t->stride);
	l->hash = (uint32_t)hash;
	tab_link(t, *idx);
	return 0;
}

uint64_t sv_hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t w;

	for (; n >= 8; n -= 8, b += 8) {
		memcpy(&w, b, 8);
		h = sv_mix64(h ^ w);
	}
	w = 0;
	memcpy(&w, b, n);
	return sv_mix64(h ^ w ^ ((uint64_t)n << 56));
}
