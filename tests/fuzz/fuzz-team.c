/*
 * libFuzzer harness for the frames the teams are drawn from (team.c):
 * the input is inspectors.txt, conflicts.txt and parameters.txt joined by
 * NUL bytes. What the parser refuses must say where; what it accepts is
 * staffed for a few targets, and the teams must keep the rules that need
 * no second reading of §9: distinct members, loads within capacities, a
 * replacement that leaves its inspector off. Broken invariants abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "dsr.h"
#include "team.h"
#include "xmalloc.h"

#define FUZZ_MAX	16384
#define NTARGETS	6

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
static void	 check_teams(const struct team_frame *,
		    const struct team_state *, const struct team_target *);

static void
check_teams(const struct team_frame *fr, const struct team_state *st,
    const struct team_target *tt)
{
	uint64_t	*load;
	uint32_t	 i;
	size_t		 t, k, j;

	load = xcalloc(fr->ninspectors + 1, sizeof(*load));
	for (t = 0; t < st->ntargets; t++)
		for (k = 0; k < st->nslots; k++) {
			i = st->slot[t * st->nslots + k];
			if (i == TEAM_NONE)
				continue;
			if (i >= fr->ninspectors ||
			    (k >= fr->team_size) != !!fr->inspectors[i].expert)
				abort();
			for (j = 0; j < k; j++)
				if (st->slot[t * st->nslots + j] == i)
					abort();
			load[i]++;
		}
	for (i = 0; i < fr->ninspectors; i++)
		if (load[i] != st->load[i] ||
		    load[i] > fr->inspectors[i].capacity)
			abort();
	(void)tt;
	free(load);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	struct team_frame	 fr;
	struct team_state	 st;
	struct team_target	 tt[NTARGETS];
	struct buf		 out = BUF_INIT;
	const char		*p = (const char *)data, *a, *b;
	unsigned char		 key[DSR_STREAM_KEY_BYTES];
	char			*err = NULL;
	size_t			 t, slot;
	uint32_t		 chosen, held;
	int			 rc;

	if (!ready) {
		crypto_setup();
		ready = 1;
	}
	if (size > FUZZ_MAX || (a = memchr(p, '\0', size)) == NULL ||
	    (b = memchr(a + 1, '\0', size - (size_t)(a + 1 - p))) == NULL)
		return 0;
	if (team_frame_parse(p, (size_t)(a - p), a + 1, (size_t)(b - a - 1),
	    b + 1, size - (size_t)(b + 1 - p), &fr, &err) == -1) {
		if (err == NULL || strstr(err, ".txt:") == NULL)
			abort();
		free(err);
		return 0;
	}
	/* Targets in the inspectors' divisions, and those in conflicts. */
	for (t = 0; t < NTARGETS; t++) {
		tt[t].id = t < fr.nconflicts ? fr.conflicts[t].id : "X";
		tt[t].division = fr.ninspectors > 0 &&
		    fr.inspectors[t % fr.ninspectors].njurisdiction > 0 ?
		    fr.inspectors[t % fr.ninspectors].jurisdiction[0] : 360202;
	}
	memset(key, (int)size, sizeof(key));
	rc = team_assign(&fr, key, tt, NTARGETS, &st);
	if ((rc == 1) != (st.nunstaffed > 0))
		abort();
	check_teams(&fr, &st, tt);
	team_write(&fr, &st, tt, &out);
	if (strncmp(out.data, "DSR-1 teams\n", 12) != 0)
		abort();
	if (rc == 0 && st.nslots > 0 &&
	    (held = st.slot[0]) != TEAM_NONE) {
		if (team_replace(&fr, &st, tt, 0, held, key, &slot, &chosen,
		    &err) == 0) {
			if (st.slot[slot] != chosen || chosen == held)
				abort();
			check_teams(&fr, &st, tt);
		} else if (err == NULL || st.slot[0] != held)
			abort();
		free(err);
	}
	buf_release(&out);
	team_state_release(&st);
	team_frame_release(&fr);
	return 0;
}
