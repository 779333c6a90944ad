#!/usr/bin/env node
// Bundles the compiled command (dist/src, written by tsc) into dist/bundle/: the command line and the
// extraction worker as one CommonJS file each (gomod-dl.cjs, extractworker.cjs), run with V8's code
// cache by src/cli/codecache.ts (codecache.js), plus the git helper process (spawner.js). Node then
// reads a few files instead of ~110 modules of dist/src and ~100 of undici, each resolved, read and
// compiled on its own, and with the cache compiles almost nothing (measured in the commits that
// added this script and the cache). bin/gomod-dl.js loads the bundle when it is at least as new as
// dist/src.
//
// The worker is started as `new URL('./extractworker.js', import.meta.url)` (src/verify/extractpool.ts),
// the helper as `./spawner.js`: every output file sits in one flat directory, so those URLs name the
// bundled files.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import http2 from 'node:http2';
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
 * module Node's own copy of undici), about 60 ms of CPU at start; gomod-dl uses two dispatchers (and
 * the client and pool its proxy agent's factories make), the connector builder and the request API,
 * so its facade loads those files as index.js does and nothing else.
 * @see https://github.com/nodejs/undici/blob/v7.30.2/index.js
 */
const FACADES = {
  undici: [
    "import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';",
    "import api from 'undici/lib/api/index.js';",
    "import Agent from 'undici/lib/dispatcher/agent.js';",
    "import Client from 'undici/lib/dispatcher/client.js';",
    "import Pool from 'undici/lib/dispatcher/pool.js';",
    "import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';",
    "import buildConnector from 'undici/lib/core/connect.js';",
    '// As undici/index.js does: the request API on every dispatcher.',
    'Object.assign(Dispatcher.prototype, api);',
    'export { Agent, Client, EnvHttpProxyAgent, Pool, buildConnector };',
  ].join('\n'),
  yauzl: "import m from 'yauzl'; export default m;",
};

/**
 * undici's HTTP/2 client (client-h2.js, loaded with the rest of undici) requires Node's http2 when
 * it loads, for ten constants; gomod-dl never asks undici for HTTP/2 (no allowH2: its connections
 * offer only http/1.1). Node's http2 costs 7-8 ms to load, and gomod-dl loads the built-ins it may
 * need before it sets its V8 flags (src/internal/v8setup.ts), so every run paid for it. In the bundle
 * that require gets the constants (read here, from this Node's http2) and a connect() that loads the
 * real module if a session were ever opened.
 * @see https://github.com/nodejs/undici/blob/v7.30.2/lib/dispatcher/client-h2.js
 */
const HTTP2_CONSTANTS = ['HTTP2_HEADER_AUTHORITY', 'HTTP2_HEADER_METHOD', 'HTTP2_HEADER_PATH', 'HTTP2_HEADER_SCHEME',
  'HTTP2_HEADER_CONTENT_LENGTH', 'HTTP2_HEADER_EXPECT', 'HTTP2_HEADER_STATUS', 'HTTP2_HEADER_PROTOCOL', 'NGHTTP2_REFUSED_STREAM', 'NGHTTP2_CANCEL'];
const lazyHttp2 = {
  name: 'lazy-http2-for-undici',
  setup(b) {
    b.onResolve({ filter: /^node:http2$/ }, (args) =>
      /undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/.test(args.importer) ? { path: 'http2', namespace: 'lazy-http2' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'lazy-http2' }, () => {
      const constants = Object.fromEntries(HTTP2_CONSTANTS.map((k) => {
        if (!(k in http2.constants)) throw new Error(`bundle: node:http2 has no constant ${k}`);
        return [k, http2.constants[k]];
      }));
      return {
        contents: `module.exports = { constants: ${JSON.stringify(constants)}, connect: (...args) => require('node:http2').connect(...args) };`,
        loader: 'js',
      };
    });
  },
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
const common = { metafile: true, absWorkingDir: root, outdir, bundle: true, platform: 'node', target: 'node20', plugins: [facades, lazyHttp2], legalComments: 'none', logLevel: 'warning', minifyWhitespace: true, minifySyntax: true };
// The program and its extraction worker: CommonJS, which bin/gomod-dl.js and extractworker.js run
// through src/cli/codecache.ts with V8's code cache (Node 20 has none for ES modules). The stand-in
// for import.meta.url is a parameter of the loader's wrapper.
const programs = await build({
  ...common,
  entryPoints: { 'gomod-dl': 'dist/src/cli/main.js', extractworker: 'dist/src/verify/extractworker.js' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { 'import.meta.url': '__gomoddl_url' },
});
// The loader, the process set-up bin/gomod-dl.js runs before it, and the git helper process vcs/run.ts
// forks by file name (./spawner.js beside the bundle). Everything here is CommonJS (a package.json
// says so for the .js files): bin/gomod-dl.js, CommonJS too, then starts without Node's loader of ES
// modules, 8-15 ms a start (the commit that made it so).
const helpers = await build({ ...common, entryPoints: { codecache: 'dist/src/cli/codecache.js', v8setup: 'dist/src/internal/v8setup.js', spawner: 'dist/src/vcs/spawner.js' }, format: 'cjs' });
writeFileSync(`${outdir}/package.json`, '{ "type": "commonjs" }\n');
// The worker extractpool.ts starts by file name (./extractworker.js): the loader, then the worker's
// code; its cache is saved once the first job is answered, when the extraction code is compiled.
// It first sets again the flag V8 reset when it made the worker's heap (src/internal/v8setup.ts).
writeFileSync(`${outdir}/extractworker.js`, [
  "'use strict';",
  "const { keepYoungGenerationSmall } = require('./v8setup.js');",
  "const { loadCached } = require('./codecache.js');",
  'keepYoungGenerationSmall();',
  "const m = loadCached(require('node:path').join(__dirname, 'extractworker.cjs'));",
  "if (m.status !== 'used') m.exports.afterFirstJob(() => m.save(1));",
  '',
].join('\n'));
// Each CommonJS file names its build on its first line, for the cache's file name (V8 itself
// only compares the source's length).
for (const name of ['gomod-dl.cjs', 'extractworker.cjs']) {
  const file = `${outdir}/${name}`;
  const text = readFileSync(file);
  writeFileSync(file, `// gomod-dl build ${createHash('sha256').update(text).digest('hex').slice(0, 16)}\n${text}`);
}
const inputs = { ...programs.metafile.inputs, ...helpers.metafile.inputs };

// The bundle carries code of the packages above (MIT and similar licences, which ask that their notice
// travel with every copy): their licence texts go beside it, one file.
const packages = new Map();
for (const input of Object.keys(inputs)) {
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
