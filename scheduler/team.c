/*
 * Inspector teams (docs/protocol.md §9): who may fill which slot of which
 * target, the assignment in rank order from the stream, the repair by
 * augmenting paths when capacity runs out, and replacement draws.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "bundle.h"
#include "calendar.h"
#include "dsr.h"
#include "frame.h"
#include "log.h"
#include "num.h"
#include "team.h"
#include "xmalloc.h"

#define CODE_MAX	64

/* A run of inspector indices in index->pool, ascending. */
struct span {
	uint32_t	 start;
	uint32_t	 len;
};

/*
 * One division's lists (spans), each in inspectors.txt order: for each
 * participating department d, its sworn inspectors who may fill d's own
 * slot; the sworn who may fill any other sworn slot; the experts -- those
 * three without the inspectors of capacity 0, who can never be picked --
 * and every valid inspector whose jurisdiction covers the division.
 */
struct division_list {
	uint32_t	 division;	/* 0: an empty entry */
	uint32_t	 span;		/* the first of its spans */
	uint32_t	 nunion;	/* eligible for some slot, no conflict */
	int		 alone;		/* team_check: 0 unknown, 1 ok, -1 not */
};

/* The slots one inspector holds, as positions target * nslots + k. */
struct holdings {
	uint32_t	*v;
	size_t		 n;
	size_t		 cap;
};

struct team_index {
	struct division_list	*lists;		/* open addressing */
	size_t			 nlists;
	size_t			 cap;		/* a power of two */
	struct span		*spans;		/* nspans per division */
	size_t			 nspans;	/* per division */
	size_t			 spancount;
	uint32_t		*pool;
	size_t			 npool;
	size_t			 poolcap;
	struct holdings		*held;		/* per inspector */
	size_t			 nfull;		/* at their capacity */
	/* The repair's scratch, stamped to avoid clearing. */
	uint32_t		*seen;		/* per slot */
	uint32_t		*expanded;	/* per inspector */
	uint32_t		*parent;	/* per slot: the parent slot */
	uint32_t		*queue;
	uint32_t		 stamp;
};

/* What the procedure needs of one target at a time. */
struct target_view {
	size_t			 target;
	const struct team_index	*ix;
	const struct span	*spans;		/* its division's */
	uint32_t		 nunion;
	const struct team_conflict *conflicts;	/* this target's */
	size_t			 nconflicts;
};

/* Indices of the spans of a division. */
#define SPAN_GENERAL(fr)	((fr)->ndepartments)
#define SPAN_EXPERTS(fr)	((fr)->ndepartments + 1)
#define SPAN_COVERING(fr)	((fr)->ndepartments + 2)

static int	 parse_inspectors(const char *, size_t, struct team_frame *,
		    char **);
static int	 parse_conflicts(const char *, size_t, struct team_frame *,
		    char **);
static int	 parse_parameters(const char *, size_t, struct team_frame *,
		    char **);
static void	 derive(struct team_frame *);
static void	 view(const struct team_frame *, struct team_state *,
		    const struct team_target *, size_t, struct target_view *);

/* Splits a line at TABs into exactly n fields (NUL-terminated copies). */
static int
split(const char *line, size_t len, char **field, size_t n)
{
	const char	*p = line, *end = line + len, *tab;
	size_t		 i;

	for (i = 0; i < n; i++) {
		tab = memchr(p, '\t', (size_t)(end - p));
		if ((tab == NULL) != (i == n - 1))
			return -1;
		if (tab == NULL)
			tab = end;
		field[i] = xstrndup(p, (size_t)(tab - p));
		if (memchr(field[i], '\r', (size_t)(tab - p)) != NULL)
			return -1;
		p = tab + 1;
	}
	return 0;
}

static void
free_fields(char **field, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(field[i]);
		field[i] = NULL;
	}
}

static int
is_code(const char *s)
{
	size_t	 n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
	    "vwxyz0123456789._-");

	return n > 0 && n <= CODE_MAX && s[n] == '\0';
}

static int
is_cred(const char *s)
{
	size_t	 n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

	return n > 0 && n <= TEAM_CRED_MAX && s[n] == '\0';
}

/* Canonical decimal, as §2 defines it; -1 if not one or too large. */
static int
parse_count(const char *s, uint64_t *out)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* A real day, YYYY-MM-DD: dates are compared as text (§9.3). */
static int
is_date(const char *s)
{
	day_t	 d;

	return strlen(s) == 10 && date_parse(s, 10, &d) == 0;
}

static int
is_id(const char *s)
{
	size_t	 n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

	return n > 0 && n <= DSR_ID_MAX && s[n] == '\0';
}

/* A `;`-separated list of codes, ascending, each once; "" is empty. */
static int
is_list(const char *s, int (*valid)(const char *))
{
	char	*copy = xstrdup(s), *p, *semi, *prev = NULL;
	int	 ok = 1;

	if (*s == '\0')
		goto out;
	for (p = copy; ok; p = semi + 1) {
		if ((semi = strchr(p, ';')) != NULL)
			*semi = '\0';
		ok = valid(p) && (prev == NULL || strcmp(prev, p) < 0);
		prev = p;
		if (semi == NULL)
			break;
	}
out:
	free(copy);
	return ok;
}

static int
is_division(const char *s)
{
	return strlen(s) == 6 && strspn(s, "0123456789") == 6;
}

static int
in_list(const char *list, const char *code)
{
	size_t	 n = strlen(code);
	const char *p = list;

	if (n == 0)
		return 0;
	while ((p = strstr(p, code)) != NULL) {
		if ((p == list || p[-1] == ';') &&
		    (p[n] == '\0' || p[n] == ';'))
			return 1;
		p += n;
	}
	return 0;
}

static int
parse_inspectors(const char *text, size_t len, struct team_frame *fr,
    char **err)
{
	const char		*p = text, *end = text + len, *line, *q;
	char			*f[7] = { NULL };
	struct team_inspector	*in;
	size_t			 n, lineno, cap = 0;
	uint64_t		 expert;
	int			 rc;
	const char		*what = NULL;

	for (lineno = 1; (rc = frame_next_line(&p, end, &line, &n)) == 1;
	    lineno++) {
		if (lineno == 1) {
			if (n != 16 || memcmp(line, "DSR-1 inspectors", 16) != 0)
				goto bad;
			continue;
		}
		if (split(line, n, f, 7) == -1) {
			what = "not 7 TAB-separated fields";
			goto bad;
		}
		if (!is_cred(f[0]) || (fr->ninspectors > 0 && strcmp(
		    fr->inspectors[fr->ninspectors - 1].cred, f[0]) >= 0))
			what = "a credential out of order or malformed";
		else if (!is_code(f[1]))
			what = "a malformed department";
		else if (f[2][0] == '\0' || !is_list(f[2], is_division))
			what = "a malformed jurisdiction";
		else if (!is_list(f[3], is_code))
			what = "malformed qualifications";
		else if (!is_date(f[4]))
			what = "a malformed date";
		else if (parse_count(f[5], &expert) == -1 || expert > 1)
			what = "an expert flag not 0 or 1";
		if (what != NULL)
			goto bad;
		if (fr->ninspectors == cap) {
			cap = cap ? cap * 2 : 64;
			fr->inspectors = xreallocarray(fr->inspectors, cap,
			    sizeof(*fr->inspectors));
		}
		in = &fr->inspectors[fr->ninspectors];
		memset(in, 0, sizeof(*in));
		fr->ninspectors++;
		if (parse_count(f[6], &in->load) == -1) {
			what = "a malformed load";
			goto bad;
		}
		memcpy(in->cred, f[0], strlen(f[0]) + 1);
		in->department = f[1];
		f[1] = NULL;
		in->qualifications = f[3];
		f[3] = NULL;
		for (q = f[2]; *q != '\0'; q += q[6] == ';' ? 7 : 6) {
			in->jurisdiction = xreallocarray(in->jurisdiction,
			    in->njurisdiction + 1, sizeof(uint32_t));
			in->jurisdiction[in->njurisdiction++] =
			    (uint32_t)strtoul(q, NULL, 10);
		}
		memcpy(in->valid_until, f[4], 11);
		in->expert = (int)expert;
		free_fields(f, 7);
	}
	if (rc == -1 || lineno == 1) {
		what = rc == -1 ? "no newline at the end" : NULL;
		goto bad;
	}
	if (fr->ninspectors >= TEAM_NONE)
		goto bad;
	return 0;
bad:
	free_fields(f, 7);
	*err = xasprintf("inspectors.txt:%zu: %s", lineno,
	    what != NULL ? what : "not a DSR-1 inspectors line");
	return -1;
}

static int
conflict_cmp(const void *a, const void *b)
{
	const struct team_conflict *x = a, *y = b;
	int			    c = strcmp(x->id, y->id);

	if (c != 0)
		return c;
	return (x->inspector > y->inspector) - (x->inspector < y->inspector);
}

static int
parse_conflicts(const char *text, size_t len, struct team_frame *fr,
    char **err)
{
	const char		*p = text, *end = text + len, *line;
	char			*f[3] = { NULL };
	struct team_conflict	*c;
	size_t			 n, lineno, cap = 0;
	long			 k, prev_k = -1;
	int			 rc;
	const char		*what = NULL;

	for (lineno = 1; (rc = frame_next_line(&p, end, &line, &n)) == 1;
	    lineno++) {
		if (lineno == 1) {
			if (n != 15 || memcmp(line, "DSR-1 conflicts", 15) != 0)
				goto bad;
			continue;
		}
		if (split(line, n, f, 3) == -1)
			what = "not 3 TAB-separated fields";
		else if ((k = team_find(fr, f[0])) < 0)
			what = "an inspector not in inspectors.txt";
		else if (!is_id(f[1]))
			what = "a malformed enterprise id";
		else if (strcmp(f[2], "recusal") != 0 &&
		    strcmp(f[2], "rotation") != 0)
			what = "a kind not recusal or rotation";
		if (what != NULL)
			goto bad;
		/* By credential, then id; each pair once. */
		if (fr->nconflicts > 0 && (prev_k > k || (prev_k == k &&
		    strcmp(fr->conflicts[fr->nconflicts - 1].id, f[1]) >= 0))) {
			what = "a pair out of order or repeated";
			goto bad;
		}
		prev_k = k;
		if (fr->nconflicts == cap) {
			cap = cap ? cap * 2 : 64;
			fr->conflicts = xreallocarray(fr->conflicts, cap,
			    sizeof(*fr->conflicts));
		}
		c = &fr->conflicts[fr->nconflicts++];
		memset(c, 0, sizeof(*c));
		memcpy(c->id, f[1], strlen(f[1]) + 1);
		c->inspector = (uint32_t)k;
		c->rotation = f[2][1] == 'o';
		free_fields(f, 3);
	}
	if (rc == -1 || lineno == 1) {
		what = rc == -1 ? "no newline at the end" : NULL;
		goto bad;
	}
	/* The assignment looks them up by target. */
	if (fr->nconflicts > 0)
		qsort(fr->conflicts, fr->nconflicts, sizeof(*fr->conflicts),
		    conflict_cmp);
	return 0;
bad:
	free_fields(f, 3);
	*err = xasprintf("conflicts.txt:%zu: %s", lineno,
	    what != NULL ? what : "not a DSR-1 conflicts line");
	return -1;
}

/* "-" or a canonical decimal, into *out (-1 for "-"). */
static int
parse_cap(const char *s, int64_t *out)
{
	uint64_t	 v;

	if (strcmp(s, "-") == 0) {
		*out = -1;
		return 0;
	}
	if (parse_count(s, &v) == -1)
		return -1;
	*out = (int64_t)v;
	return 0;
}

/* Splits "A;B;C" (or "-" for none) into new strings. */
static void
split_list(const char *s, char ***out, size_t *n)
{
	const char	*semi;

	*out = NULL;
	*n = 0;
	if (strcmp(s, "-") == 0)
		return;
	for (;;) {
		semi = strchr(s, ';');
		*out = xreallocarray(*out, *n + 1, sizeof(char *));
		(*out)[(*n)++] = semi ? xstrndup(s, (size_t)(semi - s)) :
		    xstrdup(s);
		if (semi == NULL)
			break;
		s = semi + 1;
	}
}

/*
 * The lines §9.2 reads; parameters.txt's digest is checked by the
 * caller, and its targets' part by frame_parse.
 */
static int
parse_parameters(const char *text, size_t len, struct team_frame *fr,
    char **err)
{
	const char	*p = text, *end = text + len, *line, *sp, *what = NULL;
	char		*name = NULL, *value = NULL, **joint = NULL;
	size_t		 n, lineno, njoint = 0, nrequire = 0, i, k;
	uint64_t	 v;
	int		 rc, seen = 0;

	for (lineno = 1; (rc = frame_next_line(&p, end, &line, &n)) == 1;
	    lineno++) {
		free(name);
		free(value);
		name = value = NULL;
		if (lineno == 1) {
			if (n != 16 || memcmp(line, "DSR-1 parameters", 16) != 0) {
				what = "not a DSR-1 parameters file";
				goto bad;
			}
			continue;
		}
		if ((sp = memchr(line, ' ', n)) == NULL)
			continue;
		name = xstrndup(line, (size_t)(sp - line));
		value = xstrndup(sp + 1, n - (size_t)(sp + 1 - line));
		if (strcmp(name, "window") == 0) {
			if (strlen(value) != 21 || !is_date(value + 11)) {
				what = "a malformed window";
				goto bad;
			}
			memcpy(fr->window_to, value + 11, 11);
			seen |= 1;
		} else if (strcmp(name, "lead") == 0) {
			if (fr->ndepartments != 0 || !is_code(value)) {
				what = "a malformed lead";
				goto bad;
			}
			fr->departments = xcalloc(1, sizeof(char *));
			fr->departments[fr->ndepartments++] = value;
			value = NULL;
		} else if (strcmp(name, "joint") == 0) {
			if (fr->ndepartments != 1 || (seen & 2)) {
				what = "a malformed joint";
				goto bad;
			}
			/* In plan order: codes, each once, not the lead. */
			split_list(value, &joint, &njoint);
			for (i = 0; i < njoint && what == NULL; i++) {
				if (!is_code(joint[i]) || strcmp(joint[i],
				    fr->departments[0]) == 0)
					what = "a malformed joint";
				for (k = 0; k < i; k++)
					if (strcmp(joint[i], joint[k]) == 0)
						what = "a malformed joint";
			}
			if (what != NULL) {
				for (i = 0; i < njoint; i++)
					free(joint[i]);
				free(joint);
				goto bad;
			}
			fr->departments = xreallocarray(fr->departments,
			    1 + njoint, sizeof(char *));
			for (i = 0; i < njoint; i++)
				fr->departments[fr->ndepartments++] = joint[i];
			free(joint);
			joint = NULL;
			fr->require = xcalloc(fr->ndepartments, sizeof(char *));
			seen |= 2;
		} else if (strcmp(name, "team-size") == 0 ||
		    strcmp(name, "experts") == 0) {
			if (parse_count(value, &v) == -1 ||
			    v > TEAM_MAX_SLOTS / 2 ||
			    (name[0] == 't' && v < 2)) {
				what = "a malformed team size";
				goto bad;
			}
			if (name[0] == 't')
				fr->team_size = (unsigned int)v;
			else
				fr->experts = (unsigned int)v;
			seen |= name[0] == 't' ? 4 : 8;
		} else if (strcmp(name, "cap-per-batch") == 0 ||
		    strcmp(name, "cap-per-year") == 0) {
			if (parse_cap(value, strcmp(name, "cap-per-batch") == 0 ?
			    &fr->cap_batch : &fr->cap_year) == -1) {
				what = "a malformed cap";
				goto bad;
			}
			seen |= strcmp(name, "cap-per-batch") == 0 ? 16 : 32;
		} else if (strcmp(name, "require") == 0) {
			/* One per department, in their order. */
			if (!(seen & 2) || nrequire == fr->ndepartments ||
			    (sp = strchr(value, ' ')) == NULL ||
			    (size_t)(sp - value) !=
			    strlen(fr->departments[nrequire]) ||
			    memcmp(value, fr->departments[nrequire],
			    (size_t)(sp - value)) != 0 ||
			    (strcmp(sp + 1, "-") != 0 && (sp[1] == '\0' ||
			    !is_list(sp + 1, is_code)))) {
				what = "a require line out of order or "
				    "malformed";
				goto bad;
			}
			fr->require[nrequire++] = xstrdup(sp + 1);
		}
	}
	if (rc == -1) {
		what = "no newline at the end";
		goto bad;
	}
	if (seen != 63 || nrequire != fr->ndepartments) {
		what = "a line missing";
		goto bad;
	}
	if (fr->team_size < fr->ndepartments) {
		what = "a team size below the departments";
		goto bad;
	}
	free(name);
	free(value);
	return 0;
bad:
	free(name);
	free(value);
	*err = xasprintf("parameters.txt:%zu: %s", lineno, what);
	return -1;
}

/* §9.2-9.3: what each inspector's line means for this batch. */
static void
derive(struct team_frame *fr)
{
	struct team_inspector	*in;
	const char		*need, *semi;
	char			 code[CODE_MAX + 1];
	uint64_t		 cap, left;
	size_t			 i, d, n;

	for (i = 0; i < fr->ninspectors; i++) {
		in = &fr->inspectors[i];
		in->valid = strcmp(in->valid_until, fr->window_to) >= 0;
		in->dept = -1;
		for (d = 0; d < fr->ndepartments; d++)
			if (strcmp(in->department, fr->departments[d]) == 0)
				in->dept = (int)d;
		in->qualified = in->dept >= 0;
		if (in->dept >= 0 && strcmp(fr->require[in->dept], "-") != 0)
			for (need = fr->require[in->dept]; ; need = semi + 1) {
				semi = strchr(need, ';');
				n = semi ? (size_t)(semi - need) : strlen(need);
				memcpy(code, need, n);
				code[n] = '\0';
				if (!in_list(in->qualifications, code))
					in->qualified = 0;
				if (semi == NULL)
					break;
			}
		cap = TEAM_UNBOUNDED;
		if (fr->cap_batch >= 0)
			cap = (uint64_t)fr->cap_batch;
		if (fr->cap_year >= 0) {
			left = (uint64_t)fr->cap_year > in->load ?
			    (uint64_t)fr->cap_year - in->load : 0;
			if (left < cap)
				cap = left;
		}
		in->capacity = cap;
	}
}

int
team_frame_parse(const char *inspectors, size_t ilen, const char *conflicts,
    size_t clen, const char *parameters, size_t plen, struct team_frame *fr,
    char **err)
{
	memset(fr, 0, sizeof(*fr));
	fr->cap_batch = fr->cap_year = -1;
	if (parse_parameters(parameters, plen, fr, err) == -1 ||
	    parse_inspectors(inspectors, ilen, fr, err) == -1 ||
	    parse_conflicts(conflicts, clen, fr, err) == -1) {
		team_frame_release(fr);
		return -1;
	}
	derive(fr);
	return 0;
}

void
team_frame_release(struct team_frame *fr)
{
	size_t	 i;

	for (i = 0; i < fr->ninspectors; i++) {
		free(fr->inspectors[i].department);
		free(fr->inspectors[i].jurisdiction);
		free(fr->inspectors[i].qualifications);
	}
	free(fr->inspectors);
	free(fr->conflicts);
	for (i = 0; i < fr->ndepartments; i++) {
		free(fr->departments[i]);
		if (fr->require != NULL)
			free(fr->require[i]);
	}
	free(fr->departments);
	free(fr->require);
	memset(fr, 0, sizeof(*fr));
}

long
team_find(const struct team_frame *fr, const char *cred)
{
	size_t	 lo = 0, hi = fr->ninspectors, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(fr->inspectors[mid].cred, cred);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* §9.2: a code covers itself, a city code its districts, a province's all. */
static int
covers(uint32_t code, uint32_t division)
{
	if (code == division)
		return 1;
	if (code % 10000 == 0)
		return code / 10000 == division / 10000;
	if (code % 100 == 0)
		return code / 100 == division / 100;
	return 0;
}

static size_t
hash_slot(const struct team_index *ix, uint32_t division)
{
	size_t	 h = (size_t)(division * 2654435761U) & (ix->cap - 1);

	while (ix->lists[h].division != 0 &&
	    ix->lists[h].division != division + 1)
		h = (h + 1) & (ix->cap - 1);
	return h;
}

static void
index_grow(struct team_index *ix)
{
	struct division_list	*old = ix->lists;
	size_t			 oldcap = ix->cap, i;

	ix->cap = oldcap ? oldcap * 2 : 64;
	ix->lists = xcalloc(ix->cap, sizeof(*ix->lists));
	for (i = 0; i < oldcap; i++)
		if (old[i].division != 0)
			ix->lists[hash_slot(ix, old[i].division - 1)] = old[i];
	free(old);
}

static void
pool_add(struct team_index *ix, uint32_t i)
{
	if (ix->npool == ix->poolcap) {
		ix->poolcap = ix->poolcap ? ix->poolcap * 2 : 1024;
		ix->pool = xreallocarray(ix->pool, ix->poolcap,
		    sizeof(uint32_t));
	}
	ix->pool[ix->npool++] = i;
}

/* Whether inspector in may fill some slot of span sp (§9.3, 4-5). */
static int
in_span(const struct team_frame *fr, const struct team_inspector *in,
    size_t sp)
{
	if (sp == SPAN_EXPERTS(fr))
		return in->expert && in->capacity > 0;
	if (in->expert || in->dept < 0 || !in->qualified || in->capacity == 0)
		return 0;
	return sp == SPAN_GENERAL(fr) || in->dept == (int)sp;
}

/* A division's lists, made on first sight (stored as division + 1). */
static void
index_add(struct team_index *ix, const struct team_frame *fr,
    uint32_t division)
{
	const struct team_inspector	*in;
	struct division_list		*l;
	struct span			*cov, *sp;
	size_t				 i, j, k;

	if (ix->cap == 0 || (ix->nlists + 1) * 2 > ix->cap)
		index_grow(ix);
	l = &ix->lists[hash_slot(ix, division)];
	if (l->division != 0)
		return;
	l->division = division + 1;
	l->span = (uint32_t)(ix->nlists * ix->nspans);
	ix->spans = xreallocarray(ix->spans, (ix->nlists + 1) * ix->nspans,
	    sizeof(*ix->spans));
	cov = &ix->spans[l->span + SPAN_COVERING(fr)];
	cov->start = (uint32_t)ix->npool;
	cov->len = 0;
	for (i = 0; i < fr->ninspectors; i++) {
		in = &fr->inspectors[i];
		if (!in->valid)
			continue;
		for (j = 0; j < in->njurisdiction; j++)
			if (covers(in->jurisdiction[j], division))
				break;
		if (j == in->njurisdiction)
			continue;
		pool_add(ix, (uint32_t)i);
		cov->len++;
		if (in->expert ? fr->experts > 0 : in->dept >= 0 &&
		    in->qualified)
			l->nunion++;
	}
	for (k = 0; k < SPAN_COVERING(fr); k++) {
		sp = &ix->spans[l->span + k];
		sp->start = (uint32_t)ix->npool;
		sp->len = 0;
		for (j = 0; j < cov->len; j++) {
			i = ix->pool[cov->start + j];
			if (in_span(fr, &fr->inspectors[i], k)) {
				pool_add(ix, (uint32_t)i);
				sp->len++;
			}
		}
	}
	ix->nlists++;
}

static struct team_index *
index_new(const struct team_frame *fr)
{
	struct team_index	*ix = xcalloc(1, sizeof(*ix));

	ix->nspans = SPAN_COVERING(fr) + 1;
	ix->held = xcalloc(fr->ninspectors + 1, sizeof(*ix->held));
	return ix;
}

/* The target's division list and conflicts (index complete by then). */
static void
view(const struct team_frame *fr, struct team_state *st,
    const struct team_target *targets, size_t t, struct target_view *v)
{
	struct team_index		*ix = st->index;
	const struct division_list	*l;
	size_t				 lo = 0, hi = fr->nconflicts, mid;

	l = &ix->lists[hash_slot(ix, targets[t].division)];
	v->target = t;
	v->ix = ix;
	v->spans = ix->spans + l->span;
	v->nunion = l->nunion;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(fr->conflicts[mid].id, targets[t].id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	v->conflicts = fr->nconflicts > 0 ? fr->conflicts + lo : NULL;
	for (hi = lo; hi < fr->nconflicts &&
	    strcmp(fr->conflicts[hi].id, targets[t].id) == 0; hi++)
		;
	v->nconflicts = hi - lo;
}

/* The conflict of inspector i with the viewed target, or NULL. */
static const struct team_conflict *
conflict(const struct target_view *v, uint32_t i)
{
	size_t	 lo = 0, hi = v->nconflicts, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v->conflicts[mid].inspector == i)
			return &v->conflicts[mid];
		if (v->conflicts[mid].inspector < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* §9.3, rules 4-5: the slot's own rule, given rules 1-2 hold. */
static int
slot_rule(const struct team_frame *fr, const struct team_inspector *in,
    size_t k)
{
	if (k >= fr->team_size)
		return in->expert;
	if (in->expert || in->dept < 0 || !in->qualified)
		return 0;
	if (k < fr->ndepartments)
		return in->dept == (int)k;
	return 1;
}

/* The span of the inspectors who may fill slot k. */
static const struct span *
slot_span(const struct team_frame *fr, const struct target_view *v,
    size_t k)
{
	if (k >= fr->team_size)
		return &v->spans[SPAN_EXPERTS(fr)];
	if (k < fr->ndepartments && fr->ndepartments > 1)
		return &v->spans[k];
	return &v->spans[SPAN_GENERAL(fr)];
}

/* The position of inspector i in a span, or -1. */
static long
span_find(const struct team_index *ix, const struct span *sp, uint32_t i)
{
	size_t	 lo = 0, hi = sp->len, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ix->pool[sp->start + mid] == i)
			return (long)mid;
		if (ix->pool[sp->start + mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The slot of target t that i holds, or TEAM_NONE. */
static uint32_t
slot_of(const struct team_state *st, size_t t, uint32_t i)
{
	size_t	 k;

	for (k = 0; k < st->nslots; k++)
		if (st->slot[t * st->nslots + k] == i)
			return (uint32_t)(t * st->nslots + k);
	return TEAM_NONE;
}

static int
was_removed(const struct team_state *st, size_t t, uint32_t i)
{
	size_t	 j;

	for (j = 0; j < st->nremoved; j++)
		if (st->removed[2 * j] == t && st->removed[2 * j + 1] == i)
			return 1;
	return 0;
}

/* Holdings stay sorted, so that the repair expands them in slot order. */
static void
held_add(struct team_index *ix, uint32_t i, uint32_t pos)
{
	struct holdings	*h = &ix->held[i];
	size_t		 j;

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 8;
		h->v = xreallocarray(h->v, h->cap, sizeof(uint32_t));
	}
	for (j = h->n; j > 0 && h->v[j - 1] > pos; j--)
		h->v[j] = h->v[j - 1];
	h->v[j] = pos;
	h->n++;
}

static void
held_remove(struct team_index *ix, uint32_t i, uint32_t pos)
{
	struct holdings	*h = &ix->held[i];
	size_t		 j;

	for (j = 0; j < h->n && h->v[j] != pos; j++)
		;
	if (j == h->n)
		return;
	memmove(h->v + j, h->v + j + 1, (h->n - j - 1) * sizeof(uint32_t));
	h->n--;
}

/* Loads change here only: nfull says whether any cap can bind. */
static void
load_add(const struct team_frame *fr, struct team_state *st, uint32_t i,
    int delta)
{
	struct team_index	*ix = st->index;
	uint64_t		 cap = fr->inspectors[i].capacity;

	if (delta < 0 && st->load[i] == cap)
		ix->nfull--;
	st->load[i] = delta < 0 ? st->load[i] - 1 : st->load[i] + 1;
	if (delta > 0 && st->load[i] == cap)
		ix->nfull++;
}

static void
put(struct team_state *st, uint32_t pos, uint32_t i)
{
	struct team_index	*ix = st->index;

	if (st->slot[pos] != TEAM_NONE)
		held_remove(ix, st->slot[pos], pos);
	st->slot[pos] = i;
	held_add(ix, i, pos);
}

/* Inserts x into the ascending v[0..n) unless there; the new n. */
static size_t
insert_once(uint32_t *v, size_t n, uint32_t x)
{
	size_t	 m;

	for (m = 0; m < n && v[m] < x; m++)
		;
	if (m < n && v[m] == x)
		return n;
	memmove(v + m + 1, v + m, (n - m) * sizeof(*v));
	v[m] = x;
	return n + 1;
}

/*
 * §9.4's candidates for slot k of the viewed target: how many, or with
 * nth set, the index of candidate number *nth. While no cap binds, the
 * slot's span less the few excluded (conflicts, the team, the removed):
 * no scan of the span.
 */
#define EXCLUDED_MAX	256
static uint32_t
candidates(const struct team_frame *fr, const struct team_state *st,
    const struct target_view *v, size_t k, const uint32_t *nth)
{
	const struct team_index	*ix = st->index;
	const struct span	*sp = slot_span(fr, v, k);
	const uint32_t		*list = sp->len > 0 ? ix->pool + sp->start :
				    NULL;
	uint32_t		 excl[EXCLUDED_MAX], i, j, c = 0, x;
	size_t			 n = 0, m, q;
	long			 pos;

	if (ix->nfull == 0 && v->nconflicts + st->nslots + st->nremoved <=
	    EXCLUDED_MAX) {
		for (q = 0; q < v->nconflicts + st->nslots + st->nremoved;
		    q++) {
			if (q < v->nconflicts)
				x = v->conflicts[q].inspector;
			else if (q < v->nconflicts + st->nslots)
				x = st->slot[v->target * st->nslots + q -
				    v->nconflicts];
			else {
				m = q - v->nconflicts - st->nslots;
				if (st->removed[2 * m] != v->target)
					continue;
				x = st->removed[2 * m + 1];
			}
			if (x != TEAM_NONE && (pos = span_find(ix, sp, x)) >= 0)
				n = insert_once(excl, n, (uint32_t)pos);
		}
		if (nth == NULL)
			return sp->len - (uint32_t)n;
		for (j = *nth, m = 0; m < n; m++)
			if (excl[m] <= j)
				j++;
		return list[j];
	}
	for (j = 0; j < sp->len; j++) {
		i = list[j];
		if (conflict(v, i) != NULL ||
		    st->load[i] >= fr->inspectors[i].capacity ||
		    slot_of(st, v->target, i) != TEAM_NONE ||
		    (st->nremoved > 0 && was_removed(st, v->target, i)))
			continue;
		if (nth != NULL && c == *nth)
			return i;
		c++;
	}
	return c;
}

/* §9.5: a breadth-first search for a chain of moves that fills pos. */
static int
repair(const struct team_frame *fr, struct team_state *st,
    const struct team_target *targets, uint32_t empty)
{
	struct team_index	*ix = st->index;
	struct target_view	 v;
	const struct span	*sp;
	size_t			 total = st->ntargets * st->nslots, head = 0;
	size_t			 tail = 0, j, h;
	uint32_t		 s, x, i, s2, cur, prev;

	/* No inspector at all: no chain of moves, and nothing to index. */
	if (fr->ninspectors == 0)
		return -1;
	if (ix->seen == NULL) {
		ix->seen = xcalloc(total, sizeof(uint32_t));
		ix->parent = xcalloc(total, sizeof(uint32_t));
		ix->queue = xcalloc(total, sizeof(uint32_t));
		ix->expanded = xcalloc(fr->ninspectors, sizeof(uint32_t));
	}
	if (++ix->stamp == 0) {
		memset(ix->seen, 0, total * sizeof(uint32_t));
		memset(ix->expanded, 0, fr->ninspectors * sizeof(uint32_t));
		ix->stamp = 1;
	}
	ix->queue[tail++] = empty;
	ix->seen[empty] = ix->stamp;
	while (head < tail) {
		s = ix->queue[head++];
		x = st->slot[s];
		view(fr, st, targets, s / st->nslots, &v);
		sp = slot_span(fr, &v, s % st->nslots);
		for (j = 0; j < sp->len; j++) {
			i = ix->pool[sp->start + j];
			if (i == x || conflict(&v, i) != NULL)
				continue;
			if ((s2 = slot_of(st, v.target, i)) != TEAM_NONE) {
				if (ix->seen[s2] != ix->stamp) {
					ix->seen[s2] = ix->stamp;
					ix->parent[s2] = s;
					ix->queue[tail++] = s2;
				}
			} else if (st->load[i] < fr->inspectors[i].capacity) {
				goto found;
			} else if (ix->expanded[i] != ix->stamp) {
				ix->expanded[i] = ix->stamp;
				for (h = 0; h < ix->held[i].n; h++) {
					s2 = ix->held[i].v[h];
					if (ix->seen[s2] == ix->stamp)
						continue;
					ix->seen[s2] = ix->stamp;
					ix->parent[s2] = s;
					ix->queue[tail++] = s2;
				}
			}
		}
	}
	return -1;
found:
	/* s gets i; each slot's holder moves on to the slot before it. */
	load_add(fr, st, i, 1);
	for (cur = s; ; cur = ix->parent[cur]) {
		prev = st->slot[cur];
		put(st, cur, i);
		if (cur == empty)
			break;
		i = prev;
	}
	return 0;
}

static void
plural(struct buf *b, size_t n, const char *one, const char *many)
{
	buf_printf(b, "%zu %s", n, n == 1 ? one : many);
}

/*
 * Why slot k of the viewed target found no inspector, in plain words:
 * too few eligible (naming the rules that cut them), else the caps.
 */
static char *
diagnose(const struct team_frame *fr, const struct team_target *target, const struct target_view *v, size_t k)
{
	const struct team_inspector	*in;
	const struct team_conflict	*c;
	const struct span		*cov = &v->spans[SPAN_COVERING(fr)];
	struct buf			 b = BUF_INIT;
	size_t				 j, nrecusal = 0, nrotation = 0;
	size_t				 nok = 0, need, dept;
	int				 sworn = k < fr->team_size;
	int				 own = sworn && k < fr->ndepartments &&
					    fr->ndepartments > 1;

	for (j = 0; j < cov->len; j++) {
		in = &fr->inspectors[v->ix->pool[cov->start + j]];
		if (sworn ? !slot_rule(fr, in, own ? k : fr->team_size - 1) :
		    !in->expert)
			continue;
		if ((c = conflict(v, v->ix->pool[cov->start + j])) == NULL)
			nok++;
		else if (c->rotation)
			nrotation++;
		else
			nrecusal++;
	}
	need = !sworn ? fr->experts : own ? 1 : fr->team_size;
	buf_printf(&b, "target %s: ", target->id);
	if (nok >= need) {
		buf_printf(&b, "its %zu eligible %s in %06u are all on its "
		    "team or at their workload cap (", nok, sworn ? "inspectors" :
		    "experts", (unsigned int)target->division);
		if (fr->cap_batch >= 0)
			buf_printf(&b, "%lld per batch%s",
			    (long long)fr->cap_batch, fr->cap_year >= 0 ?
			    ", " : "");
		if (fr->cap_year >= 0)
			buf_printf(&b, "%lld per year", (long long)fr->cap_year);
		buf_addstr(&b, ") with the targets drawn before it");
		return buf_detach(&b, NULL);
	}
	buf_printf(&b, "%zu eligible ", nok);
	if (!sworn)
		buf_addstr(&b, nok == 1 ? "expert" : "experts");
	else {
		buf_addstr(&b, nok == 1 ? "inspector" : "inspectors");
		dept = own ? k : 0;
		if (own)
			buf_printf(&b, " of the %s department %s",
			    k == 0 ? "lead" : "joint", fr->departments[k]);
		else if (fr->ndepartments == 1)
			buf_printf(&b, " of %s", fr->departments[0]);
		else
			buf_addstr(&b, " of the task's departments");
		if (own || fr->ndepartments == 1) {
			if (strcmp(fr->require[dept], "-") != 0)
				buf_printf(&b, " with qualification%s %s",
				    strchr(fr->require[dept], ';') ? "s" : "",
				    fr->require[dept]);
		}
	}
	buf_printf(&b, " in %06u", (unsigned int)target->division);
	if (nrecusal > 0 || nrotation > 0) {
		buf_addstr(&b, " after ");
		if (nrecusal > 0)
			plural(&b, nrecusal, "recusal", "recusals");
		if (nrecusal > 0 && nrotation > 0)
			buf_addstr(&b, " and ");
		if (nrotation > 0)
			plural(&b, nrotation, "rotation exclusion",
			    "rotation exclusions");
	}
	if (!sworn)
		buf_printf(&b, "; experts %u", fr->experts);
	else if (own && k == 0)
		buf_printf(&b, "; the leader comes from %s",
		    fr->departments[0]);
	else if (own)
		buf_printf(&b, "; each team needs one of %s",
		    fr->departments[k]);
	else
		buf_printf(&b, "; team size %u", fr->team_size);
	return buf_detach(&b, NULL);
}

/*
 * §9.3: the inspectors eligible for at least one slot of the target:
 * its division's count, less those in conflict with it.
 */
static uint32_t
count_eligible(const struct team_frame *fr, const struct target_view *v)
{
	const struct team_inspector	*in;
	uint32_t			 n = v->nunion;
	size_t				 j;

	for (j = 0; j < v->nconflicts; j++) {
		in = &fr->inspectors[v->conflicts[j].inspector];
		if ((in->expert ? fr->experts > 0 : in->dept >= 0 &&
		    in->qualified) && span_find(v->ix,
		    &v->spans[SPAN_COVERING(fr)], v->conflicts[j].inspector) >= 0)
			n--;
	}
	return n;
}

int
team_assign(const struct team_frame *fr,
    const unsigned char key[DSR_STREAM_KEY_BYTES],
    const struct team_target *targets, size_t n, struct team_state *st)
{
	struct team_index	*ix;
	struct target_view	 v;
	struct dsr_stream	 stream;
	uint32_t		 c, u, pos;
	size_t			 t, k;
	int			 failed;

	memset(st, 0, sizeof(*st));
	st->ntargets = n;
	st->nslots = fr->team_size + fr->experts;
	if (n > (TEAM_NONE - 1) / (st->nslots ? st->nslots : 1))
		fatalx("team: %zu targets are too many", n);
	st->slot = xreallocarray(NULL, n * st->nslots + 1, sizeof(uint32_t));
	memset(st->slot, 0xff, (n * st->nslots + 1) * sizeof(uint32_t));
	st->eligible = xcalloc(n + 1, sizeof(uint32_t));
	st->ninspectors = fr->ninspectors;
	st->load = xcalloc(fr->ninspectors + 1, sizeof(uint64_t));
	st->index = ix = index_new(fr);
	for (t = 0; t < n; t++)
		index_add(ix, fr, targets[t].division);

	dsr_stream_init(&stream, key);
	for (t = 0; t < n; t++) {
		view(fr, st, targets, t, &v);
		st->eligible[t] = count_eligible(fr, &v);
		failed = 0;
		for (k = 0; k < st->nslots; k++) {
			pos = (uint32_t)(t * st->nslots + k);
			if ((c = candidates(fr, st, &v, k, NULL)) > 0) {
				u = dsr_uniform(&stream, c);
				c = candidates(fr, st, &v, k, &u);
				load_add(fr, st, c, 1);
				put(st, pos, c);
			} else if (repair(fr, st, targets, pos) == -1 &&
			    !failed) {
				failed = 1;
				st->unstaffed = xreallocarray(st->unstaffed,
				    st->nunstaffed + 1, sizeof(char *));
				st->unstaffed[st->nunstaffed++] = diagnose(fr,
				    &targets[t], &v, k);
			}
		}
	}
	dsr_stream_wipe(&stream);
	return st->nunstaffed > 0 ? 1 : 0;
}

int
team_replace(const struct team_frame *fr, struct team_state *st,
    const struct team_target *targets, size_t t, uint32_t inspector,
    const unsigned char key[DSR_STREAM_KEY_BYTES], size_t *slot,
    uint32_t *chosen, char **err)
{
	struct target_view	 v;
	struct dsr_stream	 stream;
	uint32_t		 pos, c, u;

	if (t >= st->ntargets || inspector >= fr->ninspectors ||
	    (pos = slot_of(st, t, inspector)) == TEAM_NONE) {
		*err = xasprintf("inspector '%s' is not on the team of target "
		    "'%s'", inspector < fr->ninspectors ?
		    fr->inspectors[inspector].cred : "?", t < st->ntargets ?
		    targets[t].id : "?");
		return -1;
	}
	/* Off the team and never back: the candidates are the others. */
	st->slot[pos] = TEAM_NONE;
	st->removed = xreallocarray(st->removed, 2 * (st->nremoved + 1),
	    sizeof(uint32_t));
	st->removed[2 * st->nremoved] = (uint32_t)t;
	st->removed[2 * st->nremoved + 1] = inspector;
	st->nremoved++;
	view(fr, st, targets, t, &v);
	if ((c = candidates(fr, st, &v, pos % st->nslots, NULL)) == 0) {
		st->slot[pos] = inspector;
		st->nremoved--;
		*err = xasprintf("target '%s': no other inspector is eligible "
		    "for the place of '%s' (all on its team, replaced before "
		    "or at their workload cap)", targets[t].id,
		    fr->inspectors[inspector].cred);
		return -1;
	}
	dsr_stream_init(&stream, key);
	u = dsr_uniform(&stream, c);
	dsr_stream_wipe(&stream);
	*chosen = candidates(fr, st, &v, pos % st->nslots, &u);
	st->slot[pos] = inspector;
	load_add(fr, st, inspector, -1);
	load_add(fr, st, *chosen, 1);
	put(st, pos, *chosen);
	*slot = pos % st->nslots;
	return 0;
}

void
team_write_line(const struct team_frame *fr, const struct team_state *st,
    const struct team_target *targets, size_t t, struct buf *out)
{
	uint32_t	 i;
	size_t		 k, len;
	char		 num[24];

	/* (no printf: a province's half million lines) */
	len = num_format_i64(num, (int64_t)t + 1);
	buf_add(out, num, len);
	buf_addch(out, '\t');
	buf_addstr(out, targets[t].id);
	buf_addch(out, '\t');
	len = num_format_i64(num, (int64_t)st->eligible[t]);
	buf_add(out, num, len);
	buf_addch(out, '\t');
	for (k = 0; k < st->nslots; k++) {
		if (k == fr->team_size)
			buf_addch(out, '\t');
		else if (k > 0)
			buf_addch(out, ';');
		i = st->slot[t * st->nslots + k];
		buf_addstr(out, i == TEAM_NONE ? "?" : fr->inspectors[i].cred);
	}
	buf_addstr(out, fr->experts == 0 ? "\t-\n" : "\n");
}

void
team_write(const struct team_frame *fr, const struct team_state *st,
    const struct team_target *targets, struct buf *out)
{
	size_t	 t;

	buf_addstr(out, TEAMS_MAGIC);
	for (t = 0; t < st->ntargets; t++)
		team_write_line(fr, st, targets, t, out);
}

/*
 * The first slot a target cannot fill even with no other target
 * competing, or -1. Exact because departments are disjoint: one of each
 * department's own slot, the rest from all sworn, the experts apart.
 */
static long
alone(const struct team_frame *fr, const struct target_view *v)
{
	const struct team_inspector	*in;
	const struct span		*cov = &v->spans[SPAN_COVERING(fr)];
	size_t				 own[TEAM_MAX_SLOTS], sworn = 0;
	size_t				 experts = 0, j, k;

	memset(own, 0, sizeof(own));
	for (j = 0; j < cov->len; j++) {
		in = &fr->inspectors[v->ix->pool[cov->start + j]];
		if (in->capacity == 0 ||
		    conflict(v, v->ix->pool[cov->start + j]) != NULL)
			continue;
		if (in->expert)
			experts++;
		else if (in->dept >= 0 && in->qualified) {
			own[in->dept]++;
			sworn++;
		}
	}
	for (k = 0; k < fr->ndepartments && fr->ndepartments > 1; k++)
		if (own[k] == 0)
			return (long)k;
	if (sworn < fr->team_size)
		return (long)fr->team_size - 1;
	if (experts < fr->experts)
		return (long)fr->team_size;
	return -1;
}

size_t
team_check(const struct team_frame *fr, const struct team_target *targets,
    size_t n, uint64_t nselected, struct buf *report)
{
	struct team_state	 st;
	struct team_index	*ix;
	struct target_view	 v;
	struct division_list	*l;
	uint64_t		 room = 0;
	size_t			 t, j, nbad = 0;
	long			 k;
	char			*why;
	int			 bounded = 1;

	memset(&st, 0, sizeof(st));
	st.ninspectors = fr->ninspectors;
	st.index = ix = index_new(fr);
	for (t = 0; t < n; t++)
		index_add(ix, fr, targets[t].division);
	for (t = 0; t < n; t++) {
		view(fr, &st, targets, t, &v);
		l = &ix->lists[hash_slot(ix, targets[t].division)];
		/* Targets with no conflict share their division's answer. */
		if (v.nconflicts == 0 && l->alone != 0)
			k = l->alone > 0 ? -1 : 0;
		else
			k = alone(fr, &v);
		if (v.nconflicts == 0 && l->alone == 0)
			l->alone = k < 0 ? 1 : -1;
		if (k < 0)
			continue;
		if (nbad++ < 3) {
			/* The cached answer does not say which slot. */
			why = diagnose(fr, &targets[t], &v, (size_t)alone(fr,
			    &v));
			buf_printf(report, "%s\n", why);
			free(why);
		}
	}
	if (nbad > 3)
		buf_printf(report, "and %zu more targets of the pool\n",
		    nbad - 3);
	for (j = 0; j < fr->ninspectors; j++) {
		if (fr->inspectors[j].expert || fr->inspectors[j].dept < 0 ||
		    !fr->inspectors[j].qualified || !fr->inspectors[j].valid)
			continue;
		if (fr->inspectors[j].capacity == TEAM_UNBOUNDED)
			bounded = 0;
		else
			room += fr->inspectors[j].capacity;
	}
	if (bounded && room < nselected * fr->team_size)
		buf_printf(report, "the workload caps leave %llu places for "
		    "sworn inspectors; %llu targets of %u need %llu\n",
		    (unsigned long long)room, (unsigned long long)nselected,
		    fr->team_size,
		    (unsigned long long)(nselected * fr->team_size));
	team_state_release(&st);
	return nbad;
}

void
team_state_release(struct team_state *st)
{
	struct team_index	*ix = st->index;
	size_t			 i;

	if (ix != NULL) {
		if (ix->held != NULL)
			for (i = 0; i < st->ninspectors; i++)
				free(ix->held[i].v);
		free(ix->held);
		free(ix->lists);
		free(ix->spans);
		free(ix->pool);
		free(ix->seen);
		free(ix->expanded);
		free(ix->parent);
		free(ix->queue);
		free(ix);
	}
	for (i = 0; i < st->nunstaffed; i++)
		free(st->unstaffed[i]);
	free(st->unstaffed);
	free(st->slot);
	free(st->eligible);
	free(st->load);
	free(st->removed);
	memset(st, 0, sizeof(*st));
}
