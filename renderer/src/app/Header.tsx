import { useTranslation } from 'react-i18next';
import { useDesk } from './desk-context.tsx';
import { LanguageSelect } from './LanguageSelect.tsx';

export function Header() {
  const { t } = useTranslation();
  const { workspace, online, pendingChanges, display, setDisplay } = useDesk();
  const connection = workspace.serverUrl === null ? 'localOnly' : online ? 'online' : 'offline';
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
      <div className="header-status" role="status" aria-live="polite">
        <span className={`dot dot-${connection}`} aria-hidden="true" />
        <span data-testid="connection">{t(`header.${connection}`)}</span>
        {workspace.serverUrl !== null && (
          <>
            <span className="separator" aria-hidden="true">
              ·
            </span>
            <span data-testid="pending">{pendingChanges === null ? t('header.pendingUnknown') : t('header.pending', { count: pendingChanges })}</span>
          </>
        )}
      </div>
      <LanguageSelect value={display.locale} onChange={(locale) => setDisplay({ locale })} label={t('header.language')} />
    </header>
  );
}
