/*
 * sv_rulesfile.h - the user's rules file (analyze --rules FILE): text in,
 * a plain list of rule specifications out. The format is documented in
 * docs/rules.md; in short:
 *
 *   salvage-rules 1                  first statement: name and version
 *   [rule ID]                        a new detection (ID [a-z0-9-])
 *   title = ...                      required: title, severity, match
 *   match = process | flow | dns | event
 *   KEY = VALUE...                   conditions (globs, ports, CIDRs,
 *                                    comparisons such as ">= 10M")
 *   [tune ID]                        severity / enabled of any rule
 *   [allow]                          findings to suppress
 *
 * This module only reads and validates: nothing here knows the analysis
 * (models/sv_userrules.c evaluates the specifications). Every problem is
 * reported with the file name, its line and, where it helps, the column;
 * parsing goes on after an error so that one run lists them all (the
 * first SV_RULESFILE_ERRORS_MAX; the rest are counted).
 *
 * Input: bytes that a person wrote, treated as untrusted: every line is
 * bounded (SV_RULESFILE_LINE_MAX), must be UTF-8 without control bytes,
 * and every count is capped (sections, values per key).
 *
 * Ownership: the set and everything it points to live in the arena given
 * to the parser; nothing points into the caller's buffer.
 */
#ifndef SV_RULESFILE_H
#define SV_RULESFILE_H

#include <stddef.h>
#include <stdint.h>

#include "sv_arena.h"
#include "sv_error.h"

#define SV_RULESFILE_VERSION 1
#define SV_RULESFILE_MAX_BYTES (1u << 20)  /* a file larger is refused */
#define SV_RULESFILE_LINE_MAX 4096          /* bytes, without the newline */
#define SV_RULESFILE_SECTIONS_MAX 1000      /* rule, tune, allow together */
#define SV_RULESFILE_VALUES_MAX 64          /* per key */
#define SV_RULESFILE_ERRORS_MAX 50          /* listed; more are counted */
#define SV_RULESFILE_ID_MAX 64              /* rule id length */
#define SV_RULESFILE_TITLE_MAX 200
#define SV_RULESFILE_WHY_MAX 1000

enum sv_rule_match {
	SV_RM_PROCESS = 0,  /* a process of the snapshots */
	SV_RM_FLOW,         /* a connection, seen from one of its ends */
	SV_RM_DNS,          /* a DNS query */
	SV_RM_EVENT         /* a timeline event */
};

/* Where the matched thing lives. */
enum sv_rule_scope {
	SV_RS_CONTAINERS = 0, /* in a container (the default) */
	SV_RS_HOST,           /* on the host, outside every container */
	SV_RS_ANY
};

/* Which end of a flow is the local one (the container's). */
enum sv_rule_dir {
	SV_RD_OUT = 0,  /* it opened the flow: the remote end is b */
	SV_RD_IN,       /* it accepted it: the remote end is a */
	SV_RD_ANY
};

enum sv_rule_op {
	SV_OP_LT = 0, SV_OP_LE, SV_OP_GT, SV_OP_GE, SV_OP_EQ, SV_OP_NE
};

/* fnmatch(3) patterns; any one matching is a match. */
struct sv_rule_globs {
	const char **v;
	uint32_t n;         /* 0: the key was not given (no condition) */
};

/* Comparisons, all of which must hold ("> 10M <= 1G"). */
struct sv_rule_cmp {
	enum sv_rule_op op;
	double value;
};

struct sv_rule_cmps {
	struct sv_rule_cmp *v;
	uint32_t n;
};

struct sv_rule_nums {      /* euids, protocols, DNS types */
	uint32_t *v;
	uint32_t n;
};

struct sv_rule_port {
	uint16_t lo, hi;   /* inclusive; lo == hi for one port */
};

struct sv_rule_ports {
	struct sv_rule_port *v;
	uint32_t n;
};

struct sv_rule_cidr {
	uint8_t family;    /* 4 or 6 */
	uint8_t prefix;    /* bits */
	uint8_t addr[16];  /* IPv4 in the first 4 bytes; host bits zero */
};

struct sv_rule_cidrs {
	struct sv_rule_cidr *v;
	uint32_t n;
};

/* One [rule ID] section. Unset conditions have n == 0. */
struct sv_rulespec {
	const char *id;
	uint64_t line;               /* of the [rule] header */
	const char *title;
	int severity;                /* 0 info, 1 low, 2 medium, 3 high,
					4 critical: enum sv_severity's order */
	const char *technique;       /* "T1105" or "T1059.004", or NULL */
	const char *technique_name;  /* or NULL */
	const char *why;             /* or NULL */
	enum sv_rule_match match;
	enum sv_rule_scope scope;
	struct sv_rule_globs container;  /* names, full or short id */
	struct sv_rule_globs image;
	struct sv_rule_globs program;    /* comm (process, flow, dns) */
	/* process */
	struct sv_rule_globs executable, cmdline, parent;
	struct sv_rule_nums user;        /* effective uid */
	/* flow */
	enum sv_rule_dir direction;
	struct sv_rule_nums protocol;    /* IP protocol numbers */
	struct sv_rule_ports port;       /* the remote end's */
	struct sv_rule_cidrs address;    /* the remote end's */
	struct sv_rule_cmps bytes_out, bytes_in;
	/* dns */
	struct sv_rule_globs name;       /* lower case, no trailing dot */
	struct sv_rule_nums type;        /* query types */
	struct sv_rule_cmps labels, label_length, entropy;
	/* event */
	struct sv_rule_globs kind;       /* sv_event kinds */
	struct sv_rule_globs text;       /* the event's line */
	struct sv_rulespec *next;        /* file order */
};

/* One [tune ID] section: changes findings of that rule. */
struct sv_ruletune {
	const char *rule;
	uint64_t line;
	int severity;       /* as above, or -1: unchanged */
	int enabled;        /* 1, 0 (drop its findings) or -1: unchanged */
	struct sv_ruletune *next;
};

/* One [allow] section: a finding matching every key given is dropped. */
struct sv_ruleallow {
	uint64_t line;
	struct sv_rule_globs rule;       /* always given */
	struct sv_rule_globs container;
	struct sv_rule_globs image;
	const char *why;                 /* or NULL */
	struct sv_ruleallow *next;
};

struct sv_rulespec_set {
	const char *name;                /* the file name given */
	struct sv_rulespec *rules;
	uint32_t n_rules;
	struct sv_ruletune *tunes;
	uint32_t n_tunes;
	struct sv_ruleallow *allows;
	uint32_t n_allows;
};

/*
 * The problems of one file, in line order: each e[i] has code
 * SV_ERR_USAGE (SV_ERR_IO or SV_ERR_NOMEM for a file that could not be
 * read at all), artifact the file name, line (0 for the file as a whole)
 * and a one-line UTF-8 message that starts with "column N: " where a
 * column helps. Format one with sv_error_format(). n: listed (the first
 * SV_RULESFILE_ERRORS_MAX by line); total: every problem found.
 */
struct sv_rulesfile_errors {
	struct sv_error e[SV_RULESFILE_ERRORS_MAX];
	uint32_t n;
	uint64_t total;
};

/*
 * Parse n bytes of buf; name is what errors call the file. Returns SV_OK
 * and *out (in arena); SV_ERR_USAGE when the text has problems (all of
 * them in errs, *out untouched); SV_ERR_NOMEM. errs is always reset.
 */
enum sv_status sv_rulesfile_parse(const char *buf, size_t n,
				  const char *name, struct sv_arena *arena,
				  const struct sv_rulespec_set **out,
				  struct sv_rulesfile_errors *errs)
	SV_MUST_CHECK;

/*
 * Read the regular file at path (at most SV_RULESFILE_MAX_BYTES) and
 * parse it as above. Adds SV_ERR_IO (cannot open or read it; errno in
 * errs->e[0].sys_errno) and SV_ERR_USAGE for a file that is not a
 * regular file or is too large.
 */
enum sv_status sv_rulesfile_load(const char *path, struct sv_arena *arena,
				 const struct sv_rulespec_set **out,
				 struct sv_rulesfile_errors *errs)
	SV_MUST_CHECK;

/*
 * The event kinds an event rule may name without a glob character: the
 * SV_EV_* kinds of analyzer/sv_event.h (copied here: formats/ is below
 * analyzer/; the tests check the two lists agree). NULL-terminated.
 */
extern const char *const sv_rulesfile_event_kinds[];

#endif
