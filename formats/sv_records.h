/*
 * sv_records.h - the typed records artifact readers emit.
 *
 * Readers turn bytes into these; the analyzer gives them meaning. Every
 * string is NUL-terminated, already bounded by its reader, and borrowed:
 * valid only during the emit call (readers allocate them in the scratch
 * arena, reset between members). Times are UTC ns (sv_time.h); a record
 * whose source only knows time since boot (dmesg) carries boot_ns and
 * ts_ns = SV_TIME_NONE, and the analyzer converts it once the boot time
 * is known (the manifest may come last in the stream).
 */
#ifndef SV_RECORDS_H
#define SV_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "sv_hasher.h"

enum sv_record_type {
	SV_REC_MANIFEST = 1,
	SV_REC_CHECKSUM,
	SV_REC_UNKNOWN_FILE,
	/* /proc snapshots (issue 3) */
	SV_REC_HOST_STAT,     /* proc/<T>/stat */
	SV_REC_HOST_UPTIME,   /* proc/<T>/uptime */
	SV_REC_PROC_STAT,     /* proc/<T>/<pid>/stat */
	SV_REC_PROC_STATUS,   /* .../status */
	SV_REC_PROC_ARGV,     /* .../cmdline and .../environ */
	SV_REC_PROC_CGROUP,   /* .../cgroup, one per line */
	SV_REC_PROC_IO,       /* .../io */
	SV_REC_PROC_COMM,     /* .../comm */
	SV_REC_PROC_LINK,     /* .../{exe,cwd,root}.link */
	SV_REC_PROC_FD,       /* .../fd.links, one per line */
	SV_REC_PROC_NS,       /* .../ns.links, one per line */
	SV_REC_SOCKET,        /* .../net/{tcp,tcp6,udp,udp6}, one per row */
	SV_REC_UNIX_SOCKET,   /* .../net/unix, one per row */
	/* cgroup files */
	SV_REC_CGROUP_VALUE,  /* one key/value of a cgroup stat file */
	/* lifecycle logs */
	SV_REC_RUNTIME_EVENT, /* docker/podman events, containerd/CRI-O logs */
	SV_REC_K8S_AUDIT,
	SV_REC_K8S_EVENT,
	SV_REC_JOURNAL,
	SV_REC_INSPECT,
	SV_REC_KERNEL,        /* dmesg */
	/* packet captures (issue 4) */
	SV_REC_PACKET,        /* one captured frame */
	SV_REC_CAPTURE        /* a capture's summary, after its last frame */
};

struct sv_manifest {
	int64_t version;
	const char *host;
	const char *collector; /* a string, or compact JSON of an object */
	const char *notes;     /* NULL when absent */
	int64_t started_ns, ended_ns;
	int has_boot_time;
	int64_t boot_time_ns;
	int has_clk_tck;
	int64_t clk_tck;
};

/* One SHA256SUMS line. */
struct sv_checksum {
	const char *path; /* normalised like bundle member paths */
	uint8_t digest[SV_SHA256_LEN];
	uint64_t line;
};

struct sv_unknown_file {
	uint64_t size;
	int is_text; /* printable UTF-8/ASCII in its first bytes */
};

/* ---- /proc ---- */

struct sv_host_stat {
	int64_t btime_s;        /* boot time, epoch seconds; -1 if absent */
	uint64_t cpu_ticks[10]; /* "cpu" line: user nice system idle iowait
				   irq softirq steal guest guest_nice */
	int ncpu_fields;
	uint64_t processes;     /* forks since boot */
	uint64_t procs_running, procs_blocked;
};

struct sv_host_uptime {
	double uptime_s, idle_s;
};

/* /proc/<pid>/stat (proc(5)); comm parsed up to the LAST ')'. */
struct sv_proc_stat {
	uint32_t pid;
	const char *comm;
	char state;
	uint32_t ppid, pgrp, session;
	int64_t tty_nr;
	uint64_t minflt, majflt;
	uint64_t utime, stime;  /* clock ticks */
	int64_t cutime, cstime;
	int64_t priority, nice;
	int64_t num_threads;
	uint64_t starttime;     /* clock ticks after boot */
	uint64_t vsize;         /* bytes */
	int64_t rss_pages;
	int64_t processor;      /* -1 when the line is too short */
	int fields;             /* how many fields the line had */
};

#define SV_NS_LEVELS 8

struct sv_proc_status {
	const char *name;
	char state;
	uint32_t tgid, pid, ppid, tracer_pid;
	int64_t uid[4], gid[4]; /* real, effective, saved, fs; -1 absent */
	uint32_t ns_pid[SV_NS_LEVELS]; /* NSpid: outermost first */
	int ns_pid_levels;
	int64_t vm_peak_kb, vm_size_kb, vm_rss_kb, vm_hwm_kb; /* -1 absent */
	int64_t threads;
	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	int has_caps;
	int64_t seccomp;        /* -1 absent */
	int64_t no_new_privs;   /* -1 absent */
};

enum sv_argv_kind { SV_ARGV_CMDLINE, SV_ARGV_ENVIRON };

/* NUL-separated strings; a kernel thread's cmdline is empty (argc 0). */
struct sv_proc_argv {
	enum sv_argv_kind kind;
	const char *const *argv;
	size_t argc;
	int truncated;  /* cut at the reader's limits */
	int unterminated; /* the last string had no NUL (read raced exec) */
};

/* One /proc/<pid>/cgroup line "hier:controllers:path" (v2: "0::path"). */
struct sv_proc_cgroup {
	uint32_t hierarchy;
	const char *controllers; /* "" for v2 */
	const char *path;
};

struct sv_proc_io {
	int64_t rchar, wchar, syscr, syscw, read_bytes, write_bytes,
		cancelled_write_bytes; /* -1 absent */
};

enum sv_link_kind { SV_LINK_EXE, SV_LINK_CWD, SV_LINK_ROOT };

struct sv_proc_link {
	enum sv_link_kind kind;
	const char *target;
	int deleted; /* target ends with " (deleted)" */
};

enum sv_fd_kind {
	SV_FD_PATH, SV_FD_SOCKET, SV_FD_PIPE, SV_FD_ANON, SV_FD_OTHER
};

struct sv_proc_fd {
	uint32_t fd;
	enum sv_fd_kind kind;
	uint64_t inode;     /* socket:[N] and pipe:[N] */
	const char *target;
};

struct sv_proc_ns {
	const char *name;   /* "net", "pid", "mnt", ... */
	uint64_t inode;     /* from "net:[4026531993]" */
};

enum sv_sock_proto { SV_SOCK_TCP, SV_SOCK_UDP };

struct sv_socket {
	enum sv_sock_proto proto;
	int family;              /* 4 or 6 */
	uint8_t local[16], remote[16]; /* network order; v4 in first 4 */
	uint16_t local_port, remote_port;
	uint8_t state;           /* kernel TCP_* numbering */
	uint64_t tx_queue, rx_queue;
	uint32_t uid;
	uint64_t inode;
};

struct sv_unix_socket {
	uint64_t inode;
	uint32_t type;  /* SOCK_STREAM=1, SOCK_DGRAM=2, SOCK_SEQPACKET=5 */
	uint32_t state; /* SS_* numbering */
	uint32_t flags;
	const char *path; /* "" when unnamed; '@' starts abstract names */
};

/* ---- cgroup ---- */

/*
 * One value of a cgroup file. Single-value files give key "" ; flat-keyed
 * files ("cache 123") give key and value; nested-keyed files ("8:0
 * rbytes=1 wbytes=2", "some avg10=0.00 ...") give the first token as
 * subject and one record per key=value. "max" is value UINT64_MAX with
 * is_max set.
 */
struct sv_cgroup_value {
	const char *cgroup;   /* folder below the controller, e.g.
				 "libpod_parent/libpod-<id>" */
	const char *controller; /* v1 folder ("memory") or "" for v2 */
	const char *file;     /* "memory.stat" */
	const char *subject;  /* "8:0", "some", or "" */
	const char *key;      /* "cache", "rbytes", or "" */
	uint64_t value;
	double fvalue;        /* for fractional values (pressure avg10) */
	int is_max;
	int is_float;
};

/* ---- lifecycle ---- */

enum sv_runtime {
	SV_RT_DOCKER, SV_RT_PODMAN, SV_RT_CONTAINERD, SV_RT_CRIO, SV_RT_K8S,
	SV_RT_SYSTEMD, SV_RT_UNKNOWN
};

struct sv_runtime_event {
	enum sv_runtime runtime;
	const char *type;     /* "container", "image", "network", "pod"... */
	const char *action;   /* "create", "start", "exec", "died", ... */
	const char *id;       /* container id (full or short) or "" */
	const char *name;
	const char *image;
	int has_exit_code;
	int64_t exit_code;
	const char *pod;      /* or "" */
	const char *k8s_namespace;
	const char *detail;   /* exec command, signal, ... or "" */
};

struct sv_k8s_audit {
	const char *audit_id;
	const char *stage;
	const char *verb;
	const char *user;
	const char *resource;
	const char *subresource; /* "exec", "attach", "portforward", "" */
	const char *k8s_namespace;
	const char *name;       /* object name (pod) */
	const char *request_uri;
	const char *source_ip;
	const char *user_agent;
	int64_t response_code;  /* -1 absent */
};

struct sv_k8s_event {
	const char *type;      /* Normal, Warning */
	const char *reason;    /* Pulled, Created, Started, Killing, OOMKilling */
	const char *message;
	const char *kind;      /* involvedObject */
	const char *k8s_namespace;
	const char *name;
	const char *uid;
	int64_t count;
};

struct sv_journal {
	const char *unit;
	const char *identifier; /* SYSLOG_IDENTIFIER */
	const char *message;
	const char *container_id; /* CONTAINER_ID / _CONTAINER_ID or "" */
	int64_t pid;
	const char *container_name; /* CONTAINER_NAME (docker/podman) or "" */
};

struct sv_mount {
	const char *source, *destination, *type;
	int rw;
};

struct sv_inspect {
	const char *id, *name, *image, *image_id;
	int64_t created_ns, started_ns, finished_ns; /* SV_TIME_NONE absent */
	int64_t exit_code, pid;
	int oom_killed, privileged, running;
	const char *user;
	const char *pid_mode, *network_mode, *ipc_mode, *uts_mode;
	const char *cgroup_parent;
	const char *const *cap_add;
	size_t n_cap_add;
	const char *const *ip_addresses;
	size_t n_ip_addresses;
	const struct sv_mount *mounts;
	size_t n_mounts;
	const char *pod, *k8s_namespace; /* from labels, or "" */
};

enum sv_kernel_kind {
	SV_KERN_OTHER, SV_KERN_OOM_KILL, SV_KERN_OOM_INVOKED, SV_KERN_SEGFAULT,
	SV_KERN_VETH, SV_KERN_BRIDGE
};

struct sv_kernel {
	enum sv_kernel_kind kind;
	int64_t boot_ns;        /* time since boot */
	int64_t pid;            /* -1 absent */
	const char *comm;       /* or "" */
	const char *memcg;      /* OOM: the memory cgroup, or "" */
	const char *device;     /* veth/bridge name, or "" */
	const char *message;    /* the whole line after the timestamp */
	int oom_detail;         /* OOM_KILL from an "oom-kill:" line (memcg,
				   task): it details the "Killed process"
				   record of the same pid that follows */
	const char *port;       /* BRIDGE port lines: the port device
				   ("veth0"; device is the bridge), or "" */
};

/* ---- packet captures ---- */

/* One frame as libpcap hands it over; data is caplen bytes, borrowed. */
struct sv_packet_rec {
	int linktype;        /* LINKTYPE_* of the capture (pcapng: of the
				frame's interface) */
	uint32_t caplen;     /* bytes captured */
	uint32_t len;        /* bytes on the wire */
	const uint8_t *data;
	uint64_t index;      /* frame number in the capture, from 1 */
};

struct sv_capture {
	int linktype;
	const char *linktype_name;  /* "EN10MB", "LINUX_SLL2", ... */
	uint32_t snaplen;
	int nanosecond;             /* timestamps had ns precision */
	int pcapng;
	uint64_t packets;
	uint64_t bytes_captured, bytes_wire;
	uint64_t cut_by_snaplen;    /* caplen < len */
	int64_t first_ns, last_ns;  /* SV_TIME_NONE when no packet */
	int truncated;              /* the file ended inside a record */
};

/* ---- the envelope ---- */

struct sv_record {
	enum sv_record_type type;
	const char *artifact;  /* bundle path of the file it came from */
	int64_t ts_ns;         /* snapshot or event time; SV_TIME_NONE */
	uint64_t line;         /* line in the artifact, when line-based */
	uint32_t pid;          /* proc/<T>/<pid>/...: the folder's pid */
	union {
		struct sv_manifest manifest;
		struct sv_checksum checksum;
		struct sv_unknown_file unknown;
		struct sv_host_stat host_stat;
		struct sv_host_uptime host_uptime;
		struct sv_proc_stat proc_stat;
		struct sv_proc_status proc_status;
		struct sv_proc_argv proc_argv;
		struct sv_proc_cgroup proc_cgroup;
		struct sv_proc_io proc_io;
		const char *comm;
		struct sv_proc_link proc_link;
		struct sv_proc_fd proc_fd;
		struct sv_proc_ns proc_ns;
		struct sv_socket socket;
		struct sv_unix_socket unix_socket;
		struct sv_cgroup_value cgroup;
		struct sv_runtime_event runtime;
		struct sv_k8s_audit audit;
		struct sv_k8s_event k8s_event;
		struct sv_journal journal;
		struct sv_inspect inspect;
		struct sv_kernel kernel;
		struct sv_packet_rec packet;
		struct sv_capture capture;
	} u;
};

#endif
