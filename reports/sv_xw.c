/*
 * sv_xw.c - xmlTextWriter with cleaned strings and sticky failure.
 */
#include "sv_xw.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sv_cursor.h"
#include "sv_text.h"
#include "sv_time.h"

#define X(s) ((const xmlChar *)(s))

static void check(struct sv_xw *x, int rc)
{
	if (rc < 0)
		x->failed = 1;
}

int sv_xw_open(struct sv_xw *x, FILE *fp, int html)
{
	xmlOutputBufferPtr out = xmlOutputBufferCreateFile(fp, NULL);

	memset(x, 0, sizeof(*x));
	x->html = html;
	if (!out)
		return -1;
	x->w = xmlNewTextWriter(out); /* takes out */
	if (!x->w) {
		xmlOutputBufferClose(out);
		return -1;
	}
	/* XML indented for people reading it raw; HTML left as written so
	 * no whitespace appears inside inline elements. */
	if (!html && (xmlTextWriterSetIndent(x->w, 1) < 0 ||
		      xmlTextWriterSetIndentString(x->w, (const xmlChar *)" ") <
			      0))
		x->failed = 1;
	return 0;
}

int sv_xw_close(struct sv_xw *x)
{
	if (x->w) {
		if (!x->failed)
			check(x, xmlTextWriterEndDocument(x->w));
		check(x, xmlTextWriterFlush(x->w));
		xmlFreeTextWriter(x->w);
		x->w = NULL;
	}
	return x->failed ? -1 : 0;
}

void sv_xw_start(struct sv_xw *x, const char *name)
{
	if (!x->failed)
		check(x, xmlTextWriterStartElement(x->w, X(name)));
}

void sv_xw_end(struct sv_xw *x)
{
	if (x->failed)
		return;
	if (x->html)
		check(x, xmlTextWriterFullEndElement(x->w));
	else
		check(x, xmlTextWriterEndElement(x->w));
}

/* Run fn on a cleaned copy of value when it needs cleaning. */
static const char *cleaned(const char *v, size_t n, char **owned)
{
	*owned = NULL;
	if (sv_text_is_clean(v, n, SV_TEXT_DEFAULT_MAX))
		return v;
	*owned = sv_text_clean(NULL, v, n, SV_TEXT_DEFAULT_MAX);
	return *owned;
}

void sv_xw_attr(struct sv_xw *x, const char *name, const char *value)
{
	char *owned;
	const char *v;

	if (x->failed || !value)
		return;
	v = cleaned(value, strlen(value), &owned);
	if (!v)
		x->failed = 1;
	else
		check(x, xmlTextWriterWriteAttribute(x->w, X(name), X(v)));
	free(owned);
}

void sv_xw_attr_u64(struct sv_xw *x, const char *name, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	sv_xw_attr(x, name, buf);
}

void sv_xw_attr_i64(struct sv_xw *x, const char *name, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	sv_xw_attr(x, name, buf);
}

void sv_xw_attr_time(struct sv_xw *x, const char *name, int64_t ns)
{
	char buf[SV_TIME_TEXT_MAX];

	sv_time_format(ns, buf);
	sv_xw_attr(x, name, buf);
}

void sv_xw_attr_bool(struct sv_xw *x, const char *name, int v)
{
	sv_xw_attr(x, name, v ? "true" : "false");
}

void sv_xw_attr_hex(struct sv_xw *x, const char *name, const uint8_t *p,
		    size_t n)
{
	char buf[129];

	if (n > 64)
		n = 64;
	sv_hex_encode(p, n, buf);
	sv_xw_attr(x, name, buf);
}

void sv_xw_text(struct sv_xw *x, const char *s)
{
	char *owned;
	const char *v;

	if (x->failed || !s)
		return;
	v = cleaned(s, strlen(s), &owned);
	if (!v)
		x->failed = 1;
	else
		check(x, xmlTextWriterWriteString(x->w, X(v)));
	free(owned);
}

void sv_xw_textf(struct sv_xw *x, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sv_xw_text(x, buf);
}

void sv_xw_leaf(struct sv_xw *x, const char *name, const char *text)
{
	sv_xw_start(x, name);
	sv_xw_text(x, text);
	sv_xw_end(x);
}

void sv_xw_raw(struct sv_xw *x, const char *trusted)
{
	if (!x->failed)
		check(x, xmlTextWriterWriteRaw(x->w, X(trusted)));
}

void sv_addr_text(int family, const uint8_t addr[16], char *buf, size_t n)
{
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, buf,
		       (socklen_t)n))
		snprintf(buf, n, "?");
}

void sv_xw_attr_addr(struct sv_xw *x, const char *name, int family,
		     const uint8_t addr[16])
{
	char buf[64];

	sv_addr_text(family, addr, buf, sizeof(buf));
	sv_xw_attr(x, name, buf);
}
