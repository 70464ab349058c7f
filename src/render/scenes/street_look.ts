// Street scenes' materials and their empirical initial parameters: a sunny day, mildly hazy.
import type { Look, MaterialLook } from '../defaults.js';
import type { Vec3 } from '../math.js';

const m = (name: string, albedo: Vec3, o: Partial<Omit<MaterialLook, 'name' | 'albedo'>> = {}): MaterialLook => ({
  name, albedo, specular: 0.1, shininess: 16, roughness: 0.7, metallic: 0.02, textureContrast: 0.3, textureScale: 1, ...o,
});

export const STREET_LOOK: Look = {
  materials: [
    m('road', [0.2, 0.2, 0.21], { textureContrast: 0.35, textureScale: 2, specular: 0.05, shininess: 8 }),
    m('marking', [0.8, 0.8, 0.76], { textureContrast: 0.2, textureScale: 4 }),
    m('sidewalk', [0.45, 0.43, 0.4], { textureContrast: 0.3, textureScale: 1.5 }),
    m('building', [0.55, 0.5, 0.45], { textureContrast: 0.3, textureScale: 0.6 }),
    m('window', [0.1, 0.12, 0.15], { specular: 0.5, shininess: 64, roughness: 0.15, textureContrast: 0.1 }),
    m('wall', [0.5, 0.48, 0.44], { textureContrast: 0.35, textureScale: 1.2 }),
    m('fence', [0.38, 0.35, 0.3], { textureContrast: 0.3, textureScale: 3 }),
    m('pole', [0.4, 0.41, 0.43], { specular: 0.3, shininess: 32, roughness: 0.4, metallic: 0.6, textureContrast: 0.1 }),
    m('sign', [0.75, 0.75, 0.75], { specular: 0.3, shininess: 32, textureContrast: 0.05 }),
    m('lamp', [0.08, 0.08, 0.08], { specular: 0.3, shininess: 32, textureContrast: 0.05 }),
    m('foliage', [0.14, 0.28, 0.08], { textureContrast: 0.6, textureScale: 3 }),
    m('bark', [0.28, 0.2, 0.13], { textureContrast: 0.4, textureScale: 4 }),
    m('terrain', [0.3, 0.34, 0.14], { textureContrast: 0.45, textureScale: 1 }),
    m('skin', [0.62, 0.45, 0.36], { textureContrast: 0.05, textureScale: 5 }),
    m('cloth', [0.5, 0.5, 0.5], { textureContrast: 0.2, textureScale: 6 }),
    m('paint', [0.7, 0.7, 0.7], { specular: 0.5, shininess: 64, roughness: 0.3, textureContrast: 0.05, textureScale: 2 }),
    m('glass', [0.06, 0.07, 0.08], { specular: 0.8, shininess: 128, roughness: 0.1, textureContrast: 0.05 }),
    m('rubber', [0.05, 0.05, 0.05], { textureContrast: 0.1, textureScale: 5 }),
    m('metal', [0.55, 0.55, 0.57], { specular: 0.5, shininess: 48, roughness: 0.35, metallic: 0.9, textureContrast: 0.1 }),
  ],
  lights: [{ kind: 'directional', color: [0.98, 0.93, 0.86], intensity: 1.65, azimuth: 40, elevation: 40 }],
  ambient: { color: [0.62, 0.72, 0.95], intensity: 0.5 },
  sky: { zenith: [0.3, 0.5, 0.9], horizon: [0.8, 0.85, 0.92] },
  fog: { density: 0.002, color: [0.75, 0.8, 0.85] },
  camera: { exposure: 0, gamma: 2.2, vignetting: 0.25, noise: 0.01, blur: 0.4 },
};

export const STREET_MATERIALS: readonly string[] = STREET_LOOK.materials.map((x) => x.name);
