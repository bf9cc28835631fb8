import { useId, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { PARTNER_ACCESS_NS } from './texts.ts';
import type { FieldProblem } from './view.ts';

/** A labelled input with its hint and its problem, both tied to it for screen readers. */
export function FormField({ label, hint, problem, ...input }: { readonly label: string; readonly hint?: string; readonly problem: FieldProblem | undefined } & InputHTMLAttributes<HTMLInputElement>) {
  const { t } = useTranslation(PARTNER_ACCESS_NS);
  const ids = { input: useId(), hint: useId(), problem: useId() };
  const described = [hint === undefined ? null : ids.hint, problem === undefined ? null : ids.problem].filter((id) => id !== null).join(' ');
  return (
    <div className="field">
      <label htmlFor={ids.input}>{label}</label>
      <input id={ids.input} aria-invalid={problem !== undefined} aria-describedby={described === '' ? undefined : described} {...input} />
      {hint !== undefined && (
        <span id={ids.hint} className="caption">
          {hint}
        </span>
      )}
      {problem !== undefined && (
        <span id={ids.problem} className="field-error">
          {t(`problems.${problem}`)}
        </span>
      )}
    </div>
  );
}
