// `data synth` end to end at a tiny size: both domains load with the Cityscapes reader; the source is the default θ's
// renders; the target's θ* is saved with it, and its labels and depth are the θ* renders' maps moved by the radial
// model (nearest neighbour, computed here in plain loops), so they stay aligned with the distorted images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as torch from '../src/torch/index.js';
import { decodeImage } from '../src/io/image.js';
import { Cityscapes } from '../src/data/datasets/cityscapes.js';
import { Rng } from '../src/data/random.js';
import { render } from '../src/render/render.js';
import { RenderParams } from '../src/render/params.js';
import { streetScene } from '../src/render/scenes/street.js';
import { buildSynthBenchmark } from '../src/methods/render/synth.js';

const H = 16, W = 32;

/** The map a radial distortion (k1, k2; r in half diagonals) makes of `map` [H*W], nearest neighbour. */
function distortNearest(map: ArrayLike<number>, k1: number, k2: number): number[] {
  const cx = (W - 1) / 2, cy = (H - 1) / 2, half = Math.hypot(W, H) / 2;
  const out: number[] = [];
  for (let v = 0; v < H; v++) {
    for (let u = 0; u < W; u++) {
      const x = (u - cx) / half, y = (v - cy) / half, r2 = x * x + y * y, s = 1 + k1 * r2 + k2 * r2 * r2;
      const xs = Math.min(W - 1, Math.max(0, Math.round(cx + x * s * half))), ys = Math.min(H - 1, Math.max(0, Math.round(cy + y * s * half)));
      out.push(map[ys * W + xs]);
    }
  }
  return out;
}

test('source = default θ; target = θ* + distortion (labels and depth aligned), blur and JPEG; θ* saved', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
  await buildSynthBenchmark({ out, size: [H, W], train: 2, val: 1, seed: 3 });
  const bench = JSON.parse(fs.readFileSync(path.join(out, 'benchmark.json'), 'utf8'));
  assert.deepEqual(bench.target.effects, { distortion: { k1: -0.12, k2: -0.02 }, defocusRadius: 1.5, jpegQuality: 60 });

  const theta = await RenderParams.load(path.join(out, 'target', 'theta.json'));
  assert.ok(Math.abs((theta.get('fog.density') as number) - 0.012) < 1e-6);
  (theta.get('light0.color') as number[]).forEach((c, i) => assert.ok(Math.abs(c - [1, 0.8, 0.6][i]) < 1e-6));
  assert.ok(Math.abs((theta.get('ambient.intensity') as number) - 0.8) < 1e-6);
  const source = await RenderParams.load(path.join(out, 'source', 'theta.json'));
  assert.deepEqual(source.toJSON(), RenderParams.defaults('street').toJSON());

  for (const domain of ['source', 'target'] as const) {
    const root = path.join(out, domain);
    assert.equal(new Cityscapes({ root, split: 'train' }).length, 2);
    const ds = new Cityscapes({ root, split: 'val' });
    assert.equal(ds.length, 1);
    const name = `${domain}_000000_000000`;
    const camera = JSON.parse(fs.readFileSync(path.join(root, 'camera', 'val', domain, `${name}_camera.json`), 'utf8'));
    const maps = torch.scope(() => {
      const r = torch.noGrad(() => render([streetScene(camera.seed, { width: W, height: H })], domain === 'source' ? source : theta));
      return {
        labels: Array.from(r.semantic.to('int32').contiguous().toTypedArray() as Int32Array),
        depth: Array.from(r.depth.to('float32').contiguous().toTypedArray() as Float32Array, (d) => (d > 0 ? Math.round(d * 256) : 0)),
      };
    });
    const label = Array.from(((await ds.get(0, Rng.from(0))).label as { data: Uint8Array }).data);
    const depth = Array.from((await decodeImage(path.join(root, 'depth', 'val', domain, `${name}_depth.png`))).data);
    if (domain === 'source') {
      assert.equal(camera.distortion, undefined);
      assert.deepEqual(label, maps.labels);
      assert.deepEqual(depth, maps.depth);
    } else {
      assert.deepEqual([camera.distortion.k1, camera.distortion.k2], [-0.12, -0.02]);
      const want = distortNearest(maps.labels, -0.12, -0.02);
      const wrong = want.filter((v, p) => v !== label[p]).length;
      assert.ok(wrong <= 2, `${wrong} label pixels differ from the closed-form distortion`);
      assert.notDeepEqual(label, maps.labels, 'the target labels moved');
      const wantDepth = distortNearest(maps.depth, -0.12, -0.02);
      assert.ok(wantDepth.filter((v, p) => v !== depth[p]).length <= 2, 'depth moved with the labels');
    }
  }
  fs.rmSync(out, { recursive: true });
});
