// torch.optim: optimizers, learning-rate schedulers and weight averaging.
export { Optimizer, type BaseOptions, type ParamGroup, type ParamsArg, type ParamState, type OptimizerStateDict } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export * as lrScheduler from './lr_scheduler.js';
export { ExponentialMovingAverage, meanTeacherDecay, type NamedTensors } from './ema.js';
