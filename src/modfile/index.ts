/**
 * go.mod / go.work / go.sum: lexer and parser (strict and lax), the `-json` projections, the
 * formatter, and the go.sum reader/writer.
 *
 * @see https://go.dev/ref/mod#go-mod-file
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/modfile/
 */
export * from './syntax.js';
export * from './errors.js';
export { parseSyntax } from './read.js';
export { autoQuote, mustQuote, isDirectoryPath } from './directives.js';
export type { VersionFixer, VersionInterval } from './directives.js';
export * from './rule.js';
export { parseLaxFast, type LaxGoMod } from './laxfast.js';
export * from './work.js';
export * from './json.js';
export { formatFile } from './print.js';
export { cleanupSyntax, dedupStatements, sortBlocks, sortWorkBlocks } from './normalize.js';
export * from './gosum.js';
export { addLine, markLineRemoved, updateLine } from './lines.js';
export * from './setrequire.js';
export { updateGoModFromReqs, GoModTooNewError } from './edit.js';
export type { GoModReqs, UpdateGoModOptions } from './edit.js';
