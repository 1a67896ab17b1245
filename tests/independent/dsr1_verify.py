#!/usr/bin/env python3
"""dsr1_verify: an independent verifier of DSR-1 draw bundles.

Written from docs/protocol.md (the normative DSR-1 specification) alone,
without reading ssj's C code, as a check that the specification is
complete enough to re-implement the draw.  Standard library only.

    dsr1_verify.py BUNDLE_DIR [--key ssj.pub] [-q]
    dsr1_verify.py --self-test        (or --selftest)

Exit status: 0 the bundle verified; 1 a difference (the first one found is
named); 2 the bundle is unreadable, malformed or of an unknown version.

The primitives (SipHash-2-4-128, ChaCha20, the uniform integers of §9, the
key derivation of §6) and the team procedure of §9 (TeamDraw) are
importable: `import dsr1_verify as d`.
See tests/independent/README.md for the ambiguities found in the spec.
"""

import argparse
import base64
import bisect
import collections
import datetime
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


class StreamExhausted(ValueError):
    """A draw would read past the 2^32 blocks of a stream (§9.1)."""


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
        self.buf = ()
        self.pos = 0
        self.words_read = 0

    def word(self):
        if self.pos == len(self.buf):
            if self.counter > MASK32:
                # §9.1: a draw that would read past 2^32 blocks fails.
                raise StreamExhausted("the stream's 2^32 blocks are used up "
                                      "(§9.1)")
            self.buf = struct.unpack(
                "<16I", chacha20_block(self.key, self.counter, self.nonce))
            self.counter += 1
            self.pos = 0
        w = self.buf[self.pos]
        self.pos += 1
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
    """The §9.1 stream of the n-th replacement (§9.6): under k_replace(n)."""
    if n < 1:
        raise ValueError("replacement numbers start at 1")
    return Stream(kdf(seed, 32, n, b"DSR1REPL"))


# --------------------------------------------------------------------------
# Inspector teams (§9.2-§9.6)
# --------------------------------------------------------------------------

# An inspector of inspectors.txt (§2.2): credential, department,
# jurisdiction (tuple of division codes), qualifications (frozenset),
# valid-until (YYYY-MM-DD text), expert (bool), load (int).
Inspector = collections.namedtuple(
    "Inspector", "cred dept juris quals valid expert load")

# The §9.2 inputs of parameters.txt: W (the window's last day), the lead
# department, the joint ones (tuple, in order), the team size t, the
# number of experts e, the caps (int, or None for `-`) and Q(D) for each
# participating department D (dict of frozensets).
TeamParams = collections.namedtuple(
    "TeamParams", "W lead joint t e cap_batch cap_year require")

# The capacity of an inspector with neither cap set.
UNBOUNDED = 1 << 64


def covers(code, d):
    """§9.2: a jurisdiction code covers division d when it equals d, or
    ends in 00 but not 0000 and its first four digits are d's, or ends in
    0000 and its first two digits are d's."""
    if code == d:
        return True
    if code.endswith("0000"):
        return code[:2] == d[:2]
    if code.endswith("00"):
        return code[:4] == d[:4]
    return False


def covering_codes(d):
    """Every code that covers division d (the same rule, turned round)."""
    codes = {d, d[:2] + "0000"}
    if d[2:4] != "00":
        codes.add(d[:4] + "00")
    return codes


def capacity(ins, tp):
    """§9.2: the smaller of cap-per-batch and cap-per-year - load (0 if
    negative), counting only the caps that are set; else unbounded."""
    caps = []
    if tp.cap_batch is not None:
        caps.append(tp.cap_batch)
    if tp.cap_year is not None:
        caps.append(max(tp.cap_year - ins.load, 0))
    return min(caps) if caps else UNBOUNDED


def slot_classes(tp):
    """The class of each slot 0 .. s-1 (§9.3): 0 the leader's (department
    L), 1 .. m the joint departments', m+1 the other sworn members', m+2
    the experts'.  Two slots of one class have the same eligible
    inspectors."""
    m = len(tp.joint)
    return ([0] + list(range(1, m + 1)) + [m + 1] * (tp.t - 1 - m)
            + [m + 2] * tp.e)


def inspector_classes(ins, tp):
    """The slot classes an inspector may fill anywhere it covers, by rules
    1, 4 and 5 of §9.3 (rules 2 and 3 depend on the target)."""
    if ins.valid < tp.W:                       # rule 1 (dates as text)
        return frozenset()
    m = len(tp.joint)
    if ins.expert:                             # rule 5; rule 4's "not an
        return frozenset([m + 2]) if tp.e else frozenset()   # expert"
    part = [tp.lead] + list(tp.joint)
    if ins.dept not in part or not tp.require[ins.dept] <= ins.quals:
        return frozenset()                     # rule 4
    own = part.index(ins.dept)
    return frozenset([own, m + 1]) if tp.t > m + 1 else frozenset([own])


class TeamDraw:
    """The state of §9.4-§9.6 for one batch, and the procedures on it.

    targets: [(id, division)] in selection (rank) order; conflicts: for
    each target, the set of indices (into `inspectors`, which is in
    inspectors.txt order) of the inspectors it may not meet.  Ranks and
    inspectors are 0-based here.

    Eligibility is indexed by (division, slot class): `elig[key]` is the
    ascending list of the inspectors that are eligible for a slot of that
    class of any target of that division but for the target's conflicts,
    and `avail[key]` the part of it whose load in the batch is below its
    capacity.  A slot's candidates are avail[key] minus the target's
    conflicts and team, so that a draw costs a few bisections, not a pass
    over the inspectors.
    """

    def __init__(self, inspectors, tp, targets, conflicts):
        self.ins = inspectors
        self.tp = tp
        self.t, self.e = tp.t, tp.e
        self.s = tp.t + tp.e
        self.slot_class = slot_classes(tp)
        self.cls = [inspector_classes(i, tp) for i in inspectors]
        self.cap = [capacity(i, tp) for i in inspectors]
        self.load = [0] * len(inspectors)
        self.holds = [set() for _ in inspectors]      # {(rank, slot)}
        self.targets = targets
        self.div = [d for _, d in targets]
        self.conflicts = conflicts
        self.team = [[None] * self.s for _ in targets]
        self.members = [set() for _ in targets]
        self.removed = {}                 # rank -> inspectors taken off
        self.unstaffable = []             # ranks (§9.4)
        self.repairs = 0
        self.moves = 0                    # earlier picks moved by repairs
        self.longest = 0                  # the most moved by one repair
        self.elig = {}
        self.avail = {}
        self.keys_of = [[] for _ in inspectors]
        self.pool_size = {}
        by_code = {}
        for i, ins in enumerate(inspectors):
            if self.cls[i]:
                for c in ins.juris:
                    by_code.setdefault(c, []).append(i)
        used = sorted(set(self.slot_class))
        for d in sorted(set(self.div)):
            pool = sorted(set().union(*(by_code.get(c, ())
                                        for c in covering_codes(d))))
            self.pool_size[d] = len(pool)
            for cl in used:
                lst = [i for i in pool if cl in self.cls[i]]
                key = (d, cl)
                self.elig[key] = lst
                self.avail[key] = [i for i in lst if self.cap[i] > 0]
                for i in lst:
                    self.keys_of[i].append(key)

    # -- §9.3 ---------------------------------------------------------------

    def eligible_count(self, r):
        """The inspectors eligible for at least one slot of target r (all
        the classes of an inspector are classes of some slot)."""
        d = self.div[r]
        gone = sum(1 for j in self.conflicts[r]
                   if self.cls[j] and any(covers(c, d)
                                          for c in self.ins[j].juris))
        return self.pool_size[d] - gone

    def key(self, r, k):
        return (self.div[r], self.slot_class[k])

    # -- state ----------------------------------------------------------------

    def _drop(self, i):
        """i's load reached its capacity: no longer a candidate."""
        for key in self.keys_of[i]:
            a = self.avail[key]
            p = bisect.bisect_left(a, i)
            if p < len(a) and a[p] == i:
                del a[p]

    def _assign(self, r, k, i):
        self.team[r][k] = i
        self.members[r].add(i)
        self.holds[i].add((r, k))
        self.load[i] += 1
        if self.load[i] == self.cap[i]:
            self._drop(i)

    def _unassign(self, r, k):
        i = self.team[r][k]
        self.team[r][k] = None
        self.members[r].discard(i)
        self.holds[i].discard((r, k))
        self.load[i] -= 1
        if self.load[i] == self.cap[i] - 1:
            for key in self.keys_of[i]:
                bisect.insort(self.avail[key], i)
        return i

    def _pick(self, key, excl, src):
        """The candidates are avail[key] minus excl, in order; with c >= 1
        of them, candidate number src.uniform(c); None when c = 0 (and
        no word is read)."""
        avail = self.avail[key]
        pos = []
        for x in excl:
            p = bisect.bisect_left(avail, x)
            if p < len(avail) and avail[p] == x:
                pos.append(p)
        c = len(avail) - len(pos)
        if c == 0:
            return None
        u = src.uniform(c)
        for p in sorted(pos):        # the u-th, skipping the excluded
            if p <= u:
                u += 1
            else:
                break
        return avail[u]

    # -- §9.4 ----------------------------------------------------------------

    def draw(self, stream, stop=False):
        """The assignment: targets in rank order, slots 0 .. s-1.  With
        stop, it ends at the first target that cannot be staffed (a
        verifier needs no more: the draw fails whatever follows)."""
        for r in range(len(self.targets)):
            if stop and self.unstaffable:
                break
            for k in range(self.s):
                i = self._pick(self.key(r, k),
                               self.conflicts[r] | self.members[r], stream)
                if i is not None:
                    self._assign(r, k, i)
                elif self._repair(r, k):
                    self.repairs += 1
                elif not self.unstaffable or self.unstaffable[-1] != r:
                    # The slot stays empty; the next slots are still
                    # tried (§9.4, as read here).
                    self.unstaffable.append(r)
        return self

    # -- §9.5 ----------------------------------------------------------------

    def _repair(self, r0, k0):
        """The breadth-first search of §9.5 from the empty slot (r0, k0).

        As in the pseudocode, a visited slot S of target T (held by x)
        looks at the inspectors eligible for S, i != x, in order.  The
        first of them that is not on T's team and has capacity ends the
        search (the slots visited before it in the same pass cannot be on
        the path, so it is looked up directly in avail).  Without one,
        every other eligible inspector is on T's team (its slot is
        visited) or full (expanded once): those are merged in
        inspectors.txt order.  The full ones not yet expanded are kept per
        (division, class) and shrink as they are expanded.

        The queue is lazy: an expansion appends one entry (S, i) for all
        the slots i holds, and a slot is marked visited (its parent set)
        when the queue reaches it, if no earlier entry has.  The first
        offer of a slot in queue order is the one the pseudocode's
        "if H is not visited" keeps, so the slots are taken in the same
        order with the same parents; only the ones after the end are never
        touched.
        """
        E = (r0, k0)
        parent = {E: None}
        queue = collections.deque()
        expanded = set()
        pending = {}
        if self._visit(E, queue, parent, expanded, pending):
            return True
        while queue:
            S, i, S2 = queue.popleft()
            if S2 is not None:            # a slot of S's own target
                if S2 not in parent:
                    parent[S2] = (S, i)
                    if self._visit(S2, queue, parent, expanded, pending):
                        return True
                continue
            for H in sorted(self.holds[i]):   # i expanded from S
                if H not in parent:
                    parent[H] = (S, i)
                    if self._visit(H, queue, parent, expanded, pending):
                        return True
        return False

    def _visit(self, S, queue, parent, expanded, pending):
        """Takes slot S from the queue of §9.5: ends the search (True),
        or appends what S offers."""
        r, k = S
        x = self.team[r][k]
        cl = self.slot_class[k]
        key = (self.div[r], cl)
        conf, mem = self.conflicts[r], self.members[r]
        for a in self.avail[key]:
            if a not in conf and a not in mem:
                self._apply(S, a, parent)
                return True
        # Members of T eligible for S: they cover T's division, are valid
        # and in no conflict with T (they fill a slot of T), so only the
        # slot class is left to check.
        order = [j for j in mem if j != x and cl in self.cls[j]]
        team_set = set(order)
        pend = pending.get(key)
        if pend is None:
            pend = [i for i in self.elig[key]
                    if self.load[i] >= self.cap[i] and i not in expanded]
        if pend:
            keep = []
            for i in pend:
                if i in expanded:
                    continue
                if i in conf or i in mem:
                    keep.append(i)
                else:
                    order.append(i)
            pending[key] = keep
            order.sort()
        else:
            pending[key] = pend
            if not order:
                return False
            order.sort()
        for i in order:
            if i in team_set:
                queue.append((S, i, (r, self.team[r].index(i))))
            elif i not in expanded:
                expanded.add(i)
                queue.append((S, i, None))
        return False

    def _apply(self, S, i, parent):
        """Ending with (S, i): S gets i (its load grows); then up the
        parents, slot P gets y, the inspector that held S."""
        self.load[i] += 1
        if self.load[i] == self.cap[i]:
            self._drop(i)
        new, cur = i, S
        touched = set()
        moves = self.moves
        while True:
            r, k = cur
            old = self.team[r][k]
            if old is not None:
                self.members[r].discard(old)
                self.holds[old].discard(cur)
            self.team[r][k] = new
            self.members[r].add(new)
            self.holds[new].add(cur)
            touched.add(r)
            if parent[cur] is None:
                break
            cur, y = parent[cur]
            self.moves += 1
            if y != old:
                raise AssertionError("§9.5: the parent's inspector is not "
                                     "the one that held the slot")
            new = y
        self.longest = max(self.longest, self.moves - moves)
        for r in touched:
            filled = [j for j in self.team[r] if j is not None]
            if len(set(filled)) != len(filled) or len(filled) != len(
                    self.members[r]):
                raise AssertionError(
                    f"§9.5: the repair put one inspector twice on the team "
                    f"of {self.targets[r][0]} (the spec says it cannot)")

    # -- §9.6 ----------------------------------------------------------------

    def replace(self, r, k, x, stream):
        """The replacement of inspector x (an index) in slot k of target r,
        drawing from `stream` (under k_replace(n)).  Returns the inspector
        drawn, or None when there is no candidate (nothing changes)."""
        if self.team[r][k] != x:
            raise ValueError("replace: x does not hold that slot")
        self._unassign(r, k)
        gone = self.removed.setdefault(r, set())
        gone.add(x)
        i = self._pick(self.key(r, k),
                       self.conflicts[r] | self.members[r] | gone, stream)
        if i is None:
            gone.discard(x)
            self._assign(r, k, x)
            return None
        self._assign(r, k, i)
        return i

    # -- §9.7 ----------------------------------------------------------------

    def team_line(self, r):
        """The line of teams.txt for rank r (0-based), as bytes."""
        def creds(slots):
            return ";".join(self.ins[j].cred if j is not None else "?"
                            for j in slots)
        team = self.team[r]
        return ("%d\t%s\t%d\t%s\t%s" % (
            r + 1, self.targets[r][0], self.eligible_count(r),
            creds(team[:self.t]),
            creds(team[self.t:]) if self.e else "-")).encode("utf-8")


def naive_teams(inspectors, tp, targets, conflicts, stream, replacements=()):
    """§9.3-§9.6 transcribed literally, with no index: every eligibility is
    the five rules of §9.3, every candidate list a pass over all the
    inspectors, the repair the pseudocode of §9.5 line by line.  Far too
    slow for a real batch (O(targets x inspectors)); the self-test checks
    TeamDraw against it on random small batches.

    replacements: [(rank, slot, x, stream)].  Returns (the teams after the
    draw, the unstaffable ranks, the eligible counts, [drawn or None per
    replacement], the teams after the replacements)."""
    W, L, J, t = tp.W, tp.lead, list(tp.joint), tp.t
    m, s = len(J), tp.t + tp.e
    part = [L] + J
    n = len(inspectors)
    cap = [capacity(i, tp) for i in inspectors]

    def eligible(i, r, k):
        ins = inspectors[i]
        if not ins.valid >= W:
            return False
        if not any(covers(c, targets[r][1]) for c in ins.juris):
            return False
        if i in conflicts[r]:
            return False
        if k < t:
            if ins.expert:
                return False
            if k == 0:
                if ins.dept != L:
                    return False
            elif k <= m:
                if ins.dept != J[k - 1]:
                    return False
            elif ins.dept not in part:
                return False
            return all(q in ins.quals for q in tp.require[ins.dept])
        return ins.expert

    team = [[None] * s for _ in targets]
    load = [0] * n
    unstaffable = []

    def holds(i):
        return sorted((r, k) for r in range(len(targets))
                      for k in range(s) if team[r][k] == i)

    def repair(E):
        queue = [E]
        visited = {E}
        parent = {}
        expanded = set()
        while queue:
            S = queue.pop(0)
            r, k = S
            x = team[r][k]
            for i in range(n):
                if not eligible(i, r, k) or i == x:
                    continue
                if i in team[r]:
                    S2 = (r, team[r].index(i))
                    if S2 not in visited:
                        visited.add(S2)
                        parent[S2] = (S, i)
                        queue.append(S2)
                elif load[i] < cap[i]:
                    team[r][k] = i
                    load[i] += 1
                    while S != E:
                        P, y = parent[S]
                        team[P[0]][P[1]] = y
                        S = P
                    return True
                elif i not in expanded:
                    expanded.add(i)
                    for H in holds(i):
                        if H not in visited:
                            visited.add(H)
                            parent[H] = (S, i)
                            queue.append(H)
        return False

    for r in range(len(targets)):
        for k in range(s):
            cands = [i for i in range(n) if eligible(i, r, k)
                     and i not in team[r] and load[i] < cap[i]]
            if cands:
                i = cands[stream.uniform(len(cands))]
                team[r][k] = i
                load[i] += 1
            elif not repair((r, k)) and r not in unstaffable:
                unstaffable.append(r)
    counts = [sum(1 for i in range(n) if any(eligible(i, r, k)
                                             for k in range(s)))
              for r in range(len(targets))]
    after_draw = [list(x) for x in team]
    drawn = []
    removed = {}
    for r, k, x, src in replacements:
        assert team[r][k] == x
        team[r][k] = None
        load[x] -= 1
        gone = removed.setdefault(r, set())
        gone.add(x)
        cands = [i for i in range(n) if eligible(i, r, k)
                 and i not in team[r] and i not in gone and load[i] < cap[i]]
        if cands:
            i = cands[src.uniform(len(cands))]
        else:
            gone.discard(x)
            i = x
        team[r][k] = i
        load[i] += 1
        drawn.append(i if cands else None)
    return after_draw, unstaffable, counts, drawn, team


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


class ScriptedStream:
    """A word source for hand-worked examples: the given words, in order
    (running out is an error)."""

    def __init__(self, words):
        self.words = list(words)
        self.words_read = 0

    def word(self):
        if self.words_read == len(self.words):
            raise AssertionError("scripted stream: out of words")
        w = self.words[self.words_read]
        self.words_read += 1
        return w

    def uniform(self, n):
        return uniform(self.word, n)


def _ins(cred, dept, juris, quals, valid, expert, load):
    return Inspector(cred, dept, tuple(juris.split(";")),
                     frozenset(quals.split(";")) if quals else frozenset(),
                     valid, bool(expert), load)


def _creds(td, r):
    return [td.ins[i].cred if i is not None else None for i in td.team[r]]


PRIMITIVES = (pathlib.Path(__file__).resolve().parent.parent / "vectors"
              / "dsr1-primitives.txt")


def primitives_test(check, path=PRIMITIVES, out=sys.stdout):
    """The records of tests/vectors/dsr1-primitives.txt (§5, §6, §7, §9.1):
    the seed, the keys, tickets, the stream's words, uniform draws, n_h and
    two selections."""
    if not path.is_file():
        print(f"self-test: {path} not found; its vectors skipped", file=out)
        return
    rec = collections.defaultdict(list)
    for line in path.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            f = line.split(" ")
            rec[f[0]].append(f[1:])
    C = bytes.fromhex(rec["commitment"][0][0])
    B = bytes.fromhex(rec["beacon"][0][0])
    K = bytes.fromhex(rec["secret"][0][0])
    parts = [enc(b"DSR-1 seed"), enc(C), enc(B)]
    for name, value in rec["reveal"]:
        parts += [enc(name.encode()),
                  enc(b"" if value == "-" else bytes.fromhex(value))]
    parts.append(enc(K))
    seed = b2_256(b"".join(parts))
    check("vectors: seed (§5)", seed.hex(), rec["seed"][0][0])
    k_tickets = kdf(seed, 16, 1, b"DSR1TICK")
    check("vectors: k_tickets (§6)", k_tickets.hex(), rec["ticket-key"][0][0])
    check("vectors: k_teams (§6)", kdf(seed, 32, 2, b"DSR1TEAM").hex(),
          rec["team-key"][0][0])
    for n, want in rec["replace-key"]:
        check(f"vectors: k_replace({n}) (§6)",
              kdf(seed, 32, int(n), b"DSR1REPL").hex(), want)
    for tid, want in rec["ticket"]:
        check(f"vectors: ticket of {tid}", ticket(k_tickets, tid).hex(),
              want)
    s = teams_stream(seed)
    words = [s.word() for _ in range(max(int(i) for i, _ in rec["word"]) + 1)]
    for i, want in rec["word"]:
        check(f"vectors: stream word {i} (§9.1)", words[int(i)], int(want))
    s = teams_stream(seed)
    for n, want, read in rec["uniform"]:
        got = s.uniform(int(n))
        check(f"vectors: uniform({n}) (§9.1)", (got, s.words_read),
              (int(want), int(read)))
    for N, ratio, mn, mx, want in rec["sample"]:
        num, den = map(int, ratio.split("/"))
        check(f"vectors: n_h({N} {ratio} {mn} {mx}) (§7)",
              n_h(int(N), num, den, None if mn == "-" else int(mn),
                  None if mx == "-" else int(mx)), int(want))

    def selection(targets, quota):
        strata = collections.defaultdict(list)
        for tid, st, t in targets:
            strata[st].append((t, tid.encode()))
        chosen = []
        for st, lst in strata.items():
            chosen += sorted(lst)[:quota.get(st, 0)]
        return [tid.decode() for _, tid in sorted(chosen)]

    got = selection([(tid, st, ticket(k_tickets, tid))
                     for tid, st in rec["target"]],
                    {st: int(n) for st, n in rec["quota"]})
    check("vectors: selection (§7)", got,
          [tid for _, tid in sorted(rec["selected"], key=lambda r: int(r[0]))])
    got = selection([(tid, st, bytes.fromhex(t))
                     for tid, st, t in rec["tied"]],
                    {st: int(n) for st, n in rec["tied-quota"]})
    check("vectors: selection with tied tickets (§7)", got,
          [tid for _, tid in sorted(rec["tied-selected"],
                                    key=lambda r: int(r[0]))])


def teams_hand_test(check):
    """Batches small enough to follow §9 by hand, on scripted words."""
    # covers (§9.2).
    for code, d, want in [("360202", "360202", True),
                          ("360203", "360202", False),
                          ("360200", "360202", True),
                          ("360200", "360302", False),
                          ("360000", "360302", True),
                          ("370000", "360302", False),
                          ("360100", "360102", True),
                          ("360200", "360200", True),
                          ("360000", "360000", True)]:
        check(f"covers({code}, {d})", covers(code, d), want)
        check(f"covering_codes({d}) has {code}",
              code in covering_codes(d), want)

    # H1.  Joint task: L = ZJ, J_1 = XF (m = 1), t = 3, e = 0; Q(ZJ) =
    # {CCC}, Q(XF) = {}; cap-per-batch 2, cap-per-year 2, so capacity
    # = min(2, 2 - load): 1 for load 1, 2 for load 0, 0 for load 5.
    # T1 in 360302, T2 in 360203; A2 may not meet T2.
    tp = TeamParams(W="2026-05-29", lead="ZJ", joint=("XF",), t=3, e=0,
                    cap_batch=2, cap_year=2,
                    require={"ZJ": frozenset(["CCC"]), "XF": frozenset()})
    both = "360203;360302"
    ins = [_ins("A1", "ZJ", both, "CCC", "2028-12-31", 0, 1),   # cap 1
           _ins("A2", "ZJ", both, "CCC", "2028-12-31", 0, 1),   # cap 1
           _ins("A3", "ZJ", both, "CCC", "2028-12-31", 0, 5),   # cap 0
           _ins("A4", "ZJ", both, "", "2028-12-31", 0, 0),      # no CCC
           _ins("A5", "ZJ", "360200", "CCC", "2026-05-28", 0, 0),  # expired
           _ins("B1", "XF", both, "", "2028-12-31", 0, 1),
           _ins("B2", "XF", both, "", "2028-12-31", 0, 1),
           _ins("B3", "XF", "360203", "", "2028-12-31", 0, 1),
           _ins("B4", "XF", "360200", "", "2028-12-31", 0, 1),
           _ins("B5", "XF", "360203", "", "2028-12-31", 0, 1),
           _ins("B6", "XF", "360203", "", "2028-12-31", 0, 0),  # cap 2
           _ins("B7", "XF", "360100", "", "2028-12-31", 0, 0),  # elsewhere
           _ins("X1", "WS", "360000", "", "2028-12-31", 1, 0)]  # e = 0
    ix = {i.cred: n for n, i in enumerate(ins)}
    targets = [("T1", "360302"), ("T2", "360203")]
    conflicts = [frozenset(), frozenset([ix["A2"]])]
    # T1 slot 0 (ZJ): candidates A1 A2 (A3 has capacity 0): word 0 -> A1.
    # T1 slot 1 (XF): B1 B2: word 2 -> 0 -> B1.
    # T1 slot 2 (ZJ or XF): A2 B2: word 4 -> 0 -> A2.  A1 A2 B1 now full.
    # T2 slot 0 (ZJ): eligible A1 A3 (A2 conflicts, A5 expired), no
    #   candidate: the repair.  From E = (T2,0): A1 full, expand: visit
    #   (T1,0) [parent (E, A1)]; A3 full, holds nothing.  From (T1,0),
    #   held by A1: A2 holds (T1,2) of T1: visit it [parent ((T1,0), A2)].
    #   From (T1,2), held by A2: A1 holds visited (T1,0); A3 expanded;
    #   B1 holds (T1,1): visit; B2 has capacity: end with ((T1,2), B2).
    #   So (T1,2) <- B2, (T1,0) <- A2, (T2,0) <- A1: two earlier picks
    #   move, no word is read.
    # T2 slot 1 (XF): B3 B4 B5 B6 (B1 B2 full): word 5 -> 1 -> B4.
    # T2 slot 2: B3 B5 B6; lo = 2^32 mod 3 = 1: word 0 is rejected,
    #   word 3 -> 0 -> B3.
    s = ScriptedStream([0, 2, 4, 5, 0, 3])
    td = TeamDraw(ins, tp, targets, conflicts).draw(s)
    check("H1: T1's team after the repair", _creds(td, 0), ["A2", "B1", "B2"])
    check("H1: T2's team", _creds(td, 1), ["A1", "B4", "B3"])
    check("H1: one repair, all staffed", (td.repairs, td.unstaffable),
          (1, []))
    check("H1: words read", s.words_read, 6)
    # Eligible counts: T1: A1 A2 A3 B1 B2; T2: A1 A3 B1 B2 B3 B4 B5 B6.
    check("H1: teams.txt lines", [td.team_line(0), td.team_line(1)],
          [b"1\tT1\t5\tA2;B1;B2\t-", b"2\tT2\t8\tA1;B4;B3\t-"])
    check("H1: loads", [td.load[ix[c]] for c in
                        ("A1", "A2", "A3", "B1", "B2", "B3", "B4", "B5",
                         "B6")], [1, 1, 0, 1, 1, 1, 1, 0, 0])
    # Replacement 1: B4 off (T2,1): candidates B5 B6 (B1 B2 full; B4
    # removed): word 1 -> B6.
    s = ScriptedStream([1])
    got = td.replace(1, 1, ix["B4"], s)
    check("H1: replacement 1 draws B6", (ins[got].cred, s.words_read),
          ("B6", 1))
    # Replacement 2: B6 off (T2,1): B5 alone, no word.
    s = ScriptedStream([])
    check("H1: replacement 2 draws B5", ins[td.replace(1, 1, ix["B6"], s)]
          .cred, "B5")
    # Replacement 3: B5 off (T2,1): B4 and B6 were taken off T2 (their
    # load is 0 now), B1 B2 are full: no candidate; nothing changes.
    check("H1: replacement 3 fails", td.replace(1, 1, ix["B5"], s), None)
    check("H1: ... and changes nothing",
          (_creds(td, 1), td.load[ix["B5"]], sorted(td.removed[1])),
          (["A1", "B5", "B3"], 1, sorted([ix["B4"], ix["B6"]])))
    # Replacement 4: B3 off (T2,2): B4 has room again but was taken off
    # T2 ("may never again fill a slot of T"): no candidate.
    check("H1: replacement 4 fails", td.replace(1, 2, ix["B3"], s), None)
    check("H1: no word read by 2-4", s.words_read, 0)

    # H2.  One inspector, no cap, t = 2: slot 1 of every target finds no
    # path (the only eligible inspector holds slot 0 of the same target).
    # Both targets are named, and T2's slot 0 is still filled.
    tp2 = TeamParams(W="2026-05-29", lead="ZJ", joint=(), t=2, e=0,
                     cap_batch=None, cap_year=None,
                     require={"ZJ": frozenset()})
    ins2 = [_ins("A1", "ZJ", "360203", "", "2028-12-31", 0, 9)]
    s = ScriptedStream([])
    td = TeamDraw(ins2, tp2, [("T1", "360203"), ("T2", "360203")],
                  [frozenset(), frozenset()]).draw(s)
    check("H2: both targets cannot be staffed", td.unstaffable, [0, 1])
    check("H2: teams", [_creds(td, 0), _creds(td, 1)],
          [["A1", None], ["A1", None]])

    # H3.  An expert slot, on the real stream of the vectors' k_teams
    # (its words 0 and 1 are 1311724697 and 2301853845, both odd): t = 2,
    # e = 1.  Slot 0: A1 A2 (A3 is an expert) -> w0 mod 2 = 1 -> A2.
    # Slot 1 (other sworn): A1 alone, no word.  Slot 2 (expert): A3 W1
    # (W2 expired) -> w1 mod 2 = 1 -> W1.  Eligible: A1 A2 A3 W1.
    tp3 = TeamParams(W="2026-05-29", lead="ZJ", joint=(), t=2, e=1,
                     cap_batch=None, cap_year=None,
                     require={"ZJ": frozenset()})
    ins3 = [_ins("A1", "ZJ", "360202", "", "2028-12-31", 0, 0),
            _ins("A2", "ZJ", "360200", "CCC", "2028-12-31", 0, 0),
            _ins("A3", "ZJ", "360202", "", "2028-12-31", 1, 0),
            _ins("W1", "WS", "360000", "", "2026-05-29", 1, 0),
            _ins("W2", "WS", "360202", "", "2026-05-01", 1, 0)]
    s = Stream(bytes.fromhex("2aaef910c276a8fb6afe0b9a8c8eb2ea"
                             "7f975979a37b91a6a1b48aa3f66843fb"))
    td = TeamDraw(ins3, tp3, [("T1", "360202")], [frozenset()]).draw(s)
    check("H3: a team with an expert", td.team_line(0),
          b"1\tT1\t4\tA2;A1\tW1")
    check("H3: two words read", s.words_read, 2)

    # The candidate count and the u-th candidate, skipping the target's
    # conflicts and team (TeamDraw._pick).
    class Fixed:
        def __init__(self, u):
            self.u, self.n = u, None

        def uniform(self, n):
            self.n = n
            return self.u

    td = TeamDraw.__new__(TeamDraw)
    td.avail = {"k": [1, 3, 4, 6, 9]}
    for u, want in [(0, 3), (1, 6), (2, 9)]:
        f = Fixed(u)
        check(f"_pick: candidate {u} of avail minus {{1, 4, 7}}",
              (td._pick("k", {1, 4, 7}, f), f.n), (want, 3))

    # The reason of a replacement: escaped as a reveal value (§8).
    for raw in (b"\xe7\x94\x9f\xe7\x97\x85", b"a\\b\nc\td\x7f"):
        check(f"escape/unescape {raw!r}",
              unescape_value(escape_value(raw)), raw)
    check("escape of TAB and backslash", escape_value(b"\t\\"),
          b"\\x09\\\\")


def _random_batch(rng, dense):
    """A random small batch.  A "dense" one has few divisions, few
    restrictions and capacities near the number of slots, so that its
    draw often succeeds only thanks to repairs."""
    divisions = ["360202", "360203", "360281", "360302", "360200"]
    codes = divisions + ["360000", "360300", "370000"]
    quals = ["CCC", "CERT", "FIRE"]
    m = rng.choice([0, 0, 1])
    joint = ("XF",) if m else ()
    t = rng.randint(max(2, 1 + m), 3)
    e = rng.choice([0, 0, 1])
    part = ["ZJ"] + list(joint)
    cap_b = rng.choice([1, 2] if dense else [None, 1, 2, 3])
    cap_y = rng.choice([None, 2, 4])
    tp = TeamParams(
        W="2026-05-29", lead="ZJ", joint=joint, t=t, e=e,
        cap_batch=cap_b, cap_year=cap_y,
        require={d: frozenset(rng.sample(quals, rng.randint(0, 1)))
                 for d in part})
    divs = divisions[:2] if dense else divisions
    ins = []
    for n in range(rng.randint(6, 14) if dense else rng.randint(2, 12)):
        ins.append(Inspector(
            cred="I%02d" % n,
            dept=rng.choice(part + ["WS"] if not dense or e else part),
            juris=tuple(sorted(rng.sample(
                divs + ["360200"] if dense else codes,
                rng.randint(1, 2)))),
            quals=frozenset(rng.sample(quals,
                                       2 if dense else rng.randint(0, 2))),
            valid=(rng.choice(["2026-05-29", "2027-01-01"]) if dense else
                   rng.choice(["2026-05-28", "2026-05-29", "2027-01-01"])),
            expert=rng.random() < (0.2 if e else 0.05) if dense
            else rng.random() < 0.25,
            load=rng.randint(0, 3)))
    slots = sum(min(capacity(i, tp), 10) for i in ins)
    n_targets = (max(1, slots // (t + e) + rng.randint(-1, 1)) if dense
                 else rng.randint(1, 8))
    targets = [("T%d" % r, rng.choice(divs)) for r in range(n_targets)]
    conflicts = [frozenset(i for i in range(len(ins))
                           if rng.random() < (0.05 if dense else 0.1))
                 for _ in targets]
    return ins, tp, targets, conflicts


def _chain_batch(rng):
    """A random batch of cap-1 inspectors with two of six divisions each,
    as many slots as inspectors: its repairs move up to four earlier
    picks."""
    joint = ("XF",) if rng.random() < 0.33 else ()
    tp = TeamParams(W="2026-05-29", lead="ZJ", joint=joint,
                    t=3 if joint else rng.choice([2, 3]),
                    e=rng.choice([0, 1]), cap_batch=1, cap_year=None,
                    require={"ZJ": frozenset(), "XF": frozenset()})
    divs = ["360201", "360202", "360203", "360204", "360205", "360206"]
    ins = [Inspector("I%02d" % n, rng.choice(["ZJ", "XF"] if joint else
                                            ["ZJ"]),
                     tuple(sorted(rng.sample(divs, 2))),
                     frozenset(), "2027-01-01",
                     rng.random() < 0.2 if tp.e else False, 0)
           for n in range(rng.randint(20, 30))]
    targets = [("T%d" % r, rng.choice(divs))
               for r in range(len(ins) // (tp.t + tp.e))]
    conflicts = [frozenset(i for i in range(len(ins)) if rng.random() < 0.05)
                 for _ in targets]
    return ins, tp, targets, conflicts


def teams_random_test(check, rounds=300):
    """TeamDraw (indexed) against naive_teams (§9 transcribed) on random
    small batches with tight capacities, so that repairs, failures and
    replacements all happen."""
    import random
    rng = random.Random(20261127)
    stats = collections.Counter()
    for rnd in range(rounds):
        if rnd % 3 == 2:
            ins, tp, targets, conflicts = _chain_batch(rng)
        else:
            ins, tp, targets, conflicts = _random_batch(rng, rnd % 3 == 1)
        key = bytes(rng.getrandbits(8) for _ in range(32))
        td = TeamDraw(ins, tp, targets, conflicts)
        s1 = Stream(key)
        td.draw(s1)
        drawn_teams = [list(x) for x in td.team]
        # Replacements: a few random filled slots, each with its stream.
        reps = []
        got_drawn = []
        for n in range(1, 4):
            filled = [(r, k) for r in range(len(targets))
                      for k in range(td.s) if td.team[r][k] is not None]
            if not filled:
                break
            r, k = rng.choice(filled)
            reps.append((r, k, td.team[r][k], n))
            got_drawn.append(td.replace(r, k, td.team[r][k],
                                        Stream(kdf(key, 32, n, b"DSR1REPL"))))
        s2 = Stream(key)
        want = naive_teams(
            ins, tp, targets, conflicts, s2,
            [(r, k, x, Stream(kdf(key, 32, n, b"DSR1REPL")))
             for r, k, x, n in reps]) + (s2.words_read,)
        got = (drawn_teams, td.unstaffable,
               [td.eligible_count(r) for r in range(len(targets))],
               got_drawn, [list(x) for x in td.team], s1.words_read)
        if got != want:
            check(f"random batch {rnd}: TeamDraw = naive §9", got, want)
            return
        stats["repairs"] += td.repairs
        stats["moves"] += td.moves
        stats["longest chain"] = max(stats["longest chain"], td.longest)
        stats["staffed batches"] += not td.unstaffable
        stats["unstaffable"] += len(td.unstaffable)
        stats["replacements"] += sum(1 for d in got_drawn if d is not None)
        stats["failed replacements"] += sum(1 for d in got_drawn if d is None)
    check(f"{rounds} random batches: TeamDraw = naive §9 "
          f"({dict(stats)})", True, True)
    for what in ("repairs", "moves", "staffed batches", "unstaffable",
                 "replacements", "failed replacements"):
        check(f"random batches exercised {what}", stats[what] > 0, True)
    check("random batches: a repair moved three earlier picks",
          stats["longest chain"] >= 3, True)


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

    # §9 and the vectors file.
    primitives_test(check, out=out)
    teams_hand_test(check)
    teams_random_test(check)
    frames_test(check)

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
CODE = re.compile(r"[A-Za-z0-9._-]{1,64}\Z")
# Qualifications have no character set in the spec; a `;`-list item and a
# word of a `require` line can hold neither `;` nor white space.
QUALIFICATION = re.compile(r"[^\s;]+\Z")

# The files of a bundle (§8).  Withheld in a public bundle: these four
# (§8.1: parameters.txt counts each stratum's targets).
FRAMES = ["frame/targets.txt", "frame/inspectors.txt", "frame/conflicts.txt",
          "frame/excluded.txt", "frame/parameters.txt"]
WITHHELD = FRAMES[:3] + FRAMES[4:]
DATA_FILES = (["commitment.txt", "beacon.json"] + FRAMES
              + ["selection.txt", "teams.txt", "replacements.txt"])
# Only when the plan makes the inspectors' names public (§8, §9.7).
NAMES = "names.txt"
# The manifest's `file` lines: the table of §8 but the .minisig files, in
# its order.
FILE_ORDER = DATA_FILES + [NAMES, "ssj.pub"]
# The KIND of each signed file's trusted comment (§8).
KIND_OF = {"manifest.txt": "manifest", "commitment.txt": "commitment",
           "beacon.json": "beacon", "selection.txt": "selection",
           "teams.txt": "teams", "replacements.txt": "replacements",
           NAMES: "names"}
KIND_OF.update((f, "frame") for f in FRAMES)

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


def unescape_value(raw, what="manifest: a reveal value"):
    """Undoes §8's escaping of reveal values: `\\\\`, `\\n`, `\\xHH`."""
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c != 0x5C:
            if c < 0x20 or c == 0x7F:
                raise Malformed(f"{what}: unescaped control byte")
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
            raise Malformed(f"{what}: bad escape " + repr(raw[i:i + 4]))
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

# §8: the manifest's lines, in exactly this order; `*` may repeat (or be
# absent), the others appear once.
MANIFEST_ORDER = [("algorithm", 1), ("bundle", 1), ("batch", 1),
                  ("commitment-blake2b-256", 1), ("beacon-round", 1),
                  ("beacon-randomness", 1), ("reveal", "*"), ("secret", "?"),
                  ("seed", "?"), ("stratum", "*"), ("selected", 1),
                  ("replacements", 1), ("file", "*")]
SINGLE = [k for k, n in MANIFEST_ORDER if n == 1]


def _manifest_position(key, pos, seen, no):
    """§8: "a line of another name, or out of order, makes the manifest
    malformed".  Returns the position of `key` in MANIFEST_ORDER at or
    after pos."""
    names = [k for k, _ in MANIFEST_ORDER]
    if key not in names:
        raise Malformed(f"manifest.txt line {no}: {key!r} is not a line of "
                        f"§8's manifest")
    j = pos
    while j < len(MANIFEST_ORDER) and MANIFEST_ORDER[j][0] != key:
        name, rep = MANIFEST_ORDER[j]
        if rep == 1 and name not in seen:
            raise Malformed(f"manifest.txt line {no}: {key!r} where "
                            f"{name!r} is expected (§8's order)")
        j += 1
    if j == len(MANIFEST_ORDER):
        raise Malformed(f"manifest.txt line {no}: {key!r} is out of §8's "
                        f"order" + (" (a second one)" if key in seen else ""))
    return j


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
    pos = 0
    for no, line in enumerate(lines[1:], 2):
        if line.startswith(b"reveal "):
            pos = _manifest_position("reveal", pos, m, no)
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
        pos = _manifest_position(key, pos, m, no)
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
        else:
            m[key] = value
            pos += 1
    for key in SINGLE:
        if key not in m:
            raise Malformed(f"manifest.txt: no {key!r} line")
    if m["algorithm"] != ALGORITHM:
        raise Malformed(f"manifest.txt: algorithm {m['algorithm']!r} is not "
                        f"implemented (only DSR-1)")
    if m["bundle"] not in ("full", "public"):
        raise Malformed(f"manifest.txt: bundle {m['bundle']!r} is neither "
                        f"'full' nor 'public'")
    # §8, §8.1: a full manifest has the secret and the seed; a public one
    # has neither, and no stratum line.
    if m["bundle"] == "full":
        for key in ("secret", "seed"):
            if key not in m:
                raise Malformed(f"manifest.txt: no {key!r} line in a full "
                                f"bundle (§8)")
    else:
        for key in ("secret", "seed"):
            if key in m:
                raise Malformed(f"manifest.txt: a public manifest has no "
                                f"{key!r} line (§8.1)")
        if m["stratum"]:
            raise Malformed("manifest.txt: a public manifest has no "
                            "'stratum' line (§8.1)")
    paths = [f[0] for f in m["file"]]
    if len(set(paths)) != len(paths):
        raise Malformed("manifest.txt: a file is listed twice")
    unknown = [p for p in paths if p not in FILE_ORDER]
    if unknown:
        raise Malformed(f"manifest.txt: 'file {unknown[0]}' names no file of "
                        f"§8's table")
    if paths != [p for p in FILE_ORDER if p in paths]:
        raise Malformed("manifest.txt: the 'file' lines are not in the order "
                        "of §8's table")
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
             "excluded-blake2b-256", "parameters-blake2b-256", "beacon",
             "beacon-key"]
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
    k = c["beacon-key"].split(" ")
    if len(k) != 2 or not re.fullmatch(r"[a-z0-9-]+", k[0]) or \
            len(k[1]) not in (96, 192):
        raise Malformed("commitment.txt: 'beacon-key SCHEME PUBLIC-KEY' "
                        "expected")
    c["scheme"] = k[0]
    c["key"] = _hex(k[1], "commitment beacon public key",
                    re.compile(r"\A(?:[0-9a-f]{96}){1,2}\Z")).hex()
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


PARAM_ORDER = ["plan", "plan-blake2b-256", "task", "batch", "items", "lead",
               "joint", "draw-date", "window", "snapshot", "risk-month",
               "team-size", "experts", "cap-per-batch", "cap-per-year"]


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
    # §2.5: one `require DEPT QUALS` line for each participating
    # department, the lead first, then the joint ones in order.
    if not CODE.match(p["lead"]):
        raise Malformed(f"frame/parameters.txt: lead {p['lead']!r} is not a "
                        f"department code (§2)")
    joint = [] if p["joint"] == "-" else p["joint"].split(";")
    for d in joint:
        if not CODE.match(d):
            raise Malformed(f"frame/parameters.txt: joint department {d!r} "
                            f"is not a department code (§2)")
    participating = [p["lead"]] + joint
    if len(set(participating)) != len(participating):
        raise Malformed("frame/parameters.txt: a department is named twice "
                        "among lead and joint")
    p["joint-list"] = joint
    p["require"] = []
    i = len(PARAM_ORDER)
    for dept in participating:
        no = i + 2
        if i >= len(kv) or kv[i][0] != "require":
            raise Malformed(f"frame/parameters.txt line {no}: 'require "
                            f"{dept} QUALS' expected (§2.5)")
        f = kv[i][1].split(" ")
        if len(f) != 2 or f[0] != dept:
            raise Malformed(f"frame/parameters.txt line {no}: 'require "
                            f"{dept} QUALS' expected, found 'require "
                            f"{kv[i][1]}'")
        if f[1] == "-":
            quals = []
        else:
            quals = f[1].split(";")
            if not all(QUALIFICATION.match(q) and q != "-" for q in quals):
                raise Malformed(f"frame/parameters.txt line {no}: bad "
                                f"qualification list {f[1]!r}")
            if any(not quals[j].encode() < quals[j + 1].encode()
                   for j in range(len(quals) - 1)):
                raise Malformed(f"frame/parameters.txt line {no}: the "
                                f"qualifications are not ascending, each "
                                f"once (§2.5)")
        p["require"].append((dept, frozenset(quals), no))
        i += 1
    strata = []
    for i in range(i, len(kv)):
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


# ---- teams (§2.2, §2.3, §9) ----------------------------------------------

def check_names(bundle, rep, public=False):
    """names.txt (§9.7): `DSR-1 names`, then CREDENTIAL<TAB>NAME for every
    credential of teams.txt and of the drawn field of replacements.txt, by
    credential, each once.  Called once both files are checked."""
    want = set()
    for line in result_lines(bundle.read("teams.txt"), "teams.txt")[1:]:
        f = line.decode("utf-8").split("\t")[(0 if public else 1):]
        want.update(c for c in f[2].split(";") + f[3].split(";") if c != "-")
    for line in result_lines(bundle.read("replacements.txt"),
                             "replacements.txt")[1:]:
        want.add(line.decode("utf-8").split("\t")[4])
    lines = result_lines(bundle.read(NAMES), NAMES)
    _header(lines, NAMES, "DSR-1 names")
    got = []
    for no, line in enumerate(lines[1:], 2):
        f = line.decode("utf-8").split("\t")
        if len(f) != 2 or not f[1]:
            raise Difference(f"{NAMES} line {no}: not CREDENTIAL<TAB>NAME")
        if any(ord(ch) < 0x20 or ord(ch) == 0x7f for ch in f[1]):
            raise Difference(f"{NAMES} line {no}: a control byte in the "
                             f"name (§9.7)")
        if got and not got[-1].encode() < f[0].encode():
            raise Difference(f"{NAMES} line {no}: not by credential, each "
                             f"once (§9.7)")
        if f[0] not in want:
            raise Difference(f"{NAMES} line {no}: {f[0]} is on no team and "
                             f"was drawn by no replacement")
        got.append(f[0])
    missing = sorted(want - set(got), key=str.encode)
    if missing:
        raise Difference(f"{NAMES}: no name for {missing[0]}"
                         + (f" and {len(missing) - 1} more"
                            if len(missing) > 1 else ""))
    rep.ok(f"{NAMES}: a name for each of the {len(got)} inspectors of "
           f"teams.txt and replacements.txt, by credential")
    rep.unchecked(f"that the names of {NAMES} are the roster's (they are in "
                  f"no frame: signed, not replayed)")


def team_parameters(params):
    """§9.2's inputs from parameters.txt (already parsed by
    parse_parameters)."""
    w = params["window"].split(" ")
    if len(w) != 2 or not all(DATE.match(x) for x in w):
        raise Malformed(f"frame/parameters.txt: window {params['window']!r} "
                        f"is not 'YYYY-MM-DD YYYY-MM-DD'")
    t = _dec(params["team-size"], "parameters team-size")
    e = _dec(params["experts"], "parameters experts")
    joint = params["joint-list"]
    if t < 2 or t < 1 + len(joint):
        raise Difference(f"frame/parameters.txt: team-size {t} with "
                         f"{len(joint)} joint departments (§9.2: t >= 2 and "
                         f"t >= 1 + m)")
    caps = []
    for name in ("cap-per-batch", "cap-per-year"):
        v = params[name]
        caps.append(None if v == "-" else _dec(v, f"parameters {name}"))
    return TeamParams(W=w[1], lead=params["lead"], joint=tuple(joint),
                      t=t, e=e, cap_batch=caps[0], cap_year=caps[1],
                      require={d: q for d, q, _ in params["require"]})


def _ascending_list(field, pattern, what, where):
    """A `;`-separated list, ascending by bytes, each item once."""
    items = field.split(";")
    for x in items:
        if not pattern.match(x):
            raise Difference(f"{where}: {what} {x!r} is not well formed")
    for a, b in zip(items, items[1:]):
        if not a.encode() < b.encode():
            raise Difference(f"{where}: the {what}s are not ascending, each "
                             f"once (§2.2)")
    return items


def parse_inspectors(data, tp):
    """inspectors.txt (§2.2): seven fields, strictly."""
    name = "frame/inspectors.txt"
    recs = parse_frame(data, name, "DSR-1 inspectors", 7)
    check_sorted(recs, name, lambda r: r[0].encode())
    part = [tp.lead] + list(tp.joint)
    out = []
    for no, (cred, dept, juris, quals, valid, expert, load) in enumerate(
            recs, 2):
        where = f"{name} line {no}"
        if not CREDENTIAL.match(cred):
            raise Difference(f"{where}: credential {cred!r} is not A-Z, 0-9 "
                             f"and '-' (§2)")
        if not CODE.match(dept):
            raise Difference(f"{where}: department {dept!r} is not a code "
                             f"(§2)")
        codes = _ascending_list(juris, DIVISION, "jurisdiction code", where)
        qs = ([] if quals == "" else
              _ascending_list(quals, QUALIFICATION, "qualification", where))
        if not DATE.match(valid):
            raise Difference(f"{where}: valid-until {valid!r} is not "
                             f"YYYY-MM-DD")
        try:
            datetime.date.fromisoformat(valid)
        except ValueError:
            raise Difference(f"{where}: valid-until {valid!r} is no date")
        if expert not in ("0", "1"):
            raise Difference(f"{where}: expert {expert!r} is not 1 or 0")
        if not DECIMAL.match(load):
            raise Difference(f"{where}: load {load!r} is not a canonical "
                             f"decimal (§2)")
        # §2.2: the file lists the inspectors of the task's departments,
        # and the experts of other departments valid through the window.
        if dept not in part and not (expert == "1" and valid >= tp.W):
            raise Difference(f"{where}: {cred} of department {dept} is "
                             f"neither of the task's departments nor an "
                             f"expert valid through {tp.W} (§2.2)")
        out.append(Inspector(cred, dept, tuple(codes), frozenset(qs), valid,
                             expert == "1", int(load)))
    return out


def parse_conflicts(data, index, target_ids):
    """conflicts.txt (§2.3): credential, enterprise id, kind; one line per
    pair, by credential then id.  Returns {target id: {inspector index}}."""
    name = "frame/conflicts.txt"
    recs = parse_frame(data, name, "DSR-1 conflicts", 3)
    check_sorted(recs, name, lambda r: (r[0].encode(), r[1].encode()))
    by_target = {}
    kinds = collections.Counter()
    for no, (cred, tid, kind) in enumerate(recs, 2):
        where = f"{name} line {no}"
        if kind not in ("recusal", "rotation"):
            raise Difference(f"{where}: kind {kind!r} is neither 'recusal' "
                             f"nor 'rotation' (§2.3)")
        if cred not in index:
            raise Difference(f"{where}: {cred} is not in inspectors.txt "
                             f"(§2.3)")
        if tid not in target_ids:
            raise Difference(f"{where}: {tid} is not in targets.txt (§2.3)")
        by_target.setdefault(tid, set()).add(index[cred])
        kinds[kind] += 1
    return by_target, kinds


def escape_value(raw):
    """§8's escaping of a reveal value (and of a replacement's reason)."""
    out = []
    for c in raw:
        if c == 0x5C:
            out.append(b"\\\\")
        elif c == 0x0A:
            out.append(b"\\n")
        elif c < 0x20 or c == 0x7F:
            out.append(b"\\x%02x" % c)
        else:
            out.append(bytes([c]))
    return b"".join(out)


def parse_replacement(line, no, n, public=False):
    """A line of replacements.txt (§9.7): n, target id, slot, removed,
    drawn, reason -- no reason in a public bundle (§8.1).  A result to
    compare, so a bad line is a difference."""
    where = f"replacements.txt line {no}"
    f = line.split(b"\t")
    if public:
        if len(f) != 5:
            raise Difference(f"{where}: {len(f)} fields, not 5 (n, id, "
                             f"slot, removed, drawn: a public bundle "
                             f"carries no reason)")
    elif len(f) != 6:
        raise Difference(f"{where}: {len(f)} fields, not 6 (n, id, slot, "
                         f"removed, drawn, reason)")
    num, tid, slot, removed, drawn = (x.decode("utf-8") for x in f[:5])
    if num != str(n):
        raise Difference(f"{where}: number {num!r}, expected {n} (the "
                         f"replacements are numbered 1, 2, ... in order)")
    if not DECIMAL.match(slot):
        raise Difference(f"{where}: slot {slot!r} is not a decimal number")
    for c in (removed, drawn):
        if not CREDENTIAL.match(c):
            raise Difference(f"{where}: {c!r} is not a credential")
    if public:
        return tid, int(slot), removed, drawn, None
    try:
        reason = unescape_value(f[5], f"{where}: the reason")
    except Malformed as e:
        raise Difference(str(e))
    if not reason:
        raise Difference(f"{where}: the reason is empty (§9.7)")
    if escape_value(reason) != f[5]:
        raise Difference(f"{where}: the reason is not escaped as §8 escapes "
                         f"a reveal value")
    return tid, int(slot), removed, drawn, reason


def _header(lines, name, header):
    if lines[0] != header.encode():
        raise Difference(f"{name} line 1: "
                         f"{lines[0].decode('utf-8', 'replace')!r}, expected "
                         f"{header!r}")


def check_replacement_count(m, count):
    n = _dec(m["replacements"], "manifest replacements")
    if n != count:
        raise Difference(f"manifest.txt: replacements {n}, replacements.txt "
                         f"has {count}")


def verify_teams_full(bundle, m, seed, tp, sel, inspectors, conflicts, rep):
    """§10 step 5, second half: replay §9.4-§9.5 and compare teams.txt line
    by line, then each replacement of replacements.txt (§9.6).  sel is
    [(id, division)] in rank order."""
    td = TeamDraw(inspectors, tp, sel,
                  [conflicts.get(tid, frozenset()) for tid, _ in sel])
    stream = teams_stream(seed)
    try:
        td.draw(stream, stop=True)
    except StreamExhausted as e:
        raise Difference(f"teams: {e}: the draw must have failed")
    if td.unstaffable:
        r = td.unstaffable[0]
        raise Difference(
            f"teams.txt line {r + 2}: §9.4-§9.5 cannot staff the target of "
            f"rank {r + 1} ({sel[r][0]}): the draw fails as a whole, yet "
            f"the bundle records it")
    want = [b"DSR-1 teams"] + [td.team_line(r) for r in range(len(sel))]
    compare_lines(want, bundle.read("teams.txt"), "teams.txt",
                  "the draw gives {} teams")
    rep.ok(f"teams.txt: {len(sel)} teams of {tp.t} sworn + {tp.e} experts "
           f"replayed from {len(inspectors)} inspectors (§9.4-§9.5: "
           f"{stream.words_read} words of the stream, {td.repairs} repairs "
           f"moving {td.moves} earlier picks, at most {td.longest} at once), "
           f"identical line by line")

    lines = result_lines(bundle.read("replacements.txt"), "replacements.txt")
    _header(lines, "replacements.txt", "DSR-1 replacements")
    check_replacement_count(m, len(lines) - 1)
    rank = {tid: r for r, (tid, _) in enumerate(sel)}
    index = {ins.cred: i for i, ins in enumerate(inspectors)}
    for n, line in enumerate(lines[1:], 1):
        no = n + 1
        where = f"replacements.txt line {no}"
        tid, k, removed, drawn, _ = parse_replacement(line, no, n)
        if tid not in rank:
            raise Difference(f"{where}: {tid} is not a selected target")
        r = rank[tid]
        if k >= td.s:
            raise Difference(f"{where}: slot {k}, a team has slots 0 .. "
                             f"{td.s - 1}")
        holder = td.team[r][k]
        if removed not in index or holder != index[removed]:
            raise Difference(f"{where}: {removed} does not hold slot {k} of "
                             f"{tid} (it is {inspectors[holder].cred}, after "
                             f"the draw and the replacements before)")
        try:
            i = td.replace(r, k, holder, replace_stream(seed, n))
        except StreamExhausted as e:
            raise Difference(f"{where}: {e}")
        if i is None:
            raise Difference(f"{where}: replacement {n} has no candidate for "
                             f"slot {k} of {tid} (§9.6): it fails and "
                             f"changes nothing, yet the line names {drawn}")
        if inspectors[i].cred != drawn:
            raise Difference(f"{where}: replacement {n} draws "
                             f"{inspectors[i].cred} under k_replace({n}) "
                             f"(§9.6), the line says {drawn}")
    rep.ok(f"replacements.txt: {len(lines) - 1} replacements replayed "
           f"(§9.6), each drawing the inspector its line names")


def verify_teams_public(bundle, m, ids, rep):
    """§10 step 6 for teams (§8.1's public form): one line per drawn
    target in the selection's id order, the same t >= 2 sworn members and
    e experts everywhere, distinct members, eligible counts at least
    t + e (the experts' slots count); and replacements that take off the
    inspector holding the slot."""
    lines = result_lines(bundle.read("teams.txt"), "teams.txt")
    _header(lines, "teams.txt", "DSR-1 public teams")
    if len(lines) - 1 != len(ids):
        raise Difference(f"teams.txt has {len(lines) - 1} teams, "
                         f"selection.txt {len(ids)} targets")
    teams = []
    shape = None
    for i, line in enumerate(lines[1:]):
        no = i + 2
        where = f"teams.txt line {no}"
        f = line.decode("utf-8").split("\t")
        if len(f) != 4:
            raise Difference(f"{where}: {len(f)} fields, not 4 (id, "
                             f"eligible count, sworn, experts; §8.1)")
        if f[0] != ids[i]:
            raise Difference(f"{where}: {f[0]!r}, selection.txt has "
                             f"{ids[i]} on line {no}")
        if not DECIMAL.match(f[1]):
            raise Difference(f"{where}: eligible count {f[1]!r} is not a "
                             f"decimal number")
        sworn = f[2].split(";")
        experts = [] if f[3] == "-" else f[3].split(";")
        if shape is None:
            shape = (len(sworn), len(experts))
        if (len(sworn), len(experts)) != shape or shape[0] < 2:
            raise Difference(f"{where}: {len(sworn)} sworn members and "
                             f"{len(experts)} experts; the first team has "
                             f"{shape[0]} and {shape[1]} (at least 2 sworn)")
        team = sworn + experts
        for c in team:
            if not CREDENTIAL.match(c):
                raise Difference(f"{where}: {c!r} is not a credential")
        if len(set(team)) != len(team):
            raise Difference(f"{where}: an inspector fills two slots of one "
                             f"team (§9.3)")
        if int(f[1]) < len(team):
            raise Difference(f"{where}: eligible count {f[1]} is below the "
                             f"{len(team)} slots of the team (§10 step 6: "
                             f"the experts' slots count)")
        teams.append(team)
    s = len(teams[0]) if teams else 0
    rep.ok(f"teams.txt (public): {len(teams)} teams"
           + (f" of {shape[0]} sworn + {shape[1]} experts" if shape else "")
           + ", in the selection's order; distinct members, eligible counts "
           "at least the slots")
    rep.unchecked("the caps (parameters.txt is withheld, §8.1)")

    lines = result_lines(bundle.read("replacements.txt"), "replacements.txt")
    _header(lines, "replacements.txt", "DSR-1 public replacements")
    check_replacement_count(m, len(lines) - 1)
    rank = {tid: r for r, tid in enumerate(ids)}
    removed_from = collections.defaultdict(set)
    for n, line in enumerate(lines[1:], 1):
        no = n + 1
        where = f"replacements.txt line {no}"
        tid, k, removed, drawn, _ = parse_replacement(line, no, n, True)
        if tid not in rank:
            raise Difference(f"{where}: {tid} is not a selected target")
        team = teams[rank[tid]]
        if k >= s:
            raise Difference(f"{where}: slot {k}, a team has slots 0 .. "
                             f"{s - 1}")
        if team[k] != removed:
            raise Difference(f"{where}: {removed} does not hold slot {k} of "
                             f"{tid} (it is {team[k]}, after the draw and the "
                             f"replacements before)")
        removed_from[tid].add(removed)
        if drawn in team or drawn in removed_from[tid]:
            raise Difference(f"{where}: {drawn} is on the team of {tid} or "
                             f"was taken off it (§9.6)")
        team[k] = drawn
    rep.ok(f"replacements.txt (public): {len(lines) - 1} replacements, each "
           f"taking off the inspector of its slot for one not on the team")
    rep.unchecked("that the teams and replacements are those the stream "
                  "gives (§9.4-§9.6), and the eligible counts: "
                  "inspectors.txt and conflicts.txt are withheld")
    rep.unchecked("that each inspector is eligible for its slot (§9.3), "
                  "and the cap-per-year with each inspector's earlier load")


def frames_test(check):
    """The strict parsing of §2.2, §2.3 and §2.5's new fields."""
    def raises(what, f, exc):
        try:
            f()
        except exc:
            check(what, True, True)
            return
        except (Malformed, Difference) as e:
            check(what, type(e).__name__, exc.__name__)
            return
        check(what, "accepted", exc.__name__)

    head = ("DSR-1 parameters\nplan 3602002026001\nplan-blake2b-256 "
            + "5c" * 32 + "\ntask JDZ-2026-CCC\nbatch JDZ-2026-CCC-1\n"
            "items JDZ-ZJ-001;JDZ-ZJ-002\nlead ZJ\njoint {joint}\n"
            "draw-date 2026-04-08\nwindow 2026-04-13 2026-05-29\n"
            "snapshot 7\nrisk-month 2026-04\nteam-size {t}\nexperts 0\n"
            "cap-per-batch {cb}\ncap-per-year 40\n")
    tail = ("stratum certain 3 1/1 - - 3\nstratum A 1200 5/100 - - 60\n"
            "stratum B 2200 10/100 1 - 220\n")

    def params(req, joint="-", t=2, cb="10"):
        return (head.format(joint=joint, t=t, cb=cb) + req + tail).encode()

    p = parse_parameters(params("require ZJ CCC\n"))
    tp = team_parameters(p)
    check("§2.5 example: caps, require, W",
          (tp.cap_batch, tp.cap_year, tp.require, tp.W, tp.t, tp.e),
          (10, 40, {"ZJ": frozenset(["CCC"])}, "2026-05-29", 2, 0))
    check("§2.5 example: the strata still follow",
          [s["name"] for s in p["strata"]], ["certain", "A", "B"])
    tp = team_parameters(parse_parameters(params(
        "require ZJ -\nrequire XF CCC;CERT\n", joint="XF", cb="-")))
    check("joint task: require lines, cap '-'",
          (tp.joint, tp.require, tp.cap_batch),
          (("XF",), {"ZJ": frozenset(), "XF": frozenset(["CCC", "CERT"])},
           None))
    raises("no require line", lambda: parse_parameters(params("")),
           Malformed)
    raises("require lines out of order", lambda: parse_parameters(params(
        "require XF -\nrequire ZJ -\n", joint="XF")), Malformed)
    raises("a qualification twice", lambda: parse_parameters(params(
        "require ZJ CCC;CCC\n")), Malformed)
    raises("team-size below 1 + m", lambda: team_parameters(parse_parameters(
        params("require ZJ -\nrequire XF -\n", joint="XF", t=1))),
        Difference)
    raises("parameters without the caps (the old format)",
           lambda: parse_parameters(params("require ZJ CCC\n").replace(
               b"cap-per-batch 10\ncap-per-year 40\n", b"")), Malformed)

    tp = team_parameters(p)
    got = parse_inspectors(
        b"DSR-1 inspectors\n"
        b"36020019001\tZJ\t360202;360203\tCCC;CERT\t2028-12-31\t0\t3\n"
        b"XF-360202-012\tXF\t360200\t\t2026-05-29\t1\t0\n", tp)
    check("§2.2 example inspector, and an expert of another department",
          got, [Inspector("36020019001", "ZJ", ("360202", "360203"),
                          frozenset(["CCC", "CERT"]), "2028-12-31", False,
                          3),
                Inspector("XF-360202-012", "XF", ("360200",), frozenset(),
                          "2026-05-29", True, 0)])
    for what, line, exc in [
            ("six fields (the old format)",
             b"A1\tZJ\t360202\tCCC\t2028-12-31\t0\n", Malformed),
            ("jurisdiction not ascending",
             b"A1\tZJ\t360203;360202\tCCC\t2028-12-31\t0\t0\n",
             Difference),
            ("empty jurisdiction",
             b"A1\tZJ\t\tCCC\t2028-12-31\t0\t0\n", Difference),
            ("load with a leading zero",
             b"A1\tZJ\t360202\tCCC\t2028-12-31\t0\t03\n", Difference),
            ("no such date",
             b"A1\tZJ\t360202\tCCC\t2028-02-30\t0\t0\n", Difference),
            ("another department, not an expert",
             b"A1\tXF\t360202\t\t2028-12-31\t0\t0\n", Difference),
            ("an expert of another department, expired",
             b"A1\tXF\t360202\t\t2026-05-28\t1\t0\n", Difference)]:
        raises(f"inspectors.txt: {what}", lambda line=line: parse_inspectors(
            b"DSR-1 inspectors\n" + line, tp), exc)

    index = {"36020019001": 0}
    ids = {"91360202000000019L"}
    got = parse_conflicts(b"DSR-1 conflicts\n"
                          b"36020019001\t91360202000000019L\trecusal\n",
                          index, ids)
    check("§2.3 example conflict", got,
          ({"91360202000000019L": {0}}, collections.Counter(recusal=1)))
    for what, data, exc in [
            ("two fields (the old format)",
             b"36020019001\t91360202000000019L\n", Malformed),
            ("an unknown kind",
             b"36020019001\t91360202000000019L\tother\n", Difference),
            ("a pair twice, of both kinds",
             b"36020019001\t91360202000000019L\trecusal\n"
             b"36020019001\t91360202000000019L\trotation\n", Difference),
            ("an inspector not in inspectors.txt",
             b"36020019002\t91360202000000019L\trecusal\n", Difference),
            ("a target not in targets.txt",
             b"36020019001\t91360202000000027F\trotation\n", Difference)]:
        raises(f"conflicts.txt: {what}", lambda data=data: parse_conflicts(
            b"DSR-1 conflicts\n" + data, index, ids), exc)

    check("a replacement line", parse_replacement(
        "3\t91360281MA3500001D\t1\t36020016013\t36020013022\t"
        "生病\\x09x".encode(), 4, 3),
        ("91360281MA3500001D", 1, "36020016013", "36020013022",
         "生病\tx".encode()))
    for what, line in [
            ("a wrong number", b"2\tT\t1\tA\tB\tr"),
            ("an empty reason", b"3\tT\t1\tA\tB\t"),
            ("a raw control byte", b"3\tT\t1\tA\tB\tr\x01"),
            ("an escape that is not §8's", b"3\tT\t1\tA\tB\t\\x41"),
            ("upper-case hex", b"3\tT\t1\tA\tB\t\\x0A")]:
        raises(f"replacements.txt: {what}",
               lambda line=line: parse_replacement(line, 4, 3), Difference)
    check("a public replacement line", parse_replacement(
        b"3\t91360281MA3500001D\t1\t36020016013\t36020013022", 4, 3, True),
        ("91360281MA3500001D", 1, "36020016013", "36020013022", None))
    raises("public replacements.txt: a reason",
           lambda: parse_replacement(b"3\tT\t1\t36020016013\t"
                                     b"36020013022\t\xe7\x94\x9f", 4, 3,
                                     True), Difference)

    m = (b"DSR-1 manifest\nalgorithm DSR-1\nbundle full\nbatch B\n"
         b"commitment-blake2b-256 x\nbeacon-round 1\nbeacon-randomness x\n"
         b"secret x\nseed x\nstratum certain 0 0 0/0\n"
         b"selected 0\nreplacements 0\n")
    rep = Report(quiet=True)
    check("manifest: replacements after selected",
          parse_manifest(m, rep)["replacements"], "0")
    raises("manifest: no replacements line", lambda: parse_manifest(
        m.replace(b"replacements 0\n", b""), rep), Malformed)
    raises("manifest: replacements before selected", lambda: parse_manifest(
        m.replace(b"selected 0\nreplacements 0\n",
                  b"replacements 0\nselected 0\n"), rep), Malformed)
    raises("manifest: an unknown line", lambda: parse_manifest(
        m + b"comment x\n", rep), Malformed)


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


SIG_FIELDS = ["kind", "id", "file", "blake2b-256", "ledger"]


def check_signature(bundle, rel, data, key, verify, rep, batch):
    """FILE.minisig: minisign's prehashed format; the trusted comment is
    `ssj-sig/1 kind=KIND id=BATCH file=NAME blake2b-256=HEX ledger=N`
    (§8), and its fields must match the file.  Returns (kind, name,
    ledger)."""
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
    names = [t.split("=", 1)[0] for t in tokens[1:]]
    if names != SIG_FIELDS:
        raise Difference(f"{sig_rel}: the trusted comment's fields are "
                         f"{' '.join(names)!r}, not "
                         f"{' '.join(SIG_FIELDS)!r} (§8): {comment!r}")
    base = rel.rsplit("/", 1)[-1]
    signed_name = fields["file"].decode("utf-8", "replace")
    if signed_name != base:
        raise Difference(f"{sig_rel}: the trusted comment names "
                         f"{signed_name!r}, not {base!r}")
    kind = fields["kind"].decode("utf-8", "replace")
    if kind != KIND_OF[rel]:
        raise Difference(f"{sig_rel}: the trusted comment's kind is "
                         f"{kind!r}, not {KIND_OF[rel]!r} (§8)")
    if fields["blake2b-256"].decode("ascii", "replace") != b2_256(data).hex():
        raise Difference(f"{sig_rel}: the trusted comment's blake2b-256 is "
                         f"not the digest of {rel}")
    if fields["id"] != batch.encode("utf-8"):
        raise Difference(f"{sig_rel}: the trusted comment's id= is "
                         f"{fields['id'].decode('utf-8', 'replace')!r}, not "
                         f"the batch {batch!r}")
    ledger = fields["ledger"].decode("utf-8", "replace")
    if not DECIMAL.match(ledger):
        raise Difference(f"{sig_rel}: the trusted comment's ledger= is "
                         f"{ledger!r}, not a decimal number")
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
    return kind, signed_name, ledger


# ---- beacon --------------------------------------------------------------

def _no_duplicates(pairs):
    names = [k for k, _ in pairs]
    for k in names:
        if names.count(k) > 1:
            raise ValueError(f"member {k!r} appears twice")
    return dict(pairs)


def parse_beacon(data):
    # §5: at most 4096 bytes, and no member twice (json.loads would keep
    # the last copy silently).
    if len(data) > 4096:
        raise Malformed(f"beacon.json: {len(data)} bytes, over 4096")
    try:
        b = json.loads(data.decode("utf-8"),
                       object_pairs_hook=_no_duplicates)
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
    for rel in FILE_ORDER:
        if rel not in listed:
            if rel == NAMES:
                continue
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
            # §8: a withheld file given all the same must be the one.
            if bundle.has(rel) and b2_256(bundle.read(rel)) != digest:
                raise Difference(f"{rel}: marked withheld, present, and "
                                 f"not the file of manifest.txt line {no}")
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
    signatures = {r + ".minisig" for r in ["manifest.txt", NAMES]
                  + DATA_FILES}
    unlisted = [rel for rel in bundle.all_files()
                if rel != "manifest.txt" and rel not in signatures
                and rel not in listed]
    if unlisted:
        raise Malformed(f"{len(unlisted)} files of the bundle are not in "
                        f"§8's table: {' '.join(unlisted)}")

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
    signed = (["manifest.txt"] + [r for r in DATA_FILES
                                  if not (public and r in WITHHELD)]
              + ([NAMES] if NAMES in listed else []))
    kinds = set()
    ledgers = {}
    for rel in signed:
        kind, _, ledger = check_signature(bundle, rel, bundle.read(rel), key,
                                          verify, rep, m["batch"])
        kinds.add(kind)
        ledgers.setdefault(ledger, rel)
    if len(ledgers) > 1:
        (l1, r1), (l2, r2) = list(ledgers.items())[:2]
        raise Difference(f"{r2}.minisig: ledger={l2}, {r1}.minisig says "
                         f"ledger={l1} (§8: the same in every file)")
    if public:
        for rel in WITHHELD:
            if bundle.has(rel + ".minisig"):
                rep.note(f"{rel}.minisig is in the public bundle")
    if verify is None:
        rep.ok(f"trusted comments of {len(signed)} signatures (kind, batch, "
               f"file name, BLAKE2b-256, ledger, key id)")
        rep.unchecked("signatures not checked (no Ed25519 in this Python)")
    else:
        rep.ok(f"{len(signed)} signatures (Ed25519 via {lib}) and their "
               f"trusted comments (kind, batch, file name, BLAKE2b-256, "
               f"ledger {next(iter(ledgers))}; kinds "
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
           f"{5 - (len(WITHHELD) if public else 0)} frame digests"
           + (f", {len(WITHHELD)} withheld frames' digests match the "
              f"manifest"
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
    if not public:
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
    rep.ok(f"{len(c['witnesses'])} reveals, "
           f"{'' if public else 'the secret, '}the beacon round "
           f"{c['round']} and randomness = SHA-256(signature)")
    # Delegated: Python's standard library has no BLS12-381. ssj verify
    # checks it natively (docs/protocol.md §5); so can any BLS library.
    rep.unchecked("the drand BLS signature of round " + str(c["round"]) +
                  " under the committed key (" + c["scheme"] + ", " +
                  c["key"][:16] + "…): this verifier delegates it to ssj "
                  "verify or a BLS12-381 library (§5)")
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
    if public:
        rep.unchecked("the seed: a public bundle gives neither the secret "
                      "nor the seed (§8.1)")
    else:
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

        # Parameters (withheld in a public bundle) and the n_h rule.
        params = parse_parameters(bundle.read("frame/parameters.txt"))
        if params["batch"] != m["batch"]:
            raise Difference(f"frame/parameters.txt batch "
                             f"{params['batch']!r} is not the manifest's "
                             f"{m['batch']!r}")
        if params["snapshot"] != c["snapshot"]:
            raise Difference(f"frame/parameters.txt snapshot "
                             f"{params['snapshot']} is not the commitment's "
                             f"{c['snapshot']}")
        strata = check_strata(params, rep)
        check_manifest_strata(m, params, rep)
        total = sum(s["n"] for s in params["strata"])
        tp = team_parameters(params)

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
        ids = verify_public(m, sdata, excluded_ids, rep)
        verify_teams_public(bundle, m, ids, rep)
        n = len(ids)
    else:
        n = verify_full(bundle, m, sdata, seed, k_tickets, tp, strata, total,
                        excluded_ids, rep)
    if NAMES in listed:
        check_names(bundle, rep, public)
    return n


def verify_full(bundle, m, sdata, seed, k_tickets, tp, strata, total,
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

    inspectors = parse_inspectors(bundle.read("frame/inspectors.txt"), tp)
    index = {ins.cred: i for i, ins in enumerate(inspectors)}
    conflicts, kinds = parse_conflicts(bundle.read("frame/conflicts.txt"),
                                       index, {r[0] for r in targets})
    rep.ok(f"frame/inspectors.txt ({len(inspectors)} inspectors, "
           f"{sum(1 for i in inspectors if i.expert)} experts) and "
           f"conflicts.txt ({kinds['recusal']} recusal, "
           f"{kinds['rotation']} rotation): canonical form (§2.2, §2.3)")

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

    # §9: the teams of the selected, in rank order, and the replacements.
    chosen = {tid.decode() for _, tid, _ in selected}
    division = {tid: d for tid, _, d in targets if tid in chosen}
    sel = [(tid.decode(), division[tid.decode()]) for _, tid, _ in selected]
    verify_teams_full(bundle, m, seed, tp, sel, inspectors, conflicts, rep)
    return len(targets)


def result_lines(data, name="selection.txt"):
    """selection.txt, teams.txt and replacements.txt are results to
    compare, so a broken line structure is a difference (exit 1), not a
    malformed bundle."""
    try:
        return split_lines(data, name)
    except Malformed as e:
        raise Difference(str(e))



def verify_public(m, sdata, excluded_ids, rep):
    """§8.1, §10 step 6: the drawn list, by id, each once."""
    lines = result_lines(sdata)
    if lines[0] != b"DSR-1 public selection":
        raise Difference(f"selection.txt line 1: "
                         f"{lines[0].decode('utf-8', 'replace')!r}, expected "
                         f"'DSR-1 public selection'")
    prev = None
    for no, line in enumerate(lines[1:], 2):
        tid = line.decode("utf-8")
        if not TARGET_ID.match(tid):
            raise Difference(f"selection.txt line {no}: {tid!r} is not a "
                             f"target id (§2; a public selection has only "
                             f"ids, §8.1)")
        if tid in excluded_ids:
            raise Difference(f"selection.txt line {no}: {tid} is in "
                             f"excluded.txt")
        if prev is not None and not prev < line:
            raise Difference(f"selection.txt line {no}: not after line "
                             f"{no - 1} in byte order, or twice (§8.1)")
        prev = line
    count = len(lines) - 1
    if _dec(m["selected"], "manifest selected") != count:
        raise Difference(f"manifest.txt: selected {m['selected']}, "
                         f"selection.txt has {count}")
    rep.ok(f"selection.txt (public): {count} ids in byte order, each once, "
           f"as many as the manifest's 'selected'")
    rep.unchecked("every ticket, and that the selected are the n_h "
                  "smallest tickets of their strata (the seed, targets.txt "
                  "and parameters.txt are withheld, §8.1)")
    rep.unchecked("N_h and n_h of each stratum (parameters.txt is "
                  "withheld, §8.1)")
    return [line.decode("utf-8") for line in lines[1:]]


def check_count(m, count, total):
    selected = _dec(m["selected"], "manifest selected")
    if selected != count:
        raise Difference(f"manifest.txt: selected {selected}, selection.txt "
                         f"has {count}")
    if count != total:
        raise Difference(f"selection.txt has {count} targets, the sum of "
                         f"n_h in parameters.txt is {total}")


def compare_lines(want, data, name, what="the selection has {} targets"):
    """Line by line; the first difference is named."""
    lines = result_lines(data, name)
    for i in range(max(len(want), len(lines))):
        no = i + 1
        if i >= len(lines):
            raise Difference(f"{name}: ends after line {len(lines)}; line "
                             f"{no} should be {want[i].decode()!r}")
        if i >= len(want):
            raise Difference(f"{name} line {no}: unexpected "
                             f"{lines[i].decode('utf-8', 'replace')!r} "
                             f"({what.format(len(want) - 1)})")
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
    ap.add_argument("--self-test", "--selftest", action="store_true",
                    dest="self_test",
                    help="run the known-answer tests of the primitives, the "
                    "vectors of tests/vectors/dsr1-primitives.txt and the "
                    "checks of §9 (teams)")
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
