// The renderer against closed forms: ray-primitive depths and normals, the Blinn-Phong / GGX shading of a known
// surface, fog, exposure, vignetting and gamma, the sky, hard shadows, and boxes from an instance map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import { cameraFromYawPitch, lensFromFov, type Camera } from '../src/render/camera.js';
import { boxesFromInstances } from '../src/render/boxes.js';
import { deg, matVec, normalize, rotX, rotZ, type Vec3 } from '../src/render/math.js';
import { applyBlur, SKY_DISTANCE } from '../src/render/postprocess.js';
import { primitive, sphere } from '../src/render/primitives.js';
import { render } from '../src/render/render.js';
import { at, material, neutralLook, paramsOf, sceneOf } from './helpers/render.js';

// 33 x 17 pixels: the principal point (16, 8) is a pixel centre, whose ray is the optical axis.
const lens = lensFromFov(33, 17, 60);
const f = lens.K.fx;
const look = neutralLook([material('a', [0.6, 0.5, 0.4]), material('b', [0.2, 0.7, 0.3])]);
const forward = cameraFromYawPitch(lens, [0, 0, 0], 0, 0); // looks along world +y; camera z = world y
const ray = (u: number, v: number): Vec3 => [(u - lens.K.cx) / f, (v - lens.K.cy) / f, 1];
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const close = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want}`);

function renderOne(camera: Camera, prims: ReturnType<typeof primitive>[], o: { shadows?: boolean; params?: ReturnType<typeof paramsOf> } = {}) {
  const params = o.params ?? paramsOf(look);
  return render([sceneOf(camera, prims, look)], params, { shadows: o.shadows ?? false });
}

/** Checks depth and camera-frame normal at pixel (u, v). */
function expectSurface(out: ReturnType<typeof render>, u: number, v: number, depth: number, normal: Vec3, what: string): void {
  close(at(out.depth, 0, v, u), depth, 1e-9, `${what} depth`);
  for (let i = 0; i < 3; i++) close(at(out.normals, 0, i, v, u), normal[i], 1e-7, `${what} normal[${i}]`);
}

test('sphere: depth and normal at the image centre and off-centre match ray-sphere intersection', () => {
  torch.scope(() => {
    const out = renderOne(forward, [sphere([0, 5, 0], 1, { classId: 13, instanceId: 7, material: 0 })]);
    expectSurface(out, 16, 8, 4, [0, 0, -1], 'centre');
    assert.equal(at(out.semantic, 0, 8, 16), 13);
    assert.equal(at(out.instance, 0, 8, 16), 7);
    const c: Vec3 = [0, 0, 5]; // the centre in camera coordinates
    for (const [u, v] of [[20, 6], [13, 11], [18, 9]]) {
      const d = ray(u, v);
      const b = dot(d, c), a = dot(d, d);
      const t = (b - Math.sqrt(b * b - a * (dot(c, c) - 1))) / a;
      const p: Vec3 = [t * d[0], t * d[1], t * d[2]];
      expectSurface(out, u, v, t, [p[0] - c[0], p[1] - c[1], p[2] - c[2]], `pixel ${u},${v}`);
    }
    // A pixel whose ray passes the sphere sees the sky.
    assert.equal(at(out.semantic, 0, 0, 0), 10);
    assert.equal(at(out.depth, 0, 0, 0), 0);
  });
});

test('plane: depth at a pixel from the ray-plane formula', () => {
  torch.scope(() => {
    const h = 1.5;
    const cam = cameraFromYawPitch(lens, [0.3, 0, h], deg(10), deg(-12));
    const out = renderOne(cam, [primitive('plane', [0, 40, 0], [30, 60, 0], { classId: 0, material: 0 })]);
    for (const [u, v] of [[16, 12], [3, 16], [30, 10], [20, 14]]) {
      const dw = matVec([cam.R[0], cam.R[3], cam.R[6], cam.R[1], cam.R[4], cam.R[7], cam.R[2], cam.R[5], cam.R[8]], ray(u, v));
      const t = -h / dw[2];
      // The plane's normal (world +z) in the camera frame is R's third column, facing the camera.
      expectSurface(out, u, v, t, [cam.R[2], cam.R[5], cam.R[8]], `pixel ${u},${v}`);
    }
  });
});

test('box, rotated box, cylinder and ellipsoid: depths and normals in closed form', () => {
  torch.scope(() => {
    const o = { classId: 2, material: 0 };
    let out = renderOne(forward, [primitive('box', [0.5, 6, 0.3], [1, 1, 1], o)]);
    expectSurface(out, 16, 8, 5, [0, 0, -1], 'box front face');
    // A box turned 45 degrees: right of centre the ray meets the face whose outward normal is rotZ(45) (0, -1, 0).
    out = renderOne(forward, [primitive('box', [0, 6, 0], [1, 1, 1], { ...o, yaw: deg(45) })]);
    const nw = matVec(rotZ(deg(45)), [0, -1, 0]);
    const nc: Vec3 = [nw[0], -nw[2], nw[1]]; // world -> camera for this camera: (x, -z, y)
    const centre: Vec3 = [0, 0, 6];
    const onFace: Vec3 = [centre[0] + nc[0], centre[1] + nc[1], centre[2] + nc[2]];
    for (const u of [18, 20]) {
      const d = ray(u, 8);
      expectSurface(out, u, 8, dot(nc, onFace) / dot(nc, d), nc, `rotated box at u=${u}`);
    }
    out = renderOne(forward, [primitive('cylinder', [0, 6, 0], [0.5, 0.5, 1], o)]);
    expectSurface(out, 16, 8, 5.5, [0, 0, -1], 'cylinder side');
    // The cap of a cylinder seen from above.
    const down = cameraFromYawPitch(lens, [0, 0, 5], 0, deg(-90));
    out = renderOne(down, [primitive('cylinder', [0, 0, 0], [0.5, 0.5, 1], o)]);
    expectSurface(out, 16, 8, 4, [0, 0, -1], 'cylinder cap');
    out = renderOne(forward, [primitive('ellipsoid', [0, 6, 0], [0.5, 2, 1], o)]);
    expectSurface(out, 16, 8, 4, [0, 0, -1], 'ellipsoid');
  });
});

// The expected linear colour of a surface point, computed here independently of the renderer's tensors.
function blinnPhong(o: { albedo: Vec3; ks: number; shininess: number; n: Vec3; p: Vec3; lights: { l: Vec3; e: Vec3 }[];
  ambient: Vec3 }): Vec3 {
  const v = normalize([-o.p[0], -o.p[1], -o.p[2]]);
  return [0, 1, 2].map((c) => {
    let diffuse = o.ambient[c], spec = 0;
    for (const { l, e } of o.lights) {
      const ndl = dot(o.n, l);
      if (ndl <= 0) continue;
      diffuse += e[c] * ndl;
      spec += e[c] * o.ks * Math.max(dot(o.n, normalize([l[0] + v[0], l[1] + v[1], l[2] + v[2]])), 0) ** o.shininess;
    }
    return o.albedo[c] * diffuse + spec;
  }) as Vec3;
}

const sunDir = (az: number, el: number): Vec3 => [-Math.sin(deg(az)) * Math.cos(deg(el)), Math.cos(deg(az)) * Math.cos(deg(el)), Math.sin(deg(el))];
const wall = (material = 0) => primitive('plane', [0, 5, 0], [20, 20, 0], { classId: 2, material, rotation: rotX(Math.PI / 2) });
const toCam = (w: Vec3): Vec3 => [w[0], -w[2], w[1]]; // world -> camera for `forward`

test('Lambert + ambient + Blinn-Phong of a wall lit by a directional and a point light, then fog and camera', () => {
  torch.scope(() => {
    const albedo: Vec3 = [0.5, 0.4, 0.3];
    const lookL = neutralLook([material('w', albedo, { specular: 0.3, shininess: 20 })], {
      lights: [{ kind: 'directional', color: [1, 0.9, 0.8], intensity: 0.6, azimuth: -150, elevation: 35 },
        { kind: 'point', color: [0.7, 0.8, 1], intensity: 2, position: [1, 2, 0.5] }],
    });
    const expectAt = (u: number, v: number): Vec3 => {
      const d = ray(u, v);
      const p: Vec3 = [5 * d[0], 5 * d[1], 5];
      const pl = toCam([1, 2, 0.5]);
      const toL: Vec3 = [pl[0] - p[0], pl[1] - p[1], pl[2] - p[2]];
      const d2 = dot(toL, toL);
      return blinnPhong({ albedo, ks: 0.3, shininess: 20, n: [0, 0, -1], p, ambient: [0.5 * 0.4, 0.6 * 0.4, 0.7 * 0.4],
        lights: [{ l: toCam(sunDir(-150, 35)), e: [0.6, 0.54, 0.48] },
          { l: normalize(toL), e: [1.4 / d2, 1.6 / d2, 2 / d2] }] });
    };
    let out = render([sceneOf(forward, [wall()], lookL)], paramsOf(lookL), { shadows: false });
    for (const [u, v] of [[16, 8], [4, 3], [28, 14]]) {
      const want = expectAt(u, v);
      for (let c = 0; c < 3; c++) close(at(out.rgb, 0, c, v, u), want[c], 1e-8, `rgb[${c}] at ${u},${v}`);
    }
    // Fog by depth, then exposure 2^ev, vignetting 1 - s r^2 and gamma.
    const [beta, ev, vig, gamma] = [0.05, 0.5, 0.3, 2.2];
    const fogged = neutralLook(lookL.materials, { lights: lookL.lights, fog: { density: beta, color: [0.6, 0.65, 0.7] },
      camera: { exposure: ev, gamma, vignetting: vig, noise: 0, blur: 0.05 } });
    out = render([sceneOf(forward, [wall()], fogged)], paramsOf(fogged), { shadows: false });
    for (const [u, v] of [[16, 8], [4, 3], [28, 14]]) {
      const c0 = expectAt(u, v);
      const keep = Math.exp(-beta * 5);
      const r2 = ((u - 16) ** 2 + (v - 8) ** 2) / ((33 * 33 + 17 * 17) / 4);
      for (let c = 0; c < 3; c++) {
        const lin = (c0[c] * keep + [0.6, 0.65, 0.7][c] * (1 - keep)) * 2 ** ev * (1 - vig * r2);
        close(at(out.rgb, 0, c, v, u), lin ** (1 / gamma), 1e-8, `fogged rgb[${c}] at ${u},${v}`);
      }
    }
  });
});

test('GGX (Cook-Torrance) shading of a wall in closed form', () => {
  torch.scope(() => {
    const albedo: Vec3 = [0.6, 0.3, 0.2];
    const [rough, metal, spec] = [0.4, 0.3, 0.5];
    const lookG = neutralLook([material('w', albedo, { specular: spec, roughness: rough, metallic: metal })], {
      lights: [{ kind: 'directional', color: [1, 1, 1], intensity: 1.2, azimuth: -160, elevation: 20 }],
    });
    const out = render([sceneOf(forward, [wall()], lookG)], paramsOf(lookG, 'ggx'), { shadows: false });
    for (const [u, v] of [[16, 8], [10, 5]]) {
      const d = ray(u, v);
      const view = normalize([-d[0], -d[1], -d[2]]);
      const n: Vec3 = [0, 0, -1], l = toCam(sunDir(-160, 20));
      const h = normalize([l[0] + view[0], l[1] + view[1], l[2] + view[2]]);
      const [nl, nv, nh, vh] = [dot(n, l), dot(n, view), dot(n, h), dot(view, h)];
      const a2 = rough ** 4;
      const D = a2 / (Math.PI * (nh * nh * (a2 - 1) + 1) ** 2);
      const k = (rough + 1) ** 2 / 8;
      const G = (nl / (nl * (1 - k) + k)) * (nv / (nv * (1 - k) + k));
      for (let c = 0; c < 3; c++) {
        const f0 = 0.08 * spec + (albedo[c] - 0.08 * spec) * metal;
        const F = f0 + (1 - f0) * (1 - vh) ** 5;
        const ambient = [0.5, 0.6, 0.7][c] * 0.4;
        const want = albedo[c] * (1 - metal) * (ambient + 1.2 * nl) + 1.2 * nl * Math.PI * (D * G * F) / (4 * nl * nv);
        close(at(out.rgb, 0, c, v, u), want, 1e-8, `ggx rgb[${c}] at ${u},${v}`);
      }
    }
  });
});

test('sky: rays that hit nothing take the horizon-to-zenith gradient, fogged at the sky distance', () => {
  torch.scope(() => {
    const cam = cameraFromYawPitch(lens, [0, 0, 0], 0, deg(20));
    const beta = 0.0005;
    const skyLook = neutralLook(look.materials, { fog: { density: beta, color: [0.9, 0.9, 0.9] } });
    const out = render([sceneOf(cam, [], skyLook)], paramsOf(skyLook), { shadows: false });
    const up: Vec3 = [cam.R[2], cam.R[5], cam.R[8]];
    for (const [u, v] of [[16, 8], [0, 16], [32, 0]]) {
      const d = normalize(ray(u, v));
      const s = Math.sqrt(Math.min(Math.max(dot(d, up), 0), 1));
      const keep = Math.exp(-beta * SKY_DISTANCE);
      for (let c = 0; c < 3; c++) {
        const sky = skyLook.sky.horizon[c] + (skyLook.sky.zenith[c] - skyLook.sky.horizon[c]) * s;
        close(at(out.rgb, 0, c, v, u), sky * keep + 0.9 * (1 - keep), 1e-8, `sky rgb[${c}] at ${u},${v}`);
      }
    }
  });
});

test('hard shadows: ground points whose ray to the light meets the sphere get ambient light only', () => {
  torch.scope(() => {
    const albedo: Vec3 = [0.5, 0.5, 0.5];
    const shadowLook = neutralLook([material('g', albedo)], {
      lights: [{ kind: 'directional', color: [1, 1, 1], intensity: 1, azimuth: 0, elevation: 60 }] });
    const cam = cameraFromYawPitch(lens, [0, 0, 2], 0, deg(-35));
    const ball: Vec3 = [0, 6, 1.2];
    const prims = [primitive('plane', [0, 10, 0], [20, 20, 0], { classId: 0, material: 0 }),
      sphere(ball, 0.6, { classId: 13, instanceId: 1, material: 0 })];
    const out = render([sceneOf(cam, prims, shadowLook)], paramsOf(shadowLook), { shadows: true });
    const L = sunDir(0, 60);
    const ambient = 0.5 * 0.4;
    let shadowed = 0, lit = 0;
    for (let v = 0; v < 17; v++) {
      for (let u = 0; u < 33; u++) {
        if (at(out.semantic, 0, v, u) !== 0) continue;
        // The ground point in world coordinates, and whether its ray towards the light meets the sphere.
        const depth = at(out.depth, 0, v, u);
        const dc = ray(u, v);
        const pc: Vec3 = [dc[0] * depth, dc[1] * depth, depth];
        const R = cam.R;
        const pw: Vec3 = [0, 1, 2].map((i) => R[i] * pc[0] + R[3 + i] * pc[1] + R[6 + i] * pc[2] + [0, 0, 2][i]) as Vec3;
        const w: Vec3 = [ball[0] - pw[0], ball[1] - pw[1], ball[2] - pw[2]];
        const s = dot(w, L);
        const inShadow = s > 0 && dot(w, w) - s * s < 0.36;
        const margin = Math.abs(Math.sqrt(Math.max(dot(w, w) - s * s, 0)) - 0.6);
        if (margin < 0.05) continue; // too close to the shadow's edge to call
        const want = albedo[0] * (ambient + (inShadow ? 0 : L[2]));
        close(at(out.rgb, 0, 0, v, u), want, 1e-7, `ground at ${u},${v} (${inShadow ? 'shadow' : 'lit'})`);
        if (inShadow) shadowed++; else lit++;
      }
    }
    assert.ok(shadowed > 5 && lit > 20, `the view holds both shadow (${shadowed}) and light (${lit})`);
  });
});

test('Gaussian blur of an impulse is the normalised Gaussian', () => {
  torch.scope(() => {
    const img = torch.zeros([1, 3, 21, 21], { dtype: 'float64' });
    img.indexPut_([torch.tensor([0]).long(), torch.tensor([1]).long(), torch.tensor([10]).long(), torch.tensor([10]).long()],
      torch.tensor([1], { dtype: 'float64' }));
    const sigma = 1.3;
    const out = applyBlur(img, torch.tensor(sigma, { dtype: 'float64' }));
    // The kernel reaches ceil(3 sigma) = 4 pixels.
    const w = Array.from({ length: 9 }, (_, k) => Math.exp(-((k - 4) ** 2) / (2 * sigma * sigma)));
    const sum = w.reduce((a, b) => a + b, 0);
    for (const [y, x] of [[10, 10], [10, 12], [8, 13], [14, 10], [6, 10]]) {
      close(at(out, 0, 1, y, x), (w[y - 6] / sum) * (w[x - 6] / sum), 1e-12, `blur at ${y},${x}`);
    }
    close(at(out, 0, 1, 10, 15), 0, 0, 'nothing beyond the kernel');
    close(at(out, 0, 0, 10, 10), 0, 0, 'other channels untouched');
  });
});

test('boxes from an instance map: tight pixel-edge boxes, majority class, sorted by id', () => {
  torch.scope(() => {
    // 2 images of 4 x 6; instance 3 (classes 13, 13, 14) and instance 1 (class 11) in image 0, none in image 1.
    const inst = torch.tensor(Int32Array.from([
      0, 0, 0, 0, 0, 0,
      0, 3, 3, 0, 0, 1,
      0, 0, 3, 0, 0, 1,
      0, 0, 0, 0, 0, 0,
      ...new Array(24).fill(0)]), { shape: [2, 4, 6] }).long();
    const sem = torch.tensor(Int32Array.from([
      10, 10, 10, 10, 10, 10,
      10, 13, 13, 10, 10, 11,
      10, 10, 14, 10, 10, 11,
      0, 0, 0, 0, 0, 0,
      ...new Array(24).fill(0)]), { shape: [2, 4, 6] }).long();
    assert.deepEqual(boxesFromInstances(inst, sem), [[
      { x1: 5, y1: 1, x2: 6, y2: 3, classId: 11, instanceId: 1, pixels: 2 },
      { x1: 1, y1: 1, x2: 3, y2: 3, classId: 13, instanceId: 3, pixels: 3 },
    ], []]);
  });
});
