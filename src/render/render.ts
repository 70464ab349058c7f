// render(): a batch of scenes -> images and labels. Visibility (which surface each pixel sees, and shadows) is
// computed without autograd; shading, fog and the camera are differentiable in the parameters θ.
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import { kMatrix, poseMatrix, type Camera } from './camera.js';
import { boxesFromInstances, type Box } from './boxes.js';
import { compileScenes } from './compile.js';
import type { LightGeometry } from './shadow_culling.js';
import { visibility } from './gbuffer.js';
import { add, deg, matVec, type Vec3 } from './math.js';
import type { RenderParams } from './params.js';
import { applyCamera, applyFog } from './postprocess.js';
import type { Scene } from './primitives.js';
import { deriveSeed } from './random.js';
import { shade } from './shading.js';
import { tileGrid, tilesToImage } from './tiles.js';

export interface RenderOptions {
  /** Hard shadows from every light (default true). */
  shadows?: boolean;
  /** Nearest depth seen, metres (default 0.05). */
  near?: number;
}

export interface RenderOutput {
  /** [B, 3, H, W] in [0, 1], differentiable with respect to params.parameters(). */
  rgb: Tensor;
  /** [B, H, W] int64: class ids (Cityscapes trainIds in street scenes), the scene's missClass where nothing is hit. */
  semantic: Tensor;
  /** [B, H, W] int64: object instance ids, 0 for none. */
  instance: Tensor;
  /** [B, H, W] metres along the camera z axis, 0 where nothing is hit. */
  depth: Tensor;
  /** [B, 3, H, W] unit surface normals in the camera frame, 0 where nothing is hit. */
  normals: Tensor;
  boxes: Box[][];
  /** [B, 3, 3] intrinsics and [B, 4, 4] world -> camera poses. */
  K: Tensor;
  pose: Tensor;
}

function checkScenes(scenes: Scene[], params: RenderParams): void {
  if (scenes.length === 0) throw new Error('render: no scenes');
  const { width, height } = scenes[0].camera;
  const names = params.setup.materials;
  scenes.forEach((s, i) => {
    if (s.camera.width !== width || s.camera.height !== height) {
      throw new Error(`render: scene ${i} is ${s.camera.width}x${s.camera.height} but scene 0 is ${width}x${height}; a batch has one size`);
    }
    if (s.materials.length !== names.length || s.materials.some((m, k) => m !== names[k])) {
      throw new Error(`render: scene ${i} (${s.kind}) has materials [${s.materials.join(', ')}] but the parameters have [${names.join(', ')}]`);
    }
    s.primitives.forEach((p, k) => {
      const used = [p.material, ...(p.caps ?? []).map((c) => c.material)];
      if (used.some((m) => !(Number.isInteger(m) && m >= 0 && m < names.length))) {
        throw new Error(`render: scene ${i} primitive ${k} uses a material index outside 0..${names.length - 1}`);
      }
    });
  });
}

/** Where each light is, as seen from each camera (current θ values, detached). */
function shadowLights(params: RenderParams, cams: Camera[]): LightGeometry[] {
  return params.setup.lights.map((kind, i) => {
    if (kind === 'directional') {
      const az = deg(params.get(`light${i}.azimuth`) as number), el = deg(params.get(`light${i}.elevation`) as number);
      const world: Vec3 = [-Math.sin(az) * Math.cos(el), Math.cos(az) * Math.cos(el), Math.sin(el)];
      return { direction: cams.map((c) => matVec(c.R, world)) };
    }
    const p = params.get(`light${i}.position`) as Vec3;
    return { position: cams.map((c) => add(matVec(c.R, p), c.t)) };
  });
}

/** Standard-normal sensor noise [B, 3, H, W], seeded per scene and frame; the global generator is left as it was. */
function sensorNoise(scenes: Scene[], H: number, W: number, dtype: torch.DType): Tensor {
  const saved = torch.getRngState();
  try {
    return torch.stack(scenes.map((s) => {
      torch.manualSeed(deriveSeed(s.seed, `sensor-noise:${s.frame ?? 0}`));
      return torch.randn([3, H, W], { dtype });
    }));
  } finally {
    torch.setRngState(saved);
  }
}

/** Pixels per group of scenes rendered together: per-pixel temporaries stay cache-sized (tiles.ts, raycast.ts). */
const GROUP_PIXELS = 131072;

/** Renders scenes that share one image size; tensors in tile layout until the camera stage. */
type GroupOutput = Pick<RenderOutput, 'rgb' | 'semantic' | 'instance' | 'depth' | 'normals'>;

function renderGroup(scenes: Scene[], params: RenderParams, o: RenderOptions): GroupOutput {
  return torch.scope(() => {
    const dtype = params.dtype;
    const cams = scenes.map((s) => s.camera);
    const Ks = cams.map((c) => c.K);
    const grid = tileGrid(cams[0].width, cams[0].height);
    const g = visibility(compileScenes(scenes, dtype), Ks, grid, {
      missClass: scenes.map((s) => s.missClass),
      shadowLights: (o.shadows ?? true) ? shadowLights(params, cams) : [],
      near: o.near ?? 0.05,
    }, dtype);
    if (g.lit.length === 0) g.lit = params.setup.lights.map(() => torch.onesLike(g.hit));
    const radiance = applyFog(shade(g, params, cams), g.depth, g.hit, params.value('fog.density'), params.value('fog.color'));
    const image = tilesToImage(radiance, grid, [3]);
    return {
      rgb: applyCamera(image, params, Ks, sensorNoise(scenes, grid.height, grid.width, dtype)),
      semantic: tilesToImage(g.classId, grid), instance: tilesToImage(g.instance, grid), depth: tilesToImage(g.depth, grid),
      normals: tilesToImage(torch.stack(g.normal, 1), grid, [3]),
    };
  });
}

export function render(scenes: Scene[], params: RenderParams, o: RenderOptions = {}): RenderOutput {
  checkScenes(scenes, params);
  return torch.scope(() => {
    const { width, height } = scenes[0].camera;
    const per = Math.max(1, Math.floor(GROUP_PIXELS / (width * height)));
    const parts: GroupOutput[] = [];
    for (let i = 0; i < scenes.length; i += per) parts.push(renderGroup(scenes.slice(i, i + per), params, o));
    const join = (k: keyof GroupOutput) => (parts.length === 1 ? parts[0][k] : torch.cat(parts.map((p) => p[k])));
    const semantic = join('semantic'), instance = join('instance');
    const cams = scenes.map((s) => s.camera);
    const B = scenes.length, dtype = params.dtype;
    return {
      rgb: join('rgb'), semantic, instance, depth: join('depth'), normals: join('normals'),
      boxes: boxesFromInstances(instance, semantic),
      K: torch.tensor(Float64Array.from(cams.flatMap((c) => kMatrix(c.K))), { shape: [B, 3, 3], dtype }),
      pose: torch.tensor(Float64Array.from(cams.flatMap(poseMatrix)), { shape: [B, 4, 4], dtype }),
    };
  });
}
