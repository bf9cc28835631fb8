import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured JSON logs (pino) with the request id on every request line. Tokens and passwords
 * never reach a log: requests are logged without headers or bodies, token query parameters
 * (SSE cannot send headers) are blanked, and any field named like a secret is redacted.
 */
export const REDACTED_PATHS = ['password', '*.password', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken', 'setupToken', '*.setupToken', 'authorization', '*.authorization', '*.headers.authorization', '*.headers.cookie'];

export function requestForLog(request: { method: string; url: string; id: string; ip?: string }): Record<string, unknown> {
  return { method: request.method, url: request.url.replace(/([?&](?:access_token|token)=)[^&]*/gi, '$1[redacted]'), id: request.id, remoteAddress: request.ip };
}

export function createLogger(options: { readonly level?: string; readonly destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { req: requestForLog },
    },
    options.destination,
  );
}
