// Image decoding and encoding against fixtures made without sharp (scripts/fixtures/io.py: PIL and a hand-written
// PNG writer), whose pixels follow closed forms recomputed here; written files are read back by our own PNG decoder.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as torch from '../src/torch/index.js';
import { decodeImage, encodeImage, rawFromTensor, readImage, writeImage, type RawImage } from '../src/io/image.js';
import { decodePngSamples } from '../src/io/png_indexed.js';
import { fixturePath } from './helpers/fixtures.js';

const W = 13, H = 7;
// The closed forms of scripts/fixtures/io.py.
const value8 = (x: number, y: number, c: number) => (x * 37 + y * 71 + c * 101 + 5) % 256;
const value16 = (x: number, y: number, c: number) => (x * 7919 + y * 6007 + c * 30011 + 123) % 65536;
const index = (n: number) => (x: number, y: number) => value8(x, y, 0) % n;
const paletteColour = (i: number) => [(i * 67 + 13) % 256, (i * 151 + 7) % 256, (i * 29 + 200) % 256];

function expected(fn: (x: number, y: number, c: number) => number, channels: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < channels; c++) out.push(fn(x, y, c));
  return out;
}

const fixture = (name: string) => fixturePath('io', name);

function assertImage(img: RawImage, channels: number, values: number[], bits: 8 | 16, label: string): void {
  assert.deepEqual([img.width, img.height, img.channels], [W, H, channels], `${label}: size`);
  assert.ok(img.data instanceof (bits === 16 ? Uint16Array : Uint8Array), `${label}: ${bits}-bit samples`);
  assert.deepEqual(Array.from(img.data), values, `${label}: pixels`);
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'shiftkit-io-'));
}

test('decodes 8-bit gray, RGB and RGBA PNGs', async () => {
  assertImage(await decodeImage(fixture('gray8.png')), 1, expected(value8, 1), 8, 'gray8');
  assertImage(await decodeImage(fixture('rgb8.png')), 3, expected(value8, 3), 8, 'rgb8');
  assertImage(await decodeImage(fixture('rgba8.png')), 4, expected(value8, 4), 8, 'rgba8');
});

test('decodes 16-bit gray and RGB PNGs at 16 bits, or reduced to 8 (v >> 8)', async () => {
  assertImage(await decodeImage(fixture('gray16.png')), 1, expected(value16, 1), 16, 'gray16');
  assertImage(await decodeImage(fixture('rgb16.png')), 3, expected(value16, 3), 16, 'rgb16');
  const reduced = await decodeImage(fixture('rgb16.png'), { depth: 'uint8' });
  assertImage(reduced, 3, expected((x, y, c) => value16(x, y, c) >> 8, 3), 8, 'rgb16 as uint8');
});

test('channel conversions: gray -> RGB, RGBA -> RGB, RGB -> RGBA, RGB -> gray as PIL', async () => {
  assertImage(await decodeImage(fixture('gray8.png'), { channels: 3 }), 3, expected((x, y) => value8(x, y, 0), 3), 8, 'gray as RGB');
  assertImage(await decodeImage(fixture('rgba8.png'), { channels: 3 }), 3, expected(value8, 3), 8, 'RGBA as RGB');
  assertImage(await decodeImage(fixture('rgb8.png'), { channels: 4 }), 4,
    expected((x, y, c) => (c === 3 ? 255 : value8(x, y, c)), 4), 8, 'RGB as RGBA');
  const pilGray = Array.from(readFileSync(fixture('rgb8.png.L')));
  assertImage(await decodeImage(fixture('rgb8.png'), { channels: 1 }), 1, pilGray, 8, 'RGB as gray');
  assertImage(await decodeImage(fixture('rgb16.png'), { channels: 1, depth: 'uint8' }), 1,
    expected((x, y) => {
      const [r, g, b] = [0, 1, 2].map((c) => value16(x, y, c) >> 8);
      return Math.floor((r * 19595 + g * 38470 + b * 7471 + 0x8000) / 65536);
    }, 1), 8, 'RGB16 as 8-bit gray');
});

test("indexed PNGs: palette:'index' gives the indices at bit depths 8, 4, 2 (Adam7) and 1; default expands the palette", async () => {
  for (const [file, n] of [['index8.png', 256], ['index4.png', 16], ['index2_adam7.png', 4], ['index1.png', 2]] as const) {
    assertImage(await decodeImage(fixture(file), { palette: 'index' }), 1, expected(index(n), 1), 8, file);
  }
  const rgb = await decodeImage(fixture('index4.png'));
  assertImage(rgb, 3, expected((x, y, c) => paletteColour(index(16)(x, y))[c], 3), 8, 'index4 as RGB');
  // A gray PNG is accepted as a label map: its gray values are the labels.
  assertImage(await decodeImage(fixture('gray8.png'), { palette: 'index' }), 1, expected(value8, 1), 8, 'gray8 as indices');
});

test('our PNG decoder reads every fixture PNG (the reader of the round trips below)', () => {
  const cases: [string, number, (x: number, y: number, c: number) => number][] = [
    ['gray8.png', 1, value8], ['rgb8.png', 3, value8], ['rgba8.png', 4, value8], ['gray16.png', 1, value16],
    ['rgb16.png', 3, value16], ['index8.png', 1, index(256)], ['index2_adam7.png', 1, index(4)],
  ];
  for (const [file, channels, fn] of cases) {
    const png = decodePngSamples(readFileSync(fixture(file)), file);
    assertImage(png, channels, expected(fn, channels), png.bitDepth === 16 ? 16 : 8, file);
  }
});

test('JPEG matches PIL decode within 2 levels; lossless WebP is exact', async () => {
  const jpeg = await decodeImage(fixture('smooth.jpg'));
  const pil = readFileSync(fixture('smooth.jpg.rgb'));
  assert.deepEqual([jpeg.width, jpeg.height, jpeg.channels], [W, H, 3]);
  const worst = Math.max(...Array.from(pil, (v, i) => Math.abs(v - jpeg.data[i])));
  assert.ok(worst <= 2, `JPEG differs from PIL by up to ${worst}`);
  assertImage(await decodeImage(fixture('rgb8_lossless.webp')), 3, expected(value8, 3), 8, 'webp');
});

test('errors name the file: missing, truncated, corrupt, not indexed', async () => {
  const dir = tempDir();
  try {
    const missing = path.join(dir, 'nope.png');
    await assert.rejects(decodeImage(missing), { message: `Image file not found: ${missing}` });
    await assert.rejects(readImage(missing), { message: `Image file not found: ${missing}` });

    const truncated = path.join(dir, 'truncated.png');
    const whole = readFileSync(fixture('rgb8.png'));
    writeFileSync(truncated, whole.subarray(0, whole.length - 30));
    await assert.rejects(decodeImage(truncated), (e: Error) => e.message.startsWith(`Cannot decode image ${truncated}: `) && e.message.length > truncated.length + 24);

    const cutIndexed = path.join(dir, 'cut_index.png');
    const idx = readFileSync(fixture('index8.png'));
    writeFileSync(cutIndexed, idx.subarray(0, idx.length - 40));
    await assert.rejects(decodeImage(cutIndexed, { palette: 'index' }), { message: `Cannot decode image ${cutIndexed}: truncated PNG chunk IDAT` });

    await assert.rejects(decodeImage(Buffer.from('not an image at all'), { name: 'labels/a.png' }),
      (e: Error) => e.message.startsWith('Cannot decode image labels/a.png: '));
    await assert.rejects(decodeImage(fixture('rgb8.png'), { palette: 'index' }),
      { message: `Cannot decode image ${fixture('rgb8.png')}: palette:'index' needs an indexed or 8-bit gray PNG, got 8-bit RGB` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readImage: CHW tensors, uint8 or float32 in [0,1] (16-bit / 65535)', async () => {
  await torch.scope(async () => {
    const u8 = await readImage(fixture('rgb8.png'), { dtype: 'uint8' });
    assert.deepEqual([u8.shape, u8.dtype], [[3, H, W], 'uint8']);
    const chw = (fn: (x: number, y: number, c: number) => number, channels: number) =>
      Array.from({ length: channels * H * W }, (_, i) => fn(i % W, Math.floor(i / W) % H, Math.floor(i / (W * H))));
    assert.deepEqual(Array.from(u8.toTypedArray() as Uint8Array), chw(value8, 3));

    const f = await readImage(fixture('rgb8.png'));
    assert.deepEqual([f.shape, f.dtype], [[3, H, W], 'float32']);
    const f16 = await readImage(fixture('gray16.png'));
    assert.deepEqual(f16.shape, [1, H, W]);
    for (const [t, want] of [[f, chw((x, y, c) => value8(x, y, c) / 255, 3)], [f16, chw((x, y) => value16(x, y, 0) / 65535, 1)]] as const) {
      const got = t.toTypedArray() as Float32Array;
      want.forEach((v, i) => assert.ok(Math.abs(got[i] - v) <= 1e-7, `element ${i}: ${got[i]} vs ${v}`));
    }
    const gray = await readImage(fixture('rgba8.png'), { dtype: 'uint8', channels: 3 });
    assert.deepEqual(gray.shape, [3, H, W]);
  });
});

test('rawFromTensor: HWC bytes from CHW/HW, floats rounded from [0,1] and clamped', () => {
  torch.scope(() => {
    const t = torch.tensor(new Float32Array([0, 0.5, 1, 1.2, -0.1, 0.2, 0.003, 0.998, 0.25, 0.75, 0.1, 0.91]), { shape: [3, 2, 2] });
    const raw = rawFromTensor(t);
    assert.deepEqual([raw.width, raw.height, raw.channels], [2, 2, 3]);
    // HWC: pixel (x, y) = [c0, c1, c2] at CHW index c*4 + y*2 + x; round(255 v) clamped.
    assert.deepEqual(Array.from(raw.data), [0, 0, 64, 128, 51, 191, 255, 1, 26, 255, 254, 232]);
    const hw = rawFromTensor(torch.tensor(new Uint8Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] }));
    assert.deepEqual([hw.width, hw.height, hw.channels, Array.from(hw.data)], [3, 2, 1, [1, 2, 3, 4, 5, 6]]);
    assert.throws(() => rawFromTensor(torch.tensor(new Int32Array(4), { shape: [1, 2, 2] })), /uint8 or floating point/);
  });
});

test('writeImage round trips: 8-bit RGB, gray, 16-bit RGB and gray PNG, tensors; atomic; JPEG/WebP close', async () => {
  const dir = tempDir();
  try {
    const rgb8: RawImage = { data: Uint8Array.from(expected(value8, 3)), width: W, height: H, channels: 3 };
    const gray8: RawImage = { data: Uint8Array.from(expected(value8, 1)), width: W, height: H, channels: 1 };
    const rgb16: RawImage = { data: Uint16Array.from(expected(value16, 3)), width: W, height: H, channels: 3 };
    const gray16: RawImage = { data: Uint16Array.from(expected(value16, 1)), width: W, height: H, channels: 1 };
    const cases: [string, RawImage, number, number][] = [
      ['rgb8.png', rgb8, 8, 2], ['gray8.png', gray8, 8, 0], ['rgb16.png', rgb16, 16, 2], ['sub/gray16.png', gray16, 16, 0],
    ];
    for (const [name, img, bitDepth, colourType] of cases) {
      const file = path.join(dir, name);
      await writeImage(file, img);
      const png = decodePngSamples(readFileSync(file), file);
      assert.deepEqual([png.bitDepth, png.colourType], [bitDepth, colourType], `${name}: PNG format`);
      assertImage(png, img.channels, Array.from(img.data), bitDepth as 8 | 16, name);
    }
    // A float CHW tensor is written as round(255 v).
    const t = torch.scope(() => torch.keepTensor(torch.tensor(new Float32Array([0, 0.5, 1, 0.2]), { shape: [1, 2, 2] })));
    await writeImage(path.join(dir, 'tensor.png'), t);
    t.dispose();
    assert.deepEqual(Array.from(decodePngSamples(readFileSync(path.join(dir, 'tensor.png')), 'tensor.png').data), [0, 128, 255, 51]);

    await writeImage(path.join(dir, 'rgb8.webp'), rgb8, { quality: 100 });
    const webp = await decodeImage(path.join(dir, 'rgb8.webp'));
    assert.deepEqual([webp.width, webp.height, webp.channels], [W, H, 3]);
    await writeImage(path.join(dir, 'smooth.jpg'), await decodeImage(fixture('smooth.jpg')), { quality: 95 });
    const jpg = await decodeImage(path.join(dir, 'smooth.jpg'));
    const pil = readFileSync(fixture('smooth.jpg.rgb'));
    assert.ok(Array.from(pil).every((v, i) => Math.abs(v - jpg.data[i]) <= 6), 'JPEG round trip stays close');

    // Nothing but the targets: no temporary files left behind.
    assert.deepEqual(readdirSync(dir).sort(), ['gray8.png', 'rgb16.png', 'rgb8.png', 'rgb8.webp', 'smooth.jpg', 'sub', 'tensor.png']);
    assert.deepEqual(readdirSync(path.join(dir, 'sub')), ['gray16.png']);

    await assert.rejects(writeImage(path.join(dir, 'a.bmp'), rgb8), /unsupported extension for .*a\.bmp/);
    await assert.rejects(encodeImage(rgb16, 'jpeg'), /16-bit images can only be written as PNG/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
