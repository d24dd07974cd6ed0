/*
 * sv_tls.h - the TLS ClientHello at the start of a client-to-server TCP
 * stream: versions, SNI, ALPN, ECH offer and the JA3 fingerprint.
 *
 * A pure function over bytes (no I/O; the only allocation is OpenSSL's
 * EVP context for the MD5): the caller (the per-flow dispatcher) hands
 * the first n bytes of the stream, in order, and calls again with more
 * when told SV_APP_NEED_MORE. Nothing in *out points into the input.
 *
 * Specs: RFC 8446 4.1.2 (ClientHello), 5.1 (records), 4.2.1
 * (supported_versions); RFC 6066 3 (server_name); RFC 7301 3.1 (ALPN);
 * RFC 8701 (GREASE); draft-ietf-tls-esni (ECH, 0xfe0d); JA3 as in
 * https://github.com/salesforce/ja3 and Wireshark's tls.handshake.ja3.
 *
 * Not handled (SV_APP_NOT): SSLv2-format hellos, DTLS, QUIC (whose
 * ClientHello sits inside an encrypted Initial packet).
 */
#ifndef SV_TLS_H
#define SV_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "sv_appl.h"

/* Largest record fragment accepted (RFC 8446 5.1: 2^14). */
#define SV_TLS_MAX_FRAGMENT 16384u

struct sv_tls_hello {
	uint16_t record_version;   /* of the first record */
	uint16_t legacy_version;   /* ClientHello.legacy_version */
	uint16_t version;          /* highest non-GREASE supported_versions
				      entry, else legacy_version */
	char sni[256];             /* first host_name, escaped (printable
				      ASCII kept, other bytes and '\' as
				      \xHH), cut at the size; "" if none.
				      With ECH: the outer, public name */
	char alpn[128];            /* protocols (escaped, a ',' inside one
				      as \x2c) joined with ',', cut at the
				      size; "" if none */
	int alpn_cut;              /* alpn was cut */
	int n_ciphers;             /* cipher suites on the wire, GREASE too */
	int n_extensions;          /* extensions on the wire, GREASE too */
	int ech;                   /* encrypted_client_hello (0xfe0d) */
	int n_records;             /* TLS records the ClientHello spans */
	/*
	 * JA3 string "version,ciphers,extensions,groups,ecpf" with GREASE
	 * values removed; filled only when the result is SV_APP_OK. Cut at
	 * a value boundary when longer (ja3_cut); ja3_md5 is always the MD5
	 * of the whole string, "" only if OpenSSL failed.
	 */
	char ja3[1024];
	int ja3_cut;
	char ja3_md5[33];          /* lowercase hex, via EVP_md5 */
};

/*
 * p, n: the first n bytes of the client-to-server TCP stream (p may be
 * NULL when n is 0). Fills *out (zeroed first) and returns:
 *  SV_APP_OK         the ClientHello was complete and well formed;
 *  SV_APP_NEED_MORE  a TLS handshake so far: *need is a lower bound of
 *                    the stream bytes required in total (> n, exact
 *                    when the hello sits in one record, never more than
 *                    SV_APP_MAX_NEED);
 *  SV_APP_NOT        not a TLS handshake record starting a ClientHello;
 *  SV_APP_MALFORMED  TLS, but the hello is broken or would need more
 *                    than SV_APP_MAX_NEED bytes; *out holds what was
 *                    read (no JA3).
 * need may be NULL. Uses up to SV_APP_MAX_NEED bytes of stack when the
 * hello spans several records (to join them).
 */
enum sv_app_status sv_tls_client_hello(const uint8_t *p, size_t n,
				       struct sv_tls_hello *out,
				       size_t *need);

/* 1 when v is a GREASE value (RFC 8701: 0x0a0a, 0x1a1a, ... 0xfafa). */
int sv_tls_is_grease(uint16_t v);

#endif
