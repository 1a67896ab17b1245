#!/usr/bin/env bats
# The independent verifier (tests/independent/dsr1_verify.py, written from
# docs/protocol.md alone, without ssj's code) on bundles that ssj makes:
# full and public, and a tampered copy of each.

load lib

VERIFY=$ROOT/tests/independent/dsr1_verify.py

@test "the independent verifier's known-answer tests pass" {
	run python3 "$VERIFY" --self-test
	[ "$status" -eq 0 ]
	[[ "$output" == *"known-answer tests passed"* ]]
}
