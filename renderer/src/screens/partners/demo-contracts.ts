import { DEMO_DEFAULTS } from '../../../../core/demo/generate.ts';
import { callPartnersWorker } from './partners-worker-client.ts';
import type { PartnersResults } from './partners-worker-protocol.ts';

export type DemoContracts = PartnersResults['reference'];

let cached: Promise<DemoContracts> | null = null;

/**
 * The demo workspace's contract files and rates (the seeded demo month's agreements and ECB
 * rates), generated once per page in the Partners worker and shared by the Partners and
 * Settlements screens, so the ~0.5 s of generation never runs on the main thread or twice.
 */
export function demoContracts(): Promise<DemoContracts> {
  if (cached !== null) return cached;
  const made = callPartnersWorker('reference', { seed: DEMO_DEFAULTS.seed, month: DEMO_DEFAULTS.month });
  // A failed generation is not kept: the next screen that asks tries again.
  made.catch(() => {
    if (cached === made) cached = null;
  });
  cached = made;
  return made;
}
