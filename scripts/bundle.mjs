#!/usr/bin/env node
// Bundles the compiled command (dist/src, written by tsc) into dist/bundle/: the command line and the
// extraction worker as two entry points, their shared code and each lazily imported package (undici,
// yauzl) in chunks beside them. Node then loads a handful of files instead of ~110 modules of
// dist/src and ~100 of undici, each resolved, read and compiled on its own (measured in the commit
// that added this script). bin/gomod-dl.js loads the bundle when it is at least as new as dist/src.
//
// The worker is started as `new URL('./extractworker.js', import.meta.url)` (src/verify/extractpool.ts);
// esbuild leaves that URL alone, and every output file sits in one flat directory, so it names the
// bundled worker entry.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;

/**
 * CommonJS packages that dist/src loads with a dynamic import() (needed only by some runs), each
 * with the ES module put in between: Node gives such an import the package's named exports (found by
 * cjs-module-lexer), an esbuild chunk only `default`.
 *
 * undici's index.js also loads fetch, WebSocket, the cache and the mocks (and through its cookies
 * module Node's own copy of undici), about 60 ms of CPU at start; gomod-dl uses two dispatchers, the
 * connector builder and the request API, so its facade loads those files as index.js does and nothing else.
 * @see https://github.com/nodejs/undici/blob/v7.30.2/index.js
 */
const FACADES = {
  undici: [
    "import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';",
    "import api from 'undici/lib/api/index.js';",
    "import Agent from 'undici/lib/dispatcher/agent.js';",
    "import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';",
    "import buildConnector from 'undici/lib/core/connect.js';",
    '// As undici/index.js does: the request API on every dispatcher.',
    'Object.assign(Dispatcher.prototype, api);',
    'export { Agent, EnvHttpProxyAgent, buildConnector };',
  ].join('\n'),
  yauzl: "import m from 'yauzl'; export default m;",
};

const facades = {
  name: 'lazy-cjs-facades',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(FACADES).join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'facade' ? undefined : { path: args.path, namespace: 'facade' }));
    b.onLoad({ filter: /.*/, namespace: 'facade' }, (args) => ({ contents: FACADES[args.path], resolveDir: root, loader: 'js' }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  metafile: true,
  absWorkingDir: root,
  // The worker and the git helper process are started by file name, beside the entry that starts them.
  entryPoints: { 'gomod-dl': 'dist/src/cli/main.js', extractworker: 'dist/src/verify/extractworker.js', spawner: 'dist/src/vcs/spawner.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // commander, undici and yauzl are CommonJS: their require() of Node's modules needs a require.
  banner: { js: "import { createRequire as __gomoddlRequire } from 'node:module'; const require = __gomoddlRequire(import.meta.url);" },
  plugins: [facades],
  legalComments: 'none',
  logLevel: 'warning',
});

// The bundle carries code of the packages above (MIT and similar licences, which ask that their notice
// travel with every copy): their licence texts go beside it, one file.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
  if (m) packages.set(m[2], `${root}${m[1]}`);
}
const notices = [...packages].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, dir]) => {
  const { version, license } = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  const text = file ? readFileSync(`${dir}/${file}`, 'utf8').trim() : `(${license}; no licence file in the package)`;
  return `${name}@${version} (${license})\n\n${text}\n`;
});
writeFileSync(`${outdir}/THIRD-PARTY-LICENSES.txt`, `Packages bundled into gomod-dl's dist/bundle:\n\n${notices.join('\n' + '-'.repeat(72) + '\n\n')}`);
