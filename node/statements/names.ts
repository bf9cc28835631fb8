import { SettleDeskError } from '../../core/errors.ts';

/**
 * Names shared by the writers and the verifier, in a module without pdfkit or exceljs behind it:
 * `settledesk verify` and `settle` without --pdf load only this, not the PDF and XLSX libraries.
 */

/** The PDF document-information key that carries the statement hash (inside the signed bytes). */
export const PDF_HASH_KEY = 'SettleDeskStatementSha256';

/** The sibling file names of a `<stem>.statement.json`. */
export function siblingFiles(jsonFile: string): { pdf: string; jws: string; csv: string; xlsx: string } {
  if (!jsonFile.endsWith('.statement.json')) throw new SettleDeskError('statement_file_name', `${jsonFile}: a statement JSON file name ends in .statement.json`, { file: jsonFile });
  const stem = jsonFile.slice(0, -'.statement.json'.length);
  return { pdf: `${stem}.statement.pdf`, jws: `${stem}.statement.jws`, csv: `${stem}.lines.csv`, xlsx: `${stem}.lines.xlsx` };
}
