/**
 * The checks go makes of its environment at start-up, before it runs any command, in go's order:
 *
 * 1. `toolchain.Select`: GOTOOLCHAIN must be `auto`, `path`, `local` or a toolchain name, with at most
 *    a `+auto` or `+path` suffix (only when module mode will be on). Exit status 1.
 * 2. main: `$GOROOT`, when set, must be a directory (exit 2); a GOPATH equal to it draws a warning.
 *    (The GOPATH entry checks that follow are in goenv.ts.)
 * 3. `buildcfg.Check`: the per-architecture variables and GOEXPERIMENT, read from the process
 *    environment only (`internal/buildcfg` reads `os.Getenv`). Exit status 2.
 *
 * gomod-dl never switches toolchains (README, Differences): a valid GOTOOLCHAIN naming another
 * toolchain is accepted and this program goes on as go 1.26 does under `GOTOOLCHAIN=local`.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/main.go (main, invoke)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/toolchain/select.go (Select)
 * @see https://github.com/golang/go/blob/go1.26.8/src/internal/buildcfg/cfg.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/internal/buildcfg/exp.go (ParseGOEXPERIMENT)
 */
import { statSync } from 'node:fs';
import { goFromToolchain } from '../module/index.js';
import { cleanPath } from '../internal/gopath.js';
import { quote } from '../internal/gostrconv.js';
import { hostGoarch } from '../internal/hostplatform.js';

/**
 * go's reading of GOTOOLCHAIN; the text of the error that stops it, or "".
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/toolchain/select.go (Select)
 */
export function gotoolchainError(gotoolchain: string): string {
  if (gotoolchain === '' || gotoolchain === 'auto' || gotoolchain === 'path') return '';
  const plus = gotoolchain.indexOf('+');
  const min = plus < 0 ? gotoolchain : gotoolchain.slice(0, plus);
  const suffix = plus < 0 ? '' : gotoolchain.slice(plus + 1);
  if (min !== 'local' && goFromToolchain(min) === '') {
    return plus < 0 ? `invalid GOTOOLCHAIN ${quote(gotoolchain)}` : `invalid GOTOOLCHAIN ${quote(gotoolchain)}: invalid minimum toolchain ${quote(min)}`;
  }
  if (plus >= 0 && suffix !== 'auto' && suffix !== 'path') {
    return `invalid GOTOOLCHAIN ${quote(gotoolchain)}: only version suffixes are +auto and +path`;
  }
  return '';
}

/** GOEXPERIMENT names go 1.26 knows: its `goexperiment.Flags` fields, lower-cased, and the `regabi` alias. */
const EXPERIMENTS = new Set([
  'fieldtrack', 'preemptibleloops', 'staticlockranking', 'boringcrypto', 'regabiwrappers', 'regabiargs',
  'heapminimum512kib', 'arenas', 'cgocheck2', 'loopvar', 'newinliner', 'dwarf5', 'jsonv2', 'greenteagc',
  'randomizedheapbase64', 'runtimefreegc', 'sizespecializedmalloc', 'goroutineleakprofile', 'simd',
  'runtimesecret', 'regabi',
]);

/**
 * go's parse of GOEXPERIMENT for GOARCH; the error text, or "".
 * @see https://github.com/golang/go/blob/go1.26.8/src/internal/buildcfg/exp.go (ParseGOEXPERIMENT)
 */
export function goexperimentError(goexperiment: string, goarch: string): string {
  const alwaysOn = ['amd64', 'arm64', 'loong64', 'ppc64le', 'ppc64', 'riscv64'].includes(goarch);
  const supported = alwaysOn || goarch === 's390x';
  let wrappers = supported;
  let args = supported;
  for (const entry of goexperiment.split(',')) {
    if (entry === '') continue;
    if (entry === 'none') {
      wrappers = args = false;
      continue;
    }
    const on = !entry.startsWith('no');
    const name = on ? entry : entry.slice(2);
    if (!EXPERIMENTS.has(name)) return `unknown GOEXPERIMENT ${name}`;
    if (name === 'regabi' || name === 'regabiwrappers') wrappers = on;
    if (name === 'regabi' || name === 'regabiargs') args = on;
  }
  if (alwaysOn) wrappers = args = true;
  if (!supported) wrappers = args = false;
  return args && !wrappers ? 'GOEXPERIMENT regabiargs requires regabiwrappers' : '';
}

/**
 * Whether v has the shape of a FIPS 140 module version: `v1.Y.Z`, `v1.Y.Z-hhhhhhhh` or `v1.Y.Z-rcN`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/internal/buildcfg/cfg.go (isFIPSVersion)
 */
export function isFIPSVersion(v: string): boolean {
  return /^v1\.\d+\.\d+(?:-[0-9a-f]{8}|-rc\d+)?$/.test(v);
}

/** One per-architecture setting: its values go accepts and its error text. */
interface ArchSetting {
  readonly name: string;
  readonly ok: (v: string) => boolean;
  readonly error: (v: string) => string;
}

const oneOf = (name: string, values: readonly string[]): ArchSetting => ({
  name,
  ok: (v) => values.includes(v),
  error: () => `invalid ${name}: must be ${values.join(', ')}`,
});

/**
 * The settings `internal/buildcfg` checks, in the order of its variables. Each failing setting
 * overwrites the one error buildcfg keeps, so the last failure is the one reported; GOARM64 assigns
 * that error even when valid, which is why GOAMD64 and GOARM (before it) are never reported.
 */
const ARCH_SETTINGS: readonly ArchSetting[] = [
  {
    name: 'GOARM64',
    ok: (v) => /^v(?:8\.\d|9\.[0-5])$/.test(v.replace(/(?:,lse|,crypto)+$/, '')),
    error: () => 'invalid GOARM64: must start with v8.{0-9} or v9.{0-5} and may optionally end in ",lse" and/or ",crypto"',
  },
  oneOf('GOMIPS', ['hardfloat', 'softfloat']),
  oneOf('GOMIPS64', ['hardfloat', 'softfloat']),
  oneOf('GOPPC64', ['power8', 'power9', 'power10']),
  oneOf('GORISCV64', ['rva20u64', 'rva22u64', 'rva23u64']),
  {
    name: 'GOWASM',
    ok: (v) => v.split(',').every((f) => f === '' || f === 'satconv' || f === 'signext'),
    error: (v) => `invalid GOWASM: no such feature ${quote(v.split(',').filter((f) => !['', 'satconv', 'signext'].includes(f)).at(-1)!)}`,
  },
  {
    name: 'GOFIPS140',
    ok: (v) => ['off', 'latest', 'inprocess', 'certified'].includes(v) || isFIPSVersion(v),
    error: () => 'invalid GOFIPS140: must be off, latest, inprocess, certified, or v1.Y.Z',
  },
];

/**
 * `buildcfg.Check`: the error go reports for the process environment's build settings, or "".
 * Unset or empty variables take go's defaults, which are valid.
 */
export function buildConfigError(env: Readonly<Record<string, string | undefined>>): string {
  let err = '';
  for (const s of ARCH_SETTINGS) {
    const v = env[s.name] ?? '';
    if (v !== '' && !s.ok(v)) err = s.error(v);
  }
  const goexperiment = env.GOEXPERIMENT ?? '';
  if (goexperiment !== '') {
    const expErr = goexperimentError(goexperiment, env.GOARCH || hostGoarch());
    if (expErr !== '') err = expErr;
  }
  return err;
}

/**
 * main's GOROOT check: a GOROOT that is set must be a directory. gomod-dl has no GOROOT of its own,
 * so an unset one is never an error. Returns the error text, or "".
 */
export function gorootError(goroot: string): string {
  if (goroot === '') return '';
  try {
    if (statSync(goroot).isDirectory()) return '';
  } catch {
    // Reported below, as go reports any failure to stat it.
  }
  return `cannot find GOROOT directory: ${goroot}`;
}

/**
 * main's warning for the common mistake of GOPATH set to GOROOT (not an error: go runs on).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/main.go (main)
 */
export function gopathIsGorootWarning(gopath: string, goroot: string): string {
  if (goroot === '' || gopath === '') return '';
  if (cleanPath(gopath) !== cleanPath(goroot)) return '';
  return `warning: both GOPATH and GOROOT are the same directory (${gopath}); see https://go.dev/wiki/InstallTroubleshooting`;
}
