/*
 * The inclusion-proof file: a few keyword lines and the signed checkpoint,
 * so that one entry of the ledger can be checked with no database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "log.h"
#include "merkle.h"
#include "proof.h"
#include "xmalloc.h"

#define PROOF_MAGIC	"ssj-inclusion-proof/"
#define PROOF_VERSION	PROOF_MAGIC "1"

struct reader {
	const char	*p, *end;
	size_t		 line;		/* of the next line */
	char		**err;
};

static int	 fail(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	 next_line(struct reader *, const char *, const char **,
		    size_t *);
static int	 keyword(const char *, size_t, const char *, const char **,
		    size_t *);
static int	 parse_u64(const char *, size_t, uint64_t *);

/* Sets *err to a new message and returns -1. */
static int
fail(char **err, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*err = xstrdup(msg);
	return -1;
}

/*
 * The next line (without its newline) into *line and *len; what names
 * the line expected, for the message if there is none.
 */
static int
next_line(struct reader *r, const char *what, const char **line,
    size_t *len)
{
	const char	*nl;

	if (r->p >= r->end)
		return fail(r->err, "line %zu: the proof ends before %s",
		    r->line, what);
	if ((nl = memchr(r->p, '\n', (size_t)(r->end - r->p))) == NULL)
		return fail(r->err, "line %zu: no newline at the end of the "
		    "line", r->line);
	*line = r->p;
	*len = (size_t)(nl - r->p);
	r->p = nl + 1;
	r->line++;
	return 0;
}

/* 1 with the value after it if the line is "<word> <value>", else 0. */
static int
keyword(const char *line, size_t len, const char *word, const char **val,
    size_t *vlen)
{
	size_t	 n = strlen(word);

	if (len < n + 1 || memcmp(line, word, n) != 0 || line[n] != ' ')
		return 0;
	*val = line + n + 1;
	*vlen = len - n - 1;
	return 1;
}

/* Canonical decimal: digits, no leading zero but in "0", below 2^64. */
static int
parse_u64(const char *p, size_t len, uint64_t *out)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (len == 0 || (p[0] == '0' && len > 1))
		return -1;
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9' ||
		    v > (UINT64_MAX - (uint64_t)(p[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = v;
	return 0;
}

char *
proof_format(const struct proof *pf)
{
	struct buf	 b = BUF_INIT;
	char		 hash[CRYPTO_BASE64_LEN(MERKLE_HASH_BYTES)];
	char		*entry;
	size_t		 i, elen;

	if (pf->size == 0 || pf->index >= pf->size || pf->entry_len == 0 ||
	    pf->npath > MERKLE_MAX_PROOF || pf->checkpoint == NULL ||
	    pf->checkpoint[0] == '\0')
		fatalx("%s: not a proof", __func__);
	elen = CRYPTO_BASE64_LEN(pf->entry_len);
	entry = xmalloc(elen);
	crypto_base64(entry, elen, pf->entry, pf->entry_len);
	buf_printf(&b, "%s\nindex %llu\nsize %llu\nentry %s\n", PROOF_VERSION,
	    (unsigned long long)pf->index, (unsigned long long)pf->size,
	    entry);
	free(entry);
	for (i = 0; i < pf->npath; i++) {
		crypto_base64(hash, sizeof(hash), pf->path[i],
		    MERKLE_HASH_BYTES);
		buf_printf(&b, "path %s\n", hash);
	}
	buf_printf(&b, "checkpoint\n%s", pf->checkpoint);
	return buf_detach(&b, NULL);
}

int
proof_parse(const char *text, size_t len, struct proof *out, char **err)
{
	struct reader	 r;
	merkle_hash	 path[MERKLE_MAX_PROOF];
	const char	*line, *val;
	size_t		 n, vlen, i, hlen;
	int		 ret = -1;

	memset(out, 0, sizeof(*out));
	*err = NULL;
	r.p = text;
	r.end = text + len;
	r.line = 1;
	r.err = err;
	/* control characters would not survive as a C string or a note */
	for (i = 0, n = 1; i < len; i++) {
		if (text[i] == '\n')
			n++;
		else if (text[i] == '\r')
			return fail(err, "line %zu: carriage return (lines "
			    "must end in a newline alone)", n);
		else if (text[i] == '\0')
			return fail(err, "line %zu: NUL byte", n);
	}

	if (next_line(&r, "its version line", &line, &n) == -1)
		goto out;
	if (n != strlen(PROOF_VERSION) ||
	    memcmp(line, PROOF_VERSION, n) != 0) {
		if (n > strlen(PROOF_MAGIC) &&
		    memcmp(line, PROOF_MAGIC, strlen(PROOF_MAGIC)) == 0)
			fail(err, "line 1: unsupported version (this is "
			    "'%s')", PROOF_VERSION);
		else
			fail(err, "line 1: not an ssj inclusion proof (no "
			    "'%s' line)", PROOF_VERSION);
		goto out;
	}

	if (next_line(&r, "its 'index' line", &line, &n) == -1)
		goto out;
	if (!keyword(line, n, "index", &val, &vlen) ||
	    parse_u64(val, vlen, &out->index) == -1) {
		fail(err, "line %zu: expected 'index N' with N a decimal "
		    "number (no leading zeros)", r.line - 1);
		goto out;
	}

	if (next_line(&r, "its 'size' line", &line, &n) == -1)
		goto out;
	if (!keyword(line, n, "size", &val, &vlen) ||
	    parse_u64(val, vlen, &out->size) == -1) {
		fail(err, "line %zu: expected 'size N' with N a decimal "
		    "number (no leading zeros)", r.line - 1);
		goto out;
	}
	if (out->index >= out->size) {
		fail(err, "line %zu: index %llu is not in a tree of size %llu",
		    r.line - 1, (unsigned long long)out->index,
		    (unsigned long long)out->size);
		goto out;
	}

	if (next_line(&r, "its 'entry' line", &line, &n) == -1)
		goto out;
	if (!keyword(line, n, "entry", &val, &vlen)) {
		fail(err, "line %zu: expected 'entry BASE64'", r.line - 1);
		goto out;
	}
	if (vlen == 0) {
		fail(err, "line %zu: the entry is empty", r.line - 1);
		goto out;
	}
	out->entry = xmalloc(vlen);
	if (crypto_unbase64(out->entry, vlen, &out->entry_len, val,
	    vlen) == -1) {
		fail(err, "line %zu: the entry is not base64", r.line - 1);
		goto out;
	}
	if (out->entry_len == 0) {
		fail(err, "line %zu: the entry is empty", r.line - 1);
		goto out;
	}

	for (;;) {
		if (next_line(&r, "its 'checkpoint' line", &line, &n) == -1)
			goto out;
		if (n == strlen("checkpoint") &&
		    memcmp(line, "checkpoint", n) == 0)
			break;
		if (!keyword(line, n, "path", &val, &vlen)) {
			fail(err, "line %zu: expected 'path BASE64' or "
			    "'checkpoint'", r.line - 1);
			goto out;
		}
		if (out->npath == MERKLE_MAX_PROOF) {
			fail(err, "line %zu: more than %d path lines",
			    r.line - 1, MERKLE_MAX_PROOF);
			goto out;
		}
		if (crypto_unbase64(path[out->npath], MERKLE_HASH_BYTES,
		    &hlen, val, vlen) == -1 || hlen != MERKLE_HASH_BYTES) {
			fail(err, "line %zu: the hash is not base64 of %d "
			    "bytes", r.line - 1, MERKLE_HASH_BYTES);
			goto out;
		}
		out->npath++;
	}
	if (out->npath > 0) {
		out->path = xreallocarray(NULL, out->npath, sizeof(*out->path));
		memcpy(out->path, path, out->npath * sizeof(*out->path));
	}

	if (r.p == r.end) {
		fail(err, "line %zu: no signed checkpoint after the "
		    "'checkpoint' line", r.line);
		goto out;
	}
	out->checkpoint = xstrndup(r.p, (size_t)(r.end - r.p));
	ret = 0;
out:
	if (ret == -1)
		proof_release(out);
	return ret;
}

void
proof_release(struct proof *pf)
{
	free(pf->entry);
	free(pf->path);
	free(pf->checkpoint);
	memset(pf, 0, sizeof(*pf));
}
