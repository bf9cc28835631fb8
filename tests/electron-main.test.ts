import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/** What tests/support/electron-main-harness.ts prints after driving the built main bundle. */
interface Harness {
  record: Record<string, unknown>[];
  webPreferences: Record<string, unknown> | null;
  windowCount: number;
  served: Record<string, { status: number; csp: string | null; body: string }>;
  page: Record<string, unknown> | null;
  ipc: Record<string, unknown>;
  safeStorageCalls: string[];
  notifications: Record<string, unknown>[];
  sentToRenderer: unknown[][];
  focusedOnSecondInstance: number;
  menuLabels: string[];
}

function runHarness(env: Record<string, string>): Harness {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'tests/support/electron-main-harness.ts', bundle], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, HARNESS_USER_DATA: path.join(outDir, `user-data-${Math.random().toString(16).slice(2)}`), ...env },
  });
  if (run.status !== 0) throw new Error(`harness exited ${run.status ?? run.signal}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Harness;
}

// Built into a folder of this test's own, so a parallel build of out/ cannot change it underfoot.
const outDir = mkdtempSync(path.join(tmpdir(), 'settledesk-main-'));
const bundle = path.join(outDir, 'main', 'main.cjs');

describe('Electron main (built bundle, fake electron typed against the real API)', () => {
  const build = spawnSync(process.execPath, ['scripts/build-electron.js', '--out', outDir], { encoding: 'utf8' });
  const desk = build.status === 0 ? runHarness({ HARNESS_BACKEND: 'basic_text' }) : null;
  const rendererRoot = pathToFileURL(path.join(outDir, 'renderer')).toString();
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('builds main and preload as CommonJS, and the preload carries no zod or ipcRenderer export', () => {
    expect(build.status, build.stderr).toBe(0);
    const preload = readFileSync(path.join(outDir, 'preload', 'preload.cjs'), 'utf8');
    expect(preload).toContain('exposeInMainWorld("settledesk"');
    expect(preload).not.toMatch(/ZodType|exposeInMainWorld\("ipcRenderer"/);
  });

  it('opens one sandboxed, context-isolated window without Node, on app:// rather than file://', () => {
    expect(desk?.windowCount).toBe(1);
    expect(desk?.webPreferences).toMatchObject({ preload: 'preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, webviewTag: false });
    expect(desk?.record).toContainEqual({ loadURL: 'app://settledesk/index.html' });
    expect(desk?.record).toContainEqual({ schemes: [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }] });
  });

  it('serves the renderer with a strict CSP header and nothing outside the renderer folder', () => {
    const index = desk?.served['app://settledesk/index.html'];
    expect(index?.status).toBe(200);
    expect(index?.body).toBe(`fetched ${rendererRoot}/index.html`);
    expect(index?.csp).toMatch(/^default-src 'none'; script-src 'self';/);
    expect(index?.csp).not.toContain('unsafe-eval');
    expect(desk?.served['app://settledesk/assets/..%2f..%2fsecret']).toMatchObject({ status: 404, csp: index?.csp });
  });

  it('keeps the page on the desk: navigation prevented, windows denied, only allow-listed links go out, permissions denied', () => {
    expect(desk?.page).toEqual({
      navigateAway: true,
      navigateInApp: false,
      openWindowEvil: { action: 'deny' },
      openWindowAllowed: { action: 'deny' },
      openedExternally: ['https://www.ecb.europa.eu/'],
      permissionMedia: false,
      permissionNotifications: false,
    });
  });

  it('answers IPC only from its own top frame and only with valid input', () => {
    expect(desk?.ipc.hostInfo).toEqual({ kind: 'electron', version: '0.1.0' });
    expect(desk?.ipc.hostInfoFromEvil).toBe('refused ipc_untrusted_sender');
    expect(desk?.ipc.hostInfoFromNoFrame).toBe('refused ipc_untrusted_sender');
    expect(desk?.ipc.storeBadName).toBe('refused ipc_invalid_input');
    expect(desk?.ipc.channels).toEqual(['file-save', 'files-open', 'host-info', 'host-notify', 'host-open-external', 'secret-forget', 'secret-server-token', 'secret-store', 'secrets-status', 'secrets-unlock', 'statement-export-signed', 'statement-signing-import', 'statement-signing-status']);
  });

  it.runIf(process.platform === 'linux')('refuses safeStorage basic_text on Linux: secrets wait for a passphrase', () => {
    expect(desk?.ipc.secretsStatus).toEqual({ mode: 'passphrase', reason: 'linux_basic_text', unlocked: false, stored: [] });
    expect(desk?.ipc.storeToken).toBe('refused secret_store_locked');
    expect(desk?.safeStorageCalls).not.toContain('encryptStringAsync');
  });

  it('seals with safeStorage async API when the OS has a real secret store', () => {
    const withKeyring = runHarness({ HARNESS_BACKEND: 'gnome_libsecret' });
    expect(withKeyring.ipc.secretsStatus).toEqual({ mode: 'os', stored: [] });
    expect(withKeyring.ipc.storeToken).toBeUndefined();
    expect(withKeyring.safeStorageCalls).toEqual(['isAsyncEncryptionAvailable', ...(process.platform === 'linux' ? ['getSelectedStorageBackend'] : []), 'encryptStringAsync']);
  });

  it('sets the application menu, sends its commands to the desk, and shows alerts as notifications', () => {
    expect(desk?.record).toContainEqual({ menuSet: true });
    expect(desk?.menuLabels).toEqual(expect.arrayContaining(['&File', '&Edit', '&View']));
    expect(desk?.sentToRenderer).toEqual([['desk-command', 'import-files']]);
    expect(desk?.notifications).toEqual([{ title: 'Sync failed', body: 'offline since 09:12', urgency: 'critical', silent: false }]);
  });

  it('holds a single-instance lock: a second launch focuses the desk, and without the lock main quits', () => {
    expect(desk?.focusedOnSecondInstance).toBe(1);
    const second = runHarness({ HARNESS_LOCK: 'denied' });
    expect(second.record).toContainEqual({ quit: true });
    expect(second.windowCount).toBe(0);
    expect(second.ipc.channels).toEqual([]);
  });
});
