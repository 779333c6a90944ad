// A checksum database for tests, built on this folder's own tlog and note code: it signs tree heads
// with a test key and serves /lookup, /latest, /tile (hash and data tiles, full and partial) and
// /supported through a plain handler, so it can sit behind a test GOPROXY's sumdb hook or its own
// node:http server on 127.0.0.1.
//
// Records are go.sum lines. The log only grows (add); fork() copies it so two histories of the
// same size can be served (what a misbehaving server does); stopAnswering() makes it fail or hang.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unescapePath, unescapeVersion } from '../../src/module/index.js';
import { utf8Bytes, concatBytes, shl, shr } from '../../src/sumdb/bytes.js';
import { newSigner, signNote, verifierKeyForSigner, type Signer } from '../../src/sumdb/note.js';
import { formatRecord, formatTree } from '../../src/sumdb/records.js';
import { parseTilePath, readTileData } from '../../src/sumdb/tile.js';
import { arrayHashReader, storedHashesForRecordHash, recordHash, treeHash, type Hash } from '../../src/sumdb/tlog.js';

/** One module version's entry: its go.sum lines, or the text of a record given verbatim. */
export interface SumdbEntry {
  path: string;
  version: string;
  /** `h1:` hash of the zip (the `path version h1:…` line); omitted if absent. */
  hash?: string;
  /** `h1:` hash of the go.mod (the `path version/go.mod h1:…` line); omitted if absent. */
  goModHash?: string;
  /** Raw record text (lines ending in `\n`); overrides hash and goModHash. */
  text?: string;
}

/** What the handler answers. */
export interface SumdbResponse {
  status: number;
  body: Uint8Array;
  contentType: string;
}

/** How a stopped server fails. */
export interface StopOptions {
  /** `status` answers every matching request with `status` (default 503); `hang` never answers. */
  mode: 'status' | 'hang';
  status?: number;
  /** Only requests whose path matches fail (default: all). */
  only?: (urlPath: string) => boolean;
}

// Go's server.go modVerRE: what a /lookup/ argument must look like before unescaping.
const MOD_VER_RE = /^[^@]+@v[0-9]+\.[0-9]+\.[0-9]+(-[^@]*)?(\+incompatible)?$/;

interface LogState {
  records: Uint8Array[];
  stored: Hash[];
  lookup: Map<string, number>;
}

/** The record text of an entry: its go.sum lines. */
export function entryText(e: SumdbEntry): string {
  if (e.text !== undefined) return e.text;
  let t = '';
  if (e.hash !== undefined) t += `${e.path} ${e.version} ${e.hash}\n`;
  if (e.goModHash !== undefined) t += `${e.path} ${e.version}/go.mod ${e.goModHash}\n`;
  return t;
}

function text(status: number, body: string): SumdbResponse {
  return { status, body: utf8Bytes(body), contentType: 'text/plain; charset=utf-8' };
}

/**
 * A test checksum database.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/server.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/sumdb/test.go
 */
export class TestSumdbServer {
  /** The database name, e.g. `localhost.localdev/sumdb`. */
  readonly name: string;
  /** The verifier key clients need (`name+hash+key`). */
  readonly verifierKey: string;
  /** Tile height; 8 like sum.golang.org (the x/mod client tests use 2). */
  readonly tileHeight: number;
  /** Every path the handler was asked for, in order. */
  readonly requests: string[] = [];

  private readonly signerKey: string;
  private readonly signer: Signer;
  private log: LogState = { records: [], stored: [], lookup: new Map() };
  private stop: StopOptions | undefined;
  private hanging: (() => void)[] = [];
  private httpServer: Server | undefined;

  constructor(opts: { signerKey: string; tileHeight?: number }) {
    this.signerKey = opts.signerKey;
    this.signer = newSigner(opts.signerKey);
    this.name = this.signer.name;
    this.verifierKey = verifierKeyForSigner(opts.signerKey);
    this.tileHeight = opts.tileHeight ?? 8;
  }

  /** Number of records in the log. */
  get size(): number {
    return this.log.records.length;
  }

  /**
   * Appends records (the tree grows) and returns their ids. A module version already in the log
   * keeps its first record.
   */
  async add(...entries: SumdbEntry[]): Promise<number[]> {
    const ids: number[] = [];
    for (const e of entries) {
      const key = `${e.path}@${e.version}`;
      const known = this.log.lookup.get(key);
      if (known !== undefined) {
        ids.push(known);
        continue;
      }
      const data = utf8Bytes(entryText(e));
      formatRecord(0, data); // validates the record text
      const id = this.log.records.length;
      const hashes = await storedHashesForRecordHash(id, recordHash(data), arrayHashReader(this.log.stored));
      this.log.records.push(data);
      this.log.stored.push(...hashes);
      this.log.lookup.set(key, id);
      ids.push(id);
    }
    return ids;
  }

  /** A copy of this database with the same history so far; later additions diverge. */
  fork(): TestSumdbServer {
    const f = new TestSumdbServer({ signerKey: this.signerKey, tileHeight: this.tileHeight });
    f.log = { records: [...this.log.records], stored: [...this.log.stored], lookup: new Map(this.log.lookup) };
    return f;
  }

  /** The signed tree head for the current size (what /latest serves). */
  async signedTree(size = this.size): Promise<Uint8Array> {
    const h = await treeHash(size, arrayHashReader(this.log.stored));
    return signNote(formatTree({ n: size, hash: h }), [this.signer]);
  }

  /** Makes the handler fail (or hang) until resumeAnswering(). */
  stopAnswering(opts: StopOptions = { mode: 'status' }): void {
    this.stop = opts;
  }

  /** Undoes stopAnswering; hung requests are then answered with 503. */
  resumeAnswering(): void {
    this.stop = undefined;
    for (const release of this.hanging.splice(0)) release();
  }

  /**
   * Answers a request for `urlPath`, relative to the database root: `/lookup/<epath>@<evers>`,
   * `/latest`, `/tile/H/L/NNN[.p/W]`, `/tile/H/data/NNN[.p/W]`, `/supported`.
   */
  async handle(urlPath: string): Promise<SumdbResponse> {
    this.requests.push(urlPath);
    const stop = this.stop;
    if (stop !== undefined && (stop.only === undefined || stop.only(urlPath))) {
      if (stop.mode === 'hang') {
        await new Promise<void>((resolve) => this.hanging.push(resolve));
        return text(503, 'Service Unavailable\n');
      }
      return text(stop.status ?? 503, `${stop.status ?? 503} test server stopped answering\n`);
    }
    if (urlPath === '/supported') return text(200, '');
    if (urlPath === '/latest') return { status: 200, body: await this.signedTree(), contentType: 'text/plain; charset=UTF-8' };
    if (urlPath.startsWith('/lookup/')) return this.lookup(urlPath.slice('/lookup/'.length));
    if (urlPath.startsWith('/tile/')) return this.tile(urlPath.slice(1));
    return text(404, '404 page not found\n');
  }

  private async lookup(mod: string): Promise<SumdbResponse> {
    if (!MOD_VER_RE.test(mod)) return text(400, 'invalid module@version syntax\n');
    const at = mod.indexOf('@');
    let path: string;
    let vers: string;
    try {
      path = unescapePath(mod.slice(0, at));
      vers = unescapeVersion(mod.slice(at + 1));
    } catch (err) {
      return text(500, `${(err as Error).message}\n`);
    }
    const id = this.log.lookup.get(`${path}@${vers}`);
    if (id === undefined) return text(404, `not found: ${path}@${vers}\n`);
    const body = concatBytes(formatRecord(id, this.log.records[id]!), await this.signedTree());
    return { status: 200, body, contentType: 'text/plain; charset=UTF-8' };
  }

  private async tile(path: string): Promise<SumdbResponse> {
    let t;
    try {
      t = parseTilePath(path);
    } catch {
      return text(400, 'invalid tile syntax\n');
    }
    if (t.h !== this.tileHeight) return text(404, 'not found\n');
    const size = this.size;
    if (t.l === -1) {
      const start = shl(t.n, t.h);
      if (start + t.w > size) return text(404, 'not found\n');
      const parts = this.log.records.slice(start, start + t.w).map((r) => concatBytes(r, utf8Bytes('\n')));
      return { status: 200, body: concatBytes(...parts), contentType: 'text/plain; charset=UTF-8' };
    }
    // The tile exists only if the tree has all its hashes.
    if (shl(t.n, t.h) + t.w > shr(size, t.l * t.h)) return text(404, 'not found\n');
    const body = await readTileData(t, arrayHashReader(this.log.stored));
    return { status: 200, body, contentType: 'application/octet-stream' };
  }

  /** Serves the handler on its own node:http server at 127.0.0.1; returns the base URL. */
  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      this.handle(urlPath).then(
        (r) => {
          res.writeHead(r.status, { 'Content-Type': r.contentType, 'Content-Length': r.body.length });
          res.end(r.body);
        },
        (err: unknown) => {
          res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end(`${String(err)}\n`);
        },
      );
    });
    this.httpServer = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Stops the node:http server (if any) and releases hung requests. */
  async close(): Promise<void> {
    this.resumeAnswering();
    const s = this.httpServer;
    this.httpServer = undefined;
    if (s !== undefined) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }
}
