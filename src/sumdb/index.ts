/**
 * The checksum database: signed notes, the transparency log and its tiles, the client, cmd/go's
 * GOSUMDB handling and a test server.
 * @see /usr/local/go/src/cmd/vendor/golang.org/x/mod/sumdb
 * @see /usr/local/go/src/cmd/go/internal/modfetch/sumdb.go
 */
export * from './errors.js';
export * from './note.js';
export * from './tlog.js';
export * from './records.js';
export * from './tile.js';
export * from './client.js';
export * from './gosumdb.js';
export { TestSumdbServer, entryText, type SumdbEntry, type SumdbResponse, type StopOptions } from './server.js';
