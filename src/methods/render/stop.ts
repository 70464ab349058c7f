// When tuning ends before the step budget: the classifier can no longer tell renders from real images, i.e. its
// accuracy on the m + n images, averaged over the last `window` iterations, is within `tolerance` of chance (0.5).
import type { RenderConfig } from './config.js';

export interface StopState { recent: number[] }

export class StopRule {
  private recent: number[] = [];

  constructor(private readonly o: RenderConfig['stop']) {}

  /** One iteration's classifier accuracy. */
  record(accuracy: number): void {
    this.recent.push(accuracy);
    if (this.recent.length > this.o.window) this.recent.shift();
  }

  /** Whether to stop after `step` iterations: a full window, near chance, and at least minSteps done. */
  shouldStop(step: number): boolean {
    if (step < this.o.minSteps || this.recent.length < this.o.window) return false;
    const mean = this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
    return Math.abs(mean - 0.5) <= this.o.tolerance;
  }

  stateDict(): StopState { return { recent: [...this.recent] }; }
  loadStateDict(s: StopState): void { this.recent = [...s.recent].slice(-this.o.window); }
}
