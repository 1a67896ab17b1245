/*
 * Verifying a draw from its bundle alone (docs/protocol.md §10): no
 * database, no plan -- digests, signatures and their trusted comments,
 * the commitment, the reveals, the beacon, the seed, every ticket, the
 * selection, the teams and the replacements. What ssj verify runs, and
 * what tests run on the vectors.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "buf.h"
#include "bundle.h"
#include "calendar.h"
#include "crypto.h"
#include "dsr.h"
#include "file.h"
#include "frame.h"
#include "keys.h"
#include "minisig.h"
#include "num.h"
#include "team.h"
#include "verify.h"
#include "xmalloc.h"

struct bundle {
	const char		*dir;
	struct manifest		 m;
	struct buf		 files[16];	/* contents, manifest order */
	int			 have[16];
	struct commitment	 c;
	struct beacon		 bc;
	struct pubkey		 pk;
	int64_t			 ledger;	/* of the signatures; -2: unset */
	struct verify_result	*res;
};

/* A difference: the first one ends the verification (exit 1). */
static int differ(struct bundle *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* The first difference is kept; it ends the verification (status 1). */
static int
differ(struct bundle *b, const char *fmt, ...)
{
	struct buf	 msg = BUF_INIT;
	va_list		 ap;

	if (b->res->difference == NULL) {
		va_start(ap, fmt);
		buf_vprintf(&msg, fmt, ap);
		va_end(ap);
		b->res->difference = buf_detach(&msg, NULL);
	}
	b->res->status = VERIFY_DIFFERS;
	return -1;
}

#define TARGETS	"frame/targets.txt"

static const struct buf *
file_of(const struct bundle *b, const char *path)
{
	size_t	 i;

	for (i = 0; i < b->m.nfiles && i < 16; i++)
		if (strcmp(b->m.files[i].path, path) == 0 && b->have[i])
			return &b->files[i];
	return NULL;
}

static const struct bundle_file *
entry_of(const struct bundle *b, const char *path)
{
	size_t	 i;

	for (i = 0; i < b->m.nfiles; i++)
		if (strcmp(b->m.files[i].path, path) == 0)
			return &b->m.files[i];
	return NULL;
}

/* What each file's signature must say it is. */
static const char *
kind_of(const char *path)
{
	if (strcmp(path, "manifest.txt") == 0)
		return "manifest";
	if (strcmp(path, "commitment.txt") == 0)
		return "commitment";
	if (strcmp(path, "beacon.json") == 0)
		return "beacon";
	if (strcmp(path, "selection.txt") == 0)
		return "selection";
	if (strcmp(path, "teams.txt") == 0)
		return "teams";
	if (strcmp(path, "replacements.txt") == 0)
		return "replacements";
	if (strcmp(path, "names.txt") == 0)
		return "names";
	if (strncmp(path, "frame/", 6) == 0)
		return "frame";
	return NULL;
}

/*
 * A signature over the right bytes is not enough: its trusted comment
 * must say it is this kind of file of this batch, from the same ledger
 * entry as every other file of the bundle.
 */
static int
check_signature(struct bundle *b, const char *dir, const char *path)
{
	struct sig_fields	 f;
	const char		*kind = kind_of(path);
	char			*full;
	int			 rc, ret = -1;

	full = xasprintf("%s/%s", dir, path);
	rc = minisig_verify_file(full, NULL, &b->pk, &f);
	free(full);
	if (rc != 0)
		return differ(b, "%s: its signature does not verify", path);
	full = xasprintf("%s/%s", dir, path);
	rc = minisig_canonical(full);
	free(full);
	if (rc != 0) {
		sig_fields_release(&f);
		return differ(b, "%s.minisig: changed where no signature "
		    "covers it", path);
	}
	if (kind == NULL || strcmp(f.kind, kind) != 0)
		differ(b, "%s: signed as a '%s' file, not a '%s' one", path,
		    f.kind, kind ? kind : "?");
	else if (f.id == NULL || strcmp(f.id, b->m.batch) != 0)
		differ(b, "%s: signed for batch '%s', not '%s'", path,
		    f.id ? f.id : "(none)", b->m.batch);
	else if (b->ledger != -2 && f.ledger != b->ledger)
		differ(b, "%s: signed for ledger entry %lld, the other files "
		    "for %lld", path, (long long)f.ledger,
		    (long long)b->ledger);
	else {
		b->ledger = f.ledger;
		ret = 0;
	}
	sig_fields_release(&f);
	return ret;
}

/* 1. Every listed file: its digest and its signature. */
static int
check_files(struct bundle *b)
{
	unsigned char		 d[CRYPTO_DIGEST_BYTES];
	unsigned char		 d512[CRYPTO_DIGEST512_BYTES];
	char			*path;
	size_t			 i;

	if (b->m.nfiles > 16)
		return differ(b, "the manifest lists %zu files; a DSR-1 bundle "
		    "has at most 16", b->m.nfiles);
	b->ledger = -2;
	if (check_signature(b, b->dir, "manifest.txt") == -1)
		return -1;
	for (i = 0; i < b->m.nfiles; i++) {
		if (b->m.files[i].withheld)
			continue;
		path = xasprintf("%s/%s", b->dir, b->m.files[i].path);
		/* The largest file is read line by line in step 5. */
		if (strcmp(b->m.files[i].path, TARGETS) == 0 ?
		    crypto_prehash_file(path, d512, d) == -1 :
		    file_read(path, &b->files[i]) == -1) {
			free(path);
			return differ(b, "%s: listed in the manifest but not "
			    "readable", b->m.files[i].path);
		}
		b->have[i] = 1;
		if (strcmp(b->m.files[i].path, TARGETS) != 0)
			crypto_digest(b->files[i].data, b->files[i].len, d);
		if (memcmp(d, b->m.files[i].digest, sizeof(d)) != 0) {
			free(path);
			return differ(b, "%s: its digest differs from the "
			    "manifest's", b->m.files[i].path);
		}
		free(path);
		if (strcmp(b->m.files[i].path, "ssj.pub") != 0 &&
		    check_signature(b, b->dir, b->m.files[i].path) == -1)
			return -1;
	}
	return 0;
}

/* 2-4. The commitment, the reveals, the secret, the beacon, the seed. */
static int
check_seed(struct bundle *b)
{
	const struct buf		*cm, *bj;
	const struct bundle_file	*bf;
	struct dsr_reveal		*rv = NULL;
	unsigned char			 h[CRYPTO_DIGEST_BYTES], seed[32];
	unsigned char			 cd[CRYPTO_DIGEST_BYTES];
	int64_t				 created;
	char				*err = NULL, path[64];
	size_t				 i;
	int				 ret = -1;

	if ((cm = file_of(b, "commitment.txt")) == NULL ||
	    (bj = file_of(b, "beacon.json")) == NULL)
		return differ(b, "the bundle has no commitment.txt or "
		    "beacon.json");
	crypto_digest(cm->data, cm->len, cd);
	if (memcmp(cd, b->m.commitment, sizeof(cd)) != 0)
		return differ(b, "commitment.txt: its digest is not the "
		    "manifest's commitment-blake2b-256");
	if (commitment_parse(cm->data, cm->len, &b->c, &err) == -1) {
		differ(b, "commitment.txt:%s", err + (strncmp(err, "line ",
		    5) == 0 ? 5 : 0));
		free(err);
		return -1;
	}
	if (strcmp(b->c.batch, b->m.batch) != 0)
		return differ(b, "the commitment is of batch '%s', the "
		    "manifest of '%s'", b->c.batch, b->m.batch);
	/* The round named must not have been out when it was named. */
	if (timestamp_parse(b->c.created, &created) == -1)
		return differ(b, "commitment.txt: 'created' is not a UTC "
		    "timestamp");
	if ((uint64_t)created >= b->c.genesis + (b->c.round - 1) *
	    b->c.period)
		return differ(b, "the commitment was made at %s, when its "
		    "beacon round %llu was already out", b->c.created,
		    (unsigned long long)b->c.round);
	for (i = 0; i < FRAME_NFILES; i++) {
		snprintf(path, sizeof(path), "frame/%s", frame_file_names[i]);
		if ((bf = entry_of(b, path)) == NULL)
			return differ(b, "the manifest does not list %s", path);
		if (memcmp(bf->digest, b->c.frame[i], CRYPTO_DIGEST_BYTES) !=
		    0)
			return differ(b, "%s: its digest is not the one "
			    "committed", path);
	}
	if (b->m.nreveals != b->c.nwitnesses)
		return differ(b, "%zu witnesses committed, %zu revealed",
		    b->c.nwitnesses, b->m.nreveals);
	rv = xcalloc(b->m.nreveals + 1, sizeof(*rv));
	for (i = 0; i < b->m.nreveals; i++) {
		if (strcmp(b->m.reveals[i].name, b->c.witnesses[i].name) != 0) {
			differ(b, "reveal %zu is of '%s', the commitment's "
			    "witness %zu is '%s'", i + 1, b->m.reveals[i].name,
			    i + 1, b->c.witnesses[i].name);
			goto out;
		}
		crypto_digest(b->m.reveals[i].value, b->m.reveals[i].len, h);
		if (memcmp(h, b->c.witnesses[i].hash, sizeof(h)) != 0) {
			differ(b, "the value revealed for witness '%s' does "
			    "not match its committed hash",
			    b->m.reveals[i].name);
			goto out;
		}
		rv[i].name = b->m.reveals[i].name;
		rv[i].value = b->m.reveals[i].value;
		rv[i].len = b->m.reveals[i].len;
	}
	crypto_digest(b->m.secret, sizeof(b->m.secret), h);
	if (memcmp(h, b->c.secret_hash, sizeof(h)) != 0) {
		differ(b, "the server secret does not match its committed "
		    "hash");
		goto out;
	}
	if (beacon_parse(bj->data, bj->len, &b->bc, &err) == -1) {
		differ(b, "beacon.json: %s", err);
		goto out;
	}
	if (b->bc.round != b->c.round || b->m.round != b->c.round) {
		differ(b, "the beacon record is of round %llu; the commitment "
		    "names round %llu", (unsigned long long)b->bc.round,
		    (unsigned long long)b->c.round);
		goto out;
	}
	if (memcmp(b->bc.randomness, b->m.randomness, 32) != 0) {
		differ(b, "the manifest's beacon-randomness is not the "
		    "record's");
		goto out;
	}
	dsr_seed(cd, b->bc.randomness, rv, b->m.nreveals, b->m.secret, seed);
	if (memcmp(seed, b->m.seed, sizeof(seed)) != 0) {
		differ(b, "the seed recomputed from the commitment, the "
		    "beacon, the reveals and the secret is not the manifest's");
		goto out;
	}
	ret = 0;
out:
	free(err);
	free(rv);
	return ret;
}

/* The first line where two texts differ, 1-based, and both lines. */
static size_t
first_line_diff(const char *a, size_t alen, const char *b, size_t blen,
    char **aline, char **bline)
{
	const char	*ae = a + alen, *be = b + blen, *an, *bn;
	size_t		 line;

	for (line = 1; ; line++) {
		an = memchr(a, '\n', (size_t)(ae - a));
		bn = memchr(b, '\n', (size_t)(be - b));
		an = an != NULL ? an : ae;
		bn = bn != NULL ? bn : be;
		if (an - a != bn - b || memcmp(a, b, (size_t)(an - a)) != 0 ||
		    (an == ae) != (bn == be)) {
			*aline = xstrndup(a, (size_t)(an - a));
			*bline = xstrndup(b, (size_t)(bn - b));
			return line;
		}
		if (an == ae)
			return 0;
		a = an + 1;
		b = bn + 1;
	}
}

/* Splits a line of replacements.txt into its six fields, in place. */
static int
replacement_fields(char *line, char **f)
{
	size_t	 i;

	for (i = 0; i < 6; i++) {
		f[i] = line;
		line = strchr(line, '\t');
		if ((line == NULL) != (i == 5))
			return -1;
		if (line != NULL)
			*line++ = '\0';
	}
	return 0;
}

/* §9.6: each replacement of replacements.txt, replayed in order. */
static int
check_replacements(struct bundle *b, const struct team_frame *tf,
    struct team_state *st, const struct team_target *tt)
{
	const struct buf	*rp;
	unsigned char		 key[DSR_STREAM_KEY_BYTES];
	char			*text, *line, *nl, *f[6], *err = NULL;
	size_t			 n = 0, t, slot;
	uint64_t		 u;
	uint32_t		 chosen;
	long			 old;
	int			 ret = -1;

	if ((rp = file_of(b, "replacements.txt")) == NULL)
		return differ(b, "the bundle has no replacements.txt");
	text = xstrndup(rp->data, rp->len);
	if (strncmp(text, "DSR-1 replacements\n", 19) != 0) {
		differ(b, "replacements.txt:1: not a DSR-1 replacements file");
		goto out;
	}
	for (line = text + 19; *line != '\0'; line = nl + 1) {
		n++;
		if ((nl = strchr(line, '\n')) == NULL) {
			differ(b, "replacements.txt:%zu: no newline at the end",
			    n + 1);
			goto out;
		}
		*nl = '\0';
		if (replacement_fields(line, f) == -1 ||
		    num_parse_u64(f[0], n, n, &u) == -1 ||
		    f[5][0] == '\0') {
			differ(b, "replacements.txt:%zu: not replacement %zu",
			    n + 1, n);
			goto out;
		}
		for (t = 0; t < st->ntargets && strcmp(tt[t].id, f[1]) != 0;
		    t++)
			;
		if (t == st->ntargets || (old = team_find(tf, f[3])) < 0) {
			differ(b, "replacements.txt:%zu: '%s' is not selected "
			    "or '%s' not in the frame", n + 1, f[1], f[3]);
			goto out;
		}
		dsr_replace_key(b->m.seed, n, key);
		if (team_replace(tf, st, tt, t, (uint32_t)old, key, &slot,
		    &chosen, &err) == -1) {
			differ(b, "replacements.txt:%zu: %s", n + 1, err);
			goto out;
		}
		if (num_parse_u64(f[2], slot, slot, &u) == -1 ||
		    strcmp(f[4], tf->inspectors[chosen].cred) != 0) {
			differ(b, "replacements.txt:%zu: slot %s of '%s' went "
			    "to '%s'; replayed, slot %zu goes to '%s'", n + 1,
			    f[2], f[1], f[4], slot,
			    tf->inspectors[chosen].cred);
			goto out;
		}
	}
	if (n != b->m.replacements) {
		differ(b, "%zu replacements in replacements.txt, %llu in the "
		    "manifest", n, (unsigned long long)b->m.replacements);
		goto out;
	}
	ret = 0;
out:
	crypto_wipe(key, sizeof(key));
	free(err);
	free(text);
	return ret;
}

/* §9.4-9.6 from the frames: every team, then every replacement. */
static int
check_teams(struct bundle *b, const struct frame *fr, const size_t *idx,
    size_t n)
{
	const struct buf	*in, *cf, *pm, *tm;
	struct team_frame	 tf;
	struct team_state	 st;
	struct team_target	*tt;
	struct buf		 text = BUF_INIT;
	unsigned char		 key[DSR_STREAM_KEY_BYTES];
	char			*err = NULL, *mine = NULL, *theirs = NULL;
	size_t			 i, line;
	int			 ret = -1;

	memset(&st, 0, sizeof(st));
	if ((in = file_of(b, "frame/inspectors.txt")) == NULL ||
	    (cf = file_of(b, "frame/conflicts.txt")) == NULL ||
	    (pm = file_of(b, "frame/parameters.txt")) == NULL ||
	    (tm = file_of(b, "teams.txt")) == NULL)
		return differ(b, "a full bundle needs frame/inspectors.txt, "
		    "frame/conflicts.txt and teams.txt");
	if (team_frame_parse(in->data, in->len, cf->data, cf->len, pm->data,
	    pm->len, &tf, &err) == -1) {
		differ(b, "frame/%s", err);
		free(err);
		return -1;
	}
	tt = xcalloc(n + 1, sizeof(*tt));
	for (i = 0; i < n; i++) {
		tt[i].id = fr->targets[idx[i]].id;
		tt[i].division = fr->targets[idx[i]].division;
	}
	dsr_team_key(b->m.seed, key);
	if (team_assign(&tf, key, tt, n, &st) == 1) {
		differ(b, "the frames cannot staff the selection: %s",
		    st.unstaffed[0]);
		goto out;
	}
	team_write(&tf, &st, tt, &text);
	if ((line = first_line_diff(tm->data, tm->len, text.data, text.len,
	    &theirs, &mine)) != 0) {
		differ(b, "teams.txt:%zu: '%s', replayed '%s'", line, theirs,
		    mine);
		goto out;
	}
	ret = check_replacements(b, &tf, &st, tt);
out:
	crypto_wipe(key, sizeof(key));
	free(mine);
	free(theirs);
	free(tt);
	buf_release(&text);
	team_state_release(&st);
	team_frame_release(&tf);
	return ret;
}

/* 5. With the full frames: every ticket and the whole selection. */
static int
check_full(struct bundle *b, size_t *ntargets)
{
	const struct buf	*pm, *sl;
	const struct bundle_file *tg;
	struct frame		 fr;
	struct selected		*sel = NULL;
	unsigned char		 key[DSR_TICKET_KEY_BYTES];
	unsigned char		 d[CRYPTO_DIGEST_BYTES];
	uint64_t		 samples[DSR_MAX_STRATA];
	size_t			*idx = NULL, nidx = 0, nsel = 0, i;
	const struct dsr_target	*t;
	char			*err = NULL, *path;
	FILE			*fp;
	int			 ret = -1;

	memset(&fr, 0, sizeof(fr));
	if ((tg = entry_of(b, TARGETS)) == NULL || tg->withheld ||
	    (pm = file_of(b, "frame/parameters.txt")) == NULL ||
	    (sl = file_of(b, "selection.txt")) == NULL)
		return differ(b, "a full bundle needs frame/targets.txt, "
		    "frame/parameters.txt and selection.txt");
	path = xasprintf("%s/%s", b->dir, TARGETS);
	fp = fopen(path, "r");
	free(path);
	if (fp == NULL)
		return differ(b, "%s: not readable", TARGETS);
	if (frame_read_targets(fp, pm->data, pm->len, &fr, d, &err) == -1) {
		fclose(fp);
		differ(b, "frame/%s", err);
		goto out;
	}
	fclose(fp);
	/* Read twice: it must not have changed in between. */
	if (memcmp(d, tg->digest, sizeof(d)) != 0) {
		differ(b, "%s: its digest differs from the manifest's",
		    TARGETS);
		goto out;
	}
	if (selection_parse(sl->data, sl->len, 0, &sel, &nsel, &err) == -1) {
		differ(b, "selection.txt:%s", err + (strncmp(err, "line ", 5)
		    == 0 ? 5 : 0));
		goto out;
	}
	for (i = 0; i < fr.nstrata; i++) {
		if (dsr_sample_size(fr.strata[i].population, fr.strata[i].num,
		    fr.strata[i].den, fr.strata[i].min, fr.strata[i].max,
		    &samples[i]) == -1 || samples[i] != fr.strata[i].sample) {
			differ(b, "stratum '%s': n_h is %llu by the rule, %llu "
			    "in parameters.txt", fr.strata[i].name,
			    (unsigned long long)samples[i],
			    (unsigned long long)fr.strata[i].sample);
			goto out;
		}
		if (i >= b->m.nstrata || strcmp(b->m.strata[i].name,
		    fr.strata[i].name) != 0 || b->m.strata[i].population !=
		    fr.strata[i].population || b->m.strata[i].sample !=
		    samples[i]) {
			differ(b, "stratum '%s': the manifest's counts differ "
			    "from the frame's", fr.strata[i].name);
			goto out;
		}
	}
	dsr_ticket_key(b->m.seed, key);
	dsr_tickets(key, fr.targets, fr.ntargets);
	if (dsr_select(fr.targets, fr.ntargets, samples, fr.nstrata, &idx,
	    &nidx) == -1) {
		differ(b, "the selection cannot be made from the frame");
		goto out;
	}
	for (i = 0; i < nidx && i < nsel; i++) {
		t = &fr.targets[idx[i]];
		if (strcmp(t->id, sel[i].id) != 0) {
			differ(b, "selection.txt rank %zu: '%s' selected, '%s' "
			    "recomputed", i + 1, sel[i].id, t->id);
			goto out;
		}
		if (memcmp(t->ticket, sel[i].ticket, DSR_TICKET_BYTES) != 0 ||
		    strcmp(fr.strata[t->stratum].name, sel[i].stratum) != 0) {
			differ(b, "selection.txt rank %zu: the ticket or "
			    "stratum of '%s' differs", i + 1, t->id);
			goto out;
		}
	}
	if (nidx != nsel || nsel != b->m.selected) {
		differ(b, "%zu targets selected in selection.txt, %zu "
		    "recomputed, %llu in the manifest", nsel, nidx,
		    (unsigned long long)b->m.selected);
		goto out;
	}
	if (check_teams(b, &fr, idx, nidx) == -1)
		goto out;
	*ntargets = fr.ntargets;
	ret = 0;
out:
	crypto_wipe(key, sizeof(key));
	free(err);
	free(sel);
	free(idx);
	frame_release(&fr);
	return ret;
}

/* The value of a "NAME N" line of parameters.txt, or -1. */
static long
parameter(const struct buf *pm, const char *name)
{
	const char	*p = pm->data;
	size_t		 n = strlen(name);

	for (; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 :
	    NULL)
		if (strncmp(p, name, n) == 0 && p[n] == ' ')
			return strtol(p + n + 1, NULL, 10);
	return -1;
}

/* The members of a `;`-separated list, or 0 for "-". */
static size_t
members(const char *s, size_t len)
{
	size_t	 i, n = 1;

	if (len == 1 && s[0] == '-')
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] == ';')
			n++;
	return n;
}

/*
 * 6. A public bundle's teams: one line per selected target in rank
 * order, teams of the size parameters.txt gives; replacements counted.
 */
static int
check_public_teams(struct bundle *b, const struct selected *sel, size_t nsel)
{
	const struct buf	*tm, *rp, *pm;
	const char		*p, *end, *nl, *f[5];
	long			 size, experts;
	size_t			 i, k, n = 0;
	uint64_t		 u;

	if ((tm = file_of(b, "teams.txt")) == NULL ||
	    (rp = file_of(b, "replacements.txt")) == NULL ||
	    (pm = file_of(b, "frame/parameters.txt")) == NULL)
		return differ(b, "the bundle has no teams.txt, "
		    "replacements.txt or frame/parameters.txt");
	size = parameter(pm, "team-size");
	experts = parameter(pm, "experts");
	p = tm->data;
	end = tm->data + tm->len;
	if (tm->len < 12 || memcmp(p, "DSR-1 teams\n", 12) != 0)
		return differ(b, "teams.txt:1: not a DSR-1 teams file");
	for (p += 12, i = 0; p < end; p = nl + 1, i++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return differ(b, "teams.txt: no newline at the end");
		f[0] = p;
		for (k = 1; k < 5; k++)
			if ((f[k] = memchr(f[k - 1], '\t', (size_t)(nl -
			    f[k - 1]))) == NULL)
				break;
			else
				f[k]++;
		if (k < 5 || memchr(f[4], '\t', (size_t)(nl - f[4])) != NULL ||
		    i >= nsel || num_parse_u64n(f[0], (size_t)(f[1] - f[0] - 1),
		    i + 1, i + 1, &u) == -1 ||
		    (size_t)(f[2] - f[1] - 1) != strlen(sel[i].id) ||
		    memcmp(f[1], sel[i].id, strlen(sel[i].id)) != 0 ||
		    members(f[3], (size_t)(f[4] - f[3] - 1)) != (size_t)size ||
		    members(f[4], (size_t)(nl - f[4])) != (size_t)experts)
			return differ(b, "teams.txt:%zu: not the team of the "
			    "target of rank %zu, of %ld inspectors and %ld "
			    "experts", i + 2, i + 1, size, experts);
	}
	if (i != nsel)
		return differ(b, "teams.txt has %zu teams for %zu selected "
		    "targets", i, nsel);
	if (rp->len < 19 || memcmp(rp->data, "DSR-1 replacements\n", 19) != 0)
		return differ(b, "replacements.txt:1: not a DSR-1 replacements "
		    "file");
	for (p = rp->data + 19, end = rp->data + rp->len; p < end; p = nl + 1,
	    n++)
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return differ(b, "replacements.txt: no newline at the "
			    "end");
	if (n != b->m.replacements)
		return differ(b, "%zu replacements in replacements.txt, %llu in "
		    "the manifest", n, (unsigned long long)b->m.replacements);
	return 0;
}

/* 6. A public bundle: the tickets of the selected, and the counts. */
static int
check_public(struct bundle *b)
{
	const struct buf	*sl;
	struct selected		*sel = NULL;
	unsigned char		 key[DSR_TICKET_KEY_BYTES];
	unsigned char		 t[DSR_TICKET_BYTES];
	uint64_t		 total = 0;
	size_t			 nsel = 0, i;
	char			*err = NULL;
	int			 ret = -1;

	if ((sl = file_of(b, "selection.txt")) == NULL)
		return differ(b, "the bundle has no selection.txt");
	if (selection_parse(sl->data, sl->len, 1, &sel, &nsel, &err) == -1) {
		differ(b, "selection.txt:%s", err + (strncmp(err, "line ", 5)
		    == 0 ? 5 : 0));
		goto out;
	}
	dsr_ticket_key(b->m.seed, key);
	for (i = 0; i < nsel; i++) {
		dsr_ticket(key, sel[i].id, strlen(sel[i].id), t);
		if (memcmp(t, sel[i].ticket, sizeof(t)) != 0) {
			differ(b, "selection.txt rank %zu: the ticket of '%s' "
			    "is not the one the seed gives", i + 1, sel[i].id);
			goto out;
		}
		if (i > 0 && memcmp(sel[i - 1].ticket, sel[i].ticket,
		    sizeof(t)) > 0) {
			differ(b, "selection.txt rank %zu: not in ticket order",
			    i + 1);
			goto out;
		}
	}
	for (i = 0; i < b->m.nstrata; i++)
		total += b->m.strata[i].sample;
	if (nsel != b->m.selected || total != b->m.selected) {
		differ(b, "%zu targets in selection.txt, %llu in the manifest, "
		    "%llu in its strata", nsel,
		    (unsigned long long)b->m.selected,
		    (unsigned long long)total);
		goto out;
	}
	ret = check_public_teams(b, sel, nsel);
out:
	crypto_wipe(key, sizeof(key));
	free(err);
	free(sel);
	return ret;
}

int
verify_bundle(const char *dir, const char *pubpath, struct verify_result *res)
{
	struct bundle	 b;
	struct buf	 text = BUF_INIT;
	char		*path = NULL, *err = NULL;
	size_t		 i;

	memset(res, 0, sizeof(*res));
	memset(&b, 0, sizeof(b));
	b.dir = dir;
	b.res = res;
	res->status = VERIFY_MALFORMED;
	path = pubpath != NULL ? xstrdup(pubpath) : xasprintf("%s/ssj.pub",
	    dir);
	if (pubkey_load(path, &b.pk) == -1) {
		res->difference = xasprintf("cannot use the public key '%s'",
		    path);
		goto out;
	}
	free(path);
	path = xasprintf("%s/manifest.txt", dir);
	if (file_read(path, &text) == -1) {
		res->difference = xasprintf("cannot read '%s'", path);
		goto out;
	}
	if (manifest_parse(text.data, text.len, &b.m, &err) == -1) {
		res->difference = xasprintf("%s:%s", path, err + (strncmp(err,
		    "line ", 5) == 0 ? 5 : 0));
		goto out;
	}
	res->status = VERIFY_IDENTICAL;
	res->public = b.m.public;
	res->selected = b.m.selected;
	res->replacements = b.m.replacements;
	key_id(b.pk.keynum, res->key_id);
	if (check_files(&b) == -1 || check_seed(&b) == -1 ||
	    (b.m.public ? check_public(&b) : check_full(&b,
	    &res->ntargets)) == -1)
		goto out;
	res->round = b.c.round;
	memcpy(res->chain, b.c.chain, sizeof(res->chain));
out:
	for (i = 0; i < 16; i++)
		buf_release(&b.files[i]);
	buf_release(&text);
	manifest_release(&b.m);
	commitment_release(&b.c);
	beacon_release(&b.bc);
	free(path);
	free(err);
	return res->status == VERIFY_IDENTICAL ? 0 : -1;
}

void
verify_result_release(struct verify_result *res)
{
	free(res->difference);
	memset(res, 0, sizeof(*res));
}
