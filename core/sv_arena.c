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
#include <sys/mman.h>

#define CHUNK_DEFAULT (64u * 1024u)
#define CHUNK_BIG_MAX (8u << 20)  /* chunks grow with use up to this */
#define BIG_MIN (1u << 20)        /* sv_big_calloc: mmap from here */
#define HUGE_PAGE (2u << 20)
#define ALIGNMENT 16u

struct chunk {
	struct chunk *next;
	size_t size;
	size_t alloc_bytes; /* what sv_big_calloc gave, header included */
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
		sv_big_free(c, c->alloc_bytes);
	}
	free(a);
}

void *sv_big_calloc(size_t bytes)
{
	void *p;

	if (bytes < BIG_MIN)
		return calloc(1, bytes ? bytes : 1);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	if (bytes >= HUGE_PAGE)
		(void)madvise(p, bytes, MADV_HUGEPAGE); /* a hint only */
#endif
	return p;
}

void sv_big_free(void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes < BIG_MIN)
		free(p);
	else
		munmap(p, bytes);
}

/*
 * Chunks grow with the arena (an eighth of what it holds, up to 8 MiB),
 * so a million small records take a few hundred big chunks, not tens of
 * thousands of small ones.
 */
static struct chunk *chunk_new(const struct sv_arena *a, size_t min)
{
	size_t size = CHUNK_DEFAULT, bytes;
	struct chunk *c;

	if (a->used / 8 > size)
		size = a->used / 8 < CHUNK_BIG_MAX ? (size_t)(a->used / 8)
						   : CHUNK_BIG_MAX;
	if (min > size)
		size = min;
	if (size > SIZE_MAX - sizeof(*c) - HUGE_PAGE)
		return NULL;
	bytes = sizeof(*c) + size;
	if (bytes >= BIG_MIN) /* whole huge pages: no partial one wasted */
		bytes = (bytes + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
	/* zeroed from the kernel, so fresh memory is never cleared twice
	 * (see sv_arena_alloc) */
	c = sv_big_calloc(bytes);
	if (!c)
		return NULL;
	c->alloc_bytes = bytes;
	c->size = bytes - sizeof(*c);
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
		c = chunk_new(a, need);
		if (!c)
			return fail(a);
		/* A chunk this request fills goes behind head, so head keeps
		 * its room for the small ones. */
		if (a->head && c->size - need < CHUNK_DEFAULT / 4) {
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
		sv_big_free(c, c->alloc_bytes);
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
