import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SettleDeskError } from '../../core/errors.ts';

/**
 * Reads the files an analyst picked in an open dialog and writes the one they named in a save
 * dialog. The renderer only ever gets a file's name and bytes, never a path to reuse.
 */
export const OPENED_FILE_BYTES_MAX = 512 * 1024 * 1024;

export interface OpenedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export async function readOpenedFile(filePath: string, bytesMax: number = OPENED_FILE_BYTES_MAX): Promise<OpenedFile> {
  const info = await stat(filePath);
  // A FIFO or device would block or never end; only regular files are read.
  if (!info.isFile()) throw new SettleDeskError('file_not_regular', 'only regular files can be opened', { file: filePath });
  if (info.size > bytesMax) throw new SettleDeskError('file_too_large', `the file has ${info.size} bytes, more than the ${bytesMax} allowed`, { file: filePath });
  const handle = await open(filePath, 'r');
  try {
    // Read at most one byte past the limit: a file that grew after stat() is still refused.
    const buffer = Buffer.alloc(Math.min(info.size, bytesMax) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    if (length > bytesMax) throw new SettleDeskError('file_too_large', `the file grew past the ${bytesMax} bytes allowed while it was read`, { file: filePath });
    return { name: path.basename(filePath), bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, length) };
  } finally {
    await handle.close();
  }
}

/** Writes beside the target and renames over it, so a crash never leaves half a statement. */
export async function writeSavedFile(filePath: string, bytes: Uint8Array): Promise<{ readonly name: string }> {
  const temporary = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, bytes, { flag: 'wx', mode: 0o644 });
    await rename(temporary, filePath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new SettleDeskError('file_not_saved', `the file could not be saved: ${(error as Error).message}`, { file: filePath });
  }
  return { name: path.basename(filePath) };
}
