/*
 * sv_featurize.h - turn one analysis into the per-container features the
 * baselines learn and score (models/sv_features.h), and decide which
 * workload each container belongs to.
 *
 * Workload key (the baseline a container is trained into and scored
 * against), first that applies:
 *   1. a user rule: "PATTERN=KEY", PATTERN an fnmatch(3) glob matched
 *      against the container's names, then its image (from "user");
 *   2. the Kubernetes owner: "k8s:<namespace>/<owner>" where the owner is
 *      the pod name without the ReplicaSet and pod hash suffixes of a
 *      Deployment ("web-7d4b9c8f6-x2x9z" -> "web"), the ordinal of a
 *      StatefulSet ("db-0" -> "db") or the suffix of a Job's pod
 *      ("backup-28401-x7k2p" -> "backup-28401") ("k8s-owner");
 *   3. the image without its digest ("image");
 *   4. the container's name ("name"), or its id.
 *
 * Ownership: the feature set lives in the arena given; it borrows the
 * analysis's entities (the analysis must outlive it).
 */
#ifndef SV_FEATURIZE_H
#define SV_FEATURIZE_H

#include "sv_analysis.h"
#include "sv_arena.h"
#include "sv_error.h"
#include "sv_features.h"

struct sv_workload_rule {
	const char *pattern;   /* fnmatch glob over names, then image */
	const char *key;
	struct sv_workload_rule *next;
};

/* Most user rules accepted; the longest key. */
#define SV_WORKLOAD_RULES_MAX 256
#define SV_WORKLOAD_KEY_MAX 256

/*
 * Parse "PATTERN=KEY" (from --workload) into r, pointing into spec
 * (which must outlive r; '=' is replaced by NUL). SV_ERR_USAGE with a
 * message naming the problem when there is no '=', either side is empty,
 * or the key is too long or has control bytes.
 */
enum sv_status sv_workload_rule_parse(char *spec, struct sv_workload_rule *r,
				      struct sv_error *err) SV_MUST_CHECK;

/* The workload key of container k (never NULL; in arena or static) and
 * where it came from (static string). NULL only when out of memory. */
const char *sv_workload_key(struct sv_arena *arena, const struct sv_cont *k,
			    const struct sv_workload_rule *rules,
			    const char **from);

struct sv_featurize_options {
	int64_t window_ns;     /* 0 = SV_FEAT_WINDOW_NS */
	const struct sv_workload_rule *workloads; /* or NULL */
};

/*
 * Features of every container of a (those with a full id and anything
 * seen of them). SV_ERR_USAGE for a window outside
 * [SV_FEAT_WINDOW_MIN_NS, SV_FEAT_WINDOW_MAX_NS]; SV_ERR_NOMEM (out is
 * then partial, out->nomem set). *out is always initialised.
 */
enum sv_status sv_featurize(const struct sv_analysis *a,
			    const struct sv_featurize_options *o,
			    struct sv_arena *arena, struct sv_feat_set *out,
			    struct sv_error *err) SV_MUST_CHECK;

#endif
