#!/usr/bin/env bats
# The small tools around a draw: the witness's hash, the rehearsal that
# leaves no trace, the assignment sheet, and an inspector replaced on
# every target at once.

bats_require_minimum_version 1.5.0
load lib

BATCH=JDZ-2026-INFO-TC-1
NOTARY='公证处 3-1-4-1-5-9 salt:7c1e'

commit_and_draw() {
	ssj commit "$1" --witness notary="$(ssj witness hash "$NOTARY")" > /dev/null
	beacon_record "$1.commitment.txt" > beacon.json
	ssj draw "$1" --reveal notary="$NOTARY" --beacon beacon.json
}

@test "witness hash prints what commit --witness expects" {
	run --separate-stderr ssj witness hash "$NOTARY"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s' "$NOTARY" | b2sum -l 256 | cut -d' ' -f1)" ]
	# from a file an editor saved: its line end is not part of the value
	printf '%s\n' "$NOTARY" > value.txt
	run --separate-stderr ssj witness hash --file value.txt
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s' "$NOTARY" | b2sum -l 256 | cut -d' ' -f1)" ]
	[[ "$stderr" == *"is not part of the value"* ]]
	printf 'a\r\n' > crlf.txt
	[ "$(ssj witness hash --file crlf.txt 2> /dev/null)" = "$(ssj witness hash a)" ]
	printf 'no newline' > plain.txt
	run --separate-stderr ssj witness hash --file plain.txt
	[ "$stderr" = "" ]
	[ "$output" = "$(ssj witness hash 'no newline')" ]
}

@test "witness hash refuses bad usage, empty values and missing files" {
	run ssj witness hash
	[ "$status" -eq 2 ]
	[ "$output" = "usage: ssj witness hash (value | --file file)" ]
	run ssj witness
	[ "$status" -eq 2 ]
	run ssj witness digest x
	[ "$status" -eq 2 ]
	run ssj witness hash x --file y
	[ "$status" -eq 2 ]
	run ssj witness hash ''
	[ "$status" -eq 2 ]
	[[ "$output" == *"the value is empty"* ]]
	printf '\n' > empty.txt
	run ssj witness hash --file empty.txt
	[ "$status" -eq 2 ]
	run --separate-stderr ssj witness hash --file nonesuch.txt
	[ "$status" -eq 2 ]
	[ "$(grep -c nonesuch.txt <<< "$stderr")" -eq 1 ]
	printf 'a\0b' > nul.txt
	run ssj witness hash --file nul.txt
	[ "$status" -eq 2 ]
	[[ "$output" == *"holds a NUL byte"* ]]
}

@test "a hash from witness hash opens the draw" {
	example_registries
	run commit_and_draw "$BATCH"
	[ "$status" -eq 0 ]
	[[ "$output" == *"drew batch '$BATCH'"* ]]
}

@test "rehearse: pools, sample sizes and teams, and not a byte changed" {
	example_registries
	ssj ledger checkpoint > /dev/null
	before=$(db_content)
	sum=$(sha256sum ssj.db)
	files=$(find . -type f -printf '%p %s %T@\n' | sort)
	ledger=$(ssj ledger verify -p keys/ssj.pub)
	run --separate-stderr ssj rehearse "$BATCH"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "rehearsal of batch '$BATCH' on snapshot 5: 66 targets in the pool (4 excluded), 14 inspectors, 1 conflicts" ]
	[[ "$output" == *"  B                  41          3  3/41"* ]]
	[[ "$output" == *"expected sample: 9 targets"* ]]
	[[ "$output" == *"teams of 2 inspectors: all 9 targets staffed"* ]]
	[[ "$output" == *"nothing was recorded"* ]]
	[ "$(db_content)" = "$before" ]
	[ "$(sha256sum ssj.db)" = "$sum" ]
	[ "$(find . -type f -printf '%p %s %T@\n' | sort)" = "$files" ]
	[ "$(ssj ledger verify -p keys/ssj.pub)" = "$ledger" ]
	# and the real commit that follows is the first one
	run ssj commit "$BATCH"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 ssj.db "SELECT id FROM commitment")" = 1 ]
}

@test "rehearse warns of a batch that cannot be staffed, exit 1, nothing changed" {
	example_registries
	iconv -f gbk -t utf-8 data/inspectors-gbk.csv |
	    awk -F, 'NR == 1 || $3 != "XY" || $1 == "36020322047"' \
	    > one-xy.csv
	ssj import inspectors one-xy.csv > /dev/null
	before=$(db_content)
	sum=$(sha256sum ssj.db)
	run --separate-stderr ssj rehearse "$BATCH"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"warning: the frames fail the feasibility check"* ]]
	[[ "$stderr" == *"9 selected targets cannot be staffed:"* ]]
	[[ "$output" == *"teams: NOT FEASIBLE under this seed"* ]]
	[ "$(db_content)" = "$before" ]
	[ "$(sha256sum ssj.db)" = "$sum" ]
}

@test "rehearse refuses an unknown, a drawn batch and bad usage" {
	example_registries
	run ssj rehearse
	[ "$status" -eq 2 ]
	[ "$output" = "usage: ssj rehearse batch" ]
	run ssj rehearse "$BATCH" extra
	[ "$status" -eq 2 ]
	run ssj rehearse NONESUCH-1
	[ "$status" -eq 2 ]
	[ "$output" = "ssj: no batch 'NONESUCH-1' in the plan 'jingdezhen.yaml'" ]
	commit_and_draw "$BATCH" > /dev/null
	before=$(db_content)
	run ssj rehearse "$BATCH"
	[ "$status" -eq 2 ]
	[[ "$output" == *"a draw is final"* ]]
	[ "$(db_content)" = "$before" ]
}
