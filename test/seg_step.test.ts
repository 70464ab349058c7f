// One training step of the seg method on a tiny network: the teacher follows the mean-teacher EMA exactly
// (warm start), BatchNorm statistics are handled as documented in step.ts, the scalars follow the closed-form
// schedules, and source-only / adapted / oracle runs switch the right terms on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import { segConfigSchema } from '../src/methods/seg/config.js';
import { consistencyWeight, rampup } from '../src/methods/seg/losses.js';
import { createTraining, trainStep, type SegStepBatch, type SegTraining } from '../src/methods/seg/step.js';

const tiny = (o: Record<string, unknown> = {}) => segConfigSchema.parse({
  model: { backbone: 'resnet18', head: 'lite', outputStride: 16, numClasses: 3 }, steps: 10, confidence: { passes: 2 }, ...o,
});

function batch(): SegStepBatch {
  const label = () => torch.where(torch.rand([2, 32, 48]).lt(0.1), 255, torch.randint(0, 3, [2, 32, 48]));
  return { source: { image: torch.rand([2, 3, 32, 48]), label: label() }, target: { image: torch.rand([2, 3, 32, 48]), label: label() } };
}

const snapshot = (named: [string, torch.Tensor][]) => new Map(named.map(([k, t]) => [k, torch.keepTensor(t.detach().double().clone())]));
const counter = (tr: SegTraining, net: 'student' | 'teacher') => tr[net].stateDict()['backbone.bn1.num_batches_tracked'].item();

test('adapted step: teacher = d teacher + (1 - d) student with d = min(1 - 1/(t+1), 0.99); BatchNorm per network', () => torch.scope(() => {
  const tr = createTraining(tiny());
  const before = snapshot(tr.student.namedParameters());
  const s0 = trainStep(tr, batch(), 0);
  // Step 0: d = 0, so the teacher is the updated student.
  assert.equal(s0.emaDecay, 0);
  const student0 = new Map(tr.student.namedParameters());
  let moved = 0;
  for (const [k, t] of tr.teacher.namedParameters()) {
    assert.ok(torch.equal(t, student0.get(k)!), `${k}: teacher equals the student after step 0`);
    if (!torch.allclose(t.double(), before.get(k)!)) moved += 1;
  }
  assert.ok(moved > 50, `the step moved ${moved} parameters`);

  const teacherOld = snapshot(tr.teacher.namedParameters());
  const s1 = trainStep(tr, batch(), 1);
  assert.equal(s1.emaDecay, 0.5);
  const student1 = new Map(tr.student.namedParameters());
  for (const [k, t] of tr.teacher.namedParameters()) {
    const want = teacherOld.get(k)!.mul(0.5).add(student1.get(k)!.double().mul(0.5));
    assert.ok(torch.allclose(t.double(), want, 1e-6, 1e-7), `${k}: EMA`);
  }
  // Train-mode BatchNorm in both networks: the student ran twice a step (source, target), the teacher once
  // (its K passes batched), so each keeps its own running statistics; the EMA does not copy them.
  assert.equal(counter(tr, 'student'), 4);
  assert.equal(counter(tr, 'teacher'), 2);
  const sd = tr.student.stateDict();
  assert.ok(!torch.allclose(tr.teacher.stateDict()['head.project.1.running_mean'], sd['head.project.1.running_mean']));

  // Scalars: schedules at t = 1 of 10 steps, total = seg + lambda cons, poly learning rate.
  assert.equal(s1.lambda, consistencyWeight(1, 10, 10));
  assert.ok(Math.abs(s1.threshold - (0.75 + 0.25 * rampup(1, 10)) * Math.log(3)) < 1e-12);
  assert.ok(Math.abs(s1.loss - (s1.segSource + s1.lambda * s1.consistency)) < 1e-5);
  assert.ok(s1.confident >= 0 && s1.confident <= 1);
  assert.ok(Number.isNaN(s1.segTarget));
  assert.equal(s0.lr, 2.5e-4);
  assert.ok(Math.abs(s1.lr - 2.5e-4 * 0.9 ** 0.9) < 1e-15);
  assert.ok(Math.abs(tr.optimizer.paramGroups[1].lr - 10 * tr.optimizer.paramGroups[0].lr) < 1e-15, 'head at 10x');
}));

test('source-only: no consistency, the teacher never runs and takes the student\'s BatchNorm statistics', () => torch.scope(() => {
  const tr = createTraining(tiny({ adaptation: false }));
  const s = trainStep(tr, batch(), 0);
  assert.ok(Number.isNaN(s.consistency) && Number.isNaN(s.lambda) && Number.isNaN(s.segTarget));
  assert.equal(s.loss, s.segSource);
  const student = tr.student.stateDict();
  for (const [k, b] of tr.teacher.namedBuffers()) assert.ok(torch.equal(b, student[k]), `${k} copied`);
  assert.equal(counter(tr, 'student'), 1);
}));

test('target oracle: the target labels give the only loss; missing labels are an error', () => torch.scope(() => {
  const tr = createTraining(tiny({ adaptation: false, sourceLabels: false, targetLabels: true }));
  const b = batch();
  const s = trainStep(tr, b, 0);
  assert.ok(Number.isNaN(s.segSource));
  assert.equal(s.loss, s.segTarget);
  assert.throws(() => trainStep(tr, { source: b.source, target: { image: b.target.image } }, 1),
    /the target batch has no labels, but targetLabels is on/);
}));
