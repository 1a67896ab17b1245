/*
 * SQLite, wrapped: db.c is the only includer of sqlite3.h. Statements are
 * opaque; every failure is reported once, here, with the database's path.
 */
#ifndef SSJ_DB_H
#define SSJ_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;
struct db_blob;

enum db_open_flags {
	DB_CREATE = 1 << 0,	/* create the file if it does not exist */
	DB_BULK = 1 << 1,	/* cache sized for a bulk load */
	/*
	 * Waits for another writer at least DB_PATIENT_S: a scheduled draw
	 * or commit waits out a long import rather than fail.
	 */
	DB_PATIENT = 1 << 2,
};

/* How long a command waits for another writer ($SSJ_BUSY_TIMEOUT). */
#define DB_BUSY_S	10
#define DB_PATIENT_S	(15 * 60)

/* db_step() results. */
enum {
	DB_DONE = 0,		/* no (more) rows */
	DB_ROW = 1,		/* a row is ready */
	DB_ERROR = -1,		/* reported */
	DB_CONSTRAINT = -2,	/* a constraint failed; not reported */
};

/* NULL with a message if the file cannot be opened as a database. */
struct db	*db_open(const char *path, int flags);
void		 db_close(struct db *);
const char	*db_path(const struct db *);
/* Runs one or more statements that return no rows. */
int		 db_exec(struct db *, const char *sql);
/*
 * BEGIN IMMEDIATE. When another process holds the database past the busy
 * timeout, says which (its command line and pid) and that nothing
 * changed.
 */
int		 db_begin(struct db *);
/* Whether a database was found busy in this process, and said so. */
int		 db_was_busy(void);
int		 db_commit(struct db *);
void		 db_rollback(struct db *);	/* safe outside a transaction */
/*
 * For a transaction that adds far more than it changes (a first import,
 * a draw): out of WAL, which writes every page twice (to the log, then to the
 * database at the checkpoint), into a rollback journal, which writes a
 * new page once and journals only the pages that were there. Only while
 * no other process has the database open (no wait): those that open it
 * meanwhile wait for the transaction's end instead of reading the
 * database as it was. 1 if out of WAL, 0 if not (nothing changed), -1.
 * db_bulk_journal_end goes back, outside the transaction; db_open does
 * if a process was killed before.
 */
int		 db_bulk_journal(struct db *);
void		 db_bulk_journal_end(struct db *);
/* Runs sql that yields one integer (NULL reads as 0). */
int		 db_query_int(struct db *, const char *sql, int64_t *out);
int		 db_user_version(struct db *, int *out);
int		 db_set_user_version(struct db *, int);
int64_t		 db_last_rowid(struct db *);
int		 db_table_exists(struct db *, const char *name);

struct db_stmt	*db_prepare(struct db *, const char *sql);
/*
 * Binds are 1-based. Text and blobs are not copied: they must stay
 * unchanged until the statement is stepped and reset. len (SIZE_MAX =
 * strlen) in bytes; a NULL text binds SQL NULL.
 */
int		 db_bind_text(struct db_stmt *, int, const char *, size_t len);
int		 db_bind_blob(struct db_stmt *, int, const void *, size_t len);
int		 db_bind_int(struct db_stmt *, int, int64_t);
int		 db_bind_null(struct db_stmt *, int);
/* DB_ROW, DB_DONE, DB_ERROR (reported) or DB_CONSTRAINT (not reported). */
int		 db_step(struct db_stmt *);
/* Makes the statement ready to run again; keeps the bindings. */
void		 db_reset(struct db_stmt *);
void		 db_finalize(struct db_stmt *);
/* Columns are 0-based and valid until the next step, reset or finalize. */
int64_t		 db_col_int(struct db_stmt *, int);
/* NULL for SQL NULL. */
const char	*db_col_text(struct db_stmt *, int);
const void	*db_col_blob(struct db_stmt *, int, size_t *len);
size_t		 db_col_bytes(struct db_stmt *, int);
int		 db_col_isnull(struct db_stmt *, int);
int		 db_col_count(struct db_stmt *);
/* The storage class of a column's value in the current row. */
enum db_type { DB_NULL, DB_INTEGER, DB_TEXT, DB_BLOB, DB_OTHER };
enum db_type	 db_col_type(struct db_stmt *, int);
const char	*db_col_name(struct db_stmt *, int);
/*
 * A blob read in pieces (SQLite's incremental I/O), for a value too large
 * to copy whole: column of table's row rowid, read-only; *len is its
 * size. NULL with a message if there is no such row.
 */
struct db_blob	*db_blob_open(struct db *, const char *table,
		    const char *column, int64_t rowid, size_t *len);
int		 db_blob_read(struct db_blob *, void *, size_t len,
		    size_t offset);
void		 db_blob_close(struct db_blob *);
/* The last error message of the connection, for DB_CONSTRAINT reports. */
const char	*db_errmsg(struct db *);

#endif
