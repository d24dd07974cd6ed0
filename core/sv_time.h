/*
 * sv_time.h - timestamps as signed UTC nanoseconds since the Unix epoch.
 *
 * Every record in salvage carries its time this way so events from /proc,
 * pcaps and logs sort on one axis. INT64 nanoseconds cover 1678..2262.
 */
#ifndef SV_TIME_H
#define SV_TIME_H

#include <stddef.h>
#include <stdint.h>

#define SV_NS_PER_SEC 1000000000LL
#define SV_TIME_NONE INT64_MIN

/*
 * Parse an RFC 3339 date-time ("2026-11-29T08:27:28.123456Z", offsets
 * "+01:00" / "-05:30", 't'/'z' and a space separator accepted). Reads
 * exactly n bytes. Returns 0 and writes *ns on success, -1 on malformed or
 * out-of-range input (then *ns is untouched).
 */
int sv_time_parse_rfc3339(const char *s, size_t n, int64_t *ns);

/*
 * Parse decimal seconds with an optional fraction of up to 9 digits
 * ("1764392000", "1764392000.250"), as used in bundle snapshot folder
 * names. Returns 0 on success, -1 otherwise.
 */
int sv_time_parse_epoch(const char *s, size_t n, int64_t *ns);

/* "2026-11-29T08:27:28.123Z" (millisecond precision, UTC). */
#define SV_TIME_TEXT_MAX 64
void sv_time_format(int64_t ns, char buf[SV_TIME_TEXT_MAX]);

/* Wall-clock now, in ns. */
int64_t sv_time_now(void);

#endif
