/*
 * drand round records: the JSON a relay serves for one round, parsed with
 * jansson (the only includer of jansson.h) and checked against itself.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "beacon.h"
#include "crypto.h"
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
