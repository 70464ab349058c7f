// Face scenes from a seed: a head (skin ellipsoid, hair, nose, lips, brows, ears) on a neck and shoulders before a
// wall, with two eyeballs whose iris and pupil (spherical-cap decals) turn to a gaze direction. Labels: the gaze
// vector and pitch/yaw in the camera frame (MPIIGaze convention), eye and face centres (3-D and pixels), head pose.
import { lookAt, lensFromFov, project, worldToCamera, type Camera } from '../camera.js';
import { add, deg, matMul, matVec, normalize, rotX, rotY, rotZ, scale, transpose, type Mat3, type Vec3 } from '../math.js';
import { materialIndex, primitive, type Primitive, type PrimitiveKind, type Scene } from '../primitives.js';
import { deriveSeed, Rng } from '../random.js';
import { FACE_MATERIALS } from './face_look.js';

/** Face classes (255 = none: background and escaping rays). */
export const FACE_CLASS = { skin: 0, sclera: 1, iris: 2, pupil: 3, hair: 4, lips: 5, brows: 6, clothes: 7, none: 255 } as const;

export interface FaceOptions {
  width?: number;
  height?: number;
  /** Field of view across the shorter image side, degrees (default 34): the face fills any aspect alike. */
  fov?: number;
  /** Gaze in the camera frame, radians (MPIIGaze pitch/yaw); default drawn from the seed. */
  gaze?: { pitch: number; yaw: number };
}

export interface FaceMeta {
  /** Unit gaze vector in the camera frame (x right, y down, z forward); looking into the camera is (0, 0, -1). */
  gaze: Vec3;
  /** pitch = asin(-g_y), yaw = atan2(-g_x, -g_z), radians. */
  pitchYaw: [number, number];
  /** Eyeball centres (right eye in the image first) and the face centre (mean of eyes and mouth), camera frame, metres. */
  eyeCenters: [Vec3, Vec3];
  faceCenter: Vec3;
  /** The same points in pixels. */
  eyeCenters2d: [[number, number], [number, number]];
  faceCenter2d: [number, number];
  /** Head rotation (head -> camera frame) and eyeball radius, metres. */
  headRotation: Mat3;
  eyeRadius: number;
}

export type FaceScene = Scene<FaceMeta>;

const mat = (name: string): number => materialIndex(FACE_MATERIALS, name);

/** The camera-frame gaze vector of MPIIGaze pitch/yaw. */
export function gazeVector(pitch: number, yaw: number): Vec3 {
  return [-Math.cos(pitch) * Math.sin(yaw), -Math.sin(pitch), -Math.cos(pitch) * Math.cos(yaw)];
}

export function pitchYawOf(g: Vec3): [number, number] {
  const n = normalize(g);
  return [Math.asin(-n[1]), Math.atan2(-n[0], -n[2])];
}

const SKIN_TINTS: Vec3[] = [[1.15, 1.05, 1], [1, 1, 1], [0.8, 0.72, 0.66], [0.55, 0.45, 0.4], [0.35, 0.3, 0.28]];
const HAIR_TINTS: Vec3[] = [[1, 1, 1], [2, 1.6, 1.1], [4, 3.2, 1.8], [0.5, 0.5, 0.5], [5, 5, 5]];
const IRIS_TINTS: Vec3[] = [[1, 1, 1], [0.6, 1, 1.6], [0.8, 1.3, 0.9], [0.5, 0.45, 0.4]];

export function faceScene(seed: number, o: FaceOptions = {}): FaceScene {
  const rng = new Rng(deriveSeed(seed, 'face'));
  const width = o.width ?? 128, height = o.height ?? 128;
  const hfov = 2 * Math.atan((width / Math.min(width, height)) * Math.tan(deg(o.fov ?? 34) / 2));
  const lens = lensFromFov(width, height, (hfov * 180) / Math.PI);
  // Head pose (head frame: x to the image right at rest, y away from the camera, z up), placed at the origin.
  const H = matMul(rotZ(deg(rng.uniform(-30, 30))), matMul(rotX(deg(rng.uniform(-18, 18))), rotY(deg(rng.uniform(-8, 8)))));
  const at = (p: Vec3): Vec3 => matVec(H, p);
  const d = rng.uniform(0.5, 0.7);
  const camera: Camera = lookAt(lens, [rng.uniform(-0.05, 0.05), -d, rng.uniform(-0.04, 0.06)],
    [rng.uniform(-0.02, 0.02), 0, rng.uniform(-0.02, 0.02)]);

  const skin = rng.pick(SKIN_TINTS);
  const prims: Primitive[] = [];
  const part = (kind: PrimitiveKind, centre: Vec3, size: Vec3, material: string, classId: number, tint?: Vec3, local?: Mat3) =>
    prims.push(primitive(kind, at(centre), size, { classId, instanceId: 1, material: mat(material), tint,
      rotation: local ? matMul(H, local) : H }));
  part('ellipsoid', [0, 0, 0], [0.075, 0.095, 0.115], 'skin', FACE_CLASS.skin, skin);
  part('ellipsoid', [0, 0.02, 0.05], [0.079, 0.1, 0.085], 'hair', FACE_CLASS.hair, rng.pick(HAIR_TINTS));
  part('ellipsoid', [0, -0.094, -0.008], [0.011, 0.016, 0.022], 'skin', FACE_CLASS.skin, skin);
  part('ellipsoid', [0, -0.086, -0.05], [0.022, 0.006, 0.006], 'lips', FACE_CLASS.lips, skin);
  for (const s of [-1, 1]) {
    part('box', [s * 0.032, -0.087, 0.043], [0.017, 0.004, 0.003], 'brow', FACE_CLASS.brows, undefined, rotY(s * deg(8)));
    part('ellipsoid', [s * 0.076, 0.005, 0], [0.01, 0.02, 0.03], 'skin', FACE_CLASS.skin, skin);
  }
  part('cylinder', [0, 0.012, -0.14], [0.05, 0.05, 0.07], 'skin', FACE_CLASS.skin, skin);
  // Shoulders and a wall stay upright whatever the head does.
  prims.push(primitive('ellipsoid', [0, 0.03, -0.27], [0.2, 0.11, 0.1], { classId: FACE_CLASS.clothes, instanceId: 1,
    material: mat('cloth'), tint: [rng.uniform(0.4, 1.4), rng.uniform(0.4, 1.4), rng.uniform(0.4, 1.4)] }));
  prims.push(primitive('plane', [0, rng.uniform(0.6, 1.5), 0], [3, 3, 0], { classId: FACE_CLASS.none, material: mat('background'),
    rotation: rotX(Math.PI / 2), tint: [rng.uniform(0.6, 1.3), rng.uniform(0.6, 1.3), rng.uniform(0.6, 1.3)] }));

  // Gaze: given in the camera frame, or drawn within the eyes' range around the head's forward direction.
  const toWorld = transpose(camera.R);
  const gazeWorld = o.gaze
    ? matVec(toWorld, gazeVector(o.gaze.pitch, o.gaze.yaw))
    : at(normalize(matVec(matMul(rotZ(deg(rng.uniform(-25, 25))), rotX(deg(rng.uniform(-18, 12)))), [0, -1, 0])));
  const eyeRadius = 0.012;
  const iris = Math.cos(Math.asin(0.5)), pupil = Math.cos(Math.asin(rng.uniform(0.16, 0.28)));
  const irisTint = rng.pick(IRIS_TINTS);
  const eyes = [1, -1].map((s) => at([s * 0.032, -0.076, 0.02]));
  for (const c of eyes) {
    prims.push(primitive('sphere', c, [eyeRadius, eyeRadius, eyeRadius], {
      classId: FACE_CLASS.sclera, instanceId: 1, material: mat('sclera'),
      caps: [{ axis: gazeWorld, cosMin: iris, material: mat('iris'), classId: FACE_CLASS.iris, tint: irisTint },
        { axis: gazeWorld, cosMin: pupil, material: mat('pupil'), classId: FACE_CLASS.pupil }],
    }));
  }

  const g = normalize(matVec(camera.R, gazeWorld));
  const eyeCam = eyes.map((e) => worldToCamera(camera, e)) as [Vec3, Vec3];
  const mouth = worldToCamera(camera, at([0, -0.086, -0.05]));
  const faceCenter = scale(add(add(eyeCam[0], eyeCam[1]), mouth), 1 / 3);
  return {
    kind: 'face', seed, materials: FACE_MATERIALS, primitives: prims, camera, missClass: FACE_CLASS.none,
    meta: {
      gaze: g, pitchYaw: pitchYawOf(g), eyeCenters: eyeCam, faceCenter,
      eyeCenters2d: eyeCam.map((e) => project(camera.K, e)) as [[number, number], [number, number]],
      faceCenter2d: project(camera.K, faceCenter), headRotation: matMul(camera.R, H), eyeRadius,
    },
  };
}
