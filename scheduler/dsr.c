/*
 * DSR-1's arithmetic (docs/protocol.md sections 5-7 and 9): the seed, the
 * subkeys, tickets, sample sizes, the stratified selection and the stream.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "dsr.h"
#include "log.h"
#include "num.h"
#include "sort.h"
#include "xmalloc.h"

_Static_assert(DSR_TICKET_BYTES == CRYPTO_SIPHASH128_BYTES &&
    DSR_TICKET_KEY_BYTES == CRYPTO_SIPHASH128_KEYBYTES &&
    DSR_STREAM_KEY_BYTES == CRYPTO_CHACHA20_KEYBYTES &&
    DSR_SEED_BYTES == CRYPTO_KDF_KEYBYTES &&
    sizeof(((struct dsr_stream *)0)->buf) % CRYPTO_CHACHA20_BLOCKBYTES == 0,
    "DSR-1 sizes agree with the primitives");

/*
 * Short runs are sorted by insertion; longer ones (only when many tickets
 * share a prefix, which random tickets almost never do) by heapsort, so
 * that no input is quadratic.
 */
#define INSERTION_MAX	24
/* Bits of ticket prefix per bucket: about 8 targets a bucket, at most 2^20. */
#define PREFIX_BITS_MAX	20
#define PREFIX_PER	8

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p)	__builtin_prefetch(p)
#else
#define PREFETCH(p)	((void)(p))
#endif

static void	enc(struct crypto_digest *, const void *, size_t);
static uint32_t	prefix(const struct dsr_target *, unsigned int);
static unsigned int prefix_bits(size_t);
static void	sort_run(const struct dsr_target *, size_t *, size_t);
static void	sift_down(const struct dsr_target *, size_t *, size_t, size_t);

/* enc(x) = u32be(len(x)) || x, into the running digest. */
static void
enc(struct crypto_digest *d, const void *p, size_t n)
{
	unsigned char	 len[4];

	if (n > UINT32_MAX)
		fatalx("dsr: a seed input of %zu bytes", n);
	len[0] = (unsigned char)(n >> 24);
	len[1] = (unsigned char)(n >> 16);
	len[2] = (unsigned char)(n >> 8);
	len[3] = (unsigned char)n;
	crypto_digest_update(d, len, sizeof(len));
	crypto_digest_update(d, p, n);
}

void
dsr_seed(const unsigned char commitment[32], const unsigned char beacon[32],
    const struct dsr_reveal *reveals, size_t nreveals,
    const unsigned char secret[32], unsigned char seed[DSR_SEED_BYTES])
{
	static const char	 domain[] = "DSR-1 seed";
	struct crypto_digest	 d;
	size_t			 i;

	crypto_digest_init(&d, DSR_SEED_BYTES);
	enc(&d, domain, sizeof(domain) - 1);
	enc(&d, commitment, 32);
	enc(&d, beacon, 32);
	for (i = 0; i < nreveals; i++) {
		enc(&d, reveals[i].name, strlen(reveals[i].name));
		enc(&d, reveals[i].value, reveals[i].len);
	}
	enc(&d, secret, 32);
	crypto_digest_final(&d, seed);
	crypto_wipe(&d, sizeof(d));
}

void
dsr_ticket_key(const unsigned char seed[DSR_SEED_BYTES],
    unsigned char key[DSR_TICKET_KEY_BYTES])
{
	crypto_kdf_blake2b(key, DSR_TICKET_KEY_BYTES, 1, "DSR1TICK", seed);
}

void
dsr_team_key(const unsigned char seed[DSR_SEED_BYTES],
    unsigned char key[DSR_STREAM_KEY_BYTES])
{
	crypto_kdf_blake2b(key, DSR_STREAM_KEY_BYTES, 2, "DSR1TEAM", seed);
}

void
dsr_replace_key(const unsigned char seed[DSR_SEED_BYTES],
    uint64_t replacement, unsigned char key[DSR_STREAM_KEY_BYTES])
{
	if (replacement == 0)
		fatalx("dsr_replace_key: replacements count from 1");
	crypto_kdf_blake2b(key, DSR_STREAM_KEY_BYTES, replacement, "DSR1REPL",
	    seed);
}

void
dsr_ticket(const unsigned char key[DSR_TICKET_KEY_BYTES], const char *id,
    size_t len, unsigned char ticket[DSR_TICKET_BYTES])
{
	crypto_siphash128(ticket, id, len, key);
}

int
dsr_sample_size(uint64_t n, uint64_t num, uint64_t den, int64_t min,
    int64_t max, uint64_t *out)
{
	uint64_t	 prod, c;

	if (den == 0 || num > den || min < -1 || max < -1)
		return -1;
	if (num != 0 && n > UINT64_MAX / num)
		return -1;
	prod = n * num;
	c = prod / den + (prod % den != 0);
	if (min >= 0 && c < (uint64_t)min)
		c = (uint64_t)min;
	if (c > n)
		c = n;
	if (max >= 0 && c > (uint64_t)max)
		c = (uint64_t)max;
	*out = c;
	return 0;
}

struct tickets_part {
	const unsigned char	*key;
	struct dsr_target	*v;
	size_t			 n;
};

static void *
tickets_part(void *arg)
{
	struct tickets_part	*p = arg;
	size_t			 i;

	for (i = 0; i < p->n; i++)
		dsr_ticket(p->key, p->v[i].id, strlen(p->v[i].id),
		    p->v[i].ticket);
	return NULL;
}

/*
 * Below this, a second thread costs more than it saves (each ticket takes
 * about 25 ns).
 */
#define TICKETS_SPLIT	65536

void
dsr_tickets(const unsigned char key[DSR_TICKET_KEY_BYTES],
    struct dsr_target *v, size_t n)
{
	struct tickets_part	 first = { key, v, n / 2 };
	struct tickets_part	 second = { key, v + n / 2, n - n / 2 };
	pthread_t		 t;

	/* The second half on a second thread, where there is one. */
	if (n >= TICKETS_SPLIT &&
	    pthread_create(&t, NULL, tickets_part, &second) == 0) {
		tickets_part(&first);
		pthread_join(t, NULL);
		return;
	}
	first.n = n;
	tickets_part(&first);
}

int
dsr_target_cmp(const struct dsr_target *a, const struct dsr_target *b)
{
	int	 c;

	if ((c = memcmp(a->ticket, b->ticket, DSR_TICKET_BYTES)) != 0)
		return c;
	/* strcmp compares as unsigned char: the id's bytes, a prefix first. */
	return strcmp(a->id, b->id);
}

/* The first bits of a ticket (big-endian, so prefix order is ticket order). */
static uint32_t
prefix(const struct dsr_target *t, unsigned int bits)
{
	uint32_t	 top;

	if (bits == 0)
		return 0;
	top = (uint32_t)t->ticket[0] << 24 | (uint32_t)t->ticket[1] << 16 |
	    (uint32_t)t->ticket[2] << 8 | (uint32_t)t->ticket[3];
	return top >> (32 - bits);
}

/* Enough prefix bits for about PREFIX_PER of n items a bucket. */
static unsigned int
prefix_bits(size_t n)
{
	unsigned int	 bits = 0;

	while (bits < PREFIX_BITS_MAX &&
	    ((size_t)PREFIX_PER << (bits + 1)) <= n)
		bits++;
	return bits;
}

static void
sift_down(const struct dsr_target *v, size_t *a, size_t root, size_t n)
{
	size_t	 child, tmp;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n &&
		    dsr_target_cmp(&v[a[child]], &v[a[child + 1]]) < 0)
			child++;
		if (dsr_target_cmp(&v[a[root]], &v[a[child]]) >= 0)
			return;
		tmp = a[root];
		a[root] = a[child];
		a[child] = tmp;
		root = child;
	}
}

/* Sorts indices a[0..n) by (ticket, id) of the targets they name. */
static void
sort_run(const struct dsr_target *v, size_t *a, size_t n)
{
	size_t	 i, j, x, tmp;

	if (n <= INSERTION_MAX) {
		for (i = 1; i < n; i++) {
			x = a[i];
			for (j = i; j > 0 &&
			    dsr_target_cmp(&v[a[j - 1]], &v[x]) > 0; j--)
				a[j] = a[j - 1];
			a[j] = x;
		}
		return;
	}
	for (i = n / 2; i > 0; i--)
		sift_down(v, a, i - 1, n);
	for (i = n - 1; i > 0; i--) {
		tmp = a[0];
		a[0] = a[i];
		a[i] = tmp;
		sift_down(v, a, 0, i);
	}
}

/*
 * Per stratum the n_h smallest by (ticket, id), without sorting the
 * stratum: a histogram of ticket prefixes finds the bucket holding the
 * n_h-th smallest; everything in lower buckets is selected, and only that
 * bucket's few targets are sorted to pick the rest. The selected are then
 * placed by a global prefix (counting sort) and each small bucket sorted.
 * Three sequential passes over v; extra memory is one index per selected
 * target plus histograms of about one counter per PREFIX_PER targets.
 */
int
dsr_select(const struct dsr_target *v, size_t n, const uint64_t *sample,
    size_t nstrata, size_t **out, size_t *nout)
{
	struct stratum {
		uint64_t	 size;		/* N_h */
		unsigned int	 bits;		/* prefix bits of hist */
		uint32_t	 cut;		/* the bucket of the n_h-th */
		uint64_t	 need;		/* taken from bucket cut */
		size_t		 cand;		/* its candidates in cand[] */
		size_t		 ncand;
		uint32_t	*hist;
	}		*st = NULL, *s;
	size_t		*cand = NULL, *pos = NULL, *sel = NULL;
	size_t		 i, h, total = 0, ncand = 0, nbucket, w;
	uint64_t	 below;
	uint32_t	 p, b;
	unsigned int	 gbits;
	int		 ret = -1;

	st = xcalloc(nstrata ? nstrata : 1, sizeof(*st));
	for (i = 0; i < n; i++) {
		if (v[i].stratum >= nstrata)
			goto out;
		st[v[i].stratum].size++;
	}
	for (h = 0; h < nstrata; h++) {
		if (sample[h] > st[h].size)
			goto out;
		total += (size_t)sample[h];
	}

	/* Pass 1: histograms of the strata drawn in part. */
	for (h = 0; h < nstrata; h++) {
		s = &st[h];
		if (sample[h] == 0 || sample[h] == s->size)
			continue;
		s->bits = prefix_bits((size_t)s->size);
		s->hist = xcalloc((size_t)1 << s->bits, sizeof(*s->hist));
	}
	for (i = 0; i < n; i++) {
		s = &st[v[i].stratum];
		if (s->hist != NULL)
			s->hist[prefix(&v[i], s->bits)]++;
	}
	for (h = 0; h < nstrata; h++) {
		s = &st[h];
		if (s->hist == NULL)
			continue;
		for (b = 0, below = 0; below + s->hist[b] < sample[h]; b++)
			below += s->hist[b];
		s->cut = b;
		s->need = sample[h] - below;
		s->cand = ncand;
		ncand += s->hist[b];
	}

	/*
	 * Pass 2: the candidates, and a histogram of the selected by the
	 * global prefix (the candidates that win are added after sorting).
	 */
	gbits = prefix_bits(total);
	nbucket = (size_t)1 << gbits;
	pos = xcalloc(nbucket + 1, sizeof(*pos));
	cand = xreallocarray(NULL, ncand ? ncand : 1, sizeof(*cand));
	for (i = 0; i < n; i++) {
		h = v[i].stratum;
		s = &st[h];
		if (sample[h] == 0)
			continue;
		if (s->hist != NULL && (p = prefix(&v[i], s->bits)) >= s->cut) {
			if (p == s->cut)
				cand[s->cand + s->ncand++] = i;
			continue;
		}
		pos[prefix(&v[i], gbits) + 1]++;
	}
	for (h = 0; h < nstrata; h++) {
		s = &st[h];
		if (s->hist == NULL)
			continue;
		sort_run(v, cand + s->cand, s->ncand);
		for (i = 0; i < s->need; i++)
			pos[prefix(&v[cand[s->cand + i]], gbits) + 1]++;
	}
	for (b = 0; b < nbucket; b++)
		pos[b + 1] += pos[b];

	/* Pass 3: place the selected by global prefix; sort each bucket. */
	sel = xreallocarray(NULL, total ? total : 1, sizeof(*sel));
	for (i = 0; i < n; i++) {
		h = v[i].stratum;
		s = &st[h];
		if (sample[h] == 0 || (s->hist != NULL &&
		    prefix(&v[i], s->bits) >= s->cut))
			continue;
		sel[pos[prefix(&v[i], gbits)]++] = i;
	}
	for (h = 0; h < nstrata; h++) {
		s = &st[h];
		for (i = 0; s->hist != NULL && i < s->need; i++) {
			w = cand[s->cand + i];
			sel[pos[prefix(&v[w], gbits)]++] = w;
		}
	}
	/*
	 * pos[b] is now the end of bucket b, the start of bucket b + 1. The
	 * targets of a bucket lie anywhere in v: ask for the next bucket's
	 * while this one is sorted, or the sort waits on memory.
	 */
	for (b = 0, w = 0; b < nbucket; w = pos[b], b++) {
		for (i = pos[b]; b + 1 < nbucket && i < pos[b + 1]; i++)
			PREFETCH(&v[sel[i]]);
		sort_run(v, sel + w, pos[b] - w);
	}

	*out = sel;
	*nout = total;
	sel = NULL;
	ret = 0;
out:
	for (h = 0; st != NULL && h < nstrata; h++)
		free(st[h].hist);
	free(st);
	free(cand);
	free(pos);
	free(sel);
	return ret;
}

/*
 * dsr_pick: per stratum, a buffer of the targets that may still be among
 * the sample[h] smallest by (ticket, id). When it holds twice the sample,
 * the sample's smallest are kept and the largest ticket prefix among them
 * becomes a bound: a later target over it is turned away after one
 * compare of integers -- nearly every target of a province, where some
 * n_h * (1 + ln(N_h / n_h)) are kept in all.
 */
struct pick_entry {
	uint64_t		 prefix;	/* the ticket's first 8 bytes */
	uint64_t		 pos;		/* the order added; then an index */
	struct dsr_target	 t;
};

/* The most entries a stratum makes room for before any come. */
#define PICK_ROOM	((size_t)1 << 20)

struct pick_stratum {
	struct pick_entry	*v;
	size_t			 n, cap;
	uint64_t		 sample;
	uint64_t		 seen;
	uint64_t		 bound;		/* no prefix over it can be drawn */
	int			 guessed;	/* bound from the population */
};

struct dsr_pick {
	struct pick_stratum	 h[DSR_MAX_STRATA];
	size_t			 nstrata;
};

int64_t	dsr_pick_spare = 64;

/*
 * A bound below which a stratum of population targets expects its
 * sample, eight standard deviations and dsr_pick_spare more: tickets
 * are uniform, so about population * bound / 2^64 fall below it.
 */
static uint64_t
first_bound(uint64_t sample, uint64_t population)
{
	uint64_t	 root = 0;
	int64_t		 want;

	if (sample > (uint64_t)INT64_MAX / 2)
		return UINT64_MAX;
	while ((root + 1) * (root + 1) <= sample)
		root++;
	want = (int64_t)(sample + 8 * root) + dsr_pick_spare;
	if (want < 0)
		want = 0;
	if (population == 0 || (uint64_t)want >= population)
		return UINT64_MAX;
	return UINT64_MAX / population * (uint64_t)want;
}

struct dsr_pick *
dsr_pick_new(const uint64_t *sample, const uint64_t *population,
    size_t nstrata)
{
	struct dsr_pick	*p;
	size_t		 h;

	if (nstrata > DSR_MAX_STRATA)
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->nstrata = nstrata;
	for (h = 0; h < nstrata; h++) {
		p->h[h].sample = sample[h];
		p->h[h].bound = population != NULL ?
		    first_bound(sample[h], population[h]) : UINT64_MAX;
		p->h[h].guessed = p->h[h].bound != UINT64_MAX;
	}
	return p;
}

static int
entry_less(const struct pick_entry *a, const struct pick_entry *b)
{
	if (a->prefix != b->prefix)
		return a->prefix < b->prefix;
	return dsr_target_cmp(&a->t, &b->t) < 0;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct pick_entry	*x = a, *y = b;

	return entry_less(x, y) ? -1 : entry_less(y, x);
}

static void
entry_swap(struct pick_entry *a, struct pick_entry *b)
{
	struct pick_entry	 t = *a;

	*a = *b;
	*b = t;
}

/*
 * Puts the k smallest of v[0..n) first, in no order: quickselect, the
 * median of three as pivot (targets are distinct: (ticket, id) is a total
 * order); past a depth of 2 log2 n the rest is sorted, so that no input
 * is quadratic.
 */
static void
keep_smallest(struct pick_entry *v, size_t n, size_t k)
{
	size_t		 lo = 0, hi = n, mid, i, store;
	unsigned int	 depth = 0, limit = 0;

	for (i = n; i > 1; i >>= 1)
		limit += 2;
	while (hi - lo > 1 && lo != k && hi != k) {
		if (depth++ > limit) {
			qsort(v + lo, hi - lo, sizeof(*v), entry_cmp);
			return;
		}
		mid = lo + (hi - lo) / 2;
		if (entry_less(&v[mid], &v[lo]))
			entry_swap(&v[mid], &v[lo]);
		if (entry_less(&v[hi - 1], &v[mid])) {
			entry_swap(&v[hi - 1], &v[mid]);
			if (entry_less(&v[mid], &v[lo]))
				entry_swap(&v[mid], &v[lo]);
		}
		entry_swap(&v[mid], &v[hi - 1]);	/* the pivot, last */
		for (i = lo, store = lo; i < hi - 1; i++)
			if (entry_less(&v[i], &v[hi - 1]))
				entry_swap(&v[i], &v[store++]);
		entry_swap(&v[store], &v[hi - 1]);
		if (store < k)
			lo = store + 1;
		else
			hi = store;
	}
}

/* Only the sample's smallest kept; the bound lowered to their largest. */
static void
pick_trim(struct pick_stratum *h)
{
	size_t	 i, k = (size_t)h->sample;

	keep_smallest(h->v, h->n, k);
	h->n = k;
	h->guessed = 0;
	h->bound = 0;
	for (i = 0; i < k; i++)
		if (h->v[i].prefix > h->bound)
			h->bound = h->v[i].prefix;
}

/* An entry into h unless over its bound: t's prefix given, its place pos. */
static void
pick_put(struct pick_stratum *h, uint64_t prefix, uint64_t pos,
    const struct dsr_target *t)
{
	struct pick_entry	*e;

	if (prefix > h->bound)
		return;
	if (h->n == h->cap) {
		/* grown as targets come: a sample may be larger than its stratum */
		if (h->sample <= SIZE_MAX / 4 && h->n >= 2 * h->sample) {
			pick_trim(h);
			if (prefix > h->bound)
				return;
		} else if (h->cap == 0) {
			/*
			 * Room for all it holds between trims (up to a
			 * province's), touched only as it fills: on huge
			 * pages, since here a page's first touch costs more
			 * than its use.
			 */
			h->cap = h->sample < PICK_ROOM / 2 ?
			    2 * (size_t)h->sample : PICK_ROOM;
			h->v = xmalloc_huge(h->cap, sizeof(*h->v));
		} else {
			h->cap = h->cap > 0 ? 2 * h->cap : 64;
			h->v = xreallocarray(h->v, h->cap, sizeof(*h->v));
		}
	}
	e = &h->v[h->n++];
	e->prefix = prefix;
	e->pos = pos;
	e->t = *t;
}

int
dsr_pick_add(struct dsr_pick *p, const struct dsr_target *t, uint64_t pos)
{
	struct pick_stratum	*h;
	uint64_t		 prefix = 0;
	size_t			 i;

	if (t->stratum >= p->nstrata)
		return -1;
	h = &p->h[t->stratum];
	h->seen++;
	if (h->sample == 0)
		return 0;
	for (i = 0; i < 8; i++)
		prefix = prefix << 8 | t->ticket[i];
	pick_put(h, prefix, pos, t);
	return 0;
}

void
dsr_pick_merge(struct dsr_pick *p, struct dsr_pick *from)
{
	struct pick_stratum	*h, *f;
	size_t			 k, i;

	for (k = 0; k < p->nstrata && k < from->nstrata; k++) {
		h = &p->h[k];
		f = &from->h[k];
		h->seen += f->seen;
		for (i = 0; i < f->n; i++)
			pick_put(h, f->v[i].prefix, f->v[i].pos, &f->v[i].t);
	}
	dsr_pick_free(from);
}

/*
 * dsr_pick_finish's two orders, as records sort_bytes sorts by their
 * first bytes: by place (pos, big-endian), naming the entry (its
 * stratum in the top byte, its index below); by (ticket, id) as
 * entry_less, naming the target's index in *targets. Ids are NUL-padded
 * from their first NUL: strcmp's order.
 */
#define BY_PLACE	16
#define BY_TICKET_KEY	(DSR_TICKET_BYTES + DSR_ID_MAX + 1)
#define BY_TICKET	(BY_TICKET_KEY + 8)

int
dsr_pick_finish(struct dsr_pick *p, struct dsr_target **targets,
    size_t **sel, size_t *n)
{
	const struct pick_entry	*e;
	struct dsr_target	*t;
	unsigned char		*place, *ticket, *r;
	uint64_t		 at;
	size_t			*s, h, i, j, idlen, total = 0;

	for (h = 0; h < p->nstrata; h++) {
		if (p->h[h].seen < p->h[h].sample)
			return -1;
		if (p->h[h].guessed && p->h[h].n < p->h[h].sample)
			return 1;
	}
	for (h = 0; h < p->nstrata; h++) {
		if (p->h[h].n > p->h[h].sample)
			pick_trim(&p->h[h]);
		total += p->h[h].n;
	}
	place = xreallocarray(NULL, total > 0 ? total : 1, BY_PLACE);
	for (h = 0, r = place; h < p->nstrata; h++)
		for (j = 0; j < p->h[h].n; j++, r += BY_PLACE) {
			num_put_be64(r, p->h[h].v[j].pos);
			num_put_be64(r + 8, (uint64_t)h << 56 | j);
		}
	sort_bytes(place, total, BY_PLACE, 8);
	/* The targets in the order of their places; then their order. */
	t = xreallocarray(NULL, total > 0 ? total : 1, sizeof(*t));
	ticket = xcalloc(total > 0 ? total : 1, BY_TICKET);
	for (i = 0, r = ticket; i < total; i++, r += BY_TICKET) {
		at = num_get_be64(place + i * BY_PLACE + 8);
		e = &p->h[at >> 56].v[at & (((uint64_t)1 << 56) - 1)];
		t[i] = e->t;
		idlen = strlen(e->t.id);
		memcpy(r, e->t.ticket, DSR_TICKET_BYTES);
		memcpy(r + DSR_TICKET_BYTES, e->t.id, idlen);
		num_put_be64(r + BY_TICKET_KEY, i);
	}
	free(place);
	sort_bytes(ticket, total, BY_TICKET, BY_TICKET_KEY);
	s = xreallocarray(NULL, total > 0 ? total : 1, sizeof(*s));
	for (i = 0; i < total; i++)
		s[i] = (size_t)num_get_be64(ticket + i * BY_TICKET + BY_TICKET_KEY);
	free(ticket);
	*targets = t;
	*sel = s;
	*n = total;
	return 0;
}

void
dsr_pick_free(struct dsr_pick *p)
{
	size_t	 h;

	if (p == NULL)
		return;
	for (h = 0; h < p->nstrata; h++)
		free(p->h[h].v);
	free(p);
}

void
dsr_stream_init(struct dsr_stream *s,
    const unsigned char key[DSR_STREAM_KEY_BYTES])
{
	memset(s, 0, sizeof(*s));
	memcpy(s->key, key, DSR_STREAM_KEY_BYTES);
}

uint32_t
dsr_stream_u32(struct dsr_stream *s)
{
	static const unsigned char	 nonce[CRYPTO_CHACHA20_NONCEBYTES];
	const unsigned char		*p;

	if (s->pos == s->len) {
		/* The 32-bit counter wrapped: all 2^32 blocks are used. */
		if (s->block == 0 && s->words != 0)
			fatalx("dsr: the stream is exhausted");
		crypto_chacha20_ietf_stream(s->buf, sizeof(s->buf), nonce,
		    s->block, s->key);
		s->block += sizeof(s->buf) / CRYPTO_CHACHA20_BLOCKBYTES;
		s->pos = 0;
		s->len = sizeof(s->buf);
	}
	p = s->buf + s->pos;
	s->pos += 4;
	s->words++;
	return num_get_le32(p);
}

/* libsodium's randombytes_uniform: reject below 2^32 mod n, then mod n. */
uint32_t
dsr_uniform(struct dsr_stream *s, uint32_t n)
{
	uint32_t	 lo, w;

	if (n < 2)
		return 0;
	lo = (uint32_t)(0U - n) % n;
	do
		w = dsr_stream_u32(s);
	while (w < lo);
	return w % n;
}

void
dsr_stream_wipe(struct dsr_stream *s)
{
	crypto_wipe(s, sizeof(*s));
}
