// Scene generators: determinism for a seed, consistent labels (semantic, instance, depth, normals, boxes),
// camera sequences whose relative poses explain the depth maps, and face gaze labels that match the pupils.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import { project } from '../src/render/camera.js';
import { add, scale, type Vec3 } from '../src/render/math.js';
import { RenderParams } from '../src/render/params.js';
import { render } from '../src/render/render.js';
import { FACE_CLASS, faceScene, gazeVector, pitchYawOf } from '../src/render/scenes/face.js';
import { streetScene, streetSequence } from '../src/render/scenes/street.js';

const street = RenderParams.defaults('street');
const face = RenderParams.defaults('face');
const arr = (t: torch.Tensor) => Array.from(t.contiguous().toTypedArray() as ArrayLike<number | bigint>, Number);

test('a seed fixes the scene and the image, noise included; another seed changes them', () => {
  torch.scope(() => {
    assert.deepEqual(streetScene(42, { width: 48, height: 24 }), streetScene(42, { width: 48, height: 24 }));
    assert.deepEqual(faceScene(7), faceScene(7));
    assert.notDeepEqual(streetScene(42).primitives, streetScene(43).primitives);
    const a = render([streetScene(42, { width: 48, height: 24 })], street).rgb;
    const b = render([streetScene(42, { width: 48, height: 24 })], street).rgb;
    assert.ok(torch.equal(a, b), 'same seed, same pixels');
    const c = render([streetScene(43, { width: 48, height: 24 })], street).rgb;
    assert.ok(!torch.equal(a, c));
    // The global generator is left as it was.
    torch.manualSeed(5);
    const before = torch.rand([3]);
    torch.manualSeed(5);
    render([streetScene(1, { width: 16, height: 8 })], street);
    assert.ok(torch.equal(torch.rand([3]), before));
  });
});

test('street labels agree: sky is class 10 with depth 0 and no normal; things have instances; boxes are tight', () => {
  torch.scope(() => {
    const W = 96, H = 48;
    const scenes = [1, 2, 3].map((s) => streetScene(s, { width: W, height: H }));
    const out = render(scenes, street);
    assert.deepEqual(out.rgb.shape, [3, 3, H, W]);
    assert.deepEqual(out.K.shape, [3, 3, 3]);
    assert.deepEqual(out.pose.shape, [3, 4, 4]);
    const sem = arr(out.semantic), inst = arr(out.instance), depth = arr(out.depth), nrm = arr(out.normals);
    const rgb = arr(out.rgb);
    const seen = new Set<number>();
    for (let i = 0; i < sem.length; i++) {
      const b = Math.floor(i / (H * W)), px = i % (H * W);
      const n = [0, 1, 2].map((c) => nrm[(b * 3 + c) * H * W + px]);
      seen.add(sem[i]);
      assert.ok(sem[i] >= 0 && sem[i] <= 18, `trainId ${sem[i]}`);
      assert.equal(sem[i] === 10, depth[i] === 0, `sky <=> depth 0 at ${i}`);
      if (sem[i] === 10) {
        assert.equal(inst[i], 0);
        assert.ok(n.every((x) => x === 0), 'no normal');
      } else {
        assert.ok(Math.abs(Math.hypot(...n) - 1) < 1e-4, 'unit normal');
      }
      if (inst[i] > 0) assert.ok(sem[i] >= 11, `instance pixels are things, got class ${sem[i]}`);
      for (let c = 0; c < 3; c++) assert.ok(rgb[(b * 3 + c) * H * W + px] >= 0 && rgb[(b * 3 + c) * H * W + px] <= 1);
    }
    for (const c of [0, 1, 2, 10, 13]) assert.ok(seen.has(c), `class ${c} appears`);
    out.boxes.forEach((boxes, b) => {
      assert.ok(boxes.length > 0);
      for (const box of boxes) {
        const xs: number[] = [], ys: number[] = [];
        for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (inst[(b * H + y) * W + x] === box.instanceId) { xs.push(x); ys.push(y); }
        assert.equal(xs.length, box.pixels);
        assert.deepEqual([box.x1, box.y1, box.x2, box.y2], [Math.min(...xs), Math.min(...ys), Math.max(...xs) + 1, Math.max(...ys) + 1]);
        assert.ok(box.classId >= 11 && box.classId <= 18);
      }
    });
  });
});

test('street sequence: relative poses move the camera forward and explain the next frame\'s depth', () => {
  torch.scope(() => {
    const W = 96, H = 48;
    const seq = streetSequence(11, { width: W, height: H, frames: 3, speed: 10, fps: 10 });
    assert.equal(seq.scenes.length, 3);
    assert.equal(seq.relativePoses.length, 2);
    assert.ok(seq.scenes.every((s) => s.primitives === seq.scenes[0].primitives), 'one street for all frames');
    for (const T of seq.relativePoses) {
      assert.ok(Math.abs(Math.hypot(T[3], T[7], T[11]) - 1) < 1e-9, '1 m per frame at 10 m/s and 10 fps');
      assert.ok(T[11] < -0.9, 'the world moves towards the camera');
    }
    const out = render(seq.scenes, street, { shadows: false });
    const depth = arr(out.depth);
    const K = seq.scenes[0].camera.K;
    const T = seq.relativePoses[0];
    const errors: number[] = [];
    for (let v = 0; v < H; v++) {
      for (let u = 0; u < W; u++) {
        const d = depth[v * W + u];
        if (d === 0 || d > 40) continue;
        const p: Vec3 = [((u - K.cx) / K.fx) * d, ((v - K.cy) / K.fy) * d, d];
        const q: Vec3 = [0, 1, 2].map((r) => T[4 * r] * p[0] + T[4 * r + 1] * p[1] + T[4 * r + 2] * p[2] + T[4 * r + 3]) as Vec3;
        if (q[2] <= 0.5) continue;
        const [x, y] = project(K, q).map(Math.round);
        if (x < 0 || y < 0 || x >= W || y >= H) continue;
        const d1 = depth[H * W + y * W + x];
        if (d1 > 0) errors.push(Math.abs(d1 - q[2]) / q[2]);
      }
    }
    errors.sort((a, b) => a - b);
    assert.ok(errors.length > 1000, `${errors.length} pixels checked`);
    assert.ok(errors[Math.floor(errors.length / 2)] < 0.01, `median relative depth error ${errors[Math.floor(errors.length / 2)]}`);
    assert.ok(errors[Math.floor(errors.length * 0.8)] < 0.05, '80% within 5%');
  });
});

test('face: the gaze label is the requested direction and the pupils sit where the gaze points', () => {
  torch.scope(() => {
    const W = 160, H = 160;
    const [pitch, yaw] = [-0.2, 0.45];
    const scene = faceScene(3, { width: W, height: H, gaze: { pitch, yaw } });
    const g = scene.meta.gaze;
    gazeVector(pitch, yaw).forEach((x, i) => assert.ok(Math.abs(g[i] - x) < 1e-12));
    assert.ok(Math.abs(scene.meta.pitchYaw[0] - pitch) < 1e-12 && Math.abs(scene.meta.pitchYaw[1] - yaw) < 1e-12);
    assert.ok(pitchYawOf([0, 0, -1]).every((a) => a === 0), 'looking into the camera is pitch 0, yaw 0');
    const out = render([scene], face);
    const sem = arr(out.semantic);
    // Pupil pixels, split into the two eyes by the nearer eye centre.
    const sums = [[0, 0, 0], [0, 0, 0]];
    const eyes2d = scene.meta.eyeCenters2d;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        if (sem[y * W + x] !== FACE_CLASS.pupil) continue;
        const k = Math.hypot(x - eyes2d[0][0], y - eyes2d[0][1]) < Math.hypot(x - eyes2d[1][0], y - eyes2d[1][1]) ? 0 : 1;
        sums[k][0] += x; sums[k][1] += y; sums[k][2]++;
      }
    }
    scene.meta.eyeCenters.forEach((c, k) => {
      assert.ok(sums[k][2] >= 3, `eye ${k} shows its pupil (${sums[k][2]} pixels)`);
      const centroid = [sums[k][0] / sums[k][2], sums[k][1] / sums[k][2]];
      const pupil = project(scene.camera.K, add(c, scale(g, scene.meta.eyeRadius)));
      assert.ok(Math.hypot(centroid[0] - pupil[0], centroid[1] - pupil[1]) < 1.5, `eye ${k}: pupil centroid ${centroid} vs ${pupil}`);
      // Positive MPIIGaze yaw looks to the image's left, negative pitch downwards.
      assert.ok(centroid[0] < eyes2d[k][0], 'pupil left of the eye centre');
      assert.ok(centroid[1] > eyes2d[k][1], 'pupil below the eye centre');
    });
    const [fx, fy] = scene.meta.faceCenter2d;
    assert.ok(fx > 0 && fx < W && fy > 0 && fy < H, 'the face centre is in view');
  });
});

test('render refuses scenes that do not match the parameters or each other', () => {
  torch.scope(() => {
    assert.throws(() => render([faceScene(1)], street), /render: scene 0 \(face\) has materials \[skin, .*\] but the parameters have \[road, /);
    assert.throws(() => render([streetScene(1, { width: 32, height: 16 }), streetScene(2, { width: 16, height: 16 })], street),
      /scene 1 is 16x16 but scene 0 is 32x16/);
    assert.throws(() => render([], street), /render: no scenes/);
  });
});

test('rendering and backpropagating leaves no tensors behind', () => {
  const run = () => torch.scope(() => {
    render([streetScene(1, { width: 64, height: 32 }), streetScene(2, { width: 64, height: 32 })], street).rgb.mean().backward();
    render([faceScene(3, { width: 32, height: 32 })], face).rgb.sum().backward();
  });
  run();
  const before = torch.memoryStats();
  for (let i = 0; i < 3; i++) run();
  assert.deepEqual(torch.memoryStats(), before);
});
