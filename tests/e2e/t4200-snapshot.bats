#!/usr/bin/env bats
# ssj snapshot: the list of imports, and any registry as of any snapshot.

load lib

@test "an empty database lists no snapshots" {
	ssj init
	run ssj snapshot
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *"registry"*"file"* ]]
}

@test "every import is listed with its counts, file and digest" {
	ssj init
	ssj import enterprises "$DATA/enterprises.csv"
	ssj import risk "$DATA/risk.csv"
	ssj import inspectors "$DATA/inspectors-gbk.csv" --encoding gbk
	run ssj snapshot list
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	digest=$(b2sum -l 256 "$DATA/enterprises.csv" | cut -c1-16)
	[[ "${lines[1]}" == *"1  enterprises"*"6"*"enterprises.csv (utf-8, blake2b $digest"* ]]
	[[ "${lines[3]}" == *"3  inspectors"*"(gbk, blake2b"* ]]
}

@test "dump writes CSV in key order with the Chinese headers" {
	ssj init
	ssj import risk "$DATA/risk.csv"
	run ssj snapshot dump risk
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'统一社会信用代码,分类月份,风险等级\r' ]
	[ "${lines[1]}" = $'360202000012344,2026-10,A\r' ] ||
	    [ "${lines[1]}" = $'91360202000000019L,2026-10,A\r' ]
	sorted=$(printf '%s\n' "${lines[@]:1}" | sort -c && echo sorted)
	[ "$sorted" = sorted ]
}

@test "dump of an unknown snapshot or registry is a usage error" {
	ssj init
	ssj import risk "$DATA/risk.csv"
	run ssj snapshot dump risk 7
	[ "$status" -eq 2 ]
	[[ "$output" == *"no snapshot 7; the latest is 1"* ]]
	run ssj snapshot dump risk zero
	[ "$status" -eq 2 ]
	run ssj snapshot dump people
	[ "$status" -eq 2 ]
	run ssj snapshot frob
	[ "$status" -eq 2 ]
}
