// Drawing helpers against hand-computed values: official Cityscapes colours, blend arithmetic, matplotlib's
// published colormap entries, where boxes, arrows and grid cells land.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import type { RawImage } from '../src/io/image.js';
import { colorizeLabels, overlayLabels } from '../src/io/palette.js';
import { colorizeDepth, colorizeError } from '../src/io/colormap.js';
import { drawBoxes, drawGazeArrow, gazeVector, makeGrid } from '../src/io/draw.js';

const px = (img: RawImage, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * img.channels, (y * img.width + x + 1) * img.channels));

function solid(width: number, height: number, colour: number[]): RawImage {
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) data.set(colour, 3 * p);
  return { data, width, height, channels: 3 };
}

// matplotlib's _magma_data / _viridis_data entries 0, 128 and 255, as cmap(x, bytes=True) turns them into bytes.
const bytes = (rgb: number[]) => rgb.map((v) => Math.trunc(v * 255));
const MAGMA = [[0.001462, 0.000466, 0.013866], [0.716387, 0.214982, 0.475290], [0.987053, 0.991438, 0.749504]].map(bytes);
const VIRIDIS = [[0.267004, 0.004874, 0.329415], [0.127568, 0.566949, 0.550556], [0.993248, 0.906157, 0.143936]].map(bytes);

test('colorizeLabels: official Cityscapes colours by trainId; ignore and out-of-range are black', () => {
  const labels: RawImage = { data: new Uint8Array([0, 13, 18, 255, 10, 19]), width: 3, height: 2, channels: 1 };
  const out = colorizeLabels(labels);
  assert.deepEqual([out.width, out.height, out.channels], [3, 2, 3]);
  // road, car, bicycle, ignore, sky, (no class 19)
  assert.deepEqual(Array.from(out.data), [128, 64, 128, 0, 0, 142, 119, 11, 32, 0, 0, 0, 70, 130, 180, 0, 0, 0]);
  // An int64 tensor with -1 for ignore, as a network's argmax / a dataset's target.
  const fromTensor = torch.scope(() => colorizeLabels(torch.tensor(new BigInt64Array([1n, -1n, 11n, 2n]), { shape: [1, 2, 2] })));
  assert.deepEqual(Array.from(fromTensor.data), [244, 35, 232, 0, 0, 0, 220, 20, 60, 70, 70, 70]);
});

test('overlayLabels: round((1 - alpha) image + alpha colour); ignored pixels keep the image', () => {
  const image: RawImage = { data: new Uint8Array([100, 50, 200, 100, 50, 200, 7, 8, 9]), width: 3, height: 1, channels: 3 };
  const labels: RawImage = { data: new Uint8Array([0, 0, 255]), width: 3, height: 1, channels: 1 };
  // road is (128, 64, 128): at 0.5 -> (114, 57, 164); at 0.25 -> (107, 53.5 -> 54, 182).
  assert.deepEqual(Array.from(overlayLabels(image, labels).data), [114, 57, 164, 114, 57, 164, 7, 8, 9]);
  assert.deepEqual(px(overlayLabels(image, labels, { alpha: 0.25 }), 0, 0), [107, 54, 182]);
  const gray: RawImage = { data: new Uint8Array([100, 10]), width: 2, height: 1, channels: 1 };
  assert.deepEqual(Array.from(overlayLabels(gray, { data: new Uint8Array([13, 255]), width: 2, height: 1, channels: 1 }).data),
    [50, 50, 121, 10, 10, 10]);
  assert.throws(() => overlayLabels(image, { data: new Uint8Array(2), width: 2, height: 1, channels: 1 }), /labels are 2x1, the image 3x1/);
});

test("colormaps: ends and middle are matplotlib's magma and viridis entries; invalid pixels black", () => {
  torch.scope(() => {
    const lin = torch.tensor(new Float32Array([0, 0.5, 1, NaN]), { shape: [2, 2] });
    const magma = colorizeDepth(lin, { inverse: false });
    assert.deepEqual([0, 1, 2, 3].map((i) => px(magma, i % 2, i >> 1)), [...MAGMA, [0, 0, 0]]);
    const viridis = colorizeDepth(lin, { inverse: false, colormap: 'viridis' });
    assert.deepEqual([0, 1, 2].map((i) => px(viridis, i % 2, i >> 1)), VIRIDIS);
    assert.deepEqual(VIRIDIS[0], [0x44, 0x01, 0x54]); // viridis' well-known first colour, #440154

    // inverse: colour by 1/depth. Depths 1, 2, 4 -> disparities 1, 0.5, 0.25 -> t = 1, 1/3, 0 -> entries 255, 85, 0.
    const depth = torch.tensor(new Float32Array([1, 2, 4, 0]), { shape: [1, 2, 2] });
    const inv = colorizeDepth(depth);
    assert.deepEqual(px(inv, 0, 0), MAGMA[2], 'nearest is brightest');
    assert.deepEqual(px(inv, 1, 0), bytes([0.445163, 0.122724, 0.506901]), 'magma entry 85');
    assert.deepEqual(px(inv, 0, 1), MAGMA[0], 'farthest is darkest');
    assert.deepEqual(px(inv, 1, 1), [0, 0, 0], 'depth 0 is invalid');

    const err = torch.tensor(new Float32Array([0, 2, 4, Infinity]), { shape: [2, 2] });
    assert.deepEqual([0, 1, 2, 3].map((i) => px(colorizeError(err), i % 2, i >> 1)), [...MAGMA, [0, 0, 0]]);
    assert.deepEqual(px(colorizeError(err, { max: 2 }), 0, 1), MAGMA[2], 'above max clips to the top');
    // matplotlib picks entry floor(256 t): t = 0.1 -> 25 (not round(255 t) = 26).
    const tenth = colorizeError(torch.tensor(new Float32Array([1]), { shape: [1, 1] }), { max: 10 });
    assert.deepEqual(px(tenth, 0, 0), bytes([0.078815, 0.054184, 0.211667]));
  });
});

test('drawBoxes: box colour on the edges, image inside and outside, a text tag above', async () => {
  const base = solid(120, 80, [100, 100, 100]);
  const out = await drawBoxes(base, [{ x1: 30, y1: 40, x2: 90, y2: 70, label: 'car', score: 0.9, color: [255, 0, 0] }]);
  assert.deepEqual([out.width, out.height, out.channels], [120, 80, 3]);
  const red = [255, 0, 0], grey = [100, 100, 100];
  // A 2-pixel stroke centred on each edge covers the pixel on either side of it.
  for (const [x, y] of [[29, 55], [30, 55], [89, 55], [90, 55], [60, 39], [60, 40], [60, 69], [60, 70]]) {
    assert.deepEqual(px(out, x, y), red, `edge pixel (${x}, ${y})`);
  }
  for (const [x, y] of [[60, 55], [32, 42], [87, 67], [60, 75], [10, 55], [100, 55]]) {
    assert.deepEqual(px(out, x, y), grey, `pixel (${x}, ${y}) off the box`);
  }
  // The tag sits above the box: red background with white text somewhere in it.
  let white = 0;
  for (let y = 20; y < 39; y++) for (let x = 29; x < 70; x++) if (px(out, x, y).every((v) => v > 200)) white++;
  assert.ok(white > 5, `text pixels in the tag: ${white}`);
  assert.deepEqual(px(out, 29, 38), red, 'tag background');
});

test('gaze arrows: MPIIGaze convention, yaw > 0 points left, pitch > 0 up', async () => {
  const zero = gazeVector(0, 0, 10);
  assert.deepEqual([Math.abs(zero.dx), Math.abs(zero.dy)], [0, 0]);
  const left = gazeVector(0, Math.PI / 2, 10);
  assert.ok(Math.abs(left.dx + 10) < 1e-12 && Math.abs(left.dy) < 1e-12, 'yaw 90 degrees: straight left');
  const up = gazeVector(Math.PI / 6, 0, 10);
  assert.ok(Math.abs(up.dx) < 1e-12 && Math.abs(up.dy + 5) < 1e-12, 'pitch 30 degrees: dy = -10 sin 30');

  // pitch 0.3, yaw -0.4, length 40: dx = 40 cos 0.3 sin 0.4 = 14.88, dy = -40 sin 0.3 = -11.82.
  const out = await drawGazeArrow(solid(100, 100, [0, 0, 0]), { x: 50, y: 50, pitch: 0.3, yaw: -0.4, length: 40, color: [0, 255, 0] });
  const [dx, dy] = [40 * Math.cos(0.3) * Math.sin(0.4), -40 * Math.sin(0.3)];
  for (const f of [0.2, 0.5, 0.9, 0.97]) {
    const [x, y] = [Math.floor(50 + f * dx), Math.floor(50 + f * dy)];
    assert.ok(px(out, x, y)[1] > 150, `pixel (${x}, ${y}) at ${f} of the way is on the arrow`);
  }
  for (const [x, y] of [[Math.floor(50 - 0.5 * dx), Math.floor(50 - 0.5 * dy)], [Math.floor(50 + 1.3 * dx), Math.floor(50 + 1.3 * dy)], [50, 80]]) {
    assert.deepEqual(px(out, x, y), [0, 0, 0], `pixel (${x}, ${y}) off the arrow`);
  }
});

test('makeGrid: size from the largest image, cells centred, padding in the background colour', () => {
  const images = [solid(2, 3, [255, 0, 0]), solid(4, 1, [0, 255, 0]), solid(3, 3, [0, 0, 255])];
  const g = makeGrid(images, { cols: 2, padding: 1, background: [9, 9, 9] });
  // Cells 4x3; 2 columns and 2 rows with 1 pixel around and between: 2*4 + 3 by 2*3 + 3.
  assert.deepEqual([g.width, g.height, g.channels], [11, 9, 3]);
  const bg = [9, 9, 9];
  // Image 0: cell (0,0) at (1,1), centred by (4-2)/2 = 1 -> columns 2..3, rows 1..3.
  assert.deepEqual([px(g, 2, 1), px(g, 3, 3), px(g, 1, 1), px(g, 4, 1), px(g, 2, 4)], [[255, 0, 0], [255, 0, 0], bg, bg, bg]);
  // Image 1: cell (1,0) at (6,1), rows centred by (3-1)/2 = 1 -> row 2, columns 6..9.
  assert.deepEqual([px(g, 6, 2), px(g, 9, 2), px(g, 6, 1), px(g, 6, 3), px(g, 5, 2)], [[0, 255, 0], [0, 255, 0], bg, bg, bg]);
  // Image 2: cell (0,1) at (1,5), centred by floor((4-3)/2) = 0 -> columns 1..3, rows 5..7.
  assert.deepEqual([px(g, 1, 5), px(g, 3, 7), px(g, 4, 5), px(g, 1, 8)], [[0, 0, 255], [0, 0, 255], bg, bg]);
  // The empty fourth cell is background.
  assert.deepEqual(px(g, 8, 6), bg);
});
