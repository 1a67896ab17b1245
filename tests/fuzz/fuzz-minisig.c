/*
 * libFuzzer harness for signature files (minisig.c): the input as a
 * .minisig, as a trusted comment, and as a value to escape and read back.
 * Broken invariants abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "minisig.h"
#include "xmalloc.h"

#define FUZZ_MAX	20000
#define HEX \
	"0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 check_comment(const char *);
static void	 check_value(const char *);

/* A comment that parses is exactly what ssj writes for its fields. */
static void
check_comment(const char *comment)
{
	struct sig_fields	 f;
	char			*again;

	if (sig_fields_parse(comment, &f) == -1) {
		if (f.kind != NULL || f.id != NULL || f.file != NULL)
			abort();
		return;
	}
	if (f.kind == NULL || *f.kind == '\0' || f.file == NULL ||
	    *f.file == '\0' || (f.id != NULL && *f.id == '\0') ||
	    strlen(f.blake2b) != 64 || f.ledger < -1 ||
	    strlen(f.kind) > SIG_VALUE_MAX || strlen(f.file) > SIG_VALUE_MAX)
		abort();
	if ((again = sig_fields_format(&f)) == NULL ||
	    strcmp(again, comment) != 0)
		abort();
	if (strchr(again, '\n') != NULL || strchr(again, '\r') != NULL)
		abort();
	free(again);
	sig_fields_release(&f);
}

/* Any value survives the trip through a trusted comment unchanged. */
static void
check_value(const char *v)
{
	struct sig_fields	 f, back;
	char			*comment;
	size_t			 i;

	memset(&f, 0, sizeof(f));
	f.kind = xstrdup(v);
	f.id = xstrdup(v);
	f.file = xstrdup(v);
	memcpy(f.blake2b, HEX, sizeof(f.blake2b));
	f.ledger = (int64_t)strlen(v) - 1;
	comment = sig_fields_format(&f);
	if ((comment == NULL) != (*v == '\0' || strlen(v) > SIG_VALUE_MAX))
		abort();
	if (comment != NULL) {
		for (i = 0; comment[i] != '\0'; i++)
			if ((unsigned char)comment[i] <= 0x20 &&
			    comment[i] != ' ')
				abort();
		if (sig_fields_parse(comment, &back) == -1 ||
		    strcmp(back.kind, v) != 0 || strcmp(back.id, v) != 0 ||
		    strcmp(back.file, v) != 0 || back.ledger != f.ledger)
			abort();
		sig_fields_release(&back);
	}
	free(comment);
	sig_fields_release(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 ready;
	struct minisig	 ms;
	char		*text;

	if (!ready) {
		crypto_setup();
		ready = 1;
	}
	if (size > FUZZ_MAX)
		return 0;
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';

	if (minisig_parse(text, size, "fuzz.minisig", &ms) == 0) {
		if (ms.comment == NULL || strlen(ms.comment) !=
		    ms.comment_len || ms.comment_len > 8173 ||
		    strchr(ms.comment, '\r') != NULL ||
		    strchr(ms.comment, '\n') != NULL)
			abort();
		check_comment(ms.comment);
		minisig_release(&ms);
	}
	check_comment(text);
	check_value(text);
	free(text);
	return 0;
}
