// The ray-casting kernel (src/render/raycast.ts, native/src/raycast.cc) against closed-form hits: camera rays at a
// sphere, an ellipsoid, a box, a cylinder and a plane (depth, which primitive, misses, ties, the near limit), shadow
// rays towards directional and point lights (occluded, unoccluded, an occluder beyond the light, a block starting
// on the occluder itself), and bad arguments, which must be JS Errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import type { Tensor } from '../src/torch/index.js';
import { castCameraRays, castShadowRays, type ShadowSurface } from '../src/render/raycast.js';
import { lightFrame } from '../src/render/shadow_culling.js';
import { cameraRayAxes, tileGrid } from '../src/render/tiles.js';
import { RenderParams } from '../src/render/params.js';
import { render } from '../src/render/render.js';
import { streetScene } from '../src/render/scenes/street.js';
import type { Vec3 } from '../src/render/math.js';

const PLANE = 0, BOX = 1, QUADRIC = 2, CYLINDER = 3;

interface Prim { kernel: number; geo: number[]; outline: number[] }

/**
 * The unit shape of `kernel` scaled by `size` along the local axes, which are the camera-frame unit vectors `axes`
 * (rows), centred at `c`: geometry M = diag(1 / size) axes, o = -M c; outline A = axes^T diag(size), c, extent.
 */
function shape(kernel: number, c: Vec3, size: Vec3, axes: [Vec3, Vec3, Vec3] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]): Prim {
  const M = axes.flatMap((a, r) => a.map((v) => v / size[r]));
  const o = [0, 1, 2].map((r) => -(M[3 * r] * c[0] + M[3 * r + 1] * c[1] + M[3 * r + 2] * c[2]));
  const A = [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => axes[j][i] * size[j]));
  return { kernel, geo: [...M, ...o], outline: [...A, ...c, 1, 1, kernel === PLANE ? 0 : 1] };
}

const prims = (list: Prim[], dtype: torch.DType = 'float64') => ({
  geometry: torch.tensor(Float64Array.from(list.flatMap((p) => p.geo)), { shape: [list.length, 12], dtype }),
  kernels: torch.tensor(Int32Array.from(list, (p) => p.kernel)),
  scene: torch.tensor(new Int32Array(list.length)),
  outline: torch.tensor(Float64Array.from(list.flatMap((p) => p.outline)), { shape: [list.length, 15] }),
});

// One image of 4 x 2 pixels, one tile: rays (x, y, 1) with x = (u - cx) / fx, y = (v - cy) / fy.
const K = { fx: 4, fy: 4, cx: 1.2, cy: 0.8 };
const grid = tileGrid(4, 2, 4, 2);
const X = [0, 1, 2, 3].map((u) => (u - K.cx) / K.fx), Y = [0, 1].map((v) => (v - K.cy) / K.fy);
function cast(list: Prim[], near = 0.05, dtype: torch.DType = 'float64') {
  const r = castCameraRays(prims(list, dtype), [K], grid, cameraRayAxes(grid, [K], dtype), near);
  return { depth: [...r.depth.toTypedArray()].map(Number), hit: [...r.hit.toTypedArray()].map(Number), prim: [...r.prim.toTypedArray()].map(Number) };
}

/** Expected depth per ray (row-major over Y then X), null for a miss. */
function expectRays(got: ReturnType<typeof cast>, want: (x: number, y: number) => number | null, index: number, tol = 1e-12): void {
  assert.ok(Y.some((y) => X.some((x) => want(x, y) !== null)), 'the case has hits to check');
  Y.forEach((y, i) => X.forEach((x, j) => {
    const k = i * X.length + j, t = want(x, y);
    if (t === null) {
      assert.deepEqual([got.hit[k], got.depth[k], got.prim[k]], [0, 0, -1], `ray (${x}, ${y}) should miss`);
    } else {
      assert.equal(got.hit[k], 1, `ray (${x}, ${y}) should hit`);
      assert.equal(got.prim[k], index, `ray (${x}, ${y}) primitive`);
      assert.ok(Math.abs(got.depth[k] - t) <= tol * Math.max(1, t), `ray (${x}, ${y}): depth ${got.depth[k]}, want ${t}`);
    }
  }));
}

/** Nearest root of |t d - c|^2 = r^2 after scaling axes by 1 / s (an ellipsoid), d = (x, y, 1). */
function ellipsoidT(x: number, y: number, c: Vec3, s: Vec3): number | null {
  const d = [x / s[0], y / s[1], 1 / s[2]], q = [c[0] / s[0], c[1] / s[1], c[2] / s[2]];
  const a = d[0] ** 2 + d[1] ** 2 + d[2] ** 2, b = d[0] * q[0] + d[1] * q[1] + d[2] * q[2];
  const disc = b * b - a * (q[0] ** 2 + q[1] ** 2 + q[2] ** 2 - 1);
  return disc < 0 ? null : (b - Math.sqrt(disc)) / a;
}

test('camera rays: sphere and ellipsoid depths are the nearest roots of the quadric', () => {
  torch.scope(() => {
    const c: Vec3 = [0.3, -0.2, 4];
    expectRays(cast([shape(QUADRIC, c, [1.2, 1.2, 1.2])]), (x, y) => ellipsoidT(x, y, c, [1.2, 1.2, 1.2]), 0);
    const e: Vec3 = [-0.1, 0, 3], s: Vec3 = [0.8, 0.8, 0.5];
    const got = cast([shape(QUADRIC, e, s)]);
    expectRays(got, (x, y) => ellipsoidT(x, y, e, s), 0);
    assert.ok(got.hit.includes(0) && got.hit.includes(1), 'the ellipsoid covers some rays and not others');
  });
});

test('camera rays: a box front face, a cylinder side and a plane square', () => {
  torch.scope(() => {
    // Box [-1.2, 1.2] x [-0.9, 0.9] x [5, 7]: a ray (x, y, 1) is inside it only if it enters through the front face.
    expectRays(cast([shape(BOX, [0, 0, 6], [1.2, 0.9, 1])]),
      (x, y) => (Math.abs(5 * x) <= 1.2 && Math.abs(5 * y) <= 0.9 ? 5 : null), 0);
    // Upright cylinder (axis = camera y) of radius 0.6 and half height 1 at z = 4: the side x^2 + (z - 4)^2 = 0.36
    // (no ray here reaches a cap inside the radius).
    const upright: [Vec3, Vec3, Vec3] = [[1, 0, 0], [0, 0, 1], [0, 1, 0]];
    expectRays(cast([shape(CYLINDER, [0, 0, 4], [0.6, 0.6, 1], upright)]), (x, y) => {
      const a = x * x + 1, b = 4, disc = b * b - a * (16 - 0.36);
      if (disc < 0) return null;
      const t = (b - Math.sqrt(disc)) / a;
      return Math.abs(t * y) <= 1 ? t : null;
    }, 0);
    // The square |x|, |y| <= 1.6 in the plane z = 5, seen face on.
    expectRays(cast([shape(PLANE, [0, 0, 5], [1.6, 1.6, 1])]),
      (x, y) => (Math.abs(5 * x) <= 1.6 && Math.abs(5 * y) <= 1.6 ? 5 : null), 0);
  });
});

test('camera rays: the nearest of several primitives wins, a tie goes to the larger index, hits nearer than near do not count', () => {
  torch.scope(() => {
    const wall = shape(PLANE, [0, 0, 9], [20, 20, 1]);
    const ball = shape(QUADRIC, [0, 0, 4], [1, 1, 1]);
    const got = cast([ball, wall]);
    Y.forEach((y, i) => X.forEach((x, j) => {
      const t = ellipsoidT(x, y, [0, 0, 4], [1, 1, 1]);
      assert.equal(got.prim[i * 4 + j], t === null ? 1 : 0);
      assert.ok(Math.abs(got.depth[i * 4 + j] - (t ?? 9)) < 1e-12);
    }));
    assert.ok(got.prim.includes(0) && got.prim.includes(1));
    assert.deepEqual(cast([wall, wall, wall]).prim, Array(8).fill(2));
    // The camera inside a sphere: its surface is ahead but the entry point is behind, so nothing is hit; a plane
    // nearer than `near` is not hit either.
    assert.deepEqual(cast([shape(QUADRIC, [0, 0, 0.5], [2, 2, 2])]).hit, Array(8).fill(0));
    assert.deepEqual(cast([shape(PLANE, [0, 0, 0.04], [5, 5, 1])]).hit, Array(8).fill(0));
    assert.deepEqual(cast([shape(PLANE, [0, 0, 0.06], [5, 5, 1])]).hit, Array(8).fill(1));
  });
});

test('camera rays in float32 agree with the closed form to float precision', () => {
  torch.scope(() => {
    const c: Vec3 = [0.3, -0.2, 4];
    expectRays(cast([shape(QUADRIC, c, [1.2, 1.2, 1.2])], 0.05, 'float32'), (x, y) => ellipsoidT(x, y, c, [1.2, 1.2, 1.2]), 0, 1e-5);
  });
});

/** A primitive from its rows of M (orthogonal, each the local axis over its half-extent), centred at `c`. */
function fromRows(kernel: number, c: Vec3, rows: [Vec3, Vec3, Vec3]): Prim {
  const o = rows.map((r) => -(r[0] * c[0] + r[1] * c[1] + r[2] * c[2]));
  // A = M^-1: column j of A is row j of M over its squared length.
  const A = [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => rows[j][i] / (rows[j][0] ** 2 + rows[j][1] ** 2 + rows[j][2] ** 2)));
  return { kernel, geo: [...rows.flat(), ...o], outline: [...A, ...c, 1, 1, kernel === PLANE ? 0 : 1] };
}

/** Nearest entry beyond `near` of the ray (x, y, 1) into |M (p - c)| <= 1 per row (slab by slab), or null. */
function parallelepipedT(rows: Vec3[], c: Vec3, x: number, y: number, near = 0.05): number | null {
  let lo = -Infinity, hi = Infinity;
  for (const r of rows) {
    const slope = r[0] * x + r[1] * y + r[2], at0 = -(r[0] * c[0] + r[1] * c[1] + r[2] * c[2]);
    if (slope === 0) {
      if (Math.abs(at0) > 1) return null;
      continue;
    }
    lo = Math.max(lo, Math.min((-1 - at0) / slope, (1 - at0) / slope));
    hi = Math.min(hi, Math.max((-1 - at0) / slope, (1 - at0) / slope));
  }
  return lo <= hi && lo > near ? lo : null;
}

test('camera rays parallel to a box face or a plane (a direction component that rounds to exactly 0) hit or miss, never NaN', () => {
  torch.scope(() => {
    for (const dtype of ['float64', 'float32'] as const) {
      // Local z = (0, 1, -y1) is square to the rays of the second row (x, y1, 1): their local direction's z is
      // x 0 + (-y1 + TINY) + y1 1, which rounds to exactly 0 (TINY is lost next to y1). The box is 10 wide, its
      // front face (local y = -1) is square to (0, y1, 1) at depth D - 1 / (1 + y1^2) along those rays, and its
      // middle sits h off their line across z, where its half-thickness is 1 / |(0, 1, -y1)|.
      const y1 = dtype === 'float32' ? Math.fround(Y[1]) : Y[1], D = 6, k = 1 / (1 + y1 * y1);
      assert.equal(X[0] * 0 + (-y1 + 1e-30) + y1 * 1, 0, 'the direction rounds to 0');
      const centre = (h: number): Vec3 => [0, D * y1 + h * k, D - h * y1 * k];
      const tol = dtype === 'float32' ? 1e-5 : 1e-12;
      const finite = (got: ReturnType<typeof cast>, what: string) =>
        assert.ok(got.depth.every(Number.isFinite), `${dtype} ${what}: depths ${got.depth}`);
      const rows: [Vec3, Vec3, Vec3] = [[0.2, 0, 0], [0, y1, 1], [0, 1, -y1]];
      for (const h of [0.5, -0.5]) {
        // Inside the slab the parallel rays enter through the front face.
        const got = cast([fromRows(BOX, centre(h), rows)], 0.05, dtype);
        finite(got, `box h=${h}`);
        expectRays(got, (x, y) => (y === Y[1] ? D - k : parallelepipedT(rows, centre(h), x, y)), 0, tol);
      }
      const outside = cast([fromRows(BOX, centre(2), rows)], 0.05, dtype);
      finite(outside, 'box h=2');
      assert.deepEqual(outside.hit, Array(8).fill(0), 'a box beside the parallel rays is missed');
      // A plane 100 x 100 with that normal: the parallel rays never meet it; the first row's meet it where their
      // local z, t (y - y1) - h, is 0, if that is ahead.
      const planeRows: [Vec3, Vec3, Vec3] = [[0.02, 0, 0], [0, y1 / 50, 1 / 50], [0, 1, -y1]];
      const ahead = cast([fromRows(PLANE, centre(-0.5), planeRows)], 0.05, dtype);
      finite(ahead, 'plane h=-0.5');
      expectRays(ahead, (x, y) => (y === Y[1] ? null : -0.5 / (y - y1)), 0, tol);
      const behind = cast([fromRows(PLANE, centre(0.5), planeRows)], 0.05, dtype);
      finite(behind, 'plane h=0.5');
      assert.deepEqual(behind.hit, Array(8).fill(0), 'a plane met only behind the camera is missed');
    }
  });
});

test('street scene 940928642, whose ray (35, 12) is parallel to a box face in float32, renders finite depth, normals and colour', () => {
  torch.scope(() => {
    const out = render([streetScene(940928642, { width: 64, height: 32 })], RenderParams.defaults('street'));
    for (const [name, t] of Object.entries({ depth: out.depth, normals: out.normals, rgb: out.rgb })) {
      const bad = [...t.toTypedArray()].filter((v) => !Number.isFinite(v)).length;
      assert.equal(bad, 0, `${name}: ${bad} values are not finite`);
    }
  });
});

// Shadow scene (camera frame, y down): a ground square at y = 1 (primitive 0) and a ball of radius 0.5 at
// (0, -1, 5) (primitive 1). Block 0 holds four ground points; block 1 four points on top of the ball.
const ground = shape(PLANE, [0, 1, 5], [10, 10, 1], [[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
const ball = shape(QUADRIC, [0, -1, 5], [0.5, 0.5, 0.5]);
const up: Vec3 = [0, -1, 0];
const points: { p: Vec3; n: Vec3; prim: number; hit: number }[] = [
  { p: [0, 1, 5], n: up, prim: 0, hit: 1 }, // under the ball
  { p: [3, 1, 5], n: up, prim: 0, hit: 1 }, // in the open
  { p: [0, 0, 0], n: [0, 0, 0], prim: -1, hit: 0 }, // a miss
  { p: [0.2, 1, 5.1], n: up, prim: 0, hit: 1 }, // under the ball
  ...[[0, -1.5, 5], [0.1, -1.49, 5], [-0.1, -1.49, 5], [0, -1.49, 4.9]].map((p) => {
    const n = [p[0], p[1] + 1, p[2] - 5], l = Math.hypot(...n);
    return { p: p as Vec3, n: n.map((v) => v / l) as Vec3, prim: 1, hit: 1 };
  }),
];

function surface(dtype: torch.DType = 'float64'): ShadowSurface {
  const plane = (f: (q: (typeof points)[number]) => number) => torch.tensor(Float64Array.from(points, f), { dtype });
  return {
    position: [0, 1, 2].map((i) => plane((q) => q.p[i])) as [Tensor, Tensor, Tensor],
    normal: [0, 1, 2].map((i) => plane((q) => q.n[i])) as [Tensor, Tensor, Tensor],
    depth: plane((q) => q.p[2]), hit: plane((q) => q.hit), prim: torch.tensor(Float64Array.from(points, (q) => q.prim)).to('int64'),
  };
}

const shadowPrims = (list: Prim[], sizes: Vec3[]) => ({
  ...prims(list), size: torch.tensor(Float64Array.from(sizes.flat()), { shape: [list.length, 3], dtype: 'float64' }),
  casters: torch.tensor(Int32Array.from(list.map((_, i) => i)), { shape: [1, list.length] }),
});
const sizes: Vec3[] = [[10, 10, 1], [0.5, 0.5, 0.5]];

/** A directional light's tensors, with the casters' boxes in its frame worked out by hand. */
function directional(dir: Vec3) {
  const frame = lightFrame(dir);
  const boxes = new Float64Array(2 * 3 * 2);
  const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  frame.forEach((e, axis) => {
    boxes[axis * 2 + 0] = dot([0, 1, 5], e); // ground centre
    boxes[axis * 2 + 1] = dot([0, -1, 5], e); // ball centre
    boxes[(3 + axis) * 2 + 0] = 10 * Math.abs(e[0]) + 10 * Math.abs(e[2]); // ground half-extents along x and z
    boxes[(3 + axis) * 2 + 1] = 0.5 * (Math.abs(e[0]) + Math.abs(e[1]) + Math.abs(e[2]));
  });
  return {
    direction: torch.tensor(Float64Array.from(dir), { shape: [1, 3], dtype: 'float64' }),
    frames: torch.tensor(Float64Array.from(frame.flat()), { shape: [1, 3, 3], dtype: 'float64' }),
    boxes: torch.tensor(boxes, { shape: [1, 2, 3, 2], dtype: 'float64' }),
  };
}

test('shadow rays: a ball shades the ground beneath it from a light overhead, not the ground beside it, nor itself', () => {
  torch.scope(() => {
    const lit = (light: Parameters<typeof castShadowRays>[2]) =>
      [...castShadowRays(shadowPrims([ground, ball], sizes), surface(), light, 4).toTypedArray()].map(Number);
    const sun = lit(directional(up));
    assert.deepEqual([sun[0], sun[1], sun[3]], [0, 1, 0]);
    assert.deepEqual(sun.slice(4), [1, 1, 1, 1], 'rays starting on the ball are not blocked by the ball');
    // A low sun from +x: the ray from (0.2, 1, 5.1) towards it passes far from the ball, so that point is lit.
    const low = lit(directional([Math.SQRT1_2, -Math.SQRT1_2, 0]));
    assert.deepEqual([low[0], low[1], low[3]], [1, 1, 1]);
    // A point light above the ball shades the ground beneath it; one between the ball and the ground does not.
    const point = (p: Vec3) => lit({ position: torch.tensor(Float64Array.from(p), { shape: [1, 3], dtype: 'float64' }) });
    const above = point([0, -4, 5]);
    assert.deepEqual([above[0], above[1], above[3]], [0, 1, 0]);
    const below = point([0, 0, 5]);
    assert.deepEqual([below[0], below[1], below[3]], [1, 1, 1], 'the ball is beyond the light');
  });
});

test('shadow rays: the same answers in float32', () => {
  torch.scope(() => {
    const s = surface('float32');
    const p = shadowPrims([ground, ball], sizes);
    const p32 = { ...p, geometry: p.geometry.to('float32'), size: p.size.to('float32') };
    const light = directional(up);
    const lit = castShadowRays(p32, s, { direction: light.direction.to('float32'), frames: light.frames.to('float32'), boxes: light.boxes.to('float32') }, 4);
    const v = [...lit.toTypedArray()].map(Number);
    assert.deepEqual([v[0], v[1], v[3], ...v.slice(4)], [0, 1, 0, 1, 1, 1, 1]);
  });
});

test('bad arguments are JS Errors naming the argument, never a crash', () => {
  torch.scope(() => {
    const good = prims([ball]);
    const rays = cameraRayAxes(grid, [K], 'float64');
    const camera = (p: Partial<typeof good>, r = rays, near = 0.05) => castCameraRays({ ...good, ...p }, [K], grid, r, near);
    assert.throws(() => camera({ geometry: good.geometry.to('int32') }), /geometry must be float32 or float64/);
    assert.throws(() => camera({ geometry: good.geometry.narrow(1, 0, 9) }), /geometry must have shape \[\*, 12\]/);
    assert.throws(() => camera({ kernels: good.kernels.to('int64') }), /kernels must be int32/);
    assert.throws(() => camera({ outline: good.outline.to('float32') }), /outline must be float64/);
    assert.throws(() => camera({ scene: torch.tensor(new Int32Array(2)) }), /scene must have shape \[1\]/);
    assert.throws(() => camera({}, { ...rays, y: rays.y.to('float32') }), /y must be float64/);
    assert.throws(() => camera({}, { ...rays, x: rays.x.narrow(1, 0, 3) }), /x must have shape \[1, 4\]/);
    assert.throws(() => camera({}, rays, NaN), /near must be a finite number/);
    // Indices out of range are caught in the addon.
    assert.throws(() => camera({ scene: torch.tensor(Int32Array.from([1])) }), /scene: entry 0 is out of range/);
    assert.throws(() => camera({ kernels: torch.tensor(Int32Array.from([7])) }), /unknown kernel 7/);

    const p = shadowPrims([ground, ball], sizes);
    const light = directional(up);
    assert.throws(() => castShadowRays(p, { ...surface(), hit: torch.ones([3], { dtype: 'float64' }) }, light, 4), /hit must have 8 elements/);
    assert.throws(() => castShadowRays(p, { ...surface(), prim: surface().prim.to('int32') }, light, 4), /prim must be int64/);
    assert.throws(() => castShadowRays(p, surface(), light, 3), /do not split into blocks of 3/);
    assert.throws(() => castShadowRays(p, surface(), { ...light, boxes: light.boxes.narrow(3, 0, 1) }, 4), /caster boxes must have shape \[1, 2, 3, 2\]/);
    assert.throws(() => castShadowRays({ ...p, casters: torch.tensor(Int32Array.from([0, 9]), { shape: [1, 2] }) }, surface(), light, 4), /casters: entry 1 is out of range/);
    assert.throws(() => castShadowRays(p, { ...surface(), prim: torch.tensor(Float64Array.from(points, () => 4)).to('int64') }, light, 4), /prim: entry 0 is out of range/);
  });
});
