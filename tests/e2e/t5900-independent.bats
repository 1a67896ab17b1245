#!/usr/bin/env bats
# The independent verifier (tests/independent/dsr1_verify.py, written from
# docs/protocol.md alone, without ssj's code) on bundles that ssj makes:
# full and public, as exported and tampered with.

load lib

VERIFY=$ROOT/tests/independent/dsr1_verify.py

# Two witnesses; the notary's value has a backslash, a TAB and CJK text,
# so that the manifest's escaping (§8) is exercised.
NOTARY=$(printf '3-1-4-1-5-9 salt:9f2c\\x\t公证')
REP=42

verify() {
	python3 "$VERIFY" "$@"
}

# The sample registries of tests/e2e/data under a plan whose batch is drawn
# in October 2026, so that risk.csv's classes apply, with the abnormal
# list drawn with certainty and quotas that draw from every stratum:
# certain 1 of 1, A 1 of 1, B 1 of 2 (the unclassified), C 1 of 1, D 1 of 1.
sample_bundles() {
	mkdir -p keys
	cat > ssj.yaml <<-'EOF'
	version: 1
	plan: {id: P1, name: 计划, year: 2026}
	authority:
	  name: 景德镇市市场监督管理局
	  division: "360200"
	  departments: [{code: ZJ, name: 产品质量安全监督管理科}]
	keys: {public: keys/bureau.pub, secret: keys/bureau.key}
	calendar: {years: [2026]}
	items: [{code: I1, name: 事项, department: ZJ}]
	sampling:
	  general:
	    classes:
	      A: 3%
	      B: {ratio: 2.5%, min: 1}
	      C: {ratio: 10%, max: 1}
	      D: 100%
	    certain: [abnormal]
	tasks:
	  - id: T1
	    name: 任务
	    items: [I1]
	    lead: ZJ
	    batches:
	      - {id: T1-1, draw: 2026-10-15, window: {from: 2026-10-19, to: 2026-11-27}}
	EOF
	local_beacon ssj.yaml
	ssj init > /dev/null
	ssj keygen -p keys/bureau.pub -s keys/bureau.key > /dev/null
	ssj import enterprises "$DATA/enterprises.csv" > /dev/null
	# the sample roster, and enough of ZJ for teams of 2 everywhere
	{ cat "$DATA/inspectors.csv"
	  echo '36020099801,甲,ZJ,360200,CCC,2030-12-31,是,否,,'
	  echo '36020099802,乙,ZJ,360200,,2030-12-31,是,否,,'
	  echo '36020099803,丙,ZJ,360202;360281,CCC,2030-12-31,是,否,,'
	} > roster.csv
	ssj import inspectors roster.csv > /dev/null 2>&1
	ssj import conflicts "$DATA/conflicts.csv" > /dev/null
	ssj import risk "$DATA/risk.csv" > /dev/null
	local h1 h2 round
	h1=$(printf '%s' "$NOTARY" | b2sum -l 256 | cut -d' ' -f1)
	h2=$(printf '%s' "$REP" | b2sum -l 256 | cut -d' ' -f1)
	ssj commit T1-1 --witness "notary=$h1" --witness "enterprise-rep=$h2" \
	    > /dev/null
	beacon_record T1-1.commitment.txt > beacon.json
	ssj draw T1-1 --reveal "notary=$NOTARY" --reveal "enterprise-rep=$REP" \
	    --beacon beacon.json > /dev/null
	ssj export T1-1 full > /dev/null
	ssj export T1-1 public --public > /dev/null
}

@test "the independent verifier's known-answer tests pass" {
	run verify --self-test
	[ "$status" -eq 0 ]
	[[ "$output" == *"known-answer tests passed"* ]]
	[[ "$output" != *FAIL* ]]
}

@test "the committed vector bundles verify with the independent verifier" {
	local b
	for b in "$ROOT"/tests/vectors/bundles/VEC-*/; do
		verify -q --key "$ROOT/tests/vectors/bundles/ssj.pub" "$b" ||
		    { echo "$b"; return 1; }
	done
}

@test "ssj's full and public bundles verify with the independent verifier" {
	sample_bundles
	# The sample frame: 6 targets in 5 strata, 5 drawn.
	[ "$(grep -c . full/frame/targets.txt)" -eq 7 ]
	run verify --key keys/bureau.pub full
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "verified: 6 targets, identical" ]
	[[ "$output" == *"ok: selection.txt: 5 selected, identical line by line"* ]]
	[[ "$output" == *"ok: 2 reveals, the secret"* ]]
	[[ "$output" == *"signatures"* ]]
	run verify --key keys/bureau.pub public
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "verified: 5 targets, identical" ]
	[[ "$output" == *"not checked: every ticket, and that the selected are the n_h smallest tickets of their strata"* ]]
	[[ "$output" == *"not checked: the seed"* ]]
	# ssj's own verifier agrees.
	ssj verify full -p keys/bureau.pub > /dev/null
	ssj verify public -p keys/bureau.pub > /dev/null
}

@test "without Ed25519 the verifier says so and still checks the trusted comments" {
	sample_bundles
	run verify --no-ed25519 full
	[ "$status" -eq 0 ]
	[[ "$output" == *"not checked: signatures not checked (no Ed25519 in this Python)"* ]]
	[[ "$output" == *"not checked: that ssj.pub is the bureau's key"* ]]
	# A trusted comment naming another file is caught without Ed25519.
	sed -i '3s/file=selection.txt/file=beacon.json/' full/selection.txt.minisig
	run verify --no-ed25519 full
	[ "$status" -eq 1 ]
	[[ "$output" == *"difference: selection.txt.minisig: the trusted comment names 'beacon.json', not 'selection.txt'"* ]]
}

@test "a tampered bundle fails the independent verifier, naming the file" {
	sample_bundles
	# One changed ticket digit in the selection.
	sed -i '2s/.$/x/' full/selection.txt
	run verify --key keys/bureau.pub full
	[ "$status" -eq 1 ]
	[[ "$output" == *"difference: selection.txt: BLAKE2b-256 is "* ]]
	# Another bureau's key.
	ssj keygen -p other.pub -s other.key > /dev/null
	run verify --key other.pub public
	[ "$status" -eq 1 ]
	[[ "$output" == *"difference: manifest.txt.minisig: made with key id"* ]]
	# A version the verifier does not implement is refused as malformed.
	sed -i 's/^algorithm DSR-1$/algorithm DSR-2/' public/manifest.txt
	run verify public
	[ "$status" -eq 2 ]
	[[ "$output" == *"algorithm 'DSR-2' is not implemented"* ]]
	run verify nonexistent
	[ "$status" -eq 2 ]
}
