/*
 * sv_analysis.h - everything salvage learned from one bundle: the input
 * to reports and the CLI. Built by the pipeline, read by everyone else.
 *
 * Ownership: the struct and every pointer in it live in a->arena;
 * sv_analysis_free() releases all of it at once.
 */
#ifndef SV_ANALYSIS_H
#define SV_ANALYSIS_H

#include <stdint.h>

#include "sv_arena.h"
#include "sv_attrib.h"
#include "sv_baseline.h"
#include "sv_bundle.h"
#include "sv_containers.h"
#include "sv_custody.h"
#include "sv_error.h"
#include "sv_format.h"
#include "sv_flows.h"
#include "sv_layout.h"
#include "sv_netapp.h"
#include "sv_resources.h"
#include "sv_procs.h"
#include "sv_rules.h"
#include "sv_timeline.h"
#include "sv_userrules.h"

enum sv_manifest_status {
	SV_MANIFEST_MISSING = 0,
	SV_MANIFEST_OK,
	SV_MANIFEST_INVALID,
	SV_MANIFEST_UNSUPPORTED
};
const char *sv_manifest_status_name(enum sv_manifest_status s);

#define SV_READERS_TEXT 192

struct sv_kind_stats {
	uint64_t files;
	uint64_t bytes;
	uint64_t parsed;   /* files a reader read without a fatal error */
	uint64_t failed;   /* files a reader gave up on */
	uint64_t unread;   /* files no reader claims (kept, hashed, listed) */
	uint64_t records;  /* records the readers emitted */
	char readers[SV_READERS_TEXT]; /* "proc-stat,proc-io", "" for none */
};

struct sv_unknown_entry {
	const char *path;
	uint64_t size;
	int is_text;
	struct sv_unknown_entry *next;
};

/* A problem with where it was found; errors and warnings alike. */
struct sv_problem {
	struct sv_error e;
	struct sv_problem *next;
};

#define SV_UNKNOWN_LISTED 1000
#define SV_PROBLEMS_LISTED 1000

struct sv_analysis {
	struct sv_arena *arena;
	const char *bundle_path;
	const char *bundle_name;   /* basename without .tar.* */
	int opened;                /* the archive could be read at all */
	int complete;              /* read to its end */
	struct sv_bundle_stats stats;
	const char *root_folder;
	int64_t started_ns;        /* when the analysis ran */
	double elapsed_s;
	double read_s;             /* reading and parsing the members */
	double build_s;            /* joining containers, processes, ... */
	double timeline_s;         /* merging and ordering the events */

	enum sv_manifest_status manifest_status;
	struct sv_manifest manifest; /* strings in arena; valid when OK */

	struct sv_kind_stats kinds[SV_ART_COUNT];
	int64_t *snapshots;        /* sorted, distinct <T> of proc/cgroup */
	uint64_t n_snapshots;

	struct sv_unknown_entry *unknown; /* first SV_UNKNOWN_LISTED */
	uint64_t unknown_total;

	struct sv_custody_result custody;

	/* Packet captures: frames decoded into flows (records in arena). */
	uint64_t captures;
	uint64_t frames_undecoded;   /* link types the decoder does not know */
	struct sv_flows_stats net;
	const struct sv_flow *flows; /* creation order */
	struct sv_attrib_stats attrib; /* flow ends to containers/processes */
	struct sv_netapp_stats app;  /* the application layer */
	const struct sv_app_event *app_events; /* capture order */

	/* Processes across the /proc snapshots (sv_procs.h): the tree,
	 * lookups, process events. NULL when the build ran out of memory. */
	const struct sv_procs_result *procs;

	/* Containers joined from every source, with their lifecycle
	 * events (sv_containers.h). NULL when the build ran out of
	 * memory. */
	const struct sv_container_set *containers;

	/* Every module's events, ordered (sv_timeline.h). */
	struct sv_timeline timeline;
	uint64_t net_events_dropped; /* flow and app events over the cap */

	/* What the built-in rules, the baseline and the user's rules
	 * found (models/sv_rules.h), most severe first. */
	struct sv_findings findings;

	/* Scoring against a baseline (analyze --model), when one was
	 * given: which model, and what it scored. */
	struct {
		int used;
		const char *model;       /* the path given */
		char checksum[65];       /* the model's, hex */
		uint64_t workloads, bundles; /* in the model */
		double window_s, far;
		struct sv_bl_score_stats st;
		double score_s;          /* featurizing and scoring */
	} baseline;

	/* The user's rules file (analyze --rules), when one was given. */
	const char *rules_file;
	uint64_t user_rules;             /* rules it defines */
	struct sv_userrules_stats userrules; /* fired, retuned, dropped */

	/* Per-cgroup CPU, memory, I/O and pids series from the cgroup
	 * files, their summaries and resource.* events (sv_resources.h).
	 * All zero when the bundle has no cgroup values. */
	struct sv_resources_result resources;

	struct sv_problem *problems; /* first SV_PROBLEMS_LISTED, in order */
	uint64_t errors, warnings;   /* all of them, listed or not */
	struct sv_error fatal;       /* code != OK: the bundle stopped here */
};

void sv_analysis_free(struct sv_analysis *a);

/* What to call the container with this id in one line: its name when
 * known, else the id. Never NULL. */
const char *sv_analysis_container_label(const struct sv_analysis *a,
					const char *id);

/*
 * The period the bundle observed: the manifest's started..ended when it
 * is valid, else the first and last snapshot. 0 when neither is known
 * (then *lo and *hi are untouched).
 */
int sv_analysis_observed(const struct sv_analysis *a, int64_t *lo,
			 int64_t *hi);

/*
 * 1 when the bundle was read to its end and can be trusted: a valid
 * manifest, no error-grade problem, custody not failed. 0 otherwise (the
 * commands then exit with SV_EXIT_INPUT).
 */
int sv_analysis_input_ok(const struct sv_analysis *a);

#endif
