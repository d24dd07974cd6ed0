/*
 * sv_ssh.c - SSH identification line parser (RFC 4253 4.2).
 *
 * Input: the first bytes of one direction of a TCP stream. Output:
 * struct sv_ssh_banner (sv_ssh.h), escaped copies only. Lines are
 * borrowed through sv_cursor and searched with memchr inside their
 * bound; nothing is allocated.
 *
 *   [other text line LF]...  (servers only; at most SV_SSH_MAX_PRE_*)
 *   SSH-protoversion-softwareversion[ SP comments] CR LF
 *   \_________________ at most 255 bytes ________________/
 *
 * Cheap rejection: the first byte of a line that is neither "SSH-" nor
 * text (NUL, or a control byte other than TAB and CR) means "not SSH",
 * so TLS, HTTP/2 and other binary streams are turned away at once.
 */
#include "sv_ssh.h"

#include <string.h>

#include "sv_cursor.h"
#include "sv_text.h"

static const char ssh_magic[] = "SSH-";
#define SSH_MAGIC_LEN 4

/* Copy n bytes of s into dst (cap bytes), escaped (sv_text_escape). */
static void esc_copy(char *dst, size_t cap, const uint8_t *s, size_t n)
{
	size_t len = 0;

	(void)sv_text_escape(dst, cap, &len, s, n, NULL);
}

/* 1 when every byte is printable ASCII without space (RFC 4253 4.2). */
static int printable(const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return 0;
	return 1;
}

/*
 * Split an identification line (without its line end) into *out.
 * Returns OK or MALFORMED.
 */
static enum sv_app_status parse_ident(const uint8_t *l, size_t n,
				      struct sv_ssh_banner *out)
{
	const uint8_t *s = l + SSH_MAGIC_LEN, *end = l + n, *dash, *sp;
	size_t pn, sn;

	dash = memchr(s, '-', (size_t)(end - s));
	pn = dash ? (size_t)(dash - s) : (size_t)(end - s);
	esc_copy(out->proto, sizeof(out->proto), s, pn);
	if (!dash)
		return SV_APP_MALFORMED;
	s = dash + 1;
	sp = memchr(s, ' ', (size_t)(end - s));
	sn = sp ? (size_t)(sp - s) : (size_t)(end - s);
	esc_copy(out->software, sizeof(out->software), s, sn);
	if (sp)
		esc_copy(out->comments, sizeof(out->comments), sp + 1,
			 (size_t)(end - sp - 1));
	if (pn == 0 || sn == 0 || !printable(l + SSH_MAGIC_LEN, pn) ||
	    !printable(s, sn))
		return SV_APP_MALFORMED;
	return SV_APP_OK;
}

/* The identification line starting at l (n bytes available). */
static enum sv_app_status read_ident(const uint8_t *l, size_t n,
				     size_t off, struct sv_ssh_banner *out,
				     size_t *need)
{
	size_t look = n < SV_SSH_MAX_IDENT ? n : SV_SSH_MAX_IDENT;
	const uint8_t *lf = memchr(l, '\n', look);
	size_t len;

	out->offset = off;
	if (!lf) {
		if (n < SV_SSH_MAX_IDENT) {
			*need = off + n + 1;
			return SV_APP_NEED_MORE;
		}
		parse_ident(l, look, out);     /* what there is */
		return SV_APP_MALFORMED;
	}
	out->length = (size_t)(lf - l) + 1;
	len = out->length - 1;
	if (len > SSH_MAGIC_LEN && l[len - 1] == '\r')
		len--;
	else
		out->bare_lf = 1;
	return parse_ident(l, len, out);
}

/*
 * A line before the identification: returns its length with the LF
 * (0 when the input ends first), or -1 when it is not text.
 */
static long pre_line(const uint8_t *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (l[i] == '\n')
			return (long)i + 1;
		if (l[i] == 0 || (l[i] < 0x20 && l[i] != '\t' && l[i] != '\r'))
			return -1;
	}
	return 0;
}

/* Bytes looked at for the current pre-banner line. */
static size_t pre_window(size_t pos, size_t left)
{
	size_t room = SV_SSH_MAX_PRE_BYTES - pos;

	return left < room ? left : room;
}

enum sv_app_status sv_ssh_banner(const uint8_t *p, size_t n,
				 struct sv_ssh_banner *out, size_t *need)
{
	static const uint8_t none[1];
	size_t pos = 0, dummy;

	memset(out, 0, sizeof(*out));
	if (!need)
		need = &dummy;
	*need = 0;
	if (!p) {
		p = none;
		n = 0;
	}
	for (;;) {
		struct sv_cursor c = sv_cursor_make(p + pos, n - pos);
		size_t left = sv_cursor_left(&c);
		size_t k = left < SSH_MAGIC_LEN ? left : SSH_MAGIC_LEN;
		const uint8_t *l = sv_get_bytes(&c, left);
		long ll;

		if (k && !memcmp(l, ssh_magic, k)) {
			if (k == SSH_MAGIC_LEN)
				return read_ident(l, left, pos, out, need);
		} else if (left) {
			if (out->pre_lines >= SV_SSH_MAX_PRE_LINES)
				return SV_APP_NOT;
			ll = pre_line(l, pre_window(pos, left));
			if (ll < 0 || (ll == 0 && pos + left >=
				       SV_SSH_MAX_PRE_BYTES))
				return SV_APP_NOT;
			if (ll > 0) {
				out->pre_lines++;
				pos += (size_t)ll;
				continue;
			}
		}
		*need = n + 1 > pos + SSH_MAGIC_LEN ? n + 1
						    : pos + SSH_MAGIC_LEN;
		return SV_APP_NEED_MORE;
	}
}
