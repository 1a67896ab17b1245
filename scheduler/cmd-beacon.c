/*
 * ssj beacon: fetches a drand round through the plan's command and checks
 * it, checks a record carried in from elsewhere, and says which round a
 * Beijing time falls in -- all against the chain the plan pins.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "buf.h"
#include "calendar.h"
#include "cmd.h"
#include "config.h"
#include "crypto.h"
#include "file.h"
#include "log.h"
#include "xmalloc.h"

static int	cmd_beacon_exec(struct ssj_ctx *, int, char **);

const struct cmd_entry cmd_beacon_entry = {
	.name = "beacon",
	.usage = "beacon fetch round [file] | verify file ... | round time",
	.summary = "fetch and check a drand round, check a record, or find "
	    "the round of a time",
	.exec = cmd_beacon_exec,
};


/* The chain of the plan, or quicknet's when there is no plan. */
struct chain {
	struct config	*cfg;
	const char	*chain;
	const char	*scheme;
	const char	*key;
	const char	*command;
	int64_t		 genesis;
	int64_t		 period;
};

static int
load_chain(struct ssj_ctx *ctx, struct chain *ch)
{
	int	 missing;

	memset(ch, 0, sizeof(*ch));
	ch->cfg = cmd_load_plan(ctx, 0, &missing);
	if (ch->cfg == NULL && (!missing || ctx->plan_given))
		return -1;
	if (ch->cfg != NULL) {
		ch->chain = ch->cfg->beacon.chain;
		ch->scheme = ch->cfg->beacon.scheme;
		ch->key = ch->cfg->beacon.public_key;
		ch->command = ch->cfg->beacon.command;
		ch->genesis = ch->cfg->beacon.genesis;
		ch->period = ch->cfg->beacon.period;
	} else {
		ch->chain = BEACON_QUICKNET_CHAIN;
		ch->scheme = BEACON_QUICKNET_SCHEME;
		ch->key = BEACON_QUICKNET_KEY;
		ch->genesis = BEACON_QUICKNET_GENESIS;
		ch->period = BEACON_QUICKNET_PERIOD;
	}
	if (ch->command == NULL)
		ch->command = BEACON_COMMAND_DEFAULT;
	return 0;
}

static int
parse_round(const char *s, uint64_t *out)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	if (*s < '1' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* Checks a record as the draw would; prints what it found. */
static int
check_record(const struct chain *ch, const char *what, const struct buf *rec,
    uint64_t want)
{
	struct beacon	 b;
	char		*err = NULL, hex[65];

	if (beacon_load(rec->data != NULL ? rec->data : "", rec->len,
	    ch->scheme, ch->key, &b, &err) == -1) {
		log_warnx("%s: %s", what, err);
		free(err);
		return -1;
	}
	if (want != 0 && b.round != want) {
		log_warnx("%s: the record is of round %llu, not %llu", what,
		    (unsigned long long)b.round, (unsigned long long)want);
		beacon_release(&b);
		return -1;
	}
	crypto_hex(b.randomness, sizeof(b.randomness), hex);
	fprintf(stderr, "%s: round %llu of chain %.16s… (%s): signature "
	    "valid, randomness %s\n", what, (unsigned long long)b.round,
	    ch->chain, ch->scheme, hex);
	beacon_release(&b);
	return 0;
}

static int
cmd_beacon_fetch(struct ssj_ctx *ctx, int argc, char **argv)
{
	struct chain	 ch;
	struct buf	 rec = BUF_INIT;
	uint64_t	 round;
	int		 ret = EXIT_USAGE;

	if (argc < 3 || argc > 4)
		return cmd_usage(&cmd_beacon_entry);
	if (parse_round(argv[2], &round) == -1) {
		log_warnx("bad round '%s': give a positive number", argv[2]);
		return EXIT_USAGE;
	}
	if (load_chain(ctx, &ch) == -1)
		return EXIT_USAGE;
	ret = EXIT_FAILED;
	if (beacon_fetch(ch.command, ch.chain, round, &rec) == -1 ||
	    check_record(&ch, "fetched record", &rec, round) == -1)
		goto out;
	if (argc == 4) {
		if (file_write(argv[3], rec.data, rec.len, 0644, 0) == -1)
			goto out;
	} else
		fwrite(rec.data, 1, rec.len, stdout);
	ret = EXIT_DONE;
out:
	buf_release(&rec);
	config_free(ch.cfg);
	return ret;
}

/* Each file on its own: a line for each, 1 if any fails. */
static int
cmd_beacon_verify(struct ssj_ctx *ctx, int argc, char **argv)
{
	struct chain	 ch;
	struct buf	 rec = BUF_INIT;
	int		 i, ret = EXIT_DONE;

	if (argc < 3)
		return cmd_usage(&cmd_beacon_entry);
	if (load_chain(ctx, &ch) == -1)
		return EXIT_USAGE;
	for (i = 2; i < argc; i++) {
		buf_reset(&rec);
		if (file_read(argv[i], &rec) == -1 ||
		    check_record(&ch, argv[i], &rec, 0) == -1)
			ret = EXIT_FAILED;
	}
	buf_release(&rec);
	config_free(ch.cfg);
	return ret;
}

/*
 * "YYYY-MM-DD HH:MM[:SS]" (or with a T) in Beijing time (UTC+8, no summer
 * time), or "@SECONDS" since the epoch: unix seconds, or -1.
 */
static int64_t
parse_beijing(const char *s)
{
	day_t	 day;
	int	 h, mi, sec = 0, n = 0;

	if (*s == '@') {
		uint64_t	 v;

		if (parse_round(s + 1, &v) == -1 || v > INT64_MAX / 2)
			return -1;
		return (int64_t)v;
	}
	if (strlen(s) < 11 || date_parse(s, 10, &day) == -1 ||
	    (s[10] != ' ' && s[10] != 'T'))
		return -1;
	s += 11;
	if (sscanf(s, "%2d:%2d%n", &h, &mi, &n) != 2 || n != 5)
		return -1;
	if (s[n] == ':') {
		s += n;
		if (sscanf(s, ":%2d%n", &sec, &n) != 1 || n != 3)
			return -1;
	}
	if (s[n] != '\0' || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    sec < 0 || sec > 59)
		return -1;
	return (int64_t)day * 86400 + h * 3600 + mi * 60 + sec - 8 * 3600;
}

static void
print_beijing(int64_t t)
{
	char	 date[DATE_STR_LEN];
	int64_t	 s;

	t += 8 * 3600;
	s = t % 86400;
	date_format((day_t)(t / 86400), date);
	printf("%s %02lld:%02lld:%02lld +08:00", date, (long long)(s / 3600),
	    (long long)(s / 60 % 60), (long long)(s % 60));
}

static int
cmd_beacon_round(struct ssj_ctx *ctx, int argc, char **argv)
{
	struct chain	 ch;
	int64_t		 t, due;
	uint64_t	 round;

	if (argc != 3)
		return cmd_usage(&cmd_beacon_entry);
	if ((t = parse_beijing(argv[2])) == -1) {
		log_warnx("bad time '%s': give 'YYYY-MM-DD HH:MM[:SS]' in "
		    "Beijing time, or @SECONDS", argv[2]);
		return EXIT_USAGE;
	}
	if (load_chain(ctx, &ch) == -1)
		return EXIT_USAGE;
	round = beacon_round_at((uint64_t)ch.genesis, (uint64_t)ch.period,
	    (uint64_t)t);
	if (round == 0) {
		log_warnx("'%s' is before the chain's first round", argv[2]);
		config_free(ch.cfg);
		return EXIT_USAGE;
	}
	due = ch.genesis + (int64_t)(round - 1) * ch.period;
	printf("%llu\t", (unsigned long long)round);
	print_beijing(due);
	printf("\tchain %.16s…, a round every %lld s\n", ch.chain,
	    (long long)ch.period);
	config_free(ch.cfg);
	return EXIT_DONE;
}

static int
cmd_beacon_exec(struct ssj_ctx *ctx, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "fetch") == 0)
		return cmd_beacon_fetch(ctx, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "verify") == 0)
		return cmd_beacon_verify(ctx, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "round") == 0)
		return cmd_beacon_round(ctx, argc, argv);
	return cmd_usage(&cmd_beacon_entry);
}
