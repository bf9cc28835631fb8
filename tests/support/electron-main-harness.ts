/**
 * Loads the built Electron main bundle (out/main/main.cjs) in plain Node with a fake `electron`
 * module, since the Electron binary cannot run here. The fake is typed against Electron's own API
 * (electron.d.ts), records what main asks of it, then drives main as Electron and a page would:
 * app:// requests, navigations, window.open, permission requests, IPC from several frames, menu
 * clicks and a second launch. It prints the record as one JSON document.
 *
 * Environment: HARNESS_LOCK=denied (another instance holds the lock), HARNESS_BACKEND (the Linux
 * safeStorage backend to report), HARNESS_USER_DATA (app.getPath('userData')).
 */
import Module from 'node:module';
import path from 'node:path';
import type * as Electron from 'electron';
import { FakeSafeStorage, FakeSession, FakeWebContents } from './fake-electron.ts';

type Listener = (...args: never[]) => unknown;
type IpcListener = Parameters<Electron.IpcMain['handle']>[1];
type ProtocolHandler = Parameters<Electron.Protocol['handle']>[1];

const record: Record<string, unknown>[] = [];
const appListeners = new Map<string, Listener[]>();
const ipcHandlers = new Map<string, IpcListener>();
const protocolHandlers = new Map<string, ProtocolHandler>();
const windows: FakeBrowserWindow[] = [];
let menuTemplate: Electron.MenuItemConstructorOptions[] = [];
let whenReadyResolve: () => void = () => undefined;

class FakeWindowContents extends FakeWebContents {
  readonly sent: unknown[][] = [];
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
}

class FakeBrowserWindow {
  readonly webContents = new FakeWindowContents();
  focused = 0;
  constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
    windows.push(this);
    // As Electron does: every new web contents is announced to the app.
    fire('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    record.push({ loadURL: url });
    return Promise.resolve();
  }
  once(): this {
    return this;
  }
  on(): this {
    return this;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {
    this.focused += 1;
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return windows;
  }
}

function fire(name: string, ...args: unknown[]): void {
  for (const listener of appListeners.get(name) ?? []) (listener as (...args: unknown[]) => unknown)(...args);
}

const lockGranted = process.env.HARNESS_LOCK !== 'denied';
const fakeApp = {
  requestSingleInstanceLock: () => lockGranted,
  whenReady: () => new Promise<void>((resolve) => (whenReadyResolve = resolve)),
  isReady: () => true,
  on: (name: string, listener: Listener) => {
    appListeners.set(name, [...(appListeners.get(name) ?? []), listener]);
    return fakeApp;
  },
  getVersion: () => '0.1.0',
  getName: () => 'SettleDesk',
  getPath: (name: string) => (name === 'userData' ? (process.env.HARNESS_USER_DATA ?? '/nonexistent') : '/nonexistent'),
  isPackaged: true,
  quit: () => void record.push({ quit: true }),
  exit: (code: number) => void record.push({ exit: code }),
} satisfies Partial<Record<keyof Electron.App, unknown>>;

const notifications: Electron.NotificationConstructorOptions[] = [];
class FakeNotification {
  constructor(readonly options: Electron.NotificationConstructorOptions) {}
  show(): void {
    notifications.push(this.options);
  }
  static isSupported(): boolean {
    return true;
  }
}

const defaultSession = new FakeSession();
const safeStorage = new FakeSafeStorage((process.env.HARNESS_BACKEND ?? 'basic_text') as ReturnType<Electron.SafeStorage['getSelectedStorageBackend']>);
const openedExternally: string[] = [];

const fake = {
  app: fakeApp,
  BrowserWindow: FakeBrowserWindow,
  Menu: {
    buildFromTemplate: (template: Electron.MenuItemConstructorOptions[]) => ((menuTemplate = template), { template }),
    setApplicationMenu: () => void record.push({ menuSet: true }),
  },
  Notification: FakeNotification,
  dialog: {
    showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    showSaveDialog: async () => ({ canceled: true, filePath: '' }),
    showErrorBox: (title: string, content: string) => void record.push({ errorBox: `${title}: ${content}` }),
  },
  ipcMain: { handle: (channel: string, listener: IpcListener) => void ipcHandlers.set(channel, listener) },
  net: { fetch: async (url: string) => new Response(`fetched ${url}`) },
  protocol: {
    registerSchemesAsPrivileged: (schemes: Electron.CustomScheme[]) => void record.push({ schemes }),
    handle: (scheme: string, handler: ProtocolHandler) => void protocolHandlers.set(scheme, handler),
  },
  safeStorage,
  session: { defaultSession },
  shell: { openExternal: async (url: string) => void openedExternally.push(url) },
} satisfies { [K in 'ipcMain' | 'net' | 'protocol' | 'dialog' | 'shell']: Partial<Record<keyof (typeof Electron)[K], unknown>> } & Record<string, unknown>;

const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
(Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load = (request, ...rest) => (request === 'electron' ? fake : load(request, ...rest));

const require = Module.createRequire(import.meta.url);
require(path.resolve(process.argv[2] ?? 'out/main/main.cjs'));
whenReadyResolve();
await new Promise((resolve) => setTimeout(resolve, 100));

const window = windows[0];
const contents = window?.webContents;
const deskFrame = { url: 'app://settledesk/index.html', parent: null };

async function invoke(channel: string, frame: unknown, ...args: unknown[]): Promise<unknown> {
  const handler = ipcHandlers.get(channel);
  if (handler === undefined) return 'no handler';
  try {
    return await handler({ senderFrame: frame } as Electron.IpcMainInvokeEvent, ...args);
  } catch (error) {
    return `refused ${(error as { code?: string }).code ?? (error as Error).message}`;
  }
}

const served: Record<string, { status: number; csp: string | null; body: string }> = {};
for (const url of ['app://settledesk/index.html', 'app://settledesk/assets/..%2f..%2fsecret']) {
  const response = await protocolHandlers.get('app')?.(new Request(url));
  if (response !== undefined) served[url] = { status: response.status, csp: response.headers.get('content-security-policy'), body: await response.text() };
}

const page =
  contents === undefined
    ? null
    : {
        navigateAway: contents.navigate('https://evil.example/'),
        navigateInApp: contents.navigate('app://settledesk/index.html#/exceptions'),
        openWindowEvil: contents.openWindow('https://evil.example/'),
        openWindowAllowed: contents.openWindow('https://www.ecb.europa.eu/'),
        openedExternally: [...openedExternally],
        permissionMedia: defaultSession.request('media'),
        permissionNotifications: defaultSession.request('notifications'),
      };

const ipc = {
  channels: [...ipcHandlers.keys()].sort(),
  hostInfo: await invoke('host-info', deskFrame),
  hostInfoFromEvil: await invoke('host-info', { url: 'https://evil.example/', parent: null }),
  hostInfoFromNoFrame: await invoke('host-info', null),
  storeBadName: await invoke('secret-store', deskFrame, { name: 'private-key', value: 'x' }),
  secretsStatus: await invoke('secrets-status', deskFrame),
  storeToken: await invoke('secret-store', deskFrame, { name: 'server-token', value: 'tok-harness' }),
  notify: await invoke('host-notify', deskFrame, { title: 'Sync failed', body: 'offline since 09:12', severity: 'high' }),
};

// The menu's Import item, clicked, reaches the renderer as a desk command.
const importItem = menuTemplate.flatMap((item) => (Array.isArray(item.submenu) ? item.submenu : [])).find((item) => item.label === 'Import Files…');
(importItem?.click as (() => void) | undefined)?.();

fire('second-instance', {}, [], '/');

process.stdout.write(
  JSON.stringify({
    record,
    webPreferences: window === undefined ? null : { ...window.options.webPreferences, preload: path.basename(window.options.webPreferences?.preload ?? '') },
    windowCount: windows.length,
    served,
    page,
    ipc,
    safeStorageCalls: safeStorage.calls,
    notifications,
    sentToRenderer: contents?.sent ?? [],
    focusedOnSecondInstance: window?.focused ?? 0,
    menuLabels: menuTemplate.map((item) => item.label ?? item.role),
  }),
);
