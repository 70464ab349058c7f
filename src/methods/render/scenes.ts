// Scenes from claim 2's random numbers: one seed -> one scene of the configured kind and size.
import type { Scene } from '../../render/primitives.js';
import { faceScene } from '../../render/scenes/face.js';
import { streetScene } from '../../render/scenes/street.js';
import type { SceneKind } from './config.js';

/** size is [height, width]. */
export function makeScene(kind: SceneKind, seed: number, size: readonly [number, number]): Scene {
  const [height, width] = size;
  return kind === 'street' ? streetScene(seed, { width, height }) : faceScene(seed, { width, height });
}
