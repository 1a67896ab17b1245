/*
 * Unit tests of bundle verification against the committed vectors of
 * tests/vectors/bundles: each verifies, their strata are the cases the
 * vectors exist for, and a changed byte anywhere in any file is found.
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

#include <cmocka.h>

#include "verify.h"
#include "xmalloc.h"

#define VECTORS	"tests/vectors/bundles"
#define PUBKEY	VECTORS "/ssj.pub"

/* Bytes flipped per file: enough to reach every line of these files. */
#define PROBES_PER_FILE	61

struct vector {
	const char	*name;
	int		 public;
	size_t		 ntargets;
	uint64_t	 selected;
};

static const struct vector vectors[] = {
	{ "VEC-GEN-1",		0, 40, 9 },
	{ "VEC-GEN-1-public",	1, 0,  9 },
	{ "VEC-KEY-1",		0, 8,  7 },
	{ "VEC-KEY-1-public",	1, 0,  7 },
	{ "VEC-JOINT-1",	0, 4,  4 },
	{ "VEC-JOINT-1-public",	1, 0,  4 },
};

static char	 tmpdir[64];

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*text;
	long	 size;

	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size >= 0);
	rewind(f);
	text = xmalloc((size_t)size + 1);
	assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
	text[size] = '\0';
	fclose(f);
	*len = (size_t)size;
	return text;
}

static void
spew(const char *path, const char *text, size_t len)
{
	FILE	*f;

	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int
verify_status(const char *dir, const char *key, struct verify_result *res)
{
	memset(res, 0, sizeof(*res));
	(void)verify_bundle(dir, key, res);
	return (int)res->status;
}

static void
test_verify__vectors_identical(void **state)
{
	struct verify_result	 res;
	char			*dir;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		dir = xasprintf("%s/%s", VECTORS, vectors[i].name);
		memset(&res, 0, sizeof(res));
		if (verify_bundle(dir, PUBKEY, &res) == -1)
			fail_msg("%s: %s", dir, res.difference);
		assert_int_equal(res.status, VERIFY_IDENTICAL);
		assert_int_equal(res.public, vectors[i].public);
		if (!vectors[i].public)
			assert_int_equal(res.ntargets, vectors[i].ntargets);
		assert_int_equal(res.selected, vectors[i].selected);
		assert_int_equal(res.round > 0, 1);
		verify_result_release(&res);
		free(dir);
	}
}

/*
 * The plan in tests/vectors/bundles/input is built so that these strata
 * occur; if a regeneration lost one, the vectors no longer cover it.
 */
static void
test_verify__vectors_cover_the_cases(void **state)
{
	static const char *const gen[] = {
		"\nstratum certain 2 2 1/1\n",	/* certainty targets */
		"\nstratum A 0 0 0/0\n",	/* N_h = 0 */
		"\nstratum B 1 1 1/1\n",	/* N_h = 1 */
		"\nstratum C 4 4 1/1\n",	/* drawn whole by its ratio */
		"\nstratum D 33 2 2/33\n",	/* capped by max */
	};
	static const char *const key[] = {
		"\nstratum certain 1 1 1/1\n",	/* a serious violator */
		"\nstratum C 2 1 1/2\n",	/* raised to min */
		"\nstratum D 5 5 1/1\n",	/* 100 % */
	};
	char	*text;
	size_t	 i, len;

	(void)state;
	text = slurp(VECTORS "/VEC-GEN-1/manifest.txt", &len);
	for (i = 0; i < sizeof(gen) / sizeof(gen[0]); i++)
		if (strstr(text, gen[i]) == NULL)
			fail_msg("VEC-GEN-1: no line '%s'", gen[i] + 1);
	free(text);
	text = slurp(VECTORS "/VEC-KEY-1/manifest.txt", &len);
	for (i = 0; i < sizeof(key) / sizeof(key[0]); i++)
		if (strstr(text, key[i]) == NULL)
			fail_msg("VEC-KEY-1: no line '%s'", key[i] + 1);
	free(text);
	/* Teams: a replacement with an escaped reason; a joint task with
	 * experts, caps, a recusal and rotation exclusions. */
	text = slurp(VECTORS "/VEC-GEN-1/replacements.txt", &len);
	assert_non_null(strstr(text, "\n1\t"));
	assert_non_null(strstr(text, "\\x09"));
	free(text);
	text = slurp(VECTORS "/VEC-JOINT-1/frame/parameters.txt", &len);
	assert_non_null(strstr(text, "\njoint XF\n"));
	assert_non_null(strstr(text, "\nteam-size 3\n"));
	assert_non_null(strstr(text, "\nexperts 1\ncap-per-batch 3\n"));
	assert_non_null(strstr(text, "\nrequire ZJ CCC\nrequire XF FIRE\n"));
	free(text);
	text = slurp(VECTORS "/VEC-JOINT-1/frame/conflicts.txt", &len);
	assert_non_null(strstr(text, "\trecusal\n"));
	assert_non_null(strstr(text, "\trotation\n"));
	free(text);
	/* Chinese names, a 注册号 and a deregistered enterprise. */
	text = slurp(VECTORS "/input/enterprises.csv", &len);
	assert_non_null(strstr(text, "\n360203000012347,景德镇市"));
	assert_non_null(strstr(text, ",注销,"));
	free(text);
}

/* Changes one byte of path at each probe; every change must be found. */
static void
probe_file(const char *dir, const char *path)
{
	struct verify_result	 res;
	char			*text;
	size_t			 len, k, pos, last = SIZE_MAX;

	text = slurp(path, &len);
	assert_true(len > 0);
	/* Spread from the first byte to the last. */
	for (k = 0; k <= PROBES_PER_FILE; k++) {
		pos = k * (len - 1) / PROBES_PER_FILE;
		if (pos == last)
			continue;
		last = pos;
		text[pos] ^= 0x01;
		spew(path, text, len);
		if (verify_status(dir, PUBKEY, &res) == VERIFY_IDENTICAL)
			fail_msg("%s: byte %zu changed, still verified", path,
			    pos);
		verify_result_release(&res);
		text[pos] ^= 0x01;
	}
	/* A byte added at the end (slurp left room), the last one removed. */
	text[len] = '\n';
	spew(path, text, len + 1);
	assert_int_not_equal(verify_status(dir, PUBKEY, &res),
	    VERIFY_IDENTICAL);
	verify_result_release(&res);
	spew(path, text, len - 1);
	assert_int_not_equal(verify_status(dir, PUBKEY, &res),
	    VERIFY_IDENTICAL);
	verify_result_release(&res);
	spew(path, text, len);
	free(text);
}

/* Every file the manifest names, its signature, and the manifest's. */
static void
probe_bundle(const char *name)
{
	struct verify_result	 res;
	struct stat		 st;
	char			*cmd, *dir, *manifest, *line, *next, *path;
	char			 file[256];
	size_t			 len;

	cmd = xasprintf("cp -R '%s/%s' '%s'", VECTORS, name, tmpdir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	dir = xasprintf("%s/%s", tmpdir, name);
	assert_int_equal(verify_status(dir, PUBKEY, &res), VERIFY_IDENTICAL);
	verify_result_release(&res);

	path = xasprintf("%s/manifest.txt", dir);
	manifest = slurp(path, &len);
	probe_file(dir, path);
	free(path);
	path = xasprintf("%s/manifest.txt.minisig", dir);
	probe_file(dir, path);
	free(path);
	for (line = manifest; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		assert_non_null(next);
		*next++ = '\0';
		if (sscanf(line, "file %255s", file) != 1 ||
		    strstr(line, " withheld") != NULL)
			continue;
		path = xasprintf("%s/%s", dir, file);
		probe_file(dir, path);
		free(path);
		path = xasprintf("%s/%s.minisig", dir, file);
		if (stat(path, &st) == 0)
			probe_file(dir, path);
		free(path);
	}
	assert_int_equal(verify_status(dir, PUBKEY, &res), VERIFY_IDENTICAL);
	verify_result_release(&res);
	free(manifest);
	free(dir);
}

static void
test_verify__every_change_found_full(void **state)
{
	(void)state;
	probe_bundle("VEC-GEN-1");
}

static void
test_verify__every_change_found_public(void **state)
{
	(void)state;
	probe_bundle("VEC-KEY-1-public");
}

/* Another key's signatures are not the authority's. */
static void
test_verify__other_key_refused(void **state)
{
	struct verify_result	 res;
	char			*path, *text;
	size_t			 len;

	(void)state;
	text = slurp(PUBKEY, &len);
	path = xasprintf("%s/other.pub", tmpdir);
	/* The last key byte before the newline, changed. */
	assert_true(len > 2 && text[len - 1] == '\n');
	text[len - 2] = text[len - 2] == 'A' ? 'B' : 'A';
	spew(path, text, len);
	assert_int_not_equal(verify_status(VECTORS "/VEC-GEN-1", path, &res),
	    VERIFY_IDENTICAL);
	assert_non_null(res.difference);
	verify_result_release(&res);
	free(path);
	free(text);
}

/* A fresh copy of a vector bundle in tmpdir, as tmpdir/copy. */
static char *
fresh_copy(const char *name)
{
	char	*cmd, *dir;

	dir = xasprintf("%s/copy", tmpdir);
	cmd = xasprintf("rm -rf '%s' && cp -R '%s/%s' '%s'", dir, VECTORS,
	    name, dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return dir;
}

/* Runs a shell command in the copy, then expects a refusal naming why. */
static void
refused_after(const char *name, const char *sh, enum verify_status want,
    const char *why)
{
	struct verify_result	 res;
	char			*dir, *cmd;

	dir = fresh_copy(name);
	cmd = xasprintf("cd '%s' && %s", dir, sh);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	if (verify_status(dir, PUBKEY, &res) != (int)want ||
	    res.difference == NULL || strstr(res.difference, why) == NULL)
		fail_msg("after '%s': status %d, '%s' (wanted '%s')", sh,
		    (int)res.status, res.difference ? res.difference : "",
		    why);
	verify_result_release(&res);
	free(dir);
}

/*
 * Issue 9: a FIFO must not hang the verifier (it would block in open),
 * symbolic links are refused even inside the bundle, sizes are bounded,
 * and nothing the format does not name is accepted.
 */
static void
test_verify__hostile_entries_refused(void **state)
{
	struct verify_result	 res;

	(void)state;
	refused_after("VEC-GEN-1", "rm teams.txt && mkfifo teams.txt",
	    VERIFY_MALFORMED, "'teams.txt' is not a regular file");
	refused_after("VEC-GEN-1-public", "rm selection.txt && "
	    "ln -s ../VEC-GEN-1/selection.txt selection.txt",
	    VERIFY_MALFORMED, "'selection.txt' is a symbolic link");
	refused_after("VEC-GEN-1", "mv teams.txt t && ln -s t teams.txt",
	    VERIFY_MALFORMED, "'teams.txt' is a symbolic link");
	refused_after("VEC-GEN-1", "rm -r frame && ln -s ../VEC-GEN-1/frame "
	    "frame", VERIFY_MALFORMED, "'frame' is a symbolic link");
	refused_after("VEC-GEN-1", "mkdir frame/sub", VERIFY_MALFORMED,
	    "'frame/sub' is not a regular file");
	refused_after("VEC-GEN-1", "truncate -s 1073741825 teams.txt",
	    VERIFY_MALFORMED, "'teams.txt' is larger than");
	refused_after("VEC-GEN-1", "truncate -s 1048577 beacon.json",
	    VERIFY_MALFORMED, "'beacon.json' is larger than");
	/* Issue 9 item 4: a frame left beside a public bundle. */
	refused_after("VEC-GEN-1-public", "cp \"$OLDPWD\"/" VECTORS "/VEC-GEN-1/"
	    "frame/targets.txt frame/targets.txt.Xy12Zq", VERIFY_MALFORMED,
	    "'frame/targets.txt.Xy12Zq' is not a file of this bundle");
	refused_after("VEC-GEN-1", "touch notes.txt", VERIFY_MALFORMED,
	    "'notes.txt' is not a file of this bundle");
	refused_after("VEC-GEN-1", "touch ssj.pub.minisig", VERIFY_MALFORMED,
	    "'ssj.pub.minisig' is not a file of this bundle");
	refused_after("VEC-GEN-1", "rm manifest.txt", VERIFY_MALFORMED,
	    "has no manifest.txt");
	/* A missing directory says so. */
	assert_int_equal(verify_status("/nonexistent/bundle", PUBKEY, &res),
	    VERIFY_MALFORMED);
	assert_non_null(strstr(res.difference, "no bundle at "
	    "'/nonexistent/bundle': the directory does not exist"));
	verify_result_release(&res);
}

static int
setup_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-verify.XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown_tmpdir(void **state)
{
	char	*cmd;
	int	 rc;

	(void)state;
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify__vectors_identical),
		cmocka_unit_test(test_verify__vectors_cover_the_cases),
		cmocka_unit_test(test_verify__every_change_found_full),
		cmocka_unit_test(test_verify__every_change_found_public),
		cmocka_unit_test(test_verify__other_key_refused),
		cmocka_unit_test(test_verify__hostile_entries_refused),
	};

	return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
