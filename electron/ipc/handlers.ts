import { SettleDeskError } from '../../core/errors.ts';
import type { HandlerMap } from './define.ts';
import { createFileHandlers, type FileDialogs, type FileHandlers } from './file-handlers.ts';
import { createHostHandlers, type HostHandlers, type HostServices } from './host-handlers.ts';
import { createSecretHandlers, type SecretHandlers, type SecretServices } from './secret-handlers.ts';
import { createStatementHandlers, type ConfirmDialogs, type StatementHandlers, type StatementServices } from './statement-handlers.ts';

export type { InputOf, OutputOf } from './define.ts';

/** Every IPC channel the desk answers, one typed map per domain (Actual's Handlers pattern). */
export type Handlers = HostHandlers & FileHandlers & SecretHandlers & StatementHandlers;

export interface HandlerServices {
  readonly host: HostServices;
  readonly dialogs: FileDialogs & ConfirmDialogs;
  readonly secrets: SecretServices;
  /** Statement signing; it shares the native dialogs above. */
  readonly signing: StatementServices['signing'];
}

/** Two domains claiming one channel would silently replace a handler: refuse that instead. */
export function assertDistinctChannels(maps: readonly HandlerMap[]): void {
  const seen = new Set<string>();
  for (const map of maps) {
    for (const channel of Object.keys(map)) {
      if (seen.has(channel)) throw new SettleDeskError('ipc_duplicate_handler', `two IPC handlers claim the channel ${channel}`, {}, { channel });
      seen.add(channel);
    }
  }
}

export function createHandlers(services: HandlerServices): Handlers {
  const host = createHostHandlers(services.host);
  const files = createFileHandlers(services.dialogs);
  const secrets = createSecretHandlers(services.secrets);
  const statements = createStatementHandlers({ signing: services.signing, dialogs: services.dialogs });
  assertDistinctChannels([host, files, secrets, statements]);
  return { ...host, ...files, ...secrets, ...statements };
}
