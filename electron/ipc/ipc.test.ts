import type * as Electron from 'electron';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettleDeskError } from '../../core/errors.ts';
import type { SecretName } from '../../node/secrets/secret-vault.ts';
import type { DeskAlert } from '../../renderer/host/host.ts';
import type { FileDialogs } from './file-handlers.ts';
import { assertDistinctChannels, createHandlers } from './handlers.ts';
import { registerHandlers, type IpcMainLike } from './register.ts';

type Listener = Parameters<Electron.IpcMain['handle']>[1];
const DESK_FRAME = { url: 'app://settledesk/index.html', parent: null };

/** ipcMain as the handlers see it, and a way to invoke a channel as a given frame would. */
function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (listeners.has(channel)) throw new Error(`second handler for ${channel}`);
      listeners.set(channel, listener);
    },
  };
  const invoke = async (channel: string, frame: { url: string; parent: unknown } | null, ...args: unknown[]): Promise<unknown> => {
    const listener = listeners.get(channel);
    if (listener === undefined) throw new Error(`no handler for ${channel}`);
    return listener({ senderFrame: frame } as Electron.IpcMainInvokeEvent, ...args);
  };
  return { ipcMain, invoke, channels: () => [...listeners.keys()].sort() };
}

function desk(dialogs: Partial<FileDialogs> = {}) {
  const calls: string[] = [];
  const alerts: DeskAlert[] = [];
  const stored = new Map<SecretName, string>([['signing-passphrase', 'p12-secret'], ['server-token', 'tok-1']]);
  const handlers = createHandlers({
    host: { version: '0.1.0', openExternal: async (url) => (calls.push(`open ${url}`), true), notify: (alert) => void alerts.push(alert) },
    dialogs: {
      showOpenDialog: dialogs.showOpenDialog ?? (async () => ({ canceled: true, filePaths: [] })),
      showSaveDialog: dialogs.showSaveDialog ?? (async () => ({ canceled: true, filePath: '' })),
      showMessageBox: async () => ({ response: 1 }),
    },
    secrets: {
      status: async () => ({ mode: 'passphrase', reason: 'linux_basic_text', unlocked: false, stored: [...stored.keys()] }),
      unlock: async () => void calls.push('unlock'),
      store: async (name, value) => void (calls.push(`store ${name}`), stored.set(name, value)),
      read: async (name) => (calls.push(`read ${name}`), stored.get(name) ?? null),
      forget: async (name) => void (calls.push(`forget ${name}`), stored.delete(name)),
    },
    signing: {
      status: async () => ({ configured: false, certificate: null }),
      importP12: async () => {
        throw new Error('not in this test');
      },
      exportSigned: async () => {
        throw new Error('not in this test');
      },
    },
  });
  const ipc = fakeIpcMain();
  registerHandlers(ipc.ipcMain, handlers);
  return { ...ipc, calls, alerts };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'answered';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('IPC handlers: sender and input checked before any service runs', () => {
  it('answers the desk and refuses a foreign page, a sub-frame and a missing frame', async () => {
    const { invoke, calls } = desk();
    expect(await invoke('host-info', DESK_FRAME)).toEqual({ kind: 'electron', version: '0.1.0' });
    expect(await refusal(invoke('secret-server-token', { url: 'https://evil.example/', parent: null }))).toBe('ipc_untrusted_sender');
    expect(await refusal(invoke('secret-server-token', { url: 'app://settledesk/ad.html', parent: DESK_FRAME }))).toBe('ipc_untrusted_sender');
    expect(await refusal(invoke('secret-server-token', null))).toBe('ipc_untrusted_sender');
    expect(await refusal(invoke('host-open-external', { url: 'file:///index.html', parent: null }, 'https://www.ecb.europa.eu/'))).toBe('ipc_untrusted_sender');
    expect(calls).toEqual([]);
  });

  it('refuses input the schema does not accept, without calling the service', async () => {
    const { invoke, calls, alerts } = desk();
    const bad: [string, unknown[]][] = [
      ['host-info', ['unexpected']],
      ['secret-store', [{ name: 'private-key', value: 'x' }]],
      ['secret-store', [{ name: 'server-token', value: '' }]],
      ['secret-store', [{ name: 'server-token', value: 'x', extra: true }]],
      ['secrets-unlock', ['short']],
      ['host-notify', [{ title: 'Sync failed', body: 'x', severity: 'fatal' }]],
      ['host-open-external', [{ url: 'https://www.ecb.europa.eu/' }]],
      ['file-save', [{ title: 'Save', suggestedName: '../../.bashrc', filters: [], bytes: new Uint8Array([1]) }]],
      ['file-save', [{ title: 'Save', suggestedName: 'a.csv', filters: [], bytes: 'not bytes' }]],
      ['files-open', [{ title: 'Open', filters: [{ name: 'CSV', extensions: ['csv; rm -rf'] }], multiple: false }]],
      ['secret-forget', [{ name: 'server-token' }, 'second argument']],
    ];
    for (const [channel, args] of bad) {
      expect(await refusal(invoke(channel, DESK_FRAME, ...args)), `${channel} ${JSON.stringify(args)}`).toBe('ipc_invalid_input');
    }
    expect(calls).toEqual([]);
    expect(alerts).toEqual([]);
  });

  it('calls the service with valid input', async () => {
    const { invoke, calls, alerts } = desk();
    await invoke('secret-store', DESK_FRAME, { name: 'server-token', value: 'tok-2' });
    expect(await invoke('secret-server-token', DESK_FRAME)).toBe('tok-2');
    await invoke('host-notify', DESK_FRAME, { title: 'Conflict on P001', body: 'Two analysts changed one exception', severity: 'high' });
    expect(await invoke('host-open-external', DESK_FRAME, 'https://www.ecb.europa.eu/')).toBe(true);
    expect(calls).toEqual(['store server-token', 'read server-token', 'open https://www.ecb.europa.eu/']);
    expect(alerts).toEqual([{ title: 'Conflict on P001', body: 'Two analysts changed one exception', severity: 'high' }]);
  });

  it('has no channel that returns the signing passphrase', async () => {
    const { invoke, channels, calls } = desk();
    expect(channels()).toEqual(['file-save', 'files-open', 'host-info', 'host-notify', 'host-open-external', 'secret-forget', 'secret-server-token', 'secret-store', 'secrets-status', 'secrets-unlock', 'statement-export-signed', 'statement-signing-import', 'statement-signing-status']);
    for (const channel of ['host-info', 'secrets-status', 'secret-server-token', 'statement-signing-status']) {
      expect(JSON.stringify(await invoke(channel, DESK_FRAME))).not.toContain('p12-secret');
    }
    expect(calls.filter((call) => call.startsWith('read'))).toEqual(['read server-token']);
  });

  it('puts the code first in every rejection message, since the renderer sees only the message', async () => {
    const { invoke } = desk();
    await expect(invoke('host-info', null)).rejects.toThrow(/^ipc_untrusted_sender: IPC host-info refused/);
    await expect(invoke('secret-store', DESK_FRAME, { name: 'nope', value: 'x' })).rejects.toThrow(/^ipc_invalid_input: /);
    const locked = createHandlers({
      host: { version: '0', openExternal: async () => false, notify: () => undefined },
      dialogs: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true, filePath: '' }), showMessageBox: async () => ({ response: 1 }) },
      secrets: {
        status: async () => ({ mode: 'os', stored: [] }),
        unlock: async () => undefined,
        store: async () => {
          throw new SettleDeskError('secret_store_locked', 'the secret store is locked');
        },
        read: async () => {
          throw new Error('EACCES: permission denied');
        },
        forget: async () => undefined,
      },
      signing: {
        status: async () => ({ configured: false, certificate: null }),
        importP12: async () => {
          throw new Error('not in this test');
        },
        exportSigned: async () => {
          throw new Error('not in this test');
        },
      },
    });
    const ipc = fakeIpcMain();
    registerHandlers(ipc.ipcMain, locked);
    await expect(ipc.invoke('secret-store', DESK_FRAME, { name: 'server-token', value: 'x' })).rejects.toMatchObject({ code: 'secret_store_locked', message: 'secret_store_locked: the secret store is locked' });
    await expect(ipc.invoke('secret-server-token', DESK_FRAME)).rejects.toMatchObject({ code: 'internal_error', message: 'internal_error: EACCES: permission denied' });
  });

  it('refuses two domains claiming one channel', () => {
    expect(() => assertDistinctChannels([{ 'host-info': { input: undefined as never, run: async () => 1 } }, { 'host-info': { input: undefined as never, run: async () => 2 } }])).toThrow(
      expect.objectContaining({ code: 'ipc_duplicate_handler' }),
    );
  });
});

describe('file dialogs over IPC', () => {
  it('returns the picked files as names and bytes, and nothing when cancelled', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'settledesk-open-'));
    writeFileSync(path.join(folder, 'a.sta'), 'A');
    writeFileSync(path.join(folder, 'b.csv'), 'B');
    const asked: Electron.OpenDialogOptions[] = [];
    const { invoke } = desk({ showOpenDialog: async (options) => (asked.push(options), { canceled: false, filePaths: [path.join(folder, 'a.sta'), path.join(folder, 'b.csv')] }) });
    const files = (await invoke('files-open', DESK_FRAME, { title: 'Import', filters: [{ name: 'Statements', extensions: ['sta', 'csv'] }], multiple: true })) as { name: string; bytes: Uint8Array }[];
    expect(files.map((file) => [file.name, Buffer.from(file.bytes).toString()])).toEqual([['a.sta', 'A'], ['b.csv', 'B']]);
    expect(asked[0]?.properties).toEqual(['openFile', 'multiSelections']);
    expect(await desk().invoke('files-open', DESK_FRAME, { title: 'Import', filters: [], multiple: false })).toEqual([]);
  });

  it('saves the bytes where the analyst chose, suggesting only a bare file name', async () => {
    const target = path.join(mkdtempSync(path.join(tmpdir(), 'settledesk-save-')), 'chosen.pdf');
    const asked: Electron.SaveDialogOptions[] = [];
    const { invoke } = desk({ showSaveDialog: async (options) => (asked.push(options), { canceled: false, filePath: target }) });
    const result = await invoke('file-save', DESK_FRAME, { title: 'Export', suggestedName: 'P001.pdf', filters: [{ name: 'PDF', extensions: ['pdf'] }], bytes: new TextEncoder().encode('%PDF') });
    expect(result).toEqual({ saved: true, name: 'chosen.pdf' });
    expect(readFileSync(target, 'utf8')).toBe('%PDF');
    expect(asked[0]?.defaultPath).toBe('P001.pdf');
  });
});
