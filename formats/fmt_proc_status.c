/*
 * fmt_proc_status.c - /proc/<pid>/status at snapshot T (proc(5); the
 * kernel's proc_pid_status() in fs/proc/array.c). "Key:\tvalue" lines:
 *
 *   Name:	nc                      as printed: '\n' and '\\' escaped
 *   State:	S (sleeping)            first letter
 *   Tgid:	30651   Pid:  PPid:  TracerPid:      one number each
 *   Uid:	0	0	0	0           real effective saved fs
 *   Gid:	0	0	0	0
 *   NSpid:	30651	45              outermost pid namespace first
 *   VmPeak:	    2268 kB          VmSize VmRSS VmHWM too (kB)
 *   Threads:	1
 *   CapInh:	0000000000000000    CapPrm CapEff CapBnd CapAmb (hex)
 *   NoNewPrivs:	0
 *   Seccomp:	2                   0 off, 1 strict, 2 filter
 *
 * Other keys are ignored, however long their line (Cpus_allowed_list of
 * a big host): lines are read with a 1 KiB head. A known key with a bad
 * value is reported with its line and left absent; a repeated key keeps
 * its first value. Absent numbers are -1, an absent Name is "".
 * has_caps is set when CapEff was read. NSpid keeps the first 8 levels
 * (the kernel allows 32) and reports the cut.
 *
 * Emits one SV_REC_PROC_STATUS (line 0: it sums the file).
 */
#include <string.h>

#include "sv_format.h"
#include "sv_proc.h"

#define LINE_HEAD 1024
#define NAME_MAX_LEN 256
#define SMALL_MAX 255 /* Seccomp, NoNewPrivs: small enumerations */

enum skey {
	S_NAME, S_STATE, S_TGID, S_PID, S_PPID, S_TRACER, S_UID, S_GID,
	S_NSPID, S_VMPEAK, S_VMSIZE, S_VMRSS, S_VMHWM, S_THREADS, S_CAPINH,
	S_CAPPRM, S_CAPEFF, S_CAPBND, S_CAPAMB, S_SECCOMP, S_NNP, S_COUNT
};

#define K(lit) {lit, sizeof(lit) - 1}

static const struct {
	const char *s;
	size_t n;
} skeys[S_COUNT] = {
	[S_NAME] = K("Name"), [S_STATE] = K("State"), [S_TGID] = K("Tgid"),
	[S_PID] = K("Pid"), [S_PPID] = K("PPid"), [S_TRACER] = K("TracerPid"),
	[S_UID] = K("Uid"), [S_GID] = K("Gid"), [S_NSPID] = K("NSpid"),
	[S_VMPEAK] = K("VmPeak"), [S_VMSIZE] = K("VmSize"),
	[S_VMRSS] = K("VmRSS"), [S_VMHWM] = K("VmHWM"),
	[S_THREADS] = K("Threads"), [S_CAPINH] = K("CapInh"),
	[S_CAPPRM] = K("CapPrm"), [S_CAPEFF] = K("CapEff"),
	[S_CAPBND] = K("CapBnd"), [S_CAPAMB] = K("CapAmb"),
	[S_SECCOMP] = K("Seccomp"), [S_NNP] = K("NoNewPrivs"),
};

struct status_ctx {
	const char *path;
	const struct sv_emit *out;
	struct sv_arena *scratch;
	struct sv_proc_status st;
	uint32_t seen;      /* bit per enum skey */
};

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	(void)head;
	(void)n;
	return lay->kind == SV_ART_PROC_PID && !strcmp(lay->leaf, "status")
		       ? 100
		       : 0;
}

/* Exactly one blank-separated token in [s, end). */
static int one_token(const char *s, const char *end, struct sv_span *t)
{
	struct sv_span extra;

	return !sv_str_token(&s, end, t) && sv_str_token(&s, end, &extra);
}

/* Up to max numbers <= lim; returns how many, or -1 on a bad token. */
static int numbers(const char *s, const char *end, uint64_t lim,
		   uint64_t *v, int max, int *more)
{
	struct sv_span t;
	uint64_t x;
	int n = 0;

	*more = 0;
	while (!sv_str_token(&s, end, &t)) {
		if (sv_proc_span_u64(t, lim, &x))
			return -1;
		if (n == max) {
			*more = 1;
			continue;
		}
		v[n++] = x;
	}
	return n;
}

static int ids(const char *s, const char *end, int64_t out[4])
{
	uint64_t v[4];
	int i, more;

	if (numbers(s, end, UINT32_MAX, v, 4, &more) != 4 || more)
		return -1;
	for (i = 0; i < 4; i++)
		out[i] = (int64_t)v[i];
	return 0;
}

/* "   2268 kB" (the unit may be absent, never another one). */
static int kilobytes(const char *s, const char *end, int64_t *out)
{
	struct sv_span num, unit, extra;
	uint64_t v;

	if (sv_str_token(&s, end, &num) ||
	    sv_proc_span_u64(num, INT64_MAX, &v))
		return -1;
	if (!sv_str_token(&s, end, &unit) &&
	    (!sv_span_eq(unit, "kB") || !sv_str_token(&s, end, &extra)))
		return -1;
	*out = (int64_t)v;
	return 0;
}

static int single(const char *s, const char *end, uint64_t lim,
		  uint64_t *out)
{
	struct sv_span t;

	return one_token(s, end, &t) && !sv_proc_span_u64(t, lim, out) ? 0
									: -1;
}

static int pid_value(const char *s, const char *end, uint32_t *out)
{
	uint64_t v;

	if (single(s, end, UINT32_MAX, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int small_value(const char *s, const char *end, uint64_t lim,
		       int64_t *out)
{
	uint64_t v;

	if (single(s, end, lim, &v))
		return -1;
	*out = (int64_t)v;
	return 0;
}

static int cap_value(const char *s, const char *end, uint64_t *out,
		     int *flag)
{
	struct sv_span t;

	if (!one_token(s, end, &t) || sv_proc_span_hex(t, out))
		return -1;
	if (flag)
		*flag = 1;
	return 0;
}

static int state_value(const char *s, const char *end, char *out)
{
	struct sv_span t;

	if (sv_str_token(&s, end, &t) ||
	    !((t.p[0] >= 'A' && t.p[0] <= 'Z') ||
	      (t.p[0] >= 'a' && t.p[0] <= 'z')))
		return -1;
	*out = t.p[0];
	return 0;
}

static int nspid(struct status_ctx *c, const char *s, const char *end,
		 uint64_t lineno)
{
	uint64_t v[SV_NS_LEVELS];
	int i, n, more;

	n = numbers(s, end, UINT32_MAX, v, SV_NS_LEVELS, &more);
	if (n <= 0)
		return -1;
	for (i = 0; i < n; i++)
		c->st.ns_pid[i] = (uint32_t)v[i];
	c->st.ns_pid_levels = n;
	if (!more)
		return 0;
	sv_proc_warn(c->out, c->path, lineno,
		     "NSpid has more than %d levels: the inner ones are not "
		     "kept", SV_NS_LEVELS);
	return 1;
}

/* Name: the value after ":\t" (leading blanks of a name are kept);
 * 0, 1 (cut, reported) or -2. */
static int name_value(struct status_ctx *c, const char *s, const char *end,
		      uint64_t lineno)
{
	int cut;

	if (s < end && *s == '\t')
		s++;
	else
		sv_str_skip_blank(&s, end);
	c->st.name = sv_proc_strdup(c->scratch, s, (size_t)(end - s),
				    NAME_MAX_LEN, &cut);
	if (!c->st.name)
		return -2;
	if (!cut)
		return 0;
	sv_proc_warn(c->out, c->path, lineno, "Name cut at %d bytes",
		     NAME_MAX_LEN);
	return 1;
}

/*
 * Parse the value of key k: 0; 1 when kept but a problem was reported
 * (a cut); -1 malformed; -2 out of memory.
 */
static int value(struct status_ctx *c, enum skey k, const char *s,
		 const char *end, uint64_t lineno)
{
	struct sv_proc_status *st = &c->st;

	switch (k) {
	case S_NAME: return name_value(c, s, end, lineno);
	case S_STATE: return state_value(s, end, &st->state);
	case S_TGID: return pid_value(s, end, &st->tgid);
	case S_PID: return pid_value(s, end, &st->pid);
	case S_PPID: return pid_value(s, end, &st->ppid);
	case S_TRACER: return pid_value(s, end, &st->tracer_pid);
	case S_UID: return ids(s, end, st->uid);
	case S_GID: return ids(s, end, st->gid);
	case S_NSPID: return nspid(c, s, end, lineno);
	case S_VMPEAK: return kilobytes(s, end, &st->vm_peak_kb);
	case S_VMSIZE: return kilobytes(s, end, &st->vm_size_kb);
	case S_VMRSS: return kilobytes(s, end, &st->vm_rss_kb);
	case S_VMHWM: return kilobytes(s, end, &st->vm_hwm_kb);
	case S_THREADS: return small_value(s, end, INT64_MAX, &st->threads);
	case S_CAPINH: return cap_value(s, end, &st->cap_inh, NULL);
	case S_CAPPRM: return cap_value(s, end, &st->cap_prm, NULL);
	case S_CAPEFF: return cap_value(s, end, &st->cap_eff, &st->has_caps);
	case S_CAPBND: return cap_value(s, end, &st->cap_bnd, NULL);
	case S_CAPAMB: return cap_value(s, end, &st->cap_amb, NULL);
	case S_SECCOMP: return small_value(s, end, SMALL_MAX, &st->seccomp);
	case S_NNP: return small_value(s, end, SMALL_MAX, &st->no_new_privs);
	case S_COUNT: break;
	}
	return -1;
}

static enum sv_status status_line(void *ctx, struct sv_span line, int cut,
				  uint64_t lineno, struct sv_error *err)
{
	struct status_ctx *c = ctx;
	const char *colon = memchr(line.p, ':', line.n);
	struct sv_span key;
	int k, r;

	if (!colon)
		return sv_proc_warn(c->out, c->path, lineno,
				    "not a 'Key: value' line");
	key.p = line.p;
	key.n = (size_t)(colon - line.p);
	for (k = 0; k < S_COUNT; k++)
		if (key.n == skeys[k].n && !memcmp(key.p, skeys[k].s, key.n))
			break;
	if (k == S_COUNT)
		return SV_OK;
	if (cut)
		return sv_proc_warn(c->out, c->path, lineno,
				    "%s line longer than %d bytes", skeys[k].s,
				    LINE_HEAD);
	if (c->seen & (1u << k))
		return sv_proc_warn(c->out, c->path, lineno,
				    "second %s line ignored", skeys[k].s);
	r = value(c, (enum skey)k, colon + 1, line.p + line.n, lineno);
	if (r == -2)
		return sv_proc_nomem(c->path, err);
	if (r < 0)
		return sv_proc_warn(c->out, c->path, lineno,
				    "%s: malformed value", skeys[k].s);
	c->seen |= 1u << k;
	return r ? SV_WARN : SV_OK;
}

static void defaults(struct sv_proc_status *st)
{
	int i;

	st->name = "";
	for (i = 0; i < 4; i++)
		st->uid[i] = st->gid[i] = -1;
	st->vm_peak_kb = st->vm_size_kb = st->vm_rss_kb = st->vm_hwm_kb = -1;
	st->threads = st->seccomp = st->no_new_privs = -1;
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	struct status_ctx c;
	struct sv_layout lay;
	struct sv_record rec;
	uint64_t nlines = 0;
	enum sv_status rc, rrc;

	sv_layout_classify(src->path, &lay);
	memset(&c, 0, sizeof(c));
	c.path = src->path;
	c.out = out;
	c.scratch = scratch;
	defaults(&c.st);
	rc = sv_proc_each_line(src, scratch, LINE_HEAD, status_line, &c,
			       &nlines, err);
	if (sv_is_error(rc))
		return rc;
	if (nlines == 0)
		return sv_proc_warn(out, src->path, 0,
				    "empty file: the process likely exited while it was read");
	if (c.seen == 0)
		return sv_error_set(err, SV_ERR_CORRUPT, src->path,
				    "no known key: not a /proc/<pid>/status");
	if (!(c.seen & (1u << S_NAME)))
		rc = sv_proc_warn(out, src->path, 0, "no Name line");
	sv_proc_record_init(&rec, SV_REC_PROC_STATUS, src->path, &lay);
	rec.u.proc_status = c.st;
	rrc = out->record(out->ctx, &rec, err);
	return rrc != SV_OK ? rrc : rc;
}

const struct sv_format_ops sv_fmt_proc_status = {
	.name = "proc-status",
	.kind = SV_ART_PROC_PID,
	.probe = probe,
	.parse = parse,
};
