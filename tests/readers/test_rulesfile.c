/*
 * test_rulesfile.c - formats/sv_rulesfile (the rules file parser) and
 * models/sv_userrules (evaluation, [tune], [allow]).
 *
 *  - every ```salvage-rules block of docs/rules.md parses, and its
 *    ```salvage-rules-bad example gives exactly the messages the doc
 *    shows (so the documentation cannot rot); samples/rules.example
 *    parses;
 *  - the parser's list of event kinds is analyzer/sv_event.h's;
 *  - each kind of error, alone in a file, gives one error on its line;
 *    several errors are all listed, in line order, capped at 50;
 *  - values come out as written (ports, networks, comparisons, names);
 *  - end to end on the real podman samples (samples/README.md):
 *    sv_pipeline_run, then the rules, on web-incident.tar.zst; nothing
 *    on web-clean.tar.zst; DNS rules on a folder bundle made of the real
 *    capture data/pcap/zeek_dns_tm1t.pcap and on samples/detect.
 *
 * Expected values, each from the bundle's own files (unpacked with
 * tar --zstd -xf samples/web-incident.tar.zst), not from salvage:
 *  - processes named xmrig: grep -lx xmrig proc/ * /NNN/comm (one
 *    pattern, the blanks aside) gives pids 12147, 12150 and 12151, every
 *    one in web's cgroup (libpod-49812af6ca92...); a process rule reads
 *    the latest values the snapshots showed (sv_procs.h), and the last
 *    snapshot of each (ls -d proc/ * /PID | tail -1) shows comm xmrig and
 *    cmdline "/bin/sh /tmp/xmrig" for 12147 and 12150, but "sleep" and
 *    "sleep 6" for 12151 (the miner's child exec'd sleep);
 *  - the flow to port 4444: tshark -r pcap/web-incident.pcap -q -z
 *    conv,tcp lists one conversation with port 4444,
 *    10.89.77.10:41184 <-> 10.89.77.1:4444, opened by web's sh (pid
 *    11832: test_attrib.c and test_rules.c);
 *  - its IP bytes: tshark -r pcap/web-incident.pcap -Y "tcp.port==4444
 *    && ip.src==10.89.77.10" -T fields -e sll.ifindex -e ip.len, summed
 *    per interface: 637 on each of ifindex 54 and 55 (the bridge and the
 *    veth carry one copy each); with ip.dst==10.89.77.10: 463 each;
 *  - DNS: tshark -r pcap/web-incident.pcap -Y dns prints nothing (the
 *    bridge was made with --disable-dns);
 *  - the exec: grep -n '"Status":"exec"' events/podman.jsonl gives line
 *    7, container web; the process it ran: proc/ * /11654/stat shows
 *    (sleep) with ppid 11633, whose comm is conmon (outside the
 *    container), cmdline "sleep 2", cgroup libpod-49812af6ca92... (web).
 * For zeek_dns_tm1t.pcap: tshark -r F -T fields -e frame.number -e
 * ip.src -e dns.flags.response -e dns.qry.name -e dns.qry.type gives
 * queries zeek.org AAAA (frame 1) and A (frame 3) from 172.17.0.2, both
 * from port 36844 (one UDP flow), and their answers.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sv_pipeline.h"
#include "sv_rulesfile.h"
#include "sv_text.h"
#include "sv_userrules.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static struct sv_rulesfile_errors errs; /* 33 KB: not on the stack */

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	ck_assert_int_ge(len, 0);
	rewind(f);
	buf = malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static void dump_errors(void)
{
	char line[1024];
	uint32_t i;

	for (i = 0; i < errs.n; i++) {
		sv_error_format(&errs.e[i], line, sizeof(line));
		fprintf(stderr, "  %s\n", line);
	}
}

static const struct sv_rulespec_set *parse_ok(struct sv_arena *a,
					      const char *text)
{
	const struct sv_rulespec_set *set = NULL;
	enum sv_status rc = sv_rulesfile_parse(text, strlen(text), "t.rules",
					       a, &set, &errs);

	if (rc != SV_OK)
		dump_errors();
	ck_assert_int_eq(rc, SV_OK);
	ck_assert_ptr_nonnull(set);
	return set;
}

/* ---- the documentation ---- */

/* The next fenced block tagged exactly `tag` after *p: its body (a
 * malloc'd copy) or NULL. */
static char *next_block(const char **p, const char *tag)
{
	char fence[64];
	const char *s, *body, *end;
	char *out;

	snprintf(fence, sizeof(fence), "\n```%s\n", tag);
	s = strstr(*p, fence);
	if (!s)
		return NULL;
	body = s + strlen(fence);
	end = strstr(body, "\n```\n");
	ck_assert_ptr_nonnull(end);
	out = strndup(body, (size_t)(end - body) + 1);
	ck_assert_ptr_nonnull(out);
	*p = end + 4;
	return out;
}

START_TEST(docs_examples_parse)
{
	struct sv_arena *a = sv_arena_new(0);
	size_t n;
	char *doc = slurp(SV_SOURCE "/docs/rules.md", &n), *b;
	const char *p = doc;
	int blocks = 0;

	while ((b = next_block(&p, "salvage-rules")) != NULL) {
		const struct sv_rulespec_set *set = parse_ok(a, b);

		ck_assert_uint_gt(set->n_rules + set->n_tunes +
				  set->n_allows, 0);
		free(b);
		blocks++;
	}
	/* the first file, process, flow, dns, event, tune, allow */
	ck_assert_int_ge(blocks, 7);
	free(doc);
	sv_arena_free(a);
}
END_TEST

/* The bad example and the messages the doc says it gives, line by line. */
START_TEST(docs_error_example)
{
	struct sv_arena *a = sv_arena_new(0);
	const struct sv_rulespec_set *set = NULL;
	size_t n;
	char *doc = slurp(SV_SOURCE "/docs/rules.md", &n), *bad, *want;
	const char *p = doc;
	char got[1024], *line, *nl;
	uint32_t i = 0;

	bad = next_block(&p, "salvage-rules-bad");
	ck_assert_ptr_nonnull(bad);
	want = next_block(&p, "text");
	ck_assert_ptr_nonnull(want);
	ck_assert_int_eq(sv_rulesfile_parse(bad, strlen(bad), "rules.bad", a,
					    &set, &errs), SV_ERR_USAGE);
	ck_assert_ptr_null(set);
	for (line = want; *line; line = nl + 1, i++) {
		nl = strchr(line, '\n');
		ck_assert_ptr_nonnull(nl);
		*nl = '\0';
		ck_assert_uint_lt(i, errs.n);
		sv_error_format(&errs.e[i], got, sizeof(got));
		ck_assert_str_eq(got, line);
	}
	ck_assert_uint_eq(i, errs.n);
	ck_assert_uint_eq(errs.total, errs.n);
	free(bad);
	free(want);
	free(doc);
	sv_arena_free(a);
}
END_TEST

START_TEST(example_file_loads)
{
	struct sv_arena *a = sv_arena_new(0);
	const struct sv_rulespec_set *set = NULL;
	enum sv_status rc;

	rc = sv_rulesfile_load(SV_SOURCE "/samples/rules.example", a, &set,
			       &errs);
	if (rc != SV_OK)
		dump_errors();
	ck_assert_int_eq(rc, SV_OK);
	ck_assert_uint_ge(set->n_rules, 4);
	ck_assert_uint_ge(set->n_tunes, 1);
	ck_assert_uint_ge(set->n_allows, 1);
	sv_arena_free(a);
}
END_TEST

/* Every SV_EV_* kind of sv_event.h is one the parser accepts, and the
 * parser knows no other. */
START_TEST(event_kinds_match_header)
{
	size_t n;
	char *h = slurp(SV_SOURCE "/analyzer/sv_event.h", &n);
	const char *p = h, *q, *e;
	int found = 0, listed = 0, i;

	while ((q = strstr(p, "#define SV_EV_")) != NULL) {
		char kind[64];
		int known = 0;

		q = strchr(q, '"');
		e = q ? strchr(q + 1, '"') : NULL;
		ck_assert(q && e && e - q < (long)sizeof(kind));
		snprintf(kind, sizeof(kind), "%.*s", (int)(e - q - 1), q + 1);
		for (i = 0; sv_rulesfile_event_kinds[i]; i++)
			known |= !strcmp(kind, sv_rulesfile_event_kinds[i]);
		ck_assert_msg(known, "kind %s missing from the parser", kind);
		found++;
		p = e;
	}
	for (i = 0; sv_rulesfile_event_kinds[i]; i++)
		listed++;
	ck_assert_int_eq(found, listed);
	ck_assert_int_ge(found, 30);
	free(h);
}
END_TEST

/* ---- errors ---- */

#define V "salvage-rules 1\n"
/* A valid rule: its header is line 2, its condition line 6. */
#define RULE(id, match, cond) "[rule " id "]\ntitle = t\nseverity = low\n" \
	"match = " match "\n" cond "\n"

static const struct bad_case {
	const char *text;
	uint64_t line;
	const char *needle;
} bad[] = {
	{V "[rules x]\n", 2, "is not a section header"},
	{V "[allow] x\nrule = *\n", 2, "is not a section header"},
	{V "[rule -x]\n", 2, "column 7: bad id '-x'"},
	{V "[rule x_y]\n", 2, "column 8: bad id 'x_y'"},
	{V "[rule]\n", 2, "is not a section header"},
	{V RULE("x", "process", "program = a") "foo = 1\n", 7,
	 "unknown key 'foo'"},
	{V RULE("x", "process", "program = a") RULE("x", "event",
	 "kind = k8s.*"), 7, "rule 'x' is defined twice (first on line 2)"},
	{V "[rule x]\ntitle = t\nseverity = hgih\nmatch = dns\nname = a\n", 4,
	 "column 12: severity 'hgih' is not one of: info, low, medium, high,"
	 " critical"},
	{V RULE("x", "process", "program = sh [ab"), 6,
	 "column 14: program '[ab' has a '[' without its ']'"},
	{V RULE("x", "process", "cmdline = a\\"), 6,
	 "ends with a lone backslash"},
	{V RULE("x", "flow", "address = 10.0.0.1/33"), 6,
	 "has a prefix length past"},
	{V RULE("x", "flow", "address = 300.1.1.1"), 6,
	 "is not an IPv4 or IPv6 address"},
	{V RULE("x", "flow", "address = 10.89.77.5/24"), 6,
	 "has bits set past its prefix"},
	{V RULE("x", "flow", "address = fd00::1/8"), 6,
	 "has bits set past its prefix"},
	{V RULE("x", "flow", "bytes-out = >= 10Q"), 6,
	 "column 13: bytes-out '>=10Q' is not a size"},
	{V RULE("x", "dns", "label-length = >="), 6,
	 "label-length '>=' needs a number after its operator"},
	{V RULE("x", "dns", "entropy = 3.1234567"), 6,
	 "entropy '3.1234567' is not a number such as 3.5"},
	{V RULE("x", "dns", "labels = ~5"), 6, "is not a whole number"},
	{V RULE("x", "process", "user = 0\nport = 80"), 7,
	 "'port' is a key of match = flow, not of match = process"},
	{V RULE("x", "event", "kind = k8s.*\nname = a"), 7,
	 "'name' is a key of match = dns, not of match = event"},
	{V "[rule x]\nseverity = low\nmatch = process\nuser = 0\n", 2,
	 "rule 'x' has no title"},
	{V "[rule x]\ntitle = t\nmatch = process\nuser = 0\n", 2,
	 "rule 'x' has no severity"},
	{V "[rule x]\ntitle = t\nseverity = low\nuser = 0\n", 2,
	 "rule 'x' has no match"},
	{V RULE("x", "process", "container = web"), 2,
	 "needs at least one of: program, executable, cmdline, parent or "
	 "user"},
	{V RULE("x", "flow", "direction = in"), 2, "needs at least one of"},
	{"# version first\n\nsalvage-rules\n", 3, "the version line is"},
	{"salvage-rules 2\n", 1, "column 15: the version line is"},
	{"[allow]\nrule = *\n", 1, "the first statement must be"},
	{"", 1, "empty rules file"},
	{"# only a comment\n", 1, "empty rules file"},
	{V "title = t\n", 2, "'title' is outside a section"},
	{V RULE("x", "process", "program = a\nprogram = b"), 7,
	 "'program' given twice (first on line 6)"},
	{V RULE("x", "process", "user = 0\nprogram = a\x01"), 7,
	 "column 12: byte 0x01"},
	{V RULE("x", "process", "user = 0\nprogram = a\xff"), 7,
	 "column 12: byte 0xff"},
	{V RULE("x", "process", "user = 0\nprogram = \xc3\x28"), 7,
	 "column 11: byte 0xc3"},
	{V "[tune x]\n", 2, "[tune x] changes nothing"},
	{V "[tune x]\nenabled = no\n[tune x]\nseverity = low\n", 4,
	 "[tune x] appears twice (first on line 2)"},
	{V "[tune x]\nenabled = maybe\n", 3, "enabled 'maybe' is not one of"},
	{V "[allow]\ncontainer = a\n", 2, "[allow] needs rule"},
	{V "[allow]\nrule = *\nseverity = low\n", 4,
	 "'severity' is not a key of [allow] sections"},
	{V RULE("x", "process", "program = a") "enabled = no\n", 7,
	 "'enabled' is not a key of [rule] sections"},
	{V RULE("x", "process", "technique = T11\nprogram = a"), 6,
	 "technique 'T11' is not a MITRE ATT&CK id"},
	{V RULE("x", "flow", "port = 70000"), 6, "is not a port"},
	{V RULE("x", "flow", "port = 90-80"), 6, "is not a port"},
	{V RULE("x", "flow", "protocol = tcpp"), 6, "is not tcp, udp"},
	{V RULE("x", "dns", "type = AAAAA"), 6, "is not a DNS type"},
	{V RULE("x", "process", "user = root"), 6, "is not a numeric uid"},
	{V RULE("x", "process", "scope = everywhere\nuser = 0"), 6,
	 "scope 'everywhere' is not one of: containers, host, any"},
	{V RULE("x", "event", "kind = container.exce"), 6,
	 "column 8: kind 'container.exce' is not an event kind"},
	{V RULE("x", "process", "user = 0\nprogram"), 7,
	 "column 8: expected 'key = value'"},
	{V RULE("x", "process", "user = 0\nprogram ="), 7,
	 "'program' has no value"},
};

START_TEST(one_error)
{
	const struct bad_case *b = &bad[_i];
	struct sv_arena *a = sv_arena_new(0);
	const struct sv_rulespec_set *set = NULL;
	char line[1024];

	ck_assert_int_eq(sv_rulesfile_parse(b->text, strlen(b->text), "t",
					    a, &set, &errs), SV_ERR_USAGE);
	if (errs.total != 1)
		dump_errors();
	ck_assert_uint_eq(errs.total, 1);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_int_eq(errs.e[0].code, SV_ERR_USAGE);
	ck_assert_str_eq(errs.e[0].artifact, "t");
	ck_assert_uint_eq(errs.e[0].line, b->line);
	sv_error_format(&errs.e[0], line, sizeof(line));
	ck_assert_msg(strstr(line, b->needle), "case %d: '%s' lacks '%s'", _i,
		      line, b->needle);
	ck_assert_ptr_null(set);
	sv_arena_free(a);
}
END_TEST

/* Text built by appending; NUL-terminated. */
struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		ck_assert_ptr_nonnull(b->p);
	}
	memcpy(b->p + b->n, s, n + 1);
	b->n += n;
}

static void parse_bad(const struct buf *b)
{
	struct sv_arena *a = sv_arena_new(0);
	const struct sv_rulespec_set *set = NULL;

	ck_assert_int_eq(sv_rulesfile_parse(b->p, b->n, "t", a, &set, &errs),
			 SV_ERR_USAGE);
	sv_arena_free(a);
}

/* Limits: line length, sections, values per key, file size. */
START_TEST(limits)
{
	struct buf b = {NULL, 0, 0};
	char one[32];
	int i;

	put(&b, V "[allow]\nrule = *\nwhy = ");
	for (i = 0; i < 4100; i++)
		put(&b, "x");
	put(&b, "\n");
	parse_bad(&b);
	ck_assert_uint_eq(errs.total, 1);
	ck_assert_uint_eq(errs.e[0].line, 4);
	ck_assert_ptr_nonnull(strstr(errs.e[0].msg, "more than 4096"));
	b.n = 0;
	put(&b, V);
	for (i = 0; i < 1001; i++)
		put(&b, "[allow]\nrule = *\n");
	parse_bad(&b);
	ck_assert_uint_eq(errs.total, 1);
	ck_assert_uint_eq(errs.e[0].line, 2 + 2 * 1000);
	ck_assert_ptr_nonnull(strstr(errs.e[0].msg, "more than 1000"));
	b.n = 0;
	put(&b, V "[allow]\nrule =");
	for (i = 0; i < 65; i++) {
		snprintf(one, sizeof(one), " r%d", i);
		put(&b, one);
	}
	put(&b, "\n");
	parse_bad(&b);
	ck_assert_uint_eq(errs.total, 1);
	ck_assert_ptr_nonnull(strstr(errs.e[0].msg, "'r64' is one value too"));
	b.n = 0;
	put(&b, V);
	while (b.n <= SV_RULESFILE_MAX_BYTES)
		put(&b, "# padding padding padding padding padding\n");
	parse_bad(&b);
	ck_assert_uint_eq(errs.total, 1);
	ck_assert_ptr_nonnull(strstr(errs.e[0].msg, "more than 1048576"));
	free(b.p);
}
END_TEST

/* Values are cut to fit a message; a cut never splits a character. */
START_TEST(messages_stay_utf8)
{
	struct buf b = {NULL, 0, 0};
	int i;

	put(&b, V "[rule x");
	for (i = 0; i < 40; i++)
		put(&b, "\xc3\xa9"); /* e-acute: 2 bytes */
	put(&b, "]\n");
	parse_bad(&b);
	ck_assert_uint_eq(errs.total, 1);
	ck_assert_ptr_nonnull(strstr(errs.e[0].msg, "bad id 'x\xc3\xa9"));
	ck_assert(sv_text_is_clean(errs.e[0].msg, strlen(errs.e[0].msg),
				   SV_ERROR_MSG_MAX));
	free(b.p);
}
END_TEST

/* Every error is found, listed in line order; past 50, counted only. */
START_TEST(all_errors_listed)
{
	struct buf b = {NULL, 0, 0};
	uint32_t i;
	int k;

	put(&b, V RULE("x", "process", "program = [") "port = 1\n"
	    "[bogus]\n[tune y]\n" RULE("x", "flow", "port = -1"));
	parse_bad(&b);
	/* '[' (6), port in a process rule (7), [bogus] (8), [tune y] (9),
	 * x again (10), bad port (14) */
	ck_assert_uint_eq(errs.total, 6);
	ck_assert_uint_eq(errs.n, 6);
	for (i = 1; i < errs.n; i++)
		ck_assert_uint_lt(errs.e[i - 1].line, errs.e[i].line);
	ck_assert_uint_eq(errs.e[0].line, 6);
	ck_assert_uint_eq(errs.e[5].line, 14);

	b.n = 0;
	put(&b, V "[allow]\nrule = *\n");
	for (k = 0; k < 70; k++)
		put(&b, "no-such-key = 1\n");
	parse_bad(&b);
	ck_assert_uint_eq(errs.total, 70);
	ck_assert_uint_eq(errs.n, SV_RULESFILE_ERRORS_MAX);
	ck_assert_uint_eq(errs.e[49].line, 4 + 49);
	free(b.p);
}
END_TEST

/* ---- values ---- */

START_TEST(values)
{
	struct sv_arena *a = sv_arena_new(0);
	const struct sv_rulespec_set *set = parse_ok(a, V
		"[rule f]   # flows\n"
		"title = the #1 title\n"
		"severity = critical\t# a tab, then a comment\n"
		"match = flow\n"
		"technique = T1059.004\n"
		"port = 4444 8000-8080\n"
		"address = 10.89.77.0/25 fd00::/8 192.0.2.7\n"
		"bytes-out = >= 10M <2G\n"
		"bytes-in = != 0\n"
		"protocol = tcp UDP 132\n"
		"direction = any\n"
		"scope = any\n"
		"[rule d]\ntitle=d\nseverity=info\nmatch=dns\n"
		"name = *.Example.COM. x.y\n"
		"type = txt AAAA 65535\n"
		"entropy = > 3.25\n"
		"label-length = 40\n"
		"[tune reverse-shell]\nseverity = medium\n"
		"[tune oom-kill]\nenabled = no\n"
		"[allow]\nrule = exec-*\ncontainer = debug-*\nwhy = ok\n");
	const struct sv_rulespec *f = set->rules, *d = f->next;
	const struct sv_ruletune *t = set->tunes;

	ck_assert_str_eq(set->name, "t.rules");
	ck_assert_uint_eq(set->n_rules, 2);
	ck_assert_str_eq(f->id, "f");
	ck_assert_uint_eq(f->line, 2);
	ck_assert_ptr_null(d->next);
	ck_assert_int_eq(f->severity, 4);
	ck_assert_str_eq(f->technique, "T1059.004");
	ck_assert_str_eq(f->title, "the #1 title");
	ck_assert_int_eq(f->match, SV_RM_FLOW);
	ck_assert_int_eq(f->direction, SV_RD_ANY);
	ck_assert_int_eq(f->scope, SV_RS_ANY);
	ck_assert_uint_eq(f->port.n, 2);
	ck_assert_uint_eq(f->port.v[1].lo, 8000);
	ck_assert_uint_eq(f->port.v[1].hi, 8080);
	ck_assert_uint_eq(f->address.n, 3);
	ck_assert_uint_eq(f->address.v[0].prefix, 25);
	ck_assert_uint_eq(f->address.v[1].family, 6);
	ck_assert_uint_eq(f->address.v[1].addr[0], 0xfd);
	ck_assert_uint_eq(f->address.v[2].prefix, 32);
	ck_assert_uint_eq(f->bytes_out.n, 2);
	ck_assert_int_eq(f->bytes_out.v[0].op, SV_OP_GE);
	ck_assert(f->bytes_out.v[0].value == 10.0 * 1024 * 1024);
	ck_assert_int_eq(f->bytes_out.v[1].op, SV_OP_LT);
	ck_assert(f->bytes_out.v[1].value == 2.0 * 1024 * 1024 * 1024);
	ck_assert_int_eq(f->bytes_in.v[0].op, SV_OP_NE);
	ck_assert_uint_eq(f->protocol.n, 3);
	ck_assert_uint_eq(f->protocol.v[0], 6);
	ck_assert_uint_eq(f->protocol.v[1], 17);
	ck_assert_uint_eq(f->protocol.v[2], 132);
	ck_assert_str_eq(d->name.v[0], "*.example.com");
	ck_assert_str_eq(d->name.v[1], "x.y");
	ck_assert_uint_eq(d->type.v[0], 16);
	ck_assert_uint_eq(d->type.v[1], 28);
	ck_assert_uint_eq(d->type.v[2], 65535);
	ck_assert(fabs(d->entropy.v[0].value - 3.25) < 1e-12);
	ck_assert_int_eq(d->entropy.v[0].op, SV_OP_GT);
	ck_assert_int_eq(d->label_length.v[0].op, SV_OP_EQ);
	ck_assert_int_eq(d->severity, 0);
	ck_assert_str_eq(t->rule, "reverse-shell");
	ck_assert_int_eq(t->severity, 2);
	ck_assert_int_eq(t->enabled, -1);
	ck_assert_int_eq(t->next->enabled, 0);
	ck_assert_int_eq(t->next->severity, -1);
	ck_assert_str_eq(set->allows->rule.v[0], "exec-*");
	ck_assert_str_eq(set->allows->why, "ok");
	sv_arena_free(a);
}
END_TEST

/* ---- reading files ---- */

static void write_file(const char *path, const char *text, size_t n)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(load_paths)
{
	struct sv_arena *a = sv_arena_new(0);
	const struct sv_rulespec_set *set = NULL;
	char dir[] = "/tmp/test_rulesfile.XXXXXX", path[600], fifo[600];
	const char *ok = V "[tune oom-kill]\nenabled = no\n";
	struct buf b = {NULL, 0, 0};

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/site.rules", dir);
	write_file(path, ok, strlen(ok));
	ck_assert_int_eq(sv_rulesfile_load(path, a, &set, &errs), SV_OK);
	ck_assert_str_eq(set->name, path);
	ck_assert_uint_eq(set->n_tunes, 1);

	ck_assert_int_eq(sv_rulesfile_load("/nonexistent/x.rules", a, &set,
					   &errs), SV_ERR_IO);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_int_eq(errs.e[0].sys_errno, ENOENT);
	ck_assert_str_eq(errs.e[0].artifact, "/nonexistent/x.rules");

	ck_assert_int_eq(sv_rulesfile_load(dir, a, &set, &errs),
			 SV_ERR_USAGE);
	ck_assert_ptr_nonnull(strstr(errs.e[0].msg, "not a regular file"));
	/* a FIFO must be refused at once, not read (it would block) */
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(sv_rulesfile_load(fifo, a, &set, &errs),
			 SV_ERR_USAGE);

	put(&b, V);
	while (b.n <= SV_RULESFILE_MAX_BYTES)
		put(&b, "# padding padding padding padding padding\n");
	write_file(path, b.p, b.n);
	ck_assert_int_eq(sv_rulesfile_load(path, a, &set, &errs),
			 SV_ERR_USAGE);
	ck_assert_ptr_nonnull(strstr(errs.e[0].msg, "larger than 1 MiB"));
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(unlink(fifo), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	free(b.p);
	sv_arena_free(a);
}
END_TEST

/* ---- evaluation on real bundles ---- */

static struct sv_analysis *analyse(const char *path)
{
	struct sv_pipeline_options o;
	struct sv_error err;
	struct sv_analysis *a;

	sv_pipeline_options_default(&o);
	a = sv_pipeline_run(path, &o, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert(sv_analysis_input_ok(a));
	return a;
}

/* What sv_pipeline.c's run_rules gives the rules. */
static void input_of(const struct sv_analysis *a, struct sv_rules_input *in)
{
	memset(in, 0, sizeof(*in));
	in->containers = a->containers;
	in->procs = a->procs;
	in->flows = a->flows;
	in->app = a->app_events;
	in->events = a->timeline.ev;
	in->n_events = a->timeline.n;
}

static const struct sv_finding *by_rule(const struct sv_findings *fs,
					const char *rule, int *count)
{
	const struct sv_finding *f, *first = NULL;

	*count = 0;
	for (f = fs->list; f; f = f->next)
		if (!strcmp(f->rule, rule)) {
			first = first ? first : f;
			(*count)++;
		}
	return first;
}

/* Rules for the incident's attacks (the header comment says where each
 * expected value comes from). */
static const char attack_rules[] = V
	"[rule xmrig]\ntitle = a miner\nseverity = critical\n"
	"technique = T1496\ntechnique-name = Resource Hijacking\n"
	"match = process\nprogram = xmrig\ncontainer = web*\n"
	"why = nobody runs xmrig by accident\n"
	"[rule shell-port]\ntitle = shell port\nseverity = high\n"
	"match = flow\nprotocol = tcp\nport = 4444\naddress = 10.89.77.0/24\n"
	"[rule shell-bytes]\ntitle = exact bytes\nseverity = low\n"
	"match = flow\nport = 4444\nbytes-out = 637\n"
	"bytes-in = >= 463 <= 463\n"
	"[rule shell-bytes-over]\ntitle = a byte more\nseverity = low\n"
	"match = flow\nport = 4444\nbytes-out = >= 638\n"
	"[rule shell-other-net]\ntitle = elsewhere\nseverity = low\n"
	"match = flow\nport = 4444\naddress = 10.89.77.0/32 fd00::/8\n"
	"[rule pool-inbound]\ntitle = inbound\nseverity = low\n"
	"match = flow\ndirection = in\nport = 3333\n"
	"[rule listener-view]\ntitle = the listener\nseverity = info\n"
	"match = flow\ndirection = in\nscope = host\nport = 41184\n"
	"[rule exec-event]\ntitle = exec\nseverity = medium\nmatch = event\n"
	"kind = container.exec\n"
	"[rule entered]\ntitle = entered\nseverity = low\nmatch = event\n"
	"kind = process.*\ntext = *entered*from?outside*\n"
	"[rule any-dns]\ntitle = dns\nseverity = low\nmatch = dns\n"
	"scope = any\nname = *\n"
	"[tune reverse-shell]\nseverity = medium\n"
	"[allow]\nrule = exec-into-container\n"
	"[allow]\nrule = oom-*\ncontainer = hog\n"
	"[allow]\nrule = crypto-mining\ncontainer = client\n";

static void check_xmrig(const struct sv_findings *fs, const char *web)
{
	static const uint32_t pids[] = {12147, 12150};
	const struct sv_finding *f;
	int n, i;

	f = by_rule(fs, "xmrig", &n);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(f->container_id, web);
	ck_assert_int_eq(f->severity, SV_SEV_CRITICAL);
	ck_assert_str_eq(f->technique, "T1496");
	ck_assert_str_eq(f->title, "a miner (web)");
	ck_assert_ptr_nonnull(strstr(f->why, "nobody runs xmrig by accident."
				     " User rule xmrig (t.rules, line 2)"));
	ck_assert_int_eq(f->n_ev, N(pids));
	for (i = 0; i < f->n_ev; i++) {
		ck_assert_ptr_nonnull(f->ev[i].proc);
		ck_assert_uint_eq(f->ev[i].proc->pid, pids[i]);
		ck_assert_str_eq(f->ev[i].proc->comm, "xmrig");
		ck_assert_str_eq(f->ev[i].note, "/bin/sh /tmp/xmrig");
	}
	ck_assert_int_eq(f->pid, 12147);
}

static void check_flows(const struct sv_findings *fs, const char *web)
{
	const struct sv_finding *f;
	int n;

	f = by_rule(fs, "shell-port", &n);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(f->container_id, web);
	ck_assert_int_eq(f->pid, 11832);
	ck_assert_int_eq(f->n_ev, 1);
	ck_assert_uint_eq(f->ev[0].flow->b_port, 4444);
	ck_assert_uint_eq(f->ev[0].flow->a_port, 41184);
	ck_assert_ptr_nonnull(strstr(f->ev[0].note, "tcp 10.89.77.10:41184 "
				     "-> 10.89.77.1:4444"));
	by_rule(fs, "shell-bytes", &n);
	ck_assert_int_eq(n, 1);
	by_rule(fs, "shell-bytes-over", &n);
	ck_assert_int_eq(n, 0);
	by_rule(fs, "shell-other-net", &n);
	ck_assert_int_eq(n, 0);
	by_rule(fs, "pool-inbound", &n);
	ck_assert_int_eq(n, 0);
	/* the host's nc accepted the shell's connection */
	f = by_rule(fs, "listener-view", &n);
	ck_assert_int_eq(n, 1);
	ck_assert_ptr_null(f->container_id);
	ck_assert_uint_eq(f->ev[0].flow->b_port, 4444);
	ck_assert_ptr_nonnull(strstr(f->ev[0].note, "10.89.77.1:4444 <- "
				     "10.89.77.10:41184"));
}

START_TEST(incident)
{
	struct sv_analysis *a = analyse(SV_SOURCE
					"/samples/web-incident.tar.zst");
	struct sv_arena *ar = sv_arena_new(0);
	const struct sv_rulespec_set *set = parse_ok(ar, attack_rules);
	const struct sv_cont *web = sv_containers_find_name(a->containers,
							    "web");
	struct sv_userrules_stats st;
	struct sv_rules_input in;
	const struct sv_finding *f;
	int n;

	ck_assert_ptr_nonnull(web);
	/* what the built-in rules found before: tuned and allowed below */
	ck_assert_int_eq(by_rule(&a->findings, "reverse-shell", &n)->severity,
			 SV_SEV_CRITICAL);
	by_rule(&a->findings, "exec-into-container", &n);
	ck_assert_int_eq(n, 1);
	by_rule(&a->findings, "oom-kill", &n);
	ck_assert_int_eq(n, 1);
	input_of(a, &in);
	sv_userrules_apply_stats(a->arena, set, &in, &a->findings, &st);
	sv_arena_free(ar); /* findings must not borrow the rule set */
	check_xmrig(&a->findings, web->id);
	check_flows(&a->findings, web->id);
	f = by_rule(&a->findings, "exec-event", &n);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(f->container_id, web->id);
	ck_assert_str_eq(f->ev[0].event->kind, "container.exec");
	ck_assert_ptr_nonnull(strstr(f->ev[0].artifact, "events/podman.jsonl"));
	ck_assert_uint_eq(f->ev[0].event->line, 7);
	{
		char buf[512];
		const char *text = sv_event_text(f->ev[0].event, buf,
						 sizeof(buf));

		ck_assert_str_eq(f->ev[0].note, text);
		ck_assert_ptr_nonnull(strstr(f->why, text));
	}
	f = by_rule(&a->findings, "entered", &n);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(f->container_id, web->id);
	ck_assert_int_eq(f->n_ev, 1);
	ck_assert_str_eq(f->ev[0].event->kind, "process.enter");
	ck_assert_int_eq(f->ev[0].event->pid, 11654);
	ck_assert_ptr_nonnull(strstr(f->ev[0].note, "conmon (pid 11633)"));
	by_rule(&a->findings, "any-dns", &n);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(by_rule(&a->findings, "reverse-shell", &n)->severity,
			 SV_SEV_MEDIUM);
	ck_assert_int_eq(n, 1);
	by_rule(&a->findings, "exec-into-container", &n);
	ck_assert_int_eq(n, 0);
	by_rule(&a->findings, "oom-kill", &n);
	ck_assert_int_eq(n, 0);
	by_rule(&a->findings, "crypto-mining", &n);
	ck_assert_int_eq(n, 1);
	ck_assert_uint_eq(st.fired, 6);
	ck_assert_uint_eq(st.retuned, 1);
	ck_assert_uint_eq(st.allowed, 2);
	ck_assert_uint_eq(st.disabled, 0);
	ck_assert_uint_eq(st.capped, 0);
	for (f = a->findings.list; f; f = f->next)
		ck_assert(!f->next || f->next->severity <= f->severity);
	ck_assert_uint_eq(a->findings.by_severity[SV_SEV_CRITICAL], 1);
	sv_analysis_free(a);
}
END_TEST

/* The same workloads without the attacks: the attack rules keep quiet,
 * and disabling a rule drops it. */
START_TEST(clean)
{
	struct sv_analysis *a = analyse(SV_SOURCE "/samples/web-clean.tar.zst");
	struct sv_arena *ar = sv_arena_new(0);
	const struct sv_rulespec_set *set = parse_ok(ar, attack_rules);
	struct sv_userrules_stats st;
	struct sv_rules_input in;
	uint64_t before = a->findings.n;
	int c;

	input_of(a, &in);
	sv_userrules_apply_stats(a->arena, set, &in, &a->findings, &st);
	ck_assert_uint_eq(st.fired, 0);
	ck_assert_uint_eq(a->findings.n, before);
	/* every process of client (its fetch loop: sh, timeout, wget...):
	 * one finding, evidence capped, then disabled */
	set = parse_ok(ar, V "[rule web-procs]\ntitle = w\nseverity = info\n"
		       "match = process\nprogram = *\ncontainer = client\n");
	sv_userrules_apply_stats(a->arena, set, &in, &a->findings, &st);
	ck_assert_uint_eq(st.fired, 1);
	ck_assert_int_eq(by_rule(&a->findings, "web-procs", &c)->n_ev,
			 SV_FINDING_EVIDENCE);
	ck_assert_int_eq(c, 1);
	set = parse_ok(ar, V "[tune web-procs]\nenabled = no\n");
	sv_userrules_apply_stats(a->arena, set, &in, &a->findings, &st);
	ck_assert_uint_eq(st.disabled, 1);
	ck_assert_uint_eq(a->findings.n, before);
	sv_arena_free(ar);
	sv_analysis_free(a);
}
END_TEST

/* A folder bundle: a manifest and the real capture zeek_dns_tm1t.pcap
 * (a docker container asking 1.1.1.1 for zeek.org, AAAA then A). */
START_TEST(dns_capture)
{
	static const char manifest[] = "{\"format\":\"salvage-bundle\","
		"\"version\":1,\"host\":\"test\",\"started\":"
		"\"2026-03-30T23:00:41Z\",\"ended\":\"2026-03-30T23:00:42Z\","
		"\"collector\":\"test_rulesfile.c\"}\n";
	char dir[] = "/tmp/test_rulesfile.XXXXXX", path[600], *pcap;
	struct sv_arena *ar = sv_arena_new(0);
	struct sv_userrules_stats st;
	struct sv_rules_input in;
	const struct sv_finding *f;
	struct sv_analysis *a;
	size_t n;
	int c;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	write_file(path, manifest, strlen(manifest));
	snprintf(path, sizeof(path), "%s/pcap", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	pcap = slurp(SV_READER_DATA "/pcap/zeek_dns_tm1t.pcap", &n);
	snprintf(path, sizeof(path), "%s/pcap/dns.pcap", dir);
	write_file(path, pcap, n);
	free(pcap);
	a = analyse(dir);
	input_of(a, &in);
	sv_userrules_apply_stats(a->arena, parse_ok(ar, V
		"[rule zeek]\ntitle = z\nseverity = low\nmatch = dns\n"
		"scope = any\nname = ZEEK.org.\n"
		"[rule zeek-aaaa]\ntitle = z\nseverity = low\nmatch = dns\n"
		"scope = any\nname = *.org\ntype = AAAA\n"
		"[rule zeek-in-container]\ntitle = z\nseverity = low\n"
		"match = dns\nname = zeek.org\n"
		"[rule zeek-long]\ntitle = z\nseverity = low\nmatch = dns\n"
		"scope = any\nlabel-length = >= 5\n"), &in, &a->findings,
		&st);
	f = by_rule(&a->findings, "zeek", &c);
	ck_assert_int_eq(c, 1);
	ck_assert_ptr_null(f->container_id);
	ck_assert_int_eq(f->n_ev, 2);
	ck_assert_ptr_nonnull(strstr(f->ev[0].note, "zeek.org type 28"));
	ck_assert_ptr_nonnull(strstr(f->ev[1].note, "zeek.org type 1 "));
	ck_assert_ptr_eq(f->ev[0].flow, f->ev[1].flow);
	ck_assert_uint_eq(f->ev[0].flow->b_port, 53);
	f = by_rule(&a->findings, "zeek-aaaa", &c);
	ck_assert_int_eq(c, 1);
	ck_assert_int_eq(f->n_ev, 1);
	by_rule(&a->findings, "zeek-in-container", &c);
	ck_assert_int_eq(c, 0);
	by_rule(&a->findings, "zeek-long", &c);
	ck_assert_int_eq(c, 0);
	ck_assert_uint_eq(st.fired, 2);
	sv_analysis_free(a);
	snprintf(path, sizeof(path), "%s/pcap/dns.pcap", dir);
	ck_assert_int_eq(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/pcap", dir);
	ck_assert_int_eq(rmdir(path), 0);
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	sv_arena_free(ar);
}
END_TEST

/* samples/detect (samples/make-detections.sh, real podman containers on
 * 10.89.78.0/24): in dns-tunnel, client (10.89.78.12) sends 60 queries
 * named <48 hex digits>.<n>.t.exfil.test: tshark -r F -Y
 * 'dns.flags.response==0 && dns.qry.name contains "exfil"' -T fields
 * -e sll.ifindex -e ip.src -e dns.qry.name lists 60 on each of two
 * interfaces, all from 10.89.78.12; clean-1's queries are only
 * api.internal.test and web.internal.test. */
static int hex48(const char *note)
{
	const char *q = strstr(note, "DNS query ");
	size_t n = q ? strspn(q + 10, "0123456789abcdef") : 0;

	return n == 48 && q[10 + n] == '.';
}

START_TEST(detect_dns_tunnel)
{
	static const char rules[] = V "[rule tunnel]\ntitle = tunnel\n"
		"severity = high\nmatch = dns\nlabel-length = >= 40\n"
		"name = *.exfil.test\n";
	struct sv_arena *ar = sv_arena_new(0);
	const struct sv_rulespec_set *set = parse_ok(ar, rules);
	struct sv_userrules_stats st;
	struct sv_rules_input in;
	const struct sv_finding *f;
	struct sv_analysis *a;
	struct stat sb;
	int n, i;

	if (stat(SV_SOURCE "/samples/detect", &sb) != 0) {
		fprintf(stderr, "no samples/detect: nothing checked\n");
		sv_arena_free(ar);
		return;
	}
	a = analyse(SV_SOURCE "/samples/detect/dns-tunnel.tar.zst");
	input_of(a, &in);
	sv_userrules_apply_stats(a->arena, set, &in, &a->findings, &st);
	f = by_rule(&a->findings, "tunnel", &n);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(sv_analysis_container_label(a, f->container_id),
			 "client");
	ck_assert_int_eq(f->n_ev, SV_FINDING_EVIDENCE);
	for (i = 0; i < f->n_ev; i++) {
		ck_assert_msg(hex48(f->ev[i].note), "%s", f->ev[i].note);
		ck_assert_ptr_nonnull(strstr(f->ev[i].note, ".t.exfil.test "));
	}
	sv_analysis_free(a);
	a = analyse(SV_SOURCE "/samples/detect/clean-1.tar.zst");
	input_of(a, &in);
	sv_userrules_apply_stats(a->arena, set, &in, &a->findings, &st);
	ck_assert_uint_eq(st.fired, 0);
	sv_analysis_free(a);
	sv_arena_free(ar);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rulesfile");
	TCase *tp = tcase_create("parse"), *te = tcase_create("evaluate");
	SRunner *sr;
	int failed;

	tcase_add_test(tp, docs_examples_parse);
	tcase_add_test(tp, docs_error_example);
	tcase_add_test(tp, example_file_loads);
	tcase_add_test(tp, event_kinds_match_header);
	tcase_add_loop_test(tp, one_error, 0, N(bad));
	tcase_add_test(tp, limits);
	tcase_add_test(tp, all_errors_listed);
	tcase_add_test(tp, messages_stay_utf8);
	tcase_add_test(tp, values);
	tcase_add_test(tp, load_paths);
	tcase_set_timeout(te, 120);
	tcase_add_test(te, incident);
	tcase_add_test(te, clean);
	tcase_add_test(te, dns_capture);
	tcase_add_test(te, detect_dns_tunnel);
	suite_add_tcase(s, tp);
	suite_add_tcase(s, te);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
