/*
 * sv_rules_int.h - what the files of the built-in rules share (not for
 * other modules): the run's context, a rule's fixed identity, the
 * helpers that make findings and evidence, and the rules each file
 * defines. sv_rules.c owns the helpers, sv_rules_run and the rules over
 * containers, processes and resources (exec-into-container,
 * reverse-shell, exec-from-writable-path, privileged-container,
 * oom-kill, oom-storm, fork-bomb); sv_rules_more.c the rules over
 * programs, flows and application events (crypto-mining,
 * package-manager, dns-tunnel-labels, large-upload) and the DNS name
 * helpers.
 *
 * Ownership: as sv_rules.h. Findings, titles, whys and notes are copied
 * into ctx->arena; entities (processes, flows, events) are borrowed from
 * the input. Scratch tables a rule sorts are malloc'd and freed by it.
 */
#ifndef SV_RULES_INT_H
#define SV_RULES_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sv_rules.h"

#define SV_RULE_FINDINGS_MAX 200  /* per rule; more are not kept */
#define SV_RULE_WHY_MAX 600

struct sv_rule_ctx {
	struct sv_arena *arena;
	struct sv_findings *out;
	struct sv_finding *head;   /* newest first, all rules */
	uint64_t per_rule;         /* findings of the running rule */
	const struct sv_rules_input *in;
};

struct sv_rule_def {
	const char *id, *technique, *technique_name;
	enum sv_severity severity;
};

/* An arena copy of s (NULL stays NULL); NULL and nomem when it fails. */
const char *sv_rule_keep(struct sv_rule_ctx *c, const char *s);

/*
 * A new finding of rule r at the head of the list, with r's severity and
 * technique; NULL once the rule has SV_RULE_FINDINGS_MAX or when out of
 * memory (nomem set). cid is borrowed (the analysis's string).
 */
struct sv_finding *sv_rule_finding(struct sv_rule_ctx *c,
				   const struct sv_rule_def *r,
				   const char *title, const char *cid,
				   int64_t pid, int64_t ts);

/* The finding of rule r for container cid made already, or NULL. */
struct sv_finding *sv_rule_find_for(struct sv_rule_ctx *c,
				    const struct sv_rule_def *r,
				    const char *cid);

/* One more piece of evidence on f (NULL f, or a full list: ignored);
 * note is copied. */
void sv_rule_evidence(struct sv_rule_ctx *c, struct sv_finding *f,
		      const struct sv_event *e, const struct sv_flow *fl,
		      const struct sv_proc *p, const char *artifact,
		      const char *note);

/* What to call container cid in a sentence; "the host" for NULL. */
const char *sv_rule_label(const struct sv_rule_ctx *c, const char *cid);

/* "addr:port (name)" of a flow's end b (1) or a (0) into buf. */
void sv_rule_endpoint(const struct sv_flow *f, int b, char *buf, size_t n);

/* printf at the end of the string in buf (of n bytes), cut to fit. */
void sv_rule_append(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A growable table of fixed-size records that a rule collects, sorts
 * and walks (malloc'd; sv_rule_vec_free releases it). At most
 * SV_RULE_VEC_MAX records: more are left out, so a hostile bundle costs
 * at most that many times size bytes.
 */
#define SV_RULE_VEC_MAX (1u << 21)
struct sv_rule_vec {
	unsigned char *v;
	size_t n, cap, size;
};
/* A zeroed new record at the end, or NULL: over the cap, or out of
 * memory (then c->out->nomem is set). */
void *sv_rule_vec_push(struct sv_rule_ctx *c, struct sv_rule_vec *v);
void sv_rule_vec_free(struct sv_rule_vec *v);

/* NULL-safe string order: NULL after every string. */
int sv_rule_cid_cmp(const char *x, const char *y);

/*
 * Labels of a DNS name in presentation form (sv_dns.h: "\X" and "\DDD"
 * escapes, no final dot): at most SV_RULE_LABELS of them, each with its
 * offset and length in the text and its length in wire bytes. Returns
 * the number of labels in the name (which may be more than were kept).
 */
#define SV_RULE_LABELS 128
struct sv_rule_label {
	size_t off, len;  /* in the text */
	size_t bytes;     /* on the wire */
};
int sv_rule_dns_labels(const char *name, struct sv_rule_label *lab);

/* 1 when a DNS name (presentation form) looks like a mining pool's: a
 * marker (pool., xmr, monero, nanopool, ...) in its last three labels. */
int sv_rule_pool_name(const char *name);

/* 1 when the fork-bomb rule (run before crypto-mining) found one in
 * container cid. */
int sv_rule_fork_bomb_in(struct sv_rule_ctx *c, const char *cid);

/* The rules of sv_rules_more.c. */
void sv_rule_mining(struct sv_rule_ctx *c);
void sv_rule_package_manager(struct sv_rule_ctx *c);
void sv_rule_dns_tunnel(struct sv_rule_ctx *c);
void sv_rule_large_upload(struct sv_rule_ctx *c);

#endif
