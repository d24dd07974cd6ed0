/*
 * test_proc_host.c - sv_fmt_proc_host (proc/<T>/stat, proc/<T>/uptime),
 * sv_proc_start_ns, and the shared line reader and token helpers of
 * formats/sv_proc.c, on real files (data/proc/host) and on every
 * malformed shape we could think of.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_test.h"
#include "sv_proc.h"
#include "sv_time.h"

extern const struct sv_format_ops sv_fmt_proc_host;
extern const struct sv_format_ops sv_fmt_proc_stat;

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define STAT_PATH PT_T "/stat"
#define UPTIME_PATH PT_T "/uptime"
#define NONE (-2) /* no problem expected */

/* ---- probe ---- */

struct probe_case {
	const char *path;
	int score;
};

static const struct probe_case probe_cases[] = {
	{"proc/1764392000.250/stat", 100},
	{"proc/1764392000/uptime", 100},
	{"proc/1764392000/loadavg", 0},
	{"proc/1764392000/42/stat", 0},
	{"proc/1764392000/42/net/tcp", 0},
	{"proc/notatime/stat", 0},
	{"cgroup/1764392000/stat", 0},
	{"stat", 0},
};

START_TEST(probe_paths)
{
	const struct probe_case *t = &probe_cases[_i];

	ck_assert_int_eq(pt_probe(&sv_fmt_proc_host, t->path), t->score);
}
END_TEST

/* ---- real /proc/stat ---- */

struct real_stat {
	const char *rel;
	int64_t btime;
	uint64_t processes, running, blocked;
	uint64_t cpu[10];
};

static const struct real_stat real_stats[] = {
	/* this machine, kernel 6.18 */
	{"host/vm-stat", 1795934452, 74314, 4, 0,
	 {84686, 41, 67595, 1515819, 2024, 0, 1195, 0, 0, 0}},
	/* the web-incident sample bundle, same host */
	{"host/web-incident-stat", 1795934452, 30300, 1, 0,
	 {22447, 0, 22711, 1469691, 1142, 0, 502, 0, 0, 0}},
	/* prometheus/procfs fixture: a 132 KB intr line */
	{"host/procfs-stat", 1418183276, 26442, 2, 1,
	 {301854, 612, 111922, 8979004, 3552, 2, 3944, 0, 0, 0}},
};

static void check_stat(const struct pt_run *r, const struct real_stat *t)
{
	const struct sv_host_stat *hs = &r->rec[0].u.host_stat;
	int i;

	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_int_eq(r->rec[0].type, SV_REC_HOST_STAT);
	ck_assert_int_eq(r->rec[0].ts_ns, PT_T_NS);
	ck_assert_uint_eq(r->rec[0].pid, 0);
	ck_assert_int_eq(hs->btime_s, t->btime);
	ck_assert_uint_eq(hs->processes, t->processes);
	ck_assert_uint_eq(hs->procs_running, t->running);
	ck_assert_uint_eq(hs->procs_blocked, t->blocked);
	ck_assert_int_eq(hs->ncpu_fields, 10);
	for (i = 0; i < 10; i++)
		ck_assert_uint_eq(hs->cpu_ticks[i], t->cpu[i]);
}

START_TEST(stat_real)
{
	const struct real_stat *t = &real_stats[_i];
	struct pt_run *r = pt_new();

	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_host, STAT_PATH,
				       t->rel),
			 SV_OK);
	check_stat(r, t);
	pt_free(r);
}
END_TEST

/* The same files through a .tar.gz: lines and the intr line cross the
 * blocks libarchive hands out; the result must not change. */
START_TEST(stat_real_blocks)
{
	const struct real_stat *t = &real_stats[_i];
	struct pt_run *r = pt_new();
	size_t n, blocks;
	char *buf = pt_load(t->rel, &n);

	ck_assert_int_eq(pt_parse_bundle(r, &sv_fmt_proc_host, STAT_PATH, buf,
					 n, &blocks),
			 SV_OK);
	check_stat(r, t);
	if (n > 70000)
		ck_assert_uint_ge(blocks, 2);
	free(buf);
	pt_free(r);
}
END_TEST

/* ---- malformed /proc/stat ---- */

struct bad_stat {
	const char *name;
	const char *text;
	enum sv_status rc;
	int line;          /* of the expected problem, 0 = file, NONE */
	const char *what;  /* substring of the problem or error */
	int64_t btime;     /* when a record is emitted */
	int ncpu;
};

static const struct bad_stat bad_stats[] = {
	{"empty", "", SV_ERR_TRUNCATED, NONE, "empty", 0, 0},
	{"only newline", "\n", SV_ERR_CORRUPT, 1, "empty line", 0, 0},
	{"garbage", "\x01\x02\xff\xfe garbage\n\x7f", SV_ERR_CORRUPT, 1,
	 "not a", 0, 0},
	{"bad cpu value", "cpu 1 2 x 4\nbtime 5\n", SV_WARN, 1,
	 "cpu field 3", 5, 0},
	{"no btime", "cpu 1 2 3 4\n", SV_WARN, 0, "no btime", -1, 4},
	{"old kernel 4 cpu fields", "cpu 1 2 3 4\nbtime 7\n", SV_OK, NONE,
	 NULL, 7, 4},
	{"future kernel 12 cpu fields",
	 "cpu 1 2 3 4 5 6 7 8 9 10 11 12\nbtime 7\n", SV_OK, NONE, NULL, 7,
	 10},
	{"cpu without values", "cpu\nbtime 7\n", SV_WARN, 1, "without", 7,
	 0},
	{"cpu value overflow", "cpu 18446744073709551616\nbtime 7\n",
	 SV_WARN, 1, "cpu field 1", 7, 0},
	{"btime overflow", "cpu 1\nbtime 99999999999999999999\n", SV_WARN, 2,
	 "btime", -1, 1},
	{"btime past int64", "cpu 1\nbtime 9223372036854775808\n", SV_WARN,
	 2, "btime", -1, 1},
	{"btime negative", "cpu 1\nbtime -5\n", SV_WARN, 2, "btime", -1, 1},
	{"btime two values", "cpu 1\nbtime 5 6\n", SV_WARN, 2, "btime", -1,
	 1},
	{"btime no value", "cpu 1\nbtime\n", SV_WARN, 2, "btime", -1, 1},
	{"btime twice", "btime 5\nbtime 6\n", SV_WARN, 2, "second btime", 5,
	 0},
	{"btime CRLF", "btime 5\r\n", SV_ERR_CORRUPT, 1, "btime", 0, 0},
	{"unknown keys ignored", "ctxt 5\nfoo_bar 1 -2 3\nbtime 9\n", SV_OK,
	 NONE, NULL, 9, 0},
	{"unknown malformed", "hello world\nbtime 9\n", SV_WARN, 1,
	 "not a '<key> <numbers>' line", 9, 0},
	{"leading blank", " btime 9\nbtime 8\n", SV_WARN, 1,
	 "does not start with a key", 8, 0},
	{"empty line inside", "btime 9\n\nprocesses 3\n", SV_WARN, 2,
	 "empty line", 9, 0},
	{"NUL in a line", "btime 9\nprocs\0_running 3\n", SV_WARN, 2, "not a",
	 9, 0},
	{"last line unterminated", "cpu 1 2\nbtime 17", SV_OK, NONE, NULL, 17,
	 2},
	{"cut inside the btime line", "cpu 1 2\nbti", SV_WARN, 0, "no btime",
	 -1, 2},
	{"tab separated", "btime\t9\ncpu\t1\t2\n", SV_OK, NONE, NULL, 9, 2},
};

START_TEST(stat_malformed)
{
	const struct bad_stat *t = &bad_stats[_i];
	struct pt_run *r = pt_new();
	size_t len = strlen(t->text);

	if (!strcmp(t->name, "NUL in a line"))
		len = 25; /* "btime 9\n" "procs" NUL "_running 3\n" */
	pt_parse(r, &sv_fmt_proc_host, STAT_PATH, t->text, len);
	ck_assert_msg(r->rc == t->rc, "%s: rc %d", t->name, r->rc);
	if (t->line != NONE && !sv_is_error(t->rc))
		ck_assert_msg(pt_problem(r, (uint64_t)t->line, t->what) >= 0,
			      "%s: no problem '%s' at line %d (%zu problems,"
			      " first '%s')", t->name, t->what, t->line,
			      r->nprob, r->nprob ? r->prob[0].msg : "");
	if (sv_is_error(t->rc)) {
		ck_assert_uint_eq(r->nrec, 0);
		pt_free(r);
		return;
	}
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_int_eq(r->rec[0].u.host_stat.btime_s, t->btime);
	ck_assert_int_eq(r->rec[0].u.host_stat.ncpu_fields, t->ncpu);
	pt_free(r);
}
END_TEST

/* A rejected value leaves the field as it was (never half-parsed). */
START_TEST(stat_rejected_values)
{
	struct pt_run *r = pt_new();

	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_host, STAT_PATH,
				      "processes 12x\nprocs_running 3 4\n"
				      "procs_blocked 5\nbtime 1\n"),
			 SV_WARN);
	ck_assert_int_ge(pt_problem(r, 1, "processes"), 0);
	ck_assert_int_ge(pt_problem(r, 2, "procs_running"), 0);
	ck_assert_uint_eq(r->rec[0].u.host_stat.processes, 0);
	ck_assert_uint_eq(r->rec[0].u.host_stat.procs_running, 0);
	ck_assert_uint_eq(r->rec[0].u.host_stat.procs_blocked, 5);
	pt_free(r);
}
END_TEST

/* Text of n bytes: "intr 1 2 3 ..." (no newline). */
static char *intr_line(size_t n)
{
	char *s = malloc(n + 1);
	size_t i;

	ck_assert_ptr_nonnull(s);
	memcpy(s, "intr", 4);
	for (i = 4; i < n; i++)
		s[i] = i % 2 ? '7' : ' ';
	s[n] = '\0';
	return s;
}

/* A huge intr / softirq line costs nothing and says nothing; a huge
 * known line is reported. Both in memory and across bundle blocks. */
START_TEST(stat_long_lines)
{
	struct pt_run *r = pt_new();
	char *intr = intr_line(300000);
	size_t cap = 700000, blocks = 0;
	char *text = malloc(cap);

	ck_assert_ptr_nonnull(text);
	snprintf(text, cap, "cpu  1 2 3 4 5 6 7 8 9 10\n%s\nbtime 42\n"
		 "processes 9\nsoftirq%s\n", intr, intr + 4);
	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_host, STAT_PATH, text),
			 SV_OK);
	ck_assert_int_eq(r->rec[0].u.host_stat.btime_s, 42);
	ck_assert_uint_eq(r->rec[0].u.host_stat.processes, 9);
	ck_assert_int_eq(pt_parse_bundle(r, &sv_fmt_proc_host, STAT_PATH,
					 text, strlen(text), &blocks),
			 SV_OK);
	ck_assert_uint_ge(blocks, 3);
	ck_assert_int_eq(r->rec[0].u.host_stat.btime_s, 42);
	/* the same length on the cpu line is a problem */
	memcpy(intr, "cpu ", 4);
	snprintf(text, cap, "%s\nbtime 42\n", intr);
	ck_assert_int_eq(pt_parse_str(r, &sv_fmt_proc_host, STAT_PATH, text),
			 SV_WARN);
	ck_assert_int_ge(pt_problem(r, 1, "cpu line longer"), 0);
	ck_assert_int_eq(r->rec[0].u.host_stat.ncpu_fields, 0);
	free(text);
	free(intr);
	pt_free(r);
}
END_TEST

/* ---- /proc/uptime ---- */

struct uptime_case {
	const char *name;
	const char *text;
	enum sv_status rc;
	double up, idle;
};

static const struct uptime_case uptime_cases[] = {
	{"kernel format", "8371.15 15158.19\n", SV_OK, 8371.15, 15158.19},
	{"no decimals", "12 34\n", SV_OK, 12, 34},
	{"nine decimals", "1.123456789 2.5\n", SV_OK, 1.123456789, 2.5},
	{"no newline", "12.50 7.25", SV_OK, 12.5, 7.25},
	{"zero", "0.00 0.00\n", SV_OK, 0, 0},
	{"empty", "", SV_ERR_TRUNCATED, 0, 0},
	{"letters", "abc def\n", SV_ERR_CORRUPT, 0, 0},
	{"negative", "-1.00 2.00\n", SV_ERR_CORRUPT, 0, 0},
	{"dot without digits", "12. 3\n", SV_ERR_CORRUPT, 0, 0},
	{"ten decimals", "1.1234567891 2\n", SV_ERR_CORRUPT, 0, 0},
	{"huge", "99999999999999999999.00 1.00\n", SV_ERR_CORRUPT, 0, 0},
	{"leading blank", " 1.00 2.00\n", SV_ERR_CORRUPT, 0, 0},
	{"idle missing", "12.50\n", SV_WARN, 12.5, -1},
	{"idle missing no newline", "12.50", SV_WARN, 12.5, -1},
	{"idle bad", "12.50 x\n", SV_WARN, 12.5, -1},
	{"two blanks", "12.50  7.25\n", SV_WARN, 12.5, -1},
	{"trailing bytes", "12.50 7.25 9\n", SV_WARN, 12.5, 7.25},
	{"second line", "12.50 7.25\n1.00 2.00\n", SV_WARN, 12.5, 7.25},
	{"binary", "\x00\x01\x02", SV_ERR_CORRUPT, 0, 0},
};

START_TEST(uptime_values)
{
	const struct uptime_case *t = &uptime_cases[_i];
	struct pt_run *r = pt_new();
	size_t len = strcmp(t->name, "binary") ? strlen(t->text) : 3;

	pt_parse(r, &sv_fmt_proc_host, UPTIME_PATH, t->text, len);
	ck_assert_msg(r->rc == t->rc, "%s: rc %d", t->name, r->rc);
	if (sv_is_error(t->rc)) {
		ck_assert_uint_eq(r->nrec, 0);
		if (t->rc == SV_ERR_CORRUPT)
			ck_assert_uint_eq(r->err.line, 1);
		pt_free(r);
		return;
	}
	ck_assert_uint_eq(r->nrec, 1);
	ck_assert_int_eq(r->rec[0].type, SV_REC_HOST_UPTIME);
	ck_assert_int_eq(r->rec[0].ts_ns, PT_T_NS);
	ck_assert_uint_eq(r->rec[0].line, 1);
	ck_assert_double_eq_tol(r->rec[0].u.host_uptime.uptime_s, t->up,
				1e-9);
	ck_assert_double_eq_tol(r->rec[0].u.host_uptime.idle_s, t->idle,
				1e-9);
	if (t->rc == SV_WARN)
		ck_assert_int_ge(pt_problem(r, 1, ""), 0);
	pt_free(r);
}
END_TEST

START_TEST(uptime_real)
{
	struct pt_run *r = pt_new();

	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_host,
				       "proc/1795942046.700/uptime",
				       "host/web-incident-uptime"),
			 SV_OK);
	ck_assert_int_eq(r->rec[0].ts_ns, 1795942046700000000LL);
	ck_assert_double_eq_tol(r->rec[0].u.host_uptime.uptime_s, 7594.54,
				1e-9);
	ck_assert_double_eq_tol(r->rec[0].u.host_uptime.idle_s, 14696.91,
				1e-9);
	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_host, UPTIME_PATH,
				       "host/vm-uptime"),
			 SV_OK);
	ck_assert_double_eq_tol(r->rec[0].u.host_uptime.uptime_s, 8371.15,
				1e-9);
	pt_free(r);
}
END_TEST

/* ---- sv_proc_start_ns ---- */

struct start_case {
	uint64_t ticks;
	int64_t btime, hz, want;
};

static const struct start_case start_cases[] = {
	{0, 0, 100, 0},
	{760202, 1795934452, 100, 1795942054020000000LL},
	{1, 0, 3, 333333333},
	{2, 0, 3, 666666666},
	{5, 0, 1000000000, 5},
	{123456789, 1000, 1, 1000000000LL * (1000 + 123456789)},
	{0, 9223372036LL, 100, 9223372036000000000LL},
	{85, 9223372036LL, 100, 9223372036850000000LL},
	{86, 9223372036LL, 100, SV_TIME_NONE},
	{100, 9223372036LL, 100, SV_TIME_NONE},
	{0, 9223372037LL, 100, SV_TIME_NONE},
	{UINT64_MAX, 0, 100, SV_TIME_NONE},
	{UINT64_MAX, 0, 1000000000, SV_TIME_NONE},
	{10, 0, 0, SV_TIME_NONE},
	{10, 0, -100, SV_TIME_NONE},
	{10, -1, 100, SV_TIME_NONE},
	{10, INT64_MIN, 100, SV_TIME_NONE},
	{10, 0, 1000000001, SV_TIME_NONE},
	{10, 0, INT64_MAX, SV_TIME_NONE},
};

START_TEST(start_ns)
{
	const struct start_case *t = &start_cases[_i];

	ck_assert_int_eq(sv_proc_start_ns(t->ticks, t->btime, t->hz),
			 t->want);
}
END_TEST

/* End to end on the web-incident sample: the reverse shell's nc
 * (pid 30651) started 7602.02 s after boot (clk_tck 100 per its
 * manifest), 8.7 s before the snapshot that saw it. */
START_TEST(start_ns_real)
{
	struct pt_run *r = pt_new();
	int64_t btime, t;
	uint64_t ticks;

	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_host,
				       "proc/1795942046.700/stat",
				       "host/web-incident-stat"),
			 SV_OK);
	btime = r->rec[0].u.host_stat.btime_s;
	ck_assert_int_eq(pt_parse_file(r, &sv_fmt_proc_stat,
				       "proc/1795942062.718/30651/stat",
				       "web-incident/30651/stat"),
			 SV_OK);
	ticks = r->rec[0].u.proc_stat.starttime;
	ck_assert_uint_eq(ticks, 760202);
	t = sv_proc_start_ns(ticks, btime, 100);
	ck_assert_int_eq(t, 1795942054020000000LL);
	ck_assert_int_lt(t, r->rec[0].ts_ns);
	ck_assert_int_gt(t, r->rec[0].ts_ns - 10 * SV_NS_PER_SEC);
	pt_free(r);
}
END_TEST

/* ---- sv_boot_to_wall_ns (dmesg times) ---- */

static const struct {
	int64_t boot_ns, boot_time_ns, want;
} boot_cases[] = {
	/* the sample's OOM kill: 7611.283424 s after a boot at btime */
	{7611283424000LL, 1795934452000000000LL, 1795942063283424000LL},
	{0, 0, 0},
	{1, INT64_MAX - 1, INT64_MAX},
	{2, INT64_MAX - 1, SV_TIME_NONE},
	{SV_TIME_NONE, 0, SV_TIME_NONE},
	{0, SV_TIME_NONE, SV_TIME_NONE},
	{-1, 0, SV_TIME_NONE},
	{0, -1, SV_TIME_NONE},
};

START_TEST(boot_to_wall)
{
	ck_assert_int_eq(sv_boot_to_wall_ns(boot_cases[_i].boot_ns,
					    boot_cases[_i].boot_time_ns),
			 boot_cases[_i].want);
}
END_TEST

/* ---- the line reader ---- */

struct line_want {
	const char *text;
	int cut;
};

/* max_len 8 over "abcdefgh\nabcdefghi\n\nx" */
static const struct line_want lines_want[] = {
	{"abcdefgh", 0}, {"abcdefgh", 1}, {"", 0}, {"x", 0},
};

static void check_lines(struct sv_source *src)
{
	char buf[8];
	struct sv_proc_lines l;
	struct sv_span line;
	struct sv_error err;
	int cut, i;

	sv_proc_lines_init(&l, src, buf, sizeof(buf));
	for (i = 0; i < N(lines_want); i++) {
		ck_assert_int_eq(sv_proc_lines_next(&l, &line, &cut, &err),
				 SV_OK);
		ck_assert_uint_eq(line.n, strlen(lines_want[i].text));
		ck_assert(memcmp(line.p, lines_want[i].text, line.n) == 0);
		ck_assert_int_eq(cut, lines_want[i].cut);
		ck_assert_uint_eq(l.lineno, (uint64_t)i + 1);
	}
	ck_assert_int_eq(l.unterminated, 1);
	ck_assert_int_eq(sv_proc_lines_next(&l, &line, &cut, &err), SV_EOF);
	ck_assert_int_eq(sv_proc_lines_next(&l, &line, &cut, &err), SV_EOF);
}

START_TEST(lines_cut_and_count)
{
	static const char text[] = "abcdefgh\nabcdefghi\n\nx";
	struct sv_source src;
	char *copy = malloc(sizeof(text) - 1);

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, sizeof(text) - 1);
	sv_source_init_memory(&src, "t", copy, sizeof(text) - 1);
	check_lines(&src);
	free(copy);
}
END_TEST

START_TEST(lines_empty_source)
{
	struct sv_source src;
	char buf[4];
	struct sv_proc_lines l;
	struct sv_span line;
	struct sv_error err;
	int cut;

	sv_source_init_memory(&src, "t", "", 0);
	sv_proc_lines_init(&l, &src, buf, sizeof(buf));
	ck_assert_int_eq(sv_proc_lines_next(&l, &line, &cut, &err), SV_EOF);
	ck_assert_uint_eq(l.lineno, 0);
}
END_TEST

/* 40000 numbered lines through a .tar.gz: every line that crosses a
 * block boundary comes back whole (checked through the fd reader, which
 * needs each number and inode intact). */
extern const struct sv_format_ops sv_fmt_proc_fd;

static void sequence_hook(void *ctx, const struct sv_record *rec)
{
	uint64_t *next = ctx;

	ck_assert_uint_eq(rec->u.proc_fd.fd, *next);
	ck_assert_uint_eq(rec->u.proc_fd.inode, *next * 7919 + 1);
	ck_assert_uint_eq(rec->line, *next + 1);
	(*next)++;
}

START_TEST(lines_across_blocks)
{
	struct pt_run *r = pt_new();
	size_t cap = 40000 * 40, len = 0, blocks = 0, i;
	char *text = malloc(cap);
	uint64_t next = 0;

	ck_assert_ptr_nonnull(text);
	for (i = 0; i < 40000; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"%zu socket:[%zu]\n", i, i * 7919 + 1);
	r->hook = sequence_hook;
	r->hook_ctx = &next;
	ck_assert_int_eq(pt_parse_bundle(r, &sv_fmt_proc_fd,
					 PT_T "/42/fd.links", text, len,
					 &blocks),
			 SV_OK);
	ck_assert_uint_ge(blocks, 10);
	ck_assert_uint_eq(r->nrec, 40000);
	ck_assert_uint_eq(next, 40000);
	free(text);
	pt_free(r);
}
END_TEST

START_TEST(read_head_bounds)
{
	struct sv_arena *a = sv_arena_new(0);
	struct sv_source src;
	struct sv_error err;
	char *out;
	size_t n;
	int more;

	sv_source_init_memory(&src, "t", "abcdef", 6);
	ck_assert_int_eq(sv_proc_read_head(&src, a, 6, &out, &n, &more, &err),
			 SV_OK);
	ck_assert_str_eq(out, "abcdef");
	ck_assert_int_eq(more, 0);
	sv_source_init_memory(&src, "t", "abcdefg", 7);
	ck_assert_int_eq(sv_proc_read_head(&src, a, 6, &out, &n, &more, &err),
			 SV_OK);
	ck_assert_str_eq(out, "abcdef");
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(more, 1);
	sv_source_init_memory(&src, "t", "", 0);
	ck_assert_int_eq(sv_proc_read_head(&src, a, 6, &out, &n, &more, &err),
			 SV_OK);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(more, 0);
	sv_arena_fail_after(a, 1);
	sv_source_init_memory(&src, "t", "x", 1);
	ck_assert_int_eq(sv_proc_read_head(&src, a, 6, &out, &n, &more, &err),
			 SV_ERR_NOMEM);
	sv_arena_free(a);
}
END_TEST

/* ---- token helpers ---- */

struct span_case {
	const char *s;
	int u64_ok, i64_ok, hex_ok;
	uint64_t u;
	int64_t i;
	uint64_t h;
};

static const struct span_case span_cases[] = {
	{"0", 1, 1, 1, 0, 0, 0},
	{"42", 1, 1, 1, 42, 42, 0x42},
	{"-1", 0, 1, 0, 0, -1, 0},
	{"18446744073709551615", 1, 0, 0, UINT64_MAX, 0, 0},
	{"18446744073709551616", 0, 0, 0, 0, 0, 0},
	{"9223372036854775807", 1, 1, 0, INT64_MAX, INT64_MAX, 0},
	{"-9223372036854775808", 0, 1, 0, 0, INT64_MIN, 0},
	{"-9223372036854775809", 0, 0, 0, 0, 0, 0},
	{"ffffffffffffffff", 0, 0, 1, 0, 0, UINT64_MAX},
	{"FFFFFFFFFFFFFFFF0", 0, 0, 0, 0, 0, 0},
	{"0000003fffffffff", 0, 0, 1, 0, 0, 0x3fffffffffULL},
	{"", 0, 0, 0, 0, 0, 0},
	{"-", 0, 0, 0, 0, 0, 0},
	{"1 ", 0, 0, 0, 0, 0, 0},
	{" 1", 0, 0, 0, 0, 0, 0},
	{"0x10", 0, 0, 0, 0, 0, 0},
	{"12a", 0, 0, 1, 0, 0, 0x12a},
};

START_TEST(span_numbers)
{
	const struct span_case *t = &span_cases[_i];
	struct sv_span s = {t->s, strlen(t->s)};
	uint64_t u = 7, h = 7;
	int64_t i = 7;

	ck_assert_int_eq(sv_proc_span_u64(s, UINT64_MAX, &u) == 0, t->u64_ok);
	ck_assert_int_eq(sv_proc_span_i64(s, &i) == 0, t->i64_ok);
	ck_assert_int_eq(sv_proc_span_hex(s, &h) == 0, t->hex_ok);
	if (t->u64_ok)
		ck_assert_uint_eq(u, t->u);
	if (t->i64_ok)
		ck_assert_int_eq(i, t->i);
	if (t->hex_ok)
		ck_assert_uint_eq(h, t->h);
}
END_TEST

struct bracket_case {
	const char *s;
	int ok;
	const char *name;
	uint64_t inode;
};

static const struct bracket_case bracket_cases[] = {
	{"net:[4026531993]", 1, "net", 4026531993ULL},
	{"socket:[83174]", 1, "socket", 83174},
	{"pipe:[0]", 1, "pipe", 0},
	{"anon_inode:[eventfd]", 0, NULL, 0},
	{"net:[]", 0, NULL, 0},
	{":[5]", 0, NULL, 0},
	{"net:[5", 0, NULL, 0},
	{"net:5]", 0, NULL, 0},
	{"net[5]", 0, NULL, 0},
	{"net:[5]x", 0, NULL, 0},
	{"net:[-5]", 0, NULL, 0},
	{"net:[99999999999999999999]", 0, NULL, 0},
	{"", 0, NULL, 0},
	{"a:[1]:[2]", 0, NULL, 0},
};

START_TEST(bracket_inode)
{
	const struct bracket_case *t = &bracket_cases[_i];
	struct sv_span s = {t->s, strlen(t->s)}, name = {NULL, 0};
	uint64_t inode = 0;
	int rc = sv_proc_bracket_inode(s, &name, &inode);

	ck_assert_int_eq(rc == 0, t->ok);
	if (t->ok) {
		ck_assert(sv_span_eq(name, t->name));
		ck_assert_uint_eq(inode, t->inode);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("proc_host");
	TCase *tc = tcase_create("host");

	tcase_add_loop_test(tc, probe_paths, 0, N(probe_cases));
	tcase_add_loop_test(tc, stat_real, 0, N(real_stats));
	tcase_add_loop_test(tc, stat_real_blocks, 0, N(real_stats));
	tcase_add_loop_test(tc, stat_malformed, 0, N(bad_stats));
	tcase_add_test(tc, stat_rejected_values);
	tcase_add_test(tc, stat_long_lines);
	tcase_add_loop_test(tc, uptime_values, 0, N(uptime_cases));
	tcase_add_test(tc, uptime_real);
	suite_add_tcase(s, tc);
	tc = tcase_create("helpers");
	tcase_add_loop_test(tc, start_ns, 0, N(start_cases));
	tcase_add_test(tc, start_ns_real);
	tcase_add_loop_test(tc, boot_to_wall, 0, N(boot_cases));
	tcase_add_test(tc, lines_cut_and_count);
	tcase_add_test(tc, lines_empty_source);
	tcase_add_test(tc, lines_across_blocks);
	tcase_add_test(tc, read_head_bounds);
	tcase_add_loop_test(tc, span_numbers, 0, N(span_cases));
	tcase_add_loop_test(tc, bracket_inode, 0, N(bracket_cases));
	tcase_set_timeout(tc, 60);
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
