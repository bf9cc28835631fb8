import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { WorkspaceSchema } from '../../../workspace/workspace.ts';
import { useDesk } from '../../app/desk-context.tsx';
import { useSaid } from '../../app/use-said.ts';
import { ChangePassword } from './ChangePassword.tsx';
import { serverSession, type ServerSession, type SignedInUser } from './sign-in.ts';

/** A value of the session with a server, following sign-in, sign-out, a refused refresh and a password change. */
function useSessionValue<T>(serverUrl: string | null, read: (session: ServerSession, serverUrl: string | null) => T): T {
  const [value, setValue] = useState<T>(() => read(serverSession(), serverUrl));
  useEffect(() => {
    const session = serverSession();
    const update = () => setValue(read(session, serverUrl));
    void session.load().then(update);
    update();
    return session.subscribe(update);
  }, [serverUrl, read]);
  return value;
}

const readUser = (session: ServerSession, serverUrl: string | null) => session.userFor(serverUrl);
const readPasswordChangeRequired = (session: ServerSession, serverUrl: string | null) => session.passwordChangeRequired(serverUrl);

/** The signed-in user of a server. */
export function useSignedInUser(serverUrl: string | null): SignedInUser | null {
  return useSessionValue(serverUrl, readUser);
}

/** Whether the server refuses this desk's session everything but setting the user's own password (a one-time password). */
export function usePasswordChangeRequired(serverUrl: string | null): boolean {
  return useSessionValue(serverUrl, readPasswordChangeRequired);
}

/** The sync server's address and signing in to it; the tokens go to the host's secret store (sign-in.ts), never to localStorage. */
export function ServerSettings() {
  const { t } = useTranslation();
  const { workspace, updateWorkspace } = useDesk();
  const [url, setUrl] = useState(workspace.serverUrl ?? '');
  const [urlError, setUrlError] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { text: message, say } = useSaid(t);
  const user = useSignedInUser(workspace.serverUrl);
  const passwordChangeRequired = usePasswordChangeRequired(workspace.serverUrl);
  const signedIn = user === null ? null : `${user.username} (${user.role})`;
  const ids = { url: useId(), user: useId(), password: useId(), urlError: useId(), heading: useId() };

  if (workspace.kind !== 'server') {
    return (
      <section className="card" aria-labelledby={ids.heading}>
        <h2 id={ids.heading}>{t('settings.server')}</h2>
        <p className="muted">{t('settings.localOnly')}</p>
      </section>
    );
  }

  const saveUrl = (event: FormEvent) => {
    event.preventDefault();
    const serverUrl = url.trim().replace(/\/+$/, '');
    const valid = WorkspaceSchema.shape.serverUrl.safeParse(serverUrl);
    setUrlError(!valid.success || valid.data === null);
    if (valid.success && valid.data !== null) {
      updateWorkspace({ ...workspace, serverUrl: valid.data });
      say('settings.saved');
    }
  };

  const submitSignIn = async (event: FormEvent) => {
    event.preventDefault();
    if (workspace.serverUrl === null) return say('settings.signInUnavailable');
    try {
      // The desk reopens as this user and its replication asks the session for fresh tokens.
      await serverSession().signIn(workspace.serverUrl, username, password);
      setPassword('');
      say(null);
    } catch (error) {
      say('settings.signInFailed', { message: (error as Error).message });
    }
  };

  return (
    <section className="card" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>{t('settings.server')}</h2>
      <form onSubmit={saveUrl} className="toolbar" noValidate>
        <div className="field">
          <label htmlFor={ids.url}>{t('settings.serverUrl')}</label>
          <input id={ids.url} type="url" value={url} onChange={(e) => setUrl(e.target.value)} aria-invalid={urlError} aria-describedby={urlError ? ids.urlError : undefined} size={40} />
          {urlError && (
            <span id={ids.urlError} className="field-error">
              {t('workspace.errorUrl')}
            </span>
          )}
        </div>
        <div className="field">
          <button type="submit">{t('settings.saveServer')}</button>
        </div>
      </form>
      {signedIn === null ? (
        <form onSubmit={(e) => void submitSignIn(e)} className="toolbar">
          <div className="field">
            <label htmlFor={ids.user}>{t('settings.username')}</label>
            <input id={ids.user} autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.password}>{t('settings.password')}</label>
            <input id={ids.password} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          <div className="field">
            <button type="submit" className="primary">
              {t('settings.signIn')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p data-testid="signed-in">
            {t('settings.signedInAs', { user: signedIn })}{' '}
            <button type="button" data-testid="sign-out" onClick={() => void serverSession().signOut().catch((error: Error) => say('settings.signInFailed', { message: error.message }))}>
              {t('settings.signOut')}
            </button>
          </p>
          {workspace.serverUrl !== null && <ChangePassword serverUrl={workspace.serverUrl} required={passwordChangeRequired} />}
        </>
      )}
      {message !== '' && <p role="status">{message}</p>}
    </section>
  );
}
