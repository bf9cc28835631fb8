import { z } from 'zod';

/** The sync server's sign-in answer (server/routes/auth.ts), validated before anything is kept. */
const SignInAnswer = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(20),
  expiresInSeconds: z.number().int().positive(),
  user: z.object({ id: z.string().min(1), username: z.string().min(1), role: z.enum(['analyst', 'approver', 'admin', 'auditor']) }),
});
export type SignInAnswer = z.infer<typeof SignInAnswer>;

const ErrorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Signs in at the server; rejects with "code: message" from the server or the network. */
export async function signIn(serverUrl: string, username: string, password: string, fetchImpl: typeof fetch = fetch): Promise<SignInAnswer> {
  const response = await fetchImpl(`${serverUrl}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = ErrorAnswer.safeParse(body);
    throw new Error(error.success ? `${error.data.error.code}: ${error.data.error.message}` : `http_${response.status}`);
  }
  return SignInAnswer.parse(body);
}
