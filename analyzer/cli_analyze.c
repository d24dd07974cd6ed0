/*
 * cli_analyze.c - `salvage analyze BUNDLE... -o DIR`: run the pipeline
 * on each bundle and write report.xml and report.html.
 *
 * One bundle writes DIR/report.*; several write DIR/<bundle name>/report.*
 * (names made unique). A bundle that fails does not stop the others.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sv_cli.h"
#include "sv_featurize.h"
#include "sv_modelfile.h"
#include "sv_outfile.h"
#include "sv_report.h"
#include "sv_rulesfile.h"

static const char help[] =
	"usage: salvage analyze [OPTION]... BUNDLE... -o DIR\n"
	"Analyse capture bundles (.tar.zst, .tar.gz, .tar.xz, .tar or a\n"
	"folder) and write report.xml (canonical, see reports/report.xsd) and\n"
	"report.html (self-contained) for each. With one bundle the reports go\n"
	"in DIR; with several, in DIR/<bundle name>/.\n\n"
	"  -o, --output DIR  where reports go (created if missing)\n"
	"  --fail-on SEV     exit 1 when a finding is at least SEV: info, low,\n"
	"                    medium, high or critical [off]\n"
	"  --model MODEL     score every container against the baselines of\n"
	"                    MODEL (made by salvage train or merge): novel\n"
	"                    programs, destinations, names; volumes and rates\n"
	"                    far above normal\n"
	"  --workload PATTERN=KEY  containers whose name, else image, match\n"
	"                    the glob PATTERN belong to workload KEY (as in\n"
	"                    train; repeatable, first match wins)\n"
	"  --rules FILE      add and tune detections from a rules file\n"
	"                    (docs/rules.md); problems name their line\n"
	"  -q, --quiet       no progress line, no report paths on stdout\n"
	"  -h, --help        this help\n\n" SV_LIMIT_HELP
	"\nExit codes: 0 ok, 1 findings at or above --fail-on, 2 usage error,\n"
	"3 a bundle could not be read or trusted (reports are still written\n"
	"when anything could be read), 4 a report could not be written.\n";

struct names {
	char **v;
	size_t n;
};

static int name_taken(const struct names *used, const char *s)
{
	size_t i;

	for (i = 0; i < used->n; i++)
		if (!strcmp(used->v[i], s))
			return 1;
	return 0;
}

/* DIR/<name>, or DIR/<name>-2, -3... when two bundles share a name. */
static int report_dir(const char *out, const char *name, int multi,
		      struct names *used, char *buf, size_t n)
{
	char cand[NAME_MAX + 1];
	char **nv;
	int k;

	if (!multi) {
		snprintf(buf, n, "%s", out);
		return 0;
	}
	snprintf(cand, sizeof(cand), "%s", name[0] && name[0] != '.'
					       ? name : "bundle");
	for (k = 2; name_taken(used, cand); k++)
		snprintf(cand, sizeof(cand), "%.200s-%d", name, k);
	nv = realloc(used->v, (used->n + 1) * sizeof(*nv));
	if (!nv)
		return -1;
	used->v = nv;
	used->v[used->n] = strdup(cand);
	if (!used->v[used->n])
		return -1;
	used->n++;
	return snprintf(buf, n, "%s/%s", out, cand) >= (int)n ? -1 : 0;
}

static int write_reports(const struct sv_analysis *a, const char *dir,
			 int quiet)
{
	struct sv_error err;

	sv_error_clear(&err);
	if (sv_mkdir_p(dir, &err) != SV_OK ||
	    sv_report_write_xml(a, dir, &err) != SV_OK ||
	    sv_report_write_html(a, dir, &err) != SV_OK) {
		fputs("salvage: ", stderr);
		sv_cli_put(stderr, err.artifact);
		fprintf(stderr, ": %s\n", err.msg);
		return SV_EXIT_OUTPUT;
	}
	if (!quiet) {
		printf("report: ");
		sv_cli_put(stdout, dir);
		printf("/report.html\n");
	}
	return SV_EXIT_OK;
}

/* 1 when a finding of a is at least sev (a negative sev: never). */
static int fails(const struct sv_analysis *a, int sev)
{
	int s;

	for (s = sev < 0 ? SV_SEV_COUNT : sev; s < SV_SEV_COUNT; s++)
		if (a->findings.by_severity[s])
			return 1;
	return 0;
}

static int analyze_one(const char *path, const char *out, int multi,
		       int quiet, int fail_on,
		       const struct sv_pipeline_options *o,
		       struct names *used)
{
	struct sv_error err;
	struct sv_analysis *a = sv_pipeline_run(path, o, &err);
	char dir[PATH_MAX];
	int rc = SV_EXIT_OK;

	if (!a) {
		fprintf(stderr, "salvage: %s\n", err.msg);
		return SV_EXIT_OUTPUT;
	}
	if (!sv_analysis_input_ok(a)) {
		sv_cli_print_errors(a, 20);
		rc = SV_EXIT_INPUT;
	}
	if (fails(a, fail_on))
		rc = sv_exit_worst(rc, SV_EXIT_FINDINGS);
	/* Nothing readable, or a version we must not interpret: no report. */
	if (a->opened && a->manifest_status != SV_MANIFEST_UNSUPPORTED) {
		if (report_dir(out, a->bundle_name, multi, used, dir,
			       sizeof(dir))) {
			fprintf(stderr, "salvage: output path too long\n");
			rc = SV_EXIT_OUTPUT;
		} else {
			rc = sv_exit_worst(rc, write_reports(a, dir, quiet));
		}
	}
	sv_analysis_free(a);
	return rc;
}

/* What detection needs besides the bundle: the model, workload rules
 * and the rules file, loaded once for every bundle. */
struct detect {
	struct sv_baseline *model;
	char checksum[65];          /* the model's, once for every bundle */
	struct sv_workload_rule wl[SV_WORKLOAD_RULES_MAX];
	size_t n_wl;
	struct sv_arena *rules_arena;
};

static int load_model(struct detect *d, const char *path,
		      struct sv_pipeline_options *o)
{
	struct sv_error err;
	char msg[SV_ERROR_ARTIFACT_MAX + SV_ERROR_MSG_MAX + 64];

	sv_baseline_free(d->model);
	d->model = NULL;
	sv_error_clear(&err);
	if (sv_modelfile_read(path, &d->model, &err) != SV_OK) {
		sv_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "salvage analyze: --model: ");
		sv_cli_put(stderr, msg);
		fputc('\n', stderr);
		return SV_EXIT_USAGE;
	}
	if (d->model->partial || !d->model->fitted) {
		fprintf(stderr, "salvage analyze: --model: ");
		sv_cli_put(stderr, path);
		fprintf(stderr, " is a partial model (train --partial): "
			"merge it first (salvage merge PART... -o MODEL)\n");
		return SV_EXIT_USAGE;
	}
	o->model = d->model;
	o->model_path = path;
	if (sv_baseline_digest(d->model, d->checksum) == SV_OK)
		o->model_checksum = d->checksum;
	return SV_EXIT_OK;
}

static int add_workload(struct detect *d, char *spec,
			struct sv_pipeline_options *o)
{
	struct sv_error err;

	if (d->n_wl >= SV_WORKLOAD_RULES_MAX) {
		fprintf(stderr, "salvage analyze: too many --workload rules "
			"(at most %d)\n", SV_WORKLOAD_RULES_MAX);
		return SV_EXIT_USAGE;
	}
	sv_error_clear(&err);
	if (sv_workload_rule_parse(spec, &d->wl[d->n_wl], &err) != SV_OK) {
		fprintf(stderr, "salvage analyze: --workload: ");
		sv_cli_put(stderr, err.msg);
		fputc('\n', stderr);
		return SV_EXIT_USAGE;
	}
	if (d->n_wl)
		d->wl[d->n_wl - 1].next = &d->wl[d->n_wl];
	d->n_wl++;
	o->workloads = d->wl;
	return SV_EXIT_OK;
}

static int load_rules(struct detect *d, const char *path,
		      struct sv_pipeline_options *o)
{
	static struct sv_rulesfile_errors errs;
	const struct sv_rulespec_set *set = NULL;
	char msg[SV_ERROR_ARTIFACT_MAX + SV_ERROR_MSG_MAX + 64];
	uint32_t i;

	if (!d->rules_arena)
		d->rules_arena = sv_arena_new(64ULL << 20);
	if (!d->rules_arena) {
		fprintf(stderr, "salvage analyze: out of memory\n");
		return SV_EXIT_OUTPUT;
	}
	if (sv_rulesfile_load(path, d->rules_arena, &set, &errs) == SV_OK) {
		o->rules = set;
		return SV_EXIT_OK;
	}
	for (i = 0; i < errs.n; i++) {
		sv_error_format(&errs.e[i], msg, sizeof(msg));
		fprintf(stderr, "salvage analyze: ");
		sv_cli_put(stderr, msg);
		fputc('\n', stderr);
	}
	if (errs.total > errs.n)
		fprintf(stderr, "salvage analyze: ... and %llu more problems\n",
			(unsigned long long)(errs.total - errs.n));
	return SV_EXIT_USAGE;
}

static void detect_free(struct detect *d)
{
	sv_baseline_free(d->model);
	sv_arena_free(d->rules_arena);
	memset(d, 0, sizeof(*d));
}

int sv_cmd_analyze(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"fail-on", required_argument, NULL, 'F'},
		{"model", required_argument, NULL, 'M'},
		{"workload", required_argument, NULL, 'K'},
		{"rules", required_argument, NULL, 'R'},
		SV_LIMIT_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	struct sv_pipeline_options o;
	struct names used = {NULL, 0};
	const char *out = NULL;
	int quiet = 0, fail_on = -1, c, i, rc = SV_EXIT_OK;
	enum sv_severity sev;
	size_t k;
	/* static: the workload rules make it too large for the stack */
	static struct detect d;

	sv_pipeline_options_default(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		if (c == 'o') {
			out = optarg;
		} else if (c == 'q') {
			quiet = 1;
		} else if (c == 'F') {
			if (sv_severity_parse(optarg, &sev)) {
				fprintf(stderr, "salvage analyze: --fail-on "
						"takes info, low, medium, high "
						"or critical\n");
				return SV_EXIT_USAGE;
			}
			fail_on = (int)sev;
		} else if (c == 'M' || c == 'K' || c == 'R') {
			rc = c == 'M' ? load_model(&d, optarg, &o)
			   : c == 'K' ? add_workload(&d, optarg, &o)
				      : load_rules(&d, optarg, &o);
			if (rc != SV_EXIT_OK) {
				detect_free(&d);
				return rc;
			}
		} else if (c == 'h') {
			fputs(help, stdout);
			detect_free(&d);
			return SV_EXIT_OK;
		} else if (c < 1000 || sv_cli_limit_option(c, optarg, &o)) {
			if (c >= 1000)
				fprintf(stderr, "salvage analyze: bad value "
						"for --%s\n",
					sv_cli_limit_name(c));
			fputs(help, stderr);
			detect_free(&d);
			return SV_EXIT_USAGE;
		}
	}
	if (optind >= argc || !out) {
		fprintf(stderr, "salvage analyze: %s\n",
			out ? "no bundle given" : "-o DIR is required");
		fputs(help, stderr);
		detect_free(&d);
		return SV_EXIT_USAGE;
	}
	o.progress = !quiet && isatty(2);
	for (i = optind; i < argc; i++)
		rc = sv_exit_worst(rc, analyze_one(argv[i], out,
						   argc - optind > 1, quiet,
						   fail_on, &o, &used));
	for (k = 0; k < used.n; k++)
		free(used.v[k]);
	free(used.v);
	detect_free(&d);
	return rc;
}
