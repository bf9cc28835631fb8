import { createServer, type ViteDevServer } from 'vite';

/**
 * The renderer's dev server for the desk benches, without file watching or hot reload: other work
 * on the same tree (an edited module the page imports) would otherwise reload the page in the
 * middle of a run.
 */
export async function startStillServer(): Promise<{ readonly server: ViteDevServer; readonly baseUrl: string }> {
  const server = await createServer({ configFile: 'renderer/vite.config.ts', cacheDir: 'node_modules/.vite-desk-bench', server: { port: 0, host: '127.0.0.1', hmr: false, watch: null }, logLevel: 'error' });
  await server.listen();
  const address = server.httpServer?.address();
  if (address === null || address === undefined || typeof address === 'string') throw new Error('vite dev server has no port');
  return { server, baseUrl: `http://127.0.0.1:${address.port}/` };
}
