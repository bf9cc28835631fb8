// eslint-disable-next-line no-restricted-imports -- React's static renderer (react-dom/server), not our server/ layer.
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { createException, transition } from '../../../../core/exceptions/model.ts';
import type { ExceptionDoc } from '../../../../core/sync/documents.ts';
import { i18next, startI18n } from '../../../i18n/index.ts';
import type { ReviewDesk } from '../../grid/review-port.ts';
import { PartnerAnswer } from './PartnerAnswer.tsx';

/** The "Answer the partner" section as the desk renders it, in English and Korean, open and answered. */
const AT = '2026-03-02T10:00:00Z';
const query: ExceptionDoc = {
  ...createException(
    {
      type: 'partner-query',
      key: ['A', 'st_1', 'pq_1'],
      severity: 'medium',
      title: 'Partner A questions line 1 of 2026-01 (revision 1)',
      amountAtRisk: { amount: '8.75', currency: 'EUR' },
      partnerId: 'A',
      period: '2026-01',
      sourceRefs: [{ kind: 'statement', id: 'st_1', line: 1 }],
      details: { queryId: 'pq_1', line: '1', text: 'Is the sale of 7 January 62.50?', claimedAmount: '8.75' },
    },
    AT,
  ),
  updatedBy: 'ana',
  conflicts: [],
};
// Only the section's rendering is checked here; the transition it calls is the desk's own (tests/e2e/portal.test.ts goes through it).
const desk = { userId: 'ana' } as unknown as ReviewDesk;

describe('Answer the partner', () => {
  beforeAll(async () => {
    await startI18n('en');
  });

  it('shows the partner’s line, question and claim with an answer box, in English and Korean', async () => {
    const en = renderToStaticMarkup(<PartnerAnswer desk={desk} doc={query} />);
    expect(en).toContain('The partner asks about line 1: “Is the sale of 7 January 62.50?”');
    expect(en).toContain('Amount claimed: 8.75 EUR');
    expect(en).toContain('Send answer and resolve');
    expect(en).toMatch(/<label[^>]*for="([^"]+)".*<textarea[^>]*id="\1"/s);
    await i18next.changeLanguage('ko');
    const ko = renderToStaticMarkup(<PartnerAnswer desk={desk} doc={query} />);
    expect(ko).toContain('파트너가 1번 명세에 대해 문의합니다');
    expect(ko).toContain('답변 보내고 해결');
    await i18next.changeLanguage('en');
  });

  it('shows the answer once resolved, and nothing on other exception types', () => {
    const answered = { ...transition(query, { to: 'resolved', by: 'ana', at: AT, reason: 'It was 50.00 in the PSP report.' }), updatedBy: 'ana', conflicts: [] };
    const html = renderToStaticMarkup(<PartnerAnswer desk={desk} doc={answered} />);
    expect(html).toContain('Answered: It was 50.00 in the PSP report.');
    expect(html).not.toContain('<textarea');
    expect(renderToStaticMarkup(<PartnerAnswer desk={desk} doc={{ ...query, type: 'unmatched' }} />)).toBe('');
  });
});
