/*
 * sv_tab.h - a growable array of fixed-size entries chained from hash
 * buckets: the index the analyzer's modules (attribution, containers,
 * processes) keep their bounded tables in.
 *
 * Each entry starts with a struct sv_tab_link. Entries are addressed by
 * index (stable while the table lives; the array may move on growth);
 * chains hold index + 1 so that 0 ends them. At most max entries are ever
 * added: sv_tab_add says when the cap is reached instead of growing.
 *
 * Ownership: the table owns its two malloc'd arrays; sv_tab_free releases
 * them and leaves the table empty and usable.
 */
#ifndef SV_TAB_H
#define SV_TAB_H

#include <stddef.h>
#include <stdint.h>

#define SV_TAB_MAX 0xfffffff0u

struct sv_tab_link {
	uint32_t hash;
	uint32_t next;   /* index + 1 of the next entry; 0 ends the chain */
};

struct sv_tab {
	unsigned char *v;
	size_t stride, n, cap, max;
	uint32_t *head;  /* nb buckets, index + 1 */
	size_t nb;
};

/* An empty table of entries of stride bytes, at most max of them. */
void sv_tab_init(struct sv_tab *t, size_t stride, uint64_t max);
/* Frees the arrays; the table is empty and usable again. */
void sv_tab_free(struct sv_tab *t);
/* A zeroed entry chained under hash: 0 and *idx; 1 at the table's cap;
 * -1 out of memory. */
int sv_tab_add(struct sv_tab *t, uint64_t hash, uint32_t *idx);

static inline void *sv_tab_at(const struct sv_tab *t, uint32_t i)
{
	return t->v + (size_t)i * t->stride;
}

/* Index + 1 of the newest entry in hash's bucket, or 0. */
static inline uint32_t sv_tab_first(const struct sv_tab *t, uint32_t hash)
{
	return t->nb ? t->head[hash & (t->nb - 1)] : 0;
}

/* Index + 1 of the entry after i1 - 1 in its chain, or 0. */
static inline uint32_t sv_tab_next(const struct sv_tab *t, uint32_t i1)
{
	return ((const struct sv_tab_link *)sv_tab_at(t, i1 - 1))->next;
}

/* A 64-bit finaliser (murmur3's fmix64). */
static inline uint64_t sv_mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

/* Seeded hash of two numbers. */
static inline uint64_t sv_hash2(uint64_t seed, uint64_t a, uint64_t b)
{
	return sv_mix64(sv_mix64(seed ^ a) ^ b);
}

/* Seeded hash of n bytes. */
uint64_t sv_hash_bytes(uint64_t seed, const void *p, size_t n);

#endif
