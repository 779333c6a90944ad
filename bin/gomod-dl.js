#!/usr/bin/env -S node --max-semi-space-size=1
// The small young generation halves the main thread's peak heap on big downloads at no cost in time
// (it mostly waits on the network; workers do the extraction). Applies when run as a command (npx,
// npm bin links); `node bin/gomod-dl.js` runs with Node's defaults.
//
// The Node.js version is checked before anything is imported: on an older Node the program would
// fail deep inside (Node 18 lacks the global `File` undici needs) with a message that says nothing.
// Keep NEEDED in step with "engines" in package.json.
const NEEDED = [20, 18, 1];
const have = process.versions.node.split('.').map(Number);
const first = NEEDED.findIndex((n, i) => have[i] !== n); // the first part that differs, or -1
if (first >= 0 && have[first] < NEEDED[first]) {
  process.stderr.write(`gomod-dl: Node.js ${NEEDED.join('.')} or newer is needed; this is Node.js ${process.versions.node}\n`);
  process.exit(1);
}
const { main } = await import('../dist/src/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
