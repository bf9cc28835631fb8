import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PartnerAdminClient, PortalUser } from './admin-api.ts';
import { FormField } from './FormField.tsx';
import { SecretOnce } from './SecretOnce.tsx';
import { StatusLine } from './StatusLine.tsx';
import { PARTNER_ACCESS_NS } from './texts.ts';
import { ServerList } from './ServerList.tsx';
import { useServerAction } from './use-server-action.ts';
import { useServerData } from './use-server-data.ts';
import { checkUser, formatInstant, oneTimePassword, type Problems } from './view.ts';

type UserAction = 'disable' | 'enable' | 'reset';
const CONFIRM_KEYS = { disable: 'confirmDisable', enable: 'confirmEnable', reset: 'confirmReset' } as const;

/**
 * Portal users of one partner: create with a one-time password the admin hands over; the list from
 * the server (created, last sign-in, enabled or not) with Disable/Enable and Reset password, each
 * after a confirmation. A reset draws a new one-time password here and shows it once.
 */
export function UsersSection({ client, partnerId }: { readonly client: PartnerAdminClient; readonly partnerId: string }) {
  const { t } = useTranslation(PARTNER_ACCESS_NS);
  const ids = { heading: useId(), confirm: useId() };
  const users = useServerData(useCallback(() => client.portalUsers(partnerId), [client, partnerId]));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<Problems<'username' | 'password'>>({});
  const [confirming, setConfirming] = useState<{ readonly user: PortalUser; readonly action: UserAction } | null>(null);
  const [shown, setShown] = useState<{ readonly user: string; readonly password: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const { busy, status, act } = useServerAction(users.reload);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkUser({ username, password });
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    void act(async () => {
      const user = await client.createUser(partnerId, username, password);
      setUsername('');
      setPassword('');
      return { key: 'users.created', params: { user: user.username } };
    });
  };

  const confirm = ({ user, action }: { readonly user: PortalUser; readonly action: UserAction }) =>
    void act(async () => {
      setConfirming(null);
      if (action === 'reset') {
        const drawn = oneTimePassword();
        await client.resetPortalPassword(partnerId, user.id, drawn);
        setShown({ user: user.username, password: drawn });
        return null;
      }
      await client.setPortalUserDisabled(partnerId, user.id, action === 'disable');
      heading.current?.focus();
      return { key: action === 'disable' ? 'users.disabled' : 'users.enabled', params: { user: user.username } };
    });

  return (
    <section className="card" aria-labelledby={ids.heading} data-testid="portal-users">
      <h2 id={ids.heading} ref={heading} tabIndex={-1}>
        {t('users.heading')}
      </h2>
      <p className="muted">{t('users.hint')}</p>
      <form className="toolbar" onSubmit={submit} noValidate>
        <FormField label={t('users.username')} problem={problems.username} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" data-testid="user-name" />
        <FormField label={t('users.password')} problem={problems.password} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" spellCheck={false} data-testid="user-password" />
        <div className="field">
          <button type="button" onClick={() => setPassword(oneTimePassword())}>
            {t('users.generate')}
          </button>
        </div>
        <div className="field">
          <button type="submit" className="primary" disabled={busy}>
            {t('users.create')}
          </button>
        </div>
      </form>
      {shown !== null && <SecretOnce heading={t('users.passwordHeading', { user: shown.user })} warning={t('secret.passwordWarning')} secret={shown.password} onDone={() => setShown(null)} />}
      <StatusLine status={status} />
      <ServerList rows={users.data} error={users.error} none={t('users.none')}>
        {(rows) => (
          <div className="table-scroll">
            <table className="plain" data-testid="users-table">
              <thead>
                <tr>
                  {(['name', 'created', 'lastSignIn', 'state', 'actions'] as const).map((column) => (
                    <th key={column} scope="col">
                      {t(`users.columns.${column}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((user) => (
                  <tr key={user.id} data-user={user.username} data-disabled={String(user.disabled)}>
                    <td>{user.username}</td>
                    <td>{formatInstant(user.createdAt)}</td>
                    <td data-col="lastSignIn">{user.lastSignInAt === null ? t('users.never') : formatInstant(user.lastSignInAt)}</td>
                    <td data-col="state">{t(`users.state.${user.disabled ? 'disabled' : 'enabled'}`)}</td>
                    <td>
                      <div className="pa-actions">
                        {user.disabled ? (
                          <button type="button" aria-label={t('users.enableLabel', { user: user.username })} onClick={() => setConfirming({ user, action: 'enable' })} disabled={busy}>
                            {t('users.enable')}
                          </button>
                        ) : (
                          <button type="button" className="danger" aria-label={t('users.disableLabel', { user: user.username })} onClick={() => setConfirming({ user, action: 'disable' })} disabled={busy}>
                            {t('users.disable')}
                          </button>
                        )}
                        <button type="button" aria-label={t('users.resetLabel', { user: user.username })} onClick={() => setConfirming({ user, action: 'reset' })} disabled={busy}>
                          {t('users.reset')}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ServerList>
      {confirming !== null && (
        <div className="pa-confirm" role="alertdialog" aria-labelledby={ids.confirm} data-testid="user-confirm" data-action={confirming.action} onKeyDown={(event) => event.key === 'Escape' && setConfirming(null)}>
          <p id={ids.confirm}>{t(`users.${confirming.action}Confirm`, { user: confirming.user.username })}</p>
          <div className="toolbar">
            <button type="button" className={confirming.action === 'enable' ? 'primary' : 'danger'} autoFocus onClick={() => confirm(confirming)} disabled={busy}>
              {t(`users.${CONFIRM_KEYS[confirming.action]}`)}
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              {t('users.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
