/*
 * Files written so that a reader sees the old one or the whole new one,
 * never half of one: a temporary name in the same directory, fsync(2),
 * rename(2) -- or link(2) for a file that must not exist yet -- and the
 * directory entry made durable. Also reading a whole file.
 */
#ifndef SSJ_FILE_H
#define SSJ_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct buf;

enum file_flags {
	FILE_EXCLUSIVE = 1 << 0,	/* fail if the file already exists */
};

struct file_out {
	FILE	*fp;		/* write here, between open and commit */
	char	*path;
	char	*tmp;		/* a named temporary file, or NULL */
	int	 anonymous;	/* O_TMPFILE: no name until commit */
	int	 flags;
};

/* Starts writing path with the given mode (less the umask); -1 said why. */
int	file_out_open(struct file_out *, const char *path, mode_t mode,
	    int flags);
/* Makes the file durable and visible under its name; always releases. */
int	file_out_commit(struct file_out *);
/*
 * The same under a name known only now (a digest), in the directory
 * given to file_out_open.
 */
int	file_out_commit_as(struct file_out *, const char *path);
/* Forgets it: the temporary file is removed, path untouched. */
void	file_out_abort(struct file_out *);
/* The whole file at once. */
int	file_write(const char *path, const void *, size_t, mode_t mode,
	    int flags);
/* Appends the whole file (NULL or "-": standard input) to out. */
int	file_read(const char *path, struct buf *out);

/*
 * Directories built whole in a hidden temporary directory beside their
 * target, ".BASE.ssj-KIND.PID.XXXXXX", and renamed into place (ssj
 * export, ssj report).
 */
/* Removes a directory ssj made, with everything in it. */
void	 file_remove_tree(const char *dir);
/*
 * Whether dir is absent (1) or an empty directory (0); -1 said why not,
 * naming what goes there (a "bundle", a "report").
 */
int	 file_target_state(const char *dir, const char *what);
/* Makes a directory's entries durable. */
int	 file_sync_dir(const char *dir);
/*
 * A new hidden temporary directory (mode 0700) in parent for a KIND
 * whose target is parent/base, after removing those a killed ssj left;
 * NULL said why.
 */
char	*file_temp_dir(const char *parent, const char *base,
	    const char *kind);
/*
 * The whole directory tmp renamed to target (replacing it when state says
 * it was an empty directory, 0), made readable by others, and the parent's
 * entry made durable; -1 said why, naming what it holds.
 */
int	 file_dir_publish(const char *tmp, const char *target,
	    const char *parent, int state, const char *what,
	    const char *kind);

#endif
