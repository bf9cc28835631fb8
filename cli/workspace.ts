import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Pseudonymization } from '../core/ingest/import-file.ts';
import { SettleDeskError } from '../core/errors.ts';
import { UsageError } from './errors.ts';
import { readOptionText } from './files.ts';

export const DEFAULT_WORKSPACE = '.settledesk';

/**
 * The workspace's pseudonymization key: SETTLEDESK_PSEUDONYM_KEY, else `<workspace>/pseudonym.key`,
 * created with 32 random bytes on first use so the same customer gets the same pseudonym in every import.
 */
export function pseudonymization(mode: string | undefined, workspace: string): Pseudonymization {
  if (mode === 'off') return { mode: 'off' };
  if (mode !== undefined && mode !== 'on') throw new UsageError(`--pseudonymize must be on or off, not ${JSON.stringify(mode)}`);
  const fromEnv = process.env.SETTLEDESK_PSEUDONYM_KEY;
  if (fromEnv !== undefined && fromEnv.length > 0) return { mode: 'hmac', key: fromEnv };
  const keyFile = path.join(workspace, 'pseudonym.key');
  if (!existsSync(keyFile)) {
    try {
      mkdirSync(workspace, { recursive: true });
      writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      throw new SettleDeskError('workspace_unusable', `${workspace}: cannot hold the pseudonymization key (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { file: keyFile });
    }
  }
  return { mode: 'hmac', key: readOptionText(keyFile).trim() };
}
