import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildServer } from './app.ts';
import { countUsers } from './auth/users-repository.ts';
import { ConfigError, readConfig } from './config.ts';
import { migrate } from './db/migrate.ts';
import { openDb } from './db/open.ts';
import { createLogger } from './logger.ts';
import { loadServerSigning } from './partner/statement-artifacts.ts';
import { loadWebhookKey } from './partner/webhook-secrets.ts';

/**
 * `npm run server`: opens the database (PGlite in the data folder unless DATABASE_URL is set),
 * applies migrations, and listens. On a server without users it writes a one-time set-up token
 * to <data-dir>/setup-token (mode 0600) and logs the file's path, never the token: whoever can
 * read the server's disk creates the first admin with POST /api/v1/setup.
 */
async function main(): Promise<void> {
  const config = readConfig(process.argv.slice(2), process.env);
  const logger = createLogger({ level: config.logLevel });
  await mkdir(config.dataDir, { recursive: true });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pglite'), schema: config.dbSchema });
  const applied = await migrate(db);
  logger.info({ database: db.kind, applied }, 'database ready');
  const tokenFile = join(config.dataDir, 'setup-token');
  let setupToken: string | null = null;
  if ((await countUsers(db)) === 0) {
    setupToken = randomBytes(24).toString('base64url');
    await writeFile(tokenFile, `${setupToken}\n`, { mode: 0o600 });
    logger.warn({ file: tokenFile }, 'no users yet: create the first admin with POST /api/v1/setup and the token in this file');
  } else {
    await rm(tokenFile, { force: true });
  }
  const signing = config.signingP12 === undefined || config.signingPassphraseFile === undefined ? undefined : await loadServerSigning(config.signingP12, config.signingPassphraseFile);
  const webhookKey = config.webhookKeyFile === undefined ? undefined : await loadWebhookKey(config.webhookKeyFile);
  const app = await buildServer({ db, logger, defaultMetrics: true, auth: { setupToken, onSetupDone: () => rm(tokenFile, { force: true }) }, corsOrigins: config.corsOrigins, ...(config.portalDir === undefined ? {} : { portalDir: config.portalDir }), partner: { webhookTargets: { allowPrivate: config.webhookAllowPrivate ?? false }, ...(signing === undefined ? {} : { signing }), ...(webhookKey === undefined ? {} : { webhookKey }) } });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`settledesk server: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
