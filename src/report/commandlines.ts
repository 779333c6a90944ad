/**
 * The lines of gomod-dl's own subcommands that go has no counterpart for: what `verify --repair`
 * did to each damaged entry and leftover, and what `export` wrote. go's own texts (go mod verify's
 * findings, `all modules verified`) stay go's; these follow the same `gomod-dl: ` form.
 */
import { ensureNewline, PROG } from './lines.js';

/** go mod verify's verdict when nothing is wrong (stdout). */
export const ALL_VERIFIED = 'all modules verified\n';

/** A leftover temp file written without a lock, too young to be proven dead. */
export function leftAloneLine(file: string): string {
  return `${PROG}: left ${file} alone: it is recent and may belong to a running go\n`;
}

/** A leftover of an interrupted writer, removed. */
export function removedLine(file: string): string {
  return `${PROG}: removed ${file}\n`;
}

/** How a damaged module version was put right. */
export type RepairKind = 'extracted again' | 're-downloaded' | 're-extracted from the cached zip';

/** A module version repaired. */
export function repairedModuleLine(path: string, version: string, how: RepairKind): string {
  return `${PROG}: repaired ${path} ${version} (${how})\n`;
}

/** A repair that failed, with the pipeline's error (go's text). */
export function repairFailedLine(path: string, version: string, err: unknown): string {
  return `${PROG}: repairing ${path} ${version}: ${ensureNewline(err instanceof Error ? err.message : String(err))}`;
}

/** export's closing line. */
export function exportedLine(modules: number, dir: string, added: number): string {
  return `${PROG}: exported ${modules} module versions to ${dir} (${added} new files)\n`;
}
