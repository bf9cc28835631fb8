import { describe, expect, it } from 'vitest';
import { rateTable } from '../settlement/fx.ts';
import { statementHash } from '../settlement/index.ts';
import { row, settle } from '../settlement/testkit.ts';
import { buildStatementDocument, displayAmount, type DocumentBlock } from './document.ts';

const statement = settle({ share: { rate: '70' }, transactionFee: { amount: '0.10' } }, [row('sale', '100.00'), row('sale', '1000', { currency: 'JPY' })], { rates: rateTable({ '2026-01-10': { JPY: '160' } }, 'ECB test rates', 'EUR') });

function texts(blocks: readonly DocumentBlock[]): string {
  return JSON.stringify(blocks);
}

describe('the statement document', () => {
  it('groups thousands as text, never through a float', () => {
    expect(displayAmount('1234567.891234567891234')).toBe('1,234,567.891234567891234');
    expect(displayAmount('-1000')).toBe('-1,000');
  });

  it('prints the hash, the issuer and a development mark', () => {
    const document = buildStatementDocument(statement, { name: 'Org', development: true }, 'en');
    expect(document.sha256).toBe(statementHash(statement));
    expect(document.mark).toBe('DEVELOPMENT CERTIFICATE — NOT FOR PRODUCTION');
    expect(texts(document.blocks)).toContain('Org');
    expect(buildStatementDocument(statement, { name: 'Org', development: false }, 'en').mark).toBeNull();
    expect(buildStatementDocument(statement, null, 'en').mark).toContain('UNSIGNED');
  });

  it('speaks Korean: labels, terms and line explanations', () => {
    const document = buildStatementDocument(statement, { name: 'Org', development: false }, 'ko');
    const all = texts(document.blocks);
    expect(document.title).toBe('정산 명세서');
    expect(all).toContain('파트너 배분: 수익 기준액의 70 %.');
    expect(all).toContain('판매 1건 1,000 JPY (가산)');
    expect(all).toContain('거래 수수료');
    expect(document.pageLabel(1, 3)).toBe('3쪽 중 1쪽');
  });

  it('lists only real conversions in the FX table: 1000 JPY at 1/160 = 0.00625', () => {
    const document = buildStatementDocument(statement, null, 'en');
    const fx = document.blocks.find((block) => block.kind === 'table' && block.columns.some((column) => column.label === 'Rate'));
    expect(fx?.kind === 'table' ? fx.rows.map((each) => each.cells.slice(1, 4)) : null).toEqual([['JPY→EUR', '2026-01-10', '0.00625']]);
  });
});

describe('Korean calculation notes', () => {
  it('rewrites the notes the engine writes today, numbers unchanged', async () => {
    const { koreanNote, koreanRule } = await import('./korean-notes.ts');
    expect(koreanRule('flat 70 %')).toBe('단일 요율 70 %');
    expect(koreanNote('3 transactions (sale) x 0.10')).toBe('거래 3건 (판매) × 0.10');
    expect(koreanNote('5 transactions (sale, refund, chargeback) x 0.25')).toBe('거래 5건 (판매, 환불, 지불 거절) × 0.25');
    expect(koreanRule('marginal on count, contract year to date 40 before this period: each band at its own rate')).toBe('구간별 한계 요율 (건수, 이번 기간 전 계약 연도 누계 40)');
    expect(koreanRule('retroactive on revenue: reached 1200.00, boundary to the lower tier, whole base at 15 %')).toBe('소급 요율 (매출): 1200.00 도달, 경계값은 하위 구간, 전체 기준액에 15 %');
    expect(koreanNote('3 transactions (sale) x 0.10 (VAT 19 % included)')).toBe('거래 3건 (판매) × 0.10 (부가가치세 19 % 포함)');
    expect(koreanNote('withholding 10.21 % (JP) on cash-paid after carry-forward and recoupment: basis 944098')).toBe('원천징수 10.21 % (JP), 실지급액 기준, 이월 및 회수 후: 과세 기준액 944098');
    expect(koreanNote('negative balance -12.50 carried forward')).toBe('음수 잔액 -12.50, 다음 기간으로 이월');
    expect(koreanNote('a note of a new shape')).toBe('a note of a new shape');
  });

  it('shows the fee of the hand statement in Korean', () => {
    const all = texts(buildStatementDocument(statement, null, 'ko').blocks);
    expect(all).toContain('거래 2건 (판매) × 0.10');
    expect(all).toContain('단일 요율 70 %');
  });
});
