// Street scenes from a seed: a straight road with lane markings, sidewalks, buildings, walls, fences, poles with
// signs and lights, trees, terrain, parked and moving vehicles, pedestrians and cyclists, seen from a car's
// camera; classes are Cityscapes trainIds. Also camera sequences with known motion through one street.
import { cameraFromYawPitch, lensFromFov, relativePose, type Camera } from '../camera.js';
import { deg, type Vec3 } from '../math.js';
import { primitive, type Primitive, type Scene } from '../primitives.js';
import { deriveSeed, Rng } from '../random.js';
import { CLASS, cyclist, mat, person, pole, tree, vehicle, type Builder, type VehicleKind } from './street_objects.js';
import { STREET_MATERIALS } from './street_look.js';

export interface StreetOptions {
  width?: number;
  height?: number;
  /** Horizontal field of view, degrees (default 50, about Cityscapes'). */
  hfov?: number;
}

export interface StreetMeta {
  roadHalfWidth: number;
  /** The first frame's camera position and heading (radians). */
  cameraPosition: Vec3;
  cameraYaw: number;
}

export type StreetScene = Scene<StreetMeta>;

interface Layout { prims: Primitive[]; roadHalf: number; laneX: number }

/** Lanes per direction, lane width, and the parking strip along each kerb (0 for none), metres. */
interface Road { lanes: number; laneWidth: number; parking: number; half: number }

const ROAD_START = -30, ROAD_END = 220;

// Ground planes cast no shadow (nothing is below them), nor do markings and window panes (millimetres proud).
function plane(b: Builder, center: Vec3, halfX: number, halfY: number, classId: number, material: string): void {
  b.prims.push(primitive('plane', center, [halfX, halfY, 0], { classId, material: mat(material), castsShadow: false }));
}
function box(b: Builder, center: Vec3, size: Vec3, classId: number, material: string, tint?: Vec3, castsShadow = true): void {
  b.prims.push(primitive('box', center, size, { classId, material: mat(material), tint, castsShadow }));
}

/** One side of the street (side = +1 right, -1 left): sidewalk, verge, buildings and what stands in between. */
function roadside(b: Builder, side: number, roadHalf: number): void {
  const { rng } = b;
  const walk = rng.uniform(2, 4);
  const verge = rng.chance(0.5) ? rng.uniform(1, 4) : 0;
  const len = (ROAD_END - ROAD_START) / 2, mid = (ROAD_END + ROAD_START) / 2;
  box(b, [side * (roadHalf + walk / 2), mid, 0.075], [walk / 2, len, 0.075], CLASS.sidewalk, 'sidewalk');
  const front = roadHalf + walk + verge;
  if (verge > 0) plane(b, [side * (roadHalf + walk + verge / 2), mid, 0.02], verge / 2, len, CLASS.terrain, 'terrain');
  // Buildings along the side, with gaps filled by terrain, walls or hedges.
  const tints: Vec3[] = [[1, 0.92, 0.78], [0.82, 0.82, 0.84], [0.9, 0.5, 0.38], [1, 1, 0.97], [0.7, 0.65, 0.6]];
  for (let y = ROAD_START; y < ROAD_END;) {
    const w = rng.uniform(8, 24);
    if (rng.chance(0.15)) {
      const gap = rng.uniform(4, 12);
      plane(b, [side * (front + 10), y + gap / 2, 0.02], 10, gap / 2, CLASS.terrain, 'terrain');
      if (rng.chance(0.5)) box(b, [side * (front + 0.15), y + gap / 2, 0.9], [0.15, gap / 2, 0.9], CLASS.wall, 'wall');
      else if (rng.chance(0.6)) box(b, [side * (front + 0.4), y + gap / 2, 0.7], [0.4, gap / 2, 0.7], CLASS.vegetation, 'foliage');
      y += gap;
      continue;
    }
    const h = rng.uniform(6, 30), depth = rng.uniform(10, 20), set = rng.uniform(0, 1.5);
    const x = side * (front + set + depth / 2);
    box(b, [x, y + w / 2, h / 2], [depth / 2, w / 2, h / 2], CLASS.building, 'building', rng.pick(tints));
    // Window bands on the street side, one per floor.
    const face = side * (front + set);
    for (let z = 1.8; z + 1.2 < h; z += 3) {
      box(b, [face - side * 0.03, y + w / 2, z], [0.05, w / 2 - 0.6, 0.55], CLASS.building, 'window', undefined, false);
    }
    y += w + (rng.chance(0.3) ? rng.uniform(0.5, 3) : 0);
  }
  // Fences along the verge or the building line, now and then.
  for (let y = rng.uniform(0, 30); y < 120; y += rng.uniform(25, 60)) {
    const l = rng.uniform(3, 12);
    box(b, [side * (front - 0.1), y, 0.65], [0.03, l / 2, 0.65], CLASS.fence, 'fence');
  }
  // Poles at the kerb, trees on the sidewalk or verge, pedestrians on the sidewalk.
  for (let y = rng.uniform(3, 15); y < 140; y += rng.uniform(12, 30)) pole(b, [side * (roadHalf + 0.4), y, 0.15], -side);
  for (let y = rng.uniform(5, 20); y < 150; y += rng.uniform(8, 25)) {
    if (rng.chance(0.6)) tree(b, [side * (roadHalf + walk + verge / 2 - (verge > 0 ? 0 : 0.8)), y, 0]);
  }
  const people = rng.int(0, 4);
  for (let i = 0; i < people; i++) {
    person(b, [side * (roadHalf + rng.uniform(0.5, walk - 0.4)), rng.uniform(5, 60), 0.15], rng.pick([0, Math.PI]) + rng.uniform(-0.4, 0.4));
  }
}

/** Vehicles and cyclists on the road; the camera's lane is kept clear for `clear` metres. */
function traffic(b: Builder, road: Road, laneX: number, clear: number): void {
  const { rng } = b;
  const kinds: VehicleKind[] = ['car', 'car', 'car', 'car', 'car', 'truck', 'bus'];
  const lanes = [laneX, -laneX];
  lanes.forEach((x, i) => {
    for (let y = (i === 0 ? clear : 4) + rng.uniform(0, 15); y < 120; y += rng.uniform(10, 35)) {
      const kind = rng.pick(kinds);
      vehicle(b, [x + rng.uniform(-0.3, 0.3), y + (kind === 'car' ? 2.5 : 6), 0], (i === 0 ? 0 : Math.PI) + rng.uniform(-0.05, 0.05), kind);
      y += kind === 'car' ? 5 : 12;
    }
  });
  // Parked cars in the parking strips.
  for (const side of road.parking > 0 ? [1, -1] : []) {
    for (let y = rng.uniform(3, 15); y < 90; y += rng.uniform(6, 20)) {
      if (rng.chance(0.6)) vehicle(b, [side * (road.half - road.parking / 2), y, 0], rng.pick([0, Math.PI]) + rng.uniform(-0.06, 0.06), 'car');
    }
  }
  const cyclists = rng.chance(0.5) ? rng.int(1, 2) : 0;
  const edge = road.lanes * road.laneWidth;
  for (let i = 0; i < cyclists; i++) cyclist(b, [edge - 0.8 + rng.uniform(-0.2, 0.2), clear + rng.uniform(2, 40), 0], rng.uniform(-0.1, 0.1));
}

function layout(seed: number, clear: number): Layout {
  const rng = new Rng(deriveSeed(seed, 'street'));
  const b: Builder = { prims: [], rng, nextInstance: 1 };
  const lanes = rng.pick([1, 1, 2]);
  const laneWidth = rng.uniform(3, 3.6);
  const parking = rng.chance(0.6) ? 2.2 : 0;
  const road: Road = { lanes, laneWidth, parking, half: lanes * laneWidth + parking };
  const len = (ROAD_END - ROAD_START) / 2, mid = (ROAD_END + ROAD_START) / 2;
  plane(b, [0, mid, 0], road.half, len, CLASS.road, 'road');
  // Markings: a dashed centre line and solid lines at the lanes' outer edges, a few millimetres above the asphalt.
  for (let y = ROAD_START + rng.uniform(0, 9); y < ROAD_END; y += 9) plane(b, [0, y, 0.005], 0.07, 1.5, CLASS.road, 'marking');
  for (const side of [1, -1]) plane(b, [side * (lanes * laneWidth - 0.1), mid, 0.005], 0.07, len, CLASS.road, 'marking');
  roadside(b, 1, road.half);
  roadside(b, -1, road.half);
  const laneX = laneWidth * (lanes - 0.5);
  traffic(b, road, laneX, clear);
  return { prims: b.prims, roadHalf: road.half, laneX };
}

interface Start { position: Vec3; yaw: number; pitch: number; roll: number }

function cameraStart(seed: number, laneX: number): Start {
  const rng = new Rng(deriveSeed(seed, 'camera'));
  return {
    position: [laneX + rng.uniform(-0.4, 0.4), 0, rng.uniform(1.35, 1.7)],
    yaw: deg(rng.uniform(-4, 4)), pitch: deg(rng.uniform(-3, 1)), roll: deg(rng.uniform(-1, 1)),
  };
}

function scene(seed: number, l: Layout, camera: Camera, start: Start, frame?: number): StreetScene {
  return {
    kind: 'street', seed, frame, materials: STREET_MATERIALS, primitives: l.prims, camera, missClass: CLASS.sky,
    meta: { roadHalfWidth: l.roadHalf, cameraPosition: start.position, cameraYaw: start.yaw },
  };
}

/** One street scene, the same for the same seed and options. */
export function streetScene(seed: number, o: StreetOptions = {}): StreetScene {
  const lens = lensFromFov(o.width ?? 256, o.height ?? 128, o.hfov ?? 50);
  const l = layout(seed, 8);
  const s = cameraStart(seed, l.laneX);
  return scene(seed, l, cameraFromYawPitch(lens, s.position, s.yaw, s.pitch, s.roll), s);
}

export interface SequenceOptions extends StreetOptions {
  frames?: number;
  /** Metres per second and frames per second (defaults 10 and 10). */
  speed?: number;
  fps?: number;
  /** Turn rate in degrees per second; default drawn from the seed in [-6, 6]. */
  yawRate?: number;
}

export interface StreetSequence {
  scenes: StreetScene[];
  /** relativePoses[i]: the 4x4 transform from frame i's camera frame to frame i+1's (row-major). */
  relativePoses: number[][];
}

/** A camera driving through one street: frames share the geometry (same seed) and differ in pose. */
export function streetSequence(seed: number, o: SequenceOptions = {}): StreetSequence {
  const frames = o.frames ?? 3, speed = o.speed ?? 10, fps = o.fps ?? 10;
  if (!(Number.isInteger(frames) && frames >= 1)) throw new Error(`streetSequence: frames must be a positive integer, got ${frames}`);
  const lens = lensFromFov(o.width ?? 256, o.height ?? 128, o.hfov ?? 50);
  const travel = (speed * (frames - 1)) / fps;
  const l = layout(seed, 8 + travel);
  const s = cameraStart(seed, l.laneX);
  const yawRate = deg(o.yawRate ?? new Rng(deriveSeed(seed, 'motion')).uniform(-6, 6));
  const scenes: StreetScene[] = [];
  let pos = s.position;
  for (let f = 0; f < frames; f++) {
    const yaw = s.yaw + (yawRate * f) / fps;
    scenes.push(scene(seed, l, cameraFromYawPitch(lens, pos, yaw, s.pitch, s.roll), s, f));
    const step = speed / fps;
    pos = [pos[0] - Math.sin(yaw) * step, pos[1] + Math.cos(yaw) * step, pos[2]];
  }
  const relativePoses = scenes.slice(1).map((sc, i) => relativePose(scenes[i].camera, sc.camera));
  return { scenes, relativePoses };
}
