#!/usr/bin/env bats
# The 20-working-day publication deadline against an independent count
# written from the State Council's notices (reference calendar-cn.md), for
# every completion date of 2025 and 2026; and `ssj status --due`.

load lib

# Every day of 2025 and 2026 and its deadline, counted from the tables of
# the notices themselves: Monday-Friday, less the days off, plus the
# make-up working days; a year without a notice is Monday-Friday.
independent_count() {
	python3 - <<'PY'
import datetime as dt
D = dt.date
def span(a, b):
    return {a + dt.timedelta(n) for n in range((b - a).days + 1)}
off = set()
for a, b in [
    # 2025, 国办发明电〔2024〕12号
    (D(2025,1,1), D(2025,1,1)), (D(2025,1,28), D(2025,2,4)),
    (D(2025,4,4), D(2025,4,6)), (D(2025,5,1), D(2025,5,5)),
    (D(2025,5,31), D(2025,6,2)), (D(2025,10,1), D(2025,10,8)),
    # 2026, 国务院办公厅 2025-11-04
    (D(2026,1,1), D(2026,1,3)), (D(2026,2,15), D(2026,2,23)),
    (D(2026,4,4), D(2026,4,6)), (D(2026,5,1), D(2026,5,5)),
    (D(2026,6,19), D(2026,6,21)), (D(2026,9,25), D(2026,9,27)),
    (D(2026,10,1), D(2026,10,7))]:
    off |= span(a, b)
makeup = {D(2025,1,26), D(2025,2,8), D(2025,4,27), D(2025,9,28),
    D(2025,10,11), D(2026,1,4), D(2026,2,14), D(2026,2,28), D(2026,5,9),
    D(2026,9,20), D(2026,10,10)}
def working(d):
    return d in makeup or (d.weekday() < 5 and d not in off)
d = D(2025, 1, 1)
while d.year < 2027:
    n, e = 0, d
    while n < 20:
        e += dt.timedelta(1)
        n += working(e)
    print(d.isoformat(), e.isoformat())
    d += dt.timedelta(1)
PY
}

@test "the deadline matches an independent count on every day of 2025 and 2026" {
	cp -R "$ROOT/config/examples" "$ROOT/config/calendars" .
	cd examples
	independent_count > want
	[ "$(wc -l < want)" -eq 730 ]
	# the worked example of calendar-cn.md
	grep -qx '2026-09-18 2026-10-22' want
	run ssj -f jingdezhen.yaml results deadline $(cut -d' ' -f1 want)
	[ "$status" -eq 0 ]
	diff <(printf '%s\n' "${lines[@]}" | cut -d' ' -f1,2) want
	# across Spring Festival and National Day
	[[ "$output" == *"2025-01-24 2025-02-27"* ]]
	[[ "$output" == *"2026-09-30 2026-11-03"* ]]
	# a deadline in a year with no notice yet says so
	[[ "$output" == *"2026-12-31 2027-01-28 (no official calendar: Monday to Friday counted)"* ]]
}

@test "status --due lists overdue and soon-due results per department and exits 1 while any is overdue" {
	example_registries
	NOTARY=n
	ssj commit JDZ-2026-INFO-TC-1 --witness notary="$(printf n | b2sum -l 256 | cut -d' ' -f1)" > /dev/null
	beacon_record JDZ-2026-INFO-TC-1.commitment.txt > beacon.json
	ssj draw JDZ-2026-INFO-TC-1 --reveal notary=n --beacon beacon.json > /dev/null
	run ssj status --due
	[ "$status" -eq 0 ]
	[[ "$output" == *": 0 overdue, 0 due within 5 working days"* ]]
	ssj results template JDZ-2026-INFO-TC-1 t.csv
	today=$(TZ=Asia/Shanghai date +%F)
	# two results: one long overdue (2026-09-18, due 2026-10-22), one
	# completed today (due in 20 working days: not listed)
	python3 - "$today" <<'PY'
import csv, sys
rows = list(csv.reader(open('t.csv', encoding='utf-8-sig')))
ix = {k: i for i, k in enumerate(rows[0])}
for r, date in zip(rows[1:3], ['2026-09-18', sys.argv[1]]):
    r[ix['检查方式']] = '实地核查'
    r[ix['检查结果']] = '1'
    r[ix['检查完成日期']] = date
    r[ix['签名执法人员']] = r[ix['检查人员']].split(' ')[0]
csv.writer(open('f.csv', 'w', encoding='utf-8', newline='')).writerows(rows)
PY
	ssj results import JDZ-2026-INFO-TC-1 f.csv > /dev/null
	late=$(sed -n 2p f.csv | cut -d, -f4)
	run ssj status --due
	[ "$status" -eq 1 ]
	[[ "$output" == *": 1 overdue, 0 due within 5 working days"* ]]
	[[ "$output" == *"  XY 信用监督管理科:"* ]]
	[[ "$output" == *"    overdue JDZ-2026-INFO-TC-1 $late: completed 2026-09-18, due 2026-10-22, 待审核"* ]]
	run ssj status
	[ "$status" -eq 0 ]
	[[ "$output" == *"! 1 results are past their publication deadline"* ]]
}
