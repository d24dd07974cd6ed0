/*
 * fuzz_decode.c - libFuzzer target for the packet decoder
 * (formats/net/sv_decode.c).
 *
 * Input: one byte choosing the link type from the table below (modulo
 * its size; new types go at the end so the seeds keep theirs), then the
 * frame. Besides the sanitizers, aborts when the result breaks the
 * decoder's contract: a payload outside the frame, transport fields
 * without a network layer, a VLAN count over the cap.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sv_decode.h"

#define MAX_INPUT 65536u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int linktypes[] = {
	SV_LINK_ETHERNET, SV_LINK_SLL, SV_LINK_SLL2, SV_LINK_RAW,
	SV_LINK_IPV4, SV_LINK_IPV6, SV_LINK_NULL, SV_LINK_LOOP,
	SV_LINK_NFLOG,
};

#define NLINK (sizeof(linktypes) / sizeof(linktypes[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv_packet pk;
	const uint8_t *frame;
	size_t n;

	if (size < 1 || size > MAX_INPUT)
		return 0;
	frame = data + 1;
	n = size - 1;
	if (sv_decode(linktypes[data[0] % NLINK], frame, n, &pk) != 0)
		abort();
	if (pk.payload && (pk.payload < frame || pk.payload > frame + n ||
			   pk.payload_len > (size_t)(frame + n - pk.payload)))
		abort();
	if (!pk.payload && pk.payload_len)
		abort();
	if (pk.l4 && pk.l3 != SV_L3_IPV4 && pk.l3 != SV_L3_IPV6)
		abort();
	if (pk.nvlan < 0 || pk.nvlan > SV_MAX_VLAN)
		abort();
	if (pk.next_hdrs > SV_IP6_MAX_EXT)
		abort();
	return 0;
}
