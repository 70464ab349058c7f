// Pinhole cameras in OpenCV's convention: camera x right, y down, z forward; pixel (u, v) has its centre at
// integer coordinates. A pose is world -> camera: X_cam = R X_world + t. Worlds are z-up.
import { cross, matMul, matVec, normalize, sub, transpose, type Mat3, type Vec3 } from './math.js';

export interface Intrinsics { fx: number; fy: number; cx: number; cy: number }

export interface Camera {
  /** The image size K is for; render() draws at this size. */
  width: number;
  height: number;
  K: Intrinsics;
  /** World -> camera rotation, row-major; its rows are the camera's right, down and forward axes in world. */
  R: Mat3;
  t: Vec3;
}

/** Square pixels, principal point at the image centre, horizontal field of view in degrees. */
export function intrinsicsFromFov(width: number, height: number, hfovDeg: number): Intrinsics {
  const f = width / 2 / Math.tan((hfovDeg * Math.PI) / 360);
  return { fx: f, fy: f, cx: (width - 1) / 2, cy: (height - 1) / 2 };
}

/** K as a row-major 3x3 matrix. */
export const kMatrix = (K: Intrinsics): Mat3 => [K.fx, 0, K.cx, 0, K.fy, K.cy, 0, 0, 1];

/** What a camera needs besides its pose: the image size and intrinsics. */
export interface Lens { width: number; height: number; K: Intrinsics }

/** A lens with square pixels, principal point at the image centre and a horizontal field of view in degrees. */
export function lensFromFov(width: number, height: number, hfovDeg: number): Lens {
  return { width, height, K: intrinsicsFromFov(width, height, hfovDeg) };
}

function fromAxes(lens: Lens, position: Vec3, right: Vec3, down: Vec3, forward: Vec3): Camera {
  const R: Mat3 = [...right, ...down, ...forward] as Mat3;
  const Rc = matVec(R, position);
  return { width: lens.width, height: lens.height, K: lens.K, R, t: [-Rc[0], -Rc[1], -Rc[2]] };
}

/**
 * A camera at `position` looking along heading `yaw` (radians, counter-clockwise about world z; 0 looks along
 * +y), tilted up by `pitch` and rolled clockwise (as seen from behind) by `roll`.
 */
export function cameraFromYawPitch(lens: Lens, position: Vec3, yaw: number, pitch: number, roll = 0): Camera {
  const forward: Vec3 = [-Math.sin(yaw) * Math.cos(pitch), Math.cos(yaw) * Math.cos(pitch), Math.sin(pitch)];
  const right0: Vec3 = [Math.cos(yaw), Math.sin(yaw), 0];
  const down0 = cross(forward, right0);
  const c = Math.cos(roll), s = Math.sin(roll);
  const right: Vec3 = [c * right0[0] + s * down0[0], c * right0[1] + s * down0[1], c * right0[2] + s * down0[2]];
  return fromAxes(lens, position, right, cross(forward, right), forward);
}

/** A camera at `eye` looking at `target`, with world `up` pointing up in the image. */
export function lookAt(lens: Lens, eye: Vec3, target: Vec3, up: Vec3 = [0, 0, 1]): Camera {
  const forward = normalize(sub(target, eye));
  const right = normalize(cross(forward, up));
  return fromAxes(lens, eye, right, cross(forward, right), forward);
}

/** The camera's centre in world coordinates, -R^T t. */
export function cameraCenter(cam: Camera): Vec3 {
  const c = matVec(transpose(cam.R), cam.t);
  return [-c[0], -c[1], -c[2]];
}

export function worldToCamera(cam: Camera, p: Vec3): Vec3 {
  const r = matVec(cam.R, p);
  return [r[0] + cam.t[0], r[1] + cam.t[1], r[2] + cam.t[2]];
}

/** Pixel coordinates of a camera-frame point (in front of the camera). */
export function project(K: Intrinsics, p: Vec3): [number, number] {
  return [K.fx * (p[0] / p[2]) + K.cx, K.fy * (p[1] / p[2]) + K.cy];
}

/** The 4x4 world -> camera matrix [R t; 0 0 0 1], row-major. */
export function poseMatrix(cam: Camera): number[] {
  const { R, t } = cam;
  return [R[0], R[1], R[2], t[0], R[3], R[4], R[5], t[1], R[6], R[7], R[8], t[2], 0, 0, 0, 1];
}

/** The 4x4 transform taking points from camera `from`'s frame to camera `to`'s frame, row-major. */
export function relativePose(from: Camera, to: Camera): number[] {
  const R = matMul(to.R, transpose(from.R));
  const Rt = matVec(R, from.t);
  const t: Vec3 = [to.t[0] - Rt[0], to.t[1] - Rt[1], to.t[2] - Rt[2]];
  return [R[0], R[1], R[2], t[0], R[3], R[4], R[5], t[1], R[6], R[7], R[8], t[2], 0, 0, 0, 1];
}
