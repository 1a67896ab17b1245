#!/usr/bin/env python3
"""The class-inference attack of issue 9 item 11, run on a public bundle.

An outsider holds a public bundle, the public plan and the public
abnormal-operations list (the certainty targets). From the bundle it
takes whatever tells drawn targets apart: tickets (a 32-hex-digit field
of selection.txt, or recomputed from a `seed` line of the manifest) and
per-stratum counts (`stratum` lines of the manifest or of
frame/parameters.txt). Each drawn target that is not certain may be in
any stratum with a drawn target; a ticket above what a stratum's n_h-th
ticket can plausibly reach rules that stratum out; counts then pin
targets (a stratum with as many drawn as candidates takes them all, a
target with one stratum left is in it).  The answer is checked against
the full bundle's selection.txt, the truth.

    infer_classes.py PUBLIC FULL          attack a public bundle
    infer_classes.py --old-public FULL    attack what public bundles gave
                                          before docs/protocol.md §8.1
                                          (tickets and counts): the
                                          control that the attack works

Prints "identified K of M drawn (W wrong)"; K = 0 is the baseline.
"""

import math
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import dsr1_verify as d  # noqa: E402

HEX32 = re.compile(r"[0-9a-f]{32}\Z")


def truth(full):
    lines = (full / "selection.txt").read_text().splitlines()[1:]
    return {f[1]: f[2] for f in (l.split("\t") for l in lines)}


def counts_from(text):
    """stratum NAME N n ... lines (manifest) or NAME N P/Q min max n
    (parameters.txt): {name: (N, n)}."""
    out = {}
    for line in text.splitlines():
        f = line.split(" ")
        if f[0] != "stratum":
            continue
        if len(f) == 5:                 # manifest: NAME N n P/Q
            out[f[1]] = (int(f[2]), int(f[3]))
        elif len(f) == 7:               # parameters: NAME N P/Q min max n
            out[f[1]] = (int(f[2]), int(f[6]))
    return out


def public_view(pub):
    """What an outsider reads from a public bundle: ids, tickets (or
    None), per-stratum counts (or {})."""
    manifest = (pub / "manifest.txt").read_text()
    sel = (pub / "selection.txt").read_text().splitlines()[1:]
    ids, tickets = [], {}
    for line in sel:
        f = line.split("\t")
        tid = next(x for x in f if d.TARGET_ID.match(x))
        ids.append(tid)
        for x in f:
            if HEX32.match(x):
                tickets[tid] = int(x, 16)
    seed = re.search(r"^seed ([0-9a-f]{64})$", manifest, re.M)
    if seed and not tickets:
        k = d.kdf(bytes.fromhex(seed.group(1)), 16, 1, b"DSR1TICK")
        tickets = {t: int.from_bytes(d.ticket(k, t), "big") for t in ids}
    counts = counts_from(manifest)
    params = pub / "frame" / "parameters.txt"
    if not counts and params.exists():
        counts = counts_from(params.read_text())
    return ids, tickets, counts


def old_public_view(full):
    """Before §8.1 a public bundle had every ticket and the counts."""
    lines = (full / "selection.txt").read_text().splitlines()[1:]
    ids = [l.split("\t")[1] for l in lines]
    tickets = {l.split("\t")[1]: int(l.split("\t")[3], 16) for l in lines}
    return ids, tickets, counts_from((full / "manifest.txt").read_text())


def attack(ids, tickets, counts, certain):
    strata = {h: n for h, (N, n) in counts.items() if h != "certain"}
    bound = {}
    for h, (N, n) in counts.items():
        if h == "certain" or n == 0:
            continue
        # The n-th smallest of N uniform tickets stays below this
        # fraction of 2^128 but with a negligible chance.
        bound[h] = 1.0 if n == N else min(1.0, (n + 6 * math.sqrt(n) + 6)
                                          / N)
    plan = set(bound) if counts else {"?", "??"}  # no counts: any class
    cand = {}
    for t in ids:
        if t in certain:
            continue
        s = set(plan)
        if t in tickets and counts:
            frac = tickets[t] / 2 ** 128
            s = {h for h in s if frac <= bound[h]}
        cand[t] = s
    left = dict(strata)
    known = {}
    changed = True
    while changed:
        changed = False
        for t, s in list(cand.items()):
            if len(s) == 1:
                h = next(iter(s))
                known[t] = h
                del cand[t]
                left[h] = left.get(h, 0) - 1
                changed = True
        for h, n in left.items():
            able = [t for t, s in cand.items() if h in s]
            if n == 0:
                for t in able:
                    cand[t].discard(h)
                    changed = True
            elif able and n == len(able):
                for t in able:
                    cand[t] = {h}
                changed = True
    return known


def main(argv):
    if len(argv) == 3 and argv[1] == "--old-public":
        full = pathlib.Path(argv[2])
        ids, tickets, counts = old_public_view(full)
    elif len(argv) == 3:
        full = pathlib.Path(argv[2])
        ids, tickets, counts = public_view(pathlib.Path(argv[1]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    real = truth(full)
    certain = {t for t, h in real.items() if h == "certain"}
    known = attack(ids, tickets, counts, certain)
    wrong = sum(1 for t, h in known.items() if real.get(t) != h)
    print(f"identified {len(known)} of {len(ids)} drawn ({wrong} wrong); "
          f"{len(certain)} certain known beforehand; tickets "
          f"{'seen' if tickets else 'none'}, counts "
          f"{'seen' if counts else 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
