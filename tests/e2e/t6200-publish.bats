#!/usr/bin/env bats
# ssj publish: GSXT result files of the approved results, CSV (UTF-8 with
# a BOM, or GBK) and JSON, each signed (stock minisign accepts them),
# listed in a signed manifest, in the ledger; again, nothing new; a change
# after publication is a correction file naming the record it replaces.

load lib

BATCH=JDZ-2026-INFO-TC-1

# A drawn batch whose every result is imported (completed 2026-09-18).
imported_batch() {
	example_registries
	ssj commit $BATCH --witness notary="$(printf n | b2sum -l 256 | cut -d' ' -f1)" > /dev/null
	beacon_record $BATCH.commitment.txt > beacon.json
	ssj draw $BATCH --reveal notary=n --beacon beacon.json > /dev/null
	ssj results template $BATCH t.csv
	python3 - <<'PY'
import csv
rows = list(csv.reader(open('t.csv', encoding='utf-8-sig')))
ix = {k: i for i, k in enumerate(rows[0])}
for n, r in enumerate(rows[1:]):
    r[ix['检查方式']] = '书面检查;网络监测'
    r[ix['检查结果']] = '未发现问题' if n % 3 else 'B,E'
    r[ix['检查完成日期']] = '2026-09-18'
    r[ix['签名执法人员']] = ';'.join(m.split(' ')[0] for m in r[ix['检查人员']].split(';'))
csv.writer(open('f.csv', 'w', encoding='utf-8', newline='')).writerows(rows)
PY
	ssj results import $BATCH f.csv > /dev/null
}

@test "publish writes signed GSXT files of the approved results only, once" {
	imported_batch
	run ssj publish $BATCH out
	[ "$status" -eq 0 ]
	[[ "$output" == "nothing new to publish in batch '$BATCH': 0 targets published (已公示) already, 9 awaiting review"* ]]
	[ ! -e out ] || [ -z "$(ls out)" ]
	first=$(sed -n 2p f.csv | cut -d, -f4)
	ssj results approve $BATCH "$first" --by 王审核 > /dev/null
	run ssj publish $BATCH out
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "published 1 result of batch '$BATCH' (publication 1, ledger entry "* ]]
	[ "$(sqlite3 ssj.db "SELECT state FROM result_state WHERE uscc = '$first'")" = 已公示 ]
	ssj results approve $BATCH --all --by 王审核 > /dev/null
	run ssj publish $BATCH out --encoding gbk
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "published 8 results of batch '$BATCH' (publication 2,"* ]]
	[ "$(sqlite3 ssj.db "SELECT DISTINCT state FROM result_state")" = 已公示 ]
	for f in out/*.csv out/*.json out/*manifest.txt; do
		minisign -Vqm "$f" -p keys/ssj.pub
	done
	# the manifest lists every file with its digest
	for m in out/*-manifest.txt; do
		grep '^blake2b-256 ' "$m" | while read -r _ hex name; do
			[ "$(b2sum -l 256 "out/$name" | cut -d' ' -f1)" = "$hex" ]
		done
	done
	# the GSXT fields: plan and task numbers in the national form
	csv1=out/$BATCH-1-gsxt.csv
	[ "$(head -c 3 $csv1 | od -An -tx1 | tr -d ' ')" = efbbbf ]
	[ "$(tail -c +4 $csv1 | sed -n 1p | tr -d '\r')" = "记录编号,抽查计划编号,抽查计划名称,抽查任务编号,抽查任务名称,抽查类型,检查机关,市场主体名称,统一社会信用代码/注册号,检查完成日期,检查事项,检查结果" ]
	IFS=, read -r id plan _ task _ type auth name uscc date item result < <(sed -n 2p $csv1 | tr -d '\r')
	[ "$id" = "$BATCH/$first/1" ]
	[ "$plan" = 36020020261001 ]
	[ "$task" = 360200202609091001 ]
	[ "$type" = 定向 ]
	[ "$auth" = 景德镇市市场监督管理局 ]
	[ "$uscc" = "$first" ]
	[ "$date" = 2026-09-18 ]
	[ "$item" = 企业公示信息抽查 ]
	[ "$result" = "未按规定公示应当公示的信息；发现问题经责令已改正" ]
	python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
assert len(v) == 1 and v[0]["raninsPlanId"] == "36020020261001"
assert v[0]["raninsPlaneName"].startswith("景德镇市市场监督管理局2026年度")
assert v[0]["details"][0]["raninsCheckResName"] == "未按规定公示应当公示的信息；发现问题经责令已改正"
v = json.load(open(sys.argv[2]))
assert len(v) == 8' out/$BATCH-1-gsxt.json out/$BATCH-2-gsxt.json
	iconv -f gbk -t utf-8 out/$BATCH-2-gsxt.csv | grep -q 企业公示信息抽查
	# again: nothing new, nothing written
	before=$(db_content)
	files=$(ls out)
	run ssj publish $BATCH out
	[ "$status" -eq 0 ]
	[[ "$output" == "nothing new to publish in batch '$BATCH': 9 targets published (已公示) already"* ]]
	[ "$(db_content)" = "$before" ]
	[ "$(ls out)" = "$files" ]
	[ "$(sqlite3 ssj.db "SELECT count(*) FROM ledger WHERE event = 'publication'")" = 2 ]
	ssj ledger verify > /dev/null
	cp ssj.db orig.db
	# changing a published result with the sqlite3 shell is found
	sqlite3 ssj.db "DROP TRIGGER published_no_update;
	    UPDATE published SET upto = upto + 1 WHERE publication = 1"
	run ssj ledger verify
	[ "$status" -eq 1 ]
	[[ "$output" == *"(publication 1) does not match the rows it covers"* ]]
	# and so is a published result itself, rewritten in place
	cp orig.db ssj.db
	sqlite3 ssj.db "$(sqlite3 ssj.db "SELECT 'DROP TRIGGER ' || name || ';'
	    FROM sqlite_schema WHERE type = 'trigger'")
	    UPDATE result_rev SET result = '1' WHERE uscc = '$first'"
	[ "$(db_content)" != "$before" ]
	run ssj ledger verify
	[ "$status" -eq 1 ]
	[[ "$output" == *"(results 1) does not match the rows it covers: 'result_revs-blake2b-256' differs"* ]]
}

@test "a correction after publication is a correction file naming the record it replaces" {
	imported_batch
	ssj results approve $BATCH --all --by 王审核 > /dev/null
	ssj publish $BATCH out > /dev/null
	target=$(sed -n 3p f.csv | cut -d, -f4)
	python3 - <<'PY'
import csv
rows = list(csv.reader(open('f.csv', encoding='utf-8-sig')))
ix = {k: i for i, k in enumerate(rows[0])}
rows[2][ix['检查结果']] = '6'
rows[2][ix['更正原因']] = '复核发现企业已不在登记住所经营'
csv.writer(open('f.csv', 'w', encoding='utf-8', newline='')).writerows(rows)
PY
	run ssj results import $BATCH f.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 new revisions of which 1 corrections"* ]]
	[ "$(sqlite3 ssj.db "SELECT state FROM result_state WHERE uscc = '$target'")" = 待审核 ]
	ssj results approve $BATCH "$target" --by 李科长 > /dev/null
	run ssj publish $BATCH out
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "published 0 results of batch '$BATCH' (publication 2, ledger entry "*") and 1 correction (更正) to 'out':" ]]
	[ -e out/$BATCH-2-gsxt-correction.csv ]
	[ ! -e out/$BATCH-2-gsxt.csv ]
	row=$(sed -n 2p out/$BATCH-2-gsxt-correction.csv | tr -d '\r')
	[[ "$row" == "$BATCH/$target/2,"*",通过登记的住所（经营场所）无法联系,$BATCH/$target/1,复核发现企业已不在登记住所经营" ]]
	minisign -Vqm out/$BATCH-2-gsxt-correction.json -p keys/ssj.pub
	run ssj results show $BATCH "$target"
	[[ "$output" == *"published (results) in '$BATCH-1-manifest.txt'"* ]]
	[[ "$output" == *"published (correction) in '$BATCH-2-manifest.txt'"* ]]
	ssj ledger verify > /dev/null
}
