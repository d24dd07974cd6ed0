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

struct slot {
	const char *path;
	uint64_t hash;
	uint8_t expected[SV_SHA256_LEN];
	unsigned listed : 1;
	unsigned member : 1;
};

struct sv_custody {
	struct sv_arena *arena;
	struct slot *slots;
	uint64_t cap;   /* power of two */
	uint64_t used;
	uint64_t listed;
	struct dup { const char *path; struct dup *next; } *dups;
	struct sv_custody_result *res; /* during verify */
};

void sv_custody_free(struct sv_custody *c)
{
	if (c) {
		free(c->slots);
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
	return h;
}

struct sv_custody *sv_custody_new(struct sv_arena *arena)
{
	struct sv_custody *c = sv_arena_alloc(arena, sizeof(*c));

	if (!c)
		return NULL;
	c->arena = arena;
	c->cap = 1024;
	c->slots = calloc(c->cap, sizeof(struct slot));
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
				  ? calloc(ncap, sizeof(*ns)) : NULL;

	if (!ns)
		return -1;
	for (i = 0; i < c->cap; i++)
		if (c->slots[i].path)
			*probe_slot(ns, ncap, c->slots[i].path,
				    c->slots[i].hash) = c->slots[i];
	free(c->slots);
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
	struct slot *s = find_or_add(c, path, 1);

	if (!s)
		return sv_error_set(err, SV_ERR_NOMEM, "SHA256SUMS",
				    "out of memory");
	c->listed++;
	if (s->listed)
		return sv_error_set(err, SV_WARN, "SHA256SUMS",
				    "'%.200s' is listed twice", path);
	s->listed = 1;
	memcpy(s->expected, digest, SV_SHA256_LEN);
	return SV_OK;
}

enum sv_status sv_custody_member(struct sv_custody *c, const char *path,
				 struct sv_error *err)
{
	struct slot *s = find_or_add(c, path, 0);

	if (!s)
		return sv_error_set(err, SV_ERR_NOMEM, path, "out of memory");
	if (s->member) {
		struct dup *d = sv_arena_alloc(c->arena, sizeof(*d));

		if (!d)
			return sv_error_set(err, SV_ERR_NOMEM, path,
					    "out of memory");
		d->path = s->path;
		d->next = c->dups;
		c->dups = d;
		return sv_error_set(err, SV_WARN, path,
				    "the archive holds this path twice");
	}
	s->member = 1;
	return SV_OK;
}

static int add_issue(struct sv_custody *c, enum sv_custody_issue_kind k,
		     const char *path, const uint8_t *expected,
		     const uint8_t *actual)
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
	if (expected)
		memcpy(is->expected, expected, SV_SHA256_LEN);
	if (actual)
		memcpy(is->actual, actual, SV_SHA256_LEN);
	is->next = r->issues;
	r->issues = is;
	return 0;
}

static int check_member(struct sv_custody *c, const struct sv_bundle_file *f)
{
	struct slot *s = probe_slot(c->slots, c->cap, f->path,
				    hash_path(f->path));

	if (!strcmp(f->path, "SHA256SUMS"))
		return 0;
	if (!s->path || !s->listed)
		return add_issue(c, SV_CUSTODY_NOT_COVERED, f->path, NULL,
				 f->hashed ? f->digest : NULL);
	if (!f->hashed)
		return add_issue(c, SV_CUSTODY_UNHASHED, f->path,
				 s->expected, NULL);
	if (memcmp(s->expected, f->digest, SV_SHA256_LEN) != 0)
		return add_issue(c, SV_CUSTODY_MISMATCH, f->path, s->expected,
				 f->digest);
	c->res->verified++;
	return 0;
}

static int check_missing(struct sv_custody *c)
{
	uint64_t i;

	for (i = 0; i < c->cap; i++) {
		struct slot *s = &c->slots[i];

		if (s->path && s->listed && !s->member &&
		    add_issue(c, SV_CUSTODY_MISSING, s->path, s->expected,
			      NULL))
			return -1;
	}
	return 0;
}

/* Issues were pushed newest first; give them back in reading order. */
static void reverse_issues(struct sv_custody_result *r)
{
	struct sv_custody_issue *prev = NULL, *cur = r->issues, *next;

	for (; cur; cur = next) {
		next = cur->next;
		cur->next = prev;
		prev = cur;
	}
	r->issues = prev;
}

enum sv_status sv_custody_verify(struct sv_custody *c,
				 const struct sv_bundle_file *files,
				 int had_sums, int complete,
				 struct sv_custody_result *out,
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
	for (const struct dup *d = c->dups; d; d = d->next)
		if (add_issue(c, SV_CUSTODY_DUPLICATE, d->path, NULL, NULL))
			return sv_error_set(err, SV_ERR_NOMEM, "SHA256SUMS",
					    "out of memory");
	for (; files; files = files->next)
		if (check_member(c, files))
			return sv_error_set(err, SV_ERR_NOMEM, "SHA256SUMS",
					    "out of memory");
	if (complete && check_missing(c))
		return sv_error_set(err, SV_ERR_NOMEM, "SHA256SUMS",
				    "out of memory");
	reverse_issues(out);
	for (k = 0; k <= SV_CUSTODY_DUPLICATE; k++)
		problems += out->counts[k];
	if (!complete)
		out->status = SV_CUSTODY_INCOMPLETE;
	else
		out->status = problems ? SV_CUSTODY_FAILED : SV_CUSTODY_VERIFIED;
	return SV_OK;
}
