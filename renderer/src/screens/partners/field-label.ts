import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldKey } from './draft.ts';
import { describeKey } from './fields.ts';
import { PARTNERS_NS } from './texts.ts';

/** A field key in the analyst's words ("Share tiers · Tier 2 · Rate (%)"), for the error summary and the version diffs. */
export function useFieldLabel(): (key: FieldKey) => string {
  const { t } = useTranslation(PARTNERS_NS);
  return useCallback(
    (key: FieldKey) => {
      const about = describeKey(key);
      // An override's own field besides its share is its product id.
      if (about.spec === null) return about.overrideIndex === null ? key : `${t('overrides.heading', { product: about.overrideIndex + 1 })} · ${t('overrides.product')}`;
      const parts: string[] = [];
      if (about.overrideIndex !== null) parts.push(t('overrides.heading', { product: about.overrideIndex + 1 }));
      parts.push(t(`fields.${about.spec.id}`));
      if (about.tier !== null) parts.push(t('tiers.tier', { number: about.tier }));
      if (about.tierPart !== null) parts.push(t(`tiers.${about.tierPart}`));
      if (about.entry !== null) parts.push(about.entry);
      return parts.join(' · ');
    },
    [t],
  );
}
