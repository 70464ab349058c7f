// Resumption is exact: a run killed with SIGKILL and resumed from its latest checkpoint logs the same
// numbers, bit for bit, as an uninterrupted run, and ends with the same weights and optimizer state.
// SIGTERM checkpoints and exits cleanly; a second signal exits at once; a NaN loss stops the run without
// checkpointing the bad state. The training runs in child processes (helpers/train_child.ts) so that they
// can be killed.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { RunDir, type MetricRecord } from '../src/run/run_dir.js';
import { listCheckpoints, latestCheckpoint } from '../src/run/checkpoint.js';
import { readEventFile } from '../src/run/tensorboard_reader.js';
import { train } from '../src/run/trainer.js';
import { makeTask } from './helpers/tiny_task.js';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers', 'train_child.js');
const env = { ...process.env, OMP_NUM_THREADS: '1' };
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftkit-resume-'));
test.after(() => fs.rmSync(root, { recursive: true, force: true }));

interface ChildOptions { run: string; steps: number; checkpointEvery: number; seed: number; resume?: boolean; delayAfter?: number; delayMs?: number }
// A DataLoader worker thread prefetches ahead of the trainer: the saved position must be what was consumed.
const base = { steps: 20, checkpointEvery: 5, seed: 3, numWorkers: 1 };

function runChild(o: ChildOptions): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [child, JSON.stringify(o)], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

function startChild(o: ChildOptions) {
  const p = spawn(process.execPath, [child, JSON.stringify(o)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    p.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { p, exited };
}

async function waitFor(file: string, timeoutMs = 30_000): Promise<void> {
  for (const t0 = Date.now(); !fs.existsSync(file); await sleep(5)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${file}`);
  }
}

// Metrics without wall-clock times; numbers compared as their JSON text, so bitwise.
const metricsOf = (dir: string): string[] => RunDir.open(dir).readMetrics().map(({ time, ...rest }: MetricRecord) => JSON.stringify(rest));
const weightsOf = (dir: string, step: number): Buffer => fs.readFileSync(path.join(dir, 'checkpoints', `step-${String(step).padStart(6, '0')}`, 'weights.safetensors'));

let reference: string | undefined;
function runA(): string {
  if (reference) return reference;
  const dir = path.join(root, 'A');
  const r = runChild({ ...base, run: dir });
  assert.equal(r.status, 0, r.stderr);
  reference = dir;
  return dir;
}

test('SIGKILL after checkpoint 10, then resume: steps 11..20 match the uninterrupted run exactly', async () => {
  const a = runA();
  const expected = metricsOf(a);
  assert.equal(expected.filter((m) => JSON.parse(m).split === 'train').length, 20);
  assert.equal(expected.filter((m) => JSON.parse(m).split === 'eval').length, 4);

  const b = path.join(root, 'B');
  const first = startChild({ ...base, run: b, delayAfter: 10, delayMs: 300 });
  await waitFor(path.join(b, 'checkpoints', 'step-000010'));
  first.p.kill('SIGKILL');
  const killed = await first.exited;
  assert.equal(killed.signal, 'SIGKILL');
  const resumedFrom = Number(/step-(\d+)/.exec(latestCheckpoint(path.join(b, 'checkpoints'))!)![1]);
  assert.ok(resumedFrom === 10 || resumedFrom === 5, `latest is step ${resumedFrom}`); // 5 if killed between folder and `latest`

  const second = runChild({ ...base, run: b, resume: true });
  assert.equal(second.status, 0, second.stderr);
  const got = metricsOf(b);
  assert.deepEqual(got.filter((m) => JSON.parse(m).step > 10), expected.filter((m) => JSON.parse(m).step > 10));
  assert.deepEqual(got, expected); // and no duplicate lines from the killed process's steps after 10
  assert.deepEqual(weightsOf(b, 20), weightsOf(a, 20)); // weights, BN buffers, momentum buffers
  // The resumed process's event file tells TensorBoard to drop the killed process's events after the checkpoint.
  const files = fs.readdirSync(b).filter((f) => f.startsWith('events.out.tfevents.')).map((f) => path.join(b, f));
  assert.equal(files.length, 2);
  const resumedEvents = files.map(readEventFile).find((ev) => ev[1]?.sessionLog)!;
  assert.deepEqual([resumedEvents[1].step, resumedEvents[1].sessionLog], [resumedFrom + 1, { status: 1 }]);
});

test('SIGTERM finishes the step, checkpoints it, exits 143 with a clear message; resuming matches the reference', async () => {
  const a = runA();
  const dir = path.join(root, 'term');
  const c = startChild({ ...base, run: dir, delayAfter: 5, delayMs: 150 });
  await waitFor(path.join(dir, 'checkpoints', 'step-000005'));
  c.p.kill('SIGTERM');
  const r = await c.exited;
  assert.equal(r.code, 143, r.stderr);
  const m = /SIGTERM received: stopped after step (\d+); checkpoint saved to (\S+)\. Continue with --resume\./.exec(r.stderr);
  assert.ok(m, r.stderr);
  const step = Number(m[1]);
  assert.ok(step > 5 && step < 20);
  const latest = latestCheckpoint(path.join(dir, 'checkpoints'))!;
  assert.equal(path.basename(latest), `step-${String(step).padStart(6, '0')}`);
  assert.equal(JSON.parse(fs.readFileSync(path.join(latest, 'trainer.json'), 'utf8')).step, step);
  assert.equal(Math.max(...RunDir.open(dir).readMetrics().map((x) => x.step)), step);

  const resumed = runChild({ ...base, run: dir, resume: true });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`resuming at step ${step + 1} of 20`));
  assert.deepEqual(metricsOf(dir), metricsOf(a));
  assert.deepEqual(weightsOf(dir, 20), weightsOf(a, 20));
});

test('a second signal exits at once, without a checkpoint', async () => {
  const dir = path.join(root, 'twice');
  const c = startChild({ ...base, run: dir, delayAfter: 5, delayMs: 5000 });
  await waitFor(path.join(dir, 'checkpoints', 'latest'));
  await sleep(100);
  c.p.kill('SIGINT');
  await sleep(100);
  c.p.kill('SIGINT');
  const r = await c.exited;
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /SIGINT received again: exiting now without a checkpoint/);
  assert.deepEqual(listCheckpoints(path.join(dir, 'checkpoints')), [5]);
});

test('a NaN loss stops the run naming the step and scalar; the last good checkpoint stays, none of the bad step', async () => {
  const dir = path.join(root, 'nan');
  const task = makeTask(3, { nanAt: 7 });
  await assert.rejects(train({
    run: RunDir.create(dir, {}), steps: 20, seed: 3, checkpointEvery: 5, logEvery: 1, progress: false, handleSignals: false,
    modules: { model: task.model }, optimizers: { sgd: task.optimizer }, schedulers: { step: task.scheduler }, data: task.data, step: task.step,
  }), (e: Error) => /^Training diverged at step 7: loss is NaN\. No checkpoint was written for it; the last good one is \S*step-000005\b/.test(e.message));
  assert.deepEqual(listCheckpoints(path.join(dir, 'checkpoints')), [5]);
  assert.equal(path.basename(latestCheckpoint(path.join(dir, 'checkpoints'))!), 'step-000005');
  assert.deepEqual(RunDir.open(dir).readMetrics().map((x) => x.step), [1, 2, 3, 4, 5, 6]);
  assert.match(fs.readFileSync(path.join(dir, 'report.html'), 'utf8'), /<h2>Curves<\/h2>/, 'a report of the steps before it');
});
