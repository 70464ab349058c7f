// What images can tell about the lighting and albedo parameters, for scoring parameter recovery. Diffuse
// radiance is albedo ⊙ (E_ambient + Σ_lights E_light cos shadow) with irradiances E = colour × intensity, so
//   (a) a light's colour and intensity act only through their product E;
//   (b) a per-channel gain g leaves every diffuse pixel unchanged when all albedos are multiplied by g and all
//       irradiances divided by it (a gauge symmetry; only the specular term, E ⊙ specular, is not invariant).
// Recovery is therefore scored on the quotient: the irradiances, albedos and fog density after the gain that
// best aligns the tuned values with θ* (the gain minimising the error), applied to the scored values only.
import { RenderParams } from '../../render/params.js';

export type Gain = [number, number, number];

/** The scored quantities: irradiance per light ('ambient', 'light0', ...), albedo per material, fog density. */
export interface Identifiable {
  irradiance: Record<string, number[]>;
  albedo: Record<string, number[]>;
  fogDensity: number;
}

const rgbOf = (p: RenderParams, name: string): number[] => p.get(name) as number[];
const lightNames = (p: RenderParams): string[] => ['ambient', ...p.setup.lights.map((_, i) => `light${i}`)];

/** The identifiable quantities of θ, for the given materials. */
export function identifiable(p: RenderParams, materials: string[]): Identifiable {
  const irradiance = Object.fromEntries(lightNames(p).map((l) => {
    const i = p.get(`${l}.intensity`) as number;
    return [l, rgbOf(p, `${l}.color`).map((c) => c * i)];
  }));
  const albedo = Object.fromEntries(materials.map((m) => [m, rgbOf(p, `material.${m}.albedo`)]));
  return { irradiance, albedo, fogDensity: p.get('fog.density') as number };
}

/** x under the gain g: albedos × g, irradiances / g (the same diffuse images). */
export function withGain(x: Identifiable, g: Gain): Identifiable {
  const map = (r: Record<string, number[]>, f: (v: number, c: number) => number) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.map(f)]));
  return { irradiance: map(x.irradiance, (v, c) => v / g[c]), albedo: map(x.albedo, (v, c) => v * g[c]), fogDensity: x.fogDensity };
}

const span = (p: RenderParams, name: string) => p.spec(name).max - p.spec(name).min;
const irradianceRange = (p: RenderParams, l: string) => p.spec(`${l}.color`).max * p.spec(`${l}.intensity`).max;
const albedoRange = (p: RenderParams, m: string) => span(p, `material.${m}.albedo`);

/**
 * Mean over the elements of |x - ref| / range, each quantity's range from θ's bounds: colour max × intensity
 * max for an irradiance, the albedo's and the fog density's own ranges.
 */
export function identifiableError(x: Identifiable, ref: Identifiable, p: RenderParams): number {
  let sum = 0, count = 0;
  const add = (a: number[], b: number[], range: number) => a.forEach((v, i) => { sum += Math.abs(v - b[i]) / range; count++; });
  for (const l of Object.keys(x.irradiance)) add(x.irradiance[l], ref.irradiance[l], irradianceRange(p, l));
  for (const m of Object.keys(x.albedo)) add(x.albedo[m], ref.albedo[m], albedoRange(p, m));
  add([x.fogDensity], [ref.fogDensity], span(p, 'fog.density'));
  return sum / count;
}

/**
 * The gain that minimises identifiableError(withGain(x, g), ref): the error is a sum of per-channel parts (fog
 * density does not depend on g), so each channel's gain is found by a 1-D search over ln g in [-3, 3] (steps of
 * 0.001, g = 1 included).
 */
export function aligningGain(x: Identifiable, ref: Identifiable, p: RenderParams): Gain {
  return [0, 1, 2].map((c) => {
    const channel = (g: number) => {
      let sum = 0;
      for (const l of Object.keys(x.irradiance)) sum += Math.abs(x.irradiance[l][c] / g - ref.irradiance[l][c]) / irradianceRange(p, l);
      for (const m of Object.keys(x.albedo)) sum += Math.abs(x.albedo[m][c] * g - ref.albedo[m][c]) / albedoRange(p, m);
      return sum;
    };
    let best = 1, bestError = channel(1);
    for (let k = -3000; k <= 3000; k++) {
      const g = Math.exp(k / 1000), e = channel(g);
      if (e < bestError) [best, bestError] = [g, e];
    }
    return best;
  }) as Gain;
}

/**
 * Applies the gain to θ in place (the materials' albedos × g, default every material's; every light's and the
 * ambient colour / g), moving a common factor into the intensity so that colours stay within their bounds.
 */
export function applyGain(p: RenderParams, g: Gain, materials = p.setup.materials): void {
  for (const m of materials) {
    const name = `material.${m}.albedo`;
    p.set(name, rgbOf(p, name).map((v, c) => v * g[c]));
  }
  for (const l of lightNames(p)) {
    const color = rgbOf(p, `${l}.color`).map((v, c) => v / g[c]);
    const scale = Math.max(1, ...color);
    p.set(`${l}.color`, color.map((v) => v / scale));
    p.set(`${l}.intensity`, (p.get(`${l}.intensity`) as number) * scale);
  }
}
