// Reads TensorBoard event files, written from the format's spec (independently of tensorboard.ts's encoder):
// TFRecord framing with both CRCs checked, then Event / Summary / Summary.Value / Image / SessionLog messages.
// Fields this reader does not know are skipped by wire type, as protobuf parsers do.
import fs from 'node:fs';
import { readRecords } from './tfrecord.js';
import type { ImageSummary, SummaryValue, TbEvent } from './tensorboard.js';

interface Field { field: number; wire: number; int?: bigint; bytes?: Buffer }

function parse(msg: Buffer, what: string): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  const readVarint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= msg.length) throw new Error(`${what}: truncated varint`);
      const b = msg[pos++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      if (shift > 63n) throw new Error(`${what}: varint longer than 10 bytes`);
    }
  };
  const take = (n: number): Buffer => {
    if (pos + n > msg.length) throw new Error(`${what}: field runs past the message end`);
    pos += n;
    return msg.subarray(pos - n, pos);
  };
  while (pos < msg.length) {
    const k = readVarint();
    const field = Number(k >> 3n);
    const wire = Number(k & 7n);
    if (wire === 0) fields.push({ field, wire, int: readVarint() });
    else if (wire === 1) fields.push({ field, wire, bytes: take(8) });
    else if (wire === 2) fields.push({ field, wire, bytes: take(Number(readVarint())) });
    else if (wire === 5) fields.push({ field, wire, bytes: take(4) });
    else throw new Error(`${what}: unsupported wire type ${wire} (field ${field})`);
  }
  return fields;
}

// proto3: the last occurrence of a scalar field wins.
const last = (all: Field[], field: number, wire: number): Field | undefined => all.filter((f) => f.field === field && f.wire === wire).pop();
const int64 = (f: Field | undefined): number => (f ? Number(BigInt.asIntN(64, f.int!)) : 0);

function image(msg: Buffer, what: string): ImageSummary {
  const f = parse(msg, what);
  return { height: int64(last(f, 1, 0)), width: int64(last(f, 2, 0)), colorspace: int64(last(f, 3, 0)),
    encoded: last(f, 4, 2)?.bytes ?? Buffer.alloc(0) };
}

function value(msg: Buffer, what: string): SummaryValue {
  const f = parse(msg, what);
  const v: SummaryValue = { tag: last(f, 1, 2)?.bytes?.toString('utf8') ?? '' };
  const simple = last(f, 2, 5);
  if (simple) v.simpleValue = simple.bytes!.readFloatLE(0);
  const im = last(f, 4, 2);
  if (im) v.image = image(im.bytes!, `${what} image`);
  return v;
}

/** Decodes one Event message. */
export function decodeEvent(msg: Buffer, what = 'event'): TbEvent {
  const f = parse(msg, what);
  const e: TbEvent = { wallTime: last(f, 1, 1)?.bytes!.readDoubleLE(0) ?? 0, step: int64(last(f, 2, 0)) };
  const version = last(f, 3, 2);
  if (version) e.fileVersion = version.bytes!.toString('utf8');
  const summary = last(f, 5, 2);
  if (summary) e.summary = parse(summary.bytes!, `${what} summary`).filter((v) => v.field === 1 && v.wire === 2).map((v) => value(v.bytes!, `${what} value`));
  const log = last(f, 6, 2);
  if (log) e.sessionLog = { status: int64(last(parse(log.bytes!, `${what} session_log`), 1, 0)) };
  return e;
}

/** Every event of an event file, in order; a CRC mismatch or malformed message is an Error naming the file. */
export function readEventFile(file: string): TbEvent[] {
  return readRecords(fs.readFileSync(file), file).map((r, i) => decodeEvent(r, `${file}: event ${i}`));
}
