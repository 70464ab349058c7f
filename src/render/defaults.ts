// Empirical initial parameters ("looks"): each scene kind's materials and lighting in natural units, and the
// conversion to RenderParams entry values.
import type { Vec3 } from './math.js';
import type { ParamValue } from './params.js';
import type { Shading } from './params_schema.js';
import { FACE_LOOK } from './scenes/face_look.js';
import { STREET_LOOK } from './scenes/street_look.js';

export interface MaterialLook {
  name: string;
  albedo: Vec3;
  specular: number;
  /** Blinn-Phong exponent. */
  shininess: number;
  /** GGX parameters. */
  roughness: number;
  metallic: number;
  textureContrast: number;
  textureScale: number;
}

export type LightLook = { kind: 'directional'; color: Vec3; intensity: number; azimuth: number; elevation: number }
  | { kind: 'point'; color: Vec3; intensity: number; position: Vec3 };

export interface Look {
  materials: MaterialLook[];
  lights: LightLook[];
  ambient: { color: Vec3; intensity: number };
  sky: { zenith: Vec3; horizon: Vec3 };
  fog: { density: number; color: Vec3 };
  camera: { exposure: number; gamma: number; vignetting: number; noise: number; blur: number };
}

const looks: Record<string, Look> = { street: STREET_LOOK, face: FACE_LOOK };

export function defaultLook(kind: string): Look {
  const look = looks[kind];
  if (!look) throw new Error(`no default render parameters for scene kind '${kind}' (known: ${Object.keys(looks).join(', ')})`);
  return look;
}

/** The entry values of a look for a shading model (entries of the other model are left out). */
export function lookValues(look: Look, shading: Shading): Record<string, ParamValue> {
  const v: Record<string, ParamValue> = {
    'ambient.color': look.ambient.color, 'ambient.intensity': look.ambient.intensity,
    'sky.zenith': look.sky.zenith, 'sky.horizon': look.sky.horizon,
    'fog.density': look.fog.density, 'fog.color': look.fog.color,
  };
  for (const [k, x] of Object.entries(look.camera)) v[`camera.${k}`] = x;
  look.lights.forEach((l, i) => {
    v[`light${i}.color`] = l.color;
    v[`light${i}.intensity`] = l.intensity;
    if (l.kind === 'directional') {
      v[`light${i}.azimuth`] = l.azimuth;
      v[`light${i}.elevation`] = l.elevation;
    } else {
      v[`light${i}.position`] = l.position;
    }
  });
  for (const m of look.materials) {
    const p = `material.${m.name}`;
    v[`${p}.albedo`] = m.albedo;
    v[`${p}.specular`] = m.specular;
    if (shading === 'phong') v[`${p}.shininess`] = m.shininess;
    else { v[`${p}.roughness`] = m.roughness; v[`${p}.metallic`] = m.metallic; }
    v[`${p}.textureContrast`] = m.textureContrast;
    v[`${p}.textureScale`] = m.textureScale;
  }
  return v;
}
