/**
 * Which module versions a run fetches beyond go's plan, as pure functions of the plan or the main
 * modules: the zips worth prefetching while the graph loads, the toolchain module (--toolchain) and the
 * `.info`/go.mod files `go list -m all` reads (--offline-complete). The fetching is modfetch/'s.
 */
import type { MainModuleSet } from './mainmodules.js';
import { isToolchainPath, type ModuleVersion } from './modver.js';
import type { DownloadPlan, PlannedModule } from './plan.js';
import { toolchainModule } from './toolchain.js';

/**
 * The modules whose zips are worth fetching while the graph still loads: the main modules' require
 * lines (excluded versions aside), which a tidy go.mod lists at exactly their selected versions, keyed
 * by the module version whose go.mod the resolver loads, mapped to what would be downloaded (its
 * replacement). Only for a no-argument run or `all`; explicit versions name their own targets.
 */
export function likelyTargets(mm: MainModuleSet | undefined, args: readonly string[]): Map<string, ModuleVersion> {
  const out = new Map<string, ModuleVersion>();
  if (mm === undefined || (args.length > 0 && !args.includes('all'))) return out;
  for (const main of mm.modules) {
    for (const r of main.file.require) {
      const m = { path: r.path, version: r.version };
      if (mm.isExcluded(m)) continue;
      const target = mm.resolveReplacement(m);
      if (target.version === '') continue; // a directory: nothing to download
      out.set(`${m.path}@${m.version}`, target);
      out.set(`${target.path}@${target.version}`, target);
    }
  }
  return out;
}

/**
 * The plan's modules plus the toolchain module its go.mod (or go.work) selects for `platform`
 * (GOOS/GOARCH), as go's toolchain switch would download it.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/toolchain/select.go (Select)
 */
export function withToolchain(plan: DownloadPlan, platform: string): readonly PlannedModule[] {
  const mm = plan.mainModules;
  const file = mm?.work?.file ?? mm?.modules[0]?.file;
  const [goos = '', goarch = ''] = platform.split('/');
  const tc = file === undefined ? undefined : toolchainModule(file.go, file.toolchain, goos, goarch);
  if (tc === undefined || plan.modules.some((m) => m.path === tc.path && m.version === tc.version)) return plan.modules;
  return [...plan.modules, tc];
}

/**
 * --offline-complete: every module of the build list (replacements applied, main modules, directories
 * and the toolchain aside), whose `.info` and go.mod go list -m all reads (moduleInfo) beyond what go
 * mod download fetches.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/build.go (moduleInfo)
 */
export function offlineTargets(plan: DownloadPlan): readonly ModuleVersion[] {
  const mm = plan.mainModules;
  if (mm === undefined || plan.buildList === undefined) return [];
  return plan.buildList
    .filter((m) => !isToolchainPath(m.path) && !mm.contains(m.path))
    .map((m) => mm.resolveReplacement(m))
    .filter((m) => m.version !== '');
}
