/*
 * sv_arena.h - the per-bundle allocator.
 *
 * Everything parsed from one bundle is allocated here and released at once
 * with sv_arena_free(), like tcpdump's nd_free_all(). The arena has a hard
 * byte cap so a hostile bundle cannot exhaust the machine: an allocation
 * past the cap fails (NULL) and the caller reports SV_ERR_LIMIT.
 *
 * Ownership: the arena owns every block it returns; callers never free()
 * them. sv_arena_free(NULL) is a no-op.
 */
#ifndef SV_ARENA_H
#define SV_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct sv_arena;

/* cap_bytes = 0 means no cap. Returns NULL when out of memory. */
struct sv_arena *sv_arena_new(uint64_t cap_bytes);
void sv_arena_free(struct sv_arena *a);

/* Zeroed, 16-byte aligned memory, or NULL (out of memory or over cap). */
void *sv_arena_alloc(struct sv_arena *a, size_t n);
/* n*size with an overflow check. */
void *sv_arena_calloc(struct sv_arena *a, size_t n, size_t size);
char *sv_arena_strdup(struct sv_arena *a, const char *s);
char *sv_arena_strndup(struct sv_arena *a, const char *s, size_t n);

/* Forget every allocation but keep one chunk for reuse (scratch use). */
void sv_arena_reset(struct sv_arena *a);

/* Bytes handed out so far (what is kept, for memory accounting). */
uint64_t sv_arena_used(const struct sv_arena *a);
/* True once an allocation failed: the result is incomplete. */
int sv_arena_failed(const struct sv_arena *a);

/*
 * Fault injection for tests (curl's "torture"): the n-th allocation from
 * now fails, and every one after it. n = 0 turns injection off.
 */
void sv_arena_fail_after(struct sv_arena *a, uint64_t n);

/*
 * Zeroed memory for large tables, straight from the kernel (mmap) and,
 * from 2 MiB on, on transparent huge pages: a million-entry table is
 * touched at random and would otherwise spend its time in page faults
 * and TLB misses. Free with the same size. NULL when out of memory.
 */
void *sv_big_calloc(size_t bytes);
void sv_big_free(void *p, size_t bytes);

#endif
