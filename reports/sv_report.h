/*
 * sv_report.h - turn an analysis into report files. Nothing here decides
 * anything about the bundle: reports show what the analysis holds.
 *
 * Each writer creates dir/<name> atomically (sv_outfile): the file is
 * complete or absent.
 */
#ifndef SV_REPORT_H
#define SV_REPORT_H

#include "sv_analysis.h"
#include "sv_error.h"

#define SV_REPORT_NS "urn:salvage:report:1"

/* dir/report.xml: the canonical result; validates against report.xsd. */
enum sv_status sv_report_write_xml(const struct sv_analysis *a,
				   const char *dir, struct sv_error *err)
	SV_MUST_CHECK;

/* dir/report.html: one self-contained page for people. */
enum sv_status sv_report_write_html(const struct sv_analysis *a,
				    const char *dir, struct sv_error *err)
	SV_MUST_CHECK;

/* A one-word verdict on the input: "clean-read", "problems", "unreadable". */
const char *sv_report_read_verdict(const struct sv_analysis *a);

#endif
