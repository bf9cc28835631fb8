import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PASSWORD_CHARS_MIN } from '../partner-access/view.ts';
import { passwordFormProblem, type PasswordForm } from './password-form.ts';
import { serverSession, SignInError } from './sign-in.ts';
import { PASSWORD_NS, registerPasswordTexts } from './texts.ts';

registerPasswordTexts();

const EMPTY: PasswordForm = { current: '', next: '', repeated: '' };

/**
 * Setting one's own password on the sync server. Open from the start when the server requires it
 * (a sign-in with an admin's one-time password), otherwise behind a button.
 */
export function ChangePassword({ serverUrl, required }: { readonly serverUrl: string; readonly required: boolean }) {
  const { t } = useTranslation(PASSWORD_NS);
  const [opened, setOpened] = useState(false);
  const [form, setForm] = useState<PasswordForm>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const ids = { heading: useId(), current: useId(), next: useId(), repeated: useId(), rule: useId(), error: useId() };
  const open = required || opened;

  useEffect(() => {
    // Opened by its button: the first field takes the focus (keyboard users land in the form).
    if (opened) first.current?.focus();
  }, [opened]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = passwordFormProblem(form);
    if (problem !== null) return setError(t(problem, { min: PASSWORD_CHARS_MIN }));
    setBusy(true);
    setError(null);
    try {
      await serverSession().changePassword(serverUrl, form.current, form.next);
      setForm(EMPTY);
      setOpened(false);
      setDone(true);
    } catch (failure) {
      const code = failure instanceof SignInError ? failure.code : null;
      setError(code === 'password_wrong' ? t('wrong') : code === 'rate_limited' ? t('rateLimited') : t('failed', { message: (failure as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <>
        <p>
          <button type="button" aria-expanded={false} onClick={() => {
            setOpened(true);
            setDone(false);
          }} data-testid="change-password-open">
            {t('open')}
          </button>
        </p>
        {done && (
          <p role="status" data-testid="password-changed">
            {t('changed')}
          </p>
        )}
      </>
    );
  }
  const field = (key: keyof PasswordForm, id: string, label: string, autoComplete: string) => {
    // The error, and for the new password the length rule, are read with the field.
    const described = [key === 'next' ? ids.rule : null, error === null ? null : ids.error].filter((each) => each !== null).join(' ');
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          ref={key === 'current' ? first : undefined}
          type="password"
          autoComplete={autoComplete}
          required
          value={form[key]}
          onChange={(event) => setForm({ ...form, [key]: event.target.value })}
          aria-describedby={described === '' ? undefined : described}
        />
      </div>
    );
  };
  const cancel = () => {
    setOpened(false);
    setForm(EMPTY);
    setError(null);
  };
  return (
    <section aria-labelledby={ids.heading} data-testid="change-password">
      <h3 id={ids.heading}>{required ? t('requiredHeading') : t('heading')}</h3>
      {required && <p role="alert">{t('required')}</p>}
      <p id={ids.rule} className="muted">
        {t('rule', { min: PASSWORD_CHARS_MIN })}
      </p>
      <form onSubmit={(event) => void submit(event)} className="toolbar" noValidate>
        {field('current', ids.current, t('current'), 'current-password')}
        {field('next', ids.next, t('next'), 'new-password')}
        {field('repeated', ids.repeated, t('repeat'), 'new-password')}
        <div className="field">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('busy') : t('submit')}
          </button>
        </div>
        {!required && (
          <div className="field">
            <button type="button" onClick={cancel}>
              {t('cancel')}
            </button>
          </div>
        )}
      </form>
      {error !== null && (
        <p id={ids.error} className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
