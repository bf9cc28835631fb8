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
import { closeDesk, deskFor } from './app/desk-session.ts';
import type { Desk, SyncState } from '../desk/desk.ts';
import { useSignedInUser } from './screens/settings/ServerSettings.tsx';

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

interface DeskDatabase {
  readonly opening: boolean;
  readonly desk: Desk | null;
  readonly error: string | null;
  readonly sync: SyncState | null;
}

/** The workspace's desk database and its sync state; when it cannot open, the desk works in memory and says why. */
function useDeskDatabase(workspace: Workspace | null): DeskDatabase {
  // Signing in to the workspace's server opens that user's desk: documents name who wrote them.
  const user = useSignedInUser(workspace?.serverUrl ?? null)?.username ?? null;
  const [state, setState] = useState<DeskDatabase & { readonly workspace: Workspace | null; readonly user: string | null }>({ opening: true, desk: null, error: null, sync: null, workspace: null, user: null });
  useEffect(() => {
    if (workspace === null) return;
    let live = true;
    let unsubscribe = () => {};
    deskFor(workspace, user)
      .then((desk) => {
        if (!live) return;
        setState({ opening: false, desk, error: null, sync: null, workspace, user });
        const subscription = desk.sync$.subscribe((sync) => live && setState((s) => ({ ...s, sync })));
        unsubscribe = () => subscription.unsubscribe();
      })
      .catch((error: Error) => live && setState({ opening: false, desk: null, error: error.message, sync: null, workspace, user }));
    return () => {
      live = false;
      unsubscribe();
    };
  }, [workspace, user]);
  // A desk opened for another workspace or user is not shown for a moment after a sign-in or
  // sign-out: the render that sees the change already says it is opening (the screens under it,
  // a half-typed sign-in form among them, would otherwise show once more and then be replaced).
  return state.workspace === workspace && state.user === user ? state : OPENING;
}

const OPENING: DeskDatabase = { opening: true, desk: null, error: null, sync: null };

/** The desk: first start until a workspace is open, then the shell around the screens. */
export function App() {
  const [display, setDisplayState] = useState<DisplayFormat>(() => loadDisplay(localStorage, navigator.languages));
  const [workspace, setWorkspace] = useState<Workspace | null>(() => loadWorkspace(localStorage));
  const online = useOnline();
  const [engine] = useState<EngineClient>(() => startEngine());
  const desk = useDeskDatabase(workspace);

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
    if (workspace !== null) void closeDesk(workspace);
    forgetWorkspace(localStorage);
    setWorkspace(null);
  }, [workspace]);

  const session = useMemo<DeskSession | null>(
    () => {
      if (workspace === null) return null;
      const local = workspace.serverUrl === null;
      const reachable = online && (desk.sync === null || desk.sync.server !== 'offline');
      return {
        workspace,
        removeWorkspace,
        updateWorkspace,
        display,
        setDisplay,
        online: reachable,
        pendingChanges: local || desk.sync === null ? null : desk.sync.pending,
        conflicts: desk.sync?.conflicts.length ?? 0,
        desk: desk.desk,
        deskError: desk.error,
      };
    },
    [workspace, removeWorkspace, updateWorkspace, display, setDisplay, online, desk],
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
          {desk.opening ? (
            <p className="muted">{i18next.t('app.loading')}</p>
          ) : (
            <WorkspaceDataProvider key={session.workspace.id} workspace={session.workspace} engine={engine} desk={desk.desk}>
              <Shell />
            </WorkspaceDataProvider>
          )}
        </DeskContext.Provider>
      )}
    </I18nextProvider>
  );
}
