#!/usr/bin/env bats
# ssj import as offices use it: rejected rows keep their enterprise, a
# short file cannot empty the registry, deltas and explicit removals.

load lib

@test "a rejected row keeps its enterprise: counted kept, never removed" {
	ssj init
	ssj import enterprises "$DATA/enterprises.csv" > /dev/null
	sed 's/^\(91360202000000027F,[^,]*\),360202,/\1,36020X,/' \
	    "$DATA/enterprises.csv" > bad.csv
	sed -i 's/景德镇市甲陶瓷有限公司/景德镇市甲瓷业有限公司/' bad.csv
	run ssj import enterprises bad.csv --reject rej.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"as snapshot 2: 6 rows, 0 added, 1 changed, 0 removed, 4 unchanged, 1 kept (rejected)"* ]]
	[[ "$output" == *"the draw pool gained 0 and lost 0"* ]]
	[ "$(sqlite3 ssj.db "SELECT division FROM enterprise WHERE uscc = '91360202000000027F'")" = 360202 ]
	[ "$(sqlite3 ssj.db 'SELECT count(*) FROM enterprise')" = 6 ]
}

@test "a two-row full import is refused, naming the count and the codes" {
	ssj init
	ssj import enterprises "$DATA/enterprises.csv" > /dev/null
	head -3 "$DATA/enterprises.csv" > two.csv
	before=$(db_content)
	run ssj import enterprises two.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"two.csv: would remove 4 of the 6 enterprises in the registry (66.6%), more than the limit of 5%: 360202000012344, 91360203000000035Q, 913602220000000434, 92360281000000051A"* ]]
	[[ "$output" == *"--partial"*"--allow-removals"* ]]
	[[ "$output" == *"the database is unchanged"* ]]
	[ "$(db_content)" = "$before" ]
	# as a delta it adds nothing and removes nothing
	run ssj import enterprises two.csv --partial
	[ "$status" -eq 0 ]
	[ "$(db_content)" = "$before" ]
	run ssj import enterprises two.csv --allow-removals
	[ "$status" -eq 0 ]
	[[ "$output" == *"4 removed"* ]]
	[[ "$output" == *"the draw pool gained 0 and lost 4"* ]]
}

@test "the plan's max_removals sets the limit" {
	cp -R "$ROOT/config/examples" "$ROOT/config/calendars" .
	cd examples
	ssj init > /dev/null
	ssj import enterprises "$DATA/enterprises.csv" > /dev/null
	sed '/乐平市戊个体店/d' "$DATA/enterprises.csv" > five.csv
	before=$(db_content)
	run ssj -f jingdezhen.yaml import enterprises five.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"(16.6%), more than the limit of 5%"* ]]
	[ "$(db_content)" = "$before" ]
	printf 'imports:\n  max_removals: 20%%\n' > p.yaml
	cat jingdezhen.yaml >> p.yaml
	run ssj -f p.yaml import enterprises five.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 removed"* ]]
	printf 'imports: {max_removals: 1}\n' > q.yaml
	cat jingdezhen.yaml >> q.yaml
	run ssj -f q.yaml import enterprises "$DATA/enterprises.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"q.yaml:1:"*"ratio '1' is ambiguous: write '1%' or '100%'"* ]]
}

@test "--partial adds and updates; a 注销 row leaves the pool; --remove removes" {
	ssj init
	ssj import enterprises "$DATA/enterprises.csv" > /dev/null
	{ head -1 "$DATA/enterprises.csv"
	  echo '91360202000000019L,景德镇市甲陶瓷有限公司,360202,C3074,企业,注销,,否,否,CCC'
	  echo '91360202000000078P,新公司,360202,C3074,企业,存续,,否,否,'
	} > delta.csv
	run ssj import enterprises delta.csv --partial
	[ "$status" -eq 0 ]
	[[ "$output" == *"2 rows, 1 added, 1 changed, 0 removed, 0 unchanged (partial"* ]]
	[[ "$output" == *"the draw pool gained 1 and lost 1"* ]]
	[ "$(sqlite3 ssj.db 'SELECT count(*) FROM enterprise')" = 7 ]
	printf '统一社会信用代码\n92360281000000051A\n' > gone.csv
	run ssj import enterprises --remove gone.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 removed"* ]]
	[[ "$output" == *"the draw pool gained 0 and lost 1"* ]]
	[ "$(sqlite3 ssj.db 'SELECT count(*) FROM enterprise')" = 6 ]
	run ssj import enterprises --remove gone.csv --partial
	[ "$status" -eq 2 ]
}

@test "inspectors: a short roster is refused too" {
	ssj init
	ssj import inspectors "$DATA/inspectors.csv" > /dev/null
	head -2 "$DATA/inspectors.csv" > one.csv
	before=$(db_content)
	run ssj import inspectors one.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"would remove 2 of the 3 inspectors"* ]]
	[ "$(db_content)" = "$before" ]
}

@test "devices, FIFOs and huge fields are refused; nothing changes" {
	ssj init
	ssj import enterprises "$DATA/enterprises.csv" > /dev/null
	before=$(db_content)
	run timeout 20 "$SSJ" import enterprises /dev/zero
	[ "$status" -eq 2 ]
	[[ "$output" == *"cannot read '/dev/zero': not a regular file"* ]]
	mkfifo fifo.csv
	run timeout 20 "$SSJ" import enterprises fifo.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"'fifo.csv': not a regular file"* ]]
	{ head -1 "$DATA/enterprises.csv"
	  printf '91360202000000078P,'
	  head -c 10485760 /dev/zero | tr '\0' A
	  printf ',360202,C3074,企业,存续,,否,否,\n'; } > huge.csv
	run ssj import enterprises huge.csv --partial
	[ "$status" -eq 2 ]
	[[ "$output" == *"huge.csv:2: column '企业名称': 10485760 bytes, more than the 4096 a field may hold"* ]]
	[ "$(db_content)" = "$before" ]
}

@test "--reject: never over a device or a link; created 0600 whatever the umask" {
	ssj init
	before=$(db_content)
	run ssj import enterprises "$DATA/bad-enterprises.csv" --reject /dev/full
	[ "$status" -eq 2 ]
	[[ "$output" == *"the reject file '/dev/full' exists and is not a regular file; name a new file"* ]]
	ln -s elsewhere.csv link.csv
	run ssj import enterprises "$DATA/bad-enterprises.csv" --reject link.csv
	[ "$status" -eq 2 ]
	[ ! -e elsewhere.csv ]
	[ "$(db_content)" = "$before" ]
	(umask 000; "$SSJ" import inspectors "$DATA/inspectors.csv" --reject r.csv > /dev/null)
	sed '2s/,[^,]*$/,12/' "$DATA/inspectors.csv" > bad-insp.csv
	(umask 000; "$SSJ" import inspectors bad-insp.csv --reject r2.csv > /dev/null 2>&1)
	[ "$(stat -c %a r2.csv)" = 600 ]
}

@test "formula-leading cells are neutralised in the dump and the reject file" {
	ssj init
	{ head -1 "$DATA/enterprises.csv"
	  echo "91360202000000019L,=cmd|' /c calc'!A12,360202,C3074,企业,存续,@SUM(1),否,否,"
	  echo '91360202000000027F,-2+3,360202,C3074,企业,存续,+x,否,否,'
	  echo '91360203000000035Q,"=HYPERLINK(""http://x"")",36020X,C3074,企业,存续,,否,否,'
	} > f.csv
	run ssj import enterprises f.csv --reject rej.csv
	[ "$status" -eq 0 ]
	ssj snapshot dump enterprises > dump.csv
	grep -qF "\"'=cmd|' /c calc'!A12\"" dump.csv
	grep -qF "\"'@SUM(1)\"" dump.csv
	grep -qF "\"'-2+3\",360202" dump.csv
	refute grep -q ',=\|,@\|,+\|,-' dump.csv
	grep -qF "\"'=HYPERLINK(\"\"http://x\"\")\"" rej.csv
	# the names are stored as given, and the dump imports back unchanged
	[ "$(sqlite3 ssj.db "SELECT name FROM enterprise WHERE uscc = '91360202000000027F'")" = -2+3 ]
	before=$(db_content)
	run ssj import enterprises dump.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"nothing changed"* ]]
	[ "$(db_content)" = "$before" ]
}

@test "GBK without --encoding is read as such; the reject file stays GBK" {
	ssj init
	{ iconv -f gbk -t utf-8 "$DATA/inspectors-gbk.csv"
	  echo '36020019009,王五,ZJ,36020X,CCC,2030-12-31,是,否,,'
	} | iconv -t gbk > roster.csv
	run ssj import inspectors roster.csv --reject rej.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"'roster.csv' is not UTF-8: read as gb18030 (GBK is part of it); --encoding overrides"* ]]
	[[ "$output" == *"roster.csv:5: column '管辖区域': '36020X'"* ]]
	# GBK bytes for 王五, as the input had them
	grep -q "$(printf '\315\365\316\345')" rej.csv
	iconv -f gbk -t utf-8 rej.csv | grep -q '^36020019009,王五,ZJ,36020X,.*,5,'
	# neither UTF-8 nor GB18030: the line, and what to try
	{ iconv -f gbk -t utf-8 "$DATA/inspectors-gbk.csv"
	  printf '36020019009,\xd5\xc5\xff\xff,ZJ,360202,CCC,2030-12-31,是,否,,\n'
	} > mixed.csv
	before=$(db_content)
	run ssj import inspectors mixed.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"mixed.csv:5: column '姓名': invalid byte sequence, neither utf-8 nor gb18030 (if the file is GBK, import it with --encoding gbk)"* ]]
	[ "$(db_content)" = "$before" ]
}

@test "a UTF-8 file with a BOM gets a reject file with a BOM" {
	ssj init
	{ printf '\357\273\277'; cat "$DATA/bad-enterprises.csv"; } > bom.csv
	run ssj import enterprises bom.csv --reject rej.csv
	[ "$status" -eq 0 ]
	[ "$(head -c 3 rej.csv | od -An -tx1 | tr -d ' ')" = efbbbf ]
}

@test "an Excel workbook is refused: save it as CSV (UTF-8)" {
	ssj init
	ssj import enterprises "$DATA/enterprises.csv" > /dev/null
	before=$(db_content)
	printf 'PK\003\004\024\000\006\000rest of a zip' > registry.xlsx
	run ssj import enterprises registry.xlsx
	[ "$status" -eq 2 ]
	[[ "$output" == *"registry.xlsx:1:1: this is a spreadsheet workbook (.xlsx), not CSV: save it as CSV (UTF-8)"* ]]
	printf '\320\317\021\340\241\261\032\341' > old.csv
	run ssj import enterprises old.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"(.xls), not CSV: save it as CSV (UTF-8)"* ]]
	[ "$(db_content)" = "$before" ]
}

@test "dates and yes/no as spreadsheets and clerks write them" {
	ssj init
	{ echo '执法证号,姓名,部门,管辖区域,证件有效期至,在岗,专家'
	  echo '36020019001,张三,ZJ,360202,2027/1/5,是,否'
	  echo '36020019002,李四,ZJ,360202,2027-1-5,Y,N'
	  echo '36020019003,王五,ZJ,360202,2027.1.5,1,0'
	  echo '36020019004,赵六,ZJ,360202,2027年1月5日,true,false'
	  echo '36020019005,钱七,ZJ,360202,20270105,有,无'
	  echo '36020019006,孙八,ZJ,360202,2027-01-05,√,×'
	} > roster.csv
	run ssj import inspectors roster.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *"6 added"* ]]
	[ "$(sqlite3 ssj.db 'SELECT DISTINCT valid_until FROM inspector')" = 2027-01-05 ]
	[ "$(sqlite3 ssj.db 'SELECT DISTINCT active || expert FROM inspector')" = 10 ]
	before=$(db_content)
	{ echo '执法证号,姓名,部门,管辖区域,证件有效期至,在岗'
	  echo '36020019007,周九,ZJ,360202,1/5/2027,是'
	  echo '36020019008,吴十,ZJ,360202,46392,是'
	  echo '36020019009,郑一,ZJ,360202,2027-1-5,也许'
	} > bad.csv
	run ssj import inspectors bad.csv --partial
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.csv:2: column '证件有效期至': '1/5/2027' is not a date that cannot be misread; write it as 2026-01-05, 2026-1-5, 2026/1/5, 2026.1.5, 2026年1月5日 or 20260105"* ]]
	[[ "$output" == *"bad.csv:3: column '证件有效期至': '46392' is a spreadsheet's day number, not a date: format the column as a date (YYYY-MM-DD) before saving"* ]]
	[[ "$output" == *"bad.csv:4: column '在岗': '也许' is neither 是 nor 否 (accepted: 是/否, Y/N, yes/no, 1/0, true/false, 有/无, √/×)"* ]]
	[ "$(db_content)" = "$before" ]
}

@test "jurisdictions: a 2- or 4-digit prefix means the province or the city" {
	ssj init
	{ echo '执法证号,姓名,部门,管辖区域,证件有效期至'
	  echo '36020019001,张三,ZJ,3602,2027-01-05'
	  echo '36020019002,李四,ZJ,36;360203,2027-01-05'
	  echo '36020019003,王五,ZJ,360200;3602,2027-01-05'
	} > roster.csv
	run ssj import inspectors roster.csv
	[ "$status" -eq 0 ]
	[ "$(sqlite3 ssj.db 'SELECT group_concat(jurisdiction, " ") FROM (SELECT jurisdiction FROM inspector ORDER BY credential)')" = "360200 360000;360203 360200" ]
	{ echo '执法证号,姓名,部门,管辖区域,证件有效期至'
	  echo '36020019004,赵六,ZJ,360,2027-01-05'
	} > bad.csv
	run ssj import inspectors bad.csv --partial
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.csv:2: column '管辖区域': '360' is not a division code (GB/T 2260: 6 digits, or a prefix of 2 or 4)"* ]]
}

@test "a code in scientific notation; an unknown column gets 'did you mean'" {
	ssj init
	ssj import enterprises "$DATA/enterprises.csv" > /dev/null
	before=$(db_content)
	{ head -1 "$DATA/enterprises.csv"
	  echo '9.13602E+17,甲公司,360202,C3074,企业,存续,,否,否,'
	} > sci.csv
	run ssj import enterprises sci.csv --partial
	[ "$status" -eq 2 ]
	[[ "$output" == *"sci.csv:2: column '统一社会信用代码': '9.13602E+17' is a number in scientific notation, its digits are lost: format the column as text in the spreadsheet before saving"* ]]
	sed '1s/企业名称/企业名/' "$DATA/enterprises.csv" > typo.csv
	run ssj import enterprises typo.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"typo.csv:1: warning: ignoring unknown column '企业名' (did you mean '企业名称'?)"* ]]
	[[ "$output" == *"typo.csv:1: no column '企业名称' (name)"* ]]
	[[ "$output" == *"the columns of enterprises are 统一社会信用代码 (uscc, or "*"企业名称 (name, or 名称|主体名称|市场主体名称)"* ]]
	sed '1s/行业代码/industyr/' "$DATA/enterprises.csv" > typo2.csv
	run ssj import enterprises typo2.csv
	[[ "$output" == *"'industyr' (did you mean 'industry'?)"* ]]
	[ "$(db_content)" = "$before" ]
}

# import_trace FILE [OPTION]: imports enterprises from FILE, the files ssj
# opens listed in 'opened'.
import_trace() {
	strace -qq -f -o opened -e trace=openat "$SSJ" import enterprises \
	    "$@" > /dev/null
}

@test "a first import writes its pages once (no WAL), then WAL again; not with a reader in" {
	ssj init > /dev/null
	# alone, a first import: a rollback journal, and WAL again after it
	import_trace "$DATA/enterprises.csv"
	grep -q 'ssj\.db-journal' opened
	[ "$(sqlite3 ssj.db 'PRAGMA journal_mode')" = wal ]
	# a later import changes pages: WAL, which lets readers in
	sed '/景德镇市甲陶瓷有限公司/d' "$DATA/enterprises.csv" > less.csv
	import_trace less.csv --allow-removals
	refute grep -q 'ssj\.db-journal' opened
	# a first import while another process reads stays in WAL, and
	# the reader goes on reading the database as it was
	rm ssj.db*
	ssj init > /dev/null
	mkfifo sql
	sqlite3 ssj.db < sql > reader.out 3>&- &
	exec 7> sql
	echo "BEGIN; SELECT count(*) FROM snapshot;" >&7
	echo ".shell touch reading" >&7
	for i in $(seq 50); do [ -e reading ] && break; sleep 0.1; done
	[ -e reading ]
	import_trace "$DATA/enterprises.csv"
	refute grep -q 'ssj\.db-journal' opened
	echo "SELECT count(*) FROM snapshot; COMMIT;" >&7
	exec 7>&-
	wait
	[ "$(cat reader.out)" = "$(printf '0\n0')" ]
	[ "$(sqlite3 ssj.db 'PRAGMA journal_mode; SELECT count(*) FROM snapshot')" = "$(printf 'wal\n1')" ]
	ssj ledger verify > /dev/null
}
