/*
 * sv_ssh.h - the SSH identification line ("SSH-2.0-OpenSSH_9.2p1 ...")
 * at the start of either direction of a TCP stream.
 *
 * A pure function over bytes (no I/O, no allocation): the caller hands
 * the first n bytes of one direction, in order, and calls again with
 * more when told SV_APP_NEED_MORE. *out holds copies, never pointers.
 *
 * RFC 4253 4.2: "SSH-protoversion-softwareversion SP comments CR LF",
 * at most 255 bytes with the CR LF; a server may send other lines first
 * (lines not starting with "SSH-"). Accepted here: a bare LF as line
 * end; a '-' inside softwareversion ("libssh-0.9.6"); up to
 * SV_SSH_MAX_PRE_LINES text lines in SV_SSH_MAX_PRE_BYTES before it.
 */
#ifndef SV_SSH_H
#define SV_SSH_H

#include <stddef.h>
#include <stdint.h>

#include "sv_appl.h"

#define SV_SSH_MAX_IDENT 255      /* identification line, CR LF included */
#define SV_SSH_MAX_PRE_LINES 16   /* lines accepted before "SSH-" */
#define SV_SSH_MAX_PRE_BYTES 4096 /* bytes accepted before "SSH-" */

/*
 * Strings are escaped: printable ASCII kept except '\', other bytes
 * written \xHH; always NUL-terminated, cut at the size.
 */
struct sv_ssh_banner {
	char proto[16];        /* "2.0", "1.99" */
	char software[256];    /* "OpenSSH_9.2p1" */
	char comments[256];    /* after the first space, or "" */
	int pre_lines;         /* lines before the identification line */
	size_t offset;         /* where "SSH-" starts in the stream */
	size_t length;         /* of the line with its line end */
	int bare_lf;           /* the line ended with LF, not CR LF */
};

/*
 * p, n: the first n bytes of one direction (p may be NULL when n is 0).
 * Fills *out (zeroed first) and returns:
 *  SV_APP_OK         an identification line was read;
 *  SV_APP_NEED_MORE  SSH so far, no line end yet: *need (> n) is a lower
 *                    bound of the bytes required in total;
 *  SV_APP_NOT        the bytes do not start with "SSH-" nor with text
 *                    lines leading to it within the bounds above (a NUL
 *                    or a control byte other than TAB/CR in them);
 *  SV_APP_MALFORMED  "SSH-" but no line end in SV_SSH_MAX_IDENT bytes,
 *                    no '-' after the protocol version, an empty or
 *                    non-printable protoversion or softwareversion;
 *                    *out holds what was read.
 * need may be NULL.
 */
enum sv_app_status sv_ssh_banner(const uint8_t *p, size_t n,
				 struct sv_ssh_banner *out, size_t *need);

#endif
