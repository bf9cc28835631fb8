import { beforeAll, describe, expect, it } from 'vitest';
import { autoclose } from '../../../../core/exceptions/autoclose.ts';
import { createException, transition } from '../../../../core/exceptions/model.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { registerReviewTexts, REVIEW_NS } from '../../grid/texts.ts';
import { expectedBandOf, historyReason, mergeRows, partnerQueryEvidence, planBulk, rowsOf, suggestedActions, transactionRefs } from './exception-rows.ts';

const AT = '2026-04-02T09:00:00Z';

function record(key: string, type: 'unmatched' | 'duplicate' | 'anomaly' = 'unmatched') {
  return createException(
    { type, key: [key], severity: 'medium', title: `t ${key}`, amountAtRisk: { amount: '10.00', currency: 'EUR' }, partnerId: 'P1', period: '2026-03', sourceRefs: [{ kind: 'transaction', id: `tx-${key}`, line: null }, { kind: 'partner', id: 'P1', line: null }] },
    '2026-03-30T09:00:00Z',
  );
}

describe('exceptions grid rules', () => {
  it('resolves in bulk only what the workflow allows and says which were skipped', () => {
    const open = record('a');
    const investigating = transition(record('b'), { to: 'investigating', by: 'ana', at: AT });
    const resolved = transition(record('c'), { to: 'resolved', by: 'ana', at: AT, reason: 'booked' });
    const plan = planBulk([open, investigating, resolved], 'resolve', 'bank fee booked', 'ana', AT);
    expect(plan.apply).toEqual([open.id, investigating.id]);
    expect(plan.skip).toEqual([resolved.id]);
  });

  it('refuses a closing bulk step without a reason', () => {
    expect(() => planBulk([record('a')], 'waive', '  ', 'ana', AT)).toThrow(/needs a reason/);
    expect(planBulk([record('a')], 'assign', '', 'ana', AT).apply).toHaveLength(1);
  });

  it('hides closed exceptions unless asked and ages them in whole days', () => {
    const closed = transition(record('c'), { to: 'waived', by: 'ana', at: AT, reason: 'dup' });
    const docs = [record('a'), closed].map((r) => ({ ...r, updatedBy: 'ana', conflicts: [] }));
    expect(rowsOf(docs, AT, false).map((row) => row.doc.id)).toEqual([docs[0]!.id]);
    // Raised 2026-03-30T09:00Z, now 2026-04-02T09:00Z: three days.
    expect(rowsOf(docs, AT, true)[0]?.ageDays).toBe(3);
  });

  it('suggests actions by type and reads an anomaly\'s band from its evidence', () => {
    expect(suggestedActions(record('a'))).toEqual(['match_by_hand']);
    expect(suggestedActions(record('d', 'duplicate'))).toEqual(['waive_duplicate']);
    expect(transactionRefs(record('a'))).toEqual(['tx-a']);
    // expected 40, residual sd 5: band 30..50; observed 71 lies outside it.
    expect(expectedBandOf({ 'evidence.observed': '71', 'evidence.expected': '40', 'evidence.residualSd': '5' })).toEqual({ observed: 71, expected: 40, low: 30, high: 50 });
    expect(expectedBandOf({ 'evidence.observed': '3', 'evidence.expected': '2', 'evidence.residualSd': '4' })?.low).toBe(0);
    expect(expectedBandOf({ kind: 'late_report' })).toBeNull();
  });

  it('keeps row objects when the same exceptions come back, so the grid keeps its undo stack', () => {
    const docs = [record('a'), record('b')].map((r) => ({ ...r, updatedBy: 'ana', conflicts: [] }));
    const first = rowsOf(docs, AT, true);
    const assigned = [{ ...docs[0]!, assignee: 'kim' }, docs[1]!];
    const merged = mergeRows(first, rowsOf(assigned, AT, true));
    expect(merged).toBe(first);
    expect(merged[0]?.assignee).toBe('kim');
    expect(mergeRows(first, rowsOf([docs[1]!], AT, true))).not.toBe(first);
  });

  it('shows a partner query as the statement line asked about, and suggests answering it', () => {
    // As server/partner/queries.ts raises it: line 2 of studio-a's 2026-03 statement, 10.00 EUR claimed.
    const query = createException(
      {
        type: 'partner-query',
        key: ['studio-a', 'st_a', 'pq_1'],
        severity: 'medium',
        title: 'Partner studio-a questions line 2 of 2026-03 (revision 1)',
        amountAtRisk: { amount: '10.00', currency: 'EUR' },
        partnerId: 'studio-a',
        period: '2026-03',
        sourceRefs: [{ kind: 'statement', id: 'st_a', line: 2 }],
        details: { queryId: 'pq_1', statementId: 'st_a', statementHash: 'a'.repeat(64), line: '2', text: 'Game 2 sold 3 copies, not 2?', claimedAmount: '10.00', askedBy: 'alice' },
      },
      AT,
    );
    expect(suggestedActions(query)).toEqual(['answer_partner', 'rerun_if_claim_right']);
    expect(transactionRefs(query)).toEqual([]);
    // Two groups: line 1 is the first group's only line, line 2 the second group's first.
    const statement = {
      id: 'st_a',
      partnerId: 'studio-a',
      period: '2026-03',
      revision: 1,
      hash: 'a'.repeat(64),
      currency: 'EUR',
      canonicalJson: JSON.stringify({
        groups: [
          { key: 'default', lines: [{ productId: 'game-1', currency: 'EUR', transactionCount: 7, base: '350.00' }] },
          { key: 'product:game-2', lines: [{ productId: 'game-2', currency: 'USD', transactionCount: 2, base: '18.50' }] },
        ],
      }),
    };
    expect(partnerQueryEvidence(query, [statement])).toEqual({
      statementId: 'st_a',
      statementHash: 'a'.repeat(64),
      line: 2,
      question: 'Game 2 sold 3 copies, not 2?',
      claimedAmount: '10.00',
      currency: 'EUR',
      askedBy: 'alice',
      statement: { partnerId: 'studio-a', period: '2026-03', revision: 1, sameHash: true },
      statementLine: { productId: 'game-2', lineCurrency: 'USD', transactionCount: 2, base: '18.50' },
    });
    // A desk without the statement still shows what the partner asked; a statement of another hash says so.
    const missing = partnerQueryEvidence(query, []);
    expect([missing.statement, missing.statementLine, missing.line, missing.question]).toEqual([null, null, 2, 'Game 2 sold 3 copies, not 2?']);
    expect(partnerQueryEvidence(query, [{ ...statement, hash: 'b'.repeat(64) }]).statement?.sameHash).toBe(false);
    // A line beyond the statement's lines: the statement is shown, no line.
    expect(partnerQueryEvidence({ ...query, sourceRefs: [{ kind: 'statement', id: 'st_a', line: 3 }], details: { ...query.details, line: '3' } }, [statement]).statementLine).toBeNull();
  });
});

describe('an exception\'s history in the analyst\'s language', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerReviewTexts();
  });

  it('says the system\'s generic auto-close reason in the desk\'s language and a person\'s reason as written', () => {
    const record = createException({ type: 'fx_rate_missing', key: ['USD', 'EUR', '2026-03-04'], severity: 'high', title: 'no USD/EUR rate for 2026-03-04', amountAtRisk: null, partnerId: null, period: null, sourceRefs: [], details: {} }, '2026-03-05T00:00:00Z');
    // The rate was loaded: the next analysis no longer raises it, so the system resolves it.
    const [closed] = autoclose([record], new Set(), '2026-03-06T00:00:00Z').records;
    const [step] = closed!.history;
    expect(step).toMatchObject({ auto: true, reason: 'no longer raised by the current data (fx_rate_missing)' });
    expect(historyReason(step!, 'fx_rate_missing', i18next.getFixedT('en', REVIEW_NS))).toBe('no longer raised by the current data (FX rate missing)');
    expect(historyReason(step!, 'fx_rate_missing', i18next.getFixedT('ko', REVIEW_NS))).toBe('현재 데이터에서 더 이상 발생하지 않음 (환율 누락)');
    const byHand = transition(record, { to: 'resolved', by: 'ana', at: '2026-03-06T00:00:00Z', reason: 'rate booked by hand' }).history[0]!;
    expect(historyReason(byHand, 'fx_rate_missing', i18next.getFixedT('ko', REVIEW_NS))).toBe('rate booked by hand');
  });
});
