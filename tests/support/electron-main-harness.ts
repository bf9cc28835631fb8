/**
 * Loads the built Electron main bundle (out/main/main.cjs) in plain Node with a fake `electron`
 * module, since the Electron binary cannot run here. The fake is typed against Electron's own API
 * (electron.d.ts) and records what main asks of it; the harness prints that record as JSON.
 */
import Module from 'node:module';
import path from 'node:path';
import type * as Electron from 'electron';

type Recorded = Record<string, unknown>[];
const record: Recorded = [];
const ipcHandlers = new Map<string, (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown>();
const protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();
let whenReadyResolve: () => void = () => undefined;

class FakeWebContents {
  setWindowOpenHandler(handler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0]): void {
    record.push({ windowOpen: handler({ url: 'https://evil.example/', frameName: '', features: '', disposition: 'new-window', referrer: { url: '', policy: 'default' }, postBody: undefined as never }) });
  }
  on(event: string, handler: (event: { preventDefault(): void }, url: string) => void): this {
    if (event === 'will-navigate') handler({ preventDefault: () => record.push({ navigationPrevented: true }) }, 'https://evil.example/');
    return this;
  }
}

class FakeBrowserWindow {
  readonly webContents = new FakeWebContents();
  constructor(options: Electron.BrowserWindowConstructorOptions) {
    record.push({ window: { webPreferences: { ...options.webPreferences, preload: path.basename(options.webPreferences?.preload ?? '') } } });
  }
  loadURL(url: string): Promise<void> {
    record.push({ loadURL: url });
    return Promise.resolve();
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return [];
  }
}

const fakeApp = {
  whenReady: () => new Promise<void>((resolve) => (whenReadyResolve = resolve)),
  on: (): unknown => fakeApp,
  getVersion: () => '0.1.0',
  quit: () => undefined,
} satisfies Partial<Record<keyof Electron.App, unknown>>;

const fake = {
  app: fakeApp,
  BrowserWindow: FakeBrowserWindow,
  ipcMain: { handle: (channel: string, handler: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown) => void ipcHandlers.set(channel, handler) },
  net: { fetch: async (url: string) => new Response(`fetched ${url}`) },
  protocol: {
    registerSchemesAsPrivileged: (schemes: Electron.CustomScheme[]) => void record.push({ schemes }),
    handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => void protocolHandlers.set(scheme, handler),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) =>
        handler(null, 'media', (granted) => record.push({ permission: 'media', granted })),
    },
  },
} satisfies { [K in 'ipcMain' | 'net' | 'protocol' | 'session']: Partial<Record<keyof (typeof Electron)[K], unknown>> } & { BrowserWindow: unknown; app: unknown };

const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
(Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load = (request, ...rest) => (request === 'electron' ? fake : load(request, ...rest));

const require = Module.createRequire(import.meta.url);
require(path.resolve(process.argv[2] ?? 'out/main/main.cjs'));
whenReadyResolve();
await new Promise((resolve) => setTimeout(resolve, 50));

const hostInfo = ipcHandlers.get('host-info');
const ipc: Record<string, unknown> = {};
for (const url of ['app://settledesk/index.html', 'https://evil.example/', null]) {
  try {
    ipc[String(url)] = await hostInfo?.({ senderFrame: url === null ? null : { url } });
  } catch (error) {
    ipc[String(url)] = `refused: ${(error as Error).message}`;
  }
}
const app = protocolHandlers.get('app');
// What each app:// URL was served from: a file URL under the renderer root, or a status.
const served: Record<string, string> = {};
for (const url of ['app://settledesk/index.html', 'app://settledesk/%2e%2e/%2e%2e/etc/passwd', 'app://settledesk/assets/..%2f..%2fsecret']) {
  const response = await app?.(new Request(url));
  served[url] = response === undefined ? 'no handler' : response.status === 200 ? await response.text() : `status ${response.status}`;
}
process.stdout.write(JSON.stringify({ record, ipc, served }));
