/**
 * Fakes of the Electron objects the thin glue in electron/ touches, typed against Electron's own
 * API (electron.d.ts), for tests that run in plain Node (the Electron binary cannot be downloaded
 * on these machines). Each fake records what was asked of it and lets a test fire the events a
 * real Electron would.
 */
import type * as Electron from 'electron';
import type { AsyncSafeStorage } from '../../electron/secrets/safe-storage-cipher.ts';

type Listener = (...args: never[]) => unknown;

/** An event as Electron passes it to listeners, recording preventDefault(). */
export function fakeEvent<Params extends object>(params: Params): Electron.Event<Params> {
  let prevented = false;
  return Object.assign(
    {
      preventDefault: () => {
        prevented = true;
      },
      get defaultPrevented() {
        return prevented;
      },
    },
    params,
  );
}

class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }
  fire(name: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(name) ?? []) (listener as (...args: unknown[]) => unknown)(...args);
  }
}

export class FakeWebContents extends FakeEmitter {
  windowOpenHandler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0] | null = null;
  setWindowOpenHandler(handler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0]): void {
    this.windowOpenHandler = handler;
  }
  /** What Electron would do with a window.open(url) from the page. */
  openWindow(url: string): Electron.WindowOpenHandlerResponse {
    if (this.windowOpenHandler === null) throw new Error('no window open handler set');
    return this.windowOpenHandler({ url, frameName: '', features: '', disposition: 'new-window', referrer: { url: 'app://settledesk/', policy: 'default' } });
  }
  /** Fires will-navigate as Electron does and says whether the navigation was prevented. */
  navigate(url: string): boolean {
    const event = fakeEvent<Electron.WebContentsWillNavigateEventParams>({ url, isSameDocument: false, isMainFrame: true, frame: null });
    this.fire('will-navigate', event, url, false, true, 1, 1);
    return event.defaultPrevented;
  }
  frameNavigate(url: string): boolean {
    const event = fakeEvent<Electron.WebContentsWillFrameNavigateEventParams>({ url, isSameDocument: false, isMainFrame: false, frame: null });
    this.fire('will-frame-navigate', event);
    return event.defaultPrevented;
  }
  redirect(url: string): boolean {
    const event = fakeEvent<Electron.WebContentsWillRedirectEventParams>({ url, isSameDocument: false, isMainFrame: true, frame: null });
    this.fire('will-redirect', event, url, false, true, 1, 1);
    return event.defaultPrevented;
  }
  attachWebview(): boolean {
    const event = fakeEvent({});
    this.fire('will-attach-webview', event, {}, {});
    return event.defaultPrevented;
  }
}

type PermissionRequestHandler = Exclude<Parameters<Electron.Session['setPermissionRequestHandler']>[0], null>;
type PermissionCheckHandler = Exclude<Parameters<Electron.Session['setPermissionCheckHandler']>[0], null>;
type DevicePermissionHandler = Exclude<Parameters<Electron.Session['setDevicePermissionHandler']>[0], null>;
export type Permission = Parameters<PermissionRequestHandler>[1];

export class FakeSession extends FakeEmitter {
  requestHandler: PermissionRequestHandler | null = null;
  checkHandler: PermissionCheckHandler | null = null;
  deviceHandler: DevicePermissionHandler | null = null;
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.checkHandler = handler;
  }
  setDevicePermissionHandler(handler: DevicePermissionHandler | null): void {
    this.deviceHandler = handler;
  }
  /** Asks for a permission as a page would; resolves with the answer (or 'unanswered'). */
  request(permission: Permission): boolean | 'unanswered' {
    let answer: boolean | 'unanswered' = 'unanswered';
    this.requestHandler?.({} as Electron.WebContents, permission, (granted) => (answer = granted), { requestingUrl: 'app://settledesk/', isMainFrame: true });
    return answer;
  }
  check(permission: Permission): boolean | 'unanswered' {
    return this.checkHandler?.(null, permission, 'app://settledesk', { requestingUrl: 'app://settledesk/', isMainFrame: true, embeddingOrigin: 'app://settledesk', securityOrigin: 'app://settledesk' }) ?? 'unanswered';
  }
  download(): boolean {
    const event = fakeEvent({});
    this.fire('will-download', event, {}, {});
    return event.defaultPrevented;
  }
}

/** safeStorage with the async API only: the deprecated sync calls are absent, so using them would throw. */
export class FakeSafeStorage implements AsyncSafeStorage {
  readonly calls: string[] = [];
  constructor(
    private readonly backend: ReturnType<Electron.SafeStorage['getSelectedStorageBackend']>,
    private readonly available = true,
    private readonly rotated = false,
  ) {}
  async isAsyncEncryptionAvailable(): Promise<boolean> {
    this.calls.push('isAsyncEncryptionAvailable');
    return this.available;
  }
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    this.calls.push('encryptStringAsync');
    return Buffer.from(`sealed:${Buffer.from(plainText).toString('hex')}`);
  }
  async decryptStringAsync(encrypted: Buffer): Promise<Electron.DecryptStringAsyncReturnValue> {
    this.calls.push('decryptStringAsync');
    return { result: Buffer.from(encrypted.toString().replace(/^sealed:/, ''), 'hex').toString(), shouldReEncrypt: this.rotated };
  }
  getSelectedStorageBackend(): ReturnType<Electron.SafeStorage['getSelectedStorageBackend']> {
    this.calls.push('getSelectedStorageBackend');
    return this.backend;
  }
}
