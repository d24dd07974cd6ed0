/*
 * sv_testread.c - the bundle-reading harness of sv_testread.h.
 */
#include "sv_testread.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

void rd_free(struct readout *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->items[i].path);
	free(r->root);
	free(r);
}

static void note_warning(struct readout *r, const struct sv_error *e)
{
	if (r->nwarn < MAX_WARN)
		sv_error_format(e, r->warn[r->nwarn], LINE);
	r->nwarn++;
}

/* Read one member's blocks per mode; SV_OK, or the fatal status. */
static enum sv_status read_member(struct sv_bundle *b, struct readout *r,
				  struct item *it, enum read_mode mode,
				  struct sv_error *err)
{
	const uint8_t *p;
	size_t n;
	enum sv_status rc;
	struct {
		uint8_t *buf;
		size_t len, cap;
	} all = {NULL, 0, 0};

	if (mode == READ_NONE)
		return SV_OK;
	while ((rc = sv_bundle_read_block(b, &p, &n, err)) == SV_OK) {
		ck_assert_uint_gt(n, 0);
		it->size += n;
		if (mode == READ_ALL) {
			if (all.len + n > all.cap) {
				all.cap = (all.len + n) * 2;
				all.buf = realloc(all.buf, all.cap);
				ck_assert_ptr_nonnull(all.buf);
			}
			memcpy(all.buf + all.len, p, n);
			all.len += n;
		}
		if (mode == READ_FIRST_BLOCK)
			break;
	}
	if (mode == READ_ALL)
		tb_sha256(all.buf, all.len, it->read_sha);
	free(all.buf);
	if (rc == SV_WARN) {
		r->cut_warn = 1;
		note_warning(r, err);
		rc = SV_OK;
	}
	return rc == SV_EOF ? SV_OK : rc;
}

static void walk(struct sv_bundle *b, struct readout *r, enum read_mode mode)
{
	struct sv_entry e;
	struct sv_error err;
	enum sv_status rc;

	for (;;) {
		sv_error_clear(&err);
		rc = sv_bundle_next(b, &e, &err);
		if (rc == SV_WARN) {
			note_warning(r, &err);
			continue;
		}
		if (rc != SV_OK) {
			r->end_rc = rc;
			r->end_err = err;
			return;
		}
		ck_assert_ptr_nonnull(e.path);
		ck_assert_uint_gt(strlen(e.path), 0);
		ck_assert_uint_lt(r->n, MAX_ITEMS);
		r->items[r->n].path = strdup(e.path);
		r->items[r->n].is_dir = e.type == SV_ENTRY_DIR;
		ck_assert((e.type == SV_ENTRY_DIR) == (e.file == NULL));
		if (e.file) {
			ck_assert_str_eq(e.file->path, e.path);
			r->nfiles++;
			rc = read_member(b, r, &r->items[r->n], mode, &err);
		}
		r->n++;
		if (rc != SV_OK) {
			r->end_rc = rc;
			r->end_err = err;
			return;
		}
	}
}

/* Copy what sv_bundle_files() says into the items, in order. */
static void collect_files(struct sv_bundle *b, struct readout *r)
{
	const struct sv_bundle_file *f = sv_bundle_files(b);
	size_t i;

	r->files_consistent = 1;
	for (i = 0; i < r->n; i++) {
		struct item *it = &r->items[i];

		if (it->is_dir)
			continue;
		if (!f || strcmp(f->path, it->path) != 0) {
			r->files_consistent = 0;
			return;
		}
		memcpy(it->bundle_sha, f->digest, 32);
		it->hashed = f->hashed;
		it->file_size = f->size;
		f = f->next;
	}
	if (f)
		r->files_consistent = 0;
}

/* Open (file or memory), walk, finish; everything into a readout. */
struct readout *read_bundle_in(const char *path, const void *mem,
			       size_t memlen,
			       const struct sv_bundle_options *opt,
			       enum read_mode mode, struct sv_arena *arena)
{
	struct readout *r = calloc(1, sizeof(*r));
	struct sv_bundle_options def;
	struct sv_bundle *b = NULL;
	struct sv_error err;

	ck_assert_ptr_nonnull(r);
	if (!opt) {
		sv_bundle_options_default(&def);
		opt = &def;
	}
	sv_error_clear(&r->open_err);
	r->open_rc = mem || !path
		? sv_bundle_open_memory(mem, memlen, path ? path : "memory",
					opt, arena, &b, &r->open_err)
		: sv_bundle_open(path, opt, arena, &b, &r->open_err);
	if (r->open_rc != SV_OK) {
		ck_assert(sv_is_error(r->open_rc));
		r->arena_failed = sv_arena_failed(arena);
		return r;
	}
	walk(b, r, mode);
	if (r->end_rc == SV_EOF) {
		sv_error_clear(&err);
		r->finish_rc = sv_bundle_finish(b, &err);
		/* after the end: more EOFs, never a crash */
		r->after_rc = sv_bundle_next(b, &(struct sv_entry){0}, &err);
	} else if (sv_is_error(r->end_rc)) {
		sv_error_clear(&err);
		r->after_rc = sv_bundle_next(b, &(struct sv_entry){0}, &err);
		r->finish_rc = sv_bundle_finish(b, &err);
	}
	sv_bundle_stats(b, &r->st);
	collect_files(b, r);
	if (sv_bundle_root_folder(b))
		r->root = strdup(sv_bundle_root_folder(b));
	sv_bundle_close(b);
	r->arena_failed = sv_arena_failed(arena);
	return r;
}

struct readout *read_bundle(const char *path,
			    const struct sv_bundle_options *opt,
			    enum read_mode mode)
{
	struct sv_arena *arena = sv_arena_new(0);
	struct readout *r = read_bundle_in(path, NULL, 0, opt, mode, arena);

	sv_arena_free(arena);
	return r;
}

const struct item *find(const struct readout *r, const char *path)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->items[i].path, path))
			return &r->items[i];
	return NULL;
}

int warned(const struct readout *r, const char *needle)
{
	int i;

	for (i = 0; i < r->nwarn && i < MAX_WARN; i++)
		if (strstr(r->warn[i], needle))
			return 1;
	return 0;
}

int file_members(const struct tb *b)
{
	size_t i;
	int n = 0;

	for (i = 0; i < b->n; i++)
		n += b->m[i].kind == TB_FILE || b->m[i].kind == TB_ZEROS;
	return n;
}

/*
 * Every file of b was returned once, under its bundle path, with the
 * reader's digest equal to OpenSSL's over the content; files came in
 * archive order when ordered.
 */
void check_contents(const struct readout *r, const struct tb *b,
		    int ordered, int read_all)
{
	size_t i, k = 0;
	uint64_t total = 0;

	ck_assert_msg(r->files_consistent, "sv_bundle_files() disagrees");
	ck_assert_uint_eq(r->nfiles, file_members(b));
	for (i = 0; i < b->n; i++) {
		const struct tb_member *m = &b->m[i];
		const struct item *it = find(r, m->path);
		uint8_t want[32];

		if (m->kind != TB_FILE)
			continue;
		ck_assert_msg(it != NULL, "member '%s' not returned", m->path);
		ck_assert(!it->is_dir);
		if (ordered) {
			while (k < r->n && r->items[k].is_dir)
				k++;
			ck_assert_uint_lt(k, r->n);
			ck_assert_str_eq(r->items[k].path, m->path);
			k++;
		}
		tb_sha256(m->data, m->len, want);
		ck_assert_msg(it->hashed, "'%s' not hashed", m->path);
		ck_assert_msg(memcmp(it->bundle_sha, want, 32) == 0,
			      "'%s': digest differs from OpenSSL's", m->path);
		ck_assert_uint_eq(it->file_size, m->len);
		if (read_all) {
			ck_assert_uint_eq(it->size, m->len);
			ck_assert(memcmp(it->read_sha, want, 32) == 0);
		}
		total += m->len;
	}
	ck_assert_uint_eq(r->st.data_bytes, total);
	ck_assert_uint_eq(r->st.files, r->nfiles);
	ck_assert_uint_ge(r->st.entries, r->n);
	/* directories come back normalised, never with the root folder */
	for (i = 0; i < r->n; i++) {
		const char *p = r->items[i].path;

		ck_assert(p[0] != '/' && strncmp(p, "./", 2) != 0);
		ck_assert(!strstr(p, "//") && !strstr(p, "/./"));
		ck_assert(p[strlen(p) - 1] != '/');
		if (b->prefix)
			ck_assert_msg(strncmp(p, b->prefix, strlen(b->prefix)),
				      "'%s' keeps the root folder", p);
	}
}

