// TensorBoard event files, written from the format's spec (tensorflow/core/util/event.proto, summary.proto):
// a TFRecord file of Event messages, the first holding file_version 'brain.Event:2'. The few messages needed
// are encoded by hand; proto3 rules apply: plain fields at their default (0, '') are left out, fields in a
// oneof (Event.file_version/summary/session_log, Summary.Value.simple_value/image) are always written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { frameRecord } from './tfrecord.js';

export interface ImageSummary { height: number; width: number; colorspace: number; encoded: Uint8Array }
export interface SummaryValue { tag: string; simpleValue?: number; image?: ImageSummary }
/** SessionLog.status: START (1) makes TensorBoard drop events at or after its step (a resumed run). */
export interface SessionLog { status: number }
export interface TbEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: SummaryValue[];
  sessionLog?: SessionLog;
}

export const FILE_VERSION = 'brain.Event:2';
export const SESSION_START = 1;

// ---- protobuf wire format: a key is (field << 3 | wire type); 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}
const key = (field: number, wire: number): Buffer => varint((field << 3) | wire);
const int = (field: number, v: number): Buffer[] => (v === 0 ? [] : [key(field, 0), varint(v)]);
const bytes = (field: number, b: Uint8Array): Buffer[] => [key(field, 2), varint(b.length), Buffer.from(b)];
const text = (field: number, s: string): Buffer[] => bytes(field, Buffer.from(s, 'utf8'));
function double(field: number, v: number): Buffer[] {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return v === 0 ? [] : [key(field, 1), b];
}
function float(field: number, v: number): Buffer[] {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return [key(field, 5), b];
}

function encodeImage(im: ImageSummary): Buffer {
  return Buffer.concat([...int(1, im.height), ...int(2, im.width), ...int(3, im.colorspace),
    ...(im.encoded.length ? bytes(4, im.encoded) : [])]);
}

function encodeValue(v: SummaryValue): Buffer {
  return Buffer.concat([...(v.tag ? text(1, v.tag) : []), ...(v.simpleValue !== undefined ? float(2, v.simpleValue) : []),
    ...(v.image ? bytes(4, encodeImage(v.image)) : [])]);
}

/** The Event message's bytes. */
export function encodeEvent(e: TbEvent): Buffer {
  const parts = [...double(1, e.wallTime), ...int(2, e.step)];
  if (e.fileVersion !== undefined) parts.push(...text(3, e.fileVersion));
  if (e.summary) parts.push(...bytes(5, Buffer.concat(e.summary.flatMap((v) => bytes(1, encodeValue(v))))));
  if (e.sessionLog) parts.push(...bytes(6, Buffer.concat(int(1, e.sessionLog.status))));
  return Buffer.concat(parts);
}

/** Width, height and TensorBoard colorspace (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) from a PNG's IHDR chunk. */
export function pngInfo(png: Uint8Array, name: string): { width: number; height: number; colorspace: number } {
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (b.length < 26 || b.readUInt32BE(0) !== 0x89504e47 || b.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error(`${name}: not a PNG image`);
  }
  // IHDR colour types: 0 gray, 2 RGB, 3 palette (shown as RGB), 4 gray+alpha, 6 RGBA.
  const colorspace = ({ 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 } as Record<number, number>)[b[25]];
  if (colorspace === undefined) throw new Error(`${name}: PNG colour type ${b[25]} is not valid`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), colorspace };
}

/**
 * Appends events to a new `events.out.tfevents.<secs>.<host>` file in `dir` (a numeric suffix is added if that
 * name is taken). With `purgeStep` (a resumed run), a SessionLog START at that step follows the file version,
 * so TensorBoard discards the earlier run's events from that step on.
 */
export class EventWriter {
  readonly file: string;
  private fd: number;

  constructor(dir: string, opts: { purgeStep?: number; wallTime?: number } = {}) {
    const wallTime = opts.wallTime ?? Date.now() / 1000;
    const base = path.join(dir, `events.out.tfevents.${Math.floor(wallTime)}.${os.hostname()}`);
    let fd = -1;
    let file = base;
    for (let n = 1; fd < 0; n++) {
      try {
        fd = fs.openSync(file, 'wx');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        file = `${base}.${n}`;
      }
    }
    this.fd = fd;
    this.file = file;
    this.write({ wallTime, step: opts.purgeStep ?? 0, fileVersion: FILE_VERSION });
    if (opts.purgeStep !== undefined) this.write({ wallTime, step: opts.purgeStep, sessionLog: { status: SESSION_START } });
  }

  write(e: TbEvent): void {
    if (this.fd < 0) throw new Error(`${this.file}: the event writer is closed`);
    const rec = frameRecord(encodeEvent(e));
    for (let done = 0; done < rec.length;) done += fs.writeSync(this.fd, rec, done, rec.length - done);
  }

  scalars(step: number, values: Record<string, number>, wallTime = Date.now() / 1000): void {
    this.write({ wallTime, step, summary: Object.entries(values).map(([tag, simpleValue]) => ({ tag, simpleValue })) });
  }

  image(step: number, tag: string, png: Uint8Array, wallTime = Date.now() / 1000): void {
    this.write({ wallTime, step, summary: [{ tag, image: { ...pngInfo(png, tag), encoded: png } }] });
  }

  close(): void {
    if (this.fd < 0) return;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}
