#!/usr/bin/env bats
# Issue 9 item 11, docs/protocol.md §8.1: a public bundle lets no one
# infer an enterprise's risk class beyond the public plan and the drawn
# list. tests/independent/infer_classes.py runs the attack (tickets,
# per-stratum counts, the certainty targets known beforehand) and checks
# its answer against the full bundle.

load lib

BATCH=JDZ-2026-INFO-TC-1
INFER=$ROOT/tests/independent/infer_classes.py
VEC=$ROOT/tests/vectors/bundles

@test "the attack works on what public bundles gave before §8.1 (the control)" {
	run python3 "$INFER" --old-public "$VEC/VEC-JOINT-1"
	[ "$status" -eq 0 ]
	[[ "$output" == "identified 4 of 4 drawn (0 wrong)"* ]]
}

@test "the attack finds nothing in the public vector bundles" {
	for v in VEC-GEN-1 VEC-KEY-1 VEC-JOINT-1; do
		run python3 "$INFER" "$VEC/$v-public" "$VEC/$v"
		[ "$status" -eq 0 ]
		[[ "$output" == "identified 0 of "*"tickets none, counts none" ]] ||
		    { echo "$v: $output"; return 1; }
	done
}

@test "the attack finds nothing in a public bundle of the example plan" {
	example_registries
	ssj commit "$BATCH" > /dev/null
	beacon_record "$BATCH.commitment.txt" > beacon.json
	ssj draw "$BATCH" --beacon beacon.json > /dev/null
	ssj export "$BATCH" full > /dev/null
	ssj export "$BATCH" public --public > /dev/null
	run python3 "$INFER" public full
	[ "$status" -eq 0 ]
	[[ "$output" == "identified 0 of 9 drawn"*"tickets none, counts none" ]]
	# and nothing that would feed it: no ticket, seed, secret or count
	refute grep -qE '^(secret|seed|stratum) ' public/manifest.txt
	[ ! -e public/frame/parameters.txt ]
	refute grep -rqE '(^|[^0-9a-f])[0-9a-f]{32}([^0-9a-f]|$)' public/selection.txt public/teams.txt
	# the drawn list is in byte order, not in ticket order
	tail -n +2 public/selection.txt | LC_ALL=C sort -c
	cut -f1 public/teams.txt | tail -n +2 | cmp - <(tail -n +2 public/selection.txt)
}
