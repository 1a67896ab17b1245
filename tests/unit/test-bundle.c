/*
 * Unit tests of the bundle's files: the commitment, the manifest and the
 * selection written and read back exactly, and every malformation refused
 * with its line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "beacon.h"
#include "buf.h"
#include "bundle.h"
#include "crypto.h"
#include "xmalloc.h"

static void
sample_commitment(struct commitment *c, struct witness *w)
{
	size_t	 i;

	memset(c, 0, sizeof(*c));
	c->batch = (char *)(uintptr_t)"JDZ-2026-CCC-1";
	c->created = (char *)(uintptr_t)"2026-04-08T01:30:00Z";
	c->snapshot = 7;
	for (i = 0; i < FRAME_NFILES; i++)
		memset(c->frame[i], (int)i + 1, CRYPTO_DIGEST_BYTES);
	memcpy(c->chain, "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792"
	    "ba94600c84e971", 65);
	c->round = 27602912;
	c->genesis = 1692803367;
	c->period = 3;
	memcpy(c->scheme, BEACON_QUICKNET_SCHEME,
	    sizeof(BEACON_QUICKNET_SCHEME));
	memcpy(c->key, BEACON_QUICKNET_KEY, sizeof(BEACON_QUICKNET_KEY));
	w[0].name = (char *)(uintptr_t)"notary";
	memset(w[0].hash, 0xab, sizeof(w[0].hash));
	w[1].name = (char *)(uintptr_t)"enterprise-rep";
	memset(w[1].hash, 0xcd, sizeof(w[1].hash));
	c->witnesses = w;
	c->nwitnesses = 2;
	memset(c->secret_hash, 0x3e, sizeof(c->secret_hash));
}

static void
test_bundle__commitment_round_trip(void **state)
{
	struct commitment	 c, back;
	struct witness		 w[2];
	char			*text, *again, *err = NULL;

	(void)state;
	sample_commitment(&c, w);
	text = commitment_format(&c);
	assert_memory_equal(text, "DSR-1 commitment\nbatch JDZ-2026-CCC-1\n"
	    "created 2026-04-08T01:30:00Z\nsnapshot 7\ntargets-blake2b-256 "
	    "0101", 88);
	assert_non_null(strstr(text, "\nbeacon drand 52db9ba70e0cc0f6eaf7803dd"
	    "07447a1f5477735fd3f661792ba94600c84e971 27602912 1692803367 3\n"
	    "beacon-key bls-unchained-g1-rfc9380 " BEACON_QUICKNET_KEY "\n"
	    "witness notary "
	    "abab"));
	assert_int_equal(commitment_parse(text, strlen(text), &back, &err), 0);
	assert_string_equal(back.batch, "JDZ-2026-CCC-1");
	assert_int_equal(back.round, 27602912);
	assert_int_equal(back.genesis, 1692803367);
	assert_int_equal(back.period, 3);
	assert_string_equal(back.scheme, BEACON_QUICKNET_SCHEME);
	assert_string_equal(back.key, BEACON_QUICKNET_KEY);
	assert_int_equal(back.nwitnesses, 2);
	assert_string_equal(back.witnesses[1].name, "enterprise-rep");
	assert_memory_equal(back.frame[4], c.frame[4], CRYPTO_DIGEST_BYTES);
	again = commitment_format(&back);
	assert_string_equal(again, text);
	free(again);
	commitment_release(&back);
	free(text);
}

/* Each malformation is refused and says on which line. */
static void
test_bundle__commitment_rejections(void **state)
{
	static const struct {
		const char	*from;
		const char	*to;
		const char	*err;
	} cases[] = {
		{ "DSR-1 commitment\n", "DSR-2 commitment\n", "line 1: not a " },
		{ "snapshot 7\n", "snapshot 07\n", "line 4: 'snapshot' must" },
		{ "snapshot 7\n", "", "line 4: expected 'snapshot'" },
		{ "beacon drand 52", "beacon drand 5G", "line 10: 'beacon'" },
		{ "beacon-key bls", "beacon-key  bls", "line 11: 'beacon-key'" },
		{ "beacon-key bls", "beacon-key BLS", "line 11: 'beacon-key'" },
		{ "e45a\nwitness", "e45\nwitness", "line 11: 'beacon-key'" },
		{ "beacon-key bls-unchained-g1-rfc9380 ", "", "line 11: "
		  "expected 'beacon-key'" },
		{ "witness notary ", "witness no tary ", "line 12: 'witness'" },
		{ "witness enterprise-rep", "witness notary", "witness 'notary' "
		  "twice" },
		{ "\nsecret-blake2b-256 ", "\nsecret-blake2b-257 ", "expected "
		  "'secret-blake2b-256'" },
	};
	struct commitment	 c, back;
	struct witness		 w[2];
	struct buf		 b = BUF_INIT;
	char			*text, *p, *err;
	size_t			 i;

	(void)state;
	sample_commitment(&c, w);
	text = commitment_format(&c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		p = strstr(text, cases[i].from);
		assert_non_null(p);
		buf_add(&b, text, (size_t)(p - text));
		buf_addstr(&b, cases[i].to);
		buf_addstr(&b, p + strlen(cases[i].from));
		err = NULL;
		assert_int_equal(commitment_parse(b.data, b.len, &back, &err),
		    -1);
		if (strstr(err, cases[i].err) == NULL)
			fail_msg("case %zu: '%s' has no '%s'", i, err,
			    cases[i].err);
		free(err);
	}
	/* No newline at the end; a line too many. */
	err = NULL;
	assert_int_equal(commitment_parse(text, strlen(text) - 1, &back,
	    &err), -1);
	assert_non_null(strstr(err, "no newline at the end"));
	free(err);
	buf_reset(&b);
	buf_addstr(&b, text);
	buf_addstr(&b, "extra 1\n");
	err = NULL;
	assert_int_equal(commitment_parse(b.data, b.len, &back, &err), -1);
	assert_non_null(strstr(err, "unexpected line"));
	free(err);
	buf_release(&b);
	free(text);
}

static void
test_bundle__escapes(void **state)
{
	static const unsigned char raw[] = "a\\b\nc\x01\x7f 景";
	struct buf	 b = BUF_INIT;
	unsigned char	*back;
	size_t		 len;

	(void)state;
	bundle_escape(&b, raw, sizeof(raw) - 1);
	assert_string_equal(buf_cstr(&b), "a\\\\b\\nc\\x01\\x7f 景");
	assert_int_equal(bundle_unescape(b.data, b.len, &back, &len), 0);
	assert_int_equal(len, sizeof(raw) - 1);
	assert_memory_equal(back, raw, len);
	free(back);
	/* Only the one spelling: \x41 is 'A' written otherwise. */
	assert_int_equal(bundle_unescape("\\x41", 4, &back, &len), -1);
	/* LF is written \n, never \x0a (issue 13 §5). */
	assert_int_equal(bundle_unescape("\\x0a", 4, &back, &len), -1);
	assert_int_equal(bundle_unescape("\\x5c", 4, &back, &len), -1);
	assert_int_equal(bundle_unescape("\\X01", 4, &back, &len), -1);
	assert_int_equal(bundle_unescape("\\x0A", 4, &back, &len), -1);
	assert_int_equal(bundle_unescape("a\x1b" "b", 3, &back, &len), -1);
	assert_int_equal(bundle_unescape("\\t", 2, &back, &len), -1);
	assert_int_equal(bundle_unescape("\\", 1, &back, &len), -1);
	assert_int_equal(bundle_unescape("a\tb", 3, &back, &len), -1);
	buf_release(&b);
}

static void
test_bundle__manifest_round_trip(void **state)
{
	struct manifest		 m, back;
	struct reveal		 r[1];
	struct stratum_count	 s[2];
	struct bundle_file	 f[2];
	char			*text, *again, *err = NULL;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.batch = (char *)(uintptr_t)"B-1";
	m.round = 42;
	r[0].name = (char *)(uintptr_t)"notary";
	r[0].value = (unsigned char *)(uintptr_t)"公证 1\n2";
	r[0].len = strlen("公证 1\n2");
	m.reveals = r;
	m.nreveals = 1;
	memset(s, 0, sizeof(s));
	memcpy(s[0].name, "certain", 8);
	s[0].population = s[0].sample = 3;
	memcpy(s[1].name, "A", 2);
	s[1].population = 1200;
	s[1].sample = 60;
	m.strata = s;
	m.nstrata = 2;
	m.selected = 63;
	f[0].path = (char *)(uintptr_t)"selection.txt";
	memset(f[0].digest, 1, sizeof(f[0].digest));
	f[0].withheld = 0;
	f[1].path = (char *)(uintptr_t)"frame/targets.txt";
	memset(f[1].digest, 2, sizeof(f[1].digest));
	f[1].withheld = 1;
	m.files = f;
	m.nfiles = 2;
	/* A public manifest: no secret, no seed, no stratum (§8.1). */
	m.public = 1;
	text = manifest_format(&m);
	assert_non_null(strstr(text, "\nbundle public\n"));
	assert_non_null(strstr(text, "\nreveal notary 公证 1\\n2\nselected 63\n"));
	assert_null(strstr(text, "\nsecret "));
	assert_null(strstr(text, "\nseed "));
	assert_null(strstr(text, "\nstratum "));
	assert_int_equal(manifest_parse(text, strlen(text), &back, &err), 0);
	assert_true(back.public);
	assert_int_equal(back.nstrata, 0);
	again = manifest_format(&back);
	assert_string_equal(again, text);
	free(again);
	manifest_release(&back);
	free(text);
	m.public = 0;
	text = manifest_format(&m);
	assert_non_null(strstr(text, "\nbundle full\n"));
	assert_non_null(strstr(text, "\nreveal notary 公证 1\\n2\n"));
	assert_non_null(strstr(text, "\nstratum A 1200 60 1/20\n"));
	assert_non_null(strstr(text, "\nstratum certain 3 3 1/1\n"));
	assert_non_null(strstr(text, " withheld\n"));
	assert_int_equal(manifest_parse(text, strlen(text), &back, &err), 0);
	assert_false(back.public);
	assert_int_equal(back.nreveals, 1);
	assert_int_equal(back.reveals[0].len, r[0].len);
	assert_int_equal(back.files[1].withheld, 1);
	again = manifest_format(&back);
	assert_string_equal(again, text);
	free(again);
	manifest_release(&back);
	/* Another algorithm is refused by name. */
	text[strstr(text, "DSR-1\nbundle") - text + 4] = '2';
	assert_int_equal(manifest_parse(text, strlen(text), &back, &err), -1);
	assert_non_null(strstr(err, "algorithm 'DSR-2' is not DSR-1"));
	free(err);
	free(text);
}

static void
test_bundle__manifest_paths_stay_inside(void **state)
{
	const char	*text = "DSR-1 manifest\nalgorithm DSR-1\nbundle full\n"
	    "batch B\ncommitment-blake2b-256 0000000000000000000000000000000"
	    "000000000000000000000000000000000\nbeacon-round 1\n"
	    "beacon-randomness 000000000000000000000000000000000000000000000"
	    "0000000000000000000\nsecret 00000000000000000000000000000000000"
	    "00000000000000000000000000000\nseed 000000000000000000000000000"
	    "0000000000000000000000000000000000000\nselected 0\n"
	    "replacements 0\nfile ../../etc/passwd 00000000000000000000000000000000000000000"
	    "00000000000000000000000\n";
	struct manifest	 m;
	char		*err = NULL;

	(void)state;
	assert_int_equal(manifest_parse(text, strlen(text), &m, &err), -1);
	assert_non_null(strstr(err, "'file' must be 'PATH HASH"));
	free(err);
}

/*
 * A name without its value ("batch") and with an empty one ("batch ")
 * would read the same: both are refused (found by fuzz-bundle).
 */
static void
test_bundle__a_field_without_a_value_is_refused(void **state)
{
	static const char *const lines[] = { "batch\n", "batch \n" };
	struct manifest		 m;
	struct commitment	 c;
	char			*text, *err = NULL;
	size_t			 i;

	(void)state;
	for (i = 0; i < 2; i++) {
		text = xasprintf("DSR-1 manifest\nalgorithm DSR-1\n"
		    "bundle public\n%s", lines[i]);
		assert_int_equal(manifest_parse(text, strlen(text), &m, &err),
		    -1);
		assert_string_equal(err, "line 4: 'batch' has no value");
		free(err);
		free(text);
		text = xasprintf("DSR-1 commitment\n%s", lines[i]);
		assert_int_equal(commitment_parse(text, strlen(text), &c,
		    &err), -1);
		assert_string_equal(err, "line 2: 'batch' has no value");
		free(err);
		free(text);
	}
}

static void
test_bundle__selection(void **state)
{
	unsigned char	 t[DSR_TICKET_BYTES];
	struct selected	*s = NULL;
	struct buf	 b = BUF_INIT;
	size_t		 n;
	char		*err = NULL;

	(void)state;
	memset(t, 0xa5, sizeof(t));
	buf_addstr(&b, SELECTION_MAGIC);
	selection_line(&b, 1, "91360202000000019L", "A", t);
	selection_line(&b, 2, "360202000012344", "certain", t);
	assert_int_equal(selection_parse(b.data, b.len, 0, &s, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(s[1].id, "360202000012344");
	assert_string_equal(s[1].stratum, "certain");
	free(s);
	/* A public parser refuses a full selection, and ranks must run. */
	assert_int_equal(selection_parse(b.data, b.len, 1, &s, &n, &err), -1);
	free(err);
	buf_reset(&b);
	buf_addstr(&b, SELECTION_MAGIC);
	selection_line(&b, 2, "91360202000000019L", "A", t);
	assert_int_equal(selection_parse(b.data, b.len, 0, &s, &n, &err), -1);
	assert_non_null(strstr(err, "line 2: not a selection line (rank 1"));
	free(err);
	buf_release(&b);
}

/* Issue 13 §5: every number has one spelling, in a stratum line too. */
static void
test_bundle__manifest_numbers_canonical(void **state)
{
	static const char *const bad[] = {
		"stratum B 01 1 1/1", "stratum B +1 1 1/1", "stratum B 1  1 1/1",
		"stratum B 1 1 01/1", "stratum B 1 1 1/ 1", "stratum B 1 1 1/1 ",
		"stratum B 1 1 1 /1",
	};
	struct manifest	 m;
	struct buf	 b = BUF_INIT;
	char		*err;
	size_t		 i;
	const char	*head = "DSR-1 manifest\nalgorithm DSR-1\nbundle full\n"
	    "batch B\ncommitment-blake2b-256 000000000000000000000000000000"
	    "0000000000000000000000000000000000\nbeacon-round 1\n"
	    "beacon-randomness 00000000000000000000000000000000000000000000"
	    "00000000000000000000\nsecret 000000000000000000000000000000000"
	    "0000000000000000000000000000000\nseed 00000000000000000000000000"
	    "00000000000000000000000000000000000000\n";

	(void)state;
	buf_addstr(&b, head);
	buf_addstr(&b, "stratum B 1 1 1/1\nselected 1\nreplacements 0\n");
	err = NULL;
	assert_int_equal(manifest_parse(b.data, b.len, &m, &err), 0);
	manifest_release(&m);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&b);
		buf_addstr(&b, head);
		buf_printf(&b, "%s\nselected 1\nreplacements 0\n", bad[i]);
		err = NULL;
		if (manifest_parse(b.data, b.len, &m, &err) == 0)
			fail_msg("'%s' parses", bad[i]);
		assert_non_null(strstr(err, "line 10: 'stratum' must be"));
		free(err);
	}
	/* A public manifest has no secret, seed or stratum (§8.1). */
	buf_reset(&b);
	buf_add(&b, head, (size_t)(strstr(head, "bundle full\n") - head));
	buf_addstr(&b, "bundle public\n");
	buf_addstr(&b, strstr(head, "bundle full\n") + 12);
	buf_addstr(&b, "selected 1\nreplacements 0\n");
	err = NULL;
	assert_int_equal(manifest_parse(b.data, b.len, &m, &err), -1);
	assert_non_null(strstr(err, "line 8: expected 'selected'"));
	free(err);
	buf_release(&b);
}

/* Issue 9: three lines made manifest_parse free a value twice. */
static void
test_bundle__manifest_three_lines(void **state)
{
	const char	*text = "DSR-1 manifest\nalgorithm DSR-1\nbatch X\n";
	struct manifest	 m;
	char		*err = NULL;

	(void)state;
	assert_int_equal(manifest_parse(text, strlen(text), &m, &err), -1);
	assert_non_null(strstr(err, "line 3: expected 'bundle', not 'batch'"));
	free(err);
}

/* Parses text as a commitment (0) or a manifest (1): refused unless ok. */
static void
cut_refused(int which, const char *text, size_t len, int ok)
{
	struct commitment	 c;
	struct manifest		 m;
	char			*err = NULL;
	int			 rc;

	rc = which == 0 ? commitment_parse(text, len, &c, &err) :
	    manifest_parse(text, len, &m, &err);
	if (rc == 0 && !ok)
		fail_msg("'%.*s' parses", (int)len, text);
	if (rc == 0) {
		if (which == 0)
			commitment_release(&c);
		else
			manifest_release(&m);
	} else
		assert_non_null(err);
	free(err);
}

/*
 * Every manifest and commitment cut after each of its lines, and with
 * each line left out, is refused without a leak or a double free (the
 * unit tests run under ASan in make asan).
 */
static void
test_bundle__every_truncation_refused(void **state)
{
	struct commitment	 c;
	struct witness		 w[2];
	struct buf		 b = BUF_INIT;
	char			*text, *p, *q;
	int			 which;

	(void)state;
	sample_commitment(&c, w);
	for (which = 0; which < 2; which++) {
		text = which == 0 ? commitment_format(&c) : xstrdup(
		    "DSR-1 manifest\nalgorithm DSR-1\nbundle full\nbatch B\n"
		    "commitment-blake2b-256 00000000000000000000000000000000"
		    "00000000000000000000000000000000\nbeacon-round 1\n"
		    "beacon-randomness 0000000000000000000000000000000000000"
		    "000000000000000000000000000\nreveal notary x\n"
		    "secret 0000000000000000000000000000000000000000000000000"
		    "000000000000000\nseed 00000000000000000000000000000000000"
		    "00000000000000000000000000000\nstratum A 2 1 1/2\n"
		    "selected 1\nreplacements 0\n");
		for (p = text; (q = strchr(p, '\n')) != NULL; p = q + 1) {
			/* Cut after the line before p, then p left out. */
			cut_refused(which, text, (size_t)(p - text), 0);
			buf_reset(&b);
			buf_add(&b, text, (size_t)(p - text));
			buf_addstr(&b, q + 1);
			/* Witnesses, reveals and strata may be fewer. */
			cut_refused(which, b.data, b.len,
			    strncmp(p, "witness ", 8) == 0 ||
			    strncmp(p, "reveal ", 7) == 0 ||
			    strncmp(p, "stratum ", 8) == 0);
		}
		free(text);
	}
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundle__commitment_round_trip),
		cmocka_unit_test(test_bundle__commitment_rejections),
		cmocka_unit_test(test_bundle__escapes),
		cmocka_unit_test(test_bundle__manifest_round_trip),
		cmocka_unit_test(test_bundle__manifest_paths_stay_inside),
		cmocka_unit_test(test_bundle__a_field_without_a_value_is_refused),
		cmocka_unit_test(test_bundle__selection),
		cmocka_unit_test(test_bundle__manifest_three_lines),
		cmocka_unit_test(test_bundle__manifest_numbers_canonical),
		cmocka_unit_test(test_bundle__every_truncation_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
