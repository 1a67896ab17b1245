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
	[ "${lines[0]}" = "rehearsal of batch '$BATCH' on snapshot 5: 66 targets in the pool (4 excluded), 15 inspectors, 1 conflicts" ]
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

@test "every batch of the example plan can be staffed whatever is drawn" {
	# The demo and the tests draw these batches under a new beacon round
	# each run: a target no team can be made for would fail one run in
	# twenty, not every run.
	example_registries
	for b in $(awk '$1 == "-" && $2 == "id:" && $3 ~ /-[0-9]+$/ { print $3 }' jingdezhen.yaml); do
		run --separate-stderr ssj rehearse "$b"
		echo "$b: $stderr"
		[ "$status" -eq 0 ]
		[[ "$stderr" != *"feasibility"* ]]
		[[ "$output" == *"targets staffed"* ]]
	done
}

@test "rehearse warns of a batch that cannot be staffed, exit 1, nothing changed" {
	example_registries
	iconv -f gbk -t utf-8 data/inspectors-gbk.csv |
	    awk -F, 'NR == 1 || $3 != "XY" || $1 == "36020322047"' \
	    > one-xy.csv
	ssj import inspectors one-xy.csv --allow-removals > /dev/null
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

@test "replace --all: an inspector off every team, one replacement draw each" {
	example_registries
	commit_and_draw "$BATCH" > /dev/null
	# the most loaded inspector with a choice left on each of their teams
	cred=$(sqlite3 ssj.db "SELECT c.credential FROM current_team c JOIN team t ON t.draw = c.draw AND t.rank = c.rank GROUP BY c.credential HAVING min(t.eligible) > 2 ORDER BY count(*) DESC, c.credential LIMIT 1")
	n=$(sqlite3 ssj.db "SELECT count(*) FROM current_team WHERE credential = '$cred'")
	[ "$n" -gt 0 ]
	run ssj replace "$BATCH" --all --inspector "$cred" --reason 病假
	[ "$status" -eq 0 ]
	[ "$(grep -c "^replacement [0-9]* of batch '$BATCH': '$cred' off target " <<< "$output")" -eq "$n" ]
	[ "${lines[-1]}" = "export the bundle again: it now has $n replacements" ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM current_team WHERE credential = '$cred'")" -eq 0 ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM replacement WHERE reason = '病假'")" -eq "$n" ]
	# each is a replacement draw that replays
	ssj export "$BATCH" full > /dev/null
	run ssj verify full -p keys/ssj.pub
	[ "$status" -eq 0 ]
	[[ "$output" == *"9 teams and $n replacements replayed, identical"* ]]
	run ssj ledger verify -p keys/ssj.pub
	[ "$status" -eq 0 ]
	# a second time there is nothing to replace
	before=$(db_content)
	run ssj replace "$BATCH" --all --inspector "$cred" --reason 病假
	[ "$status" -eq 2 ]
	[[ "$output" == *"inspector '$cred' is on no team of batch '$BATCH'"* ]]
	[ "$(db_content)" = "$before" ]
}

@test "replace --all is all or nothing" {
	example_registries
	# XY keeps two sworn inspectors in each division of the batch, so
	# that every team is all its target's eligible inspectors
	iconv -f gbk -t utf-8 data/inspectors-gbk.csv |
	    grep -v '^36020321023,\|^36022221039,' > two-xy.csv
	ssj import inspectors two-xy.csv --allow-removals > /dev/null
	commit_and_draw "$BATCH" > /dev/null
	# an inspector on a team with no one left to replace them there
	cred=$(sqlite3 ssj.db "SELECT c.credential FROM current_team c JOIN team t ON t.draw = c.draw AND t.rank = c.rank WHERE t.eligible = 2 ORDER BY c.credential LIMIT 1")
	[ -n "$cred" ]
	before=$(db_content)
	run --separate-stderr ssj replace "$BATCH" --all --inspector "$cred" --reason 病假
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"no replacement is kept: the batch's teams are as they were"* ]]
	[ "$(db_content)" = "$before" ]
}

@test "replace refuses control characters in the reason, and bad usage" {
	example_registries
	commit_and_draw "$BATCH" > /dev/null
	# a place that has a replacement
	rank=$(sqlite3 ssj.db "SELECT min(rank) FROM team WHERE eligible > 2")
	target=$(sqlite3 ssj.db "SELECT uscc FROM selection WHERE rank = $rank")
	cred=$(sqlite3 ssj.db "SELECT credential FROM current_team WHERE rank = $rank AND slot = 0")
	before=$(db_content)
	for reason in "$(printf 'ill\033[2J')" "$(printf 'line\none')" \
	    "$(printf 'tab\there')" "$(printf 'del\177')" \
	    "$(printf 'c1\302\233x')" "$(printf 'bad \377 utf8')" \
	    "$(printf 'overlong \300\257')"; do
		run --separate-stderr ssj replace "$BATCH" --target "$target" --inspector "$cred" --reason "$reason"
		[ "$status" -eq 2 ]
		[ "$stderr" = "ssj: the reason holds a control character, a line end or invalid UTF-8: give it as one line of text" ]
		run ssj replace "$BATCH" --all --inspector "$cred" --reason "$reason"
		[ "$status" -eq 2 ]
	done
	run ssj replace "$BATCH" --target "$target" --all --inspector "$cred" --reason x
	[ "$status" -eq 2 ]
	[ "$output" = "usage: ssj replace batch (--target id | --all) --inspector credential --reason text" ]
	run ssj replace "$BATCH" --inspector "$cred" --reason x
	[ "$status" -eq 2 ]
	[ "$(db_content)" = "$before" ]
	run ssj replace "$BATCH" --target "$target" --inspector "$cred" --reason '回避：亲属关系 (relative)'
	[ "$status" -eq 0 ]
}

@test "show: names, divisions and items; no raw control character" {
	example_registries
	commit_and_draw "$BATCH" > /dev/null
	run ssj show "$BATCH"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "items: XY-GS-01 企业公示信息抽查" ]
	# every target's enterprise name and division, under its rank line
	for uscc in $(sqlite3 ssj.db "SELECT uscc FROM selection"); do
		row=$(sqlite3 ssj.db "SELECT name || ' (' || division || ')' FROM enterprise WHERE uscc = '$uscc'")
		[[ "$(grep -E "^ +[0-9]+  $uscc +[0-9]+  " <<< "$output")" == *"  $row" ]]
	done
	# a reason with an escape, left by an older ssj, is shown escaped
	sqlite3 ssj.db "INSERT INTO replacement (draw, number, rank, slot, removed, drawn, reason, at) SELECT 1, 1, 1, 0, credential, credential, 'ill' || char(27) || '[2J', '2026-12-01T00:00:00Z' FROM assignment WHERE rank = 1 AND slot = 0"
	run ssj show "$BATCH"
	[ "$status" -eq 0 ]
	[[ "$output" == *'ill\x1b[2J'* ]]
	refute grep -q $'\033' <<< "$output"
}

@test "show --csv: the assignment sheet, per inspector, UTF-8 with BOM" {
	example_registries
	# names a spreadsheet would run as formulas
	awk 'BEGIN { FS = OFS = "," } NR > 1 { $2 = "=cmd|'"'"' /c calc'"'"'!A1 " $2 } 1' \
	    data/enterprises.csv > formulas.csv
	ssj import enterprises formulas.csv > /dev/null 2>&1
	commit_and_draw "$BATCH" > /dev/null
	run ssj show "$BATCH" --csv sheet.csv
	[ "$status" -eq 0 ]
	[ "$output" = "wrote the assignment sheet of batch '$BATCH' to 'sheet.csv'" ]
	[ "$(head -c 3 sheet.csv | od -An -tx1 | tr -d ' ')" = efbbbf ]
	[ "$(head -1 sheet.csv | tail -c +4 | tr -d '\r')" = "执法证号,检查人员,角色,序号,统一社会信用代码,企业名称,住所,行政区划,检查事项,检查期限（北京时间）,组长,检查组成员" ]
	# one row per place on a team, CRLF, the inspector's rows together
	[ "$(($(wc -l < sheet.csv) - 1))" -eq "$(sqlite3 ssj.db "SELECT count(*) FROM current_team")" ]
	[ "$(grep -c $'\r$' sheet.csv)" -eq "$(wc -l < sheet.csv)" ]
	python3 - "$(sqlite3 ssj.db "SELECT max(rank) FROM team")" <<'PY'
import csv, sys, sqlite3
rows = list(csv.reader(open("sheet.csv", encoding="utf-8-sig", newline="")))
head, rows = rows[0], rows[1:]
db = sqlite3.connect("ssj.db")
creds = [r[0] for r in rows]
assert creds == sorted(creds), "grouped by inspector"
for r in rows:
    cred, name, role, rank, uscc, ename, addr, div, items, window, leader, mates = r
    team = db.execute("SELECT credential FROM current_team WHERE rank = ? ORDER BY slot", (int(rank),)).fetchall()
    team = [t[0] for t in team]
    assert cred in team
    assert (role == "组长") == (team[0] == cred), r
    assert leader.split()[0] == team[0], r
    assert [m.split()[0] for m in mates.split("; ")] == [t for t in team if t != cred], r
    e = db.execute("SELECT name, address, division FROM enterprise WHERE uscc = ?", (uscc,)).fetchone()
    want = e[0] if not e[0].startswith("=") else "'" + e[0]
    assert ename == want, (ename, want)
    assert addr == e[1] and div == e[2]
    assert items == "XY-GS-01 企业公示信息抽查"
    assert window == "2026-09-14 至 2026-12-18", window
    n = db.execute("SELECT name FROM inspector WHERE credential = ?", (cred,)).fetchone()[0]
    assert name == n
PY
	grep -q "\"'=cmd|' /c calc'!A1 " sheet.csv
	# no cell starts a formula
	refute python3 -c '
import csv, sys
for r in csv.reader(open("sheet.csv", encoding="utf-8-sig", newline="")):
    for c in r:
        if c[:1] in ("=", "+", "-", "@"):
            sys.exit(0)
sys.exit(1)'
	# to standard output, the same bytes
	ssj show "$BATCH" --csv > out.csv
	cmp out.csv sheet.csv
	run ssj show "$BATCH" --csv a.csv extra
	[ "$status" -eq 2 ]
	run ssj show "$BATCH" --public --csv
	[ "$status" -eq 2 ]
}

@test "times are shown in Beijing time, and say so" {
	example_registries
	run ssj commit "$BATCH"
	[ "$status" -eq 0 ]
	due=$(awk '$1 == "beacon" { print $5 + ($4 - 1) * $6 }' "$BATCH.commitment.txt")
	round=$(awk '$1 == "beacon" { print $4 }' "$BATCH.commitment.txt")
	[[ "$output" == *"beacon round $round is due at $(TZ=Asia/Shanghai date -d "@$due" '+%F %T') +08:00 (Beijing time)"* ]]
	at=$(sqlite3 ssj.db "SELECT imported_at FROM snapshot WHERE id = 1")
	run ssj snapshot
	[[ "${lines[0]}" == *"imported (Beijing time)"* ]]
	[[ "${lines[1]}" == *"  $(TZ=Asia/Shanghai date -d "$at" '+%F %T') +08:00  "* ]]
	run ssj status
	[[ "$output" == *"tasks and batches (today is $(TZ=Asia/Shanghai date +%F), Beijing time)"* ]]
}
