/*
 * fmt_proc_host.c - the host's /proc/stat and /proc/uptime at snapshot T
 * (proc/<T>/stat, proc/<T>/uptime; proc(5), fs/proc/stat.c, uptime.c).
 *
 *   cpu  28855 0 32128 1483963 1296 0 604 0 0 0   -> cpu_ticks[10]
 *   cpu0 13452 0 14788 744732 209 0 210 0 0 0      ignored (per CPU)
 *   intr 2417316 0 9 0 ...                          ignored: one count per
 *   ctxt 4279186                                    IRQ, hundreds of KiB
 *   btime 1764384000                                -> btime_s
 *   processes 31507                                 -> processes
 *   procs_running 2                                 -> procs_running
 *   procs_blocked 0                                 -> procs_blocked
 *   softirq 1398731 0 ...                           ignored
 *
 *   7747.03 14839.63\n                              uptime, idle (s)
 *
 * stat -> one SV_REC_HOST_STAT (line 0: it sums the file). Lines are read
 * with a 4 KiB head, so a huge intr line costs no memory and no warning;
 * a line is reported only when it is a known key with a bad value, or an
 * unknown line that is not "<key> <integers>" (an unknown well-formed key
 * is a newer kernel and is ignored). cpu fields: the count is recorded
 * (2.6.11+ have 8, 2.6.24+ 9, 2.6.33+ 10); more than 10 are ignored.
 * btime_s is -1 (and a problem is reported) when there is no btime line.
 *
 * uptime -> one SV_REC_HOST_UPTIME (line 1). The kernel prints two
 * decimals; up to 9 are read, without strtod. idle_s is -1 when the
 * second value is missing or malformed (reported).
 */
#include <string.h>

#include "sv_format.h"
#include "sv_proc.h"

#define STAT_LINE_HEAD 4096
#define UPTIME_MAX 256
#define SECONDS_MAX 1000000000000000ULL /* 1e15 s: exact in a double */

enum {
	K_CPU = 1, K_BTIME = 2, K_PROCESSES = 4, K_RUNNING = 8, K_BLOCKED = 16
};

static const struct {
	const char *key;
	unsigned bit;
} stat_keys[] = {
	{"cpu", K_CPU},
	{"btime", K_BTIME},
	{"processes", K_PROCESSES},
	{"procs_running", K_RUNNING},
	{"procs_blocked", K_BLOCKED},
};

#define NKEYS (sizeof(stat_keys) / sizeof(stat_keys[0]))

struct stat_ctx {
	const char *path;
	const struct sv_emit *out;
	struct sv_host_stat hs;
	unsigned seen;
};

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	(void)head;
	(void)n;
	if (lay->kind != SV_ART_PROC_HOST)
		return 0;
	return !strcmp(lay->leaf, "stat") || !strcmp(lay->leaf, "uptime")
		       ? 100
		       : 0;
}

/* "<lowercase key> <integers...>": what every /proc/stat line is. */
static int well_formed(struct sv_span line, int cut)
{
	const char *s = line.p, *end = line.p + line.n;
	struct sv_span tok;
	size_t i;
	int64_t v;

	if (sv_str_token(&s, end, &tok) || tok.p != line.p)
		return 0;
	for (i = 0; i < tok.n; i++)
		if (!((tok.p[i] >= 'a' && tok.p[i] <= 'z') ||
		      (tok.p[i] >= '0' && tok.p[i] <= '9') || tok.p[i] == '_'))
			return 0;
	while (!sv_str_token(&s, end, &tok))
		if (sv_proc_span_i64(tok, &v) && !(cut && s == end))
			return 0; /* a cut line may end inside a number */
	return 1;
}

static enum sv_status cpu_line(struct stat_ctx *c, const char *s,
			       const char *end, uint64_t lineno)
{
	uint64_t ticks[10] = {0};
	struct sv_span tok;
	int n = 0;

	while (!sv_str_token(&s, end, &tok)) {
		uint64_t v;

		if (sv_proc_span_u64(tok, UINT64_MAX, &v))
			return sv_proc_warn(c->out, c->path, lineno,
					    "cpu field %d is not a number",
					    n + 1);
		if (n < 10)
			ticks[n] = v;
		n++;
	}
	if (n == 0)
		return sv_proc_warn(c->out, c->path, lineno,
				    "cpu line without values");
	memcpy(c->hs.cpu_ticks, ticks, sizeof(ticks));
	c->hs.ncpu_fields = n < 10 ? n : 10;
	return SV_OK;
}

/* "<key> <one integer>" into *out (at most max). */
static enum sv_status one_value(struct stat_ctx *c, const char *s,
				const char *end, const char *key,
				uint64_t max, uint64_t lineno, uint64_t *out)
{
	struct sv_span tok, extra;
	uint64_t v;

	if (sv_str_token(&s, end, &tok) || sv_proc_span_u64(tok, max, &v) ||
	    !sv_str_token(&s, end, &extra))
		return sv_proc_warn(c->out, c->path, lineno,
				    "%s: expected one number up to %llu", key,
				    (unsigned long long)max);
	*out = v;
	return SV_OK;
}

static enum sv_status known_line(struct stat_ctx *c, unsigned bit,
				 const char *s, const char *end,
				 uint64_t lineno)
{
	uint64_t v = 0;
	enum sv_status rc;

	switch (bit) {
	case K_CPU:
		return cpu_line(c, s, end, lineno);
	case K_BTIME:
		rc = one_value(c, s, end, "btime", INT64_MAX, lineno, &v);
		if (rc == SV_OK)
			c->hs.btime_s = (int64_t)v;
		return rc;
	case K_PROCESSES:
		return one_value(c, s, end, "processes", UINT64_MAX, lineno,
				 &c->hs.processes);
	case K_RUNNING:
		return one_value(c, s, end, "procs_running", UINT64_MAX,
				 lineno, &c->hs.procs_running);
	default:
		return one_value(c, s, end, "procs_blocked", UINT64_MAX,
				 lineno, &c->hs.procs_blocked);
	}
}

static enum sv_status stat_line(void *ctx, struct sv_span line, int cut,
				uint64_t lineno, struct sv_error *err)
{
	struct stat_ctx *c = ctx;
	const char *s = line.p, *end = line.p + line.n;
	struct sv_span key;
	enum sv_status rc;
	size_t i;

	(void)err;
	if (sv_str_token(&s, end, &key) || key.p != line.p) {
		if (line.n == 0)
			return sv_proc_warn(c->out, c->path, lineno,
					    "empty line");
		return sv_proc_warn(c->out, c->path, lineno,
				    "line does not start with a key");
	}
	for (i = 0; i < NKEYS; i++)
		if (sv_span_eq(key, stat_keys[i].key))
			break;
	if (i == NKEYS)
		return well_formed(line, cut)
			       ? SV_OK
			       : sv_proc_warn(c->out, c->path, lineno,
					      "not a '<key> <numbers>' line");
	if (cut)
		return sv_proc_warn(c->out, c->path, lineno,
				    "%s line longer than %d bytes",
				    stat_keys[i].key, STAT_LINE_HEAD);
	if (c->seen & stat_keys[i].bit)
		return sv_proc_warn(c->out, c->path, lineno,
				    "second %s line ignored",
				    stat_keys[i].key);
	rc = known_line(c, stat_keys[i].bit, s, end, lineno);
	if (rc == SV_OK)
		c->seen |= stat_keys[i].bit;
	return rc;
}

static enum sv_status parse_stat(struct sv_source *src,
				 struct sv_arena *scratch,
				 const struct sv_layout *lay,
				 const struct sv_emit *out,
				 struct sv_error *err)
{
	struct stat_ctx c;
	struct sv_record rec;
	uint64_t nlines = 0;
	enum sv_status rc, rrc;

	memset(&c, 0, sizeof(c));
	c.path = src->path;
	c.out = out;
	c.hs.btime_s = -1;
	rc = sv_proc_each_line(src, scratch, STAT_LINE_HEAD, stat_line, &c,
			       &nlines, err);
	if (sv_is_error(rc))
		return rc;
	if (nlines == 0)
		return sv_error_set(err, SV_ERR_TRUNCATED, src->path,
				    "empty file");
	if (c.seen == 0)
		return sv_error_set(err, SV_ERR_CORRUPT, src->path,
				    "no cpu, btime or processes line: "
				    "not a /proc/stat");
	if (!(c.seen & K_BTIME))
		rc = sv_proc_warn(out, src->path, 0,
				  "no btime line: boot time unknown");
	sv_proc_record_init(&rec, SV_REC_HOST_STAT, src->path, lay);
	rec.u.host_stat = c.hs;
	rrc = out->record(out->ctx, &rec, err);
	return rrc != SV_OK ? rrc : rc;
}

/* "<digits>[.<1..9 digits>]" at *s: 0 and the seconds, or -1. */
static int parse_seconds(const char **s, const char *end, double *out)
{
	const char *p = *s;
	uint64_t ip, frac = 0, scale = 1;

	if (sv_str_u64(&p, end, SECONDS_MAX, &ip))
		return -1;
	if (p < end && *p == '.') {
		p++;
		if (p == end || *p < '0' || *p > '9')
			return -1;
		for (; p < end && *p >= '0' && *p <= '9'; p++) {
			if (scale == 1000000000ULL)
				return -1;
			frac = frac * 10 + (uint64_t)(*p - '0');
			scale *= 10;
		}
	}
	*out = (double)ip + (double)frac / (double)scale;
	*s = p;
	return 0;
}

static enum sv_status parse_uptime(struct sv_source *src,
				   struct sv_arena *scratch,
				   const struct sv_layout *lay,
				   const struct sv_emit *out,
				   struct sv_error *err)
{
	struct sv_record rec;
	struct sv_host_uptime *u = &rec.u.host_uptime;
	char *buf;
	const char *s, *end;
	size_t n;
	int more, idle_ok;
	enum sv_status rc = SV_OK, rrc;

	SV_FORWARD(sv_proc_read_head(src, scratch, UPTIME_MAX, &buf, &n,
				     &more, err));
	if (n == 0)
		return sv_error_set(err, SV_ERR_TRUNCATED, src->path,
				    "empty file");
	sv_proc_record_init(&rec, SV_REC_HOST_UPTIME, src->path, lay);
	rec.line = 1;
	s = buf;
	end = buf + n;
	if (parse_seconds(&s, end, &u->uptime_s))
		return sv_error_at(err, SV_ERR_CORRUPT, src->path, 0, 1,
				   "uptime is not '<seconds> <seconds>'");
	idle_ok = s < end && *s == ' ';
	if (idle_ok) {
		s++;
		idle_ok = !parse_seconds(&s, end, &u->idle_s);
	}
	if (!idle_ok) {
		u->idle_s = -1;
		rc = sv_proc_warn(out, src->path, 1,
				  "idle time missing or malformed");
	} else if (more || !(s == end || (*s == '\n' && s + 1 == end))) {
		rc = sv_proc_warn(out, src->path, 1,
				  "unexpected bytes after the idle time");
	}
	rrc = out->record(out->ctx, &rec, err);
	return rrc != SV_OK ? rrc : rc;
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	struct sv_layout lay;

	sv_layout_classify(src->path, &lay);
	if (lay.kind == SV_ART_PROC_HOST && !strcmp(lay.leaf, "uptime"))
		return parse_uptime(src, scratch, &lay, out, err);
	return parse_stat(src, scratch, &lay, out, err);
}

const struct sv_format_ops sv_fmt_proc_host = {
	.name = "proc-host",
	.kind = SV_ART_PROC_HOST,
	.probe = probe,
	.parse = parse,
};
