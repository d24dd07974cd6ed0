/*
 * report_net_xml.c - <network> of report.xml: flows (with who held each
 * end and the names DNS gave their addresses) and <application>, the
 * DNS, HTTP, TLS, SSH and Stratum events, each pointing at its flow.
 *
 *   <network …>
 *     <flow id=… app=… a-name=…><end side="a" …>how</end></flow>*
 *     <application …><dns><answer/>*</dns>|<http/>|<tls/>|<ssh/>|
 *                    <stratum/>*</application>
 *   </network>
 */
#include <stdio.h>
#include <string.h>

#include "sv_attrib.h"
#include "sv_dns.h"
#include "sv_report_net.h"

#define FLOWS_LISTED 10000
#define EVENTS_LISTED 10000

const char *sv_report_proto_name(int proto, char *buf, size_t n)
{
	switch (proto) {
	case 1: return "ICMP";
	case 6: return "TCP";
	case 17: return "UDP";
	case 58: return "ICMPv6";
	default:
		snprintf(buf, n, "%d", proto);
		return buf;
	}
}

const char *sv_report_tls_version(unsigned v, char *buf, size_t n)
{
	if (v == 0x0300)
		return "SSL 3.0";
	if (v >= 0x0301 && v <= 0x0304)
		snprintf(buf, n, "TLS 1.%u", v - 0x0301);
	else
		snprintf(buf, n, "0x%04x", v);
	return buf;
}

static const char *tcp_state(const struct sv_flow *f)
{
	if (f->proto != 6)
		return NULL;
	if (f->rst_seen)
		return "reset";
	if (f->fin_seen)
		return "closed";
	if (f->established)
		return "established";
	if (f->syn_seen)
		return f->synack_seen ? "syn-answered" : "syn-only";
	return "mid-stream";
}

static void attr_nonempty(struct sv_xw *x, const char *name, const char *v)
{
	if (v && *v)
		sv_xw_attr(x, name, v);
}

/* "dns tls" for the kinds the flow showed, or "" */
static void app_kinds(const struct sv_flow *f, char *buf, size_t n)
{
	size_t used = 0;
	int k;

	buf[0] = '\0';
	if (!f->app)
		return;
	for (k = 0; k < SV_APPK_COUNT; k++) {
		if (!(f->app->kinds & (1u << k)))
			continue;
		used += (size_t)snprintf(buf + used, n - used, "%s%s",
					 used ? " " : "",
					 sv_app_kind_name((enum sv_app_kind)k));
		if (used >= n)
			break;
	}
}

static void write_end(struct sv_xw *x, const char *side,
		      const struct sv_owner *o)
{
	if (!o)
		return;
	sv_xw_start(x, "end");
	sv_xw_attr(x, "side", side);
	sv_xw_attr_bool(x, "host", o->is_host);
	attr_nonempty(x, "container", o->container_id);
	attr_nonempty(x, "container-name", o->container_name);
	attr_nonempty(x, "image", o->image);
	attr_nonempty(x, "pod", o->pod);
	if (o->pid >= 0)
		sv_xw_attr_i64(x, "pid", o->pid);
	if (o->pid_start)
		sv_xw_attr_u64(x, "pid-start", o->pid_start);
	attr_nonempty(x, "comm", o->comm);
	attr_nonempty(x, "exe", o->exe);
	if (o->inode)
		sv_xw_attr_u64(x, "inode", o->inode);
	if (o->netns)
		sv_xw_attr_u64(x, "netns", o->netns);
	if (o->how)
		sv_xw_text(x, o->how);
	sv_xw_end(x);
}

static void write_flow(struct sv_xw *x, const struct sv_flow *f)
{
	char kinds[64];

	sv_xw_start(x, "flow");
	sv_xw_attr_u64(x, "id", f->id);
	sv_xw_attr_u64(x, "proto", f->proto);
	sv_xw_attr_addr(x, "a", f->family, f->a_addr);
	sv_xw_attr_u64(x, "a-port", f->a_port);
	sv_xw_attr_addr(x, "b", f->family, f->b_addr);
	sv_xw_attr_u64(x, "b-port", f->b_port);
	sv_xw_attr_time(x, "first", f->first_ns);
	sv_xw_attr_time(x, "last", f->last_ns);
	sv_xw_attr_u64(x, "packets-ab", f->pkts_ab);
	sv_xw_attr_u64(x, "packets-ba", f->pkts_ba);
	sv_xw_attr_u64(x, "bytes-ab", f->bytes_ab);
	sv_xw_attr_u64(x, "bytes-ba", f->bytes_ba);
	sv_xw_attr_u64(x, "duplicates", f->dup_dropped);
	if (tcp_state(f))
		sv_xw_attr(x, "tcp", tcp_state(f));
	app_kinds(f, kinds, sizeof(kinds));
	attr_nonempty(x, "app", kinds);
	attr_nonempty(x, "a-name", f->name_a);
	attr_nonempty(x, "b-name", f->name_b);
	write_end(x, "a", f->owner_a);
	write_end(x, "b", f->owner_b);
	sv_xw_end(x);
}

/* ---- application events ---- */

static void event_common(struct sv_xw *x, const struct sv_app_event *e)
{
	sv_xw_attr_u64(x, "flow", e->flow->id);
	sv_xw_attr_time(x, "time", e->ts_ns);
	sv_xw_attr(x, "from", e->from_a ? "a" : "b");
	if (e->malformed)
		sv_xw_attr_bool(x, "malformed", 1);
}

static void dns_type_attr(struct sv_xw *x, const char *name, uint16_t t)
{
	const char *s = sv_dns_type_name(t);

	if (s)
		sv_xw_attr(x, name, s);
	else
		sv_xw_attr_u64(x, name, t);
}

static void write_answer(struct sv_xw *x, const struct sv_dns_answer *an)
{
	sv_xw_start(x, "answer");
	sv_xw_attr(x, "name", an->name);
	dns_type_attr(x, "type", an->type);
	sv_xw_attr_u64(x, "ttl", an->ttl);
	if (an->family)
		sv_xw_attr_addr(x, "address", an->family, an->addr);
	else
		attr_nonempty(x, "data", an->data);
	sv_xw_end(x);
}

static void write_dns(struct sv_xw *x, const struct sv_app_event *e)
{
	const struct sv_dns_event *d = &e->u.dns;
	const char *rc = sv_dns_rcode_name(d->rcode);
	char ent[32];
	int i;

	sv_xw_start(x, "dns");
	event_common(x, e);
	sv_xw_attr_u64(x, "id", d->id);
	sv_xw_attr_bool(x, "response", d->response);
	if (d->response) {
		if (rc)
			sv_xw_attr(x, "rcode", rc);
		else
			sv_xw_attr_u64(x, "rcode", (uint64_t)d->rcode);
	}
	sv_xw_attr_bool(x, "tcp", d->tcp);
	sv_xw_attr(x, "qname", d->qname);
	dns_type_attr(x, "qtype", d->qtype);
	sv_xw_attr_u64(x, "labels", (uint64_t)d->labels);
	sv_xw_attr_u64(x, "longest-label", (uint64_t)d->longest_label);
	snprintf(ent, sizeof(ent), "%.3f", d->entropy);
	sv_xw_attr(x, "entropy", ent);
	sv_xw_attr_u64(x, "answers", (uint64_t)d->answers_total);
	if (d->truncated)
		sv_xw_attr_bool(x, "truncated", 1);
	for (i = 0; i < d->n_answers; i++)
		write_answer(x, &d->answers[i]);
	sv_xw_end(x);
}

static void write_http(struct sv_xw *x, const struct sv_app_event *e)
{
	const struct sv_http_event *h = &e->u.http;

	sv_xw_start(x, "http");
	event_common(x, e);
	sv_xw_attr(x, "method", h->method);
	sv_xw_attr(x, "target", h->target);
	attr_nonempty(x, "host", h->host);
	attr_nonempty(x, "user-agent", h->user_agent);
	sv_xw_attr_u64(x, "version-minor", (uint64_t)h->version_minor);
	if (h->content_length >= 0)
		sv_xw_attr_i64(x, "content-length", h->content_length);
	if (h->upgrade)
		sv_xw_attr_bool(x, "upgrade", 1);
	if (h->status)
		sv_xw_attr_u64(x, "status", (uint64_t)h->status);
	if (h->status && h->response_length >= 0)
		sv_xw_attr_i64(x, "response-length", h->response_length);
	sv_xw_end(x);
}

static void write_tls(struct sv_xw *x, const struct sv_app_event *e)
{
	const struct sv_tls_event *t = &e->u.tls;
	char v[16];

	sv_xw_start(x, "tls");
	event_common(x, e);
	sv_xw_attr(x, "version", sv_report_tls_version(t->version, v,
						       sizeof(v)));
	attr_nonempty(x, "sni", t->sni);
	attr_nonempty(x, "alpn", t->alpn);
	attr_nonempty(x, "ja3", t->ja3);
	attr_nonempty(x, "ja3-md5", t->ja3_md5);
	if (t->ech)
		sv_xw_attr_bool(x, "ech", 1);
	sv_xw_end(x);
}

static void write_ssh(struct sv_xw *x, const struct sv_app_event *e)
{
	sv_xw_start(x, "ssh");
	event_common(x, e);
	sv_xw_attr(x, "proto", e->u.ssh.proto);
	sv_xw_attr(x, "software", e->u.ssh.software);
	attr_nonempty(x, "comments", e->u.ssh.comments);
	sv_xw_end(x);
}

static void write_stratum(struct sv_xw *x, const struct sv_app_event *e)
{
	sv_xw_start(x, "stratum");
	event_common(x, e);
	sv_xw_attr(x, "method", e->u.stratum.method);
	attr_nonempty(x, "user", e->u.stratum.user);
	attr_nonempty(x, "agent", e->u.stratum.agent);
	sv_xw_end(x);
}

static void write_event(struct sv_xw *x, const struct sv_app_event *e)
{
	switch (e->kind) {
	case SV_APPK_DNS:
		write_dns(x, e);
		break;
	case SV_APPK_HTTP:
		write_http(x, e);
		break;
	case SV_APPK_TLS:
		write_tls(x, e);
		break;
	case SV_APPK_SSH:
		write_ssh(x, e);
		break;
	default:
		write_stratum(x, e);
		break;
	}
}

static void write_application(struct sv_xw *x, const struct sv_analysis *a)
{
	const struct sv_netapp_stats *s = &a->app;
	const struct sv_app_event *e;
	uint64_t listed = 0, total = 0;
	int k;

	for (k = 0; k < SV_APPK_COUNT; k++)
		total += s->events[k];
	sv_xw_start(x, "application");
	sv_xw_attr_u64(x, "events", total);
	sv_xw_attr_u64(x, "dns", s->events[SV_APPK_DNS]);
	sv_xw_attr_u64(x, "http", s->events[SV_APPK_HTTP]);
	sv_xw_attr_u64(x, "tls", s->events[SV_APPK_TLS]);
	sv_xw_attr_u64(x, "ssh", s->events[SV_APPK_SSH]);
	sv_xw_attr_u64(x, "stratum", s->events[SV_APPK_STRATUM]);
	sv_xw_attr_u64(x, "events-over-limit", s->events_dropped);
	sv_xw_attr_u64(x, "streams", s->streams);
	sv_xw_attr_u64(x, "streams-untracked", s->streams_untracked);
	sv_xw_attr_u64(x, "streams-unrecognised", s->streams_unknown);
	sv_xw_attr_u64(x, "gaps", s->gaps);
	sv_xw_attr_u64(x, "names", s->names);
	sv_xw_attr_u64(x, "events-listed",
		       a->app.events_dropped + EVENTS_LISTED < total
			       ? EVENTS_LISTED
			       : total - a->app.events_dropped);
	for (e = a->app_events; e && listed < EVENTS_LISTED;
	     e = e->next, listed++)
		write_event(x, e);
	sv_xw_end(x);
}

void sv_report_net_xml(struct sv_xw *x, const struct sv_analysis *a)
{
	const struct sv_flows_stats *n = &a->net;
	const struct sv_flow *f;
	uint64_t listed = 0;

	sv_xw_start(x, "network");
	sv_xw_attr_u64(x, "captures", a->captures);
	sv_xw_attr_u64(x, "frames", n->frames + a->frames_undecoded);
	sv_xw_attr_u64(x, "frames-undecoded", a->frames_undecoded);
	sv_xw_attr_u64(x, "non-ip", n->non_ip);
	sv_xw_attr_u64(x, "duplicates-dropped", n->duplicates_dropped);
	sv_xw_attr_u64(x, "flows", n->flows);
	sv_xw_attr_u64(x, "flows-over-limit", n->dropped_over_limit);
	sv_xw_attr_u64(x, "flows-listed",
		       n->flows < FLOWS_LISTED ? n->flows : FLOWS_LISTED);
	for (f = a->flows; f && listed < FLOWS_LISTED; f = f->next, listed++)
		write_flow(x, f);
	write_application(x, a);
	sv_xw_end(x);
}
