/*
 * C2SP signed notes with Ed25519 and the tlog checkpoints in them, read
 * strictly: a note is evidence, so anything but the one canonical form
 * is refused with the line it is on.
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
#include "note.h"
#include "xmalloc.h"

#define NOTE_DASH	"\xe2\x80\x94 "	/* U+2014 em dash, then a space */
#define NOTE_DASH_LEN	4
#define NOTE_ED25519	0x01		/* C2SP's signature type byte */
#define NOTE_SIG_BYTES	(4 + CRYPTO_SIGN_BYTES)

static size_t	 utf8_len(const unsigned char *, size_t, uint32_t *);
static int	 is_space(uint32_t);
static int	 name_valid(const char *, size_t);
static int	 text_error(const char *, size_t, size_t *, char **);
static size_t	 line_of(const char *, size_t);
static int	 fail(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	 parse_size(const char *, size_t, uint64_t *, const char **);
static int	 body_valid(const char *, size_t);

/*
 * The length of the UTF-8 sequence at p (1..4) with its code point in
 * *cp, or 0 if it is not valid UTF-8 (overlong forms, surrogates and
 * code points above U+10FFFF are not).
 */
static size_t
utf8_len(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t	 c, min;
	size_t		 len, i;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Unicode's White_Space, which C2SP forbids in key names. */
static int
is_space(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 ||
	    c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	    c == 0x3000;
}

static int
name_valid(const char *name, size_t len)
{
	const unsigned char	*p = (const unsigned char *)name;
	uint32_t		 c;
	size_t			 i = 0, n;

	if (len == 0)
		return 0;
	while (i < len) {
		if ((n = utf8_len(p + i, len - i, &c)) == 0)
			return 0;
		if (c < 0x20 || c == '+' || is_space(c))
			return 0;
		i += n;
	}
	return 1;
}

int
note_name_valid(const char *name)
{
	return name != NULL && name_valid(name, strlen(name));
}

/* The 1-based line of the byte at offset off. */
static size_t
line_of(const char *p, size_t off)
{
	size_t	 i, line = 1;

	for (i = 0; i < off; i++)
		line += p[i] == '\n';
	return line;
}

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
 * What C2SP asks of every byte of a note: valid UTF-8, no control
 * characters but newlines, at most NOTE_MAX_BYTES. 0 if p holds to it,
 * else -1 with *err (when err is not NULL) naming the line and *line.
 */
static int
text_error(const char *p, size_t len, size_t *line, char **err)
{
	const unsigned char	*u = (const unsigned char *)p;
	uint32_t		 c;
	size_t			 i = 0, n;
	char			*dummy = NULL;
	int			 ret = -1;

	if (err == NULL)
		err = &dummy;
	*line = 1;
	while (i < len) {
		if (i >= NOTE_MAX_BYTES) {
			fail(err, "line %zu: the note is longer than %d bytes",
			    *line, NOTE_MAX_BYTES);
			goto out;
		}
		if (u[i] == '\n') {
			(*line)++;
			i++;
			continue;
		}
		if (u[i] == '\r') {
			fail(err, "line %zu: carriage return (lines must end "
			    "in a newline alone)", *line);
			goto out;
		}
		if (u[i] < 0x20) {
			fail(err, "line %zu: control character 0x%02x", *line,
			    u[i]);
			goto out;
		}
		if ((n = utf8_len(u + i, len - i, &c)) == 0) {
			fail(err, "line %zu: invalid UTF-8", *line);
			goto out;
		}
		i += n;
	}
	ret = 0;
out:
	free(dummy);
	return ret;
}

void
note_key_id(const char *name,
    const unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES], unsigned char id[4])
{
	struct crypto_sha256	 h;
	unsigned char		 sep[2] = { '\n', NOTE_ED25519 };
	unsigned char		 digest[CRYPTO_SHA256_BYTES];

	crypto_sha256_init(&h);
	crypto_sha256_update(&h, name, strlen(name));
	crypto_sha256_update(&h, sep, sizeof(sep));
	crypto_sha256_update(&h, pk, CRYPTO_SIGN_PUBLICKEYBYTES);
	crypto_sha256_final(&h, digest);
	memcpy(id, digest, 4);
}

char *
note_verifier_key(const char *name,
    const unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES])
{
	unsigned char	 key[1 + CRYPTO_SIGN_PUBLICKEYBYTES], id[4];
	char		 b64[CRYPTO_BASE64_LEN(sizeof(key))], hex[9];

	if (!note_name_valid(name))
		fatalx("%s: invalid key name", __func__);
	note_key_id(name, pk, id);
	crypto_hex(id, sizeof(id), hex);
	key[0] = NOTE_ED25519;
	memcpy(key + 1, pk, CRYPTO_SIGN_PUBLICKEYBYTES);
	crypto_base64(b64, sizeof(b64), key, sizeof(key));
	return xasprintf("%s+%s+%s", name, hex, b64);
}

char *
note_sign(const char *text, const char *name,
    const unsigned char sk[CRYPTO_SIGN_SECRETKEYBYTES])
{
	struct buf	 b = BUF_INIT;
	unsigned char	 pk[CRYPTO_SIGN_PUBLICKEYBYTES];
	unsigned char	 sig[NOTE_SIG_BYTES];
	char		 b64[CRYPTO_BASE64_LEN(NOTE_SIG_BYTES)];
	size_t		 len, line;

	len = strlen(text);
	if (len == 0 || text[len - 1] != '\n' || !note_name_valid(name) ||
	    text_error(text, len, &line, NULL) == -1)
		return NULL;
	crypto_sk_to_pk(sk, pk);
	note_key_id(name, pk, sig);
	crypto_sign_buf(sig + 4, text, len, sk);
	crypto_base64(b64, sizeof(b64), sig, sizeof(sig));
	buf_add(&b, text, len);
	buf_printf(&b, "\n" NOTE_DASH "%s %s\n", name, b64);
	if (b.len > NOTE_MAX_BYTES) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/*
 * The text ends at the last blank line (C2SP), so signature lines may
 * follow a text that has blank lines of its own; every signature line
 * must be well formed, every one by our key must verify, and one must.
 */
int
note_open(const char *note, size_t len, const char *name,
    const unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES], char **text,
    char **err)
{
	unsigned char	 id[4], *sig = NULL;
	const char	*p, *end, *nl, *sp;
	size_t		 line, split, siglen, ours = 0, first;
	int		 ret = -1;

	*text = NULL;
	*err = NULL;
	if (!note_name_valid(name))
		return fail(err, "invalid key name");
	if (len == 0)
		return fail(err, "line 1: empty note");
	if (text_error(note, len, &line, err) == -1)
		return -1;
	if (note[len - 1] != '\n')
		return fail(err, "line %zu: no newline at the end of the note",
		    line);
	for (split = len - 1; split > 0; split--)
		if (note[split - 1] == '\n' && note[split] == '\n')
			break;
	if (split == 0)
		return fail(err, "line %zu: no blank line before the "
		    "signatures", line - 1);
	/* note[split] is the blank line, after the text's last newline */
	first = line_of(note, split) + 1;
	if (split + 1 == len)
		return fail(err, "line %zu: no signature after the blank line",
		    first - 1);
	note_key_id(name, pk, id);
	sig = xmalloc(len);
	line = first;
	for (p = note + split + 1, end = note + len; p < end; p = nl + 1,
	    line++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if ((size_t)(nl - p) < NOTE_DASH_LEN ||
		    memcmp(p, NOTE_DASH, NOTE_DASH_LEN) != 0) {
			fail(err, "line %zu: not a signature line (an em dash "
			    "and a space, a key name, a space, base64)", line);
			goto out;
		}
		p += NOTE_DASH_LEN;
		if ((sp = memchr(p, ' ', (size_t)(nl - p))) == NULL) {
			fail(err, "line %zu: no space after the key name",
			    line);
			goto out;
		}
		if (!name_valid(p, (size_t)(sp - p))) {
			fail(err, "line %zu: invalid key name", line);
			goto out;
		}
		if (crypto_unbase64(sig, len, &siglen, sp + 1,
		    (size_t)(nl - sp - 1)) == -1) {
			fail(err, "line %zu: the signature is not base64",
			    line);
			goto out;
		}
		if (siglen < 5) {
			fail(err, "line %zu: the signature is too short", line);
			goto out;
		}
		/* another key, even of the same name or id: not ours */
		if ((size_t)(sp - p) != strlen(name) ||
		    memcmp(p, name, strlen(name)) != 0 ||
		    memcmp(sig, id, sizeof(id)) != 0)
			continue;
		if (siglen != NOTE_SIG_BYTES ||
		    crypto_verify_buf(sig + 4, note, split, pk) == -1) {
			fail(err, "line %zu: the signature by '%s' does not "
			    "verify", line, name);
			goto out;
		}
		ours++;
	}
	if (ours == 0) {
		fail(err, "line %zu: no signature by '%s' with key id "
		    "%02x%02x%02x%02x", first, name, id[0], id[1], id[2],
		    id[3]);
		goto out;
	}
	*text = xstrndup(note, split);
	ret = 0;
out:
	free(sig);
	return ret;
}

/*
 * A checkpoint's tree size: decimal digits, no sign, no leading zero
 * but in "0", no more than 2^64 - 1.
 */
static int
parse_size(const char *p, size_t len, uint64_t *out, const char **why)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (len == 0) {
		*why = "is empty";
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9') {
			*why = "is not a decimal number";
			return -1;
		}
	}
	if (p[0] == '0' && len > 1) {
		*why = "has a leading zero";
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (v > (UINT64_MAX - (uint64_t)(p[i] - '0')) / 10) {
			*why = "is larger than 2^64 - 1";
			return -1;
		}
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = v;
	return 0;
}

int
checkpoint_open(const char *text, size_t len, const char *name,
    const unsigned char pk[CRYPTO_SIGN_PUBLICKEYBYTES],
    struct checkpoint *out, char **err)
{
	const char	*p, *nl, *why, *ext = NULL;
	char		*body = NULL;
	size_t		 blen, line, n, rootlen;
	int		 ret = -1;

	memset(out, 0, sizeof(*out));
	if (note_open(text, len, name, pk, &body, err) == -1)
		return -1;
	blen = strlen(body);
	for (p = body, line = 1; p < body + blen; p = nl + 1, line++) {
		nl = memchr(p, '\n', blen - (size_t)(p - body));
		n = (size_t)(nl - p);
		if (n == 0) {
			fail(err, "line %zu: empty line in the checkpoint",
			    line);
			goto out;
		}
		switch (line) {
		case 1:
			if (p[0] == ' ' || p[n - 1] == ' ') {
				fail(err, "line 1: the origin starts or ends "
				    "with a space");
				goto out;
			}
			out->origin = xstrndup(p, n);
			break;
		case 2:
			if (parse_size(p, n, &out->size, &why) == -1) {
				fail(err, "line 2: the tree size %s", why);
				goto out;
			}
			break;
		case 3:
			if (crypto_unbase64(out->root, sizeof(out->root),
			    &rootlen, p, n) == -1 ||
			    rootlen != sizeof(out->root)) {
				fail(err, "line 3: the root hash is not base64 "
				    "of %d bytes", MERKLE_HASH_BYTES);
				goto out;
			}
			break;
		default:
			/* extension lines are kept as they are */
			if (ext == NULL)
				ext = p;
			break;
		}
	}
	if (ext != NULL)
		out->extensions = xstrdup(ext);
	if (line <= 3) {
		fail(err, "line %zu: the checkpoint ends before its %s", line,
		    line == 1 ? "origin" : line == 2 ? "tree size" :
		    "root hash");
		goto out;
	}
	ret = 0;
out:
	free(body);
	if (ret == -1)
		checkpoint_release(out);
	return ret;
}

/* A body line is well formed: non-empty, no newline, fit for a note. */
static int
body_valid(const char *p, size_t len)
{
	size_t	 line;

	return len > 0 && memchr(p, '\n', len) == NULL &&
	    text_error(p, len, &line, NULL) == 0;
}

char *
checkpoint_sign(const struct checkpoint *cp, const char *name,
    const unsigned char sk[CRYPTO_SIGN_SECRETKEYBYTES])
{
	struct buf	 b = BUF_INIT;
	char		 root[CRYPTO_BASE64_LEN(MERKLE_HASH_BYTES)];
	const char	*p, *nl;
	char		*note;
	size_t		 n;

	n = cp->origin == NULL ? 0 : strlen(cp->origin);
	if (!body_valid(cp->origin, n) || cp->origin[0] == ' ' ||
	    cp->origin[n - 1] == ' ')
		fatalx("%s: invalid origin", __func__);
	buf_printf(&b, "%s\n%llu\n", cp->origin,
	    (unsigned long long)cp->size);
	crypto_base64(root, sizeof(root), cp->root, MERKLE_HASH_BYTES);
	buf_printf(&b, "%s\n", root);
	for (p = cp->extensions; p != NULL && *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL ||
		    !body_valid(p, (size_t)(nl - p)))
			fatalx("%s: invalid extension line", __func__);
		buf_add(&b, p, (size_t)(nl - p) + 1);
	}
	if ((note = note_sign(buf_cstr(&b), name, sk)) == NULL)
		fatalx("%s: the checkpoint cannot be a note", __func__);
	buf_release(&b);
	return note;
}

void
checkpoint_release(struct checkpoint *cp)
{
	free(cp->origin);
	free(cp->extensions);
	memset(cp, 0, sizeof(*cp));
}
