/*
 * libFuzzer harness for the key file parsers (keys.c): the input as a
 * public key string and as a secret key file. Broken invariants abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "keys.h"
#include "xmalloc.h"

#define FUZZ_MAX	8192

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	static const char	 msg[] = "fuzz";
	struct pubkey		 pk;
	struct seckey		*sk;
	unsigned char		 sig[CRYPTO_SIGN_BYTES];
	char			 b64[PUBKEY_BASE64_LEN], *text;

	if (!ready) {
		crypto_setup();
		ready = 1;
	}
	if (size > FUZZ_MAX)
		return 0;
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';

	/* Strict base64: a key that parses has exactly one spelling. */
	if (pubkey_parse(text, size, &pk) == 0) {
		pubkey_base64(&pk, b64);
		if (strlen(b64) != size || memcmp(b64, text, size) != 0)
			abort();
	}

	/*
	 * No passphrase: an encrypted key stops before scrypt, whose limits
	 * the input names. A key that loads must sign and verify.
	 */
	if ((sk = seckey_parse(text, size, "fuzz.key", NULL)) != NULL) {
		seckey_public(sk, &pk);
		crypto_sign_buf(sig, msg, sizeof(msg) - 1, sk->sk);
		if (crypto_verify_buf(sig, msg, sizeof(msg) - 1, pk.pk) != 0)
			abort();
		seckey_free(sk);
	}
	free(text);
	return 0;
}
