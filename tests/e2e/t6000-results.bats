#!/usr/bin/env bats
# Results (一公开): the template of a drawn batch, its import with every
# check (all or nothing, line-numbered, the database unchanged), revisions
# that are never overwritten, review, and the ledger that covers them.

load lib

NOTARY='公证处 2-7-1-8-2-8 salt:19e0'
BATCH=JDZ-2026-INFO-TC-1

hash_of() {
	printf '%s' "$1" | b2sum -l 256 | cut -d' ' -f1
}

drawn_batch() {
	example_registries
	ssj commit "${1:-$BATCH}" --witness notary="$(hash_of "$NOTARY")" \
	    > /dev/null
	beacon_record "${1:-$BATCH}.commitment.txt" > beacon.json
	ssj draw "${1:-$BATCH}" --reveal notary="$NOTARY" \
	    --beacon beacon.json > /dev/null
}

# fill IN OUT ENCODING DATE: fills every row of a template in as a clerk
# would in a spreadsheet (CRLF), the first member of its team signing.
fill() {
	python3 - "$@" <<'EOF'
import csv, sys
src, dst, enc, date = sys.argv[1:5]
rows = list(csv.reader(open(src, encoding='utf-8-sig')))
ix = {k: i for i, k in enumerate(rows[0])}
for r in rows[1:]:
    r[ix['检查方式']] = '书面检查'
    r[ix['检查结果']] = '未发现问题'
    r[ix['检查完成日期']] = date
    r[ix['签名执法人员']] = r[ix['检查人员']].split(' ')[0]
with open(dst, 'w', encoding=enc, newline='') as f:
    csv.writer(f, lineterminator='\r\n').writerows(rows)
EOF
}

# edit FILE LINE COLUMN VALUE: sets one cell (LINE counts the header as 1).
edit() {
	python3 - "$@" <<'EOF'
import csv, sys
path, line, col, value = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = list(csv.reader(open(path, encoding='utf-8-sig')))
rows[line - 1][rows[0].index(col)] = value
with open(path, 'w', encoding='utf-8', newline='') as f:
    csv.writer(f, lineterminator='\r\n').writerows(rows)
EOF
}

@test "the template has one row per target and item with the current team, UTF-8 with a BOM or GBK" {
	drawn_batch JDZ-2026-XFCP-1
	run ssj results template JDZ-2026-XFCP-1 t.csv
	[ "$status" -eq 0 ]
	[ "$(head -c 3 t.csv | od -An -tx1 | tr -d ' ')" = efbbbf ]
	# a joint task: one row per item, signed by the item's department
	[ "$(tail -n +2 t.csv | wc -l)" -eq "$((2 * $(sqlite3 ssj.db 'SELECT count(*) FROM selection')))" ]
	while IFS=, read -r uscc item team; do
		dept=$(sqlite3 ssj.db "SELECT i.department FROM current_team t JOIN inspector i USING (credential) WHERE t.uscc = '$uscc' AND t.credential = '${team%% *}'")
		[ "$dept" = "${item%%-*}" ]
	done < <(tail -n +2 t.csv | cut -d, -f4,7,10)
	ssj results template JDZ-2026-XFCP-1 g.csv --encoding gbk
	[ "$(iconv -f gbk -t utf-8 g.csv)" = "$(tail -c +4 t.csv)" ]
	run ssj results template JDZ-2026-CCC-1
	[ "$status" -eq 2 ]
	[[ "$output" == *"batch 'JDZ-2026-CCC-1' has not been drawn"* ]]
}

@test "a filled-in GBK template imports as one transaction and one ledger entry; again, nothing new" {
	drawn_batch
	ssj results template $BATCH t.csv
	fill t.csv f.csv gbk 2026-09-18
	run ssj results import $BATCH f.csv --encoding gbk
	[ "$status" -eq 0 ]
	[[ "$output" == *"9 rows, 9 new revisions of which 0 corrections"* ]]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM ledger WHERE event = 'results'")" = 1 ]
	[ "$(sqlite3 ssj.db "SELECT DISTINCT state FROM result_state")" = 待审核 ]
	[ "$(sqlite3 ssj.db "SELECT DISTINCT result || ' ' || method FROM result")" = "1 书面检查" ]
	before=$(db_content)
	run ssj results import $BATCH f.csv --encoding gbk
	[ "$status" -eq 0 ]
	[[ "$output" == *"nothing new (9 rows as recorded"* ]]
	[ "$(db_content)" = "$before" ]
	ssj ledger verify > /dev/null
}

@test "bad result files are refused line by line and leave the database byte for byte unchanged" {
	drawn_batch
	ssj results template $BATCH t.csv
	fill t.csv f.csv utf-8 2026-09-18
	other=$(sqlite3 ssj.db "SELECT uscc FROM enterprise WHERE uscc NOT IN
	    (SELECT uscc FROM selection) ORDER BY uscc LIMIT 1")
	edit f.csv 2 统一社会信用代码/注册号 "$other"
	edit f.csv 3 检查结果 很好
	edit f.csv 4 检查完成日期 2026-09-01
	edit f.csv 5 检查完成日期 2099-01-01
	edit f.csv 6 签名执法人员 36020099999
	edit f.csv 7 检查事项编号 ZJ-CCC-01
	edit f.csv 8 检查完成日期 2026-02-30
	edit f.csv 9 检查结果 '未发现问题,B'
	sed -n 10p f.csv >> f.csv
	before=$(db_content)
	run ssj results import $BATCH f.csv
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "f.csv:2: column '统一社会信用代码/注册号': '$other' was not drawn in batch '$BATCH'" ]
	[[ "${lines[1]}" == "f.csv:3: column '检查结果': unknown result '很好'"* ]]
	[ "${lines[2]}" = "f.csv:4: column '检查完成日期': 2026-09-01 is before the batch's window opens (2026-09-14)" ]
	[[ "${lines[3]}" == "f.csv:5: column '检查完成日期': 2099-01-01 is in the future (today is "* ]]
	[[ "${lines[4]}" == "f.csv:6: column '签名执法人员': '36020099999' is not on the team of "* ]]
	[[ "${lines[5]}" == "f.csv:7: column '检查事项编号': 'ZJ-CCC-01' is not an item of task 'JDZ-2026-INFO-TC' (its items: XY-GS-01)" ]]
	[ "${lines[6]}" = "f.csv:8: column '检查完成日期': '2026-02-30' is not a date (YYYY-MM-DD)" ]
	[[ "${lines[7]}" == "f.csv:9: column '检查结果': '未发现问题' (1) cannot be combined with another result" ]]
	[[ "${lines[8]}" == "f.csv:11: column '检查事项编号': duplicate row: item 'XY-GS-01' of "*" is on line 10 already" ]]
	[[ "${lines[9]}" == *"'f.csv' refused"*"the database is unchanged" ]]
	[ "$(db_content)" = "$before" ]
	# with --reject the good rows go in and the bad ones to a file that
	# says why, which imports again once it is corrected
	run ssj results import $BATCH f.csv --reject bad.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 new revisions"* ]]
	[[ "$output" == *"9 bad rows rejected, written to 'bad.csv'"* ]]
	[ "$(tail -n +2 bad.csv | wc -l)" -eq 9 ]
	[ "$(head -1 bad.csv | tr -d '\r' | awk -F, '{print $(NF-1), $NF}')" = "行号 错误原因" ]
	ssj ledger verify > /dev/null
}

@test "a target of another batch is named with its batch" {
	drawn_batch JDZ-2026-XFCP-1
	ssj commit $BATCH --witness notary="$(hash_of x)" > /dev/null
	beacon_record $BATCH.commitment.txt > beacon.json
	ssj draw $BATCH --reveal notary=x --beacon beacon.json > /dev/null
	ssj results template $BATCH t.csv
	fill t.csv f.csv utf-8 2026-09-18
	xf=$(sqlite3 ssj.db "SELECT uscc FROM selection WHERE draw = 1 LIMIT 1")
	edit f.csv 2 统一社会信用代码/注册号 "$xf"
	before=$(db_content)
	run ssj results import $BATCH f.csv
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "f.csv:2: column '统一社会信用代码/注册号': '$xf' was not drawn in batch '$BATCH' but in batch 'JDZ-2026-XFCP-1'" ]
	[ "$(db_content)" = "$before" ]
}

@test "a changed result is a new revision with its reason; review moves each target and is logged" {
	drawn_batch
	ssj results template $BATCH t.csv
	fill t.csv f.csv utf-8 2026-09-18
	ssj results import $BATCH f.csv > /dev/null
	target=$(sed -n 2p f.csv | cut -d, -f4)
	run ssj results approve $BATCH --all --by 王审核
	[ "$status" -eq 0 ]
	[[ "$output" == "approved (已审核) 9 targets of batch '$BATCH' by '王审核'"* ]]
	run ssj results approve $BATCH --all --by 王审核
	[ "$status" -eq 2 ]
	run ssj results return $BATCH "$target" --reason '文书编号缺失' --by 王审核
	[ "$status" -eq 0 ]
	[ "$(sqlite3 ssj.db "SELECT state FROM result_state WHERE uscc = '$target'")" = 退回 ]
	run ssj results approve $BATCH "$target" --by 王审核
	[ "$status" -eq 2 ]
	[[ "$output" == *"'$target' is 退回: import a corrected result first"* ]]
	# a change without a reason is refused; with one it is revision 2
	edit f.csv 2 文书编号 '景市监检〔2026〕12号'
	before=$(db_content)
	run ssj results import $BATCH f.csv
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "f.csv:2: column '更正原因': the result of '$target' item 'XY-GS-01' differs from its revision 1: a correction (更正) needs its reason" ]]
	[ "$(db_content)" = "$before" ]
	edit f.csv 2 更正原因 '补录文书编号'
	run ssj results import $BATCH f.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 new revisions of which 1 corrections (更正), 8 unchanged"* ]]
	[ "$(sqlite3 ssj.db "SELECT state FROM result_state WHERE uscc = '$target'")" = 待审核 ]
	run ssj results show $BATCH "$target"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "$target "*": 待审核" ]]
	[[ "$output" == *"XY-GS-01 revision 1 (import 1, line 2): 未发现问题; 书面检查; completed 2026-09-18"* ]]
	[[ "$output" == *"XY-GS-01 revision 2 (import 2, line 2)"* ]]
	[[ "$output" == *"更正原因: 补录文书编号"* ]]
	[[ "$output" == *"approved (已审核) by 王审核"* ]]
	[[ "$output" == *"returned (退回) by 王审核: 文书编号缺失"* ]]
	ssj results approve $BATCH "$target" --by 李科长 > /dev/null
	[ "$(sqlite3 ssj.db "SELECT DISTINCT state FROM result_state")" = 已审核 ]
	[ "$(sqlite3 ssj.db "SELECT group_concat(event, ' ') FROM (SELECT event FROM ledger WHERE event IN ('results', 'review') ORDER BY idx)")" = "results review review results review" ]
	run ssj results show $BATCH
	[[ "${lines[0]}" == *": 9 targets: 0 未录入 0 待审核 0 退回 9 已审核 0 已公示" ]]
	ssj ledger verify > /dev/null
	# an insider who changes a result with the sqlite3 shell is found
	sqlite3 ssj.db "DROP TRIGGER result_rev_no_update;
	    UPDATE result_rev SET result = 'B' WHERE id = 1"
	run ssj ledger verify
	[ "$status" -eq 1 ]
	[[ "$output" == *"(results 1) does not match the rows it covers: 'result_revs-blake2b-256' differs"* ]]
}
