/*
 * sv_text.c - UTF-8 decoding by libxml2's xmlGetUTF8Char; escapes ours.
 */
#include "sv_text.h"

#include <libxml/xmlstring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid, printable character at s, or 0 if it must be
 * escaped. */
static int char_len(const char *s, size_t left)
{
	int len = left > 4 ? 4 : (int)left;
	int c = xmlGetUTF8Char((const unsigned char *)s, &len);
	unsigned char b = (unsigned char)s[0];

	if (c < 0)
		return 0;
	/* libxml2 2.9 also takes stray continuation bytes, overlong forms,
	 * surrogates and code points past U+10FFFF: RFC 3629 does not. */
	if (len != (b < 0x80 ? 1 : b < 0xc2 ? 0 : b < 0xe0 ? 2 : b < 0xf0 ? 3
		    : b < 0xf5 ? 4 : 0) ||
	    (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ||
	    (c >= 0x80 && c < 0xa0) || c == 0xfffe || c == 0xffff)
		return 0;
	return len;
}

int sv_text_is_clean(const char *s, size_t n, size_t max)
{
	size_t i = 0;

	if (n > max)
		return 0;
	while (i < n) {
		int len = char_len(s + i, n - i);

		if (!len)
			return 0;
		i += (size_t)len;
	}
	return 1;
}

char *sv_text_clean(struct sv_arena *arena, const char *s, size_t n,
		    size_t max)
{
	size_t keep = n > max ? max : n, i = 0, o = 0, cap;
	char *out;

	cap = keep * 4 + 64; /* every byte may become \xNN */
	out = arena ? sv_arena_alloc(arena, cap) : malloc(cap);
	if (!out)
		return NULL;
	while (i < keep) {
		int len = char_len(s + i, keep - i);

		if (len && i + (size_t)len <= keep) {
			memcpy(out + o, s + i, (size_t)len);
			o += (size_t)len;
			i += (size_t)len;
		} else {
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x",
					      (unsigned char)s[i]);
			i++;
		}
	}
	if (n > keep)
		o += (size_t)snprintf(out + o, cap - o, " [... cut, %zu bytes]",
				      n);
	out[o] = '\0';
	return out;
}

int sv_text_escape(char *dst, size_t cap, size_t *len, const void *s,
		   size_t n, const char *extra)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *b = s;
	size_t i;

	if (!cap)
		return n ? -1 : 0;
	for (i = 0; i < n; i++) {
		uint8_t ch = b[i];
		int plain = ch >= 0x20 && ch < 0x7f && ch != '\\' &&
			    !(extra && strchr(extra, ch));

		if (*len + (plain ? 1 : 4) >= cap) {
			dst[*len] = '\0';
			return -1;
		}
		if (plain) {
			dst[(*len)++] = (char)ch;
			continue;
		}
		dst[(*len)++] = '\\';
		dst[(*len)++] = 'x';
		dst[(*len)++] = hex[ch >> 4];
		dst[(*len)++] = hex[ch & 15];
	}
	dst[*len] = '\0';
	return 0;
}
