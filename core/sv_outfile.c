/*
 * sv_outfile.c - temporary name, fsync, rename.
 */
#include "sv_outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum sv_status sv_outfile_open(struct sv_outfile *o, const char *dir,
			       const char *name, struct sv_error *err)
{
	int fd, n;

	memset(o, 0, sizeof(*o));
	n = snprintf(o->final, sizeof(o->final), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(o->final) ||
	    snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.XXXXXX", dir, name) >=
		    (int)sizeof(o->tmp))
		return sv_error_set(err, SV_ERR_USAGE, dir, "path too long");
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		o->tmp[0] = '\0';
		return sv_error_set(err, SV_ERR_IO, o->final,
				    "cannot create: %s", strerror(errno));
	}
	(void)fchmod(fd, 0644);
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		close(fd);
		sv_outfile_abort(o);
		return sv_error_set(err, SV_ERR_IO, o->final,
				    "cannot open: %s", strerror(errno));
	}
	return SV_OK;
}

enum sv_status sv_outfile_commit(struct sv_outfile *o, struct sv_error *err)
{
	int failed = fflush(o->fp) != 0 || ferror(o->fp) ||
		     fsync(fileno(o->fp)) != 0;
	int saved = errno;

	if (fclose(o->fp) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	o->fp = NULL;
	if (!failed && rename(o->tmp, o->final) != 0) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		sv_outfile_abort(o);
		return sv_error_set(err, SV_ERR_IO, o->final,
				    "cannot write: %s", strerror(saved));
	}
	o->tmp[0] = '\0';
	return SV_OK;
}

void sv_outfile_abort(struct sv_outfile *o)
{
	if (o->fp) {
		fclose(o->fp);
		o->fp = NULL;
	}
	if (o->tmp[0]) {
		unlink(o->tmp);
		o->tmp[0] = '\0';
	}
}

enum sv_status sv_mkdir_p(const char *dir, struct sv_error *err)
{
	char buf[PATH_MAX];
	size_t i, n = strlen(dir);
	struct stat st;

	if (n == 0 || n >= sizeof(buf))
		return sv_error_set(err, SV_ERR_USAGE, dir,
				    "bad output folder name");
	memcpy(buf, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return sv_error_set(err, SV_ERR_IO, dir,
					    "cannot create folder: %s",
					    strerror(errno));
		buf[i] = i == n ? '\0' : '/';
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return sv_error_set(err, SV_ERR_IO, dir,
				    "output path is not a folder");
	return SV_OK;
}
