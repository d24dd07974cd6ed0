/*
 * fuzz_bundle.c - libFuzzer target for the bundle reader (sv_bundle.c:
 * libarchive tar + zstd/gzip/xz, path checks, limits, hashing) and the
 * per-member half of the pipeline.
 *
 * The input is a stored bundle. Each member is classified by path, given
 * to the reader the registry chooses (through a bundle-backed source, so
 * readers see libarchive's block edges), and its SHA256SUMS lines go to
 * the custody table, as in analyzer/sv_pipeline.c parse_member(); there
 * is no pipeline-from-memory API, so that loop is repeated here in short.
 * Then sv_bundle_finish(), sv_custody_verify(), sv_bundle_close().
 *
 * Limits are small so one input stays fast (max_total 64 MiB, 10000
 * members, ratio checked past 1 MiB); hashing runs on this thread so runs
 * are deterministic. An input that holds any member is read a second time
 * with tiny limits (one of two sets, by the input's size parity), so the
 * limit paths (member count and size, total size, ratio, path length)
 * are reached without megabyte inputs; with the second set only one block
 * of each member is read and sv_bundle_next() must skip the rest.
 *
 * Contract checks on top of the sanitizers:
 *   - a member path is non-empty, relative, has no "." / ".." / empty
 *     component and fits max_path_len (sv_bundle.h);
 *   - a member's recorded size is the sum of the blocks handed out, and
 *     at most max_entry_bytes; all blocks together stay within
 *     max_total_bytes; members returned stay within max_entries;
 *   - errors and refusals carry a scrubbed message (fuzz_format.h).
 */
#include "fuzz_format.h"

#include "sv_bundle.h"
#include "sv_custody.h"
#include "sv_layout.h"
#include "sv_registry.h"

#define MAX_INPUT (4u << 20)
#define ARENA_CAP (256ULL << 20)

struct member_run {
	struct sv_custody *custody;
	const struct sv_bundle_limits *lim;
	uint64_t handed;  /* bytes of all members given to us */
	uint64_t members; /* entries returned */
	int had_sums;
	int skim;         /* read one block per member, leave the rest */
};

static void set_limits(struct sv_bundle_options *o, int tight)
{
	sv_bundle_options_default(o);
	o->hash_threaded = 0;
	if (!tight) {
		o->limits.max_total_bytes = 64ULL << 20;
		o->limits.max_entry_bytes = 16ULL << 20;
		o->limits.max_entries = 10000;
		o->limits.ratio_grace_bytes = 1ULL << 20;
		return;
	}
	/* Two sets, so that one limit does not always trip before another. */
	if (tight == 1) {
		o->limits.max_total_bytes = 6 << 10;
		o->limits.max_entry_bytes = 4000;
		o->limits.max_entries = 50;
		o->limits.max_ratio = 0;
		o->limits.max_path_len = 40;
	} else {
		o->limits.max_total_bytes = 1 << 20;
		o->limits.max_entry_bytes = 1000;
		o->limits.max_entries = 8;
		o->limits.max_ratio = 4;
		o->limits.ratio_grace_bytes = 2 << 10;
		o->limits.max_path_len = 64;
	}
}

static void check_path(const char *path, uint32_t max_len)
{
	size_t n = strlen(path), i = 0;
	struct sv_error e;

	sv_error_clear(&e);
	snprintf(e.artifact, sizeof(e.artifact), "%.200s", path);
	if (n == 0 || n > max_len || path[0] == '/')
		sv_fuzz_fail("member path empty, absolute or too long", &e);
	while (i <= n) {
		size_t j = i;

		while (j < n && path[j] != '/')
			j++;
		if (j == i || (j - i == 1 && path[i] == '.') ||
		    (j - i == 2 && path[i] == '.' && path[i + 1] == '.'))
			sv_fuzz_fail("member path not normalised", &e);
		i = j + 1;
	}
}

static enum sv_status on_record(void *ctx, const struct sv_record *rec,
				struct sv_error *err)
{
	struct member_run *r = ctx;
	enum sv_status rc;

	(void)sv_fuzz_record(NULL, rec, err);
	if (rec->type != SV_REC_CHECKSUM)
		return SV_OK;
	rc = sv_custody_expect(r->custody, rec->u.checksum.path,
			       rec->u.checksum.digest, err);
	if (rc == SV_WARN)
		sv_fuzz_check_error(err);
	return rc == SV_WARN ? SV_OK : rc;
}

/* Read what the reader left of the member, checking the size books. */
static enum sv_status drain(struct member_run *r, struct sv_source *src,
			    const struct sv_bundle_file *f,
			    struct sv_error *err)
{
	const uint8_t *p;
	size_t n;
	enum sv_status rc;

	while ((rc = sv_source_block(src, &p, &n, err)) == SV_OK)
		if (n)
			sv_fuzz_sink += p[n - 1];
	r->handed += src->offset;
	if (rc == SV_EOF && f->size != src->offset)
		sv_fuzz_fail("member size is not the sum of its blocks", err);
	if (f->size > r->lim->max_entry_bytes)
		sv_fuzz_fail("member passed max_entry_bytes", err);
	if (r->handed > r->lim->max_total_bytes)
		sv_fuzz_fail("members passed max_total_bytes", err);
	if (src->cut)
		sv_fuzz_check_error(&src->warning);
	return rc == SV_EOF ? SV_OK : rc;
}

/* One regular member: layout, reader, custody. Error: the bundle broke. */
static enum sv_status one_member(struct sv_bundle *b, struct member_run *r,
				 struct sv_arena *scratch,
				 const struct sv_entry *e,
				 struct sv_error *err)
{
	struct sv_emit emit = {r, on_record, sv_fuzz_problem};
	const struct sv_format_ops *ops;
	struct sv_layout lay;
	struct sv_source src;
	const uint8_t *head = NULL;
	size_t n = 0;
	enum sv_status rc;

	sv_layout_classify(e->path, &lay);
	rc = sv_custody_member(r->custody, e->file, err);
	if (sv_is_error(rc))
		return rc;
	if (r->skim) {
		/* next() must read and hash what we leave. */
		rc = sv_bundle_read_block(b, &head, &n, err);
		if (rc == SV_WARN)
			sv_fuzz_check_error(err);
		return rc == SV_WARN || rc == SV_EOF ? SV_OK : rc;
	}
	sv_source_init_bundle(&src, b, e->path);
	rc = sv_source_peek(&src, &head, &n, err);
	if (sv_is_error(rc))
		return rc;
	ops = sv_registry_choose(&lay, head, n);
	if (ops) {
		if (lay.kind == SV_ART_SHA256SUMS)
			r->had_sums = 1;
		sv_arena_reset(scratch);
		rc = ops->parse(&src, scratch, &emit, err);
		sv_fuzz_check_parse(rc, err);
		if (sv_is_error(rc) && sv_bundle_failed(b))
			return rc;
	}
	return drain(r, &src, e->file, err);
}

static int walk(struct sv_bundle *b, struct member_run *r,
		struct sv_arena *scratch)
{
	struct sv_entry e;
	struct sv_error err;
	enum sv_status rc;

	for (;;) {
		sv_error_clear(&err);
		rc = sv_bundle_next(b, &e, &err);
		if (rc == SV_EOF)
			return 1;
		if (rc == SV_WARN) {
			sv_fuzz_check_error(&err);
			continue;
		}
		if (rc == SV_OK) {
			if (++r->members > r->lim->max_entries)
				sv_fuzz_fail("more members than max_entries",
					     &err);
			check_path(e.path, r->lim->max_path_len);
			if (e.type == SV_ENTRY_FILE)
				rc = one_member(b, r, scratch, &e, &err);
		}
		if (rc != SV_OK) {
			sv_fuzz_check_parse(rc, &err);
			return 0;
		}
	}
}

/* One full read of the bundle; returns the members seen. */
static uint64_t read_bundle(const uint8_t *data, size_t size, int tight)
{
	struct sv_bundle_options o;
	struct sv_arena *arena, *scratch;
	struct sv_bundle *b = NULL;
	struct sv_custody_result res;
	struct member_run r;
	struct sv_error err;
	int complete;

	set_limits(&o, tight);
	memset(&r, 0, sizeof(r));
	r.lim = &o.limits;
	r.skim = tight == 2;
	arena = sv_arena_new(ARENA_CAP);
	scratch = sv_arena_new(SV_FUZZ_SCRATCH_CAP);
	r.custody = arena ? sv_custody_new(arena) : NULL;
	sv_error_clear(&err);
	if (!scratch || !r.custody ||
	    sv_bundle_open_memory(data, size, "fuzz.tar", &o, arena, &b,
				  &err) != SV_OK) {
		sv_fuzz_check_error(&err);
		goto out;
	}
	complete = walk(b, &r, scratch);
	sv_error_clear(&err);
	if (sv_bundle_finish(b, &err) != SV_OK)
		complete = 0;
	sv_fuzz_check_error(&err);
	if (sv_custody_verify(r.custody, r.had_sums,
			      complete, &res, &err) != SV_OK)
		sv_fuzz_check_error(&err);
out:
	sv_bundle_close(b);
	sv_custody_free(r.custody);
	sv_arena_free(scratch);
	sv_arena_free(arena);
	return r.members;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	if (read_bundle(data, size, 0) > 0)
		(void)read_bundle(data, size, 1 + (int)(size & 1));
	return 0;
}
