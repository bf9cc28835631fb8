import { registerScreenTexts, type Widen } from '../../../i18n/texts.ts';

/**
 * Settlement strings added with the engine-worker run and server refusals, in their own
 * namespace (the review screens' shared texts stay as they are).
 */
export const SETTLEMENT_NS = 'settlement-run';

const en = {
  progress: 'Settling: {{done}} of {{total}} batches, {{rows}} transactions',
  refused: 'Refused by the server',
  refusedWhy: 'Refused by the server ({{code}}): {{message}}',
  noBatches: 'No imported transactions on this desk yet: import statements first.',
  drillLoading: 'Transactions behind {{product}}: loading…',
  /** What the engine said about a partner it could not settle, from its facts (block-reason.ts unsettledWhy). */
  unsettledDetail: {
    agreement_missing: 'partner {{partner}}, {{start}} – {{end}}',
    agreement_changes_mid_period: 'partner {{partner}}: the agreement version changes inside {{start}} – {{end}}; versions must change on period boundaries',
    fx_payment_date_missing: 'partner {{partner}}: FX at the payment date needs the run’s payment date',
    fx_rate_missing: 'partner {{partner}}: {{count}} transactions have no rate',
    blocked_by_earlier_period: 'partner {{partner}}: depends on the balances of {{start}} – {{end}}, which is blocked ({{code}}); settle that period again first',
    transaction_amount_precision: 'transaction {{id}}: the amount has more decimals than its currency allows',
    fx_original_sale_missing: 'chargeback {{id}}: no sale with its end-to-end id to take the rate from',
    period_spans_contract_year: 'partner {{partner}}: {{start}} – {{end}} crosses a contract year start ({{contractYearStart}}) or mixes contract years',
    state_currency_mismatch: 'partner {{partner}}: balances carried in {{carried}} but the agreement settles in {{settlement}}',
  },
  fx: {
    title: 'FX rates',
    none: 'No FX rates on this desk: a line in another currency than the agreement’s cannot be settled until they are imported.',
    summary: '{{source}}: {{dates}} dates ({{first}} – {{last}}), per 1 {{base}}: {{currencies}}',
    import: 'Import FX rates…',
    files: 'Rate files (ECB CSV or date,base,quote,rate)',
    imported: 'FX rates imported from {{files}} file(s): {{refused}} row(s) refused, {{replaced}} rate(s) replaced.',
    refusedRow: '{{file}} line {{line}}: {{reason}}',
    failed: 'FX rates not imported: {{message}}',
    missing: 'Not settled for missing FX rates (never guessed): {{pairs}}. Import a rate file that quotes them, then run again.',
  },
} as const;

const ko: Widen<typeof en> = {
  progress: '정산 중: 배치 {{total}}개 중 {{done}}개, 거래 {{rows}}건',
  refused: '서버가 거부함',
  refusedWhy: '서버가 거부함 ({{code}}): {{message}}',
  noBatches: '이 데스크에 가져온 거래가 아직 없습니다. 먼저 명세서를 가져오세요.',
  drillLoading: '{{product}}의 거래: 불러오는 중…',
  unsettledDetail: {
    agreement_missing: '파트너 {{partner}}, 기간 {{start}} ~ {{end}}',
    agreement_changes_mid_period: '파트너 {{partner}}: {{start}} ~ {{end}} 기간 중에 계약 버전이 바뀜. 계약 버전은 기간 경계에서만 바뀌어야 합니다',
    fx_payment_date_missing: '파트너 {{partner}}: 지급일 환율을 쓰려면 실행에 지급일이 있어야 합니다',
    fx_rate_missing: '파트너 {{partner}}: 거래 {{count}}건에 환율 없음',
    blocked_by_earlier_period: '파트너 {{partner}}: {{start}} ~ {{end}} 기간의 잔액에 따라 달라지는데 그 기간이 보류됨 ({{code}}). 그 기간을 먼저 다시 정산하세요',
    transaction_amount_precision: '거래 {{id}}: 금액의 소수 자릿수가 통화에서 허용하는 것보다 많음',
    fx_original_sale_missing: '지불 거절 {{id}}: 환율을 가져올 같은 end-to-end id의 판매가 없음',
    period_spans_contract_year: '파트너 {{partner}}: {{start}} ~ {{end}} 기간이 계약 연도 시작일({{contractYearStart}})을 넘거나 여러 계약 연도에 걸침',
    state_currency_mismatch: '파트너 {{partner}}: 이월 잔액은 {{carried}}인데 계약의 정산 통화는 {{settlement}}임',
  },
  fx: {
    title: '환율',
    none: '이 데스크에 환율이 없습니다. 계약 통화와 다른 통화의 행은 환율을 가져오기 전까지 정산할 수 없습니다.',
    summary: '{{source}}: {{dates}}일 ({{first}} – {{last}}), 1 {{base}}당: {{currencies}}',
    import: '환율 가져오기…',
    files: '환율 파일 (ECB CSV 또는 date,base,quote,rate)',
    imported: '환율 파일 {{files}}개를 가져왔습니다: 거부된 행 {{refused}}개, 바뀐 환율 {{replaced}}개.',
    refusedRow: '{{file}} {{line}}행: {{reason}}',
    failed: '환율을 가져오지 못했습니다: {{message}}',
    missing: '환율이 없어 정산하지 않았습니다 (추정하지 않음): {{pairs}}. 이 환율이 있는 파일을 가져온 뒤 다시 실행하세요.',
  },
};

export function registerSettlementTexts(): void {
  registerScreenTexts(SETTLEMENT_NS, { en, ko });
}
