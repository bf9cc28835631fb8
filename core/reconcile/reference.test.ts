import { describe, expect, it } from 'vitest';
import { RateTable } from './fx.ts';
import { matchLeg, type LegResult } from './match.ts';
import { parseRules } from './rules.ts';
import { makeTx, type TxSpec } from './test-support.ts';

/**
 * The reference index finds an ASCII id by its prepared hash and compares it letter by letter
 * (no normalized copy), and takes an id written as another owner's id as sharing its raw form:
 * these cases pin what the general path (normalizeKey, a map of keys, rawFormsOfKey) answers.
 * Amounts differ and dates are 20 days apart, so only a reference can pair anything.
 */
const item = (id: string, externalId: string, amount: string): TxSpec => ({ id, amount, date: '2026-03-01', externalId });
const other = (id: string, externalId: string, amount: string): TxSpec => ({ id, amount, date: '2026-03-21', externalId });
const filler = (id: string): TxSpec => ({ id, amount: '0.01', date: '2026-01-01' });

function pairs(left: TxSpec[], right: TxSpec[]): string[] {
  const result: LegResult = matchLeg(left.map(makeTx), right.map(makeTx), parseRules({ order: ['reference'] }), { name: 'test', scanText: { left: false, right: false }, rates: new RateTable([]) });
  return result.groups.map((group) => `${group.leftIds.join('+')}=${group.rightIds.join('+')}`);
}

/** The same answer whichever side is indexed (the smaller one): fillers make the right side larger, then the left. */
function bothWays(left: TxSpec[], right: TxSpec[]): string[] {
  const rightIndexed = pairs(left, right);
  const fillers = Array.from({ length: left.length + right.length }, (_, at) => filler(`f${at}`));
  expect(pairs([...left, ...fillers], right)).toEqual(rightIndexed);
  expect(pairs(left, [...right, ...fillers])).toEqual(rightIndexed);
  return rightIndexed;
}

describe('reference rule: the ASCII fast path', () => {
  it('tells apart two ids with one hash', () => {
    // keyHash('ch7tzx') === keyHash('chi3ad') (text.test.ts).
    expect(bothWays([item('a', 'ch_7tzx', '10.00'), item('b', 'chi3ad', '20.00')], [other('x', 'chi-3ad', '21.00'), other('y', 'ch7tzx', '11.00')])).toEqual(['a=y', 'b=x']);
    expect(bothWays([item('a', 'ch_7tzx', '10.00')], [other('x', 'chi3ad', '21.00')])).toEqual([]);
  });

  it("links a charge's gross and fee lines, which write its id the same way, and keeps letter case", () => {
    expect(bothWays([item('l', 'ch_3Ab', '10.00')], [other('gross', 'ch_3Ab', '10.01'), other('fee', 'ch_3Ab', '-0.30')])).toEqual(['l=fee+gross']);
    expect(bothWays([item('l', 'ch_3Ab', '10.00')], [other('gross', 'ch_3Ab', '10.01'), other('fee', 'CH-3AB', '-0.30')])).toEqual(['l=gross']);
  });

  it('links only the raw form the other side wrote when one side writes a key two ways', () => {
    expect(bothWays([item('l', 'ch_3Ab', '10.00')], [other('gross', 'ch_3Ab', '10.01'), other('fee', 'ch-3Ab', '-0.30')])).toEqual(['l=gross']);
    expect(bothWays([item('l', 'ch_3Ab', '10.00'), item('m', 'ch-3Ab', '12.00')], [other('gross', 'ch-3Ab', '10.01')])).toEqual(['m=gross']);
  });

  it('folds an id with a non-ASCII separator to the ASCII key it spells', () => {
    expect(bothWays([item('l', 'ch\u20133Ab', '10.00')], [other('x', 'ch_3Ab', '10.01')])).toEqual(['l=x']);
    expect(bothWays([item('l', 'Straße-4711', '10.00')], [other('x', 'Straße_4711', '10.01'), other('y', 'STRASSE4711', '10.02')])).toEqual(['l=x']);
  });

  it('never links placeholders or keys shorter than keyLengthMin', () => {
    expect(bothWays([item('a', 'N-O-N-R-E-F', '10.00'), item('b', 'ab-1', '20.00'), item('c', 'none', '30.00')], [other('x', 'nonref', '11.00'), other('y', 'ab_1', '21.00'), other('z', 'NONE', '31.00')])).toEqual([]);
    expect(bothWays([item('a', 'NONES', '10.00'), item('b', 'NONE-1', '20.00')], [other('x', 'NONES', '11.00'), other('y', 'NONE1', '21.00')])).toEqual(['a=x', 'b=y']);
  });
});
