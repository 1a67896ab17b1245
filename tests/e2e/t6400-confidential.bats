#!/usr/bin/env bats
# Nothing confidential leaves: every public file ssj writes for a batch
# (GSXT result files, the three notices, the public bundle) is scanned for
# enterprises' risk classes and strata, inspectors' ID numbers and phones,
# their names where the task keeps them private, conflicts and recusals.

load lib

RECUSAL='检查前发现与企业负责人系近亲属（回避）'

cycle() {
	ssj commit "$1" --witness notary="$(printf n | b2sum -l 256 | cut -d' ' -f1)" > /dev/null
	beacon_record "$1.commitment.txt" > beacon.json
	ssj draw "$1" --reveal notary=n --beacon beacon.json > /dev/null
	set -- "$1" $(sqlite3 -separator ' ' ssj.db "SELECT c.uscc, c.credential
	    FROM current_team c JOIN team t USING (draw, rank) JOIN commitment m
	    ON m.batch = '$1' JOIN draw d ON d.commitment = m.id AND
	    d.id = c.draw WHERE c.slot = 0 ORDER BY t.eligible DESC, c.rank
	    LIMIT 1")
	ssj replace "$1" --target "$2" --inspector "$3" --reason "$RECUSAL" > /dev/null
	ssj results template "$1" t.csv 2> /dev/null
	python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.reader(open('t.csv', encoding='utf-8-sig')))
ix = {k: i for i, k in enumerate(rows[0])}
for r in rows[1:]:
    r[ix['检查方式']] = '实地核查'
    r[ix['检查结果']] = 'B'
    r[ix['检查完成日期']] = '2026-11-02'
    r[ix['签名执法人员']] = ';'.join(m.split(' ')[0] for m in r[ix['检查人员']].split(';'))
    r[ix['发现问题']] = '现场检查人员 ' + r[ix['检查人员']]
csv.writer(open('f.csv', 'w', encoding='utf-8', newline='')).writerows(rows)
PY
	ssj results import "$1" f.csv > /dev/null
	ssj results approve "$1" --all --by 王审核 > /dev/null
	ssj publish "$1" "public-$1" > /dev/null
	ssj publish "$1" "public-$1" > /dev/null
	ssj notice task "$1" "public-$1" > /dev/null
	ssj notice result "$1" "public-$1" > /dev/null
	ssj export "$1" "public-$1/bundle" --public > /dev/null
}

# Everything the public is given, and what must not be in it.
published_all() {
	example_registries
	cycle JDZ-2026-INFO-TC-1	# names are not public
	cycle JDZ-2026-XFCP-1		# names are public (public_names)
	ssj notice plan public-plan > /dev/null
	sqlite3 -separator '	' ssj.db "SELECT credential, name, id_card, phone FROM inspector_rev" > inspectors.tsv
	sqlite3 -separator '	' ssj.db "SELECT c.batch, s.uscc, s.stratum, coalesce(r.class, '') FROM selection s
	    JOIN draw d ON d.id = s.draw JOIN commitment c ON c.id = d.commitment
	    LEFT JOIN risk_latest r USING (uscc)" > selected.tsv
	sqlite3 -separator '	' ssj.db "SELECT credential, uscc FROM conflict_rev" > conflicts.tsv
	sqlite3 -separator '	' ssj.db "SELECT c.batch, t.credential FROM current_team t
	    JOIN draw d ON d.id = t.draw JOIN commitment c ON c.id = d.commitment" > teams.tsv
}

# scan GLOB: every file GLOB matches, checked; the findings on stdout.
scan() {
	python3 - "$RECUSAL" "$1" <<'PY'
import csv, glob, os, re, sys
recusal = sys.argv[1]
rows = lambda f: [l.rstrip('\n').split('\t') for l in open(f, encoding='utf-8')]
inspectors = {r[0]: r for r in rows('inspectors.tsv')}
selected = rows('selected.tsv')
conflicts = rows('conflicts.tsv')
teams = rows('teams.tsv')
classes = ['信用风险低', '信用风险一般', '信用风险较高', '信用风险高']
bad = []
files = [f for f in glob.glob(sys.argv[2], recursive=True) if os.path.isfile(f)]
assert len(files) > 10, files
for f in files:
    raw = open(f, 'rb').read()
    for enc in ('utf-8-sig', 'gbk'):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            pass
    lines = text.splitlines()
    for cred, name, idc, phone in inspectors.values():
        for v in (idc, phone):
            if v and v in text:
                bad.append(f'{f}: personal data {v} of {cred}')
    batch = next((b for b in ('JDZ-2026-INFO-TC-1', 'JDZ-2026-XFCP-1') if b in f), None)
    if batch == 'JDZ-2026-INFO-TC-1':
        for b, cred in teams:
            if b == batch and inspectors[cred][1] in text:
                bad.append(f'{f}: the name of {cred} ({inspectors[cred][1]})')
    if recusal in text:
        bad.append(f'{f}: the recusal\'s reason')
    if 'plan-notice' not in f:
        for c in classes:
            if c in text:
                bad.append(f'{f}: a risk class name {c}')
    for line in lines:
        tokens = set(re.split(r'[\t,;\s"：:{}\[\]]+', line))
        for b, uscc, stratum, cls in selected:
            if uscc in tokens and ((stratum and stratum in tokens) or (cls and cls in tokens)):
                bad.append(f'{f}: {uscc} with its stratum or class: {line[:120]}')
        for cred, uscc in conflicts:
            if cred in tokens and uscc in tokens:
                bad.append(f'{f}: the conflict of {cred} and {uscc}')
    for key in ('风险', '分类', 'stratum', 'risk', 'class', '回避', 'conflict', '身份证', '手机'):
        for line in lines[:3]:
            if key in line and not f.endswith('.minisig') and 'manifest' not in f:
                bad.append(f'{f}: a header or key "{key}": {line[:120]}')
print('\n'.join(bad) if bad else f'{len(files)} public files clean')
sys.exit(1 if bad else 0)
PY
}

@test "no result file or notice carries a risk class, personal data, hidden names, conflicts or recusals" {
	published_all
	run scan 'public-*/*'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" public files clean" ]]
	# and the names are there where the plan makes them public
	grep -q "$(sqlite3 ssj.db "SELECT i.name FROM current_team t JOIN inspector i USING (credential)
	    JOIN draw d ON d.id = t.draw JOIN commitment c ON c.id = d.commitment
	    WHERE c.batch = 'JDZ-2026-XFCP-1' LIMIT 1")" public-JDZ-2026-XFCP-1/bundle/names.txt
}

@test "the public bundles: nothing confidential, no replacement reason" {
	published_all
	run scan 'public-*/bundle/*'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" public files clean" ]]
	# the full bundle keeps the reasons; the public one keeps the
	# replacements without them
	[ "$(cat public-*/bundle/replacements.txt | grep -vc '^DSR-1')" -gt 0 ]
	for f in public-*/bundle/replacements.txt; do
		head -1 "$f" | grep -qx 'DSR-1 public replacements'
		[ -z "$(awk -F'\t' 'NR > 1 && NF != 5' "$f")" ]
	done
}
