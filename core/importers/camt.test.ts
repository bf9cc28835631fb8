import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileImportError } from '../ingest/errors.ts';
import { importFile as importBytes } from '../ingest/import-file.ts';
import type { ImportResult, StatementSummary } from '../ingest/result.ts';
import { sha256Hex } from '../hash/sha256.ts';
import { Decimal } from '../money/decimal.ts';
import { idFromReference } from '../transactions/identity.ts';
import { CanonicalTransaction } from '../transactions/schema.ts';
import { camt052Importer, camt053Importer, camt054Importer, readCamt, type CamtMessage, type CamtOptions } from './camt.ts';
import {
  expectAccountTotals,
  expectAllImported,
  expectAmount,
  expectBothOutcomes,
  expectParsesOrFailsTyped,
  importWith,
  importTextWith,
  byteMutated,
  describeRealWorld,
  manifestFiles,
  mutatedMarkup,
  readRealWorld,
  readRealWorldText,
  thrownBy,
  type ManifestAccountTotals,
  type ManifestFile,
} from './real-world-manifest.test-support.ts';

interface ManifestBalance {
  code: string;
  currency: string;
  amount: string;
  date: string | null;
}
type ManifestCamt = ManifestFile<{
  entry_count: number;
  statement_count: number;
  accounts: ManifestAccountTotals[];
  statements: Array<{ id: string; account: string; balances_reconcile: boolean | null; balances: ManifestBalance[]; entry_count: number; sum_credits: string; sum_debits: string; transaction_detail_count: number }>;
  sample_entries: Array<{ amount: string; currency: string; booking_date: string | null; booking_date_raw: string | null; value_date: string | null; reference: string | null; end_to_end_id: string | null; status: string }>;
}> & { format: CamtMessage; schema: string };

const camtFiles = manifestFiles(['camt.053', 'camt.054']) as ManifestCamt[];

const importerFor = (format: CamtMessage) => ({ 'camt.052': camt052Importer, 'camt.053': camt053Importer, 'camt.054': camt054Importer })[format];

function sumOf(values: readonly string[]): string {
  return values.reduce((total, value) => total.plus(value), new Decimal(0)).toFixed();
}

function importFile(entry: ManifestCamt): { text: string; result: ImportResult; document: ReturnType<typeof readCamt> } {
  const bytes = readRealWorld(entry.path);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const result = importWith(importerFor(entry.format), entry.format, text, { name: entry.path, sha256: sha256Hex(text), sizeBytes: bytes.length });
  return { text, result, document: readCamt(text, entry.path, entry.format) };
}

describeRealWorld('real camt files', () => describe.each(camtFiles.map((file) => [file.path, file] as const))('real camt file %s yields every MANIFEST fact', (_path, entry) => {
  const { text, result, document } = importFile(entry);
  const expected = entry.expected;

  it('is the file the MANIFEST describes, sniffed as its own format only', () => {
    expect(sha256Hex(readRealWorld(entry.path))).toBe(entry.sha256);
    const head = text.slice(0, 4096);
    expect(importerFor(entry.format).sniff(head, entry.path)).toBe(true);
    expect(importerFor(entry.format === 'camt.053' ? 'camt.054' : 'camt.053').sniff(head, entry.path)).toBe(false);
    expect(document.schema).toBe(entry.schema);
    expect(result.file).toEqual({ fileName: entry.path, sha256: sha256Hex(text), sizeBytes: entry.size_bytes, format: entry.format });
  });

  it('accounts for every entry and statement', () => {
    expectAllImported(result, expected.entry_count);
    expect(document.statements).toHaveLength(expected.statement_count);
    for (const transaction of result.transactions) expect(CanonicalTransaction.parse(transaction)).toEqual(transaction);
  });

  it('groups balances, counts and sums per account + currency', () => {
    const keys = [...new Set(result.statements.map((summary) => `${summary.account} ${summary.currency}`))];
    expect(keys).toEqual(expected.accounts.map((account) => `${account.account} ${account.currency}`));
    expectAccountTotals(result, expected.accounts);
  });

  it('reads each statement: id, account, every balance, sums, details, tags and reconciliation', () => {
    expected.statements.forEach((statement, index) => {
      const read = document.statements[index];
      expect(read?.id).toBe(statement.id);
      expect(read?.account).toBe(statement.account);
      expect(read?.transactionDetailCount).toBe(statement.transaction_detail_count);
      expect(read?.balances).toHaveLength(statement.balances.length);
      statement.balances.forEach((balance, position) => {
        const got = read?.balances[position];
        expect([got?.code, got?.currency, got?.date]).toEqual([balance.code, balance.currency, balance.date]);
        expectAmount(got?.amount, balance.amount, `${statement.id} ${balance.code}`);
      });
      const sections: StatementSummary[] = result.statements.filter((summary) => summary.statementId === statement.id);
      expect(sections.length).toBeGreaterThan(0);
      expect(sections.reduce((count, section) => count + section.entries, 0)).toBe(statement.entry_count);
      expectAmount(sumOf(sections.map((section) => section.credits)), statement.sum_credits, `${statement.id} credits`);
      expectAmount(sumOf(sections.map((section) => section.debits)), statement.sum_debits, `${statement.id} debits`);
      for (const balance of statement.balances) {
        const section = sections.find((summary) => summary.currency === balance.currency);
        if (balance.code === 'OPBD' || balance.code === 'PRCD') {
          expect(section?.openingTag).toBe(balance.code);
          expectAmount(section?.opening, balance.amount, `${statement.id} opening`);
        }
        if (balance.code === 'CLBD') {
          expect(section?.closingTag).toBe('CLBD');
          expectAmount(section?.closing, balance.amount, `${statement.id} closing`);
        }
      }
      const verdicts = sections.map((section) => section.balanced).filter((value) => value !== null);
      expect(verdicts).toEqual(statement.balances_reconcile === null ? [] : [statement.balances_reconcile]);
      for (const section of sections) expect(section.controlTotalsOk).toBeNull();
    });
    expect(result.issues.filter((issue) => issue.code === 'balance_mismatch')).toEqual([]);
  });

  it('reads the sample entries: amount, currency, dates, references and status', () => {
    expected.sample_entries.forEach((sample, index) => {
      const transaction = result.transactions[index];
      expect(transaction).toBeDefined();
      if (transaction === undefined) return;
      expectAmount(transaction.amount, sample.amount, `sample ${index} amount`);
      expect(transaction.currency).toBe(sample.currency);
      expect(transaction.bookingDate).toBe(sample.booking_date);
      expect(transaction.valueDate).toBe(sample.value_date);
      expect(transaction.occurredAt).toBe(sample.booking_date_raw ?? sample.booking_date);
      if (sample.booking_date_raw !== null) expect(transaction.raw['BookgDt/DtTm']).toBe(sample.booking_date_raw);
      // MANIFEST "reference": the bank's entry reference (AcctSvcrRef), else the end-to-end id.
      expect(transaction.references.bankReference ?? transaction.references.endToEndId).toBe(sample.reference);
      expect(transaction.references.endToEndId).toBe(sample.end_to_end_id);
      expect(transaction.raw.Sts ?? transaction.raw['Sts/Cd']).toBe(sample.status);
      expect(transaction.kind).toBe('transfer');
      const bankReference = transaction.references.bankReference;
      if (bankReference !== null) expect(transaction.id).toBe(idFromReference(`bank:${transaction.account ?? ''}`, transaction.account, bankReference));
    });
  });

  it('gives the same ids when the file is imported again', () => {
    expect(importFile(entry).result.transactions.map((transaction) => transaction.id)).toEqual(result.transactions.map((transaction) => transaction.id));
  });
}));

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/camt/${name}`, import.meta.url), 'utf8');
/** Regression fixtures of issue 14 ("Trust every file"). */
const issue14 = (name: string): string => readFileSync(new URL(`./fixtures/camt-issue14/${name}`, import.meta.url), 'utf8');

function run(text: string, format: CamtMessage = 'camt.053', options?: CamtOptions): ImportResult {
  const importer = importerFor(format);
  if (options === undefined) return importTextWith(importer, format, text, 'test.xml');
  return importTextWith({ ...importer, parse: (source, context) => importer.parse(source, context, options) }, format, text, 'test.xml');
}

const failure = (runIt: () => unknown) => thrownBy(runIt);

/** 1-based lines of each "<Ntry>" in the text, found independently of the parser. */
function entryLines(text: string): number[] {
  return text.split('\n').flatMap((line, index) => (/<(\w+:)?Ntry>/.test(line) ? [index + 1] : []));
}

describe('camt.053.001.08: prefixes, Sts/Cd, Pty, reversal, DtTm, control totals', () => {
  const text = fixture('camt053-v08-totals-reversal.xml');
  const result = run(text);

  it('signs entries by CdtDbtInd, a reversal too, and keeps DtTm with its offset only', () => {
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.occurredAt, transaction.bookingDate, transaction.valueDate])).toEqual([
      ['10.50', '2024-02-01T09:15:00+01:00', '2024-02-01', '2024-02-01'],
      ['-80.00', '2024-02-01', '2024-02-01', null],
    ]);
    const [first, second] = result.transactions;
    expect(first?.counterparty).toEqual({ name: 'Studio & Sons', account: 'FR1420041010050500013M02606' });
    expect(first?.references).toEqual({ externalId: null, batchId: 'P1', endToEndId: 'E2E-1', bankReference: 'REF-1' });
    expect(first?.description).toBe('Invoice 42');
    expect(first?.raw['Sts/Cd']).toBe('BOOK');
    expect(first?.raw['NtryDtls/TxDtls/Refs/TxId']).toBe('T1');
    // The reversal of a credit is booked DBIT: -80.00, and it is still marked as a reversal.
    expect(second?.raw['RvslInd']).toBe('true');
    expect(second?.references.endToEndId).toBeNull();
    expect(second?.description).toBe('Return of payment');
    expect(result.transactions.map((transaction) => transaction.source.line)).toEqual(entryLines(text));
  });

  it('sums to a balanced statement with PRCD opening and CLBD closing', () => {
    expect(result.statements).toHaveLength(1);
    expect(result.statements[0]).toMatchObject({ account: 'DE89370400440532013000', currency: 'EUR', statementId: 'STMT-8', opening: '100.00', openingTag: 'PRCD', closing: '30.50', closingTag: 'CLBD', credits: '10.50', debits: '80.00', entries: 2, balanced: true });
  });

  it('flags TxsSummry totals that disagree, and passes ones that agree', () => {
    expect(result.statements[0]?.controlTotalsOk).toBe(false);
    const issue = result.issues.find((candidate) => candidate.code === 'control_total_mismatch');
    expect(issue?.line).toBe(6);
    expect(issue?.message).toContain('TtlNtries/NbOfNtries 3 but 2 read');
    // The same as a code and values: the summary states 3 entries, the statement has 2 (one credit, one debit).
    expect(issue?.says).toBe('summary_mismatch');
    expect(issue?.params).toMatchObject({ element: 'Stmt', statementId: 'STMT-8', account: 'DE89370400440532013000', 'stated.TtlNtries/NbOfNtries': '3', 'read.TtlNtries/NbOfNtries': '2' });
    const agreeing = text.replace(/<c:TxsSummry>[\s\S]*<\/c:TxsSummry>/, '<c:TxsSummry><c:TtlNtries><c:NbOfNtries>2</c:NbOfNtries><c:Sum>90.5</c:Sum></c:TtlNtries><c:TtlCdtNtries><c:NbOfNtries>1</c:NbOfNtries><c:Sum>10.50</c:Sum></c:TtlCdtNtries><c:TtlDbtNtries><c:NbOfNtries>1</c:NbOfNtries><c:Sum>80.00</c:Sum></c:TtlDbtNtries></c:TxsSummry>');
    const good = run(agreeing);
    expect(good.statements[0]?.controlTotalsOk).toBe(true);
    expect(good.issues).toEqual([]);
  });

  it('is read by every version 02..08 and refused for others', () => {
    for (const version of ['02', '03', '04', '05', '06', '07', '08']) {
      expect(readCamt(text.replace('xsd:camt.053.001.08', `xsd:camt.053.001.${version}`), 'v.xml').schema).toBe(`camt.053.001.${version}`);
    }
    expect(failure(() => run(text.replace('xsd:camt.053.001.08', 'xsd:camt.053.001.09'))).code).toBe('file_format_unrecognized');
    expect(failure(() => run(text.replace('xsd:camt.053.001.08', 'xsd:camt.055.001.08'))).code).toBe('file_format_unrecognized');
    // A camt.052 is read, but as what it is: not as the camt.053 the caller asked for.
    expect(failure(() => run(text.replace('xsd:camt.053.001.08', 'xsd:camt.052.001.08'))).code).toBe('file_format_mismatch');
    expect(failure(() => run(text, 'camt.054')).code).toBe('file_format_mismatch');
  });
});

describe('camt batch bookings carry their details and links (issue 18)', () => {
  const statement = readCamt(fixture('camt053-v04-batches.xml'), 'batches.xml', 'camt.053');
  const notification = readCamt(fixture('camt054-v04-batch-details.xml'), 'details.xml', 'camt.054');

  it('reads the statement end from FrToDt/ToDtTm as written, else the closing balance date', () => {
    // ToDtTm 2026-03-31T23:59:59+02:00: the statement's own day, not shifted to UTC; CLBD is dated 03-30.
    expect(statement.statements[0]?.periodEnd).toBe('2026-03-31');
    const withoutPeriod = readCamt(fixture('camt053-v04-batches.xml').replace(/<FrToDt>.*<\/FrToDt>/, ''), 'b.xml', 'camt.053');
    expect(withoutPeriod.statements[0]?.periodEnd).toBe('2026-03-30');
  });

  it('lists each batch entry with its links, stated count and signed details (Amt or AmtDtls/TxAmt/Amt)', () => {
    expect(statement.batches.map((batch) => [batch.entryLine, batch.amount, batch.accountServicerReference, batch.paymentInformationId, batch.messageId, batch.statedCount, batch.details.map((detail) => detail.amount), batch.problems])).toEqual([
      // 100.00 + 120.00 + 80.00 = 300.00 booked.
      [16, '300.00', 'BATCH-300', 'PMT-77', 'MSG-77', 3, ['100.00', '120.00', '80.00'], []],
      // 150.00 + 145.00 = 295.00 against 290.00 booked: read as written, reconcile says it does not add up.
      [45, '290.00', 'BATCH-290', null, null, 2, ['150.00', '145.00'], []],
    ]);
    // A collective booking without TxDtls (entry 3) has nothing to detail here: its camt.054 does.
    const [first] = statement.batches;
    expect(first?.details.map((detail) => [detail.endToEndId, detail.counterparty.name, detail.description])).toEqual([
      ['INV-9001', 'Studio North', 'INV-9001'],
      ['INV-9002', 'Studio South', 'INV-9002'],
      [null, 'Studio East', 'Invoice INV-9003'],
    ]);
    expect(notification.batches.map((batch) => [batch.message, batch.accountServicerReference, batch.messageId, batch.details.map((detail) => [detail.amount, detail.endToEndId])])).toEqual([
      ['camt.054', 'COLL-50', 'MSG-88', [['20.00', 'INV-9004'], ['30.00', 'INV-9005']]],
    ]);
  });

  it('keeps importing the entries as booked: the batch is one bank line, its details do not add to the balance', () => {
    const result = run(fixture('camt053-v04-batches.xml'));
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['300.00', '290.00', '50.00']);
    // 1000.00 + 300.00 + 290.00 + 50.00 = 1640.00 = CLBD.
    expect(result.statements[0]).toMatchObject({ opening: '1000.00', closing: '1640.00', balanced: true });
  });

  it('names a detail it cannot read instead of dropping it', () => {
    const broken = readCamt(fixture('camt053-v04-batches.xml').replace('<Amt Ccy="EUR">120.00</Amt>', '<Amt Ccy="EUR">12O.00</Amt>'), 'b.xml', 'camt.053');
    expect(broken.batches[0]?.details.map((detail) => detail.amount)).toEqual(['100.00', '80.00']);
    expect(broken.batches[0]?.problems).toHaveLength(1);
    expect(broken.batches[0]?.problems[0]).toMatch(/^line 31: TxDtls Amt/);
  });
});

describe('camt entries that cannot be read become Rejections; the rest imports', () => {
  const text = fixture('camt053-v02-bad-entries.xml');
  const result = run(text);
  const lines = entryLines(text);

  it('imports the good entries, including one in another currency', () => {
    expect(result.rowsRead).toBe(9);
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.currency, transaction.occurredAt, transaction.source.line])).toEqual([
      ['12.34', 'EUR', '2024-03-01', lines[0]],
      ['-7.25', 'USD', '2024-03-03', lines[8]],
    ]);
    expect(result.statements.map((summary) => [summary.currency, summary.entries, summary.credits, summary.debits])).toEqual([
      ['EUR', 1, '12.34', '0.00'],
      ['USD', 1, '0.00', '7.25'],
    ]);
  });

  it('rejects each bad entry with its line, element path and code', () => {
    expect(result.rejected.map((rejection) => [rejection.line, rejection.column, rejection.code])).toEqual([
      [lines[1], 'Stmt/Ntry/Amt', 'amount_grouping'],
      [lines[2], 'Stmt/Ntry/BookgDt', 'date_invalid'],
      [lines[3], 'Stmt/Ntry/CdtDbtInd', 'field_missing'],
      [lines[4], 'Stmt/Ntry/Amt@Ccy', 'currency_unknown'],
      [lines[5], 'Stmt/Ntry/Amt', 'amount_minor_units'],
      [lines[6], 'Stmt/Ntry/Amt', 'amount_not_decimal'],
      [lines[7], 'Stmt/Ntry/BookgDt', 'date_missing'],
    ]);
    for (const rejection of result.rejected) expect(rejection.raw.startsWith('<Ntry>')).toBe(true);
    expect(result.rowsRead).toBe(result.transactions.length + result.rejected.length + result.duplicates.length);
  });

  it('says what each reason says as a code and its values, the English reason unchanged', () => {
    expect(result.rejected.map((rejection) => [rejection.reason, rejection.says, rejection.params])).toEqual([
      ['amount "12,34": digit grouping does not match the format (decimal separator ".", group separators [])', 'amount_text_unreadable', { value: '12,34', problem: 'grouping', decimalSeparator: '.', groupSeparators: '[]' }],
      ['BookgDt: expected Dt YYYY-MM-DD or DtTm YYYY-MM-DDThh:mm:ss[offset]', 'camt_date_invalid', { element: 'BookgDt' }],
      ['the entry has no CdtDbtInd', 'camt_direction_missing', {}],
      ['unknown currency "XYZ"', 'currency_text_unknown', { value: 'XYZ' }],
      ['amount "5.5" has more decimals than JPY allows (0)', 'amount_text_minor_units', { value: '5.5', currency: 'JPY', digits: '0' }],
      ['amount "-5.00": camt amounts are unsigned, the direction is CdtDbtInd', 'camt_amount_signed', { value: '-5.00' }],
      ['the entry has neither BookgDt nor ValDt', 'camt_date_missing', {}],
    ]);
    // The other reasons, on entries of the same file with one fact broken each.
    const entry = text.slice(text.indexOf('<Ntry>'), text.indexOf('</Ntry>') + '</Ntry>'.length);
    const broken = (from: string, to: string) => text.replace(entry, entry.replace(from, to));
    const said = (changed: string) => run(changed).rejected.map((rejection) => [rejection.reason, rejection.says, rejection.params])[0];
    expect(entry).toContain('<CdtDbtInd>CRDT</CdtDbtInd>');
    expect(said(broken('<CdtDbtInd>CRDT</CdtDbtInd>', '<CdtDbtInd>CR</CdtDbtInd>'))).toEqual(['CdtDbtInd "CR": expected CRDT or DBIT', 'camt_direction_invalid', { value: 'CR' }]);
    expect(said(broken('<CdtDbtInd>CRDT</CdtDbtInd>', '<CdtDbtInd>CRDT</CdtDbtInd><RvslInd>yes</RvslInd>'))).toEqual(['RvslInd "yes": expected true or false', 'camt_reversal_invalid', { value: 'yes' }]);
    expect(said(broken(/<Amt Ccy="EUR">[^<]*<\/Amt>/.exec(entry)?.[0] ?? '', '<Amt Ccy="EUR"></Amt>'))).toEqual(['the entry has no Amt', 'camt_amount_missing', {}]);
    expect(said(broken('<Amt Ccy="EUR">', '<Amt>').replace('<Ccy>EUR</Ccy></Acct>', '</Acct>'))).toEqual(['Amt has no Ccy and the account states none', 'camt_currency_missing', {}]);
  });
});

describe('camt reversals: the sign is CdtDbtInd, RvslInd only marks the entry (issue 14)', () => {
  const iso = issue14('reversals-iso.xml');
  const inverted = issue14('reversals-inverted.xml');
  const amounts = (result: ImportResult) => result.transactions.map((transaction) => transaction.amount);

  it('signs a reversed credit booked DBIT as a debit, a returned debit booked CRDT as a credit', () => {
    const result = run(iso);
    // CRDT 50.00, DBIT+RvslInd 50.00, DBIT 20.00, CRDT+RvslInd 7.25: each as its CdtDbtInd says.
    expect(amounts(result)).toEqual(['50.00', '-50.00', '-20.00', '7.25']);
    expect(result.transactions.map((transaction) => transaction.raw['RvslInd'] ?? null)).toEqual([null, 'true', null, 'true']);
    // 100.00 + 50.00 - 50.00 - 20.00 + 7.25 = 87.25 = CLBD.
    expect(result.statements[0]).toMatchObject({ opening: '100.00', closing: '87.25', credits: '57.25', debits: '70.00', balanced: true });
    expect(result.issues).toEqual([]);
  });

  it('says so, without guessing, when the balances add up only with reversals turned round', () => {
    const result = run(inverted);
    expect(amounts(result)).toEqual(['50.00', '-50.00', '-20.00', '7.25']);
    // As read: 100.00 + 50.00 - 50.00 - 20.00 + 7.25 = 87.25, not the CLBD 172.75.
    expect(result.statements[0]).toMatchObject({ closing: '172.75', balanced: false });
    const issue = result.issues.find((candidate) => candidate.code === 'reversal_convention');
    expect(issue?.line).toBe(6);
    expect(issue?.message).toContain('--camt-reversals inverted');
    expect(result.issues.map((candidate) => candidate.code).sort()).toEqual(['balance_mismatch', 'reversal_convention']);
  });

  it("reads the other banks' convention when the user chooses it, and warns when it does not fit", () => {
    const result = run(inverted, 'camt.053', { reversalSign: 'inverted' });
    // 100.00 + 50.00 + 50.00 - 20.00 - 7.25 = 172.75 = CLBD.
    expect(amounts(result)).toEqual(['50.00', '50.00', '-20.00', '-7.25']);
    expect(result.statements[0]).toMatchObject({ credits: '100.00', debits: '27.25', balanced: true });
    expect(result.issues).toEqual([]);
    const wrongChoice = run(iso, 'camt.053', { reversalSign: 'inverted' });
    expect(wrongChoice.statements[0]?.balanced).toBe(false);
    expect(wrongChoice.issues.find((candidate) => candidate.code === 'reversal_convention')?.message).toContain('--camt-reversals cdtdbtind');
  });

  it('passes the option through the importer and ignores options of other importers', () => {
    const context = { fileName: 'x.xml', sha256: 'f'.repeat(64), pseudonymize: (id: string) => id };
    const signed = (options: unknown) => camt053Importer.parse(inverted, context, options as CamtOptions).entries.map((entry) => entry.amount);
    expect(signed({ reversalSign: 'inverted' })).toEqual(['50.00', '50.00', '-20.00', '-7.25']);
    expect(signed({ delimiter: ';' })).toEqual(['50.00', '-50.00', '-20.00', '7.25']);
  });
});

describe('camt.052 intraday reports are read like camt.053, as reports', () => {
  const text = issue14('052-v08-intraday.xml');

  it('reads Rpt entries and balances and keeps the report type', () => {
    const document = readCamt(text, 'r.xml');
    expect(document).toMatchObject({ message: 'camt.052', version: '08', schema: 'camt.052.001.08', messageId: 'RPT-052' });
    const result = run(text, 'camt.052');
    expect(result.file.format).toBe('camt.052');
    expect(result.transactions.map((transaction) => [transaction.amount, transaction.currency, transaction.references.bankReference])).toEqual([
      ['250.00', 'CHF', 'R052-1'],
      ['-99.99', 'CHF', 'R052-2'],
    ]);
    // 1000.00 + 250.00 - 99.99 = 1150.01 = CLBD; ITBD is an interim balance, not the closing one.
    expect(result.statements[0]).toMatchObject({ statementId: 'RPT-052-1', opening: '1000.00', closing: '1150.01', closingTag: 'CLBD', balanced: true });
    expect(result.issues).toEqual([]);
  });

  it('is sniffed as camt.052 and read in every version 01..08 (01 names the message ...V01 and the balance type Tp/Cd)', () => {
    expect(camt052Importer.sniff(text, 'r.xml')).toBe(true);
    expect(camt053Importer.sniff(text, 'r.xml')).toBe(false);
    for (const version of ['02', '03', '04', '05', '06', '07']) {
      expect(readCamt(text.replace('xsd:camt.052.001.08', `xsd:camt.052.001.${version}`), 'r.xml', 'camt.052').schema).toBe(`camt.052.001.${version}`);
    }
    const v01 = text
      .replace('xsd:camt.052.001.08', 'xsd:camt.052.001.01')
      .replaceAll('BkToCstmrAcctRpt>', 'BkToCstmrAcctRptV01>')
      .replaceAll(/<CdOrPrtry>(<Cd>\w+<\/Cd>)<\/CdOrPrtry>/g, '$1');
    expect(camt052Importer.sniff(v01, 'r.xml')).toBe(true);
    const result = run(v01, 'camt.052');
    expect(result.statements[0]).toMatchObject({ opening: '1000.00', closing: '1150.01', balanced: true });
    expect(failure(() => run(text.replace('xsd:camt.052.001.08', 'xsd:camt.052.001.09'), 'camt.052')).code).toBe('file_format_unrecognized');
    expect(failure(() => run(text, 'camt.053')).code).toBe('file_format_mismatch');
  });
});

describe('camt files that break a rule while every amount, sign and date is readable import with a warning', () => {
  const text = issue14('lenient-balances.xml');
  const result = run(text);
  const lineOf = (needle: string): number => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

  it('imports every entry (stray spaces around amount and indicator, a blank control total)', () => {
    expect(result.rowsRead).toBe(2);
    expect(result.transactions.map((transaction) => transaction.amount)).toEqual(['20.50', '-5.00']);
    expect(result.rejected).toEqual([]);
    expect(result.statements[0]?.controlTotalsOk).toBe(true);
  });

  it('names each broken rule and its line, and leaves the statement unchecked rather than guessed', () => {
    const warnings = result.issues.filter((issue) => issue.code === 'format_rule_broken');
    expect(warnings.map((issue) => issue.line)).toEqual([lineOf('<Cd>CLAV</Cd>'), lineOf('<Bal><Amt'), lineOf('<Id>LAX-STMT-1</Id>') - 1]);
    expect(warnings[0]?.message).toContain('has no CdtDbtInd');
    expect(warnings[1]?.message).toContain('has no type code');
    expect(warnings[2]?.message).toContain('no closing balance (CLBD)');
    expect(warnings.map((issue) => issue.says)).toEqual(['balance_sign_missing', 'balance_type_missing', 'clbd_missing']);
    expect(warnings[0]?.params).toMatchObject({ balance: 'CLAV', lines: String(lineOf('<Cd>CLAV</Cd>')), more: '' });
    expect(warnings[2]?.params).toMatchObject({ element: 'Stmt', statementId: 'LAX-STMT-1' });
    // Without CLBD, balanced is "unknown", never true.
    expect(result.statements[0]).toMatchObject({ opening: '40.00', closing: null, balanced: null });
  });

  it('keeps a zero balance without CdtDbtInd: zero has no sign to guess', () => {
    const zero = run(text.replace('<Amt Ccy="EUR">55.50</Amt>', '<Amt Ccy="EUR">0.00</Amt>').replace('<Cd>CLAV</Cd>', '<Cd>CLBD</Cd>').replace('<Amt Ccy="EUR">40.00</Amt>', '<Amt Ccy="EUR">15.50</Amt><CdtDbtInd>DBIT</CdtDbtInd>'));
    // -15.50 + 20.50 - 5.00 = 0.00 = CLBD.
    expect(zero.statements[0]).toMatchObject({ opening: '-15.50', closing: '0.00', balanced: true });
  });

  it('still refuses a balance whose amount cannot be read', () => {
    expect(failure(() => run(text.replace('<Amt Ccy="EUR">40.00</Amt>', '<Amt Ccy="EUR">4O.00</Amt>')))).toMatchObject({ code: 'file_malformed', location: { line: lineOf('<Cd>OPBD</Cd>') } });
  });
});

describe('camt rejections name their statement section', () => {
  it('so a statement that adds up without its rejected entry is not shown as balanced', () => {
    // OPBD 100.00 + 50.00 - 50.00 - 20.00 + 7.25 = 87.25 = CLBD, but a fifth entry (9.99, unreadable date) is lost.
    const text = issue14('reversals-iso.xml').replace('</Stmt>', '<Ntry><Amt Ccy="EUR">9.99</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-05-32</Dt></BookgDt></Ntry></Stmt>');
    const result = run(text);
    expect(result.rejected.map((rejection) => [rejection.code, rejection.statementIndex])).toEqual([['date_invalid', 0]]);
    expect(result.statements[0]?.closing).toBe('87.25');
    expect(result.statements[0]?.balanced).not.toBe(true);
  });

  it('points each rejected entry at the section of its currency, else the statement first section', () => {
    const result = run(fixture('camt053-v02-bad-entries.xml'));
    expect(result.statements.map((summary) => summary.currency)).toEqual(['EUR', 'USD']);
    expect(result.rejected.map((rejection) => rejection.statementIndex)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('camt files refused whole, with typed errors', () => {
  it.each([
    ['camt053-xxe.xml', 'xml_doctype_refused'],
    ['camt053-billion-laughs.xml', 'xml_doctype_refused'],
    ['camt053-truncated.xml', 'xml_malformed'],
  ])('%s -> %s', (name, code) => {
    expect(failure(() => run(fixture(name))).code).toBe(code);
  });

  it('refuses an Ntry that no statement holds, which would be lost', () => {
    const text = fixture('camt053-v02-bad-entries.xml');
    const misspelt = text.replaceAll('<Stmt>', '<Stmx>').replaceAll('</Stmt>', '</Stmx>');
    expect(failure(() => run(misspelt))).toMatchObject({ code: 'file_malformed', location: { line: entryLines(text)[0] } });
  });

  it('says a whole file refused as a code and values beside its English', () => {
    const said = (text: string, format: CamtMessage = 'camt.053'): [string, unknown] => {
      const error = failure(() => run(text, format));
      return [error.message, error.details];
    };
    const v08 = fixture('camt053-v02-bad-entries.xml').replace('xsd:camt.053.001.02', 'xsd:camt.053.001.08');
    expect(said('<Statement xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>')).toEqual(['test.xml: the root element is <Statement>, a camt file starts with <Document>', { says: 'camt_root_not_document', root: 'Statement' }]);
    expect(said('<Document xmlns="urn:example:statement"/>')).toEqual([
      'test.xml: namespace "urn:example:statement" is not camt.052, camt.053 or camt.054 (urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN)',
      { says: 'camt_namespace_unknown', namespace: '"urn:example:statement"' },
    ]);
    expect(said(v08.replace('xsd:camt.053.001.08', 'xsd:camt.053.001.09'))).toEqual(['test.xml: camt.053.001.09 is not supported (versions 02 to 08 are)', { says: 'camt_version_unsupported', schema: 'camt.053.001.09', first: '02', last: '08' }]);
    expect(said(v08, 'camt.054')).toEqual(['test.xml: this is a camt.053.001.08 file, not camt.054', { says: 'camt_message_other', schema: 'camt.053.001.08', expected: 'camt.054' }]);
    expect(said('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><Other/></Document>')).toEqual(['test.xml: camt.053.001.08 has no <BkToCstmrStmt> under <Document>', { says: 'camt_message_missing', schema: 'camt.053.001.08', element: 'BkToCstmrStmt' }]);
    const text = fixture('camt053-v02-bad-entries.xml');
    const misspelt = text.replaceAll('<Stmt>', '<Stmx>').replaceAll('</Stmt>', '</Stmx>');
    const line = String(entryLines(text)[0]);
    expect(said(misspelt)).toEqual([`test.xml: line ${line}: an Ntry outside the Stmt of the message would be lost`, { says: 'camt_entry_stray', line, statement: 'Stmt' }]);
  });

  it('says a statement\'s broken account or balance as a code and values beside its English', () => {
    const doc = (account: string, balance: string) => `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>X</Id>\n<Acct>${account}</Acct>\n${balance}\n</Stmt></BkToCstmrStmt></Document>`;
    const account = '<Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy>';
    const balance = (amount: string, creditDebit = 'CRDT', date = '<Dt>2024-03-01</Dt>') => `<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>${amount}<CdtDbtInd>${creditDebit}</CdtDbtInd><Dt>${date}</Dt></Bal>`;
    const said = (text: string): [string, unknown] => {
      const error = failure(() => run(text));
      return [error.message, error.details];
    };
    const at = (path: string, line = '3') => ({ line, path });
    expect(said(doc(account, balance('<Amt Ccy="XXQ">1.00</Amt>')))).toEqual(['test.xml: line 3, Stmt/Bal/Amt: balance OPBD needs an Amt with a known Ccy', { says: 'camt_balance_amount_missing', ...at('Stmt/Bal/Amt'), balance: 'OPBD' }]);
    expect(said(doc(account, balance('<Amt Ccy="EUR">1,00</Amt>')))).toEqual([
      'test.xml: line 3, Stmt/Bal/Amt: balance OPBD: amount "1,00": digit grouping does not match the format (decimal separator ".", group separators [])',
      { says: 'camt_balance_amount', ...at('Stmt/Bal/Amt'), balance: 'OPBD', amountSays: 'amount_text_unreadable', value: '1,00', problem: 'grouping', decimalSeparator: '.', groupSeparators: '[]' },
    ]);
    expect(said(doc(account, balance('<Amt Ccy="JPY">1.5</Amt>')))).toEqual([
      'test.xml: line 3, Stmt/Bal/Amt: balance OPBD: amount "1.5" has more decimals than JPY allows (0)',
      { says: 'camt_balance_amount', ...at('Stmt/Bal/Amt'), balance: 'OPBD', amountSays: 'amount_text_minor_units', value: '1.5', currency: 'JPY', digits: '0' },
    ]);
    expect(said(doc(account, balance('<Amt Ccy="EUR">1.00</Amt>', 'UP')))).toEqual(['test.xml: line 3, Stmt/Bal/CdtDbtInd: balance OPBD: CdtDbtInd must be CRDT or DBIT', { says: 'camt_balance_direction_invalid', ...at('Stmt/Bal/CdtDbtInd'), balance: 'OPBD' }]);
    expect(said(doc(account, balance('<Amt Ccy="EUR">1.00</Amt>', 'CRDT', '<Dt>x</Dt>')))).toEqual(['test.xml: line 3, Stmt/Bal/Dt: balance OPBD: expected Dt YYYY-MM-DD or DtTm', { says: 'camt_balance_date_invalid', ...at('Stmt/Bal/Dt'), balance: 'OPBD' }]);
    expect(said(doc('<Ccy>EUR</Ccy>', ''))).toEqual(['test.xml: line 1, Stmt/Acct/Id: the account has neither IBAN nor Othr/Id', { says: 'camt_account_missing', ...at('Stmt/Acct/Id', '1') }]);
    expect(said(doc('<Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>XYZ</Ccy>', ''))).toEqual(['test.xml: line 1, Stmt/Acct/Ccy: unknown currency "XYZ"', { says: 'camt_account_currency_unknown', ...at('Stmt/Acct/Ccy', '1'), value: 'XYZ' }]);
  });

  it('refuses a wrong root element, not-XML, and a statement without an account', () => {
    expect(failure(() => run('<Statement xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"/>'))).toMatchObject({ code: 'file_format_mismatch', location: { line: 1 } });
    expect(failure(() => run('Date;Amount\n2024-01-01;5.00')).code).toBe('xml_malformed');
    const noAccount = '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>X</Id>\n<Acct><Ccy>EUR</Ccy></Acct></Stmt></BkToCstmrStmt></Document>';
    expect(failure(() => run(noAccount))).toMatchObject({ code: 'file_malformed', location: { line: 1, column: 'Stmt/Acct/Id' } });
  });
});

describe('camt entries generated at random: each is imported with the right sign or rejected', () => {
  const EXPONENTS: Record<string, number> = { EUR: 2, JPY: 0, KWD: 3 };
  const entryArbitrary = fc.record({
    amount: fc.oneof(
      fc.tuple(fc.stringMatching(/^\d{1,6}$/), fc.option(fc.stringMatching(/^\d{1,4}$/), { nil: undefined })).map(([whole, fraction]) => (fraction === undefined ? whole : `${whole}.${fraction}`)),
      fc.constantFrom('', '-1.00', '1,00', '1e3', 'abc', '+2'),
    ),
    currency: fc.constantFrom('EUR', 'JPY', 'KWD', 'XXX'),
    indicator: fc.constantFrom('CRDT', 'DBIT', 'CRDT', 'DBIT', 'BOTH'),
    reversal: fc.boolean(),
    date: fc.constantFrom('2024-01-31', '2024-02-29', '2023-02-29', '2024-13-01', '31.01.2024'),
  });
  type Generated = typeof entryArbitrary extends fc.Arbitrary<infer T> ? T : never;

  /** The oracle, written from the camt rules rather than from the parser. */
  function expected(entry: Generated): Decimal | null {
    const exponent = EXPONENTS[entry.currency];
    if (exponent === undefined || !/^\d+(\.\d+)?$/.test(entry.amount)) return null;
    if ((entry.amount.split('.')[1] ?? '').replace(/0+$/, '').length > exponent) return null;
    if (entry.indicator === 'BOTH' || !['2024-01-31', '2024-02-29'].includes(entry.date)) return null;
    // ISO 20022: CdtDbtInd is the booked direction; RvslInd does not change the sign.
    return entry.indicator === 'CRDT' ? new Decimal(entry.amount) : new Decimal(entry.amount).negated();
  }

  const toXml = (entry: Generated): string =>
    `<Ntry><Amt Ccy="${entry.currency}">${entry.amount}</Amt><CdtDbtInd>${entry.indicator}</CdtDbtInd><RvslInd>${entry.reversal}</RvslInd><BookgDt><Dt>${entry.date}</Dt></BookgDt></Ntry>`;

  it('matches the oracle for every entry and keeps the row account', () => {
    fc.assert(
      fc.property(fc.array(entryArbitrary, { maxLength: 12 }), (generated) => {
        const text = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"><BkToCstmrStmt><Stmt><Id>P</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>\n${generated.map(toXml).join('\n')}\n</Stmt></BkToCstmrStmt></Document>`;
        const result = run(text);
        const accepted = generated.map(expected).filter((value): value is Decimal => value !== null);
        expect(result.rowsRead).toBe(generated.length);
        expect(result.rejected).toHaveLength(generated.length - accepted.length);
        // Entries without AcctSvcrRef get fingerprint ids with an occurrence index: identical rows all stay.
        expect(result.duplicates).toEqual([]);
        expect(result.transactions).toHaveLength(accepted.length);
        const amounts = result.transactions.map((transaction) => new Decimal(transaction.amount));
        expect(amounts.every((amount, index) => amount.equals(accepted[index] ?? 'NaN'))).toBe(true);
        expect(result.rejected.map((rejection) => rejection.line)).toEqual(generated.flatMap((entry, index) => (expected(entry) === null ? [index + 2] : [])));
      }),
      { numRuns: 300 },
    );
  });
});

describe('camt fuzzing: a ParseOutput or a SettleDeskError, never a TypeError', () => {
  const samples = [...camtFiles.map((file) => readRealWorldText(file.path)), fixture('camt053-v08-totals-reversal.xml'), fixture('camt053-v02-bad-entries.xml')];

  const seen = { imported: 0, refused: 0 };

  function survives(text: string): void {
    for (const format of ['camt.053', 'camt.054'] as const) {
      seen[expectParsesOrFailsTyped(() => importerFor(format).parse(text, { fileName: 'test.xml', sha256: sha256Hex(text), pseudonymize: (id) => id }), 'test.xml', format, text.length)]++;
    }
  }

  it('survives arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), survives), { numRuns: 300 });
  });

  it('survives mutated real files (deleted, replaced and inserted text, truncation)', () => {
    const pieces = ['<', '>', '</Ntry>', '<Ntry>', 'CRDT', 'DBIT', '-', '1e5', '12,50', '0.001', 'BOOK', '2024-02-30', '2024-01-01T10:00:00+25:00', 'JPY', 'true', 'NOTPROVIDED', '&amp;', '&', '"', 'Ccy="XXX"', '9999-99-99', '', '<Amt Ccy="JPY">1.5</Amt>', '<RvslInd>true</RvslInd>'];
    fc.assert(fc.property(mutatedMarkup(samples, pieces, { lengthMax: 40, changesMax: 3 }), survives), { numRuns: 400 });
    expectBothOutcomes(seen, 20);
  });
});

/**
 * Issue 14: byte and line mutations of whole files, through decoding, sniffing and the pipeline.
 * Each run imports, with every Ntry start tag of the text imported, rejected, a duplicate or a
 * conflict, or refuses the file with a FileImportError (never an untyped throw), in bounded time.
 */
describe('camt mutation test: byte and line mutations never lose a row, crash or hang', () => {
  const RUN_MS_MAX = 2000;
  const CAMT_IMPORTERS = [
    ['camt.052', camt052Importer],
    ['camt.053', camt053Importer],
    ['camt.054', camt054Importer],
  ] as const;
  const texts = [
    ...['camt053-v08-totals-reversal.xml', 'camt053-v02-bad-entries.xml'].map(fixture),
    ...['reversals-iso.xml', '052-v08-intraday.xml', 'lenient-balances.xml'].map(issue14),
  ];
  const samples = [...camtFiles.map((file) => readRealWorld(file.path)), ...texts.map((text) => new TextEncoder().encode(text))];
  const seen = { imported: 0, refused: 0 };

  /** Ntry start tags in the text, counted without the parser. */
  const entryTags = (bytes: Uint8Array): number => (new TextDecoder('utf-8').decode(bytes).match(/<([\w.-]+:)?Ntry[\s>/]/g) ?? []).length;

  function importsOrRefuses(bytes: Uint8Array): void {
    const started = performance.now();
    try {
      const result = importBytes(CAMT_IMPORTERS, bytes, 'fuzz.xml', { format: 'auto', pseudonymization: { mode: 'off' } });
      expect(result.entriesRead).toBe(result.transactions.length + result.rejected.length + result.duplicates.length + result.conflicts.length);
      expect(result.entriesRead).toBe(entryTags(bytes));
      for (const transaction of result.transactions) CanonicalTransaction.parse(transaction);
      seen.imported++;
    } catch (error) {
      expect(error).toBeInstanceOf(FileImportError);
      seen.refused++;
    }
    expect(performance.now() - started).toBeLessThan(RUN_MS_MAX);
  }

  it('imports or refuses byte-mutated files, every Ntry accounted for', () => {
    const mutated = byteMutated(samples, [0x3c, 0x3e, 0x2f, 0x20, 0x0a, 0x26], 6);
    fc.assert(fc.property(mutated, importsOrRefuses), { numRuns: 150 });
  });

  it('imports or refuses line-mutated files (lines lost, repeated, swapped, joined, indented)', () => {
    const edit = fc.record({ at: fc.nat(), other: fc.nat(), kind: fc.constantFrom('delete', 'repeat', 'swap', 'join', 'indent') });
    const mutated = fc.tuple(fc.constantFrom(...samples), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([sample, edits]) => {
      const lines = new TextDecoder('utf-8').decode(sample).split('\n');
      for (const { at, other, kind } of edits) {
        const index = at % lines.length;
        const line = lines[index] ?? '';
        if (kind === 'delete') lines.splice(index, 1);
        else if (kind === 'repeat') lines.splice(index, 0, line);
        else if (kind === 'swap') [lines[index], lines[other % lines.length]] = [lines[other % lines.length] ?? '', line];
        else if (kind === 'join') lines.splice(index, 2, line + (lines[index + 1] ?? ''));
        else lines[index] = `  ${line}`;
      }
      return new TextEncoder().encode(lines.join('\n'));
    });
    fc.assert(fc.property(mutated, importsOrRefuses), { numRuns: 150 });
    expectBothOutcomes(seen, 20);
  });
});
