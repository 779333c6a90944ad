// Error classes of the checksum database packages. Each has a stable `code` and, as `message`, the
// exact text x/mod or cmd/go prints, so callers can show `message` verbatim after `go: `.

/** Base class of every error thrown by src/sumdb. */
import { GoError } from '../internal/errors.js';
export class SumdbError extends GoError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = new.target.name;
  }
}

/** `%08x` of a key hash, as note.go formats it. */
export function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

// ---- sumdb/note ----

/** `malformed note`: a signed note that breaks the syntax rules of note.Open / note.Sign. */
export class MalformedNoteError extends SumdbError {
  constructor() {
    super('ENOTE_MALFORMED', 'malformed note');
  }
}

/**
 * A bad verifier or signer key string: `malformed verifier id`, `unknown verifier algorithm` or
 * `invalid verifier hash` (note.go uses the same three texts for signer keys).
 */
export class NoteKeyError extends SumdbError {
  constructor(kind: 'id' | 'algorithm' | 'hash') {
    const text =
      kind === 'id' ? 'malformed verifier id' : kind === 'algorithm' ? 'unknown verifier algorithm' : 'invalid verifier hash';
    super(kind === 'id' ? 'ENOTE_KEY_ID' : kind === 'algorithm' ? 'ENOTE_KEY_ALG' : 'ENOTE_KEY_HASH', text);
  }
}

/** `unknown key NAME+%08x`: no verifier with that name and key hash. */
export class UnknownVerifierError extends SumdbError {
  constructor(
    readonly keyName: string,
    readonly keyHash: number,
  ) {
    super('ENOTE_UNKNOWN_KEY', `unknown key ${keyName}+${hex8(keyHash)}`);
  }
}

/** `ambiguous key NAME+%08x`: more than one verifier with that name and key hash. */
export class AmbiguousVerifierError extends SumdbError {
  constructor(keyName: string, keyHash: number) {
    super('ENOTE_AMBIGUOUS_KEY', `ambiguous key ${keyName}+${hex8(keyHash)}`);
  }
}

/** `verifier name or hash doesn't match signature`: a Verifiers lookup returned the wrong key. */
export class MismatchedVerifierError extends SumdbError {
  constructor() {
    super('ENOTE_MISMATCHED_VERIFIER', "verifier name or hash doesn't match signature");
  }
}

/** `invalid signature for key NAME+%08x`: a known key whose signature does not verify. */
export class InvalidSignatureError extends SumdbError {
  constructor(
    readonly keyName: string,
    readonly keyHash: number,
  ) {
    super('ENOTE_INVALID_SIGNATURE', `invalid signature for key ${keyName}+${hex8(keyHash)}`);
  }
}

/** `invalid signer`: a signer whose name is not a valid key name. */
export class InvalidSignerError extends SumdbError {
  constructor() {
    super('ENOTE_INVALID_SIGNER', 'invalid signer');
  }
}

// ---- sumdb/tlog ----

/** `invalid transparency proof`. */
export class ProofError extends SumdbError {
  constructor() {
    super('ETLOG_PROOF', 'invalid transparency proof');
  }
}

/** Bad arguments to a tlog function (`tlog: invalid inputs in CheckRecord`, …). */
export class TlogInputError extends SumdbError {
  constructor(message: string) {
    super('ETLOG_INPUT', message);
  }
}

/** `malformed tree note`. */
export class MalformedTreeError extends SumdbError {
  constructor() {
    super('ETLOG_MALFORMED_TREE', 'malformed tree note');
  }
}

/** `malformed record data`. */
export class MalformedRecordError extends SumdbError {
  constructor() {
    super('ETLOG_MALFORMED_RECORD', 'malformed record data');
  }
}

/** `malformed hash`. */
export class MalformedHashError extends SumdbError {
  constructor() {
    super('ETLOG_MALFORMED_HASH', 'malformed hash');
  }
}

/** `malformed tile path %q`. */
export class BadTilePathError extends SumdbError {
  constructor(
    readonly path: string,
    quoted: string,
  ) {
    super('ETLOG_TILE_PATH', `malformed tile path ${quoted}`);
  }
}

/** `downloaded inconsistent tile`: tiles that do not hash up to the signed tree head. */
export class InconsistentTileError extends SumdbError {
  constructor() {
    super('ETLOG_INCONSISTENT_TILE', 'downloaded inconsistent tile');
  }
}

/** Any other tile-reading failure (`indexes not in tree`, `TileReader returned bad result slice …`). */
export class TileReadError extends SumdbError {
  constructor(message: string) {
    super('ETLOG_TILE_READ', message);
  }
}
