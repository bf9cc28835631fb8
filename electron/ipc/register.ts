import type * as Electron from 'electron';
import { z } from 'zod';
import { SettleDeskError } from '../../core/errors.ts';
import { isTrustedSenderFrame } from '../ipc-sender.ts';
import type { HandlerMap } from './define.ts';

/**
 * Binds each handler to ipcMain.handle behind two checks, in this order: the sender is the desk's
 * own top frame on app://, and the one argument passes the handler's zod schema. Only then is the
 * service called. A refusal is a typed error naming the channel.
 *
 * Electron hands the renderer only an error's message, so every rejection's message starts with
 * its code ("secret_store_locked: …"): the desk can tell a locked store from a refused file.
 */
export type IpcMainLike = Pick<Electron.IpcMain, 'handle'>;
export type InvokeEvent = Pick<Electron.IpcMainInvokeEvent, 'senderFrame'>;

export function registerHandlers(ipcMain: IpcMainLike, handlers: HandlerMap): void {
  for (const [channel, handler] of Object.entries(handlers)) {
    ipcMain.handle(channel, async (event: InvokeEvent, ...args: unknown[]) => {
      try {
        return await checkAndRun(channel, handler, event, args);
      } catch (error) {
        throw withCodeInMessage(error);
      }
    });
  }
}

function checkAndRun(channel: string, handler: HandlerMap[string], event: InvokeEvent, args: unknown[]): Promise<unknown> {
  if (!isTrustedSenderFrame(event.senderFrame)) {
    throw new SettleDeskError('ipc_untrusted_sender', `IPC ${channel} refused: the sender is not the desk's own frame`, {}, { channel, url: event.senderFrame?.url ?? null });
  }
  if (args.length > 1) throw new SettleDeskError('ipc_invalid_input', `IPC ${channel} refused: one argument expected, ${args.length} given`, {}, { channel });
  const parsed = handler.input.safeParse(args[0]);
  if (!parsed.success) throw new SettleDeskError('ipc_invalid_input', `IPC ${channel} refused: ${z.prettifyError(parsed.error)}`, {}, { channel });
  return handler.run(parsed.data);
}

function withCodeInMessage(error: unknown): SettleDeskError {
  if (error instanceof SettleDeskError) return new SettleDeskError(error.code, `${error.code}: ${error.message}`, error.location, error.details);
  return new SettleDeskError('internal_error', `internal_error: ${error instanceof Error ? error.message : String(error)}`);
}
