// `node dist/bench/render_recovery.js [--size 32x64] [--real-size 128x256] [--steps 600] [--seeds 0,1,2]
//   [--reductions mean,sum] [--effects target|none] [--direction default|hidden] [--nuisance camera.blur,camera.noise]
//   [--optimizer sgd|adam] [--lr 0.5] [--classifier patchgan|cnn] [--classifier-lr 2e-3] [--mn 8x8] [--out dir]`:
// the render method's parameter-recovery experiment (README evidence). "Real" images are the synth benchmark's
// target domain: street scenes rendered at the benchmark's size with the hidden θ* (methods/render/synth.ts), then
// lens-distorted, defocused and JPEG-compressed, which the renderer cannot reproduce; tuning reads them resized to
// its own size. Tuning starts from the built-in θ and tunes the entries θ* changes (light colour and intensity,
// ambient colour and intensity, five albedos, fog density) plus nuisances (camera blur and noise); the tuner first
// moves the light colours mid-range at the same irradiance (methods/render/theta.ts, centreColours): the same images
// and quotient errors, but a higher raw error than the built-in θ's (reported as the initial one).
// The image formation has gauge symmetries (methods/render/gauge.ts): a light's colour and intensity act only
// through their product, the irradiance E = colour × intensity; and a per-channel gain g moved from every albedo
// into every irradiance (albedo × g, E / g) leaves every diffuse pixel unchanged. No method can recover the raw
// entries, only their quotient, so recovery is scored on it. The run starts by checking the claim on renders of
// held-out scenes: θ* against θ* with g = (1.15, 1, 0.85) (every albedo; with specular off; only the tuned albedos,
// where the untuned materials pin the gauge a little).
// Scores, initial vs tuned (best-MMD θ and final θ):
//   raw error: mean over the tuned entries' elements of |θ - θ*| / (max - min) (colour, intensity, albedo, fog);
//   irradiance error: the same over the identifiable quantities, irradiances E (range colour max × intensity
//     max), albedos and fog density, no gauge removed;
//   aligned error (the score; the issue asks for a 60% cut): the irradiance error after the gain g that minimises
//     it (g applied to θ's albedos and irradiances for scoring only; tuning never sees θ*);
//   render RMSE: renders of 32 held-out scenes with θ vs θ* (no effects, nuisances at θ*'s values);
//   MMD: the tuner's real-vs-rendered distance (methods/render/evaluate.ts).
// The sum reduction uses lr / (m + n), which makes its θ steps the mean's (the losses differ by that factor; the
// classifier's Adam steps do not depend on the loss's scale), so the two reductions' runs nearly coincide.
// Defaults: a PatchGAN classifier with Adam at lr 2e-3 (the method's default 2e-4 left the classifier too weak to
// tell materials apart: aligned error cut 28% at seed 0, 300 steps, vs 61% at 3e-3; at 3e-3 and 600 steps seed 2
// diverged, a classifier loss spike throwing θ to its bounds), 600 steps.
// Prints one line per run and writes <out>/results.json.
import fs from 'node:fs';
import path from 'node:path';
import { jpegRoundTrip } from '../src/data/synth/effects.js';
import * as torch from '../src/torch/index.js';
import { RenderParams } from '../src/render/params.js';
import type { Scene } from '../src/render/primitives.js';
import { deriveSeed } from '../src/render/random.js';
import { render } from '../src/render/render.js';
import { streetScene } from '../src/render/scenes/street.js';
import { renderConfigSchema } from '../src/methods/render/config.js';
import { aligningGain, applyGain, identifiable, identifiableError, withGain, type Gain } from '../src/methods/render/gauge.js';
import { generate } from '../src/methods/render/generate.js';
import { applyTargetEffects, HIDDEN_THETA, hiddenTheta, TARGET_EFFECTS } from '../src/methods/render/synth.js';
import { tune } from '../src/methods/render/tune.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const [H, W] = arg('size', '32x64').split('x').map(Number) as [number, number];
/** The "real" images are made at the benchmark's size, as a camera would, and resized to the tuning size on reading. */
const [RH, RW] = arg('real-size', '128x256').split('x').map(Number) as [number, number];
const STEPS = Number(arg('steps', '600'));
const SEEDS = arg('seeds', '0,1,2').split(',').map(Number);
const REDUCTIONS = arg('reductions', 'mean,sum').split(',') as ('mean' | 'sum')[];
const OUT = arg('out', 'bench/out/render_recovery');
const LR = Number(arg('lr', '0.5'));
const OPTIMIZER = arg('optimizer', 'sgd') as 'sgd' | 'adam';
const CLASSIFIER = arg('classifier', 'patchgan') as 'cnn' | 'patchgan';
const CLASSIFIER_LR = Number(arg('classifier-lr', '2e-3'));
const [M, N] = arg('mn', '8x8').split('x').map(Number) as [number, number];

const DIRECTION = ['light0.azimuth', 'light0.elevation'];
const IDENTIFIABLE = Object.keys(HIDDEN_THETA).filter((k) => !DIRECTION.includes(k));
/**
 * --direction default (the default): θ* keeps the built-in sun direction. Shadows carry most of what images say
 * about the direction, and they are hard (visibility is not differentiated), so gradients cannot find it; with
 * --direction hidden, θ* is the benchmark's, and the direction is tuned too (not scored).
 */
const HIDDEN_DIRECTION = arg('direction', 'default') === 'hidden';
/** --effects none: the "real" images are plain θ* renders (the ideal case, nothing unmodelled). */
const EFFECTS = arg('effects', 'target') === 'target';
/** Camera blur and noise are tuned as nuisances (not scored), so that the target's defocus is not mimicked with light. */
const NUISANCE = arg('nuisance', 'camera.blur,camera.noise').split(',').filter((s) => s !== '');
const TUNED = [...(HIDDEN_DIRECTION ? Object.keys(HIDDEN_THETA) : IDENTIFIABLE), ...NUISANCE];
/** Materials whose albedo θ* changes (and which are tuned and scored). */
const MATERIALS = IDENTIFIABLE.filter((k) => k.startsWith('material.')).map((k) => k.split('.')[1]);

const heldOut = (): Scene[] => Array.from({ length: 32 }, (_, i) => streetScene(deriveSeed(12345, `paired:${i}`), { width: W, height: H }));
const rmse = (scenes: Scene[], a: RenderParams, b: RenderParams): number =>
  torch.scope(() => torch.noGrad(() => render(scenes, a).rgb.sub(render(scenes, b).rgb).square().mean().sqrt().item()));

/**
 * Root-mean-square difference of renders of the same held-out scenes with θ and with θ* (nothing unmodelled; θ's
 * nuisance entries set to θ*'s): how far θ's identifiable entries are from θ*'s in what images can show.
 */
function pairedRmse(p: RenderParams, truth: RenderParams): number {
  // The nuisances stand in for effects θ* does not have: compare the identifiable entries alone.
  for (const name of NUISANCE) p.set(name, truth.get(name));
  return rmse(heldOut(), p, truth);
}

/** Mean over the identifiable entries' elements of |θ - θ*| / (max - min). */
function normalisedError(p: RenderParams, truth: RenderParams): number {
  let sum = 0, count = 0;
  for (const name of IDENTIFIABLE) {
    const s = p.spec(name);
    const a = [p.get(name)].flat(), b = [truth.get(name)].flat();
    a.forEach((v, i) => { sum += Math.abs(v - b[i]) / (s.max - s.min); count++; });
  }
  return sum / count;
}

interface Errors { raw: number; irradiance: number; aligned: number; gain: Gain }

function errors(p: RenderParams, truth: RenderParams): Errors {
  const x = identifiable(p, MATERIALS), ref = identifiable(truth, MATERIALS);
  const gain = aligningGain(x, ref, p);
  return { raw: normalisedError(p, truth), irradiance: identifiableError(x, ref, p), aligned: identifiableError(withGain(x, gain), ref, p), gain };
}

/** Render RMSE of θ* against θ* under a per-channel gain: every albedo; specular off in both; the tuned albedos only. */
function gaugeCheck(truth: RenderParams): { all: number; noSpecular: number; tunedOnly: number } {
  const g: Gain = [1.15, 1, 0.85];
  const scenes = heldOut();
  const variant = (...edits: ((p: RenderParams) => void)[]): RenderParams => {
    const p = RenderParams.fromJSON(truth.toJSON());
    for (const e of edits) e(p);
    return p;
  };
  const noSpecular = (p: RenderParams) => { for (const m of p.setup.materials) p.set(`material.${m}.specular`, 0); };
  return {
    all: rmse(scenes, truth, variant((p) => applyGain(p, g))),
    noSpecular: rmse(scenes, variant(noSpecular), variant(noSpecular, (p) => applyGain(p, g))),
    tunedOnly: rmse(scenes, truth, variant((p) => applyGain(p, g, MATERIALS))),
  };
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const real = path.join(OUT, `real-${RH}x${RW}-${HIDDEN_DIRECTION ? 'hidden' : 'default'}-direction${EFFECTS ? '' : '-no-effects'}`);
  const truth = hiddenTheta();
  if (!HIDDEN_DIRECTION) {
    const defaults = RenderParams.defaults('street');
    for (const k of DIRECTION) truth.set(k, defaults.get(k));
  }
  if (!fs.existsSync(path.join(real, 'leftImg8bit'))) {
    await generate({
      params: truth, scene: 'street', count: 256, out: real, size: [RH, RW], seed: 999, city: 'real',
      effects: EFFECTS ? (b) => applyTargetEffects(b, TARGET_EFFECTS) : undefined,
      pixels: EFFECTS ? (rgb) => jpegRoundTrip(rgb, TARGET_EFFECTS.jpegQuality) : undefined,
    });
  }
  const gauge = gaugeCheck(truth);
  const f = (x: number) => x.toFixed(4);
  console.log(`gauge check, render RMSE θ* vs θ* with g = (1.15, 1, 0.85): every albedo ${gauge.all.toExponential(2)}, `
    + `specular off ${gauge.noSpecular.toExponential(2)}, tuned albedos only ${gauge.tunedOnly.toExponential(2)}`);
  const initial = RenderParams.defaults('street');
  const e0 = errors(initial, truth);
  const r0 = pairedRmse(initial, truth);
  const rows: Record<string, unknown>[] = [];
  for (const reduction of REDUCTIONS) {
    for (const seed of SEEDS) {
      const runDir = path.join(OUT, `${reduction}-seed${seed}`);
      fs.rmSync(runDir, { recursive: true, force: true });
      const config = renderConfigSchema.parse({
        size: [H, W], m: M, n: N, seed, steps: STEPS, reduction, classifier: { kind: CLASSIFIER, lr: CLASSIFIER_LR },
        real: { folder: path.join(real, 'leftImg8bit', 'train') },
        theta: { tune: TUNED, lr: reduction === 'sum' && OPTIMIZER === 'sgd' ? LR / (M + N) : LR, optimizer: OPTIMIZER },
        eval: { every: Math.max(1, Math.floor(STEPS / 10)), images: 64 },
        stop: { minSteps: STEPS }, // the experiment runs the whole budget
      });
      const t0 = performance.now();
      const r = await tune(config, { runDir, resume: false, progress: false });
      const best = await RenderParams.load(path.join(runDir, 'theta_best.json'));
      const final = await RenderParams.load(path.join(runDir, 'theta_final.json'));
      const [eb, ef] = [errors(best, truth), errors(final, truth)];
      const cut = (e: number, e0_: number) => 1 - e / e0_;
      const row = {
        reduction, seed, steps: r.steps, minutes: (performance.now() - t0) / 60000,
        errorInitial: e0.raw, errorBest: eb.raw, errorFinal: ef.raw,
        irradianceErrorInitial: e0.irradiance, irradianceErrorBest: eb.irradiance, irradianceErrorFinal: ef.irradiance,
        alignedErrorInitial: e0.aligned, alignedErrorBest: eb.aligned, alignedErrorFinal: ef.aligned,
        gainInitial: e0.gain, gainBest: eb.gain, gainFinal: ef.gain,
        rmseInitial: r0, rmseBest: pairedRmse(best, truth), rmseFinal: pairedRmse(final, truth),
        mmdInitial: r.initial.mmd, mmdBest: r.best.mmd, bestStep: r.best.step, mmdFinal: r.final.mmd,
      };
      const cuts = {
        cutBest: cut(row.errorBest, e0.raw), cutFinal: cut(row.errorFinal, e0.raw),
        alignedCutBest: cut(eb.aligned, e0.aligned), alignedCutFinal: cut(ef.aligned, e0.aligned),
        rmseCutBest: cut(row.rmseBest, r0), rmseCutFinal: cut(row.rmseFinal, r0),
      };
      rows.push({ ...row, ...cuts });
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      console.log(`${reduction} seed ${seed}: raw error ${f(e0.raw)} -> best ${f(eb.raw)} / final ${f(ef.raw)} `
        + `(cut ${pct(cuts.cutBest)} / ${pct(cuts.cutFinal)}); irradiance error ${f(e0.irradiance)} -> ${f(eb.irradiance)} / ${f(ef.irradiance)}; `
        + `aligned error ${f(e0.aligned)} -> ${f(eb.aligned)} / ${f(ef.aligned)} (cut ${pct(cuts.alignedCutBest)} / ${pct(cuts.alignedCutFinal)}); `
        + `render RMSE ${f(r0)} -> ${f(row.rmseBest)} / ${f(row.rmseFinal)}; `
        + `MMD ${f(row.mmdInitial)} -> ${f(row.mmdBest)} @${row.bestStep} / ${f(row.mmdFinal)}; ${row.minutes.toFixed(1)} min`);
      best.dispose();
      final.dispose();
    }
  }
  fs.writeFileSync(path.join(OUT, 'results.json'), `${JSON.stringify({ size: [H, W], realSize: [RH, RW], effects: EFFECTS, hiddenDirection: HIDDEN_DIRECTION, optimizer: OPTIMIZER, classifier: CLASSIFIER, classifierLr: CLASSIFIER_LR, steps: STEPS, m: M, n: N, lr: LR, tuned: TUNED, identifiable: IDENTIFIABLE, gaugeCheck: gauge, rows }, null, 2)}\n`);
  console.log(JSON.stringify(rows));
}

await main();
