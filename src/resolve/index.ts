/**
 * Module graph loading, MVS, replace/exclude, version queries, workspaces and `go mod download`
 * argument resolution. The entry point for the orchestrator is {@link planDownload}.
 *
 * @see https://go.dev/ref/mod#minimal-version-selection
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/
 */
export { planDownload, type PlanOptions, type DownloadPlan, type PlannedModule } from './plan.js';
export { isNotExist, type ModuleSource, type RevInfo, type ResolveEvents, type SourceRepo, type VersionList } from './source.js';
export { keepSums, sumKey, goSumWritePolicy, type GoSumWritePolicy } from './keepsums.js';
export { ModLoader, Requirements, type ModLoaderOptions } from './loader.js';
export { ModuleGraph, readModGraph } from './graph.js';
export { MainModuleSet, sumFileOf, type MainModule, type WorkFile } from './mainmodules.js';
export { openMainModules, findGoWork, shortPathFrom, type OpenOptions, type OpenedMainModules } from './workspace.js';
export { findModuleRoot } from '../internal/modroot.js';
export { Querier, isRevisionQuery, type AllowedFunc } from './query.js';
export { listModules, parsePathVersion, type ListedModule, type ListResult } from './list.js';
export { matchPattern } from './pkgpattern.js';
export { likelyTargets, offlineTargets, withToolchain } from './targets.js';
export { modCompare, modSort, cmpVersion, isToolchainPath } from './modver.js';
export * from './errors.js';
