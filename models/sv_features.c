/*
 * sv_features.c - what feature values and workload keys may look like:
 * the stable names of the feature families (sv_features.h), clean and
 * bounded text, and the workload key of a container (declared in
 * analyzer/sv_featurize.h, whose sv_featurize() uses it).
 *
 * Names: model files and reports store these spellings, so a name never
 * changes once released; a new family gets a new name. Static strings
 * ("?" for a value out of range).
 *
 * Workload keys: from user rules (fnmatch(3) globs), the Kubernetes
 * owner (the pod name without the suffixes its controller added), the
 * image or the name; see sv_featurize.h. Keys are cleaned and cut to
 * SV_WORKLOAD_KEY_MAX bytes, in the arena given (or static).
 */
#include "sv_features.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_featurize.h"
#include "sv_text.h"

const char *sv_fc_name(enum sv_fc f)
{
	static const char *const n[SV_FC_COUNT] = {
		"program", "executable", "process-pair", "user",
		"capabilities", "listen-port", "destination", "dns-name",
		"tls-sni"
	};

	return (unsigned)f < SV_FC_COUNT ? n[f] : "?";
}

const char *sv_fn_name(enum sv_fn f)
{
	static const char *const n[SV_FN_COUNT] = {
		"cpu", "memory", "io", "pids", "conn-out", "conn-in",
		"bytes-out", "bytes-in", "dns-queries", "dns-label",
		"dns-entropy", "execs"
	};

	return (unsigned)f < SV_FN_COUNT ? n[f] : "?";
}

const char *sv_fr_name(enum sv_fr f)
{
	static const char *const n[SV_FR_COUNT] = {
		"execs", "conns", "dns", "lifecycle"
	};

	return (unsigned)f < SV_FR_COUNT ? n[f] : "?";
}

/* ---- clean, bounded text ---- */

static size_t utf8_len(unsigned char lead)
{
	return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/* Copy cleaned text c into dst (cap bytes), tabs and newlines escaped
 * too, cut on a character boundary. Returns the length. */
static size_t copy_cut(char *dst, size_t cap, const char *c)
{
	size_t i = 0, o = 0, l;
	char esc[8];
	const char *piece;

	while (c[i]) {
		l = utf8_len((unsigned char)c[i]);
		piece = c + i;
		if (c[i] == '\t' || c[i] == '\n') {
			snprintf(esc, sizeof(esc), "\\x%02x", c[i]);
			piece = esc;
			l = 4;
		}
		if (o + l >= cap)
			break;
		memcpy(dst + o, piece, l);
		o += l;
		i += piece == esc ? 1 : l;
	}
	dst[o] = '\0';
	return o;
}

const char *sv_feat_clean(const char *s, size_t n, char *dst, size_t cap,
			  size_t *len)
{
	char *c;

	if (n < cap && !memchr(s, '\t', n) && !memchr(s, '\n', n) &&
	    sv_text_is_clean(s, n, n)) {
		*len = n;
		return s;
	}
	c = sv_text_clean(NULL, s, n, cap);
	if (!c)
		return NULL;
	*len = copy_cut(dst, cap, c);
	free(c);
	return dst;
}

/* s cleaned and cut to SV_WORKLOAD_KEY_MAX bytes, in the arena. */
static const char *key_dup(struct sv_arena *arena, const char *s)
{
	char buf[SV_WORKLOAD_KEY_MAX + 1];
	const char *t;
	size_t len;

	t = sv_feat_clean(s, strlen(s), buf, sizeof(buf), &len);
	return t ? sv_arena_strndup(arena, t, len) : NULL;
}

/* ---- workload keys ---- */

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

enum sv_status sv_workload_rule_parse(char *spec, struct sv_workload_rule *r,
				      struct sv_error *err)
{
	char *eq = spec ? strchr(spec, '=') : NULL;
	const char *key;

	if (!eq)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "workload rule "
				    "'%.100s' has no '=' (PATTERN=KEY)",
				    spec ? spec : "");
	key = eq + 1;
	if (eq == spec || !*key)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "workload rule "
				    "'%.100s': the %s is empty", spec,
				    eq == spec ? "pattern" : "key");
	if (strlen(key) > SV_WORKLOAD_KEY_MAX ||
	    (size_t)(eq - spec) > SV_WORKLOAD_KEY_MAX)
		return sv_error_set(err, SV_ERR_USAGE, NULL, "workload rule "
				    "'%.60s...': the %s is longer than %d "
				    "bytes", spec, strlen(key) >
				    SV_WORKLOAD_KEY_MAX ? "key" : "pattern",
				    SV_WORKLOAD_KEY_MAX);
	if (has_control(key) || !sv_text_is_clean(key, strlen(key),
						  SV_WORKLOAD_KEY_MAX))
		return sv_error_set(err, SV_ERR_USAGE, NULL, "workload rule "
				    "'%.100s': the key has control bytes or "
				    "is not UTF-8", spec);
	*eq = '\0';
	r->pattern = spec;
	r->key = key;
	r->next = NULL;
	return SV_OK;
}

static int in_hash_alphabet(char ch)
{
	/* k8s.io/apimachinery rand.String and SafeEncodeString: no vowels,
	 * no 0, 1, 3 (nothing that spells a word). */
	return ch && strchr("bcdfghjklmnpqrstvwxz2456789", ch) != NULL;
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Length of the run of ok characters that ends s[0..n). */
static size_t tail_run(const char *s, size_t n, int (*ok)(char))
{
	size_t r = 0;

	while (r < n && ok(s[n - 1 - r]))
		r++;
	return r;
}

/* n without a "-" + run of lo..hi ok characters at its end (and at
 * least one character before the dash), else n. */
static size_t strip_suffix(const char *s, size_t n, int (*ok)(char),
			   size_t lo, size_t hi)
{
	size_t r = tail_run(s, n, ok);

	if (r < lo || r > hi || n < r + 2 || s[n - r - 1] != '-')
		return n;
	return n - r - 1;
}

/*
 * The pod name's owner, as a length: a Deployment's pods are
 * <owner>-<pod-template-hash, 6..10>-<5>, a StatefulSet's <owner>-<n>,
 * a Job's or DaemonSet's <owner>-<5>.
 */
static size_t k8s_owner_len(const char *pod, size_t n)
{
	size_t m = strip_suffix(pod, n, in_hash_alphabet, 5, 5), d;

	if (m < n) {
		d = strip_suffix(pod, m, in_hash_alphabet, 6, 10);
		if (d < m)
			return d;
	}
	d = strip_suffix(pod, n, is_digit, 1, 10);
	return d < n ? d : m;
}

static const char *key_k8s(struct sv_arena *arena, const struct sv_cont *k)
{
	char buf[2 * SV_WORKLOAD_KEY_MAX + 8];
	size_t n = k8s_owner_len(k->pod, strlen(k->pod));

	if (n > SV_WORKLOAD_KEY_MAX)
		n = SV_WORKLOAD_KEY_MAX;
	snprintf(buf, sizeof(buf), "k8s:%.*s/%.*s", SV_WORKLOAD_KEY_MAX,
		 k->k8s_namespace, (int)n, k->pod);
	return key_dup(arena, buf);
}

static const char *key_image(struct sv_arena *arena, const char *image)
{
	const char *at = strchr(image, '@');
	char buf[SV_WORKLOAD_KEY_MAX + 1];
	size_t n = at ? (size_t)(at - image) : strlen(image);

	if (n > SV_WORKLOAD_KEY_MAX)
		n = SV_WORKLOAD_KEY_MAX;
	memcpy(buf, image, n);
	buf[n] = '\0';
	return key_dup(arena, buf);
}

/* The first rule whose pattern matches one of k's names or its image. */
static const struct sv_workload_rule *
match_rule(const struct sv_cont *k, const struct sv_workload_rule *r)
{
	size_t i, nn = k->n_names, seen = 0;

	for (; r && seen < SV_WORKLOAD_RULES_MAX; r = r->next, seen++) {
		if (!r->pattern || !r->key)
			continue;
		for (i = 0; i < nn && i < SV_CONT_NAMES_MAX; i++)
			if (k->names[i] && !fnmatch(r->pattern, k->names[i], 0))
				return r;
		if (!nn && k->name && !fnmatch(r->pattern, k->name, 0))
			return r;
		if (k->image && !fnmatch(r->pattern, k->image, 0))
			return r;
	}
	return NULL;
}

const char *sv_workload_key(struct sv_arena *arena, const struct sv_cont *k,
			    const struct sv_workload_rule *rules,
			    const char **from)
{
	const struct sv_workload_rule *r = match_rule(k, rules);

	if (r) {
		*from = "user";
		return key_dup(arena, r->key);
	}
	if (k->pod && k->pod[0] && k->k8s_namespace) {
		*from = "k8s-owner";
		return key_k8s(arena, k);
	}
	if (k->image && k->image[0] && k->image[0] != '@') {
		*from = "image";
		return key_image(arena, k->image);
	}
	*from = "name";
	if (k->name && k->name[0])
		return key_dup(arena, k->name);
	if (k->id && k->id[0])
		return key_dup(arena, k->id);
	return "unknown";
}
