/*
 * DSR-1, the draw's arithmetic (docs/protocol.md): seed, derived keys,
 * tickets, sample sizes, selection, and the stream teams are drawn from.
 * Pure functions over memory: no database, no files, no floating point.
 */
#ifndef SSJ_DSR_H
#define SSJ_DSR_H

#include <stddef.h>
#include <stdint.h>

#define DSR_VERSION		"DSR-1"
#define DSR_SEED_BYTES		32
#define DSR_TICKET_BYTES	16
#define DSR_TICKET_KEY_BYTES	16
#define DSR_STREAM_KEY_BYTES	32
#define DSR_ID_MAX		18	/* a USCC; a 注册号 has 15 */
#define DSR_MAX_STRATA		64

/* One witness's revealed value, in commitment order. */
struct dsr_reveal {
	const char		*name;
	const unsigned char	*value;
	size_t			 len;
};

/* §5: the seed from the commitment digest, beacon, reveals and secret. */
void	dsr_seed(const unsigned char commitment[32],
	    const unsigned char beacon[32], const struct dsr_reveal *,
	    size_t nreveals, const unsigned char secret[32],
	    unsigned char seed[DSR_SEED_BYTES]);

/* §6: the subkeys. */
void	dsr_ticket_key(const unsigned char seed[DSR_SEED_BYTES],
	    unsigned char key[DSR_TICKET_KEY_BYTES]);
void	dsr_team_key(const unsigned char seed[DSR_SEED_BYTES],
	    unsigned char key[DSR_STREAM_KEY_BYTES]);
void	dsr_replace_key(const unsigned char seed[DSR_SEED_BYTES],
	    uint64_t replacement, unsigned char key[DSR_STREAM_KEY_BYTES]);

/* §6: the ticket of one id (SipHash-2-4-128). */
void	dsr_ticket(const unsigned char key[DSR_TICKET_KEY_BYTES],
	    const char *id, size_t len,
	    unsigned char ticket[DSR_TICKET_BYTES]);

/*
 * §7: n_h for a stratum of n targets with quota num/den (den > 0,
 * num <= den), min and max (-1: none). -1 (no message) if the product
 * would overflow 64 bits, or den is 0, num > den, or min or max < -1.
 */
int	dsr_sample_size(uint64_t n, uint64_t num, uint64_t den, int64_t min,
	    int64_t max, uint64_t *out);

/* A target of the frame, as the draw and the verifier hold it. */
struct dsr_target {
	unsigned char	ticket[DSR_TICKET_BYTES];
	char		id[DSR_ID_MAX + 1];	/* NUL-terminated */
	uint8_t		stratum;		/* index into the strata */
	uint32_t	division;		/* GB/T 2260 as a number */
};

/* Fills in every target's ticket. */
void	dsr_tickets(const unsigned char key[DSR_TICKET_KEY_BYTES],
	    struct dsr_target *, size_t n);
/* (ticket, id) order: <0, 0, >0 like memcmp. */
int	dsr_target_cmp(const struct dsr_target *, const struct dsr_target *);
/*
 * §7: selects sample[h] targets of each stratum h (< nstrata) -- the
 * smallest by (ticket, id) -- and returns their indices into v in
 * selection order (ticket, id) in *out (free it), *nout of them. The
 * order of v is unchanged. -1 (no message) if a stratum index is out of
 * range or a sample is larger than its stratum.
 */
int	dsr_select(const struct dsr_target *v, size_t n,
	    const uint64_t *sample, size_t nstrata, size_t **out,
	    size_t *nout);

/*
 * §7 as a stream, for a frame too large to hold: dsr_pick_add takes the
 * targets one at a time, tickets filled in, each with its place in the
 * frame (pos, increasing in the frame's id order); dsr_pick_finish
 * returns what dsr_select would select -- the sample[h] smallest of each
 * stratum h by (ticket, id) -- in *targets, in the order of their
 * places, and their indices into it in selection order in *sel (free
 * both), *n of them. Memory: the selected, not the frame. The targets
 * may be split between picks of the same samples (one a thread), each
 * then merged into one by dsr_pick_merge, which frees the other.
 *
 * Given each stratum's population (else NULL), a pick keeps from the
 * start only the tickets under a bound that the sample falls below but
 * with odds of less than one in 10^15 (about the sample, not twice it,
 * and none of the sorting that keeping fewer takes). dsr_pick_finish
 * returns 1 if it did not: then the targets are to be read again into a
 * pick without populations. dsr_pick_spare, more targets expected below
 * the bound than that, is for tests to set below zero.
 *
 * dsr_pick_new returns NULL if nstrata > DSR_MAX_STRATA; dsr_pick_add -1
 * if a stratum index is out of range; dsr_pick_finish -1 if a sample is
 * larger than its stratum. No message.
 */
struct dsr_pick;

extern int64_t	 dsr_pick_spare;

struct dsr_pick	*dsr_pick_new(const uint64_t *sample,
		    const uint64_t *population, size_t nstrata);
int		 dsr_pick_add(struct dsr_pick *, const struct dsr_target *,
		    uint64_t pos);
void		 dsr_pick_merge(struct dsr_pick *, struct dsr_pick *from);
int		 dsr_pick_finish(struct dsr_pick *, struct dsr_target **targets,
		    size_t **sel, size_t *n);
void		 dsr_pick_free(struct dsr_pick *);

/* §9: the ChaCha20 stream of little-endian u32 words. */
struct dsr_stream {
	unsigned char	key[DSR_STREAM_KEY_BYTES];
	uint32_t	block;		/* the next ChaCha20 block counter */
	unsigned char	buf[4096];
	size_t		pos;		/* bytes of buf used */
	size_t		len;		/* bytes of buf filled */
	uint64_t	words;		/* words read so far */
};

void	 dsr_stream_init(struct dsr_stream *,
	    const unsigned char key[DSR_STREAM_KEY_BYTES]);
uint32_t dsr_stream_u32(struct dsr_stream *);
/* A uniform integer in [0, n), n >= 1, by libsodium's rejection. */
uint32_t dsr_uniform(struct dsr_stream *, uint32_t n);
void	 dsr_stream_wipe(struct dsr_stream *);

#endif
