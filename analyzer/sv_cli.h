/*
 * sv_cli.h - what the subcommands share: exit codes, the bundle limit
 * options, and printing untrusted text to a terminal.
 */
#ifndef SV_CLI_H
#define SV_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "sv_analysis.h"
#include "sv_pipeline.h"

/* Documented in --help and README "Exit codes"; stable for schedulers. */
enum sv_exit {
	SV_EXIT_OK = 0,       /* every bundle read; nothing at --fail-on */
	SV_EXIT_FINDINGS = 1, /* findings at or above --fail-on */
	SV_EXIT_USAGE = 2,    /* bad command line */
	SV_EXIT_INPUT = 3,    /* a bundle could not be read or trusted */
	SV_EXIT_OUTPUT = 4    /* a report could not be written; internal */
};

/* The more important of two exit codes (output > input > findings). */
int sv_exit_worst(int a, int b);

/* Long options shared by every command that reads bundles. */
#define SV_LIMIT_OPTIONS                                                  \
	{"max-entry-size", required_argument, NULL, 1001},                \
	{"max-entries", required_argument, NULL, 1002},                   \
	{"max-total", required_argument, NULL, 1003},                     \
	{"max-ratio", required_argument, NULL, 1004},                     \
	{"max-path", required_argument, NULL, 1005},                      \
	{"max-net-events", required_argument, NULL, 1006}

#define SV_LIMIT_HELP                                                     \
	"Limits (a bundle is untrusted input):\n"                         \
	"  --max-entry-size SIZE  largest member, decompressed [16G]\n"   \
	"  --max-entries N        most members [5000000]\n"               \
	"  --max-total SIZE       most decompressed bytes [256G]\n"       \
	"  --max-ratio N          most decompressed:stored ratio, checked\n" \
	"                         past 256M; 0 turns it off [1000]\n"     \
	"  --max-path N           longest member path [1024]\n"           \
	"  --max-net-events N     flow and protocol events on the timeline\n" \
	"                         [400000]; 0: no cap\n"                  \
	"SIZE takes K, M, G or T (powers of 1024).\n"

/* Handle one of the SV_LIMIT_OPTIONS; 0 if handled, -1 bad value. */
int sv_cli_limit_option(int opt, const char *arg,
			struct sv_pipeline_options *o);

/* The long name of one of the SV_LIMIT_OPTIONS ("max-ratio"). */
const char *sv_cli_limit_name(int opt);

/* Print an untrusted string made safe for a terminal. */
void sv_cli_put(FILE *f, const char *s);

/* stderr lines for the error-grade problems of a bundle (capped). */
void sv_cli_print_errors(const struct sv_analysis *a, int max);

int sv_cmd_inspect(int argc, char **argv);
int sv_cmd_analyze(int argc, char **argv);
int sv_cmd_timeline(int argc, char **argv);
int sv_cmd_train(int argc, char **argv);
int sv_cmd_merge(int argc, char **argv);

#endif
