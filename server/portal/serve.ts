import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The partner portal at /portal: the renderer build's second page (renderer/portal/index.html,
 * built into <dir>/portal/index.html beside the shared <dir>/assets/). The page is served at
 * /portal/ and the shared assets at /portal/assets/; nothing else of the build (the desk's own
 * page) is reachable here. While the build is missing, /portal answers 503 with how to build it;
 * a build that appears later is served from then on.
 * Every answer carries a strict CSP: the portal only talks to this origin.
 */
export const PORTAL_DIR_DEFAULT = fileURLToPath(new URL('../../out/renderer', import.meta.url));
export const PORTAL_PREFIX = '/portal';

export const PORTAL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', PORTAL_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin');
}

const NOT_BUILT = (dir: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SettleDesk partner portal: not built</title></head>
<body><h1>The partner portal is not built on this server</h1>
<p>Build it with <code>npm run build</code> (or <code>npx vite build --config renderer/vite.config.ts</code>), which writes
<code>portal/index.html</code> into the renderer build, then restart the server. This server looks for it in
<code>${dir.replace(/[<>&"]/g, '')}</code>; point <code>SETTLEDESK_PORTAL_DIR</code> (or <code>--portal-dir</code>) at another build folder.</p>
</body></html>`;

/**
 * The built page's shared assets are one folder up from it ("../assets/x.js"); served at /portal/
 * they are under /portal/assets/, so the page's links are rewritten once at start.
 */
export function portalPageOf(builtHtml: string): string {
  return builtHtml.replaceAll('"../assets/', '"./assets/');
}

/**
 * The built page as served, read again whenever the file changes: a portal built (or rebuilt)
 * after the server started is served without a restart; null while it is not built.
 */
function builtPage(pageFile: string): () => string | null {
  let cached: { mtimeMs: number; page: string } | null = null;
  return () => {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(pageFile).mtimeMs;
    } catch {
      return null;
    }
    if (cached === null || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, page: portalPageOf(readFileSync(pageFile, 'utf8')) };
    return cached.page;
  };
}

export async function portalRoutes(app: FastifyInstance, options: { readonly dir: string }): Promise<void> {
  const dir = path.resolve(options.dir);
  const assetsDir = path.join(dir, 'assets');
  const page = builtPage(path.join(dir, 'portal', 'index.html'));
  app.addHook('onSend', async (_request, reply) => {
    secure(reply);
  });
  const notBuilt = (reply: FastifyReply) => reply.status(503).header('retry-after', '3600').type('text/html; charset=utf-8').send(NOT_BUILT(dir));
  // sendFile only (no routes of its own): an asset is served once the page is there, confined to assets/.
  await app.register(fastifyStatic, { serve: false, serveDotFiles: false });
  app.get(PORTAL_PREFIX, async (_request, reply) => (page() === null ? notBuilt(reply) : reply.redirect(`${PORTAL_PREFIX}/`, 301)));
  app.get(`${PORTAL_PREFIX}/`, async (_request, reply) => {
    const built = page();
    return built === null ? notBuilt(reply) : reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(built);
  });
  app.get(`${PORTAL_PREFIX}/assets/*`, async (request, reply) => {
    if (page() === null) return notBuilt(reply);
    const name = (request.params as { '*': string })['*'];
    if (name === '') return reply.callNotFound();
    // Hashed file names: a built asset never changes under its name.
    return reply.sendFile(name, assetsDir, { immutable: true, maxAge: '365d' });
  });
  app.get(`${PORTAL_PREFIX}/*`, async (_request, reply) => (page() === null ? notBuilt(reply) : reply.callNotFound()));
}
