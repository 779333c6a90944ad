/**
 * `gomod-dl env [-json] [NAME...]`: the Go environment as gomod-dl resolved it, in `go env`'s formats,
 * so a CI script can find GOMODCACHE without Go. Only the variables gomod-dl reads are known; any other
 * name prints as go prints a name it does not compute (the variable's value, else empty).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/envcmd/env.go (runEnv, PrintEnv, shellQuote)
 */
import nodePath from 'node:path';
import { GoEnvError, GoFlagsError, loadGoEnv, type GoEnv } from '../config/index.js';
import { marshalIndent } from '../internal/gojson.js';
import { errorLine } from '../report/lines.js';
import type { CommandIO } from './session.js';

/** The variables both go env and gomod-dl know, with go's names. */
const SHARED = ['GO111MODULE', 'GOAUTH', 'GOENV', 'GOFLAGS', 'GOINSECURE', 'GOMODCACHE', 'GONOPROXY', 'GONOSUMDB', 'GOPATH', 'GOPRIVATE', 'GOPROXY', 'GOSUMDB'] as const;

export interface EnvOptions extends CommandIO {
  names: string[];
  json: boolean;
}

/** Prints the environment; exit status 0 (2 or 1 for go's GOPATH / GOFLAGS errors). */
export async function envCommand(o: EnvOptions): Promise<number> {
  const cwd = o.chdir !== undefined ? nodePath.resolve(o.cwd, o.chdir) : o.cwd;
  let env: GoEnv;
  try {
    env = await loadGoEnv({ env: o.env, cwd, warn: (w) => o.stderr(`${w}\n`) });
  } catch (err) {
    if (err instanceof GoEnvError || err instanceof GoFlagsError) {
      o.stderr(errorLine(err.message));
      return err.exitCode;
    }
    throw err;
  }
  const value = (name: string): string =>
    (SHARED as readonly string[]).includes(name) ? (env[name as (typeof SHARED)[number]] ?? '') : (o.env[name] ?? '');
  const names = o.names.length > 0 ? o.names : [...SHARED];
  if (o.json) {
    const obj: Record<string, string> = {};
    for (const n of [...names].sort()) obj[n] = value(n);
    o.stdout(marshalIndent(obj, '', '\t') + '\n');
  } else if (o.names.length > 0) {
    for (const n of names) o.stdout(`${value(n)}\n`);
  } else {
    for (const n of names) o.stdout(`${n}=${shellQuote(value(n))}\n`);
  }
  return 0;
}

/** go's shellQuote: single quotes, `'` written as `'\''`. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
