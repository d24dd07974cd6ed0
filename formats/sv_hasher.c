/*
 * sv_hasher.c - a producer/consumer ring of batches feeding OpenSSL.
 *
 *   reader thread                     hash thread
 *   [batch k: bytes | ops] --ring-->  for op in batch: Update/Final
 *
 * Batching many small entries into one hand-off keeps the per-entry cost
 * low for bundles of a million small /proc files.
 */
#include "sv_hasher.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_BYTES (1u << 20)
#define BATCH_OPS 4096u
#define RING 4u

enum op_kind { OP_UPDATE, OP_FINAL };

struct op {
	unsigned char kind;
	unsigned char stream;
	uint32_t off;
	uint32_t len;
	uint8_t *dest;
};

struct batch {
	size_t used;
	size_t nops;
	struct op ops[BATCH_OPS];
	uint8_t data[BATCH_BYTES];
};

struct sv_hasher {
	EVP_MD *md;   /* fetched once: EVP_sha256() would fetch per init */
	EVP_MD_CTX *ctx[2];
	int threaded;
	int failed;

	/* ring state, guarded by mu when threaded */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t worker;
	int worker_started;
	int stopping;
	unsigned fill;     /* batch the producer writes */
	unsigned consume;  /* next batch the worker reads */
	unsigned pending;  /* submitted, not yet consumed */
	struct batch *ring[RING];
};

static int ctx_reset(struct sv_hasher *h, int s)
{
	return EVP_DigestInit_ex(h->ctx[s], h->md, NULL) == 1 ? 0 : -1;
}

static void apply(struct sv_hasher *h, const struct op *op,
		  const uint8_t *data)
{
	unsigned int len = 0;

	if (op->kind == OP_UPDATE) {
		if (EVP_DigestUpdate(h->ctx[op->stream], data + op->off,
				     op->len) != 1)
			h->failed = 1;
		return;
	}
	if (EVP_DigestFinal_ex(h->ctx[op->stream], op->dest, &len) != 1 ||
	    ctx_reset(h, op->stream))
		h->failed = 1;
}

static void run_batch(struct sv_hasher *h, struct batch *b)
{
	size_t i;

	for (i = 0; i < b->nops; i++)
		apply(h, &b->ops[i], b->data);
	b->nops = 0;
	b->used = 0;
}

static void *worker_main(void *arg)
{
	struct sv_hasher *h = arg;

	pthread_mutex_lock(&h->mu);
	for (;;) {
		struct batch *b;

		while (h->pending == 0 && !h->stopping)
			pthread_cond_wait(&h->cv, &h->mu);
		if (h->pending == 0 && h->stopping)
			break;
		b = h->ring[h->consume];
		pthread_mutex_unlock(&h->mu);
		run_batch(h, b);
		pthread_mutex_lock(&h->mu);
		h->consume = (h->consume + 1) % RING;
		h->pending--;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static int start_worker(struct sv_hasher *h)
{
	unsigned i;

	for (i = 0; i < RING; i++) {
		h->ring[i] = calloc(1, sizeof(struct batch));
		if (!h->ring[i])
			return -1;
	}
	if (pthread_mutex_init(&h->mu, NULL))
		return -1;
	if (pthread_cond_init(&h->cv, NULL)) {
		pthread_mutex_destroy(&h->mu);
		return -1;
	}
	if (pthread_create(&h->worker, NULL, worker_main, h)) {
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
		return -1;
	}
	h->worker_started = 1;
	return 0;
}

struct sv_hasher *sv_hasher_new(int threaded, struct sv_error *err)
{
	struct sv_hasher *h = calloc(1, sizeof(*h));

	if (!h) {
		sv_error_set(err, SV_ERR_NOMEM, NULL, "cannot allocate hasher");
		return NULL;
	}
	h->threaded = threaded;
	h->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	h->ctx[0] = EVP_MD_CTX_new();
	h->ctx[1] = EVP_MD_CTX_new();
	if (!h->md || !h->ctx[0] || !h->ctx[1] || ctx_reset(h, 0) ||
	    ctx_reset(h, 1) ||
	    (threaded && start_worker(h))) {
		sv_hasher_free(h);
		sv_error_set(err, SV_ERR_NOMEM, NULL,
			     "cannot start the SHA-256 hasher");
		return NULL;
	}
	return h;
}

/* Hand the filled batch to the worker; wait for a free one. */
static void submit(struct sv_hasher *h)
{
	pthread_mutex_lock(&h->mu);
	h->pending++;
	pthread_cond_broadcast(&h->cv);
	h->fill = (h->fill + 1) % RING;
	while (h->pending == RING)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

static struct batch *current(struct sv_hasher *h)
{
	struct batch *b = h->ring[h->fill];

	if (b->nops == BATCH_OPS || b->used == BATCH_BYTES) {
		submit(h);
		b = h->ring[h->fill];
	}
	return b;
}

enum sv_status sv_hasher_update(struct sv_hasher *h, enum sv_hash_stream s,
				const void *data, size_t n)
{
	const uint8_t *p = data;

	if (!h->threaded) {
		if (EVP_DigestUpdate(h->ctx[s], data, n) != 1)
			h->failed = 1;
		return h->failed ? SV_ERR_CORRUPT : SV_OK;
	}
	while (n > 0) {
		struct batch *b = current(h);
		size_t room = BATCH_BYTES - b->used;
		size_t take = n < room ? n : room;
		struct op *op = &b->ops[b->nops++];

		op->kind = OP_UPDATE;
		op->stream = (unsigned char)s;
		op->off = (uint32_t)b->used;
		op->len = (uint32_t)take;
		memcpy(b->data + b->used, p, take);
		b->used += take;
		p += take;
		n -= take;
	}
	return SV_OK;
}

enum sv_status sv_hasher_final(struct sv_hasher *h, enum sv_hash_stream s,
			       uint8_t dest[SV_SHA256_LEN])
{
	struct op op = {OP_FINAL, (unsigned char)s, 0, 0, dest};
	struct batch *b;

	if (!h->threaded) {
		apply(h, &op, NULL);
		return h->failed ? SV_ERR_CORRUPT : SV_OK;
	}
	b = current(h);
	b->ops[b->nops++] = op;
	return SV_OK;
}

enum sv_status sv_hasher_sync(struct sv_hasher *h)
{
	if (h->threaded) {
		struct batch *b = h->ring[h->fill];

		if (b->nops)
			submit(h);
		pthread_mutex_lock(&h->mu);
		while (h->pending)
			pthread_cond_wait(&h->cv, &h->mu);
		pthread_mutex_unlock(&h->mu);
	}
	return h->failed ? SV_ERR_CORRUPT : SV_OK;
}

void sv_hasher_free(struct sv_hasher *h)
{
	unsigned i;

	if (!h)
		return;
	if (h->worker_started) {
		pthread_mutex_lock(&h->mu);
		h->stopping = 1;
		pthread_cond_broadcast(&h->cv);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->worker, NULL);
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
	}
	for (i = 0; i < RING; i++)
		free(h->ring[i]);
	EVP_MD_CTX_free(h->ctx[0]);
	EVP_MD_CTX_free(h->ctx[1]);
	EVP_MD_free(h->md);
	free(h);
}
