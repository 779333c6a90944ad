/**
 * The Go environment (GOPROXY, GOPRIVATE, GOFLAGS, GOMODCACHE, …), read once into a frozen object.
 * @see https://go.dev/ref/mod#environment-variables
 */
export {
  checkGoModCache, GoEnvError, loadGoEnv, ModCacheError, parseEnvFile, userConfigDir,
  type GoEnv, type LoadGoEnvOptions,
} from './goenv.js';
export {
  GoFlagsError, knownGoFlagNames, modDownloadFlagsFromGoFlags, parseGoFlags, splitQuoted,
  type GoFlag, type ModDownloadGoFlags,
} from './goflags.js';
export { chdirProblem } from './chdir.js';
