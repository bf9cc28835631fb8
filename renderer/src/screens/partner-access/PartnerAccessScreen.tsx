import './partner-access.css';
import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../../app/desk-context.tsx';
import { hrefOf } from '../../app/router.ts';
import type { ScreenProps } from '../../app/routes.tsx';
import { useSignedInUser } from '../settings/ServerSettings.tsx';
import { serverSession } from '../settings/sign-in.ts';
import { PartnerAdminClient } from './admin-api.ts';
import { FormField } from './FormField.tsx';
import { KeysSection } from './KeysSection.tsx';
import { failureOf, StatusLine, type StatusText } from './StatusLine.tsx';
import { ServerList } from './ServerList.tsx';
import { PARTNER_ACCESS_NS, registerPartnerAccessTexts } from './texts.ts';
import { UsersSection } from './UsersSection.tsx';
import { useServerData } from './use-server-data.ts';
import { accessOf, checkPartner, type Problems } from './view.ts';
import { WebhooksSection } from './WebhooksSection.tsx';

registerPartnerAccessTexts();

/**
 * Partner access (admins of a team workspace): per partner, its portal users, API keys and
 * webhooks with their delivery log, through the server's admin routes with the desk's sign-in.
 * Anyone else gets the reason instead of an empty screen.
 */
export function PartnerAccessScreen(_props: ScreenProps) {
  const { t } = useTranslation(PARTNER_ACCESS_NS);
  const { workspace } = useDesk();
  const user = useSignedInUser(workspace.serverUrl);
  const access = accessOf(workspace, user?.role ?? null);
  const serverUrl = workspace.serverUrl;
  const client = useMemo(() => (serverUrl === null ? null : new PartnerAdminClient({ baseUrl: serverUrl, accessToken: () => serverSession().accessToken(serverUrl), unauthorized: (token) => serverSession().unauthorized(serverUrl, token) })), [serverUrl]);

  return (
    <div className="pa-screen" data-testid="partner-access" data-access={access}>
      <h1>{t('title')}</h1>
      {access === 'admin' && client !== null ? (
        <>
          <p className="muted">{t('intro')}</p>
          <PartnersView client={client} />
        </>
      ) : (
        <div className="card" data-testid="partner-access-denied">
          <p>{access === 'local' ? t('access.local') : access === 'signed-out' ? t('access.signedOut') : t('access.notAdmin', { user: user?.username ?? '', role: user?.role ?? '' })}</p>
          {access !== 'local' && <a href={hrefOf('settings')}>{t('access.openSettings')}</a>}
        </div>
      )}
    </div>
  );
}

function PartnersView({ client }: { readonly client: PartnerAdminClient }) {
  const { t } = useTranslation(PARTNER_ACCESS_NS);
  const { desk } = useDesk();
  const ids = { heading: useId(), pick: useId(), add: useId() };
  const partners = useServerData(useCallback(() => client.partners(), [client]));
  const [selected, setSelected] = useState<string | null>(null);
  const [form, setForm] = useState({ id: '', name: '', analyst: '' });
  const [problems, setProblems] = useState<Problems<'id' | 'name' | 'analyst'>>({});
  const [status, setStatus] = useState<StatusText | null>(null);
  const deskPartners = useDeskPartnerIds(desk);
  const current = partners.data?.find((each) => each.id === selected) ?? partners.data?.[0] ?? null;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found = checkPartner(form);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    try {
      const saved = await client.savePartner({ id: form.id, name: form.name.trim(), analyst: form.analyst.trim() });
      setStatus({ key: 'partner.saved', params: { id: saved.id } });
      setSelected(saved.id);
      setForm({ id: '', name: '', analyst: '' });
      partners.reload();
    } catch (error) {
      setStatus(failureOf(error));
    }
  };

  return (
    <>
      <section className="card" aria-labelledby={ids.heading}>
        <h2 id={ids.heading}>{t('partner.heading')}</h2>
        <ServerList rows={partners.data} error={partners.error} none={t('partner.none')}>
          {(rows) => (
            <div className="field">
              <label htmlFor={ids.pick}>{t('partner.pick')}</label>
              <select id={ids.pick} value={current?.id ?? ''} onChange={(e) => setSelected(e.target.value)} data-testid="pick-partner">
                {rows.map((partner) => (
                  <option key={partner.id} value={partner.id}>
                    {`${partner.id} · ${partner.name} (${partner.analyst})`}
                  </option>
                ))}
              </select>
            </div>
          )}
        </ServerList>
        <details>
          <summary>{t('partner.add')}</summary>
          <form className="toolbar" onSubmit={(event) => void save(event)} noValidate aria-label={t('partner.add')}>
            <FormField label={t('partner.id')} hint={t('partner.idHint')} problem={problems.id} value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} list={ids.add} autoComplete="off" data-testid="partner-id" />
            <datalist id={ids.add}>
              {deskPartners.map((id) => (
                <option key={id} value={id} />
              ))}
            </datalist>
            <FormField label={t('partner.name')} problem={problems.name} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} autoComplete="off" data-testid="partner-name" />
            <FormField label={t('partner.analyst')} hint={t('partner.analystHint')} problem={problems.analyst} value={form.analyst} onChange={(e) => setForm({ ...form, analyst: e.target.value })} autoComplete="off" data-testid="partner-analyst" />
            <div className="field">
              <button type="submit" className="primary" data-testid="save-partner">
                {t('partner.save')}
              </button>
            </div>
          </form>
          {deskPartners.length > 0 && <p className="caption">{t('partner.fromDesk', { ids: deskPartners.join(', ') })}</p>}
        </details>
        <StatusLine status={status} />
      </section>
      {current !== null && (
        <div className="pa-partner" key={current.id} data-partner={current.id}>
          <UsersSection client={client} partnerId={current.id} />
          <KeysSection client={client} partnerId={current.id} />
          <WebhooksSection client={client} partnerId={current.id} />
        </div>
      )}
    </>
  );
}

/** The partner ids of the agreements on this desk: suggestions for a partner the server does not have yet. */
function useDeskPartnerIds(desk: ReturnType<typeof useDesk>['desk']): string[] {
  const [ids, setIds] = useState<string[]>([]);
  useEffect(() => {
    if (desk === null) return undefined;
    const subscription = desk.agreementVersions$.subscribe((docs) => setIds([...new Set(docs.map((doc) => doc.agreement.partnerId))].sort()));
    return () => subscription.unsubscribe();
  }, [desk]);
  return ids;
}
