#!/usr/bin/env bats
# ssj beacon: drand rounds checked natively (BLS12-381) against the chain
# the plan pins; records from drand's network and from the test chain.

load lib

# quicknet round 1000 as api.drand.sh serves it (see test-bls12381.c)
QN1000='{"round":1000,"randomness":"fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd","signature":"b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39"}'
# drand mainnet ("default", chained) round 1: drand/drand-client test/data.ts
MN1='{"round":1,"randomness":"101297f1ca7dc44ef6088d94ad5fb7ba03455dc33d53ddb412bbc4564ed986ec","signature":"8d61d9100567de44682506aea1a7a6fa6e5491cd27a0a0ed349ef6910ac5ac20ff7bc3e09d7c046566c9f7f3c6f3b10104990e7cb424998203d8f7de586fb7fa5f60045417a432684f85093b06ca91c769f0e7ca19268375e659c2a2352b4655","previous_signature":"176f93498eac9ca337150b46d21dd58673ea4e3581185f869672e59fa4cb390a"}'
MAINNET=8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce

# A plan: the example one, with the beacon given as $1.
plan_with_beacon() {
	cp -R "$ROOT/config/examples" "$ROOT/config/calendars" .
	printf '%s\n' "$1" >> examples/jingdezhen.yaml
	export SSJ_PLAN=examples/jingdezhen.yaml
}

# The record with one JSON member rewritten by a Python expression on r.
alter() {
	python3 -c '
import hashlib, json, sys
r = json.loads(sys.argv[1])
exec(sys.argv[2])
print(json.dumps(r, separators=(",", ":")))' "$1" "$2"
}

@test "a real quicknet round verifies with no plan; altered, it does not" {
	echo "$QN1000" > r.json
	run ssj beacon verify r.json
	[ "$status" -eq 0 ]
	[[ "$output" == *"round 1000 of chain 52db9ba70e0cc0f6"*"signature valid"* ]]
	alter "$QN1000" 'r["round"] = 1001' > a.json
	run ssj beacon verify a.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"beacon: bad signature: round 1001 is not signed by the chain's key"* ]]
	# a flipped bit of the signature, randomness made to match
	alter "$QN1000" 's = bytearray.fromhex(r["signature"]); s[20] ^= 4; r["signature"] = s.hex(); r["randomness"] = hashlib.sha256(s).hexdigest()' > a.json
	run ssj beacon verify a.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"beacon: "*"signature"* ]]
	# the compression flag off: not a point encoding at all
	alter "$QN1000" 's = bytearray.fromhex(r["signature"]); s[0] &= 0x7f; r["signature"] = s.hex(); r["randomness"] = hashlib.sha256(s).hexdigest()' > a.json
	run ssj beacon verify a.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"'signature' is not a valid G1 signature: not a compressed point"* ]]
	# an on-curve point outside the subgroup (x = 4)
	alter "$QN1000" 's = bytearray(48); s[0] = 0x80; s[47] = 4; r["signature"] = s.hex(); r["randomness"] = hashlib.sha256(s).hexdigest()' > a.json
	run ssj beacon verify a.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"point not in the subgroup of order r"* ]]
	alter "$QN1000" 'r["randomness"] = "00" + r["randomness"][2:]' > a.json
	run ssj beacon verify a.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"'randomness' is not SHA-256 of 'signature'"* ]]
	# a previous signature is not part of an unchained round
	alter "$QN1000" 'r["previous_signature"] = "00" * 48' > a.json
	run ssj beacon verify a.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"'previous_signature' is given, but a 'bls-unchained-g1-rfc9380' chain does not sign it"* ]]
}

@test "a real round of drand's chained default chain verifies under a plan that pins it" {
	plan_with_beacon "beacon: {chain: $MAINNET}"
	echo "$MN1" > r.json
	run ssj beacon verify r.json
	[ "$status" -eq 0 ]
	[[ "$output" == *"round 1 of chain 8990e7a9aaed2ffe"*"(pedersen-bls-chained): signature valid"* ]]
	alter "$MN1" 'p = bytearray.fromhex(r["previous_signature"]); p[0] ^= 1; r["previous_signature"] = p.hex()' > a.json
	run ssj beacon verify a.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad signature: round 1 is not signed"* ]]
	alter "$MN1" 'del r["previous_signature"]' > a.json
	run ssj beacon verify a.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"'previous_signature' is missing"* ]]
	# quicknet's round is not the default chain's
	echo "$QN1000" > q.json
	run ssj beacon verify q.json
	[ "$status" -eq 1 ]
}

@test "records too long or with repeated members are refused; unknown members ignored" {
	echo "$QN1000" > r.json
	# issue 9: an extra member of 60 MB was accepted
	python3 -c '
import json, sys
r = json.loads(sys.argv[1]); r["extra"] = "x" * 60000000
print(json.dumps(r))' "$QN1000" > big.json
	run ssj beacon verify big.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"beacon: the record is 600"*" bytes; a drand record is at most 4096"* ]]
	# docs/protocol.md section 5: a repeated member is refused, whichever
	# value comes first
	sed 's/^{/{"round":1001,/' r.json > dup.json
	run ssj beacon verify dup.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"beacon: not JSON"*"duplicate object key"* ]]
	sed 's/}$/,"round":1000}/' r.json > dup2.json
	run ssj beacon verify dup2.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"duplicate object key"* ]]
	# an unknown member is ignored: relays add some
	alter "$QN1000" 'r["note"] = "relay"' > extra.json
	run ssj beacon verify extra.json
	[ "$status" -eq 0 ]
}

@test "the test chain's records verify under its key; made-up ones do not" {
	plan_with_beacon "beacon: {chain: $(printf x | b2sum -l 256 | cut -d' ' -f1), genesis: 1700000000, period: 1, scheme: bls-unchained-g1-rfc9380, public_key: $("$BLS_SIGN" key)}"
	"$BLS_SIGN" 42 > r.json
	run ssj beacon verify r.json
	[ "$status" -eq 0 ]
	made_up_record 42 > m.json
	run ssj beacon verify m.json
	[ "$status" -eq 1 ]
	# quicknet's real round is not the test chain's
	echo "$QN1000" > q.json
	run ssj beacon verify q.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad signature"* ]]
}

@test "beacon fetch runs the plan's command, checks the record and stores it" {
	plan_with_beacon "beacon: {chain: $(printf x | b2sum -l 256 | cut -d' ' -f1), genesis: 1700000000, period: 1, scheme: bls-unchained-g1-rfc9380, public_key: $("$BLS_SIGN" key), command: 'cat relay/{round}.json'}"
	mkdir relay
	"$BLS_SIGN" 7 > relay/7.json
	made_up_record 8 > relay/8.json
	"$BLS_SIGN" 10 > relay/9.json
	run ssj beacon fetch 7 got.json
	[ "$status" -eq 0 ]
	cmp got.json relay/7.json
	run ssj beacon fetch 7
	[ "$status" -eq 0 ]
	[[ "$output" == *'{"round":7,'* ]]
	run ssj beacon fetch 8 bad.json
	[ "$status" -eq 1 ]
	[ ! -e bad.json ]
	run ssj beacon fetch 9 bad.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"the record is of round 10, not 9"* ]]
	[ ! -e bad.json ]
	run ssj beacon fetch 11 bad.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"the beacon command 'cat relay/11.json' failed (exit status 1)"* ]]
	run ssj beacon fetch 0
	[ "$status" -eq 2 ]
}

@test "beacon round: the round out at a Beijing time" {
	# quicknet: genesis 2023-08-23 15:09:27 UTC, a round every 3 s
	run ssj beacon round '2023-08-23 23:09:27'
	[ "$status" -eq 0 ]
	[[ "$output" == 1$'\t'"2023-08-23 23:09:27 +08:00"* ]]
	run ssj beacon round '2026-12-03T21:00:01'
	[ "$status" -eq 0 ]
	want=$(( ($(date -u -d '2026-12-03 13:00:01' +%s) - 1692803367) / 3 + 1 ))
	[[ "$output" == "$want"$'\t'"2026-12-03 21:00:00 +08:00"* ]]
	run ssj beacon round @1692803369
	[[ "$output" == 1$'\t'* ]]
	run ssj beacon round @1692803370
	[[ "$output" == 2$'\t'* ]]
	run ssj beacon round '2023-08-23 23:09:26'
	[ "$status" -eq 2 ]
	[[ "$output" == *"before the chain's first round"* ]]
	run ssj beacon round '2026-02-29 10:00'
	[ "$status" -eq 2 ]
	# the default chain: genesis 1595431050, 30 s
	plan_with_beacon "beacon: {chain: $MAINNET}"
	run ssj beacon round @$((1595431050 + 30 * 99))
	[[ "$output" == 100$'\t'* ]]
}

@test "the plan pins the chain: wrong or missing keys are refused" {
	plan_with_beacon "beacon: {chain: 52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971, public_key: $("$BLS_SIGN" key)}"
	run ssj check
	[ "$status" -eq 2 ]
	[[ "$output" == *"this is not the public key of drand's quicknet chain"* ]]
	cp "$ROOT/config/examples/jingdezhen.yaml" examples/
	printf 'beacon: {chain: %s, period: 3, genesis: 1}\n' "$(printf x | b2sum -l 256 | cut -d' ' -f1)" >> examples/jingdezhen.yaml
	run ssj check
	[ "$status" -eq 2 ]
	[[ "$output" == *"is not one ssj knows: give its 'scheme', 'public_key', 'genesis' and 'period'"* ]]
	cp "$ROOT/config/examples/jingdezhen.yaml" examples/
	printf 'beacon: {chain: %s, period: 3, genesis: 1, scheme: bls-unchained-g1-rfc9380, public_key: %s}\n' "$(printf x | b2sum -l 256 | cut -d' ' -f1)" "8$(printf '%0191d' 4)" >> examples/jingdezhen.yaml
	run ssj check
	[ "$status" -eq 2 ]
	[[ "$output" == *"the chain's public key is not usable: point not"* ]]
	cp "$ROOT/config/examples/jingdezhen.yaml" examples/
	printf 'beacon: {chain: %s, period: 3, genesis: 1, scheme: bls-chained-g9, public_key: %s}\n' "$(printf x | b2sum -l 256 | cut -d' ' -f1)" "$("$BLS_SIGN" key)" >> examples/jingdezhen.yaml
	run ssj check
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown scheme 'bls-chained-g9'"* ]]
}

@test "the beacon vectors: ssj and the independent verifier's parser agree with tests/vectors/beacon" {
	v=$ROOT/tests/vectors/beacon
	cp -R "$ROOT/config/examples" "$ROOT/config/calendars" .
	cp examples/jingdezhen.yaml examples/quicknet.yaml
	cp examples/jingdezhen.yaml examples/mainnet.yaml
	echo "beacon: {chain: $MAINNET}" >> examples/mainnet.yaml
	n=0
	while read -r file chain verdict what; do
		case $file in '#'*|'') continue ;; esac
		run ssj -f "examples/$chain.yaml" beacon verify "$v/$file"
		case $verdict in
		valid) [ "$status" -eq 0 ] || { echo "$file: $output"; return 1; } ;;
		refused) [ "$status" -eq 1 ] || { echo "$file: $output"; return 1; } ;;
		esac
		case $what in
		duplicate) [[ "$output" == *"duplicate object key"* ]] ;;
		too-long) [[ "$output" == *"a drand record is at most 4096"* ]] ;;
		bad-signature) [[ "$output" == *"bad signature"* ]] ;;
		esac
		# the independent verifier refuses the same malformed records
		run python3 -c '
import sys
sys.path.insert(0, sys.argv[1])
import dsr1_verify as d
try:
    d.parse_beacon(open(sys.argv[2], "rb").read())
except d.Malformed as e:
    print(e)
    sys.exit(1)' "$ROOT/tests/independent" "$v/$file"
		case $what in
		duplicate|too-long) [ "$status" -eq 1 ] || { echo "$file: parsed"; return 1; } ;;
		*) [ "$status" -eq 0 ] || { echo "$file: $output"; return 1; } ;;
		esac
		n=$((n + 1))
	done < "$v/expected.txt"
	[ "$n" -eq 9 ]
}
