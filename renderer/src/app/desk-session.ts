import { openDesk, type Desk } from '../../desk/desk.ts';
import type { Workspace } from '../../workspace/workspace.ts';
import { serverSession } from '../screens/settings/sign-in.ts';

/**
 * One desk database per workspace and signed-in user, opened once per page (React's strict mode
 * mounts effects twice; RxDB refuses a second open of the same database while the first is still
 * open). Every document a desk writes names its user, and the server takes only documents that
 * name the signed-in user: so signing in to a server workspace opens that user's desk, after the
 * previous one is closed (RxDB's open-source build allows one full desk per page).
 */
const opened = new Map<string, Promise<Desk>>();

/** The user every document names until someone signs in to a server. */
export const LOCAL_USER = 'analyst';

export function deskNameOf(workspace: Workspace, user: string | null = null): string {
  return user === null ? `settledesk-${workspace.id}` : `settledesk-${workspace.id}-${user}`;
}

export function deskFor(workspace: Workspace, user: string | null = null): Promise<Desk> {
  const name = deskNameOf(workspace, user);
  let desk = opened.get(name);
  if (desk === undefined) {
    const closed = closeDesk(workspace);
    const serverUrl = workspace.serverUrl;
    const sync = serverUrl === null ? null : { baseUrl: serverUrl, token: () => serverSession().accessToken(serverUrl), onUnauthorized: (token: string) => serverSession().unauthorized(serverUrl, token) };
    desk = closed.then(() => openDesk({ name, userId: user ?? LOCAL_USER, sync }));
    opened.set(name, desk);
    desk.catch(() => opened.delete(name));
  }
  return desk;
}

/** Closes a workspace's desks (when the workspace is removed, or before another user's desk opens). */
export async function closeDesk(workspace: Workspace): Promise<void> {
  const prefix = deskNameOf(workspace);
  const closing = [...opened].filter(([name]) => name === prefix || name.startsWith(`${prefix}-`));
  for (const [name] of closing) opened.delete(name);
  for (const [, desk] of closing) await (await desk.catch(() => null))?.close();
}
