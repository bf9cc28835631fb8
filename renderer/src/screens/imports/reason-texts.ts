import { registerScreenTexts, type Widen } from '../../../i18n/texts.ts';

/**
 * A rejected row's reason said from the importer's code and values (Rejection.says / params,
 * core/importers): the English is the importer's own reason, written again from the same values.
 */
export const REJECTION_REASONS_NS = 'rejection-reasons';

export const rejectionReasonsEn = {
  reason: {
    /** parseAmount's words are said by its code ({{problem}}, below): the same words for the first three. */
    amount_unreadable: '{{columnName}}: amount "{{value}}": {{problem}}',
    amount_empty: '{{columnName}}: empty, expected an amount',
    amount_minor_units: '{{columnName}}: {{amount}} has more decimals than {{currency}} allows ({{digits}})',
    currency_missing: '{{columnName}}: empty, expected an ISO 4217 currency code',
    currency_unknown: '{{columnName}}: "{{value}}" is not an ISO 4217 currency code with minor units',
    field_too_long: '{{columnName}}: {{length}} characters, at most {{max}}',
    field_empty: '{{columnName}}: empty',
    date_missing: '{{columnName}}: empty, expected a date ({{format}})',
    date_invalid_time_none: '{{columnName}}: "{{value}}" is not a valid date in the format {{format}}',
    date_invalid_time_required: '{{columnName}}: "{{value}}" is not a valid date in the format {{format}} with a time',
    date_invalid_time_optional: '{{columnName}}: "{{value}}" is not a valid date in the format {{format}} with an optional time',
    date_in_zone_invalid: '{{columnName}}: "{{value}}" is not "{{format}}" in a known zone',
    debit_and_credit: 'both {{debit}} and {{credit}} hold an amount',
    both_empty: '{{first}} and {{second}} are both empty',
    signed_with_direction: '{{columnName}}: {{amount}} is signed although {{direction}} gives the direction',
    direction_unknown: '{{columnName}}: "{{value}}" is neither in ({{in}}) nor out ({{out}})',
    kind_not_mapped: '{{columnName}}: "{{value}}" is not in the profile\'s kind map',
    reference_missing: '{{columnName}}: empty, but the profile identifies rows by this reference',
    row_before_header: 'reads as a data row ({{date}}, {{amount}} {{currency}}) but stands above the header on line {{headerLine}}; move it below the header or delete it',
    quote_invalid: 'malformed quoting: Trailing quote on quoted field is malformed',
    adyen_type_unknown: '{{columnName}}: "{{value}}" is not a booked settlement type this importer knows',
    paypal_type_unknown: '{{columnName}}: "{{value}}" is not a PayPal transaction type this importer knows',
    balance_impact_memo: 'Balance Impact is Memo: the row records no movement of the balance (authorization, pending or denied payment)',
    status_unbooked: 'Status is {{status}}: the row records no movement of the balance (authorization, pending or denied payment)',
    gross_against_impact: 'Gross {{gross}} contradicts Balance Impact {{impact}}',
    not_calendar_day: '{{columnName}}: {{value}} is not a calendar day',
    outside_report_period: '{{columnName}}: {{date}} is outside the report period {{start}}..{{end}}',
    net_above_gross: '{{net}}: {{netAmount}} is more than {{gross}} {{grossAmount}}; refunds can only lower a sale line\'s net',
    refunds_not_sale: '{{net}}: {{netAmount}} differs from {{gross}} {{grossAmount}}, but only a sale line nets refunds out (this line is a {{kind}})',
    report_period_invalid: 'period_start/period_end: "{{start}}..{{end}}" are not YYYY-MM-DD dates',
    instant_invalid: '{{columnName}}: "{{value}}" is not an ISO 8601 instant with an offset, such as 2026-04-02T09:30:00Z',
  },
  /** Why parseAmount (core/money/parse.ts) could not read an amount, by its code. */
  problem: {
    amount_too_long: 'longer than 64 characters',
    amount_exponent: 'exponent notation is not accepted in amounts',
    amount_sign_ambiguous: 'more than one sign (minus, trailing minus or parentheses)',
    amount_grouping: 'digit grouping does not match the column\'s format',
    amount_not_decimal: 'not a number in the column\'s format',
    amount_empty: 'empty, expected a number',
  },
  /** A partner report line's kind, as core names it. */
  kinds: { sale: 'sale', refund: 'refund', chargeback: 'chargeback', fee: 'fee', payout: 'payout', promotion: 'promotion', adjustment: 'adjustment', tax: 'tax', transfer: 'transfer' },
} as const;

export const rejectionReasonsKo: Widen<typeof rejectionReasonsEn> = {
  reason: {
    amount_unreadable: '{{columnName}}: 금액 "{{value}}": {{problem}}',
    amount_empty: '{{columnName}}: 비어 있음, 금액이 필요함',
    amount_minor_units: '{{columnName}}: {{amount}}의 소수 자릿수가 {{currency}}에서 허용하는 {{digits}}자리보다 많음',
    currency_missing: '{{columnName}}: 비어 있음, ISO 4217 통화 코드가 필요함',
    currency_unknown: '{{columnName}}: "{{value}}"은(는) 보조 단위가 있는 ISO 4217 통화 코드가 아님',
    field_too_long: '{{columnName}}: {{length}}자, 최대 {{max}}자',
    field_empty: '{{columnName}}: 비어 있음',
    date_missing: '{{columnName}}: 비어 있음, 날짜가 필요함 ({{format}})',
    date_invalid_time_none: '{{columnName}}: "{{value}}"은(는) {{format}} 형식의 올바른 날짜가 아님',
    date_invalid_time_required: '{{columnName}}: "{{value}}"은(는) {{format}} 형식의 시간이 있는 올바른 날짜가 아님',
    date_invalid_time_optional: '{{columnName}}: "{{value}}"은(는) {{format}} 형식(시간은 선택)의 올바른 날짜가 아님',
    date_in_zone_invalid: '{{columnName}}: "{{value}}"은(는) 알려진 시간대의 "{{format}}" 형식이 아님',
    debit_and_credit: '{{debit}}와(과) {{credit}}에 모두 금액이 있음',
    both_empty: '{{first}}와(과) {{second}}이(가) 모두 비어 있음',
    signed_with_direction: '{{columnName}}: {{direction}}이(가) 방향을 나타내는데 {{amount}}에 부호가 있음',
    direction_unknown: '{{columnName}}: "{{value}}"은(는) 입금({{in}})도 출금({{out}})도 아님',
    kind_not_mapped: '{{columnName}}: "{{value}}"이(가) 프로필의 종류 매핑에 없음',
    reference_missing: '{{columnName}}: 비어 있음, 프로필은 이 참조로 행을 식별함',
    row_before_header: '데이터 행({{date}}, {{amount}} {{currency}})으로 읽히지만 {{headerLine}}행의 헤더보다 위에 있음. 헤더 아래로 옮기거나 삭제하세요',
    quote_invalid: '따옴표 오류: 따옴표로 묶은 필드의 닫는 따옴표 뒤에 다른 문자가 있음',
    adyen_type_unknown: '{{columnName}}: "{{value}}"은(는) 이 가져오기 도구가 아는 정산 기장 유형이 아님',
    paypal_type_unknown: '{{columnName}}: "{{value}}"은(는) 이 가져오기 도구가 아는 PayPal 거래 유형이 아님',
    balance_impact_memo: 'Balance Impact가 Memo임: 잔액 변동을 기록하지 않는 행 (승인, 보류 또는 거절된 결제)',
    status_unbooked: 'Status가 {{status}}임: 잔액 변동을 기록하지 않는 행 (승인, 보류 또는 거절된 결제)',
    gross_against_impact: 'Gross {{gross}}이(가) Balance Impact {{impact}}와(과) 맞지 않음',
    not_calendar_day: '{{columnName}}: {{value}}은(는) 달력에 있는 날짜가 아님',
    outside_report_period: '{{columnName}}: {{date}}이(가) 보고 기간 {{start}}..{{end}} 밖에 있음',
    net_above_gross: '{{net}}: {{netAmount}}이(가) {{gross}} {{grossAmount}}보다 큼. 환불은 판매 행의 순액을 낮출 수만 있음',
    refunds_not_sale: '{{net}}: {{netAmount}}이(가) {{gross}} {{grossAmount}}와(과) 다르지만 판매 행만 환불을 순액에서 뺌 (이 행은 {{kind}})',
    report_period_invalid: 'period_start/period_end: "{{start}}..{{end}}"은(는) YYYY-MM-DD 날짜가 아님',
    instant_invalid: '{{columnName}}: "{{value}}"은(는) 2026-04-02T09:30:00Z처럼 오프셋이 있는 ISO 8601 시각이 아님',
  },
  problem: {
    amount_too_long: '64자보다 김',
    amount_exponent: '금액에는 지수 표기를 쓸 수 없음',
    amount_sign_ambiguous: '부호가 둘 이상임 (마이너스, 뒤쪽 마이너스 또는 괄호)',
    amount_grouping: '자릿수 구분이 열의 형식과 맞지 않음',
    amount_not_decimal: '열의 형식으로 읽을 수 있는 숫자가 아님',
    amount_empty: '비어 있음, 숫자가 필요함',
  },
  kinds: { sale: '판매', refund: '환불', chargeback: '지불 거절', fee: '수수료', payout: '지급', promotion: '프로모션', adjustment: '조정', tax: '세금', transfer: '이체' },
};

export function registerRejectionReasonTexts(): void {
  registerScreenTexts(REJECTION_REASONS_NS, { en: rejectionReasonsEn, ko: rejectionReasonsKo });
}
