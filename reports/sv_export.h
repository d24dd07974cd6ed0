/*
 * sv_export.h - the timeline of an analysis as files other tools read.
 *
 * JSON lines and CSV, one event per line/row, in timeline order, with the
 * three fields Timesketch requires (message, datetime, timestamp_desc)
 * plus timestamp (microseconds since the epoch) and salvage's own:
 * kind, source, container_id, container, pid, pid_start, phase,
 * attributed, time_end (the latest time of a window), skew_ns, artifact,
 * line. Both import into Timesketch as they are.
 *
 * Written to path through sv_outfile (complete or absent), or streamed
 * to stdout when path is "-".
 */
#ifndef SV_EXPORT_H
#define SV_EXPORT_H

#include "sv_analysis.h"
#include "sv_error.h"

enum sv_export_format { SV_EXPORT_JSONL, SV_EXPORT_CSV };

enum sv_status sv_export_timeline(const struct sv_analysis *a,
				  enum sv_export_format fmt,
				  const char *path, struct sv_error *err)
	SV_MUST_CHECK;

#endif
