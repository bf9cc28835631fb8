import { z } from 'zod';
import { currentHost } from '../../../host/current.ts';
import type { HostAdapter } from '../../../host/host.ts';

/**
 * Signing in to the team's sync server and keeping the session: a short-lived access token
 * (server/auth/tokens.ts, 5 minutes by default) and a rotating refresh token. The access token is
 * refreshed shortly before it expires and at once when the server answers 401; every refresh
 * hands back a new refresh token (the old one is then spent: presenting it again revokes the
 * whole sign-in). Signing out revokes the refresh token's family on the server.
 *
 * At rest only the rotating refresh token is kept (with the server and the user), in the host's
 * secret store, never in localStorage: one 'server-token' secret holding it as JSON (the Electron
 * host seals it with the OS key store; the browser host keeps it for the tab's session, see
 * host.web.ts). The access token lives in memory only: a desk that starts (or a page that
 * reloads) refreshes first, which also tells at once whether the sign-in was revoked meanwhile.
 *
 * A password an admin set is one-time (server/auth/password-change.ts): sign-in and refresh then
 * answer passwordChangeRequired and the server refuses the session everything but
 * POST /api/v1/auth/password, which the desk's Settings offer (changePassword).
 */
const User = z.object({ id: z.string().min(1), username: z.string().min(1), role: z.enum(['analyst', 'approver', 'admin', 'auditor']) });
export type SignedInUser = z.infer<typeof User>;

/** The server's sign-in and refresh answer (server/routes/auth.ts), validated before anything is kept. */
const SessionAnswer = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(20),
  expiresInSeconds: z.number().int().positive(),
  user: User,
  // A server from before one-time passwords does not send it.
  passwordChangeRequired: z.boolean().default(false),
});
export type SignInAnswer = z.infer<typeof SessionAnswer>;

/** What the host's secret store holds (an older desk's access token beside it is ignored). */
const StoredSession = z.object({
  serverUrl: z.string().min(1),
  refreshToken: z.string().min(20),
  user: User,
});
type StoredSession = z.infer<typeof StoredSession>;

/** The session in memory: the stored part and, once refreshed or signed in, an access token. */
interface Session extends StoredSession {
  readonly accessToken: string | null;
  readonly accessExpiresAtMs: number;
  /** As the last sign-in or refresh answered (a restored session knows once it has refreshed). */
  readonly passwordChangeRequired: boolean;
}

const ErrorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** A refused sign-in, refresh or sign-out, with the server's code ("unauthenticated", "token_invalid", "http_502", "network"). */
export class SignInError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'SignInError';
  }
}

/** Refresh this long before the access token expires, so a request never leaves with one about to lapse. */
export const REFRESH_MARGIN_MS = 30_000;
const SECRET = 'server-token';

async function postJson(fetchImpl: typeof fetch, url: string, body: unknown, accessToken?: string): Promise<unknown> {
  let response: Response;
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (accessToken !== undefined) headers.authorization = `Bearer ${accessToken}`;
    response = await fetchImpl(url, { method: 'POST', headers, body: JSON.stringify(body) });
  } catch (error) {
    throw new SignInError('network', (error as Error).message);
  }
  if (response.status === 204) return null;
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = ErrorAnswer.safeParse(answer);
    throw error.success ? new SignInError(error.data.error.code, error.data.error.message) : new SignInError(`http_${response.status}`, 'the server refused');
  }
  return answer;
}

/** Signs in at the server; rejects with a SignInError carrying the server's code. */
export async function signIn(serverUrl: string, username: string, password: string, fetchImpl: typeof fetch = fetch): Promise<SignInAnswer> {
  return SessionAnswer.parse(await postJson(fetchImpl, `${serverUrl}/api/v1/auth/sign-in`, { username, password }));
}

export interface ServerSessionOptions {
  readonly host: Pick<HostAdapter, 'storeSecret' | 'forgetSecret' | 'serverToken'>;
  readonly fetch?: typeof fetch;
  readonly nowMs?: () => number;
}

/** The signed-in session with one server: tokens for the desk's replication, refreshed as needed. */
export class ServerSession {
  private session: Session | null = null;
  private loaded: Promise<void> | null = null;
  private refreshing: Promise<Session | null> | null = null;
  private readonly listeners = new Set<(user: SignedInUser | null) => void>();
  private readonly fetchImpl: typeof fetch;
  private readonly nowMs: () => number;

  constructor(private readonly options: ServerSessionOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.nowMs = options.nowMs ?? Date.now;
  }

  /**
   * Reads a sign-in the host kept (across restarts, or a browser reload) and refreshes it at once:
   * a revoked or expired one signs out now; offline, the desk stays signed in and refreshes on
   * its next request. Anything unreadable counts as signed out.
   */
  load(): Promise<void> {
    this.loaded ??= this.options.host.serverToken().then(
      async (text) => {
        if (text === null || this.session !== null) return;
        let parsed: ReturnType<typeof StoredSession.safeParse>;
        try {
          parsed = StoredSession.safeParse(JSON.parse(text));
        } catch {
          return; // A token stored by an older desk (a bare access token): sign in again.
        }
        if (!parsed.success) return;
        this.set({ ...parsed.data, accessToken: null, accessExpiresAtMs: 0, passwordChangeRequired: false });
        await this.refresh();
      },
      () => undefined,
    );
    return this.loaded;
  }

  /** The signed-in user for this server, or null. */
  userFor(serverUrl: string | null): SignedInUser | null {
    return this.session !== null && this.session.serverUrl === serverUrl ? this.session.user : null;
  }

  /** Whether the server refuses this session everything but setting the user's own password. */
  passwordChangeRequired(serverUrl: string | null): boolean {
    return this.session !== null && this.session.serverUrl === serverUrl && this.session.passwordChangeRequired;
  }

  /** Called when the user signs in or out, or the server starts or stops requiring a new password. */
  subscribe(listener: (user: SignedInUser | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async signIn(serverUrl: string, username: string, password: string): Promise<SignedInUser> {
    const answer = await signIn(serverUrl, username, password, this.fetchImpl);
    await this.keep(serverUrl, answer);
    return answer.user;
  }

  /** A valid access token for the server, refreshed first when it expires within REFRESH_MARGIN_MS; null when signed out. */
  async accessToken(serverUrl: string): Promise<string | null> {
    await this.load();
    const session = this.session;
    if (session === null || session.serverUrl !== serverUrl) return null;
    if (session.accessToken !== null && session.accessExpiresAtMs - this.nowMs() > REFRESH_MARGIN_MS) return session.accessToken;
    return (await this.refresh())?.accessToken ?? null;
  }

  /** The server answered 401 to the current access token: refresh now (once, however many requests saw the 401). */
  async unauthorized(serverUrl: string, rejectedToken: string): Promise<void> {
    const session = this.session;
    if (session === null || session.serverUrl !== serverUrl || session.accessToken !== rejectedToken) return;
    await this.refresh();
  }

  /**
   * Sets the user's own password (the current one checked again by the server, throttled there);
   * the server ends every session of the user and answers a new one, kept here.
   */
  async changePassword(serverUrl: string, currentPassword: string, newPassword: string): Promise<void> {
    const token = await this.accessToken(serverUrl);
    if (token === null) throw new SignInError('unauthenticated', 'not signed in to this server');
    const answer = SessionAnswer.parse(await postJson(this.fetchImpl, `${serverUrl}/api/v1/auth/password`, { currentPassword, newPassword }, token));
    await this.keep(serverUrl, answer);
  }

  /** Revokes this sign-in on the server (best effort when it is unreachable) and forgets both tokens here. */
  async signOut(): Promise<void> {
    const session = this.session;
    this.set(null);
    await this.options.host.forgetSecret(SECRET);
    if (session !== null) await postJson(this.fetchImpl, `${session.serverUrl}/api/v1/auth/sign-out`, { refreshToken: session.refreshToken });
  }

  private refresh(): Promise<Session | null> {
    this.refreshing ??= this.rotate().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async rotate(): Promise<Session | null> {
    const session = this.session;
    if (session === null) return null;
    try {
      const answer = SessionAnswer.parse(await postJson(this.fetchImpl, `${session.serverUrl}/api/v1/auth/refresh`, { refreshToken: session.refreshToken }));
      return await this.keep(session.serverUrl, answer);
    } catch (error) {
      // Offline: keep the session and try again on the next request. Refused (expired, revoked, reused): signed out.
      if (error instanceof SignInError && error.code !== 'network' && !error.code.startsWith('http_5')) {
        this.set(null);
        await this.options.host.forgetSecret(SECRET);
      }
      return null;
    }
  }

  private async keep(serverUrl: string, answer: SignInAnswer): Promise<Session> {
    const stored: StoredSession = { serverUrl, refreshToken: answer.refreshToken, user: answer.user };
    await this.options.host.storeSecret(SECRET, JSON.stringify(stored));
    const session: Session = { ...stored, accessToken: answer.accessToken, accessExpiresAtMs: this.nowMs() + answer.expiresInSeconds * 1000, passwordChangeRequired: answer.passwordChangeRequired };
    this.set(session);
    return session;
  }

  private set(session: Session | null): void {
    const seen = (each: Session | null) => `${each?.user.username ?? ''}|${each?.passwordChangeRequired ?? ''}`;
    const before = seen(this.session);
    this.session = session;
    if (seen(session) !== before) for (const listener of this.listeners) listener(session?.user ?? null);
  }
}

let shared: ServerSession | null = null;

/** The desk's one session, over the current host's secret store. */
export function serverSession(): ServerSession {
  shared ??= new ServerSession({ host: currentHost() });
  return shared;
}
