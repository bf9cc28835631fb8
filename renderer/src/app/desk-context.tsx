import { createContext, useContext } from 'react';
import type { DisplayFormat } from '../../i18n/format.ts';
import type { Desk } from '../../desk/desk.ts';
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
  /** The browser's network state, and for a server workspace whether the desk's last request reached the server. */
  readonly online: boolean;
  /** Local changes not yet pushed; null for a local-only workspace or while the desk database is not open. */
  readonly pendingChanges: number | null;
  /** Changes two desks made differently, waiting for a person (from the desk's sync state). */
  readonly conflicts: number;
  /** The desk database (renderer/desk); null while it opens or when it could not be opened. */
  readonly desk: Desk | null;
  /** Why the desk database could not be opened, if it could not. */
  readonly deskError: string | null;
}

export const DeskContext = createContext<DeskSession | null>(null);

export function useDesk(): DeskSession {
  const session = useContext(DeskContext);
  if (session === null) throw new Error('useDesk() outside the desk shell: render the screen inside <App>');
  return session;
}
