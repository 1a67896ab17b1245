#!/usr/bin/env bats
# ssj sign and ssj verify-signature: minisign's prehashed format checked by
# stock minisign both ways, the trusted comment's fields, every failure.

load lib
bats_require_minimum_version 1.5.0

setup_file() {
	export KEYS=$BATS_FILE_TMPDIR
	"$SSJ" keygen -p "$KEYS/ssj.pub" -s "$KEYS/ssj.key" > /dev/null
	"$SSJ" keygen -p "$KEYS/other.pub" -s "$KEYS/other.key" > /dev/null
}

# Every test gets the same key pair as ./ssj.pub and ./ssj.key.
keys() {
	cp "$KEYS/ssj.pub" "$KEYS/ssj.key" .
}

key_id() {
	sed -n 's/^untrusted comment: minisign public key //p' "${1:-ssj.pub}"
}

# Sets byte OFFSET of FILE to CHAR (a different one than it had).
poke() {
	printf '%s' "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2> /dev/null
}

byte_at() {
	dd if="$1" bs=1 skip="$2" count=1 2> /dev/null
}

# Offset of the first byte of line N of FILE.
line_offset() {
	head -n $(($2 - 1)) "$1" | wc -c
}

@test "sign writes FILE.minisig that stock minisign verifies" {
	keys
	printf 'hello\n' > a.txt
	run --separate-stderr ssj sign a.txt
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "signed 'a.txt' into 'a.txt.minisig' with key $(key_id)" ]
	[ "$(wc -l < a.txt.minisig)" -eq 4 ]
	[ "$(sed -n 1p a.txt.minisig)" = "untrusted comment: ssj signature of a.txt, key $(key_id)" ]
	digest=$(b2sum -l 256 a.txt | cut -d' ' -f1)
	[ "$(sed -n 3p a.txt.minisig)" = "trusted comment: ssj-sig/1 kind=file file=a.txt blake2b-256=$digest" ]
	# Prehashed: the signature line starts with "ED" || keynum.
	[ "$(sed -n 2p a.txt.minisig | base64 -d | head -c 2)" = ED ]
	run minisign -Vm a.txt -p ssj.pub
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "Trusted comment: ssj-sig/1 kind=file file=a.txt blake2b-256=$digest" ]
	# The -P line keygen prints works too.
	minisign -Vm a.txt -P "$(sed -n 2p ssj.pub)" > /dev/null
	minisign -H -Vm a.txt -p ssj.pub > /dev/null
	run ssj verify-signature a.txt
	[ "$status" -eq 0 ]
	[ "$output" = "signature OK: kind=file key $(key_id)" ]
}

@test "--kind and --id are signed; odd bytes are escaped, one line" {
	keys
	printf 'x' > 'notice 名单.csv'
	ssj sign 'notice 名单.csv' --kind notice --id 'B 2026=1%' > /dev/null
	run sed -n 3p 'notice 名单.csv.minisig'
	[[ "$output" == "trusted comment: ssj-sig/1 kind=notice id=B%202026%3D1%25 file=notice%20%E5%90%8D%E5%8D%95.csv blake2b-256="* ]]
	[[ "$(sed -n 1p 'notice 名单.csv.minisig')" == "untrusted comment: ssj signature of notice%20%E5%90%8D%E5%8D%95.csv, key "* ]]
	minisign -Vm 'notice 名单.csv' -p ssj.pub > /dev/null
	run ssj verify-signature 'notice 名单.csv'
	[ "$status" -eq 0 ]
	[ "$output" = "signature OK: kind=notice id=B%202026%3D1%25 key $(key_id)" ]
	printf 'y' > nl.txt
	ssj sign nl.txt --id "$(printf 'a\nb\tc')" > /dev/null
	[ "$(wc -l < nl.txt.minisig)" -eq 4 ]
	grep -q ' id=a%0Ab%09c ' nl.txt.minisig
	minisign -Vm nl.txt -p ssj.pub > /dev/null
	ssj verify-signature nl.txt > /dev/null
}

@test "the same key and file give the same signature, byte for byte" {
	keys
	seq 1 1000 > a.csv
	ssj sign a.csv --kind frame --id B1 > /dev/null
	cp a.csv.minisig first
	ssj sign a.csv --kind frame --id B1 > /dev/null
	cmp first a.csv.minisig
	# Rewritten through a temporary name: nothing else is left behind.
	[ "$(ls | sort | tr '\n' ' ')" = "a.csv a.csv.minisig first ssj.key ssj.pub " ]
}

@test "a signature of another file never passes for this one" {
	keys
	echo 'the real notice' > a.txt
	echo 'a forged notice' > b.txt
	ssj sign a.txt > /dev/null
	cp a.txt.minisig b.minisig
	run --separate-stderr ssj verify-signature b.txt -x b.minisig
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "ssj: file name mismatch: 'b.minisig' is the signature of 'a.txt', not of 'b.txt'" ]
	# Even when the bytes are the same: the name is signed.
	cp a.txt b.txt
	run --separate-stderr ssj verify-signature b.txt -x b.minisig
	[ "$status" -eq 1 ]
	[ "$stderr" = "ssj: file name mismatch: 'b.minisig' is the signature of 'a.txt', not of 'b.txt'" ]
	# Stock minisign checks no names: that is why ssj reads the comment.
	minisign -Vm b.txt -x b.minisig -p ssj.pub > /dev/null
	ssj verify-signature a.txt -x b.minisig > /dev/null
}

@test "any changed byte of the file fails, with ssj and stock minisign" {
	keys
	printf '0123456789abcdef\n' > a.txt
	ssj sign a.txt > /dev/null
	cp a.txt orig
	for i in $(seq 0 16); do
		cp orig a.txt
		if [ "$(byte_at a.txt "$i")" = Z ]; then c=Y; else c=Z; fi
		poke a.txt "$i" "$c"
		run --separate-stderr ssj verify-signature a.txt
		[ "$status" -eq 1 ]
		[ "$stderr" = "ssj: file signature mismatch: 'a.txt' is not the file that 'a.txt.minisig' signs" ]
		run minisign -Vm a.txt -p ssj.pub
		[ "$status" -eq 1 ]
	done
	cp orig a.txt
	echo more >> a.txt
	run ssj verify-signature a.txt
	[ "$status" -eq 1 ]
	cp orig a.txt
	ssj verify-signature a.txt > /dev/null
}

@test "any changed byte of the trusted comment fails, with both" {
	keys
	echo data > a.txt
	ssj sign a.txt --kind manifest --id B1 > /dev/null
	cp a.txt.minisig orig
	start=$(($(line_offset orig 3) + 17))	# after "trusted comment: "
	end=$(($(line_offset orig 4) - 1))
	for i in $(seq "$start" $((end - 1))); do
		cp orig a.txt.minisig
		if [ "$(byte_at orig "$i")" = A ]; then c=B; else c=A; fi
		poke a.txt.minisig "$i" "$c"
		run --separate-stderr ssj verify-signature a.txt
		[ "$status" -eq 1 ]
		[ "$stderr" = "ssj: comment signature mismatch: the trusted comment of 'a.txt.minisig' is not the one signed" ]
		run minisign -Vm a.txt -p ssj.pub
		[ "$status" -eq 1 ]
		[[ "$output" == *"Comment signature verification failed"* ]]
	done
}

@test "a changed signature or global signature fails, with both" {
	keys
	echo data > a.txt
	ssj sign a.txt > /dev/null
	cp a.txt.minisig orig
	# A character of the file signature (past "ED" || keynum).
	at=$(($(line_offset orig 2) + 20))
	if [ "$(byte_at orig "$at")" = A ]; then c=B; else c=A; fi
	poke a.txt.minisig "$at" "$c"
	run --separate-stderr ssj verify-signature a.txt
	[ "$status" -eq 1 ]
	[ "$stderr" = "ssj: file signature mismatch: 'a.txt' is not the file that 'a.txt.minisig' signs" ]
	run minisign -Vm a.txt -p ssj.pub
	[ "$status" -eq 1 ]
	# A character of the global signature.
	cp orig a.txt.minisig
	at=$(($(line_offset orig 4) + 10))
	if [ "$(byte_at orig "$at")" = A ]; then c=B; else c=A; fi
	poke a.txt.minisig "$at" "$c"
	run --separate-stderr ssj verify-signature a.txt
	[ "$status" -eq 1 ]
	[ "$stderr" = "ssj: comment signature mismatch: the trusted comment of 'a.txt.minisig' is not the one signed" ]
	run minisign -Vm a.txt -p ssj.pub
	[ "$status" -eq 1 ]
	# The untrusted comment is just that.
	sed '1s/.*/untrusted comment: anything at all/' orig > a.txt.minisig
	ssj verify-signature a.txt > /dev/null
	minisign -Vm a.txt -p ssj.pub > /dev/null
}

@test "the wrong key fails on its key id, with both" {
	keys
	echo data > a.txt
	ssj sign a.txt > /dev/null
	run --separate-stderr ssj verify-signature a.txt -p "$KEYS/other.pub"
	[ "$status" -eq 1 ]
	[ "$stderr" = "ssj: key id mismatch: 'a.txt.minisig' was made by key $(key_id), the public key is $(key_id "$KEYS/other.pub")" ]
	run minisign -Vm a.txt -p "$KEYS/other.pub"
	[ "$status" -eq 1 ]
	# Another key under this key's id: the signatures fail.
	pub=$( (printf 'Ed'; sed -n 2p ssj.pub | base64 -d | head -c 10 | tail -c 8;
	    sed -n 2p "$KEYS/other.pub" | base64 -d | tail -c 32) | base64 -w0)
	printf 'untrusted comment: impostor\n%s\n' "$pub" > impostor.pub
	run ssj verify-signature a.txt -p impostor.pub
	[ "$status" -eq 1 ]
	run minisign -Vm a.txt -p impostor.pub
	[ "$status" -eq 1 ]
}

@test "stock minisign's signatures: ssj fields pass, others fail" {
	keys
	echo data > a.txt
	digest=$(b2sum -l 256 a.txt | cut -d' ' -f1)
	minisign -S -s ssj.key -m a.txt -t "ssj-sig/1 kind=file id=x file=a.txt blake2b-256=$digest ledger=12" > /dev/null
	run ssj verify-signature a.txt
	[ "$status" -eq 0 ]
	[ "$output" = "signature OK: kind=file id=x ledger=12 key $(key_id)" ]
	# minisign's own trusted comment names no ssj fields.
	minisign -S -s ssj.key -m a.txt > /dev/null
	run --separate-stderr ssj verify-signature a.txt
	[ "$status" -eq 1 ]
	[ "$stderr" = "ssj: not an ssj signature: the trusted comment of 'a.txt.minisig' has no ssj-sig/1 fields" ]
	# Authentic fields with the wrong digest.
	minisign -S -s ssj.key -m a.txt -t "ssj-sig/1 kind=file file=a.txt blake2b-256=$(printf '%064d' 0)" > /dev/null
	run --separate-stderr ssj verify-signature a.txt
	[ "$status" -eq 1 ]
	[[ "$stderr" == "ssj: digest mismatch: 'a.txt.minisig' names BLAKE2b-256 0000"* ]]
	# Legacy signatures (of the file itself) are refused, as minisign -H does.
	minisign -S -l -s ssj.key -m a.txt -t "ssj-sig/1 kind=file file=a.txt blake2b-256=$digest" > /dev/null
	run --separate-stderr ssj verify-signature a.txt
	[ "$status" -eq 1 ]
	[[ "$stderr" == "ssj: legacy signature: 'a.txt.minisig' signs the file itself"* ]]
	run minisign -H -Vm a.txt -p ssj.pub
	[ "$status" -eq 1 ]
}

@test "missing, truncated and malformed files are exit 2" {
	keys
	echo data > a.txt
	run --separate-stderr ssj verify-signature a.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: cannot open signature 'a.txt.minisig': No such file or directory" ]
	ssj sign a.txt > /dev/null
	cp a.txt.minisig orig
	run --separate-stderr ssj verify-signature nonesuch.txt -x orig
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: cannot open 'nonesuch.txt': No such file or directory" ]
	for n in 0 10 60 120 200 250; do
		head -c "$n" orig > a.txt.minisig
		run ssj verify-signature a.txt
		[ "$status" -eq 2 ]
	done
	head -n 3 orig > a.txt.minisig
	run --separate-stderr ssj verify-signature a.txt
	[ "$stderr" = "ssj: a.txt.minisig: truncated after line 3" ]
	sed '2s/^RU/RU!/' orig > a.txt.minisig
	run --separate-stderr ssj verify-signature a.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: a.txt.minisig:2: not a signature: bad base64" ]
	sed '4s/^/A/' orig > a.txt.minisig
	run --separate-stderr ssj verify-signature a.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: a.txt.minisig:4: not a comment signature: bad base64 or not 64 bytes" ]
	sed '3s/^trusted/Trusted/' orig > a.txt.minisig
	run --separate-stderr ssj verify-signature a.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: a.txt.minisig:3: no trusted comment: the line must start with 'trusted comment:'" ]
	(cat orig; echo extra) > a.txt.minisig
	run --separate-stderr ssj verify-signature a.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: a.txt.minisig:5: unexpected text after the signature" ]
	# CRLF line ends, as after a trip through Windows, are fine.
	sed 's/$/\r/' orig > a.txt.minisig
	ssj verify-signature a.txt > /dev/null
	run ssj verify-signature a.txt -p nonesuch.pub
	[ "$status" -eq 2 ]
}

@test "sign and verify-signature take the plan's keys, or -s and -p" {
	mkdir -p plan/keys
	cp "$KEYS/ssj.pub" plan/keys/bureau.pub
	cp "$KEYS/ssj.key" plan/keys/bureau.key
	cp "$DATA/plan-keys.yaml" plan/ssj.yaml
	echo data > a.txt
	SSJ_PLAN=plan/ssj.yaml run ssj sign a.txt
	[ "$status" -eq 0 ]
	SSJ_PLAN=plan/ssj.yaml ssj verify-signature a.txt > /dev/null
	ssj -f plan/ssj.yaml verify-signature a.txt > /dev/null
	run ssj verify-signature a.txt -p "$KEYS/other.pub"
	[ "$status" -eq 1 ]
	ssj sign a.txt -s "$KEYS/other.key" > /dev/null
	ssj verify-signature a.txt -p "$KEYS/other.pub" > /dev/null
	# Without a plan: ./ssj.key and ./ssj.pub.
	run --separate-stderr ssj sign a.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: cannot open secret key 'ssj.key': No such file or directory; run 'ssj keygen' (see ssj(1))" ]
}

@test "sign refuses bad usage and unreadable files, and signs nothing" {
	keys
	run ssj sign
	[ "$status" -eq 2 ]
	[ "$output" = "usage: ssj sign file [--kind kind] [--id id] [-s secfile]" ]
	run ssj sign a b
	[ "$status" -eq 2 ]
	run ssj verify-signature
	[ "$status" -eq 2 ]
	[ "$output" = "usage: ssj verify-signature file [-p pubfile] [-x sigfile]" ]
	run --separate-stderr ssj sign nonesuch.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: cannot read 'nonesuch.txt': No such file or directory" ]
	echo data > a.txt
	run ssj sign a.txt --kind ''
	[ "$status" -eq 2 ]
	run ssj sign a.txt --id ''
	[ "$status" -eq 2 ]
	run --separate-stderr ssj sign a.txt --id "$(printf '%0300d' 0)"
	[ "$status" -eq 1 ]
	[ "$stderr" = "ssj: id longer than 255 bytes for a signature's trusted comment" ]
	[ ! -e a.txt.minisig ]
	chmod 644 ssj.key
	run ssj sign a.txt
	[ "$status" -eq 2 ]
	[ ! -e a.txt.minisig ]
}
