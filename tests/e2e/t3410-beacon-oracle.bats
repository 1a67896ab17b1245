#!/usr/bin/env bats
# ssj's BLS verdicts against an independent oracle: @noble/curves (npm,
# pinned) under node, on a few hundred generated drand records of both
# schemes, valid and corrupted (tests/oracle/bls-oracle.mjs).

load lib

NOBLE=@noble/curves@1.9.7

@test "ssj agrees with @noble/curves on 300 generated records" {
	command -v node > /dev/null || skip "no node: the oracle cannot run"
	oracle=$(cd "$(dirname "$SSJ")" && pwd)/oracle
	if [ ! -f "$oracle/node_modules/@noble/curves/package.json" ]; then
		command -v npm > /dev/null || skip "no npm to install $NOBLE"
		npm install --no-audit --no-fund --prefix "$oracle" "$NOBLE" \
		    > npm.log 2>&1 || skip "npm could not install $NOBLE: $(tail -1 npm.log)"
	fi
	run node "$ROOT/tests/oracle/bls-oracle.mjs" "$oracle" "$SSJ" "$ROOT" \
	    "$WORK/cases" 150
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "300 cases ("*"): 300 agree, 0 disagree" ]]
}
