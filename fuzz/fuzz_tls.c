/*
 * fuzz_tls.c - libFuzzer target for the TLS ClientHello parser
 * (formats/net/sv_tls.c).
 *
 * Input: the first bytes of a client-to-server stream. The parser runs
 * on the whole input and on a prefix whose length the first byte picks.
 * Besides the sanitizers, aborts when a result breaks the contract in
 * sv_tls.h: need not > n or past SV_APP_MAX_NEED, a string without NUL
 * or with a byte that is not printable ASCII, a JA3 on a result other
 * than OK, an MD5 that is not 32 hex digits; a prefix of an accepted
 * hello that is rejected or disagrees with it; an OK below the need a
 * shorter prefix announced.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sv_tls.h"

#define MAX_INPUT 65536u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* NUL inside the buffer, printable ASCII before it. */
static void check_text(const char *s, size_t cap)
{
	const char *end = memchr(s, 0, cap);

	if (!end)
		abort();
	for (; s < end; s++)
		if (*s < 0x20 || *s > 0x7e)
			abort();
}

static void check_one(int st, size_t n, size_t need,
		      const struct sv_tls_hello *h)
{
	size_t i;

	if (st < SV_APP_OK || st > SV_APP_MALFORMED)
		abort();
	if (st == SV_APP_NEED_MORE ? need <= n || need > SV_APP_MAX_NEED
				   : need != 0)
		abort();
	check_text(h->sni, sizeof(h->sni));
	check_text(h->alpn, sizeof(h->alpn));
	check_text(h->ja3, sizeof(h->ja3));
	check_text(h->ja3_md5, sizeof(h->ja3_md5));
	if (st != SV_APP_OK) {
		if (h->ja3[0] || h->ja3_md5[0] || h->ja3_cut)
			abort();
		return;
	}
	if (strlen(h->ja3_md5) != 32 || !h->ja3[0] || h->n_records < 1 ||
	    h->n_ciphers < 1)
		abort();
	for (i = 0; i < 32; i++)
		if (!strchr("0123456789abcdef", h->ja3_md5[i]))
			abort();
	if (h->ja3_cut && strlen(h->ja3) < sizeof(h->ja3) - 8)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sv_tls_hello full, part;
	size_t need_full, need_part, m;
	int st_full, st_part;

	if (size > MAX_INPUT)
		return 0;
	st_full = sv_tls_client_hello(data, size, &full, &need_full);
	check_one(st_full, size, need_full, &full);
	m = size ? size * data[0] / 256 : 0;
	st_part = sv_tls_client_hello(data, m, &part, &need_part);
	check_one(st_part, m, need_part, &part);
	if (st_full == SV_APP_OK) {
		if (st_part != SV_APP_OK && st_part != SV_APP_NEED_MORE)
			abort();
		if (st_part == SV_APP_OK && memcmp(&part, &full, sizeof(full)))
			abort();
		if (st_part == SV_APP_NEED_MORE && need_part > size)
			abort();
	}
	/* need is a lower bound: one byte short of it is never OK */
	if (st_part == SV_APP_NEED_MORE && need_part - 1 <= size &&
	    sv_tls_client_hello(data, need_part - 1, &part, &need_part) ==
	    SV_APP_OK)
		abort();
	return 0;
}
