/*
 * sv_timeline.h - one ordered timeline of a bundle: every module's events
 * (analyzer/sv_event.h) merged, sorted, given a lifecycle phase, and
 * corrected for sources whose clocks are skewed.
 *
 * Order: by time (the start of a window), then by source, then by the
 * order the producing module gave them; O(n log n) in events. The same
 * bundle always gives the same order.
 *
 * Skew: a source whose clock disagrees with /proc's (runtime events,
 * kernel log, captures) is measured on pairs of events that describe the
 * same happening (sv_timeline_pair); when the median offset of a source
 * is larger than SV_SKEW_MIN_NS over at least SV_SKEW_MIN_PAIRS pairs its
 * events are shifted by it, and both the offset and the shift are
 * reported. /proc snapshot times are the reference.
 *
 * Phases: each attributed event gets the phase of its container's
 * lifecycle it falls in, given the container's start and end times
 * through sv_timeline_phases().
 *
 * Ownership: the item array lives in the arena given to the build; the
 * events are the modules' own, borrowed, and their phase and skew
 * fields are written here.
 */
#ifndef SV_TIMELINE_H
#define SV_TIMELINE_H

#include <stdint.h>

#include "sv_arena.h"
#include "sv_error.h"
#include "sv_event.h"
#include "sv_flows.h"
#include "sv_netapp.h"

#define SV_SKEW_MIN_NS 500000000LL  /* 0.5 s */
#define SV_SKEW_MIN_PAIRS 2
#define SV_TIMELINE_DEFAULT_MAX 20000000u
/* Network events on the timeline: application events first, then each
 * flow's open and close; past this they are counted, not placed (a
 * capture with a million flows would otherwise double the memory). */
#define SV_TIMELINE_NET_MAX 400000u

struct sv_skew {
	int64_t offset_ns;   /* median of (source - reference); 0 unknown */
	uint64_t pairs;      /* pairs it was measured on */
	int applied;         /* events were shifted by -offset_ns */
};

struct sv_timeline {
	struct sv_event **ev;      /* ordered; n of them */
	uint64_t n;
	uint64_t attributed;       /* with a container or a process */
	uint64_t unattributed;
	uint64_t over_limit;       /* events not placed: over max */
	int64_t first_ns, last_ns; /* SV_TIME_NONE when empty */
	struct sv_skew skew[SV_SRC_COUNT];
};

/*
 * A pair of events that record the same happening in two sources, e.g.
 * a runtime "start" event and the start time of the container's first
 * process in /proc. The builder of the pairs knows the entities; the
 * timeline only measures.
 */
struct sv_timeline_pair {
	enum sv_event_source source; /* the source measured */
	int64_t source_ns;
	int64_t reference_ns;        /* the same happening on /proc's clock */
};

/* A container's life, for phases. SV_TIME_NONE where unknown. */
struct sv_timeline_life {
	const char *container_id;
	int64_t started_ns, ended_ns;
};

/*
 * Merge the lists (each linked by ->next; NULL entries skipped), measure
 * and apply skew from pairs (may be NULL, npairs 0), assign phases from
 * lives (may be NULL), and order everything. max 0 means the default.
 * SV_OK, or SV_ERR_NOMEM.
 */
enum sv_status sv_timeline_build(struct sv_arena *arena,
				 struct sv_event *const *lists, size_t nlists,
				 const struct sv_timeline_pair *pairs,
				 size_t npairs,
				 const struct sv_timeline_life *lives,
				 size_t nlives, uint64_t max,
				 struct sv_timeline *out, struct sv_error *err);

/*
 * Events for the network: one per application event (DNS, HTTP, TLS,
 * SSH, Stratum), then a flow's open and (when it closed, by FIN, RST or
 * idle) close, attributed through the flow's owner of the sending end (or
 * of the initiator, for the flow itself). Worded lazily (sv_event_text).
 * At most cap events (0: no cap); *dropped counts the rest. In arena;
 * NULL when there are none or out of memory (*nomem set).
 */
struct sv_event *sv_timeline_net_events(struct sv_arena *arena,
					const struct sv_flow *flows,
					const struct sv_app_event *app,
					uint64_t cap, uint64_t *dropped,
					int *nomem);

/* Timesketch's timestamp_desc for an event kind: "Process Start", ... */
const char *sv_timeline_desc(const char *kind);

#endif
