import { useCallback, useEffect, useMemo, useState } from 'react';
import { startEngine, type EngineClient } from '../engine/client.ts';
import { I18nextProvider } from 'react-i18next';
import type { DisplayFormat } from '../i18n/format.ts';
import { changeLocale, i18next } from '../i18n/index.ts';
import { FirstStart } from '../workspace/FirstStart.tsx';
import { forgetWorkspace, loadWorkspace, saveWorkspace, type Workspace } from '../workspace/workspace.ts';
import { DeskContext, type DeskSession } from './app/desk-context.tsx';
import { loadDisplay, saveDisplay } from './app/preferences.ts';
import { Shell } from './app/Shell.tsx';
import { LanguageSelect } from './app/LanguageSelect.tsx';
import { WorkspaceDataProvider } from './app/workspace-data.tsx';

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** The desk: first start until a workspace is open, then the shell around the screens. */
export function App() {
  const [display, setDisplayState] = useState<DisplayFormat>(() => loadDisplay(localStorage, navigator.languages));
  const [workspace, setWorkspace] = useState<Workspace | null>(() => loadWorkspace(localStorage));
  const online = useOnline();
  const [engine] = useState<EngineClient>(() => startEngine());

  useEffect(() => {
    void changeLocale(display.locale);
  }, [display.locale]);

  const setDisplay = useCallback((next: Partial<DisplayFormat>) => {
    setDisplayState((current) => {
      const merged = { ...current, ...next };
      saveDisplay(localStorage, merged);
      return merged;
    });
  }, []);

  const updateWorkspace = useCallback((next: Workspace) => {
    saveWorkspace(localStorage, next);
    setWorkspace(next);
  }, []);

  const openWorkspace = useCallback((next: Workspace) => {
    updateWorkspace(next);
    window.location.hash = '#/dashboard';
  }, [updateWorkspace]);

  const removeWorkspace = useCallback(() => {
    forgetWorkspace(localStorage);
    setWorkspace(null);
  }, []);

  const session = useMemo<DeskSession | null>(
    () => (workspace === null ? null : { workspace, removeWorkspace, updateWorkspace, display, setDisplay, online, pendingChanges: null }),
    [workspace, removeWorkspace, updateWorkspace, display, setDisplay, online],
  );

  return (
    <I18nextProvider i18n={i18next}>
      {session === null ? (
        <div className="first-start-frame">
          <div className="first-start-language">
            <LanguageSelect value={display.locale} onChange={(locale) => setDisplay({ locale })} label={i18next.t('header.language')} />
          </div>
          <FirstStart onOpen={openWorkspace} newId={() => crypto.randomUUID()} />
        </div>
      ) : (
        <DeskContext.Provider value={session}>
          <WorkspaceDataProvider key={session.workspace.id} workspace={session.workspace} engine={engine}>
            <Shell />
          </WorkspaceDataProvider>
        </DeskContext.Provider>
      )}
    </I18nextProvider>
  );
}
