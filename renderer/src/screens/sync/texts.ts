import { registerScreenTexts, type Widen } from '../../../i18n/texts.ts';

/** The Sync screen's list of documents the server refused, in its own namespace (the shell's sync texts stay in en.ts / ko.ts). */
export const SYNC_REFUSED_NS = 'sync-refused';

export const syncRefusedEn = {
  title: 'Refused by the server',
  none: 'Nothing refused: the server took every change this desk sent.',
  hint: 'The server will not take these changes as they are, so they are not sent again. Edit the document where it was made (it is then sent again), or discard this desk’s version.',
  columns: { document: 'Document', reason: 'Reason', at: 'Refused at', action: 'Action' },
  reason: '{{code}}: {{message}}',
  discard: 'Discard',
  chainKept: 'Kept: a link of this desk’s audit chain',
  discardLabel: 'Discard this desk’s version of {{collection}} {{id}}',
  discardedServer: 'Discarded: {{collection}} {{id}} is the server’s version again.',
  discardedLocal: 'Discarded: {{collection}} {{id}} is removed from this desk (the server never had it).',
  failed: 'Not discarded: {{message}}',
} as const;

export const syncRefusedKo: Widen<typeof syncRefusedEn> = {
  title: '서버가 거부한 변경',
  none: '거부된 변경이 없습니다. 서버가 이 데스크의 모든 변경을 받았습니다.',
  hint: '서버가 이 변경을 그대로는 받지 않으므로 다시 보내지 않습니다. 문서를 만든 화면에서 수정하면 다시 보내지고, 아니면 이 데스크의 버전을 버리세요.',
  columns: { document: '문서', reason: '사유', at: '거부 시각', action: '작업' },
  reason: '{{code}}: {{message}}',
  discard: '버리기',
  chainKept: '유지: 이 데스크 감사 체인의 일부',
  discardLabel: '{{collection}} {{id}}의 이 데스크 버전 버리기',
  discardedServer: '버렸습니다: {{collection}} {{id}}는 다시 서버의 버전입니다.',
  discardedLocal: '버렸습니다: {{collection}} {{id}}를 이 데스크에서 삭제했습니다 (서버에는 없던 문서).',
  failed: '버리지 못했습니다: {{message}}',
};

export function registerSyncRefusedTexts(): void {
  registerScreenTexts(SYNC_REFUSED_NS, { en: syncRefusedEn, ko: syncRefusedKo });
}
