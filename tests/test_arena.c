/*
 * test_arena.c - core/sv_arena: alignment, zeroing, the byte cap, overflow
 * checks, fault injection, reset and string copies.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sv_arena.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int aligned16(const void *p)
{
	return ((uintptr_t)p & 15u) == 0;
}

static int all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static const size_t sizes[] = {1,    2,     3,     7,     8,     15,
			       16,   17,    31,    100,   1000,  4095,
			       4096, 16383, 16384, 16385, 65535, 65536,
			       65537, 200000, 1,   0,     33,    1 << 20};

/* Every block is 16-byte aligned, zeroed, and usable to its end. */
START_TEST(alloc_aligned_zeroed)
{
	struct sv_arena *a = sv_arena_new(0);
	size_t i;

	ck_assert_ptr_nonnull(a);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *p = sv_arena_alloc(a, sizes[i]);

		ck_assert_ptr_nonnull(p);
		ck_assert_msg(aligned16(p), "alloc(%zu) = %p not 16-aligned",
			      sizes[i], (void *)p);
		ck_assert(all_zero(p, sizes[i]));
		memset(p, 0xa5, sizes[i] ? sizes[i] : 1);
	}
	ck_assert(!sv_arena_failed(a));
	sv_arena_free(a);
}
END_TEST

/* Blocks never overlap: fill each with its own byte and check them all. */
START_TEST(alloc_no_overlap)
{
	struct sv_arena *a = sv_arena_new(0);
	unsigned char *blocks[2000];
	size_t len[2000], i;
	uint32_t seed = 12345;

	for (i = 0; i < 2000; i++) {
		seed = seed * 1103515245u + 12345u;
		len[i] = 1 + (seed >> 8) % (i % 97 == 0 ? 40000 : 300);
		blocks[i] = sv_arena_alloc(a, len[i]);
		ck_assert_ptr_nonnull(blocks[i]);
		memset(blocks[i], (int)(i & 0xff), len[i]);
	}
	for (i = 0; i < 2000; i++) {
		unsigned char want[40000];

		memset(want, (int)(i & 0xff), len[i]);
		ck_assert_msg(memcmp(blocks[i], want, len[i]) == 0,
			      "block %zu was overwritten", i);
	}
	ck_assert_uint_ge(sv_arena_used(a), 2000);
	sv_arena_free(a);
}
END_TEST

START_TEST(cap_refuses_then_flags)
{
	struct sv_arena *a = sv_arena_new(1024);

	ck_assert(!sv_arena_failed(a));
	ck_assert_ptr_nonnull(sv_arena_alloc(a, 1000));
	ck_assert_uint_eq(sv_arena_used(a), 1008); /* rounded to 16 */
	ck_assert_ptr_null(sv_arena_alloc(a, 100));
	ck_assert(sv_arena_failed(a));
	/* what still fits is still given */
	ck_assert_ptr_nonnull(sv_arena_alloc(a, 16));
	ck_assert_uint_eq(sv_arena_used(a), 1024);
	ck_assert_ptr_null(sv_arena_alloc(a, 1));
	/* the failure stays visible */
	ck_assert(sv_arena_failed(a));
	sv_arena_free(a);
}
END_TEST

START_TEST(cap_exact_and_over)
{
	struct sv_arena *a = sv_arena_new(4096);
	struct sv_arena *b = sv_arena_new(4096);

	ck_assert_ptr_nonnull(sv_arena_alloc(a, 4096));
	ck_assert(!sv_arena_failed(a));
	ck_assert_ptr_null(sv_arena_alloc(b, 4097));
	ck_assert(sv_arena_failed(b));
	ck_assert_uint_eq(sv_arena_used(b), 0);
	sv_arena_free(a);
	sv_arena_free(b);
}
END_TEST

struct overflow_case {
	uint64_t cap;
	size_t n, size; /* size 0: plain alloc(n) */
};

static const struct overflow_case overflow_cases[] = {
	{0, SIZE_MAX, 0},
	{0, SIZE_MAX - 15, 0},
	{0, SIZE_MAX - 20, 0},
	{1 << 20, SIZE_MAX, 0},
	{0, SIZE_MAX / 2 + 1, 2},
	{0, SIZE_MAX, SIZE_MAX},
	{0, (SIZE_MAX >> 4) + 1, 16},
	{0, 2, SIZE_MAX / 2 + 1},
	{1 << 20, 1 << 16, 1 << 16},
};

/* Size overflows fail cleanly, never wrap into a small block. */
START_TEST(overflow_fails)
{
	const struct overflow_case *t = &overflow_cases[_i];
	struct sv_arena *a = sv_arena_new(t->cap);
	void *p = t->size ? sv_arena_calloc(a, t->n, t->size)
			  : sv_arena_alloc(a, t->n);

	ck_assert_ptr_null(p);
	ck_assert(sv_arena_failed(a));
	ck_assert_uint_eq(sv_arena_used(a), 0);
	/* the arena still works for sane sizes */
	ck_assert_ptr_nonnull(sv_arena_alloc(a, 64));
	sv_arena_free(a);
}
END_TEST

START_TEST(calloc_ok)
{
	struct sv_arena *a = sv_arena_new(0);
	uint64_t *v = sv_arena_calloc(a, 1000, sizeof(uint64_t));
	size_t i;

	ck_assert_ptr_nonnull(v);
	ck_assert(aligned16(v));
	for (i = 0; i < 1000; i++)
		ck_assert_uint_eq(v[i], 0);
	ck_assert_ptr_nonnull(sv_arena_calloc(a, 0, 8));
	ck_assert_ptr_nonnull(sv_arena_calloc(a, 8, 0));
	ck_assert(!sv_arena_failed(a));
	sv_arena_free(a);
}
END_TEST

struct inject_case {
	uint64_t n;       /* fail_after(n) */
	int first_fail;   /* 1-based call that fails first; 0 = none */
};

static const struct inject_case inject_cases[] = {
	{0, 0}, {1, 1}, {2, 2}, {3, 3}, {7, 7},
};

/* The n-th allocation from now fails, and every one after it. */
START_TEST(fail_after)
{
	const struct inject_case *t = &inject_cases[_i];
	struct sv_arena *a = sv_arena_new(0);
	int call;

	sv_arena_fail_after(a, t->n);
	for (call = 1; call <= 10; call++) {
		void *p = call % 3 == 0 ? (void *)sv_arena_strdup(a, "abc")
		        : call % 3 == 1 ? sv_arena_alloc(a, 10)
					: sv_arena_calloc(a, 2, 5);
		int should_fail = t->first_fail && call >= t->first_fail;

		ck_assert_msg((p == NULL) == should_fail,
			      "fail_after(%llu): call %d %s",
			      (unsigned long long)t->n, call,
			      p ? "succeeded" : "failed");
	}
	ck_assert_int_eq(sv_arena_failed(a), t->first_fail != 0);
	/* 0 turns injection off */
	sv_arena_fail_after(a, 0);
	ck_assert_ptr_nonnull(sv_arena_alloc(a, 10));
	sv_arena_free(a);
}
END_TEST

START_TEST(reset_reuses)
{
	struct sv_arena *a = sv_arena_new(100000);
	int round;

	for (round = 0; round < 50; round++) {
		unsigned char *small = sv_arena_alloc(a, 1000);
		unsigned char *big = sv_arena_alloc(a, 60000);

		ck_assert_msg(small && big, "round %d", round);
		ck_assert(all_zero(small, 1000));
		ck_assert(all_zero(big, 60000));
		ck_assert(aligned16(small) && aligned16(big));
		memset(small, 1, 1000);
		memset(big, 2, 60000);
		ck_assert_uint_ge(sv_arena_used(a), 61000);
		sv_arena_reset(a);
		ck_assert_uint_eq(sv_arena_used(a), 0);
	}
	ck_assert(!sv_arena_failed(a));
	sv_arena_free(a);
}
END_TEST

START_TEST(strings)
{
	struct sv_arena *a = sv_arena_new(0);
	char *s = sv_arena_strdup(a, "hello");
	char *t = sv_arena_strndup(a, "hello", 3);
	char *e = sv_arena_strdup(a, "");
	char *z = sv_arena_strndup(a, "ab\0cd", 5);

	ck_assert_str_eq(s, "hello");
	ck_assert_str_eq(t, "hel");
	ck_assert_str_eq(e, "");
	ck_assert_mem_eq(z, "ab\0cd", 6);
	ck_assert_ptr_ne(s, t);
	ck_assert_ptr_null(sv_arena_strndup(a, "x", SIZE_MAX));
	sv_arena_free(a);
}
END_TEST

START_TEST(null_safe)
{
	sv_arena_free(NULL);
	sv_arena_reset(NULL);
	sv_arena_fail_after(NULL, 3);
	ck_assert_ptr_null(sv_arena_alloc(NULL, 8));
	ck_assert_ptr_null(sv_arena_calloc(NULL, 8, 8));
	ck_assert_ptr_null(sv_arena_calloc(NULL, SIZE_MAX, 8));
	ck_assert_uint_eq(sv_arena_used(NULL), 0);
	ck_assert(sv_arena_failed(NULL));
}
END_TEST

static Suite *arena_suite(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("arena");

	tcase_add_test(tc, alloc_aligned_zeroed);
	tcase_add_test(tc, alloc_no_overlap);
	tcase_add_test(tc, cap_refuses_then_flags);
	tcase_add_test(tc, cap_exact_and_over);
	tcase_add_loop_test(tc, overflow_fails, 0, N(overflow_cases));
	tcase_add_test(tc, calloc_ok);
	tcase_add_loop_test(tc, fail_after, 0, N(inject_cases));
	tcase_add_test(tc, reset_reuses);
	tcase_add_test(tc, strings);
	tcase_add_test(tc, null_safe);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(arena_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
