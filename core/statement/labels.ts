import type { AdjustmentCode, StatementTotals } from '../settlement/index.ts';
import type { TransactionKind } from '../transactions/schema.ts';

/**
 * The words a statement document prints, in every locale we ship. A partner reads the statement
 * on its own, so every label is spelled out here rather than left as an engine code; a missing
 * translation is a compile error (each locale satisfies the same shape).
 */
export const STATEMENT_LOCALES = ['en', 'ko'] as const;
export type StatementLocale = (typeof STATEMENT_LOCALES)[number];

export interface StatementLabels {
  readonly title: string;
  readonly developmentMark: string;
  readonly unsignedMark: string;
  readonly parties: string;
  readonly issuer: string;
  readonly issuerUnsigned: string;
  readonly partner: string;
  readonly jurisdiction: string;
  readonly period: string;
  readonly revision: string;
  readonly paymentDate: string;
  readonly none: string;
  readonly agreement: string;
  readonly agreementValue: (id: string, version: number, from: string, to: string | null) => string;
  readonly currency: string;
  readonly transactions: string;
  readonly termsInForce: string;
  readonly lines: string;
  readonly product: string;
  readonly noProduct: string;
  readonly lineCurrency: string;
  readonly count: string;
  readonly baseExact: string;
  readonly base: string;
  readonly explanation: string;
  readonly lateCount: (count: number) => string;
  readonly roundingExact: string;
  readonly fxRates: string;
  readonly fxNone: string;
  readonly rate: string;
  readonly rateDate: string;
  readonly quoteDates: string;
  readonly source: string;
  readonly converted: string;
  readonly groups: string;
  readonly group: string;
  readonly defaultGroup: string;
  readonly platformFee: string;
  readonly splitBase: string;
  readonly rule: string;
  readonly share: string;
  readonly band: string;
  readonly measure: string;
  readonly adjustments: string;
  readonly adjustmentsNone: string;
  readonly amount: string;
  readonly totals: string;
  readonly conservation: string;
  readonly balances: string;
  readonly balance: string;
  readonly before: string;
  readonly after: string;
  readonly carryForward: string;
  readonly advanceBalance: string;
  readonly mgRecoupableBalance: string;
  readonly statementHash: string;
  readonly hashNote: string;
  readonly page: (index: number, count: number) => string;
  readonly kinds: Readonly<Record<TransactionKind, string>>;
  readonly adjustmentCodes: Readonly<Record<AdjustmentCode, string>>;
  readonly totalsFields: Readonly<Record<keyof StatementTotals, string>>;
}

const EN: StatementLabels = {
  title: 'Settlement statement',
  developmentMark: 'DEVELOPMENT CERTIFICATE — NOT FOR PRODUCTION',
  unsignedMark: 'UNSIGNED DRAFT — NOT A SIGNED STATEMENT',
  parties: 'Parties',
  issuer: 'Issued by',
  issuerUnsigned: '(not signed)',
  partner: 'Partner',
  jurisdiction: 'jurisdiction',
  period: 'Period',
  revision: 'Revision',
  paymentDate: 'Payment date',
  none: '—',
  agreement: 'Agreement',
  agreementValue: (id, version, from, to) => `${id}, version ${version} (in force ${from} to ${to ?? 'open-ended'})`,
  currency: 'Settlement currency',
  transactions: 'Transactions',
  termsInForce: 'Terms in force',
  lines: 'Lines',
  product: 'Product',
  noProduct: '(no product)',
  lineCurrency: 'Ccy',
  count: 'Count',
  baseExact: 'Base (exact)',
  base: 'Base',
  explanation: 'Explanation',
  lateCount: (count) => `${count} booked late into this period`,
  roundingExact: 'no rounding needed',
  fxRates: 'FX rates used',
  fxNone: 'No currency conversion: every line is in the settlement currency.',
  rate: 'Rate',
  rateDate: 'Rate for',
  quoteDates: 'Quoted on',
  source: 'Source',
  converted: 'Converted base',
  groups: 'Share by group',
  group: 'Group',
  defaultGroup: 'all products',
  platformFee: 'Platform fee',
  splitBase: 'Split base',
  rule: 'Rule',
  share: 'Share',
  band: 'Band',
  measure: 'Measure',
  adjustments: 'Fees, taxes, guarantees and carry-forwards',
  adjustmentsNone: 'None this period.',
  amount: 'Amount',
  totals: 'Totals',
  conservation: 'Check: gross base + carried in = payable + carried out + platform retained + fees + taxes',
  balances: 'Balances carried between periods',
  balance: 'Balance',
  before: 'Before',
  after: 'After',
  carryForward: 'Carry-forward',
  advanceBalance: 'Advance to recoup',
  mgRecoupableBalance: 'Recoupable guarantee top-ups',
  statementHash: 'Statement SHA-256',
  hashNote: 'SHA-256 of the canonical JSON of this statement; the JSON file and its JWS carry the same value.',
  page: (index, count) => `Page ${index} of ${count}`,
  kinds: { sale: 'sales', refund: 'refunds', chargeback: 'chargebacks', fee: 'fees', payout: 'payouts', promotion: 'promotions', adjustment: 'adjustments', tax: 'taxes', transfer: 'transfers' },
  adjustmentCodes: {
    mg_top_up: 'Minimum guarantee top-up',
    mg_recouped: 'Guarantee top-ups recouped',
    cap: 'Cap on the share',
    platform_fee: 'Platform fee',
    transaction_fee: 'Transaction fees',
    periodic_fee: 'Periodic fee',
    vat_on_fees: 'VAT on fees',
    advance_recouped: 'Advance recouped',
    carry_in: 'Carried in',
    withholding: 'Withholding tax',
    carry_out: 'Carried forward',
    written_off: 'Written off',
  },
  totalsFields: {
    grossBase: 'Gross revenue base',
    shareEarned: 'Share earned',
    platformSplit: 'Platform split',
    platformFeeInSplit: 'Platform fee within the split',
    mgTopUp: 'Minimum guarantee top-up',
    mgRecouped: 'Guarantee top-ups recouped',
    capReduction: 'Cap reduction',
    shareOwed: 'Share owed',
    feesCharged: 'Fees charged',
    feesNet: 'Fees (net of VAT)',
    vatOnFees: 'VAT on fees',
    advanceRecouped: 'Advance recouped',
    carryIn: 'Carried in',
    withholdingTax: 'Withholding tax',
    carryOut: 'Carried forward',
    writtenOff: 'Written off',
    payable: 'Payable to the partner',
    platformRetained: 'Retained by the platform',
  },
};

const KO: StatementLabels = {
  title: '정산 명세서',
  developmentMark: 'DEVELOPMENT CERTIFICATE — NOT FOR PRODUCTION (개발용 인증서 — 운영 사용 금지)',
  unsignedMark: 'UNSIGNED DRAFT (서명되지 않은 초안)',
  parties: '당사자',
  issuer: '발행자',
  issuerUnsigned: '(서명 없음)',
  partner: '파트너',
  jurisdiction: '관할',
  period: '정산 기간',
  revision: '개정 번호',
  paymentDate: '지급일',
  none: '—',
  agreement: '계약',
  agreementValue: (id, version, from, to) => `${id}, 버전 ${version} (유효 기간 ${from} ~ ${to ?? '종료일 없음'})`,
  currency: '정산 통화',
  transactions: '거래 건수',
  termsInForce: '적용 계약 조건',
  lines: '명세 항목',
  product: '상품',
  noProduct: '(상품 없음)',
  lineCurrency: '통화',
  count: '건수',
  baseExact: '기준액 (정확값)',
  base: '기준액',
  explanation: '설명',
  lateCount: (count) => `이번 기간에 늦게 반영된 거래 ${count}건`,
  roundingExact: '반올림 없음',
  fxRates: '적용 환율',
  fxNone: '환전 없음: 모든 항목이 정산 통화입니다.',
  rate: '환율',
  rateDate: '기준일',
  quoteDates: '고시일',
  source: '출처',
  converted: '환산 기준액',
  groups: '그룹별 배분',
  group: '그룹',
  defaultGroup: '전체 상품',
  platformFee: '플랫폼 수수료',
  splitBase: '배분 기준액',
  rule: '규칙',
  share: '배분액',
  band: '구간',
  measure: '측정값',
  adjustments: '수수료, 세금, 보장액 및 이월',
  adjustmentsNone: '이번 기간에는 없습니다.',
  amount: '금액',
  totals: '합계',
  conservation: '검산: 총 기준액 + 이월 수령액 = 지급액 + 이월액 + 플랫폼 보유분 + 수수료 + 세금',
  balances: '기간 간 이월 잔액',
  balance: '잔액',
  before: '기간 시작',
  after: '기간 종료',
  carryForward: '이월 잔액',
  advanceBalance: '회수할 선급금',
  mgRecoupableBalance: '회수 가능한 최소 보장 보전액',
  statementHash: '명세서 SHA-256',
  hashNote: '이 명세서의 정규화 JSON에 대한 SHA-256 값이며, JSON 파일과 JWS 서명에도 같은 값이 들어 있습니다.',
  page: (index, count) => `${count}쪽 중 ${index}쪽`,
  kinds: { sale: '판매', refund: '환불', chargeback: '지불 거절', fee: '수수료', payout: '지급', promotion: '프로모션', adjustment: '조정', tax: '세금', transfer: '이체' },
  adjustmentCodes: {
    mg_top_up: '최소 보장액 보전',
    mg_recouped: '보장 보전액 회수',
    cap: '배분 상한',
    platform_fee: '플랫폼 수수료',
    transaction_fee: '거래 수수료',
    periodic_fee: '정기 수수료',
    vat_on_fees: '수수료 부가가치세',
    advance_recouped: '선급금 회수',
    carry_in: '이월 수령액',
    withholding: '원천징수세',
    carry_out: '다음 기간으로 이월',
    written_off: '상각',
  },
  totalsFields: {
    grossBase: '총 매출 기준액',
    shareEarned: '발생 배분액',
    platformSplit: '플랫폼 배분액',
    platformFeeInSplit: '배분에 포함된 플랫폼 수수료',
    mgTopUp: '최소 보장액 보전',
    mgRecouped: '보장 보전액 회수',
    capReduction: '상한 적용 차감',
    shareOwed: '지급 대상 배분액',
    feesCharged: '부과 수수료',
    feesNet: '수수료 (부가세 제외)',
    vatOnFees: '수수료 부가가치세',
    advanceRecouped: '선급금 회수',
    carryIn: '이월 수령액',
    withholdingTax: '원천징수세',
    carryOut: '다음 기간으로 이월',
    writtenOff: '상각',
    payable: '파트너 지급액',
    platformRetained: '플랫폼 보유분',
  },
};

export const STATEMENT_LABELS: Readonly<Record<StatementLocale, StatementLabels>> = { en: EN, ko: KO };

export function isStatementLocale(value: string): value is StatementLocale {
  return (STATEMENT_LOCALES as readonly string[]).includes(value);
}
