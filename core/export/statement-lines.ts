import { statementHash, type Statement } from '../settlement/index.ts';
import { csvRecord } from './csv-cell.ts';

/**
 * A statement's lines as the rows of the partner's spreadsheet, one cell per header column, as the
 * statement's own text (amounts are its decimal strings). Shared by the signed files (node/
 * statements/export.ts: CSV and XLSX) and the partner portal's CSV download, so both hold the same
 * columns and every CSV cell goes through the same formula neutralizer (csv-cell.ts).
 */
export const STATEMENT_LINE_HEADER = ['partner_id', 'period_start', 'period_end', 'agreement_id', 'agreement_version', 'group', 'product_id', 'line_currency', 'transactions', 'late_transactions', 'base_exact', 'base', 'settlement_currency', 'rounding', 'statement_sha256'] as const;

export function statementLineRows(statement: Statement): string[][] {
  const hash = statementHash(statement);
  const rows: string[][] = [];
  for (const group of statement.groups) {
    for (const line of group.lines) {
      rows.push([statement.partnerId, statement.period.start, statement.period.end, statement.agreement.agreementId, String(statement.agreement.version), group.key, line.productId ?? '', line.currency, String(line.transactionCount), String(line.lateCount), line.baseExact, line.base, statement.settlementCurrency, line.rounding, hash]);
    }
  }
  return rows;
}

/** The lines as CSV (RFC 4180, CRLF line ends, header first). */
export function statementLinesCsv(statement: Statement): string {
  return [csvRecord(STATEMENT_LINE_HEADER), ...statementLineRows(statement).map((row) => csvRecord(row))].map((line) => `${line}\r\n`).join('');
}
