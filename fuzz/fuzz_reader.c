/*
 * fuzz_reader.c - libFuzzer target for every registered reader at once.
 *
 *   input = <bundle path> '\n' <member content>
 *
 * The path (at most 255 bytes, no NUL) is classified as the pipeline
 * does (sv_layout_classify), the registry chooses the reader from the
 * layout and the content's first bytes, and that reader parses the
 * content from a memory source. A reader added to formats/sv_registry.c
 * is fuzzed here with no change; seeds/reader/ holds one small input per
 * artifact kind. Inputs without a '\n' or with a bad path are skipped.
 */
#include "fuzz_format.h"

#include "sv_layout.h"
#include "sv_registry.h"

#define MAX_INPUT (1u << 20)
#define PATH_MAX_LEN 255

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[PATH_MAX_LEN + 1];
	const uint8_t *nl, *body;
	const struct sv_format_ops *ops;
	struct sv_layout lay;
	size_t plen, n;

	if (size > MAX_INPUT)
		return 0;
	nl = memchr(data, '\n', size < PATH_MAX_LEN + 1 ? size
							: PATH_MAX_LEN + 1);
	if (!nl)
		return 0;
	plen = (size_t)(nl - data);
	if (plen == 0 || memchr(data, '\0', plen))
		return 0;
	memcpy(path, data, plen);
	path[plen] = '\0';
	body = nl + 1;
	n = size - plen - 1;
	sv_layout_classify(path, &lay);
	ops = sv_registry_choose(&lay, body, n);
	if (ops)
		sv_fuzz_format(ops, path, body, n);
	return 0;
}
