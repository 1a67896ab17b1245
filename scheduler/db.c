/*
 * The SQLite connection: opening with the settings every command relies on
 * (WAL, foreign keys, busy timeout) and a thin statement API, so that no
 * other file depends on sqlite3.h or its error codes.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "log.h"
#include "num.h"
#include "xmalloc.h"

struct db {
	sqlite3		*conn;
	char		*path;
	unsigned int	 busy_s;	/* the busy timeout */
};

struct db_stmt {
	sqlite3_stmt	*stmt;
	struct db	*db;
};

struct db_blob {
	sqlite3_blob	*blob;
	struct db	*db;
};

static int	busy(struct db *);
static int	journal_mode(struct db *, const char *, unsigned int);

static int
db_fail(struct db *db, const char *what)
{
	if ((sqlite3_errcode(db->conn) & 0xff) == SQLITE_BUSY)
		return busy(db);
	return error("database '%s': %s: %s", db->path, what,
	    sqlite3_errmsg(db->conn));
}

/*
 * The database holds inspectors' personal data and the server secrets of
 * live commitments: a new one is created 0600 whatever the umask, and
 * SQLite gives its -wal and -shm files the database's mode.
 */
static int
create_private(const char *path)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1) {
		if (errno == EEXIST)
			return 0;
		log_warn("cannot open database '%s'", path);
		return -1;
	}
	if (fchmod(fd, 0600) == -1) {
		log_warn("cannot open database '%s'", path);
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

/* $SSJ_BUSY_TIMEOUT seconds, or DB_BUSY_S; DB_PATIENT at least its. */
static int
busy_timeout(int flags, unsigned int *out)
{
	const char	*env;
	uint64_t	 s = DB_BUSY_S;

	if ((env = getenv("SSJ_BUSY_TIMEOUT")) != NULL && *env != '\0' &&
	    num_parse_u64(env, 0, 86400, &s) == -1)
		return error("bad $SSJ_BUSY_TIMEOUT '%s': give seconds, from 0 "
		    "to 86400", env);
	if ((flags & DB_PATIENT) && s < DB_PATIENT_S)
		s = DB_PATIENT_S;
	*out = (unsigned int)s;
	return 0;
}

/*
 * Before SQLite starts: no connection is used by two threads at once
 * (the other threads of ssj never call SQLite), and no one reads its
 * memory statistics, whose mutex every allocation takes (about 2 % of a
 * registry import's thread). Refused, harmlessly, once SQLite started.
 */
static void
db_setup(void)
{
	static int	 done;

	if (done)
		return;
	done = 1;
	(void)sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct db *
db_open(const char *path, int flags)
{
	struct db	*db;
	int		 oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int		 rc;

	db_setup();

	if (flags & DB_CREATE) {
		oflags |= SQLITE_OPEN_CREATE;
		if (strcmp(path, ":memory:") != 0 && create_private(path) == -1)
			return NULL;
	}
	db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
	rc = sqlite3_open_v2(path, &db->conn, oflags, NULL);
	if (rc != SQLITE_OK) {
		if (rc == SQLITE_CANTOPEN && !(flags & DB_CREATE))
			log_warnx("no database at '%s'; create it with "
			    "'ssj init' or name one with -D or $SSJ_DB", path);
		else
			log_warnx("cannot open database '%s': %s", path,
			    db->conn ? sqlite3_errmsg(db->conn) :
			    sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(db->conn, 1);
	if (busy_timeout(flags, &db->busy_s) == -1)
		goto fail;
	sqlite3_busy_timeout(db->conn, (int)db->busy_s * 1000);
	/* A file that is not a database fails on its first read: here. */
	if (db_exec(db, "PRAGMA foreign_keys = ON;"
	    "PRAGMA synchronous = NORMAL;"
	    "PRAGMA temp_store = FILE;") == -1)
		goto fail;
	if ((flags & DB_BULK) && db_exec(db, "PRAGMA cache_size = -65536;")
	    == -1)
		goto fail;
	/*
	 * Back into WAL if a bulk transaction left it (db_bulk_journal) and
	 * did not return (killed). Not now if another process has the database
	 * open: then the next command does.
	 */
	(void)journal_mode(db, "wal", 0);
	return db;
fail:
	db_close(db);
	return NULL;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL && sqlite3_close(db->conn) != SQLITE_OK)
		log_warnx("database '%s': closing: %s", db->path,
		    sqlite3_errmsg(db->conn));
	free(db->path);
	free(db);
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

int
db_exec(struct db *db, const char *sql)
{
	char	*msg = NULL;
	int	 rc;

	if ((rc = sqlite3_exec(db->conn, sql, NULL, NULL, &msg)) !=
	    SQLITE_OK) {
		if ((rc & 0xff) == SQLITE_BUSY) {
			sqlite3_free(msg);
			return busy(db);
		}
		log_warnx("database '%s': %s", db->path,
		    msg ? msg : sqlite3_errmsg(db->conn));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * The pid holding the database's write lock, from /proc/locks: byte 120
 * of the -shm file in WAL mode, the RESERVED byte of the database file
 * (SQLite's 0x40000001) under a rollback journal (db_bulk_journal),
 * where the kernel shows it within one range with PENDING and SHARED.
 * Opening the files to ask fcntl(2) would, on close, drop this process's
 * own SQLite locks on them. 0 if none is found.
 */
static long
lock_holder(const char *path)
{
	struct stat	 st;
	FILE		*fp;
	char		*shm, line[256], type[16];
	unsigned long	 ino, shm_ino = 0, db_ino = 0;
	unsigned long long from, to;
	long		 pid, found = 0;

	shm = xasprintf("%s-shm", path);
	if (stat(shm, &st) == 0)
		shm_ino = (unsigned long)st.st_ino;
	free(shm);
	if (stat(path, &st) == 0)
		db_ino = (unsigned long)st.st_ino;
	if ((fp = fopen("/proc/locks", "r")) == NULL)
		return 0;
	while (found == 0 && fgets(line, sizeof(line), fp) != NULL) {
		/* "1: POSIX  ADVISORY  WRITE 1234 fe:00:5678 120 120" */
		if (sscanf(line, "%*s POSIX %*s %15s %ld %*x:%*x:%lu %llu %llu",
		    type, &pid, &ino, &from, &to) != 5 ||
		    strcmp(type, "WRITE") != 0)
			continue;
		if ((ino == shm_ino && from <= 120 && to >= 120) ||
		    (ino == db_ino && from <= 0x40000001 && to >= 0x40000001))
			found = pid;
	}
	fclose(fp);
	return found;
}

/* The command line of pid, spaces between the arguments; NULL. */
static char *
proc_cmdline(long pid)
{
	char	*path, buf[512];
	FILE	*fp;
	size_t	 n, i;

	path = xasprintf("/proc/%ld/cmdline", pid);
	fp = fopen(path, "r");
	free(path);
	if (fp == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	if (n == 0)
		return NULL;
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		if (buf[i] == '\0' || (unsigned char)buf[i] < 0x20)
			buf[i] = ' ';
	buf[n] = '\0';
	return xstrdup(buf);
}

/* Whether a database was found busy: a failure, not bad usage (ssj.c). */
static int	found_busy;

int
db_was_busy(void)
{
	return found_busy;
}

static int
busy(struct db *db)
{
	char	*cmd = NULL;
	long	 pid;

	found_busy = 1;
	if ((pid = lock_holder(db->path)) > 0)
		cmd = proc_cmdline(pid);
	if (cmd != NULL)
		log_warnx("database '%s' is busy: '%s' (pid %ld) has been "
		    "writing to it for longer than %u s; nothing was changed: "
		    "run this again when it is done (or wait longer with "
		    "$SSJ_BUSY_TIMEOUT)", db->path, cmd, pid, db->busy_s);
	else
		log_warnx("database '%s' is busy: another process has been "
		    "writing to it for longer than %u s; nothing was changed: "
		    "run this again when it is done (or wait longer with "
		    "$SSJ_BUSY_TIMEOUT)", db->path, db->busy_s);
	free(cmd);
	return -1;
}

int
db_begin(struct db *db)
{
	/* (db_fail says who holds the database when it is busy) */
	if (sqlite3_exec(db->conn, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_fail(db, "beginning a transaction");
	return 0;
}

int
db_commit(struct db *db)
{
	return db_exec(db, "COMMIT");
}

void
db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->conn))
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

/*
 * "PRAGMA journal_mode = mode", waiting at most wait_s for the others
 * (SQLite needs the database to itself to leave or enter WAL), without a
 * message: 0 if the mode is now mode, -1 if not.
 */
static int
journal_mode(struct db *db, const char *mode, unsigned int wait_s)
{
	sqlite3_stmt	*st;
	char		 sql[64];
	int		 ret = -1;

	snprintf(sql, sizeof(sql), "PRAGMA journal_mode = %s", mode);
	sqlite3_busy_timeout(db->conn, (int)wait_s * 1000);
	if (sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_text(st, 0) != NULL &&
		    strcmp((const char *)sqlite3_column_text(st, 0), mode) ==
		    0)
			ret = 0;
		sqlite3_finalize(st);
	}
	sqlite3_busy_timeout(db->conn, (int)db->busy_s * 1000);
	return ret;
}

int
db_bulk_journal(struct db *db)
{
	if (journal_mode(db, "delete", 0) == -1)
		return 0;
	/* NORMAL risks more than the transaction under a rollback journal. */
	if (db_exec(db, "PRAGMA synchronous = FULL") == -1)
		return -1;
	return 1;
}

void
db_bulk_journal_end(struct db *db)
{
	(void)db_exec(db, "PRAGMA synchronous = NORMAL");
	if (journal_mode(db, "wal", db->busy_s) == -1)
		log_debug("database '%s': still out of WAL; the next command "
		    "to open it puts it back", db->path);
}

int
db_query_int(struct db *db, const char *sql, int64_t *out)
{
	struct db_stmt	*st;
	int		 ret = -1;

	if ((st = db_prepare(db, sql)) == NULL)
		return -1;
	switch (db_step(st)) {
	case DB_ROW:
		*out = db_col_int(st, 0);
		ret = 0;
		break;
	case DB_DONE:
		*out = 0;
		ret = 0;
		break;
	default:
		break;
	}
	db_finalize(st);
	return ret;
}

int
db_user_version(struct db *db, int *out)
{
	int64_t	 v;

	if (db_query_int(db, "PRAGMA user_version", &v) == -1)
		return -1;
	*out = (int)v;
	return 0;
}

int
db_set_user_version(struct db *db, int v)
{
	char	 sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
	return db_exec(db, sql);
}

int64_t
db_last_rowid(struct db *db)
{
	return sqlite3_last_insert_rowid(db->conn);
}

int
db_table_exists(struct db *db, const char *name)
{
	struct db_stmt	*st;
	int		 found;

	st = db_prepare(db, "SELECT 1 FROM sqlite_schema WHERE name = ?1");
	if (st == NULL)
		return 0;
	db_bind_text(st, 1, name, SIZE_MAX);
	found = db_step(st) == DB_ROW;
	db_finalize(st);
	return found;
}

struct db_stmt *
db_prepare(struct db *db, const char *sql)
{
	struct db_stmt	*st;

	st = xcalloc(1, sizeof(*st));
	st->db = db;
	if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st->stmt, NULL) != SQLITE_OK) {
		db_fail(db, "preparing a statement");
		log_debug("statement: %s", sql);
		free(st);
		return NULL;
	}
	return st;
}

static int
db_bind_check(struct db_stmt *st, int rc)
{
	if (rc == SQLITE_OK)
		return 0;
	return db_fail(st->db, "binding a value");
}

int
db_bind_text(struct db_stmt *st, int i, const char *s, size_t len)
{
	if (s == NULL)
		return db_bind_null(st, i);
	if (len == SIZE_MAX)
		len = strlen(s);
	if (len > INT32_MAX)
		return error("database '%s': text of %zu bytes is too long",
		    st->db->path, len);
	return db_bind_check(st, sqlite3_bind_text(st->stmt, i, s, (int)len,
	    SQLITE_STATIC));
}

int
db_bind_blob(struct db_stmt *st, int i, const void *p, size_t len)
{
	if (len > INT32_MAX)
		return error("database '%s': blob of %zu bytes is too long",
		    st->db->path, len);
	return db_bind_check(st, sqlite3_bind_blob(st->stmt, i, p, (int)len,
	    SQLITE_STATIC));
}

int
db_bind_int(struct db_stmt *st, int i, int64_t v)
{
	return db_bind_check(st, sqlite3_bind_int64(st->stmt, i, v));
}

int
db_bind_null(struct db_stmt *st, int i)
{
	return db_bind_check(st, sqlite3_bind_null(st->stmt, i));
}

int
db_step(struct db_stmt *st)
{
	int	 rc;

	rc = sqlite3_step(st->stmt);
	switch (rc) {
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
		return DB_DONE;
	default:
		if ((rc & 0xff) == SQLITE_CONSTRAINT)
			return DB_CONSTRAINT;
		db_fail(st->db, "running a statement");
		log_debug("statement: %s", sqlite3_sql(st->stmt));
		return DB_ERROR;
	}
}

void
db_reset(struct db_stmt *st)
{
	sqlite3_reset(st->stmt);
}

void
db_finalize(struct db_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_finalize(st->stmt);
	free(st);
}

int64_t
db_col_int(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(st->stmt, i);
}

const char *
db_col_text(struct db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->stmt, i);
}

const void *
db_col_blob(struct db_stmt *st, int i, size_t *len)
{
	const void	*p;

	p = sqlite3_column_blob(st->stmt, i);
	if (len != NULL)
		*len = (size_t)sqlite3_column_bytes(st->stmt, i);
	return p;
}

struct db_blob *
db_blob_open(struct db *db, const char *table, const char *column,
    int64_t rowid, size_t *len)
{
	struct db_blob	*b;

	b = xmalloc(sizeof(*b));
	b->db = db;
	if (sqlite3_blob_open(db->conn, "main", table, column, rowid, 0,
	    &b->blob) != SQLITE_OK) {
		db_fail(db, "opening a blob");
		sqlite3_blob_close(b->blob);
		free(b);
		return NULL;
	}
	*len = (size_t)sqlite3_blob_bytes(b->blob);
	return b;
}

int
db_blob_read(struct db_blob *b, void *p, size_t len, size_t offset)
{
	if (len > INT_MAX || offset > INT_MAX)
		return error("database '%s': a blob read past 2 GiB",
		    b->db->path);
	if (sqlite3_blob_read(b->blob, p, (int)len, (int)offset) != SQLITE_OK)
		return db_fail(b->db, "reading a blob");
	return 0;
}

void
db_blob_close(struct db_blob *b)
{
	if (b == NULL)
		return;
	sqlite3_blob_close(b->blob);
	free(b);
}

size_t
db_col_bytes(struct db_stmt *st, int i)
{
	return (size_t)sqlite3_column_bytes(st->stmt, i);
}

int
db_col_isnull(struct db_stmt *st, int i)
{
	return sqlite3_column_type(st->stmt, i) == SQLITE_NULL;
}

int
db_col_count(struct db_stmt *st)
{
	return sqlite3_column_count(st->stmt);
}

enum db_type
db_col_type(struct db_stmt *st, int i)
{
	switch (sqlite3_column_type(st->stmt, i)) {
	case SQLITE_NULL:
		return DB_NULL;
	case SQLITE_INTEGER:
		return DB_INTEGER;
	case SQLITE_TEXT:
		return DB_TEXT;
	case SQLITE_BLOB:
		return DB_BLOB;
	default:
		return DB_OTHER;	/* REAL: no ssj table holds one */
	}
}

const char *
db_col_name(struct db_stmt *st, int i)
{
	return sqlite3_column_name(st->stmt, i);
}

const char *
db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->conn);
}
