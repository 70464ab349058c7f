// ShiftKit's library entry: the engine as `torch`, and each layer above it as a namespace.
export * as torch from './torch/index.js';
export * as io from './io/index.js';
export * as run from './run/index.js';
export * as render from './render/index.js';
export { DataLoader } from './data/loader.js';
export { ZipLoader } from './data/zip.js';
export { Cityscapes } from './data/datasets/cityscapes.js';
export { GTA5 } from './data/datasets/gta5.js';
export { Synthia } from './data/datasets/synthia.js';
export { ImageFolder } from './data/datasets/image_folder.js';
export { compose as composeTransforms } from './data/transforms.js';
export { segMethod } from './methods/seg/index.js';
