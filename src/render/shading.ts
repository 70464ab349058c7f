// Differentiable shading of a G-buffer with the parameters θ: ambient plus directional/point lights on
// Blinn-Phong or GGX (Cook-Torrance) materials with value-noise texture, and a sky gradient where rays escape.
// Works on any pixel layout [B, ...] (render() uses tiles) and returns linear radiance [B, 3, ...]; fog and the
// camera come after (postprocess.ts).
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import type { Camera } from './camera.js';
import type { GBuffer } from './gbuffer.js';
import type { RenderParams } from './params.js';
import { fbm } from './texture.js';

type V = [Tensor, Tensor, Tensor];

const dot = (a: V, b: V): Tensor => a[0].mul(b[0]).addcmul(a[1], b[1]).addcmul(a[2], b[2]);
const normalize = (a: V): V => {
  const inv = dot(a, a).clamp(1e-24, null).rsqrt();
  return [a[0].mul(inv), a[1].mul(inv), a[2].mul(inv)];
};

/** Unit vector towards a directional light in world coordinates (z up, azimuth from +y counter-clockwise). */
export function lightDirectionWorld(azimuthDeg: Tensor, elevationDeg: Tensor): V {
  const az = azimuthDeg.mul(Math.PI / 180), el = elevationDeg.mul(Math.PI / 180);
  const ce = el.cos();
  return [az.sin().neg().mul(ce), az.cos().mul(ce), el.sin()];
}

/** Per scene: world vector v (3 tensors of any shape broadcasting to []) rotated into each camera frame, [B, 1, 1] each. */
export function toCameraFrame(cams: Camera[], v: V, translate: boolean): V {
  const dtype = v[0].dtype;
  const R = torch.tensor(Float64Array.from(cams.flatMap((c) => c.R)), { shape: [cams.length, 3, 3], dtype });
  const w = torch.stack(v.map((x) => x.reshape([])));
  let r = R.matmul(w);
  if (translate) r = r.add(torch.tensor(Float64Array.from(cams.flatMap((c) => c.t)), { shape: [cams.length, 3], dtype }));
  return [0, 1, 2].map((i) => r.select(1, i).view(cams.length, 1, 1)) as V;
}

/**
 * Per-pixel material properties: one table [materials, 3 + fields] of values (one vectorised reparameterisation),
 * read per pixel by the material map. Each field is gathered into a tensor of its own (the engine reports each
 * tensor's whole storage to V8, so views of one big gather would look like many copies). Returns the fields'
 * [B, ...] planes and the albedo as [B, 3, ...].
 */
function materialPlanes(params: RenderParams, fields: string[], material: Tensor): { albedo: Tensor; plane: Record<string, Tensor> } {
  const { materials } = params.setup;
  const names = materials.flatMap((m) => [`material.${m}.albedo`, ...fields.map((f) => `material.${m}.${f}`)]);
  const table = params.values(names).view(materials.length, 3 + fields.length);
  const idx = material.flatten();
  const plane = Object.fromEntries(fields.map((f, i) => [f, table.select(1, 3 + i).indexSelect(0, idx).view(material.shape)]));
  const n = material.ndim;
  const albedo = table.narrow(1, 0, 3).indexSelect(0, idx).view(...material.shape, 3)
    .permute(0, n, ...Array.from({ length: n - 1 }, (_, i) => i + 1));
  return { albedo, plane };
}

const rgb = (t: Tensor): Tensor => t.view(1, 3, 1, 1);
const plane = (t: Tensor): Tensor => t.unsqueeze(1);

export function shade(g: GBuffer, params: RenderParams, cams: Camera[]): Tensor {
  return torch.scope(() => {
    const { lights, shading } = params.setup;
    const phong = shading === 'phong';
    const fields = ['specular', ...(phong ? ['shininess'] : ['roughness', 'metallic']), 'textureContrast', 'textureScale'];
    const { albedo: base, plane: mat } = materialPlanes(params, fields, g.material);

    const albedo = torch.scope(() => {
      const tex = fbm(...([0, 1, 2].map((i) => g.texCoord[i].mul(mat.textureScale).add(g.texOffset[i]))) as V);
      return base.mul(torch.stack(g.tint, 1)).mul(plane(mat.textureContrast.mul(tex).rsub(1)));
    });

    const n = g.normal;
    const view = g.rayDir.map((x) => x.neg()) as V;
    const ndv = dot(n, view).clamp(1e-4, null);
    const specular = mat.specular;
    const shininess = phong ? mat.shininess : null;
    const roughness = phong ? null : mat.roughness;
    const metallic = phong ? null : mat.metallic;
    // Schlick F0: 0.08 x specular for dielectrics, the albedo for metals.
    const dielectric = plane(specular.mul(0.08));
    const f0 = metallic ? dielectric.add(albedo.sub(dielectric).mul(plane(metallic))) : null;

    let irradiance = rgb(params.value('ambient.color').mul(params.value('ambient.intensity')));
    let glossy: Tensor | null = null;
    lights.forEach((kind, i) => {
      // A scope per light frees its temporaries at once (fewer garbage collections triggered by native memory).
      const [incoming, s] = torch.scope(() => {
        const p = `light${i}`;
        let l: V;
        let strength = rgb(params.value(`${p}.color`).mul(params.value(`${p}.intensity`)));
        if (kind === 'directional') {
          l = toCameraFrame(cams, lightDirectionWorld(params.value(`${p}.azimuth`), params.value(`${p}.elevation`)), false);
        } else {
          const pos = params.value(`${p}.position`);
          const at = toCameraFrame(cams, [pos.select(0, 0), pos.select(0, 1), pos.select(0, 2)], true);
          const toLight = [0, 1, 2].map((k) => at[k].sub(g.position[k])) as V;
          strength = strength.mul(plane(dot(toLight, toLight).clamp(1e-6, null).reciprocal()));
          l = normalize(toLight);
        }
        const ndl = dot(n, l);
        const cosine = ndl.relu().mul(g.lit[i]);
        const h = normalize([l[0].add(view[0]), l[1].add(view[1]), l[2].add(view[2])]);
        const ndh = dot(n, h).clamp(1e-6, 1);
        if (phong) {
          const lit = ndl.sign().relu().mul(g.lit[i]);
          return [strength.mul(plane(cosine)), strength.mul(plane(specular.mul(ndh.pow(shininess!)).mul(lit)))];
        }
        // Cook-Torrance: GGX distribution, Smith-Schlick geometry (k = (r + 1)^2 / 8), Schlick Fresnel; x pi so that
        // the diffuse convention (albedo x cos) matches Lambert's albedo / pi under irradiance pi.
        const a2 = roughness!.pow(4);
        const dDen = ndh.mul(ndh).mul(a2.sub(1)).add(1);
        const D = a2.div(dDen.mul(dDen).mul(Math.PI));
        const k = roughness!.add(1).pow(2).div(8);
        const ndlc = ndl.clamp(1e-4, null);
        const G = ndlc.div(ndlc.mul(k.rsub(1)).add(k)).mul(ndv.div(ndv.mul(k.rsub(1)).add(k)));
        const vdh = dot(view, h).clamp(0, 1);
        const F = f0!.add(f0!.rsub(1).mul(plane(vdh.rsub(1).pow(5))));
        const brdf = D.mul(G).div(ndlc.mul(ndv).mul(4)).mul(Math.PI);
        return [strength.mul(plane(cosine)), strength.mul(F).mul(plane(brdf.mul(cosine)))];
      });
      irradiance = irradiance.add(incoming);
      glossy = glossy ? glossy.add(s) : s;
    });
    const diffuse = metallic ? albedo.mul(plane(metallic.rsub(1))) : albedo;
    let surface = diffuse.mul(irradiance);
    if (glossy) surface = surface.add(glossy);

    // Sky: horizon colour blending into the zenith colour with the ray's elevation.
    // World up in each camera frame is the third column of R.
    const up = [2, 5, 8].map((k) => torch.tensor(Float64Array.from(cams, (c) => c.R[k]), { shape: [cams.length, 1, 1], dtype: n[0].dtype })) as V;
    const elevation = plane(dot(g.rayDir, up).clamp(0, 1).sqrt());
    const horizon = rgb(params.value('sky.horizon'));
    const sky = horizon.add(rgb(params.value('sky.zenith')).sub(horizon).mul(elevation));
    const hit = plane(g.hit);
    return surface.mul(hit).add(sky.mul(hit.rsub(1)));
  });
}
