import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PARTNER_ACCESS_NS } from './texts.ts';

/**
 * A secret shown once (an API key, a webhook's signing secret, a portal user's new password): shown with a copy
 * button and a warning, and forgotten when the admin says it is stored or leaves the screen.
 */
export function SecretOnce({ heading, secret, onDone, warning }: { readonly heading: string; readonly secret: string; readonly onDone: () => void; readonly warning?: string }) {
  const { t } = useTranslation(PARTNER_ACCESS_NS);
  const ids = { heading: useId(), warning: useId(), value: useId() };
  const [copied, setCopied] = useState<boolean | null>(null);
  const field = useRef<HTMLInputElement>(null);
  // Focus goes to the secret, so a keyboard user lands on it and a screen reader reads the warning.
  useEffect(() => field.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      field.current?.select();
      setCopied(false);
    }
  };

  return (
    <div className="pa-secret" role="group" aria-labelledby={ids.heading} aria-describedby={ids.warning} data-testid="secret-once">
      <h3 id={ids.heading}>{heading}</h3>
      <p id={ids.warning} className="pa-warning">
        {warning ?? t('secret.warning')}
      </p>
      <div className="toolbar">
        <div className="field pa-secret-field">
          <label htmlFor={ids.value}>{t('secret.value')}</label>
          <input id={ids.value} ref={field} readOnly value={secret} spellCheck={false} onFocus={(event) => event.target.select()} data-testid="secret-value" />
        </div>
        <div className="field">
          <button type="button" className="primary" onClick={() => void copy()}>
            {t('secret.copy')}
          </button>
        </div>
        <div className="field">
          <button type="button" onClick={onDone} data-testid="secret-done">
            {t('secret.done')}
          </button>
        </div>
      </div>
      <p role="status">{copied === null ? '' : copied ? t('secret.copied') : t('secret.copyRefused')}</p>
    </div>
  );
}
