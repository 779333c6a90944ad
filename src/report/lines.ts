/**
 * The lines a command prints on stderr where go prints `go: …`: the program's name in front of go's
 * message, go's log rule for the final newline, the per-module error lines, the fatal error of a run
 * and the nothing-to-do message. Lower layers hand up messages (go's texts) and errors; only report/
 * and cli/ turn them into lines, so the bytes stay go's with `go` replaced by {@link PROG}.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/base/base.go (Errorf, Fatalf)
 */
import type { FatalError } from '../internal/errors.js';
import type { UnknownHashes } from '../modfetch/gosum.js';

/** The program name that prefixes error lines where go writes `go: `. */
export const PROG = 'gomod-dl';

/** go's log adds a newline only when the message does not end in one. */
export function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : s + '\n';
}

/** An error line: `gomod-dl: <message>` (go's `base.Errorf`, `log.Print` of `go: <message>`). */
export function errorLine(message: string): string {
  return `${PROG}: ${ensureNewline(message)}`;
}

/** A line of go's own text (the resolver's `go: …` notes and warnings) with gomod-dl's name where go writes `go: `. */
export function progLine(line: string): string {
  return ensureNewline(line.startsWith('go: ') ? `${PROG}: ${line.slice(4)}` : line);
}

/** The line a fatal error prints: `gomod-dl: <message>` or the verbatim text, ending in a newline. */
export function fatalText(err: FatalError): string {
  if (err.verbatim) return ensureNewline(err.message);
  return err.parts !== undefined ? err.parts.map(errorLine).join('') : errorLine(err.message);
}

/**
 * The message of a run with nothing to download: go's `no module dependencies to download` (exit 0)
 * as the resolver words it, or `no modules specified` pointing at gomod-dl's help instead of go's.
 */
export function nothingToDoLine(n: { readonly message: string; readonly exitCode: number }): string {
  return progLine(n.exitCode === 0 ? n.message : `go: no modules specified (see '${PROG} --help')`);
}

/** The -x line for a dead run's work directory removed at start-up. */
export function sweptWorkDirLine(dir: string): string {
  return `# ${PROG}: removed ${dir} (its run is gone)\n`;
}

/** The -x line for a repair of a damaged cache entry (modfetch/'s Downloader reports `what`). */
export function repairedLine(what: string): string {
  return `# ${PROG}: repaired ${what}\n`;
}

/**
 * go's line for a `.info` it could not write (a Time json.Marshal refuses, such as a UTC offset of
 * 24 hours): a warning, after which the run goes on without the file.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/cache.go (cachingRepo.Stat)
 */
export function statCacheWarning(err: Error): string {
  return errorLine(`writing stat cache: ${err.message}`);
}

/** go's warning when a fetched go.mod cannot be written to the cache (the run goes on). */
export function goModCacheWarning(err: Error): string {
  return errorLine(`writing go.mod cache: ${err.message}`);
}

/** go's line for a zip that breaks the module zip rules, printed as it happens (modfetch's unzip). */
export function unzipErrorLine(err: Error): string {
  return `-> ${err.message}\n`;
}

/**
 * go's warning for a go.sum line whose hashes are all of an unknown algorithm.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go (checkModSum, HashVersionMismatch)
 */
export function unknownHashesWarning(w: UnknownHashes): string {
  return `warning: verifying ${w.path}@${w.version}: unknown hashes in go.sum: ${w.existing.join(', ')}; adding ${w.hash}` + HASH_VERSION_MISMATCH;
}

const HASH_VERSION_MISMATCH = `

SECURITY WARNING
This download is listed in go.sum, but using an unknown hash algorithm.
The download cannot be verified.

For more information, see 'go help module-auth'.

`;
