import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PARTNER_API_KEY_SCOPES } from '../../../../core/sync/partner-api.ts';
import type { ApiKey, ApiKeyScope, PartnerAdminClient } from './admin-api.ts';
import { FormField } from './FormField.tsx';
import { SecretOnce } from './SecretOnce.tsx';
import { StatusLine } from './StatusLine.tsx';
import { PARTNER_ACCESS_NS } from './texts.ts';
import { ServerList } from './ServerList.tsx';
import { useServerAction } from './use-server-action.ts';
import { useServerData } from './use-server-data.ts';
import { checkKey, EXPIRY_DAYS, expiresAtOf, formatInstant, keyPrefixOf, keyStateOf, textKeyOf, type ExpiryDays, type Problems } from './view.ts';

/** API keys of one partner: create (scope + expiry; the secret shown once), list, revoke with a confirmation. */
export function KeysSection({ client, partnerId }: { readonly client: PartnerAdminClient; readonly partnerId: string }) {
  const { t } = useTranslation(PARTNER_ACCESS_NS);
  const ids = { heading: useId(), scopes: useId(), expiry: useId(), confirm: useId() };
  const keys = useServerData(useCallback(() => client.keys(partnerId), [client, partnerId]));
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<readonly ApiKeyScope[]>(['statements:read']);
  const [days, setDays] = useState<ExpiryDays>(90);
  const [problems, setProblems] = useState<Problems<'name' | 'scopes'>>({});
  const [secret, setSecret] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<ApiKey | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const { busy, status, act } = useServerAction(keys.reload);

  const create = (event: FormEvent) => {
    event.preventDefault();
    const found = checkKey({ name, scopes });
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    void act(async () => {
      const made = await client.createKey(partnerId, { name: name.trim(), scopes, expiresAt: expiresAtOf(days, Date.now()) });
      setSecret(made.secret);
      setName('');
      return null;
    });
  };

  const revoke = (key: ApiKey) =>
    void act(async () => {
      await client.revokeKey(partnerId, key.id);
      setConfirming(null);
      heading.current?.focus();
      return { key: 'keys.revoked', params: { name: key.name } };
    });

  const toggleScope = (scope: ApiKeyScope, on: boolean) => setScopes((before) => PARTNER_API_KEY_SCOPES.filter((each) => (each === scope ? on : before.includes(each))));
  const now = Date.now();

  return (
    <section className="card" aria-labelledby={ids.heading} data-testid="api-keys">
      <h2 id={ids.heading} ref={heading} tabIndex={-1}>
        {t('keys.heading')}
      </h2>
      <form className="toolbar" onSubmit={create} noValidate>
        <FormField label={t('keys.name')} problem={problems.name} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" data-testid="key-name" />
        <fieldset className="field" aria-describedby={problems.scopes === undefined ? undefined : ids.scopes}>
          <legend>{t('keys.scopes')}</legend>
          {PARTNER_API_KEY_SCOPES.map((scope) => (
            <label key={scope} className="field-inline">
              <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => toggleScope(scope, e.target.checked)} data-scope={scope} />
              {t(`scopes.${textKeyOf(scope)}`)}
            </label>
          ))}
          {problems.scopes !== undefined && (
            <span id={ids.scopes} className="field-error">
              {t(`problems.${problems.scopes}`)}
            </span>
          )}
        </fieldset>
        <div className="field">
          <label htmlFor={ids.expiry}>{t('keys.expiry')}</label>
          <select id={ids.expiry} value={days} onChange={(e) => setDays(Number(e.target.value) as ExpiryDays)}>
            {EXPIRY_DAYS.map((each) => (
              <option key={each} value={each}>
                {t('keys.days', { count: each })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <button type="submit" className="primary" disabled={busy} data-testid="create-key">
            {t('keys.create')}
          </button>
        </div>
      </form>
      {secret !== null && <SecretOnce heading={t('secret.keyHeading')} secret={secret} onDone={() => setSecret(null)} />}
      <StatusLine status={status} />
      <ServerList rows={keys.data} error={keys.error} none={t('keys.none')}>
        {(rows) => (
          <div className="table-scroll">
            <table className="plain" data-testid="keys-table">
              <thead>
                <tr>
                  {(['name', 'prefix', 'scopes', 'expires', 'lastUsed', 'state', 'created', 'actions'] as const).map((column) => (
                    <th key={column} scope="col">
                      {t(`keys.columns.${column}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((key) => {
                  const state = keyStateOf(key, now);
                  return (
                    <tr key={key.id} data-key={key.id} data-state={state}>
                      <td>{key.name}</td>
                      <td>
                        <code>{keyPrefixOf(key.id)}…</code>
                      </td>
                      <td>{key.scopes.map((scope) => t(`scopes.${textKeyOf(scope)}`)).join(', ')}</td>
                      <td>{formatInstant(key.expiresAt)}</td>
                      <td data-col="lastUsed">{key.lastUsedAt === null ? t('keys.never') : formatInstant(key.lastUsedAt)}</td>
                      <td data-col="state">{state === 'revoked' ? t('keys.state.revoked', { at: formatInstant(key.revokedAt ?? '') }) : t(`keys.state.${state}`)}</td>
                      <td>
                        {formatInstant(key.createdAt)} · {key.createdBy}
                      </td>
                      <td>
                        {state !== 'revoked' && (
                          <button type="button" className="danger" aria-label={t('keys.revokeLabel', { name: key.name })} onClick={() => setConfirming(key)} disabled={busy}>
                            {t('keys.revoke')}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </ServerList>
      {confirming !== null && (
        <div className="pa-confirm" role="alertdialog" aria-labelledby={ids.confirm} data-testid="revoke-confirm" onKeyDown={(event) => event.key === 'Escape' && setConfirming(null)}>
          <p id={ids.confirm}>{t('keys.revokeConfirm', { name: confirming.name, prefix: `${keyPrefixOf(confirming.id)}…` })}</p>
          <div className="toolbar">
            <button type="button" className="danger" autoFocus onClick={() => revoke(confirming)} disabled={busy}>
              {t('keys.confirm')}
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              {t('keys.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
