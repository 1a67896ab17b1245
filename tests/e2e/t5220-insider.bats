#!/usr/bin/env bats
# Issue 13 §5: a bundle altered in a way docs/protocol.md forbids, and
# re-signed whole with the bureau's own key (as an insider could), is
# refused by ssj verify with a message naming the rule -- and by the
# independent verifier written from the specification alone.

load lib

VEC=$ROOT/tests/vectors/bundles
INDEP=$ROOT/tests/independent/dsr1_verify.py

# Every digest of DIR's manifest made true again, every file re-signed
# with keys/sec by stock minisign, with the trusted comment ssj writes
# (its ledger entry kept): what an insider holding the key could do.
resign() {
	local dir=$1 batch ledger rel kind hex
	batch=$(awk '$1 == "batch" { print $2 }' "$dir/manifest.txt")
	ledger=$(sed -n 's/.* ledger=\([0-9]*\)$/\1/p' \
	    "$dir/manifest.txt.minisig")
	cp keys/pub "$dir/ssj.pub"
	for rel in $(awk '$1 == "file" && $4 != "withheld" { print $2 }' \
	    "$dir/manifest.txt") manifest.txt; do
		hex=$(b2sum -l 256 "$dir/$rel" | cut -d' ' -f1)
		sed -i "s|^file $rel [0-9a-f]*\$|file $rel $hex|" \
		    "$dir/manifest.txt"
		case $rel in
		ssj.pub) continue ;;
		frame/*) kind=frame ;;
		beacon.json) kind=beacon ;;
		*) kind=${rel%.txt} ;;
		esac
		hex=$(b2sum -l 256 "$dir/$rel" | cut -d' ' -f1)
		rm -f "$dir/$rel.minisig"
		minisign -S -s keys/sec -m "$dir/$rel" \
		    -c "ssj signature of ${rel#frame/}, key $KEYID" \
		    -t "ssj-sig/1 kind=$kind id=$batch file=${rel#frame/} blake2b-256=$hex ledger=$ledger" \
		    > /dev/null
	done
}

# altered VECTOR FILE FROM TO: a copy of the vector with the first FROM
# of FILE (bytes) changed to TO, re-signed, in ./b.
altered() {
	rm -rf b
	cp -R "$VEC/$1" b
	python3 - "b/$2" "$3" "$4" <<'PY'
import os, sys
p, a, b = sys.argv[1], os.fsencode(sys.argv[2]), os.fsencode(sys.argv[3])
s = open(p, "rb").read()
assert a in s, (p, a)
open(p, "wb").write(s.replace(a, b, 1))
PY
	resign b
}

# refused WHY: both verifiers refuse ./b, ssj naming WHY.
refused() {
	run "$SSJ" verify b -p keys/pub
	[ "$status" -ne 0 ] || { echo "ssj accepted it"; return 1; }
	[[ "$output" == *"$1"* ]] || { echo "ssj: $output"; return 1; }
	run python3 "$INDEP" --key keys/pub b
	[ "$status" -ne 0 ] || { echo "dsr1_verify accepted it"; return 1; }
}

setup_keys() {
	mkdir keys
	minisign -G -W -p keys/pub -s keys/sec > /dev/null
	KEYID=$(sed -n '1s/.*minisign public key //p' keys/pub)
	# minisign prints the key id without its leading zeros; ssj writes
	# all 16 digits
	while [ ${#KEYID} -lt 16 ]; do KEYID=0$KEYID; done
}

@test "re-signed unaltered vectors still verify, with both verifiers" {
	setup_keys
	for v in VEC-GEN-1 VEC-GEN-1-public VEC-JOINT-1-public; do
		rm -rf b
		cp -R "$VEC/$v" b
		resign b
		"$SSJ" verify b -p keys/pub > /dev/null
		python3 "$INDEP" --key keys/pub b > /dev/null
	done
}

@test "text ssj never writes is refused by both" {
	setup_keys
	altered VEC-GEN-1 replacements.txt '\\' '\x0a'
	refused "the reason is not escaped"
	altered VEC-GEN-1 replacements.txt '\\' '\t'
	refused "the reason is not escaped"
	altered VEC-GEN-1 replacements.txt '\\' $'\x01'
	refused "the reason is not escaped"
	altered VEC-GEN-1-public replacements.txt $'\n1\t' $'\n01\t'
	refused "not replacement 1"
	altered VEC-GEN-1 teams.txt $'\n1\t' $'\n01\t'
	refused "teams.txt:2: not the team of"
	altered VEC-GEN-1 manifest.txt $'\nstratum B 1 1 1/1\n' $'\nstratum B 01 1 1/1\n'
	refused "'stratum' must be"
}

@test "replacements, teams and the drawn list are checked in a public bundle" {
	setup_keys
	line=$(sed -n 2p "$VEC/VEC-GEN-1-public/replacements.txt")
	tgt=$(echo "$line" | cut -f2)
	old=$(echo "$line" | cut -f4)
	new=$(echo "$line" | cut -f5)
	reason=$(sed -n 2p "$VEC/VEC-GEN-1/replacements.txt" | cut -f6)
	altered VEC-GEN-1 replacements.txt $'\t'"$reason" $'\t'
	refused "the reason is empty"
	# a public bundle carries no reason (§8.1)
	altered VEC-GEN-1-public replacements.txt $'\t'"$new"$'\n' \
	    $'\t'"$new"$'\t'"$reason"$'\n'
	refused "replacements.txt:2: not 5 TAB-separated fields"
	altered VEC-GEN-1-public replacements.txt $'\n1\t' $'\n2\t'
	refused "not replacement 1 (numbers run 1, 2"
	altered VEC-GEN-1-public replacements.txt $'\t'"$old"$'\t'"$new" \
	    $'\t'"$new"$'\t'"$old"
	refused "does not hold slot"
	mate=$(grep "^$tgt"$'\t' "$VEC/VEC-GEN-1-public/teams.txt" | cut -f3 |
	    tr ';' '\n' | grep -vx "$old" | head -1)
	altered VEC-GEN-1-public replacements.txt $'\t'"$old"$'\t'"$new" \
	    $'\t'"$old"$'\t'"$mate"
	refused "already on the team"
	team=$(sed -n 2p "$VEC/VEC-GEN-1-public/teams.txt" | cut -f3)
	altered VEC-GEN-1-public teams.txt "$team" "${team%%;*};${team%%;*}"
	refused "a member named twice"
	elig=$(sed -n 2p "$VEC/VEC-GEN-1-public/teams.txt" | cut -f2)
	altered VEC-GEN-1-public teams.txt $'\t'"$elig"$'\t' $'\t0\t'
	refused "an eligible count of 0"
	a=$(sed -n 2p "$VEC/VEC-GEN-1-public/selection.txt")
	c=$(sed -n 3p "$VEC/VEC-GEN-1-public/selection.txt")
	altered VEC-GEN-1-public selection.txt $'\n'"$a"$'\n'"$c"$'\n' \
	    $'\n'"$c"$'\n'"$a"$'\n'
	refused "is not after"
}

@test "names.txt names exactly the credentials of the teams, in order" {
	setup_keys
	n=$VEC/VEC-JOINT-1-public/names.txt
	l2=$(sed -n 2p "$n")
	l3=$(sed -n 3p "$n")
	altered VEC-JOINT-1-public names.txt $'\n'"$l2"$'\n' $'\n'
	refused "names.txt:2: '${l3%%$'\t'*}' is out of place or on no team"
	altered VEC-JOINT-1-public names.txt $'\n'"$l2"$'\n' \
	    $'\n'"$l2"$'\n'"${l2%%$'\t'*}X"$'\t测试\n'
	refused "names.txt:3: '${l2%%$'\t'*}X' is out of place or on no team"
	altered VEC-JOINT-1-public names.txt $'\n'"$l2"$'\n'"$l3"$'\n' \
	    $'\n'"$l3"$'\n'"$l2"$'\n'
	refused "names.txt:2:"
	altered VEC-JOINT-1 names.txt $'\n'"$l2"$'\n' \
	    $'\n'"${l2%%$'\t'*}"$'\t\x1b[31m\n'
	refused "has an empty name or a control byte in it"
	# a name as the roster gave it, '=' first, is not a control byte
	altered VEC-JOINT-1-public names.txt $'\n'"$l2"$'\n' \
	    $'\n'"${l2%%$'\t'*}"$'\t=1+1\n'
	"$SSJ" verify b -p keys/pub > /dev/null
	python3 "$INDEP" --key keys/pub b > /dev/null
}
