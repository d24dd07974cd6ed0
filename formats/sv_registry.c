/*
 * sv_registry.c - probe and dispatch. Cheap probes first; the highest
 * score wins and ties go to the earlier reader (libarchive's choose_format).
 */
#include "sv_registry.h"

#include <stdarg.h>
#include <stdio.h>

extern const struct sv_format_ops sv_fmt_manifest;
extern const struct sv_format_ops sv_fmt_sha256sums;
extern const struct sv_format_ops sv_fmt_proc_host;
extern const struct sv_format_ops sv_fmt_proc_stat;
extern const struct sv_format_ops sv_fmt_proc_status;
extern const struct sv_format_ops sv_fmt_proc_argv;
extern const struct sv_format_ops sv_fmt_proc_comm;
extern const struct sv_format_ops sv_fmt_proc_io;
extern const struct sv_format_ops sv_fmt_proc_cgroup;
extern const struct sv_format_ops sv_fmt_proc_link;
extern const struct sv_format_ops sv_fmt_proc_fd;
extern const struct sv_format_ops sv_fmt_proc_ns;
extern const struct sv_format_ops sv_fmt_proc_net;
extern const struct sv_format_ops sv_fmt_dmesg;
extern const struct sv_format_ops sv_fmt_cgroup;
extern const struct sv_format_ops sv_fmt_docker_events;
extern const struct sv_format_ops sv_fmt_podman_events;
extern const struct sv_format_ops sv_fmt_containerd_log;
extern const struct sv_format_ops sv_fmt_crio_log;
extern const struct sv_format_ops sv_fmt_k8s_audit;
extern const struct sv_format_ops sv_fmt_k8s_events;
extern const struct sv_format_ops sv_fmt_journal;
extern const struct sv_format_ops sv_fmt_inspect;
extern const struct sv_format_ops sv_fmt_pcap;
extern const struct sv_format_ops sv_fmt_unknown;

static const struct sv_format_ops *const readers[] = {
	&sv_fmt_manifest,
	&sv_fmt_sha256sums,
	&sv_fmt_proc_host,
	&sv_fmt_proc_stat,
	&sv_fmt_proc_status,
	&sv_fmt_proc_argv,
	&sv_fmt_proc_comm,
	&sv_fmt_proc_io,
	&sv_fmt_proc_cgroup,
	&sv_fmt_proc_link,
	&sv_fmt_proc_fd,
	&sv_fmt_proc_ns,
	&sv_fmt_proc_net,
	&sv_fmt_dmesg,
	&sv_fmt_cgroup,
	&sv_fmt_docker_events,
	&sv_fmt_podman_events,
	&sv_fmt_containerd_log,
	&sv_fmt_crio_log,
	&sv_fmt_k8s_audit,
	&sv_fmt_k8s_events,
	&sv_fmt_journal,
	&sv_fmt_inspect,
	&sv_fmt_pcap,
	&sv_fmt_unknown, /* fallback: scores 1 on files outside the contract */
};

#define NREADERS (sizeof(readers) / sizeof(readers[0]))

const struct sv_format_ops *sv_registry_choose(const struct sv_layout *lay,
					       const uint8_t *head, size_t n)
{
	const struct sv_format_ops *best = NULL;
	int best_score = 0;
	size_t i;

	for (i = 0; i < NREADERS; i++) {
		int s = readers[i]->probe(lay, head, n);

		if (s > best_score) {
			best_score = s;
			best = readers[i];
		}
	}
	return best;
}

size_t sv_registry_count(void)
{
	return NREADERS;
}

const struct sv_format_ops *sv_registry_at(size_t i)
{
	return i < NREADERS ? readers[i] : NULL;
}

void sv_emit_problem(const struct sv_emit *out, const char *artifact,
		     uint64_t line, const char *fmt, ...)
{
	struct sv_error e;
	char msg[SV_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sv_error_clear(&e);
	sv_error_at(&e, SV_WARN, artifact, 0, line, "%s", msg);
	if (out->problem)
		out->problem(out->ctx, &e);
}
