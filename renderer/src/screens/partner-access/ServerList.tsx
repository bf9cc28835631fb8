import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PARTNER_ACCESS_NS } from './texts.ts';

/**
 * A list read from the server as every section shows it: the read's failure (the last rows stay),
 * "loading" until the first answer, the section's own "none" text, else the rows.
 */
export function ServerList<T>({ rows, error, none, children }: { readonly rows: readonly T[] | null; readonly error: string | null; readonly none: string; readonly children: (rows: readonly T[]) => ReactNode }) {
  const { t } = useTranslation(PARTNER_ACCESS_NS);
  return (
    <>
      {error !== null && <p className="field-error">{t('failed', { message: error })}</p>}
      {rows === null ? <p className="muted">{t('loading')}</p> : rows.length === 0 ? <p className="muted">{none}</p> : children(rows)}
    </>
  );
}
