// Crash-safe file writes: a temporary file in the same folder, flushed, then renamed over the target, and
// the folder flushed so the rename itself survives a power loss. A reader sees the old file or the new one.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A unique hidden name beside `target`, for building it before the rename. */
export function tempPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = tempPath(file);
  try {
    const fd = fs.openSync(tmp, 'wx');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(path.dirname(file));
}
