/*
 * sv_testbundle.c - bundles for the tests, written with libarchive's
 * writer; digests with OpenSSL EVP.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "sv_testbundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char tb_good_manifest[] =
	"{\"format\":\"salvage-bundle\",\"version\":1,\"host\":\"testhost\","
	"\"started\":\"2026-11-29T08:00:00Z\","
	"\"ended\":\"2026-11-29T08:00:10Z\",\"collector\":\"tests\"}\n";

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "tb: out of memory\n");
		abort();
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

struct tb *tb_new(void)
{
	struct tb *b = xmalloc(sizeof(*b));

	memset(b, 0, sizeof(*b));
	return b;
}

void tb_free(struct tb *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->n; i++) {
		free(b->m[i].path);
		free(b->m[i].data);
		free(b->m[i].target);
	}
	free(b->m);
	free(b);
}

static struct tb_member *push(struct tb *b, const char *path,
			      enum tb_kind kind)
{
	struct tb_member *m;

	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 16;
		struct tb_member *nm = realloc(b->m, ncap * sizeof(*nm));

		if (!nm)
			abort();
		b->m = nm;
		b->cap = ncap;
	}
	m = &b->m[b->n++];
	memset(m, 0, sizeof(*m));
	m->path = xstrdup(path);
	m->kind = kind;
	return m;
}

void tb_add(struct tb *b, const char *path, const void *data, size_t len)
{
	struct tb_member *m = push(b, path, TB_FILE);

	m->data = xmalloc(len);
	if (len)
		memcpy(m->data, data, len);
	m->len = len;
}

void tb_add_str(struct tb *b, const char *path, const char *s)
{
	tb_add(b, path, s, strlen(s));
}

void tb_add_dir(struct tb *b, const char *path)
{
	push(b, path, TB_DIR);
}

void tb_add_symlink(struct tb *b, const char *path, const char *target)
{
	push(b, path, TB_SYMLINK)->target = xstrdup(target);
}

void tb_add_hardlink(struct tb *b, const char *path, const char *target)
{
	push(b, path, TB_HARDLINK)->target = xstrdup(target);
}

void tb_add_zeros(struct tb *b, const char *path, uint64_t n)
{
	push(b, path, TB_ZEROS)->zeros = n;
}

void tb_add_fifo(struct tb *b, const char *path)
{
	push(b, path, TB_FIFO);
}

void tb_add_random(struct tb *b, const char *path, size_t n, uint32_t seed)
{
	unsigned char *p = xmalloc(n);
	uint64_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (unsigned char)(x >> 24);
	}
	tb_add(b, path, p, n);
	free(p);
}

void tb_add_raw(struct tb *b, const char *path, const char *s)
{
	tb_add_str(b, path, s);
	b->m[b->n - 1].raw = 1;
}

void tb_add_manifest(struct tb *b)
{
	tb_add_str(b, "manifest.json", tb_good_manifest);
}

int tb_replace(struct tb *b, const char *path, const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < b->n; i++) {
		if (strcmp(b->m[i].path, path) != 0)
			continue;
		free(b->m[i].data);
		b->m[i].data = xmalloc(n);
		memcpy(b->m[i].data, s, n);
		b->m[i].len = n;
		return 0;
	}
	return -1;
}

/* ---- SHA256SUMS ---- */

char *tb_sums_text(const struct tb *b, enum tb_sums_style style)
{
	size_t i, cap = 1, used = 0;
	char *out;

	for (i = 0; i < b->n; i++)
		cap += strlen(b->m[i].path) + 80;
	out = xmalloc(cap);
	out[0] = '\0';
	for (i = 0; i < b->n; i++) {
		const struct tb_member *m = &b->m[i];
		uint8_t d[TB_SHA256_LEN];
		char hex[2 * TB_SHA256_LEN + 1];

		if (m->kind != TB_FILE || m->raw ||
		    strcmp(m->path, "SHA256SUMS") == 0)
			continue;
		tb_sha256(m->data, m->len, d);
		tb_hex(d, sizeof(d), hex);
		used += (size_t)snprintf(out + used, cap - used, "%s %s%s",
					 hex,
					 style == TB_SUMS_BINARY ? "*" : " ",
					 style == TB_SUMS_DOTSLASH ? "./" : "");
		/* paths may hold any byte: append them verbatim */
		memcpy(out + used, m->path, strlen(m->path));
		used += strlen(m->path);
		out[used++] = '\n';
		out[used] = '\0';
	}
	return out;
}

void tb_add_sums(struct tb *b, enum tb_sums_style style)
{
	char *s = tb_sums_text(b, style);

	tb_add_str(b, "SHA256SUMS", s);
	free(s);
}

/* ---- a typical bundle ---- */

#define CID "4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a090"

static const char proc_stat[] =
	"cpu  10132 290 3084 468284 166 0 251 0 0 0\n"
	"cpu0 10132 290 3084 468284 166 0 251 0 0 0\n"
	"intr 199292 0 9 0 0 0 0 0 0 1 0\n"
	"ctxt 31274\nbtime 1795938200\nprocesses 2000\n"
	"procs_running 1\nprocs_blocked 0\n"
	"softirq 60000 0 100 0 200 0 0 300 0 0 400\n";

static const char pid_stat[] =
	"1 (systemd) S 0 1 1 0 -1 4194560 40377 1573862 96 849 218 366 "
	"4469 1829 20 0 1 0 24 172064768 3200 18446744073709551615 1 1 0 "
	"0 0 0 671173123 4096 1260 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

static const char pid_status[] =
	"Name:\tsystemd\nUmask:\t0000\nState:\tS (sleeping)\nTgid:\t1\n"
	"Ngid:\t0\nPid:\t1\nPPid:\t0\nTracerPid:\t0\nUid:\t0\t0\t0\t0\n"
	"Gid:\t0\t0\t0\t0\nFDSize:\t128\nGroups:\t\nNSpid:\t1\nNSpgid:\t1\n"
	"NSsid:\t1\nVmRSS:\t   12800 kB\nThreads:\t1\n";

static const char net_tcp[] =
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
	"retrnsmt   uid  timeout inode\n"
	"   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 "
	"00:00000000 00000000     0        0 23456 1 0000000000000000 100 "
	"0 0 10 0\n";

static const char docker_event[] =
	"{\"status\":\"start\",\"id\":\"" CID "\",\"from\":\"nginx:1.25\","
	"\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\""
	CID "\",\"Attributes\":{\"image\":\"nginx:1.25\",\"name\":\"web\"}},"
	"\"scope\":\"local\",\"time\":1795939201,"
	"\"timeNano\":1795939201000000000}\n";

static const char inspect_doc[] =
	"[{\"Id\":\"" CID "\",\"Created\":\"2026-11-29T07:59:00.000000000Z\","
	"\"Path\":\"/docker-entrypoint.sh\",\"Args\":[\"nginx\"],"
	"\"State\":{\"Status\":\"running\",\"Running\":true,\"Pid\":4242,"
	"\"StartedAt\":\"2026-11-29T07:59:01.000000000Z\"},"
	"\"Image\":\"sha256:" CID "\",\"Name\":\"/web\","
	"\"HostConfig\":{\"Privileged\":false,\"NetworkMode\":\"bridge\","
	"\"PidMode\":\"\",\"CapAdd\":null,\"Binds\":null},"
	"\"Mounts\":[],"
	"\"Config\":{\"Hostname\":\"4f3c2b1a0e9d\",\"Image\":\"nginx:1.25\","
	"\"Env\":[\"PATH=/usr/bin\"],\"Cmd\":[\"nginx\"],\"Labels\":{}},"
	"\"NetworkSettings\":{\"IPAddress\":\"172.17.0.2\",\"Networks\":"
	"{\"bridge\":{\"IPAddress\":\"172.17.0.2\",\"Gateway\":"
	"\"172.17.0.1\"}}}}]\n";

/* libpcap global header, little endian, Ethernet, no packets. */
static const unsigned char pcap_header[24] = {
	0xd4, 0xc3, 0xb2, 0xa1, 0x02, 0x00, 0x04, 0x00, 0, 0, 0, 0,
	0, 0, 0, 0, 0xff, 0xff, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
};

void tb_add_standard(struct tb *b)
{
	tb_add_manifest(b);
	tb_add_str(b, "proc/1795939200/stat", proc_stat);
	tb_add_str(b, "proc/1795939200/uptime", "1000.50 1900.25\n");
	tb_add_str(b, "proc/1795939200/1/stat", pid_stat);
	tb_add_str(b, "proc/1795939200/1/status", pid_status);
	tb_add_str(b, "proc/1795939200/1/net/tcp", net_tcp);
	tb_add_str(b, "proc/1795939205.500/1/status", pid_status);
	tb_add_str(b, "cgroup/1795939200/memory/libpod_parent/libpod-" CID
		      "/memory.stat", "cache 0\nrss 1048576\n");
	tb_add(b, "pcap/x.pcap", pcap_header, sizeof(pcap_header));
	tb_add_str(b, "events/docker.jsonl", docker_event);
	tb_add_str(b, "inspect/" CID ".json", inspect_doc);
}

/* ---- writing archives ---- */

static int set_filter(struct archive *a, enum tb_container c)
{
	switch (c) {
	case TB_TAR_ZST: return archive_write_add_filter_zstd(a);
	case TB_TAR_GZ: return archive_write_add_filter_gzip(a);
	case TB_TAR_XZ: return archive_write_add_filter_xz(a);
	default: return archive_write_add_filter_none(a);
	}
}

static int set_format(struct archive *a, enum tb_tarfmt f)
{
	switch (f) {
	case TB_FMT_USTAR: return archive_write_set_format_ustar(a);
	case TB_FMT_GNUTAR: return archive_write_set_format_gnutar(a);
	default: return archive_write_set_format_pax_restricted(a);
	}
}

/* The written name of a bundle path: [./][prefix/]path */
static char *written_name(const struct tb *b, const struct tb_member *m,
			  const char *path)
{
	size_t n = strlen(path) + (b->prefix ? strlen(b->prefix) : 0) + 8;
	char *s = xmalloc(n);

	if (m && m->raw)
		snprintf(s, n, "%s", path);
	else
		snprintf(s, n, "%s%s%s%s", b->dot_slash ? "./" : "",
			 b->prefix ? b->prefix : "", b->prefix ? "/" : "",
			 path);
	return s;
}

static int write_header(struct archive *a, struct archive_entry *e)
{
	if (archive_write_header(a, e) < ARCHIVE_WARN) {
		fprintf(stderr, "tb: header: %s\n", archive_error_string(a));
		return -1;
	}
	return 0;
}

static int write_zeros(struct archive *a, uint64_t n)
{
	static const unsigned char zero[65536];

	while (n) {
		size_t k = n < sizeof(zero) ? (size_t)n : sizeof(zero);

		if (archive_write_data(a, zero, k) != (la_ssize_t)k)
			return -1;
		n -= k;
	}
	return 0;
}

static int write_dir_entry(struct archive *a, const struct tb *b,
			   const char *path)
{
	struct archive_entry *e = archive_entry_new();
	char *name = written_name(b, NULL, path);
	int rc;

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFDIR);
	archive_entry_set_perm(e, 0755);
	archive_entry_set_mtime(e, 1764392000, 0);
	rc = write_header(a, e);
	archive_entry_free(e);
	free(name);
	return rc;
}

/* Directory entries for the parents of path not written yet. */
static int write_parents(struct archive *a, const struct tb *b,
			 const char *path, char **seen, size_t *nseen)
{
	char *copy = xstrdup(path), *slash;
	size_t i;
	int rc = 0;

	for (slash = strchr(copy, '/'); slash && !rc;
	     slash = strchr(slash + 1, '/')) {
		int dup = 0;

		*slash = '\0';
		for (i = 0; i < *nseen; i++)
			dup |= strcmp(seen[i], copy) == 0;
		if (!dup) {
			seen[(*nseen)++] = xstrdup(copy);
			rc = write_dir_entry(a, b, copy);
		}
		*slash = '/';
	}
	free(copy);
	return rc;
}

static int write_member(struct archive *a, const struct tb *b,
			const struct tb_member *m)
{
	struct archive_entry *e = archive_entry_new();
	char *name = written_name(b, m, m->path);
	char *target = NULL;
	int rc;

	archive_entry_set_pathname(e, name);
	archive_entry_set_mtime(e, 1764392000, 0);
	archive_entry_set_perm(e, m->kind == TB_DIR ? 0755 : 0644);
	switch (m->kind) {
	case TB_DIR:
		archive_entry_set_filetype(e, AE_IFDIR);
		break;
	case TB_SYMLINK:
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_symlink(e, m->target);
		break;
	case TB_HARDLINK:
		target = written_name(b, NULL, m->target);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_hardlink(e, target);
		archive_entry_set_size(e, 0);
		break;
	case TB_ZEROS:
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_size(e, (la_int64_t)m->zeros);
		break;
	case TB_FIFO:
		archive_entry_set_filetype(e, AE_IFIFO);
		break;
	default:
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_size(e, (la_int64_t)m->len);
	}
	rc = write_header(a, e);
	if (!rc && m->kind == TB_FILE && m->len &&
	    archive_write_data(a, m->data, m->len) != (la_ssize_t)m->len)
		rc = -1;
	if (!rc && m->kind == TB_ZEROS)
		rc = write_zeros(a, m->zeros);
	archive_entry_free(e);
	free(name);
	free(target);
	return rc;
}

static int write_all(struct archive *a, const struct tb *b)
{
	char **seen = xmalloc((b->n * 16 + 1) * sizeof(*seen));
	size_t nseen = 0, i;
	int rc = 0;

	if (b->dir_entries && (b->prefix || b->dot_slash)) {
		seen[nseen++] = xstrdup("");
		rc = write_dir_entry(a, b, "");
	}
	for (i = 0; i < b->n && !rc; i++) {
		const struct tb_member *m = &b->m[i];

		if (b->dir_entries && !m->raw &&
		    strlen(m->path) < 4096 && strchr(m->path, '/'))
			rc = write_parents(a, b, m->path, seen, &nseen);
		if (!rc)
			rc = write_member(a, b, m);
	}
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	if (rc)
		fprintf(stderr, "tb: write: %s\n", archive_error_string(a));
	return rc;
}

static struct archive *writer(const struct tb *b, enum tb_container c)
{
	struct archive *a = archive_write_new();

	if (!a || set_filter(a, c) != ARCHIVE_OK ||
	    set_format(a, b->format) != ARCHIVE_OK) {
		fprintf(stderr, "tb: writer setup failed\n");
		archive_write_free(a);
		return NULL;
	}
	/* fast beats small here (plain tar has no level: ignored) */
	if (c != TB_TAR)
		(void)archive_write_set_filter_option(a, NULL,
						      "compression-level", "1");
	return a;
}

int tb_write(const struct tb *b, const char *path, enum tb_container c)
{
	struct archive *a = writer(b, c);
	int rc;

	if (!a)
		return -1;
	if (archive_write_open_filename(a, path) != ARCHIVE_OK) {
		fprintf(stderr, "tb: open %s: %s\n", path,
			archive_error_string(a));
		archive_write_free(a);
		return -1;
	}
	rc = write_all(a, b);
	if (archive_write_close(a) != ARCHIVE_OK)
		rc = -1;
	archive_write_free(a);
	return rc;
}

int tb_write_memory(const struct tb *b, enum tb_container c, void **out,
		    size_t *n)
{
	size_t cap = 8 << 20, used = 0;
	void *buf = NULL;
	int rc = -1;

	/* archive_write_open_memory needs the size up front: grow on fail */
	for (; cap <= (size_t)1 << 30; cap *= 4) {
		struct archive *a = writer(b, c);

		if (!a)
			break;
		buf = xmalloc(cap);
		if (archive_write_open_memory(a, buf, cap, &used) ==
			    ARCHIVE_OK &&
		    write_all(a, b) == 0 &&
		    archive_write_close(a) == ARCHIVE_OK)
			rc = 0;
		archive_write_free(a);
		if (rc == 0)
			break;
		free(buf);
		buf = NULL;
	}
	if (rc == 0) {
		*out = buf;
		*n = used;
	}
	return rc;
}

/* ---- writing folders ---- */

static int mkdir_parents(char *path)
{
	char *p;

	for (p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

static int write_dir_member(const struct tb *b, const char *root,
			    const struct tb_member *m)
{
	char *rel = written_name(b, m, m->path), *full = tb_join(root, rel);
	char *target = NULL;
	int rc = mkdir_parents(full);

	if (!rc) {
		switch (m->kind) {
		case TB_DIR:
			rc = mkdir(full, 0755) != 0 && errno != EEXIST;
			break;
		case TB_SYMLINK:
			rc = symlink(m->target, full);
			break;
		case TB_HARDLINK:
			free(rel);
			rel = written_name(b, NULL, m->target);
			target = tb_join(root, rel);
			rc = link(target, full);
			break;
		case TB_ZEROS:
			rc = tb_write_file(full, "", 0) ||
			     truncate(full, (off_t)m->zeros);
			break;
		case TB_FIFO:
			rc = mkfifo(full, 0644);
			break;
		default:
			rc = tb_write_file(full, m->data, m->len);
		}
	}
	if (rc)
		fprintf(stderr, "tb: cannot create %s: %s\n", full,
			strerror(errno));
	free(rel);
	free(full);
	free(target);
	return rc ? -1 : 0;
}

int tb_write_dir(const struct tb *b, const char *root)
{
	size_t i;

	if (mkdir(root, 0755) != 0 && errno != EEXIST)
		return -1;
	for (i = 0; i < b->n; i++) {
		if (b->m[i].raw) {
			fprintf(stderr, "tb: raw paths cannot be folders\n");
			return -1;
		}
		if (write_dir_member(b, root, &b->m[i]))
			return -1;
	}
	return 0;
}

/* ---- files and folders ---- */

char *tb_tmpdir(void)
{
	char tmpl[] = "/tmp/sv-test-XXXXXX";

	if (!mkdtemp(tmpl))
		return NULL;
	return xstrdup(tmpl);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D) {
		if (rmdir(path) != 0) {
			/* maybe made unwritable by a test: restore and retry */
			(void)chmod(path, 0700);
			(void)rmdir(path);
		}
	} else {
		(void)unlink(path);
	}
	return 0;
}

void tb_rmrf(const char *path)
{
	if (!path || strncmp(path, "/tmp/", 5) != 0)
		return; /* never anything outside /tmp */
	(void)nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tb_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = xmalloc(n);

	snprintf(s, n, "%s/%s", a, b);
	return s;
}

char *tb_read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, used = 0, k;
	char *buf;

	if (!f)
		return NULL;
	buf = xmalloc(cap + 1);
	while ((k = fread(buf + used, 1, cap - used, f)) > 0) {
		used += k;
		if (used == cap) {
			char *nb = realloc(buf, cap * 2 + 1);

			if (!nb)
				abort();
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	buf[used] = '\0';
	if (n)
		*n = used;
	return buf;
}

int tb_write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	int rc;

	if (!f)
		return -1;
	rc = (n && fwrite(data, 1, n, f) != n) ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

int tb_truncate_file(const char *path, uint64_t n)
{
	return truncate(path, (off_t)n) == 0 ? 0 : -1;
}

int tb_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int tb_count_prefixed(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* ---- digests ---- */

void tb_sha256(const void *data, size_t n, uint8_t out[TB_SHA256_LEN])
{
	unsigned int len = 0;

	if (EVP_Digest(data, n, out, &len, EVP_sha256(), NULL) != 1 ||
	    len != TB_SHA256_LEN)
		abort();
}

int tb_sha256_file(const char *path, uint8_t out[TB_SHA256_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char buf[65536];
	unsigned int len = 0;
	FILE *f = fopen(path, "rb");
	size_t k;
	int rc = -1;

	if (f && ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1) {
		rc = 0;
		while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
			if (EVP_DigestUpdate(ctx, buf, k) != 1)
				rc = -1;
		if (ferror(f) || EVP_DigestFinal_ex(ctx, out, &len) != 1)
			rc = -1;
	}
	if (f)
		fclose(f);
	EVP_MD_CTX_free(ctx);
	return rc;
}

void tb_hex(const uint8_t *d, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * n] = '\0';
}

extern char **environ;

int tb_spawn(const char *bin, const char *const *args, const char *out,
	     const char *err)
{
	posix_spawn_file_actions_t fa;
	char **argv;
	size_t n = 0, i;
	pid_t pid;
	int rc, status;

	while (args[n])
		n++;
	argv = calloc(n + 2, sizeof(*argv));
	if (!argv)
		return -1;
	argv[0] = (char *)bin;
	for (i = 0; i < n; i++)
		argv[i + 1] = (char *)args[i];
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	rc = posix_spawn(&pid, bin, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	free(argv);
	if (rc != 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
