/*
 * sv_error.c - filling and formatting struct sv_error.
 */
#include "sv_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_names[] = {
	[SV_OK] = "ok",
	[SV_EOF] = "eof",
	[SV_WARN] = "warning",
	[SV_ERR_TRUNCATED] = "truncated",
	[SV_ERR_CORRUPT] = "corrupt",
	[SV_ERR_LIMIT] = "limit",
	[SV_ERR_NOMEM] = "out-of-memory",
	[SV_ERR_IO] = "io",
	[SV_ERR_UNSUPPORTED] = "unsupported",
	[SV_ERR_USAGE] = "usage",
};

const char *sv_status_name(enum sv_status code)
{
	if ((unsigned)code < sizeof(status_names) / sizeof(status_names[0]))
		return status_names[code];
	return "unknown";
}

void sv_error_clear(struct sv_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

/* Control bytes in messages would let hostile names forge log lines. */
static void scrub(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void copy_artifact(struct sv_error *err, const char *artifact)
{
	if (!artifact || artifact == err->artifact)
		return;
	snprintf(err->artifact, sizeof(err->artifact), "%s", artifact);
	scrub(err->artifact);
}

SV_PRINTF(2, 0)
static void set_msg(struct sv_error *err, const char *fmt, va_list ap)
{
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	scrub(err->msg);
}

enum sv_status sv_error_set(struct sv_error *err, enum sv_status code,
			    const char *artifact, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->offset = 0;
	err->line = 0;
	copy_artifact(err, artifact);
	va_start(ap, fmt);
	set_msg(err, fmt, ap);
	va_end(ap);
	return code;
}

enum sv_status sv_error_at(struct sv_error *err, enum sv_status code,
			   const char *artifact, uint64_t offset,
			   uint64_t line, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->offset = offset;
	err->line = line;
	copy_artifact(err, artifact);
	va_start(ap, fmt);
	set_msg(err, fmt, ap);
	va_end(ap);
	return code;
}

void sv_error_format(const struct sv_error *err, char *buf, unsigned long n)
{
	const char *art = err->artifact[0] ? err->artifact : "-";

	if (n == 0)
		return;
	if (err->line)
		snprintf(buf, n, "%s: line %llu: %s", art,
			 (unsigned long long)err->line, err->msg);
	else if (err->offset)
		snprintf(buf, n, "%s: offset %llu: %s", art,
			 (unsigned long long)err->offset, err->msg);
	else
		snprintf(buf, n, "%s: %s", art, err->msg);
}
