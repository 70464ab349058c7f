// Image files, tensors and drawings for reports and `predict`.
export * from './image.js';
export * from './palette.js';
export * from './colormap.js';
export * from './draw.js';
export { toRgb8, toPlane, type Plane } from './pixels.js';
export { decodePngSamples, type PngSamples } from './png_indexed.js';
