// What a training method offers the command line: its config schema (defaults for every field) and three jobs.
import type { z } from 'zod';

export interface TrainOptions {
  /** The run folder (created if new). */
  runDir: string;
  /** Continue from the run's latest checkpoint. */
  resume: boolean;
}

export interface EvalOptions {
  checkpoint: string;
  /** Dataset root to evaluate on; the config's validation data when absent. */
  data?: string;
}

export interface PredictOptions {
  checkpoint: string;
  inputs: string[];
  out: string;
}

export interface Method<S extends z.ZodTypeAny = z.ZodTypeAny> {
  id: string;
  summary: string;
  config: S;
  /** Command lines shown under `shiftkit <id> --help`. */
  examples: string[];
  train(config: z.infer<S>, opts: TrainOptions): Promise<void>;
  evaluate(config: z.infer<S>, opts: EvalOptions): Promise<Record<string, number>>;
  predict(config: z.infer<S>, opts: PredictOptions): Promise<void>;
}
