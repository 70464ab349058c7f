// ShiftKit's library entry: the engine as `torch`.
export * as torch from './torch/index.js';
