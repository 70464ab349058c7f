// RenderParams: the rendering parameters θ. Every entry is named and bounded; the optimizer sees unconstrained
// tensors u and the renderer uses value = min + (max - min) sigmoid(u) (or its log-space twin
// exp(ln min + (ln max - ln min) sigmoid(u)) for scale-like entries), so gradient steps never leave the bounds. Saved as JSON with names, values in natural units, bounds, units and descriptions.
import { readFile } from 'node:fs/promises';
import * as torch from '../torch/index.js';
import type { DType, Tensor } from '../torch/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { defaultLook, lookValues, type Look } from './defaults.js';
import { paramSchema, type LightKind, type ParamSetup, type ParamSpec, type Shading } from './params_schema.js';

export const PARAMS_FORMAT = 'shiftkit-render-params';

export type ParamValue = number | number[];

export interface ParamsJSON {
  format: typeof PARAMS_FORMAT;
  version: 1;
  shading: Shading;
  materials: string[];
  lights: LightKind[];
  entries: Record<string, { value: ParamValue; min: number; max: number; unit: string; description: string }>;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

// The value's position in its range (in log space for 'log' entries), and its logit, clamped so that bound
// values stay finite.
const isLog = (s: ParamSpec) => s.spacing === 'log';
function toRaw(v: number, s: ParamSpec): number {
  const [x, lo, hi] = isLog(s) ? [Math.log(v), Math.log(s.min), Math.log(s.max)] : [v, s.min, s.max];
  const f = Math.min(Math.max((x - lo) / (hi - lo), 1e-12), 1 - 1e-12);
  return Math.log(f / (1 - f));
}

/** The unconstrained tensor for a natural value, after checking its shape and bounds. */
function rawTensor(s: ParamSpec, v: ParamValue, dtype: DType, where: string): Tensor {
  const flat = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(flat) || flat.length !== size(s.shape) || (s.shape.length === 0) !== (typeof v === 'number')) {
    throw new Error(`${where}: entry '${s.name}' must be ${s.shape.length === 0 ? 'a number' : `an array of ${size(s.shape)} numbers`}`);
  }
  for (const x of flat) {
    if (typeof x !== 'number' || !(x >= s.min && x <= s.max)) {
      throw new Error(`${where}: entry '${s.name}': value ${x} is outside [${s.min}, ${s.max}] ${s.unit}`);
    }
  }
  return torch.tensor(Float64Array.from(flat, (x) => toRaw(x, s)), { shape: s.shape, dtype });
}

export class RenderParams {
  private constructor(
    readonly setup: ParamSetup,
    readonly specs: ParamSpec[],
    private readonly raw: Tensor[],
  ) {}

  /** Parameters at the given natural values (checked against the bounds); `specs` default to the setup's schema. */
  static create(setup: ParamSetup, values: Record<string, ParamValue>, o: { specs?: ParamSpec[]; dtype?: DType; where?: string } = {}): RenderParams {
    const specs = o.specs ?? paramSchema(setup);
    const where = o.where ?? 'render params';
    const known = new Set(specs.map((s) => s.name));
    for (const name of Object.keys(values)) {
      if (!known.has(name)) throw new Error(`${where}: unknown entry '${name}' for this setup`);
    }
    const raw = specs.map((s) => {
      const v = values[s.name];
      if (v === undefined) throw new Error(`${where}: missing entry '${s.name}'`);
      return torch.keepTensor(rawTensor(s, v, o.dtype ?? 'float32', where).requiresGrad_(true));
    });
    return new RenderParams(setup, specs, raw);
  }

  /** The built-in empirical initial parameters for a scene kind ('street' or 'face'). */
  static defaults(kind = 'street', o: { shading?: Shading; dtype?: DType } = {}): RenderParams {
    return RenderParams.fromLook(defaultLook(kind), o.shading ?? 'phong', o.dtype);
  }

  static fromLook(look: Look, shading: Shading, dtype?: DType): RenderParams {
    const setup: ParamSetup = { shading, materials: look.materials.map((m) => m.name), lights: look.lights.map((l) => l.kind) };
    return RenderParams.create(setup, lookValues(look, shading), { dtype });
  }

  static fromJSON(json: unknown, o: { dtype?: DType; where?: string } = {}): RenderParams {
    const where = o.where ?? 'render params';
    const j = json as Partial<ParamsJSON>;
    if (!j || typeof j !== 'object' || j.format !== PARAMS_FORMAT) throw new Error(`${where}: format must be '${PARAMS_FORMAT}'`);
    if (j.version !== 1) throw new Error(`${where}: unsupported version ${String(j.version)}`);
    if (j.shading !== 'phong' && j.shading !== 'ggx') throw new Error(`${where}: shading must be 'phong' or 'ggx'`);
    if (!Array.isArray(j.materials) || !j.materials.every((m) => typeof m === 'string' && m.length > 0)) {
      throw new Error(`${where}: materials must be a list of names`);
    }
    if (!Array.isArray(j.lights) || !j.lights.every((l) => l === 'directional' || l === 'point')) {
      throw new Error(`${where}: lights must be a list of 'directional' or 'point'`);
    }
    if (!j.entries || typeof j.entries !== 'object') throw new Error(`${where}: entries missing`);
    const setup: ParamSetup = { shading: j.shading, materials: j.materials, lights: j.lights };
    const entries = j.entries;
    // Bounds come from the file, so a user can widen or narrow a range; they must still be ordered numbers.
    const specs = paramSchema(setup).map((s) => {
      const e = entries[s.name];
      if (!e) return s;
      if (typeof e.min !== 'number' || typeof e.max !== 'number' || !(e.min < e.max) || (s.spacing === 'log' && !(e.min > 0))) {
        throw new Error(`${where}: entry '${s.name}': min and max must be numbers with ${s.spacing === 'log' ? '0 < ' : ''}min < max`);
      }
      return { ...s, min: e.min, max: e.max };
    });
    const values = Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, e?.value as ParamValue]));
    return RenderParams.create(setup, values, { specs, dtype: o.dtype, where });
  }

  static async load(file: string, o: { dtype?: DType } = {}): Promise<RenderParams> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new Error(`Render parameter file not found: ${file}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`render params ${file}: not valid JSON (${(e as Error).message})`);
    }
    return RenderParams.fromJSON(json, { dtype: o.dtype, where: `render params ${file}` });
  }

  /** Writes the JSON atomically (temporary file, then rename). */
  save(file: string): void {
    writeFileAtomic(file, `${JSON.stringify(this.toJSON(), null, 2)}\n`);
  }

  toJSON(): ParamsJSON {
    const entries: ParamsJSON['entries'] = {};
    for (const s of this.specs) {
      const v = this.get(s.name);
      entries[s.name] = { value: v, min: s.min, max: s.max, unit: s.unit, description: s.description };
    }
    return { format: PARAMS_FORMAT, version: 1, ...this.setup, entries };
  }

  get dtype(): DType { return this.raw[0].dtype; }
  names(): string[] { return this.specs.map((s) => s.name); }
  spec(name: string): ParamSpec { return this.specs[this.indexOf(name)]; }

  /** The unconstrained leaf tensors, in `names()` order: what an optimizer updates. */
  parameters(): Tensor[] { return [...this.raw]; }

  /** An entry's value in natural units, differentiable with respect to its leaf. */
  value(name: string): Tensor {
    const i = this.indexOf(name);
    const s = this.specs[i];
    // exp can round a hair past a bound; the clamp only acts where sigmoid is saturated anyway.
    if (isLog(s)) return this.raw[i].sigmoid().mul(Math.log(s.max / s.min)).add(Math.log(s.min)).exp().clamp(s.min, s.max);
    return this.raw[i].sigmoid().mul(s.max - s.min).add(s.min);
  }

  /**
   * Several entries' values in natural units, flattened and concatenated in the given order: one vectorised
   * reparameterisation instead of one per entry (the shader reads every material's entries per render).
   */
  values(names: string[]): Tensor {
    const idx = names.map((n) => this.indexOf(n));
    const raw = torch.cat(idx.map((i) => this.raw[i].reshape(-1)));
    const per = (f: (s: ParamSpec) => number) => Float64Array.from(idx.flatMap((i) => {
      const s = this.specs[i];
      return new Array(size(s.shape)).fill(f(s));
    }));
    const vec = (a: Float64Array) => torch.tensor(a, { dtype: raw.dtype });
    const log = per((s) => (isLog(s) ? 1 : 0));
    const lo = vec(per((s) => (isLog(s) ? Math.log(s.min) : s.min)));
    const span = vec(per((s) => (isLog(s) ? Math.log(s.max / s.min) : s.max - s.min)));
    const x = raw.sigmoid().mul(span).add(lo);
    if (!log.some((v) => v === 1)) return x;
    // Log-spaced entries are exp of their interpolated logarithm (clamped as in value()).
    const isLogT = vec(log);
    return x.add(x.exp().sub(x).mul(isLogT)).maximum(vec(per((s) => s.min))).minimum(vec(per((s) => s.max)));
  }

  /**
   * An entry's current value as JavaScript numbers, within its bounds (a float32 value at a bound can round past
   * it, e.g. 0.1f > 0.1, which a saved file could then not be loaded with).
   */
  get(name: string): ParamValue {
    const s = this.spec(name);
    const v = Array.from(torch.noGrad(() => this.value(name).to('float64')).toTypedArray() as Float64Array, (x) => Math.min(Math.max(x, s.min), s.max));
    return s.shape.length === 0 ? v[0] : v;
  }

  /** Sets an entry's value (natural units) in place, keeping its leaf tensor. */
  set(name: string, value: ParamValue): void {
    const i = this.indexOf(name);
    torch.scope(() => torch.noGrad(() => { this.raw[i].copy_(rawTensor(this.specs[i], value, this.dtype, 'render params')); }));
  }

  /** The same entries over other unconstrained tensors (same shapes), e.g. for finite differences. */
  withRaw(raw: Tensor[]): RenderParams {
    if (raw.length !== this.raw.length) throw new Error(`withRaw: expected ${this.raw.length} tensors, got ${raw.length}`);
    raw.forEach((t, i) => {
      if (t.shape.join() !== this.raw[i].shape.join()) throw new Error(`withRaw: '${this.specs[i].name}' must have shape [${this.raw[i].shape}]`);
    });
    return new RenderParams(this.setup, this.specs, raw);
  }

  /** A detached copy whose leaves have the given dtype (float64 for gradient checks). */
  to(dtype: DType): RenderParams {
    const raw = this.raw.map((t) => torch.keepTensor(torch.noGrad(() => t.to(dtype).clone()).requiresGrad_(true)));
    return new RenderParams(this.setup, this.specs, raw);
  }

  dispose(): void { for (const t of this.raw) t.dispose(); }

  private indexOf(name: string): number {
    const i = this.specs.findIndex((s) => s.name === name);
    if (i < 0) throw new Error(`render params: no entry '${name}'`);
    return i;
  }
}
