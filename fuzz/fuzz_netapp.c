/*
 * fuzz_netapp.c - libFuzzer target for the application-layer dispatcher
 * (analyzer/sv_netapp.c): stream offsets, retransmissions, gaps, the
 * reassembly buffer and every parser behind it.
 *
 * Input: a list of segments, each
 *   byte 0: bit 0 direction (server to client), bit 1 UDP, bit 2 SYN,
 *           bits 3-5 the server port from the table below
 *   byte 1-2: signed sequence step from the direction's last segment
 *   byte 3: payload length (cut to what is left)
 *   then the payload.
 * Small limits make the caps reachable. Besides the sanitizers, aborts
 * when an event breaks the module's contract: an event without its flow,
 * a flow whose app does not list the event's kind, more events kept than
 * the limit, a buffer over its cap.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sv_appl.h"
#include "sv_arena.h"
#include "sv_flows.h"
#include "sv_netapp.h"

#define MAX_INPUT 65536u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t ports[8] = {53, 80, 443, 22, 3333, 5353, 8080, 2375};

static void segment(struct sv_packet *p, uint8_t ctl, uint32_t seq,
		    const uint8_t *pay, size_t n)
{
	int back = ctl & 1;
	uint16_t sport = 40000, dport = ports[(ctl >> 3) & 7];

	memset(p, 0, sizeof(*p));
	p->l3 = SV_L3_IPV4;
	p->sll_pkttype = SV_PKTTYPE_NONE;
	p->src[0] = 10;
	p->src[3] = back ? 2 : 1;
	p->dst[0] = 10;
	p->dst[3] = back ? 1 : 2;
	p->proto = (ctl & 2) ? 17 : 6;
	p->l4 = 1;
	p->sport = back ? dport : sport;
	p->dport = back ? sport : dport;
	p->seq = seq;
	p->tcp_flags = (ctl & 4) ? 0x02 : 0x18;
	p->payload = pay;
	p->payload_len = n;
	p->payload_claimed = (uint32_t)n;
	p->ip_len = (uint32_t)(40 + n);
}

static void check(const struct sv_netapp *na, uint64_t max_events)
{
	const struct sv_app_event *e;
	uint64_t kept = 0;

	for (e = sv_netapp_events(na); e; e = e->next, kept++) {
		if (!e->flow || !e->flow->app ||
		    !(e->flow->app->kinds & (1u << e->kind)) ||
		    (unsigned)e->kind >= SV_APPK_COUNT)
			abort();
	}
	if (kept > max_events)
		abort();
	if (sv_netapp_stats(na)->buffer_peak > 3u * SV_APP_MAX_NEED)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv_netapp_limits lim = {64, 4, 3u * SV_APP_MAX_NEED, 16};
	struct sv_arena *arena;
	struct sv_flows *flows;
	struct sv_netapp *na;
	uint32_t seq[2] = {1000, 5000};
	size_t i = 0;
	int64_t ts = 0;

	if (size > MAX_INPUT)
		return 0;
	arena = sv_arena_new(64u << 20);
	flows = arena ? sv_flows_new(arena, NULL) : NULL;
	na = arena ? sv_netapp_new(arena, &lim) : NULL;
	if (!arena || !flows || !na)
		abort();
	while (size - i >= 4) {
		uint8_t ctl = data[i];
		int16_t step = (int16_t)(data[i + 1] << 8 | data[i + 2]);
		size_t n = data[i + 3];
		struct sv_packet p;
		struct sv_flow *fl;
		int dir;

		i += 4;
		if (n > size - i)
			n = size - i;
		seq[ctl & 1] += (uint32_t)(int32_t)step;
		segment(&p, ctl, seq[ctl & 1], data + i, n);
		fl = sv_flows_add(flows, &p, ts++, (uint32_t)(n + 54), &dir);
		if (fl)
			sv_netapp_packet(na, fl, dir, &p, ts);
		i += n;
	}
	sv_netapp_finish(na, sv_flows_list(flows));
	check(na, lim.max_events);
	sv_netapp_free(na);
	sv_flows_free(flows);
	sv_arena_free(arena);
	return 0;
}
