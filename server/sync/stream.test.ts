import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords.ts';
import type { AuthUser } from '../auth/roles.ts';
import { loadSigningKey, signAccessToken } from '../auth/tokens.ts';
import { insertUser } from '../auth/users-repository.ts';
import { migrate } from '../db/migrate.ts';
import { openPg } from '../db/pg.ts';
import { openPglite } from '../db/pglite.ts';
import type { Db } from '../db/types.ts';
import { bearer, startTestApp, type TestApp } from '../test-app.test-support.ts';
import { TEST_DATABASE_URL, testDatabases, testSchemaName } from '../test-support.ts';

/**
 * Live changes over Server-Sent Events. On PostgreSQL: two real server processes (npm run
 * server's entry point) on one database and schema, a stream open on each, one push through the
 * first: both streams carry the document, fanned out by LISTEN/NOTIFY. On PGlite: one process,
 * two streams. Waits are bounded liveness limits, not performance measurements. Nothing waits
 * on a sleep: each process is used once it printed its address and answered /readyz, and each
 * stream once the server sent its ': connected' line (written after it subscribed to changes).
 * The processes start in beforeAll with their own bound, because two tsx start-ups on a loaded
 * 2-core machine took longer than a test's 30 s once.
 */
const STREAM_WAIT_MS_MAX = 20_000;
const START_WAIT_MS_MAX = 150_000;
const READY_POLL_MS = 100;

interface SseReader {
  next(predicate: (data: string) => boolean): Promise<string>;
  close(): void;
}

async function openStream(url: string, token: string): Promise<SseReader> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: bearer(token), signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: string[] = [];
  let connected = false;
  const readBlocks = async (deadline: number): Promise<void> => {
    if (Date.now() > deadline) throw new Error(`no matching event within ${STREAM_WAIT_MS_MAX} ms; got ${JSON.stringify(events)}`);
    const chunk = await reader.read();
    if (chunk.done) throw new Error('stream ended');
    buffer += decoder.decode(chunk.value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of block.split('\n')) {
        if (line.startsWith('data: ')) events.push(line.slice(6));
        if (line === ': connected') connected = true;
      }
      end = buffer.indexOf('\n\n');
    }
  };
  // The server writes ': connected' right after it subscribed to the change feed: from here on no change is missed.
  const connectDeadline = Date.now() + STREAM_WAIT_MS_MAX;
  while (!connected) await readBlocks(connectDeadline);
  return {
    async next(predicate) {
      const deadline = Date.now() + STREAM_WAIT_MS_MAX;
      for (;;) {
        const found = events.find(predicate);
        if (found !== undefined) return found;
        await readBlocks(deadline);
      }
    },
    close: () => controller.abort(),
  };
}

const comment = (id: string) => ({ id, subject: { kind: 'exception', id: 'exc_1' }, author: 'ana', text: 'seen on both', at: '2026-03-02T10:00:00Z', _deleted: false });

async function push(base: string, token: string, doc: object): Promise<unknown> {
  const response = await fetch(`${base}/api/v1/sync/comments/push`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify([{ newDocumentState: doc }]) });
  expect(response.status).toBe(200);
  return response.json();
}

/** Starts `npm run server`'s entry point and resolves with its address once it listens (killed and refused after START_WAIT_MS_MAX). */
function startProcess(env: Record<string, string>, dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--port', '0', '--data-dir', dataDir], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`server did not listen within ${START_WAIT_MS_MAX} ms: ${output}`));
    }, START_WAIT_MS_MAX);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      resolve({ child, base: match[1] as string });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
}

/** Resolves once /readyz answers 200 (the process reaches the database), polling within START_WAIT_MS_MAX. */
async function waitReady(base: string): Promise<void> {
  const deadline = Date.now() + START_WAIT_MS_MAX;
  for (;;) {
    const status = await fetch(`${base}/readyz`).then((response) => response.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${base}/readyz answered ${status}, not 200, for ${START_WAIT_MS_MAX} ms`);
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

const [, pgTarget] = await testDatabases();

describe.skipIf(pgTarget?.skip !== null)('two server processes on one PostgreSQL both stream a change', () => {
  const schema = testSchemaName();
  let db: Db;
  let dataDir: string;
  let ana: AuthUser;
  const children: ChildProcess[] = [];
  const bases: string[] = [];

  beforeAll(async () => {
    db = await openPg({ connectionString: TEST_DATABASE_URL, schema, poolSize: 2 });
    await migrate(db);
    const created = await insertUser(db, { username: 'ana', passwordHash: await hashPassword('not-used-in-this-test'), role: 'analyst' });
    if (created === null) throw new Error('ana exists');
    ana = created;
    dataDir = await mkdtemp(join(tmpdir(), 'sd-stream-'));
    const env = { DATABASE_URL: TEST_DATABASE_URL, SETTLEDESK_DB_SCHEMA: schema, SETTLEDESK_LOG_LEVEL: 'info' };
    const started = await Promise.allSettled([startProcess(env, join(dataDir, 'a')), startProcess(env, join(dataDir, 'b'))]);
    for (const outcome of started) if (outcome.status === 'fulfilled') children.push(outcome.value.child);
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    for (const outcome of started) if (outcome.status === 'fulfilled') bases.push(outcome.value.base);
    await Promise.all(bases.map(waitReady));
  }, 2 * START_WAIT_MS_MAX);
  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)));
    await db?.close();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fans one push out to the streams of both processes', async () => {
    const [first, second] = bases as [string, string];
    const key = await loadSigningKey(db);
    // Both processes verify with the key in server_secrets, so a token signed with it is good on either.
    const real = await signAccessToken({ key, accessTokenSeconds: 300, refreshTokenSeconds: 3600, nowSeconds: () => Math.floor(Date.now() / 1000) }, ana);
    const streams = [await openStream(`${first}/api/v1/sync/comments/stream`, real), await openStream(`${second}/api/v1/sync/comments/stream`, real)];
    try {
      expect(await push(first, real, comment('cmt_live'))).toEqual([]);
      for (const stream of streams) {
        const event = JSON.parse(await stream.next((data) => data.includes('cmt_live')));
        expect(event.documents.map((doc: { id: string }) => doc.id)).toEqual(['cmt_live']);
        expect(event.checkpoint.seq).toMatch(/^\d+$/);
      }
    } finally {
      for (const stream of streams) stream.close();
    }
  });
});

describe('streams on PGlite', () => {
  let db: Db;
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    t = await startTestApp(db, { streamHeartbeatMs: 60_000 }, { ana: 'analyst', eve: 'auditor' });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.close();
  });

  it('sends a pushed document to every open stream, resumes from a checkpoint, and accepts the token as a query parameter', async () => {
    const ana = await t.tokenFor('ana');
    const eve = await t.tokenFor('eve');
    const first = await openStream(`${base}/api/v1/sync/comments/stream`, ana);
    const second = await openStream(`${base}/api/v1/sync/comments/stream?access_token=${eve}`, eve);
    try {
      expect(await push(base, ana, comment('cmt_a'))).toEqual([]);
      const event = JSON.parse(await first.next((data) => data.includes('cmt_a')));
      expect(JSON.parse(await second.next((data) => data.includes('cmt_a')))).toEqual(event);
      // A stream opened from before that checkpoint gets the document at once.
      const resumed = await openStream(`${base}/api/v1/sync/comments/stream?checkpoint=0`, ana);
      expect(JSON.parse(await resumed.next((data) => data.includes('cmt_a'))).documents[0].id).toBe('cmt_a');
      resumed.close();
    } finally {
      first.close();
      second.close();
    }
    // The query token was blanked in the log.
    expect(t.logLines.join('')).not.toContain(eve);
  });

  it('ends a stream with RESYNC when the token it was opened with expires', async () => {
    const token = await t.tokenFor('ana');
    // Tokens live 300 s: one second before expiry the stream opens, and ends a second later.
    t.clock.nowMs += 299_000;
    const stream = await openStream(`${base}/api/v1/sync/comments/stream`, token);
    try {
      expect(await stream.next((data) => data === '"RESYNC"')).toBe('"RESYNC"');
    } finally {
      stream.close();
    }
  });
});
