/**
 * `-overlay file`: go's virtual file system, `{"Replace": {"path": "actual path or \"\""}}`. go mod
 * download reads only a few files through it: go.mod and go.work (also when it looks for the module
 * root), go.sum and go.work.sum. (The module cache is read and written directly, and the check that
 * nothing beneath GOMODCACHE is replaced belongs to builds, work.BuildInit.)
 *
 * gomod-dl reads those files from disk, so an overlay that replaces none of them changes nothing and
 * is accepted, while one that replaces any of them is refused rather than silently ignored. The file
 * itself is read and decoded first, with go's errors.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/fsys/fsys.go (Init, initFromJSON)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (ReadModFile: fsys.Replaced)
 */
import nodePath from 'node:path';
import { FatalError } from '../internal/errors.js';
import { readFileAsGiven } from '../internal/goerrno.js';
import { JsonSyntaxError, parseJson, unmarshalTypeText, type JsonNode } from '../internal/gojsonparse.js';
import { compareGoStrings } from '../internal/gostrconv.js';

/** The files go mod download reads through the overlay. */
const READ_THROUGH_OVERLAY = new Set(['go.mod', 'go.work', 'go.sum', 'go.work.sum']);

/**
 * json.Unmarshal of the file into fsys.overlayJSON: the Replace map (a duplicate key's last value
 * wins, null is ""), or go's first type error.
 */
function overlayReplace(top: JsonNode): Map<string, string> {
  const out = new Map<string, string>();
  if (top.kind === 'null') return out;
  const typeError = (value: JsonNode, into: string): FatalError =>
    new FatalError('EOVERLAY', `parsing overlay JSON: ${unmarshalTypeText(value, into)}`);
  if (top.kind !== 'object') throw typeError(top, 'value of type fsys.overlayJSON');
  let first: FatalError | undefined;
  for (const [key, value] of top.members) {
    // encoding/json matches field names case-insensitively.
    if (key.toLowerCase() !== 'replace') continue;
    // null sets the map to nil; an object adds to the map decoded so far, as Unmarshal does.
    if (value.kind === 'null') {
      out.clear();
      continue;
    }
    if (value.kind !== 'object') {
      first ??= typeError(value, 'struct field overlayJSON.Replace of type map[string]string');
      continue;
    }
    for (const [from, to] of value.members) {
      if (to.kind === 'string') out.set(from, to.value);
      else if (to.kind === 'null') out.set(from, '');
      else first ??= typeError(to, 'struct field overlayJSON.Replace of type string');
    }
  }
  if (first !== undefined) throw first;
  return out;
}

/**
 * Checks `-overlay=file` (read relative to `cwd`, named as given); throws go's fatal error for a file
 * go cannot use, and gomod-dl's refusal for an overlay that would change what go reads.
 */
export function checkOverlay(file: string, cwd: string): void {
  let data: Buffer;
  try {
    data = readFileAsGiven(file, cwd);
  } catch (err) {
    throw new FatalError('EOVERLAY', `reading overlay: ${(err as Error).message}`, { cause: err });
  }
  let top: JsonNode;
  try {
    top = parseJson(data);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new FatalError('EOVERLAY', `parsing overlay JSON: ${err.message}`, { cause: err });
    throw err;
  }
  const replace = overlayReplace(top);
  // fsys.initFromJSON's checks, over the keys in sorted order.
  const keys = [...replace.keys()].sort(compareGoStrings);
  const seen = new Map<string, string>();
  const list: Array<{ from: string; to: string }> = [];
  for (const from of keys) {
    if (from === '') throw new FatalError('EOVERLAY', 'empty string key in overlay map');
    const abs = nodePath.resolve(cwd, from);
    const old = seen.get(abs);
    if (old !== undefined) throw new FatalError('EOVERLAY', `duplicate paths ${old} and ${from} in overlay map`);
    seen.set(abs, from);
    list.push({ from: abs, to: replace.get(from)! });
  }
  list.sort((x, y) => compareGoStrings(x.from, y.from));
  for (const [i, r] of list.entries()) {
    if (r.to === '') continue;
    const prefix = r.from + nodePath.sep;
    for (let j = i + 1; j < list.length && list[j]!.from.startsWith(prefix); j++) {
      const next = list[j]!;
      if (next.to !== '') throw new FatalError('EOVERLAY', `inconsistent files ${r.from} and ${next.from} in overlay map`);
    }
  }
  for (const { from } of list) {
    if (READ_THROUGH_OVERLAY.has(nodePath.basename(from))) {
      throw new FatalError('EUNSUPPORTED', `-overlay replaces ${from}: not supported (go would read the replacement; gomod-dl reads the files on disk)`);
    }
  }
}
