import { useTranslation } from 'react-i18next';
import { usePasswordChangeRequired } from '../screens/settings/ServerSettings.tsx';
import { useDesk } from './desk-context.tsx';
import { LanguageSelect } from './LanguageSelect.tsx';
import { hrefOf } from './router.ts';

/** 'passwordChange': signed in with a one-time password, so the server refuses sync until the user sets their own. */
export type Connection = 'localOnly' | 'online' | 'offline' | 'passwordChange';

/** The header's sync state: the connection (a link to Settings where the user must act) and, with a server, the changes to push. */
export function ConnectionStatus({ connection, pendingChanges }: { readonly connection: Connection; readonly pendingChanges: number | null }) {
  const { t } = useTranslation();
  return (
    <div className="header-status" role="status" aria-live="polite">
      <span className={`dot dot-${connection}`} aria-hidden="true" />
      {connection === 'passwordChange' ? (
        <a href={hrefOf('settings')} data-testid="connection">
          {t('header.passwordChange')}
        </a>
      ) : (
        <span data-testid="connection">{t(`header.${connection}`)}</span>
      )}
      {connection !== 'localOnly' && (
        <>
          <span className="separator" aria-hidden="true">
            ·
          </span>
          <span data-testid="pending">{pendingChanges === null ? t('header.pendingUnknown') : t('header.pending', { count: pendingChanges })}</span>
        </>
      )}
    </div>
  );
}

export function Header() {
  const { t } = useTranslation();
  const { workspace, online, pendingChanges, display, setDisplay } = useDesk();
  const passwordChange = usePasswordChangeRequired(workspace.serverUrl);
  // The server answers such a session 403 password_change_required on every sync request: not offline, the user's turn.
  const connection: Connection = workspace.serverUrl === null ? 'localOnly' : passwordChange ? 'passwordChange' : online ? 'online' : 'offline';
  return (
    <header className="header">
      <div className="header-workspace">
        <span className="muted">{t('header.workspace')}</span>
        <strong data-testid="workspace-name">{workspace.name}</strong>
        {workspace.kind === 'demo' && (
          <span className="badge badge-demo" title={t('header.demoTitle')} data-testid="demo-badge">
            {t('header.demo')}
          </span>
        )}
      </div>
      <ConnectionStatus connection={connection} pendingChanges={pendingChanges} />
      <LanguageSelect value={display.locale} onChange={(locale) => setDisplay({ locale })} label={t('header.language')} />
    </header>
  );
}
