#!/usr/bin/env bats
# ssj report: a year of batches drawn (the example plan's seven, with a
# replacement, results published late and results overdue) written as a
# static site; every page rendered by headless Chromium (charts, tables,
# Chinese text; screenshots kept under build/report-screenshots), its
# numbers checked against independent SQL, its manifest against stock
# minisign and b2sum, and the public report against the confidentiality
# scan of the publication work.

load lib

SHOTS=$ROOT/build/report-screenshots
RECUSAL='检查前发现与企业负责人系近亲属（回避）'
BATCHES='JDZ-2026-CCC-1 JDZ-2026-CCC-2 JDZ-2026-CERT-1 JDZ-2026-INFO-1
JDZ-2026-INFO-TC-1 JDZ-2026-XFCP-1 JDZ-2026-XFCP-2'

# fill BATCH DATE CODES: the template filled in, result codes in turn.
fill() {
	ssj results template "$1" t.csv 2> /dev/null
	python3 - "$2" "$3" <<'PY'
import csv, sys
rows = list(csv.reader(open('t.csv', encoding='utf-8-sig')))
ix = {k: i for i, k in enumerate(rows[0])}
codes = sys.argv[2].split()
for n, r in enumerate(rows[1:]):
    r[ix['检查方式']] = '实地核查'
    r[ix['检查结果']] = codes[n % len(codes)]
    r[ix['检查完成日期']] = sys.argv[1]
    r[ix['签名执法人员']] = ';'.join(m.split(' ')[0] for m in r[ix['检查人员']].split(';'))
csv.writer(open('f.csv', 'w', encoding='utf-8', newline='')).writerows(rows)
PY
	ssj results import "$1" f.csv > /dev/null
}

# The year, drawn once for the file: every test starts from a copy.
setup_file() {
	local b target
	mkdir -p "$BATS_FILE_TMPDIR/year"
	cd "$BATS_FILE_TMPDIR/year"
	example_registries
	# a public report shows the counts of classes of 20 or more
	printf 'report: {public_min: 20}\n' >> jingdezhen.yaml
	for b in $BATCHES; do
		ssj commit "$b" --witness notary="$(printf n | b2sum -l 256 | cut -d' ' -f1)" > /dev/null
		beacon_record "$b.commitment.txt" > beacon.json
		ssj draw "$b" --reveal notary=n --beacon beacon.json > /dev/null
	done
	set -- $(sqlite3 -separator ' ' ssj.db "SELECT c.uscc, c.credential
	    FROM current_team c JOIN team t USING (draw, rank) JOIN commitment m
	    ON m.batch = 'JDZ-2026-INFO-1' JOIN draw d ON d.commitment = m.id AND
	    d.id = c.draw WHERE c.slot = 0 ORDER BY t.eligible DESC, c.rank
	    LIMIT 1")
	ssj replace JDZ-2026-INFO-1 --target "$1" --inspector "$2" --reason "$RECUSAL" > /dev/null
	# published after the deadline; and overdue, never published
	fill JDZ-2026-INFO-TC-1 2026-10-09 'B 1'
	ssj results approve JDZ-2026-INFO-TC-1 --all --by 王审核 > /dev/null
	ssj publish JDZ-2026-INFO-TC-1 gsxt > /dev/null
	fill JDZ-2026-XFCP-1 2026-06-19 '1'
}

setup() {
	WORK=$(mktemp -d "${BATS_TMPDIR:-/tmp}/ssj-e2e.XXXXXX")
	cp -a "$BATS_FILE_TMPDIR/year/." "$WORK"
	cd "$WORK/examples"
	export SSJ_DB=ssj.db SSJ_PLAN=jingdezhen.yaml
}

# dom FILE: the page as Chromium built it.
dom() {
	chromium --headless --no-sandbox --disable-gpu --dump-dom \
	    "file://$PWD/$1" 2> /dev/null
}

@test "the full report: every page renders with its charts, signed, numbers as the database has them" {
	run ssj report --year 2026 site
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "wrote the full report of 7 batches to 'site': open 'site/index.html';"* ]]
	# the manifest: stock minisign, and b2sum over every file
	minisign -Vqm site/MANIFEST.txt -p keys/ssj.pub
	(cd site && b2sum -l 256 --quiet -c MANIFEST.txt)
	[ "$(wc -l < site/MANIFEST.txt)" -eq "$(($(ls site | wc -l) - 2))" ]
	[ -f site/batch-JDZ-2026-INFO-1.html ] && [ -f site/task-JDZ-2026-XFCP.html ]
	[ "$(ls site/batch-*.html | wc -l)" -eq 7 ] && [ "$(ls site/task-*.html | wc -l)" -eq 5 ]
	# self-contained: no script, nothing fetched from elsewhere
	refute grep -Eq '<script|<img|<iframe|url\(|(src|href)="(https?:|//)' site/*.html site/style.css
	mkdir -p "$SHOTS"
	for f in site/*.html; do
		dom "$f" > "$f.dom"
		# Chromium built a page: Chinese text, a figure per chart
		grep -q '抽查覆盖' "$f.dom"
		grep -q '双随机\|抽查' "$f.dom"
		chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr \
		    --v=0 --dump-dom "file://$PWD/$f" 2> "$f.log" > /dev/null
		refute grep -Ei 'console|uncaught|not allowed to load' "$f.log"
	done
	python3 - <<'PY'
import glob, html.parser, re, xml.etree.ElementTree as ET
for f in glob.glob('site/*.html'):
    text = open(f, encoding='utf-8').read()
    dom = open(f + '.dom', encoding='utf-8').read()
    figs = re.findall(r'<figure class="fig" id="([^"]+)">(.*?)</figure>', dom, re.S)
    ids = [i for i, _ in figs]
    want = ['coverage', 'division', 'industry', 'load']
    for w in want:
        assert any(i.endswith('-' + w) for i in ids), (f, w, ids)
    for i, body in figs:
        assert '<svg' in body and '<table>' in body and '<caption>' in body, (f, i)
        assert re.search(r'<title id="[^"]+">[^<]+</title>', body), (f, i)
    # every chart is well-formed SVG with its title, axis labels and values
    for svg in re.findall(r'<svg .*?</svg>', text, re.S):
        root = ET.fromstring(svg)
        texts = [t.text for t in root.iter('{http://www.w3.org/2000/svg}text')]
        assert len(texts) >= 4, (f, texts)
print('ok')
PY
	grep -q 'id="batch-results"' site/batch-JDZ-2026-INFO-TC-1.html.dom
	grep -q 'id="batch-timely"' site/batch-JDZ-2026-INFO-TC-1.html.dom
	grep -q 'id="all-problems"' site/index.html.dom
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	    --window-size=1200,2400 --screenshot="$SHOTS/index.png" \
	    "file://$PWD/site/index.html" > /dev/null 2>&1
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	    --window-size=1200,2400 --screenshot="$SHOTS/batch.png" \
	    "file://$PWD/site/batch-JDZ-2026-INFO-TC-1.html" > /dev/null 2>&1
	[ -s "$SHOTS/index.png" ] && [ -s "$SHOTS/batch.png" ]
	# printed, the text is all there
	chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	    --print-to-pdf="$PWD/index.pdf" "file://$PWD/site/index.html" > /dev/null 2>&1
	pdftotext index.pdf - | tr -d ' \n' | grep -q '各类别实际抽取比例与计划比例'

	# the numbers, against the database by other means
	for q in \
	    "batches|SELECT c.batch, (SELECT count(*) FROM selection s WHERE s.draw = d.id),
	       (SELECT count(DISTINCT credential) FROM current_team t WHERE t.draw = d.id),
	       (SELECT count(*) FROM replacement r WHERE r.draw = d.id),
	       (SELECT count(*) FROM result r WHERE r.draw = d.id)
	       FROM commitment c JOIN draw d ON d.commitment = c.id" \
	    "drawn|SELECT stratum, count(*) FROM selection GROUP BY stratum" \
	    "strata|SELECT strata FROM draw" \
	    "divisions|SELECT e.division, count(*) FROM selection s JOIN enterprise e USING (uscc) GROUP BY 1" \
	    "depts|SELECT i.department, count(DISTINCT c.credential), count(*) FROM current_team c JOIN inspector i USING (credential) GROUP BY 1" \
	    "loads|SELECT n, count(*) FROM (SELECT credential, count(*) AS n FROM current_team GROUP BY credential) GROUP BY n" \
	    "codes|SELECT result, count(*) FROM result GROUP BY result" \
	    "timely|SELECT r.department, count(p.uscc), count(*) - count(p.uscc) FROM result r LEFT JOIN
	       (SELECT DISTINCT u.draw, p.uscc FROM published p JOIN publication u ON u.id = p.publication) p
	       ON p.draw = r.draw AND p.uscc = r.uscc GROUP BY 1" \
	    "reasons|SELECT reason, count(*) FROM replacement GROUP BY 1"; do
		sqlite3 -separator '	' ssj.db "${q#*|}" > "sql-${q%%|*}.tsv"
	done
	python3 - <<'PY'
import html.parser, re
from fractions import Fraction
class Tables(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.tables = []; self.cell = None; self.cap = None
    def handle_starttag(self, tag, a):
        if tag == 'table': self.tables.append({'caption': '', 'rows': []})
        elif tag == 'tr': self.tables[-1]['rows'].append([])
        elif tag in ('td', 'th'): self.cell = ''
        elif tag == 'caption': self.cap = ''
    def handle_endtag(self, tag):
        if tag in ('td', 'th'): self.tables[-1]['rows'][-1].append(self.cell.strip()); self.cell = None
        elif tag == 'caption': self.tables[-1]['caption'] = self.cap; self.cap = None
    def handle_data(self, d):
        if self.cell is not None: self.cell += d
        if self.cap is not None: self.cap += d
p = Tables(); p.feed(open('site/index.html.dom', encoding='utf-8').read())
def table(cap):
    t = [t for t in p.tables if t['caption'] == cap]
    assert len(t) == 1, (cap, [t['caption'] for t in p.tables])
    return t[0]['rows'][1:]
def tsv(name):
    return [l.rstrip('\n').split('\t') for l in open(f'sql-{name}.tsv', encoding='utf-8')]

batches = [t for t in p.tables if t['caption'] == ''][0]['rows'][1:]
want = {r[0]: r[1:] for r in tsv('batches')}
assert len(batches) == len(want) == 7, batches
for r in batches:
    b = r[0].split(' ')[0]
    assert [r[3], r[4], r[5], r[6]] == want[b], (b, r, want[b])

# coverage: per stratum, the drawn and the pool summed over the year
drawn, pool = {}, {}
for s, n in tsv('drawn'): drawn[s] = int(n)
for (text,) in [l for l in tsv('strata')]:
    pass
strata = open('sql-strata.tsv', encoding='utf-8').read().split()
for i in range(0, len(strata), 3):
    pool[strata[i]] = pool.get(strata[i], 0) + int(strata[i + 1])
got_n, got_N = {}, {}
for r in table('各类别入选概率（精确分数）'):
    s = 'certain' if r[0].startswith('必抽对象') else r[0].split(' ')[0]
    got_n[s] = got_n.get(s, 0) + int(r[2]); got_N[s] = got_N.get(s, 0) + int(r[1])
    n, N = int(r[2]), int(r[1])
    assert r[3] == (f'{Fraction(n, N).numerator}/{Fraction(n, N).denominator}' if N else '0/0'), r
assert {k: v for k, v in got_n.items() if v} == drawn, (got_n, drawn)
assert got_N == pool, (got_N, pool)

assert {r[0].split(' ')[0]: r[1] for r in table('各区县（登记机关）抽取户数')} == dict(tsv('divisions'))
assert {r[0].split(' ')[0]: [r[1], r[2]] for r in table('各部门出动检查人员（联合抽查）')} == {r[0]: r[1:] for r in tsv('depts')}
hist = {r[0]: r[1] for r in table('检查人员工作量分布') if r[1] != '0'}
assert hist == dict(tsv('loads')), (hist, tsv('loads'))
assert {r[0].split(' ')[0]: r[1] for r in table('各检查结果类别条数')} == dict(tsv('codes'))
timely = {r[0].split(' ')[0]: r[1:] for r in table('各部门检查结果公示情况（条）')}
for dept, published, unpublished in tsv('timely'):
    ontime, late, overdue, open_ = map(int, timely[dept])
    assert ontime + late == int(published) and overdue + open_ == int(unpublished), (dept, timely[dept])
# published in December what was done on 9 October: late; June's: overdue
assert timely['XY'][:3] == ['0', tsv('timely')[[r[0] for r in tsv('timely')].index('XY')][1], '0'], timely
assert timely['ZJ'][2] != '0' or timely.get('XF', ['0'] * 4)[2] != '0', timely
assert dict(tsv('reasons')) == {r[0]: r[1] for r in table('调整原因')}
print('numbers ok')
PY
	# the load against the plan's caps (XFCP: per_batch 8, per_year 16)
	grep -q 'workload: {per_batch: 8, per_year: 16}' jingdezhen.yaml
	grep -q '计划规定每批次每人不超过 8 户' site/batch-JDZ-2026-XFCP-1.html
	grep -q '>上限 8</text>' site/batch-JDZ-2026-XFCP-1.html
	grep -q '计划规定全年每人不超过 16 户' site/task-JDZ-2026-XFCP.html
	grep -q '>上限 16</text>' site/task-JDZ-2026-XFCP.html
	refute grep -q '>上限 ' site/index.html
	# the integrity table names each batch's round, and the replay
	grep -q "ssj verify JDZ-2026-CCC-1-bundle" site/index.html
	[ "$(sqlite3 ssj.db "SELECT beacon_round FROM commitment WHERE batch = 'JDZ-2026-XFCP-2'")" -gt 0 ]
	grep -q "<td class=\"n\">$(sqlite3 ssj.db "SELECT beacon_round FROM commitment WHERE batch = 'JDZ-2026-XFCP-2'")</td>" site/batch-JDZ-2026-XFCP-2.html
}

@test "the public report: nothing confidential, small classes suppressed" {
	run ssj report --public --year 2026 public
	[ "$status" -eq 0 ]
	minisign -Vqm public/MANIFEST.txt -p keys/ssj.pub
	sqlite3 -separator '	' ssj.db "SELECT credential, name, id_card, phone FROM inspector_rev" > inspectors.tsv
	sqlite3 ssj.db "SELECT uscc FROM selection UNION SELECT uscc FROM conflict_rev" > uscc.txt
	# a seed gives every ticket, hence the strata (protocol §8.1)
	sqlite3 ssj.db "SELECT seed FROM draw" > seeds.txt
	[ -s seeds.txt ]
	ssj report --year 2026 seeded > /dev/null
	grep -rqi "$(head -1 seeds.txt)" seeded	# the full report shows it
	python3 - "$RECUSAL" <<'PY'
import glob, sys
recusal = sys.argv[1]
seeds = [l.strip().lower() for l in open('seeds.txt') if l.strip()]
inspectors = [l.rstrip('\n').split('\t') for l in open('inspectors.tsv', encoding='utf-8')]
uscc = [l.strip() for l in open('uscc.txt')]
classes = ['信用风险低', '信用风险一般', '信用风险较高', '信用风险高']
bad = []
files = glob.glob('public/*')
assert len(files) > 10, files
for f in files:
    text = open(f, encoding='utf-8').read()
    for cred, name, idc, phone in inspectors:
        for v in (cred, name, idc, phone):
            if v and v in text:
                bad.append(f'{f}: inspector data {v}')
    for u in uscc:
        if u in text:
            bad.append(f'{f}: enterprise {u}')
    for c in classes:
        if c in text:
            bad.append(f'{f}: the class name {c}')
    if recusal in text:
        bad.append(f'{f}: a recusal')
    for seed in seeds:
        if seed in text.lower():
            bad.append(f'{f}: a seed')
    for key in ('风险', '分类', 'stratum', 'risk', 'class', '回避', 'conflict', '身份证', '手机'):
        for line in text.splitlines()[:3]:
            if key in line and not f.endswith('.minisig') and 'MANIFEST' not in f:
                bad.append(f'{f}: "{key}" in the first lines: {line[:80]}')
print('\n'.join(bad) if bad else f'{len(files)} public files clean')
sys.exit(1 if bad else 0)
PY
	# classes with fewer than 20 in the pool or drawn: no count, no fraction
	python3 - <<'PY'
import re
t = open('public/index.html', encoding='utf-8').read()
rows = re.findall(r'<tr><td>([A-Z]类[^<]*)</td><td class="n">([^<]*)</td><td class="n">([^<]*)</td><td class="n">([^<]*)</td>', t)
assert rows, 'no class rows'
sup = [r for r in rows if r[1] == '&lt;20']
shown = [r for r in rows if r[1] != '&lt;20']
assert sup and shown, rows
for r in sup:
    assert r[2] == '&lt;20' and r[3] == '—', r
for r in shown:
    assert int(r[1]) >= 20 and (int(r[2]) >= 20 or int(r[2]) == 0), r
print('suppressed', len(sup), 'shown', len(shown))
PY
	# the full report has the reasons; the public one only their number
	ssj report --year 2026 full > /dev/null
	grep -q "$RECUSAL" full/index.html
	refute grep -q "$RECUSAL" public/index.html
	grep -q '公开版' public/index.html
}

@test "a report goes into a new or empty directory; bad options and empty periods change nothing" {
	before=$(db_content)
	mkdir full && touch full/x
	run ssj report --year 2026 full
	[ "$status" -eq 2 ]
	[ "$output" = "ssj: 'full' is not empty: a report goes into a new or empty directory (nothing was written)" ]
	[ "$(ls full)" = x ]
	run ssj report --year 2025 r
	[ "$status" -eq 2 ]
	[ "$output" = "ssj: no batch of the plan year 2025 was drawn: nothing to report (nothing was written)" ]
	run ssj report --from 2025-01-01 --to 2025-12-31 r
	[ "$status" -eq 2 ]
	[ "$output" = "ssj: no batch was drawn from 2025-01-01 to 2025-12-31: nothing to report (nothing was written)" ]
	[ ! -e r ]
	run ssj report --year 26 r
	[ "$status" -eq 2 ]
	[[ "$output" == "ssj: --year '26' is not a year"* ]]
	run ssj report --from 2026-12-31 --to 2026-01-01 r
	[ "$status" -eq 2 ]
	[[ "$output" == "ssj: --from 2026-12-31 is after --to 2026-01-01"* ]]
	run ssj report --from 2026-01-01 r
	[ "$status" -eq 2 ]
	[[ "$output" == "usage: ssj report "* ]]
	run ssj report --year 2026 --from 2026-01-01 --to 2026-12-31 r
	[ "$status" -eq 2 ]
	[ "$(db_content)" = "$before" ]
	[ -z "$(ls -a | grep ssj-report)" ]
	# an empty directory is fine, and a period in days
	mkdir empty
	run ssj report --from 2020-01-01 --to 2099-12-31 empty
	[ "$status" -eq 0 ]
	[[ "$output" == "wrote the full report of 7 batches to 'empty'"* ]]
	grep -q '2020-01-01至2099-12-31' empty/index.html
	# no period: every batch drawn
	run ssj report all
	[ "$status" -eq 0 ]
	[[ "$output" == "wrote the full report of 7 batches to 'all'"* ]]
	grep -q '<h1>景德镇市市场监督管理局“双随机、一公开”抽查工作报告</h1>' all/index.html
	[ "$(db_content)" = "$before" ]
}

@test "status --json and show --json: the same figures for machines, as the database has them" {
	run ssj status --json
	[ "$status" -eq 0 ]
	echo "$output" > status.json
	ssj show JDZ-2026-INFO-1 --json > show.json
	ssj show JDZ-2026-INFO-1 --json --public > public.json
	sqlite3 -separator '	' ssj.db "SELECT count(*), (SELECT count(*) FROM ledger),
	    (SELECT count(*) FROM inspector), (SELECT count(*) FROM snapshot) FROM enterprise" > totals.tsv
	sqlite3 -separator '	' ssj.db "SELECT coalesce(class, ''), count(*) FROM enterprise_class GROUP BY 1" > classes.tsv
	sqlite3 -separator '	' ssj.db "SELECT c.batch, s.state, count(*) FROM result_state s
	    JOIN draw d ON d.id = s.draw JOIN commitment c ON c.id = d.commitment GROUP BY 1, 2" > states.tsv
	sqlite3 -separator '	' ssj.db "SELECT t.rank, t.slot, t.credential, i.name FROM current_team t
	    JOIN inspector i USING (credential) JOIN draw d ON d.id = t.draw JOIN commitment c
	    ON c.id = d.commitment WHERE c.batch = 'JDZ-2026-INFO-1' ORDER BY 1, 2" > team.tsv
	sqlite3 ssj.db "SELECT reason FROM replacement" > reason.txt
	python3 - <<'PY'
import json
st = json.load(open('status.json'))
total, ledger, inspectors, snapshots = map(int, open('totals.tsv').read().split('\t'))
assert st['enterprises']['total'] == total and st['ledger']['entries'] == ledger
assert st['ledger']['verifies'] is True
assert st['inspectors']['total'] == inspectors and st['database']['snapshots'] == snapshots
assert st['enterprises']['by_class'] == {k: int(v) for k, v in (l.rstrip('\n').split('\t') for l in open('classes.tsv'))}
assert [b['state'] for b in st['batches']] == ['drawn'] * 7
states = {}
for l in open('states.tsv'):
    b, s, n = l.rstrip('\n').split('\t'); states.setdefault(b, {})[s] = int(n)
assert {b['batch']: b['results'] for b in st['batches']} == states, states
assert st['results']['overdue'] > 0       # June's results, never published
sh = json.load(open('show.json'))
team = [l.rstrip('\n').split('\t') for l in open('team.tsv', encoding='utf-8')]
got = [[str(t['rank']), str(m['slot']), m['credential'], m['name']] for t in sh['targets'] for m in t['team']]
assert got == team, (got[:3], team[:3])
assert sh['selected'] == len(sh['targets'])
assert sum(l['targets'] for l in sh['loads']) == len(team)
assert [r['reason'] for r in sh['replacements']] == [open('reason.txt', encoding='utf-8').read().strip()]
assert sum(m['replaced'] for t in sh['targets'] for m in t['team']) == 1
pub = json.load(open('public.json'))
assert pub['public'] is True
assert all('name' not in m for t in pub['targets'] for m in t['team'])
assert all('reason' not in r for r in pub['replacements'])
print('json ok')
PY
	run ssj show JDZ-2026-INFO-1 --json --csv
	[ "$status" -eq 2 ]
	run ssj status --json --due
	[ "$status" -eq 2 ]
}

# Kills the report at the N-th call of a system call, for every N until
# it completes: the target is then absent or the whole signed report, and
# nothing else is left but the killed report's hidden directory (0700),
# which the next report to the same target removes.
@test "a kill at any write, fsync, rename, mkdir or unlink leaves the whole report or none" {
	command -v strace > /dev/null || skip "strace is not installed"
	local sc n rc left
	for sc in write fsync rename mkdir unlink; do
		n=1
		while :; do
			rm -rf out
			mkdir out
			rc=0
			# LeakSanitizer cannot run under ptrace (make asan)
			ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
			    strace -f -o /dev/null -e trace="$sc" \
			    -e inject="$sc":signal=KILL:when=$n \
			    "$SSJ" report --public --year 2026 out/r > /dev/null 2>&1 || rc=$?
			if [ -e out/r ]; then
				minisign -Vqm out/r/MANIFEST.txt -p keys/ssj.pub ||
				    { echo "$sc $n: a bad manifest"; return 1; }
				(cd out/r && b2sum -l 256 --quiet -c MANIFEST.txt) ||
				    { echo "$sc $n: a partial report"; return 1; }
			fi
			left=$(ls -A out | grep -v '^r$' || true)
			if [ -n "$left" ]; then
				[ "$rc" -ne 0 ] || { echo "$sc $n: $left"; return 1; }
				case $left in
				.r.ssj-report.*) ;;
				*) echo "$sc $n: left $left"; return 1 ;;
				esac
				[ "$(stat -c %a "out/$left")" = 700 ]
				[ ! -e out/r ]
				ssj report --public --year 2026 out/r > /dev/null
				[ "$(ls -A out)" = r ] ||
				    { echo "$sc $n: not removed"; return 1; }
			fi
			[ "$rc" -ne 0 ] || break
			n=$((n + 1))
			[ "$n" -le 1000 ] || { echo "$sc: never completes ($rc)"; return 1; }
		done
		[ -e out/r ]
		echo "$sc: $((n - 1)) kill points" >&3
	done
}
