/*
 * sv_pipeline.h - one bundle in, one struct sv_analysis out.
 *
 * Streams the bundle once: every member is classified by path, probed,
 * parsed by its reader and hashed; records go to the evidence store; at
 * the end custody is verified.
 */
#ifndef SV_PIPELINE_H
#define SV_PIPELINE_H

#include "sv_analysis.h"
#include "sv_bundle.h"

struct sv_rulespec_set;
struct sv_workload_rule;

struct sv_pipeline_options {
	struct sv_bundle_options bundle;
	uint64_t arena_cap;  /* bytes kept per bundle; 0 = no cap */
	int progress;        /* draw a progress line on stderr */
	uint64_t timeline_net_max; /* network events on the timeline; 0 =
				      no cap (SV_TIMELINE_NET_MAX default) */
	/* Detection past the built-in rules; borrowed, NULL for none. */
	const struct sv_baseline *model;  /* fitted (analyze --model) */
	const char *model_path;           /* named in the reports */
	const char *model_checksum;       /* its sv_baseline_digest, hex;
					     NULL: computed per bundle */
	const struct sv_workload_rule *workloads; /* --workload rules */
	const struct sv_rulespec_set *rules;      /* analyze --rules */
};

void sv_pipeline_options_default(struct sv_pipeline_options *o);

/*
 * Analyse the bundle at path. Always returns an analysis (NULL only when
 * out of memory, with err set) so that an unreadable bundle can still be
 * reported; a->opened, a->fatal and the problem list say what went wrong.
 * The caller frees it with sv_analysis_free().
 */
struct sv_analysis *sv_pipeline_run(const char *path,
				    const struct sv_pipeline_options *o,
				    struct sv_error *err);

#endif
