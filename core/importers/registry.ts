import type { ImporterRegistry } from '../ingest/import-file.ts';
import { bai2Importer } from './bai2.ts';
import { camt053Importer, camt054Importer } from './camt.ts';
import { mt940Importer } from './mt940.ts';
import { ofxImporter } from './ofx.ts';

/** Every importer, in detection order: structured formats first, generic CSV last (it needs a profile). */
export const IMPORTERS: ImporterRegistry = [
  ['camt.053', camt053Importer],
  ['camt.054', camt054Importer],
  ['ofx', ofxImporter],
  ['mt940', mt940Importer],
  ['bai2', bai2Importer],
];
