// RenderParams: bounded reparameterisation (linear and log), JSON files with names and units, errors that name
// the entry, defaults inside their bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as torch from '../src/torch/index.js';
import { RenderParams, PARAMS_FORMAT, type ParamsJSON } from '../src/render/params.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

test('defaults: every entry is named once, inside its bounds, with a unit and a description', () => {
  for (const kind of ['street', 'face']) {
    for (const shading of ['phong', 'ggx'] as const) {
      const p = RenderParams.defaults(kind, { shading });
      const names = p.names();
      assert.equal(new Set(names).size, names.length);
      assert.ok(names.includes('ambient.color') && names.includes('camera.blur') && names.includes('fog.density'));
      assert.equal(names.some((n) => n.endsWith('.shininess')), shading === 'phong');
      assert.equal(names.some((n) => n.endsWith('.roughness')), shading === 'ggx');
      for (const s of p.specs) {
        const v = p.get(s.name);
        for (const x of typeof v === 'number' ? [v] : v) assert.ok(x > s.min && x < s.max, `${kind}: ${s.name} = ${x} strictly inside [${s.min}, ${s.max}]`);
        assert.ok(s.unit.length > 0 && s.description.length > 0, `${s.name} has a unit and a description`);
      }
      p.dispose();
    }
  }
});

test('value = min + (max - min) sigmoid(u), or its log-space twin, from the unconstrained leaves', () => {
  torch.scope(() => {
    const p = RenderParams.defaults('street');
    p.names().forEach((name, i) => {
      const s = p.spec(name);
      const u = Array.from(p.parameters()[i].toTypedArray() as Float32Array);
      const want = u.map((x) => (s.spacing === 'log'
        ? Math.exp(Math.log(s.min) + (Math.log(s.max) - Math.log(s.min)) * sigmoid(x))
        : s.min + (s.max - s.min) * sigmoid(x)));
      const got = Array.from(p.value(name).toTypedArray() as Float32Array);
      got.forEach((g, k) => assert.ok(Math.abs(g - want[k]) <= 1e-5 * Math.max(1, Math.abs(want[k])), `${name}[${k}]: ${g} vs ${want[k]}`));
    });
    // The vectorised form agrees with the per-entry one.
    const names = ['material.road.textureScale', 'camera.gamma', 'material.road.albedo', 'material.glass.shininess'];
    const flat = Array.from(p.values(names).toTypedArray() as Float32Array);
    const each = names.flatMap((n) => Array.from(p.value(n).toTypedArray() as Float32Array));
    flat.forEach((v, k) => assert.ok(Math.abs(v - each[k]) <= 1e-5 * Math.max(1, Math.abs(v))));
    p.dispose();
  });
});

test('gradient steps never leave the bounds', () => {
  torch.scope(() => {
    const p = RenderParams.defaults('face', { shading: 'ggx' });
    const opt = new torch.optim.SGD(p.parameters(), { lr: 1e6 });
    for (const sign of [1, -1]) {
      opt.zeroGrad();
      p.names().map((n) => p.value(n).sum().mul(sign)).reduce((a, b) => a.add(b)).backward();
      opt.step();
      for (const s of p.specs) {
        const v = p.get(s.name);
        for (const x of typeof v === 'number' ? [v] : v) assert.ok(x >= s.min && x <= s.max, `${s.name} = ${x} in [${s.min}, ${s.max}]`);
      }
    }
    p.dispose();
  });
});

test('θ files: save writes JSON with names, values, bounds and units; load reads it back', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'render-params-'));
  try {
    const p = RenderParams.defaults('street');
    p.set('camera.exposure', 1.25);
    p.set('light0.color', [0.9, 0.8, 0.7]);
    const file = path.join(dir, 'theta.json');
    p.save(file);
    const json = JSON.parse(readFileSync(file, 'utf8')) as ParamsJSON;
    assert.equal(json.format, PARAMS_FORMAT);
    assert.equal(json.shading, 'phong');
    assert.deepEqual(json.lights, ['directional']);
    assert.equal(json.materials[0], 'road');
    assert.deepEqual(Object.keys(json.entries['camera.exposure']).sort(), ['description', 'max', 'min', 'unit', 'value']);
    assert.ok(Math.abs((json.entries['camera.exposure'].value as number) - 1.25) < 1e-5);
    assert.equal(json.entries['fog.density'].unit, '1/m');
    const q = await RenderParams.load(file, { dtype: 'float64' });
    assert.equal(q.dtype, 'float64');
    assert.deepEqual(q.names(), p.names());
    for (const name of p.names()) {
      const a = p.get(name), b = q.get(name);
      const xs = typeof a === 'number' ? [a] : a, ys = typeof b === 'number' ? [b] : b;
      xs.forEach((x, k) => assert.ok(Math.abs(x - ys[k]) <= 1e-5 * Math.max(1, Math.abs(x)), `${name}: ${x} vs ${ys[k]}`));
    }
    // Bounds come from the file.
    json.entries['camera.gamma'] = { ...json.entries['camera.gamma'], min: 2, max: 2.5, value: 2.2 };
    writeFileSync(file, JSON.stringify(json));
    const r = await RenderParams.load(file);
    assert.deepEqual([r.spec('camera.gamma').min, r.spec('camera.gamma').max], [2, 2.5]);
    p.dispose(); q.dispose(); r.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('θ at a bound (float32 rounds 0.1 up) is saved within it and loads back', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'render-params-'));
  try {
    const p = RenderParams.defaults('street');
    p.set('fog.density', 0.1);
    p.set('ambient.color', [1, 0.5, 0]);
    assert.equal(p.get('fog.density'), 0.1);
    const file = path.join(dir, 'theta.json');
    p.save(file);
    const q = await RenderParams.load(file);
    assert.equal(q.get('fog.density'), 0.1);
    assert.deepEqual((q.get('ambient.color') as number[]).map((v) => Math.round(v * 1e6) / 1e6), [1, 0.5, 0]);
    p.dispose(); q.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad θ files: clear errors naming the file and the entry', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'render-params-'));
  try {
    const good = RenderParams.defaults('face').toJSON();
    const file = path.join(dir, 'bad.json');
    const expectError = async (json: unknown, pattern: RegExp) => {
      writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
      await assert.rejects(RenderParams.load(file), pattern);
    };
    await expectError('{ nope', /bad\.json: not valid JSON/);
    await expectError({ ...good, format: 'other' }, /bad\.json: format must be 'shiftkit-render-params'/);
    const { ['fog.density']: _, ...missing } = good.entries;
    await expectError({ ...good, entries: missing }, /bad\.json: missing entry 'fog\.density'/);
    await expectError({ ...good, entries: { ...good.entries, 'fog.thickness': good.entries['fog.density'] } }, /unknown entry 'fog\.thickness'/);
    await expectError({ ...good, entries: { ...good.entries, 'camera.gamma': { ...good.entries['camera.gamma'], value: 7 } } },
      /entry 'camera\.gamma': value 7 is outside \[1, 3\]/);
    await expectError({ ...good, entries: { ...good.entries, 'ambient.color': { ...good.entries['ambient.color'], value: [1, 1] } } },
      /entry 'ambient\.color' must be an array of 3 numbers/);
    await expectError({ ...good, shading: 'toon' }, /shading must be 'phong' or 'ggx'/);
    await assert.rejects(RenderParams.load(path.join(dir, 'absent.json')), /Render parameter file not found: .*absent\.json/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
