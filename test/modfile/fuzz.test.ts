// Property tests: the parser never throws anything but ModfileErrorList and never hangs, on random
// text and on mutations of the real corpus files (byte flips, deletions, insertions of quotes,
// parentheses, brackets, comments and newlines). Files that parse strictly also survive a
// format → re-parse round trip with the same -json projection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { findGoFiles } from '../../tools/compat/parse.js';
import { ModfileErrorList } from '../../src/modfile/errors.js';
import { toEditJson } from '../../src/modfile/json.js';
import { formatFile } from '../../src/modfile/print.js';
import { parseGoMod } from '../../src/modfile/rule.js';
import { parseGoWork } from '../../src/modfile/work.js';
import { CORPUS_DIR } from '../support/shared.js';

const CORPUS = CORPUS_DIR;
const SEEDS = findGoFiles(CORPUS).map((f) => readFileSync(join(CORPUS, f)));
/** A parse of a few KB takes well under a millisecond; this bound only catches runaway loops. */
const TIME_BOX_MS = 500;

/** Runs every parser on `data`; fails on any other exception or on a parse over the time box. */
function parsesOrFailsCleanly(data: Uint8Array): void {
  const attempts: (() => unknown)[] = [
    () => parseGoMod('go.mod', data, 'strict'),
    () => parseGoMod('go.mod', data, 'lax'),
    () => parseGoWork('go.work', data),
  ];
  for (const attempt of attempts) {
    const start = performance.now();
    try {
      attempt();
    } catch (e) {
      if (!(e instanceof ModfileErrorList)) throw e;
      assert.ok(e.errors.length > 0);
      assert.doesNotMatch(e.message, /internal error/);
    }
    assert.ok(performance.now() - start < TIME_BOX_MS, 'parse took too long');
  }
}

const SPECIALS = ['"', '`', "'", '(', ')', '[', ']', ',', '//', '/*', '\n', '\\', '=>', ' ', '\t', '\r\n', '\xff', 'é'];

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'insert'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...SPECIALS) }),
);

function mutate(seed: Uint8Array, muts: readonly Mutation[]): Uint8Array {
  let b = Buffer.from(seed);
  for (const m of muts) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    if (m.kind === 'flip' && at < b.length) b[at] = m.byte;
    else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
    else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.text, 'latin1'), b.subarray(at)]);
  }
  return b;
}

test('mutated corpus files either parse or fail with ModfileErrorList, quickly', () => {
  fc.assert(
    fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 8 }), (i, muts) => {
      parsesOrFailsCleanly(mutate(SEEDS[i]!, muts));
    }),
    { numRuns: 200 },
  );
});

const goModish = fc
  .array(
    fc.oneof(
      fc.constantFrom('module', 'go', 'toolchain', 'godebug', 'require', 'exclude', 'replace', 'retract', 'tool', 'ignore', 'use', 'x.y/z', 'v1.0.0', '1.22', 'a=b'),
      fc.constantFrom(...SPECIALS),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(' '));

test('random directive soup either parses or fails with ModfileErrorList', () => {
  fc.assert(
    fc.property(goModish, (text) => parsesOrFailsCleanly(Buffer.from(text, 'utf8'))),
    { numRuns: 500 },
  );
});

test('random bytes either parse or fail with ModfileErrorList', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (data) => parsesOrFailsCleanly(data)),
    { numRuns: 500 },
  );
});

test('a strictly parsed mutation formats to text that parses to the same -json', () => {
  fc.assert(
    fc.property(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { maxLength: 4 }), (i, muts) => {
      let f;
      try {
        f = parseGoMod('go.mod', mutate(SEEDS[i]!, muts), 'strict');
      } catch {
        return; // only files that parse are round-tripped
      }
      const again = parseGoMod('go.mod', formatFile(f.syntax), 'strict');
      assert.deepEqual(toEditJson(again), toEditJson(f));
    }),
    { numRuns: 150 },
  );
});
