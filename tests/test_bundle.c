/*
 * test_bundle.c - formats/sv_bundle: every accepted container, every bad
 * input, the limits and the hashes.
 *
 * Bundles are written at test time (sv_testbundle.c) into a temporary
 * folder per test case, removed by the unchecked fixture.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sv_bundle.h"
#include "sv_testbundle.h"
#include "sv_testread.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static char *g_tmp; /* the suite's folder */

static void tmp_setup(void)
{
	g_tmp = tb_tmpdir();
	ck_assert_ptr_nonnull(g_tmp);
}

static void tmp_teardown(void)
{
	tb_rmrf(g_tmp);
	free(g_tmp);
	g_tmp = NULL;
}

/* A fresh path in the suite folder (unique per call, also when forked). */
static char *tmp_path(const char *name)
{
	static unsigned seq;
	char buf[512];

	snprintf(buf, sizeof(buf), "%s/%d-%u-%s", g_tmp, (int)getpid(), seq++,
		 name);
	return strdup(buf);
}

/* ---- every accepted container ---- */

enum src { SRC_FILE, SRC_DIR, SRC_MEM };

struct container_case {
	enum src src;
	enum tb_container c;
	const char *prefix;
	int dot_slash, dir_entries;
	enum tb_tarfmt fmt;
	int threaded;
	enum sv_container want;
};

#define HOST "myhost-2026-11-29"
static const struct container_case containers[] = {
	{SRC_FILE, TB_TAR_ZST, NULL, 0, 0, TB_FMT_PAX, 1, SV_CONTAINER_TAR_ZST},
	{SRC_FILE, TB_TAR_ZST, HOST, 0, 0, TB_FMT_PAX, 1, SV_CONTAINER_TAR_ZST},
	{SRC_FILE, TB_TAR_ZST, NULL, 1, 0, TB_FMT_PAX, 1, SV_CONTAINER_TAR_ZST},
	{SRC_FILE, TB_TAR_ZST, HOST, 1, 1, TB_FMT_PAX, 1, SV_CONTAINER_TAR_ZST},
	{SRC_FILE, TB_TAR_ZST, NULL, 0, 1, TB_FMT_PAX, 0, SV_CONTAINER_TAR_ZST},
	{SRC_FILE, TB_TAR_GZ, NULL, 0, 0, TB_FMT_PAX, 1, SV_CONTAINER_TAR_GZ},
	{SRC_FILE, TB_TAR_GZ, HOST, 0, 1, TB_FMT_PAX, 0, SV_CONTAINER_TAR_GZ},
	{SRC_FILE, TB_TAR_XZ, NULL, 0, 0, TB_FMT_PAX, 1, SV_CONTAINER_TAR_XZ},
	{SRC_FILE, TB_TAR_XZ, HOST, 1, 0, TB_FMT_PAX, 1, SV_CONTAINER_TAR_XZ},
	{SRC_FILE, TB_TAR, NULL, 0, 0, TB_FMT_PAX, 1, SV_CONTAINER_TAR},
	{SRC_FILE, TB_TAR, HOST, 0, 0, TB_FMT_PAX, 0, SV_CONTAINER_TAR},
	{SRC_FILE, TB_TAR, NULL, 1, 1, TB_FMT_USTAR, 1, SV_CONTAINER_TAR},
	{SRC_FILE, TB_TAR, HOST, 0, 1, TB_FMT_GNUTAR, 1, SV_CONTAINER_TAR},
	{SRC_DIR, TB_TAR, NULL, 0, 0, TB_FMT_PAX, 1, SV_CONTAINER_DIR},
	{SRC_DIR, TB_TAR, HOST, 0, 0, TB_FMT_PAX, 1, SV_CONTAINER_DIR},
	{SRC_DIR, TB_TAR, HOST, 0, 0, TB_FMT_PAX, 0, SV_CONTAINER_DIR},
	{SRC_MEM, TB_TAR_ZST, NULL, 0, 0, TB_FMT_PAX, 1, SV_CONTAINER_TAR_ZST},
	{SRC_MEM, TB_TAR, HOST, 1, 1, TB_FMT_PAX, 0, SV_CONTAINER_TAR},
	{SRC_MEM, TB_TAR_XZ, HOST, 0, 0, TB_FMT_PAX, 1, SV_CONTAINER_TAR_XZ},
};

static struct tb *standard(const struct container_case *t)
{
	struct tb *b = tb_new();

	tb_add_standard(b);
	/* several blocks, incompressible; an empty member */
	tb_add_random(b, "pcap/big.pcapng", 1536u << 10, 7);
	tb_add_str(b, "events/dmesg.txt", "");
	if (t) {
		b->prefix = t->prefix;
		b->dot_slash = t->dot_slash;
		b->dir_entries = t->dir_entries;
		b->format = t->fmt;
	}
	return b;
}

START_TEST(every_container)
{
	const struct container_case *t = &containers[_i];
	struct tb *b = standard(t);
	struct sv_bundle_options o;
	struct sv_arena *arena = sv_arena_new(0);
	char *path = tmp_path(t->src == SRC_DIR ? "bundle" : "bundle.tar.x");
	void *mem = NULL;
	size_t memlen = 0;
	uint8_t want[32];
	struct readout *r;

	sv_bundle_options_default(&o);
	o.hash_threaded = t->threaded;
	if (t->src == SRC_DIR) {
		ck_assert_int_eq(tb_write_dir(b, path), 0);
	} else if (t->src == SRC_FILE) {
		ck_assert_int_eq(tb_write(b, path, t->c), 0);
		ck_assert_int_eq(tb_sha256_file(path, want), 0);
	} else {
		ck_assert_int_eq(tb_write_memory(b, t->c, &mem, &memlen), 0);
		tb_sha256(mem, memlen, want);
	}
	r = read_bundle_in(t->src == SRC_MEM ? "in-memory" : path, mem,
			   memlen, &o, READ_ALL, arena);
	ck_assert_msg(r->open_rc == SV_OK, "open: %s", r->open_err.msg);
	ck_assert_msg(r->end_rc == SV_EOF, "case %d: stopped: %s: %s", _i,
		      sv_status_name(r->end_rc), r->end_err.msg);
	ck_assert_msg(r->nwarn == 0, "warning: %s", r->warn[0]);
	ck_assert_int_eq(r->finish_rc, SV_OK);
	ck_assert_int_eq(r->after_rc, SV_EOF);
	check_contents(r, b, t->src != SRC_DIR, 1);
	ck_assert_int_eq(r->st.container, t->want);
	ck_assert_str_eq(sv_container_name(r->st.container),
			 sv_container_name(t->want));
	if (t->prefix) {
		ck_assert_ptr_nonnull(r->root);
		ck_assert_str_eq(r->root, t->prefix);
	} else {
		ck_assert_ptr_null(r->root);
	}
	if (t->src == SRC_DIR) {
		ck_assert_int_eq(r->st.has_digest, 0);
	} else {
		ck_assert_int_eq(r->st.has_digest, 1);
		ck_assert_msg(memcmp(r->st.digest, want, 32) == 0,
			      "stored-file digest differs from OpenSSL's");
		if (t->src == SRC_MEM) {
			ck_assert_uint_eq(r->st.stored_bytes, memlen);
		} else {
			struct stat st;

			ck_assert_int_eq(stat(path, &st), 0);
			ck_assert_uint_eq(r->st.stored_bytes,
					  (uint64_t)st.st_size);
		}
		ck_assert_uint_ge(r->st.decompressed_bytes, r->st.data_bytes);
	}
	ck_assert(!r->arena_failed);
	rd_free(r);
	sv_arena_free(arena);
	free(mem);
	free(path);
	tb_free(b);
}
END_TEST

/* The stored size is the file's size, and the digest covers all of it
 * even when the caller never reads member data. */
START_TEST(unread_members_still_hashed)
{
	static const enum read_mode modes[] = {READ_NONE, READ_FIRST_BLOCK};
	static const enum tb_container cs[] = {TB_TAR_ZST, TB_TAR};
	size_t m, c;

	for (m = 0; m < 2; m++) {
		for (c = 0; c < 2; c++) {
			struct tb *b = standard(NULL);
			char *path = tmp_path("b.tar");
			struct readout *r;
			uint8_t want[32];
			size_t size;
			char *bytes;

			ck_assert_int_eq(tb_write(b, path, cs[c]), 0);
			ck_assert_int_eq(tb_sha256_file(path, want), 0);
			bytes = tb_read_file(path, &size);
			r = read_bundle(path, NULL, modes[m]);
			ck_assert_int_eq(r->end_rc, SV_EOF);
			check_contents(r, b, 1, 0);
			ck_assert_uint_eq(r->st.stored_bytes, size);
			ck_assert(memcmp(r->st.digest, want, 32) == 0);
			rd_free(r);
			free(bytes);
			free(path);
			tb_free(b);
		}
	}
}
END_TEST

/* An unpacked directory: "./" and trailing slashes in the path given. */
START_TEST(directory_path_forms)
{
	struct tb *b = standard(NULL);
	char *path = tmp_path("dirb"), *alt;
	struct readout *r;

	ck_assert_int_eq(tb_write_dir(b, path), 0);
	alt = malloc(strlen(path) + 8);
	snprintf(alt, strlen(path) + 8, "%s//", path);
	r = read_bundle(alt, NULL, READ_ALL);
	ck_assert_int_eq(r->end_rc, SV_EOF);
	check_contents(r, b, 0, 1);
	ck_assert_ptr_null(r->root);
	rd_free(r);
	free(alt);
	free(path);
	tb_free(b);
}
END_TEST

/* Archives with no members at all. */
START_TEST(empty_archive)
{
	static const enum tb_container cs[] = {TB_TAR, TB_TAR_ZST, TB_TAR_GZ};
	size_t c;

	for (c = 0; c < 3; c++) {
		struct tb *b = tb_new();
		char *path = tmp_path("empty.tar");
		struct readout *r;

		ck_assert_int_eq(tb_write(b, path, cs[c]), 0);
		r = read_bundle(path, NULL, READ_ALL);
		ck_assert_int_eq(r->open_rc, SV_OK);
		ck_assert_int_eq(r->end_rc, SV_EOF);
		ck_assert_uint_eq(r->n, 0);
		ck_assert_uint_eq(r->st.files, 0);
		ck_assert_int_eq(r->st.has_digest, 1);
		rd_free(r);
		free(path);
		tb_free(b);
	}
}
END_TEST

/* Paths are normalised: "./", "//" and "/./" go away. */
START_TEST(paths_normalised)
{
	struct tb *b = tb_new();
	char *path = tmp_path("norm.tar");
	struct readout *r;

	tb_add_manifest(b);
	tb_add_raw(b, "proc//1795939200/./stat", "cpu 1\n");
	tb_add_raw(b, "./events/./docker.jsonl", "{}\n");
	tb_add_raw(b, "inspect//a.json", "[]\n");
	ck_assert_int_eq(tb_write(b, path, TB_TAR), 0);
	r = read_bundle(path, NULL, READ_ALL);
	ck_assert_int_eq(r->end_rc, SV_EOF);
	ck_assert_uint_eq(r->nfiles, 4);
	ck_assert_ptr_nonnull(find(r, "proc/1795939200/stat"));
	ck_assert_ptr_nonnull(find(r, "events/docker.jsonl"));
	ck_assert_ptr_nonnull(find(r, "inspect/a.json"));
	ck_assert_int_eq(r->nwarn, 0);
	rd_free(r);
	free(path);
	tb_free(b);
}
END_TEST

/* ---- hostile members: refused one by one, the rest still read ---- */

START_TEST(traversal_refused)
{
	static const char *const bad[] = {
		"../x", "/etc/passwd", "a/../../x", "proc/../../etc/shadow",
		"./../y", "..", "x/..", "//etc/hosts",
	};
	static const enum tb_container cs[] = {TB_TAR, TB_TAR_ZST};
	size_t i, c;

	for (c = 0; c < 2; c++) {
		struct tb *b = tb_new();
		char *path = tmp_path("hostile.tar");
		struct readout *r;

		tb_add_manifest(b);
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			tb_add_raw(b, bad[i], "pwned\n");
		tb_add_str(b, "proc/1795939200/uptime", "1.00 2.00\n");
		ck_assert_int_eq(tb_write(b, path, cs[c]), 0);
		r = read_bundle(path, NULL, READ_ALL);
		ck_assert_msg(r->end_rc == SV_EOF, "stopped: %s",
			      r->end_err.msg);
		ck_assert_int_eq(r->nwarn, (int)(sizeof(bad) / sizeof(bad[0])));
		for (i = 0; i < (size_t)r->nwarn; i++) {
			ck_assert_msg(strstr(r->warn[i], "refused"), "%s",
				      r->warn[i]);
			ck_assert(strncmp(r->warn[i], path, strlen(path)) == 0);
		}
		ck_assert(warned(r, "absolute path refused"));
		ck_assert(warned(r, "'..'"));
		ck_assert(warned(r, "'../x'"));
		ck_assert_uint_eq(r->nfiles, 2);
		ck_assert_ptr_nonnull(find(r, "manifest.json"));
		ck_assert_ptr_nonnull(find(r, "proc/1795939200/uptime"));
		ck_assert_uint_eq(r->st.entries, 10);
		rd_free(r);
		free(path);
		tb_free(b);
	}
}
END_TEST

START_TEST(links_and_specials_refused)
{
	struct tb *b = tb_new();
	char *path = tmp_path("links.tar");
	struct readout *r;

	tb_add_manifest(b);
	tb_add_symlink(b, "events/docker.jsonl", "/etc/passwd");
	tb_add_hardlink(b, "events/podman.jsonl", "manifest.json");
	tb_add_fifo(b, "events/pipe");
	tb_add_str(b, "proc/1795939200/uptime", "1.00 2.00\n");
	ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
	r = read_bundle(path, NULL, READ_ALL);
	ck_assert_int_eq(r->end_rc, SV_EOF);
	ck_assert_int_eq(r->nwarn, 3);
	ck_assert(warned(r, "symbolic link refused"));
	ck_assert(warned(r, "hard link refused"));
	ck_assert(warned(r, "special file refused"));
	ck_assert(warned(r, "'events/pipe'"));
	ck_assert_uint_eq(r->nfiles, 2);
	ck_assert_ptr_null(find(r, "events/docker.jsonl"));
	ck_assert_ptr_null(find(r, "events/podman.jsonl"));
	rd_free(r);
	free(path);
	tb_free(b);
}
END_TEST

/* In a folder: links are not followed, a fifo is never opened. */
START_TEST(directory_links_refused)
{
	struct tb *b = tb_new();
	char *path = tmp_path("dirlinks");
	struct readout *r;

	b->prefix = HOST;
	tb_add_manifest(b);
	tb_add_str(b, "proc/1795939200/uptime", "1.00 2.00\n");
	tb_add_symlink(b, "events/docker.jsonl", "/etc/passwd");
	tb_add_symlink(b, "inspect", "/etc");
	tb_add_fifo(b, "events/pipe");
	ck_assert_int_eq(tb_write_dir(b, path), 0);
	r = read_bundle(path, NULL, READ_ALL);
	ck_assert_msg(r->end_rc == SV_EOF, "%s", r->end_err.msg);
	ck_assert_int_eq(r->nwarn, 3);
	ck_assert(warned(r, "symbolic link refused"));
	ck_assert(warned(r, "special file refused"));
	ck_assert_uint_eq(r->nfiles, 2);
	ck_assert_ptr_nonnull(find(r, "manifest.json"));
	ck_assert_ptr_nonnull(find(r, "proc/1795939200/uptime"));
	rd_free(r);
	free(path);
	tb_free(b);
}
END_TEST

/* ---- limits ---- */

START_TEST(entry_size_limit)
{
	static const enum src srcs[] = {SRC_FILE, SRC_DIR};
	size_t s;

	for (s = 0; s < 2; s++) {
		struct tb *b = tb_new();
		char *path = tmp_path("size");
		struct sv_bundle_options o;
		struct readout *r;

		tb_add_manifest(b);
		tb_add_random(b, "pcap/a.pcap", 1000, 1);
		tb_add_random(b, "pcap/b.pcap", 1001, 2);
		tb_add_zeros(b, "pcap/c.pcap", 50000);
		tb_add_str(b, "events/dmesg.txt", "[0.0] x\n");
		if (srcs[s] == SRC_DIR)
			ck_assert_int_eq(tb_write_dir(b, path), 0);
		else
			ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
		sv_bundle_options_default(&o);
		o.limits.max_entry_bytes = 1000;
		r = read_bundle(path, &o, READ_ALL);
		ck_assert_msg(r->end_rc == SV_EOF, "%s", r->end_err.msg);
		ck_assert_int_eq(r->nwarn, 2);
		ck_assert(warned(r, "--max-entry-size"));
		ck_assert(warned(r, "pcap/b.pcap"));
		ck_assert(warned(r, "pcap/c.pcap"));
		ck_assert_ptr_nonnull(find(r, "pcap/a.pcap"));
		ck_assert_ptr_null(find(r, "pcap/b.pcap"));
		ck_assert_ptr_nonnull(find(r, "events/dmesg.txt"));
		ck_assert_uint_eq(r->nfiles, 3);
		rd_free(r);
		free(path);
		tb_free(b);
	}
}
END_TEST

START_TEST(entry_count_limit)
{
	struct tb *b = tb_new();
	char *path = tmp_path("count.tar.zst");
	struct sv_bundle_options o;
	struct readout *r;
	int i;

	tb_add_manifest(b);
	for (i = 0; i < 5; i++) {
		char name[64];

		snprintf(name, sizeof(name), "inspect/%d.json", i);
		tb_add_str(b, name, "[]\n");
	}
	ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
	sv_bundle_options_default(&o);
	o.limits.max_entries = 3;
	r = read_bundle(path, &o, READ_ALL);
	ck_assert_int_eq(r->end_rc, SV_ERR_LIMIT);
	ck_assert_str_eq(r->end_err.artifact, path);
	ck_assert_ptr_nonnull(strstr(r->end_err.msg, "--max-entries"));
	ck_assert_uint_eq(r->nfiles, 3);
	ck_assert(sv_is_error(r->after_rc));
	ck_assert_int_eq(r->st.has_digest, 0);
	/* exactly at the limit is fine */
	rd_free(r);
	o.limits.max_entries = 6;
	r = read_bundle(path, &o, READ_ALL);
	ck_assert_int_eq(r->end_rc, SV_EOF);
	rd_free(r);
	free(path);
	tb_free(b);
}
END_TEST

START_TEST(total_size_limit)
{
	static const enum tb_container cs[] = {TB_TAR, TB_TAR_ZST};
	size_t c;

	for (c = 0; c < 2; c++) {
		struct tb *b = tb_new();
		char *path = tmp_path("total.tar");
		struct sv_bundle_options o;
		struct readout *r;

		tb_add_manifest(b);
		tb_add_random(b, "pcap/a.pcap", 1 << 20, 3);
		tb_add_str(b, "events/dmesg.txt", "[0.0] x\n");
		ck_assert_int_eq(tb_write(b, path, cs[c]), 0);
		sv_bundle_options_default(&o);
		o.limits.max_total_bytes = 256 << 10;
		r = read_bundle(path, &o, READ_ALL);
		ck_assert_int_eq(r->end_rc, SV_ERR_LIMIT);
		ck_assert_ptr_nonnull(strstr(r->end_err.msg, "--max-total"));
		ck_assert_str_eq(r->end_err.artifact, path);
		ck_assert_ptr_null(find(r, "events/dmesg.txt"));
		rd_free(r);
		free(path);
		tb_free(b);
	}
}
END_TEST

START_TEST(path_length_limit)
{
	struct tb *b = tb_new();
	char *path = tmp_path("paths.tar");
	struct sv_bundle_options o;
	struct readout *r;

	tb_add_manifest(b);
	tb_add_str(b, "inspect/0123456789012345.json", "[]\n"); /* 29 */
	tb_add_str(b, "inspect/01234567890123456.json", "[]\n"); /* 30 */
	tb_add_str(b, "inspect/012345678901234567.json", "[]\n"); /* 31 */
	ck_assert_int_eq(tb_write(b, path, TB_TAR), 0);
	sv_bundle_options_default(&o);
	o.limits.max_path_len = 30;
	r = read_bundle(path, &o, READ_ALL);
	ck_assert_int_eq(r->end_rc, SV_EOF);
	ck_assert_int_eq(r->nwarn, 1);
	ck_assert(warned(r, "longer than the limit"));
	ck_assert_uint_eq(r->nfiles, 3);
	rd_free(r);
	free(path);
	tb_free(b);
}
END_TEST

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

struct bomb_case {
	enum tb_container c;
	uint64_t zeros;
};

static const struct bomb_case bombs[] = {
	{TB_TAR_ZST, 300ULL << 20},
	{TB_TAR_GZ, 100ULL << 20},
};

/* A member of zeros that compresses 1000:1 or more stops at the ratio
 * limit soon after the grace bytes, without decompressing it all. */
START_TEST(decompression_bomb)
{
	const struct bomb_case *t = &bombs[_i];
	struct tb *b = tb_new();
	char *path = tmp_path("bomb.tar");
	struct sv_bundle_options o;
	struct readout *r;
	size_t stored;
	char *bytes;
	long rss0;
	double t0;

	tb_add_manifest(b);
	tb_add_zeros(b, "pcap/zeros.pcap", t->zeros);
	tb_add_str(b, "events/dmesg.txt", "after the bomb\n");
	ck_assert_int_eq(tb_write(b, path, t->c), 0);
	bytes = tb_read_file(path, &stored);
	free(bytes);
	ck_assert_uint_lt(stored, t->zeros / 150); /* past --max-ratio 100 */
	sv_bundle_options_default(&o);
	o.limits.ratio_grace_bytes = 1 << 20;
	o.limits.max_ratio = 100;
	rss0 = max_rss_kb();
	t0 = now_s();
	r = read_bundle(path, &o, READ_ALL);
	ck_assert_int_eq(r->end_rc, SV_ERR_LIMIT);
	ck_assert_ptr_nonnull(strstr(r->end_err.msg, "--max-ratio"));
	ck_assert_str_eq(r->end_err.artifact, path);
	/* stopped once past 100 x the file (and the grace bytes), far
	 * before the end of the bomb */
	ck_assert_uint_le(r->st.decompressed_bytes,
			  100 * stored + (1u << 20) + (8u << 20));
	ck_assert_uint_lt(r->st.decompressed_bytes, t->zeros / 2);
	ck_assert_msg(now_s() - t0 < 20, "took %.1f s", now_s() - t0);
	ck_assert_msg(max_rss_kb() - rss0 < 256 * 1024,
		      "memory grew by %ld KiB", max_rss_kb() - rss0);
	ck_assert_ptr_null(find(r, "events/dmesg.txt"));
	rd_free(r);
	/* with the ratio check off, the same bundle reads to the end */
	o.limits.max_ratio = 0;
	r = read_bundle(path, &o, READ_NONE);
	ck_assert_int_eq(r->end_rc, SV_EOF);
	ck_assert_ptr_nonnull(find(r, "events/dmesg.txt"));
	rd_free(r);
	free(path);
	tb_free(b);
}
END_TEST

/* ---- broken input ---- */

struct truncated_case {
	enum tb_container c;
	int divisor; /* keep size / divisor bytes */
};

static const struct truncated_case truncated[] = {
	{TB_TAR_ZST, 2}, {TB_TAR_GZ, 2}, {TB_TAR_XZ, 2}, {TB_TAR, 2},
	{TB_TAR_ZST, 50}, {TB_TAR, 3},
};

START_TEST(truncated_stream)
{
	const struct truncated_case *t = &truncated[_i];
	struct tb *b = standard(NULL);
	char *path = tmp_path("cut.tar");
	struct readout *r;
	size_t size;
	char *bytes;

	ck_assert_int_eq(tb_write(b, path, t->c), 0);
	bytes = tb_read_file(path, &size);
	free(bytes);
	ck_assert_int_eq(tb_truncate_file(path, size / t->divisor), 0);
	r = read_bundle(path, NULL, READ_ALL);
	if (r->open_rc == SV_OK) {
		ck_assert_msg(r->end_rc == SV_ERR_TRUNCATED ||
				      r->end_rc == SV_ERR_CORRUPT,
			      "case %d ended with %s", _i,
			      sv_status_name(r->end_rc));
		ck_assert_str_eq(r->end_err.artifact, path);
		ck_assert(sv_is_error(r->after_rc));
		ck_assert_int_eq(r->st.has_digest, 0);
	} else {
		ck_assert_str_eq(r->open_err.artifact, path);
	}
	rd_free(r);
	free(path);
	tb_free(b);
}
END_TEST

struct garbage_case {
	const char *what;
	const char *bytes;
	size_t n;
};

#define T(s) s, sizeof(s) - 1
static const struct garbage_case garbage[] = {
	{"text", T("This is not an archive, just a line of text.\n")},
	{"empty", T("")},
	{"zstd magic", T("\x28\xb5\x2f\xfd garbage after the zstd magic")},
	{"gzip magic", T("\x1f\x8b\x08\x00 garbage after the gzip magic")},
	{"xz magic", T("\xfd" "7zXZ\0 garbage after the xz magic")},
	{"zip", T("PK\x03\x04\x14\x00\x00\x00\x08\x00")},
	{"zeros", T("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")},
};

/* Not an archive: an error from open or from the first next(). */
START_TEST(not_an_archive)
{
	const struct garbage_case *t = &garbage[_i];
	char *path = tmp_path("junk.tar.zst");
	struct readout *r;
	char *big = NULL;

	if (!strcmp(t->what, "text")) {
		size_t k;

		big = malloc(t->n * 100);
		for (k = 0; k < 100; k++)
			memcpy(big + t->n * k, t->bytes, t->n);
		ck_assert_int_eq(tb_write_file(path, big, t->n * 100), 0);
	} else {
		ck_assert_int_eq(tb_write_file(path, t->bytes, t->n), 0);
	}
	r = read_bundle(path, NULL, READ_ALL);
	if (r->open_rc == SV_OK) {
		ck_assert_msg(sv_is_error(r->end_rc), "%s: read as %s", t->what,
			      sv_status_name(r->end_rc));
		ck_assert_uint_eq(r->n, 0);
		ck_assert_str_eq(r->end_err.artifact, path);
	} else {
		ck_assert_msg(r->open_rc == SV_ERR_CORRUPT ||
				      r->open_rc == SV_ERR_TRUNCATED,
			      "%s: %s", t->what, sv_status_name(r->open_rc));
		ck_assert_str_eq(r->open_err.artifact, path);
	}
	rd_free(r);
	/* the same bytes from memory */
	{
		struct sv_arena *a = sv_arena_new(0);

		r = read_bundle_in(NULL, big ? big : t->bytes,
				   big ? t->n * 100 : t->n, NULL, READ_ALL, a);
		ck_assert(sv_is_error(r->open_rc) || sv_is_error(r->end_rc));
		rd_free(r);
		sv_arena_free(a);
	}
	free(big);
	free(path);
}
END_TEST

START_TEST(open_failures)
{
	struct sv_bundle_options o;
	struct sv_arena *a = sv_arena_new(0);
	struct sv_bundle *b = NULL;
	struct sv_error err;
	char *missing = tmp_path("nope.tar.zst");
	char *missing_dir = tmp_path("nodir/");

	sv_bundle_options_default(&o);
	sv_error_clear(&err);
	ck_assert_int_eq(sv_bundle_open(missing, &o, a, &b, &err), SV_ERR_IO);
	ck_assert_str_eq(err.artifact, missing);
	ck_assert_ptr_null(b);
	sv_error_clear(&err);
	ck_assert_int_eq(sv_bundle_open(missing_dir, &o, a, &b, &err),
			 SV_ERR_IO);
	ck_assert_str_eq(err.artifact, missing_dir);
	sv_error_clear(&err);
	ck_assert(sv_is_error(sv_bundle_open("/dev/null", &o, a, &b, &err)));
	ck_assert_str_eq(err.artifact, "/dev/null");
	ck_assert_ptr_null(b);
	sv_error_clear(&err);
	ck_assert(sv_is_error(sv_bundle_open_memory(NULL, 0, "nothing", &o, a,
						    &b, &err)));
	ck_assert_ptr_null(b);
	sv_bundle_close(NULL);
	sv_arena_free(a);
	free(missing);
	free(missing_dir);
}
END_TEST

/* Every allocation failing in turn: a clean error, never a crash. */
START_TEST(arena_fault_injection)
{
	struct tb *b = standard(NULL);
	char *path = tmp_path("inject.tar.zst");
	uint64_t n;
	int done = 0;

	b->prefix = HOST;
	b->dir_entries = 1;
	ck_assert_int_eq(tb_write(b, path, TB_TAR_ZST), 0);
	for (n = 1; n < 1000 && !done; n++) {
		struct sv_arena *a = sv_arena_new(0);
		struct readout *r;

		sv_arena_fail_after(a, n);
		r = read_bundle_in(path, NULL, 0, NULL, READ_NONE, a);
		if (r->arena_failed) {
			ck_assert_msg(r->open_rc == SV_ERR_NOMEM ||
					      r->end_rc == SV_ERR_NOMEM,
				      "n=%llu: allocation failed silently",
				      (unsigned long long)n);
		} else {
			/* enough allocations: the whole bundle was read */
			ck_assert_int_eq(r->end_rc, SV_EOF);
			check_contents(r, b, 1, 0);
			done = 1;
		}
		rd_free(r);
		sv_arena_free(a);
	}
	ck_assert(done);
	free(path);
	tb_free(b);
}
END_TEST

/* Two members with the same path: both returned (custody judges). */
START_TEST(duplicate_paths_returned)
{
	struct tb *b = tb_new();
	char *path = tmp_path("dup.tar");
	struct readout *r;

	tb_add_manifest(b);
	tb_add_str(b, "events/dmesg.txt", "one\n");
	tb_add_str(b, "events/dmesg.txt", "two\n");
	ck_assert_int_eq(tb_write(b, path, TB_TAR), 0);
	r = read_bundle(path, NULL, READ_ALL);
	ck_assert_int_eq(r->end_rc, SV_EOF);
	ck_assert_uint_eq(r->nfiles, 3);
	ck_assert_str_eq(r->items[1].path, "events/dmesg.txt");
	ck_assert_str_eq(r->items[2].path, "events/dmesg.txt");
	ck_assert(memcmp(r->items[1].bundle_sha, r->items[2].bundle_sha, 32));
	rd_free(r);
	free(path);
	tb_free(b);
}
END_TEST

/*
 * A bundle without a leading folder whose first member is a folder
 * outside the contract ("notes/"): that folder is not the bundle's root,
 * so its files keep their paths.
 */
START_TEST(first_unknown_folder_is_not_root)
{
	static const int dir_entries[] = {1, 0};
	size_t k;

	for (k = 0; k < 2; k++) {
		struct tb *b = tb_new();
		char *path = tmp_path("order.tar");
		struct readout *r;

		b->dir_entries = dir_entries[k];
		tb_add_str(b, "notes/readme.txt", "collected by hand\n");
		tb_add_manifest(b);
		tb_add_str(b, "proc/1795939200/uptime", "1.00 2.00\n");
		ck_assert_int_eq(tb_write(b, path, TB_TAR), 0);
		r = read_bundle(path, NULL, READ_ALL);
		ck_assert_int_eq(r->end_rc, SV_EOF);
		ck_assert_msg(r->root == NULL, "root folder '%s' chosen",
			      r->root);
		ck_assert_msg(find(r, "notes/readme.txt") != NULL,
			      "notes/readme.txt renamed to '%s'",
			      r->n ? r->items[0].path : "?");
		rd_free(r);
		free(path);
		tb_free(b);
	}
}
END_TEST

static Suite *bundle_suite(void)
{
	Suite *s = suite_create("bundle");
	TCase *tc = tcase_create("containers");

	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, every_container, 0, N(containers));
	tcase_add_test(tc, unread_members_still_hashed);
	tcase_add_test(tc, directory_path_forms);
	tcase_add_test(tc, empty_archive);
	tcase_add_test(tc, paths_normalised);
	tcase_add_test(tc, duplicate_paths_returned);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, traversal_refused);
	tcase_add_test(tc, links_and_specials_refused);
	tcase_add_test(tc, directory_links_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, entry_size_limit);
	tcase_add_test(tc, entry_count_limit);
	tcase_add_test(tc, total_size_limit);
	tcase_add_test(tc, path_length_limit);
	tcase_add_loop_test(tc, decompression_bomb, 0, N(bombs));
	suite_add_tcase(s, tc);

	tc = tcase_create("broken");
	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, truncated_stream, 0, N(truncated));
	tcase_add_loop_test(tc, not_an_archive, 0, N(garbage));
	tcase_add_test(tc, open_failures);
	tcase_add_test(tc, arena_fault_injection);
	suite_add_tcase(s, tc);

	tc = tcase_create("root_folder");
	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_test(tc, first_unknown_folder_is_not_root);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(bundle_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
