// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON header
// {name: {dtype, shape, data_offsets}, __metadata__?: {string: string}} padded with spaces to 8 bytes, then
// the tensors' bytes, C order, little-endian. Written byte for byte as the reference implementation writes it.
import fs from 'node:fs';
import os from 'node:os';
import { native } from './native.js';
import { Tensor } from './tensor.js';
import { dtypeCode, type DType } from './dtype.js';
import { scope } from './scope.js';
import { writeAtomic } from '../util/atomic.js';

// In the reference's Dtype enum order, which is its order of increasing alignment.
const formats: [string, DType, number][] = [
  ['BOOL', 'bool', 1], ['U8', 'uint8', 1], ['I8', 'int8', 1], ['I16', 'int16', 2], ['F16', 'float16', 2],
  ['BF16', 'bfloat16', 2], ['I32', 'int32', 4], ['F32', 'float32', 4], ['F64', 'float64', 8], ['I64', 'int64', 8],
];
const byName = new Map(formats.map(([name, dtype, size], rank) => [name, { dtype, size, rank }]));
const byDtype = new Map(formats.map(([name, dtype], rank) => [dtype, { name, rank }]));

// The reference refuses headers over 100 MB.
const maxHeader = 100_000_000;

export interface Safetensors {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

interface Entry { name: string; tensor: Tensor; format: string }

if (os.endianness() !== 'LE') throw new Error('safetensors: only little-endian machines are supported');

/** The header and the order of the tensors' bytes: by decreasing alignment, then by name, as the reference. */
function prepare(tensors: Record<string, Tensor>, metadata?: Record<string, string>): { header: Buffer; entries: Entry[] } {
  if ('__metadata__' in tensors) throw new Error('safetensors: no tensor may be named __metadata__ (the header reserves it)');
  const entries = Object.entries(tensors).map(([name, tensor]): Entry => {
    if (!(tensor instanceof Tensor)) throw new TypeError(`safetensors: '${name}' is not a Tensor`);
    const f = byDtype.get(tensor.dtype);
    if (!f) throw new Error(`safetensors: tensor '${name}' has dtype ${tensor.dtype}, which the format cannot store`);
    return { name, tensor, format: f.name };
  });
  const rank = (e: Entry) => byName.get(e.format)!.rank;
  entries.sort((a, b) => rank(b) - rank(a) || utf8Order(a.name, b.name));
  // Written field by field: a JS object would put integer-like names ("0", "1") first, not in data order.
  const fields: string[] = [];
  if (metadata !== undefined) {
    const keys = Object.keys(metadata).sort(utf8Order);
    for (const k of keys) if (typeof metadata[k] !== 'string') throw new TypeError(`safetensors: metadata '${k}' must be a string`);
    fields.push(`"__metadata__":{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`);
  }
  let offset = 0;
  for (const e of entries) {
    const n = e.tensor.numel() * byName.get(e.format)!.size;
    const info = { dtype: e.format, shape: e.tensor.shape, data_offsets: [offset, offset + n] };
    fields.push(`${JSON.stringify(e.name)}:${JSON.stringify(info)}`);
    offset += n;
  }
  const json = Buffer.from(`{${fields.join(',')}}`, 'utf8');
  const header = Buffer.alloc(8 + json.length + ((8 - (json.length % 8)) % 8), 0x20);
  header.writeBigUInt64LE(BigInt(header.length - 8), 0);
  json.copy(header, 8);
  return { header, entries };
}

// Rust orders strings by their UTF-8 bytes; JavaScript's < compares UTF-16 units.
function utf8Order(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// A contiguous CPU copy's bytes (toBuffer copies device and non-contiguous tensors).
function bytesOf(t: Tensor): Uint8Array {
  return new Uint8Array(native.toBuffer(t.handle));
}

/** The safetensors bytes of `tensors` (non-contiguous and device tensors are written from CPU copies). */
export function serialize(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Buffer {
  const { header, entries } = prepare(tensors, metadata);
  return Buffer.concat([header, ...entries.map((e) => bytesOf(e.tensor))]);
}

/**
 * Writes `tensors` to `file` atomically: a temporary file in the same folder, flushed to disk, then renamed
 * over `file`, so a crash leaves either the old file or the new one.
 */
export function saveFile(file: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>): void {
  const { header, entries } = prepare(tensors, metadata);
  writeAtomic(file, (fd) => {
    writeAll(fd, header);
    for (const e of entries) writeAll(fd, bytesOf(e.tensor));
  });
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

/** Reads a safetensors file: its tensors (on `device`, default CPU) and its metadata. */
export function loadFile(file: string, opts: { device?: string } = {}): Safetensors {
  return deserialize(fs.readFileSync(file), { ...opts, source: file });
}

interface HeaderEntry { name: string; dtype: DType; size: number; shape: number[]; begin: number; end: number }

/** Parses safetensors bytes; errors name `source` (the file) and what is wrong. */
export function deserialize(bytes: Uint8Array, opts: { device?: string; source?: string } = {}): Safetensors {
  const fail = (why: string): never => { throw new Error(`safetensors: ${opts.source ?? '<buffer>'}: ${why}`); };
  if (bytes.length < 8) fail(`too short for a header length (${bytes.length} bytes)`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = buf.readBigUInt64LE(0);
  if (n > BigInt(maxHeader) || Number(n) + 8 > buf.length) {
    fail(`bad header length ${n} (the file has ${buf.length} bytes; headers are at most ${maxHeader})`);
  }
  const { entries, metadata } = parseHeader(buf.subarray(8, 8 + Number(n)), fail);
  const data = buf.subarray(8 + Number(n));
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of entries) {
    const nbytes = e.shape.reduce((a, b) => a * b, 1) * e.size;
    if (e.begin !== expected || e.end - e.begin !== nbytes || e.end > data.length) {
      fail(`tensor '${e.name}' has data_offsets [${e.begin}, ${e.end}]; expected [${expected}, ${expected + nbytes}] ` +
        `within ${data.length} data bytes`);
    }
    expected = e.end;
  }
  if (expected !== data.length) fail(`${data.length - expected} bytes after the last tensor (the header covers ${expected})`);
  return scope(() => {
    const tensors: Record<string, Tensor> = {};
    for (const e of entries) {
      const t = new Tensor(native.fromBuffer(data.subarray(e.begin, e.end), e.shape, dtypeCode(e.dtype)));
      tensors[e.name] = opts.device && opts.device !== 'cpu' ? t.to({ device: opts.device }) : t;
    }
    return { tensors, metadata };
  });
}

function parseHeader(raw: Buffer, fail: (why: string) => never): { entries: HeaderEntry[]; metadata: Record<string, string> } {
  let head: unknown;
  try {
    head = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (e) {
    fail(`header is not UTF-8 JSON (${(e as Error).message})`);
  }
  if (head === null || typeof head !== 'object' || Array.isArray(head)) fail('header is not a JSON object');
  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, v] of Object.entries(head as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) fail('__metadata__ is not an object');
      for (const [k, s] of Object.entries(v as Record<string, unknown>)) {
        if (typeof s !== 'string') fail(`__metadata__ '${k}' is not a string`);
        metadata[k] = s as string;
      }
      continue;
    }
    const info = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    const format = byName.get(String(info?.dtype));
    if (!format) fail(`tensor '${name}' has unknown dtype ${JSON.stringify(info?.dtype)} (known: ${[...byName.keys()].join(', ')})`);
    const isCount = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
    const shape = info!.shape;
    const offsets = info!.data_offsets;
    if (!Array.isArray(shape) || !shape.every(isCount)) fail(`tensor '${name}' has a bad shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
      fail(`tensor '${name}' has bad data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    entries.push({ name, dtype: format!.dtype, size: format!.size, shape: shape as number[], begin, end });
  }
  return { entries, metadata };
}
