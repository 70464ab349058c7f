// The demo end to end at a tiny size: every stage writes what the next one reads, and the report shows the runs'
// own final scores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDemo } from '../src/demo/run.js';
import { DEMO_RUNS, slug, type DemoSettings } from '../src/demo/settings.js';
import { decodeImage } from '../src/io/index.js';

const TINY: DemoSettings = {
  size: [32, 64], train: 8, val: 2, tuneSize: [16, 32], tuneSteps: 2, tuneEvalEvery: 1, segSteps: 2, segEvalEvery: 1,
};

const labelFiles = (root: string) => {
  const dir = path.join(root, 'gtFine', 'train');
  return fs.readdirSync(dir).flatMap((c) => fs.readdirSync(path.join(dir, c)).filter((f) => f.endsWith('_labelIds.png')).sort().map((f) => path.join(dir, c, f)));
};

test('the demo synthesises, tunes, re-renders the source, trains its runs and reports their target scores', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftkit-demo-'));
  try {
    const report = await runDemo(TINY, { out, seed: 0 });
    assert.equal(report, path.join(out, 'report.html'));

    // The tuned source re-renders the source's scenes: a new look over the same geometry, so the same labels.
    const src = labelFiles(path.join(out, 'data', 'source')), tuned = labelFiles(path.join(out, 'data', 'tuned'));
    assert.equal(tuned.length, TINY.train);
    assert.equal(src.length, TINY.train);
    src.forEach((f, i) => assert.deepEqual(fs.readFileSync(tuned[i]), fs.readFileSync(f), `labels of scene ${i}`));
    assert.ok(fs.existsSync(path.join(out, 'render-tune', 'theta_best.json')));

    // The report's mIoU for each run is its last evaluation in metrics.jsonl.
    const html = fs.readFileSync(report, 'utf8');
    for (const run of DEMO_RUNS) {
      const lines = fs.readFileSync(path.join(out, `seg-${slug(run.name)}`, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const last = lines.filter((r) => r.split === 'eval').at(-1);
      assert.equal(last.step, TINY.segSteps);
      assert.ok(html.includes(`<span>${run.name} mIoU</span><b>${(100 * last.mIoU).toFixed(1)}%</b>`), `${run.name}'s card`);
    }

    // Predictions: image, ground truth and one overlay per run, one row per validation image.
    const grid = await decodeImage(path.join(out, 'predictions.png'));
    const cols = 2 + DEMO_RUNS.length;
    assert.ok(grid.width >= cols * TINY.size[1] && grid.width < (cols + 1) * TINY.size[1], `width ${grid.width}`);
    assert.ok(grid.height >= TINY.val * TINY.size[0] && grid.height < (TINY.val + 1) * TINY.size[0], `height ${grid.height}`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
