/*
 * sv_analysis.c - releasing an analysis, judging its input, and the
 * names of the enums the analyzer shares (sv_event.h).
 */
#include "sv_analysis.h"
#include "sv_event.h"
#include "sv_time.h"

void sv_analysis_free(struct sv_analysis *a)
{
	if (a)
		sv_arena_free(a->arena);
}

const char *sv_manifest_status_name(enum sv_manifest_status s)
{
	static const char *const n[] = {"missing", "ok", "invalid",
					"unsupported"};

	return (unsigned)s < 4 ? n[s] : "unknown";
}

int sv_analysis_input_ok(const struct sv_analysis *a)
{
	return a->opened && a->complete && a->errors == 0 &&
	       a->manifest_status == SV_MANIFEST_OK &&
	       a->custody.status != SV_CUSTODY_FAILED &&
	       a->custody.status != SV_CUSTODY_INCOMPLETE;
}

const char *sv_event_source_name(enum sv_event_source s)
{
	static const char *const names[SV_SRC_COUNT] = {
		"proc", "cgroup", "runtime", "k8s-audit", "k8s-event",
		"journal", "inspect", "kernel", "pcap"
	};

	return (unsigned)s < SV_SRC_COUNT ? names[s] : "?";
}

const char *sv_analysis_container_label(const struct sv_analysis *a,
					const char *id)
{
	const struct sv_cont *c;

	if (!id)
		return "";
	c = sv_containers_find(a->containers, id);
	return c ? sv_container_label(c) : id;
}

const char *sv_event_text(const struct sv_event *e, char *buf, size_t n)
{
	if (e->message)
		return e->message;
	if (e->describe && n) {
		buf[0] = '\0';
		e->describe(e, buf, n);
		return buf;
	}
	return "";
}

int sv_analysis_observed(const struct sv_analysis *a, int64_t *lo,
			 int64_t *hi)
{
	if (a->manifest_status == SV_MANIFEST_OK &&
	    a->manifest.started_ns != SV_TIME_NONE &&
	    a->manifest.ended_ns >= a->manifest.started_ns) {
		*lo = a->manifest.started_ns;
		*hi = a->manifest.ended_ns;
		return 1;
	}
	if (a->n_snapshots) {
		*lo = a->snapshots[0];
		*hi = a->snapshots[a->n_snapshots - 1];
		return 1;
	}
	return 0;
}
