import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from './db/migrate.ts';
import { openPglite } from './db/pglite.ts';
import type { Db } from './db/types.ts';
import { bearer, startTestApp, type TestApp } from './test-app.test-support.ts';

// CORS: a page on an allowed origin (npm run web on another port) may call the API; any other
// origin gets no CORS headers, so the browser keeps the answer from it; none is allowed by default.
const DESK = 'http://127.0.0.1:5173';

describe('CORS on the API', () => {
  let db: Db;
  let open: TestApp;
  let closed: TestApp;

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    open = await startTestApp(db, { corsOrigins: [DESK] }, { ana: 'analyst' });
    closed = await startTestApp(db, {});
  }, 240_000);
  afterAll(async () => {
    await open?.app.close();
    await closed?.app.close();
    await db?.close();
  });

  const preflight = (t: TestApp, origin: string) =>
    t.app.inject({ method: 'OPTIONS', url: '/api/v1/sync/statements/pull', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });

  it('answers a preflight from an allowed origin with that origin, the methods and the bearer header', async () => {
    const answer = await preflight(open, DESK);
    expect(answer.statusCode).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe(DESK);
    expect(String(answer.headers['access-control-allow-methods'])).toBe('GET, POST');
    expect(String(answer.headers['access-control-allow-headers'])).toContain('authorization');
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets the allowed origin read an answer, with the request id exposed', async () => {
    const answer = await open.app.inject({ method: 'GET', url: '/api/v1/me', headers: { origin: DESK, ...bearer(await open.tokenFor('ana')) } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe(DESK);
    expect(String(answer.headers['access-control-expose-headers'])).toContain('x-request-id');
  });

  it('carries the CORS headers onto the live change stream, whose reply is written by hand', async () => {
    const base = await open.app.listen({ host: '127.0.0.1', port: 0 });
    const abort = new AbortController();
    const answer = await fetch(`${base}/api/v1/sync/audit_events/stream?access_token=${await open.tokenFor('ana')}`, { headers: { origin: DESK }, signal: abort.signal });
    expect(answer.headers.get('content-type')).toBe('text/event-stream');
    expect(answer.headers.get('access-control-allow-origin')).toBe(DESK);
    abort.abort();
  });

  it('gives another origin no CORS headers, and none to anyone when no origin is configured', async () => {
    for (const answer of [await preflight(open, 'https://evil.example'), await preflight(closed, DESK)]) {
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    const plain = await closed.app.inject({ method: 'GET', url: '/healthz', headers: { origin: DESK } });
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
  });
});
