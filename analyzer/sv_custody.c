/*
 * sv_custody.c - an open-addressing table of bundle paths.
 *
 * Each slot records what SHA256SUMS expects for a path and whether the
 * archive held it, so one pass over the members and one over the table
 * find mismatches, unlisted files, missing files and duplicates.
 */
#include "sv_custody.h"

#include <stdlib.h>
#include <string.h>

/* 32 bytes: the table is touched at random, so small slots matter. */
struct slot {
	const char *path;
	uint64_t hash;
	const uint8_t *expected;             /* from SHA256SUMS, or NULL */
	const struct sv_bundle_file *member; /* first copy read, or NULL */
};

struct sv_custody {
	struct sv_arena *arena;
	struct slot *slots;
	uint64_t cap;   /* power of two */
	uint64_t used;
	uint64_t listed;
	struct dup {
		const struct sv_bundle_file *file;
		struct dup *next;
	} *dups;
	struct sv_custody_result *res; /* during verify */
};

void sv_custody_free(struct sv_custody *c)
{
	if (c) {
		sv_big_free(c->slots, c->cap * sizeof(struct slot));
		c->slots = NULL;
	}
}

const char *sv_custody_status_name(enum sv_custody_status s)
{
	static const char *const n[] = {"absent", "verified", "failed",
					"incomplete"};

	return (unsigned)s < 4 ? n[s] : "unknown";
}

const char *sv_custody_issue_name(enum sv_custody_issue_kind k)
{
	static const char *const n[] = {"mismatch", "not-covered", "missing",
					"unhashed", "duplicate"};

	return (unsigned)k < 5 ? n[k] : "unknown";
}

/* FNV-1a: paths are short; the table only needs a fair spread. */
static uint64_t hash_path(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	/* FNV's low bits only see the low bits of each byte, and the table
	 * is indexed by the low bits: mix the high ones down (murmur3's
	 * finaliser), or paths that differ in digits cluster. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

struct sv_custody *sv_custody_new(struct sv_arena *arena)
{
	struct sv_custody *c = sv_arena_alloc(arena, sizeof(*c));

	if (!c)
		return NULL;
	c->arena = arena;
	c->cap = 1024;
	c->slots = sv_big_calloc(c->cap * sizeof(struct slot));
	return c->slots ? c : NULL;
}

static struct slot *probe_slot(struct slot *slots, uint64_t cap,
			       const char *path, uint64_t h)
{
	uint64_t i = h & (cap - 1);

	while (slots[i].path &&
	       (slots[i].hash != h || strcmp(slots[i].path, path) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int grow(struct sv_custody *c)
{
	uint64_t ncap = c->cap * 2, i;
	/* Outside the arena: a million-member table grows through several
	 * sizes, and calloc'd pages need no clearing. */
	struct slot *ns = ncap <= SIZE_MAX / sizeof(*ns)
				  ? sv_big_calloc(ncap * sizeof(*ns)) : NULL;

	if (!ns)
		return -1;
	for (i = 0; i < c->cap; i++)
		if (c->slots[i].path)
			*probe_slot(ns, ncap, c->slots[i].path,
				    c->slots[i].hash) = c->slots[i];
	sv_big_free(c->slots, c->cap * sizeof(*ns));
	c->slots = ns;
	c->cap = ncap;
	return 0;
}

/* copy: path is borrowed and must be copied into the arena. */
static struct slot *find_or_add(struct sv_custody *c, const char *path,
				int copy)
{
	uint64_t h = hash_path(path);
	struct slot *s;

	if ((c->used + 1) * 4 > c->cap * 3 && grow(c))
		return NULL;
	s = probe_slot(c->slots, c->cap, path, h);
	if (!s->path) {
		s->path = copy ? sv_arena_strdup(c->arena, path) : path;
		if (!s->path)
			return NULL;
		s->hash = h;
		c->used++;
	}
	return s;
}

enum sv_status sv_custody_expect(struct sv_custody *c, const char *path,
				 const uint8_t digest[SV_SHA256_LEN],
				 struct sv_error *err)
{
	uint8_t *copy;
	struct slot *s = find_or_add(c, path, 1);

	if (!s)
		return sv_error_set(err, SV_ERR_NOMEM, "SHA256SUMS",
				    "out of memory");
	c->listed++;
	if (s->expected)
		return sv_error_set(err, SV_WARN, "SHA256SUMS",
				    "'%.200s' is listed twice", path);
	copy = sv_arena_alloc(c->arena, SV_SHA256_LEN);
	if (!copy)
		return sv_error_set(err, SV_ERR_NOMEM, "SHA256SUMS",
				    "out of memory");
	memcpy(copy, digest, SV_SHA256_LEN);
	s->expected = copy;
	return SV_OK;
}

enum sv_status sv_custody_member(struct sv_custody *c,
				 const struct sv_bundle_file *f,
				 struct sv_error *err)
{
	struct slot *s = find_or_add(c, f->path, 0);

	if (!s)
		return sv_error_set(err, SV_ERR_NOMEM, f->path,
				    "out of memory");
	if (s->member) {
		struct dup *d = sv_arena_alloc(c->arena, sizeof(*d));

		if (!d)
			return sv_error_set(err, SV_ERR_NOMEM, f->path,
					    "out of memory");
		d->file = f;
		d->next = c->dups;
		c->dups = d;
		return sv_error_set(err, SV_WARN, f->path,
				    "the archive holds this path twice");
	}
	s->member = f;
	return SV_OK;
}

static int add_issue(struct sv_custody *c, enum sv_custody_issue_kind k,
		     const char *path, uint64_t index,
		     const uint8_t *expected, const uint8_t *actual)
{
	struct sv_custody_result *r = c->res;
	struct sv_custody_issue *is;

	r->counts[k]++;
	if (r->issues_total++ >= SV_CUSTODY_ISSUES_LISTED)
		return 0;
	is = sv_arena_alloc(c->arena, sizeof(*is));
	if (!is)
		return -1;
	is->kind = k;
	is->path = path;
	is->index = index;
	if (expected)
		memcpy(is->expected, expected, SV_SHA256_LEN);
	if (actual)
		memcpy(is->actual, actual, SV_SHA256_LEN);
	is->next = r->issues;
	r->issues = is;
	return 0;
}

/* A member against what SHA256SUMS lists for its path (s may be NULL). */
static int check_copy(struct sv_custody *c, const struct slot *s,
		      const struct sv_bundle_file *f)
{
	if (!s || !s->expected)
		return add_issue(c, SV_CUSTODY_NOT_COVERED, f->path, f->index,
				 NULL, f->hashed ? f->digest : NULL);
	if (!f->hashed)
		return add_issue(c, SV_CUSTODY_UNHASHED, f->path, f->index,
				 s->expected, NULL);
	if (memcmp(s->expected, f->digest, SV_SHA256_LEN) != 0)
		return add_issue(c, SV_CUSTODY_MISMATCH, f->path, f->index,
				 s->expected, f->digest);
	c->res->verified++;
	return 0;
}

/*
 * One pass over the table, in memory order (a million random lookups
 * would cost more than the rest of the custody check).
 */
static int check_table(struct sv_custody *c, int complete)
{
	uint64_t i;

	for (i = 0; i < c->cap; i++) {
		const struct slot *s = &c->slots[i];

		if (!s->path)
			continue;
		if (s->member && strcmp(s->path, "SHA256SUMS") != 0 &&
		    check_copy(c, s, s->member))
			return -1;
		if (complete && s->expected && !s->member &&
		    add_issue(c, SV_CUSTODY_MISSING, s->path, UINT64_MAX,
			      s->expected, NULL))
			return -1;
	}
	return 0;
}

static int check_duplicates(struct sv_custody *c)
{
	const struct dup *d;

	for (d = c->dups; d; d = d->next) {
		const struct slot *s = probe_slot(c->slots, c->cap,
						  d->file->path,
						  hash_path(d->file->path));

		if (add_issue(c, SV_CUSTODY_DUPLICATE, d->file->path,
			      d->file->index, NULL, NULL) ||
		    check_copy(c, s->path ? s : NULL, d->file))
			return -1;
	}
	return 0;
}

static int issue_order(const void *x, const void *y)
{
	const struct sv_custody_issue *a = *(const struct sv_custody_issue *
						    const *)x;
	const struct sv_custody_issue *b = *(const struct sv_custody_issue *
						    const *)y;

	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->path, b->path);
}

/* Listed issues in reading order (missing files last, by path), so a
 * report does not depend on the table's layout. */
static int sort_issues(struct sv_custody *c)
{
	struct sv_custody_result *r = c->res;
	struct sv_custody_issue **v, *is;
	size_t n = 0, i;

	for (is = r->issues; is; is = is->next)
		n++;
	if (n < 2)
		return 0;
	v = sv_arena_calloc(c->arena, n, sizeof(*v));
	if (!v)
		return -1;
	for (is = r->issues, i = 0; is; is = is->next)
		v[i++] = is;
	qsort(v, n, sizeof(*v), issue_order);
	for (i = 0; i + 1 < n; i++)
		v[i]->next = v[i + 1];
	v[n - 1]->next = NULL;
	r->issues = v[0];
	return 0;
}

enum sv_status sv_custody_verify(struct sv_custody *c, int had_sums,
				 int complete, struct sv_custody_result *out,
				 struct sv_error *err)
{
	uint64_t k, problems = 0;

	memset(out, 0, sizeof(*out));
	c->res = out;
	out->listed = c->listed;
	if (!had_sums) {
		/* unread to the end, a SHA256SUMS may still have followed */
		out->status = complete ? SV_CUSTODY_ABSENT
				       : SV_CUSTODY_INCOMPLETE;
		return SV_OK;
	}
	if (check_duplicates(c) || check_table(c, complete) || sort_issues(c))
		return sv_error_set(err, SV_ERR_NOMEM, "SHA256SUMS",
				    "out of memory");
	for (k = 0; k <= SV_CUSTODY_DUPLICATE; k++)
		problems += out->counts[k];
	if (!complete)
		out->status = SV_CUSTODY_INCOMPLETE;
	else
		out->status = problems ? SV_CUSTODY_FAILED : SV_CUSTODY_VERIFIED;
	return SV_OK;
}
