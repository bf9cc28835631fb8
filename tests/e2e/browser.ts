import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

/** Debian's Chromium (apt-get install chromium), or CHROMIUM_PATH. Playwright's own download cannot run here. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => typeof p === 'string' && p.length > 0);
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) throw new Error('No Chromium found: install Debian\'s chromium (apt-get install -y chromium) or set CHROMIUM_PATH. .ci/run installs it.');
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The renderer on a Vite dev server at a free port on 127.0.0.1, as `npm run web` serves it. */
export async function startRendererServer(options: { readonly cacheDir?: string } = {}): Promise<{ readonly server: ViteDevServer; readonly baseUrl: string }> {
  const server = await createServer({ configFile: 'renderer/vite.config.ts', ...options, server: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
  await server.listen();
  const address = server.httpServer?.address();
  if (address === null || address === undefined || typeof address === 'string') throw new Error('vite dev server has no port');
  return { server, baseUrl: `http://127.0.0.1:${address.port}/` };
}

/**
 * Calls `call` on a module the dev server serves (a path under /@fs/) inside the page and returns
 * its result. A string, not a function: vitest would rewrite a dynamic import() inside a function
 * body for Node. The first import of new dependencies makes Vite optimize them and reload the
 * page, so a destroyed context is retried a few times.
 */
export async function callModuleInPage<T>(page: Page, modulePath: string, call: string): Promise<T> {
  const script = `import(${JSON.stringify(`/@fs${modulePath}`)}).then((module) => module.${call})`;
  for (let attempt = 0; ; attempt++) {
    try {
      return (await page.evaluate(script)) as T;
    } catch (error) {
      if (!/Execution context was destroyed|Failed to fetch dynamically imported module|Importing a module script failed/.test(String(error)) || attempt === 3) throw error;
      await page.waitForLoadState('load');
    }
  }
}
