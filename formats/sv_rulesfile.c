/*
 * sv_rulesfile.c - parse and validate a rules file (docs/rules.md). Lines
 * are bounded, UTF-8 checked and stripped of comments; a section's keys
 * are collected (one slot per key: a repeat is caught) and checked when
 * the section ends, since match may come after the keys it governs.
 */
#include "sv_rulesfile.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sv_cursor.h"
#include "sv_text.h"

const char *const sv_rulesfile_event_kinds[] = {
	"container.create", "container.start", "container.exec",
	"container.pause", "container.unpause", "container.stop",
	"container.die", "container.oom", "container.restart",
	"container.remove", "container.other", "process.start",
	"process.exec", "process.setuid", "process.caps", "process.exit",
	"process.enter", "resource.oom", "resource.throttle",
	"resource.pids-max", "resource.memory-limit", "kernel.oom-kill",
	"kernel.segfault", "flow.open", "flow.close", "net.dns", "net.http",
	"net.tls", "net.ssh", "net.stratum", "k8s.audit", "k8s.event", NULL
};

/* ---- the keys ---- */

enum key {
	K_TITLE, K_SEVERITY, K_MATCH, K_TECHNIQUE, K_TECHNAME, K_WHY,
	K_SCOPE, K_CONTAINER, K_IMAGE, K_PROGRAM, K_EXECUTABLE, K_CMDLINE,
	K_PARENT, K_USER, K_DIRECTION, K_PROTOCOL, K_PORT, K_ADDRESS,
	K_BYTES_OUT, K_BYTES_IN, K_NAME, K_TYPE, K_LABELS, K_LABEL_LENGTH,
	K_ENTROPY, K_KIND, K_TEXT, K_ENABLED, K_RULE, K_COUNT
};

enum section_kind { SEC_NONE = 0, SEC_RULE = 1, SEC_TUNE = 2,
		    SEC_ALLOW = 4, SEC_SKIP = 8 };

#define M_PROC (1u << SV_RM_PROCESS)
#define M_FLOW (1u << SV_RM_FLOW)
#define M_DNS (1u << SV_RM_DNS)
#define M_EVENT (1u << SV_RM_EVENT)
#define M_ALL (M_PROC | M_FLOW | M_DNS | M_EVENT)

static const struct {
	const char *name;
	unsigned sections;  /* SEC_* where the key may appear */
	unsigned matches;   /* for rules: the match types it belongs to */
} keys[K_COUNT] = {
	[K_TITLE] = {"title", SEC_RULE, M_ALL},
	[K_SEVERITY] = {"severity", SEC_RULE | SEC_TUNE, M_ALL},
	[K_MATCH] = {"match", SEC_RULE, M_ALL},
	[K_TECHNIQUE] = {"technique", SEC_RULE, M_ALL},
	[K_TECHNAME] = {"technique-name", SEC_RULE, M_ALL},
	[K_WHY] = {"why", SEC_RULE | SEC_ALLOW, M_ALL},
	[K_SCOPE] = {"scope", SEC_RULE, M_ALL},
	[K_CONTAINER] = {"container", SEC_RULE | SEC_ALLOW, M_ALL},
	[K_IMAGE] = {"image", SEC_RULE | SEC_ALLOW, M_ALL},
	[K_PROGRAM] = {"program", SEC_RULE, M_PROC | M_FLOW | M_DNS},
	[K_EXECUTABLE] = {"executable", SEC_RULE, M_PROC},
	[K_CMDLINE] = {"cmdline", SEC_RULE, M_PROC},
	[K_PARENT] = {"parent", SEC_RULE, M_PROC},
	[K_USER] = {"user", SEC_RULE, M_PROC},
	[K_DIRECTION] = {"direction", SEC_RULE, M_FLOW},
	[K_PROTOCOL] = {"protocol", SEC_RULE, M_FLOW},
	[K_PORT] = {"port", SEC_RULE, M_FLOW},
	[K_ADDRESS] = {"address", SEC_RULE, M_FLOW},
	[K_BYTES_OUT] = {"bytes-out", SEC_RULE, M_FLOW},
	[K_BYTES_IN] = {"bytes-in", SEC_RULE, M_FLOW},
	[K_NAME] = {"name", SEC_RULE, M_DNS},
	[K_TYPE] = {"type", SEC_RULE, M_DNS},
	[K_LABELS] = {"labels", SEC_RULE, M_DNS},
	[K_LABEL_LENGTH] = {"label-length", SEC_RULE, M_DNS},
	[K_ENTROPY] = {"entropy", SEC_RULE, M_DNS},
	[K_KIND] = {"kind", SEC_RULE, M_EVENT},
	[K_TEXT] = {"text", SEC_RULE, M_EVENT},
	[K_ENABLED] = {"enabled", SEC_TUNE, 0},
	[K_RULE] = {"rule", SEC_ALLOW, 0},
};

static const char *const severities[] = {"info", "low", "medium", "high",
					 "critical", NULL};
static const char *const matches[] = {"process", "flow", "dns", "event",
				      NULL};
static const char *const scopes[] = {"containers", "host", "any", NULL};
static const char *const directions[] = {"out", "in", "any", NULL};
static const char *const yesno[] = {"no", "yes", NULL};
static const char *const sections[] = {"rule", "tune", "allow", NULL};

/* ---- parser state ---- */

/* A collected "key = value": the value's bytes in the caller's buffer. */
struct ent {
	const char *v;
	size_t n;
	uint64_t line;
	uint32_t col;       /* of the value's first byte, from 1 */
	int set;
};

struct section {
	unsigned kind;
	const char *id;     /* arena */
	uint64_t line;
	struct ent ent[K_COUNT];
};

struct pctx {
	const char *name;
	struct sv_arena *arena;
	struct sv_rulesfile_errors *errs;
	struct sv_rulespec_set *set;
	struct sv_rulespec **rtail;
	struct sv_ruletune **ttail;
	struct sv_ruleallow **atail;
	uint32_t sections;
	int version_seen;
	int nomem;
	struct section sec;
};

static void perr(struct pctx *c, uint64_t line, uint32_t col,
		 const char *fmt, ...) SV_PRINTF(4, 5);

static void perr(struct pctx *c, uint64_t line, uint32_t col,
		 const char *fmt, ...)
{
	struct sv_rulesfile_errors *e = c->errs;
	char msg[SV_ERROR_MSG_MAX];
	size_t i, k, n;
	uint32_t j;
	va_list ap;

	e->total++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* a value cut to fit may have split a character */
	for (i = 0, n = strlen(msg); i < n; i += k)
		for (k = 1; !sv_text_is_clean(msg + i, k, k); k++)
			if (k == 4 || i + k >= n) {
				msg[i] = '?';
				k = 1;
				break;
			}
	/* in line order: a section's own problems come at its end */
	for (j = e->n; j > 0 && e->e[j - 1].line > line; j--)
		;
	if (j >= SV_RULESFILE_ERRORS_MAX)
		return;
	e->n += e->n < SV_RULESFILE_ERRORS_MAX;
	memmove(&e->e[j + 1], &e->e[j], (e->n - 1 - j) * sizeof(e->e[0]));
	sv_error_at(&e->e[j], SV_ERR_USAGE, c->name, 0, line, "%s%.0u%s%s",
		    col ? "column " : "", col, col ? ": " : "", msg);
}

static char *dup_n(struct pctx *c, const char *s, size_t n)
{
	char *d = sv_arena_strndup(c->arena, s, n);

	if (!d)
		c->nomem = 1;
	return d;
}

static void *zalloc(struct pctx *c, size_t n, size_t size)
{
	void *p = sv_arena_calloc(c->arena, n ? n : 1, size);

	if (!p)
		c->nomem = 1;
	return p;
}

#define is_blank(ch) ((ch) == ' ' || (ch) == '\t')

/* ---- lines ---- */

/* 0 when the line is clean text (sv_text_is_clean: UTF-8, no control
 * character but tabs); else reports the first bad byte. */
static int check_text(struct pctx *c, const char *s, size_t n, uint64_t ln)
{
	size_t i = 0, k;

	if (sv_text_is_clean(s, n, n))
		return 0;
	while (i < n) {
		for (k = 1; k <= 4 && i + k <= n; k++)
			if (sv_text_is_clean(s + i, k, k))
				break;
		if (k > 4 || i + k > n)
			break;
		i += k;
	}
	perr(c, ln, (uint32_t)i + 1, "byte 0x%02x: only UTF-8 text without "
	     "control characters (tabs aside) is allowed",
	     (unsigned char)s[i]);
	return -1;
}

/* Where the comment starts: '#' first on the line, or after a blank and
 * before a blank or the end ("why = the #1 tool" keeps its '#'). */
static size_t comment_at(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '#' && (i == 0 || is_blank(s[i - 1])) &&
		    (i + 1 == n || is_blank(s[i + 1])))
			return i;
	return n;
}

/* ---- values ---- */

/* The next blank-separated value of e from *p as an arena string, and
 * its column; NULL at the end (or out of memory). A lone comparison
 * operator takes the value after it: ">= 10M" is one value. */
static char *next_value(struct pctx *c, const struct ent *e, const char **p,
			uint32_t *col)
{
	const char *end = e->v + e->n;
	struct sv_span sp, nx = {NULL, 0};
	size_t i = 0;
	char *v;

	if (sv_str_token(p, end, &sp))
		return NULL;
	*col = e->col + (uint32_t)(sp.p - e->v);
	while (i < sp.n && memchr("<>=!", sp.p[i], 4))
		i++;
	if (i == sp.n && sv_str_token(p, end, &nx))
		nx.n = 0;
	v = zalloc(c, sp.n + nx.n + 1, 1);
	if (v)
		memcpy(v, sp.p, sp.n);
	if (v && nx.n)
		memcpy(v + sp.n, nx.p, nx.n);
	return v;
}

static int word_index(const char *const *w, const char *s, size_t n)
{
	int i;

	for (i = 0; w[i]; i++)
		if (strlen(w[i]) == n && !memcmp(w[i], s, n))
			return i;
	return -1;
}

/* The one word of a key that takes one of words: its index, dflt when
 * the key is absent, -1 when the word is not one of them. */
static int p_word(struct pctx *c, int k, const char *const *words,
		  int dflt)
{
	const struct ent *e = &c->sec.ent[k];
	char list[200];
	size_t used = 0;
	int i;

	i = e->set ? word_index(words, e->v, e->n) : dflt;
	if (i >= 0 || !e->set)
		return i;
	list[0] = '\0';
	for (i = 0; words[i]; i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
					 "%s%s", i ? ", " : "", words[i]);
	perr(c, e->line, e->col, "%s '%.*s' is not one of: %s", keys[k].name,
	     (int)(e->n < 60 ? e->n : 60), e->v, list);
	return -1;
}

static const char *p_text(struct pctx *c, int k, size_t max)
{
	const struct ent *e = &c->sec.ent[k];

	if (!e->set)
		return NULL;
	if (e->n > max) {
		perr(c, e->line, e->col, "%s is %zu bytes, more than %zu",
		     keys[k].name, e->n, max);
		return NULL;
	}
	return dup_n(c, e->v, e->n);
}

/* "T1234" or "T1234.567" (MITRE ATT&CK technique or sub-technique). */
static const char *p_technique(struct pctx *c)
{
	const struct ent *e = &c->sec.ent[K_TECHNIQUE];
	size_t i;
	int ok = (e->n == 5 || e->n == 9) && e->v[0] == 'T';

	if (!e->set)
		return NULL;
	for (i = 1; ok && i < e->n; i++)
		ok = i == 5 ? e->v[i] == '.' : e->v[i] >= '0' && e->v[i] <= '9';
	if (!ok) {
		perr(c, e->line, e->col, "technique '%.*s' is not a MITRE "
		     "ATT&CK id such as T1105 or T1059.004",
		     (int)(e->n < 40 ? e->n : 40), e->v);
		return NULL;
	}
	return dup_n(c, e->v, e->n);
}

/* ---- list values: globs, numbers, ports, addresses ---- */

/* Why fnmatch(3) would not read g as meant (at: where), or NULL. */
static const char *glob_problem(const char *g, size_t *at)
{
	size_t i, j;

	for (i = 0; g[i]; i++) {
		if (g[i] == '\\' && !g[i + 1])
			break;
		if (g[i] == '\\')
			i++;
		if (g[i] != '[')
			continue;
		j = i + 1;
		j += g[j] == '!' || g[j] == '^';
		j += g[j] == ']';
		while (g[j] && g[j] != ']')
			j++;
		if (!g[j]) {
			*at = i;
			return "has a '[' without its ']'";
		}
		i = j;
	}
	*at = i;
	return g[i] ? "ends with a lone backslash" : NULL;
}

static int known_kind(const char *s)
{
	int i;

	if (strpbrk(s, "*?[\\"))
		return 1; /* a glob: may match kinds added later */
	for (i = 0; sv_rulesfile_event_kinds[i]; i++)
		if (!strcmp(s, sv_rulesfile_event_kinds[i]))
			return 1;
	return 0;
}

/* DNS names: lower case, without the root's trailing dot. */
static void dns_fold(char *s)
{
	size_t n = strlen(s);

	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
	if (n > 1 && s[-1] == '.' && s[-2] != '\\')
		s[-1] = '\0';
}

/* The whole of s as a decimal number of at most max. */
static int p_u64(const char *s, uint64_t max, uint64_t *v)
{
	const char *end = s + strlen(s);

	return sv_str_u64(&s, end, max, v) || s != end ? -1 : 0;
}

static const struct name_num {
	const char *name;
	uint32_t v;
} protos[] = {
	{"icmp", 1}, {"tcp", 6}, {"udp", 17}, {"icmpv6", 58}, {"sctp", 132},
	{NULL, 0}
}, qtypes[] = {
	{"a", 1}, {"ns", 2}, {"cname", 5}, {"soa", 6}, {"null", 10},
	{"ptr", 12}, {"mx", 15}, {"txt", 16}, {"aaaa", 28}, {"srv", 33},
	{"naptr", 35}, {"ds", 43}, {"dnskey", 48}, {"svcb", 64},
	{"https", 65}, {"any", 255}, {"caa", 257}, {NULL, 0}
};

/* user (euid), protocol (name or 0-255), type (name or 0-65535). */
static const char *p_num(int k, const char *s, uint32_t *out)
{
	const struct name_num *t = k == K_PROTOCOL ? protos :
				   k == K_TYPE ? qtypes : NULL;
	uint64_t v;

	for (; t && t->name && strcasecmp(s, t->name); t++)
		;
	if (t && t->name)
		*out = t->v;
	else if (!p_u64(s, k == K_USER ? UINT32_MAX : k == K_PROTOCOL ? 255
							       : 65535, &v))
		*out = (uint32_t)v;
	else
		return k == K_USER ? "is not a numeric uid" :
		       k == K_PROTOCOL ? "is not tcp, udp, icmp, icmpv6, sctp"
		       " or a number up to 255" : "is not a DNS type (A, "
		       "AAAA, TXT, ...) or a number";
	return NULL;
}

static const char *p_port(char *s, struct sv_rule_port *out)
{
	char *dash = strchr(s, '-');
	uint64_t lo, hi = 0;

	if (dash)
		*dash = '\0';
	if (p_u64(s, 65535, &lo) || (dash && p_u64(dash + 1, 65535, &hi)) ||
	    (dash && hi < lo))
		return "is not a port (0-65535) or a range such as 8000-8080";
	out->lo = (uint16_t)lo;
	out->hi = (uint16_t)(dash ? hi : lo);
	return NULL;
}

/* "10.0.0.0/8", "fd00::/8", or one address. Host bits must be zero. */
static const char *p_cidr(char *s, struct sv_rule_cidr *out)
{
	char *slash = strchr(s, '/');
	uint64_t bits;
	int i, max;

	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, s, out->addr) == 1)
		out->family = 4, max = 32;
	else if (inet_pton(AF_INET6, s, out->addr) == 1)
		out->family = 6, max = 128;
	else
		return "is not an IPv4 or IPv6 address or network";
	bits = (uint64_t)max;
	if (slash && p_u64(slash + 1, (uint64_t)max, &bits))
		return "has a prefix length past the address's bits";
	out->prefix = (uint8_t)bits;
	for (i = 0; i < max / 8; i++) {
		int keep = (int)bits - i * 8;
		uint8_t mask = keep >= 8 ? 0xff : keep <= 0 ? 0 :
			       (uint8_t)(0xff << (8 - keep));

		if (out->addr[i] & ~mask)
			return "has bits set past its prefix (write the "
			       "network, e.g. 10.89.77.0/24)";
	}
	return NULL;
}

static const char *p_cmp(int k, const char *s, struct sv_rule_cmp *out);

/* One value of list key k into elem; an error text, or NULL. */
static const char *one_value(int k, char *s, void *elem, size_t *at)
{
	const char *why;

	switch (k) {
	case K_BYTES_OUT: case K_BYTES_IN: case K_LABELS:
	case K_LABEL_LENGTH: case K_ENTROPY:
		return p_cmp(k, s, elem);
	case K_USER: case K_PROTOCOL: case K_TYPE:
		return p_num(k, s, elem);
	case K_PORT:
		return p_port(s, elem);
	case K_ADDRESS:
		return p_cidr(s, elem);
	}
	if (k == K_NAME)
		dns_fold(s);
	why = glob_problem(s, at);
	*at = why ? *at : 0;
	if (!why && k == K_KIND && !known_kind(s))
		why = "is not an event kind (docs/rules.md lists them)";
	*(const char **)elem = s;
	return why;
}

/* The values of key k as an array of n elements of size bytes (arena);
 * NULL and *n = 0 on error (reported). */
static void *p_list(struct pctx *c, int k, size_t size, uint32_t *n)
{
	const struct ent *e = &c->sec.ent[k];
	char *v = zalloc(c, SV_RULESFILE_VALUES_MAX, size), *tok, shown[64];
	const char *p = e->v, *why;
	uint32_t i, col = 0;
	size_t at = 0;

	*n = 0;
	for (i = 0; v && (tok = next_value(c, e, &p, &col)); i++) {
		snprintf(shown, sizeof(shown), "%s", tok);
		why = i >= SV_RULESFILE_VALUES_MAX ? "is one value too many "
		      "(64 at most)" : one_value(k, tok, v + i * size, &at);
		if (why) {
			perr(c, e->line, col + (uint32_t)at, "%s '%s' %s",
			     keys[k].name, shown, why);
			return NULL;
		}
	}
	*n = i;
	return c->nomem ? NULL : v;
}

#define LIST(c, k, f) ((f).v = has(c, k) ? \
		       p_list(c, k, sizeof(*(f).v), &(f).n) : NULL)

/* "3", "3.25": at most 6 decimals, below a million. */
static int p_decimal(const char *s, double *v)
{
	const char *end = s + strlen(s), *dot = strchr(s, '.');
	const char *ie = dot ? dot : end, *f;
	uint64_t ip, fp = 0, scale = 1;

	if (sv_str_u64(&s, ie, 999999, &ip) || s != ie)
		return -1;
	if (dot) {
		f = dot + 1;
		if (f == end || end - f > 6 ||
		    sv_str_u64(&f, end, 999999, &fp) || f != end)
			return -1;
		for (f = dot + 1; f < end; f++)
			scale *= 10;
	}
	*v = (double)ip + (double)fp / (double)scale;
	return 0;
}

static const char *cmp_value(int k, const char *s, double *v)
{
	uint64_t u;

	if (k == K_BYTES_OUT || k == K_BYTES_IN) {
		if (sv_parse_size(s, &u))
			return "is not a size such as 4096, 64K, 10M or 2G";
		*v = (double)u;
		return NULL;
	}
	if (p_decimal(s, v) || (k != K_ENTROPY && strchr(s, '.')))
		return k == K_ENTROPY ? "is not a number such as 3.5" :
		       "is not a whole number up to 999999";
	return NULL;
}

/* "OP NUMBER", OP one of < <= > >= = == != (none: =). */
static const char *p_cmp(int k, const char *s, struct sv_rule_cmp *out)
{
	static const char *const ops[] = {
		[SV_OP_LT] = "<", [SV_OP_LE] = "<=", [SV_OP_GT] = ">",
		[SV_OP_GE] = ">=", [SV_OP_EQ] = "==", [SV_OP_NE] = "!=",
	};
	size_t i, n, ol = *s == '=';

	out->op = SV_OP_EQ;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strncmp(s, ops[i], n = strlen(ops[i])) && n > ol) {
			out->op = (enum sv_rule_op)i;
			ol = n;
		}
	if (!s[ol])
		return "needs a number after its operator";
	return cmp_value(k, s + ol, &out->value);
}

/* ---- sections ---- */

static int has(const struct pctx *c, int k)
{
	return c->sec.ent[k].set;
}

/* Keys that the section's match type does not have. */
static void check_match_keys(struct pctx *c, int m)
{
	int k, o;

	for (k = 0; k < K_COUNT; k++) {
		if (!has(c, k) || (keys[k].matches & (1u << m)))
			continue;
		for (o = 0; o <= SV_RM_EVENT && !(keys[k].matches & 1u << o);)
			o++;
		perr(c, c->sec.ent[k].line, 0, "'%s' is a key of match = %s,"
		     " not of match = %s", keys[k].name, matches[o],
		     matches[m]);
	}
}

/* A rule must say what to look for beyond where. */
static void check_condition(struct pctx *c, int m)
{
	static const char *const need[] = {
		"program, executable, cmdline, parent or user",
		"program, protocol, port, address, bytes-out or bytes-in",
		"program, name, type, labels, label-length or entropy",
		"kind or text",
	};
	int k;

	for (k = K_PROGRAM; k <= K_TEXT; k++)
		if (has(c, k) && (keys[k].matches & (1u << m)) &&
		    k != K_DIRECTION)
			return;
	perr(c, c->sec.line, 0, "rule '%s' (match = %s) needs at least one "
	     "of: %s", c->sec.id, matches[m], need[m]);
}

static void rule_words(struct pctx *c, struct sv_rulespec *r, int *m)
{
	/* a wrong word stores -1: the file is refused, the set dropped */
	*m = p_word(c, K_MATCH, matches, -1);
	r->match = (enum sv_rule_match)*m;
	r->severity = p_word(c, K_SEVERITY, severities, 0);
	r->scope = (enum sv_rule_scope)p_word(c, K_SCOPE, scopes, 0);
	r->direction = (enum sv_rule_dir)p_word(c, K_DIRECTION, directions,
						 0);
	r->title = p_text(c, K_TITLE, SV_RULESFILE_TITLE_MAX);
	r->why = p_text(c, K_WHY, SV_RULESFILE_WHY_MAX);
	r->technique_name = p_text(c, K_TECHNAME, SV_RULESFILE_TITLE_MAX);
	r->technique = p_technique(c);
}

static void rule_values(struct pctx *c, struct sv_rulespec *r)
{
	LIST(c, K_CONTAINER, r->container);
	LIST(c, K_IMAGE, r->image);
	LIST(c, K_PROGRAM, r->program);
	LIST(c, K_EXECUTABLE, r->executable);
	LIST(c, K_CMDLINE, r->cmdline);
	LIST(c, K_PARENT, r->parent);
	LIST(c, K_USER, r->user);
	LIST(c, K_PROTOCOL, r->protocol);
	LIST(c, K_PORT, r->port);
	LIST(c, K_ADDRESS, r->address);
	LIST(c, K_NAME, r->name);
	LIST(c, K_TYPE, r->type);
	LIST(c, K_KIND, r->kind);
	LIST(c, K_TEXT, r->text);
	LIST(c, K_BYTES_OUT, r->bytes_out);
	LIST(c, K_BYTES_IN, r->bytes_in);
	LIST(c, K_LABELS, r->labels);
	LIST(c, K_LABEL_LENGTH, r->label_length);
	LIST(c, K_ENTROPY, r->entropy);
}

/* Sections join the set even when wrong (a later duplicate is then
 * caught); a file with any error yields no set at all. */
#define APPEND(c, tail, x, count) \
	(*(c)->tail = (x), (c)->tail = &(x)->next, (c)->set->count++)

static void build_rule(struct pctx *c)
{
	static const int required[] = {K_TITLE, K_SEVERITY, K_MATCH};
	struct sv_rulespec *r = zalloc(c, 1, sizeof(*r));
	const struct sv_rulespec *o;
	size_t i;
	int m;

	if (!r)
		return;
	r->id = c->sec.id;
	r->line = c->sec.line;
	for (o = c->set->rules; o; o = o->next)
		if (!strcmp(o->id, r->id))
			perr(c, c->sec.line, 0, "rule '%s' is defined twice "
			     "(first on line %llu)", r->id,
			     (unsigned long long)o->line);
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!has(c, required[i]))
			perr(c, c->sec.line, 0, "rule '%s' has no %s",
			     r->id, keys[required[i]].name);
	rule_words(c, r, &m);
	if (m >= 0) {
		check_match_keys(c, m);
		check_condition(c, m);
	}
	rule_values(c, r);
	APPEND(c, rtail, r, n_rules);
}

static void build_tune(struct pctx *c)
{
	struct sv_ruletune *t = zalloc(c, 1, sizeof(*t));
	const struct sv_ruletune *o;

	if (!t)
		return;
	t->rule = c->sec.id;
	t->line = c->sec.line;
	for (o = c->set->tunes; o; o = o->next)
		if (!strcmp(o->rule, t->rule))
			perr(c, c->sec.line, 0, "[tune %s] appears twice "
			     "(first on line %llu)", t->rule,
			     (unsigned long long)o->line);
	if (!has(c, K_SEVERITY) && !has(c, K_ENABLED))
		perr(c, c->sec.line, 0, "[tune %s] changes nothing: give "
		     "severity or enabled", t->rule);
	t->severity = p_word(c, K_SEVERITY, severities, -1);
	t->enabled = p_word(c, K_ENABLED, yesno, -1);
	APPEND(c, ttail, t, n_tunes);
}

static void build_allow(struct pctx *c)
{
	struct sv_ruleallow *a = zalloc(c, 1, sizeof(*a));

	if (!a)
		return;
	a->line = c->sec.line;
	if (!has(c, K_RULE))
		perr(c, c->sec.line, 0, "[allow] needs rule = ID... (a glob; "
		     "* for every rule)");
	LIST(c, K_RULE, a->rule);
	LIST(c, K_CONTAINER, a->container);
	LIST(c, K_IMAGE, a->image);
	a->why = p_text(c, K_WHY, SV_RULESFILE_WHY_MAX);
	APPEND(c, atail, a, n_allows);
}

static void finish_section(struct pctx *c)
{
	if (c->sec.kind == SEC_RULE)
		build_rule(c);
	else if (c->sec.kind == SEC_TUNE)
		build_tune(c);
	else if (c->sec.kind == SEC_ALLOW)
		build_allow(c);
	memset(&c->sec, 0, sizeof(c->sec));
}

/* ---- statements ---- */

/* "[rule ID]", "[tune ID]" or "[allow]"; s[0] is '[', col its column. */
static void section_line(struct pctx *c, const char *s, size_t n,
			 uint64_t ln, uint32_t col)
{
	const char *p = s + 1, *end = s + n - 1;
	struct sv_span w, id = {NULL, 0}, more;
	int k = -1;
	size_t i = 0;

	finish_section(c);
	c->sec.kind = SEC_SKIP;
	c->sec.line = ln;
	if (s[n - 1] == ']' && !sv_str_token(&p, end, &w)) {
		k = word_index(sections, w.p, w.n);
		if (sv_str_token(&p, end, &id))
			id.n = 0;
		if (!sv_str_token(&p, end, &more) || !id.n != (k == 2))
			k = -1;
	}
	if (k < 0) {
		perr(c, ln, col, "'%.*s' is not a section header: [rule ID], "
		     "[tune ID] or [allow]", (int)(n < 70 ? n : 70), s);
		return;
	}
	while (i < id.n && ((id.p[i] >= 'a' && id.p[i] <= 'z') ||
			    (id.p[i] >= '0' && id.p[i] <= '9') ||
			    (i && id.p[i] == '-')))
		i++;
	if (i < id.n || id.n > SV_RULESFILE_ID_MAX) {
		perr(c, ln, col + (uint32_t)(id.p + i - s), "bad id '%.*s': "
		     "at most %d of a-z, 0-9 and '-', not starting with '-'",
		     (int)(id.n < 70 ? id.n : 70), id.p, SV_RULESFILE_ID_MAX);
		return;
	}
	if (++c->sections > SV_RULESFILE_SECTIONS_MAX) {
		if (c->sections == SV_RULESFILE_SECTIONS_MAX + 1)
			perr(c, ln, col, "more than %d sections; the rest of "
			     "the file is ignored", SV_RULESFILE_SECTIONS_MAX);
		return;
	}
	if (id.n && !(c->sec.id = dup_n(c, id.p, id.n)))
		return;
	c->sec.kind = 1u << k;
}

static int find_key(const char *s, size_t n)
{
	int k;

	for (k = 0; k < K_COUNT; k++)
		if (strlen(keys[k].name) == n && !memcmp(keys[k].name, s, n))
			return k;
	return -1;
}

/* "key = value"; s starts at column col. */
static void key_line(struct pctx *c, const char *s, size_t n, uint64_t ln,
		     uint32_t col)
{
	size_t i = 0, j;
	struct ent *e;
	int k;

	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
		i++;
	for (j = i; j < n && is_blank(s[j]); j++)
		;
	if (!i || j >= n || s[j] != '=') {
		perr(c, ln, col + (uint32_t)(i ? j : 0), "expected 'key = "
		     "value', a [section] or a # comment");
		return;
	}
	for (j++; j < n && is_blank(s[j]); j++)
		;
	k = find_key(s, i);
	e = k < 0 ? NULL : &c->sec.ent[k];
	if (c->sec.kind == SEC_NONE)
		perr(c, ln, col, "'%.*s' is outside a section; start one "
		     "with [rule ID], [tune ID] or [allow]", (int)i, s);
	else if (c->sec.kind == SEC_SKIP)
		return;
	else if (!e)
		perr(c, ln, col, "unknown key '%.*s'", (int)(i < 60 ? i : 60),
		     s);
	else if (!(keys[k].sections & c->sec.kind))
		perr(c, ln, col, "'%s' is not a key of [%s] sections",
		     keys[k].name, sections[c->sec.kind >> 1]);
	else if (e->set)
		perr(c, ln, col, "'%s' given twice (first on line %llu); put "
		     "every value on one line", keys[k].name,
		     (unsigned long long)e->line);
	else if (j >= n)
		perr(c, ln, col + (uint32_t)j, "'%s' has no value",
		     keys[k].name);
	else
		*e = (struct ent){s + j, n - j, ln, col + (uint32_t)j, 1};
}

/* 1 when s is a "salvage-rules N" line (N checked), else 0. */
static int version_line(struct pctx *c, const char *s, size_t n,
			uint64_t ln, uint32_t col)
{
	const char *p = s, *end = s + n;
	struct sv_span w;
	uint64_t v = 0;

	if (sv_str_token(&p, end, &w) || !sv_span_eq(w, "salvage-rules"))
		return 0;
	sv_str_skip_blank(&p, end);
	if (sv_str_u64(&p, end, 1000000, &v) || p != end ||
	    v != SV_RULESFILE_VERSION)
		perr(c, ln, col + (uint32_t)(w.n + 1), "the version line is "
		     "'salvage-rules %d' (this salvage reads no other)",
		     SV_RULESFILE_VERSION);
	return 1;
}

static void one_line(struct pctx *c, const char *s, size_t n, uint64_t ln)
{
	size_t i = 0;

	if (n && s[n - 1] == '\r')
		n--;
	if (n > SV_RULESFILE_LINE_MAX) {
		perr(c, ln, 0, "the line is %zu bytes, more than %d", n,
		     SV_RULESFILE_LINE_MAX);
		return;
	}
	if (check_text(c, s, n, ln))
		return;
	n = comment_at(s, n);
	while (n && is_blank(s[n - 1]))
		n--;
	while (i < n && is_blank(s[i]))
		i++;
	if (i == n)
		return;
	if (!c->version_seen) {
		c->version_seen = 1;
		if (version_line(c, s + i, n - i, ln, (uint32_t)i + 1))
			return;
		perr(c, ln, (uint32_t)i + 1, "the first statement must be "
		     "'salvage-rules %d'", SV_RULESFILE_VERSION);
	}
	if (s[i] == '[')
		section_line(c, s + i, n - i, ln, (uint32_t)i + 1);
	else
		key_line(c, s + i, n - i, ln, (uint32_t)i + 1);
}

/* ---- entry points ---- */

static void parse_text(struct pctx *c, const char *p, const char *end)
{
	const char *nl;
	uint64_t ln = 0;

	if (end - p >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3; /* a byte order mark some editors write */
	while (p < end && !c->nomem) {
		nl = memchr(p, '\n', (size_t)(end - p));
		one_line(c, p, nl ? (size_t)(nl - p) : (size_t)(end - p),
			 ++ln);
		p = nl ? nl + 1 : end;
	}
	if (!c->nomem)
		finish_section(c);
	if (!c->version_seen)
		perr(c, 1, 0, "empty rules file: the first statement must be "
		     "'salvage-rules %d'", SV_RULESFILE_VERSION);
}

static enum sv_status load_fail(struct sv_rulesfile_errors *errs,
				enum sv_status code, const char *path,
				int e, const char *what)
{
	sv_error_set(&errs->e[0], code, path, "%s%s%s", what, e ? ": " : "",
		     e ? strerror(e) : "");
	errs->e[0].sys_errno = e;
	errs->n = 1;
	errs->total = 1;
	return code;
}

enum sv_status sv_rulesfile_parse(const char *buf, size_t n,
				  const char *name, struct sv_arena *arena,
				  const struct sv_rulespec_set **out,
				  struct sv_rulesfile_errors *errs)
{
	struct pctx c;

	memset(errs, 0, sizeof(*errs));
	memset(&c, 0, sizeof(c));
	c.name = name ? name : "rules";
	c.arena = arena;
	c.errs = errs;
	c.set = zalloc(&c, 1, sizeof(*c.set));
	if (c.set && (c.set->name = dup_n(&c, c.name, strlen(c.name)))) {
		c.rtail = &c.set->rules;
		c.ttail = &c.set->tunes;
		c.atail = &c.set->allows;
		if (n > SV_RULESFILE_MAX_BYTES)
			perr(&c, 0, 0, "the file is %zu bytes, more than %u",
			     n, SV_RULESFILE_MAX_BYTES);
		else
			parse_text(&c, buf, buf + n);
	}
	if (c.nomem)
		return load_fail(errs, SV_ERR_NOMEM, c.name, 0,
				 "out of memory");
	if (errs->total)
		return SV_ERR_USAGE;
	*out = c.set;
	return SV_OK;
}

enum sv_status sv_rulesfile_load(const char *path, struct sv_arena *arena,
				 const struct sv_rulespec_set **out,
				 struct sv_rulesfile_errors *errs)
{
	enum sv_status rc = SV_OK;
	size_t got = 0, max = SV_RULESFILE_MAX_BYTES;
	struct stat st;
	char *buf = NULL;
	ssize_t r = 0;
	int fd;

	memset(errs, 0, sizeof(*errs));
	/* O_NONBLOCK: a FIFO named by mistake must not hang the run. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return load_fail(errs, SV_ERR_IO, path, errno, "cannot open");
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		rc = load_fail(errs, SV_ERR_USAGE, path, 0,
			       "not a regular file");
	else if (!(buf = malloc(max + 1)))
		rc = load_fail(errs, SV_ERR_NOMEM, path, 0, "out of memory");
	while (buf && got <= max &&
	       ((r = read(fd, buf + got, max + 1 - got)) > 0 ||
		(r < 0 && errno == EINTR)))
		got += r > 0 ? (size_t)r : 0;
	if (buf && r < 0)
		rc = load_fail(errs, SV_ERR_IO, path, errno, "cannot read");
	else if (buf && got > max)
		rc = load_fail(errs, SV_ERR_USAGE, path, 0,
			       "larger than 1 MiB");
	else if (buf)
		rc = sv_rulesfile_parse(buf, got, path, arena, out, errs);
	close(fd);
	free(buf);
	return rc;
}
