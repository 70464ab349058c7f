// No call from JavaScript may take the process down: thousands of seeded random calls across the public API,
// raw ATen operators and the addon, with wrong shapes, dtypes, devices, sizes and argument types, disposed
// and forged tensors. They run in a child process (test/fuzz_child.ts) so that a segfault or abort is seen
// as the child's exit signal; the child runs under a 4 GiB address-space cap so that the huge sizes it tries
// fail inside libtorch instead of exhausting the machine.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import * as torch from '../src/torch/index.js';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fuzz_child.js');
const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const CALLS = 5000;

interface Report { calls: number; ok: number; errors: number; nonErrors: number; nonErrorSamples: string[]; ms: number }

test(`fuzz: ${CALLS} random calls (seed ${SEED}) never crash and fail only with Errors`, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'shiftkit-fuzz-'));
  const lastCall = path.join(dir, 'last-call.txt');
  try {
    // `ulimit -v` needs a shell; exec hands the shell's pid to node, so a crash is the child's own signal.
    const run = spawnSync('/bin/sh', ['-c', 'ulimit -v 4194304 && exec "$0" "$@"', process.execPath, child, String(SEED),
      String(CALLS), lastCall], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    const culprit = (() => { try { return readFileSync(lastCall, 'utf8'); } catch { return '(none)'; } })();
    assert.equal(run.error, undefined, `child did not finish: ${run.error?.message}; last call: ${culprit}`);
    assert.ok(run.signal === null && run.status === 0,
      `child died (status ${run.status}, signal ${run.signal}); last call: ${culprit}\n${run.stderr.slice(-2000)}`);
    const report = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as Report;
    assert.equal(report.calls, CALLS);
    assert.equal(report.nonErrors, 0, `non-Error throws: ${report.nonErrorSamples.join('\n')}`);
    assert.equal(report.ok + report.errors, CALLS);
    // Most calls are meant to be wrong, but enough must succeed that kernels (not only checks) ran.
    assert.ok(report.errors >= 0.3 * CALLS, `only ${report.errors} calls failed`);
    assert.ok(report.ok >= 0.1 * CALLS, `only ${report.ok} calls succeeded`);
    console.log(`fuzz: ${report.ok} succeeded, ${report.errors} failed with an Error, in ${report.ms} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Calls the fuzzer found killing the process (segfault, SIGFPE, heap corruption, a hang), now Errors.
// A regression kills this test file's process, which the runner reports as a failure.
test('calls that used to crash the process now throw Errors', () => {
  const int64 = (v: number[]) => torch.tensor(v, { dtype: 'int64' });
  const crashers: [string, () => unknown][] = [
    ['embedding_bag with empty 2-D offsets', () => torch.aten('aten::embedding_bag')(torch.randn([5, 3]), int64([0, 1]), torch.zeros([3, 0], { dtype: 'int64' }))],
    ['reflection_pad2d with an empty padding list', () => torch.aten('aten::reflection_pad2d')(torch.zeros([1, 1, 4, 4]), [])],
    ['pixel_shuffle by 2^32', () => torch.F.pixelShuffle(torch.zeros([1, 4, 2, 2]), 2 ** 32)],
    ['zeros in the mkldnn layout', () => torch.aten('aten::zeros')([3, 4], torch.dtypeCode('uint8'), 3)],
    ['zeros with an unknown dtype code', () => torch.aten('aten::zeros')([2], 999)],
    ['setNumThreads(2^24)', () => torch.setNumThreads(2 ** 24)],
  ];
  for (const [name, call] of crashers) assert.throws(call, Error, name);
});
