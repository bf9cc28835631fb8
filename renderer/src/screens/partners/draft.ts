import type { AgreementVersion } from '../../../../core/settlement/agreement.ts';

/**
 * The editor's draft: an agreement version in the schema's parsed shape (every default filled in,
 * a flat share as one open tier), whose strings may be anything the analyst typed. It is only an
 * AgreementVersion once validate.ts has parsed it with core's schema.
 */
export type Draft = AgreementVersion;

/** A field's key: the schema path joined with dots ("terms.share.tiers.0.rate"), as zod issue paths are. */
export type FieldKey = string;

export type PathPart = string | number;

export function keyOf(path: readonly PathPart[]): FieldKey {
  return path.map(String).join('.');
}

function partsOf(key: FieldKey): PathPart[] {
  return key.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The value at a key, or undefined when the path leaves the draft. */
export function valueAt(draft: unknown, key: FieldKey): unknown {
  let node: unknown = draft;
  for (const part of partsOf(key)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PathPart, unknown>)[part];
  }
  return node;
}

/** A copy of the draft with one value replaced (structural sharing: only the path is copied). */
export function withValue(draft: Draft, key: FieldKey, value: unknown): Draft {
  const parts = partsOf(key);
  const write = (node: unknown, index: number): unknown => {
    const part = parts[index];
    if (part === undefined) return value;
    if (Array.isArray(node)) {
      const copy = [...(node as unknown[])];
      copy[Number(part)] = write(copy[Number(part)], index + 1);
      return copy;
    }
    const record = (node !== null && typeof node === 'object' ? node : {}) as Record<string, unknown>;
    return { ...record, [String(part)]: write(record[String(part)], index + 1) };
  };
  return write(draft, 0) as Draft;
}

/** The draft a new version starts from: the current version's terms and dates, numbered next. */
export function nextVersionDraft(current: AgreementVersion, versionMax: number): Draft {
  return { ...structuredClone(current), version: versionMax + 1 };
}
