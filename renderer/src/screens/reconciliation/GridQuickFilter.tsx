import { useTranslation } from 'react-i18next';
import { REVIEW_NS } from '../../grid/texts.ts';

export interface GridQuickFilterProps {
  readonly id: string;
  /** The grid's name as its heading says it: each filter's accessible name says which grid it filters. */
  readonly grid: string;
  readonly value: string;
  readonly onChange: (text: string) => void;
}

/** A paged grid's quick filter: the engine worker keeps the rows that hold every word somewhere in their columns as shown. */
export function GridQuickFilter({ id, grid, value, onChange }: GridQuickFilterProps) {
  const { t } = useTranslation(REVIEW_NS);
  return (
    <label className="sd-quick-filter" htmlFor={id}>
      <span>{t('grid.quickFilter')}</span>
      <input id={id} type="search" value={value} aria-label={t('reconciliation.quickFilterOf', { grid })} placeholder={t('grid.quickFilterPlaceholder')} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}
