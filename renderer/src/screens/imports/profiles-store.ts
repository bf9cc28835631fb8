import { z } from 'zod';
import { CsvProfileSchema, type CsvProfileInput } from '../../../../core/importers/csv-profile.ts';
import type { KeyValueStore } from '../../../workspace/workspace.ts';

/**
 * Saved CSV mapping profiles by name. Kept in localStorage until the desk database holds them
 * (a mapping-profile document there replicates them to the team).
 */
export const PROFILES_STORAGE_KEY = 'settledesk.csv-profiles';

const Saved = z.record(z.string(), z.unknown());

export function loadProfiles(store: KeyValueStore): Record<string, CsvProfileInput> {
  try {
    const saved = Saved.safeParse(JSON.parse(store.getItem(PROFILES_STORAGE_KEY) ?? '{}'));
    if (!saved.success) return {};
    // A profile that no longer validates is left out rather than half-used.
    return Object.fromEntries(Object.entries(saved.data).filter(([, profile]) => CsvProfileSchema.safeParse(profile).success)) as Record<string, CsvProfileInput>;
  } catch {
    return {};
  }
}

export function saveProfile(store: KeyValueStore, profile: CsvProfileInput): void {
  const checked = CsvProfileSchema.parse(profile);
  store.setItem(PROFILES_STORAGE_KEY, JSON.stringify({ ...loadProfiles(store), [checked.name]: profile }));
}
