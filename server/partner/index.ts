import type { FastifyInstance } from 'fastify';
import { partnerAdminRoutes } from './admin-routes.ts';
import { partnerOpenApiRoute } from './openapi.ts';
import { loadPseudonymKey } from './pseudonym.ts';
import { partnerApiRoutes } from './routes.ts';
import { startArtifactSigner, type ServerSigning } from './statement-artifacts.ts';
import { sealClearWebhookSecrets } from './webhook-secrets.ts';
import { WEBHOOK_TARGET_POLICY_DEFAULT, type WebhookTargetPolicy } from './webhook-target.ts';
import { DELIVERY_POLICY_DEFAULT, startWebhookWorker, type DeliveryPolicy } from './webhooks.ts';

/**
 * Partner accounts as one plugin: the partner API and its OpenAPI document, the admin routes,
 * and the webhook worker, which runs beside the requests and stops when the server closes.
 */
export interface PartnerOptions {
  /** Requests one API key may make per window, across every server process on the database (key-rate-limit.ts); a partner's own systems poll, people do not. */
  readonly keyRequestsMax?: number;
  readonly keyWindowMs?: number;
  /** The webhook worker; off in tests that drive deliveries themselves. */
  readonly webhookWorker?: false | { readonly intervalMs?: number; readonly policy?: DeliveryPolicy };
  /** Webhook targets (server/partner/webhook-target.ts): private addresses are refused unless allowed here. */
  readonly webhookTargets?: WebhookTargetPolicy;
  /** The AES-256-GCM key webhook secrets are stored under (webhook-secrets.ts); without it they stay in clear and the server warns at start. */
  readonly webhookKey?: Buffer;
  /**
   * The organization's signing identity: the server signs each approved statement's PDF and JWS
   * itself (statement-artifacts.ts). Without it an admin stores them (PUT .../artifacts).
   */
  readonly signing?: ServerSigning & { readonly intervalMs?: number };
}

export const KEY_REQUESTS_MAX_DEFAULT = 600;
export const KEY_WINDOW_MS_DEFAULT = 60_000;
const WEBHOOK_INTERVAL_MS_DEFAULT = 5_000;
const SIGNER_INTERVAL_MS_DEFAULT = 2_000;
/** How long a statement.approved webhook waits for the server to sign the statement's files. */
const SIGNED_FILES_HOLD_MS = 5 * 60_000;

/** A sleep that closing the server cuts short, so a background loop ends at once instead of waiting out its interval. */
function wakeableSleep(): { sleep: (ms: number) => Promise<void>; wake: () => void } {
  let wake: (() => void) | null = null;
  return {
    sleep: (ms) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        timer.unref();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    wake: () => wake?.(),
  };
}

export async function partnerPlugin(app: FastifyInstance, options: PartnerOptions & { readonly nowMs: () => number; readonly nowIso: () => string }): Promise<void> {
  const keyRate = { requestsMax: options.keyRequestsMax ?? KEY_REQUESTS_MAX_DEFAULT, windowMs: options.keyWindowMs ?? KEY_WINDOW_MS_DEFAULT };
  await app.register(partnerApiRoutes, { keyRate, nowMs: options.nowMs, nowIso: options.nowIso, pseudonymKey: await loadPseudonymKey(app.db) });
  await app.register(partnerOpenApiRoute);
  const targets = options.webhookTargets ?? WEBHOOK_TARGET_POLICY_DEFAULT;
  const webhookKey = options.webhookKey ?? null;
  if (webhookKey === null) app.log.warn('webhook signing secrets are stored in clear: give the server a key with --webhook-key-file (README, Partner accounts)');
  else {
    const sealed = await sealClearWebhookSecrets(app.db, webhookKey);
    if (sealed > 0) app.log.info({ sealed }, 'webhook secrets stored in clear before the key was configured are now encrypted');
  }
  await app.register(partnerAdminRoutes, { nowIso: options.nowIso, targets, webhookKey });
  if (options.signing !== undefined) {
    const pause = wakeableSleep();
    const signer = startArtifactSigner(app.db, options.signing, {
      intervalMs: options.signing.intervalMs ?? SIGNER_INTERVAL_MS_DEFAULT,
      now: () => new Date(options.nowMs()),
      sleep: pause.sleep,
      onError: (error) => app.log.error({ err: error }, 'signing an approved statement failed'),
    });
    app.addHook('onClose', async () => {
      const stopping = signer.stop();
      pause.wake();
      await stopping;
    });
  }
  if (options.webhookWorker === false) return;
  const intervalMs = options.webhookWorker?.intervalMs ?? WEBHOOK_INTERVAL_MS_DEFAULT;
  const pause = wakeableSleep();
  const worker = startWebhookWorker(app.db, {
    nowMs: options.nowMs,
    random: Math.random,
    policy: options.webhookWorker?.policy ?? DELIVERY_POLICY_DEFAULT,
    targets,
    webhookKey,
    intervalMs,
    ...(options.signing === undefined ? {} : { scan: { waitForSignedFiles: { holdMs: SIGNED_FILES_HOLD_MS } } }),
    sleep: pause.sleep,
    onError: (error) => app.log.error({ err: error }, 'webhook worker round failed'),
  });
  app.addHook('onClose', async () => {
    const stopping = worker.stop();
    pause.wake();
    await stopping;
  });
}
