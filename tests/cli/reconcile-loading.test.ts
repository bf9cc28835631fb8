import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTransactions, type LoadedTransactions, type TransactionReading } from '../../cli/load-transactions.ts';
import { IdRegistry } from '../../core/ingest/id-registry.ts';
import { importFile } from '../../core/ingest/import-file.ts';
import { contentOf } from '../../core/ingest/pipeline.ts';
import { IMPORTERS } from '../../core/importers/registry.ts';
import type { CanonicalTransaction } from '../../core/transactions/schema.ts';

/**
 * reconcile (and every command that loads files) streams a Stripe export in 256 KB slices instead
 * of importing it whole. The streamed load must give exactly what the whole-file import gives:
 * the same transactions (ids, amounts, raw as kept) in the same order and the same row account
 * (rejections with line and column, duplicates, conflicts). Checked here against importFile on
 * files that cross slice boundaries inside quoted cells and multi-byte characters, with rejected
 * rows, repeated ids within and across files, both Stripe layouts, a BOM, CR LF, and a file that is
 * not UTF-8 (read whole, as before).
 */
const HEADER = 'id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Available On (UTC),Description,Transfer,Customer Email';
const LEDGER_HEADER = 'id,date,kind,amount,currency,partner,product,external_reference,expected_payout';
/** Stripe's report columns, in the Dashboard export's order so that the same rows fit (columns are found by name). */
const REPORT_HEADER = 'balance_transaction_id,reporting_category,source_id,gross,fee,net,currency,created_utc,available_on_utc,description,automatic_payout_id,customer_email';

function cents(value: number): string {
  const abs = Math.abs(value);
  return `${value < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Rows of every kind the mapper treats differently; `n` varies them deterministically. */
function stripeRow(n: number): string {
  const gross = 100 + ((n * 7919) % 50_000);
  const fee = n % 11 === 0 ? 0 : 30 + (n % 97);
  const day = `2026-03-${String(1 + (n % 28)).padStart(2, '0')}`;
  switch (n % 23) {
    case 3:
      // A quoted description with a comma, a doubled quote and a line break: crosses slices somewhere.
      return `txn_${n},charge,ch_${n},${cents(gross)},${cents(fee)},${cents(gross - fee)},eur,${day} 10:00:00,${day},"Order ${n}, ""gift""\nsecond line",po_${n % 50},buyer${n}@example.com`;
    case 5:
      return `txn_${n},charge,ch_${n},${cents(gross)},${cents(fee)},${cents(gross - fee)},eur,${day} 10:00:00,${day},Bestellung für Müller 주문 ${n},po_${n % 50},`;
    case 7:
      return `txn_${n},mystery_type,ch_${n},1.00,0.00,1.00,eur,${day} 10:00:00,${day},Order ${n},po_1,`;
    case 9:
      return `txn_${n},charge,ch_${n},1.00,0.10,0.80,eur,${day} 10:00:00,${day},net does not add up,po_1,`;
    case 11:
      return `txn_${n},charge,ch_${n},1.005,0.00,1.005,eur,${day} 10:00:00,${day},too many decimals,po_1,`;
    case 13:
      return `txn_${n},refund,re_${n},${cents(-gross)},0.00,${cents(-gross)},eur,${day} 11:00:00,${day},Refund ${n},po_${n % 50},`;
    case 15:
      return `txn_${n - 15},charge,ch_${n - 15},${cents(100 + (((n - 15) * 7919) % 50_000))},${cents(0)},${cents(100 + (((n - 15) * 7919) % 50_000))},eur,${day} 10:00:00,${day},repeat or conflict,po_1,`;
    case 17:
      return `txn_p${n},payout,po_${n % 50},${cents(-gross)},0.00,${cents(-gross)},eur,${day} 23:00:00,,STRIPE PAYOUT,,`;
    case 19:
      return `txn_${n},charge,ch_${n},${gross},0,${gross},jpy,${day} 10:00:00,${day},yen,po_2,`;
    default:
      return `txn_${n},charge,ch_${n},${cents(gross)},${cents(fee)},${cents(gross - fee)},eur,${day} 10:00:00,${day},Order ${n},po_${n % 50},`;
  }
}

function stripeFile(rows: number, from = 0, header = HEADER, newline = '\n'): string {
  const lines = [header];
  for (let n = from; n < from + rows; n++) lines.push(stripeRow(n));
  return `${lines.join(newline)}${newline}`;
}

/** raw reduced to the kept columns, as the reader keeps it. */
function keptOf(tx: CanonicalTransaction, kept: ReadonlySet<string>): CanonicalTransaction {
  const raw: Record<string, string> = {};
  for (const key of kept) if (tx.raw[key] !== undefined) raw[key] = tx.raw[key];
  return { ...tx, raw };
}

/**
 * The whole-file path as it was: importFile per file against the run's registry, raw reduced to
 * the kept columns (a conflicting row's transaction too: with rawKept it is read with those alone).
 */
function wholeFileLoad(files: readonly string[], kept: ReadonlySet<string>): LoadedTransactions {
  const registry = new IdRegistry();
  const transactions: CanonicalTransaction[] = [];
  const imports: LoadedTransactions['imports'] = [];
  for (const file of files) {
    const result = importFile(IMPORTERS, readFileSync(file), file, { format: 'auto', pseudonymization: { mode: 'hmac', key: 'k' }, knownIds: registry });
    for (const tx of result.transactions) registry.record(tx.id, { line: tx.source.line, sourceId: tx.source.sourceId, content: contentOf(tx) });
    const { transactions: read, ...account } = result;
    imports.push({ ...account, conflicts: account.conflicts.map((conflict) => ({ ...conflict, transaction: conflict.transaction === null ? null : keptOf(conflict.transaction, kept) })) });
    for (const tx of read) transactions.push(keptOf(tx, kept));
  }
  return { transactions, imports, unclassified: 0 };
}

/** Transactions compared as plain data (a shared frozen raw and a fresh empty one are equal). */
function plain(loaded: LoadedTransactions): unknown {
  return JSON.parse(JSON.stringify({ transactions: loaded.transactions, imports: loaded.imports })) as unknown;
}

describe('a Stripe export loads the same streamed as whole', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-reconcile-loading-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string | Uint8Array): string => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const policy = { mode: 'hmac', key: 'k' } as const;

  const cases: Array<[string, () => string[], ReadonlySet<string>]> = [
    // ~8,000 rows, about 1 MB: four slices, cut inside quoted cells and multi-byte characters somewhere.
    ['a file of several slices, every row kind, raw kept', () => [write('big.csv', stripeFile(8000))], new Set(['Customer Email', 'Description'])],
    ['the same with no raw column kept (reconcile)', () => [write('big2.csv', stripeFile(8000))], new Set(['expected_payout'])],
    ['a second file repeating the first one’s ids (duplicates and conflicts across files)', () => [write('a.csv', stripeFile(3000)), write('b.csv', stripeFile(3000, 1500))], new Set<string>()],
    ['the report layout', () => [write('report.csv', stripeFile(2000, 0, REPORT_HEADER))], new Set(['customer_email'])],
    ['a UTF-8 BOM and CR LF line ends', () => [write('bom.csv', `\ufeff${stripeFile(500, 0, HEADER, '\r\n')}`)], new Set(['Description'])],
    ['a header shorter than the sniff and one row', () => [write('tiny.csv', `${HEADER}\n${stripeRow(1)}\n`)], new Set<string>()],
  ];

  for (const [name, files, kept] of cases) {
    it(name, () => {
      const inputs = files();
      const reading: TransactionReading = { policy, rawKept: kept };
      const streamed = loadTransactions(inputs, reading);
      const whole = wholeFileLoad(inputs, kept);
      expect(streamed.transactions.length).toBeGreaterThan(0);
      expect(plain(streamed)).toEqual(plain(whole));
    });
  }

  /** stripeRow without its multi-line quoted row (that one sends the rest of a file to the mapper): the rows the scanner reads. */
  const unquotedRow = (n: number): string => (n % 23 === 3 ? stripeRow(n - 1) : stripeRow(n));
  const unquotedFile = (rows: number, from = 0, header = HEADER, tail = ''): string => {
    const lines = [header];
    for (let n = from; n < from + rows; n++) lines.push(unquotedRow(n));
    return `${lines.join('\n')}\n${tail}`;
  };
  // Lean, no rules, no Stripe column kept (reconcile): the scanner reads the rows it vouches for.
  const leanCases: Array<[string, () => string[]]> = [
    ['scanned: every row kind but the multi-line quote (rejections, duplicates and conflicts within the file, multi-byte text)', () => [write('lean.csv', unquotedFile(8000))]],
    ['scanned, then one-line quoted rows, blanks around cells, an empty line, a stray CR, and a last line without its line break', () => {
      const lines = unquotedFile(3000).split('\n');
      lines.splice(500, 0, 'txn_q1,charge,ch_q1,10.00,0.50,9.50,eur,2026-03-01 10:00:00,2026-03-02,"Order 1, ""gift""",po_1,');
      lines.splice(900, 0, 'txn_q2, charge ,ch_q2,10.00,0.50,9.50,eur,2026-03-01 10:00:00,2026-03-02, padded ,po_1,');
      lines.splice(1200, 0, '');
      lines.splice(1500, 0, 'txn_q3,charge,ch_q3,10.00,0.50,9.50,eur,2026-03-01 10:00:00,2026-03-02,stray CR\r,po_1,');
      return [write('lean-mixed.csv', lines.join('\n').replace(/\n$/, ''))];
    }],
    ['scanned until a quoted line break, the rest read by the mapper', () => [write('lean-late-quote.csv', `${unquotedFile(4000)}${stripeRow(3)}\n${unquotedFile(1000, 4000).split('\n').slice(1).join('\n')}`)]],
    ['a second file repeating the first one’s ids, both scanned (duplicates and conflicts across files)', () => [write('lean-a.csv', unquotedFile(3000)), write('lean-b.csv', unquotedFile(3000, 1500))]],
    ['the report layout, scanned', () => [write('lean-report.csv', unquotedFile(2000, 0, REPORT_HEADER))]],
    ['a UTF-8 BOM and CR LF line ends (read by the mapper)', () => [write('lean-bom.csv', `\ufeff${stripeFile(500, 0, HEADER, '\r\n')}`)]],
    ['a header shorter than the sniff and one row, scanned', () => [write('lean-tiny.csv', `${HEADER}\n${stripeRow(1)}\n`)]],
  ];

  for (const [name, files] of leanCases) {
    it(`lean: ${name}`, () => {
      const inputs = files();
      const kept = new Set(['expected_payout']);
      const streamed = loadTransactions(inputs, { policy, rawKept: kept, lean: true });
      const whole = wholeFileLoad(inputs, kept);
      expect(streamed.transactions.length).toBeGreaterThan(0);
      expect(plain(streamed)).toEqual(plain(whole));
    });
  }

  /** Ledger rows of every kind the scanner or the mapper treats differently; `n` varies them deterministically. */
  const ledgerRow = (n: number): string => {
    const day = `2026-03-${String(1 + (n % 28)).padStart(2, '0')}`;
    const amount = cents(100 + ((n * 7919) % 50_000));
    switch (n % 19) {
      case 1:
        return `L${n},${day},refund,-${amount},EUR,P${n % 7},GAME${n % 5},ch_${n},`;
      case 2:
        return `L${n},${day},sale,${amount},EUR,P${n % 7},Spiel für Müller,ch_${n},po_${n % 50}`;
      case 3:
        return `L${n},${day},sale,"1,000.00",EUR,P1,GAME1,ch_${n},po_1`;
      case 4:
        return `L${n},${day},mystery,1.00,EUR,P1,GAME1,ch_${n},po_1`;
      case 5:
        return `L${n},2026-02-30,sale,1.00,EUR,P1,GAME1,ch_${n},po_1`;
      case 6:
        return `L${n},${day},sale,1.005,EUR,P1,GAME1,ch_${n},po_1`;
      case 7:
        // Line 7 rows back again: the same money is a duplicate, one more cent a conflict.
        return n % 2 === 0 ? ledgerRow(n - 7) : `L${n - 7},${day},sale,${cents(101 + (((n - 7) * 7919) % 50_000))},EUR,P1,GAME1,ch_${n - 7},po_1`;
      case 8:
        return `L${n}, ${day} ,sale, ${amount},eur, P2 ,GAME2, ch_${n} , po_${n % 50} `;
      case 9:
        return `L${n},${day},adjustment,-0.00,EUR,,,,`;
      case 10:
        return `L${n},${day},sale,${100 + (n % 1000)},JPY,P3,GAME3,ch_${n},po_2`;
      case 11:
        return `L%${n}|x,${day},sale,${amount},EUR,P4,GAME4,ch_${n},po_3`;
      default:
        return `L${n},${day},sale,${amount},EUR,P${n % 7},GAME${n % 5},ch_${n},po_${n % 50}`;
    }
  };
  const ledgerFile = (rows: number, from = 0, header = LEDGER_HEADER, newline = '\n'): string => {
    const lines = [header];
    for (let n = from; n < from + rows; n++) lines.push(ledgerRow(n));
    return `${lines.join(newline)}${newline}`;
  };
  const ledgerCases: Array<[string, () => string[]]> = [
    ['every kind of ledger row (rejections, duplicates, conflicts, multi-byte text, quoted cells, blanks, escaped ids)', () => [write('ledger.csv', ledgerFile(6000))]],
    ['a second ledger repeating the first one’s ids', () => [write('ledger-a.csv', ledgerFile(3000)), write('ledger-b.csv', ledgerFile(3000, 1500))]],
    ['columns in another order, expected_payout named in capitals (not the kept raw column)', () => [write('ledger-order.csv', ledgerFile(500).replace(LEDGER_HEADER, LEDGER_HEADER.replace('expected_payout', 'Expected_Payout')))]],
    ['a BOM and CR LF line ends', () => [write('ledger-crlf.csv', `\ufeff${ledgerFile(800, 0, LEDGER_HEADER, '\r\n')}`)]],
  ];

  for (const [name, files] of ledgerCases) {
    it(`lean ledger: ${name}`, () => {
      const inputs = files();
      const kept = new Set(['expected_payout']);
      const scanned = loadTransactions(inputs, { policy, rawKept: kept, lean: true });
      // The reference: the same files through the profile mapper in batches (the path before the scanner).
      const mapped = loadTransactions(inputs, { policy, rawKept: kept });
      expect(scanned.transactions.length).toBeGreaterThan(0);
      expect(plain(scanned)).toEqual(plain(mapped));
    });
  }

  it('the hand-counted row account of the many-kinds file: 8,000 rows, 23 kinds of row', () => {
    // Of n = 0..7999, n % 23 in {7, 9, 11} is rejected (unknown type, net != gross - fee, 3 decimals in EUR): 348 + 348 + 348 = 1,044 rows.
    const file = write('count.csv', stripeFile(8000));
    const loaded = loadTransactions([file], { policy, rawKept: new Set() });
    const account = loaded.imports[0];
    expect(account?.rowsRead).toBe(8000);
    expect(account?.rejected.length).toBe(348 * 3);
    expect(new Set(account?.rejected.map((rejection) => rejection.code))).toEqual(new Set(['kind_unknown', 'field_invalid', 'amount_minor_units']));
    expect(account?.entriesRead).toBe(loaded.transactions.length + (account?.rejected.length ?? 0) + (account?.duplicates.length ?? 0) + (account?.conflicts.length ?? 0));
  });

  it('a file that is not UTF-8 is read whole and refused as before (a Stripe export is not read in a guessed code page)', () => {
    const latin1 = Buffer.from(`${HEADER}\ntxn_1,charge,ch_1,10.00,0.50,9.50,eur,2026-03-01 10:00:00,2026-03-02,Bestellung f\u00fcr M\u00fcller,po_1,\n`, 'latin1');
    const file = write('latin1.csv', latin1);
    expect(() => wholeFileLoad([file], new Set())).toThrow(/not valid utf-8 at line 2, column 82/);
    expect(() => loadTransactions([file], { policy, rawKept: new Set() })).toThrow(/not valid utf-8 at line 2, column 82/);
  });
});
