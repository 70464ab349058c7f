// Dataset readers on tiny datasets in the real layouts and formats (test/fixtures/data, made by
// scripts/fixtures/data.py), against hand-written label tables.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { isArrayField, loadDataset, type ArrayField, type Sample } from '../src/data/dataset.js';
import { Cityscapes } from '../src/data/datasets/cityscapes.js';
import { GTA5 } from '../src/data/datasets/gta5.js';
import { ImageFolder } from '../src/data/datasets/image_folder.js';
import { Synthia } from '../src/data/datasets/synthia.js';
import { Rng } from '../src/data/random.js';
import { fixturePath } from './helpers/fixtures.js';

const root = (name: string) => fixturePath('data', name);
const rng = () => Rng.from(0);
const X = 255;

// cityscapesScripts labels.py, labelId 0..33 -> trainId, and the 16 SYNTHIA classes (terrain, truck, train out).
const CITY19 = [X, X, X, X, X, X, X, 0, 1, X, X, 2, 3, 4, X, X, X, 5, X, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, X, X, 16, 17, 18];
const CITY16 = [X, X, X, X, X, X, X, 0, 1, X, X, 2, 3, 4, X, X, X, 5, X, 6, 7, 8, X, 9, 10, 11, 12, X, 13, X, X, X, 14, 15];
// SYNTHIA class id 0..23 -> Cityscapes trainId (16 terrain, 18 truck, 20 train never occur) and -> the 16 classes.
const SYN19 = [X, 10, 2, 0, 1, 4, 8, 5, 13, 7, 11, 18, 17, X, X, 6, 9, 12, 14, 15, 16, 3, X, X];
const SYN16 = [X, 9, 2, 0, 1, 4, 8, 5, 12, 7, 10, 15, 14, X, X, 6, X, 11, X, 13, X, 3, X, X];

function field(s: Sample, key: string): ArrayField {
  const f = s[key];
  assert.ok(isArrayField(f), `${key} is an array field`);
  return f;
}

/** The fixture script's image k: (37 x + 91 y + 53 c + 11 + 29 k) mod 256 / 255, CHW. */
function pixelsChw(h: number, w: number, k: number): Float32Array {
  const out = new Float32Array(3 * h * w);
  for (let c = 0; c < 3; c++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(c * h + y) * w + x] = ((37 * x + 91 * y + 53 * c + 11 + 29 * k) % 256) / 255;
  return out;
}

/** Ids (i + k) mod n in row-major order, through a table. */
const mapped = (len: number, n: number, k: number, table: number[]) => Array.from({ length: len }, (_, i) => table[(i + k) % n]);

function tempCopy(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shiftkit-data-'));
  cpSync(root(name), path.join(dir, name), { recursive: true });
  return path.join(dir, name);
}

test('Cityscapes: files in city/name order, pixels as stored, labelIds -> 19 trainIds', async () => {
  const ds = new Cityscapes({ root: root('cityscapes'), split: 'train' });
  assert.equal(ds.length, 3);
  const names: string[] = [];
  for (let i = 0; i < ds.length; i++) {
    const s = await ds.get(i, rng());
    names.push(s.name as string);
    assert.equal(s.index, i);
    assert.deepEqual(field(s, 'image').shape, [3, 6, 8]);
    assert.deepEqual(field(s, 'image').data, pixelsChw(6, 8, i));
    assert.deepEqual(field(s, 'label').shape, [6, 8]);
    assert.deepEqual(Array.from(field(s, 'label').data as Uint8Array), mapped(48, 34, i, CITY19));
  }
  assert.deepEqual(names, ['aachen_000000_000019', 'aachen_000001_000019', 'bremen_000000_000019']);
  assert.equal(new Cityscapes({ root: root('cityscapes'), split: 'val' }).length, 1);
});

test('Cityscapes: the 16-class protocol, and images without labels', async () => {
  const s16 = await new Cityscapes({ root: root('cityscapes'), split: 'val', classes: 16 }).get(0, rng());
  assert.deepEqual(Array.from(field(s16, 'label').data as Uint8Array), mapped(48, 34, 3, CITY16));
  const bare = await new Cityscapes({ root: root('cityscapes'), split: 'val', labels: false }).get(0, rng());
  assert.deepEqual(Object.keys(bare).sort(), ['image', 'index', 'name']);
});

test('Cityscapes: a missing split names the folder; an image without its label names both files', () => {
  assert.throws(() => new Cityscapes({ root: root('cityscapes'), split: 'test' }),
    new RegExp(`folder not found: ${path.join(root('cityscapes'), 'leftImg8bit', 'test').replace(/[/\\]/g, '.')}`));
  const copy = tempCopy('cityscapes');
  try {
    const label = path.join(copy, 'gtFine', 'train', 'bremen', 'bremen_000000_000019_gtFine_labelIds.png');
    rmSync(label);
    assert.throws(() => new Cityscapes({ root: copy, split: 'train' }),
      (e: Error) => e.message.includes('bremen_000000_000019_leftImg8bit.png') && e.message.includes(label));
  } finally {
    rmSync(path.dirname(copy), { recursive: true });
  }
});

test('GTA5: palette indices are labelIds; a label smaller than its image is resized to it (nearest)', async () => {
  const ds = new GTA5({ root: root('gta5') });
  assert.equal(ds.length, 2);
  const a = await ds.get(0, rng());
  assert.equal(a.name, '00001');
  assert.deepEqual(field(a, 'image').data, pixelsChw(6, 8, 0));
  const ids35 = [...CITY19, X]; // labelId 34 (license plate's slot in GTA5 palettes) is ignored too
  assert.deepEqual(Array.from(field(a, 'label').data as Uint8Array), mapped(48, 35, 0, ids35));
  const b = await ds.get(1, rng());
  // 3x4 label ids (i + 20) mod 35 at half the image size: pixel (y, x) reads label (y >> 1, x >> 1).
  const small = mapped(12, 35, 20, ids35);
  const want = Array.from({ length: 48 }, (_, i) => small[(Math.floor(i / 8) >> 1) * 4 + ((i % 8) >> 1)]);
  assert.deepEqual(Array.from(field(b, 'label').data as Uint8Array), want);
  const b16 = await new GTA5({ root: root('gta5'), classes: 16 }).get(0, rng());
  assert.deepEqual(Array.from(field(b16, 'label').data as Uint8Array), mapped(48, 35, 0, [...CITY16, X]));
});

test('SYNTHIA: class id in the first channel of 16-bit labels, to 19 trainIds or the 16 classes', async () => {
  const ds = new Synthia({ root: root('synthia') });
  assert.equal(ds.length, 1);
  const s = await ds.get(0, rng());
  assert.deepEqual(field(s, 'image').data, pixelsChw(4, 6, 0));
  assert.deepEqual(Array.from(field(s, 'label').data as Uint8Array), SYN19);
  const s16 = await new Synthia({ root: root('synthia'), classes: 16 }).get(0, rng());
  assert.deepEqual(Array.from(field(s16, 'label').data as Uint8Array), SYN16);
  assert.throws(() => new Synthia({ root: root('nowhere') }), /SYNTHIA RGB: folder not found: .*nowhere.RGB/);
});

test('ImageFolder: jpg/png/webp found recursively in code-point order; errors name the folder', async () => {
  const ds = new ImageFolder({ root: root('folder') });
  const names = await Promise.all(Array.from({ length: ds.length }, async (_, i) => (await ds.get(i, rng())).name));
  assert.deepEqual(names, ['A.png', 'b.png', 'sub/c.jpg', 'sub/d.webp']);
  const a = await ds.get(0, rng());
  assert.deepEqual(field(a, 'image').data, pixelsChw(4, 5, 1));
  assert.deepEqual(Object.keys(a).sort(), ['image', 'index', 'name']);
  assert.throws(() => new ImageFolder({ root: root('nowhere') }), /ImageFolder: folder not found: .*nowhere/);
  const empty = mkdtempSync(path.join(os.tmpdir(), 'shiftkit-empty-'));
  try {
    mkdirSync(path.join(empty, 'sub'));
    assert.throws(() => new ImageFolder({ root: empty }), /no .jpg, .jpeg, .png or .webp images under/);
  } finally {
    rmSync(empty, { recursive: true });
  }
});

test('transforms run inside the reader; a spec rebuilds the same dataset', async () => {
  const opts = { root: root('cityscapes'), split: 'train', transforms: [{ op: 'randomCrop' as const, size: [4, 4] as [number, number] }, { op: 'hflip' as const }] };
  const ds = new Cityscapes(opts);
  const again = await loadDataset(ds.spec());
  assert.ok(again instanceof Cityscapes);
  const [s, t] = [await ds.get(2, Rng.from(9)), await again.get(2, Rng.from(9))];
  assert.deepEqual(field(s, 'label').shape, [4, 4]);
  assert.deepEqual(field(s, 'label').data, field(t, 'label').data);
  assert.deepEqual(field(s, 'image').data, field(t, 'image').data);
});
