// TFRecord framing, as TensorFlow's record_writer.cc: each record is
//   uint64 length (little-endian) | uint32 masked CRC32C of those 8 bytes | data | uint32 masked CRC32C of data.
// The masking ((crc >>> 15 | crc << 17) + 0xa282ead8) keeps a CRC of data that itself holds CRCs well spread.

// CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF.
const table = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function maskedCrc32c(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

/** One record's bytes: the framing around `data`. */
export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(8 + 4 + data.length + 4);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}

/** The records of a TFRecord file's bytes; both CRCs of every record are checked. `source` names the file in errors. */
export function readRecords(bytes: Uint8Array, source: string): Buffer[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Buffer[] = [];
  for (let pos = 0; pos < buf.length;) {
    const where = `${source}: record ${records.length} at byte ${pos}`;
    if (buf.length - pos < 12) throw new Error(`${where}: truncated header (${buf.length - pos} bytes left, 12 needed)`);
    if (buf.readUInt32LE(pos + 8) !== maskedCrc32c(buf.subarray(pos, pos + 8))) throw new Error(`${where}: length CRC mismatch`);
    const n = buf.readBigUInt64LE(pos);
    if (n > BigInt(buf.length - pos - 16)) throw new Error(`${where}: truncated data (length ${n}, ${buf.length - pos - 16} bytes left)`);
    const data = buf.subarray(pos + 12, pos + 12 + Number(n));
    if (buf.readUInt32LE(pos + 12 + data.length) !== maskedCrc32c(data)) throw new Error(`${where}: data CRC mismatch`);
    records.push(data);
    pos += 16 + data.length;
  }
  return records;
}
