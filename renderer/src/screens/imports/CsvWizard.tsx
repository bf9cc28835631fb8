import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DATE_FORMATS } from '../../../../core/importers/csv-dates.ts';
import type { CsvProfileInput } from '../../../../core/importers/csv-profile.ts';
import { AMOUNT_FORMATS, type AmountFormatName } from '../../../../core/money/parse.ts';
import { TRANSACTION_KINDS } from '../../../../core/transactions/schema.ts';
import type { CsvPreview, FileInput } from '../../../engine/protocol.ts';
import { useWorkspaceData } from '../../app/workspace-data.tsx';
import { emptyDraft, profileOf, profileProblems, type ProfileDraft } from './profile-draft.ts';
import { fileRefusal, rejectionReason } from './reason-text.ts';

const AMOUNT_FORMAT_NAMES = Object.keys(AMOUNT_FORMATS) as AmountFormatName[];
const AMOUNT_FORMAT_SAMPLES: Readonly<Record<AmountFormatName, string>> = { plain: '1234.56', en: '1,234.56', de: '1.234,56', fr: '1 234,56', ch: "1'234.56", 'plain-comma': '1234,56' };
const PREVIEW_DELAY_MS = 150;

function Select({ label, value, options, onChange, testId }: { readonly label: string; readonly value: string; readonly options: readonly (readonly [string, string])[]; readonly onChange: (value: string) => void; readonly testId?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A group of related choices; its first control carries the group's visible label. */
function Choice({ legend, children }: { readonly legend: string; readonly children: ReactNode }) {
  return (
    <div className="choice-group" role="group" aria-label={legend}>
      {children}
    </div>
  );
}

/** The mapping wizard for a CSV no importer knows: name its columns, see the first rows as parsed, save the profile. */
export function CsvWizard({ file, onSaved, onCancel }: { readonly file: FileInput; readonly onSaved: (profile: CsvProfileInput) => void; readonly onCancel: () => void }) {
  const { t } = useTranslation();
  const { previewCsv } = useWorkspaceData();
  const [draft, setDraft] = useState<ProfileDraft>(() => emptyDraft(file.name));
  const [raw, setRaw] = useState<CsvPreview | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const nameId = useId();
  const headingId = useId();

  useEffect(() => {
    void previewCsv(file, null).then(setRaw);
  }, [file, previewCsv]);

  const header = useMemo(() => raw?.rows[raw.headerIndex] ?? [], [raw]);
  const body = useMemo(() => raw?.rows.slice((raw?.headerIndex ?? 0) + 1) ?? [], [raw]);
  const kindCells = useMemo(() => {
    const index = header.indexOf(draft.kindColumn);
    return index < 0 ? [] : body.map((row) => row[index] ?? '');
  }, [header, body, draft.kindColumn]);
  const profile = useMemo(() => profileOf(draft, kindCells), [draft, kindCells]);

  useEffect(() => {
    const timer = setTimeout(() => void previewCsv(file, profile).then(setPreview), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [file, profile, previewCsv]);

  const set = <K extends keyof ProfileDraft>(key: K) => (value: ProfileDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const columnOptions = (optional: boolean): (readonly [string, string])[] => [...(optional ? [['', t('wizard.notMapped')] as const] : [['', '—'] as const]), ...header.map((name) => [name, name] as const)];
  // The profile's own problems said here in the desk's language; the preview's (the file read with it) after them.
  const ownProblems = useMemo(() => profileProblems(profile, t), [profile, t]);
  const refused = fileRefusal(preview?.refusal, t);
  const problems = ownProblems.length > 0 ? ownProblems : refused !== null ? [refused] : (preview?.profileProblems ?? []);
  const ready = preview !== null && problems.length === 0;

  return (
    <section className="card wizard" aria-labelledby={headingId} data-testid="csv-wizard">
      <h2 id={headingId}>{t('wizard.title', { file: file.name })}</h2>
      {raw !== null && raw.rows.length === 0 && <p role="alert">{t('wizard.headerNotFound')}</p>}
      <div className="form-grid">
        <div className="field">
          <label htmlFor={nameId}>{t('wizard.profileName')}</label>
          <input id={nameId} value={draft.name} onChange={(e) => set('name')(e.target.value)} />
        </div>
        <Select label={t('wizard.dateColumn')} value={draft.dateColumn} options={columnOptions(false)} onChange={set('dateColumn')} testId="wizard-date-column" />
        <Select label={t('wizard.dateFormat')} value={draft.dateFormat} options={DATE_FORMATS.map((f) => [f, f] as const)} onChange={(v) => set('dateFormat')(v as ProfileDraft['dateFormat'])} testId="wizard-date-format" />
        <Select label={t('wizard.amountFormat')} value={draft.amountFormat} options={AMOUNT_FORMAT_NAMES.map((f) => [f, AMOUNT_FORMAT_SAMPLES[f]] as const)} onChange={(v) => set('amountFormat')(v as AmountFormatName)} testId="wizard-amount-format" />
        <Select label={t('wizard.descriptionColumn')} value={draft.descriptionColumn} options={columnOptions(true)} onChange={set('descriptionColumn')} />
      </div>
      <div className="choice-groups">
        <Choice legend={t('wizard.signConvention')}>
          <Select label={t('wizard.signConvention')} value={draft.sign} options={[['signed', t('wizard.signSigned')], ['debit-credit', t('wizard.signDebitCredit')]]} onChange={(v) => set('sign')(v as ProfileDraft['sign'])} />
          {draft.sign === 'signed' ? (
            <>
              <Select label={t('wizard.amountColumn')} value={draft.amountColumn} options={columnOptions(false)} onChange={set('amountColumn')} testId="wizard-amount-column" />
              <label className="choice">
                <input type="checkbox" checked={draft.negate} onChange={(e) => set('negate')(e.target.checked)} /> {t('wizard.negate')}
              </label>
            </>
          ) : (
            <>
              <Select label={t('wizard.debitColumn')} value={draft.debitColumn} options={columnOptions(false)} onChange={set('debitColumn')} />
              <Select label={t('wizard.creditColumn')} value={draft.creditColumn} options={columnOptions(false)} onChange={set('creditColumn')} />
            </>
          )}
        </Choice>
        <Choice legend={t('wizard.currencyMode')}>
          <Select label={t('wizard.currencyMode')} value={draft.currency} options={[['column', t('wizard.currencyColumn')], ['fixed', t('wizard.currencyFixed')]]} onChange={(v) => set('currency')(v as ProfileDraft['currency'])} />
          {draft.currency === 'column' ? (
            <Select label={t('wizard.currencyColumnName')} value={draft.currencyColumn} options={columnOptions(false)} onChange={set('currencyColumn')} testId="wizard-currency-column" />
          ) : (
            <CurrencyInput value={draft.currencyCode} onChange={set('currencyCode')} label={t('wizard.currencyCode')} />
          )}
        </Choice>
        <Choice legend={t('wizard.kind')}>
          <Select label={t('wizard.kind')} value={draft.kind} options={[['fixed', t('wizard.currencyFixed')], ['column', t('wizard.currencyColumn')]]} onChange={(v) => set('kind')(v as ProfileDraft['kind'])} testId="wizard-kind-mode" />
          {draft.kind === 'column' ? (
            <>
              <Select label={t('transactions.kind')} value={draft.kindColumn} options={columnOptions(false)} onChange={set('kindColumn')} testId="wizard-kind-column" />
              <p className="muted" data-testid="wizard-kind-values">
                {Object.entries(profile.kind && 'values' in profile.kind ? profile.kind.values : {})
                  .map(([cell, kind]) => `${cell} → ${t(`kind.${kind}`)}`)
                  .join(', ')}
              </p>
            </>
          ) : (
            <Select label={t('transactions.kind')} value={draft.kindFixed} options={TRANSACTION_KINDS.map((k) => [k, t(`kind.${k}`)] as const)} onChange={(v) => set('kindFixed')(v as ProfileDraft['kindFixed'])} />
          )}
        </Choice>
        <Choice legend={t('wizard.idPolicy')}>
          <Select label={t('wizard.idPolicy')} value={draft.id} options={[['fingerprint', t('wizard.idFingerprint')], ['reference', t('wizard.idReference')]]} onChange={(v) => set('id')(v as ProfileDraft['id'])} testId="wizard-id-policy" />
          {draft.id === 'reference' && <Select label={t('wizard.referenceColumn')} value={draft.referenceColumn} options={columnOptions(false)} onChange={set('referenceColumn')} testId="wizard-reference-column" />}
        </Choice>
      </div>

      <h3>{t('wizard.preview')}</h3>
      {raw !== null && raw.rows.length > 0 && (
        <div className="table-scroll">
          <table className="plain preview" data-testid="wizard-raw">
            <caption>{t('wizard.previewRaw', { file: file.name })}</caption>
            <thead>
              <tr>
                {header.map((name, index) => (
                  <th key={index} scope="col">
                    {name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {body.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) => (
                    <td key={c}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {problems.length > 0 ? (
        <p className="muted" data-testid="wizard-problems">
          {t('wizard.invalid', { issues: problems.join('; ') })}
        </p>
      ) : (
        preview !== null && (
          <div className="table-scroll">
            <table className="plain preview" data-testid="wizard-parsed">
              <caption>{t('wizard.previewParsed')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('imports.line')}</th>
                  <th scope="col">{t('wizard.previewStatus')}</th>
                  <th scope="col">{t('transactions.date')}</th>
                  <th scope="col">{t('transactions.kind')}</th>
                  <th scope="col" className="num">
                    {t('money.amount')}
                  </th>
                  <th scope="col">{t('money.currency')}</th>
                  <th scope="col">{t('transactions.reference')}</th>
                  <th scope="col">{t('transactions.description')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.parsed.map((row) =>
                  row.ok ? (
                    <tr key={row.line}>
                      <td>{row.line}</td>
                      <td className="ok">{t('wizard.previewOk')}</td>
                      <td>{row.date}</td>
                      <td>{t(`kind.${row.kind}`)}</td>
                      <td className="num">{row.amount}</td>
                      <td>{row.currency}</td>
                      <td>{row.reference}</td>
                      <td>{row.description}</td>
                    </tr>
                  ) : (
                    <tr key={row.line} className="rejected">
                      <td>{row.line}</td>
                      {/* The reason beside it says what is wrong; the code stays reachable for support. */}
                      <td title={row.code}>{t('wizard.previewRejected')}</td>
                      <td colSpan={6}>{rejectionReason(row, t)}</td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </div>
        )
      )}
      <div className="toolbar">
        <button type="button" className="primary" disabled={!ready} onClick={() => onSaved(profile)} data-testid="wizard-save">
          {t('wizard.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('wizard.cancel')}
        </button>
      </div>
    </section>
  );
}

function CurrencyInput({ value, onChange, label }: { readonly value: string; readonly onChange: (value: string) => void; readonly label: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} value={value} maxLength={3} size={5} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
