/*
 * sv_testbundle.h - build capture bundles at test time.
 *
 * A test describes members exactly (path, bytes, type, raw hostile paths)
 * and writes them with libarchive's writer as .tar, .tar.zst, .tar.gz or
 * .tar.xz, or as an unpacked folder. SHA256SUMS is computed with OpenSSL
 * EVP, never written by hand. Also: temp folders, file helpers, digests.
 *
 *   struct tb *b = tb_new();
 *   tb_add_manifest(b);
 *   tb_add_str(b, "proc/1764392000/uptime", "12.00 20.00\n");
 *   tb_add_sums(b, TB_SUMS_TEXT);
 *   tb_write(b, "/tmp/x/b.tar.zst", TB_TAR_ZST);
 *   tb_free(b);
 *
 * Ownership: tb_* returning char * give malloc()ed memory (caller frees);
 * a struct tb owns copies of everything added to it.
 */
#ifndef SV_TESTBUNDLE_H
#define SV_TESTBUNDLE_H

#include <stddef.h>
#include <stdint.h>

#define TB_SHA256_LEN 32

/* The manifest every "good" bundle carries (version 1, host testhost). */
extern const char tb_good_manifest[];

enum tb_kind { TB_FILE, TB_DIR, TB_SYMLINK, TB_HARDLINK, TB_ZEROS, TB_FIFO };

enum tb_container { TB_TAR, TB_TAR_ZST, TB_TAR_GZ, TB_TAR_XZ };

enum tb_tarfmt { TB_FMT_PAX = 0, TB_FMT_USTAR, TB_FMT_GNUTAR };

enum tb_sums_style {
	TB_SUMS_TEXT,    /* "<hex>  path"   */
	TB_SUMS_BINARY,  /* "<hex> *path"   */
	TB_SUMS_DOTSLASH /* "<hex>  ./path" */
};

struct tb_member {
	char *path;
	unsigned char *data;
	size_t len;
	uint64_t zeros;  /* TB_ZEROS: this many zero bytes */
	enum tb_kind kind;
	char *target;    /* links */
	int raw;         /* written exactly as given: no prefix */
};

struct tb {
	struct tb_member *m;
	size_t n, cap;
	/* Write options, read by tb_write() and tb_write_dir(). */
	const char *prefix;    /* leading folder, e.g. "myhost-2026-11-29" */
	int dot_slash;         /* every path starts with "./" */
	int dir_entries;       /* emit a directory entry for every parent */
	enum tb_tarfmt format;
};

struct tb *tb_new(void);
void tb_free(struct tb *b);

/* Add members. Paths are bundle-relative unless added with tb_add_raw. */
void tb_add(struct tb *b, const char *path, const void *data, size_t len);
void tb_add_str(struct tb *b, const char *path, const char *s);
void tb_add_dir(struct tb *b, const char *path);
void tb_add_symlink(struct tb *b, const char *path, const char *target);
void tb_add_hardlink(struct tb *b, const char *path, const char *target);
void tb_add_zeros(struct tb *b, const char *path, uint64_t n);
void tb_add_fifo(struct tb *b, const char *path);
/* n bytes of deterministic pseudo-random data (incompressible). */
void tb_add_random(struct tb *b, const char *path, size_t n, uint32_t seed);
/* A file whose path is written verbatim ("../x", "/etc/passwd"). */
void tb_add_raw(struct tb *b, const char *path, const char *s);
void tb_add_manifest(struct tb *b);
/* Replace the content of the (first) member at path; 0 or -1. */
int tb_replace(struct tb *b, const char *path, const char *s);

/* SHA256SUMS text over every file member added so far (raw ones and
 * SHA256SUMS itself excluded). */
char *tb_sums_text(const struct tb *b, enum tb_sums_style style);
void tb_add_sums(struct tb *b, enum tb_sums_style style);

/* A typical small bundle: manifest, /proc, cgroup, pcap, events, inspect. */
void tb_add_standard(struct tb *b);

/* 0 on success, -1 (with a message on stderr) on failure. */
int tb_write(const struct tb *b, const char *path, enum tb_container c);
int tb_write_dir(const struct tb *b, const char *root);
/* The same archive into malloc()ed memory. */
int tb_write_memory(const struct tb *b, enum tb_container c, void **out,
		    size_t *n);

/* ---- files and folders ---- */

/* mkdtemp("/tmp/sv-test-XXXXXX"); NULL on failure. */
char *tb_tmpdir(void);
/* rm -rf, never following symlinks. */
void tb_rmrf(const char *path);
/* a "/" b, malloc()ed. */
char *tb_join(const char *a, const char *b);
char *tb_read_file(const char *path, size_t *n);
int tb_write_file(const char *path, const void *data, size_t n);
int tb_truncate_file(const char *path, uint64_t n);
int tb_exists(const char *path);
/* Number of entries in dir (excluding . and ..) whose name starts with
 * prefix; -1 if dir cannot be read. */
int tb_count_prefixed(const char *dir, const char *prefix);

/*
 * Run bin with args (NULL-terminated, argv[1..]), stdin from /dev/null,
 * stdout and stderr into the files out and err (created or truncated).
 * Returns the exit code, -1 when it could not be started, 128 + signal
 * when a signal killed it.
 */
int tb_spawn(const char *bin, const char *const *args, const char *out,
	     const char *err);

/* ---- digests ---- */

void tb_sha256(const void *data, size_t n, uint8_t out[TB_SHA256_LEN]);
int tb_sha256_file(const char *path, uint8_t out[TB_SHA256_LEN]);
void tb_hex(const uint8_t *d, size_t n, char *out /* 2n+1 */);

#endif
