// The gauge of the image formation that parameter recovery is scored modulo: a per-channel gain moved from the
// albedos into the irradiances leaves diffuse renders unchanged (and only specular breaks it); irradiances,
// the aligning gain and the error against hand-computed values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import { RenderParams } from '../src/render/params.js';
import { render } from '../src/render/render.js';
import { streetScene } from '../src/render/scenes/street.js';
import { aligningGain, applyGain, identifiable, identifiableError, withGain, type Gain } from '../src/methods/render/gauge.js';

const street = () => RenderParams.defaults('street', { dtype: 'float64' });
const maxAbsDiff = (a: RenderParams, b: RenderParams): number => torch.scope(() => torch.noGrad(() => {
  const scenes = [1, 2].map((s) => streetScene(s, { width: 32, height: 16 }));
  return render(scenes, a).rgb.sub(render(scenes, b).rgb).abs().max().item();
}));

test('albedos x g and irradiances / g render the same images, but for the specular term', () => {
  const g: Gain = [1.15, 1, 0.85];
  const noSpecular = (p: RenderParams) => { for (const m of p.setup.materials) p.set(`material.${m}.specular`, 0); return p; };
  const [a, b] = [noSpecular(street()), noSpecular(street())];
  applyGain(b, g);
  assert.notDeepEqual(b.get('material.road.albedo'), a.get('material.road.albedo'));
  assert.ok(maxAbsDiff(a, b) < 1e-9, `diffuse renders differ by ${maxAbsDiff(a, b)}`);
  const [c, d] = [street(), street()];
  applyGain(d, g);
  assert.ok(maxAbsDiff(c, d) > 1e-4, 'the specular term is not invariant');
});

test('applyGain: albedo x g, irradiance colour x intensity / g, colours kept within [0, 1]', () => {
  const p = street();
  const before = identifiable(p, ['road', 'foliage']);
  const g: Gain = [0.5, 1, 1.2];
  applyGain(p, g);
  const after = identifiable(p, ['road', 'foliage']);
  // Street defaults: sun (0.98, 0.93, 0.86) x 1.65, ambient (0.62, 0.72, 0.95) x 0.5, road albedo (0.2, 0.2, 0.21).
  const close = (x: number[], y: number[]) => x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) < 1e-9, `${x} vs ${y}`));
  close(before.irradiance.light0, [0.98 * 1.65, 0.93 * 1.65, 0.86 * 1.65]);
  close(after.irradiance.light0, [0.98 * 1.65 / 0.5, 0.93 * 1.65, 0.86 * 1.65 / 1.2]);
  close(after.irradiance.ambient, [0.62 * 0.5 / 0.5, 0.72 * 0.5, 0.95 * 0.5 / 1.2]);
  close(after.albedo.road, [0.1, 0.2, 0.21 * 1.2]);
  assert.ok(Math.abs(Math.max(...(p.get('light0.color') as number[])) - 1) < 1e-9, 'the sun colour is scaled back to max 1');
});

test('the aligning gain undoes a known gain; the error is the mean of |x - ref| / range', () => {
  const ref = { irradiance: { ambient: [0.6, 0.6, 0.5], light0: [1.2, 1, 0.8] }, albedo: { road: [0.3, 0.3, 0.25] }, fogDensity: 0.01 };
  const x = withGain(ref, [1.25, 1, 0.8]);
  const g = aligningGain(x, ref, street());
  [0.8, 1, 1.25].forEach((want, c) => assert.ok(Math.abs(g[c] / want - 1) < 1e-3, `channel ${c}: ${g[c]} vs ${want}`));
  assert.ok(identifiableError(withGain(x, g), ref, street()) < 1e-3 * identifiableError(x, ref, street()));
  // Ranges: ambient 1 x 3, sun 1 x 10, albedo 1, fog 0.1; ten elements.
  const y = { ...ref, irradiance: { ambient: [0.9, 0.6, 0.5], light0: [1.2, 2, 0.8] }, fogDensity: 0.02 };
  assert.ok(Math.abs(identifiableError(y, ref, street()) - (0.3 / 3 + 1 / 10 + 0.01 / 0.1) / 10) < 1e-12);
});
