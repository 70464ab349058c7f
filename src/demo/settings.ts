// The demo's sizes and the configs of its stages. Sized for a laptop CPU: 64x128 street images, ResNet-18 at
// output stride 16 with the lite head, a few hundred steps. The same settings make the README's seg evidence
// (bench/seg_evidence.ts), so the demo shows what the table measures, once.
import { applySettings, validateConfig } from '../cli/config.js';
import { renderConfigSchema, type RenderConfig } from '../methods/render/config.js';
import { segConfigSchema, type SegConfig } from '../methods/seg/config.js';

export interface DemoSettings {
  /** [height, width] of the benchmark's images. */
  size: [number, number];
  /** Images per domain in the train and val splits. */
  train: number;
  val: number;
  /** Renderer tuning: image size, step budget (it may stop earlier, at chance), evaluation interval. */
  tuneSize: [number, number];
  tuneSteps: number;
  tuneEvalEvery: number;
  /** Segmentation training steps per run, evaluation interval. */
  segSteps: number;
  segEvalEvery: number;
}

export const DEMO_SETTINGS: Record<'full' | 'quick', DemoSettings> = {
  full: { size: [64, 128], train: 300, val: 60, tuneSize: [32, 64], tuneSteps: 300, tuneEvalEvery: 50, segSteps: 400, segEvalEvery: 100 },
  quick: { size: [64, 128], train: 64, val: 16, tuneSize: [32, 64], tuneSteps: 40, tuneEvalEvery: 20, segSteps: 60, segEvalEvery: 30 },
};

/** The training runs compared, as `--set` overrides of the seg config (one code path for all of them). */
export const SEG_ARMS = {
  'source-only': ['adaptation=false'],
  adapted: [],
  'target oracle': ['adaptation=false', 'sourceLabels=false', 'targetLabels=true'],
  'adapted, no confidence': ['confidence.mode=none'],
  'adapted, no style transfer': ['style.kind=none'],
  'adapted, fixed λ': ['consistency.rampupSteps=0'],
} as const satisfies Record<string, readonly string[]>;

export type SegArm = keyof typeof SEG_ARMS;

/** A training run of the comparison: an arm, trained on the source rendered with the initial or the tuned θ. */
export interface SourcedArm { name: string; seg: SegArm; source: 'initial' | 'tuned' }

/** A folder name from a run's name: 'adapted, tuned θ' -> 'adapted-tuned'. */
export const slug = (name: string): string => name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();

/** The demo's runs: what render tuning buys (first two), then what adaptation adds on top (last two). */
export const DEMO_RUNS: SourcedArm[] = [
  { name: 'source-only, initial θ', seg: 'source-only', source: 'initial' },
  { name: 'source-only, tuned θ', seg: 'source-only', source: 'tuned' },
  { name: 'adapted, tuned θ', seg: 'adapted', source: 'tuned' },
];

/** The renderer tuning toward the target's training images. */
export function demoRenderConfig(s: DemoSettings, realFolder: string, seed: number): RenderConfig {
  return validateConfig(renderConfigSchema, {
    size: s.tuneSize, steps: s.tuneSteps, real: { folder: realFolder }, eval: { every: s.tuneEvalEvery }, seed,
    // The stop rule's window must fit in the budget.
    stop: { window: Math.min(100, s.tuneSteps), minSteps: Math.min(200, s.tuneSteps) },
  }, 'demo render config');
}

/**
 * One segmentation run: `source` and `target` are dataset roots in the Cityscapes layout (`data synth`), evaluated
 * on the target's val split. AdamW at 1e-3 rather than the published SGD at 2.5e-4: the demo starts from random
 * weights and has a few hundred steps, not 20,000 from ImageNet weights.
 */
export function demoSegConfig(s: DemoSettings, o: { source: string; target: string; arm: SegArm; seed: number }): SegConfig {
  const base = {
    model: { backbone: 'resnet18', head: 'lite', outputStride: 16 },
    data: {
      source: { kind: 'synth', root: o.source, split: 'train' },
      target: { kind: 'synth', root: o.target, split: 'train' },
      val: { kind: 'synth', root: o.target, split: 'val' },
      crop: s.size, scale: [1, 1], batchSize: 4, workers: 1,
    },
    optimizer: { kind: 'adamw', lr: 1e-3, weightDecay: 1e-4, headLrMultiplier: 1 },
    steps: s.segSteps,
    eval: { every: s.segEvalEvery },
    checkpoint: { every: s.segSteps },
    seed: o.seed,
  };
  return validateConfig(segConfigSchema, applySettings(base, SEG_ARMS[o.arm]), `demo seg config (${o.arm})`);
}
