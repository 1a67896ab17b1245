/*
 * libFuzzer harness for note.c: the first byte says whether the rest is
 * a whole signed checkpoint, or a text that the harness signs first so
 * that the checkpoint parser itself is reached. Broken invariants abort().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "note.h"
#include "xmalloc.h"

#define FUZZ_MAX	(NOTE_MAX_BYTES + 4096)
#define NAME		"PeterNeumann"

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 check_opened(const char *, size_t, const struct checkpoint *);
static void	 check_failed(int, const struct checkpoint *, const char *);

/*
 * The test key of golang.org/x/mod's note tests: its Ed25519 seed, then
 * its public key (libsodium's secret key is the two together).
 */
static const unsigned char sk[CRYPTO_SIGN_SECRETKEYBYTES] = {
	0x81, 0x0a, 0x14, 0x02, 0xd5, 0x14, 0x6c, 0x8d,
	0x84, 0xf2, 0x44, 0x33, 0x30, 0xf5, 0x40, 0x80,
	0xeb, 0xf9, 0x8e, 0xe1, 0x7d, 0x9c, 0x74, 0xf6,
	0x25, 0x2f, 0xc5, 0xd5, 0xc7, 0x28, 0x31, 0x73,
	0x1a, 0x5c, 0xd9, 0x07, 0x14, 0x3c, 0x38, 0x4c,
	0x41, 0xe8, 0x30, 0xc5, 0xbc, 0xe1, 0x2a, 0xa8,
	0x81, 0x7e, 0xc5, 0x64, 0x9a, 0xaa, 0xbf, 0x2c,
	0x31, 0x38, 0x8b, 0x35, 0xb2, 0xd7, 0x44, 0xd6,
};
static const unsigned char *pk = sk + 32;

/*
 * An opened checkpoint signs again into a note that opens to the same
 * values; the note text it was read from is the canonical one.
 */
static void
check_opened(const char *note, size_t len, const struct checkpoint *cp)
{
	struct checkpoint	 again;
	char			*signed_again, *err, *text, *text2;

	if (cp->origin == NULL || cp->origin[0] == '\0' ||
	    strchr(cp->origin, '\n') != NULL)
		abort();
	if (cp->extensions != NULL && (cp->extensions[0] == '\0' ||
	    cp->extensions[strlen(cp->extensions) - 1] != '\n' ||
	    strstr(cp->extensions, "\n\n") != NULL))
		abort();
	signed_again = checkpoint_sign(cp, NAME, sk);
	if (checkpoint_open(signed_again, strlen(signed_again), NAME, pk,
	    &again, &err) != 0)
		abort();
	if (strcmp(again.origin, cp->origin) != 0 || again.size != cp->size ||
	    memcmp(again.root, cp->root, sizeof(cp->root)) != 0 ||
	    (again.extensions == NULL) != (cp->extensions == NULL) ||
	    (cp->extensions != NULL &&
	    strcmp(again.extensions, cp->extensions) != 0))
		abort();
	checkpoint_release(&again);
	/* the text we verified is the text we write */
	if (note_open(note, len, NAME, pk, &text, &err) != 0 ||
	    note_open(signed_again, strlen(signed_again), NAME, pk, &text2,
	    &err) != 0 || strcmp(text, text2) != 0)
		abort();
	free(text);
	free(text2);
	free(signed_again);
}

static void
check_failed(int rc, const struct checkpoint *cp, const char *err)
{
	if (rc != -1 || err == NULL || strncmp(err, "line ", 5) != 0 ||
	    cp->origin != NULL || cp->extensions != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	struct checkpoint	 cp;
	char			*in, *note, *again, *err = NULL;
	size_t			 len;
	int			 rc;

	if (!ready) {
		crypto_setup();
		ready = 1;
	}
	if (size < 1 || size > FUZZ_MAX)
		return 0;
	memset(&cp, 0, sizeof(cp));
	len = size - 1;
	in = xmalloc(size);
	memcpy(in, data + 1, len);
	in[len] = '\0';
	if ((data[0] & 1) == 0) {
		rc = checkpoint_open(in, len, NAME, pk, &cp, &err);
		if (rc == 0)
			check_opened(in, len, &cp);
		else
			check_failed(rc, &cp, err);
	} else if ((note = note_sign(in, NAME, sk)) != NULL) {
		rc = checkpoint_open(note, strlen(note), NAME, pk, &cp, &err);
		if (rc == 0) {
			check_opened(note, strlen(note), &cp);
			/* one way to write a checkpoint: ours */
			again = checkpoint_sign(&cp, NAME, sk);
			if (strcmp(again, note) != 0)
				abort();
			free(again);
		} else {
			check_failed(rc, &cp, err);
			/* what we sign we can verify: only the body is wrong */
			if (strstr(err, "signature") != NULL ||
			    strstr(err, " note") != NULL)
				abort();
		}
		free(note);
	}
	checkpoint_release(&cp);
	free(err);
	free(in);
	return 0;
}
