import type { MatchGroup } from '../core/reconcile/index.ts';
import { RawJsonElements } from './json-stream.ts';
import type { DifferingGroup } from './reconcile-tally.ts';

/** Groups stringified together: one JSON.stringify call per batch, not per group. */
const GROUPS_PER_TEXT = 128;

/** A group's text begins so (`id` is its first member), and two groups of an array's text meet so. */
const GROUP_START = '{"id":';
const GROUP_BOUNDARY = `},${GROUP_START}`;

/**
 * The groups of one leg as array elements of JSON text, each with its leg first, the same members
 * as `{ leg, ...group }`, without copying a million objects: a batch's text (JSON.stringify of the
 * array, whose per-call cost was most of writing a group alone) is cut where one group ends and the
 * next begins, and the leg is put after each group's brace. The cut is sure: in JSON text `{"`
 * starts an object (a quote inside a string is escaped), and no member of a group is an object
 * whose first member is `id`; should a batch cut into more pieces than groups, its groups are
 * stringified one by one. `prefix` opens each group's text: its brace, the record head, the leg.
 */
function batchText(groups: readonly MatchGroup[], prefix: string): RawJsonElements {
  const text = JSON.stringify(groups);
  // `[{"id":` … `}]`: the pieces are the groups' texts without their first member's name and their closing brace.
  const pieces = text.slice(1 + GROUP_START.length, -2).split(GROUP_BOUNDARY);
  if (pieces.length === groups.length && text.startsWith(GROUP_START, 1)) return new RawJsonElements(`${prefix}"id":`, pieces, '}');
  return new RawJsonElements(prefix, groups.map((group) => JSON.stringify(group).slice(1)), '');
}

/** Each group as JSON text with its leg first (batchText), in order, GROUPS_PER_TEXT at a time. */
export function* groupTexts(groups: Iterable<DifferingGroup>, head: string): Generator<RawJsonElements> {
  let leg: string | null = null;
  let prefix = '';
  const batch: MatchGroup[] = [];
  for (const item of groups) {
    if (item.leg !== leg || batch.length === GROUPS_PER_TEXT) {
      if (batch.length > 0) yield batchText(batch, prefix);
      batch.length = 0;
      leg = item.leg;
      prefix = `{${head}"leg":${JSON.stringify(leg)},`;
    }
    batch.push(item.group);
  }
  if (batch.length > 0) yield batchText(batch, prefix);
}
