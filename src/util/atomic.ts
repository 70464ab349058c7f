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

/** Replaces `file` with what `write` puts into an open file descriptor (for contents written piece by piece). */
export function writeAtomic(file: string, write: (fd: number) => void): void {
  const tmp = tempPath(path.resolve(file));
  try {
    const fd = fs.openSync(tmp, 'wx');
    try {
      write(fd);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(path.dirname(path.resolve(file)));
}

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  writeAtomic(file, (fd) => fs.writeFileSync(fd, data));
}
