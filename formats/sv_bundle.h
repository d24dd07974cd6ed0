/*
 * sv_bundle.h - stream the members of a capture bundle (DESIGN.md §1).
 *
 * Owns: the libarchive handle, the SHA-256 of the stored file and of every
 * member, and the safety checks on untrusted archives. Nothing is ever
 * written to disk: members are read as streams.
 *
 *   sv_bundle_open() -> { sv_bundle_next() -> sv_bundle_read_block()* }*
 *                    -> sv_bundle_finish() -> sv_bundle_close()
 *
 * Accepted: .tar.zst, .tar.gz, .tar.xz, .tar (by content, not by name),
 * and an unpacked directory (walked without following symlinks). One
 * leading folder ("myhost-2026-11-29/...") is recognised and stripped.
 *
 * Refused members (returned as SV_WARN from next(), then skipped):
 * absolute paths, paths with "..", over-long paths, links, devices, and
 * members over the size limit. Fatal (the stream stops): corrupt or
 * truncated archive data, the member-count, total-size or compression-
 * ratio limit (a decompression bomb).
 */
#ifndef SV_BUNDLE_H
#define SV_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "sv_arena.h"
#include "sv_error.h"
#include "sv_hasher.h"

struct sv_bundle_limits {
	uint64_t max_entry_bytes;   /* one member, decompressed */
	uint64_t max_entries;       /* members, directories included */
	uint64_t max_total_bytes;   /* the whole tar stream, decompressed */
	uint64_t max_ratio;         /* decompressed : stored, 0 = off */
	uint64_t ratio_grace_bytes; /* ratio is checked past this much */
	uint32_t max_path_len;
};

/* The documented defaults (README "Limits"). */
void sv_bundle_limits_default(struct sv_bundle_limits *l);

enum sv_container {
	SV_CONTAINER_UNKNOWN = 0,
	SV_CONTAINER_TAR,
	SV_CONTAINER_TAR_ZST,
	SV_CONTAINER_TAR_GZ,
	SV_CONTAINER_TAR_XZ,
	SV_CONTAINER_DIR
};
const char *sv_container_name(enum sv_container c);

enum sv_entry_type { SV_ENTRY_FILE, SV_ENTRY_DIR };

/*
 * One member, allocated in the caller's arena and kept for the life of
 * the analysis (custody checks walk them at the end). digest is valid
 * after sv_bundle_finish() when hashed is set.
 */
struct sv_bundle_file {
	const char *path;     /* normalised, relative to the bundle root */
	uint64_t size;        /* bytes actually read */
	uint64_t index;       /* member number, from 1 */
	uint8_t digest[SV_SHA256_LEN];
	unsigned hashed : 1;  /* read to the end: digest is meaningful */
	struct sv_bundle_file *next;
};

struct sv_entry {
	enum sv_entry_type type;
	const char *path;          /* normalised; "" never returned */
	uint64_t declared_size;    /* from the tar header (untrusted) */
	struct sv_bundle_file *file; /* NULL for directories */
};

struct sv_bundle;

struct sv_bundle_options {
	struct sv_bundle_limits limits;
	int hash_threaded; /* hash on a second thread */
};
void sv_bundle_options_default(struct sv_bundle_options *o);

/*
 * Open a bundle file or directory. Everything the bundle records is
 * allocated from arena (caller-owned, must outlive the bundle's results).
 * Returns SV_OK and *out, or an error naming path.
 */
enum sv_status sv_bundle_open(const char *path,
			      const struct sv_bundle_options *opt,
			      struct sv_arena *arena, struct sv_bundle **out,
			      struct sv_error *err) SV_MUST_CHECK;

/* The same over bytes in memory (fuzzing and tests); buf is borrowed. */
enum sv_status sv_bundle_open_memory(const void *buf, size_t n,
				     const char *name,
				     const struct sv_bundle_options *opt,
				     struct sv_arena *arena,
				     struct sv_bundle **out,
				     struct sv_error *err) SV_MUST_CHECK;

/*
 * Advance to the next member, reading and hashing whatever the caller
 * left of the current one. Returns SV_OK (entry filled; borrowed until the
 * next call), SV_EOF, SV_WARN (a member was refused: err says which and
 * why, and err->code is its class, SV_ERR_CORRUPT or SV_ERR_LIMIT; call
 * again), or a fatal error (stop).
 */
enum sv_status sv_bundle_next(struct sv_bundle *b, struct sv_entry *entry,
			      struct sv_error *err) SV_MUST_CHECK;

/*
 * Next block of the current member, zero-copy: *p is valid until the next
 * call. Returns SV_OK, SV_EOF at the member's end, SV_WARN when the member
 * was cut at the size limit (err says so; later calls return SV_EOF), or a
 * fatal error.
 */
enum sv_status sv_bundle_read_block(struct sv_bundle *b, const uint8_t **p,
				    size_t *n, struct sv_error *err)
	SV_MUST_CHECK;

/*
 * After SV_EOF from next(): read the stored file to its end, wait for all
 * hashes. Then the member digests and sv_bundle_stats() are final.
 */
enum sv_status sv_bundle_finish(struct sv_bundle *b, struct sv_error *err)
	SV_MUST_CHECK;

struct sv_bundle_stats {
	enum sv_container container;
	uint64_t stored_bytes;       /* bytes of the file as stored */
	uint64_t decompressed_bytes; /* the tar stream */
	uint64_t data_bytes;         /* member contents read */
	uint64_t entries;            /* members seen, refused ones included */
	uint64_t files;              /* regular members returned */
	int has_digest;              /* 0 for directories */
	uint8_t digest[SV_SHA256_LEN]; /* of the stored file */
};
void sv_bundle_stats(const struct sv_bundle *b, struct sv_bundle_stats *st);

/* Members in the order read. */
const struct sv_bundle_file *sv_bundle_files(const struct sv_bundle *b);

/* True once a fatal error stopped the stream. */
int sv_bundle_failed(const struct sv_bundle *b);

/* The leading folder that was stripped, or NULL. */
const char *sv_bundle_root_folder(const struct sv_bundle *b);

void sv_bundle_close(struct sv_bundle *b);

#endif
