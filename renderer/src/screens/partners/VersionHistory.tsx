import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../app/use-format.ts';
import type { Draft } from './draft.ts';
import { useFieldLabel } from './field-label.ts';
import { PARTNERS_NS } from './texts.ts';
import { changeText, diffVersions, standingOn, type AgreementHistory, type FieldChange } from './versions.ts';

function ChangesTable({ changes, caption, testId }: { readonly changes: readonly FieldChange[]; readonly caption: string; readonly testId: string }) {
  const { t } = useTranslation(PARTNERS_NS);
  const labelOf = useFieldLabel();
  const format = useFormat();
  const words = { date: format.date, monthDay: format.monthDay, openEnded: t('openEnded'), yes: t('history.yes'), no: t('history.no'), option: (fieldId: string, value: string) => t(`options.${fieldId}.${value}`, { defaultValue: value }) };
  return (
    <table className="sd-table pf-changes" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('history.path')}</th>
          <th scope="col">{t('history.before')}</th>
          <th scope="col">{t('history.after')}</th>
        </tr>
      </thead>
      <tbody>
        {changes.length === 0 ? (
          <tr>
            <td colSpan={3}>{t('history.noChanges')}</td>
          </tr>
        ) : (
          changes.map((change) => (
            <tr key={change.path} data-path={change.path}>
              <td title={change.path}>{labelOf(change.path)}</td>
              <td className="sd-mono">{changeText(change.path, change.before, words) ?? '—'}</td>
              <td className="sd-mono">{changeText(change.path, change.after, words) ?? '—'}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

interface VersionHistoryProps {
  readonly history: AgreementHistory;
  /** Each version is marked as it stands on this date. */
  readonly asOf: string;
  readonly draft: Draft;
  readonly draftChanges: readonly FieldChange[];
}

/** Every version of an agreement (immutable), who saved it, where it stands on a date, and what changed between any two of them. */
export function VersionHistory({ history, asOf, draft, draftChanges }: VersionHistoryProps) {
  const { t } = useTranslation(PARTNERS_NS);
  const format = useFormat();
  const versions = history.versions;
  const fromId = useId();
  const toId = useId();
  const [from, setFrom] = useState<number>(versions.at(-2)?.agreement.version ?? history.latest.agreement.version);
  const [to, setTo] = useState<number>(history.latest.agreement.version);
  const byVersion = useMemo(() => new Map(versions.map((each) => [each.agreement.version, each.agreement])), [versions]);
  const a = byVersion.get(from);
  const b = byVersion.get(to);
  const changes = a === undefined || b === undefined ? [] : diffVersions(a, b);
  return (
    <section className="sd-panel pf-history" data-testid="version-history" aria-labelledby={`${fromId}-title`}>
      <h3 id={`${fromId}-title`}>{t('history.title')}</h3>
      <ol className="pf-versions">
        {versions.map((each) => (
          <li key={each.agreement.version} data-version={each.agreement.version} data-standing={standingOn(history, each.agreement.version, asOf)}>
            <strong>{t('history.version', { version: each.agreement.version })}</strong>{' '}
            <span className="sd-chip">{t(`standing.${standingOn(history, each.agreement.version, asOf)}`)}</span>{' '}
            <span className="sd-hint">
              {each.source === 'desk' ? t('history.by', { source: t('source.desk'), who: each.createdBy ?? '—', at: each.createdAt === null ? '—' : format.date(each.createdAt) }) : t('source.file')} · {format.date(each.agreement.effectiveFrom)} – {each.agreement.effectiveTo === null ? t('openEnded') : format.date(each.agreement.effectiveTo)}
            </span>
          </li>
        ))}
      </ol>
      {versions.length > 1 ? (
        <div className="sd-toolbar">
          <label htmlFor={fromId}>{t('history.before')}</label>
          <select id={fromId} value={from} onChange={(event) => setFrom(Number(event.target.value))}>
            {versions.map((each) => <option key={each.agreement.version} value={each.agreement.version}>{t('history.version', { version: each.agreement.version })}</option>)}
          </select>
          <label htmlFor={toId}>{t('history.after')}</label>
          <select id={toId} value={to} onChange={(event) => setTo(Number(event.target.value))}>
            {versions.map((each) => <option key={each.agreement.version} value={each.agreement.version}>{t('history.version', { version: each.agreement.version })}</option>)}
          </select>
        </div>
      ) : null}
      {versions.length > 1 ? <ChangesTable changes={changes} caption={t('history.compare', { from, to })} testId="version-diff" /> : null}
      <ChangesTable changes={draftChanges} caption={`${t('history.draft')} (${t('history.version', { version: draft.version })}): ${t('history.draftChanges', { version: history.latest.agreement.version })}`} testId="draft-diff" />
    </section>
  );
}
