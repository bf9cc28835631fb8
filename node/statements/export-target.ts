import { lstatSync } from 'node:fs';
import path from 'node:path';
import { siblingFiles } from './names.ts';

// Where an export from the desk goes, in a module without pdfkit or exceljs behind it: Electron
// main asks about existing files before it loads the signing service.

/**
 * The JSON file a save-dialog target stands for: the analyst may pick "P001.statement.pdf",
 * "P001.pdf" or "P001"; all mean the statement set "P001.statement.*" in that folder.
 */
export function statementJsonTarget(chosen: string): string {
  const base = path.basename(chosen).replace(/\.(statement\.)?(pdf|json)$/i, '').replace(/\.statement$/i, '');
  return path.join(path.dirname(chosen), `${base === '' ? 'statement' : base}.statement.json`);
}

/** Every file an export to `chosen` writes: the JSON and its PDF, JWS, CSV and XLSX siblings. */
function statementExportFiles(chosen: string): readonly string[] {
  const json = statementJsonTarget(chosen);
  const siblings = siblingFiles(json);
  return [json, siblings.pdf, siblings.jws, siblings.csv, siblings.xlsx];
}

/**
 * Names of the files an export to `chosen` would replace. lstat, so a link (even a dangling one)
 * counts as taken: the writer refuses to follow it anyway.
 */
export function existingStatementFiles(chosen: string): readonly string[] {
  return statementExportFiles(chosen)
    .filter((file) => lstatSync(file, { throwIfNoEntry: false }) !== undefined)
    .map((file) => path.basename(file));
}
