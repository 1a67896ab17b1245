/*
 * DSR-1's second random (docs/protocol.md §9): eligibility from the
 * frames, the assignment of teams from the stream with the augmenting-path
 * repair, replacement draws, and teams.txt. Pure functions over memory,
 * shared by the draw and the verifier: no database, no files.
 */
#ifndef SSJ_TEAM_H
#define SSJ_TEAM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "dsr.h"

#define TEAM_NONE	UINT32_MAX	/* an empty slot */
#define TEAM_UNBOUNDED	UINT64_MAX	/* no workload cap */
#define TEAM_CRED_MAX	32
#define TEAM_MAX_SLOTS	200	/* the plan allows 99 + 99 */

/* One line of inspectors.txt, and what §9.2-9.3 derive from it. */
struct team_inspector {
	char		 cred[TEAM_CRED_MAX + 1];
	char		*department;
	uint32_t	*jurisdiction;	/* division codes, ascending */
	size_t		 njurisdiction;
	char		*qualifications;	/* as in the file */
	char		 valid_until[11];
	int		 expert;
	int		 valid;		/* valid through the window */
	int		 dept;		/* 0 lead, 1..m joint, -1 neither */
	int		 qualified;	/* holds every one its dept needs */
	uint64_t	 load;		/* earlier, from the frame */
	uint64_t	 capacity;	/* slots it may take in this batch */
};

/* One line of conflicts.txt, by target. */
struct team_conflict {
	char		 id[DSR_ID_MAX + 1];
	uint32_t	 inspector;
	int		 rotation;	/* 0: recusal */
};

/* What §9 reads of the frames. */
struct team_frame {
	struct team_inspector	*inspectors;	/* inspectors.txt order */
	size_t			 ninspectors;
	struct team_conflict	*conflicts;	/* by (id, inspector) */
	size_t			 nconflicts;
	char			 window_to[11];
	char			**departments;	/* lead, then the joint */
	char			**require;	/* per department, or "-" */
	size_t			 ndepartments;
	unsigned int		 team_size;	/* sworn slots */
	unsigned int		 experts;	/* expert slots */
	int64_t			 cap_batch;	/* -1: none */
	int64_t			 cap_year;
};

/* A selected target, in rank order. */
struct team_target {
	const char	*id;
	uint32_t	 division;
};

/* The assignment as it stands: after the draw, then each replacement. */
struct team_state {
	size_t		 ntargets;
	size_t		 nslots;	/* team_size + experts */
	uint32_t	*slot;		/* [target * nslots + k] */
	uint32_t	*eligible;	/* per target, §9.3 */
	uint64_t	*load;		/* per inspector, in this batch */
	size_t		 ninspectors;
	uint32_t	*removed;	/* (target, inspector) pairs */
	size_t		 nremoved;
	char		**unstaffed;	/* why, per target not staffed */
	size_t		 nunstaffed;
	void		*index;		/* internal */
};

/*
 * Reads the frames the assignment needs. -1 with "FILE:LINE: message" in
 * *err (a new string).
 */
int	team_frame_parse(const char *inspectors, size_t ilen,
	    const char *conflicts, size_t clen, const char *parameters,
	    size_t plen, struct team_frame *, char **err);
void	team_frame_release(struct team_frame *);
/* The index of a credential in the frame, or -1. */
long	team_find(const struct team_frame *, const char *cred);

/*
 * §9.4-9.5: staffs the n targets (in rank order) from the stream under
 * key (k_teams). Returns 0, or 1 when some target cannot be staffed:
 * state->unstaffed says why, one message per target.
 */
int	team_assign(const struct team_frame *,
	    const unsigned char key[DSR_STREAM_KEY_BYTES],
	    const struct team_target *, size_t n, struct team_state *);
/*
 * §9.6: replaces inspector off target (an index into the targets) from
 * the stream under key (k_replace(n)); *slot and *chosen are set.
 * -1 with a message in *err when the inspector is not on the team or no
 * candidate remains; the state is then unchanged.
 */
int	team_replace(const struct team_frame *, struct team_state *,
	    const struct team_target *, size_t target, uint32_t inspector,
	    const unsigned char key[DSR_STREAM_KEY_BYTES], size_t *slot,
	    uint32_t *chosen, char **err);
/*
 * The feasibility check of a commitment: of the n targets of the pool,
 * how many could not be staffed even alone (the first few said in
 * report), and whether the caps leave room for nselected teams.
 */
size_t	team_check(const struct team_frame *, const struct team_target *,
	    size_t n, uint64_t nselected, struct buf *report);
/* §9.7: teams.txt, of the state as the draw left it. */
void	team_write(const struct team_frame *, const struct team_state *,
	    const struct team_target *, struct buf *);
/* Its line of target t (after the first, TEAMS_MAGIC in bundle.h). */
void	team_write_line(const struct team_frame *, const struct team_state *,
	    const struct team_target *, size_t t, struct buf *);
void	team_state_release(struct team_state *);

#endif
