/*
 * sv_testread.h - read a whole bundle through sv_bundle into a summary the
 * tests can check: members, warnings, the end status, digests and stats.
 * Uses Check assertions, so call it from test cases only.
 */
#ifndef SV_TESTREAD_H
#define SV_TESTREAD_H

#include <stddef.h>
#include <stdint.h>

#include "sv_arena.h"
#include "sv_bundle.h"
#include "sv_testbundle.h"

#define MAX_ITEMS 128
#define MAX_WARN 32
#define LINE (SV_ERROR_ARTIFACT_MAX + SV_ERROR_MSG_MAX + 8)

enum read_mode { READ_ALL, READ_NONE, READ_FIRST_BLOCK };

struct item {
	char *path;
	int is_dir;
	uint64_t size;              /* bytes we were given */
	uint8_t read_sha[32];       /* of those bytes (READ_ALL) */
	uint8_t bundle_sha[32];     /* the reader's digest of the member */
	int hashed;
	uint64_t file_size;         /* the reader's count */
};

struct readout {
	enum sv_status open_rc, end_rc, finish_rc, after_rc;
	struct sv_error open_err, end_err;
	struct item items[MAX_ITEMS];
	size_t n, nfiles;
	int nwarn;
	char warn[MAX_WARN][LINE];
	int cut_warn;               /* read_block returned SV_WARN */
	struct sv_bundle_stats st;
	char *root;
	int files_consistent;       /* sv_bundle_files() matches the items */
	int arena_failed;
};

/* Free a readout and everything in it. */
void rd_free(struct readout *r);

/*
 * Open path (or the n bytes at mem when mem is set or path is NULL),
 * walk every member reading its data per mode, finish, and summarise.
 * opt NULL: the defaults. Allocations come from arena (kept by caller).
 */
struct readout *read_bundle_in(const char *path, const void *mem, size_t n,
			       const struct sv_bundle_options *opt,
			       enum read_mode mode, struct sv_arena *arena);
/* The same from a file, with an arena of its own. */
struct readout *read_bundle(const char *path,
			    const struct sv_bundle_options *opt,
			    enum read_mode mode);

/* The member returned at path, or NULL. */
const struct item *find(const struct readout *r, const char *path);
/* A warning whose formatted text contains needle. */
int warned(const struct readout *r, const char *needle);
/* Regular members (files and zero-filled) described in b. */
int file_members(const struct tb *b);
/*
 * Every file of b was returned once under its bundle path, with the
 * reader's digest equal to OpenSSL's over the content; in archive order
 * when ordered; read_all: the bytes handed out were the content.
 */
void check_contents(const struct readout *r, const struct tb *b,
		    int ordered, int read_all);

#endif
