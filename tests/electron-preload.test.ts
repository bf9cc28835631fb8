import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as Electron from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeskCommand, HostAdapter } from '../renderer/host/host.ts';

/**
 * Runs the built, sandboxed preload bundle against a fake contextBridge and ipcRenderer (typed by
 * electron.d.ts) and looks at what the page would get: the HostAdapter object and nothing else.
 */
const outDir = mkdtempSync(path.join(tmpdir(), 'settledesk-preload-'));

function loadPreload() {
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const listeners = new Map<string, ((event: Electron.IpcRendererEvent, ...args: unknown[]) => void)[]>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api) } satisfies Pick<Electron.ContextBridge, 'exposeInMainWorld'>,
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => (invoked.push([channel, ...args]), `answer to ${channel}`),
      on(channel: string, listener: (event: Electron.IpcRendererEvent, ...args: unknown[]) => void) {
        listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
        return this;
      },
      removeListener(channel: string, listener: (event: Electron.IpcRendererEvent, ...args: unknown[]) => void) {
        listeners.set(channel, (listeners.get(channel) ?? []).filter((candidate) => candidate !== listener));
        return this;
      },
    },
  };
  const source = readFileSync(path.join(outDir, 'preload', 'preload.cjs'), 'utf8');
  const module = { exports: {} };
  const required: string[] = [];
  // A sandboxed preload may require only 'electron' (and a few polyfilled built-ins): check that.
  const requireInSandbox = (name: string): unknown => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  new Function('require', 'module', 'exports', source)(requireInSandbox, module, module.exports);
  const emit = (channel: string, ...args: unknown[]): void => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'ipc-renderer-event' } as unknown as Electron.IpcRendererEvent, ...args);
  };
  return { exposed, invoked, listeners, emit, required };
}

describe('Electron preload (built bundle)', () => {
  const build = spawnSync(process.execPath, ['scripts/build-electron.js', '--out', outDir], { encoding: 'utf8' });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('exposes one object, the HostAdapter, and requires nothing but electron', () => {
    expect(build.status, build.stderr).toBe(0);
    const { exposed, required } = loadPreload();
    expect([...exposed.keys()]).toEqual(['settledesk']);
    const host = exposed.get('settledesk') as Record<string, unknown>;
    expect(Object.keys(host).sort()).toEqual(['exportSignedStatement', 'forgetSecret', 'importSigningCertificate', 'info', 'notify', 'onCommand', 'openExternal', 'openFiles', 'saveFile', 'secretStatus', 'serverToken', 'signingStatus', 'storeSecret', 'unlockSecrets']);
    expect(Object.values(host).every((value) => typeof value === 'function')).toBe(true);
    expect(required).toEqual(['electron']);
  });

  it('turns each call into one invoke on its channel, never handing out ipcRenderer', async () => {
    const { exposed, invoked } = loadPreload();
    const host = exposed.get('settledesk') as HostAdapter;
    expect(await host.info()).toBe('answer to host-info');
    await host.storeSecret('server-token', 'tok');
    await host.openExternal('https://www.ecb.europa.eu/');
    await host.saveFile({ title: 'Export', suggestedName: 'P001.pdf', filters: [], bytes: new Uint8Array([37]) });
    await host.importSigningCertificate('p12 passphrase');
    await host.exportSignedStatement({ documentJson: '{}', locale: 'ko' });
    expect(invoked).toEqual([
      ['host-info'],
      ['secret-store', { name: 'server-token', value: 'tok' }],
      ['host-open-external', 'https://www.ecb.europa.eu/'],
      ['file-save', { title: 'Export', suggestedName: 'P001.pdf', filters: [], bytes: new Uint8Array([37]) }],
      ['statement-signing-import', { passphrase: 'p12 passphrase' }],
      ['statement-export-signed', { documentJson: '{}', locale: 'ko' }],
    ]);
    expect(JSON.stringify(Object.keys(host))).not.toContain('ipcRenderer');
  });

  it('relays menu commands without the IPC event, drops unknown ones, and stops on unsubscribe', () => {
    const { exposed, emit, listeners } = loadPreload();
    const host = exposed.get('settledesk') as HostAdapter;
    const received: unknown[][] = [];
    const stop = host.onCommand((...args: [DeskCommand]) => void received.push(args));
    emit('desk-command', 'import-files');
    emit('desk-command', 'rm -rf');
    emit('desk-command', { toString: () => 'find' });
    expect(received).toEqual([['import-files']]);
    stop();
    expect(listeners.get('desk-command')).toEqual([]);
  });
});
