// torch.nn: the module system, layers and initialisers (`import * as nn from '.../torch/nn/index.js'`).
export { Module, type Layer, type LoadStateDictResult, type ModuleToOptions } from './module.js';
export { Conv2d, ConvTranspose2d, type Conv2dOptions, type ConvTranspose2dOptions, type ConvOptions, type PaddingMode } from './conv.js';
export { Linear, Identity } from './linear.js';
export { BatchNorm2d, type BatchNormOptions } from './batchnorm.js';
export { GroupNorm, LayerNorm } from './normalization.js';
export { Dropout, Dropout2d } from './dropout.js';
export { ReLU, LeakyReLU, GELU, Sigmoid, Tanh, SiLU } from './activation.js';
export { Flatten } from './flatten.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './pooling.js';
export { Upsample } from './upsampling.js';
export { Sequential, ModuleList, ModuleDict } from './container.js';
export * as init from './init.js';
