/*
 * drand round records: the JSON a relay serves for one round, parsed with
 * jansson (jsonw.c, which writes JSON, is its only other includer),
 * checked against itself and against the chain's key.
 */
#include <sys/wait.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "beacon.h"
#include "bls12381.h"
#include "buf.h"
#include "crypto.h"
#include "log.h"
#include "xmalloc.h"

static int	get_hex(json_t *, const char *, int, unsigned char **,
		    size_t *, char **);
static void	sanitise(char *);

/* jansson quotes the input near an error: no control bytes to a terminal. */
static void
sanitise(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/*
 * Member name of obj as bytes from hex: -1 with a message in *err if it is
 * missing (when required), not a string or not hex. An absent or null
 * optional member, or an empty string, gives *out = NULL, *len = 0.
 */
static int
get_hex(json_t *obj, const char *name, int required, unsigned char **out,
    size_t *len, char **err)
{
	json_t		*m;
	const char	*s;
	char		*lower;
	size_t		 slen, i;
	int		 rc;

	*out = NULL;
	*len = 0;
	if ((m = json_object_get(obj, name)) == NULL ||
	    (!required && json_is_null(m))) {
		if (!required)
			return 0;
		*err = xasprintf("beacon: missing '%s'", name);
		return -1;
	}
	if (!json_is_string(m)) {
		*err = xasprintf("beacon: '%s' is not a string", name);
		return -1;
	}
	s = json_string_value(m);
	slen = json_string_length(m);
	if (slen == 0) {
		if (!required)
			return 0;
		*err = xasprintf("beacon: '%s' is empty", name);
		return -1;
	}
	/* crypto_unhex wants a C string of exactly 2n digits: no NUL inside. */
	if (slen % 2 != 0 || strlen(s) != slen) {
		*err = xasprintf("beacon: '%s' is not hex", name);
		return -1;
	}
	/* Relays write lowercase; accept either, as the record came. */
	lower = xstrdup(s);
	for (i = 0; i < slen; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	*out = xmalloc(slen / 2);
	rc = crypto_unhex(lower, *out, slen / 2);
	free(lower);
	if (rc != 0) {
		free(*out);
		*out = NULL;
		*err = xasprintf("beacon: '%s' is not hex", name);
		return -1;
	}
	*len = slen / 2;
	return 0;
}

int
beacon_parse(const char *text, size_t len, struct beacon *b, char **err)
{
	json_t		*root = NULL, *m;
	json_error_t	 jerr;
	unsigned char	 digest[CRYPTO_SHA256_BYTES];
	unsigned char	*rnd = NULL;
	size_t		 rndlen;
	int		 ret = -1;

	memset(b, 0, sizeof(*b));
	*err = NULL;
	if (len > BEACON_RECORD_MAX) {
		*err = xasprintf("beacon: the record is %zu bytes; a drand "
		    "record is at most %d", len, BEACON_RECORD_MAX);
		return -1;
	}
	/* A repeated member would leave the record's meaning to the parser. */
	if ((root = json_loadb(text, len, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL) {
		sanitise(jerr.text);
		if (jerr.line > 0)
			*err = xasprintf("beacon: not JSON: line %d column "
			    "%d: %s", jerr.line, jerr.column, jerr.text);
		else
			*err = xasprintf("beacon: not JSON: %s", jerr.text);
		goto out;
	}
	if (!json_is_object(root)) {
		*err = xstrdup("beacon: not a JSON object");
		goto out;
	}

	if ((m = json_object_get(root, "round")) == NULL) {
		*err = xstrdup("beacon: missing 'round'");
		goto out;
	}
	if (!json_is_integer(m)) {
		*err = xstrdup("beacon: 'round' is not an integer");
		goto out;
	}
	if (json_integer_value(m) <= 0) {
		*err = xstrdup("beacon: 'round' is not positive");
		goto out;
	}
	b->round = (uint64_t)json_integer_value(m);

	if (get_hex(root, "randomness", 1, &rnd, &rndlen, err) != 0 ||
	    get_hex(root, "signature", 1, &b->signature, &b->siglen,
	    err) != 0 ||
	    get_hex(root, "previous_signature", 0, &b->previous, &b->prevlen,
	    err) != 0)
		goto out;
	if (rndlen != sizeof(b->randomness)) {
		*err = xasprintf("beacon: 'randomness' is not %zu bytes",
		    sizeof(b->randomness));
		goto out;
	}
	memcpy(b->randomness, rnd, sizeof(b->randomness));
	crypto_sha256(b->signature, b->siglen, digest);
	if (memcmp(digest, b->randomness, sizeof(digest)) != 0) {
		*err = xstrdup("beacon: 'randomness' is not SHA-256 of "
		    "'signature'");
		goto out;
	}
	ret = 0;
out:
	if (ret != 0)
		beacon_release(b);
	free(rnd);
	json_decref(root);
	return ret;
}

void
beacon_release(struct beacon *b)
{
	free(b->signature);
	free(b->previous);
	memset(b, 0, sizeof(*b));
}

uint64_t
beacon_round_at(uint64_t genesis, uint64_t period, uint64_t now)
{
	uint64_t	 q;

	if (period == 0 || now < genesis)
		return 0;
	q = (now - genesis) / period;
	return q == UINT64_MAX ? q : q + 1;
}

const char *
beacon_command(const char *tmpl, const char *chain, uint64_t round,
    char **out)
{
	size_t	 n = 0, cap = strlen(tmpl) + 1;
	char	*s;

	/* Each substitution adds at most 64 - 7 bytes. */
	for (s = strchr(tmpl, '{'); s != NULL; s = strchr(s + 1, '{'))
		cap += 64;
	s = xmalloc(cap);
	while (*tmpl != '\0') {
		if (strncmp(tmpl, "{round}", 7) == 0) {
			n += (size_t)snprintf(s + n, cap - n, "%llu",
			    (unsigned long long)round);
			tmpl += 7;
		} else if (strncmp(tmpl, "{chain}", 7) == 0) {
			n += (size_t)snprintf(s + n, cap - n, "%.64s", chain);
			tmpl += 7;
		} else
			s[n++] = *tmpl++;
	}
	s[n] = '\0';
	*out = s;
	return s;
}

int
beacon_fetch(const char *tmpl, const char *chain, uint64_t round,
    struct buf *out)
{
	char	 chunk[4096], *cmd = NULL;
	FILE	*fp;
	size_t	 n;
	int	 status, ret = -1;

	beacon_command(tmpl, chain, round, &cmd);
	log_info("fetching beacon round %llu: %s", (unsigned long long)round,
	    cmd);
	if ((fp = popen(cmd, "r")) == NULL) {
		log_warn("cannot run '%s'", cmd);
		goto out;
	}
	/* Read it all, so the command is not cut off; keep what is needed. */
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (out->len <= BEACON_RECORD_MAX)
			buf_add(out, chunk, n);
	status = pclose(fp);
	if (status != 0) {
		error("the beacon command '%s' failed (exit status %d): check "
		    "the network, or fetch the record elsewhere and check it "
		    "with 'ssj beacon verify'", cmd,
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		goto out;
	}
	ret = 0;
out:
	free(cmd);
	return ret;
}

static const struct beacon_known known[] = {
	{ "quicknet", BEACON_QUICKNET_CHAIN, BEACON_QUICKNET_SCHEME,
	  BEACON_QUICKNET_KEY, BEACON_QUICKNET_GENESIS,
	  BEACON_QUICKNET_PERIOD },
	{ "mainnet default", BEACON_MAINNET_CHAIN, BEACON_MAINNET_SCHEME,
	  BEACON_MAINNET_KEY, BEACON_MAINNET_GENESIS, BEACON_MAINNET_PERIOD },
};

const struct beacon_known *
beacon_known(const char *chain)
{
	size_t	 i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i].chain, chain) == 0)
			return &known[i];
	return NULL;
}

/* The scheme's key group: 1 for a key in G2 (signatures in G1), 0 for G1. */
static int
key_in_g2(const char *scheme, char **err)
{
	if (strcmp(scheme, "bls-unchained-g1-rfc9380") == 0)
		return 1;
	if (strcmp(scheme, "pedersen-bls-chained") == 0)
		return 0;
	*err = xasprintf("beacon: unknown scheme '%s': ssj checks "
	    "'bls-unchained-g1-rfc9380' and 'pedersen-bls-chained'", scheme);
	return -1;
}

/* The key's bytes, checked as a point of its group. */
static int
decode_key(const char *scheme, const char *key, unsigned char out[96],
    int *g2, char **err)
{
	size_t	 n = strlen(key), want;
	int	 rc;

	*err = NULL;
	if ((*g2 = key_in_g2(scheme, err)) == -1)
		return -1;
	want = *g2 ? BLS_G2_BYTES : BLS_G1_BYTES;
	if (n != 2 * want || crypto_unhex(key, out, want) != 0) {
		*err = xasprintf("beacon: the public key of a '%s' chain is "
		    "%zu lowercase hex digits", scheme, 2 * want);
		return -1;
	}
	rc = *g2 ? bls_g2_check(out, want) : bls_g1_check(out, want);
	if (rc == BLS_OK && out[0] == 0xc0)
		rc = BLS_IDENTITY;
	if (rc != BLS_OK) {
		*err = xasprintf("beacon: the chain's public key is not "
		    "usable: %s", bls_strerror(rc));
		return -1;
	}
	return 0;
}

int
beacon_check_key(const char *scheme, const char *key, char **err)
{
	unsigned char	 k[96];
	int		 g2;

	return decode_key(scheme, key, k, &g2, err);
}

int
beacon_load(const char *text, size_t len, const char *scheme,
    const char *key, struct beacon *b, char **err)
{
	unsigned char	 k[96], msg[CRYPTO_SHA256_BYTES];
	unsigned char	 rnd[8];
	struct crypto_sha256 h;
	int		 g2, rc, i;

	if (beacon_parse(text, len, b, err) == -1)
		return -1;
	if (decode_key(scheme, key, k, &g2, err) == -1)
		goto fail;
	/* Unchained rounds sign the round alone: nothing else may come. */
	if (g2 && b->previous != NULL) {
		*err = xasprintf("beacon: 'previous_signature' is given, but "
		    "a '%s' chain does not sign it", scheme);
		goto fail;
	}
	if (!g2 && b->previous == NULL) {
		*err = xasprintf("beacon: 'previous_signature' is missing: a "
		    "'%s' round signs it", scheme);
		goto fail;
	}
	for (i = 0; i < 8; i++)
		rnd[i] = (unsigned char)(b->round >> (56 - 8 * i));
	crypto_sha256_init(&h);
	if (b->previous != NULL)
		crypto_sha256_update(&h, b->previous, b->prevlen);
	crypto_sha256_update(&h, rnd, sizeof(rnd));
	crypto_sha256_final(&h, msg);
	if (g2)
		rc = bls_verify_g1sig(k, BLS_G2_BYTES, msg, sizeof(msg),
		    b->signature, b->siglen,
		    "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_");
	else
		rc = bls_verify_g2sig(k, BLS_G1_BYTES, msg, sizeof(msg),
		    b->signature, b->siglen,
		    "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_");
	switch (rc) {
	case BLS_OK:
		return 0;
	case BLS_BAD_SIGNATURE:
		*err = xasprintf("beacon: bad signature: round %llu is not "
		    "signed by the chain's key (the pairing check fails)",
		    (unsigned long long)b->round);
		break;
	default:
		*err = xasprintf("beacon: 'signature' is not a valid %s "
		    "signature: %s", g2 ? "G1" : "G2", bls_strerror(rc));
		break;
	}
fail:
	beacon_release(b);
	return -1;
}
