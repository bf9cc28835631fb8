// eslint-disable-next-line no-restricted-imports -- React's static renderer (react-dom/server), not our server/ layer.
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatCount, formatDate, formatInstant, formatMoney, formatMonthDay } from '../../../i18n/format.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { registerReviewTexts, REVIEW_NS } from '../../grid/texts.ts';
import { expectSameKeysAndPlaceholders, latinOnlyKeys, textLeaves as leaves } from '../../../i18n/text-tree.test-support.ts';
import { makeTx } from '../../../../core/reconcile/test-support.ts';
import { unmatchedGroupOf, type PartnerQueryEvidence } from './exception-rows.ts';
import { GroupRowsPage, PartnerQueryFacts } from './ExceptionDetail.tsx';
import { exceptionGroupEn, exceptionGroupKo } from './group-texts.ts';
import { groupRowsFailureSaid } from './group-failure.ts';
import { EngineError } from '../../../engine/client.ts';
import { sayIn } from '../../app/use-said.ts';

/** A partner query's evidence as the exception panel shows it, in English and Korean. */
const format = {
  money: (amount: string, currency: string) => formatMoney(amount, currency, 'en'),
  count: (count: number) => formatCount(count, 'en'),
  date: (value: string) => formatDate(value, { locale: 'en', dateStyle: 'iso' }),
  monthDay: (value: string) => formatMonthDay(value, { locale: 'en', dateStyle: 'iso' }),
  instant: (value: string) => formatInstant(value, { locale: 'en', dateStyle: 'iso' }),
};
const evidence: PartnerQueryEvidence = {
  statementId: 'st_a',
  statementHash: 'a'.repeat(64),
  line: 1,
  question: 'Game 1 sold 1,500 copies?',
  claimedAmount: '1250.00',
  currency: 'EUR',
  askedBy: 'alice',
  statement: { partnerId: 'studio-a', period: '2026-03', revision: 1, sameHash: true },
  statementLine: { productId: 'game-1', lineCurrency: 'EUR', transactionCount: 1400, base: '1000.00' },
};

describe('a partner query in the exception panel', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerReviewTexts();
  });

  it('shows the statement, its line with the desk\'s count and base, the question and the claim', async () => {
    const en = renderToStaticMarkup(<PartnerQueryFacts evidence={evidence} format={format} />);
    for (const text of ['What the partner asks', 'studio-a, 2026-03, revision 1', 'Line 1: game-1 (EUR)', '1,400', '1,000.00 EUR', 'Game 1 sold 1,500 copies?', 'Amount claimed', '1,250.00 EUR', 'alice', 'a'.repeat(64)]) expect(en).toContain(text);
    expect(en).not.toContain('No transaction on this desk');
    await i18next.changeLanguage('ko');
    const ko = renderToStaticMarkup(<PartnerQueryFacts evidence={evidence} format={format} />);
    expect(ko).toContain('파트너 문의 내용');
    expect(ko).toContain('1번 항목: game-1 (EUR)');
    await i18next.changeLanguage('en');
  });

  it('says when the desk lacks the statement or holds another hash', () => {
    const missing = renderToStaticMarkup(<PartnerQueryFacts evidence={{ ...evidence, statement: null, statementLine: null }} format={format} />);
    expect(missing).toContain('Statement st_a is not on this desk (yet).');
    expect(missing).toContain('Game 1 sold 1,500 copies?');
    const other = renderToStaticMarkup(<PartnerQueryFacts evidence={{ ...evidence, statement: { ...evidence.statement!, sameHash: false } }} format={format} />);
    expect(other).toContain('another hash than the one the partner saw');
  });
});

describe('a grouped exception\'s rows in the exception panel', () => {
  beforeAll(async () => {
    await startI18n('en');
    registerReviewTexts();
  });

  // As core raises it for 250 bank rows of one day, 245 of 2.00 and 5 of -2.00: 490.00 - 10.00 = 480.00 net, 250 x 2.00 = 500.00 gross.
  const doc = { type: 'unmatched' as const, details: { side: 'bank', grouped: 'day', account: '', currency: 'EUR', date: '2026-03-04', count: '250', net: '480.00', gross: '500.00', partners: '1' } };
  const rows = [makeTx({ id: 'b101', amount: '2.00', date: '2026-03-04', kind: 'transfer', bankReference: 'REF-101' }), makeTx({ id: 'b102', amount: '-2.00', date: '2026-03-04', kind: 'transfer', bankReference: 'REF-102' })];

  it('Korean has every English key with the same placeholders, in Hangul', () => {
    expectSameKeysAndPlaceholders(leaves(exceptionGroupEn), leaves(exceptionGroupKo));
    expect(latinOnlyKeys(leaves(exceptionGroupKo))).toEqual([]);
  });

  it('reads the query from the record\'s facts; a per-row exception has none', () => {
    expect(unmatchedGroupOf(doc)).toEqual({ side: 'bank', account: '', currency: 'EUR', date: '2026-03-04', count: 250 });
    expect(unmatchedGroupOf({ type: 'unmatched', details: { side: 'bank', currency: 'EUR', date: '2026-03-04', amount: '2.00' } })).toBeNull();
  });

  it('shows what it had when raised beside what is still open, the page the worker answered and where the next one starts', async () => {
    const pages: number[] = [];
    // Since raised, two rows of 2.00 were matched by hand: 248 open, 480.00 - 4.00 = 476.00 net, 500.00 - 4.00 = 496.00 gross.
    const page = { start: 100, count: 248, net: '476.00', gross: '496.00', rows };
    const en = renderToStaticMarkup(<GroupRowsPage doc={doc} page={page} format={format} onPage={(start) => pages.push(start)} />);
    for (const text of ['Rows of this exception', '250 rows when raised; net 480.00 EUR, gross 500.00 EUR', 'Still open: 248 rows; net 476.00 EUR, gross 496.00 EUR', 'Rows 101–102 of 248', 'REF-101', '-2.00 EUR', 'Previous rows', 'Next rows']) expect(en).toContain(text);
    expect(en).not.toContain('disabled');
    const none = renderToStaticMarkup(<GroupRowsPage doc={doc} page={{ start: 0, count: 0, net: '0.00', gross: '0.00', rows: [] }} format={format} onPage={() => undefined} />);
    expect(none).toContain('The month holds none of these rows unmatched now.');
    expect(none).toContain('Still open: 0 rows; net 0.00 EUR, gross 0.00 EUR');
    await i18next.changeLanguage('ko');
    const ko = renderToStaticMarkup(<GroupRowsPage doc={doc} page={page} format={format} onPage={() => undefined} />);
    expect(ko).toContain('발생 시 250건; 순액 480.00 EUR, 총액 500.00 EUR');
    expect(ko).toContain('아직 미결 248건; 순액 476.00 EUR, 총액 496.00 EUR');
    expect(ko).toContain('248건 중 101–102번째 거래');
    await i18next.changeLanguage('en');
  });

  it('says an engine failure by its code in the screen\'s language, anything else through the desk\'s failure texts', () => {
    const crashed = groupRowsFailureSaid(new EngineError('engine_crashed', 'Uncaught RangeError: Invalid array length'));
    expect(sayIn(crashed, i18next.getFixedT('ko', REVIEW_NS))).toBe('계산 엔진이 예기치 않게 멈췄습니다. 화면을 다시 불러와 엔진을 다시 시작하세요');
    expect(sayIn(crashed, i18next.getFixedT('en', REVIEW_NS))).toBe('The calculation engine stopped unexpectedly: reload the screen to start it again');
    // A code the panel does not know: failureSaid's 'Failed: …' with the message.
    expect(sayIn(groupRowsFailureSaid(new Error('disk full')), i18next.getFixedT('en', REVIEW_NS))).toBe('Failed: disk full');
  });
});
