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

/*
 * Append n bytes of s to dst (cap bytes, kept NUL-terminated; *len bytes
 * used so far): printable ASCII is kept except '\\' and the characters
 * in extra (NULL for none); every other byte becomes "\\xHH", '\\' too,
 * so that a sent "\\x41" cannot pass for an escape. An escape is never
 * split. Returns 0, or -1 when the text was cut to fit. The protocol
 * parsers use this for every string they take from the wire.
 */
int sv_text_escape(char *dst, size_t cap, size_t *len, const void *s,
		   size_t n, const char *extra);

#endif
