/*
 * BLS12-381 for verifying drand rounds: the field tower, G1 and G2, hash to
 * curve (RFC 9380), the optimal ate pairing and BLS verification. Variable
 * time throughout: every input is public.
 */
#include <stdint.h>
#include <string.h>

#include "bls12381.h"
#include "crypto.h"

__extension__ typedef unsigned __int128 u128;

/* Fp: six 64-bit limbs, least significant first, in Montgomery form. */
typedef struct { uint64_t l[6]; } fp;
/* Fp2 = Fp[u] / (u^2 + 1) */
typedef struct { fp c0, c1; } fp2;
/* Fp6 = Fp2[v] / (v^3 - (1 + u)) */
typedef struct { fp2 c0, c1, c2; } fp6;
/* Fp12 = Fp6[w] / (w^2 - v) */
typedef struct { fp6 c0, c1; } fp12;

/* Jacobian coordinates: (X / Z^2, Y / Z^3); Z = 0 is the identity. */
typedef struct { fp x, y, z; } g1;
typedef struct { fp2 x, y, z; } g2;

/* Big-endian exponents and scalars. */
struct bytes {
	unsigned char	b[160];
	size_t		n;
};

static const fp P = { { 0xb9feffffffffaaabULL, 0x1eabfffeb153ffffULL,
	0x6730d2a0f6b0f624ULL, 0x64774b84f38512bfULL, 0x4b1ba7b6434bacd7ULL,
	0x1a0111ea397fe69aULL } };
/* R^2 and R^3 mod p, R = 2^384: into Montgomery form. */
static const fp R2 = { { 0xf4df1f341c341746ULL, 0x0a76e6a609d104f1ULL,
	0x8de5476c4c95b6d5ULL, 0x67eb88a9939d83c0ULL, 0x9a793e85b519952dULL,
	0x11988fe592cae3aaULL } };
static const fp R3 = { { 0xed48ac6bd94ca1e0ULL, 0x315f831e03a7adf8ULL,
	0x9a53352a615e29ddULL, 0x34c04e5e921e1761ULL, 0x2512d43565724728ULL,
	0x0aa6346091755d4dULL } };
/* -1/p mod 2^64 */
#define N0	0x89f3fffcfffcfffdULL

/* The BLS parameter is -0xd201000000010000: the Miller loop runs on |x|. */
#define BLS_X_ABS	0xd201000000010000ULL

static const char *hex_r =
    "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";
static const char *hex_p_minus_2 =
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f624"
    "1eabfffeb153ffffb9feffffffffaaa9";
static const char *hex_p_plus_1_div_4 =
    "0680447a8e5ff9a692c6e9ed90d2eb35d91dd2e13ce144afd9cc34a83dac3d89"
    "07aaffffac54ffffee7fbfffffffeaab";
static const char *hex_p_minus_1_div_6 =
    "045582fc5eeaa66f0c849bf3b5e1f223e613e1eb7deb831fe688231ad3c82906"
    "051caaaa72e3555549aa7ffffffff1c7";
/* RFC 9380 section 8.8: h_eff of G1 and G2. */
static const char *hex_h_eff_g1 = "d201000000010001";
static const char *hex_h_eff_g2 =
    "0bc69f08f2ee75b3584c6a0ea91b352888e2a8e9145ad7689986ff031508ffe1"
    "329c2f178731db956d82bf015d1212b02ec0ec69d7477c1ae954cbc06689f6a3"
    "59894c0adebbf6b4e8020005aaa95551";

static const char *hex_g1 =
    "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac58"
    "6c55e83ff97a1aeffb3af00adb22c6bb";
static const char *hex_g2 =
    "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049"
    "334cf11213945d57e5ac7d055d042b7e024aa2b2f08f0a91260805272dc51051"
    "c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8";

/* RFC 9380 section 8.8.1 and appendix E.2: G1's SSWU curve and isogeny. */
static const char *hex_iso1_a =
    "144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98"
    "936f8da0e0f97f5cf428082d584c1d";
static const char *hex_iso1_b =
    "12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef5"
    "5a23215a316ceaa5d1cc48e98e172be0";
static const char *hex_iso1_xnum[12] = {
	"11a05f2b1e833340b809101dd99815856b303e88a2d7005f"
	    "f2627b56cdb4e2c85610c2d5f2e62d6eaeac1662734649b7",
	"17294ed3e943ab2f0588bab22147a81c7c17e75b2f6a8417"
	    "f565e33c70d1e86b4838f2a6f318c356e834eef1b3cb83bb",
	"d54005db97678ec1d1048c5d10a9a1bce032473295983e5"
	    "6878e501ec68e25c958c3e3d2a09729fe0179f9dac9edcb0",
	"1778e7166fcc6db74e0609d307e55412d7f5e4656a8dbf25"
	    "f1b33289f1b330835336e25ce3107193c5b388641d9b6861",
	"e99726a3199f4436642b4b3e4118e5499db995a1257fb3f"
	    "086eeb65982fac18985a286f301e77c451154ce9ac8895d9",
	"1630c3250d7313ff01d1201bf7a74ab5db3cb17dd952799b"
	    "9ed3ab9097e68f90a0870d2dcae73d19cd13c1c66f652983",
	"d6ed6553fe44d296a3726c38ae652bfb11586264f0f8ce1"
	    "9008e218f9c86b2a8da25128c1052ecaddd7f225a139ed84",
	"17b81e7701abdbe2e8743884d1117e53356de5ab275b4db1"
	    "a682c62ef0f2753339b7c8f8c8f475af9ccb5618e3f0c88e",
	"80d3cf1f9a78fc47b90b33563be990dc43b756ce79f5574"
	    "a2c596c928c5d1de4fa295f296b74e956d71986a8497e317",
	"169b1f8e1bcfa7c42e0c37515d138f22dd2ecb803a0c5c99"
	    "676314baf4bb1b7fa3190b2edc0327797f241067be390c9e",
	"10321da079ce07e272d8ec09d2565b0dfa7dccdde6787f96"
	    "d50af36003b14866f69b771f8c285decca67df3f1605fb7b",
	"6e08c248e260e70bd1e962381edee3d31d79d7e22c837bc"
	    "23c0bf1bc24c6b68c24b1b80b64d391fa9c8ba2e8ba2d229",
};
static const char *hex_iso1_xden[10] = {
	"8ca8d548cff19ae18b2e62f4bd3fa6f01d5ef4ba35b48ba"
	    "9c9588617fc8ac62b558d681be343df8993cf9fa40d21b1c",
	"12561a5deb559c4348b4711298e536367041e8ca0cf0800c"
	    "0126c2588c48bf5713daa8846cb026e9e5c8276ec82b3bff",
	"b2962fe57a3225e8137e629bff2991f6f89416f5a718cd1"
	    "fca64e00b11aceacd6a3d0967c94fedcfcc239ba5cb83e19",
	"3425581a58ae2fec83aafef7c40eb545b08243f16b16551"
	    "54cca8abc28d6fd04976d5243eecf5c4130de8938dc62cd8",
	"13a8e162022914a80a6f1d5f43e7a07dffdfc759a12062bb"
	    "8d6b44e833b306da9bd29ba81f35781d539d395b3532a21e",
	"e7355f8e4e667b955390f7f0506c6e9395735e9ce9cad4d"
	    "0a43bcef24b8982f7400d24bc4228f11c02df9a29f6304a5",
	"772caacf16936190f3e0c63e0596721570f5799af53a189"
	    "4e2e073062aede9cea73b3538f0de06cec2574496ee84a3a",
	"14a7ac2a9d64a8b230b3f5b074cf01996e7f63c21bca68a8"
	    "1996e1cdf9822c580fa5b9489d11e2d311f7d99bbdcc5a5e",
	"a10ecf6ada54f825e920b3dafc7a3cce07f8d1d7161366b"
	    "74100da67f39883503826692abba43704776ec3a79a1d641",
	"95fc13ab9e92ad4476d6e3eb3a56680f682b4ee96f7d037"
	    "76df533978f31c1593174e4b4b7865002d6384d168ecdd0a",
};
static const char *hex_iso1_ynum[16] = {
	"90d97c81ba24ee0259d1f094980dcfa11ad138e48a86952"
	    "2b52af6c956543d3cd0c7aee9b3ba3c2be9845719707bb33",
	"134996a104ee5811d51036d776fb46831223e96c254f383d"
	    "0f906343eb67ad34d6c56711962fa8bfe097e75a2e41c696",
	"cc786baa966e66f4a384c86a3b49942552e2d658a31ce2c"
	    "344be4b91400da7d26d521628b00523b8dfe240c72de1f6",
	"1f86376e8981c217898751ad8746757d42aa7b90eeb791c"
	    "09e4a3ec03251cf9de405aba9ec61deca6355c77b0e5f4cb",
	"8cc03fdefe0ff135caf4fe2a21529c4195536fbe3ce50b8"
	    "79833fd221351adc2ee7f8dc099040a841b6daecf2e8fedb",
	"16603fca40634b6a2211e11db8f0a6a074a7d0d4afadb7bd"
	    "76505c3d3ad5544e203f6326c95a807299b23ab13633a5f0",
	"4ab0b9bcfac1bbcb2c977d027796b3ce75bb8ca2be184cb"
	    "5231413c4d634f3747a87ac2460f415ec961f8855fe9d6f2",
	"987c8d5333ab86fde9926bd2ca6c674170a05bfe3bdd81f"
	    "fd038da6c26c842642f64550fedfe935a15e4ca31870fb29",
	"9fc4018bd96684be88c9e221e4da1bb8f3abd16679dc26c"
	    "1e8b6e6a1f20cabe69d65201c78607a360370e577bdba587",
	"e1bba7a1186bdb5223abde7ada14a23c42a0ca7915af6fe"
	    "06985e7ed1e4d43b9b3f7055dd4eba6f2bafaaebca731c30",
	"19713e47937cd1be0dfd0b8f1d43fb93cd2fcbcb6caf493f"
	    "d1183e416389e61031bf3a5cce3fbafce813711ad011c132",
	"18b46a908f36f6deb918c143fed2edcc523559b8aaf0c246"
	    "2e6bfe7f911f643249d9cdf41b44d606ce07c8a4d0074d8e",
	"b182cac101b9399d155096004f53f447aa7b12a3426b08e"
	    "c02710e807b4633f06c851c1919211f20d4c04f00b971ef8",
	"245a394ad1eca9b72fc00ae7be315dc757b3b080d4c1580"
	    "13e6632d3c40659cc6cf90ad1c232a6442d9d3f5db980133",
	"5c129645e44cf1102a159f748c4a3fc5e673d81d7e86568"
	    "d9ab0f5d396a7ce46ba1049b6579afb7866b1e715475224b",
	"15e6be4e990f03ce4ea50b3b42df2eb5cb181d8f84965a39"
	    "57add4fa95af01b2b665027efec01c7704b456be69c8b604",
};
static const char *hex_iso1_yden[15] = {
	"16112c4c3a9c98b252181140fad0eae9601a6de578980be6"
	    "eec3232b5be72e7a07f3688ef60c206d01479253b03663c1",
	"1962d75c2381201e1a0cbd6c43c348b885c84ff731c4d59c"
	    "a4a10356f453e01f78a4260763529e3532f6102c2e49a03d",
	"58df3306640da276faaae7d6e8eb15778c4855551ae7f31"
	    "0c35a5dd279cd2eca6757cd636f96f891e2538b53dbf67f2",
	"16b7d288798e5395f20d23bf89edb4d1d115c5dbddbcd30e"
	    "123da489e726af41727364f2c28297ada8d26d98445f5416",
	"be0e079545f43e4b00cc912f8228ddcc6d19c9f0f69bbb0"
	    "542eda0fc9dec916a20b15dc0fd2ededda39142311a5001d",
	"8d9e5297186db2d9fb266eaac783182b70152c65550d881"
	    "c5ecd87b6f0f5a6449f38db9dfa9cce202c6477faaf9b7ac",
	"166007c08a99db2fc3ba8734ace9824b5eecfdfa8d0cf8ef"
	    "5dd365bc400a0051d5fa9c01a58b1fb93d1a1399126a775c",
	"16a3ef08be3ea7ea03bcddfabba6ff6ee5a4375efa1f4fd7"
	    "feb34fd206357132b920f5b00801dee460ee415a15812ed9",
	"1866c8ed336c61231a1be54fd1d74cc4f9fb0ce4c6af5920"
	    "abc5750c4bf39b4852cfe2f7bb9248836b233d9d55535d4a",
	"167a55cda70a6e1cea820597d94a84903216f763e13d87bb"
	    "5308592e7ea7d4fbc7385ea3d529b35e346ef48bb8913f55",
	"4d2f259eea405bd48f010a01ad2911d9c6dd039bb61a629"
	    "0e591b36e636a5c871a5c29f4f83060400f8b49cba8f6aa8",
	"accbb67481d033ff5852c1e48c50c477f94ff8aefce42d2"
	    "8c0f9a88cea7913516f968986f7ebbea9684b529e2561092",
	"ad6b9514c767fe3c3613144b45f1496543346d98adf0226"
	    "7d5ceef9a00d9b8693000763e3b90ac11e99b138573345cc",
	"2660400eb2e4f3b628bdd0d53cd76f2bf565b94e72927c1"
	    "cb748df27942480e420517bd8714cc80d1fadc1326ed06f7",
	"e0fa1d816ddc03e6b24255e0d7819c171c40f65e273b853"
	    "324efcd6356caa205ca2f570f13497804415473a1d634b8f",
};
/* Appendix E.3: G2's 3-isogeny, each coefficient as c0, c1 ("" is 0). */
static const char *hex_iso2_xnum[4][2] = {
	{ "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a"
	      "88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6",
	  "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a"
	      "88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6" },
	{ "",
	  "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f"
	      "9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a" },
	{ "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f"
	      "9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e",
	  "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063f"
	      "cd104635a790520c0a395554e5c6aaaa9354ffffffffe38d" },
	{ "171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa"
	      "22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1",
	  "" },
};
static const char *hex_iso2_xden[2][2] = {
	{ "",
	  "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf"
	      "6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63" },
	{ "c",
	  "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf"
	      "6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f" },
};
static const char *hex_iso2_ynum[4][2] = {
	{ "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649b"
	      "f54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706",
	  "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649b"
	      "f54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706" },
	{ "",
	  "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a"
	      "88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be" },
	{ "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f"
	      "9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c",
	  "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063f"
	      "cd104635a790520c0a395554e5c6aaaa9354ffffffffe38f" },
	{ "124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286"
	      "b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10",
	  "" },
};
static const char *hex_iso2_yden[3][2] = {
	{ "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf"
	      "6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb",
	  "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf"
	      "6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb" },
	{ "",
	  "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf"
	      "6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3" },
	{ "12",
	  "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf"
	      "6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99" },
};

/* Everything above in usable form, made once. */
static struct {
	int		 ready;
	fp		 one, b1, half;
	fp2		 one2, b2;
	struct bytes	 r, p_minus_2, sqrt_exp, heff1, heff2;
	fp2		 frob[6];	/* (1 + u)^(i (p - 1) / 6) */
	g1		 g1gen;
	g2		 g2gen;
	fp		 iso1_a, iso1_b, iso1_z;
	fp		 iso1_xnum[12], iso1_xden[10], iso1_ynum[16],
			 iso1_yden[15];
	fp2		 iso2_a, iso2_b, iso2_z;
	fp2		 iso2_xnum[4], iso2_xden[2], iso2_ynum[4],
			 iso2_yden[3];
} K;

static void	bls_init(void);

/* ---- Fp ---- */

static int
fp_geq(const fp *a, const fp *b)
{
	int	 i;

	for (i = 5; i >= 0; i--) {
		if (a->l[i] > b->l[i])
			return 1;
		if (a->l[i] < b->l[i])
			return 0;
	}
	return 1;
}

/* r = a - b as integers; the borrow out. */
static uint64_t
fp_sub_raw(fp *r, const fp *a, const fp *b)
{
	uint64_t borrow = 0, t;
	int	 i;

	for (i = 0; i < 6; i++) {
		t = a->l[i] - b->l[i] - borrow;
		borrow = (a->l[i] < b->l[i]) ||
		    (a->l[i] == b->l[i] && borrow) ? 1 : 0;
		r->l[i] = t;
	}
	return borrow;
}

static void
fp_add(fp *r, const fp *a, const fp *b)
{
	u128	 s;
	uint64_t c = 0;
	int	 i;

	for (i = 0; i < 6; i++) {
		s = (u128)a->l[i] + b->l[i] + c;
		r->l[i] = (uint64_t)s;
		c = (uint64_t)(s >> 64);
	}
	/* p < 2^381: no carry out of the top limb. */
	if (fp_geq(r, &P))
		fp_sub_raw(r, r, &P);
}

static void
fp_sub(fp *r, const fp *a, const fp *b)
{
	u128	 s;
	uint64_t c = 0;
	int	 i;

	if (fp_sub_raw(r, a, b)) {
		for (i = 0; i < 6; i++) {
			s = (u128)r->l[i] + P.l[i] + c;
			r->l[i] = (uint64_t)s;
			c = (uint64_t)(s >> 64);
		}
	}
}

static int
fp_is_zero(const fp *a)
{
	return (a->l[0] | a->l[1] | a->l[2] | a->l[3] | a->l[4] |
	    a->l[5]) == 0;
}

static int
fp_eq(const fp *a, const fp *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static void
fp_neg(fp *r, const fp *a)
{
	if (fp_is_zero(a))
		memset(r, 0, sizeof(*r));
	else
		fp_sub_raw(r, &P, a);
}

/* Montgomery product a b / 2^384 mod p, for a < 2^384 and b < p. */
static void
fp_mul(fp *r, const fp *a, const fp *b)
{
	uint64_t t[8], m, c;
	u128	 s;
	int	 i, j;

	memset(t, 0, sizeof(t));
	for (i = 0; i < 6; i++) {
		c = 0;
		for (j = 0; j < 6; j++) {
			s = (u128)a->l[j] * b->l[i] + t[j] + c;
			t[j] = (uint64_t)s;
			c = (uint64_t)(s >> 64);
		}
		s = (u128)t[6] + c;
		t[6] = (uint64_t)s;
		t[7] = (uint64_t)(s >> 64);
		m = t[0] * N0;
		s = (u128)m * P.l[0] + t[0];
		c = (uint64_t)(s >> 64);
		for (j = 1; j < 6; j++) {
			s = (u128)m * P.l[j] + t[j] + c;
			t[j - 1] = (uint64_t)s;
			c = (uint64_t)(s >> 64);
		}
		s = (u128)t[6] + c;
		t[5] = (uint64_t)s;
		t[6] = t[7] + (uint64_t)(s >> 64);
	}
	memcpy(r->l, t, sizeof(r->l));
	if (t[6] != 0 || fp_geq(r, &P))
		fp_sub_raw(r, r, &P);
}

static void
fp_sqr(fp *r, const fp *a)
{
	fp_mul(r, a, a);
}

/* a^e for a big-endian exponent. */
static void
fp_pow(fp *r, const fp *a, const struct bytes *e)
{
	fp	 acc = K.one, base = *a;
	size_t	 i;
	int	 bit;

	for (i = 0; i < e->n; i++)
		for (bit = 7; bit >= 0; bit--) {
			fp_sqr(&acc, &acc);
			if (e->b[i] >> bit & 1)
				fp_mul(&acc, &acc, &base);
		}
	*r = acc;
}

/* 1/a, and 0 for 0 (inv0 of RFC 9380). */
static void
fp_inv(fp *r, const fp *a)
{
	fp_pow(r, a, &K.p_minus_2);
}

/* A square root of a, or -1 if a is not a square (p = 3 mod 4). */
static int
fp_sqrt(fp *r, const fp *a)
{
	fp	 s, c;

	fp_pow(&s, a, &K.sqrt_exp);
	fp_sqr(&c, &s);
	if (!fp_eq(&c, a))
		return -1;
	*r = s;
	return 0;
}

/* The integer a out of Montgomery form, as 48 bytes big-endian. */
static void
fp_to_bytes(unsigned char out[48], const fp *a)
{
	fp	 t, raw1;
	int	 i, j;

	memset(&raw1, 0, sizeof(raw1));
	raw1.l[0] = 1;
	fp_mul(&t, a, &raw1);
	for (i = 0; i < 6; i++)
		for (j = 0; j < 8; j++)
			out[47 - (8 * i + j)] = (unsigned char)(t.l[i] >>
			    (8 * j));
}

/* 48 bytes big-endian into Fp; -1 if the integer is not below p. */
static int
fp_from_bytes(fp *r, const unsigned char in[48])
{
	fp	 raw;
	int	 i, j;

	memset(&raw, 0, sizeof(raw));
	for (i = 0; i < 6; i++)
		for (j = 0; j < 8; j++)
			raw.l[i] |= (uint64_t)in[47 - (8 * i + j)] << (8 * j);
	if (fp_geq(&raw, &P))
		return -1;
	fp_mul(r, &raw, &R2);
	return 0;
}

/* 64 bytes big-endian, reduced mod p (hash_to_field's OS2IP mod p). */
static void
fp_from_bytes64(fp *r, const unsigned char in[64])
{
	fp	 hi, lo;
	int	 i, j;

	memset(&hi, 0, sizeof(hi));
	memset(&lo, 0, sizeof(lo));
	for (i = 0; i < 6; i++)
		for (j = 0; j < 8; j++)
			lo.l[i] |= (uint64_t)in[63 - (8 * i + j)] << (8 * j);
	for (i = 0; i < 2; i++)
		for (j = 0; j < 8; j++)
			hi.l[i] |= (uint64_t)in[15 - (8 * i + j)] << (8 * j);
	/* hi 2^384 + lo: hi R^3 / R = hi R^2 is (hi 2^384) R; lo R^2 / R. */
	fp_mul(&hi, &hi, &R3);
	fp_mul(&lo, &lo, &R2);
	fp_add(r, &hi, &lo);
}

/* The parity of a's integer: sgn0 of RFC 9380 for Fp. */
static int
fp_sgn0(const fp *a)
{
	unsigned char b[48];

	fp_to_bytes(b, a);
	return b[47] & 1;
}

/* a > (p - 1) / 2, that is a > p - a: the ZCash encoding's sign. */
static int
fp_is_large(const fp *a)
{
	unsigned char	 x[48], y[48];
	fp		 n;

	fp_neg(&n, a);
	fp_to_bytes(x, a);
	fp_to_bytes(y, &n);
	return memcmp(x, y, sizeof(x)) > 0;
}

static void
fp_from_u64(fp *r, uint64_t v)
{
	fp	 raw;

	memset(&raw, 0, sizeof(raw));
	raw.l[0] = v;
	fp_mul(r, &raw, &R2);
}

/* ---- Fp2 ---- */

static void
fp2_add(fp2 *r, const fp2 *a, const fp2 *b)
{
	fp_add(&r->c0, &a->c0, &b->c0);
	fp_add(&r->c1, &a->c1, &b->c1);
}

static void
fp2_sub(fp2 *r, const fp2 *a, const fp2 *b)
{
	fp_sub(&r->c0, &a->c0, &b->c0);
	fp_sub(&r->c1, &a->c1, &b->c1);
}

static void
fp2_neg(fp2 *r, const fp2 *a)
{
	fp_neg(&r->c0, &a->c0);
	fp_neg(&r->c1, &a->c1);
}

static void
fp2_conj(fp2 *r, const fp2 *a)
{
	r->c0 = a->c0;
	fp_neg(&r->c1, &a->c1);
}

static void
fp2_mul(fp2 *r, const fp2 *a, const fp2 *b)
{
	fp	 t0, t1, s0, s1;

	fp_mul(&t0, &a->c0, &b->c0);
	fp_mul(&t1, &a->c1, &b->c1);
	fp_add(&s0, &a->c0, &a->c1);
	fp_add(&s1, &b->c0, &b->c1);
	fp_mul(&s0, &s0, &s1);
	fp_sub(&s0, &s0, &t0);
	fp_sub(&r->c1, &s0, &t1);
	fp_sub(&r->c0, &t0, &t1);
}

static void
fp2_sqr(fp2 *r, const fp2 *a)
{
	fp	 s, d, m;

	/* (a0 + a1)(a0 - a1) + 2 a0 a1 u */
	fp_add(&s, &a->c0, &a->c1);
	fp_sub(&d, &a->c0, &a->c1);
	fp_mul(&m, &a->c0, &a->c1);
	fp_mul(&r->c0, &s, &d);
	fp_add(&r->c1, &m, &m);
}

static void
fp2_mul_fp(fp2 *r, const fp2 *a, const fp *b)
{
	fp_mul(&r->c0, &a->c0, b);
	fp_mul(&r->c1, &a->c1, b);
}

/* a (1 + u) */
static void
fp2_mul_xi(fp2 *r, const fp2 *a)
{
	fp	 t;

	fp_sub(&t, &a->c0, &a->c1);
	fp_add(&r->c1, &a->c0, &a->c1);
	r->c0 = t;
}

static int
fp2_is_zero(const fp2 *a)
{
	return fp_is_zero(&a->c0) && fp_is_zero(&a->c1);
}

static int
fp2_eq(const fp2 *a, const fp2 *b)
{
	return fp_eq(&a->c0, &b->c0) && fp_eq(&a->c1, &b->c1);
}

static void
fp2_inv(fp2 *r, const fp2 *a)
{
	fp	 n, t;

	fp_sqr(&n, &a->c0);
	fp_sqr(&t, &a->c1);
	fp_add(&n, &n, &t);
	fp_inv(&n, &n);
	fp_mul(&r->c0, &a->c0, &n);
	fp_mul(&t, &a->c1, &n);
	fp_neg(&r->c1, &t);
}

static void
fp2_pow(fp2 *r, const fp2 *a, const struct bytes *e)
{
	fp2	 acc = K.one2, base = *a;
	size_t	 i;
	int	 bit;

	for (i = 0; i < e->n; i++)
		for (bit = 7; bit >= 0; bit--) {
			fp2_sqr(&acc, &acc);
			if (e->b[i] >> bit & 1)
				fp2_mul(&acc, &acc, &base);
		}
	*r = acc;
}

/*
 * A square root in Fp2 through the norm: for a = a0 + a1 u, with
 * n = sqrt(a0^2 + a1^2), x0^2 = (a0 +- n) / 2 and x1 = a1 / (2 x0).
 * -1 if a is not a square.
 */
static int
fp2_sqrt(fp2 *r, const fp2 *a)
{
	fp2	 c, s;
	fp	 n, t, d;

	if (fp_is_zero(&a->c1)) {
		if (fp_sqrt(&s.c0, &a->c0) == 0) {
			memset(&s.c1, 0, sizeof(s.c1));
			*r = s;
			return 0;
		}
		/* -1 is not a square in Fp, so -a0 is. */
		fp_neg(&t, &a->c0);
		if (fp_sqrt(&s.c1, &t) != 0)
			return -1;
		memset(&s.c0, 0, sizeof(s.c0));
		*r = s;
		return 0;
	}
	fp_sqr(&n, &a->c0);
	fp_sqr(&t, &a->c1);
	fp_add(&n, &n, &t);
	if (fp_sqrt(&n, &n) != 0)
		return -1;
	fp_add(&d, &a->c0, &n);
	fp_mul(&d, &d, &K.half);
	if (fp_sqrt(&s.c0, &d) != 0) {
		fp_sub(&d, &a->c0, &n);
		fp_mul(&d, &d, &K.half);
		if (fp_sqrt(&s.c0, &d) != 0)
			return -1;
	}
	if (fp_is_zero(&s.c0))
		return -1;
	fp_add(&t, &s.c0, &s.c0);
	fp_inv(&t, &t);
	fp_mul(&s.c1, &a->c1, &t);
	fp2_sqr(&c, &s);
	if (!fp2_eq(&c, a))
		return -1;
	*r = s;
	return 0;
}

/* sgn0 of RFC 9380 for m = 2. */
static int
fp2_sgn0(const fp2 *a)
{
	int	 s0 = fp_sgn0(&a->c0), z0 = fp_is_zero(&a->c0);

	return s0 | (z0 & fp_sgn0(&a->c1));
}

/* The ZCash encoding's sign: c1 decides unless it is 0. */
static int
fp2_is_large(const fp2 *a)
{
	if (!fp_is_zero(&a->c1))
		return fp_is_large(&a->c1);
	return fp_is_large(&a->c0);
}

/* ---- Fp6 ---- */

static void
fp6_add(fp6 *r, const fp6 *a, const fp6 *b)
{
	fp2_add(&r->c0, &a->c0, &b->c0);
	fp2_add(&r->c1, &a->c1, &b->c1);
	fp2_add(&r->c2, &a->c2, &b->c2);
}

static void
fp6_sub(fp6 *r, const fp6 *a, const fp6 *b)
{
	fp2_sub(&r->c0, &a->c0, &b->c0);
	fp2_sub(&r->c1, &a->c1, &b->c1);
	fp2_sub(&r->c2, &a->c2, &b->c2);
}

static void
fp6_neg(fp6 *r, const fp6 *a)
{
	fp2_neg(&r->c0, &a->c0);
	fp2_neg(&r->c1, &a->c1);
	fp2_neg(&r->c2, &a->c2);
}

static void
fp6_mul(fp6 *r, const fp6 *a, const fp6 *b)
{
	fp2	 t0, t1, t2, s, u, c0, c1, c2;

	fp2_mul(&t0, &a->c0, &b->c0);
	fp2_mul(&t1, &a->c1, &b->c1);
	fp2_mul(&t2, &a->c2, &b->c2);

	fp2_add(&s, &a->c1, &a->c2);
	fp2_add(&u, &b->c1, &b->c2);
	fp2_mul(&s, &s, &u);
	fp2_sub(&s, &s, &t1);
	fp2_sub(&s, &s, &t2);
	fp2_mul_xi(&s, &s);
	fp2_add(&c0, &s, &t0);

	fp2_add(&s, &a->c0, &a->c1);
	fp2_add(&u, &b->c0, &b->c1);
	fp2_mul(&s, &s, &u);
	fp2_sub(&s, &s, &t0);
	fp2_sub(&s, &s, &t1);
	fp2_mul_xi(&u, &t2);
	fp2_add(&c1, &s, &u);

	fp2_add(&s, &a->c0, &a->c2);
	fp2_add(&u, &b->c0, &b->c2);
	fp2_mul(&s, &s, &u);
	fp2_sub(&s, &s, &t0);
	fp2_sub(&s, &s, &t2);
	fp2_add(&c2, &s, &t1);

	r->c0 = c0;
	r->c1 = c1;
	r->c2 = c2;
}

/* a v */
static void
fp6_mul_v(fp6 *r, const fp6 *a)
{
	fp2	 t;

	fp2_mul_xi(&t, &a->c2);
	r->c2 = a->c1;
	r->c1 = a->c0;
	r->c0 = t;
}

static void
fp6_inv(fp6 *r, const fp6 *a)
{
	fp2	 c0, c1, c2, t, s;

	fp2_sqr(&c0, &a->c0);
	fp2_mul(&t, &a->c1, &a->c2);
	fp2_mul_xi(&t, &t);
	fp2_sub(&c0, &c0, &t);

	fp2_sqr(&c1, &a->c2);
	fp2_mul_xi(&c1, &c1);
	fp2_mul(&t, &a->c0, &a->c1);
	fp2_sub(&c1, &c1, &t);

	fp2_sqr(&c2, &a->c1);
	fp2_mul(&t, &a->c0, &a->c2);
	fp2_sub(&c2, &c2, &t);

	fp2_mul(&t, &a->c2, &c1);
	fp2_mul(&s, &a->c1, &c2);
	fp2_add(&t, &t, &s);
	fp2_mul_xi(&t, &t);
	fp2_mul(&s, &a->c0, &c0);
	fp2_add(&t, &t, &s);
	fp2_inv(&t, &t);

	fp2_mul(&r->c0, &c0, &t);
	fp2_mul(&r->c1, &c1, &t);
	fp2_mul(&r->c2, &c2, &t);
}

/* ---- Fp12 ---- */

static void
fp12_one(fp12 *r)
{
	memset(r, 0, sizeof(*r));
	r->c0.c0.c0 = K.one;
}

static int
fp12_is_one(const fp12 *a)
{
	fp12	 one;

	fp12_one(&one);
	return memcmp(a, &one, sizeof(one)) == 0;
}

static void
fp12_mul(fp12 *r, const fp12 *a, const fp12 *b)
{
	fp6	 t0, t1, s, u;

	fp6_mul(&t0, &a->c0, &b->c0);
	fp6_mul(&t1, &a->c1, &b->c1);
	fp6_add(&s, &a->c0, &a->c1);
	fp6_add(&u, &b->c0, &b->c1);
	fp6_mul(&s, &s, &u);
	fp6_sub(&s, &s, &t0);
	fp6_sub(&r->c1, &s, &t1);
	fp6_mul_v(&t1, &t1);
	fp6_add(&r->c0, &t0, &t1);
}

static void
fp12_sqr(fp12 *r, const fp12 *a)
{
	fp6	 t, s, u, tv;

	/* (a0 + a1)(a0 + v a1) - t - v t, 2 t with t = a0 a1 */
	fp6_mul(&t, &a->c0, &a->c1);
	fp6_add(&s, &a->c0, &a->c1);
	fp6_mul_v(&u, &a->c1);
	fp6_add(&u, &u, &a->c0);
	fp6_mul(&s, &s, &u);
	fp6_mul_v(&tv, &t);
	fp6_sub(&s, &s, &t);
	fp6_sub(&r->c0, &s, &tv);
	fp6_add(&r->c1, &t, &t);
}

static void
fp12_conj(fp12 *r, const fp12 *a)
{
	r->c0 = a->c0;
	fp6_neg(&r->c1, &a->c1);
}

static void
fp12_inv(fp12 *r, const fp12 *a)
{
	fp6	 t0, t1;

	fp6_mul(&t0, &a->c0, &a->c0);
	fp6_mul(&t1, &a->c1, &a->c1);
	fp6_mul_v(&t1, &t1);
	fp6_sub(&t0, &t0, &t1);
	fp6_inv(&t0, &t0);
	fp6_mul(&r->c0, &a->c0, &t0);
	fp6_mul(&t1, &a->c1, &t0);
	fp6_neg(&r->c1, &t1);
}

/*
 * a^p: on the basis 1, w, ..., w^5 over Fp2 (w^0 = c0.c0, w^1 = c1.c0,
 * w^2 = c0.c1, w^3 = c1.c1, w^4 = c0.c2, w^5 = c1.c2), (c w^i)^p =
 * conj(c) (1 + u)^(i (p - 1) / 6) w^i.
 */
static void
fp12_frobenius(fp12 *r, const fp12 *a)
{
	fp2	*c[6];
	int	 i;

	*r = *a;
	c[0] = &r->c0.c0;
	c[1] = &r->c1.c0;
	c[2] = &r->c0.c1;
	c[3] = &r->c1.c1;
	c[4] = &r->c0.c2;
	c[5] = &r->c1.c2;
	for (i = 0; i < 6; i++) {
		fp2_conj(c[i], c[i]);
		fp2_mul(c[i], c[i], &K.frob[i]);
	}
}

/*
 * f^|x| for f in the cyclotomic subgroup; callers conjugate for x < 0
 * (there the inverse is the conjugate).
 */
static void
fp12_pow_x(fp12 *r, const fp12 *f)
{
	fp12	 acc = *f;
	int	 i;

	for (i = 62; i >= 0; i--) {
		fp12_sqr(&acc, &acc);
		if (BLS_X_ABS >> i & 1)
			fp12_mul(&acc, &acc, f);
	}
	*r = acc;
}

/* f^(x - 1) for the negative x: conj(f^|x|) conj(f). */
static void
fp12_pow_x_minus_1(fp12 *r, const fp12 *f)
{
	fp12	 t;

	fp12_pow_x(&t, f);
	fp12_mul(&t, &t, f);
	fp12_conj(r, &t);
}

/*
 * f^(3 (p^12 - 1) / r): the easy part (p^6 - 1)(p^2 + 1), then the hard
 * part through 3 (p^4 - p^2 + 1) / r = (x - 1)^2 (x + p)(x^2 + p^2 - 1)
 * + 3. The cube changes no verdict: r is prime and not 3, so f^(3 e) = 1
 * exactly when f^e = 1, and it keeps the pairing bilinear.
 */
static void
fp12_final_exp(fp12 *r, const fp12 *f)
{
	fp12	 t, u, a, b, c;

	fp12_conj(&t, f);
	fp12_inv(&u, f);
	fp12_mul(&t, &t, &u);
	fp12_frobenius(&u, &t);
	fp12_frobenius(&u, &u);
	fp12_mul(&t, &t, &u);
	/* a = t^((x - 1)^2) */
	fp12_pow_x_minus_1(&a, &t);
	fp12_pow_x_minus_1(&a, &a);
	/* b = a^(x + p) */
	fp12_pow_x(&b, &a);
	fp12_conj(&b, &b);
	fp12_frobenius(&u, &a);
	fp12_mul(&b, &b, &u);
	/* c = b^(x^2 + p^2 - 1) */
	fp12_pow_x(&c, &b);
	fp12_pow_x(&c, &c);
	fp12_frobenius(&u, &b);
	fp12_frobenius(&u, &u);
	fp12_mul(&c, &c, &u);
	fp12_conj(&u, &b);
	fp12_mul(&c, &c, &u);
	/* times t^3 */
	fp12_sqr(&u, &t);
	fp12_mul(&u, &u, &t);
	fp12_mul(r, &c, &u);
}

/* ---- G1 ---- */

static int
g1_is_inf(const g1 *a)
{
	return fp_is_zero(&a->z);
}

static void
g1_set_inf(g1 *r)
{
	memset(r, 0, sizeof(*r));
	r->x = K.one;
	r->y = K.one;
}

static void
g1_dbl(g1 *r, const g1 *a)
{
	fp	 A, B, C, D, E, F, t;

	if (g1_is_inf(a) || fp_is_zero(&a->y)) {
		g1_set_inf(r);
		return;
	}
	fp_sqr(&A, &a->x);
	fp_sqr(&B, &a->y);
	fp_sqr(&C, &B);
	fp_add(&D, &a->x, &B);
	fp_sqr(&D, &D);
	fp_sub(&D, &D, &A);
	fp_sub(&D, &D, &C);
	fp_add(&D, &D, &D);
	fp_add(&E, &A, &A);
	fp_add(&E, &E, &A);
	fp_sqr(&F, &E);
	fp_mul(&t, &a->y, &a->z);
	fp_add(&r->z, &t, &t);
	fp_sub(&r->x, &F, &D);
	fp_sub(&r->x, &r->x, &D);
	fp_sub(&t, &D, &r->x);
	fp_mul(&t, &t, &E);
	fp_add(&C, &C, &C);
	fp_add(&C, &C, &C);
	fp_add(&C, &C, &C);
	fp_sub(&r->y, &t, &C);
}

static void
g1_add(g1 *r, const g1 *a, const g1 *b)
{
	fp	 z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;

	if (g1_is_inf(a)) {
		*r = *b;
		return;
	}
	if (g1_is_inf(b)) {
		*r = *a;
		return;
	}
	fp_sqr(&z1z1, &a->z);
	fp_sqr(&z2z2, &b->z);
	fp_mul(&u1, &a->x, &z2z2);
	fp_mul(&u2, &b->x, &z1z1);
	fp_mul(&s1, &a->y, &b->z);
	fp_mul(&s1, &s1, &z2z2);
	fp_mul(&s2, &b->y, &a->z);
	fp_mul(&s2, &s2, &z1z1);
	fp_sub(&h, &u2, &u1);
	fp_sub(&rr, &s2, &s1);
	if (fp_is_zero(&h)) {
		if (fp_is_zero(&rr))
			g1_dbl(r, a);
		else
			g1_set_inf(r);
		return;
	}
	fp_add(&i, &h, &h);
	fp_sqr(&i, &i);
	fp_mul(&j, &h, &i);
	fp_add(&rr, &rr, &rr);
	fp_mul(&v, &u1, &i);
	fp_add(&t, &a->z, &b->z);
	fp_sqr(&t, &t);
	fp_sub(&t, &t, &z1z1);
	fp_sub(&t, &t, &z2z2);
	fp_mul(&r->z, &t, &h);
	fp_sqr(&t, &rr);
	fp_sub(&t, &t, &j);
	fp_sub(&t, &t, &v);
	fp_sub(&r->x, &t, &v);
	fp_sub(&t, &v, &r->x);
	fp_mul(&t, &t, &rr);
	fp_mul(&s1, &s1, &j);
	fp_add(&s1, &s1, &s1);
	fp_sub(&r->y, &t, &s1);
}

static void
g1_neg(g1 *r, const g1 *a)
{
	*r = *a;
	fp_neg(&r->y, &a->y);
}

static void
g1_mul(g1 *r, const g1 *a, const struct bytes *k)
{
	g1	 acc;
	size_t	 i;
	int	 bit;

	g1_set_inf(&acc);
	for (i = 0; i < k->n; i++)
		for (bit = 7; bit >= 0; bit--) {
			g1_dbl(&acc, &acc);
			if (k->b[i] >> bit & 1)
				g1_add(&acc, &acc, a);
		}
	*r = acc;
}

/* Affine x, y of a point other than the identity. */
static void
g1_affine(fp *x, fp *y, const g1 *a)
{
	fp	 zi, zi2;

	fp_inv(&zi, &a->z);
	fp_sqr(&zi2, &zi);
	fp_mul(x, &a->x, &zi2);
	fp_mul(&zi2, &zi2, &zi);
	fp_mul(y, &a->y, &zi2);
}

static int
g1_in_subgroup(const g1 *a)
{
	g1	 t;

	g1_mul(&t, a, &K.r);
	return g1_is_inf(&t);
}

static void
g1_encode(unsigned char out[48], const g1 *a)
{
	fp	 x, y;

	if (g1_is_inf(a)) {
		memset(out, 0, 48);
		out[0] = 0xc0;
		return;
	}
	g1_affine(&x, &y, a);
	fp_to_bytes(out, &x);
	out[0] |= 0x80;
	if (fp_is_large(&y))
		out[0] |= 0x20;
}

/* Decodes and checks a compressed point; the identity is BLS_OK. */
static int
g1_decode(g1 *r, const unsigned char *in, size_t len)
{
	unsigned char	 b[48];
	fp		 x, y, y2;
	size_t		 i;
	int		 large;

	if (len != 48 || (in[0] & 0x80) == 0)
		return BLS_BAD_ENCODING;
	if (in[0] & 0x40) {
		if ((in[0] & 0x3f) != 0)
			return BLS_BAD_ENCODING;
		for (i = 1; i < 48; i++)
			if (in[i] != 0)
				return BLS_BAD_ENCODING;
		g1_set_inf(r);
		return BLS_OK;
	}
	large = (in[0] & 0x20) != 0;
	memcpy(b, in, 48);
	b[0] &= 0x1f;
	if (fp_from_bytes(&x, b) != 0)
		return BLS_BAD_ENCODING;
	fp_sqr(&y2, &x);
	fp_mul(&y2, &y2, &x);
	fp_add(&y2, &y2, &K.b1);
	if (fp_sqrt(&y, &y2) != 0)
		return BLS_NOT_ON_CURVE;
	if (fp_is_large(&y) != large)
		fp_neg(&y, &y);
	r->x = x;
	r->y = y;
	r->z = K.one;
	if (!g1_in_subgroup(r))
		return BLS_NOT_IN_SUBGROUP;
	return BLS_OK;
}

/* ---- G2 ---- */

static int
g2_is_inf(const g2 *a)
{
	return fp2_is_zero(&a->z);
}

static void
g2_set_inf(g2 *r)
{
	memset(r, 0, sizeof(*r));
	r->x = K.one2;
	r->y = K.one2;
}

static void
g2_dbl(g2 *r, const g2 *a)
{
	fp2	 A, B, C, D, E, F, t;

	if (g2_is_inf(a) || fp2_is_zero(&a->y)) {
		g2_set_inf(r);
		return;
	}
	fp2_sqr(&A, &a->x);
	fp2_sqr(&B, &a->y);
	fp2_sqr(&C, &B);
	fp2_add(&D, &a->x, &B);
	fp2_sqr(&D, &D);
	fp2_sub(&D, &D, &A);
	fp2_sub(&D, &D, &C);
	fp2_add(&D, &D, &D);
	fp2_add(&E, &A, &A);
	fp2_add(&E, &E, &A);
	fp2_sqr(&F, &E);
	fp2_mul(&t, &a->y, &a->z);
	fp2_add(&r->z, &t, &t);
	fp2_sub(&r->x, &F, &D);
	fp2_sub(&r->x, &r->x, &D);
	fp2_sub(&t, &D, &r->x);
	fp2_mul(&t, &t, &E);
	fp2_add(&C, &C, &C);
	fp2_add(&C, &C, &C);
	fp2_add(&C, &C, &C);
	fp2_sub(&r->y, &t, &C);
}

static void
g2_add(g2 *r, const g2 *a, const g2 *b)
{
	fp2	 z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;

	if (g2_is_inf(a)) {
		*r = *b;
		return;
	}
	if (g2_is_inf(b)) {
		*r = *a;
		return;
	}
	fp2_sqr(&z1z1, &a->z);
	fp2_sqr(&z2z2, &b->z);
	fp2_mul(&u1, &a->x, &z2z2);
	fp2_mul(&u2, &b->x, &z1z1);
	fp2_mul(&s1, &a->y, &b->z);
	fp2_mul(&s1, &s1, &z2z2);
	fp2_mul(&s2, &b->y, &a->z);
	fp2_mul(&s2, &s2, &z1z1);
	fp2_sub(&h, &u2, &u1);
	fp2_sub(&rr, &s2, &s1);
	if (fp2_is_zero(&h)) {
		if (fp2_is_zero(&rr))
			g2_dbl(r, a);
		else
			g2_set_inf(r);
		return;
	}
	fp2_add(&i, &h, &h);
	fp2_sqr(&i, &i);
	fp2_mul(&j, &h, &i);
	fp2_add(&rr, &rr, &rr);
	fp2_mul(&v, &u1, &i);
	fp2_add(&t, &a->z, &b->z);
	fp2_sqr(&t, &t);
	fp2_sub(&t, &t, &z1z1);
	fp2_sub(&t, &t, &z2z2);
	fp2_mul(&r->z, &t, &h);
	fp2_sqr(&t, &rr);
	fp2_sub(&t, &t, &j);
	fp2_sub(&t, &t, &v);
	fp2_sub(&r->x, &t, &v);
	fp2_sub(&t, &v, &r->x);
	fp2_mul(&t, &t, &rr);
	fp2_mul(&s1, &s1, &j);
	fp2_add(&s1, &s1, &s1);
	fp2_sub(&r->y, &t, &s1);
}

static void
g2_neg(g2 *r, const g2 *a)
{
	*r = *a;
	fp2_neg(&r->y, &a->y);
}

static void
g2_mul(g2 *r, const g2 *a, const struct bytes *k)
{
	g2	 acc;
	size_t	 i;
	int	 bit;

	g2_set_inf(&acc);
	for (i = 0; i < k->n; i++)
		for (bit = 7; bit >= 0; bit--) {
			g2_dbl(&acc, &acc);
			if (k->b[i] >> bit & 1)
				g2_add(&acc, &acc, a);
		}
	*r = acc;
}

static void
g2_affine(fp2 *x, fp2 *y, const g2 *a)
{
	fp2	 zi, zi2;

	fp2_inv(&zi, &a->z);
	fp2_sqr(&zi2, &zi);
	fp2_mul(x, &a->x, &zi2);
	fp2_mul(&zi2, &zi2, &zi);
	fp2_mul(y, &a->y, &zi2);
}

static int
g2_in_subgroup(const g2 *a)
{
	g2	 t;

	g2_mul(&t, a, &K.r);
	return g2_is_inf(&t);
}

static void
g2_encode(unsigned char out[96], const g2 *a)
{
	fp2	 x, y;

	if (g2_is_inf(a)) {
		memset(out, 0, 96);
		out[0] = 0xc0;
		return;
	}
	g2_affine(&x, &y, a);
	fp_to_bytes(out, &x.c1);
	fp_to_bytes(out + 48, &x.c0);
	out[0] |= 0x80;
	if (fp2_is_large(&y))
		out[0] |= 0x20;
}

static int
g2_decode(g2 *r, const unsigned char *in, size_t len)
{
	unsigned char	 b[48];
	fp2		 x, y, y2;
	size_t		 i;
	int		 large;

	if (len != 96 || (in[0] & 0x80) == 0)
		return BLS_BAD_ENCODING;
	if (in[0] & 0x40) {
		if ((in[0] & 0x3f) != 0)
			return BLS_BAD_ENCODING;
		for (i = 1; i < 96; i++)
			if (in[i] != 0)
				return BLS_BAD_ENCODING;
		g2_set_inf(r);
		return BLS_OK;
	}
	large = (in[0] & 0x20) != 0;
	memcpy(b, in, 48);
	b[0] &= 0x1f;
	if (fp_from_bytes(&x.c1, b) != 0 ||
	    fp_from_bytes(&x.c0, in + 48) != 0)
		return BLS_BAD_ENCODING;
	fp2_sqr(&y2, &x);
	fp2_mul(&y2, &y2, &x);
	fp2_add(&y2, &y2, &K.b2);
	if (fp2_sqrt(&y, &y2) != 0)
		return BLS_NOT_ON_CURVE;
	if (fp2_is_large(&y) != large)
		fp2_neg(&y, &y);
	r->x = x;
	r->y = y;
	r->z = K.one2;
	if (!g2_in_subgroup(r))
		return BLS_NOT_IN_SUBGROUP;
	return BLS_OK;
}

/* ---- hash to curve (RFC 9380) ---- */

/* expand_message_xmd with SHA-256 (section 5.3.1); len <= 255 * 32. */
static void
expand_message_xmd(const unsigned char *msg, size_t msglen, const char *dst,
    unsigned char *out, size_t len)
{
	struct crypto_sha256	 h;
	unsigned char		 b0[32], bi[32], zpad[64], x[32];
	unsigned char		 lib[2], dlen, i, zero = 0;
	size_t			 ell, j, k, dstlen = strlen(dst);

	/* Tags over 255 bytes are hashed (5.3.3); none used here is. */
	dlen = (unsigned char)(dstlen > 255 ? 255 : dstlen);
	ell = (len + 31) / 32;
	memset(zpad, 0, sizeof(zpad));
	lib[0] = (unsigned char)(len >> 8);
	lib[1] = (unsigned char)len;
	crypto_sha256_init(&h);
	crypto_sha256_update(&h, zpad, sizeof(zpad));
	crypto_sha256_update(&h, msg, msglen);
	crypto_sha256_update(&h, lib, 2);
	crypto_sha256_update(&h, &zero, 1);
	crypto_sha256_update(&h, dst, dlen);
	crypto_sha256_update(&h, &dlen, 1);
	crypto_sha256_final(&h, b0);
	memset(bi, 0, sizeof(bi));
	for (j = 1; j <= ell; j++) {
		for (k = 0; k < 32; k++)
			x[k] = b0[k] ^ bi[k];
		i = (unsigned char)j;
		crypto_sha256_init(&h);
		/* b_1 = H(b_0 || 1 || DST'): b_0 xor 0 is b_0. */
		crypto_sha256_update(&h, x, 32);
		crypto_sha256_update(&h, &i, 1);
		crypto_sha256_update(&h, dst, dlen);
		crypto_sha256_update(&h, &dlen, 1);
		crypto_sha256_final(&h, bi);
		for (k = 0; k < 32 && (j - 1) * 32 + k < len; k++)
			out[(j - 1) * 32 + k] = bi[k];
	}
}

/* Simplified SWU onto y^2 = x^3 + A x + B (section 6.6.2), in Fp. */
static void
sswu1(fp *xo, fp *yo, const fp *u)
{
	fp	 u2, tv1, t, x1, gx1, x2, gx2, y;

	fp_sqr(&u2, u);
	fp_mul(&u2, &u2, &K.iso1_z);		/* Z u^2 */
	fp_sqr(&tv1, &u2);
	fp_add(&tv1, &tv1, &u2);		/* Z^2 u^4 + Z u^2 */
	fp_inv(&tv1, &tv1);
	if (fp_is_zero(&tv1)) {
		fp_mul(&t, &K.iso1_z, &K.iso1_a);
		fp_inv(&t, &t);
		fp_mul(&x1, &K.iso1_b, &t);
	} else {
		fp_add(&tv1, &tv1, &K.one);
		fp_inv(&t, &K.iso1_a);
		fp_mul(&t, &t, &K.iso1_b);
		fp_neg(&t, &t);
		fp_mul(&x1, &t, &tv1);
	}
	fp_sqr(&gx1, &x1);
	fp_add(&gx1, &gx1, &K.iso1_a);
	fp_mul(&gx1, &gx1, &x1);
	fp_add(&gx1, &gx1, &K.iso1_b);
	if (fp_sqrt(&y, &gx1) == 0) {
		*xo = x1;
	} else {
		fp_mul(&x2, &u2, &x1);
		fp_sqr(&gx2, &x2);
		fp_add(&gx2, &gx2, &K.iso1_a);
		fp_mul(&gx2, &gx2, &x2);
		fp_add(&gx2, &gx2, &K.iso1_b);
		/* gx1 gx2 = Z^3 u^6 gx1^2 with Z a non-square. */
		(void)fp_sqrt(&y, &gx2);
		*xo = x2;
	}
	if (fp_sgn0(u) != fp_sgn0(&y))
		fp_neg(&y, &y);
	*yo = y;
}

static void
sswu2(fp2 *xo, fp2 *yo, const fp2 *u)
{
	fp2	 u2, tv1, t, x1, gx1, x2, gx2, y;

	fp2_sqr(&u2, u);
	fp2_mul(&u2, &u2, &K.iso2_z);
	fp2_sqr(&tv1, &u2);
	fp2_add(&tv1, &tv1, &u2);
	if (fp2_is_zero(&tv1)) {
		fp2_mul(&t, &K.iso2_z, &K.iso2_a);
		fp2_inv(&t, &t);
		fp2_mul(&x1, &K.iso2_b, &t);
	} else {
		fp2_inv(&tv1, &tv1);
		fp2_add(&tv1, &tv1, &K.one2);
		fp2_inv(&t, &K.iso2_a);
		fp2_mul(&t, &t, &K.iso2_b);
		fp2_neg(&t, &t);
		fp2_mul(&x1, &t, &tv1);
	}
	fp2_sqr(&gx1, &x1);
	fp2_add(&gx1, &gx1, &K.iso2_a);
	fp2_mul(&gx1, &gx1, &x1);
	fp2_add(&gx1, &gx1, &K.iso2_b);
	if (fp2_sqrt(&y, &gx1) == 0) {
		*xo = x1;
	} else {
		fp2_mul(&x2, &u2, &x1);
		fp2_sqr(&gx2, &x2);
		fp2_add(&gx2, &gx2, &K.iso2_a);
		fp2_mul(&gx2, &gx2, &x2);
		fp2_add(&gx2, &gx2, &K.iso2_b);
		(void)fp2_sqrt(&y, &gx2);
		*xo = x2;
	}
	if (fp2_sgn0(u) != fp2_sgn0(&y))
		fp2_neg(&y, &y);
	*yo = y;
}

/* Horner: k[n-1] x^(n-1) + ... + k[0]; monic adds x^n. */
static void
poly1(fp *r, const fp *k, int n, int monic, const fp *x)
{
	fp	 acc;
	int	 i;

	if (monic) {
		acc = K.one;
		i = n - 1;
	} else {
		acc = k[n - 1];
		i = n - 2;
	}
	for (; i >= 0; i--) {
		fp_mul(&acc, &acc, x);
		fp_add(&acc, &acc, &k[i]);
	}
	*r = acc;
}

static void
poly2(fp2 *r, const fp2 *k, int n, int monic, const fp2 *x)
{
	fp2	 acc;
	int	 i;

	if (monic) {
		acc = K.one2;
		i = n - 1;
	} else {
		acc = k[n - 1];
		i = n - 2;
	}
	for (; i >= 0; i--) {
		fp2_mul(&acc, &acc, x);
		fp2_add(&acc, &acc, &k[i]);
	}
	*r = acc;
}

/* map_to_curve: SSWU then the isogeny, as a Jacobian point of E. */
static void
map_to_g1(g1 *r, const fp *u)
{
	fp	 x, y, xn, xd, yn, yd;

	sswu1(&x, &y, u);
	poly1(&xn, K.iso1_xnum, 12, 0, &x);
	poly1(&xd, K.iso1_xden, 10, 1, &x);
	poly1(&yn, K.iso1_ynum, 16, 0, &x);
	poly1(&yd, K.iso1_yden, 15, 1, &x);
	if (fp_is_zero(&xd) || fp_is_zero(&yd)) {
		g1_set_inf(r);
		return;
	}
	fp_inv(&xd, &xd);
	fp_inv(&yd, &yd);
	fp_mul(&r->x, &xn, &xd);
	fp_mul(&r->y, &yn, &yd);
	fp_mul(&r->y, &r->y, &y);
	r->z = K.one;
}

static void
map_to_g2(g2 *r, const fp2 *u)
{
	fp2	 x, y, xn, xd, yn, yd;

	sswu2(&x, &y, u);
	poly2(&xn, K.iso2_xnum, 4, 0, &x);
	poly2(&xd, K.iso2_xden, 2, 1, &x);
	poly2(&yn, K.iso2_ynum, 4, 0, &x);
	poly2(&yd, K.iso2_yden, 3, 1, &x);
	if (fp2_is_zero(&xd) || fp2_is_zero(&yd)) {
		g2_set_inf(r);
		return;
	}
	fp2_inv(&xd, &xd);
	fp2_inv(&yd, &yd);
	fp2_mul(&r->x, &xn, &xd);
	fp2_mul(&r->y, &yn, &yd);
	fp2_mul(&r->y, &r->y, &y);
	r->z = K.one2;
}

static void
hash_to_g1(g1 *r, const unsigned char *msg, size_t msglen, const char *dst)
{
	unsigned char	 u[128];
	fp		 u0, u1;
	g1		 q0, q1;

	expand_message_xmd(msg, msglen, dst, u, sizeof(u));
	fp_from_bytes64(&u0, u);
	fp_from_bytes64(&u1, u + 64);
	map_to_g1(&q0, &u0);
	map_to_g1(&q1, &u1);
	g1_add(&q0, &q0, &q1);
	g1_mul(r, &q0, &K.heff1);
}

static void
hash_to_g2(g2 *r, const unsigned char *msg, size_t msglen, const char *dst)
{
	unsigned char	 u[256];
	fp2		 u0, u1;
	g2		 q0, q1;

	expand_message_xmd(msg, msglen, dst, u, sizeof(u));
	fp_from_bytes64(&u0.c0, u);
	fp_from_bytes64(&u0.c1, u + 64);
	fp_from_bytes64(&u1.c0, u + 128);
	fp_from_bytes64(&u1.c1, u + 192);
	map_to_g2(&q0, &u0);
	map_to_g2(&q1, &u1);
	g2_add(&q0, &q0, &q1);
	g2_mul(r, &q0, &K.heff2);
}

/* ---- the pairing ---- */

/*
 * f times a line at P: with the twist (x', y') -> (x' / w^2, y' / w^3), the
 * line of slope n / d through (xt, yt) of E', at P, times d w^3, is
 * (n xt - d yt) - n xP w^2 + d yP w^3. The factor d w^3 lies in a proper
 * subfield, which the final exponentiation sends to 1; so may any further
 * factor of Fp2, which lets T stay in Jacobian coordinates.
 */
static void
line_mul(fp12 *f, const fp2 *c0, const fp2 *n, const fp2 *d, const fp *xp,
    const fp *yp)
{
	fp12	 line;
	fp2	 t;

	memset(&line, 0, sizeof(line));
	line.c0.c0 = *c0;
	fp2_mul_fp(&t, n, xp);
	fp2_neg(&line.c0.c1, &t);
	fp2_mul_fp(&line.c1.c1, d, yp);
	fp12_mul(f, f, &line);
}

/*
 * Miller loop of the optimal ate pairing, f_{|x|,Q}(P), conjugated because
 * x is negative. P affine, Q affine, neither the identity.
 */
static void
miller(fp12 *f, const fp *xp, const fp *yp, const fp2 *xq, const fp2 *yq)
{
	g2	 t, q;
	fp2	 n, d, c0, zz, x2, u;
	int	 i;

	q.x = *xq;
	q.y = *yq;
	q.z = K.one2;
	t = q;
	fp12_one(f);
	for (i = 62; i >= 0; i--) {
		fp12_sqr(f, f);
		/*
		 * Tangent at T = (X / Z^2, Y / Z^3): slope 3 X^2 / (2 Y Z);
		 * times Z^2: n = 3 X^2 Z^2, d = 2 Y Z^3,
		 * c0 = 3 X^3 - 2 Y^2.
		 */
		fp2_sqr(&zz, &t.z);
		fp2_sqr(&x2, &t.x);
		fp2_add(&n, &x2, &x2);
		fp2_add(&n, &n, &x2);			/* 3 X^2 */
		fp2_mul(&c0, &n, &t.x);			/* 3 X^3 */
		fp2_sqr(&u, &t.y);
		fp2_add(&u, &u, &u);
		fp2_sub(&c0, &c0, &u);
		fp2_mul(&n, &n, &zz);
		fp2_mul(&d, &t.y, &t.z);
		fp2_mul(&d, &d, &zz);
		fp2_add(&d, &d, &d);
		line_mul(f, &c0, &n, &d, xp, yp);
		g2_dbl(&t, &t);
		if ((BLS_X_ABS >> i & 1) == 0)
			continue;
		/*
		 * Chord through T and Q: slope (yQ Z^3 - Y) / (Z (xQ Z^2 -
		 * X)), the line taken through Q: c0 = n xQ - d yQ.
		 */
		fp2_sqr(&zz, &t.z);
		fp2_mul(&n, &zz, &t.z);
		fp2_mul(&n, &n, yq);
		fp2_sub(&n, &n, &t.y);
		fp2_mul(&d, &zz, xq);
		fp2_sub(&d, &d, &t.x);
		fp2_mul(&d, &d, &t.z);
		fp2_mul(&c0, &n, xq);
		fp2_mul(&u, &d, yq);
		fp2_sub(&c0, &c0, &u);
		line_mul(f, &c0, &n, &d, xp, yp);
		g2_add(&t, &t, &q);
	}
	fp12_conj(f, f);
}

/* prod e(p[i], q[i]) == 1; identities contribute 1. */
static int
pairing_product_is_one(const g1 *p, const g2 *q, int n)
{
	fp12	 f, m, r;
	fp	 xp, yp;
	fp2	 xq, yq;
	int	 i;

	fp12_one(&f);
	for (i = 0; i < n; i++) {
		if (g1_is_inf(&p[i]) || g2_is_inf(&q[i]))
			continue;
		g1_affine(&xp, &yp, &p[i]);
		g2_affine(&xq, &yq, &q[i]);
		miller(&m, &xp, &yp, &xq, &yq);
		fp12_mul(&f, &f, &m);
	}
	fp12_final_exp(&r, &f);
	return fp12_is_one(&r);
}

/* ---- setup ---- */

static void
bytes_from_hex(struct bytes *out, const char *hex)
{
	size_t	 n = strlen(hex), i;
	int	 v;
	char	 c;

	memset(out, 0, sizeof(*out));
	out->n = (n + 1) / 2;
	for (i = 0; i < n; i++) {
		c = hex[n - 1 - i];
		v = c <= '9' ? c - '0' : c - 'a' + 10;
		out->b[out->n - 1 - i / 2] |= (unsigned char)(v << (4 *
		    (i % 2)));
	}
}

static void
fp_from_hex(fp *r, const char *hex)
{
	struct bytes	 b;
	unsigned char	 be[48];

	bytes_from_hex(&b, hex);
	memset(be, 0, sizeof(be));
	memcpy(be + 48 - b.n, b.b, b.n);
	(void)fp_from_bytes(r, be);
}

static void
fp2_from_hex(fp2 *r, const char *c0, const char *c1)
{
	memset(r, 0, sizeof(*r));
	if (*c0 != '\0')
		fp_from_hex(&r->c0, c0);
	if (*c1 != '\0')
		fp_from_hex(&r->c1, c1);
}

static void
bls_init(void)
{
	unsigned char	 b[96];
	struct bytes	 e;
	fp2		 xi;
	int		 i;

	if (K.ready)
		return;
	fp_from_u64(&K.one, 1);
	fp_from_u64(&K.b1, 4);
	fp_from_u64(&K.half, 2);
	bytes_from_hex(&K.p_minus_2, hex_p_minus_2);
	fp_inv(&K.half, &K.half);
	memset(&K.one2, 0, sizeof(K.one2));
	K.one2.c0 = K.one;
	K.b2.c0 = K.b1;
	K.b2.c1 = K.b1;
	bytes_from_hex(&K.r, hex_r);
	bytes_from_hex(&K.sqrt_exp, hex_p_plus_1_div_4);
	bytes_from_hex(&K.heff1, hex_h_eff_g1);
	bytes_from_hex(&K.heff2, hex_h_eff_g2);

	xi.c0 = K.one;
	xi.c1 = K.one;
	bytes_from_hex(&e, hex_p_minus_1_div_6);
	fp2_pow(&K.frob[1], &xi, &e);
	K.frob[0] = K.one2;
	for (i = 2; i < 6; i++)
		fp2_mul(&K.frob[i], &K.frob[i - 1], &K.frob[1]);

	fp_from_hex(&K.iso1_a, hex_iso1_a);
	fp_from_hex(&K.iso1_b, hex_iso1_b);
	fp_from_u64(&K.iso1_z, 11);
	for (i = 0; i < 12; i++)
		fp_from_hex(&K.iso1_xnum[i], hex_iso1_xnum[i]);
	for (i = 0; i < 10; i++)
		fp_from_hex(&K.iso1_xden[i], hex_iso1_xden[i]);
	for (i = 0; i < 16; i++)
		fp_from_hex(&K.iso1_ynum[i], hex_iso1_ynum[i]);
	for (i = 0; i < 15; i++)
		fp_from_hex(&K.iso1_yden[i], hex_iso1_yden[i]);
	memset(&K.iso2_a, 0, sizeof(K.iso2_a));
	fp_from_u64(&K.iso2_a.c1, 240);
	fp_from_u64(&K.iso2_b.c0, 1012);
	K.iso2_b.c1 = K.iso2_b.c0;
	/* Z = -(2 + u) */
	fp_from_u64(&K.iso2_z.c0, 2);
	fp_neg(&K.iso2_z.c0, &K.iso2_z.c0);
	fp_neg(&K.iso2_z.c1, &K.one);
	for (i = 0; i < 4; i++)
		fp2_from_hex(&K.iso2_xnum[i], hex_iso2_xnum[i][0],
		    hex_iso2_xnum[i][1]);
	for (i = 0; i < 2; i++)
		fp2_from_hex(&K.iso2_xden[i], hex_iso2_xden[i][0],
		    hex_iso2_xden[i][1]);
	for (i = 0; i < 4; i++)
		fp2_from_hex(&K.iso2_ynum[i], hex_iso2_ynum[i][0],
		    hex_iso2_ynum[i][1]);
	for (i = 0; i < 3; i++)
		fp2_from_hex(&K.iso2_yden[i], hex_iso2_yden[i][0],
		    hex_iso2_yden[i][1]);

	K.ready = 1;
	bytes_from_hex(&e, hex_g1);
	memcpy(b, e.b, 48);
	(void)g1_decode(&K.g1gen, b, 48);
	bytes_from_hex(&e, hex_g2);
	memcpy(b, e.b, 96);
	(void)g2_decode(&K.g2gen, b, 96);
}

/* ---- the interface ---- */

const char *
bls_strerror(int status)
{
	switch (status) {
	case BLS_OK:
		return "valid";
	case BLS_BAD_ENCODING:
		return "not a compressed point (length, flags or a "
		    "coordinate not below p)";
	case BLS_NOT_ON_CURVE:
		return "point not on the curve";
	case BLS_NOT_IN_SUBGROUP:
		return "point not in the subgroup of order r";
	case BLS_IDENTITY:
		return "point at infinity";
	case BLS_BAD_SIGNATURE:
		return "bad signature: the pairing check fails";
	default:
		return "unknown error";
	}
}

int
bls_g1_check(const unsigned char *in, size_t len)
{
	g1	 p;

	bls_init();
	return g1_decode(&p, in, len);
}

int
bls_g2_check(const unsigned char *in, size_t len)
{
	g2	 q;

	bls_init();
	return g2_decode(&q, in, len);
}

int
bls_verify_g1sig(const unsigned char *pk, size_t pklen,
    const unsigned char *msg, size_t msglen, const unsigned char *sig,
    size_t siglen, const char *dst)
{
	g1	 p[2];
	g2	 q[2];
	int	 rc;

	bls_init();
	if ((rc = g2_decode(&q[1], pk, pklen)) != BLS_OK)
		return rc;
	if (g2_is_inf(&q[1]))
		return BLS_IDENTITY;
	if ((rc = g1_decode(&p[0], sig, siglen)) != BLS_OK)
		return rc;
	if (g1_is_inf(&p[0]))
		return BLS_IDENTITY;
	/* e(sig, -g2) e(H(m), pk) = 1 */
	g2_neg(&q[0], &K.g2gen);
	hash_to_g1(&p[1], msg, msglen, dst);
	return pairing_product_is_one(p, q, 2) ? BLS_OK : BLS_BAD_SIGNATURE;
}

int
bls_verify_g2sig(const unsigned char *pk, size_t pklen,
    const unsigned char *msg, size_t msglen, const unsigned char *sig,
    size_t siglen, const char *dst)
{
	g1	 p[2];
	g2	 q[2];
	int	 rc;

	bls_init();
	if ((rc = g1_decode(&p[1], pk, pklen)) != BLS_OK)
		return rc;
	if (g1_is_inf(&p[1]))
		return BLS_IDENTITY;
	if ((rc = g2_decode(&q[0], sig, siglen)) != BLS_OK)
		return rc;
	if (g2_is_inf(&q[0]))
		return BLS_IDENTITY;
	/* e(-g1, sig) e(pk, H(m)) = 1 */
	g1_neg(&p[0], &K.g1gen);
	hash_to_g2(&q[1], msg, msglen, dst);
	return pairing_product_is_one(p, q, 2) ? BLS_OK : BLS_BAD_SIGNATURE;
}

void
bls_hash_to_g1(const unsigned char *msg, size_t msglen, const char *dst,
    unsigned char out[96])
{
	g1	 p;
	fp	 x, y;

	bls_init();
	hash_to_g1(&p, msg, msglen, dst);
	g1_affine(&x, &y, &p);
	fp_to_bytes(out, &x);
	fp_to_bytes(out + 48, &y);
}

void
bls_hash_to_g2(const unsigned char *msg, size_t msglen, const char *dst,
    unsigned char out[192])
{
	g2	 q;
	fp2	 x, y;

	bls_init();
	hash_to_g2(&q, msg, msglen, dst);
	g2_affine(&x, &y, &q);
	fp_to_bytes(out, &x.c0);
	fp_to_bytes(out + 48, &x.c1);
	fp_to_bytes(out + 96, &y.c0);
	fp_to_bytes(out + 144, &y.c1);
}

static void
scalar_bytes(struct bytes *k, const unsigned char s[BLS_SCALAR_BYTES])
{
	memset(k, 0, sizeof(*k));
	memcpy(k->b, s, BLS_SCALAR_BYTES);
	k->n = BLS_SCALAR_BYTES;
}

void
bls_pubkey_g1(const unsigned char sk[BLS_SCALAR_BYTES],
    unsigned char pk[BLS_G1_BYTES])
{
	struct bytes	 k;
	g1		 p;

	bls_init();
	scalar_bytes(&k, sk);
	g1_mul(&p, &K.g1gen, &k);
	g1_encode(pk, &p);
}

void
bls_pubkey_g2(const unsigned char sk[BLS_SCALAR_BYTES],
    unsigned char pk[BLS_G2_BYTES])
{
	struct bytes	 k;
	g2		 q;

	bls_init();
	scalar_bytes(&k, sk);
	g2_mul(&q, &K.g2gen, &k);
	g2_encode(pk, &q);
}

void
bls_sign_g1(const unsigned char sk[BLS_SCALAR_BYTES],
    const unsigned char *msg, size_t msglen, const char *dst,
    unsigned char sig[BLS_G1_BYTES])
{
	struct bytes	 k;
	g1		 h;

	bls_init();
	scalar_bytes(&k, sk);
	hash_to_g1(&h, msg, msglen, dst);
	g1_mul(&h, &h, &k);
	g1_encode(sig, &h);
}

void
bls_sign_g2(const unsigned char sk[BLS_SCALAR_BYTES],
    const unsigned char *msg, size_t msglen, const char *dst,
    unsigned char sig[BLS_G2_BYTES])
{
	struct bytes	 k;
	g2		 h;

	bls_init();
	scalar_bytes(&k, sk);
	hash_to_g2(&h, msg, msglen, dst);
	g2_mul(&h, &h, &k);
	g2_encode(sig, &h);
}

int
bls_g1_mul(const unsigned char in[BLS_G1_BYTES],
    const unsigned char s[BLS_SCALAR_BYTES], unsigned char out[BLS_G1_BYTES])
{
	struct bytes	 k;
	g1		 p;

	bls_init();
	if (g1_decode(&p, in, BLS_G1_BYTES) != BLS_OK)
		return -1;
	scalar_bytes(&k, s);
	g1_mul(&p, &p, &k);
	g1_encode(out, &p);
	return 0;
}

int
bls_g2_mul(const unsigned char in[BLS_G2_BYTES],
    const unsigned char s[BLS_SCALAR_BYTES], unsigned char out[BLS_G2_BYTES])
{
	struct bytes	 k;
	g2		 q;

	bls_init();
	if (g2_decode(&q, in, BLS_G2_BYTES) != BLS_OK)
		return -1;
	scalar_bytes(&k, s);
	g2_mul(&q, &q, &k);
	g2_encode(out, &q);
	return 0;
}

int
bls_pairing_equal(const unsigned char p1[BLS_G1_BYTES],
    const unsigned char q1[BLS_G2_BYTES], const unsigned char p2[BLS_G1_BYTES],
    const unsigned char q2[BLS_G2_BYTES])
{
	g1	 p[2];
	g2	 q[2];

	bls_init();
	if (g1_decode(&p[0], p1, BLS_G1_BYTES) != BLS_OK ||
	    g2_decode(&q[0], q1, BLS_G2_BYTES) != BLS_OK ||
	    g1_decode(&p[1], p2, BLS_G1_BYTES) != BLS_OK ||
	    g2_decode(&q[1], q2, BLS_G2_BYTES) != BLS_OK)
		return -1;
	g1_neg(&p[1], &p[1]);
	return pairing_product_is_one(p, q, 2);
}

void
bls_g1_generator(unsigned char out[BLS_G1_BYTES])
{
	bls_init();
	g1_encode(out, &K.g1gen);
}

void
bls_g2_generator(unsigned char out[BLS_G2_BYTES])
{
	bls_init();
	g2_encode(out, &K.g2gen);
}
