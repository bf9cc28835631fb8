import { describe, expect, it } from 'vitest';
import { exceptionsFromReconcile } from '../../../core/exceptions/from-reconcile.ts';
import { reconcile } from '../../../core/reconcile/reconcile.ts';
import { makeTx } from '../../../core/reconcile/test-support.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../i18n/text-tree.test-support.ts';
import { reviewEn } from './texts-en.ts';
import { reviewKo } from './texts-ko.ts';

describe('review texts', () => {
  const english = leaves(reviewEn);
  const korean = leaves(reviewKo);

  it('Korean has every English key with the same placeholders', () => {
    expectSameKeysAndPlaceholders(english, korean);
  });

  it('names every fact of a grouped unmatched exception in both languages', () => {
    const bank = [makeTx({ id: 'b1', amount: '-25.50', date: '2026-03-04', kind: 'transfer' }), makeTx({ id: 'b2', amount: '100.00', date: '2026-03-04', kind: 'transfer' })];
    const [grouped] = exceptionsFromReconcile(reconcile({ internal: [], psp: [], bank }), bank, '2026-03-06T00:00:00Z', { groupUnmatchedAbove: 1 }).filter((each) => each.details.grouped === 'day');
    const keys = Object.keys(grouped?.details ?? {});
    expect(keys).toEqual(['side', 'grouped', 'account', 'currency', 'date', 'count', 'net', 'gross', 'partners']);
    const named = (tree: Map<string, string>) => keys.filter((key) => !tree.has(`exceptions.detail.factNames.${key}`));
    expect([named(english), named(korean)]).toEqual([[], []]);
  });

  it('Korean sentences are written in Hangul', () => {
    expect(latinOnlyKeys(korean, ['settlements.hashLabel'])).toEqual([]);
  });
});
