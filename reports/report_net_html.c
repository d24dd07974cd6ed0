/*
 * report_net_html.c - the network sections of report.html: flows with
 * who held each end, then what the application layer showed (DNS, HTTP
 * requests, TLS ClientHellos, SSH banners, Stratum calls). Each table
 * shows its first rows; report.xml has the rest.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sv_attrib.h"
#include "sv_dns.h"
#include "sv_html.h"
#include "sv_report_net.h"
#include "sv_time.h"

#define FLOWS_SHOWN 200
#define EVENTS_SHOWN 200
#define SHORT_ID 12

static void endpoint_text(int family, const uint8_t *addr, unsigned port,
			  char *buf, size_t n)
{
	char a[64];

	sv_addr_text(family, addr, a, sizeof(a));
	if (port)
		snprintf(buf, n, family == 6 ? "[%s]:%u" : "%s:%u", a, port);
	else
		snprintf(buf, n, "%s", a);
}

/* "web (26d00411f9a1) · nc[4242]", "host", or "" */
static void owner_text(const struct sv_owner *o, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	if (!o)
		return;
	if (o->container_id)
		used = (size_t)snprintf(buf, n, "%s (%.*s)",
					o->container_name ? o->container_name
							  : "container",
					SHORT_ID, o->container_id);
	else if (o->is_host)
		used = (size_t)snprintf(buf, n, "host");
	if (used < n && o->pid >= 0)
		snprintf(buf + used, n - used, "%s%s[%" PRId64 "]",
			 used ? " · " : "", o->comm ? o->comm : "?", o->pid);
}

/* Address:port, then the DNS name and the owner on lines below. */
static void end_cell(struct sv_xw *x, const struct sv_flow *f, int b)
{
	char ep[80], who[256];

	endpoint_text(f->family, b ? f->b_addr : f->a_addr,
		      b ? f->b_port : f->a_port, ep, sizeof(ep));
	owner_text(b ? f->owner_b : f->owner_a, who, sizeof(who));
	sv_xw_start(x, "td");
	el(x, "span", "mono", ep);
	if (b ? f->name_b : f->name_a) {
		sv_xw_start(x, "br");
		sv_xw_end(x);
		el(x, "span", "muted", b ? f->name_b : f->name_a);
	}
	if (who[0]) {
		sv_xw_start(x, "br");
		sv_xw_end(x);
		el(x, "span", "who", who);
	}
	sv_xw_end(x);
}

static void app_cell(struct sv_xw *x, const struct sv_flow *f)
{
	int k;

	sv_xw_start(x, "td");
	for (k = 0; f->app && k < SV_APPK_COUNT; k++)
		if (f->app->kinds & (1u << k))
			tag(x, "t-app", sv_app_kind_name((enum sv_app_kind)k));
	sv_xw_end(x);
}

static void flow_row(struct sv_xw *x, const struct sv_flow *f)
{
	char when[SV_TIME_TEXT_MAX], buf[64];

	sv_xw_start(x, "tr");
	sv_time_format(f->first_ns, when);
	td_text(x, when, "mono nowrap");
	td_text(x, sv_report_proto_name(f->proto, buf, sizeof(buf)), NULL);
	end_cell(x, f, 0);
	end_cell(x, f, 1);
	app_cell(x, f);
	snprintf(buf, sizeof(buf), "%" PRIu64 " / %" PRIu64, f->pkts_ab,
		 f->pkts_ba);
	td_text(x, buf, "n");
	snprintf(buf, sizeof(buf), "%" PRIu64 " / %" PRIu64, f->bytes_ab,
		 f->bytes_ba);
	td_text(x, buf, "n");
	snprintf(buf, sizeof(buf), "%.1f s",
		 (double)(f->last_ns - f->first_ns) / 1e9);
	td_text(x, buf, "n");
	sv_xw_end(x);
}

static void more_note(struct sv_xw *x, uint64_t shown, uint64_t total,
		      const char *what)
{
	char line[160];

	if (total <= shown)
		return;
	snprintf(line, sizeof(line), "The first %" PRIu64 " of %" PRIu64
		 " %s; report.xml lists more.", shown, total, what);
	el(x, "p", "muted", line);
}

static void flows_section(struct sv_xw *x, const struct sv_analysis *a)
{
	static const char *const cols[] = {"First seen", "Proto",
		"Initiator", "Responder", "Protocol", "Packets (out / back)",
		"IP bytes (out / back)", "Duration", NULL};
	const struct sv_flow *f;
	char line[320];
	uint64_t shown = 0;

	sv_xw_start(x, "section");
	sv_xw_attr(x, "id", "network");
	el(x, "h2", NULL, "Network flows");
	snprintf(line, sizeof(line),
		 "%" PRIu64 " flows from %" PRIu64 " frames in %" PRIu64
		 " captures; %" PRIu64 " frames seen twice (a container's veth "
		 "and the bridge) counted once; %" PRIu64 " not IP. Under each "
		 "address: the name DNS gave it, and who held that end.",
		 a->net.flows, a->net.frames + a->frames_undecoded,
		 a->captures, a->net.duplicates_dropped, a->net.non_ip);
	el(x, "p", NULL, line);
	sv_xw_start(x, "table");
	header_row(x, cols);
	for (f = a->flows; f && shown < FLOWS_SHOWN; f = f->next, shown++)
		flow_row(x, f);
	sv_xw_end(x);
	more_note(x, shown, a->net.flows, "flows");
	sv_xw_end(x);
}

/* ---- application events ---- */

static void flow_ends(const struct sv_app_event *e, char *buf, size_t n)
{
	const struct sv_flow *f = e->flow;
	char from[80], to[80];
	int a_first = e->from_a;

	endpoint_text(f->family, a_first ? f->a_addr : f->b_addr,
		      a_first ? f->a_port : f->b_port, from, sizeof(from));
	endpoint_text(f->family, a_first ? f->b_addr : f->a_addr,
		      a_first ? f->b_port : f->a_port, to, sizeof(to));
	snprintf(buf, n, "%s → %s", from, to);
}

static void event_lead(struct sv_xw *x, const struct sv_app_event *e)
{
	char when[SV_TIME_TEXT_MAX], ends[200];

	sv_time_format(e->ts_ns, when);
	td_text(x, when, "mono nowrap");
	flow_ends(e, ends, sizeof(ends));
	td_text(x, ends, "mono");
}

static void dns_answers(const struct sv_dns_event *d, char *buf, size_t n)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < d->n_answers && i < 4 && used < n; i++) {
		const struct sv_dns_answer *an = &d->answers[i];
		char v[64];

		if (an->family)
			sv_addr_text(an->family, an->addr, v, sizeof(v));
		else
			snprintf(v, sizeof(v), "%.60s", an->data);
		used += (size_t)snprintf(buf + used, n - used, "%s%s",
					 i ? ", " : "", v);
	}
	if (used < n && d->answers_total > 4)
		snprintf(buf + used, n - used, " … (%d)", d->answers_total);
}

static void dns_row(struct sv_xw *x, const struct sv_app_event *e)
{
	const struct sv_dns_event *d = &e->u.dns;
	const char *t = sv_dns_type_name(d->qtype);
	const char *rc = sv_dns_rcode_name(d->rcode);
	char buf[320];

	sv_xw_start(x, "tr");
	event_lead(x, e);
	td_text(x, d->qname, "mono");
	snprintf(buf, sizeof(buf), "%u", d->qtype);
	td_text(x, t ? t : buf, NULL);
	td_text(x, d->response ? (rc ? rc : "?") : "query", NULL);
	dns_answers(d, buf, sizeof(buf));
	td_text(x, buf, "mono");
	snprintf(buf, sizeof(buf), "%d / %.2f", d->longest_label,
		 d->entropy);
	td_text(x, buf, "n");
	sv_xw_end(x);
}

static void http_row(struct sv_xw *x, const struct sv_app_event *e)
{
	const struct sv_http_event *h = &e->u.http;
	char buf[64];

	sv_xw_start(x, "tr");
	event_lead(x, e);
	td_text(x, h->method, NULL);
	td_text(x, h->host, "mono");
	td_text(x, h->target, "mono");
	td_text(x, h->user_agent, "mono");
	if (h->status)
		snprintf(buf, sizeof(buf), "%d", h->status);
	else
		snprintf(buf, sizeof(buf), "none seen");
	td_text(x, buf, NULL);
	if (h->status && h->response_length >= 0)
		human_bytes((uint64_t)h->response_length, buf, sizeof(buf));
	else
		buf[0] = '\0';
	td_text(x, buf, "n");
	sv_xw_end(x);
}

static void tls_row(struct sv_xw *x, const struct sv_app_event *e)
{
	const struct sv_tls_event *t = &e->u.tls;
	char v[16];

	sv_xw_start(x, "tr");
	event_lead(x, e);
	td_text(x, t->sni[0] ? t->sni : "(none)", "mono");
	td_text(x, sv_report_tls_version(t->version, v, sizeof(v)), NULL);
	td_text(x, t->alpn, "mono");
	td_text(x, t->ja3_md5, "mono");
	td_text(x, t->ech ? "yes" : "", NULL);
	sv_xw_end(x);
}

static void other_row(struct sv_xw *x, const struct sv_app_event *e)
{
	char buf[700];

	sv_xw_start(x, "tr");
	event_lead(x, e);
	if (e->kind == SV_APPK_SSH) {
		td_text(x, "SSH", NULL);
		snprintf(buf, sizeof(buf), "SSH-%s-%s%s%s", e->u.ssh.proto,
			 e->u.ssh.software, e->u.ssh.comments[0] ? " " : "",
			 e->u.ssh.comments);
	} else {
		td_text(x, "Stratum", NULL);
		snprintf(buf, sizeof(buf), "%s%s%s%s%s", e->u.stratum.method,
			 e->u.stratum.user[0] ? " user=" : "",
			 e->u.stratum.user,
			 e->u.stratum.agent[0] ? " agent=" : "",
			 e->u.stratum.agent);
	}
	td_text(x, buf, "mono");
	sv_xw_end(x);
}

struct event_table {
	const char *id, *title, *what;
	enum sv_app_kind kind, kind2;  /* kind2 == kind for one kind */
	const char *const *cols;
	void (*row)(struct sv_xw *x, const struct sv_app_event *e);
};

static void event_section(struct sv_xw *x, const struct sv_analysis *a,
			  const struct event_table *t)
{
	const struct sv_app_event *e;
	uint64_t shown = 0, total = a->app.events[t->kind];

	if (t->kind2 != t->kind)
		total += a->app.events[t->kind2];
	if (!total)
		return;
	sv_xw_start(x, "section");
	sv_xw_attr(x, "id", t->id);
	el(x, "h2", NULL, t->title);
	sv_xw_start(x, "table");
	header_row(x, t->cols);
	for (e = a->app_events; e && shown < EVENTS_SHOWN; e = e->next)
		if (e->kind == t->kind || e->kind == t->kind2) {
			t->row(x, e);
			shown++;
		}
	sv_xw_end(x);
	more_note(x, shown, total, t->what);
	sv_xw_end(x);
}

static const char *const dns_cols[] = {"Time", "From → to", "Name",
	"Type", "Result", "Answers", "Longest label / entropy", NULL};
static const char *const http_cols[] = {"Time", "Client → server",
	"Method", "Host", "Target", "User agent", "Status", "Response",
	NULL};
static const char *const tls_cols[] = {"Time", "Client → server", "SNI",
	"Version", "ALPN", "JA3", "ECH", NULL};
static const char *const other_cols[] = {"Time", "From → to",
	"Protocol", "What was said", NULL};

static const struct event_table tables[] = {
	{"dns", "DNS", "DNS messages", SV_APPK_DNS, SV_APPK_DNS, dns_cols,
	 dns_row},
	{"http", "HTTP requests", "HTTP requests", SV_APPK_HTTP,
	 SV_APPK_HTTP, http_cols, http_row},
	{"tls", "TLS ClientHellos", "TLS ClientHellos", SV_APPK_TLS,
	 SV_APPK_TLS, tls_cols, tls_row},
	{"ssh-stratum", "SSH banners and Stratum mining calls",
	 "SSH and Stratum events", SV_APPK_SSH, SV_APPK_STRATUM, other_cols,
	 other_row},
};

void sv_report_net_html(struct sv_xw *x, const struct sv_analysis *a)
{
	size_t i;

	if (!a->captures)
		return;
	flows_section(x, a);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		event_section(x, a, &tables[i]);
}
