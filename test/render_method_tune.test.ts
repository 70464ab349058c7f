// `shiftkit render tune|generate` and `data synth` as a user runs them: usage errors exit 2 naming the problem;
// a tiny tuning run writes θ files, the trajectory, the result and one event file; the stop rule ends a run early,
// and resuming a stopped run does nothing more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeImage } from '../src/io/image.js';
import { RenderParams } from '../src/render/params.js';

const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const shiftkit = (...args: string[]) => {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'render-tune-'));
const real = path.join(tmp, 'real');
const TINY = ['size=[16,32]', 'm=2', 'n=2', 'steps=4', 'eval.every=2', 'eval.images=4', 'classifier.width=4', 'classifier.layers=2',
  'theta.tune=[ambient.*,light0.color,fog.density]'].flatMap((s) => ['--set', s]);

test.before(async () => {
  for (let i = 0; i < 6; i++) {
    const data = Uint8Array.from({ length: 24 * 48 * 3 }, (_, k) => (k % 3 === 0 ? 180 : 90) + ((k * 7 + i * 13) % 40));
    await writeImage(path.join(real, `im${i}.png`), { data, width: 48, height: 24, channels: 3 });
  }
});
test.after(() => fs.rmSync(tmp, { recursive: true }));

test('usage errors exit 2 and say what is wrong', () => {
  const cases: [string[], RegExp][] = [
    [['render', 'tune'], /--real <folder>/],
    [['render', 'tune', '--real', path.join(tmp, 'nope')], /--real: folder not found: .*nope/],
    [['render', 'tune', '--real', real, '--init', path.join(tmp, 'nope.json')], /--init: file not found/],
    [['render', 'tune', '--real', real, '--set', 'theta.tune=[nothing.*]'], /pattern 'nothing\.\*' matches no parameter/],
    [['render', 'tune', '--real', real, '--set', 'reduction=median'], /reduction: 'median' is not allowed \(allowed: sum, mean\)/],
    [['render', 'generate', '--out', tmp], /required option '--count <n>'/],
    [['render', 'generate', '--count', '2', '--out', tmp, '--scene', 'car'], /--scene must be one of street, face/],
    [['render', 'generate', '--count', '2', '--out', tmp, '--size', '128'], /--size must be HEIGHTxWIDTH/],
    [['render', 'generate', '--count', '2', '--out', tmp, '--params', path.join(tmp, 'nope.json')], /--params: file not found/],
    [['data', 'synth', '--count', '5'], /--count must be TRAIN\/VAL/],
  ];
  for (const [args, message] of cases) {
    const r = shiftkit(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
});

test('a tiny run writes θ (best, final), the trajectory per evaluation and the result', () => {
  const run = path.join(tmp, 'run');
  const r = shiftkit('render', 'tune', '--real', real, '--run', run, ...TINY);
  assert.equal(r.code, 0, r.stderr);
  const trajectory = fs.readFileSync(path.join(run, 'trajectory.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(trajectory.map((t) => t.step), [0, 2, 4]);
  assert.deepEqual(Object.keys(trajectory[0].theta), ['ambient.color', 'ambient.intensity', 'light0.color', 'fog.density']);
  const result = JSON.parse(fs.readFileSync(path.join(run, 'result.json'), 'utf8'));
  assert.equal(result.steps, 4);
  assert.equal(result.stopped, false);
  assert.equal(result.initial.mmd, trajectory[0].mmd);
  const best = trajectory.reduce((a, b) => (b.mmd < a.mmd ? b : a));
  assert.equal(result.best.step, best.step);
  const bestTheta = RenderParams.fromJSON(JSON.parse(fs.readFileSync(path.join(run, 'theta_best.json'), 'utf8')));
  assert.deepEqual(bestTheta.get('light0.color'), best.theta['light0.color']);
  const final = RenderParams.fromJSON(JSON.parse(fs.readFileSync(path.join(run, 'theta_final.json'), 'utf8')));
  assert.deepEqual(final.get('fog.density'), trajectory[2].theta['fog.density']);
  // Untuned entries keep their initial values.
  assert.deepEqual(final.get('material.road.albedo'), RenderParams.defaults('street').get('material.road.albedo'));
  const evals = fs.readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.split === 'eval');
  assert.deepEqual(evals.map((m) => m.step), [0, 2, 4]);
  // One trainer run for the whole budget: one TensorBoard event file.
  assert.equal(fs.readdirSync(run).filter((f) => f.startsWith('events.out.tfevents')).length, 1);
});

test('the stop rule ends tuning at the first evaluation where the classifier is near chance; resume keeps it stopped', () => {
  const run = path.join(tmp, 'stopped');
  const stopAtOnce = ['stop.window=1', 'stop.minSteps=0', 'stop.tolerance=0.5'].flatMap((s) => ['--set', s]);
  const r = shiftkit('render', 'tune', '--real', real, '--run', run, ...TINY, ...stopAtOnce);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /stopped at step 2/);
  const result = JSON.parse(fs.readFileSync(path.join(run, 'result.json'), 'utf8'));
  assert.deepEqual([result.steps, result.stopped], [2, true]);
  assert.equal(fs.readFileSync(path.join(run, 'checkpoints', 'latest'), 'utf8').trim(), 'step-000002');
  const again = shiftkit('render', 'tune', '--run', run, '--resume');
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /stopped at step 2/);
  assert.equal(fs.readFileSync(path.join(run, 'checkpoints', 'latest'), 'utf8').trim(), 'step-000002');
});
