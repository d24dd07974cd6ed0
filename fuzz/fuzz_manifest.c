/*
 * fuzz_manifest.c - libFuzzer target for the manifest.json reader.
 *
 * The input is the whole member; the reader slurps at most 1 MiB, so
 * larger inputs only test the limit and are skipped (kMaxInputSize).
 */
#include "fuzz_format.h"

#define MAX_INPUT (1u << 20)

extern const struct sv_format_ops sv_fmt_manifest;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return 0;
	sv_fuzz_format(&sv_fmt_manifest, "manifest.json", data, size);
	return 0;
}
