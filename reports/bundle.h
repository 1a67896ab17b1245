/*
 * The published files of a draw (docs/protocol.md §3, §7, §8): the
 * commitment, the selection and the manifest, written canonically and
 * parsed strictly, so that ssj verify needs nothing but a bundle.
 */
#ifndef SSJ_BUNDLE_H
#define SSJ_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "frame.h"

#define BUNDLE_NAME_MAX	64	/* witness names */

struct witness {
	char		*name;
	unsigned char	 hash[CRYPTO_DIGEST_BYTES];	/* of the value */
};

struct commitment {
	char		*batch;
	char		*created;		/* UTC timestamp */
	int64_t		 snapshot;
	unsigned char	 frame[FRAME_NFILES][CRYPTO_DIGEST_BYTES];
	char		 chain[65];		/* the beacon's chain hash */
	uint64_t	 round;			/* the committed round */
	uint64_t	 genesis;		/* the chain's round 1, unix */
	uint64_t	 period;		/* its seconds between rounds */
	char		 scheme[32];		/* drand's scheme id */
	char		 key[193];		/* its public key, hex */
	struct witness	*witnesses;
	size_t		 nwitnesses;
	unsigned char	 secret_hash[CRYPTO_DIGEST_BYTES];
};

char	*commitment_format(const struct commitment *);
int	 commitment_parse(const char *, size_t, struct commitment *,
	    char **err);
void	 commitment_release(struct commitment *);
/* Whether a witness name is 1-64 of A-Z a-z 0-9 . _ - */
int	 witness_name_valid(const char *);

struct reveal {
	char		*name;
	unsigned char	*value;
	size_t		 len;
};

/* One stratum's outcome: N_h, n_h. */
struct stratum_count {
	char		 name[32];
	uint64_t	 population;
	uint64_t	 sample;
};

struct bundle_file {
	char		*path;			/* relative to the bundle */
	unsigned char	 digest[CRYPTO_DIGEST_BYTES];
	int		 withheld;		/* public bundle: not given */
};

struct manifest {
	int			 public;
	char			*batch;
	unsigned char		 commitment[CRYPTO_DIGEST_BYTES];
	uint64_t		 round;
	unsigned char		 randomness[32];
	struct reveal		*reveals;
	size_t			 nreveals;
	unsigned char		 secret[32];
	unsigned char		 seed[32];
	struct stratum_count	*strata;
	size_t			 nstrata;
	uint64_t		 selected;
	uint64_t		 replacements;
	struct bundle_file	*files;
	size_t			 nfiles;
};

/* Whether a public bundle withholds the file at path (§8's table). */
int	 bundle_withheld(const char *path);

char	*manifest_format(const struct manifest *);
int	 manifest_parse(const char *, size_t, struct manifest *, char **err);
void	 manifest_release(struct manifest *);

/* One line of selection.txt. */
struct selected {
	uint64_t	 rank;
	char		 id[DSR_ID_MAX + 1];
	char		 stratum[32];		/* "" in a public selection */
	unsigned char	 ticket[DSR_TICKET_BYTES];
};

/* The first line of selection.txt, full or public. */
#define SELECTION_MAGIC		"DSR-1 selection\n"
#define SELECTION_PUBLIC_MAGIC	"DSR-1 public selection\n"

/* The first line of teams.txt, full or public (§9.7, §8.1). */
#define TEAMS_MAGIC		"DSR-1 teams\n"
#define TEAMS_PUBLIC_MAGIC	"DSR-1 public teams\n"

/* The first line of replacements.txt, full or public (§9.7, §8.1). */
#define REPLACEMENTS_MAGIC	"DSR-1 replacements\n"
#define REPLACEMENTS_PUBLIC_MAGIC "DSR-1 public replacements\n"

/*
 * The public forms of a full selection.txt and teams.txt: by id, no
 * rank, no ticket (§8.1). -1 when the full one is malformed.
 */
int	 bundle_public_selection(const char *, size_t, struct buf *);
int	 bundle_public_teams(const char *, size_t, struct buf *);
/*
 * The public form of a full replacements.txt: the same lines without the
 * reason, which may be a recusal or a person's health (§8.1). -1 when
 * the full one is malformed.
 */
int	 bundle_public_replacements(const char *, size_t, struct buf *);

/* Appends one line of selection.txt (stratum NULL in a public one). */
void	 selection_line(struct buf *, uint64_t rank, const char *id,
	    const char *stratum, const unsigned char ticket[DSR_TICKET_BYTES]);
int	 selection_parse(const char *, size_t, int public, struct selected **,
	    size_t *, char **err);

/* A number in its one spelling: decimal, no sign, no leading zero. */
int	 bundle_number(const char *, uint64_t *);

/* Escapes a value as ledger values are (\\, \n, \xHH). */
void	 bundle_escape(struct buf *, const unsigned char *, size_t);
int	 bundle_unescape(const char *, size_t, unsigned char **, size_t *);

#endif
