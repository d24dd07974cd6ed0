/*
 * replay_driver.c - run a fuzz target without libFuzzer (zstd's
 * tests/fuzz/regression_driver.c), so seeds and crash reproducers replay
 * under any compiler as ctest cases.
 *
 *   fuzz_<name>_replay PATH...
 *
 * A file is one input; a directory contributes its files (not
 * subdirectories, not dot files) in name order. A missing path is noted
 * and skipped, so fuzz/regressions/<name> may not exist yet; replaying
 * nothing at all fails. Each input is copied into a buffer of exactly its
 * size, as libFuzzer does, so ASan catches reads past the end.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FILE (64L << 20)

static int replay_file(const char *path, unsigned long *count)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;
	size_t got;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    len > MAX_FILE || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "replay: %s: cannot size (or over %ld bytes)\n",
			path, MAX_FILE);
		fclose(f);
		return 1;
	}
	buf = malloc(len ? (size_t)len : 1);
	if (!buf) {
		fclose(f);
		fprintf(stderr, "replay: %s: out of memory\n", path);
		return 1;
	}
	got = fread(buf, 1, (size_t)len, f);
	fclose(f);
	if (got != (size_t)len) {
		free(buf);
		fprintf(stderr, "replay: %s: short read\n", path);
		return 1;
	}
	fprintf(stderr, "replay: %s (%ld bytes)\n", path, len);
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
	(*count)++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect the names first so the order does not depend on readdir(). */
static int replay_dir(const char *dir, unsigned long *count)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn;

			cap = cap ? cap * 2 : 64;
			nn = realloc(names, cap * sizeof(*names));
			if (!nn) {
				rc = 1;
				break;
			}
			names = nn;
		}
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			rc = 1;
			break;
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		struct stat st;
		int w = snprintf(path, sizeof(path), "%s/%s", dir, names[i]);

		if (w < 0 || (size_t)w >= sizeof(path))
			rc = 1;
		else if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			rc |= replay_file(path, count);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned long count = 0;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: missing, skipped\n",
				argv[i]);
			continue;
		}
		if (S_ISDIR(st.st_mode))
			rc |= replay_dir(argv[i], &count);
		else
			rc |= replay_file(argv[i], &count);
	}
	fprintf(stderr, "replay: %lu inputs, %s\n", count,
		rc ? "errors reading some" : "all ran");
	if (count == 0) {
		fprintf(stderr, "replay: no input at all\n");
		return 1;
	}
	return rc;
}
