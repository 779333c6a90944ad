// Large entries (over 256 KiB compressed or 1 MiB uncompressed) are read synchronously through a
// native inflate handle and written piece by piece; an entry that is not clean is read again by the
// streaming path, which names go's error (the oracle tests compare those errors with go's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { tempDir } from '../support/tmp.js';
import { writeZip, type ModelEntry } from '../support/zipmodel.js';
import { openZipArchive } from '../../src/verify/zipdir.js';
import { readEntry, type EntrySink } from '../../src/verify/zipreader.js';
import { ZipChecksumError } from '../../src/verify/ziperrors.js';

/** A sink that records which path wrote what. */
function recordingSink() {
  const r = { written: [] as Buffer[], streamed: [] as Buffer[], opened: 0, streams: 0, discarded: 0, closed: 0 };
  const sink: EntrySink = {
    writeAll: () => assert.fail('a large entry written whole'),
    open: () => {
      r.opened++;
      r.written = [];
      return {
        write: (d) => void r.written.push(Buffer.from(d)),
        close: () => void r.closed++,
        discard: () => void r.discarded++,
      };
    },
    stream: () => {
      r.streams++;
      return new Writable({ write: (c: Buffer, _e, cb) => (r.streamed.push(Buffer.from(c)), cb()) });
    },
  };
  return { r, sink };
}

const text = (n: number) => Buffer.from(Array.from({ length: n }, (_, k) => `line ${k}: ${(k * 7919) % 104729}\n`).join(''));
const sha = (b: Buffer) => createHash('sha256').update(b).digest();

test('clean large entries, deflated, stored, with a data descriptor: read without streams, bytes and hash right', async (t) => {
  const dir = tempDir(t);
  const entries: ModelEntry[] = [
    { name: Buffer.from('m@v1/deflated.txt'), content: text(120_000), deflate: true, flags: 0 },
    { name: Buffer.from('m@v1/stored.bin'), content: randomBytes(1_300_000), deflate: false, flags: 0 },
    { name: Buffer.from('m@v1/descriptor.txt'), content: text(90_000), deflate: true, flags: 0x8, descriptor: 'sig' },
  ];
  const file = join(dir, 'm.zip');
  await writeFile(file, writeZip({ entries, prefix: Buffer.alloc(0), suffix: Buffer.alloc(0), comment: Buffer.alloc(0) }));
  const zip = await openZipArchive(file);
  t.after(() => zip.close());
  for (const [i, e] of zip.entries.entries()) {
    const { r, sink } = recordingSink();
    const digest = await readEntry(zip, e, sink);
    const want = entries[i]!.content;
    assert.equal(r.streams, 0, `${e.key}: streamed`);
    assert.deepEqual([r.opened, r.closed, r.discarded], [1, 1, 0]);
    assert.ok(Buffer.concat(r.written).equals(want), `${e.key}: content`);
    assert.ok(digest.equals(sha(want)), `${e.key}: sha256`);
  }
});

test('a large entry with a wrong CRC: the file begun is discarded, the streaming path reads it and fails as go does', async (t) => {
  const dir = tempDir(t);
  const content = text(120_000);
  const file = join(dir, 'bad.zip');
  await writeFile(file, writeZip({
    entries: [{ name: Buffer.from('m@v1/big.txt'), content, deflate: true, flags: 0, crc: 12345 }],
    prefix: Buffer.alloc(0), suffix: Buffer.alloc(0), comment: Buffer.alloc(0),
  }));
  const zip = await openZipArchive(file);
  t.after(() => zip.close());
  const { r, sink } = recordingSink();
  await assert.rejects(readEntry(zip, zip.entries[0]!, sink), ZipChecksumError);
  assert.deepEqual([r.opened, r.discarded, r.streams], [1, 1, 1]);
});

test('a deflate stream that ends before its section (bytes trail it): the streaming path decides', async (t) => {
  const dir = tempDir(t);
  // The central directory claims 300 KiB of compressed data (a large entry) for an empty deflate
  // stream of two bytes: the rest of the section is whatever follows in the file.
  const file = join(dir, 'trailing.zip');
  await writeFile(file, writeZip({
    entries: [{ name: Buffer.from('m@v1/empty.txt'), content: Buffer.alloc(0), deflate: true, flags: 0, csize: 300 << 10, usize: 0 }],
    prefix: Buffer.alloc(0), suffix: Buffer.alloc(0), comment: Buffer.alloc(0),
  }));
  const zip = await openZipArchive(file);
  t.after(() => zip.close());
  const { r, sink } = recordingSink();
  await readEntry(zip, zip.entries[0]!, sink).catch(() => undefined);
  assert.deepEqual([r.opened, r.discarded, r.streams], [1, 1, 1]);
});
