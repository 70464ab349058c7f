// TensorBoard event files: CRC32C against published vectors, an event's bytes against a hand-encoded
// record, the writer read back by the reader, and corrupted files refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import sharp from 'sharp';
import { crc32c, frameRecord, maskedCrc32c } from '../src/run/tfrecord.js';
import { encodeEvent, EventWriter } from '../src/run/tensorboard.js';
import { readEventFile } from '../src/run/tensorboard_reader.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'shiftkit-tb-'));

test('crc32c matches the check value and RFC 3720 vectors; the mask is TensorFlow\'s', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(crc32c(Buffer.alloc(32)), 0x8a9136aa);
  assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  // By hand: 0xe3069283 >>> 15 = 0x0001c60d, (0xe3069283 << 17) mod 2^32 = 0x25060000,
  // 0x2507c60d + 0xa282ead8 = 0xc78ab0e5.
  assert.equal(maskedCrc32c(Buffer.from('123456789')), 0xc78ab0e5);
});

test('one scalar event encodes to the hand-computed record', () => {
  const event = encodeEvent({ wallTime: 1700000000.5, step: 7, summary: [{ tag: 'loss', simpleValue: 0.25 }] });
  const expected = Buffer.concat([
    Buffer.from('09', 'hex'), Buffer.from('00002040fc54d941', 'hex'), // wall_time = 1, fixed64: 1700000000.5 as a LE double
    Buffer.from('1007', 'hex'), // step = 2, varint 7
    Buffer.from('2a0d', 'hex'), // summary = 5, 13 bytes
    Buffer.from('0a0b', 'hex'), //   value = 1, 11 bytes
    Buffer.from('0a04', 'hex'), Buffer.from('loss'), //     tag = 1, 'loss'
    Buffer.from('15', 'hex'), Buffer.from('0000803e', 'hex'), //     simple_value = 2, fixed32: 0.25 as a LE float
  ]);
  assert.deepEqual(event, expected);
  // Framing: length 26 as uint64 LE, masked CRC32C of it, data, masked CRC32C of the data (CRCs from a
  // bit-by-bit CRC-32C in Python).
  assert.equal(frameRecord(event).toString('hex'),
    '1a00000000000000' + '129bd82d' + expected.toString('hex') + 'c576518e');
  // Multi-byte varint (300 = 0xac 0x02), and proto3 leaves out a zero wall_time.
  assert.equal(encodeEvent({ wallTime: 0, step: 300 }).toString('hex'), '10ac02');
});

test('writer and reader round trip: file version, session start, scalars, an image', async () => {
  const dir = tmp();
  try {
    const png = await sharp(Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9, 50, 60, 70, 200, 100, 0]), { raw: { width: 3, height: 2, channels: 3 } }).png().toBuffer();
    const w = new EventWriter(dir, { purgeStep: 11, wallTime: 1700000123.25 });
    w.scalars(12, { 'train/loss': 0.1, 'train/acc': 3 }, 1700000124);
    w.image(12, 'samples/pred', png, 1700000125);
    w.close();
    assert.match(path.basename(w.file), new RegExp(`^events\\.out\\.tfevents\\.1700000123\\.${os.hostname().replace(/[.]/g, '\\.')}$`));
    const events = readEventFile(w.file);
    assert.equal(events.length, 4);
    assert.deepEqual(events[0], { wallTime: 1700000123.25, step: 11, fileVersion: 'brain.Event:2' });
    assert.deepEqual(events[1], { wallTime: 1700000123.25, step: 11, sessionLog: { status: 1 } });
    assert.equal(events[2].step, 12);
    assert.deepEqual(events[2].summary, [{ tag: 'train/loss', simpleValue: Math.fround(0.1) }, { tag: 'train/acc', simpleValue: 3 }]);
    const im = events[3].summary![0];
    assert.equal(im.tag, 'samples/pred');
    assert.deepEqual({ ...im.image!, encoded: Buffer.from(im.image!.encoded) }, { height: 2, width: 3, colorspace: 3, encoded: png });
    // A second writer in the same second gets its own file.
    const w2 = new EventWriter(dir, { wallTime: 1700000123.9 });
    w2.close();
    assert.equal(w2.file, `${w.file}.1`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the reader refuses a flipped byte and a cut file, naming the file and record', () => {
  const dir = tmp();
  try {
    const w = new EventWriter(dir, { wallTime: 1 });
    w.scalars(1, { a: 1 });
    w.close();
    const good = fs.readFileSync(w.file);
    const first = 16 + Number(good.readBigUInt64LE(0)); // byte offset of the second record
    const bad = (mutate: (b: Buffer) => Buffer, pattern: RegExp): void => {
      fs.writeFileSync(w.file, mutate(Buffer.from(good)));
      assert.throws(() => readEventFile(w.file), (e: Error) => pattern.test(e.message) && e.message.includes(w.file));
    };
    bad((b) => { b[first + 20] ^= 1; return b; }, new RegExp(`record 1 at byte ${first}: data CRC mismatch`));
    bad((b) => { b[first] ^= 1; return b; }, /record 1 at byte \d+: length CRC mismatch/);
    bad((b) => b.subarray(0, b.length - 3), /record 1 at byte \d+: truncated data/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
