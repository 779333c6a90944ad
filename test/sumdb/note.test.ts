import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  generateKey,
  newEd25519VerifierKey,
  newSigner,
  newVerifier,
  openNote,
  signNote,
  UnverifiedNoteError,
  verifierList,
  type Verifier,
  type Verifiers,
} from '../../src/sumdb/note.js';
import { keyHash } from '../../src/sumdb/note.js';

// Vectors from x/mod sumdb/note/note_test.go (xmod-formats.md, "note").
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_B64 = 'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=';
const ENOCH_B64 = 'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=';
const PETER_SIG = `— PeterNeumann ${PETER_B64}\n`;
const ENOCH_SIG = `— EnochRoot ${ENOCH_B64}\n`;
const peter = { name: 'PeterNeumann', hash: 0xc74f20a3, base64: PETER_B64 };
const enoch = { name: 'EnochRoot', hash: 0xaf0cfe78, base64: ENOCH_B64 };

// Go slices these strings by bytes; "—" is three bytes.
function insertAtByte60(s: string, ins: string): string {
  const b = Buffer.from(s);
  return b.subarray(0, 60).toString() + ins + b.subarray(60).toString();
}

function errText(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  return '<no error>';
}

test('a verifier key parses and every substring or one-byte change of it is rejected', () => {
  const v = newVerifier(PETER_VKEY);
  assert.equal(v.name, 'PeterNeumann');
  assert.equal(v.keyHash, 0xc74f20a3);
  const b = PETER_VKEY;
  for (let i = 0; i <= b.length; i++) {
    for (let j = i + 1; j <= b.length; j++) {
      if (i === 0 && j === b.length) continue;
      assert.throws(() => newVerifier(b.slice(i, j)), `substring ${b.slice(i, j)}`);
    }
  }
  for (let i = 0; i < b.length; i++) {
    const m = b.slice(0, i) + String.fromCharCode(b.charCodeAt(i) + 1) + b.slice(i + 1);
    assert.throws(() => newVerifier(m), m);
  }
  // Wrong key length and unknown algorithm, each with an adjusted key hash.
  assert.equal(
    errText(() => newVerifier('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')),
    'malformed verifier id',
  );
  assert.equal(
    errText(() => newVerifier('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')),
    'unknown verifier algorithm',
  );
  assert.equal(
    errText(() => newVerifier('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')),
    'invalid verifier hash',
  );
});

test('a signer key parses and every substring or one-byte change of it is rejected', () => {
  const s = newSigner(PETER_SKEY);
  assert.equal(s.keyHash, 0xc74f20a3);
  const b = PETER_SKEY;
  for (let i = 0; i <= b.length; i++) {
    for (let j = i + 1; j <= b.length; j++) {
      if (i === 0 && j === b.length) continue;
      assert.throws(() => newSigner(b.slice(i, j)), `substring ${b.slice(i, j)}`);
    }
  }
  for (let i = 0; i < b.length; i++) {
    const m = b.slice(0, i) + String.fromCharCode(b.charCodeAt(i) + 1) + b.slice(i + 1);
    assert.throws(() => newSigner(m), m);
  }
});

test('signing reproduces the x/mod signature byte for byte and replaces an old signature', () => {
  const signer = newSigner(PETER_SKEY);
  const want = `${TEXT}\n${PETER_SIG}`;
  assert.equal(Buffer.from(signNote(TEXT, [signer])).toString(), want);
  const replaced = signNote({ text: TEXT, sigs: [{ name: 'PeterNeumann', hash: 0xc74f20a3, base64: 'BADSIGN=' }] }, [signer]);
  assert.equal(Buffer.from(replaced).toString(), want);
  assert.equal(errText(() => signNote('abc', [signer])), 'malformed note');
  assert.equal(errText(() => signNote({ text: TEXT, sigs: [{ name: 'a+b', hash: 0, base64: 'ABCD' }] }, [])), 'malformed note');
  assert.equal(
    errText(() => signNote({ text: TEXT, sigs: [{ name: 'PeterNeumann', hash: 0xc74f20a3, base64: 'BADHASH=' }] }, [])),
    'malformed note',
  );
  assert.equal(errText(() => signNote(TEXT, [{ ...signer, name: 'bad name', sign: signer.sign }])), 'invalid signer');
});

test('generated keys sign and verify each other, and a corrupt signature or message fails', () => {
  const { skey, vkey } = generateKey('EnochRoot', new Uint8Array(32).fill(7));
  const s = newSigner(skey);
  const v = newVerifier(vkey);
  assert.equal(s.keyHash, v.keyHash);
  const msg = Buffer.from('hi');
  const sig = s.sign(msg);
  assert.ok(v.verify(msg, sig));
  sig[0]! ^= 1;
  assert.ok(!v.verify(msg, sig));
  sig[0]! ^= 1;
  assert.ok(!v.verify(Buffer.from('hj'), sig));
  const pub = Buffer.from(vkey.split('+')[2]!, 'base64').subarray(1);
  assert.equal(newEd25519VerifierKey('EnochRoot', pub), vkey);
  assert.throws(() => newEd25519VerifierKey('EnochRoot', pub.subarray(1)), /invalid public key size 31, expected 32/);
});

test('the test sumdb keys of x/mod are consistent', () => {
  const v = newVerifier('localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6');
  const s = newSigner('PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk');
  assert.equal(v.keyHash, 0xc67);
  assert.equal(s.keyHash, 0xc67);
  const key = Buffer.from('AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6', 'base64');
  assert.equal(keyHash('localhost.localdev/sumdb', key), 0xc67);
  const signed = Buffer.from(signNote('hello\n', [s])).toString();
  assert.match(signed, /^hello\n\n— localhost\.localdev\/sumdb AAAMZ/);
});

test('a verifier list finds keys and reports unknown and ambiguous ones with go texts', () => {
  const pv = newVerifier(PETER_VKEY);
  const ev = newVerifier(ENOCH_VKEY);
  const list = verifierList(pv, ev, ev);
  assert.equal(list.verifier('PeterNeumann', 0xc74f20a3), pv);
  assert.equal(errText(() => list.verifier('PeterNeumann', 0xc74f20a4)), 'unknown key PeterNeumann+c74f20a4');
  assert.equal(errText(() => list.verifier('PeterNeuman', 0xc74f20a3)), 'unknown key PeterNeuman+c74f20a3');
  assert.equal(errText(() => list.verifier('EnochRoot', 0xaf0cfe78)), 'ambiguous key EnochRoot+af0cfe78');
});

test('opening a note separates verified from unverified signatures', () => {
  const pv = newVerifier(PETER_VKEY);
  const ev = newVerifier(ENOCH_VKEY);
  const msg = TEXT + '\n' + PETER_SIG + ENOCH_SIG;
  let n = openNote(msg, verifierList(pv));
  assert.equal(n.text, TEXT);
  assert.deepEqual(n.sigs, [peter]);
  assert.deepEqual(n.unverifiedSigs, [enoch]);
  n = openNote(Buffer.from(msg), verifierList(pv, ev));
  assert.deepEqual(n.sigs, [peter, enoch]);
  assert.deepEqual(n.unverifiedSigs, []);
  try {
    openNote(msg, verifierList());
    assert.fail('expected an error');
  } catch (err) {
    assert.ok(err instanceof UnverifiedNoteError);
    assert.equal(err.message, 'note has no verifiable signatures');
    assert.deepEqual(err.note.unverifiedSigs, [peter, enoch]);
  }
  assert.equal(errText(() => openNote(TEXT + '\n' + ENOCH_SIG, verifierList(ev, pv, ev))), 'ambiguous key EnochRoot+af0cfe78');
  openNote(TEXT + '\n' + PETER_SIG, verifierList(ev, pv, ev));
});

test('opening rejects more than 100 signatures, bad signatures and bad syntax with go texts', () => {
  const known = verifierList(newVerifier(PETER_VKEY));
  assert.equal(errText(() => openNote(TEXT + '\n' + PETER_SIG.repeat(101), known)), 'malformed note');
  assert.equal(errText(() => openNote(TEXT + '\n' + PETER_SIG.repeat(101), verifierList())), 'malformed note');
  openNote(TEXT + '\n' + PETER_SIG.repeat(100), known);
  const bad = TEXT + '\n' + insertAtByte60(PETER_SIG, 'ABCD');
  assert.equal(errText(() => openNote(bad, known)), 'invalid signature for key PeterNeumann+c74f20a3');

  const enochABCD = insertAtByte60(ENOCH_SIG, 'ABCD');
  const n = openNote(TEXT + '\n' + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + enochABCD, known);
  assert.deepEqual(n.sigs, [peter]);
  assert.deepEqual(n.unverifiedSigs, [
    enoch,
    { ...enoch, base64: 'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5nABCD2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=' },
  ]);

  const badMsgs: (string | Uint8Array)[] = [
    TEXT,
    TEXT + '\n',
    TEXT + '\n' + PETER_SIG.slice(0, -1),
    '\x01' + TEXT + '\n' + PETER_SIG,
    Buffer.concat([Buffer.from([0xff]), Buffer.from(TEXT + '\n' + PETER_SIG)]),
    TEXT + '\n' + `— Bad Name ${PETER_B64}`,
    TEXT + '\n' + PETER_SIG + 'Unexpected line.\n',
    TEXT + '\n' + `— PeterNeumann ${PETER_B64.slice(0, -1)}\n`, // padding required
    TEXT + '\n' + '— PeterNeumann AAAA\n', // fewer than 5 bytes
  ];
  for (const m of badMsgs) assert.equal(errText(() => openNote(m, known)), 'malformed note', String(m));
});

test('a verifier list that returns the wrong key is reported as a mismatch', () => {
  const pv = newVerifier(PETER_VKEY);
  const fixed: Verifiers = { verifier: (): Verifier => pv };
  const misnamed = PETER_SIG.replaceAll('PeterNeumann', 'CarmenSandiego');
  assert.equal(errText(() => openNote(TEXT + '\n' + misnamed, fixed)), "verifier name or hash doesn't match signature");
  const wrongHash = PETER_SIG.replaceAll('x08g', 'xxxx');
  assert.equal(errText(() => openNote(TEXT + '\n' + wrongHash, fixed)), "verifier name or hash doesn't match signature");
});
