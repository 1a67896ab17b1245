#!/usr/bin/env python3
"""dsr1_verify: an independent verifier of DSR-1 draw bundles.

Written from docs/protocol.md (the normative DSR-1 specification) alone,
without reading ssj's C code, as a check that the specification is
complete enough to re-implement the draw.  Standard library only.

    dsr1_verify.py BUNDLE_DIR [--key ssj.pub] [-q]
    dsr1_verify.py --self-test

Exit status: 0 the bundle verified; 1 a difference (the first one found is
named); 2 the bundle is unreadable, malformed or of an unknown version.

The primitives (SipHash-2-4-128, ChaCha20, the uniform integers of §9, the
key derivation of §6) are importable: `import dsr1_verify as d`.
See tests/independent/README.md for the ambiguities found in the spec.
"""

import argparse
import base64
import hashlib
import json
import pathlib
import re
import struct
import sys
import urllib.parse
from math import gcd

ALGORITHM = "DSR-1"

# --------------------------------------------------------------------------
# Primitives
# --------------------------------------------------------------------------

MASK64 = (1 << 64) - 1
MASK32 = (1 << 32) - 1


def b2_256(data):
    """BLAKE2b-256, no key (protocol.md, Notation and §2.6)."""
    return hashlib.blake2b(data, digest_size=32).digest()


def enc(x):
    """enc(x) = u32be(len(x)) || x (protocol.md, Notation)."""
    if len(x) > MASK32:
        raise ValueError("enc: string too long")
    return struct.pack(">I", len(x)) + x


def kdf(master, length, subkey_id, ctx):
    """libsodium crypto_kdf_derive_from_key (protocol.md §6)."""
    if len(ctx) != 8:
        raise ValueError("kdf: the context is 8 bytes")
    if not 16 <= length <= 64:
        raise ValueError("kdf: subkey length out of range")
    return hashlib.blake2b(b"", key=master,
                           salt=struct.pack("<Q", subkey_id) + bytes(8),
                           person=ctx + bytes(8),
                           digest_size=length).digest()


def _rotl64(x, b):
    return ((x << b) | (x >> (64 - b))) & MASK64


def _sipround(v0, v1, v2, v3):
    v0 = (v0 + v1) & MASK64
    v1 = _rotl64(v1, 13) ^ v0
    v0 = _rotl64(v0, 32)
    v2 = (v2 + v3) & MASK64
    v3 = _rotl64(v3, 16) ^ v2
    v0 = (v0 + v3) & MASK64
    v3 = _rotl64(v3, 21) ^ v0
    v2 = (v2 + v1) & MASK64
    v1 = _rotl64(v1, 17) ^ v2
    v2 = _rotl64(v2, 32)
    return v0, v1, v2, v3


def siphash24(key, msg, outlen=16):
    """SipHash-2-4 (Aumasson and Bernstein) with a 64- or 128-bit output.

    The 128-bit variant is the one of the reference implementation's
    siphash(in, inlen, k, out, 16): v1 ^= 0xee at initialisation, v2 ^=
    0xee before the finalisation, then v1 ^= 0xdd for the second half;
    each half is written little-endian.
    """
    if len(key) != 16:
        raise ValueError("siphash: the key is 16 bytes")
    if outlen not in (8, 16):
        raise ValueError("siphash: the output is 8 or 16 bytes")
    k0, k1 = struct.unpack("<QQ", key)
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573
    if outlen == 16:
        v1 ^= 0xEE
    n = len(msg)
    end = n - n % 8
    for i in range(0, end, 8):
        m = struct.unpack_from("<Q", msg, i)[0]
        v3 ^= m
        v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
        v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
        v0 ^= m
    b = (n & 0xFF) << 56
    for j, byte in enumerate(msg[end:]):
        b |= byte << (8 * j)
    v3 ^= b
    v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
    v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
    v0 ^= b
    v2 ^= 0xEE if outlen == 16 else 0xFF
    for _ in range(4):
        v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
    out = struct.pack("<Q", v0 ^ v1 ^ v2 ^ v3)
    if outlen == 16:
        v1 ^= 0xDD
        for _ in range(4):
            v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
        out += struct.pack("<Q", v0 ^ v1 ^ v2 ^ v3)
    return out


def ticket(k_tickets, target_id):
    """The ticket of a target (protocol.md §6): 16 bytes."""
    return siphash24(k_tickets, target_id.encode("ascii"), 16)


def _rotl32(x, b):
    return ((x << b) | (x >> (32 - b))) & MASK32


def chacha20_block(key, counter, nonce):
    """The ChaCha20 block function of RFC 8439 §2.3: 64 bytes."""
    if len(key) != 32 or len(nonce) != 12:
        raise ValueError("chacha20: 32-byte key and 12-byte nonce")
    if not 0 <= counter <= MASK32:
        raise ValueError("chacha20: the block counter is 32 bits")
    state = ([0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
             + list(struct.unpack("<8I", key)) + [counter]
             + list(struct.unpack("<3I", nonce)))
    x = list(state)

    def qr(a, b, c, d):
        x[a] = (x[a] + x[b]) & MASK32
        x[d] = _rotl32(x[d] ^ x[a], 16)
        x[c] = (x[c] + x[d]) & MASK32
        x[b] = _rotl32(x[b] ^ x[c], 12)
        x[a] = (x[a] + x[b]) & MASK32
        x[d] = _rotl32(x[d] ^ x[a], 8)
        x[c] = (x[c] + x[d]) & MASK32
        x[b] = _rotl32(x[b] ^ x[c], 7)

    for _ in range(10):
        qr(0, 4, 8, 12)
        qr(1, 5, 9, 13)
        qr(2, 6, 10, 14)
        qr(3, 7, 11, 15)
        qr(0, 5, 10, 15)
        qr(1, 6, 11, 12)
        qr(2, 7, 8, 13)
        qr(3, 4, 9, 14)
    return struct.pack("<16I", *((x[i] + state[i]) & MASK32
                                 for i in range(16)))


def chacha20_keystream(key, nonce, length, counter=0):
    """length bytes of ChaCha20 keystream from block `counter` on."""
    out = bytearray()
    while len(out) < length:
        out += chacha20_block(key, counter, nonce)
        counter += 1
    return bytes(out[:length])


def chacha20_xor(key, nonce, data, counter=0):
    """RFC 8439 §2.4 encryption (and decryption)."""
    ks = chacha20_keystream(key, nonce, len(data), counter)
    return bytes(a ^ b for a, b in zip(data, ks))


class Stream:
    """The stream of protocol.md §9: ChaCha20 (RFC 8439) under a 32-byte
    key, nonce of 12 zero bytes, block counter from 0, read as consecutive
    little-endian u32 words."""

    def __init__(self, key, nonce=bytes(12)):
        if len(key) != 32:
            raise ValueError("stream: the key is 32 bytes")
        self.key = key
        self.nonce = nonce
        self.counter = 0
        self.buf = b""
        self.pos = 0
        self.words_read = 0

    def word(self):
        if self.pos == len(self.buf):
            self.buf = chacha20_block(self.key, self.counter, self.nonce)
            self.counter += 1
            self.pos = 0
        w = struct.unpack_from("<I", self.buf, self.pos)[0]
        self.pos += 4
        self.words_read += 1
        return w

    def uniform(self, n):
        return uniform(self.word, n)


def uniform(next_word, n):
    """A uniform integer in [0, n) (protocol.md §9; libsodium's
    randombytes_uniform rejection): n = 1 gives 0 without reading a word;
    else lo = (2^32 - n) mod n, read words until w >= lo, return w mod n."""
    if not 1 <= n <= MASK32:
        raise ValueError("uniform: n must be in [1, 2^32 - 1]")
    if n == 1:
        return 0
    lo = ((1 << 32) - n) % n
    while True:
        w = next_word()
        if w >= lo:
            return w % n


def teams_stream(seed):
    """The §9 stream for inspector teams: under k_teams."""
    return Stream(kdf(seed, 32, 2, b"DSR1TEAM"))


def replace_stream(seed, n):
    """k_replace(n) of §6 (§9 does not yet say how it is used)."""
    if n < 1:
        raise ValueError("replacement numbers start at 1")
    return Stream(kdf(seed, 32, n, b"DSR1REPL"))


# --------------------------------------------------------------------------
# Known-answer tests
# --------------------------------------------------------------------------

# SipHash-2-4-128, key 00..0f, message 00 01 .. (i-1) for i = 0..63:
# vectors_sip128 of the SipHash reference repository (veorq/SipHash,
# vectors.h).
SIP128_VECTORS = """
a3817f04ba25a8e66df67214c7550293 da87c1d86b99af44347659119b22fc45
8177228da4a45dc7fca38bdef60affe4 9c70b60c5267a94e5f33b6b02985ed51
f88164c12d9c8faf7d0f6e7c7bcd5579 1368875980776f8854527a07690e9627
14eeca338b208613485ea0308fd7a15e a1f1ebbed8dbc153c0b84aa61ff08239
3b62a9ba6258f5610f83e264f31497b4 264499060ad9baabc47f8b02bb6d71ed
00110dc378146956c95447d3f3d0fbba 0151c568386b6677a2b4dc6f81e5dc18
d626b266905ef35882634df68532c125 9869e247e9c08b10d029934fc4b952f7
31fcefac66d7de9c7ec7485fe4494902 5493e99933b0a8117e08ec0f97cfc3d9
6ee2a4ca67b054bbfd3315bf85230577 473d06e8738db89854c066c47ae47740
a426e5e423bf4885294da481feaef723 78017731cf65fab074d5208952512eb1
9e25fc833f2290733e9344a5e83839eb 568e495abe525a218a2214cd3e071d12
4a29b54552d16b9a469c10528eff0aae c9d184ddd5a9f5e0cf8ce29a9abf691c
2db479ae78bd50d8882a8a178a6132ad 8ece5f042d5e447b5051b9eacb8d8f6f
9c0b53b4b3c307e87eaee08678141f66 abf248af69a6eae4bfd3eb2f129eeb94
0664da1668574b88b935f3027358aef4 aa4b9dc4bf337de90cd4fd3c467c6ab7
ea5c7f471faf6bde2b1ad7d4686d2287 2939b0183223fafc1723de4f52c43d35
7c3956ca5eeafc3e363e9d556546eb68 77c6077146f01c32b6b69d5f4ea9ffcf
37a6986cb8847edf0925f0f1309b54de a705f0e69da9a8f907241a2e923c8cc8
3dc47d1f29c448461e9e76ed904f6711 0d62bf01e6fc0e1a0d3c4751c5d3692b
8c03468bca7c669ee4fd5e084bbee7b5 528a5bb93baf2c9c4473cce5d0d22bd9
df6a301e95c95dad97ae0cc8c6913bd8 801189902c857f39e73591285e70b6db
e617346ac9c231bb3650ae34ccca0c5b 27d93437efb721aa401821dcec5adf89
89237d9ded9c5e78d8b1c9b166cc7342 4a6d8091bf5e7d651189fa94a250b14c
0e33f96055e7ae893ffc0e3dcf492902 e61c432b720b19d18ec8d84bdc63151b
f7e5aef549f782cf379055a608269b16 438d030fd0b7a54fa837f2ad201a6403
a590d3ee4fbf04e3247e0d27f286423f 5fe2c1a172fe93c4b15cd37caef9f538
2c97325cbd06b36eb2133dd08b3a017c 92c814227a6bca949ff0659f002ad39e
dce850110bd8328cfbd50841d6911d87 67f14984c7da791248e32bb5922583da
1938f2cf72d54ee97e94166fa91d2a36 74481e9646ed49fe0f6224301604698e
57fca5de98a9d6d8006438d0583d8a1d 9fecde1cefdc1cbed4763674d9575359
e3040c00eb28f15366ca73cbd872e740 7697009a6a831dfecca91c5993670f7a
5853542321f567a005d547a4f04759bd 5150d1772f50834a503e069a973fbd7c
""".split()

# SipHash-2-4-64, same inputs, the first vectors of vectors_sip64 (the
# 64-bit mode shares the core; a cross-check that the 128-bit differences
# are the only ones).
SIP64_VECTORS = """
310e0edd47db6f72 fd67dc93c539f874 5a4fa9d909806c0d 2d7efbd796666785
b7877127e09427cf 8da699cd64557618 cee3fe586e46c9cb 37d1018bf50002ab
6224939a79f5f593 b0e4a90bdf82009e f3b9dd94c5bb5d7a a7ad6b22462fb3f4
fbe50e86bc8f1e75 903d84c02756ea14 eef27a8e90ca23f7 e545be4961ca29a1
""".split()

RFC8439_KEY = bytes(range(32))

# RFC 8439 §2.3.2: block function, key 00..1f, nonce 000000090000004a
# 00000000, counter 1.
RFC8439_BLOCK = (
    "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
    "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e")

# RFC 8439 §2.4.2: encryption, key 00..1f, nonce 000000000000004a00000000,
# initial counter 1.
RFC8439_PLAINTEXT = (
    b"Ladies and Gentlemen of the class of '99: If I could offer you "
    b"only one tip for the future, sunscreen would be it.")
RFC8439_CIPHERTEXT = (
    "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
    "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
    "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
    "5af90bbf74a35be6b40b8eedf2785e42874d")

# RFC 8439 A.1, test vector #1: key and nonce all zero, counter 0 -- the
# §9 stream's nonce and counter.
RFC8439_A1_1 = (
    "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
    "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586")

# libsodium randombytes_buf_deterministic(100 bytes, seed 00..1f): ChaCha20
# with the nonce "LibsodiumDRG" (libsodium 1.0.18's KAT).
LIBSODIUM_DRG = (
    "0d8e6cc68715648926732e7ea73250cfaf2d58422083904c841a8ba33b986111"
    "f346ba50723a68ae283524a6bded09f83be6b80595856f72e25b86918e8b114b"
    "afb94bc8abedd73daab454576b7c5833eb0bf982a1bb4587a5c970ff0810ca3b"
    "791d7e12")

# libsodium test/default/kdf.exp: master key 00..1f, context "KDF test".
KDF_VECTORS = [
    (0, 64, "a0c724404728c8bb95e5433eb6a9716171144d61efb23e74b873fcbeda51d807"
            "1b5d70aae12066dfc94ce943f145aa176c055040c3dd73b0a15e36254d450614"),
    (1, 64, "02507f144fa9bf19010bf7c70b235b4c2663cc00e074f929602a5e2c10a78075"
            "7d2a3993d06debc378a90efdac196dd841817b977d67b786804f6d3cd585bab5"),
    (16, 16, "a529216624ef9161e4cf117272aafff2"),
    (32, 32, "154b291f11196737f8b7f491e4ca11764e0227d34f94295408a869f007aa8618"),
]


def self_test(out=sys.stdout):
    """Runs every known-answer test; returns the number of failures."""
    results = []

    def check(name, got, want):
        results.append((name, got == want))
        if got != want:
            print(f"FAIL {name}: got {got!r}, want {want!r}", file=out)

    key16 = bytes(range(16))
    for i, want in enumerate(SIP128_VECTORS):
        check(f"siphash-2-4-128 vector {i}",
              siphash24(key16, bytes(range(i)), 16).hex(), want)
    for i, want in enumerate(SIP64_VECTORS):
        check(f"siphash-2-4-64 vector {i}",
              siphash24(key16, bytes(range(i)), 8).hex(), want)

    check("chacha20 RFC 8439 2.3.2 block",
          chacha20_block(RFC8439_KEY, 1,
                         bytes.fromhex("000000090000004a00000000")).hex(),
          RFC8439_BLOCK)
    nonce = bytes.fromhex("000000000000004a00000000")
    ct = chacha20_xor(RFC8439_KEY, nonce, RFC8439_PLAINTEXT, 1)
    check("chacha20 RFC 8439 2.4.2 encryption", ct.hex(), RFC8439_CIPHERTEXT)
    check("chacha20 RFC 8439 2.4.2 decryption",
          chacha20_xor(RFC8439_KEY, nonce, ct, 1), RFC8439_PLAINTEXT)
    check("chacha20 RFC 8439 A.1 #1 (zero key, zero nonce, counter 0)",
          chacha20_keystream(bytes(32), bytes(12), 64).hex(), RFC8439_A1_1)
    check("chacha20 = libsodium randombytes_buf_deterministic(seed 00..1f)",
          chacha20_keystream(RFC8439_KEY, b"LibsodiumDRG", 100).hex(),
          LIBSODIUM_DRG)
    check("chacha20 keystream starts 0d8e6cc687156489",
          chacha20_keystream(RFC8439_KEY, b"LibsodiumDRG", 8).hex(),
          "0d8e6cc687156489")

    # The §9 stream: zero key, so its words are RFC 8439 A.1 #1 read as
    # little-endian u32: 0xade0b876, 0x903df1a0, ...
    s = Stream(bytes(32))
    check("stream words are little-endian u32",
          [s.word() for _ in range(3)], [0xADE0B876, 0x903DF1A0, 0xE56A5D40])
    s = Stream(bytes(32))
    words = [s.word() for _ in range(40)]
    s2 = Stream(bytes(32))
    check("stream crosses block boundaries",
          [s2.word() for _ in range(40)], words)
    check("stream word 16 is block 1", words[16],
          struct.unpack("<I", chacha20_block(bytes(32), 1, bytes(12))[:4])[0])
    # uniform(10) on the zero-key stream: lo = 2^32 mod 10 = 6, the first
    # word 0xade0b876 = 2917185654 >= 6, so 2917185654 mod 10 = 4.
    s = Stream(bytes(32))
    check("uniform(10) on RFC 8439 A.1 #1", s.uniform(10), 4)
    check("uniform(10) reads one word", s.words_read, 1)
    s = Stream(bytes(32))
    check("uniform(1) is 0", s.uniform(1), 0)
    check("uniform(1) reads no word", s.words_read, 0)

    # The rejection rule on scripted words.
    def scripted(ws):
        it = iter(ws)
        read = []

        def nxt():
            w = next(it)
            read.append(w)
            return w
        return nxt, read

    for n in (2, 3, 5, 7, 10, 1000, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1,
              3 * 2 ** 30, 2 ** 32 - 1):
        check(f"lo(n={n}) = 2^32 mod n", ((1 << 32) - n) % n, (1 << 32) % n)
    nxt, read = scripted([0, 5])  # n = 3: lo = 1, so 0 is rejected
    check("uniform(3) rejects w < lo", uniform(nxt, 3), 2)
    check("uniform(3) read two words", read, [0, 5])
    n = 2 ** 31 + 1  # lo = 2^31 - 1: more than half of the words rejected
    nxt, read = scripted([0, 2 ** 31 - 2, 2 ** 31 - 1])
    check("uniform(2^31+1) rejects below 2^31-1", uniform(nxt, n), 2 ** 31 - 1)
    check("uniform(2^31+1) read three words", len(read), 3)
    nxt, read = scripted([2 ** 32 - 1])  # lo = 2^32 mod n = 2^31 - 1
    check("uniform(2^31+1) of 2^32-1", uniform(nxt, n), (2 ** 32 - 1) % n)
    nxt, read = scripted([0, 1])  # n = 2^32 - 1: lo = 1
    check("uniform(2^32-1) rejects 0", uniform(nxt, 2 ** 32 - 1), 1)
    nxt, read = scripted([0])  # n = 2^31: lo = 0, nothing rejected
    check("uniform(2^31) accepts 0", uniform(nxt, 2 ** 31), 0)
    for bad in (0, 2 ** 32):
        try:
            uniform(lambda: 0, bad)
            check(f"uniform({bad}) is refused", False, True)
        except ValueError:
            check(f"uniform({bad}) is refused", True, True)

    for sub_id, length, want in KDF_VECTORS:
        check(f"kdf libsodium vector id={sub_id} len={length}",
              kdf(bytes(range(32)), length, sub_id, b"KDF test").hex(), want)

    check("enc", enc(b"DSR-1 seed"), b"\x00\x00\x00\x0aDSR-1 seed")
    check("blake2b-256 of empty input", b2_256(b"").hex(),
          "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")

    check("reveal unescaping", unescape_value(b"a\\\\b\\nc\\x09d\\x7f"),
          b"a\\b\nc\td\x7f")
    check("reduced fraction 60/1200", fraction(60, 1200), "1/20")
    check("reduced fraction 0/0", fraction(0, 0), "0/0")
    check("n_h: ceil(1200 * 5 / 100)", n_h(1200, 5, 100, None, None), 60)
    check("n_h: ceil(2201 * 10 / 100)", n_h(2201, 10, 100, None, None), 221)
    check("n_h: minimum", n_h(4, 3, 100, 2, None), 2)
    check("n_h: minimum above N_h", n_h(1, 3, 100, 2, None), 1)
    check("n_h: N_h = 0 with a minimum", n_h(0, 3, 100, 2, None), 0)
    check("n_h: maximum", n_h(1000, 50, 100, None, 10), 10)
    check("n_h: huge, exact", n_h(10 ** 30 + 1, 1, 3, None, None),
          (10 ** 30 + 1 + 2) // 3)

    failed = sum(1 for _, ok in results if not ok)
    if failed:
        print(f"self-test: {failed} of {len(results)} known-answer tests "
              f"FAILED", file=out)
    else:
        print(f"self-test: {len(results)} known-answer tests passed", file=out)
    return failed


# --------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------

class Difference(Exception):
    """The bundle does not verify (exit 1)."""


class Malformed(Exception):
    """The bundle cannot be read as DSR-1 (exit 2)."""


HEX64 = re.compile(r"[0-9a-f]{64}\Z")
HEX32 = re.compile(r"[0-9a-f]{32}\Z")
DECIMAL = re.compile(r"(0|[1-9][0-9]*)\Z")
WITNESS_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}\Z")
TARGET_ID = re.compile(r"([0-9A-Z]{18}|[0-9]{15})\Z")
DIVISION = re.compile(r"[0-9]{6}\Z")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
CREDENTIAL = re.compile(r"[A-Z0-9-]+\Z")

# The files of a bundle (§8).  Withheld in a public bundle: these three.
FRAMES = ["frame/targets.txt", "frame/inspectors.txt", "frame/conflicts.txt",
          "frame/excluded.txt", "frame/parameters.txt"]
WITHHELD = FRAMES[:3]
DATA_FILES = ["commitment.txt", "beacon.json"] + FRAMES + ["selection.txt"]

# drand networks whose timing we know (from shared/reference/randomness.md,
# not from the spec): chain hash -> (genesis, period).
DRAND_CHAINS = {
    "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971":
        ("quicknet", 1692803367, 3),
    "8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce":
        ("mainnet default", 1595431050, 30),
}


def fraction(num, den):
    """A reduced fraction, `0/0` when den = 0 (§7)."""
    if den == 0:
        return "0/0"
    g = gcd(num, den)
    return f"{num // g}/{den // g}"


def n_h(N, num, den, minimum, maximum):
    """§7: c = ceil(N*NUM/DEN); max with the minimum; min with N; min with
    the maximum.  Exact integer arithmetic."""
    c = -((-N * num) // den)
    n = c
    if minimum is not None:
        n = max(n, minimum)
    n = min(n, N)
    if maximum is not None:
        n = min(n, maximum)
    return n


def unescape_value(raw):
    """Undoes §8's escaping of reveal values: `\\\\`, `\\n`, `\\xHH`."""
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c != 0x5C:
            if c < 0x20 or c == 0x7F:
                raise Malformed("manifest: unescaped control byte in a "
                                "reveal value")
            out.append(c)
            i += 1
            continue
        nxt = raw[i + 1:i + 2]
        if nxt == b"\\":
            out.append(0x5C)
            i += 2
        elif nxt == b"n":
            out.append(0x0A)
            i += 2
        elif nxt == b"x" and re.fullmatch(rb"[0-9a-fA-F]{2}", raw[i + 2:i + 4]):
            out.append(int(raw[i + 2:i + 4], 16))
            i += 4
        else:
            raise Malformed("manifest: bad escape in a reveal value: "
                            + repr(raw[i:i + 4]))
    return bytes(out)


def _dec(value, what):
    if not DECIMAL.match(value):
        raise Malformed(f"{what}: not a decimal number: {value!r}")
    return int(value)


def _hex(value, what, pattern=HEX64):
    if not pattern.match(value):
        raise Malformed(f"{what}: not lowercase hex of the right length: "
                        f"{value!r}")
    return bytes.fromhex(value)


def split_lines(data, name):
    """Text lines per the Notation: UTF-8, each ends with LF, no CR."""
    if not data.endswith(b"\n"):
        raise Malformed(f"{name}: does not end with a line feed")
    if b"\r" in data:
        raise Malformed(f"{name}: contains a carriage return")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Malformed(f"{name}: not UTF-8 ({e})")
    return data[:-1].split(b"\n")


def name_value(line, name, lineno):
    """`NAME VALUE` with a single space after the name."""
    text = line.decode("utf-8")
    if " " not in text:
        raise Malformed(f"{name} line {lineno}: not 'NAME VALUE': {text!r}")
    key, value = text.split(" ", 1)
    return key, value


class Report:
    def __init__(self, quiet=False):
        self.quiet = quiet
        self.not_checked = []
        self.notes = []

    def ok(self, msg):
        if not self.quiet:
            print(f"ok: {msg}")

    def note(self, msg):
        self.notes.append(msg)
        if not self.quiet:
            print(f"note: {msg}")

    def unchecked(self, msg):
        self.not_checked.append(msg)


class Bundle:
    def __init__(self, root):
        self.root = pathlib.Path(root)
        if not self.root.is_dir():
            raise Malformed(f"{root}: not a directory")

    def path(self, rel):
        if rel.startswith("/") or ".." in rel.split("/") or "\\" in rel:
            raise Malformed(f"unsafe path in the manifest: {rel!r}")
        return self.root / rel

    def has(self, rel):
        return self.path(rel).is_file()

    def read(self, rel):
        try:
            return self.path(rel).read_bytes()
        except FileNotFoundError:
            raise Malformed(f"{rel}: missing")
        except OSError as e:
            raise Malformed(f"{rel}: unreadable ({e.strerror})")

    def all_files(self):
        return sorted(str(p.relative_to(self.root)).replace("\\", "/")
                      for p in self.root.rglob("*") if p.is_file())


# ---- manifest ------------------------------------------------------------

SINGLE = ["algorithm", "bundle", "batch", "commitment-blake2b-256",
          "beacon-round", "beacon-randomness", "secret", "seed", "selected"]


def parse_manifest(data, rep):
    lines = split_lines(data, "manifest.txt")
    head = lines[0].decode("utf-8")
    if head != "DSR-1 manifest":
        if re.match(r"DSR-\S+ manifest\Z", head):
            raise Malformed(f"manifest.txt: version {head.split()[0]!r} is "
                            f"not implemented (only DSR-1)")
        raise Malformed(f"manifest.txt: first line is {head!r}, not "
                        f"'DSR-1 manifest'")
    m = {"reveal": [], "stratum": [], "file": []}
    for no, line in enumerate(lines[1:], 2):
        if line.startswith(b"reveal "):
            # Bytes, not text: the value is escaped (§8) and is hashed as
            # bytes.
            parts = line.split(b" ", 2)
            if len(parts) != 3:
                raise Malformed(f"manifest.txt line {no}: 'reveal NAME "
                                f"VALUE' expected")
            wname = parts[1].decode("ascii", "replace")
            m["reveal"].append((wname, unescape_value(parts[2]), no))
            continue
        key, value = name_value(line, "manifest.txt", no)
        if key == "stratum":
            f = value.split(" ")
            if len(f) != 4:
                raise Malformed(f"manifest.txt line {no}: 'stratum NAME N n "
                                f"P/Q' expected")
            m["stratum"].append((f[0], _dec(f[1], "manifest stratum N"),
                                 _dec(f[2], "manifest stratum n"), f[3], no))
        elif key == "file":
            f = value.split(" ")
            if len(f) == 2:
                withheld = False
            elif len(f) == 3 and f[2] == "withheld":
                withheld = True
            else:
                raise Malformed(f"manifest.txt line {no}: 'file PATH HEX "
                                f"[withheld]' expected")
            m["file"].append((f[0], _hex(f[1], f"manifest file {f[0]}"),
                              withheld, no))
        elif key in SINGLE:
            if key in m:
                raise Malformed(f"manifest.txt line {no}: a second {key!r}")
            m[key] = value
        else:
            rep.note(f"manifest.txt line {no}: {key!r} is not in §8; ignored")
    for key in SINGLE:
        if key not in m:
            raise Malformed(f"manifest.txt: no {key!r} line")
    if m["algorithm"] != ALGORITHM:
        raise Malformed(f"manifest.txt: algorithm {m['algorithm']!r} is not "
                        f"implemented (only DSR-1)")
    if m["bundle"] not in ("full", "public"):
        raise Malformed(f"manifest.txt: bundle {m['bundle']!r} is neither "
                        f"'full' nor 'public'")
    paths = [f[0] for f in m["file"]]
    if len(set(paths)) != len(paths):
        raise Malformed("manifest.txt: a file is listed twice")
    return m


# ---- commitment ----------------------------------------------------------

def parse_commitment(data):
    lines = split_lines(data, "commitment.txt")
    head = lines[0].decode("utf-8")
    if head != "DSR-1 commitment":
        raise Malformed(f"commitment.txt: first line is {head!r}, not "
                        f"'DSR-1 commitment'")
    kv = [name_value(l, "commitment.txt", i)
          for i, l in enumerate(lines[1:], 2)]
    fixed = ["batch", "created", "snapshot", "targets-blake2b-256",
             "inspectors-blake2b-256", "conflicts-blake2b-256",
             "excluded-blake2b-256", "parameters-blake2b-256", "beacon"]
    if len(kv) < len(fixed) + 1:
        raise Malformed("commitment.txt: too few lines")
    c = {}
    for i, key in enumerate(fixed):
        if kv[i][0] != key:
            raise Malformed(f"commitment.txt line {i + 2}: {key!r} expected, "
                            f"found {kv[i][0]!r}")
        c[key] = kv[i][1]
    c["snapshot"] = _dec(c["snapshot"], "commitment snapshot")
    for key in fixed[3:8]:
        c[key] = _hex(c[key], f"commitment {key}")
    b = c["beacon"].split(" ")
    if len(b) != 5 or b[0] != "drand":
        raise Malformed("commitment.txt: 'beacon drand CHAINHASH ROUND "
                        "GENESIS PERIOD' expected")
    c["chain"] = _hex(b[1], "commitment beacon chain hash").hex()
    c["round"] = _dec(b[2], "commitment beacon round")
    c["genesis"] = _dec(b[3], "commitment beacon genesis")
    c["period"] = _dec(b[4], "commitment beacon period")
    if c["period"] == 0:
        raise Malformed("commitment.txt: beacon period 0")
    c["witnesses"] = []
    i = len(fixed)
    while i < len(kv) and kv[i][0] == "witness":
        w = kv[i][1].split(" ")
        if len(w) != 2 or not WITNESS_NAME.match(w[0]):
            raise Malformed(f"commitment.txt line {i + 2}: 'witness NAME "
                            f"HASH' expected")
        c["witnesses"].append((w[0], _hex(w[1], f"witness {w[0]} hash")))
        i += 1
    if i != len(kv) - 1 or kv[i][0] != "secret-blake2b-256":
        raise Malformed(f"commitment.txt line {i + 2}: 'secret-blake2b-256' "
                        f"expected as the last line")
    c["secret"] = _hex(kv[i][1], "commitment secret hash")
    return c


# ---- frames --------------------------------------------------------------

def parse_frame(data, name, header, nfields):
    """A frame (§2): header line, TAB-separated records; returns the
    records (lists of str).  Canonical order is checked separately."""
    lines = split_lines(data, name)
    if lines[0].decode("utf-8") != header:
        raise Malformed(f"{name}: first line is "
                        f"{lines[0].decode('utf-8')!r}, not {header!r}")
    recs = []
    for no, line in enumerate(lines[1:], 2):
        f = line.decode("utf-8").split("\t")
        if len(f) != nfields:
            raise Malformed(f"{name} line {no}: {len(f)} fields, not "
                            f"{nfields}")
        recs.append(f)
    return recs


def check_sorted(recs, name, key):
    """§2: records sorted ascending by bytes, no duplicate."""
    for i in range(1, len(recs)):
        a = key(recs[i - 1])
        b = key(recs[i])
        if not a < b:
            what = "duplicate" if a == b else "out of order"
            raise Difference(f"{name} line {i + 2}: record {what} "
                             f"(§2: records sorted by bytes, no duplicate)")


def enc_fields(rec):
    return [f.encode("utf-8") for f in rec]


PARAM_ORDER = ["plan", "plan-blake2b-256", "task", "batch", "items", "lead",
               "joint", "draw-date", "window", "snapshot", "risk-month",
               "team-size", "experts"]


def parse_parameters(data):
    lines = split_lines(data, "frame/parameters.txt")
    if lines[0].decode("utf-8") != "DSR-1 parameters":
        raise Malformed("frame/parameters.txt: first line is not "
                        "'DSR-1 parameters'")
    kv = [name_value(l, "frame/parameters.txt", i)
          for i, l in enumerate(lines[1:], 2)]
    p = {}
    for i, key in enumerate(PARAM_ORDER):
        if i >= len(kv) or kv[i][0] != key:
            raise Malformed(f"frame/parameters.txt line {i + 2}: {key!r} "
                            f"expected")
        p[key] = kv[i][1]
    p["snapshot"] = _dec(p["snapshot"], "parameters snapshot")
    strata = []
    for i in range(len(PARAM_ORDER), len(kv)):
        key, value = kv[i]
        no = i + 2
        if key != "stratum":
            raise Malformed(f"frame/parameters.txt line {no}: 'stratum' "
                            f"expected, found {key!r}")
        f = value.split(" ")
        if len(f) != 6:
            raise Malformed(f"frame/parameters.txt line {no}: 'stratum NAME "
                            f"N NUM/DEN MIN MAX n' expected")
        name, N, ratio, mn, mx, n = f
        r = re.fullmatch(r"(0|[1-9][0-9]*)/([1-9][0-9]*)", ratio)
        if not r:
            raise Malformed(f"frame/parameters.txt line {no}: bad ratio "
                            f"{ratio!r}")
        strata.append({
            "name": name, "N": _dec(N, "stratum N_h"),
            "num": int(r.group(1)), "den": int(r.group(2)),
            "min": None if mn == "-" else _dec(mn, "stratum minimum"),
            "max": None if mx == "-" else _dec(mx, "stratum maximum"),
            "n": _dec(n, "stratum n_h"), "line": no})
    names = [s["name"] for s in strata]
    if len(set(names)) != len(names):
        raise Malformed("frame/parameters.txt: a stratum is listed twice")
    p["strata"] = strata
    return p


def check_strata(params, rep):
    """§2.5 and §7: the certain stratum first with 1/1, n_h recomputed
    from N_h and the quota.  Returns {name: stratum}."""
    strata = params["strata"]
    for i, s in enumerate(strata):
        where = f"frame/parameters.txt line {s['line']}"
        if s["name"] == "certain":
            if i != 0:
                raise Difference(f"{where}: the 'certain' stratum is not "
                                 f"first (§2.5)")
            if (s["num"], s["den"]) != (1, 1):
                raise Difference(f"{where}: the 'certain' stratum's ratio is "
                                 f"{s['num']}/{s['den']}, not 1/1 (§2.5)")
            want = s["N"]  # §7: the certain stratum has n_h = N_h
        else:
            want = n_h(s["N"], s["num"], s["den"], s["min"], s["max"])
        if s["n"] != want:
            raise Difference(f"{where}: stratum {s['name']}: n_h is "
                             f"{s['n']}, §7 gives {want}")
    if not strata or strata[0]["name"] != "certain":
        rep.note("frame/parameters.txt has no 'certain' stratum")
    rep.ok(f"n_h of {len(strata)} strata recomputed from N_h and the quota "
           f"(§7)")
    return {s["name"]: s for s in strata}


def check_manifest_strata(m, params, rep):
    want = [(s["name"], s["N"], s["n"], fraction(s["n"], s["N"]))
            for s in params["strata"]]
    got = [(s[0], s[1], s[2], s[3]) for s in m["stratum"]]
    for i in range(max(len(want), len(got))):
        if i >= len(got):
            raise Difference(f"manifest.txt: no 'stratum' line for "
                             f"{want[i][0]} (expected 'stratum "
                             f"{' '.join(map(str, want[i]))}')")
        if i >= len(want):
            raise Difference(f"manifest.txt line {m['stratum'][i][4]}: "
                             f"stratum {got[i][0]} is not in "
                             f"parameters.txt")
        if got[i] != want[i]:
            raise Difference(
                f"manifest.txt line {m['stratum'][i][4]}: expected 'stratum "
                f"{' '.join(map(str, want[i]))}', found 'stratum "
                f"{' '.join(map(str, got[i]))}'")
    rep.ok(f"manifest: {len(want)} stratum lines (N, n, reduced inclusion "
           f"probability)")


# ---- signatures ----------------------------------------------------------

def _ed25519():
    """Ed25519 verification from `cryptography` or `nacl`, if importable."""
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import \
            Ed25519PublicKey
        from cryptography.exceptions import InvalidSignature

        def verify(pk, sig, msg):
            try:
                Ed25519PublicKey.from_public_bytes(pk).verify(sig, msg)
                return True
            except InvalidSignature:
                return False
        return verify, "cryptography"
    except ImportError:
        pass
    try:
        import nacl.signing
        import nacl.exceptions

        def verify(pk, sig, msg):
            try:
                nacl.signing.VerifyKey(pk).verify(msg, sig)
                return True
            except nacl.exceptions.BadSignatureError:
                return False
        return verify, "nacl"
    except ImportError:
        return None, None


def parse_pubkey(data, name):
    """minisign public key: comment line, base64("Ed" || keynum || pk)."""
    lines = data.decode("utf-8", "replace").splitlines()
    if len(lines) < 2 or not lines[0].startswith("untrusted comment:"):
        raise Malformed(f"{name}: not a minisign public key")
    try:
        raw = base64.b64decode(lines[1].strip(), validate=True)
    except ValueError:
        raise Malformed(f"{name}: bad base64")
    if len(raw) != 42 or raw[:2] != b"Ed":
        raise Malformed(f"{name}: not an Ed25519 minisign public key")
    return raw[2:10], raw[10:]


def check_signature(bundle, rel, data, key, verify, rep, batch):
    """FILE.minisig: minisign's prehashed format; the trusted comment's
    `ssj-sig/1 ... file=NAME blake2b-256=HEX` fields must match the file."""
    sig_rel = rel + ".minisig"
    if not bundle.has(sig_rel):
        raise Difference(f"{sig_rel}: missing (§8: every file but ssj.pub "
                         f"is signed)")
    text = bundle.read(sig_rel).decode("utf-8", "replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if (len(lines) != 4 or not lines[0].startswith("untrusted comment: ")
            or not lines[2].startswith("trusted comment: ")):
        raise Malformed(f"{sig_rel}: not a four-line minisign signature")
    try:
        raw = base64.b64decode(lines[1], validate=True)
        gsig = base64.b64decode(lines[3], validate=True)
    except ValueError:
        raise Malformed(f"{sig_rel}: bad base64")
    if len(raw) != 74 or len(gsig) != 64:
        raise Malformed(f"{sig_rel}: bad signature length")
    alg, keynum, sig = raw[:2], raw[2:10], raw[10:]
    if alg != b"ED":
        raise Difference(f"{sig_rel}: algorithm {alg!r}, not the prehashed "
                         f"'ED'")
    comment = lines[2][len("trusted comment: "):]
    tokens = comment.split(" ")
    if tokens[0] != "ssj-sig/1":
        raise Difference(f"{sig_rel}: trusted comment does not start with "
                         f"'ssj-sig/1': {comment!r}")
    fields = {}
    for t in tokens[1:]:
        if "=" not in t:
            raise Difference(f"{sig_rel}: trusted comment field {t!r} is not "
                             f"NAME=VALUE")
        k, v = t.split("=", 1)
        fields[k] = urllib.parse.unquote_to_bytes(v)
    if "file" not in fields or "blake2b-256" not in fields:
        raise Difference(f"{sig_rel}: trusted comment has no file= or "
                         f"blake2b-256=: {comment!r}")
    signed_name = fields["file"].decode("utf-8", "replace")
    if signed_name not in (rel, rel.rsplit("/", 1)[-1]):
        raise Difference(f"{sig_rel}: the trusted comment names "
                         f"{signed_name!r}, not {rel!r}")
    if fields["blake2b-256"].decode("ascii", "replace") != b2_256(data).hex():
        raise Difference(f"{sig_rel}: the trusted comment's blake2b-256 is "
                         f"not the digest of {rel}")
    if "id" in fields and fields["id"] != batch.encode("utf-8"):
        raise Difference(f"{sig_rel}: the trusted comment's id= is "
                         f"{fields['id'].decode('utf-8', 'replace')!r}, not "
                         f"the batch {batch!r}")
    if key is not None and keynum != key[0]:
        raise Difference(f"{sig_rel}: made with key id "
                         f"{struct.unpack('<Q', keynum)[0]:016X}, not the "
                         f"trusted key's "
                         f"{struct.unpack('<Q', key[0])[0]:016X}")
    if verify is not None and key is not None:
        prehash = hashlib.blake2b(data, digest_size=64).digest()
        if not verify(key[1], sig, prehash):
            raise Difference(f"{sig_rel}: the signature of {rel} does not "
                             f"verify")
        if not verify(key[1], gsig, sig + comment.encode("utf-8")):
            raise Difference(f"{sig_rel}: the global signature (over the "
                             f"trusted comment) does not verify")
    return fields.get("kind", b"?").decode("utf-8", "replace"), signed_name


# ---- beacon --------------------------------------------------------------

def parse_beacon(data):
    try:
        b = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise Malformed(f"beacon.json: not JSON ({e})")
    if not isinstance(b, dict):
        raise Malformed("beacon.json: not a JSON object")
    for k in ("round", "randomness", "signature"):
        if k not in b:
            raise Malformed(f"beacon.json: no {k!r}")
    rnd = b["round"]
    if isinstance(rnd, bool) or not isinstance(rnd, int):
        raise Malformed(f"beacon.json: round {rnd!r} is not a JSON integer")
    for k in ("randomness", "signature"):
        if not isinstance(b[k], str) or not re.fullmatch(
                r"(?:[0-9a-fA-F]{2})+", b[k]):
            raise Malformed(f"beacon.json: {k} is not hex")
    return b


# ---- the verifier --------------------------------------------------------

def verify_bundle(root, rep, key_file=None, use_ed25519=True):
    bundle = Bundle(root)
    mdata = bundle.read("manifest.txt")
    m = parse_manifest(mdata, rep)
    public = m["bundle"] == "public"
    rep.ok(f"manifest.txt: algorithm DSR-1, bundle {m['bundle']}, batch "
           f"{m['batch']}")

    # §10 step 1: file digests.
    listed = {f[0]: f for f in m["file"]}
    for rel in DATA_FILES:
        if rel not in listed:
            raise Difference(f"manifest.txt: no 'file {rel} ...' line "
                             f"(§8)")
        withheld = listed[rel][2]
        if withheld and not (public and rel in WITHHELD):
            raise Difference(f"manifest.txt line {listed[rel][3]}: {rel} is "
                             f"marked withheld in a {m['bundle']} bundle")
        if public and rel in WITHHELD and not withheld:
            raise Difference(f"manifest.txt line {listed[rel][3]}: {rel} is "
                             f"not marked withheld in a public bundle")
    digests = {}
    for rel, digest, withheld, no in m["file"]:
        if withheld:
            if bundle.has(rel):
                rep.note(f"{rel} is marked withheld but is in the bundle")
            digests[rel] = digest
            continue
        data = bundle.read(rel)
        if b2_256(data) != digest:
            raise Difference(f"{rel}: BLAKE2b-256 is {b2_256(data).hex()}, "
                             f"manifest.txt line {no} says {digest.hex()}")
        digests[rel] = digest
    rep.ok(f"{sum(1 for f in m['file'] if not f[2])} file digests of "
           f"manifest.txt"
           + (f" ({sum(1 for f in m['file'] if f[2])} withheld)"
              if public else ""))
    unlisted = [rel for rel in bundle.all_files()
                if rel not in ("manifest.txt", "manifest.txt.minisig")
                and rel not in listed]
    if unlisted:
        rep.note(f"{len(unlisted)} files of the bundle have no 'file' line in "
                 f"manifest.txt (§8 says 'every other file'): "
                 f"{' '.join(unlisted)}")

    # §10 step 1: signatures.
    verify, lib = _ed25519() if use_ed25519 else (None, None)
    if key_file:
        key = parse_pubkey(pathlib.Path(key_file).read_bytes(), key_file)
        if bundle.has("ssj.pub") and parse_pubkey(
                bundle.read("ssj.pub"), "ssj.pub") != key:
            rep.note("the bundle's ssj.pub is not the trusted key given "
                     "with --key")
    elif bundle.has("ssj.pub"):
        key = parse_pubkey(bundle.read("ssj.pub"), "ssj.pub")
        rep.unchecked("that ssj.pub is the bureau's key: the signatures were "
                      "checked with the key shipped in the bundle itself "
                      "(give --key with a key obtained independently)")
    else:
        raise Difference("ssj.pub: missing (§8)")
    signed = ["manifest.txt"] + [r for r in DATA_FILES
                                 if not (public and r in WITHHELD)]
    kinds = set()
    for rel in signed:
        kind, _ = check_signature(bundle, rel, bundle.read(rel), key, verify,
                                  rep, m["batch"])
        kinds.add(kind)
    if public:
        for rel in WITHHELD:
            if bundle.has(rel + ".minisig"):
                rep.note(f"{rel}.minisig is in the public bundle")
    if verify is None:
        rep.ok(f"trusted comments of {len(signed)} signatures (file name, "
               f"BLAKE2b-256, key id)")
        rep.unchecked("signatures not checked (no Ed25519 in this Python)")
    else:
        rep.ok(f"{len(signed)} signatures (Ed25519 via {lib}) and their "
               f"trusted comments (file name, BLAKE2b-256, batch; kinds "
               f"{', '.join(sorted(kinds))})")

    # §10 step 2: the commitment and the frame digests.
    cdata = bundle.read("commitment.txt")
    c = parse_commitment(cdata)
    C = b2_256(cdata)
    if C.hex() != m["commitment-blake2b-256"]:
        raise Difference(f"commitment.txt: digest {C.hex()}, manifest.txt "
                         f"says commitment-blake2b-256 "
                         f"{m['commitment-blake2b-256']}")
    for rel in FRAMES:
        key_name = rel[len("frame/"):-len(".txt")] + "-blake2b-256"
        committed = c[key_name]
        if public and rel in WITHHELD:
            if digests[rel] != committed:
                raise Difference(f"manifest.txt: the withheld {rel}'s digest "
                                 f"is not the committed {key_name}")
            continue
        actual = b2_256(bundle.read(rel))
        if actual != committed:
            raise Difference(f"{rel}: BLAKE2b-256 {actual.hex()} is not the "
                             f"committed {key_name} {committed.hex()}")
    if c["batch"] != m["batch"]:
        raise Difference(f"commitment.txt batch {c['batch']!r} is not the "
                         f"manifest's {m['batch']!r}")
    rep.ok(f"commitment.txt: digest C = {C.hex()}, "
           f"{5 - (3 if public else 0)} frame digests"
           + (", 3 withheld frames' digests match the manifest"
              if public else ""))

    # §10 step 3: reveals, secret, beacon.
    names = [w[0] for w in c["witnesses"]]
    if len(set(names)) != len(names):
        rep.note("commitment.txt: two witnesses have the same name (§3 does "
                 "not forbid it); reveals are matched by position")
    if len(m["reveal"]) != len(c["witnesses"]):
        raise Difference(f"manifest.txt has {len(m['reveal'])} reveals, "
                         f"commitment.txt {len(c['witnesses'])} witnesses")
    for (wname, whash), (rname, value, no) in zip(c["witnesses"],
                                                   m["reveal"]):
        if rname != wname:
            raise Difference(f"manifest.txt line {no}: reveal of {rname!r}, "
                             f"the commitment's witness here is {wname!r}")
        if b2_256(value) != whash:
            raise Difference(f"manifest.txt line {no}: witness {wname}'s "
                             f"revealed value does not hash to the "
                             f"committed {whash.hex()}")
    K = _hex(m["secret"], "manifest secret")
    if b2_256(K) != c["secret"]:
        raise Difference("manifest.txt: the secret does not hash to the "
                         "committed secret-blake2b-256")
    beacon = parse_beacon(bundle.read("beacon.json"))
    if beacon["round"] != c["round"]:
        raise Difference(f"beacon.json: round {beacon['round']}, the "
                         f"committed round is {c['round']}")
    if _dec(m["beacon-round"], "manifest beacon-round") != c["round"]:
        raise Difference(f"manifest.txt: beacon-round {m['beacon-round']}, "
                         f"the committed round is {c['round']}")
    B = hashlib.sha256(bytes.fromhex(beacon["signature"])).digest()
    if bytes.fromhex(beacon["randomness"]) != B:
        raise Difference("beacon.json: randomness is not SHA-256 of the "
                         "signature")
    if beacon["randomness"] != B.hex():
        rep.note("beacon.json: randomness is not lowercase hex")
    if m["beacon-randomness"] != B.hex():
        raise Difference(f"manifest.txt: beacon-randomness "
                         f"{m['beacon-randomness']} is not SHA-256 of the "
                         f"beacon's signature {B.hex()}")
    rep.ok(f"{len(c['witnesses'])} reveals, the secret, the beacon round "
           f"{c['round']} and randomness = SHA-256(signature)")
    rep.unchecked("the drand BLS signature of the beacon round (and that it "
                  "belongs to the committed chain " + c["chain"][:16] + "…)")
    # §3: the commitment names the chain's timing; the round must not
    # have been out when the commitment was made.
    import datetime
    t = c["genesis"] + (c["round"] - 1) * c["period"]
    when = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    try:
        created = datetime.datetime.strptime(
            c["created"], "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.timezone.utc)
    except ValueError:
        raise Malformed(f"commitment.txt: created {c['created']!r} is not "
                        f"YYYY-MM-DDTHH:MM:SSZ")
    if when <= created:
        raise Difference(f"beacon round {c['round']} was out at "
                         f"{when:%Y-%m-%dT%H:%M:%SZ}, before the commitment "
                         f"was made ({c['created']}) (§3)")
    rep.ok(f"beacon round {c['round']} is due at {when:%Y-%m-%dT%H:%M:%SZ}, "
           f"after the commitment ({c['created']})")
    # §10 step 4: the seed.
    parts = [enc(b"DSR-1 seed"), enc(C), enc(B)]
    for (wname, _), (_, value, _) in zip(c["witnesses"], m["reveal"]):
        parts += [enc(wname.encode("ascii")), enc(value)]
    parts.append(enc(K))
    seed = b2_256(b"".join(parts))
    if seed.hex() != m["seed"]:
        raise Difference(f"manifest.txt: seed {m['seed']}, §5 gives "
                         f"{seed.hex()}")
    rep.ok(f"seed {seed.hex()} (§5)")
    k_tickets = kdf(seed, 16, 1, b"DSR1TICK")

    # Parameters (public in both bundles) and the n_h rule.
    params = parse_parameters(bundle.read("frame/parameters.txt"))
    if params["batch"] != m["batch"]:
        raise Difference(f"frame/parameters.txt batch {params['batch']!r} "
                         f"is not the manifest's {m['batch']!r}")
    if params["snapshot"] != c["snapshot"]:
        raise Difference(f"frame/parameters.txt snapshot "
                         f"{params['snapshot']} is not the commitment's "
                         f"{c['snapshot']}")
    strata = check_strata(params, rep)
    check_manifest_strata(m, params, rep)
    total = sum(s["n"] for s in params["strata"])

    excluded = parse_frame(bundle.read("frame/excluded.txt"),
                           "frame/excluded.txt", "DSR-1 excluded", 2)
    check_sorted(excluded, "frame/excluded.txt", lambda r: r[0].encode())
    for r in excluded:
        if r[1] not in ("status", "same-item", "annual-cap", "quiet-period"):
            raise Difference(f"frame/excluded.txt: reason {r[1]!r} of "
                             f"{r[0]} is not one of §2.4's")
    excluded_ids = {r[0] for r in excluded}

    sdata = bundle.read("selection.txt")
    if public:
        return verify_public(m, sdata, k_tickets, strata, total,
                             excluded_ids, rep)
    return verify_full(bundle, m, sdata, k_tickets, params, strata, total,
                       excluded_ids, rep)


def verify_full(bundle, m, sdata, k_tickets, params, strata, total,
                excluded_ids, rep):
    targets = parse_frame(bundle.read("frame/targets.txt"),
                          "frame/targets.txt", "DSR-1 targets", 3)
    check_sorted(targets, "frame/targets.txt", lambda r: r[0].encode())
    counts = {name: 0 for name in strata}
    for i, (tid, stratum, division) in enumerate(targets, 2):
        if not TARGET_ID.match(tid):
            raise Difference(f"frame/targets.txt line {i}: {tid!r} is not an "
                             f"18-character USCC or a 15-digit number (§2)")
        if not DIVISION.match(division):
            raise Difference(f"frame/targets.txt line {i}: division "
                             f"{division!r} is not six digits")
        if stratum not in strata:
            raise Difference(f"frame/targets.txt line {i}: stratum "
                             f"{stratum!r} is not in parameters.txt")
        if tid in excluded_ids:
            raise Difference(f"frame/targets.txt line {i}: {tid} is also in "
                             f"excluded.txt")
        counts[stratum] += 1
    for name, s in strata.items():
        if counts[name] != s["N"]:
            raise Difference(f"frame/parameters.txt line {s['line']}: "
                             f"stratum {name} has N_h = {s['N']}, "
                             f"targets.txt has {counts[name]}")
    rep.ok(f"frame/targets.txt: {len(targets)} targets, N_h of every stratum")

    inspectors = parse_frame(bundle.read("frame/inspectors.txt"),
                             "frame/inspectors.txt", "DSR-1 inspectors", 6)
    check_sorted(inspectors, "frame/inspectors.txt", lambda r: r[0].encode())
    conflicts = parse_frame(bundle.read("frame/conflicts.txt"),
                            "frame/conflicts.txt", "DSR-1 conflicts", 2)
    check_sorted(conflicts, "frame/conflicts.txt", lambda r: enc_fields(r))
    rep.ok(f"frame/inspectors.txt ({len(inspectors)}) and conflicts.txt "
           f"({len(conflicts)}): canonical order (not used by the "
           f"enterprise draw)")

    # §6 and §7: tickets and the selection.
    by_stratum = {name: [] for name in strata}
    for tid, stratum, _ in targets:
        by_stratum[stratum].append((ticket(k_tickets, tid), tid.encode(),
                                    stratum))
    selected = []
    for name, s in strata.items():
        by_stratum[name].sort()
        selected += by_stratum[name][:s["n"]]
    selected.sort()
    want = [b"DSR-1 selection"] + [
        b"%d\t%s\t%s\t%s" % (rank, tid, st.encode(), t.hex().encode())
        for rank, (t, tid, st) in enumerate(selected, 1)]
    compare_lines(want, sdata, "selection.txt")
    check_count(m, len(selected), total)
    rep.ok(f"selection.txt: {len(selected)} selected, identical line by "
           f"line")
    return len(targets)


def selection_lines(data):
    """selection.txt is a result to compare, so a broken line structure
    is a difference (exit 1), not a malformed bundle."""
    try:
        return split_lines(data, "selection.txt")
    except Malformed as e:
        raise Difference(str(e))


def verify_public(m, sdata, k_tickets, strata, total, excluded_ids, rep):
    lines = selection_lines(sdata)
    if lines[0] != b"DSR-1 public selection":
        raise Difference(f"selection.txt line 1: "
                         f"{lines[0].decode('utf-8', 'replace')!r}, expected "
                         f"'DSR-1 public selection'")
    prev = None
    for rank, line in enumerate(lines[1:], 1):
        no = rank + 1
        f = line.decode("utf-8").split("\t")
        if len(f) != 3:
            raise Difference(f"selection.txt line {no}: {len(f)} fields, a "
                             f"public selection has 3 (rank, id, ticket)")
        if f[0] != str(rank):
            raise Difference(f"selection.txt line {no}: rank {f[0]!r}, "
                             f"expected {rank}")
        tid = f[1]
        if not TARGET_ID.match(tid):
            raise Difference(f"selection.txt line {no}: {tid!r} is not a "
                             f"target id (§2)")
        t = ticket(k_tickets, tid)
        if f[2] != t.hex():
            raise Difference(f"selection.txt line {no}: ticket of {tid} is "
                             f"{t.hex()}, found {f[2]!r}")
        if tid in excluded_ids:
            raise Difference(f"selection.txt line {no}: {tid} is in "
                             f"excluded.txt")
        cur = (t, tid.encode())
        if prev is not None and not prev < cur:
            raise Difference(f"selection.txt line {no}: not in (ticket, id) "
                             f"order after line {no - 1} (§7)")
        prev = cur
    count = len(lines) - 1
    check_count(m, count, total)
    rep.ok(f"selection.txt (public): {count} tickets recomputed, ranks and "
           f"(ticket, id) order; the count is the sum of n_h")
    rep.unchecked("that the selected targets are in the committed frame and "
                  "which stratum each is in (targets.txt is withheld)")
    rep.unchecked("that the selected are the n_h smallest tickets of their "
                  "strata, and N_h of each stratum against the frame")
    return count


def check_count(m, count, total):
    selected = _dec(m["selected"], "manifest selected")
    if selected != count:
        raise Difference(f"manifest.txt: selected {selected}, selection.txt "
                         f"has {count}")
    if count != total:
        raise Difference(f"selection.txt has {count} targets, the sum of "
                         f"n_h in parameters.txt is {total}")


def compare_lines(want, data, name):
    """Line by line; the first difference is named."""
    lines = selection_lines(data)
    for i in range(max(len(want), len(lines))):
        no = i + 1
        if i >= len(lines):
            raise Difference(f"{name}: ends after line {len(lines)}; line "
                             f"{no} should be {want[i].decode()!r}")
        if i >= len(want):
            raise Difference(f"{name} line {no}: unexpected "
                             f"{lines[i].decode('utf-8', 'replace')!r} "
                             f"(the selection has {len(want) - 1} targets)")
        if lines[i] != want[i]:
            raise Difference(f"{name} line {no}: expected "
                             f"{want[i].decode()!r}, found "
                             f"{lines[i].decode('utf-8', 'replace')!r}")


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Verify a DSR-1 bundle (docs/protocol.md §10) "
                    "independently of ssj.")
    ap.add_argument("bundle", nargs="?", help="the bundle directory")
    ap.add_argument("--key", help="the trusted minisign public key (default: "
                    "the bundle's own ssj.pub, which proves little)")
    ap.add_argument("--self-test", action="store_true",
                    help="run the known-answer tests of the primitives")
    ap.add_argument("--no-ed25519", action="store_true",
                    help="do not verify Ed25519 even if a module is there")
    ap.add_argument("-q", "--quiet", action="store_true",
                    help="print only the verdict")
    args = ap.parse_args(argv)
    if args.self_test:
        failed = self_test()
        if not args.bundle:
            return 1 if failed else 0
        if failed:
            return 1
    if not args.bundle:
        ap.error("a bundle directory is required")
    rep = Report(args.quiet)
    try:
        n = verify_bundle(args.bundle, rep, args.key, not args.no_ed25519)
    except Difference as e:
        print(f"difference: {e}", file=sys.stderr)
        return 1
    except Malformed as e:
        print(f"malformed bundle: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"unreadable: {e}", file=sys.stderr)
        return 2
    for u in rep.not_checked:
        print(f"not checked: {u}")
    print(f"verified: {n} targets, identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
