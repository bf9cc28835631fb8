import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
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
