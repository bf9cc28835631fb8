import { createContext, useContext } from 'react';
import type { DisplayFormat } from '../../i18n/format.ts';
import type { Workspace } from '../../workspace/workspace.ts';

/**
 * What every screen can reach: the open workspace, display preferences, and connectivity.
 * Screens read it with useDesk(); only the shell (App.tsx) provides it.
 */
export interface DeskSession {
  readonly workspace: Workspace;
  readonly removeWorkspace: () => void;
  /** Saves a changed workspace record (a new server URL). */
  readonly updateWorkspace: (next: Workspace) => void;
  readonly display: DisplayFormat;
  readonly setDisplay: (next: Partial<DisplayFormat>) => void;
  /** The browser's network state (navigator.onLine and its events). */
  readonly online: boolean;
  /** Local changes not yet pushed; null while the desk database does not track them. */
  readonly pendingChanges: number | null;
}

export const DeskContext = createContext<DeskSession | null>(null);

export function useDesk(): DeskSession {
  const session = useContext(DeskContext);
  if (session === null) throw new Error('useDesk() outside the desk shell: render the screen inside <App>');
  return session;
}
