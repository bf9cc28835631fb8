import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SettleDeskError } from '../core/errors.ts';

/**
 * Server settings from flags or the environment (flags win), so operators can run it as a
 * service: --host/HOST, --port/PORT, --data-dir/SETTLEDESK_DATA_DIR, --database-url/DATABASE_URL,
 * --db-schema/SETTLEDESK_DB_SCHEMA, --log-level/SETTLEDESK_LOG_LEVEL, --portal-dir/SETTLEDESK_PORTAL_DIR,
 * --cors-origins/SETTLEDESK_CORS_ORIGINS (comma-separated origins allowed to call from a browser),
 * --webhook-allow-private/SETTLEDESK_WEBHOOK_ALLOW_PRIVATE (true: partner webhooks may target private addresses),
 * --signing-p12/SETTLEDESK_SIGNING_P12 with --signing-passphrase-file/SETTLEDESK_SIGNING_PASSPHRASE_FILE (the server signs approved statements),
 * --webhook-key-file/SETTLEDESK_WEBHOOK_KEY_FILE (the key partner webhook secrets are encrypted under). Without DATABASE_URL the embedded PGlite keeps its files
 * in <data-dir>/pglite.
 */
export const ServerConfig = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65_535).default(8787),
  dataDir: z.string().min(1).default('.settledesk-server'),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional(),
  /** The PostgreSQL schema to keep tables in (one server per schema); `public` unless told. */
  dbSchema: z.string().regex(/^[a-z_][a-z0-9_]{0,47}$/, 'expected a lower-case schema name').default('public'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The renderer build holding portal/index.html (the partner portal); the repository's out/renderer unless told. */
  portalDir: z.string().min(1).optional(),
  /** Partner webhooks may target private, loopback and link-local addresses (an internal receiver); refused unless true. */
  webhookAllowPrivate: z.stringbool().optional(),
  /** The organization's PKCS#12 and a file holding its passphrase: the server signs each approved statement's PDF and JWS (server/partner/statement-artifacts.ts). */
  signingP12: z.string().min(1).optional(),
  signingPassphraseFile: z.string().min(1).optional(),
  /** A file holding 32 random bytes in base64: partner webhook secrets are stored AES-256-GCM encrypted under it (server/partner/webhook-secrets.ts). */
  webhookKeyFile: z.string().min(1).optional(),
  /** Browser origins allowed to call the API (CORS); none unless told, so only same-origin pages. */
  corsOrigins: z
    .string()
    .optional()
    .transform((text) => (text === undefined ? [] : text.split(',').map((origin) => origin.trim()).filter((origin) => origin.length > 0)))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s,]+$/, 'expected origins like https://desk.example.com (scheme and host, no path)')).max(100)),
}).refine((config) => (config.signingP12 === undefined) === (config.signingPassphraseFile === undefined), { path: ['signingP12'], message: '--signing-p12 and --signing-passphrase-file go together' });
export type ServerConfig = z.infer<typeof ServerConfig>;

export class ConfigError extends SettleDeskError {
  constructor(message: string) {
    super('config_invalid', message);
    this.name = 'ConfigError';
  }
}

export function readConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ServerConfig {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { host: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' }, 'database-url': { type: 'string' }, 'db-schema': { type: 'string' }, 'log-level': { type: 'string' }, 'portal-dir': { type: 'string' }, 'cors-origins': { type: 'string' }, 'webhook-allow-private': { type: 'string' }, 'signing-p12': { type: 'string' }, 'signing-passphrase-file': { type: 'string' }, 'webhook-key-file': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const pick = (flag: string, name: string) => {
    const value = values[flag] ?? env[name];
    return value === '' ? undefined : value;
  };
  const parsed = ServerConfig.safeParse({
    host: pick('host', 'HOST'),
    port: pick('port', 'PORT'),
    dataDir: pick('data-dir', 'SETTLEDESK_DATA_DIR'),
    databaseUrl: pick('database-url', 'DATABASE_URL'),
    dbSchema: pick('db-schema', 'SETTLEDESK_DB_SCHEMA'),
    logLevel: pick('log-level', 'SETTLEDESK_LOG_LEVEL'),
    portalDir: pick('portal-dir', 'SETTLEDESK_PORTAL_DIR'),
    corsOrigins: pick('cors-origins', 'SETTLEDESK_CORS_ORIGINS'),
    webhookAllowPrivate: pick('webhook-allow-private', 'SETTLEDESK_WEBHOOK_ALLOW_PRIVATE'),
    signingP12: pick('signing-p12', 'SETTLEDESK_SIGNING_P12'),
    signingPassphraseFile: pick('signing-passphrase-file', 'SETTLEDESK_SIGNING_PASSPHRASE_FILE'),
    webhookKeyFile: pick('webhook-key-file', 'SETTLEDESK_WEBHOOK_KEY_FILE'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${issue?.path.join('.') ?? 'config'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
