// θ during tuning: the initial parameters (claim 4), which entries are tuned, their optimizer, and their state for
// checkpoints.
import * as torch from '../../torch/index.js';
import { optim, type Tensor } from '../../torch/index.js';
import { RenderParams } from '../../render/params.js';
import type { Stateful } from '../../run/index.js';
import type { RenderConfig, SceneKind } from './config.js';

/** The empirical initial θ: a render-params file, or the scene's built-in defaults when `file` is ''. */
export async function initialTheta(kind: SceneKind, file: string): Promise<RenderParams> {
  const defaults = RenderParams.defaults(kind);
  if (file === '') return defaults;
  const params = await RenderParams.load(file);
  const want = defaults.setup.materials, got = params.setup.materials;
  defaults.dispose();
  if (want.length !== got.length || want.some((m, i) => m !== got[i])) {
    params.dispose();
    throw new Error(`render params ${file}: materials [${got.join(', ')}] do not match the ${kind} scene's [${want.join(', ')}]`);
  }
  return params;
}

const globToRegExp = (pattern: string): RegExp =>
  new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/** The entries matching any pattern ('*' matches anything), in θ's order; a pattern matching nothing is an error. */
export function tunedNames(params: RenderParams, patterns: string[]): string[] {
  const names = params.names();
  const res = patterns.map((p) => {
    const re = globToRegExp(p);
    if (!names.some((n) => re.test(n))) throw new Error(`theta.tune: pattern '${p}' matches no parameter (known: ${names.join(', ')})`);
    return re;
  });
  return names.filter((n) => res.some((re) => re.test(n)));
}

/** The leaves of the named entries; every other leaf stops requiring grad, so the renderer skips its gradient. */
export function tunedLeaves(params: RenderParams, names: string[]): Tensor[] {
  const all = params.names();
  const leaves = params.parameters();
  leaves.forEach((t, i) => t.requiresGrad_(names.includes(all[i])));
  return leaves.filter((_, i) => names.includes(all[i]));
}

/**
 * A light's (and the ambient's) colour and intensity act only through their product, the irradiance, so tuning may
 * start from any split of it. The built-in colours sit near their upper bound 1 (the intensity carries the
 * brightness), where the sigmoid reparameterisation flattens and plain gradient steps on the colour all but stop;
 * where both are tuned, the colour is scaled so that its largest channel is mid-range and the intensity by the
 * inverse: the same irradiance and images, with well-scaled steps (skipped where the intensity would leave its range).
 */
export function centreColours(params: RenderParams, tuned: string[]): void {
  for (const l of ['ambient', ...params.setup.lights.map((_, i) => `light${i}`)]) {
    const [c, i] = [`${l}.color`, `${l}.intensity`];
    if (!tuned.includes(c) || !tuned.includes(i)) continue;
    const color = params.get(c) as number[], intensity = params.get(i) as number;
    const k = (params.spec(c).min + params.spec(c).max) / 2 / Math.max(...color);
    if (!Number.isFinite(k) || intensity / k >= params.spec(i).max) continue;
    params.set(c, color.map((v) => v * k));
    params.set(i, intensity / k);
  }
}

/** Claim 4's plain gradient descent θ <- θ - lr * gradient (SGD without momentum), or Adam. */
export function thetaOptimizer(leaves: Tensor[], c: RenderConfig['theta']): optim.Optimizer<optim.BaseOptions> {
  return c.optimizer === 'sgd' ? new optim.SGD(leaves, { lr: c.lr }) : new optim.Adam(leaves, { lr: c.lr });
}

/** Every leaf of θ (tuned or not) by entry name, for checkpoints. */
export function thetaState(params: RenderParams): Stateful<Record<string, Tensor>> {
  const names = params.names();
  return {
    stateDict: () => Object.fromEntries(params.parameters().map((t, i) => [names[i], t.detach()])),
    loadStateDict: (state) => torch.noGrad(() => params.parameters().forEach((t, i) => {
      const saved = state[names[i]];
      if (!saved) throw new Error(`checkpoint: θ entry '${names[i]}' missing`);
      t.copy_(saved);
    })),
  };
}

/** θ's entries in natural units, by name. */
export function thetaValues(params: RenderParams): Record<string, number | number[]> {
  return Object.fromEntries(params.names().map((n) => [n, params.get(n)]));
}
