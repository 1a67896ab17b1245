/*
 * Unit tests of the drand record parser: real published rounds of mainnet
 * and quicknet, every refusal with its message, and the round clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "beacon.h"
#include "crypto.h"
#include "xmalloc.h"

/*
 * drand mainnet ("default", chained, 30 s) round 5347804, as the drand
 * documentation shows `curl api.drand.sh/public/latest` printing it:
 * drand/drand-docs, docs/developer/06-HTTP-API.md (commit b77fed4).
 */
#define MAINNET_ROUND	5347804
#define MAINNET_RAND \
	"a87619810b1b41e70a01b8f903cf69977e026f80d9fd5e4c197c298a96c61cfe"
#define MAINNET_SIG \
	"92daf5745411a415b539caebda0b523fa20d4d12b28eb2fe427decdf5dcc9760" \
	"46a9c83b54f1db991fa191ffca8fcbdc07563036664f6ba47dcf00593559286f" \
	"667574f6b0a2ba0be2683463b5bf3472e5696ac28b75d5b2223dbb98a56c96a3"
#define MAINNET_PREV \
	"b01091c60b2b1a7c1f7a79610cd94e0c06e93bd305cf04229fe1571669257d16" \
	"583a02e4038fdd755e6c39944b0116e30256874eede733a79c5e72c787db3889" \
	"a1678c4ea6423b467de56208c5bd8e10cc090b6e0429f7f33653086a089cc3f8"
static const char mainnet[] = "{\"round\":5347804,\"randomness\":\""
    MAINNET_RAND "\",\"signature\":\"" MAINNET_SIG "\","
    "\"previous_signature\":\"" MAINNET_PREV "\"}";

/*
 * drand quicknet (unchained, 3 s) round 657413: its signature and the
 * randomness drand-verify returns for it, from mcdcam/python-drand-verify
 * README.md (commit f15d601), in the record shape quicknet relays serve.
 */
#define QUICKNET_RAND \
	"fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587"
#define QUICKNET_SIG \
	"b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be" \
	"41076862b98fad56e91a6b85b89cd97b"
static const char quicknet[] = "{\"round\":657413,\"randomness\":\""
    QUICKNET_RAND "\",\"signature\":\"" QUICKNET_SIG "\"}";

static void	assert_hex(const unsigned char *, size_t, const char *);
static void	refused(const char *, const char *);

static void
assert_hex(const unsigned char *p, size_t n, const char *want)
{
	char	*hex;

	hex = xmalloc(2 * n + 1);
	crypto_hex(p, n, hex);
	assert_string_equal(hex, want);
	free(hex);
}

/* The text must be refused with exactly this message. */
static void
refused(const char *text, const char *want)
{
	struct beacon	 b;
	char		*err = NULL;

	assert_int_equal(beacon_parse(text, strlen(text), &b, &err), -1);
	assert_non_null(err);
	assert_string_equal(err, want);
	assert_null(b.signature);
	assert_null(b.previous);
	free(err);
}

static void
test_beacon__mainnet_record(void **state)
{
	struct beacon	 b;
	char		*err = NULL;

	(void)state;
	assert_int_equal(beacon_parse(mainnet, sizeof(mainnet) - 1, &b, &err),
	    0);
	assert_null(err);
	assert_int_equal(b.round, MAINNET_ROUND);
	assert_hex(b.randomness, 32, MAINNET_RAND);
	assert_int_equal(b.siglen, 96);
	assert_hex(b.signature, b.siglen, MAINNET_SIG);
	assert_non_null(b.previous);
	assert_int_equal(b.prevlen, 96);
	assert_hex(b.previous, b.prevlen, MAINNET_PREV);
	beacon_release(&b);
	assert_null(b.signature);
}

static void
test_beacon__quicknet_record(void **state)
{
	struct beacon	 b;
	unsigned char	 digest[CRYPTO_SHA256_BYTES];
	char		*err = NULL;

	(void)state;
	assert_int_equal(beacon_parse(quicknet, sizeof(quicknet) - 1, &b,
	    &err), 0);
	assert_int_equal(b.round, 657413);
	assert_int_equal(b.siglen, 48);
	assert_null(b.previous);
	assert_int_equal(b.prevlen, 0);
	/* The known answer: randomness = SHA-256(signature). */
	crypto_sha256(b.signature, b.siglen, digest);
	assert_hex(digest, sizeof(digest), QUICKNET_RAND);
	assert_hex(b.randomness, 32, QUICKNET_RAND);
	beacon_release(&b);
}

/* Layout, member order, unknown members and case do not matter. */
static void
test_beacon__accepted_forms(void **state)
{
	static const char *const ok[] = {
		"{\n  \"signature\": \"" QUICKNET_SIG "\",\n  \"round\": "
		    "657413,\n  \"randomness\": \"" QUICKNET_RAND "\"\n}\n",
		"{\"round\":657413,\"randomness\":\"" QUICKNET_RAND "\","
		    "\"signature\":\"" QUICKNET_SIG "\",\"beacon_id\":"
		    "\"quicknet\",\"extra\":[1,{\"x\":null}]}",
		"{\"round\":657413,\"randomness\":\"" QUICKNET_RAND "\","
		    "\"signature\":\"" QUICKNET_SIG "\","
		    "\"previous_signature\":null}",
		"{\"round\":657413,\"randomness\":\"" QUICKNET_RAND "\","
		    "\"signature\":\"" QUICKNET_SIG "\","
		    "\"previous_signature\":\"\"}",
		"{\"round\":657413,\"randomness\":\"FC1873A13F3545AEADE8401532"
		    "EF5519920652EEE6B0D2B19CA12643B87B3587\",\"signature\":\""
		    QUICKNET_SIG "\"}",
	};
	struct beacon	 b;
	char		*err = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (beacon_parse(ok[i], strlen(ok[i]), &b, &err) != 0)
			fail_msg("form %zu: %s", i, err);
		assert_int_equal(b.round, 657413);
		assert_hex(b.randomness, 32, QUICKNET_RAND);
		assert_null(b.previous);
		beacon_release(&b);
	}
}

static void
test_beacon__not_json(void **state)
{
	struct beacon	 b;
	char		*err = NULL;

	(void)state;
	refused("{\"round\":x}",
	    "beacon: not JSON: line 1 column 10: invalid token near 'x'");
	refused("", "beacon: not JSON: line 1 column 0: '[' or '{' expected "
	    "near end of file");
	refused("{\"round\":1}\n{}", "beacon: not JSON: line 2 column 1: "
	    "end of file expected near '{'");
	/* Two 'round' members would let either one be the record. */
	refused("{\"round\":1,\"round\":2}", "beacon: not JSON: line 1 column "
	    "18: duplicate object key near '\"round\"'");
	refused("{\"round\":99999999999999999999}", "beacon: not JSON: line 1 "
	    "column 29: too big integer near '99999999999999999999'");
	refused("[1]", "beacon: not a JSON object");
	/* A NUL byte ends nothing: the length is the record. */
	assert_int_equal(beacon_parse(quicknet, sizeof(quicknet), &b, &err),
	    -1);
	assert_non_null(strstr(err, "beacon: not JSON: "));
	free(err);
}

static void
test_beacon__round(void **state)
{
	(void)state;
	refused("{}", "beacon: missing 'round'");
	refused("{\"randomness\":\"" QUICKNET_RAND "\",\"signature\":\""
	    QUICKNET_SIG "\"}", "beacon: missing 'round'");
	refused("{\"round\":\"657413\"}", "beacon: 'round' is not an integer");
	refused("{\"round\":657413.0}", "beacon: 'round' is not an integer");
	refused("{\"round\":null}", "beacon: 'round' is not an integer");
	refused("{\"round\":0}", "beacon: 'round' is not positive");
	refused("{\"round\":-3}", "beacon: 'round' is not positive");
}

static void
test_beacon__hex_members(void **state)
{
	(void)state;
	refused("{\"round\":1,\"signature\":\"" QUICKNET_SIG "\"}",
	    "beacon: missing 'randomness'");
	refused("{\"round\":1,\"randomness\":\"" QUICKNET_RAND "\"}",
	    "beacon: missing 'signature'");
	refused("{\"round\":1,\"randomness\":7,\"signature\":\"00\"}",
	    "beacon: 'randomness' is not a string");
	refused("{\"round\":1,\"randomness\":\"" QUICKNET_RAND "\","
	    "\"signature\":[]}", "beacon: 'signature' is not a string");
	refused("{\"round\":1,\"randomness\":\"" QUICKNET_RAND "\","
	    "\"signature\":\"\"}", "beacon: 'signature' is empty");
	refused("{\"round\":1,\"randomness\":\"" QUICKNET_RAND "\","
	    "\"signature\":\"abc\"}", "beacon: 'signature' is not hex");
	refused("{\"round\":1,\"randomness\":\"" QUICKNET_RAND "\","
	    "\"signature\":\"0g\"}", "beacon: 'signature' is not hex");
	refused("{\"round\":1,\"randomness\":\"" QUICKNET_RAND "\","
	    "\"signature\":\"00\\u000000\"}",
	    "beacon: not JSON: line 1 column 115: \\u0000 is not allowed "
	    "without JSON_ALLOW_NUL near '\"00\\u000000\"'");
	refused("{\"round\":1,\"randomness\":\"" QUICKNET_RAND "\","
	    "\"signature\":\" " QUICKNET_SIG "\"}",
	    "beacon: 'signature' is not hex");
	refused("{\"round\":1,\"randomness\":\"fc18\",\"signature\":\""
	    QUICKNET_SIG "\"}", "beacon: 'randomness' is not 32 bytes");
	refused("{\"round\":1,\"randomness\":\"" QUICKNET_RAND "00\","
	    "\"signature\":\"" QUICKNET_SIG "\"}",
	    "beacon: 'randomness' is not 32 bytes");
	refused("{\"round\":1,\"randomness\":\"" QUICKNET_RAND "\","
	    "\"signature\":\"" QUICKNET_SIG "\",\"previous_signature\":5}",
	    "beacon: 'previous_signature' is not a string");
	refused("{\"round\":1,\"randomness\":\"" QUICKNET_RAND "\","
	    "\"signature\":\"" QUICKNET_SIG "\",\"previous_signature\":"
	    "\"xyz0\"}", "beacon: 'previous_signature' is not hex");
}

/* One bit of the signature or the randomness off: refused. */
static void
test_beacon__randomness_is_sha256_of_sig(void **state)
{
	char	*text;

	(void)state;
	text = xstrdup(mainnet);
	*strstr(text, "a87619") = 'b';
	refused(text, "beacon: 'randomness' is not SHA-256 of 'signature'");
	free(text);
	text = xstrdup(mainnet);
	strstr(text, "92daf574")[7] = '5';
	refused(text, "beacon: 'randomness' is not SHA-256 of 'signature'");
	free(text);
	/* The mainnet randomness with the quicknet signature. */
	refused("{\"round\":1,\"randomness\":\"" MAINNET_RAND "\","
	    "\"signature\":\"" QUICKNET_SIG "\"}",
	    "beacon: 'randomness' is not SHA-256 of 'signature'");
}

static void
test_beacon__round_at(void **state)
{
	const uint64_t	 g = BEACON_QUICKNET_GENESIS;
	const uint64_t	 p = BEACON_QUICKNET_PERIOD;

	(void)state;
	assert_int_equal(beacon_round_at(g, p, g - 1), 0);
	assert_int_equal(beacon_round_at(g, p, g), 1);
	assert_int_equal(beacon_round_at(g, p, g + 2), 1);
	assert_int_equal(beacon_round_at(g, p, g + 3), 2);
	/* docs/protocol.md's example round starts at 2024-12-03T00:51:06Z. */
	assert_int_equal(beacon_round_at(g, p, 1733187066), 13461234);
	assert_int_equal(beacon_round_at(g, p, 1733187065), 13461233);
	/* Mainnet: genesis 1595431050, 30 s; the round above. */
	assert_int_equal(beacon_round_at(1595431050, 30,
	    1595431050 + (uint64_t)(MAINNET_ROUND - 1) * 30), MAINNET_ROUND);
	assert_int_equal(beacon_round_at(g, 0, g + 100), 0);
	assert_int_equal(beacon_round_at(0, 1, UINT64_MAX), UINT64_MAX);
}


/* Both real records verify through beacon_load under their chain's key. */
static void
test_beacon__load_verifies(void **state)
{
	struct beacon	 b;
	char		*err = NULL, *bad;

	(void)state;
	if (beacon_load(mainnet, sizeof(mainnet) - 1, BEACON_MAINNET_SCHEME,
	    BEACON_MAINNET_KEY, &b, &err) != 0)
		fail_msg("mainnet: %s", err);
	assert_int_equal(b.round, MAINNET_ROUND);
	beacon_release(&b);
	if (beacon_load(quicknet, sizeof(quicknet) - 1,
	    BEACON_QUICKNET_SCHEME, BEACON_QUICKNET_KEY, &b, &err) != 0)
		fail_msg("quicknet: %s", err);
	assert_int_equal(b.round, 657413);
	beacon_release(&b);

	/* Each under the other chain's key and scheme: refused. */
	assert_int_equal(beacon_load(quicknet, sizeof(quicknet) - 1,
	    BEACON_MAINNET_SCHEME, BEACON_MAINNET_KEY, &b, &err), -1);
	assert_string_equal(err, "beacon: 'previous_signature' is missing: "
	    "a 'pedersen-bls-chained' round signs it");
	assert_null(b.signature);
	free(err);
	assert_int_equal(beacon_load(mainnet, sizeof(mainnet) - 1,
	    BEACON_QUICKNET_SCHEME, BEACON_QUICKNET_KEY, &b, &err), -1);
	assert_non_null(strstr(err, "'previous_signature' is given"));
	free(err);

	/* Another round: the signature does not cover it. */
	bad = xstrdup(quicknet);
	memcpy(strstr(bad, "657413"), "657414", 6);
	assert_int_equal(beacon_load(bad, strlen(bad), BEACON_QUICKNET_SCHEME,
	    BEACON_QUICKNET_KEY, &b, &err), -1);
	assert_string_equal(err, "beacon: bad signature: round 657414 is not "
	    "signed by the chain's key (the pairing check fails)");
	free(err);
	free(bad);

	/* A key that is no point; a scheme ssj does not know. */
	assert_int_equal(beacon_check_key(BEACON_QUICKNET_SCHEME,
	    BEACON_MAINNET_KEY, &err), -1);
	assert_non_null(strstr(err, "is 192 lowercase hex digits"));
	free(err);
	assert_int_equal(beacon_check_key("bls-unchained-on-g1",
	    BEACON_QUICKNET_KEY, &err), -1);
	assert_non_null(strstr(err, "unknown scheme 'bls-unchained-on-g1'"));
	free(err);
	assert_int_equal(beacon_check_key(BEACON_MAINNET_SCHEME,
	    BEACON_MAINNET_KEY, &err), 0);
	assert_int_equal(beacon_check_key(BEACON_MAINNET_SCHEME,
	    "c0000000000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000000000000000", &err), -1);
	assert_string_equal(err, "beacon: the chain's public key is not "
	    "usable: point at infinity");
	free(err);
}

/*
 * docs/protocol.md section 5: a record with a repeated member is refused,
 * whichever copy a parser would keep; so is one over 4096 bytes.
 */
static void
test_beacon__duplicates_and_size(void **state)
{
	static const char dup[] = "{\"round\":657413,\"round\":657414,"
	    "\"randomness\":\"" QUICKNET_RAND "\",\"signature\":\""
	    QUICKNET_SIG "\"}";
	struct beacon	 b;
	char		*err = NULL, *big;
	size_t		 n;

	(void)state;
	assert_int_equal(beacon_parse(dup, sizeof(dup) - 1, &b, &err), -1);
	assert_non_null(strstr(err, "duplicate object key"));
	free(err);
	n = sizeof(quicknet) - 1;
	big = xmalloc(BEACON_RECORD_MAX + 2);
	memcpy(big, quicknet, n - 1);
	memcpy(big + n - 1, ",\"x\":\"", 6);
	memset(big + n + 5, 'x', BEACON_RECORD_MAX - n - 7);
	memcpy(big + BEACON_RECORD_MAX - 2, "\"}", 3);
	/* exactly at the bound: accepted */
	assert_int_equal(strlen(big), BEACON_RECORD_MAX);
	if (beacon_parse(big, BEACON_RECORD_MAX, &b, &err) != 0)
		fail_msg("%s", err);
	beacon_release(&b);
	memcpy(big + BEACON_RECORD_MAX - 2, "x\"}", 4);
	assert_int_equal(beacon_parse(big, BEACON_RECORD_MAX + 1, &b, &err),
	    -1);
	assert_string_equal(err, "beacon: the record is 4097 bytes; a drand "
	    "record is at most 4096");
	free(err);
	free(big);
}

static void
test_beacon__command_and_known(void **state)
{
	char	*s;

	(void)state;
	assert_string_equal(beacon_command("curl -s x/{chain}/public/{round}"
	    " # {round} {other}", "ab12", 27602912, &s),
	    "curl -s x/ab12/public/27602912 # 27602912 {other}");
	free(s);
	assert_string_equal(beacon_command("{round", "c", 1, &s), "{round");
	free(s);
	assert_non_null(beacon_known(BEACON_QUICKNET_CHAIN));
	assert_string_equal(beacon_known(BEACON_MAINNET_CHAIN)->scheme,
	    "pedersen-bls-chained");
	assert_null(beacon_known("00"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_beacon__mainnet_record),
		cmocka_unit_test(test_beacon__quicknet_record),
		cmocka_unit_test(test_beacon__accepted_forms),
		cmocka_unit_test(test_beacon__not_json),
		cmocka_unit_test(test_beacon__round),
		cmocka_unit_test(test_beacon__hex_members),
		cmocka_unit_test(test_beacon__randomness_is_sha256_of_sig),
		cmocka_unit_test(test_beacon__round_at),
		cmocka_unit_test(test_beacon__load_verifies),
		cmocka_unit_test(test_beacon__duplicates_and_size),
		cmocka_unit_test(test_beacon__command_and_known),
	};

	crypto_setup();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
