/*
 * sv_attrib.c - what flow attribution keeps from the records (rules in
 * sv_attrib.h, tables in sv_attrib_int.h; the join is sv_attrib_join.c).
 *
 * Each record updates one capped table: a proc/<T>/<pid>/ record its
 * folder (created on first sight, whatever file of the folder comes
 * first), a socket row or a socket fd its de-duplicated entry, inspect
 * and runtime events their container. Names are interned in the arena
 * (cut at SV_AT_NAME_MAX bytes, within the string budget).
 */
#include "sv_attrib_int.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "sv_cgroup_id.h"
#include "sv_layout.h"
#include "sv_time.h"

#define DEF_SOCKETS 1000000u
#define DEF_FOLDERS 2000000u
#define DEF_FDS 2000000u
#define DEF_CONTAINERS 100000u
#define DEF_STRING_BYTES (64u << 20)

/* ---- life cycle ---- */

static uint64_t or_default(uint64_t v, uint64_t def)
{
	return v ? v : def;
}

static void init_tables(struct sv_attrib *at)
{
	const struct sv_attrib_limits *l = &at->lim;

	sv_tab_init(&at->strs, sizeof(struct str), SV_TAB_MAX);
	sv_tab_init(&at->snaps, sizeof(struct snap), l->max_folders);
	sv_tab_init(&at->folders, sizeof(struct folder),
			   l->max_folders);
	sv_tab_init(&at->rows, sizeof(struct row), l->max_sockets);
	sv_tab_init(&at->fds, sizeof(struct fdent), l->max_fds);
	sv_tab_init(&at->conts, sizeof(struct cont),
			   l->max_containers);
	sv_tab_init(&at->owners, sizeof(struct owner_ent),
			   SV_TAB_MAX);
	sv_tab_init(&at->procs, sizeof(struct proc), SV_TAB_MAX);
	sv_tab_init(&at->nsis, sizeof(struct nsi), SV_TAB_MAX);
	sv_tab_init(&at->addrs, sizeof(struct addr), SV_TAB_MAX);
}

struct sv_attrib *sv_attrib_new_limits(struct sv_arena *arena,
				       const struct sv_attrib_limits *lim)
{
	struct sv_attrib *at = calloc(1, sizeof(*at));
	struct sv_attrib_limits l = {0};

	if (!at)
		return NULL;
	if (lim)
		l = *lim;
	at->arena = arena;
	at->lim.max_sockets = or_default(l.max_sockets, DEF_SOCKETS);
	at->lim.max_folders = or_default(l.max_folders, DEF_FOLDERS);
	at->lim.max_fds = or_default(l.max_fds, DEF_FDS);
	at->lim.max_containers = or_default(l.max_containers, DEF_CONTAINERS);
	at->lim.max_string_bytes = or_default(l.max_string_bytes,
					      DEF_STRING_BYTES);
	if (getrandom(&at->seed, sizeof(at->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(at->seed))
		at->seed = (uint64_t)sv_time_now() ^ (uint64_t)(uintptr_t)at;
	init_tables(at);
	return at;
}

struct sv_attrib *sv_attrib_new(struct sv_arena *arena)
{
	return sv_attrib_new_limits(arena, NULL);
}

void sv_attrib_free(struct sv_attrib *at)
{
	if (!at)
		return;
	sv_attrib_join_free(at);
	sv_tab_free(&at->strs);
	sv_tab_free(&at->snaps);
	sv_tab_free(&at->folders);
	sv_tab_free(&at->rows);
	sv_tab_free(&at->fds);
	sv_tab_free(&at->conts);
	sv_tab_free(&at->owners);
	free(at);
}

/* ---- interned names ---- */

/*
 * The arena copy of s (cut at SV_AT_NAME_MAX), shared by equal strings.
 * NULL with *nomem = 0 when s is NULL or empty or the string budget is
 * spent (counted); NULL with *nomem = 1 when allocation failed.
 */
static const char *intern(struct sv_attrib *at, const char *s, int *nomem)
{
	size_t n;
	uint64_t h;
	uint32_t i, idx;
	struct str *e;
	char *copy;
	int rc;

	if (!s || !*s)
		return NULL;
	n = strnlen(s, SV_AT_NAME_MAX);
	h = sv_hash_bytes(at->seed, s, n);
	for (i = sv_tab_first(&at->strs, (uint32_t)h); i;
	     i = sv_tab_next(&at->strs, i)) {
		e = sv_tab_at(&at->strs, i - 1);
		if (e->l.hash == (uint32_t)h && !strncmp(e->s, s, n) &&
		    e->s[n] == '\0')
			return e->s;
	}
	if (at->string_bytes + n + 1 > at->lim.max_string_bytes) {
		at->st.strings_dropped++;
		return NULL;
	}
	copy = sv_arena_strndup(at->arena, s, n);
	rc = copy ? sv_tab_add(&at->strs, h, &idx) : -1;
	if (rc) {
		*nomem = rc < 0;
		at->st.strings_dropped += rc > 0;
		return NULL;
	}
	at->string_bytes += n + 1;
	e = sv_tab_at(&at->strs, idx);
	e->s = copy;
	return copy;
}

/* ---- folders: proc/<T>/<pid>/ ---- */

/* "<root>/proc/<T>" of a proc/<T>/<pid>/... artifact, interned. */
static const char *snap_prefix(struct sv_attrib *at,
			       const struct sv_record *rec, int *nomem)
{
	uint64_t h = sv_hash2(at->seed, (uint64_t)rec->ts_ns, 0);
	struct sv_layout lay;
	char buf[SV_AT_NAME_MAX + 1];
	const char *end;
	struct snap *s;
	uint32_t i;
	size_t n;

	for (i = sv_tab_first(&at->snaps, (uint32_t)h); i;
	     i = sv_tab_next(&at->snaps, i)) {
		s = sv_tab_at(&at->snaps, i - 1);
		if (s->ts == rec->ts_ns)
			return s->prefix;
	}
	if (!rec->artifact || sv_tab_add(&at->snaps, h, &i) != 0)
		return NULL;
	s = sv_tab_at(&at->snaps, i);
	s->ts = rec->ts_ns;
	sv_layout_classify(rec->artifact, &lay);
	if ((lay.kind != SV_ART_PROC_PID && lay.kind != SV_ART_PROC_NET) ||
	    lay.leaf <= rec->artifact + 1)
		return NULL;
	end = lay.leaf - 1;   /* the '/' after <pid> */
	while (end > rec->artifact && end[-1] != '/')
		end--;
	n = end > rec->artifact ? (size_t)(end - 1 - rec->artifact) : 0;
	if (!n || n > SV_AT_NAME_MAX)
		return NULL;
	memcpy(buf, rec->artifact, n);
	buf[n] = '\0';
	s->prefix = intern(at, buf, nomem);
	return s->prefix;
}

/*
 * The folder of rec (created on first sight): 0 and *out; 1 when the
 * folder table is full (counted); -1 out of memory.
 */
static int folder_get(struct sv_attrib *at, const struct sv_record *rec,
		      uint32_t *out)
{
	uint64_t h = sv_hash2(at->seed, (uint64_t)rec->ts_ns, rec->pid);
	struct folder *f;
	uint32_t i;
	int nomem = 0, rc;

	i = at->last_folder;
	if (i && F(at, i - 1)->ts == rec->ts_ns && F(at, i - 1)->pid ==
	    rec->pid) {
		*out = i - 1;
		return 0;
	}
	for (i = sv_tab_first(&at->folders, (uint32_t)h); i;
	     i = sv_tab_next(&at->folders, i))
		if (F(at, i - 1)->ts == rec->ts_ns &&
		    F(at, i - 1)->pid == rec->pid)
			break;
	if (!i) {
		rc = sv_tab_add(&at->folders, h, &i);
		if (rc) {
			at->st.folders_dropped += rc > 0;
			return rc;
		}
		f = F(at, i);
		f->ts = rec->ts_ns;
		f->pid = rec->pid;
		f->snap = snap_prefix(at, rec, &nomem);
		i++;
	}
	at->last_folder = i;
	*out = i - 1;
	return nomem ? -1 : 0;
}

/* The container entry of id (created): index, or -1 full, -2 NOMEM. */
static int64_t cont_get(struct sv_attrib *at, const char *id)
{
	uint64_t h;
	uint32_t i;
	int nomem = 0, rc;
	const char *s;

	s = intern(at, id, &nomem);
	if (!s)
		return nomem ? -2 : -1;
	h = sv_hash_bytes(at->seed, s, strlen(s));
	for (i = sv_tab_first(&at->conts, (uint32_t)h); i;
	     i = sv_tab_next(&at->conts, i))
		if (C(at, i - 1)->id == s)
			return i - 1;
	rc = sv_tab_add(&at->conts, h, &i);
	if (rc) {
		at->st.containers_dropped += rc > 0;
		return rc > 0 ? -1 : -2;
	}
	C(at, i)->id = s;
	return i;
}

static int on_cgroup(struct sv_attrib *at, struct folder *f,
		     const struct sv_proc_cgroup *cg)
{
	struct sv_container_ref ref;
	int64_t c;

	f->has_cgroup = 1;
	if (!sv_cgroup_container(cg->path, &ref)) {
		f->conmon |= (uint8_t)ref.is_conmon;
		return 0;
	}
	if (ref.is_conmon) {
		f->conmon = 1;
		return 0;
	}
	if (f->cont)
		return 0;
	c = cont_get(at, ref.id);
	if (c == -2)
		return -1;
	if (c >= 0)
		f->cont = (uint32_t)c + 1;
	return 0;
}

/* ---- socket rows and fds ---- */

static const uint8_t v4mapped[12] = {[10] = 0xff, [11] = 0xff};

/* A row's tuple; IPv4 peers of an IPv6 socket (::ffff:a.b.c.d) as IPv4. */
static void sock_tuple(const struct sv_socket *s, struct tuple *k)
{
	memset(k, 0, sizeof(*k));
	k->proto = s->proto == SV_SOCK_TCP ? SV_AT_TCP : SV_AT_UDP;
	k->lp = s->local_port;
	k->rp = s->remote_port;
	if (s->family != 6) {
		k->fam = 4;
		memcpy(k->la, s->local, 4);
		memcpy(k->ra, s->remote, 4);
		return;
	}
	if (!memcmp(s->local, v4mapped, 12) &&
	    (!memcmp(s->remote, v4mapped, 12) || all_zero(s->remote, 16))) {
		k->fam = 4;
		memcpy(k->la, s->local + 12, 4);
		if (!all_zero(s->remote, 16))
			memcpy(k->ra, s->remote + 12, 4);
		return;
	}
	k->fam = 6;
	memcpy(k->la, s->local, 16);
	memcpy(k->ra, s->remote, 16);
}

/* Widen a (first, last) folder pair to include folder f. */
static void seen_in(const struct sv_attrib *at, uint32_t *first,
		    uint32_t *last, uint32_t f)
{
	if (folder_ts(at, f) < folder_ts(at, *first))
		*first = f;
	if (folder_ts(at, f) > folder_ts(at, *last))
		*last = f;
}

static int on_socket(struct sv_attrib *at, uint32_t f,
		     const struct sv_socket *s)
{
	struct tuple k;
	uint64_t h;
	uint32_t i;
	struct row *r;
	int rc, same = 0;

	sock_tuple(s, &k);
	h = tuple_hash(at, &k);
	for (i = sv_tab_first(&at->rows, (uint32_t)h); i;
	     i = sv_tab_next(&at->rows, i)) {
		r = sv_tab_at(&at->rows, i - 1);
		if (memcmp(&r->k, &k, sizeof(k)))
			continue;
		if (r->inode == s->inode) {
			seen_in(at, &r->f_first, &r->f_last, f);
			return 0;
		}
		same++;
	}
	rc = same >= SV_ATTRIB_ROWS_PER_TUPLE ? 1
	     : sv_tab_add(&at->rows, h, &i);
	if (rc) {
		at->st.sockets_dropped += rc > 0;
		return rc < 0 ? -1 : 0;
	}
	r = sv_tab_at(&at->rows, i);
	r->k = k;
	r->state = s->state;
	r->v6tab = s->family == 6;
	r->inode = s->inode;
	r->f_first = r->f_last = f;
	return 0;
}

static int on_fd(struct sv_attrib *at, uint32_t f, uint64_t inode)
{
	uint64_t h = sv_hash2(at->seed, inode, 1);
	uint32_t i, pid = F(at, f)->pid;
	struct fdent *e;
	int rc, same = 0;

	for (i = sv_tab_first(&at->fds, (uint32_t)h); i;
	     i = sv_tab_next(&at->fds, i)) {
		e = sv_tab_at(&at->fds, i - 1);
		if (e->inode != inode)
			continue;
		if (e->pid == pid) {
			seen_in(at, &e->f_first, &e->f_last, f);
			return 0;
		}
		same++;
	}
	rc = same >= SV_ATTRIB_HOLDERS_PER_INODE ? 1
	     : sv_tab_add(&at->fds, h, &i);
	if (rc) {
		at->st.fds_dropped += rc > 0;
		return rc < 0 ? -1 : 0;
	}
	e = sv_tab_at(&at->fds, i);
	e->inode = inode;
	e->pid = pid;
	e->f_first = e->f_last = f;
	return 0;
}

/* ---- containers: inspect and events ---- */

static void add_ip(struct cont *c, const char *s)
{
	uint8_t a[16] = {0};
	uint8_t fam;
	unsigned i;

	if (inet_pton(AF_INET, s, a) == 1)
		fam = 4;
	else if (inet_pton(AF_INET6, s, a) == 1)
		fam = 6;
	else
		return;
	for (i = 0; i < c->nip; i++)
		if (c->ipfam[i] == fam && !memcmp(c->ip[i], a, 16))
			return;
	if (c->nip >= PER_KEY)
		return;
	c->ipfam[c->nip] = fam;
	memcpy(c->ip[c->nip++], a, 16);
}

static int on_inspect(struct sv_attrib *at, const struct sv_record *rec)
{
	const struct sv_inspect *in = &rec->u.inspect;
	int64_t ci = cont_get(at, in->id);
	int nomem = 0;
	struct cont *c;
	const char *name = in->name;
	size_t i;

	if (ci < 0)
		return ci == -2 ? -1 : 0;
	c = C(at, ci);
	if (name && name[0] == '/')
		name++;   /* docker's "/web" */
	if (!c->src) {
		c->src = intern(at, rec->artifact, &nomem);
		c->name = intern(at, name, &nomem);
		c->image = intern(at, in->image, &nomem);
		c->pod = intern(at, in->pod, &nomem);
		c->started = in->started_ns;
		c->finished = in->finished_ns;
	}
	for (i = 0; i < in->n_ip_addresses; i++)
		if (in->ip_addresses[i])
			add_ip(c, in->ip_addresses[i]);
	return nomem ? -1 : 0;
}

static int on_event(struct sv_attrib *at, const struct sv_runtime_event *ev)
{
	int64_t ci;
	struct cont *c;
	int nomem = 0;

	if (!ev->id || strlen(ev->id) != SV_CONTAINER_ID_LEN ||
	    (ev->type && ev->type[0] && strcmp(ev->type, "container")))
		return 0;
	ci = cont_get(at, ev->id);
	if (ci < 0)
		return ci == -2 ? -1 : 0;
	c = C(at, ci);
	if (!c->name)
		c->name = intern(at, ev->name, &nomem);
	if (!c->image)
		c->image = intern(at, ev->image, &nomem);
	if (!c->pod)
		c->pod = intern(at, ev->pod, &nomem);
	return nomem ? -1 : 0;
}

/* ---- records ---- */

static int on_proc(struct sv_attrib *at, const struct sv_record *rec)
{
	struct folder *f;
	uint32_t fi;
	int nomem = 0, rc = folder_get(at, rec, &fi);

	if (rc)
		return rc < 0 ? -1 : 0;
	f = F(at, fi);
	switch (rec->type) {
	case SV_REC_PROC_STAT:
		f->start = rec->u.proc_stat.starttime;
		if (!f->comm_file)
			f->comm = intern(at, rec->u.proc_stat.comm, &nomem);
		break;
	case SV_REC_PROC_COMM:
		f->comm = intern(at, rec->u.comm, &nomem);
		f->comm_file = 1;
		break;
	case SV_REC_PROC_LINK:
		if (rec->u.proc_link.kind == SV_LINK_EXE)
			f->exe = intern(at, rec->u.proc_link.target, &nomem);
		break;
	case SV_REC_PROC_CGROUP:
		return on_cgroup(at, f, &rec->u.proc_cgroup);
	case SV_REC_PROC_NS:
		if (rec->u.proc_ns.name && !strcmp(rec->u.proc_ns.name, "net"))
			f->netns = rec->u.proc_ns.inode;
		break;
	case SV_REC_PROC_FD:
		if (rec->u.proc_fd.kind == SV_FD_SOCKET &&
		    rec->u.proc_fd.inode)
			return on_fd(at, fi, rec->u.proc_fd.inode);
		break;
	case SV_REC_SOCKET:
		return on_socket(at, fi, &rec->u.socket);
	default:
		break;
	}
	return nomem ? -1 : 0;
}

enum sv_status sv_attrib_record(struct sv_attrib *at,
				const struct sv_record *rec,
				struct sv_error *err)
{
	int rc;

	switch (rec->type) {
	case SV_REC_PROC_STAT: case SV_REC_PROC_COMM: case SV_REC_PROC_LINK:
	case SV_REC_PROC_CGROUP: case SV_REC_PROC_NS: case SV_REC_PROC_FD:
	case SV_REC_SOCKET:
		rc = rec->pid ? on_proc(at, rec) : 0;
		break;
	case SV_REC_INSPECT:
		rc = on_inspect(at, rec);
		break;
	case SV_REC_RUNTIME_EVENT:
		rc = on_event(at, &rec->u.runtime);
		break;
	default:
		return SV_OK;
	}
	if (rc < 0)
		return sv_error_set(err, SV_ERR_NOMEM, rec->artifact,
				    "out of memory (flow attribution)");
	return SV_OK;
}
