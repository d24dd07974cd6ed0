/*
 * sv_userrules.h - the user's rules file at work on one bundle.
 *
 * Input: the specifications of a rules file (formats/sv_rulesfile.h,
 * parsed and validated there), the bundle's entities (the same struct
 * sv_rules_input the built-in rules read: containers, processes, flows,
 * application events, the timeline) and the findings made so far
 * (built-in rules, baseline). Output: that findings list with
 *
 *   1. one finding per (rule, container) for each [rule] that matched:
 *      process rules look at every process of the snapshots, flow rules
 *      at each flow from its local end (direction), dns rules at every
 *      DNS query and the end that sent it, event rules at every event of
 *      the timeline. Container NULL (the host, or an end nobody could
 *      attribute) is one group too. Each finding carries what matched
 *      as evidence (the process, flow or event; at most
 *      SV_FINDING_EVIDENCE, the first ones), and at most
 *      SV_USERRULES_FINDINGS_MAX findings are made per rule;
 *   2. [tune ID]: every finding of rule ID, whoever made it, gets the new
 *      severity, or is dropped when enabled = no;
 *   3. [allow]: every finding matching all the keys of an [allow]
 *      section is dropped (rule id glob; container names or id; image);
 *   4. sv_findings_order().
 * Call it after every other producer of findings, so that tuning and the
 * allow-list see them all.
 *
 * Matching: globs are fnmatch(3) without flags ('*' also matches '/'),
 * against comm, exe, the command line (argv joined by spaces), the
 * parent's comm, every container name and the full and short ids, the
 * image, the event kind and text; DNS names compare in lower case
 * without the trailing dot. A key whose value the bundle does not have
 * (no exe link, no owner) does not match. Keys are ANDed, the values of
 * one key ORed.
 *
 * Ownership: findings and their strings are allocated in arena (copies:
 * the rule set may be freed before the findings). Evidence points at the
 * analysis's entities, like the built-in rules' evidence. Never fails:
 * out of memory sets out->nomem and leaves the list whole but
 * incomplete.
 */
#ifndef SV_USERRULES_H
#define SV_USERRULES_H

#include <stdint.h>

#include "sv_arena.h"
#include "sv_rules.h"
#include "sv_rulesfile.h"

#define SV_USERRULES_FINDINGS_MAX 200   /* per rule */

struct sv_userrules_stats {
	uint64_t fired;      /* findings made by the file's rules */
	uint64_t capped;     /* matches past a cap (findings per rule) */
	uint64_t retuned;    /* findings whose severity a [tune] changed */
	uint64_t disabled;   /* findings dropped by enabled = no */
	uint64_t allowed;    /* findings dropped by an [allow] */
};

/*
 * Evaluate rules on in, add their findings to out, tune and allow-list
 * the whole of out, order it. rules NULL: only the ordering.
 */
void sv_userrules_apply(struct sv_arena *arena,
			const struct sv_rulespec_set *rules,
			const struct sv_rules_input *in,
			struct sv_findings *out);

/* The same, counting what happened into *st (zeroed first). */
void sv_userrules_apply_stats(struct sv_arena *arena,
			      const struct sv_rulespec_set *rules,
			      const struct sv_rules_input *in,
			      struct sv_findings *out,
			      struct sv_userrules_stats *st);

#endif
