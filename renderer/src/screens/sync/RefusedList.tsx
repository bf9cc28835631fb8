import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Desk } from '../../../desk/desk.ts';
import type { RefusedDocument } from '../../../desk/replication.ts';
import { useFormat } from '../../app/use-format.ts';
import { useStream } from '../../grid/use-stream.ts';
import { registerSyncRefusedTexts, SYNC_REFUSED_NS } from './texts.ts';

registerSyncRefusedTexts();

const NONE: readonly RefusedDocument[] = [];

/** Documents the server refused for good (not approvals: those show on their statement), each with the server's reason and a discard. */
export function RefusedList({ desk }: { readonly desk: Desk }) {
  const { t } = useTranslation(SYNC_REFUSED_NS);
  const format = useFormat();
  const refused = useStream(desk.refusedDocuments$) ?? NONE;
  const [message, setMessage] = useState('');
  const discard = (doc: RefusedDocument) => {
    setMessage('');
    desk.discardRefused(doc.collection, doc.id).then(
      () => setMessage(t(doc.serverState === null ? 'discardedLocal' : 'discardedServer', { collection: doc.collection, id: doc.id })),
      (failure: Error) => setMessage(t('failed', { message: failure.message })),
    );
  };
  return (
    <section aria-labelledby="sync-refused-title" data-testid="sync-refused">
      <h2 id="sync-refused-title">{t('title')}</h2>
      {refused.length === 0 ? (
        <p className="muted">{t('none')}</p>
      ) : (
        <>
          <p className="muted">{t('hint')}</p>
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">{t('columns.document')}</th>
                <th scope="col">{t('columns.reason')}</th>
                <th scope="col">{t('columns.at')}</th>
                <th scope="col">{t('columns.action')}</th>
              </tr>
            </thead>
            <tbody>
              {refused.map((doc) => (
                <tr key={`${doc.collection}|${doc.id}`} data-testid="refused-document" data-collection={doc.collection} data-id={doc.id}>
                  <td>
                    <code>{doc.collection}</code> {doc.id}
                  </td>
                  <td data-testid="refused-reason">{t('reason', { code: doc.code, message: doc.message })}</td>
                  <td>{format.date(doc.at)}</td>
                  <td>
                    {doc.collection === 'audit_events' ? (
                      <span className="muted">{t('chainKept')}</span>
                    ) : (
                      <button type="button" aria-label={t('discardLabel', { collection: doc.collection, id: doc.id })} onClick={() => discard(doc)}>
                        {t('discard')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <p role="status" aria-live="polite">{message}</p>
    </section>
  );
}
