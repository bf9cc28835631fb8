import { useCallback, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PARTNER_WEBHOOK_EVENTS } from '../../../../core/sync/partner-api.ts';
import type { PartnerAdminClient, WebhookEvent } from './admin-api.ts';
import { DeliveryLog } from './DeliveryLog.tsx';
import { FormField } from './FormField.tsx';
import { SecretOnce } from './SecretOnce.tsx';
import { StatusLine } from './StatusLine.tsx';
import { PARTNER_ACCESS_NS } from './texts.ts';
import { ServerList } from './ServerList.tsx';
import { useServerAction } from './use-server-action.ts';
import { useServerData } from './use-server-data.ts';
import { checkWebhook, formatInstant, textKeyOf, type Problems } from './view.ts';

/** Webhooks of one partner: create (URL + events; the signing secret shown once), list with health, activate a switched-off one, the delivery log. */
export function WebhooksSection({ client, partnerId }: { readonly client: PartnerAdminClient; readonly partnerId: string }) {
  const { t } = useTranslation(PARTNER_ACCESS_NS);
  const ids = { heading: useId(), events: useId() };
  const webhooks = useServerData(useCallback(() => client.webhooks(partnerId), [client, partnerId]));
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<readonly WebhookEvent[]>([...PARTNER_WEBHOOK_EVENTS]);
  const [problems, setProblems] = useState<Problems<'url' | 'events'>>({});
  const [secret, setSecret] = useState<string | null>(null);
  const [openLog, setOpenLog] = useState<string | null>(null);

  const { busy, status, act } = useServerAction(webhooks.reload);

  const create = (event: FormEvent) => {
    event.preventDefault();
    const found = checkWebhook({ url, events });
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    void act(async () => {
      const made = await client.createWebhook(partnerId, { url: url.trim(), events });
      setSecret(made.secret);
      setUrl('');
      setOpenLog(made.webhook.id);
      return null;
    });
  };

  const toggleEvent = (type: WebhookEvent, on: boolean) => setEvents((before) => PARTNER_WEBHOOK_EVENTS.filter((each) => (each === type ? on : before.includes(each))));
  const shown = webhooks.data?.find((each) => each.id === openLog) ?? null;

  return (
    <section className="card" aria-labelledby={ids.heading} data-testid="webhooks">
      <h2 id={ids.heading}>{t('webhooks.heading')}</h2>
      <form className="toolbar" onSubmit={create} noValidate>
        <FormField label={t('webhooks.url')} problem={problems.url} type="url" value={url} onChange={(e) => setUrl(e.target.value)} size={40} autoComplete="off" data-testid="webhook-url" />
        <fieldset className="field" aria-describedby={problems.events === undefined ? undefined : ids.events}>
          <legend>{t('webhooks.events')}</legend>
          {PARTNER_WEBHOOK_EVENTS.map((type) => (
            <label key={type} className="field-inline">
              <input type="checkbox" checked={events.includes(type)} onChange={(e) => toggleEvent(type, e.target.checked)} data-event={type} />
              {t(`events.${textKeyOf(type)}`)}
            </label>
          ))}
          {problems.events !== undefined && (
            <span id={ids.events} className="field-error">
              {t(`problems.${problems.events}`)}
            </span>
          )}
        </fieldset>
        <div className="field">
          <button type="submit" className="primary" disabled={busy} data-testid="create-webhook">
            {t('webhooks.create')}
          </button>
        </div>
      </form>
      {secret !== null && <SecretOnce heading={t('secret.webhookHeading')} secret={secret} onDone={() => setSecret(null)} />}
      <StatusLine status={status} />
      <ServerList rows={webhooks.data} error={webhooks.error} none={t('webhooks.none')}>
        {(rows) => (
          <div className="table-scroll">
            <table className="plain" data-testid="webhooks-table">
              <thead>
                <tr>
                  {(['url', 'events', 'state', 'actions'] as const).map((column) => (
                    <th key={column} scope="col">
                      {t(`webhooks.columns.${column}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((hook) => (
                  <tr key={hook.id} data-webhook={hook.id} data-active={hook.active}>
                    <td>
                      <code>{hook.url}</code>
                    </td>
                    <td>{hook.events.map((type) => t(`events.${textKeyOf(type)}`)).join(', ')}</td>
                    <td data-col="state">{hook.active ? t('webhooks.active') : t('webhooks.inactive', { at: formatInstant(hook.deactivatedAt ?? ''), reason: hook.deactivatedReason ?? '' })}</td>
                    <td>
                      <div className="pa-actions">
                        <button type="button" aria-expanded={openLog === hook.id} aria-label={t('webhooks.showLogLabel', { url: hook.url })} onClick={() => setOpenLog(openLog === hook.id ? null : hook.id)}>
                          {t('webhooks.showLog')}
                        </button>
                        {!hook.active && (
                          <button type="button" className="primary" aria-label={t('webhooks.activateLabel', { url: hook.url })} disabled={busy} onClick={() => void act(async () => (await client.activateWebhook(partnerId, hook.id), { key: 'webhooks.activated' }))}>
                            {t('webhooks.activate')}
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ServerList>
      {shown !== null && <DeliveryLog key={shown.id} client={client} partnerId={partnerId} webhook={shown} onHealthChanged={webhooks.reload} />}
    </section>
  );
}
