import { z } from 'zod';

/**
 * The workspace this desk works in: the demo month (clearly marked, removable), a team's
 * workspace synced with its server, or a local-only one. Only this small record lives in
 * localStorage; the month's data lives in the desk database.
 */
export const WorkspaceSchema = z.strictObject({
  id: z.string().min(1).max(100),
  name: z.string().trim().min(1).max(100),
  kind: z.enum(['demo', 'server', 'local']),
  /** The team's sync server; null for demo and local-only workspaces. */
  serverUrl: z.url({ protocol: /^https?$/ }).nullable(),
  createdAt: z.iso.datetime(),
});
export type Workspace = z.infer<typeof WorkspaceSchema>;

export const WORKSPACE_STORAGE_KEY = 'settledesk.workspace';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The saved workspace, or null when there is none or what is saved is not a valid record (then first start shows again). */
export function loadWorkspace(store: KeyValueStore): Workspace | null {
  const text = store.getItem(WORKSPACE_STORAGE_KEY);
  if (text === null) return null;
  try {
    const parsed = WorkspaceSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveWorkspace(store: KeyValueStore, workspace: Workspace): void {
  store.setItem(WORKSPACE_STORAGE_KEY, JSON.stringify(WorkspaceSchema.parse(workspace)));
}

export function forgetWorkspace(store: KeyValueStore): void {
  store.removeItem(WORKSPACE_STORAGE_KEY);
}

export type NewWorkspaceInput = { readonly name: string; readonly mode: 'server' | 'local'; readonly serverUrl: string };

export type NewWorkspaceProblem = 'name' | 'url';

/** Validates the "new workspace" form; the problems name the fields to fix. */
export function newWorkspace(input: NewWorkspaceInput, id: string, now: Date): { readonly workspace: Workspace } | { readonly problems: NewWorkspaceProblem[] } {
  const problems: NewWorkspaceProblem[] = [];
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) problems.push('name');
  const serverUrl = input.mode === 'server' ? input.serverUrl.trim().replace(/\/+$/, '') : null;
  if (serverUrl !== null && !WorkspaceSchema.shape.serverUrl.safeParse(serverUrl).success) problems.push('url');
  if (problems.length > 0) return { problems };
  return { workspace: { id, name, kind: input.mode, serverUrl, createdAt: now.toISOString() } };
}

export function demoWorkspace(id: string, now: Date, month: string): Workspace {
  return { id, name: `Demo ${month}`, kind: 'demo', serverUrl: null, createdAt: now.toISOString() };
}
