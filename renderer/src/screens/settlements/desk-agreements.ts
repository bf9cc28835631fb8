import { DEMO_DEFAULTS } from '../../../../core/demo/generate.ts';
import { checkAgreementVersions, type AgreementVersion } from '../../../../core/settlement/agreement.ts';
import type { AgreementVersionDoc } from '../../../../core/sync/documents.ts';
import type { RunRates, RunReference } from '../../../engine/settle.ts';
import { demoContracts, type DemoContracts } from '../partners/demo-contracts.ts';
import { storedVersions } from '../partners/versions.ts';

/** A team workspace without rates imported on the desk (desk-rates.ts): a line in a foreign currency blocks with fx_rate_missing instead of being converted at a guessed rate. */
export const NO_RATES: RunRates = { source: 'none', base: 'EUR', quotes: {} };

/**
 * The agreements and rates a settlement run uses: the versions the desk holds (those saved on
 * the Partners screen among them), so a saved version 2 changes what the run pays (core's
 * versionOn takes the highest version in force). In the demo workspace they join the demo
 * month's contract files (a desk version replacing a file's with the same id) and the run uses
 * the demo month's rates; until the desk holds any, the demo month is the reference as before.
 * The versions are checked together first: two agreements of one partner in force on one date
 * are refused with their reason rather than settled by a guess.
 */
/** RunReference with a plain list, as the engine's request schema types it. */
export type DeskRunReference = Extract<RunReference, { kind: 'demo' }> | { readonly kind: 'given'; readonly agreements: AgreementVersion[]; readonly rates: RunRates };

export async function runReferenceOf(workspaceKind: string, docs: readonly AgreementVersionDoc[], demo: () => Promise<DemoContracts> = demoContracts, deskRates: RunRates | null = null): Promise<DeskRunReference> {
  if (workspaceKind !== 'demo') return given(docs.map((doc) => doc.agreement), deskRates ?? NO_RATES);
  if (docs.length === 0) return { kind: 'demo', seed: DEMO_DEFAULTS.seed, month: DEMO_DEFAULTS.month };
  const contracts = await demo();
  return given(storedVersions(contracts.agreements, docs).map((stored) => stored.agreement), contracts.rates);
}

function given(agreements: AgreementVersion[], rates: RunRates): DeskRunReference {
  checkAgreementVersions(agreements);
  return { kind: 'given', agreements, rates };
}
