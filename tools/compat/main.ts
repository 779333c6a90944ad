#!/usr/bin/env node
/**
 * `npm run compat -- <subcommand> [args]`: side-by-side checks of gomod-dl against the real go
 * command. Each subcommand lives in `tools/compat/<name>.ts` and exports
 * `run(args: string[]): Promise<number>` (the exit code); `parse` compares go.mod/go.work parsing,
 * `download` (added separately) compares module caches.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shape every subcommand module exports. */
export interface Subcommand {
  run(args: string[]): Promise<number>;
  /** One line of help. */
  summary?: string;
}

const SUBCOMMANDS = ['parse', 'download'];

function usage(): string {
  return `usage: compat <subcommand> [args]\n\nsubcommands:\n  parse <dir>     go.mod/go.work parse parity with go mod edit -json / go work edit -json\n  download ...    module cache parity with go mod download\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stderr.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (!SUBCOMMANDS.includes(name)) {
    process.stderr.write(`compat: unknown subcommand ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  const url = new URL(`./${name}.js`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    process.stderr.write(`compat: subcommand ${name} is not built (missing ${fileURLToPath(url)})\n`);
    return 2;
  }
  const mod = (await import(url.href)) as Subcommand;
  return mod.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`compat: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
