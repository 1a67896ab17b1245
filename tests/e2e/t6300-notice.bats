#!/usr/bin/env bats
# Public notices: the plan notice, the task notice (only where the plan
# makes the drawn list public) and the numbered result notice, each CSV,
# JSON and HTML, each signed; every HTML page printed by headless Chromium
# with its Chinese text there (a screenshot of each is kept under build/).

load lib

BATCH=JDZ-2026-INFO-TC-1
SHOTS=$ROOT/build/notice-screenshots

drawn_batch() {
	example_registries
	ssj commit $BATCH --witness notary="$(printf n | b2sum -l 256 | cut -d' ' -f1)" > /dev/null
	beacon_record $BATCH.commitment.txt > beacon.json
	ssj draw $BATCH --reveal notary=n --beacon beacon.json > /dev/null
}

published_batch() {
	drawn_batch
	ssj results template $BATCH t.csv 2> /dev/null
	python3 - <<'PY'
import csv
rows = list(csv.reader(open('t.csv', encoding='utf-8-sig')))
ix = {k: i for i, k in enumerate(rows[0])}
for n, r in enumerate(rows[1:]):
    r[ix['检查方式']] = '实地核查'
    r[ix['检查结果']] = '1' if n % 2 else 'B'
    r[ix['检查完成日期']] = '2026-10-09'
    r[ix['签名执法人员']] = r[ix['检查人员']].split(' ')[0]
csv.writer(open('f.csv', 'w', encoding='utf-8', newline='')).writerows(rows)
PY
	ssj results import $BATCH f.csv > /dev/null
	ssj results approve $BATCH --all --by 王审核 > /dev/null
	ssj publish $BATCH gsxt > /dev/null
}

# render HTML NAME: prints the page to PDF and PNG in headless Chromium;
# the PDF's text on stdout, the PNG kept as build/notice-screenshots/NAME.
render() {
	mkdir -p "$SHOTS"
	chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	    --print-to-pdf="$PWD/$2.pdf" "file://$PWD/$1" > /dev/null 2>&1
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	    --window-size=1400,1000 --screenshot="$SHOTS/$2.png" \
	    "file://$PWD/$1" > /dev/null 2>&1
	[ -s "$SHOTS/$2.png" ]
	# the text of each cell, wrapped or not, as one string
	pdftotext "$2.pdf" - | tr -d ' \n'
}

@test "the plan notice lists items, tasks and ratios, signed, and renders in Chromium" {
	example_registries
	run ssj notice plan notices
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "景德镇市市场监督管理局2026年度\"双随机、一公开\"抽查工作计划抽查计划公告 (notice 1, ledger entry "* ]]
	for f in notices/plan-notice-2026-001.{csv,json,html}; do
		minisign -Vqm "$f" -p keys/ssj.pub
	done
	grep -q '强制性产品认证（CCC）获证产品生产企业监督检查' notices/plan-notice-2026-001.csv
	python3 -c 'import json,sys; n=json.load(open(sys.argv[1])); assert n["kind"]=="plan" and len(n["tables"])==3 and len(n["tables"][1]["rows"])==7' notices/plan-notice-2026-001.json
	# the same plan again: nothing new
	run ssj notice plan notices
	[ "$status" -eq 0 ]
	[[ "$output" == "nothing new: the plan notice of '3602002026001' with these rows is no. 1 already"* ]]
	text=$(render notices/plan-notice-2026-001.html plan)
	[[ "$text" == *"抽查计划公告"* ]]
	[[ "$text" == *"随机抽查事项清单"* ]]
	[[ "$text" == *"企业公示信息抽查"* ]]
	[[ "$text" == *"信用风险高"* ]]
	# no external resources: nothing is fetched or linked
	refute grep -Eq '<(link|script|img)|url\(|https?:' notices/plan-notice-2026-001.html
}

@test "a task notice only where the plan makes the list public; the result notice is numbered per authority and year" {
	published_batch
	run ssj notice task JDZ-2026-XFCP-1 notices
	[ "$status" -eq 2 ]
	run ssj notice task JDZ-2026-CCC-1 notices
	[ "$status" -eq 2 ]
	run ssj notice task $BATCH notices
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "景德镇市市场监督管理局2026年陶瓷行业市场主体公示信息定向抽查（第一批）抽查任务公告 (notice 1,"* ]]
	[ "$(grep -c '^[0-9]*,' notices/task-notice-2026-001.csv)" -eq "$(sqlite3 ssj.db 'SELECT count(*) FROM selection')" ]
	# names are not public for this task
	refute grep -q 检查人员 notices/task-notice-2026-001.csv
	run ssj notice result $BATCH notices
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "景德镇市市场监督管理局2026年度第001号抽查任务检查结果公告 (notice 1,"* ]]
	for f in notices/*.{csv,json,html}; do
		minisign -Vqm "$f" -p keys/ssj.pub
	done
	[ "$(sed -n 3p notices/result-notice-2026-001.csv | tr -d '\r')" = "序号,抽查计划编号,抽查计划名称,抽查任务编号,抽查任务名称,抽查类型,检查机关,抽查市场主体名称,统一社会信用代码/注册号,检查完成日期,检查结果,备注" ]
	# a correction published later makes result notice no. 002
	python3 - <<'PY'
import csv
rows = list(csv.reader(open('f.csv', encoding='utf-8-sig')))
ix = {k: i for i, k in enumerate(rows[0])}
rows[1][ix['检查结果']] = 'E'
rows[1][ix['更正原因']] = '企业已按要求补报'
csv.writer(open('f.csv', 'w', encoding='utf-8', newline='')).writerows(rows)
PY
	ssj results import $BATCH f.csv > /dev/null
	ssj results approve $BATCH --all --by 王审核 > /dev/null
	ssj publish $BATCH gsxt > /dev/null
	run ssj notice result $BATCH notices
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "景德镇市市场监督管理局2026年度第002号抽查任务检查结果公告 (notice 2,"* ]]
	grep -q '更正：企业已按要求补报' notices/result-notice-2026-002.csv
	run ssj notice result $BATCH notices
	[[ "$output" == "nothing new: the result notice of '$BATCH' with these rows is no. 2 already"* ]]
	[ "$(sqlite3 ssj.db "SELECT group_concat(number) FROM notice WHERE kind = 'result'")" = 1,2 ]
	ssj ledger verify > /dev/null
	text=$(render notices/task-notice-2026-001.html task)
	[[ "$text" == *"抽查任务公告"* ]]
	[[ "$text" == *"$(sqlite3 ssj.db 'SELECT uscc FROM selection LIMIT 1')"* ]]
	text=$(render notices/result-notice-2026-002.html result)
	[[ "$text" == *"第002号抽查任务检查结果公告"* ]]
	[[ "$text" == *"未按规定"* ]]
	[[ "$text" == *"$(sqlite3 ssj.db "SELECT uscc FROM selection ORDER BY rank LIMIT 1")"* ]]
	# the whole of every cell is in the page Chromium built
	chromium --headless --no-sandbox --disable-gpu --dump-dom \
	    "file://$PWD/notices/result-notice-2026-002.html" 2> /dev/null |
	    grep -q "<td>未按规定公示应当公示的信息</td>"
	[[ "$text" == *"36020020261001"* ]]
}

@test "a result notice needs published results; nothing is numbered or written without them" {
	drawn_batch
	before=$(db_content)
	run ssj notice result $BATCH notices
	[ "$status" -eq 2 ]
	[ "$output" = "ssj: no result of batch '$BATCH' is published (已公示) yet; run 'ssj publish $BATCH DIR' first" ]
	[ "$(db_content)" = "$before" ]
	[ ! -e notices ] || [ -z "$(ls notices)" ]
	run ssj notice result JDZ-2026-XFCP-1 notices
	[ "$status" -eq 2 ]
	[[ "$output" == *"batch 'JDZ-2026-XFCP-1' has not been drawn"* ]]
}
