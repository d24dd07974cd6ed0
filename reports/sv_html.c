/*
 * sv_html.c - building blocks of report.html (see sv_html.h).
 */
#include "sv_html.h"

#include <inttypes.h>
#include <stdio.h>

void el(struct sv_xw *x, const char *name, const char *cls,
	       const char *text)
{
	sv_xw_start(x, name);
	if (cls)
		sv_xw_attr(x, "class", cls);
	sv_xw_text(x, text);
	sv_xw_end(x);
}

void human_bytes(uint64_t b, char *buf, size_t n)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	double v = (double)b;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, n, "%" PRIu64 " B", b);
	else
		snprintf(buf, n, "%.1f %s", v, unit[u]);
}

void td_text(struct sv_xw *x, const char *text, const char *cls)
{
	el(x, "td", cls, text ? text : "");
}

void td_u64(struct sv_xw *x, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	td_text(x, buf, "n");
}

void header_row(struct sv_xw *x, const char *const *cols)
{
	sv_xw_start(x, "tr");
	for (; *cols; cols++)
		el(x, "th", NULL, *cols);
	sv_xw_end(x);
}

void kv_row(struct sv_xw *x, const char *k, const char *v,
		   const char *cls)
{
	sv_xw_start(x, "tr");
	el(x, "th", NULL, k);
	td_text(x, v, cls);
	sv_xw_end(x);
}

void card(struct sv_xw *x, const char *value, const char *label)
{
	sv_xw_start(x, "div");
	sv_xw_attr(x, "class", "card");
	el(x, "b", NULL, value);
	el(x, "span", NULL, label);
	sv_xw_end(x);
}

void tag(struct sv_xw *x, const char *cls, const char *text)
{
	char c[48];

	snprintf(c, sizeof(c), "tag %s", cls);
	el(x, "span", c, text);
}
