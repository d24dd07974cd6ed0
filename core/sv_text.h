/*
 * sv_text.h - make an untrusted string safe to show: valid UTF-8, no
 * control characters, bounded length.
 *
 * Every string in a bundle may be hostile (command lines, DNS names,
 * paths). Before a report or a terminal shows one, invalid UTF-8 bytes and
 * control characters become visible "\xNN" escapes and an over-long string
 * is cut with a marker. XML/HTML escaping itself is libxml2's job; this
 * only makes the text representable.
 */
#ifndef SV_TEXT_H
#define SV_TEXT_H

#include <stddef.h>

#include "sv_arena.h"

#define SV_TEXT_DEFAULT_MAX 4096

/*
 * Clean n bytes of s into a new string from arena (or malloc() when
 * arena is NULL: the caller frees). At most max input bytes are kept;
 * longer input ends with " [... cut, N bytes]". NULL when out of memory.
 */
char *sv_text_clean(struct sv_arena *arena, const char *s, size_t n,
		    size_t max);

/* True when s needs no cleaning (valid UTF-8, no controls, n <= max). */
int sv_text_is_clean(const char *s, size_t n, size_t max);

#endif
