// The differential zip test: valid module zips mutated by a seeded generator (end record, ZIP64 records,
// central directory and local headers, data descriptors, names, prepended and appended bytes), served as
// versions of one module through the local proxy to go and to gomod-dl, each run once with every
// `path@version` and -json. For every mutant: the same verdict and error text; where go accepts, the
// same h1:; and at the end the same module cache (so nothing published for a zip go refuses).
//
// ZIPDIFF_SEED=<n> reruns with another seed; the seed, mutation list and counts are printed.
// ZIPDIFF_DUMP=<dir> also writes each mutant's zip there (v1.0.N.zip), for a closer look.
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { infoJson } from '../support/modbuilder.js';
import { ModuleStore } from '../support/store.js';
import { startProxy } from '../support/proxy-server.js';
import { parseJsonStream, requireGo, runGo } from '../support/gorun.js';
import { runGomodDl } from '../support/gomoddl.js';
import { assertSameTree } from '../support/tree.js';
import { entryData, extraField, writeZip, zip64Extra, type ModelEntry, type ZipModel } from '../support/zipmodel.js';

const PATH = 'example.com/zipdiff';
const MUTANTS = 240;
const SEED = Number(process.env['ZIPDIFF_SEED'] ?? 20261201);

/** mulberry32: a small seeded generator. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    bool: (): boolean => next() < 0.5,
    bytes: (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))),
  };
}
type Rng = ReturnType<typeof rng>;

/** An honest module zip for `version`, with random methods, directory entries and data descriptors. */
function baseModel(version: string, r: Rng): ZipModel {
  const prefix = `${PATH}@${version}/`;
  const files: Array<[string, string]> = [
    ['go.mod', `module ${PATH}\n`],
    ['a.go', 'package zipdiff\n\n// ' + 'a'.repeat(r.int(0, 300)) + '\n'],
    ['sub/b.go', 'package sub\n' + '// line\n'.repeat(r.int(1, 200))],
    ['LICENSE', 'Some license text.\n'.repeat(r.int(1, 30))],
  ];
  // Now and then a file over 1 MiB, which gomod-dl streams rather than reads whole.
  if (r.next() < 0.15) files.push(['big.txt', 'a streamed line of text, deflated to almost nothing\n'.repeat(r.int(21_000, 25_000))]);
  const entries: ModelEntry[] = [];
  const dirs = r.bool();
  if (dirs) entries.push({ name: Buffer.from(prefix + 'sub/'), content: Buffer.alloc(0), deflate: false, flags: 0, externalAttrs: 0o40755 << 16 });
  const descriptors = r.pick(['none', 'sig', 'nosig'] as const);
  for (const [name, text] of files) {
    const e: ModelEntry = { name: Buffer.from(prefix + name), content: Buffer.from(text), deflate: name === 'big.txt' || r.next() < 0.7, flags: 0 };
    if (descriptors !== 'none') {
      e.flags |= 0x8;
      e.descriptor = descriptors;
    }
    entries.push(e);
  }
  return { entries, prefix: Buffer.alloc(0), suffix: Buffer.alloc(0), comment: Buffer.alloc(0) };
}

/** A file entry (not a directory), chosen at random. */
function fileEntry(m: ZipModel, r: Rng): ModelEntry {
  return r.pick(m.entries.filter((e) => e.content.length > 0));
}

const delta = (r: Rng, max: number): number => (r.bool() ? 1 : -1) * r.int(1, max);

type Mutation = (m: ZipModel, r: Rng, prefix: string) => string;

/** Hostile entry names: each replaces one file's name (central directory, or both headers). */
const NAMES: Array<(p: string) => Buffer> = [
  (p) => Buffer.from(p + '../escape.go'),
  (p) => Buffer.from(p + 'GO.MOD'),
  (p) => Buffer.from(p + 'sub/go.mod'),
  () => Buffer.from('example.com/other@v1.0.0/x.go'),
  (p) => Buffer.from(p + 'new\nline.go'),
  (p) => Buffer.from(p + 'back\\slash.go'),
  (p) => Buffer.concat([Buffer.from(p + 'bad'), Buffer.from([0xff, 0xfe]), Buffer.from('.go')]),
  (p) => Buffer.from(p + 'A.go'),
  (p) => Buffer.from(p + 'a.go'),
  (p) => Buffer.from(p + 'sub'),
  (p) => Buffer.from(p + './x.go'),
  (p) => Buffer.from(p + 'x//y.go'),
  (p) => Buffer.from(p.slice(0, -1)),
  (p) => Buffer.from(p + 'com1.go'),
  (p) => Buffer.from(p + 'x.go/'),
  (p) => Buffer.from('/abs/' + p + 'x.go'),
  (p) => Buffer.from(p + 'x\u0000.go'),
  (p) => Buffer.from(p + 'über.go'),
];

let nextName = 0;
const MUTATIONS: Record<string, Mutation> = {
  'end: count one too few': (m) => ((m.records = m.entries.length - 1), 'records-1'),
  'end: count one too many': (m) => ((m.records = m.entries.length + 1), 'records+1'),
  'end: count off by k, or zero': (m, r) => ((m.records = r.bool() ? 0 : Math.max(0, m.entries.length + delta(r, 3))), `records=${m.records}`),
  'end: count plus 65536 (same mod 2^16)': (m, r) => {
    m.records = m.entries.length; // the field is 16 bits: a hidden extra entry with count+65536 is the same bytes
    const e = fileEntry(m, r);
    m.entries.push({ ...e, name: Buffer.from(e.name.toString('latin1') + '.hidden', 'latin1') });
    return 'records = count of entries minus one hidden entry, written mod 2^16 (refused)';
  },
  'end: records on this disk': (m, r) => ((m.recordsThisDisk = r.int(0, 0xfffe)), `recordsThisDisk=${m.recordsThisDisk}`),
  'end: disk numbers': (m, r) => ((m.disk = r.int(1, 0xffff)), (m.cdDisk = r.int(0, 0xffff)), `disk=${m.disk} cdDisk=${m.cdDisk}`),
  'end: directory offset': (m, r) => ((m.offsetDelta = delta(r, 60)), `offset${m.offsetDelta > 0 ? '+' : ''}${m.offsetDelta}`),
  'end: directory size': (m, r) => ((m.sizeDelta = delta(r, 60)), `size${m.sizeDelta > 0 ? '+' : ''}${m.sizeDelta}`),
  'end: comment longer than its length': (m, r) => ((m.comment = r.bytes(r.int(1, 40))), (m.commentLenDelta = -r.int(1, m.comment.length)), `comment ${m.comment.length}, length ${m.comment.length + m.commentLenDelta}`),
  'end: comment length past the end': (m, r) => ((m.comment = Buffer.from('c'.repeat(r.int(0, 20)))), (m.commentLenDelta = r.int(1, 30)), `comment length +${m.commentLenDelta}`),
  'bytes prepended (relative offsets)': (m, r) => ((m.prefix = r.bytes(r.int(1, 300))), `${m.prefix.length} bytes`),
  'bytes prepended (absolute offsets)': (m, r) => ((m.prefix = r.bytes(r.int(1, 300))), (m.absoluteOffsets = true), `${m.prefix.length} bytes`),
  'bytes appended': (m, r) => ((m.suffix = r.bool() ? r.bytes(r.int(1, 2000)) : Buffer.from('PK\x05\x06junk')), `${m.suffix.length} bytes`),
  'bytes between directory and end record': (m, r) => ((m.gap = r.bytes(r.int(1, 50))), `${m.gap.length} bytes`),
  'zip64: honest end record': (m) => ((m.zip64 = {}), 'zip64'),
  'zip64: count off': (m, r) => ((m.zip64 = { records: BigInt(m.entries.length + delta(r, 2)) }), `zip64 records=${m.zip64.records}`),
  'zip64: count plus 2^16': (m) => ((m.zip64 = { records: BigInt(m.entries.length + 65536) }), 'zip64 records+65536'),
  'zip64: bad end signature': (m) => ((m.zip64 = { signature: 0x06064b51 }), 'bad zip64 signature'),
  'zip64: locator disk or disk count': (m, r) => ((m.zip64 = r.bool() ? { locatorDisk: r.int(1, 5) } : { totalDisks: r.pick([0, 2, 7]) }), JSON.stringify(m.zip64)),
  'zip64: locator offset': (m, r) => {
    const d = r.pick([-1n, 1n, 1000n, 1n << 40n, -(1n << 62n)]);
    m.zip64 = { locatorOffsetDelta: d };
    return `locator offset ${d}`;
  },
  'zip64: directory size or offset': (m, r) => ((m.zip64 = r.bool() ? { size: BigInt(r.int(0, 5000)) } : { offsetDelta: BigInt(delta(r, 30)) }), String(m.zip64.size ?? m.zip64.offsetDelta)),
  'name: hostile (one to three entries)': (m, r, p) => {
    const names: string[] = [];
    for (const e of m.entries.filter((x) => x.content.length > 0).slice(0, r.int(1, 3))) {
      e.name = NAMES[nextName++ % NAMES.length]!(p);
      if (r.bool()) e.localName = e.name;
      names.push(JSON.stringify(e.name.toString('latin1')));
    }
    return names.join(', ');
  },
  'name: local name differs': (m, r) => {
    const e = fileEntry(m, r);
    e.localName = Buffer.from(e.name.toString('latin1').slice(0, -1) + (r.bool() ? 'X' : 'longer'), 'latin1');
    return `local ${e.localName.toString('latin1')}`;
  },
  'central: compressed size': (m, r) => {
    const e = fileEntry(m, r);
    e.csize = Math.max(0, entryData(e).length + delta(r, 20));
    if (r.next() < 0.15) e.csize = 0;
    return `csize=${e.csize}`;
  },
  'central: uncompressed size': (m, r) => ((fileEntry(m, r).usize = r.next() < 0.2 ? 0 : Math.max(0, r.int(0, 2000))), 'usize'),
  'central: CRC': (m, r) => {
    const e = fileEntry(m, r);
    e.crc = r.next() < 0.3 ? 0 : r.int(1, 0xfffffffe);
    if (r.bool()) e.localCrc = e.crc;
    return `crc=${e.crc}`;
  },
  'flags: descriptor flag without a descriptor': (m, r) => {
    const e = fileEntry(m, r);
    e.flags |= 0x8;
    delete e.descriptor;
    return 'flag 0x8, no descriptor';
  },
  'flags: descriptor without the flag': (m, r) => {
    const e = fileEntry(m, r);
    e.descriptor = r.bool() ? 'sig' : 'nosig';
    e.flags &= ~0x8;
    return `descriptor ${e.descriptor}, flag cleared`;
  },
  'flags: other bits': (m, r) => ((fileEntry(m, r).flags ^= r.pick([0x1, 0x800, 0x40, 0x2000, 0x6])), 'flags'),
  'descriptor: wrong CRC': (m, r) => {
    const e = fileEntry(m, r);
    e.flags |= 0x8;
    e.descriptor = r.bool() ? 'sig' : 'nosig';
    e.descriptorCrc = r.int(1, 0xfffffffe);
    return `descriptor ${e.descriptor} crc=${e.descriptorCrc}`;
  },
  'method: other or swapped': (m, r) => {
    const e = fileEntry(m, r);
    e.method = r.pick([1, 6, 9, 12, 14, 99, e.deflate ? 0 : 8]);
    return `method=${e.method}`;
  },
  'extra: ZIP64 field (honest, saturated sizes)': (m, r) => {
    const e = fileEntry(m, r);
    e.usize = 0xffffffff;
    e.csize = 0xffffffff;
    e.cdExtra = zip64Extra(BigInt(e.content.length), BigInt(entryData(e).length));
    if (r.bool()) e.cdExtra = Buffer.concat([extraField(0x5455, Buffer.from([1, 0, 0, 0, 0])), e.cdExtra]);
    return 'zip64 extra';
  },
  'extra: ZIP64 field short or missing': (m, r) => {
    const e = fileEntry(m, r);
    const which = r.int(0, 3);
    if (which === 0) {
      e.csize = 0xffffffff;
      e.cdExtra = zip64Extra();
    } else if (which === 1) {
      e.offset32 = 0xffffffff;
    } else if (which === 2) {
      e.usize = 0xffffffff;
    } else {
      e.offset32 = 0xffffffff;
      e.cdExtra = zip64Extra(BigInt(r.int(0, 400)));
    }
    return `zip64 field variant ${which}`;
  },
  'extra: other fields and junk': (m, r) => {
    const e = fileEntry(m, r);
    const junk = r.pick([
      extraField(0x000a, r.bytes(32)), extraField(0x5455, Buffer.from([1, 1, 2, 3, 4])), extraField(0x7875, r.bytes(11)),
      Buffer.from([0x01, 0x00]), Buffer.from([0x01, 0x00, 0x40, 0x00, 1, 2]), r.bytes(r.int(1, 12)),
    ]);
    if (r.bool()) e.cdExtra = junk;
    else e.localExtra = junk;
    return `extra ${junk.toString('hex')}`;
  },
  'central: local-header offset': (m, r) => ((fileEntry(m, r).offsetDelta = delta(r, 40)), 'offset'),
  'local: signature': (m, r) => ((fileEntry(m, r).localSignature = r.pick([0, 0x04034b51, 0x02014b50])), 'local signature'),
  'central: a header signature': (m, r) => ((r.pick(m.entries).cdSignature = r.pick([0, 0x02014b51, 0x04034b50])), 'cd signature'),
  'data: corrupt byte': (m, r) => {
    const e = fileEntry(m, r);
    const data = Buffer.from(entryData(e));
    const at = r.int(0, data.length - 1);
    data[at] = data[at]! ^ (1 << r.int(0, 7));
    e.data = data;
    return `flip at ${at}`;
  },
  'data: truncated or padded': (m, r) => {
    const e = fileEntry(m, r);
    const data = entryData(e);
    e.data = r.bool() ? data.subarray(0, r.int(0, data.length - 1)) : Buffer.concat([data, r.bytes(r.int(1, 30))]);
    if (r.bool()) e.csize = e.data.length;
    return `data ${data.length} → ${e.data.length}, csize ${e.csize ?? 'honest'}`;
  },
  'entries: duplicate or directory with content': (m, r, p) => {
    if (r.bool()) {
      const e = fileEntry(m, r);
      m.entries.push({ ...e });
      return 'duplicate file';
    }
    m.entries.push({ name: Buffer.from(p + 'dir/'), content: Buffer.from(r.bool() ? '' : 'x'), deflate: false, flags: 0 });
    return 'directory entry';
  },
};

/** Error texts with each tool's cache root and temp-file suffix made comparable. */
function normalize(s: string | undefined, gomodcache: string): string | undefined {
  return s?.split(gomodcache).join('$GOMODCACHE').replace(/\.zip\d+\.tmp/g, '.zip*.tmp');
}

interface Answer {
  Path: string;
  Version: string;
  Error?: string;
  Zip?: string;
  Sum?: string;
}

test(`${MUTANTS} mutated module zips: gomod-dl reads them as go does`, { timeout: 300_000 }, async (t) => {
  requireGo(t);
  const r = rng(SEED);
  const kinds = Object.keys(MUTATIONS);
  const store = new ModuleStore();
  const mutants: Array<{ version: string; kind: string; detail: string }> = [];
  for (let i = 0; i < MUTANTS; i++) {
    const version = `v1.0.${i}`;
    const m = baseModel(version, r);
    const kind = kinds[i % kinds.length]!;
    const detail = MUTATIONS[kind]!(m, r, `${PATH}@${version}/`);
    mutants.push({ version, kind, detail });
    const zip = writeZip(m);
    if (process.env['ZIPDIFF_DUMP']) writeFileSync(join(process.env['ZIPDIFF_DUMP'], `${version}.zip`), zip);
    store.add({ path: PATH, version, info: infoJson(version), mod: Buffer.from(`module ${PATH}\n`), zip });
  }
  const proxy = await startProxy(store);
  t.after(() => proxy.close());
  const args = ['mod', 'download', '-json', ...mutants.map((x) => `${PATH}@${x.version}`)];
  const go = await runGo(args, { t, proxy: proxy.url, timeoutMs: 240_000 });
  const ours = await runGomodDl(args.slice(2), { t, proxy: proxy.url });
  const goAnswers = new Map(parseJsonStream<Answer>(go.stdout).map((a) => [a.Version, a]));
  const ourAnswers = new Map(parseJsonStream<Answer>(ours.stdout).map((a) => [a.Version, a]));

  const perKind = new Map<string, { accepted: number; refused: number }>();
  const failures: string[] = [];
  for (const x of mutants) {
    const g = goAnswers.get(x.version);
    const o = ourAnswers.get(x.version);
    assert.ok(g, `go gave no answer for ${x.version}`);
    const c = perKind.get(x.kind) ?? { accepted: 0, refused: 0 };
    if (g.Error === undefined) c.accepted++;
    else c.refused++;
    perKind.set(x.kind, c);
    const ge = normalize(g.Error, go.gomodcache);
    const oe = normalize(o?.Error, ours.gomodcache);
    // A refused zip that passed its checksum still has Zip and Sum in go's answer (it stays cached).
    const gz = normalize(g.Zip, go.gomodcache);
    const oz = normalize(o?.Zip, ours.gomodcache);
    if (!o || ge !== oe || g.Sum !== o.Sum || gz !== oz) {
      failures.push(
        `${x.version} [${x.kind}: ${x.detail}]\n    go:       ${ge ?? ''} ${g.Sum ?? ''} ${gz ?? ''}\n    gomod-dl: ${o ? `${oe ?? ''} ${o.Sum ?? ''} ${oz ?? ''}` : '(no answer)'}`,
      );
    }
  }
  const accepted = [...perKind.values()].reduce((n, c) => n + c.accepted, 0);
  t.diagnostic(`seed ${SEED}: ${MUTANTS} mutants, ${kinds.length} mutation kinds; go accepted ${accepted}, refused ${MUTANTS - accepted}; ${MUTANTS - failures.length} agree`);
  for (const [kind, c] of perKind) t.diagnostic(`  ${kind}: ${c.accepted} accepted, ${c.refused} refused`);
  assert.deepEqual(failures, [], `${failures.length} mutants differ (seed ${SEED}):\n  ${failures.join('\n  ')}`);
  assert.equal(ours.code, go.code, `exit status\n${ours.stderr}`);
  // go keeps the .zip and .ziphash of a zip whose hash it computed but which then failed to unzip,
  // and the directory it made for the tree: so does gomod-dl, and the trees are the same.
  const kept = [...goAnswers.values()].filter((a) => a.Error !== undefined && a.Zip !== undefined).length;
  t.diagnostic(`${kept} refused zips kept in the cache by go`);
  assert.ok(kept > 0, 'the mutants include refused zips that go keeps');
  await assertSameTree(ours.gomodcache, go.gomodcache);
});
