/*
 * main.c - the salvage command: dispatch to one subcommand per file.
 */
#include <gsl/gsl_errno.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

#include "sv_cli.h"

#ifndef SV_VERSION
#define SV_VERSION "0"
#endif

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"inspect", sv_cmd_inspect, "list what bundles hold; check custody"},
	{"analyze", sv_cmd_analyze, "analyse bundles and write reports"},
	{"timeline", sv_cmd_timeline, "write one bundle's timeline (JSONL, CSV)"},
	{"train", sv_cmd_train, "learn baselines from clean bundles (model)"},
	{"merge", sv_cmd_merge, "merge partial models into one"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: salvage COMMAND [OPTION]... [ARG]...\n"
		   "Offline forensic analysis of container-host capture "
		   "bundles.\n\nCommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\n'salvage COMMAND --help' describes a command.\n"
		   "Exit codes: 0 ok, 1 findings at or above --fail-on, "
		   "2 usage error,\n3 a bundle could not be read or trusted, "
		   "4 a report could not be written.\n");
}

int main(int argc, char **argv)
{
	size_t i;
	int rc;

	/* GSL's default handler abort()s; salvage checks every status. */
	gsl_set_error_handler_off();
	xmlInitParser();
	if (argc < 2) {
		usage(stderr);
		return SV_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return SV_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("salvage %s\n", SV_VERSION);
		return SV_EXIT_OK;
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			rc = commands[i].run(argc - 1, argv + 1);
			xmlCleanupParser();
			return rc;
		}
	}
	fprintf(stderr, "salvage: unknown command '");
	sv_cli_put(stderr, argv[1]);
	fprintf(stderr, "'\n");
	usage(stderr);
	return SV_EXIT_USAGE;
}
