/*
 * sv_bundle.c - libarchive streaming with limits, path checks and hashes.
 *
 *   stored file --read_cb--> [archive hash] --libarchive (zstd|gz|xz, tar)
 *        --> member blocks --> [member hash] --> caller
 *
 * We hand libarchive a read callback and no skip callback, so every
 * stored byte passes through read_cb and the provenance hash covers the
 * whole file. Only the tar format and the zstd, gzip and xz filters are
 * enabled (STYLE.md §2.12).
 */
#include "sv_bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK (1u << 20)
/* start_member(): the bundle root itself, skipped without a word. */
#define MEMBER_SKIP 1000

struct sv_bundle {
	struct archive *a;
	struct archive_entry *disk_entry; /* directories: reused entry */
	struct sv_arena *arena;
	struct sv_hasher *hasher;
	struct sv_bundle_limits lim;
	const char *name; /* for messages */

	/* raw source */
	int fd;
	const uint8_t *mem;
	size_t mem_len, mem_pos;
	uint8_t *buf;
	uint64_t stored_bytes;
	int is_dir;
	size_t dir_prefix_len;

	/* layout */
	int root_decided;
	int root_nomem;
	uint64_t root_seen;
	char *root_folder;

	/* current member */
	struct sv_bundle_file *cur;
	int cur_open;   /* data not yet read to the end */
	int cur_cut;    /* stopped at the size limit */
	uint64_t cur_next_off;

	struct sv_bundle_file *files_head, *files_tail;
	uint64_t entries, files, data_bytes;
	int eof, fatal, finished;
	enum sv_container container;
	uint8_t digest[SV_SHA256_LEN];
	uint8_t scratch_digest[SV_SHA256_LEN];
	char pathbuf[4096];
};

void sv_bundle_limits_default(struct sv_bundle_limits *l)
{
	l->max_entry_bytes = 16ULL << 30;  /* 16 GiB: a long pcap */
	l->max_entries = 5000000;          /* 1M /proc files x margin */
	l->max_total_bytes = 256ULL << 30; /* 256 GiB */
	l->max_ratio = 1000;
	l->ratio_grace_bytes = 256ULL << 20;
	l->max_path_len = 1024;
}

void sv_bundle_options_default(struct sv_bundle_options *o)
{
	sv_bundle_limits_default(&o->limits);
	o->hash_threaded = 1;
}

const char *sv_container_name(enum sv_container c)
{
	static const char *const names[] = {
		"unknown", "tar", "tar.zst", "tar.gz", "tar.xz", "directory",
	};

	return (unsigned)c < 6 ? names[c] : "unknown";
}

/* ---- raw source: every stored byte is hashed here ---- */

static ssize_t read_cb(struct archive *a, void *data, const void **out)
{
	struct sv_bundle *b = data;
	ssize_t n;

	if (b->mem) {
		size_t left = b->mem_len - b->mem_pos;

		n = (ssize_t)(left < READ_CHUNK ? left : READ_CHUNK);
		*out = b->mem + b->mem_pos;
		b->mem_pos += (size_t)n;
	} else {
		do
			n = read(b->fd, b->buf, READ_CHUNK);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			archive_set_error(a, errno, "read failed: %s",
					  strerror(errno));
			return -1;
		}
		*out = b->buf;
	}
	if (n > 0) {
		b->stored_bytes += (uint64_t)n;
		if (sv_hasher_update(b->hasher, SV_HASH_ARCHIVE, *out,
				     (size_t)n) != SV_OK) {
			archive_set_error(a, EIO, "hashing failed");
			return -1;
		}
	}
	return n;
}

static enum sv_status drain_raw(struct sv_bundle *b, struct sv_error *err)
{
	const void *p;
	ssize_t n;

	while ((n = read_cb(b->a, b, &p)) > 0)
		;
	if (n < 0)
		return sv_error_set(err, SV_ERR_IO, b->name, "%s",
				    archive_error_string(b->a));
	return SV_OK;
}

/* ---- opening ---- */

static struct sv_bundle *bundle_alloc(const char *name,
				      const struct sv_bundle_options *opt,
				      struct sv_arena *arena,
				      struct sv_error *err)
{
	struct sv_bundle *b = calloc(1, sizeof(*b));

	if (!b) {
		sv_error_set(err, SV_ERR_NOMEM, name, "out of memory");
		return NULL;
	}
	b->fd = -1;
	b->arena = arena;
	b->lim = opt->limits;
	b->name = sv_arena_strdup(arena, name);
	b->hasher = sv_hasher_new(opt->hash_threaded, err);
	if (!b->name || !b->hasher) {
		sv_bundle_close(b);
		sv_error_set(err, SV_ERR_NOMEM, name, "out of memory");
		return NULL;
	}
	return b;
}

static enum sv_status open_archive(struct sv_bundle *b, struct sv_error *err)
{
	b->a = archive_read_new();
	if (!b->a)
		return sv_error_set(err, SV_ERR_NOMEM, b->name,
				    "cannot create archive reader");
	if (archive_read_support_format_tar(b->a) != ARCHIVE_OK ||
	    archive_read_support_filter_zstd(b->a) != ARCHIVE_OK ||
	    archive_read_support_filter_gzip(b->a) != ARCHIVE_OK ||
	    archive_read_support_filter_xz(b->a) != ARCHIVE_OK)
		return sv_error_set(err, SV_ERR_UNSUPPORTED, b->name,
				    "libarchive lacks tar/zstd/gzip/xz: %s",
				    archive_error_string(b->a));
	if (archive_read_open2(b->a, b, NULL, read_cb, NULL, NULL) !=
	    ARCHIVE_OK)
		return sv_error_set(err, SV_ERR_CORRUPT, b->name,
				    "not a tar archive (plain, zstd, gzip or "
				    "xz): %s", archive_error_string(b->a));
	return SV_OK;
}

static enum sv_status open_dir(struct sv_bundle *b, const char *path,
			       struct sv_error *err)
{
	size_t len = strlen(path);

	b->is_dir = 1;
	b->container = SV_CONTAINER_DIR;
	while (len > 1 && path[len - 1] == '/')
		len--;
	b->dir_prefix_len = len;
	b->a = archive_read_disk_new();
	b->disk_entry = archive_entry_new();
	if (!b->a || !b->disk_entry)
		return sv_error_set(err, SV_ERR_NOMEM, b->name,
				    "cannot create directory reader");
	archive_read_disk_set_symlink_physical(b->a);
	archive_read_disk_set_behavior(b->a, ARCHIVE_READDISK_NO_XATTR |
					     ARCHIVE_READDISK_NO_ACL |
					     ARCHIVE_READDISK_NO_FFLAGS |
					     ARCHIVE_READDISK_NO_TRAVERSE_MOUNTS);
	if (archive_read_disk_open(b->a, path) != ARCHIVE_OK)
		return sv_error_set(err, SV_ERR_IO, b->name,
				    "cannot read directory: %s",
				    archive_error_string(b->a));
	return SV_OK;
}

enum sv_status sv_bundle_open(const char *path,
			      const struct sv_bundle_options *opt,
			      struct sv_arena *arena, struct sv_bundle **out,
			      struct sv_error *err)
{
	struct sv_bundle *b;
	struct stat st;
	enum sv_status rc;

	if (stat(path, &st) != 0)
		return sv_error_set(err, SV_ERR_IO, path, "cannot open: %s",
				    strerror(errno));
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
		return sv_error_set(err, SV_ERR_USAGE, path,
				    "not a file or a directory");
	b = bundle_alloc(path, opt, arena, err);
	if (!b)
		return err->code;
	if (S_ISDIR(st.st_mode)) {
		rc = open_dir(b, path, err);
	} else {
		b->fd = open(path, O_RDONLY | O_CLOEXEC);
		b->buf = malloc(READ_CHUNK);
		if (b->fd < 0)
			rc = sv_error_set(err, SV_ERR_IO, path,
					  "cannot open: %s", strerror(errno));
		else if (!b->buf)
			rc = sv_error_set(err, SV_ERR_NOMEM, path,
					  "out of memory");
		else
			rc = open_archive(b, err);
	}
	if (rc != SV_OK) {
		sv_bundle_close(b);
		return rc;
	}
	*out = b;
	return SV_OK;
}

enum sv_status sv_bundle_open_memory(const void *buf, size_t n,
				     const char *name,
				     const struct sv_bundle_options *opt,
				     struct sv_arena *arena,
				     struct sv_bundle **out,
				     struct sv_error *err)
{
	struct sv_bundle *b = bundle_alloc(name, opt, arena, err);
	enum sv_status rc;

	if (!b)
		return err->code;
	b->mem = buf ? buf : (const uint8_t *)"";
	b->mem_len = n;
	rc = open_archive(b, err);
	if (rc != SV_OK) {
		sv_bundle_close(b);
		return rc;
	}
	*out = b;
	return SV_OK;
}

/* ---- paths ---- */

static int is_contract_top(const char *s, size_t n)
{
	static const char *const tops[] = {
		"manifest.json", "SHA256SUMS", "proc", "cgroup",
		"pcap", "events", "inspect",
	};
	size_t i;

	for (i = 0; i < sizeof(tops) / sizeof(tops[0]); i++)
		if (strlen(tops[i]) == n && memcmp(tops[i], s, n) == 0)
			return 1;
	return 0;
}

/*
 * Normalise raw into b->pathbuf: drop "." and empty components, refuse
 * absolute paths and "..". Returns 0, or -1 with a reason in *why.
 */
static int normalise(struct sv_bundle *b, const char *raw, const char **why)
{
	size_t n = 0, len = strlen(raw);
	const char *p = raw, *end = raw + len;

	if (len > b->lim.max_path_len || len >= sizeof(b->pathbuf)) {
		*why = "path is longer than the limit (--max-path)";
		return -2;
	}
	if (raw[0] == '/') {
		*why = "absolute path refused";
		return -1;
	}
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t clen = (size_t)((slash ? slash : end) - p);

		if (clen == 2 && p[0] == '.' && p[1] == '.') {
			*why = "path with '..' refused";
			return -1;
		}
		if (clen > 0 && !(clen == 1 && p[0] == '.')) {
			if (n)
				b->pathbuf[n++] = '/';
			memcpy(b->pathbuf + n, p, clen);
			n += clen;
		}
		p += clen + (slash ? 1 : 0);
	}
	b->pathbuf[n] = '\0';
	return 0;
}

/*
 * Strip the single leading folder. The folder is recognised from
 * evidence, not from order: a member "X/<contract name>/..." (X itself not
 * a contract name) makes X the root; a member whose first component is a
 * contract name settles that there is none. Until one of them shows up,
 * paths are returned whole, so a stray "notes/readme.txt" first in a
 * bundle without a folder keeps its name. After ROOT_UNDECIDED_MAX
 * members without evidence, there is no leading folder.
 */
#define ROOT_UNDECIDED_MAX 64

static void decide_root(struct sv_bundle *b, const char *path, size_t clen,
			const char *slash)
{
	const char *second, *end;

	if (is_contract_top(path, clen) || ++b->root_seen > ROOT_UNDECIDED_MAX) {
		b->root_decided = 1;
		return;
	}
	if (!slash)
		return;
	second = slash + 1;
	end = strchr(second, '/');
	if (!is_contract_top(second, end ? (size_t)(end - second)
					 : strlen(second)))
		return;
	b->root_decided = 1;
	b->root_folder = sv_arena_strndup(b->arena, path, clen);
	if (!b->root_folder)
		b->root_nomem = 1;
}

static const char *strip_root(struct sv_bundle *b, const char *path)
{
	const char *slash = strchr(path, '/');
	size_t clen = slash ? (size_t)(slash - path) : strlen(path);

	if (!b->root_decided) {
		decide_root(b, path, clen, slash);
		if (b->root_nomem)
			return NULL;
	}
	if (b->root_folder && strlen(b->root_folder) == clen &&
	    memcmp(b->root_folder, path, clen) == 0)
		return slash ? slash + 1 : "";
	return path;
}

/* ---- members ---- */

static void finish_member_hash(struct sv_bundle *b)
{
	if (!b->cur_open)
		return;
	b->cur_open = 0;
	if (b->cur && !b->cur_cut) {
		b->cur->hashed = 1;
		(void)sv_hasher_final(b->hasher, SV_HASH_ENTRY,
				      b->cur->digest);
	} else {
		(void)sv_hasher_final(b->hasher, SV_HASH_ENTRY,
				      b->scratch_digest);
	}
}

static enum sv_status archive_fail(struct sv_bundle *b, struct sv_error *err,
				   const char *what)
{
	const char *msg = archive_error_string(b->a);
	enum sv_status code = SV_ERR_CORRUPT;

	if (!msg)
		msg = "unknown archive error";
	if (strstr(msg, "runcated") || strstr(msg, "remature") ||
	    strstr(msg, "nexpected end"))
		code = SV_ERR_TRUNCATED;
	b->fatal = 1;
	return sv_error_at(err, code, b->name,
			   b->is_dir ? 0 : b->stored_bytes, 0,
			   "%s%s%s: %s", what, b->cur ? " " : "",
			   b->cur ? b->cur->path : "", msg);
}

static enum sv_status check_stream_limits(struct sv_bundle *b,
					  struct sv_error *err)
{
	uint64_t out = b->is_dir ? b->data_bytes
				 : (uint64_t)archive_filter_bytes(b->a, 0);

	if (out > b->lim.max_total_bytes) {
		b->fatal = 1;
		return sv_error_set(err, SV_ERR_LIMIT, b->name,
				    "decompressed size passed the limit of "
				    "%llu bytes (--max-total)",
				    (unsigned long long)b->lim.max_total_bytes);
	}
	if (!b->is_dir && b->lim.max_ratio && out > b->lim.ratio_grace_bytes &&
	    out / b->lim.max_ratio > b->stored_bytes) {
		b->fatal = 1;
		return sv_error_set(err, SV_ERR_LIMIT, b->name,
				    "compression ratio passed %llu:1 after "
				    "%llu bytes: a decompression bomb? "
				    "(--max-ratio)",
				    (unsigned long long)b->lim.max_ratio,
				    (unsigned long long)out);
	}
	return SV_OK;
}

enum sv_status sv_bundle_read_block(struct sv_bundle *b, const uint8_t **p,
				    size_t *n, struct sv_error *err)
{
	const void *blk;
	size_t len;
	la_int64_t off;
	int r;

	if (b->fatal)
		return sv_error_set(err, SV_ERR_CORRUPT, b->name,
				    "read after a fatal error");
	if (!b->cur_open || b->cur_cut)
		return SV_EOF;
	do {
		r = archive_read_data_block(b->a, &blk, &len, &off);
	} while (r == ARCHIVE_OK && len == 0);
	if (r == ARCHIVE_EOF) {
		finish_member_hash(b);
		return SV_EOF;
	}
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
		return archive_fail(b, err, "cannot read member");
	if ((uint64_t)off != b->cur_next_off) {
		b->cur_cut = 1;
		return sv_error_set(err, SV_WARN, b->cur->path,
				    "sparse member not supported; read "
				    "stopped at offset %llu",
				    (unsigned long long)b->cur_next_off);
	}
	if (len > b->lim.max_entry_bytes - b->cur->size) {
		b->cur_cut = 1;
		return sv_error_set(err, SV_WARN, b->cur->path,
				    "member passed the size limit of %llu "
				    "bytes (--max-entry-size); rest skipped",
				    (unsigned long long)b->lim.max_entry_bytes);
	}
	b->cur_next_off += len;
	b->cur->size += len;
	b->data_bytes += len;
	SV_FORWARD(check_stream_limits(b, err));
	if (sv_hasher_update(b->hasher, SV_HASH_ENTRY, blk, len) != SV_OK) {
		b->fatal = 1;
		return sv_error_set(err, SV_ERR_IO, b->name, "hashing failed");
	}
	*p = blk;
	*n = len;
	return SV_OK;
}

static enum sv_status drain_member(struct sv_bundle *b, struct sv_error *err)
{
	const uint8_t *p;
	size_t n;
	enum sv_status rc;

	while ((rc = sv_bundle_read_block(b, &p, &n, err)) == SV_OK)
		;
	if (rc == SV_WARN) /* cut at the limit: already reported to the reader */
		rc = SV_EOF;
	finish_member_hash(b);
	return rc == SV_EOF ? SV_OK : rc;
}

static enum sv_status next_header(struct sv_bundle *b,
				  struct archive_entry **ae,
				  struct sv_error *err)
{
	int r, tries = 0;

	do {
		if (b->is_dir) {
			*ae = b->disk_entry;
			r = archive_read_next_header2(b->a, *ae);
		} else {
			r = archive_read_next_header(b->a, ae);
		}
	} while (r == ARCHIVE_RETRY && ++tries < 16);
	if (r == ARCHIVE_EOF) {
		b->eof = 1;
		return SV_EOF;
	}
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
		b->cur = NULL;
		return archive_fail(b, err, b->entries ? "after member"
							: "cannot read archive");
	}
	if (b->container == SV_CONTAINER_UNKNOWN) {
		switch (archive_filter_code(b->a, 0)) {
		case ARCHIVE_FILTER_ZSTD: b->container = SV_CONTAINER_TAR_ZST; break;
		case ARCHIVE_FILTER_GZIP: b->container = SV_CONTAINER_TAR_GZ; break;
		case ARCHIVE_FILTER_XZ: b->container = SV_CONTAINER_TAR_XZ; break;
		default: b->container = SV_CONTAINER_TAR; break;
		}
	}
	return SV_OK;
}

static const char *member_path(struct sv_bundle *b, struct archive_entry *ae)
{
	const char *raw = archive_entry_pathname(ae);

	if (raw && b->is_dir) {
		if (strlen(raw) < b->dir_prefix_len)
			return "";
		raw += b->dir_prefix_len;
		while (*raw == '/')
			raw++;
	}
	return raw;
}

/* The refusal reasons that depend on the member's type and size. */
static const char *type_refusal(struct sv_bundle *b, struct archive_entry *ae,
				enum sv_status *cls)
{
	mode_t t = archive_entry_filetype(ae);

	*cls = SV_ERR_CORRUPT;
	if (t == AE_IFLNK)
		return "symbolic link refused (links are never followed)";
	if (archive_entry_hardlink(ae))
		return "hard link refused (links are never followed)";
	if (t != AE_IFREG && t != AE_IFDIR)
		return "special file refused (device, fifo or socket)";
	*cls = SV_ERR_LIMIT;
	if (t == AE_IFREG && archive_entry_size_is_set(ae) &&
	    (uint64_t)archive_entry_size(ae) > b->lim.max_entry_bytes)
		return "member is larger than the limit (--max-entry-size)";
	return NULL;
}

/* err carries the class (SV_ERR_CORRUPT or SV_ERR_LIMIT); the return is
 * SV_WARN: the member is skipped and the stream goes on. */
static enum sv_status refuse(struct sv_bundle *b, const char *raw,
			     const char *why, enum sv_status cls,
			     struct sv_error *err)
{
	sv_error_set(err, cls, b->name, "member '%.200s': %s",
		     raw ? raw : "(undecodable name)", why);
	return SV_WARN;
}

static int start_member(struct sv_bundle *b,
				   struct archive_entry *ae,
				   struct sv_entry *entry,
				   struct sv_error *err)
{
	const char *raw = member_path(b, ae), *why = NULL, *path;
	enum sv_status cls;
	int nrc;
	int is_dir = archive_entry_filetype(ae) == AE_IFDIR;
	struct sv_bundle_file *f;

	if (!raw)
		return refuse(b, raw, "name is not decodable", SV_ERR_CORRUPT,
			      err);
	nrc = normalise(b, raw, &why);
	if (nrc)
		return refuse(b, raw, why,
			      nrc == -2 ? SV_ERR_LIMIT : SV_ERR_CORRUPT, err);
	if (is_dir && b->is_dir)
		archive_read_disk_descend(b->a);
	if (b->pathbuf[0] == '\0')
		return MEMBER_SKIP;
	/* A lone folder before the root is known may be the root itself:
	 * folders carry no content, so it is skipped. */
	if (is_dir && !b->root_decided && !strchr(b->pathbuf, '/') &&
	    !is_contract_top(b->pathbuf, strlen(b->pathbuf)))
		return MEMBER_SKIP;
	path = strip_root(b, b->pathbuf);
	if (!path)
		return sv_error_set(err, SV_ERR_NOMEM, b->name, "out of memory");
	if (path[0] == '\0')
		return MEMBER_SKIP;
	why = type_refusal(b, ae, &cls);
	if (why)
		return refuse(b, raw, why, cls, err);
	memset(entry, 0, sizeof(*entry));
	entry->type = is_dir ? SV_ENTRY_DIR : SV_ENTRY_FILE;
	entry->declared_size = archive_entry_size_is_set(ae) ?
		(uint64_t)archive_entry_size(ae) : 0;
	entry->path = sv_arena_strdup(b->arena, path);
	if (!entry->path)
		return sv_error_set(err, SV_ERR_NOMEM, b->name, "out of memory");
	if (is_dir)
		return SV_OK;
	f = sv_arena_alloc(b->arena, sizeof(*f));
	if (!f)
		return sv_error_set(err, SV_ERR_NOMEM, b->name, "out of memory");
	f->path = entry->path;
	f->index = b->entries;
	if (b->files_tail)
		b->files_tail->next = f;
	else
		b->files_head = f;
	b->files_tail = f;
	b->files++;
	b->cur = f;
	b->cur_open = 1;
	b->cur_cut = 0;
	b->cur_next_off = 0;
	entry->file = f;
	return SV_OK;
}

enum sv_status sv_bundle_next(struct sv_bundle *b, struct sv_entry *entry,
			      struct sv_error *err)
{
	struct archive_entry *ae;
	int rc;

	if (b->fatal)
		return sv_error_set(err, SV_ERR_CORRUPT, b->name,
				    "read after a fatal error");
	if (b->eof)
		return SV_EOF;
	if (b->cur_open)
		SV_FORWARD(drain_member(b, err));
	for (;;) {
		b->cur = NULL;
		rc = next_header(b, &ae, err);
		if (rc != SV_OK)
			return (enum sv_status)rc;
		if (++b->entries > b->lim.max_entries) {
			b->fatal = 1;
			return sv_error_set(err, SV_ERR_LIMIT, b->name,
					    "more than %llu members "
					    "(--max-entries)",
					    (unsigned long long)
						    b->lim.max_entries);
		}
		rc = start_member(b, ae, entry, err);
		if (rc != MEMBER_SKIP)
			return (enum sv_status)rc;
	}
}

enum sv_status sv_bundle_finish(struct sv_bundle *b, struct sv_error *err)
{
	if (b->finished)
		return SV_OK;
	b->finished = 1;
	if (!b->is_dir && !b->fatal) {
		SV_FORWARD(drain_raw(b, err));
		(void)sv_hasher_final(b->hasher, SV_HASH_ARCHIVE, b->digest);
	}
	if (sv_hasher_sync(b->hasher) != SV_OK)
		return sv_error_set(err, SV_ERR_IO, b->name, "hashing failed");
	return SV_OK;
}

void sv_bundle_stats(const struct sv_bundle *b, struct sv_bundle_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->container = b->container;
	st->stored_bytes = b->stored_bytes;
	if (b->a && !b->is_dir)
		st->decompressed_bytes = (uint64_t)archive_filter_bytes(b->a, 0);
	else
		st->decompressed_bytes = b->data_bytes;
	st->data_bytes = b->data_bytes;
	st->entries = b->entries;
	st->files = b->files;
	st->has_digest = !b->is_dir && b->finished && !b->fatal;
	if (st->has_digest)
		memcpy(st->digest, b->digest, sizeof(st->digest));
}

const struct sv_bundle_file *sv_bundle_files(const struct sv_bundle *b)
{
	return b->files_head;
}

int sv_bundle_failed(const struct sv_bundle *b)
{
	return b->fatal;
}

const char *sv_bundle_root_folder(const struct sv_bundle *b)
{
	return b->root_folder;
}

void sv_bundle_close(struct sv_bundle *b)
{
	if (!b)
		return;
	if (b->hasher)
		(void)sv_hasher_sync(b->hasher);
	if (b->a)
		archive_read_free(b->a);
	if (b->disk_entry)
		archive_entry_free(b->disk_entry);
	if (b->fd >= 0)
		close(b->fd);
	sv_hasher_free(b->hasher);
	free(b->buf);
	free(b);
}
