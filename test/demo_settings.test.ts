// The demo's and the evidence table's training runs: one config with single switches, so each arm differs from
// the adapted run only in what its name says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_SETTINGS, demoSegConfig, SEG_ARMS, type SegArm } from '../src/demo/settings.js';
import { shiftkit } from './helpers/cli.js';

/** Leaf paths where two plain objects differ. */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
}

const config = (arm: SegArm) => demoSegConfig(DEMO_SETTINGS.full, { source: '/d/source', target: '/d/target', arm, seed: 3 });

test('each arm differs from the adapted run in exactly the switches its name says', () => {
  const adapted = config('adapted');
  const expected: Record<SegArm, string[]> = {
    adapted: [],
    'source-only': ['adaptation'],
    'target oracle': ['adaptation', 'sourceLabels', 'targetLabels'],
    'adapted, no confidence': ['confidence.mode'],
    'adapted, no style transfer': ['style.kind'],
    'adapted, fixed λ': ['consistency.rampupSteps'],
  };
  for (const arm of Object.keys(SEG_ARMS) as SegArm[]) assert.deepEqual(differences(adapted, config(arm)).sort(), expected[arm].sort(), arm);
  const oracle = config('target oracle');
  assert.equal(oracle.targetLabels, true);
  assert.equal(oracle.sourceLabels, false);
  assert.equal(config('adapted, fixed λ').consistency.rampupSteps, 0);
});

test('the runs train on the given source, adapt to and are scored on the target val split, with the given seed', () => {
  const c = config('adapted');
  assert.deepEqual([c.data.source.root, c.data.target.root, c.data.val.root], ['/d/source', '/d/target', '/d/target']);
  assert.deepEqual([c.data.source.split, c.data.target.split, c.data.val.split], ['train', 'train', 'val']);
  assert.equal(c.seed, 3);
  assert.equal(c.steps % c.eval.every, 0, 'the last step is evaluated');
});

test('demo refuses an --out folder that is not empty (exit 2, nothing overwritten)', () => {
  const r = shiftkit('demo', '--quick', '--out', 'test');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--out: test exists and is not empty/);
});
