import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_CSP, portalRoutes } from './serve.ts';

/** A portal built after the server started is served from then on, and a rebuild replaces it, without a restart. */
describe('portal built after the server started', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sd-portal-late-'));
    app = Fastify();
    await app.register(portalRoutes, { dir });
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('answers 503 until the build appears, then serves the page and its assets, then the rebuilt page', async () => {
    for (const url of ['/portal', '/portal/', '/portal/assets/portal-1.js', '/portal/other']) expect((await get(url)).statusCode, url).toBe(503);

    mkdirSync(path.join(dir, 'portal'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'assets', 'portal-1.js'), 'console.log(1);');
    writeFileSync(path.join(dir, 'portal', 'index.html'), '<!doctype html><title>portal 1</title><script type="module" src="../assets/portal-1.js"></script>');
    const page = await get('/portal/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('src="./assets/portal-1.js"');
    expect(page.headers['content-security-policy']).toBe(PORTAL_CSP);
    const script = await get('/portal/assets/portal-1.js');
    expect(script.statusCode).toBe(200);
    expect(script.body).toBe('console.log(1);');
    expect(script.headers['cache-control']).toContain('immutable');
    expect((await get('/portal')).statusCode).toBe(301);
    // Built: what is not there is a plain 404, and nothing outside assets/ is reachable.
    for (const url of ['/portal/other', '/portal/assets/', '/portal/assets/missing.js', '/portal/assets/../portal/index.html', '/portal/assets/%2e%2e/portal/index.html']) expect((await get(url)).statusCode, url).toBe(404);

    writeFileSync(path.join(dir, 'assets', 'portal-2.js'), 'console.log(2);');
    writeFileSync(path.join(dir, 'portal', 'index.html'), '<!doctype html><title>portal 2</title><script type="module" src="../assets/portal-2.js"></script>');
    // A rebuild within the same clock tick still counts: the file's time is what changed.
    utimesSync(path.join(dir, 'portal', 'index.html'), new Date(), new Date(Date.now() + 5_000));
    expect((await get('/portal/')).body).toContain('src="./assets/portal-2.js"');
  });
});
