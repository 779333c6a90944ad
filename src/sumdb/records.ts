// Tree notes and records (golang.org/x/mod/sumdb/tlog/note.go): the text the checksum database signs
// and the `<id>\n<text>\n` framing of a lookup response.
import { decodeStdBase64, encodeStdBase64, indexOfBytes, isTextWithoutControls, utf8Bytes, concatBytes } from './bytes.js';
import { MalformedRecordError, MalformedTreeError } from './errors.js';
import { HASH_SIZE, type Hash } from './tlog.js';

/** A tree head: the size of the log and its root hash. */
export interface Tree {
  n: number;
  hash: Hash;
}

const TREE_PREFIX = 'go.sum database tree\n';

/**
 * `go.sum database tree\n<N>\n<base64 hash>\n`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/note.go FormatTree
 */
export function formatTree(tree: Tree): string {
  return `${TREE_PREFIX}${tree.n}\n${encodeStdBase64(tree.hash)}\n`;
}

/**
 * Parses a tree note's text; extra lines after the hash are ignored. Throws MalformedTreeError.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/note.go ParseTree
 */
export function parseTree(text: string | Uint8Array): Tree {
  const bytes = typeof text === 'string' ? utf8Bytes(text) : text;
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('latin1');
  let newlines = 0;
  for (const c of bytes) if (c === 0x0a) newlines++;
  if (!s.startsWith(TREE_PREFIX) || newlines < 3 || bytes.length > 1e6) throw new MalformedTreeError();
  const lines = s.split('\n');
  const nText = lines[1]!;
  // strconv.ParseInt accepts a sign and leading zeros; the FormatInt round trip rejects them.
  if (!/^(0|[1-9][0-9]*)$/.test(nText) || nText.length > 19) throw new MalformedTreeError();
  const n = Number(nText);
  if (!Number.isSafeInteger(n)) throw new MalformedTreeError();
  const h = decodeStdBase64(lines[2]!);
  if (h === undefined || h.length !== HASH_SIZE) throw new MalformedTreeError();
  return { n, hash: h };
}

/**
 * Reports whether text is valid record text: UTF-8, no control characters but `\n`, ends in
 * `\n`, no blank line.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/note.go isValidRecordText
 */
export function isValidRecordText(text: Uint8Array): boolean {
  if (text.length === 0 || text[text.length - 1] !== 0x0a || !isTextWithoutControls(text)) return false;
  for (let i = 1; i < text.length; i++) if (text[i] === 0x0a && text[i - 1] === 0x0a) return false;
  return true;
}

/**
 * `<id>\n<text>\n`. Throws MalformedRecordError for invalid text.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/note.go FormatRecord
 */
export function formatRecord(id: number, text: Uint8Array | string): Uint8Array {
  const t = typeof text === 'string' ? utf8Bytes(text) : text;
  if (!isValidRecordText(t)) throw new MalformedRecordError();
  return concatBytes(utf8Bytes(`${id}\n`), t, Uint8Array.of(0x0a));
}

const BLANK_LINE = utf8Bytes('\n\n');

/**
 * Splits a lookup response into the record id, the record text (through its final `\n`) and the
 * rest (the signed tree note). Throws MalformedRecordError.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/tlog/note.go ParseRecord
 */
export function parseRecord(msg: Uint8Array): { id: number; text: Uint8Array; rest: Uint8Array } {
  const i = msg.indexOf(0x0a);
  if (i < 0) throw new MalformedRecordError();
  const idText = Buffer.from(msg.subarray(0, i)).toString('latin1');
  // strconv.ParseInt(s, 10, 64): optional sign, decimal digits, leading zeros allowed.
  if (!/^[+-]?[0-9]+$/.test(idText)) throw new MalformedRecordError();
  const id = Number(idText);
  if (!Number.isSafeInteger(id)) throw new MalformedRecordError();
  const body = msg.subarray(i + 1);
  const j = indexOfBytes(body, BLANK_LINE);
  if (j < 0) throw new MalformedRecordError();
  const text = body.subarray(0, j + 1);
  if (!isValidRecordText(text)) throw new MalformedRecordError();
  return { id: id === 0 ? 0 : id, text, rest: body.subarray(j + 2) };
}
