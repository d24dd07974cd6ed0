/*
 * cli_timeline.c - `salvage timeline BUNDLE [-o FILE] [--format F]`: run
 * the pipeline on one bundle and write its timeline as JSON lines or CSV
 * (Timesketch imports both as they are).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sv_cli.h"
#include "sv_export.h"

static const char help[] =
	"usage: salvage timeline [OPTION]... BUNDLE\n"
	"Rebuild what every container did and write one ordered timeline:\n"
	"lifecycle events, processes, resources, flows, DNS, HTTP, TLS, SSH\n"
	"and Stratum, each with its container and process (or marked\n"
	"unattributed) and the file it came from.\n\n"
	"  -f, --format F    jsonl (default) or csv; both carry Timesketch's\n"
	"                    message, datetime and timestamp_desc fields\n"
	"  -o, --output FILE where to write it (written whole or not at\n"
	"                    all); default or '-': standard output\n"
	"  -q, --quiet       no progress line\n"
	"  -h, --help        this help\n\n" SV_LIMIT_HELP
	"\nExit codes: 0 ok, 2 usage error, 3 the bundle could not be read\n"
	"or trusted (the timeline of what was read is still written), 4 the\n"
	"timeline could not be written.\n";

static int parse_format(const char *s, enum sv_export_format *f)
{
	if (!strcmp(s, "jsonl") || !strcmp(s, "json"))
		*f = SV_EXPORT_JSONL;
	else if (!strcmp(s, "csv"))
		*f = SV_EXPORT_CSV;
	else
		return -1;
	return 0;
}

static int usage_error(const char *msg)
{
	fprintf(stderr, "salvage timeline: %s\n", msg);
	fputs(help, stderr);
	return SV_EXIT_USAGE;
}

static int run(const char *path, const char *out, enum sv_export_format f,
	       const struct sv_pipeline_options *o)
{
	struct sv_error err;
	struct sv_analysis *a = sv_pipeline_run(path, o, &err);
	int rc = SV_EXIT_OK;

	if (!a) {
		fprintf(stderr, "salvage: %s\n", err.msg);
		return SV_EXIT_OUTPUT;
	}
	if (!sv_analysis_input_ok(a)) {
		sv_cli_print_errors(a, 20);
		rc = SV_EXIT_INPUT;
	}
	if (a->opened && a->manifest_status != SV_MANIFEST_UNSUPPORTED) {
		sv_error_clear(&err);
		if (sv_export_timeline(a, f, out, &err) != SV_OK) {
			fputs("salvage: ", stderr);
			sv_cli_put(stderr, err.artifact);
			fprintf(stderr, ": %s\n", err.msg);
			rc = SV_EXIT_OUTPUT;
		}
	}
	sv_analysis_free(a);
	return rc;
}

int sv_cmd_timeline(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		SV_LIMIT_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	struct sv_pipeline_options o;
	enum sv_export_format f = SV_EXPORT_JSONL;
	const char *out = "-";
	int quiet = 0, c;

	sv_pipeline_options_default(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:qh", longopts, NULL)) != -1) {
		if (c == 'f') {
			if (parse_format(optarg, &f))
				return usage_error("--format is jsonl or csv");
		} else if (c == 'o') {
			out = optarg;
		} else if (c == 'q') {
			quiet = 1;
		} else if (c == 'h') {
			fputs(help, stdout);
			return SV_EXIT_OK;
		} else if (c < 1000 || sv_cli_limit_option(c, optarg, &o)) {
			if (c >= 1000)
				fprintf(stderr, "salvage timeline: bad value "
						"for --%s\n",
					sv_cli_limit_name(c));
			fputs(help, stderr);
			return SV_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("no bundle given");
	if (argc - optind > 1)
		return usage_error("one bundle at a time");
	o.progress = !quiet && isatty(2);
	return run(argv[optind], out, f, &o);
}
