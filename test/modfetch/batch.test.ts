// The download loop (src/modfetch/batch.ts) against a fake pipeline: records filled in place, a
// per-module failure as the record's Error, a fatal verdict ending the queue, the bound on modules
// under way, and --offline-complete's failures reported as they happen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FatalError } from '../../src/internal/errors.js';
import { downloadModules, fetchInfoAndGoMods, moduleJson, type ModuleDoneEvent, type ModuleJSON } from '../../src/modfetch/index.js';

type Rec = ModuleJSON & { Path: string; Version: string };

test('each planned module becomes its -json record; errors and queries carry over, failures stay in the record', async () => {
  const mods: ModuleJSON[] = [
    moduleJson({ path: 'a.com/ok', version: 'v1.0.0', query: 'latest' }),
    moduleJson({ path: 'a.com/planned-error', version: 'v1.0.0', error: 'a.com/planned-error@v1.0.0: no such version' }),
    moduleJson({ path: 'a.com/fails', version: 'v2.0.0' }),
  ];
  assert.deepEqual({ ...mods[0] }, { Path: 'a.com/ok', Version: 'v1.0.0', Query: 'latest' });
  const events: ModuleDoneEvent[] = [];
  const asked: string[] = [];
  await downloadModules(
    {
      async download(m: Rec) {
        asked.push(m.Path);
        if (m.Path === 'a.com/fails') throw new Error('a.com/fails@v2.0.0: reading x: 404 Not Found');
        m.Zip = `/cache/${m.Path}.zip`;
      },
      halt: () => assert.fail('no fatal error'),
    },
    mods,
    { concurrency: 2, onEvent: (e) => events.push(e) },
  );
  assert.deepEqual(asked.sort(), ['a.com/fails', 'a.com/ok'], 'a module planned with an error is not downloaded');
  assert.equal(mods[0]!.Zip, '/cache/a.com/ok.zip');
  assert.equal(mods[1]!.Error, 'a.com/planned-error@v1.0.0: no such version');
  assert.equal(mods[2]!.Error, 'a.com/fails@v2.0.0: reading x: 404 Not Found');
  assert.deepEqual(events.map((e) => [e.path, e.failed]).sort(), [['a.com/fails', true], ['a.com/ok', false]]);
});

test('a fatal verdict stops the queue and halts the downloader: modules not started never start, and the verdict is thrown', async () => {
  const mods = ['a', 'b', 'c', 'd', 'e'].map((p) => moduleJson({ path: `x.com/${p}`, version: 'v1.0.0' }));
  const fatal = new FatalError('ECHECKSUM', 'verifying x.com/a@v1.0.0: checksum mismatch');
  const started: string[] = [];
  let running = 0;
  let most = 0;
  const halted: Error[] = [];
  const run = downloadModules(
    {
      async download(m: Rec) {
        started.push(m.Path);
        most = Math.max(most, ++running);
        await new Promise((r) => setImmediate(r));
        running--;
        if (m.Path === 'x.com/a') throw fatal;
      },
      halt: (reason: Error) => halted.push(reason),
    },
    mods,
    { concurrency: 2 },
  );
  await assert.rejects(run, fatal);
  assert.equal(most, 2, 'at most `concurrency` modules under way');
  assert.deepEqual(started, ['x.com/a', 'x.com/b'], 'nothing starts after the fatal verdict');
  assert.deepEqual(halted, [fatal], 'the modules under way are halted with the verdict');
  assert.equal(mods[0]!.Error, undefined, 'a fatal error is not a per-module error');
});

test('--offline-complete fetches .info then go.mod of each target and reports each failure as it happens', async () => {
  const calls: string[] = [];
  const errors: string[] = [];
  const ok = await fetchInfoAndGoMods(
    {
      async infoFile(path: string, version: string) {
        calls.push(`info ${path}`);
        if (path === 'x.com/gone') throw new Error('x.com/gone@v1.0.0: reading https://proxy/x.com/gone/@v/v1.0.0.info: 410 Gone');
        return { info: { Version: version } as never, file: '' };
      },
      async goModFile(path: string) {
        calls.push(`mod ${path}`);
        return { data: new Uint8Array(), file: '' };
      },
    },
    [{ path: 'x.com/here', version: 'v1.0.0' }, { path: 'x.com/gone', version: 'v1.0.0' }],
    { concurrency: 1, onError: (m) => errors.push(m) },
  );
  assert.equal(ok, false);
  assert.deepEqual(calls, ['info x.com/here', 'mod x.com/here', 'info x.com/gone']);
  assert.deepEqual(errors, ['x.com/gone@v1.0.0: reading https://proxy/x.com/gone/@v/v1.0.0.info: 410 Gone']);
  assert.equal(await fetchInfoAndGoMods({ infoFile: async () => ({ info: {} as never, file: '' }), goModFile: async () => ({ data: new Uint8Array(), file: '' }) }, [], { concurrency: 1, onError: () => assert.fail() }), true);
});
