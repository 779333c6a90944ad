#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS GOMODDL_NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} MALLOC_MMAP_THRESHOLD_=131072 node
// The fixed mmap threshold keeps glibc from raising it (to 4 MiB after the first zip buffer freed),
// after which every freed buffer of the extraction threads stayed in their malloc arenas: 30-37 MiB
// each on a cold caddy run, 35 MiB off the peak RSS with it (issue #16; other C libraries ignore the
// variable). No V8 flag goes on this line: one there keeps Node's own modules out of the code cache
// built into the node binary for the whole run (src/internal/v8setup.ts sets gomod-dl's flags after
// loading them).
//
// NODE_EXTRA_CA_CERTS is moved aside for Node's start: Node parses the file's certificates before
// any JavaScript runs, 50 ms for a distribution's bundle of 144 (this VM's setting), on every run,
// even one that makes no https request. It is put back below, for the commands gomod-dl runs, and the
// HTTP client adds its certificates when it makes its first TLS connection (src/fetch/tlsroots.ts).
// All of this applies when the file runs as a command (npx, npm bin links, the benchmark);
// `node bin/gomod-dl.js` runs with Node's defaults, and trusts the same certificates.
'use strict';

{
  const extra = process.env.GOMODDL_NODE_EXTRA_CA_CERTS;
  if (extra !== undefined) {
    delete process.env.GOMODDL_NODE_EXTRA_CA_CERTS;
    if (extra !== '') process.env.NODE_EXTRA_CA_CERTS = extra;
  }
}

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

// The bundle (dist/bundle, `npm run build`) starts in about half the CPU time of the ~110 separate
// modules of dist/src; it is used unless a later `tsc` left it older than dist/src. It runs through
// its loader, with V8's code cache beside it (src/cli/codecache.ts), which is saved after the run
// when this run compiled more of the program than the one that wrote it. This file and the bundle
// are CommonJS (bin/package.json, dist/bundle/package.json): Node then never starts its loader of
// ES modules, 8-15 ms a start.
//
// Node's built-ins are loaded first, while they still come from its code cache, then gomod-dl's V8
// flags are set, then the program is loaded (src/internal/v8setup.ts says why in that order).
const { statSync } = require('node:fs');
const { join } = require('node:path');
const mtime = (rel) => statSync(join(__dirname, rel), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundle = mtime('../dist/bundle/gomod-dl.cjs');

if (bundle >= 0 && bundle >= mtime('../dist/src/cli/main.js')) {
  require('../dist/bundle/v8setup.js').setUpProcess();
  const cached = require('../dist/bundle/codecache.js').loadCached(join(__dirname, '../dist/bundle/gomod-dl.cjs'));
  run(cached.exports.main, cached);
} else {
  // The ES modules of dist/src, as tsc wrote them.
  import('../dist/src/internal/v8setup.js')
    .then((setup) => {
      setup.setUpProcess();
      return import('../dist/src/cli/main.js');
    }, notBuilt)
    .then(({ main }) => run(main), notBuilt);
}

async function run(main, cached) {
  process.exitCode = await main(process.argv.slice(2));
  cached?.save(cached.exports.codeCacheLevel());
}

/** A fresh checkout has no dist/ until it is built (the published package ships it built). */
function notBuilt(err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && /dist\/src\//.test(String(err.message))) {
    process.stderr.write('gomod-dl: not built yet: run `npm run build` in the checkout first\n');
    process.exit(1);
  }
  throw err;
}
