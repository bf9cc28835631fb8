import { useContext, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DeskContext } from '../app/desk-context.tsx';
import { failureSaid } from '../app/failure-text.ts';
import { sayIn } from '../app/use-said.ts';
import { AUDIT_VALUE_CHARS_MAX } from '../../../core/sync/documents.ts';
import { reasonCountText } from './reason-limit.ts';
import { REVIEW_NS } from './texts.ts';

export interface ReasonDialogProps {
  readonly title: string;
  /** Whether an empty reason is refused (resolve, waive, reject, a manual match). */
  readonly reasonRequired: boolean;
  readonly confirmLabel: string;
  readonly onConfirm: (reason: string) => Promise<void> | void;
  readonly onCancel: () => void;
  readonly children?: ReactNode;
}

/**
 * A modal dialog (native <dialog>: focus stays inside, Escape cancels) that asks why. The reason
 * field has focus on open; Ctrl+Enter confirms from the keyboard. The field holds no more than an
 * audit event's value may (the desk refuses a longer reason), and says its count near that limit.
 */
export function ReasonDialog(props: ReasonDialogProps) {
  const { t } = useTranslation(REVIEW_NS);
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  // Outside the desk shell (a unit's render) counts take the plain English grouping.
  const numberFormat = useContext(DeskContext)?.display.numberFormat ?? 'en';
  const count = reasonCountText(reason.length, t, numberFormat);
  const describedBy = [error === null ? null : `${id}-error`, count === null ? null : `${id}-count`].filter((each) => each !== null).join(' ');

  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);

  const confirm = async () => {
    if (props.reasonRequired && reason.trim() === '') {
      setError(t('common.reasonRequired'));
      return;
    }
    setBusy(true);
    try {
      await props.onConfirm(reason.trim());
    } catch (failure) {
      setError(sayIn(failureSaid(failure), t));
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="sd-dialog" aria-labelledby={`${id}-title`} onCancel={(event) => { event.preventDefault(); props.onCancel(); }}>
      <form method="dialog" onSubmit={(event) => { event.preventDefault(); void confirm(); }}>
        <h2 id={`${id}-title`}>{props.title}</h2>
        {props.children}
        <label htmlFor={`${id}-reason`} className="sd-field">
          <span>{t('common.reason')}{props.reasonRequired ? ' *' : ''}</span>
          <textarea
            id={`${id}-reason`}
            autoFocus
            rows={3}
            maxLength={AUDIT_VALUE_CHARS_MAX}
            value={reason}
            aria-required={props.reasonRequired}
            aria-invalid={error !== null}
            aria-describedby={describedBy === '' ? undefined : describedBy}
            onChange={(event) => { setReason(event.target.value); setError(null); }}
            onKeyDown={(event) => { if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); void confirm(); } }}
          />
        </label>
        {count === null ? null : <p id={`${id}-count`} className="sd-hint" data-testid="reason-count">{count}</p>}
        {error === null ? null : <p id={`${id}-error`} className="sd-error" role="alert">{error}</p>}
        <div className="sd-dialog-actions">
          <button type="button" onClick={props.onCancel}>{t('common.cancel')}</button>
          <button type="submit" className="sd-primary" disabled={busy}>{props.confirmLabel}</button>
        </div>
      </form>
    </dialog>
  );
}
