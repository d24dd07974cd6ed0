/*
 * fmt_inspect.c - inspect/<id>.json, `docker inspect` / `podman inspect`
 * output for one container: a JSON array with one object (a bare object
 * is read too; several objects give several records).
 *
 *   [{"Id":"<64 hex>","Name":"/web","Created":"RFC 3339",
 *     "Image":"sha256:…"|"<id>","ImageName":"localhost/x:1" (podman),
 *     "State":{"Running":true,"OOMKilled":false,"Pid":9079,"ExitCode":0,
 *              "StartedAt":"…","FinishedAt":"0001-01-01T00:00:00Z"},
 *     "Config":{"Image":"nginx","User":"","Labels":{…}},
 *     "HostConfig":{"Privileged":false,"CapAdd":[…]|null,
 *                   "PidMode":"","NetworkMode":"bridge","IpcMode":"…",
 *                   "UTSMode":"","CgroupParent":""},
 *     "Mounts":[{"Type":"bind","Source":"/","Destination":"/host",
 *                "RW":true}],
 *     "NetworkSettings":{"IPAddress":"…","GlobalIPv6Address":"…",
 *                        "Networks":{"<net>":{"IPAddress":"…",
 *                                             "GlobalIPv6Address":"…"}}}}]
 *
 * Go's zero time "0001-01-01T00:00:00Z" means unset (SV_TIME_NONE).
 * Docker names start with "/", which is dropped. The image is
 * Config.Image, else podman's ImageName. The pod and namespace come from
 * the io.kubernetes.pod.* labels. exit_code and pid are -1 when absent.
 * The record's time is the creation time.
 *
 * dockerd's own config.v2.json (ID, MountPoints, no HostConfig) is read
 * as far as it goes and reported as not being inspect output.
 */
#include <string.h>

#include "sv_format.h"
#include "sv_jsonl.h"
#include "sv_time.h"

#define DOC_MAX (4u << 20)
#define OBJECTS_MAX 4096u
#define ID_MAX 256
#define NAME_MAX_LEN 512
#define IMAGE_MAX 1024
#define WORD_MAX 256
#define PATH_MAX_LEN 4096
#define ADDR_MAX 64
#define MOUNTS_MAX 256u
#define CAPS_MAX 64u
#define ADDRS_MAX 64u

struct ctx {
	const char *path;
	const char *stem;   /* file name without ".json": the container id */
	size_t stem_len;
	struct sv_arena *arena;
	const struct sv_emit *out;
	int warned;
	size_t emitted;
};

static int probe(const struct sv_layout *lay, const uint8_t *head, size_t n)
{
	return sv_json_probe(lay, SV_ART_INSPECT, head, n, "[{");
}

static void problem(struct ctx *c, const char *what, size_t idx,
		    const char *detail)
{
	sv_emit_problem(c->out, c->path, 0, "container %zu: %s%s", idx, what,
			detail);
	c->warned = 1;
}

static const char **caps(struct ctx *c, struct sv_jfields *f, json_t *arr,
			 size_t *n, size_t idx)
{
	size_t i, k = 0, total = json_array_size(arr);
	const char **out;

	*n = 0;
	if (total == 0)
		return NULL;
	if (total > CAPS_MAX) {
		problem(c, "more than 64 added capabilities; the rest are "
			   "left out", idx, "");
		total = CAPS_MAX;
	}
	out = sv_arena_calloc(f->arena, total, sizeof(*out));
	if (!out) {
		f->nomem = 1;
		return NULL;
	}
	for (i = 0; i < total; i++) {
		const char *s = sv_jfields_val(f, "CapAdd",
					       json_array_get(arr, i),
					       WORD_MAX);

		if (s[0])
			out[k++] = s;
	}
	*n = k;
	return out;
}

/* One mount from a Mounts element or a MountPoints value. */
static int mount(struct sv_jfields *f, json_t *m, struct sv_mount *out)
{
	if (!json_is_object(m))
		return -1;
	out->source = sv_jfields_str(f, m, "Source", PATH_MAX_LEN);
	out->destination = sv_jfields_str(f, m, "Destination", PATH_MAX_LEN);
	out->type = sv_jfields_str(f, m, "Type", WORD_MAX);
	out->rw = json_is_true(json_object_get(m, "RW"));
	return 0;
}

static struct sv_mount *mounts(struct ctx *c, struct sv_jfields *f,
			       json_t *obj, size_t *n, size_t idx)
{
	json_t *list = json_object_get(obj, "Mounts");
	json_t *points = json_object_get(obj, "MountPoints");
	size_t total = json_is_array(list) ? json_array_size(list)
					   : json_object_size(points);
	struct sv_mount *out;
	const char *key;
	json_t *m;
	size_t k = 0, i;

	*n = 0;
	if (total == 0)
		return NULL;
	if (total > MOUNTS_MAX) {
		problem(c, "more than 256 mounts; the rest are left out", idx,
			"");
		total = MOUNTS_MAX;
	}
	out = sv_arena_calloc(f->arena, total, sizeof(*out));
	if (!out) {
		f->nomem = 1;
		return NULL;
	}
	if (json_is_array(list)) {
		for (i = 0; i < total; i++)
			if (mount(f, json_array_get(list, i), &out[k]) == 0)
				k++;
	} else {
		json_object_foreach(points, key, m) {
			if (k == total)
				break;
			if (mount(f, m, &out[k]) == 0)
				k++;
		}
	}
	*n = k;
	return out;
}

/* Add v (an address string) unless empty or already there. */
static void add_addr(struct sv_jfields *f, const char **list, size_t *n,
		     size_t cap, int *full, json_t *v)
{
	const char *s;
	size_t i;

	if (!json_is_string(v) || json_string_length(v) == 0)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp(list[i], json_string_value(v)) == 0)
			return;
	if (*n == cap) {
		*full = 1;
		return;
	}
	s = sv_jfields_val(f, "IPAddress", v, ADDR_MAX);
	if (s[0])
		list[(*n)++] = s;
}

static const char **addresses(struct ctx *c, struct sv_jfields *f,
			      json_t *obj, size_t *n, size_t idx)
{
	json_t *ns = json_object_get(obj, "NetworkSettings");
	json_t *nets = json_object_get(ns, "Networks");
	const char **out = sv_arena_calloc(f->arena, ADDRS_MAX, sizeof(*out));
	const char *key;
	json_t *net;
	int full = 0;

	*n = 0;
	if (!out) {
		f->nomem = 1;
		return NULL;
	}
	add_addr(f, out, n, ADDRS_MAX, &full, json_object_get(ns, "IPAddress"));
	add_addr(f, out, n, ADDRS_MAX, &full,
		 json_object_get(ns, "GlobalIPv6Address"));
	json_object_foreach(nets, key, net) {
		add_addr(f, out, n, ADDRS_MAX, &full,
			 json_object_get(net, "IPAddress"));
		add_addr(f, out, n, ADDRS_MAX, &full,
			 json_object_get(net, "GlobalIPv6Address"));
	}
	if (full)
		problem(c, "more than 64 addresses; the rest are left out",
			idx, "");
	return out;
}

/* A time field: SV_TIME_NONE when unset; reported when malformed. */
static int64_t time_of(struct ctx *c, json_t *obj, const char *dotted,
		       size_t idx)
{
	int64_t ns;
	int rc = sv_json_time(sv_json_path(obj, dotted), &ns);

	if (rc == 0)
		return ns;
	if (rc < 0)
		problem(c, "not an RFC 3339 time: ", idx, dotted);
	return SV_TIME_NONE;
}

static int64_t int_of(struct ctx *c, json_t *obj, const char *dotted,
		      size_t idx)
{
	json_t *v = sv_json_path(obj, dotted);

	if (json_is_integer(v))
		return json_integer_value(v);
	if (v && !json_is_null(v))
		problem(c, "not an integer: ", idx, dotted);
	return -1;
}

static void state(struct ctx *c, json_t *obj, struct sv_inspect *in,
		  size_t idx)
{
	in->created_ns = time_of(c, obj, "Created", idx);
	in->started_ns = time_of(c, obj, "State.StartedAt", idx);
	in->finished_ns = time_of(c, obj, "State.FinishedAt", idx);
	in->exit_code = int_of(c, obj, "State.ExitCode", idx);
	in->pid = int_of(c, obj, "State.Pid", idx);
	in->oom_killed = json_is_true(sv_json_path(obj, "State.OOMKilled"));
	in->running = json_is_true(sv_json_path(obj, "State.Running"));
}

static void identity(struct sv_jfields *f, json_t *obj, struct sv_inspect *in)
{
	json_t *labels = sv_json_path(obj, "Config.Labels");

	in->id = sv_jfields_str(f, obj, "Id", ID_MAX);
	if (!in->id[0])
		in->id = sv_jfields_str(f, obj, "ID", ID_MAX);
	in->name = sv_jfields_str(f, obj, "Name", NAME_MAX_LEN);
	if (in->name[0] == '/')
		in->name++;
	in->image = sv_jfields_str(f, obj, "Config.Image", IMAGE_MAX);
	if (!in->image[0])
		in->image = sv_jfields_str(f, obj, "ImageName", IMAGE_MAX);
	in->image_id = sv_jfields_str(f, obj, "Image", IMAGE_MAX);
	in->user = sv_jfields_str(f, obj, "Config.User", WORD_MAX);
	in->pod = sv_jfields_val(f, "io.kubernetes.pod.name",
				 json_object_get(labels,
						 "io.kubernetes.pod.name"),
				 NAME_MAX_LEN);
	in->k8s_namespace = sv_jfields_val(
		f, "io.kubernetes.pod.namespace",
		json_object_get(labels, "io.kubernetes.pod.namespace"),
		NAME_MAX_LEN);
}

static void host_config(struct ctx *c, struct sv_jfields *f, json_t *obj,
			struct sv_inspect *in, size_t idx)
{
	json_t *hc = json_object_get(obj, "HostConfig");

	if (!json_is_object(hc))
		problem(c, "no HostConfig (a dockerd config.v2.json, not "
			   "inspect output?): privileges unknown", idx, "");
	in->privileged = json_is_true(json_object_get(hc, "Privileged"));
	in->cap_add = caps(c, f, json_object_get(hc, "CapAdd"),
			   &in->n_cap_add, idx);
	in->pid_mode = sv_jfields_str(f, hc, "PidMode", WORD_MAX);
	in->network_mode = sv_jfields_str(f, hc, "NetworkMode", WORD_MAX);
	in->ipc_mode = sv_jfields_str(f, hc, "IpcMode", WORD_MAX);
	in->uts_mode = sv_jfields_str(f, hc, "UTSMode", WORD_MAX);
	in->cgroup_parent = sv_jfields_str(f, hc, "CgroupParent",
					   PATH_MAX_LEN);
}

/* The file is named after the container: say so when they differ. */
static void check_name(struct ctx *c, const char *id, size_t idx)
{
	size_t n = strlen(id);
	size_t m = n < c->stem_len ? n : c->stem_len;

	if (c->stem_len == 0 || n == 0 || memcmp(id, c->stem, m) == 0)
		return;
	problem(c, "the file name does not match the container id ", idx, id);
}

static enum sv_status one(struct ctx *c, json_t *obj, size_t idx,
			  struct sv_error *err)
{
	struct sv_record rec;
	struct sv_inspect *in = &rec.u.inspect;
	struct sv_jfields f;
	enum sv_status rc;

	if (!json_is_object(obj) ||
	    (!json_object_get(obj, "Id") && !json_object_get(obj, "ID"))) {
		problem(c, "not a container (no 'Id')", idx, "");
		return SV_WARN;
	}
	sv_jfields_init(&f, c->arena);
	memset(&rec, 0, sizeof(rec));
	rec.type = SV_REC_INSPECT;
	rec.artifact = c->path;
	identity(&f, obj, in);
	state(c, obj, in, idx);
	host_config(c, &f, obj, in, idx);
	in->mounts = mounts(c, &f, obj, &in->n_mounts, idx);
	in->ip_addresses = addresses(c, &f, obj, &in->n_ip_addresses, idx);
	check_name(c, in->id, idx);
	rec.ts_ns = in->created_ns;
	if (f.nomem)
		return sv_jfields_finish(&f, c->out, c->path, 0, err);
	rc = c->out->record(c->out->ctx, &rec, err);
	if (rc != SV_OK)
		return rc;
	c->emitted++;
	return sv_jfields_finish(&f, c->out, c->path, 0, err);
}

static void set_stem(struct ctx *c, const char *path)
{
	struct sv_layout lay;
	size_t n;

	sv_layout_classify(path, &lay);
	n = strlen(lay.leaf);
	c->stem = lay.leaf;
	c->stem_len = lay.kind == SV_ART_INSPECT && n > 5 ? n - 5 : 0;
}

static enum sv_status parse(struct sv_source *src, struct sv_arena *scratch,
			    const struct sv_emit *out, struct sv_error *err)
{
	struct ctx c = {src->path, NULL, 0, scratch, out, 0, 0};
	enum sv_status rc = SV_OK, one_rc;
	size_t i, n;
	json_t *root;

	set_stem(&c, src->path);
	SV_FORWARD(sv_json_load(src, scratch, DOC_MAX, &root, err));
	if (!json_is_array(root)) {
		rc = one(&c, root, 0, err);
	} else {
		n = json_array_size(root);
		if (n > OBJECTS_MAX) {
			problem(&c, "over 4096 containers; the rest are left "
				    "out", 0, "");
			n = OBJECTS_MAX;
		}
		for (i = 0; i < n && !sv_is_error(rc); i++) {
			one_rc = one(&c, json_array_get(root, i), i, err);
			if (one_rc != SV_OK)
				rc = one_rc;
		}
	}
	json_decref(root);
	if (sv_is_error(rc))
		return rc;
	if (c.emitted == 0)
		return sv_error_set(err, SV_ERR_CORRUPT, src->path,
				    "no container object in the file (an "
				    "empty array: gone when inspected?)");
	return rc == SV_WARN || c.warned ? SV_WARN : rc;
}

const struct sv_format_ops sv_fmt_inspect = {
	.name = "inspect",
	.kind = SV_ART_INSPECT,
	.probe = probe,
	.parse = parse,
};
