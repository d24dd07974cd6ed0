/*
 * fuzz_dns.c - libFuzzer target for the DNS parser
 * (formats/net/sv_dns.c).
 *
 * Input: one DNS message, as a UDP payload (at most 65535 bytes, what the
 * TCP length prefix allows). Besides the sanitizers, aborts when the
 * result breaks the contract in sv_dns.h: an unknown status, a string
 * without its NUL inside SV_DNS_NAME_MAX, more answers kept than the cap
 * or than parsed, an address family that does not match the type,
 * features a 255-byte name cannot have, a status without its why (or an
 * unflagged one with one), and, parsing the message again without its
 * last byte from an exact-size copy, a prefix that does not agree with
 * the whole: a cut may only turn OK into OK-truncated and keep a subset.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sv_dns.h"

#define MAX_INPUT 65535u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int has_nul(const char *s)
{
	return memchr(s, '\0', SV_DNS_NAME_MAX) != NULL;
}

static void check_rr(const struct sv_dns_rr *r)
{
	if (!has_nul(r->name) || !has_nul(r->data))
		abort();
	if (r->family == 4 && r->type != SV_DNS_T_A)
		abort();
	if (r->family == 6 && r->type != SV_DNS_T_AAAA)
		abort();
	if (r->family != 0 && r->family != 4 && r->family != 6)
		abort();
}

/* The answers kept against the counts; the question's features. */
static void check_counts(const struct sv_dns_msg *m)
{
	int i;

	if (!has_nul(m->qname) || (m->has_question && !m->qname[0]))
		abort();
	if (m->n_answers < 0 || m->n_answers > SV_DNS_MAX_ANSWERS ||
	    m->n_answers > m->answers_total || m->answers_total > m->ancount)
		abort();
	if (m->n_answers != (m->answers_total < SV_DNS_MAX_ANSWERS ?
			     m->answers_total : SV_DNS_MAX_ANSWERS))
		abort();
	for (i = 0; i < m->n_answers; i++)
		check_rr(&m->answers[i]);
	if (m->labels < 0 || m->labels > 127 || m->longest_label > 63 ||
	    !(m->entropy >= 0.0 && m->entropy <= 8.0))
		abort();
}

static void check_msg(enum sv_dns_status st, const struct sv_dns_msg *m,
		      size_t n)
{
	if (st != SV_DNS_OK && st != SV_DNS_NOT_DNS && st != SV_DNS_MALFORMED)
		abort();
	if (n < SV_DNS_HDR_LEN && (st != SV_DNS_MALFORMED || !m->truncated))
		abort();
	check_counts(m);
	if (st == SV_DNS_NOT_DNS && (m->has_question || m->answers_total))
		abort();
	if ((st == SV_DNS_OK && !m->truncated) != (m->why == NULL))
		abort();
	if (m->trailing && (st != SV_DNS_OK || m->truncated ||
			    m->trailing > n - SV_DNS_HDR_LEN))
		abort();
}

/* The message less its last byte, against the whole one. */
static void check_prefix(const uint8_t *data, size_t size,
			 enum sv_dns_status st, const struct sv_dns_msg *full)
{
	static struct sv_dns_msg m;
	enum sv_dns_status pst;
	uint8_t *cut;
	int i;

	if (size <= SV_DNS_HDR_LEN)
		return;
	cut = malloc(size - 1);
	if (!cut)
		return;
	memcpy(cut, data, size - 1);
	pst = sv_dns_parse(cut, size - 1, &m);
	free(cut);
	check_msg(pst, &m, size - 1);
	if (st == SV_DNS_NOT_DNS && pst != SV_DNS_NOT_DNS)
		abort();
	if (st == SV_DNS_OK && full->trailing == 0 &&
	    (pst != SV_DNS_OK || !m.truncated))
		abort();
	if (st == SV_DNS_OK && full->trailing > 0 &&
	    (pst != SV_DNS_OK || m.truncated))
		abort();
	if (st == SV_DNS_MALFORMED && pst == SV_DNS_OK && !m.truncated)
		abort();
	if (m.has_question && strcmp(m.qname, full->qname) != 0)
		abort();
	if (pst != SV_DNS_NOT_DNS && m.n_answers > full->n_answers)
		abort();
	for (i = 0; i < m.n_answers; i++)
		if (strcmp(m.answers[i].name, full->answers[i].name) ||
		    m.answers[i].ttl != full->answers[i].ttl)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sv_dns_msg m;
	enum sv_dns_status st;

	if (size > MAX_INPUT)
		return 0;
	st = sv_dns_parse(size ? data : NULL, size, &m);
	check_msg(st, &m, size);
	check_prefix(data, size, st, &m);
	return 0;
}
