import PDFDocument from 'pdfkit';
import type { DocumentBlock, DocumentColumn, DocumentRow, StatementDocument } from '../../core/statement/document.ts';
import { statementFonts } from './fonts.ts';
import { PDF_HASH_KEY } from './names.ts';

/**
 * Lays out a statement document (core/statement/document.ts) with pdfkit: A4, Noto Sans KR for
 * both locales, tables that break across pages with their header repeated, and on every page the
 * development/unsigned mark (when there is one), the statement hash and "page x of y".
 *
 * The renderer receives public facts only (the document and the issuer's name); signing happens
 * afterwards in sign.ts, so no private key is ever handed to layout code. The statement hash is
 * also written to the PDF's document information (`SettleDeskStatementSha256`), inside the signed
 * bytes, so `settledesk verify` compares it to the JSON without extracting page text.
 */

const MARGIN_X = 42;
const MARGIN_TOP = 62;
const MARGIN_BOTTOM = 54;
const BODY_SIZE = 9;
const TABLE_SIZE = 8;
const NOTE_SIZE = 7;
const CELL_PAD = 3;
const MARK_COLOR = '#b00020';

type Doc = PDFKit.PDFDocument;

export interface PdfOptions {
  /** Written as the PDF's Author: the organization that issues (signs) the statement. */
  readonly author: string;
  /** The PDF's creation date; the signer's clock, passed in so tests can fix it. */
  readonly createdAt: Date;
}

/**
 * The regular face is selected by its path, the key pdfkit cached it under when the constructor
 * opened it. A name registered for the same file is never cached (pdfkit finds the constructor's
 * font by its PostScript name and returns early), so each font('body') re-parsed the 4.5 MB OTF.
 */
function regular(doc: Doc): Doc {
  return doc.font(statementFonts().regular);
}

function face(doc: Doc, font: 'body' | 'bold'): Doc {
  return font === 'bold' ? doc.font('bold') : regular(doc);
}

function bottomLimit(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

function ensureSpace(doc: Doc, height: number): boolean {
  if (doc.y + height <= bottomLimit(doc)) return false;
  doc.addPage();
  return true;
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Room a heading needs below it: its own line and a table header with one row, so it never ends a page alone. */
const HEADING_KEEP_PT = 90;

function heading(doc: Doc, text: string): void {
  ensureSpace(doc, HEADING_KEEP_PT);
  doc.moveDown(0.6);
  doc.font('bold').fontSize(11).fillColor('black').text(text, MARGIN_X, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.25);
}

function fields(doc: Doc, rows: readonly (readonly [string, string])[]): void {
  const labelWidth = 120;
  const valueWidth = contentWidth(doc) - labelWidth;
  for (const [label, value] of rows) {
    regular(doc).fontSize(BODY_SIZE);
    const height = Math.max(doc.heightOfString(value, { width: valueWidth }), doc.heightOfString(label, { width: labelWidth - 6 })) + 2;
    ensureSpace(doc, height);
    const y = doc.y;
    doc.font('bold').fillColor('#333333').text(label, MARGIN_X, y, { width: labelWidth - 6 });
    regular(doc).fillColor('black').text(value, MARGIN_X + labelWidth, y, { width: valueWidth });
    doc.y = y + height;
  }
}

function paragraphs(doc: Doc, items: readonly string[]): void {
  regular(doc).fontSize(BODY_SIZE).fillColor('black');
  for (const item of items) {
    ensureSpace(doc, doc.heightOfString(item, { width: contentWidth(doc) - 10 }) + 2);
    doc.text(`• ${item}`, MARGIN_X, doc.y, { width: contentWidth(doc), indent: 0 });
    doc.moveDown(0.15);
  }
}

function columnWidths(doc: Doc, columns: readonly DocumentColumn[]): number[] {
  const total = columns.reduce((sum, column) => sum + column.weight, 0);
  return columns.map((column) => (contentWidth(doc) * column.weight) / total);
}

function rowHeight(doc: Doc, cells: readonly string[], widths: readonly number[], font: 'body' | 'bold'): number {
  face(doc, font).fontSize(TABLE_SIZE);
  return Math.max(...cells.map((cell, index) => doc.heightOfString(cell, { width: (widths[index] ?? 0) - 2 * CELL_PAD }))) + 2 * CELL_PAD;
}

function drawCells(doc: Doc, cells: readonly string[], columns: readonly DocumentColumn[], widths: readonly number[], y: number, font: 'body' | 'bold'): void {
  let x = MARGIN_X;
  face(doc, font).fontSize(TABLE_SIZE).fillColor('black');
  cells.forEach((cell, index) => {
    const width = widths[index] ?? 0;
    doc.text(cell, x + CELL_PAD, y + CELL_PAD, { width: width - 2 * CELL_PAD, align: columns[index]?.align ?? 'left' });
    x += width;
  });
}

function tableHeader(doc: Doc, columns: readonly DocumentColumn[], widths: readonly number[]): void {
  const labels = columns.map((column) => column.label);
  const height = rowHeight(doc, labels, widths, 'bold');
  const y = doc.y;
  doc.rect(MARGIN_X, y, contentWidth(doc), height).fill('#e8e8e8');
  drawCells(doc, labels, columns, widths, y, 'bold');
  doc.y = y + height;
}

function noteHeight(doc: Doc, note: string | undefined): number {
  if (note === undefined) return 0;
  regular(doc).fontSize(NOTE_SIZE);
  return doc.heightOfString(note, { width: contentWidth(doc) - 6 * CELL_PAD }) + CELL_PAD;
}

function tableRow(doc: Doc, row: DocumentRow, columns: readonly DocumentColumn[], widths: readonly number[]): void {
  const font = row.emphasis === true ? ('bold' as const) : ('body' as const);
  const height = rowHeight(doc, row.cells, widths, font);
  const note = noteHeight(doc, row.note);
  if (ensureSpace(doc, height + note)) tableHeader(doc, columns, widths);
  const y = doc.y;
  drawCells(doc, row.cells, columns, widths, y, font);
  if (row.note !== undefined) {
    regular(doc).fontSize(NOTE_SIZE).fillColor('#444444').text(row.note, MARGIN_X + 3 * CELL_PAD, y + height - CELL_PAD, { width: contentWidth(doc) - 6 * CELL_PAD });
  }
  const bottom = y + height + note;
  doc.moveTo(MARGIN_X, bottom).lineTo(MARGIN_X + contentWidth(doc), bottom).lineWidth(0.3).strokeColor('#bbbbbb').stroke();
  doc.y = bottom;
}

function table(doc: Doc, block: Extract<DocumentBlock, { kind: 'table' }>): void {
  const widths = columnWidths(doc, block.columns);
  ensureSpace(doc, 40);
  tableHeader(doc, block.columns, widths);
  for (const row of block.rows) tableRow(doc, row, block.columns, widths);
  doc.moveDown(0.3);
}

/** Header (title, mark) and footer (hash, page x of y) on every page, drawn once all pages exist. */
function decoratePages(doc: Doc, document: StatementDocument): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    // Text in the margins would make pdfkit start a new page: the margins are lifted while drawing there.
    const saved = { ...doc.page.margins };
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    const width = doc.page.width - 2 * MARGIN_X;
    doc.font('bold').fontSize(9).fillColor('#555555').text(document.title, MARGIN_X, 20, { width, lineBreak: false });
    if (document.mark !== null) {
      doc.rect(MARGIN_X, 34, width, 18).fill(MARK_COLOR);
      doc.font('bold').fontSize(9).fillColor('white').text(document.mark, MARGIN_X, 38.5, { width, align: 'center', lineBreak: false });
    }
    const footerY = doc.page.height - MARGIN_BOTTOM + 18;
    regular(doc).fontSize(7).fillColor('#555555').text(`${document.hashLabel}: ${document.sha256}`, MARGIN_X, footerY, { width: width - 90, lineBreak: false });
    doc.text(document.pageLabel(index - range.start + 1, range.count), MARGIN_X + width - 90, footerY, { width: 90, align: 'right', lineBreak: false });
    doc.page.margins = saved;
  }
}

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/** The statement as an unsigned PDF (sign it with sign.ts). */
export async function renderStatementPdf(document: StatementDocument, options: PdfOptions): Promise<Buffer> {
  const fonts = statementFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN_TOP, bottom: MARGIN_BOTTOM, left: MARGIN_X, right: MARGIN_X },
    bufferPages: true,
    // Our own font from the start: pdfkit's default Helvetica reads AFM files beside its sources, which the CLI bundle does not carry.
    font: fonts.regular,
    lang: document.locale,
    displayTitle: true,
    info: { Title: `${document.title} ${document.sha256.slice(0, 16)}`, Author: options.author, Creator: 'SettleDesk', Producer: 'SettleDesk (pdfkit)', CreationDate: options.createdAt, [PDF_HASH_KEY]: document.sha256 } as PDFKit.DocumentInfo,
  });
  const done = collect(doc);
  doc.registerFont('bold', fonts.bold);
  doc.font('bold').fontSize(16).fillColor('black').text(document.title, MARGIN_X, MARGIN_TOP, { width: contentWidth(doc) });
  for (const block of document.blocks) {
    if (block.kind === 'heading') heading(doc, block.text);
    else if (block.kind === 'fields') fields(doc, block.rows);
    else if (block.kind === 'paragraphs') paragraphs(doc, block.items);
    else table(doc, block);
  }
  decoratePages(doc, document);
  doc.end();
  return done;
}
