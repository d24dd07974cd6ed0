/*
 * fuzz_stratum.c - libFuzzer target for the Stratum recogniser
 * (formats/net/sv_stratum.c).
 *
 * Input: the first bytes of a stream. Besides the sanitizers (leaks
 * included: every jansson object must be freed), aborts when a result
 * breaks the documented contract: MALFORMED or an unknown status, OK
 * without a method or a method without OK, a first byte other than '{'
 * not refused, more lines than the cap, NEED_MORE asking for no more
 * or past SV_APP_MAX_NEED, a kind that disagrees with is_request, a
 * string that is not terminated or not escaped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sv_stratum.h"

#define MAX_INPUT 65536u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static void check_text(const char *s, size_t cap)
{
	size_t i, n;

	if (!memchr(s, 0, cap))
		abort();
	n = strlen(s);
	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			abort();
		if (s[i] != '\\')
			continue;
		if (i + 3 >= n || s[i + 1] != 'x' || !is_hex(s[i + 2]) ||
		    !is_hex(s[i + 3]))
			abort();
		i += 3;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv_stratum o;
	size_t need = 0;
	enum sv_app_status st;

	if (size > MAX_INPUT)
		return 0;
	st = sv_stratum_parse(data, size, &o, &need);
	if (st != SV_APP_OK && st != SV_APP_NEED_MORE && st != SV_APP_NOT)
		abort();
	if (size && data[0] != '{' && st != SV_APP_NOT)
		abort();
	if (o.lines < 0 || o.lines > SV_STRATUM_MAX_LINES)
		abort();
	if (st == SV_APP_NEED_MORE && (need <= size || need > SV_APP_MAX_NEED))
		abort();
	if ((st == SV_APP_OK) != (o.method[0] != '\0'))
		abort();
	if (st == SV_APP_OK && (o.kind < SV_STRATUM_REQUEST ||
				o.kind > SV_STRATUM_RESULT ||
				o.is_request != (o.kind == SV_STRATUM_REQUEST)))
		abort();
	check_text(o.method, sizeof(o.method));
	check_text(o.user, sizeof(o.user));
	check_text(o.agent, sizeof(o.agent));
	return 0;
}
