// Module, import and file path checks, checked against x/mod (Go 1.26's vendored copy) through a
// throwaway Go program: every expected text below is what x/mod printed for the same input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkPathReason } from '../../src/module/path.js';
import { goBytes } from '../../src/internal/gostrconv.js';
import {
  InvalidPathError,
  ModuleError,
  canonicalVersion,
  check,
  checkFilePath,
  checkImportPath,
  checkPath,
  checkPathMajor,
  matchPathMajor,
  splitPathVersion,
} from '../../src/module/index.js';

/** The message of the error fn throws, or "" if it returns. */
function errText(fn: () => unknown): string {
  try {
    fn();
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

// [path, CheckPath error, CheckImportPath error, CheckFilePath error, prefix, pathMajor, ok].
// Inputs: x/mod's module_test.go checkPathTests plus edge cases; "\udcff" stands for the byte 0xff.
type PathRow = [string, string, string, string, string, string, boolean];
const PATHS: PathRow[] = [
  ["x.y/z","","","","x.y/z","",true],
  ["x.y","","","","x.y","",true],
  ["","malformed module path \"\": empty string","malformed import path \"\": empty string","malformed file path \"\": empty string","","",true],
  ["x.y/\udcffz","malformed module path \"x.y/\\xffz\": invalid UTF-8","malformed import path \"x.y/\\xffz\": invalid UTF-8","malformed file path \"x.y/\\xffz\": invalid UTF-8","x.y/\udcffz","",true],
  ["/x.y/z","malformed module path \"/x.y/z\": empty path element","malformed import path \"/x.y/z\": empty path element","malformed file path \"/x.y/z\": empty path element","/x.y/z","",true],
  ["x./z","malformed module path \"x./z\": trailing dot in path element","malformed import path \"x./z\": trailing dot in path element","malformed file path \"x./z\": trailing dot in path element","x./z","",true],
  [".x/z","malformed module path \".x/z\": leading dot in path element","","",".x/z","",true],
  ["-x/z","malformed module path \"-x/z\": leading dash","malformed import path \"-x/z\": leading dash","","-x/z","",true],
  ["x..y/z","","","","x..y/z","",true],
  ["x.y/z/../../w","malformed module path \"x.y/z/../../w\": invalid path element \"..\"","malformed import path \"x.y/z/../../w\": invalid path element \"..\"","malformed file path \"x.y/z/../../w\": invalid path element \"..\"","x.y/z/../../w","",true],
  ["x.y//z","malformed module path \"x.y//z\": double slash","malformed import path \"x.y//z\": double slash","malformed file path \"x.y//z\": double slash","x.y//z","",true],
  ["x.y/z//w","malformed module path \"x.y/z//w\": double slash","malformed import path \"x.y/z//w\": double slash","malformed file path \"x.y/z//w\": double slash","x.y/z//w","",true],
  ["x.y/z/","malformed module path \"x.y/z/\": trailing slash","malformed import path \"x.y/z/\": trailing slash","malformed file path \"x.y/z/\": trailing slash","x.y/z/","",true],
  ["x.y/z/v0","malformed module path \"x.y/z/v0\": invalid version","","","x.y/z/v0","",false],
  ["x.y/z/v1","malformed module path \"x.y/z/v1\": invalid version","","","x.y/z/v1","",false],
  ["x.y/z/v2","","","","x.y/z","/v2",true],
  ["x.y/z/v2.0","malformed module path \"x.y/z/v2.0\": invalid version","","","x.y/z/v2.0","",false],
  ["X.y/z","malformed module path \"X.y/z\": invalid char 'X' in first path element","","","X.y/z","",true],
  ["!x.y/z","malformed module path \"!x.y/z\": invalid char '!'","malformed import path \"!x.y/z\": invalid char '!'","","!x.y/z","",true],
  ["_x.y/z","malformed module path \"_x.y/z\": invalid char '_' in first path element","","","_x.y/z","",true],
  ["x.y!/z","malformed module path \"x.y!/z\": invalid char '!'","malformed import path \"x.y!/z\": invalid char '!'","","x.y!/z","",true],
  ["x.y\"/z","malformed module path \"x.y\\\"/z\": invalid char '\"'","malformed import path \"x.y\\\"/z\": invalid char '\"'","malformed file path \"x.y\\\"/z\": invalid char '\"'","x.y\"/z","",true],
  ["x.y#/z","malformed module path \"x.y#/z\": invalid char '#'","malformed import path \"x.y#/z\": invalid char '#'","","x.y#/z","",true],
  ["x.y$/z","malformed module path \"x.y$/z\": invalid char '$'","malformed import path \"x.y$/z\": invalid char '$'","","x.y$/z","",true],
  ["x.y%/z","malformed module path \"x.y%/z\": invalid char '%'","malformed import path \"x.y%/z\": invalid char '%'","","x.y%/z","",true],
  ["x.y&/z","malformed module path \"x.y&/z\": invalid char '&'","malformed import path \"x.y&/z\": invalid char '&'","","x.y&/z","",true],
  ["x.y'/z","malformed module path \"x.y'/z\": invalid char '\\''","malformed import path \"x.y'/z\": invalid char '\\''","malformed file path \"x.y'/z\": invalid char '\\''","x.y'/z","",true],
  ["x.y(/z","malformed module path \"x.y(/z\": invalid char '('","malformed import path \"x.y(/z\": invalid char '('","","x.y(/z","",true],
  ["x.y)/z","malformed module path \"x.y)/z\": invalid char ')'","malformed import path \"x.y)/z\": invalid char ')'","","x.y)/z","",true],
  ["x.y*/z","malformed module path \"x.y*/z\": invalid char '*'","malformed import path \"x.y*/z\": invalid char '*'","malformed file path \"x.y*/z\": invalid char '*'","x.y*/z","",true],
  ["x.y+/z","malformed module path \"x.y+/z\": invalid char '+'","","","x.y+/z","",true],
  ["x.y,/z","malformed module path \"x.y,/z\": invalid char ','","malformed import path \"x.y,/z\": invalid char ','","","x.y,/z","",true],
  ["x.y-/z","","","","x.y-/z","",true],
  ["x.y./zt","malformed module path \"x.y./zt\": trailing dot in path element","malformed import path \"x.y./zt\": trailing dot in path element","malformed file path \"x.y./zt\": trailing dot in path element","x.y./zt","",true],
  ["x.y:/z","malformed module path \"x.y:/z\": invalid char ':'","malformed import path \"x.y:/z\": invalid char ':'","malformed file path \"x.y:/z\": invalid char ':'","x.y:/z","",true],
  ["x.y;/z","malformed module path \"x.y;/z\": invalid char ';'","malformed import path \"x.y;/z\": invalid char ';'","malformed file path \"x.y;/z\": invalid char ';'","x.y;/z","",true],
  ["x.y</z","malformed module path \"x.y</z\": invalid char '<'","malformed import path \"x.y</z\": invalid char '<'","malformed file path \"x.y</z\": invalid char '<'","x.y</z","",true],
  ["x.y=/z","malformed module path \"x.y=/z\": invalid char '='","malformed import path \"x.y=/z\": invalid char '='","","x.y=/z","",true],
  ["x.y>/z","malformed module path \"x.y>/z\": invalid char '>'","malformed import path \"x.y>/z\": invalid char '>'","malformed file path \"x.y>/z\": invalid char '>'","x.y>/z","",true],
  ["x.y?/z","malformed module path \"x.y?/z\": invalid char '?'","malformed import path \"x.y?/z\": invalid char '?'","malformed file path \"x.y?/z\": invalid char '?'","x.y?/z","",true],
  ["x.y@/z","malformed module path \"x.y@/z\": invalid char '@'","malformed import path \"x.y@/z\": invalid char '@'","","x.y@/z","",true],
  ["x.y[/z","malformed module path \"x.y[/z\": invalid char '['","malformed import path \"x.y[/z\": invalid char '['","","x.y[/z","",true],
  ["x.y\\/z","malformed module path \"x.y\\\\/z\": invalid char '\\\\'","malformed import path \"x.y\\\\/z\": invalid char '\\\\'","malformed file path \"x.y\\\\/z\": invalid char '\\\\'","x.y\\/z","",true],
  ["x.y]/z","malformed module path \"x.y]/z\": invalid char ']'","malformed import path \"x.y]/z\": invalid char ']'","","x.y]/z","",true],
  ["x.y^/z","malformed module path \"x.y^/z\": invalid char '^'","malformed import path \"x.y^/z\": invalid char '^'","","x.y^/z","",true],
  ["x.y_/z","malformed module path \"x.y_/z\": invalid char '_' in first path element","","","x.y_/z","",true],
  ["x.y`/z","malformed module path \"x.y`/z\": invalid char '`'","malformed import path \"x.y`/z\": invalid char '`'","malformed file path \"x.y`/z\": invalid char '`'","x.y`/z","",true],
  ["x.y{/z","malformed module path \"x.y{/z\": invalid char '{'","malformed import path \"x.y{/z\": invalid char '{'","","x.y{/z","",true],
  ["x.y}/z","malformed module path \"x.y}/z\": invalid char '}'","malformed import path \"x.y}/z\": invalid char '}'","","x.y}/z","",true],
  ["x.y~/z","malformed module path \"x.y~/z\": invalid char '~' in first path element","","","x.y~/z","",true],
  ["x.y/z!","malformed module path \"x.y/z!\": invalid char '!'","malformed import path \"x.y/z!\": invalid char '!'","","x.y/z!","",true],
  ["x.y/z\"","malformed module path \"x.y/z\\\"\": invalid char '\"'","malformed import path \"x.y/z\\\"\": invalid char '\"'","malformed file path \"x.y/z\\\"\": invalid char '\"'","x.y/z\"","",true],
  ["x.y/z#","malformed module path \"x.y/z#\": invalid char '#'","malformed import path \"x.y/z#\": invalid char '#'","","x.y/z#","",true],
  ["x.y/z$","malformed module path \"x.y/z$\": invalid char '$'","malformed import path \"x.y/z$\": invalid char '$'","","x.y/z$","",true],
  ["x.y/z%","malformed module path \"x.y/z%\": invalid char '%'","malformed import path \"x.y/z%\": invalid char '%'","","x.y/z%","",true],
  ["x.y/z&","malformed module path \"x.y/z&\": invalid char '&'","malformed import path \"x.y/z&\": invalid char '&'","","x.y/z&","",true],
  ["x.y/z'","malformed module path \"x.y/z'\": invalid char '\\''","malformed import path \"x.y/z'\": invalid char '\\''","malformed file path \"x.y/z'\": invalid char '\\''","x.y/z'","",true],
  ["x.y/z(","malformed module path \"x.y/z(\": invalid char '('","malformed import path \"x.y/z(\": invalid char '('","","x.y/z(","",true],
  ["x.y/z)","malformed module path \"x.y/z)\": invalid char ')'","malformed import path \"x.y/z)\": invalid char ')'","","x.y/z)","",true],
  ["x.y/z*","malformed module path \"x.y/z*\": invalid char '*'","malformed import path \"x.y/z*\": invalid char '*'","malformed file path \"x.y/z*\": invalid char '*'","x.y/z*","",true],
  ["x.y/z+","malformed module path \"x.y/z+\": invalid char '+'","","","x.y/z+","",true],
  ["x.y/z,","malformed module path \"x.y/z,\": invalid char ','","malformed import path \"x.y/z,\": invalid char ','","","x.y/z,","",true],
  ["x.y/z-","","","","x.y/z-","",true],
  ["x.y/z.t","","","","x.y/z.t","",true],
  ["x.y/z/t","","","","x.y/z/t","",true],
  ["x.y/z:","malformed module path \"x.y/z:\": invalid char ':'","malformed import path \"x.y/z:\": invalid char ':'","malformed file path \"x.y/z:\": invalid char ':'","x.y/z:","",true],
  ["x.y/z;","malformed module path \"x.y/z;\": invalid char ';'","malformed import path \"x.y/z;\": invalid char ';'","malformed file path \"x.y/z;\": invalid char ';'","x.y/z;","",true],
  ["x.y/z<","malformed module path \"x.y/z<\": invalid char '<'","malformed import path \"x.y/z<\": invalid char '<'","malformed file path \"x.y/z<\": invalid char '<'","x.y/z<","",true],
  ["x.y/z=","malformed module path \"x.y/z=\": invalid char '='","malformed import path \"x.y/z=\": invalid char '='","","x.y/z=","",true],
  ["x.y/z>","malformed module path \"x.y/z>\": invalid char '>'","malformed import path \"x.y/z>\": invalid char '>'","malformed file path \"x.y/z>\": invalid char '>'","x.y/z>","",true],
  ["x.y/z?","malformed module path \"x.y/z?\": invalid char '?'","malformed import path \"x.y/z?\": invalid char '?'","malformed file path \"x.y/z?\": invalid char '?'","x.y/z?","",true],
  ["x.y/z@","malformed module path \"x.y/z@\": invalid char '@'","malformed import path \"x.y/z@\": invalid char '@'","","x.y/z@","",true],
  ["x.y/z[","malformed module path \"x.y/z[\": invalid char '['","malformed import path \"x.y/z[\": invalid char '['","","x.y/z[","",true],
  ["x.y/z\\","malformed module path \"x.y/z\\\\\": invalid char '\\\\'","malformed import path \"x.y/z\\\\\": invalid char '\\\\'","malformed file path \"x.y/z\\\\\": invalid char '\\\\'","x.y/z\\","",true],
  ["x.y/z]","malformed module path \"x.y/z]\": invalid char ']'","malformed import path \"x.y/z]\": invalid char ']'","","x.y/z]","",true],
  ["x.y/z^","malformed module path \"x.y/z^\": invalid char '^'","malformed import path \"x.y/z^\": invalid char '^'","","x.y/z^","",true],
  ["x.y/z_","","","","x.y/z_","",true],
  ["x.y/z`","malformed module path \"x.y/z`\": invalid char '`'","malformed import path \"x.y/z`\": invalid char '`'","malformed file path \"x.y/z`\": invalid char '`'","x.y/z`","",true],
  ["x.y/z{","malformed module path \"x.y/z{\": invalid char '{'","malformed import path \"x.y/z{\": invalid char '{'","","x.y/z{","",true],
  ["x.y/z}","malformed module path \"x.y/z}\": invalid char '}'","malformed import path \"x.y/z}\": invalid char '}'","","x.y/z}","",true],
  ["x.y/z~","","","","x.y/z~","",true],
  ["x.y/x.foo","","","","x.y/x.foo","",true],
  ["x.y/aux.foo","malformed module path \"x.y/aux.foo\": \"aux\" disallowed as path element component on Windows","malformed import path \"x.y/aux.foo\": \"aux\" disallowed as path element component on Windows","malformed file path \"x.y/aux.foo\": \"aux\" disallowed as path element component on Windows","x.y/aux.foo","",true],
  ["x.y/prn","malformed module path \"x.y/prn\": \"prn\" disallowed as path element component on Windows","malformed import path \"x.y/prn\": \"prn\" disallowed as path element component on Windows","malformed file path \"x.y/prn\": \"prn\" disallowed as path element component on Windows","x.y/prn","",true],
  ["x.y/prn2","","","","x.y/prn2","",true],
  ["x.y/com","","","","x.y/com","",true],
  ["x.y/com1","malformed module path \"x.y/com1\": \"com1\" disallowed as path element component on Windows","malformed import path \"x.y/com1\": \"com1\" disallowed as path element component on Windows","malformed file path \"x.y/com1\": \"com1\" disallowed as path element component on Windows","x.y/com1","",true],
  ["x.y/com1.txt","malformed module path \"x.y/com1.txt\": \"com1\" disallowed as path element component on Windows","malformed import path \"x.y/com1.txt\": \"com1\" disallowed as path element component on Windows","malformed file path \"x.y/com1.txt\": \"com1\" disallowed as path element component on Windows","x.y/com1.txt","",true],
  ["x.y/calm1","","","","x.y/calm1","",true],
  ["github.com/!123/logrus","malformed module path \"github.com/!123/logrus\": invalid char '!'","malformed import path \"github.com/!123/logrus\": invalid char '!'","","github.com/!123/logrus","",true],
  ["github.com/user/unicode/испытание","malformed module path \"github.com/user/unicode/испытание\": invalid char 'и'","malformed import path \"github.com/user/unicode/испытание\": invalid char 'и'","","github.com/user/unicode/испытание","",true],
  ["../x","malformed module path \"../x\": invalid path element \"..\"","malformed import path \"../x\": invalid path element \"..\"","malformed file path \"../x\": invalid path element \"..\"","../x","",true],
  ["./y","malformed module path \"./y\": invalid path element \".\"","malformed import path \"./y\": invalid path element \".\"","malformed file path \"./y\": invalid path element \".\"","./y","",true],
  ["x:y","malformed module path \"x:y\": invalid char ':'","malformed import path \"x:y\": invalid char ':'","malformed file path \"x:y\": invalid char ':'","x:y","",true],
  ["\\temp\\foo","malformed module path \"\\\\temp\\\\foo\": invalid char '\\\\'","malformed import path \"\\\\temp\\\\foo\": invalid char '\\\\'","malformed file path \"\\\\temp\\\\foo\": invalid char '\\\\'","\\temp\\foo","",true],
  [".gitignore","malformed module path \".gitignore\": leading dot in path element","","",".gitignore","",true],
  [".github/ISSUE_TEMPLATE","malformed module path \".github/ISSUE_TEMPLATE\": leading dot in path element","","",".github/ISSUE_TEMPLATE","",true],
  ["x☺y","malformed module path \"x☺y\": invalid char '☺'","malformed import path \"x☺y\": invalid char '☺'","malformed file path \"x☺y\": invalid char '☺'","x☺y","",true],
  ["x.y/z~0","malformed module path \"x.y/z~0\": trailing tilde and digits in path element","malformed import path \"x.y/z~0\": trailing tilde and digits in path element","","x.y/z~0","",true],
  ["x.y/z09~09z","","","","x.y/z09~09z","",true],
  ["x.y/z~a","","","","x.y/z~a","",true],
  ["x.y/Lpt9.x","malformed module path \"x.y/Lpt9.x\": \"Lpt9\" disallowed as path element component on Windows","malformed import path \"x.y/Lpt9.x\": \"Lpt9\" disallowed as path element component on Windows","malformed file path \"x.y/Lpt9.x\": \"Lpt9\" disallowed as path element component on Windows","x.y/Lpt9.x","",true],
  ["x.y/cOm0","","","","x.y/cOm0","",true],
  ["x.y/z/v02","malformed module path \"x.y/z/v02\": invalid version","","","x.y/z/v02","",false],
  ["x.y/z/v10","","","","x.y/z","/v10",true],
  ["x.y/v","","","","x.y/v","",true],
  ["gopkg.in/yaml.v0","","","","gopkg.in/yaml",".v0",true],
  ["gopkg.in/yaml.v1","","","","gopkg.in/yaml",".v1",true],
  ["gopkg.in/yaml.v2-unstable","","","","gopkg.in/yaml",".v2-unstable",true],
  ["gopkg.in/yaml.v01","malformed module path \"gopkg.in/yaml.v01\": invalid version","","","gopkg.in/yaml.v01","",false],
  ["gopkg.in/yaml","malformed module path \"gopkg.in/yaml\": invalid version","","","gopkg.in/yaml","",false],
  ["gopkg.in/yaml.v2/sub","malformed module path \"gopkg.in/yaml.v2/sub\": invalid version","","","gopkg.in/yaml.v2/sub","",false],
  ["x.y/a\tb","malformed module path \"x.y/a\\tb\": invalid char '\\t'","malformed import path \"x.y/a\\tb\": invalid char '\\t'","malformed file path \"x.y/a\\tb\": invalid char '\\t'","x.y/a\tb","",true],
  ["x.y/a b","malformed module path \"x.y/a b\": invalid char ' '","malformed import path \"x.y/a b\": invalid char ' '","","x.y/a b","",true],
  ["x.y/ ","malformed module path \"x.y/\\u00a0\": invalid char '\\u00a0'","malformed import path \"x.y/\\u00a0\": invalid char '\\u00a0'","malformed file path \"x.y/\\u00a0\": invalid char '\\u00a0'","x.y/ ","",true],
  ["x.y/é","malformed module path \"x.y/é\": invalid char 'é'","malformed import path \"x.y/é\": invalid char 'é'","","x.y/é","",true],
  ["x.y/́","malformed module path \"x.y/́\": invalid char '́'","malformed import path \"x.y/́\": invalid char '́'","malformed file path \"x.y/́\": invalid char '́'","x.y/́","",true],
  ["x.y/😀","malformed module path \"x.y/😀\": invalid char '😀'","malformed import path \"x.y/😀\": invalid char '😀'","malformed file path \"x.y/😀\": invalid char '😀'","x.y/😀","",true],
  ["x.y/Ⅰ","malformed module path \"x.y/Ⅰ\": invalid char 'Ⅰ'","malformed import path \"x.y/Ⅰ\": invalid char 'Ⅰ'","malformed file path \"x.y/Ⅰ\": invalid char 'Ⅰ'","x.y/Ⅰ","",true],
  ["x.y/𐵊","malformed module path \"x.y/\\U00010d4a\": invalid char '\\U00010d4a'","malformed import path \"x.y/\\U00010d4a\": invalid char '\\U00010d4a'","malformed file path \"x.y/\\U00010d4a\": invalid char '\\U00010d4a'","x.y/𐵊","",true],
  ["x.y/...","malformed module path \"x.y/...\": invalid path element \"...\"","malformed import path \"x.y/...\": invalid path element \"...\"","malformed file path \"x.y/...\": invalid path element \"...\"","x.y/...","",true],
  ["x.y/z/...","malformed module path \"x.y/z/...\": invalid path element \"...\"","malformed import path \"x.y/z/...\": invalid path element \"...\"","malformed file path \"x.y/z/...\": invalid path element \"...\"","x.y/z/...","",true],
  ["a.b/c.","malformed module path \"a.b/c.\": trailing dot in path element","malformed import path \"a.b/c.\": trailing dot in path element","malformed file path \"a.b/c.\": trailing dot in path element","a.b/c.","",true],
  ["-x.y","malformed module path \"-x.y\": leading dash","malformed import path \"-x.y\": leading dash","","-x.y","",true],
  ["x.y/-z","","","","x.y/-z","",true],
  ["x.y/z-/v2","","","","x.y/z-","/v2",true],
  ["example.com/m/v2.0.1","malformed module path \"example.com/m/v2.0.1\": invalid version","","","example.com/m/v2.0.1","",false],
  [".x.y/z","malformed module path \".x.y/z\": leading dot in path element","","",".x.y/z","",true],
  ["x.Y/z","malformed module path \"x.Y/z\": invalid char 'Y' in first path element","","","x.Y/z","",true],
  ["1.2/z","","","","1.2/z","",true],
  ["x.y/","malformed module path \"x.y/\\x7f\": invalid char '\\x7f'","malformed import path \"x.y/\\x7f\": invalid char '\\x7f'","malformed file path \"x.y/\\x7f\": invalid char '\\x7f'","x.y/","",true],
  ["x.y/K","malformed module path \"x.y/K\": invalid char 'K'","malformed import path \"x.y/K\": invalid char 'K'","","x.y/K","",true],
];

test('checkPath, checkImportPath and checkFilePath give x/mod texts for every path', () => {
  for (const [p, mod, imp, file] of PATHS) {
    assert.equal(errText(() => checkPath(p)), mod, `checkPath(${JSON.stringify(p)})`);
    assert.equal(errText(() => checkImportPath(p)), imp, `checkImportPath(${JSON.stringify(p)})`);
    assert.equal(errText(() => checkFilePath(p)), file, `checkFilePath(${JSON.stringify(p)})`);
  }
});

test('splitPathVersion splits the major-version suffix as x/mod does', () => {
  for (const [p, , , , prefix, pathMajor, ok] of PATHS) {
    assert.deepEqual(splitPathVersion(p), { prefix, pathMajor, ok }, p);
  }
});

test('path checks throw InvalidPathError with kind, path and reason', () => {
  assert.throws(
    () => checkPath('x.y/z+'),
    (err: unknown) =>
      err instanceof InvalidPathError &&
      err.code === 'ERR_INVALID_PATH' &&
      err.kind === 'module' &&
      err.path === 'x.y/z+' &&
      err.reason === "invalid char '+'",
  );
});

test('checkFilePath takes raw bytes and reports invalid UTF-8 with \\x escapes', () => {
  assert.equal(errText(() => checkFilePath(goBytes('a/\udcff.go'))), 'malformed file path "a/\\xff.go": invalid UTF-8');
  assert.equal(errText(() => checkFilePath(new Uint8Array([0xff]))), 'malformed file path "\\xff": invalid UTF-8');
  assert.equal(errText(() => checkFilePath(new TextEncoder().encode('dir/ü.go'))), '');
});

// [path, version, Check error, CanonicalVersion(version)]; inputs from module_test.go checkTests.
const CHECKS: Array<[string, string, string, string]> = [
  ["rsc.io/quote","0.1.0","rsc.io/quote@0.1.0: invalid version: not a semantic version",""],
  ["rsc io/quote","v1.0.0","malformed module path \"rsc io/quote\": invalid char ' '","v1.0.0"],
  ["github.com/go-yaml/yaml","v0.8.0","","v0.8.0"],
  ["github.com/go-yaml/yaml","v1.0.0","","v1.0.0"],
  ["github.com/go-yaml/yaml","v2.0.0","github.com/go-yaml/yaml@v2.0.0: invalid version: should be v0 or v1, not v2","v2.0.0"],
  ["github.com/go-yaml/yaml","v2.1.5","github.com/go-yaml/yaml@v2.1.5: invalid version: should be v0 or v1, not v2","v2.1.5"],
  ["github.com/go-yaml/yaml","v3.0.0","github.com/go-yaml/yaml@v3.0.0: invalid version: should be v0 or v1, not v3","v3.0.0"],
  ["github.com/go-yaml/yaml/v2","v1.0.0","github.com/go-yaml/yaml/v2@v1.0.0: invalid version: should be v2, not v1","v1.0.0"],
  ["github.com/go-yaml/yaml/v2","v2.0.0","","v2.0.0"],
  ["github.com/go-yaml/yaml/v2","v2.1.5","","v2.1.5"],
  ["github.com/go-yaml/yaml/v2","v3.0.0","github.com/go-yaml/yaml/v2@v3.0.0: invalid version: should be v2, not v3","v3.0.0"],
  ["gopkg.in/yaml.v0","v0.8.0","","v0.8.0"],
  ["gopkg.in/yaml.v0","v1.0.0","gopkg.in/yaml.v0@v1.0.0: invalid version: should be v0, not v1","v1.0.0"],
  ["gopkg.in/yaml.v0","v2.0.0","gopkg.in/yaml.v0@v2.0.0: invalid version: should be v0, not v2","v2.0.0"],
  ["gopkg.in/yaml.v1","v0.8.0","gopkg.in/yaml.v1@v0.8.0: invalid version: should be v1, not v0","v0.8.0"],
  ["gopkg.in/yaml.v1","v1.0.0","","v1.0.0"],
  ["gopkg.in/yaml.v1","v2.0.0","gopkg.in/yaml.v1@v2.0.0: invalid version: should be v1, not v2","v2.0.0"],
  ["gopkg.in/check.v1","v0.0.0","gopkg.in/check.v1@v0.0.0: invalid version: should be v1, not v0","v0.0.0"],
  ["gopkg.in/check.v1","v0.0.0-20160102150405-abcdef123456","","v0.0.0-20160102150405-abcdef123456"],
  ["gopkg.in/yaml.v2","v1.0.0","gopkg.in/yaml.v2@v1.0.0: invalid version: should be v2, not v1","v1.0.0"],
  ["gopkg.in/yaml.v2","v2.0.0","","v2.0.0"],
  ["gopkg.in/yaml.v2","v2.1.5","","v2.1.5"],
  ["gopkg.in/yaml.v2","v3.0.0","gopkg.in/yaml.v2@v3.0.0: invalid version: should be v2, not v3","v3.0.0"],
  ["rsc.io/quote","v17.0.0","rsc.io/quote@v17.0.0: invalid version: should be v0 or v1, not v17","v17.0.0"],
  ["rsc.io/quote","v17.0.0+incompatible","","v17.0.0+incompatible"],
  ["gopkg.in/yaml.v2-unstable","v2.0.0","","v2.0.0"],
  ["gopkg.in/yaml.v2-unstable","v3.0.0","gopkg.in/yaml.v2-unstable@v3.0.0: invalid version: should be v2, not v3","v3.0.0"],
  ["rsc.io/quote","v1.2.3+meta","","v1.2.3"],
  ["rsc.io/quote","v1.2","","v1.2.0"],
  ["rsc.io/quote/v2","v2.0.0+incompatible","","v2.0.0+incompatible"],
  ["rsc.io/quote","bad","rsc.io/quote@bad: invalid version: not a semantic version",""],
  ["rsc.io/quote","v1.0.0-pre+incompatible","","v1.0.0-pre+incompatible"],
  ["rsc.io/quote","v2+incompatible","rsc.io/quote@v2+incompatible: invalid version: not a semantic version",""],
];

test('check accepts or rejects each module version with x/mod texts', () => {
  for (const [p, v, want] of CHECKS) assert.equal(errText(() => check(p, v)), want, `${p}@${v}`);
});

test('check wraps version problems in ModuleError', () => {
  assert.throws(() => check('rsc.io/quote', 'v17.0.0'), ModuleError);
  assert.throws(() => check('rsc io/quote', 'v1.0.0'), InvalidPathError);
});

test('canonicalVersion keeps +incompatible and drops other build suffixes', () => {
  for (const [, v, , want] of CHECKS) assert.equal(canonicalVersion(v), want, v);
});

// [version, pathMajor, CheckPathMajor error]; inputs from module_test.go TestMatchPathMajor plus more.
const PATH_MAJORS: Array<[string, string, string]> = [
  ["v0.0.0","",""],
  ["v0.0.0","/v2","version \"v0.0.0\" invalid: should be v2, not v0"],
  ["v0.0.0",".v0",""],
  ["v0.0.0-20190510104115-cbcb75029529",".v1",""],
  ["v1.0.0","/v2","version \"v1.0.0\" invalid: should be v2, not v1"],
  ["v1.0.0",".v1",""],
  ["v1.0.0",".v1-unstable",""],
  ["v2.0.0+incompatible","",""],
  ["v2.0.0","","version \"v2.0.0\" invalid: should be v0 or v1, not v2"],
  ["v2.0.0","/v2",""],
  ["v2.0.0",".v2",""],
  ["v3.0.0","/v2","version \"v3.0.0\" invalid: should be v2, not v3"],
  ["bad","","version \"bad\" invalid: should be v0 or v1, not "],
  ["bad","/v2","version \"bad\" invalid: should be v2, not "],
  ["v2.0.0+meta","","version \"v2.0.0+meta\" invalid: should be v0 or v1, not v2"],
  ["v0.0.0-x","/v1","version \"v0.0.0-x\" invalid: should be v1, not v0"],
  ["v1.0.0","v1","version \"v1.0.0\" invalid: should be v1, not v1"],
];

test('checkPathMajor and matchPathMajor agree with x/mod', () => {
  for (const [v, pm, want] of PATH_MAJORS) {
    assert.equal(errText(() => checkPathMajor(v, pm)), want, `${v} ${pm}`);
    assert.equal(matchPathMajor(v, pm), want === '', `${v} ${pm}`);
  }
});

test('checkFilePath\'s fast path agrees with the rule-by-rule check on generated paths', () => {
  const part = fc.constantFrom('a', 'Z', '0', '.', '..', '_', '~', '+', '-', '/', '//', 'con', 'COM1', 'lpt9', 'aux.go', 'nul', ' ', '!', '\u00e9', '\udcff', 'x~1', 'go.mod');
  let passed = 0;
  fc.assert(
    fc.property(fc.array(part, { minLength: 1, maxLength: 8 }), (parts) => {
      const p = parts.join('');
      const want = checkPathReason(p, 'file');
      const got = errText(() => checkFilePath(p));
      if (want === '') passed++;
      assert.equal(got === '' ? '' : got.replace(/^malformed file path "[^\n]*": /, ''), want, JSON.stringify(p));
    }),
    { numRuns: 5000 },
  );
  assert.ok(passed > 500, `only ${passed} valid paths generated`);
});
