// A run folder: everything one training run leaves behind.
//   config.yaml          the resolved configuration
//   metrics.jsonl        one JSON line per logged step: {step, time, split, ...scalars}
//   events.out.tfevents.*  the same scalars (and sample images) for TensorBoard
//   checkpoints/         step-000123/ folders and `latest` (checkpoint.ts)
//   samples/             step-000123/<name>.png
//   report.html          report.ts
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { writeFileAtomic } from '../util/atomic.js';
import { EventWriter } from './tensorboard.js';

export type Split = 'train' | 'eval';
/** A metrics.jsonl line. Scalars that were NaN or infinite read back as null (JSON has no such numbers). */
export interface MetricRecord { step: number; time: number; split: Split; [scalar: string]: number | string | null }
export interface SampleFile { step: number; name: string; file: string }

const reserved = new Set(['step', 'time', 'split']);
const sampleName = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const stepName = (step: number): string => `step-${String(step).padStart(6, '0')}`;
const stepFolder = /^step-(\d{6,})$/;
/** The step of a `step-000123` folder name, or null for any other name. */
export function parseStepName(name: string): number | null {
  const m = stepFolder.exec(name);
  return m ? Number(m[1]) : null;
}

export class RunDir {
  readonly dir: string;
  readonly configFile: string;
  readonly metricsFile: string;
  readonly checkpointsDir: string;
  readonly samplesDir: string;
  readonly reportFile: string;
  private events: EventWriter | null = null;
  private purgeStep: number | undefined;

  private constructor(dir: string) {
    this.dir = path.resolve(dir);
    this.configFile = path.join(this.dir, 'config.yaml');
    this.metricsFile = path.join(this.dir, 'metrics.jsonl');
    this.checkpointsDir = path.join(this.dir, 'checkpoints');
    this.samplesDir = path.join(this.dir, 'samples');
    this.reportFile = path.join(this.dir, 'report.html');
  }

  /** Makes a new run folder (it must not exist, or be empty) holding `config` as config.yaml. */
  static create(dir: string, config: unknown): RunDir {
    const run = new RunDir(dir);
    if (fs.existsSync(run.dir) && fs.readdirSync(run.dir).length > 0) {
      throw new Error(`Run folder ${run.dir} already exists and is not empty (resume it, or choose another folder)`);
    }
    fs.mkdirSync(run.checkpointsDir, { recursive: true });
    fs.mkdirSync(run.samplesDir, { recursive: true });
    writeFileAtomic(run.configFile, YAML.stringify(config));
    fs.writeFileSync(run.metricsFile, '');
    return run;
  }

  /** Opens an existing run folder (to resume it or report on it). */
  static open(dir: string): RunDir {
    const run = new RunDir(dir);
    if (!fs.existsSync(run.configFile)) throw new Error(`${run.dir} is not a run folder: it has no config.yaml`);
    fs.mkdirSync(run.checkpointsDir, { recursive: true });
    fs.mkdirSync(run.samplesDir, { recursive: true });
    return run;
  }

  readConfig(): unknown {
    try {
      return YAML.parse(fs.readFileSync(this.configFile, 'utf8'));
    } catch (e) {
      throw new Error(`${this.configFile}: ${(e as Error).message}`);
    }
  }

  private tensorboard(): EventWriter {
    this.events ??= new EventWriter(this.dir, { purgeStep: this.purgeStep });
    return this.events;
  }

  /** Appends one metrics.jsonl line and the same scalars to TensorBoard as `<split>/<name>`. */
  log(step: number, split: Split, scalars: Record<string, number>, time = Date.now() / 1000): void {
    if (!Number.isSafeInteger(step) || step < 0) throw new Error(`log: step must be a non-negative integer, got ${step}`);
    for (const [k, v] of Object.entries(scalars)) {
      if (reserved.has(k)) throw new Error(`log: a scalar may not be named '${k}' (metrics.jsonl uses it)`);
      if (typeof v !== 'number') throw new TypeError(`log: scalar '${k}' at step ${step} is a ${typeof v}, not a number`);
    }
    fs.appendFileSync(this.metricsFile, `${JSON.stringify({ step, time, split, ...scalars })}\n`);
    this.tensorboard().scalars(step, Object.fromEntries(Object.entries(scalars).map(([k, v]) => [`${split}/${k}`, v])), time);
  }

  /**
   * The metrics.jsonl records in order. A last line cut short (a process killed while writing it) is
   * skipped; any other malformed line is an Error naming the line.
   */
  readMetrics(): MetricRecord[] {
    if (!fs.existsSync(this.metricsFile)) return [];
    const text = fs.readFileSync(this.metricsFile, 'utf8');
    const lines = text.split('\n');
    const out: MetricRecord[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let r: MetricRecord;
      try {
        r = JSON.parse(line) as MetricRecord;
      } catch (e) {
        if (i === lines.length - 1) return;
        throw new Error(`${this.metricsFile}: line ${i + 1} is not JSON (${(e as Error).message})`);
      }
      if (typeof r !== 'object' || r === null || typeof r.step !== 'number' || (r.split !== 'train' && r.split !== 'eval')) {
        throw new Error(`${this.metricsFile}: line ${i + 1} lacks a numeric step or a split of 'train' or 'eval'`);
      }
      out.push(r);
    });
    return out;
  }

  /** Saves a PNG as samples/step-<step>/<name>.png and to TensorBoard as `samples/<name>`. */
  writeSample(step: number, name: string, png: Uint8Array): string {
    if (!sampleName.test(name)) throw new Error(`writeSample: sample name '${name}' must be letters, digits, '_', '-' or '.'`);
    const folder = path.join(this.samplesDir, stepName(step));
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `${name}.png`);
    this.tensorboard().image(step, `samples/${name}`, png);
    writeFileAtomic(file, png);
    return file;
  }

  /** Every saved sample image, by step then name. */
  listSamples(): SampleFile[] {
    const out: SampleFile[] = [];
    for (const d of fs.existsSync(this.samplesDir) ? fs.readdirSync(this.samplesDir) : []) {
      const step = parseStepName(d);
      if (step === null) continue;
      for (const f of fs.readdirSync(path.join(this.samplesDir, d)).sort()) {
        if (f.endsWith('.png') && !f.startsWith('.')) out.push({ step, name: f.slice(0, -4), file: path.join(this.samplesDir, d, f) });
      }
    }
    return out.sort((a, b) => a.step - b.step || a.name.localeCompare(b.name));
  }

  /**
   * Before resuming from `step`: forgets what a stopped run logged after it (metrics lines, sample folders),
   * and makes the next event file tell TensorBoard to drop that run's events from step + 1 on.
   */
  rewind(step: number): void {
    const kept = this.readMetrics().filter((r) => r.step <= step);
    writeFileAtomic(this.metricsFile, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
    for (const s of this.listSamples()) if (s.step > step) fs.rmSync(path.dirname(s.file), { recursive: true, force: true });
    this.events?.close();
    this.events = null;
    this.purgeStep = step + 1;
  }

  /** Flushes and closes the event file (a later log opens a new one). */
  close(): void {
    this.events?.close();
    this.events = null;
  }
}
