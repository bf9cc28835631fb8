import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputFileError } from './errors.ts';

/** Turns "missing" and "is a directory" into typed errors that name the file. */
export function checkInputFile(file: string): void {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    throw new InputFileError('file_missing', `${file}: no such file`, file);
  }
  if (!stats.isFile()) throw new InputFileError('file_unreadable', `${file}: not a regular file`, file);
}

/** Reads a file whole, after checkInputFile. */
export function readInputFile(file: string): Uint8Array {
  checkInputFile(file);
  try {
    return new Uint8Array(readFileSync(file));
  } catch (error) {
    throw new InputFileError('file_unreadable', `${file}: cannot be read (${(error as Error).message})`, file);
  }
}

/** A file, or every file in a directory (sorted, not recursive, hidden files skipped). */
export function expandInputs(inputs: readonly string[]): string[] {
  return inputs.flatMap((input) => {
    let stats;
    try {
      stats = statSync(input);
    } catch {
      throw new InputFileError('file_missing', `${input}: no such file or directory`, input);
    }
    if (!stats.isDirectory()) return [input];
    return readdirSync(input)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => path.join(input, name))
      .filter((file) => statSync(file).isFile());
  });
}
