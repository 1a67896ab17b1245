/*
 * Public randomness beacon records (drand): parsing the JSON a drand
 * relay serves for a round, checking randomness = SHA-256(signature), and
 * the round a chain is at for a given time. beacon.c is the only user of
 * jansson. (The BLS signature itself is left to drand's own tools.)
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
 * The round current at unix time now: floor((now - genesis) / period) + 1;
 * 0 before genesis or for a period of 0.
 */
uint64_t beacon_round_at(uint64_t genesis, uint64_t period, uint64_t now);

#endif
