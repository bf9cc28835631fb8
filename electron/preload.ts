import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DeskCommand, HostAdapter } from '../renderer/host/host.ts';
import { DESK_COMMAND_CHANNEL, isDeskCommand } from './ipc/commands.ts';
import type { Handlers, InputOf, OutputOf } from './ipc/handlers.ts';

/**
 * The only bridge to the renderer: one object of plain functions, typed against the renderer's
 * HostAdapter contract, each calling one IPC channel of the Handlers map. ipcRenderer itself is
 * never exposed (a page holding it could call any channel or listen to any message). Handlers is
 * imported as a type only, so this sandboxed bundle carries no zod and no main-process code.
 */
type Channel = keyof Handlers;
type Args<C extends Channel> = undefined extends InputOf<Handlers[C]> ? [] : [InputOf<Handlers[C]>];

function invoke<C extends Channel>(channel: C, ...input: Args<C>): Promise<OutputOf<Handlers[C]>> {
  return ipcRenderer.invoke(channel, ...input) as Promise<OutputOf<Handlers[C]>>;
}

contextBridge.exposeInMainWorld('settledesk', {
  info: () => invoke('host-info'),
  openFiles: (request) => invoke('files-open', request),
  saveFile: (request) => invoke('file-save', request),
  notify: (alert) => invoke('host-notify', alert),
  openExternal: (url) => invoke('host-open-external', url),
  secretStatus: () => invoke('secrets-status'),
  unlockSecrets: (passphrase) => invoke('secrets-unlock', passphrase),
  storeSecret: (name, value) => invoke('secret-store', { name, value }),
  forgetSecret: (name) => invoke('secret-forget', { name }),
  serverToken: () => invoke('secret-server-token'),
  signingStatus: () => invoke('statement-signing-status'),
  importSigningCertificate: (passphrase) => invoke('statement-signing-import', { passphrase }),
  exportSignedStatement: (request) => invoke('statement-export-signed', { documentJson: request.documentJson, locale: request.locale }),
  onCommand: (listener: (command: DeskCommand) => void) => {
    // The renderer's listener gets the command only, never the IPC event (it holds the sender).
    const relay = (_event: IpcRendererEvent, command: unknown): void => {
      if (isDeskCommand(command)) listener(command);
    };
    ipcRenderer.on(DESK_COMMAND_CHANNEL, relay);
    return () => void ipcRenderer.removeListener(DESK_COMMAND_CHANNEL, relay);
  },
} satisfies HostAdapter);
