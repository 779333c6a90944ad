// Signed notes (golang.org/x/mod/sumdb/note): the format of the checksum database's tree heads.
//
// Invariants:
// - A verifier key is `name+hash+base64(alg‖key)`; a signer key is `PRIVATE+KEY+name+hash+base64(alg‖seed)`.
//   The name is non-empty UTF-8 without spaces or `+`; the hash is 8 hex digits and must equal
//   keyHash(name, alg‖publicKey); algorithm 1 is Ed25519 (32-byte key).
// - A note is text ending in `\n`, a blank line, then 1..100 lines `— name base64(hash4‖sig)\n`.
//   The whole message is UTF-8 with no control characters except `\n`; signatures cover the text
//   bytes including the final `\n`.
import { createHash, createPrivateKey, createPublicKey, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import {
  decodeStdBase64,
  decodeUtf8,
  encodeStdBase64,
  isTextWithoutControls,
  lastIndexOfBytes,
  utf8Bytes,
} from './bytes.js';
import {
  AmbiguousVerifierError,
  InvalidSignatureError,
  InvalidSignerError,
  MalformedNoteError,
  MismatchedVerifierError,
  NoteKeyError,
  SumdbError,
  UnknownVerifierError,
  hex8,
} from './errors.js';

/** A public key that checks signatures. */
export interface Verifier {
  readonly name: string;
  readonly keyHash: number;
  verify(msg: Uint8Array, sig: Uint8Array): boolean;
}

/** A private key that makes signatures (used by the test server). */
export interface Signer {
  readonly name: string;
  readonly keyHash: number;
  sign(msg: Uint8Array): Uint8Array;
}

/** Finds the verifier for a signature line; throws UnknownVerifierError when there is none. */
export interface Verifiers {
  verifier(name: string, keyHash: number): Verifier;
}

/** One signature line of a note. */
export interface Signature {
  name: string;
  hash: number;
  base64: string;
}

/** An opened note: its text and its verified and unverified signatures. */
export interface Note {
  text: string;
  sigs: Signature[];
  unverifiedSigs: Signature[];
}

/** `note has no verifiable signatures`; carries the parsed note, as Go's UnverifiedNoteError does. */
export class UnverifiedNoteError extends SumdbError {
  constructor(readonly note: Note) {
    super('ENOTE_UNVERIFIED', 'note has no verifiable signatures');
  }
}

const ALG_ED25519 = 1;
// PKCS#8 DER header of an Ed25519 private key; the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
// Go's unicode.IsSpace (not JavaScript's \s, which adds U+FEFF and omits U+0085).
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isValidName(name: string): boolean {
  return name !== '' && !LONE_SURROGATE.test(name) && !GO_SPACE.test(name) && !name.includes('+');
}

/**
 * The key hash: big-endian uint32 of the first 4 bytes of SHA-256(name + "\n" + key), where key
 * includes the algorithm byte.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/note/note.go keyHash
 */
export function keyHash(name: string, key: Uint8Array): number {
  const sum = createHash('sha256').update(name).update('\n').update(key).digest();
  return sum.readUInt32BE(0);
}

// Go's strconv.ParseUint(s, 16, 32) for a string already known to be 8 characters long.
function parseHex8(s: string): number | undefined {
  return /^[0-9a-fA-F]{8}$/.test(s) ? parseInt(s, 16) : undefined;
}

// strings.Cut(s, "+").
function cutPlus(s: string): [string, string] {
  const i = s.indexOf('+');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

function ed25519PublicKey(key: Uint8Array): KeyObject | undefined {
  try {
    return createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key).toString('base64url') },
      format: 'jwk',
    });
  } catch {
    return undefined; // not a point on the curve: every signature fails, as in Go
  }
}

/**
 * Parses a verifier key `name+hash+base64key`. Throws NoteKeyError with go's texts.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/note/note.go NewVerifier
 */
export function newVerifier(vkey: string): Verifier {
  const [name, rest] = cutPlus(vkey);
  const [hash16, key64] = cutPlus(rest);
  const hash = parseHex8(hash16);
  const key = decodeStdBase64(key64);
  if (hash16.length !== 8 || hash === undefined || key === undefined || !isValidName(name) || key.length === 0) {
    throw new NoteKeyError('id');
  }
  if (hash !== keyHash(name, key)) throw new NoteKeyError('hash');
  if (key[0] !== ALG_ED25519) throw new NoteKeyError('algorithm');
  if (key.length !== 33) throw new NoteKeyError('id');
  const pub = ed25519PublicKey(key.subarray(1));
  return {
    name,
    keyHash: hash,
    verify(msg: Uint8Array, sig: Uint8Array): boolean {
      if (pub === undefined || sig.length !== 64) return false;
      try {
        return edVerify(null, msg, pub, sig);
      } catch {
        return false;
      }
    },
  };
}

/**
 * Parses a signer key `PRIVATE+KEY+name+hash+base64(alg‖seed)`; its hash must match the public key.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/note/note.go NewSigner
 */
export function newSigner(skey: string): Signer {
  const [priv1, r1] = cutPlus(skey);
  const [priv2, r2] = cutPlus(r1);
  const [name, r3] = cutPlus(r2);
  const [hash16, key64] = cutPlus(r3);
  const hash = parseHex8(hash16);
  const key = decodeStdBase64(key64);
  if (
    priv1 !== 'PRIVATE' ||
    priv2 !== 'KEY' ||
    hash16.length !== 8 ||
    hash === undefined ||
    key === undefined ||
    !isValidName(name) ||
    key.length === 0
  ) {
    throw new NoteKeyError('id');
  }
  if (key[0] !== ALG_ED25519) throw new NoteKeyError('algorithm');
  if (key.length !== 33) throw new NoteKeyError('id');
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, key.subarray(1)]),
    format: 'der',
    type: 'pkcs8',
  });
  const pubkey = ed25519RawPublicKey(privateKey);
  if (hash !== keyHash(name, Uint8Array.of(ALG_ED25519, ...pubkey))) throw new NoteKeyError('hash');
  return {
    name,
    keyHash: hash,
    sign: (msg: Uint8Array): Uint8Array => new Uint8Array(edSign(null, msg, privateKey)),
  };
}

function ed25519RawPublicKey(privateKey: KeyObject): Uint8Array {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'));
}

/**
 * The verifier key matching a signer key (`PRIVATE+KEY+name+hash+seed` → `name+hash+pubkey`).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/note/note.go NewSigner
 */
export function verifierKeyForSigner(skey: string): string {
  const s = newSigner(skey); // validates the key and its hash
  const [, afterName] = cutPlus(skey.slice('PRIVATE+KEY+'.length));
  const [, key64] = cutPlus(afterName);
  const seed = decodeStdBase64(key64)!.subarray(1);
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return newEd25519VerifierKey(s.name, ed25519RawPublicKey(privateKey));
}

/**
 * Builds the verifier key string for an Ed25519 public key.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/note/note.go NewEd25519VerifierKey
 */
export function newEd25519VerifierKey(name: string, publicKey: Uint8Array): string {
  if (publicKey.length !== 32) {
    throw new SumdbError('ENOTE_KEY_SIZE', `invalid public key size ${publicKey.length}, expected 32`);
  }
  const pubkey = Uint8Array.of(ALG_ED25519, ...publicKey);
  return `${name}+${hex8(keyHash(name, pubkey))}+${encodeStdBase64(pubkey)}`;
}

/**
 * Makes a signer/verifier key pair from a 32-byte Ed25519 seed (tests pass a fixed seed to get
 * reproducible keys).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/note/note.go GenerateKey
 */
export function generateKey(name: string, seed: Uint8Array): { skey: string; vkey: string } {
  if (seed.length !== 32) throw new SumdbError('ENOTE_KEY_SIZE', `invalid seed size ${seed.length}, expected 32`);
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const pubkey = Uint8Array.of(ALG_ED25519, ...ed25519RawPublicKey(privateKey));
  const h = hex8(keyHash(name, pubkey));
  return {
    skey: `PRIVATE+KEY+${name}+${h}+${encodeStdBase64(Uint8Array.of(ALG_ED25519, ...seed))}`,
    vkey: `${name}+${h}+${encodeStdBase64(pubkey)}`,
  };
}

/**
 * A Verifiers over a fixed list; a name+hash listed twice is ambiguous.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/note/note.go VerifierList
 */
export function verifierList(...list: Verifier[]): Verifiers {
  const m = new Map<string, Verifier[]>();
  for (const v of list) {
    const k = `${v.name}+${hex8(v.keyHash)}`;
    m.set(k, [...(m.get(k) ?? []), v]);
  }
  return {
    verifier(name: string, hash: number): Verifier {
      const vs = m.get(`${name}+${hex8(hash)}`);
      if (vs === undefined) throw new UnknownVerifierError(name, hash);
      if (vs.length > 1) throw new AmbiguousVerifierError(name, hash);
      return vs[0]!;
    },
  };
}

const SIG_SPLIT = utf8Bytes('\n\n');
const SIG_PREFIX = '\u2014 ';

/**
 * Checks a signed note against the known verifiers and returns its text and signatures.
 * Throws MalformedNoteError, InvalidSignatureError, MismatchedVerifierError, AmbiguousVerifierError
 * or UnverifiedNoteError, in go's order.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/note/note.go Open
 */
export function openNote(msg: Uint8Array | string, known: Verifiers = verifierList()): Note {
  const bytes = typeof msg === 'string' ? utf8Bytes(msg) : msg;
  if (!isTextWithoutControls(bytes)) throw new MalformedNoteError();
  const split = lastIndexOfBytes(bytes, SIG_SPLIT);
  if (split < 0) throw new MalformedNoteError();
  const textBytes = bytes.subarray(0, split + 1);
  let sigs = decodeUtf8(bytes.subarray(split + 2));
  if (sigs.length === 0 || !sigs.endsWith('\n')) throw new MalformedNoteError();

  const note: Note = { text: decodeUtf8(textBytes), sigs: [], unverifiedSigs: [] };
  const seen = new Set<string>();
  const seenUnverified = new Set<string>();
  let numSig = 0;
  while (sigs.length > 0) {
    const i = sigs.indexOf('\n');
    let line = sigs.slice(0, i);
    sigs = sigs.slice(i + 1);
    if (!line.startsWith(SIG_PREFIX)) throw new MalformedNoteError();
    line = line.slice(SIG_PREFIX.length);
    const sp = line.indexOf(' ');
    const name = sp < 0 ? line : line.slice(0, sp);
    const b64 = sp < 0 ? '' : line.slice(sp + 1);
    const sig = decodeStdBase64(b64);
    if (sig === undefined || !isValidName(name) || b64 === '' || sig.length < 5) throw new MalformedNoteError();
    const hash = Buffer.from(sig.buffer, sig.byteOffset, 4).readUInt32BE(0);
    if (++numSig > 100) throw new MalformedNoteError();

    let v: Verifier;
    try {
      v = known.verifier(name, hash);
    } catch (err) {
      if (!(err instanceof UnknownVerifierError)) throw err;
      if (!seenUnverified.has(line)) {
        seenUnverified.add(line);
        note.unverifiedSigs.push({ name, hash, base64: b64 });
      }
      continue;
    }
    if (v.name !== name || v.keyHash !== hash) throw new MismatchedVerifierError();
    const key = `${name}+${hex8(hash)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!v.verify(textBytes, sig.subarray(4))) throw new InvalidSignatureError(name, hash);
    note.sigs.push({ name, hash, base64: b64 });
  }
  if (note.sigs.length === 0) throw new UnverifiedNoteError(note);
  return note;
}

/** Input of signNote: the text plus any signatures to carry over. */
export interface NoteToSign {
  text: string;
  sigs?: Signature[];
  unverifiedSigs?: Signature[];
}

/**
 * Signs a note with the given signers. Existing signatures of other keys are kept, in front of
 * the new ones; an existing signature by one of the signers is replaced.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/note/note.go Sign
 */
export function signNote(n: NoteToSign | string, signers: Signer[]): Uint8Array {
  const note = typeof n === 'string' ? { text: n } : n;
  if (!note.text.endsWith('\n')) throw new MalformedNoteError();
  const text = utf8Bytes(note.text);
  const have = new Set<string>();
  let newSigs = '';
  for (const s of signers) {
    have.add(`${s.name}+${hex8(s.keyHash)}`);
    if (!isValidName(s.name)) throw new InvalidSignerError();
    const sig = s.sign(text);
    const hbuf = Buffer.alloc(4);
    hbuf.writeUInt32BE(s.keyHash >>> 0);
    newSigs += `${SIG_PREFIX}${s.name} ${encodeStdBase64(Buffer.concat([hbuf, sig]))}\n`;
  }
  let out = note.text + '\n';
  for (const list of [note.sigs ?? [], note.unverifiedSigs ?? []]) {
    for (const sig of list) {
      if (!isValidName(sig.name)) throw new MalformedNoteError();
      if (have.has(`${sig.name}+${hex8(sig.hash)}`)) continue;
      const raw = decodeStdBase64(sig.base64);
      if (raw === undefined || raw.length < 4 || Buffer.from(raw).readUInt32BE(0) !== sig.hash >>> 0) {
        throw new MalformedNoteError();
      }
      out += `${SIG_PREFIX}${sig.name} ${sig.base64}\n`;
    }
  }
  return utf8Bytes(out + newSigs);
}
