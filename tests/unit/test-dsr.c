/*
 * Unit tests of DSR-1's arithmetic: the primitives against published
 * vectors, the sample sizes rule by rule, the selection against a naive
 * sort, the distributions of the selection and of the stream by
 * chi-square tests, and everything against
 * tests/vectors/dsr1-primitives.txt.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto.h"
#include "dsr.h"
#include "ident.h"
#include "xmalloc.h"

#define VECTORS	"tests/vectors/dsr1-primitives.txt"

static void	unhex(const char *, unsigned char *, size_t);
static void	assert_hex(const unsigned char *, size_t, const char *);
static uint64_t	prng(uint64_t *);
static char	*srcpath(const char *);
static int	naive_cmp(const void *, const void *);
static void	naive_select(const struct dsr_target *, size_t,
		    const uint64_t *, size_t, size_t **, size_t *);
static void	check_select(const struct dsr_target *, size_t,
		    const uint64_t *, size_t);
static void	make_id(char *, uint64_t, int);

static void
unhex(const char *s, unsigned char *out, size_t n)
{
	assert_int_equal(crypto_unhex(s, out, n), 0);
}

static void
assert_hex(const unsigned char *p, size_t n, const char *want)
{
	char	 hex[2 * 128 + 1];

	assert_true(n <= 128);
	crypto_hex(p, n, hex);
	assert_string_equal(hex, want);
}

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

/* A file of the source tree, wherever the test runs from. */
static char *
srcpath(const char *rel)
{
	const char	*me = __FILE__;
	const char	*tail = "tests/unit/test-dsr.c";
	size_t		 n = strlen(me) - strlen(tail);

	return xasprintf("%.*s%s", (int)n, me, rel);
}

/*
 * SipHash-2-4-128: vectors_sip128 of the reference implementation
 * (github.com/veorq/SipHash, vectors.h): key 00..0f, message 00..(i-1).
 */
static const char *const sip128[64] = {
	"a3817f04ba25a8e66df67214c7550293", "da87c1d86b99af44347659119b22fc45",
	"8177228da4a45dc7fca38bdef60affe4", "9c70b60c5267a94e5f33b6b02985ed51",
	"f88164c12d9c8faf7d0f6e7c7bcd5579", "1368875980776f8854527a07690e9627",
	"14eeca338b208613485ea0308fd7a15e", "a1f1ebbed8dbc153c0b84aa61ff08239",
	"3b62a9ba6258f5610f83e264f31497b4", "264499060ad9baabc47f8b02bb6d71ed",
	"00110dc378146956c95447d3f3d0fbba", "0151c568386b6677a2b4dc6f81e5dc18",
	"d626b266905ef35882634df68532c125", "9869e247e9c08b10d029934fc4b952f7",
	"31fcefac66d7de9c7ec7485fe4494902", "5493e99933b0a8117e08ec0f97cfc3d9",
	"6ee2a4ca67b054bbfd3315bf85230577", "473d06e8738db89854c066c47ae47740",
	"a426e5e423bf4885294da481feaef723", "78017731cf65fab074d5208952512eb1",
	"9e25fc833f2290733e9344a5e83839eb", "568e495abe525a218a2214cd3e071d12",
	"4a29b54552d16b9a469c10528eff0aae", "c9d184ddd5a9f5e0cf8ce29a9abf691c",
	"2db479ae78bd50d8882a8a178a6132ad", "8ece5f042d5e447b5051b9eacb8d8f6f",
	"9c0b53b4b3c307e87eaee08678141f66", "abf248af69a6eae4bfd3eb2f129eeb94",
	"0664da1668574b88b935f3027358aef4", "aa4b9dc4bf337de90cd4fd3c467c6ab7",
	"ea5c7f471faf6bde2b1ad7d4686d2287", "2939b0183223fafc1723de4f52c43d35",
	"7c3956ca5eeafc3e363e9d556546eb68", "77c6077146f01c32b6b69d5f4ea9ffcf",
	"37a6986cb8847edf0925f0f1309b54de", "a705f0e69da9a8f907241a2e923c8cc8",
	"3dc47d1f29c448461e9e76ed904f6711", "0d62bf01e6fc0e1a0d3c4751c5d3692b",
	"8c03468bca7c669ee4fd5e084bbee7b5", "528a5bb93baf2c9c4473cce5d0d22bd9",
	"df6a301e95c95dad97ae0cc8c6913bd8", "801189902c857f39e73591285e70b6db",
	"e617346ac9c231bb3650ae34ccca0c5b", "27d93437efb721aa401821dcec5adf89",
	"89237d9ded9c5e78d8b1c9b166cc7342", "4a6d8091bf5e7d651189fa94a250b14c",
	"0e33f96055e7ae893ffc0e3dcf492902", "e61c432b720b19d18ec8d84bdc63151b",
	"f7e5aef549f782cf379055a608269b16", "438d030fd0b7a54fa837f2ad201a6403",
	"a590d3ee4fbf04e3247e0d27f286423f", "5fe2c1a172fe93c4b15cd37caef9f538",
	"2c97325cbd06b36eb2133dd08b3a017c", "92c814227a6bca949ff0659f002ad39e",
	"dce850110bd8328cfbd50841d6911d87", "67f14984c7da791248e32bb5922583da",
	"1938f2cf72d54ee97e94166fa91d2a36", "74481e9646ed49fe0f6224301604698e",
	"57fca5de98a9d6d8006438d0583d8a1d", "9fecde1cefdc1cbed4763674d9575359",
	"e3040c00eb28f15366ca73cbd872e740", "7697009a6a831dfecca91c5993670f7a",
	"5853542321f567a005d547a4f04759bd", "5150d1772f50834a503e069a973fbd7c",
};

static void
test_dsr__siphash_reference_vectors(void **state)
{
	unsigned char	 key[16], msg[64], out[16];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)i;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)i;
	for (i = 0; i < 64; i++) {
		crypto_siphash128(out, msg, i, key);
		assert_hex(out, sizeof(out), sip128[i]);
		/* A ticket is exactly this function of the id's bytes. */
		dsr_ticket(key, (const char *)msg, i, out);
		assert_hex(out, sizeof(out), sip128[i]);
	}
}

/*
 * crypto_kdf_derive_from_key: libsodium's test/default/kdf.exp (master key
 * 00..1f, context "KDF test"; the lines for id 0 at 64 bytes, id 16 at 16
 * and id 32 at 32), which Python's hashlib.blake2b(key=, salt=, person=)
 * reproduces as docs/protocol.md section 6 says.
 */
static void
test_dsr__kdf_vectors(void **state)
{
	unsigned char	 key[32], out[64];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)i;
	crypto_kdf_blake2b(out, 64, 0, "KDF test", key);
	assert_hex(out, 64, "a0c724404728c8bb95e5433eb6a9716171144d61efb23e74"
	    "b873fcbeda51d8071b5d70aae12066dfc94ce943f145aa176c055040c3dd73b0"
	    "a15e36254d450614");
	crypto_kdf_blake2b(out, 16, 16, "KDF test", key);
	assert_hex(out, 16, "a529216624ef9161e4cf117272aafff2");
	crypto_kdf_blake2b(out, 32, 32, "KDF test", key);
	assert_hex(out, 32, "154b291f11196737f8b7f491e4ca11764e0227d34f942954"
	    "08a869f007aa8618");
}

/* The subkeys are the KDF with the contexts and ids of section 6. */
static void
test_dsr__subkeys_are_the_kdf(void **state)
{
	unsigned char	 seed[32], a[32], b[32];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (unsigned char)(0xa0 + i);
	dsr_ticket_key(seed, a);
	crypto_kdf_blake2b(b, 16, 1, "DSR1TICK", seed);
	assert_memory_equal(a, b, 16);
	dsr_team_key(seed, a);
	crypto_kdf_blake2b(b, 32, 2, "DSR1TEAM", seed);
	assert_memory_equal(a, b, 32);
	dsr_replace_key(seed, 7, a);
	crypto_kdf_blake2b(b, 32, 7, "DSR1REPL", seed);
	assert_memory_equal(a, b, 32);
}

/* RFC 8439 section 2.4.2: the sunscreen text under counter 1. */
static void
test_dsr__chacha20_rfc8439(void **state)
{
	static const char	 pt[] = "Ladies and Gentlemen of the class of "
	    "'99: If I could offer you only one tip for the future, sunscreen "
	    "would be it.";
	unsigned char		 key[32], nonce[12], ks[sizeof(pt) - 1];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)i;
	unhex("000000000000004a00000000", nonce, sizeof(nonce));
	crypto_chacha20_ietf_stream(ks, sizeof(ks), nonce, 1, key);
	for (i = 0; i < sizeof(ks); i++)
		ks[i] ^= (unsigned char)pt[i];
	assert_hex(ks, 64, "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c2"
	    "0a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b3571639d624e65152ab"
	    "8f530c359f0861d8");
	assert_hex(ks + 64, sizeof(ks) - 64, "07ca0dbf500d6a6156a38e088a22b6"
	    "5e52bc514d16ccf806818ce91ab77937365af90bbf74a35be6b40b8eedf2785e4"
	    "2874d");
}

/*
 * libsodium's randombytes_buf_deterministic is this stream under the nonce
 * "LibsodiumDRG"; seed 00..1f gives these 100 bytes (pyca/pynacl
 * tests/test_utils.py, test_deterministic_random_bytes).
 */
static void
test_dsr__chacha20_libsodium_drg(void **state)
{
	unsigned char	 key[32], out[100];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)i;
	crypto_chacha20_ietf_stream(out, sizeof(out),
	    (const unsigned char *)"LibsodiumDRG", 0, key);
	assert_hex(out, 50, "0d8e6cc68715648926732e7ea73250cfaf2d58422083904c"
	    "841a8ba33b986111f346ba50723a68ae283524a6bded09f83be6");
	assert_hex(out + 50, 50, "b80595856f72e25b86918e8b114bafb94bc8abedd73"
	    "daab454576b7c5833eb0bf982a1bb4587a5c970ff0810ca3b791d7e12");
}

/*
 * RFC 8439 appendix A.1, test vector 1 (key and nonce zero, counter 0) is
 * the stream under a zero key: its words are the keystream read
 * little-endian.
 */
static void
test_dsr__stream_words_are_little_endian(void **state)
{
	static const uint32_t	 want[16] = {
		0xade0b876, 0x903df1a0, 0xe56a5d40, 0x28bd8653,
		0xb819d2bd, 0x1aed8da0, 0xccef36a8, 0xc70d778b,
		0x7c5941da, 0x8d485751, 0x3fe02477, 0x374ad8b8,
		0xf4b8436a, 0x1ca11815, 0x69b687c3, 0x8665eeb2,
	};
	struct dsr_stream	 s;
	unsigned char		 key[32];
	size_t			 i;

	(void)state;
	memset(key, 0, sizeof(key));
	dsr_stream_init(&s, key);
	for (i = 0; i < 16; i++)
		assert_int_equal(dsr_stream_u32(&s), want[i]);
	assert_int_equal(s.words, 16);
	dsr_stream_wipe(&s);
}

/* Refills continue the keystream exactly, across the buffer's end. */
static void
test_dsr__stream_is_continuous(void **state)
{
	static const unsigned char	 zero[12];
	struct dsr_stream		 s;
	unsigned char			 key[32], *ks;
	size_t				 i, n = 3 * sizeof(s.buf) + 64;
	uint32_t			 w;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(i * 7 + 1);
	ks = xmalloc(n);
	crypto_chacha20_ietf_stream(ks, n, zero, 0, key);
	dsr_stream_init(&s, key);
	for (i = 0; i < n; i += 4) {
		w = (uint32_t)ks[i] | (uint32_t)ks[i + 1] << 8 |
		    (uint32_t)ks[i + 2] << 16 | (uint32_t)ks[i + 3] << 24;
		assert_int_equal(dsr_stream_u32(&s), w);
	}
	assert_int_equal(s.words, n / 4);
	dsr_stream_wipe(&s);
	free(ks);
}

/*
 * Worked by hand from the zero-key words above: word 5 is 0x1aed8da0 =
 * 451775904, below lo = 2^32 mod (2^31 + 1) = 2147483647, so it is
 * rejected; word 6 is 0xccef36a8 = 3438229160, and 3438229160 mod
 * 2147483649 = 1290745511.
 */
static void
test_dsr__uniform_rejects_below_lo(void **state)
{
	struct dsr_stream	 s;
	unsigned char		 key[32];
	size_t			 i;

	(void)state;
	memset(key, 0, sizeof(key));
	dsr_stream_init(&s, key);
	for (i = 0; i < 5; i++)
		(void)dsr_stream_u32(&s);
	assert_int_equal(dsr_uniform(&s, 2147483649U), 1290745511U);
	assert_int_equal(s.words, 7);
	/* n = 1 reads nothing; 0xc70d778b = 3339548555 mod 7 = 1. */
	assert_int_equal(dsr_uniform(&s, 1), 0);
	assert_int_equal(s.words, 7);
	assert_int_equal(dsr_uniform(&s, 7), 3339548555U % 7);
	assert_int_equal(s.words, 8);
	/* lo = 1 for 2^32 - 1: 0x7c5941da is kept. */
	assert_int_equal(dsr_uniform(&s, 4294967295U), 0x7c5941daU);
	dsr_stream_wipe(&s);
}

/* Every input moves the seed; the encoding keeps boundaries apart. */
static void
test_dsr__seed_binds_every_input(void **state)
{
	unsigned char		 c[32], b[32], k[32], s0[32], s1[32];
	struct dsr_reveal	 r[2] = {
		{ "ab", (const unsigned char *)"c", 1 },
		{ "x", (const unsigned char *)"", 0 },
	};
	struct dsr_reveal	 moved[2] = {
		{ "a", (const unsigned char *)"bc", 2 },
		{ "x", (const unsigned char *)"", 0 },
	};

	(void)state;
	memset(c, 1, sizeof(c));
	memset(b, 2, sizeof(b));
	memset(k, 3, sizeof(k));
	dsr_seed(c, b, r, 2, k, s0);
	dsr_seed(c, b, moved, 2, k, s1);
	assert_memory_not_equal(s0, s1, 32);
	dsr_seed(c, b, r, 1, k, s1);
	assert_memory_not_equal(s0, s1, 32);
	k[31] ^= 1;
	dsr_seed(c, b, r, 2, k, s1);
	assert_memory_not_equal(s0, s1, 32);
	k[31] ^= 1;
	dsr_seed(b, c, r, 2, k, s1);
	assert_memory_not_equal(s0, s1, 32);
	dsr_seed(c, b, r, 2, k, s1);
	assert_memory_equal(s0, s1, 32);
}

static uint64_t
size_of(uint64_t n, uint64_t num, uint64_t den, int64_t min, int64_t max)
{
	uint64_t	 out = 12345;

	assert_int_equal(dsr_sample_size(n, num, den, min, max, &out), 0);
	return out;
}

static void
test_dsr__sample_size_rules(void **state)
{
	uint64_t	 out;

	(void)state;
	/* N = 0: nothing to draw, whatever the minimum. */
	assert_int_equal(size_of(0, 5, 100, -1, -1), 0);
	assert_int_equal(size_of(0, 5, 100, 3, -1), 0);
	/* N = 1: any positive ratio rounds up to the one target. */
	assert_int_equal(size_of(1, 5, 100, -1, -1), 1);
	assert_int_equal(size_of(1, 1, 1000000, -1, -1), 1);
	/* Ratio 0: none, unless a minimum says otherwise. */
	assert_int_equal(size_of(100, 0, 100, -1, -1), 0);
	assert_int_equal(size_of(100, 0, 100, 2, -1), 2);
	/* 100 %, with and without a maximum. */
	assert_int_equal(size_of(10, 100, 100, -1, -1), 10);
	assert_int_equal(size_of(10, 1, 1, -1, 4), 4);
	/* A minimum above N takes everyone. */
	assert_int_equal(size_of(5, 1, 100, 8, -1), 5);
	/* The maximum is applied last. */
	assert_int_equal(size_of(1000, 3, 7, 10, 50), 50);
	assert_int_equal(size_of(1000, 1, 1000, 10, 5), 5);
	/* Ceil exactly at the boundary: 40 x 2.5 % = 1, 41 x 2.5 % = 1.025. */
	assert_int_equal(size_of(40, 25, 1000, -1, -1), 1);
	assert_int_equal(size_of(41, 25, 1000, -1, -1), 2);
	assert_int_equal(size_of(40, 1, 40, -1, -1), 1);
	assert_int_equal(size_of(80, 1, 40, -1, -1), 2);
	assert_int_equal(size_of(81, 1, 40, -1, -1), 3);
	/* An unreduced fraction is the same number. */
	assert_int_equal(size_of(1200, 5, 100, -1, -1), 60);
	assert_int_equal(size_of(1200, 1, 20, -1, -1), 60);
	/* The largest products that fit. */
	assert_int_equal(size_of(UINT64_MAX, 1, 1, -1, -1), UINT64_MAX);
	assert_int_equal(size_of(UINT64_MAX, 1, 3, -1, -1), UINT64_MAX / 3);
	assert_int_equal(size_of(UINT64_MAX / 2, 2, 2, -1, -1),
	    UINT64_MAX / 2);
	/* Overflow and nonsense are refused, not wrapped. */
	assert_int_equal(dsr_sample_size(UINT64_MAX / 2 + 1, 2, 2, -1, -1,
	    &out), -1);
	assert_int_equal(dsr_sample_size(UINT64_MAX, 99, 100, -1, -1, &out),
	    -1);
	assert_int_equal(dsr_sample_size(10, 1, 0, -1, -1, &out), -1);
	assert_int_equal(dsr_sample_size(10, 3, 2, -1, -1, &out), -1);
	assert_int_equal(dsr_sample_size(10, 1, 2, -2, -1, &out), -1);
	assert_int_equal(dsr_sample_size(10, 1, 2, -1, -7, &out), -1);
}

/* The naive reference: sort each stratum whole, then the union. */
static const struct dsr_target *naive_v;

static int
naive_cmp(const void *a, const void *b)
{
	const struct dsr_target	*x = &naive_v[*(const size_t *)a];
	const struct dsr_target	*y = &naive_v[*(const size_t *)b];
	int			 c;

	if (x->stratum != y->stratum)
		return x->stratum < y->stratum ? -1 : 1;
	return (c = dsr_target_cmp(x, y)) != 0 ? c : 0;
}

static int
order_cmp(const void *a, const void *b)
{
	return dsr_target_cmp(&naive_v[*(const size_t *)a],
	    &naive_v[*(const size_t *)b]);
}

static void
naive_select(const struct dsr_target *v, size_t n, const uint64_t *sample,
    size_t nstrata, size_t **out, size_t *nout)
{
	size_t		*all, *sel, i, k = 0, start;

	all = xreallocarray(NULL, n + 1, sizeof(*all));
	sel = xreallocarray(NULL, n + 1, sizeof(*sel));
	for (i = 0; i < n; i++)
		all[i] = i;
	naive_v = v;
	qsort(all, n, sizeof(*all), naive_cmp);
	for (i = 0; i < n; i = start) {
		for (start = i; start < n &&
		    v[all[start]].stratum == v[all[i]].stratum; start++)
			if (start - i < sample[v[all[i]].stratum])
				sel[k++] = all[start];
	}
	(void)nstrata;
	qsort(sel, k, sizeof(*sel), order_cmp);
	free(all);
	*out = sel;
	*nout = k;
}

static int
index_cmp(const void *a, const void *b)
{
	size_t	 x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/*
 * v offered to picks of the samples: to one, or in blocks of 7 to two
 * merged at the end (as frame.c reads a file on two threads); with the
 * strata's populations, or none (NULL). dsr_pick_finish's result.
 */
static int
pick_run(const struct dsr_target *v, size_t n, const uint64_t *sample,
    const uint64_t *population, size_t nstrata, int parts,
    struct dsr_target **t, size_t **sel, size_t *nsel)
{
	struct dsr_pick		*p[2];
	size_t			 i;
	int			 k, rc;

	for (k = 0; k < parts; k++)
		assert_non_null(p[k] = dsr_pick_new(sample, population,
		    nstrata));
	for (i = 0; i < n; i++)
		assert_int_equal(dsr_pick_add(p[parts == 2 ? i / 7 % 2 : 0],
		    &v[i], i), 0);
	if (parts == 2)
		dsr_pick_merge(p[0], p[1]);
	rc = dsr_pick_finish(p[0], t, sel, nsel);
	dsr_pick_free(p[0]);
	return rc;
}

/* Rounds whose picks, given the populations, said to read them again. */
static size_t	picks_again;

/*
 * dsr_pick, fed v in order, selects what want (indices into v, in
 * selection order) names: its targets in v's order, and indices into
 * them in want's. Alike on one pick and split over two; and given the
 * populations, unless it says to read the targets again.
 */
static void
check_pick(const struct dsr_target *v, size_t n, const uint64_t *sample,
    size_t nstrata, const size_t *want, size_t nwant)
{
	struct dsr_target	*t;
	uint64_t		 population[DSR_MAX_STRATA];
	size_t			*sel, *in_order, nsel, i, run;
	int			 rc;

	memset(population, 0, sizeof(population));
	for (i = 0; i < n; i++)
		population[v[i].stratum]++;
	in_order = xreallocarray(NULL, nwant + 1, sizeof(*in_order));
	memcpy(in_order, want, nwant * sizeof(*want));
	qsort(in_order, nwant, sizeof(*in_order), index_cmp);
	for (run = 0; run < 4; run++) {
		rc = pick_run(v, n, sample, run >= 2 ? population : NULL,
		    nstrata, run % 2 + 1, &t, &sel, &nsel);
		if (rc == 1) {
			picks_again++;
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(nsel, nwant);
		for (i = 0; i < nsel; i++) {
			assert_string_equal(t[i].id, v[in_order[i]].id);
			assert_int_equal(t[i].stratum, v[in_order[i]].stratum);
			assert_memory_equal(t[i].ticket, v[in_order[i]].ticket,
			    DSR_TICKET_BYTES);
			assert_true(sel[i] < nsel);
			if (strcmp(t[sel[i]].id, v[want[i]].id) != 0)
				fail_msg("pick %zu, rank %zu: got '%s', want "
				    "'%s' (n %zu)", run, i + 1, t[sel[i]].id,
				    v[want[i]].id, n);
		}
		free(t);
		free(sel);
	}
	free(in_order);
}

static void
check_select(const struct dsr_target *v, size_t n, const uint64_t *sample,
    size_t nstrata)
{
	struct dsr_target	*copy;
	size_t			*got, *want, ngot, nwant, i;

	copy = xreallocarray(NULL, n + 1, sizeof(*copy));
	memcpy(copy, v, n * sizeof(*v));
	assert_int_equal(dsr_select(v, n, sample, nstrata, &got, &ngot), 0);
	assert_memory_equal(copy, v, n * sizeof(*v));
	naive_select(v, n, sample, nstrata, &want, &nwant);
	assert_int_equal(ngot, nwant);
	for (i = 0; i < ngot; i++)
		if (got[i] != want[i])
			fail_msg("rank %zu: got %zu, want %zu (n %zu)", i + 1,
			    got[i], want[i], n);
	check_pick(v, n, sample, nstrata, want, nwant);
	free(got);
	free(want);
	free(copy);
}

/* Distinct ids: 18-character USCC-like or 15-digit, from a number. */
static void
make_id(char *id, uint64_t x, int legacy)
{
	if (legacy)
		snprintf(id, DSR_ID_MAX + 1, "%015llu",
		    (unsigned long long)(x % 1000000000000000ULL));
	else
		snprintf(id, DSR_ID_MAX + 1, "913602%012llu",
		    (unsigned long long)(x % 1000000000000ULL));
}

static void
test_dsr__select_matches_naive_sort(void **state)
{
	struct dsr_target	*v;
	uint64_t		 seed = 20260408, sample[DSR_MAX_STRATA];
	uint64_t		 size[DSR_MAX_STRATA], r;
	size_t			 round, n, i, nstrata, h;
	int			 kind;

	(void)state;
	for (round = 0; round < 400; round++) {
		n = prng(&seed) % (round < 300 ? 300 : 5000);
		nstrata = 1 + prng(&seed) % (round % 10 == 0 ? DSR_MAX_STRATA :
		    6);
		kind = (int)(round % 4);
		v = xcalloc(n + 1, sizeof(*v));
		memset(size, 0, sizeof(size));
		for (i = 0; i < n; i++) {
			/* i in the id keeps every id distinct. */
			make_id(v[i].id, i * 1000003ULL + round, i % 5 == 0);
			v[i].stratum = (uint8_t)(prng(&seed) % nstrata);
			size[v[i].stratum]++;
			r = prng(&seed);
			memcpy(v[i].ticket, &r, 8);
			r = prng(&seed);
			memcpy(v[i].ticket + 8, &r, 8);
			/* Few distinct tickets: ties broken by id. */
			if (kind == 1)
				memset(v[i].ticket, (int)(r % 3), 16);
			/* One long shared prefix: a single fat bucket. */
			if (kind == 2)
				memset(v[i].ticket, 0x5a, 12);
		}
		for (h = 0; h < nstrata; h++) {
			r = prng(&seed) % 6;
			sample[h] = r == 0 ? 0 : r == 1 ? size[h] :
			    r == 2 && size[h] > 0 ? size[h] - 1 :
			    prng(&seed) % (size[h] + 1);
		}
		check_select(v, n, sample, nstrata);
		free(v);
	}
	/*
	 * The tickets that share a long prefix are over the populations'
	 * bounds: those picks said to read again, and only some.
	 */
	assert_true(picks_again > 0 && picks_again < 400);
}

/* A large draw, most strata in part: the same as the naive sort. */
static void
test_dsr__select_large(void **state)
{
	struct dsr_target	*v;
	unsigned char		 key[16], t[DSR_TICKET_BYTES];
	uint64_t		 sample[5] = { 0 };
	size_t			 i, n = 200000;

	(void)state;
	memset(key, 7, sizeof(key));
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++) {
		make_id(v[i].id, i, i % 9 == 0);
		v[i].stratum = (uint8_t)(i % 7 == 0 ? 0 : 1 + i % 4);
		sample[v[i].stratum]++;
	}
	dsr_tickets(key, v, n);
	/* in two halves on two threads: each the ticket of its own id */
	for (i = 0; i < n; i = i + 997 < n || i == n - 1 ? i + 997 : n - 1) {
		dsr_ticket(key, v[i].id, strlen(v[i].id), t);
		assert_memory_equal(t, v[i].ticket, sizeof(t));
	}
	sample[1] = sample[1] * 5 / 100;
	sample[2] = sample[2] / 10;
	sample[3] = 1;
	sample[4] = 0;
	check_select(v, n, sample, 5);
	free(v);
}

/* dsr_pick refuses at target bad_add (n: at dsr_pick_finish). */
static void
pick_refused(const struct dsr_target *v, size_t n, const uint64_t *sample,
    size_t nstrata, size_t bad_add)
{
	struct dsr_pick		*p;
	struct dsr_target	*t = NULL;
	size_t			*sel = NULL, nsel = 0, i;

	assert_non_null(p = dsr_pick_new(sample, NULL, nstrata));
	for (i = 0; i < n; i++)
		assert_int_equal(dsr_pick_add(p, &v[i], i), i == bad_add ? -1 :
		    0);
	if (bad_add == n)
		assert_int_equal(dsr_pick_finish(p, &t, &sel, &nsel), -1);
	assert_null(t);
	assert_null(sel);
	dsr_pick_free(p);
}

static void
test_dsr__select_edges(void **state)
{
	struct dsr_target	 v[6];
	uint64_t		 sample[4] = { 0, 0, 0, 0 };
	size_t			*out = NULL, nout = 99, i;

	(void)state;
	memset(v, 0, sizeof(v));
	/* No targets at all. */
	assert_int_equal(dsr_select(v, 0, sample, 4, &out, &nout), 0);
	assert_int_equal(nout, 0);
	free(out);
	/* Equal tickets: the id decides, bytewise, a prefix first. */
	strcpy(v[0].id, "B");
	strcpy(v[1].id, "AB");
	strcpy(v[2].id, "A");
	strcpy(v[3].id, "a");
	strcpy(v[4].id, "AA");
	strcpy(v[5].id, "C");
	for (i = 0; i < 6; i++)
		v[i].stratum = i == 5 ? 3 : 1;
	/* Strata 0 and 2 are empty; stratum 1 is drawn whole. */
	sample[1] = 5;
	assert_int_equal(dsr_select(v, 6, sample, 4, &out, &nout), 0);
	assert_int_equal(nout, 5);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 4);
	assert_int_equal(out[2], 1);
	assert_int_equal(out[3], 0);
	assert_int_equal(out[4], 3);
	free(out);
	/* The ticket decides before the id. */
	v[3].ticket[15] = 0;
	v[0].ticket[0] = 1;
	sample[1] = 4;
	sample[3] = 1;
	assert_int_equal(dsr_select(v, 6, sample, 4, &out, &nout), 0);
	assert_int_equal(nout, 5);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 4);
	assert_int_equal(out[2], 1);
	assert_int_equal(out[3], 5);
	assert_int_equal(out[4], 3);
	free(out);
	/* A sample larger than its stratum, a stratum out of range. */
	sample[1] = 6;
	assert_int_equal(dsr_select(v, 6, sample, 4, &out, &nout), -1);
	sample[1] = 1;
	assert_int_equal(dsr_select(v, 6, sample, 3, &out, &nout), -1);
	sample[0] = 1;
	assert_int_equal(dsr_select(v, 6, sample, 4, &out, &nout), -1);
	/* The same refusals from the streaming selection. */
	pick_refused(v, 6, sample, 4, 6);
	sample[0] = 0;
	sample[1] = 6;
	pick_refused(v, 6, sample, 4, 6);
	sample[1] = 1;
	pick_refused(v, 6, sample, 3, 5);
	assert_null(dsr_pick_new(sample, NULL, DSR_MAX_STRATA + 1));
}

/*
 * The draw's distribution, by chi-square tests. Every statistic is held
 * against the chi-square quantile at significance 0.001 for its degrees
 * of freedom. Seeds and keys are fixed, so every run is the same run and
 * cannot flake; the controls further down show that the same statistics
 * do reject a biased selection.
 *
 * The quantiles are exact, computed with Python's standard library only:
 * bisection on the upper tail 1 - P(df / 2, x / 2), P the regularised
 * lower incomplete gamma function (its series below a + 1, Lentz's
 * continued fraction above, math.lgamma). They match the printed tables
 * (df 1: 10.828, 2: 13.816, 6: 22.458, 99: 148.230). Wilson-Hilferty,
 * df (1 - 2 / (9 df) + z sqrt(2 / (9 df)))^3 with z = 3.090232, is above
 * them by 0.33 at df 1 and 2, 0.22 at df 6, and under 0.2 from df 11.
 */
static const struct {
	size_t	 df;
	double	 x;
} chi2_table[] = {
	{ 1, 10.8276 }, { 2, 13.8155 }, { 6, 22.4577 }, { 11, 31.2641 },
	{ 34, 65.2472 }, { 36, 67.9852 }, { 49, 85.3506 }, { 99, 148.2304 },
};

static double
chi2_critical(size_t df)
{
	size_t	 i;

	for (i = 0; i < sizeof(chi2_table) / sizeof(chi2_table[0]); i++)
		if (chi2_table[i].df == df)
			return chi2_table[i].x;
	fail_msg("no chi-square quantile for df %zu", df);
	return 0;
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
 * A frame of three strata whose targets are interleaved as a registry
 * would list them: 37 at 1/8 (n = 5, a fraction that divides nothing),
 * 50 at 1/20 (n = 3) and 7 at 2/5 (n = 3, so that each of the C(7, 3) =
 * 35 possible samples of it can be counted).
 */
#define FREQ_STRATA	3
#define FREQ_TARGETS	94
#define FREQ_DRAWS	20000
#define FREQ_SUBSETS	35		/* C(7, 3) */
#define FREQ_LARGEST	50		/* the largest stratum */

struct freq {
	struct dsr_target	 v[FREQ_TARGETS];
	size_t			 member[FREQ_TARGETS];	/* within its stratum */
	uint64_t		 size[FREQ_STRATA];
	uint64_t		 sample[FREQ_STRATA];
	uint64_t		 count[FREQ_STRATA][FREQ_LARGEST];
	uint64_t		 subset[1 << 7];	/* stratum 2, by set */
	double			 incl[FREQ_STRATA];	/* the statistics */
	double			 joint;
};

/* A draw is the tickets, then the selection: the controls replace one. */
typedef void	(*freq_tickets)(const unsigned char *, struct dsr_target *,
		    size_t);
typedef int	(*freq_selector)(const struct dsr_target *, size_t,
		    const uint64_t *, size_t, size_t **, size_t *);

/* A valid USCC (both check characters) in one of Jingdezhen's divisions. */
static void
make_uscc(struct dsr_target *t, uint64_t *rng)
{
	static const uint32_t	 division[] = {
		360202, 360203, 360222, 360281,
	};
	static const char	 orgcheck[] = "0123456789X";
	uint64_t		 r = prng(rng);
	size_t			 i;
	char			 buf[32], want;

	t->division = division[r % 4];
	/*
	 * Through a larger buffer, as -Wformat-truncation cannot bound the
	 * division; both check characters are 0 until computed below.
	 */
	snprintf(buf, sizeof(buf), "91%06lu%08llu00",
	    (unsigned long)t->division,
	    (unsigned long long)((r >> 2) % 100000000ULL));
	assert_int_equal(strlen(buf), USCC_LEN);
	memcpy(t->id, buf, USCC_LEN + 1);
	for (i = 0; i < 11 && !uscc_orgcode_valid(t->id); i++)
		t->id[16] = orgcheck[i];
	assert_true(uscc_orgcode_valid(t->id));
	if (uscc_check(t->id, USCC_LEN, &want) == USCC_BAD_CHECK)
		t->id[17] = want;
	assert_int_equal(uscc_check(t->id, USCC_LEN, NULL), USCC_OK);
}

static void
freq_frame(struct freq *f)
{
	static const uint64_t	 quota[FREQ_STRATA][3] = {
		{ 37, 1, 8 }, { 50, 1, 20 }, { 7, 2, 5 },
	};
	uint8_t			 label[FREQ_TARGETS], tmp;
	uint64_t		 rng = 20260409;
	size_t			 i, j, h;

	memset(f, 0, sizeof(*f));
	for (h = 0, i = 0; h < FREQ_STRATA; h++) {
		f->size[h] = quota[h][0];
		assert_int_equal(dsr_sample_size(quota[h][0], quota[h][1],
		    quota[h][2], -1, -1, &f->sample[h]), 0);
		for (j = 0; j < quota[h][0]; j++)
			label[i++] = (uint8_t)h;
	}
	assert_int_equal(i, FREQ_TARGETS);
	assert_int_equal(f->sample[0], 5);
	assert_int_equal(f->sample[1], 3);
	assert_int_equal(f->sample[2], 3);
	/* Fisher-Yates by the tests' generator: strata mixed in the frame. */
	for (i = FREQ_TARGETS - 1; i > 0; i--) {
		j = (size_t)(prng(&rng) % (i + 1));
		tmp = label[i];
		label[i] = label[j];
		label[j] = tmp;
	}
	memset(f->size, 0, sizeof(f->size));
	for (i = 0; i < FREQ_TARGETS; i++) {
		make_uscc(&f->v[i], &rng);
		f->v[i].stratum = label[i];
		f->member[i] = (size_t)f->size[label[i]]++;
		for (j = 0; j < i; j++)
			assert_string_not_equal(f->v[i].id, f->v[j].id);
	}
}

static unsigned int
popcount(unsigned int x)
{
	unsigned int	 n = 0;

	for (; x != 0; x &= x - 1)
		n++;
	return n;
}

/*
 * FREQ_DRAWS draws over the frame, each from a seed of its own (its own
 * beacon round; the rest of the seed's inputs fixed), through the real
 * derivation of the ticket key, then the tickets and selection given;
 * then the statistics.
 *
 * Under simple random sampling without replacement a target's count is
 * binomial (S, p = n / N), but the counts of one stratum sum to S n and
 * are negatively correlated: the covariance of (c_i - E) / sqrt(E) is
 * (N - n) / (N - 1) times the projection orthogonal to (1, ..., 1), so
 * Pearson's sum is (N - n) / (N - 1) times a chi-square with N - 1
 * degrees of freedom (exactly the multinomial's when n = 1). Scaling it
 * by (N - 1) / (N - n) gives back that chi-square; unscaled, the test
 * would only be conservative, and weaker: for the stratum of 7 the
 * statistic would be 4/6 of what it is. The whole samples of stratum 2
 * are multinomial over its 35 subsets, each 1/35: plain Pearson, 34
 * degrees of freedom.
 */
static void
freq_run(struct freq *f, freq_tickets tickets, freq_selector sel)
{
	unsigned char	 c[32], b[32], k[32], seed[32], tkey[16];
	uint64_t	 s, got[FREQ_STRATA], obs[FREQ_SUBSETS], total = 0;
	size_t		*out, nout, i, h, nobs = 0;
	unsigned int	 mask;
	double		 e, x;

	memset(f->count, 0, sizeof(f->count));
	memset(f->subset, 0, sizeof(f->subset));
	memset(c, 0xc3, sizeof(c));
	memset(b, 0, sizeof(b));
	memset(k, 0x5e, sizeof(k));
	for (s = 0; s < FREQ_DRAWS; s++) {
		for (i = 0; i < 8; i++)
			b[i] = (unsigned char)(s >> 8 * i);
		dsr_seed(c, b, NULL, 0, k, seed);
		dsr_ticket_key(seed, tkey);
		tickets(tkey, f->v, FREQ_TARGETS);
		assert_int_equal(sel(f->v, FREQ_TARGETS, f->sample,
		    FREQ_STRATA, &out, &nout), 0);
		memset(got, 0, sizeof(got));
		mask = 0;
		for (i = 0; i < nout; i++) {
			h = f->v[out[i]].stratum;
			got[h]++;
			f->count[h][f->member[out[i]]]++;
			if (h == 2)
				mask |= 1U << f->member[out[i]];
		}
		for (h = 0; h < FREQ_STRATA; h++)
			assert_int_equal(got[h], f->sample[h]);
		f->subset[mask]++;
		free(out);
	}

	for (h = 0; h < FREQ_STRATA; h++) {
		e = (double)FREQ_DRAWS * (double)f->sample[h] /
		    (double)f->size[h];
		x = chi2_pearson(f->count[h], (size_t)f->size[h], e);
		f->incl[h] = x * (double)(f->size[h] - 1) /
		    (double)(f->size[h] - f->sample[h]);
	}
	/* Every draw of stratum 2 is one of the 35 (no duplicate member). */
	for (mask = 0; mask < 1U << 7; mask++)
		if (popcount(mask) == 3) {
			obs[nobs++] = f->subset[mask];
			total += f->subset[mask];
		}
	assert_int_equal(nobs, FREQ_SUBSETS);
	assert_int_equal(total, FREQ_DRAWS);
	f->joint = chi2_pearson(obs, FREQ_SUBSETS,
	    (double)FREQ_DRAWS / FREQ_SUBSETS);
}

/* Each target is drawn n_h / N_h of the time, each sample 1 / C(N, n). */
static void
test_dsr__selection_frequencies(void **state)
{
	struct freq	*f;
	size_t		 h;

	(void)state;
	f = xcalloc(1, sizeof(*f));
	freq_frame(f);
	freq_run(f, dsr_tickets, dsr_select);
	for (h = 0; h < FREQ_STRATA; h++)
		if (f->incl[h] >= chi2_critical((size_t)f->size[h] - 1))
			fail_msg("stratum %zu (%llu of %llu): chi-square %.2f",
			    h, (unsigned long long)f->sample[h],
			    (unsigned long long)f->size[h], f->incl[h]);
	if (f->joint >= chi2_critical(FREQ_SUBSETS - 1))
		fail_msg("samples of stratum 2: chi-square %.2f", f->joint);
	free(f);
}

/*
 * Broken tickets for the controls: of the id's first 8 bytes, as a
 * sizeof (a pointer) in place of its length would make them. That is "91"
 * and the division: a division's targets tie, and the smaller ids win.
 */
static void
tickets_of_prefix(const unsigned char *key, struct dsr_target *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		dsr_ticket(key, v[i].id, 8, v[i].ticket);
}

/*
 * Another, that gives every target its right probability n_h / N_h: the
 * smallest (ticket, id) of a stratum starts a run of n_h targets that
 * follow each other in the frame (circularly, within the stratum). Only
 * N_h of the C(N_h, n_h) samples can come out. Each target's count has
 * the right mean, so the test of those counts is not made to see it; the
 * counts of whole samples must.
 */
static int
select_run(const struct dsr_target *v, size_t n, const uint64_t *sample,
    size_t nstrata, size_t **out, size_t *nout)
{
	size_t		 first[DSR_MAX_STRATA], *sel, i, j, h, k = 0;
	uint64_t	 left;

	assert_true(nstrata <= DSR_MAX_STRATA);
	for (h = 0; h < nstrata; h++)
		first[h] = SIZE_MAX;
	for (i = 0; i < n; i++) {
		h = v[i].stratum;
		if (first[h] == SIZE_MAX ||
		    dsr_target_cmp(&v[i], &v[first[h]]) < 0)
			first[h] = i;
	}
	sel = xreallocarray(NULL, n + 1, sizeof(*sel));
	for (h = 0; h < nstrata; h++) {
		if (sample[h] == 0)
			continue;
		j = first[h];
		for (left = sample[h]; left > 0; left--) {
			sel[k++] = j;
			do
				j = (j + 1) % n;
			while (v[j].stratum != h);
		}
	}
	*out = sel;
	*nout = k;
	return 0;
}

/* The same statistics reject biased selections: they can fail. */
static void
test_dsr__selection_chi2_rejects_bias(void **state)
{
	struct freq	*f;
	size_t		 h;

	(void)state;
	f = xcalloc(1, sizeof(*f));
	freq_frame(f);
	freq_run(f, tickets_of_prefix, dsr_select);
	for (h = 0; h < FREQ_STRATA; h++)
		if (f->incl[h] < chi2_critical((size_t)f->size[h] - 1))
			fail_msg("prefix tickets, stratum %zu: chi-square %.2f "
			    "passes", h, f->incl[h]);
	if (f->joint < chi2_critical(FREQ_SUBSETS - 1))
		fail_msg("prefix tickets: chi-square %.2f passes", f->joint);
	/*
	 * Its marginal statistics are not asserted either way: its counts
	 * are not correlated as a simple random sample's, so the scaled
	 * statistic is no longer a chi-square with N - 1 degrees of freedom.
	 */
	freq_run(f, dsr_tickets, select_run);
	if (f->joint < chi2_critical(FREQ_SUBSETS - 1))
		fail_msg("runs: chi-square %.2f passes", f->joint);
	free(f);
}

/* A value in [0, n) from a stream: dsr_uniform, or a control's. */
typedef uint32_t	(*uniform_fn)(struct dsr_stream *, uint32_t);

#define UNIFORM_DRAWS	200000

/*
 * UNIFORM_DRAWS values in [0, n) from the stream of one fixed key,
 * counted in `buckets` ranges of equal width (so n a multiple of
 * buckets): Pearson's statistic, buckets - 1 degrees of freedom, and in
 * *words the words the draws read.
 */
static double
uniform_chi2(uniform_fn fn, uint32_t n, uint32_t buckets, uint64_t *words)
{
	struct dsr_stream	 s;
	unsigned char		 key[32];
	uint64_t		*obs;
	uint32_t		 r, width;
	size_t			 i;
	double			 x;

	assert_int_equal(n % buckets, 0);
	width = n / buckets;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(0x91 ^ i * 29);
	obs = xcalloc(buckets, sizeof(*obs));
	dsr_stream_init(&s, key);
	for (i = 0; i < UNIFORM_DRAWS; i++) {
		r = fn(&s, n);
		if (r >= n)
			fail_msg("%u out of [0, %u)", r, n);
		obs[r / width]++;
	}
	*words = s.words;
	x = chi2_pearson(obs, buckets, (double)UNIFORM_DRAWS / buckets);
	dsr_stream_wipe(&s);
	free(obs);
	return x;
}

/*
 * 3 * 2^30 rejects the words below 2^32 mod n = 2^30, a quarter of them:
 * the rejection is what keeps its 12 ranges of 2^28 equally likely.
 */
#define UNIFORM_BIG	3221225472U

static void
test_dsr__uniform_frequencies(void **state)
{
	static const uint32_t	 n[] = { 3, 7, 100 };
	uint64_t		 words;
	double			 x, rej, d;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		x = uniform_chi2(dsr_uniform, n[i], n[i], &words);
		if (x >= chi2_critical(n[i] - 1))
			fail_msg("dsr_uniform(%u): chi-square %.2f", n[i], x);
	}
	x = uniform_chi2(dsr_uniform, UNIFORM_BIG, 12, &words);
	if (x >= chi2_critical(11))
		fail_msg("dsr_uniform(3 * 2^30): chi-square %.2f", x);
	/*
	 * The words rejected before each value are geometric, mean 1/3 and
	 * variance 4/9 (success 3/4): the square of their total's distance
	 * from UNIFORM_DRAWS / 3, over UNIFORM_DRAWS * 4/9, is a chi-square
	 * with one degree of freedom.
	 */
	rej = (double)(words - UNIFORM_DRAWS);
	d = rej - UNIFORM_DRAWS / 3.0;
	if (d * d / (4.0 * UNIFORM_DRAWS / 9.0) >= chi2_critical(1))
		fail_msg("%.0f words rejected in %d draws", rej, UNIFORM_DRAWS);
}

/* The bug the rejection prevents: every word taken mod n. */
static uint32_t
uniform_mod(struct dsr_stream *s, uint32_t n)
{
	return dsr_stream_u32(s) % n;
}

static void
test_dsr__uniform_chi2_rejects_bias(void **state)
{
	uint64_t	 words;
	double		 x;

	(void)state;
	/* The ranges below 2^30 come out twice as often as the others. */
	x = uniform_chi2(uniform_mod, UNIFORM_BIG, 12, &words);
	if (x < chi2_critical(11))
		fail_msg("w mod n: chi-square %.2f passes", x);
	assert_int_equal(words, UNIFORM_DRAWS);
}

/* The vectors file, computed by an independent implementation. */
struct vec {
	unsigned char		 c[32], b[32], k[32], seed[32];
	unsigned char		 tkey[16], team[32];
	struct dsr_reveal	 r[8];
	unsigned char		*rv[8];
	char			*rn[8];
	size_t			 nr;
	struct dsr_stream	 uni;
	int			 seeded, uni_started;
	struct dsr_target	 frame[64];
	char			 strata[8][16];
	uint64_t		 quota[8];
	size_t			 nframe, nstrata;
	size_t			*sel, nsel;
	struct dsr_target	 tied[16];	/* forced tickets */
	uint64_t		 tied_quota[8];
	size_t			 ntied;
	size_t			*tied_sel, ntied_sel;
};

static size_t
stratum_index(struct vec *t, const char *name)
{
	size_t	 h;

	for (h = 0; h < t->nstrata; h++)
		if (strcmp(t->strata[h], name) == 0)
			return h;
	assert_true(t->nstrata < 8 && strlen(name) < 16);
	strcpy(t->strata[t->nstrata], name);
	return t->nstrata++;
}

static void
derive(struct vec *t)
{
	if (t->seeded)
		return;
	dsr_seed(t->c, t->b, t->r, t->nr, t->k, t->seed);
	dsr_ticket_key(t->seed, t->tkey);
	dsr_team_key(t->seed, t->team);
	t->seeded = 1;
}

static void
test_dsr__vectors_file(void **state)
{
	struct vec		*t;
	struct dsr_stream	 s;
	unsigned char		 buf[64];
	char			 line[512], *f[8], *save, *path;
	FILE			*fp;
	size_t			 nf, i, counts[16] = { 0 }, lineno = 0;
	uint64_t		 n, num, den, want, got;
	int64_t			 mn, mx;

	(void)state;
	t = xcalloc(1, sizeof(*t));
	path = srcpath(VECTORS);
	if ((fp = fopen(path, "r")) == NULL)
		fail_msg("cannot open '%s'", path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		nf = 0;
		for (f[nf] = strtok_r(line, " ", &save); f[nf] != NULL &&
		    nf < 7; f[nf] = strtok_r(NULL, " ", &save))
			nf++;
		if (strcmp(f[0], "commitment") == 0)
			unhex(f[1], t->c, 32);
		else if (strcmp(f[0], "beacon") == 0)
			unhex(f[1], t->b, 32);
		else if (strcmp(f[0], "reveal") == 0) {
			assert_true(nf == 3 && t->nr < 8);
			t->rn[t->nr] = xstrdup(f[1]);
			i = strcmp(f[2], "-") == 0 ? 0 : strlen(f[2]) / 2;
			t->rv[t->nr] = xmalloc(i + 1);
			if (i > 0)
				unhex(f[2], t->rv[t->nr], i);
			t->r[t->nr].name = t->rn[t->nr];
			t->r[t->nr].value = t->rv[t->nr];
			t->r[t->nr].len = i;
			t->nr++;
		} else if (strcmp(f[0], "secret") == 0)
			unhex(f[1], t->k, 32);
		else if (strcmp(f[0], "seed") == 0) {
			derive(t);
			assert_hex(t->seed, 32, f[1]);
			counts[0]++;
		} else if (strcmp(f[0], "ticket-key") == 0) {
			derive(t);
			assert_hex(t->tkey, 16, f[1]);
			counts[1]++;
		} else if (strcmp(f[0], "team-key") == 0) {
			derive(t);
			assert_hex(t->team, 32, f[1]);
			counts[2]++;
		} else if (strcmp(f[0], "replace-key") == 0) {
			derive(t);
			dsr_replace_key(t->seed, strtoull(f[1], NULL, 10), buf);
			assert_hex(buf, 32, f[2]);
			counts[3]++;
		} else if (strcmp(f[0], "ticket") == 0) {
			derive(t);
			dsr_ticket(t->tkey, f[1], strlen(f[1]), buf);
			assert_hex(buf, 16, f[2]);
			counts[4]++;
		} else if (strcmp(f[0], "word") == 0) {
			derive(t);
			dsr_stream_init(&s, t->team);
			for (i = strtoull(f[1], NULL, 10); i > 0; i--)
				(void)dsr_stream_u32(&s);
			assert_int_equal(dsr_stream_u32(&s),
			    strtoull(f[2], NULL, 10));
			dsr_stream_wipe(&s);
			counts[5]++;
		} else if (strcmp(f[0], "uniform") == 0) {
			derive(t);
			if (!t->uni_started) {
				dsr_stream_init(&t->uni, t->team);
				t->uni_started = 1;
			}
			got = dsr_uniform(&t->uni,
			    (uint32_t)strtoull(f[1], NULL, 10));
			assert_int_equal(got, strtoull(f[2], NULL, 10));
			assert_int_equal(t->uni.words,
			    strtoull(f[3], NULL, 10));
			counts[6]++;
		} else if (strcmp(f[0], "sample") == 0) {
			assert_int_equal(nf, 6);
			n = strtoull(f[1], NULL, 10);
			num = strtoull(f[2], &save, 10);
			den = strtoull(save + 1, NULL, 10);
			mn = strcmp(f[3], "-") == 0 ? -1 : strtoll(f[3], NULL,
			    10);
			mx = strcmp(f[4], "-") == 0 ? -1 : strtoll(f[4], NULL,
			    10);
			want = strtoull(f[5], NULL, 10);
			assert_int_equal(dsr_sample_size(n, num, den, mn, mx,
			    &got), 0);
			assert_int_equal(got, want);
			counts[7]++;
		} else if (strcmp(f[0], "target") == 0) {
			assert_true(t->nframe < 64 &&
			    strlen(f[1]) <= DSR_ID_MAX);
			strcpy(t->frame[t->nframe].id, f[1]);
			t->frame[t->nframe].stratum =
			    (uint8_t)stratum_index(t, f[2]);
			t->nframe++;
		} else if (strcmp(f[0], "quota") == 0) {
			t->quota[stratum_index(t, f[1])] =
			    strtoull(f[2], NULL, 10);
		} else if (strcmp(f[0], "selected") == 0) {
			if (t->sel == NULL) {
				derive(t);
				dsr_tickets(t->tkey, t->frame, t->nframe);
				assert_int_equal(dsr_select(t->frame,
				    t->nframe, t->quota, t->nstrata, &t->sel,
				    &t->nsel), 0);
			}
			i = strtoull(f[1], NULL, 10);
			assert_true(i >= 1 && i <= t->nsel);
			assert_string_equal(t->frame[t->sel[i - 1]].id, f[2]);
			counts[8]++;
		} else if (strcmp(f[0], "tied") == 0) {
			assert_true(nf == 4 && t->ntied < 16 &&
			    strlen(f[1]) <= DSR_ID_MAX);
			strcpy(t->tied[t->ntied].id, f[1]);
			t->tied[t->ntied].stratum =
			    (uint8_t)stratum_index(t, f[2]);
			unhex(f[3], t->tied[t->ntied].ticket,
			    DSR_TICKET_BYTES);
			t->ntied++;
		} else if (strcmp(f[0], "tied-quota") == 0) {
			t->tied_quota[stratum_index(t, f[1])] =
			    strtoull(f[2], NULL, 10);
		} else if (strcmp(f[0], "tied-selected") == 0) {
			if (t->tied_sel == NULL)
				assert_int_equal(dsr_select(t->tied,
				    t->ntied, t->tied_quota, t->nstrata,
				    &t->tied_sel, &t->ntied_sel), 0);
			i = strtoull(f[1], NULL, 10);
			assert_true(i >= 1 && i <= t->ntied_sel);
			assert_string_equal(t->tied[t->tied_sel[i - 1]].id,
			    f[2]);
			counts[9]++;
		} else
			fail_msg("%s:%zu: unknown record '%s'", VECTORS,
			    lineno, f[0]);
	}
	fclose(fp);
	/* Every kind of record was there: an empty file cannot pass. */
	assert_int_equal(counts[0], 1);
	assert_int_equal(counts[1], 1);
	assert_int_equal(counts[2], 1);
	assert_true(counts[3] >= 2);
	assert_true(counts[4] >= 5);
	assert_true(counts[5] >= 16);
	assert_true(counts[6] >= 7);
	assert_true(counts[7] >= 10);
	assert_int_equal(counts[8], t->nsel);
	assert_true(t->nsel > 0);
	assert_int_equal(counts[9], t->ntied_sel);
	assert_true(t->ntied_sel > 0);
	for (i = 0; i < t->nr; i++) {
		free(t->rn[i]);
		free(t->rv[i]);
	}
	free(t->sel);
	free(t->tied_sel);
	free(t);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dsr__siphash_reference_vectors),
		cmocka_unit_test(test_dsr__kdf_vectors),
		cmocka_unit_test(test_dsr__subkeys_are_the_kdf),
		cmocka_unit_test(test_dsr__chacha20_rfc8439),
		cmocka_unit_test(test_dsr__chacha20_libsodium_drg),
		cmocka_unit_test(test_dsr__stream_words_are_little_endian),
		cmocka_unit_test(test_dsr__stream_is_continuous),
		cmocka_unit_test(test_dsr__uniform_rejects_below_lo),
		cmocka_unit_test(test_dsr__seed_binds_every_input),
		cmocka_unit_test(test_dsr__sample_size_rules),
		cmocka_unit_test(test_dsr__select_matches_naive_sort),
		cmocka_unit_test(test_dsr__select_large),
		cmocka_unit_test(test_dsr__select_edges),
		cmocka_unit_test(test_dsr__selection_frequencies),
		cmocka_unit_test(test_dsr__selection_chi2_rejects_bias),
		cmocka_unit_test(test_dsr__uniform_frequencies),
		cmocka_unit_test(test_dsr__uniform_chi2_rejects_bias),
		cmocka_unit_test(test_dsr__vectors_file),
	};

	crypto_setup();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
