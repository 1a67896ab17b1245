/*
 * Writing and strictly reading the commitment, the selection and the
 * manifest of a draw: one "name value" per line, fixed order, so that the
 * same inputs always give the same bytes and a verifier in any language
 * can read them (docs/protocol.md §3, §7, §8).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "bundle.h"
#include "crypto.h"
#include "xmalloc.h"

#define COMMITMENT_MAGIC	"DSR-1 commitment"
#define MANIFEST_MAGIC		"DSR-1 manifest"

/* A cursor over "name value" lines. */
struct lines {
	const char	*p;
	const char	*end;
	size_t		 lineno;
	const char	*name;		/* the current line */
	size_t		 namelen;
	const char	*value;
	size_t		 valuelen;
	char		*err;
};

static int bad(struct lines *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static int
bad(struct lines *l, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;

	if (l->err != NULL)
		return -1;
	buf_printf(&b, "line %zu: ", l->lineno);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	l->err = buf_detach(&b, NULL);
	return -1;
}

/* The next line: 1, 0 at the end, -1 (with l->err) when malformed. */
static int
next(struct lines *l)
{
	const char	*nl, *sp;

	if (l->p >= l->end)
		return 0;
	l->lineno++;
	if ((nl = memchr(l->p, '\n', (size_t)(l->end - l->p))) == NULL)
		return bad(l, "no newline at the end");
	if (memchr(l->p, '\r', (size_t)(nl - l->p)) != NULL ||
	    memchr(l->p, '\0', (size_t)(nl - l->p)) != NULL)
		return bad(l, "CR or NUL in a line");
	l->name = l->p;
	if ((sp = memchr(l->p, ' ', (size_t)(nl - l->p))) == NULL) {
		l->namelen = (size_t)(nl - l->p);
		l->value = nl;
		l->valuelen = 0;
	} else {
		l->namelen = (size_t)(sp - l->p);
		l->value = sp + 1;
		l->valuelen = (size_t)(nl - sp - 1);
	}
	l->p = nl + 1;
	return 1;
}

/* The first line names the file: "DSR-1 commitment", ... */
static int
skip_magic(struct lines *l, const char *magic)
{
	size_t	 n = strlen(magic);

	l->lineno = 1;
	if ((size_t)(l->end - l->p) <= n || memcmp(l->p, magic, n) != 0 ||
	    l->p[n] != '\n')
		return bad(l, "not a %s file", magic);
	l->p += n + 1;
	return 0;
}

static int
is(const struct lines *l, const char *name)
{
	return l->namelen == strlen(name) && memcmp(l->name, name,
	    l->namelen) == 0;
}

/* The next line must be "name value"; *v is the value, NUL-terminated. */
static int
expect(struct lines *l, const char *name, char **v)
{
	if (next(l) != 1) {
		if (l->err == NULL)
			bad(l, "missing '%s'", name);
		return -1;
	}
	if (!is(l, name))
		return bad(l, "expected '%s', not '%.*s'", name,
		    (int)l->namelen, l->name);
	/* "name" and "name " would both be read as empty: one spelling. */
	if (l->valuelen == 0)
		return bad(l, "'%s' has no value", name);
	*v = xstrndup(l->value, l->valuelen);
	return 0;
}

static int
parse_u64(const char *s, uint64_t *out)
{
	char			*end;
	unsigned long long	 v;

	/* Canonical decimal: no sign, no leading zero, no spaces. */
	if (*s == '\0' || !isdigit((unsigned char)*s) ||
	    (s[0] == '0' && s[1] != '\0'))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

int
bundle_number(const char *s, uint64_t *out)
{
	return parse_u64(s, out);
}

static int
expect_u64(struct lines *l, const char *name, uint64_t *out)
{
	char	*v;
	int	 ret;

	if (expect(l, name, &v) == -1)
		return -1;
	if ((ret = parse_u64(v, out)) == -1)
		bad(l, "'%s' must be a number, not '%s'", name, v);
	free(v);
	return ret;
}

static int
expect_hex(struct lines *l, const char *name, unsigned char *out, size_t n)
{
	char	*v;
	int	 ret;

	if (expect(l, name, &v) == -1)
		return -1;
	if ((ret = crypto_unhex(v, out, n)) == -1)
		bad(l, "'%s' must be %zu lowercase hex digits", name, 2 * n);
	free(v);
	return ret;
}

static int
hex_lower(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]) && (s[i] < 'a' || s[i] > 'f'))
			return 0;
	return 1;
}

static void
put_hex(struct buf *b, const char *name, const unsigned char *p, size_t n)
{
	char	*hex;

	hex = xmalloc(2 * n + 1);
	crypto_hex(p, n, hex);
	buf_printf(b, "%s %s\n", name, hex);
	free(hex);
}

int
witness_name_valid(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n > BUNDLE_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

/* The commitment. */

/* "drand CHAIN ROUND GENESIS PERIOD" */
static int
parse_beacon(char *v, struct commitment *c)
{
	char	*f[5], *p = v;
	size_t	 n;

	for (n = 0; n < 5 && p != NULL; n++) {
		f[n] = p;
		if ((p = strchr(p, ' ')) != NULL)
			*p++ = '\0';
	}
	if (p != NULL || n != 5 || strcmp(f[0], "drand") != 0 ||
	    strlen(f[1]) != 64 || !hex_lower(f[1], 64) ||
	    parse_u64(f[2], &c->round) == -1 || c->round == 0 ||
	    parse_u64(f[3], &c->genesis) == -1 ||
	    parse_u64(f[4], &c->period) == -1 || c->period == 0)
		return -1;
	memcpy(c->chain, f[1], 64);
	c->chain[64] = '\0';
	return 0;
}

/* "SCHEME KEY": a scheme id and 96 or 192 lowercase hex digits. */
static int
parse_beacon_key(char *v, struct commitment *c)
{
	char	*k;
	size_t	 i, n;

	if ((k = strchr(v, ' ')) == NULL)
		return -1;
	*k++ = '\0';
	n = strlen(k);
	if (*v == '\0' || strlen(v) >= sizeof(c->scheme) ||
	    (n != 96 && n != 192) || !hex_lower(k, n))
		return -1;
	for (i = 0; v[i] != '\0'; i++)
		if (!islower((unsigned char)v[i]) &&
		    !isdigit((unsigned char)v[i]) && v[i] != '-')
			return -1;
	memcpy(c->scheme, v, strlen(v) + 1);
	memcpy(c->key, k, n + 1);
	return 0;
}

char *
commitment_format(const struct commitment *c)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	buf_printf(&b, COMMITMENT_MAGIC "\nbatch %s\ncreated %s\n"
	    "snapshot %lld\n", c->batch, c->created, (long long)c->snapshot);
	for (i = 0; i < FRAME_NFILES; i++)
		put_hex(&b, frame_digest_names[i], c->frame[i],
		    CRYPTO_DIGEST_BYTES);
	buf_printf(&b, "beacon drand %s %llu %llu %llu\n", c->chain,
	    (unsigned long long)c->round, (unsigned long long)c->genesis,
	    (unsigned long long)c->period);
	buf_printf(&b, "beacon-key %s %s\n", c->scheme, c->key);
	for (i = 0; i < c->nwitnesses; i++) {
		char	 hex[CRYPTO_DIGEST_HEX];

		crypto_hex(c->witnesses[i].hash, CRYPTO_DIGEST_BYTES, hex);
		buf_printf(&b, "witness %s %s\n", c->witnesses[i].name, hex);
	}
	put_hex(&b, "secret-blake2b-256", c->secret_hash, CRYPTO_DIGEST_BYTES);
	return buf_detach(&b, NULL);
}

int
commitment_parse(const char *text, size_t len, struct commitment *c,
    char **err)
{
	struct lines	 l = { text, text + len, 0, NULL, 0, NULL, 0, NULL };
	char		*v = NULL, *sp;
	uint64_t	 u;
	size_t		 i;
	int		 rc;

	memset(c, 0, sizeof(*c));
	*err = NULL;
	if (skip_magic(&l, COMMITMENT_MAGIC) == -1)
		goto fail;
	if (expect(&l, "batch", &c->batch) == -1 ||
	    expect(&l, "created", &c->created) == -1 ||
	    expect_u64(&l, "snapshot", &u) == -1)
		goto fail;
	c->snapshot = (int64_t)u;
	for (i = 0; i < FRAME_NFILES; i++)
		if (expect_hex(&l, frame_digest_names[i], c->frame[i],
		    CRYPTO_DIGEST_BYTES) == -1)
			goto fail;
	if (expect(&l, "beacon", &v) == -1)
		goto fail;
	if (parse_beacon(v, c) == -1) {
		bad(&l, "'beacon' must be 'drand CHAIN-HASH ROUND GENESIS "
		    "PERIOD'");
		goto fail;
	}
	free(v);
	v = NULL;
	if (expect(&l, "beacon-key", &v) == -1)
		goto fail;
	if (parse_beacon_key(v, c) == -1) {
		bad(&l, "'beacon-key' must be 'SCHEME PUBLIC-KEY' of a drand "
		    "chain");
		goto fail;
	}
	free(v);
	v = NULL;
	while ((rc = next(&l)) == 1 && is(&l, "witness")) {
		v = xstrndup(l.value, l.valuelen);
		if ((sp = strchr(v, ' ')) == NULL) {
			bad(&l, "'witness' must be 'NAME HASH'");
			goto fail;
		}
		*sp = '\0';
		c->witnesses = xreallocarray(c->witnesses, c->nwitnesses + 1,
		    sizeof(*c->witnesses));
		c->witnesses[c->nwitnesses].name = xstrdup(v);
		if (!witness_name_valid(v) || crypto_unhex(sp + 1,
		    c->witnesses[c->nwitnesses].hash, CRYPTO_DIGEST_BYTES) ==
		    -1) {
			c->nwitnesses++;
			bad(&l, "'witness' must be 'NAME HASH'");
			goto fail;
		}
		for (i = 0; i < c->nwitnesses; i++)
			if (strcmp(c->witnesses[i].name, v) == 0) {
				c->nwitnesses++;
				bad(&l, "witness '%s' twice", v);
				goto fail;
			}
		c->nwitnesses++;
		free(v);
		v = NULL;
	}
	if (rc != 1 || !is(&l, "secret-blake2b-256") || l.valuelen != 64) {
		if (l.err == NULL)
			bad(&l, "expected 'secret-blake2b-256'");
		goto fail;
	}
	v = xstrndup(l.value, l.valuelen);
	if (crypto_unhex(v, c->secret_hash, CRYPTO_DIGEST_BYTES) == -1) {
		bad(&l, "'secret-blake2b-256' must be 64 lowercase hex digits");
		goto fail;
	}
	if (next(&l) != 0) {
		bad(&l, "unexpected line after 'secret-blake2b-256'");
		goto fail;
	}
	free(v);
	return 0;
fail:
	free(v);
	*err = l.err != NULL ? l.err : xstrdup("malformed commitment");
	commitment_release(c);
	return -1;
}

void
commitment_release(struct commitment *c)
{
	size_t	 i;

	free(c->batch);
	free(c->created);
	for (i = 0; i < c->nwitnesses; i++)
		free(c->witnesses[i].name);
	free(c->witnesses);
	memset(c, 0, sizeof(*c));
}

/* Escaping values. */

void
bundle_escape(struct buf *b, const unsigned char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\\')
			buf_addstr(b, "\\\\");
		else if (p[i] == '\n')
			buf_addstr(b, "\\n");
		else if (p[i] < 0x20 || p[i] == 0x7f)
			buf_printf(b, "\\x%02x", p[i]);
		else
			buf_addch(b, p[i]);
	}
}

int
bundle_unescape(const char *s, size_t n, unsigned char **out, size_t *len)
{
	struct buf	 b = BUF_INIT;
	unsigned char	 byte;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
				goto fail;
			buf_addch(&b, s[i]);
			continue;
		}
		if (i + 1 < n && s[i + 1] == '\\')
			buf_addch(&b, '\\');
		else if (i + 1 < n && s[i + 1] == 'n')
			buf_addch(&b, '\n');
		else if (i + 3 < n && s[i + 1] == 'x' &&
		    hex_lower(s + i + 2, 2)) {
			crypto_unhex((char[3]){ s[i + 2], s[i + 3], '\0' },
			    &byte, 1);
			/* Only what bundle_escape writes: canonical. */
			if ((byte >= 0x20 && byte != 0x7f) || byte == '\n')
				goto fail;
			buf_addch(&b, byte);
			i += 2;
		} else
			goto fail;
		i++;
	}
	*out = (unsigned char *)buf_detach(&b, len);
	return 0;
fail:
	buf_release(&b);
	return -1;
}

/* The selection. */

/* Whether an id has the bytes a frame's ids have: no space, no control. */
static int
id_valid(const char *p, size_t n)
{
	size_t	 i;

	if (n == 0 || n > DSR_ID_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] <= 0x20 || p[i] == 0x7f)
			return 0;
	return 1;
}

/* "DSR-1 public selection": one id a line, ascending by bytes (§8.1). */
static int
public_selection_parse(const char *p, const char *end, struct selected **out,
    size_t *nout, char **err)
{
	struct selected	*v = NULL;
	const char	*nl;
	size_t		 n = 0, cap = 0, len;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			*err = xasprintf("line %zu: no newline at the end",
			    n + 2);
			goto fail;
		}
		len = (size_t)(nl - p);
		if (!id_valid(p, len)) {
			*err = xasprintf("line %zu: not an id", n + 2);
			goto fail;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		memset(&v[n], 0, sizeof(v[n]));
		memcpy(v[n].id, p, len);
		v[n].rank = n + 1;
		if (n > 0 && strcmp(v[n - 1].id, v[n].id) >= 0) {
			*err = xasprintf("line %zu: '%s' is not after '%s': "
			    "the ids are in ascending byte order, each once",
			    n + 2, v[n].id, v[n - 1].id);
			goto fail;
		}
		n++;
	}
	*out = v;
	*nout = n;
	return 0;
fail:
	free(v);
	return -1;
}

/* Compares two strings as ids are ordered: bytes, unsigned. */
static int
cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The public forms of selection.txt and teams.txt (§8.1): ordered by id,
 * with no rank and no ticket -- the rank is the ticket order, which
 * tells strata apart.
 */
int
bundle_public_selection(const char *text, size_t len, struct buf *out)
{
	struct selected	*s = NULL;
	char		**ids, *err = NULL;
	size_t		 n, i;

	if (selection_parse(text, len, 0, &s, &n, &err) == -1) {
		free(err);
		return -1;
	}
	ids = xcalloc(n + 1, sizeof(*ids));
	for (i = 0; i < n; i++)
		ids[i] = s[i].id;
	qsort(ids, n, sizeof(*ids), cmp_lines);
	buf_addstr(out, SELECTION_PUBLIC_MAGIC);
	for (i = 0; i < n; i++)
		buf_printf(out, "%s\n", ids[i]);
	free(ids);
	free(s);
	return 0;
}

int
bundle_public_teams(const char *text, size_t len, struct buf *out)
{
	const char	*p, *end = text + len, *nl, *tab;
	char		**lines = NULL;
	size_t		 n = 0, i;
	int		 ret = -1;

	if (len < strlen(TEAMS_MAGIC) || memcmp(text, TEAMS_MAGIC,
	    strlen(TEAMS_MAGIC)) != 0)
		return -1;
	for (p = text + strlen(TEAMS_MAGIC); p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
		    (tab = memchr(p, '\t', (size_t)(nl - p))) == NULL)
			goto out;
		lines = xreallocarray(lines, n + 1, sizeof(*lines));
		lines[n++] = xstrndup(tab + 1, (size_t)(nl - tab - 1));
	}
	/* Each line starts with its id, and ids are distinct. */
	qsort(lines, n, sizeof(*lines), cmp_lines);
	buf_addstr(out, TEAMS_PUBLIC_MAGIC);
	for (i = 0; i < n; i++)
		buf_printf(out, "%s\n", lines[i]);
	ret = 0;
out:
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	return ret;
}

int
bundle_public_replacements(const char *text, size_t len, struct buf *out)
{
	const char	*p, *end = text + len, *nl, *tab;

	if (len < strlen(REPLACEMENTS_MAGIC) || memcmp(text,
	    REPLACEMENTS_MAGIC, strlen(REPLACEMENTS_MAGIC)) != 0)
		return -1;
	buf_addstr(out, REPLACEMENTS_PUBLIC_MAGIC);
	for (p = text + strlen(REPLACEMENTS_MAGIC); p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return -1;
		/* The reason is the last field and holds no raw TAB. */
		for (tab = nl; tab > p && tab[-1] != '\t'; tab--)
			;
		if (tab == p)
			return -1;
		buf_add(out, p, (size_t)(tab - 1 - p));
		buf_addstr(out, "\n");
	}
	return 0;
}

void
selection_line(struct buf *b, uint64_t rank, const char *id,
    const char *stratum, const unsigned char ticket[DSR_TICKET_BYTES])
{
	char	 hex[2 * DSR_TICKET_BYTES + 1];

	crypto_hex(ticket, DSR_TICKET_BYTES, hex);
	if (stratum != NULL)
		buf_printf(b, "%llu\t%s\t%s\t%s\n", (unsigned long long)rank,
		    id, stratum, hex);
	else
		buf_printf(b, "%llu\t%s\t%s\n", (unsigned long long)rank, id,
		    hex);
}

int
selection_parse(const char *text, size_t len, int public,
    struct selected **out, size_t *nout, char **err)
{
	const char	*magic = public ? SELECTION_PUBLIC_MAGIC :
			    SELECTION_MAGIC;
	const char	*p = text, *end = text + len, *nl;
	struct selected	*v = NULL, *s;
	struct buf	 line = BUF_INIT;
	char		*f[4], *save;
	size_t		 n = 0, cap = 0, lineno = 1, nf, want;

	*out = NULL;
	*nout = 0;
	*err = NULL;
	if (len < strlen(magic) || memcmp(text, magic, strlen(magic)) != 0) {
		*err = xasprintf("line 1: not a DSR-1 %sselection",
		    public ? "public " : "");
		return -1;
	}
	if (public)
		return public_selection_parse(text + strlen(magic), end,
		    out, nout, err);
	want = 4;
	/* Room for every line at once: a province's half million. */
	for (p = text + strlen(magic); p < end &&
	    (nl = memchr(p, '\n', (size_t)(end - p))) != NULL; p = nl + 1)
		cap++;
	v = xreallocarray(NULL, cap > 0 ? cap : 1, sizeof(*v));
	for (p = text + strlen(magic); p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			*err = xasprintf("line %zu: no newline at the end",
			    lineno);
			goto fail;
		}
		/* A NUL would end the line early: one spelling only. */
		if (memchr(p, '\0', (size_t)(nl - p)) != NULL ||
		    memchr(p, '\r', (size_t)(nl - p)) != NULL) {
			*err = xasprintf("line %zu: CR or NUL in a line",
			    lineno);
			goto fail;
		}
		buf_reset(&line);
		buf_add(&line, p, (size_t)(nl - p));
		/* Split at TABs: exactly want fields. */
		for (nf = 0, save = line.data; save != NULL && nf < 4; nf++) {
			f[nf] = save;
			if ((save = strchr(save, '\t')) != NULL)
				*save++ = '\0';
		}
		if (save != NULL || nf != want) {
			*err = xasprintf("line %zu: expected %zu fields",
			    lineno, want);
			goto fail;
		}
		s = &v[n];
		memset(s, 0, sizeof(*s));
		if (parse_u64(f[0], &s->rank) == -1 || s->rank != n + 1 ||
		    !id_valid(f[1], strlen(f[1])) ||
		    (!public && (strlen(f[2]) == 0 ||
		    strlen(f[2]) >= sizeof(s->stratum))) ||
		    crypto_unhex(f[want - 1], s->ticket, DSR_TICKET_BYTES) ==
		    -1) {
			*err = xasprintf("line %zu: not a selection line "
			    "(rank %zu expected)", lineno, n + 1);
			goto fail;
		}
		memcpy(s->id, f[1], strlen(f[1]) + 1);
		if (!public)
			memcpy(s->stratum, f[2], strlen(f[2]) + 1);
		n++;
	}
	buf_release(&line);
	*out = v;
	*nout = n;
	return 0;
fail:
	buf_release(&line);
	free(v);
	return -1;
}

/* The manifest. */

int
bundle_withheld(const char *path)
{
	return strcmp(path, "frame/targets.txt") == 0 ||
	    strcmp(path, "frame/inspectors.txt") == 0 ||
	    strcmp(path, "frame/conflicts.txt") == 0 ||
	    strcmp(path, "frame/parameters.txt") == 0;
}

/* n/N as a reduced fraction; 0/0 when N is 0. */
static void
reduce(uint64_t n, uint64_t d, uint64_t *p, uint64_t *q)
{
	uint64_t	 a = n, b = d, t;

	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	*p = a ? n / a : 0;
	*q = a ? d / a : 0;
}

char *
manifest_format(const struct manifest *m)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;
	uint64_t	 p, q;

	buf_printf(&b, MANIFEST_MAGIC "\nalgorithm DSR-1\nbundle %s\n"
	    "batch %s\n", m->public ? "public" : "full", m->batch);
	put_hex(&b, "commitment-blake2b-256", m->commitment,
	    CRYPTO_DIGEST_BYTES);
	buf_printf(&b, "beacon-round %llu\n", (unsigned long long)m->round);
	put_hex(&b, "beacon-randomness", m->randomness, 32);
	for (i = 0; i < m->nreveals; i++) {
		buf_printf(&b, "reveal %s ", m->reveals[i].name);
		bundle_escape(&b, m->reveals[i].value, m->reveals[i].len);
		buf_addch(&b, '\n');
	}
	/* A public bundle gives neither: from them, and the public list of
	 * enterprises, anyone computes every ticket (§8.1). */
	if (!m->public) {
		put_hex(&b, "secret", m->secret, 32);
		put_hex(&b, "seed", m->seed, 32);
	}
	for (i = 0; !m->public && i < m->nstrata; i++) {
		reduce(m->strata[i].sample, m->strata[i].population, &p, &q);
		buf_printf(&b, "stratum %s %llu %llu %llu/%llu\n",
		    m->strata[i].name,
		    (unsigned long long)m->strata[i].population,
		    (unsigned long long)m->strata[i].sample,
		    (unsigned long long)p, (unsigned long long)q);
	}
	buf_printf(&b, "selected %llu\n", (unsigned long long)m->selected);
	buf_printf(&b, "replacements %llu\n",
	    (unsigned long long)m->replacements);
	for (i = 0; i < m->nfiles; i++) {
		char	 hex[CRYPTO_DIGEST_HEX];

		crypto_hex(m->files[i].digest, CRYPTO_DIGEST_BYTES, hex);
		buf_printf(&b, "file %s %s%s\n", m->files[i].path, hex,
		    m->files[i].withheld ? " withheld" : "");
	}
	return buf_detach(&b, NULL);
}

/*
 * sscanf takes "+1", "01" and spaces; the manifest has one spelling:
 * single spaces, and each number as parse_u64 reads it.
 */
static int
canonical_stratum(const char *v)
{
	char		*copy, *f[5], *p;
	uint64_t	 u;
	size_t		 i;
	int		 ok = 1;

	copy = xstrdup(v);
	p = copy;
	for (i = 0; i < 5; i++) {
		f[i] = p;
		if ((p = strchr(p, i == 3 ? '/' : ' ')) == NULL) {
			ok = i == 4;
			break;
		}
		*p++ = '\0';
	}
	if (p != NULL)
		ok = 0;
	for (i = 1; ok && i < 5; i++)
		if (parse_u64(f[i], &u) == -1)
			ok = 0;
	if (ok && (*f[0] == '\0' || strchr(f[0], '\t') != NULL))
		ok = 0;
	free(copy);
	return ok;
}

static int
parse_manifest_stratum(struct lines *l, struct manifest *m)
{
	struct stratum_count	*s;
	char			*v, name[32];
	unsigned long long	 n, k, p, q;
	uint64_t		 rp, rq;
	int			 used = 0;

	v = xstrndup(l->value, l->valuelen);
	m->strata = xreallocarray(m->strata, m->nstrata + 1,
	    sizeof(*m->strata));
	s = &m->strata[m->nstrata];
	memset(s, 0, sizeof(*s));
	if (sscanf(v, "%31s %llu %llu %llu/%llu%n", name, &n, &k, &p, &q,
	    &used) != 5 || (size_t)used != strlen(v) || k > n ||
	    !canonical_stratum(v)) {
		free(v);
		return bad(l, "'stratum' must be 'NAME N n P/Q', numbers in "
		    "decimal without a sign or leading zero");
	}
	/* P/Q is n/N reduced (0/0 for an empty stratum): one spelling. */
	reduce(k, n, &rp, &rq);
	if (p != rp || q != rq) {
		free(v);
		return bad(l, "stratum '%s': the probability must be %llu/%llu",
		    name, (unsigned long long)rp, (unsigned long long)rq);
	}
	free(v);
	memcpy(s->name, name, sizeof(s->name));
	s->population = n;
	s->sample = k;
	m->nstrata++;
	return 0;
}

static int
parse_manifest_file(struct lines *l, struct manifest *m)
{
	struct bundle_file	*f;
	char			*v, *sp, *hex;

	v = xstrndup(l->value, l->valuelen);
	m->files = xreallocarray(m->files, m->nfiles + 1, sizeof(*m->files));
	f = &m->files[m->nfiles];
	memset(f, 0, sizeof(*f));
	if ((sp = strchr(v, ' ')) == NULL)
		goto bad;
	*sp = '\0';
	hex = sp + 1;
	if ((sp = strchr(hex, ' ')) != NULL) {
		if (strcmp(sp, " withheld") != 0)
			goto bad;
		*sp = '\0';
		f->withheld = 1;
	}
	/* Paths stay inside the bundle. */
	if (*v == '\0' || *v == '/' || strstr(v, "..") != NULL ||
	    crypto_unhex(hex, f->digest, CRYPTO_DIGEST_BYTES) == -1)
		goto bad;
	f->path = xstrdup(v);
	m->nfiles++;
	free(v);
	return 0;
bad:
	free(v);
	return bad(l, "'file' must be 'PATH HASH [withheld]'");
}

int
manifest_parse(const char *text, size_t len, struct manifest *m, char **err)
{
	struct lines	 l = { text, text + len, 0, NULL, 0, NULL, 0, NULL };
	struct reveal	*r;
	char		*v = NULL, *sp;
	int		 rc;

	memset(m, 0, sizeof(*m));
	*err = NULL;
	if (skip_magic(&l, MANIFEST_MAGIC) == -1)
		goto fail;
	if (expect(&l, "algorithm", &v) == -1)
		goto fail;
	if (strcmp(v, "DSR-1") != 0) {
		bad(&l, "algorithm '%s' is not DSR-1: use an ssj that "
		    "implements it", v);
		goto fail;
	}
	/* Reset: a failing expect() leaves v as it was (issue 9). */
	free(v);
	v = NULL;
	if (expect(&l, "bundle", &v) == -1)
		goto fail;
	if (strcmp(v, "full") != 0 && strcmp(v, "public") != 0) {
		bad(&l, "'bundle' must be 'full' or 'public'");
		goto fail;
	}
	m->public = strcmp(v, "public") == 0;
	free(v);
	v = NULL;
	if (expect(&l, "batch", &m->batch) == -1 ||
	    expect_hex(&l, "commitment-blake2b-256", m->commitment,
	    CRYPTO_DIGEST_BYTES) == -1 ||
	    expect_u64(&l, "beacon-round", &m->round) == -1 ||
	    expect_hex(&l, "beacon-randomness", m->randomness, 32) == -1)
		goto fail;
	while ((rc = next(&l)) == 1 && is(&l, "reveal")) {
		v = xstrndup(l.value, l.valuelen);
		m->reveals = xreallocarray(m->reveals, m->nreveals + 1,
		    sizeof(*m->reveals));
		r = &m->reveals[m->nreveals];
		memset(r, 0, sizeof(*r));
		if ((sp = strchr(v, ' ')) == NULL) {
			bad(&l, "'reveal' must be 'NAME VALUE'");
			goto fail;
		}
		*sp = '\0';
		if (!witness_name_valid(v) || bundle_unescape(sp + 1,
		    strlen(sp + 1), &r->value, &r->len) == -1) {
			bad(&l, "'reveal' must be 'NAME VALUE'");
			goto fail;
		}
		r->name = xstrdup(v);
		m->nreveals++;
		free(v);
		v = NULL;
	}
	if (rc == -1)
		goto fail;
	if (!m->public) {
		if (rc != 1 || !is(&l, "secret") || l.valuelen != 64 ||
		    (v = xstrndup(l.value, 64)) == NULL ||
		    crypto_unhex(v, m->secret, 32) == -1) {
			bad(&l, "expected 'secret' and 64 hex digits");
			goto fail;
		}
		free(v);
		v = NULL;
		if (expect_hex(&l, "seed", m->seed, 32) == -1)
			goto fail;
		while ((rc = next(&l)) == 1 && is(&l, "stratum"))
			if (parse_manifest_stratum(&l, m) == -1)
				goto fail;
	}
	if (rc != 1 || !is(&l, "selected")) {
		bad(&l, "expected 'selected'");
		goto fail;
	}
	v = xstrndup(l.value, l.valuelen);
	if (parse_u64(v, &m->selected) == -1) {
		bad(&l, "'selected' must be a number");
		goto fail;
	}
	free(v);
	v = NULL;
	if (next(&l) != 1 || !is(&l, "replacements")) {
		bad(&l, "expected 'replacements'");
		goto fail;
	}
	v = xstrndup(l.value, l.valuelen);
	if (parse_u64(v, &m->replacements) == -1) {
		bad(&l, "'replacements' must be a number");
		goto fail;
	}
	free(v);
	v = NULL;
	while ((rc = next(&l)) == 1) {
		if (!is(&l, "file")) {
			bad(&l, "expected 'file'");
			goto fail;
		}
		if (parse_manifest_file(&l, m) == -1)
			goto fail;
	}
	if (rc == -1)
		goto fail;
	return 0;
fail:
	free(v);
	*err = l.err != NULL ? l.err : xstrdup("malformed manifest");
	manifest_release(m);
	return -1;
}

void
manifest_release(struct manifest *m)
{
	size_t	 i;

	free(m->batch);
	for (i = 0; i < m->nreveals; i++) {
		free(m->reveals[i].name);
		free(m->reveals[i].value);
	}
	free(m->reveals);
	free(m->strata);
	for (i = 0; i < m->nfiles; i++)
		free(m->files[i].path);
	free(m->files);
	memset(m, 0, sizeof(*m));
}
