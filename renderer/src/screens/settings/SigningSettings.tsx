import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSaid } from '../../app/use-said.ts';
import { currentHost } from '../../../host/current.ts';
import { SIGNING_NOT_IN_BROWSER, type SigningCertificate } from '../../../host/host.ts';

type SigningView = { readonly state: 'loading' } | { readonly state: 'browser' } | { readonly state: 'ready'; readonly certificate: SigningCertificate | null } | { readonly state: 'failed'; readonly message: string };

const isBrowserRefusal = (error: unknown): boolean => (error as Error).message.startsWith(SIGNING_NOT_IN_BROWSER);

/**
 * The organization's signing certificate. The host asks for the PKCS#12 in its own dialog and
 * keeps it; the passphrase goes in once and is never read back. The browser holds no keys, so
 * there the section says where signing happens instead.
 */
export function SigningSettings() {
  const { t } = useTranslation();
  const [view, setView] = useState<SigningView>({ state: 'loading' });
  const [passphrase, setPassphrase] = useState('');
  const { text: message, say } = useSaid(t);
  const ids = { heading: useId(), passphrase: useId() };

  useEffect(() => {
    let live = true;
    currentHost()
      .signingStatus()
      .then((status) => live && setView({ state: 'ready', certificate: status.certificate }))
      .catch((error: unknown) => live && setView(isBrowserRefusal(error) ? { state: 'browser' } : { state: 'failed', message: (error as Error).message }));
    return () => {
      live = false;
    };
  }, []);

  const importCertificate = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const result = await currentHost().importSigningCertificate(passphrase);
      setPassphrase('');
      if (result.imported) {
        setView({ state: 'ready', certificate: result.certificate });
        say('signing.imported');
      } else say('signing.cancelled');
    } catch (error) {
      say('signing.importFailed', { message: (error as Error).message });
    }
  };

  return (
    <section className="card" aria-labelledby={ids.heading} data-testid="signing-settings">
      <h2 id={ids.heading}>{t('signing.title')}</h2>
      {view.state === 'loading' && <p className="muted">{t('signing.loading')}</p>}
      {view.state === 'browser' && <p className="muted">{t('signing.browser')}</p>}
      {view.state === 'failed' && <p role="alert">{t('signing.importFailed', { message: view.message })}</p>}
      {view.state === 'ready' && (
        <>
          {view.certificate === null ? (
            <p>{t('signing.none')}</p>
          ) : (
            <dl className="sd-kv">
              <dt>{t('signing.subject')}</dt>
              <dd>
                {view.certificate.subject} {view.certificate.development && <span className="badge badge-demo">{t('signing.development')}</span>}
              </dd>
              <dt>{t('signing.organization')}</dt>
              <dd>{view.certificate.organization}</dd>
              <dt>{t('signing.fingerprint')}</dt>
              <dd>
                <code>{view.certificate.fingerprint256}</code>
              </dd>
              <dt>{t('signing.validTo')}</dt>
              <dd>{view.certificate.validTo}</dd>
            </dl>
          )}
          <form onSubmit={(e) => void importCertificate(e)} className="toolbar">
            <div className="field">
              <label htmlFor={ids.passphrase}>{t('signing.passphrase')}</label>
              <input id={ids.passphrase} type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
            </div>
            <div className="field">
              <button type="submit" disabled={passphrase.length === 0}>
                {view.certificate === null ? t('signing.import') : t('signing.replace')}
              </button>
            </div>
          </form>
        </>
      )}
      {message !== '' && <p role="status">{message}</p>}
    </section>
  );
}
