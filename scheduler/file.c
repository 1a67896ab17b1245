/*
 * Atomic, durable file replacement and whole-file reads, for every file
 * ssj writes that someone else may read: keys, signatures, checkpoints,
 * reject files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "file.h"
#include "log.h"
#include "xmalloc.h"

static void
release(struct file_out *f)
{
	if (f->fp != NULL)
		fclose(f->fp);
	free(f->path);
	free(f->tmp);
	memset(f, 0, sizeof(*f));
}

int
file_out_open(struct file_out *f, const char *path, mode_t mode, int flags)
{
	mode_t	 mask;
	int	 fd;

	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->tmp = xasprintf("%s.XXXXXX", path);
	f->flags = flags;
	if ((fd = mkstemp(f->tmp)) == -1) {
		log_warn("cannot create a temporary file for '%s'", path);
		release(f);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, mode & ~mask) == -1 ||
	    (f->fp = fdopen(fd, "w")) == NULL) {
		log_warn("cannot write '%s'", f->tmp);
		close(fd);
		unlink(f->tmp);
		release(f);
		return -1;
	}
	return 0;
}

/* Makes a new directory entry durable; a failure only costs that. */
static void
sync_parent(const char *path)
{
	const char	*slash;
	char		*dir;
	int		 fd;

	if ((slash = strrchr(path, '/')) == NULL)
		dir = xstrdup(".");
	else
		dir = xstrndup(path, slash == path ? 1 :
		    (size_t)(slash - path));
	if ((fd = open(dir, O_RDONLY)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

int
file_out_commit(struct file_out *f)
{
	int	 ret = -1;

	if (fflush(f->fp) == EOF || ferror(f->fp) ||
	    fsync(fileno(f->fp)) == -1) {
		log_warn("cannot write '%s'", f->path);
		goto out;
	}
	if (fclose(f->fp) == EOF) {
		f->fp = NULL;
		log_warn("cannot write '%s'", f->path);
		goto out;
	}
	f->fp = NULL;
	/* link(2) fails on an existing name: exclusive, and still whole. */
	if (f->flags & FILE_EXCLUSIVE) {
		if (link(f->tmp, f->path) == -1) {
			if (errno == EEXIST)
				log_warnx("'%s' already exists; not "
				    "overwriting it", f->path);
			else
				log_warn("cannot create '%s'", f->path);
			goto out;
		}
	} else if (rename(f->tmp, f->path) == -1) {
		log_warn("cannot rename '%s' to '%s'", f->tmp, f->path);
		goto out;
	}
	sync_parent(f->path);
	ret = 0;
out:
	/* After link(2) or a failure; after rename(2) it is gone already. */
	unlink(f->tmp);
	release(f);
	return ret;
}

void
file_out_abort(struct file_out *f)
{
	if (f->tmp == NULL)
		return;
	unlink(f->tmp);
	release(f);
}

int
file_write(const char *path, const void *p, size_t len, mode_t mode,
    int flags)
{
	struct file_out	 f;

	if (file_out_open(&f, path, mode, flags) == -1)
		return -1;
	if (len > 0 && fwrite(p, 1, len, f.fp) != len) {
		log_warn("cannot write '%s'", path);
		file_out_abort(&f);
		return -1;
	}
	return file_out_commit(&f);
}

int
file_read(const char *path, struct buf *out)
{
	FILE	*fp;
	char	 chunk[8192];
	size_t	 n;
	int	 ret = 0;

	if (path == NULL || strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "rb")) == NULL) {
		log_warn("cannot open '%s'", path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(out, chunk, n);
	if (ferror(fp)) {
		log_warn("cannot read '%s'", fp == stdin ? "standard input" :
		    path);
		ret = -1;
	}
	if (fp != stdin)
		fclose(fp);
	return ret;
}
