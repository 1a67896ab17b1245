/*
 * Unit tests of the schedule: Beijing time whatever the machine's zone,
 * rounds from the beacon's genesis and period, and each batch's state
 * and next step under a fake clock. Also the plan's 'schedule' keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "config.h"
#include "schedule.h"

#define PLAN_HEAD \
	"version: 1\n" \
	"plan: {id: P1, name: 计划, year: 2026}\n" \
	"authority: {name: 局, division: 360200, departments: " \
	"[{code: ZJ, name: 质量科}]}\n" \
	"items: [{code: I1, name: 事项一, department: ZJ}]\n" \
	"sampling: {general: {classes: {A: 1%, B: 3%, C: 10%, D: 30%}}}\n" \
	"calendar: {years: [2026]}\n" \
	"tasks:\n" \
	"  - {id: T1, name: 任务, items: [I1], lead: ZJ, batches: [\n" \
	"      {id: B1, draw: 2026-04-08, window: {from: 2026-04-13, " \
	"to: 2026-05-29}},\n" \
	"      {id: B2, draw: 2026-06-10, commit: \"14:30\", window: " \
	"{from: 2026-06-15, to: 2026-07-31}}]}\n" \
	/* A test chain (tests/bls-sign's key): genesis 2026-01-01Z. */ \
	"beacon: {chain: 41712bbb9ba4fa551be510ed6612777ab3fc3fdba99c7d008de4" \
	"1723c5df75ce, genesis: 1767225600, period: 30, scheme: " \
	"bls-unchained-g1-rfc9380, public_key: 83c399a00298b114218e79fa2fecbe" \
	"aff51ab97d64cb841f7283a979645c0b9e721cc113eee8672baf09d34c409397fd10" \
	"4ca49eccff2945b055233601696713928d7a72dcd6fbaf75ffda5a8aad7afd701cd7" \
	"1733c5e263e823e42ea893032f}\n"

static struct config *load(const char *, struct config_errors *);
static int64_t	 at(const char *);
static char	*messages(const struct config_errors *);

static struct config *
load(const char *yaml, struct config_errors *errs)
{
	return config_load_buffer(yaml, strlen(yaml), "t.yaml",
	    CONFIG_NO_INCLUDE, errs);
}

static int64_t
at(const char *s)
{
	int64_t	 t;

	if (schedule_parse(s, &t) == -1)
		fail_msg("bad test time '%s'", s);
	return t;
}

static char *
messages(const struct config_errors *errs)
{
	static char	 out[4096];
	size_t		 i, len = 0;

	out[0] = '\0';
	for (i = 0; i < errs->n && len < sizeof(out); i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len,
		    "%d:%d: %s\n", errs->v[i].line, errs->v[i].col,
		    errs->v[i].msg);
	return out;
}

static void
test_schedule__beijing_time(void **state)
{
	char	 buf[SCHEDULE_TIME_LEN];

	(void)state;
	/* 2026-04-08 09:00 in Beijing is 01:00 UTC. */
	assert_int_equal(at("2026-04-08 09:00"), 1775610000);
	assert_int_equal(at("2026-04-08T01:00Z"), 1775610000);
	assert_int_equal(at("2026-04-08T09:00:00"), 1775610000);
	assert_int_equal(at("@1775610000"), 1775610000);
	assert_string_equal(schedule_format(1775610000, buf),
	    "2026-04-08 09:00 Beijing time");
	assert_string_equal(schedule_format(1775610007, buf),
	    "2026-04-08 09:00:07 Beijing time");
	/* Just before midnight UTC is the next morning in Beijing. */
	assert_string_equal(schedule_format(at("2026-12-31T23:59Z"), buf),
	    "2027-01-01 07:59 Beijing time");
	/* The machine's zone plays no part. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	assert_int_equal(at("2026-07-01 08:00"), at("2026-07-01T00:00Z"));
	assert_string_equal(schedule_format(at("2026-07-01T00:00Z"), buf),
	    "2026-07-01 08:00 Beijing time");
}

static void
test_schedule__parse_rejects(void **state)
{
	static const char *const bad[] = {
		"", "2026-04-08", "2026-04-08 9:00", "2026-04-08 24:00",
		"2026-04-08 09:60", "2026-02-30 09:00", "2026-04-08 09:00:61",
		"2026-04-08x09:00", "@", "@12a", "2026-04-08 09:00ZZ",
		"@12345678901234",
	};
	int64_t		 t;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (schedule_parse(bad[i], &t) != -1)
			fail_msg("'%s' parsed", bad[i]);
}

static void
test_schedule__now_from_env(void **state)
{
	int64_t	 t;

	(void)state;
	setenv("SSJ_NOW", "2026-04-08 09:00", 1);
	assert_int_equal(schedule_now(NULL, &t), 0);
	assert_int_equal(t, 1775610000);
	assert_int_equal(schedule_now("@5", &t), 0);
	assert_int_equal(t, 5);
	assert_int_equal(schedule_now("tomorrow", &t), -1);
	setenv("SSJ_NOW", "soon", 1);
	assert_int_equal(schedule_now(NULL, &t), -1);
	unsetenv("SSJ_NOW");
	assert_int_equal(schedule_now(NULL, &t), 0);
	assert_true(t > 1700000000);
}

static void
test_schedule__rounds(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;

	(void)state;
	cfg = load(PLAN_HEAD, &errs);
	assert_non_null(cfg);
	assert_int_equal(schedule_round_after(cfg, 0), 1);
	assert_int_equal(schedule_round_after(cfg, 1767225600), 1);
	assert_int_equal(schedule_round_after(cfg, 1767225601), 2);
	assert_int_equal(schedule_round_after(cfg, 1767225630), 2);
	assert_int_equal(schedule_round_time(cfg, 2), 1767225630);
	/* The default delay is ten minutes: 20 rounds of 30 s. */
	assert_int_equal(cfg->schedule.delay, 600);
	assert_int_equal(schedule_commit_round(cfg, 1767225600), 21);
	assert_true(schedule_round_time(cfg, schedule_commit_round(cfg,
	    1767225601)) >= 1767225601 + 600);
	config_free(cfg);
	config_errors_release(&errs);
}

static void
test_schedule__commit_window(void **state)
{
	struct config_errors		 errs = { NULL, 0, 0 };
	const struct config_batch	*b1, *b2;
	struct config			*cfg;
	char				 msg[256];

	(void)state;
	cfg = load(PLAN_HEAD, &errs);
	assert_non_null(cfg);
	b1 = config_find_batch(cfg, "B1", NULL);
	b2 = config_find_batch(cfg, "B2", NULL);
	assert_int_equal(schedule_commit_time(cfg, b1),
	    at("2026-04-08 09:00"));
	assert_int_equal(schedule_commit_time(cfg, b2),
	    at("2026-06-10 14:30"));
	assert_int_equal(schedule_window_end(b1), at("2026-05-30 00:00"));
	assert_int_equal(schedule_commit_check(cfg, b1,
	    at("2026-04-08 08:59:59"), msg, sizeof(msg)), -1);
	assert_string_equal(msg, "batch 'B1' is not due: its commitment is "
	    "planned for 2026-04-08 09:00 Beijing time (now is 2026-04-08 "
	    "08:59:59 Beijing time)");
	assert_int_equal(schedule_commit_check(cfg, b1,
	    at("2026-04-08 09:00"), msg, sizeof(msg)), 0);
	assert_int_equal(schedule_commit_check(cfg, b1,
	    at("2026-05-29 23:59:59"), msg, sizeof(msg)), 0);
	assert_int_equal(schedule_commit_check(cfg, b1,
	    at("2026-05-30 00:00"), msg, sizeof(msg)), -1);
	assert_string_equal(msg, "batch 'B1' is overdue: its window ended at "
	    "2026-05-30 00:00 Beijing time (now is 2026-05-30 00:00 Beijing "
	    "time)");
	config_free(cfg);
	config_errors_release(&errs);
}

static void
test_schedule__states(void **state)
{
	struct config_errors		 errs = { NULL, 0, 0 };
	const struct config_batch	*b;
	const struct config_task	*t;
	struct schedule_facts		 f;
	struct schedule_item		 it;
	struct config			*cfg;
	const char			*yaml = PLAN_HEAD
	    "schedule: {export: out}\n";

	(void)state;
	cfg = load(yaml, &errs);
	assert_non_null(cfg);
	b = config_find_batch(cfg, "B1", &t);
	memset(&f, 0, sizeof(f));

	/* Planned: the commit is due on the draw date at 09:00. */
	schedule_batch(cfg, t, b, &f, at("2026-04-01 12:00"), &it);
	assert_int_equal(it.state, SCHEDULE_PLANNED);
	assert_int_equal(it.step, SCHEDULE_COMMIT);
	assert_int_equal(it.due, at("2026-04-08 09:00"));
	assert_false(it.ready);
	schedule_batch(cfg, t, b, &f, at("2026-04-08 09:00"), &it);
	assert_true(it.ready);
	assert_ptr_equal(it.batch, b);
	assert_ptr_equal(it.task, t);

	/* Never committed, window over: overdue, for a person. */
	schedule_batch(cfg, t, b, &f, at("2026-05-30 00:00"), &it);
	assert_int_equal(it.state, SCHEDULE_OVERDUE);
	assert_int_equal(it.step, SCHEDULE_MANUAL);
	assert_false(it.ready);
	assert_non_null(it.why);

	/* Committed: the draw is due when the round is out. */
	f.committed = 1;
	f.round = schedule_commit_round(cfg, at("2026-04-08 09:00"));
	schedule_batch(cfg, t, b, &f, at("2026-04-08 09:05"), &it);
	assert_int_equal(it.state, SCHEDULE_COMMITTED);
	assert_int_equal(it.step, SCHEDULE_DRAW);
	assert_int_equal(it.due, at("2026-04-08 09:10"));
	assert_int_equal(it.round, f.round);
	assert_false(it.ready);
	/* ... even long after the window: a live commitment is drawn. */
	schedule_batch(cfg, t, b, &f, at("2026-06-30 09:05"), &it);
	assert_int_equal(it.step, SCHEDULE_DRAW);
	assert_true(it.ready);

	/* A failed draw of it: a person decides. */
	f.failed = 1;
	schedule_batch(cfg, t, b, &f, at("2026-04-08 09:15"), &it);
	assert_int_equal(it.state, SCHEDULE_FAILED);
	assert_int_equal(it.step, SCHEDULE_MANUAL);
	f.failed = 0;

	/* Drawn: exported next, then nothing. */
	f.committed = 0;
	f.drawn = 1;
	schedule_batch(cfg, t, b, &f, at("2026-04-08 09:15"), &it);
	assert_int_equal(it.state, SCHEDULE_DRAWN);
	assert_int_equal(it.step, SCHEDULE_EXPORT);
	assert_true(it.ready);
	f.exported = 1;
	schedule_batch(cfg, t, b, &f, at("2026-04-08 09:15"), &it);
	assert_int_equal(it.state, SCHEDULE_EXPORTED);
	assert_int_equal(it.step, SCHEDULE_NONE);
	assert_false(it.ready);

	/* Aborted and nothing live: never committed again by itself. */
	memset(&f, 0, sizeof(f));
	f.aborted = 1;
	schedule_batch(cfg, t, b, &f, at("2026-04-09 09:00"), &it);
	assert_int_equal(it.state, SCHEDULE_ABORTED);
	assert_int_equal(it.step, SCHEDULE_MANUAL);
	assert_string_equal(schedule_state_name(it.state), "aborted");
	config_free(cfg);
	config_errors_release(&errs);

	/* Without an export directory a drawn batch is done. */
	cfg = load(PLAN_HEAD, &errs);
	assert_non_null(cfg);
	b = config_find_batch(cfg, "B1", &t);
	memset(&f, 0, sizeof(f));
	f.drawn = 1;
	schedule_batch(cfg, t, b, &f, at("2026-04-08 09:15"), &it);
	assert_int_equal(it.state, SCHEDULE_DRAWN);
	assert_int_equal(it.step, SCHEDULE_NONE);
	config_free(cfg);
	config_errors_release(&errs);
}

static void
test_schedule__plan_keys(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	const char		*yaml = PLAN_HEAD
	    "schedule:\n"
	    "  commit: \"08:15\"\n"
	    "  delay: 15m\n"
	    "  beacon_wait: 2h\n"
	    "  retries: 5\n"
	    "  export: /srv/ssj/out\n"
	    "  public: false\n"
	    "  witness_dir: wit\n"
	    "  witnesses: [notary, 纪检]\n";

	(void)state;
	cfg = load(yaml, &errs);
	/* A witness name is ASCII: line 20, the second entry. */
	assert_null(cfg);
	assert_string_equal(messages(&errs), "20:23: each entry of "
	    "'witnesses' must be a witness name of 1 to 64 of A-Z a-z 0-9 . _ -, not '纪检'\n");
	config_errors_release(&errs);

	yaml = PLAN_HEAD
	    "schedule:\n"
	    "  commit: \"08:15\"\n"
	    "  delay: 15m\n"
	    "  beacon_wait: 2h\n"
	    "  retries: 5\n"
	    "  export: /srv/ssj/out\n"
	    "  public: false\n"
	    "  witness_dir: wit\n"
	    "  witnesses: [notary, jijian]\n";
	cfg = load(yaml, &errs);
	assert_non_null(cfg);
	assert_int_equal(cfg->schedule.given, 1);
	assert_int_equal(cfg->schedule.commit_minute, 8 * 60 + 15);
	assert_int_equal(cfg->schedule.delay, 900);
	assert_int_equal(cfg->schedule.beacon_wait, 7200);
	assert_int_equal(cfg->schedule.retries, 5);
	assert_string_equal(cfg->schedule.export_dir, "/srv/ssj/out");
	assert_int_equal(cfg->schedule.export_public, 0);
	assert_string_equal(cfg->schedule.witness_dir, "wit");
	assert_int_equal(cfg->schedule.nwitnesses, 2);
	assert_string_equal(cfg->schedule.witnesses[1], "jijian");
	/* B2's own commit time beats the plan's. */
	assert_int_equal(schedule_commit_time(cfg, config_find_batch(cfg,
	    "B2", NULL)), at("2026-06-10 14:30"));
	assert_int_equal(schedule_commit_time(cfg, config_find_batch(cfg,
	    "B1", NULL)), at("2026-04-08 08:15"));
	config_free(cfg);
	config_errors_release(&errs);
}

static void
test_schedule__plan_errors(void **state)
{
	struct config_errors	 errs = { NULL, 0, 0 };
	struct config		*cfg;
	const char		*yaml = PLAN_HEAD
	    "schedule:\n"
	    "  commit: \"25:00\"\n"
	    "  delay: 10\n"
	    "  beacon_wait: 30s\n"
	    "  witnesses: [notary]\n"
	    "  nightly: true\n";

	(void)state;
	cfg = load(yaml, &errs);
	assert_null(cfg);
	assert_string_equal(messages(&errs),
	    "13:11: 'commit' must be a time of day in Beijing time, "
	    "\"HH:MM\", not '25:00'\n"
	    "14:10: 'delay' must be a duration such as 90s, 10m, 2h or 1d, "
	    "not '10'\n"
	    "16:14: 'witnesses' needs a 'witness_dir' to read their hashes "
	    "and reveals from\n"
	    "17:3: unknown key 'nightly' in 'schedule'; expected one of: "
	    "commit, delay, beacon_wait, retries, export, public, "
	    "witness_dir, witnesses\n");
	config_errors_release(&errs);

	yaml = PLAN_HEAD "schedule: {delay: 30s}\n";
	cfg = load(yaml, &errs);
	assert_null(cfg);
	assert_string_equal(messages(&errs), "12:19: 'delay' must be at least "
	    "a minute: nobody may know the round at commit time\n");
	config_errors_release(&errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schedule__beijing_time),
		cmocka_unit_test(test_schedule__parse_rejects),
		cmocka_unit_test(test_schedule__now_from_env),
		cmocka_unit_test(test_schedule__rounds),
		cmocka_unit_test(test_schedule__commit_window),
		cmocka_unit_test(test_schedule__states),
		cmocka_unit_test(test_schedule__plan_keys),
		cmocka_unit_test(test_schedule__plan_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
