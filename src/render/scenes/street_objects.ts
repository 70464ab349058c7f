// Builders for the things on a street (vehicles, people, trees, poles), each as a few primitives in an
// object frame (x lateral, y forward, z up) placed at a ground position with a heading.
import { add, matMul, matVec, rotX, rotY, rotZ, type Mat3, type Vec3 } from '../math.js';
import { materialIndex, primitive, type Primitive, type PrimitiveKind } from '../primitives.js';
import type { Rng } from '../random.js';
import { STREET_MATERIALS } from './street_look.js';

/** Cityscapes trainIds. */
export const CLASS = {
  road: 0, sidewalk: 1, building: 2, wall: 3, fence: 4, pole: 5, trafficLight: 6, trafficSign: 7, vegetation: 8,
  terrain: 9, sky: 10, person: 11, rider: 12, car: 13, truck: 14, bus: 15, train: 16, motorcycle: 17, bicycle: 18,
} as const;

export const mat = (name: string): number => materialIndex(STREET_MATERIALS, name);

export interface Builder {
  prims: Primitive[];
  rng: Rng;
  nextInstance: number;
}

const VEHICLE_COLOURS: Vec3[] = [[1, 1, 1], [0.12, 0.12, 0.13], [0.75, 0.76, 0.8], [0.85, 0.12, 0.1], [0.15, 0.25, 0.75],
  [0.1, 0.15, 0.35], [0.2, 0.4, 0.25], [0.9, 0.75, 0.2], [0.45, 0.45, 0.47]];
const CLOTH_COLOURS: Vec3[] = [[0.15, 0.15, 0.2], [0.8, 0.8, 0.8], [0.6, 0.15, 0.15], [0.2, 0.3, 0.6], [0.4, 0.35, 0.25],
  [0.1, 0.1, 0.1], [0.3, 0.5, 0.3], [0.7, 0.6, 0.4]];
const SKIN_TINTS: Vec3[] = [[1.1, 1.05, 1], [1, 1, 1], [0.75, 0.7, 0.65], [0.5, 0.45, 0.42]];

/** Places parts given in an object frame at ground point `at` with heading `yaw`. */
class Placer {
  private readonly R: Mat3;
  constructor(private readonly b: Builder, private readonly at: Vec3, yaw: number, private readonly classId: number,
    private readonly instanceId: number) {
    this.R = rotZ(yaw);
  }
  part(kind: PrimitiveKind, offset: Vec3, size: Vec3, material: string, tint?: Vec3, local?: Mat3): void {
    this.b.prims.push(primitive(kind, add(this.at, matVec(this.R, offset)), size, {
      classId: this.classId, instanceId: this.instanceId, material: mat(material), tint,
      rotation: local ? matMul(this.R, local) : this.R,
    }));
  }
}

// Cylinder axes: local z turned to the object's x (wheels, axles) or y (a sign facing along the road).
const AXIS_X = rotY(Math.PI / 2);
const AXIS_Y = rotX(Math.PI / 2);

const newInstance = (b: Builder): number => b.nextInstance++;

export type VehicleKind = 'car' | 'truck' | 'bus';

export function vehicle(b: Builder, at: Vec3, yaw: number, kind: VehicleKind): void {
  const classId = kind === 'car' ? CLASS.car : kind === 'truck' ? CLASS.truck : CLASS.bus;
  const p = new Placer(b, at, yaw, classId, newInstance(b));
  const paint = b.rng.pick(VEHICLE_COLOURS);
  const wheel = (x: number, y: number, r: number) => p.part('cylinder', [x, y, r], [r, r, 0.11], 'rubber', undefined, AXIS_X);
  if (kind === 'car') {
    const s = b.rng.uniform(0.9, 1.1);
    p.part('box', [0, 0, 0.65], [0.9, 2.1 * s, 0.35], 'paint', paint);
    p.part('box', [0, -0.2 * s, 1.27], [0.78, 1.1 * s, 0.27], 'glass');
    p.part('box', [0, -0.25 * s, 1.56], [0.76, 0.9 * s, 0.03], 'paint', paint);
    for (const [x, y] of [[-0.82, 1.35], [0.82, 1.35], [-0.82, -1.35], [0.82, -1.35]]) wheel(x, y * s, 0.32);
  } else if (kind === 'truck') {
    const cargo = b.rng.pick(VEHICLE_COLOURS);
    p.part('box', [0, 3.1, 1.55], [1.15, 0.9, 1.2], 'paint', paint);
    p.part('box', [0, 3.75, 2.05], [1.05, 0.22, 0.45], 'glass');
    p.part('box', [0, -0.9, 1.95], [1.25, 3.1, 1.55], 'paint', cargo);
    for (const y of [3.2, -1.2, -3.0]) for (const x of [-1.0, 1.0]) wheel(x, y, 0.5);
  } else {
    p.part('box', [0, 0, 1.8], [1.25, 5.6, 1.5], 'paint', paint);
    p.part('box', [0, 0.1, 2.3], [1.27, 5.3, 0.5], 'glass');
    p.part('box', [0, 5.55, 1.55], [1.1, 0.1, 0.75], 'glass');
    for (const y of [3.8, -3.6]) for (const x of [-1.05, 1.05]) wheel(x, y, 0.5);
  }
}

export function person(b: Builder, at: Vec3, yaw: number): void {
  const p = new Placer(b, at, yaw, CLASS.person, newInstance(b));
  const s = b.rng.uniform(0.85, 1.08);
  const shirt = b.rng.pick(CLOTH_COLOURS), trousers = b.rng.pick(CLOTH_COLOURS), skin = b.rng.pick(SKIN_TINTS);
  const stride = b.rng.uniform(-0.15, 0.15);
  p.part('cylinder', [-0.1 * s, stride, 0.43 * s], [0.08 * s, 0.08 * s, 0.43 * s], 'cloth', trousers);
  p.part('cylinder', [0.1 * s, -stride, 0.43 * s], [0.08 * s, 0.08 * s, 0.43 * s], 'cloth', trousers);
  p.part('ellipsoid', [0, 0, 1.17 * s], [0.21 * s, 0.13 * s, 0.33 * s], 'cloth', shirt);
  p.part('cylinder', [-0.26 * s, 0, 1.12 * s], [0.05 * s, 0.05 * s, 0.3 * s], 'cloth', shirt);
  p.part('cylinder', [0.26 * s, 0, 1.12 * s], [0.05 * s, 0.05 * s, 0.3 * s], 'cloth', shirt);
  p.part('sphere', [0, 0, 1.63 * s], [0.11 * s, 0.11 * s, 0.11 * s], 'skin', skin);
}

/** A cyclist: the rider (class rider) and the bicycle (class bicycle) are separate instances. */
export function cyclist(b: Builder, at: Vec3, yaw: number): void {
  const bike = new Placer(b, at, yaw, CLASS.bicycle, newInstance(b));
  const frame = b.rng.pick(VEHICLE_COLOURS);
  for (const y of [0.55, -0.55]) bike.part('cylinder', [0, y, 0.34], [0.34, 0.34, 0.025], 'rubber', undefined, AXIS_X);
  bike.part('box', [0, 0, 0.62], [0.03, 0.5, 0.04], 'metal', frame);
  bike.part('box', [0, -0.2, 0.75], [0.03, 0.03, 0.16], 'metal', frame);
  const rider = new Placer(b, at, yaw, CLASS.rider, newInstance(b));
  const shirt = b.rng.pick(CLOTH_COLOURS), trousers = b.rng.pick(CLOTH_COLOURS);
  rider.part('cylinder', [-0.11, -0.05, 0.62], [0.075, 0.075, 0.3], 'cloth', trousers);
  rider.part('cylinder', [0.11, 0.05, 0.62], [0.075, 0.075, 0.3], 'cloth', trousers);
  rider.part('ellipsoid', [0, 0.0, 1.2], [0.2, 0.17, 0.32], 'cloth', shirt, rotX(-0.35));
  rider.part('sphere', [0, 0.15, 1.63], [0.11, 0.11, 0.11], 'skin', b.rng.pick(SKIN_TINTS));
}

export function tree(b: Builder, at: Vec3): void {
  const trunkH = b.rng.uniform(1.8, 3.5), r = b.rng.uniform(1.2, 2.6);
  const p = new Placer(b, at, b.rng.uniform(0, Math.PI), CLASS.vegetation, 0);
  const green: Vec3 = [b.rng.uniform(0.8, 1.2), b.rng.uniform(0.85, 1.15), b.rng.uniform(0.7, 1.1)];
  p.part('cylinder', [0, 0, trunkH / 2 + 0.3], [0.16, 0.16, trunkH / 2 + 0.3], 'bark');
  p.part('ellipsoid', [0, 0, trunkH + r * 0.8], [r, r * b.rng.uniform(0.8, 1.1), r * b.rng.uniform(0.9, 1.3)], 'foliage', green);
}

/** A street pole, with a traffic sign or a traffic light on some; `toRoad` is +1 or -1 (which way the road is). */
export function pole(b: Builder, at: Vec3, toRoad: number): void {
  const h = b.rng.uniform(3.5, 7);
  new Placer(b, at, 0, CLASS.pole, 0).part('cylinder', [0, 0, h / 2], [0.07, 0.07, h / 2], 'pole');
  const what = b.rng.next();
  if (what < 0.4) {
    const sign = new Placer(b, at, 0, CLASS.trafficSign, 0);
    const colour = b.rng.pick<Vec3>([[0.9, 0.15, 0.1], [0.15, 0.3, 0.85], [1, 0.85, 0.15], [1, 1, 1]]);
    const z = Math.min(h - 0.4, b.rng.uniform(2.2, 2.8));
    if (b.rng.chance(0.5)) sign.part('cylinder', [0, -0.08, z], [0.32, 0.32, 0.02], 'sign', colour, AXIS_Y);
    else sign.part('box', [0, -0.08, z], [0.3, 0.02, 0.38], 'sign', colour);
  } else if (what < 0.6) {
    const light = new Placer(b, at, 0, CLASS.trafficLight, 0);
    const z = Math.min(h, 4.5) - 0.5;
    light.part('box', [0.25 * toRoad, -0.1, z], [0.16, 0.12, 0.45], 'lamp');
    const lamp = b.rng.pick<Vec3>([[6, 0.6, 0.4], [1, 6, 2], [6, 4, 0.5]]);
    light.part('sphere', [0.25 * toRoad, -0.23, z + b.rng.pick([-0.28, 0, 0.28])], [0.09, 0.09, 0.09], 'lamp', lamp);
  }
}
