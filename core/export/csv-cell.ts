/**
 * Cells of every CSV the project writes for people (statements, grids, reports): a cell a
 * spreadsheet would run as a formula is neutralized, following OWASP's CSV injection guidance.
 *
 * - A cell starting with = + - @, a tab or a CR is prefixed with a single quote, so Excel,
 *   LibreOffice and Google Sheets show it as text instead of evaluating it ("=HYPERLINK(...)",
 *   "@SUM(...)", "-2+3" all become text).
 * - A plain signed decimal ("-12.50", "+3", "1000") is left as it is: a spreadsheet reads it as a
 *   number, never as a formula, and our own importers read it back as the same amount. Prefixing it
 *   would turn every refund into text and break re-import of our exports. Only the whole-cell
 *   pattern is spared: "-1+1" or "-12.50)" is still neutralized.
 * - Then RFC 4180 quoting: a cell holding the delimiter, a quote, CR or LF is quoted, with quotes
 *   doubled. A neutralized cell is always quoted, so the quote-prefix survives tools that trim.
 */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);
const PLAIN_DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/** True when a spreadsheet could evaluate the cell: it starts with a trigger and is not a plain decimal. */
export function isFormulaLike(value: string): boolean {
  return FORMULA_TRIGGERS.has(value.charAt(0)) && !PLAIN_DECIMAL.test(value);
}

/** One CSV cell, neutralized and quoted as needed. */
export function csvCell(value: string, delimiter: string = ','): string {
  const neutral = isFormulaLike(value);
  const text = neutral ? `'${value}` : value;
  const needsQuotes = neutral || text.includes(delimiter) || /["\r\n]/.test(text);
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record (no line ending): each cell through csvCell. */
export function csvRecord(values: readonly string[], delimiter: string = ','): string {
  return values.map((value) => csvCell(value, delimiter)).join(delimiter);
}
