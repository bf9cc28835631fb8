import { parseCsvProfile } from '../core/importers/csv-profile.ts';
import { inOptionFile, readOptionJson } from './files.ts';

/**
 * Reads a CSV mapping profile (JSON): a regular file under the option-file limit, checked against
 * the profile schema at once, so a mistake names the profile file even when no CSV is read.
 */
export function loadProfile(file: string): unknown {
  const json = readOptionJson(file);
  inOptionFile(file, () => parseCsvProfile(json));
  return json;
}
