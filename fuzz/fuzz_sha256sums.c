/*
 * fuzz_sha256sums.c - libFuzzer target for the SHA256SUMS reader.
 *
 * The memory source hands the input over as one block, so line splitting
 * across block edges is exercised by fuzz_bundle (members arrive in
 * libarchive's blocks), not here.
 */
#include "fuzz_format.h"

#define MAX_INPUT (1u << 20)

extern const struct sv_format_ops sv_fmt_sha256sums;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	sv_fuzz_format(&sv_fmt_sha256sums, "SHA256SUMS", data, size);
	return 0;
}
