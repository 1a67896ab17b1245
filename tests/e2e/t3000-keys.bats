#!/usr/bin/env bats
# ssj keygen and the key files: minisign's formats in both directions,
# the secret key's permissions, passphrases, and every broken key file.

load lib
bats_require_minimum_version 1.5.0

# A small valid plan in plan/, whose keys live in plan/keys/.
plan_with_keys() {
	mkdir -p plan
	cp "$DATA/plan-keys.yaml" plan/ssj.yaml
}

# The decoded payload of a key file's second line, as hex.
payload() {
	sed -n 2p "$1" | tr -d '\r' | base64 -d | od -An -v -tx1 | tr -d ' \n'
}

mode() {
	stat -c %a "$1"
}

# Flips the low bit of byte OFFSET of a key file's decoded payload.
flip_payload_bit() {
	sed -n 2p "$1" | base64 -d > payload.bin
	b=$(od -An -tu1 -j "$2" -N1 payload.bin | tr -d ' ')
	printf "\\$(printf %o $((b ^ 1)))" |
	    dd of=payload.bin bs=1 seek="$2" conv=notrunc 2> /dev/null
	{ sed -n 1p "$1"; base64 -w0 payload.bin; echo; } > "$1.new"
	mv "$1.new" "$1"
	rm payload.bin
}

# Runs a command on a new pseudo-terminal and types each ANSWER after
# each prompt (text ending in ": "); prints what the terminal showed.
#   on_tty ANSWER... -- COMMAND...
on_tty() {
	python3 - "$@" <<'EOF'
import os, pty, sys
args = sys.argv[1:]
answers, cmd = args[:args.index('--')], args[args.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
out = b''
def more():
    global out
    try:
        b = os.read(fd, 4096)
    except OSError:
        return False
    out += b
    return len(b) > 0
for a in answers:
    seen = len(out)
    while not out[seen:].endswith(b': '):
        if not more():
            break
    os.write(fd, a.encode() + b'\n')
while more():
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace'))
sys.exit(os.waitstatus_to_exitcode(status))
EOF
}

@test "keygen writes ./ssj.pub and ./ssj.key without a plan" {
	run --separate-stderr ssj keygen
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	id=$(sed -n 's/^untrusted comment: minisign public key \([0-9A-F]\{16\}\)$/\1/p' ssj.pub)
	[ -n "$id" ]
	pub=$(sed -n 2p ssj.pub)
	[[ "$pub" =~ ^RW[A-Za-z0-9+/]{54}$ ]]
	[ "${lines[0]}" = "created key $id" ]
	[ "${lines[1]}" = "  secret key 'ssj.key' (not encrypted; keep it secret)" ]
	[ "${lines[2]}" = "  public key 'ssj.pub' (publish it)" ]
	[ "${lines[4]}" = "  minisign -Vm FILE -P $pub" ]
	[ "$(mode ssj.key)" = 600 ]
	[ "$(wc -l < ssj.pub)" -eq 2 ]
	[ "$(wc -l < ssj.key)" -eq 2 ]
}

@test "the unencrypted secret key has minisign -G -W's layout" {
	ssj keygen -p ours.pub -s ours.key > /dev/null
	minisign -G -W -p stock.pub -s stock.key > /dev/null
	ours=$(payload ours.key)
	stock=$(payload stock.key)
	[ "${#ours}" -eq 316 ]
	[ "${#stock}" -eq 316 ]
	# "Ed", kdf 0 0, "B2", a zero salt and zero limits: 54 bytes alike.
	[ "${ours:0:108}" = "${stock:0:108}" ]
	[ "${ours:0:12}" = 456400004232 ]
	# The checksum minisign -W leaves zero is ssj's BLAKE2b-256.
	[ "${stock:252}" = "$(printf '%064d' 0)" ]
	[ "${ours:252}" != "$(printf '%064d' 0)" ]
	[ "$(payload ours.pub | cut -c1-4)" = 4564 ]
}

@test "stock minisign signs with ssj's key, ssj with minisign's" {
	ssj keygen > /dev/null
	echo data > f.txt
	minisign -S -s ssj.key -m f.txt < /dev/null > /dev/null
	run minisign -Vm f.txt -p ssj.pub
	[ "$status" -eq 0 ]
	minisign -S -W -s ssj.key -m f.txt -x w.minisig > /dev/null
	minisign -Vm f.txt -p ssj.pub -x w.minisig > /dev/null

	minisign -G -W -p stock.pub -s stock.key > /dev/null
	ssj sign f.txt -s stock.key > /dev/null
	minisign -Vm f.txt -p stock.pub > /dev/null
	ssj verify-signature f.txt -p stock.pub
}

@test "keygen never overwrites a key unless -f" {
	ssj keygen > /dev/null
	cp ssj.key key.before
	cp ssj.pub pub.before
	run --separate-stderr ssj keygen
	[ "$status" -eq 1 ]
	[ "$stderr" = "ssj: 'ssj.key' already exists; not overwriting it (-f does)" ]
	cmp ssj.key key.before
	rm ssj.pub
	run ssj keygen
	[ "$status" -eq 1 ]
	[ ! -e ssj.pub ]
	cmp ssj.key key.before
	# Before any passphrase is asked for.
	run --separate-stderr setsid -w "$SSJ" keygen --passphrase < /dev/null
	[ "$status" -eq 1 ]
	[ "$stderr" = "ssj: 'ssj.key' already exists; not overwriting it (-f does)" ]
	run ssj keygen -f
	[ "$status" -eq 0 ]
	refute cmp -s ssj.key key.before
	[ "$(mode ssj.key)" = 600 ]
	[ "$(mode ssj.pub)" = 644 ] || [ "$(mode ssj.pub)" = "$(printf '%o' $((0666 & ~$(umask))))" ]
}

@test "keygen takes its paths from the plan, or from -p and -s" {
	plan_with_keys
	run ssj -f plan/ssj.yaml keygen
	[ "$status" -eq 0 ]
	[[ "$output" == *"secret key 'plan/keys/bureau.key'"* ]]
	[ -f plan/keys/bureau.pub ]
	[ "$(mode plan/keys/bureau.key)" = 600 ]
	[ "$(mode plan/keys)" = 700 ]
	ssj keygen -p elsewhere.pub -s elsewhere.key > /dev/null
	[ -f elsewhere.pub ]
	[ -f elsewhere.key ]
	[ ! -e ssj.key ]
	# The plan is found as ssj.yaml, or through $SSJ_PLAN.
	cd plan
	run ssj keygen
	[ "$status" -eq 1 ]
	[[ "$output" == *"'keys/bureau.key' already exists"* ]]
}

@test "keygen refuses a broken or missing named plan, and bad usage" {
	echo 'version: [' > ssj.yaml
	run ssj keygen
	[ "$status" -eq 2 ]
	[ ! -e ssj.key ]
	rm ssj.yaml
	run ssj -f nonesuch.yaml keygen
	[ "$status" -eq 2 ]
	[[ "$output" == *"no plan at 'nonesuch.yaml'"* ]]
	[ ! -e ssj.key ]
	run ssj keygen extra
	[ "$status" -eq 2 ]
	[ "$output" = "usage: ssj keygen [-p pubfile] [-s secfile] [-f] [--passphrase]" ]
	run ssj keygen -x
	[ "$status" -eq 2 ]
	run ssj keygen -p same -s same
	[ "$status" -eq 1 ]
	[ ! -e same ]
}

@test "an encrypted key is minisign's: stock minisign signs with it" {
	SSJ_PASSPHRASE='correct horse' run ssj keygen --passphrase
	[ "$status" -eq 0 ]
	[[ "$output" == *"(encrypted; keep it secret)"* ]]
	p=$(payload ssj.key)
	[ "${p:0:12}" = 456453634232 ]                  # "Ed" "Sc" "B2"
	[ "${p:76:32}" = 00000002000000000000004000000000 ]  # 2^25, 2^30
	echo data > f.txt
	printf 'correct horse\n' | minisign -S -s ssj.key -m f.txt > /dev/null
	minisign -Vm f.txt -p ssj.pub > /dev/null
	run minisign -S -s ssj.key -m f.txt -x bad.minisig <<< 'wrong'
	[ "$status" -ne 0 ]
	[ ! -e bad.minisig ]
}

@test "ssj uses stock minisign's encrypted key; a wrong passphrase fails" {
	printf 'pw\npw\n' | minisign -G -p stock.pub -s stock.key > /dev/null
	echo data > f.txt
	SSJ_PASSPHRASE=pw run ssj sign f.txt -s stock.key
	[ "$status" -eq 0 ]
	minisign -Vm f.txt -p stock.pub > /dev/null
	ssj verify-signature f.txt -p stock.pub
	rm f.txt.minisig
	SSJ_PASSPHRASE=wrong run --separate-stderr ssj sign f.txt -s stock.key
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: wrong passphrase for secret key 'stock.key'" ]
	[ ! -e f.txt.minisig ]
}

@test "without SSJ_PASSPHRASE or a terminal there is no passphrase" {
	SSJ_PASSPHRASE=pw ssj keygen --passphrase > /dev/null
	echo data > f.txt
	run --separate-stderr setsid -w "$SSJ" sign f.txt < /dev/null
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: no terminal to ask for the passphrase on; set SSJ_PASSPHRASE" ]
	SSJ_PASSPHRASE= run setsid -w "$SSJ" keygen --passphrase -p b.pub -s b.key
	[ "$status" -eq 2 ]
	[ ! -e b.key ]
}

@test "the passphrase is asked twice on the terminal, without echo" {
	command -v python3 > /dev/null || skip "needs python3 for a terminal"
	run on_tty 'tty secret' 'tty secret' -- "$SSJ" keygen --passphrase
	[ "$status" -eq 0 ]
	[[ "$output" == *"passphrase for the new key 'ssj.key': "* ]]
	[[ "$output" == *"the same passphrase again: "* ]]
	[[ "$output" != *"tty secret"* ]]
	[[ "$output" == *"(encrypted; keep it secret)"* ]]
	echo data > f.txt
	run on_tty 'tty secret' -- "$SSJ" sign f.txt
	[ "$status" -eq 0 ]
	[[ "$output" == *"passphrase for 'ssj.key': "* ]]
	[[ "$output" != *"tty secret"* ]]
	ssj verify-signature f.txt
	# Two different answers, or none: no key.
	run on_tty one two -- "$SSJ" keygen --passphrase -p c.pub -s c.key
	[ "$status" -eq 2 ]
	[[ "$output" == *"ssj: the two passphrases differ"* ]]
	[ ! -e c.key ]
	run on_tty '' -- "$SSJ" keygen --passphrase -p c.pub -s c.key
	[ "$status" -eq 2 ]
	[[ "$output" == *"ssj: empty passphrase; leave out --passphrase"* ]]
	[ ! -e c.key ]
	# $SSJ_PASSPHRASE wins over the terminal.
	SSJ_PASSPHRASE='tty secret' run on_tty -- "$SSJ" sign f.txt
	[ "$status" -eq 0 ]
	[[ "$output" != *"passphrase for"* ]]
}

@test "a secret key others can read is refused, saying how to fix it" {
	ssj keygen > /dev/null
	echo data > f.txt
	for m in 644 640 604 660 620; do
		chmod "$m" ssj.key
		run --separate-stderr ssj sign f.txt
		[ "$status" -eq 2 ]
		[ "$stderr" = "ssj: secret key 'ssj.key' is accessible by group or others (mode 0$m); fix it with: chmod 600 'ssj.key'" ]
		[ ! -e f.txt.minisig ]
	done
	chmod 600 ssj.key
	ssj sign f.txt > /dev/null
	chmod 400 ssj.key
	ssj sign f.txt > /dev/null
}

@test "a secret key owned by someone else is refused" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to give the key away"
	ssj keygen > /dev/null
	echo data > f.txt
	chown 12345 ssj.key
	run --separate-stderr ssj sign f.txt
	[ "$status" -eq 2 ]
	[[ "$stderr" == "ssj: secret key 'ssj.key' belongs to uid 12345, neither you (uid 0) nor root; fix it with: chown 0 'ssj.key'" ]]
}

@test "broken key files are refused with the line at fault" {
	umask 077
	ssj keygen > /dev/null
	echo data > f.txt
	cp ssj.key good.key
	cp ssj.pub good.pub

	rm ssj.key
	run --separate-stderr ssj sign f.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: cannot open secret key 'ssj.key': No such file or directory; run 'ssj keygen' (see ssj(1))" ]

	head -c 100 good.key > ssj.key
	run --separate-stderr ssj sign f.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: ssj.key:2: not a secret key: bad base64" ]

	head -n 1 good.key > ssj.key
	run --separate-stderr ssj sign f.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: ssj.key:2: truncated: no key on the second line" ]

	sed '2s/^RWQ/RWQ!/' good.key > ssj.key
	run --separate-stderr ssj sign f.txt
	[ "$stderr" = "ssj: ssj.key:2: not a secret key: bad base64" ]

	sed 1d good.key > ssj.key
	run --separate-stderr ssj sign f.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: ssj.key:1: not a secret key file: the first line must start with 'untrusted comment:'" ]

	cp good.pub ssj.key
	run --separate-stderr ssj sign f.txt
	[ "$stderr" = "ssj: ssj.key:2: a public key, not a secret key" ]

	(cat good.key; echo more) > ssj.key
	run --separate-stderr ssj sign f.txt
	[ "$stderr" = "ssj: ssj.key:3: unexpected text after the key" ]
	[ ! -e f.txt.minisig ]

	# CRLF line ends are fine.
	sed 's/$/\r/' good.key > ssj.key
	ssj sign f.txt > /dev/null

	cp good.key ssj.key
	cp good.key ssj.pub
	run --separate-stderr ssj verify-signature f.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: ssj.pub:2: a secret key, not a public key" ]
	head -c 70 good.pub > ssj.pub
	run --separate-stderr ssj verify-signature f.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: ssj.pub:2: not a public key: bad base64" ]
	rm ssj.pub
	run --separate-stderr ssj verify-signature f.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: cannot open public key 'ssj.pub': No such file or directory" ]
}

@test "a damaged secret key is caught before it signs anything" {
	ssj keygen > /dev/null
	echo data > f.txt
	# One bit of the secret half, under the checksum.
	flip_payload_bit ssj.key 70
	chmod 600 ssj.key
	run --separate-stderr ssj sign f.txt
	[ "$status" -eq 2 ]
	[ "$stderr" = "ssj: secret key 'ssj.key' is damaged: wrong checksum" ]
	[ ! -e f.txt.minisig ]
}
