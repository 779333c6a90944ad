// The checksum database client (golang.org/x/mod/sumdb/client.go): looks up go.sum lines, checks
// them against the log's signed tree heads through tiles, and keeps the newest tree head.
//
// Invariants:
// - Nothing reaches the cache (ops.writeCache) before it is authenticated: lookups after their
//   record hash is found in a tile chain that hashes up to a signed head, tiles after the chain
//   check (tileHashReader), each tile at most once per client.
// - The tree head only moves forward, and only after the older head is proved to be a prefix of
//   the newer one; otherwise the server forked the log: ops.securityError gets go's SECURITY ERROR
//   text and the lookup fails with `security error: misbehaving server`.
// - Identical concurrent lookups and tile reads share one promise (Go's parCache), errors included.
import { escapePath, escapeVersion, matchPrefixPatterns } from '../module/index.js';
import { decodeUtf8 } from './bytes.js';
import { SumdbError } from './errors.js';
import { newVerifier, openNote, verifierList, type Verifiers } from './note.js';
import { parseRecord, parseTree, type Tree } from './records.js';
import { tileHashReader, tilePath, type Tile, type TileReader } from './tile.js';
import { checkTree, EMPTY_HASH, formatHash, hashEqual, proveTree, recordHash, storedHashIndex, treeHash } from './tlog.js';

/** The outside world of a client: the network, the config files and the cache. */
export interface ClientOps {
  /** GET `<base><path>` (path like `/lookup/…` or `/tile/8/0/000`); rejects on any failure. */
  readRemote(path: string): Promise<Uint8Array>;
  /** `key` (the verifier key) or `<name>/latest` (empty if missing). */
  readConfig(file: string): Promise<Uint8Array>;
  /** Replaces a config file if it still holds `old`; rejects with WriteConflictError otherwise. */
  writeConfig(file: string, old: Uint8Array, data: Uint8Array): Promise<void>;
  /** `<name>/lookup/…` or `<name>/tile/…`; rejects if missing (or empty). */
  readCache(file: string): Promise<Uint8Array>;
  /** Stores a verified lookup or tile; failures are ignored, as in Go. */
  writeCache(file: string, data: Uint8Array): Promise<void>;
  /** Receives the SECURITY ERROR text of a forked log (cmd/go prints it and exits 1). */
  securityError(msg: string): void;
}

/** `write conflict`: the config file changed under writeConfig. */
export class WriteConflictError extends SumdbError {
  constructor() {
    super('ESUMDB_WRITE_CONFLICT', 'write conflict');
  }
}

/** `security error: misbehaving server`; `report` holds the SECURITY ERROR text. */
export class MisbehavingServerError extends SumdbError {
  constructor(readonly report: string) {
    super('ESUMDB_SECURITY', 'security error: misbehaving server');
  }
}

/** `skipped (listed in GONOSUMDB)`. */
export class GonosumdbSkipError extends SumdbError {
  constructor() {
    super('ESUMDB_GONOSUMDB', 'skipped (listed in GONOSUMDB)');
  }
}

/** A lookup failure: `PATH@VERS: <cause>`; `securityReport` is set when the cause was a fork. */
export class SumdbLookupError extends SumdbError {
  readonly securityReport: string | undefined;
  constructor(path: string, vers: string, cause: unknown) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    super(cause instanceof SumdbError ? cause.code : 'ESUMDB_LOOKUP', `${path}@${vers}: ${msg}`, { cause });
    this.securityReport = findSecurityReport(cause);
  }
}

/** The SECURITY ERROR text carried by err or one of its causes, if any. */
export function findSecurityReport(err: unknown): string | undefined {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e instanceof MisbehavingServerError) return e.report;
    if (e instanceof SumdbLookupError) return e.securityReport;
  }
  return undefined;
}

function wrap(prefix: string, err: unknown): SumdbError {
  const msg = err instanceof Error ? err.message : String(err);
  return new SumdbError(err instanceof SumdbError ? err.code : 'ESUMDB', `${prefix}${msg}`, { cause: err });
}

const enum When {
  Past = 1,
  Now,
  Future,
}

/**
 * A checksum database client.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/client.go
 */
export class SumdbClient {
  private readonly ops: ClientOps;
  private readonly tileHeight: number;
  private readonly nosumdb: string;
  private initPromise: Promise<void> | undefined;
  private name = '';
  private verifiers: Verifiers = verifierList();
  private latest: Tree = { n: 0, hash: EMPTY_HASH };
  private latestMsg: Uint8Array = new Uint8Array(0);
  private readonly records = new Map<string, Promise<Uint8Array>>();
  private readonly tiles = new Map<string, Promise<Uint8Array>>();
  private readonly tileSaved = new Set<string>();
  private readonly tileReader: TileReader;

  constructor(ops: ClientOps, opts: { tileHeight?: number; gonosumdb?: string } = {}) {
    this.ops = ops;
    this.tileHeight = opts.tileHeight ?? 8;
    this.nosumdb = opts.gonosumdb ?? '';
    this.tileReader = {
      height: this.tileHeight,
      readTiles: (tiles) => this.readTiles(tiles),
      saveTiles: (tiles, data) => this.saveTiles(tiles, data),
    };
  }

  private init(): Promise<void> {
    this.initPromise ??= (async () => {
      try {
        const vkey = decodeUtf8(await this.ops.readConfig('key')).trim();
        const verifier = newVerifier(vkey);
        this.verifiers = verifierList(verifier);
        this.name = verifier.name;
        await this.mergeLatest(await this.ops.readConfig(`${this.name}/latest`));
      } catch (err) {
        throw wrap('initializing sumdb.Client: ', err);
      }
    })();
    return this.initPromise;
  }

  /**
   * Returns the go.sum lines the database holds for path@vers (vers may end in `/go.mod`).
   * Rejects with SumdbLookupError (`PATH@VERS: …`) or GonosumdbSkipError.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/client.go Client.Lookup
   */
  async lookup(path: string, vers: string): Promise<string[]> {
    if (matchPrefixPatterns(this.nosumdb, path)) throw new GonosumdbSkipError();
    let text: Uint8Array;
    try {
      await this.init();
      const epath = escapePath(path);
      const evers = escapeVersion(vers.endsWith('/go.mod') ? vers.slice(0, -'/go.mod'.length) : vers);
      const remotePath = `/lookup/${epath}@${evers}`;
      const file = this.name + remotePath;
      let p = this.records.get(file);
      if (p === undefined) {
        p = this.fetchRecord(file, remotePath);
        this.records.set(file, p);
      }
      text = await p;
    } catch (err) {
      throw new SumdbLookupError(path, vers, err);
    }
    const prefix = `${path} ${vers} `;
    return decodeUtf8(text)
      .split('\n')
      .filter((line) => line.startsWith(prefix));
  }

  private async fetchRecord(file: string, remotePath: string): Promise<Uint8Array> {
    let data: Uint8Array;
    let writeCache = false;
    try {
      data = await this.ops.readCache(file);
    } catch {
      data = await this.ops.readRemote(remotePath);
      writeCache = true;
    }
    const { id, text, rest } = parseRecord(data);
    await this.mergeLatest(rest);
    await this.checkRecord(id, text);
    if (writeCache) await this.ops.writeCache(file, data).catch(() => undefined);
    return text;
  }

  /**
   * Merges a signed tree head into the client's latest and persists it when it moved forward.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/client.go Client.mergeLatest
   */
  private async mergeLatest(msg: Uint8Array): Promise<void> {
    if ((await this.mergeLatestMem(msg)) !== When.Future) return;
    // The head moved forward: write it back, unless the file already holds something newer.
    for (;;) {
      const cur = await this.ops.readConfig(`${this.name}/latest`);
      if ((await this.mergeLatestMem(cur)) !== When.Past) return;
      try {
        await this.ops.writeConfig(`${this.name}/latest`, cur, this.latestMsg);
        return;
      } catch (err) {
        if (!(err instanceof WriteConflictError)) throw err;
      }
    }
  }

  private async mergeLatestMem(msg: Uint8Array): Promise<When> {
    if (msg.length === 0) return this.latest.n === 0 ? When.Now : When.Past;
    let noteText: string;
    try {
      noteText = openNote(msg, this.verifiers).text;
    } catch (err) {
      throw new SumdbError(
        err instanceof SumdbError ? err.code : 'ESUMDB',
        `reading tree note: ${(err as Error).message}\nnote:\n${Buffer.from(msg).toString()}`,
        { cause: err },
      );
    }
    let tree: Tree;
    try {
      tree = parseTree(noteText);
    } catch (err) {
      throw wrapTreeError(err, noteText);
    }
    let latest = this.latest;
    let latestMsg = this.latestMsg;
    for (;;) {
      if (tree.n <= latest.n) {
        await this.checkTrees(tree, msg, latest, latestMsg);
        return tree.n < latest.n ? When.Past : When.Now;
      }
      await this.checkTrees(latest, latestMsg, tree, msg);
      // Install unless another merge moved latest while we were checking; then re-check.
      if (this.latest.n === latest.n && hashEqual(this.latest.hash, latest.hash)) {
        this.latest = tree;
        this.latestMsg = msg;
        return When.Future;
      }
      latest = this.latest;
      latestMsg = this.latestMsg;
    }
  }

  /**
   * Checks that older is a prefix of newer, using newer's tiles; on a fork reports the SECURITY
   * ERROR text with go's proof of misbehavior.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/client.go Client.checkTrees
   */
  private async checkTrees(older: Tree, olderNote: Uint8Array, newer: Tree, newerNote: Uint8Array): Promise<void> {
    const thr = tileHashReader(newer, this.tileReader);
    let h;
    try {
      h = await treeHash(older.n, thr);
    } catch (err) {
      if (older.n === newer.n) throw wrap(`checking tree#${older.n}: `, err);
      throw wrap(`checking tree#${older.n} against tree#${newer.n}: `, err);
    }
    if (hashEqual(h, older.hash)) return;

    const indent = (b: Uint8Array): string => Buffer.from(b).toString().replaceAll('\n', '\n\t');
    let report =
      'SECURITY ERROR\ngo.sum database server misbehavior detected!\n\n' +
      `old database:\n\t${indent(olderNote)}\n` +
      `new database:\n\t${indent(newerNote)}\n` +
      `proof of misbehavior:\n\t${formatHash(h)}`;
    try {
      const p = await proveTree(newer.n, older.n, thr);
      try {
        checkTree(p, newer.n, newer.hash, older.n, h);
        for (const ph of p) report += `\n\t${formatHash(ph)}`;
      } catch {
        report += '\tinternal error: generated inconsistent proof\n';
      }
    } catch (err) {
      report += `\tinternal error: ${(err as Error).message}\n`;
    }
    this.ops.securityError(report);
    throw new MisbehavingServerError(report);
  }

  /**
   * Checks that record id of the latest tree has the given text.
   * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/client.go Client.checkRecord
   */
  private async checkRecord(id: number, data: Uint8Array): Promise<void> {
    const latest = this.latest;
    if (id >= latest.n) throw new SumdbError('ESUMDB_RECORD', `cannot validate record ${id} in tree of size ${latest.n}`);
    const [h] = await tileHashReader(latest, this.tileReader).readHashes([storedHashIndex(0, Math.max(id, 0))]);
    if (id < 0 || h === undefined || !hashEqual(h, recordHash(data))) {
      throw new SumdbError('ESUMDB_RECORD', 'cannot authenticate record data in server response');
    }
  }

  // All tiles concurrently; like Go, the error reported is that of the first failing tile in order.
  private async readTiles(tiles: Tile[]): Promise<Uint8Array[]> {
    const results = await Promise.allSettled(tiles.map((t) => this.readTile(t)));
    return results.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
  }

  /** Cached tile, else the cached full tile cut down, else remote, else remote full tile cut down. */
  private readTile(tile: Tile): Promise<Uint8Array> {
    const key = tilePath(tile);
    let p = this.tiles.get(key);
    if (p === undefined) {
      p = this.readTileUncached(tile);
      this.tiles.set(key, p);
    }
    return p;
  }

  private async readTileUncached(tile: Tile): Promise<Uint8Array> {
    const full: Tile = { ...tile, w: 2 ** tile.h };
    const isFull = full.w === tile.w;
    const cut = (data: Uint8Array): Uint8Array => data.subarray(0, Math.floor(data.length / full.w) * tile.w);
    try {
      const data = await this.ops.readCache(`${this.name}/${tilePath(tile)}`);
      this.tileSaved.add(tilePath(tile));
      return data;
    } catch {
      // not cached
    }
    if (!isFull) {
      try {
        const data = await this.ops.readCache(`${this.name}/${tilePath(full)}`);
        this.tileSaved.add(tilePath(tile)); // never save the partial tile: the full one is cached
        return cut(data);
      } catch {
        // not cached either
      }
    }
    try {
      return await this.ops.readRemote(`/${tilePath(tile)}`);
    } catch (err) {
      if (!isFull) {
        try {
          return cut(await this.ops.readRemote(`/${tilePath(full)}`));
        } catch {
          // report the first error
        }
      }
      throw err;
    }
  }

  private async saveTiles(tiles: Tile[], data: Uint8Array[]): Promise<void> {
    const writes: Promise<void>[] = [];
    tiles.forEach((t, i) => {
      const key = tilePath(t);
      if (this.tileSaved.has(key)) return;
      this.tileSaved.add(key);
      writes.push(this.ops.writeCache(`${this.name}/${key}`, data[i]!).catch(() => undefined));
    });
    await Promise.all(writes);
  }
}

function wrapTreeError(err: unknown, noteText: string): SumdbError {
  return new SumdbError(
    err instanceof SumdbError ? err.code : 'ESUMDB',
    `reading tree: ${(err as Error).message}\ntree:\n${noteText}`,
    { cause: err },
  );
}
