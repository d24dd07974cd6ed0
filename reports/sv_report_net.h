/*
 * sv_report_net.h - the network part of both reports: flows with their
 * owners and names, and the application layer (DNS, HTTP, TLS, SSH,
 * Stratum). Internal to reports/; each writes into an open sv_xw.
 */
#ifndef SV_REPORT_NET_H
#define SV_REPORT_NET_H

#include "sv_analysis.h"
#include "sv_xw.h"

/* <network> of report.xml (report.xsd). */
void sv_report_net_xml(struct sv_xw *x, const struct sv_analysis *a);

/* The network sections of report.html; nothing without captures. */
void sv_report_net_html(struct sv_xw *x, const struct sv_analysis *a);

/* "TCP", "UDP", "ICMP", ... or the number. buf holds at least 8. */
const char *sv_report_proto_name(int proto, char *buf, size_t n);

/* "TLS 1.3", "TLS 1.2", ..., "0x7f1c" */
const char *sv_report_tls_version(unsigned v, char *buf, size_t n);

#endif
