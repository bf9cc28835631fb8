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

let registered = false;

export function registerSettlementTexts(): void {
  if (registered) return;
  registerScreenTexts(SETTLEMENT_NS, { en, ko });
  registered = true;
}
