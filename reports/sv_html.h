/*
 * sv_html.h - building blocks of report.html: elements, cells, rows,
 * cards and tags over an sv_xw writer in HTML mode (every string is
 * escaped by libxml2). Shared by the report's section writers.
 */
#ifndef SV_HTML_H
#define SV_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "sv_xw.h"

/* <name class=cls>text</name>; cls may be NULL. */
void el(struct sv_xw *x, const char *name, const char *cls,
	const char *text);
/* "12.3 MiB" */
void human_bytes(uint64_t b, char *buf, size_t n);
void td_text(struct sv_xw *x, const char *text, const char *cls);
void td_u64(struct sv_xw *x, uint64_t v);
/* A row of <th>, from a NULL-terminated list. */
void header_row(struct sv_xw *x, const char *const *cols);
void kv_row(struct sv_xw *x, const char *k, const char *v, const char *cls);
void card(struct sv_xw *x, const char *value, const char *label);
/* <span class="tag cls">text</span> */
void tag(struct sv_xw *x, const char *cls, const char *text);

#endif
