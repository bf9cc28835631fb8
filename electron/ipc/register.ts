import type * as Electron from 'electron';
import { z } from 'zod';
import { SettleDeskError } from '../../core/errors.ts';
import { isTrustedSenderFrame } from '../ipc-sender.ts';
import type { HandlerMap } from './define.ts';

/**
 * Binds each handler to ipcMain.handle behind two checks, in this order: the sender is the desk's
 * own top frame on app://, and the one argument passes the handler's zod schema. Only then is the
 * service called. A refusal is a typed error naming the channel.
 */
export type IpcMainLike = Pick<Electron.IpcMain, 'handle'>;
export type InvokeEvent = Pick<Electron.IpcMainInvokeEvent, 'senderFrame'>;

export function registerHandlers(ipcMain: IpcMainLike, handlers: HandlerMap): void {
  for (const [channel, handler] of Object.entries(handlers)) {
    ipcMain.handle(channel, (event: InvokeEvent, ...args: unknown[]) => {
      if (!isTrustedSenderFrame(event.senderFrame)) {
        throw new SettleDeskError('ipc_untrusted_sender', `IPC ${channel} refused: the sender is not the desk's own frame`, {}, { channel, url: event.senderFrame?.url ?? null });
      }
      if (args.length > 1) throw new SettleDeskError('ipc_invalid_input', `IPC ${channel} refused: one argument expected, ${args.length} given`, {}, { channel });
      const parsed = handler.input.safeParse(args[0]);
      if (!parsed.success) throw new SettleDeskError('ipc_invalid_input', `IPC ${channel} refused: ${z.prettifyError(parsed.error)}`, {}, { channel });
      return handler.run(parsed.data);
    });
  }
}
