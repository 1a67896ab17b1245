// bench/bls: the same two checks as bench/bls-bench.c, by @noble/curves:
// the median of N verifications of each, in ms.
//   node bench/bls-bench.mjs ORACLE_DIR [N]
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import path from 'node:path';

const require = createRequire(path.resolve(process.argv[2]) + '/');
const { bls12_381: bls } = require('@noble/curves/bls12-381');
const n = Number(process.argv[3] || 15);
const sha256 = (b) => new Uint8Array(createHash('sha256').update(b).digest());
const be8 = (r) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(r); return b; };
const qpk = '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a';
const qsig = 'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39';
const mpk = '868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a569937c529eeda66c7293784a9402801af31';
const msig = '8d61d9100567de44682506aea1a7a6fa6e5491cd27a0a0ed349ef6910ac5ac20ff7bc3e09d7c046566c9f7f3c6f3b10104990e7cb424998203d8f7de586fb7fa5f60045417a432684f85093b06ca91c769f0e7ca19268375e659c2a2352b4655';
const prev = Buffer.from('176f93498eac9ca337150b46d21dd58673ea4e3581185f869672e59fa4cb390a', 'hex');
const qmsg = sha256(be8(1000n));
const mmsg = sha256(Buffer.concat([prev, be8(1n)]));
// Points are decoded from their bytes each time, as ssj does.
const checks = {
	quicknet: () => bls.verifyShortSignature(qsig, qmsg, qpk),
	mainnet: () => bls.verify(msig, mmsg, mpk),
};
for (const [name, f] of Object.entries(checks)) {
	if (!f())
		throw new Error(name + ' does not verify');
	const t = [], c = [];
	for (let i = 0; i < n; i++) {
		const t0 = process.hrtime.bigint();
		const c0 = process.cpuUsage();
		if (!f())
			throw new Error(name);
		const dc = process.cpuUsage(c0);
		t.push(Number(process.hrtime.bigint() - t0) / 1e6);
		c.push((dc.user + dc.system) / 1e3);
	}
	t.sort((a, b) => a - b);
	c.sort((a, b) => a - b);
	// name, wall ms, cpu ms
	console.log(`${name} ${t[n >> 1].toFixed(2)} ${c[n >> 1].toFixed(2)}`);
}
