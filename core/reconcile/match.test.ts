import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchLeg, type LegResult } from './match.ts';
import { RateTable } from './fx.ts';
import { parseRules, type ReconcileRulesInput } from './rules.ts';
import { makeTx, type TxSpec } from './test-support.ts';
import { Decimal } from '../money/decimal.ts';
import { fromMinorUnits, toMinorUnits } from '../money/minor.ts';
import type { CanonicalTransaction } from '../transactions/schema.ts';

const NO_RATES = new RateTable([]);

function leg(left: TxSpec[], right: TxSpec[], rules: ReconcileRulesInput = {}, options: { scanRight?: boolean; rates?: RateTable } = {}): LegResult {
  return matchLeg(left.map(makeTx), right.map(makeTx), parseRules(rules), { name: 'test', scanText: { left: false, right: options.scanRight ?? true }, rates: options.rates ?? NO_RATES });
}

function pairs(result: LegResult): string[] {
  return result.groups.map((group) => `${group.rule}:${group.leftIds.join('+')}=${group.rightIds.join('+')}`);
}

describe('reference rule', () => {
  it('matches equal structured ids (PSP charge id) one-to-one', () => {
    // Separators do not count (an MT940 statement prints po- for Stripe's po_); letter case does.
    const result = leg([{ id: 'i1', amount: '10.00', date: '2026-03-01', externalId: 'ch_123ABC' }], [{ id: 'p1', amount: '10.00', date: '2026-03-09', externalId: 'ch-123ABC' }]);
    expect(pairs(result)).toEqual(['reference:i1=p1']);
    expect(result.groups[0]?.difference).toBe('0.00');
  });

  it('keeps reference keys case-sensitive: a Stripe id differing only in letter case is another id', () => {
    // Stripe ids are case-sensitive: ch_3MqLiJLkdIwHu7ix0snN0B15 and ch_3MQLiJLkdIwHu7ix0snN0B15
    // are two charges. 10.00 against 25.00 differs by 15.00 = 150 % of 10.00, and the dates are
    // 20 days apart: only the upper-cased reference could have paired them.
    const result = leg([{ id: 'i1', amount: '10.00', date: '2026-03-01', externalId: 'ch_3MqLiJLkdIwHu7ix0snN0B15' }], [{ id: 'p1', amount: '25.00', date: '2026-03-21', externalId: 'ch_3MQLiJLkdIwHu7ix0snN0B15' }]);
    expect(result.groups).toEqual([]);
    expect(result.unmatchedLeft).toEqual(['i1']);
    expect(result.unmatchedRight).toEqual(['p1']);
    // The same id in remittance text, upper-cased by the bank, is not an exact reference either.
    const text = leg([{ id: 'i2', amount: '10.00', date: '2026-03-01', externalId: 'po_1RVIQ98XWVyDmF8NtE6v62uV' }], [{ id: 'b2', amount: '25.00', date: '2026-03-21', kind: 'transfer', description: 'STRIPE PO_1RVIQ98XWVYDMF8NTE6V62UV' }]);
    expect(text.groups).toEqual([]);
  });

  it('finds an invoice number inside bank remittance text, with or without spaces', () => {
    const result = leg(
      [
        { id: 'inv42', amount: '250.00', date: '2026-03-01', externalId: 'INV-2024-0042' },
        { id: 'inv43', amount: '99.00', date: '2026-03-01', externalId: 'INV-2024-0043' },
      ],
      [
        { id: 'b1', amount: '99.00', date: '2026-03-20', kind: 'transfer', description: 'SEPA /REMI/ Payment INV 2024 0043 thank you' },
        { id: 'b2', amount: '250.00', date: '2026-03-02', kind: 'transfer', description: 'EREF+INV20240042' },
      ],
    );
    expect(pairs(result).sort()).toEqual(['reference:inv42=b2', 'reference:inv43=b1']);
  });

  it('links a bank credit naming a payout id to the whole PSP batch (one-to-many)', () => {
    const batch = (id: string, amount: string, kind: TxSpec['kind'] = 'sale'): TxSpec => ({ id, amount, date: '2026-03-01', kind, batchId: 'PO-7781', externalId: `ch_${id}` });
    const result = leg([batch('s1', '100.00'), batch('s2', '50.00'), batch('f1', '-4.35', 'fee')], [{ id: 'bank', amount: '145.65', date: '2026-03-03', kind: 'transfer', description: 'PAYOUT PO-7781 ACME' }]);
    expect(pairs(result)).toEqual(['reference:f1+s1+s2=bank']);
    expect(result.groups[0]?.difference).toBe('0.00');
    expect(result.groups[0]?.variance).toBeNull();
  });

  it('matches ids with non-ASCII letters (the hash prefilter steps aside for them)', () => {
    // Two left items, so the right side is the indexed one and the left ids go through the prefilter.
    const left = [
      { id: 'i', amount: '3.00', date: '2026-03-01', externalId: 'Straße-4711' },
      { id: 'j', amount: '4.00', date: '2026-03-01', externalId: 'OTHER-1' },
    ];
    const result = leg(left, [{ id: 'b', amount: '3.00', date: '2026-03-20', kind: 'transfer', description: 'ref Straße 4711' }], { order: ['reference'] });
    expect(pairs(result)).toEqual(['reference:i=b']);
    // Case-sensitive keys: "STRASSE" is another spelling, not the same key.
    const spelled = leg(left, [{ id: 'b', amount: '3.00', date: '2026-03-20', kind: 'transfer', description: 'ref STRASSE 4711' }], { order: ['reference'] });
    expect(spelled.groups).toEqual([]);
  });

  it('finds a payout id without a digit in remittance text: tokens are looked up among known ids, not judged by shape', () => {
    // About 8 % of Stripe payout ids have no digit. The bank credit is 17 days after the payout
    // (outside the 3-day window and the 10-day suggestion window), so only the reference pairs them;
    // 145.36 - 145.36 = 0.00.
    const payout = { id: 'po', amount: '145.36', date: '2026-03-03', kind: 'payout' as const, externalId: 'po_AbCdEfGhIjKlMnOpQrStUvWx' };
    const other = { id: 'po2', amount: '20.00', date: '2026-03-03', kind: 'payout' as const, externalId: 'po_1RVIQ98XWVyDmF8NtE6v62uV' };
    const right = [
      { id: 'bank', amount: '145.36', date: '2026-03-20', kind: 'transfer' as const, description: 'STRIPE PAYOUT po_AbCdEfGhIjKlMnOpQrStUvWx TRANSFER' },
      { id: 'bank2', amount: '7.00', date: '2026-03-20', kind: 'transfer' as const, description: 'STRIPE PAYOUT TRANSFER' },
    ];
    const result = leg([payout, other], right);
    expect(pairs(result)).toEqual(['reference:po=bank']);
    expect(result.groups[0]?.difference).toBe('0.00');
    // Indexed the other way round (more left items than right ones): the same answer.
    const flipped = leg([payout, other, { id: 'x', amount: '1.00', date: '2026-01-01' }], [right[0] as TxSpec]);
    expect(pairs(flipped)).toEqual(['reference:po=bank']);
  });

  it('ignores placeholders and keys shorter than keyLengthMin', () => {
    const result = leg([{ id: 'a', amount: '1.00', date: '2026-03-01', externalId: 'NONREF' }], [{ id: 'b', amount: '2.00', date: '2026-03-01', externalId: 'NONREF', description: 'X1' }]);
    expect(result.groups).toEqual([]);
  });

  it('refuses a key shared by more items than keyItemsMax', () => {
    const left = [1, 2, 3].map((n) => ({ id: `l${n}`, amount: `${n}.00`, date: '2026-03-01', externalId: 'SAME1' }));
    const result = leg(left, [{ id: 'r', amount: '9.99', date: '2026-03-01', externalId: 'SAME1' }], { reference: { keyItemsMax: 2 }, order: ['reference'] });
    expect(result.groups).toEqual([]);
    const allowed = leg(left, [{ id: 'r', amount: '9.99', date: '2026-03-01', externalId: 'SAME1' }], { reference: { keyItemsMax: 3 }, order: ['reference'] });
    expect(pairs(allowed)).toEqual(['reference:l1+l2+l3=r']);
  });
});

describe('reference rule: a key that folds two real ids together', () => {
  // "ch_0_10" and "ch_01_0" are two ids; without separators both are "ch010". Amounts differ by
  // more than the tolerance and the dates are 20 days apart, so only a reference could pair them.
  const psp = (id: string, externalId: string, amount: string): TxSpec => ({ id, amount, date: '2026-03-01', externalId });
  const bank = (id: string, amount: string, description: string): TxSpec => ({ id, amount, date: '2026-03-21', kind: 'transfer', description });
  const filler = (id: string): TxSpec => ({ id, amount: '1.00', date: '2026-01-01' });

  it('matches the exact raw id only, whichever side is indexed', () => {
    const left = [psp('a', 'ch_0_10', '10.00'), psp('b', 'ch_01_0', '20.00')];
    const right = [bank('bank', '30.00', 'PAYMENT ch_0_10')];
    const result = leg(left, right, { order: ['reference'] });
    expect(pairs(result)).toEqual(['reference:a=bank']);
    expect(result.unmatchedLeft).toEqual(['b']);
    // The bank side larger (the PSP side indexed): the same answer.
    const flipped = leg(left, [...right, filler('f1'), filler('f2')], { order: ['reference'] });
    expect(pairs(flipped)).toEqual(['reference:a=bank']);
    expect(flipped.unmatchedLeft).toEqual(['b']);
  });

  it('leaves unmatched a reference that equals neither raw id, listing both candidates as unmatched', () => {
    const left = [psp('a', 'ch_0_10', '10.00'), psp('b', 'ch_01_0', '20.00')];
    const result = leg(left, [bank('bank', '30.00', 'PAYMENT ch010')]);
    expect(result.groups).toEqual([]);
    expect(result.unmatchedLeft).toEqual(['a', 'b']);
    expect(result.unmatchedRight).toEqual(['bank']);
    // Structured ids too: a bankReference "ch-0-10" is neither "ch_0_10" nor "ch_01_0".
    const structured = leg(left, [{ id: 'bank', amount: '30.00', date: '2026-03-21', bankReference: 'ch-0-10' }], { order: ['reference'] });
    expect(structured.groups).toEqual([]);
  });

  it('refuses the fold when the ambiguity is on the bank side', () => {
    // One PSP id, two bank lines naming two different ids that fold to it: only the exact one pairs.
    const left = [psp('a', 'ch_0_10', '10.00'), filler('f1'), filler('f2')];
    const right = [bank('b1', '30.00', 'PAYMENT ch_0_10'), bank('b2', '40.00', 'PAYMENT ch_01_0')];
    const result = leg(left, right, { order: ['reference'] });
    expect(pairs(result)).toEqual(['reference:a=b1']);
    expect(result.unmatchedRight).toEqual(['b2']);
    const flipped = leg([left[0] as TxSpec], right, { order: ['reference'] });
    expect(pairs(flipped)).toEqual(['reference:a=b1']);
  });

  it('refuses a batch id that folds two payout ids together', () => {
    const line = (id: string, batchId: string): TxSpec => ({ id, amount: '5.00', date: '2026-03-01', batchId });
    const result = leg([line('s1', 'po_1_23'), line('s2', 'po_12_3')], [bank('bank', '5.00', 'STRIPE po123')], { order: ['reference'] });
    expect(result.groups).toEqual([]);
    const exact = leg([line('s1', 'po_1_23'), line('s2', 'po_12_3')], [bank('bank', '5.00', 'STRIPE po_12_3')], { order: ['reference'] });
    expect(pairs(exact)).toEqual(['reference:s2=bank']);
  });

  it('still matches through separators when the key stands for one id', () => {
    const left = [psp('inv', 'INV-2024/0042', '250.00'), psp('other', 'INV-2024/0043', '99.00')];
    const text = leg(left, [bank('bank', '250.00', 'EREF+INV20240042')], { order: ['reference'] });
    expect(pairs(text)).toEqual(['reference:inv=bank']);
    const structured = leg(left, [{ id: 'bank', amount: '250.00', date: '2026-03-21', bankReference: 'INV20240042' }], { order: ['reference'] });
    expect(pairs(structured)).toEqual(['reference:inv=bank']);
    // The same id spelled twice on one item is one id, not two.
    const twice = leg([{ id: 'inv', amount: '250.00', date: '2026-03-01', externalId: 'INV-2024/0042', endToEndId: 'INV20240042' }], [bank('bank', '250.00', 'INV 2024 0042')], { order: ['reference'] });
    expect(pairs(twice)).toEqual(['reference:inv=bank']);
  });
});

describe('amount + date rule', () => {
  const base = { date: '2026-03-10' };
  it('matches exactly at the tolerance and not one minor unit beyond', () => {
    const rules = { amountTolerance: '0.05', order: ['amount-date' as const] };
    expect(pairs(leg([{ id: 'a', amount: '100.00', ...base }], [{ id: 'b', amount: '100.05', ...base }], rules))).toEqual(['amount-date:a=b']);
    expect(pairs(leg([{ id: 'a', amount: '100.00', ...base }], [{ id: 'b', amount: '99.95', ...base }], rules))).toEqual(['amount-date:a=b']);
    expect(pairs(leg([{ id: 'a', amount: '100.00', ...base }], [{ id: 'b', amount: '100.06', ...base }], rules))).toEqual([]);
    expect(pairs(leg([{ id: 'a', amount: '100.00', ...base }], [{ id: 'b', amount: '99.94', ...base }], rules))).toEqual([]);
  });

  it('cuts a tolerance finer than the currency minor unit (JPY has none)', () => {
    const rules = { amountTolerance: '0.5', order: ['amount-date' as const] };
    expect(pairs(leg([{ id: 'a', amount: '1000', currency: 'JPY', ...base }], [{ id: 'b', amount: '1001', currency: 'JPY', ...base }], rules))).toEqual([]);
    expect(pairs(leg([{ id: 'a', amount: '1000', currency: 'JPY', ...base }], [{ id: 'b', amount: '1001', currency: 'JPY', ...base }], { ...rules, amountToleranceByCurrency: { JPY: '1' } }))).toEqual(['amount-date:a=b']);
  });

  it('matches at the edge of the date window and not a day beyond', () => {
    const rules = { dateWindowDays: 3, order: ['amount-date' as const] };
    expect(pairs(leg([{ id: 'a', amount: '5.00', date: '2026-02-27' }], [{ id: 'b', amount: '5.00', date: '2026-03-02' }], rules))).toEqual(['amount-date:a=b']);
    expect(pairs(leg([{ id: 'a', amount: '5.00', date: '2026-02-26' }], [{ id: 'b', amount: '5.00', date: '2026-03-02' }], rules))).toEqual([]);
  });

  it('never pairs a refund with the sale of the same absolute amount', () => {
    const result = leg(
      [
        { id: 'sale', amount: '50.00', date: '2026-03-01' },
        { id: 'refund', amount: '-50.00', date: '2026-03-02', kind: 'refund' },
      ],
      [
        { id: 'psp-refund', amount: '-50.00', date: '2026-03-02', kind: 'refund' },
        { id: 'psp-sale', amount: '50.00', date: '2026-03-01' },
      ],
      { order: ['amount-date'] },
    );
    expect(pairs(result).sort()).toEqual(['amount-date:refund=psp-refund', 'amount-date:sale=psp-sale']);
  });

  it('avoids the greedy trap: the globally right pairing, not first-fit', () => {
    // Bank A (day 10) fits T1 (day 9, 1 day away) and T2 (day 12); bank B (day 7) fits only T1.
    // A first-fit matcher, in id order or by nearest date, gives A the T1 and leaves B and T2 unmatched.
    const left = [
      { id: 'A', amount: '100.00', date: '2026-03-10' },
      { id: 'B', amount: '100.00', date: '2026-03-07' },
    ];
    const right = [
      { id: 'T1', amount: '100.00', date: '2026-03-09' },
      { id: 'T2', amount: '100.00', date: '2026-03-12' },
    ];
    const result = leg(left, right, { dateWindowDays: 3, order: ['amount-date'] });
    expect(pairs(result).sort()).toEqual(['amount-date:A=T2', 'amount-date:B=T1']);
    expect(result.unmatchedLeft).toEqual([]);
  });

  it('among equally complete pairings, minimizes the total date distance', () => {
    const left = [
      { id: 'x', amount: '7.00', date: '2026-03-01' },
      { id: 'y', amount: '7.00', date: '2026-03-04' },
    ];
    const right = [
      { id: 'p', amount: '7.00', date: '2026-03-04' },
      { id: 'q', amount: '7.00', date: '2026-03-02' },
    ];
    expect(pairs(leg(left, right, { order: ['amount-date'] })).sort()).toEqual(['amount-date:x=q', 'amount-date:y=p']);
  });

  it('auto-matches none of the tied items when the optimal assignment is not unique: they become suggestions', () => {
    // Two ledger items of 50.00 on 2026-03-05 and two PSP lines of 50.00 on 2026-03-05, no reference:
    // a=x, b=y costs 0 + 0 = 0 and a=y, b=x costs 0 + 0 = 0. Two optimal assignments: id order
    // must not pick one. The 80.00 pair has one candidate each and is matched.
    const left = [
      { id: 'a', amount: '50.00', date: '2026-03-05' },
      { id: 'b', amount: '50.00', date: '2026-03-05' },
      { id: 'c', amount: '80.00', date: '2026-03-05' },
    ];
    const right = [
      { id: 'x', amount: '50.00', date: '2026-03-05' },
      { id: 'y', amount: '50.00', date: '2026-03-05' },
      { id: 'z', amount: '80.00', date: '2026-03-06' },
    ];
    const result = leg(left, right, { order: ['amount-date'] });
    expect(pairs(result)).toEqual(['amount-date:c=z']);
    expect(result.unmatchedLeft).toEqual(['a', 'b']);
    expect(result.unmatchedRight).toEqual(['x', 'y']);
    // Each tied pair is suggested: amount 1 (equal), date 1 (same day), text 0 (nothing written):
    // 0.5 * 1 + 0.25 * 1 + 0.25 * 0 = 0.75.
    expect(result.suggestions.map((s) => `${s.id}:${s.score}`)).toEqual(['a>x:0.75', 'a>y:0.75', 'b>x:0.75', 'b>y:0.75']);
    // One item against two equal candidates is a tie as well.
    const single = leg([left[0] as TxSpec], [right[0] as TxSpec, right[1] as TxSpec], { order: ['amount-date'] });
    expect(single.groups).toEqual([]);
    expect(single.suggestions.map((s) => s.id)).toEqual(['a>x', 'a>y']);
  });

  it('suggests, and does not match, tied batch sums: two payouts of equal sum and two equal bank credits', () => {
    // b-1: 100.00 - 3.00 = 97.00; b-2: 60.00 + 40.00 - 3.00 = 97.00; both dated 03-01 (latest line).
    // Bank credits x and y of 97.00 on 03-03, no reference: each batch fits each credit at cost
    // 0 * 4 + 2 days = 2, so two optimal assignments exist and neither is taken.
    const lines: TxSpec[] = [
      { id: 's1', amount: '100.00', date: '2026-03-01', batchId: 'b-1' },
      { id: 'f1', amount: '-3.00', date: '2026-03-01', kind: 'fee', batchId: 'b-1' },
      { id: 's2', amount: '60.00', date: '2026-03-01', batchId: 'b-2' },
      { id: 's3', amount: '40.00', date: '2026-03-01', batchId: 'b-2' },
      { id: 'f2', amount: '-3.00', date: '2026-03-01', kind: 'fee', batchId: 'b-2' },
    ];
    const credits: TxSpec[] = ['x', 'y'].map((id) => ({ id, amount: '97.00', date: '2026-03-03', kind: 'transfer', description: 'ACME SETTLEMENT' }));
    const result = leg(lines, credits, { order: ['batch'] });
    expect(result.groups).toEqual([]);
    expect(result.unmatchedRight).toEqual(['x', 'y']);
    // Amount 1 (equal sums), date 1 - 2/(10 + 1) = 9/11 (suggest.dateWindowDays 10), no text:
    // 0.5 * 1 + 0.25 * 9/11 = 0.70454... -> 0.7045. (s1 alone, 100.00 against 97.00, is a weaker one-to-one suggestion.)
    const batchSuggestions = result.suggestions.filter((s) => s.leftIds.length > 1);
    expect(batchSuggestions.map((s) => `${s.leftIds.join('+')}>${s.rightIds.join('+')}:${s.score}`)).toEqual([
      'f1+s1>x:0.7045',
      'f1+s1>y:0.7045',
      'f2+s2+s3>x:0.7045',
      'f2+s2+s3>y:0.7045',
    ]);
    expect(result.suggestions.slice(0, 4)).toEqual(batchSuggestions);
    expect(batchSuggestions[0]?.reasons.map((reason) => `${reason.code}:${reason.detail}`)).toEqual(['amount:difference 0.00 EUR', 'date:2 day(s) apart', 'batch:2 lines of batch b-1 sum to 97.00 EUR']);
    // One credit left: it still cannot tell the two batches apart.
    const one = leg(lines, [credits[0] as TxSpec], { order: ['batch'] });
    expect(one.groups).toEqual([]);
    expect(one.suggestions.filter((s) => s.leftIds.length > 1).map((s) => s.id)).toEqual(['f1+s1>x', 'f2+s2+s3>x']);
  });

  it('leaves a component larger than componentItemsMax to suggestions', () => {
    const left = [1, 2].map((n) => ({ id: `l${n}`, amount: '3.00', date: '2026-03-01' }));
    const right = [1, 2].map((n) => ({ id: `r${n}`, amount: '3.00', date: '2026-03-01' }));
    const result = leg(left, right, { order: ['amount-date'], assignment: { componentItemsMax: 3 } });
    expect(result.groups).toEqual([]);
    expect(result.suggestions.length).toBeGreaterThan(0);
  });
});

describe('one-to-many and many-to-one', () => {
  it('matches a bank credit to a PSP batch sum without any reference (batch rule)', () => {
    const lines: TxSpec[] = [
      { id: 's1', amount: '120.00', date: '2026-03-01', batchId: 'b-9' },
      { id: 's2', amount: '80.00', date: '2026-03-02', batchId: 'b-9' },
      { id: 'r1', amount: '-20.00', date: '2026-03-02', kind: 'refund', batchId: 'b-9' },
      { id: 'f1', amount: '-5.40', date: '2026-03-02', kind: 'fee', batchId: 'b-9' },
    ];
    const result = leg(lines, [{ id: 'bank', amount: '174.60', date: '2026-03-04', kind: 'transfer', description: 'ACME SETTLEMENT' }], { order: ['batch'] });
    expect(pairs(result)).toEqual(['batch:f1+r1+s1+s2=bank']);
  });

  it('matches one bank debit to several payables of one counterparty (subset sum, many-to-one)', () => {
    const left: TxSpec[] = [
      { id: 'a', amount: '-100.00', date: '2026-03-01', counterparty: 'Studio X' },
      { id: 'b', amount: '-250.00', date: '2026-03-02', counterparty: 'Studio X' },
      { id: 'c', amount: '-70.00', date: '2026-03-02', counterparty: 'Studio X' },
      { id: 'd', amount: '-250.00', date: '2026-03-02', counterparty: 'Other Ltd' },
    ];
    const result = leg(left, [{ id: 'bank', amount: '-350.00', date: '2026-03-03', kind: 'transfer', counterparty: 'STUDIO X' }], { order: ['subset-sum'] });
    expect(pairs(result)).toEqual(['subset-sum:a+b=bank']);
    expect(result.unmatchedLeft).toEqual(['c', 'd']);
  });

  it('matches one internal payout to two bank credits (subset sum, one-to-many)', () => {
    const result = leg(
      [{ id: 'payout', amount: '1000.00', date: '2026-03-01', kind: 'payout', counterparty: 'PSP' }],
      [
        { id: 'b1', amount: '600.00', date: '2026-03-02', kind: 'transfer', counterparty: 'psp' },
        { id: 'b2', amount: '400.00', date: '2026-03-03', kind: 'transfer', counterparty: 'psp' },
      ],
      { order: ['subset-sum'] },
    );
    expect(pairs(result)).toEqual(['subset-sum:payout=b1+b2']);
  });

  it('refuses an ambiguous subset (two different subsets fit)', () => {
    // {10, 20} and {15, 15} both make 30.
    const left: TxSpec[] = ['10.00', '20.00', '15.00', '15.00'].map((amount, n) => ({ id: `x${n}`, amount, date: '2026-03-01', counterparty: 'Z' }));
    const result = leg(left, [{ id: 'bank', amount: '30.00', date: '2026-03-01', counterparty: 'Z' }], { order: ['subset-sum'] });
    expect(result.groups).toEqual([]);
  });
});

describe('currencies', () => {
  const eur = { id: 'e', amount: '100.00', date: '2026-03-02', externalId: 'ORDER-5501' };
  const usd = { id: 'u', amount: '108.00', date: '2026-03-02', currency: 'USD', externalId: 'ORDER-5501' };

  it('never matches different currencies without an FX rule, even with the same reference and amount', () => {
    const result = leg([eur], [{ ...usd, amount: '100.00' }]);
    expect(result.groups).toEqual([]);
    expect(result.unmatchedLeft).toEqual(['e']);
    expect(result.suggestions).toEqual([]);
  });

  it('matches through an explicit FX pair and a rate passed in, with the FX difference in the variance', () => {
    const rates = new RateTable([{ date: '2026-03-02', from: 'EUR', to: 'USD', rate: '1.0825' }]);
    const result = leg([eur], [usd], { fx: { pairs: [{ from: 'EUR', to: 'USD' }] } }, { rates });
    expect(pairs(result)).toEqual(['fx:e=u']);
    const group = result.groups[0];
    expect(group?.difference).toBe('-0.25');
    expect(group?.variance?.fx).toBe('-0.25');
    expect(group?.variance?.unexplained).toBe('0.00');
  });

  it('matches converted amounts without a reference within the bps tolerance', () => {
    const rates = new RateTable([{ date: '2026-03-02', from: 'EUR', to: 'USD', rate: '1.1' }]);
    const left = [{ id: 'e', amount: '200.00', date: '2026-03-02' }];
    expect(pairs(leg(left, [{ id: 'u', amount: '218.00', date: '2026-03-03', currency: 'USD' }], { fx: { pairs: [{ from: 'EUR', to: 'USD' }], toleranceBps: 100 } }, { rates }))).toEqual(['fx:e=u']);
    expect(pairs(leg(left, [{ id: 'u', amount: '217.79', date: '2026-03-03', currency: 'USD' }], { fx: { pairs: [{ from: 'EUR', to: 'USD' }], toleranceBps: 100 } }, { rates }))).toEqual([]);
  });

  it('keeps the reference link when the PSP splits a charge into gross and fee lines in another currency, with the FX difference', () => {
    // Ledger: a sale of 100.00 EUR, ORDER-5501, on 2026-03-02. The PSP settles in USD: gross 108.00
    // and fee -3.44, both ORDER-5501. Rate EUR->USD 1.0825 on 2026-03-02: 100.00 EUR = 108.25 USD.
    // PSP total 108.00 - 3.44 = 104.56 USD; difference 104.56 - 108.25 = -3.69 USD
    //   = fees -3.44 (both sides itemized) + fx -0.25 (what is left, |-0.25| <= 1 % of 108.25 = 1.0825).
    const rates = new RateTable([{ date: '2026-03-02', from: 'EUR', to: 'USD', rate: '1.0825' }]);
    const fee = { id: 'uf', amount: '-3.44', date: '2026-03-02', currency: 'USD', kind: 'fee' as const, externalId: 'ORDER-5501' };
    const result = leg([eur], [usd, fee], { fx: { pairs: [{ from: 'EUR', to: 'USD' }] } }, { rates });
    expect(pairs(result)).toEqual(['fx:e=u+uf']);
    const group = result.groups[0];
    expect(group).toMatchObject({ leftTotal: { amount: '100.00', currency: 'EUR' }, rightTotal: { amount: '104.56', currency: 'USD' }, currency: 'USD', difference: '-3.69' });
    expect(group?.fx).toEqual({ from: 'EUR', to: 'USD', date: '2026-03-02', rate: '1.0825' });
    expect(group?.variance).toMatchObject({ difference: '-3.69', fees: '-3.44', fx: '-0.25', unexplained: '0.00' });
  });

  it('converts the many side as one total, and its breakdown still adds up to the cent', () => {
    // Ledger 9.24 EUR (ORDER-77, 2026-03-02); PSP in USD: gross 10.01 and fee -0.29, ORDER-77.
    // Rate USD->EUR 0.9235. The PSP total 9.72 USD converts to 9.72 * 0.9235 = 8.97642 -> 8.98 EUR;
    // difference 8.98 - 9.24 = -0.26 EUR. Item by item the fee is -0.29 * 0.9235 = -0.267815 -> -0.27,
    // so fees -0.27 and fx +0.01 (-0.27 + 0.01 = -0.26).
    const rates = new RateTable([{ date: '2026-03-02', from: 'USD', to: 'EUR', rate: '0.9235' }]);
    const result = leg(
      [{ id: 'e', amount: '9.24', date: '2026-03-02', externalId: 'ORDER-77' }],
      [
        { id: 'g', amount: '10.01', date: '2026-03-02', currency: 'USD', externalId: 'ORDER-77' },
        { id: 'f', amount: '-0.29', date: '2026-03-02', currency: 'USD', kind: 'fee', externalId: 'ORDER-77' },
      ],
      { fx: { pairs: [{ from: 'USD', to: 'EUR' }] } },
      { rates },
    );
    expect(pairs(result)).toEqual(['fx:e=f+g']);
    expect(result.groups[0]).toMatchObject({ currency: 'EUR', difference: '-0.26' });
    expect(result.groups[0]?.variance).toMatchObject({ difference: '-0.26', fees: '-0.27', fx: '0.01', unexplained: '0.00' });
  });

  it('names both sides of a reference link whose rate is missing', () => {
    const fee = { id: 'uf', amount: '-3.44', date: '2026-03-02', currency: 'USD', kind: 'fee' as const, externalId: 'ORDER-5501' };
    const result = leg([eur], [usd, fee], { fx: { pairs: [{ from: 'EUR', to: 'USD' }] } });
    expect(result.groups).toEqual([]);
    expect(result.fxMissing).toEqual([{ date: '2026-03-02', from: 'EUR', to: 'USD', transactionIds: ['e', 'u', 'uf'] }]);
  });

  it('reports a needed missing rate instead of inventing one', () => {
    const result = leg([eur], [usd], { fx: { pairs: [{ from: 'EUR', to: 'USD' }] } });
    expect(result.groups).toEqual([]);
    // Both sides of the reference link are named (the PSP line used to be left out, unmatched without a word).
    expect(result.fxMissing).toEqual([{ date: '2026-03-02', from: 'EUR', to: 'USD', transactionIds: ['e', 'u'] }]);
  });
});

describe('reversals', () => {
  it('nets a returned bank payment against its original on the same side', () => {
    const result = leg(
      [{ id: 'keep', amount: '1.00', date: '2026-01-01' }],
      [
        { id: 'credit', amount: '500.00', date: '2026-03-01', kind: 'transfer', endToEndId: 'E2E-778899' },
        { id: 'return', amount: '-500.00', date: '2026-03-03', kind: 'transfer', endToEndId: 'E2E-778899' },
      ],
      { order: ['reversal'] },
    );
    expect(pairs(result)).toEqual(['reversal:=credit+return']);
    expect(result.groups[0]?.difference).toBe('0.00');
  });

  it('does not net two refunds against one sale', () => {
    const result = leg(
      [
        { id: 's', amount: '40.00', date: '2026-03-01', externalId: 'ORD-1' },
        { id: 'r1', amount: '-40.00', date: '2026-03-02', externalId: 'ORD-1', kind: 'refund' },
        { id: 'r2', amount: '-40.00', date: '2026-03-03', externalId: 'ORD-1', kind: 'refund' },
      ],
      [{ id: 'x', amount: '1.00', date: '2020-01-01' }],
      { order: ['reversal'] },
    );
    expect(result.groups).toEqual([]);
  });

  it('does not net a sale and a refund whose ids only fold to one key (ch_0_10 is not ch_01_0)', () => {
    // Both fold to "ch010" once separators go; they are two different charges, so 40.00 - 40.00 netting them would hide both.
    const result = leg(
      [
        { id: 's', amount: '40.00', date: '2026-03-01', externalId: 'ch_0_10' },
        { id: 'r', amount: '-40.00', date: '2026-03-02', externalId: 'ch_01_0', kind: 'refund' },
      ],
      [{ id: 'x', amount: '1.00', date: '2020-01-01' }],
      { order: ['reversal'] },
    );
    expect(result.groups).toEqual([]);
  });

  it('still nets a sale and its refund that write one id the same way', () => {
    const result = leg(
      [
        { id: 's', amount: '40.00', date: '2026-03-01', externalId: 'ch_0_10' },
        { id: 'r', amount: '-40.00', date: '2026-03-02', externalId: 'ch_0_10', kind: 'refund' },
      ],
      [{ id: 'x', amount: '1.00', date: '2020-01-01' }],
      { order: ['reversal'] },
    );
    expect(pairs(result)).toEqual(['reversal:r+s=']);
  });
});

describe('suggestions', () => {
  it('scores leftovers with reasons and does not accept them by default', () => {
    const result = leg([{ id: 'a', amount: '100.00', date: '2026-03-01', counterparty: 'Acme Games GmbH' }], [{ id: 'b', amount: '98.50', date: '2026-03-05', counterparty: 'ACME GAMES' }]);
    expect(result.groups).toEqual([]);
    expect(result.suggestions).toHaveLength(1);
    const suggestion = result.suggestions[0];
    expect(suggestion?.leftIds).toEqual(['a']);
    expect(suggestion?.reasons.map((reason) => reason.code)).toEqual(['amount', 'date', 'text']);
    expect(suggestion?.reasons[0]?.detail).toBe('difference -1.50 EUR');
    expect(suggestion?.reasons[1]?.detail).toBe('4 day(s) apart');
  });

  it('suggests a reference within edit distance 2 of an unmatched payout even when the amount is more than 10 % off, ranked by score, never accepted', () => {
    // The PSP payout po_1RVIQ98XWVyDmF8NtE6v62uV of 500.00 on 2026-03-03. Bank credits:
    // - b1 2026-03-04, 400.00, names ...v62uW (last character wrong: distance 1). 500.00 - 400.00 = 100.00 = 20 % > 10 %;
    //   score = 0.5 * 0 (amount) + 0.25 * (1 - 1/11) (1 day of 10) + 0.25 * (1 - 1/3) (distance 1 of at most 2)
    //         = 0 + 0.227272... + 0.166666... = 0.393939... -> 0.3939
    // - b2 2026-03-05, 300.00, names ...E6vuV (the 6 and 2 of E6v62uV dropped: distance 2);
    //   score = 0 + 0.25 * (1 - 2/11) + 0.25 * (1 - 2/3) = 0.204545... + 0.083333... = 0.287878... -> 0.2879
    // - b3 2026-03-04, 350.00, names ...v62uV in upper case (PO_1RVIQ98XWVYDMF8NTE6V62UV: a letter-case
    //   difference counts as distance 1, upper-casing never makes an exact match); same score as b1 = 0.3939
    // - b4 2026-03-04, 450.00, names po_1RVIQ98XWVyDmF8NtEXXXXXX (6v62uV -> XXXXXX: distance 6). Its amount is
    //   inside the 10 % window (|450 - 500| = 50 = 10 % of 500) but 0.5 * (1 - 50/51) + 0.25 * (1 - 1/11) + 0 = 0.237 < 0.5: not suggested.
    const payout = { id: 'po', amount: '500.00', date: '2026-03-03', kind: 'payout' as const, externalId: 'po_1RVIQ98XWVyDmF8NtE6v62uV' };
    const right: TxSpec[] = [
      { id: 'b1', amount: '400.00', date: '2026-03-04', kind: 'transfer', description: 'STRIPE po_1RVIQ98XWVyDmF8NtE6v62uW' },
      { id: 'b2', amount: '300.00', date: '2026-03-05', kind: 'transfer', description: 'STRIPE po_1RVIQ98XWVyDmF8NtE6vuV' },
      { id: 'b3', amount: '350.00', date: '2026-03-04', kind: 'transfer', description: 'STRIPE PO_1RVIQ98XWVYDMF8NTE6V62UV' },
      { id: 'b4', amount: '450.00', date: '2026-03-04', kind: 'transfer', description: 'STRIPE po_1RVIQ98XWVyDmF8NtEXXXXXX' },
    ];
    const result = leg([payout], right);
    expect(result.groups).toEqual([]);
    expect(result.suggestions.map((s) => `${s.id}:${s.score}`)).toEqual(['po>b1:0.3939', 'po>b3:0.3939', 'po>b2:0.2879']);
    // The ids as each side writes them (po_…), not folded (po1…).
    expect(result.suggestions[0]?.reasons.map((r) => r.detail)).toEqual(['difference -100.00 EUR', '1 day(s) apart', 'reference po_1RVIQ98XWVyDmF8NtE6v62uW within edit distance 1 of po_1RVIQ98XWVyDmF8NtE6v62uV']);
    // Never accepted, whatever the threshold.
    expect(leg([payout], right, { suggest: { autoAcceptScoreMin: 0 } }).groups).toEqual([]);
  });

  it('auto-accepts only mutual-best suggestions at or above the threshold', () => {
    const left = [{ id: 'a', amount: '100.00', date: '2026-03-01', counterparty: 'Acme' }];
    const right = [{ id: 'b', amount: '99.00', date: '2026-03-05', counterparty: 'Acme' }];
    const score = leg(left, right).suggestions[0]?.score ?? 0;
    expect(score).toBeGreaterThan(0.5);
    expect(leg(left, right, { suggest: { autoAcceptScoreMin: score + 0.0001 } }).groups).toEqual([]);
    expect(pairs(leg(left, right, { suggest: { autoAcceptScoreMin: score } }))).toEqual(['suggestion:a=b']);
  });
});

describe('determinism and accounting', () => {
  const spec = fc.record({
    // Few distinct amounts, so that equal amounts, batch sums and subset sums really occur.
    amountCents: fc.integer({ min: -6, max: 6 }).map((n) => n * 500 + (n % 2)),
    day: fc.integer({ min: 1, max: 20 }),
    ref: fc.option(fc.constantFrom('REF-1001', 'REF-1002', 'REF-1003', 'REF-1004'), { nil: null }),
    batch: fc.option(fc.constantFrom('B-01', 'B-02'), { nil: null }),
    currency: fc.constantFrom('EUR', 'EUR', 'EUR', 'USD'),
    who: fc.constantFrom('acme', 'zeta', null),
  });
  const toTx = (side: string) => (item: { amountCents: number; day: number; ref: string | null; batch: string | null; currency: string; who: string | null }, index: number): CanonicalTransaction =>
    makeTx({
      id: `${side}${String(index).padStart(3, '0')}`,
      amount: fromMinorUnits(item.amountCents, 2),
      date: `2026-03-${String(item.day).padStart(2, '0')}`,
      currency: item.currency,
      externalId: side === 'L' ? item.ref : null,
      description: side === 'R' && item.ref !== null ? `payment ${item.ref}` : null,
      batchId: side === 'L' ? item.batch : null,
      counterparty: item.who,
    });
  const rules = parseRules({ amountTolerance: '0.02', fx: { pairs: [{ from: 'USD', to: 'EUR' }] } });
  const rates = new RateTable([1, 5, 9, 13, 17].map((day) => ({ date: `2026-03-${String(day).padStart(2, '0')}`, from: 'USD', to: 'EUR', rate: '0.9' })));
  const run = (left: CanonicalTransaction[], right: CanonicalTransaction[]): LegResult => matchLeg(left, right, rules, { name: 'p', scanText: { left: false, right: true }, rates });

  it('puts every item in exactly one group or in its unmatched list, whatever the input order', () => {
    const rulesSeen = new Set<string>();
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 30 }), fc.array(spec, { maxLength: 30 }), fc.integer(), (leftSpecs, rightSpecs, seed) => {
        // Two payables and the one bank debit that pays both (amounts no generated item has).
        const left = [...leftSpecs.map(toTx('L')), makeTx({ id: 'L900', amount: '12.34', date: '2026-03-05', counterparty: 'subco' }), makeTx({ id: 'L901', amount: '56.78', date: '2026-03-06', counterparty: 'subco' })];
        const right = [...rightSpecs.map(toTx('R')), makeTx({ id: 'R998', amount: '69.12', date: '2026-03-07', counterparty: 'SubCo' })];
        // A bank credit for batch B-01 when it is all EUR, so the batch rule has something to find.
        const batch = left.filter((tx) => tx.references.batchId === 'B-01');
        const batchCents = batch.reduce((sum, tx) => sum + (toMinorUnits(tx.amount, 2) as number), 0);
        if (batch.length > 1 && batch.every((tx) => tx.currency === 'EUR') && batchCents !== 0) {
          right.push(makeTx({ id: 'R999', amount: fromMinorUnits(batchCents, 2), date: batch[0]?.occurredAt ?? '2026-03-01' }));
        }
        const result = run(left, right);
        for (const group of result.groups) rulesSeen.add(group.rule);
        // Every group's breakdown adds up to the group's own difference, to the cent.
        for (const group of result.groups) {
          if (new Decimal(group.difference).isZero()) {
            expect(group.variance).toBeNull();
            continue;
          }
          const v = group.variance;
          expect(v).not.toBeNull();
          expect(v?.difference).toBe(group.difference);
          const parts = [v?.timing, v?.fees, v?.refunds, v?.withholding, v?.fx, v?.tolerated, v?.unexplained].reduce((sum: Decimal, part) => sum.plus(part ?? 'NaN'), new Decimal(0));
          expect(parts.toFixed(2)).toBe(group.difference);
        }
        const seenLeft = [...result.groups.flatMap((group) => group.leftIds), ...result.unmatchedLeft].sort();
        const seenRight = [...result.groups.flatMap((group) => group.rightIds), ...result.unmatchedRight].sort();
        expect(seenLeft).toEqual(left.map((tx) => tx.id).sort());
        expect(seenRight).toEqual(right.map((tx) => tx.id).sort());
        // A suggestion only ever proposes items still unmatched: matched, suggested or unmatched, never two.
        const freeLeft = new Set(result.unmatchedLeft);
        const freeRight = new Set(result.unmatchedRight);
        for (const suggestion of result.suggestions) {
          expect(suggestion.leftIds.every((id) => freeLeft.has(id))).toBe(true);
          expect(suggestion.rightIds.every((id) => freeRight.has(id))).toBe(true);
        }
        const shuffle = <T>(items: T[]): T[] => items.map((item, index) => ({ item, key: ((index + 1) * 2654435761 + seed) % 1000003 })).sort((a, b) => a.key - b.key).map((entry) => entry.item);
        expect(run(shuffle(left), shuffle(right))).toEqual(result);
      }),
      { numRuns: 200, seed: 20260301 },
    );
    // The generator really exercises the rules (not a property over empty results).
    expect([...rulesSeen].sort()).toEqual(expect.arrayContaining(['amount-date', 'reference', 'batch', 'subset-sum', 'fx']));
  });
});
