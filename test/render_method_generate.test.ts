// `render generate` writes real formats: the Cityscapes reader loads the street dataset with the renderer's trainIds,
// instanceIds follow Cityscapes' labelId * 1000 + id, depth PNGs hold round(metres * 256) (KITTI), COCO boxes are
// the renderer's boxes of object classes, camera JSON holds K and the pose; face datasets get part maps and gaze.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as torch from '../src/torch/index.js';
import { decodeImage, rawFromTensor } from '../src/io/image.js';
import { Cityscapes } from '../src/data/datasets/cityscapes.js';
import { Rng } from '../src/data/random.js';
import { render } from '../src/render/render.js';
import { RenderParams } from '../src/render/params.js';
import { streetScene } from '../src/render/scenes/street.js';
import { faceScene } from '../src/render/scenes/face.js';
import { generate } from '../src/methods/render/generate.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'render-generate-'));
const ints = (t: torch.Tensor) => Array.from(t.to('int32').contiguous().toTypedArray() as Int32Array);
// Cityscapes labelIds of the trainIds, from cityscapesScripts' labels.py.
const LABEL_ID = [7, 8, 11, 12, 13, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33];

test('street: Cityscapes layout the reader loads, 16-bit instance and depth PNGs, COCO boxes, cameras', async () => {
  const out = tmp();
  const params = RenderParams.defaults('street');
  await generate({ params, scene: 'street', count: 3, out, size: [16, 32], seed: 5, split: 'val', city: 'tst', batch: 2 });
  const ds = new Cityscapes({ root: out, split: 'val' });
  assert.equal(ds.length, 3);
  const coco = JSON.parse(fs.readFileSync(path.join(out, 'annotations', 'instances_val.json'), 'utf8'));
  assert.deepEqual(coco.categories.map((c: { name: string }) => c.name), ['person', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle']);
  let boxes = 0;
  for (let i = 0; i < 3; i++) {
    const name = `tst_000000_00000${i}`;
    const camera = JSON.parse(fs.readFileSync(path.join(out, 'camera', 'val', 'tst', `${name}_camera.json`), 'utf8'));
    const scene = streetScene(camera.seed, { width: 32, height: 16 });
    assert.deepEqual(camera.K, [[scene.camera.K.fx, 0, scene.camera.K.cx], [0, scene.camera.K.fy, scene.camera.K.cy], [0, 0, 1]]);
    assert.deepEqual(camera.pose[0], [...scene.camera.R.slice(0, 3), scene.camera.t[0]]);
    assert.equal(camera.intrinsic.u0, 15.5);
    await torch.scope(async () => {
      const r = torch.noGrad(() => render([scene], params));
      const sample = await ds.get(i, Rng.from(0));
      assert.equal(sample.name, name);
      const label = sample.label as { data: Uint8Array };
      const trainIds = ints(r.semantic);
      assert.deepEqual(Array.from(label.data), trainIds, 'reader trainIds = renderer classes');
      const rgb = await decodeImage(path.join(out, 'leftImg8bit', 'val', 'tst', `${name}_leftImg8bit.png`));
      assert.deepEqual(Array.from(rgb.data), Array.from(rawFromTensor(r.rgb.select(0, 0)).data), 'image pixels');

      const inst = await decodeImage(path.join(out, 'gtFine', 'val', 'tst', `${name}_gtFine_instanceIds.png`));
      assert.ok(inst.data instanceof Uint16Array, '16-bit instanceIds');
      const ids = ints(r.instance);
      inst.data.forEach((v, p) => assert.equal(v, ids[p] > 0 ? LABEL_ID[trainIds[p]] * 1000 + ids[p] : LABEL_ID[trainIds[p]]));

      const depth = await decodeImage(path.join(out, 'depth', 'val', 'tst', `${name}_depth.png`));
      assert.ok(depth.data instanceof Uint16Array, '16-bit depth');
      const metres = Array.from(r.depth.to('float32').contiguous().toTypedArray() as Float32Array);
      depth.data.forEach((v, p) => assert.equal(v, metres[p] > 0 ? Math.round(metres[p] * 256) : 0, `depth pixel ${p}`));
      assert.ok(depth.data.some((v) => v === 0) && depth.data.some((v) => v > 0), 'sky has no depth, the street has');

      const objectClasses = [11, 12, 13, 14, 15, 16, 17, 18];
      const want = r.boxes[0].filter((b) => objectClasses.includes(b.classId))
        .map((b) => ({ category_id: b.classId - 10, bbox: [b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1], area: b.pixels, instance_id: b.instanceId }));
      const got = coco.annotations.filter((a: { image_id: number }) => a.image_id === i + 1)
        .map(({ category_id, bbox, area, instance_id }: Record<string, unknown>) => ({ category_id, bbox, area, instance_id }));
      assert.deepEqual(got, want);
      boxes += want.length;
    });
  }
  assert.ok(boxes > 0, 'some objects were in view');
  fs.rmSync(out, { recursive: true });
});

test('face: part maps and gaze labels (pitch/yaw and vector, CSV and JSON)', async () => {
  const out = tmp();
  await generate({ params: RenderParams.defaults('face'), scene: 'face', count: 2, out, size: [16, 16], seed: 1 });
  const csv = fs.readFileSync(path.join(out, 'gaze', 'train.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'name,pitch,yaw,x,y,z');
  const json = JSON.parse(fs.readFileSync(path.join(out, 'gaze', 'train.json'), 'utf8'));
  for (let i = 0; i < 2; i++) {
    const name = `synth_000000_00000${i}`;
    const camera = JSON.parse(fs.readFileSync(path.join(out, 'camera', 'train', 'synth', `${name}_camera.json`), 'utf8'));
    const scene = faceScene(camera.seed, { width: 16, height: 16 });
    const [pitch, yaw] = scene.meta.pitchYaw;
    assert.deepEqual(csv[i + 1].split(',').map((v, k) => (k === 0 ? v : Number(v))), [name, pitch, yaw, ...scene.meta.gaze]);
    assert.deepEqual(json[i].eyeCenters2d, scene.meta.eyeCenters2d);
    const parts = await decodeImage(path.join(out, 'parts', 'train', 'synth', `${name}_parts.png`));
    const classes = torch.scope(() => ints(torch.noGrad(() => render([scene], RenderParams.defaults('face'))).semantic));
    assert.deepEqual(Array.from(parts.data), classes);
  }
  assert.ok(!fs.existsSync(path.join(out, 'gtFine')), 'face parts are not Cityscapes labels');
  fs.rmSync(out, { recursive: true });
});
