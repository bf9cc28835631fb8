import { openDesk, type Desk } from '../../desk/desk.ts';
import { currentHost } from '../../host/current.ts';
import type { Workspace } from '../../workspace/workspace.ts';

/**
 * One desk database per workspace, opened once per page (React's strict mode mounts effects
 * twice; RxDB refuses a second open of the same database while the first is still open).
 */
const opened = new Map<string, Promise<Desk>>();

/** The user every document names until someone signs in to a server. */
export const LOCAL_USER = 'analyst';

export function deskNameOf(workspace: Workspace): string {
  return `settledesk-${workspace.id}`;
}

export function deskFor(workspace: Workspace): Promise<Desk> {
  const name = deskNameOf(workspace);
  let desk = opened.get(name);
  if (desk === undefined) {
    const sync = workspace.serverUrl === null ? null : { baseUrl: workspace.serverUrl, token: () => currentHost().serverToken() };
    desk = openDesk({ name, userId: LOCAL_USER, sync });
    opened.set(name, desk);
    desk.catch(() => opened.delete(name));
  }
  return desk;
}

/** Closes a workspace's desk (when the workspace is removed). */
export async function closeDesk(workspace: Workspace): Promise<void> {
  const name = deskNameOf(workspace);
  const desk = opened.get(name);
  opened.delete(name);
  if (desk !== undefined) await (await desk).close();
}
