/*
 * Atomic, durable file replacement and whole-file reads, for every file
 * ssj writes that someone else may read: keys, signatures, checkpoints,
 * reject files; and the directories ssj builds whole (bundles, reports).
 */
#define _GNU_SOURCE		/* O_TMPFILE, Linux's */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

/* The directory a path's name lives in. */
static char *
parent_dir(const char *path)
{
	const char	*slash;

	if ((slash = strrchr(path, '/')) == NULL)
		return xstrdup(".");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/*
 * An anonymous file in path's directory (O_TMPFILE), given a name only
 * when it is whole: a crash at any point leaves no temporary file. -1
 * where the file system or the kernel cannot, and the caller falls back
 * to a named temporary file.
 */
static int
open_anonymous(const char *path, mode_t mode)
{
#ifdef O_TMPFILE
	char	*dir;
	int	 fd;

	if (access("/proc/self/fd", X_OK) == -1)
		return -1;
	dir = parent_dir(path);
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	free(dir);
	return fd;
#else
	(void)path;
	(void)mode;
	return -1;
#endif
}

int
file_out_open(struct file_out *f, const char *path, mode_t mode, int flags)
{
	mode_t	 mask;
	int	 fd;

	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->flags = flags;
	if ((fd = open_anonymous(path, 0600)) != -1)
		f->anonymous = 1;
	else {
		f->tmp = xasprintf("%s.XXXXXX", path);
		if ((fd = mkstemp(f->tmp)) == -1) {
			log_warn("cannot create a temporary file for '%s'",
			    path);
			release(f);
			return -1;
		}
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, mode & ~mask) == -1 ||
	    (f->fp = fdopen(fd, "w")) == NULL) {
		log_warn("cannot write '%s'", f->tmp ? f->tmp : path);
		close(fd);
		if (f->tmp != NULL)
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
	char	*dir;
	int	 fd;

	dir = parent_dir(path);
	if ((fd = open(dir, O_RDONLY)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/*
 * Names the anonymous file: directly where path is new, else under a
 * fresh name renamed over path (the one moment a crash leaves a
 * temporary name, and only when replacing a file).
 */
static int
name_anonymous(struct file_out *f, int fd)
{
	char	 proc[64];
	int	 i;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, f->path, AT_SYMLINK_FOLLOW)
	    == 0)
		return 0;
	if (errno != EEXIST) {
		log_warn("cannot create '%s'", f->path);
		return -1;
	}
	if (f->flags & FILE_EXCLUSIVE) {
		log_warnx("'%s' already exists; not overwriting it", f->path);
		return -1;
	}
	for (i = 0; i < 100; i++) {
		free(f->tmp);
		f->tmp = xasprintf("%s.%ld.%d", f->path, (long)getpid(), i);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, f->tmp,
		    AT_SYMLINK_FOLLOW) == 0)
			break;
		if (errno != EEXIST) {
			log_warn("cannot create '%s'", f->tmp);
			free(f->tmp);
			f->tmp = NULL;
			return -1;
		}
	}
	if (i == 100) {
		free(f->tmp);
		f->tmp = NULL;
		return error("cannot create a temporary name for '%s'",
		    f->path);
	}
	if (rename(f->tmp, f->path) == -1) {
		log_warn("cannot rename '%s' to '%s'", f->tmp, f->path);
		return -1;
	}
	free(f->tmp);
	f->tmp = NULL;
	return 0;
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
	if (f->anonymous) {
		if (name_anonymous(f, fileno(f->fp)) == -1)
			goto out;
	} else if (fclose(f->fp) == EOF) {
		f->fp = NULL;
		log_warn("cannot write '%s'", f->path);
		goto out;
	} else {
		f->fp = NULL;
		/* link(2) fails on an existing name: exclusive, whole. */
		if (f->flags & FILE_EXCLUSIVE) {
			if (link(f->tmp, f->path) == -1) {
				if (errno == EEXIST)
					log_warnx("'%s' already exists; not "
					    "overwriting it", f->path);
				else
					log_warn("cannot create '%s'",
					    f->path);
				goto out;
			}
		} else if (rename(f->tmp, f->path) == -1) {
			log_warn("cannot rename '%s' to '%s'", f->tmp,
			    f->path);
			goto out;
		} else {
			free(f->tmp);
			f->tmp = NULL;
		}
	}
	sync_parent(f->path);
	ret = 0;
out:
	/* After link(2) or a failure; a renamed one is NULL already. */
	if (f->tmp != NULL)
		unlink(f->tmp);
	release(f);
	return ret;
}

int
file_out_commit_as(struct file_out *f, const char *path)
{
	free(f->path);
	f->path = xstrdup(path);
	return file_out_commit(f);
}

void
file_out_abort(struct file_out *f)
{
	if (f->path == NULL)
		return;
	if (f->tmp != NULL)
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

static char *
file_temp_prefix(const char *base, const char *kind)
{
	return xasprintf(".%s.ssj-%s.", base, kind);
}

void
file_remove_tree(const char *dir)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			file_remove_tree(path);
		else
			(void)unlink(path);
		free(path);
	}
	closedir(d);
	(void)rmdir(dir);
}

/*
 * A killed ssj leaves its hidden temporary directory (mode 0700, so no
 * other user reads what is in it); the next one to the same target
 * removes those whose process is gone.
 */
static void
file_remove_stale(const char *parent, const char *base, const char *kind)
{
	struct dirent	*de;
	DIR		*d;
	char		*prefix, *path, *end;
	long		 pid;
	size_t		 n;

	if ((d = opendir(parent)) == NULL)
		return;
	prefix = file_temp_prefix(base, kind);
	n = strlen(prefix);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, n) != 0)
			continue;
		errno = 0;
		pid = strtol(de->d_name + n, &end, 10);
		if (errno != 0 || pid <= 0 || *end != '.' ||
		    (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		path = xasprintf("%s/%s", parent, de->d_name);
		file_remove_tree(path);
		free(path);
	}
	free(prefix);
	closedir(d);
}

int
file_target_state(const char *dir, const char *what)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	int		 empty = 1;

	if (lstat(dir, &st) == -1) {
		if (errno == ENOENT)
			return 1;
		log_warn("cannot use '%s'", dir);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		log_warnx("'%s' exists and is not a directory: give the %s a "
		    "new directory", dir, what);
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		log_warn("cannot open '%s'", dir);
		return -1;
	}
	while (empty && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") !=
		    0)
			empty = 0;
	closedir(d);
	if (!empty) {
		log_warnx("'%s' is not empty: a %s goes into a new or empty "
		    "directory (nothing was written)", dir, what);
		return -1;
	}
	return 0;
}

int
file_sync_dir(const char *dir)
{
	int	 fd, ret;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_warn("cannot open '%s'", dir);
		return -1;
	}
	if ((ret = fsync(fd)) == -1)
		log_warn("cannot sync '%s'", dir);
	close(fd);
	return ret;
}

char *
file_temp_dir(const char *parent, const char *base, const char *kind)
{
	char	*prefix, *dir;

	file_remove_stale(parent, base, kind);
	prefix = file_temp_prefix(base, kind);
	dir = xasprintf("%s/%s%ld.XXXXXX", parent, prefix, (long)getpid());
	free(prefix);
	if (mkdtemp(dir) == NULL) {
		log_warn("cannot create a directory in '%s'", parent);
		free(dir);
		return NULL;
	}
	return dir;
}

int
file_dir_publish(const char *tmp, const char *target, const char *parent,
    int state, const char *what, const char *kind)
{
	mode_t	 mask;

	/* Over an empty directory too: rename(2) replaces it whole. */
	if (rename(tmp, target) == -1) {
		if (state == 0)
			log_warn("cannot rename the %s to '%s'", what, target);
		else
			log_warn("cannot rename the %s to '%s' (did another %s "
			    "make it?)", what, target, kind);
		return -1;
	}
	/*
	 * mkdtemp made it 0700, so that no one reads it half built; a whole
	 * one is for others to read.
	 */
	mask = umask(0);
	umask(mask);
	if (chmod(target, 0755 & ~mask) == -1) {
		log_warn("cannot make '%s' readable", target);
		return -1;
	}
	return file_sync_dir(parent);
}
