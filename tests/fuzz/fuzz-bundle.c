/*
 * libFuzzer harness of the bundle parsers ssj verify runs on files from
 * anywhere: the manifest, the commitment, the selection (full and public)
 * and the frames. The first byte picks the parser. What parses must
 * format back to the same bytes: each file has exactly one spelling; a
 * frame must select the same sample whole and as a stream.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "dsr.h"
#include "frame.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
manifest(const char *p, size_t n)
{
	struct manifest	 m;
	char		*err = NULL, *text;

	if (manifest_parse(p, n, &m, &err) == -1) {
		free(err);
		return;
	}
	text = manifest_format(&m);
	/* The probability fraction is derived: compare up to it. */
	if (m.nstrata == 0 && (strlen(text) != n || memcmp(text, p, n) != 0))
		abort();
	free(text);
	manifest_release(&m);
}

static void
commitment(const char *p, size_t n)
{
	struct commitment	 c;
	char			*err = NULL, *text;

	if (commitment_parse(p, n, &c, &err) == -1) {
		free(err);
		return;
	}
	text = commitment_format(&c);
	if (strlen(text) != n || memcmp(text, p, n) != 0)
		abort();
	free(text);
	commitment_release(&c);
}

static void
selection(const char *p, size_t n, int public)
{
	struct selected	*s = NULL;
	struct buf	 b = BUF_INIT;
	size_t		 ns, i;
	char		*err = NULL;

	if (selection_parse(p, n, public, &s, &ns, &err) == -1) {
		free(err);
		return;
	}
	buf_addstr(&b, public ? SELECTION_PUBLIC_MAGIC : SELECTION_MAGIC);
	for (i = 0; i < ns; i++)
		if (public)
			buf_printf(&b, "%s\n", s[i].id);
		else
			selection_line(&b, s[i].rank, s[i].id, s[i].stratum,
			    s[i].ticket);
	if (b.len != n || memcmp(b.data, p, n) != 0)
		abort();
	buf_release(&b);
	free(s);
}

/*
 * Frames: the input split at the first NUL into parameters, targets.
 * What parses is selected both ways, the whole frame at once and as a
 * stream (the draw's and the verifier's), with the same result.
 */
static void
frames(const char *p, size_t n)
{
	static const unsigned char key[DSR_TICKET_KEY_BYTES] = { 7 };
	struct frame		 fr;
	struct dsr_pick		*pick;
	struct dsr_target	*picked = NULL;
	uint64_t		 samples[DSR_MAX_STRATA];
	uint64_t		 population[DSR_MAX_STRATA];
	const char		*nul;
	char			*err = NULL;
	size_t			*sel = NULL, *psel = NULL, nsel = 0, npsel = 0, i;
	int			 rc, prc = -1, exact;

	if ((nul = memchr(p, '\0', n)) == NULL)
		return;
	if (frame_parse(nul + 1, n - (size_t)(nul + 1 - p), p,
	    (size_t)(nul - p), &fr, &err) == -1) {
		free(err);
		return;
	}
	dsr_tickets(key, fr.targets, fr.ntargets);
	for (i = 0; i < fr.nstrata; i++)
		samples[i] = fr.strata[i].sample;
	rc = dsr_select(fr.targets, fr.ntargets, samples, fr.nstrata, &sel,
	    &nsel);
	/* Given the populations; else, if it says so, without them. */
	for (i = 0; i < fr.nstrata; i++)
		population[i] = fr.strata[i].population;
	for (exact = 0; exact < 2; exact++) {
		if ((pick = dsr_pick_new(samples, exact ? NULL : population,
		    fr.nstrata)) == NULL)
			abort();
		for (i = 0; i < fr.ntargets; i++)
			if (dsr_pick_add(pick, &fr.targets[i], i) == -1)
				abort();
		if ((prc = dsr_pick_finish(pick, &picked, &psel, &npsel)) !=
		    1)
			break;
		dsr_pick_free(pick);
	}
	if (prc != rc)
		abort();
	for (i = 0; rc == 0 && i < nsel; i++)
		if (npsel != nsel || strcmp(picked[psel[i]].id,
		    fr.targets[sel[i]].id) != 0)
			abort();
	dsr_pick_free(pick);
	free(picked);
	free(psel);
	free(sel);
	frame_release(&fr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*p;

	if (size < 1 || size > 65536)
		return 0;
	/* A copy that ends where the input does: no NUL to lean on. */
	p = malloc(size - 1 > 0 ? size - 1 : 1);
	memcpy(p, data + 1, size - 1);
	switch (data[0] % 5) {
	case 0:
		manifest(p, size - 1);
		break;
	case 1:
		commitment(p, size - 1);
		break;
	case 2:
		selection(p, size - 1, 0);
		break;
	case 3:
		selection(p, size - 1, 1);
		break;
	default:
		frames(p, size - 1);
		break;
	}
	free(p);
	return 0;
}
