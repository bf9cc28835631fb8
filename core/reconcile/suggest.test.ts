import { describe, expect, it } from 'vitest';
import { RateTable } from './fx.ts';
import { matchLeg, type LegResult } from './match.ts';
import { parseRules, type ReconcileRulesInput } from './rules.ts';
import { makeTx, type TxSpec } from './test-support.ts';

function leg(left: TxSpec[], right: TxSpec[], rules: ReconcileRulesInput = {}): LegResult {
  return matchLeg(left.map(makeTx), right.map(makeTx), parseRules(rules), { name: 'test', scanText: { left: false, right: true }, rates: new RateTable([]) });
}

const said = (result: LegResult) => result.suggestions.map((suggestion) => suggestion.reasons.map((reason) => [reason.says, reason.params, reason.detail]));

describe('suggestion reasons as codes and facts', () => {
  it('says each reason by a code with its facts, beside the same English', () => {
    // 98.50 - 100.00 = -1.50 EUR, 1 to 5 March = 4 days; the counterparty names share their words.
    const result = leg([{ id: 'a', amount: '100.00', date: '2026-03-01', counterparty: 'Acme Games GmbH' }], [{ id: 'b', amount: '98.50', date: '2026-03-05', counterparty: 'ACME GAMES' }]);
    const [reasons] = said(result);
    expect(reasons?.slice(0, 2)).toEqual([
      ['difference', { amount: '-1.50', currency: 'EUR' }, 'difference -1.50 EUR'],
      ['days_apart', { days: '4' }, '4 day(s) apart'],
    ]);
    expect(reasons?.[2]?.[0]).toBe('counterparty_similarity');
    expect(reasons?.[2]?.[2]).toBe(`counterparty similarity ${(reasons?.[2]?.[1] as Record<string, string>).similarity}`);
  });

  it('names a near reference and a batch\'s sum by their facts', () => {
    const near = leg([{ id: 'po', amount: '500.00', date: '2026-03-03', kind: 'payout', externalId: 'po_1RVIQ98XWVyDmF8NtE6v62uV' }], [{ id: 'b1', amount: '400.00', date: '2026-03-04', kind: 'transfer', description: 'STRIPE po_1RVIQ98XWVyDmF8NtE6v62uW' }]);
    // Both ids as written (po_…), not as folded into keys (po1…): a person searches for the written id.
    const nearSaid = ['near_reference', { found: 'po_1RVIQ98XWVyDmF8NtE6v62uW', distance: '1', key: 'po_1RVIQ98XWVyDmF8NtE6v62uV' }, 'reference po_1RVIQ98XWVyDmF8NtE6v62uW within edit distance 1 of po_1RVIQ98XWVyDmF8NtE6v62uV'];
    expect(said(near)[0]?.[2]).toEqual(nearSaid);
    // Equal amounts: the pair is an amount candidate and its text evidence is the near reference
    // (1 - 1/3 = 0.67, beyond no similarity at all); only the reference rule runs, which leaves both free.
    const nearEqual = leg([{ id: 'po', amount: '500.00', date: '2026-03-03', kind: 'payout', externalId: 'po_1RVIQ98XWVyDmF8NtE6v62uV' }], [{ id: 'b1', amount: '500.00', date: '2026-03-04', kind: 'transfer', description: 'STRIPE po_1RVIQ98XWVyDmF8NtE6v62uW' }], { order: ['reference'] });
    expect(said(nearEqual)[0]?.[2]).toEqual(nearSaid);
    // 100.00 - 3.00 fee = 97.00 in batch b-1, and a second credit of 97.00 the batch rule cannot tell apart.
    const lines: TxSpec[] = [
      { id: 's1', amount: '100.00', date: '2026-03-01', batchId: 'b-1' },
      { id: 'f1', amount: '-3.00', date: '2026-03-01', kind: 'fee', batchId: 'b-1' },
    ];
    const credits: TxSpec[] = ['x', 'y'].map((id) => ({ id, amount: '97.00', date: '2026-03-03', kind: 'transfer', description: 'ACME SETTLEMENT' }));
    const batch = said(leg(lines, credits, { order: ['batch'] }))[0];
    expect(batch?.[2]).toEqual(['batch_sum', { lines: '2', batch: 'b-1', sum: '97.00', currency: 'EUR' }, '2 lines of batch b-1 sum to 97.00 EUR']);
  });
});

describe('a suggestion resting on a key that folds two ids together', () => {
  // "ch_0_10" and "ch_01_0" are two charges; without separators both are "ch010". Only the reference
  // rule runs, so the amount + date rule cannot pair them first.
  const psp = (id: string, externalId: string, amount: string): TxSpec => ({ id, amount, date: '2026-03-01', externalId });
  const bank = (description: string): TxSpec => ({ id: 'bank', amount: '30.00', date: '2026-03-03', kind: 'transfer', description });
  const rules = (autoAcceptScoreMin: number | null): ReconcileRulesInput => ({ order: ['reference'], suggest: { autoAcceptScoreMin } });

  it('is shown with both ids as written, never auto-accepted', () => {
    // The bank names "ch010", neither raw id: the reference rule leaves all three free.
    // a>bank: equal amounts (1), 1 to 3 March = 2 days (1 - 2/11 = 0.8181...), the folded key (text 1):
    // 0.5 + 0.25 * 0.8181... + 0.25 = 0.9545...; b (80.00) is beyond 10 % of 30.00, so no amount candidate.
    // The bank side (smaller) probes, yet each raw id is reported on its own side.
    const left = [psp('a', 'ch_0_10', '30.00'), psp('b', 'ch_01_0', '80.00')];
    const result = leg(left, [bank('PAYMENT ch010')], rules(0));
    expect(result.groups).toEqual([]);
    const suggestion = result.suggestions.find((item) => item.id === 'a>bank');
    expect(suggestion?.score).toBe(0.9545);
    expect(suggestion?.reasons[2]).toEqual({
      code: 'text',
      score: 1,
      says: 'folded_reference',
      params: { left: 'ch_0_10', right: 'ch010' },
      detail: 'references ch_0_10 and ch010 match only without separators',
    });
  });

  it('names the id as written and auto-accepts when both sides write it alike', () => {
    // The same pair and score as above, but the bank writes "ch_0_10": only the reversal rule runs
    // (nothing to net), so the suggestion is what pairs them.
    const left = [psp('a', 'ch_0_10', '30.00'), psp('b', 'ch_01_0', '80.00')];
    const result = leg(left, [bank('PAYMENT ch_0_10')], { order: ['reversal'], suggest: { autoAcceptScoreMin: 0.9 } });
    expect(result.groups.map((group) => `${group.rule}:${group.leftIds.join('+')}=${group.rightIds.join('+')}`)).toEqual(['suggestion:a=bank']);
    expect(said(leg(left, [bank('PAYMENT ch_0_10')], { order: ['reversal'] })).find((reasons) => reasons[2]?.[0] === 'shared_reference')?.[2]).toEqual(['shared_reference', { reference: 'ch_0_10' }, 'shared reference ch_0_10']);
  });
});
