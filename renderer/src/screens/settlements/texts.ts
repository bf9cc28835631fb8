import { registerScreenTexts } from '../../../i18n/texts.ts';

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
} as const;

const ko: Record<keyof typeof en, string> = {
  progress: '정산 중: 배치 {{total}}개 중 {{done}}개, 거래 {{rows}}건',
  refused: '서버가 거부함',
  refusedWhy: '서버가 거부함 ({{code}}): {{message}}',
  noBatches: '이 데스크에 가져온 거래가 아직 없습니다. 먼저 명세서를 가져오세요.',
};

let registered = false;

export function registerSettlementTexts(): void {
  if (registered) return;
  registerScreenTexts(SETTLEMENT_NS, { en, ko });
  registered = true;
}
