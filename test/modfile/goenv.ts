// go writes telemetry counters under $XDG_CONFIG_HOME/go/telemetry, sometimes from a process that
// outlives the go command, which races with removing the run's temporary directory. A config dir
// whose telemetry mode is "off" keeps go from writing there at all.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/** Environment overrides for runGo that turn go telemetry off for this test. */
export function telemetryOffEnv(t: TestContext): Record<string, string> {
  const cfg = mkdtempSync(join(tmpdir(), 'gomod-dl-gocfg-'));
  mkdirSync(join(cfg, 'go', 'telemetry'), { recursive: true });
  writeFileSync(join(cfg, 'go', 'telemetry', 'mode'), 'off');
  t.after(() => rmSync(cfg, { recursive: true, force: true }));
  return { XDG_CONFIG_HOME: cfg };
}
