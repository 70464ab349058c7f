// Small hand-built scenes and parameter sets for the renderer's tests: one camera, a few primitives, materials
// with known values, and a neutral camera (no exposure change, gamma 1, no vignetting, noise or blur to speak of).
import type { Camera } from '../../src/render/camera.js';
import type { Look, MaterialLook } from '../../src/render/defaults.js';
import type { Vec3 } from '../../src/render/math.js';
import { RenderParams } from '../../src/render/params.js';
import type { Shading } from '../../src/render/params_schema.js';
import type { Primitive, Scene } from '../../src/render/primitives.js';

export function material(name: string, albedo: Vec3, o: Partial<MaterialLook> = {}): MaterialLook {
  return { name, albedo, specular: 0, shininess: 16, roughness: 0.5, metallic: 0, textureContrast: 0, textureScale: 1, ...o };
}

/** A look with the given materials and lights; everything else neutral unless overridden. */
export function neutralLook(materials: MaterialLook[], o: Partial<Look> = {}): Look {
  return {
    materials,
    lights: [{ kind: 'directional', color: [1, 0.9, 0.8], intensity: 1.5, azimuth: 30, elevation: 40 }],
    ambient: { color: [0.5, 0.6, 0.7], intensity: 0.4 },
    sky: { zenith: [0.2, 0.4, 0.8], horizon: [0.7, 0.75, 0.8] },
    fog: { density: 0, color: [0.5, 0.5, 0.5] },
    camera: { exposure: 0, gamma: 1, vignetting: 0, noise: 0, blur: 0.05 },
    ...o,
  };
}

export function paramsOf(look: Look, shading: Shading = 'phong'): RenderParams {
  return RenderParams.fromLook(look, shading, 'float64');
}

export function sceneOf(camera: Camera, primitives: Primitive[], look: Look, o: { seed?: number; missClass?: number } = {}): Scene {
  return { kind: 'test', seed: o.seed ?? 1, materials: look.materials.map((m) => m.name), primitives, camera,
    missClass: o.missClass ?? 10, meta: null };
}

/** Reads element [b, c, y, x] (or [b, y, x] for 3-D) of a tensor as a number. */
export function at(t: { shape: number[]; toTypedArray(): ArrayLike<number | bigint> }, ...i: number[]): number {
  const s = t.shape;
  let k = 0;
  for (let d = 0; d < s.length; d++) k = k * s[d] + i[d];
  return Number(t.toTypedArray()[k]);
}
