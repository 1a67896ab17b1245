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

#include "buf.h"
#include "crypto.h"
#include "keys.h"
#include "minisig.h"
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
	assert_non_null(strstr(text, "\t体检\\\\病假\n"));
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

/* The insider's key: a bureau's own, re-signing what it altered. */
static struct seckey	*insider;

static const char *
insider_pub(void)
{
	static char	 path[128];

	snprintf(path, sizeof(path), "%s/insider.pub", tmpdir);
	return path;
}

static const char *
sig_kind(const char *rel)
{
	if (strncmp(rel, "frame/", 6) == 0)
		return "frame";
	if (strcmp(rel, "beacon.json") == 0)
		return "beacon";
	if (strcmp(rel, "names.txt") == 0)
		return "names";
	/* manifest, commitment, selection, teams, replacements */
	return NULL;
}

/* Re-signs dir/rel as export would, with the insider's key. */
static void
insider_sign(const char *dir, const char *rel, const char *batch,
    int64_t ledger)
{
	char	*path, kind[32];
	int	 rc;

	if (sig_kind(rel) != NULL)
		snprintf(kind, sizeof(kind), "%s", sig_kind(rel));
	else
		snprintf(kind, sizeof(kind), "%.*s", (int)(strchr(rel, '.') -
		    rel), rel);
	path = xasprintf("%s/%s", dir, rel);
	rc = minisig_sign_file(path, insider, kind, batch, ledger);
	assert_int_equal(rc, 0);
	free(path);
}

/* In text, the first from becomes to; from must be there. */
static char *
edit(const char *text, const char *from, const char *to)
{
	struct buf	 b = BUF_INIT;
	const char	*p;

	if ((p = strstr(text, from)) == NULL)
		fail_msg("no '%s' to change", from);
	buf_add(&b, text, (size_t)(p - text));
	buf_addstr(&b, to);
	buf_addstr(&b, p + strlen(from));
	return buf_detach(&b, NULL);
}

/*
 * A copy of a vector bundle, re-signed whole with the insider's key, with
 * the first 'from' of file changed to 'to' (file NULL: no change), its
 * digest in the manifest updated: what a bureau could publish. Verified
 * with the insider's key: refused, naming why, or (why NULL) identical.
 */
static void
insider_edit(const char *name, const char *file, const char *from,
    const char *to, const char *why)
{
	struct verify_result	 res;
	unsigned char		 d[CRYPTO_DIGEST_BYTES];
	char			 hex[CRYPTO_DIGEST_HEX], rel[256], batch[128];
	char			*dir, *path, *text, *next, *line, *mf, *pub, *p;
	size_t			 len;
	int64_t			 ledger;

	dir = fresh_copy(name);
	path = xasprintf("%s/manifest.txt.minisig", dir);
	text = slurp(path, &len);
	free(path);
	assert_non_null(p = strstr(text, " ledger="));
	ledger = strtoll(p + 8, NULL, 10);
	free(text);
	pub = slurp(insider_pub(), &len);
	path = xasprintf("%s/ssj.pub", dir);
	spew(path, pub, len);
	free(path);
	free(pub);
	if (file != NULL) {
		path = xasprintf("%s/%s", dir, file);
		text = slurp(path, &len);
		next = edit(text, from, to);
		spew(path, next, strlen(next));
		free(next);
		free(text);
		free(path);
	}
	/* Every digest of the manifest as the files now are. */
	path = xasprintf("%s/manifest.txt", dir);
	mf = slurp(path, &len);
	assert_int_equal(sscanf(strstr(mf, "\nbatch ") + 7, "%127s", batch),
	    1);
	for (line = mf; (line = strstr(line, "\nfile ")) != NULL; line++) {
		assert_int_equal(sscanf(line + 6, "%255s", rel), 1);
		if (strncmp(line + 6 + strlen(rel) + 1 + 64, " withheld", 9) ==
		    0)
			continue;
		free(path);
		path = xasprintf("%s/%s", dir, rel);
		text = slurp(path, &len);
		crypto_digest(text, len, d);
		crypto_hex(d, sizeof(d), hex);
		memcpy(line + 6 + strlen(rel) + 1, hex, 64);
		free(text);
		if (strcmp(rel, "ssj.pub") != 0)
			insider_sign(dir, rel, batch, ledger);
	}
	free(path);
	path = xasprintf("%s/manifest.txt", dir);
	spew(path, mf, strlen(mf));
	free(path);
	free(mf);
	insider_sign(dir, "manifest.txt", batch, ledger);
	(void)verify_status(dir, insider_pub(), &res);
	if (why == NULL ? res.status != VERIFY_IDENTICAL :
	    res.status == VERIFY_IDENTICAL || res.difference == NULL ||
	    strstr(res.difference, why) == NULL)
		fail_msg("%s %s '%s' -> '%s': %s (wanted '%s')", name,
		    file ? file : "-", from ? from : "", to ? to : "",
		    res.difference ? res.difference : "identical",
		    why ? why : "identical");
	verify_result_release(&res);
	free(dir);
}

/* The n-th TAB field (0-based) of line k (1-based) of a vector's file. */
static char *
field(const char *name, const char *file, int k, int n)
{
	char	*path, *text, *p, *end, *out;
	size_t	 len;
	int	 i;

	path = xasprintf("%s/%s/%s", VECTORS, name, file);
	text = slurp(path, &len);
	free(path);
	for (p = text, i = 1; i < k; i++)
		p = strchr(p, '\n') + 1;
	for (i = 0; i < n; i++)
		p = strchr(p, '\t') + 1;
	end = p + strcspn(p, "\t\n");
	out = xstrndup(p, (size_t)(end - p));
	free(text);
	return out;
}

/*
 * Issue 13 §5: bundles altered in every way the specification forbids,
 * re-signed with the bundle's own key as an insider could, are refused
 * with a message naming the rule; unaltered, they verify.
 */
static void
test_verify__insider_edits_refused(void **state)
{
	char	*tgt, *old, *new, *mate, *a, *b, *from, *to;

	(void)state;
	insider_edit("VEC-GEN-1", NULL, NULL, NULL, NULL);
	insider_edit("VEC-GEN-1-public", NULL, NULL, NULL, NULL);
	insider_edit("VEC-JOINT-1", NULL, NULL, NULL, NULL);
	/* Text ssj never writes. */
	insider_edit("VEC-GEN-1", "replacements.txt", "\\\\", "\\x0a",
	    "the reason is not escaped");
	insider_edit("VEC-GEN-1", "replacements.txt", "\\\\", "\\t",
	    "the reason is not escaped");
	insider_edit("VEC-GEN-1", "replacements.txt", "\\\\", "\x01",
	    "the reason is not escaped");
	insider_edit("VEC-GEN-1-public", "replacements.txt", "\n1\t",
	    "\n01\t", "not replacement 1 (numbers run 1, 2");
	insider_edit("VEC-GEN-1-public", "replacements.txt", "\n1\t",
	    "\n2\t", "not replacement 1 (numbers run 1, 2");
	insider_edit("VEC-GEN-1", "teams.txt", "\n1\t", "\n01\t",
	    "teams.txt:2: not the team of");
	insider_edit("VEC-GEN-1", "selection.txt", "\n1\t", "\n01\t",
	    "not a selection line");
	insider_edit("VEC-GEN-1", "manifest.txt", "\nstratum B 1 1 1/1\n",
	    "\nstratum B 01 1 1/1\n", "'stratum' must be");
	insider_edit("VEC-GEN-1", "manifest.txt", "\nreveal notary ",
	    "\nreveal notary \\x0a", "'reveal' must be");
	/* The replacement: an empty reason, a removal of one who does not
	 * hold the slot, a draw of one already on the team. */
	tgt = field("VEC-GEN-1-public", "replacements.txt", 2, 1);
	old = field("VEC-GEN-1-public", "replacements.txt", 2, 3);
	new = field("VEC-GEN-1-public", "replacements.txt", 2, 4);
	insider_edit("VEC-GEN-1", "replacements.txt", "\t体检\\\\病假\n",
	    "\t\n", "the reason is empty");
	/* A public bundle carries no reason (§8.1). */
	a = xasprintf("\t%s\n", new);
	b = xasprintf("\t%s\t体检\n", new);
	insider_edit("VEC-GEN-1-public", "replacements.txt", a, b,
	    "replacements.txt:2: not 5 TAB-separated fields");
	free(a);
	free(b);
	insider_edit("VEC-GEN-1-public", "replacements.txt",
	    "DSR-1 public replacements\n", "DSR-1 replacements\n",
	    "not a DSR-1 public replacements file");
	a = xasprintf("\t%s\t%s", old, new);
	b = xasprintf("\t%s\t%s", new, old);
	insider_edit("VEC-GEN-1-public", "replacements.txt", a, b,
	    "does not hold slot");
	insider_edit("VEC-GEN-1", "replacements.txt", a, b,
	    "does not hold slot");
	/* The other member of the team: on it already. */
	from = xasprintf("%s\t", tgt);
	{
		char	*path, *text, *p, *m;
		size_t	 len;

		path = xasprintf("%s/VEC-GEN-1-public/teams.txt", VECTORS);
		text = slurp(path, &len);
		assert_non_null(p = strstr(text, from));
		p = strchr(strchr(p, '\t') + 1, '\t') + 1;
		m = xstrndup(p, strcspn(p, "\t"));
		p = strchr(m, ';');
		assert_non_null(p);
		*p++ = '\0';
		mate = xstrdup(strcmp(m, old) == 0 ? p : m);
		free(m);
		free(text);
		free(path);
	}
	free(b);
	b = xasprintf("\t%s\t%s", old, mate);
	insider_edit("VEC-GEN-1-public", "replacements.txt", a, b,
	    "already on the team");
	free(a);
	free(b);
	/* Teams: a member twice, an eligible count of 0. */
	a = field("VEC-GEN-1-public", "teams.txt", 2, 2);
	b = xasprintf("%.*s;%.*s", (int)strcspn(a, ";"), a,
	    (int)strcspn(a, ";"), a);
	insider_edit("VEC-GEN-1-public", "teams.txt", a, b,
	    "a member named twice");
	free(b);
	free(a);
	a = field("VEC-GEN-1-public", "teams.txt", 2, 1);
	from = (free(from), xasprintf("\t%s\t", a));
	insider_edit("VEC-GEN-1-public", "teams.txt", from, "\t0\t",
	    "an eligible count of 0");
	free(a);
	/* A team that reads well but is not the one replayed. */
	a = field("VEC-GEN-1", "teams.txt", 3, 3);
	assert_non_null(strchr(a, ';'));
	free(from);
	from = xasprintf("\t%s\t", a);
	to = xasprintf("\t%s;%.*s\t", strchr(a, ';') + 1,
	    (int)strcspn(a, ";"), a);
	free(a);
	a = field("VEC-GEN-1", "teams.txt", 3, 1);
	b = xasprintf("teams.txt:3: '2\t%s\t", a);
	insider_edit("VEC-GEN-1", "teams.txt", from, to, b);
	free(to);
	free(b);
	free(a);
	/* The drawn list out of byte order. */
	a = field("VEC-GEN-1-public", "selection.txt", 2, 0);
	b = field("VEC-GEN-1-public", "selection.txt", 3, 0);
	free(from);
	from = xasprintf("\n%s\n%s\n", a, b);
	to = xasprintf("\n%s\n%s\n", b, a);
	insider_edit("VEC-GEN-1-public", "selection.txt", from, to,
	    "is not after");
	free(from);
	free(to);
	free(a);
	free(b);
	free(tgt);
	free(old);
	free(new);
	free(mate);
}

/*
 * A withheld frame present in a public bundle must be the committed one
 * (and signed): altered, it is refused.
 */
static void
test_verify__withheld_present_checked(void **state)
{
	(void)state;
	refused_after("VEC-GEN-1-public", "cp \"$OLDPWD\"/" VECTORS
	    "/VEC-GEN-1/frame/targets.txt frame/ && echo >> "
	    "frame/targets.txt", VERIFY_DIFFERS, "frame/targets.txt: its "
	    "digest differs");
	refused_after("VEC-GEN-1-public", "cp \"$OLDPWD\"/" VECTORS
	    "/VEC-GEN-1/frame/parameters.txt frame/", VERIFY_DIFFERS,
	    "frame/parameters.txt: its signature does not verify");
}

static int
setup_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-verify.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	{
		struct pubkey	 pk;
		char		*sec;

		crypto_setup();
		sec = xasprintf("%s/insider.key", tmpdir);
		if (key_generate(insider_pub(), sec, NULL, 0, &pk) == -1 ||
		    (insider = seckey_load(sec, NULL)) == NULL) {
			free(sec);
			return -1;
		}
		free(sec);
	}
	return 0;
}

static int
teardown_tmpdir(void **state)
{
	char	*cmd;
	int	 rc;

	(void)state;
	seckey_free(insider);
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
		cmocka_unit_test(test_verify__insider_edits_refused),
		cmocka_unit_test(test_verify__withheld_present_checked),
	};

	return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
