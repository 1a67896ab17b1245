/*
 * Unit tests of the inspector teams (docs/protocol.md §9): the frames
 * read back (inspectors.txt, conflicts.txt, parameters.txt: §2.2, §2.3,
 * §2.5, §9.2) and their malformed forms; on random instances, every rule
 * of §9.3 checked by this file's own reading of it, the assignment
 * against a reference implementation of §9.4-9.5 and its feasibility
 * against a max-flow; determinism under the key; the uniformity of each
 * choice by chi-square tests; replacements (§9.6); and teams.txt (§9.7).
 * Nothing here calls into team.c but through team.h; the reference draws
 * from the public stream of dsr.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "crypto.h"
#include "dsr.h"
#include "ident.h"
#include "team.h"
#include "xmalloc.h"

#define WINDOW_TO	"2026-05-29"

/* Four targets of hand-written frames, valid USCCs, in byte order. */
#define ID_A		"91360202MA35A0001T"	/* 360202 */
#define ID_E		"91360202MA35E00030"	/* 360202 */
#define ID_B		"91360203MA35B0007K"	/* 360203 */
#define ID_C		"91360281MA35C0002T"	/* 360281 */

/* The random instances. */
#define MAX_INSP	24
#define MAX_TARGETS	12
#define MAX_EXTRA	2	/* targets of the frame not selected */
#define MAX_IDS		(MAX_TARGETS + MAX_EXTRA)
#define MAX_S		4	/* t <= 3, e <= 1 */
#define MAX_POS		(MAX_TARGETS * MAX_S)
#define NDEPTS		4	/* ZJ SJ XF QT; QT never participates */
#define NQUALS		4

static const char *const dept_name[NDEPTS] = { "ZJ", "SJ", "XF", "QT" };
static const char *const qual_name[NQUALS] = { "CCC", "CERT", "GB", "MED" };
/* Valid-until dates: the first is the day before the window's last. */
static const char *const valid_date[4] = {
	"2026-05-28", "2026-05-29", "2026-06-01", "2028-12-31",
};
/* Province, cities, counties; and another province. Ascending. */
static const uint32_t juris_pool[] = {
	360000, 360200, 360202, 360203, 360222, 360281, 360300, 360302,
	440000, 440300,
};
/* The last two are rarer: a city-level division, another province. */
static const uint32_t division_pool[] = {
	360202, 360203, 360222, 360281, 360302, 360321, 360200, 440305,
};

struct insp {
	char		 cred[TEAM_CRED_MAX + 1];
	int		 dept;		/* into dept_name */
	uint32_t	 juris[3];
	size_t		 njuris;
	unsigned int	 quals;		/* bits of qual_name */
	int		 valid;		/* into valid_date */
	int		 expert;
	uint64_t	 load;
};

/* An instance, as this file knows it: the frames are written from it. */
struct inst {
	struct insp		 in[MAX_INSP];
	size_t			 ni;
	char			 id[MAX_IDS][DSR_ID_MAX + 1];
	uint32_t		 division[MAX_IDS];
	size_t			 n;		/* selected: the first n ids */
	size_t			 nid;
	int			 lead;
	int			 joint[2];
	size_t			 m;
	unsigned int		 t, e;
	unsigned int		 req[NDEPTS];
	int64_t			 cap_batch, cap_year;	/* -1: none */
	/* 1: recusal, 2: rotation. */
	unsigned char		 conflict[MAX_INSP][MAX_IDS];
	struct team_target	 targets[MAX_TARGETS];
};

/* The reference's state: §9.4-9.6 as this file reads them. */
struct ref {
	uint32_t	 slot[MAX_POS];
	uint64_t	 load[MAX_INSP];
	int		 failed[MAX_TARGETS];
	unsigned char	 removed[MAX_TARGETS][MAX_INSP];
	unsigned int	 repairs;	/* slots filled by the repair */
	unsigned int	 chains;	/* ... that moved another inspector */
	unsigned int	 longest;	/* the most moves of one repair */
};

struct genopt {
	size_t		 min_targets, max_targets;
	size_t		 min_insp, max_insp;
	int		 tight;		/* small capacities, slots to match */
	unsigned int	 conflict_pct;
	unsigned int	 cover_pct;	/* of 360000, of 360200 */
	unsigned int	 odd_pct;	/* expired, unqualified, odd division */
	unsigned int	 ndiv;		/* of division_pool's first six */
	unsigned int	 county_pct;	/* of each other code */
};

struct tally {
	unsigned int	 instances, feasible, infeasible;
	unsigned int	 repaired;	/* feasible, the repair needed */
	unsigned int	 chained;	/* ... with two moves or more */
	unsigned int	 longest;
	unsigned int	 partial;	/* infeasible, some target staffed */
	unsigned int	 repaired_any;	/* feasible or not, a repair found */
};

#define NET_NODES	(2 + MAX_POS + MAX_TARGETS * MAX_INSP + MAX_INSP)
#define NET_EDGES	(2 * (MAX_POS + MAX_POS * MAX_INSP + \
			    MAX_TARGETS * MAX_INSP + MAX_INSP))

/* A flow network, edges in pairs (e, e ^ 1): small, and obviously right. */
struct net {
	int	 n, nedges;
	int	 head[NET_NODES];
	int	 to[NET_EDGES], cap[NET_EDGES], next[NET_EDGES];
	int	 source[MAX_POS];	/* the edge source -> slot p */
};

static uint64_t	prng(uint64_t *);
static void	make_key(uint64_t *, unsigned char *);
static void	make_uscc(char *, uint32_t, uint64_t *);
static void	parse_ok(const char *, const char *, const char *,
		    struct team_frame *);
static int	message_is(const char *, const char *);
static int	parse_bad(const char *, const char *, const char *,
		    const char *, const char *);
static char	*replace_line(const char *, size_t, const char *);
static char	*params_text(const char *, const char *, const char *,
		    const char *, const char *, const char *, const char *);
static int	covers(uint32_t, uint32_t);
static int	participates(const struct inst *, int);
static uint64_t	capacity(const struct inst *, size_t);
static int	eligible(const struct inst *, size_t, unsigned int, size_t);
static unsigned int eligible_count(const struct inst *, size_t);
static void	gen_inst(struct inst *, uint64_t *, const struct genopt *);
static void	inst_frames(const struct inst *, struct buf *, struct buf *,
		    struct buf *);
static void	inst_parse(const struct inst *, struct team_frame *);
static void	check_frame(const struct inst *, const struct team_frame *);
static long	ref_holds(const struct inst *, const struct ref *, size_t,
		    size_t);
static int	ref_repair(const struct inst *, struct ref *, size_t);
static void	ref_assign(const struct inst *, const unsigned char *,
		    struct ref *);
static int	ref_replace(const struct inst *, struct ref *, size_t,
		    size_t, const unsigned char *, size_t *, uint32_t *);
static int	id_cmp(const void *, const void *);
static int	net_edge(struct net *, int, int, int);
static void	net_build(const struct inst *, struct net *);
static int	net_augment(struct net *);
static size_t	max_flow(const struct inst *, struct net *);
static void	greedy_flow(const struct inst *, struct net *, int *);
static void	render(const struct inst *, const uint32_t *, struct buf *);
static void	check_rules(const struct inst *, const struct team_state *,
		    int);
static void	check_against_ref(const struct inst *,
		    const struct team_state *, const struct ref *);
static void	to_the_edge(struct inst *, struct net *, uint64_t *);
static void	run_instance(struct inst *, const unsigned char *,
		    struct net *, struct tally *);
static char	*write_teams(const struct team_frame *,
		    const struct team_state *, const struct inst *);
static double	chi2_pearson(const uint64_t *, size_t, double);
static long	index_of(const uint32_t *, size_t, uint32_t);

/* splitmix64: the tests' own deterministic generator. */
static uint64_t
prng(uint64_t *s)
{
	uint64_t	 z;

	z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
make_key(uint64_t *rng, unsigned char *key)
{
	uint64_t	 r = 0;
	size_t		 i;

	for (i = 0; i < DSR_STREAM_KEY_BYTES; i++) {
		if (i % 8 == 0)
			r = prng(rng);
		key[i] = (unsigned char)(r >> (8 * (i % 8)));
	}
}

/* A valid USCC (both check characters) in the given division. */
static void
make_uscc(char *id, uint32_t division, uint64_t *rng)
{
	static const char	 orgcheck[] = "0123456789X";
	char			 buf[32], want;
	size_t			 i;

	snprintf(buf, sizeof(buf), "91%06lu%08llu00",
	    (unsigned long)division,
	    (unsigned long long)(prng(rng) % 100000000ULL));
	assert_int_equal(strlen(buf), USCC_LEN);
	memcpy(id, buf, USCC_LEN + 1);
	for (i = 0; i < 11 && !uscc_orgcode_valid(id); i++)
		id[16] = orgcheck[i];
	assert_true(uscc_orgcode_valid(id));
	if (uscc_check(id, USCC_LEN, &want) == USCC_BAD_CHECK)
		id[17] = want;
	assert_int_equal(uscc_check(id, USCC_LEN, NULL), USCC_OK);
}

static void
parse_ok(const char *insp, const char *conf, const char *params,
    struct team_frame *fr)
{
	char	*err = NULL;

	if (team_frame_parse(insp, strlen(insp), conf, strlen(conf), params,
	    strlen(params), fr, &err) != 0)
		fail_msg("rejected: %s", err != NULL ? err : "(no message)");
	assert_null(err);
}

/*
 * Whether err starts with want: "FILE:LINE:", or "FILE:" for any line
 * (then err must go on with one: digits and a colon).
 */
static int
message_is(const char *err, const char *want)
{
	size_t	 n = strlen(want), d;

	if (strncmp(err, want, n) != 0)
		return 0;
	if (n >= 2 && want[n - 2] >= '0' && want[n - 2] <= '9')
		return 1;
	d = strspn(err + n, "0123456789");
	return d > 0 && err[n + d] == ':';
}

/*
 * Rejected, with a message starting "FILE:LINE:" (want): 0; else 1, and
 * what went wrong printed (what: the case), so that a test lists every
 * case that fails before it fails.
 */
static int
parse_bad(const char *insp, const char *conf, const char *params,
    const char *want, const char *what)
{
	struct team_frame	 fr;
	char			*err = NULL;
	int			 bad = 0;

	memset(&fr, 0, sizeof(fr));
	if (team_frame_parse(insp, strlen(insp), conf, strlen(conf), params,
	    strlen(params), &fr, &err) != -1) {
		team_frame_release(&fr);
		print_error("%s: accepted; want '%s ...'\n", what, want);
		return 1;
	}
	if (err == NULL) {
		print_error("%s: no message; want '%s ...'\n", what, want);
		return 1;
	}
	if (!message_is(err, want)) {
		print_error("%s: '%s', want '%s ...'\n", what, err, want);
		bad = 1;
	}
	free(err);
	return bad;
}

/* text with its line lineno (from 1) replaced by line (NULL: removed). */
static char *
replace_line(const char *text, size_t lineno, const char *line)
{
	struct buf	 b = BUF_INIT;
	const char	*p = text, *nl;
	size_t		 i;

	for (i = 1; *p != '\0'; i++, p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		if (i != lineno)
			buf_add(&b, p, (size_t)(nl - p + 1));
		else if (line != NULL) {
			buf_addstr(&b, line);
			buf_addch(&b, '\n');
		}
	}
	assert_true(lineno < i);
	return buf_detach(&b, NULL);
}

/*
 * parameters.txt as §2.5 writes it: lines 1-12 fixed but the joint and
 * window, then team-size (13), experts (14), cap-per-batch (15),
 * cap-per-year (16), the require lines (17, ...) and the strata.
 */
static char *
params_text(const char *joint, const char *window_to, const char *t,
    const char *e, const char *capb, const char *capy, const char *require)
{
	struct buf	 b = BUF_INIT;

	buf_printf(&b, "DSR-1 parameters\n"
	    "plan 3602002026001\n"
	    "plan-blake2b-256 5c1f0e6a0b1e4d7c9a3b2f1e0d9c8b7a"
	    "5c1f0e6a0b1e4d7c9a3b2f1e0d9c8b7a\n"
	    "task JDZ-2026-CCC\n"
	    "batch JDZ-2026-CCC-1\n"
	    "items JDZ-ZJ-001;JDZ-ZJ-002\n"
	    "lead ZJ\n"
	    "joint %s\n"
	    "draw-date 2026-04-08\n"
	    "window 2026-04-13 %s\n"
	    "snapshot 7\n"
	    "risk-month 2026-04\n"
	    "team-size %s\n"
	    "experts %s\n"
	    "cap-per-batch %s\n"
	    "cap-per-year %s\n"
	    "%s"
	    "stratum certain 3 1/1 - - 3\n"
	    "stratum A 1200 5/100 - - 60\n"
	    "stratum B 2200 10/100 1 - 220\n",
	    joint, window_to, t, e, capb, capy, require);
	return buf_detach(&b, NULL);
}

/* §9.2, literally: equal; a city's code; a province's code. */
static int
covers(uint32_t code, uint32_t d)
{
	char	 c[16], v[16];

	snprintf(c, sizeof(c), "%06lu", (unsigned long)code);
	snprintf(v, sizeof(v), "%06lu", (unsigned long)d);
	if (strcmp(c, v) == 0)
		return 1;
	if (strcmp(c + 4, "00") == 0 && strcmp(c + 2, "0000") != 0)
		return memcmp(c, v, 4) == 0;
	if (strcmp(c + 2, "0000") == 0)
		return memcmp(c, v, 2) == 0;
	return 0;
}

static int
participates(const struct inst *x, int d)
{
	size_t	 j;

	if (d == x->lead)
		return 1;
	for (j = 0; j < x->m; j++)
		if (x->joint[j] == d)
			return 1;
	return 0;
}

/* §9.2: the smaller of the caps that are set; negative is 0. */
static uint64_t
capacity(const struct inst *x, size_t i)
{
	uint64_t	 c = TEAM_UNBOUNDED, y;

	if (x->cap_batch >= 0)
		c = (uint64_t)x->cap_batch;
	if (x->cap_year >= 0) {
		y = (uint64_t)x->cap_year > x->in[i].load ?
		    (uint64_t)x->cap_year - x->in[i].load : 0;
		if (y < c)
			c = y;
	}
	return c;
}

/* §9.3: inspector i for slot k of selected target r. */
static int
eligible(const struct inst *x, size_t r, unsigned int k, size_t i)
{
	const struct insp	*p = &x->in[i];
	size_t			 j;
	int			 ok = 0, want;

	if (strcmp(valid_date[p->valid], WINDOW_TO) < 0)
		return 0;
	for (j = 0; j < p->njuris; j++)
		ok |= covers(p->juris[j], x->division[r]);
	if (!ok || x->conflict[i][r] != 0)
		return 0;
	if (k >= x->t)
		return p->expert;
	if (p->expert || !participates(x, p->dept) ||
	    (p->quals & x->req[p->dept]) != x->req[p->dept])
		return 0;
	if (k == 0)
		want = x->lead;
	else if (k <= x->m)
		want = x->joint[k - 1];
	else
		return 1;
	return p->dept == want;
}

static unsigned int
eligible_count(const struct inst *x, size_t r)
{
	unsigned int	 k, count = 0;
	size_t		 i;

	for (i = 0; i < x->ni; i++)
		for (k = 0; k < x->t + x->e; k++)
			if (eligible(x, r, k, i)) {
				count++;
				break;
			}
	return count;
}

/*
 * A random instance: t 2-3, e 0-1, m 0-2 joint departments in a random
 * order; requirements; inspectors of the participating departments and
 * experts of any, with or without the qualifications, expired or not,
 * jurisdictions of counties, cities (360200) and the province (360000)
 * or another (440000, 440300); loads and caps; targets in counties, the
 * city itself or another province, and some of the frame not selected;
 * conflicts of both kinds. With o->tight, small capacities and every
 * role present; o->tight 2 also has few roles and interval
 * jurisdictions.
 */
static void
gen_inst(struct inst *x, uint64_t *rng, const struct genopt *o)
{
	static const int64_t	 capb_tight[] = { 1, 1, 1, 1, 2, 2 };
	static const int64_t	 capy_tight[] = { -1, -1, 4, 6, 8 };
	static const int64_t	 capb_loose[] = { -1, -1, 3, 5, 10 };
	static const int64_t	 capy_loose[] = { -1, -1, 8, 40 };
	int			 others[3], d, tmp, role[MAX_INSP];
	size_t			 i, j, k, no = 0, nxf;
	uint32_t		 num = 100;
	unsigned int		 pick;

	memset(x, 0, sizeof(*x));
	x->t = 2 + (unsigned int)(prng(rng) % 2);
	x->e = (unsigned int)(prng(rng) % 2);
	x->lead = (int)(prng(rng) % 3);
	for (d = 0; d < 3; d++)
		if (d != x->lead)
			others[no++] = d;
	if (prng(rng) % 2) {
		tmp = others[0];
		others[0] = others[1];
		others[1] = tmp;
	}
	x->m = (size_t)(prng(rng) % 3);
	if (x->m > x->t - 1)
		x->m = x->t - 1;
	if (o->tight == 2) {
		/* Few roles, so that the targets are many. */
		x->t = 2 + (prng(rng) % 4 == 0);
		x->e = prng(rng) % 4 == 0;
		x->m = (size_t)(prng(rng) % 2);
	}
	for (j = 0; j < x->m; j++)
		x->joint[j] = others[j];
	for (d = 0; d < NDEPTS; d++)
		if (participates(x, d) && prng(rng) % 2)
			x->req[d] = (unsigned int)(1 + prng(rng) % 3);
	if (o->tight == 2) {
		x->cap_batch = 1 + (int64_t)(prng(rng) % 4 == 0);
		x->cap_year = -1;
	} else if (o->tight) {
		x->cap_batch = capb_tight[prng(rng) % 6];
		x->cap_year = capy_tight[prng(rng) % 5];
	} else {
		x->cap_batch = capb_loose[prng(rng) % 5];
		x->cap_year = capy_loose[prng(rng) % 4];
	}

	x->ni = o->min_insp + (size_t)(prng(rng) %
	    (o->max_insp - o->min_insp + 1));
	nxf = (size_t)(prng(rng) % 3);	/* the last ones: XF-... */
	/*
	 * With tight caps, every role is there: the experts the slots need
	 * and one more, then the departments in turn; shuffled.
	 */
	for (i = 0, k = x->e ? 2 + prng(rng) % 2 : prng(rng) % 2;
	    i < x->ni; i++)
		role[i] = i < k ? -1 : (int)((i - k) % (1 + x->m));
	for (i = x->ni - 1; i > 0; i--) {
		j = (size_t)(prng(rng) % (i + 1));
		tmp = role[i];
		role[i] = role[j];
		role[j] = tmp;
	}
	for (i = 0; i < x->ni; i++) {
		struct insp	*p = &x->in[i];

		num += 1 + (uint32_t)(prng(rng) % 3);
		if (i + nxf >= x->ni)
			snprintf(p->cred, sizeof(p->cred), "XF-360200-%03lu",
			    (unsigned long)num);
		else
			snprintf(p->cred, sizeof(p->cred), "3602001%04lu",
			    (unsigned long)num);
		if (o->tight) {
			p->expert = role[i] < 0;
			p->dept = p->expert ? (int)(prng(rng) % NDEPTS) :
			    role[i] == 0 ? x->lead : x->joint[role[i] - 1];
		} else if ((p->expert = prng(rng) % 4 == 0))
			p->dept = (int)(prng(rng) % NDEPTS);
		else {
			/* A non-expert is of a participating department. */
			j = (size_t)(prng(rng) % (1 + x->m));
			p->dept = j == 0 ? x->lead : x->joint[j - 1];
		}
		if (prng(rng) % 100 >= o->odd_pct)
			p->quals = x->req[p->dept] |
			    (unsigned int)(prng(rng) % 16 & prng(rng) % 16);
		else
			p->quals = (unsigned int)(prng(rng) % 16);
		p->valid = prng(rng) % 100 < o->odd_pct / 2 ? 0 : 1 +
		    (int)(prng(rng) % 3);
		/* 1-3 codes, ascending, distinct; mostly ones that cover. */
		for (k = 0; k < sizeof(juris_pool) / sizeof(juris_pool[0]);
		    k++)
			if (prng(rng) % 100 < (k < 2 ? o->cover_pct : k < 8 ?
			    o->county_pct : 8u) && p->njuris < 3)
				p->juris[p->njuris++] = juris_pool[k];
		if (p->njuris == 0)
			p->juris[p->njuris++] = juris_pool[prng(rng) % 3];
		if (o->tight == 2) {
			/*
			 * The city's code (broad), or a run of neighbouring
			 * counties of the first ndiv of division_pool: the
			 * long augmenting paths of interval structures.
			 */
			pick = (unsigned int)(prng(rng) % 100);
			k = (size_t)(prng(rng) % o->ndiv);
			p->njuris = 1;
			p->juris[0] = division_pool[k];
			if (pick < o->cover_pct)
				p->juris[0] = 360200;
			else if (pick % 2 && k + 1 < o->ndiv)
				p->juris[p->njuris++] = division_pool[k + 1];
		}
		p->load = prng(rng) % 6;
	}
	/* Sorted by construction: "36..." before "XF-...", numbers grow. */
	for (i = 1; i < x->ni; i++)
		assert_true(strcmp(x->in[i - 1].cred, x->in[i].cred) < 0);

	x->n = o->min_targets + (size_t)(prng(rng) %
	    (o->max_targets - o->min_targets + 1));
	x->nid = x->n + (size_t)(prng(rng) % (MAX_EXTRA + 1));
	for (j = 0; j < x->nid; j++) {
		pick = (unsigned int)(prng(rng) % 200);
		x->division[j] = pick < o->odd_pct / 2 ? division_pool[6] :
		    pick < o->odd_pct ? division_pool[7] :
		    division_pool[prng(rng) % o->ndiv];
		do {
			make_uscc(x->id[j], x->division[j], rng);
			for (k = 0; k < j; k++)
				if (strcmp(x->id[k], x->id[j]) == 0)
					break;
		} while (k < j);
		if (j < x->n) {
			x->targets[j].id = x->id[j];
			x->targets[j].division = x->division[j];
		}
	}
	for (i = 0; i < x->ni; i++)
		for (j = 0; j < x->nid; j++)
			if (prng(rng) % 100 < o->conflict_pct)
				x->conflict[i][j] = (unsigned char)(1 +
				    prng(rng) % 2);
}

static int
id_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The three frames of the instance, byte for byte as §2 writes them. */
static void
inst_frames(const struct inst *x, struct buf *insp, struct buf *conf,
    struct buf *params)
{
	const char	*sorted[MAX_IDS] = { NULL };
	struct buf	 req = BUF_INIT;
	size_t		 i, j, q, r;
	int		 first;

	buf_addstr(insp, "DSR-1 inspectors\n");
	for (i = 0; i < x->ni; i++) {
		const struct insp	*p = &x->in[i];

		buf_printf(insp, "%s\t%s\t", p->cred, dept_name[p->dept]);
		for (j = 0; j < p->njuris; j++)
			buf_printf(insp, "%s%06lu", j ? ";" : "",
			    (unsigned long)p->juris[j]);
		buf_addch(insp, '\t');
		for (q = 0, first = 1; q < NQUALS; q++)
			if (p->quals & (1u << q)) {
				buf_printf(insp, "%s%s", first ? "" : ";",
				    qual_name[q]);
				first = 0;
			}
		buf_printf(insp, "\t%s\t%d\t%llu\n", valid_date[p->valid],
		    p->expert, (unsigned long long)p->load);
	}

	for (j = 0; j < x->nid; j++)
		sorted[j] = x->id[j];
	qsort(sorted, x->nid, sizeof(sorted[0]), id_cmp);
	buf_addstr(conf, "DSR-1 conflicts\n");
	for (i = 0; i < x->ni; i++)
		for (j = 0; j < x->nid; j++) {
			r = 0;
			while (x->id[r] != sorted[j])
				r++;
			if (x->conflict[i][r] != 0)
				buf_printf(conf, "%s\t%s\t%s\n", x->in[i].cred,
				    sorted[j], x->conflict[i][r] == 1 ?
				    "recusal" : "rotation");
		}

	for (j = 0; j <= x->m; j++) {
		int	 d = j == 0 ? x->lead : x->joint[j - 1];

		buf_printf(&req, "require %s ", dept_name[d]);
		if (x->req[d] == 0)
			buf_addch(&req, '-');
		for (q = 0, first = 1; q < NQUALS; q++)
			if (x->req[d] & (1u << q)) {
				buf_printf(&req, "%s%s", first ? "" : ";",
				    qual_name[q]);
				first = 0;
			}
		buf_addch(&req, '\n');
	}
	buf_printf(params, "DSR-1 parameters\nplan 3602002026001\n"
	    "plan-blake2b-256 5c1f0e6a0b1e4d7c9a3b2f1e0d9c8b7a"
	    "5c1f0e6a0b1e4d7c9a3b2f1e0d9c8b7a\n"
	    "task JDZ-2026-CCC\nbatch JDZ-2026-CCC-1\n"
	    "items JDZ-ZJ-001;JDZ-ZJ-002\nlead %s\njoint ",
	    dept_name[x->lead]);
	if (x->m == 0)
		buf_addch(params, '-');
	for (j = 0; j < x->m; j++)
		buf_printf(params, "%s%s", j ? ";" : "",
		    dept_name[x->joint[j]]);
	buf_printf(params, "\ndraw-date 2026-04-08\nwindow 2026-04-13 %s\n"
	    "snapshot 7\nrisk-month 2026-04\nteam-size %u\nexperts %u\n",
	    WINDOW_TO, x->t, x->e);
	if (x->cap_batch < 0)
		buf_addstr(params, "cap-per-batch -\n");
	else
		buf_printf(params, "cap-per-batch %lld\n",
		    (long long)x->cap_batch);
	if (x->cap_year < 0)
		buf_addstr(params, "cap-per-year -\n");
	else
		buf_printf(params, "cap-per-year %lld\n",
		    (long long)x->cap_year);
	buf_addstr(params, buf_cstr(&req));
	buf_printf(params, "stratum certain 0 1/1 - - 0\n"
	    "stratum A %zu 5/100 1 - %zu\n", 20 * x->nid, x->nid);
	buf_release(&req);
}

static void
inst_parse(const struct inst *x, struct team_frame *fr)
{
	struct buf	 insp = BUF_INIT, conf = BUF_INIT, params = BUF_INIT;

	inst_frames(x, &insp, &conf, &params);
	parse_ok(buf_cstr(&insp), buf_cstr(&conf), buf_cstr(&params), fr);
	buf_release(&insp);
	buf_release(&conf);
	buf_release(&params);
}

/* What the parser derived, against what the instance says. */
static void
check_frame(const struct inst *x, const struct team_frame *fr)
{
	const struct team_inspector	*p;
	size_t				 i, j, nconf = 0;
	int				 dept;

	assert_int_equal(fr->ninspectors, x->ni);
	assert_int_equal(fr->team_size, x->t);
	assert_int_equal(fr->experts, x->e);
	assert_int_equal(fr->ndepartments, 1 + x->m);
	assert_string_equal(fr->window_to, WINDOW_TO);
	assert_int_equal(fr->cap_batch, x->cap_batch);
	assert_int_equal(fr->cap_year, x->cap_year);
	for (i = 0; i < x->ni; i++) {
		p = &fr->inspectors[i];
		assert_string_equal(p->cred, x->in[i].cred);
		assert_string_equal(p->department, dept_name[x->in[i].dept]);
		assert_int_equal(p->njurisdiction, x->in[i].njuris);
		for (j = 0; j < x->in[i].njuris; j++)
			assert_int_equal(p->jurisdiction[j],
			    x->in[i].juris[j]);
		assert_int_equal(p->expert, x->in[i].expert);
		assert_int_equal(p->valid, x->in[i].valid > 0);
		assert_int_equal(p->load, x->in[i].load);
		if (p->capacity != capacity(x, i))
			fail_msg("%s: capacity %llu, want %llu (load %llu, "
			    "caps %lld %lld)", p->cred,
			    (unsigned long long)p->capacity,
			    (unsigned long long)capacity(x, i),
			    (unsigned long long)x->in[i].load,
			    (long long)x->cap_batch, (long long)x->cap_year);
		dept = -1;
		if (x->in[i].dept == x->lead)
			dept = 0;
		for (j = 0; j < x->m; j++)
			if (x->in[i].dept == x->joint[j])
				dept = (int)j + 1;
		assert_int_equal(p->dept, dept);
		if (dept >= 0)
			assert_int_equal(p->qualified, (x->in[i].quals &
			    x->req[x->in[i].dept]) == x->req[x->in[i].dept]);
		assert_int_equal(team_find(fr, x->in[i].cred), (long)i);
		for (j = 0; j < x->nid; j++)
			nconf += x->conflict[i][j] != 0;
	}
	assert_int_equal(fr->nconflicts, nconf);
	for (i = 0; i < fr->nconflicts; i++) {
		const struct team_conflict	*c = &fr->conflicts[i];

		for (j = 0; j < x->nid && strcmp(x->id[j], c->id) != 0; j++)
			;
		assert_true(j < x->nid);
		assert_true(c->inspector < x->ni);
		assert_int_equal(x->conflict[c->inspector][j],
		    c->rotation ? 2 : 1);
		if (i > 0) {
			const struct team_conflict	*b = c - 1;
			int				 cmp;

			cmp = strcmp(b->id, c->id);
			assert_true(cmp < 0 || (cmp == 0 &&
			    b->inspector < c->inspector));
		}
	}
}

/* The slot of target r that i holds, or -1. */
static long
ref_holds(const struct inst *x, const struct ref *rf, size_t r, size_t i)
{
	size_t	 s = x->t + x->e, k;

	for (k = 0; k < s; k++)
		if (rf->slot[r * s + k] == i)
			return (long)(r * s + k);
	return -1;
}

/*
 * §9.5 as its pseudo-code says, on positions r * s + k. 0 when slot E
 * was filled, -1 when no path.
 */
static int
ref_repair(const struct inst *x, struct ref *rf, size_t E)
{
	size_t		 s = x->t + x->e, queue[MAX_POS], head = 0, tail = 0;
	size_t		 S, T, H, i, P, moves;
	uint32_t	 holder, y;
	long		 S2;
	unsigned char	 visited[MAX_POS], expanded[MAX_INSP];
	size_t		 pslot[MAX_POS];
	uint32_t	 pinsp[MAX_POS];

	memset(visited, 0, sizeof(visited));
	memset(expanded, 0, sizeof(expanded));
	visited[E] = 1;
	queue[tail++] = E;
	while (head < tail) {
		S = queue[head++];
		T = S / s;
		holder = rf->slot[S];
		for (i = 0; i < x->ni; i++) {
			if (!eligible(x, T, (unsigned int)(S % s), i) ||
			    i == holder)
				continue;
			if ((S2 = ref_holds(x, rf, T, i)) >= 0) {
				if (!visited[S2]) {
					visited[S2] = 1;
					pslot[S2] = S;
					pinsp[S2] = (uint32_t)i;
					queue[tail++] = (size_t)S2;
				}
			} else if (rf->load[i] < capacity(x, i)) {
				goto found;
			} else if (!expanded[i]) {
				expanded[i] = 1;
				for (H = 0; H < x->n * s; H++)
					if (rf->slot[H] == i && !visited[H]) {
						visited[H] = 1;
						pslot[H] = S;
						pinsp[H] = (uint32_t)i;
						queue[tail++] = H;
					}
			}
		}
	}
	return -1;
found:
	rf->slot[S] = (uint32_t)i;
	rf->load[i]++;
	for (moves = 0; S != E; moves++) {
		P = pslot[S];
		y = pinsp[S];
		/* y held S and was displaced from it: it moves to P. */
		rf->slot[P] = y;
		S = P;
	}
	rf->repairs++;
	if (moves > 0)
		rf->chains++;
	if (moves > rf->longest)
		rf->longest = (unsigned int)moves;
	return 0;
}

/* §9.4: the whole draw. */
static void
ref_assign(const struct inst *x, const unsigned char *key, struct ref *rf)
{
	struct dsr_stream	 st;
	size_t			 s = x->t + x->e, r, k, i, c;
	uint32_t		 cand[MAX_INSP];

	memset(rf, 0, sizeof(*rf));
	for (k = 0; k < MAX_POS; k++)
		rf->slot[k] = TEAM_NONE;
	dsr_stream_init(&st, key);
	for (r = 0; r < x->n; r++)
		for (k = 0; k < s; k++) {
			for (i = 0, c = 0; i < x->ni; i++)
				if (eligible(x, r, (unsigned int)k, i) &&
				    ref_holds(x, rf, r, i) < 0 &&
				    rf->load[i] < capacity(x, i))
					cand[c++] = (uint32_t)i;
			if (c > 0) {
				i = cand[dsr_uniform(&st, (uint32_t)c)];
				rf->slot[r * s + k] = (uint32_t)i;
				rf->load[i]++;
			} else if (ref_repair(x, rf, r * s + k) == -1)
				rf->failed[r] = 1;
		}
	dsr_stream_wipe(&st);
}

/* §9.6: 0, or -1 and nothing changed. */
static int
ref_replace(const struct inst *x, struct ref *rf, size_t r, size_t xi,
    const unsigned char *key, size_t *slot, uint32_t *chosen)
{
	struct dsr_stream	 st;
	size_t			 s = x->t + x->e, i, c, k;
	uint32_t		 cand[MAX_INSP];
	long			 pos;

	if ((pos = ref_holds(x, rf, r, xi)) < 0)
		return -1;
	k = (size_t)pos % s;
	for (i = 0, c = 0; i < x->ni; i++)
		if (i != xi && eligible(x, r, (unsigned int)k, i) &&
		    ref_holds(x, rf, r, i) < 0 && !rf->removed[r][i] &&
		    rf->load[i] < capacity(x, i))
			cand[c++] = (uint32_t)i;
	if (c == 0)
		return -1;
	dsr_stream_init(&st, key);
	*chosen = cand[dsr_uniform(&st, (uint32_t)c)];
	dsr_stream_wipe(&st);
	*slot = k;
	rf->slot[pos] = *chosen;
	rf->load[xi]--;
	rf->load[*chosen]++;
	rf->removed[r][xi] = 1;
	return 0;
}

/*
 * The flow network of §9.5: source -> slot (1) -> (target, inspector)
 * (1, when eligible) -> inspector (1) -> sink (capacity). Source edges
 * are left closed: max_flow and greedy_flow open them.
 */
#define N_SRC		0
#define N_SINK		1
#define N_SLOT(p)	(2 + (int)(p))
#define N_PAIR(r, i)	(2 + (int)(x->n * s + (r) * x->ni + (i)))
#define N_INSP(i)	(2 + (int)(x->n * s + x->n * x->ni + (i)))

static int
net_edge(struct net *g, int u, int v, int cap)
{
	int	 e = g->nedges;

	assert_true(e + 2 <= NET_EDGES);
	g->to[e] = v;
	g->cap[e] = cap;
	g->next[e] = g->head[u];
	g->head[u] = e;
	g->to[e + 1] = u;
	g->cap[e + 1] = 0;
	g->next[e + 1] = g->head[v];
	g->head[v] = e + 1;
	g->nedges += 2;
	return e;
}

static void
net_build(const struct inst *x, struct net *g)
{
	size_t		 s = x->t + x->e, r, k, i;
	uint64_t	 c;
	int		 v;

	g->n = N_INSP(x->ni);
	assert_true(g->n <= NET_NODES);
	g->nedges = 0;
	for (v = 0; v < g->n; v++)
		g->head[v] = -1;
	for (r = 0; r < x->n; r++)
		for (k = 0; k < s; k++) {
			g->source[r * s + k] = net_edge(g, N_SRC,
			    N_SLOT(r * s + k), 0);
			for (i = 0; i < x->ni; i++)
				if (eligible(x, r, (unsigned int)k, i))
					net_edge(g, N_SLOT(r * s + k),
					    N_PAIR(r, i), 1);
		}
	for (r = 0; r < x->n; r++)
		for (i = 0; i < x->ni; i++)
			net_edge(g, N_PAIR(r, i), N_INSP(i), 1);
	for (i = 0; i < x->ni; i++) {
		c = capacity(x, i);
		net_edge(g, N_INSP(i), N_SINK, c > x->n ? (int)x->n : (int)c);
	}
}

/* One unit along a shortest residual path: 1, or 0 when none. */
static int
net_augment(struct net *g)
{
	int	 via[NET_NODES], queue[NET_NODES], head = 0, tail = 0, u, v, e;

	for (v = 0; v < g->n; v++)
		via[v] = -1;
	via[N_SRC] = NET_EDGES;
	queue[tail++] = N_SRC;
	while (head < tail && via[N_SINK] == -1) {
		u = queue[head++];
		for (e = g->head[u]; e != -1; e = g->next[e])
			if (g->cap[e] > 0 && via[g->to[e]] == -1) {
				via[g->to[e]] = e;
				queue[tail++] = g->to[e];
			}
	}
	if (via[N_SINK] == -1)
		return 0;
	for (v = N_SINK; v != N_SRC; v = g->to[via[v] ^ 1]) {
		g->cap[via[v]]--;
		g->cap[via[v] ^ 1]++;
	}
	return 1;
}

static size_t
max_flow(const struct inst *x, struct net *g)
{
	size_t	 p, flow = 0;

	net_build(x, g);
	for (p = 0; p < x->n * (x->t + x->e); p++)
		g->cap[g->source[p]] = 1;
	while (net_augment(g))
		flow++;
	return flow;
}

/*
 * The slots in order, each kept when the flow can grow through it:
 * rejected[p] for the others. The sets of slots that can be filled
 * together are a matroid's independent sets (a gammoid), so which slots
 * are rejected depends on the order only, not on the choices made: the
 * draw's choices cannot change which slots stay empty.
 */
static void
greedy_flow(const struct inst *x, struct net *g, int *rejected)
{
	size_t	 p;

	net_build(x, g);
	for (p = 0; p < x->n * (x->t + x->e); p++) {
		g->cap[g->source[p]] = 1;
		rejected[p] = !net_augment(g);
		if (rejected[p])
			g->cap[g->source[p]] = 0;
	}
}

/* teams.txt (§9.7) of the given slots, as this file reads the format. */
static void
render(const struct inst *x, const uint32_t *slot, struct buf *b)
{
	size_t		 s = x->t + x->e, r, k;

	buf_addstr(b, "DSR-1 teams\n");
	for (r = 0; r < x->n; r++) {
		buf_printf(b, "%zu\t%s\t%u\t", r + 1, x->id[r],
		    eligible_count(x, r));
		for (k = 0; k < x->t; k++)
			buf_printf(b, "%s%s", k ? ";" : "",
			    x->in[slot[r * s + k]].cred);
		buf_addch(b, '\t');
		if (x->e == 0)
			buf_addch(b, '-');
		for (k = x->t; k < s; k++)
			buf_printf(b, "%s%s", k > x->t ? ";" : "",
			    x->in[slot[r * s + k]].cred);
		buf_addch(b, '\n');
	}
}

/*
 * The hard rules, from the state alone: every filled slot by an eligible
 * inspector, teams distinct, loads counted right and within capacity,
 * eligible counts; rc 0 when every slot is filled, else one message
 * per target left with an empty slot, naming it.
 */
static void
check_rules(const struct inst *x, const struct team_state *st, int rc)
{
	size_t		 s = x->t + x->e, r, k, k2, j, named, empty = 0;
	uint64_t	 load[MAX_INSP];
	uint32_t	 i;
	int		 hole;

	assert_int_equal(st->ntargets, x->n);
	assert_int_equal(st->nslots, s);
	memset(load, 0, sizeof(load));
	for (r = 0; r < x->n; r++) {
		if (st->eligible[r] != eligible_count(x, r))
			fail_msg("target %zu: eligible count %u, want %u", r,
			    st->eligible[r], eligible_count(x, r));
		hole = 0;
		for (k = 0; k < s; k++) {
			i = st->slot[r * s + k];
			if (i == TEAM_NONE) {
				hole = 1;
				continue;
			}
			assert_true(i < x->ni);
			if (!eligible(x, r, (unsigned int)k, i))
				fail_msg("target %zu slot %zu: %s is not "
				    "eligible", r, k, x->in[i].cred);
			for (k2 = 0; k2 < k; k2++)
				if (st->slot[r * s + k2] == i)
					fail_msg("target %zu: %s in slots %zu "
					    "and %zu", r, x->in[i].cred, k2, k);
			load[i]++;
		}
		if (hole) {
			empty++;
			for (j = 0, named = 0; j < st->nunstaffed; j++)
				named += strstr(st->unstaffed[j], x->id[r]) !=
				    NULL;
			if (named != 1)
				fail_msg("target %s left with an empty slot "
				    "is named %zu times", x->id[r], named);
		}
	}
	for (i = 0; i < x->ni; i++) {
		if (st->load[i] != load[i])
			fail_msg("%s: load %llu, holds %llu", x->in[i].cred,
			    (unsigned long long)st->load[i],
			    (unsigned long long)load[i]);
		if (load[i] > capacity(x, i))
			fail_msg("%s: load %llu over capacity %llu",
			    x->in[i].cred, (unsigned long long)load[i],
			    (unsigned long long)capacity(x, i));
	}
	if (rc == 0) {
		assert_int_equal(empty, 0);
		assert_int_equal(st->nunstaffed, 0);
	} else {
		assert_int_equal(rc, 1);
		assert_true(empty > 0);
		assert_int_equal(st->nunstaffed, empty);
		for (j = 0; j < st->nunstaffed; j++) {
			for (r = 0; r < x->n; r++)
				if (strstr(st->unstaffed[j], x->id[r]) != NULL)
					break;
			if (r == x->n)
				fail_msg("'%s' names no target",
				    st->unstaffed[j]);
		}
	}
}

static void
check_against_ref(const struct inst *x, const struct team_state *st,
    const struct ref *rf)
{
	size_t	 s = x->t + x->e, p, i;

	for (p = 0; p < x->n * s; p++)
		if (st->slot[p] != rf->slot[p])
			fail_msg("target %zu slot %zu: %s, the reference %s",
			    p / s, p % s, st->slot[p] == TEAM_NONE ? "none" :
			    x->in[st->slot[p]].cred, rf->slot[p] ==
			    TEAM_NONE ? "none" : x->in[rf->slot[p]].cred);
	for (i = 0; i < x->ni; i++)
		assert_int_equal(st->load[i], rf->load[i]);
}

static char *
write_teams(const struct team_frame *fr, const struct team_state *st,
    const struct inst *x)
{
	struct buf	 b = BUF_INIT;

	team_write(fr, st, x->targets, &b);
	return buf_detach(&b, NULL);
}

/*
 * To the edge: the most of the instance's targets (the first ones) that
 * the capacities can staff, or one more a third of the time. That is
 * where the choices made use up what a later target needs.
 */
static void
to_the_edge(struct inst *x, struct net *g, uint64_t *rng)
{
	size_t	 n, max = x->n;

	for (n = max; n > 1; n--) {
		x->n = n;
		if (max_flow(x, g) == n * (x->t + x->e))
			break;
	}
	x->n = n;
	if (n < max && prng(rng) % 3 == 0)
		x->n++;
}

/*
 * One instance through everything: the frames parsed, the draw, its
 * rules, the reference, the max-flow; counted in *ty.
 */
static void
run_instance(struct inst *x, const unsigned char *key, struct net *g,
    struct tally *ty)
{
	struct team_frame	 fr;
	struct team_state	 st;
	struct ref		 rf;
	struct buf		 want = BUF_INIT;
	int			 rejected[MAX_POS], rc, failed;
	size_t			 s = x->t + x->e, r, k, flow, accepted = 0;
	char			*got;

	inst_parse(x, &fr);
	check_frame(x, &fr);
	memset(&st, 0, sizeof(st));
	rc = team_assign(&fr, key, x->targets, x->n, &st);
	check_rules(x, &st, rc);

	flow = max_flow(x, g);
	greedy_flow(x, g, rejected);
	for (r = 0; r < x->n * s; r++)
		accepted += !rejected[r];
	/* The oracle itself: greedy in any order reaches the max flow. */
	assert_int_equal(accepted, flow);
	if ((rc == 0) != (flow == x->n * s))
		fail_msg("team_assign %d, max flow %zu of %zu slots", rc,
		    flow, x->n * s);

	ref_assign(x, key, &rf);
	for (r = 0; r < x->n; r++) {
		for (k = 0, failed = 0; k < s; k++)
			failed |= rejected[r * s + k];
		/* The reference's empty slots are the greedy's. */
		for (k = 0; k < s; k++)
			assert_int_equal(rf.slot[r * s + k] == TEAM_NONE,
			    rejected[r * s + k]);
		assert_int_equal(rf.failed[r], failed);
	}
	check_against_ref(x, &st, &rf);

	ty->instances++;
	if (rf.repairs > 0)
		ty->repaired_any++;
	if (rc == 0) {
		ty->feasible++;
		if (rf.repairs > 0)
			ty->repaired++;
		if (rf.longest >= 2)
			ty->chained++;
		if (rf.longest > ty->longest)
			ty->longest = rf.longest;
		render(x, rf.slot, &want);
		got = write_teams(&fr, &st, x);
		assert_string_equal(got, buf_cstr(&want));
		free(got);
	} else {
		ty->infeasible++;
		for (r = 0; r < x->n; r++)
			if (!rf.failed[r]) {
				ty->partial++;
				break;
			}
	}
	buf_release(&want);
	team_state_release(&st);
	team_frame_release(&fr);
}

/* Pearson's statistic of k counts, each expected to be e. */
static double
chi2_pearson(const uint64_t *obs, size_t k, double e)
{
	double	 d, x = 0;
	size_t	 i;

	for (i = 0; i < k; i++) {
		d = (double)obs[i] - e;
		x += d * d / e;
	}
	return x;
}

/*
 * 1. Parsing. A frame where every derived field can be told apart:
 * capacities from both caps, from the year's (negative: 0) and neither;
 * validity on the window's last day and the day before; the lead, a
 * joint department and one that takes no part; qualifications held or
 * not; conflicts of both kinds, re-sorted by target.
 */
static const char insp_good[] =
    "DSR-1 inspectors\n"
    "36020019001\tZJ\t360202;360203\tCCC;CERT\t2028-12-31\t0\t3\n"
    "36020019002\tSJ\t360200\tGB\t2026-05-29\t0\t0\n"
    "36020019003\tZJ\t360000\tCCC\t2026-05-28\t0\t12\n"
    "36020019004\tZJ\t360202\tCCC;CERT;GB\t2027-01-01\t1\t9\n"
    "XF-360202-012\tXF\t360202;440300\t\t2026-06-01\t1\t1\n";
static const char conf_good[] =
    "DSR-1 conflicts\n"
    "36020019001\t" ID_E "\trecusal\n"
    "36020019001\t" ID_C "\trotation\n"
    "36020019003\t" ID_A "\trotation\n"
    "XF-360202-012\t" ID_A "\trecusal\n";
static const char require_good[] =
    "require ZJ CCC;CERT\nrequire SJ -\n";

static void
test_team__parse_good(void **state)
{
	struct team_frame	 fr;
	char			*params;
	static const struct {
		const char	*id;
		uint32_t	 inspector;
		int		 rotation;
	} conf_want[] = {
		{ ID_A, 2, 1 }, { ID_A, 4, 0 }, { ID_E, 0, 0 },
		{ ID_C, 0, 1 },
	};
	size_t			 i;

	(void)state;
	params = params_text("SJ", WINDOW_TO, "3", "1", "4", "10",
	    require_good);
	memset(&fr, 0, sizeof(fr));
	parse_ok(insp_good, conf_good, params, &fr);
	assert_int_equal(fr.ninspectors, 5);
	assert_string_equal(fr.window_to, WINDOW_TO);
	assert_int_equal(fr.ndepartments, 2);
	assert_string_equal(fr.departments[0], "ZJ");
	assert_string_equal(fr.departments[1], "SJ");
	assert_string_equal(fr.require[0], "CCC;CERT");
	assert_string_equal(fr.require[1], "-");
	assert_int_equal(fr.team_size, 3);
	assert_int_equal(fr.experts, 1);
	assert_int_equal(fr.cap_batch, 4);
	assert_int_equal(fr.cap_year, 10);

	assert_string_equal(fr.inspectors[0].cred, "36020019001");
	assert_string_equal(fr.inspectors[0].department, "ZJ");
	assert_int_equal(fr.inspectors[0].njurisdiction, 2);
	assert_int_equal(fr.inspectors[0].jurisdiction[0], 360202);
	assert_int_equal(fr.inspectors[0].jurisdiction[1], 360203);
	assert_string_equal(fr.inspectors[0].qualifications, "CCC;CERT");
	assert_int_equal(fr.inspectors[0].expert, 0);
	assert_int_equal(fr.inspectors[0].valid, 1);
	assert_int_equal(fr.inspectors[0].dept, 0);
	assert_int_equal(fr.inspectors[0].qualified, 1);
	assert_int_equal(fr.inspectors[0].load, 3);
	assert_int_equal(fr.inspectors[0].capacity, 4);	/* min(4, 7) */

	/* Valid on the last day itself; SJ needs nothing. */
	assert_int_equal(fr.inspectors[1].valid, 1);
	assert_int_equal(fr.inspectors[1].dept, 1);
	assert_int_equal(fr.inspectors[1].qualified, 1);
	assert_int_equal(fr.inspectors[1].jurisdiction[0], 360200);
	assert_int_equal(fr.inspectors[1].capacity, 4);	/* min(4, 10) */

	/* Expired the day before; lacks CERT; 10 - 12 < 0. */
	assert_int_equal(fr.inspectors[2].valid, 0);
	assert_int_equal(fr.inspectors[2].dept, 0);
	assert_int_equal(fr.inspectors[2].qualified, 0);
	assert_int_equal(fr.inspectors[2].jurisdiction[0], 360000);
	assert_int_equal(fr.inspectors[2].capacity, 0);

	/* An expert of the lead department; 10 - 9. */
	assert_int_equal(fr.inspectors[3].expert, 1);
	assert_int_equal(fr.inspectors[3].dept, 0);
	assert_int_equal(fr.inspectors[3].capacity, 1);

	/* An expert of a department that takes no part; no qualification. */
	assert_string_equal(fr.inspectors[4].cred, "XF-360202-012");
	assert_int_equal(fr.inspectors[4].dept, -1);
	assert_int_equal(fr.inspectors[4].expert, 1);
	assert_string_equal(fr.inspectors[4].qualifications, "");
	assert_int_equal(fr.inspectors[4].njurisdiction, 2);
	assert_int_equal(fr.inspectors[4].jurisdiction[1], 440300);
	assert_int_equal(fr.inspectors[4].capacity, 4);

	/* By (id, inspector), whatever the file's order. */
	assert_int_equal(fr.nconflicts, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(fr.conflicts[i].id, conf_want[i].id);
		assert_int_equal(fr.conflicts[i].inspector,
		    conf_want[i].inspector);
		assert_int_equal(fr.conflicts[i].rotation,
		    conf_want[i].rotation);
	}

	assert_int_equal(team_find(&fr, "36020019002"), 1);
	assert_int_equal(team_find(&fr, "XF-360202-012"), 4);
	assert_int_equal(team_find(&fr, "3602001900"), -1);
	assert_int_equal(team_find(&fr, "36020019005"), -1);
	assert_int_equal(team_find(&fr, ""), -1);
	team_frame_release(&fr);
	free(params);
}

/* The capacity of §9.2 under each combination of caps. */
static void
test_team__parse_caps(void **state)
{
	static const struct {
		const char	*capb, *capy;
		uint64_t	 want[5];	/* loads 3, 0, 12, 9, 1 */
	} c[] = {
		{ "-", "-", { TEAM_UNBOUNDED, TEAM_UNBOUNDED, TEAM_UNBOUNDED,
		    TEAM_UNBOUNDED, TEAM_UNBOUNDED } },
		{ "2", "-", { 2, 2, 2, 2, 2 } },
		{ "-", "10", { 7, 10, 0, 1, 9 } },
		{ "0", "10", { 0, 0, 0, 0, 0 } },
		{ "-", "12", { 9, 12, 0, 3, 11 } },
		{ "100", "9", { 6, 9, 0, 0, 8 } },
	};
	struct team_frame	 fr;
	char			*params;
	size_t			 i, j;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		params = params_text("SJ", WINDOW_TO, "2", "0", c[i].capb,
		    c[i].capy, require_good);
		memset(&fr, 0, sizeof(fr));
		parse_ok(insp_good, conf_good, params, &fr);
		assert_int_equal(fr.cap_batch, strcmp(c[i].capb, "-") == 0 ?
		    -1 : atoll(c[i].capb));
		assert_int_equal(fr.cap_year, strcmp(c[i].capy, "-") == 0 ?
		    -1 : atoll(c[i].capy));
		for (j = 0; j < 5; j++)
			if (fr.inspectors[j].capacity != c[i].want[j])
				fail_msg("caps %s %s, inspector %zu: %llu, "
				    "want %llu", c[i].capb, c[i].capy, j,
				    (unsigned long long)
				    fr.inspectors[j].capacity,
				    (unsigned long long)c[i].want[j]);
		team_frame_release(&fr);
		free(params);
	}
}

/* Departments: no joint; two joint ones in their order; validity. */
static void
test_team__parse_departments(void **state)
{
	struct team_frame	 fr;
	char			*params;

	(void)state;
	params = params_text("-", WINDOW_TO, "2", "0", "-", "-",
	    "require ZJ -\n");
	memset(&fr, 0, sizeof(fr));
	parse_ok(insp_good, conf_good, params, &fr);
	assert_int_equal(fr.ndepartments, 1);
	assert_int_equal(fr.inspectors[0].dept, 0);
	assert_int_equal(fr.inspectors[1].dept, -1);	/* SJ takes no part */
	assert_int_equal(fr.inspectors[2].qualified, 1);	/* needs none */
	team_frame_release(&fr);
	free(params);

	params = params_text("XF;SJ", "2026-05-28", "3", "0", "-", "-",
	    "require ZJ CCC\nrequire XF MED\nrequire SJ GB;MED\n");
	parse_ok(insp_good, conf_good, params, &fr);
	assert_int_equal(fr.ndepartments, 3);
	assert_string_equal(fr.departments[1], "XF");
	assert_string_equal(fr.departments[2], "SJ");
	assert_string_equal(fr.require[2], "GB;MED");
	assert_string_equal(fr.window_to, "2026-05-28");
	assert_int_equal(fr.inspectors[1].dept, 2);
	assert_int_equal(fr.inspectors[1].qualified, 0);	/* no MED */
	assert_int_equal(fr.inspectors[2].valid, 1);	/* the last day */
	assert_int_equal(fr.inspectors[2].qualified, 1);
	assert_int_equal(fr.inspectors[4].dept, 1);
	assert_int_equal(fr.inspectors[4].qualified, 0);
	team_frame_release(&fr);
	free(params);

	/* Empty frames: no inspector, no conflict. */
	params = params_text("-", WINDOW_TO, "2", "0", "-", "-",
	    "require ZJ -\n");
	parse_ok("DSR-1 inspectors\n", "DSR-1 conflicts\n", params, &fr);
	assert_int_equal(fr.ninspectors, 0);
	assert_int_equal(fr.nconflicts, 0);
	team_frame_release(&fr);
	free(params);
}

/* Malformed inspectors.txt: each rejected, naming its line. */
static void
test_team__parse_bad_inspectors(void **state)
{
	static const struct {
		size_t		 line;
		const char	*text;
	} c[] = {
		{ 1, "DSR-1 inspector" },
		{ 1, "DSR-2 inspectors" },
		/* Field counts. */
		{ 2, "36020019001\tZJ\t360202;360203\tCCC;CERT\t2028-12-31"
		    "\t0" },
		{ 2, "36020019001\tZJ\t360202;360203\tCCC;CERT\t2028-12-31\t0"
		    "\t3\t1" },
		{ 3, "36020019002 SJ 360200 GB 2026-05-29 0 0" },
		{ 3, "" },
		/* Order: below the line before it; the same credential. */
		{ 3, "36020019000\tSJ\t360200\tGB\t2026-05-29\t0\t0" },
		{ 3, "36020019001\tSJ\t360200\tGB\t2026-05-29\t0\t0" },
		{ 6, "36020019004\tXF\t360202\t\t2026-06-01\t1\t1" },
		/* Dates. */
		{ 3, "36020019002\tSJ\t360200\tGB\t2026-5-29\t0\t0" },
		{ 3, "36020019002\tSJ\t360200\tGB\t2026-13-01\t0\t0" },
		{ 3, "36020019002\tSJ\t360200\tGB\t2026-02-30\t0\t0" },
		{ 3, "36020019002\tSJ\t360200\tGB\t20260529\t0\t0" },
		{ 3, "36020019002\tSJ\t360200\tGB\t\t0\t0" },
		/* The expert flag and the load. */
		{ 3, "36020019002\tSJ\t360200\tGB\t2026-05-29\t2\t0" },
		{ 3, "36020019002\tSJ\t360200\tGB\t2026-05-29\t\t0" },
		{ 3, "36020019002\tSJ\t360200\tGB\t2026-05-29\t0\t01" },
		{ 3, "36020019002\tSJ\t360200\tGB\t2026-05-29\t0\t-1" },
		{ 3, "36020019002\tSJ\t360200\tGB\t2026-05-29\t0\t" },
		{ 3, "36020019002\tSJ\t360200\tGB\t2026-05-29\t0\t1x" },
		/* Credential, department, jurisdiction, qualifications. */
		{ 3, "3602001900a\tSJ\t360200\tGB\t2026-05-29\t0\t0" },
		{ 3, "36020019002\t\t360200\tGB\t2026-05-29\t0\t0" },
		{ 3, "36020019002\tS/J\t360200\tGB\t2026-05-29\t0\t0" },
		{ 3, "36020019002\tSJ\t\tGB\t2026-05-29\t0\t0" },
		{ 3, "36020019002\tSJ\t36020\tGB\t2026-05-29\t0\t0" },
		{ 3, "36020019002\tSJ\t360203;360202\tGB\t2026-05-29\t0\t0" },
		{ 3, "36020019002\tSJ\t360200;\tGB\t2026-05-29\t0\t0" },
		{ 3, "36020019002\tSJ\t360200\tGB;CCC\t2026-05-29\t0\t0" },
		{ 3, "36020019002\tSJ\t360200\tGB;\t2026-05-29\t0\t0" },
	};
	char	*params, *text, want[64];
	size_t	 i;
	int	 bad = 0;

	(void)state;
	params = params_text("SJ", WINDOW_TO, "3", "1", "4", "10",
	    require_good);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		text = replace_line(insp_good, c[i].line, c[i].text);
		snprintf(want, sizeof(want), "inspectors.txt:%zu:", c[i].line);
		bad += parse_bad(text, conf_good, params, want, c[i].text);
		free(text);
	}
	bad += parse_bad("DSR-1 inspectors\n36020019001\tZJ\t360202\t"
	    "CCC;CERT\t2028-12-31\t0\t3", "DSR-1 conflicts\n", params,
	    "inspectors.txt:2:", "no newline at the end");
	bad += parse_bad("", "DSR-1 conflicts\n", params,
	    "inspectors.txt:1:", "an empty file");
	free(params);
	assert_int_equal(bad, 0);
}

/* Malformed conflicts.txt. */
static void
test_team__parse_bad_conflicts(void **state)
{
	static const struct {
		size_t		 line;
		const char	*text;
	} c[] = {
		{ 1, "DSR-1 conflict" },
		{ 2, "36020019001\t" ID_E },
		{ 2, "36020019001\t" ID_E "\trecusal\tx" },
		{ 2, "36020019001\t" ID_E "\tRecusal" },
		{ 2, "36020019001\t" ID_E "\t" },
		{ 3, "36020019001\t" ID_C "\tconflict" },
		/* Order: ids, then credentials; a pair twice. */
		{ 3, "36020019001\t" ID_A "\trotation" },
		{ 3, "36020019001\t" ID_E "\trotation" },
		{ 4, "36020019001\t" ID_C "\trotation" },
		{ 5, "36020019002\t" ID_A "\trecusal" },
		/* A credential not in inspectors.txt; ids that cannot be. */
		{ 4, "36020019005\t" ID_A "\trotation" },
		{ 4, "36020019003\t91360202ma35a0001t\trotation" },
		{ 4, "36020019003\t" ID_A "0\trotation" },
		{ 4, "36020019003\t\trotation" },
	};
	char	*params, *text, want[64];
	size_t	 i;
	int	 bad = 0;

	(void)state;
	params = params_text("SJ", WINDOW_TO, "3", "1", "4", "10",
	    require_good);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		text = replace_line(conf_good, c[i].line, c[i].text);
		snprintf(want, sizeof(want), "conflicts.txt:%zu:", c[i].line);
		bad += parse_bad(insp_good, text, params, want, c[i].text);
		free(text);
	}
	bad += parse_bad(insp_good, "DSR-1 conflicts\n36020019001\t" ID_E
	    "\trecusal", params, "conflicts.txt:2:", "no newline at the end");
	free(params);
	assert_int_equal(bad, 0);
}

/* Malformed parameters.txt: the lines §9 reads. */
static void
test_team__parse_bad_parameters(void **state)
{
	static const struct {
		const char	*joint, *to, *t, *e, *capb, *capy, *require;
		const char	*want;
	} c[] = {
		/* Team size: at least 2, and 1 + m. */
		{ "SJ", WINDOW_TO, "1", "0", "4", "10", require_good,
		    "parameters.txt:13:" },
		{ "SJ", WINDOW_TO, "x", "0", "4", "10", require_good,
		    "parameters.txt:13:" },
		{ "SJ", WINDOW_TO, "02", "0", "4", "10", require_good,
		    "parameters.txt:13:" },
		{ "SJ", WINDOW_TO, "3", "-1", "4", "10", require_good,
		    "parameters.txt:14:" },
		{ "SJ", WINDOW_TO, "3", "", "4", "10", require_good,
		    "parameters.txt:14:" },
		/* Caps: a count or '-'. */
		{ "SJ", WINDOW_TO, "3", "1", "x", "10", require_good,
		    "parameters.txt:15:" },
		{ "SJ", WINDOW_TO, "3", "1", "-1", "10", require_good,
		    "parameters.txt:15:" },
		{ "SJ", WINDOW_TO, "3", "1", "04", "10", require_good,
		    "parameters.txt:15:" },
		{ "SJ", WINDOW_TO, "3", "1", "4", "", require_good,
		    "parameters.txt:16:" },
		{ "SJ", WINDOW_TO, "3", "1", "4", "1 0", require_good,
		    "parameters.txt:16:" },
		/* Window. */
		{ "SJ", "2026-5-29", "3", "1", "4", "10", require_good,
		    "parameters.txt:10:" },
		{ "SJ", "2026-13-29", "3", "1", "4", "10", require_good,
		    "parameters.txt:10:" },
		/* require: each participating department, in order. */
		{ "SJ", WINDOW_TO, "3", "1", "4", "10", "require ZJ CCC\n",
		    "parameters.txt:" },
		{ "SJ", WINDOW_TO, "3", "1", "4", "10", "",
		    "parameters.txt:" },
		{ "SJ", WINDOW_TO, "3", "1", "4", "10",
		    "require SJ -\nrequire ZJ CCC\n", "parameters.txt:17:" },
		{ "SJ", WINDOW_TO, "3", "1", "4", "10",
		    "require ZJ CCC\nrequire XF -\n", "parameters.txt:18:" },
		{ "SJ", WINDOW_TO, "3", "1", "4", "10",
		    "require ZJ CERT;CCC\nrequire SJ -\n",
		    "parameters.txt:17:" },
		{ "SJ", WINDOW_TO, "3", "1", "4", "10",
		    "require ZJ CCC;CCC\nrequire SJ -\n",
		    "parameters.txt:17:" },
		{ "SJ", WINDOW_TO, "3", "1", "4", "10",
		    "require ZJ\nrequire SJ -\n", "parameters.txt:17:" },
		{ "SJ", WINDOW_TO, "3", "1", "4", "10",
		    "require ZJ CCC\nrequire SJ -\nrequire SJ -\n",
		    "parameters.txt:19:" },
		{ "-", WINDOW_TO, "3", "1", "4", "10", require_good,
		    "parameters.txt:18:" },
	};
	char	*params, *text, what[128];
	size_t	 i;
	int	 bad = 0;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		params = params_text(c[i].joint, c[i].to, c[i].t, c[i].e,
		    c[i].capb, c[i].capy, c[i].require);
		snprintf(what, sizeof(what), "case %zu (joint '%s' window '%s' "
		    "t '%s' e '%s' caps '%s' '%s')", i, c[i].joint, c[i].to,
		    c[i].t, c[i].e, c[i].capb, c[i].capy);
		bad += parse_bad(insp_good, conf_good, params, c[i].want, what);
		free(params);
	}
	/* t < 1 + m: two joint departments need three sworn slots. */
	params = params_text("SJ;XF", WINDOW_TO, "2", "0", "-", "-",
	    "require ZJ -\nrequire SJ -\nrequire XF -\n");
	bad += parse_bad(insp_good, conf_good, params, "parameters.txt:",
	    "t < 1 + m");
	free(params);
	/* More slots than a team may have. */
	params = params_text("SJ", WINDOW_TO, "101", "30", "-", "-",
	    require_good);
	bad += parse_bad(insp_good, conf_good, params, "parameters.txt:",
	    "101 sworn slots");
	free(params);
	/* The lead named as a joint department too. */
	params = params_text("ZJ", WINDOW_TO, "2", "0", "-", "-",
	    "require ZJ -\nrequire ZJ -\n");
	bad += parse_bad(insp_good, conf_good, params, "parameters.txt:",
	    "the lead joint too");
	free(params);
	/* A line left out, and the header. */
	params = params_text("SJ", WINDOW_TO, "3", "1", "4", "10",
	    require_good);
	text = replace_line(params, 14, NULL);
	bad += parse_bad(insp_good, conf_good, text, "parameters.txt:",
	    "experts left out");
	free(text);
	text = replace_line(params, 1, "DSR-1 parameter");
	bad += parse_bad(insp_good, conf_good, text, "parameters.txt:1:",
	    "the header");
	free(text);
	free(params);
	assert_int_equal(bad, 0);
}

/* 2. The hard rules, the reference and the max-flow on larger instances. */
#define RULES_SEEDS	600

static void
test_team__rules_random(void **state)
{
	/* Loose caps and every oddity; tight caps; interval jurisdictions. */
	static const struct genopt	 o[3] = {
		{ 1, MAX_TARGETS, 4, MAX_INSP, 0, 8, 30, 20, 6, 22 },
		{ MAX_TARGETS, MAX_TARGETS, 12, MAX_INSP, 1, 6, 20, 6, 6, 30 },
		{ MAX_TARGETS, MAX_TARGETS, 12, MAX_INSP, 2, 4, 10, 2, 4, 70 },
	};
	struct inst			*x;
	struct net			*g;
	struct tally			 ty;
	unsigned char			 key[DSR_STREAM_KEY_BYTES];
	uint64_t			 rng = 20260413, seed;

	(void)state;
	x = xcalloc(1, sizeof(*x));
	g = xcalloc(1, sizeof(*g));
	memset(&ty, 0, sizeof(ty));
	for (seed = 0; seed < RULES_SEEDS; seed++) {
		gen_inst(x, &rng, &o[seed % 3]);
		if (o[seed % 3].tight)
			to_the_edge(x, g, &rng);
		make_key(&rng, key);
		run_instance(x, key, g, &ty);
	}
	print_message("rules: %u instances, %u feasible (%u repaired, %u with "
	    "2+ moves, longest %u), %u infeasible (%u partly staffed); %u "
	    "with a repair found\n", ty.instances, ty.feasible, ty.repaired,
	    ty.chained, ty.longest, ty.infeasible, ty.partial,
	    ty.repaired_any);
	assert_true(ty.feasible >= RULES_SEEDS / 4);
	assert_true(ty.infeasible >= RULES_SEEDS / 5);
	assert_true(ty.repaired >= RULES_SEEDS / 10);
	free(g);
	free(x);
}

/*
 * 3. Small instances with tight caps, where the max-flow decides: the
 * draw succeeds exactly when every slot can be filled, and the repair is
 * needed (and found) often.
 */
#define FLOW_SEEDS	2000

static void
test_team__max_flow_oracle(void **state)
{
	static const struct genopt	 o[2] = {
		{ 8, 8, 5, 10, 1, 6, 20, 4, 2, 50 },
		{ 8, 8, 8, 10, 2, 4, 10, 2, 4, 70 },
	};
	struct inst			*x;
	struct net			*g;
	struct tally			 ty;
	unsigned char			 key[DSR_STREAM_KEY_BYTES];
	uint64_t			 rng = 91360202, seed;

	(void)state;
	x = xcalloc(1, sizeof(*x));
	g = xcalloc(1, sizeof(*g));
	memset(&ty, 0, sizeof(ty));
	for (seed = 0; seed < FLOW_SEEDS; seed++) {
		gen_inst(x, &rng, &o[seed % 2]);
		to_the_edge(x, g, &rng);
		make_key(&rng, key);
		run_instance(x, key, g, &ty);
	}
	print_message("max-flow: %u instances, %u feasible (%u repaired, %u "
	    "with 2+ moves, longest %u), %u infeasible (%u partly staffed); "
	    "%u with a repair found\n", ty.instances, ty.feasible,
	    ty.repaired, ty.chained, ty.longest, ty.infeasible, ty.partial,
	    ty.repaired_any);
	assert_int_equal(ty.instances, FLOW_SEEDS);
	/* A share of each kind: the test cannot silently test nothing. */
	assert_true(ty.infeasible >= FLOW_SEEDS / 5);
	assert_true(ty.feasible >= FLOW_SEEDS / 5);
	assert_true(ty.partial >= FLOW_SEEDS / 10);
	assert_true(ty.repaired >= FLOW_SEEDS / 20);
	assert_true(ty.repaired_any >= FLOW_SEEDS / 10);
	/* Longer chains are rare here: test_team__repair_chain has them. */
	assert_true(ty.chained >= 3);
	assert_true(ty.longest >= 2);
	free(g);
	free(x);
}

/* 4. The same key, the same teams; another key, other teams. */
static void
test_team__deterministic(void **state)
{
	static const struct genopt	 o = {
		6, 10, 18, 24, 0, 3, 40, 10, 6, 22,
	};
	struct team_frame		 fr;
	struct team_state		 st;
	struct inst			*x;
	unsigned char			 key[DSR_STREAM_KEY_BYTES];
	unsigned char			 other[DSR_STREAM_KEY_BYTES];
	uint64_t			 rng = 3602;
	char				*first, *again;
	unsigned int			 differ = 0, i, tries = 0;

	(void)state;
	x = xcalloc(1, sizeof(*x));
	/* An instance every key staffs. */
	do {
		assert_true(++tries < 1000);
		gen_inst(x, &rng, &o);
		x->cap_batch = x->cap_year = -1;
		make_key(&rng, key);
		inst_parse(x, &fr);
		memset(&st, 0, sizeof(st));
		if (team_assign(&fr, key, x->targets, x->n, &st) != 0) {
			team_state_release(&st);
			team_frame_release(&fr);
			continue;
		}
		break;
	} while (1);
	first = write_teams(&fr, &st, x);
	team_state_release(&st);

	memset(&st, 0, sizeof(st));
	assert_int_equal(team_assign(&fr, key, x->targets, x->n, &st), 0);
	again = write_teams(&fr, &st, x);
	assert_string_equal(first, again);
	free(again);
	team_state_release(&st);

	for (i = 0; i < 20; i++) {
		make_key(&rng, other);
		memset(&st, 0, sizeof(st));
		assert_int_equal(team_assign(&fr, other, x->targets, x->n,
		    &st), 0);
		again = write_teams(&fr, &st, x);
		differ += strcmp(first, again) != 0;
		free(again);
		team_state_release(&st);
	}
	assert_true(differ >= 18);

	/* A key differing in its last bit only. */
	memcpy(other, key, sizeof(key));
	other[DSR_STREAM_KEY_BYTES - 1] ^= 1;
	memset(&st, 0, sizeof(st));
	assert_int_equal(team_assign(&fr, other, x->targets, x->n, &st), 0);
	again = write_teams(&fr, &st, x);
	assert_string_not_equal(first, again);
	free(again);
	team_state_release(&st);

	free(first);
	team_frame_release(&fr);
	free(x);
}

/*
 * 5. Uniformity. One target (360202), no cap: slot 0 has five candidates
 * of the lead department among inspectors each failing one rule; slot 1
 * (any sworn member) the four others; slot 2, the expert's, three. Over
 * UNIFORM_KEYS keys each leader, each ordered pair (leader, member) and
 * each expert must be equally likely: Pearson's statistic against the
 * chi-square quantile at significance 0.001 (computed exactly: bisection
 * on the upper tail of the regularised incomplete gamma function, as in
 * test-dsr.c), 4, 19 and 2 degrees of freedom. Keys are fixed: every run
 * is the same run.
 */
#define UNIFORM_KEYS	20000
#define CHI2_DF2	13.8155
#define CHI2_DF4	18.4668
#define CHI2_DF19	43.8202
#define CHI2_DF24	51.1786

static const char insp_uniform[] =
    "DSR-1 inspectors\n"
    "36020011001\tZJ\t360202\tCCC\t2028-12-31\t0\t0\n"	/* 0 */
    "36020011002\tZJ\t360203\tCCC\t2028-12-31\t0\t0\n"	/* other county */
    "36020011003\tZJ\t360200\tCCC;GB\t2026-05-29\t0\t7\n"	/* 1 */
    "36020011004\tZJ\t360202\tCCC\t2026-05-28\t0\t0\n"	/* expired */
    "36020011005\tZJ\t360202\tGB\t2028-12-31\t0\t0\n"	/* unqualified */
    "36020011006\tZJ\t360000\tCCC\t2028-12-31\t0\t2\n"	/* 2 */
    "36020011007\tZJ\t360202\tCCC\t2028-12-31\t0\t0\n"	/* recusal */
    "36020011008\tZJ\t360202\tCCC\t2028-12-31\t1\t0\n"	/* expert A */
    "36020011009\tZJ\t360202;360203\tCCC\t2028-12-31\t0\t0\n" /* 3 */
    "36020011010\tZJ\t360300\tCCC\t2028-12-31\t0\t0\n"	/* other city */
    "36020011011\tZJ\t360202\tCCC\t2028-12-31\t0\t0\n"	/* rotation */
    "36020011012\tZJ\t360202\tCCC\t2028-12-31\t0\t40\n"	/* 4 */
    "36020011013\tQT\t360281\t\t2028-12-31\t1\t0\n"	/* other county */
    "36020011014\tQT\t360200\t\t2028-12-31\t1\t0\n"	/* expert B */
    "XF-360000-001\tXF\t360000\t\t2028-12-31\t1\t0\n"	/* expert C */
    "XF-360000-002\tXF\t360000\t\t2026-05-28\t1\t0\n";	/* expired */
static const uint32_t uniform_sworn[5] = { 0, 2, 5, 8, 11 };
static const uint32_t uniform_expert[3] = { 7, 13, 14 };

static long
index_of(const uint32_t *v, size_t n, uint32_t x)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return (long)i;
	return -1;
}

static void
test_team__uniform(void **state)
{
	struct team_frame	 fr;
	struct team_state	 st;
	struct team_target	 target = { ID_A, 360202 };
	struct buf		 conf = BUF_INIT;
	unsigned char		 key[DSR_STREAM_KEY_BYTES];
	uint64_t		 lead[5], pair[25], expert[3], rng = 2026;
	uint64_t		 cells[20] = { 0 };
	char			*params;
	long			 a, b, c;
	size_t			 i, j, k;
	double			 x0, x1, x2;

	(void)state;
	buf_printf(&conf, "DSR-1 conflicts\n36020011007\t%s\trecusal\n"
	    "36020011011\t%s\trotation\n", ID_A, ID_A);
	params = params_text("-", WINDOW_TO, "2", "1", "-", "-",
	    "require ZJ CCC\n");
	parse_ok(insp_uniform, buf_cstr(&conf), params, &fr);
	memset(lead, 0, sizeof(lead));
	memset(pair, 0, sizeof(pair));
	memset(expert, 0, sizeof(expert));
	for (i = 0; i < UNIFORM_KEYS; i++) {
		make_key(&rng, key);
		memset(&st, 0, sizeof(st));
		assert_int_equal(team_assign(&fr, key, &target, 1, &st), 0);
		assert_int_equal(st.eligible[0], 8);
		a = index_of(uniform_sworn, 5, st.slot[0]);
		b = index_of(uniform_sworn, 5, st.slot[1]);
		c = index_of(uniform_expert, 3, st.slot[2]);
		if (a < 0 || b < 0 || c < 0 || a == b)
			fail_msg("key %zu: %u %u %u", i, st.slot[0],
			    st.slot[1], st.slot[2]);
		lead[a]++;
		pair[a * 5 + b]++;
		expert[c]++;
		team_state_release(&st);
	}
	for (j = 0, k = 0; j < 25; j++)
		if (j / 5 != j % 5)
			cells[k++] = pair[j];
	x0 = chi2_pearson(lead, 5, UNIFORM_KEYS / 5.0);
	x1 = chi2_pearson(cells, 20, UNIFORM_KEYS / 20.0);
	x2 = chi2_pearson(expert, 3, UNIFORM_KEYS / 3.0);
	print_message("uniform: leader %.2f (df 4, %.4f), pairs %.2f (df 19, "
	    "%.4f), expert %.2f (df 2, %.4f)\n", x0, CHI2_DF4, x1, CHI2_DF19,
	    x2, CHI2_DF2);
	if (x0 >= CHI2_DF4)
		fail_msg("leader: chi-square %.2f", x0);
	if (x1 >= CHI2_DF19)
		fail_msg("(leader, member): chi-square %.2f", x1);
	if (x2 >= CHI2_DF2)
		fail_msg("expert: chi-square %.2f", x2);
	/*
	 * The control: the same pairs held against a draw that could give
	 * the leader's place to the member too (25 cells, 24 degrees of
	 * freedom) must fail, or the statistic could not see an inspector
	 * drawn twice.
	 */
	x0 = chi2_pearson(pair, 25, UNIFORM_KEYS / 25.0);
	if (x0 < CHI2_DF24)
		fail_msg("control: pairs with repeats pass, %.2f", x0);
	team_frame_release(&fr);
	buf_release(&conf);
	free(params);
}

/*
 * 6. Replacements on random instances, against the reference: who is
 * drawn, the loads, the removed never coming back; and the failures
 * (not on the team, no candidate) change nothing.
 */
#define REPLACE_SEEDS	150
#define REPLACE_STEPS	40

static void
test_team__replace_random(void **state)
{
	static const struct genopt	 o = {
		1, 6, 4, 16, 0, 6, 40, 10, 6, 22,
	};
	struct team_frame		 fr;
	struct team_state		 st;
	struct inst			*x;
	struct ref			*rf;
	unsigned char			 key[DSR_STREAM_KEY_BYTES];
	uint64_t			 rng = 360281, seed, before[MAX_INSP];
	uint64_t			 r64;
	uint32_t			 xi, chosen, want_chosen;
	uint32_t			 before_slot[MAX_POS];
	size_t				 s, r, k, slot, want_slot, step;
	size_t				 nremoved;
	char				*err, *w0, *w1;
	int				 rc, want;
	unsigned int			 done = 0, nocand = 0, notmember = 0;
	unsigned int			 removed_again = 0;

	(void)state;
	x = xcalloc(1, sizeof(*x));
	rf = xcalloc(1, sizeof(*rf));
	for (seed = 0; seed < REPLACE_SEEDS; seed++) {
		gen_inst(x, &rng, &o);
		make_key(&rng, key);
		inst_parse(x, &fr);
		memset(&st, 0, sizeof(st));
		if (team_assign(&fr, key, x->targets, x->n, &st) != 0) {
			team_state_release(&st);
			team_frame_release(&fr);
			continue;
		}
		ref_assign(x, key, rf);
		check_against_ref(x, &st, rf);
		s = x->t + x->e;
		for (step = 0; step < REPLACE_STEPS; step++) {
			r64 = prng(&rng);
			r = (size_t)(r64 % x->n);
			/* Mostly a member; sometimes anyone. */
			if ((r64 >> 8) % 4 != 0)
				xi = st.slot[r * s + (r64 >> 16) % s];
			else
				xi = (uint32_t)((r64 >> 16) % x->ni);
			make_key(&rng, key);
			w0 = write_teams(&fr, &st, x);
			memcpy(before, st.load, x->ni * sizeof(before[0]));
			memcpy(before_slot, st.slot, x->n * s *
			    sizeof(before_slot[0]));
			nremoved = st.nremoved;
			err = NULL;
			slot = want_slot = SIZE_MAX;
			chosen = want_chosen = TEAM_NONE;
			rc = team_replace(&fr, &st, x->targets, r, xi, key,
			    &slot, &chosen, &err);
			want = ref_replace(x, rf, r, xi, key, &want_slot,
			    &want_chosen);
			if (rc != want)
				fail_msg("seed %llu step %zu: target %zu, %s: "
				    "%d, the reference %d (%s)",
				    (unsigned long long)seed, step, r,
				    x->in[xi].cred, rc, want,
				    err != NULL ? err : "no message");
			if (rc == 0) {
				done++;
				if (slot != want_slot || chosen != want_chosen)
					fail_msg("seed %llu step %zu: slot "
					    "%zu, %u; the reference %zu, %s",
					    (unsigned long long)seed, step,
					    slot, chosen, want_slot,
					    x->in[want_chosen].cred);
				assert_null(err);
				assert_int_equal(before_slot[r * s + slot],
				    xi);
				assert_int_equal(st.slot[r * s + slot],
				    chosen);
				assert_true(chosen != xi);
				assert_true(eligible(x, r,
				    (unsigned int)slot, chosen));
				for (k = 0; k < s; k++)
					if (k != slot)
						assert_true(st.slot[r * s + k]
						    != chosen);
				assert_int_equal(st.load[xi], before[xi] - 1);
				assert_int_equal(st.load[chosen],
				    before[chosen] + 1);
				assert_true(st.load[chosen] <=
				    capacity(x, chosen));
				assert_int_equal(st.nremoved, nremoved + 1);
				for (k = 0; k < x->n * s; k++)
					if (k != r * s + slot)
						assert_int_equal(st.slot[k],
						    before_slot[k]);
			} else {
				if (err == NULL)
					fail_msg("failed without a message");
				if (ref_holds(x, rf, r, xi) < 0) {
					notmember++;
					removed_again += rf->removed[r][xi];
				} else
					nocand++;
				free(err);
				w1 = write_teams(&fr, &st, x);
				assert_string_equal(w0, w1);
				free(w1);
				assert_memory_equal(before, st.load,
				    x->ni * sizeof(before[0]));
				assert_memory_equal(before_slot, st.slot,
				    x->n * s * sizeof(before_slot[0]));
				assert_int_equal(st.nremoved, nremoved);
			}
			free(w0);
			check_against_ref(x, &st, rf);
			check_rules(x, &st, 0);
		}
		team_state_release(&st);
		team_frame_release(&fr);
	}
	print_message("replace: %u made, %u without a candidate, %u not on "
	    "the team (%u of them removed before)\n", done, nocand,
	    notmember, removed_again);
	assert_true(done >= 500);
	assert_true(nocand >= 100);
	assert_true(notmember >= 100);
	assert_true(removed_again >= 20);
	free(rf);
	free(x);
}

/*
 * 7. teams.txt, exactly, on an instance where every slot has one
 * candidate; replacements without a candidate on it.
 */
static const char insp_fixed[] =
    "DSR-1 inspectors\n"
    "36020010001\tZJ\t360200\tCCC\t2028-12-31\t0\t0\n"		/* A */
    "36020010002\tSJ\t360202;360281\t\t2026-05-29\t0\t0\n"	/* B */
    "36020010003\tZJ\t360202\t\t2028-12-31\t0\t0\n"	/* unqualified */
    "36020010004\tZJ\t360000\tCCC\t2026-05-28\t0\t0\n"	/* expired */
    "36020010005\tSJ\t360281\t\t2028-12-31\t0\t0\n"	/* rotation T2 */
    "36020010006\tZJ\t360202\tCCC\t2028-12-31\t1\t0\n"	/* expert, T1 */
    "36020010008\tZJ\t360202\tCCC\t2028-12-31\t0\t9\n"	/* capacity 0 */
    "XF-360000-001\tXF\t360000\t\t2028-12-31\t1\t0\n";	/* recusal T1 */

static void
test_team__write_fixed(void **state)
{
	struct team_frame	 fr;
	struct team_state	 st;
	struct team_target	 tg[2] = { { ID_A, 360202 }, { ID_C, 360281 } };
	struct buf		 conf = BUF_INIT, out = BUF_INIT;
	unsigned char		 key[DSR_STREAM_KEY_BYTES];
	char			*params, *err, *w0;
	size_t			 slot;
	uint32_t		 chosen, who;
	uint64_t		 load0[8];

	(void)state;
	memset(key, 7, sizeof(key));
	buf_printf(&conf, "DSR-1 conflicts\n36020010005\t%s\trotation\n"
	    "XF-360000-001\t%s\trecusal\n", ID_C, ID_A);
	params = params_text("SJ", WINDOW_TO, "2", "1", "2", "9",
	    "require ZJ CCC\nrequire SJ -\n");
	parse_ok(insp_fixed, buf_cstr(&conf), params, &fr);
	memset(&st, 0, sizeof(st));
	assert_int_equal(team_assign(&fr, key, tg, 2, &st), 0);
	team_write(&fr, &st, tg, &out);
	assert_string_equal(buf_cstr(&out), "DSR-1 teams\n"
	    "1\t" ID_A "\t4\t36020010001;36020010002\t36020010006\n"
	    "2\t" ID_C "\t3\t36020010001;36020010002\tXF-360000-001\n");
	assert_int_equal(st.load[0], 2);
	assert_int_equal(st.load[1], 2);
	assert_int_equal(st.load[5], 1);
	assert_int_equal(st.load[7], 1);
	assert_int_equal(st.load[6], 0);

	/*
	 * No candidate for any slot: T1's leader's only rival has no
	 * capacity, its expert's a recusal, no other SJ inspector covers
	 * 360202; T2's other SJ inspector has a rotation, its other expert
	 * does not cover it. The others are on no team.
	 */
	w0 = xstrdup(buf_cstr(&out));
	memcpy(load0, st.load, sizeof(load0));
	for (who = 0; who < 8; who++) {
		err = NULL;
		if (team_replace(&fr, &st, tg, 0, who, key, &slot, &chosen,
		    &err) != -1)
			fail_msg("replaced %u on T1", who);
		assert_non_null(err);
		free(err);
		err = NULL;
		if (team_replace(&fr, &st, tg, 1, who, key, &slot, &chosen,
		    &err) != -1)
			fail_msg("replaced %u on T2", who);
		assert_non_null(err);
		free(err);
	}
	assert_int_equal(st.nremoved, 0);
	assert_memory_equal(load0, st.load, sizeof(load0));
	buf_reset(&out);
	team_write(&fr, &st, tg, &out);
	assert_string_equal(buf_cstr(&out), w0);
	free(w0);
	team_state_release(&st);

	/* Without experts: '-'. */
	team_frame_release(&fr);
	free(params);
	params = params_text("SJ", WINDOW_TO, "2", "0", "2", "9",
	    "require ZJ CCC\nrequire SJ -\n");
	parse_ok(insp_fixed, buf_cstr(&conf), params, &fr);
	memset(&st, 0, sizeof(st));
	assert_int_equal(team_assign(&fr, key, tg, 2, &st), 0);
	buf_reset(&out);
	team_write(&fr, &st, tg, &out);
	assert_string_equal(buf_cstr(&out), "DSR-1 teams\n"
	    "1\t" ID_A "\t3\t36020010001;36020010002\t-\n"
	    "2\t" ID_C "\t2\t36020010001;36020010002\t-\n");
	team_state_release(&st);

	/* No target: the header alone. */
	memset(&st, 0, sizeof(st));
	assert_int_equal(team_assign(&fr, key, tg, 0, &st), 0);
	buf_reset(&out);
	team_write(&fr, &st, tg, &out);
	assert_string_equal(buf_cstr(&out), "DSR-1 teams\n");
	team_state_release(&st);

	team_frame_release(&fr);
	buf_release(&out);
	buf_release(&conf);
	free(params);
}

/*
 * The repair by hand: two targets, two inspectors each with capacity 1,
 * the first target's leader could be either, the second's only one of
 * them. Whoever the stream gives T1, T2 is staffed, by a chain when
 * needed; with a third target, nothing can staff it and it is named.
 */
static void
test_team__repair_fixed(void **state)
{
	static const char	 insp[] =
	    "DSR-1 inspectors\n"
	    "36020012001\tZJ\t360202\t\t2028-12-31\t0\t0\n"
	    "36020012002\tZJ\t360202;360281\t\t2028-12-31\t0\t0\n"
	    "36020012003\tZJ\t360202;360281\t\t2028-12-31\t0\t0\n"
	    "36020012004\tZJ\t360281\t\t2028-12-31\t0\t0\n";
	struct team_frame	 fr;
	struct team_state	 st;
	struct team_target	 tg[3] = {
		{ ID_A, 360202 }, { ID_C, 360281 }, { ID_B, 360203 },
	};
	unsigned char		 key[DSR_STREAM_KEY_BYTES];
	uint64_t		 rng = 7;
	unsigned int		 i, seen[4] = { 0, 0, 0, 0 };
	char			*params;

	(void)state;
	params = params_text("-", WINDOW_TO, "2", "0", "1", "-",
	    "require ZJ -\n");
	parse_ok(insp, "DSR-1 conflicts\n", params, &fr);
	for (i = 0; i < 200; i++) {
		make_key(&rng, key);
		memset(&st, 0, sizeof(st));
		/* Four inspectors, four slots, one each: always feasible. */
		assert_int_equal(team_assign(&fr, key, tg, 2, &st), 0);
		assert_int_equal(st.load[0] + st.load[1] + st.load[2] +
		    st.load[3], 4);
		assert_int_equal(st.load[0], 1);
		assert_int_equal(st.load[3], 1);
		seen[st.slot[0]]++;
		team_state_release(&st);

		memset(&st, 0, sizeof(st));
		assert_int_equal(team_assign(&fr, key, tg, 3, &st), 1);
		assert_int_equal(st.nunstaffed, 1);
		assert_non_null(strstr(st.unstaffed[0], ID_B));
		assert_int_equal(st.slot[4], TEAM_NONE);
		assert_int_equal(st.slot[5], TEAM_NONE);
		team_state_release(&st);
	}
	/* T1's leader was drawn from all three of 360202's. */
	assert_true(seen[0] > 0 && seen[1] > 0 && seen[2] > 0);
	assert_int_equal(seen[3], 0);
	team_frame_release(&fr);
	free(params);
}

/*
 * A chain of five moves, by hand. Six counties D1 < ... < D6; leaders of
 * capacity 1 (load 9 of a cap of 10 a year) covering (D1, D2), (D2, D3),
 * ... (D5, D6) and D6 alone; one SJ member (the province's) for every
 * slot 1. Targets in D6, D5, ..., D1: there is one way to staff them
 * all, D_j's leader the j-th. When the stream gives D6 the one of (D5,
 * D6), each next target has one candidate left, the one of (D_j,
 * D_j+1), and D1 none: the repair moves every leader down the chain,
 * five moves. Either way the teams are the one assignment.
 */
static void
test_team__repair_chain(void **state)
{
	static const uint32_t	 county[6] = {
		360202, 360203, 360222, 360281, 360302, 360321,
	};
	struct team_frame	 fr;
	struct team_state	 st;
	struct team_target	 tg[6];
	struct dsr_stream	 ds;
	struct buf		 insp = BUF_INIT, want = BUF_INIT;
	struct buf		 out = BUF_INIT;
	unsigned char		 key[DSR_STREAM_KEY_BYTES];
	char			 id[6][DSR_ID_MAX + 1], *params;
	uint64_t		 rng = 360321;
	unsigned int		 i, j, chains = 0;

	(void)state;
	buf_addstr(&insp, "DSR-1 inspectors\n");
	for (j = 0; j < 6; j++) {
		buf_printf(&insp, "3602001200%u\tZJ\t%lu", j + 1,
		    (unsigned long)county[j]);
		if (j < 5)
			buf_printf(&insp, ";%lu", (unsigned long)county[j + 1]);
		buf_addstr(&insp, "\t\t2028-12-31\t0\t9\n");
	}
	buf_addstr(&insp, "36020013001\tSJ\t360000\t\t2028-12-31\t0\t0\n");
	params = params_text("SJ", WINDOW_TO, "2", "0", "-", "10",
	    "require ZJ -\nrequire SJ -\n");
	parse_ok(buf_cstr(&insp), "DSR-1 conflicts\n", params, &fr);
	buf_addstr(&want, "DSR-1 teams\n");
	for (j = 0; j < 6; j++) {
		make_uscc(id[j], county[5 - j], &rng);
		tg[j].id = id[j];
		tg[j].division = county[5 - j];
		buf_printf(&want, "%u\t%s\t%u\t3602001200%u;36020013001\t-\n",
		    j + 1, id[j], j == 5 ? 2 : 3, 6 - j);
	}
	for (i = 0; i < 64; i++) {
		make_key(&rng, key);
		memset(&st, 0, sizeof(st));
		assert_int_equal(team_assign(&fr, key, tg, 6, &st), 0);
		buf_reset(&out);
		team_write(&fr, &st, tg, &out);
		assert_string_equal(buf_cstr(&out), buf_cstr(&want));
		for (j = 0; j < 6; j++)
			assert_int_equal(st.load[j], 1);
		assert_int_equal(st.load[6], 6);
		team_state_release(&st);
		/* D6's leader: candidate 0 of (5th, 6th) starts the chain. */
		dsr_stream_init(&ds, key);
		chains += dsr_uniform(&ds, 2) == 0;
		dsr_stream_wipe(&ds);
	}
	print_message("chain: %u of 64 keys moved five leaders\n", chains);
	assert_true(chains >= 16 && chains <= 48);
	team_frame_release(&fr);
	buf_release(&insp);
	buf_release(&want);
	buf_release(&out);
	free(params);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_team__parse_good),
		cmocka_unit_test(test_team__parse_caps),
		cmocka_unit_test(test_team__parse_departments),
		cmocka_unit_test(test_team__parse_bad_inspectors),
		cmocka_unit_test(test_team__parse_bad_conflicts),
		cmocka_unit_test(test_team__parse_bad_parameters),
		cmocka_unit_test(test_team__rules_random),
		cmocka_unit_test(test_team__max_flow_oracle),
		cmocka_unit_test(test_team__deterministic),
		cmocka_unit_test(test_team__uniform),
		cmocka_unit_test(test_team__replace_random),
		cmocka_unit_test(test_team__write_fixed),
		cmocka_unit_test(test_team__repair_fixed),
		cmocka_unit_test(test_team__repair_chain),
	};

	crypto_setup();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
