// The names, shapes, bounds, units and meanings of the rendering parameters θ for a given setup (shading model,
// material list, lights). Values live in RenderParams; defaults in defaults.ts.

export type Shading = 'phong' | 'ggx';
export type LightKind = 'directional' | 'point';

export interface ParamSetup {
  shading: Shading;
  /** Material names, in the order scenes index them. */
  materials: string[];
  lights: LightKind[];
}

export interface ParamSpec {
  name: string;
  /** [] for a scalar, [3] for a colour or position. */
  shape: number[];
  min: number;
  max: number;
  unit: string;
  description: string;
  /** 'log' spreads the optimizer's steps evenly over orders of magnitude (min must be > 0); default 'linear'. */
  spacing?: 'linear' | 'log';
}

const rgb = (name: string, max: number, description: string): ParamSpec =>
  ({ name, shape: [3], min: 0, max, unit: 'linear RGB', description });
const scalar = (name: string, min: number, max: number, unit: string, description: string): ParamSpec =>
  ({ name, shape: [], min, max, unit, description });

function lightSpecs(i: number, kind: LightKind): ParamSpec[] {
  const p = `light${i}`;
  const common = [
    rgb(`${p}.color`, 1, `Colour of ${kind} light ${i}`),
    kind === 'directional'
      ? scalar(`${p}.intensity`, 0, 10, 'relative', `Irradiance of directional light ${i} on a surface facing it`)
      : scalar(`${p}.intensity`, 0, 10, 'relative x m^2', `Intensity of point light ${i} (irradiance at 1 m, falling off as 1/d^2)`),
  ];
  if (kind === 'point') return [...common, { name: `${p}.position`, shape: [3], min: -50, max: 50, unit: 'm', description: `World position of point light ${i}` }];
  return [...common,
    scalar(`${p}.azimuth`, -180, 180, 'deg', `Direction towards light ${i}, counter-clockwise about world +z from +y`),
    scalar(`${p}.elevation`, 0, 90, 'deg', `Angle of light ${i} above the horizontal plane`)];
}

function materialSpecs(name: string, shading: Shading): ParamSpec[] {
  const p = `material.${name}`;
  const model = shading === 'phong'
    ? [{ ...scalar(`${p}.shininess`, 1, 512, 'exponent', `Blinn-Phong shininess of ${name}`), spacing: 'log' as const }]
    : [scalar(`${p}.roughness`, 0.05, 1, 'fraction', `GGX roughness of ${name} (alpha = roughness^2)`),
      scalar(`${p}.metallic`, 0, 1, 'fraction', `GGX metalness of ${name}`)];
  return [
    { name: `${p}.albedo`, shape: [3], min: 0, max: 1, unit: 'linear RGB', description: `Diffuse albedo of ${name}` },
    scalar(`${p}.specular`, 0, 1, 'fraction', shading === 'phong' ? `Blinn-Phong specular strength of ${name}`
      : `Specular reflectance of ${name} as a dielectric (F0 = 0.08 x specular)`),
    ...model,
    scalar(`${p}.textureContrast`, 0, 1, 'fraction', `Value-noise texture on ${name}: albedo x (1 - contrast x noise)`),
    { ...scalar(`${p}.textureScale`, 0.05, 500, '1/m', `Spatial frequency of the texture on ${name}`), spacing: 'log' },
  ];
}

export function paramSchema(setup: ParamSetup): ParamSpec[] {
  return [
    rgb('ambient.color', 1, 'Colour of the ambient light'),
    scalar('ambient.intensity', 0, 3, 'relative', 'Strength of the ambient light'),
    rgb('sky.zenith', 3, 'Radiance of rays that hit nothing, looking straight up'),
    rgb('sky.horizon', 3, 'Radiance of rays that hit nothing, looking at the horizon or below'),
    ...setup.lights.flatMap((k, i) => lightSpecs(i, k)),
    ...setup.materials.flatMap((m) => materialSpecs(m, setup.shading)),
    scalar('fog.density', 0, 0.1, '1/m', 'Fog extinction: a surface at depth d keeps exp(-density d) of its colour'),
    rgb('fog.color', 3, 'Radiance of the fog'),
    scalar('camera.exposure', -4, 4, 'EV', 'Exposure: radiance is multiplied by 2^exposure'),
    scalar('camera.gamma', 1, 3, 'exponent', 'Display gamma: the output is radiance^(1/gamma)'),
    scalar('camera.vignetting', 0, 1, 'fraction', 'Darkening 1 - v r^2, r = distance from the principal point / half diagonal'),
    scalar('camera.noise', 0, 0.1, 'linear', 'Standard deviation of Gaussian sensor noise'),
    scalar('camera.blur', 0.05, 3, 'px', 'Standard deviation of the Gaussian lens blur'),
  ];
}
