import { canonicalJson } from '../../../../core/canonical/json.ts';
import { EXCEPTION_EDITABLE_FIELDS } from '../../../../core/sync/merge.ts';
import type { CollectionName } from '../../../../core/sync/documents.ts';
import type { DeskConflict } from '../../../desk/conflicts.ts';

/**
 * What the Sync screen shows of each conflict, side by side: for an exception field two desks
 * changed differently, every competing value with who wrote it (this user's first, as "mine");
 * for a whole document (a profile, a rule) or a fact, the fields where this desk's version and
 * the server's differ. Values are canonical JSON text, so equal values look equal.
 */
export type ExceptionField = (typeof EXCEPTION_EDITABLE_FIELDS)[number];

export interface FieldSide {
  readonly mine: boolean;
  readonly by: string;
  /** The value as the resolve call takes it (parsed from the candidate's canonical JSON). */
  readonly value: unknown;
  readonly text: string;
}

export interface FieldConflictView {
  readonly kind: 'field';
  readonly key: string;
  readonly id: string;
  readonly field: ExceptionField;
  readonly base: string;
  readonly sides: readonly FieldSide[];
}

export interface WholeConflictView {
  readonly kind: 'whole' | 'immutable';
  readonly key: string;
  readonly collection: CollectionName;
  readonly id: string;
  readonly differences: readonly { readonly field: string; readonly mine: string; readonly theirs: string }[];
}

export type ConflictView = FieldConflictView | WholeConflictView;

const ABSENT = '—';

function isExceptionField(field: string): field is ExceptionField {
  return (EXCEPTION_EDITABLE_FIELDS as readonly string[]).includes(field);
}

export function conflictViews(conflicts: readonly DeskConflict[], userId: string): ConflictView[] {
  const views: ConflictView[] = [];
  for (const conflict of conflicts) {
    if (conflict.kind === 'fields') {
      for (const field of conflict.fields) {
        if (!isExceptionField(field.field)) continue;
        const sides = field.candidates
          .map((candidate) => ({ mine: candidate.by === userId, by: candidate.by, value: JSON.parse(candidate.value) as unknown, text: candidate.value }))
          .sort((a, b) => Number(b.mine) - Number(a.mine));
        views.push({ kind: 'field', key: `exceptions/${conflict.id}/${field.field}`, id: conflict.id, field: field.field, base: field.base, sides });
      }
      continue;
    }
    const names = [...new Set([...Object.keys(conflict.mine), ...Object.keys(conflict.theirs)])].sort();
    const text = (doc: Record<string, unknown>, name: string) => (name in doc ? canonicalJson(doc[name]) : ABSENT);
    const differences = names.map((field) => ({ field, mine: text(conflict.mine, field), theirs: text(conflict.theirs, field) })).filter((row) => row.mine !== row.theirs);
    views.push({ kind: conflict.kind, key: `${conflict.collection}/${conflict.id}`, collection: conflict.collection, id: conflict.id, differences });
  }
  return views;
}
