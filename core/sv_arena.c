/*
 * sv_arena.c - a chunked bump allocator with a byte cap.
 *
 *   arena -> chunk -> chunk -> ...   (newest first)
 *            [hdr|used.....|free]
 *
 * Large requests get a chunk of their own so the common small ones keep
 * packing densely.
 */
#include "sv_arena.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_DEFAULT (64u * 1024u)
#define ALIGNMENT 16u

struct chunk {
	struct chunk *next;
	size_t size;
	size_t used;
	size_t dirty; /* bytes from the start ever handed out: past it, the
			 chunk is still as calloc() gave it (zero) */
	_Alignas(ALIGNMENT) unsigned char data[]; /* 16-aligned blocks */
};

struct sv_arena {
	struct chunk *head;
	uint64_t cap;
	uint64_t used;
	uint64_t fail_countdown; /* 0: off */
	int failed;
};

struct sv_arena *sv_arena_new(uint64_t cap_bytes)
{
	struct sv_arena *a = calloc(1, sizeof(*a));

	if (a)
		a->cap = cap_bytes;
	return a;
}

void sv_arena_free(struct sv_arena *a)
{
	struct chunk *c, *next;

	if (!a)
		return;
	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

static struct chunk *chunk_new(size_t min)
{
	size_t size = min > CHUNK_DEFAULT ? min : CHUNK_DEFAULT;
	struct chunk *c;

	if (size > SIZE_MAX - sizeof(*c))
		return NULL;
	/* calloc: large chunks come zeroed from the kernel, so fresh
	 * memory is never cleared twice (see sv_arena_alloc). */
	c = calloc(1, sizeof(*c) + size);
	if (!c)
		return NULL;
	c->size = size;
	return c;
}

static int injected_failure(struct sv_arena *a)
{
	if (a->fail_countdown == 0)
		return 0;
	if (a->fail_countdown == 1)
		return 1; /* stays at 1: every later call fails too */
	a->fail_countdown--;
	return 0;
}

static void *fail(struct sv_arena *a)
{
	a->failed = 1;
	return NULL;
}

void *sv_arena_alloc(struct sv_arena *a, size_t n)
{
	struct chunk *c;
	size_t need;
	void *p;

	if (!a || injected_failure(a))
		return a ? fail(a) : NULL;
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGNMENT)
		return fail(a);
	need = (n + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1);
	if (a->cap && (need > a->cap || a->used > a->cap - need))
		return fail(a);
	c = a->head;
	if (!c || c->size - c->used < need) {
		c = chunk_new(need);
		if (!c)
			return fail(a);
		/* A dedicated big chunk goes behind head so head keeps room. */
		if (need > CHUNK_DEFAULT / 4 && a->head) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = c->data + c->used;
	if (c->used < c->dirty) /* reused after a reset: clear what was used */
		memset(p, 0, c->dirty - c->used < n ? c->dirty - c->used : n);
	c->used += need;
	if (c->used > c->dirty)
		c->dirty = c->used;
	a->used += need;
	return p;
}

void *sv_arena_calloc(struct sv_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return a ? fail(a) : NULL;
	return sv_arena_alloc(a, n * size);
}

char *sv_arena_strndup(struct sv_arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return a ? fail(a) : NULL;
	p = sv_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *sv_arena_strdup(struct sv_arena *a, const char *s)
{
	return sv_arena_strndup(a, s, strlen(s));
}

void sv_arena_reset(struct sv_arena *a)
{
	struct chunk *c, *next, *keep = NULL;

	if (!a)
		return;
	for (c = a->head; c; c = next) {
		next = c->next;
		if (!keep && c->size == CHUNK_DEFAULT) {
			keep = c;
			continue;
		}
		free(c);
	}
	if (keep) {
		keep->used = 0;
		keep->next = NULL;
	}
	a->head = keep;
	a->used = 0;
}

uint64_t sv_arena_used(const struct sv_arena *a)
{
	return a ? a->used : 0;
}

int sv_arena_failed(const struct sv_arena *a)
{
	return a ? a->failed : 1;
}

void sv_arena_fail_after(struct sv_arena *a, uint64_t n)
{
	if (a)
		a->fail_countdown = n;
}
