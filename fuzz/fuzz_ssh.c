/*
 * fuzz_ssh.c - libFuzzer target for the SSH identification line parser
 * (formats/net/sv_ssh.c).
 *
 * Input: the first bytes of one direction of a stream. The parser runs
 * on the whole input and on a prefix whose length the first byte picks.
 * Besides the sanitizers, aborts when a result breaks the contract in
 * sv_ssh.h: need not > n, a string without NUL or with a byte that is
 * not printable ASCII, an accepted line outside the input, longer than
 * 255 bytes, after too many lines or bytes, or with an empty version;
 * a prefix of an accepted stream that is rejected or disagrees with it;
 * an OK below the need a shorter prefix announced.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sv_ssh.h"

#define MAX_INPUT 65536u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
		      const struct sv_ssh_banner *b)
{
	if (st < SV_APP_OK || st > SV_APP_MALFORMED)
		abort();
	if (st == SV_APP_NEED_MORE ? need <= n || need > SV_APP_MAX_NEED
				   : need != 0)
		abort();
	check_text(b->proto, sizeof(b->proto));
	check_text(b->software, sizeof(b->software));
	check_text(b->comments, sizeof(b->comments));
	if (b->pre_lines > SV_SSH_MAX_PRE_LINES ||
	    b->offset > SV_SSH_MAX_PRE_BYTES)
		abort();
	if (st != SV_APP_OK)
		return;
	if (b->length < 5 || b->length > SV_SSH_MAX_IDENT ||
	    b->offset + b->length > n || !b->proto[0] || !b->software[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sv_ssh_banner full, part;
	size_t need_full, need_part, m;
	int st_full, st_part;

	if (size > MAX_INPUT)
		return 0;
	st_full = sv_ssh_banner(data, size, &full, &need_full);
	check_one(st_full, size, need_full, &full);
	m = size ? size * data[0] / 256 : 0;
	st_part = sv_ssh_banner(data, m, &part, &need_part);
	check_one(st_part, m, need_part, &part);
	if (st_full == SV_APP_OK) {
		if (st_part != SV_APP_OK && st_part != SV_APP_NEED_MORE)
			abort();
		if (st_part == SV_APP_OK && memcmp(&part, &full, sizeof(full)))
			abort();
		if (st_part == SV_APP_NEED_MORE && need_part > size)
			abort();
	}
	if (st_part == SV_APP_NEED_MORE && need_part - 1 <= size &&
	    sv_ssh_banner(data, need_part - 1, &part, &need_part) ==
	    SV_APP_OK)
		abort();
	return 0;
}
