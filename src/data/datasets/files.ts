// Listing dataset folders: sorted by code point (not locale), so sample indices are the same on every machine.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Pair } from './segmentation.js';

/** Throws an Error naming `what` and the folder when it is missing. */
export function requireDir(dir: string, what: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${what}: folder not found: ${dir}`);
}

/** Files under `dir` whose name passes `keep`, as paths relative to `dir`, sorted; `recursive` descends. */
export function listFiles(dir: string, keep: (name: string) => boolean, recursive: boolean): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      // Datasets are often assembled from symlinks: follow them.
      const s = e.isSymbolicLink() ? statSync(path.join(dir, r)) : e;
      if (s.isDirectory() && recursive) walk(r);
      else if (s.isFile() && keep(e.name)) out.push(r);
    }
  };
  walk('');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Every PNG directly in `images` paired with the label PNG of the same name in `labels` (GTA5, SYNTHIA). */
export function pairsByName(images: string, labels: string, what: string): Pair[] {
  requireDir(images, what);
  return listFiles(images, (n) => n.endsWith('.png'), false).map((rel) => ({
    image: path.join(images, rel),
    label: path.join(labels, rel),
    name: rel.slice(0, -'.png'.length),
  }));
}
