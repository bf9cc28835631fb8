import { z } from 'zod';
import type { Statement } from '../../core/settlement/index.ts';
import { PartnerQueryItem, PartnerStatementSummary, PartnerTransactionPage } from '../../core/sync/partner-api.ts';

/**
 * The portal's client of the partner API (server/partner/routes.ts) on the server that serves the
 * portal (same origin). Every answer is checked with zod before the page uses it. The session is
 * kept in memory only; an expired access token is refreshed once with the refresh token, and a
 * refused refresh ends the session (the page asks to sign in again).
 */
export class PortalApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PortalApiError';
  }
}

/** A failure as the page shows it: the server's code and message when it sent one. */
export function errorText(error: unknown): string {
  return error instanceof PortalApiError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
}

const ErrorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const SignInAnswer = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(20),
  user: z.object({ id: z.string(), username: z.string(), role: z.string() }),
  /** The password was an admin's one-time one: the session reaches only the change of it (POST /api/v1/auth/password). */
  passwordChangeRequired: z.boolean(),
});

const StatementSummary = PartnerStatementSummary.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type StatementSummary = z.infer<typeof StatementSummary>;

const TotalChange = z.object({ field: z.string(), previous: z.string(), current: z.string(), delta: z.string() });
const StatementAnswer = StatementSummary.extend({
  document: z.object({ statement: z.record(z.string(), z.unknown()), sha256: z.string() }),
  jws: z.string().nullable(),
  diff: z.object({ totals: z.array(TotalChange) }).passthrough().nullable(),
});
export type PortalStatement = Omit<z.infer<typeof StatementAnswer>, 'document'> & { readonly document: { readonly statement: Statement; readonly sha256: string } };

const TransactionPage = PartnerTransactionPage;
export type TransactionPage = z.infer<typeof TransactionPage>;

const PartnerQuery = PartnerQueryItem;
export type PartnerQuery = z.infer<typeof PartnerQuery>;

export interface PortalSession {
  readonly username: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly passwordChangeRequired: boolean;
}

function sessionOf(answer: z.infer<typeof SignInAnswer>): PortalSession {
  return { username: answer.user.username, accessToken: answer.accessToken, refreshToken: answer.refreshToken, passwordChangeRequired: answer.passwordChangeRequired };
}

const PREFIX = '/api/v1/partner';

async function errorOf(response: Response): Promise<PortalApiError> {
  const parsed = ErrorAnswer.safeParse(await response.json().catch(() => null));
  return parsed.success ? new PortalApiError(response.status, parsed.data.error.code, parsed.data.error.message) : new PortalApiError(response.status, `http_${response.status}`, response.statusText);
}

/** Signs a partner user in; refuses an account of another role before any partner call. */
export async function signInPartner(username: string, password: string, fetchImpl: typeof fetch = fetch): Promise<PortalSession> {
  const response = await fetchImpl('/api/v1/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!response.ok) throw await errorOf(response);
  const answer = SignInAnswer.parse(await response.json());
  if (answer.user.role !== 'partner') throw new PortalApiError(403, 'not_partner', `role ${answer.user.role} is not a partner account`);
  return sessionOf(answer);
}

/** Replaces a one-time password with the user's own; the answer is a new session (every earlier one ended). */
export async function changePassword(session: PortalSession, currentPassword: string, newPassword: string, fetchImpl: typeof fetch = fetch): Promise<PortalSession> {
  const response = await fetchImpl('/api/v1/auth/password', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session.accessToken}` }, body: JSON.stringify({ currentPassword, newPassword }) });
  if (!response.ok) throw await errorOf(response);
  return sessionOf(SignInAnswer.parse(await response.json()));
}

export class PortalApi {
  constructor(
    private session: PortalSession,
    private readonly onSessionEnd: () => void,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  get username(): string {
    return this.session.username;
  }

  private async send(path: string, init: RequestInit = {}, retried = false): Promise<Response> {
    const response = await this.fetchImpl(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${this.session.accessToken}` } });
    if (response.status !== 401) return response;
    if (retried || !(await this.refresh())) {
      this.onSessionEnd();
      throw await errorOf(response);
    }
    return this.send(path, init, true);
  }

  private async refresh(): Promise<boolean> {
    const response = await this.fetchImpl('/api/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: this.session.refreshToken }) });
    if (!response.ok) return false;
    this.session = sessionOf(SignInAnswer.parse(await response.json()));
    return true;
  }

  private async json<T>(schema: z.ZodType<T>, path: string, init?: RequestInit): Promise<T> {
    const response = await this.send(path, init);
    if (!response.ok) throw await errorOf(response);
    return schema.parse(await response.json());
  }

  async statements(period: string | null): Promise<StatementSummary[]> {
    const query = period === null ? '' : `?period=${encodeURIComponent(period)}`;
    return (await this.json(z.object({ statements: z.array(StatementSummary) }), `${PREFIX}/statements${query}`)).statements;
  }

  async statement(id: string): Promise<PortalStatement> {
    // The statement's shape is the engine's (core/settlement); the page checks its hash with core before trusting it.
    return (await this.json(StatementAnswer, `${PREFIX}/statements/${encodeURIComponent(id)}`)) as unknown as PortalStatement;
  }

  async transactions(id: string, line: number, page: { readonly offset: number; readonly limit: number }): Promise<TransactionPage> {
    return this.json(TransactionPage, `${PREFIX}/statements/${encodeURIComponent(id)}/lines/${line}/transactions?offset=${page.offset}&limit=${page.limit}`);
  }

  async queries(id: string): Promise<PartnerQuery[]> {
    return (await this.json(z.object({ queries: z.array(PartnerQuery) }), `${PREFIX}/statements/${encodeURIComponent(id)}/queries`)).queries;
  }

  async raiseQuery(id: string, body: { readonly line: number; readonly text: string; readonly claimedAmount?: string }): Promise<PartnerQuery> {
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    return (await this.json(z.object({ query: PartnerQuery }), `${PREFIX}/statements/${encodeURIComponent(id)}/queries`, init)).query;
  }

  /** The signed PDF's bytes; null when the server stores none for this statement yet. */
  async pdf(id: string): Promise<Blob | null> {
    const response = await this.send(`${PREFIX}/statements/${encodeURIComponent(id)}.pdf`);
    if (response.status === 404) {
      const error = await errorOf(response);
      if (error.code === 'artifact_not_stored') return null;
      throw error;
    }
    if (!response.ok) throw await errorOf(response);
    return response.blob();
  }

  async signOut(): Promise<void> {
    await this.fetchImpl('/api/v1/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: this.session.refreshToken }) }).catch(() => undefined);
  }
}
