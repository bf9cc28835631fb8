import { versionOn, type AgreementVersion } from '../settlement/agreement.ts';

/**
 * The agreed share percent ("70") of a partner's product on a day, for share-drift detection and
 * the payables forecast; null where the agreement has no single flat revenue rate (tiers, count
 * measures), since no one percent then describes it.
 */
export function agreedShareLookup(agreements: readonly AgreementVersion[], day: string): (partnerId: string, productId: string) => string | null {
  return (partnerId, productId) => {
    const version = versionOn(agreements, partnerId, day);
    if (version === null) return null;
    const share = version.terms.productOverrides.find((o) => o.productId === productId)?.share ?? version.terms.share;
    const [only, ...rest] = share.tiers;
    return only !== undefined && rest.length === 0 && share.measure === 'revenue' ? only.rate : null;
  };
}
