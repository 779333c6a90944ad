#!/usr/bin/env -S node --max-semi-space-size=1
// The small young generation halves the main thread's peak heap on big downloads at no cost in time
// (it mostly waits on the network; workers do the extraction). Applies when run as a command (npx,
// npm bin links); `node bin/gomod-dl.js` runs with Node's defaults.
//
// The bundle (dist/bundle, `npm run build`) starts in about half the CPU time of the ~110 separate
// modules of dist/src; it is used unless a later `tsc` left it older than dist/src.
import { statSync } from 'node:fs';

const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundle = mtime('../dist/bundle/gomod-dl.js');
const bundled = bundle >= 0 && bundle >= mtime('../dist/src/cli/main.js');
const { main } = await import(bundled ? '../dist/bundle/gomod-dl.js' : '../dist/src/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
