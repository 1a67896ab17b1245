/*
 * ssj beacon: fetches a drand round through the plan's command and checks
 * it, checks a record carried in from elsewhere, and says which round a
 * Beijing time falls in -- all against the chain the plan pins.
 */
#include <sys/wait.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beacon.h"
#include "buf.h"
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

/* drand's HTTP API, when the plan names no command. */
#define BEACON_DEFAULT_COMMAND \
	"curl -fsS --max-time 30 https://api.drand.sh/{chain}/public/{round}"

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
		ch->command = BEACON_DEFAULT_COMMAND;
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

/* Runs the command with {round} and {chain} put in; its output in out. */
static int
run_command(const struct chain *ch, uint64_t round, struct buf *out)
{
	struct buf	 cmd = BUF_INIT;
	char		 chunk[4096], *tmp = NULL;
	FILE		*fp;
	size_t		 n;
	int		 status, ret = -1;

	buf_addstr(&cmd, beacon_command(ch->command, ch->chain, round,
	    &tmp));
	free(tmp);
	log_info("fetching beacon round %llu: %s", (unsigned long long)round,
	    buf_cstr(&cmd));
	if ((fp = popen(buf_cstr(&cmd), "r")) == NULL) {
		log_warn("cannot run '%s'", buf_cstr(&cmd));
		goto out;
	}
	/* One byte past the bound is enough for beacon_parse to refuse. */
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (out->len <= BEACON_RECORD_MAX)
			buf_add(out, chunk, n);
	status = pclose(fp);
	if (status != 0) {
		error("the beacon command '%s' failed (exit status %d): check "
		    "the network, or fetch the record elsewhere and check it "
		    "with 'ssj beacon verify'", buf_cstr(&cmd),
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		goto out;
	}
	ret = 0;
out:
	buf_release(&cmd);
	return ret;
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
beacon_fetch(struct ssj_ctx *ctx, int argc, char **argv)
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
	if (run_command(&ch, round, &rec) == -1 ||
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
beacon_verify(struct ssj_ctx *ctx, int argc, char **argv)
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

/* Days since 1970-01-01 of a proleptic Gregorian date (civil calendar). */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * "YYYY-MM-DD HH:MM[:SS]" (or with a T) in Beijing time (UTC+8, no summer
 * time), or "@SECONDS" since the epoch: unix seconds, or -1.
 */
static int64_t
parse_beijing(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int	 y, mo, d, h, mi, sec = 0, n = 0, leap;
	char	 sep;

	if (*s == '@') {
		uint64_t	 v;

		if (parse_round(s + 1, &v) == -1 || v > INT64_MAX / 2)
			return -1;
		return (int64_t)v;
	}
	if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi,
	    &n) != 6 || (sep != ' ' && sep != 'T'))
		return -1;
	if (s[n] == ':') {
		int	 m = 0;

		if (sscanf(s + n, ":%2d%n", &sec, &m) != 1)
			return -1;
		n += m;
	}
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (s[n] != '\0' || y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 ||
	    mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0)
		return -1;
	return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    8 * 3600;
}

static void
print_beijing(int64_t t)
{
	int64_t	 z, era, doe, yoe, y, doy, mp, d, m, s;

	t += 8 * 3600;
	z = (t >= 0 ? t : t - 86399) / 86400;
	s = t - z * 86400;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	printf("%04lld-%02lld-%02lld %02lld:%02lld:%02lld +08:00",
	    (long long)y, (long long)m, (long long)d, (long long)(s / 3600),
	    (long long)(s / 60 % 60), (long long)(s % 60));
}

static int
beacon_round(struct ssj_ctx *ctx, int argc, char **argv)
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
		return beacon_fetch(ctx, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "verify") == 0)
		return beacon_verify(ctx, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "round") == 0)
		return beacon_round(ctx, argc, argv);
	return cmd_usage(&cmd_beacon_entry);
}
