/*
 * Signing keys in minisign's file formats, byte for byte, so that stock
 * minisign and ssj can use each other's keys; passphrases for them.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "crypto.h"
#include "file.h"
#include "keys.h"
#include "log.h"
#include "xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define COMMENT_PREFIX	"untrusted comment: "
/* minisign reads a comment line with fgets into 1024 bytes. */
#define COMMENT_MAX	1022
#define KEY_FILE_MAX	4096
#define PASS_MAX	1023	/* minisign: PASSWORDMAXBYTES - 1 */

/*
 * The secret key file's payload (minisign's SeckeyStruct), by offset:
 * the algorithms, the KDF's salt and limits, then keynum || sk || chk,
 * the part a passphrase encrypts.
 */
enum {
	SK_ALG = 0,		/* "Ed" */
	SK_KDF = 2,		/* "Sc" (scrypt) or 0 0 (none) */
	SK_CHKALG = 4,		/* "B2" */
	SK_SALT = 6,
	SK_OPS = SK_SALT + CRYPTO_SCRYPT_SALTBYTES,	/* little-endian */
	SK_MEM = SK_OPS + 8,
	SK_KEYNUM = SK_MEM + 8,
	SK_SK = SK_KEYNUM + KEYNUM_BYTES,
	SK_CHK = SK_SK + CRYPTO_SIGN_SECRETKEYBYTES,	/* BLAKE2b-256 */
	SK_BYTES = SK_CHK + CRYPTO_DIGEST_BYTES		/* 158 */
};
#define SK_SEALED	(SK_BYTES - SK_KEYNUM)

/* The public key file's payload: "Ed" || keynum || pk. */
enum {
	PK_KEYNUM = 2,
	PK_PK = PK_KEYNUM + KEYNUM_BYTES,
	PK_BYTES = PK_PK + CRYPTO_SIGN_PUBLICKEYBYTES	/* 42 */
};

_Static_assert(SK_BYTES == 158 && PK_BYTES == 42, "minisign's sizes");
_Static_assert(PUBKEY_BASE64_LEN == CRYPTO_BASE64_LEN(PK_BYTES),
    "PUBKEY_BASE64_LEN");

static volatile sig_atomic_t	 tty_signo;

static uint64_t	 le64_load(const unsigned char *);
static void	 le64_store(unsigned char *, uint64_t);
static int	 key_lines(const char *, size_t, const char *, const char *,
		    const char **, size_t *);
static int	 pubkey_decode(const char *, size_t, const char *,
		    struct pubkey *);
static void	 seckey_chk(const unsigned char *, unsigned char *);
static int	 seckey_crypt(unsigned char *, const char *);
static int	 seckey_decode(const char *, size_t, const char *,
		    unsigned char *);
static struct seckey *seckey_open(unsigned char *, const char *,
		    const char *);
static int	 read_key_file(int, const char *, char *, size_t, size_t *);
static int	 check_secrecy(int, const char *);
static int	 make_parent(const char *, mode_t);
static void	 tty_catch(int);
static void	 tty_write(int, const char *);
static char	*tty_passphrase(const char *);
static char	*passphrase_copy(const char *);

static uint64_t
le64_load(const unsigned char *p)
{
	uint64_t	 x = 0;
	int		 i;

	for (i = 7; i >= 0; i--)
		x = x << 8 | p[i];
	return x;
}

static void
le64_store(unsigned char *p, uint64_t x)
{
	int	 i;

	for (i = 0; i < 8; i++, x >>= 8)
		p[i] = (unsigned char)(x & 0xff);
}

void
key_id(const unsigned char keynum[KEYNUM_BYTES], char out[KEY_ID_LEN])
{
	snprintf(out, KEY_ID_LEN, "%016" PRIX64, le64_load(keynum));
}

/*
 * Finds the base64 line of a key file: "untrusted comment: ..." first,
 * then the key. Lines may end in CRLF, the last may lack its newline, and
 * nothing may follow: a key file is exactly what minisign writes.
 */
static int
key_lines(const char *text, size_t len, const char *name, const char *what,
    const char **b64, size_t *b64len)
{
	const char	*p, *end = text + len, *nl;
	size_t		 n, plen = strlen(COMMENT_PREFIX);

	if (len < plen || memcmp(text, COMMENT_PREFIX, plen) != 0)
		return error("%s:1: not a %s key file: the first line must "
		    "start with 'untrusted comment:'", name, what);
	if ((nl = memchr(text, '\n', len)) == NULL)
		return error("%s: truncated: no key after the comment line",
		    name);
	if ((size_t)(nl - text) > COMMENT_MAX)
		return error("%s:1: comment line longer than %d bytes", name,
		    COMMENT_MAX);
	p = nl + 1;
	nl = memchr(p, '\n', (size_t)(end - p));
	n = (size_t)((nl != NULL ? nl : end) - p);
	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (n == 0)
		return error("%s:2: truncated: no key on the second line",
		    name);
	if (nl != NULL && nl + 1 != end)
		return error("%s:3: unexpected text after the key", name);
	*b64 = p;
	*b64len = n;
	return 0;
}

/* Decodes a public key's base64; where ("FILE:2") starts the messages. */
static int
pubkey_decode(const char *b64, size_t len, const char *where,
    struct pubkey *out)
{
	unsigned char	 raw[SK_BYTES];
	size_t		 n;
	int		 ret = -1;

	if (crypto_unbase64(raw, sizeof(raw), &n, b64, len) == -1) {
		log_warnx("%s: not a public key: bad base64", where);
		goto out;
	}
	if (n == SK_BYTES) {
		log_warnx("%s: a secret key, not a public key", where);
		goto out;
	}
	if (n != PK_BYTES) {
		log_warnx("%s: not a public key: %zu bytes, not %d", where, n,
		    PK_BYTES);
		goto out;
	}
	if (memcmp(raw, "Ed", 2) != 0) {
		log_warnx("%s: unsupported signature algorithm (not Ed25519)",
		    where);
		goto out;
	}
	memcpy(out->keynum, raw + PK_KEYNUM, KEYNUM_BYTES);
	memcpy(out->pk, raw + PK_PK, CRYPTO_SIGN_PUBLICKEYBYTES);
	ret = 0;
out:
	crypto_wipe(raw, sizeof(raw));
	return ret;
}

int
pubkey_parse(const char *b64, size_t len, struct pubkey *out)
{
	return pubkey_decode(b64, len, "key string", out);
}

void
pubkey_base64(const struct pubkey *pk, char out[PUBKEY_BASE64_LEN])
{
	unsigned char	 raw[PK_BYTES];

	memcpy(raw, "Ed", 2);
	memcpy(raw + PK_KEYNUM, pk->keynum, KEYNUM_BYTES);
	memcpy(raw + PK_PK, pk->pk, CRYPTO_SIGN_PUBLICKEYBYTES);
	crypto_base64(out, PUBKEY_BASE64_LEN, raw, sizeof(raw));
}

/* Reads a whole key file (at most max bytes) into buf, NUL-terminated. */
static int
read_key_file(int fd, const char *path, char *buf, size_t max, size_t *len)
{
	size_t	 n = 0;
	ssize_t	 r;

	for (;;) {
		if ((r = read(fd, buf + n, max + 1 - n)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("cannot read '%s'", path);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max)
			return error("'%s' is too large to be a key file",
			    path);
	}
	buf[n] = '\0';
	*len = n;
	return 0;
}

int
pubkey_load(const char *path, struct pubkey *out)
{
	char		 buf[KEY_FILE_MAX + 1], *where;
	const char	*b64;
	struct stat	 st;
	size_t		 len, b64len;
	int		 fd, ret = -1;

	/* O_NONBLOCK: a FIFO is refused below, not waited on. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY))
	    == -1) {
		log_warn("cannot open public key '%s'", path);
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		log_warn("cannot stat '%s'", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		error("public key '%s' is not a regular file", path);
		goto out;
	}
	if (read_key_file(fd, path, buf, KEY_FILE_MAX, &len) == -1 ||
	    key_lines(buf, len, path, "public", &b64, &b64len) == -1)
		goto out;
	where = xasprintf("%s:2", path);
	ret = pubkey_decode(b64, b64len, where, out);
	free(where);
out:
	close(fd);
	return ret;
}

/* chk = BLAKE2b-256("Ed" || keynum || sk), over a decrypted payload. */
static void
seckey_chk(const unsigned char *raw, unsigned char *chk)
{
	struct crypto_digest	 d;

	crypto_digest_init(&d, CRYPTO_DIGEST_BYTES);
	crypto_digest_update(&d, raw + SK_ALG, 2);
	crypto_digest_update(&d, raw + SK_KEYNUM, KEYNUM_BYTES);
	crypto_digest_update(&d, raw + SK_SK, CRYPTO_SIGN_SECRETKEYBYTES);
	crypto_digest_final(&d, chk);
	crypto_wipe(&d, sizeof(d));
}

/*
 * XORs keynum || sk || chk with scrypt of the passphrase under the
 * payload's own salt and limits: encrypts and decrypts alike.
 */
static int
seckey_crypt(unsigned char *raw, const char *pass)
{
	unsigned char	*stream;
	size_t		 i;
	int		 ret = -1;

	stream = crypto_secure_alloc(SK_SEALED);
	if (crypto_scrypt(stream, SK_SEALED, pass, strlen(pass),
	    raw + SK_SALT, le64_load(raw + SK_OPS),
	    (size_t)le64_load(raw + SK_MEM)) == -1)
		goto out;
	for (i = 0; i < SK_SEALED; i++)
		raw[SK_KEYNUM + i] ^= stream[i];
	ret = 0;
out:
	crypto_secure_free(stream);
	return ret;
}

/*
 * Decodes a secret key file into its SK_BYTES payload. Returns 1 if the
 * key is encrypted, 0 if not, -1 with a message.
 */
static int
seckey_decode(const char *text, size_t len, const char *name,
    unsigned char *raw)
{
	const char	*b64;
	size_t		 b64len, n;

	if (key_lines(text, len, name, "secret", &b64, &b64len) == -1)
		return -1;
	if (crypto_unbase64(raw, SK_BYTES, &n, b64, b64len) == -1)
		return error("%s:2: not a secret key: bad base64", name);
	if (n == PK_BYTES)
		return error("%s:2: a public key, not a secret key", name);
	if (n != SK_BYTES)
		return error("%s:2: not a secret key: %zu bytes, not %d", name,
		    n, SK_BYTES);
	if (memcmp(raw + SK_ALG, "Ed", 2) != 0)
		return error("%s:2: unsupported signature algorithm (not "
		    "Ed25519)", name);
	if (memcmp(raw + SK_CHKALG, "B2", 2) != 0)
		return error("%s:2: unsupported checksum algorithm (not "
		    "BLAKE2b)", name);
	if (memcmp(raw + SK_KDF, "Sc", 2) == 0)
		return 1;
	if (memcmp(raw + SK_KDF, "\0\0", 2) == 0)
		return 0;
	return error("%s:2: unsupported key derivation function (not scrypt)",
	    name);
}

/*
 * Decrypts a decoded payload if pass is set, checks it and returns the
 * key. The checksum catches a wrong passphrase; a key as `minisign -W`
 * writes it has none (zeros), so a test signature also checks that the
 * two halves of sk belong together before anything is signed with it.
 */
static struct seckey *
seckey_open(unsigned char *raw, const char *name, const char *pass)
{
	static const unsigned char	 zero[CRYPTO_DIGEST_BYTES];
	static const char		 probe[] = "ssj key check";
	unsigned char			 chk[CRYPTO_DIGEST_BYTES];
	unsigned char			 sig[CRYPTO_SIGN_BYTES];
	struct seckey			*sk;
	struct pubkey			 pk;

	if (pass != NULL && seckey_crypt(raw, pass) == -1)
		return NULL;
	seckey_chk(raw, chk);
	if (crypto_equal(chk, raw + SK_CHK, sizeof(chk)) != 0 &&
	    (pass != NULL || memcmp(raw + SK_CHK, zero, sizeof(zero)) != 0)) {
		crypto_wipe(chk, sizeof(chk));
		if (pass != NULL)
			log_warnx("wrong passphrase for secret key '%s'", name);
		else
			log_warnx("secret key '%s' is damaged: wrong checksum",
			    name);
		return NULL;
	}
	crypto_wipe(chk, sizeof(chk));
	sk = crypto_secure_alloc(sizeof(*sk));
	memcpy(sk->keynum, raw + SK_KEYNUM, KEYNUM_BYTES);
	memcpy(sk->sk, raw + SK_SK, CRYPTO_SIGN_SECRETKEYBYTES);
	seckey_public(sk, &pk);
	crypto_sign_buf(sig, probe, sizeof(probe) - 1, sk->sk);
	if (crypto_verify_buf(sig, probe, sizeof(probe) - 1, pk.pk) == -1) {
		log_warnx("secret key '%s' is damaged: its two halves do not "
		    "match", name);
		seckey_free(sk);
		return NULL;
	}
	return sk;
}

struct seckey *
seckey_parse(const char *text, size_t len, const char *name,
    const char *passphrase)
{
	unsigned char	*raw;
	struct seckey	*sk = NULL;
	int		 enc;

	raw = crypto_secure_alloc(SK_BYTES);
	if ((enc = seckey_decode(text, len, name, raw)) == -1)
		goto out;
	if (enc && passphrase == NULL) {
		log_warnx("secret key '%s' is encrypted: it needs its "
		    "passphrase", name);
		goto out;
	}
	sk = seckey_open(raw, name, enc ? passphrase : NULL);
out:
	crypto_secure_free(raw);
	return sk;
}

/*
 * Refuses a secret key that others may read or replace, as OpenSMTPD
 * does: the owner must be us or root, and no group or other bits set.
 */
static int
check_secrecy(int fd, const char *path)
{
	struct stat	 st;

	if (fstat(fd, &st) == -1) {
		log_warn("cannot stat '%s'", path);
		return -1;
	}
	if (!S_ISREG(st.st_mode))
		return error("secret key '%s' is not a regular file", path);
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return error("secret key '%s' belongs to uid %lu, neither you "
		    "(uid %lu) nor root; fix it with: chown %lu '%s'", path,
		    (unsigned long)st.st_uid, (unsigned long)geteuid(),
		    (unsigned long)geteuid(), path);
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		return error("secret key '%s' is accessible by group or others "
		    "(mode %04o); fix it with: chmod 600 '%s'", path,
		    (unsigned int)(st.st_mode & 07777), path);
	return 0;
}

struct seckey *
seckey_load(const char *path, char *(*get_passphrase)(const char *))
{
	unsigned char	*raw;
	struct seckey	*sk = NULL;
	char		*text, *prompt, *pass = NULL;
	size_t		 len;
	int		 fd, enc;

	/* O_NONBLOCK: check_secrecy() refuses a FIFO, not waits on it. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY))
	    == -1) {
		/* A first run has no key yet: say how to make one. */
		if (errno == ENOENT)
			log_warnx("cannot open secret key '%s': %s; run 'ssj "
			    "keygen' (see ssj(1))", path, strerror(errno));
		else
			log_warn("cannot open secret key '%s'", path);
		return NULL;
	}
	text = crypto_secure_alloc(KEY_FILE_MAX + 1);
	raw = crypto_secure_alloc(SK_BYTES);
	if (check_secrecy(fd, path) == -1 ||
	    read_key_file(fd, path, text, KEY_FILE_MAX, &len) == -1 ||
	    (enc = seckey_decode(text, len, path, raw)) == -1)
		goto out;
	if (enc) {
		if (get_passphrase == NULL) {
			log_warnx("secret key '%s' is encrypted: it needs its "
			    "passphrase", path);
			goto out;
		}
		prompt = xasprintf("passphrase for '%s': ", path);
		pass = get_passphrase(prompt);
		free(prompt);
		if (pass == NULL)
			goto out;
	}
	sk = seckey_open(raw, path, pass);
out:
	if (pass != NULL)
		crypto_secure_free(pass);
	crypto_secure_free(raw);
	crypto_secure_free(text);
	close(fd);
	return sk;
}

void
seckey_free(struct seckey *sk)
{
	if (sk != NULL)
		crypto_secure_free(sk);
}

void
seckey_public(const struct seckey *sk, struct pubkey *out)
{
	memcpy(out->keynum, sk->keynum, KEYNUM_BYTES);
	crypto_sk_to_pk(sk->sk, out->pk);
}

/* Creates the directory that will hold path if it is missing. */
static int
make_parent(const char *path, mode_t mode)
{
	const char	*slash;
	char		*dir;
	int		 ret = 0;

	if ((slash = strrchr(path, '/')) == NULL || slash == path)
		return 0;
	dir = xstrndup(path, (size_t)(slash - path));
	if (mkdir(dir, mode) == -1 && errno != EEXIST) {
		log_warn("cannot create directory '%s'", dir);
		ret = -1;
	}
	free(dir);
	return ret;
}


int
key_generate(const char *pubpath, const char *secpath,
    const char *passphrase, int force, struct pubkey *out)
{
	unsigned char	*raw;
	struct pubkey	 pk;
	char		*text, *b64, keyid[KEY_ID_LEN];
	char		 pubtext[128], pub64[PUBKEY_BASE64_LEN];
	size_t		 textmax;
	int		 n, ret = -1;

	if (strcmp(pubpath, secpath) == 0)
		return error("the public and the secret key cannot both be "
		    "'%s'", pubpath);
	if (!force && (access(secpath, F_OK) == 0 ||
	    access(pubpath, F_OK) == 0))
		return error("'%s' already exists; not overwriting it "
		    "(-f does)", access(secpath, F_OK) == 0 ? secpath :
		    pubpath);

	raw = crypto_secure_alloc(SK_BYTES);
	textmax = 64 + CRYPTO_BASE64_LEN(SK_BYTES);
	text = crypto_secure_alloc(textmax);
	b64 = crypto_secure_alloc(CRYPTO_BASE64_LEN(SK_BYTES));
	memset(raw, 0, SK_BYTES);
	memcpy(raw + SK_ALG, "Ed", 2);
	memcpy(raw + SK_CHKALG, "B2", 2);
	crypto_random(raw + SK_KEYNUM, KEYNUM_BYTES);
	crypto_keypair(pk.pk, raw + SK_SK);
	memcpy(pk.keynum, raw + SK_KEYNUM, KEYNUM_BYTES);
	/*
	 * minisign -W leaves chk zero and never reads it; a real one lets
	 * ssj (and stricter readers) catch a damaged key file.
	 */
	seckey_chk(raw, raw + SK_CHK);
	if (passphrase != NULL) {
		memcpy(raw + SK_KDF, "Sc", 2);
		crypto_random(raw + SK_SALT, CRYPTO_SCRYPT_SALTBYTES);
		le64_store(raw + SK_OPS, crypto_scrypt_opslimit());
		le64_store(raw + SK_MEM, crypto_scrypt_memlimit());
		if (seckey_crypt(raw, passphrase) == -1)
			goto out;
	}
	crypto_base64(b64, CRYPTO_BASE64_LEN(SK_BYTES), raw, SK_BYTES);
	n = snprintf(text, textmax, COMMENT_PREFIX "minisign %s secret key\n"
	    "%s\n", passphrase != NULL ? "encrypted" : "unencrypted", b64);
	if (make_parent(secpath, 0700) == -1 ||
	    file_write(secpath, text, (size_t)n, 0600,
	    force ? 0 : FILE_EXCLUSIVE) == -1)
		goto out;

	key_id(pk.keynum, keyid);
	pubkey_base64(&pk, pub64);
	n = snprintf(pubtext, sizeof(pubtext), COMMENT_PREFIX
	    "minisign public key %s\n%s\n", keyid, pub64);
	if (make_parent(pubpath, 0755) == -1 ||
	    file_write(pubpath, pubtext, (size_t)n, 0644,
	    force ? 0 : FILE_EXCLUSIVE) == -1) {
		unlink(secpath);
		goto out;
	}
	if (out != NULL)
		*out = pk;
	ret = 0;
out:
	crypto_secure_free(b64);
	crypto_secure_free(text);
	crypto_secure_free(raw);
	return ret;
}

static void
tty_catch(int signo)
{
	tty_signo = signo;
}

static void
tty_write(int fd, const char *s)
{
	size_t	 len = strlen(s);
	ssize_t	 w;

	while (len > 0) {
		if ((w = write(fd, s, len)) == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		s += w;
		len -= (size_t)w;
	}
}

/*
 * Asks on /dev/tty with echo off, as readpassphrase(3) does: a signal
 * restores the terminal first, then is delivered as usual.
 */
static char *
tty_passphrase(const char *prompt)
{
	static const int	 sigs[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU
	};
	struct sigaction	 sa, saved[NELEM(sigs)];
	struct termios		 term, noecho;
	char			*pass, *ret = NULL, c = 0;
	size_t			 i, n = 0;
	ssize_t			 r;
	int			 fd, restore = 0, toolong = 0, saved_errno;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		log_warnx("no terminal to ask for the passphrase on; set "
		    "SSJ_PASSPHRASE");
		return NULL;
	}
	pass = crypto_secure_alloc(PASS_MAX + 1);
	tty_signo = 0;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tty_catch;	/* no SA_RESTART: read(2) returns */
	for (i = 0; i < NELEM(sigs); i++)
		sigaction(sigs[i], &sa, &saved[i]);
	if (tcgetattr(fd, &term) == 0) {
		noecho = term;
		noecho.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		if (tcsetattr(fd, TCSAFLUSH, &noecho) == 0)
			restore = 1;
	}
	tty_write(fd, prompt);
	for (;;) {
		if ((r = read(fd, &c, 1)) == -1 && errno == EINTR &&
		    tty_signo == 0)
			continue;
		if (r != 1 || c == '\n' || c == '\r')
			break;
		if (n < PASS_MAX)
			pass[n++] = c;
		else
			toolong = 1;
	}
	saved_errno = errno;
	pass[n] = '\0';
	c = 0;
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &term);
	tty_write(fd, "\n");
	close(fd);
	for (i = 0; i < NELEM(sigs); i++)
		sigaction(sigs[i], &saved[i], NULL);
	if (tty_signo != 0) {
		raise(tty_signo);
		log_warnx("interrupted while asking for the passphrase");
	} else if (r == -1) {
		errno = saved_errno;
		log_warn("cannot read the passphrase");
	} else if (toolong)
		log_warnx("passphrase longer than %d bytes", PASS_MAX);
	else
		ret = pass;
	if (ret == NULL)
		crypto_secure_free(pass);
	return ret;
}

static char *
passphrase_copy(const char *s)
{
	char	*pass;
	size_t	 len = strlen(s);

	if (len > PASS_MAX) {
		log_warnx("SSJ_PASSPHRASE is longer than %d bytes", PASS_MAX);
		return NULL;
	}
	pass = crypto_secure_alloc(len + 1);
	memcpy(pass, s, len + 1);
	return pass;
}

char *
key_passphrase(const char *prompt)
{
	const char	*env;

	if ((env = getenv("SSJ_PASSPHRASE")) != NULL && *env != '\0')
		return passphrase_copy(env);
	return tty_passphrase(prompt);
}

char *
key_new_passphrase(const char *secpath)
{
	const char	*env;
	char		*prompt, *pass = NULL, *again = NULL, *ret = NULL;

	if ((env = getenv("SSJ_PASSPHRASE")) != NULL && *env != '\0')
		return passphrase_copy(env);
	prompt = xasprintf("passphrase for the new key '%s': ", secpath);
	pass = tty_passphrase(prompt);
	free(prompt);
	if (pass == NULL)
		goto out;
	if (*pass == '\0') {
		log_warnx("empty passphrase; leave out --passphrase for a key "
		    "without one");
		goto out;
	}
	if ((again = tty_passphrase("the same passphrase again: ")) == NULL)
		goto out;
	if (strcmp(pass, again) != 0) {
		log_warnx("the two passphrases differ");
		goto out;
	}
	ret = pass;
	pass = NULL;
out:
	if (again != NULL)
		crypto_secure_free(again);
	if (pass != NULL)
		crypto_secure_free(pass);
	return ret;
}
