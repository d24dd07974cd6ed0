/*
 * sv_analysis.c - releasing an analysis and judging its input.
 */
#include "sv_analysis.h"

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
