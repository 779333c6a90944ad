/**
 * The checksum database: signed notes, the transparency log and its tiles, the client, cmd/go's
 * GOSUMDB handling (the test server lives in test/support/sumdb-server.ts).
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modfetch/sumdb.go
 */
export * from './errors.js';
export * from './note.js';
export * from './tlog.js';
export * from './records.js';
export * from './tile.js';
export * from './client.js';
export * from './gosumdb.js';
