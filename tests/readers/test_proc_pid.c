/*
 * test_proc_pid.c - sv_fmt_proc_stat (/proc/<pid>/stat) and
 * sv_fmt_proc_status (/proc/<pid>/status) on real files of this machine
 * (kernel 6.18), of the web-incident sample bundle and of the
 * prometheus/procfs fixtures, and on malformed input.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_test.h"
#include "sv_time.h"

extern const struct sv_format_ops sv_fmt_proc_stat;
extern const struct sv_format_ops sv_fmt_proc_status;

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define STAT_PATH PT_T "/42/stat"
#define STATUS_PATH PT_T "/42/status"

/* ---- probe ---- */

struct probe_case {
	const char *path;
	int stat, status;
};

static const struct probe_case probe_cases[] = {
	{"proc/1764392000/42/stat", 100, 0},
	{"proc/1764392000.5/42/status", 0, 100},
	{"proc/1764392000/stat", 0, 0},
	{"proc/1764392000/42/statm", 0, 0},
	{"proc/1764392000/42/task/43/stat", 0, 0},
	{"proc/1764392000/0/stat", 0, 0},
	{"proc/1764392000/42/net/stat", 0, 0},
	{"cgroup/1764392000/42/stat", 0, 0},
};

START_TEST(probe_paths)
{
	const struct probe_case *t = &probe_cases[_i];

	ck_assert_int_eq(pt_probe(&sv_fmt_proc_stat, t->path), t->stat);
	ck_assert_int_eq(pt_probe(&sv_fmt_proc_status, t->path), t->status);
}
END_TEST

/* ---- stat: real files ---- */

struct real_stat {
	const char *rel;
	const char *path;
	uint32_t folder_pid, pid;
	const char *comm;
	char state;
	uint32_t ppid, pgrp, session;
	uint64_t minflt, utime, stime;
	int64_t cutime, cstime, nice, threads;
	uint64_t starttime, vsize;
	int64_t rss, processor;
};

static const struct real_stat real_stats[] = {
	{"vm-python/stat", PT_T "/8317/stat", 8317, 8317, "python3", 'S', 1,
	 8313, 875, 1263, 3, 3, 0, 0, 0, 1, 834719, 14626816, 2437, 1},
	/* kernel thread */
	{"vm-kthreadd/stat", PT_T "/2/stat", 2, 2, "kthreadd", 'S', 0, 0, 0,
	 0, 0, 0, 0, 0, 0, 1, 18, 0, 0, 0},
	/* a kernel thread name longer than TASK_COMM_LEN, state I */
	{"vm-kworker/stat", PT_T "/10/stat", 10, 10,
	 "kworker/0:0H-events_highpri", 'I', 2, 0, 0, 0, 0, 0, 0, 0, -20, 1,
	 18, 0, 0, 0},
	/* prctl(PR_SET_NAME, "x) Z 1 (y\nz"): parens, a fake state and a
	 * newline inside the name */
	{"vm-oddcomm/stat", PT_T "/9664/stat", 9664, 9664, "x) Z 1 (y\nz",
	 'S', 9660, 9660, 875, 1038, 2, 3, 0, 0, 0, 1, 838013, 14520320, 2213,
	 1},
	/* the reverse shell's nc inside a podman container */
	{"web-incident/30651/stat", "proc/1795942062.718/30651/stat", 30651,
	 30651, "nc", 'S', 30646, 30329, 30329, 104, 0, 0, 0, 0, 0, 1, 760202,
	 2322432, 315, 1},
	{"procfs/26231/stat", PT_T "/26231/stat", 26231, 26231, "vim", 'R',
	 5392, 7446, 5392, 32533, 1677, 44, 158, 99, 0, 1, 82375, 56274944,
	 1981, 0},
	/* hand-edited extremes; the file's pid differs from its folder */
	{"procfs/26232/stat", PT_T "/26232/stat", 26232, 33, "ata_sff", 'S',
	 2, 0, 0, 0, 0, 0, INT64_MIN, INT64_MAX, -20, 1, 5, 0, 0, INT64_MAX},
};

START_TEST(stat_real)
{
	const struct real_stat *t = &real_stats[_i];
	struct pt_run *r = pt_new();
	const struct sv_proc_stat *ps = &r->rec[0].u.proc_stat;
	struct sv_layout lay;

	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_stat, t->path, t->rel),
			 SV_OK);
	sv_layout_classify(t->path, &lay);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_int_eq(r->rec[0].type, SV_REC_PROC_STAT);
	ck_assert_int_eq(r->rec[0].ts_ns, lay.snapshot_ns);
	ck_assert_uint_eq(r->rec[0].pid, t->folder_pid);
	ck_assert_uint_eq(r->rec[0].line, 1);
	ck_assert_uint_eq(ps->pid, t->pid);
	ck_assert_str_eq(ps->comm, t->comm);
	ck_assert_int_eq(ps->state, t->state);
	ck_assert_uint_eq(ps->ppid, t->ppid);
	ck_assert_uint_eq(ps->pgrp, t->pgrp);
	ck_assert_uint_eq(ps->session, t->session);
	ck_assert_uint_eq(ps->minflt, t->minflt);
	ck_assert_uint_eq(ps->utime, t->utime);
	ck_assert_uint_eq(ps->stime, t->stime);
	ck_assert_int_eq(ps->cutime, t->cutime);
	ck_assert_int_eq(ps->cstime, t->cstime);
	ck_assert_int_eq(ps->nice, t->nice);
	ck_assert_int_eq(ps->num_threads, t->threads);
	ck_assert_uint_eq(ps->starttime, t->starttime);
	ck_assert_uint_eq(ps->vsize, t->vsize);
	ck_assert_int_eq(ps->rss_pages, t->rss);
	ck_assert_int_eq(ps->processor, t->processor);
	ck_assert_int_eq(ps->fields, 52);
	pt_free(r);
}
END_TEST

/* ---- stat: malformed ---- */

#define GOOD_TAIL " S 1 42 42 0 -1 4194304 10 0 0 0 5 6 0 0 20 0 1 0 " \
		  "1234 5000 77 18446744073709551615 1 1 0 0 0 0 0 0 0 " \
		  "0 0 0 17 3 0 0 0 0 0 0 0 0 0 0 0 0 0\n"

struct bad_stat {
	const char *name;
	const char *text;
	size_t len;        /* 0: strlen */
	enum sv_status rc;
	const char *what;  /* in the problem or the error */
	int fields;        /* when a record is emitted */
	const char *comm;  /* NULL: the first 256 bytes of the name */
};

static const struct bad_stat bad_stats[] = {
	{"good", "42 (bash)" GOOD_TAIL, 0, SV_OK, NULL, 52, "bash"},
	/* a process that exits while it is read leaves an empty file */
	{"empty", "", 0, SV_WARN, "exited", 0, NULL},
	{"newline only", "\n", 0, SV_ERR_CORRUPT, "'(command)'", 0, NULL},
	{"binary", "\x01\xff\x00\x7f(\x80", 6, SV_ERR_CORRUPT, "command", 0,
	 NULL},
	{"no close paren", "42 (bash S 1 42\n", 0, SV_ERR_CORRUPT,
	 "'(command)'", 0, NULL},
	{"no open paren", "42 bash) S 1 42\n", 0, SV_ERR_CORRUPT,
	 "'(command)'", 0, NULL},
	{"parens reversed", "42 )bash( S 1 42\n", 0, SV_ERR_CORRUPT,
	 "'(command)'", 0, NULL},
	{"pid not a number", "4x2 (bash) S 1\n", 0, SV_ERR_CORRUPT, "pid", 0,
	 NULL},
	{"pid overflow", "4294967296 (bash) S 1\n", 0, SV_ERR_CORRUPT, "pid",
	 0, NULL},
	{"no space before paren", "42(bash) S 1\n", 0, SV_ERR_CORRUPT, "pid",
	 0, NULL},
	{"nothing after comm", "42 (bash)\n", 0, SV_ERR_CORRUPT,
	 "no fields", 0, NULL},
	{"blank after comm", "42 (bash) \n", 0, SV_ERR_CORRUPT, "no state",
	 0, NULL},
	{"tab after comm", "42 (bash)\tS 1\n", 0, SV_ERR_CORRUPT, "no fields",
	 0, NULL},
	{"state a digit", "42 (bash) 5 1\n", 0, SV_ERR_CORRUPT, "state", 0,
	 NULL},
	{"state two letters", "42 (bash) SS 1\n", 0, SV_ERR_CORRUPT, "state",
	 0, NULL},
	{"field not a number", "42 (bash) S 1 42 42 0 -1 4194304 x1\n", 0,
	 SV_ERR_CORRUPT, "field 10", 0, NULL},
	{"ppid past u32", "42 (bash) S 4294967296 42\n", 0, SV_ERR_CORRUPT,
	 "field 4", 0, NULL},
	{"utime negative", "42 (bash) S 1 42 42 0 -1 1 0 0 0 0 -5\n", 0,
	 SV_ERR_CORRUPT, "field 14", 0, NULL},
	{"22 digits in an unkept field",
	 "42 (bash) S 1 42 42 0 -1 1000000000000000000000\n", 0,
	 SV_ERR_CORRUPT, "field 9", 0, NULL},
	{"CRLF", "42 (bash) S 1 42\r\n", 0, SV_ERR_CORRUPT, "field 5", 0,
	 NULL},
	{"cut after ppid", "42 (bash) S 1 42\n", 0, SV_WARN, "only 5 fields",
	 5, "bash"},
	{"cut, no newline", "42 (bash) S 1 4", 0, SV_WARN, "newline", 5,
	 "bash"},
	{"old kernel, 44 fields",
	 "42 (bash) S 1 42 42 0 -1 4194304 10 0 0 0 5 6 0 0 20 0 1 0 1234 "
	 "5000 77 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 "
	 "0\n", 0, SV_OK, NULL, 44, "bash"},
	{"newer kernel, 55 fields",
	 "42 (bash)" " S 1 42 42 0 -1 4194304 10 0 0 0 5 6 0 0 20 0 1 0 1234 "
	 "5000 77 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 "
	 "0 0 0 0 0 0 0 0 0 9 9 9\n", 0, SV_OK, NULL, 55, "bash"},
	{"empty comm", "42 ()" GOOD_TAIL, 0, SV_OK, NULL, 52, ""},
	{"comm of parens", "42 ())(()" GOOD_TAIL, 0, SV_OK, NULL, 52, "))(("},
	{"comm with NUL", "42 (a\0b)" GOOD_TAIL, 0, SV_OK, NULL, 52, "a"},
	{"comm past 256 bytes",
	 "42 (" "0123456789012345678901234567890123456789012345678901234567890"
	 "1234567890123456789012345678901234567890123456789012345678901234567"
	 "8901234567890123456789012345678901234567890123456789012345678901234"
	 "567890123456789012345678901234567890123456789012345678901234567890"
	 "12345678)" GOOD_TAIL, 0, SV_WARN, "cut at 256", 52, NULL},
};

START_TEST(stat_malformed)
{
	const struct bad_stat *t = &bad_stats[_i];
	struct pt_run *r = pt_new();
	size_t len = t->len ? t->len : strlen(t->text);

	if (!strcmp(t->name, "comm with NUL"))
		len = strlen("42 (a") + 1 + strlen("b)" GOOD_TAIL);
	pt_parse(r, &sv_fmt_proc_stat, STAT_PATH, t->text, len);
	ck_assert_msg(r->rc == t->rc, "%s: rc %d (%s)", t->name, r->rc,
		      r->err.msg);
	if (len == 0) {
		ck_assert_uint_eq(r->nrec, 0);
		ck_assert_int_ge(pt_problem(r, 0, t->what), 0);
		pt_free(r);
		return;
	}
	if (sv_is_error(t->rc)) {
		ck_assert_uint_eq(r->nrec, 0);
		ck_assert_msg(strstr(r->err.msg, t->what), "%s: error '%s'",
			      t->name, r->err.msg);
		if (t->rc == SV_ERR_CORRUPT)
			ck_assert_uint_eq(r->err.line, 1);
		pt_free(r);
		return;
	}
	if (t->what)
		ck_assert_msg(pt_problem(r, 1, t->what) >= 0,
			      "%s: problem '%s'", t->name,
			      r->nprob ? r->prob[0].msg : "");
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_uint_eq(r->rec[0].pid, 42);
	ck_assert_int_eq(r->rec[0].u.proc_stat.fields, t->fields);
	if (t->comm) {
		ck_assert_str_eq(r->rec[0].u.proc_stat.comm, t->comm);
	} else {
		ck_assert_uint_eq(strlen(r->rec[0].u.proc_stat.comm), 256);
		ck_assert(!strncmp(r->rec[0].u.proc_stat.comm, t->text + 4,
				   256));
	}
	if (t->fields < 39)
		ck_assert_int_eq(r->rec[0].u.proc_stat.processor, -1);
	pt_free(r);
}
END_TEST

START_TEST(stat_too_long)
{
	struct pt_run *r = pt_new();
	size_t n = 5000;
	char *text = malloc(n);

	ck_assert_ptr_nonnull(text);
	memset(text, '1', n);
	memcpy(text, "42 (x) S ", 9);
	ck_assert_int_eq(pt_parse(r, &sv_fmt_proc_stat, STAT_PATH, text, n),
			 SV_ERR_CORRUPT);
	ck_assert_ptr_nonnull(strstr(r->err.msg, "longer than 4096"));
	/* exactly 4096 bytes is still read */
	memcpy(text + 9, "1 2 3", 5);
	memset(text + 14, ' ', 4096 - 14);
	text[4095] = '\n';
	ck_assert_int_eq(pt_parse(r, &sv_fmt_proc_stat, STAT_PATH, text,
				  4096),
			 SV_WARN);
	ck_assert_int_eq(r->rec[0].u.proc_stat.fields, 6);
	free(text);
	pt_free(r);
}
END_TEST

/* A record callback that says stop is obeyed and passed up. */
START_TEST(stat_stop)
{
	struct pt_run *r = pt_new();

	r->stop_with = SV_ERR_LIMIT;
	r->stop_after = 1;
	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_stat, STAT_PATH,
				       "vm-python/stat"),
			 SV_ERR_LIMIT);
	r->stop_with = SV_ERR_LIMIT;
	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_status, STATUS_PATH,
				       "vm-python/status"),
			 SV_ERR_LIMIT);
	pt_free(r);
}
END_TEST

/* Paths outside the layout still parse; time and pid are unknown. */
START_TEST(stat_outside_layout)
{
	struct pt_run *r = pt_new();

	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_stat, "x/stat",
				       "vm-python/stat"),
			 SV_OK);
	ck_assert_int_eq(r->rec[0].ts_ns, SV_TIME_NONE);
	ck_assert_uint_eq(r->rec[0].pid, 0);
	ck_assert_uint_eq(r->rec[0].u.proc_stat.pid, 8317);
	pt_free(r);
}
END_TEST

/* ---- status: real files ---- */

struct real_status {
	const char *rel;
	const char *name;
	char state;
	uint32_t tgid, pid, ppid;
	int64_t uid0, uid3;
	int levels;
	uint32_t ns0, ns1;
	int64_t vm_peak, vm_rss, vm_hwm, threads;
	uint64_t cap_prm, cap_eff, cap_bnd;
	int64_t seccomp, nnp;
	enum sv_status rc;
};

static const struct real_status real_statuses[] = {
	{"vm-python/status", "python3", 'S', 8317, 8317, 1, 0, 0, 1, 8317, 0,
	 14284, 9860, 9860, 1, 0x1fffeffffffULL, 0x1fffeffffffULL,
	 0x1fffeffffffULL, 0, 0, SV_OK},
	/* a kernel thread has no Vm* lines */
	{"vm-kthreadd/status", "kthreadd", 'S', 2, 2, 0, 0, 0, 1, 2, 0, -1,
	 -1, -1, 1, 0x1ffffffffffULL, 0x1ffffffffffULL, 0x1ffffffffffULL, 0,
	 0, SV_OK},
	{"vm-kworker/status", "kworker/0:0H-events_highpri", 'I', 10, 10, 2,
	 0, 0, 1, 10, 0, -1, -1, -1, 1, 0x1ffffffffffULL, 0x1ffffffffffULL,
	 0x1ffffffffffULL, 0, 0, SV_OK},
	/* status escapes the '\n' the name holds */
	{"vm-oddcomm/status", "x) Z 1 (y\\nz", 'S', 9664, 9664, 9660, 0, 0, 1,
	 9664, 0, 14180, 9040, 9040, 1, 0x1fffeffffffULL, 0x1fffeffffffULL,
	 0x1fffeffffffULL, 0, 0, SV_OK},
	/* in a container: two pid namespaces, reduced caps, seccomp filter */
	{"web-incident/30651/status", "nc", 'S', 30651, 30651, 30646, 0, 0, 2,
	 30651, 45, 2268, 1396, 1396, 1, 0x800405fbULL, 0x800405fbULL,
	 0x800405fbULL, 2, 0, SV_OK},
	{"web-incident/30415/status", "sh", 'S', 30415, 30415, 30400, 0, 0, 2,
	 30415, 1, 2268, 1644, 1644, 1, 0x800405fbULL, 0x800405fbULL,
	 0x800405fbULL, 2, 0, SV_OK},
	/* an older kernel: no NoNewPrivs line; uids differ; the fixture
	 * starts with an empty line (reported) */
	{"procfs/26231/status", "prometheus", 'S', 26231, 26231, 1, 1000, 0,
	 1, 1, 0, 58472, 6716, 8028, 1, 0x3fffffffffULL, 0x3fffffffffULL,
	 0x3fffffffffULL, 0, -1, SV_WARN},
};

START_TEST(status_real)
{
	const struct real_status *t = &real_statuses[_i];
	struct pt_run *r = pt_new();
	const struct sv_proc_status *st = &r->rec[0].u.proc_status;

	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_status, STATUS_PATH,
				       t->rel),
			 t->rc);
	if (t->rc == SV_WARN)
		ck_assert_int_ge(pt_problem(r, 1, "Key: value"), 0);
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_int_eq(r->rec[0].type, SV_REC_PROC_STATUS);
	ck_assert_int_eq(r->rec[0].ts_ns, PT_T_NS);
	ck_assert_uint_eq(r->rec[0].pid, 42);
	ck_assert_str_eq(st->name, t->name);
	ck_assert_int_eq(st->state, t->state);
	ck_assert_uint_eq(st->tgid, t->tgid);
	ck_assert_uint_eq(st->pid, t->pid);
	ck_assert_uint_eq(st->ppid, t->ppid);
	ck_assert_uint_eq(st->tracer_pid, 0);
	ck_assert_int_eq(st->uid[0], t->uid0);
	ck_assert_int_eq(st->uid[3], t->uid3);
	ck_assert_int_ge(st->gid[0], 0);
	ck_assert_int_eq(st->ns_pid_levels, t->levels);
	ck_assert_uint_eq(st->ns_pid[0], t->ns0);
	ck_assert_uint_eq(st->ns_pid[1], t->ns1);
	ck_assert_int_eq(st->vm_peak_kb, t->vm_peak);
	ck_assert_int_eq(st->vm_rss_kb, t->vm_rss);
	ck_assert_int_eq(st->vm_hwm_kb, t->vm_hwm);
	ck_assert_int_eq(st->threads, t->threads);
	ck_assert_int_eq(st->has_caps, 1);
	ck_assert_uint_eq(st->cap_inh, 0);
	ck_assert_uint_eq(st->cap_prm, t->cap_prm);
	ck_assert_uint_eq(st->cap_eff, t->cap_eff);
	ck_assert_uint_eq(st->cap_bnd, t->cap_bnd);
	ck_assert_uint_eq(st->cap_amb, 0);
	ck_assert_int_eq(st->seccomp, t->seccomp);
	ck_assert_int_eq(st->no_new_privs, t->nnp);
	pt_free(r);
}
END_TEST

/* ---- status: malformed ---- */

enum field {
	F_NONE, F_NAME, F_UID0, F_UID3, F_LEVELS, F_NS7, F_RSS, F_CAPEFF,
	F_HASCAPS, F_SECCOMP, F_STATE, F_PID, F_THREADS
};

struct bad_status {
	const char *name;
	const char *text;
	enum sv_status rc;
	int line;          /* of the problem; -1 none */
	const char *what;
	enum field f;      /* one field to check */
	int64_t v;
	const char *s;     /* for F_NAME */
};

#define NM "Name:\tx\n"

static const struct bad_status bad_statuses[] = {
	{"empty", "", SV_WARN, 0, "exited", F_NONE, 0, NULL},
	{"no colon at all", "garbage\n\x01\x02\n", SV_ERR_CORRUPT, 1,
	 "Key: value", F_NONE, 0, NULL},
	{"only unknown keys", "Foo:\t1\nBar:\t2\n", SV_ERR_CORRUPT, -1,
	 "no known key", F_NONE, 0, NULL},
	{"no Name", "Pid:\t5\n", SV_WARN, 0, "no Name", F_PID, 5, NULL},
	{"Uid 3 values", NM "Uid:\t1\t2\t3\n", SV_WARN, 2, "Uid", F_UID0, -1,
	 NULL},
	{"Uid 5 values", NM "Uid:\t1\t2\t3\t4\t5\n", SV_WARN, 2, "Uid", F_UID3,
	 -1, NULL},
	{"Uid negative", NM "Uid:\t-1\t0\t0\t0\n", SV_WARN, 2, "Uid", F_UID0,
	 -1, NULL},
	{"Uid past u32", NM "Uid:\t4294967296\t0\t0\t0\n", SV_WARN, 2, "Uid",
	 F_UID0, -1, NULL},
	{"Uid max u32", NM "Uid:\t4294967295\t0\t0\t7\n", SV_OK, -1, NULL,
	 F_UID3, 7, NULL},
	{"NSpid 10 levels", NM "NSpid:\t1 2 3 4 5 6 7 8 9 10\n", SV_WARN, 2,
	 "more than 8", F_NS7, 8, NULL},
	{"NSpid 10 levels count", NM "NSpid:\t1 2 3 4 5 6 7 8 9 10\n",
	 SV_WARN, 2, "more than 8", F_LEVELS, 8, NULL},
	{"NSpid empty", NM "NSpid:\t\n", SV_WARN, 2, "NSpid", F_LEVELS, 0,
	 NULL},
	{"NSpid bad", NM "NSpid:\t5 x\n", SV_WARN, 2, "NSpid", F_LEVELS, 0,
	 NULL},
	{"VmRSS no unit", NM "VmRSS:\t123\n", SV_OK, -1, NULL, F_RSS, 123,
	 NULL},
	{"VmRSS in MB", NM "VmRSS:\t123 MB\n", SV_WARN, 2, "VmRSS", F_RSS, -1,
	 NULL},
	{"VmRSS not a number", NM "VmRSS:\tabc kB\n", SV_WARN, 2, "VmRSS",
	 F_RSS, -1, NULL},
	{"VmRSS extra", NM "VmRSS:\t1 kB 2\n", SV_WARN, 2, "VmRSS", F_RSS, -1,
	 NULL},
	{"VmRSS huge", NM "VmRSS:\t9223372036854775808 kB\n", SV_WARN, 2,
	 "VmRSS", F_RSS, -1, NULL},
	{"CapEff short hex", NM "CapEff:\t1f\n", SV_OK, -1, NULL, F_CAPEFF,
	 0x1f, NULL},
	{"CapEff 0x", NM "CapEff:\t0x1f\n", SV_WARN, 2, "CapEff", F_HASCAPS, 0,
	 NULL},
	{"CapEff 17 digits", NM "CapEff:\t00000000000000001\n", SV_WARN, 2,
	 "CapEff", F_HASCAPS, 0, NULL},
	{"Seccomp 3", NM "Seccomp:\t3\n", SV_OK, -1, NULL, F_SECCOMP, 3, NULL},
	{"Seccomp 256", NM "Seccomp:\t256\n", SV_WARN, 2, "Seccomp", F_SECCOMP,
	 -1, NULL},
	{"Seccomp negative", NM "Seccomp:\t-1\n", SV_WARN, 2, "Seccomp",
	 F_SECCOMP, -1, NULL},
	{"State digit", NM "State:\t5 (x)\n", SV_WARN, 2, "State", F_STATE, 0,
	 NULL},
	{"State empty", NM "State:\n", SV_WARN, 2, "State", F_STATE, 0, NULL},
	{"Pid two values", NM "Pid:\t42 43\n", SV_WARN, 2, "Pid", F_PID, 0,
	 NULL},
	{"Pid CRLF", NM "Pid:\t42\r\n", SV_WARN, 2, "Pid", F_PID, 0, NULL},
	{"Threads", NM "Threads:\t17\n", SV_OK, -1, NULL, F_THREADS, 17, NULL},
	{"Name twice", "Name:\tfirst\nName:\tsecond\n", SV_WARN, 2,
	 "second Name", F_NAME, 0, "first"},
	{"Name leading blanks", "Name:\t  x \n", SV_OK, -1, NULL, F_NAME, 0,
	 "  x "},
	{"Name without tab", "Name: y\n", SV_OK, -1, NULL, F_NAME, 0, "y"},
	{"Name empty", "Name:\n", SV_OK, -1, NULL, F_NAME, 0, ""},
	{"line without colon", NM "junk line\nPid:\t3\n", SV_WARN, 2,
	 "Key: value", F_PID, 3, NULL},
	{"last line unterminated", NM "Pid:\t3", SV_OK, -1, NULL, F_PID, 3,
	 NULL},
	{"cut in a value", NM "Pid:\t3\nUid:\t0\t0", SV_WARN, 3, "Uid", F_UID0,
	 -1, NULL},
};

static void check_field(const struct bad_status *t,
			const struct sv_proc_status *st)
{
	switch (t->f) {
	case F_NONE: break;
	case F_NAME: ck_assert_str_eq(st->name, t->s); break;
	case F_UID0: ck_assert_int_eq(st->uid[0], t->v); break;
	case F_UID3: ck_assert_int_eq(st->uid[3], t->v); break;
	case F_LEVELS: ck_assert_int_eq(st->ns_pid_levels, t->v); break;
	case F_NS7: ck_assert_int_eq(st->ns_pid[7], t->v); break;
	case F_RSS: ck_assert_int_eq(st->vm_rss_kb, t->v); break;
	case F_CAPEFF: ck_assert_int_eq((int64_t)st->cap_eff, t->v); break;
	case F_HASCAPS: ck_assert_int_eq(st->has_caps, t->v); break;
	case F_SECCOMP: ck_assert_int_eq(st->seccomp, t->v); break;
	case F_STATE: ck_assert_int_eq(st->state, t->v); break;
	case F_PID: ck_assert_int_eq(st->pid, t->v); break;
	case F_THREADS: ck_assert_int_eq(st->threads, t->v); break;
	}
}

START_TEST(status_malformed)
{
	const struct bad_status *t = &bad_statuses[_i];
	struct pt_run *r = pt_new();

	pt_parse_str(r, &sv_fmt_proc_status, STATUS_PATH, t->text);
	ck_assert_msg(r->rc == t->rc, "%s: rc %d", t->name, r->rc);
	if (t->line >= 0)
		ck_assert_msg(pt_problem(r, (uint64_t)t->line, t->what) >= 0,
			      "%s: no problem '%s' at %d (first: '%s')",
			      t->name, t->what, t->line,
			      r->nprob ? r->prob[0].msg : "");
	if (sv_is_error(t->rc) || !t->text[0]) {
		ck_assert_uint_eq(r->nrec, 0);
		if (t->line < 0)
			ck_assert_ptr_nonnull(strstr(r->err.msg, t->what));
	} else {
		ck_assert_uint_eq(r->nrec, 1);
		check_field(t, &r->rec[0].u.proc_status);
	}
	pt_free(r);
}
END_TEST

/* Long lines: an unknown key (Cpus_allowed_list of a big host) is
 * ignored silently, a known one is reported; a long Name is cut. */
START_TEST(status_long_lines)
{
	struct pt_run *r = pt_new();
	size_t cap = 20000;
	char *text = malloc(cap), *big = malloc(9001);

	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(big);
	memset(big, '7', 9000);
	big[9000] = '\0';
	snprintf(text, cap, "Name:\tx\nCpus_allowed_list:\t%s\nPid:\t5\n",
		 big);
	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_status, STATUS_PATH,
				      text),
			 SV_OK);
	ck_assert_uint_eq(r->rec[0].u.proc_status.pid, 5);
	snprintf(text, cap, "Name:\tx\nPid:\t%s\nPPid:\t5\n", big);
	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_status, STATUS_PATH,
				      text),
			 SV_WARN);
	ck_assert_int_ge(pt_problem(r, 2, "Pid line longer"), 0);
	ck_assert_uint_eq(r->rec[0].u.proc_status.ppid, 5);
	big[300] = '\0';
	snprintf(text, cap, "Name:\t%s\n", big);
	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_status, STATUS_PATH,
				      text),
			 SV_WARN);
	ck_assert_int_ge(pt_problem(r, 1, "Name cut at 256"), 0);
	ck_assert_uint_eq(strlen(r->rec[0].u.proc_status.name), 256);
	free(big);
	free(text);
	pt_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("proc_pid");
	TCase *tc = tcase_create("stat");

	tcase_add_loop_test(tc, probe_paths, 0, N(probe_cases));
	tcase_add_loop_test(tc, stat_real, 0, N(real_stats));
	tcase_add_loop_test(tc, stat_malformed, 0, N(bad_stats));
	tcase_add_test(tc, stat_too_long);
	tcase_add_test(tc, stat_stop);
	tcase_add_test(tc, stat_outside_layout);
	suite_add_tcase(s, tc);
	tc = tcase_create("status");
	tcase_add_loop_test(tc, status_real, 0, N(real_statuses));
	tcase_add_loop_test(tc, status_malformed, 0, N(bad_statuses));
	tcase_add_test(tc, status_long_lines);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
