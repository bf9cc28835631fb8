import { DEMO_DEFAULTS, generateDemoMonth } from '../../../../core/demo/generate.ts';
import { readAgreements } from '../../../../core/demo/insight-inputs.ts';
import { parseEcbRates, rateTable, type RateTable } from '../../../../core/settlement/fx.ts';
import type { AgreementVersion } from '../../../../core/settlement/agreement.ts';

/**
 * What a run needs besides transactions, for the demo workspace: the demo month's agreements and
 * its ECB rate file, read back from the same seeded generator the shell imported the month with.
 * A team workspace has no rate source on the desk yet: it runs with an empty table, so a line in
 * a foreign currency blocks with fx_rate_missing instead of being converted at a guessed rate.
 */
export interface RunReferenceData {
  readonly agreements: readonly AgreementVersion[];
  readonly rates: RateTable;
}

let demo: RunReferenceData | null = null;

export function demoReferenceData(): RunReferenceData {
  if (demo !== null) return demo;
  const month = generateDemoMonth({ seed: DEMO_DEFAULTS.seed, month: DEMO_DEFAULTS.month, small: true });
  const fx = month.files.find((file) => file.path.startsWith('fx/'));
  const rates = fx === undefined ? rateTable({}, 'ECB', 'EUR') : parseEcbRates(fx.text, { file: fx.path }).table;
  demo = { agreements: readAgreements(month.files), rates };
  return demo;
}

export const NO_RATE_SOURCE: RateTable = rateTable({}, 'none', 'EUR');
