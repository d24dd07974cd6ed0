/*
 * sv_modelfile.c - read a model file (models/model.xsd) back into a
 * baseline; see sv_modelfile.h for the format and the refusals, and
 * sv_modelfile_write.c for the writer.
 *
 * Reading parses with libxml2 (no DOCTYPE: the parser stops
 * at one, before any declaration is read; no network; no XML_PARSE_NOENT,
 * no XML_PARSE_HUGE), validates against the schema compiled into the
 * binary (cmake/embed.cmake), then rebuilds the statistics through the
 * baseline's own functions, so that its caps and checks apply, and
 * compares the recomputed digest with the file's checksum last (a
 * damaged number gets the more precise error first).
 *
 * Ownership: returns a new baseline (sv_baseline_free) and frees
 * everything else it made.
 */
#include "sv_modelfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sv_cursor.h"
#include "sv_model_xsd.h" /* generated: sv_model_xsd[], sv_model_xsd_LEN */

#define X(s) ((const xmlChar *)(s))
#define NUM_TEXT 64       /* longest number token read */

static const char root_name[] = "salvage-model";
static const char ns_prefix[] = "urn:salvage:model:";

/* ---- reading: XML, root, schema ---- */

/* The first problem libxml2 reported, whether the parser had read all
 * of the input by then (the text ended early), and whether a DOCTYPE
 * stopped it. */
struct xml_diag {
	int dtd;
	int have;
	int at_end;
	long line;
	char msg[200];
};

static void diag_take(struct xml_diag *dg, const xmlError *e)
{
	size_t n;

	/* Warnings come this way too; the first error is what counts. */
	if (dg->have || !e || e->level < XML_ERR_ERROR)
		return;
	dg->have = 1;
	dg->line = e->line;
	snprintf(dg->msg, sizeof(dg->msg), "%s",
		 e->message ? e->message : "error");
	n = strlen(dg->msg);
	while (n && (dg->msg[n - 1] == '\n' || dg->msg[n - 1] == ' '))
		dg->msg[--n] = '\0';
}

/* Parser errors arrive with the parser context as ctx. */
static void on_parse_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr c = ctx;
	struct xml_diag *dg = c->_private;

	if (!dg->have && e && e->level >= XML_ERR_ERROR)
		dg->at_end = c->input && c->input->cur >= c->input->end;
	diag_take(dg, e);
}

static void on_schema_error(void *ctx, xmlErrorPtr e)
{
	diag_take(ctx, e);
}

/* A model never has a DOCTYPE: stop before its declarations (entities
 * included) are even read. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *eid,
		       const xmlChar *sid)
{
	xmlParserCtxtPtr c = ctx;
	struct xml_diag *dg = c->_private;

	(void)name;
	(void)eid;
	(void)sid;
	dg->dtd = 1;
	dg->line = xmlSAX2GetLineNumber(c);
	xmlStopParser(c);
}

struct rd {
	const char *name;
	struct sv_error *err;
	struct sv_baseline *b;
};

static enum sv_status rd_fail(struct rd *r, enum sv_status code,
			      long line, const char *fmt, ...) SV_PRINTF(4, 5);

static enum sv_status rd_fail(struct rd *r, enum sv_status code,
			      long line, const char *fmt, ...)
{
	char msg[SV_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sv_error_at(r->err, code, r->name, 0,
			   line > 0 ? (uint64_t)line : 0, "%s", msg);
}

static long line_of(xmlNodePtr n)
{
	return n ? xmlGetLineNo(n) : 0;
}

static enum sv_status parse(struct rd *r, const char *buf, size_t n,
			    xmlDocPtr *out)
{
	struct xml_diag dg;
	xmlParserCtxtPtr c;
	xmlDocPtr doc;

	memset(&dg, 0, sizeof(dg));
	if (n == 0)
		return rd_fail(r, SV_ERR_TRUNCATED, 0, "truncated: empty");
	c = xmlNewParserCtxt();
	if (!c)
		return rd_fail(r, SV_ERR_NOMEM, 0, "out of memory");
	c->_private = &dg;
	c->sax->internalSubset = on_doctype;
	c->sax->serror = on_parse_error;
	/* No XML_PARSE_NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE. */
	doc = xmlCtxtReadMemory(c, buf, (int)n, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	xmlFreeParserCtxt(c);
	if (dg.dtd) {
		xmlFreeDoc(doc);
		return rd_fail(r, SV_ERR_CORRUPT, dg.line,
			       "not a model: it has a DOCTYPE (model files "
			       "have none; its entities were not read)");
	}
	if (!doc) {
		if (dg.have && dg.at_end)
			return rd_fail(r, SV_ERR_TRUNCATED, dg.line,
				       "truncated: %s", dg.msg);
		return rd_fail(r, SV_ERR_CORRUPT, dg.line, "not XML: %s",
			       dg.have ? dg.msg : "unreadable");
	}
	*out = doc;
	return SV_OK;
}

/* 1 when a version attribute names a version after this one (digits
 * only, "+" and blanks allowed as in xs:positiveInteger). */
static int version_newer(const char *v)
{
	size_t n = strlen(v);

	while (n && strchr(" \t\r\n", *v))
		v++, n--;
	while (n && strchr(" \t\r\n", v[n - 1]))
		n--;
	if (n && *v == '+')
		v++, n--;
	while (n > 1 && *v == '0')
		v++, n--;
	if (!n || strspn(v, "0123456789") < n)
		return 0; /* not a number: the schema says so */
	return n > 1 || *v - '0' > SV_MODELFILE_VERSION;
}

/* Foreign or newer files are told apart before the schema, which only
 * knows version 1. */
static enum sv_status check_root(struct rd *r, xmlNodePtr root)
{
	const char *ns = root && root->ns ? (const char *)root->ns->href : "";
	xmlChar *ver;
	enum sv_status st = SV_OK;

	if (!root || strcmp((const char *)root->name, root_name) ||
	    strncmp(ns, ns_prefix, sizeof(ns_prefix) - 1))
		return rd_fail(r, SV_ERR_UNSUPPORTED, line_of(root),
			       "foreign: root <%.60s> in namespace '%.80s' is "
			       "not a salvage model (<%s xmlns=\"%s\">)",
			       root ? (const char *)root->name : "",
			       ns, root_name, SV_MODELFILE_NS);
	ver = xmlGetNoNsProp(root, X("version"));
	if (ver && version_newer((const char *)ver))
		st = rd_fail(r, SV_ERR_UNSUPPORTED, line_of(root),
			     "made by a newer salvage: version %.24s, this "
			     "one reads %d", (const char *)ver,
			     SV_MODELFILE_VERSION);
	else if (strcmp(ns, SV_MODELFILE_NS))
		st = rd_fail(r, SV_ERR_UNSUPPORTED, line_of(root),
			     "foreign: namespace '%.80s' is not %s", ns,
			     SV_MODELFILE_NS);
	xmlFree(ver);
	return st;
}

static enum sv_status validate(struct rd *r, xmlDocPtr doc)
{
	struct xml_diag dg;
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema = NULL;
	xmlSchemaValidCtxtPtr vc = NULL;
	int rc = -1;

	memset(&dg, 0, sizeof(dg));
	pc = xmlSchemaNewMemParserCtxt((const char *)sv_model_xsd,
					sv_model_xsd_LEN);
	if (pc) {
		xmlSchemaSetParserStructuredErrors(pc, on_schema_error, &dg);
		schema = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
	}
	if (schema)
		vc = xmlSchemaNewValidCtxt(schema);
	if (vc) {
		xmlSchemaSetValidStructuredErrors(vc, on_schema_error, &dg);
		rc = xmlSchemaValidateDoc(vc, doc);
		xmlSchemaFreeValidCtxt(vc);
	}
	xmlSchemaFree(schema);
	if (rc == 0)
		return SV_OK;
	if (rc < 0)
		return rd_fail(r, SV_ERR_NOMEM, 0, "cannot load the model "
			       "schema: %s", dg.have ? dg.msg : "no memory");
	return rd_fail(r, SV_ERR_CORRUPT, dg.line, "schema-invalid: %s",
		       dg.have ? dg.msg : "does not match models/model.xsd");
}

/* ---- reading: values ---- */

static xmlNodePtr elem(xmlNodePtr n)
{
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

static xmlNodePtr next_elem(xmlNodePtr n)
{
	return elem(n ? n->next : NULL);
}

static int named(xmlNodePtr n, const char *name)
{
	return n && !strcmp((const char *)n->name, name);
}

static size_t count_elems(xmlNodePtr parent)
{
	xmlNodePtr n;
	size_t k = 0;

	for (n = elem(parent->children); n; n = next_elem(n))
		k++;
	return k;
}

/* XSD collapses whitespace around numbers: "[ \t\r\n]*TOKEN[ \t\r\n]*". */
static const char *trim(const char *s, size_t *len)
{
	size_t n = strlen(s);

	while (n && strchr(" \t\r\n", *s))
		s++, n--;
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	*len = n;
	return s;
}

static int text_u64(const char *s, uint64_t *out)
{
	size_t n;
	const char *p = trim(s, &n), *end = p + n;

	if (p < end && *p == '+')
		p++;
	return sv_str_u64(&p, end, UINT64_MAX, out) == 0 && p == end ? 0
								      : -1;
}

/* A finite double in xs:double's decimal form; INF and NaN refused. */
static int text_double(const char *s, size_t n, double *out)
{
	char buf[NUM_TEXT];
	char *end;
	double v;

	if (n == 0 || n >= sizeof(buf) ||
	    strspn(s, "0123456789+-.eE") < n)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (end != buf + n || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int attr_u64(xmlNodePtr n, const char *name, uint64_t *out)
{
	xmlChar *v = xmlGetNoNsProp(n, X(name));
	int rc = v ? text_u64((const char *)v, out) : -1;

	xmlFree(v);
	return rc;
}

static int attr_double(xmlNodePtr n, const char *name, double *out)
{
	xmlChar *v = xmlGetNoNsProp(n, X(name));
	const char *p;
	size_t len;
	int rc = -1;

	if (v) {
		p = trim((const char *)v, &len);
		rc = text_double(p, len, out);
	}
	xmlFree(v);
	return rc;
}

static int attr_is(xmlNodePtr n, const char *name, const char *want)
{
	xmlChar *v = xmlGetNoNsProp(n, X(name));
	int eq = v && !strcmp((const char *)v, want);

	xmlFree(v);
	return eq;
}

/* Exactly want doubles from el's text into out. */
static int elem_doubles(xmlNodePtr el, double *out, size_t want)
{
	xmlChar *t = xmlNodeGetContent(el);
	const char *p = t ? (const char *)t : "";
	size_t k = 0, len;
	int rc = 0;

	for (;;) {
		p += strspn(p, " \t\r\n");
		if (!*p)
			break;
		len = strcspn(p, " \t\r\n");
		if (k == want || text_double(p, len, &out[k++])) {
			rc = -1;
			break;
		}
		p += len;
	}
	xmlFree(t);
	return rc == 0 && k == want ? 0 : -1;
}

/* A copy of n hex digits' bytes, or NULL (bad hex, a NUL byte, memory). */
static char *unhex(const char *h, size_t n)
{
	char *s = malloc(n / 2 + 1);

	if (s && (n % 2 || sv_hex_decode(h, n, (uint8_t *)s, n / 2) ||
		  memchr(s, '\0', n / 2))) {
		free(s);
		return NULL;
	}
	if (s)
		s[n / 2] = '\0';
	return s;
}

/*
 * The string in name="..." or name-hex="..." into *out (malloc'd; NULL
 * when neither is there). -1 when both are, or the hex is bad; -2 out
 * of memory.
 */
static int attr_str(xmlNodePtr n, const char *name, char **out)
{
	char alt[64];
	xmlChar *plain = xmlGetNoNsProp(n, X(name)), *hex;
	int rc = 0;

	snprintf(alt, sizeof(alt), "%s-hex", name);
	hex = xmlGetNoNsProp(n, X(alt));
	*out = NULL;
	if (plain && hex)
		rc = -1;
	else if (plain)
		rc = (*out = strdup((const char *)plain)) ? 0 : -2;
	else if (hex)
		rc = (*out = unhex((const char *)hex,
				   strlen((const char *)hex))) ? 0 : -1;
	xmlFree(plain);
	xmlFree(hex);
	return rc;
}

/* ---- reading: the statistics ---- */

/* A name of enum family (get(i) for i < n), or -1. */
static int family_of(xmlNodePtr n, const char *attr, int count,
		     const char *(*get)(int))
{
	xmlChar *v = xmlGetNoNsProp(n, X(attr));
	int i, found = -1;

	for (i = 0; v && i < count && found < 0; i++)
		if (!strcmp((const char *)v, get(i)))
			found = i;
	xmlFree(v);
	return found;
}

static const char *fc_name(int i) { return sv_fc_name((enum sv_fc)i); }
static const char *fr_name(int i) { return sv_fr_name((enum sv_fr)i); }

/* A value: the element's text, or its bytes in hex (hex="1"). */
static char *value_text(xmlNodePtr el)
{
	xmlChar *t = xmlNodeGetContent(el);
	const char *s = t ? (const char *)t : "";
	char *v;

	if (attr_is(el, "hex", "1"))
		v = unhex(s, strlen(s));
	else
		v = strdup(s);
	xmlFree(t);
	return v;
}

/*
 * The model has no call that sets "other" (counts past the cap): it is
 * rebuilt the way it arose, in a scratch model capped at the k values
 * read, where one more value goes to "other"; the scratch is then
 * merged into the workload's (empty) model.
 */
static enum sv_status cat_other(struct sv_mdl_cat *m, uint64_t other)
{
	char probe[32];
	unsigned i;

	for (i = 0;; i++) {
		snprintf(probe, sizeof(probe), "#other-%u", i);
		if (!sv_mdl_cat_seen(m, probe))
			return sv_mdl_cat_add(m, probe, other);
	}
}

static enum sv_status cat_values(struct rd *r, xmlNodePtr el,
				 struct sv_mdl_cat *m, uint64_t *sum)
{
	xmlNodePtr v;
	uint64_t count;
	enum sv_status st;
	char *s;

	for (v = elem(el->children); v; v = next_elem(v)) {
		s = value_text(v);
		if (!s || attr_u64(v, "count", &count) || count == 0 ||
		    *sum > UINT64_MAX - count) {
			free(s);
			return rd_fail(r, SV_ERR_CORRUPT, line_of(v),
				       "corrupt: bad value or count");
		}
		*sum += count;
		st = sv_mdl_cat_add(m, s, count);
		free(s);
		if (st != SV_OK)
			return rd_fail(r, st, line_of(v), "%s: value not "
				       "taken (longer than %d bytes?)",
				       sv_status_name(st),
				       SV_MDL_CAT_VALUE_MAX);
	}
	return SV_OK;
}

static enum sv_status read_cat(struct rd *r, struct sv_bl_workload *w,
			       xmlNodePtr el, unsigned *seen)
{
	int f = family_of(el, "family", SV_FC_COUNT, fc_name);
	size_t k = count_elems(el);
	uint64_t total, other, sum = 0;
	struct sv_mdl_cat *m = NULL;
	enum sv_status st;
	long line = line_of(el);

	if (f < 0 || (*seen & 1u << f) || !w->cat[f] ||
	    attr_u64(el, "total", &total) || attr_u64(el, "other", &other))
		return rd_fail(r, SV_ERR_CORRUPT, line, "corrupt: unknown or "
			       "repeated categorical family, or bad counts");
	*seen |= 1u << f;
	if (k > SV_BL_CAT_VALUES_MAX)
		return rd_fail(r, SV_ERR_LIMIT, line, "more than %d values",
			       SV_BL_CAT_VALUES_MAX);
	if (k == 0)
		return total || other ? rd_fail(r, SV_ERR_CORRUPT, line,
			"corrupt: counts without values") : SV_OK;
	if (sv_mdl_cat_new(r->b->alpha, k, &m) != SV_OK)
		return rd_fail(r, SV_ERR_NOMEM, line, "out of memory");
	st = cat_values(r, el, m, &sum);
	if (st == SV_OK && sv_mdl_cat_size(m) != k)
		st = rd_fail(r, SV_ERR_CORRUPT, line, "corrupt: a %s value "
			     "is listed twice", fc_name(f));
	if (st == SV_OK && (sum > UINT64_MAX - other || total != sum + other))
		st = rd_fail(r, SV_ERR_CORRUPT, line, "corrupt: total %llu is "
			     "not the sum of the counts and other",
			     (unsigned long long)total);
	if (st == SV_OK && other && cat_other(m, other) != SV_OK)
		st = rd_fail(r, SV_ERR_LIMIT, line, "corrupt: bad other");
	if (st == SV_OK && sv_mdl_cat_merge(w->cat[f], m) != SV_OK)
		st = rd_fail(r, SV_ERR_CORRUPT, line, "corrupt: the %s model "
			     "does not take these values (alpha?)",
			     fc_name(f));
	sv_mdl_cat_free(m);
	return st;
}

/* "features" must name this salvage's d numeric features, in order
 * (a list: any whitespace between the names). */
static int features_ok(xmlNodePtr el, size_t d)
{
	xmlChar *v = xmlGetNoNsProp(el, X("features"));
	const char *p = v ? (const char *)v : "";
	const char *name;
	size_t i, len;
	int ok = d == SV_FN_COUNT;

	for (i = 0; ok && i <= d; i++) {
		p += strspn(p, " \t\r\n");
		len = strcspn(p, " \t\r\n");
		name = i < d ? sv_fn_name((enum sv_fn)i) : "";
		ok = len == strlen(name) && !strncmp(p, name, len);
		p += len;
	}
	xmlFree(v);
	return ok;
}

static int stats_zero(const struct sv_mdl_gauss_stats *s)
{
	size_t i, d = s->d;
	int nz = s->q4 != 0.0;

	for (i = 0; i < d; i++)
		nz |= s->mean[i] != 0.0 || s->t3[i] != 0.0;
	for (i = 0; i < d * d; i++)
		nz |= s->m2[i] != 0.0;
	return !nz;
}

/* mean, m2, t3, q4 of a <gauss> into s (d and n set). */
static int gauss_arrays(xmlNodePtr el, struct sv_mdl_gauss_stats *s)
{
	xmlNodePtr c = elem(el->children);
	size_t d = s->d;

	if (!named(c, "mean") || elem_doubles(c, s->mean, d))
		return -1;
	c = next_elem(c);
	if (!named(c, "m2") || elem_doubles(c, s->m2, d * d))
		return -1;
	c = next_elem(c);
	if (!named(c, "t3") || elem_doubles(c, s->t3, d))
		return -1;
	c = next_elem(c);
	if (!named(c, "q4") || elem_doubles(c, &s->q4, 1))
		return -1;
	return 0;
}

static enum sv_status read_gauss(struct rd *r, struct sv_bl_workload *w,
				 xmlNodePtr el, unsigned *seen)
{
	struct sv_mdl_gauss_stats s;
	int life = attr_is(el, "kind", "lifetime");
	uint64_t n, d;
	long line = line_of(el);
	enum sv_status st;

	if ((*seen & (1u << life)) || attr_u64(el, "n", &n) ||
	    attr_u64(el, "d", &d))
		return rd_fail(r, SV_ERR_CORRUPT, line,
			       "corrupt: repeated gauss or bad counts");
	*seen |= 1u << life;
	if (!features_ok(el, d))
		return rd_fail(r, SV_ERR_UNSUPPORTED, line, "unsupported: "
			       "features other than this salvage's %d (cpu "
			       "memory ...), in that order", SV_FN_COUNT);
	if (sv_mdl_gauss_init(&s, d) != SV_OK)
		return rd_fail(r, SV_ERR_CORRUPT, line, "corrupt: bad d");
	s.n = n;
	if (gauss_arrays(el, &s))
		return rd_fail(r, SV_ERR_CORRUPT, line, "corrupt: mean, m2, "
			       "t3 or q4 is not %llu finite numbers",
			       (unsigned long long)d);
	if (n == 0 && !stats_zero(&s))
		return rd_fail(r, SV_ERR_CORRUPT, line,
			       "corrupt: statistics without observations");
	st = sv_mdl_gauss_merge(life ? &w->life : &w->win, &s);
	if (st != SV_OK)
		return rd_fail(r, SV_ERR_CORRUPT, line, "corrupt: impossible "
			       "statistics (%s): negative variance or "
			       "dimensions that differ",
			       life ? "lifetime" : "window");
	return SV_OK;
}

static enum sv_status read_rate(struct rd *r, struct sv_bl_workload *w,
				xmlNodePtr el, unsigned *seen)
{
	int f = family_of(el, "family", SV_FR_COUNT, fr_name);
	struct sv_mdl_rate_stats s;
	long line = line_of(el);

	if (f < 0 || (*seen & 1u << f) || attr_u64(el, "n", &s.n) ||
	    attr_u64(el, "sum", &s.sum) || attr_u64(el, "sumsq", &s.sumsq))
		return rd_fail(r, SV_ERR_CORRUPT, line, "corrupt: unknown or "
			       "repeated rate family, or bad counts");
	*seen |= 1u << f;
	/* Counts are whole numbers: k^2 >= k, each k <= COUNT_MAX. */
	if ((s.n == 0 && (s.sum || s.sumsq)) || s.sumsq < s.sum ||
	    (s.n && s.sum / s.n > SV_MDL_RATE_COUNT_MAX))
		return rd_fail(r, SV_ERR_CORRUPT, line, "corrupt: impossible "
			       "%s rate (n %llu, sum %llu, sumsq %llu)",
			       fr_name(f), (unsigned long long)s.n,
			       (unsigned long long)s.sum,
			       (unsigned long long)s.sumsq);
	if (sv_mdl_rate_merge(&w->rate[f], &s) != SV_OK)
		return rd_fail(r, SV_ERR_CORRUPT, line, "corrupt: %s rate "
			       "repeated or too large", fr_name(f));
	return SV_OK;
}

static enum sv_status read_calib(struct rd *r, struct sv_bl_workload *w,
				 xmlNodePtr el, unsigned *seen)
{
	int life = attr_is(el, "kind", "lifetime");
	double x[SV_FN_COUNT];
	uint64_t n;
	size_t k = count_elems(el), i;
	xmlNodePtr v;
	long line = line_of(el);

	if ((*seen & (1u << life)) || attr_u64(el, "n", &n) || n != k)
		return rd_fail(r, SV_ERR_CORRUPT, line, "corrupt: repeated "
			       "calibration, or n is not the vectors' count");
	*seen |= 1u << life;
	if (k > SV_BL_CALIB_MAX)
		return rd_fail(r, SV_ERR_LIMIT, line, "more than %d "
			       "calibration vectors", SV_BL_CALIB_MAX);
	if (!features_ok(el, SV_FN_COUNT))
		return rd_fail(r, SV_ERR_UNSUPPORTED, line, "unsupported: "
			       "features other than this salvage's %d",
			       SV_FN_COUNT);
	for (v = elem(el->children); v; v = next_elem(v)) {
		if (elem_doubles(v, x, SV_FN_COUNT))
			return rd_fail(r, SV_ERR_CORRUPT, line_of(v),
				       "corrupt: a vector is not %d finite "
				       "numbers", SV_FN_COUNT);
		for (i = 0; i < SV_FN_COUNT; i++)
			if (!(x[i] > -1.0))
				return rd_fail(r, SV_ERR_CORRUPT, line_of(v),
					       "corrupt: impossible feature "
					       "value");
		if (sv_baseline_add_calib(w, life, x) != SV_OK)
			return rd_fail(r, SV_ERR_NOMEM, line_of(v),
				       "calibration vector not taken");
	}
	return SV_OK;
}

static enum sv_status read_parts(struct rd *r, struct sv_bl_workload *w,
				 xmlNodePtr wel)
{
	unsigned cat = 0, gauss = 0, rate = 0, calib = 0;
	enum sv_status st = SV_OK;
	xmlNodePtr el;

	for (el = elem(wel->children); el && st == SV_OK;
	     el = next_elem(el)) {
		if (named(el, "categorical"))
			st = read_cat(r, w, el, &cat);
		else if (named(el, "gauss"))
			st = read_gauss(r, w, el, &gauss);
		else if (named(el, "rate"))
			st = read_rate(r, w, el, &rate);
		else if (named(el, "calibration"))
			st = read_calib(r, w, el, &calib);
	}
	return st;
}

static enum sv_status read_workload(struct rd *r, xmlNodePtr wel)
{
	struct sv_bl_workload *w;
	uint64_t containers;
	char *key;
	int rc = attr_str(wel, "key", &key);
	long line = line_of(wel);
	enum sv_status st;

	if (rc == -2)
		st = rd_fail(r, SV_ERR_NOMEM, line, "out of memory");
	else if (rc || !key || attr_u64(wel, "containers", &containers))
		st = rd_fail(r, SV_ERR_CORRUPT, line,
			     "corrupt: a workload needs one key (or key-hex) "
			     "and a count of containers");
	else if (sv_baseline_workload(r->b, key, 0))
		st = rd_fail(r, SV_ERR_CORRUPT, line, "corrupt: workload "
			     "'%.100s' listed twice", key);
	else if (!(w = sv_baseline_workload(r->b, key, 1)))
		st = rd_fail(r, SV_ERR_LIMIT, line, "more than %d workloads "
			     "(or out of memory)", SV_BL_WORKLOADS_MAX);
	else {
		w->containers = containers;
		st = read_parts(r, w, wel);
	}
	free(key);
	return st;
}

static enum sv_status read_bundles(struct rd *r, xmlNodePtr tel)
{
	struct sv_error e;
	xmlNodePtr el;
	xmlChar *sha;
	char *name;
	int rc;
	enum sv_status st = SV_OK;

	for (el = elem(tel->children); el && st == SV_OK;
	     el = next_elem(el)) {
		sha = xmlGetNoNsProp(el, X("sha256"));
		rc = attr_str(el, "name", &name);
		sv_error_clear(&e);
		if (rc == -2)
			st = rd_fail(r, SV_ERR_NOMEM, 0, "out of memory");
		else if (!sha || rc)
			st = rd_fail(r, SV_ERR_CORRUPT, line_of(el),
				     "corrupt: bad bundle entry");
		else if (sv_baseline_add_bundle(r->b, (const char *)sha,
						name ? name : "", &e) != SV_OK)
			st = rd_fail(r, e.code == SV_ERR_USAGE
					     ? SV_ERR_CORRUPT : e.code,
				     line_of(el), "corrupt: %s", e.msg);
		xmlFree(sha);
		free(name);
	}
	return st;
}

/* window-ns, far, alpha: a new empty baseline in r->b. */
static enum sv_status read_head(struct rd *r, xmlNodePtr root)
{
	struct sv_error e;
	uint64_t window;
	double far, alpha;

	if (attr_u64(root, "window-ns", &window) || window > INT64_MAX ||
	    attr_double(root, "far", &far) ||
	    attr_double(root, "alpha", &alpha) || !(alpha > 0.0))
		return rd_fail(r, SV_ERR_CORRUPT, line_of(root),
			       "corrupt: bad window-ns, far or alpha");
	sv_error_clear(&e);
	if (sv_baseline_new((int64_t)window, far, &r->b, &e) != SV_OK)
		return rd_fail(r, e.code == SV_ERR_USAGE ? SV_ERR_CORRUPT
							 : e.code,
			       line_of(root), "corrupt: %s", e.msg);
	r->b->alpha = alpha;
	return SV_OK;
}

static enum sv_status check_sum(struct rd *r, xmlNodePtr root)
{
	xmlChar *v = xmlGetNoNsProp(root, X("checksum"));
	const char *want = v ? (const char *)v + strlen("sha256:") : "";
	char got[65];
	enum sv_status st = SV_OK;

	if (sv_baseline_digest(r->b, got) != SV_OK)
		st = rd_fail(r, SV_ERR_NOMEM, 0, "cannot compute the digest");
	else if (!v || strlen((const char *)v) != 71 || strcmp(want, got))
		st = rd_fail(r, SV_ERR_CORRUPT, line_of(root),
			     "corrupt: checksum %.71s does not match the "
			     "content (sha256:%s)", v ? (const char *)v : "",
			     got);
	xmlFree(v);
	return st;
}

static enum sv_status build(struct rd *r, xmlNodePtr root)
{
	xmlNodePtr el = elem(root->children);
	struct sv_error e;
	enum sv_status st;

	SV_FORWARD(read_head(r, root));
	st = named(el, "training") ? read_bundles(r, el)
				   : rd_fail(r, SV_ERR_CORRUPT, 0,
					     "corrupt: no <training>");
	for (el = next_elem(el); el && st == SV_OK; el = next_elem(el))
		st = read_workload(r, el);
	if (st == SV_OK)
		st = check_sum(r, root);
	if (st != SV_OK)
		return st;
	r->b->partial = attr_is(root, "partial", "1");
	if (r->b->partial)
		return SV_OK;
	sv_error_clear(&e);
	if (sv_baseline_fit(r->b, &e) != SV_OK)
		return rd_fail(r, e.code == SV_ERR_NOMEM ? SV_ERR_NOMEM
							 : SV_ERR_CORRUPT,
			       0, "corrupt: cannot fit: %s", e.msg);
	return SV_OK;
}

enum sv_status sv_modelfile_read_mem(const char *buf, size_t n,
				     const char *name,
				     struct sv_baseline **out,
				     struct sv_error *err)
{
	struct rd r = {name ? name : "model", err, NULL};
	xmlDocPtr doc = NULL;
	enum sv_status st;

	sv_error_clear(err);
	if (!out || (!buf && n))
		return sv_error_set(err, SV_ERR_USAGE, r.name, "no input");
	if (n > SV_MODELFILE_MAX || n > INT_MAX)
		return rd_fail(&r, SV_ERR_LIMIT, 0, "too large: %zu bytes; "
			       "model files are at most %zu MiB", n,
			       SV_MODELFILE_MAX >> 20);
	xmlInitParser();
	st = parse(&r, buf, n, &doc);
	if (st == SV_OK)
		st = check_root(&r, xmlDocGetRootElement(doc));
	if (st == SV_OK)
		st = validate(&r, doc);
	if (st == SV_OK)
		st = build(&r, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	if (st != SV_OK) {
		sv_baseline_free(r.b);
		return st;
	}
	*out = r.b;
	return SV_OK;
}

/* The whole file, refusing it before reading when it is too large. */
static enum sv_status slurp(const char *path, char **buf, size_t *len,
			    struct sv_error *err)
{
	struct stat sb;
	size_t got = 0;
	ssize_t k = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		err->sys_errno = fd < 0 ? errno : EINVAL;
		if (fd >= 0)
			close(fd);
		return sv_error_set(err, SV_ERR_IO, path, "cannot read: %s",
				    strerror(err->sys_errno));
	}
	if ((uint64_t)sb.st_size > SV_MODELFILE_MAX) {
		close(fd);
		return sv_error_set(err, SV_ERR_LIMIT, path, "too large: "
				    "%lld bytes; model files are at most "
				    "%zu MiB", (long long)sb.st_size,
				    SV_MODELFILE_MAX >> 20);
	}
	*buf = malloc((size_t)sb.st_size + 1);
	if (!*buf) {
		close(fd);
		return sv_error_set(err, SV_ERR_NOMEM, path, "out of memory");
	}
	while (got < (size_t)sb.st_size) {
		k = read(fd, *buf + got, (size_t)sb.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	if (k < 0) {
		err->sys_errno = errno;
		close(fd);
		free(*buf);
		*buf = NULL;
		return sv_error_set(err, SV_ERR_IO, path, "cannot read: %s",
				    strerror(err->sys_errno));
	}
	close(fd);
	*len = got;
	return SV_OK;
}

enum sv_status sv_modelfile_read(const char *path, struct sv_baseline **out,
				 struct sv_error *err)
{
	char *buf = NULL;
	size_t n = 0;
	enum sv_status st;

	if (!path || !out)
		return sv_error_set(err, SV_ERR_USAGE, path, "no path");
	sv_error_clear(err);
	st = slurp(path, &buf, &n, err);
	if (st == SV_OK)
		st = sv_modelfile_read_mem(buf, n, path, out, err);
	free(buf);
	return st;
}
