import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colourLevel, styles } from '../../src/report/colour.js';

test('colour follows --color, NO_COLOR, FORCE_COLOR, TERM=dumb and the terminal, in that order', () => {
  const cases: Array<[Parameters<typeof colourLevel>, number]> = [
    [['auto', {}, true], 1],
    [['auto', {}, false], 0],
    [['auto', { NO_COLOR: '1' }, true], 0],
    [['auto', { NO_COLOR: '' }, true], 1],
    [['auto', { NO_COLOR: '1', FORCE_COLOR: '1' }, true], 0],
    [['auto', { FORCE_COLOR: '1' }, false], 1],
    [['auto', { FORCE_COLOR: '' }, false], 1],
    [['auto', { FORCE_COLOR: '3' }, false], 3],
    [['auto', { FORCE_COLOR: '0' }, true], 0],
    [['auto', { TERM: 'dumb' }, true], 0],
    [['auto', { TERM: 'dumb', FORCE_COLOR: '2' }, true], 2],
    [['never', { FORCE_COLOR: '3' }, true], 0],
    [['always', { NO_COLOR: '1' }, false], 1],
    [['always', {}, false], 1],
  ];
  for (const [args, want] of cases) assert.equal(colourLevel(...args), want, JSON.stringify(args));
});

test('styles add SGR codes only above level 0', () => {
  assert.equal(styles(0).error('gomod-dl: '), 'gomod-dl: ');
  assert.match(styles(1).error('gomod-dl: '), /^\x1b\[31m\x1b\[1mgomod-dl: \x1b\[22m\x1b\[39m$/);
});
