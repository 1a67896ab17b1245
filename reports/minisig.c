/*
 * Signatures of published files in minisign's prehashed format, with a
 * trusted comment that names the file and its digest (ssj-sig/1).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "file.h"
#include "keys.h"
#include "log.h"
#include "minisig.h"
#include "xmalloc.h"

#define UNTRUSTED_PREFIX	"untrusted comment: "
#define TRUSTED_PREFIX		"trusted comment: "
/*
 * minisign reads the comment lines with fgets(3) into 1024 and 8192
 * bytes: a longer line, its LF included, breaks stock verification.
 */
#define UNTRUSTED_MAX		1022	/* the whole line */
#define TRUSTED_MAX		8173	/* 8191 - the prefix - LF */
#define SIG_FILE_MAX		16384
#define SIG_MAGIC		"ssj-sig/1"
#define SIG_BYTES		(2 + KEYNUM_BYTES + CRYPTO_SIGN_BYTES)	/* 74 */
#define NELEM(a)		(sizeof(a) / sizeof((a)[0]))

static const char	*base_name(const char *);
static int		 value_ok(const char *, const char *);
static void		 escape(struct buf *, const char *);
static char		*format_fields(const char *, const char *,
			    const char *, const char *, int64_t);
static int		 unescape(const char *, size_t, char **);
static int		 next_line(const char **, const char *, const char **,
			    size_t *);
static int		 read_sig_file(const char *, char **, size_t *);
static int		 sig_global_verify(const struct minisig *,
			    const struct pubkey *);

static const char *
base_name(const char *path)
{
	const char	*slash;

	return (slash = strrchr(path, '/')) != NULL ? slash + 1 : path;
}

/* A value the trusted comment can hold; what names it in messages. */
static int
value_ok(const char *what, const char *v)
{
	if (v == NULL || *v == '\0')
		return error("empty %s in a signature's trusted comment",
		    what);
	if (strlen(v) > SIG_VALUE_MAX)
		return error("%s longer than %d bytes for a signature's "
		    "trusted comment", what, SIG_VALUE_MAX);
	return 0;
}

/*
 * Printable ASCII stays as it is, so the usual names read plainly; all
 * else, including UTF-8, becomes %XX: one line, one spelling per value,
 * nothing a terminal could misdisplay.
 */
static void
escape(struct buf *b, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p > 0x20 && *p < 0x7f && *p != '%' && *p != '=')
			buf_addch(b, *p);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

char *
sig_escape(const char *s)
{
	struct buf	 b = BUF_INIT;

	escape(&b, s);
	return buf_detach(&b, NULL);
}

static char *
format_fields(const char *kind, const char *id, const char *file,
    const char *hex, int64_t ledger)
{
	struct buf	 b = BUF_INIT;
	unsigned char	 digest[CRYPTO_DIGEST_BYTES];
	char		 lower[CRYPTO_DIGEST_HEX];

	if (value_ok("kind", kind) == -1 ||
	    (id != NULL && value_ok("id", id) == -1) ||
	    value_ok("file name", file) == -1)
		return NULL;
	if (crypto_unhex(hex, digest, sizeof(digest)) == -1) {
		log_warnx("bad digest '%s' for a signature", hex);
		return NULL;
	}
	crypto_hex(digest, sizeof(digest), lower);
	if (ledger < -1) {
		log_warnx("bad ledger index %" PRId64 " for a signature",
		    ledger);
		return NULL;
	}
	buf_addstr(&b, SIG_MAGIC " kind=");
	escape(&b, kind);
	if (id != NULL) {
		buf_addstr(&b, " id=");
		escape(&b, id);
	}
	buf_addstr(&b, " file=");
	escape(&b, file);
	buf_printf(&b, " blake2b-256=%s", lower);
	if (ledger >= 0)
		buf_printf(&b, " ledger=%" PRId64, ledger);
	return buf_detach(&b, NULL);
}

char *
sig_fields_format(const struct sig_fields *f)
{
	return format_fields(f->kind, f->id, f->file, f->blake2b, f->ledger);
}

/* Decodes one escaped value of n bytes; -1 if it is not one. */
static int
unescape(const char *s, size_t n, char **out)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const char		*hi, *lo;
	char			*v;
	size_t			 i, len = 0;
	int			 ret = -1;

	v = xmalloc(n + 1);
	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (n - i < 3 || s[i + 1] == '\0' || s[i + 2] == '\0' ||
			    (hi = strchr(hex, s[i + 1])) == NULL ||
			    (lo = strchr(hex, s[i + 2])) == NULL)
				goto out;
			v[len++] = (char)((hi - hex) << 4 | (lo - hex));
			i += 2;
		} else if ((unsigned char)s[i] > 0x20 &&
		    (unsigned char)s[i] < 0x7f && s[i] != '=')
			v[len++] = s[i];
		else
			goto out;
	}
	v[len] = '\0';
	/* A NUL would hide the rest; the format check finds other tricks. */
	if (len == 0 || len > SIG_VALUE_MAX || strlen(v) != len)
		goto out;
	*out = v;
	v = NULL;
	ret = 0;
out:
	free(v);
	return ret;
}

int
sig_fields_parse(const char *comment, struct sig_fields *out)
{
	/* The fields in their one order; id and ledger may be absent. */
	static const struct {
		const char	*name;
		int		 required;
	} fields[] = {
		{ "kind", 1 }, { "id", 0 }, { "file", 1 },
		{ "blake2b-256", 1 }, { "ledger", 0 },
	};
	const char	*p, *tok, *eq, *end;
	char		*value, *canon, *d;
	size_t		 n, i, next = 0;
	int64_t		 ledger;
	int		 same, ret = -1;

	memset(out, 0, sizeof(*out));
	out->ledger = -1;
	if (strncmp(comment, SIG_MAGIC " ", strlen(SIG_MAGIC) + 1) != 0)
		return -1;
	p = comment + strlen(SIG_MAGIC) + 1;
	while (*p != '\0') {
		tok = p;
		if ((end = strchr(tok, ' ')) == NULL)
			end = tok + strlen(tok);
		p = *end == ' ' ? end + 1 : end;
		if ((eq = memchr(tok, '=', (size_t)(end - tok))) == NULL)
			goto out;
		n = (size_t)(eq - tok);
		for (i = next; i < NELEM(fields); i++) {
			if (strlen(fields[i].name) == n &&
			    memcmp(fields[i].name, tok, n) == 0)
				break;
			if (fields[i].required)
				goto out;
		}
		if (i == NELEM(fields))
			goto out;
		next = i + 1;
		if (unescape(eq + 1, (size_t)(end - eq - 1), &value) == -1)
			goto out;
		switch (i) {
		case 0:
			out->kind = value;
			break;
		case 1:
			out->id = value;
			break;
		case 2:
			out->file = value;
			break;
		case 3:
			n = strlen(value);
			if (n == sizeof(out->blake2b) - 1 &&
			    strspn(value, "0123456789abcdef") == n)
				memcpy(out->blake2b, value, n + 1);
			free(value);
			if (out->blake2b[0] == '\0')
				goto out;
			break;
		default:
			ledger = 0;
			for (d = value; *d >= '0' && *d <= '9'; d++) {
				if (ledger > (INT64_MAX - (*d - '0')) / 10)
					break;
				ledger = ledger * 10 + (*d - '0');
			}
			same = *d == '\0';
			free(value);
			if (!same)
				goto out;
			out->ledger = ledger;
			break;
		}
	}
	if (out->kind == NULL || out->file == NULL || out->blake2b[0] == '\0')
		goto out;
	/*
	 * One spelling only: what ssj would write for these fields must be
	 * the comment, byte for byte (no %41 for A, no 007, no stray space).
	 */
	if ((canon = sig_fields_format(out)) == NULL)
		goto out;
	same = strcmp(canon, comment) == 0;
	free(canon);
	if (same)
		ret = 0;
out:
	if (ret == -1)
		sig_fields_release(out);
	return ret;
}

void
sig_fields_release(struct sig_fields *f)
{
	free(f->kind);
	free(f->id);
	free(f->file);
	memset(f, 0, sizeof(*f));
	f->ledger = -1;
}

/*
 * The next line of [*p, end) without its LF or CRLF; 0 if there is one,
 * -1 at the end.
 */
static int
next_line(const char **p, const char *end, const char **line, size_t *len)
{
	const char	*nl;

	if (*p >= end)
		return -1;
	*line = *p;
	if ((nl = memchr(*p, '\n', (size_t)(end - *p))) == NULL) {
		*len = (size_t)(end - *p);
		*p = end;
	} else {
		*len = (size_t)(nl - *p);
		*p = nl + 1;
	}
	if (*len > 0 && (*line)[*len - 1] == '\r')
		(*len)--;
	return 0;
}

int
minisig_parse(const char *text, size_t len, const char *name,
    struct minisig *out)
{
	unsigned char	 raw[SIG_BYTES];
	const char	*p = text, *end = text + len, *line, *comment;
	size_t		 n, got, clen;

	memset(out, 0, sizeof(*out));
	if (next_line(&p, end, &line, &n) == -1 ||
	    n < strlen(UNTRUSTED_PREFIX) ||
	    memcmp(line, UNTRUSTED_PREFIX, strlen(UNTRUSTED_PREFIX)) != 0)
		return error("%s:1: not a signature file: the first line must "
		    "start with 'untrusted comment:'", name);
	if (n > UNTRUSTED_MAX)
		return error("%s:1: comment line longer than %d bytes", name,
		    UNTRUSTED_MAX);

	if (next_line(&p, end, &line, &n) == -1)
		return error("%s: truncated after line 1", name);
	if (crypto_unbase64(raw, sizeof(raw), &got, line, n) == -1)
		return error("%s:2: not a signature: bad base64", name);
	if (got != SIG_BYTES)
		return error("%s:2: not a signature: %zu bytes, not %d", name,
		    got, SIG_BYTES);
	if (memcmp(raw, "ED", 2) == 0)
		out->legacy = 0;
	else if (memcmp(raw, "Ed", 2) == 0)
		out->legacy = 1;
	else
		return error("%s:2: unsupported signature algorithm", name);
	memcpy(out->keynum, raw + 2, KEYNUM_BYTES);
	memcpy(out->sig, raw + 2 + KEYNUM_BYTES, CRYPTO_SIGN_BYTES);

	if (next_line(&p, end, &comment, &clen) == -1)
		return error("%s: truncated after line 2", name);
	if (clen < strlen(TRUSTED_PREFIX) ||
	    memcmp(comment, TRUSTED_PREFIX, strlen(TRUSTED_PREFIX)) != 0)
		return error("%s:3: no trusted comment: the line must start "
		    "with 'trusted comment:'", name);
	comment += strlen(TRUSTED_PREFIX);
	clen -= strlen(TRUSTED_PREFIX);
	if (clen > TRUSTED_MAX)
		return error("%s:3: trusted comment longer than %d bytes",
		    name, TRUSTED_MAX);
	/* minisign would sign or check less than the line: refuse both. */
	if (memchr(comment, '\0', clen) != NULL ||
	    memchr(comment, '\r', clen) != NULL)
		return error("%s:3: NUL or carriage return in the trusted "
		    "comment", name);

	if (next_line(&p, end, &line, &n) == -1)
		return error("%s: truncated after line 3", name);
	if (crypto_unbase64(out->global_sig, sizeof(out->global_sig), &got,
	    line, n) == -1 || got != CRYPTO_SIGN_BYTES)
		return error("%s:4: not a comment signature: bad base64 or "
		    "not %d bytes", name, CRYPTO_SIGN_BYTES);
	if (p != end)
		return error("%s:5: unexpected text after the signature",
		    name);
	out->comment = xstrndup(comment, clen);
	out->comment_len = clen;
	return 0;
}

void
minisig_release(struct minisig *ms)
{
	free(ms->comment);
	memset(ms, 0, sizeof(*ms));
}

static int
read_sig_file(const char *path, char **text, size_t *len)
{
	FILE	*fp;
	char	*buf;
	size_t	 n;
	int	 ret = -1;

	if ((fp = fopen(path, "rb")) == NULL) {
		log_warn("cannot open signature '%s'", path);
		return -1;
	}
	buf = xmalloc(SIG_FILE_MAX + 1);
	n = fread(buf, 1, SIG_FILE_MAX + 1, fp);
	if (ferror(fp)) {
		log_warn("cannot read '%s'", path);
		goto out;
	}
	if (n > SIG_FILE_MAX) {
		log_warnx("'%s' is too large to be a signature file", path);
		goto out;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	fclose(fp);
	return ret;
}


/*
 * The .minisig text ssj writes for the file called name: the untrusted
 * comment names the file and the key, LF line ends.
 */
static void
sig_text(struct buf *text, const char *name, const struct minisig *ms)
{
	unsigned char	 raw[SIG_BYTES];
	char		 b64[CRYPTO_BASE64_LEN(SIG_BYTES)], keyid[KEY_ID_LEN];
	char		*escaped;

	key_id(ms->keynum, keyid);
	escaped = sig_escape(name);
	buf_printf(text, UNTRUSTED_PREFIX "ssj signature of %s, key %s\n",
	    escaped, keyid);
	free(escaped);
	memcpy(raw, ms->legacy ? "Ed" : "ED", 2);
	memcpy(raw + 2, ms->keynum, KEYNUM_BYTES);
	memcpy(raw + 2 + KEYNUM_BYTES, ms->sig, CRYPTO_SIGN_BYTES);
	crypto_base64(b64, sizeof(b64), raw, sizeof(raw));
	buf_printf(text, "%s\n" TRUSTED_PREFIX, b64);
	buf_add(text, ms->comment, ms->comment_len);
	crypto_base64(b64, sizeof(b64), ms->global_sig,
	    sizeof(ms->global_sig));
	buf_printf(text, "\n%s\n", b64);
}

int
minisig_sign_file(const char *path, const struct seckey *sk,
    const char *kind, const char *id, int64_t ledger)
{
	unsigned char	 b512[CRYPTO_DIGEST512_BYTES];
	unsigned char	 b256[CRYPTO_DIGEST_BYTES], raw[SIG_BYTES];
	unsigned char	 global[CRYPTO_SIGN_BYTES];
	struct pubkey	 pk;
	struct minisig	 ms;
	struct buf	 signed_part = BUF_INIT, text = BUF_INIT;
	char		 hex[CRYPTO_DIGEST_HEX];
	char		*comment = NULL, *sigpath = NULL;
	int		 ret = -1;

	if (crypto_prehash_file(path, b512, b256) == -1)
		return -1;
	crypto_hex(b256, sizeof(b256), hex);
	if ((comment = format_fields(kind, id, base_name(path), hex,
	    ledger)) == NULL)
		goto out;

	memcpy(raw, "ED", 2);
	memcpy(raw + 2, sk->keynum, KEYNUM_BYTES);
	crypto_sign_buf(raw + 2 + KEYNUM_BYTES, b512, sizeof(b512), sk->sk);
	buf_add(&signed_part, raw + 2 + KEYNUM_BYTES, CRYPTO_SIGN_BYTES);
	buf_addstr(&signed_part, comment);
	crypto_sign_buf(global, signed_part.data, signed_part.len, sk->sk);
	/* As minisign -S -p does: never publish what would not verify. */
	seckey_public(sk, &pk);
	if (crypto_verify_buf(raw + 2 + KEYNUM_BYTES, b512, sizeof(b512),
	    pk.pk) == -1 || crypto_verify_buf(global, signed_part.data,
	    signed_part.len, pk.pk) == -1) {
		log_warnx("cannot sign '%s': the signature does not verify "
		    "with the key's own public half", path);
		goto out;
	}

	memset(&ms, 0, sizeof(ms));
	memcpy(ms.keynum, sk->keynum, KEYNUM_BYTES);
	memcpy(ms.sig, raw + 2 + KEYNUM_BYTES, CRYPTO_SIGN_BYTES);
	ms.comment = comment;
	ms.comment_len = strlen(comment);
	memcpy(ms.global_sig, global, CRYPTO_SIGN_BYTES);
	sig_text(&text, base_name(path), &ms);
	sigpath = xasprintf("%s.minisig", path);
	ret = file_write(sigpath, text.data, text.len, 0644, 0);
out:
	buf_release(&signed_part);
	buf_release(&text);
	free(comment);
	free(sigpath);
	return ret;
}

static int
sig_global_verify(const struct minisig *ms, const struct pubkey *pk)
{
	struct buf	 b = BUF_INIT;
	int		 ret;

	buf_add(&b, ms->sig, sizeof(ms->sig));
	buf_add(&b, ms->comment, ms->comment_len);
	ret = crypto_verify_buf(ms->global_sig, b.data, b.len, pk->pk);
	buf_release(&b);
	return ret;
}

int
minisig_verify_file(const char *path, const char *sigpath,
    const struct pubkey *pk, struct sig_fields *fields)
{
	return minisig_verify_hashed(path, sigpath, pk, NULL, NULL, fields);
}

int
minisig_verify_hashed(const char *path, const char *sigpath,
    const struct pubkey *pk, const unsigned char *prehash,
    const unsigned char *digest, struct sig_fields *fields)
{
	unsigned char	 b512[CRYPTO_DIGEST512_BYTES];
	unsigned char	 b256[CRYPTO_DIGEST_BYTES];
	struct minisig	 ms;
	char		 hex[CRYPTO_DIGEST_HEX];
	char		 sigid[KEY_ID_LEN], pkid[KEY_ID_LEN];
	char		*defsig = NULL, *text = NULL, *named = NULL;
	size_t		 len;
	int		 comment_ok, fields_ok, file_ok, ret = -1;

	memset(&ms, 0, sizeof(ms));
	memset(fields, 0, sizeof(*fields));
	fields->ledger = -1;
	if (sigpath == NULL)
		sigpath = defsig = xasprintf("%s.minisig", path);
	if (read_sig_file(sigpath, &text, &len) == -1 ||
	    minisig_parse(text, len, sigpath, &ms) == -1)
		goto out;
	ret = 1;
	if (ms.legacy) {
		log_warnx("legacy signature: '%s' signs the file itself, not "
		    "its BLAKE2b-512 hash; ssj accepts prehashed signatures "
		    "only", sigpath);
		goto out;
	}
	if (memcmp(ms.keynum, pk->keynum, KEYNUM_BYTES) != 0) {
		key_id(ms.keynum, sigid);
		key_id(pk->keynum, pkid);
		log_warnx("key id mismatch: '%s' was made by key %s, the "
		    "public key is %s", sigpath, sigid, pkid);
		goto out;
	}
	if (prehash != NULL && digest != NULL) {
		memcpy(b512, prehash, sizeof(b512));
		memcpy(b256, digest, sizeof(b256));
	} else if (crypto_prehash_file(path, b512, b256) == -1) {
		ret = -1;
		goto out;
	}
	crypto_hex(b256, sizeof(b256), hex);
	comment_ok = sig_global_verify(&ms, pk) == 0;
	fields_ok = comment_ok && sig_fields_parse(ms.comment, fields) == 0;
	file_ok = crypto_verify_buf(ms.sig, b512, sizeof(b512), pk->pk) == 0;

	/* The most telling failure first: a signature of another file. */
	if (fields_ok && strcmp(fields->file, base_name(path)) != 0) {
		named = sig_escape(fields->file);
		log_warnx("file name mismatch: '%s' is the signature of '%s', "
		    "not of '%s'", sigpath, named, base_name(path));
	} else if (!file_ok)
		log_warnx("file signature mismatch: '%s' is not the file that "
		    "'%s' signs", path, sigpath);
	else if (!comment_ok)
		log_warnx("comment signature mismatch: the trusted comment of "
		    "'%s' is not the one signed", sigpath);
	else if (!fields_ok)
		log_warnx("not an ssj signature: the trusted comment of '%s' "
		    "has no ssj-sig/1 fields", sigpath);
	else if (strcmp(fields->blake2b, hex) != 0)
		log_warnx("digest mismatch: '%s' names BLAKE2b-256 %s, '%s' "
		    "has %s", sigpath, fields->blake2b, path, hex);
	else
		ret = 0;
out:
	if (ret != 0)
		sig_fields_release(fields);
	minisig_release(&ms);
	free(named);
	free(text);
	free(defsig);
	return ret;
}

int
minisig_canonical(const char *path)
{
	struct minisig	 ms;
	struct buf	 want = BUF_INIT;
	char		*sigpath, *text = NULL;
	size_t		 len;
	int		 ret = -1;

	memset(&ms, 0, sizeof(ms));
	sigpath = xasprintf("%s.minisig", path);
	if (read_sig_file(sigpath, &text, &len) == -1 ||
	    minisig_parse(text, len, sigpath, &ms) == -1)
		goto out;
	sig_text(&want, base_name(path), &ms);
	if (want.len != len || memcmp(want.data, text, len) != 0) {
		log_warnx("'%s' is not as ssj writes it: a byte no signature "
		    "covers (the untrusted comment, a line end) was changed",
		    sigpath);
		goto out;
	}
	ret = 0;
out:
	buf_release(&want);
	minisig_release(&ms);
	free(sigpath);
	free(text);
	return ret;
}
