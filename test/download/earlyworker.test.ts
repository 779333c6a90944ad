// The extraction worker starts early for a run that expects many zips (ExtractPool.expect), but only
// once a zip is requested: a run that finds everything in the cache starts none (a warm gin run had
// started one, 10 MiB and 40 ms of CPU for nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModule } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { freshGoRoot, hermeticGoEnv } from '../support/gorun.js';
import { loadGoEnv } from '../../src/config/index.js';
import { openSession } from '../../src/session.js';
import { EARLY_WORKER_ZIPS } from '../../src/verify/extractpool.js';

for (const expected of [EARLY_WORKER_ZIPS, EARLY_WORKER_ZIPS - 1]) {
  const starts = expected >= EARLY_WORKER_ZIPS;
  test(`expecting ${expected} zips: no worker before a zip is requested, ${starts ? 'one' : 'none'} after`, async (t) => {
    const proxy = await startProxy(new ModuleStore().add(await buildModule({ path: 'example.com/a', version: 'v1.0.0', files: { 'a.go': 'package a\n' } })));
    t.after(() => proxy.close());
    const root = freshGoRoot(t);
    const processEnv = hermeticGoEnv(root, { proxy: proxy.url });
    const env = await loadGoEnv({ env: processEnv, cwd: root, homedir: processEnv['HOME']! });
    const session = openSession({ env, processEnv, x: false, modcacherw: true, stderr: () => undefined });
    t.after(() => session.close());
    session.expectZips(expected);
    assert.equal(session.extractWorkers, 0);
    // A .info is no zip.
    await session.fetcher.lookup('example.com/a').stat('v1.0.0');
    assert.equal(session.extractWorkers, 0);
    await session.dl.zipAndDir('example.com/a', 'v1.0.0');
    assert.equal(session.extractWorkers, starts ? 1 : 0);
  });
}
