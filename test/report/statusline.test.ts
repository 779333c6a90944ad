import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusLine, truncate } from '../../src/report/statusline.js';
import { screen } from './terminal.js';

function fixture(text: () => string, columns = 20) {
  let out = '';
  const line = new StatusLine({ write: (s) => void (out += s), render: text, columns: () => columns, intervalMs: 1e9 });
  return { line, out: () => out };
}

test('the line is cut to one column less than the terminal width', () => {
  assert.equal(truncate('abcdef', 4), 'abc…');
  assert.equal(truncate('abc', 4), 'abc');
  const f = fixture(() => 'x'.repeat(50));
  f.line.start();
  f.line.draw();
  f.line.stop();
  assert.ok(f.out().split('\r').every((frame) => frame.length <= 19), JSON.stringify(f.out()));
});

test('a shorter frame blanks what the longer one left, and stop erases the line', () => {
  let text = 'downloading 10/10';
  const f = fixture(() => text);
  f.line.start();
  f.line.draw();
  text = 'short';
  f.line.draw();
  assert.deepEqual(screen(f.out()), ['short']);
  f.line.stop();
  assert.deepEqual(screen(f.out()), ['']);
  assert.ok(f.out().endsWith('\r'));
});

test('output goes above the line, which is drawn again below it', () => {
  const f = fixture(() => 'status');
  f.line.start();
  f.line.draw();
  f.line.write('gomod-dl: an error\n');
  assert.deepEqual(screen(f.out()), ['gomod-dl: an error', 'status']);
  f.line.write('partial');
  f.line.draw(); // mid-line: not drawn over the partial text
  f.line.write(' line\n');
  f.line.stop();
  assert.deepEqual(screen(f.out()), ['gomod-dl: an error', 'partial line', '']);
});
