// Seeded randomness for data loading, identical in every thread: xoshiro128** 1.1 (Blackman & Vigna,
// https://prng.di.unimi.it/xoshiro128starstar.c) on 32-bit integer arithmetic, seeded from a MurmurHash3
// (x86_32, https://github.com/aappleby/smhasher/blob/master/src/MurmurHash3.cpp) of integer keys, so a stream
// is a pure function of e.g. (seed, epoch, sample index) and never of which worker draws from it.

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/** MurmurHash3 x86_32 of a sequence of 32-bit words. */
export function murmur3(words: readonly number[], seed: number): number {
  let h = seed >>> 0;
  for (const w of words) {
    let k = Math.imul(w, 0xcc9e2d51);
    k = Math.imul(rotl(k, 15), 0x1b873593);
    h = (Math.imul(rotl(h ^ k, 13), 5) + 0xe6546b64) | 0;
  }
  h ^= words.length * 4;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Non-negative safe integers as 32-bit words (low, high), so seeds above 2^32 stay distinct. */
function keyWords(keys: readonly number[]): number[] {
  const words: number[] = [];
  for (const k of keys) {
    if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`Rng key must be a non-negative safe integer, got ${k}`);
    words.push(k >>> 0, Math.floor(k / 2 ** 32) >>> 0);
  }
  return words;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** xoshiro128** with the raw 128-bit state (not all zero). */
  constructor(state: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = state.map((x) => x | 0);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) throw new RangeError('xoshiro128** state must not be all zero');
  }

  /** The stream for a tuple of keys: four independent 32-bit hashes of the keys make the 128-bit state. */
  static from(...keys: number[]): Rng {
    const words = keyWords(keys);
    const state = [0, 1, 2, 3].map((i) => murmur3(words, 0x9e3779b9 + i)) as [number, number, number, number];
    if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
    return new Rng(state);
  }

  /** Next 32-bit unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    return ((this.uint32() >>> 5) * 67108864 + (this.uint32() >>> 6)) / 9007199254740992;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.random();
  }

  /** Integer uniform in [lo, hi), unbiased (rejection of the incomplete top range). */
  int(lo: number, hi: number): number {
    const n = hi - lo;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || n <= 0 || n > 2 ** 32) {
      throw new RangeError(`Rng.int needs integers lo < hi within 2^32, got [${lo}, ${hi})`);
    }
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x = this.uint32();
    while (x >= limit) x = this.uint32();
    return lo + (x % n);
  }

  /** Normal deviate (Box-Muller on two uniforms; the second deviate is discarded to keep draws one-for-one). */
  normal(mean = 0, std = 1): number {
    const u = 1 - this.random(); // (0, 1]: log(0) is never taken
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }

  /** True with probability p. */
  bool(p: number): boolean {
    return this.random() < p;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
