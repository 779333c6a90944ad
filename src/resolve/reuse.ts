/**
 * `go mod download -reuse=old.json`: the JSON of an earlier `-json` run, from which go may reuse a
 * module's answer when its Origin proves nothing changed.
 *
 * go refuses the flag inside a module, and otherwise reads and decodes the whole file before
 * listing anything: a file that cannot be read or decoded fails the run with nothing downloaded.
 * A module's answer is reused only when its repository confirms the Origin; a module proxy never does
 * (proxyRepo.CheckReuse always fails), so with a GOPROXY go downloads as if there were no file.
 * gomod-dl never reuses: for modules fetched directly from git it downloads again where go could
 * skip the download and print `"Reuse": true`.
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
import { readFileAsGiven } from '../internal/goerrno.js';
import { JsonSyntaxError, parseJsonStream, unmarshalTypeText } from '../internal/gojsonparse.js';

/**
 * Checks the -reuse file as go reads it, throwing go's fatal error. `file` is the flag's value (named
 * as given in messages), read relative to `cwd`; `inModule` is go's HasModRoot.
 */
export function checkReuseFile(file: string, cwd: string, inModule: boolean): void {
  if (inModule) throw new FatalError('EREUSE', 'go mod download -reuse cannot be used inside a module', { verbatim: true });
  let data: Buffer;
  try {
    data = readFileAsGiven(file, cwd);
  } catch (err) {
    throw new FatalError('EREUSE', (err as Error).message, { cause: err });
  }
  try {
    for (const v of parseJsonStream(data)) {
      if (v.kind !== 'object' && v.kind !== 'null') {
        throw new FatalError('EREUSE', `parsing ${file}: ${unmarshalTypeText(v, 'value of type modinfo.ModulePublic')}`);
      }
    }
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new FatalError('EREUSE', `parsing ${file}: ${err.message}`, { cause: err });
    throw err;
  }
}
