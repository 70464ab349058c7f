// Progress output off a terminal: plain lines every N steps (and the last), with the step's scalars.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import test from 'node:test';
import { createProgress, fmt, formatDuration } from '../src/run/progress.js';

test('number and duration formatting', () => {
  assert.deepEqual([fmt(1.23456), fmt(0), fmt(-2.5e-5), fmt(123456), fmt(Number.NaN), fmt(0.5)], ['1.235', '0', '-2.500e-5', '1.235e+5', 'NaN', '0.5']);
  assert.deepEqual([formatDuration(65), formatDuration(3725), formatDuration(Number.POSITIVE_INFINITY)], ['1:05', '1:02:05', '?']);
});

test('plain lines: a start line, every N steps and the last, with scalars, speed and ETA', () => {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } }) as unknown as NodeJS.WriteStream;
  const p = createProgress({ stream, every: 2, itemsPerStep: 8 });
  p.start(3, 7);
  for (let s = 3; s <= 7; s++) p.update(s, { loss: s / 10, acc: 1 });
  p.message('eval @ step 7: miou 0.5');
  p.stop();
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], 'resuming at step 3 of 7');
  assert.deepEqual(lines.slice(1, 4).map((l) => l.replace(/\| [^|]* it\/s, [^|]* items\/s \| ETA [\d:?]+$/, '| <speed>')), [
    'step 4/7 | loss 0.4 acc 1 | <speed>', 'step 6/7 | loss 0.6 acc 1 | <speed>', 'step 7/7 | loss 0.7 acc 1 | <speed>']);
  assert.equal(lines[4], 'eval @ step 7: miou 0.5');
});
