/*
 * Unit tests of the frames: filters, every exclusion, strata from the
 * risk class as of the draw month (or certainty), eligible inspectors,
 * conflicts in force -- each file byte for byte -- and reading them back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "frame.h"
#include "framestore.h"
#include "xmalloc.h"

#include "draw-fixture.h"

struct fx {
	struct db	*db;
	struct config	*cfg;
	struct frame	 fr;
};


static const struct frame_prior no_prior = { 0, 0 };

/* The third word of an 18-digit id's key: digits 13-18, d + 1 each. */
static uint32_t
last_word(const char *id)
{
	uint32_t	 w = 0;
	size_t		 i;

	for (i = 12; i < 18; i++)
		w |= (uint32_t)(id[i] - '0' + 1) << 5 * (5 - (i - 12));
	return w;
}
static int
setup(void **state)
{
	struct fx	*fx = calloc(1, sizeof(*fx));

	fx->db = fixture_world(&fx->cfg);
	assert_non_null(fx->db);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	frame_release(&fx->fr);
	config_free(fx->cfg);
	db_close(fx->db);
	free(fx);
	return 0;
}

static void
build(struct fx *fx, const char *batch)
{
	const struct config_task	*t;
	const struct config_batch	*b;
	int64_t				 snapshot;

	b = config_find_batch(fx->cfg, batch, &t);
	assert_non_null(b);
	assert_int_equal(db_query_int(fx->db, "SELECT max(id) FROM snapshot",
	    &snapshot), 0);
	assert_int_equal(frame_build(fx->db, fx->cfg, t, b, snapshot, &no_prior,
	    FRAME_KEEP_TEXT | FRAME_KEEP_TARGETS, NULL, &fx->fr), 0);
}

static void
test_frame__targets_strata_and_exclusions(void **state)
{
	struct fx	*fx = *state;

	build(fx, "B1");
	assert_string_equal(fx->fr.text[FRAME_TARGETS],
	    "DSR-1 targets\n"
	    "91360202000000019L\tA\t360202\n"
	    "91360202000000027F\tcertain\t360202\n"
	    "92360281000000051A\tB\t360281\n"
	    "9336028100000006XY\tC\t360281\n");
	assert_string_equal(fx->fr.text[FRAME_EXCLUDED],
	    "DSR-1 excluded\n"
	    "91360203000000035Q\tstatus\n"
	    "913602220000000434\tquiet-period\n");
	assert_int_equal(fx->fr.ntargets, 4);
	assert_int_equal(fx->fr.nexcluded, 2);
}

static void
test_frame__exempt_task_ignores_the_quiet_period(void **state)
{
	struct fx	*fx = *state;

	build(fx, "B2");
	assert_non_null(strstr(fx->fr.text[FRAME_TARGETS],
	    "913602220000000434\tB\t360222\n"));
	assert_string_equal(fx->fr.text[FRAME_EXCLUDED],
	    "DSR-1 excluded\n91360203000000035Q\tstatus\n");
}

static void
test_frame__inspectors_and_conflicts(void **state)
{
	struct fx	*fx = *state;

	build(fx, "B1");
	assert_string_equal(fx->fr.text[FRAME_INSPECTORS],
	    "DSR-1 inspectors\n"
	    "A001\tZJ\t360202\tCCC\t2027-12-31\t0\t0\n"
	    "A002\tXF\t360281\tCCC\t2027-12-31\t0\t0\n"
	    "A006\tRZ\t360202\tCCC\t2027-12-31\t1\t0\n");
	assert_string_equal(fx->fr.text[FRAME_CONFLICTS],
	    "DSR-1 conflicts\n"
	    "A001\t91360202000000019L\trecusal\n"
	    "A002\t9336028100000006XY\trecusal\n");
}

static void
test_frame__parameters_and_sample_sizes(void **state)
{
	struct fx	*fx = *state;
	const char	*p;

	build(fx, "B1");
	p = fx->fr.text[FRAME_PARAMETERS];
	assert_memory_equal(p, "DSR-1 parameters\nplan P1\n", 24);
	assert_non_null(strstr(p, "\ntask T1\nbatch B1\nitems I1\nlead ZJ\n"
	    "joint XF\ndraw-date 2026-04-28\nwindow 2026-05-06 2026-05-29\n"
	    "snapshot 4\nrisk-month 2026-04\nteam-size 2\nexperts 0\n"
	    "cap-per-batch -\ncap-per-year -\nrequire ZJ CCC\nrequire XF -\n"
	    "stratum certain 1 1/1 - - 1\n"
	    "stratum A 1 10/100 - - 1\n"
	    "stratum B 1 50/100 1 - 1\n"
	    "stratum C 1 100/100 - - 1\n"
	    "stratum D 0 100/100 - - 0\n"));
}

static void
test_frame__digests_are_of_the_bytes(void **state)
{
	struct fx	*fx = *state;
	unsigned char	 d[CRYPTO_DIGEST_BYTES];
	struct frame	 again;
	const struct config_task *t;
	const struct config_batch *b;
	size_t		 i;

	build(fx, "B1");
	for (i = 0; i < FRAME_NFILES; i++) {
		crypto_digest(fx->fr.text[i], fx->fr.len[i], d);
		assert_memory_equal(d, fx->fr.digest[i], sizeof(d));
	}
	/* Without the text, the same digests. */
	b = config_find_batch(fx->cfg, "B1", &t);
	assert_int_equal(frame_build(fx->db, fx->cfg, t, b, 4, &no_prior, 0, NULL, &again),
	    0);
	assert_memory_equal(again.digest, fx->fr.digest,
	    sizeof(again.digest));
	assert_null(again.text[FRAME_TARGETS]);
	frame_release(&again);
}

static void
test_frame__a_later_snapshot_does_not_change_an_earlier_frame(void **state)
{
	struct fx	*fx = *state;
	unsigned char	 before[CRYPTO_DIGEST_BYTES];

	build(fx, "B1");
	memcpy(before, fx->fr.digest[FRAME_TARGETS], sizeof(before));
	frame_release(&fx->fr);
	fixture_import(fx->db, REGISTRY_RISK, "统一社会信用代码,风险等级,"
	    "分类月份\n92360281000000051A,D,2026-04\n", fx->cfg);
	build(fx, "B1");
	/* The latest snapshot now classes 51A as D... */
	assert_non_null(strstr(fx->fr.text[FRAME_TARGETS],
	    "92360281000000051A\tD\t360281\n"));
	assert_memory_not_equal(before, fx->fr.digest[FRAME_TARGETS],
	    sizeof(before));
	frame_release(&fx->fr);
	/* ...snapshot 4 still gives the frame it gave. */
	{
		const struct config_task	*t;
		const struct config_batch	*b;

		b = config_find_batch(fx->cfg, "B1", &t);
		assert_int_equal(frame_build(fx->db, fx->cfg, t, b, 4, &no_prior, 0,
		    NULL, &fx->fr), 0);
	}
	assert_memory_equal(before, fx->fr.digest[FRAME_TARGETS],
	    sizeof(before));
}

/* The current tables (the latest snapshot) and the revisions agree. */
static void
test_frame__current_tables_give_the_revisions_frame(void **state)
{
	struct fx	*fx = *state;
	struct frame	 slow;
	const struct config_task *t;
	const struct config_batch *b;
	int64_t		 snapshot;

	fixture_import(fx->db, REGISTRY_RISK, "统一社会信用代码,风险等级,"
	    "分类月份\n92360281000000051A,D,2026-04\n", fx->cfg);
	build(fx, "B1");
	b = config_find_batch(fx->cfg, "B1", &t);
	assert_int_equal(db_query_int(fx->db, "SELECT max(id) FROM snapshot",
	    &snapshot), 0);
	assert_int_equal(frame_build(fx->db, fx->cfg, t, b, snapshot,
	    &no_prior, FRAME_KEEP_TEXT | FRAME_REVISIONS, NULL, &slow), 0);
	assert_memory_equal(slow.digest, fx->fr.digest, sizeof(slow.digest));
	assert_int_equal(slow.ntargets, fx->fr.ntargets);
	frame_release(&slow);
}

/*
 * The frame image, walked a record at a time, gives the revisions'
 * frame: every file, the targets kept for a draw, the shape a commit
 * checks (a target of each division, and the conflicted ones).
 */
static void
test_frame__the_image_gives_the_revisions_frame(void **state)
{
	struct fx	*fx = *state;
	struct frame	 fr[2];
	const struct config_task *t;
	const struct config_batch *b;
	int64_t		 snapshot;
	size_t		 i, k;
	int		 flags = FRAME_KEEP_TEXT | FRAME_KEEP_TARGETS |
			    FRAME_KEEP_SHAPE;

	b = config_find_batch(fx->cfg, "B3", &t);
	assert_non_null(b);
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM "
	    "frame_image", &snapshot), 0);
	assert_true(snapshot > 1);
	assert_int_equal(db_query_int(fx->db, "SELECT max(id) FROM snapshot",
	    &snapshot), 0);
	assert_int_equal(frame_build(fx->db, fx->cfg, t, b, snapshot,
	    &no_prior, flags, NULL, &fr[0]), 0);
	assert_int_equal(frame_build(fx->db, fx->cfg, t, b, snapshot,
	    &no_prior, flags | FRAME_REVISIONS, NULL, &fr[1]), 0);
	/* Every class of the plan, the quiet period, the status, a recusal. */
	assert_string_equal(fr[0].text[FRAME_TARGETS],
	    "DSR-1 targets\n"
	    "91360202000000019L\tD\t360202\n"
	    "91360202000000027F\tcertain\t360202\n"
	    "91360202000000078P\tB\t360202\n"
	    "92360281000000051A\tB\t360281\n"
	    "9336028100000006XY\tC\t360281\n");
	assert_string_equal(fr[0].text[FRAME_EXCLUDED],
	    "DSR-1 excluded\n"
	    "91360203000000035Q\tstatus\n"
	    "913602220000000434\tquiet-period\n");
	assert_string_equal(fr[0].text[FRAME_CONFLICTS],
	    "DSR-1 conflicts\n"
	    "A001\t91360202000000019L\trecusal\n");
	for (k = 0; k < 2; k++) {
		assert_memory_equal(fr[k].digest, fr[1 - k].digest,
		    sizeof(fr[k].digest));
		assert_int_equal(fr[k].ntargets, 5);
		assert_int_equal(fr[k].nshape, 3);
		/* 360202 and 360281, then the conflicted target */
		assert_int_equal(fr[k].shape[0].division, 360202);
		assert_int_equal(fr[k].shape[1].division, 360281);
		assert_string_equal(fr[k].shape[2].id, "91360202000000019L");
		assert_int_equal(fr[k].shape[2].division, 360202);
	}
	for (i = 0; i < fr[0].ntargets; i++) {
		assert_string_equal(fr[0].targets[i].id, fr[1].targets[i].id);
		assert_int_equal(fr[0].targets[i].stratum,
		    fr[1].targets[i].stratum);
		assert_int_equal(fr[0].targets[i].division,
		    fr[1].targets[i].division);
	}
	frame_release(&fr[0]);
	frame_release(&fr[1]);
}

/*
 * The sample alone, as the draw reads it, is what dsr_select selects
 * from the whole frame; also when the pick's first bounds are made to
 * miss it, and the file is read again.
 */
static void
load_sample_back(struct fx *fx, const struct frame *k)
{
	struct frame		 back;
	struct dsr_target	*whole;
	unsigned char		 digest[FRAME_NFILES][CRYPTO_DIGEST_BYTES];
	unsigned char		 key[DSR_TICKET_KEY_BYTES];
	uint64_t		 samples[DSR_MAX_STRATA];
	size_t			*want, nwant, *sel, nsel, i, drawn = 0;
	int			 miss;

	memcpy(digest, k->digest, sizeof(digest));
	memset(key, 0x3c, sizeof(key));
	whole = xcalloc(k->ntargets + 1, sizeof(*whole));
	memcpy(whole, k->targets, k->ntargets * sizeof(*whole));
	dsr_tickets(key, whole, k->ntargets);
	for (i = 0; i < k->nstrata; i++) {
		samples[i] = k->strata[i].sample;
		drawn += samples[i];
	}
	assert_true(drawn > 0);		/* the bounds can miss it */
	assert_int_equal(dsr_select(whole, k->ntargets, samples, k->nstrata,
	    &want, &nwant), 0);
	for (miss = 0; miss < 2; miss++) {
		dsr_pick_spare = miss ? -1000000 : 64;
		assert_int_equal(frame_load_sample(fx->db, 4, digest, key,
		    &back, &sel, &nsel), 0);
		assert_int_equal(back.ntargets, k->ntargets);
		assert_int_equal(nsel, nwant);
		for (i = 0; i < nsel; i++)
			assert_string_equal(back.targets[sel[i]].id,
			    whole[want[i]].id);
		frame_release(&back);
		free(sel);
	}
	dsr_pick_spare = 64;
	free(want);
	free(whole);
}

/* What frame_load gives back equals what frame_build kept. */
static void
frame_load_back(struct fx *fx, const struct frame *kept_)
{
	struct frame		 back;
	const struct frame	*k = kept_;
	unsigned char		 digest[FRAME_NFILES][CRYPTO_DIGEST_BYTES];
	size_t			 i;

	memcpy(digest, k->digest, sizeof(digest));
	assert_int_equal(frame_load(fx->db, 4, digest, FRAME_KEEP_TEXT |
	    FRAME_KEEP_TARGETS, NULL, &back), 0);
	assert_memory_equal(back.digest, k->digest, sizeof(k->digest));
	for (i = 0; i < FRAME_NFILES; i++) {
		assert_int_equal(back.len[i], k->len[i]);
		assert_memory_equal(back.text[i], k->text[i], k->len[i]);
	}
	assert_int_equal(back.ntargets, k->ntargets);
	assert_int_equal(back.nexcluded, k->nexcluded);
	assert_int_equal(back.ninspectors, k->ninspectors);
	assert_int_equal(back.nconflicts, k->nconflicts);
	assert_int_equal(back.nstrata, k->nstrata);
	for (i = 0; i < k->nstrata; i++)
		assert_int_equal(back.strata[i].population,
		    k->strata[i].population);
	for (i = 0; i < k->ntargets; i++) {
		assert_string_equal(back.targets[i].id, k->targets[i].id);
		assert_int_equal(back.targets[i].stratum,
		    k->targets[i].stratum);
		assert_int_equal(back.targets[i].division,
		    k->targets[i].division);
	}
	frame_release(&back);
	load_sample_back(fx, k);
}

/* Kept at commit, read back: the same bytes, counts and targets. */
static void
test_frame__kept_frames_load_back(void **state)
{
	struct fx	*fx = *state;
	struct frame	 kept, back;
	const struct config_task *t;
	const struct config_batch *b;
	unsigned char	 digest[FRAME_NFILES][CRYPTO_DIGEST_BYTES];
	int64_t		 nchunks;

	b = config_find_batch(fx->cfg, "B1", &t);
	memset(digest, 0, sizeof(digest));
	/* Nothing kept yet: 1, rebuild. */
	assert_int_equal(frame_load(fx->db, 4, digest, FRAME_KEEP_TARGETS,
	    NULL, &back), 1);
	assert_int_equal(db_begin(fx->db), 0);
	assert_int_equal(frame_build(fx->db, fx->cfg, t, b, 4, &no_prior,
	    FRAME_KEEP_TEXT | FRAME_KEEP_TARGETS | FRAME_STORE, NULL, &kept),
	    0);
	/* Twice: the second finds the files kept, and keeps no copy. */
	assert_int_equal(frame_build(fx->db, fx->cfg, t, b, 4, &no_prior,
	    FRAME_STORE, NULL, &back), 0);
	frame_release(&back);
	assert_int_equal(db_commit(fx->db), 0);
	/* One chunk per file (each is less than one), no copy. */
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM "
	    "frame_chunk", &nchunks), 0);
	assert_int_equal(nchunks, FRAME_NFILES);
	frame_load_back(fx, &kept);
	frame_release(&kept);
	/*
	 * Chunks of a few lines: the files' chunks interleave as they are
	 * written (targets.txt and excluded.txt grow together).
	 */
	assert_int_equal(db_exec(fx->db, "DELETE FROM frame_file; DELETE "
	    "FROM frame_chunk"), 0);
	frame_chunk_bytes = 40;
	assert_int_equal(frame_build(fx->db, fx->cfg, t, b, 4, &no_prior,
	    FRAME_KEEP_TEXT | FRAME_KEEP_TARGETS | FRAME_STORE, NULL, &kept),
	    0);
	frame_chunk_bytes = 1024 * 1024;
	assert_int_equal(db_query_int(fx->db, "SELECT count(*) FROM "
	    "frame_chunk", &nchunks), 0);
	assert_true(nchunks > FRAME_NFILES + 4);
	frame_load_back(fx, &kept);
	memcpy(digest, kept.digest, sizeof(digest));
	/* A changed byte in a kept file is refused. */
	assert_int_equal(db_exec(fx->db, "UPDATE frame_chunk SET data = "
	    "CAST(replace(CAST(data AS TEXT), 'DSR-1', 'DSR-2') AS BLOB)"), 0);
	assert_int_equal(frame_load(fx->db, 4, digest, FRAME_KEEP_TARGETS,
	    NULL, &back), -1);
	frame_release(&kept);
}

static void
test_frame__parse_round_trip_and_errors(void **state)
{
	struct fx	*fx = *state;
	struct frame	 back;
	char		*err = NULL;
	const char	*bad;

	build(fx, "B1");
	assert_int_equal(frame_parse(fx->fr.text[FRAME_TARGETS],
	    fx->fr.len[FRAME_TARGETS], fx->fr.text[FRAME_PARAMETERS],
	    fx->fr.len[FRAME_PARAMETERS], &back, &err), 0);
	assert_int_equal(back.ntargets, 4);
	assert_string_equal(back.targets[3].id, "9336028100000006XY");
	assert_int_equal(back.targets[3].division, 360281);
	assert_string_equal(back.strata[back.targets[1].stratum].name,
	    "certain");
	assert_int_equal(back.nstrata, 5);
	frame_release(&back);
	/* Out of order, an unknown stratum, counts that disagree. */
	bad = "DSR-1 targets\nB\tA\t360202\nA\tA\t360202\n";
	assert_int_equal(frame_parse(bad, strlen(bad),
	    fx->fr.text[FRAME_PARAMETERS], fx->fr.len[FRAME_PARAMETERS],
	    &back, &err), -1);
	assert_string_equal(err, "targets.txt:3: not a DSR-1 target line in "
	    "id order");
	free(err);
	bad = "DSR-1 targets\nA\tE\t360202\n";
	assert_int_equal(frame_parse(bad, strlen(bad),
	    fx->fr.text[FRAME_PARAMETERS], fx->fr.len[FRAME_PARAMETERS],
	    &back, &err), -1);
	free(err);
	bad = "DSR-1 targets\n91360202000000019L\tA\t360202\n";
	assert_int_equal(frame_parse(bad, strlen(bad),
	    fx->fr.text[FRAME_PARAMETERS], fx->fr.len[FRAME_PARAMETERS],
	    &back, &err), -1);
	assert_non_null(strstr(err, "stratum 'certain' has 1 targets, "
	    "targets.txt 0"));
	free(err);
}

static FILE *
file_of_text(const char *text, size_t len)
{
	FILE	*fp;

	fp = tmpfile();
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	rewind(fp);
	return fp;
}

/*
 * The verifier's line-by-line reading: the same frame, its two digests,
 * and for a file that is not a frame's, still the whole file's digests.
 */
static void
test_frame__read_targets_from_a_file(void **state)
{
	struct fx	*fx = *state;
	struct frame	 back;
	unsigned char	 d[CRYPTO_DIGEST_BYTES], want[CRYPTO_DIGEST_BYTES];
	unsigned char	 d512[CRYPTO_DIGEST512_BYTES];
	unsigned char	 want512[CRYPTO_DIGEST512_BYTES];
	struct crypto_digest h;
	char		*err = NULL;
	const char	*bad;
	FILE		*fp;

	build(fx, "B1");
	fp = file_of_text(fx->fr.text[FRAME_TARGETS],
	    fx->fr.len[FRAME_TARGETS]);
	assert_int_equal(frame_read_targets(fp, fx->fr.text[FRAME_PARAMETERS],
	    fx->fr.len[FRAME_PARAMETERS], NULL, &back, d, d512, NULL, NULL,
	    &err), 0);
	fclose(fp);
	assert_null(err);
	assert_memory_equal(d, fx->fr.digest[FRAME_TARGETS], sizeof(d));
	crypto_digest_init(&h, CRYPTO_DIGEST512_BYTES);
	crypto_digest_update(&h, fx->fr.text[FRAME_TARGETS],
	    fx->fr.len[FRAME_TARGETS]);
	crypto_digest_final(&h, want512);
	assert_memory_equal(d512, want512, sizeof(d512));
	assert_int_equal(back.ntargets, fx->fr.ntargets);
	assert_memory_equal(back.targets, fx->fr.targets,
	    back.ntargets * sizeof(*back.targets));
	frame_release(&back);
	/* The last line without its newline. */
	fp = file_of_text(fx->fr.text[FRAME_TARGETS],
	    fx->fr.len[FRAME_TARGETS] - 1);
	assert_int_equal(frame_read_targets(fp, fx->fr.text[FRAME_PARAMETERS],
	    fx->fr.len[FRAME_PARAMETERS], NULL, &back, d, NULL, NULL, NULL,
	    &err), 0);
	fclose(fp);
	assert_string_equal(err, "targets.txt:5: no newline at the end");
	assert_null(back.targets);
	free(err);
	/* A bad line early: the rest is still read into the digests. */
	bad = "DSR-1 targets\nB\tA\t360202\nA\tA\t360202\nC\tA\t360202\n";
	fp = file_of_text(bad, strlen(bad));
	assert_int_equal(frame_read_targets(fp, fx->fr.text[FRAME_PARAMETERS],
	    fx->fr.len[FRAME_PARAMETERS], NULL, &back, d, d512, NULL, NULL,
	    &err), 0);
	fclose(fp);
	assert_string_equal(err, "targets.txt:3: not a DSR-1 target line in "
	    "id order");
	assert_null(back.targets);
	free(err);
	crypto_digest(bad, strlen(bad), want);
	assert_memory_equal(d, want, sizeof(d));
	crypto_digest_init(&h, CRYPTO_DIGEST512_BYTES);
	crypto_digest_update(&h, bad, strlen(bad));
	crypto_digest_final(&h, want512);
	assert_memory_equal(d512, want512, sizeof(d512));
	/* Parameters that are not a frame's: said, and the file hashed. */
	fp = file_of_text(fx->fr.text[FRAME_TARGETS],
	    fx->fr.len[FRAME_TARGETS]);
	assert_int_equal(frame_read_targets(fp, "DSR-1 nothing\n", 14, NULL,
	    &back, d, NULL, NULL, NULL, &err), 0);
	fclose(fp);
	assert_non_null(err);
	assert_memory_equal(d, fx->fr.digest[FRAME_TARGETS], sizeof(d));
	free(err);
}

/* Line number (from 1) of a text: where it starts, its length. */
static void
line_at(struct buf *text, size_t number, char **at, size_t *len)
{
	char	*p = text->data, *end = p + text->len, *nl;

	for (; number > 1; number--) {
		assert_non_null(nl = memchr(p, '\n', (size_t)(end - p)));
		p = nl + 1;
	}
	assert_non_null(nl = memchr(p, '\n', (size_t)(end - p)));
	*at = p;
	*len = (size_t)(nl - p);
}

/*
 * With a ticket key, only the sample is kept: the targets dsr_select
 * picks from the whole frame, in id order, and the selection's order.
 */
static void
test_frame__read_targets_keeps_the_sample(void **state)
{
	static const char *const names[3] = { "certain", "A", "B" };
	struct frame		 whole, back;
	struct buf		 targets = BUF_INIT, parameters = BUF_INIT;
	unsigned char		 d[CRYPTO_DIGEST_BYTES], key[16];
	uint64_t		 samples[DSR_MAX_STRATA], count[3] = { 0 };
	/* file lines: around blocks of 1024 data lines, and inside one */
	static const size_t	 swap[] = { 2, 500, 1024, 1025, 1026, 2049,
	    3073, 4096, 4097, 5000 };
	struct buf		 scrambled = BUF_INIT;
	unsigned char		 whole_digest[CRYPTO_DIGEST_BYTES];
	size_t			*want, nwant, *sel = NULL, nsel = 0, i, n = 5000;
	size_t			 alen, blen;
	char			*err = NULL, *a, *b, tmp[64], want_err[80];
	const char		*bad;
	FILE			*fp;
	int			 miss;

	(void)state;
	buf_addstr(&targets, "DSR-1 targets\n");
	for (i = 0; i < n; i++) {
		count[i < 3 ? 0 : 1 + i % 7 / 4]++;
		buf_printf(&targets, "91360202%010zu\t%s\t360202\n", i,
		    names[i < 3 ? 0 : 1 + i % 7 / 4]);
	}
	buf_printf(&parameters, "DSR-1 parameters\nstratum certain %llu 1/1 "
	    "- - %llu\nstratum A %llu 5/100 - - %llu\nstratum B %llu 1/2 - - "
	    "%llu\n", (unsigned long long)count[0],
	    (unsigned long long)count[0], (unsigned long long)count[1],
	    (unsigned long long)count[1] / 20, (unsigned long long)count[2],
	    (unsigned long long)count[2] / 2);
	assert_int_equal(frame_parse(targets.data, targets.len,
	    parameters.data, parameters.len, &whole, &err), 0);
	crypto_digest(targets.data, targets.len, whole_digest);
	memset(key, 0x5c, sizeof(key));
	dsr_tickets(key, whole.targets, whole.ntargets);
	for (i = 0; i < whole.nstrata; i++)
		samples[i] = whole.strata[i].sample;
	assert_int_equal(dsr_select(whole.targets, whole.ntargets, samples,
	    whole.nstrata, &want, &nwant), 0);
	assert_int_equal(nwant, 3 + count[1] / 20 + count[2] / 2);
	/* Also when the first bounds miss the sample: read again. */
	for (miss = 0; miss < 2; miss++) {
		dsr_pick_spare = miss ? -1000000 : 64;
		fp = file_of_text(targets.data, targets.len);
		assert_int_equal(frame_read_targets(fp, parameters.data,
		    parameters.len, key, &back, d, NULL, &sel, &nsel, &err),
		    0);
		fclose(fp);
		assert_null(err);
		assert_memory_equal(d, whole_digest, sizeof(d));
		assert_int_equal(back.ntargets, n);
		assert_int_equal(nsel, nwant);
		for (i = 0; i < nsel; i++) {
			assert_string_equal(back.targets[sel[i]].id,
			    whole.targets[want[i]].id);
			assert_memory_equal(back.targets[sel[i]].ticket,
			    whole.targets[want[i]].ticket, DSR_TICKET_BYTES);
			assert_int_equal(back.targets[sel[i]].stratum,
			    whole.targets[want[i]].stratum);
			if (i > 0)
				assert_true(strcmp(back.targets[i - 1].id,
				    back.targets[i].id) < 0);
		}
		frame_release(&back);
		free(sel);
	}
	dsr_pick_spare = 64;
	/*
	 * Two lines out of order where the file's blocks of lines change
	 * threads, and within a block: the second line is named.
	 */
	for (i = 0; i < sizeof(swap) / sizeof(swap[0]); i++) {
		buf_reset(&scrambled);
		buf_add(&scrambled, targets.data, targets.len);
		line_at(&scrambled, swap[i], &a, &alen);
		line_at(&scrambled, swap[i] + 1, &b, &blen);
		assert_int_equal(alen, blen);
		memcpy(tmp, a, alen);
		memmove(a, b, blen);
		memcpy(b, tmp, alen);
		fp = file_of_text(scrambled.data, scrambled.len);
		sel = NULL;
		assert_int_equal(frame_read_targets(fp, parameters.data,
		    parameters.len, key, &back, d, NULL, &sel, &nsel, &err),
		    0);
		fclose(fp);
		snprintf(want_err, sizeof(want_err), "targets.txt:%zu: not a "
		    "DSR-1 target line in id order", swap[i] + 1);
		assert_non_null(err);
		assert_string_equal(err, want_err);
		assert_null(back.targets);
		assert_null(sel);
		free(err);
		err = NULL;
	}
	buf_release(&scrambled);
	frame_release(&whole);
	free(want);
	/* A line out of order is the same error as without a key. */
	bad = "DSR-1 targets\n913602020000000002\tA\t360202\n"
	    "913602020000000001\tA\t360202\n";
	fp = file_of_text(bad, strlen(bad));
	sel = NULL;
	assert_int_equal(frame_read_targets(fp, parameters.data,
	    parameters.len, key, &back, d, NULL, &sel, &nsel, &err), 0);
	fclose(fp);
	assert_string_equal(err, "targets.txt:3: not a DSR-1 target line in "
	    "id order");
	assert_null(back.targets);
	assert_null(sel);
	free(err);
	buf_release(&targets);
	buf_release(&parameters);
}

/* The summary's records come out by key, each naming its rank once. */
static void
test_frame__selection_keys_by_key_with_their_ranks(void **state)
{
	struct frame	 fr;
	struct buf	 out = BUF_INIT;
	const unsigned char *p;
	unsigned char	*seen;
	uint64_t	*by_id;
	size_t		 n = 200000, nsel = 70000, i, *sel, at, prev = 0;
	uint32_t	 rank;

	(void)state;
	memset(&fr, 0, sizeof(fr));
	fr.ntargets = n;
	fr.targets = calloc(n, sizeof(*fr.targets));
	sel = calloc(nsel, sizeof(*sel));
	seen = calloc(nsel + 1, 1);
	assert_non_null(fr.targets);
	assert_non_null(sel);
	assert_non_null(seen);
	for (i = 0; i < n; i++)
		snprintf(fr.targets[i].id, sizeof(fr.targets[i].id), "%018zu",
		    i * 7 + 3);
	/* distinct targets in no order (65537 is prime to n) */
	for (i = 0; i < nsel; i++)
		sel[i] = (i * 65537 + 11) % n;
	by_id = frame_selection_by_id(sel, nsel);
	frame_selection_keys(&fr, by_id, nsel, &out);
	assert_int_equal(out.len, nsel * 16);
	for (i = 0, p = (const unsigned char *)out.data; i < nsel; i++,
	    p += 16) {
		rank = (uint32_t)p[12] | (uint32_t)p[13] << 8 |
		    (uint32_t)p[14] << 16 | (uint32_t)p[15] << 24;
		assert_true(rank >= 1 && rank <= nsel);
		assert_false(seen[rank]);
		seen[rank] = 1;
		at = sel[rank - 1];
		assert_true(i == 0 || at > prev);
		prev = at;
		/* the key's last word: the id's last six digits, 5 bits each */
		assert_int_equal((uint32_t)p[8] | (uint32_t)p[9] << 8 |
		    (uint32_t)p[10] << 16 | (uint32_t)p[11] << 24,
		    last_word(fr.targets[at].id));
	}
	buf_release(&out);
	free(by_id);
	free(fr.targets);
	free(sel);
	free(seen);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_frame__targets_strata_and_exclusions, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_frame__exempt_task_ignores_the_quiet_period, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_frame__inspectors_and_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_frame__parameters_and_sample_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_frame__digests_are_of_the_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_frame__a_later_snapshot_does_not_change_an_earlier_frame,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_frame__current_tables_give_the_revisions_frame, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_frame__the_image_gives_the_revisions_frame, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_frame__kept_frames_load_back, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_frame__parse_round_trip_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_frame__read_targets_from_a_file, setup, teardown),
		cmocka_unit_test(test_frame__read_targets_keeps_the_sample),
		cmocka_unit_test(
		    test_frame__selection_keys_by_key_with_their_ranks),
	};
	int	 rc;

	crypto_setup();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	fixture_done();
	return rc;
}
