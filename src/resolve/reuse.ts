/**
 * `go mod download -reuse=old.json`: the JSON of an earlier `-json` run, from which go may reuse a
 * module's answer when its Origin proves nothing changed.
 *
 * go refuses the flag inside a module, and otherwise reads and decodes the whole file before
 * listing anything: a file that cannot be read or decoded fails the run with nothing downloaded.
 * A module's answer is reused only when its repository confirms the Origin (Querier.reusable); a
 * module proxy never does (proxyRepo.CheckReuse always fails), so with a GOPROXY go downloads as if
 * there were no file. A reused module is not downloaded: its -json record is the old one's path,
 * version and error, the Origin of this run's answer, and `"Reuse": true`.
 *
 * What is checked of the file is what a reader can get wrong by accident: that it is a stream of JSON
 * values with go's syntax errors, each an object (or null). The types of the fields inside an object
 * are not checked (go names a field of the wrong type, such as a number for "Path").
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/download.go (runDownload)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/list.go (ListModules)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/proxy.go (CheckReuse)
 */
import { FatalError } from '../internal/errors.js';
import { ORIGIN_FIELDS, type Origin } from '../module/index.js';
import { readFileAsGiven } from '../internal/goerrno.js';
import { JsonSyntaxError, parseJsonStream, unmarshalTypeText, type JsonNode } from '../internal/gojsonparse.js';

/** An earlier -json record go may reuse: the fields of modinfo.ModulePublic that reuse reads. */
export interface ReusableModule {
  readonly path: string;
  readonly version: string;
  readonly error?: string;
  readonly origin: Readonly<Origin>;
}

/** The -reuse file's records by `path@version` and `path@query`; later records win, as in go. */
export type ReuseMap = ReadonlyMap<string, ReusableModule>;

/**
 * Reads the -reuse file as go reads it, throwing go's fatal error. `file` is the flag's value (named
 * as given in messages), read relative to `cwd`; `inModule` is go's HasModRoot.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/list.go (ListModules)
 */
export function readReuseFile(file: string, cwd: string, inModule: boolean): ReuseMap {
  if (inModule) throw new FatalError('EREUSE', 'go mod download -reuse cannot be used inside a module', { verbatim: true });
  let data: Buffer;
  try {
    data = readFileAsGiven(file, cwd);
  } catch (err) {
    throw new FatalError('EREUSE', (err as Error).message, { cause: err });
  }
  const reuse = new Map<string, ReusableModule>();
  try {
    for (const v of parseJsonStream(data)) {
      if (v.kind === 'null') continue;
      if (v.kind !== 'object') {
        throw new FatalError('EREUSE', `parsing ${file}: ${unmarshalTypeText(v, 'value of type modinfo.ModulePublic')}`);
      }
      const originNode = member(v, 'Origin');
      if (originNode?.kind !== 'object') continue; // go keeps only records with an Origin
      const origin: Origin = {};
      // json.Unmarshal keeps only codehost.Origin's fields.
      for (const f of ORIGIN_FIELDS) {
        const s = stringMember(originNode, f);
        if (s !== '') origin[f] = s;
      }
      const errNode = member(v, 'Error');
      // modinfo.ModuleError decodes from a string or from {"Err": …}.
      const error = errNode?.kind === 'string' ? errNode.value : errNode?.kind === 'object' ? stringMember(errNode, 'Err') : '';
      const m: ReusableModule = {
        path: stringMember(v, 'Path'),
        version: stringMember(v, 'Version'),
        ...(errNode !== undefined && errNode.kind !== 'null' ? { error } : {}),
        origin,
      };
      reuse.set(`${m.path}@${m.version}`, m);
      const query = stringMember(v, 'Query');
      if (query !== '') reuse.set(`${m.path}@${query}`, m);
    }
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new FatalError('EREUSE', `parsing ${file}: ${err.message}`, { cause: err });
    throw err;
  }
  return reuse;
}

/** The member json.Unmarshal would store in field `name`: the last whose key matches it, case folded. */
function member(obj: Extract<JsonNode, { kind: 'object' }>, name: string): JsonNode | undefined {
  const lower = name.toLowerCase();
  let found: JsonNode | undefined;
  for (const [k, v] of obj.members) if (k.toLowerCase() === lower) found = v;
  return found;
}

function stringMember(obj: Extract<JsonNode, { kind: 'object' }>, name: string): string {
  const v = member(obj, name);
  return v?.kind === 'string' ? v.value : '';
}
