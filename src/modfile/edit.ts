/**
 * The main module's go.mod as cmd/go rewrites it after loading the module graph (`go mod download`
 * without arguments, which runs with `-mod=mod`): the go and toolchain lines and the require blocks
 * are set from the graph's roots, the file is cleaned up and formatted, and it is written only when
 * its meaning changed.
 *
 * Facts this reproduces:
 * - The file is parsed strictly, so quoted paths that need no quotes lose them everywhere (`module
 *   "a/b"` → `module a/b`): x/mod's parser rewrites every string token in AutoQuote form.
 * - A missing go line is added right after the module line; at go 1.17 or later the requirements are
 *   laid out as separate direct and `// indirect` blocks, before it as one mixed block.
 * - A toolchain equal to `go<go version>`, or older than go1.21, is dropped.
 * - "Changed meaning" is cmd/go's `modFileIsDirty`: the go version, the toolchain, the set of
 *   requirements with their `// indirect` markers, replacements, exclusions, or a version the parser
 *   had to fix. Comments, order and layout alone never cause a write.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (UpdateGoModFromReqs, commitRequirements)
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (indexModFile, modFileIsDirty)
 */
// The normalisation this file's edits end with, re-exported under its historical module name.
export { cleanupSyntax, dedupStatements, sortBlocks, sortWorkBlocks } from './normalize.js';
export type { Deduped } from './normalize.js';
import { GoError, InternalError } from '../internal/errors.js';
import { goCompare, goFromToolchain } from '../module/gover.js';
import { canonicalVersion, InvalidVersionError, ModuleError, type ModuleVersion } from '../module/index.js';
import type { VersionFixer } from './directives.js';
import { formatFile } from './print.js';
import { parseGoMod, type GoModFile } from './rule.js';
import { addGoStmt, addToolchainStmt, cleanupFile, dropToolchainStmt, setRequire, setRequireSeparateIndirect, type Requirement } from './setrequire.js';

/** gover.SeparateIndirectVersion: from this go version on, indirect requirements get their own block. */
const SEPARATE_INDIRECT_VERSION = '1.17';
/** gover.GoStrictVersion: toolchain lines naming older toolchains are dropped. */
const GO_STRICT_VERSION = '1.21';

/**
 * The roots of the main module's requirement graph, as cmd/go's `requirements.rootModules` and
 * `direct`: the modules to require, plus the `go` root and possibly a `toolchain` root.
 */
export interface GoModReqs {
  roots: readonly ModuleVersion[];
  /** Paths required directly (not `// indirect`). */
  direct: ReadonlySet<string>;
}

/** Options of {@link updateGoModFromReqs}. */
export interface UpdateGoModOptions {
  /** The running go's version (gover.Local()); when set, a newer go root is an error. */
  goVersion?: string;
  /** $GOTOOLCHAIN, only for the text of {@link GoModTooNewError}. */
  gotoolchain?: string;
  /**
   * The version fixer cmd/go parsed the file with. A version it changed makes the file dirty.
   * Default: canonical semver (`v1.2` → `v1.2.0`), which is what go's fixer yields for versions
   * that need no proxy query.
   */
  fix?: VersionFixer;
}

/**
 * `updating go.mod requires go >= V (running go L[; GOTOOLCHAIN=…])`: the graph needs a newer go than
 * the one emulated, so go refuses to rewrite go.mod.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/gover/toolchain.go (TooNewError)
 */
export class GoModTooNewError extends GoError {
  readonly what = 'updating go.mod';
  constructor(
    readonly goVersion: string,
    local: string,
    gotoolchain = '',
  ) {
    const explain = gotoolchain !== '' && gotoolchain !== 'auto' ? `; GOTOOLCHAIN=${gotoolchain}` : '';
    super('ETOONEW', `updating go.mod requires go >= ${goVersion} (running go ${local}${explain})`);
    this.name = 'GoModTooNewError';
  }
}

/** What cmd/go's `modFileIndex` remembers of the file as read, for the dirty check. */
interface ModFileIndex {
  module: string;
  go: string;
  toolchain: string;
  /** `path@version` → indirect. */
  require: Map<string, boolean>;
  /** `path@version` of the old module → `path@version` of the replacement. */
  replace: Map<string, string>;
  exclude: Set<string>;
  needsFix: boolean;
}

const mv = (m: ModuleVersion): string => `${m.path}@${m.version}`;

function indexModFile(f: GoModFile, needsFix: boolean): ModFileIndex {
  return {
    module: f.module?.path ?? '',
    go: f.go?.version ?? '',
    toolchain: f.toolchain?.name ?? '',
    require: new Map(f.require.map((r) => [mv(r), r.indirect])),
    replace: new Map(f.replace.map((r) => [mv(r.old), mv(r.new)])),
    exclude: new Set(f.exclude.map(mv)),
    needsFix,
  };
}

/** cmd/go `modFileIsDirty` with `-mod=mod` (a changed `// indirect` marker counts). */
function modFileIsDirty(i: ModFileIndex, f: GoModFile): boolean {
  if (i.needsFix || (f.module?.path ?? '') !== i.module) return true;
  if (
    (f.go?.version ?? '') !== i.go ||
    (f.toolchain?.name ?? '') !== i.toolchain ||
    f.require.length !== i.require.size ||
    f.replace.length !== i.replace.size ||
    f.exclude.length !== i.exclude.size
  ) {
    return true;
  }
  for (const r of f.require) {
    if (i.require.get(mv(r)) !== r.indirect) return true;
  }
  for (const r of f.replace) {
    if (i.replace.get(mv(r.old)) !== mv(r.new)) return true;
  }
  return f.exclude.some((x) => !i.exclude.has(mv(x)));
}

/**
 * The versions go's fixer settles without asking the proxy: canonical ones stay, `-gopkgin-` hacks
 * lose their prefix, other valid semver is canonicalized (go would query; for `v1.2` the query picks
 * the latest `v1.2.x`, so pass `opts.fix` when that matters).
 */
function offlineFix(path: string, version: string): string {
  let v = version;
  if (path.startsWith('gopkg.in/') && v.includes('-gopkgin-')) v = v.slice(v.indexOf('-gopkgin-') + '-gopkgin-'.length);
  const cv = canonicalVersion(v);
  if (cv === '') throw new ModuleError(path, v, new InvalidVersionError(v, 'must be of the form v1.2.3'));
  return cv;
}

/**
 * cmd/go's `UpdateGoModFromReqs` followed by `commitRequirements`' decision to write: the bytes go
 * writes to the main module's go.mod for the given requirement roots, or `undefined` when it leaves
 * the file alone (same meaning as before, or same bytes). `roots` must contain a `go` entry.
 *
 * @throws ModfileErrorList when `data` does not parse; GoModTooNewError when the go root is newer
 *   than `opts.goVersion`.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/init.go (UpdateGoModFromReqs, commitRequirements)
 */
export function updateGoModFromReqs(file: string, data: Uint8Array, reqs: GoModReqs, opts: UpdateGoModOptions = {}): Uint8Array | undefined {
  let needsFix = false;
  const inner = opts.fix ?? offlineFix;
  const fix: VersionFixer = (path, version) => {
    const fixed = inner(path, version);
    if (fixed !== version) needsFix = true;
    return fixed;
  };
  const f = parseGoMod(file, data, 'strict', { fix });
  const index = indexModFile(f, needsFix);

  let goVersion = '';
  let toolchain = '';
  const list: Requirement[] = [];
  for (const m of reqs.roots) {
    if (m.path === 'go') goVersion = m.version;
    else if (m.path === 'toolchain') toolchain = m.version;
    else list.push({ path: m.path, version: m.version, indirect: !reqs.direct.has(m.path) });
  }
  if (goVersion === '') throw new InternalError('go: internal error: missing go root module in WriteGoMod');
  if (opts.goVersion !== undefined && goCompare(goVersion, opts.goVersion) > 0) {
    throw new GoModTooNewError(goVersion, opts.goVersion, opts.gotoolchain);
  }
  // With -mod=mod go always writes the go line (the "leave a missing 1.16 alone" case is for
  // commands that do not normally update go.mod).
  if (f.go === undefined || f.go.version !== goVersion) addGoStmt(f, goVersion);
  if (toolchain === '') toolchain = `go${goVersion}`;
  if (toolchain === `go${goVersion}` || goCompare(goFromToolchain(toolchain), GO_STRICT_VERSION) < 0) dropToolchainStmt(f);
  else addToolchainStmt(f, toolchain);

  if (goCompare(goVersion, SEPARATE_INDIRECT_VERSION) < 0) setRequire(f, list);
  else setRequireSeparateIndirect(f, list);
  cleanupFile(f);
  const after = formatFile(f.syntax);

  if (!modFileIsDirty(index, f)) return undefined;
  // lockedfile.Transform skips the write when the bytes already match.
  return Buffer.from(after).equals(Buffer.from(data)) ? undefined : after;
}
