import { readOptionJson } from './files.ts';

/** Reads a CSV mapping profile (JSON): a regular file under the option-file limit; its schema is checked by the CSV importer. */
export function loadProfile(file: string): unknown {
  return readOptionJson(file);
}
