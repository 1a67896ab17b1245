// Cross-checks ssj's verdicts on drand records against @noble/curves, a
// BLS12-381 library written and kept elsewhere: a few hundred generated
// cases of both drand schemes -- valid records and records corrupted in
// each way the check must catch, and edge points -- each given to
// `ssj beacon verify` under a plan that pins the oracle's key.
//
//   node tests/oracle/bls-oracle.mjs ORACLE_DIR SSJ ROOT WORKDIR [PER_SCHEME]
//
// ORACLE_DIR holds node_modules/@noble/curves (installed by `make oracle`
// or the test). Exits 1 on any disagreement, naming the case.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [oracleDir, ssj, root, work, perArg] = process.argv.slice(2);
const require = createRequire(path.resolve(oracleDir) + '/');
const { bls12_381: bls } = require('@noble/curves/bls12-381');
const PER = Number(perArg || 160);

const sha256 = (b) => new Uint8Array(createHash('sha256').update(b).digest());
const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'));
const P = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn;
const R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

// A deterministic stream: SHA-256 of a counter, so that a failure is
// reproducible.
let ctr = 0;
function rbytes(n) {
	const out = new Uint8Array(n);
	for (let i = 0; i < n; i += 32) {
		const b = sha256(Buffer.from('ssj oracle ' + ctr++));
		out.set(b.subarray(0, Math.min(32, n - i)), i);
	}
	return out;
}
const rint = (n) => Number(BigInt('0x' + hex(rbytes(6))) % BigInt(n));
const scalar = (label) => {
	const k = BigInt('0x' + hex(sha256(Buffer.from(label)))) % R;
	return unhex(k.toString(16).padStart(64, '0'));
};
const be8 = (r) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(r); return b; };

// The two schemes, as drand defines them.
const schemes = {
	'bls-unchained-g1-rfc9380': {
		sigLen: 48,
		pub: (sk) => bls.getPublicKeyForShortSignatures(sk),
		sign: (m, sk) => bls.signShortSignature(m, sk),
		verify: (s, m, pk) => bls.verifyShortSignature(s, m, pk),
		gen: () => bls.G1.ProjectivePoint.BASE.toRawBytes(true),
		hashOther: (m) => bls.G1.hashToCurve(m, { DST: 'OTHER-DST' }),
		chained: false,
	},
	'pedersen-bls-chained': {
		sigLen: 96,
		pub: (sk) => bls.getPublicKey(sk),
		sign: (m, sk) => bls.sign(m, sk),
		verify: (s, m, pk) => bls.verify(s, m, pk),
		gen: () => bls.G2.ProjectivePoint.BASE.toRawBytes(true),
		hashOther: (m) => bls.G2.hashToCurve(m, { DST: 'OTHER-DST' }),
		chained: true,
	},
};

function message(sc, round, prev) {
	return sha256(sc.chained ? Buffer.concat([prev, be8(round)]) : be8(round));
}

function xAtLeastP(len) {
	const x = (P + BigInt(rint(1000))).toString(16).padStart(96, '0');
	const b = unhex(x + (len === 96 ? '00'.repeat(48) : ''));
	b[0] |= 0x80;
	return b;
}

// One case: the record ssj is given and the oracle's verdict on it.
function makeCase(name, sc, sk, pk, kind) {
	let round = BigInt(1 + rint(2 ** 40));
	const prev = sc.chained ? rbytes(96) : null;
	let sig = sc.sign(message(sc, round, prev), sk);
	let recPrev = prev;
	switch (kind) {
	case 0: case 1: break;					// valid
	case 2: { sig = Uint8Array.from(sig); const bit = 3 + rint(sc.sigLen * 8 - 3);
		sig[bit >> 3] ^= 0x80 >> (bit & 7); break; }	// a bit of x
	case 3: sig = Uint8Array.from(sig); sig[0] ^= 0x80 >> rint(3); break; // a flag
	case 4: round += 1n; break;				// the next round
	case 5: round ^= 1n << BigInt(rint(40)); break;		// a bit of R
	case 6: if (sc.chained) { recPrev = Uint8Array.from(prev);
		recPrev[rint(96)] ^= 1 << rint(8); }
		else sig = sc.sign(message(sc, round, prev), scalar('other key'));
		break;							// prev / key
	case 7: sig = sc.sign(message(sc, round, prev), scalar('other key ' + rint(9))); break;
	case 8: sig = rbytes(sc.sigLen); sig[0] = (sig[0] & 0x1f) | 0x80; break;
	case 9: sig = new Uint8Array(sc.sigLen); sig[0] = 0xc0; break; // identity
	case 10: sig = new Uint8Array(sc.sigLen); sig[0] = 0x80;	// small x
		sig[sc.sigLen - 1] = 1 + rint(40); break;
	case 11: sig = xAtLeastP(sc.sigLen); break;
	case 12: sig = Uint8Array.from(sig); sig[0] ^= 0x20; break;	// -sig
	case 13: sig = sc.hashOther(message(sc, round, prev)).multiply(
		BigInt('0x' + hex(sk))).toRawBytes(true); break;	// wrong DST
	case 14: sig = sc.gen(); break;
	case 15: sig = Uint8Array.from(sig); sig[0] &= 0x7f; break;	// C = 0
	}
	let expect;
	try {
		expect = sc.verify(sig, message(sc, round, recPrev), pk) === true;
	} catch (e) {
		expect = false;
	}
	const rec = { round: Number(round), randomness: hex(sha256(sig)),
	    signature: hex(sig) };
	if (recPrev !== null)
		rec.previous_signature = hex(recPrev);
	return { scheme: name, kind, rec, expect };
}

fs.mkdirSync(work, { recursive: true });
fs.cpSync(path.join(root, 'config/calendars'), path.join(work, 'calendars'),
    { recursive: true });
fs.mkdirSync(path.join(work, 'examples'), { recursive: true });
const basePlan = fs.readFileSync(path.join(root,
    'config/examples/jingdezhen.yaml'), 'utf8');

let n = 0, valid = 0, bad = 0;
for (const [name, sc] of Object.entries(schemes)) {
	const sk = scalar('ssj oracle key ' + name);
	const pk = sc.pub(sk);
	const plan = path.join(work, 'examples', name + '.yaml');
	fs.writeFileSync(plan, basePlan + `beacon: {chain: ${'ab'.repeat(32)}, ` +
	    `genesis: 1700000000, period: 3, scheme: ${name}, ` +
	    `public_key: ${hex(pk)}}\n`);
	// One ssj run per scheme: `beacon verify` prints a line per file.
	const cases = [], files = [];
	for (let i = 0; i < PER; i++) {
		const c = makeCase(name, sc, sk, pk, i % 16);
		const file = path.join(work, `${name}-${i}.json`);
		fs.writeFileSync(file, JSON.stringify(c.rec) + '\n');
		cases.push(c);
		files.push(file);
	}
	const r = spawnSync(ssj, ['-f', plan, 'beacon', 'verify', ...files],
	    { encoding: 'utf8', maxBuffer: 1 << 26 });
	if (r.status !== 0 && r.status !== 1) {
		console.log(`not ok: ${name}: ssj exited ${r.status}: ${r.stderr}`);
		process.exit(1);
	}
	const lines = r.stderr.split('\n');
	cases.forEach((c, i) => {
		const f = files[i];
		const good = lines.filter((l) => l.startsWith(f + ': round ') &&
		    l.includes(': signature valid'));
		const refused = lines.filter((l) => l.startsWith('ssj: ' + f + ': '));
		let verdict;
		if (good.length + refused.length !== 1) {
			console.log(`not ok: ${name} case ${i}: ssj said ` +
			    `${good.length} valid and ${refused.length} refused`);
			bad++;
			return;
		}
		verdict = good.length === 1;
		if (verdict !== c.expect) {
			console.log(`not ok: ${name} case ${i} (kind ${c.kind}): ` +
			    `noble says ${c.expect}, ssj says ${verdict}: ` +
			    `${JSON.stringify(c.rec)} ${refused.join(' ')}`);
			bad++;
		}
		n++;
		if (c.expect)
			valid++;
	});
	if (r.status !== (cases.every((c) => c.expect) ? 0 : 1)) {
		console.log(`not ok: ${name}: exit status ${r.status}`);
		bad++;
	}
}
console.log(`${n} cases (${valid} valid, ${n - valid} refused by the ` +
    `oracle): ${n - bad} agree, ${bad} disagree`);
process.exit(bad === 0 ? 0 : 1);
