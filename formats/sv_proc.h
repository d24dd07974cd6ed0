/*
 * sv_proc.h - helpers shared by the /proc snapshot readers
 * (fmt_proc_*.c), and the clock-tick to wall-clock conversion the
 * analyzer applies to their start times.
 *
 * /proc files are text the kernel formats, but a bundle is untrusted: a
 * file may be cut, padded with garbage or hold a line of any length. The
 * line reader here therefore never fails on a long line: it hands out the
 * line's first max_len bytes and says it was cut, so a reader can still
 * recognise the key of a known-but-huge line (/proc/stat "intr", status
 * "Cpus_allowed_list") and skip it without noise.
 */
#ifndef SV_PROC_H
#define SV_PROC_H

#include <stddef.h>
#include <stdint.h>

#include "sv_format.h"

/*
 * Wall-clock UTC ns of a process start: btime_s (host /proc/stat "btime",
 * epoch seconds) plus start_ticks (field 22 of /proc/<pid>/stat, clock
 * ticks since boot) divided by clk_tck (sysconf(_SC_CLK_TCK), usually
 * 100). Exact integer arithmetic. Returns SV_TIME_NONE when btime_s < 0,
 * clk_tck < 1 or the result does not fit in int64 ns.
 */
int64_t sv_proc_start_ns(uint64_t start_ticks, int64_t btime_s,
			 int64_t clk_tck);

/*
 * Wall-clock UTC ns of a time since boot (dmesg's "[  123.456789]", a
 * record's boot_ns): boot_time_ns (the manifest's boot_time, or btime
 * from the host /proc/stat, in ns) plus boot_ns. SV_TIME_NONE when either
 * is SV_TIME_NONE or negative, or the sum does not fit in int64 ns.
 */
int64_t sv_boot_to_wall_ns(int64_t boot_ns, int64_t boot_time_ns);

/*
 * The envelope of a record read from a proc/ path: type, artifact = path,
 * ts_ns = the snapshot time of lay (SV_TIME_NONE when the path has none),
 * pid = the pid folder of lay (0 for host files). Everything else is 0.
 */
void sv_proc_record_init(struct sv_record *rec, enum sv_record_type type,
			 const char *path, const struct sv_layout *lay);

/* ---- lines that may be long ---- */

struct sv_proc_lines {
	struct sv_source *src;
	char *buf;          /* max_len bytes, caller-owned: lines that cross
			       source blocks are gathered here */
	size_t max_len;
	uint64_t lineno;    /* of the line last returned, from 1 */
	const uint8_t *blk;
	size_t blk_len, blk_pos;
	int done;
	int unterminated;   /* the line last returned had no '\n' */
};

void sv_proc_lines_init(struct sv_proc_lines *l, struct sv_source *src,
			char *buf, size_t max_len);

/*
 * Next line without its '\n' (a '\r' is kept: /proc never writes one).
 * SV_OK with *line = the first max_len bytes of the line (borrowed until
 * the next call) and *cut = 1 when the line was longer (the rest is
 * consumed); SV_EOF; or a fatal source error in err.
 */
enum sv_status sv_proc_lines_next(struct sv_proc_lines *l,
				  struct sv_span *line, int *cut,
				  struct sv_error *err) SV_MUST_CHECK;

/*
 * Read at most cap bytes from the start of src into a NUL-terminated
 * scratch buffer. *more = 1 when the source held more (not consumed: the
 * pipeline drains it). SV_OK, or SV_ERR_NOMEM / a source error in err.
 */
enum sv_status sv_proc_read_head(struct sv_source *src,
				 struct sv_arena *scratch, size_t cap,
				 char **out, size_t *n, int *more,
				 struct sv_error *err) SV_MUST_CHECK;

/*
 * Called for each line: its head (at most max_len bytes), whether it was
 * cut, and its number. Returns SV_OK, SV_WARN after reporting a problem,
 * or any other status (fatal, or what out->record returned) to stop.
 */
typedef enum sv_status (*sv_proc_line_fn)(void *ctx, struct sv_span line,
					  int cut, uint64_t lineno,
					  struct sv_error *err);

/*
 * Run fn over every line of src with a max_len line buffer from scratch.
 * Returns SV_OK, SV_WARN when any call warned, or the status that
 * stopped it.
 * *nlines (if given) receives the number of lines seen.
 */
enum sv_status sv_proc_each_line(struct sv_source *src,
				 struct sv_arena *scratch, size_t max_len,
				 sv_proc_line_fn fn, void *ctx,
				 uint64_t *nlines,
				 struct sv_error *err) SV_MUST_CHECK;

/* sv_emit_problem(), then return SV_WARN (line 0: no line). */
enum sv_status sv_proc_warn(const struct sv_emit *out, const char *path,
			    uint64_t line, const char *fmt, ...)
	SV_PRINTF(4, 5);

/* ---- tokens ---- */

/*
 * Whole-span numbers: *out is written only on success (0), else -1.
 *   u64: decimal digits with a value <= max
 *   i64: the same with an optional leading '-' (int64 range)
 *   hex: 1..16 hex digits, either case, no "0x"
 */
int sv_proc_span_u64(struct sv_span s, uint64_t max, uint64_t *out);
int sv_proc_span_i64(struct sv_span s, int64_t *out);
int sv_proc_span_hex(struct sv_span s, uint64_t *out);

/*
 * Copy n bytes of p into scratch as a NUL-terminated string of at most
 * cap bytes; *cut (if given) is set when it was shortened. NULL when the
 * arena is exhausted.
 */
char *sv_proc_strdup(struct sv_arena *scratch, const char *p, size_t n,
		     size_t cap, int *cut);

/*
 * Copy n bytes of p into buf (at least n + 1 bytes) and NUL-terminate.
 * Returns buf. For the strings of line-per-record files: one buffer per
 * file, reused from line to line (records are borrowed per emit call),
 * so memory does not grow with the number of lines.
 */
char *sv_proc_copy(char *buf, const char *p, size_t n);

/*
 * "<name>:[<N>]" exactly (ns.links and fd.links targets such as
 * "net:[4026531993]", "socket:[12345]"): 0 with the name (not empty, no
 * ':') and N, else -1.
 */
int sv_proc_bracket_inode(struct sv_span s, struct sv_span *name,
			  uint64_t *inode);

/* SV_ERR_NOMEM for path, in err. */
enum sv_status sv_proc_nomem(const char *path, struct sv_error *err);

#endif
