import { useTranslation } from 'react-i18next';
import { useDesk } from '../../app/desk-context.tsx';
import { ConflictList } from './ConflictList.tsx';
import { RefusedList } from './RefusedList.tsx';

/** Online/offline, the server, pending changes, what the server refused, and each conflict side by side to resolve (from the desk database once it is open). */
export function SyncScreen() {
  const { t } = useTranslation();
  const { workspace, online, pendingChanges, conflicts, desk, deskError } = useDesk();
  const connection = workspace.serverUrl === null ? 'localOnly' : online ? 'online' : 'offline';
  return (
    <>
      <h1>{t('sync.title')}</h1>
      <section className="card">
        <table className="plain">
          <tbody>
            <tr>
              <th scope="row">{t('sync.state')}</th>
              <td>
                <span className={`dot dot-${connection}`} aria-hidden="true" /> {t(`header.${connection}`)}
              </td>
            </tr>
            <tr>
              <th scope="row">{t('sync.server')}</th>
              <td>{workspace.serverUrl ?? t('sync.noServer')}</td>
            </tr>
            <tr>
              <th scope="row">{t('sync.pending')}</th>
              <td data-testid="sync-pending">{pendingChanges === null ? '—' : pendingChanges}</td>
            </tr>
            <tr>
              <th scope="row">{t('sync.conflicts')}</th>
              <td data-testid="sync-conflicts">{conflicts}</td>
            </tr>
          </tbody>
        </table>
        {desk === null && (
          <p role="alert">
            {t('sync.deskMissing')} {deskError}
          </p>
        )}
      </section>
      {desk !== null && <RefusedList desk={desk} />}
      {desk !== null && <ConflictList desk={desk} />}
    </>
  );
}
