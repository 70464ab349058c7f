// Tuning's start: a tuned light's colour is moved mid-range with its irradiance (colour x intensity) unchanged, and
// only where both colour and intensity are tuned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderParams } from '../src/render/params.js';
import { centreColours } from '../src/methods/render/theta.js';

const close = (a: number[], b: number[]) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6, `${a} vs ${b}`));

test('centreColours: largest channel 0.5, intensity x the inverse factor, the same irradiance', () => {
  const p = RenderParams.defaults('street', { dtype: 'float64' });
  centreColours(p, ['light0.color', 'light0.intensity', 'ambient.color']);
  // Street defaults: sun (0.98, 0.93, 0.86) x 1.65; the ambient's intensity is not tuned, so it stays as it was.
  const k = 0.5 / 0.98;
  close(p.get('light0.color') as number[], [0.5, 0.93 * k, 0.86 * k]);
  close([p.get('light0.intensity') as number], [1.65 / k]);
  close((p.get('light0.color') as number[]).map((c) => c * (p.get('light0.intensity') as number)), [0.98 * 1.65, 0.93 * 1.65, 0.86 * 1.65]);
  close(p.get('ambient.color') as number[], [0.62, 0.72, 0.95]);
  close([p.get('ambient.intensity') as number], [0.5]);
});
