// Every rendering parameter θ against central finite differences in float64. For each entry, the autograd
// gradient of a weighted sum of the image's pixels with respect to its unconstrained tensor, projected on a fixed
// uneven direction, must match the central difference along that direction (two renders per entry instead of
// two per element). The swatch scene shows every material, the sky and shadows, so every entry has a gradient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/torch/index.js';
import { cameraFromYawPitch, lensFromFov } from '../src/render/camera.js';
import { defaultLook } from '../src/render/defaults.js';
import { deg, type Vec3 } from '../src/render/math.js';
import { RenderParams } from '../src/render/params.js';
import type { Shading } from '../src/render/params_schema.js';
import { primitive, type Primitive, type PrimitiveKind } from '../src/render/primitives.js';
import { render } from '../src/render/render.js';
import { sceneOf } from './helpers/render.js';

/** Material 0 on the ground; the others on a wall of mixed shapes 5 m away, 3 rows x 7, with sky around. */
function swatches(materials: number): Primitive[] {
  const kinds: PrimitiveKind[] = ['box', 'sphere', 'cylinder', 'ellipsoid'];
  const prims = [primitive('plane', [0, 10, 0], [20, 20, 0], { classId: 0, material: 0 })];
  for (let m = 1; m < materials; m++) {
    const col = (m - 1) % 7, row = Math.floor((m - 1) / 7);
    const centre: Vec3 = [(col - 3) * 0.85, 5, 0.45 + row * 0.75];
    const size: Vec3 = kinds[m % 4] === 'sphere' ? [0.36, 0.36, 0.36] : [0.34, 0.3, 0.34];
    prims.push(primitive(kinds[m % 4], centre, size, { classId: 13, instanceId: m, material: m, yaw: 0.3 * m }));
  }
  return prims;
}

function check(kind: string, shading: Shading): void {
  torch.scope(() => {
    const look = defaultLook(kind);
    // The sun behind the camera (so the swatches show highlights), a fog thick enough to matter at these
    // distances, and more blur and noise than the defaults.
    const lights = look.lights.map((l) => (l.kind === 'directional' ? { ...l, azimuth: -160, elevation: 35 } : l));
    const tuned = { ...look, lights, fog: { ...look.fog, density: 0.02 }, camera: { ...look.camera, noise: 0.02, blur: 0.7 } };
    const params = RenderParams.fromLook(tuned, shading, 'float64');
    const camera = cameraFromYawPitch(lensFromFov(32, 16, 70), [0, 0, 1.2], 0, deg(-3));
    const scenes = [sceneOf(camera, swatches(look.materials.length), tuned)];
    const raws = params.parameters().map((t) => t.detach());
    const image = (...xs: torch.Tensor[]) => render(scenes, params.withRaw(xs), { shadows: true }).rgb;

    const weights = torch.linspace(0.5, 1.5, 32 * 16 * 3, { dtype: 'float64' }).view(1, 3, 16, 32);
    const objective = (xs: torch.Tensor[]) => image(...xs).mul(weights).sum();
    const leaves = raws.map((t) => t.clone().requiresGrad_(true));
    const grads = torch.autograd.grad(objective(leaves), leaves, { allowUnused: true });
    params.names().forEach((name, i) => {
      const g = grads[i];
      // Every entry must reach the image, or its check would pass vacuously.
      assert.ok(g !== null && (g.abs().max().item() as number) > 1e-9, `${kind}/${shading}: '${name}' does not reach the image`);
      const n = raws[i].numel();
      const dir = torch.tensor(Float64Array.from({ length: n }, (_, k) => 1 - 0.37 * k), { shape: raws[i].shape });
      const at = (s: number) => torch.noGrad(() => objective(raws.map((t, k) => (k === i ? t.add(dir.mul(s)) : t))).item());
      const numeric = (eps: number) => (at(eps) - at(-eps)) / (2 * eps);
      const analytic = g.mul(dir).sum().item();
      const agrees = (eps: number, atol: number) => {
        const n = numeric(eps);
        return Math.abs(analytic - n) <= atol + 1e-5 * Math.abs(n) ? null : n;
      };
      // Bilinear texture lookups have kinks at lattice lines; a step that straddles one is retried 10x smaller
      // (with more room for rounding).
      const miss = agrees(1e-6, 1e-6) === null ? null : agrees(1e-7, 1e-5);
      assert.ok(miss === null, `${kind}/${shading}: '${name}': autograd ${analytic}, finite differences ${miss}`);
    });
    params.dispose();
  });
}

test('gradcheck: street parameters, Blinn-Phong, directional sun', () => check('street', 'phong'));
test('gradcheck: face parameters, GGX, directional and point light', () => check('face', 'ggx'));
