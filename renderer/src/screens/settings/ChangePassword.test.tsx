// eslint-disable-next-line no-restricted-imports -- React's static renderer (react-dom/server), not our server/ layer.
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { i18next, startI18n } from '../../../i18n/index.ts';
import { ChangePassword } from './ChangePassword.tsx';
import { passwordFormProblem } from './password-form.ts';

/** Settings' password change as the desk renders it (tests/server-session.test.ts drives the session against the server). */
const labelled = (html: string, label: string) => new RegExp(`<label for="([^"]+)">${label}</label><input id="\\1"[^>]*type="password"`).test(html);

describe('change password in Settings', () => {
  beforeAll(async () => {
    await startI18n('en');
  });

  it('is open with the reason when the server requires a new password, every field labelled, in English and Korean', async () => {
    const en = renderToStaticMarkup(<ChangePassword serverUrl="http://server.example" required />);
    expect(en).toContain('<h3');
    expect(en).toContain('Set your own password');
    expect(en).toMatch(/<p role="alert">The password you signed in with was set by an admin for one sign-in/);
    expect(en).toContain('A new password has at least 12 characters and differs from the current one.');
    for (const label of ['Current password', 'New password', 'New password again']) expect(labelled(en, label), label).toBe(true);
    // react-dom/server writes the prop's name as given.
    expect(en).toContain('autoComplete="current-password"');
    expect(en.match(/autoComplete="new-password"/g)).toHaveLength(2);
    expect(en).toContain('>Save password</button>');
    // Required: no way to put it off here.
    expect(en).not.toContain('Cancel');
    expect(en).not.toContain('tabindex="-1"');
    await i18next.changeLanguage('ko');
    const ko = renderToStaticMarkup(<ChangePassword serverUrl="http://server.example" required />);
    expect(ko).toContain('내 비밀번호 설정');
    expect(ko).toContain('새 비밀번호는 12자 이상이고 현재 비밀번호와 달라야 합니다.');
    for (const label of ['현재 비밀번호', '새 비밀번호', '새 비밀번호 확인']) expect(labelled(ko, label), label).toBe(true);
    expect(ko).toContain('>비밀번호 저장</button>');
    await i18next.changeLanguage('en');
  });

  it('otherwise waits behind a button', () => {
    const html = renderToStaticMarkup(<ChangePassword serverUrl="http://server.example" required={false} />);
    expect(html).toContain('<button type="button" aria-expanded="false" data-testid="change-password-open">Change password</button>');
    expect(html).not.toContain('<input');
  });

  it('refuses before asking the server: under 12 characters, two new ones that differ, the current one again', () => {
    // 'short-pass1' is 11 characters, 'long-enough-1' 13.
    expect(passwordFormProblem({ current: 'old-password-1', next: 'short-pass1', repeated: 'short-pass1' })).toBe('tooShort');
    expect(passwordFormProblem({ current: 'old-password-1', next: 'long-enough-1', repeated: 'long-enough-2' })).toBe('mismatch');
    expect(passwordFormProblem({ current: 'long-enough-1', next: 'long-enough-1', repeated: 'long-enough-1' })).toBe('same');
    expect(passwordFormProblem({ current: 'old-password-1', next: 'long-enough-1', repeated: 'long-enough-1' })).toBeNull();
  });
});
