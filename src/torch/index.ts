// The engine's public API, PyTorch's names in camelCase: `import * as torch from 'shiftkit/torch'`.
export { Tensor, aten, type Scalar, type TensorOrScalar, type Shape } from './tensor.js';
export * from './dtype.js';
export * from './creation.js';
export * from './functions.js';
export * from './runtime.js';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd.js';
export * as autograd from './autograd.js';
export * as F from './functional.js';
export * as nn from './nn/index.js';
export * as ops from './ops/index.js';
export * as optim from './optim/index.js';
export * as safetensors from './safetensors.js';
export { scope, scope as tidy, keep as keepTensor } from './scope.js';
