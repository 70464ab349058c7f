// Analytic primitives and the scene they make up. A scene is plain data drawn from seeded random numbers; it is
// never differentiated (visibility is discrete), only the rendering parameters are.
import type { Camera } from './camera.js';
import { IDENTITY, rotZ, type Mat3, type Vec3 } from './math.js';

export type PrimitiveKind = 'plane' | 'box' | 'sphere' | 'cylinder' | 'ellipsoid';

/**
 * A spherical-cap decal: the points of the primitive whose local direction from its centre is within
 * acos(cosMin) of `axis` take `material`, `classId` and `tint` (default white) (an eye's iris and pupil).
 * Later caps win.
 */
export interface Cap { axis: Vec3; cosMin: number; material: number; classId: number; tint?: Vec3 }

export interface Primitive {
  kind: PrimitiveKind;
  center: Vec3;
  /** Local -> world rotation; its columns are the local axes in world coordinates. */
  rotation: Mat3;
  /**
   * Half-extents along the local axes: a box's half sizes, an ellipsoid's semi-axes (a sphere's three equal
   * radii), a cylinder's two radii and half height (axis = local z), a plane's half width and half length
   * (normal = local z; the third entry is unused).
   */
  size: Vec3;
  classId: number;
  /** 0 for "stuff" (road, building, ...); objects made of several primitives share one id. */
  instanceId: number;
  material: number;
  /** Per-object colour multiplier (a car's paint colour), from the scene's random numbers. */
  tint: Vec3;
  caps?: Cap[];
  /** False for surface details too thin to matter in shadows (markings, window panes): saves shadow rays. */
  castsShadow?: boolean;
}

export interface Scene<Meta = unknown> {
  /** Which generator made it ('street', 'face', ...); its material list must match the parameters'. */
  kind: string;
  seed: number;
  /** Frame number within a camera sequence (frames share the seed, hence geometry and textures). */
  frame?: number;
  materials: readonly string[];
  primitives: Primitive[];
  camera: Camera;
  /** Class of pixels no primitive covers: 10 (sky) in street scenes, 255 (none) elsewhere. */
  missClass: number;
  meta: Meta;
}

export const MAX_CAPS = 2;

export interface PrimitiveOptions {
  classId: number;
  material: number;
  instanceId?: number;
  rotation?: Mat3;
  /** Shorthand for rotation = rotZ(yaw). */
  yaw?: number;
  tint?: Vec3;
  caps?: Cap[];
  castsShadow?: boolean;
}

export function primitive(kind: PrimitiveKind, center: Vec3, size: Vec3, o: PrimitiveOptions): Primitive {
  if (size.some((s, i) => !(s > 0) && !(kind === 'plane' && i === 2))) {
    throw new Error(`primitive ${kind}: every half-extent must be > 0, got [${size.join(', ')}]`);
  }
  if ((o.caps?.length ?? 0) > MAX_CAPS) throw new Error(`primitive ${kind}: at most ${MAX_CAPS} caps`);
  return {
    kind, center, size: kind === 'plane' ? [size[0], size[1], 1] : size,
    rotation: o.rotation ?? (o.yaw === undefined ? IDENTITY : rotZ(o.yaw)),
    classId: o.classId, instanceId: o.instanceId ?? 0, material: o.material, tint: o.tint ?? [1, 1, 1], caps: o.caps,
    castsShadow: o.castsShadow ?? true,
  };
}

export const sphere = (center: Vec3, radius: number, o: PrimitiveOptions): Primitive =>
  primitive('sphere', center, [radius, radius, radius], o);

/** Index of a material name in a scene's material list; throws on an unknown name (a generator bug). */
export function materialIndex(materials: readonly string[], name: string): number {
  const i = materials.indexOf(name);
  if (i < 0) throw new Error(`unknown material '${name}' (known: ${materials.join(', ')})`);
  return i;
}
