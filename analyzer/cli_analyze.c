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
#include "sv_outfile.h"
#include "sv_report.h"

static const char help[] =
	"usage: salvage analyze [OPTION]... BUNDLE... -o DIR\n"
	"Analyse capture bundles (.tar.zst, .tar.gz, .tar.xz, .tar or a\n"
	"folder) and write report.xml (canonical, see reports/report.xsd) and\n"
	"report.html (self-contained) for each. With one bundle the reports go\n"
	"in DIR; with several, in DIR/<bundle name>/.\n\n"
	"  -o, --output DIR  where reports go (created if missing)\n"
	"  --fail-on SEV     exit 1 when a finding is at least SEV: info, low,\n"
	"                    medium, high or critical [off]\n"
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

int sv_cmd_analyze(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"fail-on", required_argument, NULL, 'F'},
		SV_LIMIT_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	struct sv_pipeline_options o;
	struct names used = {NULL, 0};
	const char *out = NULL;
	int quiet = 0, fail_on = -1, c, i, rc = SV_EXIT_OK;
	enum sv_severity sev;
	size_t k;

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
		} else if (c == 'h') {
			fputs(help, stdout);
			return SV_EXIT_OK;
		} else if (c < 1000 || sv_cli_limit_option(c, optarg, &o)) {
			if (c >= 1000)
				fprintf(stderr, "salvage analyze: bad value "
						"for --%s\n",
					sv_cli_limit_name(c));
			fputs(help, stderr);
			return SV_EXIT_USAGE;
		}
	}
	if (optind >= argc || !out) {
		fprintf(stderr, "salvage analyze: %s\n",
			out ? "no bundle given" : "-o DIR is required");
		fputs(help, stderr);
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
	return rc;
}
