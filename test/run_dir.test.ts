// Run folders: config.yaml, metrics.jsonl lines, TensorBoard scalars and samples, and rewinding for a resume.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import sharp from 'sharp';
import YAML from 'yaml';
import { RunDir } from '../src/run/run_dir.js';
import { readEventFile } from '../src/run/tensorboard_reader.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'shiftkit-run-'));
const events = (dir: string) => fs.readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.')).sort().map((f) => readEventFile(path.join(dir, f)));

test('create writes the config as YAML and refuses a non-empty folder; open needs config.yaml', () => {
  const dir = tmp();
  try {
    const config = { method: 'fixmatch', optim: { lr: 0.03, betas: [0.9, 0.999] }, name: 'a: b # not a comment' };
    const run = RunDir.create(path.join(dir, 'r'), config);
    assert.deepEqual(YAML.parse(fs.readFileSync(path.join(dir, 'r', 'config.yaml'), 'utf8')), config);
    assert.deepEqual(run.readConfig(), config);
    assert.ok(fs.statSync(path.join(dir, 'r', 'checkpoints')).isDirectory() && fs.statSync(path.join(dir, 'r', 'samples')).isDirectory());
    assert.throws(() => RunDir.create(path.join(dir, 'r'), {}), /already exists and is not empty/);
    assert.throws(() => RunDir.open(dir), new RegExp(`${dir} is not a run folder: it has no config.yaml`));
    assert.equal(RunDir.open(path.join(dir, 'r')).dir, path.join(dir, 'r'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('log appends one JSON line per call and the same scalars to TensorBoard as <split>/<name>', () => {
  const dir = tmp();
  try {
    const run = RunDir.create(dir, {});
    run.log(10, 'train', { loss: 0.5, lr: 0.1 }, 1700000000);
    run.log(10, 'eval', { miou: Number.NaN }, 1700000001);
    run.close();
    assert.equal(fs.readFileSync(run.metricsFile, 'utf8'),
      '{"step":10,"time":1700000000,"split":"train","loss":0.5,"lr":0.1}\n{"step":10,"time":1700000001,"split":"eval","miou":null}\n');
    const [ev] = events(dir);
    assert.equal(ev[0].fileVersion, 'brain.Event:2');
    assert.deepEqual(ev.slice(1).map((e) => [e.step, e.wallTime, e.summary]), [
      [10, 1700000000, [{ tag: 'train/loss', simpleValue: 0.5 }, { tag: 'train/lr', simpleValue: Math.fround(0.1) }]],
      [10, 1700000001, [{ tag: 'eval/miou', simpleValue: Number.NaN }]],
    ]);
    assert.throws(() => run.log(1, 'train', { step: 1 }), /scalar may not be named 'step'/);
    assert.throws(() => run.log(1, 'train', { loss: '1' as unknown as number }), /scalar 'loss' at step 1 is a string/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('readMetrics skips a last line cut short by a kill, but names a malformed line elsewhere', () => {
  const dir = tmp();
  try {
    const run = RunDir.create(dir, {});
    fs.writeFileSync(run.metricsFile, '{"step":1,"time":0,"split":"train","loss":1}\n{"step":2,"time":0,"spl');
    assert.deepEqual(run.readMetrics(), [{ step: 1, time: 0, split: 'train', loss: 1 }]);
    fs.writeFileSync(run.metricsFile, '{"step":1,"time":0,"split":"train","loss":1}\n{oops\n{"step":3,"time":0,"split":"train"}\n');
    assert.throws(() => run.readMetrics(), new RegExp(`${run.metricsFile}: line 2 is not JSON`));
    fs.writeFileSync(run.metricsFile, '{"step":1,"time":0,"split":"test"}\n');
    assert.throws(() => run.readMetrics(), /line 1 lacks a numeric step or a split of 'train' or 'eval'/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('samples go to samples/step-N/<name>.png and TensorBoard; rewind forgets later steps', async () => {
  const dir = tmp();
  try {
    const png = await sharp({ create: { width: 4, height: 3, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 1 } } }).png().toBuffer();
    const run = RunDir.create(dir, {});
    for (const step of [5, 10, 15]) {
      run.log(step, 'train', { loss: step });
      run.writeSample(step, 'pred', png);
    }
    assert.deepEqual(fs.readFileSync(path.join(dir, 'samples', 'step-000010', 'pred.png')), png);
    assert.deepEqual(run.listSamples().map((s) => [s.step, s.name]), [[5, 'pred'], [10, 'pred'], [15, 'pred']]);
    assert.throws(() => run.writeSample(1, '../x', png), /sample name '..\/x'/);
    assert.throws(() => run.writeSample(1, 'x', Buffer.from('GIF89a')), /x: not a PNG image/);

    run.rewind(10);
    assert.deepEqual(run.readMetrics().map((r) => r.step), [5, 10]);
    assert.deepEqual(run.listSamples().map((s) => s.step), [5, 10]);
    run.log(11, 'train', { loss: 1 });
    run.close();
    const [first, second] = events(dir); // names sort by creation: a later second, or the same one with a '.1' suffix
    const image = first.find((e) => e.summary?.[0].image)!.summary![0];
    assert.deepEqual([image.tag, image.image!.width, image.image!.height, image.image!.colorspace], ['samples/pred', 4, 3, 4]);
    // The new event file: version, SessionLog START at step 11 (TensorBoard drops the old run's steps >= 11), then step 11.
    assert.deepEqual(second.map((e) => [e.step, e.fileVersion ?? e.sessionLog ?? e.summary![0].tag]), [
      [11, 'brain.Event:2'], [11, { status: 1 }], [11, 'train/loss']]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
