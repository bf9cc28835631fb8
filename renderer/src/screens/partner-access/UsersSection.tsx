import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PartnerAdminClient } from './admin-api.ts';
import { FormField } from './FormField.tsx';
import { failureOf, StatusLine, type StatusText } from './StatusLine.tsx';
import { PARTNER_ACCESS_NS } from './texts.ts';
import { checkUser, oneTimePassword, type Problems } from './view.ts';

/** Portal users of one partner: the admin sets a one-time password and hands it over (the server has no list of them to show). */
export function UsersSection({ client, partnerId }: { readonly client: PartnerAdminClient; readonly partnerId: string }) {
  const { t } = useTranslation(PARTNER_ACCESS_NS);
  const heading = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<Problems<'username' | 'password'>>({});
  const [status, setStatus] = useState<StatusText | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = checkUser({ username, password });
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const user = await client.createUser(partnerId, username, password);
      setStatus({ key: 'users.created', params: { user: user.username } });
      setUsername('');
      setPassword('');
    } catch (error) {
      setStatus(failureOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={heading} data-testid="portal-users">
      <h2 id={heading}>{t('users.heading')}</h2>
      <p className="muted">{t('users.hint')}</p>
      <form className="toolbar" onSubmit={(event) => void submit(event)} noValidate>
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
      <StatusLine status={status} />
    </section>
  );
}
