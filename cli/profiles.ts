import { readFileSync } from 'node:fs';
import { UsageError } from './errors.ts';

/** Reads a CSV mapping profile (JSON); its schema is checked by the CSV importer. */
export function loadProfile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--profile ${file}: no such file`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--profile ${file}: not valid JSON (${(error as Error).message})`);
  }
}
