import { versionOn, type AgreementVersion } from '../../../../core/settlement/agreement.ts';
import type { AgreementVersionDoc } from '../../../../core/sync/documents.ts';
import { describeKey } from './fields.ts';

/**
 * Agreement versions as the Partners screen lists them: the workspace's contract files (the demo
 * month's agreements) and the versions saved on the desk, one history per agreement. Versions are
 * immutable; a later version supersedes the earlier ones from its own effective date, so the
 * version in force on a date is not simply the highest one: a version saved today may start
 * next quarter (it is scheduled until then).
 */
export interface StoredVersion {
  readonly agreement: AgreementVersion;
  /** 'file': from the workspace's agreement files; 'desk': saved on the desk (who and when). */
  readonly source: 'file' | 'desk';
  readonly createdBy: string | null;
  readonly createdAt: string | null;
}

export interface AgreementHistory {
  readonly agreementId: string;
  readonly partnerId: string;
  /** Oldest first. */
  readonly versions: readonly StoredVersion[];
  /** The highest version: the next version is drafted from it, whatever its dates. */
  readonly latest: StoredVersion;
}

export type AgreementStatus = 'active' | 'scheduled' | 'ended';

/** A version's place on a date: in force, starting later, replaced by a later version, or past its end. */
export type VersionStanding = 'current' | 'scheduled' | 'superseded' | 'ended';

export function versionId(agreement: Pick<AgreementVersion, 'agreementId' | 'version'>): string {
  return `${agreement.agreementId}@${agreement.version}`;
}

/** The workspace's versions: its files' and the desk's, a desk version replacing a file's with the same id. */
export function storedVersions(files: readonly AgreementVersion[], docs: readonly AgreementVersionDoc[]): StoredVersion[] {
  const byId = new Map<string, StoredVersion>();
  for (const agreement of files) byId.set(versionId(agreement), { agreement, source: 'file', createdBy: null, createdAt: null });
  for (const doc of docs) byId.set(doc.id, { agreement: doc.agreement, source: 'desk', createdBy: doc.createdBy, createdAt: doc.createdAt });
  return [...byId.values()];
}

/** One history per agreement, sorted by partner then agreement; a desk version replaces a file's with the same id. */
export function agreementHistories(files: readonly AgreementVersion[], docs: readonly AgreementVersionDoc[]): AgreementHistory[] {
  const grouped = new Map<string, StoredVersion[]>();
  for (const stored of storedVersions(files, docs)) grouped.set(stored.agreement.agreementId, [...(grouped.get(stored.agreement.agreementId) ?? []), stored]);
  const histories: AgreementHistory[] = [];
  for (const [agreementId, list] of grouped) {
    const versions = [...list].sort((a, b) => a.agreement.version - b.agreement.version);
    const latest = versions.at(-1);
    if (latest === undefined) continue;
    histories.push({ agreementId, partnerId: latest.agreement.partnerId, versions, latest });
  }
  return histories.sort((a, b) => (a.partnerId === b.partnerId ? (a.agreementId < b.agreementId ? -1 : 1) : a.partnerId < b.partnerId ? -1 : 1));
}

/** Whether a version is in force on a calendar date (ISO strings compare as dates). */
export function statusOn(agreement: Pick<AgreementVersion, 'effectiveFrom' | 'effectiveTo'>, date: string): AgreementStatus {
  if (date < agreement.effectiveFrom) return 'scheduled';
  if (agreement.effectiveTo !== null && agreement.effectiveTo < date) return 'ended';
  return 'active';
}

export interface HistoryOnDate {
  /**
   * The version in force on the date by core's rule (versionOn: the highest version covering it);
   * past every end date, the highest version started by then (shown as ended); null before the first start.
   */
  readonly inForce: StoredVersion | null;
  /** Versions that start after the date, earliest start first. */
  readonly scheduled: readonly StoredVersion[];
  readonly status: AgreementStatus;
}

/** An agreement as it stands on a date (today, or the last day of the period being viewed). */
export function historyOn(history: AgreementHistory, date: string): HistoryOnDate {
  const started = history.versions.filter((each) => each.agreement.effectiveFrom <= date);
  const covering = versionOn(started.map((each) => each.agreement), history.partnerId, date);
  const inForce = (covering === null ? started.at(-1) : started.find((each) => each.agreement === covering)) ?? null;
  const scheduled = history.versions
    .filter((each) => each.agreement.effectiveFrom > date)
    .sort((a, b) => (a.agreement.effectiveFrom === b.agreement.effectiveFrom ? a.agreement.version - b.agreement.version : a.agreement.effectiveFrom < b.agreement.effectiveFrom ? -1 : 1));
  return { inForce, scheduled, status: inForce === null ? 'scheduled' : statusOn(inForce.agreement, date) };
}

/** One version's standing on a date, for the version history. */
export function standingOn(history: AgreementHistory, version: number, date: string): VersionStanding {
  const stored = history.versions.find((each) => each.agreement.version === version);
  if (stored === undefined) throw new RangeError(`agreement ${history.agreementId} has no version ${version}`);
  if (stored.agreement.effectiveFrom > date) return 'scheduled';
  const { inForce, status } = historyOn(history, date);
  if (inForce !== stored) return 'superseded';
  return status === 'ended' ? 'ended' : 'current';
}

export interface FieldChange {
  /** Dotted schema path ("terms.share.tiers.0.rate"). */
  readonly path: string;
  /** Canonical text of each side (JSON for a number, boolean or null); null where the field is absent. */
  readonly before: string | null;
  readonly after: string | null;
}

function leaves(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((each, index) => [String(index), each] as const) : Object.entries(value as Record<string, unknown>);
    // An empty list or table is a value of its own ("none"), not nothing.
    if (entries.length === 0) out.set(prefix, Array.isArray(value) ? '[]' : '{}');
    for (const [key, each] of entries) leaves(each, prefix === '' ? key : `${prefix}.${key}`, out);
    return;
  }
  out.set(prefix, typeof value === 'string' ? value : JSON.stringify(value));
}

/** Every leaf of a value by dotted path (an empty list or table is a leaf of its own). */
export function leafPaths(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  leaves(value, '', out);
  return out;
}

/** How the desk says a field's value: dates in the analyst's date style (useFormat's date and monthDay), a date left open, a yes/no, a choice by its words. */
export interface ChangeWords {
  readonly date: (value: string) => string;
  readonly monthDay: (value: string) => string;
  readonly openEnded: string;
  /** A yes/no field's true and false. */
  readonly yes: string;
  readonly no: string;
  /** A choice of an enum field (partners texts' options.<field id>.<value>). */
  readonly option: (fieldId: string, value: string) => string;
}

/**
 * A changed field's value (FieldChange's canonical text; null where absent) as the desk shows it:
 * a date and a contract-year start in the desk's date style, an end date left open, a yes/no and
 * a choice in words, anything else as stored.
 */
export function changeText(path: string, value: string | null, words: ChangeWords): string | null {
  if (value === null) return null;
  const { spec, tier, entry } = describeKey(path);
  if (spec === null || tier !== null || entry !== null) return value;
  // leafPaths writes a null leaf as JSON: an effectiveTo of null is no end date.
  if (spec.input.kind === 'date') return value === 'null' ? words.openEnded : words.date(value);
  if (spec.input.kind === 'enum') return words.option(spec.id, value);
  // leafPaths writes a boolean leaf as JSON.
  if (spec.input.kind === 'bool') return value === 'true' ? words.yes : value === 'false' ? words.no : value;
  return spec.id === 'contractYearStart' ? words.monthDay(value) : value;
}

/** Every field that differs between two versions, in path order (the version number itself left out). */
export function diffVersions(before: AgreementVersion, after: AgreementVersion): FieldChange[] {
  const a = leafPaths(before);
  const b = leafPaths(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter((path) => path !== 'version').sort();
  return paths.filter((path) => a.get(path) !== b.get(path)).map((path) => ({ path, before: a.get(path) ?? null, after: b.get(path) ?? null }));
}
