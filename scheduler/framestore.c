/*
 * The frame files a commit keeps, by digest: beside the database as
 * DB-frames/HEX, written and made durable once (inside the database they
 * cost a write to the WAL, a second one to the file and as many reads,
 * page by page), or as chunks in frame_chunk where an older commitment
 * has them and where the database has no file.
 */
#define _GNU_SOURCE		/* O_DIRECT, Linux's */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "framestore.h"
#include "log.h"
#include "xmalloc.h"

size_t	frame_chunk_bytes = 1024 * 1024;

/* Bytes a kept file is read and written by. */
#define IO_BYTES	(1024 * 1024)

/*
 * Kept files are written and read around the page cache (O_DIRECT)
 * where the file system allows it: a province's targets.txt is hundreds
 * of MiB, and on a virtual machine every page of cache it takes may be
 * memory the host must first hand over. Measured at 10 M (268 MiB): the
 * commit took 1.8 s writing it through the cache, 1.0 s not writing it
 * at all; dd wrote it around the cache in 0.2 s and read it in 0.09 s.
 * Buffers and block sizes are multiples of this.
 */
#ifdef O_DIRECT
#define DIRECT_FLAG	O_DIRECT
#else
#define DIRECT_FLAG	0
#endif
#define DIRECT_ALIGN	4096

/* O_DIRECT on or off for fd; -1 where it cannot be changed. */
static int
set_direct(int fd, int on)
{
	int	 fl;

	if (DIRECT_FLAG == 0 || (fl = fcntl(fd, F_GETFL)) == -1)
		return on ? -1 : 0;
	return fcntl(fd, F_SETFL, on ? fl | DIRECT_FLAG : fl & ~DIRECT_FLAG);
}

static unsigned char *
io_buffer(void)
{
	unsigned char	*p;

	if ((p = aligned_alloc(DIRECT_ALIGN, IO_BYTES)) == NULL)
		fatal("framestore: allocating %d bytes", IO_BYTES);
	return p;
}

/* The directory beside the database; NULL where it has no file. */
static char *
frames_dir(struct db *db)
{
	const char	*path = db_path(db);

	if (path[0] == '\0' || strcmp(path, ":memory:") == 0)
		return NULL;
	return xasprintf("%s-frames", path);
}

static char *
file_path(const char *dir, const unsigned char digest[CRYPTO_DIGEST_BYTES])
{
	char	 hex[CRYPTO_DIGEST_HEX];

	crypto_hex(digest, CRYPTO_DIGEST_BYTES, hex);
	return xasprintf("%s/%s", dir, hex);
}

/* A file's row: 1 with its size and head (0: beside), 0 if none. */
static int
file_row(struct db *db, const unsigned char digest[CRYPTO_DIGEST_BYTES],
    int64_t *size, int64_t *head)
{
	struct db_stmt	*st;
	int		 rc;

	if (!db_table_exists(db, "frame_file"))
		return 0;
	st = db_prepare(db, "SELECT size, head FROM frame_file WHERE "
	    "digest = ?1");
	if (st == NULL)
		return -1;
	db_bind_blob(st, 1, digest, CRYPTO_DIGEST_BYTES);
	if ((rc = db_step(st)) == DB_ROW) {
		*size = db_col_int(st, 0);
		*head = db_col_int(st, 1);
	}
	db_finalize(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/*
 * Whether a name in the directory is what a commit that failed or was
 * killed left (1): a file no row names (referenced says), or one of
 * file.c's temporary names ("pending.XXXXXX", "HEX.PID.N"); 0 if not,
 * -1 on error.
 */
static int
leftover(struct db_stmt *referenced, const char *name)
{
	unsigned char	 digest[CRYPTO_DIGEST_BYTES];
	char		 hex[CRYPTO_DIGEST_HEX];
	size_t		 n = CRYPTO_DIGEST_HEX - 1;
	int		 rc;

	if (strncmp(name, "pending.", 8) == 0)
		return 1;
	if (strlen(name) < n)
		return 0;
	memcpy(hex, name, n);
	hex[n] = '\0';
	if (crypto_unhex(hex, digest, sizeof(digest)) == -1)
		return 0;
	if (name[n] != '\0')
		return name[n] == '.';
	db_bind_blob(referenced, 1, digest, sizeof(digest));
	rc = db_step(referenced);
	db_reset(referenced);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* Run in a write transaction, so that no other commit is under way. */
static int
sweep(struct frame_store *fs)
{
	struct db_stmt	*st;
	struct dirent	*e;
	DIR		*d;
	char		*path;
	int		 rc, ret = -1;

	if ((d = opendir(fs->dir)) == NULL) {
		log_warn("cannot read '%s'", fs->dir);
		return -1;
	}
	st = db_prepare(fs->db, "SELECT 1 FROM frame_file WHERE digest = ?1 "
	    "AND head = 0");
	if (st == NULL)
		goto out;
	while ((e = readdir(d)) != NULL) {
		if ((rc = leftover(st, e->d_name)) == -1)
			goto out;
		if (rc == 0)
			continue;
		path = xasprintf("%s/%s", fs->dir, e->d_name);
		if (unlink(path) == -1 && errno != ENOENT)
			log_warn("cannot remove '%s'", path);
		free(path);
	}
	ret = 0;
out:
	db_finalize(st);
	closedir(d);
	return ret;
}

int
frame_store_open(struct frame_store *fs, struct db *db)
{
	memset(fs, 0, sizeof(*fs));
	fs->db = db;
	if ((fs->dir = frames_dir(db)) == NULL)
		return db_query_int(db, "SELECT coalesce(max(id), 0) + 1 FROM "
		    "frame_chunk", &fs->next_chunk);
	if (mkdir(fs->dir, 0700) == -1 && errno != EEXIST) {
		log_warn("cannot create '%s'", fs->dir);
		goto fail;
	}
	if (sweep(fs) == -1)
		goto fail;
	return 0;
fail:
	frame_store_close(fs);
	return -1;
}

void
frame_store_close(struct frame_store *fs)
{
	free(fs->dir);
	memset(fs, 0, sizeof(*fs));
}

int
frame_store_out_open(struct frame_store *fs, struct frame_store_out *o)
{
	char	*path;
	int	 rc;

	memset(o, 0, sizeof(*o));
	o->store = fs;
	buf_init(&o->chunk);
	if (fs->dir == NULL) {
		o->insert = db_prepare(fs->db, "INSERT INTO frame_chunk (id, "
		    "head, data) VALUES (?1, ?2, ?3)");
		return o->insert != NULL ? 0 : -1;
	}
	/* Named by its digest once whole (file_out_commit_as). */
	path = xasprintf("%s/pending", fs->dir);
	rc = file_out_open(&o->file, path, 0600, 0);
	free(path);
	o->writing = rc == 0;
	/* Hundreds of MiB at a province: in few writes, by write_block. */
	if (o->writing) {
		o->block = io_buffer();
		o->direct = set_direct(fileno(o->file.fp), 1) == 0;
	}
	return rc;
}

/* The bytes in o->block to the file; the first failure is told. */
static void
write_block(struct frame_store_out *o)
{
	const unsigned char	*p = o->block;
	size_t			 n = o->blocklen;
	ssize_t			 w;
	int			 fd = fileno(o->file.fp), failed = o->failed;

	o->blocklen = 0;
	while (n > 0 && !o->failed) {
		/* The last, partial block goes through the cache. */
		if (o->direct && n % DIRECT_ALIGN != 0) {
			o->direct = 0;
			o->failed = set_direct(fd, 0) == -1;
		} else if ((w = write(fd, p, n)) >= 0) {
			p += w;
			n -= (size_t)w;
		} else if (errno == EINVAL && o->direct) {
			o->direct = 0;
			o->failed = set_direct(fd, 0) == -1;
		} else if (errno != EINTR)
			o->failed = 1;
	}
	if (o->failed && !failed)
		log_warn("cannot write '%s'", o->file.path);
}

static void
flush_chunk(struct frame_store_out *o)
{
	struct frame_store	*fs = o->store;
	int64_t			 id;

	if (o->failed || o->chunk.len == 0)
		return;
	id = fs->next_chunk++;
	if (o->head == 0)
		o->head = id;
	db_bind_int(o->insert, 1, id);
	db_bind_int(o->insert, 2, o->head);
	db_bind_blob(o->insert, 3, o->chunk.data, o->chunk.len);
	if (db_step(o->insert) != DB_DONE)
		o->failed = 1;
	db_reset(o->insert);
	buf_reset(&o->chunk);
}

void
frame_store_add(struct frame_store_out *o, const void *p, size_t len)
{
	const unsigned char	*q = p;
	size_t			 k;

	o->size += len;
	if (o->writing) {
		while (len > 0) {
			k = IO_BYTES - o->blocklen < len ? IO_BYTES -
			    o->blocklen : len;
			memcpy(o->block + o->blocklen, q, k);
			o->blocklen += k;
			q += k;
			len -= k;
			if (o->blocklen == IO_BYTES)
				write_block(o);
		}
		return;
	}
	buf_add(&o->chunk, p, len);
	if (o->chunk.len >= frame_chunk_bytes)
		flush_chunk(o);
}

/* Whether the row was added (1), there already (0), or -1. */
static int
add_row(struct db *db, const unsigned char digest[CRYPTO_DIGEST_BYTES],
    uint64_t size, int64_t head)
{
	struct db_stmt	*st;
	int64_t		 added;
	int		 rc;

	st = db_prepare(db, "INSERT OR IGNORE INTO frame_file (digest, "
	    "size, head) VALUES (?1, ?2, ?3)");
	if (st == NULL)
		return -1;
	db_bind_blob(st, 1, digest, CRYPTO_DIGEST_BYTES);
	db_bind_int(st, 2, (int64_t)size);
	db_bind_int(st, 3, head);
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE ||
	    db_query_int(db, "SELECT changes()", &added) == -1)
		return -1;
	return added > 0;
}

static int
commit_chunks(struct frame_store_out *o,
    const unsigned char digest[CRYPTO_DIGEST_BYTES])
{
	struct db_stmt	*st;
	int		 rc;

	flush_chunk(o);
	if (o->failed ||
	    (rc = add_row(o->store->db, digest, o->size, o->head)) == -1)
		return -1;
	if (rc == 1)
		return 0;
	if ((st = db_prepare(o->store->db, "DELETE FROM frame_chunk WHERE "
	    "head = ?1")) == NULL)
		return -1;
	db_bind_int(st, 1, o->head);
	rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

/*
 * A file kept already is not written again, unless it went missing
 * (a database copied without its frames): then this one takes its place.
 */
static int
commit_file(struct frame_store_out *o,
    const unsigned char digest[CRYPTO_DIGEST_BYTES])
{
	struct frame_store	*fs = o->store;
	int64_t			 size, head;
	char			*path;
	int			 rc, ret = -1;

	path = file_path(fs->dir, digest);
	if ((rc = add_row(fs->db, digest, o->size, 0)) == -1)
		goto out;
	if (rc == 0) {
		if (file_row(fs->db, digest, &size, &head) != 1)
			goto out;
		if (head != 0 || access(path, F_OK) == 0) {
			ret = 0;
			goto out;
		}
	}
	write_block(o);
	if (o->failed)
		goto out;
	o->writing = 0;
	ret = file_out_commit_as(&o->file, path);
out:
	free(path);
	return ret;
}

int
frame_store_out_commit(struct frame_store_out *o,
    const unsigned char digest[CRYPTO_DIGEST_BYTES])
{
	int	 ret;

	ret = o->store->dir != NULL ? commit_file(o, digest) :
	    commit_chunks(o, digest);
	frame_store_out_abort(o);
	return ret;
}

void
frame_store_out_abort(struct frame_store_out *o)
{
	if (o->writing)
		file_out_abort(&o->file);
	o->writing = 0;
	free(o->block);
	o->block = NULL;
	db_finalize(o->insert);
	o->insert = NULL;
	buf_release(&o->chunk);
}

/*
 * Where the file of digest is kept: 1 with its size and, beside the
 * database, its path (free it; NULL: in chunks under *head); 0 if it is
 * not kept or its file is gone; -1 on error.
 */
static int
locate(struct db *db, const unsigned char digest[CRYPTO_DIGEST_BYTES],
    int64_t *size, int64_t *head, char **path)
{
	char	*dir;
	int	 rc;

	*path = NULL;
	if ((rc = file_row(db, digest, size, head)) != 1 || *head != 0)
		return rc;
	if ((dir = frames_dir(db)) == NULL)
		return 0;
	*path = file_path(dir, digest);
	free(dir);
	/* Gone (a database copied alone): rebuilt from the snapshot. */
	if (access(*path, F_OK) == -1) {
		free(*path);
		*path = NULL;
		return 0;
	}
	return 1;
}

int
frame_store_find(struct db *db,
    const unsigned char digest[CRYPTO_DIGEST_BYTES], int64_t *size,
    char **where, const char **advice)
{
	char	*path;
	int64_t	 head;
	int	 rc;

	if ((rc = locate(db, digest, size, &head, &path)) == 1 &&
	    where != NULL) {
		if (path == NULL) {
			*where = xstrdup("the database");
			*advice = "the database was changed; check the ledger "
			    "('ssj ledger verify')";
		} else {
			*where = xasprintf("'%s'", path);
			*advice = "remove the file: the frames are then "
			    "rebuilt from the snapshot and checked against the "
			    "commitment";
		}
	}
	free(path);
	return rc;
}

static int
read_file(const char *path, void (*fn)(void *, const void *, size_t),
    void *arg)
{
	unsigned char	*p;
	ssize_t		 n;
	int		 fd, direct, ret = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("cannot open '%s'", path);
		return -1;
	}
	direct = set_direct(fd, 1) == 0;
	p = io_buffer();
	while ((n = read(fd, p, IO_BYTES)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			/* (past a last partial block, the offset is not aligned) */
			if (errno == EINVAL && direct) {
				direct = 0;
				if (set_direct(fd, 0) == 0)
					continue;
			}
			log_warn("cannot read '%s'", path);
			goto out;
		}
		fn(arg, p, (size_t)n);
	}
	ret = 0;
out:
	free(p);
	close(fd);
	return ret;
}

int
frame_store_read(struct db *db,
    const unsigned char digest[CRYPTO_DIGEST_BYTES],
    void (*fn)(void *, const void *, size_t), void *arg)
{
	struct db_stmt	*st;
	const void	*p;
	char		*path;
	size_t		 len;
	int64_t		 size, head;
	int		 rc;

	if ((rc = locate(db, digest, &size, &head, &path)) != 1)
		return rc == 0 ? error("frame file not kept") : -1;
	if (path != NULL) {
		rc = read_file(path, fn, arg);
		free(path);
		return rc;
	}
	st = db_prepare(db, "SELECT data FROM frame_chunk WHERE head = ?1 "
	    "ORDER BY id");
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, head);
	while ((rc = db_step(st)) == DB_ROW) {
		p = db_col_blob(st, 0, &len);
		fn(arg, p, len);
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}
