import { canonicalJson } from '../../core/canonical/json.ts';
import { statementHash, type Statement } from '../../core/settlement/index.ts';
import { buildStatementDocument } from '../../core/statement/document.ts';
import type { StatementLocale } from '../../core/statement/labels.ts';
import { statementLinesCsv, statementLinesXlsx } from './export.ts';
import type { JwsSigner } from './jws.ts';
import { writeOwnFile } from '../files/write-own-file.ts';
import { siblingFiles } from './names.ts';
import { renderStatementPdf } from './pdf.ts';
import type { OrganizationSigner } from './sign.ts';

/**
 * The files that go beside a statement's JSON (`<stem>.statement.json`, written by settle):
 * `<stem>.statement.pdf` (signed when a signer is given), `<stem>.statement.jws` (detached JWS of
 * the JSON's canonical text, only when signed), `<stem>.lines.csv` and `<stem>.lines.xlsx`.
 */
export interface StatementSigning {
  readonly organization: OrganizationSigner;
  readonly jws: JwsSigner;
}

export interface WrittenStatementFiles {
  readonly pdf: string;
  readonly jws: string | null;
  readonly csv: string;
  readonly xlsx: string;
  readonly pdfBytes: number;
}


export async function writeStatementFiles(statement: Statement, jsonFile: string, signing: StatementSigning | null, locale: StatementLocale, now: Date): Promise<WrittenStatementFiles> {
  const files = siblingFiles(jsonFile);
  const certificate = signing?.organization.certificate ?? null;
  const document = buildStatementDocument(statement, certificate === null ? null : { name: certificate.organization, development: certificate.development }, locale);
  const unsigned = await renderStatementPdf(document, { author: certificate?.organization ?? 'SettleDesk (unsigned)', createdAt: now });
  const pdf = signing === null ? unsigned : await signing.organization.signPdf(unsigned, now);
  writeOwnFile(files.pdf, pdf);
  let jws: string | null = null;
  if (signing !== null) {
    // The same canonical text settle writes to the JSON file (without its final line break).
    await writeJws(files.jws, signing.jws, canonicalJson({ statement, sha256: statementHash(statement) }));
    jws = files.jws;
  }
  writeOwnFile(files.csv, statementLinesCsv(statement));
  writeOwnFile(files.xlsx, await statementLinesXlsx(statement, now));
  return { pdf: files.pdf, jws, csv: files.csv, xlsx: files.xlsx, pdfBytes: pdf.length };
}

async function writeJws(file: string, signer: JwsSigner, payload: string): Promise<void> {
  writeOwnFile(file, `${await signer.sign(payload)}\n`);
}
