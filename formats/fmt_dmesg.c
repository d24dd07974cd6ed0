/*
 * fmt_dmesg.c - the kernel ring buffer as printed by dmesg(1)
 * (DESIGN.md §1: events/dmesg.txt).
 *
 *   [  7761.658928] Memory cgroup out of memory: Killed process 12529 ...
 *   <6>[ 7761.658928] ...                 dmesg -r: syslog level first
 *   [   12.345678][  T123] ...           CONFIG_PRINTK_CALLER
 *    ^ seconds since boot, up to 9 fraction digits
 *
 * One SV_REC_KERNEL per line: boot_ns from the timestamp and ts_ns =
 * SV_TIME_NONE (the analyzer converts with the boot time); message is the
 * text after "] " (cut at MSG_MAX, reported). A line without a timestamp
 * (or with dmesg -T's wall-clock one, which has no zone) is reported and
 * still emitted with boot_ns = SV_TIME_NONE. The kinds:
 *
 *   OOM_INVOKED  "<comm> invoked oom-killer: gfp_mask=..."        comm
 *   OOM_KILL     "oom-kill:constraint=...,oom_memcg=/a,task_memcg=/a/b,
 *                 task=sh,pid=1234,uid=0"  (4.19+)   oom_detail = 1,
 *                 memcg = task_memcg (the victim's cgroup; oom_memcg is
 *                 the one over its limit, maybe a parent), comm, pid
 *   OOM_KILL     "Memory cgroup out of memory: Killed process 1234 (sh)
 *                 total-vm:..." and "Out of memory: Killed process ..."
 *                 (and "Killed process ..." alone, before 5.0)  pid, comm
 *   SEGFAULT     "sh[1234]: segfault at 0 ip ... error 4 in busybox[...]"
 *                "traps: sh[1234] general protection fault ip:..."
 *   BRIDGE       "podman1: port 1(veth0) entered forwarding state"
 *                device = the bridge, port = the port device
 *   VETH         "veth0: entered promiscuous mode", "device veth0 entered
 *                promiscuous mode", "veth0 (unregistering): left ... mode",
 *                "IPv6: ADDRCONF(NETDEV_CHANGE): veth0: link becomes
 *                ready", "eth0: renamed from veth12ab": device = the
 *                interface. The same lines about a bridge-named device
 *                (docker0, podman1, cni0, br-*, virbr0, ...) are BRIDGE;
 *                about another device (eth0, ens3) OTHER, device still set.
 *   OTHER        everything else, pid -1 and comm "" unless an old
 *                kernel's "Kill process 1234 (sh) score ..." names them.
 *
 * Pairing, for the analyzer: one memcg OOM kill prints an "oom-kill:"
 * line (oom_detail = 1) and then the "Killed process" line (oom_detail =
 * 0), same pid, within microseconds. Count kills from oom_detail = 0
 * records; take the cgroup from the detail record with the same pid just
 * before it. This reader already copies that memcg onto the kill record
 * when the detail came first in the file with the same pid, so a kill
 * record has memcg "" only when the detail line is missing (kernels before
 * 4.19, or a ring buffer that wrapped between the two lines).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sv_format.h"
#include "sv_time.h"

#define LINE_MAX_LEN 8192
#define MSG_MAX 2048
#define COMM_MAX 64      /* TASK_COMM_LEN is 16; hostile lines are longer */
#define MEMCG_MAX 4096
#define IFNAME_MAX 15    /* IFNAMSIZ - 1 */
#define SECS_MAX 9000000000ULL /* ns of it plus a fraction fit int64 */

struct dm {
	const char *path;
	const struct sv_emit *out;
	struct sv_record rec;
	char *msg, *comm, *memcg, *device, *port;
	char *held_memcg;    /* of the last oom-kill: line */
	int64_t held_pid;    /* -1: none held */
	int64_t last_ns;     /* time of the last stamped line, or NONE */
	int warned;
};

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	(void)head;
	(void)n;
	return lay->kind == SV_ART_DMESG ? 100 : 0;
}

static void warn(struct dm *d, uint64_t line, const char *fmt, ...)
	SV_PRINTF(3, 4);

static void warn(struct dm *d, uint64_t line, const char *fmt, ...)
{
	char msg[SV_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sv_emit_problem(d->out, d->path, line, "%s", msg);
	d->warned = 1;
}

/* Copy n bytes into dst (cap + 1 bytes), NUL bytes as '?'; 1 if cut. */
static int copy(char *dst, size_t cap, const char *p, size_t n)
{
	size_t i, m = n > cap ? cap : n;

	for (i = 0; i < m; i++)
		dst[i] = p[i] ? p[i] : '?';
	dst[m] = '\0';
	return n > cap;
}

static const char *find(const char *p, size_t n, const char *lit)
{
	size_t m = strlen(lit), i;

	for (i = 0; m <= n && i <= n - m; i++)
		if (p[i] == lit[0] && memcmp(p + i, lit, m) == 0)
			return p + i;
	return NULL;
}

static int starts(const char *p, size_t n, const char *lit)
{
	size_t m = strlen(lit);

	return n >= m && memcmp(p, lit, m) == 0;
}

/* ---- the prefix ---- */

/* "<N>" of dmesg -r: skipped when well-formed. */
static void skip_level(const char **s, const char *end)
{
	const char *p = *s + 1;

	if (*s >= end || **s != '<')
		return;
	while (p < end && p - *s <= 4 && *p >= '0' && *p <= '9')
		p++;
	if (p > *s + 1 && p < end && *p == '>')
		*s = p + 1;
}

/* "[  12.345678]" into ns; 0, or -1 (then *s is untouched). */
static int stamp(const char **s, const char *end, int64_t *ns)
{
	const char *p = *s + 1;
	uint64_t sec, frac = 0;
	int digits = 0;

	if (*s >= end || **s != '[')
		return -1;
	sv_str_skip_blank(&p, end);
	if (sv_str_u64(&p, end, SECS_MAX, &sec) || p >= end || *p != '.')
		return -1;
	for (p++; p < end && *p >= '0' && *p <= '9' && digits < 9; p++) {
		frac = frac * 10 + (uint64_t)(*p - '0');
		digits++;
	}
	if (digits == 0 || p >= end || *p != ']')
		return -1;
	for (; digits < 9; digits++)
		frac *= 10;
	*ns = (int64_t)(sec * (uint64_t)SV_NS_PER_SEC + frac);
	*s = p + 1;
	return 0;
}

/* "[  T123]" / "[C0]" of CONFIG_PRINTK_CALLER: skipped. */
static void skip_caller(const char **s, const char *end)
{
	const char *p = *s + 1;
	uint64_t id;

	if (*s >= end || **s != '[')
		return;
	sv_str_skip_blank(&p, end);
	if (p >= end || (*p != 'T' && *p != 'C'))
		return;
	p++;
	if (sv_str_u64(&p, end, UINT32_MAX, &id) == 0 && p < end && *p == ']')
		*s = p + 1;
}

/*
 * Split a line into boot_ns and message. 1 with a timestamp, 0 without
 * one, -1 with a bracket that is not seconds since boot (dmesg -T): then
 * the message starts after it.
 */
static int split(struct sv_span line, int64_t *ns, struct sv_span *msg)
{
	const char *s = line.p, *end = line.p + line.n, *close;
	int rc = 1;

	skip_level(&s, end);
	if (stamp(&s, end, ns) == 0) {
		skip_caller(&s, end);
	} else if (s < end && *s == '[' &&
		   (close = memchr(s, ']', (size_t)(end - s))) != NULL &&
		   close - s < 64) {
		s = close + 1;
		rc = -1;
	} else {
		rc = 0;
	}
	if (rc && s < end && *s == ' ')
		s++;
	msg->p = s;
	msg->n = (size_t)(end - s);
	return rc;
}

/* ---- the message ---- */

static void set_comm(struct dm *d, uint64_t ln, const char *p, size_t n)
{
	if (copy(d->comm, COMM_MAX, p, n))
		warn(d, ln, "process name longer than %d bytes: cut", COMM_MAX);
}

static void set_memcg(struct dm *d, uint64_t ln, const char *p, size_t n)
{
	if (copy(d->memcg, MEMCG_MAX, p, n))
		warn(d, ln, "memory cgroup longer than %d bytes: cut",
		     MEMCG_MAX);
}

static int span_pid(const char *p, size_t n, int64_t *pid)
{
	const char *s = p;
	uint64_t v;

	if (sv_str_u64(&s, p + n, INT32_MAX, &v) || s != p + n)
		return -1;
	*pid = (int64_t)v;
	return 0;
}

/* "oom-kill:constraint=...,task_memcg=/x,task=sh,pid=1234,uid=0" */
static void oom_detail(struct dm *d, struct sv_kernel *k, struct sv_span m,
		       uint64_t ln)
{
	const char *s = m.p + strlen("oom-kill:"), *end = m.p + m.n;
	struct sv_span oom = {NULL, 0}, task = {NULL, 0};

	while (s < end) {
		const char *c = memchr(s, ',', (size_t)(end - s));
		const char *f = c ? c : end;
		size_t n = (size_t)(f - s);

		if (starts(s, n, "task_memcg="))
			task = (struct sv_span){s + 11, n - 11};
		else if (starts(s, n, "oom_memcg="))
			oom = (struct sv_span){s + 10, n - 10};
		else if (starts(s, n, "task="))
			set_comm(d, ln, s + 5, n - 5);
		else if (starts(s, n, "pid=") &&
			 span_pid(s + 4, n - 4, &k->pid))
			k->pid = -1;
		s = f + (c != NULL);
	}
	if (task.p || oom.p)
		set_memcg(d, ln, task.p ? task.p : oom.p,
			  task.p ? task.n : oom.n);
	k->kind = SV_KERN_OOM_KILL;
	k->oom_detail = 1;
	d->held_pid = k->pid;
	memcpy(d->held_memcg, d->memcg, strlen(d->memcg) + 1);
}

/* "1234 (sh) total-vm:..." / "1234 (sh) score 9 ...": pid and comm. */
static int pid_comm(struct dm *d, struct sv_kernel *k, const char *p,
		    const char *end, uint64_t ln)
{
	const char *s = p, *open, *close;
	uint64_t v;

	if (sv_str_u64(&s, end, INT32_MAX, &v) || end - s < 3 || s[0] != ' ' ||
	    s[1] != '(')
		return -1;
	open = s + 2;
	close = find(open, (size_t)(end - open), ") total-vm:");
	if (!close)
		close = find(open, (size_t)(end - open), ") score ");
	if (!close) {
		for (close = end; close > open && close[-1] != ')'; close--)
			;
		if (close == open)
			return -1;
		close--;
	}
	k->pid = (int64_t)v;
	set_comm(d, ln, open, (size_t)(close - open));
	return 0;
}

/* "...: Killed process 1234 (sh) ..." or "Killed process ..." */
static int oom_killed(struct dm *d, struct sv_kernel *k, struct sv_span m,
		      uint64_t ln)
{
	const char *at = find(m.p, m.n, "Killed process ");

	if (!at ||
	    (at != m.p && (at - m.p < 2 || at[-2] != ':' || at[-1] != ' ')) ||
	    pid_comm(d, k, at + 15, m.p + m.n, ln))
		return 0;
	k->kind = SV_KERN_OOM_KILL;
	if (d->held_pid >= 0 && d->held_pid == k->pid) {
		memcpy(d->memcg, d->held_memcg, strlen(d->held_memcg) + 1);
		d->held_pid = -1;
	}
	return 1;
}

/* "comm[1234]" ending at end; 0 with pid and comm, else -1. */
static int comm_bracket_pid(struct dm *d, struct sv_kernel *k, const char *p,
			    const char *end, uint64_t ln)
{
	const char *lb = end - 1;

	if (end - p < 4 || end[-1] != ']')
		return -1;
	while (lb > p && *lb != '[')
		lb--;
	if (lb == p || span_pid(lb + 1, (size_t)(end - lb - 2), &k->pid))
		return -1;
	set_comm(d, ln, p, (size_t)(lb - p));
	return 0;
}

static int crash(struct dm *d, struct sv_kernel *k, struct sv_span m,
		 uint64_t ln)
{
	const char *end = m.p + m.n, *at;

	at = find(m.p, m.n, ": segfault at ");
	if (at && comm_bracket_pid(d, k, m.p, at, ln) == 0) {
		k->kind = SV_KERN_SEGFAULT;
		return 1;
	}
	if (!starts(m.p, m.n, "traps: "))
		return 0;
	at = find(m.p + 7, (size_t)(end - m.p - 7),
		  " general protection fault");
	if (at && comm_bracket_pid(d, k, m.p + 7, at, ln) == 0) {
		k->kind = SV_KERN_SEGFAULT;
		return 1;
	}
	k->pid = -1;
	d->comm[0] = '\0';
	return 0;
}

/* ---- interfaces ---- */

/* An interface name: 1..IFNAME_MAX bytes, no blank, '/', ':' or control. */
static int ifname_ok(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || n > IFNAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] <= ' ' || p[i] == '/' || p[i] == ':' ||
		    p[i] == 0x7f)
			return 0;
	return 1;
}

static int prefix_in(const char *p, size_t n, const char *const *list,
		     size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (starts(p, n, list[i]))
			return 1;
	return 0;
}

/* By name: a bridge of a container engine or libvirt, a veth, other. */
static enum sv_kernel_kind if_kind(const char *p, size_t n)
{
	static const char *const bridges[] = {
		"docker", "podman", "cni", "br", "virbr", "cbr", "kube-bridge",
		"lxcbr",
	};
	static const char *const veths[] = {"veth", "cali", "lxc"};

	if (prefix_in(p, n, bridges, sizeof(bridges) / sizeof(bridges[0])))
		return SV_KERN_BRIDGE;
	if (prefix_in(p, n, veths, sizeof(veths) / sizeof(veths[0])))
		return SV_KERN_VETH;
	return SV_KERN_OTHER;
}

/* "podman1: port 1(veth0) entered forwarding state" */
static int bridge_port(struct dm *d, struct sv_kernel *k, struct sv_span m)
{
	const char *end = m.p + m.n, *at = find(m.p, m.n, ": port ");
	const char *s, *open, *close;
	uint64_t port;

	if (!at || !ifname_ok(m.p, (size_t)(at - m.p)))
		return 0;
	s = at + 7;
	if (sv_str_u64(&s, end, UINT32_MAX, &port) || s >= end || *s != '(')
		return 0;
	open = s + 1;
	close = memchr(open, ')', (size_t)(end - open));
	if (!close || !ifname_ok(open, (size_t)(close - open)) ||
	    !(starts(close, (size_t)(end - close), ") entered ") ||
	      starts(close, (size_t)(end - close), ") left ")))
		return 0;
	copy(d->device, IFNAME_MAX, m.p, (size_t)(at - m.p));
	copy(d->port, IFNAME_MAX, open, (size_t)(close - open));
	k->kind = SV_KERN_BRIDGE;
	return 1;
}

/* The interface a line is about: "device X ...", "ADDRCONF(...): X: ...",
 * "X: entered ...", "X (unregistering): ...", "X: renamed from Y". */
static int interface(struct dm *d, struct sv_kernel *k, struct sv_span m)
{
	static const char *const after[] = {
		": entered ", ": left ", " (unregistering): ",
		": renamed from ", ": link ",
	};
	const char *p = m.p, *end = m.p + m.n, *e, *at;
	enum sv_kernel_kind kind;

	if (starts(p, m.n, "device ")) {
		p += 7;
		e = memchr(p, ' ', (size_t)(end - p));
		if (!e || !(starts(e, (size_t)(end - e), " entered ") ||
			    starts(e, (size_t)(end - e), " left ")))
			return 0;
	} else {
		if (starts(p, m.n, "IPv6: ADDRCONF(") &&
		    (at = find(p, m.n, "): ")) != NULL)
			p = at + 3;
		for (e = p; e < end && *e != ':' && *e != ' '; e++)
			;
		if (!prefix_in(e, (size_t)(end - e), after,
			       sizeof(after) / sizeof(after[0])))
			return 0;
	}
	if (!ifname_ok(p, (size_t)(e - p)))
		return 0;
	kind = if_kind(p, (size_t)(e - p));
	at = find(e, (size_t)(end - e), ": renamed from ");
	if (kind == SV_KERN_OTHER && at == e)
		kind = if_kind(at + 15, (size_t)(end - at - 15));
	copy(d->device, IFNAME_MAX, p, (size_t)(e - p));
	k->kind = kind;
	return 1;
}

/* ---- lines ---- */

static void classify(struct dm *d, struct sv_kernel *k, struct sv_span m,
		     uint64_t ln)
{
	const char *at;

	if (starts(m.p, m.n, "oom-kill:")) {
		oom_detail(d, k, m, ln);
		return;
	}
	if (oom_killed(d, k, m, ln))
		return;
	at = find(m.p, m.n, " invoked oom-killer:");
	if (at && at > m.p) {
		set_comm(d, ln, m.p, (size_t)(at - m.p));
		k->kind = SV_KERN_OOM_INVOKED;
		return;
	}
	if (crash(d, k, m, ln))
		return;
	at = find(m.p, m.n, ": Kill process ");
	if (at && pid_comm(d, k, at + 15, m.p + m.n, ln) == 0)
		return; /* selection of an old kernel: the kill comes next */
	if (!bridge_port(d, k, m))
		interface(d, k, m);
}

static enum sv_status one_line(struct dm *d, struct sv_span line,
			       uint64_t ln, struct sv_error *err)
{
	struct sv_kernel *k = &d->rec.u.kernel;
	struct sv_span m;
	int64_t ns = SV_TIME_NONE;
	int ts = split(line, &ns, &m);

	if (line.n == 0)
		return SV_OK;
	/* The kernel indents the second line of a multi-line message
	 * ("amd_pstate: ...\n               Please enable ..."): it
	 * belongs to the stamped line before it. */
	if (ts == 0 && (line.p[0] == ' ' || line.p[0] == '\t') &&
	    d->last_ns != SV_TIME_NONE) {
		ts = 1;
		ns = d->last_ns;
	} else if (ts == 0)
		warn(d, ln, "no timestamp: time unknown");
	else if (ts < 0)
		warn(d, ln, "timestamp is not seconds since boot (dmesg -T?): "
		     "time unknown");
	memset(k, 0, sizeof(*k));
	d->comm[0] = d->memcg[0] = d->device[0] = d->port[0] = '\0';
	k->kind = SV_KERN_OTHER;
	k->boot_ns = ts > 0 ? ns : SV_TIME_NONE;
	if (ts > 0)
		d->last_ns = ns;
	k->pid = -1;
	if (copy(d->msg, MSG_MAX, m.p, m.n))
		warn(d, ln, "message longer than %d bytes: cut", MSG_MAX);
	classify(d, k, m, ln);
	k->comm = d->comm;
	k->memcg = d->memcg;
	k->device = d->device;
	k->port = d->port;
	k->message = d->msg;
	d->rec.line = ln;
	return d->out->record(d->out->ctx, &d->rec, err);
}

static int alloc_buffers(struct dm *d, struct sv_arena *a, char **line)
{
	*line = sv_arena_alloc(a, LINE_MAX_LEN);
	d->msg = sv_arena_alloc(a, MSG_MAX + 1);
	d->comm = sv_arena_alloc(a, COMM_MAX + 1);
	d->memcg = sv_arena_alloc(a, MEMCG_MAX + 1);
	d->held_memcg = sv_arena_alloc(a, MEMCG_MAX + 1);
	d->device = sv_arena_alloc(a, IFNAME_MAX + 1);
	d->port = sv_arena_alloc(a, IFNAME_MAX + 1);
	return *line && d->msg && d->comm && d->memcg && d->held_memcg &&
	       d->device && d->port;
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	struct dm d;
	struct sv_lines lines;
	struct sv_span line;
	char *buf;
	enum sv_status rc;

	memset(&d, 0, sizeof(d));
	d.path = src->path;
	d.out = out;
	d.held_pid = -1;
	d.last_ns = SV_TIME_NONE;
	d.rec.type = SV_REC_KERNEL;
	d.rec.artifact = src->path;
	d.rec.ts_ns = SV_TIME_NONE;
	if (!alloc_buffers(&d, scratch, &buf))
		return sv_error_set(err, SV_ERR_NOMEM, src->path,
				    "out of memory");
	sv_lines_init(&lines, src, buf, LINE_MAX_LEN);
	while ((rc = sv_lines_next(&lines, &line, err)) != SV_EOF) {
		if (rc == SV_WARN) {
			if (out->problem)
				out->problem(out->ctx, err);
			d.warned = 1;
			continue;
		}
		if (rc != SV_OK)
			return rc;
		rc = one_line(&d, line, lines.lineno, err);
		if (rc != SV_OK)
			return rc;
	}
	return d.warned ? SV_WARN : SV_OK;
}

const struct sv_format_ops sv_fmt_dmesg = {
	.name = "dmesg",
	.kind = SV_ART_DMESG,
	.probe = probe,
	.parse = parse,
};
