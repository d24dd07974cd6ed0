/*
 * fmt_cgroup.c - cgroup interface files copied from /sys/fs/cgroup
 * (DESIGN.md §1: cgroup/<T>/<path>), cgroup v1, v2 and hybrid.
 *
 * Where the file sits (the layout leaf, the path below the snapshot):
 *
 *   memory/libpod_parent/libpod-<id>/memory.stat       v1: controller
 *   cpu,cpuacct/docker/<id>/cpuacct.usage                folder first
 *   unified/libpod_parent/libpod-<id>/cpu.pressure     v2 in a hybrid
 *   system.slice/docker-<id>.scope/memory.current      v2 (no folder)
 *
 * The first folder is the v1 controller when every comma-separated part
 * of it names a controller (memory, cpu, cpuacct, pids, blkio, systemd,
 * ...); "unified" is the v2 mount of a hybrid host and gives controller
 * "". The record's cgroup is the folder between the controller folder
 * and the file name ("" for a root file), its file the last name.
 *
 * What is in the file, one record per value (kernel docs:
 * admin-guide/cgroup-v2.rst "Interface Files", and cgroup-v1/):
 *
 *   single      "123" | "max" | "-1"          subject "" key ""
 *   list        "12\n34\n" (cgroup.procs)      one per line, key ""
 *   row         "11 22 33" (usage_percpu)      subject "0", "1", ...
 *   flat        "cache 123\n" (memory.stat)    key "cache"
 *   nested      "8:0 rbytes=1 wbytes=2"        subject "8:0", key "rbytes"
 *               "some avg10=0.12 total=9"      avg10: is_float
 *               "total=5 N0=5" (v1 numa_stat)  subject "total": key ""
 *                                              for 5, then key "N0"
 *   blkio       "8:0 Read 123" / "Total 9"     subject "8:0" key "Read" /
 *               "8:0 123" (blkio.sectors)      key "Total" / key ""
 *   cpu.max     "max 100000" | "50000 100000"  two records, subject "",
 *                                              keys "quota" and "period"
 *   usage_all   "cpu user system\n0 1 2\n"     subject "0", key "user"
 *
 * Values: "max", and "-1" as the one value of a line (cpu.cfs_quota_us:
 * no limit), are UINT64_MAX with is_max. So is the v1 "no limit"
 * page-counter maximum (at least 0x7fffffffffff0000, 9223372036854771712
 * with 4 KiB pages) in a file whose name says "limit"
 * (memory.limit_in_bytes, ...) and in memory.stat "hierarchical_*_limit".
 * A fraction ("0.12") gives is_float, fvalue and value = the integer part;
 * otherwise fvalue = (double)value. Any other negative number or one
 * above UINT64_MAX is reported with its line and skipped; the rest of the
 * line and file is still read.
 *
 * Known files are checked against their shape and every bad line is
 * reported with its number. Text-only files (cgroup.type, cpuset.cpus,
 * devices.list, freezer.state, ...) are recognised and give no record.
 * A file this reader does not know is read by shape line by line; the
 * lines matching none are reported once per file, not per line. Blank
 * lines are skipped; an empty file gives no record (a warning only for a
 * file that must hold one value). Records come in file order with their
 * line number; ts_ns is the snapshot time <T>. A file over FILE_MAX
 * bytes is refused whole (SV_ERR_LIMIT).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sv_format.h"
#include "sv_time.h"

#define FILE_MAX (4u << 20)      /* one cgroup file */
#define LINE_MAX_LEN (64u << 10) /* usage_percpu of thousands of CPUs */
#define NAME_MAX_LEN 128         /* a key or subject */
#define CGROUP_MAX 4096          /* the cgroup folder */
#define FILENAME_MAX_LEN 255
#define TABLE_COLS_MAX 16
#define V1_NO_LIMIT 0x7fffffffffff0000ULL

enum shape {
	SH_GENERIC, SH_SINGLE, SH_LIST, SH_ROW, SH_FLAT, SH_NESTED, SH_BLKIO,
	SH_CPUMAX, SH_TABLE, SH_TEXT
};

/* Sorted by strcmp (LC_ALL=C sort): looked up with bsearch. Keep it so. */
static const struct known {
	const char *name;
	enum shape shape;
} known[] = {
	{"blkio.bfq.io_service_bytes", SH_BLKIO},
	{"blkio.bfq.io_service_bytes_recursive", SH_BLKIO},
	{"blkio.bfq.io_serviced", SH_BLKIO},
	{"blkio.bfq.io_serviced_recursive", SH_BLKIO},
	{"blkio.bfq.weight", SH_SINGLE},
	{"blkio.io_merged", SH_BLKIO},
	{"blkio.io_merged_recursive", SH_BLKIO},
	{"blkio.io_queued", SH_BLKIO},
	{"blkio.io_queued_recursive", SH_BLKIO},
	{"blkio.io_service_bytes", SH_BLKIO},
	{"blkio.io_service_bytes_recursive", SH_BLKIO},
	{"blkio.io_service_time", SH_BLKIO},
	{"blkio.io_service_time_recursive", SH_BLKIO},
	{"blkio.io_serviced", SH_BLKIO},
	{"blkio.io_serviced_recursive", SH_BLKIO},
	{"blkio.io_wait_time", SH_BLKIO},
	{"blkio.io_wait_time_recursive", SH_BLKIO},
	{"blkio.leaf_weight", SH_SINGLE},
	{"blkio.reset_stats", SH_TEXT},
	{"blkio.sectors", SH_BLKIO},
	{"blkio.sectors_recursive", SH_BLKIO},
	{"blkio.throttle.io_service_bytes", SH_BLKIO},
	{"blkio.throttle.io_service_bytes_recursive", SH_BLKIO},
	{"blkio.throttle.io_serviced", SH_BLKIO},
	{"blkio.throttle.io_serviced_recursive", SH_BLKIO},
	{"blkio.throttle.read_bps_device", SH_BLKIO},
	{"blkio.throttle.read_iops_device", SH_BLKIO},
	{"blkio.throttle.write_bps_device", SH_BLKIO},
	{"blkio.throttle.write_iops_device", SH_BLKIO},
	{"blkio.time", SH_BLKIO},
	{"blkio.time_recursive", SH_BLKIO},
	{"blkio.weight", SH_SINGLE},
	{"blkio.weight_device", SH_BLKIO},
	{"cgroup.clone_children", SH_SINGLE},
	{"cgroup.controllers", SH_TEXT},
	{"cgroup.event_control", SH_TEXT},
	{"cgroup.events", SH_FLAT},
	{"cgroup.freeze", SH_SINGLE},
	{"cgroup.kill", SH_TEXT},
	{"cgroup.max.depth", SH_SINGLE},
	{"cgroup.max.descendants", SH_SINGLE},
	{"cgroup.pressure", SH_SINGLE},
	{"cgroup.procs", SH_LIST},
	{"cgroup.sane_behavior", SH_TEXT},
	{"cgroup.stat", SH_FLAT},
	{"cgroup.stat.local", SH_FLAT},
	{"cgroup.subtree_control", SH_TEXT},
	{"cgroup.threads", SH_LIST},
	{"cgroup.type", SH_TEXT},
	{"cpu.cfs_burst_us", SH_SINGLE},
	{"cpu.cfs_period_us", SH_SINGLE},
	{"cpu.cfs_quota_us", SH_SINGLE},
	{"cpu.idle", SH_SINGLE},
	{"cpu.max", SH_CPUMAX},
	{"cpu.pressure", SH_NESTED},
	{"cpu.rt_period_us", SH_SINGLE},
	{"cpu.rt_runtime_us", SH_SINGLE},
	{"cpu.shares", SH_SINGLE},
	{"cpu.stat", SH_FLAT},
	{"cpu.stat.local", SH_FLAT},
	{"cpu.weight", SH_SINGLE},
	{"cpu.weight.nice", SH_SINGLE},
	{"cpuacct.stat", SH_FLAT},
	{"cpuacct.usage", SH_SINGLE},
	{"cpuacct.usage_all", SH_TABLE},
	{"cpuacct.usage_percpu", SH_ROW},
	{"cpuacct.usage_percpu_sys", SH_ROW},
	{"cpuacct.usage_percpu_user", SH_ROW},
	{"cpuacct.usage_sys", SH_SINGLE},
	{"cpuacct.usage_user", SH_SINGLE},
	{"cpuset.cpu_exclusive", SH_SINGLE},
	{"cpuset.cpus", SH_TEXT},
	{"cpuset.cpus.effective", SH_TEXT},
	{"cpuset.cpus.exclusive", SH_TEXT},
	{"cpuset.cpus.exclusive.effective", SH_TEXT},
	{"cpuset.cpus.partition", SH_TEXT},
	{"cpuset.effective_cpus", SH_TEXT},
	{"cpuset.effective_mems", SH_TEXT},
	{"cpuset.mem_exclusive", SH_SINGLE},
	{"cpuset.mems", SH_TEXT},
	{"cpuset.mems.effective", SH_TEXT},
	{"cpuset.sched_load_balance", SH_SINGLE},
	{"devices.allow", SH_TEXT},
	{"devices.deny", SH_TEXT},
	{"devices.list", SH_TEXT},
	{"freezer.state", SH_TEXT},
	{"io.max", SH_NESTED},
	{"io.pressure", SH_NESTED},
	{"io.stat", SH_NESTED},
	{"irq.pressure", SH_NESTED},
	{"memory.current", SH_SINGLE},
	{"memory.events", SH_FLAT},
	{"memory.events.local", SH_FLAT},
	{"memory.failcnt", SH_SINGLE},
	{"memory.force_empty", SH_TEXT},
	{"memory.high", SH_SINGLE},
	{"memory.kmem.failcnt", SH_SINGLE},
	{"memory.kmem.limit_in_bytes", SH_SINGLE},
	{"memory.kmem.max_usage_in_bytes", SH_SINGLE},
	{"memory.kmem.slabinfo", SH_TEXT},
	{"memory.kmem.tcp.failcnt", SH_SINGLE},
	{"memory.kmem.tcp.limit_in_bytes", SH_SINGLE},
	{"memory.kmem.tcp.max_usage_in_bytes", SH_SINGLE},
	{"memory.kmem.tcp.usage_in_bytes", SH_SINGLE},
	{"memory.kmem.usage_in_bytes", SH_SINGLE},
	{"memory.limit_in_bytes", SH_SINGLE},
	{"memory.low", SH_SINGLE},
	{"memory.max", SH_SINGLE},
	{"memory.max_usage_in_bytes", SH_SINGLE},
	{"memory.memsw.failcnt", SH_SINGLE},
	{"memory.memsw.limit_in_bytes", SH_SINGLE},
	{"memory.memsw.max_usage_in_bytes", SH_SINGLE},
	{"memory.memsw.usage_in_bytes", SH_SINGLE},
	{"memory.min", SH_SINGLE},
	{"memory.move_charge_at_immigrate", SH_SINGLE},
	{"memory.numa_stat", SH_NESTED},
	{"memory.oom.group", SH_SINGLE},
	{"memory.oom_control", SH_FLAT},
	{"memory.peak", SH_SINGLE},
	{"memory.pressure", SH_NESTED},
	{"memory.pressure_level", SH_TEXT},
	{"memory.reclaim", SH_TEXT},
	{"memory.soft_limit_in_bytes", SH_SINGLE},
	{"memory.stat", SH_FLAT},
	{"memory.swap.current", SH_SINGLE},
	{"memory.swap.events", SH_FLAT},
	{"memory.swap.high", SH_SINGLE},
	{"memory.swap.max", SH_SINGLE},
	{"memory.swap.peak", SH_SINGLE},
	{"memory.swappiness", SH_SINGLE},
	{"memory.usage_in_bytes", SH_SINGLE},
	{"memory.use_hierarchy", SH_SINGLE},
	{"memory.zswap.current", SH_SINGLE},
	{"memory.zswap.max", SH_SINGLE},
	{"misc.events", SH_FLAT},
	{"net_cls.classid", SH_SINGLE},
	{"notify_on_release", SH_SINGLE},
	{"pids.current", SH_SINGLE},
	{"pids.events", SH_FLAT},
	{"pids.events.local", SH_FLAT},
	{"pids.max", SH_SINGLE},
	{"pids.peak", SH_SINGLE},
	{"release_agent", SH_TEXT},
	{"tasks", SH_LIST},
};

static const char *const shape_text[] = {
	[SH_GENERIC] = "any", [SH_SINGLE] = "'<value>'",
	[SH_LIST] = "'<value>' per line", [SH_ROW] = "'<value> <value> ...'",
	[SH_FLAT] = "'<key> <value>'",
	[SH_NESTED] = "'<subject> <key>=<value> ...'",
	[SH_BLKIO] = "'<major>:<minor> [<op>] <value>' or 'Total <value>'",
	[SH_CPUMAX] = "'<quota>|max <period>'",
	[SH_TABLE] = "a header line, then '<cpu> <value> ...' rows",
	[SH_TEXT] = "text",
};

/* v1 hierarchies (and named ones) that may form the first folder. */
static const char *const controllers[] = {
	"blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "hugetlb",
	"memory", "misc", "net_cls", "net_prio", "perf_event", "pids", "rdma",
	"systemd", "name=systemd", "elogind",
};

/* What one line looks like (classify()). */
enum line_class {
	L_BLANK, L_NOMATCH, L_SINGLE, L_ROW, L_FLAT, L_NESTED, L_KVFIRST,
	L_TRIPLE, L_DEV2
};

enum vkind { V_NUM, V_MAX, V_FLOAT, V_NEG, V_BIG, V_BAD };

struct cg {
	const char *path;
	const struct sv_emit *out;
	struct sv_record rec;   /* envelope and the file's names */
	enum shape shape;
	int limit_file;         /* v1 "no limit" sentinel applies */
	int neg1_ok;            /* "-1" means no limit on this line */
	int warned;
	uint64_t singles;       /* values seen in a single-value file */
	uint64_t rows;          /* rows seen in a row file */
	uint64_t unmatched, first_unmatched;
	const char *cols[TABLE_COLS_MAX];
	size_t ncols;
	int have_header;
	char idx[24];
};

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	(void)head;
	(void)n;
	return lay->kind == SV_ART_CGROUP ? 100 : 0;
}

static int cmp_known(const void *key, const void *elem)
{
	return strcmp(key, ((const struct known *)elem)->name);
}

static enum shape shape_of(const char *file)
{
	const struct known *k =
		bsearch(file, known, sizeof(known) / sizeof(known[0]),
			sizeof(known[0]), cmp_known);

	return k ? k->shape : SH_GENERIC;
}

static int span_is(const char *p, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(p, lit, n) == 0;
}

/* "cpu,cpuacct": every comma-separated part is a v1 hierarchy. */
static int is_controller(const char *p, size_t n)
{
	size_t i, start = 0;

	if (n == 0)
		return 0;
	while (start <= n) {
		const char *c = memchr(p + start, ',', n - start);
		size_t len = c ? (size_t)(c - p) - start : n - start;
		int ok = 0;

		for (i = 0; i < sizeof(controllers) / sizeof(controllers[0]);
		     i++)
			ok |= span_is(p + start, len, controllers[i]);
		if (!ok)
			return 0;
		start += len + 1;
	}
	return 1;
}

/* ---- values ---- */

/* Digits only (after an optional '-'), but too many: out of range. */
static enum vkind too_big_or_bad(const char *p, const char *end)
{
	const char *t = p < end && *p == '-' ? p + 1 : p;
	const char *s = t;

	while (s < end && *s >= '0' && *s <= '9')
		s++;
	return s > t && s == end ? V_BIG : V_BAD;
}

/* ".123": up to 9 digits kept as frac / scale; -1 when not digits. */
static int fraction(const char *s, const char *end, uint64_t *frac,
		    uint64_t *scale)
{
	const char *start = s;

	*frac = 0;
	*scale = 1;
	for (; s < end && *s >= '0' && *s <= '9'; s++)
		if (*scale < 1000000000ULL) {
			*frac = *frac * 10 + (uint64_t)(*s - '0');
			*scale *= 10;
		}
	return s == end && s > start ? 0 : -1;
}

/*
 * "123", "max", "-1", "0.12": the kind, and the value (integer part for a
 * fraction) in *v, the fraction in *f. V_BAD when not a number at all.
 */
static enum vkind parse_value(const char *p, size_t n, uint64_t *v,
			      double *f)
{
	const char *s = p, *end = p + n, *dot, *iend;
	uint64_t frac = 0, scale = 1;

	*v = 0;
	*f = 0;
	if (n == 0)
		return V_BAD;
	if (span_is(p, n, "max") || span_is(p, n, "-1")) {
		*v = UINT64_MAX;
		*f = (double)UINT64_MAX;
		return V_MAX;
	}
	if (*s == '-')
		s++;
	dot = memchr(s, '.', (size_t)(end - s));
	iend = dot ? dot : end;
	if (sv_str_u64(&s, iend, UINT64_MAX, v) || s != iend)
		return too_big_or_bad(p, iend);
	if (dot && fraction(dot + 1, end, &frac, &scale))
		return V_BAD;
	if (p[0] == '-')
		return *v == 0 && frac == 0 ? V_NUM : V_NEG;
	*f = (double)*v + (double)frac / (double)scale;
	return dot ? V_FLOAT : V_NUM;
}

static int value_like(const char *p, size_t n)
{
	uint64_t v;
	double f;

	return parse_value(p, n, &v, &f) != V_BAD;
}

/* A key or subject: 1..NAME_MAX_LEN printable ASCII bytes, no '='. */
static int name_ok(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || n > NAME_MAX_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] <= ' ' || p[i] > '~' || p[i] == '=')
			return 0;
	return 1;
}

/* "<name>=<value>" */
static int kv_ok(const char *p, size_t n)
{
	const char *eq = memchr(p, '=', n);

	return eq && name_ok(p, (size_t)(eq - p)) &&
	       value_like(eq + 1, (size_t)(p + n - eq - 1));
}

/* "<major>:<minor>" */
static int dev_ok(const char *p, size_t n)
{
	const char *s = p, *end = p + n;
	uint64_t v;

	if (sv_str_u64(&s, end, UINT32_MAX, &v) || s >= end || *s != ':')
		return 0;
	s++;
	return sv_str_u64(&s, end, UINT32_MAX, &v) == 0 && s == end;
}

/* Next token separated by spaces or tabs; 0, or -1 at the end. */
static int next_tok(const char **s, const char *end, struct sv_span *t)
{
	return sv_str_token(s, end, t);
}

/* Consume the delimiter after t and NUL-terminate t in place. */
static const char *cut_tok(struct sv_span t, const char **s, const char *end)
{
	if (*s < end)
		(*s)++;
	((char *)t.p)[t.n] = '\0';
	return t.p;
}

/* ---- lines ---- */

/* Lines of 2 or 3 fields that are neither values nor key=value lists. */
static enum line_class classify_fields(const struct sv_span *f, size_t n)
{
	int v0 = value_like(f[0].p, f[0].n), v1 = value_like(f[1].p, f[1].n);

	if (n == 2 && dev_ok(f[0].p, f[0].n) && v1)
		return L_DEV2;
	if (n == 2 && name_ok(f[0].p, f[0].n) && !v0 && v1)
		return L_FLAT;
	if (n == 3 && name_ok(f[0].p, f[0].n) && name_ok(f[1].p, f[1].n) &&
	    !v1 && value_like(f[2].p, f[2].n))
		return L_TRIPLE;
	return L_NOMATCH;
}

static enum line_class classify(struct sv_span line)
{
	const char *s = line.p, *end = line.p + line.n;
	struct sv_span t, f[3];
	size_t n = 0;
	int all_val = 1, rest_kv = 1;

	while (next_tok(&s, end, &t) == 0) {
		if (n < 3)
			f[n] = t;
		all_val = all_val && value_like(t.p, t.n);
		rest_kv = rest_kv && (n == 0 || kv_ok(t.p, t.n));
		n++;
	}
	if (n == 0)
		return L_BLANK;
	if (n == 1)
		return all_val ? L_SINGLE
			       : kv_ok(f[0].p, f[0].n) ? L_KVFIRST : L_NOMATCH;
	if (n == 2 && span_is(f[0].p, f[0].n, "max") && all_val)
		return L_FLAT; /* "max 0" of pids.events */
	if (all_val)
		return L_ROW;
	if (rest_kv)
		return kv_ok(f[0].p, f[0].n)    ? L_KVFIRST
		       : name_ok(f[0].p, f[0].n) ? L_NESTED
						 : L_NOMATCH;
	return n <= 3 ? classify_fields(f, n) : L_NOMATCH;
}

static int allowed(enum shape sh, enum line_class lc)
{
	switch (sh) {
	case SH_GENERIC:
		return lc != L_NOMATCH;
	case SH_SINGLE:
	case SH_LIST:
		return lc == L_SINGLE;
	case SH_ROW:
		return lc == L_ROW || lc == L_SINGLE;
	case SH_FLAT:
		return lc == L_FLAT;
	case SH_NESTED:
		return lc == L_NESTED || lc == L_KVFIRST;
	case SH_BLKIO:
		return lc == L_TRIPLE || lc == L_DEV2 || lc == L_FLAT;
	case SH_CPUMAX:
	case SH_TABLE:
	case SH_TEXT:
		break;
	}
	return 0;
}

static enum sv_status warn(struct cg *c, uint64_t line, const char *fmt, ...)
	SV_PRINTF(3, 4);

/* Report a problem at line (0: none); returns SV_WARN. */
static enum sv_status warn(struct cg *c, uint64_t line, const char *fmt, ...)
{
	char msg[SV_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sv_emit_problem(c->out, c->path, line, "%s", msg);
	c->warned = 1;
	return SV_WARN;
}

static int limit_key(const char *key)
{
	size_t n = strlen(key);

	return strncmp(key, "hierarchical_", 13) == 0 && n > 6 &&
	       strcmp(key + n - 6, "_limit") == 0;
}

/*
 * One value: parse it, report it when out of range (SV_WARN), else emit
 * a record. A non-OK status from the record callback is returned as is
 * (and stops the file).
 */
static enum sv_status emit(struct cg *c, uint64_t line, const char *subject,
			   const char *key, struct sv_span val,
			   struct sv_error *err)
{
	struct sv_cgroup_value *cv = &c->rec.u.cgroup;
	uint64_t v;
	double f;
	enum vkind k = parse_value(val.p, val.n, &v, &f);
	int vn = val.n > 32 ? 32 : (int)val.n;

	if (k == V_MAX && !c->neg1_ok && span_is(val.p, val.n, "-1"))
		k = V_NEG; /* "no limit" only where one value is the file */
	if (k == V_BAD || k == V_NEG || k == V_BIG)
		return warn(c, line, "%s%s%s%s%s: value '%.*s'%s is %s",
			    cv->file, *subject ? " " : "", subject,
			    *key ? " " : "", key, vn, val.p,
			    vn < (int)val.n ? "..." : "",
			    k == V_BAD ? "not a number" : "out of range");
	if (k == V_NUM && v >= V1_NO_LIMIT && v <= (uint64_t)INT64_MAX &&
	    (c->limit_file || limit_key(key))) {
		k = V_MAX;
		v = UINT64_MAX;
		f = (double)UINT64_MAX;
	}
	cv->subject = subject;
	cv->key = key;
	cv->value = v;
	cv->is_max = k == V_MAX;
	cv->is_float = k == V_FLOAT;
	cv->fvalue = k == V_FLOAT || k == V_MAX ? f : (double)v;
	c->rec.line = line;
	return c->out->record(c->out->ctx, &c->rec, err);
}

/* Fold a value's status into the line's: SV_WARN sticks, errors win. */
static int stop(enum sv_status rc, enum sv_status *acc)
{
	if (rc == SV_WARN) {
		*acc = SV_WARN;
		return 0;
	}
	if (rc != SV_OK) {
		*acc = rc;
		return 1;
	}
	return 0;
}

/* "<key>=<value>" tokens from *s on, under subject. */
static enum sv_status emit_kvs(struct cg *c, uint64_t line,
			       const char *subject, const char **s,
			       const char *end, struct sv_error *err)
{
	enum sv_status acc = SV_OK;
	struct sv_span t, val;
	char *eq;

	while (next_tok(s, end, &t) == 0) {
		cut_tok(t, s, end);
		eq = memchr(t.p, '=', t.n);
		val.p = eq + 1;
		val.n = (size_t)(t.p + t.n - eq - 1);
		*eq = '\0';
		if (stop(emit(c, line, subject, t.p, val, err), &acc))
			break;
	}
	return acc;
}

static enum sv_status emit_row(struct cg *c, uint64_t line, const char **s,
			       const char *end, struct sv_error *err)
{
	enum sv_status acc = SV_OK;
	struct sv_span t;
	unsigned long long i = 0;

	while (next_tok(s, end, &t) == 0) {
		snprintf(c->idx, sizeof(c->idx), "%llu", i++);
		if (stop(emit(c, line, c->idx, "", t, err), &acc))
			break;
	}
	return acc;
}

/* "total=5 N0=5" (v1 memory.numa_stat): subject "total", key "" first. */
static enum sv_status emit_kvfirst(struct cg *c, uint64_t line,
				   const char **s, const char *end,
				   struct sv_error *err)
{
	enum sv_status acc = SV_OK, rc;
	struct sv_span t, val;
	char *eq;

	next_tok(s, end, &t);
	cut_tok(t, s, end);
	eq = memchr(t.p, '=', t.n);
	val.p = eq + 1;
	val.n = (size_t)(t.p + t.n - eq - 1);
	*eq = '\0';
	if (stop(emit(c, line, t.p, "", val, err), &acc))
		return acc;
	rc = emit_kvs(c, line, t.p, s, end, err);
	return rc == SV_OK ? acc : rc;
}

/* Emit a line of a class allowed for the file. */
static enum sv_status emit_line(struct cg *c, enum line_class lc,
				struct sv_span line, uint64_t ln,
				struct sv_error *err)
{
	const char *s = line.p, *end = line.p + line.n, *a, *b;
	struct sv_span t;

	switch (lc) {
	case L_SINGLE:
		next_tok(&s, end, &t);
		return emit(c, ln, "", "", t, err);
	case L_ROW:
		return emit_row(c, ln, &s, end, err);
	case L_FLAT:
	case L_DEV2:
		next_tok(&s, end, &t);
		a = cut_tok(t, &s, end);
		next_tok(&s, end, &t);
		return lc == L_FLAT ? emit(c, ln, "", a, t, err)
				    : emit(c, ln, a, "", t, err);
	case L_TRIPLE:
		next_tok(&s, end, &t);
		a = cut_tok(t, &s, end);
		next_tok(&s, end, &t);
		b = cut_tok(t, &s, end);
		next_tok(&s, end, &t);
		return emit(c, ln, a, b, t, err);
	case L_NESTED:
		next_tok(&s, end, &t);
		a = cut_tok(t, &s, end);
		return emit_kvs(c, ln, a, &s, end, err);
	case L_KVFIRST:
		return emit_kvfirst(c, ln, &s, end, err);
	case L_BLANK:
	case L_NOMATCH:
		break;
	}
	return SV_OK;
}

/* cpu.max: "<quota>|max <period>", keys "quota" and "period". */
static enum sv_status do_cpumax(struct cg *c, struct sv_span line,
				uint64_t ln, struct sv_error *err)
{
	const char *s = line.p, *end = line.p + line.n;
	struct sv_span q, p;
	enum sv_status acc = SV_OK;
	enum line_class lc = classify(line);

	if (lc == L_BLANK)
		return SV_OK;
	if ((lc != L_ROW && lc != L_SINGLE && lc != L_FLAT) ||
	    c->singles++ > 0)
		return warn(c, ln, "not %s, the format of %s",
			    shape_text[SH_CPUMAX], c->rec.u.cgroup.file);
	next_tok(&s, end, &q);
	if (next_tok(&s, end, &p) == 0 && next_tok(&s, end, &q) == 0)
		return warn(c, ln, "more than two values in %s",
			    c->rec.u.cgroup.file);
	s = line.p;
	next_tok(&s, end, &q);
	if (stop(emit(c, ln, "", "quota", q, err), &acc))
		return acc;
	if (next_tok(&s, end, &p) == 0 &&
	    stop(emit(c, ln, "", "period", p, err), &acc))
		return acc;
	return acc;
}

/* The header of cpuacct.usage_all: 2..TABLE_COLS_MAX names. */
static enum sv_status table_header(struct cg *c, struct sv_span line,
				   uint64_t ln)
{
	const char *s = line.p, *end = line.p + line.n;
	struct sv_span t;

	int bad = 0;

	c->have_header = 1;
	while (!bad && next_tok(&s, end, &t) == 0) {
		bad = c->ncols == TABLE_COLS_MAX || !name_ok(t.p, t.n) ||
		      value_like(t.p, t.n);
		if (!bad)
			c->cols[c->ncols++] = cut_tok(t, &s, end);
	}
	if (!bad && c->ncols >= 2)
		return SV_OK;
	c->ncols = 0;
	return warn(c, ln, "not a table header of 2 to %d names",
		    TABLE_COLS_MAX);
}

/* cpuacct.usage_all: "cpu user system" then "<cpu> <user> <system>". */
static enum sv_status do_table(struct cg *c, struct sv_span line,
			       uint64_t ln, struct sv_error *err)
{
	const char *s = line.p, *end = line.p + line.n, *subject;
	enum line_class lc = classify(line);
	enum sv_status acc = SV_OK;
	struct sv_span t;
	size_t i, n = 0;

	if (lc == L_BLANK)
		return SV_OK;
	if (!c->have_header)
		return table_header(c, line, ln);
	while (next_tok(&s, end, &t) == 0)
		n++;
	if (lc != L_ROW || n != c->ncols)
		return warn(c, ln, "not a row of the %zu values the header "
			    "names", c->ncols);
	s = line.p;
	next_tok(&s, end, &t);
	subject = cut_tok(t, &s, end);
	for (i = 1; next_tok(&s, end, &t) == 0; i++)
		if (stop(emit(c, ln, subject, c->cols[i], t, err), &acc))
			break;
	return acc;
}

static enum sv_status do_line(struct cg *c, struct sv_span line,
			      uint64_t ln, struct sv_error *err)
{
	enum line_class lc;

	if (c->shape == SH_CPUMAX)
		return do_cpumax(c, line, ln, err);
	if (c->shape == SH_TABLE)
		return do_table(c, line, ln, err);
	lc = classify(line);
	if (lc == L_BLANK)
		return SV_OK;
	if (!allowed(c->shape, lc)) {
		if (c->shape != SH_GENERIC)
			return warn(c, ln, "not %s, the format of %s",
				    shape_text[c->shape],
				    c->rec.u.cgroup.file);
		if (c->unmatched++ == 0)
			c->first_unmatched = ln;
		return SV_OK;
	}
	if (c->shape == SH_SINGLE && c->singles++ > 0)
		return warn(c, ln, "a second value in single-value file %s",
			    c->rec.u.cgroup.file);
	if (c->shape == SH_ROW && c->rows++ > 0)
		return warn(c, ln, "a second row in %s", c->rec.u.cgroup.file);
	if (c->shape == SH_ROW)
		lc = L_ROW; /* one CPU: still subject "0" */
	c->neg1_ok = lc == L_SINGLE;
	return emit_line(c, lc, line, ln, err);
}

/* ---- the file ---- */

/* Copy n bytes of p into scratch, at most cap (reported when cut). */
static const char *name_dup(struct cg *c, struct sv_arena *scratch,
			    const char *p, size_t n, size_t cap,
			    const char *what)
{
	if (n > cap) {
		warn(c, 0, "%s longer than %zu bytes: cut", what, cap);
		n = cap;
	}
	return sv_arena_strndup(scratch, p, n);
}

/*
 * Controller, cgroup folder and file name from the leaf (see the top of
 * this file). SV_OK or SV_ERR_NOMEM.
 */
static enum sv_status names(struct cg *c, const char *leaf,
			    struct sv_arena *scratch, struct sv_error *err)
{
	struct sv_cgroup_value *cv = &c->rec.u.cgroup;
	const char *first = strchr(leaf, '/'), *last = strrchr(leaf, '/');
	const char *file = last ? last + 1 : leaf, *cg = leaf;
	size_t ctl_n = 0;

	if (first && is_controller(leaf, (size_t)(first - leaf))) {
		ctl_n = (size_t)(first - leaf);
		cg = first + 1;
	} else if (first && span_is(leaf, (size_t)(first - leaf), "unified")) {
		cg = first + 1;
	}
	cv->controller = name_dup(c, scratch, leaf, ctl_n, NAME_MAX_LEN,
				  "controller folder");
	cv->cgroup = name_dup(c, scratch, cg,
			      last && last > cg ? (size_t)(last - cg) : 0,
			      CGROUP_MAX, "cgroup folder");
	cv->file = name_dup(c, scratch, file, strlen(file), FILENAME_MAX_LEN,
			    "file name");
	if (!cv->controller || !cv->cgroup || !cv->file)
		return sv_error_set(err, SV_ERR_NOMEM, c->path,
				    "out of memory");
	return SV_OK;
}

static enum sv_status lines(struct cg *c, char *buf, size_t n,
			    struct sv_error *err)
{
	enum sv_status rc, result = SV_OK;
	size_t pos = 0;
	uint64_t ln = 0;

	while (pos < n) {
		char *nl = memchr(buf + pos, '\n', n - pos);
		struct sv_span line = {buf + pos, nl ? (size_t)(nl - buf) - pos
						      : n - pos};

		pos += line.n + 1;
		ln++;
		if (line.n && line.p[line.n - 1] == '\r')
			line.n--;
		if (line.n > LINE_MAX_LEN) {
			result = warn(c, ln, "line longer than %u bytes "
				      "skipped", LINE_MAX_LEN);
			continue;
		}
		rc = do_line(c, line, ln, err);
		if (rc == SV_WARN)
			result = SV_WARN;
		else if (rc != SV_OK)
			return rc;
	}
	return result;
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	struct sv_layout lay;
	struct cg c;
	char *buf;
	size_t n;
	enum sv_status rc;

	sv_layout_classify(src->path, &lay);
	memset(&c, 0, sizeof(c));
	c.path = src->path;
	c.out = out;
	c.rec.type = SV_REC_CGROUP_VALUE;
	c.rec.artifact = src->path;
	c.rec.ts_ns = lay.has_snapshot ? lay.snapshot_ns : SV_TIME_NONE;
	SV_FORWARD(names(&c, lay.kind == SV_ART_CGROUP ? lay.leaf : src->path,
			 scratch, err));
	c.shape = shape_of(c.rec.u.cgroup.file);
	if (c.shape == SH_TEXT)
		return c.warned ? SV_WARN : SV_OK;
	c.limit_file = strstr(c.rec.u.cgroup.file, "limit") != NULL;
	SV_FORWARD(sv_source_slurp(src, scratch, FILE_MAX, &buf, &n, err));
	rc = lines(&c, buf, n, err);
	if (sv_is_error(rc))
		return rc;
	if (c.unmatched)
		warn(&c, c.first_unmatched,
		     "%llu line(s) match no cgroup file format (first here)",
		     (unsigned long long)c.unmatched);
	if ((c.shape == SH_SINGLE || c.shape == SH_CPUMAX) &&
	    c.singles == 0 && !c.warned)
		warn(&c, 0, "no value in %s (empty file)",
		     c.rec.u.cgroup.file);
	return c.warned ? SV_WARN : SV_OK;
}

const struct sv_format_ops sv_fmt_cgroup = {
	.name = "cgroup",
	.kind = SV_ART_CGROUP,
	.probe = probe,
	.parse = parse,
};
