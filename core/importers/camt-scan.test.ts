import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateDemoMonth } from '../demo/generate.ts';
import { FileImportError } from '../ingest/errors.ts';
import { canonicalUnsignedDecimals, isIsoCalendarDate, readCamt, readCamtTree, readScannedCamt, type CamtDocument, type CamtOptions } from './camt.ts';
import { scanCamt } from './camt-scan.ts';
import { REAL_WORLD_DIR } from './real-world-manifest.test-support.ts';

/**
 * The scanner (camt-scan.ts) against the element tree (readCamtTree): on every camt file of the
 * repository, of the demo month and of the shared corpus, readCamt gives exactly what the element
 * tree gives (the same document, or the same error); plain files are read by the scanner, and
 * anything it does not take falls back to the tree.
 */
type Outcome = { readonly document: CamtDocument } | { readonly error: string };

function outcome(read: () => CamtDocument): Outcome {
  try {
    return { document: read() };
  } catch (error) {
    if (!(error instanceof FileImportError)) throw error;
    return { error: `${error.code}: ${error.message}` };
  }
}

function expectSameAsTree(text: string, name: string, options: CamtOptions = {}): void {
  expect(outcome(() => readCamt(text, name, null, options))).toEqual(outcome(() => readCamtTree(text, name, null, options)));
}

function xmlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return xmlFilesUnder(full);
    return entry.name.endsWith('.xml') ? [full] : [];
  });
}

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const repositoryCamt = xmlFilesUnder(FIXTURES)
  .filter((file) => /camt/.test(path.relative(FIXTURES, file)))
  .sort();
const corpusCamt = REAL_WORLD_DIR === null ? [] : ['camt053', 'camt054'].flatMap((dir) => xmlFilesUnder(path.join(REAL_WORLD_DIR as string, dir))).sort();

/** A plain camt.053 as banks and the reconcile bench write it: credits, a debit, a zero, a reversal, JPY, no details, value date only. */
const PLAIN = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-03-01T06:00:00</CreDtTm></GrpHdr>
<Stmt><Id>STMT-1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-02-28</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">735.37</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-02</Dt></Dt></Bal>
<Ntry><Amt Ccy="EUR">610.37</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-01</Dt></BookgDt><ValDt><Dt>2026-03-02</Dt></ValDt><AcctSvcrRef>BR0</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>E2E-1</EndToEndId><PmtInfId>PMT-1</PmtInfId></Refs><RltdPties><Dbtr><Nm>STRIPE PAYMENTS EUROPE LTD</Nm></Dbtr><DbtrAcct><Id><IBAN>IE29AIBK93115212345678</IBAN></Id></DbtrAcct></RltdPties><RmtInf><Ustrd>  STRIPE PAYOUT po_00000000 </Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
<Ntry><Amt Ccy="EUR">25.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-01</Dt></BookgDt><AcctSvcrRef>BR1</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd></Domn></BkTxCd><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RltdPties><Cdtr><Nm>LANDLORD</Nm></Cdtr></RltdPties><AddtlTxInf>RENT MARCH</AddtlTxInf></TxDtls></NtryDtls></Ntry>
<Ntry><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><ValDt><Dt>2026-03-02</Dt></ValDt><AddtlNtryInf>ZERO FEE</AddtlNtryInf></Ntry>
<Ntry><Amt Ccy="EUR">50.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-02</Dt></BookgDt><AcctSvcrRef>BR3</AcctSvcrRef></Ntry>
<Ntry><Amt Ccy="JPY">1200</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-03-02</Dt></BookgDt><AcctSvcrRef>BR4</AcctSvcrRef></Ntry>
</Stmt></BkToCstmrStmt></Document>
`;

describe('camt scanner: the same documents as the element tree', () => {
  it.each(repositoryCamt.map((file) => [path.relative(FIXTURES, file), file] as const))('repository fixture %s', (name, file) => {
    expectSameAsTree(readFileSync(file, 'utf8'), name);
    expectSameAsTree(readFileSync(file, 'utf8'), name, { reversalSign: 'inverted' });
  });

  it('the demo month camt.053 files, read by the scanner', () => {
    const files = generateDemoMonth({ small: true }).files.filter((file) => file.format === 'camt.053');
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(readScannedCamt(file.text, file.path), file.path).not.toBeNull();
      expectSameAsTree(file.text, file.path);
    }
  });

  it.skipIf(REAL_WORLD_DIR === null)('every camt file of the shared corpus (SETTLEDESK_REAL_WORLD)', () => {
    expect(corpusCamt.length).toBeGreaterThan(0);
    for (const file of corpusCamt) expectSameAsTree(readFileSync(file, 'utf8'), path.basename(file));
  });

  it('a plain statement is read by the scanner: hand-checked entries, same as the tree', () => {
    const scanned = readScannedCamt(PLAIN, 'plain.xml', 'camt.053');
    expect(scanned).not.toBeNull();
    expect(scanned).toEqual(readCamtTree(PLAIN, 'plain.xml', 'camt.053'));
    const entries = scanned?.output.entries ?? [];
    // 610.37 credit, 25.00 debit, a zero debit (no minus), a reversal signed by its CRDT, 1200 JPY.
    expect(entries.map((entry) => [entry.amount, entry.currency, entry.bookingDate, entry.valueDate, entry.description])).toEqual([
      ['610.37', 'EUR', '2026-03-01', '2026-03-02', 'STRIPE PAYOUT po_00000000'],
      ['-25.00', 'EUR', '2026-03-01', null, 'RENT MARCH'],
      ['0.00', 'EUR', null, '2026-03-02', 'ZERO FEE'],
      ['50.00', 'EUR', '2026-03-02', null, null],
      ['1200', 'JPY', '2026-03-02', null, null],
    ]);
    expect(entries[0]?.references).toEqual({ externalId: null, batchId: 'PMT-1', endToEndId: 'E2E-1', bankReference: 'BR0' });
    // Each entry points at its currency's section (EUR, then JPY), its fields in the same order from either reader.
    const fields = ['line', 'identity', 'kind', 'occurredAt', 'bookingDate', 'valueDate', 'amount', 'currency', 'account', 'partnerId', 'productId', 'channel', 'counterparty', 'references', 'description', 'customerRef', 'raw', 'statementIndex'];
    for (const read of [scanned, readCamtTree(PLAIN, 'plain.xml', 'camt.053')]) {
      expect(read?.output.entries.map((entry) => entry.statementIndex)).toEqual([0, 0, 0, 0, 1]);
      expect(read?.output.entries.map((entry) => Object.keys(entry))).toEqual(entries.map(() => fields));
    }
    expect(entries[1]?.references.endToEndId).toBeNull();
    expect(entries[1]?.raw['BkTxCd/Domn/Cd']).toBe('PMNT');
    expect(scanned?.statements[0]?.transactionDetailCount).toBe(2);
    expectSameAsTree(PLAIN, 'plain.xml', { reversalSign: 'inverted' });
  });

  it('keeps raw in the order of the tree, texts trimmed of any white space, repeated texts read each time', () => {
    const keys = (document: CamtDocument | null): string[][] => (document?.output.entries ?? []).map((entry) => Object.keys(entry.raw));
    const variants = [
      PLAIN,
      // Unicode white space around a leaf (trim's, not only ASCII's) and text beyond ASCII.
      PLAIN.replace('  STRIPE PAYOUT po_00000000 ', '\u00a0 STRIPE PAYOUT po_00000000\u3000').replace('LANDLORD', 'Müller Grundstücke GmbH'),
      // A text that repeats the last one of its path, one that it starts, and one that starts it.
      PLAIN.replace('<Sts>BOOK</Sts><BookgDt><Dt>2026-03-01</Dt></BookgDt><AcctSvcrRef>BR1', '<Sts>BOOKED</Sts><BookgDt><Dt>2026-03-01</Dt></BookgDt><AcctSvcrRef>BR1').replace('<Sts>BOOK</Sts><ValDt>', '<Sts>BOO</Sts><ValDt>'),
    ];
    for (const text of variants) {
      const scanned = readScannedCamt(text, 'plain.xml');
      expect(scanned).not.toBeNull();
      expect(scanned).toEqual(readCamtTree(text, 'plain.xml'));
      expect(keys(scanned)).toEqual(keys(readCamtTree(text, 'plain.xml')));
    }
    expect(readScannedCamt(variants[1] as string, 'plain.xml')?.output.entries.map((entry) => [entry.description, entry.counterparty.name]).slice(0, 2)).toEqual([
      ['STRIPE PAYOUT po_00000000', 'STRIPE PAYMENTS EUROPE LTD'],
      ['RENT MARCH', 'Müller Grundstücke GmbH'],
    ]);
    expect(readScannedCamt(variants[2] as string, 'plain.xml')?.output.entries.map((entry) => entry.raw['Sts'])).toEqual(['BOOK', 'BOOKED', 'BOO', 'BOOK', 'BOOK']);
    expect(keys(readScannedCamt(PLAIN, 'plain.xml'))[2]).toEqual(['Amt@Ccy', 'Amt', 'CdtDbtInd', 'Sts', 'ValDt/Dt', 'AddtlNtryInf']);
  });

  it('reads amounts and dates by their characters as the patterns they replace read them', () => {
    const canonical = /^(?:0|[1-9]\d{0,14})(?:\.(\d+))?$/;
    const date = /^(\d{4})-(\d{2})-(\d{2})$/;
    const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
    const amountText = fc.string({ unit: fc.constantFrom('0', '1', '5', '9', '.', '-', ' ', 'x', '٣'), maxLength: 20 });
    fc.assert(
      fc.property(amountText, (text) => {
        const match = canonical.exec(text);
        expect(canonicalUnsignedDecimals(text)).toBe(match === null ? -1 : (match[1]?.length ?? 0));
      }),
      { numRuns: 3000, seed: 18 },
    );
    // Hand-picked: 15 integer digits are canonical, 16 are not; a point needs digits after it.
    expect(['0', '0.00', '610.37', '123456789012345.1', '1234567890123456', '01.00', '1.', '.5', '', '1.2.3'].map(canonicalUnsignedDecimals)).toEqual([0, 2, 2, 1, -1, -1, -1, -1, -1, -1]);
    const dateText = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
      fc.string({ unit: fc.constantFrom('2', '0', '1', '9', '-', '/', ' ', 'T'), maxLength: 12 }),
    );
    fc.assert(
      fc.property(dateText, (text) => {
        const match = date.exec(text);
        const [year, month, day] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
        // Date.UTC reads years 0-99 as 1900-1999: 2000-2099 has their leap years.
        const expected = match !== null && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year < 100 ? year + 2000 : year, month);
        expect(isIsoCalendarDate(text)).toBe(expected);
      }),
      { numRuns: 3000, seed: 18 },
    );
    expect(['2024-02-29', '2023-02-29', '2000-02-29', '1900-02-29', '2026-04-31', '2026-12-31', '2026-13-01', '2026-1-01', '2026-01-01 '].map(isIsoCalendarDate)).toEqual([true, false, true, false, false, true, false, false, false]);
  });

  it('falls back to the element tree for what the scanner does not take, with the same result', () => {
    const variants: Array<[string, string, 'file' | 'entry']> = [
      ['a comment', PLAIN.replace('<Stmt>', '<!-- note --><Stmt>'), 'file'],
      ['an entity', PLAIN.replace('LANDLORD', 'SMITH &amp; SONS'), 'file'],
      ['a namespace prefix', PLAIN.replace(/<(\/?)Ntry>/g, '<$1c:Ntry>').replace('<Document xmlns=', '<Document xmlns:c="urn:x" xmlns='), 'file'],
      ['CRLF line ends', PLAIN.replace(/\n/g, '\r\n'), 'file'],
      ['a self-closing element', PLAIN.replace('<Sts>BOOK</Sts>', '<Sts/>'), 'file'],
      ['a DOCTYPE', PLAIN.replace('<Document', '<!DOCTYPE d [<!ENTITY x "y">]><Document'), 'file'],
      ['a processing instruction', PLAIN.replace('<Stmt>', '<?pi note?><Stmt>'), 'file'],
      ['a second XML declaration', `<?xml version="1.0"?>\n${PLAIN}`, 'file'],
      ['two details', PLAIN.replace('<TxDtls><Refs><EndToEndId>E2E-1', '<TxDtls><Refs><EndToEndId>E2E-0</EndToEndId></Refs></TxDtls><TxDtls><Refs><EndToEndId>E2E-1'), 'entry'],
      ['a structured remittance', PLAIN.replace('<Ustrd>  STRIPE PAYOUT po_00000000 </Ustrd>', '<Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd>'), 'entry'],
      ['a date with a time', PLAIN.replace('<BookgDt><Dt>2026-03-01</Dt></BookgDt><ValDt>', '<BookgDt><DtTm>2026-03-01T10:00:00+01:00</DtTm></BookgDt><ValDt>'), 'entry'],
      ['an entry to reject (bad amount)', PLAIN.replace('>610.37<', '>61O.37<'), 'entry'],
      ['an entry to reject (bad date)', PLAIN.replace('<Dt>2026-03-01</Dt></BookgDt><ValDt>', '<Dt>2026-02-30</Dt></BookgDt><ValDt>'), 'entry'],
      ['an amount written longer', PLAIN.replace('>610.37<', '>0610.370<'), 'entry'],
      ['a second message element', PLAIN.replace('</BkToCstmrStmt></Document>', '</BkToCstmrStmt><BkToCstmrStmt><Stmt><Ntry><Amt Ccy="EUR">1.00</Amt></Ntry></Stmt></BkToCstmrStmt></Document>'), 'entry'],
    ];
    for (const [what, text, level] of variants) {
      if (level === 'file') expect(scanCamt(text, () => ['BkToCstmrStmt', 'Stmt']), what).toBeNull();
      else if (what !== 'an amount written longer') expect(readScannedCamt(text, 'v.xml'), what).toBeNull();
      expectSameAsTree(text, 'v.xml');
    }
    // A rejected entry is the tree's: the file still imports the others and names the bad one.
    const rejected = readCamt(PLAIN.replace('>610.37<', '>61O.37<'), 'v.xml');
    expect(rejected.output.rejected.map((rejection) => rejection.code)).toEqual(['amount_not_decimal']);
    expect(rejected.output.entries).toHaveLength(4);
  });

  it('mutated plain statements: the scanner and the tree agree on every one', () => {
    const pieces = ['<', '>', '</', 'Ntry', 'Amt', ' Ccy="EUR"', '&', '\n', ' ', 'CRDT', 'DBIT', '0', '.', '-', '<Ntry>', '</Ntry>', '<Dt>', '</Dt>', 'x'];
    fc.assert(
      fc.property(fc.nat(PLAIN.length), fc.nat(12), fc.constantFrom(...pieces), (at, cut, insert) => {
        const text = PLAIN.slice(0, at) + insert + PLAIN.slice(Math.min(PLAIN.length, at + cut));
        expectSameAsTree(text, 'm.xml');
      }),
      { numRuns: 400, seed: 18 },
    );
  });
});
