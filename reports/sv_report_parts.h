/*
 * sv_report_parts.h - the section writers the two reports share out
 * between files (internal to reports/). Each writes into an open sv_xw.
 */
#ifndef SV_REPORT_PARTS_H
#define SV_REPORT_PARTS_H

#include "sv_analysis.h"
#include "sv_report_net.h"
#include "sv_xw.h"

/* <containers>, <processes> and <timeline> of report.xml. */
void sv_report_entities_xml(struct sv_xw *x, const struct sv_analysis *a);

/* The containers (with their process trees) and the timeline sections
 * of report.html. */
void sv_report_entities_html(struct sv_xw *x, const struct sv_analysis *a);

/* <findings> of report.xml and the findings section of report.html. */
void sv_report_findings_xml(struct sv_xw *x, const struct sv_analysis *a);
void sv_report_findings_html(struct sv_xw *x, const struct sv_analysis *a);
/* "2 critical, 1 high" or "none" */
void sv_report_findings_line(const struct sv_analysis *a, char *buf,
			     size_t n);

/* "provision", "run", "teardown", or "" */
const char *sv_report_phase_name(enum sv_phase p);

#endif
