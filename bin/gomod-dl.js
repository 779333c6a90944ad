#!/usr/bin/env -S node --max-semi-space-size=1
// The small young generation halves the main thread's peak heap on big downloads at no cost in time
// (it mostly waits on the network; workers do the extraction). Applies when run as a command (npx,
// npm bin links); `node bin/gomod-dl.js` runs with Node's defaults.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
