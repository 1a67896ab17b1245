/*
 * Public randomness beacon records (drand): parsing the JSON a drand
 * relay serves for a round, checking randomness = SHA-256(signature), and
 * the round a chain is at for a given time, and the round's BLS signature
 * under the chain's key (bls12381.c). beacon.c reads JSON with jansson;
 * jsonw.c is the only other includer of jansson.h (it writes JSON).
 */
#ifndef SSJ_BEACON_H
#define SSJ_BEACON_H

#include <stddef.h>
#include <stdint.h>

/* drand's quicknet (bls-unchained-g1-rfc9380), the default chain. */
#define BEACON_QUICKNET_CHAIN \
	"52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
#define BEACON_QUICKNET_GENESIS	1692803367
#define BEACON_QUICKNET_PERIOD	3
#define BEACON_QUICKNET_SCHEME	"bls-unchained-g1-rfc9380"
#define BEACON_QUICKNET_KEY \
	"83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c" \
	"8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb" \
	"5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"
/* drand's first mainnet chain, "default" (pedersen-bls-chained). */
#define BEACON_MAINNET_CHAIN \
	"8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce"
#define BEACON_MAINNET_GENESIS	1595431050
#define BEACON_MAINNET_PERIOD	30
#define BEACON_MAINNET_SCHEME	"pedersen-bls-chained"
#define BEACON_MAINNET_KEY \
	"868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a5699" \
	"37c529eeda66c7293784a9402801af31"

/*
 * A record is a few hundred bytes; anything much longer is refused before
 * it is parsed (docs/protocol.md section 5).
 */
#define BEACON_RECORD_MAX	4096

/* A chain ssj knows by its hash, for the plan's defaults. */
struct beacon_known {
	const char	*name;
	const char	*chain;
	const char	*scheme;
	const char	*key;
	int64_t		 genesis;
	int64_t		 period;
};

struct beacon {
	uint64_t	 round;
	unsigned char	 randomness[32];
	unsigned char	*signature;		/* as given, raw bytes */
	size_t		 siglen;
	unsigned char	*previous;		/* chained networks; or NULL */
	size_t		 prevlen;
};

/*
 * Parses one round's record ({"round": N, "randomness": hex, "signature":
 * hex[, "previous_signature": hex]}; other members are ignored) and checks
 * that randomness is SHA-256 of the signature. -1 with a message in *err
 * (a new string) otherwise.
 */
int	 beacon_parse(const char *text, size_t len, struct beacon *,
	    char **err);
void	 beacon_release(struct beacon *);
/*
 * beacon_parse, then the BLS signature checked under the chain's scheme
 * ("bls-unchained-g1-rfc9380" or "pedersen-bls-chained") and public key
 * (hex, compressed): the message is SHA-256 of the round as 8 bytes
 * big-endian, preceded on a chained network by the previous signature.
 * -1 with a message in *err naming what failed.
 */
int	 beacon_load(const char *text, size_t len, const char *scheme,
	    const char *key, struct beacon *, char **err);
/* Whether scheme and key (hex) name a usable chain; -1 with *err if not. */
int	 beacon_check_key(const char *scheme, const char *key, char **err);
/*
 * The plan's fetch command with "{round}" and "{chain}" put in, as a new
 * string in *out (also returned).
 */
const char *beacon_command(const char *tmpl, const char *chain,
	    uint64_t round, char **out);
/* drand's HTTP API, for `ssj beacon fetch` when the plan names none. */
#define BEACON_COMMAND_DEFAULT \
	"curl -fsS --max-time 30 https://api.drand.sh/{chain}/public/{round}"
/*
 * Runs the command (beacon_command) and appends what it prints to out,
 * at most a little over BEACON_RECORD_MAX bytes (enough for beacon_parse
 * to refuse it); -1 with a message if it cannot run or fails.
 */
struct buf;
int	 beacon_fetch(const char *tmpl, const char *chain, uint64_t round,
	    struct buf *out);
/* The chain of that hash, if ssj knows it; or NULL. */
const struct beacon_known *beacon_known(const char *chain);
/*
 * The round current at unix time now: floor((now - genesis) / period) + 1;
 * 0 before genesis or for a period of 0.
 */
uint64_t beacon_round_at(uint64_t genesis, uint64_t period, uint64_t now);

#endif
