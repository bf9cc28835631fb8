import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/**
 * reconcile reads what the bank files say besides their lines. The camt.053 fixture (statement
 * 2026-03-01..03-31 by FrToDt, 1000.00 + 300.00 + 290.00 + 50.00 = closing 1640.00) books:
 * - BATCH-300 on 03-10 with its own TxDtls 100.00 (INV-9001) + 120.00 (INV-9002) + 80.00 (INV-9003) = 300.00;
 * - BATCH-290 on 03-12 whose TxDtls say 150.00 + 145.00 = 295.00, 5.00 more than booked;
 * - COLL-50 on 03-14 with no TxDtls, detailed by the camt.054: 20.00 (INV-9004) + 30.00 (INV-9005) = 50.00.
 * The ledger knows the five invoices. Stripe paid out 40.00 on 03-30, due at the bank on 03-31
 * (transitDays 1): inside the statement, and the bank does not show it.
 */
const FIXTURES = path.resolve(import.meta.dirname, '..', '..', 'core', 'importers', 'fixtures', 'camt');
const LEDGER = [
  'id,date,kind,amount,currency,partner,product,external_reference,expected_payout',
  'L-9001,2026-03-09,sale,100.00,EUR,P1,G1,INV-9001,',
  'L-9002,2026-03-09,sale,120.00,EUR,P1,G1,INV-9002,',
  'L-9003,2026-03-09,sale,80.00,EUR,P1,G1,INV-9003,',
  'L-9004,2026-03-13,sale,20.00,EUR,P1,G1,INV-9004,',
  'L-9005,2026-03-13,sale,30.00,EUR,P1,G1,INV-9005,',
  '',
].join('\n');
const STRIPE = [
  'id,Type,Source,Amount,Fee,Net,Currency,Created (UTC),Available On (UTC),Description,Transfer',
  'txn_p,payout,po_1LateMarchPayout,-40.00,0.00,-40.00,eur,2026-03-30 23:00:00,2026-03-30,STRIPE PAYOUT,',
  '',
].join('\n');

interface BatchJson {
  readonly entryLine: number;
  readonly status: string;
  readonly linkedBy: string | null;
  readonly entryAmount: string | null;
  readonly detailsTotal: string | null;
}
interface ReconcileJson {
  readonly groups: { leg: string; rule: string; leftIds: string[]; rightIds: string[]; difference: string }[];
  readonly unmatched: { bank: string[]; internal: string[] | null; pspUnsettled: string[] };
  readonly pending: { pspInTransit: string[] };
  readonly bankBatches: BatchJson[];
}

describe('settledesk reconcile with batch bookings and statement ends', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'settledesk-reconcile-batches-'));
  const bank = path.join(dir, 'bank.xml');
  const details = path.join(dir, 'details.xml');
  copyFileSync(path.join(FIXTURES, 'camt053-v04-batches.xml'), bank);
  copyFileSync(path.join(FIXTURES, 'camt054-v04-batch-details.xml'), details);
  writeFileSync(path.join(dir, 'ledger.csv'), LEDGER);
  writeFileSync(path.join(dir, 'stripe.csv'), STRIPE);
  const common = ['--psp', path.join(dir, 'stripe.csv'), '--ledger', path.join(dir, 'ledger.csv')];
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('matches each invoice to its detail line, names the batch that does not add up, and judges transit by the statement end', () => {
    const run = runCli(['reconcile', '--bank', bank, '--bank-details', details, ...common, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const result = run.json<ReconcileJson>();
    const internalBank = result.groups.filter((group) => group.leg === 'internal-bank');
    // Five invoices, five one-to-one groups with no difference: 100.00, 120.00, 80.00 (BATCH-300) and 20.00, 30.00 (COLL-50).
    expect(internalBank.map((group) => group.leftIds.join('+')).sort()).toEqual(['tx:ledger||L-9001', 'tx:ledger||L-9002', 'tx:ledger||L-9003', 'tx:ledger||L-9004', 'tx:ledger||L-9005']);
    expect(internalBank.every((group) => group.rightIds.length === 1 && group.difference === '0.00')).toBe(true);
    expect(result.unmatched.internal).toEqual([]);
    expect(result.bankBatches.map((batch) => [batch.status, batch.linkedBy, batch.entryAmount, batch.detailsTotal])).toEqual([
      ['detailed', 'entry', '300.00', '300.00'],
      ['total_mismatch', 'entry', '290.00', '295.00'],
      ['detailed', 'AcctSvcrRef', '50.00', '50.00'],
    ]);
    // BATCH-290 stays as booked, and unmatched.
    expect(result.unmatched.bank).toHaveLength(1);
    expect(result.unmatched.bank[0]).toMatch(/BATCH-290$/);
    // Due 03-31, the statement's last day (FrToDt), not 03-14 (its last line): missing, not in transit.
    expect(result.pending.pspInTransit).toEqual([]);
    expect(result.unmatched.pspUnsettled).toEqual(['tx:stripe:||txn_p']);
  });

  it('says in text which batch failed and why, and counts the ones matched detail by detail', () => {
    const run = runCli(['reconcile', '--bank', bank, '--bank-details', details, ...common]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('Batch bookings: 3, 2 matched detail by detail');
    expect(run.stdout).toContain(`EXCEPTION batch_total_mismatch: ${bank}:45 booked 290.00 EUR, details 295.00 in 2 lines`);
  });

  it('without the camt.054, the collective booking stays one bank line, matched only as the sum 20.00 + 30.00 = 50.00', () => {
    const result = runCli(['reconcile', '--bank', bank, ...common, '--json']).json<ReconcileJson>();
    expect(result.bankBatches.map((batch) => batch.status)).toEqual(['detailed', 'total_mismatch']);
    const sum = result.groups.filter((group) => group.leg === 'internal-bank' && group.leftIds.length === 2);
    expect(sum.map((group) => [group.leftIds, group.rightIds.map((id) => id.split('|').at(-1)), group.difference])).toEqual([[['tx:ledger||L-9004', 'tx:ledger||L-9005'], ['COLL-50'], '0.00']]);
    expect(result.unmatched.internal).toEqual([]);
    expect(result.unmatched.bank.map((id) => id.split('|').at(-1))).toEqual(['BATCH-290']);
  });

  it('a statement that ends on 03-30 leaves the payout due 03-31 in transit', () => {
    const earlier = path.join(dir, 'bank-to-0330.xml');
    writeFileSync(earlier, readFileSync(bank, 'utf8').replace('<ToDtTm>2026-03-31T23:59:59+02:00</ToDtTm>', '<ToDtTm>2026-03-30T23:59:59+02:00</ToDtTm>'));
    const result = runCli(['reconcile', '--bank', earlier, '--bank-details', details, ...common, '--json']).json<ReconcileJson>();
    expect(result.pending.pspInTransit).toEqual(['tx:stripe:||txn_p']);
    expect(result.unmatched.pspUnsettled).toEqual([]);
  });

  it('refuses a details file that is not camt, naming it', () => {
    const run = runCli(['reconcile', '--bank', bank, '--bank-details', path.join(dir, 'ledger.csv'), ...common]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('ledger.csv: --bank-details takes camt.052/053/054 files');
  });
});
