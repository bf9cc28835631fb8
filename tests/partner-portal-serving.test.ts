import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/db/types.ts';
import { PORTAL_CSP } from '../server/portal/serve.ts';
import { testDatabases } from '../server/test-support.ts';
import { startTestApp, type TestApp } from '../server/test-app.test-support.ts';

/**
 * /portal as the server serves it: from a build folder on disk (laid out as `vite build` writes it,
 * portal/index.html beside the shared assets/), or a 503 page saying how to build it. Runs on the
 * real PostgreSQL when it is there (PGlite's migrations alone take half a minute on a busy machine).
 */
const targets = await testDatabases();
const target = targets.find((each) => each.kind === 'pg' && each.skip === null) ?? targets.find((each) => each.kind === 'pglite');
if (target === undefined) throw new Error('no test database');

describe(`partner portal serving on ${target.kind}`, () => {
  let db: Db;
  let drop: () => Promise<void>;
  const dirs: string[] = [];
  const apps: TestApp[] = [];

  const appWith = async (portalDir: string) => {
    const t = await startTestApp(db, { partner: { webhookWorker: false }, portalDir });
    apps.push(t);
    return t.app;
  };

  const folder = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sd-portal-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    ({ db, drop } = await target.open());
  }, 120_000);
  afterAll(async () => {
    for (const t of apps) await t.app.close();
    await db?.close();
    await drop?.();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with how to build it when the portal is not built, under the CSP', async () => {
    const dir = folder();
    const app = await appWith(dir);
    for (const url of ['/portal', '/portal/', '/portal/assets/index.js']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(503);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('npm run build');
      expect(response.body).toContain('SETTLEDESK_PORTAL_DIR');
      expect(response.body).toContain(dir);
      expect(response.headers['content-security-policy']).toBe(PORTAL_CSP);
    }
  });

  it('serves the built page at /portal/ with its shared assets, and nothing else of the build', async () => {
    const dir = folder();
    mkdirSync(path.join(dir, 'portal'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>desk</title>');
    writeFileSync(path.join(dir, 'portal', 'index.html'), '<!doctype html><title>portal</title><script type="module" crossorigin src="../assets/portal-Ab12.js"></script><link rel="stylesheet" href="../assets/portal-Cd34.css">');
    writeFileSync(path.join(dir, 'assets', 'portal-Ab12.js'), 'console.log(1);');
    writeFileSync(path.join(dir, 'assets', 'portal-Cd34.css'), 'body{}');
    const app = await appWith(dir);

    const redirect = await app.inject({ method: 'GET', url: '/portal' });
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers.location).toBe('/portal/');

    const page = await app.inject({ method: 'GET', url: '/portal/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('src="./assets/portal-Ab12.js"');
    expect(page.body).toContain('href="./assets/portal-Cd34.css"');
    expect(page.body).not.toContain('../assets/');
    expect(page.headers['content-security-policy']).toBe(PORTAL_CSP);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');

    const script = await app.inject({ method: 'GET', url: '/portal/assets/portal-Ab12.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.body).toBe('console.log(1);');
    expect(script.headers['content-security-policy']).toBe(PORTAL_CSP);

    // The desk's page and anything outside assets/ stay unreachable, however the path is spelled.
    for (const url of ['/portal/index.html', '/portal/assets/../index.html', '/portal/assets/%2e%2e/index.html', '/portal/portal/index.html', '/portal/assets/']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.body, url).not.toContain('<title>desk</title>');
    }
  });
});
