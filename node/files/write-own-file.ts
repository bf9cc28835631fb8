import { closeSync, constants, openSync, writeFileSync } from 'node:fs';
import { SettleDeskError } from '../../core/errors.ts';

/** Writes a file, never through a symbolic link planted where the file goes. */
export function writeOwnFile(file: string, data: string | Uint8Array): void {
  let descriptor: number;
  try {
    descriptor = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    throw new SettleDeskError('file_unwritable', `${file}: cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { file });
  }
  try {
    writeFileSync(descriptor, data);
  } finally {
    closeSync(descriptor);
  }
}
