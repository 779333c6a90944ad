/**
 * Whether and how much colour to use on stderr, decided once per run, and the few styles gomod-dl uses.
 *
 * Order of precedence (first that applies wins):
 * 1. `--color=never` / `--color=always`.
 * 2. NO_COLOR set to anything but the empty string: no colour (https://no-color.org).
 * 3. FORCE_COLOR: `0` or `false` no colour; `1`, `true` or empty 16 colours; `2` 256; `3` truecolor.
 * 4. TERM=dumb: no colour.
 * 5. Colour (16 colours) only when stderr is a terminal.
 */
import { Chalk, type ChalkInstance } from 'chalk';

/** The `--color` setting. */
export type When = 'auto' | 'always' | 'never';

/** chalk's levels: 0 none, 1 basic 16 colours, 2 256 colours, 3 truecolor. */
export type ColourLevel = 0 | 1 | 2 | 3;

/** The colour level for stderr under `--color=<when>` and the environment. */
export function colourLevel(when: When, env: NodeJS.ProcessEnv, isTTY: boolean): ColourLevel {
  if (when === 'never') return 0;
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  const force = forceLevel(env['FORCE_COLOR']);
  if (when === 'always') return noColor ? 1 : Math.max(force ?? 1, 1) as ColourLevel;
  if (noColor) return 0;
  if (force !== undefined) return force;
  if (env['TERM'] === 'dumb') return 0;
  return isTTY ? 1 : 0;
}

function forceLevel(v: string | undefined): ColourLevel | undefined {
  if (v === undefined) return undefined;
  if (v === '' || v === 'true' || v === '1') return 1;
  if (v === '0' || v === 'false') return 0;
  if (v === '2') return 2;
  if (v === '3') return 3;
  return undefined;
}

/** The styles of gomod-dl's output; every one is the identity at level 0. */
export interface Styles {
  /** The `gomod-dl:` of an error line. */
  error: (s: string) => string;
  /** `SECURITY ERROR` / `SECURITY WARNING` headings. */
  alarm: (s: string) => string;
  /** gomod-dl's notes under go's messages. */
  note: (s: string) => string;
  /** The summary line. */
  summary: (s: string) => string;
}

/** The styles at a colour level. */
export function styles(level: ColourLevel): Styles {
  const c: ChalkInstance = new Chalk({ level });
  return {
    error: (s) => c.red.bold(s),
    alarm: (s) => c.red.bold(s),
    note: (s) => c.cyan(s),
    summary: (s) => c.green(s),
  };
}
