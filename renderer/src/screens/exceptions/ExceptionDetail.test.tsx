// eslint-disable-next-line no-restricted-imports -- React's static renderer (react-dom/server), not our server/ layer.
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatCount, formatDate, formatInstant, formatMoney } from '../../../i18n/format.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { registerReviewTexts } from '../../grid/texts.ts';
import type { PartnerQueryEvidence } from './exception-rows.ts';
import { PartnerQueryFacts } from './ExceptionDetail.tsx';

/** A partner query's evidence as the exception panel shows it, in English and Korean. */
const format = {
  money: (amount: string, currency: string) => formatMoney(amount, currency, 'en'),
  count: (count: number) => formatCount(count, 'en'),
  date: (value: string) => formatDate(value, { locale: 'en', dateStyle: 'iso' }),
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
