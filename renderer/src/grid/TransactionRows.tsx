import { useTranslation } from 'react-i18next';
import type { CanonicalTransaction } from '../../../core/transactions/schema.ts';
import type { useFormat } from '../app/use-format.ts';
import { REVIEW_NS } from './texts.ts';

/** The reference a person looks a row up by: the PSP's id, else the bank's, else the end-to-end id, else ours. */
function referenceOf(tx: CanonicalTransaction): string {
  return tx.references.externalId ?? tx.references.bankReference ?? tx.references.endToEndId ?? tx.id;
}

/** A small table of transactions (an exception's evidence, a statement line's drill-down): day, kind, amount, optionally the source format, reference. */
export function TransactionRows({ rows, format, showSource = false }: { readonly rows: readonly CanonicalTransaction[]; readonly format: ReturnType<typeof useFormat>; readonly showSource?: boolean }) {
  const { t } = useTranslation(REVIEW_NS);
  // Transaction kinds are the shell's texts (the Transactions grid shows the same words).
  const { t: tApp } = useTranslation();
  return (
    <table className="sd-table">
      <thead>
        <tr>
          <th scope="col">{t('exceptions.detail.columnsRow.date')}</th>
          <th scope="col">{t('exceptions.detail.columnsRow.kind')}</th>
          <th scope="col" className="num">{t('exceptions.detail.columnsRow.amount')}</th>
          {showSource && <th scope="col">{t('exceptions.detail.columnsRow.source')}</th>}
          <th scope="col">{t('exceptions.detail.columnsRow.reference')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((tx) => (
          <tr key={tx.id}>
            <td className="sd-nowrap">{format.date(tx.occurredAt)}</td>
            <td>{tApp(`kind.${tx.kind}`)}</td>
            <td className="num">{`${format.money(tx.amount, tx.currency)} ${tx.currency}`}</td>
            {showSource && <td>{tx.source.format}</td>}
            <td className="sd-mono">{referenceOf(tx)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
