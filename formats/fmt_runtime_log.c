/*
 * fmt_runtime_log.c - events/containerd.log and events/crio.log, the
 * daemons' logrus text logs as files or journald (`journalctl -u …`,
 * with its "Nov 29 18:13:10 host containerd[2506]: " prefix) hold them.
 *
 *   time="2024-11-29T18:13:11.737579537Z" level=info msg="StartContainer
 *     for \"<id>\" returns successfully"
 *   time="2019-11-17 22:34:42.175927926-08:00" level=info
 *     msg="Created container <id>: <ns>/<pod>/<name>" id=<uuid>
 *     name=/runtime.v1.RuntimeService/CreateContainer
 *
 * A line is logfmt: key=value pairs, a value bare or "quoted" with
 * Go-style \" \\ \n \t escapes. Older containerd wrote inner quotes
 * unescaped (msg="… container "<id>""): a quote ends a value only when
 * a blank or the end of the line follows it.
 *
 * Known messages become actions; a CRI call logged on entry, success and
 * failure gives "<action>-request", "<action>" and "<action>-failed":
 *
 *   containerd (pkg/cri instrumented service and event handlers)
 *     RunPodSandbox for &PodSandboxMetadata{Name:…,Namespace:…} [returns
 *       sandbox id "<id>"]                              sandbox-start
 *     StopPodSandbox / RemovePodSandbox for "<id>"      sandbox-stop/-remove
 *     CreateContainer within sandbox "<sid>" for [container]
 *       &ContainerMetadata{Name:…} [returns container id "<id>"]  create
 *     StartContainer / StopContainer / RemoveContainer for "<id>"
 *     Exec / ExecSync for "<id>" with command [<argv>] …  exec/exec-sync
 *     PullImage "<ref>" [returns image reference "<id>"]  pull
 *     TaskExit event &TaskExit{ContainerID:…,ID:…,Pid:…,ExitStatus:N,…}
 *     TaskExit event in podsandbox handler / received exit event
 *       container_id:"…" id:"…" pid:N exit_status:N …  exit / exec-exit
 *     TaskOOM event …                                   oom
 *     Stop container "<id>" with signal <sig>; Kill container "<id>"  kill
 *     shim disconnected (id=<id>)                       shim-disconnected
 *   CRI-O (its server package)
 *     Running pod sandbox: <desc> / Ran pod sandbox <id> with infra
 *       container: <desc>                                sandbox-start
 *     Creating container: <desc> / Created container <id>: <desc>
 *     Starting container: <id> / Started container [<id>: <desc>]
 *       (containerID=… description=… fields in newer versions)
 *     Stopping container: <id> / Stopped container <id>: <desc>
 *     Removing container: <id> / Removed container <id>: <desc>
 *     Stopping / Stopped / Removing / Removed pod sandbox: <id>
 *     Pulling image: <ref> / Pulled image: <ref>
 *     container exited and found: <id>                   exit
 *   where <desc> is <namespace>/<pod>/<container>.
 *
 * Anything else is action "log" with the message as detail. A line in
 * the daemons' --log-format=json form is read the same way. One
 * SV_REC_RUNTIME_EVENT per log line (runtime CONTAINERD or CRIO).
 */
#include <string.h>

#include "sv_format.h"
#include "sv_jsonl.h"
#include "sv_time.h"

#define LINE_MAX_LEN (64u << 10)
#define KV_MAX 48
#define ID_MAX 256
#define NAME_MAX_LEN 512
#define IMAGE_MAX 1024
#define DETAIL_MAX 4096
#define ACTION_MAX 48
#define REC_ARENA_CAP (1u << 20)

/* ---- logfmt ---- */

/* The first k-byte needle in [p, p + n), or NULL (memmem is a GNU
 * extension). */
static const char *mem_find(const char *p, size_t n, const char *needle,
			    size_t k)
{
	const char *end = p + n;

	if (k == 0 || n < k)
		return NULL;
	while ((p = memchr(p, needle[0], (size_t)(end - p) - k + 1))) {
		if (memcmp(p, needle, k) == 0)
			return p;
		if ((size_t)(end - ++p) < k)
			return NULL;
	}
	return NULL;
}

struct kv {
	struct sv_span key, val;
};

struct logfmt {
	struct kv kv[KV_MAX];
	size_t n;
	int too_many;     /* more than KV_MAX pairs: the rest ignored */
	int unterminated; /* a quoted value ran to the end of the line */
};

static int is_key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
}

/* A quote closes a value when the line ends or the next pair starts
 * after it (blanks, a key, '='): tolerates unescaped inner quotes. */
static int closes(const char *p, const char *end)
{
	p++;
	if (p == end)
		return 1;
	if (*p != ' ')
		return 0;
	while (p < end && *p == ' ')
		p++;
	if (p == end)
		return 1;
	while (p < end && is_key_char(*p))
		p++;
	return p < end && *p == '=';
}

/*
 * A quoted value at *pp (just after the opening quote), unescaped into
 * out (never longer than the input); returns its length and moves *pp
 * past the closing quote.
 */
static size_t unquote(const char **pp, const char *end, char *out,
		      int *unterminated)
{
	const char *p = *pp;
	size_t o = 0;

	while (p < end) {
		if (*p == '\\' && p + 1 < end) {
			switch (p[1]) {
			case 'n':
				out[o++] = '\n';
				break;
			case 't':
				out[o++] = '\t';
				break;
			case 'r':
				out[o++] = '\r';
				break;
			case '"':
			case '\\':
				out[o++] = p[1];
				break;
			default: /* kept as written */
				out[o++] = '\\';
				out[o++] = p[1];
			}
			p += 2;
			continue;
		}
		if (*p == '"' && closes(p, end)) {
			*pp = p + 1;
			return o;
		}
		out[o++] = *p++;
	}
	*unterminated = 1;
	*pp = end;
	return o;
}

/* Split [p, end) into pairs; values are unescaped into buf (capacity at
 * least end - p). Words without '=' are skipped. */
static void logfmt_parse(const char *p, const char *end, char *buf,
			 struct logfmt *lf)
{
	size_t used = 0;
	const char *k;
	struct kv *kv;

	lf->n = 0;
	lf->too_many = lf->unterminated = 0;
	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		k = p;
		while (p < end && is_key_char(*p))
			p++;
		if (p == k || p == end || *p != '=') {
			while (p < end && *p != ' ')
				p++; /* not key=value: skip the word */
			continue;
		}
		if (lf->n == KV_MAX) {
			lf->too_many = 1;
			return;
		}
		kv = &lf->kv[lf->n++];
		kv->key.p = k;
		kv->key.n = (size_t)(p - k);
		p++;
		if (p < end && *p == '"') {
			p++;
			kv->val.p = buf + used;
			kv->val.n = unquote(&p, end, buf + used,
					    &lf->unterminated);
			used += kv->val.n;
		} else {
			kv->val.p = p;
			while (p < end && *p != ' ')
				p++;
			kv->val.n = (size_t)(p - kv->val.p);
		}
	}
}

static struct sv_span lf_get(const struct logfmt *lf, const char *key)
{
	struct sv_span none = {"", 0};
	size_t i;

	for (i = 0; i < lf->n; i++)
		if (sv_span_eq(lf->kv[i].key, key))
			return lf->kv[i].val;
	return none;
}

/* Where the logfmt part starts: the line itself, or after a syslog or
 * journald prefix (a key after a blank); NULL when the line holds none. */
static const char *logfmt_start(const char *p, size_t n)
{
	static const char *const keys[] = {"time=", "level=", "msg="};
	const char *end = p + n, *at;
	size_t i, k;

	for (i = 0; i < 3; i++) {
		k = strlen(keys[i]);
		if (n >= k && memcmp(p, keys[i], k) == 0)
			return p;
		at = p;
		while ((at = mem_find(at, (size_t)(end - at), keys[i], k))) {
			if (at > p && at[-1] == ' ')
				return at;
			at++;
		}
	}
	return NULL;
}

/* ---- spans ---- */

static int starts(struct sv_span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

static struct sv_span rest(struct sv_span s, size_t from)
{
	struct sv_span r = {s.p + (from < s.n ? from : s.n), 0};

	r.n = from < s.n ? s.n - from : 0;
	return r;
}

/* Offset of lit in s, or -1. */
static long find(struct sv_span s, const char *lit)
{
	const char *at = mem_find(s.p, s.n, lit, strlen(lit));

	return at ? (long)(at - s.p) : -1;
}

/* The first "quoted" text in s (without the quotes); n = 0 if none. */
static struct sv_span quoted(struct sv_span s)
{
	struct sv_span q = {"", 0};
	const char *a = memchr(s.p, '"', s.n), *b;

	if (!a)
		return q;
	b = memchr(a + 1, '"', (size_t)(s.p + s.n - a - 1));
	if (!b)
		return q;
	q.p = a + 1;
	q.n = (size_t)(b - a - 1);
	return q;
}

/* The quoted text after lit in s. */
static struct sv_span quoted_after(struct sv_span s, const char *lit)
{
	long at = find(s, lit);
	struct sv_span none = {"", 0};

	return at < 0 ? none : quoted(rest(s, (size_t)at + strlen(lit)));
}

/*
 * A field of Go's %+v struct text ("Name:web," in &X{Name:web,…}) or of
 * protobuf text ("id:\"…\""): name includes the colon. The name must
 * start the text or follow '{', ',' or a blank.
 */
static struct sv_span field(struct sv_span s, const char *name)
{
	struct sv_span v = {"", 0}, r = s;
	size_t k = strlen(name);
	long at;

	while ((at = find(r, name)) >= 0) {
		const char *p = r.p + at, *end = s.p + s.n, *q;

		if (p == s.p || p[-1] == '{' || p[-1] == ',' || p[-1] == ' ') {
			p += k;
			if (p < end && *p == '"') {
				q = memchr(p + 1, '"', (size_t)(end - p - 1));
				v.p = p + 1;
				v.n = q ? (size_t)(q - p - 1) : 0;
				return v;
			}
			for (q = p; q < end && *q != ',' && *q != '}' &&
				    *q != ' ';
			     q++)
				;
			v.p = p;
			v.n = (size_t)(q - p);
			return v;
		}
		r = rest(r, (size_t)at + 1);
	}
	return v;
}

/* ---- the event being built ---- */

enum ev_type { T_NONE, T_CONTAINER, T_POD, T_IMAGE };

struct ev {
	const char *action;    /* static text */
	const char *suffix;    /* "", "-request" or "-failed" */
	enum ev_type type;
	struct sv_span id, name, image, pod, ns, detail;
	const char *detail_key; /* detail is shown as "key=detail" */
	int has_exit;
	int64_t exit_code;
	int need_id;           /* the message names a container or sandbox */
	const char *bad;       /* a problem with the message, or NULL */
};

/* "<ns>/<pod>/<name>" (CRI-O's container description). */
static void description(struct sv_span d, struct ev *ev)
{
	const char *a = memchr(d.p, '/', d.n), *b;

	if (!a)
		return;
	b = memchr(a + 1, '/', (size_t)(d.p + d.n - a - 1));
	if (!b || memchr(b + 1, '/', (size_t)(d.p + d.n - b - 1)))
		return;
	ev->ns.p = d.p;
	ev->ns.n = (size_t)(a - d.p);
	ev->pod.p = a + 1;
	ev->pod.n = (size_t)(b - a - 1);
	ev->name.p = b + 1;
	ev->name.n = (size_t)(d.p + d.n - b - 1);
}

/* ---- containerd ---- */

static const struct cri_verb {
	const char *prefix;
	const char *action;
	enum ev_type type;
	const char *returns; /* the id follows this on success */
} cri_verbs[] = {
	{"RunPodSandbox for ", "sandbox-start", T_POD, "returns sandbox id "},
	{"StopPodSandbox for ", "sandbox-stop", T_POD, NULL},
	{"RemovePodSandbox for ", "sandbox-remove", T_POD, NULL},
	{"CreateContainer within sandbox ", "create", T_CONTAINER,
	 "returns container id "},
	{"StartContainer for ", "start", T_CONTAINER, NULL},
	{"StopContainer for ", "stop", T_CONTAINER, NULL},
	{"RemoveContainer for ", "remove", T_CONTAINER, NULL},
	{"ExecSync for ", "exec-sync", T_CONTAINER, NULL},
	{"Exec for ", "exec", T_CONTAINER, NULL},
	{"PullImage ", "pull", T_IMAGE, "returns image reference "},
};

/* The argv of "… with command [sh -c id], tty …". */
static struct sv_span command(struct sv_span msg)
{
	struct sv_span none = {"", 0}, c;
	long at = find(msg, "with command [");
	size_t i;

	if (at < 0)
		return none;
	c = rest(msg, (size_t)at + 14);
	for (i = c.n; i > 0; i--)
		if (c.p[i - 1] == ']')
			break;
	c.n = i ? i - 1 : c.n;
	return c;
}

static void cri_call(const struct cri_verb *v, struct sv_span msg,
		     const struct logfmt *lf, struct ev *ev)
{
	struct sv_span args = rest(msg, strlen(v->prefix));

	ev->action = v->action;
	ev->type = v->type;
	if (find(args, " returns ") >= 0)
		ev->suffix = "";
	else if (find(args, " failed") >= 0)
		ev->suffix = "-failed";
	else
		ev->suffix = "-request";
	if (v->returns)
		ev->id = quoted_after(args, v->returns);
	else
		ev->id = quoted(args);
	ev->need_id = v->type != T_IMAGE &&
		      (!v->returns || ev->suffix[0] == '\0');
	if (v->type == T_IMAGE)
		ev->image = quoted(args);
	if (v->type == T_POD && v->returns) {
		ev->pod = field(args, "Name:");
		ev->ns = field(args, "Namespace:");
		ev->name = ev->pod;
	}
	if (v->type == T_CONTAINER && v->returns) {
		ev->name = field(args, "Name:");
		ev->detail = quoted(args);
		ev->detail_key = "sandbox";
	}
	if (strncmp(v->action, "exec", 4) == 0)
		ev->detail = command(args);
	if (strcmp(ev->suffix, "-failed") == 0) {
		ev->detail = lf_get(lf, "error");
		ev->detail_key = NULL;
	}
}

/* TaskExit in Go struct text or protobuf text; exec exits name the
 * exec process in ID / id. */
static void task_exit(struct sv_span msg, struct ev *ev)
{
	struct sv_span cid = field(msg, "ContainerID:"), id, code;
	const char *p;
	uint64_t v;

	if (cid.n) {
		id = field(msg, "ID:");
		code = field(msg, "ExitStatus:");
	} else {
		cid = field(msg, "container_id:");
		id = field(msg, "id:");
		code = field(msg, "exit_status:");
	}
	ev->type = T_CONTAINER;
	ev->id = cid;
	ev->action = "exit";
	if (id.n && (id.n != cid.n || memcmp(id.p, cid.p, id.n) != 0)) {
		ev->action = "exec-exit";
		ev->detail = id;
		ev->detail_key = "exec";
	}
	ev->need_id = 1;
	p = code.p;
	if (code.n && !sv_str_u64(&p, code.p + code.n, UINT32_MAX, &v) &&
	    p == code.p + code.n) {
		ev->has_exit = 1;
		ev->exit_code = (int64_t)v;
	} else if (code.n) {
		ev->bad = "the exit status is not a 32-bit decimal number";
	} else if (cid.n && find(msg, "ContainerID:") < 0) {
		ev->has_exit = 1; /* protobuf text leaves out a zero status */
	}
}

static void match_containerd(struct sv_span msg, const struct logfmt *lf,
			     struct ev *ev)
{
	size_t i;
	long at;

	for (i = 0; i < sizeof(cri_verbs) / sizeof(cri_verbs[0]); i++)
		if (starts(msg, cri_verbs[i].prefix)) {
			cri_call(&cri_verbs[i], msg, lf, ev);
			return;
		}
	if (starts(msg, "TaskExit event ") ||
	    starts(msg, "received exit event ")) {
		task_exit(msg, ev);
	} else if (starts(msg, "TaskOOM event ")) {
		ev->action = "oom";
		ev->type = T_CONTAINER;
		ev->id = field(msg, "ContainerID:");
		if (!ev->id.n)
			ev->id = field(msg, "container_id:");
		ev->need_id = 1;
	} else if (starts(msg, "Stop container ") ||
		   starts(msg, "Kill container ")) {
		ev->action = "kill";
		ev->type = T_CONTAINER;
		ev->id = quoted(msg);
		ev->need_id = 1;
		at = find(msg, "with signal ");
		if (at >= 0) {
			ev->detail = rest(msg, (size_t)at + 12);
			ev->detail_key = "signal";
		}
	} else if (sv_span_eq(msg, "shim disconnected")) {
		ev->action = "shim-disconnected";
		ev->type = T_CONTAINER;
		ev->id = lf_get(lf, "id");
		ev->need_id = 1;
	}
}

/* ---- CRI-O ---- */

enum crio_form { F_DESC, F_ID, F_ID_DESC, F_IMAGE };

static const struct crio_msg {
	const char *prefix;
	const char *action;
	enum ev_type type;
	enum crio_form form;
} crio_msgs[] = {
	{"Running pod sandbox: ", "sandbox-start-request", T_POD, F_DESC},
	{"Ran pod sandbox ", "sandbox-start", T_POD, F_ID_DESC},
	{"Creating container: ", "create-request", T_CONTAINER, F_DESC},
	{"Created container ", "create", T_CONTAINER, F_ID_DESC},
	{"Starting container: ", "start-request", T_CONTAINER, F_ID},
	{"Started container", "start", T_CONTAINER, F_ID_DESC},
	{"Stopping container: ", "stop-request", T_CONTAINER, F_ID},
	{"Stopped container ", "stop", T_CONTAINER, F_ID_DESC},
	{"Removing container: ", "remove-request", T_CONTAINER, F_ID},
	{"Removed container ", "remove", T_CONTAINER, F_ID_DESC},
	{"Stopping pod sandbox: ", "sandbox-stop-request", T_POD, F_ID},
	{"Stopped pod sandbox (already stopped): ", "sandbox-stop", T_POD,
	 F_ID},
	{"Stopped pod sandbox: ", "sandbox-stop", T_POD, F_ID},
	{"Removing pod sandbox: ", "sandbox-remove-request", T_POD, F_ID},
	{"Removed pod sandbox: ", "sandbox-remove", T_POD, F_ID},
	{"Pulling image: ", "pull-request", T_IMAGE, F_IMAGE},
	{"Pulled image: ", "pull", T_IMAGE, F_IMAGE},
	{"container exited and found: ", "exit", T_CONTAINER, F_ID},
};

/* "<id>" up to a blank or ':'. */
static struct sv_span word(struct sv_span s)
{
	size_t i = 0;

	while (i < s.n && (s.p[i] == ' '))
		i++;
	s = rest(s, i);
	for (i = 0; i < s.n && s.p[i] != ' ' && s.p[i] != ':'; i++)
		;
	s.n = i;
	return s;
}

static void crio_fields(const struct crio_msg *m, struct sv_span args,
			const struct logfmt *lf, struct ev *ev)
{
	struct sv_span desc = {"", 0};
	long at;

	if (m->form == F_DESC) {
		desc = args;
	} else if (m->form == F_IMAGE) {
		ev->image = args;
	} else {
		ev->id = word(args);
		if (m->form == F_ID_DESC && (at = find(args, ": ")) >= 0)
			desc = rest(args, (size_t)at + 2);
	}
	if (!ev->id.n)
		ev->id = lf_get(lf, "containerID");
	if (!desc.n)
		desc = lf_get(lf, "description");
	description(desc, ev);
	if (desc.n && !ev->name.n)
		ev->detail = desc;
	if (ev->type == T_POD && !ev->id.n)
		ev->id = lf_get(lf, "sandboxID");
	ev->need_id = m->form == F_ID || m->form == F_ID_DESC;
}

static void match_crio(struct sv_span msg, const struct logfmt *lf,
		       struct ev *ev)
{
	size_t i;

	for (i = 0; i < sizeof(crio_msgs) / sizeof(crio_msgs[0]); i++) {
		const struct crio_msg *m = &crio_msgs[i];

		if (!starts(msg, m->prefix))
			continue;
		ev->action = m->action;
		ev->type = m->type;
		crio_fields(m, rest(msg, strlen(m->prefix)), lf, ev);
		return;
	}
}

/* ---- records ---- */

struct ctx {
	const char *path;
	enum sv_runtime runtime;
	struct sv_arena *rec_arena; /* per-record strings, reset per line */
	char *valbuf;               /* unescaped logfmt values */
	const struct sv_emit *out;
	uint64_t emitted;
};

static const char *copy(struct sv_jfields *f, const char *what,
			struct sv_span s, size_t max)
{
	return sv_jfields_copy(f, what, s.p, s.n, max);
}

static const char *join(struct sv_jfields *f, const char *a, const char *b)
{
	char buf[ACTION_MAX];
	size_t n = strlen(a), m = strlen(b);

	if (n + m >= sizeof(buf))
		return a;
	memcpy(buf, a, n);
	memcpy(buf + n, b, m + 1);
	return sv_jfields_copy(f, "action", buf, n + m, ACTION_MAX);
}

/* "key=value" in the record arena (value already bounded). */
static const char *key_value(struct sv_jfields *f, const char *key,
			     const char *value)
{
	size_t k = strlen(key), v = strlen(value);
	char *d = sv_arena_alloc(f->arena, k + v + 2);

	if (!d) {
		f->nomem = 1;
		return "";
	}
	memcpy(d, key, k);
	d[k] = '=';
	memcpy(d + k + 1, value, v + 1);
	return d;
}

static void build(struct ctx *c, struct sv_jfields *f, struct ev *ev,
		  struct sv_span msg, struct sv_runtime_event *rt)
{
	static const char *const types[] = {"", "container", "pod", "image"};

	rt->runtime = c->runtime;
	rt->type = types[ev->type];
	rt->action = ev->action ? join(f, ev->action, ev->suffix) : "log";
	rt->id = copy(f, "id", ev->id, ID_MAX);
	rt->name = copy(f, "name", ev->name, NAME_MAX_LEN);
	rt->image = copy(f, "image", ev->image, IMAGE_MAX);
	rt->pod = copy(f, "pod", ev->pod, NAME_MAX_LEN);
	rt->k8s_namespace = copy(f, "namespace", ev->ns, NAME_MAX_LEN);
	if (!ev->action)
		ev->detail = msg;
	rt->detail = copy(f, "detail", ev->detail, DETAIL_MAX);
	if (ev->detail_key && ev->detail.n)
		rt->detail = key_value(f, ev->detail_key, rt->detail);
	rt->has_exit_code = ev->has_exit;
	rt->exit_code = ev->exit_code;
}

static int report(struct ctx *c, uint64_t lineno, const struct logfmt *lf,
		  const struct ev *ev, int trc)
{
	int bad = trc || lf->unterminated || lf->too_many;

	if (ev->bad) {
		sv_emit_problem(c->out, c->path, lineno, "%s", ev->bad);
		bad = 1;
	}
	if (ev->need_id && !ev->id.n) {
		sv_emit_problem(c->out, c->path, lineno,
				"no id in a '%s%s' message", ev->action,
				ev->suffix);
		bad = 1;
	}
	if (trc)
		sv_emit_problem(c->out, c->path, lineno,
				trc < 0 ? "time= is not an RFC 3339 time"
					: "no time=");
	if (lf->unterminated)
		sv_emit_problem(c->out, c->path, lineno,
				"a quoted value has no closing quote");
	if (lf->too_many)
		sv_emit_problem(c->out, c->path, lineno,
				"more than %d key=value pairs; the rest are "
				"ignored",
				KV_MAX);
	return bad;
}

static enum sv_status emit_line(struct ctx *c, const struct logfmt *lf,
				uint64_t lineno, struct sv_error *err)
{
	struct sv_span msg = lf_get(lf, "msg"), t = lf_get(lf, "time");
	struct sv_record rec;
	struct sv_jfields f;
	struct ev ev;
	enum sv_status rc;
	int trc, bad;

	memset(&rec, 0, sizeof(rec));
	memset(&ev, 0, sizeof(ev));
	ev.suffix = "";
	trc = t.n == 0 ? 1 : sv_time_parse_rfc3339(t.p, t.n, &rec.ts_ns);
	if (trc)
		rec.ts_ns = SV_TIME_NONE;
	if (c->runtime == SV_RT_CONTAINERD)
		match_containerd(msg, lf, &ev);
	else
		match_crio(msg, lf, &ev);
	sv_arena_reset(c->rec_arena);
	sv_jfields_init(&f, c->rec_arena);
	rec.type = SV_REC_RUNTIME_EVENT;
	rec.artifact = c->path;
	rec.line = lineno;
	build(c, &f, &ev, msg, &rec.u.runtime);
	if (!f.nomem) {
		rc = c->out->record(c->out->ctx, &rec, err);
		if (rc != SV_OK)
			return rc;
		c->emitted++;
	}
	bad = report(c, lineno, lf, &ev, trc);
	rc = sv_jfields_finish(&f, c->out, c->path, lineno, err);
	return rc == SV_OK && bad ? SV_WARN : rc;
}

/*
 * The daemons' --log-format=json form ({"level":…,"msg":…,"time":…}),
 * possibly after a journald prefix: string members become the pairs,
 * borrowed from the returned root (NULL when the line is not that).
 */
static json_t *json_pairs(struct sv_span line, struct logfmt *lf)
{
	const char *brace = memchr(line.p, '{', line.n);
	const char *key;
	json_t *root, *v;

	lf->n = 0;
	lf->too_many = lf->unterminated = 0;
	if (!brace)
		return NULL;
	root = json_loadb(brace, (size_t)(line.p + line.n - brace), 0, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		return NULL;
	}
	json_object_foreach(root, key, v) {
		if (!json_is_string(v))
			continue;
		if (lf->n == KV_MAX) {
			lf->too_many = 1;
			break;
		}
		lf->kv[lf->n].key.p = key;
		lf->kv[lf->n].key.n = strlen(key);
		lf->kv[lf->n].val.p = json_string_value(v);
		lf->kv[lf->n].val.n = json_string_length(v);
		lf->n++;
	}
	return root;
}

static enum sv_status one_line(struct ctx *c, struct sv_span line,
			       uint64_t lineno, struct sv_error *err)
{
	const char *start = logfmt_start(line.p, line.n);
	json_t *root = NULL;
	struct logfmt lf;
	enum sv_status rc;

	if (start) {
		logfmt_parse(start, line.p + line.n, c->valbuf, &lf);
	} else if (!(root = json_pairs(line, &lf))) {
		sv_emit_problem(c->out, c->path, lineno,
				"neither logfmt (time=, level=, msg=) nor a "
				"JSON log line");
		return SV_WARN;
	}
	rc = emit_line(c, &lf, lineno, err);
	json_decref(root);
	return rc;
}

/* journalctl's own lines: "-- Boot …", "-- No entries --", "-- Logs
 * begin at …". */
static int skip_line(struct sv_span line)
{
	size_t i = 0;

	while (i < line.n && (line.p[i] == ' ' || line.p[i] == '\t'))
		i++;
	return i == line.n || (line.n - i >= 3 && memcmp(line.p + i, "-- ", 3)
						      == 0);
}

static enum sv_status parse_log(struct sv_source *src,
				struct sv_arena *scratch,
				const struct sv_emit *out,
				enum sv_runtime runtime, struct sv_error *err)
{
	struct ctx c = {src->path, runtime, NULL, NULL, out, 0};
	char *linebuf = sv_arena_alloc(scratch, LINE_MAX_LEN);
	struct sv_lines lines;
	struct sv_span line;
	enum sv_status rc = SV_OK, result = SV_OK;

	c.valbuf = sv_arena_alloc(scratch, LINE_MAX_LEN);
	c.rec_arena = sv_arena_new(REC_ARENA_CAP);
	if (!linebuf || !c.valbuf || !c.rec_arena) {
		sv_arena_free(c.rec_arena);
		return sv_error_set(err, SV_ERR_NOMEM, src->path,
				    "out of memory");
	}
	sv_lines_init(&lines, src, linebuf, LINE_MAX_LEN);
	while ((rc = sv_lines_next(&lines, &line, err)) != SV_EOF) {
		if (rc == SV_WARN) {
			if (out->problem)
				out->problem(out->ctx, err);
			result = SV_WARN;
			continue;
		}
		if (rc != SV_OK)
			break;
		if (skip_line(line))
			continue;
		rc = one_line(&c, line, lines.lineno, err);
		if (sv_is_error(rc))
			break;
		if (rc != SV_OK)
			result = SV_WARN;
	}
	sv_arena_free(c.rec_arena);
	if (rc != SV_EOF)
		return rc;
	if (result == SV_WARN && c.emitted == 0)
		return sv_error_set(err, SV_ERR_CORRUPT, src->path,
				    "no logfmt line in the file (not a "
				    "%s log?)",
				    runtime == SV_RT_CRIO ? "CRI-O"
							  : "containerd");
	return result;
}

static int probe_containerd(const struct sv_layout *lay, const uint8_t *head,
			    size_t n)
{
	(void)head;
	(void)n;
	return lay->kind == SV_ART_CONTAINERD_LOG ? 100 : 0;
}

static int probe_crio(const struct sv_layout *lay, const uint8_t *head,
		      size_t n)
{
	(void)head;
	(void)n;
	return lay->kind == SV_ART_CRIO_LOG ? 100 : 0;
}

static enum sv_status parse_containerd(struct sv_source *src,
				       struct sv_arena *scratch,
				       const struct sv_emit *out,
				       struct sv_error *err)
{
	return parse_log(src, scratch, out, SV_RT_CONTAINERD, err);
}

static enum sv_status parse_crio(struct sv_source *src,
				 struct sv_arena *scratch,
				 const struct sv_emit *out,
				 struct sv_error *err)
{
	return parse_log(src, scratch, out, SV_RT_CRIO, err);
}

const struct sv_format_ops sv_fmt_containerd_log = {
	.name = "containerd-log",
	.kind = SV_ART_CONTAINERD_LOG,
	.probe = probe_containerd,
	.parse = parse_containerd,
};

const struct sv_format_ops sv_fmt_crio_log = {
	.name = "crio-log",
	.kind = SV_ART_CRIO_LOG,
	.probe = probe_crio,
	.parse = parse_crio,
};
