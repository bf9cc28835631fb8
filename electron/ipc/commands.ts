/**
 * Main-to-renderer menu commands: one channel, a closed list of commands. Kept free of zod and of
 * anything main-only, since the sandboxed preload bundles it.
 */
import type { DeskCommand } from '../../renderer/host/host.ts';

export const DESK_COMMAND_CHANNEL = 'desk-command';
export const DESK_COMMANDS = ['import-files', 'export-statement', 'find'] as const satisfies readonly DeskCommand[];

export function isDeskCommand(value: unknown): value is DeskCommand {
  return typeof value === 'string' && (DESK_COMMANDS as readonly string[]).includes(value);
}
