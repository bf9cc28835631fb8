import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Desk } from '../../../desk/desk.ts';
import { useStream } from '../../grid/use-stream.ts';
import { conflictViews, type FieldConflictView, type WholeConflictView } from './conflict-view.ts';

/** Each conflict side by side (mine | theirs) with a button per side; the desk records the choice as an edit and an audit event. */
function FieldConflictCard({ view, onKeep }: { readonly view: FieldConflictView; readonly onKeep: (value: unknown) => void }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-label={t('sync.fieldConflict', { id: view.id, field: view.field })} data-testid="field-conflict" data-id={view.id} data-field={view.field}>
      <h3>{t('sync.fieldConflict', { id: view.id, field: view.field })}</h3>
      <p className="muted">{t('sync.base', { value: view.base })}</p>
      <div className="cards">
        {view.sides.map((side) => (
          <div key={`${side.by}:${side.text}`} className="card" data-side={side.mine ? 'mine' : 'theirs'}>
            <h4>{side.mine ? t('sync.mine', { by: side.by }) : t('sync.theirs', { by: side.by })}</h4>
            <pre>{side.text}</pre>
            <button type="button" onClick={() => onKeep(side.value)}>
              {side.mine ? t('sync.keepMine') : t('sync.keepTheirs')}
            </button>
          </div>
        ))}
      </div>
    </section>
  );
}

function WholeConflictCard({ view, onKeep }: { readonly view: WholeConflictView; readonly onKeep: (choice: 'mine' | 'theirs') => void }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-label={t('sync.wholeConflict', { collection: view.collection, id: view.id })} data-testid="whole-conflict" data-id={view.id}>
      <h3>{t('sync.wholeConflict', { collection: view.collection, id: view.id })}</h3>
      {view.kind === 'immutable' && <p className="muted">{t('sync.factConflict')}</p>}
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">{t('sync.field')}</th>
            <th scope="col">{t('sync.mineColumn')}</th>
            <th scope="col">{t('sync.theirsColumn')}</th>
          </tr>
        </thead>
        <tbody>
          {view.differences.map((row) => (
            <tr key={row.field}>
              <th scope="row">{row.field}</th>
              <td>
                <code>{row.mine}</code>
              </td>
              <td>
                <code>{row.theirs}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button type="button" onClick={() => onKeep('mine')} disabled={view.kind === 'immutable'}>
          {t('sync.keepMine')}
        </button>{' '}
        <button type="button" onClick={() => onKeep('theirs')}>
          {t('sync.keepTheirs')}
        </button>
      </p>
    </section>
  );
}

export function ConflictList({ desk }: { readonly desk: Desk }) {
  const { t } = useTranslation();
  const state = useStream(desk.sync$);
  const [error, setError] = useState<string | null>(null);
  const views = conflictViews(state?.conflicts ?? [], desk.userId);
  const attempt = (work: () => Promise<unknown>) => {
    setError(null);
    work().catch((failure: Error) => setError(failure.message));
  };
  return (
    <section aria-label={t('sync.conflictsTitle')} data-testid="sync-conflict-list">
      <h2>{t('sync.conflictsTitle')}</h2>
      {error !== null && <p role="alert">{error}</p>}
      {views.length === 0 ? (
        <p className="muted">{t('sync.noConflicts')}</p>
      ) : (
        views.map((view) =>
          view.kind === 'field' ? (
            <FieldConflictCard key={view.key} view={view} onKeep={(value) => attempt(() => desk.resolveExceptionConflict(view.id, view.field, value))} />
          ) : (
            <WholeConflictCard key={view.key} view={view} onKeep={(choice) => attempt(() => desk.resolveWholeConflict(view.collection, view.id, choice))} />
          ),
        )
      )}
    </section>
  );
}
