/*
 * Unit tests of the kept frame files: beside a database file by digest,
 * read back whole; a file kept twice once; a missing one put back; what
 * a failed commit left removed; chunks inside a database with no file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include <cmocka.h>

#include "buf.h"
#include "crypto.h"
#include "db.h"
#include "file.h"
#include "framestore.h"
#include "schema.h"
#include "xmalloc.h"

static char	 dir[] = "/tmp/ssj-test-framestore-XXXXXX";

struct fx {
	struct db	*db;
	char		*frames;	/* the directory beside it */
};

static int
setup(void **state)
{
	struct fx	*fx = xcalloc(1, sizeof(*fx));
	char		*path;
	int		 from;

	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/ssj.db", dir);
	assert_non_null(fx->db = db_open(path, DB_CREATE));
	assert_int_equal(schema_migrate(fx->db, &from), 0);
	fx->frames = xasprintf("%s-frames", path);
	free(path);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;
	char		 cmd[64];

	db_close(fx->db);
	free(fx->frames);
	free(fx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
	return system(cmd) == 0 ? 0 : -1;
}

/* Keeps text in pieces of n bytes; its digest in digest. */
static void
keep(struct db *db, const char *text, size_t n,
    unsigned char digest[CRYPTO_DIGEST_BYTES])
{
	struct frame_store	 fs;
	struct frame_store_out	 o;
	size_t			 i, len = strlen(text);

	crypto_digest(text, len, digest);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(frame_store_open(&fs, db), 0);
	assert_int_equal(frame_store_out_open(&fs, &o), 0);
	for (i = 0; i < len; i += n)
		frame_store_add(&o, text + i, len - i < n ? len - i : n);
	assert_int_equal(frame_store_out_commit(&o, digest), 0);
	frame_store_close(&fs);
	assert_int_equal(db_commit(db), 0);
}

static void
collect(void *arg, const void *p, size_t len)
{
	buf_add(arg, p, len);
}

/* What the store gives back for digest, which must be kept. */
static char *
read_back(struct db *db, const unsigned char digest[CRYPTO_DIGEST_BYTES])
{
	struct buf	 b = BUF_INIT;
	int64_t		 size;
	const char	*advice;
	char		*where = NULL;

	assert_int_equal(frame_store_find(db, digest, &size, &where,
	    &advice), 1);
	free(where);
	assert_int_equal(frame_store_read(db, digest, collect, &b), 0);
	assert_int_equal((int64_t)b.len, size);
	return buf_detach(&b, NULL);
}

/* Entries of the frames directory. */
static int
entries(const char *frames)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	assert_non_null(d = opendir(frames));
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static char *
kept_path(const struct fx *fx, const unsigned char digest[CRYPTO_DIGEST_BYTES])
{
	char	 hex[CRYPTO_DIGEST_HEX];

	crypto_hex(digest, CRYPTO_DIGEST_BYTES, hex);
	return xasprintf("%s/%s", fx->frames, hex);
}

static void
test_framestore__beside_the_database_by_digest(void **state)
{
	struct fx	*fx = *state;
	unsigned char	 digest[CRYPTO_DIGEST_BYTES], other[CRYPTO_DIGEST_BYTES];
	struct stat	 sb;
	struct buf	 b = BUF_INIT;
	const char	*advice;
	char		*text, *path, *where = NULL;
	int64_t		 size, n;

	keep(fx->db, "DSR-1 targets\none\ttwo\n", 5, digest);
	path = kept_path(fx, digest);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(stat(fx->frames, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(file_read(path, &b), 0);
	assert_int_equal(b.len, 22);
	assert_memory_equal(b.data, "DSR-1 targets\none\ttwo\n", 22);
	buf_release(&b);
	text = read_back(fx->db, digest);
	assert_string_equal(text, "DSR-1 targets\none\ttwo\n");
	free(text);
	assert_int_equal(frame_store_find(fx->db, digest, &size, &where,
	    &advice), 1);
	assert_int_equal(size, 22);
	assert_non_null(strstr(where, "-frames/"));
	assert_non_null(strstr(advice, "remove the file"));
	free(where);
	/* Nothing in the chunks; kept twice, kept once. */
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM "
	    "frame_chunk", &n), 0);
	assert_int_equal(n, 0);
	keep(fx->db, "DSR-1 targets\none\ttwo\n", 64, digest);
	assert_int_equal(entries(fx->frames), 1);
	/* Unknown: rebuild. */
	crypto_digest("nothing", 7, other);
	assert_int_equal(frame_store_find(fx->db, other, &size, NULL,
	    NULL), 0);
	/* Gone: rebuild; kept again, back in place. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(frame_store_find(fx->db, digest, &size, NULL,
	    NULL), 0);
	keep(fx->db, "DSR-1 targets\none\ttwo\n", 3, digest);
	assert_int_equal(stat(path, &sb), 0);
	text = read_back(fx->db, digest);
	assert_string_equal(text, "DSR-1 targets\none\ttwo\n");
	free(text);
	free(path);
}

/*
 * A file of several blocks, written and read around the page cache where
 * the file system allows (its last, partial block through it): the same
 * bytes back, whatever the pieces added -- and a file of whole blocks.
 */
static void
test_framestore__files_of_many_blocks(void **state)
{
	static const size_t	 sizes[] = { 3 * 1048576 + 4095, 2 * 1048576 };
	struct fx		*fx = *state;
	unsigned char		 digest[CRYPTO_DIGEST_BYTES];
	struct stat		 sb;
	char			*text, *back, *path;
	size_t			 i, k;

	for (k = 0; k < 2; k++) {
		text = xmalloc(sizes[k] + 1);
		memcpy(text, "DSR-1 targets\n", 14);
		for (i = 14; i < sizes[k]; i++)
			text[i] = i % 61 == 0 ? '\n' : (char)('a' + i % 26);
		text[sizes[k] - 1] = '\n';
		text[sizes[k]] = '\0';
		/* in pieces that straddle every block's end */
		keep(fx->db, text, 1000003, digest);
		path = kept_path(fx, digest);
		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_size, (off_t)sizes[k]);
		back = read_back(fx->db, digest);
		assert_memory_equal(back, text, sizes[k]);
		free(back);
		free(path);
		free(text);
	}
}

static void
make_file(const char *frames, const char *name)
{
	char	*path = xasprintf("%s/%s", frames, name);

	assert_int_equal(file_write(path, "x", 1, 0600, 0), 0);
	free(path);
}

static void
test_framestore__leftovers_of_a_failed_commit_removed(void **state)
{
	struct fx	*fx = *state;
	unsigned char	 digest[CRYPTO_DIGEST_BYTES], kept[CRYPTO_DIGEST_BYTES];
	char		 hex[CRYPTO_DIGEST_HEX], *name;

	keep(fx->db, "DSR-1 inspectors\n", 4, kept);
	/* A commit rolled back after keeping its file. */
	crypto_digest("rolled back", 11, digest);
	crypto_hex(digest, sizeof(digest), hex);
	make_file(fx->frames, hex);
	name = xasprintf("%s.123.0", hex);
	make_file(fx->frames, name);
	free(name);
	make_file(fx->frames, "pending.Ab12Cd");
	make_file(fx->frames, "README");
	assert_int_equal(entries(fx->frames), 5);
	keep(fx->db, "DSR-1 conflicts\n", 4, digest);
	/* The two kept, and what is not ssj's. */
	assert_int_equal(entries(fx->frames), 3);
	free(read_back(fx->db, kept));
	free(read_back(fx->db, digest));
}

static void
test_framestore__chunks_without_a_database_file(void **state)
{
	struct db	*db;
	unsigned char	 digest[CRYPTO_DIGEST_BYTES];
	const char	*advice;
	char		*text, *where = NULL;
	int64_t		 size, n, chunks;
	int		 from;

	(void)state;
	assert_non_null(db = db_open(":memory:", DB_CREATE));
	assert_int_equal(schema_migrate(db, &from), 0);
	frame_chunk_bytes = 4;
	keep(db, "DSR-1 excluded\na\tb\n", 3, digest);
	frame_chunk_bytes = 1024 * 1024;
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM frame_chunk",
	    &chunks), 0);
	assert_true(chunks > 3);
	text = read_back(db, digest);
	assert_string_equal(text, "DSR-1 excluded\na\tb\n");
	free(text);
	assert_int_equal(frame_store_find(db, digest, &size, &where, &advice),
	    1);
	assert_string_equal(where, "the database");
	assert_non_null(strstr(advice, "ssj ledger verify"));
	free(where);
	/* Kept twice: the second copy's chunks go. */
	keep(db, "DSR-1 excluded\na\tb\n", 64, digest);
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM frame_chunk",
	    &n), 0);
	assert_int_equal(n, chunks);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_framestore__beside_the_database_by_digest, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_framestore__leftovers_of_a_failed_commit_removed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_framestore__files_of_many_blocks, setup, teardown),
		cmocka_unit_test(test_framestore__chunks_without_a_database_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
