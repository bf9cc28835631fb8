import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoMonth, type DemoMonth } from '../core/demo/generate.ts';
import { IMPORTERS } from '../core/importers/registry.ts';
import { importFile } from '../core/ingest/import-file.ts';
import { minorUnitsOf } from '../core/money/iso4217.ts';
import { fromMinorUnits } from '../core/money/minor.ts';
import { reconcile, type MatchGroup, type ReconcileResult } from '../core/reconcile/index.ts';
import type { CanonicalTransaction } from '../core/transactions/schema.ts';

// The done criterion, end to end: the generated small month, imported through the real
// importers, reconciles with every injected mismatch found and no false match. Ground truth comes
// from the generator's model (which payout each PSP movement and each bank entry belongs to), not
// from the files the engine reads.

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const encoder = new TextEncoder();

function importFolder(month: DemoMonth, folder: 'bank/' | 'psp/'): CanonicalTransaction[] {
  return month.files
    .filter((file) => file.path.startsWith(folder))
    .flatMap((file) => importFile(IMPORTERS, encoder.encode(file.text), file.path, { format: 'auto', pseudonymization: { mode: 'off' } }).transactions);
}

/** The generator's id of the PSP movement an imported line comes from (a sale's fee line shares it). */
function demoIdOf(tx: CanonicalTransaction): string {
  const raw = tx.raw;
  if (tx.source.format === 'stripe') return raw.id ?? '';
  if (tx.source.format === 'adyen') return raw['Modification Reference'] || (raw['Psp Reference'] ?? '');
  if (tx.source.format === 'paypal') return raw['Transaction ID'] ?? '';
  throw new Error(`not a PSP line: ${tx.id}`);
}

interface Truth {
  /** The payout each imported PSP line belongs to (null: not paid out), by line id. */
  readonly pspPayout: Map<string, string | null>;
  /** The payout each imported bank line carries (null: not a payout credit), by line id. */
  readonly bankPayout: Map<string, string | null>;
  /** The payout line of each payout id. */
  readonly payoutLine: Map<string, string>;
}

function truthOf(month: DemoMonth, psp: readonly CanonicalTransaction[], bank: readonly CanonicalTransaction[]): Truth {
  const movements = new Map(month.transactions.map((t) => [t.id, t.payoutId]));
  const payoutIds = new Set(month.payouts.map((p) => p.payoutId));
  const pspPayout = new Map<string, string | null>();
  const payoutLine = new Map<string, string>();
  for (const tx of psp) {
    if (tx.kind === 'payout') {
      const payoutId = tx.references.externalId ?? '';
      expect(payoutIds.has(payoutId), `payout line ${tx.id}`).toBe(true);
      pspPayout.set(tx.id, payoutId);
      payoutLine.set(payoutId, tx.id);
      continue;
    }
    const demoId = demoIdOf(tx);
    expect(movements.has(demoId), `PSP line ${tx.id}`).toBe(true);
    pspPayout.set(tx.id, movements.get(demoId) ?? null);
  }
  const entries = new Map(month.bank.accounts.flatMap((account) => account.statements.flatMap((statement) => statement.entries.map((entry) => [entry.bankReference, entry.payoutId] as const))));
  const bankPayout = new Map<string, string | null>();
  for (const tx of bank) {
    const reference = tx.references.bankReference ?? '';
    expect(entries.has(reference), `bank line ${tx.id}`).toBe(true);
    bankPayout.set(tx.id, entries.get(reference) ?? null);
  }
  return { pspPayout, bankPayout, payoutLine };
}

describe('reconciling the demo month (small, seed 42) imported from its files', () => {
  let month: DemoMonth;
  let psp: CanonicalTransaction[];
  let bank: CanonicalTransaction[];
  let truth: Truth;
  let result: ReconcileResult;
  let groupOf: Map<string, MatchGroup>;

  beforeAll(() => {
    month = generateDemoMonth({ small: true, seed: 42 }, sha256);
    psp = importFolder(month, 'psp/');
    bank = importFolder(month, 'bank/');
    truth = truthOf(month, psp, bank);
    result = reconcile({ psp, bank });
    groupOf = new Map(result.legs.pspBank.groups.map((group) => [group.leftIds[0] ?? '', group]));
  });

  it('pairs no lines of different payouts (no false match)', () => {
    expect(result.legs.pspBank.groups.length).toBeGreaterThan(100);
    for (const group of result.legs.pspBank.groups) {
      const payouts = new Set([...group.leftIds.map((id) => truth.pspPayout.get(id)), ...group.rightIds.map((id) => truth.bankPayout.get(id))]);
      expect([...payouts], group.id).toHaveLength(1);
      expect([...payouts][0], group.id).not.toBeNull();
    }
  });

  it('finds each injected amount mismatch as exactly one group with that difference, left unexplained', () => {
    const { amountMismatches } = month.manifest.injected;
    expect(amountMismatches.length).toBe(2);
    for (const mismatch of amountMismatches) {
      const group = groupOf.get(truth.payoutLine.get(mismatch.payoutId) ?? '');
      expect(group, mismatch.payoutId).toBeDefined();
      expect(group?.rightIds.map((id) => truth.bankPayout.get(id))).toEqual([mismatch.payoutId]);
      expect(group).toMatchObject({ difference: mismatch.difference, currency: mismatch.currency, leftTotal: { amount: mismatch.payoutAmount }, rightTotal: { amount: mismatch.bankAmount } });
      // Both sides are net transfers: no itemized fee or charge line explains the gap (a bank
      // charge deducted from the credit is not on the statement), so it is unexplained.
      const zero = fromMinorUnits(0, minorUnitsOf(mismatch.currency));
      expect(group?.variance).toMatchObject({ difference: mismatch.difference, unexplained: mismatch.difference, fees: zero, timing: zero, tolerated: zero });
    }
    const differing = result.legs.pspBank.groups.filter((group) => group.variance !== null).map((group) => truth.pspPayout.get(group.leftIds[0] ?? ''));
    expect(differing.sort()).toEqual(amountMismatches.map((m) => m.payoutId).sort());
  });

  it('reports each missing bank credit as an unmatched PSP payout, and nothing else as unmatched PSP money', () => {
    const { missingBankCredits } = month.manifest.injected;
    expect(missingBankCredits.length).toBe(1);
    expect(result.unmatched.pspUnsettled).toEqual(missingBankCredits.map((m) => truth.payoutLine.get(m.payoutId)).sort());
  });

  it('matches every other payout of the statement period to its own bank credit exactly, by reference', () => {
    const excluded = new Set([...month.manifest.injected.amountMismatches, ...month.manifest.injected.missingBankCredits].map((m) => m.payoutId));
    const expected = month.payouts.filter((p) => p.inStatementPeriod && !excluded.has(p.payoutId));
    expect(expected.length).toBeGreaterThan(100);
    for (const payout of expected) {
      const line = truth.payoutLine.get(payout.payoutId) ?? '';
      const group = groupOf.get(line);
      expect(group, payout.payoutId).toBeDefined();
      expect(group?.leftIds).toEqual([line]);
      expect(group?.rightIds.map((id) => truth.bankPayout.get(id))).toEqual([payout.payoutId]);
      expect(group).toMatchObject({ rule: 'reference', difference: fromMinorUnits(0, minorUnitsOf(payout.currency)), leftTotal: { amount: fromMinorUnits(payout.amountMinor, minorUnitsOf(payout.currency)) }, variance: null });
    }
    expect(result.legs.pspBank.groups.length).toBe(expected.length + month.manifest.injected.amountMismatches.length);
  });

  it("matches Stripe's po_ ids to the MT940 lines that spell them po- (SWIFT character set)", () => {
    const mt940Stripe = bank.filter((tx) => tx.source.format === 'mt940' && tx.references.endToEndId?.startsWith('po-') === true);
    expect(mt940Stripe.length).toBeGreaterThan(10);
    for (const tx of mt940Stripe) {
      const group = result.legs.pspBank.groups.find((each) => each.rightIds.includes(tx.id));
      expect(group?.rule, tx.id).toBe('reference');
      expect(psp.find((line) => line.id === group?.leftIds[0])?.references.externalId).toBe(tx.references.endToEndId?.replace(/^po-/, 'po_'));
    }
  });

  it('keeps payouts the statements end too early to show apart as in transit, not missing', () => {
    const late = month.payouts.filter((p) => !p.inStatementPeriod);
    expect(late.length).toBeGreaterThan(0);
    expect(result.pending.pspInTransit).toEqual(late.map((p) => truth.payoutLine.get(p.payoutId)).sort());
  });

  it('lists each payout with exactly the PSP lines it pays out, adding up to its amount', () => {
    expect(result.pspPayouts.length).toBe(month.payouts.length);
    const byPayout = new Map<string, string[]>();
    for (const [lineId, payoutId] of truth.pspPayout) {
      if (payoutId === null || truth.payoutLine.get(payoutId) === lineId) continue;
      byPayout.set(payoutId, [...(byPayout.get(payoutId) ?? []), lineId]);
    }
    const amounts = new Map(month.payouts.map((p) => [p.payoutId, fromMinorUnits(p.amountMinor, minorUnitsOf(p.currency))]));
    for (const payout of result.pspPayouts) {
      expect(payout.payoutIds).toHaveLength(1);
      const payoutId = truth.pspPayout.get(payout.payoutIds[0] ?? '') ?? '';
      expect(payout.lineIds, payoutId).toEqual((byPayout.get(payoutId) ?? []).sort());
      expect(payout.amount, payoutId).toBe(amounts.get(payoutId));
      expect(payout.linesTotal, payoutId).toBe(payout.amount);
    }
  });

  it('reports the PSP lines no payout has taken yet as not paid out, not as unmatched', () => {
    const notPaid = [...truth.pspPayout].filter(([, payoutId]) => payoutId === null).map(([lineId]) => lineId);
    expect(notPaid.length).toBeGreaterThan(0);
    expect(result.pending.pspNotPaidOut).toEqual(notPaid.sort());
  });

  it('leaves unmatched exactly the bank lines that are no PSP payout (partner payments, account fees)', () => {
    const notPayouts = [...truth.bankPayout].filter(([, payoutId]) => payoutId === null).map(([lineId]) => lineId);
    expect(notPayouts.length).toBe(month.platform.accounts.length + month.platform.partners.length);
    expect(result.unmatched.bank).toEqual(notPayouts.sort());
  });
});
