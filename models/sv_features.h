/*
 * sv_features.h - what one container did, as numbers and strings a
 * baseline can learn and score. Plain data: built from an analysis by
 * analyzer/sv_featurize.c, read by models/sv_baseline.c. No I/O here.
 *
 * Per container (the subject), three views:
 *   - categorical values (executables, parent>child pairs, users,
 *     capabilities, listening ports, outbound destinations, DNS names,
 *     TLS server names), each with how often and where it was first
 *     seen (the evidence a finding will carry);
 *   - one numeric vector per time window of the bundle's clock
 *     (window_ns long, aligned to multiples of window_ns since the
 *     epoch) and one for the whole lifetime, for the Gaussian models;
 *   - event counts per window, for the rate models.
 *
 * Ownership: everything lives in the arena given to the builder; the
 * evidence pointers borrow the analysis's entities, which must outlive
 * the feature set.
 */
#ifndef SV_FEATURES_H
#define SV_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "sv_event.h"
#include "sv_flows.h"
#include "sv_netapp.h"
#include "sv_procs.h"

/* Categorical families. Value spellings (stable: they are stored in
 * model files):
 *   program      comm, the kernel's name of the program ("sh", "httpd")
 *   executable   the exe link's target path ("/bin/busybox")
 *   process-pair parent comm ">" child comm ("httpd>sh"); a process
 *                whose parent is outside the container pairs with
 *                "(outside)"
 *   user         "uid=<euid>"
 *   capabilities effective set, 16 hex digits
 *   listen-port  "tcp/80", "udp/53": ports this container accepted
 *                connections (or datagrams) on
 *   destination  "tcp/10.89.77.1:4444": outbound, address as printed
 *                by inet_ntop, for flows this container opened
 *   dns-name     a queried name, lower case, without the trailing dot
 *   tls-sni      a ClientHello's server name, lower case
 */
enum sv_fc {
	SV_FC_PROGRAM = 0,
	SV_FC_EXECUTABLE,
	SV_FC_PAIR,
	SV_FC_USER,
	SV_FC_CAPS,
	SV_FC_LISTEN,
	SV_FC_DEST,
	SV_FC_DNS,
	SV_FC_SNI,
	SV_FC_COUNT
};

/* Numeric features (Gaussian), per window and per lifetime. Levels are
 * the window's maximum, rates its average, counts its sum:
 *   cpu          CPU seconds used per second (cores)
 *   memory       memory in use, bytes (max)
 *   io           block I/O bytes per second
 *   pids         processes in the cgroup (max)
 *   conn-out     connections (TCP or UDP flows) this container opened
 *   conn-in      connections it accepted
 *   bytes-out    bytes it sent (IP total length, every flow)
 *   bytes-in     bytes it received
 *   dns-queries  DNS queries it sent
 *   dns-label    the longest DNS label it queried, bytes
 *   dns-entropy  the highest Shannon entropy of a queried name's labels
 *                left of the last two (bits per character; 0 none)
 *   execs        processes started in it
 * A feature with no source in the bundle (no cgroup files, no capture)
 * is 0, and sv_feat_container.have says which ones had one. */
enum sv_fn {
	SV_FN_CPU = 0,
	SV_FN_MEMORY,
	SV_FN_IO,
	SV_FN_PIDS,
	SV_FN_CONN_OUT,
	SV_FN_CONN_IN,
	SV_FN_BYTES_OUT,
	SV_FN_BYTES_IN,
	SV_FN_DNS_QUERIES,
	SV_FN_DNS_LABEL,
	SV_FN_DNS_ENTROPY,
	SV_FN_EXECS,
	SV_FN_COUNT
};

/* Counts per window (Poisson / negative binomial):
 *   execs        processes started
 *   conns        connections opened (out)
 *   dns          DNS queries sent
 *   lifecycle    execs into it, restarts and OOM kills */
enum sv_fr {
	SV_FR_EXECS = 0,
	SV_FR_CONNS,
	SV_FR_DNS,
	SV_FR_LIFECYCLE,
	SV_FR_COUNT
};

const char *sv_fc_name(enum sv_fc f); /* "program", ... */
const char *sv_fn_name(enum sv_fn f); /* "cpu", ... */
const char *sv_fr_name(enum sv_fr f); /* "execs", ... */

/*
 * s (n bytes) as clean text (core/sv_text.h; tabs and newlines escaped
 * too) of at most cap - 1 bytes, cut on a character boundary: s itself
 * when it already is one, else a copy in dst (cap bytes, cap >= 1).
 * *len gets its length. NULL: out of memory. Feature values and
 * workload keys go through it.
 */
const char *sv_feat_clean(const char *s, size_t n, char *dst, size_t cap,
			  size_t *len);

/* Default window, and the bounds sv_featurize accepts. */
#define SV_FEAT_WINDOW_NS (10LL * 1000000000LL)
#define SV_FEAT_WINDOW_MIN_NS (1LL * 1000000000LL)
#define SV_FEAT_WINDOW_MAX_NS (86400LL * 1000000000LL)
/* Caps per container, so that a hostile bundle cannot grow the set
 * without bound: distinct values per family, and windows. */
#define SV_FEAT_VALUES_MAX 4096
#define SV_FEAT_WINDOWS_MAX 100000

struct sv_feat_value {
	enum sv_fc family;
	const char *value;       /* cleaned, at most SV_MDL_CAT_VALUE_MAX */
	uint64_t count;          /* observations in this container */
	int64_t first_ns;        /* first seen, SV_TIME_NONE unknown */
	/* Where it was first seen; any may be NULL. */
	const struct sv_proc *proc;
	const struct sv_flow *flow;
	const struct sv_app_event *app;
	struct sv_feat_value *next;
};

struct sv_feat_window {
	int64_t start_ns;        /* multiple of window_ns */
	double x[SV_FN_COUNT];
	uint64_t k[SV_FR_COUNT];
	struct sv_feat_window *next; /* time order */
};

struct sv_feat_container {
	const char *container_id;   /* full id; never NULL */
	const char *label;          /* name, else id */
	const char *workload;       /* the baseline key, never NULL */
	const char *workload_from;  /* "user", "k8s-owner", "image", "name" */
	int64_t first_ns, last_ns;  /* the span the windows cover */
	unsigned have;              /* 1u << enum sv_fn with a source */
	struct sv_feat_value *values; /* family order, then first seen */
	uint64_t n_values;
	uint64_t values_dropped;    /* over SV_FEAT_VALUES_MAX */
	struct sv_feat_window *windows;
	uint64_t n_windows;
	uint64_t windows_dropped;
	double life[SV_FN_COUNT];   /* the whole lifetime: levels max,
				       rates average, counts sums */
	struct sv_feat_container *next; /* by label */
};

struct sv_feat_set {
	int64_t window_ns;
	struct sv_feat_container *containers;
	uint64_t n;
	int nomem;                  /* incomplete: out of memory */
};

#endif
