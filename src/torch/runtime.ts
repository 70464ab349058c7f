// Threads, seeds, devices and memory statistics.
import os from 'node:os';
import { native } from './native.js';
import { Tensor } from './tensor.js';

// libtorch's OpenMP pool may start with one thread (it follows OMP_NUM_THREADS and the cgroup); PyTorch
// users expect every core available to the process unless they say otherwise.
if (process.env.OMP_NUM_THREADS === undefined) native.setNumThreads(os.availableParallelism());

export function setNumThreads(n: number): void { native.setNumThreads(n); }
export function getNumThreads(): number { return native.getNumThreads(); }
/** torch.manual_seed: seeds every generator so all random ops are reproducible. */
export function manualSeed(seed: number): void { native.manualSeed(seed); }
/** The CPU generator's state as a uint8 tensor (torch.get_rng_state). */
export function getRngState(): Tensor { return new Tensor(native.getRngState()); }
export function setRngState(state: Tensor): void { native.setRngState(state.handle); }
/** Live tensors and the bytes of their storages, as seen by the addon. */
export function memoryStats(): { liveTensors: number; liveBytes: number } { return native.memoryStats(); }
export function buildInfo(): { torchVersion: string; parallelInfo: string; hasCuda: boolean; hasMkldnn: boolean } {
  return native.buildInfo();
}

export const cuda = {
  isAvailable: (): boolean => native.cudaDeviceCount() > 0,
  deviceCount: (): number => native.cudaDeviceCount(),
};
