import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DEMO_DEFAULTS } from '../../core/demo/generate.ts';
import { demoWorkspace, newWorkspace, type NewWorkspaceProblem, type Workspace } from './workspace.ts';

/** First start: the demo month at once, or a new workspace with the team's server or local only. */
export function FirstStart({ onOpen, newId }: { readonly onOpen: (workspace: Workspace) => void; readonly newId: () => string }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'server' | 'local'>('server');
  const [serverUrl, setServerUrl] = useState('');
  const [problems, setProblems] = useState<readonly NewWorkspaceProblem[]>([]);
  const ids = { name: useId(), url: useId(), nameError: useId(), urlError: useId() };

  const create = (event: FormEvent) => {
    event.preventDefault();
    const result = newWorkspace({ name, mode, serverUrl }, newId(), new Date());
    if ('problems' in result) setProblems(result.problems);
    else onOpen(result.workspace);
  };
  const openDemo = () => onOpen(demoWorkspace(newId(), new Date(), DEMO_DEFAULTS.month));

  return (
    <main id="main" className="first-start">
      <h1>{t('workspace.welcomeTitle')}</h1>
      <p>{t('workspace.welcomeBody')}</p>
      <section className="card" aria-labelledby={`${ids.name}-demo`}>
        <h2 id={`${ids.name}-demo`}>
          {t('header.demo')} · {DEMO_DEFAULTS.month}
        </h2>
        <p className="muted">{t('workspace.demoExplained', { month: DEMO_DEFAULTS.month })}</p>
        <button type="button" className="primary" onClick={openDemo} data-testid="open-demo">
          {t('workspace.openDemo')}
        </button>
      </section>
      <section className="card" aria-labelledby={`${ids.name}-new`}>
        <h2 id={`${ids.name}-new`}>{t('workspace.newTitle')}</h2>
        <form onSubmit={create} noValidate>
          <div className="field">
            <label htmlFor={ids.name}>{t('workspace.name')}</label>
            <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} aria-invalid={problems.includes('name')} aria-describedby={problems.includes('name') ? ids.nameError : undefined} />
            {problems.includes('name') && (
              <span id={ids.nameError} className="field-error">
                {t('workspace.errorName')}
              </span>
            )}
          </div>
          <fieldset className="field">
            <legend>{t('workspace.mode')}</legend>
            <label className="choice">
              <input type="radio" name="mode" checked={mode === 'server'} onChange={() => setMode('server')} /> {t('workspace.modeServer')}
            </label>
            <label className="choice">
              <input type="radio" name="mode" checked={mode === 'local'} onChange={() => setMode('local')} /> {t('workspace.modeLocal')}
            </label>
          </fieldset>
          {mode === 'server' && (
            <div className="field">
              <label htmlFor={ids.url}>{t('workspace.serverUrl')}</label>
              <input id={ids.url} type="url" inputMode="url" placeholder="https://settle.example.com" value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} aria-invalid={problems.includes('url')} aria-describedby={problems.includes('url') ? ids.urlError : undefined} />
              {problems.includes('url') && (
                <span id={ids.urlError} className="field-error">
                  {t('workspace.errorUrl')}
                </span>
              )}
            </div>
          )}
          <button type="submit">{t('workspace.create')}</button>
        </form>
      </section>
    </main>
  );
}
