/*
 * libFuzzer harness for the plan loader (config.c, plan.c): any bytes as
 * ssj.yaml, includes refused. A broken invariant of the result aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto.h"

#define FUZZ_MAX	(64 * 1024)

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	 check(const struct config *, const struct config_errors *);

/* What every caller of config_load relies on. */
static void
check(const struct config *cfg, const struct config_errors *errs)
{
	const struct config_task	*t;
	size_t				 i, j, nerrors = 0;
	FILE				*null;

	for (i = 0; i < errs->n; i++) {
		if (errs->v[i].file == NULL || errs->v[i].msg == NULL ||
		    errs->v[i].line < 0 || errs->v[i].col < 0 ||
		    (errs->v[i].line > 0 && errs->v[i].col == 0))
			abort();
		if (!errs->v[i].warning)
			nerrors++;
		/* File order: one file here, so lines never go back. */
		if (i > 0 && errs->v[i].line < errs->v[i - 1].line)
			abort();
	}
	if (nerrors != errs->nerrors || (cfg == NULL) != (nerrors > 0))
		abort();
	if (cfg == NULL)
		return;
	if (cfg->version != CONFIG_VERSION || cfg->plan_id == NULL ||
	    cfg->authority == NULL || cfg->division == NULL ||
	    cfg->ndepartments == 0 || cfg->nitems == 0 || cfg->nclasses == 0)
		abort();
	for (i = 0; i < ITEM_NTYPES; i++)
		for (j = 0; j < cfg->nclasses; j++)
			if (cfg->sampling[i].quotas[j].ratio.den == 0 ||
			    cfg->sampling[i].quotas[j].ratio.num >
			    cfg->sampling[i].quotas[j].ratio.den)
				abort();
	for (i = 0; i < cfg->ntasks; i++) {
		t = &cfg->tasks[i];
		if (t->team_size < 2 || t->nitems == 0 || t->nbatches == 0 ||
		    config_find_task(cfg, t->id) != t ||
		    config_find_department(cfg, t->lead) == NULL)
			abort();
		for (j = 0; j < t->nbatches; j++)
			if (t->batches[j].draw_date >
			    t->batches[j].window_from ||
			    t->batches[j].window_from >
			    t->batches[j].window_to ||
			    config_find_batch(cfg, t->batches[j].id, NULL) !=
			    &t->batches[j])
				abort();
	}
	if ((null = fopen("/dev/null", "w")) != NULL) {
		config_print_summary(cfg, null);
		config_errors_print(errs, null);
		fclose(null);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 setup;
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;

	if (size > FUZZ_MAX)
		return 0;
	if (!setup) {
		crypto_setup();
		setup = 1;
	}
	cfg = config_load_buffer((const char *)data, size, "fuzz.yaml",
	    CONFIG_NO_INCLUDE, &errs);
	check(cfg, &errs);
	config_free(cfg);
	config_errors_release(&errs);
	return 0;
}
