/*
 * Verifying a draw from its bundle alone (docs/protocol.md §10): no
 * database, no plan -- digests, signatures and their trusted comments,
 * the commitment, the reveals, the beacon, the seed, every ticket, the
 * selection, the teams and the replacements. What ssj verify runs, and
 * what tests run on the vectors.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
#include "team.h"
#include "verify.h"
#include "xmalloc.h"

/* The names a DSR-1 bundle may hold, in the manifest's order (§8). */
static const char *const bundle_names[] = {
	"commitment.txt", "beacon.json", "frame/targets.txt",
	"frame/inspectors.txt", "frame/conflicts.txt", "frame/excluded.txt",
	"frame/parameters.txt", "selection.txt", "teams.txt",
	"replacements.txt", "names.txt", "ssj.pub",
};
#define NBUNDLE_NAMES	(sizeof(bundle_names) / sizeof(bundle_names[0]))

struct bundle {
	const char		*dir;
	char			**present;	/* every entry, from the scan */
	size_t			 npresent;
	struct manifest		 m;
	struct buf		 files[16];	/* contents, manifest order */
	int			 have[16];
	struct commitment	 c;
	struct beacon		 bc;
	struct pubkey		 pk;
	int64_t			 ledger;	/* of the signatures; -2: unset */
	struct frame		 fr;		/* targets.txt of a full bundle: */
	size_t			*sample;	/*   the sample the seed selects */
	size_t			 nsample;
	char			*frame_err;	/* why it is not a frame */
	struct verify_result	*res;
};

static const struct bundle_file *entry_of(const struct bundle *,
    const char *);
static int	check_team_text(struct bundle *, const struct selected *,
		    size_t);

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
	/* Not a bundle at all (status set first) stays that. */
	if (b->res->status != VERIFY_MALFORMED)
		b->res->status = VERIFY_DIFFERS;
	return -1;
}

#define TARGETS		"frame/targets.txt"
#define EXCLUDED	"frame/excluded.txt"	/* only digested */

/*
 * The largest file of each kind a verifier reads (docs/protocol.md §8):
 * a bundle from anywhere must not make it read without end.
 */
static off_t
size_limit(const char *path)
{
	size_t	 n = strlen(path);

	if (strcmp(path, TARGETS) == 0)
		return VERIFY_TARGETS_MAX;
	if (strcmp(path, "manifest.txt") == 0 ||
	    strcmp(path, "commitment.txt") == 0 ||
	    strcmp(path, "beacon.json") == 0 ||
	    strcmp(path, "ssj.pub") == 0 ||
	    strcmp(path, "frame/parameters.txt") == 0 ||
	    (n > 8 && strcmp(path + n - 8, ".minisig") == 0))
		return VERIFY_SMALL_MAX;
	return VERIFY_FILE_MAX;
}

/*
 * Opens a file of the bundle for reading: a regular file and no
 * symbolic link, without blocking on a FIFO, no larger than its kind
 * allows. Returns the descriptor, or -1 with the difference set.
 */
static int
open_regular(struct bundle *b, const char *rel)
{
	struct stat	 st;
	char		*path;
	int		 fd;

	path = xasprintf("%s/%s", b->dir, rel);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
	    O_NOCTTY);
	free(path);
	if (fd == -1) {
		b->res->status = VERIFY_MALFORMED;
		return differ(b, "cannot open '%s': %s", rel, strerror(errno));
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		b->res->status = VERIFY_MALFORMED;
		return differ(b, "'%s' is not a regular file: a bundle holds "
		    "regular files only", rel);
	}
	if (st.st_size > size_limit(rel)) {
		close(fd);
		b->res->status = VERIFY_MALFORMED;
		return differ(b, "'%s' is larger than a DSR-1 bundle allows "
		    "(%lld bytes)", rel, (long long)size_limit(rel));
	}
	return fd;
}

/* Reads a whole file of the bundle, as open_regular() allows it. */
static int
read_regular(struct bundle *b, const char *rel, struct buf *out)
{
	struct stat	 st;
	char		 chunk[8192];
	ssize_t		 n;
	off_t		 total = 0;
	int		 fd;

	if ((fd = open_regular(b, rel)) == -1)
		return -1;
	/* Room for it at once: no doubling of a province's teams.txt. */
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		buf_grow(out, (size_t)st.st_size);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 || (total += n) > size_limit(rel)) {
			close(fd);
			b->res->status = VERIFY_MALFORMED;
			return differ(b, "cannot read '%s'%s", rel, n == -1 ?
			    ": read error" : ": it grew while being read");
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

/*
 * Before any file is opened: every entry of the bundle is a regular
 * file (or the directory frame/), no symbolic link -- not even one that
 * stays inside -- and none too large. A FIFO must not hang the verifier.
 */
static int
scan_dir(struct bundle *b, const char *sub)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*rel, *path;
	int		 fd, ret = -1;

	path = sub ? xasprintf("%s/%s", b->dir, sub) : xstrdup(b->dir);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		b->res->status = VERIFY_MALFORMED;
		if (errno == ENOENT && sub == NULL)
			differ(b, "no bundle at '%s': the directory does not "
			    "exist", b->dir);
		else if (sub == NULL)
			differ(b, "cannot open the bundle '%s': %s", b->dir,
			    strerror(errno));
		else
			differ(b, "'%s' is not a directory of regular files",
			    sub);
		if (fd != -1)
			close(fd);
		free(path);
		return -1;
	}
	free(path);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		rel = sub ? xasprintf("%s/%s", sub, de->d_name) :
		    xstrdup(de->d_name);
		b->present = xreallocarray(b->present, b->npresent + 1,
		    sizeof(*b->present));
		b->present[b->npresent++] = rel;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
		    -1) {
			differ(b, "cannot stat '%s': %s", rel, strerror(errno));
			goto out;
		}
		if (S_ISLNK(st.st_mode)) {
			differ(b, "'%s' is a symbolic link: a bundle holds "
			    "regular files only (copy it with cp -L)", rel);
			goto out;
		}
		if (S_ISDIR(st.st_mode) && sub == NULL &&
		    strcmp(rel, "frame") == 0) {
			b->npresent--;
			free(rel);
			if (scan_dir(b, "frame") == -1)
				goto out;
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
			differ(b, "'%s' is not a regular file: a bundle holds "
			    "regular files only", rel);
			goto out;
		}
		if (st.st_size > size_limit(rel)) {
			differ(b, "'%s' is larger than a DSR-1 bundle allows "
			    "(%lld bytes)", rel, (long long)size_limit(rel));
			goto out;
		}
	}
	ret = 0;
out:
	if (ret == -1)
		b->res->status = VERIFY_MALFORMED;
	closedir(d);
	return ret;
}

/*
 * After the manifest is read: nothing in the bundle that its format does
 * not name (a stray file could be a confidential frame left behind).
 */
static int
check_present(struct bundle *b)
{
	const struct bundle_file	*f;
	size_t				 i, n;
	char				*name;

	for (i = 0; i < b->npresent; i++) {
		name = xstrdup(b->present[i]);
		n = strlen(name);
		if (n > 8 && strcmp(name + n - 8, ".minisig") == 0 &&
		    strcmp(name, "ssj.pub.minisig") != 0)
			name[n - 8] = '\0';
		f = entry_of(b, name);
		if (strcmp(name, "manifest.txt") != 0 && f == NULL) {
			free(name);
			b->res->status = VERIFY_MALFORMED;
			return differ(b, "'%s' is not a file of this bundle "
			    "(docs/protocol.md §8): remove it, or export the "
			    "bundle again", b->present[i]);
		}
		free(name);
	}
	return 0;
}

static const struct buf *
file_of(const struct bundle *b, const char *path)
{
	size_t	 i;

	for (i = 0; i < b->m.nfiles && i < 16; i++)
		if (strcmp(b->m.files[i].path, path) == 0 && b->have[i])
			return &b->files[i];
	return NULL;
}

/*
 * A file whose text was parsed into what the checks need: its memory
 * goes before the next file is (a province's selection.txt: 29 MB).
 */
static void
file_done(struct bundle *b, const char *path)
{
	size_t	 i;

	for (i = 0; i < b->m.nfiles && i < 16; i++)
		if (strcmp(b->m.files[i].path, path) == 0 && b->have[i]) {
			buf_release(&b->files[i]);
			b->have[i] = 0;
		}
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
check_signature(struct bundle *b, const char *dir, const char *path,
    const unsigned char *prehash, const unsigned char *digest)
{
	struct sig_fields	 f;
	const char		*kind = kind_of(path);
	char			*full;
	int			 rc, ret = -1;

	full = xasprintf("%s/%s", dir, path);
	rc = minisig_verify_hashed(full, NULL, &b->pk, prehash, digest, &f);
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
	else if (f.ledger < 0)
		differ(b, "%s: its signature names no ledger entry: a bundle's "
		    "files are signed by the draw's (§8)", path);
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

static int
present(const struct bundle *b, const char *rel)
{
	size_t	 i;

	for (i = 0; i < b->npresent; i++)
		if (strcmp(b->present[i], rel) == 0)
			return 1;
	return 0;
}

/*
 * The manifest lists the files of §8's table in its order, each once:
 * a full bundle withholds none, a public one exactly the confidential
 * frames. names.txt alone is optional.
 */
static int
check_listing(struct bundle *b)
{
	const struct bundle_file	*f;
	size_t				 i, k = 0;
	int				 secret;

	for (i = 0; i < NBUNDLE_NAMES; i++) {
		if (k < b->m.nfiles && strcmp(b->m.files[k].path,
		    bundle_names[i]) == 0)
			f = &b->m.files[k++];
		else if (strcmp(bundle_names[i], "names.txt") == 0)
			continue;
		else
			return differ(b, "manifest.txt: '%s' is not listed "
			    "where §8 puts it%s", bundle_names[i],
			    k < b->m.nfiles ? "" : " (at the end)");
		secret = bundle_withheld(f->path);
		if (f->withheld != (b->m.public && secret))
			return differ(b, "manifest.txt: '%s' is %s in a %s "
			    "bundle", f->path, f->withheld ? "withheld" :
			    "given", b->m.public ? "public" : "full");
	}
	if (k != b->m.nfiles)
		return differ(b, "manifest.txt: 'file %s' is not a file of a "
		    "DSR-1 bundle, or out of §8's order", b->m.files[k].path);
	return 0;
}

/*
 * A file of the bundle only digested, as open_regular() allows it: its
 * two digests (for the manifest and its signature), read as a stream.
 */
static int
digest_regular(struct bundle *b, const char *rel,
    unsigned char d512[CRYPTO_DIGEST512_BYTES],
    unsigned char d[CRYPTO_DIGEST_BYTES])
{
	char	*path;
	int	 fd, rc;

	if ((fd = open_regular(b, rel)) == -1)
		return -1;
	close(fd);
	path = xasprintf("%s/%s", b->dir, rel);
	rc = crypto_prehash_file(path, d512, d);
	free(path);
	if (rc == -1)
		return differ(b, "%s: listed in the manifest but not readable",
		    rel);
	return 0;
}

/*
 * The largest file, targets.txt, read once: its two digests (for the
 * manifest and its signature) and, in a full bundle, the frame step 5
 * needs, parsed in the same reading. parameters.txt is read first for
 * that, ahead of its turn.
 */
static int
read_targets(struct bundle *b, unsigned char d512[CRYPTO_DIGEST512_BYTES],
    unsigned char d[CRYPTO_DIGEST_BYTES])
{
	const struct buf	*pm = NULL;
	unsigned char		 key[DSR_TICKET_KEY_BYTES];
	size_t			 i;
	FILE			*fp;
	int			 fd, rc;

	for (i = 0; !b->m.public && i < b->m.nfiles; i++)
		if (strcmp(b->m.files[i].path, "frame/parameters.txt") == 0 &&
		    !b->m.files[i].withheld) {
			if (b->files[i].data == NULL && read_regular(b,
			    b->m.files[i].path, &b->files[i]) == -1)
				return -1;
			pm = &b->files[i];
		}
	if (pm == NULL)
		return digest_regular(b, TARGETS, d512, d);
	if ((fd = open_regular(b, TARGETS)) == -1)
		return -1;
	if ((fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		rc = -1;
	} else {
		/* The seed's step 4 checks: what it selects is kept alone. */
		dsr_ticket_key(b->m.seed, key);
		rc = frame_read_targets(fp, pm->data, pm->len, key, &b->fr, d,
		    d512, &b->sample, &b->nsample, &b->frame_err);
		crypto_wipe(key, sizeof(key));
		fclose(fp);
	}
	if (rc == -1)
		return differ(b, "%s: listed in the manifest but not readable",
		    TARGETS);
	return 0;
}

/* 1. Every listed file: its digest and its signature. */
static int
check_files(struct bundle *b)
{
	unsigned char		 d[CRYPTO_DIGEST_BYTES];
	unsigned char		 d512[CRYPTO_DIGEST512_BYTES];
	size_t			 i;
	int			 targets, streamed;

	if (check_listing(b) == -1)
		return -1;
	b->ledger = -2;
	if (check_signature(b, b->dir, "manifest.txt", NULL, NULL) == -1)
		return -1;
	for (i = 0; i < b->m.nfiles; i++) {
		/* A withheld file given all the same must be the one. */
		if (b->m.files[i].withheld && !present(b, b->m.files[i].path))
			continue;
		targets = strcmp(b->m.files[i].path, TARGETS) == 0;
		streamed = targets || strcmp(b->m.files[i].path, EXCLUDED) ==
		    0;
		if (targets) {
			if (read_targets(b, d512, d) == -1)
				return -1;
		} else if (streamed) {
			if (digest_regular(b, EXCLUDED, d512, d) == -1)
				return -1;
		} else {
			if (b->files[i].data == NULL && read_regular(b,
			    b->m.files[i].path, &b->files[i]) == -1)
				return -1;
			crypto_digest(b->files[i].data, b->files[i].len, d);
		}
		b->have[i] = !b->m.files[i].withheld;
		if (memcmp(d, b->m.files[i].digest, sizeof(d)) != 0)
			return differ(b, "%s: its digest differs from the "
			    "manifest's", b->m.files[i].path);
		if (strcmp(b->m.files[i].path, "ssj.pub") != 0 &&
		    check_signature(b, b->dir, b->m.files[i].path,
		    streamed ? d512 : NULL, streamed ? d : NULL) == -1)
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
	/* A public bundle has no secret, so no seed (§8.1). */
	crypto_digest(b->m.secret, sizeof(b->m.secret), h);
	if (!b->m.public && memcmp(h, b->c.secret_hash, sizeof(h)) != 0) {
		differ(b, "the server secret does not match its committed "
		    "hash");
		goto out;
	}
	if (beacon_load(bj->data, bj->len, b->c.scheme, b->c.key, &b->bc,
	    &err) == -1) {
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
	if (!b->m.public && memcmp(seed, b->m.seed, sizeof(seed)) != 0) {
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

/*
 * Cuts [p, end) at TABs into exactly n fields, in place: each TAB and
 * *end become NULs. A NUL byte in it is refused.
 */
static int
split_fields(char *p, char *end, char **f, size_t n)
{
	char	*tab;
	size_t	 i;

	if (memchr(p, '\0', (size_t)(end - p)) != NULL)
		return -1;
	*end = '\0';
	for (i = 0; i < n; i++) {
		tab = memchr(p, '\t', (size_t)(end - p));
		if ((tab == NULL) != (i == n - 1))
			return -1;
		f[i] = p;
		if (tab != NULL) {
			*tab = '\0';
			p = tab + 1;
		}
	}
	return 0;
}

/* split_fields on a copy of [p, end) in scratch. */
static int
split_copy(struct buf *scratch, const char *p, const char *end, char **f,
    size_t n)
{
	buf_reset(scratch);
	buf_add(scratch, p, (size_t)(end - p));
	return split_fields(scratch->data, scratch->data + scratch->len, f, n);
}

/* §9.6: each replacement of replacements.txt, replayed in order. */
static int
check_replacements(struct bundle *b, const struct team_frame *tf,
    struct team_state *st, const struct team_target *tt)
{
	const struct buf	*rp;
	unsigned char		 key[DSR_STREAM_KEY_BYTES];
	char			*text, *line, *nl, *f[6], *err = NULL, *end;
	size_t			 n = 0, t, slot;
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
		if (split_fields(line, nl, f, 6) == -1 ||
		    strtoull(f[0], &end, 10) != n || *end != '\0' ||
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
		if (strtoull(f[2], &end, 10) != slot || *end != '\0' ||
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
	const char		*p, *end;
	size_t			 i, line = 0;
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
	/*
	 * The replayed teams a line at a time against the file's: a
	 * province's teams.txt is not written out a second time.
	 */
	p = tm->data;
	end = p + tm->len;
	buf_addstr(&text, TEAMS_MAGIC);
	for (i = 0; i <= n; i++) {
		if ((size_t)(end - p) < text.len ||
		    memcmp(p, text.data, text.len) != 0 || (i == n &&
		    p + text.len != end)) {
			line = first_line_diff(p, (size_t)(end - p), text.data,
			    text.len, &theirs, &mine) + i;
			differ(b, "teams.txt:%zu: '%s', replayed '%s'", line,
			    theirs, mine);
			goto out;
		}
		p += text.len;
		buf_reset(&text);
		if (i < n)
			team_write_line(&tf, &st, tt, i, &text);
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
	const struct buf	*sl;
	const struct bundle_file *tg;
	struct frame		*fr = &b->fr;
	struct selected		*sel = NULL;
	uint64_t		 samples[DSR_MAX_STRATA];
	size_t			*idx = NULL, nidx = 0, nsel = 0, i;
	const struct dsr_target	*t;
	char			*err = NULL;
	int			 ret = -1;

	if ((tg = entry_of(b, TARGETS)) == NULL || tg->withheld ||
	    file_of(b, "frame/parameters.txt") == NULL ||
	    (sl = file_of(b, "selection.txt")) == NULL)
		return differ(b, "a full bundle needs frame/targets.txt, "
		    "frame/parameters.txt and selection.txt");
	/*
	 * With parameters.txt, step 1 parsed targets.txt as it read it: the
	 * frame is the very bytes whose digest it checked.
	 */
	if (b->frame_err != NULL)
		return differ(b, "frame/%s", b->frame_err);
	if (selection_parse(sl->data, sl->len, 0, &sel, &nsel, &err) == -1) {
		differ(b, "selection.txt:%s", err + (strncmp(err, "line ", 5)
		    == 0 ? 5 : 0));
		goto out;
	}
	file_done(b, "selection.txt");
	for (i = 0; i < fr->nstrata; i++) {
		if (dsr_sample_size(fr->strata[i].population, fr->strata[i].num,
		    fr->strata[i].den, fr->strata[i].min, fr->strata[i].max,
		    &samples[i]) == -1 || samples[i] != fr->strata[i].sample) {
			differ(b, "stratum '%s': n_h is %llu by the rule, %llu "
			    "in parameters.txt", fr->strata[i].name,
			    (unsigned long long)samples[i],
			    (unsigned long long)fr->strata[i].sample);
			goto out;
		}
		if (i >= b->m.nstrata || strcmp(b->m.strata[i].name,
		    fr->strata[i].name) != 0 || b->m.strata[i].population !=
		    fr->strata[i].population || b->m.strata[i].sample !=
		    samples[i]) {
			differ(b, "stratum '%s': the manifest's counts differ "
			    "from the frame's", fr->strata[i].name);
			goto out;
		}
	}
	/* Selected as step 1 read the frame, each ticket as its line came. */
	idx = b->sample;
	nidx = b->nsample;
	b->sample = NULL;
	for (i = 0; i < nidx && i < nsel; i++) {
		t = &fr->targets[idx[i]];
		if (strcmp(t->id, sel[i].id) != 0) {
			differ(b, "selection.txt rank %zu: '%s' selected, '%s' "
			    "recomputed", i + 1, sel[i].id, t->id);
			goto out;
		}
		if (memcmp(t->ticket, sel[i].ticket, DSR_TICKET_BYTES) != 0 ||
		    strcmp(fr->strata[t->stratum].name, sel[i].stratum) != 0) {
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
	/* The text's own rules first, so that a message names the rule. */
	if (check_team_text(b, sel, nsel) == -1 ||
	    check_teams(b, fr, idx, nidx) == -1)
		goto out;
	*ntargets = fr->ntargets;
	ret = 0;
out:
	free(err);
	free(sel);
	free(idx);
	return ret;
}

/* A credential as a frame writes it: no space, TAB, ';' or control. */
static int
cred_valid(const char *p, size_t n)
{
	size_t	 i;

	if (n == 0 || n > 64 || (n == 1 && p[0] == '-'))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] <= 0x20 || p[i] == 0x7f || p[i] == ';')
			return 0;
	return 1;
}

/*
 * A team's slots from "M1;M2" and "E1" (or "-"), cut in place into v
 * (room for every member): each a credential, every inspector once.
 * Returns the number of slots, or -1.
 */
static long
team_slots(char *sworn, char *experts, char **v)
{
	char		*lists[2] = { sworn, experts }, *p, *q;
	size_t		 n = 0, i, k;

	for (k = 0; k < 2; k++) {
		if (k == 1 && strcmp(lists[k], "-") == 0)
			break;
		for (p = lists[k]; ; p = q + 1) {
			if ((q = strchr(p, ';')) != NULL)
				*q = '\0';
			if (!cred_valid(p, strlen(p)))
				return -1;
			for (i = 0; i < n; i++)
				if (strcmp(v[i], p) == 0)
					return -1;
			v[n++] = p;
			if (q == NULL)
				break;
		}
	}
	return (long)n;
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

struct pteam {
	const char	 *id;		/* the selection's */
	char		**slot;		/* the inspector of each slot */
	char		**removed;	/* taken off by a replacement */
	size_t		  nremoved;
};

/*
 * The teams as teams.txt gives them: a copy of its text cut in place into
 * fields and credentials, which the slots point into (a province's half
 * million teams, and not an allocation each).
 */
struct pteams {
	char		 *text;
	struct pteam	 *t;
	size_t		  n;
	char		**slots;	/* nslots a team */
	size_t		  nslots;
	char		**drawn;	/* replacements' inspectors, owned */
	size_t		  ndrawn;
};

static void
pteams_release(struct pteams *pt)
{
	size_t	 i;

	for (i = 0; pt->t != NULL && i < pt->n; i++)
		free(pt->t[i].removed);
	for (i = 0; i < pt->ndrawn; i++)
		free(pt->drawn[i]);
	free(pt->drawn);
	free(pt->t);
	free(pt->slots);
	free(pt->text);
	memset(pt, 0, sizeof(*pt));
}

/*
 * Reads teams.txt (full: by rank, with the rank; public: by id, without)
 * into one team per selected target, checking what the text alone
 * allows: its form, the target, distinct members, the same t and e
 * everywhere, t >= 2, and an eligible count of at least t + e (§10.6:
 * the experts' slots count, they are slots of the target too).
 */
static int
read_teams(struct bundle *b, const struct selected *sel, size_t nsel,
    struct pteams *pt)
{
	const struct buf	*tm;
	const char		*magic;
	char			*p, *end, *nl, *f[5], **v = NULL;
	uint64_t		 eligible, rank;
	size_t			 nf, i = 0, k, sworn = 0, experts = 0;
	size_t			 ms, me, vcap = 0;
	long			 ns;
	int			 pub = b->m.public, ret = -1;

	memset(pt, 0, sizeof(*pt));
	if ((tm = file_of(b, "teams.txt")) == NULL)
		return differ(b, "the bundle has no teams.txt");
	magic = pub ? TEAMS_PUBLIC_MAGIC : TEAMS_MAGIC;
	nf = pub ? 4 : 5;
	if (tm->len < strlen(magic) || memcmp(tm->data, magic,
	    strlen(magic)) != 0)
		return differ(b, "teams.txt:1: not '%.*s'",
		    (int)strlen(magic) - 1, magic);
	pt->text = xmalloc(tm->len + 1);
	memcpy(pt->text, tm->data, tm->len);
	pt->text[tm->len] = '\0';
	pt->t = xcalloc(nsel + 1, sizeof(*pt->t));
	pt->n = nsel;
	end = pt->text + tm->len;
	for (p = pt->text + strlen(magic); p < end; p = nl + 1, i++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			differ(b, "teams.txt: no newline at the end");
			goto out;
		}
		if (i >= nsel) {
			differ(b, "teams.txt:%zu: a team too many: %zu targets "
			    "are selected", i + 2, nsel);
			goto out;
		}
		if (split_fields(p, nl, f, nf) == -1) {
			differ(b, "teams.txt:%zu: not %zu TAB-separated "
			    "fields", i + 2, nf);
			goto out;
		}
		k = pub ? 0 : 1;
		ms = members(f[k + 2], strlen(f[k + 2]));
		me = members(f[k + 3], strlen(f[k + 3]));
		if (ms + me > vcap) {
			vcap = ms + me;
			v = xreallocarray(v, vcap, sizeof(*v));
		}
		ns = -1;
		if ((!pub && (bundle_number(f[0], &rank) == -1 ||
		    rank != i + 1)) || strcmp(f[k], sel[i].id) != 0 ||
		    bundle_number(f[k + 1], &eligible) == -1 ||
		    (ns = team_slots(f[k + 2], f[k + 3], v)) == -1) {
			differ(b, "teams.txt:%zu: not the team of '%s' (%s)",
			    i + 2, sel[i].id, ns == -1 ?
			    "the form, or a member named twice" : "its id");
			goto out;
		}
		if (i == 0) {
			sworn = ms;
			experts = me;
			pt->nslots = (size_t)ns;
			pt->slots = xreallocarray(NULL, nsel, (size_t)ns *
			    sizeof(*pt->slots));
		}
		if (ms != sworn || me != experts || sworn < 2) {
			differ(b, "teams.txt:%zu: %zu sworn members and %zu "
			    "experts; the first team has %zu and %zu (at least "
			    "2 sworn)", i + 2, ms, me, sworn, experts);
			goto out;
		}
		if (eligible < (uint64_t)ns) {
			differ(b, "teams.txt:%zu: an eligible count of %llu "
			    "for %ld slots", i + 2,
			    (unsigned long long)eligible, ns);
			goto out;
		}
		pt->t[i].id = sel[i].id;
		pt->t[i].slot = &pt->slots[i * pt->nslots];
		memcpy(pt->t[i].slot, v, pt->nslots * sizeof(*v));
	}
	if (i != nsel) {
		differ(b, "teams.txt has %zu teams for %zu selected targets",
		    i, nsel);
		goto out;
	}
	ret = 0;
out:
	free(v);
	if (ret == -1)
		pteams_release(pt);
	return ret;
}

/*
 * Each line of replacements.txt, from the text alone (§9.6, §9.7): the
 * numbers run 1, 2, ... in their one spelling, the target is selected,
 * the slot exists and holds the inspector removed, the one drawn is
 * neither on the team nor removed from it before, and (in a full
 * bundle) the reason is given, escaped as a reveal. A public bundle's
 * lines have no reason (§8.1). Applies each to the teams.
 */
static int
read_replacements(struct bundle *b, struct pteams *pt)
{
	const struct buf	*rp;
	const char		*p, *end, *nl, *magic;
	struct pteam		*t = pt->t;
	struct buf		 line = BUF_INIT;
	char			*f[6];
	unsigned char		*reason;
	uint64_t		 num, slot;
	size_t			 n = 0, i, k, rlen, nf, nt = pt->n;
	int			 ret = -1;

	magic = b->m.public ? REPLACEMENTS_PUBLIC_MAGIC : REPLACEMENTS_MAGIC;
	nf = b->m.public ? 5 : 6;
	if ((rp = file_of(b, "replacements.txt")) == NULL)
		return differ(b, "the bundle has no replacements.txt");
	if (rp->len < strlen(magic) || memcmp(rp->data, magic,
	    strlen(magic)) != 0)
		return differ(b, "replacements.txt:1: not a %.*s file",
		    (int)strlen(magic) - 1, magic);
	end = rp->data + rp->len;
	for (p = rp->data + strlen(magic); p < end; p = nl + 1) {
		n++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			differ(b, "replacements.txt: no newline at the end");
			goto out;
		}
		if (split_copy(&line, p, nl, f, nf) == -1) {
			differ(b, "replacements.txt:%zu: not %zu TAB-separated "
			    "fields", n + 1, nf);
			goto out;
		}
		for (i = 0; i < nt && strcmp(t[i].id, f[1]) != 0; i++)
			;
		reason = NULL;
		rlen = 0;
		if (bundle_number(f[0], &num) == -1 || num != n)
			differ(b, "replacements.txt:%zu: not replacement %zu "
			    "(numbers run 1, 2, ... without a gap, written "
			    "without leading zeros)", n + 1, n);
		else if (i == nt)
			differ(b, "replacements.txt:%zu: '%s' is not a "
			    "selected target", n + 1, f[1]);
		else if (bundle_number(f[2], &slot) == -1 ||
		    slot >= pt->nslots)
			differ(b, "replacements.txt:%zu: '%s' has no slot "
			    "'%s'", n + 1, f[1], f[2]);
		else if (strcmp(t[i].slot[slot], f[3]) != 0)
			differ(b, "replacements.txt:%zu: '%s' does not hold "
			    "slot %s of '%s' ('%s' does)", n + 1, f[3], f[2],
			    f[1], t[i].slot[slot]);
		else if (!cred_valid(f[4], strlen(f[4])))
			differ(b, "replacements.txt:%zu: '%s' is not a "
			    "credential", n + 1, f[4]);
		else if (nf == 6 && bundle_unescape(f[5], strlen(f[5]),
		    &reason, &rlen) == -1)
			differ(b, "replacements.txt:%zu: the reason is not "
			    "escaped as §8 says (\\\\, \\n, \\xHH for other "
			    "control bytes, nothing else)", n + 1);
		else {
			free(reason);
			for (k = 0; k < pt->nslots && strcmp(t[i].slot[k],
			    f[4]) != 0; k++)
				;
			if (k < pt->nslots)
				differ(b, "replacements.txt:%zu: '%s' drawn is "
				    "already on the team of '%s'", n + 1, f[4],
				    f[1]);
			for (k = 0; k < t[i].nremoved && strcmp(
			    t[i].removed[k], f[4]) != 0; k++)
				;
			if (k < t[i].nremoved)
				differ(b, "replacements.txt:%zu: '%s' drawn was "
				    "taken off '%s' before", n + 1, f[4],
				    f[1]);
			else if (nf == 6 && rlen == 0)
				differ(b, "replacements.txt:%zu: the reason is "
				    "empty", n + 1);
		}
		if (b->res->difference == NULL) {
			t[i].removed = xreallocarray(t[i].removed,
			    t[i].nremoved + 1, sizeof(*t[i].removed));
			t[i].removed[t[i].nremoved++] = t[i].slot[slot];
			pt->drawn = xreallocarray(pt->drawn, pt->ndrawn + 1,
			    sizeof(*pt->drawn));
			t[i].slot[slot] = pt->drawn[pt->ndrawn++] =
			    xstrdup(f[4]);
		}
		if (b->res->difference != NULL)
			goto out;
	}
	if (n != b->m.replacements) {
		differ(b, "%zu replacements in replacements.txt, %llu in the "
		    "manifest", n, (unsigned long long)b->m.replacements);
		goto out;
	}
	ret = 0;
out:
	buf_release(&line);
	return ret;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * names.txt names exactly the credentials of teams.txt and the drawn
 * ones of replacements.txt, by credential, each once (§9.7).
 */
static int
check_names(struct bundle *b, const struct pteams *pt)
{
	const struct buf	*nm;
	const struct pteam	*t = pt->t;
	const char		*p, *end, *nl, *tab;
	struct buf		 line = BUF_INIT;
	char			**c = NULL, *f[2];
	size_t			 n = 0, u, i, k;
	int			 ret = -1;

	if ((nm = file_of(b, "names.txt")) == NULL)
		return 0;
	for (i = 0; i < pt->n; i++) {
		for (k = 0; k < pt->nslots; k++) {
			c = xreallocarray(c, n + 1, sizeof(*c));
			c[n++] = t[i].slot[k];
		}
		for (k = 0; k < t[i].nremoved; k++) {
			c = xreallocarray(c, n + 1, sizeof(*c));
			c[n++] = t[i].removed[k];
		}
	}
	qsort(c, n, sizeof(*c), cmp_str);
	for (i = u = 0; i < n; i++)
		if (u == 0 || strcmp(c[u - 1], c[i]) != 0)
			c[u++] = c[i];
	if (nm->len < 12 || memcmp(nm->data, "DSR-1 names\n", 12) != 0) {
		differ(b, "names.txt:1: not 'DSR-1 names'");
		goto out;
	}
	end = nm->data + nm->len;
	for (p = nm->data + 12, i = 0; p < end; p = nl + 1, i++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			differ(b, "names.txt: no newline at the end");
			goto out;
		}
		if (split_copy(&line, p, nl, f, 2) == -1) {
			differ(b, "names.txt:%zu: not CREDENTIAL<TAB>NAME",
			    i + 2);
			goto out;
		}
		tab = f[1];
		for (k = 0; tab[k] != '\0' && (unsigned char)tab[k] >= 0x20 &&
		    tab[k] != 0x7f; k++)
			;
		if (i >= u || strcmp(f[0], c[i]) != 0 || k == 0 ||
		    tab[k] != '\0') {
			differ(b, "names.txt:%zu: '%s' %s", i + 2, f[0],
			    i >= u ? "is on no team" : strcmp(f[0], c[i]) != 0 ?
			    "is out of place or on no team: names.txt names "
			    "each credential of the teams once, in byte order" :
			    "has an empty name or a control byte in it");
			goto out;
		}
	}
	if (i != u) {
		differ(b, "names.txt names %zu credentials; the teams have %zu",
		    i, u);
		goto out;
	}
	ret = 0;
out:
	buf_release(&line);
	free(c);
	return ret;
}

/*
 * The checks of §10.6 that need no frame, on either bundle: the teams
 * as text, the replacements applied to them, and names.txt.
 */
static int
check_team_text(struct bundle *b, const struct selected *sel, size_t nsel)
{
	struct pteams	 pt;
	int		 ret = -1;

	if (read_teams(b, sel, nsel, &pt) == -1)
		return -1;
	if (read_replacements(b, &pt) == 0 && check_names(b, &pt) == 0)
		ret = 0;
	pteams_release(&pt);
	return ret;
}

/* 6. A public bundle: the drawn list, the teams, the replacements. */
static int
check_public(struct bundle *b)
{
	const struct buf	*sl;
	struct selected		*sel = NULL;
	size_t			 nsel = 0;
	char			*err = NULL;
	int			 ret = -1;

	if ((sl = file_of(b, "selection.txt")) == NULL)
		return differ(b, "the bundle has no selection.txt");
	if (selection_parse(sl->data, sl->len, 1, &sel, &nsel, &err) == -1) {
		differ(b, "selection.txt:%s", err + (strncmp(err, "line ", 5)
		    == 0 ? 5 : 0));
		goto out;
	}
	file_done(b, "selection.txt");
	if (nsel != b->m.selected) {
		differ(b, "%zu targets in selection.txt, %llu in the manifest",
		    nsel, (unsigned long long)b->m.selected);
		goto out;
	}
	ret = check_team_text(b, sel, nsel);
out:
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
	if (scan_dir(&b, NULL) == -1)
		goto out;
	path = pubpath != NULL ? xstrdup(pubpath) : xasprintf("%s/ssj.pub",
	    dir);
	if (pubkey_load(path, &b.pk) == -1) {
		res->difference = xasprintf("cannot use the public key '%s'",
		    path);
		goto out;
	}
	free(path);
	path = xasprintf("%s/manifest.txt", dir);
	if (!present(&b, "manifest.txt")) {
		res->difference = xasprintf("'%s' has no manifest.txt: not a "
		    "DSR-1 bundle", dir);
		goto out;
	}
	if (read_regular(&b, "manifest.txt", &text) == -1)
		goto out;
	if (manifest_parse(text.data, text.len, &b.m, &err) == -1) {
		res->difference = xasprintf("%s:%s", path, err + (strncmp(err,
		    "line ", 5) == 0 ? 5 : 0));
		goto out;
	}
	if (check_present(&b) == -1)
		goto out;
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
	for (i = 0; i < b.npresent; i++)
		free(b.present[i]);
	free(b.present);
	buf_release(&text);
	manifest_release(&b.m);
	frame_release(&b.fr);
	free(b.sample);
	free(b.frame_err);
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
