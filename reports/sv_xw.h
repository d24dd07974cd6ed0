/*
 * sv_xw.h - a thin, failure-tracking layer over libxml2's xmlTextWriter
 * shared by the XML and HTML reports.
 *
 * Every string passes through sv_text_clean() (valid UTF-8, no control
 * bytes, bounded) and then libxml2's escaping: no report string is ever
 * pasted into markup by hand. The first failed libxml2 call sets failed;
 * later calls do nothing, and the writer's owner aborts the file.
 */
#ifndef SV_XW_H
#define SV_XW_H

#include <libxml/xmlwriter.h>
#include <stdint.h>
#include <stdio.h>

struct sv_xw {
	xmlTextWriterPtr w;
	int failed;
	int html; /* elements always get an end tag (<div></div>) */
};

/* Write to fp (borrowed). 0, or -1 when libxml2 cannot allocate. */
int sv_xw_open(struct sv_xw *x, FILE *fp, int html);
/* Flush and free; returns -1 if anything failed along the way. */
int sv_xw_close(struct sv_xw *x);

void sv_xw_start(struct sv_xw *x, const char *name);
void sv_xw_end(struct sv_xw *x);
void sv_xw_attr(struct sv_xw *x, const char *name, const char *value);
void sv_xw_attr_u64(struct sv_xw *x, const char *name, uint64_t v);
void sv_xw_attr_i64(struct sv_xw *x, const char *name, int64_t v);
void sv_xw_attr_time(struct sv_xw *x, const char *name, int64_t ns);
void sv_xw_attr_bool(struct sv_xw *x, const char *name, int v);
void sv_xw_attr_hex(struct sv_xw *x, const char *name, const uint8_t *p,
		    size_t n);
void sv_xw_text(struct sv_xw *x, const char *s);
void sv_xw_textf(struct sv_xw *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* <name attrs...>text</name> in one call, for the common leaf case. */
void sv_xw_leaf(struct sv_xw *x, const char *name, const char *text);
/* An IPv4 (family 4, first 4 bytes) or IPv6 address as text. */
void sv_xw_attr_addr(struct sv_xw *x, const char *name, int family,
		     const uint8_t addr[16]);
void sv_addr_text(int family, const uint8_t addr[16], char *buf, size_t n);

/* Our own constant markup or CSS; never pass data through this. */
void sv_xw_raw(struct sv_xw *x, const char *trusted);

#endif
