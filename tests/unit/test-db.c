/*
 * Unit tests of the SQLite wrapper and the schema: migrations, versions,
 * statements, constraint reporting, the views over revisions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db.h"
#include "schema.h"

static void
test_db__migrate_then_up_to_date(void **state)
{
	struct db	*db;
	int		 from, v;

	(void)state;
	db = db_open(":memory:", DB_CREATE);
	assert_non_null(db);
	assert_int_equal(schema_check(db), -1);
	assert_int_equal(schema_migrate(db, &from), 0);
	assert_int_equal(from, 0);
	assert_int_equal(db_user_version(db, &v), 0);
	assert_int_equal(v, SCHEMA_VERSION);
	assert_int_equal(schema_check(db), 0);
	assert_int_equal(schema_migrate(db, &from), 0);
	assert_int_equal(from, SCHEMA_VERSION);
	assert_true(db_table_exists(db, "enterprise_rev"));
	assert_true(db_table_exists(db, "enterprise"));
	assert_false(db_table_exists(db, "nonesuch"));
	db_close(db);
}

/* A blob read in pieces, at any offset; no row, no blob. */
static void
test_db__blob_pieces(void **state)
{
	struct db	*db;
	struct db_stmt	*st;
	struct db_blob	*b;
	unsigned char	 v[100000], piece[4096];
	size_t		 len, off, n, i;

	(void)state;
	for (i = 0; i < sizeof(v); i++)
		v[i] = (unsigned char)(i * 7 + i / 251);
	db = db_open(":memory:", DB_CREATE);
	assert_non_null(db);
	assert_int_equal(db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY "
	    "KEY, v BLOB)"), 0);
	st = db_prepare(db, "INSERT INTO t VALUES (7, ?1)");
	assert_non_null(st);
	db_bind_blob(st, 1, v, sizeof(v));
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
	b = db_blob_open(db, "t", "v", 7, &len);
	assert_non_null(b);
	assert_int_equal(len, sizeof(v));
	for (off = 0; off < len; off += n) {
		n = len - off < sizeof(piece) ? len - off : sizeof(piece);
		assert_int_equal(db_blob_read(b, piece, n, off), 0);
		assert_memory_equal(piece, v + off, n);
	}
	assert_int_equal(db_blob_read(b, piece, 2, len - 1), -1);
	db_blob_close(b);
	assert_null(db_blob_open(db, "t", "v", 8, &len));
	db_blob_close(NULL);
	db_close(db);
}

static void
test_db__newer_schema_refused(void **state)
{
	struct db	*db;
	int		 from;

	(void)state;
	db = db_open(":memory:", DB_CREATE);
	assert_int_equal(db_set_user_version(db, SCHEMA_VERSION + 1), 0);
	assert_int_equal(schema_migrate(db, &from), -1);
	assert_int_equal(schema_check(db), -1);
	db_close(db);
}

static void
test_db__missing_file_not_created(void **state)
{
	char	 path[] = "/tmp/ssj-test-db-XXXXXX";
	char	 file[64];

	(void)state;
	assert_non_null(mkdtemp(path));
	snprintf(file, sizeof(file), "%s/none.db", path);
	assert_null(db_open(file, 0));
	assert_int_equal(access(file, F_OK), -1);
	rmdir(path);
}

static void
test_db__not_a_database(void **state)
{
	char		 path[] = "/tmp/ssj-test-db-XXXXXX";
	struct db	*db;
	char		 junk[4096];
	int		 fd, v;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	memset(junk, 'x', sizeof(junk));
	assert_int_equal(write(fd, junk, sizeof(junk)), sizeof(junk));
	close(fd);
	db = db_open(path, 0);
	if (db != NULL) {
		assert_int_equal(db_user_version(db, &v), -1);
		db_close(db);
	}
	unlink(path);
}

/* The journal mode of db's database. */
static void
assert_journal(struct db *db, const char *mode)
{
	struct db_stmt	*st;

	st = db_prepare(db, "PRAGMA journal_mode");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), mode);
	db_finalize(st);
}

/*
 * A bulk transaction leaves WAL only with the database to itself, and
 * goes back; a process killed before it went back, the next open does.
 */
static void
test_db__bulk_journal(void **state)
{
	char		 dir[] = "/tmp/ssj-test-db-XXXXXX";
	char		 file[64], path[80];
	struct db	*db, *other;
	struct db_stmt	*st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/t.db", dir);
	db = db_open(file, DB_CREATE);
	assert_non_null(db);
	assert_int_equal(db_exec(db, "PRAGMA journal_mode = WAL; CREATE "
	    "TABLE t (v INTEGER); INSERT INTO t VALUES (1)"), 0);
	/* another process's reader in: stays in WAL */
	other = db_open(file, 0);
	assert_non_null(other);
	st = db_prepare(other, "SELECT v FROM t");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_bulk_journal(db), 0);
	assert_journal(db, "wal");
	db_finalize(st);
	db_close(other);
	/* alone */
	assert_int_equal(db_bulk_journal(db), 1);
	assert_journal(db, "delete");
	assert_int_equal(db_exec(db, "INSERT INTO t VALUES (2)"), 0);
	db_bulk_journal_end(db);
	assert_journal(db, "wal");
	/* left out of WAL: the next open puts it back */
	assert_int_equal(db_bulk_journal(db), 1);
	db_close(db);
	db = db_open(file, 0);
	assert_non_null(db);
	assert_journal(db, "wal");
	db_close(db);
	snprintf(path, sizeof(path), "%s-wal", file);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", file);
	unlink(path);
	unlink(file);
	assert_int_equal(rmdir(dir), 0);
}

static void
test_db__statements_and_constraints(void **state)
{
	struct db	*db;
	struct db_stmt	*st;
	int64_t		 n;
	size_t		 len;

	(void)state;
	db = db_open(":memory:", DB_CREATE);
	assert_int_equal(db_exec(db, "CREATE TABLE t (k TEXT PRIMARY KEY, "
	    "b BLOB, i INTEGER)"), 0);
	st = db_prepare(db, "INSERT INTO t VALUES (?1, ?2, ?3)");
	assert_non_null(st);
	assert_int_equal(db_bind_text(st, 1, "键", SIZE_MAX), 0);
	assert_int_equal(db_bind_blob(st, 2, "\0\1", 2), 0);
	assert_int_equal(db_bind_int(st, 3, INT64_MAX), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);
	assert_int_equal(db_step(st), DB_CONSTRAINT);
	db_reset(st);
	db_finalize(st);

	st = db_prepare(db, "SELECT k, b, i, NULL FROM t");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "键");
	assert_memory_equal(db_col_blob(st, 1, &len), "\0\1", 2);
	assert_int_equal(len, 2);
	assert_true(db_col_int(st, 2) == INT64_MAX);
	assert_true(db_col_isnull(st, 3));
	assert_null(db_col_text(st, 3));
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);

	assert_null(db_prepare(db, "SELEC nonsense"));
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM t", &n), 0);
	assert_int_equal(n, 1);
	db_close(db);
}

static void
test_db__rollback_leaves_nothing(void **state)
{
	struct db	*db;
	int64_t		 n;
	int		 from;

	(void)state;
	db = db_open(":memory:", DB_CREATE);
	schema_migrate(db, &from);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO snapshot (kind, file_name, "
	    "file_digest, encoding, imported_at, rows_read, added, changed, "
	    "removed, rejected) VALUES ('risk', 'f', printf('%064d', 0), "
	    "'utf-8', 'now', 0, 0, 0, 0, 0)"), 0);
	db_rollback(db);
	db_rollback(db);	/* harmless outside a transaction */
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM snapshot",
	    &n), 0);
	assert_int_equal(n, 0);
	/* the CHECK on snapshots holds */
	assert_int_equal(db_exec(db, "INSERT INTO snapshot (kind, file_name, "
	    "file_digest, encoding, imported_at, rows_read, added, changed, "
	    "removed, rejected) VALUES ('people', 'f', printf('%064d', 0), "
	    "'utf-8', 'now', 0, 0, 0, 0, 0)"), -1);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db__migrate_then_up_to_date),
		cmocka_unit_test(test_db__blob_pieces),
		cmocka_unit_test(test_db__bulk_journal),
		cmocka_unit_test(test_db__newer_schema_refused),
		cmocka_unit_test(test_db__missing_file_not_created),
		cmocka_unit_test(test_db__not_a_database),
		cmocka_unit_test(test_db__statements_and_constraints),
		cmocka_unit_test(test_db__rollback_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
