import { useCallback, useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { PartnerAdminClient, Webhook } from './admin-api.ts';
import { ServerList } from './ServerList.tsx';
import { PARTNER_ACCESS_NS } from './texts.ts';
import { useServerData } from './use-server-data.ts';
import { deliveryRows, formatInstant, textKeyOf } from './view.ts';

/** While the log is open it is read again this often: the server's worker delivers on its own schedule. */
const REFRESH_MS = 5_000;

/** One webhook's delivery log: every attempt with its time, event, status code, error and the next retry. */
export function DeliveryLog({ client, partnerId, webhook, onHealthChanged }: { readonly client: PartnerAdminClient; readonly partnerId: string; readonly webhook: Webhook; readonly onHealthChanged: () => void }) {
  const { t } = useTranslation(PARTNER_ACCESS_NS);
  const heading = useId();
  const log = useServerData(useCallback(() => client.deliveries(partnerId, webhook.id), [client, partnerId, webhook.id]));
  const { reload } = log;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  // The log's answer carries the webhook's health: a webhook switched off meanwhile is shown so in the list too.
  const health = log.data?.webhook ?? null;
  const changed = health !== null && (health.active !== webhook.active || health.consecutiveFailures !== webhook.consecutiveFailures);
  useEffect(() => {
    if (changed) onHealthChanged();
  }, [changed, onHealthChanged]);
  const rows = log.data === null ? null : deliveryRows(log.data.deliveries);

  return (
    <section className="pa-log" aria-labelledby={heading} data-testid="delivery-log" data-webhook={webhook.id}>
      <div className="toolbar">
        <h3 id={heading}>{t('log.heading', { url: webhook.url })}</h3>
        <button type="button" onClick={reload} data-testid="refresh-log">
          {t('log.refresh')}
        </button>
      </div>
      <ServerList rows={rows} error={log.error} none={t('log.none')}>
        {(shown) => (
          <div className="table-scroll">
            <table className="plain compact" data-testid="delivery-rows">
              <thead>
                <tr>
                  {(['time', 'event', 'attempt', 'status', 'code', 'nextRetry', 'error'] as const).map((column) => (
                    <th key={column} scope="col" className={column === 'attempt' || column === 'code' ? 'num' : undefined}>
                      {t(`log.columns.${column}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {shown.map((row) => (
                  <tr key={row.key} data-delivery={row.deliveryId} data-attempt={row.attempt} data-status={row.status}>
                    <td>{formatInstant(row.at)}</td>
                    <td data-col="event">{t(`events.${textKeyOf(row.event)}`)}</td>
                    <td className="num">{row.attempt === 0 ? t('log.queued') : row.attempt}</td>
                    <td>{t(`log.status.${row.status}`)}</td>
                    <td className="num" data-col="code">
                      {row.statusCode ?? '—'}
                    </td>
                    <td data-col="nextRetry">{row.nextRetryAt === null ? '—' : formatInstant(row.nextRetryAt)}</td>
                    <td className="pa-error-cell" data-col="error">
                      {row.error ?? ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ServerList>
    </section>
  );
}
