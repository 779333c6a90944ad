// Tamper-evident log (golang.org/x/mod/sumdb/tlog): RFC 6962 Merkle tree hashes, the "stored hash"
// numbering of every node, and record and consistency proofs.
//
// Invariants:
// - RecordHash = SHA-256(0x00‖data); NodeHash = SHA-256(0x01‖left‖right); the empty tree hashes to
//   SHA-256("").
// - Stored hashes are numbered in the order they are appended: record n appends its own hash and
//   then one interior hash per trailing 1-bit of n, so StoredHashIndex(level, n) is a pure function.
// - Sizes and indexes are JavaScript numbers (exact up to 2^53); all shifts go through shl/shr.
import { InternalError } from '../internal/errors.js';
import { createHash } from 'node:crypto';
import { bytesEqual, decodeStdBase64, encodeStdBase64, shr, trailingZeros } from './bytes.js';
import { MalformedHashError, ProofError, TlogInputError } from './errors.js';

/** A 32-byte SHA-256 hash. */
export type Hash = Uint8Array;

/** Size of a Hash in bytes. */
export const HASH_SIZE = 32;

/** Reads stored hashes by index (from memory, a database or tiles). */
export interface HashReader {
  readHashes(indexes: number[]): Promise<Hash[]>;
}

/** A HashReader over an in-memory array of stored hashes. */
export function arrayHashReader(hashes: readonly Hash[]): HashReader {
  return {
    readHashes: (indexes: number[]): Promise<Hash[]> =>
      Promise.resolve(
        indexes.map((x) => {
          const h = hashes[x];
          if (h === undefined) throw new TlogInputError(`tlog: hash index ${x} not stored`);
          return h;
        }),
      ),
  };
}

/** Go's Hash.String(): standard base64 with padding. */
export function formatHash(h: Hash): string {
  return encodeStdBase64(h);
}

/**
 * Parses a base64 hash. Throws MalformedHashError (`malformed hash`).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tlog.go ParseHash
 */
export function parseHash(s: string): Hash {
  const h = decodeStdBase64(s);
  if (h === undefined || h.length !== HASH_SIZE) throw new MalformedHashError();
  return h;
}

/** Byte equality of two hashes. */
export function hashEqual(a: Hash, b: Hash): boolean {
  return bytesEqual(a, b);
}

/** The hash of the empty tree, SHA-256(""). */
export const EMPTY_HASH: Hash = new Uint8Array(createHash('sha256').digest());

/**
 * The hash of a record: SHA-256(0x00‖data).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tlog.go RecordHash
 */
export function recordHash(data: Uint8Array): Hash {
  return new Uint8Array(createHash('sha256').update(Uint8Array.of(0)).update(data).digest());
}

/**
 * The hash of an interior node: SHA-256(0x01‖left‖right).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tlog.go NodeHash
 */
export function nodeHash(left: Hash, right: Hash): Hash {
  return new Uint8Array(createHash('sha256').update(Uint8Array.of(1)).update(left).update(right).digest());
}

// The largest power of two strictly less than n (1 for n ≤ 2), and its log.
function maxpow2(n: number): { k: number; l: number } {
  let l = 0;
  while (2 ** (l + 1) < n) l++;
  return { k: 2 ** l, l };
}

/**
 * The index in the stored-hash sequence of the hash at (level, n).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tlog.go StoredHashIndex
 */
export function storedHashIndex(level: number, n: number): number {
  for (let l = level; l > 0; l--) n = 2 * n + 1;
  let i = 0;
  for (; n > 0; n = shr(n, 1)) i += n;
  return i + level;
}

/**
 * The inverse of storedHashIndex: (level, n) with storedHashIndex(level, n) == index.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tlog.go SplitStoredHashIndex
 */
export function splitStoredHashIndex(index: number): { level: number; n: number } {
  // Record n's hashes start at storedHashIndex(0, n) ≥ 2n, so n ≤ index/2; step forward from there.
  let n = shr(index, 1);
  let indexN = storedHashIndex(0, n);
  if (indexN > index) throw new InternalError('tlog: bad math in splitStoredHashIndex');
  for (;;) {
    const x = indexN + 1 + trailingZeros(n + 1);
    if (x > index) break;
    n++;
    indexN = x;
  }
  const level = index - indexN;
  return { level, n: shr(n, level) };
}

/**
 * The number of stored hashes in a tree of n records.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tlog.go StoredHashCount
 */
export function storedHashCount(n: number): number {
  if (n === 0) return 0;
  let numHash = storedHashIndex(0, n - 1) + 1;
  for (let i = n - 1; i % 2 === 1; i = shr(i, 1)) numHash++;
  return numHash;
}

/**
 * The hashes to append when adding record n (with hash h) to a tree of n records.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tlog.go StoredHashesForRecordHash
 */
export async function storedHashesForRecordHash(n: number, h: Hash, r: HashReader): Promise<Hash[]> {
  const hashes = [h];
  const m = trailingZeros(n + 1);
  const indexes = new Array<number>(m);
  for (let i = 0; i < m; i++) indexes[m - 1 - i] = storedHashIndex(i, shr(n, i) - 1);
  const old = await readExactly(r, indexes);
  for (let i = 0; i < m; i++) {
    h = nodeHash(old[m - 1 - i]!, h);
    hashes.push(h);
  }
  return hashes;
}

/** storedHashesForRecordHash(n, recordHash(data), r). */
export function storedHashes(n: number, data: Uint8Array, r: HashReader): Promise<Hash[]> {
  return storedHashesForRecordHash(n, recordHash(data), r);
}

async function readExactly(r: HashReader, indexes: number[]): Promise<Hash[]> {
  if (indexes.length === 0) return [];
  const hashes = await r.readHashes(indexes);
  if (hashes.length !== indexes.length) {
    throw new TlogInputError(`tlog: ReadHashes(${indexes.length} indexes) = ${hashes.length} hashes`);
  }
  return hashes;
}

/**
 * The indexes of the complete subtrees that make up records [lo, hi), largest first.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tlog.go subTreeIndex
 */
export function subTreeIndex(lo: number, hi: number, need: number[] = []): number[] {
  while (lo < hi) {
    const { k, l } = maxpow2(hi - lo + 1);
    if (lo % k !== 0) throw new InternalError('tlog: bad math in subTreeIndex');
    need.push(storedHashIndex(l, shr(lo, l)));
    lo += k;
  }
  return need;
}

// Folds the subtree hashes of [lo, hi) from the right; returns the hash and the unused hashes.
function subTreeHash(lo: number, hi: number, hashes: Hash[]): [Hash, Hash[]] {
  let numTree = 0;
  while (lo < hi) {
    const { k } = maxpow2(hi - lo + 1);
    if (lo % k !== 0) throw new InternalError('tlog: bad math in subTreeHash');
    numTree++;
    lo += k;
  }
  if (hashes.length < numTree) throw new InternalError('tlog: bad index math in subTreeHash');
  let h = hashes[numTree - 1]!;
  for (let i = numTree - 2; i >= 0; i--) h = nodeHash(hashes[i]!, h);
  return [h, hashes.slice(numTree)];
}

/**
 * The hash of the tree of the first n records.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tlog.go TreeHash
 */
export async function treeHash(n: number, r: HashReader): Promise<Hash> {
  if (n === 0) return EMPTY_HASH;
  const hashes = await readExactly(r, subTreeIndex(0, n));
  return subTreeHash(0, n, hashes)[0];
}

/** A proof that a record is in a tree: the sibling hashes from the leaf up. */
export type RecordProof = Hash[];
/** A proof that a tree of size n is a prefix of a tree of size t. */
export type TreeProof = Hash[];

function leafProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (lo + 1 === hi) return need;
  const { k } = maxpow2(hi - lo);
  if (n < lo + k) {
    leafProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    leafProofIndex(lo + k, hi, n, need);
  }
  return need;
}

function leafProof(lo: number, hi: number, n: number, hashes: Hash[]): [RecordProof, Hash[]] {
  if (lo + 1 === hi) return [[], hashes];
  const { k } = maxpow2(hi - lo);
  let p: RecordProof;
  let th: Hash;
  if (n < lo + k) {
    [p, hashes] = leafProof(lo, lo + k, n, hashes);
    [th, hashes] = subTreeHash(lo + k, hi, hashes);
  } else {
    [th, hashes] = subTreeHash(lo, lo + k, hashes);
    [p, hashes] = leafProof(lo + k, hi, n, hashes);
  }
  return [[...p, th], hashes];
}

/**
 * Proves that record n is in the tree of size t.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tlog.go ProveRecord
 */
export async function proveRecord(t: number, n: number, r: HashReader): Promise<RecordProof> {
  if (t < 0 || n < 0 || n >= t) throw new TlogInputError('tlog: invalid inputs in ProveRecord');
  const indexes = leafProofIndex(0, t, n, []);
  if (indexes.length === 0) return [];
  return leafProof(0, t, n, await readExactly(r, indexes))[0];
}

function runRecordProof(p: RecordProof, lo: number, hi: number, n: number, leaf: Hash): Hash {
  if (lo + 1 === hi) {
    if (p.length !== 0) throw new ProofError();
    return leaf;
  }
  if (p.length === 0) throw new ProofError();
  const { k } = maxpow2(hi - lo);
  const last = p[p.length - 1]!;
  if (n < lo + k) return nodeHash(runRecordProof(p.slice(0, -1), lo, lo + k, n, leaf), last);
  return nodeHash(last, runRecordProof(p.slice(0, -1), lo + k, hi, n, leaf));
}

/**
 * Checks that p proves record n (hash h) is in the tree of size t with hash th.
 * Throws ProofError (`invalid transparency proof`).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tlog.go CheckRecord
 */
export function checkRecord(p: RecordProof, t: number, th: Hash, n: number, h: Hash): void {
  if (t < 0 || n < 0 || n >= t) throw new TlogInputError('tlog: invalid inputs in CheckRecord');
  if (!hashEqual(runRecordProof(p, 0, t, n, h), th)) throw new ProofError();
}

function treeProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (n === hi) return lo === 0 ? need : subTreeIndex(lo, hi, need);
  const { k } = maxpow2(hi - lo);
  if (n <= lo + k) {
    treeProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    treeProofIndex(lo + k, hi, n, need);
  }
  return need;
}

function treeProof(lo: number, hi: number, n: number, hashes: Hash[]): [TreeProof, Hash[]] {
  if (n === hi) {
    if (lo === 0) return [[], hashes];
    const [th, rest] = subTreeHash(lo, hi, hashes);
    return [[th], rest];
  }
  const { k } = maxpow2(hi - lo);
  let p: TreeProof;
  let th: Hash;
  if (n <= lo + k) {
    [p, hashes] = treeProof(lo, lo + k, n, hashes);
    [th, hashes] = subTreeHash(lo + k, hi, hashes);
  } else {
    [th, hashes] = subTreeHash(lo, lo + k, hashes);
    [p, hashes] = treeProof(lo + k, hi, n, hashes);
  }
  return [[...p, th], hashes];
}

/**
 * Proves that the tree of size n is a prefix of the tree of size t.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tlog.go ProveTree
 */
export async function proveTree(t: number, n: number, r: HashReader): Promise<TreeProof> {
  if (t < 1 || n < 1 || n > t) throw new TlogInputError('tlog: invalid inputs in ProveTree');
  const indexes = treeProofIndex(0, t, n, []);
  if (indexes.length === 0) return [];
  return treeProof(0, t, n, await readExactly(r, indexes))[0];
}

function runTreeProof(p: TreeProof, lo: number, hi: number, n: number, old: Hash): [Hash, Hash] {
  if (n === hi) {
    if (lo === 0) {
      if (p.length !== 0) throw new ProofError();
      return [old, old];
    }
    if (p.length !== 1) throw new ProofError();
    return [p[0]!, p[0]!];
  }
  if (p.length === 0) throw new ProofError();
  const { k } = maxpow2(hi - lo);
  const last = p[p.length - 1]!;
  if (n <= lo + k) {
    const [oh, th] = runTreeProof(p.slice(0, -1), lo, lo + k, n, old);
    return [oh, nodeHash(th, last)];
  }
  const [oh, th] = runTreeProof(p.slice(0, -1), lo + k, hi, n, old);
  return [nodeHash(last, oh), nodeHash(last, th)];
}

/**
 * Checks that p proves the tree of size n (hash h) is a prefix of the tree of size t (hash th).
 * Throws ProofError (`invalid transparency proof`).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/tlog.go CheckTree
 */
export function checkTree(p: TreeProof, t: number, th: Hash, n: number, h: Hash): void {
  if (t < 1 || n < 1 || n > t) throw new TlogInputError('tlog: invalid inputs in CheckTree');
  const [h2, th2] = runTreeProof(p, 0, t, n, h);
  if (!hashEqual(th2, th) || !hashEqual(h2, h)) throw new ProofError();
}
