/**
 * The checksum database: signed notes, the transparency log and its tiles, the client, cmd/go's
 * GOSUMDB handling (the test server lives in test/support/sumdb-server.ts).
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
