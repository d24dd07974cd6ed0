/*
 * fmt_journal.c - events/journal.jsonl, written by `journalctl -o json`
 * (systemd's JOURNAL_EXPORT_FORMATS, "Journal JSON Format").
 *
 *   {"__REALTIME_TIMESTAMP":"1764392001500000",      µs, as a STRING
 *    "_SYSTEMD_UNIT":"docker.service","UNIT":"…","SYSLOG_IDENTIFIER":"…",
 *    "MESSAGE":"text" | [98,105,110,…] | ["v1","v2"] | null,
 *    "_PID":"812","CONTAINER_ID":"4b6b8a7d9c1e",
 *    "CONTAINER_ID_FULL":"<64 hex>","CONTAINER_NAME":"web", …}
 *
 * journalctl writes a field that is not valid text as an array of byte
 * values, a field present several times as an array of values (the
 * first is taken), and a field over 4096 bytes as null unless run with
 * --all. CONTAINER_* come from docker's and podman's journald log
 * drivers. The unit is the one an entry is about: UNIT / USER_UNIT
 * (systemd's messages about a unit, e.g. "Started docker-<id>.scope"),
 * else the unit that logged it (_SYSTEMD_UNIT / _SYSTEMD_USER_UNIT).
 * One SV_REC_JOURNAL per line.
 */
#include <string.h>

#include "sv_format.h"
#include "sv_jsonl.h"
#include "sv_time.h"

#define UNIT_MAX 512
#define IDENT_MAX 256
#define ID_MAX 256
#define NAME_MAX_LEN 512
#define MESSAGE_MAX (16u << 10)

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	return sv_json_probe(lay, SV_ART_JOURNAL, head, n, "{");
}

/* First non-empty string among keys. */
static const char *first_of(struct sv_jfields *f, json_t *root,
			    const char *const *keys, size_t nkeys, size_t max)
{
	size_t i;

	for (i = 0; i < nkeys; i++) {
		const char *s = sv_jfields_val(f, keys[i],
					       json_object_get(root, keys[i]),
					       max);

		if (s[0])
			return s;
	}
	return "";
}

/*
 * Decode a byte array (journalctl's form of binary data), at most
 * MESSAGE_MAX bytes out; a NUL byte becomes the text "\x00". Returns
 * NULL (with *bad set) when an element is not a byte.
 */
static const char *decode_bytes(struct sv_jfields *f, json_t *arr, int *bad)
{
	size_t i, o = 0, n = json_array_size(arr);
	size_t cap = n < MESSAGE_MAX ? n : MESSAGE_MAX;
	char *buf = sv_arena_alloc(f->arena, cap * 4 + 1);

	if (!buf) {
		f->nomem = 1;
		return "";
	}
	for (i = 0; i < n; i++) {
		json_t *b = json_array_get(arr, i);
		json_int_t v = json_is_integer(b) ? json_integer_value(b) : -1;

		if (v < 0 || v > 255) {
			*bad = 1;
			return NULL;
		}
		if (o + (v ? 1 : 4) > MESSAGE_MAX)
			break;
		if (v == 0) {
			memcpy(buf + o, "\\x00", 4);
			o += 4;
		} else {
			buf[o++] = (char)v;
		}
	}
	buf[o] = '\0';
	if (i < n && !f->cut_field) {
		f->cut_field = "MESSAGE";
		f->cut_len = n;
		f->cut_max = MESSAGE_MAX;
		f->cuts++;
	}
	return buf;
}

/* MESSAGE in any of its shapes; *bad when malformed, *omitted when null. */
static const char *message(struct sv_jfields *f, json_t *v, int *bad,
			   int *omitted)
{
	const char *m;

	if (json_is_array(v) && json_array_size(v) > 0 &&
	    !json_is_integer(json_array_get(v, 0)))
		v = json_array_get(v, 0); /* several values: the first */
	if (!v)
		return "";
	if (json_is_null(v)) {
		*omitted = 1;
		return "";
	}
	if (json_is_string(v))
		return sv_jfields_val(f, "MESSAGE", v, MESSAGE_MAX);
	if (json_is_array(v)) {
		m = decode_bytes(f, v, bad);
		return m ? m : "";
	}
	*bad = 1;
	return "";
}

/* __REALTIME_TIMESTAMP: 0, 1 absent, -1 malformed. */
static int realtime(json_t *root, int64_t *ns)
{
	json_t *v = json_object_get(root, "__REALTIME_TIMESTAMP");
	const char *s, *end;
	uint64_t us;

	if (!v)
		return 1;
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	end = s + json_string_length(v);
	if (sv_str_u64(&s, end, (uint64_t)INT64_MAX / 1000, &us) || s != end)
		return -1;
	*ns = (int64_t)us * 1000;
	return 0;
}

static void fill(struct sv_jfields *f, json_t *root, struct sv_journal *j,
		 int *bad_msg, int *omitted, int *bad_pid)
{
	static const char *const units[] = {"UNIT", "USER_UNIT",
					    "_SYSTEMD_UNIT",
					    "_SYSTEMD_USER_UNIT"};
	static const char *const ids[] = {"CONTAINER_ID_FULL", "CONTAINER_ID",
					  "_CONTAINER_ID"};
	int rc;

	j->unit = first_of(f, root, units, 4, UNIT_MAX);
	j->identifier = sv_jfields_str(f, root, "SYSLOG_IDENTIFIER",
				       IDENT_MAX);
	j->container_id = first_of(f, root, ids, 3, ID_MAX);
	j->container_name = sv_jfields_str(f, root, "CONTAINER_NAME",
					   NAME_MAX_LEN);
	j->message = message(f, json_object_get(root, "MESSAGE"), bad_msg,
			     omitted);
	rc = sv_json_i64(json_object_get(root, "_PID"), &j->pid);
	if (rc == 1)
		rc = sv_json_i64(json_object_get(root, "SYSLOG_PID"), &j->pid);
	if (rc == 1) {
		j->pid = -1;
	} else if (rc < 0 || j->pid < 0 || j->pid > INT32_MAX) {
		*bad_pid = 1;
		j->pid = -1;
	}
}

static void report(struct sv_json_events *c, uint64_t line, int trc, int bad_msg,
		   int omitted, int bad_pid)
{
	if (trc)
		sv_emit_problem(c->out, c->path, line,
				trc < 0 ? "'__REALTIME_TIMESTAMP' is not "
					  "decimal microseconds"
					: "no '__REALTIME_TIMESTAMP'");
	if (bad_msg)
		sv_emit_problem(c->out, c->path, line,
				"'MESSAGE' is neither text nor an array of "
				"bytes");
	if (omitted)
		sv_emit_problem(c->out, c->path, line,
				"'MESSAGE' was left out by journalctl (over "
				"4096 bytes; capture with --all)");
	if (bad_pid)
		sv_emit_problem(c->out, c->path, line,
				"'_PID' is not a process id");
}

static enum sv_status on_line(void *vctx, json_t *root, uint64_t line,
			      struct sv_error *err)
{
	struct sv_json_events *c = vctx;
	struct sv_record rec;
	struct sv_jfields f;
	enum sv_status rc;
	int trc, bad_msg = 0, omitted = 0, bad_pid = 0;

	if (!json_is_object(root)) {
		sv_emit_problem(c->out, c->path, line, "not a JSON object");
		return SV_WARN;
	}
	sv_arena_reset(c->rec_arena);
	sv_jfields_init(&f, c->rec_arena);
	memset(&rec, 0, sizeof(rec));
	rec.type = SV_REC_JOURNAL;
	rec.artifact = c->path;
	rec.line = line;
	trc = realtime(root, &rec.ts_ns);
	if (trc)
		rec.ts_ns = SV_TIME_NONE;
	fill(&f, root, &rec.u.journal, &bad_msg, &omitted, &bad_pid);
	if (trc == 1 && !json_object_get(root, "MESSAGE")) {
		sv_emit_problem(c->out, c->path, line,
				"no '__REALTIME_TIMESTAMP' or 'MESSAGE': not a "
				"journal entry");
		return f.nomem ? sv_jfields_finish(&f, c->out, c->path, line,
						   err)
			       : SV_WARN;
	}
	rc = c->out->record(c->out->ctx, &rec, err);
	if (rc != SV_OK)
		return rc;
	c->emitted++;
	report(c, line, trc, bad_msg, omitted, bad_pid);
	rc = sv_jfields_finish(&f, c->out, c->path, line, err);
	return rc == SV_OK && (trc || bad_msg || omitted || bad_pid) ? SV_WARN
								     : rc;
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	struct sv_json_events c;

	return sv_json_read_events(src, scratch, out, 0, on_line, &c,
				   "journal entry"
				   " (not `journalctl -o json` output?)", err);
}

const struct sv_format_ops sv_fmt_journal = {
	.name = "journal",
	.kind = SV_ART_JOURNAL,
	.probe = probe,
	.parse = parse,
};
