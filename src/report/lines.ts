/**
 * The lines a command prints on stderr where go prints `go: …`: the program's name in front of go's
 * message, go's log rule for the final newline, the per-module error lines, the fatal error of a run
 * and the nothing-to-do message. Lower layers hand up messages (go's texts) and errors; only report/
 * and cli/ turn them into lines, so the bytes stay go's with `go` replaced by {@link PROG}.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/base/base.go (Errorf, Fatalf)
 */
import type { FatalError } from '../internal/errors.js';

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
  return err.verbatim ? ensureNewline(err.message) : errorLine(err.message);
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
