// Loads the addon (native/) and describes what it exports. Everything else in src/torch goes through here.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** A live tensor in the addon's table: slot index plus generation (see native/src/handle.h). */
export type Handle = number;

export interface NativeAddon {
  dispose(h: Handle): void;
  isLive(h: unknown): boolean;
  memoryStats(): { liveTensors: number; liveBytes: number };
  opHandle(name: string, overload: string): number;
  call(id: number, ...args: unknown[]): unknown;
  schema(id: number): string;
  binary(code: number, a: Handle, b: Handle): Handle;
  unary(code: number, a: Handle): Handle;
  binaryNames: string[];
  unaryNames: string[];
  backward(tensors: Handle[], grads: (Handle | null)[] | null, retainGraph: boolean | undefined, createGraph: boolean,
    inputs: Handle[] | undefined): void;
  grad(outputs: Handle[], inputs: Handle[], gradOutputs: (Handle | null)[] | null, retainGraph: boolean | undefined,
    createGraph: boolean, allowUnused: boolean): (Handle | null)[];
  getGrad(h: Handle): Handle | null;
  setGrad(h: Handle, g: Handle | null): void;
  autogradInfo(h: Handle): { requiresGrad: boolean; isLeaf: boolean; gradFn: string | null };
  requiresGrad(h: Handle): boolean;
  setGradEnabled(enabled: boolean): boolean;
  isGradEnabled(): boolean;
  fromBuffer(data: ArrayBufferView | ArrayBuffer, shape: number[], dtype: number): Handle;
  toBuffer(h: Handle): ArrayBuffer;
  item(h: Handle): number | boolean;
  shape(h: Handle): number[];
  strides(h: Handle): number[];
  scalarType(h: Handle): number;
  device(h: Handle): string;
  dim(h: Handle): number;
  numel(h: Handle): number;
  isContiguous(h: Handle): boolean;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  manualSeed(seed: number): void;
  getRngState(): Handle;
  setRngState(h: Handle): void;
  cudaDeviceCount(): number;
  buildInfo(): { torchVersion: string; parallelInfo: string; hasCuda: boolean; hasMkldnn: boolean };
}

function load(): NativeAddon {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // src/torch -> repo root, whether running from src (ts) or dist/src (js).
  const candidates = [path.resolve(here, '../../native/build/Release/shiftkit.node'),
    path.resolve(here, '../../../native/build/Release/shiftkit.node')];
  const file = candidates.find((f) => existsSync(f));
  if (!file) {
    throw new Error('ShiftKit native addon is not built: run `npm run setup` (or `npm run build:native`)');
  }
  return createRequire(import.meta.url)(file) as NativeAddon;
}

export const native: NativeAddon = load();
