/**
 * The per-module pipeline (go's cmd/go/internal/modfetch above the Repo): `.info`, `.mod` and zip
 * of one module version, each checked against go.sum and the checksum database (`gosum.ts`) and
 * published through cache/; zips prefetched while the graph loads; the download loop over a plan's
 * modules (`batch.ts`, go's runDownload); and the resolver's view of it all (`source.ts`, a
 * ModuleSource over the cache, the fetcher and the checks).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/fetch.go
 */
export { Downloader } from './downloader.js';
export { CacheModuleSource } from './source.js';
export { GoSumMismatchError, ModSums, type ModSumsOptions, type SumdbCheck, type SumMap, type UseSumdb } from './gosum.js';
export type { DownloadEvent, DownloaderOptions, ModuleJSON } from './types.js';
export { openSumFiles, sumdbCheck, writeGoModAndSum } from './sumfiles.js';
export { downloadModules, fetchInfoAndGoMods, moduleJson, type ModuleDoneEvent } from './batch.js';
