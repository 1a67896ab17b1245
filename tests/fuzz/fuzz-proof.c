/*
 * libFuzzer harness for proof.c: any bytes as an inclusion-proof file.
 * What parses must write back to the same bytes and read back to the same
 * values; what does not must say on which line. Broken invariants abort().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merkle.h"
#include "proof.h"

#define FUZZ_MAX	(256 * 1024)

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 same(const struct proof *, const struct proof *);

static void
same(const struct proof *a, const struct proof *b)
{
	if (a->index != b->index || a->size != b->size ||
	    a->entry_len != b->entry_len ||
	    memcmp(a->entry, b->entry, a->entry_len) != 0 ||
	    a->npath != b->npath ||
	    (a->npath > 0 && memcmp(a->path, b->path,
	    a->npath * MERKLE_HASH_BYTES) != 0) ||
	    strcmp(a->checkpoint, b->checkpoint) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proof	 pf, again;
	char		*err = NULL, *text;

	if (size > FUZZ_MAX)
		return 0;
	if (proof_parse((const char *)data, size, &pf, &err) == -1) {
		if (err == NULL || strncmp(err, "line ", 5) != 0 ||
		    pf.entry != NULL || pf.path != NULL ||
		    pf.checkpoint != NULL)
			abort();
		free(err);
		return 0;
	}
	if (err != NULL || pf.index >= pf.size || pf.entry_len == 0 ||
	    pf.npath > MERKLE_MAX_PROOF || pf.checkpoint == NULL ||
	    pf.checkpoint[0] == '\0' || (pf.npath == 0) != (pf.path == NULL))
		abort();
	text = proof_format(&pf);
	/* the format has one spelling of each proof */
	if (strlen(text) != size || memcmp(text, data, size) != 0)
		abort();
	if (proof_parse(text, strlen(text), &again, &err) != 0)
		abort();
	same(&pf, &again);
	proof_release(&again);
	proof_release(&pf);
	free(text);
	return 0;
}
