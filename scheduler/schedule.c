/*
 * The schedule: each batch's state and next step from the plan, the clock
 * and what the database says, in integers; Beijing time is UTC + 8 h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "config.h"
#include "log.h"
#include "schedule.h"

int64_t
schedule_local(day_t day, int minute)
{
	return (int64_t)day * 86400 + (int64_t)minute * 60 - SCHEDULE_TZ;
}

char *
schedule_format(int64_t t, char out[SCHEDULE_TIME_LEN])
{
	char	 d[DATE_STR_LEN];
	int64_t	 local = t + SCHEDULE_TZ, day, sec;

	day = local / 86400;
	sec = local % 86400;
	if (sec < 0) {
		sec += 86400;
		day--;
	}
	date_format((day_t)day, d);
	if (sec % 60 != 0)
		snprintf(out, SCHEDULE_TIME_LEN, "%s %02d:%02d:%02d Beijing "
		    "time", d, (int)(sec / 3600), (int)(sec / 60 % 60),
		    (int)(sec % 60));
	else
		snprintf(out, SCHEDULE_TIME_LEN, "%s %02d:%02d Beijing time",
		    d, (int)(sec / 3600), (int)(sec / 60 % 60));
	return out;
}

static int
two(const char *s, int max, int *out)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*out = (s[0] - '0') * 10 + s[1] - '0';
	return *out > max ? -1 : 0;
}

int
schedule_parse(const char *s, int64_t *out)
{
	day_t		 day;
	size_t		 len = strlen(s), i;
	int64_t		 v = 0;
	int		 h, m, sec = 0, utc = 0;

	if (s[0] == '@') {
		for (i = 1; i < len && i < 13; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			v = v * 10 + (s[i] - '0');
		}
		if (len < 2 || i < len)
			return -1;
		*out = v;
		return 0;
	}
	if (len > 0 && s[len - 1] == 'Z') {
		utc = 1;
		len--;
	}
	if ((len != 16 && len != 19) || date_parse(s, 10, &day) == -1 ||
	    (s[10] != ' ' && s[10] != 'T') || two(s + 11, 23, &h) == -1 ||
	    s[13] != ':' || two(s + 14, 59, &m) == -1)
		return -1;
	if (len == 19 && (s[16] != ':' || two(s + 17, 59, &sec) == -1))
		return -1;
	*out = schedule_local(day, h * 60 + m) + sec +
	    (utc ? SCHEDULE_TZ : 0);
	return 0;
}

int
schedule_now(const char *arg, int64_t *out)
{
	const char	*env;

	if (arg != NULL) {
		if (schedule_parse(arg, out) == -1)
			return error("bad --now '%s': give YYYY-MM-DDTHH:MM[:SS] "
			    "in Beijing time, the same ending in Z for UTC, "
			    "or @UNIXTIME", arg);
		return 0;
	}
	if ((env = getenv("SSJ_NOW")) != NULL && *env != '\0') {
		if (schedule_parse(env, out) == -1)
			return error("bad $SSJ_NOW '%s': give "
			    "YYYY-MM-DDTHH:MM[:SS] in Beijing time, the same "
			    "ending in Z for UTC, or @UNIXTIME", env);
		return 0;
	}
	*out = (int64_t)time(NULL);
	return 0;
}

int64_t
schedule_commit_time(const struct config *cfg, const struct config_batch *b)
{
	return schedule_local(b->draw_date, b->commit_minute >= 0 ?
	    b->commit_minute : cfg->schedule.commit_minute);
}

int64_t
schedule_window_end(const struct config_batch *b)
{
	return schedule_local(b->window_to + 1, 0);
}

uint64_t
schedule_round_after(const struct config *cfg, int64_t t)
{
	int64_t	 g = cfg->beacon.genesis, p = cfg->beacon.period;

	if (t <= g)
		return 1;
	return (uint64_t)((t - g + p - 1) / p) + 1;
}

int64_t
schedule_round_time(const struct config *cfg, uint64_t round)
{
	return cfg->beacon.genesis + (int64_t)(round - 1) * cfg->beacon.period;
}

uint64_t
schedule_commit_round(const struct config *cfg, int64_t now)
{
	return schedule_round_after(cfg, now + cfg->schedule.delay);
}

int
schedule_commit_check(const struct config *cfg, const struct config_batch *b,
    int64_t now, char *msg, size_t len)
{
	char	 t1[SCHEDULE_TIME_LEN], t2[SCHEDULE_TIME_LEN];
	int64_t	 from = schedule_commit_time(cfg, b);
	int64_t	 to = schedule_window_end(b);

	if (now < from) {
		snprintf(msg, len, "batch '%s' is not due: its commitment is "
		    "planned for %s (now is %s)", b->id, schedule_format(from,
		    t1), schedule_format(now, t2));
		return -1;
	}
	if (now >= to) {
		snprintf(msg, len, "batch '%s' is overdue: its window ended "
		    "at %s (now is %s)", b->id, schedule_format(to, t1),
		    schedule_format(now, t2));
		return -1;
	}
	return 0;
}

void
schedule_batch(const struct config *cfg, const struct config_task *t,
    const struct config_batch *b, const struct schedule_facts *f,
    int64_t now, struct schedule_item *it)
{
	memset(it, 0, sizeof(*it));
	it->task = t;
	it->batch = b;
	it->round = f->committed || f->drawn ? f->round : 0;
	if (f->drawn) {
		if (f->exported) {
			it->state = SCHEDULE_EXPORTED;
			it->step = SCHEDULE_NONE;
		} else {
			it->state = SCHEDULE_DRAWN;
			it->step = cfg->schedule.export_dir != NULL ?
			    SCHEDULE_EXPORT : SCHEDULE_NONE;
			it->due = it->step == SCHEDULE_EXPORT ?
			    schedule_round_time(cfg, f->round) : 0;
		}
	} else if (f->committed && f->failed) {
		it->state = SCHEDULE_FAILED;
		it->step = SCHEDULE_MANUAL;
		it->why = "a draw of its commitment failed: see 'ssj ledger', "
		    "then draw it by hand or abort it with a reason";
	} else if (f->committed) {
		it->state = SCHEDULE_COMMITTED;
		it->step = SCHEDULE_DRAW;
		it->due = schedule_round_time(cfg, f->round);
	} else if (f->aborted) {
		it->state = SCHEDULE_ABORTED;
		it->step = SCHEDULE_MANUAL;
		it->why = "its commitment was aborted: a new one is a person's "
		    "decision ('ssj commit')";
	} else if (now >= schedule_window_end(b)) {
		it->state = SCHEDULE_OVERDUE;
		it->step = SCHEDULE_MANUAL;
		it->why = "its window is over and it was never committed: "
		    "'ssj commit --force --reason TEXT' or drop it from the plan";
	} else {
		it->state = SCHEDULE_PLANNED;
		it->step = SCHEDULE_COMMIT;
		it->due = schedule_commit_time(cfg, b);
	}
	it->ready = it->step != SCHEDULE_NONE && it->step != SCHEDULE_MANUAL &&
	    it->due <= now;
}

const char *
schedule_state_name(enum schedule_state s)
{
	static const char *const names[] = {
		"planned", "committed", "drawn", "exported", "aborted",
		"overdue", "failed"
	};

	return (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

const char *
schedule_step_name(enum schedule_step s)
{
	static const char *const names[] = {
		"none", "commit", "draw", "export", "manual"
	};

	return (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}
