/*
 * cli_train.c - `salvage train [OPTION]... CLEAN-BUNDLE... -o MODEL`:
 * learn per-workload baselines (models/sv_baseline.h) from clean
 * bundles and write a model file (sv_modelfile.h).
 *
 * Each bundle runs through the pipeline and sv_featurize, and is
 * trained into a baseline of its own; the per-bundle baselines are then
 * merged in the order of their bundles' SHA-256 (the same order `salvage
 * merge` uses), so that a model does not depend on the order of the
 * command line, and `train A B` equals `merge (train --partial A)
 * (train --partial B)` exactly. A bundle is known by the SHA-256 of its
 * stored file: a folder has none, so folders are refused (pack them).
 *
 * A bundle that cannot be read or trusted is not learned from: no model
 * is written (exit 3), unless --skip-bad (it is listed and left out,
 * and the exit code is still 3, as analyze does).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sv_cli.h"
#include "sv_cursor.h"
#include "sv_featurize.h"
#include "sv_modelfile.h"
#include "sv_text.h"

static const char help[] =
	"usage: salvage train [OPTION]... CLEAN-BUNDLE... -o MODEL\n"
	"Learn what each workload normally does from clean capture bundles\n"
	"and write a model file (XML, models/model.xsd) for analyze --model.\n"
	"A bundle is known by the SHA-256 of its file, which the model\n"
	"records: folders are refused (pack one with tar --zstd -cf), and a\n"
	"bundle given twice is a usage error.\n\n"
	"  -o, --output MODEL     the model file to write (atomically)\n"
	"  --window SECONDS       length of a feature window, 1..86400 [10]\n"
	"  --workload PATTERN=KEY containers whose name, else image, matches\n"
	"                         the glob PATTERN belong to workload KEY\n"
	"                         (repeatable; first match wins) [by image\n"
	"                         or Kubernetes owner]\n"
	"  --far RATE             false-alarm rate the thresholds are set\n"
	"                         for, 0 < RATE < 1 [0.01]\n"
	"  --partial              write the statistics without fitting, for\n"
	"                         salvage merge (map-reduce)\n"
	"  --skip-bad             leave out a bundle that cannot be read or\n"
	"                         trusted (listed on stderr) instead of\n"
	"                         writing no model\n"
	"  -q, --quiet            no progress line, no summary\n"
	"  -h, --help             this help\n\n" SV_LIMIT_HELP
	"\nExit codes: 0 ok, 2 usage error, 3 a bundle could not be read or\n"
	"trusted (no model is written, unless --skip-bad), 4 the model could\n"
	"not be written.\n";

struct train_opts {
	struct sv_pipeline_options pipe;
	struct sv_featurize_options feat;
	struct sv_workload_rule rules[SV_WORKLOAD_RULES_MAX];
	size_t n_rules;
	double far;
	int partial, skip_bad, quiet;
	const char *out;
};

/* One bundle's baseline, kept until all are merged. */
struct part {
	char sha256[65];
	const char *path;
	struct sv_baseline *b;
};

struct parts {
	struct part *v;
	size_t n;
};

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "salvage train: %s", what);
	if (arg)
		sv_cli_put(stderr, arg);
	fputc('\n', stderr);
	fputs(help, stderr);
	return SV_EXIT_USAGE;
}

static void put_error(const char *path, const struct sv_error *err)
{
	fputs("salvage train: ", stderr);
	sv_cli_put(stderr, path);
	fputs(": ", stderr);
	sv_cli_put(stderr, err->msg);
	fputc('\n', stderr);
}

/* The whole of arg as a double in (0, 1). */
static int parse_far(const char *arg, double *out)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v > 0.0 && v < 1.0))
		return -1;
	*out = v;
	return 0;
}

static int parse_window(const char *arg, int64_t *ns)
{
	const char *p = arg;
	uint64_t s;

	if (sv_str_u64(&p, arg + strlen(arg), 86400, &s) || *p || s == 0)
		return -1;
	*ns = (int64_t)s * 1000000000LL;
	return 0;
}

static int add_rule(struct train_opts *t, char *spec)
{
	struct sv_error err;

	if (t->n_rules == SV_WORKLOAD_RULES_MAX)
		return usage_error("too many --workload rules", NULL);
	sv_error_clear(&err);
	if (sv_workload_rule_parse(spec, &t->rules[t->n_rules], &err))
		return usage_error("--workload: ", err.msg);
	t->rules[t->n_rules].next = NULL;
	if (t->n_rules)
		t->rules[t->n_rules - 1].next = &t->rules[t->n_rules];
	t->n_rules++;
	t->feat.workloads = t->rules;
	return 0;
}

/* Options into t; -1 help printed (exit 0), > 0 an exit code. */
static int parse_args(int argc, char **argv, struct train_opts *t)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"window", required_argument, NULL, 'W'},
		{"workload", required_argument, NULL, 'K'},
		{"far", required_argument, NULL, 'F'},
		{"partial", no_argument, NULL, 'P'},
		{"skip-bad", no_argument, NULL, 'S'},
		SV_LIMIT_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		rc = 0;
		if (c == 'o')
			t->out = optarg;
		else if (c == 'q')
			t->quiet = 1;
		else if (c == 'h')
			return -1;
		else if (c == 'W' && parse_window(optarg, &t->feat.window_ns))
			rc = usage_error("--window takes whole seconds, "
					 "1..86400: ", optarg);
		else if (c == 'K')
			rc = add_rule(t, optarg);
		else if (c == 'F' && parse_far(optarg, &t->far))
			rc = usage_error("--far takes a rate between 0 and 1: ",
					 optarg);
		else if (c == 'P')
			t->partial = 1;
		else if (c == 'S')
			t->skip_bad = 1;
		else if (c >= 1000 && sv_cli_limit_option(c, optarg, &t->pipe))
			rc = usage_error("bad value for --",
					 sv_cli_limit_name(c));
		else if (c == '?' || c == ':')
			rc = usage_error("bad option", NULL);
		if (rc)
			return rc;
	}
	if (optind >= argc)
		return usage_error("no bundle given", NULL);
	if (!t->out)
		return usage_error("-o MODEL is required", NULL);
	return 0;
}

/* Folders have no stored-file hash to record: refused before any work. */
static int check_paths(int argc, char **argv)
{
	struct stat sb;
	int i;

	for (i = optind; i < argc; i++) {
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			fputs("salvage train: ", stderr);
			sv_cli_put(stderr, argv[i]);
			fputs(" is a folder: a model records each bundle's "
			      "SHA-256, which only a packed bundle has (tar "
			      "--zstd -cf NAME.tar.zst -C FOLDER .)\n", stderr);
			return SV_EXIT_USAGE;
		}
	}
	return 0;
}

/* 1 when a's file was seen already (then both names are printed). */
static int seen_before(const struct parts *ps, const char *sha,
		       const char *path)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		if (strcmp(ps->v[i].sha256, sha))
			continue;
		fputs("salvage train: ", stderr);
		sv_cli_put(stderr, ps->v[i].path);
		fputs(" and ", stderr);
		sv_cli_put(stderr, path);
		fprintf(stderr, " are the same bundle (sha256 %s): a bundle is "
				"trained on once\n", sha);
		return 1;
	}
	return 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
}

/* Features of a trusted analysis into a new baseline of its own. */
static int learn(const struct sv_analysis *a, const char *sha,
		 const char *path, const struct train_opts *t,
		 struct sv_baseline **out)
{
	struct sv_feat_set fs;
	struct sv_error err;
	const char *base = base_name(path);
	char *name;
	enum sv_status st;

	sv_error_clear(&err);
	st = sv_featurize(a, &t->feat, a->arena, &fs, &err);
	if (st == SV_OK)
		st = sv_baseline_new(fs.window_ns, t->far, out, &err);
	if (st == SV_OK) {
		/* The name is for people: clean, so the file stays text. */
		name = sv_text_clean(NULL, base, strlen(base), 255);
		st = sv_baseline_train(*out, &fs, sha, name ? name : "?",
				       &err);
		free(name);
		if (st != SV_OK) {
			sv_baseline_free(*out);
			*out = NULL;
		}
	}
	if (st == SV_OK)
		return SV_EXIT_OK;
	put_error(path, &err);
	return st == SV_ERR_USAGE ? SV_EXIT_USAGE
	       : st == SV_ERR_NOMEM ? SV_EXIT_OUTPUT : SV_EXIT_INPUT;
}

/* Read, check and learn one bundle into ps. */
static int train_one(const char *path, const struct train_opts *t,
		     struct parts *ps)
{
	struct sv_error err;
	struct sv_analysis *a = sv_pipeline_run(path, &t->pipe, &err);
	struct part *p = &ps->v[ps->n];
	int rc = SV_EXIT_OK;

	if (!a) {
		put_error(path, &err);
		return SV_EXIT_OUTPUT;
	}
	if (!sv_analysis_input_ok(a) || !a->stats.has_digest) {
		sv_cli_print_errors(a, 20);
		fputs("salvage train: ", stderr);
		sv_cli_put(stderr, path);
		fprintf(stderr, ": cannot be read or trusted: %s\n",
			t->skip_bad ? "skipped" : "no model is written");
		rc = SV_EXIT_INPUT;
	} else {
		sv_hex_encode(a->stats.digest, sizeof(a->stats.digest),
			      p->sha256);
		if (seen_before(ps, p->sha256, path))
			rc = SV_EXIT_USAGE;
		else
			rc = learn(a, p->sha256, path, t, &p->b);
	}
	if (rc == SV_EXIT_OK) {
		p->path = path;
		ps->n++;
	}
	sv_analysis_free(a);
	return rc;
}

static int by_sha(const void *x, const void *y)
{
	const struct part *a = x, *b = y;

	return strcmp(a->sha256, b->sha256);
}

/* The parts merged in SHA-256 order into *out. */
static int merge_parts(struct parts *ps, const struct train_opts *t,
		       struct sv_baseline **out)
{
	struct sv_error err;
	enum sv_status st;
	size_t i;

	qsort(ps->v, ps->n, sizeof(ps->v[0]), by_sha);
	sv_error_clear(&err);
	st = sv_baseline_new(ps->v[0].b->window_ns, t->far, out, &err);
	for (i = 0; i < ps->n && st == SV_OK; i++)
		st = sv_baseline_merge(*out, ps->v[i].b, &err);
	if (st == SV_OK && !t->partial)
		st = sv_baseline_fit(*out, &err);
	if (st == SV_OK) {
		(*out)->partial = t->partial;
		return SV_EXIT_OK;
	}
	put_error(t->out, &err);
	return st == SV_ERR_NOMEM ? SV_EXIT_OUTPUT : SV_EXIT_INPUT;
}

static void summary(const struct sv_baseline *b, const char *path)
{
	size_t i;

	printf("model: ");
	sv_cli_put(stdout, path);
	printf(" (%zu bundle%s, %zu workload%s, %s)\n", b->n_bundles,
	       b->n_bundles == 1 ? "" : "s", b->n_wl, b->n_wl == 1 ? "" : "s",
	       b->partial ? "partial: not fitted" : "fitted");
	for (i = 0; i < b->n_wl; i++) {
		printf("  ");
		sv_cli_put(stdout, b->wl[i]->key);
		printf(": %llu container%s, %llu window%s\n",
		       (unsigned long long)b->wl[i]->containers,
		       b->wl[i]->containers == 1 ? "" : "s",
		       (unsigned long long)b->wl[i]->win.n,
		       b->wl[i]->win.n == 1 ? "" : "s");
	}
}

static int train_all(int argc, char **argv, const struct train_opts *t,
		     struct parts *ps)
{
	int i, r, rc = SV_EXIT_OK;

	for (i = optind; i < argc; i++) {
		r = train_one(argv[i], t, ps);
		rc = sv_exit_worst(rc, r);
		if (r == SV_EXIT_USAGE || r == SV_EXIT_OUTPUT)
			break;
	}
	return rc;
}

static int train_write(const struct parts *ps, const struct train_opts *t,
		       int rc)
{
	struct sv_baseline *b = NULL;
	struct sv_error err;

	if (rc == SV_EXIT_USAGE || rc == SV_EXIT_OUTPUT ||
	    (rc == SV_EXIT_INPUT && !t->skip_bad))
		return rc;
	if (ps->n == 0) {
		fprintf(stderr, "salvage train: no bundle left to learn "
				"from: no model is written\n");
		return SV_EXIT_INPUT;
	}
	rc = sv_exit_worst(rc, merge_parts((struct parts *)ps, t, &b));
	sv_error_clear(&err);
	if (b && rc != SV_EXIT_OUTPUT &&
	    sv_modelfile_write(b, t->out, &err) != SV_OK) {
		put_error(t->out, &err);
		rc = SV_EXIT_OUTPUT;
	} else if (b && !t->quiet) {
		summary(b, t->out);
	}
	sv_baseline_free(b);
	return rc;
}

int sv_cmd_train(int argc, char **argv)
{
	struct train_opts *t = calloc(1, sizeof(*t));
	struct parts ps = {NULL, 0};
	size_t i;
	int rc;

	if (!t)
		return SV_EXIT_OUTPUT;
	sv_pipeline_options_default(&t->pipe);
	t->far = SV_BL_FAR_DEFAULT;
	rc = parse_args(argc, argv, t);
	if (rc == 0)
		rc = check_paths(argc, argv);
	if (rc == 0) {
		t->pipe.progress = !t->quiet && isatty(2);
		ps.v = calloc((size_t)(argc - optind), sizeof(*ps.v));
		rc = ps.v ? train_all(argc, argv, t, &ps) : SV_EXIT_OUTPUT;
		rc = train_write(&ps, t, rc);
	} else if (rc < 0) {
		fputs(help, stdout);
		rc = SV_EXIT_OK;
	}
	for (i = 0; i < ps.n; i++)
		sv_baseline_free(ps.v[i].b);
	free(ps.v);
	free(t);
	return rc;
}
