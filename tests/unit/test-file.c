/*
 * Unit tests of atomic file writes: whole or nothing, modes, exclusive
 * creation, and reading a file back.
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
#include "file.h"

static char	 dir[] = "/tmp/ssj-test-file-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{
	char	 cmd[64];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Names starting with prefix: no temporary file is ever left behind. */
static int
entries(const char *prefix)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	d = opendir(dir);
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

static void
test_file__write_replace_read(void **state)
{
	struct buf	 b = BUF_INIT;
	struct stat	 st;
	char		 path[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/a.txt", dir);
	assert_int_equal(file_write(path, "one\n", 4, 0600, 0), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(file_write(path, "two\n", 4, 0644, 0), 0);
	assert_int_equal(file_read(path, &b), 0);
	assert_string_equal(buf_cstr(&b), "two\n");
	assert_int_equal(entries("a.txt"), 1);
	buf_release(&b);
}

static void
test_file__exclusive_never_overwrites(void **state)
{
	struct buf	 b = BUF_INIT;
	char		 path[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/key", dir);
	assert_int_equal(file_write(path, "first", 5, 0600, FILE_EXCLUSIVE),
	    0);
	assert_int_equal(file_write(path, "second", 6, 0600, FILE_EXCLUSIVE),
	    -1);
	assert_int_equal(file_read(path, &b), 0);
	assert_string_equal(buf_cstr(&b), "first");
	assert_int_equal(entries("key"), 1);
	buf_release(&b);
}

static void
test_file__abort_leaves_the_old_file(void **state)
{
	struct file_out	 f;
	struct buf	 b = BUF_INIT;
	char		 path[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/r.csv", dir);
	assert_int_equal(file_write(path, "old", 3, 0644, 0), 0);
	assert_int_equal(file_out_open(&f, path, 0644, 0), 0);
	fputs("half of a new", f.fp);
	/* Anonymous until committed: a crash here leaves no name. */
	assert_int_equal(entries("r.csv"), 1);
	file_out_abort(&f);
	assert_int_equal(entries("r.csv"), 1);
	assert_int_equal(file_read(path, &b), 0);
	assert_string_equal(buf_cstr(&b), "old");
	buf_release(&b);
}

/* A new file has no name at all until it is whole. */
static void
test_file__new_file_named_at_commit(void **state)
{
	struct file_out	 f;
	struct buf	 b = BUF_INIT;
	char		 path[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/n.txt", dir);
	assert_int_equal(file_out_open(&f, path, 0640, FILE_EXCLUSIVE), 0);
	fputs("whole", f.fp);
	assert_int_equal(entries("n.txt"), 0);
	assert_int_equal(file_out_commit(&f), 0);
	assert_int_equal(entries("n.txt"), 1);
	assert_int_equal(file_read(path, &b), 0);
	assert_string_equal(buf_cstr(&b), "whole");
	buf_release(&b);
}

static void
test_file__errors(void **state)
{
	struct buf	 b = BUF_INIT;
	char		 path[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/no/such/dir/x", dir);
	assert_int_equal(file_write(path, "x", 1, 0644, 0), -1);
	assert_int_equal(file_read(path, &b), -1);
	assert_int_equal(file_write("/dev/full/x", "x", 1, 0644, 0), -1);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file__write_replace_read),
		cmocka_unit_test(test_file__exclusive_never_overwrites),
		cmocka_unit_test(test_file__abort_leaves_the_old_file),
		cmocka_unit_test(test_file__new_file_named_at_commit),
		cmocka_unit_test(test_file__errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
