// The data PRNG against its reference implementations, and the statistics of its helpers.
import assert from 'node:assert/strict';
import test from 'node:test';
import { murmur3, Rng } from '../src/data/random.js';
import { BatchSampler, sampleRng } from '../src/data/sampler.js';

test('xoshiro128** matches the reference C code from state {1, 2, 3, 4}', () => {
  // Output of prng.di.unimi.it/xoshiro128starstar.c compiled with gcc, s = {1, 2, 3, 4}.
  const rng = new Rng([1, 2, 3, 4]);
  const want = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849];
  assert.deepEqual(want.map(() => rng.uint32()), want);
});

test('MurmurHash3 x86_32 matches its published test vectors', () => {
  assert.equal(murmur3([], 0), 0);
  assert.equal(murmur3([], 1), 0x514e28b7);
  assert.equal(murmur3([0], 0), 0x2362f9de);
  assert.equal(murmur3([0x74736574], 0), 0xba6bd213); // "test" as a little-endian word
  assert.equal(murmur3([0x74736574], 0x9747b28c), 0x704b81dc);
});

test('streams are functions of their keys; nearby keys give unrelated streams', () => {
  const draw = (r: Rng) => Array.from({ length: 4 }, () => r.uint32());
  assert.deepEqual(draw(Rng.from(5, 2, 1)), draw(Rng.from(5, 2, 1)));
  assert.notDeepEqual(draw(Rng.from(5, 2, 1)), draw(Rng.from(5, 1, 2)));
  assert.notDeepEqual(draw(Rng.from(2 ** 40)), draw(Rng.from(0))); // high words count
  assert.notDeepEqual(draw(sampleRng(0, 0, 1)), draw(sampleRng(0, 1, 0)));
  assert.throws(() => Rng.from(-1), /non-negative safe integer/);
  assert.throws(() => Rng.from(0.5), /non-negative safe integer/);
});

test('uniform, int, normal and bool have the right ranges and moments', () => {
  const rng = Rng.from(42);
  const n = 60000;
  let [sum, sumSq, nsum, nsq, trues] = [0, 0, 0, 0, 0];
  const counts = new Array(6).fill(0);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform(-1, 3);
    assert.ok(u >= -1 && u < 3);
    sum += u;
    sumSq += u * u;
    const k = rng.int(2, 8);
    assert.ok(Number.isInteger(k) && k >= 2 && k < 8);
    counts[k - 2]++;
    const z = rng.normal(1, 2);
    nsum += z;
    nsq += z * z;
    trues += rng.bool(0.25) ? 1 : 0;
  }
  // Uniform(-1, 3): mean 1, variance 16/12; Normal(1, 2): mean 1, variance 4. Tolerances ~5 standard errors.
  assert.ok(Math.abs(sum / n - 1) < 0.03);
  assert.ok(Math.abs(sumSq / n - 1 - 16 / 12) < 0.05);
  assert.ok(Math.abs(nsum / n - 1) < 0.05);
  assert.ok(Math.abs(nsq / n - 1 - 4) < 0.15);
  assert.ok(Math.abs(trues / n - 0.25) < 0.01);
  for (const c of counts) assert.ok(Math.abs(c / n - 1 / 6) < 0.01, `int counts ${counts}`);
  assert.throws(() => rng.int(3, 3), /lo < hi/);
});

test('permutation: every index once, and every position reachable', () => {
  const firsts = new Set<number>();
  for (let seed = 0; seed < 200; seed++) {
    const p = Rng.from(seed).permutation(10);
    assert.deepEqual([...p].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    firsts.add(p[0]);
  }
  assert.equal(firsts.size, 10);
});

test('BatchSampler: batches cover a permutation per epoch; dropLast drops the short batch', () => {
  const s = new BatchSampler({ size: 10, batchSize: 3, shuffle: true, seed: 1, dropLast: false });
  assert.equal(s.length, 4);
  const epoch0 = [0, 1, 2, 3].flatMap((b) => s.indices(0, b));
  assert.deepEqual([...epoch0].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(s.indices(0, 3).length, 1);
  const epoch1 = [0, 1, 2, 3].flatMap((b) => s.indices(1, b));
  assert.notDeepEqual(epoch1, epoch0);
  assert.deepEqual(new BatchSampler({ ...s.o, dropLast: true }).length, 3);
  assert.deepEqual(new BatchSampler({ ...s.o, shuffle: false }).indices(0, 1), [3, 4, 5]);
  assert.throws(() => s.indices(0, 4), /out of range/);
});
