import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Rejection } from '../../../../core/ingest/result.ts';
import { useSaid } from '../../app/use-said.ts';
import { currentHost } from '../../../host/current.ts';
import type { RunRates } from '../../../engine/settle.ts';
import { mergeRates, ratesSummary, readRateFile, storedRates, storeRates } from './desk-rates.ts';
import { SETTLEMENT_NS } from './texts.ts';

/** The workspace's FX rates (desk-rates.ts), read once per workspace and kept in this browser profile. */
export function useDeskRates(workspaceId: string): readonly [RunRates | null, (next: RunRates) => void] {
  const [rates, setRates] = useState<{ readonly id: string; readonly rates: RunRates | null }>(() => ({ id: workspaceId, rates: storedRates(localStorage, workspaceId) }));
  const current = rates.id === workspaceId ? rates.rates : storedRates(localStorage, workspaceId);
  const keep = (next: RunRates) => {
    storeRates(localStorage, workspaceId, next);
    setRates({ id: workspaceId, rates: next });
  };
  return [current, keep] as const;
}

/** A team workspace's rates: what the desk holds, and an import of an ECB file or a date,base,quote,rate table. */
export function FxRates({ rates, keep }: { readonly rates: RunRates | null; readonly keep: (next: RunRates) => void }) {
  const { t } = useTranslation(SETTLEMENT_NS);
  const { text: message, say } = useSaid(t);
  const [refused, setRefused] = useState<readonly (Rejection & { readonly file: string })[]>([]);
  const summary = rates === null ? null : ratesSummary(rates);

  const importFiles = async () => {
    say(null);
    try {
      const files = await currentHost().openFiles({ title: t('fx.import'), filters: [{ name: t('fx.files'), extensions: ['csv', 'txt'] }], multiple: true });
      let next = rates;
      let replaced = 0;
      const refusedRows: (Rejection & { readonly file: string })[] = [];
      for (const file of files) {
        const read = readRateFile(file.name, new TextDecoder().decode(file.bytes));
        const merged = mergeRates(next, read.rates);
        next = merged.rates;
        replaced += merged.replaced;
        refusedRows.push(...read.refused.map((each) => ({ ...each, file: file.name })));
      }
      setRefused(refusedRows);
      if (next === null || files.length === 0) return;
      keep(next);
      say('fx.imported', { files: files.length, refused: refusedRows.length, replaced });
    } catch (failure) {
      say('fx.failed', { message: failure instanceof Error ? failure.message : String(failure) });
    }
  };

  return (
    <section aria-labelledby="fx-rates-title" className="sd-toolbar" data-testid="fx-rates">
      <h2 id="fx-rates-title" className="sd-hint">{t('fx.title')}</h2>
      <span data-testid="fx-summary">
        {summary === null || rates === null ? t('fx.none') : t('fx.summary', { source: rates.source, base: rates.base, dates: summary.dates, first: summary.first, last: summary.last, currencies: summary.currencies.join(', ') })}
      </span>
      <button type="button" onClick={() => void importFiles()} data-testid="import-fx">{t('fx.import')}</button>
      <span role="status" aria-live="polite">{message}</span>
      {refused.length === 0 ? null : (
        <ul className="sd-hint" data-testid="fx-refused">
          {refused.slice(0, 20).map((each) => (
            <li key={`${each.file}:${each.line}:${each.column ?? ''}`}>{t('fx.refusedRow', { file: each.file, line: each.line, reason: each.reason })}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
