import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgreementVersion } from '../../../../core/settlement/agreement.ts';
import { controlId, Field, ShareFields } from './AgreementFields.tsx';
import { nextVersionDraft, withValue, type Draft, type FieldKey } from './draft.ts';
import { useFieldLabel } from './field-label.ts';
import { SECTIONS, SHARE_PATH } from './fields.ts';
import { PARTNERS_NS } from './texts.ts';
import { saveFailureText, validateDraft, type FieldErrors } from './validate.ts';
import { diffVersions, type AgreementHistory } from './versions.ts';
import { VersionHistory } from './VersionHistory.tsx';

export interface AgreementEditorProps {
  readonly history: AgreementHistory;
  /** The date the version history marks each version on (in force, scheduled, superseded). */
  readonly asOf: string;
  /** Adds the draft as a new version (the desk's addAgreementVersion); rejects with the reason. */
  readonly save: (agreement: AgreementVersion) => Promise<void>;
  readonly close: () => void;
  /** The preview panel for the draft as it is now (null while the draft is invalid). */
  readonly renderPreview: (edited: AgreementVersion | null) => ReactNode;
}

/** Focuses a field from the error summary, opening its section first. */
function focusField(key: FieldKey): void {
  const element = document.getElementById(controlId(key)) ?? document.querySelector<HTMLElement>(`[data-field="${CSS.escape(key)}"] input, [data-field="${CSS.escape(key)}"] select`);
  if (element === null) return;
  const section = element.closest('details');
  if (section !== null) section.open = true;
  element.focus();
}

function ErrorSummary({ errors }: { readonly errors: FieldErrors }) {
  const { t } = useTranslation(PARTNERS_NS);
  const labelOf = useFieldLabel();
  const entries = [...errors.entries()];
  if (entries.length === 0) return null;
  return (
    <nav className="pf-summary" aria-label={t('editor.errorSummary')} data-testid="error-summary">
      <p>{t('editor.errorSummary')}</p>
      <ul>
        {entries.flatMap(([key, list]) =>
          list.map((error, index) => (
            <li key={`${key}#${index}`}>
              <button type="button" className="pf-link" onClick={() => focusField(key)}>
                {labelOf(key)}
              </button>
              : {t(`errors.${error.code}`, error.values)}
            </li>
          )),
        )}
      </ul>
    </nav>
  );
}

/**
 * The agreement editor: a draft of the next version over the highest one, every option of the
 * schema as a field, core's validation at each field, save as a new immutable version, the
 * version history with diffs, and the preview on the last period.
 */
export function AgreementEditor({ history, asOf, save, close, renderPreview }: AgreementEditorProps) {
  const { t } = useTranslation(PARTNERS_NS);
  // The draft continues the highest version (even a scheduled one): versions form one line.
  const current = history.latest.agreement;
  const versionMax = history.versions.reduce((max, each) => Math.max(max, each.agreement.version), 0);
  const [draft, setDraft] = useState<Draft>(() => nextVersionDraft(current, versionMax));
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const validation = useMemo(() => validateDraft(draft), [draft]);
  const changes = useMemo(() => diffVersions(current, draft), [current, draft]);
  const set = (key: FieldKey, value: unknown) => {
    setFailure(null);
    setDraft((before) => withValue(before, key, value));
  };
  const fieldsOf = { draft, errors: validation.errors, set };

  const onSave = async () => {
    if (!validation.ok || changes.length === 0) return;
    setSaving(true);
    try {
      await save(validation.agreement);
    } catch (error) {
      setFailure(t('editor.saveFailed', { message: saveFailureText(error, t) }));
      setSaving(false);
    }
  };

  return (
    <div className="pf-editor" data-testid="agreement-editor">
      <div className="pf-editor-head">
        <h2>{t('editor.heading', { id: current.agreementId, version: draft.version })}</h2>
        <div className="pf-actions">
          <button type="button" onClick={() => setDraft(nextVersionDraft(current, versionMax))} disabled={changes.length === 0}>{t('editor.reset', { version: current.version })}</button>
          <button type="button" className="sd-primary" data-testid="save-version" disabled={!validation.ok || changes.length === 0 || saving} onClick={() => void onSave()}>
            {saving ? t('editor.saving') : t('editor.save', { version: draft.version })}
          </button>
          <button type="button" onClick={close}>{t('editor.close')}</button>
        </div>
      </div>
      <p role="status" aria-live="polite" className={validation.ok ? 'sd-hint' : 'sd-error'} data-testid="editor-status">
        {failure ?? (validation.ok ? (changes.length === 0 ? t('editor.unchanged', { version: current.version }) : t('editor.valid')) : t('editor.invalid', { count: [...validation.errors.values()].reduce((n, list) => n + list.length, 0) }))}
      </p>
      <ErrorSummary errors={validation.errors} />
      <div className="pf-columns">
        <form className="pf-form" onSubmit={(event) => event.preventDefault()} aria-label={t('editor.heading', { id: current.agreementId, version: draft.version })}>
          <Section id="general" draft={fieldsOf} open />
          <details open className="pf-section">
            <summary>{t('sections.share')}</summary>
            <ShareFields prefix={SHARE_PATH} {...fieldsOf} />
          </details>
          {SECTIONS.filter((section) => section.id !== 'general').map((section) => (
            <Section key={section.id} id={section.id} draft={fieldsOf} open={false} />
          ))}
        </form>
        <div className="pf-side">
          {renderPreview(validation.ok ? validation.agreement : null)}
          <VersionHistory history={history} asOf={asOf} draft={draft} draftChanges={changes} />
        </div>
      </div>
    </div>
  );
}

function Section({ id, draft, open }: { readonly id: string; readonly draft: { readonly draft: Draft; readonly errors: FieldErrors; readonly set: (key: FieldKey, value: unknown) => void }; readonly open: boolean }) {
  const { t } = useTranslation(PARTNERS_NS);
  const section = SECTIONS.find((each) => each.id === id);
  if (section === undefined) return null;
  const hasErrors = section.fields.some((field) => [...draft.errors.keys()].some((key) => key === field.path || key.startsWith(`${field.path}.`)));
  return (
    <details open={open || hasErrors} className="pf-section" data-section={id}>
      <summary>{t(`sections.${id}`)}</summary>
      <div className={id === 'revenueBase' ? 'pf-grid-fields' : 'pf-fields'}>
        {section.fields.map((spec) => <Field key={spec.id} spec={spec} at={spec.path} {...draft} />)}
      </div>
    </details>
  );
}
