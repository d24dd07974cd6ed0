/*
 * cli_merge.c - `salvage merge [OPTION]... PART... -o MODEL`: combine
 * model files (usually `salvage train --partial` runs over disjoint sets
 * of bundles) into one, fitted unless --partial (map-reduce training).
 *
 * Every part is read and checked whole (sv_modelfile_read: schema,
 * checksum, impossible numbers) before anything is merged. Parts are
 * merged in the order of their first training bundle's SHA-256, the
 * order `salvage train` merges its bundles in, so that the model does
 * not depend on the order of the command line and `merge` of
 * single-bundle parts equals `train` on those bundles exactly. Parts
 * must agree on window, false-alarm rate and alpha, and share no
 * bundle.
 */
#include <stdlib.h>
#include <string.h>

#include "sv_cli.h"
#include "sv_modelfile.h"

static const char help[] =
	"usage: salvage merge [OPTION]... PART... -o MODEL\n"
	"Merge model files (salvage train --partial runs over different\n"
	"bundles) into one model, fitted for analyze --model. The parts must\n"
	"have the same --window and --far and share no bundle; the result\n"
	"does not depend on their order.\n\n"
	"  -o, --output MODEL  the model file to write (atomically)\n"
	"  --partial           write the merged statistics without fitting,\n"
	"                      to merge again later\n"
	"  -q, --quiet         no summary\n"
	"  -h, --help          this help\n"
	"\nExit codes: 0 ok, 2 usage error (also: parts that cannot be\n"
	"merged), 3 a part was refused (not a model, newer, corrupt: the\n"
	"reason is printed), 4 the model could not be written.\n";

struct mpart {
	const char *path;
	size_t pos;              /* on the command line */
	struct sv_baseline *b;
};

static int usage_error(const char *msg)
{
	fprintf(stderr, "salvage merge: %s\n", msg);
	fputs(help, stderr);
	return SV_EXIT_USAGE;
}

static void put_error(const char *path, const struct sv_error *err)
{
	char line[SV_ERROR_ARTIFACT_MAX + SV_ERROR_MSG_MAX + 64];

	fputs("salvage merge: ", stderr);
	if (path) {
		sv_cli_put(stderr, path);
		fputs(": ", stderr);
		sv_cli_put(stderr, err->msg);
	} else {
		sv_error_format(err, line, sizeof(line));
		sv_cli_put(stderr, line);
	}
	fputc('\n', stderr);
}

/* First training bundle's hash ("" for none), then the command line. */
static int by_first_bundle(const void *x, const void *y)
{
	const struct mpart *a = x, *b = y;
	const char *ha = a->b->n_bundles ? a->b->bundles[0].sha256 : "";
	const char *hb = b->b->n_bundles ? b->b->bundles[0].sha256 : "";
	int c = strcmp(ha, hb);

	if (c)
		return c;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int read_parts(char **paths, size_t n, struct mpart *v)
{
	struct sv_error err;
	enum sv_status st;
	size_t i;

	for (i = 0; i < n; i++) {
		v[i].path = paths[i];
		v[i].pos = i;
		sv_error_clear(&err);
		st = sv_modelfile_read(paths[i], &v[i].b, &err);
		if (st != SV_OK) {
			v[i].b = NULL;
			put_error(NULL, &err);
			return st == SV_ERR_NOMEM ? SV_EXIT_OUTPUT
						  : SV_EXIT_INPUT;
		}
	}
	return SV_EXIT_OK;
}

/* The parts (sorted) merged into *out, fitted unless partial. */
static int merge_all(struct mpart *v, size_t n, int partial,
		     struct sv_baseline **out)
{
	struct sv_error err;
	enum sv_status st;
	size_t i;

	qsort(v, n, sizeof(*v), by_first_bundle);
	sv_error_clear(&err);
	st = sv_baseline_new(v[0].b->window_ns, v[0].b->far, out, &err);
	if (st == SV_OK)
		(*out)->alpha = v[0].b->alpha;
	for (i = 0; i < n && st == SV_OK; i++) {
		st = sv_baseline_merge(*out, v[i].b, &err);
		if (st != SV_OK) {
			put_error(v[i].path, &err);
			return st == SV_ERR_USAGE ? SV_EXIT_USAGE
			       : st == SV_ERR_NOMEM ? SV_EXIT_OUTPUT
						    : SV_EXIT_INPUT;
		}
	}
	if (st == SV_OK && !partial)
		st = sv_baseline_fit(*out, &err);
	if (st != SV_OK) {
		put_error(NULL, &err);
		return st == SV_ERR_NOMEM ? SV_EXIT_OUTPUT : SV_EXIT_INPUT;
	}
	(*out)->partial = partial;
	return SV_EXIT_OK;
}

static void summary(const struct sv_baseline *b, const char *path,
		    size_t parts)
{
	printf("model: ");
	sv_cli_put(stdout, path);
	printf(" (%zu parts, %zu bundle%s, %zu workload%s, %s)\n", parts,
	       b->n_bundles, b->n_bundles == 1 ? "" : "s", b->n_wl,
	       b->n_wl == 1 ? "" : "s",
	       b->partial ? "partial: not fitted" : "fitted");
}

static int merge_write(char **paths, size_t n, const char *out,
		       int partial, int quiet)
{
	struct mpart *v = calloc(n, sizeof(*v));
	struct sv_baseline *b = NULL;
	struct sv_error err;
	size_t i;
	int rc;

	if (!v)
		return SV_EXIT_OUTPUT;
	rc = read_parts(paths, n, v);
	if (rc == SV_EXIT_OK)
		rc = merge_all(v, n, partial, &b);
	sv_error_clear(&err);
	if (rc == SV_EXIT_OK && sv_modelfile_write(b, out, &err) != SV_OK) {
		put_error(out, &err);
		rc = SV_EXIT_OUTPUT;
	} else if (rc == SV_EXIT_OK && !quiet) {
		summary(b, out, n);
	}
	sv_baseline_free(b);
	for (i = 0; i < n; i++)
		sv_baseline_free(v[i].b);
	free(v);
	return rc;
}

int sv_cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"partial", no_argument, NULL, 'P'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *out = NULL;
	int c, partial = 0, quiet = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		if (c == 'o') {
			out = optarg;
		} else if (c == 'P') {
			partial = 1;
		} else if (c == 'q') {
			quiet = 1;
		} else if (c == 'h') {
			fputs(help, stdout);
			return SV_EXIT_OK;
		} else {
			fputs(help, stderr);
			return SV_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("no model given");
	if (!out)
		return usage_error("-o MODEL is required");
	return merge_write(argv + optind, (size_t)(argc - optind), out,
			   partial, quiet);
}
