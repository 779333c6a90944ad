#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node
// The fixed mmap threshold keeps glibc from raising it (to 4 MiB after the first zip buffer freed),
// after which every freed buffer of the extraction threads stayed in their malloc arenas: 30-37 MiB
// each on a cold caddy run, 35 MiB off the peak RSS with it (issue #16; other C libraries ignore the
// variable). It applies when run as a command (npx, npm bin links, the benchmark). No V8 flag goes
// on this line: one there keeps Node's own modules out of the code cache built into the node binary
// for the whole run (src/cli/v8setup.ts sets gomod-dl's flags after loading them).
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

// The bundle (dist/bundle, `npm run build`) starts in about half the CPU time of the ~110 separate
// modules of dist/src; it is used unless a later `tsc` left it older than dist/src. It runs through
// its loader, with V8's code cache beside it (src/cli/codecache.ts), which is saved after the run
// when this run compiled more of the program than the one that wrote it.
const { statSync } = await import('node:fs');
const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundle = mtime('../dist/bundle/gomod-dl.cjs');
const bundled = bundle >= 0 && bundle >= mtime('../dist/src/cli/main.js');

/** Imports `file` (relative to this one); a fresh checkout has no dist/ until it is built. */
async function load(file) {
  try {
    return await import(file);
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(file.slice(file.lastIndexOf('/')))) {
      process.stderr.write('gomod-dl: not built yet: run `npm run build` in the checkout first\n');
      process.exit(1);
    }
    throw err;
  }
}

// Node's built-ins while they still come from its code cache, then gomod-dl's V8 flags, then the
// program (src/cli/v8setup.ts says why in that order).
(await load(bundled ? '../dist/bundle/v8setup.js' : '../dist/src/internal/v8setup.js')).setUpProcess();
let main;
let cached;
if (bundled) {
  const [{ loadCached }, { fileURLToPath }] = await Promise.all([load('../dist/bundle/codecache.js'), import('node:url')]);
  cached = loadCached(fileURLToPath(new URL('../dist/bundle/gomod-dl.cjs', import.meta.url)));
  ({ main } = cached.exports);
} else {
  ({ main } = await load('../dist/src/cli/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
cached?.save(cached.exports.codeCacheLevel());
