/*
 * fuzz_workload.c - libFuzzer target for the workload rules and keys
 * (sv_workload_rule_parse, sv_workload_key: analyzer/sv_featurize.h,
 * models/sv_features.c) and sv_feat_clean.
 *
 * Input: up to six fields separated by NUL bytes: a --workload spec
 * ("PATTERN=KEY"), then a container's pod, namespace, image and two
 * names (an empty field is absent). Besides the sanitizers, aborts when
 * a result breaks the documented contract:
 *   - the parse: an accepted rule with an empty side, a key over
 *     SV_WORKLOAD_KEY_MAX or with control bytes, a pattern that is not
 *     the text before the first '='; a refusal that is not SV_ERR_USAGE
 *     with a message, or that changed the spec;
 *   - the key: NULL, not clean text (no tab or newline either), longer
 *     than SV_WORKLOAD_KEY_MAX, an unknown source; a user key that is
 *     not the rule's; a Kubernetes owner that is not the pod name cut
 *     before a '-' with only suffix characters after it; an image key
 *     with a digest;
 *   - sv_feat_clean: over the cap, not clean, or changing clean text
 *     that fits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sv_featurize.h"
#include "sv_text.h"

#define MAX_INPUT 16384u
#define NFIELDS 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int clean_n(const char *s, size_t n)
{
	return sv_text_is_clean(s, n, n) && !memchr(s, '\t', n) &&
	       !memchr(s, '\n', n);
}

static int clean_line(const char *s)
{
	return clean_n(s, strlen(s));
}

static void check_clean(const char *s, size_t n)
{
	char dst[64];
	size_t len, cap = 1 + n % sizeof(dst);
	const char *t = sv_feat_clean(s, n, dst, cap, &len);

	if (!t || len >= cap || !clean_n(t, len))
		abort();
	if (t == dst ? strlen(dst) != len : t != s || len != n)
		abort();
	if (n < cap && clean_n(s, n) && t != s)
		abort();
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* 1 with *r filled when spec is a rule; aborts on a broken contract. */
static int check_rule(char *spec, struct sv_workload_rule *r)
{
	struct sv_error err;
	char *copy = strdup(spec);
	size_t plen = strcspn(spec, "=");
	enum sv_status rc;

	if (!copy)
		return 0;
	sv_error_clear(&err);
	rc = sv_workload_rule_parse(spec, r, &err);
	if (rc != SV_OK) {
		if (rc != SV_ERR_USAGE || !err.msg[0] || strcmp(copy, spec))
			abort();
		free(copy);
		return 0;
	}
	if (!r->pattern[0] || !r->key[0] || strlen(r->key) >
	    SV_WORKLOAD_KEY_MAX || has_control(r->key) ||
	    strlen(r->pattern) != plen || strncmp(copy, r->pattern, plen) ||
	    strcmp(r->key, copy + plen + 1))
		abort();
	free(copy);
	return 1;
}

/* Suffix characters a controller adds (and the dashes between). */
static int suffix_char(char c)
{
	return c == '-' || (c >= '0' && c <= '9') ||
	       (c && strchr("bcdfghjklmnpqrstvwxz", c));
}

static void check_k8s(const char *key, const struct sv_cont *k)
{
	size_t ns = strlen(k->k8s_namespace), pod = strlen(k->pod), o;
	const char *owner;

	if (strncmp(key, "k8s:", 4))
		abort();
	/* exact checks only where nothing was escaped or cut */
	if (!clean_line(k->pod) || !clean_line(k->k8s_namespace) ||
	    ns + pod + 5 > SV_WORKLOAD_KEY_MAX)
		return;
	if (strncmp(key + 4, k->k8s_namespace, ns) || key[4 + ns] != '/')
		abort();
	owner = key + 5 + ns;
	o = strlen(owner);
	if (o > pod || strncmp(owner, k->pod, o))
		abort();
	if (o == pod)
		return;
	if (!o || k->pod[o] != '-')
		abort();
	for (; o < pod; o++)
		if (!suffix_char(k->pod[o]))
			abort();
}

static void check_key(const struct sv_cont *k,
		      const struct sv_workload_rule *r)
{
	struct sv_arena *arena = sv_arena_new(0);
	const char *from = NULL, *key;

	if (!arena)
		return;
	key = sv_workload_key(arena, k, r, &from);
	if (!key || !from || strlen(key) > SV_WORKLOAD_KEY_MAX ||
	    !clean_line(key))
		abort();
	if (!strcmp(from, "user")) {
		if (!r || strcmp(key, r->key))
			abort();
	} else if (!strcmp(from, "k8s-owner")) {
		check_k8s(key, k);
	} else if (!strcmp(from, "image")) {
		if (strchr(key, '@'))
			abort();
	} else if (strcmp(from, "name")) {
		abort();
	}
	sv_arena_free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *f[NFIELDS] = {NULL};
	struct sv_workload_rule r;
	struct sv_cont k;
	size_t i, n = 0;
	int have_rule;

	if (size > MAX_INPUT)
		return 0;
	check_clean((const char *)data, size);
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (i = 0; n < NFIELDS; n++) {
		f[n] = buf + i;
		i += strlen(buf + i) + 1;
		if (i > size)
			break;
	}
	have_rule = check_rule(f[0], &r);
	memset(&k, 0, sizeof(k));
	k.pod = f[1] && f[1][0] ? f[1] : NULL;
	k.k8s_namespace = f[2] && f[2][0] ? f[2] : NULL;
	k.image = f[3] && f[3][0] ? f[3] : NULL;
	for (i = 4; i < NFIELDS; i++)
		if (f[i] && f[i][0])
			k.names[k.n_names++] = f[i];
	k.name = k.n_names ? k.names[0] : NULL;
	k.id = "0123456789abcdef";
	check_key(&k, have_rule ? &r : NULL);
	free(buf);
	return 0;
}
