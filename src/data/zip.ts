// Several loaders read in step: one batch from each per next(), e.g. a labelled source domain and an unlabelled
// target domain. Each keeps its own epochs (the shorter one wraps around sooner), and the position saved in a
// checkpoint is every loader's own.
import type { Batch, DataLoader, LoaderState } from './loader.js';

export class ZipLoader<K extends string> {
  constructor(private readonly loaders: Record<K, DataLoader>) {}

  async next(): Promise<Record<K, Batch>> {
    const keys = Object.keys(this.loaders) as K[];
    const batches = await Promise.all(keys.map((k) => this.loaders[k].next()));
    return Object.fromEntries(keys.map((k, i) => [k, batches[i]])) as Record<K, Batch>;
  }

  stateDict(): Record<K, LoaderState> {
    const keys = Object.keys(this.loaders) as K[];
    return Object.fromEntries(keys.map((k) => [k, this.loaders[k].stateDict()])) as Record<K, LoaderState>;
  }

  loadStateDict(s: Record<K, LoaderState>): void {
    for (const k of Object.keys(this.loaders) as K[]) {
      if (!s?.[k]) throw new Error(`ZipLoader.loadStateDict: no saved position for '${k}'`);
      this.loaders[k].loadStateDict(s[k]);
    }
  }

  async close(): Promise<void> {
    await Promise.all(Object.values<DataLoader>(this.loaders).map((l) => l.close()));
  }
}
