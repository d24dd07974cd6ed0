/*
 * report_findings.c - the findings of both reports: <findings> of
 * report.xml (report.xsd) and the findings section of report.html, each
 * finding with its technique, why it fired and its evidence. Reports do
 * not decide anything: models/sv_rules.c made the findings.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sv_html.h"
#include "sv_report_parts.h"
#include "sv_time.h"

#define FINDINGS_LISTED 1000

static void evidence_xml(struct sv_xw *x, const struct sv_analysis *a,
			 const struct sv_evidence *v)
{
	char text[1024];

	sv_xw_start(x, "evidence");
	if (v->event) {
		sv_xw_attr(x, "kind", "event");
		sv_xw_attr(x, "event", v->event->kind);
		sv_xw_attr_time(x, "time", v->event->ts_ns);
	} else if (v->flow) {
		sv_xw_attr(x, "kind", "flow");
		sv_xw_attr_u64(x, "flow", v->flow->id);
	} else if (v->proc) {
		sv_xw_attr(x, "kind", "process");
		sv_xw_attr_u64(x, "pid", v->proc->pid);
		sv_xw_attr_u64(x, "pid-start", v->proc->pid_start);
	} else {
		sv_xw_attr(x, "kind", "setting");
	}
	if (v->artifact)
		sv_xw_attr(x, "artifact", v->artifact);
	sv_xw_text(x, v->note ? v->note
		   : v->event ? sv_event_text(v->event, text, sizeof(text))
			      : "");
	(void)a;
	sv_xw_end(x);
}

/* A number for an attribute; NAN is left out by the caller. */
static void attr_num(struct sv_xw *x, const char *name, double v)
{
	char buf[40];

	if (isnan(v))
		return;
	snprintf(buf, sizeof(buf), "%.6g", v);
	sv_xw_attr(x, name, buf);
}

static void feature_xml(struct sv_xw *x, const struct sv_finding_feature *ft)
{
	sv_xw_start(x, "feature");
	sv_xw_attr(x, "name", ft->name);
	if (ft->value)
		sv_xw_attr(x, "value", ft->value);
	attr_num(x, "observed", ft->observed);
	attr_num(x, "expected", ft->expected);
	attr_num(x, "share", ft->share);
	sv_xw_end(x);
}

static void finding_xml(struct sv_xw *x, const struct sv_analysis *a,
			const struct sv_finding *f)
{
	int i;

	sv_xw_start(x, "finding");
	sv_xw_attr(x, "rule", f->rule);
	sv_xw_attr(x, "severity", sv_severity_name(f->severity));
	sv_xw_attr(x, "technique", f->technique);
	sv_xw_attr(x, "technique-name", f->technique_name);
	if (f->container_id) {
		sv_xw_attr(x, "container", f->container_id);
		sv_xw_attr(x, "container-name",
			   sv_analysis_container_label(a, f->container_id));
	}
	if (f->pid >= 0)
		sv_xw_attr_i64(x, "pid", f->pid);
	sv_xw_attr_time(x, "time", f->ts_ns);
	attr_num(x, "score", f->score);
	attr_num(x, "p-value", f->pvalue);
	if (f->workload)
		sv_xw_attr(x, "workload", f->workload);
	sv_xw_leaf(x, "title", f->title);
	sv_xw_leaf(x, "why", f->why ? f->why : "");
	for (i = 0; i < f->n_ev; i++)
		evidence_xml(x, a, &f->ev[i]);
	for (i = 0; i < f->n_feat; i++)
		feature_xml(x, &f->feat[i]);
	sv_xw_end(x);
}

/* Which model scored this bundle, and what it could not score. */
static void baseline_xml(struct sv_xw *x, const struct sv_analysis *a)
{
	sv_xw_start(x, "baseline");
	sv_xw_attr(x, "model", a->baseline.model);
	sv_xw_attr(x, "checksum", a->baseline.checksum);
	sv_xw_attr_u64(x, "workloads", a->baseline.workloads);
	sv_xw_attr_u64(x, "training-bundles", a->baseline.bundles);
	attr_num(x, "window-s", a->baseline.window_s);
	attr_num(x, "false-alarm-rate", a->baseline.far);
	sv_xw_attr_u64(x, "containers-scored", a->baseline.st.containers);
	sv_xw_attr_u64(x, "unknown-workload",
		       a->baseline.st.unknown_workload);
	sv_xw_attr_u64(x, "windows-scored", a->baseline.st.windows);
	attr_num(x, "score-ms", a->baseline.score_s * 1e3);
	sv_xw_end(x);
}

void sv_report_findings_xml(struct sv_xw *x, const struct sv_analysis *a)
{
	const struct sv_findings *fs = &a->findings;
	const struct sv_finding *f;
	uint64_t listed = 0;
	int s;

	sv_xw_start(x, "findings");
	sv_xw_attr_u64(x, "count", fs->n);
	for (s = SV_SEV_COUNT - 1; s >= 0; s--)
		sv_xw_attr_u64(x, sv_severity_name((enum sv_severity)s),
			       fs->by_severity[s]);
	if (a->rules_file) {
		sv_xw_attr(x, "rules-file", a->rules_file);
		sv_xw_attr_u64(x, "user-rules", a->user_rules);
		sv_xw_attr_u64(x, "user-fired", a->userrules.fired);
		sv_xw_attr_u64(x, "retuned", a->userrules.retuned);
		sv_xw_attr_u64(x, "disabled", a->userrules.disabled);
		sv_xw_attr_u64(x, "allowed", a->userrules.allowed);
	}
	if (a->baseline.used)
		baseline_xml(x, a);
	for (f = fs->list; f && listed < FINDINGS_LISTED; f = f->next, listed++)
		finding_xml(x, a, f);
	sv_xw_end(x);
}

/* ---- HTML ---- */

static const char *sev_class(enum sv_severity s)
{
	return s >= SV_SEV_HIGH ? "t-error" : s == SV_SEV_MEDIUM ? "t-warning"
								 : "t-app";
}

static void evidence_html(struct sv_xw *x, const struct sv_evidence *v)
{
	char text[1024], when[SV_TIME_TEXT_MAX], line[160];

	sv_xw_start(x, "li");
	if (v->event) {
		sv_time_format(v->event->ts_ns, when);
		snprintf(line, sizeof(line), "%s %s ", when, v->event->kind);
		el(x, "span", "muted", line);
	} else if (v->flow) {
		snprintf(line, sizeof(line), "flow %" PRIu64 " ", v->flow->id);
		el(x, "span", "muted", line);
	} else if (v->proc) {
		snprintf(line, sizeof(line), "pid %" PRIu32 " ", v->proc->pid);
		el(x, "span", "muted", line);
	}
	el(x, "code", NULL, v->note ? v->note
		 : v->event ? sv_event_text(v->event, text, sizeof(text)) : "");
	if (v->artifact) {
		snprintf(line, sizeof(line), " (%.140s)", v->artifact);
		el(x, "span", "muted", line);
	}
	sv_xw_end(x);
}

static void num_cell(struct sv_xw *x, double v)
{
	char buf[40];

	if (isnan(v))
		snprintf(buf, sizeof(buf), "-");
	else
		snprintf(buf, sizeof(buf), "%.4g", v);
	td_text(x, buf, "n");
}

/* The model's view: score, p-value, and each feature against what the
 * workload's baseline expects. */
static void features_html(struct sv_xw *x, const struct sv_finding *f)
{
	static const char *const head[] = {
		"feature", "value", "observed", "expected", "share / bits",
		NULL
	};
	char line[400];
	int i;

	snprintf(line, sizeof(line), "score %.4g · p-value %.3g · baseline "
		 "of workload %.200s", f->score, f->pvalue,
		 f->workload ? f->workload : "?");
	el(x, "p", "muted", line);
	sv_xw_start(x, "table");
	header_row(x, head);
	for (i = 0; i < f->n_feat; i++) {
		const struct sv_finding_feature *ft = &f->feat[i];

		sv_xw_start(x, "tr");
		td_text(x, ft->name, NULL);
		td_text(x, ft->value ? ft->value : "", NULL);
		num_cell(x, ft->observed);
		num_cell(x, ft->expected);
		num_cell(x, ft->share);
		sv_xw_end(x);
	}
	sv_xw_end(x);
}

static void finding_html(struct sv_xw *x, const struct sv_finding *f)
{
	char when[SV_TIME_TEXT_MAX], line[240];
	int i;

	sv_xw_start(x, "div");
	sv_xw_attr(x, "class", "finding");
	sv_xw_start(x, "p");
	tag(x, sev_class(f->severity), sv_severity_name(f->severity));
	sv_xw_text(x, " ");
	el(x, "b", NULL, f->title);
	sv_xw_end(x);
	sv_time_format(f->ts_ns, when);
	snprintf(line, sizeof(line), "%s · %s %s · rule %s", when,
		 f->technique, f->technique_name, f->rule);
	el(x, "p", "muted", line);
	el(x, "p", NULL, f->why ? f->why : "");
	if (f->n_feat)
		features_html(x, f);
	sv_xw_start(x, "ul");
	for (i = 0; i < f->n_ev; i++)
		evidence_html(x, &f->ev[i]);
	sv_xw_end(x);
	sv_xw_end(x);
}

static void baseline_html(struct sv_xw *x, const struct sv_analysis *a)
{
	char line[600];

	if (!a->baseline.used) {
		el(x, "p", "muted", "No baseline was given (analyze --model): "
		   "the built-in rules ran; nothing was scored for novelty "
		   "or volume.");
		return;
	}
	snprintf(line, sizeof(line), "Scored against the baseline %.300s "
		 "(%" PRIu64 " workloads from %" PRIu64 " clean bundles, "
		 "windows of %.0f s, false-alarm rate %.3g): %" PRIu64
		 " containers scored, %" PRIu64 " of a workload it does not "
		 "know.", a->baseline.model, a->baseline.workloads,
		 a->baseline.bundles, a->baseline.window_s, a->baseline.far,
		 a->baseline.st.containers, a->baseline.st.unknown_workload);
	el(x, "p", "muted", line);
}

/* What the user's rules file did: suppressed findings are said, not
 * silently gone. */
static void rules_html(struct sv_xw *x, const struct sv_analysis *a)
{
	char line[600];

	if (!a->rules_file)
		return;
	snprintf(line, sizeof(line), "Rules file %.300s: %" PRIu64 " rules, "
		 "%" PRIu64 " findings of its own; %" PRIu64 " findings "
		 "retuned, %" PRIu64 " dropped by enabled = no, %" PRIu64
		 " dropped by [allow].", a->rules_file, a->user_rules,
		 a->userrules.fired, a->userrules.retuned,
		 a->userrules.disabled, a->userrules.allowed);
	el(x, "p", "muted", line);
}

void sv_report_findings_html(struct sv_xw *x, const struct sv_analysis *a)
{
	const struct sv_finding *f;
	uint64_t shown = 0;

	sv_xw_start(x, "section");
	sv_xw_attr(x, "id", "findings");
	el(x, "h2", NULL, "Findings");
	baseline_html(x, a);
	rules_html(x, a);
	if (!a->findings.n)
		el(x, "p", "muted", a->baseline.used
			 ? "No rule fired and nothing was anomalous."
			 : "No built-in rule fired.");
	for (f = a->findings.list; f && shown < FINDINGS_LISTED;
	     f = f->next, shown++)
		finding_html(x, f);
	sv_xw_end(x);
}

/* "2 critical, 1 high, 3 medium" or "none" */
void sv_report_findings_line(const struct sv_analysis *a, char *buf,
			     size_t n)
{
	size_t used = 0;
	int s;

	buf[0] = '\0';
	for (s = SV_SEV_COUNT - 1; s >= 0 && used < n; s--)
		if (a->findings.by_severity[s])
			used += (size_t)snprintf(buf + used, n - used,
				"%s%" PRIu64 " %s", used ? ", " : "",
				a->findings.by_severity[s],
				sv_severity_name((enum sv_severity)s));
	if (!used)
		snprintf(buf, n, "none");
}
