// gomod-dl's notes under go's errors, end to end: on a terminal they follow go's text; in a pipe the
// text is go's alone.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { freshGoRoot, hermeticGoEnv } from '../support/gorun.js';
import { writeTree } from '../support/tree.js';
import { TestSumdbServer } from '../support/sumdb-server.js';
import { hashGoMod } from '../../src/verify/dirhash.js';

async function runMain(t: TestContext, args: string[], opts: { proxy: string; cwd?: string; isTTY: boolean; env?: Record<string, string> }) {
  const root = freshGoRoot(t);
  let stderr = '';
  const code = await main(args, {
    stdout: () => {},
    stderr: (s) => void (stderr += s),
    env: hermeticGoEnv(root, { proxy: opts.proxy, ...(opts.env !== undefined ? { env: opts.env } : {}) }),
    cwd: opts.cwd ?? root,
    isTTY: opts.isTTY,
  });
  return { code, stderr };
}

test('a go.sum mismatch names the go.sum line and the proxy URL on a terminal, and nothing more in a pipe', async (t) => {
  const m = await buildModule({ path: 'example.com/a', version: 'v1.0.0', files: { 'a.go': 'package a\n' } });
  const proxy = await startProxy(new ModuleStore().add(m));
  t.after(() => proxy.close());
  const dir = join(freshGoRoot(t), 'main');
  const bad = 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
  writeTree(dir, {
    'go.mod': 'module example.com/main\n\ngo 1.21\n\nrequire example.com/a v1.0.0\n',
    'go.sum': `example.com/a v1.0.0 ${bad}\n`,
  });
  const piped = await runMain(t, ['example.com/a@v1.0.0'], { proxy: proxy.url, cwd: dir, isTTY: false });
  assert.equal(piped.code, 1);
  assert.match(piped.stderr, /SECURITY ERROR/);
  assert.doesNotMatch(piped.stderr, /note:/);
  const tty = await runMain(t, ['--progress=never', '--color=never', 'example.com/a@v1.0.0'], { proxy: proxy.url, cwd: dir, isTTY: true });
  assert.equal(tty.code, 1);
  assert.ok(tty.stderr.startsWith(piped.stderr.replace("see 'go help module-auth'", 'see https://go.dev/ref/mod#authenticating')), tty.stderr);
  const notes = tty.stderr.slice(piped.stderr.length + "https://go.dev/ref/mod#authenticating".length - "'go help module-auth'".length);
  assert.ok(notes.startsWith(`gomod-dl: note: line 1 of ${join(dir, 'go.sum')} records ${bad} for example.com/a v1.0.0,\n`), notes);
  assert.match(notes, new RegExp(`but the bytes served by ${proxy.url}/example.com/a/@v/v1.0.0.zip hash to h1:`));
});

test("a GOPROXY entry followed by ',' that fails with 403 explains why the next one was not tried", async (t) => {
  const m = await buildModule({ path: 'example.com/b', version: 'v1.0.0', files: { 'b.go': 'package b\n' } });
  const proxy = await startProxy(new ModuleStore().add(m));
  t.after(() => proxy.close());
  proxy.setFaults([{ url: /^\/~a\//, status: 403 }]);
  const list = `${proxy.url}/~a,${proxy.url}/~b`;
  const piped = await runMain(t, ['example.com/b@v1.0.0'], { proxy: list, isTTY: false });
  assert.equal(piped.code, 1);
  assert.doesNotMatch(piped.stderr, /note:/);
  const tty = await runMain(t, ['--progress=never', '--color=never', 'example.com/b@v1.0.0'], { proxy: list, isTTY: true });
  assert.ok(tty.stderr.startsWith(piped.stderr), tty.stderr);
  assert.equal(
    tty.stderr.slice(piped.stderr.length),
    `gomod-dl: note: GOPROXY did not fall back from ${proxy.url}/~a to ${proxy.url}/~b: an entry followed by ','\n` +
      '  falls back only when the module is not found there (404 or 410), and this was another\n' +
      `  error. With '|' after it (${proxy.url}/~a|${proxy.url}/~b) any error falls back.\n`,
  );
});

test('a checksum database mismatch names the database and the proxy URL that served the bytes', async (t) => {
  const m = await buildModule({ path: 'example.com/checked', version: 'v1.0.0', files: { 'a.go': 'package a\n' } });
  const proxy = await startProxy(new ModuleStore().add(m));
  t.after(() => proxy.close());
  const lying = 'h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=';
  const server = new TestSumdbServer({ signerKey: 'PRIVATE+KEY+localhost.localdev/sumdb+00000c67+AXu6+oaVaOYuQOFrf1V59JK1owcFlJcHwwXHDfDGxSPk' });
  await server.add({ path: 'example.com/checked', version: 'v1.0.0', hash: lying, goModHash: hashGoMod(m.mod) });
  proxy.setSumdb(async (name, rest, _req, res) => {
    const r = await server.handle('/' + `${name}/${rest}`.slice(server.name.length + 1));
    res.writeHead(r.status, { 'Content-Type': r.contentType, 'Content-Length': r.body.length }).end(r.body);
  });
  const env = { GOSUMDB: 'localhost.localdev/sumdb+00000c67+AcTrnkbUA+TU4heY3hkjiSES/DSQniBqIeQ/YppAUtK6' };
  const args = ['--progress=never', '--color=never', 'example.com/checked@v1.0.0'];
  const tty = await runMain(t, args, { proxy: proxy.url, isTTY: true, env });
  assert.equal(tty.code, 1);
  assert.match(tty.stderr, /SECURITY ERROR\nThis download does NOT match the one reported by the checksum server/);
  assert.match(
    tty.stderr,
    new RegExp(
      `\\ngomod-dl: note: the checksum database localhost.localdev/sumdb vouches for ${lying.replace(/[+/]/g, '\\$&')} for example.com/checked v1.0.0,\\n` +
        `  but the bytes served by ${proxy.url}/example.com/checked/@v/v1.0.0.zip hash to h1:`,
    ),
  );
});
