#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node --max-semi-space-size=1
// The small young generation halves the main thread's peak heap on big downloads at no cost in time
// (it mostly waits on the network; workers do the extraction). The fixed mmap threshold keeps glibc
// from raising it (to 4 MiB after the first zip buffer freed), after which every freed buffer of the
// extraction threads stayed in their malloc arenas: 30-37 MiB each on a cold caddy run, 35 MiB off
// the peak RSS with it (issue #16; other C libraries ignore the variable). Both apply when run as a
// command (npx, npm bin links, the benchmark); `node bin/gomod-dl.js` runs with Node's defaults.
// The V8 flag has a price: any V8 flag keeps Node's own modules out of the code cache built into
// the node binary, so the ~30 built-ins gomod-dl requires are compiled from source, about 15 ms a
// start (README, Performance). Without the flag, peak RSS rose 129 -> 162 MiB on a cold rclone run.
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

// V8 optimises a function once it has run about 66 KiB of bytecode (its default interrupt budget).
// A run is short, and each of its threads (the main one and the extraction workers) compiles its own
// optimised code: with the default, TurboFan took about 14 % of the CPU of a cold caddy run (perf
// record, main thread and two workers), for hundreds of lukewarm functions. With 8 times the budget, only the hot ones are
// optimised: cold caddy 7.96 -> 6.7-7.1 s of CPU, warm caddy 516 -> 310-345 ms (issue #16, commit
// message). The flag is the process's: set before any of gomod-dl is loaded, it applies to the
// workers too, and whether or not the file runs as a command.
const v8 = await import('node:v8');
v8.setFlagsFromString('--interrupt-budget=524288');
// undici parses HTTP with llhttp, a WebAssembly module. V8 compiles it with its baseline compiler
// (Liftoff) and then, once it has run a little, again with TurboFan on a background thread: on a
// cold cobra download that second compile of llhttp's one large state machine was a third of the
// run's CPU (172 ms, perf record) and 35 MiB of peak RSS, and the process waited for it to finish
// before exiting. Liftoff's code is fast enough for response headers; bodies pass through as slices.
// Cold cobra, 10 interleaved pairs: 0.36 -> 0.32 s, CPU 0.46 -> 0.31 s, peak RSS 99 -> 63 MiB;
// caddy and gin no slower (issue #16, commit message).
v8.setFlagsFromString('--liftoff-only');

// The bundle (dist/bundle, `npm run build`) starts in about half the CPU time of the ~110 separate
// modules of dist/src; it is used unless a later `tsc` left it older than dist/src. It runs through
// its loader, with V8's code cache beside it (src/cli/codecache.ts), which is saved after the run
// when this run compiled more of the program than the one that wrote it.
const { statSync } = await import('node:fs');
const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundle = mtime('../dist/bundle/gomod-dl.cjs');
const bundled = bundle >= 0 && bundle >= mtime('../dist/src/cli/main.js');

let main;
let cached;
if (bundled) {
  const [{ loadCached }, { fileURLToPath }] = await Promise.all([import('../dist/bundle/codecache.js'), import('node:url')]);
  cached = loadCached(fileURLToPath(new URL('../dist/bundle/gomod-dl.cjs', import.meta.url)));
  ({ main } = cached.exports);
} else {
  try {
    ({ main } = await import('../dist/src/cli/main.js'));
  } catch (err) {
    // A fresh checkout has no dist/ until it is built (the published package ships it built).
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('cli/main.js')) {
      process.stderr.write('gomod-dl: not built yet: run `npm run build` in the checkout first\n');
      process.exit(1);
    }
    throw err;
  }
}
process.exitCode = await main(process.argv.slice(2));
cached?.save(cached.exports.codeCacheLevel());
