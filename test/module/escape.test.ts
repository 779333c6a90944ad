// Case-encoding of module paths and versions; expected values and texts printed by x/mod (Go 1.26's
// vendored copy) for the same inputs, through a throwaway Go program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  InvalidEscapeError,
  InvalidVersionError,
  checkPath,
  escapePath,
  escapeVersion,
  unescapePath,
  unescapeVersion,
} from '../../src/module/index.js';

/** [result, error message] of fn; exactly one is "". */
function run(fn: () => string): [string, string] {
  try {
    return [fn(), ''];
  } catch (err) {
    return ['', (err as Error).message];
  }
}

// [input, EscapePath, err, EscapeVersion, err, UnescapePath, err, UnescapeVersion, err].
const ESCAPES: Array<[string, string, string, string, string, string, string, string, string]> = [
  ["github.com/GoogleCloudPlatform/omega","github.com/!google!cloud!platform/omega","","","version \"github.com/GoogleCloudPlatform/omega\" invalid: disallowed version string","","invalid escaped module path \"github.com/GoogleCloudPlatform/omega\"","","invalid escaped version \"github.com/GoogleCloudPlatform/omega\""],
  ["github.com/!google!cloud!platform/omega","","malformed module path \"github.com/!google!cloud!platform/omega\": invalid char '!'","","version \"github.com/!google!cloud!platform/omega\" invalid: disallowed version string","github.com/GoogleCloudPlatform/omega","","","invalid escaped version \"github.com/GoogleCloudPlatform/omega\": invalid char '/'"],
  ["github.com/Azure/azure-sdk-for-go","github.com/!azure/azure-sdk-for-go","","","version \"github.com/Azure/azure-sdk-for-go\" invalid: disallowed version string","","invalid escaped module path \"github.com/Azure/azure-sdk-for-go\"","","invalid escaped version \"github.com/Azure/azure-sdk-for-go\""],
  ["github.com/!azure/azure-sdk-for-go","","malformed module path \"github.com/!azure/azure-sdk-for-go\": invalid char '!'","","version \"github.com/!azure/azure-sdk-for-go\" invalid: disallowed version string","github.com/Azure/azure-sdk-for-go","","","invalid escaped version \"github.com/Azure/azure-sdk-for-go\": invalid char '/'"],
  ["ascii.com/abcdefghijklmnopqrstuvwxyz.-+/~_0123456789","","malformed module path \"ascii.com/abcdefghijklmnopqrstuvwxyz.-+/~_0123456789\": invalid char '+'","","version \"ascii.com/abcdefghijklmnopqrstuvwxyz.-+/~_0123456789\" invalid: disallowed version string","","invalid escaped module path \"ascii.com/abcdefghijklmnopqrstuvwxyz.-+/~_0123456789\": malformed module path \"ascii.com/abcdefghijklmnopqrstuvwxyz.-+/~_0123456789\": invalid char '+'","","invalid escaped version \"ascii.com/abcdefghijklmnopqrstuvwxyz.-+/~_0123456789\": invalid char '/'"],
  ["github.com/!google!cloud!platform!/omega","","malformed module path \"github.com/!google!cloud!platform!/omega\": invalid char '!'","","version \"github.com/!google!cloud!platform!/omega\" invalid: disallowed version string","","invalid escaped module path \"github.com/!google!cloud!platform!/omega\"","","invalid escaped version \"github.com/!google!cloud!platform!/omega\""],
  ["github.com/!0google!cloud!platform/omega","","malformed module path \"github.com/!0google!cloud!platform/omega\": invalid char '!'","","version \"github.com/!0google!cloud!platform/omega\" invalid: disallowed version string","","invalid escaped module path \"github.com/!0google!cloud!platform/omega\"","","invalid escaped version \"github.com/!0google!cloud!platform/omega\""],
  ["github.com/!_google!cloud!platform/omega","","malformed module path \"github.com/!_google!cloud!platform/omega\": invalid char '!'","","version \"github.com/!_google!cloud!platform/omega\" invalid: disallowed version string","","invalid escaped module path \"github.com/!_google!cloud!platform/omega\"","","invalid escaped version \"github.com/!_google!cloud!platform/omega\""],
  ["github.com/!!google!cloud!platform/omega","","malformed module path \"github.com/!!google!cloud!platform/omega\": invalid char '!'","","version \"github.com/!!google!cloud!platform/omega\" invalid: disallowed version string","","invalid escaped module path \"github.com/!!google!cloud!platform/omega\"","","invalid escaped version \"github.com/!!google!cloud!platform/omega\""],
  ["","","malformed module path \"\": empty string","","version \"\" invalid: disallowed version string","","invalid escaped module path \"\": malformed module path \"\": empty string","","invalid escaped version \"\": empty path element"],
  ["v1.0.0","v1.0.0","","v1.0.0","","v1.0.0","","v1.0.0",""],
  ["v1.0.0-RC1","","malformed module path \"v1.0.0-RC1\": invalid char 'R' in first path element","v1.0.0-!r!c1","","","invalid escaped module path \"v1.0.0-RC1\"","","invalid escaped version \"v1.0.0-RC1\""],
  ["v1.0.0-!rc1","","malformed module path \"v1.0.0-!rc1\": invalid char '!'","","version \"v1.0.0-!rc1\" invalid: disallowed version string","","invalid escaped module path \"v1.0.0-!rc1\": malformed module path \"v1.0.0-Rc1\": invalid char 'R' in first path element","v1.0.0-Rc1",""],
  ["V1.0.0","","malformed module path \"V1.0.0\": invalid char 'V' in first path element","!v1.0.0","","","invalid escaped module path \"V1.0.0\"","","invalid escaped version \"V1.0.0\""],
  ["v1.0.0/go.mod","v1.0.0/go.mod","","","version \"v1.0.0/go.mod\" invalid: disallowed version string","v1.0.0/go.mod","","","invalid escaped version \"v1.0.0/go.mod\": invalid char '/'"],
  ["..","","malformed module path \"..\": invalid path element \"..\"","","version \"..\" invalid: disallowed version string","","invalid escaped module path \"..\": malformed module path \"..\": invalid path element \"..\"","","invalid escaped version \"..\": invalid path element \"..\""],
  ["é","","malformed module path \"é\": invalid char 'é'","","internal error: inconsistency in EscapePath","","invalid escaped module path \"é\"","","invalid escaped version \"é\""],
  ["v1.0.0-é","","malformed module path \"v1.0.0-é\": invalid char 'é'","","internal error: inconsistency in EscapePath","","invalid escaped module path \"v1.0.0-é\"","","invalid escaped version \"v1.0.0-é\""],
  ["x.y/Z","x.y/!z","","","version \"x.y/Z\" invalid: disallowed version string","","invalid escaped module path \"x.y/Z\"","","invalid escaped version \"x.y/Z\""],
  ["X.y/z","","malformed module path \"X.y/z\": invalid char 'X' in first path element","","version \"X.y/z\" invalid: disallowed version string","","invalid escaped module path \"X.y/z\"","","invalid escaped version \"X.y/z\""],
  ["!x.y/z","","malformed module path \"!x.y/z\": invalid char '!'","","version \"!x.y/z\" invalid: disallowed version string","","invalid escaped module path \"!x.y/z\": malformed module path \"X.y/z\": invalid char 'X' in first path element","","invalid escaped version \"X.y/z\": invalid char '/'"],
  ["x.y/z!","","malformed module path \"x.y/z!\": invalid char '!'","","version \"x.y/z!\" invalid: disallowed version string","","invalid escaped module path \"x.y/z!\"","","invalid escaped version \"x.y/z!\""],
  ["x.y/!v2","","malformed module path \"x.y/!v2\": invalid char '!'","","version \"x.y/!v2\" invalid: disallowed version string","x.y/V2","","","invalid escaped version \"x.y/V2\": invalid char '/'"],
  ["!!","","malformed module path \"!!\": invalid char '!'","","version \"!!\" invalid: disallowed version string","","invalid escaped module path \"!!\"","","invalid escaped version \"!!\""],
  ["!","","malformed module path \"!\": invalid char '!'","","version \"!\" invalid: disallowed version string","","invalid escaped module path \"!\"","","invalid escaped version \"!\""],
  ["a!","","malformed module path \"a!\": invalid char '!'","","version \"a!\" invalid: disallowed version string","","invalid escaped module path \"a!\"","","invalid escaped version \"a!\""],
  ["v1.0.0+incompatible","","malformed module path \"v1.0.0+incompatible\": invalid char '+'","v1.0.0+incompatible","","","invalid escaped module path \"v1.0.0+incompatible\": malformed module path \"v1.0.0+incompatible\": invalid char '+'","v1.0.0+incompatible",""],
  ["CON","","malformed module path \"CON\": \"CON\" disallowed as path element component on Windows","","version \"CON\" invalid: disallowed version string","","invalid escaped module path \"CON\"","","invalid escaped version \"CON\""],
  ["!con","","malformed module path \"!con\": invalid char '!'","","version \"!con\" invalid: disallowed version string","","invalid escaped module path \"!con\": malformed module path \"Con\": \"Con\" disallowed as path element component on Windows","","invalid escaped version \"Con\": \"Con\" disallowed as path element component on Windows"],
  ["v1.0.0-!x!y","","malformed module path \"v1.0.0-!x!y\": invalid char '!'","","version \"v1.0.0-!x!y\" invalid: disallowed version string","","invalid escaped module path \"v1.0.0-!x!y\": malformed module path \"v1.0.0-XY\": invalid char 'X' in first path element","v1.0.0-XY",""],
  ["v2~1","","malformed module path \"v2~1\": trailing tilde and digits in path element","v2~1","","","invalid escaped module path \"v2~1\": malformed module path \"v2~1\": trailing tilde and digits in path element","v2~1",""],
  ["x.y/z~1","","malformed module path \"x.y/z~1\": trailing tilde and digits in path element","","version \"x.y/z~1\" invalid: disallowed version string","","invalid escaped module path \"x.y/z~1\": malformed module path \"x.y/z~1\": trailing tilde and digits in path element","","invalid escaped version \"x.y/z~1\": invalid char '/'"],
  ["x.y/K","","malformed module path \"x.y/K\": invalid char 'K'","","version \"x.y/K\" invalid: disallowed version string","","invalid escaped module path \"x.y/K\"","","invalid escaped version \"x.y/K\""],
];

test('escapePath, escapeVersion, unescapePath and unescapeVersion match x/mod', () => {
  for (const [s, ep, epErr, ev, evErr, up, upErr, uv, uvErr] of ESCAPES) {
    assert.deepEqual(run(() => escapePath(s)), [ep, epErr], `escapePath(${JSON.stringify(s)})`);
    assert.deepEqual(run(() => escapeVersion(s)), [ev, evErr], `escapeVersion(${JSON.stringify(s)})`);
    assert.deepEqual(run(() => unescapePath(s)), [up, upErr], `unescapePath(${JSON.stringify(s)})`);
    assert.deepEqual(run(() => unescapeVersion(s)), [uv, uvErr], `unescapeVersion(${JSON.stringify(s)})`);
  }
});

test('escaping errors are typed', () => {
  assert.throws(() => escapeVersion('v1!'), InvalidVersionError);
  assert.throws(() => unescapePath('A.b'), InvalidEscapeError);
});

const PATH_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~';
const elem = fc.string({ unit: fc.constantFrom(...PATH_CHARS), minLength: 1, maxLength: 8 });
const modulePath = fc
  .tuple(fc.string({ unit: fc.constantFrom(...'abcxyz019-.'), minLength: 1, maxLength: 8 }), fc.array(elem, { maxLength: 4 }))
  .map(([host, rest]) => ['a.' + host, ...rest].join('/'))
  .filter((p) => {
    try {
      checkPath(p);
      return true;
    } catch {
      return false;
    }
  });

test('unescapePath(escapePath(p)) is p for every valid module path', () => {
  fc.assert(
    fc.property(modulePath, (p) => {
      const e = escapePath(p);
      assert.match(e, /^[^A-Z]*$/);
      assert.equal(unescapePath(e), p);
    }),
    { numRuns: 2000 },
  );
});

test('escaping keeps paths that differ only in case distinct', () => {
  fc.assert(
    fc.property(modulePath, modulePath, (a, b) => {
      if (a !== b) assert.notEqual(escapePath(a), escapePath(b));
    }),
    { numRuns: 1000 },
  );
});
