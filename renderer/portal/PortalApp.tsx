import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../i18n/format.ts';
import { changeLocale, isLocale } from '../i18n/index.ts';
import { LanguageSelect } from '../src/app/LanguageSelect.tsx';
import { changePassword, errorText, PortalApi, PortalApiError, signInPartner, type PortalSession, type StatementSummary } from './api.ts';
import { PASSWORD_CHARS_MIN } from '../src/screens/partner-access/view.ts';
import { passwordFormProblem } from '../src/screens/settings/password-form.ts';
import { StatementView } from './StatementView.tsx';
import { PORTAL_NS } from './texts.ts';

/** The portal: sign in, then the partner's approved statements by period, then one statement. */
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** After a sign-in with an admin's one-time password: the partner sets their own before anything else. */
function ChangePassword({ session, oneTimePassword, onChanged }: { readonly session: PortalSession; readonly oneTimePassword: string; readonly onChanged: (session: PortalSession) => void }) {
  const { t } = useTranslation(PORTAL_NS);
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = passwordFormProblem({ current: oneTimePassword, next: password, repeated });
    if (problem !== null) return setError(t(`changePassword.${problem}`, { min: PASSWORD_CHARS_MIN }));
    setBusy(true);
    setError(null);
    try {
      onChanged(await changePassword(session, oneTimePassword, password));
    } catch (failure) {
      setError(t('error', { message: errorText(failure) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card portal-sign-in" aria-labelledby="portal-change-password">
      <h1 id="portal-change-password">{t('changePassword.heading')}</h1>
      <p>{t('changePassword.intro', { min: PASSWORD_CHARS_MIN })}</p>
      <form onSubmit={(event) => void submit(event)} aria-describedby={error === null ? undefined : errorId} noValidate>
        <div className="field">
          <label htmlFor="portal-new-password">{t('changePassword.password')}</label>
          <input id="portal-new-password" name="new-password" type="password" autoComplete="new-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="portal-new-password-again">{t('changePassword.repeat')}</label>
          <input id="portal-new-password-again" name="new-password-again" type="password" autoComplete="new-password" required value={repeated} onChange={(event) => setRepeated(event.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={busy || password === '' || repeated === ''}>{busy ? t('changePassword.busy') : t('changePassword.submit')}</button>
        {error === null ? null : <p id={errorId} className="field-error" role="alert">{error}</p>}
      </form>
    </section>
  );
}

function SignIn({ onSignedIn, notice }: { readonly onSignedIn: (session: PortalSession, password: string) => void; readonly notice: string | null }) {
  const { t } = useTranslation(PORTAL_NS);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signInPartner(username.trim(), password), password);
    } catch (failure) {
      setError(failure instanceof PortalApiError && failure.code === 'not_partner' ? t('signIn.notPartner') : t('error', { message: errorText(failure) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card portal-sign-in" aria-labelledby="portal-sign-in">
      <h1 id="portal-sign-in">{t('signIn.heading')}</h1>
      <p>{t('signIn.intro')}</p>
      {notice === null ? null : <p role="status">{notice}</p>}
      <form onSubmit={(event) => void submit(event)} aria-describedby={error === null ? undefined : errorId} noValidate>
        <div className="field">
          <label htmlFor="portal-username">{t('signIn.username')}</label>
          <input id="portal-username" name="username" autoComplete="username" required value={username} onChange={(event) => setUsername(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="portal-password">{t('signIn.password')}</label>
          <input id="portal-password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={busy || username.trim() === '' || password === ''}>{busy ? t('signIn.busy') : t('signIn.submit')}</button>
        {error === null ? null : <p id={errorId} className="field-error" role="alert">{error}</p>}
      </form>
    </section>
  );
}

function StatementList({ api, onOpen }: { readonly api: PortalApi; readonly onOpen: (summary: StatementSummary) => void }) {
  const { t } = useTranslation(PORTAL_NS);
  const [period, setPeriod] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const [statements, setStatements] = useState<StatementSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [periodInvalid, setPeriodInvalid] = useState(false);
  useEffect(() => {
    let live = true;
    setStatements(null);
    api.statements(shown).then(
      (found) => live && setStatements(found),
      (failure: unknown) => live && setError(t('error', { message: errorText(failure) })),
    );
    return () => {
      live = false;
    };
  }, [api, shown, t]);
  const filter = (event: FormEvent) => {
    event.preventDefault();
    const wanted = period.trim();
    const invalid = wanted !== '' && !PERIOD.test(wanted);
    setPeriodInvalid(invalid);
    if (!invalid) setShown(wanted === '' ? null : wanted);
  };
  return (
    <section aria-labelledby="portal-statements">
      <h1 id="portal-statements">{t('list.heading')}</h1>
      <form className="toolbar" onSubmit={filter} noValidate>
        <div className="field">
          <label htmlFor="portal-period">{t('list.period')}</label>
          <input id="portal-period" value={period} placeholder="2026-01" aria-invalid={periodInvalid} aria-describedby="portal-period-hint" onChange={(event) => setPeriod(event.target.value)} />
          <span id="portal-period-hint" className={periodInvalid ? 'field-error' : 'muted'}>{periodInvalid ? t('list.periodInvalid') : t('list.periodHint')}</span>
        </div>
        <div className="field">
          <button type="submit">{t('list.filter')}</button>
        </div>
      </form>
      {error === null ? null : <p className="field-error" role="alert">{error}</p>}
      {statements === null && error === null ? <p role="status">{t('list.loading')}</p> : null}
      {statements !== null && statements.length === 0 ? <p>{t('list.none')}</p> : null}
      {statements !== null && statements.length > 0 ? (
        <table className="plain" data-testid="portal-statements">
          <thead>
            <tr>
              <th scope="col">{t('list.period')}</th>
              <th scope="col" className="num">{t('list.revision')}</th>
              <th scope="col">{t('list.status')}</th>
              <th scope="col" className="num">{t('list.payable')}</th>
              <th scope="col">{t('list.approvedAt')}</th>
              <th scope="col">SHA-256</th>
              <th scope="col"><span className="sr-only">{t('list.openShort')}</span></th>
            </tr>
          </thead>
          <tbody>
            {statements.map((summary) => (
              <tr key={summary.id} data-statement={summary.id}>
                <td>{summary.period}</td>
                <td className="num">{summary.revision}</td>
                <td><span className={`badge badge-${summary.status === 'current' ? 'info' : 'warning'}`}>{t(`status.${summary.status}`)}</span></td>
                <td className="num">{`${formatMoney(summary.payable, summary.currency, 'en')} ${summary.currency}`}</td>
                <td>{summary.approvedAt.slice(0, 10)}</td>
                <td className="portal-mono portal-hash-short" title={summary.sha256}>{summary.sha256.slice(0, 16)}…</td>
                <td>
                  <button type="button" aria-label={t('list.open', { period: summary.period, revision: summary.revision })} onClick={() => onOpen(summary)}>{t('list.openShort')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function PortalApp() {
  const { t, i18n } = useTranslation(PORTAL_NS);
  const [api, setApi] = useState<PortalApi | null>(null);
  const [open, setOpen] = useState<StatementSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Held in memory only while the one-time password is replaced.
  const [pending, setPending] = useState<{ readonly session: PortalSession; readonly oneTimePassword: string } | null>(null);
  const locale = isLocale(i18n.language) ? i18n.language : 'en';
  useEffect(() => {
    document.title = `${t('title')} · SettleDesk`;
  }, [t, locale]);
  const signedIn = useCallback(
    (session: PortalSession) => {
      // The session ends when a refresh is refused: back to sign-in, saying why.
      const ended = () => {
        setApi(null);
        setOpen(null);
        setNotice(t('signIn.expired'));
      };
      setApi(new PortalApi(session, ended));
      setPending(null);
      setNotice(null);
    },
    [t],
  );
  const signInAnswered = (session: PortalSession, password: string) => {
    if (session.passwordChangeRequired) setPending({ session, oneTimePassword: password });
    else signedIn(session);
  };
  const signOut = () => {
    void api?.signOut();
    setApi(null);
    setOpen(null);
  };
  return (
    <div className="portal">
      <a className="skip-link" href="#portal-main">{t('skip')}</a>
      <header className="header portal-header">
        <span className="nav-brand portal-brand">{t('brand')}</span>
        <span className="header-status">
          {api === null ? null : <span data-testid="portal-user">{t('signedInAs', { user: api.username })}</span>}
          <LanguageSelect value={locale} onChange={(next) => void changeLocale(next)} label={t('language')} />
          {api === null ? null : <button type="button" onClick={signOut}>{t('signOut')}</button>}
        </span>
      </header>
      <main id="portal-main" className="portal-main" tabIndex={-1} data-view={api === null ? (pending === null ? 'sign-in' : 'change-password') : open === null ? 'statements' : 'statement'}>
        {api === null ? pending === null ? <SignIn onSignedIn={signInAnswered} notice={notice} /> : <ChangePassword session={pending.session} oneTimePassword={pending.oneTimePassword} onChanged={signedIn} /> : open === null ? <StatementList api={api} onOpen={setOpen} /> : <StatementView api={api} summary={open} onBack={() => setOpen(null)} />}
      </main>
    </div>
  );
}
