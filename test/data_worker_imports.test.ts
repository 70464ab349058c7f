// Loader worker threads decode and augment without libtorch: the dataset readers must not load the addon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('dataset readers and transforms import without loading libtorch', () => {
  const modules = ['datasets/cityscapes', 'datasets/gta5', 'datasets/synthia', 'datasets/image_folder', 'transforms', 'fetch', 'collate', 'dataset']
    .map((m) => new URL(`../src/data/${m}.js`, import.meta.url).href);
  const script = `for (const m of ${JSON.stringify(modules)}) await import(m);
    const libs = process.report.getReport().sharedObjects.filter((s) => /shiftkit\\.node|libtorch/.test(s));
    console.log(JSON.stringify(libs));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), []);
});
