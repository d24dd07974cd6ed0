/*
 * sv_error.h - status codes and the error record every fallible call fills.
 *
 * Modelled on zstd's stable error codes and curl's failf(): a function
 * returns an enum sv_status and, on failure, writes one line (no newline)
 * into a caller-owned struct sv_error that names the artifact and the byte
 * offset or line where the problem was found.
 */
#ifndef SV_ERROR_H
#define SV_ERROR_H

#include <stdint.h>

/* Numbered and stable: values are written into reports and exit paths. */
enum sv_status {
	SV_OK = 0,
	SV_EOF = 1,             /* no more items; not an error */
	SV_WARN = 2,            /* partly parsed; the pipeline goes on */
	SV_ERR_TRUNCATED = 3,   /* input ended early */
	SV_ERR_CORRUPT = 4,     /* input is not what it claims to be */
	SV_ERR_LIMIT = 5,       /* a configured size or count cap was hit */
	SV_ERR_NOMEM = 6,
	SV_ERR_IO = 7,          /* the operating system refused */
	SV_ERR_UNSUPPORTED = 8, /* valid, but a version or kind we do not read */
	SV_ERR_USAGE = 9        /* the caller passed something wrong */
};

#define SV_ERROR_ARTIFACT_MAX 256
#define SV_ERROR_MSG_MAX 384

/* offset and line are 0 when unknown; line numbers start at 1. */
struct sv_error {
	enum sv_status code;
	int sys_errno;
	uint64_t offset;
	uint64_t line;
	char artifact[SV_ERROR_ARTIFACT_MAX];
	char msg[SV_ERROR_MSG_MAX];
};

#if defined(__GNUC__) || defined(__clang__)
#define SV_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SV_MUST_CHECK __attribute__((warn_unused_result))
#else
#define SV_PRINTF(f, a)
#define SV_MUST_CHECK
#endif

void sv_error_clear(struct sv_error *err);

/*
 * Record a failure. artifact may be NULL (kept as it was). The message is
 * truncated to fit and any control character in it becomes '?', so an
 * attacker-chosen path cannot inject lines into logs. Returns code so the
 * call can be returned directly: return sv_error_set(err, ...);
 */
enum sv_status sv_error_set(struct sv_error *err, enum sv_status code,
			    const char *artifact, const char *fmt, ...)
	SV_PRINTF(4, 5);

/* Like sv_error_set, with a position in the artifact. */
enum sv_status sv_error_at(struct sv_error *err, enum sv_status code,
			   const char *artifact, uint64_t offset,
			   uint64_t line, const char *fmt, ...)
	SV_PRINTF(6, 7);

/* A short stable name for a status ("truncated", "limit", ...). */
const char *sv_status_name(enum sv_status code);

/* True for codes that mean failure (not OK, EOF or WARN). */
static inline int sv_is_error(enum sv_status s) { return s >= SV_ERR_TRUNCATED; }

/*
 * Write "artifact: line N: msg" / "artifact: offset N: msg" / "artifact: msg"
 * into buf (always NUL-terminated).
 */
void sv_error_format(const struct sv_error *err, char *buf, unsigned long n);

#define SV_RETURN_IF(cond, err, code, ...)                                   \
	do {                                                                 \
		if (cond)                                                    \
			return sv_error_set((err), (code), NULL, __VA_ARGS__); \
	} while (0)

#define SV_FORWARD(expr)                                                     \
	do {                                                                 \
		enum sv_status sv_fwd_rc_ = (expr);                          \
		if (sv_is_error(sv_fwd_rc_))                                 \
			return sv_fwd_rc_;                                   \
	} while (0)

#endif
