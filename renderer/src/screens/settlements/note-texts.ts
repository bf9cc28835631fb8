import { registerScreenTexts, type Widen } from '../../../i18n/texts.ts';

/**
 * A statement's adjustment explanations in the analyst's language, by the note's code
 * (core/statement/korean-notes.ts noteParts). The English repeats the engine's own wording;
 * the Korean is the printed statement's. Amounts arrive formatted; rates, counts and
 * jurisdictions as the engine wrote them.
 */
export const ADJUSTMENT_NOTES_NS = 'adjustment-notes';

export const adjustmentNotesEn = {
  notes: {
    platform_fee: 'platform fee {{rate}} % on {{basis}}, separate from the split{{vat}}',
    transaction_fee: '{{count}} transactions ({{kinds}}) x {{fee}}{{vat}}',
    periodic_fee: 'fixed fee per period{{vat}}',
    periodic_fee_empty: 'fixed fee per period, charged in an empty period{{vat}}',
    vat_added: 'VAT {{rate}} % ({{where}}) added on fees {{fees}}',
    vat_included: 'VAT {{rate}} % ({{where}}) included in fees {{fees}}: {{formula}}',
    advance_recouped: 'advance recouped from {{from}}, at most {{rate}} % of {{basis}}, {{open}} outstanding',
    carry_in: 'balance carried in from the previous period',
    withholding_no_cash: 'withholding {{rate}} % on cash paid: no cash paid this period',
    withholding_after: 'withholding {{rate}} % ({{where}}) on {{basis}} after carry-forward and recoupment: basis {{amount}}',
    withholding_before: 'withholding {{rate}} % ({{where}}) on {{basis}} before carry-forward and recoupment: basis {{amount}}',
    negative_carried: 'negative balance {{amount}} carried forward',
    negative_written_off: 'negative balance {{amount}} written off',
    under_minimum: '{{amount}} is under the minimum payout {{minimum}}: rolled into the next period',
    'cap_before-mg': 'cap {{cap}} applied before the minimum guarantee: share reduced by {{cut}}',
    'cap_after-mg': 'cap {{cap}} applied after the minimum guarantee: share reduced by {{cut}}',
    mg_not_applied: 'minimum guarantee {{amount}} not applied: empty period',
    mg_top_up_recoupable: 'minimum guarantee {{amount}}: top-up {{topUp}} (recoupable)',
    mg_top_up_not_recoupable: 'minimum guarantee {{amount}}: top-up {{topUp}} (not recoupable)',
    mg_recouped: 'recouped {{recouped}} of earlier guarantee top-ups ({{open}} outstanding) from the share above {{above}}',
  },
  vatIncluded: ' (VAT {{rate}} % included)',
  /** The agreement's bases (terms' codes), as the printed statement names them. */
  basis: { gross: 'gross', net: 'net', 'gross-share': 'gross share', 'cash-paid': 'cash paid', share: 'share', 'net-payable': 'net payable' },
  /** A statement line's tier rule by its code (core ruleParts), as the printed statement says it. */
  rules: {
    flat: 'flat {{rate}} %',
    zero_base: 'zero base',
    negative_zero: 'negative base: zero share',
    negative_first: 'negative base: first tier rate {{rate}} %',
    count_first: 'count {{count}} with a positive base: first tier rate {{rate}} %',
    marginal: 'marginal on {{where}}: each band at its own rate',
    retroactive_higher: 'retroactive on {{where}}: reached {{reached}}, boundary to the higher tier, whole base at {{rate}} %',
    retroactive_lower: 'retroactive on {{where}}: reached {{reached}}, boundary to the lower tier, whole base at {{rate}} %',
  },
  /** What a tiered share counts, and over a contract year what it had reached before the period (a rule's {{where}}). */
  measure: { revenue: 'revenue', count: 'count' },
  contractYear: '{{measure}}, contract year to date {{before}} before this period',
  /** A statement line's transactions of one kind (the engine's words), and a fee note's kinds. */
  kinds: { sale: 'sale', refund: 'refund', chargeback: 'chargeback', fee: 'fee', payout: 'payout', promotion: 'promotion', adjustment: 'adjustment', tax: 'tax', transfer: 'transfer' },
  kindCount: '{{count}} {{kind}}',
} as const;

export const adjustmentNotesKo: Widen<typeof adjustmentNotesEn> = {
  notes: {
    platform_fee: '플랫폼 수수료 {{rate}} % ({{basis}} 기준), 배분 후 별도 차감{{vat}}',
    transaction_fee: '거래 {{count}}건 ({{kinds}}) × {{fee}}{{vat}}',
    periodic_fee: '기간당 고정 수수료{{vat}}',
    periodic_fee_empty: '기간당 고정 수수료, 거래 없는 기간에도 부과{{vat}}',
    vat_added: '부가가치세 {{rate}} % ({{where}}), 수수료 {{fees}}에 가산',
    vat_included: '부가가치세 {{rate}} % ({{where}}), 수수료 {{fees}}에 포함: {{formula}}',
    advance_recouped: '선급금 회수 ({{from}}에서), 최대 {{basis}}의 {{rate}} %, 미회수 잔액 {{open}}',
    carry_in: '이전 기간에서 이월된 잔액',
    withholding_no_cash: '원천징수 {{rate}} %: 이번 기간 실지급 없음',
    withholding_after: '원천징수 {{rate}} % ({{where}}), {{basis}} 기준, 이월 및 회수 후: 과세 기준액 {{amount}}',
    withholding_before: '원천징수 {{rate}} % ({{where}}), {{basis}} 기준, 이월 및 회수 전: 과세 기준액 {{amount}}',
    negative_carried: '음수 잔액 {{amount}}, 다음 기간으로 이월',
    negative_written_off: '음수 잔액 {{amount}} 상각',
    under_minimum: '{{amount}}은(는) 최소 지급액 {{minimum}} 미만: 다음 기간으로 이월',
    'cap_before-mg': '상한 {{cap}} 적용 (최소 보장 전): 배분액 {{cut}} 감액',
    'cap_after-mg': '상한 {{cap}} 적용 (최소 보장 후): 배분액 {{cut}} 감액',
    mg_not_applied: '최소 보장액 {{amount}}: 거래 없는 기간이므로 미적용',
    mg_top_up_recoupable: '최소 보장액 {{amount}}: 보전액 {{topUp}} (회수 가능)',
    mg_top_up_not_recoupable: '최소 보장액 {{amount}}: 보전액 {{topUp}} (회수 불가)',
    mg_recouped: '이전 보장 보전액 중 {{recouped}} 회수 (미회수 {{open}}), {{above}} 초과 배분액에서',
  },
  vatIncluded: ' (부가가치세 {{rate}} % 포함)',
  basis: { gross: '총액', net: '순액', 'gross-share': '총 배분액', 'cash-paid': '실지급액', share: '배분액', 'net-payable': '순지급액' },
  rules: {
    flat: '단일 요율 {{rate}} %',
    zero_base: '기준액 0',
    negative_zero: '음수 기준액: 배분 없음',
    negative_first: '음수 기준액: 첫 구간 요율 {{rate}} %',
    count_first: '건수 {{count}}, 양수 기준액: 첫 구간 요율 {{rate}} %',
    marginal: '구간별 한계 요율 ({{where}})',
    retroactive_higher: '소급 요율 ({{where}}): {{reached}} 도달, 경계값은 상위 구간, 전체 기준액에 {{rate}} %',
    retroactive_lower: '소급 요율 ({{where}}): {{reached}} 도달, 경계값은 하위 구간, 전체 기준액에 {{rate}} %',
  },
  measure: { revenue: '매출', count: '건수' },
  contractYear: '{{measure}}, 이번 기간 전 계약 연도 누계 {{before}}',
  kinds: { sale: '판매', refund: '환불', chargeback: '지불 거절', fee: '수수료', payout: '지급', promotion: '프로모션', adjustment: '조정', tax: '세금', transfer: '이체' },
  kindCount: '{{kind}} {{count}}건',
};

export function registerAdjustmentNoteTexts(): void {
  registerScreenTexts(ADJUSTMENT_NOTES_NS, { en: adjustmentNotesEn, ko: adjustmentNotesKo });
}
