/*
 * sv_hasher.h - SHA-256 of the bundle stream and of each entry, off the
 * reading thread.
 *
 * Hashing every byte must not slow streaming (issue: within 1.5x of
 * zstd -dc), so the reader copies bytes into batches that a second thread
 * feeds to OpenSSL. Two independent streams are hashed: SV_HASH_ARCHIVE
 * (the raw file as stored, for provenance) and SV_HASH_ENTRY (the current
 * archive member, for SHA256SUMS custody).
 *
 * Digests are written to caller memory asynchronously: the 32 bytes given
 * to sv_hasher_final() are valid only after sv_hasher_sync() returns, and
 * must stay allocated until then.
 */
#ifndef SV_HASHER_H
#define SV_HASHER_H

#include <stddef.h>
#include <stdint.h>

#include "sv_error.h"

#define SV_SHA256_LEN 32

enum sv_hash_stream { SV_HASH_ARCHIVE = 0, SV_HASH_ENTRY = 1 };

struct sv_hasher;

/* threaded = 0 hashes inline (fuzzing, tiny inputs). NULL on failure. */
struct sv_hasher *sv_hasher_new(int threaded, struct sv_error *err);
/* Waits for the worker and releases everything; takes NULL. */
void sv_hasher_free(struct sv_hasher *h);

enum sv_status sv_hasher_update(struct sv_hasher *h, enum sv_hash_stream s,
				const void *data, size_t n);
/* Finish stream s into dest and restart it empty. */
enum sv_status sv_hasher_final(struct sv_hasher *h, enum sv_hash_stream s,
			       uint8_t dest[SV_SHA256_LEN]);
/* Block until every queued update and final has been applied. */
enum sv_status sv_hasher_sync(struct sv_hasher *h);

#endif
