// Face scenes' materials and their empirical initial parameters: indoor light, a key light and a point fill.
import type { Look, MaterialLook } from '../defaults.js';
import type { Vec3 } from '../math.js';

const m = (name: string, albedo: Vec3, o: Partial<Omit<MaterialLook, 'name' | 'albedo'>> = {}): MaterialLook => ({
  name, albedo, specular: 0.1, shininess: 16, roughness: 0.6, metallic: 0.02, textureContrast: 0.1, textureScale: 20, ...o,
});

export const FACE_LOOK: Look = {
  materials: [
    m('skin', [0.62, 0.44, 0.36], { specular: 0.15, shininess: 12, roughness: 0.5, textureContrast: 0.12, textureScale: 15 }),
    m('sclera', [0.85, 0.82, 0.8], { specular: 0.6, shininess: 96, roughness: 0.15, textureContrast: 0.05 }),
    m('iris', [0.3, 0.18, 0.1], { specular: 0.6, shininess: 96, roughness: 0.15, textureContrast: 0.4, textureScale: 200 }),
    m('pupil', [0.02, 0.02, 0.02], { specular: 0.6, shininess: 96, roughness: 0.15, textureContrast: 0.05 }),
    m('hair', [0.12, 0.09, 0.07], { specular: 0.3, shininess: 24, roughness: 0.45, textureContrast: 0.5, textureScale: 60 }),
    m('lips', [0.55, 0.28, 0.27], { specular: 0.25, shininess: 24, roughness: 0.4, textureContrast: 0.1 }),
    m('brow', [0.12, 0.08, 0.06], { textureContrast: 0.4, textureScale: 120 }),
    m('cloth', [0.35, 0.35, 0.4], { textureContrast: 0.3, textureScale: 25 }),
    m('background', [0.55, 0.55, 0.55], { textureContrast: 0.3, textureScale: 3 }),
  ],
  lights: [
    { kind: 'directional', color: [0.98, 0.95, 0.9], intensity: 1.2, azimuth: -150, elevation: 30 },
    { kind: 'point', color: [0.88, 0.9, 0.97], intensity: 0.26, position: [-0.6, -0.8, 0.3] },
  ],
  ambient: { color: [0.9, 0.9, 0.95], intensity: 0.35 },
  sky: { zenith: [0.45, 0.45, 0.47], horizon: [0.5, 0.5, 0.5] },
  fog: { density: 0.001, color: [0.6, 0.6, 0.6] },
  camera: { exposure: 0, gamma: 2.2, vignetting: 0.2, noise: 0.01, blur: 0.5 },
};

export const FACE_MATERIALS: readonly string[] = FACE_LOOK.materials.map((x) => x.name);
