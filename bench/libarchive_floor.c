/*
 * libarchive_floor.c - the cost of libarchive alone on a bundle: open, zstd,
 * every tar header and every data block, nothing else (no hashing, no
 * readers). bench_bundle.sh times it beside zstd -dc and salvage when
 * BENCH_FLOOR=1, to show how much of salvage's time is the library's.
 *
 *   cc -O2 bench/libarchive_floor.c -o libarchive_floor -larchive
 *   ./libarchive_floor BUNDLE.tar.zst
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	struct archive *a;
	struct archive_entry *e;
	const void *p;
	size_t n;
	la_int64_t off;
	unsigned long long bytes = 0, members = 0;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: %s BUNDLE\n", argv[0]);
		return 2;
	}
	a = archive_read_new();
	archive_read_support_format_tar(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_xz(a);
	if (archive_read_open_filename(a, argv[1], 1 << 20) != ARCHIVE_OK) {
		fprintf(stderr, "%s: %s\n", argv[1], archive_error_string(a));
		return 1;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
	       r == ARCHIVE_WARN) {
		members++;
		while ((r = archive_read_data_block(a, &p, &n, &off)) ==
		       ARCHIVE_OK)
			bytes += n;
		if (r != ARCHIVE_EOF)
			break;
	}
	if (r != ARCHIVE_EOF) {
		fprintf(stderr, "%s: %s\n", argv[1], archive_error_string(a));
		return 1;
	}
	printf("%llu members, %llu data bytes\n", members, bytes);
	archive_read_free(a);
	return 0;
}
