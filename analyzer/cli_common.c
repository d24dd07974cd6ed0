/*
 * cli_common.c - helpers shared by the subcommands.
 */
#include <stdlib.h>
#include <string.h>

#include "sv_cli.h"
#include "sv_cursor.h"
#include "sv_text.h"

int sv_exit_worst(int a, int b)
{
	static const int rank[] = {
		[SV_EXIT_OK] = 0, [SV_EXIT_FINDINGS] = 1, [SV_EXIT_USAGE] = 4,
		[SV_EXIT_INPUT] = 2, [SV_EXIT_OUTPUT] = 3,
	};

	if (a < 0 || a > SV_EXIT_OUTPUT)
		return a;
	if (b < 0 || b > SV_EXIT_OUTPUT)
		return b;
	return rank[a] >= rank[b] ? a : b;
}

static int parse_count(const char *arg, uint64_t *out)
{
	const char *p = arg;

	return sv_str_u64(&p, arg + strlen(arg), UINT64_MAX, out) == 0 &&
			       *p == '\0' ? 0 : -1;
}

int sv_cli_limit_option(int opt, const char *arg,
			struct sv_pipeline_options *o)
{
	struct sv_bundle_limits *l = &o->bundle.limits;
	uint64_t v;

	switch (opt) {
	case 1001:
		return sv_parse_size(arg, &l->max_entry_bytes);
	case 1002:
		return parse_count(arg, &l->max_entries);
	case 1003:
		return sv_parse_size(arg, &l->max_total_bytes);
	case 1004:
		return parse_count(arg, &l->max_ratio);
	case 1005:
		if (parse_count(arg, &v) || v == 0 || v > 4000)
			return -1;
		l->max_path_len = (uint32_t)v;
		return 0;
	case 1006:
		return parse_count(arg, &o->timeline_net_max);
	}
	return -1;
}

const char *sv_cli_limit_name(int opt)
{
	static const char *const names[] = {"max-entry-size", "max-entries",
					    "max-total", "max-ratio",
					    "max-path", "max-net-events"};

	return opt >= 1001 && opt <= 1006 ? names[opt - 1001] : "?";
}

void sv_cli_put(FILE *f, const char *s)
{
	char *clean = sv_text_clean(NULL, s, strlen(s), 1024);
	const char *p;

	/* Text keeps tab and newline; a newline on a terminal would let a
	 * hostile name forge a line of output. */
	for (p = clean ? clean : "?"; *p; p++) {
		if (*p == '\n' || *p == '\t')
			fprintf(f, "\\x%02x", (unsigned char)*p);
		else
			fputc(*p, f);
	}
	free(clean);
}

void sv_cli_print_errors(const struct sv_analysis *a, int max)
{
	const struct sv_problem *p;
	char line[SV_ERROR_ARTIFACT_MAX + SV_ERROR_MSG_MAX + 64];
	int shown = 0;

	for (p = a->problems; p; p = p->next) {
		if (p->e.code == SV_WARN)
			continue;
		if (shown++ == max)
			break;
		sv_error_format(&p->e, line, sizeof(line));
		fputs("salvage: ", stderr);
		sv_cli_put(stderr, a->bundle_path);
		fputs(": ", stderr);
		sv_cli_put(stderr, line);
		fputc('\n', stderr);
	}
	if (a->errors > (uint64_t)max) {
		fputs("salvage: ", stderr);
		sv_cli_put(stderr, a->bundle_path);
		fprintf(stderr, ": ... %llu errors in all; the report lists "
				"them\n", (unsigned long long)a->errors);
	}
}
