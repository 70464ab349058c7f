// Training progress on stderr: a live cli-progress bar on a terminal, plain lines every few steps otherwise
// (log files, CI), both with the step, the loss, steps (and items) per second and the time left.
import cliProgress from 'cli-progress';

export interface Progress {
  /** Training runs steps first..total (first > 1 after a resume). */
  start(first: number, total: number): void;
  /** After each step, with its scalars. */
  update(step: number, scalars: Record<string, number>): void;
  /** A line of text (evaluation results, checkpoints) that does not break the bar. */
  message(text: string): void;
  stop(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Items per step (the batch size), to show items/s. */
  itemsPerStep?: number;
  /** Plain mode prints a line every this many steps (and at the first and last). */
  every?: number;
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  return (hms[0] > 0 ? hms : hms.slice(1)).map((x, i) => (i === 0 ? String(x) : String(x).padStart(2, '0'))).join(':');
}

// Speed over the steps since start(); resumed runs count from their first step.
class Clock {
  private t0 = 0;
  private first = 1;
  constructor(private readonly itemsPerStep: number | undefined) {}
  start(first: number): void { this.first = first; this.t0 = performance.now(); }
  speed(step: number, total: number): { rate: string; eta: string } {
    const perSec = (step - this.first + 1) / Math.max(1e-9, (performance.now() - this.t0) / 1000);
    const items = this.itemsPerStep ? `, ${fmt(perSec * this.itemsPerStep)} items/s` : '';
    return { rate: `${fmt(perSec)} it/s${items}`, eta: formatDuration((total - step) / perSec) };
  }
}

class BarProgress implements Progress {
  private readonly multi: cliProgress.MultiBar;
  private bar: cliProgress.SingleBar | null = null;
  private readonly clock: Clock;
  constructor(o: ProgressOptions) {
    this.clock = new Clock(o.itemsPerStep);
    this.multi = new cliProgress.MultiBar({
      stream: o.stream ?? process.stderr, hideCursor: true, clearOnComplete: false, barsize: 24,
      format: ' {bar} {value}/{total} | loss {loss} | {rate} | ETA {eta}',
    }, cliProgress.Presets.shades_classic);
  }
  start(first: number, total: number): void {
    this.clock.start(first);
    this.bar = this.multi.create(total, first - 1, { loss: '-', rate: '-', eta: '?' });
  }
  update(step: number, scalars: Record<string, number>): void {
    this.bar?.update(step, { loss: fmt(scalars.loss), ...this.clock.speed(step, this.bar.getTotal()) });
  }
  message(text: string): void { this.multi.log(`${text}\n`); }
  stop(): void { this.multi.stop(); }
}

class LineProgress implements Progress {
  private total = 0;
  private readonly clock: Clock;
  private readonly stream: NodeJS.WritableStream;
  private readonly every: number;
  constructor(o: ProgressOptions) {
    this.clock = new Clock(o.itemsPerStep);
    this.stream = o.stream ?? process.stderr;
    this.every = o.every ?? 10;
  }
  start(first: number, total: number): void {
    this.total = total;
    this.clock.start(first);
    this.message(first > 1 ? `resuming at step ${first} of ${total}` : `training for ${total} steps`);
  }
  update(step: number, scalars: Record<string, number>): void {
    if (step % this.every !== 0 && step !== this.total) return;
    const { rate, eta } = this.clock.speed(step, this.total);
    const values = Object.entries(scalars).map(([k, v]) => `${k} ${fmt(v)}`).join(' ');
    this.message(`step ${step}/${this.total} | ${values} | ${rate} | ETA ${eta}`);
  }
  message(text: string): void { this.stream.write(`${text}\n`); }
  stop(): void { /* nothing to clear */ }
}

/** A bar when the stream is a terminal, plain lines otherwise. */
export function createProgress(o: ProgressOptions = {}): Progress {
  return (o.stream ?? process.stderr).isTTY ? new BarProgress(o) : new LineProgress(o);
}
