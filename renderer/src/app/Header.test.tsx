// eslint-disable-next-line no-restricted-imports -- React's static renderer (react-dom/server), not our server/ layer.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { i18next, startI18n } from '../../i18n/index.ts';
import { ConnectionStatus } from './Header.tsx';

describe('the header\'s sync state', () => {
  beforeAll(async () => {
    await startI18n('en');
  });
  afterAll(async () => {
    await i18next.changeLanguage('en');
  });

  it('says a one-time password session needs a new password, as a link to Settings, not that the desk is offline', async () => {
    const en = renderToStaticMarkup(<ConnectionStatus connection="passwordChange" pendingChanges={2} />);
    expect(en).toContain('<a href="#/settings" data-testid="connection">Password change required</a>');
    expect(en).toContain('<span data-testid="pending">2 changes to push</span>');
    expect(en).not.toContain('Offline');
    await i18next.changeLanguage('ko');
    const ko = renderToStaticMarkup(<ConnectionStatus connection="passwordChange" pendingChanges={2} />);
    expect(ko).toContain('<a href="#/settings" data-testid="connection">비밀번호 변경 필요</a>');
    expect(ko).toContain('<span data-testid="pending">보낼 변경 2건</span>');
    await i18next.changeLanguage('en');
  });

  it('says online, offline and local only as words, a local workspace with nothing to push', () => {
    expect(renderToStaticMarkup(<ConnectionStatus connection="offline" pendingChanges={null} />)).toContain('<span data-testid="connection">Offline</span><span class="separator" aria-hidden="true">·</span><span data-testid="pending">Pending changes: not tracked yet</span>');
    expect(renderToStaticMarkup(<ConnectionStatus connection="online" pendingChanges={0} />)).toContain('<span data-testid="connection">Online</span>');
    const local = renderToStaticMarkup(<ConnectionStatus connection="localOnly" pendingChanges={null} />);
    expect(local).toContain('<span data-testid="connection">Local only</span>');
    expect(local).not.toContain('pending');
  });
});
