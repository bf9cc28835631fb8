import { registerScreenTexts } from '../../../i18n/texts.ts';

/** The desk's password change in Settings, in its own namespace (the shell's settings texts stay in en.ts / ko.ts). */
export const PASSWORD_NS = 'settings-password';

const en = {
  open: 'Change password',
  heading: 'Change password',
  requiredHeading: 'Set your own password',
  required: 'The password you signed in with was set by an admin for one sign-in: the server takes nothing else from this desk (no sync) until you choose your own.',
  current: 'Current password',
  rule: 'A new password has at least {{min}} characters and differs from the current one.',
  next: 'New password',
  repeat: 'New password again',
  submit: 'Save password',
  busy: 'Saving the password…',
  cancel: 'Cancel',
  tooShort: 'A password has at least {{min}} characters.',
  mismatch: 'The two new passwords differ.',
  same: 'The new password must differ from the current one.',
  wrong: 'The current password is wrong.',
  rateLimited: 'Too many wrong current passwords: try again later.',
  failed: 'Password not changed: {{message}}',
  changed: 'Password changed. Your other sessions are signed out.',
};

const ko: typeof en = {
  open: '비밀번호 변경',
  heading: '비밀번호 변경',
  requiredHeading: '내 비밀번호 설정',
  required: '방금 로그인한 비밀번호는 관리자가 한 번만 쓰도록 정한 비밀번호입니다. 새 비밀번호를 정하기 전에는 서버가 이 데스크의 다른 요청(동기화 포함)을 받지 않습니다.',
  current: '현재 비밀번호',
  rule: '새 비밀번호는 {{min}}자 이상이고 현재 비밀번호와 달라야 합니다.',
  next: '새 비밀번호',
  repeat: '새 비밀번호 확인',
  submit: '비밀번호 저장',
  busy: '비밀번호 저장 중…',
  cancel: '취소',
  tooShort: '비밀번호는 {{min}}자 이상이어야 합니다.',
  mismatch: '두 새 비밀번호가 다릅니다.',
  same: '새 비밀번호는 현재 비밀번호와 달라야 합니다.',
  wrong: '현재 비밀번호가 틀렸습니다.',
  rateLimited: '현재 비밀번호가 여러 번 틀렸습니다. 잠시 후 다시 시도하세요.',
  failed: '비밀번호를 바꾸지 못했습니다: {{message}}',
  changed: '비밀번호를 바꿨습니다. 다른 세션은 모두 로그아웃되었습니다.',
};

export function registerPasswordTexts(): void {
  registerScreenTexts(PASSWORD_NS, { en, ko });
}
